"""Coordinate systems for the YRD: GCJ-02 ⇄ WGS84, CRS checks, geodesic measurement.

GCJ-02 ("Mars coordinates") is the obfuscated datum that AMap (高德) and most
Chinese web maps publish. It is WGS84 plus a deterministic, non-linear offset
of a few hundred metres. The forward transform (WGS84 → GCJ-02) is public; no
closed-form inverse exists, so :func:`gcj02_to_wgs84` inverts it by fixed-point
iteration ``w ← w − (gcj(w) − g)``, which converges because the offset varies
slowly (its Jacobian is within 1e-4 of the identity). Ten iterations reach a
round-trip error below 1e-9 degrees (about 0.1 mm); we iterate to 1e-12 or
30 steps.

CGCS2000 (EPSG:4490), China's official CRS, agrees with WGS84 (EPSG:4326) to
well under a metre here, so yrdgeo stores geometry in EPSG:4326 and treats it
as CGCS2000-compatible.

Default CRSs:

* :data:`DISTANCE_CRS` = EPSG:4549, CGCS2000 / 3-degree Gauss-Krüger CM 120E:
  conformal, used for buffers, bands and maps. Not for areas (inflates by up
  to 0.4% across the YRD).
* :data:`AREA_CRS`: an Albers equal-area projection fitted to the YRD
  (standard parallels 27.5°N and 34.5°N, central meridian 119°E, WGS84). Used
  for areas and area shares.
* Geodesic distances use pyproj's ``Geod(ellps="WGS84")``.

Every km distance, band, threshold, length and area in yrdgeo is measured in
one of these (or geodesically), never in the CRS a frame happens to arrive
in: the same layer in EPSG:4326, 4490, 3857, 4549 or 32651 gives the same
numbers (:func:`to_metric`, :func:`area_km2`).
"""

from __future__ import annotations

import functools
import os
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod, Proj, Transformer
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import AlbersEqualAreaConversion

from .checks import check_choice

WGS84 = CRS.from_epsg(4326)
CGCS2000 = CRS.from_epsg(4490)
DISTANCE_CRS = CRS.from_epsg(4549)
# Built on EPSG:4326 itself rather than from "+proj=aea ... +datum=WGS84" (the same CRS: equal, the same PROJ
# string): PROJ names that string's datum "unknown" and searched its database 0.7 s for each transformer from
# another datum (CGCS2000 / EPSG:4549 to it), against 0.1 s for a datum it knows.
AREA_CRS = ProjectedCRS(
    name="YRD Albers equal-area",
    conversion=AlbersEqualAreaConversion(latitude_first_parallel=27.5, latitude_second_parallel=34.5,
                                         latitude_false_origin=31, longitude_false_origin=119),
    geodetic_crs=WGS84,
)
GEOD = Geod(ellps="WGS84")

#: Environment variable that turns yrdgeo's in-process caches off (set to any non-empty value): the
#: pyproj transformers here, the atlas's text layout and simplified layers. Tests build with and
#: without them and compare the bytes.
NO_CACHE_ENV = "YRDGEO_NO_CACHE"


def caches_enabled() -> bool:
    """Return whether yrdgeo's in-process caches are on (the environment variable :data:`NO_CACHE_ENV` is unset)."""
    return not os.environ.get(NO_CACHE_ENV)


@functools.lru_cache(maxsize=64)
def _cached_transformer(src: CRS, dst: CRS, always_xy: bool) -> Transformer:
    # geopandas keeps the transformers its to_crs builds (an lru_cache of Transformer.from_crs, called so):
    # the pairs both build (EPSG:4326 <-> the map CRS) are built once per process
    build = getattr(gpd.array, "TransformerFromCRS", Transformer.from_crs)
    return build(src, dst, always_xy=always_xy)


def transformer(src: Any, dst: Any, *, always_xy: bool = True) -> Transformer:
    """Return the pyproj Transformer from ``src`` to ``dst`` (anything ``CRS.from_user_input`` takes), built once.

    Building one costs ~50 ms (PROJ database look-ups); the same pair is reused for the process.
    A Transformer must not be shared between threads (pyproj): use it in one thread, or build your own.
    """
    if not caches_enabled():
        return Transformer.from_crs(src, dst, always_xy=always_xy)
    return _cached_transformer(CRS.from_user_input(src), CRS.from_user_input(dst), bool(always_xy))

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    sx = np.sqrt(np.abs(x))
    dlat = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return GCJ-02 longitude and latitude arrays for WGS84 input (the public forward formula).

    Points outside China's bounding box are returned unchanged, as the algorithm specifies.
    """
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(
    lon: Any, lat: Any, *, tol: float = 1e-12, max_iter: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    """Return WGS84 longitude and latitude arrays for GCJ-02 input, by iterative inversion.

    Parameters
    ----------
    lon, lat
        GCJ-02 coordinates in degrees (scalars or arrays of one shape).
    tol
        Stop when the largest correction in this step is below ``tol`` degrees.
    max_iter
        Upper bound on iterations (convergence in the YRD takes about 8).

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitude and latitude such that ``wgs84_to_gcj02`` of them
        reproduces the input to about ``tol`` degrees.
    """
    g_lon = np.asarray(lon, dtype="float64")
    g_lat = np.asarray(lat, dtype="float64")
    w_lon = g_lon.copy()
    w_lat = g_lat.copy()
    for _ in range(max_iter):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        d_lon = f_lon - g_lon
        d_lat = f_lat - g_lat
        w_lon = w_lon - d_lon
        w_lat = w_lat - d_lat
        if max(np.max(np.abs(d_lon), initial=0.0), np.max(np.abs(d_lat), initial=0.0)) < tol:
            break
    return w_lon, w_lat


def _transform_geometries(geoms: Any, func) -> np.ndarray:
    def _xy(coords: np.ndarray) -> np.ndarray:
        x, y = func(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(geoms, dtype=object), _xy)


def gcj02_to_wgs84_geometry(geoms: Any) -> Any:
    """Return geometries converted vertex by vertex from GCJ-02 to WGS84.

    Accepts a shapely geometry, an array of them, or a GeoSeries/GeoDataFrame
    (whose CRS must be EPSG:4326-like lon/lat; the result keeps EPSG:4326).
    """
    return _apply_geometry(geoms, gcj02_to_wgs84)


def wgs84_to_gcj02_geometry(geoms: Any) -> Any:
    """Return geometries converted vertex by vertex from WGS84 to GCJ-02 (see :func:`gcj02_to_wgs84_geometry`)."""
    return _apply_geometry(geoms, wgs84_to_gcj02)


# BD-09 (Baidu) is GCJ-02 plus a second public offset of about 1 km; these are Baidu's published formulas.
_X_PI = np.pi * 3000.0 / 180.0


def _bd09_to_gcj02(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(lon, dtype="float64") - 0.0065
    y = np.asarray(lat, dtype="float64") - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _gcj02_to_bd09(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(lon, dtype="float64")
    y = np.asarray(lat, dtype="float64")
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_wgs84(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return WGS84 longitude and latitude arrays for Baidu BD-09 input (BD-09 → GCJ-02 → WGS84).

    The BD-09 → GCJ-02 step is Baidu's published approximate inverse (error about 1e-6°, 0.1 m);
    the GCJ-02 step is :func:`gcj02_to_wgs84`.
    """
    return gcj02_to_wgs84(*_bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return Baidu BD-09 longitude and latitude arrays for WGS84 input (for overlaying on Baidu maps)."""
    return _gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84_geometry(geoms: Any) -> Any:
    """Return geometries converted vertex by vertex from Baidu BD-09 to WGS84 (see :func:`gcj02_to_wgs84_geometry`)."""
    return _apply_geometry(geoms, bd09_to_wgs84)


def wgs84_to_bd09_geometry(geoms: Any) -> Any:
    """Return geometries converted vertex by vertex from WGS84 to Baidu BD-09."""
    return _apply_geometry(geoms, wgs84_to_bd09)


def _apply_geometry(geoms: Any, func) -> Any:
    if isinstance(geoms, (gpd.GeoDataFrame, gpd.GeoSeries)):
        require_geographic(geoms, what="GCJ-02 conversion")
        out = geoms.copy()
        converted = _transform_geometries(geoms.geometry.values, func)
        if isinstance(out, gpd.GeoDataFrame):
            out[out.geometry.name] = gpd.GeoSeries(converted, index=out.index, crs=WGS84)
            return out.set_crs(WGS84, allow_override=True)
        return gpd.GeoSeries(converted, index=out.index, crs=WGS84)
    if isinstance(geoms, shapely.Geometry):
        return _transform_geometries([geoms], func)[0]
    return _transform_geometries(geoms, func)


def require_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str) -> CRS:
    """Return the frame's CRS, or raise ValueError naming ``what`` needs one."""
    if frame.crs is None:
        msg = (
            f"{what} needs a coordinate reference system, but the input has none. "
            "Set it with .set_crs(...) (e.g. EPSG:4326 for lon/lat, EPSG:4549 for "
            "CGCS2000 Gauss-Krüger 120E metres)."
        )
        raise ValueError(msg)
    return CRS.from_user_input(frame.crs)


def require_geographic(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str) -> CRS:
    """Return the frame's CRS if it is geographic lon/lat, else raise ValueError naming both."""
    crs = require_crs(frame, what=what)
    if not crs.is_geographic:
        msg = f"{what} expects geographic lon/lat coordinates (EPSG:4326 or EPSG:4490), got {crs.to_string()}."
        raise ValueError(msg)
    return crs


#: Largest relative scale error a caller-chosen metric CRS may have over the data (see :func:`to_metric`).
#: EPSG:4549 stays within 0.31% across the YRD and UTM 50N/51N within 0.75%; EPSG:3857 is 12–22% off.
MAX_SCALE_ERROR = 0.01


def to_metric(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, crs: Any = None, what: str = "this operation"):
    """Return the frame in the CRS where yrdgeo measures distances: :data:`DISTANCE_CRS`, or ``crs`` if given.

    Whatever CRS the frame is in (lon/lat, Web Mercator, UTM, another
    Gauss-Krüger zone), it is reprojected, so a km threshold, a length or a
    buffer gives the same answer for the same data in any CRS. A frame in a
    projected metre CRS is *not* used as is: EPSG:3857 "metres" are
    1/cos(latitude) ≈ 1.17 ground metres in the YRD, which made every
    distance 17% too long. A frame already in the target CRS is returned as
    is (not copied); the input is never modified.

    Parameters
    ----------
    frame
        GeoDataFrame or GeoSeries with a CRS (a frame with none is refused).
    crs
        Optional metric CRS to use instead of :data:`DISTANCE_CRS`. It must
        be projected, and its scale error over the frame's extent must stay
        within :data:`MAX_SCALE_ERROR` (1%), else ValueError.
    what
        What needs metres, for the error messages.

    Returns
    -------
    geopandas.GeoDataFrame or geopandas.GeoSeries
        The frame in the target CRS.
    """
    src = require_crs(frame, what=what)
    if crs is None:
        target = DISTANCE_CRS
    else:
        target = CRS.from_user_input(crs)
        check_metric_crs(target, frame, what=what)
    if src.equals(target):
        return frame
    return frame.to_crs(target)


def check_metric_crs(target: Any, frame: gpd.GeoDataFrame | gpd.GeoSeries | None = None, *, what: str = "distances") -> CRS:
    """Return ``target`` as a CRS if planar distances in it are true to :data:`MAX_SCALE_ERROR`, else raise ValueError.

    The scale error is the largest deviation from 1 of the Tissot scale
    factors (pyproj ``get_factors``) on a 5 × 5 grid over the frame's extent
    (over the YRD when ``frame`` is None or empty).
    """
    target = CRS.from_user_input(target)
    if not target.is_projected or not _is_metres(target):
        msg = (f"{what}: the CRS for distances must be projected in metres, got {target.to_string()}; "
               f"leave it unset to use {DISTANCE_CRS.to_string()} (CGCS2000 Gauss-Krüger 120°E)")
        raise ValueError(msg)
    lon, lat = _extent_lonlat(frame)
    factors = Proj(target).get_factors(lon, lat, errcheck=False)
    scale = np.concatenate([np.asarray(factors.tissot_semimajor), np.asarray(factors.tissot_semiminor)])
    error = float(np.max(np.abs(scale - 1.0))) if np.isfinite(scale).all() else float("inf")
    if not np.isfinite(error):
        msg = (f"{what}: {target.to_string()} cannot project these data (their extent lies outside its area of "
               f"use); leave the CRS unset to use {DISTANCE_CRS.to_string()}")
        raise ValueError(msg)
    if not error <= MAX_SCALE_ERROR:
        msg = (f"{what}: {target.to_string()} distorts distances by up to {error:.1%} over these data "
               f"(limit {MAX_SCALE_ERROR:.0%}), so km thresholds and lengths in it would be wrong; "
               f"leave the CRS unset to use {DISTANCE_CRS.to_string()}, or choose a projection centred on the data")
        raise ValueError(msg)
    return target


#: Lon/lat box of the YRD (with a margin), used when a CRS is checked without data.
_YRD_BOX = (114.5, 27.0, 123.5, 35.5)


def _extent_lonlat(frame: gpd.GeoDataFrame | gpd.GeoSeries | None) -> tuple[np.ndarray, np.ndarray]:
    """Return lon/lat of a 5 × 5 grid over the frame's extent (or the YRD box)."""
    box = _YRD_BOX
    if frame is not None and frame.crs is not None and len(frame):
        b = frame.total_bounds
        if np.isfinite(b).all():
            xs, ys = np.meshgrid(np.linspace(b[0], b[2], 5), np.linspace(b[1], b[3], 5))
            to_ll = transformer(frame.crs, WGS84)
            lon, lat = to_ll.transform(xs.ravel(), ys.ravel(), errcheck=False)
            return np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    lon, lat = np.meshgrid(np.linspace(box[0], box[2], 5), np.linspace(box[1], box[3], 5))
    return lon.ravel(), lat.ravel()


def _is_metres(crs: CRS) -> bool:
    return all((ax.unit_name or "").lower() in {"metre", "meter", "m"} for ax in crs.axis_info[:2])


def representative_lonlat(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str = "points") -> tuple[np.ndarray, np.ndarray]:
    """Return WGS84 lon/lat arrays of one point per geometry: the point itself, else a point inside it.

    The point inside a polygon is taken in :data:`DISTANCE_CRS`, so it is
    the same point whatever CRS the frame arrives in (shapely's
    representative point depends on the coordinates it is given).
    """
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    require_crs(geoms, what=what)
    if bool((geoms.geom_type == "Point").all()):
        ll = geoms.to_crs(WGS84)
    else:
        ll = to_metric(geoms, what=what).representative_point().to_crs(WGS84)
    return ll.x.to_numpy(dtype="float64"), ll.y.to_numpy(dtype="float64")


def geodesic_distance_km(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    """Return the WGS84 ellipsoidal (geodesic) distance in km between lon/lat points (broadcast)."""
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(
        *(np.asarray(v, dtype="float64") for v in (lon1, lat1, lon2, lat2))
    )
    if lon1.ndim == 0:
        return np.asarray(GEOD.inv(float(lon1), float(lat1), float(lon2), float(lat2))[2] / 1000.0)
    # lists, so that pyproj never takes a size-1 array for a scalar (NumPy deprecates that conversion)
    _, _, dist = GEOD.inv(*(v.ravel().tolist() for v in (lon1, lat1, lon2, lat2)))
    return np.asarray(dist, dtype="float64").reshape(lon1.shape) / 1000.0


def geodesic_cumulative_km(lonlat: Any) -> np.ndarray:
    """Return the geodesic distance in km from the first vertex to each vertex of a lon/lat polyline.

    ``lonlat`` is an ``(n, 2)`` array-like; the result has ``n`` values, starting at 0.
    """
    xy = np.asarray(lonlat, dtype="float64").reshape(-1, 2)
    if len(xy) < 2:
        return np.zeros(len(xy))
    d = geodesic_distance_km(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    return np.concatenate([[0.0], np.cumsum(np.atleast_1d(d))])


def geodesic_line(lon1: float, lat1: float, lon2: float, lat2: float, *, step_km: float = 5.0):
    """Return the geodesic between two lon/lat points as a shapely LineString, vertices at most ``step_km`` apart.

    A straight segment in lon/lat is not the shortest path and bends on a map; the
    vertices follow the WGS84 geodesic so a desire line draws and measures right.
    """
    dist = float(geodesic_distance_km(lon1, lat1, lon2, lat2))
    n = max(int(np.ceil(dist / step_km)) - 1, 0)  # intermediate vertices, equally spaced
    mid = GEOD.npts(lon1, lat1, lon2, lat2, n) if n else []
    return shapely.LineString([(lon1, lat1), *mid, (lon2, lat2)])


AREA_METHODS = ("equal_area", "geodesic")


def area_km2(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, method: str = "equal_area") -> np.ndarray:
    """Return polygon areas in km².

    Parameters
    ----------
    frame
        Polygons with a CRS (any; they are reprojected for the computation).
    method
        ``"equal_area"`` (default) projects to :data:`AREA_CRS`; ``"geodesic"``
        uses pyproj's ellipsoidal polygon area on lon/lat (slower, exact).
    """
    check_choice("method", method, AREA_METHODS)
    src = require_crs(frame, what="area")
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    if method == "equal_area":
        return geoms.to_crs(AREA_CRS).area.to_numpy() / 1e6
    ll = geoms if src.equals(WGS84) else geoms.to_crs(WGS84)
    return np.array([abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in ll]) if len(ll) else np.zeros(0)
