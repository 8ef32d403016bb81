"""Load YRD units: one level (optionally some provinces), or a region group's members as of a date."""

from qgis.core import QgsProcessingException

from ..base import LEVEL_LABELS, YrdGeoAlgorithm
from ..convert import parameter_message
from ..i18n import tr


class LoadUnits(YrdGeoAlgorithm):
    ID = "load_units"
    DISPLAY_NAME = "Load YRD units"
    GROUP_ID = "units"

    def define(self, config):
        self.add_choice("LEVEL", "Level", LEVEL_LABELS, library="yrdgeo.units.LEVELS", default="city")
        self.add_string("PROVINCE", "Provinces (names or adcodes, comma-separated; empty: all four)")
        self.add_string("GROUP", "Region group id or series (e.g. g60, yrd_city_cluster_2016; empty: none)")
        self.add_string("AS_OF", "Group membership as of date (YYYY-MM-DD; needed for a series)")
        self.add_choice("GROUP_LEVEL", "Group units: as listed, or every unit of one level the group covers",
                        {None: "Members as listed", **LEVEL_LABELS}, library="yrdgeo.units.LEVELS", optional=True)
        self.add_sink("OUTPUT", "YRD units")

    def compute(self, parameters, context, feedback, yrdgeo):
        level = self.read_choice(parameters, "LEVEL", context)
        provinces = self.read_list(parameters, "PROVINCE", context)
        group = self.read_string(parameters, "GROUP", context)
        if group:
            if provinces:
                raise QgsProcessingException(parameter_message(["GROUP", "PROVINCE"], tr(
                    "Give either a region group or provinces, not both.")))
            as_of = self.read_date(parameters, "AS_OF", context)
            with self.about("GROUP", "AS_OF"):
                frame = yrdgeo.group_members(group, as_of=as_of,
                                             level=self.read_choice(parameters, "GROUP_LEVEL", context))
            if frame.empty:
                raise QgsProcessingException(parameter_message(["GROUP", "AS_OF"], tr(
                    "The region group “{group}” had no members on {date}.").format(group=group, date=as_of)))
            feedback.pushInfo(tr("{n} members of {group}; the LEVEL parameter does not apply to a group.")
                              .format(n=len(frame), group=frame.group_id.iloc[0]))
        else:
            if self.read_string(parameters, "AS_OF", context):
                raise QgsProcessingException(parameter_message(["AS_OF", "GROUP"], tr(
                    "A date (AS_OF) applies only to a region group; give GROUP too.")))
            with self.about("PROVINCE"):
                frame = yrdgeo.load_units(level, province=provinces or None)
            feedback.pushInfo(tr("{n} units at level {level}.").format(n=len(frame), level=level))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, frame, feedback, style="units")}
