"""The bundled boundaries and the unit resolver, on the real data."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import yrdgeo
from yrdgeo.crs import area_km2


def test_counts_per_level(cities, counties):
    assert len(cities) == 41
    assert len(yrdgeo.load_units("province")) == 4
    assert len(counties) == 305
    assert len(yrdgeo.load_units("county", province="上海")) == 16
    per_province = counties.groupby("province_zh").size().to_dict()
    assert per_province == {"上海市": 16, "江苏省": 95, "浙江省": 90, "安徽省": 104}
    assert cities.adcode.is_unique and counties.adcode.is_unique


def test_every_county_has_its_city(cities, counties):
    assert set(counties.parent_adcode) == set(cities.adcode)
    assert (cities.parent_adcode == cities.province_adcode).all()


def test_attributes_and_crs(cities):
    for col in ("adcode", "name_zh", "short_zh", "pinyin", "name_en", "level",
                "province_adcode", "parent_adcode", "anchor_lon", "anchor_lat"):
        assert cities[col].notna().all(), col
    assert cities.crs.to_epsg() == 4326
    assert cities.geometry.is_valid.all()
    assert yrdgeo.all_units().geometry.is_valid.all()


def test_zhoushan_and_shanghai_are_multipart(cities):
    by = cities.set_index("name_zh").geometry
    assert by["舟山市"].geom_type == "MultiPolygon" and len(by["舟山市"].geoms) > 200
    assert by["上海市"].geom_type == "MultiPolygon" and len(by["上海市"].geoms) > 1


@pytest.mark.parametrize(
    "name,official",
    [("苏州市", 8657), ("杭州市", 16850), ("合肥市", 11445), ("南京市", 6587)],
)
def test_city_areas_match_official_within_2_percent(cities, name, official):
    area = area_km2(cities[cities.name_zh == name])[0]
    assert abs(area - official) / official < 0.02


def test_shanghai_polygon_includes_shoals(cities):
    # README/PROVENANCE explain: AMap's polygon includes estuary shoals and sea.
    area = area_km2(cities[cities.name_zh == "上海市"])[0]
    assert 7800 < area < 8200  # against 6,340.5 km² official land area


def test_cities_tile_without_overlap(cities):
    total = area_km2(cities).sum()
    union = area_km2(cities.dissolve())[0]
    assert abs(total - union) / total < 1e-4
    assert 355_000 < total < 363_000
    provinces = area_km2(yrdgeo.load_units("province")).sum()
    assert abs(provinces - total) / total < 1e-4


def test_equal_area_and_geodesic_areas_agree(cities):
    ea = area_km2(cities.head(5))
    geo = area_km2(cities.head(5), method="geodesic")
    np.testing.assert_allclose(ea, geo, rtol=1e-4)


def test_seat_distances_match_the_paper():
    # 林玉妹、林善浪《区域一体化背景下跨区域产业协同发展研究——以长三角地区为例》 (key lin-lin):
    # Shanghai–Hangzhou "about 165 km", Shanghai–Nanjing "about 270 km".
    # Tolerance: 3% (the paper rounds; seats differ by a few km from any city "centre").
    assert yrdgeo.distance_km("上海", "杭州") == pytest.approx(165, rel=0.03)
    assert yrdgeo.distance_km("上海", "南京") == pytest.approx(270, rel=0.03)


def test_anchor_is_seat_not_centroid(cities):
    hz = cities[cities.name_zh == "杭州市"].iloc[0]
    seat = shapely.Point(hz.anchor_lon, hz.anchor_lat)
    centroid = cities[cities.name_zh == "杭州市"].to_crs(yrdgeo.DISTANCE_CRS).centroid.to_crs(4326).iloc[0]
    assert hz.geometry.contains(seat)
    # Hangzhou's centroid lies tens of km west of the seat (West Lake / Wulin).
    assert yrdgeo.distance_km((seat.x, seat.y), (centroid.x, centroid.y)) > 40


def test_anchor_sources_are_documented():
    src = yrdgeo.all_units().anchor_source.str.split(":").str[0]
    assert set(src) == {"cpca_seat", "cpca_seat_predecessor", "representative_point"}
    assert (src == "representative_point").sum() == 6
    units = yrdgeo.all_units()
    assert yrdgeo.anchor_points(units).within(units.geometry).all()


@pytest.mark.parametrize(
    "query,expected",
    [
        ("苏州市", "320500"), ("苏州", "320500"), ("宿州", "341300"), ("泰州", "321200"),
        ("台州市", "331000"), ("Hangzhou", "330100"), ("HANGZHOU", "330100"), ("hang zhou", "330100"),
        ("Hángzhōu", "330100"), ("Lu'an", "341500"), ("luan", "341500"), ("Songjiang District", "310117"),
        ("松江区", "310117"), ("310117", "310117"), (310117, "310117"), ("310117000000", "310117"),
        ("上海", "310100"), ("Shanghai", "310100"), ("Jiangsu", "320000"), ("Ma'anshan", "340500"),
    ],
)
def test_resolve_names_and_codes(query, expected):
    assert yrdgeo.resolve(query) == expected


@pytest.mark.parametrize("query,codes", [("Suzhou", {"320500", "341300"}), ("Taizhou", {"321200", "331000"}),
                                         ("Sūzhōu", {"320500", "341300"}), ("普陀", {"310107", "330903"})])
def test_ambiguous_names_list_candidates_with_provinces(query, codes):
    with pytest.raises(yrdgeo.AmbiguousUnitError) as err:
        yrdgeo.resolve(query)
    assert set(err.value.candidates) == codes
    msg = str(err.value)
    assert "ambiguous" in msg
    if query.lower().startswith("s"):
        assert "江苏省" in msg and "安徽省" in msg


def test_level_disambiguates():
    assert yrdgeo.resolve("Fuyang", level="city") == "341200"
    assert yrdgeo.resolve("Fuyang", level="county") == "330111"


def test_unknown_name_suggests_close_matches():
    with pytest.raises(yrdgeo.UnknownUnitError) as err:
        yrdgeo.resolve("Hanzhou")
    assert "330100" in err.value.candidates
    assert "杭州市" in str(err.value)
    assert not isinstance(err.value, yrdgeo.OutOfRegionError)


@pytest.mark.parametrize("query", ["北京", "Beijing", "110000", 440300, "深圳市"])
def test_out_of_region_is_named_as_such(query):
    with pytest.raises(yrdgeo.OutOfRegionError, match="outside the YRD"):
        yrdgeo.resolve(query)


def test_unknown_code():
    with pytest.raises(yrdgeo.UnknownUnitError, match="adcode"):
        yrdgeo.resolve("999999")


def test_mixed_level_selection_keeps_order():
    sel = yrdgeo.select_units(["松江区", "嘉兴", "杭州", "金华"])
    assert list(sel.adcode) == ["310117", "330400", "330100", "330700"]
    assert list(sel.level) == ["county", "city", "city", "city"]


def test_selection_refuses_duplicates():
    with pytest.raises(ValueError, match="same unit"):
        yrdgeo.select_units(["杭州", "Hangzhou"])


def test_loaders_return_copies(cities):
    a = yrdgeo.load_units("city")
    a.loc[0, "name_zh"] = "changed"
    assert yrdgeo.load_units("city").loc[0, "name_zh"] != "changed"


def test_anchor_points(cities):
    pts = yrdgeo.anchor_points(cities)
    assert (pts.geom_type == "Point").all()
    assert pts.within(cities.geometry).all()  # every seat inside its city's polygon
    assert cities.geom_type.isin(["MultiPolygon", "Polygon"]).all()  # input untouched


def test_bad_level():
    with pytest.raises(ValueError, match="level must be one of"):
        yrdgeo.load_units("town")


def test_county_written_with_its_city():
    assert yrdgeo.resolve("上海市松江区") == "310117"
    assert yrdgeo.resolve("苏州市昆山市") == "320583"
    assert yrdgeo.resolve("滁州市来安县") == "341122"
    with pytest.raises(yrdgeo.UnknownUnitError):
        yrdgeo.resolve("苏州市松江区")  # Songjiang is not in Suzhou
