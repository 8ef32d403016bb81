"""Region groups from the reference table, membership over time."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import yrdgeo
from yrdgeo import regions


def test_groups_cite_their_papers():
    g = yrdgeo.list_groups()
    assert len(g) == len(pd.read_csv(yrdgeo.units.data_path("reference", "region_groups.csv")))
    assert g.sources.str.len().gt(0).all()
    for keys in g.sources:  # every key is in the citation table
        assert yrdgeo.sources.cite_all(keys)
    assert yrdgeo.group_members("g60_v2").sources.iloc[0] == "wu-zhang;governance"
    assert "sources" in yrdgeo.unit_history("松江区").columns
    assert g.set_index("group_id").loc["yrd_full_2019", "n_members"] == 41


def test_members_of_group():
    m = yrdgeo.group_members("yrd_regional_plan_2010")
    assert len(m) == 16
    assert "321200" in set(m.adcode) and "331000" in set(m.adcode)  # both Taizhous
    assert (m.group_id == "yrd_regional_plan_2010").all()


def test_council_membership_grows_over_time():
    sizes = [len(yrdgeo.group_members("yrd_city_econ_council", as_of=d)) for d in ("1999", "2005", "2011", "2015")]
    assert sizes == [15, 16, 22, 30]
    assert len(yrdgeo.group_members("yrd_city_econ_council", as_of="1990")) == 0


def test_g60_versions_by_date():
    # 1.0 dates from 2016-05-24 and 3.0 from 2018-06-01: the public record, not the papers (date_source says so)
    with pytest.warns(UserWarning, match="no version in force on 2016-05-23"):
        assert len(yrdgeo.group_members("g60", as_of="2016-05-23")) == 0
    v1 = yrdgeo.group_members("g60", as_of="2016-06-01")
    v2 = yrdgeo.group_members("g60", as_of="2017-12-31")
    with pytest.warns(regions.RosterWarning, match="g60_v3.*later rosters are not in the sources"):
        v3 = yrdgeo.group_members("g60", as_of="2019-01-01")
    assert list(v1.adcode) == ["310117"]
    assert set(v2.adcode) == {"310117", "330400", "330100"}
    assert len(v3) == 9 and "county" in set(v3.level) and "city" in set(v3.level)


def test_group_out_of_force_is_empty():
    assert len(yrdgeo.group_members("shanghai_economic_zone", as_of="1990-01-01")) == 0
    # the nine founders; 绍兴 was added later on a date the paper does not give (tests/test_facts.py)
    with pytest.warns(regions.RosterWarning, match="绍兴 joined after 1982-12-22"):
        assert len(yrdgeo.group_members("shanghai_economic_zone", as_of="1985-01-01")) == 9
    assert len(yrdgeo.group_members("shanghai_economic_zone")) == 10


def test_unit_history_direct_and_via_city():
    h = yrdgeo.unit_history("松江区")
    assert {"g60_v1", "g60_v2", "g60_v3"} <= set(h.group_id)
    assert (h.set_index("group_id").loc["g60_v1", "via"]) == "direct"
    assert (h.set_index("group_id").loc["shanghai_economic_zone", "via"]) == "310100"
    assert list(h.group_id)[0] == "shanghai_economic_zone"  # sorted by date
    assert "hefei_metro_2016" in set(yrdgeo.unit_history("合肥").group_id)


def test_membership_table_for_mapping_change():
    t = yrdgeo.membership_table(["yrd_regional_plan_2010", "yrd_city_cluster_2016", "yrd_full_2019"])
    assert len(t) == 41
    assert t.yrd_regional_plan_2010.sum() == 16
    assert t.yrd_city_cluster_2016.sum() == 26
    assert t.yrd_full_2019.all()


def test_bad_group_and_date():
    with pytest.raises(ValueError, match="unknown region group"):
        yrdgeo.group_members("pearl_river")
    with pytest.raises(ValueError, match="series"):
        yrdgeo.group_members("g60")
    with pytest.raises(ValueError, match="expected a date"):
        yrdgeo.group_members("g60", as_of="")
    with pytest.raises(ValueError):
        regions.as_date("2019-13-01")


def test_dates_follow_the_one_rule():
    # regions.parse_date / as_date stay as names of yrdgeo.dates.parse / as_date: a year is its 31 December
    assert regions.parse_date("2019") == yrdgeo.dates.parse("2019") == date(2019, 12, 31)
    assert regions.parse_date("2003-08") == date(2003, 8, 31)
    assert regions.parse_date("") is None
    assert regions.as_date("2017-07") == date(2017, 7, 31)
    # a roster "until 2003-08" and its successor "since 2003-08" meet without a gap or an overlap
    assert len(yrdgeo.group_members("yrd_city_econ_council", as_of="2003-08-30")) == 15
    assert len(yrdgeo.group_members("yrd_city_econ_council", as_of="2003-08-31")) == 16


def test_group_at_a_level_marks_whole_and_part():
    cities = yrdgeo.group_members("g60", as_of="2019-01-01", level="city")
    assert len(cities) == 9 and (cities.level == "city").all()
    by = dict(zip(cities.name_zh, cities.membership))
    assert by["上海市"] == "part"  # only Songjiang district is a member
    assert by["合肥市"] == "whole"
    counties = yrdgeo.group_members("g60", as_of="2019-01-01", level="county")
    assert (counties.membership == "whole").all()
    assert "310117" in set(counties.adcode) and "310101" not in set(counties.adcode)  # Songjiang yes, Huangpu no
    hefei_counties = yrdgeo.load_units("county").query("parent_adcode == '340100'")
    assert set(hefei_counties.adcode) <= set(counties.adcode)
    assert len(yrdgeo.group_members("yrd_full_2019", level="county")) == 305


def test_group_level_is_checked_and_empty_keeps_columns():
    with pytest.raises(ValueError, match="level must be one of .province., .city., .county. or None; got .town."):
        yrdgeo.group_members("g60_v3", level="town")
    empty = yrdgeo.group_members("g60", as_of="2015", level="city")
    assert len(empty) == 0 and "membership" in empty.columns
