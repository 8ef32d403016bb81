"""Global Moran's I and local Moran (LISA) clusters of a numeric field, with the island and testing policies."""

from qgis.core import QgsProcessingOutputNumber

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr


class SpatialAutocorrelation(YrdGeoAlgorithm):
    ID = "spatial_autocorrelation"
    DISPLAY_NAME = "Spatial autocorrelation (Moran's I, LISA)"
    GROUP_ID = "statistics"
    REQUIRES = ("geopandas", "libpysal", "esda")
    WEIGHTS = ("queen", "rook", "knn", "distance_band", "inverse_distance", "kernel")
    ISLANDS = ("error", "nearest", "isolate")
    CORRECTIONS = ("none", "bonferroni", "fdr")
    MISSING = ("error", "drop")

    def define(self, config):
        self.add_source("INPUT", "Units (polygons)")
        self.add_field("FIELD", "Numeric field", "INPUT")
        self.add_enum("WEIGHTS", "Spatial weights", ["Queen contiguity", "Rook contiguity", "k nearest neighbours",
                                                     "Distance band", "Inverse distance", "Adaptive kernel"])
        self.add_number("K", "Neighbours k (k nearest, kernel)", default=4, minimum=1, integer=True)
        self.add_number("THRESHOLD_KM", "Distance threshold in km (distance band, inverse distance)",
                        default=None, minimum=0, optional=True)
        self.add_number("TOLERANCE_KM", "Contiguity tolerance in km (0: shared boundary only)", default=0, minimum=0)
        self.add_enum("ISLANDS", "Units without neighbours", ["Stop with an error (inspect first)",
                                                              "Attach to nearest units", "Leave out (isolated)"])
        self.add_number("ISLAND_K", "Nearest units attached to each island", default=1, minimum=1, integer=True)
        self.add_number("PERMUTATIONS", "Permutations", default=999, minimum=1, integer=True)
        self.add_number("SEED", "Random seed (empty: not reproducible)", default=12345, integer=True, optional=True)
        self.add_number("ALPHA", "Significance level", default=0.05, minimum=0.0001, maximum=0.5)
        self.add_enum("CORRECTION", "Multiple-testing correction", ["None", "Bonferroni", "False discovery rate (FDR)"])
        self.add_enum("MISSING", "Missing values", ["Stop with an error", "Leave those units out"])
        self.add_sink("OUTPUT", "LISA clusters")
        for name, desc in (("MORAN_I", tr("Moran's I")), ("MORAN_EXPECTED", tr("Expected I")),
                           ("MORAN_P_SIM", tr("Pseudo p-value of I")),
                           ("MORAN_Z_SIM", tr("z-score of I (permutations)")), ("N_USED", tr("Units used"))):
            self.addOutput(QgsProcessingOutputNumber(name, desc))

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import autocorrelation, weights

        source = self.read_source(parameters, "INPUT", context)
        field = self.read_field(parameters, "FIELD", source.fields(), context)
        frame = self.read_frame(parameters, "INPUT", context, feedback)
        method = self.WEIGHTS[self.parameterAsEnum(parameters, "WEIGHTS", context)]
        threshold = parameters.get("THRESHOLD_KM")
        options = dict(
            islands=self.ISLANDS[self.parameterAsEnum(parameters, "ISLANDS", context)],
            island_k=self.parameterAsInt(parameters, "ISLAND_K", context),
            tolerance_km=self.parameterAsDouble(parameters, "TOLERANCE_KM", context),
        )
        if method in ("knn", "kernel"):
            options["k"] = self.parameterAsInt(parameters, "K", context)
        if method in ("distance_band", "inverse_distance") and threshold not in (None, ""):
            options["threshold_km"] = self.parameterAsDouble(parameters, "THRESHOLD_KM", context)
        sw = weights.build_weights(frame, method, **options)
        if sw.islands:
            feedback.pushInfo(tr("Units without neighbours: {}; policy: {}.").format(
                ", ".join(map(str, sw.islands)), sw.island_policy))
        feedback.setProgress(30)
        check_cancelled(feedback)
        seed = parameters.get("SEED", 0)  # absent: the default seed; given empty: none
        stats = dict(
            weights=sw,
            permutations=self.parameterAsInt(parameters, "PERMUTATIONS", context),
            seed=None if seed in (None, "") else self.parameterAsInt(parameters, "SEED", context),
            missing=self.MISSING[self.parameterAsEnum(parameters, "MISSING", context)],
        )
        glob = autocorrelation.moran(frame, field, **stats)
        feedback.setProgress(50)
        check_cancelled(feedback)
        local = autocorrelation.local_moran(
            frame, field, alpha=self.parameterAsDouble(parameters, "ALPHA", context),
            correction=self.CORRECTIONS[self.parameterAsEnum(parameters, "CORRECTION", context)], **stats)
        feedback.setProgress(90)
        feedback.pushInfo(tr("Moran's I = {i:.4f} (expected {e:.4f}), pseudo p = {p}, {n} units.").format(
            i=glob.value, e=glob.expected, p=glob.p_sim, n=glob.n))
        feedback.pushInfo(tr("Clusters: {}").format(
            ", ".join(f"{k} {v}" for k, v in local.counts.items())))
        dest = self.write_frame(parameters, "OUTPUT", context, local.frame, feedback, style="lisa")
        return {"OUTPUT": dest, "MORAN_I": glob.value, "MORAN_EXPECTED": glob.expected,
                "MORAN_P_SIM": glob.p_sim, "MORAN_Z_SIM": glob.z_sim, "N_USED": glob.n}
