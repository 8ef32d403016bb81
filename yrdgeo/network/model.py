"""The network model: :class:`Network` (nodes, edges, the sparse travel-time graph) and what any network can do.

A :class:`Network` is two GeoDataFrames in EPSG:4326 — ``nodes`` (``node_id``,
``name``, point geometry) and ``edges`` (``u``/``v`` node positions, ``line``,
``mode``, ``length_km``, ``speed_kmh``, ``time_min``, ``oneway``, ``opened``,
``source``, line geometry) — plus the sparse graph that
:mod:`yrdgeo.accessibility` hands to :func:`scipy.sparse.csgraph.dijkstra`.
Edge weights are travel times in minutes.

Here too: :func:`as_of` (the network open on a date; opening dates read by the
one rule of :mod:`yrdgeo.dates`), :func:`apply_components` (what to do with a
disconnected network) and :func:`to_layers` (nodes and edges ready to write).
Where networks come from is in the sibling modules: :mod:`.yrd` (the bundled
YRD network), :mod:`.osm` (OpenStreetMap extracts), :mod:`.lines` (line layers).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph

from .. import dates
from ..checks import check_choice
from ..choices import UNDATED_POLICIES  # light, for the command line's parser
from ..crs import DISTANCE_CRS, WGS84, require_crs
from ._osmnx import check_graph, check_speeds, graph_frames, simplified

__all__ = ["COMPONENT_POLICIES", "EDGE_COLUMNS", "MODES", "Network", "UNDATED_POLICIES", "apply_components", "as_of",
           "opened_timestamp", "to_layers"]

MODES = ("hsr", "intercity", "rail", "expressway", "road_proxy", "road", "link")
COMPONENT_POLICIES = ("largest", "keep", "error")
EDGE_COLUMNS = ("u", "v", "line", "mode", "length_km", "speed_kmh", "time_min", "oneway", "opened", "source")


@dataclass(eq=False)
class Network:
    """A routable network: nodes, edges with travel times, and provenance.

    Treat it as immutable: the functions here return new networks, and the
    sparse graph is cached on first use.

    Attributes
    ----------
    nodes
        GeoDataFrame in EPSG:4326, one row per node (row position = node
        index), columns ``node_id`` (str), ``name`` and point ``geometry``.
    edges
        GeoDataFrame in EPSG:4326, columns ``u``, ``v`` (node positions),
        ``line``, ``mode``, ``length_km``, ``speed_kmh``, ``time_min``
        (minutes, > 0), ``oneway`` (bool; False = usable both ways),
        ``opened`` (ISO date, ``YYYY-MM`` or ``YYYY``; empty when unknown),
        ``source`` and line ``geometry``.
    name
        Short description (e.g. ``"yrd"`` or the file it came from).
    as_of
        The date the network was filtered to, or None.
    undated_kept
        Number of edges without an opening date kept by :func:`as_of`.
    """

    nodes: gpd.GeoDataFrame
    edges: gpd.GeoDataFrame
    name: str = ""
    as_of: _dt.date | None = None
    undated_kept: int = 0
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        _validate(self.nodes, self.edges, what=self.name or "network")

    @classmethod
    def from_graph(
        cls,
        graph: Any,
        *,
        highway_speeds: Mapping[str, float] | None = None,
        fallback_speed_kmh: float = 30.0,
        components: str = "largest",
        simplify: bool = True,
        name: str | None = None,
    ) -> Network:
        """Return the network of an in-memory osmnx graph, the same as :func:`~yrdgeo.network.from_osm` gives for its data.

        Parameters
        ----------
        graph
            A ``networkx.MultiDiGraph`` as ``osmnx.graph_from_*`` return it (``graph['crs']``, node
            ``x``/``y``, edge ``length`` in metres, ``highway``, ``maxspeed``, ``oneway``), simplified
            or not, projected or not. Not modified.
        highway_speeds, fallback_speed_kmh, components
            As for :func:`~yrdgeo.network.from_osm`: km/h per ``highway`` class for edges without
            ``maxspeed`` (default :data:`~yrdgeo.network.OSM_HIGHWAY_SPEEDS`), the speed of other
            classes, what to do with disconnected pieces (default: keep the largest).
        simplify
            True (default): an unsimplified graph is simplified with ``osmnx.simplify_graph`` first,
            as ``from_osm`` does, so both give the same nodes and edges; False keeps every node.
        name
            The network's name; defaults to ``graph.graph["name"]`` or ``"osmnx graph"``.

        Raises
        ------
        TypeError
            ``graph`` is not a ``networkx.MultiDiGraph``.
        ValueError
            The graph has no CRS, nodes without ``x``/``y``, edges without ``length``, or no
            ``highway`` edges; a speed is not positive; ``components`` is unknown.

        Notes
        -----
        The conversion is osmnx's own (its speed and travel-time rules) in the package's private
        ``_osmnx`` module, shared with ``from_osm(..., engine="osmnx")``: this module cannot import
        :mod:`~yrdgeo.network.osm`, which imports it.
        """
        speeds = check_speeds(highway_speeds, fallback_speed_kmh)
        check_choice("components", components, COMPONENT_POLICIES)
        check_graph(graph)
        label = name if name is not None else str(graph.graph.get("name") or "osmnx graph")
        g = simplified(graph) if simplify else graph.copy()  # graph_frames changes the graph it is given
        nodes, edges = graph_frames(g, speeds, fallback_speed_kmh, what=f"the osmnx graph {label!r}",
                                    source=f"OpenStreetMap via the osmnx graph {label!r} (ODbL)")
        return apply_components(cls(nodes, edges, name=label), components)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    def graph(self) -> sparse.csr_matrix:
        """Return the directed travel-time graph (minutes) as a CSR matrix, n_nodes × n_nodes.

        Two-way edges appear in both directions; parallel edges keep the fastest.
        """
        if "csr" not in self._cache:
            u = self.edges["u"].to_numpy(np.int64)
            v = self.edges["v"].to_numpy(np.int64)
            w = self.edges["time_min"].to_numpy(np.float64)
            both = ~self.edges["oneway"].to_numpy(bool)
            self._cache["csr"] = _csr(
                np.concatenate([u, v[both]]), np.concatenate([v, u[both]]), np.concatenate([w, w[both]]), self.n_nodes
            )
        return self._cache["csr"]

    def node_xy_m(self) -> np.ndarray:
        """Return node coordinates in metres in :data:`yrdgeo.crs.DISTANCE_CRS` (n × 2)."""
        if "xy" not in self._cache:
            pts = self.nodes.geometry.to_crs(DISTANCE_CRS)
            self._cache["xy"] = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
        return self._cache["xy"]

    def components(self) -> np.ndarray:
        """Return the weakly connected component label of each node."""
        return csgraph.connected_components(self.graph(), directed=True, connection="weak")[1]

    def to_networkx(self):
        """Return the network as a ``networkx.MultiDiGraph`` (node keys = node positions, weight ``time_min``)."""
        import networkx as nx

        g = nx.MultiDiGraph(name=self.name)
        for i, row in enumerate(self.nodes.itertuples(index=False)):
            g.add_node(i, node_id=row.node_id, name=row.name, x=row.geometry.x, y=row.geometry.y)
        attrs = ["line", "mode", "length_km", "time_min"]
        for u, v, oneway, *vals in self.edges[["u", "v", "oneway", *attrs]].itertuples(index=False):
            data = dict(zip(attrs, vals))
            g.add_edge(int(u), int(v), **data)
            if not oneway:
                g.add_edge(int(v), int(u), **data)
        return g

    def node_index(self, node_id: str) -> int:
        """Return the position of the node with ``node_id``, or raise ValueError."""
        hits = np.flatnonzero(self.nodes["node_id"].to_numpy() == str(node_id))
        if not len(hits):
            msg = f"no node {node_id!r} in network {self.name!r}"
            raise ValueError(msg)
        return int(hits[0])


def _csr(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, n: int) -> sparse.csr_matrix:
    """Return an n × n CSR matrix keeping the minimum weight of duplicate (row, col) pairs."""
    if len(rows):
        order = np.lexsort((weights, cols, rows))
        rows, cols, weights = rows[order], cols[order], weights[order]
        first = np.ones(len(rows), bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, weights = rows[first], cols[first], weights[first]
    # scipy's coo->csr sums duplicates: they were removed above, so sums are the minima
    return sparse.csr_matrix((weights, (rows, cols)), shape=(n, n))


def _validate(nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame, *, what: str) -> None:
    for name, frame, cols in (("nodes", nodes, ("node_id", "name")), ("edges", edges, EDGE_COLUMNS)):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            msg = f"{what}: {name} lack columns {missing}; expected {list(cols)}"
            raise ValueError(msg)
        crs = require_crs(frame, what=f"{what} {name}")
        if not crs.equals(WGS84):
            msg = f"{what}: {name} must be in EPSG:4326, got {crs.to_string()}"
            raise ValueError(msg)
    if not len(nodes):
        msg = f"{what}: the network has no nodes"
        raise ValueError(msg)
    n = len(nodes)
    for col in ("u", "v"):
        vals = pd.to_numeric(edges[col], errors="coerce")
        bad = vals.isna() | (vals < 0) | (vals >= n)
        if bad.any():
            msg = f"{what}: edge column {col!r} must hold node positions 0..{n - 1}; bad rows {list(edges.index[bad][:5])}"
            raise ValueError(msg)
    t = pd.to_numeric(edges["time_min"], errors="coerce")
    bad = ~np.isfinite(t.to_numpy(float)) | (t.to_numpy(float) <= 0)
    if bad.any():
        sample = edges.loc[bad, ["line", "speed_kmh", "time_min"]].head(5).to_dict("records")
        msg = (
            f"{what}: {int(bad.sum())} edges have a travel time that is missing, zero or negative "
            f"(times must be positive minutes), e.g. {sample}"
        )
        raise ValueError(msg)



def opened_timestamp(value: object) -> pd.Timestamp:
    """Return the date from which a link counts as open (a pandas Timestamp), or NaT when ``value`` is blank.

    :func:`yrdgeo.dates.as_timestamp` for an opening date: a partial date is
    the last day of its period (``2015-12`` → 2015-12-31, ``1996`` →
    1996-12-31), so a link is never counted open before it could have opened.

    Raises
    ------
    yrdgeo.dates.DateError
        (a ValueError) naming the value and the accepted forms.
    """
    return dates.as_timestamp(value, what="opening date")


def _closed_timestamp(value: object) -> pd.Timestamp:
    return dates.as_timestamp(value, what="closing date")


def as_of(network: Network, date: str | _dt.date | None, *, undated: str = "keep") -> Network:
    """Return the network of links open on ``date`` (opened on or before it, not closed by it).

    Parameters
    ----------
    network
        Any :class:`Network`; its ``opened`` (and optional ``closed``) columns
        hold ISO dates, ``YYYY-MM`` or ``YYYY`` (a partial date is the last
        day of its period, :mod:`yrdgeo.dates`), or are empty when unknown.
    date
        The date (``"2010-01-01"``, a ``datetime.date``, or a partial date
        read by the same rule: ``"2019"`` is 2019-12-31); None applies only
        the ``undated`` policy.
    undated
        ``"keep"`` (default) keeps links with no opening date and reports
        their number in ``undated_kept``; ``"drop"`` removes them;
        ``"error"`` raises if there are any.

    Returns
    -------
    Network
        A new network with the same nodes (so node positions stay comparable
        across dates) and the open edges. Units cut off on that date show as
        unreachable in :mod:`yrdgeo.accessibility`.
    """
    check_choice("undated", undated, UNDATED_POLICIES)
    day = dates.parse(date, what="as_of date")  # "2019" is the end of 2019, as for opening dates
    when = None if day is None else pd.Timestamp(day)
    edges = network.edges
    opened = edges["opened"].map(opened_timestamp)
    undated_mask = opened.isna().to_numpy()
    if undated == "error" and undated_mask.any():
        lines = sorted(set(edges.loc[undated_mask, "line"].astype(str)))[:5]
        msg = f"{int(undated_mask.sum())} links have no opening date (e.g. {lines}); pass undated='keep' or 'drop'"
        raise ValueError(msg)
    keep = np.ones(len(edges), bool)
    if when is not None:
        keep &= undated_mask | (opened.fillna(pd.Timestamp.max) <= when).to_numpy()
        if "closed" in edges.columns:
            closed = edges["closed"].map(_closed_timestamp)
            keep &= (closed.isna() | (closed > when)).to_numpy()
    if undated == "drop":
        keep &= ~undated_mask
    out_edges = edges.loc[keep].reset_index(drop=True).copy()
    return Network(network.nodes.copy(), out_edges, name=network.name, as_of=day,
                   undated_kept=int((undated_mask & keep).sum()))


def apply_components(net: Network, policy: str) -> Network:
    """Return ``net`` with its disconnected pieces handled by ``policy`` (the ``components=`` of the readers).

    ``"keep"`` returns it as it is, ``"largest"`` keeps the largest weakly
    connected piece (nodes renumbered), ``"error"`` refuses a network in
    several pieces, naming their number and sizes.
    """
    check_choice("components", policy, COMPONENT_POLICIES)
    labels = net.components()
    n_comp = int(labels.max()) + 1 if len(labels) else 0
    if n_comp <= 1 or policy == "keep":
        return net
    sizes = np.bincount(labels)
    if policy == "error":
        top = sorted(sizes.tolist(), reverse=True)[:5]
        msg = (
            f"{net.name or 'network'} is disconnected: {n_comp} separate components (largest node counts {top}). "
            "Units on different pieces cannot reach each other. Check snapping (snap_m), or pass "
            "components='largest' to keep the largest piece or 'keep' to keep all."
        )
        raise ValueError(msg)
    keep_nodes = np.flatnonzero(labels == int(np.argmax(sizes)))
    remap = np.full(net.n_nodes, -1)
    remap[keep_nodes] = np.arange(len(keep_nodes))
    e = net.edges
    mask = (remap[e["u"].to_numpy()] >= 0) & (remap[e["v"].to_numpy()] >= 0)
    edges = e.loc[mask].copy()
    edges["u"] = remap[edges["u"].to_numpy()]
    edges["v"] = remap[edges["v"].to_numpy()]
    return Network(net.nodes.iloc[keep_nodes].reset_index(drop=True), edges.reset_index(drop=True), name=net.name)


def to_layers(network: Network) -> dict[str, gpd.GeoDataFrame]:
    """Return ``{"nodes": ..., "edges": ...}`` ready for :func:`yrdgeo.io.write_layers` (node ids on edges)."""
    edges = network.edges.copy()
    ids = network.nodes["node_id"].to_numpy()
    edges.insert(0, "from_id", ids[edges["u"].to_numpy()])
    edges.insert(1, "to_id", ids[edges["v"].to_numpy()])
    return {"nodes": network.nodes.copy(), "edges": edges}
