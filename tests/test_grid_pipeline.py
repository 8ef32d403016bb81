"""yrdgeo.grid.grid_analysis: the whole grid run in one call equals its parts called one by one (issue 16)."""

from __future__ import annotations

import json

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio

import yrdgeo.grid as yg
from yrdgeo.raster import dem_path

CELL = 20_000  # 20 km: ~900 cells, quick
STATS = {"permutations": 99, "seed": 7}
RANK = {"criteria": {"dem": "cost", "time_min": "cost"}, "missing": "exclude"}
TRAVEL = {"centre": "上海市", "date": "2020"}


def _run(out=None, **kw):
    return yg.grid_analysis(CELL, rasters={"dem": dem_path()}, travel_time=TRAVEL, lisa="dem", gi_star="dem",
                            statistics=STATS, rank=RANK, rollup=("county", "city"), compute=True, out=out, **kw)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("grid") / "run"
    with dask.config.set(scheduler="synchronous"):
        return _run(out)


@pytest.fixture(scope="module")
def parts():
    """The same chain called part by part."""
    with dask.config.set(scheduler="synchronous"):
        grid = yg.make_grid(CELL)
        frame = grid.frame.assign(dem=yg.raster_values(grid, dem_path(), name="dem"),
                                  time_min=yg.travel_time_to(grid, **TRAVEL))
        frame = yg.local_moran(grid, "dem", frame=frame, prefix="lisa_dem_", **STATS).frame
        frame = yg.gi_star(grid, "dem", frame=frame, prefix="gi_dem_", **STATS).frame
        frame = yg.rank_cells(frame, **RANK).frame
        return grid, frame.compute()


def test_pipeline_columns_equal_the_parts(run, parts):
    _, cells = parts
    assert list(run.cells.columns) == list(cells.columns)
    pd.testing.assert_frame_equal(run.cells, cells)
    assert run.criteria == ["dem", "time_min"]
    assert run.layers == ["dem", "time_min", "lisa_dem_i", "lisa_dem_p", "lisa_dem_geoda", "gi_dem_z", "gi_dem_p",
                          "score", "rank"]
    assert set(run.lisa) == {"dem"} and set(run.gi_star) == {"dem"}
    assert run.summary()["cells"] == len(cells)


def test_a_ranking_reading_the_statistics_runs_after_them(parts):
    """A function constraint sees the LISA columns: the ranking then runs on the statistics' frame (the one
    of the criteria alone runs beside them); either way the numbers are those of the parts."""
    grid, cells = parts

    def hot(part):
        return part["lisa_dem_cluster"].astype(str) == "HH"

    rank = RANK | {"constraints": {"in a high-high cluster": hot}}
    with dask.config.set(scheduler="synchronous"):
        res = yg.grid_analysis(CELL, rasters={"dem": dem_path()}, travel_time=TRAVEL, lisa="dem", statistics=STATS,
                               rank=rank, rollup=None, compute=True)
        frame = yg.local_moran(grid, "dem", frame=grid.frame.assign(
            dem=yg.raster_values(grid, dem_path(), name="dem"), time_min=yg.travel_time_to(grid, **TRAVEL)),
            prefix="lisa_dem_", **STATS).frame
        want = yg.rank_cells(frame, **rank).frame.compute()
    pd.testing.assert_frame_equal(res.cells, want)
    assert (res.cells["exclusion_reason"] == "in a high-high cluster").sum() == res.lisa["dem"].counts["HH"]


def test_rollup_tables_equal_rollup(run):
    for level in ("county", "city"):
        table = run.tables[f"rollup_{level}"]
        for column in ("dem", "time_min", "score"):
            direct = yg.rollup(run.cells, column, by=level)
            pd.testing.assert_series_equal(table[f"{column}_mean"], direct[f"{column}_mean"])
        assert list(table.columns[:2]) == ["name_zh", "name_en"] and table.columns[-1] == "cells"


def test_outputs_readable_by_geopandas_and_rasterio(run):
    out = run.out
    back = gpd.read_parquet(out / "cells").set_index("cell_id").sort_index()
    assert len(back) == len(run.cells)
    np.testing.assert_allclose(back["score"], run.cells["score"])
    spec = run.grid.spec
    for layer in run.layers:
        with rasterio.open(out / f"{layer}.tif") as src:
            assert (src.height, src.width) == (spec.nrows, spec.ncols)
            pixels, nodata = src.read(1), src.nodata
        got = pixels[run.cells["row"].to_numpy(), run.cells["col"].to_numpy()].astype("float64")
        if layer == "rank":  # an int32 GeoTIFF: unranked cells would be nodata (tests/test_grid_store.py)
            got[got == nodata] = np.nan
        expected = run.cells[layer].to_numpy(dtype="float64", na_value=np.nan)
        np.testing.assert_allclose(got, expected, rtol=1e-6)  # float32 in the COG
    table = pd.read_csv(out / "rollup_county.csv", dtype={"adcode": str}).set_index("adcode")
    np.testing.assert_allclose(table["dem_mean"], run.tables["rollup_county"]["dem_mean"])
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert record["outputs"]["cells"]["rows"] == len(run.cells)
    assert record["options"]["lisa"] == ["dem"]


@pytest.mark.parametrize(("kw", "error", "match"), [
    ({"lisa": "nope"}, ValueError, "lisa: no column 'nope'"),
    ({"rasters": {"dem": "/no/such.tif"}}, FileNotFoundError, "no such file"),
    ({"rasters": {"de/m": dem_path()}}, ValueError, "cannot be a layer name"),
    ({"rollup": "province"}, ValueError, "rollup"),
    ({"rank": {"criteria": {"slope": "cost"}}}, ValueError, "rank criteria: no column 'slope'"),
    ({"rank": {"criteria": {"cell_id": "cost"}, "weigths": "equal"}}, TypeError, "weigths"),
    ({"statistics": {"permutation": 9}}, TypeError, "permutation"),
    ({"travel_time": {"center": "上海市"}}, TypeError, "center"),
    ({"layers": ["slope"]}, ValueError, "layers: no column 'slope'"),
    ({"geometry": "square"}, ValueError, "geometry"),
    ({"cell_size": -5}, ValueError, "cell_size"),
])
def test_bad_input_writes_nothing(tmp_path, kw, error, match):
    out = tmp_path / "out"
    args = {"cell_size": CELL, "rasters": {"dem": dem_path()}, "out": out} | kw
    cell_size = args.pop("cell_size")
    with pytest.raises(error, match=match):
        yg.grid_analysis(cell_size, **args)
    assert not out.exists()


def test_no_output_folder_when_out_is_none():
    with dask.config.set(scheduler="synchronous"):
        res = yg.grid_analysis(50_000, rollup=None)
    assert res.out is None and res.tables == {} and res.layers == []
    assert len(res.frame.compute()) == len(yg.make_grid(50_000).compute())


@pytest.mark.slow
def test_pipeline_on_a_two_worker_cluster_by_its_address(run):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster):
        res = _run(scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(res.cells, run.cells)



def test_cli_refuses_bad_options_before_any_work(tmp_path, capsys):
    from yrdgeo.cli import main

    out = tmp_path / "o"
    base = ["grid", "--cell-size", str(CELL), "--out", str(out)]
    assert main([*base, "--rank", "dem"]) == 2
    assert "expected NAME=DIRECTION" in capsys.readouterr().err
    assert main([*base, "--as-of", "2020"]) == 2
    assert "give --centre" in capsys.readouterr().err
    assert main([*base, "--lisa", "dem"]) == 2
    assert "lisa: no column 'dem'" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_cli_equals_the_library(run, tmp_path, capsys):
    from yrdgeo.cli import main

    out = tmp_path / "cli"
    assert main(["grid", "--cell-size", str(CELL), "--out", str(out), "--raster", f"dem={dem_path()}",
                 "--centre", TRAVEL["centre"], "--as-of", TRAVEL["date"], "--lisa", "dem", "--gi-star", "dem",
                 "--permutations", str(STATS["permutations"]), "--seed", str(STATS["seed"]),
                 "--rank", "dem=cost", "--rank", "time_min=cost", "--rollup", "county,city", "--workers", "1"]) == 0
    assert f"cells of {CELL} m" in capsys.readouterr().out
    cells = gpd.read_parquet(out / "cells").drop(columns="geometry").set_index("cell_id").sort_index()
    cells.index.name = None
    pd.testing.assert_frame_equal(cells[run.cells.columns.drop("cell_id")], run.cells.drop(columns="cell_id"),
                                  check_dtype=False)
    for level in ("county", "city"):
        table = pd.read_csv(out / f"rollup_{level}.csv", dtype={"adcode": str}).set_index("adcode")
        pd.testing.assert_frame_equal(table, run.tables[f"rollup_{level}"], check_dtype=False)
    assert sorted(p.name for p in out.glob("*.tif")) == sorted(f"{name}.tif" for name in run.layers)
