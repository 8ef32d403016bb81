"""Travel-time accessibility per unit: time to a centre and the nearest capital, averages, opportunities, Hansen."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..i18n import tr
from ._network import (NETWORK_PACKAGES, define_access, define_network, define_units, log_access_legs,
                       network_and_access, read_units)


class Accessibility(YrdGeoAlgorithm):
    ID = "accessibility"
    DISPLAY_NAME = "Accessibility indicators"
    GROUP_ID = "network"
    REQUIRES = NETWORK_PACKAGES

    def define(self, config):
        define_units(self)
        self.add_field("OPPORTUNITIES", "Opportunities field (population, jobs…; empty: each unit counts 1)",
                       "UNITS", optional=True)
        define_network(self)
        self.add_string("CENTRE", "Centre (name or adcode)", default="上海市", optional=False)
        self.add_string("THRESHOLDS", "Cumulative-opportunity thresholds (minutes, comma-separated)",
                        default="60, 90, 120", optional=False)
        self.add_choice("DECAY", "Hansen decay", {"exponential": "Exponential (half-life)", "power": "Power"},
                        library="yrdgeo.accessibility.DECAYS")
        self.add_number("HALF_LIFE_MIN", "Half-life (minutes)", default=60.0, minimum=1)
        self.add_number("POWER", "Power exponent", default=2.0, minimum=0.1)
        define_access(self)
        self.add_sink("OUTPUT", "Accessibility", geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility

        units = read_units(self, parameters, context, feedback, yrdgeo)
        opportunities = None
        if self.is_given(parameters, "UNITS"):
            fields = self.read_source(parameters, "UNITS", context).fields()
            opportunities = self.read_field(parameters, "OPPORTUNITIES", fields, context)
        thresholds = self.read_numbers(parameters, "THRESHOLDS", context, example="60, 90, 120")
        centre = self.read_unit(parameters, "CENTRE", context)
        net, access = network_and_access(self, parameters, context, feedback)
        feedback.setProgress(30)
        result = accessibility.accessibility(
            net, units, centre=centre,
            opportunities=opportunities, thresholds=thresholds,
            decay=self.read_choice(parameters, "DECAY", context),
            half_life_min=self.parameterAsDouble(parameters, "HALF_LIFE_MIN", context),
            power=self.parameterAsDouble(parameters, "POWER", context), **access)
        log_access_legs(feedback, result.od.access, access["access_speed_kmh"])
        feedback.pushInfo(tr("Centre {centre}; decay {decay}.").format(centre=result.centre, decay=result.decay))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, result.frame, feedback)}
