"""The indicator algorithms (entropy index, structure similarity, Krugman, LQ, rings) give the library's numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import indicators

ALGORITHMS = ("entropy_index", "structure_similarity", "krugman_index", "location_quotients", "core_periphery_rings")
# A small sector table by adcode: 上海, 南京, 杭州, 合肥, 苏州 (values made up; no total column).
SECTORS = pd.DataFrame({
    "adcode": ["310100", "320100", "330100", "340100", "320500"],
    "primary": [1.0, 2.0, 3.0, 4.0, 1.5], "secondary": [26.0, 40.0, 30.0, 45.0, 48.0],
    "tertiary": [73.0, 58.0, 67.0, 51.0, 50.5]})


def _features(layer):
    from yrdgeo_qgis.convert import python_value  # NULL → None

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()])


def _csv_layer(frame, path):
    """A delimited-text table (no geometry), adcodes read as text."""
    from qgis.core import QgsVectorLayer

    frame.to_csv(path, index=False)
    layer = QgsVectorLayer(f"file://{path}?type=csv&detectTypes=yes", "table", "delimitedtext")
    assert layer.isValid()
    return layer


def _polygon_layer(frame):
    """A memory polygon layer of the bundled units of ``frame``'s adcodes carrying its fields."""
    from yrdgeo_qgis.convert import frame_to_features
    from qgis.core import QgsVectorLayer, QgsWkbTypes

    units = yrdgeo.select_units(list(frame["adcode"]))[["adcode", "geometry"]].merge(frame, on="adcode")
    fields, wkb, crs, features = frame_to_features(units)
    layer = QgsVectorLayer(f"{QgsWkbTypes.displayString(wkb)}?crs={crs.authid()}", "units", "memory")
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    layer.dataProvider().addFeatures(features)
    return layer


def _matrix(got):
    codes = [str(c) for c in got["adcode"]]
    return got.set_index(got["adcode"].astype(str))[codes].to_numpy(float)


def test_algorithms_are_in_the_provider(qgis_plugin):
    ids = {alg.name() for alg in qgis_plugin.provider.algorithms()}
    assert set(ALGORITHMS) <= ids


def test_entropy_index_matches_library(run_alg, tmp_path):
    res, feedback = run_alg("entropy_index", {
        "TABLE": _csv_layer(SECTORS, tmp_path / "t.csv"), "CRITERIA": ["secondary", "tertiary", "primary"],
        "COST": ["primary"], "KEY": "adcode", "OUTPUT": "memory:", "WEIGHTS": "memory:"})
    want = indicators.entropy_index(SECTORS, {"secondary": "benefit", "tertiary": "benefit", "primary": "cost"})
    got = _features(res["OUTPUT"])
    assert got["adcode"].astype(str).tolist() == SECTORS["adcode"].tolist()
    np.testing.assert_allclose(got["entropy_index"].to_numpy(float), want.frame["entropy_index"], rtol=1e-12)
    weights = _features(res["WEIGHTS"]).set_index("criterion")
    np.testing.assert_allclose(weights.loc[list(want.weights.index), "weight"].to_numpy(float), want.weights,
                               rtol=1e-12)
    assert res["OUTPUT"].wkbType() == 100  # a table in, a table out (QgsWkbTypes.NoGeometry)
    assert got["name_zh"].tolist()[0] == "上海市"
    assert any("Entropy weights" in line for line in feedback.infos)


def test_entropy_index_panel_and_layer(run_alg, tmp_path):
    panel = pd.concat([SECTORS.assign(year=2015), SECTORS.assign(year=2020, tertiary=SECTORS.tertiary + 5)])
    res, _ = run_alg("entropy_index", {
        "TABLE": _csv_layer(panel, tmp_path / "p.csv"), "CRITERIA": ["secondary", "tertiary"], "YEAR": "year",
        "KEY": "adcode", "OUTPUT": "memory:", "WEIGHTS": "memory:"})
    want = indicators.entropy_index(panel, ["secondary", "tertiary"], year="year", key="adcode")
    got = _features(res["OUTPUT"])
    np.testing.assert_allclose(got["entropy_index"].to_numpy(float), want.frame["entropy_index"], rtol=1e-12)
    # a layer in: the units' polygons out
    res, _ = run_alg("entropy_index", {"TABLE": _polygon_layer(SECTORS), "CRITERIA": ["secondary", "tertiary"],
                                       "OUTPUT": "memory:", "WEIGHTS": "memory:"})
    assert res["OUTPUT"].geometryType() == 2 and res["OUTPUT"].featureCount() == 5


def test_entropy_index_refusals_name_parameters(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    layer = _csv_layer(SECTORS.assign(flat=1.0), tmp_path / "f.csv")
    with pytest.raises(QgsProcessingException, match="CRITERIA"):  # a criterion that never varies
        run_alg("entropy_index", {"TABLE": layer, "CRITERIA": ["flat", "tertiary"], "OUTPUT": "memory:",
                                  "WEIGHTS": "memory:"})
    with pytest.raises(QgsProcessingException, match="COST"):
        run_alg("entropy_index", {"TABLE": layer, "CRITERIA": ["secondary", "tertiary"], "COST": ["primary"],
                                  "OUTPUT": "memory:", "WEIGHTS": "memory:"})


@pytest.mark.parametrize(("alg", "function"), [("structure_similarity", indicators.structure_similarity),
                                               ("krugman_index", indicators.krugman_index)])
def test_matrices_match_library(run_alg, tmp_path, alg, function):
    res, _ = run_alg(alg, {"TABLE": _polygon_layer(SECTORS), "SECTORS": ["primary", "secondary", "tertiary"],
                           "OUTPUT": "memory:", "PAIRS": "memory:"})
    want = function(SECTORS, key="adcode")
    got = _features(res["OUTPUT"])
    assert got["adcode"].astype(str).tolist() == list(want.index)
    np.testing.assert_allclose(_matrix(got), want.to_numpy(), rtol=1e-12)
    assert res["OUTPUT"].geometryType() == 2  # a layer in: polygons out
    pairs = _features(res["PAIRS"])
    assert len(pairs) == 10 and res["PAIRS"].geometryType() == 1  # 5·4/2 seat-to-seat lines
    value = "similarity" if alg == "structure_similarity" else "krugman"
    first = pairs.iloc[0]
    assert float(first[value]) == pytest.approx(want.loc[str(first["a"]), str(first["b"])], rel=1e-12)


@pytest.mark.parametrize("reference", ["region", "rest"])
def test_krugman_against_a_reference(run_alg, tmp_path, reference):
    index = 1 + list(indicators.KRUGMAN_REFERENCES).index(reference)  # option 0: the pairwise matrix
    res, _ = run_alg("krugman_index", {"TABLE": _csv_layer(SECTORS, tmp_path / "k.csv"),
                                       "SECTORS": ["primary", "secondary", "tertiary"], "KEY": "adcode",
                                       "REFERENCE": index, "OUTPUT": "memory:"})
    want = indicators.krugman_regional(SECTORS, key="adcode", reference=reference)
    got = _features(res["OUTPUT"])
    np.testing.assert_allclose(got["krugman"].to_numpy(float), want.to_numpy(), rtol=1e-12)
    assert res["OUTPUT"].wkbType() == 100


def test_location_quotients_match_library(run_alg, tmp_path):
    res, _ = run_alg("location_quotients", {"TABLE": _csv_layer(SECTORS, tmp_path / "lq.csv"),
                                            "SECTORS": ["primary", "secondary", "tertiary"], "OUTPUT": "memory:"})
    want = indicators.location_quotient(SECTORS, key="adcode")
    got = _features(res["OUTPUT"])
    np.testing.assert_allclose(got[list(want.columns)].to_numpy(float), want.to_numpy(), rtol=1e-12)


def test_sector_refusals_name_parameters(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    total = SECTORS.assign(gdp=SECTORS[["primary", "secondary", "tertiary"]].sum(axis=1))
    layer = _csv_layer(total, tmp_path / "total.csv")
    for alg in ("structure_similarity", "krugman_index", "location_quotients"):
        with pytest.raises(QgsProcessingException, match="SECTORS") as info:  # a total taken as a sector
            run_alg(alg, {"TABLE": layer, "SECTORS": ["primary", "secondary", "tertiary", "gdp"],
                          "OUTPUT": "memory:"})
        assert "gdp" in str(info.value)
    with pytest.raises(QgsProcessingException, match="AS_SHARES"):
        run_alg("krugman_index", {"TABLE": layer, "SECTORS": ["primary", "secondary"], "REFERENCE": 1,
                                  "AS_SHARES": True, "OUTPUT": "memory:"})


def test_rings_match_library(run_alg):
    res, feedback = run_alg("core_periphery_rings", {"CENTRE": "上海", "BREAKS": "100,200,300",
                                                     "OUTPUT": "memory:"})
    want = indicators.core_periphery_rings(yrdgeo.load_units("city"), "上海", breaks=[100, 200, 300]).frame
    got = _features(res["OUTPUT"])
    assert got["adcode"].astype(str).tolist() == want["adcode"].tolist()
    np.testing.assert_allclose(got["ring_value"].to_numpy(float), want["ring_value"], rtol=1e-12)
    assert got["ring_label"].tolist() == want["ring_label"].tolist()
    assert got["paper_layer"].tolist() == [None if pd.isna(v) else v for v in want["paper_layer"]]
    shown = dict(zip(got["name_zh"], got["ring_label"]))
    assert shown["上海市"] == "内圈" and shown["嘉兴市"] == "内圈"  # 嘉兴: 内圈 by distance, the paper's 边缘层
    assert dict(zip(got["name_zh"], got["paper_layer"]))["嘉兴市"] == "边缘层"
    assert any("内圈" in line for line in feedback.infos)


def test_rings_by_a_travel_time_field(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    cities = yrdgeo.load_units("city")
    minutes = pd.DataFrame({"adcode": cities["adcode"], "minutes": np.arange(len(cities)) * 7.0})
    layer = _csv_layer(minutes, tmp_path / "m.csv")
    res, _ = run_alg("core_periphery_rings", {"CENTRE": "上海", "BREAKS": "60,120,180", "TABLE": layer,
                                              "BY": "minutes", "KEY": "adcode", "OUTPUT": "memory:"})
    want = indicators.core_periphery_rings(cities.merge(minutes, on="adcode"), "上海", breaks=[60, 120, 180],
                                           by="minutes").frame
    got = _features(res["OUTPUT"])
    assert got["ring_label"].tolist() == want["ring_label"].tolist()
    with pytest.raises(QgsProcessingException, match="LABELS"):  # two labels for three rings
        run_alg("core_periphery_rings", {"CENTRE": "上海", "BREAKS": "100,200,300", "LABELS": "a,b",
                                         "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="BREAKS"):
        run_alg("core_periphery_rings", {"CENTRE": "上海", "BREAKS": "300,200", "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="CENTRE"):
        run_alg("core_periphery_rings", {"CENTRE": "不存在市", "BREAKS": "100", "OUTPUT": "memory:"})


def test_rings_equal_the_command_line(run_alg, tmp_path):
    import geopandas as gpd

    from yrdgeo.cli import main

    out = tmp_path / "rings.gpkg"
    assert main(["rings", "--centre", "南京", "--breaks", "80,160,240", "--level", "county", "--out", str(out)]) == 0
    cli = gpd.read_file(out)
    res, _ = run_alg("core_periphery_rings", {"CENTRE": "南京", "BREAKS": "80,160,240", "LEVEL": 2,
                                              "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"])
    assert got["adcode"].astype(str).tolist() == cli["adcode"].astype(str).tolist()
    np.testing.assert_allclose(got["ring_value"].to_numpy(float), cli["ring_value"], rtol=1e-9)
    assert got["ring_label"].tolist() == cli["ring_label"].tolist()
    assert got["paper_layer"].tolist() == [None if pd.isna(v) else v for v in cli["paper_layer"]]


@pytest.mark.parametrize("measure", ["similarity", "krugman", "lq"])
def test_structure_equals_the_command_line(run_alg, tmp_path, measure):
    from yrdgeo.cli import main

    out = tmp_path / f"{measure}.csv"
    layer = _csv_layer(SECTORS, tmp_path / "s.csv")
    assert main(["structure", "--table", str(tmp_path / "s.csv"), "--measure", measure,
                 "--columns", "primary,secondary,tertiary", "--out", str(out)]) == 0
    cli = pd.read_csv(out, dtype={"adcode": str}).set_index("adcode")
    alg = {"similarity": "structure_similarity", "krugman": "krugman_index", "lq": "location_quotients"}[measure]
    res, _ = run_alg(alg, {"TABLE": layer, "SECTORS": ["primary", "secondary", "tertiary"], "KEY": "adcode",
                           "OUTPUT": "memory:"})
    got = _features(res["OUTPUT"]).set_index("adcode")
    got.index = got.index.astype(str)
    np.testing.assert_allclose(got.loc[cli.index, list(cli.columns)].to_numpy(float), cli.to_numpy(float),
                               rtol=1e-9)
