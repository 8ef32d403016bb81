"""The grid algorithm in real QGIS equals the library's grid_analysis on a coarse grid (issue 16)."""

from __future__ import annotations

import dask
import geopandas as gpd
import numpy as np
import pytest
import rasterio

import yrdgeo.grid as yg
from yrdgeo.raster import dem_path

CELL = 20_000  # coarse: the algorithm's 1 km default would take minutes here
STATS = {"permutations": 99, "seed": 7, "missing": "drop"}


@pytest.fixture(scope="module")
def library():
    with dask.config.set(scheduler="synchronous"):
        return yg.grid_analysis(CELL, rasters={"raster": dem_path()}, travel_time={"centre": "上海市", "date": "2020"},
                                lisa="raster", statistics=STATS, rollup=None, compute=True)


def test_cells_equal_the_library_pipeline(run_alg, library, tmp_path):
    out, tif = tmp_path / "cells.gpkg", tmp_path / "lisa.tif"
    res, feedback = run_alg("grid_analysis", {
        "CELL_SIZE": CELL, "DEM": True, "CENTRE": "上海市", "AS_OF": "2020", "LISA": 1, "PERMUTATIONS": 99,
        "SEED": 7, "RESULT": 3, "OUTPUT": str(out), "RESULT_RASTER": str(tif)})
    want = library.cells
    got = gpd.read_file(res["OUTPUT"]).set_index("cell_id").sort_index()
    assert res["CELLS"] == len(want) == len(got)
    assert got.crs.equals(yg.make_grid(CELL).spec.crs)  # the grid's equal-area CRS by default
    np.testing.assert_allclose(got.area, CELL**2)  # squares
    for column in ("row", "col", "county", "city"):
        np.testing.assert_array_equal(got[column], want[column])
    for column in ("raster", "time_min", "lisa_raster_i", "lisa_raster_p"):
        np.testing.assert_allclose(got[column].astype(float), want[column], rtol=1e-12)
    assert list(got["lisa_raster_cluster"]) == list(want["lisa_raster_cluster"])
    with rasterio.open(res["RESULT_RASTER"]) as src:
        pixels = src.read(1)
    np.testing.assert_array_equal(pixels[want["row"], want["col"]], want["lisa_raster_geoda"])
    assert any("cells of 20000 m" in line for line in feedback.infos)


def test_lisa_of_a_criterion_not_computed_is_refused_before_any_output(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    out = tmp_path / "cells.gpkg"
    with pytest.raises(QgsProcessingException, match="LISA"):
        run_alg("grid_analysis", {"CELL_SIZE": CELL, "CENTRE": "上海市", "LISA": 1, "OUTPUT": str(out)})
    assert not out.exists()


def test_cell_size_below_the_minimum_is_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="CELL_SIZE"):
        run_alg("grid_analysis", {"CELL_SIZE": 100, "OUTPUT": str(tmp_path / "x.gpkg")})


@pytest.mark.slow
def test_on_an_existing_cluster_by_its_address(run_alg, library, tmp_path):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster):
        res, _ = run_alg("grid_analysis", {
            "CELL_SIZE": CELL, "DEM": True, "CENTRE": "上海市", "AS_OF": "2020", "LISA": 1, "PERMUTATIONS": 99,
            "SEED": 7, "SCHEDULER": cluster.scheduler_address, "OUTPUT": str(tmp_path / "cells.gpkg")})
    got = gpd.read_file(res["OUTPUT"]).set_index("cell_id").sort_index()
    np.testing.assert_allclose(got["lisa_raster_i"].astype(float), library.cells["lisa_raster_i"], rtol=1e-12)
    assert list(got["lisa_raster_cluster"]) == list(library.cells["lisa_raster_cluster"])
