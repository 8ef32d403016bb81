"""The interactive map: one self-contained HTML file (inline SVG and a few lines of script) that opens offline."""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd

from .. import io as _io
from ._common import content_key, is_numeric, simplified, to_map_crs
from .style import DEFAULT_DISCLAIMER, DEFAULT_SOURCE, MISSING_COLOR, class_colors, classify, distinct_colors


@dataclass
class HtmlLayer:
    """A layer of the interactive HTML map.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        Features with a CRS.
    name : str
        Layer name shown in the layer switcher.
    column : str or None
        Numeric or categorical column that colours the features (classified as in :func:`classify`).
    scheme, k, bins, cmap : see :func:`plot_map`
        For a categorical column, ``cmap`` is used only when it is a qualitative (listed) colour map
        with enough colours; otherwise the categories get :func:`distinct_colors`, in sorted order.
    nice, midpoint : see :class:`MapStyle`
        Rounded class breaks (default) and a midpoint the classes diverge from, as on the printed map.
    color : str
        Colour when ``column`` is None (fill for polygons, stroke for lines and points): a
        matplotlib colour name or hex string, written to the page as ``#rrggbb``.
    fields : list of str or None
        Columns shown in the tooltip (default: name columns, ``column`` and a few more, no geometry).
    visible : bool
        Shown when the page opens.
    """

    frame: gpd.GeoDataFrame
    name: str
    column: str | None = None
    scheme: str = "natural_breaks"
    k: int = 5
    bins: Sequence[float] | None = None
    cmap: str | None = None
    nice: bool = True
    midpoint: float | None = None
    color: str = "#4a78a8"
    fields: Sequence[str] | None = None
    visible: bool = True


def _svg_path(geom, scale: float, ox: float, oy: float) -> str:
    def ring(coords) -> str:
        xy = np.asarray(coords)[:, :2]
        pts = np.column_stack([(xy[:, 0] - ox) * scale, (oy - xy[:, 1]) * scale]).round(1)
        return "M" + "L".join(f"{x:g} {y:g}" for x, y in pts)

    parts = []
    gt = geom.geom_type
    if gt == "Polygon":
        parts = [ring(geom.exterior.coords) + "Z"] + [ring(r.coords) + "Z" for r in geom.interiors]
    elif gt in ("MultiPolygon", "MultiLineString", "GeometryCollection", "MultiPoint"):
        return "".join(_svg_path(g, scale, ox, oy) for g in geom.geoms)
    elif gt == "LineString":
        parts = [ring(geom.coords)]
    return "".join(parts)


def write_html_map(
    layers: Sequence[HtmlLayer],
    path: str | os.PathLike,
    *,
    title: str,
    source: str = DEFAULT_SOURCE,
    overwrite: bool = True,
    simplify_m: float = 300.0,
    approval_number: str | None = None,
    disclaimer: str | None = DEFAULT_DISCLAIMER,
    outlines: Mapping[bytes, np.ndarray] | None = None,
) -> Path:
    """Write a self-contained interactive map (one HTML file, no network needed) and return its path.

    Layers are projected to :data:`MAP_CRS`, simplified to ``simplify_m`` metres and written as
    inline SVG (polygon layers below line layers below point layers); a few lines of inline
    JavaScript add wheel zoom, drag pan, tooltips with the attributes of the feature under the
    mouse and a layer switcher. No web font, tile server or
    script library is fetched (folium needs Leaflet from a CDN, so it does not open offline).
    Text uses the reader's installed CJK fonts (Noto Sans CJK SC first).

    The footer carries the source, the date, the map approval number (审图号, ``approval_number``)
    and the boundary ``disclaimer`` (default :data:`DEFAULT_DISCLAIMER`; ``None`` leaves it out),
    as the printed maps' page note does.

    ``outlines`` are simplified outlines from :func:`html_outlines` (with the same ``simplify_m``):
    a layer with the same geometries uses them instead of simplifying again (the same file either way).

    Every string (title, source, layer names, legend labels, tooltip field names and values) is
    written as text: escaped in the page, and put into the tooltip by the script with
    ``textContent``, never as markup; the script itself holds no data. A layer ``color`` that is
    not a colour is refused (ValueError) before anything is written.
    """
    if not layers:
        msg = "write_html_map needs at least one HtmlLayer"
        raise ValueError(msg)
    for what, text in (("title", title), ("source", source), ("approval_number", approval_number or ""),
                       ("disclaimer", disclaimer or "")):
        if not isinstance(text, str):
            msg = f"write_html_map {what} must be a str, got {type(text).__name__}"
            raise ValueError(msg)
    projected, fills = [], []
    for i, lay in enumerate(layers):
        if not isinstance(lay, HtmlLayer):
            msg = f"layers[{i}] must be a yrdgeo.maps.HtmlLayer, got {type(lay).__name__}"
            raise ValueError(msg)
        if not isinstance(lay.name, str):
            msg = f"layers[{i}].name must be a str, got {type(lay.name).__name__}"
            raise ValueError(msg)
        fills.append(_html_colour(lay.color, f"HTML layer {lay.name!r}"))
        if lay.column is not None and lay.column not in lay.frame.columns:
            msg = f"HTML layer {lay.name!r} has no column {lay.column!r}"
            raise ValueError(msg)
        projected.append(to_map_crs(lay.frame, f"HTML layer {lay.name!r}"))
    bounds = np.array([p.total_bounds for p in projected if len(p)])
    minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
    maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
    width = 1000.0
    scale = width / (maxx - minx)
    height = (maxy - miny) * scale
    groups, legends = [], []
    # Several topics offer the same outlines (cities, counties): each is simplified and written as SVG once.
    done: dict[bytes, np.ndarray] = dict(outlines or {})
    svg_paths: dict[bytes, dict[int, str]] = {}
    for li, (lay, proj) in enumerate(zip(layers, projected)):
        key, geoms = _simplified_once(proj, simplify_m, done)
        paths = svg_paths.setdefault(key, {})
        colours, legend = _html_colours(lay, proj, fills[li])
        fields = list(lay.fields) if lay.fields is not None else _default_fields(proj, lay.column)
        items = []
        for i, ((idx, row), geom, colr) in enumerate(zip(proj.iterrows(), geoms, colours)):
            props = {f: _io.jsonable(row[f], digits=4) for f in fields if f in proj.columns}
            tip = html.escape(json.dumps(props, ensure_ascii=False), quote=True)
            kind = geom.geom_type.replace("Multi", "")
            if kind != "Point" and i not in paths:
                paths[i] = _svg_path(geom, scale, minx, maxy)
            if kind == "Point":
                for p in (geom.geoms if geom.geom_type.startswith("Multi") else [geom]):
                    cx, cy = (p.x - minx) * scale, (maxy - p.y) * scale
                    items.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colr}" stroke="#fff" '
                                 f'stroke-width="0.6" data-p="{tip}"/>')
            elif kind == "LineString":
                items.append(f'<path d="{paths[i]}" fill="none" stroke="{colr}" '
                             f'stroke-width="1.6" data-p="{tip}"/>')
            else:
                items.append(f'<path d="{paths[i]}" fill="{colr}" fill-rule="evenodd" '
                             f'stroke="#ffffff" stroke-width="0.4" data-p="{tip}"/>')
        display = "" if lay.visible else ' style="display:none"'
        kinds = set(proj.geom_type.str.replace("Multi", "", regex=False))
        stack = 2 if kinds <= {"Point"} else 1 if kinds <= {"LineString", "Point"} else 0
        groups.append((stack, li, f'<g id="layer{li}" data-name="{html.escape(lay.name)}"{display}>'
                                  f'{"".join(items)}</g>'))
        legends.append((li, lay, legend))
    switcher = "".join(
        f'<div class="lay"><label><input type="checkbox" data-layer="layer{li}"{" checked" if lay.visible else ""}> '
        f'{html.escape(lay.name)}</label>'
        + "".join(f'<div class="key"><span style="background:{c}"></span>{html.escape(t)}</div>' for t, c in legend)
        + "</div>"
        for li, lay, legend in legends
    )
    page = _HTML_TEMPLATE.format(
        title=html.escape(title), w=f"{width:.0f}", h=f"{height:.0f}",
        groups="".join(g for _, _, g in sorted(groups)),  # polygons below lines below points
        switcher=switcher,
        source=html.escape(source), date=_dt.date.today().isoformat(),
        closing=html.escape("　".join(t for t in (
            f"审图号 Approval No.：{approval_number}" if approval_number else "", disclaimer or "") if t)),
    )
    with _io.atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return Path(path)


def html_outlines(frames: Sequence[gpd.GeoDataFrame], *, simplify_m: float = 300.0) -> dict[bytes, np.ndarray]:
    """Return the outlines :func:`write_html_map` draws for layers with the geometries of ``frames``, by content.

    Given to :func:`write_html_map` as ``outlines=``, they are not simplified again: a parallel atlas
    build computes the city and county outlines in a worker while the last topics render.
    """
    done: dict[bytes, np.ndarray] = {}
    for i, frame in enumerate(frames):
        _simplified_once(to_map_crs(frame, f"frames[{i}]"), simplify_m, done)
    return done


def _simplified_once(proj: gpd.GeoDataFrame, tol: float,
                     done: dict[bytes, np.ndarray]) -> tuple[bytes, np.ndarray]:
    """Return a key of the geometries of ``proj`` and ``tol``, and the geometries simplified to ``tol``, taken from
    ``done`` when the same geometries were simplified before.

    The key is the geometries' content (their WKB), not the frame: the atlas offers the same city and county
    outlines in layers of several topics, each its own frame (from a parallel build, its own copy).
    """
    key = hashlib.sha256(content_key(proj) + repr(float(tol)).encode()).digest()
    if key not in done:
        done[key] = simplified(proj, tol).to_numpy()
    return key, done[key]


def _default_fields(frame: gpd.GeoDataFrame, column: str | None) -> list[str]:
    preferred = ["name_zh", "name", "adcode", "province_zh", "level", "name_en"]
    out = [c for c in preferred if c in frame.columns]
    if column and column not in out:
        out.append(column)
    others = [c for c in frame.columns if c not in out and c != frame.geometry.name and
              not str(c).startswith("anchor") and c not in ("pinyin", "short_zh", "kind", "parent_adcode",
                                                        "province_adcode")]
    return out + others[: max(0, 10 - len(out))]


def _html_colour(color: Any, what: str) -> str:
    """Return ``color`` as ``#rrggbb`` (``#rrggbbaa`` if translucent) for an SVG attribute, or raise ValueError.

    The colour goes into an attribute unquoted by any escaping of its own, so only a hex form
    matplotlib produced is written: a string like ``red" onload="…`` is refused, and
    matplotlib-only names (``tab:blue``, ``C0``) become colours a browser knows.
    """
    if not isinstance(color, str) or not matplotlib.colors.is_color_like(color):
        msg = f"{what}: color must be a colour name or hex string such as '#4a78a8', got {color!r}"
        raise ValueError(msg)
    alpha = matplotlib.colors.to_rgba(color)[3]
    return matplotlib.colors.to_hex(color, keep_alpha=alpha < 1)


def _html_colours(lay: HtmlLayer, proj: gpd.GeoDataFrame, fill: str) -> tuple[list[str], list[tuple[str, str]]]:
    if lay.column is None:
        return [fill] * len(proj), []
    vals = proj[lay.column]
    if is_numeric(vals):
        c = classify(vals, scheme=lay.scheme, k=lay.k, bins=lay.bins, fmt=None, nice=lay.nice,
                     midpoint=lay.midpoint)
        pal = class_colors(c, lay.cmap)
        return [pal[k] if k >= 0 else MISSING_COLOR for k in c.classes], list(zip(c.labels, pal))
    cats = [v for v in pd.unique(vals.dropna())]
    try:  # sorted: year-prefixed labels ("1982 …", "1992 …") read in order
        cats = sorted(cats)
    except TypeError:
        pass
    colours = dict(zip(cats, distinct_colors(len(cats), lay.cmap)))
    return [colours.get(v, MISSING_COLOR) if not pd.isna(v) else MISSING_COLOR for v in vals], \
        [(str(v), colours[v]) for v in cats]


_HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
background:#f7f7f4;color:#222}}
header{{padding:8px 14px;font-size:18px;font-weight:bold}}
#wrap{{display:flex;height:calc(100vh - 70px)}}
#map{{flex:1;background:#fff;border:1px solid #ccc;cursor:grab}}
#side{{width:250px;overflow:auto;padding:6px 10px;font-size:13px}}
.key{{margin-left:20px;font-size:12px}} .key span{{display:inline-block;width:12px;height:12px;margin-right:5px;
border:1px solid #888;vertical-align:middle}}
.lay{{margin-bottom:8px}}
#tip{{position:fixed;pointer-events:none;background:rgba(255,255,255,.95);border:1px solid #888;padding:4px 6px;
font-size:12px;display:none;max-width:320px}}
footer{{font-size:11px;color:#555;padding:2px 14px}}
path:hover,circle:hover{{stroke:#000;stroke-width:1.5}}
</style></head><body>
<header>{title}</header>
<div id="wrap"><svg id="map" viewBox="0 0 {w} {h}" preserveAspectRatio="xMidYMid meet"
xmlns="http://www.w3.org/2000/svg">{groups}</svg>
<div id="side"><b>图层 Layers</b>{switcher}<p>滚轮缩放，拖动平移；鼠标悬停查看属性。<br>
Wheel to zoom, drag to pan, hover for attributes.</p></div></div>
<footer>数据来源 Source：{source}　制图 yrdgeo {date}；投影 EPSG:4549<br>{closing}</footer>
<div id="tip"></div>
<script>
(function(){{
var svg=document.getElementById('map'),tip=document.getElementById('tip');
var vb=svg.getAttribute('viewBox').split(' ').map(Number),drag=null;
function setVB(){{svg.setAttribute('viewBox',vb.join(' '));}}
svg.addEventListener('wheel',function(e){{e.preventDefault();var r=svg.getBoundingClientRect();
var s=Math.max(vb[2]/r.width,vb[3]/r.height);var cx=vb[0]+(e.clientX-r.left-(r.width-vb[2]/s)/2)*s;
var cy=vb[1]+(e.clientY-r.top-(r.height-vb[3]/s)/2)*s;var f=e.deltaY<0?0.8:1.25;
vb=[cx-(cx-vb[0])*f,cy-(cy-vb[1])*f,vb[2]*f,vb[3]*f];setVB();}},{{passive:false}});
svg.addEventListener('mousedown',function(e){{drag=[e.clientX,e.clientY];svg.style.cursor='grabbing';}});
window.addEventListener('mouseup',function(){{drag=null;svg.style.cursor='grab';}});
window.addEventListener('mousemove',function(e){{if(!drag)return;var r=svg.getBoundingClientRect();
var s=Math.max(vb[2]/r.width,vb[3]/r.height);vb[0]-=(e.clientX-drag[0])*s;vb[1]-=(e.clientY-drag[1])*s;
drag=[e.clientX,e.clientY];setVB();}});
svg.addEventListener('mousemove',function(e){{var p=e.target.getAttribute&&e.target.getAttribute('data-p');
if(!p){{tip.style.display='none';return;}}var o=JSON.parse(p);tip.textContent='';
for(var k in o){{var b=document.createElement('b');b.textContent=k;tip.appendChild(b);
tip.appendChild(document.createTextNode(': '+String(o[k])));tip.appendChild(document.createElement('br'));}}
tip.style.display='block';
tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px';}});
svg.addEventListener('mouseleave',function(){{tip.style.display='none';}});
document.querySelectorAll('input[data-layer]').forEach(function(c){{c.addEventListener('change',function(){{
document.getElementById(c.getAttribute('data-layer')).style.display=c.checked?'':'none';}});}});
}})();
</script></body></html>
"""
