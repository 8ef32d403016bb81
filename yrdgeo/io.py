"""Writing yrdgeo results safely: GeoPackage/GeoJSON/CSV by extension, nothing half-written.

Every writer renders into a temporary file in the target's directory and
renames it into place only when complete, so a failure leaves no partial
file behind and an existing file is replaced atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

import geopandas as gpd
import pandas as pd

FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".csv": "CSV", ".shp": "ESRI Shapefile"}


def format_for(path: str | os.PathLike) -> str:
    """Return the output format named by a path's extension, or raise ValueError listing the known ones."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        msg = f"cannot tell the output format of {str(path)!r}: expected one of {', '.join(FORMATS)}"
        raise ValueError(msg)
    return FORMATS[ext]


@contextmanager
def atomic_path(path: str | os.PathLike, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds."""
    target = Path(path)
    if target.exists() and not overwrite:
        msg = f"{target} exists; pass overwrite=True (--overwrite) to replace it"
        raise FileExistsError(msg)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        msg = f"output folder {parent} does not exist"
        raise FileNotFoundError(msg)
    if not os.access(parent, os.W_OK):
        msg = f"output folder {parent} is not writable"
        raise PermissionError(msg)
    tmpdir = Path(tempfile.mkdtemp(prefix=".yrdgeo-", dir=parent))
    tmp = tmpdir / target.name
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def write_layers(layers: Mapping[str, pd.DataFrame], path: str | os.PathLike, *, overwrite: bool = True) -> Path:
    """Write one or more frames to ``path`` (format by extension) atomically; return the path.

    GeoPackage takes several layers (named by the mapping's keys); GeoJSON,
    Shapefile and CSV take exactly one. CSV writes geometry as WKT, and a
    frame without geometry is written as an attribute table.
    """
    fmt = format_for(path)
    if fmt != "GPKG" and len(layers) != 1:
        msg = f"{fmt} holds one layer; got {len(layers)} ({', '.join(layers)}). Use a .gpkg file for several."
        raise ValueError(msg)
    if not layers:
        msg = "nothing to write: no layers given"
        raise ValueError(msg)
    with atomic_path(path, overwrite=overwrite) as tmp:
        for name, frame in layers.items():
            if fmt == "CSV":
                out = pd.DataFrame(frame)
                if isinstance(frame, gpd.GeoDataFrame):
                    out[frame.geometry.name] = frame.geometry.to_wkt()
                out.to_csv(tmp, index=False, encoding="utf-8")
            elif isinstance(frame, gpd.GeoDataFrame):
                frame.to_file(tmp, layer=name, driver=fmt, **({"mode": "a"} if tmp.exists() else {}))
            else:
                gpd.GeoDataFrame(frame).to_file(tmp, layer=name, driver=fmt, **({"mode": "a"} if tmp.exists() else {}))
    return Path(path)
