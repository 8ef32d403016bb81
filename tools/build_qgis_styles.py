#!/usr/bin/env python3
"""Write the plugin's QML styles (qgis_plugin/yrdgeo_qgis/styles/*.qml) with PyQGIS.

    QT_QPA_PLATFORM=offscreen python tools/build_qgis_styles.py

Styles are generated rather than hand-edited so their colours live in one
readable place. The LISA clusters and Gi* spots are the library's own
categories, colours and Chinese names (``yrdgeo.autocorrelation``:
CLUSTER_ORDER, SPOT_ORDER, COLOURS, LABELS_ZH; GeoDa's cluster map: HH red, LL
blue, LH light blue, HL light red, not significant grey), so a QGIS map
matches the library's figures; labels use "Noto Sans CJK SC", the font
Chinese text needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsLineSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsRendererRange,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from yrdgeo import autocorrelation

STYLES = Path(__file__).resolve().parents[1] / "qgis_plugin" / "yrdgeo_qgis" / "styles"
CJK_FONT = "Noto Sans CJK SC"


def categories(order):
    """Return ``[(value, colour, "value 中文")]`` for the library's cluster or spot labels ``order``."""
    return [(v, autocorrelation.COLOURS[v], f"{v} {autocorrelation.LABELS_ZH[v]}") for v in order]


LISA = categories(autocorrelation.CLUSTER_ORDER)
GI = categories(autocorrelation.SPOT_ORDER)
RANKS = [(1, 1, "#006837", "1"), (2, 3, "#31a354", "2–3"), (4, 5, "#78c679", "4–5"),
         (6, 10, "#c2e699", "6–10"), (11, 100000, "#ffffcc", "> 10")]
WINGS = [("hub", "#762a83", "hub 枢纽"), ("north", "#1b7837", "north wing 北翼"), ("south", "#e08214", "south wing 南翼"),
         ("main", "#2166ac", "main 主线"), ("all", "#bababa", "all 全部")]


def fill(color, outline="#555555", width="0.2"):
    return QgsFillSymbol.createSimple({"color": color, "outline_color": outline, "outline_width": width})


def labels(field, size=8.0):
    fmt = QgsTextFormat()
    fmt.setFont(QFont(CJK_FONT))
    fmt.setSize(size)
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(0.8)
    halo.setColor(QColor("white"))
    fmt.setBuffer(halo)
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(fmt)
    settings.placement = QgsPalLayerSettings.OverPoint
    return QgsVectorLayerSimpleLabeling(settings)


def save(layer, renderer, name, label_field=None):
    layer.setRenderer(renderer)
    if label_field:
        layer.setLabeling(labels(label_field))
        layer.setLabelsEnabled(True)
    message, ok = layer.saveNamedStyle(str(STYLES / f"{name}.qml"))
    if not ok:
        raise RuntimeError(f"{name}: {message}")


def main() -> int:
    app = QgsApplication([], False)
    app.initQgis()
    STYLES.mkdir(exist_ok=True)
    poly = QgsVectorLayer("MultiPolygon?crs=EPSG:4326&field=short_zh:string&field=lisa_cluster:string"
                          "&field=rank:integer&field=wing:string"
                          "&field=gi_spot:string", "style", "memory")
    save(poly, QgsSingleSymbolRenderer(fill("#f2efe9", "#7a7a7a", "0.3")), "units", "short_zh")
    save(poly, QgsCategorizedSymbolRenderer("lisa_cluster", [
        QgsRendererCategory(v, fill(c), label) for v, c, label in LISA]), "lisa", "short_zh")
    save(poly, QgsCategorizedSymbolRenderer("gi_spot", [
        QgsRendererCategory(v, fill(c), label) for v, c, label in GI]), "hot_spots", "short_zh")
    save(poly, QgsGraduatedSymbolRenderer("rank", [
        QgsRendererRange(lo, hi, fill(c), label) for lo, hi, c, label in RANKS]), "ranked", "short_zh")
    wings = QgsCategorizedSymbolRenderer("wing", [QgsRendererCategory(v, fill(c, c, "0.4"), label)
                                                  for v, c, label in WINGS])
    for cat in wings.categories():
        cat.symbol().setOpacity(0.45)
    save(poly, wings, "corridor_wings")
    line = QgsVectorLayer("MultiLineString?crs=EPSG:4326&field=wing:string", "lines", "memory")
    save(line, QgsCategorizedSymbolRenderer("wing", [
        QgsRendererCategory(v, QgsLineSymbol.createSimple({"line_color": c, "line_width": "0.8"}), label)
        for v, c, label in WINGS]), "corridor_lines")
    print(f"wrote {len(list(STYLES.glob('*.qml')))} styles to {STYLES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
