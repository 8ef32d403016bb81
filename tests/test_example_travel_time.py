"""The travel-time example runs, writes its PNG and shows unreachable counties explicitly."""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "travel_time_shanghai.py"


def test_example_maps_two_dates_and_change(tmp_path):
    mod = runpy.run_path(str(EXAMPLE))
    out = tmp_path / "tt.png"
    change = mod["main"](["--before", "2010-01-01", "--after", "2025-01-01", "--out", str(out)])
    assert out.stat().st_size > 100_000
    f = change.frame
    assert len(f) == 305 and (f.change == "faster").sum() > 250
    rail = mod["main"](["--undated", "drop", "--out", str(tmp_path / "rail.png")]).frame
    # rail only, 2010-01-01: counties without a line are unreachable (NaN), not 0
    assert (rail.change == "newly_reachable").sum() > 200
    assert rail.loc[rail.change == "newly_reachable", "t_before_min"].isna().all()
    assert np.isfinite(rail.loc[rail.change == "newly_reachable", "t_after_min"]).all()
