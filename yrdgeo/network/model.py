"""Routable transport networks: the bundled YRD intercity network, OSM extracts, line layers; as-of-date filtering.

A :class:`Network` is two GeoDataFrames in EPSG:4326 — ``nodes`` (``node_id``,
``name``, point geometry) and ``edges`` (``u``/``v`` node positions, ``line``,
``mode``, ``length_km``, ``speed_kmh``, ``time_min``, ``oneway``, ``opened``,
``source``, line geometry) — plus the sparse graph that
:mod:`yrdgeo.accessibility` hands to :func:`scipy.sparse.csgraph.dijkstra`.
Edge weights are travel times in minutes.

Where networks come from:

* :func:`load_yrd_network` — the bundled intercity network: high-speed,
  intercity and conventional railways and the main expressways between the
  41 city anchors (and Songjiang, hub of the G60 corridor) with sourced
  opening dates (``data/network/lines.csv``), plus a *road proxy* linking
  neighbouring cities (``data/network/road_proxy.csv``), which models travel
  by road and carries no opening date; a proxy pair joined directly by a
  dated expressway is replaced by it (:func:`road_proxy_superseded`).
  See ``data/network/PROVENANCE.md``.
* :func:`from_osm` — an OpenStreetMap extract on disk, XML through osmnx, PBF
  through GDAL's OSM driver. Nothing is downloaded.
* :func:`from_lines` — any road or rail line layer (GeoPackage, Shapefile or
  GeoDataFrame) with a speed or time attribute; line ends closer than a
  tolerance are snapped into one node.
* :func:`as_of` — the network open on a date.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from ..crs import DISTANCE_CRS, WGS84, geodesic_distance_km, require_crs, to_metric
from ..units import _table, data_path

#: Effective rail speed over the straight anchor-to-anchor line, as a share of
#: design speed. Calibrated on two sourced non-stop times: Shanghai–Nanjing 73 min
#: (270 km seat to seat, 350 km/h line → 0.63) and Shanghai–Hangzhou 45 min
#: (163 km, 350 km/h → 0.62). See data/network/PROVENANCE.md.
RAIL_SPEED_FACTOR = 0.62
#: Effective road speed over the straight line between neighbouring city seats
#: (assumption: 100 km/h expressway design speed and a 1.33 route detour).
ROAD_SPEED_KMH = 75.0
MODES = ("hsr", "intercity", "rail", "expressway", "road_proxy", "road", "link")
UNDATED_POLICIES = ("keep", "drop", "error")
EDGE_COLUMNS = ("u", "v", "line", "mode", "length_km", "speed_kmh", "time_min", "oneway", "opened", "source")

# osmnx-style speeds (km/h) for OSM highway classes when a way has no maxspeed
# (China's legal limits: expressway 120, class-1 highway 100, urban roads 60-80).
OSM_HIGHWAY_SPEEDS = {
    "motorway": 100.0, "motorway_link": 60.0, "trunk": 80.0, "trunk_link": 50.0,
    "primary": 60.0, "primary_link": 40.0, "secondary": 50.0, "secondary_link": 40.0,
    "tertiary": 40.0, "tertiary_link": 30.0, "unclassified": 30.0, "residential": 30.0,
    "living_street": 10.0, "service": 20.0, "road": 30.0,
}


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


# --------------------------------------------------------------------------- bundled YRD network


def yrd_lines() -> pd.DataFrame:
    """Return the curated table of YRD rail lines, expressways and named fixed links (one row per line or section).

    Columns: ``line_id``, ``line_zh``, ``line_en``, ``mode``, ``stops``
    (adcodes joined by ``;``, in order), ``opened`` (``YYYY-MM-DD``, ``YYYY-MM``
    or empty when not sourced), ``design_speed_kmh``, ``source``, ``note``.
    """
    return pd.read_csv(str(data_path("network", "lines.csv")), dtype=str, keep_default_na=False)


def road_proxy_pairs() -> pd.DataFrame:
    """Return the neighbouring-unit pairs of the road proxy (``a``, ``b`` adcodes, ``shared_border_km``, ``note``)."""
    return pd.read_csv(str(data_path("network", "road_proxy.csv")), dtype={"a": str, "b": str}, keep_default_na=False)


def opened_timestamp(value: object) -> pd.Timestamp:
    """Return the date from which a link counts as open, or NaT when ``value`` is empty.

    Partial dates count from the *end* of the stated period (``2015-12`` →
    2015-12-31, ``1996`` → 1996-12-31), so a link is never counted open before
    it could have opened.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return pd.NaT
    if isinstance(value, (pd.Timestamp, _dt.date)):
        return pd.Timestamp(value)
    text = str(value).strip()
    if not text or text.lower() in {"nan", "nat", "none"}:
        return pd.NaT
    try:
        if len(text) == 4 and text.isdigit():
            return pd.Timestamp(f"{text}-12-31")
        if len(text) == 7:
            return pd.Timestamp(f"{text}-01") + pd.offsets.MonthEnd(0)
        return pd.Timestamp(text)
    except ValueError as exc:
        msg = f"cannot read opening date {value!r}: expected YYYY-MM-DD, YYYY-MM or YYYY"
        raise ValueError(msg) from exc


def _dated_expressway_pairs(lines: pd.DataFrame) -> dict[frozenset, str]:
    """Return the unit pairs joined directly by a dated expressway row of ``lines`` (frozenset of two adcodes → line_id)."""
    pairs: dict[frozenset, str] = {}
    dated = lines[(lines["mode"] == "expressway") & (lines["opened"].str.strip() != "")]
    for line_id, stops in zip(dated["line_id"], dated["stops"]):
        codes = stops.split(";")
        for p in zip(codes[:-1], codes[1:]):
            pairs.setdefault(frozenset(p), line_id)
    return pairs


def road_proxy_superseded() -> pd.DataFrame:
    """Return the road-proxy pairs left out of the bundled network because a dated expressway joins the same two units.

    Columns ``a``, ``b`` as in :func:`road_proxy_pairs`, plus ``line_id`` of the
    expressway that replaces the pair. Before that expressway's opening date the
    pair has no direct road link (travel by road goes round through other pairs).
    """
    by_pair = _dated_expressway_pairs(yrd_lines())
    proxy = road_proxy_pairs()
    keys = [frozenset((a, b)) for a, b in zip(proxy["a"], proxy["b"])]
    hit = [k in by_pair for k in keys]
    out = proxy.loc[hit, ["a", "b"]].copy()
    out["line_id"] = [by_pair[k] for k, h in zip(keys, hit) if h]
    return out.reset_index(drop=True)


@lru_cache(maxsize=4)
def _yrd_network_cached(rail_speed_factor: float, road_speed_kmh: float) -> Network:
    table = _table().set_index("adcode")
    lines = yrd_lines()
    proxy = road_proxy_pairs()
    codes: list[str] = []
    for stops in lines["stops"]:
        codes += stops.split(";")
    codes += list(proxy["a"]) + list(proxy["b"])
    codes = list(dict.fromkeys(c for c in _table().adcode if c in set(codes)))  # canonical order
    unknown = set(c for s in lines["stops"] for c in s.split(";")) - set(table.index)
    if unknown:
        msg = f"bundled lines.csv names unknown adcodes {sorted(unknown)}"
        raise ValueError(msg)
    pos = {c: i for i, c in enumerate(codes)}
    lon = table.loc[codes, "anchor_lon"].to_numpy(float)
    lat = table.loc[codes, "anchor_lat"].to_numpy(float)
    nodes = gpd.GeoDataFrame(
        {"node_id": codes, "name": table.loc[codes, "name_zh"].to_numpy(), "level": table.loc[codes, "level"].to_numpy()},
        geometry=gpd.points_from_xy(lon, lat), crs=WGS84,
    )
    rows = []
    for line in lines.itertuples(index=False):
        stops = line.stops.split(";")
        design = float(line.design_speed_kmh) if line.design_speed_kmh else math.nan
        if line.mode == "expressway":
            speed, basis = road_speed_kmh, f"road: {road_speed_kmh:g} km/h effective over the straight line"
        else:
            speed = design * rail_speed_factor
            basis = f"rail: {rail_speed_factor:g} × design speed {design:g} km/h"
        for a, b in zip(stops[:-1], stops[1:]):
            rows.append({
                "u": pos[a], "v": pos[b], "line": line.line_zh, "line_en": line.line_en, "line_id": line.line_id,
                "mode": line.mode, "design_speed_kmh": design, "speed_kmh": speed, "speed_basis": basis,
                "opened": line.opened, "source": line.source, "note": line.note,
            })
    dated_roads = _dated_expressway_pairs(lines)
    for pair in proxy.itertuples(index=False):
        if frozenset((pair.a, pair.b)) in dated_roads:
            continue  # a dated expressway links this pair: its date wins over the undated proxy
        rows.append({
            "u": pos[pair.a], "v": pos[pair.b], "line": "道路（相邻单元代理）", "line_en": "road proxy (neighbouring units)",
            "line_id": "road_proxy", "mode": "road_proxy", "design_speed_kmh": math.nan, "speed_kmh": road_speed_kmh,
            "speed_basis": f"road: {road_speed_kmh:g} km/h effective over the straight line",
            "opened": "", "source": "derived: units sharing a land border in the bundled boundaries (road_proxy.csv)",
            "note": pair.note,
        })
    edges = pd.DataFrame(rows)
    edges["length_km"] = geodesic_distance_km(lon[edges.u], lat[edges.u], lon[edges.v], lat[edges.v])
    edges["time_min"] = edges["length_km"] / edges["speed_kmh"] * 60.0
    edges["oneway"] = False
    geoms = shapely.linestrings(np.stack([np.column_stack([lon[edges.u], lat[edges.u]]),
                                          np.column_stack([lon[edges.v], lat[edges.v]])], axis=1))
    edges = gpd.GeoDataFrame(edges, geometry=geoms, crs=WGS84)
    return Network(nodes, edges, name="yrd")


def load_yrd_network(
    *,
    as_of: str | _dt.date | None = None,
    undated: str = "keep",
    rail_speed_factor: float = RAIL_SPEED_FACTOR,
    road_speed_kmh: float = ROAD_SPEED_KMH,
) -> Network:
    """Return the bundled YRD intercity network, optionally as open on a date.

    Parameters
    ----------
    as_of
        Keep only links open on this date (see :func:`as_of`); None keeps all.
    undated
        What to do with links without an opening date (the road proxy — less
        the pairs a dated expressway replaces — and any link whose date is
        not sourced): ``"keep"`` (default: treat
        as open at every date, and count them in ``Network.undated_kept``),
        ``"drop"`` or ``"error"``.
    rail_speed_factor
        Effective rail speed as a share of the sourced design speed.
    road_speed_kmh
        Effective road speed over the straight line between seats.

    Returns
    -------
    Network
        Nodes are the seats (``anchor_lon``/``anchor_lat``) of the 41 cities
        and of Songjiang district; edges run straight between them (their
        geometry is not the real alignment; ``length_km`` is seat-to-seat
        geodesic length).
    """
    for name, val in (("rail_speed_factor", rail_speed_factor), ("road_speed_kmh", road_speed_kmh)):
        if not (isinstance(val, (int, float)) and math.isfinite(val) and val > 0):
            msg = f"{name} must be a positive number, got {val!r}"
            raise ValueError(msg)
    base = _yrd_network_cached(float(rail_speed_factor), float(road_speed_kmh))
    net = Network(base.nodes.copy(), base.edges.copy(), name=base.name)
    if as_of is None and undated == "keep":
        return net
    return _as_of(net, as_of, undated=undated)


def as_of(network: Network, date: str | _dt.date | None, *, undated: str = "keep") -> Network:
    """Return the network of links open on ``date`` (opened on or before it, not closed by it).

    Parameters
    ----------
    network
        Any :class:`Network`; its ``opened`` (and optional ``closed``) columns
        hold ISO dates, ``YYYY-MM`` or ``YYYY`` (partial dates count from the
        end of the period), or are empty when unknown.
    date
        The date (``"2010-01-01"`` or a ``datetime.date``); None applies only
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
    if undated not in UNDATED_POLICIES:
        msg = f"undated must be one of {UNDATED_POLICIES}, got {undated!r}"
        raise ValueError(msg)
    when = None
    if date is not None:
        try:
            when = pd.Timestamp(date)
        except (ValueError, TypeError) as exc:
            msg = f"cannot read date {date!r}: expected an ISO date such as 2010-01-01"
            raise ValueError(msg) from exc
        if pd.isna(when):
            msg = f"cannot read date {date!r}: expected an ISO date such as 2010-01-01"
            raise ValueError(msg)
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
            closed = edges["closed"].map(opened_timestamp)
            keep &= (closed.isna() | (closed > when)).to_numpy()
    if undated == "drop":
        keep &= ~undated_mask
    out_edges = edges.loc[keep].reset_index(drop=True).copy()
    return Network(
        network.nodes.copy(), out_edges, name=network.name,
        as_of=None if when is None else when.date(),
        undated_kept=int((undated_mask & keep).sum()),
    )


_as_of = as_of  # for load_yrd_network, whose keyword argument shares the name


# --------------------------------------------------------------------------- OSM extracts


def from_osm(
    path: str | os.PathLike,
    *,
    highway_speeds: Mapping[str, float] | None = None,
    fallback_speed_kmh: float = 30.0,
    components: str = "largest",
    engine: str = "auto",
) -> Network:
    """Return a drivable road network read from an OpenStreetMap extract file (no download).

    Parameters
    ----------
    path
        ``.osm`` XML, optionally ``.bz2``-compressed (read with ``osmnx.graph_from_xml``) or ``.osm.pbf``
        (read with GDAL's OSM driver through pyogrio, then :func:`from_lines`).
    highway_speeds
        km/h per OSM ``highway`` class for ways without ``maxspeed``; defaults
        to :data:`OSM_HIGHWAY_SPEEDS`.
    fallback_speed_kmh
        Speed for classes not in ``highway_speeds``.
    components
        ``"largest"`` (default: keep the largest weakly connected component,
        as osmnx does), ``"keep"`` or ``"error"`` (raise if disconnected).
    engine
        ``"auto"`` (by extension), ``"osmnx"`` or ``"gdal"``.

    Returns
    -------
    Network
        Edges carry ``highway``, ``length_km``, ``speed_kmh`` and ``time_min``;
        one-way streets are one-way.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"OSM file {str(path)!r} does not exist"
        raise FileNotFoundError(msg)
    speeds = dict(OSM_HIGHWAY_SPEEDS if highway_speeds is None else highway_speeds)
    if any(not (float(s) > 0) for s in speeds.values()) or not fallback_speed_kmh > 0:
        msg = f"OSM speeds must be positive km/h, got {speeds} and fallback {fallback_speed_kmh!r}"
        raise ValueError(msg)
    if engine not in ("auto", "osmnx", "gdal"):
        msg = f"engine must be 'auto', 'osmnx' or 'gdal', got {engine!r}"
        raise ValueError(msg)
    if engine == "gdal" or (engine == "auto" and path.name.lower().endswith(".pbf")):
        return _from_osm_gdal(path, speeds, fallback_speed_kmh, components)
    return _from_osm_osmnx(path, speeds, fallback_speed_kmh, components)


def _check_osm_xml(path: Path) -> None:
    import xml.etree.ElementTree as ET

    if path.suffix.lower() == ".bz2":  # osmnx reads bzip2-compressed XML too
        import bz2

        source = bz2.open(path, "rb")
    else:
        source = open(path, "rb")  # noqa: SIM115 - closed below
    try:
        for _event, elem in ET.iterparse(source, events=("start",)):
            root = elem.tag
            break
        else:  # pragma: no cover - empty XML cannot parse
            root = ""
    except (ET.ParseError, OSError, EOFError) as exc:
        msg = f"{str(path)!r} is not an OpenStreetMap XML file (XML parse error: {exc}); expected an .osm extract"
        raise ValueError(msg) from exc
    finally:
        source.close()
    if root != "osm":
        msg = f"{str(path)!r} is not an OpenStreetMap XML file: its root element is <{root}>, expected <osm>"
        raise ValueError(msg)


def _from_osm_osmnx(path: Path, speeds: dict, fallback: float, components: str) -> Network:
    import osmnx as ox

    _check_osm_xml(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            g = ox.graph_from_xml(path, bidirectional=False, simplify=True, retain_all=True)
        except Exception as exc:  # osmnx raises its own error types for empty or odd files
            msg = f"osmnx could not build a graph from {str(path)!r}: {exc}"
            raise ValueError(msg) from exc
    drop = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if "highway" not in d]
    g.remove_edges_from(drop)
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    if not len(g.edges):
        msg = f"{str(path)!r} holds no ways tagged highway=*; nothing to route on"
        raise ValueError(msg)
    g = ox.routing.add_edge_speeds(g, hwy_speeds=speeds, fallback=fallback)
    g = ox.routing.add_edge_travel_times(g)
    node_gdf, edge_gdf = ox.convert.graph_to_gdfs(g)
    node_ids = node_gdf.index.to_numpy()
    pos = pd.Series(np.arange(len(node_ids)), index=node_ids)
    e = edge_gdf.reset_index()
    hw = e["highway"].map(lambda h: h[0] if isinstance(h, list) else h)
    edges = gpd.GeoDataFrame(
        {
            "u": pos[e["u"].to_numpy()].to_numpy(), "v": pos[e["v"].to_numpy()].to_numpy(),
            "line": e.get("name", pd.Series([None] * len(e))).map(lambda n: n[0] if isinstance(n, list) else n)
            .fillna("").astype(str).to_numpy(),
            "mode": "road", "highway": hw.astype(str).to_numpy(),
            "length_km": e["length"].to_numpy(float) / 1000.0, "speed_kmh": e["speed_kph"].to_numpy(float),
            "time_min": e["travel_time"].to_numpy(float) / 60.0, "oneway": True,
            "opened": "", "source": f"OpenStreetMap extract {path.name} (ODbL) via osmnx",
        },
        geometry=e.geometry.to_numpy(), crs=edge_gdf.crs,
    ).to_crs(WGS84)
    # osmnx already added both directions for two-way ways, so every edge is one-way here;
    # zero-length edges (duplicate nodes) get a tiny positive time so the graph stays valid
    edges["time_min"] = edges["time_min"].clip(lower=1e-6)
    nodes = gpd.GeoDataFrame(
        {"node_id": node_ids.astype(str), "name": ""},
        geometry=gpd.points_from_xy(node_gdf["x"], node_gdf["y"]), crs=node_gdf.crs,
    ).to_crs(WGS84)
    net = Network(nodes, edges, name=path.name)
    return _apply_components(net, components)


def _from_osm_gdal(path: Path, speeds: dict, fallback: float, components: str) -> Network:
    import pyogrio

    try:
        lines = pyogrio.read_dataframe(path, layer="lines")
    except Exception as exc:
        msg = f"{str(path)!r} is not an OpenStreetMap file GDAL can read (OSM driver): {exc}"
        raise ValueError(msg) from exc
    if "highway" not in lines.columns or lines["highway"].isna().all():
        msg = f"{str(path)!r} holds no ways tagged highway=*; nothing to route on"
        raise ValueError(msg)
    lines = lines[lines["highway"].notna()].reset_index(drop=True)
    tags = lines["other_tags"].fillna("") if "other_tags" in lines.columns else pd.Series("", index=lines.index)
    maxspeed = pd.to_numeric(tags.str.extract(r'"maxspeed"=>"(\d+(?:\.\d+)?)"', expand=False), errors="coerce")
    speed = maxspeed.where(maxspeed > 0, lines["highway"].map(speeds)).fillna(fallback).astype(float)
    oneway = tags.str.contains('"oneway"=>"yes"', regex=False)
    # OSM ways meet at shared vertices, not only at their ends: split every way into
    # vertex-to-vertex segments so from_lines joins them where they share a node
    coords, idx = shapely.get_coordinates(lines.geometry.values, return_index=True)
    same_way = idx[1:] == idx[:-1]
    seg = shapely.linestrings(np.stack([coords[:-1][same_way], coords[1:][same_way]], axis=1))
    way = idx[:-1][same_way]
    lines = gpd.GeoDataFrame(
        {"speed_kmh": speed.to_numpy()[way], "oneway": oneway.to_numpy()[way],
         "line": lines.get("name", pd.Series("", index=lines.index)).fillna("").to_numpy()[way]},
        geometry=seg, crs=lines.crs,
    )
    net = from_lines(lines, speed="speed_kmh", oneway="oneway", name_column="line", snap_m=0.0,
                     components=components, mode="road")
    net.edges["source"] = f"OpenStreetMap extract {path.name} (ODbL) via GDAL OSM driver"
    net.name = path.name
    return net


def _apply_components(net: Network, policy: str) -> Network:
    if policy not in ("largest", "keep", "error"):
        msg = f"components must be 'largest', 'keep' or 'error', got {policy!r}"
        raise ValueError(msg)
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


# --------------------------------------------------------------------------- line layers


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
        Column with opening dates (for :func:`as_of`).
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
    if isinstance(lines, (str, os.PathLike)):
        src = str(lines)
        if not Path(src).exists():
            msg = f"line layer {src!r} does not exist"
            raise FileNotFoundError(msg)
        from ..inputs import read_layer

        label = Path(src).name
        # the layer gate: a file GDAL can read, a CRS that fits the coordinates, lines only, none null or empty
        frame = read_layer(src, layer=layer, geometry="line", key=None, compare_bundled=False, what="line layer")
    elif isinstance(lines, gpd.GeoDataFrame):
        from ..inputs import check_layer

        frame, label = lines, "line layer"
        require_crs(frame, what=f"building a network from {label}")
        if len(frame):
            frame = check_layer(frame, geometry="line", key=None, compare_bundled=False, what=label)
    else:
        msg = f"lines must be a GeoDataFrame or a file path, got {type(lines).__name__}"
        raise ValueError(msg)
    require_crs(frame, what=f"building a network from {label}")
    if not (isinstance(snap_m, (int, float)) and math.isfinite(snap_m) and snap_m >= 0):
        msg = f"snap_m must be a non-negative number of metres, got {snap_m!r}"
        raise ValueError(msg)
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
    if default_speed_kmh is not None and not (math.isfinite(default_speed_kmh) and default_speed_kmh > 0):
        msg = f"default_speed_kmh must be positive, got {default_speed_kmh!r}"
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
    return _apply_components(net, components)


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


def to_layers(network: Network) -> dict[str, gpd.GeoDataFrame]:
    """Return ``{"nodes": ..., "edges": ...}`` ready for :func:`yrdgeo.io.write_layers` (node ids on edges)."""
    edges = network.edges.copy()
    ids = network.nodes["node_id"].to_numpy()
    edges.insert(0, "from_id", ids[edges["u"].to_numpy()])
    edges.insert(1, "to_id", ids[edges["v"].to_numpy()])
    return {"nodes": network.nodes.copy(), "edges": edges}


__all__ = [
    "MODES", "Network", "OSM_HIGHWAY_SPEEDS", "RAIL_SPEED_FACTOR", "ROAD_SPEED_KMH", "as_of", "from_lines",
    "from_osm", "load_yrd_network", "opened_timestamp", "road_proxy_pairs", "road_proxy_superseded", "to_layers",
    "yrd_lines",
]
