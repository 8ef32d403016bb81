"""Grid-scale analysis on dask: regular grids over the YRD at 1 km, 250 m, 100 m and finer.

The same code runs on a local dask cluster (the default) and on an existing one given its
scheduler address. Cells are squares in :data:`yrdgeo.crs.AREA_CRS` (equal-area, so every cell
has the same area), identified by row and column, stored partition by partition. See docs/grid.md.

The names below are loaded on first use: a dask worker unpickling a task of ``grid.cells`` imports
that module only, not esda, libpysal and the ranking stack (3–9 s on a fresh worker, measured).
"""

from __future__ import annotations

from ..lazy import lazy_names

# name -> the module of this package that defines it
_NAMES: dict[str, str] = {
    **dict.fromkeys(["CELL_COLUMNS", "Grid", "GridSpec", "make_grid"], "cells"),
    **dict.fromkeys(["GridGlobalResult", "GridLocalResult", "contiguity", "contiguity_weights", "gi_star",
                     "local_moran", "moran"], "stats"),
    **dict.fromkeys(["GridRankingResult", "rank_cells"], "rank"),
    **dict.fromkeys(["SCHEDULER_SCHEMES", "client"], "cluster"),
    **dict.fromkeys(["ROLLUP_BY", "ROLLUP_HOW", "rollup"], "zonal"),
    **dict.fromkeys(["GEOMETRY_KINDS", "write_cog", "write_geopackage", "write_outputs", "write_parquet",
                     "write_record"], "store"),
    **dict.fromkeys(["RASTER_STATS", "ZONAL_STATS", "distance_to", "raster_values", "travel_time_to",
                     "zonal_statistics"], "criteria"),
    **dict.fromkeys(["GridAnalysisResult", "grid_analysis"], "pipeline"),
}

__all__ = list(_NAMES)


__getattr__, __dir__ = lazy_names(__name__, _NAMES)
