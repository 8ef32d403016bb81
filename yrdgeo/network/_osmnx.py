"""osmnx graphs as network tables (private to :mod:`yrdgeo.network`): the speed table and the one conversion.

``from_osm(..., engine="osmnx")`` (:mod:`.osm`) and :meth:`Network.from_graph` (:mod:`.model`) both turn an
osmnx graph into nodes and edges here, so a graph read from a file and a graph the caller built with
``osmnx.graph_from_*`` become the same network. It lives in its own module because :mod:`.osm` imports
:mod:`.model` (for :class:`Network`), so :mod:`.model` cannot import :mod:`.osm` back; both import this one,
which imports neither. osmnx itself is imported only when a graph is converted.
"""

from __future__ import annotations

from typing import Any, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from ..checks import check_number
from ..crs import WGS84

__all__ = ["OSM_HIGHWAY_SPEEDS", "check_graph", "check_speeds", "graph_frames", "simplified"]

# osmnx-style speeds (km/h) for OSM highway classes when a way has no maxspeed
# (China's legal limits: expressway 120, class-1 highway 100, urban roads 60-80).
OSM_HIGHWAY_SPEEDS = {
    "motorway": 100.0, "motorway_link": 60.0, "trunk": 80.0, "trunk_link": 50.0,
    "primary": 60.0, "primary_link": 40.0, "secondary": 50.0, "secondary_link": 40.0,
    "tertiary": 40.0, "tertiary_link": 30.0, "unclassified": 30.0, "residential": 30.0,
    "living_street": 10.0, "service": 20.0, "road": 30.0,
}


def check_speeds(highway_speeds: Mapping[str, float] | None, fallback_speed_kmh: float) -> dict[str, float]:
    """Return the speed table (``OSM_HIGHWAY_SPEEDS`` when None); a speed that is not a positive number is a ValueError."""
    speeds = dict(OSM_HIGHWAY_SPEEDS if highway_speeds is None else highway_speeds)
    for highway, speed in speeds.items():
        check_number(f"highway_speeds[{highway!r}]", speed, unit="km/h")
    check_number("fallback_speed_kmh", fallback_speed_kmh, unit="km/h")
    return speeds


def check_graph(graph: Any) -> None:
    """Raise TypeError or ValueError unless ``graph`` looks like an osmnx graph: a MultiDiGraph with a CRS, x/y and lengths."""
    import networkx as nx

    if not isinstance(graph, nx.MultiDiGraph):
        msg = (f"expected an osmnx graph (a networkx.MultiDiGraph, as osmnx.graph_from_* return), got "
               f"{type(graph).__module__}.{type(graph).__qualname__}")
        raise TypeError(msg)
    if graph.graph.get("crs") is None:
        msg = ("the graph has no CRS (graph.graph['crs'] is missing): not an osmnx graph; expected one from "
               "osmnx.graph_from_*, whose nodes carry x/y in that CRS (EPSG:4326 unless projected)")
        raise ValueError(msg)
    if not len(graph):
        msg = "the graph has no nodes: nothing to route on"
        raise ValueError(msg)
    no_xy = [n for n, d in graph.nodes(data=True) if "x" not in d or "y" not in d]
    if no_xy:
        msg = (f"{len(no_xy)} node(s) of the graph lack the x/y coordinates osmnx gives every node, e.g. "
               f"{no_xy[:5]}; expected a graph from osmnx.graph_from_*")
        raise ValueError(msg)
    no_length = [(u, v) for u, v, d in graph.edges(data=True) if "length" not in d]
    if no_length:
        msg = (f"{len(no_length)} edge(s) of the graph lack the 'length' (metres) osmnx gives every edge, e.g. "
               f"{no_length[:5]}; expected a graph from osmnx.graph_from_*")
        raise ValueError(msg)


def simplified(graph: Any) -> Any:
    """Return ``graph`` simplified by osmnx (chains through non-junction nodes merged), as a new graph."""
    import osmnx as ox

    if graph.graph.get("simplified"):
        return graph.copy()
    return ox.simplify_graph(graph)


def graph_frames(graph: Any, speeds: dict[str, float], fallback: float, *, what: str,
                 source: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the nodes and edges (EPSG:4326, the :class:`~yrdgeo.network.model.Network` columns) of an osmnx graph.

    Ways without ``highway`` are dropped (and the nodes only they used), then osmnx gives every
    edge its speed (``maxspeed``, else ``speeds`` by class, else ``fallback``) and travel time.
    ``graph`` is changed in place: pass a copy. ``what`` names the graph in messages.
    """
    import osmnx as ox

    drop = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if "highway" not in d]
    graph.remove_edges_from(drop)
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    if not len(graph.edges):
        msg = f"{what} holds no ways tagged highway=*; nothing to route on"
        raise ValueError(msg)
    graph = ox.routing.add_edge_speeds(graph, hwy_speeds=speeds, fallback=fallback)
    graph = ox.routing.add_edge_travel_times(graph)
    node_gdf, edge_gdf = ox.convert.graph_to_gdfs(graph)
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
            "opened": "", "source": source,
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
    return nodes, edges
