"""Regional inequality over years: Theil T and L with between/within-group parts, Gini and CV."""

from qgis.core import QgsProcessing

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr


class RegionalInequality(YrdGeoAlgorithm):
    ID = "regional_inequality"
    DISPLAY_NAME = "Regional inequality (Theil, Gini, CV) over years"
    GROUP_ID = "statistics"

    def define(self, config):
        self.add_source("TABLE", "Table of units (any layer or table)", geometry=QgsProcessing.SourceType.TypeVector)
        self.add_field("FIELDS", "Value fields, one per year (in order)", "TABLE", multiple=True)
        self.add_choice("BY", "Groups of the decomposition", {
            None: "No decomposition", "province": "Province of each unit", "city": "City of each unit"},
            library="yrdgeo.inequality.GROUP_LEVELS", default="province")
        self.add_field("GROUP_FIELD", "Or a group field (replaces the groups above)", "TABLE", numeric=False,
                       optional=True)
        self.add_field("WEIGHTS", "Weight field, e.g. population (empty: every unit alike)", "TABLE",
                       optional=True)
        self.add_field("KEY", "Unit field: adcode or name (empty: found by its name)", "TABLE", numeric=False,
                       optional=True)
        self.add_sink("OUTPUT", "Inequality by year", geometry=QgsProcessing.SourceType.TypeVector)
        self.add_sink("GROUPS", "Groups by year", geometry=QgsProcessing.SourceType.TypeVector, optional=True)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import inequality

        fields = self.read_source(parameters, "TABLE", context).fields()
        columns = self.read_fields(parameters, "FIELDS", fields, context)
        group_field = self.read_field(parameters, "GROUP_FIELD", fields, context, numeric=False)
        weights = self.read_field(parameters, "WEIGHTS", fields, context)
        key = self.read_field(parameters, "KEY", fields, context, numeric=False)
        by = group_field or self.read_choice(parameters, "BY", context)
        if group_field:
            feedback.pushInfo(tr("Groups from the field {field}.").format(field=group_field))
        table = self.read_table(parameters, "TABLE", context, feedback)
        check_cancelled(feedback)
        with self.about("TABLE", "FIELDS"):
            res = inequality.regional_inequality(table, columns, by=by, weights=weights, key=key)
        for row in res.frame.itertuples():
            feedback.pushInfo(tr("{year}: Theil T {t:.6f} (between {b:.1%}), L {l:.6f}, Gini {g:.4f}, CV {cv:.4f}.")
                              .format(year=row.year, t=row.T, b=row.T_between_share, l=row.L, g=row.gini, cv=row.cv))
        outputs = {"OUTPUT": (res.frame, None)}
        if by is not None:
            outputs["GROUPS"] = (res.groups, None)
        return self.write_frames(parameters, context, outputs, feedback)
