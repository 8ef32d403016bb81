"""Accessibility algorithms in QGIS equal the library on the bundled network and on a user's line layer."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import accessibility, network
from yrdgeo.io import write_layers


def _table(layer):
    from yrdgeo_qgis.convert import python_value

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()])


COLS = ["t_centre_min", "t_nearest_min", "avg_time_min", "opp_60", "opp_120", "hansen"]


def test_accessibility_on_bundled_network_matches_library(run_alg):
    res, feedback = run_alg("accessibility", {"AS_OF": "2015-01-01", "THRESHOLDS": "60;120", "OUTPUT": "memory:"})
    cities = yrdgeo.load_units("city")
    want = accessibility.accessibility(network.load_yrd_network(as_of="2015-01-01"), cities,
                                       thresholds=[60, 120]).frame
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.adcode]
    for col in COLS:
        np.testing.assert_allclose(got[col].astype(float), want[col], rtol=1e-12, equal_nan=True, err_msg=col)
    assert any("41 cities" in line for line in feedback.infos)


def test_user_lines_in_projected_crs_match_library(run_alg, tmp_path):
    """A user's line layer in EPSG:4549 and units in EPSG:3857 give the library's answer on the 4326 data."""
    edges = network.to_layers(network.load_yrd_network(as_of="2012-01-01"))["edges"][["line", "time_min", "geometry"]]
    units = yrdgeo.load_units("city", province=["上海", "江苏"])
    units["jobs"] = np.arange(len(units), dtype=float) + 1.0  # clearly synthetic opportunities for the test
    lines_path, units_path = tmp_path / "lines.gpkg", tmp_path / "units.gpkg"
    write_layers({"lines": edges.to_crs(4549)}, lines_path)
    write_layers({"units": units.to_crs(3857)}, units_path)
    res, feedback = run_alg("accessibility", {"UNITS": str(units_path), "OPPORTUNITIES": "jobs",
                                              "LINES": str(lines_path), "TIME_FIELD": "time_min",
                                              "CENTRE": "南京", "OUTPUT": "memory:"})
    net = network.from_lines(edges, time="time_min")
    want = accessibility.accessibility(net, units, centre="南京", opportunities="jobs").frame
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.adcode]
    for col in COLS:
        np.testing.assert_allclose(got[col].astype(float), want[col], rtol=1e-6, equal_nan=True, err_msg=col)
    assert any("EPSG:4549" in line for line in feedback.infos)


def test_accessibility_change_matches_library(run_alg):
    res, feedback = run_alg("accessibility_change", {"BEFORE": "2008-01-01", "AFTER": "2020-01-01",
                                                     "OUTPUT": "memory:"})
    cities = yrdgeo.load_units("city")
    want = accessibility.compare_dates(network.load_yrd_network(), cities, "2008-01-01", "2020-01-01").frame
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.adcode]
    np.testing.assert_allclose(got.gain_min.astype(float), want.gain_min, rtol=1e-12, equal_nan=True)
    assert list(got.change) == list(want.change)
    assert any("Largest gains" in line for line in feedback.infos)


def test_bad_thresholds_and_centre_are_refused(run_alg):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="Parameter THRESHOLDS: “sixty” is not a list of positive numbers"):
        run_alg("accessibility", {"THRESHOLDS": "sixty", "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="Parameter CENTRE: .*Atlantis"):
        run_alg("accessibility", {"CENTRE": "Atlantis", "OUTPUT": "memory:"})


def test_travel_time_matrix_matches_library_and_feeds_enclaves(run_alg, tmp_path):
    from yrdgeo import enclaves

    csv = tmp_path / "tt.csv"
    res, _ = run_alg("travel_time_matrix", {"AS_OF": "2020-01-01", "OUTPUT": str(csv)})
    cities = yrdgeo.load_units("city")
    want = accessibility.od_matrix(network.load_yrd_network(as_of="2020-01-01"), cities).minutes
    got = enclaves.read_travel_time(res["OUTPUT"])  # the table is the enclave algorithm's TRAVEL_TIME input
    got = got.loc[want.index, want.columns]
    np.testing.assert_allclose(got.to_numpy(float), want.to_numpy(float), rtol=1e-12, equal_nan=True)
    assert got.shape == (41, 41)


GRID = accessibility.ISOCHRONE_SHAPES.index("grid")  # SHAPE: the targets with their bands (default: polygons)


def test_isochrones_match_library_on_projected_targets_and_grid(run_alg, tmp_path):
    counties = yrdgeo.load_units("county", province="浙江")
    path = tmp_path / "zj_3857.gpkg"
    write_layers({"zj": counties.to_crs(3857)}, path)
    res, _ = run_alg("isochrones", {"ORIGIN": "上海市", "TARGETS": str(path), "BANDS": "60, 120, 180",
                                    "AS_OF": "2020-01-01", "SHAPE": GRID, "OUTPUT": "memory:"})
    net = network.load_yrd_network(as_of="2020-01-01")
    want = accessibility.isochrones(net, "上海市", counties, bands=[60, 120, 180])
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.adcode]
    assert list(got.band) == list(want.band)
    np.testing.assert_allclose(got.time_min.astype(float), want.time_min, rtol=1e-9, equal_nan=True)
    res, feedback = run_alg("isochrones", {"ORIGIN": "合肥", "CELL_KM": 50, "SHAPE": GRID, "OUTPUT": "memory:"})
    cells = accessibility.grid(yrdgeo.load_units("province"), cell_km=50)
    assert res["OUTPUT"].featureCount() == len(cells)


def test_two_step_fca_matches_library(run_alg, tmp_path):
    # demand: city land area (real); supply: one unit at each provincial capital (a synthetic test value)
    demand = yrdgeo.with_area(yrdgeo.load_units("city"))
    supply = yrdgeo.select_units(["上海市", "南京市", "杭州市", "合肥市"])
    supply["beds"] = 1.0
    d_path, s_path = tmp_path / "demand.gpkg", tmp_path / "supply.gpkg"
    write_layers({"d": demand}, d_path)
    write_layers({"s": supply.to_crs(4549)}, s_path)
    res, _ = run_alg("two_step_fca", {"DEMAND": str(d_path), "DEMAND_FIELD": "area_km2", "SUPPLY": str(s_path),
                                      "SUPPLY_FIELD": "beds", "CATCHMENT_MIN": 90, "OUTPUT": "memory:",
                                      "SUPPLY_RATIOS": "memory:"})
    want = accessibility.two_step_fca(network.load_yrd_network(), demand, supply, demand_column="area_km2",
                                      supply_column="beds", catchment_min=90)
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.demand.adcode]
    np.testing.assert_allclose(got.access_2sfca.astype(float), want.demand.access_2sfca, rtol=1e-9)
    ratios = _table(res["SUPPLY_RATIOS"]).set_index("adcode").loc[want.supply.adcode]
    np.testing.assert_allclose(ratios.ratio.astype(float), want.supply.ratio, rtol=1e-9, equal_nan=True)


def _shapes(layer):
    import shapely

    return [shapely.from_wkb(bytes(f.geometry().asWkb())) for f in layer.getFeatures()]


@pytest.mark.parametrize("nested", [False, True])
def test_isochrone_polygons_match_library(run_alg, nested):
    res, _ = run_alg("isochrones", {"ORIGIN": "合肥", "CELL_KM": 50, "BANDS": "60, 120", "NESTED": nested,
                                    "OUTPUT": "memory:"})  # SHAPE: polygons by default
    cells = accessibility.grid(yrdgeo.load_units("province"), cell_km=50)
    with pytest.warns(UserWarning, match="point inside its polygon"):
        want = accessibility.isochrones(network.load_yrd_network(), "合肥", cells, bands=[60, 120],
                                        shape="polygons", nested=nested)
    got = _table(res["OUTPUT"])
    assert got.band.tolist() == want.band.tolist() == (["0–60", "0–120"] if nested else ["0–60", "60–120"])
    assert got.targets.tolist() == want.targets.tolist()
    np.testing.assert_allclose(got.area_km2.astype(float), want.area_km2, rtol=1e-9)
    for mine, theirs in zip(_shapes(res["OUTPUT"]), want.geometry):
        assert mine.is_valid and mine.symmetric_difference(theirs).area < 1e-9 * theirs.area


def test_isochrone_polygons_refuse_point_targets(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "seats.gpkg"
    cities = yrdgeo.load_units("city", province="上海")
    write_layers({"seats": cities.set_geometry(gpd.points_from_xy(cities.anchor_lon, cities.anchor_lat), crs=4326)},
                 path)
    with pytest.raises(QgsProcessingException, match="SHAPE.*points"):
        run_alg("isochrones", {"ORIGIN": "上海市", "TARGETS": str(path), "OUTPUT": "memory:"})


def test_noding_and_level_pass_through_to_the_library(run_alg, tmp_path):
    """Two roads crossing without a shared vertex near Shanghai's seat: joined by NODING crossings, at one level."""
    from qgis.core import QgsProcessingException
    from pyproj import Transformer
    from shapely.geometry import LineString, Point

    seat = yrdgeo.load_units("city", province="上海").iloc[0]
    x, y = Transformer.from_crs(4326, 4549, always_xy=True).transform(float(seat.anchor_lon), float(seat.anchor_lat))
    roads = gpd.GeoDataFrame({"speed": [60.0, 60.0], "level": [0, 1]}, crs=4549, geometry=[
        LineString([(x, y), (x + 10_000, y)]), LineString([(x + 5_000, y - 5_000), (x + 5_000, y + 5_000)])])
    target = gpd.GeoDataFrame({"name": ["end"]}, geometry=[Point(x + 5_000, y + 5_000)], crs=4549)
    lines_path, target_path = tmp_path / "roads.gpkg", tmp_path / "target.gpkg"
    write_layers({"roads": roads}, lines_path)
    write_layers({"target": target}, target_path)
    noding = network.lines.NODING.index
    base = {"ORIGIN": "上海市", "TARGETS": str(target_path), "LINES": str(lines_path), "SPEED_FIELD": "speed",
            "BANDS": "60", "SHAPE": GRID, "OUTPUT": "memory:"}
    res, feedback = run_alg("isochrones", {**base, "NODING": noding("crossings")})
    net = network.from_lines(roads, speed="speed", node="crossings")
    want = accessibility.isochrones(net, "上海市", target, bands=[60])
    got = _table(res["OUTPUT"])
    assert np.isfinite(want.time_min.iloc[0])  # reached through the crossing
    assert got.time_min.iloc[0] == pytest.approx(want.time_min.iloc[0], rel=1e-9)
    assert any("crossings" in line for line in feedback.infos)
    for options in ({"NODING": noding("endpoints")}, {"NODING": noding("crossings"), "LEVEL_FIELD": "level"}):
        with pytest.raises(QgsProcessingException, match="disconnected"):
            run_alg("isochrones", {**base, **options})
