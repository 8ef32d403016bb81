"""Industrial structure similarity (UNIDO 产业结构相似系数) Sij between the units of a sector table."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr
from ._indicators import define_sectors, has_geometry, matrix_outputs, read_sectors


class StructureSimilarity(YrdGeoAlgorithm):
    ID = "structure_similarity"
    DISPLAY_NAME = "Industrial structure similarity"
    GROUP_ID = "statistics"

    def define(self, config):
        define_sectors(self)
        self.add_sink("OUTPUT", "Similarity matrix (one row per unit, one field per unit)",
                      geometry=QgsProcessing.SourceType.TypeVector)
        self.add_sink("PAIRS", "Similarity of each pair (seat-to-seat lines)",
                      geometry=QgsProcessing.SourceType.TypeVectorLine, optional=True)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import indicators

        table, sectors = read_sectors(self, parameters, context, feedback)
        check_cancelled(feedback)
        with self.about("TABLE", "SECTORS"):
            matrix = indicators.structure_similarity(table, sectors=sectors, key="adcode")
        feedback.pushInfo(tr("Structure similarity of {n} units over {k} sectors (1: the same structure).").format(
            n=len(matrix), k=len(sectors)))
        outputs = matrix_outputs(self, parameters, yrdgeo, matrix, value="similarity",
                                 geometry=has_geometry(self, parameters, context))
        return self.write_frames(parameters, context, outputs, feedback)
