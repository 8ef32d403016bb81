"""Shared parts of the indicator algorithms: the sector table they read and the unit geometries they write."""

from qgis.core import QgsProcessing, QgsWkbTypes

from ..i18n import tr


def define_sectors(alg):
    """Add the sector table parameters TABLE, SECTORS and KEY shared by similarity, Krugman and LQ."""
    alg.add_source("TABLE", "Table of units, one numeric field per sector (any layer or table)",
                   geometry=QgsProcessing.SourceType.TypeVector)
    alg.add_field("SECTORS", "Sector fields (at least 2; not a total such as 地区生产总值)", "TABLE",
                  multiple=True)
    alg.add_field("KEY", "Unit field: adcode or name (empty: found by its name)", "TABLE", numeric=False,
                  optional=True)


def read_sectors(alg, parameters, context, feedback):
    """Return ``(sector table with adcode and the SECTORS columns, SECTORS)`` through the library's table gate."""
    from yrdgeo import inputs

    fields = alg.read_source(parameters, "TABLE", context).fields()
    sectors = alg.read_fields(parameters, "SECTORS", fields, context)
    key = alg.read_field(parameters, "KEY", fields, context, numeric=False)
    table = alg.read_table(parameters, "TABLE", context, feedback)
    with alg.about("TABLE", "SECTORS"):
        data = inputs.read_table(table, key=key, columns=sectors, what=tr("sector table")).data
    return data[["adcode", *sectors]], sectors


def has_geometry(alg, parameters, context):
    """Return True when the source TABLE is a layer with geometry (its results then get the unit polygons)."""
    return alg.read_source(parameters, "TABLE", context).wkbType() != QgsWkbTypes.Type.NoGeometry


def with_units(yrdgeo, frame, *, geometry):
    """Return ``frame`` with each unit's Chinese name and, if ``geometry``, the bundled unit polygon by adcode.

    ``frame`` has an ``adcode`` column, or is a library result (frame or series) indexed by adcode. A row
    whose adcode is repeated (a panel's unit-years) gets the same polygon each time; the rows keep their
    order.
    """
    import geopandas as gpd

    if "adcode" not in getattr(frame, "columns", ()):
        frame = frame.rename_axis("adcode").reset_index()
    frame = frame.assign(adcode=frame["adcode"].astype(str))
    units = yrdgeo.select_units(list(dict.fromkeys(frame["adcode"])))[["adcode", "name_zh", "geometry"]]
    if "name_zh" in frame.columns:
        units = units.drop(columns="name_zh")
    out = frame.merge(units, on="adcode", how="left")
    if not geometry:
        return out.drop(columns="geometry")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=units.crs)


def matrix_outputs(alg, parameters, yrdgeo, matrix, *, value, geometry):
    """Return ``{sink: (frame, None)}`` of a unit × unit matrix: OUTPUT (one row per unit) and PAIRS (lines).

    PAIRS is left out when the optional sink has no destination (a script or ``qgis_process`` run without it).
    """
    from yrdgeo import indicators

    matrix = matrix.copy()
    matrix.index = matrix.columns = [str(code) for code in matrix.index]
    outputs = {"OUTPUT": (with_units(yrdgeo, matrix, geometry=geometry), None)}
    if alg.is_given(parameters, "PAIRS"):
        outputs["PAIRS"] = (indicators.pair_lines(matrix, yrdgeo.units.all_units(), value=value), None)
    return outputs
