"""Build a corridor (bundled G60/沪宁合/沪杭甬 or the user's CSV): members, centrelines, bands, wings, units near it."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import LEVEL_LABELS, YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr


class Corridor(YrdGeoAlgorithm):
    ID = "corridor"
    DISPLAY_NAME = "Corridor, wings and band"
    GROUP_ID = "corridors"

    def define(self, config):
        self.add_string("CORRIDOR", "Bundled corridor (g60, hu_ning_he, hu_hang_yong or its name)", default="g60")
        self.add_file("CORRIDOR_FILE", "Or your corridor file (CSV: wing, order, unit_zh or adcode)", extension="csv")
        self.add_string("VERSION", "Version (e.g. 2.0; empty: the latest)")
        self.add_string("AS_OF", "Or as of date (YYYY-MM-DD)")
        self.add_number("WIDTH_KM", "Band width on each side (km)", default=30.0, minimum=0.1)
        # counties first: the units a band is drawn for (the order saved models know)
        self.add_choice("UNITS_LEVEL", "Units to test against the band", {
            "county": LEVEL_LABELS["county"], "city": LEVEL_LABELS["city"], None: "Do not test units"})
        self.add_source("UNITS_LAYER", "Or your own units layer (any CRS)", optional=True)
        self.add_sink("MEMBERS", "Corridor members")
        self.add_sink("CENTRELINES", "Wing centrelines", geometry=QgsProcessing.SourceType.TypeVectorLine)
        self.add_sink("BANDS", "Corridor bands")
        self.add_sink("WINGS", "Wings")
        self.add_sink("UNITS", "Units near the corridor", optional=True)
        self.add_sink("SUMMARY", "Wing summary", geometry=QgsProcessing.SourceType.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import corridors

        path = self.parameterAsFile(parameters, "CORRIDOR_FILE", context)
        version = self.read_string(parameters, "VERSION", context)
        as_of = self.read_date(parameters, "AS_OF", context)
        if path:
            if version or as_of:
                raise QgsProcessingException(parameter_message(["CORRIDOR_FILE", "VERSION", "AS_OF"], tr(
                    "VERSION and AS_OF apply to bundled corridors, not to a file.")))
            with self.about("CORRIDOR_FILE"):
                corridor = corridors.read_corridor(path)
        else:
            name = self.read_string(parameters, "CORRIDOR", context)
            if not name:
                raise QgsProcessingException(parameter_message(["CORRIDOR", "CORRIDOR_FILE"], tr(
                    "Name a bundled corridor or give a corridor file.")))
            with self.about("CORRIDOR", "VERSION", "AS_OF"):
                corridor = corridors.load_corridor(name, version=version, as_of=as_of)
        units = self.read_frame(parameters, "UNITS_LAYER", context, feedback)
        if units is None:
            units = self.read_choice(parameters, "UNITS_LEVEL", context)
        width = self.parameterAsDouble(parameters, "WIDTH_KM", context)
        feedback.pushInfo(tr("{name}: hub {hub}, wings {wings}; band {w} km on each side.").format(
            name=corridor.name_zh or corridor.corridor_id, hub=corridor.hub, wings=", ".join(corridor.wings), w=width))
        result = corridors.analyze_corridor(corridor, width, units=units)
        feedback.setProgress(70)
        check_cancelled(feedback)
        outputs = {"MEMBERS": (result.members, "units"), "CENTRELINES": (result.centrelines, "corridor_lines"),
                   "BANDS": (result.bands, "corridor_wings"), "WINGS": (result.wings, "corridor_wings"),
                   "SUMMARY": (result.summary, None)}
        if result.units is not None:
            outputs["UNITS"] = (result.units, "units")
        return self.write_frames(parameters, context, outputs, feedback)
