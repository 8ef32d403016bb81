"""Two-step floating catchment (2SFCA) access of demand units to supply sites within a travel time."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ._network import define_network, read_network


class TwoStepFCA(YrdGeoAlgorithm):
    ID = "two_step_fca"
    DISPLAY_NAME = "Two-step floating catchment (2SFCA)"
    GROUP_ID = "network"
    REQUIRES = ("geopandas", "scipy", "networkx")

    def define(self, config):
        self.add_source("DEMAND", "Demand units (polygons or points)", geometry=QgsProcessing.TypeVectorAnyGeometry)
        self.add_field("DEMAND_FIELD", "Demand field (e.g. population)", "DEMAND")
        self.add_source("SUPPLY", "Supply sites (polygons or points)", geometry=QgsProcessing.TypeVectorAnyGeometry)
        self.add_field("SUPPLY_FIELD", "Supply field (e.g. hospital beds)", "SUPPLY")
        self.add_number("CATCHMENT_MIN", "Catchment (minutes)", default=60.0, minimum=1)
        define_network(self)
        self.add_sink("OUTPUT", "2SFCA access", geometry=QgsProcessing.TypeVectorAnyGeometry)
        self.add_sink("SUPPLY_RATIOS", "Supply-to-demand ratios per site", geometry=QgsProcessing.TypeVectorAnyGeometry)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility

        demand_field = self.read_field(parameters, "DEMAND_FIELD", self.read_source(parameters, "DEMAND", context).fields(),
                                       context)
        supply_field = self.read_field(parameters, "SUPPLY_FIELD", self.read_source(parameters, "SUPPLY", context).fields(),
                                       context)
        demand = self.read_frame(parameters, "DEMAND", context, feedback)
        supply = self.read_frame(parameters, "SUPPLY", context, feedback)
        as_of = (self.parameterAsString(parameters, "AS_OF", context) or "").strip() or None
        net = read_network(self, parameters, context, feedback, as_of=as_of)
        check_cancelled(feedback)
        result = accessibility.two_step_fca(net, demand, supply, demand_column=demand_field, supply_column=supply_field,
                                            catchment_min=self.parameterAsDouble(parameters, "CATCHMENT_MIN", context))
        return self.write_frames(parameters, context, {"OUTPUT": (result.demand, None),
                                                       "SUPPLY_RATIOS": (result.supply, None)}, feedback)
