"""Cases a planner's trial found after the gate was built: each was a silent wrong answer."""

import os

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import yrdgeo
from yrdgeo import inputs


def test_a_county_table_with_its_city_column_is_read_by_county():
    """百强县 tables list 城市 beside 区县: the county names the unit (苏州市 must not get 昆山's GDP)."""
    df = pd.DataFrame({"排名": [1, 2, 3], "城市": ["苏州市", "无锡市", "南京市"], "区县": ["昆山市", "江阴市", "鼓楼区"],
                       "GDP": [5140.6, 4754.2, 2000.0]})
    t = inputs.read_table(df, warn=False)
    assert t.level == "county" and t.key == "区县"
    assert list(t.data.adcode) == ["320583", "320281", "320106"]  # 鼓楼区 of 南京, not of 徐州 or 福州


def test_shanghai_takes_the_level_of_the_table():
    prov = pd.DataFrame({"地区": ["上海市", "江苏省", "浙江省", "安徽省"], "GDP": [47218.7, 128222.2, 82553.2, 47050.6]})
    t = inputs.read_table(prov, warn=False)
    assert t.level == "province" and list(t.data.adcode) == ["310000", "320000", "330000", "340000"]
    assert any("310000" in line for line in t.report.lines())
    cities = yrdgeo.load_units("city")[["adcode", "name_zh"]].assign(x=[(i * 7) % 5 + 0.5 for i in range(41)])
    cities.loc[cities.adcode == "310100", "adcode"] = "310000"  # a city table coding Shanghai as 310000
    t = inputs.read_table(cities, warn=False)
    assert t.level == "city" and len(t.data) == 41 and "310100" in set(t.data.adcode)


def test_a_gbk_shapefile_without_cpg_is_read_as_chinese_and_said(tmp_path):
    g = yrdgeo.load_units("city").iloc[:3][["adcode", "name_zh", "geometry"]].rename(columns={"name_zh": "名称"})
    path = tmp_path / "gbk.shp"
    g.to_file(path, encoding="GBK")
    cpg = tmp_path / "gbk.cpg"
    if cpg.exists():
        os.remove(cpg)  # what Chinese GIS software often leaves out
    with pytest.warns(inputs.InputWarning, match="GBK/GB18030.*no .cpg"):
        layer = inputs.read_layer(path)
    assert "名称" in layer.columns and list(layer["名称"]) == list(g["名称"])


def test_a_repair_that_changes_the_area_says_by_how_much():
    shell = [(0, 0), (10000, 0), (10000, 10000), (0, 10000)]
    hole_outside = [(20000, 0), (30000, 0), (30000, 10000), (20000, 10000)]
    poly = shapely.affinity.translate(shapely.Polygon(shell, [hole_outside]), 500000, 3400000)
    frame = gpd.GeoDataFrame({"adcode": ["x"]}, geometry=[poly], crs=4549)
    with pytest.warns(inputs.InputWarning, match=r"area after repair 200 km², its outer ring\(s\) enclose 100 km²"):
        yrdgeo.with_area(frame)
    bow = gpd.GeoDataFrame({"adcode": ["y"]}, crs=4549, geometry=[shapely.affinity.translate(
        shapely.Polygon([(0, 0), (10000, 10000), (10000, 0), (0, 10000)]), 500000, 3400000)])
    with pytest.warns(inputs.InputWarning, match="Self-intersection"):
        out = yrdgeo.with_area(bow)
    assert out.area_km2.iloc[0] == pytest.approx(50, rel=1e-6)  # two triangles, 50 km² in all


@pytest.mark.parametrize("pinyin, yrd, outside", [("Jinan", "341502", "370100"), ("Baoshan", "310113", "530500"),
                                                  ("Datong", "340402", "140200"), ("Jiujiang", "340207", "360400")])
def test_pinyin_of_a_yrd_district_that_is_also_a_city_elsewhere_is_ambiguous(pinyin, yrd, outside):
    with pytest.raises(yrdgeo.AmbiguousUnitError, match="outside the YRD") as err:
        yrdgeo.resolve(pinyin)
    assert err.value.candidates[:2] == [yrd, outside]
    assert yrdgeo.resolve(yrdgeo.units.all_units().set_index("adcode").name_zh[yrd]) == yrd  # Chinese is certain
    assert yrdgeo.resolve(yrdgeo.units.all_units().set_index("adcode").name_en[yrd]) == yrd  # so is "… District"


def test_a_date_between_rosters_has_members_and_a_group_not_yet_in_force_says_so():
    assert len(yrdgeo.group_members("yrd_city_econ_council", as_of="2003-06-30")) == 15  # the 1997 roster, not none
    with pytest.warns(UserWarning, match=r"no version in force on 2019-06-30.*yrd_full_2019: 2019-12"):
        assert len(yrdgeo.group_members("yrd_full", as_of="2019-06-30")) == 0
    assert len(yrdgeo.group_members("yrd_full", as_of="2019")) == 41  # a year alone is its 31 December (yrdgeo.dates)


def test_access_change_between_equal_or_reversed_dates_is_refused(capsys):
    from yrdgeo import accessibility, network
    from yrdgeo.cli import main

    net, cities = network.load_yrd_network(), yrdgeo.load_units("city")
    for before, after in (("2010", "2010"), ("2020-01-01", "2010-01-01")):
        with pytest.raises(ValueError, match="must come before the later one"):
            accessibility.compare_dates(net, cities, before, after)
    assert main(["access-change", "--before", "2010", "--after", "2010"]) == 2
    err = capsys.readouterr().err
    assert "yrdgeo: error:" in err and "must come before" in err and "Traceback" not in err


def test_corridor_and_enclave_csvs_saved_from_excel_in_gbk_are_read(tmp_path):
    from yrdgeo import corridors, enclaves

    members = pd.DataFrame({"wing": ["hub", "east", "east"], "order": [0, 1, 2], "unit_zh": ["上海", "苏州", "无锡"]})
    path = tmp_path / "members.csv"
    members.to_csv(path, index=False, encoding="gbk")
    c = corridors.read_corridor(path)
    assert c.adcodes == ["310100", "320500", "320200"]
    tt = pd.DataFrame({"from_adcode": ["310100"], "to_adcode": ["320500"], "minutes": [30.0], "备注": ["高铁"]})
    tt.to_csv(tmp_path / "tt.csv", index=False, encoding="gbk")
    assert enclaves.read_travel_time(tmp_path / "tt.csv").loc["310100", "320500"] == 30.0


def test_a_layer_in_baidu_bd09_is_recognised_and_the_conversion_named():
    import numpy as np

    from yrdgeo import crs

    lon, lat = np.linspace(115, 123, 50), np.linspace(27, 35, 50)
    back = crs.bd09_to_wgs84(*crs.wgs84_to_bd09(lon, lat))
    assert max(np.abs(back[0] - lon).max(), np.abs(back[1] - lat).max()) < 2e-6  # Baidu's inverse: ~0.1 m
    cities = yrdgeo.load_units("city")
    with pytest.warns(inputs.InputWarning, match=r"as Baidu BD-09 coordinates do.*bd09_to_wgs84_geometry"):
        inputs.check_layer(crs.wgs84_to_bd09_geometry(cities))
    fixed = crs.bd09_to_wgs84_geometry(crs.wgs84_to_bd09_geometry(cities))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # converted back, nothing to say
        inputs.check_layer(fixed)
