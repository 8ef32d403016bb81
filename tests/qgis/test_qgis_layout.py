"""Plan maps through print layouts: the PDF embeds a CJK font, the PNG shows the map, inputs stay untouched."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # renders print layouts to PDF and PNG


def _pdf_fonts(path):
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return {r[0]: r for r in rows}


def test_pdf_embeds_the_cjk_font(run_alg, layer_files, tmp_path):
    from qgis.core import QgsProject, QgsVectorLayer

    layer = QgsVectorLayer(layer_files[("js_cities", 4549)], "江苏 cities")
    renderer_before = layer.renderer().dump()
    n_layers = len(QgsProject.instance().mapLayers())
    pdf = tmp_path / "plan.pdf"
    results, feedback = run_alg("export_plan_map", {
        "INPUT": layer, "FIELD": "anchor_lat", "LABEL_FIELD": "short_zh", "TITLE": "江苏省地级市 Jiangsu cities",
        "OUTPUT": str(pdf)})
    assert results["OUTPUT"] == str(pdf) and pdf.stat().st_size > 10_000
    fonts = _pdf_fonts(pdf)
    cjk = [name for name in fonts if "NotoSansCJK" in name]
    assert cjk, fonts
    assert all(fonts[name][-5] == "yes" for name in cjk)  # the "emb" column
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "江苏省地级市" in text and "苏州" in text and "km" in text  # title, labels, scale bar as text
    assert layer.renderer().dump() == renderer_before  # the user's layer keeps its style
    assert len(QgsProject.instance().mapLayers()) == n_layers + 1  # the project gets the map's own styled copy
    assert any("Noto Sans CJK SC" in line for line in feedback.infos)


def test_png_is_not_blank(run_alg, layer_files, tmp_path):
    from qgis.PyQt.QtGui import QImage

    png = tmp_path / "plan.png"
    run_alg("export_plan_map", {"INPUT": layer_files[("zj_counties", 4326)], "FIELD": "anchor_lon",
                                "CLASSIFICATION": 1, "CLASSES": 4, "LABEL_FIELD": "short_zh", "DPI": 60,
                                "OUTPUT": str(png)})
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 600
    rgb32 = image.convertToFormat(QImage.Format_RGB32)  # keep it referenced while its bits are read
    ptr = rgb32.constBits()
    ptr.setsize(rgb32.bytesPerLine() * rgb32.height())
    bgra = np.frombuffer(ptr, dtype=np.uint8).reshape(rgb32.height(), rgb32.bytesPerLine() // 4, 4).copy()
    px = bgra[:, : rgb32.width(), 2::-1].astype(int)  # → RGB
    non_white = (px < 240).any(axis=2).mean()
    assert non_white > 0.10  # the map fills a good part of the page
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    assert ((r > g + 60) & (r > b + 60)).mean() > 0.05  # the graduated red classes are drawn
    assert len(np.unique(px.reshape(-1, 3), axis=0)) > 50


def test_bad_map_extension_is_refused(run_alg, layer_files, tmp_path):
    import pytest
    from qgis.core import QgsProcessingException

    out = tmp_path / "plan.jpg"
    with pytest.raises(QgsProcessingException, match=r"must end in \.pdf, \.png or \.svg"):
        run_alg("export_plan_map", {"INPUT": layer_files[("js_cities", 4326)], "OUTPUT": str(out)})
    assert not out.exists()


def test_lisa_output_maps_with_the_bundled_style(run_alg, tmp_path):
    """A LISA result exported with the LISA style: the PDF legend lists the cluster classes in Chinese."""
    import pandas as pd

    import yrdgeo
    from yrdgeo.io import write_layers
    from yrdgeo.units import data_path

    ratios = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    cities = yrdgeo.load_units("city").merge(ratios[["adcode", "ratio_2019"]], on="adcode")
    src = tmp_path / "ratio.gpkg"
    write_layers({"ratio": cities}, src)
    lisa = tmp_path / "lisa.gpkg"
    run_alg("spatial_autocorrelation", {"INPUT": str(src), "FIELD": "ratio_2019", "PERMUTATIONS": 99, "SEED": 1,
                                        "OUTPUT": str(lisa)})
    pdf = tmp_path / "lisa.pdf"
    run_alg("export_plan_map", {"INPUT": str(lisa), "STYLE": 2, "TITLE": "常住/户籍人口比 LISA 2019",
                                "OUTPUT": str(pdf)})
    import unicodedata

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = unicodedata.normalize("NFKC", text)  # pdftotext maps some CJK glyphs to Kangxi radicals (⾼ for 高)
    assert "HH 高-高" in text and "LL 低-低" in text and "不显著" in text and "人口比 LISA" in text


@pytest.fixture
def chinese_locale(qgis_plugin, tmp_path):
    """QGIS's locale set to zh_CN the way the plugin reads it (locale/userLocale), its translator installed.

    The settings go to a file of this test only (QSettings.setPath, per process): the user's (and
    other test workers') settings file is never written.
    """
    import os

    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings
    from yrdgeo_qgis.i18n import install_translator, user_locale

    settings_dir = os.path.dirname(QgsSettings().fileName())
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    try:
        QgsSettings().setValue("locale/userLocale", "zh_CN")
        assert user_locale() == "zh_CN"
        install_translator()
        yield
    finally:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings_dir)
        install_translator("en")


def _layout_texts(print_layout):
    from qgis.core import QgsLayoutItemLabel

    return [item.text() for item in print_layout.items() if isinstance(item, QgsLayoutItemLabel)]


def _legend(print_layout):
    from qgis.core import QgsLayoutItemLegend

    return next(item for item in print_layout.items() if isinstance(item, QgsLayoutItemLegend))


def test_layout_is_added_to_the_project_in_chinese(run_alg, layer_files, tmp_path, chinese_locale):
    """Under zh_CN: the layout is in the Layout Manager with 图例, Chinese default texts, the note's extra lines."""
    from qgis.core import QgsProject

    from yrdgeo.maps import DEFAULT_DISCLAIMER

    pdf = tmp_path / "plan.pdf"
    results, feedback = run_alg("export_plan_map", {
        "INPUT": layer_files[("js_cities", 4549)], "FIELD": "anchor_lat", "DATA_YEAR": "2019",
        "APPROVAL_NUMBER": "苏S（2024）001号", "OUTPUT": str(pdf)})
    print_layout = QgsProject.instance().layoutManager().layoutByName(results["LAYOUT"])
    assert print_layout is not None and results["LAYOUT"].startswith("长江三角洲区域")
    assert _legend(print_layout).title() == "图例"
    texts = "\n".join(_layout_texts(print_layout))
    assert "长江三角洲区域" in texts and "边界：yrdgeo 内置长三角行政单元" in texts  # the Chinese defaults
    assert "2019" in texts and "苏S（2024）001号" in texts and DEFAULT_DISCLAIMER in texts
    legend_layers = _legend(print_layout).model().rootGroup().findLayers()
    assert [node.layer().name() for node in legend_layers] == ["anchor_lat"]  # a field without a title: its name
    fonts = _pdf_fonts(pdf)
    assert [name for name in fonts if "NotoSansCJK" in name and fonts[name][-5] == "yes"], fonts


def test_a_second_run_keeps_the_first_layout(run_alg, layer_files, tmp_path):
    from qgis.core import QgsPrintLayout, QgsProject

    manager = QgsProject.instance().layoutManager()
    mine = QgsPrintLayout(QgsProject.instance())
    mine.initializeDefaults()
    mine.setName("My plan")  # a layout the planner made
    manager.addLayout(mine)
    params = {"INPUT": layer_files[("js_cities", 4326)], "TITLE": "My plan", "DPI": 50}
    first, _ = run_alg("export_plan_map", {**params, "OUTPUT": str(tmp_path / "a.png")})
    second, _ = run_alg("export_plan_map", {**params, "OUTPUT": str(tmp_path / "b.png")})
    assert manager.layoutByName("My plan") is mine and len(_layout_texts(mine)) == 0
    assert first["LAYOUT"] == "My plan (2)" and second["LAYOUT"] == "My plan (3)"
    assert manager.layoutByName("My plan (2)") is not None  # the first run's layout is still there
    texts = "\n".join(_layout_texts(manager.layoutByName(second["LAYOUT"])))
    assert "Yangtze River Delta" not in texts and "My plan" in texts and "Boundaries: yrdgeo" in texts  # English


def test_legend_entry_is_the_indicator_label_and_breaks_are_the_librarys(run_alg, tmp_path):
    """A ratio layer written as lisa2019.gpkg: the legend says the indicator, the breaks are yrdgeo.maps's."""
    import pandas as pd
    from qgis.core import QgsProject

    import yrdgeo
    from yrdgeo.io import write_layers
    from yrdgeo.maps import LEGEND_TITLES, classify
    from yrdgeo.units import data_path

    ratios = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    cities = yrdgeo.load_units("city").merge(ratios[["adcode", "ratio_2019"]], on="adcode")
    src = tmp_path / "lisa2019.gpkg"
    write_layers({"lisa2019": cities}, src)
    results, _ = run_alg("export_plan_map", {"INPUT": str(src), "FIELD": "ratio_2019", "CLASSIFICATION": 1,
                                             "CLASSES": 5, "TITLE": "比", "OUTPUT": str(tmp_path / "m.svg")})
    print_layout = QgsProject.instance().layoutManager().layoutByName(results["LAYOUT"])
    [node] = _legend(print_layout).model().rootGroup().findLayers()
    assert node.layer().name() == LEGEND_TITLES["ratio_2019"][1]  # English locale here; never "lisa2019"
    expected = classify(cities["ratio_2019"], scheme="natural_breaks", k=5, nice=True, fmt=None)
    ranges = node.layer().renderer().ranges()
    assert [r.upperValue() for r in ranges] == list(expected.bins)
    assert ranges[0].lowerValue() == expected.lower
    assert [r.label() for r in ranges] == expected.labels
    assert all(len(str(r.upperValue()).split(".")[-1]) <= 2 for r in ranges)  # nice, not 4 decimals
    svg = (tmp_path / "m.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Noto Sans CJK SC" in svg


def test_a_field_alias_is_the_legend_label(run_alg, layer_files, tmp_path):
    from qgis.core import QgsProject, QgsVectorLayer

    layer = QgsVectorLayer(layer_files[("js_cities", 4326)], "js_cities_4326")
    layer.setFieldAlias(layer.fields().lookupField("anchor_lon"), "政府驻地经度")
    results, _ = run_alg("export_plan_map", {"INPUT": layer, "FIELD": "anchor_lon", "DPI": 50,
                                             "OUTPUT": str(tmp_path / "m.png")})
    print_layout = QgsProject.instance().layoutManager().layoutByName(results["LAYOUT"])
    assert [n.layer().name() for n in _legend(print_layout).model().rootGroup().findLayers()] == ["政府驻地经度"]
