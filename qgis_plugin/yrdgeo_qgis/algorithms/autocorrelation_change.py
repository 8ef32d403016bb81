"""Did the clusters move? Moran's I and LISA of a field in two years and of its change, with transitions."""

from qgis.core import QgsProcessing, QgsProcessingException, QgsProcessingOutputNumber

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr
from ._weights import STATISTICS_PACKAGES, build_weights, define_inference, define_weights, inference


class AutocorrelationChange(YrdGeoAlgorithm):
    ID = "autocorrelation_change"
    DISPLAY_NAME = "Spatial autocorrelation change between two years"
    GROUP_ID = "statistics"
    REQUIRES = STATISTICS_PACKAGES

    def define(self, config):
        self.add_source("INPUT", "Units (polygons)")
        self.add_field("BEFORE", "Field of the earlier year", "INPUT")
        self.add_field("AFTER", "Field of the later year", "INPUT")
        define_weights(self)
        define_inference(self)
        self.add_sink("OUTPUT", "LISA of both years and of the change")
        self.add_sink("TRANSITIONS", "Cluster transitions (earlier → later)",
                      geometry=QgsProcessing.SourceType.TypeVector)
        for name, desc in (("MORAN_BEFORE", tr("Moran's I, earlier year")), ("MORAN_AFTER", tr("Moran's I, later year")),
                           ("MORAN_CHANGE", tr("Moran's I of the change")),
                           ("MORAN_SPACE_TIME", tr("Space-time bivariate Moran's I"))):
            self.addOutput(QgsProcessingOutputNumber(name, desc))

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import autocorrelation

        fields = self.read_source(parameters, "INPUT", context).fields()
        before = self.read_field(parameters, "BEFORE", fields, context)
        after = self.read_field(parameters, "AFTER", fields, context)
        if before == after:
            raise QgsProcessingException(parameter_message(["BEFORE", "AFTER"], tr(
                "The earlier and the later year are the same field “{field}”; choose the field of each year.").format(
                field=before)))
        frame = self.read_frame(parameters, "INPUT", context, feedback)
        sw = build_weights(self, parameters, context, feedback, frame)
        check_cancelled(feedback)
        result = autocorrelation.moran_change(frame, before, after, weights=sw, **inference(self, parameters, context))
        feedback.pushInfo(tr("Moran's I {before} = {a:.4f}, {after} = {b:.4f}, change = {c:.4f}.").format(
            before=before, after=after, a=result.moran_before.value, b=result.moran_after.value,
            c=result.moran_change.value))
        ids = self.write_frames(parameters, context, {"OUTPUT": (result.frame, None),
                                                      "TRANSITIONS": (result.transitions.reset_index(), None)},
                                feedback)
        ids.update(MORAN_BEFORE=result.moran_before.value, MORAN_AFTER=result.moran_after.value,
                   MORAN_CHANGE=result.moran_change.value, MORAN_SPACE_TIME=result.bivariate.value)
        return ids
