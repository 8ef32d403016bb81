"""Facts checked against the source papers: one test per fact that had drifted (issue 13).

Each test quotes what the paper says; the papers themselves are not part of the project, so the
tests hold the bundled tables and the functions to those quotes.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import yrdgeo
from yrdgeo import corridors, enclaves, indicators, regions
from yrdgeo.units import data_path


def _groups() -> pd.DataFrame:
    return pd.read_csv(str(data_path("reference", "region_groups.csv")), dtype=str,
                       keep_default_na=False).set_index("group_id")


def test_g60_dates_the_papers_do_not_give_name_their_outside_source():
    # 吴福象、张雯: "从最初的上海松江区 1.0 版本，到后来的沪嘉杭联动 2.0 版本，再到如今的沪苏浙皖九地融合 3.0 版本"
    # (no dates); 《…治理新模式的复合动力与机制创新》: "2017 年 7 月，嘉兴与松江、杭州共同签署《沪嘉杭 G60 科创走廊建设战略合作协议》"
    g = _groups()
    for gid, since in (("g60_v1", "2016-05-24"), ("g60_v3", "2018-06-01")):
        assert g.loc[gid, "since"] == since
        assert g.loc[gid, "date_source"].startswith("not in the papers") and "Songjiang" in g.loc[gid, "date_source"]
    assert g.loc["g60_v2", "since"] == "2017-07" and g.loc["g60_v2", "date_source"] == ""
    assert "governance" in g.loc["g60_v2", "sources"].split(";")
    # the papers give the outline's year, not its month
    assert "month is from the public record" in g.loc["yrd_full_2019", "date_source"]
    versions = pd.read_csv(str(data_path("corridors", "versions.csv")), dtype=str, keep_default_na=False)
    by_version = versions.set_index("version")
    assert list(by_version.since) == [g.loc[f"g60_v{k}", "since"] for k in (1, 2, 3)]
    assert by_version.loc["1.0", "date_source"].startswith("not in the papers")
    assert by_version.loc["3.0", "date_source"].startswith("not in the papers")
    source = corridors.load_corridor("g60").source
    assert "1.0: not in the papers" in source and "3.0: not in the papers" in source


def test_shaoxing_joined_the_shanghai_economic_zone_later_not_in_1982():
    # 《…治理新模式的复合动力与机制创新》: "包括苏州、无锡、常州、南通和杭州、嘉兴、湖州、宁波( 后来又增加绍兴) 等城市"
    with pytest.warns(regions.RosterWarning, match="绍兴 joined after 1982-12-22 on a date the sources do not give"):
        founders = yrdgeo.group_members("shanghai_economic_zone", as_of=1983)
    assert len(founders) == 9 and "330600" not in set(founders.adcode)
    assert (founders.joined == "1982-12-22").all()
    whole = yrdgeo.group_members("shanghai_economic_zone").set_index("adcode")
    assert whole.loc["330600", "joined"] == regions.JOINED_LATER
    table = yrdgeo.membership_table(["shanghai_economic_zone"]).set_index("adcode")
    assert not table.loc["330600", "shanghai_economic_zone"] and table.loc["330600", "shanghai_economic_zone_later"]
    assert "后来又增加" in table.loc["330600", "notes"]
    assert table.shanghai_economic_zone.sum() == 9
    history = yrdgeo.unit_history("绍兴").set_index("group_id")
    assert history.loc["shanghai_economic_zone", "since"] == ""
    assert history.loc["shanghai_economic_zone", "joined"] == regions.JOINED_LATER


def test_a_date_after_the_last_known_roster_warns():
    # the governance paper's last roster: "2013 年 4 月 13 日 … 会员城市扩容至 30 个"; later rosters are not in the sources
    for group in ("yrd_city_econ_council", "yrd_city_econ_council_2013"):
        with pytest.warns(regions.RosterWarning,
                          match=r"'yrd_city_econ_council_2013' .*since 2013-04-13.* later rosters are not in the sources"):
            assert len(yrdgeo.group_members(group, as_of="2020")) == 30
    with warnings.catch_warnings():
        warnings.simplefilter("error", regions.RosterWarning)  # a superseded roster in its own time: nothing to say
        assert len(yrdgeo.group_members("yrd_city_econ_council", as_of="2011")) == 22


def test_wanbei_transfer_zone_holds_only_the_development_zones_of_chuzhou_and_luan():
    # 林玉妹、林善浪: "选定皖北 6 市、滁州和六安开发区（园区）、其他符合条件的园区作为承接产业转移的主要平台"
    m = yrdgeo.group_members("wanbei_transfer_zone").set_index("short_zh").membership
    assert m["滁州"] == m["六安"] == "part: 开发区（园区）"
    assert (m.drop(["滁州", "六安"]) == "whole").all() and len(m) == 8
    cities = yrdgeo.group_members("wanbei_transfer_zone", level="city").set_index("short_zh").membership
    assert cities["滁州"] == "part: 开发区（园区）" and cities["宿州"] == "whole"
    counties = yrdgeo.group_members("wanbei_transfer_zone", level="county")
    in_chuzhou = counties[counties.parent_adcode == "341100"]
    assert len(in_chuzhou) and (in_chuzhou.membership == "part: 开发区（园区）").all()
    assert "开发区" in _groups().loc["wanbei_transfer_zone", "note"]


def test_the_su_zhe_wan_border_zone_is_among_the_border_zones():
    # 林玉妹、林善浪: "设立顶山—汊河、浦口—南谯、江宁—博望和苏、浙、皖交界地区的长三角产业合作发展区"
    # (with 虹桥—昆山—相城、嘉定—昆山—太仓、南通沪苏跨江融合试验区 as platforms docking Shanghai): seven zones
    bz = pd.read_csv(str(data_path("reference", "border_cooperation_zones.csv")), dtype=str, keep_default_na=False)
    assert len(bz) == 7
    zone = bz.set_index("name_zh").loc["苏、浙、皖交界地区长三角产业合作发展区"]
    assert zone.unit_a_adcode == "320000" and zone.unit_b_adcode == "330000;340000"  # the paper names no county
    assert zone.membership.startswith("part: 苏、浙、皖交界地区") and zone.sources == "lin-lin"
    links = enclaves.load_enclave_pairs()
    links = links[links.name_zh == "苏、浙、皖交界地区长三角产业合作发展区"]
    assert len(links) == 2 and (links.kind == "cooperation_zone").all()
    assert links.membership.str.startswith("part:").all()
    assert set(links.fly_in_adcode) == {"330000", "340000"}


def test_distance_rings_are_not_the_metropolitan_papers_layers():
    # 《基于国际经验的我国都市圈产业合作研究》: "圈内核心层上海 … 中间层的区域以高新技术产业为主；
    # 边缘层的绍兴、南通、嘉兴、镇江等区域以加工产业、劳动密集型产业为主"
    res = indicators.core_periphery_rings(yrdgeo.load_units("city"), "上海", breaks=(100, 200, 300))
    f = res.frame.set_index("short_zh")
    assert not set(res.labels) & set(indicators.PAPER_LAYERS)  # the bands have their own names
    for city in ("嘉兴", "南通"):  # within 100 km of Shanghai, yet the paper's 边缘层
        assert f.loc[city, "ring"] == 1 and f.loc[city, "ring_label"] == "内圈"
        assert f.loc[city, "paper_layer"] == "边缘层"
    assert f.loc["上海", "paper_layer"] == "核心层" and f.loc["苏州", "paper_layer"] is None
    layers = indicators.paper_layers()
    assert dict(layers.groupby("layer").name_zh.apply(set)) == {"核心层": {"上海市"},
                                                               "边缘层": {"绍兴市", "南通市", "嘉兴市", "镇江市"}}
    assert (layers.sources == "metro-cooperation").all()
