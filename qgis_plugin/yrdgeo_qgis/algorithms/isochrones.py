"""Travel-time bands from one origin over units, points or a grid of cells (isochrones)."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr
from ._network import define_network, read_network


class Isochrones(YrdGeoAlgorithm):
    ID = "isochrones"
    DISPLAY_NAME = "Isochrones (travel-time bands)"
    GROUP_ID = "network"
    REQUIRES = ("geopandas", "scipy", "networkx")

    def define(self, config):
        self.add_string("ORIGIN", "Origin (unit name or adcode)", default="上海市", optional=False)
        self.add_source("TARGETS", "Targets (units, points or cells; empty: a grid over the YRD)",
                        geometry=QgsProcessing.TypeVectorAnyGeometry, optional=True)
        self.add_number("CELL_KM", "Grid cell size (km) when no targets are given", default=20.0, minimum=1)
        self.add_string("BANDS", "Band limits (minutes, comma-separated)", default="30, 60, 90, 120", optional=False)
        define_network(self)
        self.add_sink("OUTPUT", "Isochrones", geometry=QgsProcessing.TypeVectorAnyGeometry)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import accessibility

        try:
            bands = [float(b) for b in self.read_list(parameters, "BANDS", context)]
        except ValueError:
            raise QgsProcessingException(tr("Band limits must be minutes separated by commas, e.g. 30, 60, 90.")) from None
        if parameters.get("TARGETS") in (None, ""):
            cell = self.parameterAsDouble(parameters, "CELL_KM", context)
            targets = accessibility.grid(yrdgeo.load_units("province"), cell_km=cell)
            feedback.pushInfo(tr("{n} grid cells of {km} km over the YRD.").format(n=len(targets), km=cell))
        else:
            targets = self.read_frame(parameters, "TARGETS", context, feedback)
        as_of = (self.parameterAsString(parameters, "AS_OF", context) or "").strip() or None
        net = read_network(self, parameters, context, feedback, as_of=as_of)
        check_cancelled(feedback)
        frame = accessibility.isochrones(net, self.parameterAsString(parameters, "ORIGIN", context).strip(), targets,
                                         bands=bands)
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, frame, feedback)}
