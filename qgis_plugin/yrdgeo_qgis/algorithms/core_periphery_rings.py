"""Core–periphery rings (内圈/中圈/外圈): bands of seat distance or of a travel-time field around a centre."""

from qgis.core import QgsProcessingException

from ..base import LEVEL_LABELS, YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr


class CorePeripheryRings(YrdGeoAlgorithm):
    ID = "core_periphery_rings"
    DISPLAY_NAME = "Core–periphery rings"
    GROUP_ID = "units"

    def define(self, config):
        self.add_string("CENTRE", "Centre unit (its seat of government), name or adcode", default="上海",
                        optional=False)
        self.add_string("BREAKS", "Upper bounds of the rings, increasing (km, or the field's unit)",
                        default="100,200,300", optional=False)
        self.add_choice("LEVEL", "Units", LEVEL_LABELS,
                        library="yrdgeo.units.LEVELS", default="city")
        self.add_table("TABLE", "Table with a travel-time field (optional; empty: geodesic seat distance)")
        self.add_field("BY", "Travel-time (or other) field of the table the rings are bands of", "TABLE",
                       optional=True)
        self.add_field("KEY", "Unit field of the table: adcode or name (empty: found by its name)", "TABLE",
                       numeric=False, optional=True)
        self.add_string("LABELS", "Ring labels, comma-separated (default 内圈,中圈,外圈 for three rings)")
        self.add_sink("OUTPUT", "Units with their ring and the paper's layer")

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import indicators, inputs
        from yrdgeo.sources import cite

        centre = self.read_unit(parameters, "CENTRE", context)
        breaks = self.read_numbers(parameters, "BREAKS", context, example="100,200,300")
        labels = self.read_list(parameters, "LABELS", context) or None
        level = self.read_choice(parameters, "LEVEL", context)
        units = yrdgeo.load_units(level)
        by = "distance"
        if self.is_given(parameters, "TABLE"):
            fields = self.read_source(parameters, "TABLE", context).fields()
            by = self.read_field(parameters, "BY", fields, context)
            key = self.read_field(parameters, "KEY", fields, context, numeric=False)
            if by is None:
                raise QgsProcessingException(parameter_message(["BY", "TABLE"], tr(
                    "Choose the table's field the rings are bands of, or leave TABLE empty for seat distance.")))
            table = self.read_table(parameters, "TABLE", context, feedback)
            with self.about("TABLE", "BY"):
                units = inputs.join_table(units, inputs.read_table(table, key=key, level=level, columns=[by],
                                                                   what=tr("travel-time table")), columns=[by])
        elif self.is_given(parameters, "BY"):
            raise QgsProcessingException(parameter_message(["BY", "TABLE"], tr(
                "A field needs its table: give TABLE, or leave BY empty for seat distance.")))
        check_cancelled(feedback)
        with self.about("BREAKS", "LABELS"):
            res = indicators.core_periphery_rings(units, centre, breaks=breaks, by=by, labels=labels)
        feedback.pushInfo(tr("Rings around {centre} by {by}: {counts}.").format(
            centre=centre, by=res.by, counts=", ".join(f"{label} {n}" for label, n in res.counts.items())))
        feedback.pushInfo(tr("paper_layer: the layer {paper} names the unit (or its city) in: layers of "
                             "industrial function, not of distance.").format(paper=cite("metro-cooperation")))
        return self.write_frames(parameters, context, {"OUTPUT": (res.frame, "units")}, feedback)
