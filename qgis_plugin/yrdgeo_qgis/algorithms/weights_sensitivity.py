"""Weights sensitivity: global Moran's I of a field under each of a grid of spatial weights, one row per choice."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr
from ..library import library_value
from ._weights import STATISTICS_PACKAGES, define_inference, inference

# The library's default grid, read from the source of the module that assigns it (yrdgeo.autocorrelation loads its
# names on first use, so its __init__ holds no literal); without the library: contiguity only, k = 4.
DEFAULT_METHODS = library_value("yrdgeo.autocorrelation.stats.SENSITIVITY_METHODS") or ("queen",)
DEFAULT_KS = library_value("yrdgeo.autocorrelation.stats.SENSITIVITY_KS") or (4,)


class WeightsSensitivity(YrdGeoAlgorithm):
    ID = "weights_sensitivity"
    DISPLAY_NAME = "Weights sensitivity of Moran's I"
    GROUP_ID = "statistics"
    REQUIRES = STATISTICS_PACKAGES

    def define(self, config):
        self.add_source("INPUT", "Units (polygons)")
        self.add_field("FIELD", "Numeric field", "INPUT")
        self.add_choice("METHODS", "Spatial weights compared", {
            "queen": "Queen contiguity", "rook": "Rook contiguity", "knn": "k nearest neighbours",
            "distance_band": "Distance band", "inverse_distance": "Inverse distance", "kernel": "Adaptive kernel"},
            library="yrdgeo.weights.METHODS", multiple=True, default=DEFAULT_METHODS)
        self.add_string("KS", "Neighbours k for k nearest and kernel, comma-separated",
                        default=",".join(map(str, DEFAULT_KS)), optional=False)
        self.add_string("THRESHOLDS_KM", "Distance bands in km, comma-separated (empty: the smallest band in "
                        "which every unit has a neighbour)")
        self.add_choice("ISLANDS", "Units without neighbours", {
            "error": "Stop with an error (inspect first)", "nearest": "Attach to nearest units",
            "isolate": "Leave out (isolated)"}, library="yrdgeo.weights.ISLAND_POLICIES", default="nearest")
        self.add_number("ISLAND_K", "Nearest units attached to each island", default=1, minimum=1, integer=True)
        define_inference(self, local=False)
        self.add_sink("OUTPUT", "Moran's I by weights", geometry=QgsProcessing.SourceType.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import autocorrelation

        field = self.read_field(parameters, "FIELD", self.read_source(parameters, "INPUT", context).fields(), context)
        methods = self.read_choices(parameters, "METHODS", context)  # Processing refuses none
        ks = self._integers(parameters, "KS", context)
        thresholds = None
        if self.is_given(parameters, "THRESHOLDS_KM"):
            thresholds = self.read_numbers(parameters, "THRESHOLDS_KM", context, example="50,100")
        frame = self.read_frame(parameters, "INPUT", context, feedback)
        check_cancelled(feedback)
        with self.about("INPUT", "FIELD", "METHODS"):
            table = autocorrelation.moran_sensitivity(
                frame, field, methods=methods, ks=ks, thresholds_km=thresholds,
                islands=self.read_choice(parameters, "ISLANDS", context),
                island_k=self.parameterAsInt(parameters, "ISLAND_K", context),
                **inference(self, parameters, context, local=False))
        for row in table.itertuples():
            feedback.pushInfo(tr("{weights}: I = {i:.4f} (E[I] {e:.4f}), z = {z:.3f}, pseudo p = {p}, "
                                 "{islands} island(s), {mean:.2f} neighbours on average.").format(
                weights=row.weights, i=row.I, e=row.expected, z=row.z_norm, p=row.p_sim, islands=row.islands,
                mean=row.mean_neighbours))
        return self.write_frames(parameters, context, {"OUTPUT": (table, None)}, feedback)

    def _integers(self, parameters, name, context):
        """Return the whole numbers >= 1 of a comma-separated parameter, or raise naming it."""
        values = self.read_numbers(parameters, name, context, example="4,6,8")
        if not all(v == int(v) for v in values):
            raise QgsProcessingException(parameter_message([name], tr(
                "“{value}” is not a list of whole numbers; expected e.g. 4,6,8.").format(
                value=self.parameterAsString(parameters, name, context))))
        return [int(v) for v in values]
