"""Travel-time matrix (minutes) between units over the bundled or the user's network, as a long table."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr
from ._network import (access_options, anchor_places, define_access, define_network, log_access_legs,
                       read_network, read_units)


class TravelTimeMatrix(YrdGeoAlgorithm):
    ID = "travel_time_matrix"
    DISPLAY_NAME = "Travel-time matrix"
    GROUP_ID = "network"
    REQUIRES = ("geopandas", "scipy", "networkx")

    def define(self, config):
        self.add_source("UNITS", "Origins (polygons or points; empty: the 41 cities)",
                        geometry=QgsProcessing.TypeVectorAnyGeometry, optional=True)
        self.add_source("DESTINATIONS", "Destinations (empty: the origins)",
                        geometry=QgsProcessing.TypeVectorAnyGeometry, optional=True)
        define_network(self)
        self.add_number("CUTOFF_MIN", "Stop searching after (minutes; empty: no limit)", default=None, minimum=1,
                        optional=True)
        define_access(self)
        self.add_sink("OUTPUT", "Travel times (from, to, minutes, status)", geometry=QgsProcessing.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        import pandas as pd

        from yrdgeo import accessibility

        origins = read_units(self, parameters, context, feedback, yrdgeo)
        destinations = None
        if parameters.get("DESTINATIONS") not in (None, ""):
            destinations = self.read_frame(parameters, "DESTINATIONS", context, feedback)
            destinations = anchor_places(self, parameters, "DESTINATIONS", destinations, context, feedback)
        cutoff = parameters.get("CUTOFF_MIN")
        cutoff = None if cutoff in (None, "") else self.parameterAsDouble(parameters, "CUTOFF_MIN", context)
        as_of = self.read_date(parameters, "AS_OF", context)
        access = access_options(self, parameters, context, feedback)
        net = read_network(self, parameters, context, feedback, as_of=as_of)
        check_cancelled(feedback)
        tt = accessibility.od_matrix(net, origins, destinations, cutoff_min=cutoff, **access)
        log_access_legs(feedback, tt.access, access["access_speed_kmh"])
        # long form with the column names yrdgeo.enclaves.read_travel_time reads back
        name = "adcode" if "adcode" in origins.columns else "id"
        table = tt.minutes.rename_axis(index=f"from_{name}", columns=f"to_{name}").stack(dropna=False)
        table = table.rename("minutes").reset_index()
        reasons = tt.unreachable.rename(columns={"origin": f"from_{name}", "destination": f"to_{name}",
                                                 "reason": "status"})
        table = table.merge(reasons, on=[f"from_{name}", f"to_{name}"], how="left")
        table["status"] = table["status"].fillna("ok")
        feedback.pushInfo(tr("{n} pairs, {u} without a time.").format(n=len(table), u=int((table.status != "ok").sum())))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, pd.DataFrame(table), feedback)}
