"""Travel-time bands from one origin over units, points or a grid of cells: per target, or as polygons (isochrones)."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import parameter_message
from ..i18n import tr
from ._network import NETWORK_PACKAGES, define_access, define_network, network_and_access, read_places


class Isochrones(YrdGeoAlgorithm):
    ID = "isochrones"
    DISPLAY_NAME = "Isochrones (travel-time bands)"
    GROUP_ID = "network"
    REQUIRES = NETWORK_PACKAGES

    def define(self, config):
        self.add_string("ORIGIN", "Origin (unit name or adcode)", default="上海市", optional=False)
        self.add_source("TARGETS", "Targets (units, points or cells; empty: a grid over the YRD)",
                        geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True)
        self.add_number("CELL_KM", "Grid cell size (km) when no targets are given", default=20.0, minimum=1)
        self.add_string("BANDS", "Band limits (minutes, comma-separated)", default="30, 60, 90, 120", optional=False)
        self.add_choice("SHAPE", "Output", {
            "grid": "The targets (cells, units or points), each with its time and band",
            "polygons": "One polygon per band, dissolved from the cells and smoothed"},
            library="yrdgeo.accessibility.ISOCHRONE_SHAPES", default="polygons")
        self.set_help("SHAPE", tr(
            "Polygons (default): the cells (or polygon targets) of each band dissolved into one polygon, smoothed "
            "by a buffer out and back in of half a cell, clipped to the cells; points cannot be dissolved. Grid: "
            "every target with its travel time and band."))
        self.add_bool("NESTED", "Polygons from the origin (0–60 holds 0–30) instead of rings (30–60)")
        define_network(self)
        define_access(self)
        self.add_sink("OUTPUT", "Isochrones", geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility

        bands = self.read_numbers(parameters, "BANDS", context, example="30, 60, 90")
        origin = self.read_unit(parameters, "ORIGIN", context)
        targets = read_places(self, parameters, "TARGETS", context, feedback)
        if targets is None:
            cell = self.parameterAsDouble(parameters, "CELL_KM", context)
            with self.about("CELL_KM"):
                targets = accessibility.grid(yrdgeo.load_units("province"), cell_km=cell)
            feedback.pushInfo(tr("{n} grid cells of {km} km over the YRD; each cell joins the network from its "
                                 "centre.").format(n=len(targets), km=cell))
        shape = self.read_choice(parameters, "SHAPE", context)
        if shape == "polygons" and not targets.geom_type.isin(["Polygon", "MultiPolygon"]).all():
            raise QgsProcessingException(parameter_message(["SHAPE", "TARGETS"], tr(
                "Polygons are dissolved from polygon targets (cells or units); these targets are points. Choose the "
                "grid output, or give polygons.")))
        net, access = network_and_access(self, parameters, context, feedback)
        frame = accessibility.isochrones(net, origin, targets, bands=bands, shape=shape,
                                         nested=self.parameterAsBool(parameters, "NESTED", context), **access)
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, frame, feedback)}
