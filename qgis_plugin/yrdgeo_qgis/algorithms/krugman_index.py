"""Krugman specialisation index: Kij between pairs of units, or Ki of each unit against a reference structure."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr
from ._indicators import define_sectors, has_geometry, matrix_outputs, read_sectors, with_units


class KrugmanIndex(YrdGeoAlgorithm):
    ID = "krugman_index"
    DISPLAY_NAME = "Krugman specialisation index"
    GROUP_ID = "statistics"

    def define(self, config):
        define_sectors(self)
        self.add_choice("REFERENCE", "Compared with", {
            None: "Each other unit (pairwise matrix Kij)",
            "region": "The whole table's structure (Ki)",
            "rest": "All other units together (Ki)"}, library="yrdgeo.indicators.KRUGMAN_REFERENCES")
        self.add_bool("AS_SHARES", "Sector fields are shares already (pairwise matrix only)")
        self.add_sink("OUTPUT", "Krugman index (one row per unit)", geometry=QgsProcessing.SourceType.TypeVector)
        self.add_sink("PAIRS", "Krugman index of each pair (seat-to-seat lines; pairwise matrix only)",
                      geometry=QgsProcessing.SourceType.TypeVectorLine, optional=True)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import indicators

        reference = self.read_choice(parameters, "REFERENCE", context)
        as_shares = self.parameterAsBoolean(parameters, "AS_SHARES", context)
        if reference is not None and as_shares:
            raise QgsProcessingException(parameter_message(["AS_SHARES", "REFERENCE"], tr(
                "A reference structure needs sector quantities, not shares (shares would weight every unit "
                "alike); switch AS_SHARES off, or compare each pair of units.")))
        table, sectors = read_sectors(self, parameters, context, feedback)
        geometry = has_geometry(self, parameters, context)
        check_cancelled(feedback)
        with self.about("TABLE", "SECTORS"):
            if reference is None:
                matrix = indicators.krugman_index(table, sectors=sectors, key="adcode", as_shares=as_shares)
            else:
                values = indicators.krugman_regional(table, sectors=sectors, key="adcode", reference=reference)
        if reference is None:
            feedback.pushInfo(tr("Krugman index of {n} units, pair by pair (0: the same structure, 2: no sector "
                                 "in common).").format(n=len(matrix)))
            outputs = matrix_outputs(self, parameters, yrdgeo, matrix, value="krugman", geometry=geometry)
        else:
            outputs = {"OUTPUT": (with_units(yrdgeo, values, geometry=geometry), None)}
        return self.write_frames(parameters, context, outputs, feedback)
