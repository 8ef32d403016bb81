"""Road networks from OpenStreetMap extracts on disk: XML through osmnx, PBF through GDAL's OSM driver.

Nothing is downloaded. Both back-ends give the same kind of :class:`~yrdgeo.network.model.Network`:
ways tagged ``highway=*``, a speed from ``maxspeed`` or from the way's highway class
(:data:`OSM_HIGHWAY_SPEEDS`), one-way streets one-way. The PBF back-end splits ways at their
shared vertices and builds the graph with :func:`yrdgeo.network.lines.from_lines`.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..checks import check_choices, check_number
from ..crs import WGS84
from .lines import from_lines
from .model import COMPONENT_POLICIES, Network, apply_components

__all__ = ["OSM_ENGINES", "OSM_HIGHWAY_SPEEDS", "from_osm"]

#: How :func:`from_osm` reads a file: by its extension (``.pbf`` through GDAL, else osmnx), or as named.
OSM_ENGINES = ("auto", "osmnx", "gdal")

# osmnx-style speeds (km/h) for OSM highway classes when a way has no maxspeed
# (China's legal limits: expressway 120, class-1 highway 100, urban roads 60-80).
OSM_HIGHWAY_SPEEDS = {
    "motorway": 100.0, "motorway_link": 60.0, "trunk": 80.0, "trunk_link": 50.0,
    "primary": 60.0, "primary_link": 40.0, "secondary": 50.0, "secondary_link": 40.0,
    "tertiary": 40.0, "tertiary_link": 30.0, "unclassified": 30.0, "residential": 30.0,
    "living_street": 10.0, "service": 20.0, "road": 30.0,
}



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
    for highway, speed in speeds.items():
        check_number(f"highway_speeds[{highway!r}]", speed, unit="km/h")
    check_number("fallback_speed_kmh", fallback_speed_kmh, unit="km/h")
    check_choices(("components", components, COMPONENT_POLICIES), ("engine", engine, OSM_ENGINES))
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
    return apply_components(net, components)


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
