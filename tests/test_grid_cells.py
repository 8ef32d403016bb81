"""yrdgeo.grid.cells: regular grids over the YRD in AREA_CRS, built band by band (issue 16)."""

from __future__ import annotations

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from yrdgeo import units
from yrdgeo.crs import AREA_CRS
from yrdgeo.grid import CELL_COLUMNS, Grid, GridSpec, make_grid
from yrdgeo.inputs import InputError

# The bundled counties cover 359,050 km² in AREA_CRS; a grid's count × cell area matches it within
# the sampling error of the coastline and borders: ±0.5 % at 10 km, ±0.2 % at 5 km.
YRD_KM2 = 359_050


@pytest.fixture(scope="module")
def grid10():
    with dask.config.set(scheduler="synchronous"):
        grid = make_grid(10_000)
        return grid, grid.compute()


@pytest.fixture(scope="module")
def grid5():
    grid = make_grid(5_000)
    return grid, grid.compute()


def test_frame_columns_dtypes_and_partitions(grid10):
    grid, cells = grid10
    assert isinstance(grid, Grid)
    assert dict(cells.dtypes.astype(str)) == CELL_COLUMNS
    assert list(cells.columns) == list(CELL_COLUMNS)
    assert grid.npartitions == len(grid.bands) >= 8
    assert grid.frame.known_divisions
    # index is the cell id, sorted; cell_id = row * ncols + col; centres follow the transform
    assert (cells.index.to_numpy() == cells["cell_id"].to_numpy()).all()
    assert cells["cell_id"].is_monotonic_increasing and cells["cell_id"].is_unique
    spec = grid.spec
    assert (cells["cell_id"] == cells["row"].astype("int64") * spec.ncols + cells["col"]).all()
    x, y = spec.transform * (cells["col"].to_numpy() + 0.5, cells["row"].to_numpy() + 0.5)
    np.testing.assert_allclose(cells["x"], x)
    np.testing.assert_allclose(cells["y"], y)
    rows, cols = spec.row_col(cells["cell_id"])
    assert (rows == cells["row"]).all() and (cols == cells["col"]).all()


def test_spec_is_snapped_and_north_up(grid10):
    spec = grid10[0].spec
    assert spec.crs == AREA_CRS
    assert spec.x_min % spec.cell_size == 0 and spec.y_max % spec.cell_size == 0
    assert spec.transform.e < 0  # row 0 is the northernmost
    x0, y0, x1, y1 = grid10[0].units.total_bounds
    bx0, by0, bx1, by1 = spec.bounds
    assert bx0 <= x0 and by0 <= y0 and bx1 >= x1 and by1 >= y1
    assert bx1 - x1 < spec.cell_size and y0 - by0 < spec.cell_size


@pytest.mark.parametrize("fixture, tolerance", [("grid10", 0.005), ("grid5", 0.002)])
def test_count_times_cell_area_is_the_yrd(fixture, tolerance, request):
    grid, cells = request.getfixturevalue(fixture)
    assert grid.spec.cell_area_km2 == (grid.spec.cell_size / 1000) ** 2
    assert len(cells) * grid.spec.cell_area_km2 == pytest.approx(YRD_KM2, rel=tolerance)
    assert cells["county"].nunique() > 250  # a few small districts have no 10 km cell centre


def test_cells_have_equal_geodesic_areas(grid10):
    """AREA_CRS is equal-area: every cell's area on the ellipsoid is the same, north or south, east or west."""
    grid, cells = grid10
    sample = cells.iloc[:: max(1, len(cells) // 300)]
    squares = gpd.GeoSeries(grid.spec.squares(sample["row"], sample["col"]), crs=AREA_CRS).to_crs(4326)
    geod = Geod(ellps="WGS84")
    # densify so the geodesic edges follow the projected straight edges
    areas = np.array([abs(geod.geometry_area_perimeter(shapely.segmentize(g, 0.005))[0]) for g in squares]) / 1e6
    np.testing.assert_allclose(areas, grid.spec.cell_area_km2, rtol=1e-4)


def test_every_centre_lies_in_its_county_and_city(grid10):
    grid, cells = grid10
    counties = units.load_units("county").set_index("adcode").to_crs(AREA_CRS)
    geoms = counties.geometry.loc[cells["county"].astype(str)].to_numpy()
    assert shapely.intersects_xy(geoms, cells["x"].to_numpy(), cells["y"].to_numpy()).all()
    cities = {int(c): int(units.ancestor(str(c), "city")) for c in cells["county"].unique()}
    assert (cells["city"] == cells["county"].map(cities)).all()
    assert set(cells["city"]) <= {int(c) for c in units.load_units("city")["adcode"]}


def test_no_cell_lost_or_duplicated_across_bands(grid10):
    """Bands of 2, 7 and 90 rows give the very same cells; each partition holds exactly its band's rows."""
    grid, cells = grid10
    with dask.config.set(scheduler="synchronous"):
        for rows in (2, 7, grid.spec.nrows):
            other = make_grid(10_000, partition_rows=rows)
            assert other.npartitions == -(-grid.spec.nrows // rows)
            pd.testing.assert_frame_equal(other.compute(), cells)
        parts = [make_grid(10_000, partition_rows=7).frame.get_partition(i).compute() for i in (0, 5, 12)]
    for part, (r0, r1) in zip(parts, [(0, 7), (35, 42), (84, 90)]):
        assert part["row"].between(r0, r1 - 1).all()
        assert len(part) == ((cells["row"] >= r0) & (cells["row"] < r1)).sum()


def test_bands_and_default_partitioning():
    spec = GridSpec(1000.0, 0.0, 0.0, 765, 896)
    bands = spec.bands()
    assert bands[0][0] == 0 and bands[-1][1] == 896 and len(bands) >= 8
    assert all(a[1] == b[0] for a, b in zip(bands, bands[1:]))
    big = GridSpec(100.0, 0.0, 0.0, 7650, 8960)
    assert max(r1 - r0 for r0, r1 in big.bands()) * big.ncols <= 2**19  # bounded partitions at 100 m


def test_planner_units_layer(counties):
    """A planner's layer (any CRS, codes in a column) tags cells by its own units; overlaps go to the first row."""
    picked = counties[counties["adcode"].isin(["320506", "320507", "320583"])][["adcode", "geometry"]].to_crs(4549)
    with dask.config.set(scheduler="synchronous"):
        grid = make_grid(2_000, units=picked)
        cells = grid.compute()
    assert set(cells["county"]) == {320506, 320507, 320583}
    assert set(cells["city"]) == {320500}
    area = picked.to_crs(AREA_CRS).area.sum() / 1e6
    assert len(cells) * 4 == pytest.approx(area, rel=0.03)
    # a unit that is not a bundled code still gets its city by the GB/T 2260 rule
    zone = gpd.GeoDataFrame({"code": ["320599"]}, geometry=[picked.geometry.iloc[0]], crs=picked.crs)
    with dask.config.set(scheduler="synchronous"):
        cells = make_grid(2_000, units=zone, key="code").compute()
    assert set(cells["county"]) == {320599} and set(cells["city"]) == {320500}


@pytest.mark.parametrize("size, match", [(0, "cell_size must be a positive number"),
                                         (-5, "cell_size must be a positive number"),
                                         (float("nan"), "cell_size must be a positive number"),
                                         ("1km", "cell_size must be a positive number"),
                                         (0.5, "cell_size is in metres")])
def test_bad_cell_size(size, match):
    with pytest.raises(ValueError, match=match):
        make_grid(size)


def test_bad_units(counties):
    no_code = counties[["geometry"]].head(3)
    with pytest.raises(InputError, match="no 'adcode' column"):
        make_grid(5_000, units=no_code)
    with pytest.raises(InputError, match="must be a GeoDataFrame"):
        make_grid(5_000, units=pd.DataFrame({"adcode": ["320506"]}))
    points = gpd.GeoDataFrame({"adcode": ["320506"]}, geometry=[shapely.Point(120.6, 31.3)], crs=4326)
    with pytest.raises(InputError, match="expected polygon"):
        make_grid(5_000, units=points)
    with pytest.raises(ValueError, match="partition_rows must be a whole number"):
        make_grid(5_000, partition_rows=0)
    with pytest.raises(ValueError, match="crs must be a projected CRS in metres"):
        make_grid(5_000, crs=4326)


def test_to_geopandas_squares(grid10):
    grid, cells = grid10
    gdf = grid.to_geopandas(["county"])
    assert len(gdf) == len(cells) and gdf.crs == AREA_CRS
    np.testing.assert_allclose(gdf.area, 1e8)
    assert shapely.contains_xy(gdf.geometry.array[:50], cells["x"].to_numpy()[:50], cells["y"].to_numpy()[:50]).all()
    with pytest.raises(ValueError, match="more than max_cells"):
        grid.to_geopandas(max_cells=10)


# ----------------------------------------------------------------------------- roll-up


@pytest.fixture(scope="module")
def results(grid5):
    """Result columns on the dask frame (same partitions) and the same computed, with gaps and weights."""
    grid, _ = grid5
    frame = grid.frame
    frame = frame.assign(value=(frame["x"] % 7_000) / 100.0 - 20.0,
                         pop=(frame["y"].abs() % 3_000) / 10.0)
    frame = frame.assign(value=frame["value"].where(frame["col"] % 11 != 0))  # missing values are left out
    return frame, frame.compute()


@pytest.mark.parametrize("by", ["county", "city"])
def test_rollup_equals_a_direct_groupby(results, by):
    from yrdgeo.grid import rollup

    frame, cells = results
    g = cells.groupby(by)
    mean = rollup(frame, "value", by=by)
    expected = g["value"].mean().dropna()
    expected.index = expected.index.astype(str)
    np.testing.assert_allclose(mean["value_mean"].loc[expected.index], expected, rtol=1e-12)
    count = g["value"].count()
    assert (mean["cells"].loc[expected.index].to_numpy() == count[count > 0].to_numpy()).all()
    share = rollup(frame, "value", by=by, how="share_above", threshold=5.0)
    above = cells.assign(a=(cells["value"] > 5).astype(float).where(cells["value"].notna())).groupby(by)["a"].mean().dropna()
    np.testing.assert_allclose(share["value_share_above"].loc[above.index.astype(str)], above, rtol=1e-12)
    wm = rollup(frame, "value", by=by, how="weighted_mean", weights="pop")
    ok = cells.dropna(subset=["value"])
    direct = (ok["value"] * ok["pop"]).groupby(ok[by]).sum() / ok["pop"].groupby(ok[by]).sum()
    np.testing.assert_allclose(wm["value_weighted_mean"].loc[direct.index.astype(str)], direct, rtol=1e-12)
    # the same from the computed pandas frame; names from the unit table
    pd.testing.assert_frame_equal(rollup(cells, "value", by=by), mean)
    assert mean.index.name == "adcode" and mean.index.is_monotonic_increasing
    assert mean.loc["320500" if by == "city" else "320505", "name_zh"] == ("苏州市" if by == "city" else "虎丘区")


@pytest.mark.parametrize("how", ["mean", "weighted_mean"])
def test_rollup_of_several_columns_in_one_pass(results, how):
    from yrdgeo.grid import rollup

    frame, _ = results
    frame = frame.assign(other=frame["pop"] * 0.5)
    kw = {"weights": "pop"} if how == "weighted_mean" else {}
    both = rollup(frame, ["value", "other"], by="county", how=how, **kw)
    one, two = rollup(frame, "value", how=how, **kw), rollup(frame, "other", how=how, **kw)
    assert list(both.columns) == ["name_zh", "name_en", f"value_{how}", f"other_{how}", "cells"]
    pd.testing.assert_series_equal(both[f"value_{how}"], one[f"value_{how}"])
    pd.testing.assert_series_equal(both[f"other_{how}"], two[f"other_{how}"])
    pd.testing.assert_series_equal(both["cells"], one["cells"])  # the first column's cells with a value


def test_rollup_refusals(results):
    from yrdgeo.grid import rollup

    frame, cells = results
    with pytest.raises(ValueError, match="how must be one of"):
        rollup(frame, "value", how="median")
    with pytest.raises(ValueError, match="by must be one of"):
        rollup(frame, "value", by="province")
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        rollup(frame, "value", how="share_above")
    with pytest.raises(ValueError, match="needs weights="):
        rollup(frame, "value", how="weighted_mean")
    with pytest.raises(KeyError, match="no column 'nope'"):
        rollup(frame, "nope")
    with pytest.raises(ValueError, match="must be non-negative"):
        rollup(cells.assign(pop=-cells["pop"]), "value", how="weighted_mean", weights="pop")
    with pytest.raises(ValueError, match="give a column"):
        rollup(frame, [])


# ----------------------------------------------------------------------------- cluster


def test_unreachable_scheduler_is_named():
    from yrdgeo.grid import client

    with pytest.raises(ConnectionError, match=r"no dask scheduler answered at tcp://127\.0\.0\.1:9 within 1 s"):
        with client(scheduler="tcp://127.0.0.1:9", timeout=1):
            pass
    with pytest.raises(ValueError, match="scheduler must be a dask scheduler address such as tcp://host:8786"):
        with client(scheduler="localhost:8786"):
            pass
    with pytest.raises(ValueError, match="has its own workers"):
        with client(scheduler="tcp://127.0.0.1:9", workers=2):
            pass
    with pytest.raises(ValueError, match="workers must be a whole number"):
        with client(workers=0):
            pass


@pytest.mark.slow
def test_two_worker_local_cluster_gives_the_same_grid(grid10, results):
    """Processes on a 2-worker LocalCluster (and a client by address on it) build the same cells and roll-ups."""
    from yrdgeo.grid import client, rollup

    _, cells = grid10
    frame, computed = results
    with client(workers=2, memory_limit="1GB") as c:
        assert len(c.scheduler_info()["workers"]) == 2
        # the per-task stack profiler (slowed blocks 1.6-2x in workers) is off in the workers
        assert set(c.run(lambda: dask.config.get("distributed.worker.profile.enabled")).values()) == {False}
        pd.testing.assert_frame_equal(make_grid(10_000, partition_rows=9).compute(), cells)
        with client(scheduler=c.scheduler.address) as by_address:
            assert by_address.scheduler.address == c.scheduler.address
            pd.testing.assert_frame_equal(rollup(frame, "value", by="city"), rollup(computed, "value", by="city"))
