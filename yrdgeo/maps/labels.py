"""Map labels: one point per unit, and a greedy placement of texts beside their points without overlaps."""

from __future__ import annotations

from typing import Any, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.transforms import Bbox, offset_copy

from ..crs import require_crs
from ..units import anchor_points
from .style import CJK_FAMILY, MAP_CRS, cjk_font_path, font_families

# Shanghai and the provincial capitals Nanjing, Hangzhou and Hefei: labelled first, in bold.
_CAPITALS = {"310100", "320100", "330100", "340100"}

# Candidate positions around a point: (dx, dy) in points and alignment; right first, as cartographers prefer.
_CANDIDATES = [
    (4, 0, "left", "center"), (-4, 0, "right", "center"), (0, 4, "center", "bottom"), (0, -4, "center", "top"),
    (3, 3, "left", "bottom"), (-3, 3, "right", "bottom"), (3, -3, "left", "top"), (-3, -3, "right", "top"),
    (9, 0, "left", "center"), (-9, 0, "right", "center"), (0, 9, "center", "bottom"), (0, -9, "center", "top"),
]


def label_points(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Return one label point per row: the seat (``anchor_lon``/``anchor_lat``) when present, else a point inside.

    The seats are used only when every row has one (see :func:`yrdgeo.units.anchor_points`);
    the points are in the frame's CRS.
    """
    require_crs(frame, what="label points")
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns) and frame[["anchor_lon", "anchor_lat"]].notna().all().all():
        return anchor_points(frame).geometry
    return frame.geometry.representative_point()


def place_unit_labels(
    ax: Any,
    labels: gpd.GeoDataFrame,
    *,
    label_column: str,
    priority: str | None = None,
    renderer: Any = None,
    obstacles: Sequence[Any] = (),
) -> tuple[list[str], list[str]]:
    """Return (placed, dropped) texts after labelling the units of ``labels`` on a map axes.

    Each unit gets a dot at its :func:`label_points` point (in :data:`MAP_CRS`) and the text of
    ``label_column`` beside it (:func:`place_labels`). Units with a higher ``priority`` column
    value go first; without one, Shanghai and the provincial capitals (in bold), then larger units.
    """
    pts = label_points(labels).to_crs(MAP_CRS)
    if priority is not None:
        prio = pd.to_numeric(labels[priority], errors="coerce").fillna(-np.inf).to_numpy()
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


def place_labels(
    ax: Any,
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
    family = font_families(font_family)
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
