"""The travel-time example runs, writes its PNG and shows unreachable counties explicitly."""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "travel_time_shanghai.py"

pytestmark = pytest.mark.slow  # runs the example script end to end


def test_example_maps_two_dates_and_change(tmp_path):
    mod = runpy.run_path(str(EXAMPLE))
    out = tmp_path / "rail.png"
    # dated links only (railways, dated expressways): on 2010-01-01 counties of cities without a dated
    # line (Suqian, Quzhou, Fuyang, Bozhou...) are unreachable (NaN, drawn grey), not 0
    f = mod["main"](["--before", "2010-01-01", "--after", "2025-01-01", "--undated", "drop", "--out", str(out)]).frame
    assert out.stat().st_size > 100_000
    assert len(f) == 305
    assert (f.change == "newly_reachable").sum() > 15
    assert (f.change == "faster").sum() > 200
    assert f.loc[f.change == "newly_reachable", "t_before_min"].isna().all()
    assert np.isfinite(f.loc[f.change == "newly_reachable", "t_after_min"]).all()
    assert set(f.change) <= {"newly_reachable", "unreachable_both", "unchanged", "faster"}
