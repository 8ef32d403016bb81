"""Regional inequality: Theil T/L decomposition by hand, the PySAL package, Gini and CV, the bundled worked example."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

import yrdgeo
from yrdgeo import inequality, sources
from yrdgeo.cli import main
from yrdgeo.inequality import decompose, regional_inequality

RATIO = Path(yrdgeo.__file__).parent / "data" / "reference" / "resident_registered_ratio.csv"
ln = math.log


def test_four_units_two_groups_by_hand():
    # group A: 1, 3 (mean 2); group B: 2, 6 (mean 4); overall mean μ = 3; every unit weight ¼
    m, groups = decompose([1.0, 3.0, 2.0, 6.0], ["A", "A", "B", "B"])
    t = (1 / 3 * ln(1 / 3) + 0 + 2 / 3 * ln(2 / 3) + 2 * ln(2)) / 4          # ¼·Σ(y/μ)ln(y/μ)
    lval = (ln(3) + 0 + ln(3 / 2) + ln(1 / 2)) / 4                              # ¼·Σ ln(μ/y) = ½·ln 1.5
    # shares: P_A = P_B = ½; S_A = ½·2/3 = ⅓, S_B = ⅔
    t_between = 1 / 3 * ln((1 / 3) / (1 / 2)) + 2 / 3 * ln((2 / 3) / (1 / 2))
    t_group = (0.5 * ln(0.5) + 1.5 * ln(1.5)) / 2                                # T_A = T_B (scale-free)
    t_within = (1 / 3 + 2 / 3) * t_group
    l_between = 0.5 * ln(0.5 / (1 / 3)) + 0.5 * ln(0.5 / (2 / 3))              # ½·ln(9/8)
    l_within = 0.5 * ln(4 / 3)                                                  # L_A = L_B = ½·(ln 2 + ln ⅔)
    assert m["T"] == pytest.approx(t, rel=1e-12) and m["L"] == pytest.approx(lval, rel=1e-12)
    assert m["L"] == pytest.approx(0.5 * ln(1.5), rel=1e-12)
    assert m["T_between"] == pytest.approx(t_between, rel=1e-12)
    assert m["T_within"] == pytest.approx(t_within, rel=1e-12)
    assert m["L_between"] == pytest.approx(0.5 * ln(9 / 8), rel=1e-12) == l_between
    assert m["L_within"] == pytest.approx(l_within, rel=1e-12)
    assert m["T_between"] + m["T_within"] == pytest.approx(m["T"], rel=1e-12)
    assert m["L_between"] + m["L_within"] == pytest.approx(m["L"], rel=1e-12)
    assert m["T_between_share"] == pytest.approx(t_between / t, rel=1e-12)
    # Gini: Σ over ordered pairs |yᵢ−yⱼ| = 2·(1+2+5+1+4+3) = 32; G = 32/(2·n²·μ) = 32/96
    assert m["gini"] == pytest.approx(1 / 3, rel=1e-12)
    # CV: deviations −2, 0, −1, 3 → variance 14/4; σ/μ
    assert m["cv"] == pytest.approx(math.sqrt(3.5) / 3, rel=1e-12)
    assert m["n"] == 4 and m["mean"] == pytest.approx(3.0)
    assert groups["T_within_part"].sum() == pytest.approx(t_within, rel=1e-12)
    assert groups["value_share"].tolist() == pytest.approx([1 / 3, 2 / 3])


def test_theil_t_and_gini_equal_the_package():
    y = np.random.default_rng(7).uniform(0.5, 3.0, 30)
    g = np.repeat(np.array(["a", "b", "c"]), 10)
    m, _ = decompose(y, g)
    assert m["T"] == pytest.approx(float(np.ravel(Theil(y).T)[0]), rel=1e-12)
    assert m["T_between"] == pytest.approx(float(np.ravel(TheilD(y, g).bg)[0]), rel=1e-12)
    assert m["gini"] == pytest.approx(Gini(y).g, rel=1e-12)
    # equal weights take yrdgeo's numpy path: it agrees with the package
    w, _ = decompose(y, g, weights=np.full(30, 2.5))
    for key in ("T", "T_between", "T_within", "L", "L_between", "L_within", "gini", "cv"):
        assert w[key] == pytest.approx(m[key], rel=1e-10), key


def test_integer_weights_equal_repeated_units():
    y = np.array([1.0, 2.5, 4.0, 0.7, 3.3])
    g = np.array(["x", "x", "y", "y", "y"])
    w = np.array([1, 3, 2, 1, 2])
    weighted, _ = decompose(y, g, weights=w)
    repeated, _ = decompose(np.repeat(y, w), np.repeat(g, w))
    for key in inequality.MEASURES:
        assert weighted[key] == pytest.approx(repeated[key], rel=1e-10), key
    assert weighted["T_between"] + weighted["T_within"] == pytest.approx(weighted["T"], rel=1e-12)


def test_worked_example_resident_registered_ratio():
    """Inequality of the resident/registered population ratio of the 41 cities, 2011 vs 2019, by province."""
    assert "吴福象" in sources.cite("wu-zhang")
    res = regional_inequality(RATIO, ["ratio_2011", "ratio_2019"])
    f = res.frame.set_index("year")
    assert list(f.index) == [2011, 2019] and f["n"].tolist() == [41, 41]
    for m in ("T", "L"):
        assert (f[f"{m}_between"] + f[f"{m}_within"]).tolist() == pytest.approx(f[m].tolist(), rel=1e-12)
        assert (f[f"{m}_between_share"] + f[f"{m}_within_share"]).tolist() == pytest.approx([1.0, 1.0], rel=1e-12)
    # the numbers docs/inequality.md quotes
    assert f["T"].round(6).tolist() == [0.020649, 0.018359]
    assert f["T_between"].round(6).tolist() == [0.008568, 0.007469]
    assert f["L"].round(6).tolist() == [0.019677, 0.017672]
    assert f["gini"].round(4).tolist() == [0.1109, 0.1064]
    assert f["cv"].round(4).tolist() == [0.2099, 0.1967]
    assert set(res.groups["group_name"]) == {"上海市", "江苏省", "浙江省", "安徽省"}
    assert res.groups.groupby("year")["n"].sum().tolist() == [41, 41]


def test_long_table_equals_wide():
    wide = pd.read_csv(RATIO, dtype={"adcode": str})
    long = pd.concat([wide[["adcode"]].assign(year=yr, ratio=wide[f"ratio_{yr}"]) for yr in (2011, 2019)])
    a = regional_inequality(RATIO, ["ratio_2011", "ratio_2019"]).frame
    b = regional_inequality(long, value="ratio", year="year").frame
    cols = list(inequality.MEASURES)
    assert np.allclose(a[cols].to_numpy(float), b[cols].to_numpy(float), rtol=1e-12)
    assert b["year"].tolist() == [2011, 2019]


def test_grouping_by_a_column_and_none():
    wide = pd.read_csv(RATIO, dtype={"adcode": str})
    wide["bloc"] = np.where(wide["adcode"].str[:2] == "34", "皖", "沪苏浙")
    res = regional_inequality(wide, ["ratio_2019"], by="bloc")
    assert set(res.groups["group"]) == {"皖", "沪苏浙"}
    none = regional_inequality(wide, ["ratio_2019"], by=None)
    assert math.isnan(none.frame.at[0, "T_between"]) and none.frame.at[0, "T"] == res.frame.at[0, "T"]
    assert none.groups.empty


def test_population_weights_column():
    frame = pd.DataFrame({"name_zh": ["上海", "南京", "杭州", "合肥"], "gdp_pc": [15.0, 16.0, 14.0, 11.0],
                          "pop": [2487.0, 931.0, 1194.0, 937.0]})
    res = regional_inequality(frame, ["gdp_pc"], weights="pop")
    p = frame["pop"] / frame["pop"].sum()
    share = frame["gdp_pc"] * frame["pop"] / (frame["gdp_pc"] * frame["pop"]).sum()
    assert res.frame.at[0, "T"] == pytest.approx(float((share * np.log(share / p)).sum()), rel=1e-12)
    assert res.frame.at[0, "L"] == pytest.approx(float((p * np.log(p / share)).sum()), rel=1e-12)
    assert res.weights == "pop"


@pytest.mark.parametrize(("values", "words"), [
    ([1.2, 0.0, 0.9], "南京"), ([1.2, 1.0, -0.9], "杭州"), ([np.nan, 1.0, 0.9], "上海"),
])
def test_zero_negative_or_missing_values_are_refused_naming_units(values, words):
    frame = pd.DataFrame({"name_zh": ["上海", "南京", "杭州"], "v": values})
    with pytest.raises(ValueError, match=words):
        regional_inequality(frame, ["v"])


def test_missing_years_are_refused():
    with pytest.raises(ValueError, match="ratio_2015"):
        regional_inequality(RATIO, ["ratio_2011", "ratio_2015"])
    long = pd.DataFrame({"name_zh": ["上海", "南京", "上海"], "year": [2011, 2011, 2019], "v": [1.0, 2.0, 1.5]})
    with pytest.raises(ValueError, match="year 2019 has no row for .*南京"):
        regional_inequality(long, value="v", year="year")
    with pytest.raises(ValueError, match="columns= .* or value="):
        regional_inequality(RATIO)
    with pytest.raises(ValueError, match="weights must be one number > 0"):
        decompose([1.0, 2.0], weights=[1.0, 0.0])
    with pytest.raises(ValueError, match="by must be"):
        regional_inequality(RATIO, ["ratio_2011"], by="county_of_origin")


def test_library_equals_cli(tmp_path):
    out, groups = tmp_path / "ineq.csv", tmp_path / "groups.csv"
    assert main(["inequality", str(RATIO), "--columns", "ratio_2011,ratio_2019", "--out", str(out),
                 "--groups", str(groups)]) == 0
    want = regional_inequality(RATIO, ["ratio_2011", "ratio_2019"])
    got = pd.read_csv(out)
    cols = list(inequality.MEASURES)
    assert np.allclose(got[cols].to_numpy(float), want.frame[cols].to_numpy(float), rtol=1e-12)
    assert len(pd.read_csv(groups)) == len(want.groups) == 8
    assert main(["inequality", str(RATIO), "--columns", "ratio_2011", "--by", "none",
                 "--out", str(tmp_path / "n.csv")]) == 0
    assert main(["inequality", str(RATIO), "--columns", "ratio_2011", "--value", "x",
                 "--out", str(tmp_path / "bad.csv")]) == 2
