"""The choropleth: :func:`plot_map` draws a frame coloured by a column, with overlays, labels and furniture.

A page of its own (A4/A3, title, source note) or, with ``ax=``, one panel of
your figure. How it looks is a :class:`~yrdgeo.maps.MapStyle`; the furniture
comes from :mod:`yrdgeo.maps.furniture`, the labels from
:mod:`yrdgeo.maps.labels`.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from ..crs import require_crs
from ..units import load_units
from ._common import (
    cached, caching, content_cache, content_key, deferred_draws, ensure_agg, is_numeric, mark_map_axes,
    relative_luminance, simplified, to_map_crs,
)
from .export import save_map
from .furniture import (
    add_legend, add_locator, add_north_arrow, add_page_title, add_panel_title, add_scale_bar, add_source_note,
)
from .labels import place_unit_labels
from .style import (
    MAP_CRS, MISSING_COLOR, Classification, MapStyle, cjk_font_path, class_colors, classify, font_families,
    legend_title_for, palette,
)


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
    data_year : str, int or None
        The data year printed in the page note (``data_year=``), None when none was printed.
    locator : matplotlib.axes.Axes or None
        The locator inset (``locator=True``), None without one.
    """

    figure: Figure
    ax: Any
    classification: Classification | None = None
    labels_placed: list[str] = field(default_factory=list)
    labels_dropped: list[str] = field(default_factory=list)
    scale_bar_km: float = 0.0
    data_year: str | int | None = None
    locator: Any = None

    def save(self, path: str | os.PathLike, *, dpi: int = 200, overwrite: bool = True, pdf_fonttype: int = 3) -> Path:
        """Write the map to ``path`` (PNG, PDF or SVG by extension); return the path. See :func:`save_map`."""
        return save_map(self, path, dpi=dpi, overwrite=overwrite, pdf_fonttype=pdf_fonttype)


def plot_map(
    frame: gpd.GeoDataFrame,
    column: str | None = None,
    *,
    title: str,
    subtitle: str | None = None,
    overlays: Sequence[Overlay] = (),
    boundaries: gpd.GeoDataFrame | None = None,
    labels: gpd.GeoDataFrame | None = None,
    provinces: gpd.GeoDataFrame | bool = True,
    ax: Any = None,
    style: MapStyle | None = None,
    **options: Any,
) -> MapFigure:
    """Return a finished :class:`MapFigure` of ``frame`` coloured by ``column``.

    Parameters
    ----------
    frame
        Polygons (or points/lines) with a CRS; not modified.
    column
        Column to map. Numeric columns are classified (``scheme``, ``k``, ``bins``); object,
        bool and category columns are drawn as categories. ``None`` draws the units in one
        neutral colour.
    title, subtitle
        Map title (Chinese welcome) and a smaller second line.
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
    provinces
        Province outlines for context: ``True`` loads the bundled ones, ``False`` omits them, or
        pass a frame.
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
    style
        How the map is drawn (:class:`MapStyle`: classes, colours, legend, labels, furniture,
        page); default ``MapStyle()``.
    **options
        Any attribute of :class:`MapStyle` (``units``, ``legend_title``, ``scheme``, ``k``,
        ``bins``, ``fmt``, ``cmap``, ``categorical``, ``categories``, ``category_colors``,
        ``class_labels``, ``hide_empty_classes``, ``legend_counts``, ``legend_loc``,
        ``missing_label``, ``boundaries_label``, ``edgecolor``, ``label_column``,
        ``label_priority``, ``font_family``, ``source``, ``date``, ``page``, ``orientation``,
        ``dpi``, ``extent``, ``scale_bar``, ``north_arrow``, ``nice``, ``midpoint``,
        ``column_titles``, ``data_year``, ``approval_number``, ``disclaimer``, ``locator``),
        overriding ``style``'s value.
    """
    if style is not None and not isinstance(style, MapStyle):
        msg = f"style must be a yrdgeo.maps.MapStyle, got {type(style).__name__}"
        raise ValueError(msg)
    style = (style or MapStyle()).replace(**options)
    cjk_font_path(style.font_family)
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
    if labels is not None and style.label_column not in labels.columns:
        msg = f"labels frame has no column {style.label_column!r} (label_column)"
        raise ValueError(msg)
    if ax is not None and not (hasattr(ax, "figure") and hasattr(ax, "add_patch")):
        msg = f"ax must be a matplotlib Axes, got {type(ax).__name__}"
        raise ValueError(msg)
    base = to_map_crs(frame, "plot_map")
    if style.class_labels is not None and (column is None or style.categorical or not is_numeric(base[column])):
        msg = "class_labels= applies to a numeric column's classes; for categories use categories={value: text}"
        raise ValueError(msg)
    if style.midpoint is not None and (column is None or style.categorical or not is_numeric(base[column])):
        msg = f"midpoint={style.midpoint!r} applies to a numeric column's classes, not to categories or plain units"
        raise ValueError(msg)
    with matplotlib.rc_context({"font.family": font_families(style.font_family), "axes.unicode_minus": False}):
        return _draw(base, column, title=title, subtitle=subtitle, overlays=overlays, boundaries=boundaries,
                     labels=labels, provinces=provinces, ax=ax, style=style, source=frame)


@contextmanager
def layer_cache() -> Iterator[None]:
    """Return a context in which :func:`plot_map` reprojects and simplifies each distinct layer once per tolerance.

    Within it, geometries drawn again (as base map, ``provinces``, ``boundaries`` or polygon
    overlay, from the same frame or another with the same geometries and CRS) at the same scale
    reuse their projected and simplified outlines: the atlas draws the same province, city and
    county outlines on many maps. The cache is dropped on exit. Off when
    :func:`yrdgeo.crs.caches_enabled` is false.
    """
    with content_cache():
        yield


def _simplified_layer(frame: gpd.GeoDataFrame, what: str, tol: float, *, projected: Any = None) -> gpd.GeoSeries:
    """Return ``frame``'s geometry in MAP_CRS simplified to ``tol`` (``projected``: the frame already projected)."""
    if not caching():
        return simplified(to_map_crs(frame, what) if projected is None else projected, tol)
    # The same geometries (WKB) in the same CRS project and simplify to the same outlines.
    key = content_key(frame)
    geoms = cached((key, float(tol)), lambda: simplified(to_map_crs(frame, what, key=key) if projected is None
                                                         else projected, tol))
    if projected is not None and not geoms.index.equals(projected.index):  # rows as the caller's frame
        geoms = geoms.set_axis(projected.index)
    return geoms


def _plot_polygons(ax: Any, geoms: gpd.GeoSeries, **style: Any) -> None:
    """Draw ``geoms`` as ``geoms.plot(ax=ax, **style)`` does, the patches of the same outlines built once.

    geopandas builds a matplotlib patch for every polygon part on every call, and the atlas draws the same
    simplified outlines on many maps: inside :func:`layer_cache`, a series of polygons (none missing or empty)
    is drawn here as geopandas draws it (the same collection, colours, limits), its patches kept by content.
    """
    if not caching() or geoms.empty or geoms.is_empty.any() or \
            not geoms.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        geoms.plot(ax=ax, **style)
        return
    ax.set_aspect("equal")  # what GeoSeries.plot does first for a projected CRS
    patches, parts = cached(("patches", content_key(geoms)), lambda: _polygon_patches(geoms))
    color = style.pop("color", None)
    facecolor = style.pop("facecolor", None)
    if color is not None:  # geopandas: colour overrides both, and is passed on as the face colour
        facecolor = color
    kwargs = {k: v for k, v in {"facecolor": facecolor, **style}.items() if k not in ("markersize", "marker")}
    for att, value in kwargs.items():  # geopandas' _expand_kwargs: one value per part
        if "color" in att and matplotlib.colors.is_color_like(value):
            continue
        if "linestyle" in att and isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], Iterable):
            continue
        if att == "path_effects":
            continue
        if pd.api.types.is_list_like(value):
            kwargs[att] = np.take(value, parts, axis=0)
    ax.add_collection(PatchCollection(patches, **kwargs), autolim=True)
    ax.autoscale_view()
    ax.figure.canvas.draw_idle()


def _polygon_patches(geoms: gpd.GeoSeries) -> tuple[list[PathPatch], np.ndarray]:
    """Return the patches geopandas draws for a series of polygons, and the row of each (its polygon parts)."""
    polys = gpd.GeoSeries(geoms.normalize().values).normalize()  # as geopandas: normalised for each of its 2 passes
    if not polys.geom_type.str.startswith("Multi").any():
        parts, rows = list(polys), np.arange(len(polys))
    else:
        parts, rows = [], []
        for i, geom in enumerate(polys):
            for part in (geom.geoms if geom.geom_type.startswith("Multi") else [geom]):
                parts.append(part)
                rows.append(i)
        rows = np.array(rows)
    patches = [PathPatch(MplPath.make_compound_path(MplPath(np.asarray(p.exterior.coords)[:, :2], closed=True),
                                                    *[MplPath(np.asarray(r.coords)[:, :2], closed=True)
                                                      for r in p.interiors])) for p in parts]
    return patches, rows


def _counted(text: str, n: int, counts: bool) -> str:
    return f"{text}  ({n})" if counts else text


def _legend_patch(colour: str, text: str) -> Patch:
    return Patch(facecolor=colour, edgecolor="#777777", linewidth=0.5, label=text)


# Legend swatches sit on the legend's white box: a stroke needs this contrast against white (WCAG
# ratio) and this width (points) to be seen, whatever the map draws (a 0.25 pt light-grey county line).
_SWATCH_CONTRAST = 2.5
_SWATCH_WIDTH = 0.8


def _swatch_stroke(colour: str, linewidth: float) -> tuple[str, float]:
    """Return (colour, width) of a legend stroke: ``colour`` darkened until it shows on white, at least 0.8 pt."""
    rgb = np.asarray(matplotlib.colors.to_rgb(colour))
    for _ in range(40):
        if 1.05 / (relative_luminance(rgb) + 0.05) >= _SWATCH_CONTRAST:
            break
        rgb = rgb * 0.93
    return matplotlib.colors.to_hex(rgb), max(float(linewidth), _SWATCH_WIDTH)


def _page_axes(bounds: Sequence[float], style: MapStyle, subtitle: str | None) -> Any:
    """Return the map axes of a new page: the map box hangs under the title with the data's aspect."""
    minx, miny, maxx, maxy = bounds
    fig = Figure(figsize=style.figsize, dpi=style.dpi)
    ensure_agg(fig)
    w_in, h_in = style.figsize
    top = 0.905 if subtitle else 0.925  # notes go right under the box
    bottom_reserve = 0.05
    ratio = (maxy - miny) / (maxx - minx)
    avail_w, avail_h = 0.92 * w_in, (top - bottom_reserve) * h_in
    if avail_w * ratio <= avail_h:
        box = [0.04, top - avail_w * ratio / h_in, 0.92, avail_w * ratio / h_in]
    else:
        wf = avail_h / ratio / w_in
        box = [0.04 + (0.92 - wf) / 2, bottom_reserve, wf, top - bottom_reserve]
    return fig.add_axes(box)


def _draw(base: gpd.GeoDataFrame, column: str | None, *, title: str, subtitle: str | None,
          overlays: Sequence[Overlay], boundaries: gpd.GeoDataFrame | None, labels: gpd.GeoDataFrame | None,
          provinces: gpd.GeoDataFrame | bool, ax: Any, style: MapStyle, source: Any = None) -> MapFigure:
    page = ax is None
    minx, miny, maxx, maxy = (base.total_bounds if style.extent is None else np.asarray(style.extent, dtype=float))
    pad = 0.03 * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    if page:
        ax = _page_axes((minx, miny, maxx, maxy), style, subtitle)
    fig = ax.figure
    ensure_agg(fig)
    with deferred_draws(fig):  # drawn once, when saved: not after each layer
        return _draw_layers(base, column, title=title, subtitle=subtitle, overlays=overlays, boundaries=boundaries,
                            labels=labels, provinces=provinces, ax=ax, style=style, source=source,
                            page=page, extent=(minx, miny, maxx, maxy))


def _draw_layers(base: gpd.GeoDataFrame, column: str | None, *, title: str, subtitle: str | None,
                 overlays: Sequence[Overlay], boundaries: gpd.GeoDataFrame | None, labels: gpd.GeoDataFrame | None,
                 provinces: gpd.GeoDataFrame | bool, ax: Any, style: MapStyle, source: Any, page: bool,
                 extent: tuple[float, float, float, float]) -> MapFigure:
    """Return the finished map of :func:`plot_map`: layers, furniture and labels drawn on ``ax`` (limits ``extent``;
    ``page``: ``ax`` is the map box of a page of its own)."""
    minx, miny, maxx, maxy = extent
    fig = ax.figure
    w_in, h_in = fig.get_size_inches()
    mark_map_axes(ax)
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
    geoms = (simplified(base, tol) if source is None
             else _simplified_layer(source, "plot_map", tol, projected=base))
    if column is None:
        _plot_polygons(ax, gpd.GeoSeries(geoms, crs=MAP_CRS), color="#f2efe6", edgecolor="#9a9a9a", linewidth=0.3,
                       zorder=1)
    else:
        values = base[column]
        is_cat = style.categorical if style.categorical is not None else not is_numeric(values)
        if is_cat:
            handles += _draw_categories(ax, geoms, values, style)
        else:
            classification, class_handles = _draw_classes(ax, geoms, values, style)
            handles += class_handles
    if boundaries is not None:
        _plot_polygons(ax, _simplified_layer(boundaries, "boundaries", tol), facecolor="none", edgecolor="#6b6b6b",
                       linewidth=0.45, zorder=2.5)
        boundary_handle = Line2D([], [], color="#6b6b6b", linewidth=0.6, label=style.boundaries_label)
    else:
        boundary_handle = None
    if provinces is not False:
        prov = provinces if isinstance(provinces, gpd.GeoDataFrame) else load_units("province")
        _plot_polygons(ax, _simplified_layer(prov, "provinces", tol), facecolor="none", edgecolor="#3d3d3d",
                       linewidth=1.0, zorder=3)
        handles.append(Line2D([], [], color="#3d3d3d", linewidth=1.0, label="省界"))
    if boundary_handle is not None:
        handles.append(boundary_handle)
    for ov in overlays:
        handles += _draw_overlay(ax, ov, tol)

    if page:
        add_page_title(fig, title, subtitle, font_family=style.font_family)
        add_source_note(fig, style.source, date=style.date, data_year=style.data_year,
                        approval_number=style.approval_number, disclaimer=style.disclaimer, x=0.04,
                        y=box.y0 - 0.012, width=0.92, fontsize=6.2, font_family=style.font_family)
    else:
        add_panel_title(ax, title, subtitle, font_family=style.font_family)
    table_title = None if style.legend_title else legend_title_for(column, style.column_titles)
    # a title from the label table names its unit already
    legend = add_legend(ax, handles, title=style.legend_title or table_title or column,
                        units=None if table_title else style.units, loc=style.legend_loc,
                        font_family=style.font_family)
    bar_km = add_scale_bar(ax) if style.scale_bar else 0.0
    if style.north_arrow:
        add_north_arrow(ax, font_family=style.font_family)

    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    for a in ax.texts:  # an arrowhead gets its size when drawn (dpi): drawn here, its box is the one printed
        if getattr(a, "arrow_patch", None) is not None:
            a.draw(renderer)
    # the legend, scale bar and north arrow are the boxes labels (and the locator) must keep out of
    obstacles = [a.get_window_extent(renderer) for a in [legend, *ax.texts, *ax.patches] if a is not None]
    inset = None
    if style.locator:
        locator_provinces = provinces if isinstance(provinces, gpd.GeoDataFrame) else load_units("province")
        inset = add_locator(ax, locator_provinces, data=base, avoid=obstacles)
        obstacles.append(inset.get_window_extent(renderer))
    placed: list[str] = []
    dropped: list[str] = []
    if labels is not None and len(labels):
        placed, dropped = place_unit_labels(ax, labels, label_column=style.label_column,
                                            priority=style.label_priority, renderer=renderer, obstacles=obstacles)
    return MapFigure(figure=fig, ax=ax, classification=classification, labels_placed=placed,
                     labels_dropped=dropped, scale_bar_km=bar_km, data_year=style.data_year if page else None,
                     locator=inset)


def _draw_classes(ax: Any, geoms: gpd.GeoSeries, values: pd.Series, style: MapStyle) -> tuple[Classification, list]:
    """Return the classes of a numeric column drawn as a choropleth, and their legend entries."""
    classification = classify(values, scheme=style.scheme, k=style.k, bins=style.bins, fmt=style.fmt,
                              nice=style.nice, midpoint=style.midpoint)
    colours = class_colors(classification, style.cmap)
    if style.class_labels is not None:
        texts = _class_texts(style.class_labels, len(classification.bins))
        classification.labels = [texts.get(i, lab) for i, lab in enumerate(classification.labels)]
    fill = [colours[c] if c >= 0 else MISSING_COLOR for c in classification.classes]
    _plot_polygons(ax, gpd.GeoSeries(geoms, crs=MAP_CRS), color=fill, edgecolor=style.edgecolor, linewidth=0.3, zorder=1)
    handles = [_legend_patch(colr, _counted(lab, n, style.legend_counts))
               for lab, n, colr in zip(classification.labels, classification.counts, colours)
               if n > 0 or not style.hide_empty_classes]
    n_missing = int((classification.classes < 0).sum())
    if n_missing:
        handles.append(_legend_patch(MISSING_COLOR, _counted(style.missing_label, n_missing, style.legend_counts)))
    return classification, handles


def _draw_categories(ax: Any, geoms: gpd.GeoSeries, values: pd.Series, style: MapStyle) -> list:
    """Return the legend entries of a categorical column drawn as a choropleth."""
    categories = style.categories or {}
    vals = pd.Series(values).reset_index(drop=True)
    present = [v for v in pd.unique(vals.dropna())]
    order = [c for c in categories if c in present] + [v for v in present if v not in categories]
    given = style.category_colors or {}
    colours = {v: given[v] if given.get(v) is not None else default
               for v, default in zip(order, palette(len(order), style.cmap, categorical=True))}
    fill = [colours.get(v, MISSING_COLOR) if not pd.isna(v) else MISSING_COLOR for v in vals]
    _plot_polygons(ax, gpd.GeoSeries(geoms.values, crs=MAP_CRS), color=fill, edgecolor=style.edgecolor, linewidth=0.3,
                                                  zorder=1)
    handles = [_legend_patch(colours[v], _counted(categories.get(v, str(v)), int((vals == v).sum()),
                                                  style.legend_counts)) for v in order]
    if vals.isna().any():
        handles.append(_legend_patch(MISSING_COLOR, _counted(style.missing_label, int(vals.isna().sum()),
                                                             style.legend_counts)))
    return handles


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


def _draw_overlay(ax, ov: Overlay, tol: float) -> list:
    f = to_map_crs(ov.frame, f"overlay {ov.label!r}")
    if f.empty:
        return []
    kinds = set(f.geom_type.str.replace("Multi", "", regex=False))
    handles = []
    if "Polygon" in kinds:
        polys = f[f.geom_type.str.endswith("Polygon")]
        # the same outlines (the 305 counties, the cities) come back as overlays and base maps: simplified once.
        # Keyed by the given frame (as base maps are) when every row is drawn here, else by the polygons drawn.
        outlines = _simplified_layer(ov.frame if len(polys) == len(ov.frame) else polys, f"overlay {ov.label!r}",
                                     tol, projected=polys)
        _plot_polygons(ax, outlines, facecolor=ov.facecolor or "none", edgecolor=ov.color, linewidth=ov.linewidth,
                      linestyle=ov.linestyle, alpha=ov.alpha if ov.facecolor else 1.0, zorder=ov.zorder)
        if ov.label:
            edge, width = _swatch_stroke(ov.color, ov.linewidth)
            if ov.facecolor:  # the fill keeps its opacity, the edge stays opaque so the swatch has an outline
                face = matplotlib.colors.to_rgba(ov.facecolor, ov.alpha)
                handles.append(Patch(facecolor=face, edgecolor=edge, linewidth=width, linestyle=ov.linestyle,
                                     label=ov.label))
            else:  # an outline layer (county boundaries) reads as a line
                handles.append(Line2D([], [], color=edge, linewidth=width, linestyle=ov.linestyle, label=ov.label))
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
            edge, width = _swatch_stroke(ov.color, ov.linewidth)
            handles.append(Line2D([], [], color=edge, linewidth=width, linestyle=ov.linestyle,
                                  marker=">" if ov.arrows else None, markersize=4, label=ov.label))
    if "Point" in kinds:
        pts = f[f.geom_type.str.endswith("Point")]
        pts.geometry.plot(ax=ax, color=ov.color, marker=ov.marker, markersize=ov.markersize,
                          edgecolor="white", linewidth=0.4, zorder=ov.zorder + 0.5)
        if ov.label:
            edge, _ = _swatch_stroke(ov.color, 0.0)
            shows = edge == matplotlib.colors.to_hex(ov.color)  # a light point gets a dark rim in the legend
            handles.append(Line2D([], [], color=ov.color, marker=ov.marker, linestyle="none",
                                  markersize=math.sqrt(ov.markersize), markeredgecolor="white" if shows else edge,
                                  label=ov.label))
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
