"""The plugin's choice parameters list the library's own options, in the library's order.

Every enum parameter of every algorithm of the running provider is either a
library list (its values must equal that list), a selection of one (its
values must be words of that list), or the plugin's own (styles, pages, …).
A new enum must be placed in one of the three tables below, so a list copied
into the plugin, or a library list edited without the plugin following,
fails here.
"""

from __future__ import annotations

import pytest

from yrdgeo import (accessibility, autocorrelation, crs, indicators, inequality, linkage, network, ranking, raster,
                    units, weights)
from yrdgeo import enclaves, grid, regions

STATISTICS = ("spatial_autocorrelation", "hot_spots", "autocorrelation_change")
NETWORK = ("accessibility", "accessibility_change", "isochrones", "travel_time_matrix", "two_step_fca")

# (algorithm, parameter) → the library list its options are, value for value and in order.
LIBRARY = {
    **{(alg, "WEIGHTS"): weights.METHODS for alg in STATISTICS},
    **{(alg, "ISLANDS"): weights.ISLAND_POLICIES for alg in STATISTICS},
    **{(alg, "CORRECTION"): autocorrelation.CORRECTIONS for alg in STATISTICS},
    **{(alg, "MISSING"): autocorrelation.MISSING_POLICIES for alg in STATISTICS},
    **{(alg, "ANCHORS"): accessibility.ANCHOR_POLICIES for alg in NETWORK},
    **{(alg, "NODING"): network.lines.NODING for alg in (*NETWORK, "gravity_linkage")},
    ("isochrones", "SHAPE"): accessibility.ISOCHRONE_SHAPES,
    ("accessibility", "DECAY"): accessibility.DECAYS,
    ("unit_areas", "METHOD"): crs.AREA_METHODS,
    ("load_units", "LEVEL"): units.LEVELS,
    ("load_units", "GROUP_LEVEL"): (None, *units.LEVELS),  # first: the members as listed
    ("build_candidates", "RASTER_STATS"): raster.STATS,
    ("rank_candidates", "WEIGHTS"): ranking.WEIGHT_METHODS,
    ("rank_candidates", "METHOD"): ranking.METHODS,
    ("rank_candidates", "TOPSIS_INPUT"): ranking.TOPSIS_INPUTS,
    ("rank_candidates", "MISSING"): ranking.MISSING_POLICIES,
    ("gravity_linkage", "DISTANCE"): linkage.DISTANCES,
    ("regional_inequality", "BY"): (None, *inequality.GROUP_LEVELS),  # first: no decomposition
    ("entropy_index", "MISSING"): indicators.MISSING_POLICIES,
    ("krugman_index", "REFERENCE"): (None, *indicators.KRUGMAN_REFERENCES),  # first: the pairwise matrix
    ("core_periphery_rings", "LEVEL"): units.LEVELS,
    ("revenue_schedule", "PRESET"): tuple(enclaves.PRESETS),  # current names only (not the former ones)
    ("region_groups", "GROUPS"): tuple(regions.list_groups().group_id),  # read from the library's data file
    ("region_groups", "LEVEL"): (None, *units.LEVELS),  # first: the members as listed
    ("weights_sensitivity", "METHODS"): weights.METHODS,
    ("weights_sensitivity", "ISLANDS"): weights.ISLAND_POLICIES,
    ("weights_sensitivity", "MISSING"): autocorrelation.MISSING_POLICIES,
    ("grid_analysis", "RASTER_STAT"): grid.RASTER_STATS,
}
# (algorithm, parameter) → the library list its options are taken from (a selection, in the plugin's order).
SELECTIONS = {
    ("build_candidates", "LEVEL"): units.LEVELS,
    ("corridor", "UNITS_LEVEL"): (*units.LEVELS, None),
    ("enclave_pairs", "TWO_WAY_LEVEL"): units.LEVELS,
    ("enclave_pairs", "ROLL_UP"): (None, *units.LEVELS),
    ("rank_candidates", "UNDATED"): network.UNDATED_POLICIES,  # not "error": the bundled network has undated links
}
# The plugin's own lists: no library list names these options.
# STYLE: the plugin's QML styles; CLASSIFICATION and PAGE: QGIS's renderer classes and layout pages.
PLUGIN = {("export_plan_map", "STYLE"), ("export_plan_map", "CLASSIFICATION"), ("export_plan_map", "PAGE")}
# LISA and RESULT of grid_analysis: the columns of that run (its raster, its travel time, their LISA).
PLUGIN |= {("grid_analysis", "LISA"), ("grid_analysis", "RESULT")}


def _enums(provider):
    from qgis.core import QgsProcessingParameterEnum

    out = {}
    for alg in provider.algorithms():
        for definition in alg.parameterDefinitions():
            if isinstance(definition, QgsProcessingParameterEnum):
                out[(alg.name(), definition.name())] = (alg, definition)
    return out


def test_every_choice_parameter_is_accounted_for(qgis_plugin):
    found = set(_enums(qgis_plugin.provider))
    assert found == set(LIBRARY) | set(SELECTIONS) | PLUGIN


@pytest.mark.parametrize("key", sorted(LIBRARY), ids="/".join)
def test_options_are_the_library_list(qgis_plugin, key):
    alg, definition = _enums(qgis_plugin.provider)[key]
    values = alg.enum_values()[key[1]]
    assert values == tuple(LIBRARY[key])
    options = definition.options()
    assert len(options) == len(values)
    # each value has a label of the plugin's (a value the plugin has no label for shows as itself)
    unlabelled = [v for v, label in zip(values, options) if label == str(v)]
    assert not unlabelled, f"{key}: give these library values a label in the plugin: {unlabelled}"


@pytest.mark.parametrize("key", sorted(SELECTIONS), ids="/".join)
def test_selected_options_are_library_words(qgis_plugin, key):
    alg, definition = _enums(qgis_plugin.provider)[key]
    values = alg.enum_values()[key[1]]
    assert set(values) <= set(SELECTIONS[key]) and len(definition.options()) == len(values)


def test_chosen_option_reaches_the_library_as_its_value(qgis_plugin):
    from qgis.core import QgsProcessingContext

    alg = next(a for a in qgis_plugin.provider.algorithms() if a.name() == "hot_spots").create()
    context = QgsProcessingContext()
    for i, method in enumerate(weights.METHODS):
        assert alg.read_choice({"WEIGHTS": i}, "WEIGHTS", context) == method
    assert alg.read_choice({}, "CORRECTION", context) == autocorrelation.CORRECTIONS[0]  # the default


def test_library_lists_are_read_from_the_source_without_importing(tmp_path, monkeypatch):
    """A literal, a package re-export (named or *) and a computed value, in a stand-in library."""
    from yrdgeo_qgis import library

    pkg = tmp_path / "standin"
    (pkg / "stats").mkdir(parents=True)
    (pkg / "__init__.py").write_text("raise RuntimeError('imported')\n")
    (pkg / "weights.py").write_text("import numpy\nMETHODS = ('queen', 'rook')\nCOMPUTED = tuple(sorted('ab'))\n")
    (pkg / "stats" / "__init__.py").write_text("from .core import CORRECTIONS as FIXES\nfrom .more import *\n")
    (pkg / "stats" / "core.py").write_text("CORRECTIONS: tuple = ('none', 'fdr')\n")
    (pkg / "stats" / "more.py").write_text("LEVELS = ['a', 'b']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(library, "_cache", {})
    assert library.library_value("standin.weights.METHODS") == ("queen", "rook")
    assert library.library_value("standin.stats.FIXES") == ("none", "fdr")
    assert library.library_value("standin.stats.LEVELS") == ["a", "b"]
    assert library.library_value("standin.weights.COMPUTED") is None
    assert library.library_value("standin.nothing.X") is None
    assert library.library_value("not_installed_anywhere.X") is None


def test_every_default_the_plugin_reads_from_the_library_source_is_found_and_current():
    """A name moved or loaded lazily leaves no literal where the plugin looks: its fallback would pass silently."""
    import importlib
    import re
    from pathlib import Path

    from yrdgeo_qgis import library

    import yrdgeo_qgis

    paths = set()
    for source in Path(yrdgeo_qgis.__file__).parent.rglob("*.py"):
        paths.update(re.findall(r'library_value\("([\w.]+)"\)', source.read_text(encoding="utf-8")))
    assert "yrdgeo.autocorrelation.stats.SENSITIVITY_METHODS" in paths
    for path in sorted(paths):
        module, _, name = path.rpartition(".")
        assert library.library_value(path) == getattr(importlib.import_module(module), name), path
