"""Processing feature sources → GeoDataFrames → feature sinks, with explicit CRS transforms.

The plugin hands the library GeoDataFrames and writes the library's frames to
Processing sinks; nothing here computes an analysis. Sources are read feature
by feature (so memory layers, GeoPackages, Shapefiles and database layers all
work) and transformed to the CRS the algorithm asks for, with a feedback line
saying so. Sinks are opened only after every feature is ready, and the
outputs of one run are written all or none: destinations are checked first,
files an output would replace are set aside, and a failure on any output
removes the files this run created and puts the set-aside files back.
"""

import os
import re
import shutil
import tempfile

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


class Cancelled(QgsProcessingException):
    """The user cancelled the run (never attributed to a parameter)."""


def check_cancelled(feedback):
    """Raise :class:`Cancelled` (a QgsProcessingException) if the user cancelled the run."""
    if feedback is not None and feedback.isCanceled():
        raise Cancelled(tr("The run was cancelled; no output was written."))


def parameter_message(names, message):
    """Return ``message`` prefixed with the QGIS parameter name(s) it is about (translated)."""
    names = list(dict.fromkeys(names))
    if len(names) == 1:
        return tr("Parameter {names}: {message}").format(names=names[0], message=message)
    return tr("Parameters {names}: {message}").format(names=", ".join(names), message=message)


def names_parameter(message):
    """Return True when ``message`` already starts with the parameter prefix (either language)."""
    heads = {tr("Parameter {names}: {message}").split("{names}")[0],
             tr("Parameters {names}: {message}").split("{names}")[0], "Parameter ", "Parameters "}
    return any(head and message.startswith(head) for head in heads)


def warn(feedback, text):
    """Log ``text`` as a warning (as information where the feedback has no warnings, e.g. QGIS before 3.22)."""
    push = getattr(feedback, "pushWarning", None) or feedback.pushInfo
    push(text)


def check_frame(frame, *, label, geometry, feedback):
    """Return the frame after the library's layer gate (``yrdgeo.inputs.check_layer``), its report logged.

    Raises the gate's InputError (a ValueError) for a layer it refuses; the
    caller names the parameter.
    """
    from yrdgeo.inputs import check_layer

    key = "adcode" if "adcode" in frame.columns else None
    out = check_layer(frame, geometry=geometry, key=key, what=f"“{label}”", warn=False)
    report = out.attrs.get("input_report")
    if report is not None:
        for line in report.lines(limit=30):
            warn(feedback, line)
    return out


def python_value(value):
    """Return a QGIS attribute value as a Python value (NULL → None, dates → ISO text)."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toString(Qt.DateFormat.ISODate)
    if isinstance(value, QDate):
        return value.toString(Qt.DateFormat.ISODate)
    return value


def source_to_table(source, *, label, feedback, fields=None):
    """Return the attributes of a Processing source (a table or any layer) as a new DataFrame, geometry ignored."""
    if source is None:
        raise QgsProcessingException(tr("Could not open the input layer “{}”.").format(label))
    all_fields = source.fields()
    names = all_fields.names() if fields is None else list(fields)
    index = _field_indices(all_fields, names, label)
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    rows = []
    for feature in source.getFeatures(request):
        check_cancelled(feedback)
        attrs = feature.attributes()
        rows.append([python_value(attrs[i]) for i in index])
    return _attribute_frame(rows, names, index, all_fields, label)


def _field_indices(all_fields, names, label):
    """Return the indices of ``names`` in the source's fields, or raise naming an absent one (never index -1)."""
    index = [all_fields.lookupField(n) for n in names]
    absent = [n for n, i in zip(names, index) if i < 0]
    if absent:
        raise QgsProcessingException(tr("The input layer “{layer}” has no field {fields}; its fields are: {names}.")
                                     .format(layer=label, fields=", ".join(absent), names=", ".join(all_fields.names())))
    return index


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
    index = _field_indices(all_fields, names, label)
    total = source.featureCount()
    rows, geoms = [], []
    try:
        for feature in source.getFeatures(request):
            check_cancelled(feedback)
            attrs = feature.attributes()
            rows.append([python_value(attrs[i]) for i in index])
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
        return QVariant.Type.Bool
    if pd.api.types.is_integer_dtype(series):
        return QVariant.Type.LongLong
    if pd.api.types.is_float_dtype(series):
        return QVariant.Type.Double
    return QVariant.Type.String


def _cell(value, kind):
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):  # NaN, NaT, pd.NA
        return None
    if hasattr(value, "item"):  # numpy scalar → Python
        value = value.item()
    if kind == QVariant.Type.String:
        return str(value)
    return value


def _wkb_type(frame):
    kinds = set(frame.geometry.dropna().geom_type)
    if not kinds:
        return QgsWkbTypes.Type.NoGeometry
    if kinds <= {"Polygon", "MultiPolygon"}:
        return QgsWkbTypes.Type.MultiPolygon
    if kinds <= {"LineString", "MultiLineString"}:
        return QgsWkbTypes.Type.MultiLineString
    if kinds == {"Point"}:
        return QgsWkbTypes.Type.Point
    if kinds <= {"Point", "MultiPoint"}:
        return QgsWkbTypes.Type.MultiPoint
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
    wkb_type = _wkb_type(frame) if has_geom else QgsWkbTypes.Type.NoGeometry
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
    """Write ``{sink parameter: frame}`` to their sinks, all or none; return ``{sink parameter: destination id}``.

    Every feature of every output is built (and the run checked for
    cancellation) before the first sink is opened. Then the destinations are
    checked together (folder exists, not a folder, no two outputs in one file,
    no output on an input file), files the outputs will replace are set aside,
    every sink is opened, and each gets its features in one ``addFeatures``
    call. If anything fails, the sinks are closed, the files this run created
    are removed and the set-aside files are put back, so an earlier output is
    never left written when a later one fails.
    """
    prepared = {name: frame_to_features(frame, feedback=feedback) for name, frame in frames.items()}
    check_cancelled(feedback)
    plan = _plan_destinations(algorithm, parameters, context, list(prepared))
    guard = _OutputGuard(plan)
    sinks, out = {}, {}
    failed = None
    try:
        guard.start()
        for name, (fields, wkb_type, crs, _features) in prepared.items():
            failed = name
            sink, dest_id = algorithm.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
            if sink is None:
                raise QgsProcessingException(algorithm.invalidSinkError(parameters, name))
            sinks[name], out[name] = sink, dest_id
        for name, (_fields, _wkb, _crs, features) in prepared.items():
            failed = name
            sink = sinks[name]
            if not sink.addFeatures(features, QgsFeatureSink.Flag.FastInsert) or not _flush(sink):
                raise QgsProcessingException(sink.lastError() or tr("the features were not accepted"))
            check_cancelled(feedback)
        failed = None
        _close(sinks)
        guard.commit()
    except Exception as exc:
        _close(sinks)
        guard.rollback()
        if isinstance(exc, Cancelled):
            raise
        message = exc.args[0] if exc.args else str(exc)
        if failed is None:
            raise
        raise QgsProcessingException(parameter_message([failed], tr(
            "Could not write this output: {error}. No output of this run was kept: the files it had created "
            "were removed and files it was replacing were put back.").format(error=message))) from None
    return out


def _flush(sink):
    flush = getattr(sink, "flushBuffer", None)
    return True if flush is None else flush() is not False


def _close(sinks):
    """Close the sinks now (their files are complete and unlocked afterwards)."""
    from qgis.PyQt import sip

    for name in list(sinks):
        sink = sinks.pop(name)
        try:
            sip.delete(sink)
        except (RuntimeError, TypeError):  # not owned by Python: dropping the reference is all we can do
            pass
        del sink


def _destination_file(dest):
    """Return ``(path, whole_file)`` for a file destination, or None (memory layer, database)."""
    if not dest or dest.startswith("memory:"):
        return None
    match = re.match(r"ogr:dbname='([^']*)'", dest)
    if match:
        return match.group(1), False
    if re.match(r"^[A-Za-z][A-Za-z0-9]+:", dest) and not re.match(r"^[A-Za-z]:[\\/]", dest):
        return None  # postgres:, spatialite:, … (but not a Windows drive letter)
    path, _, options = dest.partition("|")
    return os.path.abspath(path), not options


def _input_files(algorithm, parameters, context):
    """Return ``{real path: parameter}`` of the files the run reads (layers and file parameters)."""
    from qgis.core import (
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterFile,
        QgsProcessingParameterRasterLayer,
        QgsProcessingParameterVectorLayer,
        QgsProviderRegistry,
    )

    found = {}
    for definition in algorithm.parameterDefinitions():
        name = definition.name()
        if parameters.get(name) in (None, ""):
            continue
        path = None
        try:
            if isinstance(definition, QgsProcessingParameterFile):
                path = algorithm.parameterAsFile(parameters, name, context)
            elif isinstance(definition, (QgsProcessingParameterFeatureSource, QgsProcessingParameterVectorLayer)):
                layer = algorithm.parameterAsVectorLayer(parameters, name, context)
                if layer is not None:
                    path = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("path")
            elif isinstance(definition, QgsProcessingParameterRasterLayer):
                layer = algorithm.parameterAsRasterLayer(parameters, name, context)
                if layer is not None:
                    path = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("path")
        except Exception:  # noqa: BLE001 (an input we cannot locate as a file cannot be overwritten by a file output)
            path = None
        if path and os.path.exists(path):
            found[os.path.realpath(path)] = name
    return found


def _plan_destinations(algorithm, parameters, context, names):
    """Return ``[(parameter, path, whole_file)]`` for the file outputs, or raise naming a bad destination."""
    plan, seen = [], {}
    inputs = None
    for name in names:
        dest = algorithm.parameterAsOutputLayer(parameters, name, context)
        target = _destination_file(dest or "")
        if target is None:
            continue
        path, whole = target
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            raise QgsProcessingException(parameter_message([name], tr(
                "The folder {folder} of this output does not exist; create it or choose another file.").format(
                folder=folder)))
        if os.path.isdir(path):
            raise QgsProcessingException(parameter_message([name], tr(
                "{path} is a folder; give this output a file name.").format(path=path)))
        real = os.path.realpath(path)
        if real in seen and (whole or seen[real][1]):
            raise QgsProcessingException(parameter_message([name, seen[real][0]], tr(
                "{name} and {other} would both write the file {path}, and one would replace the other; "
                "give each output its own file.").format(name=name, other=seen[real][0], path=path)))
        seen.setdefault(real, (name, whole))
        if whole:
            if inputs is None:
                inputs = _input_files(algorithm, parameters, context)
            if real in inputs:
                raise QgsProcessingException(parameter_message([name, inputs[real]], tr(
                    "{path} is the file of the input {input}; an output never replaces an input — "
                    "choose another file.").format(path=path, input=inputs[real])))
        plan.append((name, path, whole))
    return plan


# Files that belong to a destination besides the file itself.
_SIDECARS = ("-wal", "-shm", "-journal", ".aux.xml")
_SHAPEFILE_PARTS = (".shx", ".dbf", ".prj", ".cpg", ".qpj", ".qix", ".sbn", ".sbx", ".shp.xml", ".qmd")


def _parts(path):
    """Return the existing files of a destination: the file, its SQLite journals, a shapefile's parts."""
    out = [path, *(path + s for s in _SIDECARS)]
    stem, ext = os.path.splitext(path)
    if ext.lower() == ".shp":
        out += [stem + e for e in _SHAPEFILE_PARTS]
    return [p for p in out if os.path.isfile(p)]


class _OutputGuard:
    """Sets aside files the outputs will replace and undoes a failed run (only files of this run)."""

    def __init__(self, plan):
        self.plan = plan
        self.listings = {}
        self.moved = []  # (backup, original): whole files set aside, put back on failure
        self.copied = []  # (backup, original): files a layer is added to, copied back on failure
        self.backup_dirs = []

    def _backup_dir(self, folder):
        path = tempfile.mkdtemp(prefix=".yrdgeo-backup-", dir=folder)
        self.backup_dirs.append(path)
        return path

    def start(self):
        for _name, path, _whole in self.plan:
            folder = os.path.dirname(path)
            if folder not in self.listings:
                self.listings[folder] = set(os.listdir(folder))
        for _name, path, whole in self.plan:
            existing = _parts(path)
            if not existing:
                continue
            backup = self._backup_dir(os.path.dirname(path))
            for part in existing:
                saved = os.path.join(backup, os.path.basename(part))
                if whole:  # QGIS would delete it when the sink opens: set it aside instead
                    os.replace(part, saved)
                    self.moved.append((saved, part))
                else:  # a layer is added to this file: keep a copy to restore
                    shutil.copy2(part, saved)
                    self.copied.append((saved, part))

    def _created(self):
        """Return the files that appeared beside the destinations during the run and belong to them."""
        out = []
        for _name, path, _whole in self.plan:
            folder, base = os.path.split(path)
            stem = os.path.splitext(base)[0]
            for entry in set(os.listdir(folder)) - self.listings.get(folder, set()):
                full = os.path.join(folder, entry)
                if os.path.isfile(full) and (entry.startswith(base) or entry.startswith(stem + ".")):
                    out.append(full)
        return sorted(set(out))

    def rollback(self):
        """Remove the files this run created for its outputs and put back what was set aside."""
        for path in self._created():
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        for saved, original in self.moved + self.copied:
            os.replace(saved, original)
        self._drop_backups()

    def commit(self):
        """Forget the set-aside files: the run replaced them as asked."""
        self._drop_backups()

    def _drop_backups(self):
        for path in self.backup_dirs:
            shutil.rmtree(path, ignore_errors=True)
        self.backup_dirs.clear()


def write_frame(algorithm, parameters, name, context, frame, *, feedback):
    """Write one frame to the sink parameter ``name``; return its destination id (see :func:`write_frames`)."""
    return write_frames(algorithm, parameters, context, {name: frame}, feedback=feedback)[name]
