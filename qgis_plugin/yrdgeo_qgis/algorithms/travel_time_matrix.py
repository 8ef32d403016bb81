"""Travel-time matrix (minutes) between units over the bundled or the user's network, as a long table."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..i18n import tr, tr_noop
from ._network import (NETWORK_PACKAGES, define_access, define_network, define_units, log_access_legs,
                       network_and_access, read_places, read_units)


class TravelTimeMatrix(YrdGeoAlgorithm):
    ID = "travel_time_matrix"
    DISPLAY_NAME = "Travel-time matrix"
    GROUP_ID = "network"
    REQUIRES = NETWORK_PACKAGES

    def define(self, config):
        define_units(self, description=tr_noop("Origins (polygons or points; empty: the 41 cities)"))
        define_units(self, "DESTINATIONS", tr_noop("Destinations (empty: the origins)"))
        define_network(self)
        self.add_number("CUTOFF_MIN", "Stop searching after (minutes; empty: no limit)", default=None, minimum=1,
                        optional=True)
        define_access(self)
        self.add_sink("OUTPUT", "Travel times (from, to, minutes, status)", geometry=QgsProcessing.SourceType.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility, od

        origins = read_units(self, parameters, context, feedback, yrdgeo)
        destinations = read_places(self, parameters, "DESTINATIONS", context, feedback)
        cutoff = self.read_number(parameters, "CUTOFF_MIN", context)
        net, access = network_and_access(self, parameters, context, feedback)
        tt = accessibility.od_matrix(net, origins, destinations, cutoff_min=cutoff, **access)
        log_access_legs(feedback, tt.access, access["access_speed_kmh"])
        # the library's OD table (from_adcode, to_adcode, minutes, status), which yrdgeo.od.read reads back
        table = od.to_long(tt.minutes, unreachable=tt.unreachable,
                           key="adcode" if "adcode" in origins.columns else "id")
        feedback.pushInfo(tr("{n} pairs, {u} without a time.").format(
            n=len(table), u=int((table.status != od.STATUS_OK).sum())))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, table, feedback)}
