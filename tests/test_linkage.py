"""Gravity-model linkage R_ij and economic affiliation F_ij, checked against hand arithmetic.

The populations and GDPs below are TEST DATA (round numbers chosen so that the masses √(P·G) are
100, 300 and 200), not statistics of these cities: the bundled data has no population or GDP.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from yrdgeo import accessibility, inputs, linkage, network, units
from yrdgeo.cli import main
from yrdgeo.measure import distance_km

SH, HZ, NJ, HF, SZ = "310100", "330100", "320100", "340100", "320500"


def _table(**extra) -> pd.DataFrame:
    """Three cities, masses √(P·G) = √(100·100) = 100, √(900·100) = 300, √(400·100) = 200 (test data)."""
    t = pd.DataFrame({"城市": ["上海市", "杭州市", "南京市"], "pop": [100.0, 900.0, 400.0], "gdp": [100.0] * 3})
    return t.assign(**extra)


def _hand_network(*, with_hefei: bool = False) -> network.Network:
    """Lines between seats with given times: 上海–杭州 60 min, 杭州–南京 90 min (so 上海–南京 150 via 杭州).

    With ``with_hefei`` a line 合肥–苏州 (30 min) forms a second piece that the first cannot reach.
    """
    sh, hz, nj, hf, sz = (tuple(xy) for xy in units.anchors([SH, HZ, NJ, HF, SZ]))
    geoms = [shapely.LineString([sh, hz]), shapely.LineString([hz, nj])]
    times = [60.0, 90.0]
    if with_hefei:
        geoms.append(shapely.LineString([hf, sz]))
        times.append(30.0)
    lines = gpd.GeoDataFrame({"minutes": times}, geometry=geoms, crs="EPSG:4326")
    return network.from_lines(lines, time="minutes", components="keep")


def _pair(res: linkage.Linkage, i: str, j: str) -> pd.Series:
    p = res.pairs.set_index(["i", "j"])
    return p.loc[(i, j)]


def test_hand_computed_r_and_f_on_travel_time():
    res = linkage.gravity_linkage(_table(), population="pop", gdp="gdp", distance="travel_time",
                                  network=_hand_network())
    # D: 上海–杭州 60, 杭州–南京 90, 上海–南京 60 + 90 = 150 minutes (seats are the nodes: no access leg)
    # R = k·m_i·m_j/D², k = 1:
    #   上海–杭州 100·300/60²  = 30000/3600  = 8.3333…
    #   杭州–南京 300·200/90²  = 60000/8100  = 7.4074…
    #   上海–南京 100·200/150² = 20000/22500 = 0.8888…
    want_r = {(SH, HZ): 30000 / 3600, (HZ, NJ): 60000 / 8100, (SH, NJ): 20000 / 22500}
    for (i, j), r in want_r.items():
        assert _pair(res, i, j).R == pytest.approx(r, rel=1e-9)
        assert _pair(res, j, i).R == pytest.approx(r, rel=1e-9)
    # F_ij = R_ij / Σ_j R_ij:
    #   上海: 8.3333/(8.3333 + 0.8889) = 0.90361…;  杭州: 8.3333/(8.3333 + 7.4074) = 0.52941… (= 9/17)
    assert _pair(res, SH, HZ).F == pytest.approx(8.333333 / (8.333333 + 0.888889), rel=1e-6)
    assert _pair(res, HZ, SH).F == pytest.approx(9 / 17, rel=1e-9)
    assert _pair(res, NJ, HZ).F == pytest.approx(7.407407 / (7.407407 + 0.888889), rel=1e-6)
    totals = res.totals.set_index("adcode")
    assert totals.loc[HZ, "R_total"] == pytest.approx(30000 / 3600 + 60000 / 8100)
    assert list(totals["mass"]) == [100.0, 300.0, 200.0]
    assert (res.pairs.D_unit == "min").all() and res.d_unit == "min"
    assert _pair(res, SH, NJ).D == pytest.approx(150.0)


def test_hand_computed_r_and_f_on_geodesic_distance():
    res = linkage.gravity_linkage(_table(), population="pop", gdp="gdp")
    # seat-to-seat geodesic km (yrdgeo.measure: 上海–杭州 162.9, 上海–南京 270.1 — about 165 and 270 in the papers)
    assert _pair(res, SH, HZ).D == pytest.approx(distance_km("上海市", "杭州市"), rel=1e-12)
    assert _pair(res, SH, HZ).D == pytest.approx(162.9, abs=0.05)
    assert _pair(res, SH, NJ).D == pytest.approx(270.1, abs=0.05)
    assert _pair(res, HZ, NJ).D == pytest.approx(242.0, abs=0.05)
    # R_上海杭州 = 100·300/162.9² = 30000/26536 = 1.1305;  R_上海南京 = 100·200/270.1² = 20000/72954 = 0.27415
    # R_杭州南京 = 300·200/242.0² = 60000/58564 = 1.0245
    assert _pair(res, SH, HZ).R == pytest.approx(1.1305, rel=1e-3)
    assert _pair(res, SH, NJ).R == pytest.approx(0.27415, rel=1e-3)
    assert _pair(res, HZ, NJ).R == pytest.approx(1.0245, rel=1e-3)
    # F_上海杭州 = 1.1305/(1.1305 + 0.27415) = 0.8048
    assert _pair(res, SH, HZ).F == pytest.approx(0.8048, rel=1e-3)
    assert res.pairs.status.eq("ok").all() and res.pairs.D_unit.eq("km").all()


@pytest.mark.parametrize(("b", "k"), [(1.0, 1.0), (2.0, 1.0), (2.0, 0.5), (1.5, 3.0)])
def test_b_and_k_variants(b, k):
    res = linkage.gravity_linkage(_table(), population="pop", gdp="gdp", distance="travel_time",
                                  network=_hand_network(), b=b, k=k)
    # R_上海南京 = k·100·200/150^b; F does not depend on k
    assert _pair(res, SH, NJ).R == pytest.approx(k * 20000 / 150**b, rel=1e-9)
    base = linkage.gravity_linkage(_table(), population="pop", gdp="gdp", distance="travel_time",
                                   network=_hand_network(), b=b)
    np.testing.assert_allclose(res.pairs.F, base.pairs.F, rtol=1e-12)
    assert res.b == b and res.k == k


def test_affiliation_rows_sum_to_one_and_matrix():
    t = pd.DataFrame({"adcode": [SH, HZ, NJ, HF, SZ], "pop": [1, 2, 3, 4, 5], "gdp": [10, 20, 30, 40, 50]})
    res = linkage.gravity_linkage(t, population="pop", gdp="gdp")
    sums = res.pairs.groupby("i")["F"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, rtol=1e-12)
    f = res.matrix("F")
    assert list(f.index) == list(f.columns) == [SH, HZ, NJ, HF, SZ]
    assert np.isnan(np.diag(f.to_numpy())).all()
    r = res.matrix("R").to_numpy()
    np.testing.assert_allclose(r, r.T, rtol=1e-12)  # geodesic D is symmetric, so is R
    with pytest.raises(ValueError, match="value must be one of 'R', 'F', 'D'"):
        res.matrix("G")


def test_travel_time_distance_equals_od_matrix_minutes():
    t = pd.DataFrame({"adcode": [SH, HZ, NJ, HF, SZ], "pop": [1, 2, 3, 4, 5], "gdp": [5, 4, 3, 2, 1]})
    res = linkage.gravity_linkage(t, population="pop", gdp="gdp", distance="travel_time", date="2010-01-01")
    net = network.load_yrd_network(as_of="2010-01-01")
    want = accessibility.od_matrix(net, units.select_units([SH, HZ, NJ, HF, SZ])).minutes
    got = res.matrix("D")
    for i in want.index:
        for j in want.columns:
            if i != j:
                assert got.loc[i, j] == pytest.approx(want.loc[i, j], rel=1e-12)
    assert str(res.as_of) == "2010-01-01" and res.network_name == net.name
    # 2010 vs all links: the later network is no slower, so no pair's linkage falls
    today = linkage.gravity_linkage(t, population="pop", gdp="gdp", distance="travel_time")
    assert (today.pairs.R.to_numpy() >= res.pairs.R.to_numpy() * (1 - 1e-12)).all()


def test_unreachable_pair_is_nan_with_status_never_zero():
    t = pd.DataFrame({"城市": ["上海市", "杭州市", "南京市", "合肥市"], "pop": [100.0, 900.0, 400.0, 100.0],
                      "gdp": [100.0] * 4})
    res = linkage.gravity_linkage(t, population="pop", gdp="gdp", distance="travel_time",
                                  network=_hand_network(with_hefei=True))
    hf = res.pairs[(res.pairs.i == HF) | (res.pairs.j == HF)]
    assert len(hf) == 6 and hf.R.isna().all() and hf.F.isna().all() and hf.D.isna().all()
    assert set(hf.status) == {"unreachable"} and len(res.unreachable) == 6
    # the others keep the three-unit values: F sums over the pairs with a value
    assert _pair(res, HZ, SH).F == pytest.approx(9 / 17, rel=1e-9)
    totals = res.totals.set_index("adcode")
    assert np.isnan(totals.loc[HF, "R_total"]) and totals.loc[HF, "n_linked"] == 0
    assert totals.loc[SH, "n_unreachable"] == 1 and totals.loc[SH, "n_linked"] == 2
    assert HF not in set(res.top_links(None).i) | set(res.top_links(None).j)


def test_top_links_and_desire_lines():
    res = linkage.gravity_linkage(_table(), population="pop", gdp="gdp", distance="travel_time",
                                  network=_hand_network())
    top = res.top_links(2)
    assert list(zip(top.i, top.j)) == [(SH, HZ), (HZ, NJ)]  # 8.33 > 7.41 > 0.89, each pair once
    assert top.loc[0, "F_ji"] == pytest.approx(9 / 17)  # 杭州's share going to 上海
    lines = res.desire_lines()
    assert isinstance(lines, gpd.GeoDataFrame) and lines.crs.to_epsg() == 4326
    assert list(lines["rank"]) == [1, 2, 3] and (lines.geom_type == "LineString").all()
    first = np.asarray(lines.geometry.iloc[0].coords)
    np.testing.assert_allclose([first[0], first[-1]], units.anchors([SH, HZ]))
    assert {"D", "R", "F", "F_ji"} <= set(lines.columns)
    with pytest.raises(ValueError, match="n must be"):
        res.top_links(0)


# --------------------------------------------------------------------------- refusals


def test_missing_unit_is_refused_by_the_gate():
    with pytest.raises(inputs.InputError, match="Atlantis|not"):
        linkage.gravity_linkage(_table().assign(城市=["上海市", "杭州市", "Atlantis"]), population="pop", gdp="gdp")


def test_unit_listed_twice_is_refused():
    with pytest.raises(inputs.InputError, match="several rows"):
        linkage.gravity_linkage(_table().assign(城市=["上海市", "杭州市", "上海"]), population="pop", gdp="gdp")


@pytest.mark.parametrize(("value", "word"), [(0.0, "zero or negative"), (-5.0, "zero or negative"),
                                             (np.nan, "missing")])
def test_bad_masses_are_refused_naming_the_unit(value, word):
    with pytest.raises(ValueError, match=f"{word}.*南京市"):
        linkage.gravity_linkage(_table(gdp=[100.0, 100.0, value]), population="pop", gdp="gdp")


def test_absent_column_and_bad_options_are_refused():
    with pytest.raises(inputs.InputError, match="GDP"):
        linkage.gravity_linkage(_table(), population="pop", gdp="GDP")
    with pytest.raises(ValueError, match="same column"):
        linkage.gravity_linkage(_table(), population="pop", gdp="pop")
    with pytest.raises(ValueError, match="distance must be one of 'geodesic', 'travel_time'"):
        linkage.gravity_linkage(_table(), population="pop", gdp="gdp", distance="euclid")
    with pytest.raises(ValueError, match="b must be a positive number"):
        linkage.gravity_linkage(_table(), population="pop", gdp="gdp", b=0)
    with pytest.raises(ValueError, match="k must be a positive number"):
        linkage.gravity_linkage(_table(), population="pop", gdp="gdp", k=-1)
    with pytest.raises(ValueError, match="takes no date="):
        linkage.gravity_linkage(_table(), population="pop", gdp="gdp", date="2010")
    with pytest.raises(ValueError, match="at least 2 units"):
        linkage.gravity_linkage(_table().head(1), population="pop", gdp="gdp")


def test_zero_distance_is_refused():
    # No two bundled units of one table share a seat (上海 as province and as city are one unit to the gate),
    # so a Table with 上海市 twice is built by hand to reach the guard: D = 0 must be refused, not divided by.
    t = pd.DataFrame({"adcode": [SH, HZ], "pop": [1.0, 2.0], "gdp": [1.0, 2.0]})
    table = inputs.read_table(t, columns=["pop", "gdp"])
    table.data.loc[1, "adcode"] = SH
    with pytest.raises(ValueError, match="D = 0 km"):
        linkage.gravity_linkage(table, population="pop", gdp="gdp")


# --------------------------------------------------------------------------- CLI


def test_cli_gives_the_library_numbers(tmp_path, capsys):
    src = tmp_path / "masses.csv"
    _table().to_csv(src, index=False)
    out, totals, lines = tmp_path / "pairs.csv", tmp_path / "totals.csv", tmp_path / "lines.gpkg"
    code = main(["linkage", str(src), "--population", "pop", "--gdp", "gdp", "--distance", "travel_time",
                 "--date", "2015", "--b", "1.5", "--out", str(out), "--totals", str(totals), "--lines", str(lines),
                 "--top", "2"])
    assert code == 0
    want = linkage.gravity_linkage(_table(), population="pop", gdp="gdp", distance="travel_time", date="2015", b=1.5)
    got = pd.read_csv(out, dtype={"i": str, "j": str})
    assert list(got.columns) == list(want.pairs.columns)
    np.testing.assert_allclose(got[["D", "R", "F"]].to_numpy(float), want.pairs[["D", "R", "F"]].to_numpy(float),
                               rtol=1e-12)
    assert list(got.i) == list(want.pairs.i)
    got_t = pd.read_csv(totals, dtype={"adcode": str})
    np.testing.assert_allclose(got_t.R_total, want.totals.R_total, rtol=1e-12)
    assert len(gpd.read_file(lines)) == 2
    assert "上海市" in capsys.readouterr().out


def test_cli_refuses_bad_input_with_exit_2(tmp_path, capsys):
    src = tmp_path / "masses.csv"
    _table(gdp=[100.0, 0.0, 100.0]).to_csv(src, index=False)
    out = tmp_path / "pairs.csv"
    assert main(["linkage", str(src), "--population", "pop", "--gdp", "gdp", "--out", str(out)]) == 2
    assert "zero or negative" in capsys.readouterr().err and not out.exists()
    _table().to_csv(src, index=False)
    assert main(["linkage", str(src), "--population", "pop", "--gdp", "gdp", "--date", "2010", "--out", str(out)]) == 2
    assert "--distance geodesic takes no --date" in capsys.readouterr().err and not out.exists()
