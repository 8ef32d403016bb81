"""Road networks from OpenStreetMap extracts on disk (XML or PBF) through GDAL's OSM driver, or osmnx.

Nothing is downloaded. Both back-ends give the same :class:`~yrdgeo.network.model.Network`:
ways tagged ``highway=*``, a speed from ``maxspeed`` or from the way's highway class
(:data:`OSM_HIGHWAY_SPEEDS`), one-way streets one-way, every two-way street as two directed
edges, and osmnx's simplification (chains of nodes that are not junctions merged into one edge,
osmnx's endpoint rules) with its great-circle lengths. The GDAL back-end (the default) does that
with numpy on the ways GDAL reads, ≈10× faster than building an osmnx graph and converting it.
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

from ..checks import check_choices
from ..crs import WGS84
from ._osmnx import OSM_HIGHWAY_SPEEDS, check_speeds, graph_frames
from .model import COMPONENT_POLICIES, Network, apply_components

__all__ = ["OSM_ENGINES", "OSM_HIGHWAY_SPEEDS", "from_osm"]

#: How :func:`from_osm` reads a file: ``"auto"`` and ``"gdal"`` through GDAL's OSM driver (XML and PBF),
#: ``"osmnx"`` through ``osmnx.graph_from_xml`` (XML only; the same graph, slower).
OSM_ENGINES = ("auto", "osmnx", "gdal")

# OSM_HIGHWAY_SPEEDS (osmnx-style km/h by highway class, for ways without maxspeed) is defined with the
# osmnx conversion in ._osmnx, which Network.from_graph shares; it is re-exported here, where it always was.



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
        ``.osm`` XML or ``.osm.pbf``, read with GDAL's OSM driver through pyogrio (``engine="osmnx"``:
        XML, optionally ``.bz2``-compressed, read with ``osmnx.graph_from_xml``).
    highway_speeds
        km/h per OSM ``highway`` class for ways without ``maxspeed``; defaults
        to :data:`OSM_HIGHWAY_SPEEDS`.
    fallback_speed_kmh
        Speed for classes not in ``highway_speeds``.
    components
        ``"largest"`` (default: keep the largest weakly connected component,
        as osmnx does), ``"keep"`` or ``"error"`` (raise if disconnected).
    engine
        ``"auto"`` or ``"gdal"`` (GDAL), or ``"osmnx"``. They give the same nodes and edges, lengths
        and times, except where osmnx's own choice is arbitrary (the class and name of a merged
        chain of differently tagged ways: osmnx takes one from a set, GDAL the first way's) and
        where a way that is not a road shares a node with roads (osmnx simplifies before the
        roads are picked out, so such a node may stay a node there).

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
    speeds = check_speeds(highway_speeds, fallback_speed_kmh)
    check_choices(("components", components, COMPONENT_POLICIES), ("engine", engine, OSM_ENGINES))
    if engine == "osmnx":
        return _from_osm_osmnx(path, speeds, fallback_speed_kmh, components)
    return _from_osm_gdal(path, speeds, fallback_speed_kmh, components)


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
    nodes, edges = graph_frames(g, speeds, fallback, what=f"{str(path)!r}",
                                source=f"OpenStreetMap extract {path.name} (ODbL) via osmnx")
    return apply_components(Network(nodes, edges, name=path.name), components)


def _from_osm_gdal(path: Path, speeds: dict, fallback: float, components: str) -> Network:
    import pyogrio

    if not path.name.lower().endswith(".pbf"):
        _check_osm_xml(path)  # the same clear refusal of HTML/JSON/text as the osmnx path
    source = path
    if path.suffix.lower() == ".bz2":  # GDAL has no bzip2 reader: hand it the XML in memory
        import bz2
        import io

        with bz2.open(path, "rb") as compressed:
            source = io.BytesIO(compressed.read())
    try:
        lines = pyogrio.read_dataframe(source, layer="lines", columns=["name", "highway", "other_tags"])
    except Exception as exc:
        msg = f"{str(path)!r} is not an OpenStreetMap file GDAL can read (OSM driver): {exc}"
        raise ValueError(msg) from exc
    if "highway" not in lines.columns or lines["highway"].isna().all():
        msg = f"{str(path)!r} holds no ways tagged highway=*; nothing to route on"
        raise ValueError(msg)
    lines = lines[lines["highway"].notna()].reset_index(drop=True)
    tags = lines["other_tags"].fillna("") if "other_tags" in lines.columns else pd.Series("", index=lines.index)
    maxspeed = pd.to_numeric(tags.str.extract(r'"maxspeed"=>"(\d+(?:\.\d+)?)"', expand=False), errors="coerce")
    maxspeed = maxspeed.where(maxspeed > 0).to_numpy(float)
    # osmnx's one-way rule: these oneway values, or a roundabout; "-1"/"reverse"/"T" run against the drawing
    oneway_tag = tags.str.extract(r'"oneway"=>"([^"]*)"', expand=False)
    reverse = oneway_tag.isin(_OSM_REVERSED).to_numpy()
    oneway = (oneway_tag.isin(_OSM_ONEWAY) | tags.str.contains('"junction"=>"roundabout"', regex=False)).to_numpy()
    coords, way_of = shapely.get_coordinates(lines.geometry.values, return_index=True)
    xy, node_of = np.unique(coords, axis=0, return_inverse=True)  # an OSM node is its coordinates here
    node_of = node_of.ravel()
    same_way = way_of[1:] == way_of[:-1]
    a, b, seg_way = node_of[:-1][same_way], node_of[1:][same_way], way_of[:-1][same_way]
    flip = reverse[seg_way]
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    seg_m = _great_circle_m(xy[a], xy[b])
    # directed arcs: every segment along the way, and back again on two-way ways (as osmnx builds them)
    back = ~oneway[seg_way]
    au, av = np.concatenate([a, b[back]]), np.concatenate([b, a[back]])
    arc_seg = np.concatenate([np.arange(len(a)), np.flatnonzero(back)])
    keep_nodes = _osmnx_endpoints(au, av, len(xy))
    path_id, arc_ids = _merge_chains(au, av, keep_nodes)
    seg_of = arc_seg[arc_ids]
    first = np.r_[0, np.flatnonzero(np.diff(path_id)) + 1]
    last = np.r_[first[1:] - 1, len(path_id) - 1]
    length_m = np.bincount(path_id, weights=seg_m[seg_of])
    way = seg_way[seg_of[first]]  # osmnx keeps an arbitrary one of a chain's classes; here the first way's
    highway = lines["highway"].to_numpy()[way]
    # a chain's maxspeed: the mean of its distinct tagged values (osmnx's collapse of a list)
    chain_speeds = pd.DataFrame({"p": path_id, "s": maxspeed[seg_way[seg_of]]}).dropna().drop_duplicates()
    speed = chain_speeds.groupby("p")["s"].mean().reindex(np.arange(len(first))).to_numpy()
    by_class = pd.Series(speeds, dtype=float)
    observed = pd.Series(speed).groupby(highway).mean()  # classes without a default take their mean maxspeed
    by_class = by_class.combine_first(observed[~observed.index.isin(by_class.index)]).fillna(fallback)
    speed = np.where(np.isnan(speed), pd.Series(highway).map(by_class).to_numpy(float), speed)
    # a chain's geometry: its start node, then the head of each arc
    verts = np.concatenate([au[arc_ids[first]], av[arc_ids]])
    vert_path = np.concatenate([np.arange(len(first)), path_id])
    order = np.lexsort((np.concatenate([np.full(len(first), -1), np.arange(len(path_id))]), vert_path))
    geometry = shapely.linestrings(xy[verts[order]], indices=vert_path[order])
    u, v = au[arc_ids[first]], av[arc_ids[last]]
    used = np.unique(np.concatenate([u, v]))
    pos = np.full(len(xy), -1)
    pos[used] = np.arange(len(used))
    names = lines["name"].fillna("").to_numpy()[way] if "name" in lines.columns else np.full(len(way), "")
    edges = gpd.GeoDataFrame(
        {
            "u": pos[u], "v": pos[v], "line": names.astype(str), "mode": "road", "highway": highway.astype(str),
            "length_km": length_m / 1000.0, "speed_kmh": speed, "time_min": length_m / (speed * 1000 / 3600) / 60.0,
            "oneway": True, "opened": "", "source": f"OpenStreetMap extract {path.name} (ODbL) via GDAL OSM driver",
        },
        geometry=geometry, crs=lines.crs,
    ).to_crs(WGS84)
    edges["time_min"] = edges["time_min"].clip(lower=1e-6)  # zero-length edges, as in the osmnx path
    nodes = gpd.GeoDataFrame(
        {"node_id": [f"{x:.7f},{y:.7f}" for x, y in xy[used]], "name": ""},
        geometry=gpd.points_from_xy(xy[used, 0], xy[used, 1]), crs=lines.crs,
    ).to_crs(WGS84)
    net = Network(nodes, edges, name=path.name)
    return apply_components(net, components)


_OSM_ONEWAY = ("yes", "true", "1", "-1", "reverse", "T", "F")  # osmnx's values for a one-way way
_OSM_REVERSED = ("-1", "reverse", "T")


def _great_circle_m(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Return great-circle metres between lon/lat rows, with osmnx's formula and earth radius."""
    y1, y2 = np.deg2rad(p[:, 1]), np.deg2rad(q[:, 1])
    dx = np.deg2rad(q[:, 0] - p[:, 0])
    h = np.sin((y2 - y1) / 2) ** 2 + np.cos(y1) * np.cos(y2) * np.sin(dx / 2) ** 2
    return 2 * np.arcsin(np.sqrt(np.minimum(1.0, h))) * 6_371_009.0


def _osmnx_endpoints(au: np.ndarray, av: np.ndarray, n_nodes: int) -> np.ndarray:
    """Return which nodes osmnx's simplification keeps: self-loops, sources/sinks, not 2 neighbours at degree 2 or 4."""
    indeg = np.bincount(av, minlength=n_nodes)
    outdeg = np.bincount(au, minlength=n_nodes)
    pairs = np.unique(np.stack([np.r_[au, av], np.r_[av, au]], axis=1), axis=0)
    neighbours = np.bincount(pairs[:, 0], minlength=n_nodes)
    loop = np.zeros(n_nodes, bool)
    loop[au[au == av]] = True
    deg = indeg + outdeg
    return loop | (indeg == 0) | (outdeg == 0) | ~((neighbours == 2) & ((deg == 2) | (deg == 4)))


def _merge_chains(au: np.ndarray, av: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (chain id, arc) pairs in order: arcs from a kept node walked through dropped nodes to the next kept one."""
    order = np.argsort(au, kind="stable")
    start = np.searchsorted(au[order], np.arange(len(keep) + 1))
    cur = np.flatnonzero(keep[au])  # one chain per arc leaving a kept node
    chain = np.arange(len(cur))
    out_chain, out_arc = [chain], [cur]
    while True:
        go = ~keep[av[cur]]
        chain, cur = chain[go], cur[go]
        if not len(cur):
            break
        node, prev = av[cur], au[cur]
        nxt = np.full(len(cur), -1)
        # a dropped node has at most three arcs out: take the first that does not turn back
        for k in range(3):
            has = (start[node] + k < start[node + 1]) & (nxt < 0)
            cand = order[np.minimum(start[node] + k, len(order) - 1)]
            nxt = np.where(has & (av[cand] != prev), cand, nxt)
        chain, cur = chain[nxt >= 0], nxt[nxt >= 0]
        out_chain.append(chain)
        out_arc.append(cur)
    chains, arcs = np.concatenate(out_chain), np.concatenate(out_arc)
    step = np.concatenate([np.full(len(c), i) for i, c in enumerate(out_chain)])
    o = np.lexsort((step, chains))
    return chains[o], arcs[o]
