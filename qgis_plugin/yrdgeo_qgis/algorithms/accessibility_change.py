"""Travel time to a centre on two dates and the gain: who gained most from the network that opened between them."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..i18n import tr
from ._network import define_network, read_network, read_units


class AccessibilityChange(YrdGeoAlgorithm):
    ID = "accessibility_change"
    DISPLAY_NAME = "Accessibility change between two dates"
    GROUP_ID = "network"
    REQUIRES = ("geopandas", "scipy", "networkx")

    def define(self, config):
        self.add_source("UNITS", "Units (polygons or points; empty: the 41 cities)",
                        geometry=QgsProcessing.TypeVectorAnyGeometry, optional=True)
        define_network(self, dated=False)
        self.add_string("BEFORE", "Earlier date (YYYY-MM-DD)", default="2010-01-01", optional=False)
        self.add_string("AFTER", "Later date (YYYY-MM-DD)", default="2020-01-01", optional=False)
        self.add_string("CENTRE", "Centre (name or adcode)", default="上海市", optional=False)
        self.add_sink("OUTPUT", "Travel-time change", geometry=QgsProcessing.TypeVectorAnyGeometry)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility

        units = read_units(self, parameters, context, feedback, yrdgeo)
        before = self.parameterAsString(parameters, "BEFORE", context).strip()
        after = self.parameterAsString(parameters, "AFTER", context).strip()
        if not before or not after:
            raise QgsProcessingException(tr("Give both dates, e.g. 2010-01-01 and 2020-01-01."))
        net = read_network(self, parameters, context, feedback)
        result = accessibility.compare_dates(net, units, before, after,
                                             centre=self.parameterAsString(parameters, "CENTRE", context).strip())
        top = result.top(3)
        feedback.pushInfo(tr("Largest gains: {}").format(", ".join(
            f"{n} {g:.0f} min" for n, g in zip(top.get("name_zh", top.index), top.gain_min))))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, result.frame, feedback)}
