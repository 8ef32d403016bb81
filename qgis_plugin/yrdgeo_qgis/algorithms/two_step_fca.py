"""Two-step floating catchment (2SFCA) access of demand units to supply sites within a travel time."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ._network import NETWORK_PACKAGES, define_access, define_network, network_and_access, read_units


class TwoStepFCA(YrdGeoAlgorithm):
    ID = "two_step_fca"
    DISPLAY_NAME = "Two-step floating catchment (2SFCA)"
    GROUP_ID = "network"
    REQUIRES = NETWORK_PACKAGES

    def define(self, config):
        self.add_source("DEMAND", "Demand units (polygons or points)",
                        geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry)
        self.add_field("DEMAND_FIELD", "Demand field (e.g. population)", "DEMAND")
        self.add_source("SUPPLY", "Supply sites (polygons or points)",
                        geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry)
        self.add_field("SUPPLY_FIELD", "Supply field (e.g. hospital beds)", "SUPPLY")
        self.add_number("CATCHMENT_MIN", "Catchment (minutes)", default=60.0, minimum=1)
        define_network(self)
        define_access(self)
        self.add_sink("OUTPUT", "2SFCA access", geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry)
        self.add_sink("SUPPLY_RATIOS", "Supply-to-demand ratios per site",
                      geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility

        demand_field = self.read_field(parameters, "DEMAND_FIELD", self.read_source(parameters, "DEMAND", context).fields(),
                                       context)
        supply_field = self.read_field(parameters, "SUPPLY_FIELD", self.read_source(parameters, "SUPPLY", context).fields(),
                                       context)
        demand = read_units(self, parameters, context, feedback, yrdgeo, name="DEMAND")
        supply = read_units(self, parameters, context, feedback, yrdgeo, name="SUPPLY")
        net, access = network_and_access(self, parameters, context, feedback)
        result = accessibility.two_step_fca(net, demand, supply, demand_column=demand_field, supply_column=supply_field,
                                            catchment_min=self.parameterAsDouble(parameters, "CATCHMENT_MIN", context),
                                            **access)
        return self.write_frames(parameters, context, {"OUTPUT": (result.demand, None),
                                                       "SUPPLY_RATIOS": (result.supply, None)}, feedback)
