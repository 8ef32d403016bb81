"""yrdgeo: spatial analysis and plan maps for Yangtze River Delta (长三角) regional-integration planning."""

import warnings

# Debian's python3-matplotlib (pulled in by QGIS) sits beside the venv's newer matplotlib; its
# mpl_toolkits makes matplotlib warn that 3D axes are unavailable. yrdgeo draws no 3D axes.
warnings.filterwarnings("ignore", message="Unable to import Axes3D")

from .crs import AREA_CRS, DISTANCE_CRS, gcj02_to_wgs84, gcj02_to_wgs84_geometry, wgs84_to_gcj02, wgs84_to_gcj02_geometry
from .measure import distance_km, distance_matrix_km, with_area
from .regions import group_members, list_groups, membership_table, unit_history
from .units import (
    AmbiguousUnitError,
    MalformedCodeError,
    OutOfRegionError,
    RenamedUnitError,
    UnitError,
    UnknownUnitError,
    all_units,
    anchor_points,
    load_units,
    resolve,
    select_units,
    unit,
)

__version__ = "0.1.0"

# Analysis modules load on first use (yrdgeo.corridors, yrdgeo.autocorrelation, …), so that
# `import yrdgeo` stays light for the CLI and the QGIS plugin.
_SUBMODULES = {
    "accessibility", "atlas", "autocorrelation", "checks", "codes", "coordination", "corridors", "crs", "dates",
    "enclaves", "indicators", "inequality", "inputs", "io", "linkage", "maps", "measure", "network", "od", "ranking",
    "raster", "regions", "sources", "units", "weights",
}


def __getattr__(name: str):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    msg = f"module 'yrdgeo' has no attribute {name!r}"
    raise AttributeError(msg)

__all__ = [
    "AREA_CRS", "DISTANCE_CRS", "AmbiguousUnitError", "MalformedCodeError", "OutOfRegionError", "RenamedUnitError",
    "UnitError", "UnknownUnitError",
    "all_units", "anchor_points", "distance_km", "distance_matrix_km", "gcj02_to_wgs84",
    "gcj02_to_wgs84_geometry", "group_members", "list_groups", "load_units", "membership_table",
    "resolve", "select_units", "unit", "unit_history", "wgs84_to_gcj02", "wgs84_to_gcj02_geometry", "with_area",
]
