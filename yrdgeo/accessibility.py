"""Travel-time accessibility over a :class:`yrdgeo.network.Network`: OD matrices, indicators, isochrones, change.

Every computation is a bulk Dijkstra run by :func:`scipy.sparse.csgraph.dijkstra`
on one sparse graph: the network plus one *virtual node* per origin and per
destination. An origin's virtual node has one-way access links to its
``k_nearest`` network nodes; a destination's virtual node has one-way egress
links from its nearest nodes. The link time is the straight-line distance
from the unit's anchor (seat of government) or point to the node at
``access_speed_kmh``, measured in :data:`yrdgeo.crs.DISTANCE_CRS` (EPSG:4549)
whatever CRS the places arrive in (a polygon's inner point is chosen there
too), so ``access_km`` and the times do not depend on the input CRS. Virtual nodes cannot be passed through, so they never
short-cut the network. OD matrices, cumulative opportunities and 2SFCA take ``n_jobs`` (the
searches split over worker processes sharing the graph, bit-identical times) and ``contract``
(degree-2 chains contracted): see :func:`yrdgeo.network.shortest_times`.

Unreachable is explicit: a time that cannot be reached is ``NaN`` (never 0,
never a large number), with a ``status`` column saying why (``unreachable``,
``beyond_cutoff``, ``no_access`` when no node lies within ``max_access_km``)
and a list of unreachable pairs on the result object.

Indicators (per origin unit ``i``, destinations ``j`` with opportunity ``O_j``,
travel time ``t_ij`` in minutes):

* time to a named centre (Shanghai by default) and to the nearest of several
  centres — one reverse Dijkstra, not a full matrix;
* weighted average travel time ``Σ_j O_j t_ij / Σ_j O_j`` over reachable
  ``j ≠ i`` (the number of unreachable ``j`` is reported beside it);
* cumulative opportunities ``Σ_j O_j [t_ij ≤ T]`` for T = 60, 90, 120 min
  (``j = i`` counts at ``t = 0``);
* Hansen gravity accessibility ``A_i = Σ_j O_j f(t_ij)`` with exponential decay
  ``f(t) = exp(−β t)``, ``β = ln 2 / half_life_min`` (default half-life 60 min:
  an opportunity one hour away counts half), or power decay ``f(t) = max(t, 1)^−b``;
* two-step floating catchment (2SFCA, Luo & Wang 2003): ``R_j = S_j / Σ_k P_k
  [t_kj ≤ d0]``, ``A_i = Σ_j R_j [t_ij ≤ d0]``.
"""

from __future__ import annotations

import datetime as _dt
import math
import warnings
from dataclasses import dataclass
from typing import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from .checks import check_choice, check_integer, check_number, check_numbers
from .choices import ACCESS_SPEED_KMH, ISOCHRONE_SHAPES, K_NEAREST  # light, for the command line's parser
from .crs import DISTANCE_CRS, WGS84, require_crs, to_metric, transformer
from .measure import PointLike, locate
from .network import Network, as_of, locality_order, shortest_times
from .network.shortest import CHUNK_BYTES  # noqa: F401 (public here since before the engine moved: benchmarks use it)
from .network.shortest import LAYOUT_MIN_SOURCES
from .units import by_code

#: Default access/egress speed (km/h) along the straight line from an anchor to a network node.
#: Default number of nearest network nodes an anchor may use to enter or leave the network. More than
#: one lets a seat reach a farther node in a straight line across anything, water included, so 1 is the default.
#: Hansen decay functions (see :func:`decay_weights`).
DECAYS = ("exponential", "power")
#: The four provincial-level capitals, the default set of centres for "nearest centre".
DEFAULT_CENTRES = ("上海市", "南京市", "杭州市", "合肥市")
#: What :func:`isochrones` returns (``shape=``): ``"grid"`` (default: the targets with their time and band) or
#: ``"polygons"`` (one polygon per band, dissolved from polygon targets and smoothed).

# --------------------------------------------------------------------------- places and the engine


@dataclass
class _Places:
    keys: np.ndarray
    xy: np.ndarray  # metres in DISTANCE_CRS


ANCHOR_POLICIES = ("seat", "inner_point")


def with_anchors(frame: gpd.GeoDataFrame, *, anchors: str = "seat", what: str = "units") -> gpd.GeoDataFrame:
    """Return a copy of a unit frame with ``anchor_lon``/``anchor_lat``: where each unit joins a network.

    A frame that has the anchor columns keeps them. Otherwise ``anchors="seat"`` takes the bundled
    seat of government of each row's ``adcode`` (an error names the rows without one), and
    ``anchors="inner_point"`` a point inside each polygon (chosen in :data:`DISTANCE_CRS`). The
    difference matters: Changzhou's inner point lies 40 km from its seat, and the access leg from
    there turns 43 minutes to Shanghai into 154. ``anchor_source`` says which was used.
    """
    check_choice("anchors", anchors, ANCHOR_POLICIES)
    out = frame.copy()
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns):
        return out
    if anchors == "seat":
        from .codes import CodeError, parse_code

        if "adcode" not in frame.columns:
            msg = (f"{what} have neither anchor_lon/anchor_lat columns nor an adcode column, so their seats of "
                   "government are unknown; add the anchor columns or use anchors='inner_point'")
            raise ValueError(msg)
        seats = by_code()
        codes, unknown = [], []
        for i, value in enumerate(frame["adcode"].tolist()):
            try:
                code = parse_code(value)
            except CodeError:
                code = None
            if code is None or code not in seats.index:
                unknown.append(f"row {i + 1} ({value})")
            codes.append(code)
        if unknown:
            msg = (f"{what} have no anchor_lon/anchor_lat columns and {len(unknown)} row(s) have no bundled seat of "
                   f"government by adcode: {', '.join(unknown[:10])}; add the anchor columns or use "
                   "anchors='inner_point'")
            raise ValueError(msg)
        out["anchor_lon"] = seats.loc[codes, "anchor_lon"].to_numpy(dtype=float)
        out["anchor_lat"] = seats.loc[codes, "anchor_lat"].to_numpy(dtype=float)
        out["anchor_source"] = "bundled_seat"
        return out
    require_crs(frame, what=what)
    inner = to_metric(frame.geometry, what=what).representative_point().to_crs(WGS84)
    out["anchor_lon"] = inner.x.to_numpy()
    out["anchor_lat"] = inner.y.to_numpy()
    out["anchor_source"] = "inner_point"
    return out


def _places(frame: gpd.GeoDataFrame | pd.DataFrame, key: str | None, what: str, *, unique: bool = True) -> _Places:
    """Return labels and metric coordinates of a unit frame (anchors) or a point layer."""
    if not isinstance(frame, pd.DataFrame) or not len(frame):
        msg = f"{what} must be a non-empty GeoDataFrame of units or points"
        raise ValueError(msg)
    if key is None:
        key = "adcode" if "adcode" in frame.columns else None
    if key is not None and key not in frame.columns:
        msg = f"{what} has no column {key!r} to label rows; its columns are {list(frame.columns)}"
        raise ValueError(msg)
    keys = frame[key].to_numpy() if key is not None else frame.index.to_numpy()
    if unique and len(pd.unique(keys)) != len(keys):
        msg = f"{what} labels ({key or 'index'}) must be unique; duplicates: {pd.Series(keys)[pd.Series(keys).duplicated()].head(5).tolist()}"
        raise ValueError(msg)
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns):
        lon = pd.to_numeric(frame["anchor_lon"], errors="coerce").to_numpy(float)
        lat = pd.to_numeric(frame["anchor_lat"], errors="coerce").to_numpy(float)
        if np.isnan(lon).any() or np.isnan(lat).any():
            msg = f"{what} has rows without anchor_lon/anchor_lat"
            raise ValueError(msg)
        m = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(DISTANCE_CRS)
    else:
        if not isinstance(frame, gpd.GeoDataFrame):
            msg = f"{what} needs anchor_lon/anchor_lat columns or point geometry"
            raise ValueError(msg)
        require_crs(frame, what=what)
        geoms = frame.geometry
        if geoms.isna().any() or geoms.is_empty.any():
            msg = f"{what} has rows without geometry"
            raise ValueError(msg)
        # Any input CRS goes to DISTANCE_CRS first, and a polygon's inner point is chosen there:
        # shapely's representative point depends on the coordinates it is given.
        m = to_metric(geoms, what=what)
        if not (m.geom_type == "Point").all():
            try:  # polygons without anchors: the seat of government of each adcode, as with_anchors does
                seated = with_anchors(frame, anchors="seat", what=what)
            except ValueError:
                seated = None
            if seated is not None:
                warnings.warn(f"{what} have no anchor_lon/anchor_lat columns: each unit joins the network at the "
                              "bundled seat of government of its adcode (see with_anchors)", UserWarning, stacklevel=3)
                m = gpd.GeoSeries(gpd.points_from_xy(seated.anchor_lon, seated.anchor_lat), crs=WGS84).to_crs(
                    DISTANCE_CRS)
            else:
                warnings.warn(f"{what} have no anchor_lon/anchor_lat columns and no bundled seat by adcode: each "
                              "unit joins the network from a point inside its polygon, not from its seat of "
                              "government (see with_anchors)", UserWarning, stacklevel=3)
                m = m.representative_point()
    return _Places(np.asarray(keys), np.column_stack([m.x.to_numpy(), m.y.to_numpy()]))


def _point_place(where: str | int | PointLike) -> tuple[str, np.ndarray]:
    """Return a label (the adcode, or the point's coordinates) and metric xy for a unit name/code or a point."""
    code, (lon, lat) = locate(where)
    label = code if code is not None else f"({lon:.4f}, {lat:.4f})"
    x, y = transformer(WGS84, DISTANCE_CRS).transform(lon, lat)  # scalars: a one-point GeoSeries.to_crs warns under numpy 1.25+
    return label, np.array([[x, y]])


@dataclass
class _Access:
    speed_kmh: float
    k: int
    max_km: float | None

    @classmethod
    def check(cls, speed_kmh: float, k: int, max_km: float | None) -> "_Access":
        return cls(check_number("access_speed_kmh", speed_kmh, unit="km/h"), check_integer("k_nearest", k),
                   check_number("max_access_km", max_km, allow_none=True, unit="km"))


def _links(network: Network, xy: np.ndarray, access: _Access, tree: cKDTree
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (place index, node, minutes, km) of access links from each place to its nearest nodes (``tree``: the
    KD-tree of the network's node coordinates in metres)."""
    k = min(access.k, network.n_nodes)
    dist, idx = tree.query(xy, k=k)
    dist = dist.reshape(len(xy), k) / 1000.0
    idx = idx.reshape(len(xy), k)
    place = np.repeat(np.arange(len(xy)), k)
    km, node = dist.ravel(), idx.ravel()
    ok = np.ones(len(km), bool) if access.max_km is None else km <= access.max_km
    return place[ok], node[ok], km[ok] / access.speed_kmh * 60.0, km[ok]


@dataclass
class _Graph:
    csr: sparse.csr_matrix
    origin_nodes: np.ndarray
    dest_nodes: np.ndarray
    origin_access_km: np.ndarray  # distance to nearest node (NaN if no access)
    dest_access_km: np.ndarray
    origin_nearest: np.ndarray  # nearest node position (-1 if none)
    xy: np.ndarray  # metric coordinates of all nodes, the virtual ones at their places


def _augment(network: Network, o_xy: np.ndarray, d_xy: np.ndarray, access: _Access) -> _Graph:
    n, no, nd = network.n_nodes, len(o_xy), len(d_xy)
    base = network.graph().tocoo()
    node_xy = network.node_xy_m()
    tree = cKDTree(node_xy)  # one tree for both ends (0.4 s a tree at 1M nodes)
    op, on, ot, okm = _links(network, o_xy, access, tree)
    dp, dn, dt, dkm = _links(network, d_xy, access, tree)
    rows = np.concatenate([base.row, n + op, dn])
    cols = np.concatenate([base.col, on, n + no + dp])
    w = np.concatenate([base.data, np.maximum(ot, 1e-9), np.maximum(dt, 1e-9)])
    csr = sparse.csr_matrix((w, (rows, cols)), shape=(n + no + nd,) * 2)

    def nearest(place, node, km, count):
        out_km = np.full(count, np.nan)
        out_node = np.full(count, -1)
        order = np.lexsort((km, place))
        first = np.ones(len(order), bool)
        first[1:] = place[order][1:] != place[order][:-1]
        out_km[place[order][first]] = km[order][first]
        out_node[place[order][first]] = node[order][first]
        return out_km, out_node

    o_km, o_node = nearest(op, on, okm, no)
    d_km, _ = nearest(dp, dn, dkm, nd)
    xy = np.concatenate([node_xy, o_xy, d_xy])
    return _Graph(csr, n + np.arange(no), n + no + np.arange(nd), o_km, d_km, o_node, xy)


def _rows(graph: sparse.csr_matrix, sources: np.ndarray, targets: np.ndarray, limit: float | None, *,
          n_jobs: int = 1, contract: bool | str = False, xy: np.ndarray | None = None) -> np.ndarray:
    """Return the len(sources) × len(targets) matrix of shortest times (inf = not reached).

    :func:`yrdgeo.network.shortest_times` does the search: in this process (``n_jobs=1``) or in
    worker processes over a shared-memory graph (bit-identical), on the whole graph or with its
    degree-2 chains contracted (``contract``); with the nodes' coordinates ``xy`` and enough sources, laid
    out in memory along a Hilbert curve (:func:`yrdgeo.network.locality_order`: same times, fewer cache misses).
    """
    order = locality_order(xy) if xy is not None and len(sources) >= LAYOUT_MIN_SOURCES else None
    return shortest_times(graph, sources, targets, limit=limit, n_jobs=n_jobs, contract=contract, order=order)


def _status(times: np.ndarray, access_km: np.ndarray, cutoff: float | None) -> np.ndarray:
    status = np.where(np.isfinite(times), "ok", "unreachable" if cutoff is None else "beyond_cutoff").astype(object)
    status[np.isnan(access_km)] = "no_access"
    return status


# --------------------------------------------------------------------------- OD matrices


@dataclass
class TravelTimes:
    """Origin–destination travel times over a network.

    Attributes
    ----------
    minutes
        DataFrame, origins (rows) × destinations (columns), labelled by the
        key column; ``NaN`` where the destination cannot be reached (or lies
        beyond ``cutoff_min``). A unit to itself (same label, same place) is 0.
    reachable
        Boolean DataFrame of the same shape.
    unreachable
        DataFrame of pairs (``origin``, ``destination``, ``reason``) that have
        no time: ``unreachable``, ``beyond_cutoff`` or ``no_access``.
    access
        DataFrame per origin: ``nearest_node``, ``access_km`` (straight-line
        distance to the nearest node; NaN = no node within ``max_access_km``).
    cutoff_min
        The time limit the search used, or None.
    network_name, as_of
        Which network (and date) the times come from.
    """

    minutes: pd.DataFrame
    reachable: pd.DataFrame
    unreachable: pd.DataFrame
    access: pd.DataFrame
    cutoff_min: float | None
    network_name: str
    as_of: _dt.date | None


def od_matrix(
    network: Network,
    origins: gpd.GeoDataFrame,
    destinations: gpd.GeoDataFrame | None = None,
    *,
    key: str | None = None,
    cutoff_min: float | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
    n_jobs: int = 1,
    contract: bool | str = False,
) -> TravelTimes:
    """Return the travel-time matrix (minutes) from every origin to every destination.

    Parameters
    ----------
    network
        The network (e.g. :func:`yrdgeo.network.load_yrd_network`).
    origins, destinations
        Unit frames (their anchors are used) or point layers with a CRS;
        ``destinations`` defaults to ``origins``.
    key
        Column labelling rows (default ``adcode`` when present, else the index).
    cutoff_min
        Stop each search at this many minutes (faster); times beyond it are
        NaN with reason ``beyond_cutoff``.
    access_speed_kmh, k_nearest, max_access_km
        Access/egress model: straight-line distance to each of the
        ``k_nearest`` nodes at ``access_speed_kmh``; nodes farther than
        ``max_access_km`` cannot be used.
    n_jobs
        Worker processes for the searches (1, the default: this process; -1: every core). The
        graph is shared with the workers once, in shared memory; the times are bit-identical to
        ``n_jobs=1`` (see :func:`yrdgeo.network.shortest_times`). Pays from a few thousand nodes on.
    contract
        Contract the network's degree-2 chains before searching (True; ``"auto"``: only when at
        least a fifth of the nodes can go). Pays on road graphs that keep a node at every bend;
        the times then agree with the plain search to a few units in the last place (≤ 5.4e-15 relative
        measured), not bit for bit
        (see :mod:`yrdgeo.network.contract`). Default False.

    Returns
    -------
    TravelTimes
    """
    acc = _Access.check(access_speed_kmh, k_nearest, max_access_km)
    check_number("cutoff_min", cutoff_min, allow_none=True, unit="minutes")
    o = _places(origins, key, "origins")
    d = o if destinations is None else _places(destinations, key, "destinations")
    g = _augment(network, o.xy, d.xy, acc)
    times = _rows(g.csr, g.origin_nodes, g.dest_nodes, cutoff_min, n_jobs=n_jobs, contract=contract, xy=g.xy)
    # the same unit (same label at the same place) is 0 minutes from itself
    d_pos = {k: j for j, k in enumerate(d.keys)}
    for i, k in enumerate(o.keys):
        j = d_pos.get(k)
        if j is not None and np.hypot(*(o.xy[i] - d.xy[j])) < 1.0:
            times[i, j] = 0.0
    reach = np.isfinite(times)
    minutes = pd.DataFrame(np.where(reach, times, np.nan), index=o.keys, columns=d.keys)
    oi, dj = np.nonzero(~reach)
    reason = np.where(np.isnan(g.origin_access_km[oi]) | np.isnan(g.dest_access_km[dj]), "no_access",
                      "unreachable" if cutoff_min is None else "beyond_cutoff")
    unreachable = pd.DataFrame({"origin": o.keys[oi], "destination": d.keys[dj], "reason": reason})
    ids = network.nodes["node_id"].to_numpy()
    access = pd.DataFrame({
        "nearest_node": np.where(g.origin_nearest >= 0, ids[np.maximum(g.origin_nearest, 0)], None),
        "access_km": g.origin_access_km,
    }, index=o.keys)
    return TravelTimes(minutes, pd.DataFrame(reach, index=o.keys, columns=d.keys), unreachable, access,
                       cutoff_min, network.name, network.as_of)


# --------------------------------------------------------------------------- time to centres


@dataclass
class CentreTimes:
    """Travel time from each unit to a centre (or to the nearest of several centres).

    Attributes
    ----------
    frame
        Copy of the input with columns ``time_min`` (NaN when not reached),
        ``status`` (``ok``, ``unreachable``, ``no_access``), ``access_km``
        and, for nearest-centre queries, ``centre`` (adcode or label of the
        nearest centre).
    centres
        Labels (adcodes) of the centres.
    unreachable
        Keys of the units that cannot reach any centre.
    network_name, as_of
        Which network (and date).
    """

    frame: gpd.GeoDataFrame
    centres: list[str]
    unreachable: list
    network_name: str
    as_of: _dt.date | None


def time_to_centre(
    network: Network,
    units: gpd.GeoDataFrame,
    centre: str | int | PointLike = "上海市",
    *,
    key: str | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
) -> CentreTimes:
    """Return each unit's travel time to one centre (a unit name/adcode or a (lon, lat) point).

    One Dijkstra search from the centre on the reversed graph gives every
    unit's time, so this costs one search, not one per unit.
    """
    return nearest_centre(network, units, [centre], key=key, access_speed_kmh=access_speed_kmh,
                          k_nearest=k_nearest, max_access_km=max_access_km)


def nearest_centre(
    network: Network,
    units: gpd.GeoDataFrame,
    centres: Sequence[str | int | PointLike] = DEFAULT_CENTRES,
    *,
    key: str | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
) -> CentreTimes:
    """Return each unit's travel time to the nearest of ``centres`` and which centre that is.

    One multi-source Dijkstra search (``min_only=True``) on the reversed graph
    answers for all units at once. Default centres: the four provincial-level
    capitals (:data:`DEFAULT_CENTRES`).
    """
    acc = _Access.check(access_speed_kmh, k_nearest, max_access_km)
    centres = list(centres)
    if not centres:
        msg = "centres must name at least one centre"
        raise ValueError(msg)
    labelled = [_point_place(c) for c in centres]
    labels = [lab for lab, _ in labelled]
    c_xy = np.vstack([xy for _, xy in labelled])
    u = _places(units, key, "units")
    g = _augment(network, u.xy, c_xy, acc)
    rev = g.csr.T.tocsr()
    dist, _pred, src = csgraph.dijkstra(rev, directed=True, indices=g.dest_nodes, min_only=True,
                                        return_predecessors=True)
    times = dist[g.origin_nodes]
    nearest_src = src[g.origin_nodes]
    which = np.full(len(times), None, dtype=object)
    found = nearest_src >= 0
    centre_of_node = {int(node): labels[i] for i, node in enumerate(g.dest_nodes)}
    which[found] = [centre_of_node[int(s)] for s in nearest_src[found]]
    # a unit that is itself a centre is at 0
    for i, k in enumerate(u.keys):
        if str(k) in labels:
            times[i], which[i] = 0.0, str(k)
    status = _status(times, g.origin_access_km, None)
    frame = units.copy()
    frame["time_min"] = np.where(np.isfinite(times), times, np.nan)
    frame["status"] = status
    frame["access_km"] = g.origin_access_km
    if len(centres) > 1:
        frame["centre"] = which
    bad = list(u.keys[status != "ok"])
    return CentreTimes(frame, labels, bad, network.name, network.as_of)


# --------------------------------------------------------------------------- indicators


@dataclass
class Accessibility:
    """Accessibility indicators per unit.

    Attributes
    ----------
    frame
        Copy of the units with columns: ``t_centre_min`` and ``centre_status``
        (to the named centre); ``t_nearest_min`` and ``nearest_centre``;
        ``avg_time_min`` (opportunity-weighted mean time to the other reachable
        units) and ``n_unreachable`` (destinations it cannot reach);
        ``opp_<T>`` cumulative opportunities within T minutes; ``hansen``.
    od
        The :class:`TravelTimes` the indicators were computed from.
    centre, centres
        The named centre and the set for ``nearest_centre``.
    decay
        Description of the Hansen decay function used.
    """

    frame: gpd.GeoDataFrame
    od: TravelTimes
    centre: str
    centres: list[str]
    decay: str


def decay_weights(minutes: np.ndarray, *, decay: str = "exponential", half_life_min: float = 60.0,
                  power: float = 2.0) -> np.ndarray:
    """Return decay weights f(t) for travel times (NaN → 0: unreachable contributes nothing).

    ``"exponential"``: f(t) = exp(−ln2 · t / half_life_min). ``"power"``:
    f(t) = max(t, 1)^−power (times under a minute count as one minute).
    """
    _check_decay(decay, half_life_min, power)
    t = np.asarray(minutes, float)
    if decay == "exponential":
        w = np.exp(-math.log(2.0) * t / half_life_min)
    else:
        w = np.maximum(t, 1.0) ** -power
    return np.where(np.isnan(t), 0.0, w)


def _check_decay(decay: str, half_life_min: float, power: float) -> None:
    """Refuse a decay function out of :data:`DECAYS`, or its parameter out of range."""
    check_choice("decay", decay, DECAYS)
    if decay == "exponential":
        check_number("half_life_min", half_life_min, unit="minutes")
    else:
        check_number("power", power)


def _opportunities(frame: pd.DataFrame, column: str | None, what: str) -> np.ndarray:
    if column is None:
        return np.ones(len(frame))
    if column not in frame.columns:
        msg = f"{what} has no column {column!r}; its columns are {list(frame.columns)}"
        raise ValueError(msg)
    vals = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
    if np.isnan(vals).any() or (vals < 0).any():
        msg = f"{what} column {column!r} must hold non-negative numbers; {int((np.isnan(vals) | (vals < 0)).sum())} rows do not"
        raise ValueError(msg)
    return vals


def accessibility(
    network: Network,
    units: gpd.GeoDataFrame,
    *,
    centre: str | int | PointLike = "上海市",
    centres: Sequence[str | int | PointLike] = DEFAULT_CENTRES,
    opportunities: str | None = None,
    thresholds: Iterable[float] = (60, 90, 120),
    decay: str = "exponential",
    half_life_min: float = 60.0,
    power: float = 2.0,
    key: str | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
    n_jobs: int = 1,
    contract: bool | str = False,
) -> Accessibility:
    """Return accessibility indicators for each unit (units are both origins and destinations).

    Parameters
    ----------
    network
        The network.
    units
        Unit frame (anchors used) or point layer.
    centre
        Named centre for ``t_centre_min`` (default 上海市).
    centres
        Centres for ``t_nearest_min`` (default the four provincial capitals).
    opportunities
        Column of opportunities at each unit (population, jobs, GDP…);
        None counts each unit as one.
    thresholds
        Minutes for the cumulative-opportunity columns ``opp_<T>``.
    decay, half_life_min, power
        Hansen decay: see :func:`decay_weights`.
    key, access_speed_kmh, k_nearest, max_access_km, n_jobs, contract
        See :func:`od_matrix` (``n_jobs`` and ``contract`` apply to the OD matrix).

    Returns
    -------
    Accessibility
    """
    thresholds = check_numbers("thresholds", thresholds, allow_empty=True, unit="minutes")
    _check_decay(decay, half_life_min, power)  # before the searches, not after them
    opp = _opportunities(units, opportunities, "units")
    kw = dict(key=key, access_speed_kmh=access_speed_kmh, k_nearest=k_nearest, max_access_km=max_access_km)
    od = od_matrix(network, units, n_jobs=n_jobs, contract=contract, **kw)
    t = od.minutes.to_numpy()
    to_c = time_to_centre(network, units, centre, **kw)
    near = nearest_centre(network, units, centres, **kw)
    frame = units.copy()
    frame["t_centre_min"] = to_c.frame["time_min"].to_numpy()
    frame["centre_status"] = to_c.frame["status"].to_numpy()
    frame["t_nearest_min"] = near.frame["time_min"].to_numpy()
    frame["nearest_centre"] = near.frame["centre"].to_numpy() if "centre" in near.frame else to_c.centres[0]
    reach = np.isfinite(t) & ~np.eye(len(t), dtype=bool)  # origins = destinations, in the same order
    wsum = (reach * opp[None, :]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["avg_time_min"] = np.where(wsum > 0, (np.where(reach, t, 0.0) * opp[None, :]).sum(axis=1) / wsum, np.nan)
    frame["n_unreachable"] = (~np.isfinite(t)).sum(axis=1)
    _add_opportunities(frame, t, opp, thresholds)
    frame["hansen"] = (decay_weights(t, decay=decay, half_life_min=half_life_min, power=power) * opp[None, :]).sum(axis=1)
    desc = (f"exponential, f(t)=exp(-ln2*t/{half_life_min:g})" if decay == "exponential" else f"power, f(t)=max(t,1)^-{power:g}")
    return Accessibility(frame, od, to_c.centres[0], near.centres, desc)


def cumulative_opportunities(
    network: Network,
    units: gpd.GeoDataFrame,
    *,
    thresholds: Iterable[float] = (60, 90, 120),
    opportunities: str | None = None,
    key: str | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
    n_jobs: int = 1,
    contract: bool | str = False,
) -> gpd.GeoDataFrame:
    """Return a copy of ``units`` with ``opp_<T>`` columns, searching only up to the largest T.

    Faster than the full matrix on large networks: each Dijkstra search stops
    at ``max(thresholds)`` minutes (``benchmarks/bench_od_matrix.py`` reports the gain).
    ``n_jobs`` and ``contract``: see :func:`od_matrix`.
    """
    thresholds = check_numbers("thresholds", thresholds, unit="minutes")
    opp = _opportunities(units, opportunities, "units")
    od = od_matrix(network, units, key=key, cutoff_min=max(thresholds), access_speed_kmh=access_speed_kmh,
                   k_nearest=k_nearest, max_access_km=max_access_km, n_jobs=n_jobs, contract=contract)
    out = units.copy()
    _add_opportunities(out, od.minutes.to_numpy(), opp, thresholds)
    return out


def _add_opportunities(frame: pd.DataFrame, minutes: np.ndarray, opp: np.ndarray, thresholds: list[float]) -> None:
    """Add ``opp_<T>`` columns to ``frame``: the opportunities reachable within T minutes (NaN = not reached)."""
    t = np.nan_to_num(minutes, nan=np.inf)
    for thr in thresholds:
        frame[f"opp_{thr:g}"] = ((t <= thr) * opp[None, :]).sum(axis=1)


@dataclass
class TwoStepFCA:
    """Two-step floating catchment accessibility.

    Attributes
    ----------
    demand
        Copy of the demand frame with ``access_2sfca`` (supply per unit of
        demand reachable within the catchment; 0 if none) and
        ``n_supply_sites`` (sites within the catchment).
    supply
        Copy of the supply frame with ``ratio`` (supply / demand in its
        catchment; NaN when no demand lies within it — that supply is unused)
        and ``demand_in_catchment``.
    catchment_min
        The catchment d0 in minutes.
    """

    demand: gpd.GeoDataFrame
    supply: gpd.GeoDataFrame
    catchment_min: float


def two_step_fca(
    network: Network,
    demand: gpd.GeoDataFrame,
    supply: gpd.GeoDataFrame,
    *,
    demand_column: str,
    supply_column: str,
    catchment_min: float = 60.0,
    demand_key: str | None = None,
    supply_key: str | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
    n_jobs: int = 1,
    contract: bool | str = False,
) -> TwoStepFCA:
    """Return 2SFCA accessibility (Luo & Wang 2003) of demand units to supply sites within ``catchment_min``.

    Step 1: each supply site j gets ``R_j = S_j / Σ_k P_k`` over demand units k
    within the catchment. Step 2: each demand unit i sums ``R_j`` over sites
    within the catchment. Equivalent to PySAL ``access``'s ``fca_ratio`` /
    ``two_stage_fca`` with a binary catchment (computed here with the same
    network engine as the other indicators; ``n_jobs`` and ``contract``: see :func:`od_matrix`).
    """
    check_number("catchment_min", catchment_min, unit="minutes")
    p = _opportunities(demand, demand_column, "demand")
    s = _opportunities(supply, supply_column, "supply")
    acc = _Access.check(access_speed_kmh, k_nearest, max_access_km)
    dp = _places(demand, demand_key, "demand", unique=False)
    sp = _places(supply, supply_key, "supply", unique=False)
    g = _augment(network, dp.xy, sp.xy, acc)
    times = _rows(g.csr, g.origin_nodes, g.dest_nodes, float(catchment_min), n_jobs=n_jobs, contract=contract,
                  xy=g.xy)
    w = times <= catchment_min
    dem = (w * p[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(dem > 0, s / dem, np.nan)
    acc = (w * np.nan_to_num(ratio)[None, :]).sum(axis=1)
    d_out = demand.copy()
    d_out["access_2sfca"] = acc
    d_out["n_supply_sites"] = w.sum(axis=1)
    s_out = supply.copy()
    s_out["ratio"] = ratio
    s_out["demand_in_catchment"] = dem
    return TwoStepFCA(d_out, s_out, float(catchment_min))


# --------------------------------------------------------------------------- isochrones and change


def _bands(times: np.ndarray, bands: Sequence[float], status: np.ndarray) -> np.ndarray:
    edges = [0.0, *bands]
    labels = np.full(len(times), None, dtype=object)
    for lo, hi in zip(edges[:-1], edges[1:]):
        labels[(times > lo if lo > 0 else times >= 0) & (times <= hi)] = f"{lo:g}–{hi:g}"
    labels[np.isfinite(times) & (times > edges[-1])] = f">{edges[-1]:g}"
    beyond = status == "beyond_cutoff"
    labels[beyond] = f">{edges[-1]:g}"  # not reached within the last band: farther, or unreachable
    other = (status != "ok") & ~beyond
    labels[other] = status[other]
    return labels


def isochrones(
    network: Network,
    origin: str | int | PointLike,
    targets: gpd.GeoDataFrame,
    *,
    bands: Sequence[float] = (30, 60, 90, 120),
    key: str | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
    shape: str = "grid",
    nested: bool = False,
    smooth_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Return ``targets`` with the time from ``origin`` and its band, or one polygon per band (``shape="polygons"``).

    With ``shape="grid"`` (default): a copy of ``targets`` (units, points or
    grid cells) with ``time_min`` (NaN when not reached within the last
    band), ``band`` (``"0–30"``, ``"30–60"``, …, ``">120"`` for anything not
    reached within the last band, ``no_access``) and ``status``. The search
    stops at the last band, so it is cheap.

    With ``shape="polygons"`` (polygon targets: the cells of :func:`grid`, or
    units): one row per band that any target reaches, in EPSG:4326, with
    ``band``, ``from_min``, ``to_min``, ``targets`` (how many targets it
    holds), ``targets_km2`` (their area) and ``area_km2`` (the polygon's). The
    targets within each band limit are dissolved and smoothed in
    :data:`yrdgeo.crs.DISTANCE_CRS` by a buffer out and back in of
    ``smooth_m`` (default: half the median target's side, half a grid cell),
    which fills the notches and one-cell gaps of the staircase without
    growing its outer edge, then clipped to the targets' extent (a bay
    between cells is not filled in). Bands are disjoint rings (``"30–60"``:
    reached after 30 and within 60 minutes; they tile the reached area) or,
    with ``nested=True``, areas from the origin (``"0–60"``: within 60
    minutes; each contains the smaller ones). Rings are cut from the nested
    areas, so the two agree. A polygon's area is at least its targets' area
    and a little more where the smoothing filled notches (a few per cent for
    a grid; see docs/network.md).
    """
    bands = check_numbers("bands", bands, increasing=True, unit="minutes")
    check_choice("shape", shape, ISOCHRONE_SHAPES)
    check_number("smooth_m", smooth_m, inclusive=True, allow_none=True, unit="metres")
    if shape == "polygons" and not targets.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        msg = (f"isochrone polygons are dissolved from polygon targets (grid cells or units), got "
               f"{sorted(set(targets.geom_type.dropna()))}; pass grid(region) as targets, or shape='grid'")
        raise ValueError(msg)
    acc = _Access.check(access_speed_kmh, k_nearest, max_access_km)
    _, o_xy = _point_place(origin)
    t = _places(targets, key, "targets")
    g = _augment(network, o_xy, t.xy, acc)
    times = _rows(g.csr, g.origin_nodes, g.dest_nodes, bands[-1])[0]
    status = _status(times, g.dest_access_km, bands[-1])
    if np.isnan(g.origin_access_km[0]):
        status[:] = "no_access"
    out = targets.copy()
    out["time_min"] = np.where(np.isfinite(times), times, np.nan)
    out["status"] = status
    out["band"] = _bands(np.where(np.isfinite(times), times, np.nan), bands, status)
    return _band_polygons(out, bands, nested=nested, smooth_m=smooth_m) if shape == "polygons" else out


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Return an overlay's result as a valid (Multi)Polygon: repaired, without the lines or points it may leave."""
    return shapely.make_valid(geom, method="structure", keep_collapsed=False)


def _band_polygons(frame: gpd.GeoDataFrame, bands: Sequence[float], *, nested: bool,
                   smooth_m: float | None) -> gpd.GeoDataFrame:
    """Return one smoothed polygon per band from polygon targets with ``time_min`` (see :func:`isochrones`)."""
    geoms = to_metric(frame, what="isochrone targets").geometry.to_numpy()
    if smooth_m is None:
        smooth_m = math.sqrt(float(np.median(shapely.area(geoms)))) / 2.0
    extent = shapely.union_all(geoms)
    times = frame["time_min"].to_numpy(float)
    reached = cells = shapely.Polygon()
    rows = []
    for lo, hi in zip([0.0, *bands[:-1]], bands):
        within = np.isfinite(times) & (times <= hi)
        fresh = within if lo == 0 else within & (times > lo)
        members = within if nested else fresh
        cells = shapely.union(cells, shapely.union_all(geoms[fresh]))
        # closing (buffer out, then in) fills notches and one-cell gaps. It runs on the cells simplified to a
        # tenth of the distance (a coast-clipped cell's thousands of vertices would only slow it down); the clip
        # to the targets' extent leaves bays unfilled and keeps it off the sea; the union with the cells keeps
        # every target inside, and the union with the inner band makes the bands nest.
        smooth = cells.simplify(smooth_m / 10.0).buffer(smooth_m).buffer(-smooth_m)
        closed = shapely.union(shapely.intersection(smooth, extent), cells)
        area = _polygonal(shapely.union(closed, reached))
        ring = area if nested else _polygonal(shapely.difference(area, reached))
        rows.append({"band": f"{0 if nested else lo:g}–{hi:g}", "from_min": 0.0 if nested else lo, "to_min": hi,
                     "targets": int(members.sum()), "targets_km2": float(shapely.area(geoms[members]).sum()) / 1e6,
                     "geometry": ring})
        reached = area
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=DISTANCE_CRS)
    out = out[~out.geometry.is_empty & (out.targets > 0)].reset_index(drop=True)
    out["area_km2"] = out.geometry.area / 1e6
    out = out.to_crs(WGS84)
    out["geometry"] = _polygonal(out.geometry.to_numpy())  # reprojecting a hairline between rings can cross it
    return out


def grid(region: gpd.GeoDataFrame, *, cell_km: float = 10.0) -> gpd.GeoDataFrame:
    """Return square cells of ``cell_km`` covering ``region`` (clipped to it), in EPSG:4326, with ``cell_id``."""
    check_number("cell_km", cell_km, unit="km")
    require_crs(region, what="grid region")
    shape = region.to_crs(DISTANCE_CRS).geometry.union_all()
    x0, y0, x1, y1 = shape.bounds
    step = cell_km * 1000.0
    xs, ys = np.meshgrid(np.arange(x0, x1, step), np.arange(y0, y1, step))
    boxes = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + step, ys.ravel() + step)
    cells = gpd.GeoDataFrame(geometry=boxes, crs=DISTANCE_CRS)
    cells = cells[cells.intersects(shape)].copy()
    cells["geometry"] = cells.intersection(shape)
    cells = cells[~cells.is_empty].reset_index(drop=True)
    cells.insert(0, "cell_id", np.arange(len(cells)))
    return cells.to_crs(WGS84)


@dataclass
class Change:
    """Change in travel time to a centre between two dates.

    Attributes
    ----------
    frame
        Copy of the units with ``t_before_min``, ``t_after_min``, ``gain_min``
        (before − after; positive = faster; NaN unless reachable at both dates)
        and ``change`` (``faster``, ``unchanged``, ``slower``, ``newly_reachable``,
        ``no_longer_reachable``, ``unreachable_both``).
    before, after
        The two dates.
    centre
        The centre's label.
    """

    frame: gpd.GeoDataFrame
    before: _dt.date
    after: _dt.date
    centre: str

    def top(self, n: int = 10) -> gpd.GeoDataFrame:
        """Return the ``n`` units that gained most time (largest ``gain_min``)."""
        return self.frame.sort_values("gain_min", ascending=False, na_position="last").head(n)


def compare_dates(
    network: Network,
    units: gpd.GeoDataFrame,
    before: str | _dt.date,
    after: str | _dt.date,
    *,
    centre: str | int | PointLike = "上海市",
    undated: str = "keep",
    key: str | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
    tolerance_min: float = 0.05,
) -> Change:
    """Return each unit's travel time to ``centre`` on two dates and the gain (who gained most).

    ``network`` is the full dated network (e.g. ``load_yrd_network()``); it
    is filtered with :func:`yrdgeo.network.as_of` for each date.
    """
    kw = dict(key=key, access_speed_kmh=access_speed_kmh, k_nearest=k_nearest, max_access_km=max_access_km)
    a = as_of(network, before, undated=undated)
    b = as_of(network, after, undated=undated)
    if a.as_of is not None and b.as_of is not None and not pd.Timestamp(a.as_of) < pd.Timestamp(b.as_of):
        msg = (f"the earlier date (before={before!r}) must come before the later one (after={after!r}); a change "
               "between equal or reversed dates says nothing")
        raise ValueError(msg)
    ta = time_to_centre(a, units, centre, **kw)
    tb = time_to_centre(b, units, centre, **kw)
    t0 = ta.frame["time_min"].to_numpy()
    t1 = tb.frame["time_min"].to_numpy()
    gain = t0 - t1
    change = np.select(
        [np.isnan(t0) & np.isnan(t1), np.isnan(t0), np.isnan(t1), gain > tolerance_min, gain < -tolerance_min],
        ["unreachable_both", "newly_reachable", "no_longer_reachable", "faster", "slower"], "unchanged",
    )
    frame = units.copy()
    frame["t_before_min"] = t0
    frame["t_after_min"] = t1
    frame["gain_min"] = gain
    frame["change"] = change
    return Change(frame, a.as_of, b.as_of, ta.centres[0])


__all__ = [
    "ACCESS_SPEED_KMH", "Accessibility", "CentreTimes", "Change", "DECAYS", "DEFAULT_CENTRES", "ISOCHRONE_SHAPES", "K_NEAREST", "TravelTimes",
    "TwoStepFCA", "accessibility", "compare_dates", "cumulative_opportunities", "decay_weights", "grid",
    "isochrones", "nearest_centre", "od_matrix", "time_to_centre", "two_step_fca", "with_anchors", "ANCHOR_POLICIES",
]
