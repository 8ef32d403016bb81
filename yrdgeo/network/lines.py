"""Networks from the planner's own line layers: roads or rails with a speed or time attribute.

:func:`from_lines` reads a GeoPackage, Shapefile or GeoJSON layer (through the layer gate,
:mod:`yrdgeo.inputs`) or a GeoDataFrame, measures lengths in :data:`yrdgeo.crs.DISTANCE_CRS` and
joins line ends closer than a tolerance into one node.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from ..checks import check_choice, check_number
from ..crs import WGS84, require_crs, to_metric
from ..inputs import check_layer, read_layer
from .model import COMPONENT_POLICIES, Network, apply_components

__all__ = ["from_lines"]

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
    layer: str | None = None,
    components: str = "error",
) -> Network:
    """Return a network built from a line layer, joining line ends that lie within ``snap_m`` metres.

    Parameters
    ----------
    lines
        A GeoDataFrame of (Multi)LineStrings with a CRS, or a path to a
        GeoPackage/Shapefile/GeoJSON layer. The layer is not modified.
        Lines meet only at their ends: split lines at junctions first (as
        routable layers are). MultiLineStrings are split into their parts.
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
        Line ends closer than this many metres become one node (measured in
        :data:`yrdgeo.crs.DISTANCE_CRS`, whatever the layer's CRS).
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
    for col in (speed, time, oneway, opened, name_column):
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

    coords = shapely.get_coordinates(metric.geometry.values, return_index=False)
    n_pts = shapely.get_num_coordinates(metric.geometry.values)
    starts = np.concatenate([[0], np.cumsum(n_pts)[:-1]])
    ends = starts + n_pts - 1
    endpoints = np.vstack([coords[starts], coords[ends]])  # first all starts, then all ends
    node_of_end, node_xy = _snap(endpoints, snap_m)
    m = len(work)
    u, v = node_of_end[:m], node_of_end[m:]
    loops = u == v
    if loops.any():
        warnings.warn(f"{label}: {int(loops.sum())} lines start and end at the same node (after snapping) and were dropped", stacklevel=2)

    node_pts = gpd.GeoSeries(gpd.points_from_xy(node_xy[:, 0], node_xy[:, 1]), crs=metric.crs).to_crs(WGS84)
    nodes = gpd.GeoDataFrame({"node_id": [f"n{i}" for i in range(len(node_xy))], "name": ""}, geometry=node_pts.values, crs=WGS84)
    edges = gpd.GeoDataFrame(
        {
            "u": u, "v": v,
            "line": work[name_column].fillna("").astype(str).to_numpy() if name_column else "",
            "mode": mode, "length_km": length_km, "speed_kmh": speeds, "time_min": minutes,
            "oneway": _booleans(work[oneway], label, oneway) if oneway else False,
            "opened": work[opened].fillna("").astype(str).to_numpy() if opened else "",
            "source": label,
        },
        geometry=work.geometry.to_crs(WGS84).values, crs=WGS84,
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


def _snap(points: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Return a node label per point (points within ``tol`` of each other share one) and node coordinates."""
    if tol > 0:
        pairs = cKDTree(points).query_pairs(r=tol, output_type="ndarray")
    else:
        pairs = np.empty((0, 2), int)
    # exact duplicates always merge
    _, first = np.unique(np.round(points, 6), axis=0, return_inverse=True)
    first = first.ravel()
    n = len(points)
    rows = np.concatenate([pairs[:, 0], np.arange(n)])
    cols = np.concatenate([pairs[:, 1], first + n])
    adj = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(2 * n, 2 * n))
    _, labels = csgraph.connected_components(adj, directed=False)
    labels = labels[:n]
    _, labels = np.unique(labels, return_inverse=True)
    k = labels.max() + 1
    xy = np.column_stack([np.bincount(labels, points[:, 0], k), np.bincount(labels, points[:, 1], k)])
    xy /= np.bincount(labels, minlength=k)[:, None]
    return labels, xy
