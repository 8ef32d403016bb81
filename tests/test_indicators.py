"""Indicators against hand-computed values (entropy weights, TOPSIS, similarity, Krugman, LQ) and real rings."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import indicators as ind
from yrdgeo import ranking

# A 4 × 3 example small enough to do by hand.
#   x1 benefit 2, 4, 6, 10 → x' = 0, 1/4, 1/2, 1     Σ = 7/4  → p = 0, 1/7, 2/7, 4/7
#   x2 cost    5, 3, 1, 1  → x' = 0, 1/2, 1, 1       Σ = 5/2  → p = 0, 1/5, 2/5, 2/5
#   x3 benefit 1, 1, 1, 3  → x' = 0, 0, 0, 1         Σ = 1    → p = 0, 0, 0, 1
HAND = pd.DataFrame({"x1": [2, 4, 6, 10], "x2": [5, 3, 1, 1], "x3": [1, 1, 1, 3]}, index=list("ABCD"))
DIRS = {"x1": "benefit", "x2": "cost", "x3": "benefit"}


def _hand_entropy() -> tuple[list[float], list[float]]:
    ln4 = math.log(4)
    e1 = -(1 / 7 * math.log(1 / 7) + 2 / 7 * math.log(2 / 7) + 4 / 7 * math.log(4 / 7)) / ln4
    e2 = -(1 / 5 * math.log(1 / 5) + 2 * (2 / 5 * math.log(2 / 5))) / ln4
    e3 = 0.0  # 1·ln 1 = 0 and 0·ln 0 = 0
    d = [1 - e1, 1 - e2, 1 - e3]
    return [e1, e2, e3], [v / sum(d) for v in d]


def test_entropy_weights_equal_hand_values_and_sum_to_one():
    res = ind.entropy_index(HAND, DIRS)
    e, w = _hand_entropy()
    # the same numbers written out to 6 decimals, as a reader would compute them
    assert e == pytest.approx([0.689392, 0.760964, 0.0], abs=1e-6)
    assert w == pytest.approx([0.200438, 0.154252, 0.645309], abs=1e-6)
    assert res.entropy.to_numpy() == pytest.approx(e, abs=1e-12)
    assert res.weights.to_numpy() == pytest.approx(w, abs=1e-12)
    assert res.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert list(res.weights.index) == ["x1", "x2", "x3"]


def test_entropy_index_scores_equal_hand_values():
    res = ind.entropy_index(HAND, DIRS, column="S")
    _, w = _hand_entropy()
    xn = np.array([[0, 0, 0], [0.25, 0.5, 0], [0.5, 1, 0], [1, 1, 1]])
    assert res.normalised.to_numpy() == pytest.approx(xn)
    assert res.frame["S"].to_numpy() == pytest.approx(xn @ np.array(w))
    assert res.frame["S"].tolist()[1] == pytest.approx(0.25 * w[0] + 0.5 * w[1])
    assert "S" not in HAND.columns  # input untouched


def test_entropy_epsilon_shift_changes_weights_but_keeps_sum():
    plain = ind.entropy_index(HAND, DIRS)
    shifted = ind.entropy_index(HAND, DIRS, epsilon=0.0001)
    assert shifted.weights.sum() == pytest.approx(1.0)
    assert shifted.entropy["x3"] > 0  # p no longer 0/1
    assert not np.allclose(shifted.weights, plain.weights, atol=1e-9)
    assert shifted.weights.to_numpy() == pytest.approx(plain.weights.to_numpy(), abs=0.01)


def test_entropy_cost_direction_matters():
    benefit = ind.entropy_index(HAND, {"x1": "benefit", "x2": "benefit"})
    cost = ind.entropy_index(HAND, {"x1": "benefit", "x2": "cost"})
    assert benefit.frame["entropy_index"]["A"] != cost.frame["entropy_index"]["A"]
    assert cost.normalised.loc["A", "x2"] == 0.0 and benefit.normalised.loc["A", "x2"] == 1.0


def test_entropy_bad_inputs():
    with pytest.raises(ValueError, match=r"\['nope'\] not in the table"):
        ind.entropy_index(HAND, {"nope": "benefit"})
    with pytest.raises(ValueError, match="same value.*x9"):
        ind.entropy_index(HAND.assign(x9=7.0), ["x1", "x9"])
    with pytest.raises(ValueError, match="'benefit' or 'cost'"):
        ind.entropy_index(HAND, {"x1": "positive"})
    with_nan = HAND.astype(float)
    with_nan.loc["B", "x2"] = np.nan
    with pytest.raises(ValueError, match=r"missing \(NaN\).*'B'"):
        ind.entropy_index(with_nan, DIRS)
    dropped = ind.entropy_index(with_nan, DIRS, missing="drop")
    assert dropped.dropped == ["B"] and np.isnan(dropped.frame.loc["B", "entropy_index"])
    assert dropped.weights.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="not numeric"):
        ind.entropy_index(HAND.assign(x1=list("abcd")), ["x1"])


def test_topsis_closeness_equals_hand_values():
    # x1 benefit (3, 4, 0): ‖·‖ = 5 → r = .6, .8, 0 ; x2 cost (0, 6, 8): ‖·‖ = 10 → r = 0, .6, .8
    # w = ½, ½ → v1 = .3, .4, 0 ; v2 = 0, .3, .4 ; A⁺ = (.4, 0), A⁻ = (0, .4)
    # a: D⁺ = √(.01) = .1, D⁻ = √(.09 + .16) = .5          → C = .5/.6
    # b: D⁺ = √(.09) = .3, D⁻ = √(.16 + .01) = √.17       → C = √.17/(.3 + √.17)
    # c: D⁺ = √(.16 + .16),  D⁻ = 0                         → C = 0
    df = pd.DataFrame({"adcode": ["a", "b", "c"], "x1": [3, 4, 0], "x2": [0, 6, 8]})
    res = ranking.rank_candidates(df, {"x1": "benefit", "x2": "cost"}, weights={"x1": 0.5, "x2": 0.5})
    hand = [0.5 / 0.6, math.sqrt(0.17) / (0.3 + math.sqrt(0.17)), 0.0]
    assert res.frame["score"].tolist() == pytest.approx(hand, abs=1e-12)
    assert res.frame["score"].tolist() == pytest.approx([0.833333, 0.578835, 0.0], abs=1e-6)
    assert res.frame["rank"].tolist() == [1, 2, 3]
    assert res.criteria_table["topsis_ideal"].tolist() == pytest.approx([0.4, 0.0])
    assert res.criteria_table["topsis_anti_ideal"].tolist() == pytest.approx([0.0, 0.4])
    # additive explanation: C = ½ + Σ contributions; for a: ½·(.09−.01)/.36 and ½·.16/.36
    assert res.frame.loc[0, ["contrib_x1", "contrib_x2"]].tolist() == pytest.approx([0.04 / 0.36, 0.08 / 0.36])
    contrib = res.frame[["contrib_x1", "contrib_x2"]].sum(axis=1)
    assert (contrib + 0.5).tolist() == pytest.approx(hand, abs=1e-12)


def test_entropy_topsis_variant_on_minmax_matrix():
    res = ranking.rank_candidates(HAND.reset_index(names="adcode"), DIRS, topsis_input="minmax")
    ent = ind.entropy_index(HAND, DIRS)
    assert res.weights.to_numpy() == pytest.approx(ent.weights.to_numpy())
    assert res.frame["norm_x1"].tolist() == pytest.approx([0, 0.25, 0.5, 1])  # x' passed through, not vector-normalised
    # D has x' = 1 everywhere: it is the ideal, C = 1; A has x' = 0 everywhere: C = 0
    assert res.frame["score"].tolist()[3] == pytest.approx(1.0) and res.frame["score"].tolist()[0] == pytest.approx(0.0)


def test_weighted_sum_matches_entropy_index():
    res = ranking.rank_candidates(HAND.reset_index(names="adcode"), DIRS, method="weighted_sum")
    ent = ind.entropy_index(HAND, DIRS)
    assert res.frame["score"].to_numpy() == pytest.approx(ent.frame["entropy_index"].to_numpy())


# -------------------------------------------------------------------- structure

SECTORS = pd.DataFrame({"adcode": ["310100", "320500", "340100"], "primary": [10, 30, 0],
                        "secondary": [30, 30, 50], "tertiary": [60, 40, 50]})


def test_similarity_krugman_lq_hand_values():
    s = ind.structure_similarity(SECTORS, key="adcode")
    # shares: SH (.1, .3, .6), SZ (.3, .3, .4), HF (0, .5, .5)
    sh, sz, hf = np.array([0.1, 0.3, 0.6]), np.array([0.3, 0.3, 0.4]), np.array([0, 0.5, 0.5])
    hand = sh @ sz / math.sqrt((sh @ sh) * (sz @ sz))
    assert s.loc["310100", "320500"] == pytest.approx(hand)
    assert s.loc["310100", "320500"] == pytest.approx(0.36 / math.sqrt(0.46 * 0.34))  # (.03+.09+.24)/√(.46·.34)
    assert np.diag(s) == pytest.approx(1.0) and np.allclose(s, s.T)
    k = ind.krugman_index(SECTORS, key="adcode")
    assert k.loc["310100", "320500"] == pytest.approx(0.2 + 0.0 + 0.2)
    assert k.loc["320500", "340100"] == pytest.approx(0.3 + 0.2 + 0.1)
    # regional aggregate: totals (40, 110, 150)/300
    kr = ind.krugman_regional(SECTORS, key="adcode")
    agg = np.array([40, 110, 150]) / 300
    assert kr["310100"] == pytest.approx(np.abs(sh - agg).sum())
    rest = ind.krugman_regional(SECTORS, key="adcode", reference="rest")
    assert rest["310100"] == pytest.approx(np.abs(sh - np.array([30, 80, 90]) / 200).sum())
    lq = ind.location_quotient(SECTORS, key="adcode")
    assert lq.loc["320500", "primary"] == pytest.approx((30 / 100) / (40 / 300))
    assert lq.loc["340100", "primary"] == 0.0


def test_similarity_is_scale_free_and_shares_mode():
    doubled = SECTORS.assign(primary=SECTORS.primary * 2, secondary=SECTORS.secondary * 2, tertiary=SECTORS.tertiary * 2)
    assert ind.structure_similarity(doubled, key="adcode").to_numpy() == pytest.approx(
        ind.structure_similarity(SECTORS, key="adcode").to_numpy())
    part = pd.DataFrame({"k": ["a", "b"], "ind": [0.4, 0.2], "serv": [0.3, 0.3]})  # shares of GDP, rest omitted
    assert ind.krugman_index(part, key="k", as_shares=True).loc["a", "b"] == pytest.approx(0.2)
    with pytest.raises(ValueError, match="sum to at most 1"):
        ind.krugman_index(part.assign(ind=[0.9, 0.2]), key="k", as_shares=True)


def test_structure_bad_inputs():
    with pytest.raises(ValueError, match="negative"):
        ind.structure_similarity(SECTORS.assign(primary=[-1, 2, 3]), key="adcode")
    with pytest.raises(ValueError, match="NaN"):
        ind.krugman_index(SECTORS.assign(primary=[np.nan, 2, 3]), key="adcode")
    with pytest.raises(ValueError, match="all sector values 0"):
        ind.location_quotient(SECTORS.assign(primary=[0, 30, 0], secondary=[0, 30, 50], tertiary=[0, 40, 50]), key="adcode")
    with pytest.raises(ValueError, match="^reference must be one of 'region', 'rest'; got 'nation'$"):
        ind.krugman_regional(SECTORS, key="adcode", reference="nation")


def test_pair_lines_layer(cities):
    s = ind.structure_similarity(SECTORS, key="adcode")
    lines = ind.pair_lines(s, cities, value="similarity")
    assert len(lines) == 3 and lines.crs.to_epsg() == 4326
    row = lines.set_index(["a", "b"]).loc[("310100", "320500")]
    assert row.similarity == pytest.approx(s.loc["310100", "320500"])
    assert row.distance_km == pytest.approx(yrdgeo.distance_km("上海", "苏州市"))
    assert row.a_name == "上海市"
    with pytest.raises(ValueError, match="not adcode values"):
        ind.pair_lines(s.rename(index={"310100": "999999"}, columns={"310100": "999999"}), cities)


# -------------------------------------------------------------------- rings


def test_rings_by_distance_from_shanghai(cities):
    res = ind.core_periphery_rings(cities, "上海", breaks=(100, 200, 300))
    f = res.frame.set_index("name_zh")
    # bands of distance are not the paper's 核心层/中间层/边缘层 (tests/test_facts.py): their own names
    assert res.labels == ("内圈", "中圈", "外圈")
    assert f.loc["上海市", "ring"] == 1 and f.loc["上海市", "ring_value"] == pytest.approx(0, abs=1e-6)
    assert f.loc["苏州市", "ring_label"] == "内圈"  # 84.9 km
    assert f.loc["杭州市", "ring_label"] == "中圈"  # 162.9 km
    assert f.loc["南京市", "ring_label"] == "外圈"  # 270.1 km
    assert f.loc["亳州市", "ring_label"] == "圈外" and pd.isna(f.loc["亳州市", "ring"])
    assert res.counts.sum() == 41
    assert "ring" not in cities.columns


def test_rings_by_travel_time_column(cities):
    minutes = cities.assign(tt=np.linspace(0, 400, len(cities)))
    res = ind.core_periphery_rings(minutes, None, breaks=(60, 120), by="tt", labels=("1h", "2h"))
    assert res.by == "tt"
    assert (res.frame.loc[res.frame.tt <= 60, "ring_label"] == "1h").all()
    assert (res.frame.loc[(res.frame.tt > 60) & (res.frame.tt <= 120), "ring"] == 2).all()
    with pytest.raises(ValueError, match=r"^breaks must be strictly increasing, got \[200.0, 100.0\]$"):
        ind.core_periphery_rings(cities, "上海", breaks=(200, 100))
    with pytest.raises(ValueError, match="^breaks must be a number >= 0, got -1$"):
        ind.core_periphery_rings(cities, "上海", breaks=(-1, 100))
    with pytest.raises(ValueError, match="column 'minutes'"):
        ind.core_periphery_rings(cities, "上海", breaks=(60,), by="minutes")
    with pytest.raises(ValueError, match="one label per ring"):
        ind.core_periphery_rings(cities, "上海", breaks=(60, 120), labels=("a",))


# -------------------------------------------------------------------- CLI = library


def test_cli_entropy_index_equals_library(tmp_path):
    from yrdgeo.cli import main

    src = tmp_path / "t.csv"
    HAND.rename_axis("unit").reset_index().to_csv(src, index=False)
    out = tmp_path / "idx.csv"
    assert main(["entropy-index", "--table", str(src), "--criterion", "x1:benefit", "--criterion", "x2:cost",
                 "--criterion", "x3", "--out", str(out)]) == 0
    got = pd.read_csv(out)
    want = ind.entropy_index(HAND, DIRS)
    assert got["entropy_index"].to_numpy() == pytest.approx(want.frame["entropy_index"].to_numpy())
    w = pd.read_csv(tmp_path / "idx.weights.csv").set_index("criterion")["weight"]
    assert w.to_numpy() == pytest.approx(want.weights.to_numpy()) and w.sum() == pytest.approx(1.0)


def test_cli_structure_and_rings_equal_library(tmp_path, cities):
    from yrdgeo.cli import main

    src = tmp_path / "sectors.csv"
    SECTORS.to_csv(src, index=False)
    out, lines = tmp_path / "sim.csv", tmp_path / "sim.gpkg"
    assert main(["structure", "--table", str(src), "--out", str(out), "--lines", str(lines)]) == 0
    got = pd.read_csv(out, dtype={"adcode": str}).set_index("adcode")
    assert got.to_numpy() == pytest.approx(ind.structure_similarity(SECTORS, key="adcode").to_numpy())
    import geopandas as gpd

    assert len(gpd.read_file(lines)) == 3
    kout = tmp_path / "k.csv"
    assert main(["structure", "--table", str(src), "--measure", "krugman", "--out", str(kout)]) == 0
    assert pd.read_csv(kout).iloc[:, 1:].to_numpy() == pytest.approx(ind.krugman_index(SECTORS, key="adcode").to_numpy())
    rout = tmp_path / "rings.gpkg"
    assert main(["rings", "--centre", "上海", "--breaks", "100,200,300", "--out", str(rout)]) == 0
    got = gpd.read_file(rout).set_index("adcode")
    want = ind.core_periphery_rings(cities, "上海", breaks=(100, 200, 300)).frame.set_index("adcode")
    assert got.loc[want.index, "ring_label"].tolist() == want["ring_label"].tolist()
    assert main(["rings", "--centre", "上海", "--breaks", "200,100", "--out", str(tmp_path / "bad.gpkg")]) == 2
    assert not (tmp_path / "bad.gpkg").exists()


def test_entropy_index_accepts_criterion_objects_and_key_errors():
    crits = [ranking.Criterion("x1", "benefit"), ranking.Criterion("x2", "cost"), ranking.Criterion("x3")]
    assert ind.entropy_index(HAND, crits).weights.to_numpy() == pytest.approx(ind.entropy_index(HAND, DIRS).weights.to_numpy())
    with pytest.raises(ValueError, match="key column 'code' not in the table"):
        ind.structure_similarity(SECTORS, key="code")


def test_cli_refuses_to_overwrite_without_flag(tmp_path):
    from yrdgeo.cli import main

    src = tmp_path / "t.csv"
    HAND.reset_index(names="unit").to_csv(src, index=False)
    out = tmp_path / "idx.csv"
    args = ["entropy-index", "--table", str(src), "--criterion", "x1", "--criterion", "x2:cost", "--out", str(out)]
    assert main(args) == 0
    before = (tmp_path / "idx.weights.csv").read_text()
    assert main(args[:-2] + ["--criterion", "x3", "--out", str(out)]) == 2  # exists, no --overwrite
    assert (tmp_path / "idx.weights.csv").read_text() == before
    assert main(args + ["--overwrite"]) == 0


# --------------------------------------------------------------------------- panel (global) entropy


def _panel():
    """2 units × 2 years × 2 criteria, synthetic (for the hand computation below)."""
    return pd.DataFrame({
        "unit": ["A", "B", "A", "B"],
        "year": [2019, 2019, 2020, 2020],
        "x": [1.0, 2.0, 3.0, 5.0],  # benefit
        "y": [4.0, 1.0, 2.0, 0.0],  # cost
    })


def test_panel_entropy_hand_computed():
    panel = _panel()
    before = panel.copy()
    res = ind.entropy_index(panel, {"x": "benefit", "y": "cost"}, year="year", key="unit")
    pd.testing.assert_frame_equal(panel, before)
    # stacked n·T = 4 rows; min-max over both years:
    # x' = (x − 1)/4 = 0, 1/4, 1/2, 1 → p = 0, 1/7, 2/7, 4/7
    # y' = (4 − y)/4 = 0, 3/4, 1/2, 1 → p = 0, 1/3, 2/9, 4/9
    k = 1 / math.log(4)
    e_x = -k * sum(p * math.log(p) for p in (1 / 7, 2 / 7, 4 / 7))
    e_y = -k * sum(p * math.log(p) for p in (1 / 3, 2 / 9, 4 / 9))
    d_x, d_y = 1 - e_x, 1 - e_y
    w_x, w_y = d_x / (d_x + d_y), d_y / (d_x + d_y)
    assert res.entropy["x"] == pytest.approx(e_x) and res.entropy["y"] == pytest.approx(e_y)
    assert res.weights["x"] == pytest.approx(w_x) and res.weights["y"] == pytest.approx(w_y)
    assert res.weights.sum() == pytest.approx(1.0)
    want = [w_x * 0 + w_y * 0, w_x * 0.25 + w_y * 0.75, w_x * 0.5 + w_y * 0.5, w_x * 1 + w_y * 1]
    assert res.frame["entropy_index"].to_numpy() == pytest.approx(want)
    assert res.years == [2019, 2020] and res.year == "year"
    assert res.panel.loc["B", 2020] == pytest.approx(1.0) and res.panel.loc["A", 2019] == pytest.approx(0.0)
    assert res.panel.loc["A", 2020] == pytest.approx(want[2])
    # one set of weights over all years: unlike two separate years (each min-max 0/1), scores compare across years
    alone = ind.entropy_index(panel[panel.year == 2019], {"x": "benefit", "y": "cost"})
    assert alone.scores.tolist() == pytest.approx([0.0, 1.0])  # B in 2019 = best in that year only
    assert res.panel.loc["B", 2019] < res.panel.loc["A", 2020] < res.panel.loc["B", 2020]


def test_panel_entropy_weights_sum_to_one_and_bad_input(tmp_path):
    rng = np.random.default_rng(5)  # synthetic panel: 10 units × 4 years
    panel = pd.DataFrame({"unit": np.repeat([f"u{i}" for i in range(10)], 4), "year": np.tile([2016, 2017, 2018, 2019], 10),
                          "a": rng.random(40), "b": rng.random(40) * 100, "c": rng.random(40)})
    res = ind.entropy_index(panel, {"a": "benefit", "b": "cost", "c": "benefit"}, year="year", key="unit")
    assert res.weights.sum() == pytest.approx(1.0) and (res.weights > 0).all()
    assert res.panel.shape == (10, 4)
    # the panel result is the entropy index of the stacked table (year only adds checks and the unit × year view)
    flat = ind.entropy_index(panel, {"a": "benefit", "b": "cost", "c": "benefit"})
    assert res.weights.to_numpy() == pytest.approx(flat.weights.to_numpy())
    with pytest.raises(ValueError, match="occur more than once"):
        ind.entropy_index(pd.concat([panel, panel.head(1)], ignore_index=True), ["a", "c"], year="year", key="unit")
    with pytest.raises(ValueError, match="year column 'yr' not in the table"):
        ind.entropy_index(panel, ["a", "c"], year="yr")
    with pytest.raises(ValueError, match="blank"):
        ind.entropy_index(panel.assign(year=panel.year.where(panel.index != 3)), ["a", "c"], year="year")
    # CLI = library
    from yrdgeo.cli import main

    src = tmp_path / "panel.csv"
    panel.to_csv(src, index=False)
    out = tmp_path / "idx.csv"
    assert main(["entropy-index", "--table", str(src), "--criterion", "a:benefit", "--criterion", "b:cost",
                 "--criterion", "c:benefit", "--year", "year", "--key", "unit", "--out", str(out)]) == 0
    got = pd.read_csv(out)
    assert got["entropy_index"].to_numpy() == pytest.approx(res.frame["entropy_index"].to_numpy())
    w = pd.read_csv(tmp_path / "idx.weights.csv").set_index("criterion")["weight"]
    assert w.sum() == pytest.approx(1.0) and w.to_numpy() == pytest.approx(res.weights.to_numpy())
