"""Export a plan map (PDF/PNG/SVG) of a layer through a print layout added to the project, Chinese labels included."""

import os

from qgis.core import (
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsRendererRange,
    QgsStyle,
)

from .. import layout
from ..base import YrdGeoAlgorithm, style_path
from ..convert import check_cancelled, parameter_message
from ..i18n import tr

STYLES = {None: "The layer's own style", "units": "YRD units", "lisa": "LISA clusters",
          "ranked": "Ranked candidates", "corridor_wings": "Corridor wings", "hot_spots": "Hot and cold spots"}
# The plugin's class choices and the library's schemes (yrdgeo.maps.SCHEMES) they stand for.
SCHEMES = {"quantile": "quantiles", "jenks": "natural_breaks"}


class ExportPlanMap(YrdGeoAlgorithm):
    ID = "export_plan_map"
    DISPLAY_NAME = "Export plan map (PDF/PNG/SVG)"
    GROUP_ID = "maps"
    # QGIS draws the map; yrdgeo.maps supplies the classes, legend titles and page note, yrdgeo.io the writer
    REQUIRES = ("numpy", "pandas", "mapclassify", "matplotlib")
    FLAGS = QgsProcessingAlgorithm.Flag.FlagNoThreading  # layouts render on the main thread

    def define(self, config):
        self.addParameter(QgsProcessingParameterVectorLayer("INPUT", tr("Layer to map")))
        self.add_choice("STYLE", "Style", STYLES)  # the plugin's QML styles (styles/)
        self.add_field("FIELD", "Numeric field to colour by (empty: keep the layer's style)", "INPUT", optional=True)
        self.add_choice("CLASSIFICATION", "Classes", {"quantile": "Quantiles", "jenks": "Natural breaks (Jenks)"})
        self.add_number("CLASSES", "Number of classes", default=5, minimum=2, maximum=9, integer=True)
        self.add_field("LABEL_FIELD", "Label field (e.g. short_zh)", "INPUT", numeric=False, optional=True)
        # Defaults in the QGIS locale's language; an empty text takes the same default at run time.
        self.add_string("TITLE", "Title", default=layout.map_text("title"))
        self.add_string("SOURCE_NOTE", "Source note", default=layout.map_text("source"))
        self.add_string("DATA_YEAR", "Data year (e.g. 2019)")
        self.add_string("APPROVAL_NUMBER", "Map approval number (审图号)")
        self.add_choice("PAGE", "Page", {page: page for page in layout.PAGES})
        self.add_number("DPI", "Resolution (dpi)", default=150, minimum=50, maximum=600, integer=True)
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", tr("Plan map"), tr("PDF files (*.pdf);;PNG files (*.png);;SVG files (*.svg)")))
        self.addOutput(QgsProcessingOutputString("LAYOUT", tr("Layout in the project")))

    def compute(self, parameters, context, feedback, yrdgeo):
        source_layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        if source_layer is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "INPUT"))
        if source_layer.featureCount() == 0:
            raise QgsProcessingException(parameter_message(["INPUT"], tr(
                "The input layer “{}” has no features; expected at least one.").format(source_layer.name())))
        self._check_crs(source_layer)
        fields = source_layer.fields()
        field = self.read_field(parameters, "FIELD", fields, context)
        label_field = self.read_field(parameters, "LABEL_FIELD", fields, context, numeric=False)
        out_path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        if not out_path.lower().endswith(layout.EXTENSIONS):
            raise QgsProcessingException(parameter_message(["OUTPUT"], tr(
                "The map file must end in .pdf, .png or .svg, got “{}”.").format(out_path)))
        if not os.path.isdir(os.path.dirname(os.path.abspath(out_path))):
            raise QgsProcessingException(parameter_message(["OUTPUT"], tr(
                "The folder {folder} of this output does not exist; create it or choose another file.").format(
                folder=os.path.dirname(os.path.abspath(out_path)))))
        layer = source_layer.clone()  # the user's layer keeps its style
        style = self.read_choice(parameters, "STYLE", context)
        if style:
            message, ok = layer.loadNamedStyle(style_path(style))
            if not ok:
                raise QgsProcessingException(parameter_message(["STYLE"], tr(
                    "Could not apply the style {}: {}").format(style, message)))
        if field:
            self._graduate(layer, field, feedback, parameters, context)
        if label_field:
            layout.label_layer(layer, label_field)
        # The legend lists the layer under the indicator's label, never the layer's (file) name.
        layer.setName(self._legend_label(layer, field, style, source_layer.name()))
        check_cancelled(feedback)
        title = self.parameterAsString(parameters, "TITLE", context).strip() or layout.map_text("title")
        source = self.parameterAsString(parameters, "SOURCE_NOTE", context).strip() or layout.map_text("source")
        note = layout.page_note(source, data_year=self.parameterAsString(parameters, "DATA_YEAR", context).strip(),
                                approval_number=self.parameterAsString(parameters, "APPROVAL_NUMBER", context).strip())
        page = self.read_choice(parameters, "PAGE", context)
        dpi = self.parameterAsInt(parameters, "DPI", context)
        feedback.pushInfo(tr("Drawing the map in {crs} with the font {font}.").format(
            crs=layout.MAP_CRS, font=layout.CJK_FONT))
        # The planner's project receives the styled layer (in its own group, unchecked, so the canvas
        # does not draw it twice) and the layout, to be finished in the Layout Manager.
        project = context.project() or QgsProject.instance()
        project.addMapLayer(layer, False)
        group = project.layerTreeRoot().insertGroup(0, layout.map_text("group").format(title))
        group.addLayer(layer)
        group.setItemVisibilityChecked(False)
        print_layout = layout.build_layout(project, [layer], title=title, note=note, page=page)
        name = layout.add_to_project(project, print_layout)
        feedback.pushInfo(tr("The layout “{}” is in the project: Project → Layout Manager.").format(name))
        feedback.setProgress(50)
        check_cancelled(feedback)
        with self.about("OUTPUT"):  # a full disk or a refused file name: named, and nothing left behind
            layout.export_layout(print_layout, out_path, dpi=dpi)
        feedback.setProgress(100)
        return {"OUTPUT": out_path, "LAYOUT": name}

    @staticmethod
    def _legend_label(layer, field, style, layer_name):
        """Return the legend label: the colouring field's label, else the style's name, else the layer's name."""
        renderer = layer.renderer()
        attribute = field or (renderer.classAttribute() if hasattr(renderer, "classAttribute") else "")
        if field or (attribute and not style):
            return layout.indicator_label(layer, attribute)
        return tr(STYLES[style]) if style else layer_name

    @staticmethod
    def _check_crs(layer):
        """Refuse a layer without a CRS, or whose coordinates cannot be in the CRS it declares.

        The map is drawn in EPSG:4549 with a scale bar: a layer without a CRS
        (or metres labelled as degrees) would give a wrong scale bar under a
        note claiming a projection.
        """
        crs = layer.crs()
        if not crs.isValid():
            raise QgsProcessingException(parameter_message(["INPUT"], tr(
                "The layer “{layer}” has no coordinate reference system, so the map's scale bar and projection "
                "note would be wrong. Set its CRS (Layer Properties → Source, or Processing “Assign projection”), "
                "e.g. EPSG:4326 for longitude/latitude or EPSG:4549 for CGCS2000 Gauss-Krüger metres.").format(
                layer=layer.name())))
        extent = layer.extent()
        if crs.isGeographic() and (extent.xMinimum() < -180 or extent.xMaximum() > 180
                                   or extent.yMinimum() < -90 or extent.yMaximum() > 90):
            raise QgsProcessingException(parameter_message(["INPUT"], tr(
                "The layer “{layer}” says {crs} (longitude/latitude degrees) but its coordinates run x {x0:,.0f} … "
                "{x1:,.0f}, y {y0:,.0f} … {y1:,.0f}, which are metres of a projected CRS; set the layer's real CRS.")
                .format(layer=layer.name(), crs=crs.authid() or crs.description(), x0=extent.xMinimum(),
                        x1=extent.xMaximum(), y0=extent.yMinimum(), y1=extent.yMaximum())))

    def _graduate(self, layer, field, feedback, parameters, context):
        """Colour ``layer`` by ``field`` in the library's classes with nice breaks (as yrdgeo.maps.plot_map)."""
        from yrdgeo.maps import classify

        index = layer.fields().lookupField(field)
        values = [value for value in (feature[index] for feature in layer.getFeatures())
                  if value is not None and not (hasattr(value, "isNull") and value.isNull())]
        if not values:
            raise QgsProcessingException(parameter_message(["FIELD"], tr(
                "The field “{}” has no values to classify.").format(field)))
        method = self.read_choice(parameters, "CLASSIFICATION", context)
        with self.about("FIELD"):
            classes = classify(values, scheme=SCHEMES[method], k=self.parameterAsInt(parameters, "CLASSES", context),
                               nice=True, fmt=None)
        symbol = QgsFillSymbol.createSimple({"outline_color": "#666666", "outline_width": "0.1"})
        lowers = [classes.lower, *classes.bins[:-1]]
        ranges = [QgsRendererRange(float(low), float(high), symbol.clone(), label)
                  for low, high, label in zip(lowers, classes.bins, classes.labels)]
        renderer = QgsGraduatedSymbolRenderer(field, ranges)
        renderer.setSourceSymbol(symbol)
        renderer.updateColorRamp(QgsStyle.defaultStyle().colorRamp("Reds"))
        layer.setRenderer(renderer)
        feedback.pushInfo(tr("Coloured by {field} in {n} classes ({method}).").format(
            field=field, n=len(ranges), method=method))
