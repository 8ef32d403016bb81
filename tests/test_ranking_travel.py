"""Travel time as a ranking criterion: library = CLI, unreachable and no-access candidates excluded with reasons."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from yrdgeo import accessibility, network, ranking
from yrdgeo.cli import main
from yrdgeo.ranking import Criterion

# On 2005-01-01 the bundled network's dated links (rail and dated expressways, without the undated road
# proxy) leave 16 cities cut off from Shanghai: northern Jiangsu before the Nanjing–Qidong and Xinyi–Changxing
# lines (July 2005), southern Zhejiang, Zhoushan (undated bridges), and Huaibei, Fuyang, Bozhou, Chizhou
# (lines not in the table) — see yrdgeo/data/network/PROVENANCE.md.
DATE = "2005-01-01"
CUT_OFF = "340600"  # Huaibei: no dated line in the table serves it
CRITS = [Criterion("travel_min", "cost", label="旅行时间"), Criterion("dem_mean", "cost")]


@pytest.fixture(scope="module")
def dem_cities():
    return ranking.build_candidates(level="city", raster="dem", raster_stats=("mean",))


def test_travel_time_from_matches_accessibility_and_excludes_unreachable(dem_cities):
    before = dem_cities.copy()
    cand = ranking.add_travel_time_from(dem_cities, "上海", as_of=DATE, undated="drop")
    pd.testing.assert_frame_equal(dem_cities, before)  # input untouched
    net = network.load_yrd_network(as_of=DATE, undated="drop")
    od = accessibility.od_matrix(net, dem_cities[dem_cities.adcode.isin(["310100", "320100"])], dem_cities)
    want = od.minutes.loc["310100"].reindex(cand.adcode).to_numpy()
    np.testing.assert_allclose(cand["travel_min"].to_numpy(), want, equal_nan=True)
    f = cand.set_index("adcode")
    assert f.loc["320500", "travel_min_status"] == "ok" and f.loc["320500", "travel_min"] > 0  # Suzhou, on the line
    assert f.loc[CUT_OFF, "travel_min_status"] == "unreachable" and np.isnan(f.loc[CUT_OFF, "travel_min"])
    res = ranking.rank_candidates(cand, CRITS, exclude={"310100": "fly-out unit"})  # missing="error" by default
    r = res.frame.set_index("adcode")
    unreachable = f.index[f.travel_min_status == "unreachable"]
    assert len(unreachable) > 10 and r.loc[unreachable, "excluded"].all()
    assert (r.loc[unreachable, "exclusion_reason"] == "travel_min unreachable: no route on the network from the "
            "fly-out unit").all()
    assert r.loc[unreachable, "score"].isna().all()  # never scored as 0 minutes
    assert res.n_ranked == int((f.travel_min_status == "ok").sum()) - 1
    # a NaN that no status explains is still missing data
    with pytest.raises(ValueError, match="missing"):
        ranking.rank_candidates(cand.assign(dem_mean=np.where(cand.adcode == "320500", np.nan, cand.dem_mean)), CRITS)


def test_cli_travel_time_equals_library(tmp_path, dem_cities):
    out = tmp_path / "tt.gpkg"
    assert main(["rank", "--fly-out", "上海", "--criterion", "travel_min:cost:label=旅行时间", "--raster", "dem",
                 "--criterion", "dem_mean:cost", "--travel-time-date", DATE, "--undated", "drop",
                 "--out", str(out)]) == 0
    got = gpd.read_file(out, layer="ranking").set_index("adcode")
    lib = ranking.pairing_matrix(["上海"], dem_cities, CRITS, travel_time_as_of=DATE, undated="drop")
    want = lib.results["310100"].frame.set_index("adcode").loc[got.index]
    np.testing.assert_allclose(got["score"].to_numpy(), want["score"].to_numpy(), equal_nan=True)
    np.testing.assert_allclose(got["travel_min"].to_numpy(), want["travel_min"].to_numpy(), equal_nan=True)
    assert got["exclusion_reason"].fillna("").tolist() == want["exclusion_reason"].tolist()
    assert got.loc[CUT_OFF, "exclusion_reason"].startswith("travel_min unreachable")
    assert got.loc[CUT_OFF, "travel_min_status"] == "unreachable"
    # the pairing path equals add_travel_time_from + rank_candidates
    single = ranking.rank_candidates(ranking.add_travel_time_from(dem_cities, "上海", as_of=DATE, undated="drop"),
                                     CRITS, exclude={"310100": "the fly-out unit itself"})
    np.testing.assert_allclose(single.frame["score"].to_numpy(), lib.results["310100"].frame["score"].to_numpy(),
                               equal_nan=True)
    # with all links (undated road proxy kept) every city is reachable in 2024
    out2 = tmp_path / "tt2024.gpkg"
    assert main(["rank", "--fly-out", "上海", "--criterion", "travel_min:cost", "--raster", "dem",
                 "--criterion", "dem_mean:cost", "--travel-time-date", "2024-01-01", "--out", str(out2)]) == 0
    g2 = gpd.read_file(out2, layer="ranking")
    assert int((~g2.excluded).sum()) == 40


def test_pairing_matrix_from_travel_times_and_user_network(dem_cities):
    fly_out = ["上海", "南京"]
    tt = ranking.travel_time_matrix(fly_out + ["舟山"], dem_cities, as_of=DATE, undated="drop")
    assert tt.minutes.shape == (3, 41) and tt.as_of.isoformat() == DATE
    via_tt = ranking.pairing_matrix(fly_out, dem_cities, CRITS, pair_values={"travel_min": tt})
    auto = ranking.pairing_matrix(fly_out, dem_cities, CRITS, travel_time_as_of=DATE, undated="drop")
    pd.testing.assert_frame_equal(via_tt.scores, auto.scores)
    assert via_tt.results["320100"].frame.set_index("adcode").loc["310100", "travel_min"] == pytest.approx(
        tt.minutes.loc["320100", "310100"])
    # Zhoushan's bridges are undated, so without the undated links it reaches no other city: nothing left to
    # rank, and the error says why
    with pytest.raises(ValueError, match="travel_min unreachable"):
        ranking.pairing_matrix(["舟山"], dem_cities, CRITS, pair_values={"travel_min": tt})
    # a user network: the bundled network with slower trains, passed in explicitly
    slow = network.load_yrd_network(rail_speed_factor=0.5)
    res = ranking.pairing_matrix(["上海"], dem_cities, CRITS, network=slow, travel_time_as_of="2024-01-01")
    two = dem_cities[dem_cities.adcode.isin(["310100", "320100"])]
    want = accessibility.od_matrix(network.as_of(slow, "2024-01-01"), two, dem_cities).minutes.loc["310100"]
    np.testing.assert_allclose(res.results["310100"].frame["travel_min"].to_numpy(),
                               want.reindex(dem_cities.adcode).to_numpy())
    with pytest.raises(ValueError, match="no column for 1 candidate"):
        ranking.pairing_matrix(["上海"], dem_cities, CRITS, pair_values={"travel_min": ranking.travel_time_matrix(
            ["上海"], dem_cities.iloc[1:])})
    with pytest.raises(ValueError, match="yrdgeo.network.Network"):
        ranking.travel_time_matrix(["上海"], dem_cities, network="roads.gpkg")
    with pytest.raises(ValueError, match="already have column"):
        ranking.add_travel_time_from(res.results["310100"].frame, "上海")


def test_county_without_network_access_is_excluded(counties):
    cand = counties.assign(flat=np.arange(len(counties), dtype=float))
    res = ranking.pairing_matrix(["上海"], cand, [Criterion("travel_min", "cost"), Criterion("flat", "benefit")],
                                 max_access_km=30.0)
    f = res.results["310100"].frame
    no_access = f["travel_min_status"] == "no_access"
    assert no_access.any() and f.loc[no_access, "travel_min"].isna().all()
    assert f.loc[no_access, "exclusion_reason"].str.contains("travel_min no_access: no network node within", regex=False).all()
    assert f.loc[no_access & ~f.adcode.str.startswith("31"), "exclusion_reason"].str.startswith("travel_min no_access").all()
    assert f.loc[no_access, "rank"].isna().all()
    ranked = f.loc[~f.excluded]
    assert len(ranked) > 50 and ranked["travel_min"].gt(0).all()


@pytest.mark.slow  # runs the example script
def test_example_with_travel_time(tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "rank_flyin_shanghai.py"
    spec = importlib.util.spec_from_file_location("rank_flyin_shanghai_tt", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.main(["--out-dir", str(tmp_path), "--travel-time", DATE, "--undated", "drop"]) == 0
    assert (tmp_path / "flyin_shanghai.png").stat().st_size > 1000
    ex = pd.read_csv(tmp_path / "explanation.csv", dtype={"adcode": str}).set_index("adcode")
    assert {"travel_min", "norm_travel_min", "contrib_travel_min"} <= set(ex.columns)
    assert ex.loc[CUT_OFF, "exclusion_reason"].startswith("travel_min unreachable")
    assert ex.loc[~ex.excluded, "travel_min"].gt(0).all()
    crit = gpd.read_file(tmp_path / "flyin_shanghai.gpkg", layer="criteria").set_index("criterion")
    assert crit.loc["travel_min", "label"] == "旅行时间（模型）" and crit["weight"].sum() == pytest.approx(1.0)


def test_travel_time_as_a_constraint_only(dem_cities):
    crits = [Criterion("dem_mean", "cost"), Criterion("travel_min", filter_only=True, maximum=90)]
    res = ranking.pairing_matrix(["上海"], dem_cities, crits, travel_time_as_of="2024-01-01").results["310100"]
    f = res.frame
    assert list(res.weights.index) == ["dem_mean"]
    kept = f.loc[~f.excluded]
    assert len(kept) >= 2 and kept["travel_min"].le(90).all()
    far = f.loc[f.travel_min > 90]
    assert len(far) and far["exclusion_reason"].str.match(r"travel_min [\d.]+ > maximum 90").all()


def test_fly_out_units_are_checked(dem_cities):
    with pytest.raises(ValueError, match="pairing matrix needs at least one fly-out unit"):
        ranking.pairing_matrix([], dem_cities, CRITS)
    with pytest.raises(ValueError, match="fly-out units repeat"):
        ranking.travel_time_matrix(["上海", "Shanghai"], dem_cities)
    with pytest.raises(ValueError, match="travel times need at least one fly-out unit"):
        ranking.travel_time_matrix([], dem_cities)
