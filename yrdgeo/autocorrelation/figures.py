"""Figures of spatial autocorrelation results: the Moran scatterplot and LISA / Gi* cluster maps.

Both take a :class:`~yrdgeo.autocorrelation.stats.LocalResult` and return a
matplotlib Figure. matplotlib and :mod:`yrdgeo.maps` (the CJK font, label
placement, the map furniture) are imported when a figure is drawn, so the
statistics load without them.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np

from .stats import (
    CLUSTER_ORDER, COLD, HH, HL, HOT, ISOLATED, LH, LL, MISSING, NOT_SIGNIFICANT, SPOT_ORDER, LocalResult,
)

#: Cluster/spot label -> Chinese label for maps.
LABELS_ZH = {
    HH: "高-高", LH: "低-高", LL: "低-低", HL: "高-低", NOT_SIGNIFICANT: "不显著",
    ISOLATED: "孤立（无邻居）", MISSING: "缺失", HOT: "热点", COLD: "冷点",
}
#: Cluster/spot label -> colour (the usual LISA palette of GeoDa/splot).
COLOURS = {
    HH: "#d7191c", LH: "#abd9e9", LL: "#2c7bb6", HL: "#fdae61", NOT_SIGNIFICANT: "#e0e0e0",
    ISOLATED: "#8c8c8c", MISSING: "#ffffff", HOT: "#d7191c", COLD: "#2c7bb6",
}

__all__ = ["COLOURS", "LABELS_ZH", "lisa_cluster_map", "moran_scatterplot"]


def moran_scatterplot(result: LocalResult, *, ax: Any = None, title: str | None = None, label_column: str | None = None,
                      chinese: bool = True, significant_only_colour: bool = True) -> Any:
    """Return a matplotlib Figure: the Moran scatterplot of a :func:`local_moran` result.

    x = standardised value, y = its spatial lag; the fitted line's slope is
    global Moran's I (row-standardised weights). Points are coloured by LISA
    cluster (grey when not significant, if ``significant_only_colour``).

    Parameters
    ----------
    result
        From :func:`local_moran` or :func:`local_moran_bv`.
    ax
        Axes to draw into (a new figure if None).
    title
        Title (default names the column).
    label_column
        Column of point labels (default ``short_zh`` or ``name_zh`` if present and n <= 60). Labels
        are placed by :func:`yrdgeo.maps.place_labels`, most extreme points first, so that none
        overlaps another label, a point or the legend; those without room are left out and listed
        in ``ax.labels_dropped``.
    chinese
        Chinese legend labels (font "Noto Sans CJK SC").
    """
    import matplotlib.pyplot as plt

    from ..maps import CJK_FAMILY as CJK_FONT

    if result.statistic not in ("local_moran", "local_moran_bv"):
        msg = f"a Moran scatterplot needs a local Moran result, got {result.statistic}"
        raise ValueError(msg)
    cols = result.columns
    df = result.frame[result.frame[cols["label"]].isin([HH, LH, LL, HL, NOT_SIGNIFICANT])]
    x = df[cols["z"]].to_numpy(float)
    y = df[cols["lag"]].to_numpy(float)
    labels = df[cols["label"]] if significant_only_colour else df[cols["quad"]]
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 6.0))
    else:
        fig = ax.figure
    font = {"family": CJK_FONT}
    for lab in (NOT_SIGNIFICANT, HH, LH, LL, HL):
        sel = (labels == lab).to_numpy()
        if sel.any():
            name = LABELS_ZH[lab] if chinese else lab
            ax.scatter(x[sel], y[sel], s=36, c=COLOURS[lab], edgecolors="#333333", linewidths=0.5,
                       label=f"{name} ({int(sel.sum())})", zorder=3)
    slope, intercept = np.polyfit(x, y, 1)
    xs = np.array([x.min(), x.max()])
    ax.plot(xs, intercept + slope * xs, color="#444444", lw=1.2, zorder=2,
            label=f"{'斜率' if chinese else 'slope'} = {slope:.3f}")
    ax.axhline(0, color="#999999", lw=0.8, zorder=1)
    ax.axvline(0, color="#999999", lw=0.8, zorder=1)
    if label_column is None:
        label_column = next((c for c in ("short_zh", "name_zh") if c in df.columns), None) if len(df) <= 60 else None
    ax.set_xlabel(f"{result.column}（标准化）" if chinese else f"{result.column} (standardised)", fontdict=font)
    ax.set_ylabel("空间滞后" if chinese else "spatial lag", fontdict=font)
    ax.set_title(title or (f"Moran 散点图：{result.column}" if chinese else f"Moran scatterplot: {result.column}"),
                 fontdict=font)
    legend = ax.legend(prop={"family": CJK_FONT, "size": 8}, loc="best")
    if label_column:
        _label_scatter(ax, legend, x, y, df[label_column].astype(str).tolist())
    return fig


def _label_scatter(ax: Any, legend: Any, x: np.ndarray, y: np.ndarray, texts: list[str]) -> None:
    """Write point labels that overlap no other label, point or the legend (yrdgeo.maps.place_labels).

    The most extreme points (furthest from the origin) are labelled first; a label with no free
    position is left out, and the texts left out are kept in ``ax.labels_dropped``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..maps import place_labels

    fig = ax.figure
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    ax.set_xlim(ax.get_xlim())  # freeze the autoscaled view: labels are laid out in display coordinates
    ax.set_ylim(ax.get_ylim())
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()  # places the legend (loc="best" is decided at draw time)
    obstacles = [legend.get_window_extent(renderer)]
    order = np.argsort(-(x ** 2 + y ** 2), kind="stable")
    # points are drawn with s=36 (radius 3 pt); place_labels keeps every label clear of every point
    _placed, dropped = place_labels(ax, x, y, texts, order=order, renderer=renderer, obstacles=obstacles,
                                    fontsize=7, point_radius=3.5)
    ax.labels_dropped = dropped


def lisa_cluster_map(result: LocalResult, *, ax: Any = None, title: str | None = None, chinese: bool = True,
                     label_column: str | None = None, source_note: str | None = None,
                     legend_loc: str = "upper right", subtitle: str | None = None, page: str | None = None) -> Any:
    """Return a matplotlib Figure: the LISA cluster map (or Gi* hot/cold spot map) of a local result.

    Colours are the usual ones (HH red, LL blue, LH light blue, HL orange,
    not significant light grey; isolated dark grey, missing white). The map is
    drawn by :func:`yrdgeo.maps.plot_map` into ``ax`` (a panel), so it has the
    map furniture of every yrdgeo map: it is in :data:`yrdgeo.maps.MAP_CRS`
    (EPSG:4549 metres), with scale bar, north arrow, province outlines,
    non-overlapping labels at the seats of government and the CJK font. A frame
    without a CRS cannot be placed on the map and is drawn as it is, without
    scale bar, north arrow or province outlines.

    Parameters
    ----------
    result
        From :func:`local_moran`, :func:`local_moran_bv` or :func:`gi_star`, on a GeoDataFrame.
    ax
        Axes to draw into (a new figure if None).
    title
        Title (default names the statistic and column).
    chinese
        Chinese legend labels (font "Noto Sans CJK SC").
    label_column
        Column of unit labels (default ``short_zh`` if present and n <= 60); labels that find no
        free position are left out (see :func:`yrdgeo.maps.place_labels`).
    source_note
        Text written under the map, at the left (data source).
    legend_loc
        matplotlib legend location (the YRD leaves the upper right, the sea, free).
    subtitle
        Smaller second line under the title (e.g. Moran's I and the weights).
    page
        ``"A4"`` or ``"A3"``: a finished portrait page of :func:`yrdgeo.maps.plot_map`
        (title, subtitle, map, and ``source_note`` in the page's source/date note, default
        :data:`yrdgeo.maps.DEFAULT_SOURCE`) instead of a 7.5 × 8 inch figure. Needs ``ax=None``
        and a frame with a CRS.
    """
    import matplotlib.pyplot as plt

    from .. import maps

    frame = result.frame
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = "a cluster map needs a GeoDataFrame result (the frame has no geometry)"
        raise ValueError(msg)
    if page is not None and (ax is not None or frame.crs is None):
        msg = (f"page={page!r} draws a page of its own: it needs ax=None and a frame with a CRS "
               f"(got ax={'an Axes' if ax is not None else None}, crs={frame.crs})")
        raise ValueError(msg)
    maps.cjk_font_path()
    order = SPOT_ORDER if result.statistic == "gi_star" else CLUSTER_ORDER
    if page is not None:
        fig = None
    elif ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 8.0))
    else:
        fig = ax.figure
    label_col = result.columns["label"]
    labels = frame[label_col]
    counts = {lab: int((labels == lab).sum()) for lab in order}
    present = [lab for lab in order if counts[lab]]
    legend_text = {lab: f"{LABELS_ZH[lab] if chinese else lab} ({counts[lab]})" for lab in present}
    if label_column is None and "short_zh" in frame.columns and len(frame) <= 60:
        label_column = "short_zh"
    corr = {"none": "未校正" if chinese else "uncorrected", "bonferroni": "Bonferroni", "fdr": "FDR"}[result.correction]
    if title is None:
        kind = {"local_moran": "LISA 聚类图", "local_moran_bv": "双变量 LISA 聚类图", "gi_star": "Gi* 热点图"}
        kind_en = {"local_moran": "LISA cluster map", "local_moran_bv": "Bivariate LISA cluster map",
                   "gi_star": "Gi* hot spots"}
        title = f"{(kind if chinese else kind_en)[result.statistic]}：{result.column}" if chinese else \
            f"{kind_en[result.statistic]}: {result.column}"
    note = (f"p < {result.cutoff:.4g}（α = {result.alpha:g}，{corr}），{result.permutations} 次置换"
            if chinese else f"p < {result.cutoff:.4g} (alpha {result.alpha:g}, {corr}), {result.permutations} permutations")
    if frame.crs is None:
        _plain_cluster_map(ax, frame, labels, present, legend_text, label_column,
                           f"{title}\n{subtitle}" if subtitle else title, note, legend_loc)
    else:
        # the cluster label column is categorical; the legend text carries the count "name (n)"
        drawn = maps.plot_map(frame, label_col, ax=ax, title=title, subtitle=subtitle, categorical=True,
                              categories=legend_text, category_colors={lab: COLOURS[lab] for lab in present},
                              legend_counts=False, legend_title=note, edgecolor="#555555", legend_loc=legend_loc,
                              labels=frame if label_column else None, label_column=label_column or "short_zh",
                              **({"page": page, "source": source_note or maps.DEFAULT_SOURCE} if page else {}))
        if page is not None:
            return drawn.figure
    if source_note:
        ax.annotate(source_note, xy=(0, 0), xycoords="axes fraction", xytext=(0, -4), textcoords="offset points",
                    fontsize=7, fontfamily=maps.CJK_FAMILY, ha="left", va="top", annotation_clip=False)
    return fig


def _plain_cluster_map(ax, frame, labels, present, legend_text, label_column, title, note, legend_loc) -> None:
    """Draw a cluster map of a frame without CRS in its own coordinates (no map furniture)."""
    from matplotlib.patches import Patch

    from ..maps import CJK_FAMILY as CJK_FONT

    handles = []
    for lab in present:
        sel = (labels == lab).to_numpy()
        frame[sel].plot(ax=ax, color=COLOURS[lab], edgecolor="#555555", linewidth=0.3)
        handles.append(Patch(facecolor=COLOURS[lab], edgecolor="#555555", label=legend_text[lab]))
    if label_column:
        pts = frame.geometry.representative_point()
        for pt, t in zip(pts, frame[label_column].astype(str)):
            ax.annotate(t, (pt.x, pt.y), ha="center", va="center", fontsize=6.5, fontfamily=CJK_FONT)
    ax.set_title(title, fontdict={"family": CJK_FONT})
    ax.legend(handles=handles, title=note, prop={"family": CJK_FONT, "size": 8},
              title_fontproperties={"family": CJK_FONT, "size": 8}, loc=legend_loc)
    ax.set_axis_off()
    ax.set_aspect("equal")
