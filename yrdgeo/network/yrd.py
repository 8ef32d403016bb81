"""The bundled YRD intercity network: the curated line table, the road proxy, and the network built from them.

Rail lines, expressways and named fixed links between the 41 city seats (and
Songjiang, hub of the G60 corridor) with sourced opening dates
(``data/network/lines.csv``), plus a *road proxy* linking neighbouring cities
(``data/network/road_proxy.csv``), which models travel by road and carries no
opening date; a proxy pair joined directly by a dated expressway is replaced
by it (:func:`road_proxy_superseded`). See ``data/network/PROVENANCE.md``.
"""

from __future__ import annotations

import datetime as _dt
import math
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import units
from ..checks import check_number
from ..crs import WGS84, geodesic_distance_km
from ..units import data_path
from .model import Network
from .model import as_of as _as_of  # load_yrd_network's keyword argument shares the name

__all__ = ["RAIL_SPEED_FACTOR", "ROAD_SPEED_KMH", "load_yrd_network", "road_proxy_pairs", "road_proxy_superseded",
           "yrd_lines"]

#: Effective rail speed over the straight anchor-to-anchor line, as a share of
#: design speed. Calibrated on two sourced non-stop times: Shanghai–Nanjing 73 min
#: (270 km seat to seat, 350 km/h line → 0.63) and Shanghai–Hangzhou 45 min
#: (163 km, 350 km/h → 0.62). See data/network/PROVENANCE.md.
RAIL_SPEED_FACTOR = 0.62
#: Effective road speed over the straight line between neighbouring city seats
#: (assumption: 100 km/h expressway design speed and a 1.33 route detour).
ROAD_SPEED_KMH = 75.0


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
    table = units.by_code()
    lines = yrd_lines()
    proxy = road_proxy_pairs()
    on_lines = {c for stops in lines["stops"] for c in stops.split(";")}
    unknown = on_lines - set(table.index)
    if unknown:
        msg = f"bundled lines.csv names unknown adcodes {sorted(unknown)}"
        raise ValueError(msg)
    used = on_lines | set(proxy["a"]) | set(proxy["b"])
    codes = [c for c in units.table()["adcode"] if c in used]  # the unit table's order, so node positions are stable
    pos = {c: i for i, c in enumerate(codes)}
    lon, lat = units.anchors(codes).T
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
    check_number("rail_speed_factor", rail_speed_factor)
    check_number("road_speed_kmh", road_speed_kmh, unit="km/h")
    base = _yrd_network_cached(float(rail_speed_factor), float(road_speed_kmh))
    net = Network(base.nodes.copy(), base.edges.copy(), name=base.name)
    if as_of is None and undated == "keep":
        return net
    return _as_of(net, as_of, undated=undated)

