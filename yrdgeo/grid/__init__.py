"""Grid-scale analysis on dask: regular grids over the YRD at 1 km, 250 m, 100 m and finer.

The same code runs on a local dask cluster (the default) and on an existing one given its
scheduler address. Cells are squares in :data:`yrdgeo.crs.AREA_CRS` (equal-area, so every cell
has the same area), identified by row and column, stored partition by partition. See docs/grid.md.
"""

from .cells import CELL_COLUMNS, Grid, GridSpec, make_grid
from .stats import GridGlobalResult, contiguity, contiguity_weights, moran
from .cluster import SCHEDULER_SCHEMES, client
from .zonal import ROLLUP_BY, ROLLUP_HOW, rollup

__all__: list[str] = []
__all__ += ["CELL_COLUMNS", "Grid", "GridSpec", "make_grid"]  # cells
__all__ += ["GridGlobalResult", "contiguity", "contiguity_weights", "moran"]  # stats
__all__ += ["SCHEDULER_SCHEMES", "client", "ROLLUP_BY", "ROLLUP_HOW", "rollup"]  # cluster, zonal
