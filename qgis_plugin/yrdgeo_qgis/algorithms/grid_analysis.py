"""A regular grid (1 km by default) on dask: raster values, travel time and LISA per cell; squares and a COG.

The whole run is the library's ``yrdgeo.grid.grid_analysis`` (the code path of ``yrdgeo grid``);
this algorithm only reads the parameters and writes the two outputs.
"""

import contextlib
import os
import sys

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..base import OUTPUT_CRS, YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr

# Below 500 m the squares stop being a layer QGIS handles well (1.4M polygons at 500 m, 5.7M at 250 m,
# all held in memory to write the vector output): finer grids are for `yrdgeo grid` (GeoParquet + COGs).
MIN_CELL_M = 500.0
# The criterion columns of the run (names of the library's result columns).
RASTER, TIME = "raster", "time_min"


@contextlib.contextmanager
def worker_python():
    """Start local dask workers with QGIS's Python, not with the QGIS program that runs this algorithm.

    dask starts worker processes with ``sys.executable``, which inside QGIS is the QGIS program
    itself; the plugin's dependency finder knows the Python beside it.
    """
    from multiprocessing import spawn

    if os.path.basename(sys.executable or "").lower().startswith("python"):
        yield
        return
    from ..deps import find_python

    before = spawn.get_executable()
    spawn.set_executable(find_python())
    try:
        yield
    finally:
        spawn.set_executable(before)


class GridAnalysis(YrdGeoAlgorithm):
    ID = "grid_analysis"
    DISPLAY_NAME = "Grid analysis on dask (1 km cells)"
    GROUP_ID = "statistics"
    REQUIRES = ("geopandas", "shapely", "pyproj", "pandas", "rasterio", "dask", "distributed", "dask_geopandas",
                "pyarrow", "esda", "libpysal")

    def define(self, config):
        self.add_number("CELL_SIZE", "Cell size (metres, at least 500)", default=1000.0, minimum=MIN_CELL_M)
        self.add_source("UNITS", "Units to cover (empty: the 305 YRD counties)", optional=True)
        self.add_field("KEY", "Code field of the units (empty: adcode)", "UNITS", numeric=False, optional=True)
        self.add_bool("DEM", "Values of the bundled DEM sample per cell", default=False)
        self.addParameter(QgsProcessingParameterRasterLayer("RASTER", tr("Or your raster"), optional=True))
        self.add_choice("RASTER_STAT", "How a cell's value is made from the raster", {
            "mean": "Mean", "min": "Minimum", "max": "Maximum", "median": "Median", "mode": "Most frequent value",
            "nearest": "Pixel under the cell centre"}, library="yrdgeo.grid.criteria.RASTER_STATS", default="mean")
        self.add_string("CENTRE", "Travel time to this centre (unit name or adcode; empty: none)")
        self.add_string("AS_OF", "Network as of date (YYYY-MM-DD; empty: every link)")
        self.add_choice("LISA", "Local Moran's I (LISA) of", {
            None: "No LISA", RASTER: "The raster values", TIME: "The travel time"}, default=None)
        self.add_number("PERMUTATIONS", "Permutations", default=999, minimum=1, integer=True)
        self.add_number("SEED", "Random seed", default=20191201, minimum=0, integer=True)
        self.add_number("WORKERS", "Local dask workers (0: dask's threads inside QGIS)", default=0, minimum=0,
                        integer=True)
        self.add_string("SCHEDULER", "Or an existing dask cluster (tcp://host:port)")
        self.add_sink("OUTPUT", "Grid cells")
        self.add_choice("RESULT", "Result written as a raster", {
            RASTER: "The raster values", TIME: "The travel time", "lisa_i": "Local Moran's I",
            "lisa_geoda": "LISA cluster (GeoDa code)"}, default=RASTER)
        self.addParameter(QgsProcessingParameterRasterDestination("RESULT_RASTER", tr("Result raster (COG)"),
                                                                  optional=True))

    def output_crs(self, parameters, context):
        """Return OUTPUT_CRS when given, else the grid's equal-area CRS (the squares stay squares, as in the COG)."""
        if self.is_given(parameters, OUTPUT_CRS):
            return super().output_crs(parameters, context)
        from yrdgeo.crs import AREA_CRS

        return QgsCoordinateReferenceSystem.fromWkt(AREA_CRS.to_wkt())

    def compute(self, parameters, context, feedback, yrdgeo):
        import yrdgeo.grid as yg
        from yrdgeo.raster import dem_path

        cell_size = self.read_number(parameters, "CELL_SIZE", context)
        raster = None
        if self.parameterAsBool(parameters, "DEM", context):
            raster = str(dem_path())
        elif self.is_given(parameters, "RASTER"):
            layer = self.parameterAsRasterLayer(parameters, "RASTER", context)
            if layer is None:
                raise QgsProcessingException(self.invalidRasterError(parameters, "RASTER"))
            raster = layer.source()
        centre = self.read_unit(parameters, "CENTRE", context)
        as_of = self.read_date(parameters, "AS_OF", context)
        lisa = self.read_choice(parameters, "LISA", context)
        result = self.read_choice(parameters, "RESULT", context)
        have = {RASTER: raster is not None, TIME: centre is not None}
        if lisa is not None and not have[lisa]:
            raise QgsProcessingException(parameter_message(["LISA", "DEM", "RASTER", "CENTRE"], tr(
                "LISA of a criterion this run does not compute: give a raster (or the DEM) or a centre.")))
        wants_raster = self.is_given(parameters, "RESULT_RASTER")
        needs = {"lisa_i": lisa is not None, "lisa_geoda": lisa is not None, **have}
        if wants_raster and not needs[result]:
            raise QgsProcessingException(parameter_message(["RESULT", "RESULT_RASTER"], tr(
                "The chosen result is not computed in this run; choose another, or leave the result raster empty.")))
        scheduler = self.read_string(parameters, "SCHEDULER", context)
        workers = self.read_number(parameters, "WORKERS", context) or None
        units = key = None
        if self.is_given(parameters, "UNITS"):
            fields = self.read_source(parameters, "UNITS", context).fields()
            key = self.read_field(parameters, "KEY", fields, context, numeric=False) or "adcode"
            units = self.read_frame(parameters, "UNITS", context, feedback)
        check_cancelled(feedback)
        column = {RASTER: RASTER, TIME: TIME, "lisa_i": f"lisa_{lisa}_i", "lisa_geoda": f"lisa_{lisa}_geoda"}[result]
        local = workers is not None and scheduler is None  # worker processes started on this machine
        with self.about("CELL_SIZE", "UNITS", "RASTER", "CENTRE", "AS_OF", "SCHEDULER", "WORKERS"), \
                (worker_python() if local else contextlib.nullcontext()):
            res = yg.grid_analysis(
                cell_size, units=units, key=key or "adcode",
                rasters={RASTER: raster} if raster else None,
                raster_stat=self.read_choice(parameters, "RASTER_STAT", context),
                travel_time={"centre": centre, "date": as_of} if centre else None,
                lisa=lisa, statistics={"permutations": self.read_number(parameters, "PERMUTATIONS", context),
                                       "seed": self.read_number(parameters, "SEED", context),
                                       # cells beyond the raster's data are left out of LISA, labelled "missing"
                                       "missing": "drop"},
                rollup=None, scheduler=scheduler, workers=workers if local else None, compute=True)
        cells = res.cells
        feedback.pushInfo(tr("{n} cells of {size:g} m in {parts} partitions ({seconds:.1f} s).").format(
            n=len(cells), size=cell_size, parts=res.grid.npartitions, seconds=res.seconds))
        for name, stat in res.lisa.items():
            feedback.pushInfo(tr("LISA of {name}: {counts}.").format(
                name=name, counts=", ".join(f"{k} {v}" for k, v in stat.counts.items())))
        check_cancelled(feedback)
        keep = ["cell_id", "row", "col", "county", "city", *res.criteria,
                *[f"lisa_{lisa}_{c}" for c in ("i", "p", "cluster", "geoda") if lisa]]
        squares = res.grid.to_geopandas(keep, frame=cells)
        for name in squares.columns:  # QGIS fields: plain text, not pyarrow strings
            if str(squares[name].dtype).startswith("string"):
                squares[name] = squares[name].astype(object)
        out = {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, squares.reset_index(drop=True), feedback),
               "CELLS": len(cells)}
        if wants_raster:
            path = self.parameterAsOutputLayer(parameters, "RESULT_RASTER", context)
            with self.about("RESULT_RASTER"):
                yg.write_cog(res.grid, cells[column], path)
            out["RESULT_RASTER"] = path
        return out
