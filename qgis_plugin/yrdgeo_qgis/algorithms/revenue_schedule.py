"""Revenue-sharing schedule of an enclave: the year-by-year split between the fly-out and the fly-in side."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import parameter_message
from ..i18n import tr


class RevenueSchedule(YrdGeoAlgorithm):
    ID = "revenue_schedule"
    DISPLAY_NAME = "Revenue-sharing schedule"
    GROUP_ID = "corridors"
    REQUIRES = ("pandas", "numpy")

    def define(self, config):
        self.add_number("REVENUE", "Revenue per year (the same every year; or a table below)", default=None,
                        minimum=0, optional=True)
        self.add_table("TABLE", "Or a table of revenue, one row per year from the first year of production")
        self.add_field("REVENUE_FIELD", "Revenue field of the table", "TABLE", optional=True)
        self.add_number("YEARS", "Years (with one revenue figure)", default=None, minimum=1, integer=True,
                        optional=True)
        self.add_choice("PRESET", "Preset schedule", {
            "shanghai_district_rule": "Shanghai district rule: 25% to the fly-out side for 5 years, then 0 "
                                      "(张亚军)"}, library="yrdgeo.enclaves.PRESETS")
        self.add_string("SHARES", "Or your schedule: the fly-out share of each year, comma-separated "
                        "(e.g. 0.3,0.3,0.2; replaces the preset)")
        self.add_number("AFTER", "Fly-out share in every year after your schedule", default=0.0, minimum=0,
                        maximum=1)
        self.add_number("START_YEAR", "Calendar year of the first year of production (optional)", default=None,
                        minimum=1, integer=True, optional=True)
        self.add_sink("OUTPUT", "Revenue-sharing schedule", geometry=QgsProcessing.SourceType.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import enclaves

        revenue, names = self._revenue(parameters, context, feedback)
        years = self.read_number(parameters, "YEARS", context)
        if self.is_given(parameters, "SHARES"):
            shares = self._shares(parameters, context)
            with self.about("SHARES"):  # AFTER is kept in 0–1 by Processing
                schedule = enclaves.SharingSchedule.from_shares(
                    shares, after=self.parameterAsDouble(parameters, "AFTER", context))
            feedback.pushInfo(tr("Your schedule: fly-out shares {shares}, then {after}; PRESET does not apply.")
                              .format(shares=", ".join(f"{s:g}" for s in shares), after=schedule.after))
        else:
            schedule = enclaves.PRESETS[self.read_choice(parameters, "PRESET", context)]
            feedback.pushInfo(schedule.source)
        with self.about(*names):  # a message about years= names YEARS too
            table = enclaves.revenue_schedule(revenue, schedule=schedule, years=years,
                                              start_year=self.read_number(parameters, "START_YEAR", context))
        last = table.iloc[-1]
        feedback.pushInfo(tr("{n} years: {out:,.2f} to the fly-out side, {into:,.2f} to the fly-in side.").format(
            n=len(table), out=last.fly_out_cumulative, into=last.fly_in_cumulative))
        return self.write_frames(parameters, context, {"OUTPUT": (table, None)}, feedback)

    def _revenue(self, parameters, context, feedback):
        """Return ``(revenue, its parameters)``: REVENUE, or the REVENUE_FIELD column of TABLE."""
        number = self.read_number(parameters, "REVENUE", context)
        given = [n for n in ("REVENUE", "TABLE") if self.is_given(parameters, n)]
        if len(given) != 1:
            raise QgsProcessingException(parameter_message(["REVENUE", "TABLE"], tr(
                "Give the revenue either as one number (REVENUE, with YEARS) or as a table with one row per year "
                "(TABLE and REVENUE_FIELD), not both and not neither.")))
        if number is not None:
            return number, ["REVENUE"]
        fields = self.read_source(parameters, "TABLE", context).fields()
        field = self.read_field(parameters, "REVENUE_FIELD", fields, context)
        if field is None:
            raise QgsProcessingException(parameter_message(["REVENUE_FIELD"], tr(
                "Choose the field of TABLE that holds each year's revenue.")))
        table = self.read_table(parameters, "TABLE", context, feedback, fields=[field])
        return table[field].astype(float).tolist(), ["TABLE", "REVENUE_FIELD"]  # NULL: NaN, refused by the library

    def _shares(self, parameters, context):
        """Return the fly-out shares of SHARES (numbers, checked by the library to lie in 0–1), or raise."""
        items = self.read_list(parameters, "SHARES", context)
        try:
            return [float(t) for t in items]
        except ValueError:
            raise QgsProcessingException(parameter_message(["SHARES"], tr(
                "“{value}” is not a list of shares separated by commas; expected e.g. 0.3,0.3,0.2.").format(
                value=self.parameterAsString(parameters, "SHARES", context)))) from None
