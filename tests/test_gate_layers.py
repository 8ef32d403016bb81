"""Bad-input corpus for the layer gate (:func:`yrdgeo.inputs.check_layer`, :func:`~yrdgeo.inputs.read_layer`).

Layers are made here from the bundled boundaries (real polygons) and written to ``tmp_path``; nothing is mocked."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon

import yrdgeo
from yrdgeo.crs import wgs84_to_gcj02_geometry
from yrdgeo.inputs import InputError, check_layer, read_layer

pytestmark = pytest.mark.filterwarnings("ignore::yrdgeo.inputs.InputWarning")

# A bow-tie: two triangles of base 0.1° and height 0.05°, crossing at (120.05, 31.05); area 2 × 0.0025 deg².
BOW_TIE = Polygon([(120.0, 31.0), (120.1, 31.1), (120.1, 31.0), (120.0, 31.1), (120.0, 31.0)])
BOW_TIE_AREA = 0.005


@pytest.fixture(scope="module")
def cities():
    return yrdgeo.load_units("city")[["adcode", "name_zh", "geometry"]]


def report_lines(frame) -> list[str]:
    return [str(i) for i in frame.attrs["input_report"].issues]


def swap_xy(frame):
    out = frame.copy()
    out["geometry"] = shapely.transform(np.asarray(frame.geometry.array), lambda c: c[:, ::-1])
    return out


# ----------------------------------------------------------------------------- CRS and coordinates


def test_geojson_in_3857_without_crs_member_is_refused_as_metres(tmp_path, cities):
    collection = json.loads(cities.to_crs(3857).to_json(drop_id=True))
    collection.pop("crs", None)  # as many web tools write it: GDAL then reads EPSG:4326
    path = tmp_path / "web.geojson"
    path.write_text(json.dumps(collection))
    assert gpd.read_file(path).crs.to_epsg() == 4326  # the trap
    with pytest.raises(InputError, match=r"layer web\.geojson: the CRS EPSG:4326 says longitude/latitude degrees, "
                                         r"but the coordinates run x 12,\d{3},\d{3} .* look like metres"):
        read_layer(path)


def test_swapped_lat_lon_is_named(cities):
    with pytest.raises(InputError, match=r"latitude and longitude are swapped"):
        check_layer(swap_xy(cities))


def test_projected_crs_holding_degrees(cities):
    with pytest.raises(InputError, match=r"the CRS EPSG:4549 is projected \(metres\), but the coordinates run "
                                         r"x 11[4-6]\.\d+ .* look like longitude/latitude degrees"):
        check_layer(cities.set_crs(4549, allow_override=True))


def test_no_crs(cities):
    with pytest.raises(InputError, match=r"has no coordinate reference system; set it"):
        check_layer(cities.set_crs(None, allow_override=True))


def test_layer_far_outside_the_region_is_refused(cities):
    far = cities.copy()
    far["geometry"] = far.translate(-100.0, 0.0)  # lon 15-23: Europe, in degrees
    with pytest.raises(InputError, match=r"outside the Yangtze River Delta"):
        check_layer(far, compare_bundled=False)


@pytest.mark.parametrize("epsg", [4326, 4490, 3857, 4549, 32651])
def test_bundled_layer_in_any_crs_passes_without_issues(epsg):
    counties = yrdgeo.load_units("county").to_crs(epsg)
    checked = check_layer(counties)
    assert report_lines(checked) == []
    assert checked.crs.to_epsg() == epsg and len(checked) == len(counties)
    assert shapely.equals_exact(np.asarray(checked.geometry.array), np.asarray(counties.geometry.array), 0).all()


# ----------------------------------------------------------------------------- geometry types


def test_points_and_lines_where_polygons_expected(cities):
    points = cities.assign(geometry=cities.representative_point())
    with pytest.raises(InputError, match=r"expected polygon geometries \(Polygon/MultiPolygon\), found 41 Point "
                                         r"\(e.g. feature 1 \(adcode 310100, 上海市\)\)"):
        check_layer(points)
    with pytest.raises(InputError, match=r"expected polygon geometries .*found 41 MultiLineString"):
        check_layer(cities.assign(geometry=cities.boundary))


def test_polygons_where_lines_expected(cities):
    with pytest.raises(InputError, match=r"expected line geometries .*found 41 MultiPolygon"):
        check_layer(cities, geometry="line")
    lines = check_layer(cities.assign(geometry=cities.boundary), geometry="line")
    assert report_lines(lines) == []


def test_one_point_among_polygons_is_named(cities):
    mixed = cities.copy()
    mixed.loc[5, "geometry"] = mixed.geometry.iloc[5].representative_point()
    with pytest.raises(InputError, match=r"found 1 Point \(e.g. feature 6 \(adcode 320500, 苏州市\)\)"):
        check_layer(mixed)


@pytest.mark.parametrize("empty", [None, Polygon()], ids=["null", "empty"])
def test_null_and_empty_geometry_name_the_unit(cities, empty):
    frame = cities.copy()
    frame.loc[3, "geometry"] = empty
    with pytest.raises(InputError, match=r"1 feature\(s\) have no geometry \(null or empty\): "
                                         r"feature 4 \(adcode 320300, 徐州市\)"):
        check_layer(frame)


# ----------------------------------------------------------------------------- invalid geometry


def bow_tie_layer(cities):
    frame = cities.iloc[:3].copy().reset_index(drop=True)
    frame.loc[1, ["adcode", "name_zh"]] = ["", "test site"]  # no bundled unit to compare with
    frame.loc[1, "geometry"] = BOW_TIE
    return frame


def test_bow_tie_is_repaired_reported_with_its_true_area(cities):
    frame = bow_tie_layer(cities)
    before = frame.copy()
    checked = check_layer(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input is never modified
    assert not frame.geometry.iloc[1].is_valid
    repaired = checked.geometry.iloc[1]
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert repaired.area == pytest.approx(BOW_TIE_AREA, rel=1e-9)
    assert report_lines(checked) == ["feature 2 (test site): 'Self-intersection[120.05 31.05]' invalid "
                                     "geometry repaired with shapely.make_valid"]
    assert shapely.equals_exact(np.asarray(checked.geometry.array)[[0, 2]],
                                np.asarray(frame.geometry.array)[[0, 2]], 0).all()


def test_bow_tie_refused_with_strict(cities):
    with pytest.raises(InputError, match=r"1 invalid geometries \(strict mode\), e.g. feature 2 \(test site\): "
                                         r"Self-intersection"):
        check_layer(bow_tie_layer(cities), strict=True)


def test_polygon_that_repairs_to_nothing_is_refused(cities):
    frame = bow_tie_layer(cities)
    frame.loc[1, "geometry"] = Polygon([(120.0, 31.0), (120.1, 31.1), (120.0, 31.0)])  # invalid: too few points
    with pytest.raises(InputError, match=r"the geometry of feature 2 \(test site\) is invalid \(Too few "
                                         r"points.*no polygon part left after repair"):
        check_layer(frame)


def test_valid_zero_area_polygon_is_refused(cities):
    frame = bow_tie_layer(cities)
    flat = Polygon([(120.0, 31.0), (120.1, 31.1), (120.2, 31.2), (120.0, 31.0)])  # GEOS calls it valid
    assert flat.is_valid
    frame.loc[1, "geometry"] = flat
    with pytest.raises(InputError, match=r"1 polygon\(s\) enclose no area .* feature 2 \(test site\)"):
        check_layer(frame)


# ----------------------------------------------------------------------------- comparison with the bundled units


def test_shanghai_drawn_near_beijing_is_refused_with_the_distance(cities):
    moved = cities.copy()
    shanghai = moved.adcode == "310100"
    moved.loc[shanghai, "geometry"] = moved[shanghai].translate(116.40 - 121.47, 39.90 - 31.23)
    with pytest.raises(InputError) as exc:
        check_layer(moved)
    message = str(exc.value)
    assert "feature 1 (adcode 310100, 上海市)" in message and "from the bundled boundary of 310100" in message
    km = float(re.search(r"lies ([\d,]+) km", message).group(1).replace(",", ""))
    assert 800 < km < 1100
    assert re.search(r"near lon 116\.\d+, lat 39\.\d+", message)


def test_polygon_narrower_than_the_comparison_tolerance_is_compared_as_drawn(cities):
    # A 200 m square inside 嘉兴 simplifies to nothing at the 300 m comparison tolerance: it must be
    # compared as drawn (a small overlap, reported), not refused as lying "nan km" away.
    jiaxing = cities[cities.adcode == "330400"].copy()
    p = jiaxing.geometry.iloc[0].representative_point()
    d = 0.001  # about 100 m
    jiaxing["geometry"] = [Polygon([(p.x - d, p.y - d), (p.x + d, p.y - d), (p.x + d, p.y + d), (p.x - d, p.y + d)])]
    out = check_layer(jiaxing)
    assert any("overlaps the bundled boundary of 330400 by only 0%" in line for line in report_lines(out))
    far = jiaxing.copy()
    far["geometry"] = far.translate(3.0, 0.0)  # the same square 300 km east, in the sea
    with pytest.raises(InputError, match=r"lies [\d,]+ km from the bundled boundary of 330400"):
        check_layer(far)


def test_gcj02_shifted_layer_is_reported(cities):
    shifted = cities.copy()
    shifted["geometry"] = wgs84_to_gcj02_geometry(cities.geometry)
    checked = check_layer(shifted)
    lines = report_lines(checked)
    assert any("GCJ-02" in s and "gcj02_to_wgs84_geometry" in s for s in lines)


def test_a_checked_layer_is_not_warned_about_twice_for_the_same_issues(tmp_path, cities):
    """read_layer, then a library call that checks the layer again (make_grid): one warning, not two."""
    import warnings

    import shapely.affinity

    from yrdgeo.inputs import InputWarning

    shifted = cities.copy()
    shifted["geometry"] = wgs84_to_gcj02_geometry(cities.geometry)
    path = tmp_path / "gcj.gpkg"
    shifted.to_file(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = read_layer(path)
        again = check_layer(layer)
    gate = [w for w in caught if issubclass(w.category, InputWarning)]
    assert len(gate) == 1 and "GCJ-02" in str(gate[0].message)
    assert any("GCJ-02" in s for s in report_lines(again))  # the report still has it
    # An issue the first check did not see is still warned about.
    moved = layer.copy()
    centre = moved.geometry.iloc[0].representative_point()
    moved.loc[moved.index[0], "geometry"] = shapely.affinity.translate(BOW_TIE, centre.x - 120.05, centre.y - 31.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_layer(moved)
    lines = "\n".join(str(w.message) for w in caught if issubclass(w.category, InputWarning))
    assert "repaired" in lines and "GCJ-02" not in lines
    # A layer checked without a warning is warned about when checked again.
    quiet = check_layer(shifted, warn=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_layer(quiet)
    assert any("GCJ-02" in str(w.message) for w in caught if issubclass(w.category, InputWarning))


# ----------------------------------------------------------------------------- read_layer failures


def test_read_layer_missing_and_empty_files(tmp_path):
    with pytest.raises(InputError, match=r"layer .*nope\.gpkg does not exist"):
        read_layer(tmp_path / "nope.gpkg")
    (tmp_path / "empty.gpkg").write_bytes(b"")
    with pytest.raises(InputError, match=r"layer .*empty\.gpkg is an empty file"):
        read_layer(tmp_path / "empty.gpkg")
    (tmp_path / "none.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InputError, match=r"layer none\.geojson has no features"):
        read_layer(tmp_path / "none.geojson")


def test_read_layer_truncated_geopackage(tmp_path, cities):
    full = tmp_path / "full.gpkg"
    cities.to_file(full, layer="units")
    data = full.read_bytes()
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cannot read layer .*cut\.gpkg: the file is damaged or truncated"):
        read_layer(cut)


def test_read_layer_text_renamed_gpkg(tmp_path):
    path = tmp_path / "notes.gpkg"
    path.write_text("adcode,gdp\n320100,1\n")
    with pytest.raises(InputError, match=r"cannot read layer .*notes\.gpkg: GDAL does not recognise it as vector "
                                         r"data \(expected a GeoPackage, GeoJSON or Shapefile\)"):
        read_layer(path)


def test_read_layer_multi_layer_needs_layer(tmp_path, cities):
    path = tmp_path / "two.gpkg"
    cities.to_file(path, layer="cities")
    cities.iloc[:3].to_file(path, layer="three")
    with pytest.raises(InputError, match=r"layer .*two\.gpkg holds 2 layers \(cities, three\); name one"):
        read_layer(path)
    with pytest.raises(InputError, match=r"layer .*two\.gpkg has no layer 'counties'; its layers: cities, three"):
        read_layer(path, layer="counties")
    assert read_layer(path, layer="three").adcode.tolist() == ["310100", "320100", "320200"]


def test_read_layer_folder_and_table_without_geometry(tmp_path, cities):
    with pytest.raises(InputError, match=r"is a folder; give a GeoPackage, GeoJSON or Shapefile"):
        read_layer(tmp_path)
    path = tmp_path / "table.csv"
    pd.DataFrame(cities.drop(columns="geometry")).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"table\.csv has no geometry column; expected polygon geometries"):
        read_layer(path)


def test_check_layer_never_modifies_its_input(cities):
    frame = cities.copy()
    frame.loc[4, ["adcode", "name_zh"]] = ["", "site"]
    frame.loc[4, "geometry"] = Polygon([(118.0, 32.0), (118.2, 32.2), (118.2, 32.0), (118.0, 32.2), (118.0, 32.0)])
    before = frame.copy()
    checked = check_layer(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert not frame.geometry.iloc[4].is_valid and checked.geometry.iloc[4].is_valid
    assert checked.geometry.iloc[4].area == pytest.approx(0.02, rel=1e-9)
