"""The labels local statistics write, and the fewest units a statistic takes: plain Python, no esda.

:mod:`yrdgeo.autocorrelation.stats` writes these labels; the grid statistics (:mod:`yrdgeo.grid.stats`,
whose tasks run on dask workers) write the same ones, and reading them from here keeps a worker from
importing esda, libpysal and scikit-learn (about 1 s of CPU on a fresh worker) for a few strings.
"""

from __future__ import annotations

#: The fewest units (with values and neighbours) a statistic is computed on.
MIN_UNITS = 3

HH, LH, LL, HL = "HH", "LH", "LL", "HL"
NOT_SIGNIFICANT = "not significant"
ISOLATED = "isolated"
MISSING = "missing"
HOT, COLD = "hot spot", "cold spot"

#: PySAL quadrant code -> label.
QUADRANTS = {1: HH, 2: LH, 3: LL, 4: HL}
#: Cluster label -> GeoDa cluster code.
GEODA_CODES = {NOT_SIGNIFICANT: 0, HH: 1, LL: 2, LH: 3, HL: 4, MISSING: 5, ISOLATED: 6}
CLUSTER_ORDER = (HH, LH, LL, HL, NOT_SIGNIFICANT, ISOLATED, MISSING)
SPOT_ORDER = (HOT, COLD, NOT_SIGNIFICANT, ISOLATED, MISSING)

__all__ = ["CLUSTER_ORDER", "COLD", "GEODA_CODES", "HH", "HL", "HOT", "ISOLATED", "LH", "LL", "MIN_UNITS", "MISSING",
           "NOT_SIGNIFICANT", "QUADRANTS", "SPOT_ORDER"]
