"""Parameters shared by the spatial-statistics algorithms: weights, island policy, inference."""

from ..i18n import tr

WEIGHTS = ("queen", "rook", "knn", "distance_band", "inverse_distance", "kernel")
ISLANDS = ("error", "nearest", "isolate")
CORRECTIONS = ("none", "bonferroni", "fdr")
MISSING = ("error", "drop")


def define_weights(alg):
    """Add WEIGHTS, K, THRESHOLD_KM, TOLERANCE_KM, ISLANDS, ISLAND_K to ``alg``."""
    alg.add_enum("WEIGHTS", "Spatial weights", ["Queen contiguity", "Rook contiguity", "k nearest neighbours",
                                                "Distance band", "Inverse distance", "Adaptive kernel"],
                 values=WEIGHTS)
    alg.add_number("K", "Neighbours k (k nearest, kernel)", default=4, minimum=1, integer=True)
    alg.add_number("THRESHOLD_KM", "Distance threshold in km (distance band, inverse distance)",
                   default=None, minimum=0, optional=True)
    alg.add_number("TOLERANCE_KM", "Contiguity tolerance in km (0: shared boundary only)", default=0, minimum=0)
    alg.add_enum("ISLANDS", "Units without neighbours", ["Stop with an error (inspect first)",
                                                         "Attach to nearest units", "Leave out (isolated)"],
                 values=ISLANDS)
    alg.add_number("ISLAND_K", "Nearest units attached to each island", default=1, minimum=1, integer=True)


def define_inference(alg, *, local=True):
    """Add PERMUTATIONS, SEED, (ALPHA, CORRECTION,) MISSING to ``alg``."""
    alg.add_number("PERMUTATIONS", "Permutations", default=999, minimum=1, integer=True)
    alg.add_number("SEED", "Random seed (empty: not reproducible)", default=12345, integer=True, optional=True)
    if local:
        alg.add_number("ALPHA", "Significance level", default=0.05, minimum=0.0001, maximum=0.5)
        alg.add_enum("CORRECTION", "Multiple-testing correction", ["None", "Bonferroni", "False discovery rate (FDR)"],
                     values=CORRECTIONS)
    alg.add_enum("MISSING", "Missing values", ["Stop with an error", "Leave those units out"], values=MISSING)


def build_weights(alg, parameters, context, feedback, frame):
    """Return yrdgeo SpatialWeights for ``frame`` as the parameters say, reporting islands."""
    from yrdgeo import weights

    method = WEIGHTS[alg.parameterAsEnum(parameters, "WEIGHTS", context)]
    options = dict(islands=ISLANDS[alg.parameterAsEnum(parameters, "ISLANDS", context)],
                   island_k=alg.parameterAsInt(parameters, "ISLAND_K", context),
                   tolerance_km=alg.parameterAsDouble(parameters, "TOLERANCE_KM", context))
    if method in ("knn", "kernel"):
        options["k"] = alg.parameterAsInt(parameters, "K", context)
    if method in ("distance_band", "inverse_distance") and parameters.get("THRESHOLD_KM") not in (None, ""):
        options["threshold_km"] = alg.parameterAsDouble(parameters, "THRESHOLD_KM", context)
    with alg.about("WEIGHTS"):
        sw = weights.build_weights(frame, method, **options)
    if sw.islands:
        feedback.pushInfo(tr("Units without neighbours: {}; policy: {}.").format(
            ", ".join(map(str, sw.islands)), sw.island_policy))
    return sw


def inference(alg, parameters, context, *, local=True):
    """Return the keyword arguments permutations, seed, missing (and alpha, correction) for yrdgeo."""
    seed = parameters.get("SEED", 0)  # absent: the default seed; given empty: none
    out = dict(permutations=alg.parameterAsInt(parameters, "PERMUTATIONS", context),
               seed=None if seed in (None, "") else alg.parameterAsInt(parameters, "SEED", context),
               missing=MISSING[alg.parameterAsEnum(parameters, "MISSING", context)])
    if local:
        out.update(alpha=alg.parameterAsDouble(parameters, "ALPHA", context),
                   correction=CORRECTIONS[alg.parameterAsEnum(parameters, "CORRECTION", context)])
    return out
