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

YEARBOOK = ("地区,地区生产总值,第一产业,第二产业,第三产业\n"
            "南京市,17421.4,352.0,6150.1,10919.3\n无锡市,15456.2,141.3,7246.2,8068.7\n")
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
    no_total = ind.krugman_index(table.drop(columns="地区生产总值"), key="地区")
    assert no_total.loc["南京市", "无锡市"] == pytest.approx(_krugman_by_hand())


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


# ----------------------------------------------------------------------------- entropy-index: total and repeated rows

CITIES = [("南京市", 17421.4, "1,234"), ("无锡市", 15456.2, "987"), ("苏州市", 24653.4, "2,001"),
          ("常州市", 9550.1, "650"), ("南通市", 11379.6, "700")]
TOTAL = ("合计", 78460.7, "5,572")


def _gbk_table(path, rows) -> None:
    path.write_bytes(("城市,gdp,pop\n" + "".join(f'{a},{b},"{c}"\n' for a, b, c in rows)).encode("gbk"))


def _library_index() -> pd.DataFrame:
    """The five cities alone, numbers typed in: what the CLI must give with the 合计 row in the file."""
    frame = pd.DataFrame({"gdp": [r[1] for r in CITIES], "pop": [float(r[2].replace(",", "")) for r in CITIES]})
    return ind.entropy_index(frame, ["gdp", "pop"])


@pytest.mark.parametrize("encoding", [[], ["--encoding", "gbk"]])
def test_entropy_index_sets_aside_a_total_row(tmp_path, capsys, encoding):
    src = tmp_path / "ind.csv"
    _gbk_table(src, [*CITIES, TOTAL])
    before = src.read_bytes()
    out = tmp_path / "e.csv"
    assert main(["entropy-index", "--table", str(src), "--criterion", "gdp", "--criterion", "pop", "--out", str(out),
                 *encoding]) == 0
    err = capsys.readouterr().err
    assert "'合计' a total row: set aside" in err and "'1,234' read as 1234" in err
    got = pd.read_csv(out, dtype={"adcode": str})
    assert len(got) == 5 and "合计" not in got["城市"].tolist()
    want = _library_index()
    assert got["entropy_index"].to_numpy() == pytest.approx(want.frame["entropy_index"].to_numpy())
    w = pd.read_csv(tmp_path / "e.weights.csv").set_index("criterion")["weight"]
    assert w.to_numpy() == pytest.approx(want.weights.to_numpy())
    assert src.read_bytes() == before


def test_entropy_index_refuses_a_city_twice_and_a_wrong_encoding(tmp_path, capsys):
    src = tmp_path / "dup.csv"
    _gbk_table(src, [*CITIES, ("苏州", 24653.4, "2,001")])
    out = tmp_path / "e.csv"
    args = ["entropy-index", "--table", str(src), "--criterion", "gdp", "--criterion", "pop", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "unit 320500 appears in several rows" in err and "row 3" in err and "row 6" in err
    assert not out.exists() and not (tmp_path / "e.weights.csv").exists()
    _gbk_table(src, [*CITIES, TOTAL])
    assert main([*args, "--encoding", "utf-8"]) == 2  # --encoding is honoured, not second-guessed
    assert "not valid utf-8" in capsys.readouterr().err and not out.exists()


def _panel_csv(path, rows_per_year) -> None:
    lines = ["城市,year,gdp,pop"]
    for year in (2019, 2020):
        lines += [f"{a},{year},{b + year - 2019},{c.replace(',', '')}" for a, b, c in rows_per_year]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_entropy_index_panel_sets_aside_totals_and_names_a_repeated_unit_year(tmp_path, capsys):
    src = tmp_path / "panel.csv"
    _panel_csv(src, [*CITIES, TOTAL])
    out = tmp_path / "e.csv"
    args = ["entropy-index", "--table", str(src), "--year", "year", "--criterion", "gdp", "--criterion", "pop"]
    assert main([*args, "--key", "城市", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "row 6, column '城市': '合计' a total row: set aside" in err and "row 12" in err
    got = pd.read_csv(out)
    assert len(got) == 10 and "合计" not in got["城市"].tolist()
    clean = tmp_path / "clean.csv"
    _panel_csv(clean, CITIES)
    want = ind.entropy_index(pd.read_csv(clean), ["gdp", "pop"], year="year", key="城市")
    assert got["entropy_index"].to_numpy() == pytest.approx(want.frame["entropy_index"].to_numpy())
    # a city twice in a year: refused, naming the rows, with or without --key
    _panel_csv(src, [*CITIES, CITIES[2]])
    for key in ([], ["--key", "城市"]):
        assert main([*args, *key, "--out", str(tmp_path / "d.csv")]) == 2
        err = capsys.readouterr().err
        assert "(苏州市, 2019) appears in rows 3, 6" in err and "one row per unit-year" in err
        assert not (tmp_path / "d.csv").exists()


def test_entropy_index_table_without_unit_names_keeps_working(tmp_path, capsys):
    # rows need not be units of the region (the library's own HAND-style example), but a 合计 row is still no row
    src = tmp_path / "t.csv"
    src.write_text("unit,x1,x2\nA,2,5\nB,4,3\nC,6,1\n合计,12,9\n", encoding="utf-8")
    out = tmp_path / "e.csv"
    assert main(["entropy-index", "--table", str(src), "--criterion", "x1", "--criterion", "x2:cost",
                 "--out", str(out)]) == 0
    assert "'合计' a total row: set aside" in capsys.readouterr().err
    got = pd.read_csv(out)
    want = ind.entropy_index(pd.DataFrame({"x1": [2, 4, 6], "x2": [5, 3, 1]}), {"x1": "benefit", "x2": "cost"})
    assert got["unit"].tolist() == ["A", "B", "C"]
    assert got["entropy_index"].to_numpy() == pytest.approx(want.frame["entropy_index"].to_numpy())
    src.write_text("unit,x1,x2\nA,2,5\nB,4,3\nA,6,1\n", encoding="utf-8")
    assert main(["entropy-index", "--table", str(src), "--criterion", "x1", "--out", str(tmp_path / "f.csv")]) == 2
    assert "(A) appears in rows 1, 3" in capsys.readouterr().err and not (tmp_path / "f.csv").exists()
