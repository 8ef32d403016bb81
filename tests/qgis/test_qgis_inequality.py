"""The coupling-coordination and regional-inequality algorithms in QGIS give the library's numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import coordination, inequality

RATIO = Path(yrdgeo.__file__).parent / "data" / "reference" / "resident_registered_ratio.csv"


def _features(layer):
    from yrdgeo_qgis.convert import python_value  # NULL → None

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()])


def _layer(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"file://{path}?type=csv&detectTypes=yes", "table", "delimitedtext")
    assert layer.isValid()
    return layer


def test_inequality_matches_library(run_alg):
    res, feedback = run_alg("regional_inequality", {
        "TABLE": _layer(RATIO), "FIELDS": ["ratio_2011", "ratio_2019"], "KEY": "adcode",
        "OUTPUT": "memory:", "GROUPS": "memory:"})
    want = inequality.regional_inequality(RATIO, ["ratio_2011", "ratio_2019"])
    got = _features(res["OUTPUT"])
    cols = list(inequality.MEASURES)
    np.testing.assert_allclose(got[cols].to_numpy(float), want.frame[cols].to_numpy(float), rtol=1e-12)
    assert got["year"].astype(int).tolist() == [2011, 2019]
    groups = _features(res["GROUPS"])
    assert len(groups) == 8 and set(groups["group_name"]) == {"上海市", "江苏省", "浙江省", "安徽省"}
    assert any("Theil T" in line for line in feedback.infos)


def test_inequality_without_groups_and_bad_values(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    res, _ = run_alg("regional_inequality", {
        "TABLE": _layer(RATIO), "FIELDS": ["ratio_2019"], "KEY": "adcode", "BY": 0, "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"])
    assert got["T_between"].isna().all() or (got["T_between"] == None).all()  # noqa: E711 - NULL in QGIS
    path = tmp_path / "bad.csv"
    pd.DataFrame({"城市": ["上海市", "杭州市", "南京市"], "v": [1.0, 0.0, 2.0]}).to_csv(path, index=False)
    with pytest.raises(QgsProcessingException, match="杭州"):
        run_alg("regional_inequality", {"TABLE": _layer(path), "FIELDS": ["v"], "OUTPUT": "memory:",
                                        "GROUPS": "memory:"})


def test_coordination_matches_library(run_alg, tmp_path):
    table = pd.DataFrame({"城市": ["上海市", "南京市", "杭州市", "合肥市"], "gdp": [4.0, 1.6, 1.8, 1.2],
                          "jobs": [10.0, 5.0, 6.0, 4.0], "pm25": [30.0, 40.0, 35.0, 45.0]})
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    res, feedback = run_alg("coupling_coordination", {
        "TABLE": _layer(path), "SYSTEM_1": ["gdp", "jobs"], "SYSTEM_2": ["pm25"], "COST": ["pm25"],
        "NAMES": "economy,environment", "WEIGHTS": "0.4,0.6", "OUTPUT": "memory:"})
    want = coordination.coupling_coordination(
        table, {"economy": ["gdp", "jobs"], "environment": {"pm25": "cost"}}, weights=[0.4, 0.6]).frame
    got = _features(res["OUTPUT"])
    np.testing.assert_allclose(got[["U_economy", "U_environment", "C", "T", "D"]].to_numpy(float),
                               want[["U_economy", "U_environment", "C", "T", "D"]].to_numpy(float), rtol=1e-12)
    assert got["grade"].tolist() == want["grade"].tolist()
    assert res["OUTPUT"].geometryType() == 2  # polygons, for a choropleth of D
    assert any("Coupling coordination" in line for line in feedback.infos)


def test_coordination_given_indices_and_refusals(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "u.csv"
    pd.DataFrame({"城市": ["上海市", "南京市"], "U1": [0.8, 0.5], "U2": [0.6, 1.2],
                  "U3": [0.3, 0.3]}).to_csv(path, index=False)
    with pytest.raises(QgsProcessingException, match=r"\[0, 1\]"):
        run_alg("coupling_coordination", {"TABLE": _layer(path), "SYSTEM_1": ["U1"], "SYSTEM_2": ["U2"],
                                          "ENTROPY": False, "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="sum to 1"):  # the library's words
        run_alg("coupling_coordination", {"TABLE": _layer(path), "SYSTEM_1": ["U1"], "SYSTEM_2": ["U3"],
                                          "ENTROPY": False, "WEIGHTS": "0.5,0.6", "OUTPUT": "memory:"})
    res, _ = run_alg("coupling_coordination", {"TABLE": _layer(path), "SYSTEM_1": ["U1"], "SYSTEM_2": ["U3"],
                                               "ENTROPY": False, "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"])
    # U1 = 0.8, U3 = 0.3: D = (0.8·0.3)^¼ with α = β = ½
    assert got["D"].astype(float).tolist()[0] == pytest.approx(0.24 ** 0.25, rel=1e-12)
    assert got["grade"].tolist()[0] == coordination.grade(0.24 ** 0.25).name_zh
