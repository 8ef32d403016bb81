"""Global Moran's I and local Moran (LISA) clusters of a numeric field, with the island and testing policies."""

from qgis.core import QgsProcessingOutputNumber

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr
from ._weights import STATISTICS_PACKAGES, build_weights, define_inference, define_weights, inference


class SpatialAutocorrelation(YrdGeoAlgorithm):
    ID = "spatial_autocorrelation"
    DISPLAY_NAME = "Spatial autocorrelation (Moran's I, LISA)"
    GROUP_ID = "statistics"
    REQUIRES = STATISTICS_PACKAGES

    def define(self, config):
        self.add_source("INPUT", "Units (polygons)")
        self.add_field("FIELD", "Numeric field", "INPUT")
        define_weights(self)
        define_inference(self)
        self.add_sink("OUTPUT", "LISA clusters")
        for name, desc in (("MORAN_I", tr("Moran's I")), ("MORAN_EXPECTED", tr("Expected I")),
                           ("MORAN_P_SIM", tr("Pseudo p-value of I")),
                           ("MORAN_Z_SIM", tr("z-score of I (permutations)")), ("N_USED", tr("Units used"))):
            self.addOutput(QgsProcessingOutputNumber(name, desc))

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import autocorrelation

        field = self.read_field(parameters, "FIELD", self.read_source(parameters, "INPUT", context).fields(), context)
        frame = self.read_frame(parameters, "INPUT", context, feedback)
        sw = build_weights(self, parameters, context, feedback, frame)
        feedback.setProgress(30)
        check_cancelled(feedback)
        local_opts = inference(self, parameters, context)
        global_opts = {k: v for k, v in local_opts.items() if k not in ("alpha", "correction")}
        glob = autocorrelation.moran(frame, field, weights=sw, **global_opts)
        feedback.setProgress(50)
        check_cancelled(feedback)
        local = autocorrelation.local_moran(frame, field, weights=sw, **local_opts)
        feedback.setProgress(90)
        feedback.pushInfo(tr("Moran's I = {i:.4f} (expected {e:.4f}), pseudo p = {p}, {n} units.").format(
            i=glob.value, e=glob.expected, p=glob.p_sim, n=glob.n))
        feedback.pushInfo(tr("Clusters: {}").format(", ".join(f"{k} {v}" for k, v in local.counts.items())))
        dest = self.write_frame(parameters, "OUTPUT", context, local.frame, feedback, style="lisa")
        return {"OUTPUT": dest, "MORAN_I": glob.value, "MORAN_EXPECTED": glob.expected,
                "MORAN_P_SIM": glob.p_sim, "MORAN_Z_SIM": glob.z_sim, "N_USED": glob.n}
