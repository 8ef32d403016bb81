"""Fly-in site ranking: constraints, weights, explanations, bad inputs, pairing matrix, CLI = library."""

from __future__ import annotations


import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import yrdgeo
from yrdgeo import ranking
from yrdgeo.cli import main
from yrdgeo.ranking import Criterion

# The six outward-looking cities of 吴福象、张雯《长三角区域产城人融合发展路径研究》.
OUTWARD_CITIES = ["上海", "南京", "苏州市", "杭州", "宁波", "合肥"]


@pytest.fixture(scope="module")
def shanghai_candidates(cities):
    """Cities with two criteria computed from bundled real data: seat distance from Shanghai and mean DEM."""
    from yrdgeo.raster import dem_path, zonal_stats

    cand = ranking.add_distance_from(cities, "上海")
    return zonal_stats(cand, dem_path(), stats=("mean", "std"), prefix="dem_").frame


CRITS = [Criterion("distance_km", "cost"), Criterion("dem_mean", "cost"), Criterion("dem_std", "cost")]


def _excl_shanghai():
    return {"310100": "fly-out unit"}


def test_rank_real_cities_explained(shanghai_candidates):
    before = shanghai_candidates.copy()
    res = ranking.rank_candidates(shanghai_candidates, CRITS, exclude=_excl_shanghai())
    pd.testing.assert_frame_equal(shanghai_candidates, before)  # input untouched
    f = res.frame.set_index("adcode")
    assert isinstance(res.frame, gpd.GeoDataFrame) and res.frame.crs == shanghai_candidates.crs
    assert f.loc["310100", "excluded"] and f.loc["310100", "exclusion_reason"] == "fly-out unit"
    assert pd.isna(f.loc["310100", "rank"]) and np.isnan(f.loc["310100", "score"])
    assert res.n_ranked == 40
    assert sorted(f["rank"].dropna().tolist()) == list(range(1, 41))
    assert res.weights.sum() == pytest.approx(1.0) and res.weight_source == "entropy"
    # explanation: best first, excluded last, contributions add up to C − ½ (TOPSIS)
    ex = res.explanation
    assert ex["rank"].iloc[0] == 1 and ex["excluded"].iloc[-1]
    contrib = ex.loc[~ex.excluded, [f"contrib_{c.column}" for c in CRITS]].sum(axis=1)
    assert (contrib + 0.5).to_numpy() == pytest.approx(ex.loc[~ex.excluded, "score"].to_numpy())
    long = res.explanation_long()
    assert len(long) == 40 * 3 and {"gap_ideal", "gap_anti_ideal", "weight", "normalised"} <= set(long.columns)
    # the nearest, flattest cities win: Suzhou (85 km, 5 m) beats Huangshan (mountains, 290 km)
    assert f.loc["320500", "rank"] < f.loc["341000", "rank"]


def test_dominance_is_respected(shanghai_candidates):
    """A candidate no worse on every cost criterion and better on one never scores lower (both methods)."""
    for method in ("topsis", "weighted_sum"):
        res = ranking.rank_candidates(shanghai_candidates, CRITS, method=method, exclude=_excl_shanghai())
        kept = res.frame.loc[~res.frame.excluded]
        x = kept[[c.column for c in CRITS]].to_numpy()
        s = kept["score"].to_numpy()
        le = (x[:, None, :] <= x[None, :, :]).all(axis=2) & (x[:, None, :] < x[None, :, :]).any(axis=2)
        i, j = np.nonzero(le)
        assert len(i) > 50
        assert (s[i] >= s[j] - 1e-12).all(), method


def test_weighted_sum_contributions_add_to_score(shanghai_candidates):
    res = ranking.rank_candidates(shanghai_candidates, CRITS, method="weighted_sum",
                                  weights={"distance_km": 0.5, "dem_mean": 0.3, "dem_std": 0.2})
    f = res.frame
    total = f[[f"contrib_{c.column}" for c in CRITS]].sum(axis=1)
    assert total.to_numpy() == pytest.approx(f["score"].to_numpy())
    assert f["norm_distance_km"].min() == 0 and f["norm_distance_km"].max() == 1
    # cost: the nearest (Shanghai itself, 0 km) gets x' = 1
    assert f.set_index("adcode").loc["310100", "norm_distance_km"] == 1.0
    assert res.weight_source == "user" and not res.warnings


def test_constraints_exclude_with_reasons(shanghai_candidates):
    crits = [Criterion("distance_km", "cost", maximum=200), Criterion("dem_mean", "cost", minimum=10, maximum=100)]
    res = ranking.rank_candidates(shanghai_candidates, crits)
    f = res.frame.set_index("name_zh")
    assert "distance_km" in f.loc["亳州市", "exclusion_reason"] and "> maximum 200" in f.loc["亳州市", "exclusion_reason"]
    assert f.loc["苏州市", "exclusion_reason"] == "dem_mean 5.25 < minimum 10"
    assert f.loc["湖州市", "excluded"]  # 137 km but hilly: 192 m > 100
    kept = f.loc[~f.excluded]
    assert (kept.distance_km <= 200).all() and kept.dem_mean.between(10, 100).all()
    # normalisation refers to the candidates kept
    assert res.criteria_table.loc["distance_km", "ranked_max"] == pytest.approx(kept.distance_km.max())
    assert res.excluded["exclusion_reason"].str.len().gt(0).all()


def test_weights_bad_and_normalised(shanghai_candidates):
    with pytest.raises(ValueError, match="negative.*dem_mean"):
        ranking.rank_candidates(shanghai_candidates, CRITS, weights={"distance_km": 1, "dem_mean": -0.5, "dem_std": 0.5})
    with pytest.raises(ValueError, match="unknown: \\['gdp'\\].*missing: \\['dem_std'\\]"):
        ranking.rank_candidates(shanghai_candidates, CRITS, weights={"distance_km": 1, "dem_mean": 1, "gdp": 1})
    with pytest.raises(ValueError, match=r"weights\['dem_std'\] must be a finite number, got inf"):
        ranking.rank_candidates(shanghai_candidates, CRITS,
                                weights={"distance_km": 1, "dem_mean": 1, "dem_std": np.inf})
    with pytest.raises(ValueError, match="sum to 0"):
        ranking.rank_candidates(shanghai_candidates, CRITS, weights={"distance_km": 0, "dem_mean": 0, "dem_std": 0})
    with pytest.warns(UserWarning, match="summed to 4"):
        res = ranking.rank_candidates(shanghai_candidates, CRITS, weights={"distance_km": 2, "dem_mean": 1, "dem_std": 1})
    assert res.weights.tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert res.warnings and "normalised" in res.warnings[0]
    with pytest.raises(ValueError, match="'entropy', 'equal'"):
        ranking.rank_candidates(shanghai_candidates, CRITS, weights="ahp")
    eq = ranking.rank_candidates(shanghai_candidates, CRITS, weights="equal")
    assert eq.weights.tolist() == pytest.approx([1 / 3] * 3)


def test_bad_criteria(shanghai_candidates):
    with pytest.raises(ValueError, match=r"\['labour_cost'\] not in the table"):
        ranking.rank_candidates(shanghai_candidates, {"labour_cost": "cost", "dem_mean": "cost"})
    with pytest.raises(ValueError, match="same value.*flat"):
        ranking.rank_candidates(shanghai_candidates.assign(flat=3.0), {"flat": "cost", "dem_mean": "cost"})
    with pytest.raises(ValueError, match="relax the thresholds"):
        # z differs across all cities but is 1 for every city within 90 km, the only ones kept
        ranking.rank_candidates(shanghai_candidates.assign(z=np.where(shanghai_candidates.distance_km < 90, 1.0, 2.0)),
                                [Criterion("distance_km", "cost", maximum=90), Criterion("z", "cost")])
    with pytest.raises(ValueError, match="'dem_mean': direction must be one of 'benefit', 'cost'; got 'lower'"):
        Criterion("dem_mean", "lower")
    with pytest.raises(ValueError, match="criterion 'dem_mean': maximum must be a finite number or None, got nan"):
        Criterion("dem_mean", "cost", maximum=float("nan"))
    with pytest.raises(ValueError, match="minimum 5 is above maximum 1"):
        Criterion("dem_mean", "cost", minimum=5, maximum=1)
    with pytest.raises(ValueError, match="at least 2 are needed"):
        ranking.rank_candidates(shanghai_candidates, [Criterion("distance_km", "cost", maximum=1)])
    with pytest.raises(ValueError, match="already have result column"):
        ranking.rank_candidates(shanghai_candidates.assign(score=1.0), CRITS)
    with pytest.raises(ValueError, match="method must be one of 'topsis', 'weighted_sum'; got 'vikor'"):
        ranking.rank_candidates(shanghai_candidates, CRITS, method="vikor")
    with pytest.raises(ValueError, match="epsilon must be a number >= 0, got -1"):
        ranking.rank_candidates(shanghai_candidates, CRITS, epsilon=-1)


def test_nan_error_or_exclude(shanghai_candidates):
    holes = shanghai_candidates.copy()
    holes.loc[holes.adcode == "320500", "dem_mean"] = np.nan
    with pytest.raises(ValueError, match=r"missing \(NaN\).*320500.*dem_mean"):
        ranking.rank_candidates(holes, CRITS)
    res = ranking.rank_candidates(holes, CRITS, missing="exclude")
    row = res.frame.set_index("adcode").loc["320500"]
    assert row.excluded and row.exclusion_reason == "missing dem_mean"
    assert res.n_ranked == 40


def test_distance_to_lines(cities):
    # a schematic line through the seats of the G60 north wing (real seats; not the expressway alignment)
    g60 = pd.read_csv(yrdgeo.units.data_path("reference", "g60_corridor.csv"), dtype=str)
    north = g60.loc[g60.wing.isin(["hub", "north"])].sort_values("order", key=lambda s: s.astype(int))
    seats = yrdgeo.all_units().set_index("adcode").loc[north.adcode, ["anchor_lon", "anchor_lat"]].to_numpy()
    line = gpd.GeoSeries([shapely.LineString(seats)], crs="EPSG:4326")
    out = ranking.add_distance_to_lines(cities, line)
    f = out.set_index("name_zh")
    assert f.loc["合肥市", "line_distance_km"] == pytest.approx(0, abs=1e-6)  # line ends at Hefei's seat
    assert f.loc["苏州市", "line_distance_km"] == pytest.approx(0, abs=1e-6)
    assert f.loc["盐城市", "line_distance_km"] > 150
    # the same line as a shapely geometry needs its CRS; as EPSG:4549 metres it gives the same distances
    with pytest.raises(ValueError, match="pass lines_crs"):
        ranking.add_distance_to_lines(cities, line.iloc[0])
    same = ranking.add_distance_to_lines(cities, line.iloc[0], lines_crs="EPSG:4326")
    assert same.line_distance_km.to_numpy() == pytest.approx(out.line_distance_km.to_numpy())
    metric = ranking.add_distance_to_lines(cities, line.to_crs(4549))
    assert metric.line_distance_km.to_numpy() == pytest.approx(out.line_distance_km.to_numpy(), abs=1e-6)
    poly = ranking.add_distance_to_lines(cities, line, measure_from="geometry").set_index("name_zh")
    assert poly.loc["湖州市", "line_distance_km"] == 0 and poly.loc["盐城市", "line_distance_km"] < f.loc["盐城市", "line_distance_km"]
    with pytest.raises(ValueError, match="line geometries"):
        ranking.add_distance_to_lines(cities, cities.iloc[:2])
    with pytest.raises(ValueError, match="do not pass lines_crs"):
        ranking.add_distance_to_lines(cities, line, lines_crs="EPSG:4326")
    with pytest.raises(ValueError, match="measure_from must be one of 'anchor', 'geometry'; got 'centroid'"):
        ranking.add_distance_to_lines(cities, line, measure_from="centroid")


def test_join_table_by_code_and_name(cities):
    table = pd.DataFrame({"adcode": ["320500", "341300"], "x": [1.0, 2.0]})
    out = ranking.join_table(cities, table)
    f = out.set_index("adcode")
    assert f.loc["341300", "x"] == 2.0 and np.isnan(f.loc["310100", "x"])
    by_name = ranking.join_table(cities, pd.DataFrame({"city": ["苏州市", "宿州"], "x": [1.0, 2.0]}), on="city")
    assert by_name.set_index("adcode").loc["341300", "x"] == 2.0
    with pytest.raises(ValueError, match="row 1: 'Suzhou' is ambiguous"):
        ranking.join_table(cities, pd.DataFrame({"city": ["Suzhou"], "x": [1.0]}), on="city")
    with pytest.raises(ValueError, match="unit 320500 appears in several rows \\(row 1, row 2\\)"):
        ranking.join_table(cities, pd.DataFrame({"adcode": ["320500", "320500"], "x": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="no column 'code'"):
        ranking.join_table(cities, table, on="code")
    with pytest.warns(UserWarning, match="match no unit"):
        ranking.join_table(cities, pd.DataFrame({"adcode": ["320505"], "x": [1.0]}))


def test_select_candidates_and_own_units():
    cand = ranking.select_candidates("上海", level="county")
    assert not cand.adcode.str.startswith("31").any() and len(cand) == 305 - 16
    g60 = ranking.select_candidates("上海", group="g60", as_of="2020-01-01")
    assert "330400" in set(g60.adcode) and "310100" not in set(g60.adcode)
    songjiang = ranking.own_units("松江区", yrdgeo.load_units("city"))
    assert yrdgeo.load_units("city").loc[songjiang, "adcode"].tolist() == ["310100"]


def test_pairing_matrix_outward_looking_cities(cities, shanghai_candidates):
    cand = shanghai_candidates.drop(columns="distance_km")
    res = ranking.pairing_matrix(OUTWARD_CITIES, cand, CRITS)
    assert res.scores.shape == (6, 41) and res.weights.shape == (6, 3)
    assert np.allclose(res.weights.sum(axis=1), 1.0)
    for code in res.scores.index:
        assert np.isnan(res.scores.loc[code, code])  # a city is never its own fly-in site
        reason = res.results[code].frame.set_index("adcode").loc[code, "exclusion_reason"]
        assert reason == "the fly-out unit itself"
    # the Shanghai row is the single ranking with the same inputs
    single = ranking.rank_candidates(shanghai_candidates, CRITS, exclude={"310100": "x"})
    assert res.scores.loc["310100"].to_numpy() == pytest.approx(single.frame["score"].to_numpy(), nan_ok=True)
    assert len(res.best) == 6 and set(res.best.columns) >= {"fly_out", "best", "best_name", "score"}
    long = res.long()
    assert len(long) == 6 * 41 and long.groupby("fly_out").excluded.sum().eq(1).all()


def test_pairing_with_user_pair_values(cities):
    minutes = pd.DataFrame([[60.0] * 41, list(range(41))], index=["310100", "320100"],
                           columns=cities.adcode)  # a stand-in travel-time matrix (synthetic, for the test)
    cand = cities.assign(flat=np.arange(41.0))
    with pytest.raises(ValueError, match="no row for fly-out unit 310100"):
        ranking.pairing_matrix(["上海", "南京"], cand, [Criterion("tt", "cost"), Criterion("flat", "benefit")],
                               pair_values={"tt": minutes.iloc[1:]})
    with pytest.raises(ValueError, match="same value"):  # Shanghai's row is constant
        ranking.pairing_matrix(["上海"], cand, [Criterion("tt", "cost"), Criterion("flat", "benefit")],
                               pair_values={"tt": minutes})
    res = ranking.pairing_matrix(["南京"], cand, [Criterion("tt", "cost"), Criterion("flat", "benefit")],
                                 pair_values={"tt": minutes}, weights={"tt": 0.5, "flat": 0.5})
    assert res.results["320100"].frame["tt"].tolist() == list(range(41))
    with pytest.raises(ValueError, match="neither a candidate column"):
        ranking.pairing_matrix(["南京"], cand, [Criterion("gdp", "benefit")])


def test_cli_rank_equals_library(tmp_path, cities):
    table = tmp_path / "attrs.csv"
    rng_values = pd.DataFrame({"adcode": cities.adcode, "x": np.arange(41.0) % 7})  # synthetic test column
    rng_values.to_csv(table, index=False)
    out = tmp_path / "rank.gpkg"
    explain = tmp_path / "explain.csv"
    code = main(["rank", "--fly-out", "上海", "--table", str(table), "--criterion", "x:benefit",
                 "--criterion", "distance_km:cost:max=400", "--raster", "dem", "--raster-stat", "mean",
                 "--criterion", "dem_mean:cost", "--method", "weighted_sum", "--out", str(out),
                 "--explain", str(explain)])
    assert code == 0
    got = gpd.read_file(out, layer="ranking").set_index("adcode")
    cand = ranking.build_candidates(table=rng_values, raster="dem", raster_stats=("mean",))
    lib = ranking.pairing_matrix(["上海"], cand, [Criterion("x", "benefit"), Criterion("distance_km", "cost", maximum=400),
                                                 Criterion("dem_mean", "cost")], method="weighted_sum")
    want = lib.results["310100"].frame.set_index("adcode")
    assert got["score"].to_numpy() == pytest.approx(want.loc[got.index, "score"].to_numpy(), nan_ok=True)
    assert got["exclusion_reason"].fillna("").tolist() == want.loc[got.index, "exclusion_reason"].tolist()
    ex = pd.read_csv(explain, dtype={"adcode": str})
    assert ex["rank"].iloc[0] == 1 and {"contrib_x", "norm_dem_mean"} <= set(ex.columns)
    crit = gpd.read_file(out, layer="criteria")
    assert crit["weight"].sum() == pytest.approx(1.0)


def test_cli_bad_input_writes_nothing(tmp_path, capsys):
    out = tmp_path / "rank.gpkg"
    code = main(["rank", "--fly-out", "上海", "--criterion", "labour_cost:cost", "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "labour_cost" in capsys.readouterr().err
    code = main(["rank", "--fly-out", "上海", "--criterion", "distance_km:cost", "--weights", "distance_km=-1",
                 "--out", str(out)])
    assert code == 2 and not out.exists()
    code = main(["rank", "--fly-out", "上海", "--criterion", "distance_km:worse", "--out", str(out)])
    assert code == 2 and "direction must be one of 'benefit', 'cost'" in capsys.readouterr().err


@pytest.mark.slow  # runs the example script
def test_example_runs_on_bundled_data(tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "rank_flyin_shanghai.py"
    spec = importlib.util.spec_from_file_location("rank_flyin_shanghai", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.main(["--out-dir", str(tmp_path)]) == 0
    for name in ("flyin_shanghai.gpkg", "explanation.csv", "flyin_shanghai.png"):
        assert (tmp_path / name).stat().st_size > 1000
    ex = pd.read_csv(tmp_path / "explanation.csv", dtype={"adcode": str})
    assert ex.loc[ex.excluded, "exclusion_reason"].str.len().gt(0).all()
    assert ex.loc[0, "name_zh"] in {"苏州市", "嘉兴市"}  # nearest, flat, on the G60 line
    template = path.parent / "data" / "flyin_criteria_template.csv"
    t = pd.read_csv(template, dtype=str)
    assert len(t) == 41 and t["construction_land_share"].isna().all()  # the template ships no values
    with pytest.raises(ValueError, match="no filled criterion column"):
        example.main(["--out-dir", str(tmp_path / "t"), "--table", str(template)])


def test_filter_only_constraint(shanghai_candidates, tmp_path):
    crits = [Criterion("distance_km", filter_only=True, maximum=200), Criterion("dem_mean", "cost")]
    res = ranking.rank_candidates(shanghai_candidates, crits, exclude=_excl_shanghai())
    assert list(res.weights.index) == ["dem_mean"] and res.weights.sum() == pytest.approx(1.0)
    assert "norm_distance_km" not in res.frame.columns and "distance_km" in res.explanation.columns
    kept = res.frame.loc[~res.frame.excluded]
    assert (kept.distance_km <= 200).all() and res.n_ranked < 40
    assert res.criteria_table.loc["distance_km", "role"] == "filter"
    assert np.isnan(res.criteria_table.loc["distance_km", "weight"])
    # the filter does not change the order among the kept: same as ranking dem_mean alone on them
    alone = ranking.rank_candidates(kept.drop(columns=["score", "rank", "excluded", "exclusion_reason",
                                                       "norm_dem_mean", "contrib_dem_mean"]), [crits[1]])
    assert alone.frame["rank"].tolist() == kept["rank"].tolist()
    with pytest.raises(ValueError, match="neither minimum nor maximum"):
        Criterion("distance_km", filter_only=True)
    with pytest.raises(ValueError, match="every criterion is filter_only"):
        ranking.rank_candidates(shanghai_candidates, [crits[0]])
    out = tmp_path / "f.gpkg"
    assert main(["rank", "--fly-out", "上海", "--raster", "dem", "--criterion", "dem_mean:cost",
                 "--filter", "distance_km:max=200", "--out", str(out)]) == 0
    got = gpd.read_file(out, layer="ranking").set_index("adcode")
    want = res.frame.set_index("adcode")
    assert got.loc[want.index, "score"].to_numpy() == pytest.approx(want["score"].to_numpy(), nan_ok=True)


def test_pairing_at_county_level_excludes_own_districts(counties):
    cand = counties.assign(flat=np.arange(len(counties), dtype=float))
    res = ranking.pairing_matrix(["上海"], cand, [Criterion("distance_km", "cost"), Criterion("flat", "benefit")])
    f = res.results["310100"].frame
    own = f.adcode.str.startswith("31")
    assert f.loc[own, "excluded"].all() and not f.loc[~own, "excluded"].any()
    assert (f.loc[own, "exclusion_reason"] == "own unit of the fly-out unit 上海市").all()


def _plain_reasons(frame, crits, exclude, key="adcode"):
    """Exclusion reasons built row by row, the way rank_candidates built them before it went column-wise."""
    out = []
    for _, row in frame.iterrows():
        rs = [str(exclude[row[key]])] if row[key] in exclude else []
        for c in crits:
            status = row.get(f"{c.column}_status")
            if np.isnan(row[c.column]) and isinstance(status, str) and status not in ("ok", ""):
                why = ranking.STATUS_TEXT.get(status)
                rs.append(f"{c.column} {status}" + (f": {why}" if why else ""))
        rs += [f"missing {c.column}" for c in crits
               if np.isnan(row[c.column]) and row.get(f"{c.column}_status") in (None, "ok", "")]
        for c in crits:
            v = row[c.column]
            if c.minimum is not None and v < c.minimum:
                rs.append(f"{c.column} {v:.6g} < minimum {c.minimum:.6g}")
            if c.maximum is not None and v > c.maximum:
                rs.append(f"{c.column} {v:.6g} > maximum {c.maximum:.6g}")
        out.append("; ".join(rs))
    return out


@pytest.mark.parametrize("method", ["topsis", "weighted_sum"])
def test_column_wise_reasons_and_ranks_equal_the_row_by_row_ones(method):
    rng = np.random.default_rng(3)
    n = 400
    a = rng.integers(0, 12, n).astype(float)  # integer values: many tied scores
    a[rng.random(n) < 0.08] = np.nan
    b = rng.uniform(0, 100, n)
    b[rng.random(n) < 0.04] = np.nan
    status = np.where(np.isnan(a), rng.choice(["unreachable", "no_access", "ok", "other"], n), "ok")
    cand = pd.DataFrame({"adcode": [f"c{i}" for i in range(n)], "a": a, "a_status": status, "b": b,
                         "c": rng.uniform(-5, 5, n)}, index=rng.permutation(n) + 10)
    crits = [Criterion("a", "cost", maximum=10), Criterion("b", "benefit", minimum=2.5),
             Criterion("c", "cost", minimum=-4.5, maximum=4.25, filter_only=True)]
    exclude = {"c3": "fly-out unit", "c7": "own unit", "nowhere": "ignored"}
    res = ranking.rank_candidates(cand, crits, missing="exclude", exclude=exclude, method=method)
    f = res.frame
    assert f["exclusion_reason"].tolist() == _plain_reasons(cand, crits, exclude)
    assert (f["excluded"] == (f["exclusion_reason"] != "")).all()
    expected_rank = f["score"].rank(ascending=False, method="min").astype("Int64")
    pd.testing.assert_series_equal(f["rank"], expected_rank, check_names=False)
    assert list(f.columns[:len(cand.columns)]) == list(cand.columns) and f.index.equals(cand.index)
    # The explanation is the frame's columns, best first: rebuild it from the frame by hand.
    per = ["a", "norm_a", "contrib_a", "b", "norm_b", "contrib_b", "c"]
    plain = f[["adcode", "rank", "score", "excluded", "exclusion_reason"] + per]
    plain = plain.sort_values(["excluded", "score"], ascending=[True, False], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(res.explanation, plain)
