"""yrdgeo.grid.criteria: raster values, distances and travel times per cell; zonal statistics by raster blocks."""

from __future__ import annotations

import math

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import rasterio.mask
import shapely
from rasterio.warp import Resampling, calculate_default_transform, reproject

import yrdgeo
from yrdgeo.crs import DISTANCE_CRS, WGS84
from yrdgeo.grid import criteria
from yrdgeo.grid import make_grid
from yrdgeo.raster import dem_path, zonal_stats

STATS = ("count", "sum", "mean", "min", "max", "std")


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(scope="module")
def shanghai_grid():
    """A 5 km grid over Shanghai's districts in six partitions (316 cells)."""
    return make_grid(5000, units=yrdgeo.load_units("county", province="上海"), partition_rows=5)


@pytest.fixture(scope="module")
def yrd_grid():
    """A 10 km grid over the YRD (3,593 cells, 8 partitions)."""
    return make_grid(10000)


def _cells(grid) -> pd.DataFrame:
    return grid.frame.compute()


def _write(path, data, *, crs, transform, nodata=None, tiled: int = 0):
    profile = dict(driver="GTiff", width=data.shape[1], height=data.shape[0], count=1, dtype=data.dtype, crs=crs,
                   transform=transform, nodata=nodata, compress="deflate")
    if tiled:
        profile.update(tiled=True, blockxsize=int(tiled), blockysize=int(tiled))
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return str(path)


def _mask_loop(raster, zones, *, nodata=None) -> pd.DataFrame:
    """The plain way: one rasterio.mask.mask per zone (pixel centres inside), nodata and non-finite dropped."""
    rows = []
    with rasterio.open(raster) as src:
        geoms = zones.to_crs(src.crs).geometry
        nd = src.nodata if nodata is None else nodata
        for g in geoms:
            try:
                arr, _ = rasterio.mask.mask(src, [g], crop=True, filled=False, nodata=nd)
            except ValueError:  # the zone misses the raster
                arr = np.ma.masked_all((1, 1, 1))
            v = arr.compressed().astype(float)
            v = v[np.isfinite(v) & (v != nd)] if nd is not None else v[np.isfinite(v)]
            n = v.size
            rows.append({"count": n, "sum": v.sum() if n else np.nan, "mean": v.mean() if n else np.nan,
                         "min": v.min() if n else np.nan, "max": v.max() if n else np.nan,
                         "std": v.std() if n >= 2 else np.nan})
    return pd.DataFrame(rows, index=zones["adcode"].to_numpy())


def _assert_same(ours: pd.DataFrame, plain: pd.DataFrame) -> None:
    for col in ours.columns:
        np.testing.assert_allclose(ours[col].to_numpy(float), plain[col].to_numpy(float), rtol=1e-9, atol=1e-9,
                                   equal_nan=True, err_msg=col)


# --------------------------------------------------------------------------- raster values per cell


def test_raster_values_aligned_raster_gives_each_cell_its_pixel_and_nan_for_nodata(shanghai_grid, tmp_path):
    spec = shanghai_grid.spec
    ids = np.arange(spec.size, dtype="float32").reshape(spec.nrows, spec.ncols)
    ids[::3, ::2] = -1.0  # nodata pixels
    path = _write(tmp_path / "ids.tif", ids, crs=spec.crs, transform=spec.transform, nodata=-1.0)
    cells = _cells(shanghai_grid)
    expected = cells["cell_id"].to_numpy(float)
    expected[(cells["row"].to_numpy() % 3 == 0) & (cells["col"].to_numpy() % 2 == 0)] = np.nan
    for stat in ("mean", "nearest", "min", "max"):
        got = criteria.raster_values(shanghai_grid, path, stat=stat, name="v")
        assert got.npartitions == shanghai_grid.npartitions
        got = got.compute()
        assert got.index.equals(cells.index)
        np.testing.assert_array_equal(got.to_numpy(), expected, err_msg=stat)
    # nodata= overrides the file's: -1 becomes a value, 0 (cell 0, not a cell) is ignored
    got = criteria.raster_values(shanghai_grid, path, stat="nearest", nodata=0.0).compute()
    np.testing.assert_array_equal(np.isnan(got.to_numpy()), np.zeros(len(cells), bool))
    assert got.name == "ids_nearest"


def test_raster_values_same_in_any_raster_crs(yrd_grid, tmp_path):
    """The DEM in EPSG:4326 and a copy reprojected to EPSG:4549 (1 km pixels) give the same cells.

    Tolerance: the copy was itself resampled (nearest), so a cell centre within a copy pixel of a
    DEM pixel edge may take the neighbour; ≥ 90 % of cells are identical with ``nearest`` and the
    mean absolute difference of ``mean`` (cells overlapping several 20 km DEM pixels, weighted by
    area) is under 5 % of the mean elevation (measured: 3 %).
    """
    copy = tmp_path / "dem_4549.tif"
    with rasterio.open(dem_path()) as src:
        t, w, h = calculate_default_transform(src.crs, DISTANCE_CRS, src.width, src.height, *src.bounds,
                                              resolution=1000)
        out = np.full((h, w), src.nodata, dtype="float32")
        reproject(rasterio.band(src, 1), out, dst_transform=t, dst_crs=DISTANCE_CRS, resampling=Resampling.nearest,
                  dst_nodata=src.nodata)
    _write(copy, out, crs=DISTANCE_CRS, transform=t, nodata=float(src.nodata))
    for stat in ("nearest", "mean"):
        a = criteria.raster_values(yrd_grid, dem_path(), stat=stat).compute().to_numpy()
        b = criteria.raster_values(yrd_grid, copy, stat=stat).compute().to_numpy()
        both = np.isfinite(a) & np.isfinite(b)
        assert both.mean() > 0.95 and np.isfinite(a).sum() > 3000
        if stat == "nearest":
            assert (a[both] == b[both]).mean() > 0.9
        else:
            assert np.abs(a[both] - b[both]).mean() < 0.05 * np.abs(a[both]).mean()


def test_raster_values_reads_only_each_partitions_window(tmp_path, monkeypatch):
    """A tiled, compressed raster: every partition reads a bounded share of the file, never all of it."""
    grid = make_grid(2000, units=yrdgeo.load_units("county", province="上海"), partition_rows=10)
    spec = grid.spec
    rng = np.random.default_rng(0)
    data = rng.integers(0, 1000, size=(spec.nrows * 20, spec.ncols * 20)).astype("int16")  # 100 m pixels
    t = spec.transform * spec.transform.scale(1 / 20)
    path = _write(tmp_path / "fine.tif", data, crs=spec.crs, transform=t, nodata=-1, tiled=128)
    size = (tmp_path / "fine.tif").stat().st_size
    reads: list[int] = []
    real_open = rasterio.open

    class Counting:
        def __init__(self, f):
            self.f, self.n = f, 0
            reads.append(0)
            self.i = len(reads) - 1

        def read(self, *a):
            b = self.f.read(*a)
            reads[self.i] += len(b)
            return b

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def __getattr__(self, name):
            return getattr(self.f, name)

    def counting_open(fp, *a, **kw):
        if str(fp) == path:
            kw["opener"] = lambda p, mode="rb": Counting(open(p, mode))
        return real_open(fp, *a, **kw)

    monkeypatch.setattr(rasterio, "open", counting_open)
    got = criteria.raster_values(grid, path, stat="mean").compute()
    monkeypatch.undo()
    assert got.notna().all()
    assert len(reads) == 1 + grid.npartitions  # one header check, then one open per partition
    # a partition of 10 rows is 200 pixel rows: at most 3 of the file's rows of 128-pixel tiles (+ header)
    tile_rows = math.ceil(data.shape[0] / 128)
    assert max(reads[1:]) < (3 / tile_rows) * size * 1.1, (reads, size)
    assert sum(reads[1:]) < 2.0 * size  # the partitions together read the file about once, not once each
    # and the values are the means of the 10 × 10 pixels of each cell
    cells = _cells(grid)
    r, c = cells["row"].to_numpy(), cells["col"].to_numpy()
    blocks = data.reshape(spec.nrows, 20, spec.ncols, 20).mean(axis=(1, 3))
    np.testing.assert_allclose(got.to_numpy(), blocks[r, c], rtol=1e-12)


def test_raster_values_refuses_bad_stat_and_band(shanghai_grid):
    with pytest.raises(ValueError, match="stat"):
        criteria.raster_values(shanghai_grid, dem_path(), stat="average")
    with pytest.raises(ValueError, match="band 2 does not exist"):
        criteria.raster_values(shanghai_grid, dem_path(), band=2)
    with pytest.raises(FileNotFoundError):
        criteria.raster_values(shanghai_grid, "/nonexistent/dem.tif")


# --------------------------------------------------------------------------- distances


def test_distance_to_equals_geopandas_distance(shanghai_grid):
    seats = yrdgeo.load_units("city")
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(seats.anchor_lon, seats.anchor_lat), crs=WGS84)
    line = gpd.GeoDataFrame(geometry=[shapely.LineString([(121.0, 30.6), (121.9, 31.5)])], crs=WGS84).to_crs(3857)
    cells = _cells(shanghai_grid)
    centres = gpd.GeoSeries(gpd.points_from_xy(cells.x, cells.y), crs=shanghai_grid.spec.crs).to_crs(DISTANCE_CRS)
    for features in (points, line, pd.concat([points.to_crs(3857), line])):
        got = criteria.distance_to(shanghai_grid, features).compute()
        want = centres.distance(features.to_crs(DISTANCE_CRS).geometry.union_all()).to_numpy()
        np.testing.assert_allclose(got.to_numpy(), want, rtol=1e-9, atol=1e-6)
        assert got.index.equals(cells.index) and got.name == "distance_m"


# --------------------------------------------------------------------------- travel time


@pytest.mark.parametrize("date, centre, max_km", [(None, "上海市", None), ("2012", "南京市", None),
                                                   ("2020-06", (120.2, 30.3), 40.0)])
def test_travel_time_equals_library_point_to_point(yrd_grid, date, centre, max_km):
    from yrdgeo.accessibility import time_to_centre
    from yrdgeo.network import load_yrd_network

    got = criteria.travel_time_to(yrd_grid, centre, date=date, max_access_km=max_km).compute()
    cells = _cells(yrd_grid)
    pick = np.random.default_rng(1).choice(len(cells), 12, replace=False)
    pts = gpd.GeoDataFrame({"cell": cells.index[pick]}, geometry=gpd.points_from_xy(cells.x.iloc[pick],
                                                                                   cells.y.iloc[pick]),
                           crs=yrd_grid.spec.crs)
    net = load_yrd_network(as_of=date) if date else load_yrd_network()
    want = time_to_centre(net, pts, centre, key="cell", max_access_km=max_km).frame["time_min"].to_numpy()
    np.testing.assert_allclose(got.iloc[pick].to_numpy(), want, rtol=1e-9, atol=1e-6, equal_nan=True)
    assert got.notna().mean() > (0.3 if max_km else 0.99)


def test_travel_time_later_date_is_never_slower(yrd_grid):
    early = criteria.travel_time_to(yrd_grid, "上海市", date="2005").compute()
    late = criteria.travel_time_to(yrd_grid, "上海市", date="2020").compute()
    assert (late <= early + 1e-9).all() and (late < early - 1).any()


# --------------------------------------------------------------------------- zonal statistics


def test_zonal_statistics_of_planner_units_equal_mask_loop_and_raster_zonal_stats():
    units = yrdgeo.load_units("county", province="浙江").to_crs(DISTANCE_CRS)  # through the gate, reprojected
    ours = criteria.zonal_statistics(dem_path(), units, stats=STATS, block_size=16)
    assert list(ours.columns) == list(STATS) and ours.index.name == "adcode" and len(ours) == len(units)
    _assert_same(ours, _mask_loop(dem_path(), units))
    lib = zonal_stats(units, dem_path(), stats=STATS, small_zones="nan", reproject=True).frame.set_index("adcode")
    _assert_same(ours, lib[list(STATS)])
    assert ours["count"].dtype == np.int64 and (ours["count"] > 0).sum() > 50


@pytest.mark.slow
def test_zonal_statistics_of_the_305_counties_equal_mask_loop_and_raster_zonal_stats_on_the_dem():
    counties = yrdgeo.load_units("county")
    # the bundled counties share no interior, so they are rasterised in one layer
    assert (criteria._layers(np.asarray(counties.geometry.to_numpy(), dtype=object)) == 0).all()
    ours = criteria.zonal_statistics(dem_path(), stats=STATS, block_size=16)  # 9 blocks of the 44 × 43 DEM
    assert list(ours.columns) == list(STATS) and ours.index.name == "adcode" and len(ours) == 305
    _assert_same(ours, _mask_loop(dem_path(), counties))
    lib = zonal_stats(counties, dem_path(), stats=STATS, small_zones="nan").frame.set_index("adcode")
    _assert_same(ours, lib[list(STATS)])
    assert (ours["count"] == 0).sum() == 46  # districts smaller than a 0.2° pixel: count 0, NaN elsewhere


@pytest.mark.slow
def test_zonal_statistics_synthetic_raster_in_another_crs_with_nodata(tmp_path):
    """A 600 m int16 raster in EPSG:4549, tiled, with nodata patches: same as the mask loop, any block size."""
    counties = yrdgeo.load_units("county")
    x0, y0, x1, y1 = counties.to_crs(DISTANCE_CRS).total_bounds
    res = 600.0
    w, h = math.ceil((x1 - x0) / res) + 4, math.ceil((y1 - y0) / res) + 4
    rng = np.random.default_rng(7)
    data = rng.integers(-50, 3000, size=(h, w)).astype("int16")
    data[rng.random((h, w)) < 0.05] = -9999
    data[100:180, 300:420] = -9999  # a whole patch of nodata
    t = rasterio.transform.from_origin(x0 - 2 * res, y1 + 2 * res, res, res)
    path = _write(tmp_path / "synthetic.tif", data, crs=DISTANCE_CRS, transform=t, nodata=-9999, tiled=256)
    plain = _mask_loop(path, counties)
    for block in (256, 700):
        _assert_same(criteria.zonal_statistics(path, stats=STATS, block_size=block), plain)


def test_zonal_statistics_planner_units_overlapping_and_outside(tmp_path):
    """Overlapping units count a shared pixel in both; a unit off the raster has count 0."""
    data = np.arange(400, dtype="float32").reshape(20, 20)
    data[5, 5] = np.nan  # non-finite: ignored as nodata
    t = rasterio.transform.from_origin(120.0, 32.0, 0.05, 0.05)
    path = _write(tmp_path / "small.tif", data, crs=WGS84, transform=t)
    units = gpd.GeoDataFrame({"adcode": ["a", "b", "c", "d"]}, geometry=[
        shapely.box(120.1, 31.4, 120.6, 31.9), shapely.box(120.3, 31.2, 120.8, 31.7),
        shapely.box(120.2, 31.5, 120.4, 31.6), shapely.box(125.0, 35.0, 125.5, 35.5)], crs=WGS84)
    plain = _mask_loop(path, units)
    ours = criteria.zonal_statistics(path, units.to_crs(3857), stats=STATS, block_size=8)
    _assert_same(ours, plain)
    # 2 × 2-pixel blocks: "a" and "b" hold whole blocks (taken without rasterising), in two overlap layers
    _assert_same(criteria.zonal_statistics(path, units, stats=STATS, block_size=2), plain)
    assert ours.loc["d", "count"] == 0 and ours.loc["a", "count"] > 0


def test_zonal_statistics_refuses_median_and_unknown_stats():
    with pytest.raises(ValueError, match="median"):
        criteria.zonal_statistics(dem_path(), stats=("median",))
    with pytest.raises(ValueError, match="stats"):
        criteria.zonal_statistics(dem_path(), stats=("mode",))
    with pytest.raises(ValueError, match="band 3 does not exist"):
        criteria.zonal_statistics(dem_path(), band=3)


@pytest.mark.slow
def test_criteria_on_a_local_cluster_of_two_workers_equal_synchronous(shanghai_grid):
    from distributed import Client, LocalCluster

    base_z = criteria.zonal_statistics(dem_path(), stats=STATS, block_size=16)
    base_t = criteria.travel_time_to(shanghai_grid, "杭州市").compute()
    base_r = criteria.raster_values(shanghai_grid, dem_path()).compute()
    with dask.config.set(scheduler=None), LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                                         dashboard_address=None) as cluster, Client(cluster):
        _assert_same(criteria.zonal_statistics(dem_path(), stats=STATS, block_size=16), base_z)
        pd.testing.assert_series_equal(criteria.travel_time_to(shanghai_grid, "杭州市").compute(), base_t)
        pd.testing.assert_series_equal(criteria.raster_values(shanghai_grid, dem_path()).compute(), base_r)
