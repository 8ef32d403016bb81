"""Return nothing: the option lists of modules whose imports are heavy, kept here so reading them is instant.

The command line lists these words in its parsers; importing
:mod:`yrdgeo.weights` (libpysal), :mod:`yrdgeo.autocorrelation` (esda),
:mod:`yrdgeo.maps` (matplotlib) or :mod:`yrdgeo.inequality` (PySAL
``inequality``) to read them would cost seconds on every ``yrdgeo`` call.
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
#: :data:`yrdgeo.inequality.GROUP_LEVELS`: unit levels ``by=`` may name: each unit is grouped into its
#: province (default) or its city.
GROUP_LEVELS = ("province", "city")
