"""Grid-scale analysis on dask: regular grids over the YRD at 1 km, 250 m, 100 m and finer.

The same code runs on a local dask cluster (the default) and on an existing one given its
scheduler address. Cells are squares in :data:`yrdgeo.crs.AREA_CRS` (equal-area, so every cell
has the same area), identified by row and column, stored partition by partition. See docs/grid.md.
"""

from .cells import CELL_COLUMNS, Grid, GridSpec, make_grid
from .rank import GridRankingResult, rank_cells
from .stats import GridGlobalResult, GridLocalResult, contiguity, contiguity_weights, gi_star, local_moran, moran
from .cluster import SCHEDULER_SCHEMES, client
from .zonal import ROLLUP_BY, ROLLUP_HOW, rollup
from .store import GEOMETRY_KINDS, write_cog, write_geopackage, write_outputs, write_parquet, write_record
from .criteria import RASTER_STATS, ZONAL_STATS, distance_to, raster_values, travel_time_to, zonal_statistics
from .pipeline import GridAnalysisResult, grid_analysis

__all__: list[str] = []
__all__ += ["CELL_COLUMNS", "Grid", "GridSpec", "make_grid"]  # cells
__all__ += ["GridGlobalResult", "GridLocalResult", "contiguity", "contiguity_weights", "gi_star", "local_moran", "moran"]  # stats
__all__ += ["GridRankingResult", "rank_cells"]  # rank
__all__ += ["SCHEDULER_SCHEMES", "client", "ROLLUP_BY", "ROLLUP_HOW", "rollup"]  # cluster, zonal
__all__ += ["GEOMETRY_KINDS", "write_cog", "write_geopackage", "write_outputs", "write_parquet", "write_record"]  # store
__all__ += ["RASTER_STATS", "ZONAL_STATS", "distance_to", "raster_values", "travel_time_to", "zonal_statistics"]  # criteria
__all__ += ["GridAnalysisResult", "grid_analysis"]  # pipeline
