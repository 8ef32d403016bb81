"""Travel time to a centre on two dates and the gain: who gained most from the network that opened between them."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..i18n import tr
from ._network import (NETWORK_PACKAGES, define_access, define_network, define_units, network_and_access,
                       read_units)


class AccessibilityChange(YrdGeoAlgorithm):
    ID = "accessibility_change"
    DISPLAY_NAME = "Accessibility change between two dates"
    GROUP_ID = "network"
    REQUIRES = NETWORK_PACKAGES

    def define(self, config):
        define_units(self)
        define_network(self, dated=False)
        self.add_string("BEFORE", "Earlier date (YYYY-MM-DD)", default="2010-01-01", optional=False)
        self.add_string("AFTER", "Later date (YYYY-MM-DD)", default="2020-01-01", optional=False)
        self.add_string("CENTRE", "Centre (name or adcode)", default="上海市", optional=False)
        define_access(self)
        self.add_sink("OUTPUT", "Travel-time change", geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility

        before, after = self.read_date_pair(parameters, "BEFORE", "AFTER", context)
        centre = self.read_unit(parameters, "CENTRE", context)
        units = read_units(self, parameters, context, feedback, yrdgeo)
        net, access = network_and_access(self, parameters, context, feedback)
        result = accessibility.compare_dates(net, units, before, after, centre=centre, **access)
        feedback.pushInfo(tr("Travel time to {centre} on {before} and on {after}.").format(
            centre=result.centre, before=result.before, after=result.after))
        top = result.top(3)
        feedback.pushInfo(tr("Largest gains: {}").format(", ".join(
            f"{n} {g:.0f} min" for n, g in zip(top.get("name_zh", top.index), top.gain_min))))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, result.frame, feedback)}
