"""Networks from the planner's own line layers: roads or rails with a speed or time attribute.

:func:`from_lines` reads a GeoPackage, Shapefile or GeoJSON layer (through the layer gate,
:mod:`yrdgeo.inputs`) or a GeoDataFrame, measures lengths in :data:`yrdgeo.crs.DISTANCE_CRS` and
nodes the lines (see :data:`NODING`): at shared vertices (default), also where
they cross, or only at their ends; points closer than ``snap_m`` become one
node, and a level column keeps a bridge apart from the road it passes over.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from ..checks import check_choice, check_number
from ..choices import NODING  # light, for the command line's parser
from ..crs import WGS84, require_crs, to_metric
from ..inputs import check_layer, is_blank, read_layer
from .model import COMPONENT_POLICIES, Network, apply_components

__all__ = ["NODING", "from_lines"]

#: Where :func:`from_lines` joins lines (``node=``), the default first: ``"vertices"`` (every vertex a line
#: shares with another line, within ``snap_m``, as QGIS's network analysis and QNEAT3 build their graphs),
#: ``"crossings"`` (also where lines cross or one ends on another's segment, without a vertex there) or
#: ``"endpoints"`` (line ends only: a layer already split at its junctions, as before noding existed).

def from_lines(
    lines: gpd.GeoDataFrame | str | os.PathLike,
    *,
    speed: str | None = None,
    time: str | None = None,
    default_speed_kmh: float | None = None,
    oneway: str | None = None,
    opened: str | None = None,
    name_column: str | None = None,
    mode: str = "road",
    snap_m: float = 5.0,
    node: str = "vertices",
    level: str | None = None,
    layer: str | None = None,
    components: str = "error",
) -> Network:
    """Return a network built from a line layer, noded at shared vertices (or crossings, or ends) within ``snap_m``.

    Parameters
    ----------
    lines
        A GeoDataFrame of (Multi)LineStrings with a CRS, or a path to a
        GeoPackage/Shapefile/GeoJSON layer. The layer is not modified.
        Where lines meet is set by ``node``; MultiLineStrings are split into their parts.
    speed
        Column with speed in km/h (must be > 0). One of ``speed``/``time``/
        ``default_speed_kmh`` is required.
    time
        Column with travel time in minutes per line (must be > 0); wins over ``speed``.
        A MultiLineString's time is for the whole feature: it is split across
        its parts in proportion to their lengths, so the parts together take
        the feature's time (a part is not given the whole time).
    default_speed_kmh
        Speed for rows whose ``speed`` is empty (or for all rows if no column).
    oneway
        Boolean column: True = usable only in digitised direction.
    opened
        Column with opening dates (for :func:`yrdgeo.network.model.as_of`).
    name_column
        Column copied to the edges' ``line``.
    mode
        Value written to the edges' ``mode``.
    snap_m
        Points closer than this many metres become one node (measured in
        :data:`yrdgeo.crs.DISTANCE_CRS`, whatever the layer's CRS): line ends,
        and with ``node="vertices"``/``"crossings"`` vertices of different lines
        (a line's own vertices are never merged with each other, so a dense
        curve does not collapse); with ``"crossings"`` a line end this close to
        another line's segment joins it there (an undershoot).
    node
        One of :data:`NODING`. ``"vertices"`` (default) splits a line at every
        vertex it shares with another line, so a layer digitised with snapping
        (junctions as shared vertices, not split) is routable as QGIS's
        network analysis and QNEAT3 read it, and a layer split at junctions
        gives the same network as ``"endpoints"``; it does not invent a
        junction where two lines cross without a vertex, which in a road layer
        is as often a bridge as a crossroads. ``"crossings"`` also nodes those
        crossings (``shapely`` intersections found through an ``STRtree``) —
        give ``level`` to keep bridges and tunnels apart. ``"endpoints"``:
        lines meet only at their ends, the behaviour before noding existed.
        A split line's time is shared among its pieces by length, so the
        pieces together take the line's time.
    level
        Column with each line's level (bridge/tunnel/ground: e.g. 1/-1/0, or
        a z-level). Where the *inside* of lines meets (a shared interior
        vertex, a crossing), lines join only when their levels are equal, so a
        bridge over a road is not a junction; line *ends* join whatever their
        levels (a bridge's end meets the ground road at its ramp). Empty cells
        are one level of their own (fill them with the ground value). Makes no
        difference with ``node="endpoints"``.
    layer
        Layer name when ``lines`` is a multi-layer file.
    components
        ``"error"`` (default: a disconnected layer is refused — usually a
        snapping problem), ``"largest"`` or ``"keep"``.

    Returns
    -------
    Network
        Nodes and edges in EPSG:4326. ``length_km`` is measured in
        :data:`yrdgeo.crs.DISTANCE_CRS` (EPSG:4549) whatever the layer's CRS
        (a layer in EPSG:3857 is reprojected, not measured in its inflated
        metres), so it is the same for the layer in any CRS; ``time_min`` =
        ``time`` or ``length / speed``.
    """
    check_number("snap_m", snap_m, inclusive=True, unit="metres")
    check_number("default_speed_kmh", default_speed_kmh, allow_none=True, unit="km/h")
    check_choice("components", components, COMPONENT_POLICIES)
    check_choice("node", node, NODING)
    if isinstance(lines, (str, os.PathLike)):
        src = str(lines)
        if not Path(src).exists():
            msg = f"line layer {src!r} does not exist"
            raise FileNotFoundError(msg)
        label = Path(src).name
        # the layer gate: a file GDAL can read, a CRS that fits the coordinates, lines only, none null or empty
        frame = read_layer(src, layer=layer, geometry="line", key=None, compare_bundled=False, what="line layer")
    elif isinstance(lines, gpd.GeoDataFrame):
        frame, label = lines, "line layer"
        require_crs(frame, what=f"building a network from {label}")
        if len(frame):
            frame = check_layer(frame, geometry="line", key=None, compare_bundled=False, what=label)
    else:
        msg = f"lines must be a GeoDataFrame or a file path, got {type(lines).__name__}"
        raise ValueError(msg)
    require_crs(frame, what=f"building a network from {label}")
    if speed is None and time is None and default_speed_kmh is None:
        msg = (
            f"{label}: give a speed column (speed='maxspeed', km/h), a time column (time='minutes') "
            "or default_speed_kmh; the layer's columns are " + ", ".join(map(str, frame.columns))
        )
        raise ValueError(msg)
    for col in (speed, time, oneway, opened, name_column, level):
        if col is not None and col not in frame.columns:
            msg = f"{label} has no column {col!r}; its columns are " + ", ".join(map(str, frame.columns))
            raise ValueError(msg)
    gtypes = set(frame.geometry.geom_type.dropna())
    if not gtypes or not gtypes <= {"LineString", "MultiLineString"}:
        msg = f"{label} must hold LineString/MultiLineString geometries, got {sorted(gtypes) or 'none'}"
        raise ValueError(msg)
    kept = frame[frame.geometry.notna() & ~frame.geometry.is_empty].reset_index(drop=True)
    work = kept.explode(index_parts=False)
    feature = work.index.to_numpy()  # which input row each part came from
    work = work.reset_index(drop=True)
    metric = to_metric(work, what=f"building a network from {label}")
    length_km = metric.geometry.length.to_numpy() / 1000.0

    if time is not None:
        row_minutes = pd.to_numeric(kept[time], errors="coerce").to_numpy(float)
        if kept[time].isna().any() or not (row_minutes > 0).all():
            bad = np.flatnonzero(~(row_minutes > 0))
            msg = f"{label}: column {time!r} must hold positive minutes; {len(bad)} rows are empty, zero or negative (rows {bad[:5].tolist()})"
            raise ValueError(msg)
        # a MultiLineString's time is for the whole feature: its parts share it by length, so the feature
        # still takes its time end to end (giving every part the whole time would count it once per part)
        feature_km = np.bincount(feature, weights=length_km, minlength=len(kept))[feature]
        with np.errstate(divide="ignore", invalid="ignore"):
            minutes = row_minutes[feature] * (length_km / feature_km)
            speeds = length_km / (minutes / 60.0)
    else:
        if speed is not None:
            speeds = pd.to_numeric(work[speed], errors="coerce").to_numpy(float)
            nonnum = work[speed].notna().to_numpy() & np.isnan(speeds)
            if nonnum.any():
                msg = f"{label}: column {speed!r} holds non-numeric values, e.g. {work.loc[nonnum, speed].head(3).tolist()}; expected km/h"
                raise ValueError(msg)
        else:
            speeds = np.full(len(work), np.nan)
        empty = np.isnan(speeds)
        if empty.any():
            if default_speed_kmh is None:
                msg = f"{label}: {int(empty.sum())} rows have no speed in {speed!r}; fill them or pass default_speed_kmh"
                raise ValueError(msg)
            speeds = np.where(empty, default_speed_kmh, speeds)
        bad = np.flatnonzero(speeds <= 0)
        if len(bad):
            msg = (
                f"{label}: {len(bad)} rows have zero or negative speed in {speed!r} "
                f"(values {speeds[bad][:5].tolist()}, rows {bad[:5].tolist()}); speeds must be positive km/h"
            )
            raise ValueError(msg)
        minutes = length_km / speeds * 60.0
    zero = np.flatnonzero(~(length_km > 0))
    if len(zero):
        msg = f"{label}: {len(zero)} lines have zero length (rows {zero[:5].tolist()})"
        raise ValueError(msg)

    levels = _levels(kept[level])[feature] if level else np.zeros(len(work), int)
    pieces = _node(np.asarray(metric.geometry.values, dtype=object), levels, snap_m, node)
    m = len(pieces.part)
    u, v = pieces.ends[:m], pieces.ends[m:]
    loops = u == v
    if loops.any():
        warnings.warn(f"{label}: {int(loops.sum())} lines start and end at the same node (after snapping) and were dropped", stacklevel=2)
    part = pieces.part
    piece_km = shapely.length(pieces.geometry) / 1000.0
    # a split line's time is shared by length: its pieces together take the line's time
    share = piece_km / np.bincount(part, weights=piece_km, minlength=len(work))[part]
    whole = pieces.whole
    geometry = gpd.GeoSeries(pieces.geometry, crs=metric.crs).to_crs(WGS84).to_numpy()
    geometry[whole] = work.geometry.to_crs(WGS84).to_numpy()[part[whole]]  # an unsplit line keeps its own geometry
    node_xy = pieces.node_xy
    node_pts = gpd.GeoSeries(gpd.points_from_xy(node_xy[:, 0], node_xy[:, 1]), crs=metric.crs).to_crs(WGS84)
    nodes = gpd.GeoDataFrame({"node_id": [f"n{i}" for i in range(len(node_xy))], "name": ""}, geometry=node_pts.values, crs=WGS84)
    edges = gpd.GeoDataFrame(
        {
            "u": u, "v": v,
            "line": work[name_column].fillna("").astype(str).to_numpy()[part] if name_column else "",
            "mode": mode, "length_km": np.where(whole, length_km[part], piece_km), "speed_kmh": speeds[part],
            "time_min": np.where(whole, minutes[part], minutes[part] * share),
            "oneway": _booleans(work[oneway], label, oneway)[part] if oneway else False,
            "opened": work[opened].fillna("").astype(str).to_numpy()[part] if opened else "",
            "source": label,
        },
        geometry=geometry, crs=WGS84,
    )
    edges = edges.loc[~loops].reset_index(drop=True)
    if not len(edges):
        msg = f"{label}: no usable lines remain after snapping"
        raise ValueError(msg)
    net = Network(nodes, edges, name=label)
    return apply_components(net, components)


_TRUE = {"true", "yes", "y", "t", "1"}
_FALSE = {"false", "no", "n", "f", "0", ""}


def _booleans(values: pd.Series, label: str, column: str) -> np.ndarray:
    """Return a boolean array from bools, 0/1 or yes/no/true/false text; raise ValueError on anything else."""
    if values.dtype == bool:
        return values.to_numpy()
    text = values.fillna("").astype(str).str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        msg = f"{label}: column {column!r} must hold yes/no, true/false or 1/0; got {sorted(set(values[bad].astype(str)))[:5]}"
        raise ValueError(msg)
    return text.isin(_TRUE).to_numpy()


def _levels(values: pd.Series) -> np.ndarray:
    """Return an integer code per row of a level column: numbers compared as numbers, text stripped, blanks one level."""
    num = pd.to_numeric(values, errors="coerce")
    keys = ["" if is_blank(raw) else (f"{n:g}" if pd.notna(n) else str(raw).strip()) for raw, n in zip(values, num)]
    return pd.factorize(pd.Series(keys, dtype=object))[0]


@dataclass
class _Pieces:
    """Lines cut at their nodes: per piece its input part, metric geometry, whether it is the whole part."""

    part: np.ndarray
    geometry: np.ndarray
    whole: np.ndarray
    ends: np.ndarray  # node of each piece's first point, then of each piece's last point
    node_xy: np.ndarray


def _node(geoms: np.ndarray, levels: np.ndarray, tol: float, node: str) -> _Pieces:
    """Return the metric lines ``geoms`` cut into pieces at their nodes (see :data:`NODING`), with node labels."""
    if node == "crossings":
        geoms = _with_crossings(geoms, levels, tol)
    coords, part = shapely.get_coordinates(geoms, return_index=True)
    first = np.r_[True, part[1:] != part[:-1]]
    last = np.r_[part[1:] != part[:-1], True]
    is_end = first | last
    label = np.full(len(coords), -1)
    if node == "endpoints":
        used = np.flatnonzero(is_end)
    else:
        used = np.arange(len(coords))
        tol = max(tol, 1e-6)  # points a crossing puts on two lines may differ in the last bits
    label[used], node_xy = _snap(coords[used], tol, part[used], levels[part[used]], is_end[used])
    cut = is_end.copy()
    if node != "endpoints":
        # an interior vertex is a node when a vertex of another line has the same node
        lines_at = np.unique(np.column_stack([label, part]), axis=0)[:, 0]
        cut |= np.bincount(lines_at, minlength=len(node_xy))[label] > 1
    # piece ids: a cut starts a piece; an interior cut also ends the previous piece (so it is listed twice)
    pid = np.cumsum(cut & ~last) - 1
    again = np.flatnonzero(cut & ~is_end)
    rows = np.r_[np.arange(len(coords)), again]
    pids = np.r_[pid, pid[again] - 1]
    order = np.lexsort((rows, pids))
    rows, pids = rows[order], pids[order]
    head = np.r_[True, pids[1:] != pids[:-1]]
    tail = np.r_[pids[1:] != pids[:-1], True]
    piece_part = part[rows[head]]
    whole = np.bincount(piece_part, minlength=len(geoms))[piece_part] == 1
    used_nodes, ends = np.unique(np.r_[label[rows[head]], label[rows[tail]]], return_inverse=True)
    # nodes only where pieces end: a vertex inside a piece is not a node
    return _Pieces(piece_part, shapely.linestrings(coords[rows], indices=pids), whole, ends.ravel(),
                   node_xy[used_nodes])


def _with_crossings(geoms: np.ndarray, levels: np.ndarray, tol: float) -> np.ndarray:
    """Return ``geoms`` with a vertex added where lines of one level cross, touch or pass within ``tol``."""
    tree = shapely.STRtree(geoms)
    if tol > 0:
        a, b = tree.query(geoms, predicate="dwithin", distance=tol)
    else:
        a, b = tree.query(geoms, predicate="intersects")
    keep = (a < b) & (levels[a] == levels[b])
    a, b = a[keep], b[keep]
    meet = shapely.intersection(geoms[a], geoms[b])
    pts, pair = shapely.get_coordinates(meet, return_index=True)
    lines, xy = [a[pair], b[pair]], [pts, pts]  # the same point on both lines, so they share a node
    near = shapely.is_empty(meet)
    if near.any():
        # within tol without touching (a line ending just short of another): the closest points of the two
        gap = shapely.get_coordinates(shapely.shortest_line(geoms[a[near]], geoms[b[near]])).reshape(-1, 2, 2)
        lines += [a[near], b[near]]
        xy += [gap[:, 0], gap[:, 1]]
    lines, xy = np.concatenate(lines), np.concatenate(xy)
    out = geoms.copy()
    for i in np.unique(lines):
        out[i] = _insert(geoms[i], xy[lines == i])
    return out


def _insert(line: shapely.LineString, xy: np.ndarray) -> shapely.LineString:
    """Return ``line`` with the points ``xy`` (on or next to it) added as vertices in their order along it."""
    own = shapely.get_coordinates(line)
    along = np.r_[0.0, np.cumsum(np.hypot(*np.diff(own, axis=0).T))]
    at = shapely.line_locate_point(line, shapely.points(xy))
    coords = np.vstack([own, xy])
    order = np.lexsort((np.r_[np.zeros(len(own)), np.ones(len(xy))], np.r_[along, at]))
    coords = coords[order]
    keep = np.r_[True, np.hypot(*np.diff(coords, axis=0).T) > 1e-6]  # a point already there is not added again
    keep[-1] = True
    coords = coords[keep]
    if len(coords) > 2 and np.hypot(*(coords[-1] - coords[-2])) <= 1e-6:
        coords = np.delete(coords, -2, axis=0)
    return shapely.linestrings(coords)


def _snap(points: np.ndarray, tol: float, part: np.ndarray, level: np.ndarray,
          is_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a node label per point and node coordinates: points within ``tol`` that may meet share one.

    Two line ends may always meet; otherwise two points meet only on different lines (a line's own dense
    vertices are not merged into one node) of the same level (a bridge's vertex over a road's is not a junction).
    """
    n = len(points)
    if tol > 0:
        pairs = cKDTree(points).query_pairs(r=tol, output_type="ndarray")
        a, b = pairs[:, 0], pairs[:, 1]
        pairs = pairs[(is_end[a] & is_end[b]) | ((part[a] != part[b]) & (level[a] == level[b]))]
    else:
        pairs = np.empty((0, 2), int)
    # exact duplicates always merge, at one level or where both are line ends
    rounded = np.round(points, 6)
    _, same = np.unique(np.column_stack([rounded, level]), axis=0, return_inverse=True)
    ends = np.flatnonzero(is_end)
    _, same_end = np.unique(rounded[ends], axis=0, return_inverse=True)
    k1 = same.max() + 1
    rows = np.concatenate([pairs[:, 0], np.arange(n), ends])
    cols = np.concatenate([pairs[:, 1], n + same.ravel(), n + k1 + same_end.ravel()])
    size = n + k1 + len(ends)
    adj = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    _, labels = csgraph.connected_components(adj, directed=False)
    labels = labels[:n]
    _, labels = np.unique(labels, return_inverse=True)
    labels = labels.ravel()
    k = labels.max() + 1
    xy = np.column_stack([np.bincount(labels, points[:, 0], k), np.bincount(labels, points[:, 1], k)])
    xy /= np.bincount(labels, minlength=k)[:, None]
    return labels, xy
