"""The plugin loads in real QGIS: provider, metadata, bilingual help, zh_CN/en translations."""

from __future__ import annotations

import configparser
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLUGIN_ROOT = REPO / "qgis_plugin"

PLUGIN = PLUGIN_ROOT / "yrdgeo_qgis"
EXPECTED = {"load_units", "unit_areas", "export_plan_map", "spatial_autocorrelation", "hot_spots",
            "autocorrelation_change", "corridor", "enclave_pairs", "accessibility", "accessibility_change",
            "rank_candidates", "travel_time_matrix", "build_candidates", "isochrones",
            "two_step_fca"}


def _metadata():
    cfg = configparser.ConfigParser()
    cfg.read(PLUGIN / "metadata.txt", encoding="utf-8")
    return cfg["general"]


def test_provider_is_registered_with_its_algorithms(qgis_plugin):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("yrdgeo")
    assert provider is qgis_plugin.provider
    assert provider.name() == "YRD Geo / 长三角"
    ids = {a.name() for a in provider.algorithms()}
    assert EXPECTED <= ids
    for alg in provider.algorithms():
        assert alg.displayName() and alg.group() and alg.groupId()
        assert alg.shortHelpString(), alg.name()
        assert alg.helpUrl().endswith("#" + alg.name())


def test_metadata_declares_processing_provider_and_version(qgis_plugin):
    import yrdgeo_qgis

    meta = _metadata()
    assert meta["hasProcessingProvider"] == "yes"
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["version"] == yrdgeo_qgis.__version__
    for key in ("name", "description", "about", "author", "email", "homepage", "tracker", "repository"):
        assert meta[key].strip(), key
    assert meta["homepage"].startswith("https://") and meta["tracker"].startswith("https://")


def test_help_file_has_both_languages_for_every_algorithm(qgis_plugin):
    from yrdgeo_qgis.base import load_help

    helps = load_help()
    for alg in qgis_plugin.provider.algorithms():
        entry = helps[alg.name()]
        assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), alg.name()
        assert re.search(r"[A-Za-z]{4,} [a-z]+ [a-z]+", entry["en"]), alg.name()
        text = alg.shortHelpString()
        assert entry["zh"].split("\n")[0] in text and entry["en"].split("\n")[0] in text


def _ts_messages(locale):
    root = ET.parse(PLUGIN / "i18n" / f"yrdgeo_{locale}.ts").getroot()
    return {m.findtext("source"): m.find("translation") for m in root.iter("message")}


def test_translation_sources_cover_the_code_and_are_translated():
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import build_translations
    finally:
        sys.path.pop(0)
    assert build_translations.check(build_translations.extract()) == []
    assert len(build_translations.extract()) > 40


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_compiled_qm_matches_ts(qgis_plugin, locale):
    """Every .ts translation comes back from the committed .qm (so the .qm was rebuilt after edits)."""
    from yrdgeo_qgis.i18n import install_translator, qm_path, tr

    assert qm_path(locale) == str(PLUGIN / "i18n" / f"yrdgeo_{locale}.qm")
    try:
        assert install_translator(locale) is not None
        for source, translation in _ts_messages(locale).items():
            assert tr(source) == translation.text, source  # the plugin's own lookup, non-ASCII sources too
    finally:
        install_translator("en")


def test_switching_locale_translates_names_and_help(qgis_plugin):
    from yrdgeo_qgis.i18n import install_translator, language

    alg = next(a for a in qgis_plugin.provider.algorithms() if a.name() == "load_units")
    try:
        assert install_translator("zh_CN") is not None
        assert language() == "zh"
        assert alg.displayName() == "加载长三角行政单元"
        assert alg.group() == "行政单元与区域组织"
        assert alg.shortHelpString().startswith("加载长三角")
        assert install_translator("en") is not None
        assert language() == "en"
        assert alg.displayName() == "Load YRD units"
        assert alg.shortHelpString().startswith("Loads the Yangtze")
    finally:
        install_translator("en")


def test_algorithms_are_discovered_from_the_folder(qgis_plugin):
    from yrdgeo_qgis.provider import discover_algorithms

    modules = {p.stem for p in (PLUGIN / "algorithms").glob("*.py") if not p.stem.startswith("_")}
    found = discover_algorithms()
    assert {type(a).__module__.rsplit(".", 1)[-1] for a in found} == modules
    assert len({a.name() for a in found}) == len(found)


def test_plugin_requirements_match_the_library_pins():
    """requirements.txt (for QGIS's Python) asks for what setup.cfg pins, numpy<2 included."""
    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg", encoding="utf-8")
    pins = {re.split(r"[<>=!;\[ ]", line.strip())[0].lower(): line.strip()
            for line in cfg["options"]["install_requires"].strip().splitlines()}
    reqs = [line.strip() for line in (PLUGIN / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert "numpy>=1.23,<2" in reqs
    for line in reqs:
        name = re.split(r"[<>=!;\[ ]", line)[0].lower()
        assert pins.get(name) == line, line


@pytest.mark.parametrize("style, renderer, attribute, values", [
    ("lisa", "categorizedSymbol", "lisa_cluster", {"HH", "LH", "LL", "HL", "not significant", "isolated", "missing"}),
    ("corridor_wings", "categorizedSymbol", "wing", {"hub", "north", "south", "main", "all"}),
    ("corridor_lines", "categorizedSymbol", "wing", {"hub", "north", "south", "main", "all"}),
    ("ranked", "graduatedSymbol", "rank", None),
    ("units", "singleSymbol", None, None),
    ("hot_spots", "categorizedSymbol", "gi_spot", {"hot spot", "cold spot", "not significant", "isolated", "missing"}),
])
def test_bundled_styles_load_and_label_in_cjk(qgis_plugin, style, renderer, attribute, values):
    from qgis.core import QgsVectorLayer

    from yrdgeo_qgis.base import style_path

    geom = "MultiLineString" if style == "corridor_lines" else "MultiPolygon"
    layer = QgsVectorLayer(f"{geom}?crs=EPSG:4326&field=short_zh:string&field=lisa_cluster:string"
                           "&field=rank:integer&field=wing:string&field=gi_spot:string", "t", "memory")
    message, ok = layer.loadNamedStyle(style_path(style))
    assert ok, message
    assert layer.renderer().type() == renderer
    if attribute:
        assert layer.renderer().classAttribute() == attribute
    if values:
        assert {c.value() for c in layer.renderer().categories()} == values
    if style == "ranked":
        assert layer.renderer().ranges()[0].lowerValue() == 1 and layer.renderer().ranges()[0].upperValue() == 1
    if style in ("units", "lisa", "ranked"):
        assert layer.labelsEnabled()
        assert layer.labeling().settings().format().font().family() == "Noto Sans CJK SC"


def test_unload_and_reload_the_provider(qgis_plugin):
    """Disabling the plugin removes the provider; enabling it again registers a fresh one."""
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    qgis_plugin.unload()
    try:
        assert registry.providerById("yrdgeo") is None
        assert registry.algorithmById("yrdgeo:load_units") is None
    finally:
        qgis_plugin.initProcessing()
    assert registry.providerById("yrdgeo") is qgis_plugin.provider
    assert registry.algorithmById("yrdgeo:load_units") is not None
