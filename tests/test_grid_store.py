"""yrdgeo.grid.store: GeoParquet, Cloud-Optimised GeoTIFF, GeoPackage and the run record (issue 16)."""

from __future__ import annotations

import json

import dask
import dask_geopandas
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio

from yrdgeo.crs import AREA_CRS
from yrdgeo.grid import make_grid, write_cog, write_geopackage, write_outputs, write_parquet
from yrdgeo.io import MARKER


@pytest.fixture(scope="module")
def result():
    """A 10 km grid with a float result (missing in some cells), an integer and a boolean one."""
    grid = make_grid(10_000, partition_rows=11)
    frame = grid.frame
    frame = frame.assign(value=(frame["x"] / 1000.0).where(frame["row"] % 5 != 0),
                         big=frame["county"] > 340000)
    with dask.config.set(scheduler="synchronous"):
        cells = frame.compute()
    return grid, frame, cells


def test_geoparquet_read_by_geopandas_and_dask_geopandas(result, tmp_path):
    grid, frame, cells = result
    for geometry in ("centre", "cell"):
        out = write_parquet(grid, tmp_path / geometry, frame=frame, geometry=geometry)
        assert len(list(out.glob("*.parquet"))) == grid.npartitions  # one file a partition
        back = gpd.read_parquet(out).sort_values("cell_id").reset_index(drop=True)
        assert back.crs == AREA_CRS
        pd.testing.assert_frame_equal(back.drop(columns="geometry"), cells.reset_index(drop=True))
        if geometry == "centre":
            np.testing.assert_allclose(back.geometry.x, cells["x"])
            np.testing.assert_allclose(back.geometry.y, cells["y"])
        else:
            np.testing.assert_allclose(back.area, 1e8)
        lazy = dask_geopandas.read_parquet(out)
        assert lazy.npartitions == grid.npartitions and lazy.crs == AREA_CRS
        assert len(lazy) == len(cells)


def test_write_parquet_needs_a_spec_for_a_bare_frame(result, tmp_path):
    grid, frame, _ = result
    with pytest.raises(ValueError, match="spec="):
        write_parquet(frame, tmp_path / "x")
    write_parquet(frame, tmp_path / "x", spec=grid.spec)
    with pytest.raises(ValueError, match="geometry must be one of 'centre', 'cell'"):
        write_parquet(grid, tmp_path / "y", geometry="square")
    with pytest.raises(FileExistsError):
        write_parquet(grid, tmp_path / "x", spec=grid.spec)


def test_cog_values_at_known_cells(result, tmp_path):
    grid, frame, cells = result
    path = write_cog(grid, "value", tmp_path / "value.tif", frame=frame)
    with rasterio.open(path) as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert src.crs == rasterio.crs.CRS.from_wkt(AREA_CRS.to_wkt())
        assert src.transform == grid.spec.transform and src.shape == (grid.spec.nrows, grid.spec.ncols)
        assert src.dtypes[0] == "float32" and np.isnan(src.nodata)
        assert src.block_shapes[0] == (512, 512)
        a = src.read(1)
    expected = cells["value"].to_numpy(dtype="float32")
    np.testing.assert_array_equal(a[cells["row"], cells["col"]], expected)  # NaN where a cell has no value
    empty = np.ones(a.shape, bool)
    empty[cells["row"], cells["col"]] = False
    assert np.isnan(a[empty]).all()  # no cell: nodata
    # the pixel at a cell's centre, found by coordinates, is that cell
    one = cells.dropna(subset=["value"]).iloc[len(cells) // 3]
    with rasterio.open(path) as src:
        assert next(src.sample([(one["x"], one["y"])]))[0] == np.float32(one["value"])
    # integers and booleans: int32 / uint8 with their own nodata; a pandas Series by cell_id
    with rasterio.open(write_cog(grid, cells["county"], tmp_path / "county.tif")) as src:
        c = src.read(1)
        assert src.dtypes[0] == "int32" and src.nodata == np.iinfo("int32").min
        assert (c[cells["row"], cells["col"]] == cells["county"]).all() and (c[empty] == src.nodata).all()
    with rasterio.open(write_cog(grid, frame["big"], tmp_path / "big.tif", batch=1)) as src:
        assert src.dtypes[0] == "uint8" and src.nodata == 255
        assert (src.read(1)[cells["row"], cells["col"]] == cells["big"]).all()
    # a pandas nullable integer (rank_cells' rank): int32, its <NA> written as nodata
    rank = pd.Series(np.arange(len(cells)), index=cells.index, dtype="Int64").where(cells["row"] % 3 != 0)
    with rasterio.open(write_cog(grid, rank, tmp_path / "rank.tif")) as src:
        r = src.read(1)[cells["row"], cells["col"]]
        assert src.dtypes[0] == "int32" and src.nodata == np.iinfo("int32").min
        na = rank.isna().to_numpy()
        assert na.any() and (r[na] == src.nodata).all() and (r[~na] == rank[~na].to_numpy(dtype="int64")).all()


def test_cog_windows_do_not_change_the_raster(result, tmp_path, monkeypatch):
    """Windows of 2 rows (a pandas Series is split by rows, never written whole) give the same pixels."""
    from yrdgeo.grid import store

    grid, frame, cells = result
    whole = write_cog(grid, cells["value"], tmp_path / "whole.tif")
    monkeypatch.setattr(store, "_WINDOW_CELLS", 2 * grid.spec.ncols)
    small = write_cog(grid, cells["value"].sample(frac=1, random_state=0), tmp_path / "small.tif")
    with rasterio.open(whole) as a, rasterio.open(small) as b:
        np.testing.assert_array_equal(a.read(1), b.read(1))


def test_cog_refusals(result, tmp_path):
    grid, frame, cells = result
    with pytest.raises(KeyError, match="no column 'nope'"):
        write_cog(grid, "nope", tmp_path / "n.tif")
    with pytest.raises(ValueError, match="partitions"):
        write_cog(grid, frame["value"].repartition(npartitions=2), tmp_path / "n.tif")
    with pytest.raises(ValueError, match="indexed by cell_id"):
        write_cog(grid, cells["value"].reset_index(drop=True).set_axis(-np.arange(len(cells)) - 1), tmp_path / "n.tif")
    with pytest.raises(ValueError, match="cannot hold missing values"):
        write_cog(grid, "value", tmp_path / "n.tif", frame=frame, dtype="int32")
    assert not list(tmp_path.iterdir())  # all or nothing


def test_outputs_folder_record_and_qgis(result, tmp_path, qgis_app):
    from qgis.core import QgsRasterLayer, QgsVectorLayer

    grid, frame, cells = result
    out = write_outputs(grid, tmp_path / "run", frame=frame, layers=["value", "county"], geopackage=True,
                        options={"cell_size": 10_000}, command=["yrdgeo", "grid"])
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "cells", "cells.gpkg", "county.tif",
                                                            "record.json", "value.tif"])
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert record["grid"]["cell_size_m"] == 10_000 and record["grid"]["partitions"] == grid.npartitions
    assert record["outputs"]["cells"]["rows"] == len(cells) == record["outputs"]["cells.gpkg"]["rows"]
    assert record["outputs"]["value.tif"]["cells"] == len(cells)
    assert record["options"]["cell_size"] == 10_000 and record["versions"]["dask"]
    assert record["seconds"] >= 0
    raster = QgsRasterLayer(str(out / "value.tif"), "value")
    assert raster.isValid() and raster.width() == grid.spec.ncols and raster.height() == grid.spec.nrows
    assert "aea" in raster.crs().toProj()
    vector = QgsVectorLayer(f"{out / 'cells.gpkg'}|layername=cells", "cells", "ogr")
    assert vector.isValid() and vector.featureCount() == len(cells)
    # a failing layer leaves nothing behind
    with pytest.raises(KeyError):
        write_outputs(grid, tmp_path / "bad", frame=frame, layers=["nope"])
    assert not (tmp_path / "bad").exists()


def test_geopackage_partition_by_partition(result, tmp_path):
    grid, frame, cells = result
    path = write_geopackage(grid, tmp_path / "cells.gpkg", frame=frame, batch=2)
    back = gpd.read_file(path, layer="cells")
    assert len(back) == len(cells) and back.crs == AREA_CRS
    np.testing.assert_allclose(back.area, 1e8)
    assert (back["cell_id"].to_numpy() == cells["cell_id"].to_numpy()).all()


# ----------------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def dem(tmp_path_factory):
    """A synthetic lon/lat raster over the YRD (values are row + column, not data about anything)."""
    from rasterio.transform import from_origin

    path = tmp_path_factory.mktemp("dem") / "dem.tif"
    a = np.add.outer(np.arange(160), np.arange(180)).astype("float32")
    with rasterio.open(path, "w", driver="GTiff", width=180, height=160, count=1, dtype="float32", crs="EPSG:4326",
                       transform=from_origin(114.5, 35.5, 0.05, 0.05), nodata=-9999) as dst:
        dst.write(a, 1)
    return path


def test_cli_grid_refuses_before_starting_a_cluster(tmp_path, capsys, dem):
    from yrdgeo.cli import main

    assert main(["grid", "--cell-size", "10000", "--out", str(tmp_path / "o"), "--raster", "dem"]) == 2
    assert "expected NAME=PATH" in capsys.readouterr().err
    assert main(["grid", "--cell-size", "10000", "--out", str(tmp_path / "o"), "--raster",
                 f"dem={tmp_path / 'missing.tif'}"]) == 2
    assert "missing.tif" in capsys.readouterr().err
    assert main(["grid", "--cell-size", "-1", "--out", str(tmp_path / "o"), "--rollup", "province",
                 "--raster", f"dem={dem}"]) == 2
    assert "--rollup must be one of 'county', 'city'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_cli_grid_gives_the_library_numbers(tmp_path, capsys, dem):
    from yrdgeo.cli import main
    from yrdgeo.grid import raster_values, rollup

    out = tmp_path / "run"
    assert main(["grid", "--cell-size", "20000", "--out", str(out), "--raster", f"dem={dem}", "--rollup",
                 "county,city", "--workers", "1", "--memory-limit", "1GB"]) == 0
    assert "cells of 20000 m" in capsys.readouterr().out
    with dask.config.set(scheduler="synchronous"):
        grid = make_grid(20_000)
        frame = grid.frame.assign(dem=raster_values(grid, dem, name="dem"))
        expected = rollup(frame, "dem", by="city")
        cells = frame.compute()
    got = pd.read_csv(out / "rollup_city.csv", dtype={"adcode": str}).set_index("adcode")
    np.testing.assert_allclose(got["dem_mean"], expected["dem_mean"])
    assert (got["cells"] == expected["cells"]).all()
    with rasterio.open(out / "dem.tif") as src:
        np.testing.assert_allclose(src.read(1)[cells["row"], cells["col"]], cells["dem"].astype("float32"))
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert record["command"] == ["yrdgeo", "grid", "--cell-size", "20000", "--out", str(out), "--workers", "1",
                                 "--memory-limit", "1GB", "--raster", f"dem={dem}", "--rollup", "county,city"]
    assert record["inputs"][0]["path"] == str(dem.resolve())
