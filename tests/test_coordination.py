"""Coupling coordination degree: hand-computed C, T, D and grade, band edges, bad inputs, library = CLI."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from yrdgeo import coordination, indicators
from yrdgeo.cli import main
from yrdgeo.coordination import GRADES, coupling_coordination, grade


@pytest.fixture
def three_units():
    return pd.DataFrame({"name_zh": ["上海", "南京", "杭州"], "U1": [0.8, 0.5, 0.3], "U2": [0.6, 0.2, 0.3]})


def test_two_systems_by_hand(three_units):
    res = coupling_coordination(three_units, ["U1", "U2"])
    f = res.frame
    # 上海: C = 2·√(0.8·0.6)/(0.8+0.6) = 2·0.692820/1.4 = 0.989743; T = 0.7; D = √(C·T) = √0.692820 = 0.832358
    # 南京: C = 2·√0.1/0.7 = 0.903508; T = 0.35; D = √0.316228 = 0.562341
    # 杭州: C = 2·0.3/0.6 = 1; T = 0.3; D = √0.3 = 0.547723
    assert f["C"].tolist() == pytest.approx([2 * math.sqrt(0.48) / 1.4, 2 * math.sqrt(0.1) / 0.7, 1.0], rel=1e-12)
    assert f["T"].tolist() == pytest.approx([0.7, 0.35, 0.3], rel=1e-12)
    assert f["D"].tolist() == pytest.approx([0.832358, 0.562341, 0.547723], abs=1e-6)
    # with α = β = ½, C·T = √(U1·U2), so D = (U1·U2)^¼
    assert f["D"].tolist() == pytest.approx([0.48 ** 0.25, 0.1 ** 0.25, 0.09 ** 0.25], rel=1e-12)
    assert f["grade"].tolist() == ["良好协调", "勉强协调", "勉强协调"]
    assert f["grade_en"].tolist() == ["good coordination", "barely coordinated", "barely coordinated"]
    assert res.weights.tolist() == [0.5, 0.5] and res.columns == ["U1", "U2"]
    assert res.grade_counts()["勉强协调"] == 2 and res.grade_counts().sum() == 3


def test_three_systems_and_weights_by_hand():
    frame = pd.DataFrame({"a": [0.2], "b": [0.4], "c": [0.8]})
    res = coupling_coordination(frame, ["a", "b", "c"], weights=[0.5, 0.3, 0.2])
    # C = 3·(0.2·0.4·0.8)^(1/3)/(1.4) = 3·0.4/1.4 = 0.857143; T = 0.1 + 0.12 + 0.16 = 0.38; D = √0.325714 = 0.570714
    assert res.frame.at[0, "C"] == pytest.approx(3 * 0.4 / 1.4, rel=1e-12)
    assert res.frame.at[0, "T"] == pytest.approx(0.38, rel=1e-12)
    assert res.frame.at[0, "D"] == pytest.approx(math.sqrt(1.2 / 1.4 * 0.38), rel=1e-12)
    assert res.frame.at[0, "grade"] == "勉强协调"
    # mapping weights name the systems
    again = coupling_coordination(frame, ["a", "b", "c"], weights={"c": 0.2, "a": 0.5, "b": 0.3})
    assert again.frame["D"].tolist() == res.frame["D"].tolist()


def test_all_zero_indices_are_not_coordinated():
    res = coupling_coordination(pd.DataFrame({"a": [0.0], "b": [0.0]}), ["a", "b"])
    assert res.frame.loc[0, ["C", "T", "D"]].tolist() == [0.0, 0.0, 0.0] and res.frame.at[0, "grade"] == "极度失调"


def test_grades_are_the_ten_standard_bands():
    assert [g.name_zh for g in GRADES] == ["极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调",
                                           "勉强协调", "初级协调", "中级协调", "良好协调", "优质协调"]
    assert [(g.lower, g.upper) for g in GRADES] == [(i / 10, (i + 1) / 10) for i in range(10)]
    assert all(g.name_en for g in GRADES)


@pytest.mark.parametrize(("d", "name"), [
    (0.0, "极度失调"), (0.0999999, "极度失调"), (0.1, "严重失调"), (0.5, "勉强协调"), (0.8999, "良好协调"),
    (0.9, "优质协调"), (1.0, "优质协调"),
    (0.3 - 0.1, "中度失调"),  # 0.19999999999999998: meant as 0.2, graded as 0.2
])
def test_band_edges(d, name):
    assert grade(d).name_zh == name


def test_band_edge_computed():
    # U1 = U2 = 0.01: C = 1, T = 0.01, D = 0.1 exactly → the second band
    res = coupling_coordination(pd.DataFrame({"a": [0.01], "b": [0.01]}), ["a", "b"])
    assert res.frame.at[0, "D"] == pytest.approx(0.1) and res.frame.at[0, "grade"] == "严重失调"


def test_entropy_subsystems_reuse_the_entropy_method():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.uniform(1, 10, size=(8, 4)), columns=["gdp", "revenue", "pm25", "green"])
    systems = {"economy": ["gdp", "revenue"], "environment": {"pm25": "cost", "green": "benefit"}}
    res = coupling_coordination(frame, systems)
    econ = indicators.entropy_index(frame, ["gdp", "revenue"]).scores
    env = indicators.entropy_index(frame, {"pm25": "cost", "green": "benefit"}).scores
    assert res.frame["U_economy"].tolist() == pytest.approx(econ.tolist(), rel=1e-12)
    assert res.frame["U_environment"].tolist() == pytest.approx(env.tolist(), rel=1e-12)
    assert res.frame["D"].tolist() == pytest.approx(((econ * env) ** 0.25).tolist(), rel=1e-12)
    assert set(res.entropy_weights) == {"economy", "environment"} and res.columns == ["U_economy", "U_environment"]


@pytest.mark.parametrize(("frame", "kwargs", "words"), [
    (pd.DataFrame({"a": [0.5, 1.2], "b": [0.5, 0.5]}), {}, "[0, 1]"),
    (pd.DataFrame({"a": [0.5, -0.1], "b": [0.5, 0.5]}), {}, "row(s) do not"),
    (pd.DataFrame({"a": [0.5, np.nan], "b": [0.5, 0.5]}), {}, "a=nan"),
    (pd.DataFrame({"a": [0.5], "b": [0.5]}), {"weights": [0.5, 0.6]}, "sum to 1"),
    (pd.DataFrame({"a": [0.5], "b": [0.5]}), {"weights": [1.0]}, "2 numbers"),
    (pd.DataFrame({"a": [0.5], "b": [0.5]}), {"weights": [1.5, -0.5]}, "weights must be"),
])
def test_bad_inputs(frame, kwargs, words):
    with pytest.raises(ValueError) as err:
        coupling_coordination(frame, ["a", "b"], **kwargs)
    assert words in str(err.value)


def test_bad_systems():
    frame = pd.DataFrame({"a": [0.5], "b": [0.5], "c": [0.5], "d": [0.5]})
    with pytest.raises(ValueError, match="two or three"):
        coupling_coordination(frame, ["a"])
    with pytest.raises(ValueError, match="two or three"):
        coupling_coordination(frame, ["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="not in the table"):
        coupling_coordination(frame, ["a", "x"])
    with pytest.raises(ValueError, match="D must be"):
        grade(1.01)


def test_library_equals_cli(tmp_path, three_units):
    src = tmp_path / "u.csv"
    three_units.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["coordination", str(src), "--indices", "U1,U2", "--weights", "0.4,0.6", "--out", str(out)]) == 0
    got = pd.read_csv(out)
    want = coupling_coordination(three_units, ["U1", "U2"], weights=[0.4, 0.6]).frame
    assert got["D"].tolist() == pytest.approx(want["D"].tolist(), rel=1e-12)
    assert got["grade"].tolist() == want["grade"].tolist()


def test_cli_systems_by_entropy(tmp_path):
    frame = pd.DataFrame({"name_zh": ["上海", "南京", "杭州", "合肥"], "gdp": [4.0, 1.6, 1.8, 1.2],
                          "jobs": [10.0, 5.0, 6.0, 4.0], "pm25": [30.0, 40.0, 35.0, 45.0]})
    src, out = tmp_path / "t.csv", tmp_path / "o.csv"
    frame.to_csv(src, index=False)
    assert main(["coordination", str(src), "--system", "economy=gdp,jobs", "--system", "environment=pm25:cost",
                 "--out", str(out)]) == 0
    want = coupling_coordination(frame, {"economy": ["gdp", "jobs"], "environment": {"pm25": "cost"}}).frame
    assert pd.read_csv(out)["D"].tolist() == pytest.approx(want["D"].tolist(), rel=1e-12)
    assert main(["coordination", str(src), "--system", "economy=gdp", "--indices", "gdp,jobs",
                 "--out", str(tmp_path / "x.csv")]) == 2
    assert coordination.GRADES[0].name_zh == "极度失调"
