"""Gravity-model economic linkage (经济联系强度) and affiliation (经济隶属度) between the units of a table."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr
from ._network import NETWORK_PACKAGES, access_options, define_access, define_network, read_network


class GravityLinkage(YrdGeoAlgorithm):
    ID = "gravity_linkage"
    DISPLAY_NAME = "Economic linkage (gravity model)"
    GROUP_ID = "network"
    REQUIRES = NETWORK_PACKAGES

    def define(self, config):
        self.add_source("TABLE", "Table of units with population and GDP (any layer or table)",
                        geometry=QgsProcessing.SourceType.TypeVector)
        self.add_field("POPULATION", "Population field (P)", "TABLE")
        self.add_field("GDP", "GDP field (G)", "TABLE")
        self.add_field("KEY", "Unit field: adcode or name (empty: found by its name)", "TABLE", numeric=False,
                       optional=True)
        self.add_choice("DISTANCE", "Distance D between units", {
            "geodesic": "Seat-to-seat geodesic distance (km)",
            "travel_time": "Travel time over the network (minutes)"}, library="yrdgeo.linkage.DISTANCES")
        self.add_number("B", "Distance-decay exponent b", default=2.0, minimum=0.01)
        self.add_number("K", "Gravity constant k", default=1.0, minimum=1e-12)
        self.add_number("TOP", "Desire lines: strongest links drawn (0: every linked pair)", default=10, minimum=0,
                        integer=True)
        define_network(self)
        define_access(self, anchors=False)
        self.add_sink("OUTPUT", "Linkage pairs (i, j, D, R, F, status)", geometry=QgsProcessing.SourceType.TypeVector)
        self.add_sink("TOTALS", "Total linkage per unit")
        self.add_sink("DESIRE_LINES", "Strongest links (desire lines)", geometry=QgsProcessing.SourceType.TypeVectorLine)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import linkage

        fields = self.read_source(parameters, "TABLE", context).fields()
        population = self.read_field(parameters, "POPULATION", fields, context)
        gdp = self.read_field(parameters, "GDP", fields, context)
        key = self.read_field(parameters, "KEY", fields, context, numeric=False)
        table = self.read_table(parameters, "TABLE", context, feedback)
        distance = self.read_choice(parameters, "DISTANCE", context)
        network, access = None, {}
        if distance == "travel_time":
            access = access_options(self, parameters, context, feedback)
            as_of = self.read_date(parameters, "AS_OF", context)
            network = read_network(self, parameters, context, feedback, as_of=as_of)
        else:
            given = [name for name in ("LINES", "AS_OF") if self.is_given(parameters, name)]
            if given:
                raise QgsProcessingException(parameter_message([*given, "DISTANCE"], tr(
                    "A network and its date apply to travel-time distance; set DISTANCE to travel time, or leave "
                    "{names} empty.").format(names=", ".join(given))))
        check_cancelled(feedback)
        with self.about("TABLE", "POPULATION", "GDP"):
            res = linkage.gravity_linkage(table, population=population, gdp=gdp, key=key, distance=distance,
                                          network=network, b=self.parameterAsDouble(parameters, "B", context),
                                          k=self.parameterAsDouble(parameters, "K", context), **access)
        feedback.pushInfo(res.explanation)
        top = self.read_number(parameters, "TOP", context) or None
        totals = yrdgeo.select_units(list(res.totals["adcode"]))[["adcode", "geometry"]].merge(
            res.totals, on="adcode")
        if len(res.unreachable):
            feedback.pushWarning(tr("{n} ordered pairs have no travel time: R and F are empty there (status says "
                                    "why), and they are left out of each unit's total.").format(n=len(res.unreachable)))
        return self.write_frames(parameters, context, {
            "OUTPUT": (res.pairs, None), "TOTALS": (totals, None),
            "DESIRE_LINES": (res.desire_lines(top), None)}, feedback)
