"""Enclave pairs on the map and as a network: their ends, desire lines with travel time, gradients, partner graph.

Distances are geodesic, seat to seat (like :func:`yrdgeo.distance_km`).
Travel time comes from outside this module (the network module, or any
source) through the ``travel_time`` hook: a matrix of minutes (wide, or the
long OD table of :mod:`yrdgeo.od`), an object holding such a matrix, or a
callable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import od
from ..checks import check_choice
from ..crs import WGS84, geodesic_distance_km, geodesic_line
from ..inputs import indicators_by_code
from ..units import LEVELS, anchors, by_code, describe
from ._common import _require_pairs, _roll_up
from .registry import detect_two_way

TravelTime = pd.DataFrame | Callable[[str, str], float] | object  # object: has a ``minutes`` DataFrame

__all__ = [
    "EnclaveAnalysis", "EnclaveNetwork", "analyze_enclaves", "desire_lines", "end_units", "enclave_ends",
    "enclave_graph", "pair_gradients",
]


def enclave_ends(pairs: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return both ends of every pair as polygons: one row per pair and end.

    Columns: ``pair_id``, ``name_zh`` (of the pair), ``kind``, ``pattern``
    (if detected), ``role`` (``fly_out``/``fly_in``, or ``side_a``/``side_b``
    for cooperation zones), ``adcode``, ``unit_zh``, ``level``,
    ``province_zh``, ``anchor_lon``, ``anchor_lat``, geometry (EPSG:4326).
    """
    _require_pairs(pairs)
    t = by_code()
    rows = []
    for r in pairs.itertuples(index=False):
        for end, code in (("out", r.fly_out_adcode), ("in", r.fly_in_adcode)):
            role = ("fly_out" if end == "out" else "fly_in") if r.directed else ("side_a" if end == "out" else "side_b")
            u = t.loc[code]
            rows.append(dict(pair_id=r.pair_id, name_zh=r.name_zh, kind=r.kind,
                             pattern=getattr(r, "pattern", r.kind), role=role, adcode=code, unit_zh=u.name_zh,
                             level=u.level, province_zh=u.province_zh, anchor_lon=u.anchor_lon,
                             anchor_lat=u.anchor_lat, geometry=u.geometry))
    cols = ["pair_id", "name_zh", "kind", "pattern", "role", "adcode", "unit_zh", "level", "province_zh",
            "anchor_lon", "anchor_lat", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=WGS84)


def _travel_minutes(pairs: pd.DataFrame, travel_time: TravelTime) -> np.ndarray:
    """Look every pair up in the travel-time hook; refuse gaps and bad values before anything is written."""
    if not isinstance(travel_time, pd.DataFrame) and isinstance(getattr(travel_time, "minutes", None), pd.DataFrame):
        travel_time = travel_time.minutes  # a result object holding the matrix (the network module's TravelTimes)
    if isinstance(travel_time, pd.DataFrame) and {"from_adcode", "to_adcode", "minutes"} <= set(travel_time.columns):
        travel_time = od.to_wide(travel_time, what="travel-time table")  # the long OD table, as on disk and in QGIS
    out = np.empty(len(pairs))
    missing = []
    for i, (a, b) in enumerate(zip(pairs.fly_out_adcode, pairs.fly_in_adcode)):
        if isinstance(travel_time, pd.DataFrame):
            m = travel_time
            try:
                v = m.loc[a, b]
            except KeyError:
                missing.append(f"{describe(a)} → {describe(b)}")
                continue
        elif callable(travel_time):
            v = travel_time(a, b)
        else:
            msg = (f"travel_time must be a DataFrame of minutes (index: origin adcodes, columns: destination "
                   f"adcodes), an object with such a .minutes DataFrame, or a callable (from_adcode, to_adcode) "
                   f"-> minutes, got {type(travel_time).__name__}")
            raise ValueError(msg)
        try:
            v = float(v)
        except (TypeError, ValueError):
            msg = f"travel time for {a} → {b} must be a number of minutes, got {v!r}"
            raise ValueError(msg) from None
        if not (np.isnan(v) or v >= 0):
            msg = f"travel time for {a} → {b} must be 0 minutes or more (or NaN when unreachable), got {v}"
            raise ValueError(msg)
        out[i] = v
    if missing:
        msg = f"the travel-time matrix has no entry for {len(missing)} pair(s): {'; '.join(missing[:5])}"
        raise ValueError(msg)
    return out


def end_units(pairs: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return the distinct units at either end of the pairs, as a unit frame (e.g. to compute a travel-time matrix).

    ``yrdgeo.accessibility.od_matrix(network, enclaves.end_units(pairs))``
    gives a matrix that :func:`desire_lines` accepts as ``travel_time``.
    """
    _require_pairs(pairs)
    codes = list(dict.fromkeys([*pairs.fly_out_adcode, *pairs.fly_in_adcode]))
    return by_code().loc[codes].reset_index(drop=True).copy()


def desire_lines(pairs: pd.DataFrame, *, travel_time: TravelTime | None = None) -> gpd.GeoDataFrame:
    """Return one desire line per pair, seat to seat, with geodesic distance and optional travel time.

    Parameters
    ----------
    pairs
        The registry (:func:`enclave_pairs`).
    travel_time
        Optional hook: a DataFrame of minutes indexed by origin adcode with
        destination adcodes as columns (e.g. from :func:`yrdgeo.od.read`), the
        long OD table (``from_adcode``, ``to_adcode``, ``minutes``), an object whose ``minutes`` attribute is such a DataFrame (the
        network module's OD result, computed on :func:`end_units`), or a
        callable ``f(fly_out_adcode, fly_in_adcode) -> minutes``. A pair the matrix lacks is an error;
        NaN means unreachable.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of the pairs with ``distance_km`` (geodesic, seat to seat),
        ``travel_time_min`` (only with the hook) and geometry: the geodesic
        from the fly-out seat to the fly-in seat, a vertex every 5 km (EPSG:4326).
    """
    _require_pairs(pairs)
    minutes = _travel_minutes(pairs, travel_time) if travel_time is not None else None
    a, b = anchors(pairs.fly_out_adcode), anchors(pairs.fly_in_adcode)
    out = pd.DataFrame(pairs).copy()
    out["distance_km"] = geodesic_distance_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) if len(out) else []
    if minutes is not None:
        out["travel_time_min"] = minutes
    geoms = [geodesic_line(*p, *q) for p, q in zip(a, b)]
    return gpd.GeoDataFrame(out, geometry=geoms, crs=WGS84)


def pair_gradients(
    pairs: pd.DataFrame,
    attributes: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    roll_up: str | None = None,
) -> pd.DataFrame:
    """Return a copy of the pairs with each attribute at both ends, their difference and ratio.

    For attribute ``x``: ``x_out`` (fly-out end), ``x_in`` (fly-in end),
    ``x_diff = x_out − x_in`` and ``x_ratio = x_out / x_in`` (NaN where
    ``x_in`` is 0 or a value is missing). A forward enclave typically shows
    a high construction-land share and labour cost at the fly-out end
    (ratio > 1).

    Parameters
    ----------
    pairs
        The registry (or any frame with ``fly_out_adcode``/``fly_in_adcode``).
    attributes
        A table with an ``adcode`` column (or adcodes as index), read by
        :func:`yrdgeo.inputs.indicators_by_code`.
    columns
        Numeric columns to use (default: all numeric).
    roll_up
        ``"city"`` (or ``"province"``) to look each end up as its city, for
        city-level attribute tables and district-level ends; the column
        ``attr_out_adcode``/``attr_in_adcode`` then records which unit's
        values were used. Default: exact adcodes; missing ends give NaN.
    """
    _require_pairs(pairs, ("fly_out_adcode", "fly_in_adcode"))
    # the input gate: codes read exactly, repeated units and non-numeric columns refused; ends may be any level
    table = indicators_by_code(attributes, columns=columns)
    out = pairs.copy()
    a = [_roll_up(c, roll_up) for c in out.fly_out_adcode] if roll_up else list(out.fly_out_adcode)
    b = [_roll_up(c, roll_up) for c in out.fly_in_adcode] if roll_up else list(out.fly_in_adcode)
    if roll_up:
        out["attr_out_adcode"], out["attr_in_adcode"] = a, b
    for c in table.columns:
        va = table[c].reindex(a).to_numpy(dtype="float64")
        vb = table[c].reindex(b).to_numpy(dtype="float64")
        out[f"{c}_out"], out[f"{c}_in"] = va, vb
        out[f"{c}_diff"] = va - vb
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{c}_ratio"] = np.where(vb != 0, va / np.where(vb != 0, vb, 1.0), np.nan)
    return out


# --------------------------------------------------------------------------- network


@dataclass
class EnclaveNetwork:
    """The enclave network as a directed graph, with degree and cross-province diagnostics.

    Attributes
    ----------
    graph
        ``networkx.MultiDiGraph``: nodes are adcodes (attributes ``name_zh``,
        ``province_zh``, ``level``), one edge per pair from fly-out to fly-in
        (key ``pair_id``; attributes ``name_zh``, ``kind``, ``pattern``,
        ``cross_province``). A cooperation zone, if included, adds one edge
        each way.
    nodes
        GeoDataFrame, one row per node at its seat of government (point,
        EPSG:4326): ``adcode``, ``name_zh``, ``province_zh``, ``out_degree``
        (pairs flown out), ``in_degree`` (pairs flown in), ``n_partners`` and
        ``cross_province_share`` (share of the node's pairs whose other end is
        in another province).
    cross_province_share
        Share of all pairs (edges) that cross a province border.
    level
        The level nodes were rolled up to (``None``: as recorded).
    """

    graph: nx.MultiDiGraph
    nodes: gpd.GeoDataFrame
    cross_province_share: float
    level: str | None = None


def enclave_graph(pairs: pd.DataFrame, *, level: str | None = None, cooperation_zones: bool = False) -> EnclaveNetwork:
    """Return the enclave network (who flies out to whom) as a NetworkX directed multigraph with degrees.

    Parameters
    ----------
    pairs
        The registry (:func:`enclave_pairs`).
    level
        Roll ends up to ``"city"`` or ``"province"`` before building the graph
        (Jiading → Shanghai); ``None`` keeps the recorded units.
    cooperation_zones
        Include cooperation zones as one edge in each direction.
    """
    _require_pairs(pairs)
    check_choice("level", level, LEVELS, allow_none=True)
    import networkx as nx  # here, not at import: the command line loads this package to list presets

    t = by_code()
    g = nx.MultiDiGraph(level=level)
    prov = t.province_adcode
    for r in pairs.itertuples(index=False):
        if not r.directed and not cooperation_zones:
            continue
        a, b = _roll_up(r.fly_out_adcode, level), _roll_up(r.fly_in_adcode, level)
        ends = [(a, b)] if r.directed else [(a, b), (b, a)]
        for x, y in ends:
            for n in (x, y):
                if n not in g:
                    g.add_node(n, name_zh=t.loc[n, "name_zh"], province_zh=t.loc[n, "province_zh"],
                               level=t.loc[n, "level"])
            g.add_edge(x, y, key=r.pair_id if r.directed else f"{r.pair_id}{'' if (x, y) == (a, b) else '_rev'}",
                       name_zh=r.name_zh, kind=r.kind, pattern=getattr(r, "pattern", r.kind),
                       cross_province=bool(prov[x] != prov[y]))
    rows = []
    for n, data in g.nodes(data=True):
        edges = list(g.out_edges(n, data=True)) + list(g.in_edges(n, data=True))
        cross = [e[2]["cross_province"] for e in edges]
        partners = {e[1] for e in g.out_edges(n)} | {e[0] for e in g.in_edges(n)}
        rows.append(dict(adcode=n, name_zh=data["name_zh"], province_zh=data["province_zh"],
                         out_degree=g.out_degree(n), in_degree=g.in_degree(n), n_partners=len(partners - {n}),
                         cross_province_share=float(np.mean(cross)) if cross else np.nan))
    nodes = pd.DataFrame(rows, columns=["adcode", "name_zh", "province_zh", "out_degree", "in_degree",
                                        "n_partners", "cross_province_share"])
    nodes = nodes.sort_values(["out_degree", "in_degree"], ascending=False, kind="stable").reset_index(drop=True)
    seats = anchors(nodes.adcode)
    nodes = gpd.GeoDataFrame(nodes, geometry=gpd.points_from_xy(seats[:, 0], seats[:, 1]), crs=WGS84)
    flags = [d["cross_province"] for _, _, d in g.edges(data=True)]
    return EnclaveNetwork(graph=g, nodes=nodes, cross_province_share=float(np.mean(flags)) if flags else np.nan,
                          level=level)


# --------------------------------------------------------------------------- one-call analysis


@dataclass
class EnclaveAnalysis:
    """Everything the enclave export holds.

    Attributes
    ----------
    pairs
        The registry with two-way detection (and gradients, if attributes were given).
    ends
        :func:`enclave_ends` (polygons).
    lines
        :func:`desire_lines` (with ``travel_time_min`` when a hook was given and gradient columns if any).
    network
        :func:`enclave_graph` at the requested level.
    """

    pairs: pd.DataFrame
    ends: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame
    network: EnclaveNetwork = field(repr=False)

    def layers(self) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
        """Return the layers by GeoPackage layer name: ``enclave_ends``, ``enclave_desire_lines``, ``enclave_nodes`` (points)."""
        return {"enclave_ends": self.ends, "enclave_desire_lines": self.lines,
                "enclave_nodes": self.network.nodes}


def analyze_enclaves(
    pairs: pd.DataFrame,
    *,
    travel_time: TravelTime | None = None,
    attributes: pd.DataFrame | None = None,
    columns: Sequence[str] | None = None,
    roll_up: str | None = None,
    graph_level: str | None = "city",
) -> EnclaveAnalysis:
    """Return ends, desire lines (with travel time and gradients if given) and the network, in one call.

    This is the call the command line and the QGIS algorithms make. Every
    input is checked before anything is built.
    """
    _require_pairs(pairs)
    if "two_way" not in pairs.columns:
        pairs = detect_two_way(pairs)
    if attributes is not None:
        pairs = pair_gradients(pairs, attributes, columns=columns, roll_up=roll_up)
    lines = desire_lines(pairs, travel_time=travel_time)
    return EnclaveAnalysis(pairs=pairs, ends=enclave_ends(pairs), lines=lines,
                           network=enclave_graph(pairs, level=graph_level))
