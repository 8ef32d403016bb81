"""Entropy-weight composite index (熵权法) of criteria fields, one row per unit or per unit-year of a panel."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr
from ._indicators import has_geometry, with_units


class EntropyIndex(YrdGeoAlgorithm):
    ID = "entropy_index"
    DISPLAY_NAME = "Entropy-weight composite index"
    GROUP_ID = "statistics"

    def define(self, config):
        self.add_source("TABLE", "Table of units (any layer or table)",
                        geometry=QgsProcessing.SourceType.TypeVector)
        self.add_field("CRITERIA", "Criteria fields", "TABLE", multiple=True)
        self.add_field("COST", "Cost criteria (smaller is better) among the fields above", "TABLE", multiple=True,
                       optional=True)
        self.add_number("EPSILON", "Shift of the normalised values in the entropy step (0: 0·ln 0 = 0)",
                        default=0.0, minimum=0.0)
        self.add_choice("MISSING", "Units with a missing value", {
            "error": "Stop and list them", "drop": "Leave those units out"},
            library="yrdgeo.indicators.MISSING_POLICIES")
        self.add_field("YEAR", "Year field of a panel, one row per unit-year (global entropy; empty: one row "
                       "per unit)", "TABLE", numeric=False, optional=True)
        self.add_field("KEY", "Unit field: adcode or name (empty: found by its name)", "TABLE", numeric=False,
                       optional=True)
        self.add_string("COLUMN", "Name of the index field", default="entropy_index", optional=False)
        self.add_sink("OUTPUT", "Entropy index", geometry=QgsProcessing.SourceType.TypeVector)
        self.add_sink("WEIGHTS", "Criteria weights (weight, entropy, divergence)",
                      geometry=QgsProcessing.SourceType.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import indicators, inputs

        fields = self.read_source(parameters, "TABLE", context).fields()
        criteria = self.read_fields(parameters, "CRITERIA", fields, context)
        cost = self.read_fields(parameters, "COST", fields, context)
        stray = [c for c in cost if c not in criteria]
        if stray:
            raise QgsProcessingException(parameter_message(["COST", "CRITERIA"], tr(
                "The cost fields {fields} are not among the criteria; choose them in CRITERIA too.").format(
                fields=", ".join(stray))))
        year = self.read_field(parameters, "YEAR", fields, context, numeric=False)
        key = self.read_field(parameters, "KEY", fields, context, numeric=False)
        column = self.read_string(parameters, "COLUMN", context) or "entropy_index"
        options = {"column": column, "epsilon": self.parameterAsDouble(parameters, "EPSILON", context),
                   "missing": self.read_choice(parameters, "MISSING", context)}
        directions = {c: "cost" if c in cost else "benefit" for c in criteria}
        table = self.read_table(parameters, "TABLE", context, feedback)
        check_cancelled(feedback)
        with self.about("TABLE", "CRITERIA"):
            if year is None:  # one row per unit: through the table gate, keyed by adcode
                data = inputs.read_table(table, key=key, columns=criteria, what=tr("table of units")).data
                res = indicators.entropy_index(data, directions, **options)
            else:  # a panel: unit-years as they are, the unit field resolved to adcodes for the geometry
                res = indicators.entropy_index(table, directions, year=year, key=key, **options)
        frame = res.frame
        if year is not None and key is not None:
            with self.about("KEY"):
                frame = frame.assign(adcode=[yrdgeo.resolve(v) for v in frame[key]])
        if year is None or key is not None:  # rows known by adcode: unit names (and polygons for a layer)
            frame = with_units(yrdgeo, frame, geometry=has_geometry(self, parameters, context))
        feedback.pushInfo(tr("Entropy weights: {weights}.").format(
            weights=", ".join(f"{c} {w:.4f}" for c, w in res.weights.items())))
        if res.dropped:
            feedback.pushWarning(tr("{n} rows with a missing value were left out (index empty).").format(
                n=len(res.dropped)))
        weights = res.weights.to_frame().assign(entropy=res.entropy, divergence=res.divergence,
                                                direction=[directions[c] for c in res.weights.index])
        return self.write_frames(parameters, context, {
            "OUTPUT": (frame, None),
            "WEIGHTS": (weights.rename_axis("criterion").reset_index(), None)}, feedback)
