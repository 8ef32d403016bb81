"""Spatial autocorrelation on GeoDataFrames: global and local statistics, change between years, figures.

Every number comes from esda, called on the weights in
:class:`yrdgeo.weights.SpatialWeights`; yrdgeo adds input checks, the island
and missing-value policies, multiple-testing correction, readable labels,
results as columns on a copy of the frame, and the two usual figures.

The package's parts:

``stats`` (:mod:`yrdgeo.autocorrelation.stats`, its conventions in the module docstring)
    Global statistics (:class:`GlobalResult`): :func:`moran` (Moran's I),
    :func:`geary` (Geary's C), :func:`getis_ord_g` (General G, binary weights
    as esda requires), :func:`moran_bv` (bivariate: x with the spatial lag of y).
    Local statistics (:class:`LocalResult`): :func:`local_moran` (LISA,
    quadrants HH/LH/LL/HL), :func:`local_moran_bv`, :func:`gi_star`
    (Getis-Ord Gi*, hot and cold spots). Change between two years
    (:class:`ChangeResult`): :func:`moran_change`, Moran's I of each year and
    of the difference, the space-time bivariate Moran (later year with the
    lag of the earlier one), LISA of both years and their transition table.
    Sensitivity to the weights: :func:`moran_sensitivity`, Moran's I under
    each of a grid of weights (queen, rook, knn k = 4/6/8, a distance band).
    Joining a planner's table first: :func:`join_attributes`.
``permutation`` (:mod:`yrdgeo.autocorrelation.permutation`)
    esda's conditional randomisation for local statistics, vectorised, on any
    subset of units and any number of processes, with esda's numbers for a seed:
    :func:`local_randomization`, :func:`permutation_table`
    (:class:`LocalRandomization`). The local statistics above run their
    permutations on it (``engine="esda"``: esda's own loop, :data:`LOCAL_ENGINES`).
``figures`` (:mod:`yrdgeo.autocorrelation.figures`)
    :func:`moran_scatterplot`, :func:`lisa_cluster_map` and the labels and
    colours they use (:data:`LABELS_ZH`, :data:`COLOURS`).

Every name is imported from ``yrdgeo.autocorrelation``. The names are loaded on first use: a dask
worker of :mod:`yrdgeo.grid` that needs the permutation engine or the labels imports ``permutation``
(numpy and scipy) or the labels alone, not esda, libpysal, scikit-learn and matplotlib (about 1 s of
CPU a fresh worker, measured).
"""

from __future__ import annotations

from ..lazy import lazy_names

# name -> the module of this package that defines it
_NAMES: dict[str, str] = {
    **dict.fromkeys(["COLOURS", "LABELS_ZH", "lisa_cluster_map", "moran_scatterplot"], "figures"),
    **dict.fromkeys(["LocalRandomization", "local_randomization", "permutation_table"], "permutation"),
    # the labels written into local results, and the fewest units a statistic takes
    **dict.fromkeys(["CLUSTER_ORDER", "COLD", "GEODA_CODES", "HH", "HL", "HOT", "ISOLATED", "LH", "LL", "MIN_UNITS",
                     "MISSING", "NOT_SIGNIFICANT", "QUADRANTS", "SPOT_ORDER"], "_labels"),
    **dict.fromkeys(["CORRECTIONS", "DEFAULT_SEED", "LOCAL_ENGINES", "MISSING_POLICIES", "SENSITIVITY_KS",
                     "SENSITIVITY_METHODS", "ChangeResult", "GlobalResult", "LocalResult", "geary", "getis_ord_g",
                     "gi_star", "join_attributes", "local_moran", "local_moran_bv", "moran", "moran_bv",
                     "moran_change", "moran_sensitivity"], "stats"),
}

__all__ = [
    "CLUSTER_ORDER", "COLOURS", "CORRECTIONS", "ChangeResult", "DEFAULT_SEED", "GEODA_CODES", "GlobalResult", "LABELS_ZH",
    "LocalResult", "MISSING_POLICIES", "QUADRANTS", "SPOT_ORDER", "geary", "getis_ord_g", "gi_star", "join_attributes",
    "lisa_cluster_map", "local_moran", "local_moran_bv", "moran", "moran_bv", "moran_change", "moran_scatterplot",
    "MIN_UNITS", "SENSITIVITY_KS", "SENSITIVITY_METHODS", "moran_sensitivity",
    # esda's conditional randomisation, vectorised (yrdgeo.autocorrelation.permutation)
    "LOCAL_ENGINES", "LocalRandomization", "local_randomization", "permutation_table",
    # the labels written into local results
    "COLD", "HH", "HL", "HOT", "ISOLATED", "LH", "LL", "MISSING", "NOT_SIGNIFICANT",
]


__getattr__, __dir__ = lazy_names(__name__, _NAMES)
