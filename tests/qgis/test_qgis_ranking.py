"""Fly-in candidate ranking in QGIS equals the library's pairing/ranking on the same real layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import ranking
from yrdgeo.io import write_layers
from yrdgeo.units import data_path


def _table(layer):
    from yrdgeo_qgis.convert import python_value

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()])


@pytest.fixture(scope="module")
def candidates(tmp_path_factory, qgis_plugin):
    """The 41 cities with their area (land, benefit) and the 2019 resident/registered ratio of
    吴福象、张雯《长三角区域产城人融合发展路径研究》 (below 1: people leave, labour is available — a cost criterion), in EPSG:4549."""
    ratios = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    cities = yrdgeo.with_area(yrdgeo.load_units("city")).merge(ratios[["adcode", "ratio_2019"]], on="adcode")
    path = tmp_path_factory.mktemp("rank") / "cand.gpkg"
    write_layers({"cand": cities.to_crs(4549)}, path)
    return cities, str(path)


def test_ranking_for_shanghai_matches_library(run_alg, candidates):
    cities, path = candidates
    res, feedback = run_alg("rank_candidates", {
        "INPUT": path, "BENEFIT": ["area_km2"], "COST": ["ratio_2019"], "FLY_OUT": "上海",
        "MAX_DISTANCE_KM": 400, "OUTPUT": "memory:", "EXPLANATION": "memory:"})
    crits = [ranking.Criterion("area_km2", "benefit"), ranking.Criterion("ratio_2019", "cost"),
             ranking.Criterion("distance_km", "cost", maximum=400)]
    want = ranking.pairing_matrix(["上海"], cities, crits).results["310100"]
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.frame.adcode]
    np.testing.assert_allclose(got.score.astype(float), want.frame.score, rtol=1e-9, equal_nan=True)
    def ranks(values):
        return [None if pd.isna(v) else int(v) for v in values]

    assert ranks(got["rank"]) == ranks(want.frame["rank"])
    assert 0 < int(want.frame["rank"].notna().sum()) < 41
    assert got.loc["310100", "excluded"]  # Shanghai itself is not its own fly-in site
    assert res["EXPLANATION"].featureCount() == len(want.explanation_long())
    assert any("entropy weights" in line for line in feedback.infos)


def test_ranking_without_fly_out_and_bad_criteria(run_alg, candidates):
    from qgis.core import QgsProcessingException

    cities, path = candidates
    res, _ = run_alg("rank_candidates", {"INPUT": path, "BENEFIT": ["area_km2"], "COST": ["ratio_2019"],
                                         "WEIGHTS": 1, "METHOD": 1, "OUTPUT": "memory:"})
    want = ranking.rank_candidates(cities, {"area_km2": "benefit", "ratio_2019": "cost"}, weights="equal",
                                   method="weighted_sum")
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.frame.adcode]
    np.testing.assert_allclose(got.score.astype(float), want.frame.score, rtol=1e-9)
    with pytest.raises(QgsProcessingException, match="expected a numeric field"):
        run_alg("rank_candidates", {"INPUT": path, "BENEFIT": ["name_zh"], "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="at least one benefit or cost"):
        run_alg("rank_candidates", {"INPUT": path, "OUTPUT": "memory:"})


def test_build_candidates_matches_library(run_alg, tmp_path):
    """Cities of the 2016 plan with the bundled DEM mean and the distance to the G60 centrelines (given in EPSG:4549)."""
    from qgis.core import QgsVectorLayer

    from yrdgeo import corridors

    lines = corridors.centrelines(corridors.load_corridor("g60"))
    path = tmp_path / "g60_lines.gpkg"
    write_layers({"lines": lines.to_crs(4549)}, path)
    ratio = QgsVectorLayer(f"file://{data_path('reference', 'resident_registered_ratio.csv')}?type=csv&detectTypes=yes",
                           "ratio", "delimitedtext")
    res, feedback = run_alg("build_candidates", {"GROUP": "yrd_city_cluster_2016", "TABLE": ratio,
                                                 "TABLE_FIELDS": ["ratio_2011", "ratio_2019"], "DEM": True,
                                                 "RASTER_STATS": [1, 3], "LINES": str(path), "OUTPUT": "memory:"})
    ratios = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    want = ranking.build_candidates(group="yrd_city_cluster_2016", table=ratios.drop(columns="name_zh"), raster="dem",
                                    raster_stats=["mean", "max"], lines=lines, reproject=True)
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.adcode]
    assert len(got) == 26
    for col in ("dem_mean", "dem_max", "line_distance_km", "ratio_2019"):
        np.testing.assert_allclose(got[col].astype(float), want[col], rtol=1e-6, err_msg=col)


def test_travel_time_ranking_matches_library(run_alg, candidates):
    """Rail only (UNDATED=drop) as of 2005-01-01: unreachable cities (e.g. Huaibei 340600) are excluded
    with the library's reason, never scored with a time of 0."""
    from qgis.core import QgsProcessingException

    cities, path = candidates
    res, _ = run_alg("rank_candidates", {
        "INPUT": path, "BENEFIT": ["area_km2"], "COST": ["ratio_2019"], "FLY_OUT": "上海",
        "TRAVEL_TIME_DATE": "2005-01-01", "UNDATED": 1, "OUTPUT": "memory:"})
    crits = [ranking.Criterion("area_km2", "benefit"), ranking.Criterion("ratio_2019", "cost"),
             ranking.Criterion("distance_km", "cost"), ranking.Criterion("travel_min", "cost")]
    want = ranking.pairing_matrix(["上海"], cities, crits, travel_time_as_of="2005-01-01",
                                  undated="drop").results["310100"]
    got = _table(res["OUTPUT"]).set_index("adcode").loc[want.frame.adcode]
    wanted = want.frame.set_index("adcode")
    np.testing.assert_allclose(got.score.astype(float), wanted.score, rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(got.travel_min.astype(float), wanted.travel_min, rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(got.contrib_travel_min.astype(float), wanted.contrib_travel_min, rtol=1e-9,
                               equal_nan=True)
    assert got.exclusion_reason.fillna("").tolist() == wanted.exclusion_reason.fillna("").tolist()
    assert got.loc["340600", "exclusion_reason"].startswith("travel_min unreachable")
    assert pd.isna(got.loc["340600", "score"]) and pd.isna(got.loc["340600", "travel_min"])
    assert got.loc["320500", "travel_min"] > 0 and not got.loc["320500", "excluded"]  # Suzhou: on the 2005 rail
    # keeping the undated road proxy reaches Huaibei: the UNDATED choice reaches the library
    res_keep, _ = run_alg("rank_candidates", {
        "INPUT": path, "BENEFIT": ["area_km2"], "COST": ["ratio_2019"], "FLY_OUT": "上海",
        "TRAVEL_TIME_DATE": "2005-01-01", "UNDATED": 0, "OUTPUT": "memory:"})
    keep = _table(res_keep["OUTPUT"]).set_index("adcode")
    assert keep.loc["340600", "travel_min"] > 0 and not keep.loc["340600", "excluded"]
    # the access leg's speed and nodes are parameters here too, and reach the library
    res_fast, feedback = run_alg("rank_candidates", {
        "INPUT": path, "BENEFIT": ["area_km2"], "COST": ["ratio_2019"], "FLY_OUT": "上海",
        "TRAVEL_TIME_DATE": "2005-01-01", "UNDATED": 0, "ACCESS_SPEED_KMH": 60, "ACCESS_NODES": 2,
        "OUTPUT": "memory:"})
    fast = ranking.pairing_matrix(["上海"], cities, crits, travel_time_as_of="2005-01-01", undated="keep",
                                  access_speed_kmh=60, k_nearest=2).results["310100"].frame.set_index("adcode")
    got_fast = _table(res_fast["OUTPUT"]).set_index("adcode").loc[fast.index]
    np.testing.assert_allclose(got_fast.travel_min.astype(float), fast.travel_min, rtol=1e-9, equal_nan=True)
    assert (got_fast.travel_min.astype(float) <= keep.loc[fast.index, "travel_min"].astype(float) + 1e-9).all()
    assert any("ACCESS_SPEED_KMH = 60" in line for line in feedback.infos)
    with pytest.raises(QgsProcessingException, match="travel-time date needs a fly-out unit"):
        run_alg("rank_candidates", {"INPUT": path, "BENEFIT": ["area_km2"], "TRAVEL_TIME_DATE": "2005-01-01",
                                    "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="Parameter TRAVEL_TIME_DATE: “2005-13-01” is not a date"):
        run_alg("rank_candidates", {"INPUT": path, "BENEFIT": ["area_km2"], "FLY_OUT": "上海",
                                    "TRAVEL_TIME_DATE": "2005-13-01", "OUTPUT": "memory:"})
