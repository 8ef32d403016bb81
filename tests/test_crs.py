"""GCJ-02 ⇄ WGS84, CRS checks and measurement."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import yrdgeo
from yrdgeo import crs


def _yrd_grid(n=200):
    lon, lat = np.meshgrid(np.linspace(114.8, 123.0, n), np.linspace(27.0, 35.2, n))
    return lon.ravel(), lat.ravel()


def test_gcj02_round_trip_below_1e_6_degrees_across_yrd():
    lon, lat = _yrd_grid()
    g_lon, g_lat = crs.wgs84_to_gcj02(lon, lat)
    w_lon, w_lat = crs.gcj02_to_wgs84(g_lon, g_lat)
    assert np.abs(w_lon - lon).max() < 1e-6
    assert np.abs(w_lat - lat).max() < 1e-6
    # and the inverse direction: GCJ-02 input, back to the same GCJ-02
    f_lon, f_lat = crs.wgs84_to_gcj02(*crs.gcj02_to_wgs84(lon, lat))
    assert max(np.abs(f_lon - lon).max(), np.abs(f_lat - lat).max()) < 1e-6


def test_gcj02_offset_is_hundreds_of_metres():
    lon, lat = _yrd_grid(50)
    g_lon, g_lat = crs.wgs84_to_gcj02(lon, lat)
    d_m = crs.geodesic_distance_km(lon, lat, g_lon, g_lat) * 1000
    assert 300 < d_m.min() and d_m.max() < 800


def test_known_forward_value():
    # The public algorithm's widely published check value for Beijing Tiananmen (WGS84 116.391, 39.907).
    g = crs.wgs84_to_gcj02(116.391, 39.907)
    assert float(g[0]) == pytest.approx(116.39724, abs=2e-5)
    assert float(g[1]) == pytest.approx(39.90840, abs=2e-5)


def test_outside_china_is_unchanged():
    lon, lat = crs.wgs84_to_gcj02(139.69, 35.69)  # Tokyo
    assert float(lon) == 139.69 and float(lat) == 35.69


def test_geometry_conversion_keeps_topology_and_crs():
    frame = yrdgeo.load_units("city").head(3)
    gcj = crs.wgs84_to_gcj02_geometry(frame)
    back = crs.gcj02_to_wgs84_geometry(gcj)
    assert back.crs.to_epsg() == 4326
    assert gcj.geometry.iloc[0].centroid.distance(frame.geometry.iloc[0].centroid) > 1e-3
    for a, b in zip(back.geometry, frame.geometry):
        assert shapely.equals_exact(a, b, tolerance=1e-9)
    single = crs.gcj02_to_wgs84_geometry(shapely.Point(121.4737, 31.2304))
    assert isinstance(single, shapely.Point)


def test_geometry_conversion_refuses_projected_frame():
    frame = yrdgeo.load_units("city").head(2).to_crs(crs.DISTANCE_CRS)
    with pytest.raises(ValueError, match="lon/lat"):
        crs.gcj02_to_wgs84_geometry(frame)


def test_frame_without_crs_is_refused_for_metric_work():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])
    with pytest.raises(ValueError, match="coordinate reference system"):
        crs.to_metric(frame, what="a buffer")
    with pytest.raises(ValueError, match="coordinate reference system"):
        crs.area_km2(frame)


def test_to_metric_projects_geographic_and_keeps_metric():
    frame = yrdgeo.load_units("city").head(2)
    m = crs.to_metric(frame)
    assert m.crs.equals(crs.DISTANCE_CRS)
    assert crs.to_metric(m) is m


def test_area_is_crs_independent():
    frame = yrdgeo.load_units("city").head(4)
    a1 = crs.area_km2(frame)
    a2 = crs.area_km2(frame.to_crs(3857))
    np.testing.assert_allclose(a1, a2, rtol=1e-6)


def test_conformal_crs_inflates_area_slightly():
    frame = yrdgeo.load_units("city")
    ea = crs.area_km2(frame)
    gk = frame.to_crs(crs.DISTANCE_CRS).area.to_numpy() / 1e6
    ratio = gk / ea
    assert ratio.max() > 1.0005 and ratio.max() < 1.006


def test_distance_matrix_is_symmetric_and_zero_diagonal(cities):
    d = yrdgeo.distance_matrix_km(cities)
    assert d.shape == (41, 41)
    np.testing.assert_allclose(d.to_numpy(), d.to_numpy().T)
    assert np.all(np.diag(d.to_numpy()) == 0)
    assert d.loc["310100", "330100"] == pytest.approx(yrdgeo.distance_km("上海", "杭州"))


def test_distance_matrix_needs_anchors():
    frame = gpd.GeoDataFrame({"adcode": ["x"]}, geometry=[shapely.Point(120, 30)], crs=4326)
    with pytest.raises(ValueError, match="anchor_lon"):
        yrdgeo.distance_matrix_km(frame)


def test_area_method_is_checked(cities):
    with pytest.raises(ValueError, match="equal_area"):
        crs.area_km2(cities, method="planar")


def test_area_crs_is_the_documented_albers_and_projects_from_cgcs2000_as_from_wgs84(cities):
    from pyproj import CRS

    documented = CRS.from_proj4("+proj=aea +lat_0=31 +lat_1=27.5 +lat_2=34.5 +lon_0=119 +x_0=0 +y_0=0 "
                                "+datum=WGS84 +units=m +no_defs")
    assert crs.AREA_CRS == documented and crs.AREA_CRS.datum == crs.WGS84.datum
    gk = cities.to_crs(crs.DISTANCE_CRS)  # CGCS2000 / Gauss-Krüger: a datum PROJ treats as WGS84 here (ballpark)
    via_cgcs = gk.to_crs(crs.AREA_CRS).area
    np.testing.assert_allclose(via_cgcs, cities.to_crs(crs.AREA_CRS).area, rtol=1e-9)
    np.testing.assert_allclose(via_cgcs, gk.to_crs(documented).area, rtol=1e-12)


def test_transformers_are_shared_with_geopandas_to_crs():
    from geopandas.array import TransformerFromCRS

    built = crs.transformer(crs.WGS84, crs.DISTANCE_CRS)
    assert built is TransformerFromCRS(crs.WGS84, crs.DISTANCE_CRS, always_xy=True)
    assert built is crs.transformer("EPSG:4326", "EPSG:4549")
    assert crs.transformer(crs.WGS84, crs.DISTANCE_CRS, always_xy=False) is not built
