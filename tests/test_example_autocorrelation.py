"""The autocorrelation example runs, writes its maps and reports esda's numbers."""

from __future__ import annotations

import runpy
import warnings
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "autocorrelation_ratio.py"

pytestmark = pytest.mark.slow  # runs the example script end to end


def test_example_runs_and_matches_esda(tmp_path, cities):
    mod = runpy.run_path(str(EXAMPLE))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        mod["main"](["--out-dir", str(tmp_path), "--permutations", "99", "--seed", "7"])
    for name in ("lisa_2019.png", "lisa_2011.png", "lisa_change_2011_2019.png", "moran_scatter_2019.png",
                 "gi_star_2019.png", "lisa_2019_fdr.png"):
        assert (tmp_path / name).stat().st_size > 30_000
    summary = pd.read_csv(tmp_path / "moran_summary.csv", float_precision="round_trip")
    frame = gpd.read_file(tmp_path / "autocorrelation_ratio.gpkg", layer="moran_change")
    assert len(frame) == 41 and frame.adcode.tolist() == cities.adcode.tolist()
    from yrdgeo.weights import build_weights

    w = build_weights(frame)
    queen = summary[summary.weights == "queen"].set_index("role")
    for role, y in (("before", frame.ratio_2011), ("after", frame.ratio_2019), ("change", frame.change)):
        assert queen.loc[role, "value"] == esda.Moran(y.to_numpy(), w.w, permutations=0).I
    transitions = pd.read_csv(tmp_path / "lisa_transitions_2011_2019.csv", index_col=0)
    assert transitions.to_numpy().sum() == 41
    assert np.isclose(queen.loc["after", "value"], 0.5208716560025485, rtol=0, atol=1e-12)
