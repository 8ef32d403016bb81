"""Assemble fly-in candidates: units (a level or group members) with the user's table, raster statistics, line distance."""

from qgis.core import QgsProcessing, QgsProcessingException, QgsProcessingParameterRasterLayer

from ..base import LEVEL_LABELS, YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr


class BuildCandidates(YrdGeoAlgorithm):
    ID = "build_candidates"
    DISPLAY_NAME = "Build fly-in candidates"
    GROUP_ID = "ranking"

    def define(self, config):
        # the levels a fly-in site can be (not a province), in the order saved models know
        self.add_choice("LEVEL", "Level", {level: LEVEL_LABELS[level] for level in ("city", "county")})
        self.add_string("GROUP", "Region group id or series (e.g. g60, yrd_city_cluster_2016; empty: none)")
        self.add_string("AS_OF", "Group membership as of date (YYYY-MM-DD; needed for a series)")
        self.add_table("TABLE", "Your attribute table (joined by adcode)")
        self.add_field("TABLE_FIELDS", "Columns to join (empty: all)", "TABLE", numeric=False, optional=True,
                       multiple=True)
        self.add_string("ON", "Join column of the table", default="adcode", optional=False)
        self.add_bool("DEM", "Zonal statistics of the bundled DEM sample", default=False)
        self.addParameter(QgsProcessingParameterRasterLayer("RASTER", tr("Or your raster"), optional=True))
        self.add_choice("RASTER_STATS", "Raster statistics", {
            "count": "Count of cells", "mean": "Mean", "min": "Minimum", "max": "Maximum",
            "std": "Standard deviation", "median": "Median", "sum": "Sum"},
            library="yrdgeo.raster.STATS", default=["mean"], multiple=True)
        self.add_string("RASTER_PREFIX", "Prefix of the raster columns", default="dem_", optional=False)
        self.add_source("LINES", "Lines to measure the distance to (e.g. a corridor centreline; any CRS)",
                        geometry=QgsProcessing.SourceType.TypeVectorLine, optional=True)
        self.add_sink("OUTPUT", "Candidates")

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import ranking

        raster = None
        if self.parameterAsBool(parameters, "DEM", context):
            raster = "dem"
        elif self.is_given(parameters, "RASTER"):
            layer = self.parameterAsRasterLayer(parameters, "RASTER", context)
            if layer is None:
                raise QgsProcessingException(self.invalidRasterError(parameters, "RASTER"))
            raster = layer.source()
        stats = self.read_choices(parameters, "RASTER_STATS", context)
        if raster is not None:
            # rasterio reads the raster; a missing one is named before any work (requirements.txt lists it)
            with self.about("DEM" if raster == "dem" else "RASTER"):
                import rasterio  # noqa: F401
        lines = self.read_frame(parameters, "LINES", context, feedback)
        on = self.read_string(parameters, "ON", context) or ""
        table = None
        if self.is_given(parameters, "TABLE"):
            fields = self.read_source(parameters, "TABLE", context).fields()
            if fields.lookupField(on) < 0:
                raise QgsProcessingException(parameter_message(["ON", "TABLE"], tr(
                    "The table has no column “{on}” to join on; its columns are: {names}.").format(
                    on=on, names=", ".join(fields.names()))))
            chosen = self.read_fields(parameters, "TABLE_FIELDS", fields, context, numeric=False)
            table = self.read_table(parameters, "TABLE", context, feedback,
                                    fields=[on, *[f for f in chosen if f != on]] if chosen else None)
        check_cancelled(feedback)
        group = self.read_string(parameters, "GROUP", context)
        as_of = self.read_date(parameters, "AS_OF", context)
        if group:
            with self.about("GROUP", "AS_OF"):
                yrdgeo.group_members(group, as_of=as_of)
        frame = ranking.build_candidates(
            level=self.read_choice(parameters, "LEVEL", context),
            group=group,
            as_of=as_of,
            table=table, on=on,
            raster=raster, raster_stats=stats, raster_prefix=self.parameterAsString(parameters, "RASTER_PREFIX", context),
            reproject=True, lines=lines)
        feedback.pushInfo(tr("{n} candidates with columns: {cols}.").format(
            n=len(frame), cols=", ".join(c for c in frame.columns if c != frame.geometry.name)))
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, frame, feedback, style="units")}
