"""Map furniture: titles, legend, scale bar, north arrow and the source/date note.

:func:`add_scale_bar` and :func:`add_north_arrow` draw on any axes in
:data:`~yrdgeo.maps.MAP_CRS` metres (EPSG:4549) and refuse other axes;
:func:`add_source_note` writes the page's note. :func:`~yrdgeo.maps.plot_map`
draws all of them with these functions.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
import shapely
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from pyproj import CRS

from ..checks import check_number
from ..crs import WGS84, caches_enabled, transformer
from ._common import ensure_agg, is_map_axes, to_map_crs
from .style import CJK_FAMILY, DEFAULT_DISCLAIMER, DEFAULT_SOURCE, MAP_CRS, cjk_font_path, font_families

# Limits (metres) an EPSG:4549 map of the YRD and its surroundings can have: x from about 108°E to
# 128°E, y from about 20°N to 40°N. Degrees (x 115–123) and Web Mercator (x ≈ 1.3e7) fall outside.
_MAP_WINDOW = (-1.2e6, 2.2e6, 2.0e6, 4.6e6)


# ----------------------------------------------------------------------------- titles and legend


def add_page_title(fig: Figure, title: str, subtitle: str | None = None, *, font_family: str = CJK_FAMILY) -> None:
    """Write a page's title (bold) and subtitle at the top left of ``fig``, where :func:`plot_map` leaves room."""
    with matplotlib.rc_context({"font.family": font_families(font_family)}):
        fig.text(0.04, 0.965, title, fontsize=15, fontweight="bold", ha="left", va="top")
        if subtitle:
            fig.text(0.04, 0.932, subtitle, fontsize=9.5, ha="left", va="top", color="#333333")


def add_panel_title(ax: Any, title: str, subtitle: str | None = None, *, font_family: str = CJK_FAMILY) -> None:
    """Write a panel's title (bold) and subtitle, wrapped to the axes width, above ``ax``, left-aligned."""
    fig = ax.figure
    width_px = ax.get_position().width * fig.get_figwidth() * fig.dpi
    family = font_families(font_family)
    sub_lines = 0
    if subtitle:
        prop = font_manager.FontProperties(family=family, size=7.5)
        wrapped = wrap_text(fig, subtitle, prop, width_px)
        sub_lines = wrapped.count("\n") + 1
        ax.annotate(wrapped, xy=(0, 1), xycoords="axes fraction", xytext=(0, 3), textcoords="offset points",
                    fontproperties=prop, ha="left", va="bottom", color="#333333", linespacing=1.3,
                    annotation_clip=False)
    if title:
        # the axes' title Text exists since the axes was made, with the fonts of then: name ours
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold", pad=5 + sub_lines * 7.5 * 1.3 + 2,
                     fontfamily=family)


def add_legend(
    ax: Any,
    handles: Sequence[Any],
    *,
    title: str | None = None,
    units: str | None = None,
    loc: str = "upper right",
    font_family: str = CJK_FAMILY,
) -> Any:
    """Return the legend drawn on ``ax`` from ``handles`` (None when there are none), headed ``title（units）``."""
    if not handles:
        return None
    heading = title or ""
    if units:
        heading = f"{heading}（{units}）" if heading else f"（{units}）"
    with matplotlib.rc_context({"font.family": font_families(font_family)}):
        legend = ax.legend(handles=list(handles), title=heading or None, loc=loc, fontsize=7, title_fontsize=7.5,
                           frameon=True, framealpha=0.92, edgecolor="#999999", borderpad=0.6, labelspacing=0.45)
    legend._legend_box.align = "left"  # matplotlib has no public setter for the title's alignment
    legend.set_zorder(8)
    return legend


# ----------------------------------------------------------------------------- scale bar and north arrow


def _check_map_axes(ax: Any, crs: Any, what: str) -> None:
    """Refuse axes that are not in :data:`MAP_CRS` metres (a scale bar there would measure nothing)."""
    if not hasattr(ax, "get_xlim") or not hasattr(ax, "add_patch"):
        msg = f"{what} needs a matplotlib Axes, got {type(ax).__name__}"
        raise ValueError(msg)
    if crs is not None:
        given = CRS.from_user_input(crs)
        if given != MAP_CRS:
            msg = (f"{what} needs an axes in the map CRS {MAP_CRS.to_string()} (metres), but crs={given.to_string()} "
                   f"({given.name}); draw the layers with frame.to_crs(yrdgeo.crs.DISTANCE_CRS).plot(ax=ax)")
            raise ValueError(msg)
    if is_map_axes(ax):
        return
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    wx0, wx1, wy0, wy1 = _MAP_WINDOW
    inside = wx0 <= min(x0, x1) and max(x0, x1) <= wx1 and wy0 <= min(y0, y1) and max(y0, y1) <= wy1
    if not inside or abs(x1 - x0) < 1000 or abs(y1 - y0) < 1000:
        degrees = max(abs(x0), abs(x1)) <= 180 and max(abs(y0), abs(y1)) <= 90
        hint = " (they look like degrees: longitude/latitude)" if degrees else ""
        msg = (f"{what} needs an axes in the map CRS {MAP_CRS.to_string()} (CGCS2000 / 3-degree Gauss-Kruger CM "
               f"120E, metres), but its limits x {x0:.6g}..{x1:.6g}, y {y0:.6g}..{y1:.6g} are not YRD map metres"
               f"{hint}; draw the layers with frame.to_crs(yrdgeo.crs.DISTANCE_CRS).plot(ax=ax) or use "
               "yrdgeo.maps.plot_map(..., ax=ax)")
        raise ValueError(msg)


def _nice_length_km(span_km: float) -> float:
    target = span_km / 5.0
    exp = 10 ** math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * exp <= target:
            return float(m * exp)
    return float(exp)


def add_scale_bar(ax: Any, *, crs: Any = None) -> float:
    """Return the length in km of the scale bar drawn at the lower left of a map axes.

    The bar is a round length (1, 2 or 5 × 10ⁿ km) about a fifth of the axes width, in two
    black/white halves, measured in :data:`MAP_CRS` metres (EPSG:4549's scale factor across the
    YRD stays within 0.2 % of 1). Set the axes limits first.

    Parameters
    ----------
    ax
        A matplotlib Axes in :data:`MAP_CRS` metres: one drawn by :func:`plot_map`, or one whose
        layers were drawn with ``frame.to_crs(yrdgeo.crs.DISTANCE_CRS).plot(ax=ax)``.
    crs
        The axes' CRS if you know it; anything but EPSG:4549 is refused.

    Raises
    ------
    ValueError
        If ``crs`` is not EPSG:4549, or the axes limits are not EPSG:4549 metres around the YRD
        (e.g. degrees or Web Mercator).
    """
    _check_map_axes(ax, crs, "add_scale_bar")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length_km = _nice_length_km((x1 - x0) / 1000.0)
    seg = length_km * 1000.0 / 2
    bx = x0 + 0.04 * (x1 - x0)
    by = y0 + 0.045 * (y1 - y0)
    h = 0.008 * (y1 - y0)
    for i, colr in enumerate(("#222222", "#ffffff")):
        ax.add_patch(Rectangle((bx + i * seg, by), seg, h, facecolor=colr, edgecolor="#222222", linewidth=0.6,
                               zorder=7))
    for i, val in enumerate((0, length_km / 2, length_km)):
        ax.text(bx + i * seg, by + 1.8 * h, f"{val:g}", fontsize=6.5, ha="center", va="bottom", zorder=7)
    ax.text(bx + 2 * seg + 0.012 * (x1 - x0), by + h / 2, "km", fontsize=6.5, ha="left", va="center", zorder=7)
    return length_km


def add_north_arrow(ax: Any, *, crs: Any = None, font_family: str = CJK_FAMILY) -> float:
    """Return the angle (degrees clockwise from grid north) of the north arrow drawn at the upper left.

    The arrow points to true north: it is rotated by the meridian convergence of EPSG:4549 at
    its position (about 2° at the western edge of the YRD). ``ax`` and ``crs`` as in
    :func:`add_scale_bar` (same checks, same errors); ``font_family`` writes 北 (checked for CJK glyphs).
    """
    _check_map_axes(ax, crs, "add_north_arrow")
    cjk_font_path(font_family)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x = x0 + 0.07 * (x1 - x0)
    y = y0 + 0.86 * (y1 - y0)
    to_ll = transformer(MAP_CRS, WGS84)
    to_map = transformer(WGS84, MAP_CRS)
    lon, lat = to_ll.transform(x, y)
    nx, ny = to_map.transform(lon, lat + 0.05)
    angle = math.atan2(nx - x, ny - y)  # clockwise from grid north
    length = 0.07 * (y1 - y0)
    tip = (x + length * math.sin(angle), y + length * math.cos(angle))
    with matplotlib.rc_context({"font.family": font_families(font_family)}):
        ax.annotate("", xy=tip, xytext=(x, y),
                    arrowprops=dict(arrowstyle="-|>,head_length=0.8,head_width=0.4", color="#222222", lw=1.6),
                    zorder=7)
        ax.text(tip[0] + 0.012 * length * math.sin(angle) * 10, tip[1] + 0.15 * length, "N", fontsize=10,
                fontweight="bold", ha="center", va="bottom", zorder=7)
        ax.text(x, y - 0.05 * length, "北", fontsize=7, ha="center", va="top", zorder=7)
    return math.degrees(angle)


# ----------------------------------------------------------------------------- locator inset

def add_locator(
    ax: Any,
    provinces: Any,
    *,
    data: Any = None,
    avoid: Sequence[Any] = (),
    size: float = 0.24,
) -> Any:
    """Return the locator inset drawn in a corner of a map axes: ``provinces`` with the map's extent outlined.

    The inset is ``size`` of the map box wide (its height follows the provinces' shape) and
    goes along the edge of the map box where it covers the least area of ``data`` (the mapped
    polygons): the four corners (lower right first) and three places along each edge are tried,
    among those whose box overlaps none of ``avoid`` (display-coordinate boxes: the legend,
    scale bar, north arrow); if every place is taken, the one covering the least data.
    ``ax`` as in :func:`add_scale_bar` (set its limits first); ``provinces`` is any frame with a CRS.
    """
    _check_map_axes(ax, None, "add_locator")
    check_number("size", size, minimum=0.05, inclusive=True, maximum=0.5)
    prov = to_map_crs(provinces, "locator provinces")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    pminx, pminy, pmaxx, pmaxy = prov.total_bounds
    lminx, lminy = min(pminx, x0), min(pminy, y0)
    lmaxx, lmaxy = max(pmaxx, x1), max(pmaxy, y1)
    pad = 0.04 * max(lmaxx - lminx, lmaxy - lminy)
    lminx, lminy, lmaxx, lmaxy = lminx - pad, lminy - pad, lmaxx + pad, lmaxy + pad
    fig = ax.figure
    ensure_agg(fig)
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    frame_box = ax.get_window_extent(renderer)
    w = size
    h = size * (lmaxy - lminy) / (lmaxx - lminx) * frame_box.width / frame_box.height
    if h > 0.45:  # a tall, narrow map box: shrink to fit
        w, h = w * 0.45 / h, 0.45
    m = 0.012
    right, top = 1 - m - w, 1 - m - h
    # the corners first (lower right, where the sea usually is), then places along the edges
    spots = [(right, m), (right, top), (m, m), (m, top)]
    for t in (0.25, 0.5, 0.75):
        spots += [(right, m + t * (top - m)), (m + t * (right - m), m), (m, m + t * (top - m)),
                  (m + t * (right - m), top)]
    polys = None
    if data is not None and len(data):
        d = to_map_crs(data, "locator data")
        polys = d.geometry[d.geom_type.str.endswith("Polygon")]
    ranked = []
    for rank, (fx, fy) in enumerate(spots):
        (dx0, dy0), (dx1, dy1) = ax.transAxes.transform([(fx, fy), (fx + w, fy + h)])
        taken = any(Bbox.from_extents(dx0, dy0, dx1, dy1).overlaps(a) for a in avoid)
        cover = 0.0
        if polys is not None and len(polys):
            spot_box = shapely.box(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0),
                                   x0 + (fx + w) * (x1 - x0), y0 + (fy + h) * (y1 - y0))
            cover = float(polys.intersection(spot_box).area.sum())
        ranked.append((taken, round(cover / 1e8), rank, fx, fy))  # 100 km² of data is noise
    _, _, _, fx, fy = min(ranked)
    inset = ax.inset_axes([fx, fy, w, h], zorder=9)
    prov.plot(ax=inset, facecolor="#ececec", edgecolor="#555555", linewidth=0.4)
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#c0272d", linewidth=1.0,
                              zorder=3))
    inset.set_xlim(lminx, lmaxx)
    inset.set_ylim(lminy, lmaxy)
    inset.set_aspect("equal", adjustable="datalim")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.6)
    return inset


# ----------------------------------------------------------------------------- source note


def add_source_note(
    fig: Any,
    source: str = DEFAULT_SOURCE,
    *,
    date: str | None = None,
    data_year: str | int | None = None,
    approval_number: str | None = None,
    disclaimer: str | None = DEFAULT_DISCLAIMER,
    x: float = 0.02,
    y: float = 0.06,
    width: float = 0.96,
    fontsize: float = 6.2,
    font_family: str = CJK_FAMILY,
) -> Any:
    """Return the Text of the source/date/projection note written on a figure (the page furniture).

    The same note :func:`plot_map` prints under a single map: ``数据来源 Source：{source}``, then
    ``数据年份 Data：{data_year} · 制图 Map：yrdgeo，{date}；投影 … (EPSG:4549)`` (no data year when
    ``data_year`` is None), then ``审图号 Approval No.：{approval_number}`` (when given) and the
    boundary ``disclaimer`` (default :data:`DEFAULT_DISCLAIMER`; ``None`` or ``""`` leaves it
    out), wrapped between Chinese characters (never inside a Latin word or number) to ``width``
    (figure fraction). For a multi-panel figure drawn with ``plot_map(..., ax=)`` call it once
    for the page. ``x``, ``y``: top left corner in figure fraction; ``date`` defaults to today;
    ``font_family`` must have CJK glyphs.
    """
    cjk_font_path(font_family)
    if not hasattr(fig, "text") or not hasattr(fig, "get_figwidth"):
        msg = f"add_source_note needs a matplotlib Figure, got {type(fig).__name__}"
        raise ValueError(msg)
    ensure_agg(fig)
    note = source_note_text(source, date=date, data_year=data_year, approval_number=approval_number,
                            disclaimer=disclaimer)
    note_prop = font_manager.FontProperties(family=font_families(font_family), size=fontsize)
    note = wrap_text(fig, note, note_prop, width * fig.get_figwidth() * fig.dpi)
    return fig.text(x, y, note, fontproperties=note_prop, ha="left", va="top", color="#333333", linespacing=1.5)


def source_note_text(
    source: str = DEFAULT_SOURCE,
    *,
    date: str | None = None,
    data_year: str | int | None = None,
    approval_number: str | None = None,
    disclaimer: str | None = DEFAULT_DISCLAIMER,
) -> str:
    """Return the lines of the page note :func:`add_source_note` writes, before wrapping."""
    when = date or _dt.date.today().isoformat()
    year = f"数据年份 Data：{str(data_year).strip()} · " if data_year not in (None, "") else ""
    lines = [f"数据来源 Source：{source}",
             f"{year}制图 Map：yrdgeo，{when}；投影 CGCS2000 / 3° Gauss-Krüger CM 120°E (EPSG:4549)"]
    closing = []
    if approval_number not in (None, ""):
        closing.append(f"审图号 Approval No.：{str(approval_number).strip()}")
    if disclaimer:
        closing.append(str(disclaimer).strip())
    if closing:
        lines.append("　".join(closing))
    return "\n".join(lines)


def _latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def wrap_text(fig: Figure, text: str, prop: Any, max_px: float) -> str:
    """Return ``text`` with line breaks so no line is wider than ``max_px`` pixels in the font ``prop``.

    Chinese has no spaces to wrap at, so lines break between any two characters, except inside a
    Latin word or number (``"1.1.2"``, ``"(GCJ-02)"``), which moves to the next line whole.
    Each paragraph's lines are kept per (paragraph, font, width, renderer dpi, hinting): every map of
    the atlas wraps a page note whose source and disclaimer paragraphs are the same, and measuring
    one costs a text layout per character (:func:`yrdgeo.crs.caches_enabled` turns the cache off).
    """
    renderer = fig.canvas.get_renderer()
    if not caches_enabled():
        return "\n".join(_wrap_paragraph(renderer, para, prop, max_px) for para in text.split("\n"))
    # what the Agg text measurement depends on; a copy of the font, as FontProperties is mutable
    context = (prop.copy(), float(max_px), float(renderer.dpi), matplotlib.rcParams["text.hinting"],
               matplotlib.rcParams["text.hinting_factor"], type(renderer))
    out = []
    for para in text.split("\n"):
        key = (para, *context)
        hit = _WRAPPED.get(key)
        if hit is None:
            if len(_WRAPPED) >= 512:  # a bound: paragraphs differ per map title at most
                _WRAPPED.clear()
            hit = _WRAPPED[key] = _wrap_paragraph_bisect(renderer, para, prop, max_px)
        out.append(hit)
    return "\n".join(out)


_WRAPPED: dict[tuple, str] = {}


def _wrap_paragraph_bisect(renderer: Any, para: str, prop: Any, max_px: float) -> str:
    """Return the lines :func:`_wrap_paragraph` gives, finding each break by bisection (log n measurements).

    Exact because a prefix is never wider than the text it starts: Agg's width is the union of
    the glyph boxes, and appending a glyph only adds a box.
    """
    def too_wide(start: int, stop: int) -> bool:
        return renderer.get_text_width_height_descent(para[start:stop], prop, ismath=False)[0] > max_px

    out = []
    start, first = 0, 1  # the line is para[start:i]; the first character measured is para[first]
    n = len(para)
    while True:
        first = max(first, start + 1)  # a line of one character is never measured
        if first >= n or not too_wide(start, n):
            out.append(para[start:])
            return "\n".join(out)
        lo, hi = first, n - 1  # the break: the first i >= first where para[start:i + 1] is too wide
        while lo < hi:
            mid = (lo + hi) // 2
            if too_wide(start, mid + 1):
                hi = mid
            else:
                lo = mid + 1
        line, ch = para[start:lo], para[lo]
        cut = line.rfind(" ") if (_latin(ch) and _latin(line[-1])) else -1
        if cut > 0:  # carry the Latin word or number to the next line whole, as _wrap_paragraph does
            out.append(line[:cut])
            start, first = start + cut + 1, lo + 1
        else:
            out.append(line)
            start = lo + 1 if ch.isspace() else lo
            first = lo + 1


def _wrap_paragraph(renderer: Any, para: str, prop: Any, max_px: float) -> str:
    out = []
    line = ""
    for ch in para:
        trial = line + ch
        if line and renderer.get_text_width_height_descent(trial, prop, ismath=False)[0] > max_px:
            cut = line.rfind(" ") if (_latin(ch) and _latin(line[-1])) else -1
            if cut > 0:  # do not split a Latin word or number ("1.1.2"): carry it to the next line
                out.append(line[:cut])
                line = line[cut + 1:] + ch
            else:
                out.append(line)
                line = ch.lstrip()
        else:
            line = trial
    out.append(line)
    return "\n".join(out)
