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

Choice parameters take their options from the library's own lists
(:meth:`YrdGeoAlgorithm.add_choice`, read by :mod:`.library` without
importing the library), so the plugin never re-declares them.
"""

import contextlib
import importlib
import math
import os
import pathlib
import re
import sys
import traceback
import warnings

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from . import convert
from .convert import names_parameter
from .deps import PIP_NAMES  # import names whose pip distribution is called differently
from .i18n import language, tr, tr_noop
from .library import library_value

HERE = os.path.dirname(__file__)


def docs_page():
    """Return the file URL of the plugin's documentation (qgis.md): the zip's ``docs/`` copy, else the checkout's.

    The project has no public web address yet (metadata.txt explains its
    placeholders), so messages and algorithm help point at the page that ships
    with this very version of the plugin.
    """
    for path in (os.path.join(HERE, "docs", "qgis.md"), os.path.join(HERE, os.pardir, os.pardir, "docs", "qgis.md")):
        if os.path.exists(path):
            return pathlib.Path(os.path.abspath(path)).as_uri()
    return "docs/qgis.md"


HOMEPAGE = docs_page()
# The output CRS parameter every algorithm writing a layer gets (see YrdGeoAlgorithm.output_crs).
OUTPUT_CRS = "OUTPUT_CRS"
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


def requirement_names(missing):
    """Return the pip names of the missing import names (yrdgeo itself is not a pip requirement here)."""
    return [PIP_NAMES.get(m, m) for m in missing if m != "yrdgeo"]


def missing_dependencies_message(missing):
    """Return the translated message naming the missing packages and how to install them.

    The commands install the plugin's requirements.txt (rasterio and ``affine<3``
    included) into QGIS's own Python, keep numpy at 1.x, and work on Debian 12,
    whose system Python refuses pip unless told (PEP 668). yrdgeo itself ships
    inside the plugin zip, so a missing yrdgeo gets its own advice.
    """
    parts = []
    packages = requirement_names(missing)
    if packages:
        parts.append(tr(
            "One click: Plugins → YRD Geo / 长三角 → Install Python dependencies… installs them into your "
            "QGIS profile with QGIS's own Python (QGIS's numpy and GDAL stay as they are); or by hand:"))
        parts.append(tr(
            "This algorithm needs the Python package(s) {missing}, which QGIS's Python cannot import. "
            "Install the plugin's requirements into QGIS's Python without upgrading numpy past 1.x — "
            "Windows (OSGeo4W Shell) and macOS: python -m pip install \"numpy<2\" -r \"{requirements}\"; "
            "Debian 12 / Ubuntu (system Python, PEP 668; needs the package python3-pip): "
            "python3 -m pip install --user --break-system-packages \"numpy<2\" -r \"{requirements}\" "
            "(--break-system-packages only lifts Debian's guard for this command; --user keeps the files out of /usr, "
            "in your home folder, where they take precedence over Debian's python3-* packages for your user) — "
            "then restart QGIS. Step-by-step instructions: {homepage}"
        ).format(missing=", ".join(packages), requirements=REQUIREMENTS, homepage=HOMEPAGE))
    if "yrdgeo" in missing:
        parts.append(tr(
            "The yrdgeo library itself is missing: install the plugin from the zip built by "
            "tools/build_plugin_zip.py (it carries yrdgeo in ext/), or install yrdgeo from its checkout into "
            "QGIS's Python. Step-by-step instructions: {homepage}").format(homepage=HOMEPAGE))
    return " ".join(parts)


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


# Labels of the library's unit levels (yrdgeo.units.LEVELS), shared by every level choice.
LEVEL_LABELS = {"province": tr_noop("Province"), "city": tr_noop("City (prefecture level)"),
                "county": tr_noop("County level")}


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
    def add_source(self, name, description, *, geometry=QgsProcessing.SourceType.TypeVectorPolygon, optional=False):
        self.addParameter(QgsProcessingParameterFeatureSource(name, tr(description), [geometry], optional=optional))

    def add_field(self, name, description, parent, *, numeric=True, optional=False, default=None, multiple=False):
        kind = QgsProcessingParameterField.DataType.Numeric if numeric else QgsProcessingParameterField.DataType.Any
        self.addParameter(QgsProcessingParameterField(name, tr(description), default, parent, kind,
                                                      allowMultiple=multiple, optional=optional))

    def add_choice(self, name, description, labels, *, library=None, default=None, optional=False,
                   multiple=False):
        """Add an enum parameter whose options stand for values: the library's words, or the plugin's own.

        Parameters
        ----------
        labels : dict
            ``{value: label}``: the English label shown (translated) for each value.
        library : str, optional
            The library's list of the values (``"yrdgeo.weights.METHODS"``): the options are its values in its
            order (a value without a label shows as itself; a ``None`` label comes first, standing for no
            value). Without it, or without the library, the options are the keys of ``labels``.
        default : optional
            The value (with ``multiple``, the list of values) chosen by default; None: the first option.
        """
        values = tuple(labels)
        listed = library_value(library) if library else None
        if listed is not None:
            values = ((None,) if None in labels else ()) + tuple(listed)
        options = [tr(labels[v]) if labels.get(v) else str(v) for v in values]
        if multiple:
            default = [values.index(v) for v in default or values[:1]]
        else:
            default = 0 if default is None else values.index(default)
        self.addParameter(QgsProcessingParameterEnum(name, tr(description), options, allowMultiple=multiple,
                                                     defaultValue=default, optional=optional))
        self.enum_values()[name] = values

    def enum_values(self):
        """Return ``{enum parameter: the values its options stand for}`` (filled by add_choice)."""
        if not hasattr(self, "_enum_values"):
            self._enum_values = {}
        return self._enum_values

    def add_table(self, name, description):
        """Add an optional table input (any layer, or a table without geometry); read it with read_table."""
        self.addParameter(QgsProcessingParameterFeatureSource(name, tr(description), [QgsProcessing.SourceType.TypeVector],
                                                              optional=True))

    def set_help(self, name, text):
        """Set the (already translated) help of parameter ``name``: the tooltip in the Processing dialog."""
        self.parameterDefinition(name).setHelp(text)

    def add_string(self, name, description, *, default=None, optional=True):
        self.addParameter(QgsProcessingParameterString(name, tr(description), default, optional=optional))

    def add_number(self, name, description, *, default, minimum=None, maximum=None, integer=False, optional=False):
        kind = QgsProcessingParameterNumber.Type.Integer if integer else QgsProcessingParameterNumber.Type.Double
        param = QgsProcessingParameterNumber(name, tr(description), kind, default, optional)
        if minimum is not None:
            param.setMinimum(minimum)
        if maximum is not None:
            param.setMaximum(maximum)
        self.addParameter(param)

    def add_sink(self, name, description, *, geometry=QgsProcessing.SourceType.TypeVectorPolygon, optional=False):
        self.addParameter(QgsProcessingParameterFeatureSink(name, tr(description), geometry, optional=optional,
                                                            createByDefault=True))

    def add_bool(self, name, description, *, default=False):
        self.addParameter(QgsProcessingParameterBoolean(name, tr(description), default))

    def add_file(self, name, description, *, extension=None, optional=True):
        self.addParameter(QgsProcessingParameterFile(name, tr(description), QgsProcessingParameterFile.Behavior.File,
                                                     extension or "", optional=optional))

    # --- reading parameters ------------------------------------------------
    @staticmethod
    def is_given(parameters, name):
        """Return True unless the (optional) parameter ``name`` is absent or left empty."""
        return parameters.get(name) not in (None, "")

    def read_number(self, parameters, name, context):
        """Return the number parameter ``name`` (an int for an integer parameter), or None where it is empty.

        An absent parameter takes its default, so an optional number whose
        default is None (or one given as None or "") reads as None.
        """
        definition = self.parameterDefinition(name)
        if parameters.get(name, definition.defaultValue()) in (None, ""):
            return None
        if definition.dataType() == QgsProcessingParameterNumber.Type.Integer:
            return self.parameterAsInt(parameters, name, context)
        return self.parameterAsDouble(parameters, name, context)

    def read_string(self, parameters, name, context):
        """Return the string parameter ``name`` without surrounding spaces, or None where it is empty."""
        return (self.parameterAsString(parameters, name, context) or "").strip() or None

    def read_unit(self, parameters, name, context):
        """Return the unit name or adcode in string parameter ``name``, checked to be a YRD unit; None if empty."""
        text = self.read_string(parameters, name, context)
        if text is not None:
            from yrdgeo.units import resolve

            with self.about(name):
                resolve(text)
        return text

    def read_choice(self, parameters, name, context):
        """Return the value the chosen option of enum parameter ``name`` stands for (see add_choice)."""
        return self.enum_values()[name][self.parameterAsEnum(parameters, name, context)]

    def read_choices(self, parameters, name, context):
        """Return the values of the options chosen in the multiple enum parameter ``name``."""
        values = self.enum_values()[name]
        return [values[i] for i in self.parameterAsEnums(parameters, name, context)]

    def read_frame(self, parameters, name, context, feedback, *, crs="EPSG:4326", fields=None, geometry="auto"):
        """Return the source parameter ``name`` as a checked GeoDataFrame in ``crs``, or None when it is empty.

        The features go through :func:`convert.source_to_frame` (explicit CRS
        transform) and then through the library's layer gate
        (``yrdgeo.inputs.check_layer``: geometry type, null/empty geometries,
        coordinates that cannot lie in the YRD, invalid geometries repaired with
        make_valid and reported, polygons far from the bundled unit of their
        adcode). ``geometry`` is ``"polygon"``, ``"line"``, ``"point"``, None
        (any) or ``"auto"`` (what the parameter accepts). Every refusal names
        the parameter.
        """
        if not self.is_given(parameters, name):  # Processing refuses an empty required input before the run
            return None
        source = self.read_source(parameters, name, context)
        label = self.parameterDefinition(name).description()
        if geometry == "auto":
            geometry = _geometry_kind(self.parameterDefinition(name))
        with self.about(name):
            frame = convert.source_to_frame(source, label=label, context=context, feedback=feedback, crs=crs,
                                            fields=fields)
            return convert.check_frame(frame, label=label, geometry=geometry, feedback=feedback)

    def read_table(self, parameters, name, context, feedback, *, fields=None):
        """Return the source parameter ``name`` as a DataFrame of attributes (None if the optional input is empty)."""
        if not self.is_given(parameters, name):
            return None
        source = self.read_source(parameters, name, context)
        label = self.parameterDefinition(name).description()
        with self.about(name):
            return convert.source_to_table(source, label=label, feedback=feedback, fields=fields)

    def read_fields(self, parameters, name, fields, context, *, numeric=True):
        """Return the multiple-field parameter ``name``, each checked to exist (and be numeric)."""
        names = self.parameterAsFields(parameters, name, context)
        with self.about(name):
            for field in names:
                _field_index(fields, field, numeric=numeric)
        return list(names)

    def read_field(self, parameters, name, fields, context, *, numeric=True):
        """Return the field parameter ``name``, checked to exist in ``fields`` (and be numeric), or None."""
        field = self.parameterAsString(parameters, name, context)
        if not field:
            return None
        with self.about(name):
            return fields.at(_field_index(fields, field, numeric=numeric)).name()

    def read_source(self, parameters, name, context):
        """Return the source parameter ``name`` (QgsProcessingFeatureSource), or raise naming it."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:  # Processing's message names the parameter
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def read_list(self, parameters, name, context):
        """Return a comma/semicolon/、-separated string parameter as a list of stripped items."""
        text = self.parameterAsString(parameters, name, context) or ""
        for sep in (";", "；", "、", "，"):
            text = text.replace(sep, ",")
        return [t.strip() for t in text.split(",") if t.strip()]

    def read_numbers(self, parameters, name, context, *, example):
        """Return a comma-separated list of positive numbers (minutes, km), or raise naming ``name``."""
        items = self.read_list(parameters, name, context)
        try:
            values = [float(t) for t in items]
        except ValueError:
            values = []
        if not values or not all(math.isfinite(v) and v > 0 for v in values):
            raise QgsProcessingException(convert.parameter_message([name], tr(
                "“{value}” is not a list of positive numbers separated by commas; expected e.g. {example}.").format(
                value=self.parameterAsString(parameters, name, context) or "", example=example)))
        return values

    def read_date(self, parameters, name, context):
        """Return the date parameter ``name`` as ISO text, None if empty, or raise naming it.

        A partial date is the last day of its period (``2019`` is 2019-12-31),
        the library's one rule (:mod:`yrdgeo.dates`).
        """
        text = self.read_string(parameters, name, context)
        if text is None:
            return None
        from yrdgeo.dates import as_date

        try:
            return as_date(text).isoformat()
        except ValueError:
            raise QgsProcessingException(convert.parameter_message([name], tr(
                "“{value}” is not a date; expected YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2018-06-01.").format(
                value=text))) from None

    def read_date_pair(self, parameters, first, second, context):
        """Return two required dates ``first`` < ``second`` as ISO text, or raise naming both parameters."""
        a, b = self.read_date(parameters, first, context), self.read_date(parameters, second, context)
        if a is None or b is None:
            raise QgsProcessingException(convert.parameter_message([first, second], tr(
                "Give both dates, e.g. 2010-01-01 and 2020-01-01.")))
        if a >= b:
            raise QgsProcessingException(convert.parameter_message([first, second], tr(
                "The earlier date {first} = {a} is not before the later date {second} = {b}; "
                "swap them (the change is measured from {first} to {second}).").format(
                first=first, second=second, a=a, b=b)))
        return a, b

    # --- errors --------------------------------------------------------------
    @contextlib.contextmanager
    def about(self, *names):
        """Attribute the library's errors raised inside the block to the QGIS parameters ``names``."""
        try:
            yield
        except convert.Cancelled:
            raise
        except QgsProcessingException as exc:
            message = exc.args[0] if exc.args else str(exc)
            if names and not names_parameter(message):
                raise QgsProcessingException(convert.parameter_message(names, message)) from None
            raise
        except ImportError as exc:
            raise QgsProcessingException(missing_dependencies_message([exc.name or str(exc)])) from None
        except Exception as exc:  # noqa: BLE001 (the library's and GDAL's input errors)
            if not _is_input_error(exc):
                raise
            raise QgsProcessingException(self.library_error(exc, names)) from None

    def library_error(self, exc, names=()):
        """Return the message for a library error: its text, keywords as QGIS parameters, the parameters named."""
        message, found = self.rewrite_keywords(str(exc) or type(exc).__name__)
        params = list(dict.fromkeys([*names, *found, *self._fields_in(message)]))
        if names_parameter(message):
            return message
        if params:
            return convert.parameter_message(params, message)
        return tr("yrdgeo could not use the input: {message}").format(message=message)

    def rewrite_keywords(self, text):
        """Return ``(text, parameters)``: library keywords (``missing='drop'``) replaced by QGIS parameters."""
        found = []

        def parameter(keyword):
            name = KEYWORD_PARAMETERS.get(keyword, keyword.upper())
            if self.parameterDefinition(name) is None:
                return None
            found.append(name)
            return name

        def assign(match):
            verb, keyword = match.group("verb"), match.group("kw")
            value = next((v for v in (match.group("q1"), match.group("q2"), match.group("bare")) if v is not None),
                         None)
            name = parameter(keyword)
            if name is None:
                return match.group(0)
            label = self._option_label(name, value)
            if verb:
                return (tr("set {name} to “{label}”").format(name=name, label=label) if label
                        else tr("set {name}").format(name=name))
            return f"{name} = “{label}”" if label else name

        def bare(match):
            name = parameter(match.group(1))
            return name or match.group(0)

        text = _ASSIGNMENT.sub(assign, text)
        text = _BARE_KEYWORD.sub(bare, text)
        return text, list(dict.fromkeys(found))

    def _option_label(self, name, value):
        values = self.enum_values().get(name)
        definition = self.parameterDefinition(name)
        if value is None or values is None or value not in values or not hasattr(definition, "options"):
            return None
        options = definition.options()
        i = values.index(value)
        return options[i] if i < len(options) else None

    def _fields_in(self, message):
        """Return the field parameters whose chosen field(s) the message quotes (``'gdp'``)."""
        out = []
        parameters = getattr(self, "_run_parameters", None) or {}
        for definition in self.parameterDefinitions():
            if not isinstance(definition, QgsProcessingParameterField):
                continue
            value = parameters.get(definition.name())
            values = value if isinstance(value, (list, tuple)) else [value]
            if any(isinstance(v, str) and v and (f"'{v}'" in message or f"“{v}”" in message) for v in values):
                out.append(definition.name())
        return out

    # --- writing -----------------------------------------------------------
    def write_frame(self, parameters, name, context, frame, feedback, *, style=None):
        """Write ``frame`` to the sink ``name`` (nothing opened before it is ready); return its id."""
        return self.write_frames(parameters, context, {name: (frame, style)}, feedback)[name]

    def write_frames(self, parameters, context, outputs, feedback):
        """Write ``{sink: (frame, style or None)}``; return ``{sink: destination id}``; all or none.

        All outputs are prepared before any is opened, and an output that fails
        removes the ones this run created and restores files it replaced (see
        convert.write_frames). Optional sinks the user switched off (value None)
        are skipped. Layers are reprojected to the output CRS
        (:meth:`output_crs`); tables are written as they are.
        """
        target = self.output_crs(parameters, context)
        wanted = {name: reproject(frame, target) for name, (frame, _) in outputs.items()
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
        if self.writes_layers() and self.parameterDefinition(OUTPUT_CRS) is None:
            self.addParameter(QgsProcessingParameterCrs(OUTPUT_CRS, tr("Output CRS (empty: the input's)"),
                                                        optional=True))
            self.set_help(OUTPUT_CRS, tr(
                "The CRS of the output layers. Empty: the CRS of the first input layer given; EPSG:4326 when "
                "the algorithm has no input layer. The analysis itself always measures in EPSG:4326/4549; "
                "only the written layers are reprojected."))

    def writes_layers(self):
        """Return True when a sink of this algorithm takes geometries (a table-only algorithm gets no OUTPUT_CRS)."""
        return any(isinstance(d, QgsProcessingParameterFeatureSink) and d.dataType() != QgsProcessing.SourceType.TypeVector
                   for d in self.parameterDefinitions())

    def output_crs(self, parameters, context):
        """Return the CRS output layers are written in (QgsCoordinateReferenceSystem).

        ``OUTPUT_CRS`` when given; otherwise the CRS of the main input: the
        first source parameter given whose layer has a CRS (the library works
        in EPSG:4326/4549 inside, so only the output is reprojected);
        EPSG:4326 when there is none (``load_units``).
        """
        if self.parameterDefinition(OUTPUT_CRS) is not None and self.is_given(parameters, OUTPUT_CRS):
            crs = self.parameterAsCrs(parameters, OUTPUT_CRS, context)
            if crs.isValid():
                return crs
        for definition in self.parameterDefinitions():
            if isinstance(definition, QgsProcessingParameterFeatureSource) and self.is_given(
                    parameters, definition.name()):
                source = self.parameterAsSource(parameters, definition.name(), context)
                if source is not None and source.sourceCrs().isValid():
                    return source.sourceCrs()
        return QgsCoordinateReferenceSystem("EPSG:4326")

    def define(self, config):
        raise NotImplementedError

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        """Run ``compute``; every failure leaves as a QgsProcessingException naming the parameters."""
        yrdgeo = self.load_dependencies()
        convert.check_cancelled(feedback)
        self._run_parameters = parameters
        with warnings.catch_warnings():
            # The library's warnings (units left out, repaired geometries, unmatched rows) reach the log.
            warnings.simplefilter("always", UserWarning)
            shown = warnings.showwarning
            warnings.showwarning = lambda message, category, *args, **kw: (
                convert.warn(feedback, str(message)) if issubclass(category, UserWarning)
                else shown(message, category, *args, **kw))
            try:
                with self.about():
                    return self.compute(parameters, context, feedback, yrdgeo)
            except QgsProcessingException:
                raise
            except Exception as exc:  # noqa: BLE001 (a bug: still no traceback for the planner, but the log has it)
                feedback.pushDebugInfo(traceback.format_exc())
                raise QgsProcessingException(tr(
                    "{alg} stopped on an unexpected error ({kind}: {message}); no output was written. "
                    "Please report it with the log: {homepage}").format(
                    alg=self.ID, kind=type(exc).__name__, message=exc, homepage=HOMEPAGE)) from None

    def compute(self, parameters, context, feedback, yrdgeo):
        raise NotImplementedError


def reproject(frame, crs):
    """Return ``frame`` in ``crs`` (a QgsCoordinateReferenceSystem) when it is a layer with a CRS; else unchanged."""
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns or frame.crs is None:
        return frame  # a table: no geometry to reproject
    # pyproj knows EPSG/ESRI codes; a user-defined CRS (USER:100000) only by its WKT.
    authid = crs.authid()
    target = authid if authid.upper().startswith(("EPSG:", "ESRI:")) else crs.toWkt(
        QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED)
    if frame.crs.equals(target):
        return frame
    return frame.to_crs(target)


# Library keywords whose QGIS parameter is not simply the keyword in capitals.
KEYWORD_PARAMETERS = {
    "k_nearest": "ACCESS_NODES", "default_speed_kmh": "DEFAULT_SPEED", "speed": "SPEED_FIELD",
    "time": "TIME_FIELD", "demand_column": "DEMAND_FIELD", "supply_column": "SUPPLY_FIELD",
    "travel_time_as_of": "TRAVEL_TIME_DATE",
}
# ``pass missing='drop'``, ``islands="nearest"``, ``threshold_km=`` in a library message.
_ASSIGNMENT = re.compile(r"(?:\b(?P<verb>pass|use|set)\s+)?\b(?P<kw>[a-z][a-z0-9_]*)="
                         r"(?:'(?P<q1>[^']*)'|\"(?P<q2>[^\"]*)\"|(?P<bare>[A-Za-z0-9_.]+))?")
# A bare keyword with an underscore (``island_k``, ``max_access_km``) cannot be an ordinary word.
_BARE_KEYWORD = re.compile(r"(?<![\w'“\"])([a-z]+(?:_[a-z0-9]+)+)(?![\w'”\"(])")


def _is_input_error(exc):
    """Return True for errors that describe the input: the library's ValueErrors, OS and GDAL/raster errors."""
    if isinstance(exc, (ValueError, OSError, UnicodeError)):
        return True
    module = type(exc).__module__ or ""
    return module.split(".")[0] in ("pyogrio", "rasterio", "fiona", "pyproj")


def _geometry_kind(definition):
    """Return ``"polygon"``/``"line"``/``"point"`` when a source parameter accepts only that type, else None."""
    types = set(getattr(definition, "dataTypes", lambda: [])())
    kinds = {QgsProcessing.SourceType.TypeVectorPolygon: "polygon", QgsProcessing.SourceType.TypeVectorLine: "line",
             QgsProcessing.SourceType.TypeVectorPoint: "point"}
    if len(types) == 1 and next(iter(types)) in kinds:
        return kinds[next(iter(types))]
    return None


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
