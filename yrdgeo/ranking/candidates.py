"""Candidates and the criteria yrdgeo computes for them: distances, travel time, raster statistics, the user's table.

A fly-out unit (飞出地: Shanghai, Suzhou, Hangzhou…) looks for a fly-in site
among candidate units (cities, counties or any polygons, e.g. a 1-km grid).
Each criterion is a numeric column, either joined from the user's own table
(:func:`join_table`, which is the input gate's :func:`yrdgeo.inputs.join_table`:
construction-land share, labour cost, GDP per head…) or computed here:

* :func:`add_distance_from` — geodesic distance from the fly-out unit's seat;
* :func:`add_distance_to_lines` — distance to any lines (a corridor centreline);
* :func:`add_travel_time_from` / :func:`travel_time_matrix` — travel time over
  a :class:`yrdgeo.network.Network` with :mod:`yrdgeo.accessibility`;
* raster statistics (:func:`yrdgeo.raster.zonal_stats`) and region-group
  membership (:func:`select_candidates`).

:func:`build_candidates` assembles the fly-out-independent criteria in one
call, for the CLI, the QGIS algorithms and the atlas.
"""

from __future__ import annotations

import warnings
from typing import Any, Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..accessibility import od_matrix
from ..checks import check_choice
from ..crs import DISTANCE_CRS, WGS84, geodesic_distance_km, representative_lonlat, require_crs
from ..inputs import join_table
from ..measure import locate
from ..network import Network, load_yrd_network
from ..network import as_of as network_as_of
from ..regions import group_members
from ..units import anchors, load_units, resolve, unit
from ._common import fly_out_codes, travel_times_row
from .mcda import STATUS_SUFFIX

__all__ = [
    "PAIR_DISTANCE", "PAIR_TRAVEL_TIME", "add_distance_from", "add_distance_to_lines", "add_travel_time_from",
    "build_candidates", "join_table", "own_units", "select_candidates", "travel_time_matrix",
]

#: Criterion computed per fly-out unit as the geodesic seat-to-seat distance in km.
PAIR_DISTANCE = "distance_km"
#: Criterion computed per fly-out unit as network travel time in minutes.
PAIR_TRAVEL_TIME = "travel_min"


def own_units(origin: str | int, candidates: pd.DataFrame, *, key: str = "adcode") -> pd.Series:
    """Return a boolean Series: candidates that are the origin, lie inside it, or contain it.

    Uses ``parent_adcode``/``province_adcode`` of the yrdgeo unit table, so a
    county of Shanghai is "own" for Shanghai, and Shanghai for Songjiang.
    """
    o = unit(origin)
    code = str(o.adcode)
    ancestors = {str(o.parent_adcode), str(o.province_adcode)} - {"None", "nan", code}
    k = candidates[key].astype(str)
    inside = pd.Series(False, index=candidates.index)
    for col in ("parent_adcode", "province_adcode"):
        if col in candidates.columns:
            inside |= candidates[col].astype(str) == code
    return (k == code) | inside | k.isin(ancestors)


def select_candidates(
    origin: str | int | None = None,
    *,
    level: str = "city",
    group: str | None = None,
    as_of: str | None = None,
    exclude_own: bool = True,
) -> gpd.GeoDataFrame:
    """Return candidate units of one level, optionally limited to a region group, without the origin's own units.

    Parameters
    ----------
    origin
        Fly-out unit (name or adcode); its own units (itself, its parts, its
        parents) are dropped when ``exclude_own`` is true.
    level
        ``"city"`` or ``"county"`` (or ``"province"``).
    group, as_of
        Limit to members of a region group (see :func:`yrdgeo.group_members`).
        Members of another level are matched through their parent, so a
        city-level group limits counties to those cities.
    """
    units = load_units(level)
    if group is not None:
        members = group_members(group, as_of=as_of)
        codes = set(members["adcode"].astype(str))
        mask = units["adcode"].isin(codes)
        if "parent_adcode" in units.columns:
            mask |= units["parent_adcode"].astype(str).isin(codes)
        units = units.loc[mask]
    if origin is not None and exclude_own:
        units = units.loc[~own_units(origin, units)]
    return units.reset_index(drop=True)


def _points_lonlat(frame: pd.DataFrame, *, what: str) -> tuple[np.ndarray, np.ndarray]:
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns):
        return frame["anchor_lon"].to_numpy(float), frame["anchor_lat"].to_numpy(float)
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{what} needs anchor_lon/anchor_lat columns or a GeoDataFrame with a CRS"
        raise ValueError(msg)
    require_crs(frame, what=what)
    # chosen in DISTANCE_CRS, so the point (and every distance from it) is the same whatever the frame's CRS
    return representative_lonlat(frame, what=what)


def add_distance_from(
    candidates: pd.DataFrame, origin: str | int | tuple[float, float], *, column: str = PAIR_DISTANCE
) -> pd.DataFrame:
    """Return a copy with the geodesic distance in km from the origin's seat to each candidate.

    Candidates are measured at their seat of government (``anchor_lon``/
    ``anchor_lat``) or, for other polygons such as grid cells, at a
    representative point inside each. ``origin`` is a unit (its seat) or a
    WGS84 ``(lon, lat)``.
    """
    lon, lat = _points_lonlat(candidates, what="distance from the fly-out unit")
    _, (olon, olat) = locate(origin)
    out = candidates.copy()
    out[column] = geodesic_distance_km(olon, olat, lon, lat)
    return out


def _travel_network(network: Any, as_of: Any, undated: str) -> Any:
    """Return the network to route on: the bundled YRD network or the user's, as open on ``as_of``."""
    if network is None:
        return load_yrd_network(as_of=as_of, undated=undated)
    if not isinstance(network, Network):
        msg = f"network must be a yrdgeo.network.Network (or None for the bundled network), got {type(network).__name__}"
        raise ValueError(msg)
    if as_of is None and undated == "keep":
        return network
    return network_as_of(network, as_of, undated=undated)


def travel_time_matrix(
    origins: Iterable[str | int],
    candidates: pd.DataFrame,
    *,
    network: Any = None,
    as_of: Any = None,
    undated: str = "keep",
    key: str = "adcode",
    max_access_km: float | None = None,
    access_speed_kmh: float | None = None,
    k_nearest: int | None = None,
) -> Any:
    """Return the travel times (minutes) from fly-out units to candidates, as a :class:`yrdgeo.accessibility.TravelTimes`.

    One bulk Dijkstra run (:func:`yrdgeo.accessibility.od_matrix`) from the
    seats of the fly-out units to every candidate's seat (or representative
    point, for grid cells). ``minutes`` (fly-out adcode × candidate key) feeds
    :func:`pairing_matrix` directly: ``pair_values={"travel_min": tt}``;
    unreachable pairs are NaN and listed with their reason in ``unreachable``.

    Parameters
    ----------
    origins
        Fly-out units (names or adcodes).
    candidates
        Candidate units or cells (anchors, or geometry with a CRS).
    network
        A :class:`yrdgeo.network.Network` (e.g. from
        :func:`yrdgeo.network.from_osm` or ``from_lines``); None (default)
        loads the bundled YRD intercity network
        (:func:`yrdgeo.network.load_yrd_network` — a city-level model:
        seat-to-seat links at *modelled* speeds, see docs/network.md).
    as_of
        Keep only links open on this date (e.g. ``"2010-08-01"``); None keeps all.
    undated
        Links without an opening date (the bundled road proxy): ``"keep"``
        (open at every date), ``"drop"`` or ``"error"`` (see :func:`yrdgeo.network.as_of`).
    key
        Candidate label column (falls back to the index when absent).
    max_access_km, access_speed_kmh, k_nearest
        Access model of :func:`yrdgeo.accessibility.od_matrix` (defaults there).
    """
    codes = fly_out_codes(origins, what="travel times need")
    net = _travel_network(network, as_of, undated)
    seats = anchors(codes)
    ckey = key if key in candidates.columns else None
    o = pd.DataFrame({"anchor_lon": seats[:, 0], "anchor_lat": seats[:, 1]}, index=pd.Index(codes))
    if ckey is not None:
        o[ckey] = codes
    opts: dict[str, Any] = {"max_access_km": max_access_km}
    if access_speed_kmh is not None:
        opts["access_speed_kmh"] = access_speed_kmh
    if k_nearest is not None:
        opts["k_nearest"] = k_nearest
    with warnings.catch_warnings():
        # pyproj on a one-point GeoSeries (a single fly-out unit) under numpy >= 1.25; harmless
        warnings.filterwarnings("ignore", message="Conversion of an array with ndim > 0 to a scalar",
                                category=DeprecationWarning)
        return od_matrix(net, o, candidates, key=ckey, **opts)


def add_travel_time_from(
    candidates: pd.DataFrame,
    fly_out: str | int,
    *,
    network: Any = None,
    as_of: Any = None,
    undated: str = "keep",
    column: str = PAIR_TRAVEL_TIME,
    key: str = "adcode",
    max_access_km: float | None = None,
    access_speed_kmh: float | None = None,
    k_nearest: int | None = None,
) -> pd.DataFrame:
    """Return a copy with the network travel time in minutes from the fly-out unit and its status.

    Adds ``column`` (minutes; NaN when there is no time — never 0) and
    ``<column>_status`` (``ok``, ``unreachable``, ``no_access``,
    ``beyond_cutoff``). :func:`rank_candidates` excludes candidates whose
    status is not ``ok`` with that reason. Options as in :func:`travel_time_matrix`.
    """
    status_col = f"{column}{STATUS_SUFFIX}"
    clash = [c for c in (column, status_col) if c in candidates.columns]
    if clash:
        msg = f"candidates already have column(s) {clash}; rename them or choose another column="
        raise ValueError(msg)
    tt = travel_time_matrix([fly_out], candidates, network=network, as_of=as_of, undated=undated, key=key,
                            max_access_km=max_access_km, access_speed_kmh=access_speed_kmh, k_nearest=k_nearest)
    keys = (candidates[key] if key in candidates.columns else candidates.index.to_series()).astype(str).to_numpy()
    minutes, status = travel_times_row(tt, resolve(fly_out), keys)
    out = candidates.copy()
    out[column] = minutes
    out[status_col] = status
    return out


def _line_geometry(lines: Any, lines_crs: Any) -> shapely.Geometry:
    if isinstance(lines, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geoms = lines.geometry if isinstance(lines, gpd.GeoDataFrame) else lines
        crs = require_crs(geoms, what="distance to lines")
        if lines_crs is not None:
            msg = f"lines carry their own CRS ({crs.to_string()}); do not pass lines_crs as well"
            raise ValueError(msg)
        geoms = geoms.to_crs(DISTANCE_CRS)
        arr = geoms.to_numpy()
    else:
        if lines_crs is None:
            msg = ("distance to lines: shapely geometries carry no CRS; pass lines_crs= (e.g. 'EPSG:4326' for "
                   "lon/lat) or give a GeoDataFrame/GeoSeries with its CRS set")
            raise ValueError(msg)
        arr = np.atleast_1d(np.asarray(lines, dtype=object))
        arr = gpd.GeoSeries(arr, crs=lines_crs).to_crs(DISTANCE_CRS).to_numpy()
    arr = arr[~shapely.is_missing(arr) & ~shapely.is_empty(arr)] if len(arr) else arr
    kinds = set(shapely.get_type_id(arr).tolist())
    if not len(arr) or not kinds <= {1, 2, 5}:  # LineString, LinearRing, MultiLineString
        msg = f"distance to lines needs (multi)line geometries, got {sorted(shapely.get_type_id(arr).tolist())[:5] or 'none'}"
        raise ValueError(msg)
    return shapely.union_all(arr)


def add_distance_to_lines(
    candidates: gpd.GeoDataFrame,
    lines: Any,
    *,
    column: str = "line_distance_km",
    lines_crs: Any = None,
    measure_from: str = "anchor",
) -> gpd.GeoDataFrame:
    """Return a copy with each candidate's distance in km to the nearest of the given lines.

    Works with any line geometry, e.g. a corridor centreline from
    ``yrdgeo.corridors``, a road or rail layer, or a hand-drawn line.

    Parameters
    ----------
    candidates
        GeoDataFrame with a CRS (units or grid cells).
    lines
        GeoDataFrame/GeoSeries of (multi)lines with a CRS, or shapely line(s)
        together with ``lines_crs``.
    column
        Name of the new column.
    lines_crs
        CRS of shapely ``lines`` (refused when ``lines`` carry their own).
    measure_from
        ``"anchor"`` (default): from the seat of government (or a
        representative point for polygons without seats); ``"geometry"``:
        from the polygon itself (0 where the line crosses it).

    Notes
    -----
    Both sides are projected to :data:`yrdgeo.crs.DISTANCE_CRS` (EPSG:4549,
    CGCS2000 Gauss-Krüger 120°E, metres). Its scale error across the YRD is
    below about 0.4%, far below what a site ranking can resolve.
    """
    check_choice("measure_from", measure_from, ("anchor", "geometry"))
    require_crs(candidates, what="distance to lines")
    line = _line_geometry(lines, lines_crs)
    if measure_from == "anchor":
        lon, lat = _points_lonlat(candidates, what="distance to lines")
        geoms = gpd.GeoSeries(shapely.points(lon, lat), crs=WGS84).to_crs(DISTANCE_CRS).to_numpy()
    else:
        geoms = candidates.geometry.to_crs(DISTANCE_CRS).to_numpy()
    shapely.prepare(line)
    out = candidates.copy()
    out[column] = shapely.distance(geoms, line) / 1000.0
    return out


def build_candidates(
    *,
    level: str = "city",
    group: str | None = None,
    as_of: str | None = None,
    table: pd.DataFrame | None = None,
    on: str = "adcode",
    raster: str | None = None,
    raster_stats: Sequence[str] = (),
    raster_prefix: str = "dem_",
    raster_crs: Any = None,
    reproject: bool = False,
    lines: Any = None,
    lines_crs: Any = None,
    line_column: str = "line_distance_km",
) -> gpd.GeoDataFrame:
    """Return candidate units with the fly-out-independent criteria attached: user table, raster stats, line distance.

    The one place where the CLI and the QGIS algorithms assemble candidates;
    the fly-out-dependent distance is added by :func:`pairing_matrix`.

    Parameters
    ----------
    level, group, as_of
        Units of one level, optionally members of a region group (see :func:`select_candidates`).
    table, on
        The user's attribute table (a DataFrame or a file) and its key column (codes or names), read
        and joined through the input gate (:func:`yrdgeo.inputs.join_table`).
    raster, raster_stats, raster_prefix, raster_crs, reproject
        Zonal statistics (:func:`yrdgeo.raster.zonal_stats`) as ``<prefix><stat>``
        columns; ``raster="dem"`` uses the bundled 0.2° DEM sample.
    lines, lines_crs, line_column
        Distance to lines (:func:`add_distance_to_lines`), e.g. a corridor centreline.
    """
    cand = select_candidates(None, level=level, group=group, as_of=as_of)
    if table is not None:
        cand = join_table(cand, table, on=on)
    if raster is not None:
        # rasterio is imported only when a raster is asked for: it is a native library that a QGIS
        # Python may lack, and ranking on table, distance and travel-time criteria must work without it.
        from ..raster import dem_path, zonal_stats

        path = dem_path() if raster == "dem" else raster
        stats = tuple(raster_stats) or ("mean",)
        cand = zonal_stats(cand, path, stats=stats, prefix=raster_prefix, raster_crs=raster_crs,
                           reproject=reproject).frame
    if lines is not None:
        cand = add_distance_to_lines(cand, lines, column=line_column, lines_crs=lines_crs)
    return cand
