"""Location quotients (区位熵) LQik = (qik/qi)/(qk/q) of every unit and sector of a sector table."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr
from ._indicators import define_sectors, has_geometry, read_sectors, with_units


class LocationQuotients(YrdGeoAlgorithm):
    ID = "location_quotients"
    DISPLAY_NAME = "Location quotients"
    GROUP_ID = "statistics"

    def define(self, config):
        define_sectors(self)
        self.add_sink("OUTPUT", "Location quotients (one row per unit, one field per sector)",
                      geometry=QgsProcessing.SourceType.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import indicators

        table, sectors = read_sectors(self, parameters, context, feedback)
        check_cancelled(feedback)
        with self.about("TABLE", "SECTORS"):
            lq = indicators.location_quotient(table, sectors=sectors, key="adcode")
        feedback.pushInfo(tr("Location quotients of {n} units in {k} sectors; above 1: more of the unit's "
                             "activity in that sector than in the whole table's.").format(n=len(lq), k=len(sectors)))
        frame = with_units(yrdgeo, lq, geometry=has_geometry(self, parameters, context))
        return self.write_frames(parameters, context, {"OUTPUT": (frame, None)}, feedback)
