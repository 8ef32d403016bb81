"""Getis-Ord Gi* hot and cold spots of a non-negative numeric field."""

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr
from ._weights import STATISTICS_PACKAGES, build_weights, define_inference, define_weights, inference


class HotSpots(YrdGeoAlgorithm):
    ID = "hot_spots"
    DISPLAY_NAME = "Hot and cold spots (Getis-Ord Gi*)"
    GROUP_ID = "statistics"
    REQUIRES = STATISTICS_PACKAGES

    def define(self, config):
        self.add_source("INPUT", "Units (polygons)")
        self.add_field("FIELD", "Numeric field (not negative)", "INPUT")
        define_weights(self)
        define_inference(self)
        self.add_sink("OUTPUT", "Hot and cold spots")

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import autocorrelation

        field = self.read_field(parameters, "FIELD", self.read_source(parameters, "INPUT", context).fields(), context)
        frame = self.read_frame(parameters, "INPUT", context, feedback)
        sw = build_weights(self, parameters, context, feedback, frame)
        check_cancelled(feedback)
        result = autocorrelation.gi_star(frame, field, weights=sw, **inference(self, parameters, context))
        feedback.pushInfo(tr("Clusters: {}").format(", ".join(f"{k} {v}" for k, v in result.counts.items())))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, result.frame, feedback, style="hot_spots")}
