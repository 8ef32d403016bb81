"""Spatial autocorrelation in QGIS equals the library's on the same real layer (resident/registered ratio 2019)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yrdgeo
from yrdgeo import autocorrelation, weights
from yrdgeo.io import write_layers
from yrdgeo.units import data_path

pytestmark = pytest.mark.slow  # permutation statistics in QGIS and in the library


@pytest.fixture(scope="module")
def ratio_layers(tmp_path_factory, qgis_plugin):
    """Cities with the resident/registered population ratios of 吴福象、张雯《长三角区域产城人融合发展路径研究》, in EPSG:4326 and EPSG:3857."""
    ratios = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    cities = yrdgeo.load_units("city").merge(ratios[["adcode", "ratio_2011", "ratio_2019"]], on="adcode")
    root = tmp_path_factory.mktemp("ratio")
    paths = {}
    for epsg in (4326, 3857):
        paths[epsg] = str(root / f"ratio_{epsg}.gpkg")
        write_layers({"ratio": cities.to_crs(epsg)}, paths[epsg])
    return cities, paths


def _features(layer):
    from yrdgeo_qgis.convert import python_value  # NULL → None

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()])


@pytest.mark.parametrize("epsg", [4326, 3857])
def test_lisa_matches_library_in_any_crs(run_alg, ratio_layers, epsg):
    cities, paths = ratio_layers
    res, feedback = run_alg("spatial_autocorrelation", {
        "INPUT": paths[epsg], "FIELD": "ratio_2019", "PERMUTATIONS": 199, "SEED": 7, "CORRECTION": 2,
        "OUTPUT": "memory:"})
    sw = weights.build_weights(cities, "queen")
    want_g = autocorrelation.moran(cities, "ratio_2019", weights=sw, permutations=199, seed=7)
    want_l = autocorrelation.local_moran(cities, "ratio_2019", weights=sw, permutations=199, seed=7, correction="fdr")
    assert res["MORAN_I"] == pytest.approx(want_g.value, rel=1e-12)
    assert res["MORAN_P_SIM"] == pytest.approx(want_g.p_sim)
    assert res["N_USED"] == 41
    got = _features(res["OUTPUT"]).set_index("adcode").loc[want_l.frame.adcode]
    assert list(got.lisa_cluster) == list(want_l.frame.lisa_cluster)
    np.testing.assert_allclose(got.lisa_i.astype(float), want_l.frame.lisa_i, rtol=1e-10)
    np.testing.assert_allclose(got.lisa_p.astype(float), want_l.frame.lisa_p)
    assert any("Moran's I" in line for line in feedback.infos)


def test_island_policy_is_required_at_county_level(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    counties = yrdgeo.load_units("county", province="浙江")
    path = tmp_path / "zj.gpkg"
    write_layers({"zj": counties}, path)
    out = tmp_path / "lisa.gpkg"
    with pytest.raises(QgsProcessingException, match="岱山"):  # Daishan has no contiguity neighbour
        run_alg("spatial_autocorrelation", {"INPUT": str(path), "FIELD": "anchor_lat", "OUTPUT": str(out)})
    assert not out.exists()
    res, feedback = run_alg("spatial_autocorrelation", {
        "INPUT": str(path), "FIELD": "anchor_lat", "ISLANDS": 1, "PERMUTATIONS": 99, "OUTPUT": str(out)})
    assert out.exists() and any("policy: nearest" in line for line in feedback.infos)
    want = autocorrelation.moran(counties, "anchor_lat", weights=weights.build_weights(counties, "queen",
                                 islands="nearest"), permutations=0)
    assert res["MORAN_I"] == pytest.approx(want.value, rel=1e-12)


def test_lisa_output_gets_the_lisa_style_when_loaded(qgis_plugin, ratio_layers):
    import processing
    from qgis.core import QgsProject

    _, paths = ratio_layers
    res = processing.runAndLoadResults("yrdgeo:spatial_autocorrelation", {
        "INPUT": paths[4326], "FIELD": "ratio_2019", "PERMUTATIONS": 99, "OUTPUT": "memory:"})
    layer = QgsProject.instance().mapLayer(res["OUTPUT"])
    try:
        renderer = layer.renderer()
        assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "lisa_cluster"
        colours = {c.value(): c.symbol().color().name() for c in renderer.categories()}
        assert colours["HH"] == "#d7191c" and colours["LL"] == "#2c7bb6"
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_hot_spots_match_library(run_alg, ratio_layers):
    cities, paths = ratio_layers
    res, _ = run_alg("hot_spots", {"INPUT": paths[3857], "FIELD": "ratio_2019", "PERMUTATIONS": 99, "SEED": 3,
                                   "OUTPUT": "memory:"})
    want = autocorrelation.gi_star(cities, "ratio_2019", weights=weights.build_weights(cities, "queen"),
                                   permutations=99, seed=3).frame
    got = _features(res["OUTPUT"]).set_index("adcode").loc[want.adcode]
    assert list(got.gi_spot) == list(want.gi_spot)
    np.testing.assert_allclose(got.gi_z.astype(float), want.gi_z, rtol=1e-10)


def test_autocorrelation_change_matches_library(run_alg, ratio_layers):
    cities, paths = ratio_layers
    res, feedback = run_alg("autocorrelation_change", {
        "INPUT": paths[4326], "BEFORE": "ratio_2011", "AFTER": "ratio_2019", "PERMUTATIONS": 99, "SEED": 5,
        "OUTPUT": "memory:", "TRANSITIONS": "memory:"})
    want = autocorrelation.moran_change(cities, "ratio_2011", "ratio_2019",
                                        weights=weights.build_weights(cities, "queen"), permutations=99, seed=5)
    assert res["MORAN_BEFORE"] == pytest.approx(want.moran_before.value, rel=1e-12)
    assert res["MORAN_AFTER"] == pytest.approx(want.moran_after.value, rel=1e-12)
    assert res["MORAN_SPACE_TIME"] == pytest.approx(want.bivariate.value, rel=1e-12)
    got = _features(res["OUTPUT"]).set_index("adcode").loc[want.frame.adcode]
    assert list(got.lisa_change_cluster) == list(want.frame.lisa_change_cluster)
    trans = _features(res["TRANSITIONS"]).set_index("ratio_2011")
    assert int(trans.loc["HH", "HH"]) == int(want.transitions.loc["HH", "HH"])
    assert int(trans.to_numpy(dtype=float).sum()) == 41
