"""Algorithms run in real QGIS on real layers and give the library's numbers; bad input fails cleanly."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

import yrdgeo


def _read(path):
    return gpd.read_file(path)


def _same_units(got: gpd.GeoDataFrame, want: gpd.GeoDataFrame):
    assert list(got.adcode) == list(want.adcode)
    for col in ("name_zh", "short_zh", "pinyin", "level", "province_adcode"):
        assert list(got[col]) == list(want[col]), col
    np.testing.assert_allclose(got.anchor_lon, want.anchor_lon, rtol=0, atol=1e-12)
    assert got.crs.to_epsg() == 4326
    # geometries identical to the library's, vertex for vertex (QGIS writes them as multipolygons)
    same = got.geometry.reset_index(drop=True).normalize().geom_equals_exact(
        gpd.GeoSeries(want.geometry.values, crs=want.crs).normalize(), tolerance=1e-12)
    assert same.all()


def test_load_units_matches_library(run_alg, tmp_path):
    out = tmp_path / "js.gpkg"
    results, feedback = run_alg("load_units", {"LEVEL": 1, "PROVINCE": "江苏, Zhejiang", "OUTPUT": str(out)})
    got = _read(results["OUTPUT"])
    want = yrdgeo.load_units("city", province=["江苏", "Zhejiang"])
    assert len(got) == 24  # 13 Jiangsu + 11 Zhejiang cities
    _same_units(got, want)
    assert any("24 units" in line for line in feedback.infos)


def test_load_units_group_as_of_matches_library(run_alg, tmp_path):
    results, _ = run_alg("load_units", {"GROUP": "g60", "AS_OF": "2019-06-01", "OUTPUT": str(tmp_path / "g60.gpkg")})
    got = _read(results["OUTPUT"])
    want = yrdgeo.group_members("g60", as_of="2019-06-01")
    assert len(got) == 9 and "310117" in set(got.adcode)  # Songjiang district is the hub
    _same_units(got, want)
    assert set(got.group_id) == {"g60_v3"}


def test_load_units_group_at_county_level_matches_library(run_alg, tmp_path):
    params = {"GROUP": "g60", "AS_OF": "2019-06-01", "GROUP_LEVEL": 3, "OUTPUT": str(tmp_path / "g60_counties.gpkg")}
    got = _read(run_alg("load_units", params)[0]["OUTPUT"])
    want = yrdgeo.group_members("g60", as_of="2019-06-01", level="county")
    _same_units(got, want)
    assert list(got.membership) == list(want.membership)
    assert "310117" in set(got.adcode) and "310101" not in set(got.adcode)


def test_load_units_county_level_memory_output(run_alg):
    results, _ = run_alg("load_units", {"LEVEL": 2, "PROVINCE": "310000", "OUTPUT": "memory:"})
    layer = results["OUTPUT"]
    assert layer.featureCount() == 16  # Shanghai's 16 districts
    assert layer.crs().authid() == "EPSG:4326"


@pytest.mark.parametrize("epsg", [3857, 4549])
def test_projected_input_gives_same_areas_as_wgs84(run_alg, layer_files, epsg):
    ref, _ = run_alg("unit_areas", {"INPUT": layer_files[("zj_counties", 4326)], "OUTPUT": "memory:"})
    res, feedback = run_alg("unit_areas", {"INPUT": layer_files[("zj_counties", epsg)], "OUTPUT": "memory:"})
    a = {f["adcode"]: f["area_km2"] for f in ref["OUTPUT"].getFeatures()}
    b = {f["adcode"]: f["area_km2"] for f in res["OUTPUT"].getFeatures()}
    assert a.keys() == b.keys() and len(a) == 90
    np.testing.assert_allclose([b[k] for k in a], [a[k] for k in a], rtol=1e-6)
    assert any(f"EPSG:{epsg}" in line and "EPSG:4326" in line for line in feedback.infos)
    # and the library on the same (4326) input agrees
    lib = yrdgeo.with_area(yrdgeo.load_units("county", province="浙江"))
    np.testing.assert_allclose([a[k] for k in lib.adcode], lib.area_km2, rtol=1e-9)


def test_memory_layer_input_is_not_modified(run_alg):
    from qgis.core import QgsVectorLayer

    from yrdgeo_qgis.convert import frame_to_features

    frame = yrdgeo.load_units("city", province="安徽")
    fields, wkb_type, crs, feats = frame_to_features(frame)
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid()}", "anhui", "memory")
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    layer.dataProvider().addFeatures(feats)
    before = ([f.attributes() for f in layer.getFeatures()], layer.fields().names())
    results, _ = run_alg("unit_areas", {"INPUT": layer, "METHOD": 1, "COLUMN": "mianji", "OUTPUT": "memory:"})
    after = ([f.attributes() for f in layer.getFeatures()], layer.fields().names())
    assert before == after and "mianji" not in after[1]
    out = {f["adcode"]: f["mianji"] for f in results["OUTPUT"].getFeatures()}
    want = yrdgeo.with_area(frame, column="mianji", method="geodesic")
    np.testing.assert_allclose([out[a] for a in want.adcode], want.mianji, rtol=1e-9)


# --- bad input -------------------------------------------------------------

def _raises(run_alg, alg, params, match):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match=match):
        run_alg(alg, params)


def test_empty_layer_is_refused(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    empty = QgsVectorLayer("MultiPolygon?crs=EPSG:4326&field=adcode:string&field=value:double", "empty", "memory")
    out = tmp_path / "areas.gpkg"
    _raises(run_alg, "unit_areas", {"INPUT": empty, "OUTPUT": str(out)}, "“Polygon layer” has no features")
    assert not out.exists()
    pdf = tmp_path / "map.pdf"
    _raises(run_alg, "export_plan_map", {"INPUT": empty, "OUTPUT": str(pdf)}, "“empty” has no features")
    assert not pdf.exists()


def test_non_numeric_field_is_refused(run_alg, layer_files, tmp_path):
    pdf = tmp_path / "map.pdf"
    _raises(run_alg, "export_plan_map", {"INPUT": layer_files[("js_cities", 4326)], "FIELD": "name_zh",
                                         "OUTPUT": str(pdf)}, "expected a numeric field")
    assert not pdf.exists()


def test_missing_field_is_refused(run_alg, layer_files, tmp_path):
    pdf = tmp_path / "map.pdf"
    _raises(run_alg, "export_plan_map", {"INPUT": layer_files[("js_cities", 4326)], "FIELD": "population",
                                         "OUTPUT": str(pdf)}, "“population” does not exist.*adcode")
    assert not pdf.exists()


@pytest.mark.parametrize("province, match", [
    ("Atlantis", "unknown YRD unit name 'Atlantis'"),
    ("Suzhou", "ambiguous.*苏州市.*宿州市"),
    ("河南", "outside the YRD"),
])
def test_unknown_or_ambiguous_unit_is_refused(run_alg, tmp_path, province, match):
    out = tmp_path / "units.gpkg"
    _raises(run_alg, "load_units", {"LEVEL": 1, "PROVINCE": province, "OUTPUT": str(out)}, match)
    assert not out.exists()


def test_unknown_group_and_bad_date_are_refused(run_alg, tmp_path):
    out = tmp_path / "units.gpkg"
    _raises(run_alg, "load_units", {"GROUP": "g61", "OUTPUT": str(out)}, "unknown region group 'g61'")
    _raises(run_alg, "load_units", {"GROUP": "g60", "AS_OF": "2015-01-01", "OUTPUT": str(out)}, "no members on 2015")
    _raises(run_alg, "load_units", {"AS_OF": "2019", "OUTPUT": str(out)}, "applies only to a region group")
    assert not out.exists()


def test_cancelled_run_writes_nothing(run_alg, layer_files, tmp_path, make_feedback):
    feedback = make_feedback()
    feedback.progressChanged.connect(lambda p: feedback.cancel() if p > 5 else None)
    out = tmp_path / "areas.gpkg"
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="cancelled; no output was written"):
        run_alg("unit_areas", {"INPUT": layer_files[("zj_counties", 3857)], "OUTPUT": str(out)}, feedback=feedback)
    assert not out.exists()


def test_missing_package_stops_with_translated_install_advice(qgis_plugin, tmp_path, make_feedback):
    """A package QGIS's Python lacks: the run stops before any output, naming it and how to install."""
    from qgis.core import QgsProcessingContext, QgsProcessingException

    from yrdgeo_qgis.algorithms.load_units import LoadUnits
    from yrdgeo_qgis.i18n import install_translator

    class NeedsMissingPackage(LoadUnits):
        REQUIRES = ("geopandas", "yrdgeo_no_such_package")

    alg = NeedsMissingPackage()
    alg.initAlgorithm()
    out = tmp_path / "units.gpkg"
    params = {"LEVEL": 1, "OUTPUT": str(out)}
    with pytest.raises(QgsProcessingException, match=r"yrdgeo_no_such_package.*numpy<2.*requirements\.txt"):
        alg.processAlgorithm(params, QgsProcessingContext(), make_feedback())
    try:
        install_translator("zh_CN")
        with pytest.raises(QgsProcessingException, match="此算法需要 Python 包 yrdgeo_no_such_package"):
            alg.processAlgorithm(params, QgsProcessingContext(), make_feedback())
    finally:
        install_translator("en")
    assert not out.exists()
