"""Bad input in QGIS: every failure names its QGIS parameters (in English and Chinese), nothing half-written.

Each case runs a real algorithm with processing.run on layers built here
(memory layers or GeoPackages in tmp_path) and asserts either a
QgsProcessingException naming the parameter with no output file left, or the
correct result with what was done in the log.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

import yrdgeo
from yrdgeo import accessibility, network
from yrdgeo.io import write_layers

PLUGIN = Path(__file__).resolve().parents[2] / "qgis_plugin" / "yrdgeo_qgis"


def _memory_layer(frame, *, crs="EPSG:4326", name="layer"):
    """Return a QGIS memory layer holding ``frame`` (string/double fields, geometry as WKT); None geometries kept."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsVectorLayer

    kinds = set(frame.geometry.dropna().geom_type)
    geom = "MultiPolygon" if kinds <= {"Polygon", "MultiPolygon"} else "MultiLineString"
    cols = [c for c in frame.columns if c != frame.geometry.name]
    spec = "&".join(f"field={c}:{'double' if pd.api.types.is_float_dtype(frame[c]) else 'string'}" for c in cols)
    uri = f"{geom}?{'crs=' + crs + '&' if crs else ''}{spec}"
    layer = QgsVectorLayer(uri, name, "memory")
    assert layer.isValid()
    if not crs:  # QGIS gives a memory layer without crs= its default CRS: take it away again
        layer.setCrs(QgsCoordinateReferenceSystem())
        assert not layer.crs().isValid()
    features = []
    for _, row in frame.iterrows():
        f = QgsFeature(layer.fields())
        f.setAttributes([None if pd.isna(row[c]) else (float(row[c]) if pd.api.types.is_float_dtype(frame[c])
                                                         else str(row[c])) for c in cols])
        g = row[frame.geometry.name]
        if g is not None:
            f.setGeometry(QgsGeometry.fromWkt(g.wkt))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    return layer


def _raises(run_alg, alg, params, *patterns):
    """Run ``alg`` expecting a QgsProcessingException whose message matches every pattern; return the message."""
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as info:
        run_alg(alg, params)
    message = str(info.value)
    for pattern in patterns:
        assert re.search(pattern, message), (pattern, message)
    return message


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _bow_tie(poly):
    """Return a self-intersecting quadrilateral (a bow-tie) over ``poly``'s bounding box."""
    x0, y0, x1, y1 = poly.bounds
    return shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])


# --------------------------------------------------------------------------- invalid and misplaced input layers


def test_bow_tie_polygon_is_repaired_reported_and_measured(run_alg, make_feedback, tmp_path):
    """unit_areas on a self-intersecting Hangzhou: the repaired area (two triangles), not 6.5e-11 km², and a report."""
    cities = yrdgeo.load_units("city", province="浙江")[["adcode", "name_zh", "geometry"]].reset_index(drop=True)
    bad = cities.copy()
    i = int(np.flatnonzero(bad.name_zh == "杭州市")[0])
    bad.loc[i, "geometry"] = _bow_tie(cities.geometry.iloc[i])
    assert not bad.geometry.iloc[i].is_valid
    out = tmp_path / "areas.gpkg"
    feedback = make_feedback()
    run_alg("unit_areas", {"INPUT": _memory_layer(bad), "OUTPUT": str(out)}, feedback=feedback)
    import geopandas as gpd

    got = gpd.read_file(out).set_index("adcode")
    fixed = bad.copy()
    fixed.loc[i, "geometry"] = shapely.make_valid(bad.geometry.iloc[i])
    want = yrdgeo.with_area(fixed).set_index("adcode")
    np.testing.assert_allclose(got.loc[want.index, "area_km2"], want.area_km2, rtol=1e-9)
    assert got.loc["330100", "area_km2"] > 5000  # half of Hangzhou's bounding box, not ~0
    assert any("杭州市" in w and "repaired" in w and "Self-intersection" in w for w in feedback.warnings)


def test_null_geometry_is_refused_naming_parameter_and_feature(run_alg, tmp_path):
    cities = yrdgeo.load_units("city", province="浙江")[["adcode", "name_zh", "geometry"]].reset_index(drop=True)
    cities.loc[2, "geometry"] = None
    out = tmp_path / "areas.gpkg"
    _raises(run_alg, "unit_areas", {"INPUT": _memory_layer(cities), "OUTPUT": str(out)},
            r"^Parameter INPUT: ", "no geometry", "feature 3")
    assert _files(tmp_path) == set()


def test_metres_labelled_as_degrees_are_refused(run_alg, tmp_path):
    cities = yrdgeo.load_units("city", province="浙江")[["adcode", "name_zh", "geometry"]].to_crs(3857)
    out = tmp_path / "areas.gpkg"
    _raises(run_alg, "unit_areas", {"INPUT": _memory_layer(cities, crs="EPSG:4326"), "OUTPUT": str(out)},
            r"^Parameter INPUT: ", "look like metres")
    assert _files(tmp_path) == set()


def test_polygon_drawn_far_from_its_unit_is_refused(run_alg, tmp_path):
    shanghai = yrdgeo.load_units("province", province="上海")[["adcode", "name_zh", "geometry"]]
    moved = shanghai.copy()
    moved["geometry"] = moved.geometry.translate(-2.5, 0.0)  # inside Anhui/Jiangsu, nowhere near Shanghai
    out = tmp_path / "areas.gpkg"
    _raises(run_alg, "unit_areas", {"INPUT": _memory_layer(moved), "OUTPUT": str(out)},
            r"^Parameter INPUT: ", "km from the bundled boundary of 310000")
    assert _files(tmp_path) == set()


def test_unreadable_pairs_file_names_its_parameter(run_alg, tmp_path):
    bad = tmp_path / "pairs.gpkg"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)  # a truncated GeoPackage
    ends = tmp_path / "ends.gpkg"
    _raises(run_alg, "enclave_pairs", {"PAIRS_FILE": str(bad), "ENDS": str(ends), "LINES": "memory:",
                                       "NODES": "memory:"}, r"^Parameter PAIRS_FILE: ")
    assert _files(tmp_path) == {"pairs.gpkg"}


def test_join_column_absent_from_table_is_refused(run_alg, tmp_path):
    table = _memory_layer(yrdgeo.load_units("city", province="江苏")[["adcode", "geometry"]].assign(
        gdp=1.0).rename(columns={"adcode": "code"}))
    out = tmp_path / "cand.gpkg"
    _raises(run_alg, "build_candidates", {"TABLE": table, "TABLE_FIELDS": ["gdp"], "OUTPUT": str(out)},
            r"^Parameters ON, TABLE: ", "no column “adcode”", "code, gdp")
    assert _files(tmp_path) == set()


# --------------------------------------------------------------------------- plan map


def test_export_plan_map_refuses_layer_without_crs(run_alg, tmp_path):
    cities = yrdgeo.load_units("city", province="江苏")[["adcode", "short_zh", "geometry"]]
    pdf = tmp_path / "map.pdf"
    _raises(run_alg, "export_plan_map", {"INPUT": _memory_layer(cities, crs=None), "OUTPUT": str(pdf)},
            r"^Parameter INPUT: ", "no coordinate reference system", "scale bar")
    _raises(run_alg, "export_plan_map", {"INPUT": _memory_layer(cities.to_crs(3857), crs="EPSG:4326"),
                                         "OUTPUT": str(pdf)}, r"^Parameter INPUT: ", "metres of a projected CRS")
    assert _files(tmp_path) == set()


# --------------------------------------------------------------------------- several outputs: all or none


def _corridor_params(folder: Path, **over):
    params = {"CORRIDOR": "g60", "WIDTH_KM": 20, "UNITS_LEVEL": 2}
    for name in ("MEMBERS", "CENTRELINES", "BANDS", "WINGS", "SUMMARY"):
        params[name] = str(folder / f"{name.lower()}.gpkg")
    params.update(over)
    return params


def test_last_output_in_missing_folder_writes_nothing(run_alg, tmp_path):
    params = _corridor_params(tmp_path, SUMMARY=str(tmp_path / "no_such_folder" / "summary.gpkg"))
    _raises(run_alg, "corridor", params, r"^Parameter SUMMARY: ", "no_such_folder.*does not exist")
    assert _files(tmp_path) == set()


def test_last_output_failing_removes_earlier_outputs_and_puts_back_replaced_files(run_alg, tmp_path):
    """SUMMARY cannot be created (file name over 255 bytes): MEMBERS…WINGS of this run are removed and the
    MEMBERS file of an earlier run is back, byte for byte."""
    members = tmp_path / "members.gpkg"
    write_layers({"old": yrdgeo.load_units("province")}, members)
    before = members.read_bytes()
    too_long = tmp_path / ("长三角走廊两翼汇总表" * 9 + ".gpkg")  # 270 bytes of UTF-8
    _raises(run_alg, "corridor", _corridor_params(tmp_path, SUMMARY=str(too_long)),
            r"^Parameter SUMMARY: Could not write this output", "files it had created were removed")
    assert _files(tmp_path) == {"members.gpkg"}
    assert members.read_bytes() == before


def test_rerun_replaces_outputs_and_leaves_no_backup(run_alg, tmp_path):
    members = tmp_path / "members.gpkg"
    write_layers({"old": yrdgeo.load_units("province")}, members)
    res, _ = run_alg("corridor", _corridor_params(tmp_path))
    assert _files(tmp_path) == {f"{n}.gpkg" for n in ("members", "centrelines", "bands", "wings", "summary")}
    import geopandas as gpd

    assert len(gpd.read_file(members)) == len(yrdgeo.corridors.corridor_members(yrdgeo.corridors.load_corridor("g60")))


def test_two_outputs_into_one_file_are_refused(run_alg, tmp_path):
    same = str(tmp_path / "corridor.gpkg")
    _raises(run_alg, "corridor", _corridor_params(tmp_path, BANDS=same, WINGS=same),
            r"^Parameters WINGS, BANDS: ", "would both write the file")
    assert _files(tmp_path) == set()


def test_output_onto_its_own_input_is_refused(run_alg, tmp_path):
    path = tmp_path / "cities.gpkg"
    write_layers({"cities": yrdgeo.load_units("city", province="江苏")}, path)
    before = path.read_bytes()
    _raises(run_alg, "unit_areas", {"INPUT": str(path), "OUTPUT": str(path)},
            r"^Parameters OUTPUT, INPUT: ", "an output never replaces an input")
    assert path.read_bytes() == before and _files(tmp_path) == {"cities.gpkg"}


# --------------------------------------------------------------------------- access leg and anchors


def _centre_minutes(layer):
    from yrdgeo_qgis.convert import python_value

    names = layer.fields().names()
    rows = [dict(zip(names, map(python_value, f.attributes()))) for f in layer.getFeatures()]
    return pd.DataFrame(rows).set_index("adcode")["t_centre_min"].astype(float)


def test_access_speed_and_nodes_are_parameters_used_and_logged(run_alg, cities_without_anchors):
    """Inner points are off the network, so the access leg counts: the given speed and nodes reach the library."""
    cities, path = cities_without_anchors
    res, feedback = run_alg("accessibility", {"UNITS": path, "ANCHORS": 1, "ACCESS_SPEED_KMH": 60,
                                              "ACCESS_NODES": 2, "OUTPUT": "memory:"})
    net = network.load_yrd_network()
    inner = accessibility.with_anchors(cities, anchors="inner_point")
    want = accessibility.accessibility(net, inner, access_speed_kmh=60, k_nearest=2).frame.set_index("adcode")
    default = accessibility.accessibility(net, inner).frame.set_index("adcode")
    got = _centre_minutes(res["OUTPUT"]).loc[want.index]
    np.testing.assert_allclose(got, want.t_centre_min, rtol=1e-9, equal_nan=True)
    assert (default.t_centre_min - want.t_centre_min).max() > 30  # the parameters changed the answer
    assert any("ACCESS_SPEED_KMH = 60" in line and "ACCESS_NODES = 2" in line for line in feedback.infos)


def test_access_parameters_have_help_in_both_languages_and_library_defaults(qgis_plugin):
    from yrdgeo_qgis.algorithms.accessibility import Accessibility
    from yrdgeo_qgis.i18n import install_translator

    def helps():
        alg = Accessibility()
        alg.initAlgorithm()
        return {n: (alg.parameterDefinition(n).help(), alg.parameterDefinition(n).defaultValue())
                for n in ("ACCESS_SPEED_KMH", "ACCESS_NODES", "ANCHORS")}

    en = helps()
    try:
        install_translator("zh_CN")
        zh = helps()
    finally:
        install_translator("en")
    assert "30 km/h" in en["ACCESS_SPEED_KMH"][0] and "30 公里/小时" in zh["ACCESS_SPEED_KMH"][0]
    assert "nearest network nodes" in en["ACCESS_NODES"][0] and "最近网络节点" in zh["ACCESS_NODES"][0]
    assert "seat of government" in en["ANCHORS"][0] and "政府驻地" in zh["ANCHORS"][0]
    assert en["ACCESS_SPEED_KMH"][1] == accessibility.ACCESS_SPEED_KMH
    assert en["ACCESS_NODES"][1] == accessibility.K_NEAREST


@pytest.fixture
def cities_without_anchors(tmp_path):
    cities = yrdgeo.load_units("city").drop(columns=["anchor_lon", "anchor_lat"])
    path = tmp_path / "cities_no_anchor.gpkg"
    write_layers({"cities": cities}, path)
    return cities, str(path)


def test_layer_without_anchor_columns_joins_at_bundled_seats(run_alg, make_feedback, cities_without_anchors):
    """Changzhou → Shanghai stays 43 min (seat of government), not 154 min (inner point), and the log says why."""
    _, path = cities_without_anchors
    feedback = make_feedback()
    res, _ = run_alg("accessibility", {"UNITS": path, "OUTPUT": "memory:"}, feedback=feedback)
    want = accessibility.accessibility(network.load_yrd_network(), yrdgeo.load_units("city")).frame
    got = _centre_minutes(res["OUTPUT"]).loc[want.adcode]
    np.testing.assert_allclose(got, want.t_centre_min, rtol=1e-12, equal_nan=True)
    with pytest.warns(UserWarning, match="bundled seat of government"):  # the library decides the same way
        lib = accessibility.accessibility(network.load_yrd_network(), cities_without_anchors[0]).frame
    np.testing.assert_allclose(lib.set_index("adcode").t_centre_min.loc[want.adcode], want.t_centre_min, rtol=1e-12,
                               equal_nan=True)
    assert got.loc["320400"] == pytest.approx(43.2, abs=0.1)
    assert any("no anchor_lon/anchor_lat columns" in w and "bundled seat of government" in w
               for w in feedback.warnings)


def test_inner_point_anchors_on_request_are_logged(run_alg, make_feedback, cities_without_anchors):
    cities, path = cities_without_anchors
    feedback = make_feedback()
    res, _ = run_alg("accessibility", {"UNITS": path, "ANCHORS": 1, "OUTPUT": "memory:"}, feedback=feedback)
    inner = accessibility.with_anchors(cities, anchors="inner_point")
    want = accessibility.accessibility(network.load_yrd_network(), inner).frame
    got = _centre_minutes(res["OUTPUT"]).loc[want.adcode]
    np.testing.assert_allclose(got, want.t_centre_min, rtol=1e-9, equal_nan=True)
    assert got.loc["320400"] > 150
    assert any("point inside its polygon" in w and "ANCHORS" in w for w in feedback.warnings)
    assert any(line.startswith("Access legs:") and "km/h" in line for line in feedback.infos)


def test_polygons_without_anchors_or_adcode_are_refused(run_alg, tmp_path):
    zones = yrdgeo.load_units("city", province="江苏")[["name_zh", "geometry"]]
    out = tmp_path / "tt.csv"
    _raises(run_alg, "travel_time_matrix", {"UNITS": _memory_layer(zones), "OUTPUT": str(out)},
            r"^Parameters UNITS, ANCHORS: ", "neither anchor_lon/anchor_lat columns nor an adcode",
            "A point inside the polygon")
    assert _files(tmp_path) == set()


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("before, after", [("2020-01-01", "2010-01-01"), ("2015-06-01", "2015-06-01")])
def test_reversed_or_equal_dates_are_refused(run_alg, tmp_path, before, after):
    out = tmp_path / "change.gpkg"
    _raises(run_alg, "accessibility_change", {"BEFORE": before, "AFTER": after, "OUTPUT": str(out)},
            r"^Parameters BEFORE, AFTER: ", f"BEFORE = {before} is not before the later date AFTER = {after}")
    assert _files(tmp_path) == set()


def test_malformed_date_is_refused_naming_parameter(run_alg, tmp_path):
    out = tmp_path / "acc.gpkg"
    _raises(run_alg, "accessibility", {"AS_OF": "2020-13-45", "OUTPUT": str(out)},
            r"^Parameter AS_OF: “2020-13-45” is not a date")
    _raises(run_alg, "accessibility_change", {"BEFORE": "yesterday", "OUTPUT": str(out)},
            r"^Parameter BEFORE: “yesterday” is not a date")
    assert _files(tmp_path) == set()


# --------------------------------------------------------------------------- library messages in QGIS words


@pytest.fixture
def zj_counties_with_gap(tmp_path):
    counties = yrdgeo.load_units("county", province="浙江")
    counties["value"] = counties.anchor_lat.astype(float)
    counties.loc[counties.index[3], "value"] = np.nan
    path = tmp_path / "zj.gpkg"
    write_layers({"zj": counties}, path)
    return str(path)


def test_library_errors_name_qgis_parameters_not_keywords(run_alg, tmp_path, zj_counties_with_gap):
    out = tmp_path / "lisa.gpkg"
    message = _raises(run_alg, "spatial_autocorrelation", {"INPUT": zj_counties_with_gap, "FIELD": "value",
                                                          "OUTPUT": str(out)},
                      r"^Parameters WEIGHTS, ISLANDS", r"ISLANDS = “Attach to nearest units”",
                      r"ISLANDS = “Leave out \(isolated\)”", "TOLERANCE_KM", "岱山县")
    assert "islands=" not in message and "tolerance_km" not in message
    message = _raises(run_alg, "spatial_autocorrelation", {"INPUT": zj_counties_with_gap, "FIELD": "value",
                                                          "ISLANDS": 1, "OUTPUT": str(out)},
                      r"^Parameter MISSING: ", r"set MISSING to “Leave those units out”")
    assert "missing='drop'" not in message
    assert _files(tmp_path) == {"zj.gpkg"}


def test_units_left_out_by_the_library_are_reported_in_the_log(run_alg, make_feedback, zj_counties_with_gap):
    feedback = make_feedback()
    res, _ = run_alg("spatial_autocorrelation", {"INPUT": zj_counties_with_gap, "FIELD": "value", "ISLANDS": 1,
                                                 "MISSING": 1, "PERMUTATIONS": 99, "OUTPUT": "memory:"},
                     feedback=feedback)
    assert res["N_USED"] == 89
    assert any("leaving out 1 unit(s) with missing values: 330108" in w for w in feedback.warnings)


def test_same_field_for_both_years_is_refused(run_alg, tmp_path, zj_counties_with_gap):
    out = tmp_path / "change.gpkg"
    _raises(run_alg, "autocorrelation_change", {"INPUT": zj_counties_with_gap, "BEFORE": "value", "AFTER": "value",
                                                "ISLANDS": 1, "OUTPUT": str(out), "TRANSITIONS": "memory:"},
            r"^Parameters BEFORE, AFTER: ", "same field “value”")
    assert not out.exists()


def test_messages_are_translated_for_zh_CN(run_alg, tmp_path, zj_counties_with_gap):
    from yrdgeo_qgis.i18n import install_translator

    out = tmp_path / "out.gpkg"
    try:
        assert install_translator("zh_CN") is not None
        _raises(run_alg, "accessibility_change", {"BEFORE": "2020-01-01", "AFTER": "2010-01-01", "OUTPUT": str(out)},
                r"^参数 BEFORE, AFTER：较早日期 BEFORE = 2020-01-01 并不早于较晚日期 AFTER = 2010-01-01")
        _raises(run_alg, "spatial_autocorrelation", {"INPUT": zj_counties_with_gap, "FIELD": "value",
                                                     "OUTPUT": str(out)},
                r"^参数 WEIGHTS, ISLANDS", "ISLANDS = “连接最近单元”")
        _raises(run_alg, "corridor", _corridor_params(tmp_path, SUMMARY=str(tmp_path / "missing" / "s.gpkg")),
                r"^参数 SUMMARY：此输出所在的文件夹 .*missing 不存在")
        _raises(run_alg, "export_plan_map", {"INPUT": _memory_layer(yrdgeo.load_units("province")[["adcode", "geometry"]],
                                                                    crs=None), "OUTPUT": str(tmp_path / "m.pdf")},
                r"^参数 INPUT：图层“layer”没有坐标参考系")
    finally:
        install_translator("en")
    assert not out.exists() and not (tmp_path / "m.pdf").exists()


# --------------------------------------------------------------------------- requirements and install advice


def test_requirements_list_rasterio_and_affine_but_not_yrdgeo():
    from yrdgeo_qgis.base import missing_dependencies_message

    reqs = [line.split("#")[0].strip() for line in (PLUGIN / "requirements.txt").read_text(encoding="utf-8")
            .splitlines()]
    names = {re.split(r"[<>=!;\[ ]", r)[0].lower() for r in reqs if r}
    assert {"rasterio", "affine"} <= names and "yrdgeo" not in names
    assert "affine<3" in reqs
    message = missing_dependencies_message(["rasterio", "affine", "yrdgeo"])
    assert "rasterio, affine" in message and "requirements.txt" in message
    assert "--break-system-packages" in message and "pip install yrdgeo" not in message
    assert "The yrdgeo library itself is missing" in message


def test_debian_install_command_passes_pep_668(tmp_path):
    """The message's Debian command gets past the 'externally-managed-environment' refusal (pip --dry-run, offline)."""
    from yrdgeo_qgis.base import missing_dependencies_message

    message = missing_dependencies_message(["geopandas"])
    command = re.search(r"python3 -m pip install [^;()]*?requirements\.txt\"", message).group(0)
    args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', command)]
    assert args[:4] == ["python3", "-m", "pip", "install"]
    run = subprocess.run(["/usr/bin/python3", *args[1:4], "--dry-run", "--no-index", *args[4:]],
                         capture_output=True, text=True, check=False)
    assert "externally-managed-environment" not in run.stdout + run.stderr
    bare = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--user", "--dry-run", "--no-index",
                           "numpy<2"], capture_output=True, text=True, check=False)
    assert "externally-managed-environment" in bare.stdout + bare.stderr  # the guard is real here
