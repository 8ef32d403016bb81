"""Plan maps through QGIS print layouts: map, title, legend, scale bar, north arrow, source note.

Chinese text renders only when a CJK font is named explicitly, so every text
item uses :data:`CJK_FONT`. The map is drawn in EPSG:4549 (CGCS2000 /
3-degree Gauss-Krüger CM 120E, conformal: right for scale bars in the YRD).
PDF text is kept as text (not outlines) so the font is embedded and the text
stays searchable.
"""

import os

from qgis.core import (
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
    QgsLegendStyle,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProcessingException,
    QgsRectangle,
    QgsRenderContext,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase

from .i18n import tr, tr_noop

CJK_FONT = "Noto Sans CJK SC"
MAP_CRS = "EPSG:4549"
PAGES = {tr_noop("A4 landscape"): ("A4", QgsLayoutItemPage.Landscape),
         tr_noop("A4 portrait"): ("A4", QgsLayoutItemPage.Portrait),
         tr_noop("A3 landscape"): ("A3", QgsLayoutItemPage.Landscape)}


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
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    if buffer:
        halo = QgsTextBufferSettings()
        halo.setEnabled(True)
        halo.setSize(0.8)
        halo.setColor(QColor("white"))
        fmt.setBuffer(halo)
    return fmt


def label_layer(layer, field, *, size=7.0):
    """Label ``layer`` (a copy the caller owns) with ``field`` in the CJK font."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(text_format(size, buffer=True))
    settings.placement = QgsPalLayerSettings.OverPoint
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _label(layout, text, *, size, x, y, w, h, bold=False, align=Qt.AlignLeft):
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    item.setFont(cjk_font(size, bold=bold))
    item.setHAlign(align)
    item.setVAlign(Qt.AlignVCenter)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
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


def build_layout(project, layers, *, title, source_note, page="A4 landscape", legend_title=None):
    """Return a print layout showing ``layers`` (already in ``project``; top first) with the map furniture."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(title)
    size, orientation = PAGES[page]
    layout.pageCollection().page(0).setPageSize(size, orientation)
    page_size = layout.pageCollection().page(0).pageSize()
    pw, ph = page_size.width(), page_size.height()
    margin, title_h, foot_h, side_w = 10.0, 14.0, 10.0, 55.0

    _label(layout, title, size=18, bold=True, x=margin, y=margin / 2, w=pw - 2 * margin, h=title_h,
           align=Qt.AlignHCenter)

    crs = QgsCoordinateReferenceSystem(MAP_CRS)
    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)
    map_item.attemptMove(QgsLayoutPoint(margin, margin / 2 + title_h, QgsUnitTypes.LayoutMillimeters))
    map_w, map_h = pw - 2 * margin - side_w, ph - margin / 2 - title_h - foot_h - margin / 2
    map_item.attemptResize(QgsLayoutSize(map_w, map_h, QgsUnitTypes.LayoutMillimeters))
    map_item.setCrs(crs)
    map_item.setLayers(list(layers))
    map_item.setFrameEnabled(True)
    map_item.setExtent(_fit(_extent(layers, crs, project), map_w / map_h))

    side_x = margin + map_w + 4
    arrow = QgsLayoutItemPicture(layout)
    arrow.setPicturePath(os.path.join(_svg_root(), "arrows", "NorthArrow_02.svg"))
    arrow.setLinkedMap(map_item)
    arrow.attemptMove(QgsLayoutPoint(side_x, margin / 2 + title_h, QgsUnitTypes.LayoutMillimeters))
    arrow.attemptResize(QgsLayoutSize(14, 14, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(arrow)

    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(legend_title if legend_title is not None else tr("Legend"))
    legend.setLinkedMap(map_item)
    for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup, QgsLegendStyle.SymbolLabel):
        legend.setStyleFont(style, cjk_font(11 if style == QgsLegendStyle.Title else 8,
                                            bold=style == QgsLegendStyle.Title))
    legend.attemptMove(QgsLayoutPoint(side_x, margin / 2 + title_h + 18, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(legend)

    scale = QgsLayoutItemScaleBar(layout)
    scale.setStyle("Single Box")
    scale.setLinkedMap(map_item)
    scale.setUnits(QgsUnitTypes.DistanceKilometers)
    scale.setUnitLabel("km")
    scale.setNumberOfSegmentsLeft(0)
    scale.setNumberOfSegments(3)
    scale.setTextFormat(text_format(8))
    scale.applyDefaultSize(QgsUnitTypes.DistanceKilometers)
    scale.attemptMove(QgsLayoutPoint(margin + 2, ph - foot_h - margin / 2 - 14, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(scale)

    _label(layout, source_note, size=7, x=margin, y=ph - foot_h - margin / 2 + 1, w=pw - 2 * margin, h=foot_h - 1)
    return layout


def _svg_root():
    from qgis.core import QgsApplication

    for root in QgsApplication.svgPaths():
        if os.path.exists(os.path.join(root, "arrows", "NorthArrow_02.svg")):
            return root
    raise QgsProcessingException(tr("QGIS's north-arrow SVG (arrows/NorthArrow_02.svg) was not found."))


def export_layout(layout, path, *, dpi=150):
    """Export ``layout`` to ``path`` (.pdf with text as text, or .png) via a temporary file; return path."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".pdf", ".png"):
        raise QgsProcessingException(tr("The map file must end in .pdf or .png, got “{}”.").format(path))
    from yrdgeo.io import atomic_path

    exporter = QgsLayoutExporter(layout)
    with atomic_path(path) as tmp:
        if ext == ".pdf":
            settings = QgsLayoutExporter.PdfExportSettings()
            settings.dpi = dpi
            settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
            result = exporter.exportToPdf(str(tmp), settings)
        else:
            # Rendered to an image and saved by Qt: QGIS's exportToImage would try to
            # georeference the PNG through GDAL, which cannot update PNGs in place.
            image = exporter.renderPageToImage(0, QSize(), dpi)
            result = QgsLayoutExporter.Success if image.save(str(tmp), "PNG") else QgsLayoutExporter.FileError
        if result != QgsLayoutExporter.Success:
            detail = exporter.errorMessage() if hasattr(exporter, "errorMessage") else f"code {int(result)}"
            raise QgsProcessingException(tr("The layout export to {} failed ({}).").format(path, detail))
    return path
