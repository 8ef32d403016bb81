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
    assert len(QgsProject.instance().mapLayers()) == n_layers  # nor is the user's project touched
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

    out = tmp_path / "plan.svg"
    with pytest.raises(QgsProcessingException, match=r"must end in \.pdf or \.png"):
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
