"""The autocorrelation CLI gives the library's numbers (same code path) and refuses bad input cleanly."""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yrdgeo import autocorrelation as ac
from yrdgeo.cli import main
from yrdgeo.units import data_path
from yrdgeo.weights import build_weights

pytestmark = pytest.mark.slow  # runs the CLI with permutation inference

RATIO = str(data_path("reference", "resident_registered_ratio.csv"))


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        yield


@pytest.fixture(scope="module")
def ratio(cities):
    return ac.join_attributes(cities, pd.read_csv(RATIO, dtype={"adcode": str}))


def test_lisa_cli_equals_library(tmp_path, ratio, capsys):
    out = tmp_path / "lisa.gpkg"
    png = tmp_path / "lisa.png"
    rc = main(["lisa", "--attributes", RATIO, "--column", "ratio_2019", "--permutations", "199", "--seed", "5",
               "--correction", "fdr", "--out", str(out), "--map", str(png)])
    assert rc == 0
    printed = capsys.readouterr().out
    lib = ac.local_moran(ratio, "ratio_2019", weights=build_weights(ratio), permutations=199, seed=5,
                         correction="fdr")
    got = gpd.read_file(out, layer="local_moran")
    assert list(got.adcode) == list(lib.frame.adcode)
    assert np.array_equal(got.lisa_p.to_numpy(), lib.frame.lisa_p.to_numpy())
    assert np.array_equal(got.lisa_i.to_numpy(), lib.frame.lisa_i.to_numpy())
    assert list(got.lisa_cluster) == list(lib.frame.lisa_cluster)
    assert str(lib) in printed
    assert png.stat().st_size > 10_000


def test_moran_cli_json_equals_library(tmp_path, ratio):
    out = tmp_path / "m.json"
    assert main(["moran", "--attributes", RATIO, "--column", "ratio_2011", "--statistic", "all",
                 "--permutations", "99", "--seed", "3", "--out", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    sw = build_weights(ratio)
    assert [r["statistic"] for r in rows] == ["moran", "geary", "getis_ord_g"]
    assert rows[0]["value"] == ac.moran(ratio, "ratio_2011", weights=sw, permutations=99, seed=3).value
    assert rows[1]["p_sim"] == ac.geary(ratio, "ratio_2011", weights=sw, permutations=99, seed=3).p_sim


def test_change_cli_and_boundary_file(tmp_path, ratio):
    src = tmp_path / "units.gpkg"
    ratio[["adcode", "name_zh", "ratio_2011", "ratio_2019", "geometry"]].to_file(src, layer="u")
    out = tmp_path / "change.csv"
    assert main(["moran-change", "--boundaries", str(src), "--layer", "u", "--before", "ratio_2011", "--after",
                 "ratio_2019", "--permutations", "99", "--seed", "1", "--out", str(out)]) == 0
    got = pd.read_csv(out, dtype={"adcode": str})
    lib = ac.moran_change(ratio, "ratio_2011", "ratio_2019", weights=build_weights(ratio), permutations=99, seed=1)
    assert np.allclose(got.change, lib.frame.change, rtol=0, atol=1e-12)
    assert list(got.lisa_change_cluster) == list(lib.frame.lisa_change_cluster)


def test_weights_cli_reports_island_and_fails_cleanly(tmp_path, capsys):
    assert main(["weights", "--level", "county"]) == 2
    assert "330921 岱山县" in capsys.readouterr().err
    out = tmp_path / "nb.csv"
    assert main(["weights", "--level", "county", "--islands", "nearest", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"id": str, "neighbours": str})
    assert table.set_index("id").loc["330921", "neighbours"] == "330902"


def test_cli_bad_input_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.gpkg"
    assert main(["lisa", "--attributes", RATIO, "--column", "name_zh", "--out", str(out)]) == 2
    assert "must be numeric" in capsys.readouterr().err
    assert not out.exists()
    bad = tmp_path / "bad.csv"
    pd.read_csv(RATIO, dtype=str).iloc[:-1].to_csv(bad, index=False)  # 宣城 has no row
    assert main(["lisa", "--attributes", str(bad), "--column", "ratio_2019", "--out", str(out)]) == 2
    assert "341800 宣城市" in capsys.readouterr().err and not out.exists()
    assert main(["lisa", "--column", "ratio_2019", "--out", str(tmp_path / "x.txt")]) == 2


def test_weights_cli_links_equal_library(tmp_path, cities):
    out = tmp_path / "links.gpkg"
    assert main(["weights", "--tolerance-km", "2", "--links", str(out)]) == 0
    got = gpd.read_file(out, layer="weights_links")
    lib = build_weights(cities, tolerance_km=2).link_lines(cities)
    assert got[["a", "b", "added_by"]].values.tolist() == lib[["a", "b", "added_by"]].values.tolist()
    assert np.array_equal(got.weight_ab.to_numpy(), lib.weight_ab.to_numpy())
