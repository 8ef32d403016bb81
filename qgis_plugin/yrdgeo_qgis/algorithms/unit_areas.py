"""Add polygon areas in km², measured in an equal-area CRS or geodesically (never in degrees)."""

from qgis.core import QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import parameter_message
from ..i18n import tr


class UnitAreas(YrdGeoAlgorithm):
    ID = "unit_areas"
    DISPLAY_NAME = "Polygon areas (km²)"
    GROUP_ID = "units"

    def define(self, config):
        self.add_source("INPUT", "Polygon layer")
        self.add_choice("METHOD", "Method", {"equal_area": "Equal-area projection (YRD Albers)",
                                             "geodesic": "Geodesic (WGS84 ellipsoid)"},
                        library="yrdgeo.crs.AREA_METHODS")
        self.add_string("COLUMN", "Name of the area column", default="area_km2", optional=False)
        self.add_sink("OUTPUT", "Polygons with areas")

    def compute(self, parameters, context, feedback, yrdgeo):
        method = self.read_choice(parameters, "METHOD", context)
        column = self.read_string(parameters, "COLUMN", context)
        if not column:
            raise QgsProcessingException(parameter_message(["COLUMN"], tr(
                "The area column needs a name, e.g. area_km2.")))
        fields = self.read_source(parameters, "INPUT", context).fields()
        if fields.lookupField(column) >= 0:
            feedback.pushInfo(tr("The input field {column} is replaced by the computed areas in the output "
                                 "(the input layer keeps it).").format(column=column))
        frame = self.read_frame(parameters, "INPUT", context, feedback)  # invalid polygons repaired and reported
        out = yrdgeo.with_area(frame, column=column, method=method)
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, out, feedback)}
