"""One call for a whole grid run: cells, criteria, LISA/Gi*, ranking, roll-ups and outputs, on dask.

:func:`grid_analysis` chains the parts of :mod:`yrdgeo.grid` — :func:`~yrdgeo.grid.make_grid`,
:func:`~yrdgeo.grid.raster_values`, :func:`~yrdgeo.grid.travel_time_to`,
:func:`~yrdgeo.grid.local_moran`, :func:`~yrdgeo.grid.gi_star`, :func:`~yrdgeo.grid.rank_cells`,
:func:`~yrdgeo.grid.rollup` and :func:`~yrdgeo.grid.write_outputs` — in the order a planner runs
them, so that the library, ``yrdgeo grid`` and the QGIS algorithm share one code path. Every
option is checked before any cell is computed or any file written.
"""

from __future__ import annotations

import inspect
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import dask.dataframe as dd
import pandas as pd

from ..checks import check_choice, check_number
from ..choices import DEFAULT_SEED
from ._frames import with_columns
from .cells import CELL_COLUMNS, Grid, make_grid
from .cluster import client as open_client
from .criteria import raster_values, travel_time_to
from .rank import GridRankingResult, rank_cells
from . import stats
from .stats import GridLocalResult
from .store import GEOMETRY_KINDS, write_outputs
from . import zonal
from .zonal import ROLLUP_BY

__all__ = ["GridAnalysisResult", "grid_analysis"]

#: The column of the travel time to the centre (minutes).
TRAVEL_COLUMN = "time_min"
# Characters a layer name cannot hold: layers become file names (<name>.tif).
_BAD_NAME = set('/\\:*?"<>|= ,')


@dataclass
class GridAnalysisResult:
    """A grid run: the cells with every result column, the roll-up tables and the summaries.

    Attributes
    ----------
    grid : Grid
        The grid (spec, bands, units).
    frame : dask.dataframe.DataFrame
        The cells with the criteria and result columns, held on the cluster of the run (while that
        cluster is open; after :func:`grid_analysis` closed its own cluster, read the written
        GeoParquet instead, or pass ``compute=True``): the cells and criteria, each statistic's
        columns and the ranking's stay persisted once each, and are joined per partition when read.
    cells : pandas.DataFrame or None
        The same cells computed (``compute=True``), indexed by ``cell_id``.
    layers : list of str
        The result columns written as Cloud-Optimised GeoTIFFs.
    criteria : list of str
        The criterion columns (rasters, travel time).
    tables : dict
        ``{"rollup_county": table, ...}``: each criterion's (and the score's) mean per unit.
    lisa, gi_star : dict
        ``{column: GridLocalResult}``.
    ranking : GridRankingResult or None
    out : Path or None
        The output folder, when written.
    seconds : float
        Elapsed time of the run.
    """

    grid: Grid
    frame: Any
    cells: pd.DataFrame | None
    layers: list[str]
    criteria: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    lisa: dict[str, GridLocalResult] = field(default_factory=dict)
    gi_star: dict[str, GridLocalResult] = field(default_factory=dict)
    ranking: GridRankingResult | None = None
    out: Path | None = None
    seconds: float = 0.0

    def summary(self) -> dict:
        """Return the run as a flat dict: grid, cells, layers and the statistics' counts."""
        spec = self.grid.spec
        out: dict[str, Any] = {"cell_size": spec.cell_size, "rows": spec.nrows, "cols": spec.ncols,
                               "partitions": self.grid.npartitions, "layers": list(self.layers),
                               "out": None if self.out is None else str(self.out), "seconds": round(self.seconds, 2)}
        if self.cells is not None:
            out["cells"] = int(len(self.cells))
        for kind, results in (("lisa", self.lisa), ("gi_star", self.gi_star)):
            for column, res in results.items():
                out[f"{kind}_{column}"] = res.summary()
        if self.ranking is not None:
            out["ranked"], out["rank_excluded"] = self.ranking.n_ranked, self.ranking.n_excluded
            out["weights"] = {k: float(v) for k, v in self.ranking.weights.items()}
        return out


def _keywords(func: Callable, given: Mapping[str, Any], *, what: str, skip: Iterable[str]) -> dict[str, Any]:
    """Return ``given`` as keywords of ``func`` after refusing a name ``func`` does not take (naming those it does)."""
    allowed = [p for p in inspect.signature(func).parameters if p not in set(skip)]
    unknown = [k for k in given if k not in allowed]
    if unknown:
        msg = f"{what}: unknown option(s) {unknown}; expected some of {allowed}"
        raise TypeError(msg)
    return dict(given)


def _check_name(name: Any, what: str) -> str:
    """Return ``name`` when it can be a column and a file name; raise ValueError otherwise."""
    if not isinstance(name, str) or not name.strip() or name.startswith(".") or _BAD_NAME & set(name):
        msg = (f"{what} {name!r} cannot be a layer name: it becomes a column and a file name "
               "(letters, digits, _ and -; e.g. dem)")
        raise ValueError(msg)
    return name


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    """Return a column or columns as a list (None: empty)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _require(columns: Iterable[str], known: list[str], what: str) -> None:
    """Raise ValueError naming the columns of ``what`` the run will not have, and the ones it will.

    ValueError, not KeyError: the command line and QGIS show a ValueError's message as it stands.
    """
    missing = [c for c in columns if c not in known]
    if missing:
        msg = f"{what}: no column {', '.join(map(repr, missing))} in the run; its columns: {', '.join(known)}"
        raise ValueError(msg)


def _progress(frame: Any, show: bool) -> Any:
    """Return ``frame`` persisted on the current scheduler, with dask's progress bar when ``show``.

    Without the bar the run goes on at once: the next steps' tasks are queued behind the partitions
    being computed, so a worker done with its share starts on them instead of waiting for the last one.
    """
    frame = frame.persist()
    if not show:
        return frame
    try:
        from distributed import get_client, progress

        get_client()
    except (ImportError, ValueError):  # no distributed client: dask's local scheduler has computed it already
        return frame
    progress(frame)  # dask's text progress bar (on standard output)
    print()
    return frame


def _rank_reads_only(frame: Any, rank_opts: Mapping[str, Any]) -> bool:
    """Return whether the ranking reads only columns of ``frame`` (no constraint that is a function of a partition)."""
    from ..ranking.mcda import as_criteria

    columns = [c.column for c in as_criteria(rank_opts["criteria"])]
    constraints = rank_opts.get("constraints") or ()
    for c in (constraints.values() if isinstance(constraints, Mapping) else constraints):
        if isinstance(c, str):
            columns.append(c)
        elif callable(c) and not (hasattr(c, "geometry") or hasattr(c, "geom_type")):
            return False  # a function sees the whole partition, statistics' columns included
    return all(c in frame.columns for c in columns)


def _statistics(grid: Grid, frame: Any, lisa_cols: list[str], gi_cols: list[str], stats_opts: dict,
                rank_opts: dict | None) -> tuple[Any, dict, dict, GridRankingResult | None]:
    """Return the frame with every LISA, Gi* and ranking column, and the results of each step.

    A ranking of the criteria alone runs beside the statistics (in a thread of this process): each
    waits on the client now and then (reductions, the permutation table), and the other's tasks
    keep the workers busy meanwhile. The numbers do not depend on it.
    """
    from concurrent.futures import ThreadPoolExecutor

    lisa_results, gi_results = {}, {}
    ranking, beside = None, None
    with ThreadPoolExecutor(max_workers=1) as pool:
        if rank_opts is not None and (lisa_cols or gi_cols) and _rank_reads_only(frame, rank_opts):
            beside = pool.submit(rank_cells, frame, crs=grid.spec.crs, **rank_opts)
        for column in lisa_cols:
            res = stats.local_moran(grid, column, frame=frame, prefix=f"lisa_{column}_", **stats_opts)
            lisa_results[column], frame = res, res.frame
        for column in gi_cols:
            res = stats.gi_star(grid, column, frame=frame, prefix=f"gi_{column}_", **stats_opts)
            gi_results[column], frame = res, res.frame
        if beside is not None:
            ranking = beside.result()
            added = [c for c in ranking.frame.columns if c not in frame.columns]
            frame = dd.map_partitions(with_columns, frame, ranking.frame, added, align_dataframes=False,
                                      meta=with_columns(frame._meta, ranking.frame._meta, added))
    if rank_opts is not None and beside is None:
        ranking = rank_cells(frame, crs=grid.spec.crs, **rank_opts)
        frame = ranking.frame
    return frame, lisa_results, gi_results, ranking


def _held(frame: Any, lisa: dict, gi: dict, ranking: GridRankingResult | None
          ) -> tuple[Any, dict, dict, GridRankingResult | None]:
    """Return the run's frame persisted as one, and the results with their frames read from it.

    Each step persisted its own columns (the cells and criteria, each statistic's, the ranking's);
    the run's frame joins them. Once nothing but the joined frame refers to them (the results'
    frames are re-pointed at it), the scheduler releases each step's partition as soon as the joined
    partition that reads it is done: the workers hold the cells once, not twice, while the roll-ups
    and the files read them.
    """
    from dataclasses import replace

    frame = frame.persist()  # on a distributed scheduler this returns at once; the joins run meanwhile
    lisa = {c: replace(r, frame=frame[list(r.frame.columns)]) for c, r in lisa.items()}
    gi = {c: replace(r, frame=frame[list(r.frame.columns)]) for c, r in gi.items()}
    if ranking is not None:
        ranking = replace(ranking, frame=frame[list(ranking.frame.columns)])
    return frame, lisa, gi, ranking


def grid_analysis(
    cell_size: float,
    *,
    units: Any = None,
    key: str = "adcode",
    partition_rows: int | None = None,
    rasters: Mapping[str, str | os.PathLike] | None = None,
    raster_stat: str = "mean",
    travel_time: Any = None,
    lisa: str | Iterable[str] | None = None,
    gi_star: str | Iterable[str] | None = None,
    statistics: Mapping[str, Any] | None = None,
    rank: Mapping[str, Any] | None = None,
    rollup: str | Iterable[str] | None = ("county",),
    layers: Iterable[str] | None = None,
    out: str | os.PathLike | None = None,
    geometry: str = "centre",
    geopackage: bool = False,
    overwrite: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    memory_limit: str | float | None = None,
    progress: bool = False,
    compute: bool = False,
    inputs: Iterable[str | os.PathLike] = (),
    command: Iterable[str] | None = None,
) -> GridAnalysisResult:
    """Return a whole grid run: the grid, criteria per cell, LISA/Gi*, ranking, roll-ups, and its outputs written.

    Parameters
    ----------
    cell_size, units, key, partition_rows
        The grid, as :func:`yrdgeo.grid.make_grid` (cells of ``cell_size`` metres in
        ``AREA_CRS`` over the bundled counties or ``units``).
    rasters
        ``{name: path}``: each raster's value per cell (:func:`yrdgeo.grid.raster_values` with
        ``raster_stat``), a column ``name``.
    travel_time
        A centre (unit name, adcode, or WGS84 ``(lon, lat)``), or a mapping of
        :func:`yrdgeo.grid.travel_time_to`'s options (``centre``, ``date``, ``network``,
        ``access_speed_kmh``, ``max_access_km``, ``undated``, ``name``): the minutes from each cell to
        the centre on the dated network, a column ``time_min`` (or ``name``).
    lisa, gi_star
        Column(s) whose local Moran's I / Gi* is computed (:func:`yrdgeo.grid.local_moran`,
        :func:`yrdgeo.grid.gi_star`); the columns of column ``c`` are ``lisa_c_i``, ``lisa_c_cluster``,
        … and ``gi_c_g``, ``gi_c_spot``, ….
    statistics
        Options of both statistics (``permutations``, ``seed`` — default
        :data:`yrdgeo.choices.DEFAULT_SEED` so a run is reproducible —, ``alpha``, ``correction``,
        ``method``, ``draws``, ``missing``, …).
    rank
        Options of :func:`yrdgeo.grid.rank_cells` (``criteria`` required: ``{column: "benefit" |
        "cost"}`` or Criterion objects; ``weights``, ``method``, ``constraints``, ``missing``, …).
    rollup
        Levels (``"county"``, ``"city"``) at which the mean of every criterion (and the score) is
        tabled, as :func:`yrdgeo.grid.rollup`; None or ``()``: none.
    layers
        Result columns written as Cloud-Optimised GeoTIFFs. Default: the criteria, each LISA's
        ``i``, ``p`` and GeoDa cluster code, each Gi*'s ``z`` and ``p``, the score and the rank (an integer GeoTIFF; unranked cells are nodata).
    out
        Output folder (:func:`yrdgeo.grid.write_outputs`: ``cells/`` GeoParquet with ``geometry``,
        ``<layer>.tif``, ``rollup_<level>.csv``, optional ``cells.gpkg``, ``record.json``); it appears
        only when every file is written. None: nothing is written.
    scheduler, workers, memory_limit
        Run on the dask cluster at ``scheduler`` or on a new local cluster of ``workers``
        processes (:func:`yrdgeo.grid.client`), closed at the end. When none is given the run uses
        the current scheduler: a client the caller opened, or dask's threads in this process.
    progress
        Show dask's progress bar while the cells and criteria are computed, and the address and
        workers of the cluster the run opened (on a distributed cluster).
    compute
        Also return the cells as a pandas frame (``cells``; small grids).
    inputs, command
        More input files and the command line, for ``record.json``.

    Returns
    -------
    GridAnalysisResult

    Raises
    ------
    ValueError, TypeError, FileNotFoundError, FileExistsError
        A bad option, name, column or file, or an output folder that may not be written — all
        before any cell is computed.
    """
    started = time.perf_counter()
    # ------------------------------------------------------------------ every check before any work
    check_number("cell_size", cell_size, unit="m")
    check_choice("geometry", geometry, GEOMETRY_KINDS)
    rasters = {_check_name(n, "raster name"): p for n, p in dict(rasters or {}).items()}
    for name, path in rasters.items():
        if not Path(path).is_file():
            msg = f"raster {name!r}: no such file {str(path)!r}"
            raise FileNotFoundError(msg)
    travel = None
    if travel_time is not None:
        travel = dict(travel_time) if isinstance(travel_time, Mapping) else {"centre": travel_time}
        _keywords(travel_time_to, travel, what="travel_time", skip=("grid",))
        travel.setdefault("name", TRAVEL_COLUMN)
        _check_name(travel["name"], "travel_time name")
    criteria = [*rasters, *([travel["name"]] if travel else [])]
    known = [*CELL_COLUMNS, *criteria]
    clash = [c for c in criteria if c in CELL_COLUMNS] or ([travel["name"]] if travel and travel["name"] in rasters
                                                          else [])
    if clash:
        msg = f"criterion name(s) {clash} clash with the cell columns or another criterion; choose other names"
        raise ValueError(msg)
    lisa_cols, gi_cols = _as_list(lisa), _as_list(gi_star)
    _require(lisa_cols, known, "lisa")
    _require(gi_cols, known, "gi_star")
    stats_opts = {"seed": DEFAULT_SEED} | _keywords(stats.local_moran, dict(statistics or {}), what="statistics",
                                                     skip=("grid", "column", "frame", "prefix"))
    for column in lisa_cols:
        known += [f"lisa_{column}_{c}" for c in ("i", "z", "lag", "p", "q", "quad", "sig", "cluster", "geoda")]
    for column in gi_cols:
        known += [f"gi_{column}_{c}" for c in ("g", "z", "p", "sig", "spot")]
    rank_opts = None
    if rank is not None:
        from ..ranking.mcda import as_criteria

        rank_opts = _keywords(rank_cells, dict(rank), what="rank", skip=("frame", "crs"))
        if "criteria" not in rank_opts:
            msg = "rank: give criteria, e.g. {'dem': 'cost', 'time_min': 'cost'}"
            raise ValueError(msg)
        _require([c.column for c in as_criteria(rank_opts["criteria"])], known, "rank criteria")
        known += ["score", "rank", "excluded", "exclusion_reason"]
    levels = [rollup] if isinstance(rollup, str) else list(rollup or ())
    for level in levels:
        check_choice("rollup", level, ROLLUP_BY)
    summed = [*criteria, *(["score"] if rank_opts else [])]
    if layers is None:
        layers = [*criteria,
                  *[f"lisa_{c}_{s}" for c in lisa_cols for s in ("i", "p", "geoda")],
                  *[f"gi_{c}_{s}" for c in gi_cols for s in ("z", "p")],
                  *(["score", "rank"] if rank_opts else [])]
    layers = [_check_name(n, "layer") for n in layers]
    _require(layers, known, "layers")
    files = [*rasters.values(), *[p for p in inputs if p is not None]]
    if out is not None:
        from ..io import check_output_folder

        check_output_folder(out, overwrite=overwrite, inputs=files, kind="grid")
    if scheduler is not None or workers is not None or memory_limit is not None:
        cluster = open_client(scheduler=scheduler, workers=workers, memory_limit=memory_limit)
    else:
        from contextlib import nullcontext

        cluster = nullcontext()

    # ------------------------------------------------------------------ the run
    with cluster as opened:
        if opened is not None and progress:
            print(f"dask cluster: {opened.scheduler.address} · {len(opened.scheduler_info()['workers'])} workers",
                  file=sys.stderr)
        grid = make_grid(cell_size, units=units, key=key, partition_rows=partition_rows)
        frame = grid.frame
        for name, path in rasters.items():
            frame = frame.assign(**{name: raster_values(grid, path, stat=raster_stat, name=name)})
        if travel:
            frame = frame.assign(**{travel["name"]: travel_time_to(grid, **travel)})
        # Held in the cluster's memory while the statistics, roll-ups and files read it: each raster is read once.
        frame = _progress(frame, progress)
        frame, lisa_results, gi_results, ranking = _held(*_statistics(grid, frame, lisa_cols, gi_cols, stats_opts,
                                                                      rank_opts))
        tables = {f"rollup_{level}": zonal.rollup(frame, summed, by=level) for level in levels if summed}
        cells = frame.compute() if compute else None
        seconds = time.perf_counter() - started
        written = None
        if out is not None:
            options = {"cell_size": cell_size, "key": key, "partition_rows": partition_rows,
                       "rasters": {n: str(p) for n, p in rasters.items()}, "raster_stat": raster_stat,
                       "travel_time": {k: v for k, v in (travel or {}).items() if k != "network"} or None,
                       "lisa": lisa_cols, "gi_star": gi_cols, "statistics": stats_opts,
                       "rank": None if rank_opts is None else {k: v for k, v in rank_opts.items()
                                                               if k != "constraints"},
                       "rollup": levels, "workers": workers, "scheduler": scheduler}
            written = write_outputs(grid, out, frame=frame, layers=layers, geometry=geometry, geopackage=geopackage,
                                    tables=tables, overwrite=overwrite, inputs=files, options=options,
                                    command=command, started=started)
            seconds = time.perf_counter() - started
    return GridAnalysisResult(grid=grid, frame=frame, cells=cells, layers=layers, criteria=criteria, tables=tables,
                              lisa=lisa_results, gi_star=gi_results, ranking=ranking, out=written, seconds=seconds)
