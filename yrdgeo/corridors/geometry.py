"""Corridor geometry: centrelines, bands, chainage along a wing, and the units near a corridor.

* **Centreline** of a wing: the polyline through the *anchor points* (seat of
  government, ``anchor_lon``/``anchor_lat`` of the unit table) of the hub and
  the wing's members, in order. It stands in for the real transport line;
  :meth:`~yrdgeo.corridors.Corridor.with_lines` puts a real line (from the
  network module or a user's layer) in its place. Lengths and chainages are
  geodesic (:func:`yrdgeo.crs.geodesic_cumulative_km`, WGS84 ellipsoid), like
  :func:`yrdgeo.distance_km`.
* **Band** of ``width_km``: every point within ``width_km`` of the centreline
  on either side (a buffer, so the band is ``2 × width_km`` across and
  rounded at the ends), built in metres in :data:`yrdgeo.crs.DISTANCE_CRS`
  (EPSG:4549, whose scale error is under 0.3% across the YRD), never in
  degrees. Areas and area shares come from the equal-area
  :data:`yrdgeo.crs.AREA_CRS`.
* **Chainage**: distance along a wing's centreline from the hub, in km.
  A point is projected onto the nearest point of the nearest wing; a point
  whose nearest point is the hub itself gets wing ``"hub"`` and chainage 0.

Every output layer is a new GeoDataFrame in EPSG:4326; inputs are never modified.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point

from ..checks import check_number
from ..crs import (AREA_CRS, DISTANCE_CRS, WGS84, geodesic_cumulative_km, geodesic_distance_km, representative_lonlat,
                   require_crs, transformer)
from ..units import anchors, by_code, load_units
from ._common import _lies_inside
from .model import HUB, Corridor, resolve_member

_TIE_M = 1.0  # wings whose distance to a point differs by less than this (metres) are tied
WIDTH_UNIT = "km on each side of the centreline"  # what a band's width_km measures, for its refusal

__all__ = ["centrelines", "corridor_band", "corridor_members", "locate", "units_near"]


def _wing_vertices(corridor: Corridor, wing: str) -> np.ndarray:
    """Lon/lat vertices of a wing's centreline: its transport line if set, else the anchors of its units."""
    if corridor.line_geometry and wing in corridor.line_geometry:
        return np.asarray(corridor.line_geometry[wing].coords, dtype="float64")[:, :2]
    return anchors(corridor.wing_units(wing))


def corridor_members(corridor: Corridor) -> gpd.GeoDataFrame:
    """Return the member polygons (hub once) with wing, order, chainage and version columns.

    Columns: ``corridor_id``, ``wing``, ``order``, ``adcode``, ``name_zh``,
    ``level``, ``kind``, ``province_zh``, ``version`` (joined in), ``since``
    (that version's date), ``chainage_km`` (geodesic distance from the hub
    along the wing's centreline; 0 for the hub; with a transport line, the
    member's seat projected onto it, counted from the line's start), ``anchor_lon``,
    ``anchor_lat``, geometry (polygons, EPSG:4326).
    """
    m = corridor.members
    chain = {corridor.hub: 0.0}
    for w in corridor.wings:
        codes = corridor.wing_units(w)
        if corridor.line_geometry and w in corridor.line_geometry:
            ll = anchors(codes[1:])
            _, along, _ = _project_on_wing(corridor, w, ll, shapely.points(_project(ll)))
            chain.update(zip(codes[1:], along))
        else:
            chain.update(zip(codes[1:], geodesic_cumulative_km(anchors(codes))[1:]))
    units = by_code().loc[list(m.adcode)].reset_index(drop=True)
    since = dict(zip(corridor.versions.version, corridor.versions.since))
    out = gpd.GeoDataFrame({
        "corridor_id": corridor.corridor_id,
        "wing": m.wing.to_numpy(),
        "order": m.order.astype(int).to_numpy(),
        "adcode": m.adcode.to_numpy(),
        "name_zh": units.name_zh.to_numpy(),
        "level": units.level.to_numpy(),
        "kind": units.kind.to_numpy(),
        "province_zh": units.province_zh.to_numpy(),
        "version": [v if v is not None else "" for v in m.version],
        "since": [since.get(v, "") for v in m.version],
        "chainage_km": [chain[a] for a in m.adcode],
        "anchor_lon": units.anchor_lon.to_numpy(),
        "anchor_lat": units.anchor_lat.to_numpy(),
    }, geometry=units.geometry.to_numpy(), crs=WGS84)
    return out


def centrelines(corridor: Corridor) -> gpd.GeoDataFrame:
    """Return one centreline per wing: the polyline through the anchors of the hub and the wing's units.

    Columns: ``corridor_id``, ``wing``, ``n_units`` (hub included),
    ``units_zh`` (names joined by →), ``length_km`` (geodesic), ``line``
    (``"seats"``, or ``"transport"`` for a line set with
    :meth:`Corridor.with_lines`), geometry (LineString, EPSG:4326). A corridor
    that is only its hub (G60 1.0) has no centreline: the frame is empty.
    """
    t = by_code()
    rows = []
    for w in corridor.wings:
        codes = corridor.wing_units(w)
        ll = _wing_vertices(corridor, w)
        rows.append(dict(corridor_id=corridor.corridor_id, wing=w, n_units=len(codes),
                         units_zh="→".join(t.loc[codes, "name_zh"]),
                         length_km=float(geodesic_cumulative_km(ll)[-1]),
                         line="transport" if corridor.line_geometry and w in corridor.line_geometry else "seats",
                         geometry=LineString(ll)))
    cols = ["corridor_id", "wing", "n_units", "units_zh", "length_km", "line", "geometry"]
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in cols}, geometry="geometry", crs=WGS84)
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=WGS84)


def _wing_lines_metric(corridor: Corridor) -> dict[str, shapely.Geometry]:
    lines = centrelines(corridor)
    if lines.empty:
        hub = anchors([corridor.hub])[0]
        return {HUB: Point(_project(hub[None, :])[0])}
    metric = lines.to_crs(DISTANCE_CRS)
    return dict(zip(metric.wing, metric.geometry))


def corridor_band(corridor: Corridor, width_km: float, *, clip: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Return the band within ``width_km`` of the centreline: one row per wing plus one for the whole corridor.

    Parameters
    ----------
    corridor
        The corridor.
    width_km
        Distance from the centreline on each side, in km (0 or more). The
        buffer is computed in metres in EPSG:4549.
    clip
        Optional polygons (any CRS) to clip the band to, e.g.
        ``yrdgeo.load_units("province")`` to keep it on YRD land.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``corridor_id``, ``wing`` (each wing, then ``"all"``),
        ``width_km``, ``area_km2`` (equal-area), geometry (EPSG:4326). A
        hub-only corridor gives a disc around the hub's anchor (wing ``"hub"``).
    """
    w = check_number("width_km", width_km, minimum=0, inclusive=True, unit=WIDTH_UNIT)
    lines = _wing_lines_metric(corridor)
    names = list(lines)
    geoms = [shapely.buffer(g, w * 1000.0, quad_segs=16) if w > 0 else g for g in lines.values()]
    if len(names) > 1:
        names.append("all")
        geoms.append(shapely.union_all(geoms))
    band = gpd.GeoSeries(geoms, crs=DISTANCE_CRS)
    if clip is not None:
        require_crs(clip, what="clipping a corridor band")
        mask = shapely.union_all(clip.to_crs(DISTANCE_CRS).geometry.to_numpy())
        band = band.intersection(mask)
    out = gpd.GeoDataFrame({"corridor_id": corridor.corridor_id, "wing": names, "width_km": w},
                           geometry=band.to_crs(WGS84).to_numpy(), crs=WGS84)
    out["area_km2"] = band.to_crs(AREA_CRS).area.to_numpy() / 1e6
    return out[["corridor_id", "wing", "width_km", "area_km2", "geometry"]]


@lru_cache(maxsize=2)
def _transformer(inverse: bool) -> Transformer:
    return transformer(DISTANCE_CRS, WGS84) if inverse else transformer(WGS84, DISTANCE_CRS)


def _project(xy: np.ndarray, *, inverse: bool = False) -> np.ndarray:
    """Lon/lat → EPSG:4549 metres (or back), for an (n, 2) array."""
    x, y = _transformer(inverse).transform(xy[:, 0].tolist(), xy[:, 1].tolist())
    return np.column_stack([np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")])


def _project_on_wing(corridor: Corridor, wing: str, lonlat: np.ndarray,
                     pts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distance (m, EPSG:4549) to a wing's centreline, chainage (km, geodesic) and foot (lon/lat) per point."""
    n = len(lonlat)
    ll = _wing_vertices(corridor, wing)
    cum = geodesic_cumulative_km(ll)
    xy = _project(ll)
    segs = shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1))
    d = shapely.distance(pts[:, None], segs[None, :])
    k = d.argmin(axis=1)
    along = shapely.line_locate_point(segs[k], pts)
    f_ll = _project(shapely.get_coordinates(shapely.line_interpolate_point(segs[k], along)), inverse=True)
    chain = cum[k] + geodesic_distance_km(ll[k, 0], ll[k, 1], f_ll[:, 0], f_ll[:, 1])
    return d[np.arange(n), k], chain, f_ll


def _locate_lonlat(corridor: Corridor, lonlat: np.ndarray) -> pd.DataFrame:
    """Nearest wing, chainage and offset for lon/lat points."""
    n = len(lonlat)
    wings = list(corridor.wings)
    if not wings:
        msg = (f"corridor {corridor.corridor_id!r}"
               + (f" at version {corridor.version}" if corridor.version else "")
               + " is only its hub: there is no line to measure chainage along")
        raise ValueError(msg)
    pts = shapely.points(_project(lonlat))
    dist = np.empty((n, len(wings)))
    chain = np.empty((n, len(wings)))
    foot = np.empty((n, len(wings), 2))
    for j, w in enumerate(wings):
        dist[:, j], chain[:, j], foot[:, j] = _project_on_wing(corridor, w, lonlat, pts)
    best = dist.argmin(axis=1)
    rows = []
    for i in range(n):
        tied = np.flatnonzero(dist[i] - dist[i, best[i]] < _TIE_M)
        at_hub = bool(np.all(chain[i, tied] < 1e-3))
        j = best[i]
        wing = HUB if at_hub else wings[j]
        off = float(geodesic_distance_km(lonlat[i, 0], lonlat[i, 1], foot[i, j, 0], foot[i, j, 1]))
        rows.append(dict(wing=wing, chainage_km=0.0 if at_hub else float(chain[i, j]), offset_km=float(off)))
    return pd.DataFrame(rows)


def locate(
    corridor: Corridor,
    where: gpd.GeoDataFrame | Sequence[str | int] | Sequence[tuple[float, float]],
) -> gpd.GeoDataFrame | pd.DataFrame:
    """Return chainage along the corridor (km from the hub) and the nearest wing for units or points.

    Parameters
    ----------
    corridor
        The corridor (it needs at least one wing).
    where
        A GeoDataFrame of units (their anchor points are used when they have
        ``anchor_lon``/``anchor_lat``, else each geometry's representative
        point; any CRS), a list of unit names/adcodes, or a list of
        ``(lon, lat)`` WGS84 points.

    Returns
    -------
    geopandas.GeoDataFrame or pandas.DataFrame
        A copy of the frame (or a new table with ``query`` and ``adcode``
        columns) with ``wing`` (nearest wing, ``"hub"`` when the nearest point
        of the corridor is the hub), ``chainage_km`` (geodesic distance along
        that wing's centreline from the hub to the foot of the perpendicular)
        and ``offset_km`` (geodesic distance from the point to that foot).
    """
    if isinstance(where, gpd.GeoDataFrame):
        require_crs(where, what="locating units along a corridor")
        if {"anchor_lon", "anchor_lat"} <= set(where.columns):
            lonlat = where[["anchor_lon", "anchor_lat"]].to_numpy(dtype="float64")
        else:
            # the inner point is chosen in DISTANCE_CRS, so it is the same whatever the frame's CRS
            lonlat = np.column_stack(representative_lonlat(where, what="locating units along a corridor"))
        out = where.copy()
    else:
        items = list(where)
        is_point = [isinstance(p, tuple) and len(p) == 2 for p in items]
        if any(is_point) and not all(is_point):
            msg = "where= must be all unit names/adcodes or all (lon, lat) points, not a mix"
            raise ValueError(msg)
        if items and all(is_point):
            lonlat = np.array(items, dtype="float64")
            out = pd.DataFrame({"lon": lonlat[:, 0], "lat": lonlat[:, 1]})
        else:
            codes = [resolve_member(q) for q in items]
            lonlat = anchors(codes)
            out = pd.DataFrame({"query": [str(q) for q in items], "adcode": codes})
    if len(lonlat) == 0:
        res = pd.DataFrame({"wing": [], "chainage_km": [], "offset_km": []})
    else:
        res = _locate_lonlat(corridor, lonlat)
    for col in res.columns:
        out[col] = res[col].to_numpy()
    return out


def units_near(
    corridor: Corridor,
    width_km: float,
    *,
    units: str | gpd.GeoDataFrame = "county",
    keep_all: bool = False,
) -> gpd.GeoDataFrame:
    """Return the units that intersect the corridor's band, with the share of each unit's area inside it.

    Parameters
    ----------
    corridor
        The corridor.
    width_km
        Band distance on each side of the centreline, km (0 or more).
    units
        A level name (``"county"``, ``"city"``, ``"province"``) or a
        GeoDataFrame of polygons in any CRS (not modified).
    keep_all
        Keep units outside the band too (with ``share_in_band`` 0).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of the units (their CRS kept) with ``distance_km`` (shortest
        distance from the polygon to the nearest centreline, EPSG:4549
        metres; 0 when it crosses it), ``share_in_band`` (0–1, equal-area),
        ``area_in_band_km2``, ``nearest_wing``, ``chainage_km`` (of the
        unit's anchor, see :func:`locate`) and ``relation`` (``member``,
        ``inside_member`` for a part of a member, ``contains_member`` for a
        unit containing one, else empty).
    """
    w = check_number("width_km", width_km, minimum=0, inclusive=True, unit=WIDTH_UNIT)
    if isinstance(units, str):
        frame = load_units(units)
    elif isinstance(units, gpd.GeoDataFrame):
        require_crs(units, what="finding units near a corridor")
        frame = units
    else:
        msg = f"units must be a level name or a GeoDataFrame, got {type(units).__name__}"
        raise ValueError(msg)
    out = frame.copy()
    lines = _wing_lines_metric(corridor)
    metric_units = frame.geometry.to_crs(DISTANCE_CRS).to_numpy()
    allline = shapely.union_all(list(lines.values()))
    out["distance_km"] = shapely.distance(metric_units, allline) / 1000.0
    band = corridor_band(corridor, w)
    whole = band.geometry.iloc[-1]
    band_area = gpd.GeoSeries([whole], crs=WGS84).to_crs(AREA_CRS).iloc[0]
    units_area = frame.geometry.to_crs(AREA_CRS)
    inter = shapely.intersection(units_area.to_numpy(), band_area)
    area = units_area.area.to_numpy()
    out["area_in_band_km2"] = shapely.area(inter) / 1e6
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_in_band"] = np.clip(np.where(area > 0, shapely.area(inter) / area, 0.0), 0.0, 1.0)
    if corridor.wings:
        loc = locate(corridor, frame)
        out["nearest_wing"] = loc.wing.to_numpy()
        out["chainage_km"] = loc.chainage_km.to_numpy()
    else:
        out["nearest_wing"] = HUB
        out["chainage_km"] = 0.0
    out["relation"] = _relations(out, corridor)
    if not keep_all:
        touching = (out.distance_km <= w + 1e-9) | (out.share_in_band > 0)
        out = out[touching.to_numpy()]
    return out


def _relations(frame: pd.DataFrame, corridor: Corridor) -> list[str]:
    if "adcode" not in frame.columns:
        return [""] * len(frame)
    members = corridor.adcodes
    known = by_code().index
    rel = []
    for code in frame.adcode.astype(str):
        if code in members:
            rel.append("member")
        elif code in known and any(_lies_inside(code, m) for m in members):
            rel.append("inside_member")
        elif code in known and any(_lies_inside(m, code) for m in members):
            rel.append("contains_member")
        else:
            rel.append("")
    return rel
