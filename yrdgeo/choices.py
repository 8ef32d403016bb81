"""Return nothing: the option lists of modules whose imports are heavy, kept here so reading them is instant.

The command line lists these words in its parsers; importing
:mod:`yrdgeo.weights` (libpysal), :mod:`yrdgeo.autocorrelation` (esda),
:mod:`yrdgeo.maps` (matplotlib), :mod:`yrdgeo.inequality` (PySAL
``inequality``) or the network, accessibility, linkage, ranking and
indicators modules (scipy) to read them would cost seconds on every
``yrdgeo`` call.
Each owning module re-exports its lists under its own names
(``yrdgeo.weights.METHODS`` is :data:`WEIGHT_METHODS`), which stay the
public names; this module imports nothing.
"""

from __future__ import annotations

#: :data:`yrdgeo.weights.METHODS`: how spatial weights are built.
WEIGHT_METHODS = ("queen", "rook", "knn", "distance_band", "inverse_distance", "kernel")
#: :data:`yrdgeo.weights.CONTIGUITY`: the contiguity methods among them.
CONTIGUITY = ("queen", "rook")
#: :data:`yrdgeo.weights.ISLAND_POLICIES`: what to do with a unit without neighbours.
ISLAND_POLICIES = ("error", "nearest", "isolate")
#: :data:`yrdgeo.weights.TRANSFORMS`: libpysal's weights transforms.
TRANSFORMS = ("r", "b", "v", "d", "o")
#: :data:`yrdgeo.autocorrelation.MISSING_POLICIES`: what to do with a unit without a value.
AUTOCORRELATION_MISSING = ("error", "drop")
#: :data:`yrdgeo.autocorrelation.DEFAULT_SEED`: the random seed of permutation tests when a run must be
#: reproducible and none is given (the CLI, the atlas).
DEFAULT_SEED = 20191201
#: :data:`yrdgeo.autocorrelation.CORRECTIONS`: multiple-testing corrections of local statistics.
CORRECTIONS = ("none", "bonferroni", "fdr")
#: :data:`yrdgeo.maps.PAGE_SIZES_MM`: paper sizes (width, height in mm, portrait).
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
#: :data:`yrdgeo.network.UNDATED_POLICIES`: what to do with a link without an opening date.
UNDATED_POLICIES = ("keep", "drop", "error")
#: :data:`yrdgeo.network.NODING`: where a planner's line layer is split into nodes.
NODING = ("vertices", "crossings", "endpoints")
#: :data:`yrdgeo.accessibility.ACCESS_SPEED_KMH`: default access/egress speed (km/h) to a network node.
ACCESS_SPEED_KMH = 30.0
#: :data:`yrdgeo.accessibility.K_NEAREST`: default number of nearest network nodes an anchor may use.
K_NEAREST = 1
#: :data:`yrdgeo.accessibility.ISOCHRONE_SHAPES`: what :func:`yrdgeo.isochrones` returns.
ISOCHRONE_SHAPES = ("grid", "polygons")
#: :data:`yrdgeo.linkage.DISTANCES`: what D_ij of the gravity model is.
LINKAGE_DISTANCES = ("geodesic", "travel_time")
#: :data:`yrdgeo.ranking.METHODS`: scoring methods of ranking.
RANKING_METHODS = ("topsis", "weighted_sum")
#: :data:`yrdgeo.ranking.WEIGHT_METHODS`: weights computed by ranking.
RANKING_WEIGHT_METHODS = ("entropy", "equal")
#: :data:`yrdgeo.ranking.TOPSIS_INPUTS`: what TOPSIS normalises.
TOPSIS_INPUTS = ("raw", "minmax")
#: :data:`yrdgeo.ranking.MISSING_POLICIES`: what ranking does with a missing value.
RANKING_MISSING = ("error", "exclude")
#: :data:`yrdgeo.indicators.MISSING_POLICIES`: what the entropy index does with a missing value.
INDICATORS_MISSING = ("error", "drop")
#: :data:`yrdgeo.inequality.GROUP_LEVELS`: unit levels ``by=`` may name: each unit is grouped into its
#: province (default) or its city.
GROUP_LEVELS = ("province", "city")
