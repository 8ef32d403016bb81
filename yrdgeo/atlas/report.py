"""The atlas's report (report.md and report.html) and run record (record.json).

The report is built once as a list of blocks and rendered to Markdown and to
HTML alike. Every string a user supplied (file and column names, parameter
values, data sources) is shown as written: :func:`md_text` and :func:`md_code`
escape it, and the renderers accept three inline marks only (links to relative
paths or http(s), ``*emphasis*`` and ``code``), so a user string never becomes a
link, markup or HTML. Topics use :func:`md_text` for user strings in their notes.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import platform
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

import geopandas as gpd
import numpy as np

from .. import __version__, maps
from .. import io as _io
from ..sources import cite
from ..units import data_path
from .registry import TOPICS, AtlasContext, TopicResult

__all__ = ["REFERENCE_SOURCE", "AtlasRun", "inline_html", "md_code", "md_inline", "md_text", "safe_href", "write_record",
           "write_report"]

REFERENCE_SOURCE = "长三角论文事实表 yrdgeo/data/reference/*.csv（出处论文见 sources.csv）"


@dataclass
class AtlasRun:
    """What one atlas build did: the topics, their results and files, as the report and record describe them.

    Attributes
    ----------
    folder : pathlib.Path
        The folder being built (map paths are given relative to it).
    ctx : AtlasContext
        The context the topics ran with.
    topics : list of str
        Topics run, in order.
    results : dict of str to TopicResult
        Each topic's result.
    map_files : dict of str to list of pathlib.Path
        PNG and PDF file per map key.
    layers : dict of str to GeoDataFrame
        Every GeoPackage layer.
    attributes, boundaries : path or None
        The user's attribute table and boundary file, when given.
    overwrite : bool
        Whether an existing atlas was to be replaced.
    command : sequence of str or None
        The command line to record.
    """
    folder: Path
    ctx: AtlasContext
    topics: list[str]
    results: dict[str, TopicResult] = field(default_factory=dict)
    map_files: dict[str, list[Path]] = field(default_factory=dict)
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    attributes: Any = None
    boundaries: Any = None
    overwrite: bool = False
    command: Sequence[str] | None = None

    def papers(self) -> list[str]:
        """Return the keys of the papers the topics' data come from, in first-cited order."""
        return list(dict.fromkeys(k for n in self.topics for k in self.results[n].papers))


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def _report_blocks(run: AtlasRun) -> list[tuple]:
    """Return the report as blocks (kind, ...) rendered to Markdown and HTML alike.

    ``h1``, ``h2``, ``img`` captions and ``table`` cells are plain text. ``p`` and ``ul`` items are
    inline markup with three marks only: ``[text](href)`` links (relative paths or http(s)),
    ``*text*`` emphasis and ``code``; every user string in them (file names, column names,
    parameter values, data sources) goes through :func:`md_text` or :func:`md_code`, so it shows
    as written and never becomes a link, markup or HTML.
    """
    ctx = run.ctx
    today = _dt.date.today().isoformat()
    blocks: list[tuple] = [
        ("h1", "长三角地图集 · YRD atlas"),
        ("p", f"yrdgeo {__version__}, {today}. Topics: {', '.join(run.topics)}. Interactive map: "
              "[map.html](map.html) (opens offline). Layers: `yrd_atlas.gpkg`. Run record: [record.json](record.json). "
              "This report as Markdown: [report.md](report.md); as HTML: [report.html](report.html)."),
        ("h2", "数据来源 Data sources"),
    ]
    # Data sources are plain text: ctx.source names the user's boundary file.
    sources = [md_text(ctx.source)]
    if run.papers():
        sources.append(md_text(REFERENCE_SOURCE) + ", from the papers:")
        sources += [f"论文 Paper: {md_text(cite(key))}" for key in run.papers()]
    if run.attributes is not None:
        sources.append(f"用户属性表 User attribute table: {md_code(Path(run.attributes).name)} "
                       f"({md_text(ctx.attributes_level)} level)")
    if run.boundaries is not None:
        sources.append(f"用户边界 User boundaries: {md_code(Path(run.boundaries).name)}")
    blocks.append(("ul", sources))
    # what the input gate did to the boundary file (the attribute table's checks are in its topic's section)
    table_report = None if ctx.attribute_table is None else ctx.attribute_table.report
    for report in ctx.input_reports:
        issues = report.to_frame()
        if report is not table_report and len(issues):
            blocks += [("p", f"输入检查 Input check of the {md_text(_input_name(report))}: {len(issues)} item(s)."),
                       ("table", ["检查 check", "位置 where", "原值 value", "处理 action"],
                        [[_fmt(row[c]) for c in ("kind", "where", "value", "action")] for _, row in issues.iterrows()])]
    blocks += [("h2", "参数 Parameters"),
               ("ul", [f"page {ctx.page}, PNG {ctx.dpi} dpi, map CRS EPSG:4549 (CGCS2000 / 3° GK CM 120°E), "
                       f"random seed {ctx.seed}"])]
    for name in run.topics:
        res = run.results[name]
        t = TOPICS[name]
        blocks += [("h2", t.title), ("p", t.description)]
        if res.notes:
            blocks.append(("p", res.notes))
        for tm in res.maps:
            png, pdf = (p.relative_to(run.folder).as_posix() for p in run.map_files[tm.key])
            year = f" · 数据年份 data year {md_text(tm.data_year)}" if tm.data_year is not None else ""
            blocks += [("img", tm.title, png), ("p", f"*{md_text(tm.title)}* — [PNG]({png}) · [PDF]({pdf}){year}")]
        if res.numbers:
            blocks.append(("table", ["指标 Key number", "值 Value"], [[k, _fmt(v)] for k, v in res.numbers.items()]))
        if res.table is not None and len(res.table):
            blocks.append(("table", [str(c) for c in res.table.columns],
                           [[_fmt(v) for v in row] for row in res.table.itertuples(index=False)]))
        if res.params:
            blocks.append(("p", "Parameters: " + "; ".join(f"{md_code(k)} = {md_text(v)}"
                                                           for k, v in res.params.items())))
        cited = [*res.sources, *(cite(k) for k in res.papers)]
        if cited:
            blocks.append(("p", "Sources: " + "; ".join(md_text(s) for s in cited)))
        if res.layers:
            blocks.append(("p", "Layers in `yrd_atlas.gpkg`: " + ", ".join(md_code(k) for k in res.layers)))
    return blocks


def _input_name(report: Any) -> str:
    """Return the name of the input a gate report is about (``boundary file bounds.gpkg``)."""
    return f"{report.what} {report.source}".strip()


def md_text(value: Any) -> str:
    """Return ``value`` as Markdown that shows it verbatim: no link, image, HTML, code or emphasis.

    Backslash escapes (CommonMark) for the characters that start markup; ``_`` only where it
    could start or end emphasis, so ``gdp_2020`` stays as it is. Line breaks become spaces: a
    user string must not end the paragraph or table row it sits in.
    """
    text = re.sub(r"\r\n|[\r\n\v\f\x85\u2028\u2029]", " ", str(value))
    return re.sub(r"[\\`*\[\]<>|~]|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_])", lambda m: "\\" + m.group(0), text)


def md_code(value: Any) -> str:
    """Return ``value`` as a Markdown code span (plain escaped text when it holds a backtick or line break)."""
    text = str(value)
    if not text.strip() or any(c in text for c in "`\r\n\v\f\x85\u2028\u2029"):
        return md_text(text)
    return f"`{text}`"


def safe_href(href: str) -> bool:
    """Return True for a link target the report may link to: a relative path, or an http(s) URL.

    Anything with a scheme other than http(s) (``javascript:``, ``data:``, ``file:``), a
    protocol-relative ``//host``, control characters, spaces, backslashes or entities (which
    browsers and Markdown renderers would strip or decode into a scheme) is refused.
    """
    if not href or any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in href) or any(c in href for c in "\\&<>\"'`"):
        return False
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", href)
    if scheme:
        return scheme.group(1).lower() in ("http", "https") and bool(re.match(r"[^:]+://[^/?#]", href))
    return not href.startswith("//") and ":" not in re.split(r"[/?#]", href, maxsplit=1)[0]


# The report's inline marks: backslash escape, code span, link, emphasis.
_INLINE_MARKS = re.compile(r"\\(?P<esc>[!-/:-@\[-`{-~])"
                           r"|`(?P<code>[^`]+)`"
                           r"|\[(?P<text>(?:\\.|[^\]\\])+)\]\((?P<href>[^)\s]+)\)"
                           r"|(?<![\w*\\])\*(?P<em>(?:\\.|[^*\\])+)\*(?![\w*])")


def md_inline(text: str) -> str:
    """Return inline markup for report.md: its three marks as given, a link to an unsafe target as text.

    Text outside the marks is escaped with :func:`md_text`, so that Markdown shows what report.html
    shows: no raw HTML, no autolink (``<javascript:…>``), no link of a form the marks do not
    have (``[x]( javascript:…)``, ``[x](<…>)``, reference links), no stray emphasis.
    """
    out, pos = [], 0
    for m in _INLINE_MARKS.finditer(text):
        out.append(md_text(text[pos:m.start()]))
        pos = m.end()
        if m["href"] is not None:
            inner = md_inline(m["text"])
            out.append(f"[{inner}]({m['href']})" if safe_href(m["href"]) else f"\\[{inner}\\]({md_text(m['href'])})")
        elif m["em"] is not None:
            out.append(f"*{md_inline(m['em'])}*")
        else:
            out.append(m.group(0))  # a backslash escape or a code span: literal in Markdown already
    out.append(md_text(text[pos:]))
    return "".join(out)


def _markdown(blocks: list[tuple]) -> str:
    out: list[str] = []
    for kind, *rest in blocks:
        if kind == "h1":
            out += [f"# {md_text(rest[0])}", ""]
        elif kind == "h2":
            out += [f"## {md_text(rest[0])}", ""]
        elif kind == "p":
            out += [md_inline(rest[0]), ""]
        elif kind == "ul":
            out += [f"- {md_inline(item)}" for item in rest[0]] + [""]
        elif kind == "img":
            href = rest[1] if safe_href(rest[1]) else ""
            out += [f"![{md_text(rest[0])}]({href})", ""]
        elif kind == "table":
            head, rows = rest
            out += ["| " + " | ".join(md_text(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
            out += ["| " + " | ".join(md_text(v) for v in row) + " |" for row in rows] + [""]
    return "\n".join(out)


def inline_html(text: str) -> str:
    """Return the inline markup ``text`` (see :func:`_report_blocks`) as HTML; everything else is escaped text.

    A link whose target is not a relative path or http(s) URL (``javascript:``, ``data:``) is shown
    as its text, not linked.
    """
    out, pos = [], 0
    for m in _INLINE_MARKS.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        pos = m.end()
        if m["esc"] is not None:
            out.append(html.escape(m["esc"], quote=False))
        elif m["code"] is not None:
            out.append(f"<code>{html.escape(m['code'], quote=False)}</code>")
        elif m["href"] is not None:
            inner = inline_html(m["text"])
            out.append(f'<a href="{html.escape(m["href"])}">{inner}</a>' if safe_href(m["href"])
                       else f"[{inner}]({html.escape(m['href'], quote=False)})")
        else:
            out.append(f"<em>{inline_html(m['em'])}</em>")
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _html_page(blocks: list[tuple]) -> str:
    body: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            body.append(f"<{kind}>{html.escape(str(rest[0]))}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{inline_html(rest[0])}</p>")
        elif kind == "ul":
            body.append("<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in rest[0]) + "</ul>")
        elif kind == "img":
            src = rest[1] if safe_href(rest[1]) else ""
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


def write_report(run: AtlasRun, path: Path) -> None:
    """Write the report of ``run`` as Markdown to ``path`` and as HTML beside it (``.html``)."""
    blocks = _report_blocks(run)
    path.write_text(_markdown(blocks), encoding="utf-8")
    path.with_suffix(".html").write_text(_html_page(blocks), encoding="utf-8")


def _versions() -> dict[str, str]:
    out = {"yrdgeo": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "pandas", "geopandas", "shapely", "pyproj", "pyogrio", "matplotlib", "mapclassify",
                "libpysal", "esda", "networkx", "scipy", "osmnx", "tqdm"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    out["font"] = maps.cjk_font_path()
    return out


def write_record(run: AtlasRun, path: Path, *, seconds: float) -> None:
    """Write ``record.json`` of ``run`` to ``path``: inputs with SHA-256, parameters, random seeds, versions, outputs.

    ``seconds`` is the build time so far; every file already in ``run.folder`` is listed as an output.
    """
    ctx, results = run.ctx, run.results
    bundled = [data_path("boundaries", "yrd_units.gpkg")] + sorted(
        (p for p in data_path("reference").iterdir() if p.name.endswith(".csv")), key=lambda p: p.name)
    inputs: dict[str, Any] = {"bundled": [{"path": f"yrdgeo/data/{Path(str(p)).parent.name}/{p.name}",
                                           "sha256": _io.sha256(Path(str(p)))} for p in bundled]}
    for key, val in (("attributes", run.attributes), ("boundaries", run.boundaries)):
        if val is not None:
            inputs[key] = {"path": str(Path(val).resolve()), "sha256": _io.sha256(Path(val))}
    outputs = []
    for p in sorted(run.folder.rglob("*")):
        if p.is_file():
            outputs.append({"path": p.relative_to(run.folder).as_posix(), "bytes": p.stat().st_size,
                            "sha256": _io.sha256(p)})
    record = {
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": list(run.command) if run.command is not None else None,
        "parameters": {"topics": run.topics, "page": ctx.page, "dpi": ctx.dpi, "overwrite": run.overwrite,
                       "attributes": None if run.attributes is None else str(run.attributes),
                       "boundaries": None if run.boundaries is None else str(run.boundaries),
                       "map_crs": "EPSG:4549"},
        # Random seeds: the atlas's, and the one each topic says it used.
        "seeds": {"atlas": ctx.seed, **{n: results[n].params.get("seed") for n in run.topics
                                       if "seed" in results[n].params}},
        "inputs": inputs,
        "papers": {k: cite(k) for k in run.papers()},
        "versions": _versions(),
        "topics": {n: {"title": TOPICS[n].title, "params": _io.jsonable(results[n].params),
                       "numbers": _io.jsonable(results[n].numbers), "layers": list(results[n].layers),
                       "maps": [m.key for m in results[n].maps],
                       "data_years": {m.key: m.data_year for m in results[n].maps}, "sources": results[n].sources,
                       "papers": results[n].papers}
                   for n in run.topics},
        "layers": {k: {"rows": int(len(v)), "crs": str(v.crs) if getattr(v, "crs", None) is not None else None}
                   for k, v in run.layers.items()},
        "input_checks": [{"input": _input_name(r), "issues": r.to_frame().to_dict("records")}
                         for r in ctx.input_reports],
        "outputs": outputs,
        "seconds_before_record": round(seconds, 2),
    }
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
