"""Parameters shared by the spatial-statistics algorithms: weights, island policy, inference.

The options are the library's lists (``yrdgeo.weights.METHODS``,
``ISLAND_POLICIES``, ``yrdgeo.autocorrelation.CORRECTIONS``,
``MISSING_POLICIES``), in the library's order; the plugin adds only labels.
"""

from ..i18n import tr

#: What the statistics algorithms import (their REQUIRES).
STATISTICS_PACKAGES = ("geopandas", "libpysal", "esda")


def define_weights(alg):
    """Add WEIGHTS, K, THRESHOLD_KM, TOLERANCE_KM, ISLANDS, ISLAND_K to ``alg``."""
    alg.add_choice("WEIGHTS", "Spatial weights", {
        "queen": "Queen contiguity", "rook": "Rook contiguity", "knn": "k nearest neighbours",
        "distance_band": "Distance band", "inverse_distance": "Inverse distance", "kernel": "Adaptive kernel"},
        library="yrdgeo.weights.METHODS")
    alg.add_number("K", "Neighbours k (k nearest, kernel)", default=4, minimum=1, integer=True)
    alg.add_number("THRESHOLD_KM", "Distance threshold in km (distance band, inverse distance)",
                   default=None, minimum=0, optional=True)
    alg.add_number("TOLERANCE_KM", "Contiguity tolerance in km (0: shared boundary only)", default=0, minimum=0)
    alg.add_choice("ISLANDS", "Units without neighbours", {
        "error": "Stop with an error (inspect first)", "nearest": "Attach to nearest units",
        "isolate": "Leave out (isolated)"}, library="yrdgeo.weights.ISLAND_POLICIES")
    alg.add_number("ISLAND_K", "Nearest units attached to each island", default=1, minimum=1, integer=True)


def define_inference(alg, *, local=True):
    """Add PERMUTATIONS, SEED, (ALPHA, CORRECTION,) MISSING to ``alg``."""
    alg.add_number("PERMUTATIONS", "Permutations", default=999, minimum=1, integer=True)
    alg.add_number("SEED", "Random seed (empty: not reproducible)", default=12345, integer=True, optional=True)
    if local:
        alg.add_number("ALPHA", "Significance level", default=0.05, minimum=0.0001, maximum=0.5)
        alg.add_choice("CORRECTION", "Multiple-testing correction", {
            "none": "None", "bonferroni": "Bonferroni", "fdr": "False discovery rate (FDR)"},
            library="yrdgeo.autocorrelation.CORRECTIONS")
    alg.add_choice("MISSING", "Missing values", {"error": "Stop with an error", "drop": "Leave those units out"},
                   library="yrdgeo.autocorrelation.MISSING_POLICIES")


def build_weights(alg, parameters, context, feedback, frame):
    """Return yrdgeo SpatialWeights for ``frame`` as the parameters say, reporting islands."""
    from yrdgeo import weights

    method = alg.read_choice(parameters, "WEIGHTS", context)
    options = dict(islands=alg.read_choice(parameters, "ISLANDS", context),
                   island_k=alg.parameterAsInt(parameters, "ISLAND_K", context),
                   tolerance_km=alg.parameterAsDouble(parameters, "TOLERANCE_KM", context))
    if method in ("knn", "kernel"):
        options["k"] = alg.parameterAsInt(parameters, "K", context)
    threshold = alg.read_number(parameters, "THRESHOLD_KM", context)
    if method in ("distance_band", "inverse_distance") and threshold is not None:
        options["threshold_km"] = threshold
    with alg.about("WEIGHTS"):
        sw = weights.build_weights(frame, method, **options)
    if sw.islands:
        feedback.pushInfo(tr("Units without neighbours: {}; policy: {}.").format(
            ", ".join(map(str, sw.islands)), sw.island_policy))
    return sw


def inference(alg, parameters, context, *, local=True):
    """Return the keyword arguments permutations, seed, missing (and alpha, correction) for yrdgeo."""
    out = dict(permutations=alg.parameterAsInt(parameters, "PERMUTATIONS", context),
               seed=alg.read_number(parameters, "SEED", context),  # absent: the default seed; given empty: none
               missing=alg.read_choice(parameters, "MISSING", context))
    if local:
        out.update(alpha=alg.parameterAsDouble(parameters, "ALPHA", context),
                   correction=alg.read_choice(parameters, "CORRECTION", context))
    return out
