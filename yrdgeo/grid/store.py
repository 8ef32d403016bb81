"""Grid outputs: partitioned GeoParquet, Cloud-Optimised GeoTIFFs, a run record — all or nothing.

* :func:`write_parquet`: the cells (and any result columns) as GeoParquet, one file a partition,
  written by the workers in parallel; geometry is each cell's centre (small) or its square.
  ``geopandas.read_parquet(folder)`` and ``dask_geopandas.read_parquet(folder)`` read it.
* :func:`write_cog`: one result column as a Cloud-Optimised GeoTIFF on the grid's own raster
  (pixel (row, col) = cell (row, col)), nodata where there is no cell; written band by band, so
  the full array (36M cells at 100 m) is never in memory. QGIS opens it as a raster.
* :func:`write_outputs`: both, plus ``record.json`` (inputs, options, versions, elapsed time, cell
  counts), in one output folder that appears only when everything was written
  (:func:`yrdgeo.io.output_folder`).

Outputs are written from the process that calls these functions and, for GeoParquet and the
GeoTIFFs of :func:`write_outputs`, from the dask workers: with a remote cluster
(``client(scheduler=…)``), the folder must be on a file system the workers share.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from ..checks import check_choice, check_integer
from ._frames import require_columns
from .cells import Grid, GridSpec

__all__ = ["GEOMETRY_KINDS", "write_cog", "write_geopackage", "write_outputs", "write_parquet", "write_record"]

#: What the GeoParquet geometry of a cell is: its centre point or its square.
GEOMETRY_KINDS = ("centre", "cell")

# GeoTIFF block (tile) size: COG's default; a band of rows is written as whole windows of it.
_BLOCK = 512
# A GeoTIFF window written at once holds at most about this many pixels (4 MB of float64 values).
_WINDOW_CELLS = 2**19


# ----------------------------------------------------------------------------- GeoParquet


def _with_geometry(part: pd.DataFrame, spec: GridSpec, geometry: str):
    """Return one partition as a GeoDataFrame with the cells' centres or squares in the grid CRS."""
    import geopandas as gpd
    import shapely

    rows, cols = spec.row_col(part["cell_id"].to_numpy())
    if geometry == "cell":
        geoms = spec.squares(rows, cols)
    else:
        geoms = shapely.points(*spec.centres(rows, cols))
    return gpd.GeoDataFrame(part.reset_index(drop=True), geometry=geoms, crs=spec.crs)


def _frame_and_spec(grid_or_frame: Any, frame: Any, spec: GridSpec | None) -> tuple[Any, GridSpec]:
    """Return the frame to write and its grid spec, from a Grid or a frame with ``spec=``."""
    if isinstance(grid_or_frame, Grid):
        return (grid_or_frame.frame if frame is None else frame), grid_or_frame.spec
    if spec is None:
        msg = "write a frame with spec= (its GridSpec: CRS, cell size and corner), or pass the Grid"
        raise ValueError(msg)
    return grid_or_frame, spec


def _parquet_task(frame: Any, spec: GridSpec, folder: Path, geometry: str) -> Any:
    """Return the (lazy) writing of ``frame`` as GeoParquet files, one a partition, into ``folder``."""
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions with dask)
    import geopandas as gpd

    require_columns(frame, ["cell_id"])
    if not hasattr(frame, "dask"):
        frame = dd.from_pandas(frame, npartitions=1, sort=False)
    meta = _with_geometry(frame._meta, spec, geometry)
    geo = frame.map_partitions(_with_geometry, spec, geometry, meta=gpd.GeoDataFrame(meta, crs=spec.crs))
    return geo.to_parquet(folder, write_index=False, compression="zstd", compute=False)


def _parquet_rows(folder: Path) -> list[int]:
    """Return the rows of each GeoParquet file in ``folder``, in partition order."""
    import pyarrow.parquet as pq

    files = sorted(folder.glob("*.parquet"), key=lambda p: int("".join(c for c in p.stem if c.isdigit()) or 0))
    return [pq.ParquetFile(f).metadata.num_rows for f in files]


def _parquet_into(frame: Any, spec: GridSpec, folder: Path, geometry: str) -> list[int]:
    """Write ``frame`` as GeoParquet files into the existing ``folder``; return the rows of each file."""
    import dask

    dask.compute(_parquet_task(frame, spec, folder, geometry))
    return _parquet_rows(folder)


def write_parquet(grid_or_frame: Any, folder: str | os.PathLike, *, frame: Any = None, spec: GridSpec | None = None,
                  geometry: str = "centre", overwrite: bool = False) -> Path:
    """Return ``folder`` after writing the cells as partitioned GeoParquet (one file a partition), all or nothing.

    Parameters
    ----------
    grid_or_frame
        A :class:`~yrdgeo.grid.Grid` (its frame is written, or ``frame``: its frame with result
        columns), or a cell frame (dask or pandas, with ``cell_id``) together with ``spec``.
    folder
        The output folder: it appears only once every file is written.
    geometry
        ``"centre"`` (a point a cell, the default) or ``"cell"`` (its square; 5× the bytes).
    overwrite
        Replace a folder yrdgeo wrote earlier.
    """
    from ..io import output_folder

    check_choice("geometry", geometry, GEOMETRY_KINDS)
    data, spec = _frame_and_spec(grid_or_frame, frame, spec)
    with output_folder(folder, overwrite=overwrite, kind="grid") as build:
        _parquet_into(data, spec, build, geometry)
    return Path(folder)


def _geopackage_into(frame: Any, spec: GridSpec, path: Path, geometry: str, *, layer: str, batch: int) -> int:
    """Append ``frame``'s partitions, ``batch`` at a time, to a new GeoPackage layer at ``path``; return the rows."""
    import dask
    import pyogrio

    parts = frame.to_delayed() if hasattr(frame, "dask") else [frame]
    rows, created = 0, False
    for start in range(0, len(parts), batch):
        done = dask.compute(*parts[start:start + batch]) if hasattr(frame, "dask") else parts
        for part in done:
            if created and not len(part):
                continue
            pyogrio.write_dataframe(_with_geometry(part, spec, geometry), path, layer=layer, driver="GPKG",
                                    append=created)
            rows, created = rows + len(part), True
    return rows


def write_geopackage(grid_or_frame: Any, path: str | os.PathLike, *, frame: Any = None, spec: GridSpec | None = None,
                     geometry: str = "cell", layer: str = "cells", overwrite: bool = True, batch: int = 4) -> Path:
    """Return ``path`` after writing the cells as one GeoPackage layer, partition by partition (all or nothing).

    For QGIS: its GDAL (3.6 with QGIS 3.22) has no Parquet driver, so a vector layer of the cells
    for QGIS is a GeoPackage. Meant for grids of 1 km and coarser (360k squares, ~100 MB); the
    raster of a result (:func:`write_cog`) is the way to show finer grids. Arguments as in
    :func:`write_parquet`; ``geometry`` defaults to the squares.
    """
    from ..io import atomic_path

    check_choice("geometry", geometry, GEOMETRY_KINDS)
    check_integer("batch", batch)
    data, spec = _frame_and_spec(grid_or_frame, frame, spec)
    with atomic_path(path, overwrite=overwrite, layers=[layer]) as tmp:
        _geopackage_into(data, spec, Path(tmp), geometry, layer=layer, batch=batch)
    return Path(path)


# ----------------------------------------------------------------------------- GeoTIFF


def _raster_dtype(values_dtype: Any, dtype: str | None, nodata: float | None) -> tuple[str, float]:
    """Return the GeoTIFF dtype and nodata for a result column: float32 + NaN, int32 + its minimum, bool → uint8 + 255."""
    if isinstance(values_dtype, pd.CategoricalDtype):
        kind = "O"
    else:  # a pandas nullable Int64/boolean column (rank_cells' rank) is its numpy kind; its <NA> become nodata
        kind = np.dtype(getattr(values_dtype, "numpy_dtype", values_dtype)).kind
    if dtype is None:
        dtype = {"b": "uint8", "i": "int32", "u": "int32", "f": "float32"}.get(kind)
        if dtype is None:
            msg = f"a GeoTIFF holds numbers; the column is {values_dtype}"
            raise TypeError(msg)
    dt = np.dtype(dtype)
    if nodata is None:
        nodata = float("nan") if dt.kind == "f" else (255 if kind == "b" else np.iinfo(dt).min)
    return dt.name, nodata


def _cog_driver() -> bool:
    """Return whether this GDAL writes Cloud-Optimised GeoTIFFs itself (the COG driver, GDAL >= 3.1)."""
    import rasterio

    with rasterio.Env() as env:
        return "COG" in env.drivers()


def _band_batches(ids: Any, values: Any, batch: int):
    """Yield lists of (cell ids, values) numpy pairs, ``batch`` partitions computed at a time."""
    import dask

    if not hasattr(values, "dask"):
        yield [(np.asarray(values.index, dtype="int64"), values.to_numpy())]
        return
    if ids.npartitions != values.npartitions:
        msg = (f"values has {values.npartitions} partitions, the grid's frame {ids.npartitions}: pass a result "
               "aligned with grid.frame (made from it by assign or map_partitions)")
        raise ValueError(msg)
    pairs = list(zip(ids.to_delayed(), values.to_delayed()))
    for start in range(0, len(pairs), batch):
        done = dask.compute(*pairs[start:start + batch])
        yield [(np.asarray(i, dtype="int64"), np.asarray(v)) for i, v in done]


def _row_windows(cell_ids: np.ndarray, vals: np.ndarray, ncols: int):
    """Yield (first row, rows, cols, values) of runs of at most ``_BAND_CELLS // ncols`` rows (bounded windows)."""
    order = np.argsort(cell_ids, kind="stable")
    cell_ids, vals = cell_ids[order], vals[order]
    rows, cols = np.divmod(cell_ids, ncols)
    step = max(1, _WINDOW_CELLS // ncols)
    first = int(rows[0])
    cuts = np.flatnonzero(np.diff((rows - first) // step)) + 1
    for sel in np.split(np.arange(len(rows)), cuts):
        r = rows[sel]
        yield int(r[0]), r, cols[sel], vals[sel]


def _parquet_pairs(folder: Path, name: str):
    """Yield (cell ids, values of column ``name``) of each GeoParquet file in ``folder``, one file at a time."""
    import pyarrow.parquet as pq

    for f in sorted(folder.glob("*.parquet")):
        table = pq.read_table(f, columns=["cell_id", name]).to_pandas()
        yield table["cell_id"].to_numpy(dtype="int64"), table[name].to_numpy()


def _cog_into(spec: GridSpec, pairs: Iterable[tuple[np.ndarray, np.ndarray]], path: Path, *, values_dtype: Any,
              name: Any, dtype: str | None, nodata: float | None, resampling: str | None) -> dict[str, Any]:
    """Write the (cell ids, values) ``pairs`` as a COG at ``path`` (a tiled GTiff beside it first); return what was written."""
    import rasterio
    import rasterio.shutil
    from rasterio.enums import Resampling
    from rasterio.windows import Window

    dt, nodata = _raster_dtype(values_dtype, dtype, nodata)
    nullable = isinstance(values_dtype, pd.api.extensions.ExtensionDtype) and hasattr(values_dtype, "numpy_dtype")
    if resampling is None:
        resampling = "average" if np.dtype(dt).kind == "f" else "nearest"
    check_choice("resampling", resampling, [r.name for r in Resampling])
    stage = path.with_name(path.stem + ".stage.tif")
    profile = {"driver": "GTiff", "width": spec.ncols, "height": spec.nrows, "count": 1, "dtype": dt,
               "crs": spec.crs, "transform": spec.transform, "nodata": nodata, "tiled": True,
               "blockxsize": _BLOCK, "blockysize": _BLOCK, "compress": "deflate", "BIGTIFF": "IF_SAFER"}
    written = 0
    with rasterio.open(stage, "w", **profile) as dst:
        # A window of rows at a time: the raster is never whole in memory; rows without cells stay nodata.
        for cell_ids, vals in pairs:
            if len(cell_ids) != len(vals):
                msg = f"values and cells differ in length in a partition ({len(vals)} vs {len(cell_ids)})"
                raise ValueError(msg)
            if not len(cell_ids):
                continue
            if nullable:
                vals = pd.array(vals, dtype=values_dtype).to_numpy(dtype="float64", na_value=nodata)
            vals = np.asarray(vals, dtype="float64") if np.dtype(dt).kind == "f" else np.asarray(vals)
            if np.dtype(dt).kind != "f" and pd.isna(vals).any():
                msg = f"an integer GeoTIFF cannot hold missing values; pass dtype='float32' (column {name!r})"
                raise ValueError(msg)
            for r0, rows, cols, part in _row_windows(np.asarray(cell_ids, dtype="int64"), vals, spec.ncols):
                height = int(rows[-1]) - r0 + 1
                block = np.full((height, spec.ncols), nodata, dtype=dt)
                block[rows - r0, cols] = part
                dst.write(block, 1, window=Window(0, r0, spec.ncols, height))
            written += len(cell_ids)
    options = {"compress": "deflate", "resampling": resampling.upper()}
    if _cog_driver():
        rasterio.shutil.copy(stage, path, driver="COG", BLOCKSIZE=_BLOCK, BIGTIFF="IF_SAFER", **options)
    else:  # an older GDAL: a tiled GTiff with internal overviews is a valid COG layout too
        with rasterio.open(stage, "r+") as src:
            factors = [2**k for k in range(1, 12) if max(spec.ncols, spec.nrows) // 2**k >= _BLOCK // 2]
            src.build_overviews(factors, getattr(Resampling, resampling))
        rasterio.shutil.copy(stage, path, driver="GTiff", tiled=True, blockxsize=_BLOCK, blockysize=_BLOCK,
                             copy_src_overviews=True, compress="deflate", BIGTIFF="IF_SAFER")
    stage.unlink()
    return {"dtype": dt, "nodata": None if isinstance(nodata, float) and np.isnan(nodata) else nodata,
            "cells": written, "driver": "COG" if _cog_driver() else "GTiff"}


def _cog_layer(spec: GridSpec, folder: Path, name: str, path: Path, values_dtype: Any, _written: Any = None
               ) -> dict[str, Any]:
    """Write column ``name`` of the GeoParquet files in ``folder`` as a COG at ``path``; return what was written.

    A task of its own for each layer (``_written``: the files' writing it waits for), so the layers
    are written side by side on the workers.
    """
    return _cog_into(spec, _parquet_pairs(folder, name), path, values_dtype=values_dtype, name=name, dtype=None,
                     nodata=None, resampling=None)


def _values(grid: Grid, values: Any, frame: Any) -> tuple[Any, Any]:
    """Return (cell ids, values) aligned: a column name of ``frame``/the grid's frame, or a Series aligned with it."""
    data = grid.frame if frame is None else frame
    if isinstance(values, str):
        require_columns(data, [values])
        return data["cell_id"], data[values]
    if hasattr(values, "dask"):
        return data["cell_id"], values
    if isinstance(values, pd.Series):
        ids = np.asarray(values.index)
        if ids.dtype.kind not in "iu" or (len(ids) and (ids.min() < 0 or ids.max() >= grid.spec.size)):
            msg = "a pandas Series of values must be indexed by cell_id (as grid.frame is)"
            raise ValueError(msg)
        return None, values
    msg = f"values must be a column name, a dask Series aligned with grid.frame or a pandas Series; got {type(values).__name__}"
    raise TypeError(msg)


def write_cog(grid: Grid, values: Any, path: str | os.PathLike, *, frame: Any = None, dtype: str | None = None,
              nodata: float | None = None, resampling: str | None = None, overwrite: bool = True,
              batch: int = 4) -> Path:
    """Return ``path`` after writing one result as a Cloud-Optimised GeoTIFF of the grid (all or nothing).

    Parameters
    ----------
    grid
        The grid: the raster is its ``spec`` (CRS, transform, rows, columns).
    values
        A column of ``frame`` (default ``grid.frame``) by name, a dask Series aligned with
        ``grid.frame`` (same partitions and order), or a pandas Series indexed by cell_id.
    dtype, nodata
        Default: float32 with NaN for numbers, int32 with its minimum for integers, uint8 with 255
        for booleans. Pixels without a cell, and cells without a value, are nodata.
    resampling
        How overviews are computed: ``"average"`` for floats, ``"nearest"`` otherwise by default.
    batch
        Partitions computed at a time (in parallel on the cluster); memory holds about ``batch``
        bands of values.
    """
    from ..io import atomic_path

    check_integer("batch", batch)
    ids, series = _values(grid, values, frame)
    with atomic_path(path, overwrite=overwrite) as tmp:
        pairs = (pair for done in _band_batches(ids, series, batch) for pair in done)
        _cog_into(grid.spec, pairs, Path(tmp), values_dtype=series.dtype, name=series.name, dtype=dtype,
                  nodata=nodata, resampling=resampling)
    return Path(path)


# ----------------------------------------------------------------------------- run record


def _versions() -> dict[str, str | None]:
    """Return the versions of Python, yrdgeo and the libraries grid outputs depend on."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in ("yrdgeo", "numpy", "pandas", "geopandas", "shapely", "pyproj", "dask", "distributed",
                "dask-geopandas", "pyarrow", "rasterio"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    try:
        import rasterio

        out["gdal"] = rasterio.__gdal_version__
    except ImportError:
        out["gdal"] = None
    return out


def _spec_record(spec: GridSpec) -> dict[str, Any]:
    return {"cell_size_m": spec.cell_size, "cell_area_km2": spec.cell_area_km2, "x_min": spec.x_min,
            "y_max": spec.y_max, "ncols": spec.ncols, "nrows": spec.nrows, "crs": spec.crs.to_wkt(),
            "transform": list(spec.transform)[:6]}


def write_record(path: str | os.PathLike, grid: Grid, *, inputs: Iterable[str | os.PathLike] = (),
                 options: Mapping[str, Any] | None = None, outputs: Mapping[str, Any] | None = None,
                 seconds: float | None = None, command: Iterable[str] | None = None) -> Path:
    """Return ``path`` after writing a grid run's record (JSON): grid, inputs, options, versions, outputs, time.

    ``inputs`` are files the run read (recorded with SHA-256); ``outputs`` what the run wrote (row
    and cell counts per file); ``options`` the options of the run; ``seconds`` its elapsed time.
    """
    from ..io import jsonable, sha256

    files = []
    for p in inputs:
        if p is not None:
            files.append({"path": str(Path(p).resolve()), "sha256": sha256(Path(p))})
    record = {
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": list(command) if command is not None else None,
        "grid": _spec_record(grid.spec) | {"partitions": grid.npartitions, "bands": [list(b) for b in grid.bands]},
        "units": (None if grid.units is None else {"features": int(len(grid.units))}),
        "inputs": files,
        "options": jsonable(dict(options or {})),
        "versions": _versions(),
        "outputs": jsonable(dict(outputs or {})),
        "seconds": None if seconds is None else round(float(seconds), 2),
    }
    Path(path).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return Path(path)


def write_outputs(grid: Grid, folder: str | os.PathLike, *, frame: Any = None, layers: Iterable[str] = (),
                  geometry: str = "centre", geopackage: bool = False, tables: Mapping[str, pd.DataFrame] | None = None,
                  overwrite: bool = False, inputs: Iterable[str | os.PathLike] = (),
                  options: Mapping[str, Any] | None = None, command: Iterable[str] | None = None,
                  started: float | None = None) -> Path:
    """Return ``folder`` after writing a grid run: ``cells/`` (GeoParquet), ``<layer>.tif`` (COGs), ``record.json``.

    Parameters
    ----------
    grid, frame
        The grid and its frame with result columns (default ``grid.frame``).
    layers
        Result columns written as Cloud-Optimised GeoTIFFs too (one file each).
    geometry
        GeoParquet geometry: ``"centre"`` or ``"cell"``.
    geopackage
        Also write ``cells.gpkg`` (the squares, for QGIS; 1 km grids and coarser).
    tables
        Small tables to write as ``<name>.csv`` (UTF-8), e.g. roll-ups from :func:`yrdgeo.grid.rollup`.
    overwrite
        Replace a folder yrdgeo wrote earlier.
    inputs, options, command
        Recorded in ``record.json`` (input files with SHA-256).
    started
        ``time.perf_counter()`` at the start of the run, for the elapsed time (default: this call's start).

    Notes
    -----
    The folder appears only when every file is written (:func:`yrdgeo.io.output_folder`). The
    frame is computed once, for the GeoParquet (a file a partition, written by the workers); each
    GeoTIFF is then made from those files, one partition at a time, as a task of its own: the
    layers are written side by side on the workers, in the same run of the scheduler as the
    GeoParquet. With workers on other machines the folder must be on a file system they share.
    """
    import dask

    from ..io import output_folder

    t0 = time.perf_counter() if started is None else started
    check_choice("geometry", geometry, GEOMETRY_KINDS)
    data = grid.frame if frame is None else frame
    layers = list(layers)
    bad = [n for n in [*layers, *(tables or {})] if not n or any(c in n for c in '/\\:*?"<>|') or n.startswith(".")]
    if bad:
        msg = f"layer and table names become file names; {bad} cannot (no path separators, no leading dot)"
        raise ValueError(msg)
    require_columns(data, layers, what="the frame of the layers")
    inputs = [p for p in inputs if p is not None]
    with output_folder(folder, overwrite=overwrite, inputs=inputs, kind="grid", command=command) as build:
        cells = build / "cells"
        written = _parquet_task(data, grid.spec, cells, geometry).to_delayed()  # one kind of graph with the COGs'
        # from the GeoParquet once written: the cells' results are not computed once more for each layer
        cogs = [dask.delayed(_cog_layer, pure=False)(grid.spec, cells, name, build / f"{name}.tif", data[name].dtype,
                                                    written) for name in layers]
        _, made = dask.compute(written, cogs)
        rows = _parquet_rows(cells)
        outputs: dict[str, Any] = {"cells": {"format": "GeoParquet", "geometry": geometry, "files": len(rows),
                                             "rows": int(sum(rows)), "rows_per_file": rows}}
        if geopackage:
            n = _geopackage_into(data, grid.spec, build / "cells.gpkg", "cell", layer="cells", batch=4)
            outputs["cells.gpkg"] = {"format": "GeoPackage", "layer": "cells", "geometry": "cell", "rows": n}
        for name, table in (tables or {}).items():
            table.to_csv(build / f"{name}.csv", encoding="utf-8")
            outputs[f"{name}.csv"] = {"rows": int(len(table))}
        for name, made_layer in zip(layers, made):
            outputs[f"{name}.tif"] = made_layer
        write_record(build / "record.json", grid, inputs=inputs, command=command, outputs=outputs,
                     options=dict(options or {}) | {"layers": layers, "geometry": geometry, "geopackage": geopackage},
                     seconds=time.perf_counter() - t0)
    return Path(folder)
