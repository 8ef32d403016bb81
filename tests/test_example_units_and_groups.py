"""The foundation example runs and writes what it says."""

from __future__ import annotations

import runpy
from pathlib import Path

import geopandas as gpd
import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "units_and_groups.py"

pytestmark = pytest.mark.slow  # runs the example script end to end


def test_example_runs(tmp_path):
    mod = runpy.run_path(str(EXAMPLE))
    mod["main"](str(tmp_path))
    council = gpd.read_file(tmp_path / "units_and_groups.gpkg", layer="council")
    assert council.yrd_city_econ_council_2013.sum() == 30
    assert (tmp_path / "council_membership.png").stat().st_size > 30_000
