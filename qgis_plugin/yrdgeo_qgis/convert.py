"""Processing feature sources → GeoDataFrames → feature sinks, with explicit CRS transforms.

The plugin hands the library GeoDataFrames and writes the library's frames to
Processing sinks; nothing here computes an analysis. Sources are read feature
by feature (so memory layers, GeoPackages, Shapefiles and database layers all
work) and transformed to the CRS the algorithm asks for, with a feedback line
saying so. Sinks are opened only after every feature is ready, so an error or
a cancelled run leaves no half-written output.
"""

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant, Qt

from .i18n import tr


def check_cancelled(feedback):
    """Raise QgsProcessingException if the user cancelled the run."""
    if feedback is not None and feedback.isCanceled():
        raise QgsProcessingException(tr("The run was cancelled; no output was written."))


def _python_value(value):
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toString(Qt.ISODate)
    if isinstance(value, QDate):
        return value.toString(Qt.ISODate)
    return value


def source_to_table(source, *, label, feedback, fields=None):
    """Return the attributes of a Processing source (a table or any layer) as a new DataFrame, geometry ignored."""
    if source is None:
        raise QgsProcessingException(tr("Could not open the input layer “{}”.").format(label))
    all_fields = source.fields()
    names = all_fields.names() if fields is None else list(fields)
    index = [all_fields.lookupField(n) for n in names]
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
    rows = []
    for feature in source.getFeatures(request):
        check_cancelled(feedback)
        attrs = feature.attributes()
        rows.append([_python_value(attrs[i]) for i in index])
    return _attribute_frame(rows, names, index, all_fields, label)


def _attribute_frame(rows, names, index, all_fields, label):
    """Return the attribute rows read from a source as a DataFrame, numeric fields as numbers; none is an error."""
    import pandas as pd

    if not rows:
        raise QgsProcessingException(tr("The input layer “{}” has no features; expected at least one.").format(label))
    frame = pd.DataFrame(rows, columns=names)
    for name, i in zip(names, index):
        if all_fields.at(i).isNumeric():
            frame[name] = pd.to_numeric(frame[name])
    return frame


def source_to_frame(source, *, label, context, feedback, crs="EPSG:4326", fields=None):
    """Return the features of a Processing source as a new GeoDataFrame in ``crs``.

    Parameters
    ----------
    source : QgsProcessingFeatureSource
        From ``parameterAsSource``; never modified.
    label : str
        The parameter's name as the user sees it, for messages.
    crs : str
        Target CRS (``authid``). A source in another CRS is transformed with the
        project's transform context, and the feedback says so.
    fields : list of str, optional
        Attribute columns to keep (default: all).

    Raises
    ------
    QgsProcessingException
        No source, no CRS, no features, a failed transform, or a cancelled run.
    """
    import geopandas as gpd
    import shapely

    if source is None:
        raise QgsProcessingException(tr("Could not open the input layer “{}”.").format(label))
    src_crs = source.sourceCrs()
    if not src_crs.isValid():
        raise QgsProcessingException(
            tr("The input layer “{}” has no coordinate reference system; set one in the layer properties.").format(label))
    dest = QgsCoordinateReferenceSystem(crs)
    request = QgsFeatureRequest()
    if src_crs != dest:
        feedback.pushInfo(tr("Transforming “{layer}” from {src} to {dst} for the analysis.").format(
            layer=label, src=src_crs.authid() or src_crs.description(), dst=dest.authid()))
        request.setDestinationCrs(dest, context.transformContext())
    all_fields = source.fields()
    names = all_fields.names() if fields is None else list(fields)
    index = [all_fields.lookupField(n) for n in names]
    total = source.featureCount()
    rows, geoms = [], []
    try:
        for feature in source.getFeatures(request):
            check_cancelled(feedback)
            attrs = feature.attributes()
            rows.append([_python_value(attrs[i]) for i in index])
            geom = feature.geometry()
            geoms.append(None if geom.isNull() else shapely.from_wkb(bytes(geom.asWkb())))
            if total > 0:
                feedback.setProgress(20.0 * len(rows) / total)
    except QgsCsException as exc:
        raise QgsProcessingException(tr("Could not transform “{layer}” to {dst}: {err}").format(
            layer=label, dst=dest.authid(), err=str(exc))) from None
    frame = _attribute_frame(rows, names, index, all_fields, label)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=dest.authid() or dest.toWkt()))


def _field_type(series):
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return QVariant.Bool
    if pd.api.types.is_integer_dtype(series):
        return QVariant.LongLong
    if pd.api.types.is_float_dtype(series):
        return QVariant.Double
    return QVariant.String


def _cell(value, kind):
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):  # NaN, NaT, pd.NA
        return None
    if hasattr(value, "item"):  # numpy scalar → Python
        value = value.item()
    if kind == QVariant.String:
        return str(value)
    return value


def _wkb_type(frame):
    kinds = set(frame.geometry.dropna().geom_type)
    if not kinds:
        return QgsWkbTypes.NoGeometry
    if kinds <= {"Polygon", "MultiPolygon"}:
        return QgsWkbTypes.MultiPolygon
    if kinds <= {"LineString", "MultiLineString"}:
        return QgsWkbTypes.MultiLineString
    if kinds == {"Point"}:
        return QgsWkbTypes.Point
    if kinds <= {"Point", "MultiPoint"}:
        return QgsWkbTypes.MultiPoint
    raise QgsProcessingException(tr("Cannot write mixed geometry types {} to one layer.").format(sorted(kinds)))


def frame_to_features(frame, *, feedback=None):
    """Return ``(fields, wkb_type, crs, features)`` for a GeoDataFrame (or a plain DataFrame: no geometry)."""
    import geopandas as gpd
    import shapely

    has_geom = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns
    geom_col = frame.geometry.name if has_geom else None
    columns = [c for c in frame.columns if c != geom_col]
    fields = QgsFields()
    kinds = []
    for col in columns:
        kind = _field_type(frame[col])
        kinds.append(kind)
        fields.append(QgsField(str(col), kind))
    wkb_type = _wkb_type(frame) if has_geom else QgsWkbTypes.NoGeometry
    crs = QgsCoordinateReferenceSystem()
    if has_geom and frame.crs is not None:
        auth = frame.crs.to_authority()
        crs = QgsCoordinateReferenceSystem(":".join(auth) if auth else frame.crs.to_wkt())
    multi = QgsWkbTypes.isMultiType(wkb_type)
    wkbs = shapely.to_wkb(frame.geometry.values) if has_geom else None
    features = []
    values = [frame[c].tolist() for c in columns]
    for row in range(len(frame)):
        check_cancelled(feedback)
        feature = QgsFeature(fields)
        feature.setAttributes([_cell(v[row], k) for v, k in zip(values, kinds)])
        if has_geom and wkbs[row] is not None:
            geom = QgsGeometry()
            geom.fromWkb(bytes(wkbs[row]))
            if multi:
                geom.convertToMultiType()
            feature.setGeometry(geom)
        features.append(feature)
    return fields, wkb_type, crs, features


def write_frames(algorithm, parameters, context, frames, *, feedback):
    """Write ``{sink parameter: frame}`` to their sinks; return ``{sink parameter: destination id}``.

    Every feature of every output is built (and the run checked for
    cancellation) before the first sink is opened; each output then gets its
    features in one ``addFeatures`` call.
    """
    prepared = {name: frame_to_features(frame, feedback=feedback) for name, frame in frames.items()}
    check_cancelled(feedback)
    out = {}
    for name, (fields, wkb_type, crs, features) in prepared.items():
        sink, dest_id = algorithm.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
        if sink is None:
            raise QgsProcessingException(algorithm.invalidSinkError(parameters, name))
        if not sink.addFeatures(features, QgsFeatureSink.FastInsert):
            raise QgsProcessingException(tr("Could not write the output “{name}”: {err}").format(
                name=name, err=sink.lastError()))
        out[name] = dest_id
    return out


def write_frame(algorithm, parameters, name, context, frame, *, feedback):
    """Write one frame to the sink parameter ``name``; return its destination id (see :func:`write_frames`)."""
    return write_frames(algorithm, parameters, context, {name: frame}, feedback=feedback)[name]
