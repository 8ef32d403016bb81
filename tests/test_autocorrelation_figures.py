"""Autocorrelation figures drawn through yrdgeo.maps: furniture, non-overlapping labels, CJK text."""

from __future__ import annotations

import dataclasses
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from yrdgeo import autocorrelation as ac
from yrdgeo.units import data_path
from yrdgeo.weights import build_weights

pytestmark = pytest.mark.slow  # draws full-page figures

matplotlib.use("Agg")
SEED = 20240601


@pytest.fixture(autouse=True)
def _strict_warnings():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # esda's future default notice
        warnings.filterwarnings("error", message="Glyph .* missing")  # tofu would be an error
        yield


@pytest.fixture(scope="module")
def lisa(cities):
    table = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    frame = cities.merge(table[["adcode", "ratio_2019"]], on="adcode", how="left", validate="1:1")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        return ac.local_moran(frame, "ratio_2019", weights=build_weights(frame, "queen"), permutations=99, seed=SEED)


def _boxes(fig, texts):
    r = fig.canvas.get_renderer()
    return [t.get_window_extent(r) for t in texts]


def _no_overlap(boxes) -> bool:
    return all(not p.overlaps(q) for i, p in enumerate(boxes) for q in boxes[i + 1:])


def test_cluster_map_has_map_furniture_and_placed_labels(lisa, cities):
    fig = ac.lisa_cluster_map(lisa, source_note="数据：吴福象、张雯《长三角区域产城人融合发展路径研究》表 1")
    ax = fig.axes[0]
    fig.canvas.draw()
    texts = [t.get_text() for t in ax.texts]
    assert {"N", "北", "km", "数据：吴福象、张雯《长三角区域产城人融合发展路径研究》表 1"} <= set(texts)  # north arrow, scale bar, source
    assert [p for p in ax.patches if isinstance(p, Rectangle) and p.get_zorder() == 7]  # scale bar halves
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "省界" in legend  # province outlines
    assert legend[0] == f"高-高 ({lisa.counts['HH']})"
    # in map metres (EPSG:4549), labels at the seats without overlaps, bold provincial capitals
    x0, x1 = ax.get_xlim()
    assert -1e5 < x0 < x1 < 1.2e6
    names = set(cities.short_zh)
    label_texts = [t for t in ax.texts if t.get_text() in names]
    assert len(label_texts) >= 35
    assert _no_overlap(_boxes(fig, label_texts))
    assert all("Noto Sans CJK SC" in t.get_fontfamily() for t in label_texts)
    plt.close(fig)


def test_gi_star_map_and_given_axes(lisa, cities):
    gi = ac.gi_star(lisa.frame[["adcode", "short_zh", "anchor_lon", "anchor_lat", "ratio_2019", "geometry"]],
                    "ratio_2019", weights=build_weights(lisa.frame, "queen"), permutations=99, seed=SEED)
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 7))
    assert ac.lisa_cluster_map(lisa, ax=a) is fig
    ac.lisa_cluster_map(gi, ax=b, chinese=False, title="Gi*")
    legend = [t.get_text() for t in b.get_legend().get_texts()]
    assert f"hot spot ({gi.counts['hot spot']})" in legend
    assert b.get_title(loc="left") == "Gi*" and "N" in [t.get_text() for t in b.texts]
    plt.close(fig)


def test_cluster_map_without_crs_is_drawn_plainly(lisa):
    plain = lisa.frame.set_crs(None, allow_override=True)
    res = dataclasses.replace(lisa, frame=plain)
    fig = ac.lisa_cluster_map(res)
    ax = fig.axes[0]
    assert "N" not in [t.get_text() for t in ax.texts]  # no north arrow where the CRS is unknown
    assert f"高-高 ({lisa.counts['HH']})" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


def test_moran_scatterplot_labels_do_not_overlap(lisa):
    fig = ac.moran_scatterplot(lisa)
    ax = fig.axes[0]
    fig.canvas.draw()
    labels = [t for t in ax.texts]
    assert len(labels) + len(ax.labels_dropped) == 41
    assert len(labels) >= 25
    boxes = _boxes(fig, labels)
    assert _no_overlap(boxes)
    legend_box = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    assert not any(b.overlaps(legend_box) for b in boxes)
    # the most extreme point (Shanghai, the largest standardised value) is labelled first, so always
    assert "上海" in [t.get_text() for t in labels]
    plt.close(fig)



def test_cluster_map_as_a4_page_with_subtitle_and_source(lisa):
    fig = ac.lisa_cluster_map(lisa, title="LISA 2019", subtitle="Moran's I = 0.521；Queen 邻接",
                              source_note="数据：吴福象、张雯《长三角区域产城人融合发展路径研究》表 1", page="A4")
    w, h = fig.get_size_inches()
    assert (round(w * 25.4), round(h * 25.4)) == (210, 297)  # a portrait A4 page, not the 7.5 × 8 in panel
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "LISA 2019" in texts and "Moran's I = 0.521；Queen 邻接" in texts
    assert any("数据：吴福象、张雯《长三角区域产城人融合发展路径研究》表 1" in t for t in texts)  # the page's source note
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[0] == f"高-高 ({lisa.counts['HH']})"
    fig2, ax = plt.subplots()
    with pytest.raises(ValueError, match="needs ax=None"):
        ac.lisa_cluster_map(lisa, ax=ax, page="A4")
    plt.close(fig2)
