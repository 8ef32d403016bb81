"""The base class of every yrdgeo algorithm: parameter builders, help, dependencies, errors.

An algorithm module in ``algorithms/`` subclasses :class:`YrdGeoAlgorithm`,
sets ``ID`` (never renamed once released: saved models and batch files use
it), ``DISPLAY_NAME``, ``GROUP_ID`` and ``REQUIRES``, and implements
``define(config)`` and ``compute(parameters, context, feedback, yrdgeo)``.
The base class imports the library lazily in ``processAlgorithm`` so the
provider loads even where geopandas is missing, turns a missing package into
a translated QgsProcessingException that says what to install, and turns the
library's ValueError (bad input) into a QgsProcessingException carrying the
library's message.
"""

import contextlib
import importlib
import os
import sys

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from . import convert
from .i18n import language, tr

HERE = os.path.dirname(__file__)
HOMEPAGE = "https://example.invalid/yrdgeo/docs/qgis.md"
STYLES_DIR = os.path.join(HERE, "styles")
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
# Wheels that carry their own GEOS/GDAL/PROJ: imported first, inside isolated_native_libraries().
NATIVE = ("shapely", "pyproj", "pyogrio", "rasterio")

# Groups in the toolbox; ids are stable, names translated.
GROUPS = {
    "units": "Units and regions",
    "corridors": "Corridors and enclaves",
    "network": "Networks and accessibility",
    "statistics": "Spatial statistics",
    "ranking": "Site ranking",
    "maps": "Plan maps",
}

_help_cache = {}


def load_help():
    """Return the help file (``help/algorithms.yaml``) as ``{algorithm id: {"zh": ..., "en": ...}}``."""
    if not _help_cache:
        import yaml  # ships with QGIS (its own Processing help uses it)

        with open(os.path.join(HERE, "help", "algorithms.yaml"), encoding="utf-8") as fh:
            _help_cache.update(yaml.safe_load(fh))
    return _help_cache


def help_text(alg_id):
    """Return an algorithm's help in both languages, the UI language first."""
    entry = load_help().get(alg_id, {})
    first, second = ("zh", "en") if language() == "zh" else ("en", "zh")
    parts = [entry.get(first, "").strip(), entry.get(second, "").strip()]
    return "\n\n".join(p for p in parts if p).replace("\n", "<br>")


def missing_dependencies_message(missing):
    """Return the translated message naming the missing packages and how to install them."""
    return tr(
        "This algorithm needs the Python package(s) {missing}, which QGIS's Python cannot import. "
        "Install the plugin's requirements into QGIS's Python without upgrading numpy past 1.x, e.g. "
        "in the OSGeo4W Shell (Windows) or a terminal (macOS/Linux): "
        "python -m pip install \"numpy<2\" -r \"{requirements}\" — then restart QGIS. "
        "Step-by-step instructions: {homepage}"
    ).format(missing=", ".join(missing), requirements=REQUIREMENTS, homepage=HOMEPAGE)


@contextlib.contextmanager
def isolated_native_libraries():
    """Import wheels' bundled GEOS/GDAL/PROJ with RTLD_DEEPBIND where QGIS's own copies are loaded globally.

    Binary wheels (shapely, pyogrio, pyproj) ship their own GEOS, GDAL and
    PROJ. In a process whose executable links QGIS (``qgis``,
    ``qgis_process``) the system libraries sit in the global symbol scope and
    would be called instead of the wheel's own (a different GEOS version:
    wrong results or a crash). RTLD_DEEPBIND makes each extension prefer the
    library it was built with. Python processes that import qgis as a module
    do not need it (extensions load with RTLD_LOCAL), nor does Windows/macOS.
    """
    flags = sys.getdlopenflags() if hasattr(sys, "getdlopenflags") else None
    deepbind = getattr(os, "RTLD_DEEPBIND", 0)
    needed = flags is not None and deepbind and _qgis_links_geos_globally()
    if needed:
        sys.setdlopenflags(flags | deepbind)
    try:
        yield
    finally:
        if needed:
            sys.setdlopenflags(flags)


def _qgis_links_geos_globally():
    """Return True when the running executable (not a Python module) pulled in the system GEOS."""
    try:
        if os.path.basename(os.readlink("/proc/self/exe")).startswith("python"):
            return False
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
            return "libgeos_c.so" in fh.read()
    except OSError:
        return False


class _StyleOnLoad(QgsProcessingLayerPostProcessorInterface):
    """Applies a QML style to an output layer when Processing loads it into the project."""

    alive = []  # Processing does not own post-processors; keep them referenced

    def __init__(self, qml):
        super().__init__()
        self.qml = qml

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        message, ok = layer.loadNamedStyle(self.qml)
        if not ok:
            feedback.reportError(tr("Could not apply the style {}: {}").format(self.qml, message))
        layer.triggerRepaint()


def style_path(name):
    """Return the path of a bundled QML style (``styles/<name>.qml``)."""
    return os.path.join(STYLES_DIR, f"{name}.qml")


class YrdGeoAlgorithm(QgsProcessingAlgorithm):
    """Shared behaviour of the yrdgeo algorithms (see the module docstring)."""

    ID = ""
    DISPLAY_NAME = ""
    GROUP_ID = "units"
    REQUIRES = ("geopandas", "shapely", "pyproj", "pandas")
    FLAGS = 0

    # --- identity and help -------------------------------------------------
    def name(self):
        return self.ID

    def displayName(self):  # noqa: N802
        return tr(self.DISPLAY_NAME)

    def group(self):
        return tr(GROUPS[self.GROUP_ID])

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: N802
        return help_text(self.ID)

    def helpUrl(self):  # noqa: N802
        return f"{HOMEPAGE}#{self.ID}"

    def createInstance(self):  # noqa: N802
        return type(self)()

    def flags(self):
        return super().flags() | self.FLAGS

    def tr(self, text):
        return tr(text)

    # --- parameter builders ------------------------------------------------
    def add_source(self, name, description, *, geometry=QgsProcessing.TypeVectorPolygon, optional=False):
        self.addParameter(QgsProcessingParameterFeatureSource(name, tr(description), [geometry], optional=optional))

    def add_field(self, name, description, parent, *, numeric=True, optional=False, default=None, multiple=False):
        kind = QgsProcessingParameterField.Numeric if numeric else QgsProcessingParameterField.Any
        self.addParameter(QgsProcessingParameterField(name, tr(description), default, parent, kind,
                                                      allowMultiple=multiple, optional=optional))

    def add_enum(self, name, description, options, *, default=0, optional=False, multiple=False):
        self.addParameter(QgsProcessingParameterEnum(
            name, tr(description), [tr(o) for o in options], allowMultiple=multiple, defaultValue=default,
            optional=optional))

    def add_string(self, name, description, *, default=None, optional=True):
        self.addParameter(QgsProcessingParameterString(name, tr(description), default, optional=optional))

    def add_number(self, name, description, *, default, minimum=None, maximum=None, integer=False, optional=False):
        kind = QgsProcessingParameterNumber.Integer if integer else QgsProcessingParameterNumber.Double
        param = QgsProcessingParameterNumber(name, tr(description), kind, default, optional)
        if minimum is not None:
            param.setMinimum(minimum)
        if maximum is not None:
            param.setMaximum(maximum)
        self.addParameter(param)

    def add_sink(self, name, description, *, geometry=QgsProcessing.TypeVectorPolygon, optional=False):
        self.addParameter(QgsProcessingParameterFeatureSink(name, tr(description), geometry, optional=optional,
                                                            createByDefault=True))

    def add_bool(self, name, description, *, default=False):
        self.addParameter(QgsProcessingParameterBoolean(name, tr(description), default))

    def add_file(self, name, description, *, extension=None, optional=True):
        self.addParameter(QgsProcessingParameterFile(name, tr(description), QgsProcessingParameterFile.File,
                                                     extension or "", optional=optional))

    # --- reading parameters ------------------------------------------------
    def read_frame(self, parameters, name, context, feedback, *, crs="EPSG:4326", fields=None):
        """Return the source parameter ``name`` as a GeoDataFrame in ``crs`` (see convert.source_to_frame)."""
        source = self.read_source(parameters, name, context)
        label = self.parameterDefinition(name).description()
        return convert.source_to_frame(source, label=label, context=context, feedback=feedback, crs=crs, fields=fields)

    def read_table(self, parameters, name, context, feedback, *, fields=None):
        """Return the source parameter ``name`` as a DataFrame of attributes (None if the optional input is empty)."""
        if parameters.get(name) in (None, ""):
            return None
        source = self.read_source(parameters, name, context)
        label = self.parameterDefinition(name).description()
        return convert.source_to_table(source, label=label, feedback=feedback, fields=fields)

    def read_fields(self, parameters, name, fields, context, *, numeric=True):
        """Return the multiple-field parameter ``name``, each checked to exist (and be numeric)."""
        names = self.parameterAsFields(parameters, name, context)
        for field in names:
            _field_index(fields, field, numeric=numeric)
        return list(names)

    def read_field(self, parameters, name, fields, context, *, numeric=True):
        """Return the field parameter ``name``, checked to exist in ``fields`` (and be numeric), or None."""
        field = self.parameterAsString(parameters, name, context)
        if not field:
            return None
        return fields.at(_field_index(fields, field, numeric=numeric)).name()

    def read_source(self, parameters, name, context):
        """Return the source parameter ``name`` (QgsProcessingFeatureSource), or raise naming it."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def read_list(self, parameters, name, context):
        """Return a comma/semicolon/、-separated string parameter as a list of stripped items."""
        text = self.parameterAsString(parameters, name, context) or ""
        for sep in (";", "；", "、", "，"):
            text = text.replace(sep, ",")
        return [t.strip() for t in text.split(",") if t.strip()]

    # --- writing -----------------------------------------------------------
    def write_frame(self, parameters, name, context, frame, feedback, *, style=None):
        """Write ``frame`` to the sink ``name`` (nothing opened before it is ready); return its id."""
        return self.write_frames(parameters, context, {name: (frame, style)}, feedback)[name]

    def write_frames(self, parameters, context, outputs, feedback):
        """Write ``{sink: (frame, style or None)}``; return ``{sink: destination id}``.

        All outputs are prepared before any is opened (see convert.write_frames).
        Optional sinks the user switched off (value None) are skipped.
        """
        wanted = {name: frame for name, (frame, _) in outputs.items()
                  if not (name in parameters and parameters[name] is None)}
        ids = convert.write_frames(self, parameters, context, wanted, feedback=feedback)
        for name, dest_id in ids.items():
            style = outputs[name][1]
            if style and context.willLoadLayerOnCompletion(dest_id):
                post = _StyleOnLoad(style_path(style))
                _StyleOnLoad.alive.append(post)
                context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(post)
        return ids

    # --- running -----------------------------------------------------------
    def load_dependencies(self):
        """Import yrdgeo and the packages in ``REQUIRES``; return the yrdgeo module."""
        missing = []
        with isolated_native_libraries():
            for module in NATIVE:
                if module not in self.REQUIRES:
                    with contextlib.suppress(ImportError):  # optional here; the library says when it needs one
                        importlib.import_module(module)
            for module in (*self.REQUIRES, "yrdgeo"):
                try:
                    importlib.import_module(module)
                except ImportError:
                    missing.append(module)
        if missing:
            raise QgsProcessingException(missing_dependencies_message(missing))
        return importlib.import_module("yrdgeo")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.define(config)

    def define(self, config):
        raise NotImplementedError

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        yrdgeo = self.load_dependencies()
        convert.check_cancelled(feedback)
        try:
            return self.compute(parameters, context, feedback, yrdgeo)
        except QgsProcessingException:
            raise
        except (ValueError, OSError) as exc:  # the library's bad-input errors carry their explanation
            raise QgsProcessingException(str(exc)) from None

    def compute(self, parameters, context, feedback, yrdgeo):
        raise NotImplementedError


def _field_index(fields, field, *, numeric):
    """Return the index of ``field`` in ``fields`` (QgsFields), or raise if it is absent (or not numeric)."""
    index = fields.lookupField(field)
    if index < 0:
        raise QgsProcessingException(tr("The field “{field}” does not exist in the input layer; its fields are: {names}.")
                                     .format(field=field, names=", ".join(fields.names())))
    if numeric and not fields.at(index).isNumeric():
        raise QgsProcessingException(tr("The field “{field}” is of type {kind}; expected a numeric field.")
                                     .format(field=field, kind=fields.at(index).typeName()))
    return index
