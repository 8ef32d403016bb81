"""The CLI's choice options list the library's own options, in the library's order.

Every option with ``choices`` of every subcommand of the real parser is
either a library list (its choices must equal that list), a selection of one
(its choices must be words of that list), or the CLI's own (a word the
library has no list for). A new option with choices must be placed in one of
the three tables below, so a list copied into the CLI, or a library list
edited without the CLI following, fails here. The plugin has the same test
(``tests/qgis/test_qgis_choices.py``).
"""

from __future__ import annotations

import argparse

import pytest

from yrdgeo import accessibility, autocorrelation, corridors, enclaves, indicators, linkage, maps, network, ranking, units, weights
from yrdgeo.cli import build_parser
from yrdgeo.cli import autocorrelation as cli_autocorrelation
from yrdgeo.cli import ranking as cli_ranking

STATISTICS = ("weights", "moran", "lisa", "moran-change")
PERMUTATIONS = ("moran", "lisa", "moran-change")
LOCAL = ("lisa", "moran-change")
NETWORK = ("network", "access", "access-change", "od", "isochrone")

# (command, option) → the library list its choices are, value for value and in order.
LIBRARY = {
    **{(cmd, "--level"): units.LEVELS for cmd in (*STATISTICS, "units", "resolve", "rings")},
    **{(cmd, "--weights"): weights.METHODS for cmd in STATISTICS},
    **{(cmd, "--islands"): weights.ISLAND_POLICIES for cmd in STATISTICS},
    **{(cmd, "--transform"): weights.TRANSFORMS for cmd in STATISTICS},
    **{(cmd, "--missing"): autocorrelation.MISSING_POLICIES for cmd in PERMUTATIONS},
    **{(cmd, "--correction"): autocorrelation.CORRECTIONS for cmd in LOCAL},
    **{(cmd, "--undated"): network.UNDATED_POLICIES for cmd in (*NETWORK, "rank")},
    **{(cmd, "--node"): network.NODING for cmd in NETWORK},
    ("isochrone", "--shape"): accessibility.ISOCHRONE_SHAPES,
    ("rank", "--method"): ranking.METHODS,
    ("rank", "--topsis-input"): ranking.TOPSIS_INPUTS,
    ("rank", "--missing"): ranking.MISSING_POLICIES,
    ("entropy-index", "--missing"): indicators.MISSING_POLICIES,
    ("corridor", "--agg"): corridors.AGGREGATIONS,
    ("corridor", "--units"): (*units.LEVELS, "none"),  # last: test no units
    ("enclaves", "--two-way-level"): units.LEVELS,
    ("enclaves", "--graph-level"): units.LEVELS,
    ("benefit-schedule", "--preset"): (*enclaves.PRESETS, *enclaves.PRESETS.former),  # former names still read
    ("atlas", "--page"): tuple(maps.PAGE_SIZES_MM),
    ("linkage", "--level"): units.LEVELS,
    ("linkage", "--distance"): linkage.DISTANCES,
    ("linkage", "--undated"): network.UNDATED_POLICIES,
}
# (command, option) → the library list its choices are taken from (a selection).
SELECTIONS = {
    **{(cmd, "--level"): units.LEVELS for cmd in (*NETWORK[1:], "rank")},  # no provinces: too few to compare
    ("enclaves", "--roll-up"): units.LEVELS,
}
# (command, option) → the CLI's own words, with the library functions they stand for where there are any.
CLI = {
    ("moran", "--statistic"): tuple(cli_autocorrelation.STATISTICS),
    ("structure", "--measure"): tuple(cli_ranking.MEASURES),
    ("network", "action"): ("export", "lines"),
}


def _choice_actions() -> dict[tuple[str, str], argparse.Action]:
    """Return every action with choices of every subcommand, by (command, longest option string or dest)."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    found = {}
    for command, sub in commands.items():
        for action in sub._actions:
            if action.choices is not None:
                name = max(action.option_strings, key=len) if action.option_strings else action.dest
                found[(command, name)] = action
    return found


@pytest.fixture(scope="module")
def actions():
    return _choice_actions()


def test_every_choice_option_is_accounted_for(actions):
    found = set(actions)
    tables = set(LIBRARY) | set(SELECTIONS) | set(CLI)
    assert not found - tables, f"options with choices in no table of this test: {sorted(found - tables)}"
    assert not tables - found, f"options in a table of this test that the CLI no longer has: {sorted(tables - found)}"


def test_the_tables_do_not_overlap():
    assert not set(LIBRARY) & set(SELECTIONS) and not (set(LIBRARY) | set(SELECTIONS)) & set(CLI)


@pytest.mark.parametrize("key", sorted(LIBRARY), ids=" ".join)
def test_choices_are_the_library_list(actions, key):
    assert tuple(actions[key].choices) == tuple(LIBRARY[key])


@pytest.mark.parametrize("key", sorted(SELECTIONS), ids=" ".join)
def test_selected_choices_are_library_words(actions, key):
    choices = tuple(actions[key].choices)
    assert choices and set(choices) <= set(SELECTIONS[key]) and len(set(choices)) == len(choices)


@pytest.mark.parametrize("key", sorted(CLI), ids=" ".join)
def test_own_choices_are_the_cli_list(actions, key):
    assert tuple(actions[key].choices) == CLI[key]


@pytest.mark.parametrize("key", sorted({**LIBRARY, **SELECTIONS, **CLI}), ids=" ".join)
def test_default_is_a_choice(actions, key):
    action = actions[key]
    assert action.default is None or action.default in action.choices


def test_own_choices_name_library_functions():
    # Names, not functions: the parser must not import the library (tests/test_cli_startup.py).
    assert all(callable(getattr(autocorrelation, f)) for funcs in cli_autocorrelation.STATISTICS.values()
               for f in funcs)
    assert {getattr(autocorrelation, f) for f in cli_autocorrelation.STATISTICS["all"]} == {
        autocorrelation.moran, autocorrelation.geary, autocorrelation.getis_ord_g}
    assert getattr(indicators, cli_ranking.MEASURES["lq"]) is indicators.location_quotient


def test_no_literal_copy_in_the_source():
    """A ``choices=`` written out as strings is one of the CLI's own lists, never a library list typed again."""
    import ast
    from pathlib import Path

    import yrdgeo.cli

    own = set(CLI.values())
    literals = []
    for path in sorted(Path(yrdgeo.cli.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.keyword) and node.arg == "choices"
                    and isinstance(node.value, (ast.List, ast.Tuple, ast.Set))):
                continue
            if all(isinstance(e, ast.Constant) for e in node.value.elts):
                value = tuple(e.value for e in node.value.elts)
                if value not in own:
                    literals.append(f"{path.name}:{node.value.lineno} {value}")
    assert not literals, f"choices written out instead of taken from the library: {literals}"
