"""Corridor and enclave algorithms in QGIS give the library's layers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdgeo import corridors


def _table(layer):
    from yrdgeo_qgis.convert import python_value  # NULL → None

    names = layer.fields().names()
    return pd.DataFrame([dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()])


def test_g60_corridor_matches_library(run_alg, tmp_path):
    out = {k: str(tmp_path / f"{k.lower()}.gpkg") for k in ("MEMBERS", "CENTRELINES", "BANDS", "WINGS", "UNITS")}
    res, feedback = run_alg("corridor", {"CORRIDOR": "g60", "WIDTH_KM": 30, "UNITS_LEVEL": 0,
                                         "SUMMARY": "memory:", **out})
    want = corridors.analyze_corridor(corridors.load_corridor("g60"), 30, units="county")
    import geopandas as gpd

    members = gpd.read_file(res["MEMBERS"])
    assert list(members.adcode) == list(want.members.adcode) and len(members) == 9
    lines = gpd.read_file(res["CENTRELINES"])
    assert list(lines.wing) == ["south", "north"]
    np.testing.assert_allclose(lines.length_km, want.centrelines.length_km, rtol=1e-12)
    bands = gpd.read_file(res["BANDS"])
    np.testing.assert_allclose(bands.area_km2, want.bands.area_km2, rtol=1e-12)
    units = gpd.read_file(res["UNITS"])
    assert sorted(units.adcode) == sorted(want.units.adcode)
    np.testing.assert_allclose(units.set_index("adcode").share_in_band.loc[want.units.adcode],
                               want.units.share_in_band, rtol=1e-9)
    summary = _table(res["SUMMARY"])
    assert list(summary.wing) == list(want.summary.wing)
    np.testing.assert_allclose(summary.band_area_km2.astype(float), want.summary.band_area_km2, rtol=1e-12)
    assert any("G60" in line for line in feedback.infos)


def test_corridor_version_and_user_file(run_alg, tmp_path):
    res, _ = run_alg("corridor", {"CORRIDOR": "g60", "VERSION": "2.0", "WIDTH_KM": 10, "UNITS_LEVEL": 2,
                                  "MEMBERS": "memory:", "CENTRELINES": "memory:", "BANDS": "memory:",
                                  "WINGS": "memory:", "SUMMARY": "memory:"})
    assert res["MEMBERS"].featureCount() == 3  # Songjiang, Jiaxing, Hangzhou
    csv = tmp_path / "mine.csv"
    csv.write_text("wing,order,unit_zh\nhub,0,南京\nwest,1,马鞍山\nwest,2,芜湖\n", encoding="utf-8")
    res, _ = run_alg("corridor", {"CORRIDOR_FILE": str(csv), "WIDTH_KM": 20, "UNITS_LEVEL": 1,
                                  "MEMBERS": "memory:", "CENTRELINES": "memory:", "BANDS": "memory:",
                                  "WINGS": "memory:", "UNITS": "memory:", "SUMMARY": "memory:"})
    want = corridors.analyze_corridor(corridors.read_corridor(str(csv)), 20, units="city")
    assert sorted(f["adcode"] for f in res["UNITS"].getFeatures()) == sorted(want.units.adcode)


def test_unknown_corridor_is_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    out = tmp_path / "m.gpkg"
    with pytest.raises(QgsProcessingException, match="g61"):
        run_alg("corridor", {"CORRIDOR": "g61", "MEMBERS": str(out), "CENTRELINES": "memory:", "BANDS": "memory:",
                             "WINGS": "memory:", "SUMMARY": "memory:"})
    assert not out.exists()


def test_enclave_pairs_match_library_with_user_pairs_and_gradients(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    from yrdgeo import enclaves

    csv = tmp_path / "pairs.csv"
    csv.write_text("fly_out,fly_in,kind\n苏州,宿迁,forward\n上海,盐城,forward\n", encoding="utf-8")
    # the user's attribute table: the resident/registered ratios of 吴福象、张雯《长三角区域产城人融合发展路径研究》
    # (a real table, joined by adcode)
    from yrdgeo.units import data_path

    ratio = QgsVectorLayer(f"file://{data_path('reference', 'resident_registered_ratio.csv')}?type=csv&detectTypes=yes",
                           "ratio", "delimitedtext")
    assert ratio.isValid() and ratio.featureCount() == 41
    res, feedback = run_alg("enclave_pairs", {"PAIRS_FILE": str(csv), "ATTRIBUTES": ratio,
                                              "COLUMNS": ["ratio_2019"], "ENDS": "memory:", "LINES": "memory:",
                                              "NODES": "memory:"})
    pairs = enclaves.enclave_pairs(str(csv))
    attrs = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    want = enclaves.analyze_enclaves(pairs, attributes=attrs, columns=["ratio_2019"]).layers()
    lines = _table(res["LINES"]).set_index("pair_id").loc[want["enclave_desire_lines"].pair_id]
    np.testing.assert_allclose(lines.distance_km.astype(float), want["enclave_desire_lines"].distance_km, rtol=1e-12)
    np.testing.assert_allclose(lines.ratio_2019_diff.astype(float),
                               want["enclave_desire_lines"].ratio_2019_diff, rtol=1e-12)
    assert res["ENDS"].featureCount() == len(want["enclave_ends"])
    assert res["NODES"].featureCount() == len(want["enclave_nodes"])
    assert len(want["enclave_desire_lines"]) == 20  # 18 bundled pairs (the 苏、浙、皖 border zone adds 2) + the user's 2


def test_bad_pairs_file_is_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    csv = tmp_path / "pairs.csv"
    csv.write_text("fly_out,fly_in,kind\nSuzhou,宿迁,forward\n", encoding="utf-8")
    out = tmp_path / "ends.gpkg"
    with pytest.raises(QgsProcessingException, match="ambiguous"):
        run_alg("enclave_pairs", {"PAIRS_FILE": str(csv), "ENDS": str(out), "LINES": "memory:", "NODES": "memory:"})
    assert not out.exists()


def test_corridor_with_own_units_in_projected_crs(run_alg, tmp_path):
    """Units given as a layer in EPSG:4549 give the same band shares as the library on EPSG:4326 units."""
    import yrdgeo
    from yrdgeo.io import write_layers

    counties = yrdgeo.load_units("county", province=["上海", "浙江"])
    path = tmp_path / "counties_4549.gpkg"
    write_layers({"counties": counties.to_crs(4549)}, path)
    res, feedback = run_alg("corridor", {"CORRIDOR": "hu_hang_yong", "WIDTH_KM": 25, "UNITS_LAYER": str(path),
                                         "MEMBERS": "memory:", "CENTRELINES": "memory:", "BANDS": "memory:",
                                         "WINGS": "memory:", "UNITS": "memory:", "SUMMARY": "memory:"})
    want = corridors.analyze_corridor(corridors.load_corridor("hu_hang_yong"), 25, units=counties).units
    got = _table(res["UNITS"]).set_index("adcode").loc[want.adcode]
    np.testing.assert_allclose(got.share_in_band.astype(float), want.share_in_band, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(got.area_in_band_km2.astype(float), want.area_in_band_km2, rtol=1e-6)
    assert any("EPSG:4549" in line for line in feedback.infos)
