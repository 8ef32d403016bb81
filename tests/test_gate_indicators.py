"""Planner's tables into the indicators: a total column is not a sector, a total row is not a unit.

Tables are written here, in the shapes a yearbook export takes (地区生产总值 beside its three sectors; a 合计
row under the cities; a GBK CSV; a city listed twice). Each case checks the number that comes out, or the
error that names the problem, and that no output file was written on refusal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdgeo import indicators as ind
from yrdgeo.cli import main

YEARBOOK = "地区,地区生产总值,第一产业,第二产业,第三产业\n南京市,17421.4,352.0,6150.1,10919.3\n无锡市,15456.2,141.3,7246.2,8068.7\n"
SECTORS = ["第一产业", "第二产业", "第三产业"]


def _krugman_by_hand() -> float:
    nj = np.array([352.0, 6150.1, 10919.3])
    wx = np.array([141.3, 7246.2, 8068.7])
    return float(np.abs(nj / nj.sum() - wx / wx.sum()).sum())


# ----------------------------------------------------------------------------- a total column


def test_hand_krugman_is_0_2316():
    assert _krugman_by_hand() == pytest.approx(0.2316, abs=5e-5)


@pytest.mark.parametrize("func", [ind.structure_similarity, ind.krugman_index, ind.location_quotient,
                                  ind.sector_shares, ind.krugman_regional])
def test_library_refuses_a_total_column(tmp_path, func):
    src = tmp_path / "s.csv"
    src.write_text(YEARBOOK, encoding="utf-8")
    table = pd.read_csv(src)
    with pytest.raises(ValueError, match="column '地区生产总值' is the sum of the other columns in every row"):
        func(table, key="地区")
    with pytest.raises(ValueError, match="a total, not a sector"):  # naming it explicitly does not get it through
        func(table, key="地区", sectors=["地区生产总值", *SECTORS])


def test_library_without_the_total_gives_the_hand_value(tmp_path):
    src = tmp_path / "s.csv"
    src.write_text(YEARBOOK, encoding="utf-8")
    table = pd.read_csv(src)
    k = ind.krugman_index(table, key="地区", sectors=SECTORS)
    assert k.loc["南京市", "无锡市"] == pytest.approx(_krugman_by_hand())
    assert k.loc["南京市", "无锡市"] == pytest.approx(0.2316, abs=5e-5)
    assert ind.krugman_index(table.drop(columns="地区生产总值"), key="地区").loc["南京市", "无锡市"] == pytest.approx(
        _krugman_by_hand())


def test_total_tolerates_yearbook_rounding_but_not_a_real_sector():
    # the total is off by 0.3 % of itself (rounded sector values): still a total
    t = pd.DataFrame({"k": ["a", "b"], "gdp": [100.3, 200.0], "s1": [30.0, 50.0], "s2": [70.0, 150.5]})
    with pytest.raises(ValueError, match="'gdp' is the sum"):
        ind.krugman_index(t, key="k")
    # off by 2 % in one row: a coincidence, not a total — computed as given
    t2 = t.assign(gdp=[102.0, 200.0])
    assert ind.krugman_index(t2, key="k").shape == (2, 2)


def test_cli_structure_refuses_the_total_and_takes_columns(tmp_path, capsys):
    src = tmp_path / "s.csv"
    src.write_text(YEARBOOK, encoding="utf-8")
    out = tmp_path / "k.csv"
    assert main(["structure", "--table", str(src), "--key", "地区", "--measure", "krugman", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "'地区生产总值' is the sum of the other columns in every row" in err and "--columns" in err
    assert not out.exists()
    assert main(["structure", "--table", str(src), "--key", "地区", "--measure", "krugman",
                 "--columns", ",".join(SECTORS), "--out", str(out)]) == 0
    got = pd.read_csv(out, dtype={"adcode": str}).set_index("adcode")
    assert got.loc["320100", "320200"] == pytest.approx(_krugman_by_hand())
    assert round(got.loc["320100", "320200"], 4) == 0.2316
    assert main(["structure", "--table", str(src), "--key", "地区", "--columns", "第一产业",
                 "--out", str(tmp_path / "one.csv")]) == 2
    assert "at least 2" in capsys.readouterr().err and not (tmp_path / "one.csv").exists()
