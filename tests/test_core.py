"""The public core: unit table access, dates, geodesic helpers, the OD format, citations, JSON values, blank cells."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from yrdgeo import crs, dates, od, sources, units
from yrdgeo.inputs import InputError, is_blank
from yrdgeo.io import jsonable


# --------------------------------------------------------------------------- units


def test_table_is_shared_and_by_code_indexes_it():
    t = units.table()
    assert t is units.table()  # read once
    assert len(t) == 4 + 41 + 305
    b = units.by_code()
    assert b.loc["320500", "name_zh"] == "苏州市"
    assert b.loc["320500", "adcode"] == "320500"  # the code stays a column too


def test_anchors_are_seats_and_unknown_codes_are_named():
    xy = units.anchors(["310100", "320500"])
    assert xy.shape == (2, 2)
    row = units.by_code().loc["320500"]
    assert xy[1].tolist() == [row.anchor_lon, row.anchor_lat]
    with pytest.raises(units.UnknownUnitError, match="999999"):
        units.anchors(["310100", "999999"])


def test_describe_names_unit_level_and_province():
    assert units.describe("320583") == "昆山市 (Kunshan City, county, 江苏省苏州市, adcode 320583)"
    assert "province" in units.describe("320000")


def test_name_and_code_must_agree():
    assert units.check_name_matches_code("苏州", "320500") == "320500"
    assert units.check_name_matches_code("Kunshan", 320583) == "320583"
    with pytest.raises(units.NameCodeMismatchError, match="苏州市.*无锡市|无锡市.*苏州市") as info:
        units.check_name_matches_code("苏州", "320200", what="row 3")
    assert str(info.value).startswith("row 3:")
    with pytest.raises(units.UnitError):
        units.check_name_matches_code("苏州", "3205001")  # malformed code: never cut to six digits


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("text", "expected"), [
    ("2019", dt.date(2019, 12, 31)),
    ("2019-12", dt.date(2019, 12, 31)),
    ("2003-08", dt.date(2003, 8, 31)),
    ("2020-2", dt.date(2020, 2, 29)),   # leap year: the period's true last day
    ("2019-02", dt.date(2019, 2, 28)),
    ("2019-12-01", dt.date(2019, 12, 1)),
    ("2019/12/01", dt.date(2019, 12, 1)),
    (" 2017-07 ", dt.date(2017, 7, 31)),
    (dt.date(2016, 6, 1), dt.date(2016, 6, 1)),
    (pd.Timestamp("2016-06-01 08:00"), dt.date(2016, 6, 1)),
])
def test_partial_dates_are_the_last_day_of_their_period(text, expected):
    assert dates.parse(text) == expected
    assert dates.as_date(text) == expected
    assert dates.as_timestamp(text) == pd.Timestamp(expected)


@pytest.mark.parametrize("blank", [None, "", "  ", float("nan"), pd.NaT, "nan"])
def test_blank_dates(blank):
    assert dates.parse(blank) is None
    assert dates.as_timestamp(blank) is pd.NaT
    with pytest.raises(dates.DateError, match="expected a date like"):
        dates.as_date(blank, what="as_of")


@pytest.mark.parametrize("bad", ["2019-13", "2019-02-30", "19", "next year", "2019-12-01-05"])
def test_bad_dates_name_the_value_and_the_forms(bad):
    with pytest.raises(dates.DateError) as info:
        dates.parse(bad, what="opening date")
    msg = str(info.value)
    assert msg.startswith("opening date:") and repr(bad) in msg and "'2019-12'" in msg


def test_a_successor_starts_where_its_predecessor_ends():
    # "until 2003-08" and "since 2003-08" meet: in force means since <= day < until
    until = dates.as_date("2003-08")
    since = dates.as_date("2003-08")
    day = dates.as_date("2003")
    assert not (day < until) and since <= day


# --------------------------------------------------------------------------- crs


def test_geodesic_cumulative_and_line():
    pts = [[121.47, 31.23], [120.16, 30.27], [119.65, 29.08]]
    cum = crs.geodesic_cumulative_km(pts)
    assert cum[0] == 0 and np.all(np.diff(cum) > 0)
    assert cum[1] == pytest.approx(float(crs.geodesic_distance_km(121.47, 31.23, 120.16, 30.27)))
    assert crs.geodesic_cumulative_km([[121, 31]]).tolist() == [0.0]
    line = crs.geodesic_line(121.47, 31.23, 118.80, 32.06, step_km=5)
    coords = np.asarray(line.coords)
    assert coords[0].tolist() == [121.47, 31.23] and coords[-1].tolist() == [118.80, 32.06]
    # the vertices lie on the geodesic: the polyline is as long as the geodesic, to within metres
    assert crs.geodesic_cumulative_km(coords)[-1] == pytest.approx(
        float(crs.geodesic_distance_km(121.47, 31.23, 118.80, 32.06)), abs=0.01)
    steps = np.diff(crs.geodesic_cumulative_km(coords))
    assert steps.max() <= 5.0 + 1e-6


# --------------------------------------------------------------------------- od


def test_od_long_and_wide_round_trip(tmp_path):
    wide = pd.DataFrame([[0.0, 30.5, np.nan], [31.0, 0.0, 55.0]], index=["310100", "320500"],
                        columns=["310100", "320500", "330100"])
    reasons = pd.DataFrame({"origin": ["310100"], "destination": ["330100"], "reason": ["no path"]})
    long = od.to_long(wide, unreachable=reasons)
    assert list(long.columns) == ["from_adcode", "to_adcode", "minutes", "status"]
    assert len(long) == 6
    assert long.set_index(["from_adcode", "to_adcode"]).loc[("310100", "330100"), "status"] == "no path"
    assert set(long.status) == {"ok", "no path"}
    back = od.to_wide(long)
    pd.testing.assert_frame_equal(back.loc[wide.index, wide.columns], wide, check_names=False)
    # on disk, GBK from Excel as well as UTF-8, codes stay text
    path = tmp_path / "tt.csv"
    long.to_csv(path, index=False, encoding="gbk")
    pd.testing.assert_frame_equal(od.read(path).loc[wide.index, wide.columns], wide, check_names=False)


def test_od_square_csv_and_refusals(tmp_path):
    sq = tmp_path / "sq.csv"
    sq.write_text("origin,310100,320500\n310100,0,30\n320500,31,\n", encoding="utf-8")
    m = od.read(sq)
    assert m.loc["310100", "320500"] == 30.0 and np.isnan(m.loc["320500", "320500"])
    bad = tmp_path / "bad.csv"
    bad.write_text("origin,310100\n310100,half an hour\n", encoding="utf-8")
    with pytest.raises(InputError, match="'half an hour'.*not a number"):
        od.read(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("from_adcode,to_adcode,minutes\n310100,320500,30\n310100,320500,31\n", encoding="utf-8")
    with pytest.raises(InputError, match="twice.*310100→320500"):
        od.read(twice)
    with pytest.raises(InputError, match="expected columns from_adcode, to_adcode and minutes"):
        od.to_wide(pd.DataFrame({"a": [1]}))


# --------------------------------------------------------------------------- sources


def test_sources_cite_by_authors_and_title_never_by_number():
    t = sources.table()
    assert list(t.key) == ["wu-zhang", "lin-lin", "zhang-yajun", "governance", "metro-cooperation"]
    assert sources.cite("wu-zhang") == "吴福象、张雯《长三角区域产城人融合发展路径研究》"
    assert sources.cite("metro-cooperation") == "《基于国际经验的我国都市圈产业合作研究》"  # authors not printed
    assert "；" in sources.cite_all("wu-zhang;lin-lin")
    # journals and years are not printed in the texts: the table says so, it does not guess
    assert t.journal.str.startswith("not printed").all()
    with pytest.raises(sources.SourceError, match="'000'.*wu-zhang"):
        sources.cite("000")


# --------------------------------------------------------------------------- io / inputs


def test_jsonable_and_is_blank():
    out = jsonable({"a": np.int64(3), 2: [np.float32(1.234567), float("nan"), np.bool_(True)], "d": dt.date(2019, 1, 1)},
                   digits=3)
    assert out == {"a": 3, "2": [1.235, None, True], "d": "2019-01-01"}
    json.dumps(out)  # plain JSON
    assert jsonable(np.float64(np.inf)) is None
    for v in (None, "", "  ", float("nan"), pd.NA, pd.NaT, "NaN"):
        assert is_blank(v)
    for v in (0, "0", "x", 0.0):
        assert not is_blank(v)


# --------------------------------------------------------------------------- checks


def test_option_checks_name_the_option_the_value_and_what_was_expected():
    from yrdgeo.checks import check_choice, check_choices, check_integer, check_number

    assert check_choice("method", "queen", ("queen", "rook")) == "queen"
    assert check_choice("level", None, ("city",), allow_none=True) is None
    with pytest.raises(ValueError, match=r"^method must be one of 'queen', 'rook'; got 'Queen'$"):
        check_choice("method", "Queen", ("queen", "rook"))
    with pytest.raises(ValueError, match="missing must be one of"):
        check_choices(("method", "queen", ("queen",)), ("missing", "drop it", ("error", "drop")))
    assert check_number("cutoff_min", 30) == 30.0
    assert check_number("cutoff_min", None, allow_none=True) is None
    assert check_number("width_km", 0, inclusive=True) == 0.0
    for bad in (0, -5, float("nan"), float("inf"), "30", True, None):
        with pytest.raises(ValueError, match=r"^cutoff_min must be a positive number \(minutes\), got "):
            check_number("cutoff_min", bad, unit="minutes")
    with pytest.raises(ValueError, match=r"^alpha must be a finite number > 0 and <= 1, got 2"):
        check_number("alpha", 2, maximum=1)
    assert check_integer("k_nearest", np.int64(3)) == 3
    for bad in (0, 1.5, True, "2"):
        with pytest.raises(ValueError, match="k_nearest must be a whole number >= 1"):
            check_integer("k_nearest", bad)


def test_ancestor_walks_up_to_the_city_or_province():
    assert units.ancestor("310117", "city") == "310100"  # Songjiang district → Shanghai's municipal level
    assert units.ancestor("310117", "province") == "310000"
    assert units.ancestor(310100, "province") == "310000"
    assert units.ancestor("320583", "city") == "320500"  # Kunshan → Suzhou
    assert units.ancestor("320583", "county") == "320583"  # at its own level: itself
    assert units.ancestor("320000", "province") == "320000"
    with pytest.raises(units.UnitError, match=r"苏州市.*lies in no county; ask for its own level \(city\)"):
        units.ancestor("320500", "county")
    with pytest.raises(units.UnknownUnitError, match="'999999' is not a bundled YRD adcode"):
        units.ancestor("999999", "city")
    with pytest.raises(ValueError, match="level must be one of 'province', 'city', 'county'; got 'town'"):
        units.ancestor("320583", "town")


def test_indicators_by_code_reads_a_table_keyed_by_column_or_index():
    from yrdgeo.inputs import indicators_by_code

    frame = pd.DataFrame({"adcode": ["310117", "320500"], "gdp": ["1200", "2400"], "note": ["a", "b"]})
    with pytest.warns(UserWarning, match="column 'note'.*not an indicator"):
        got = indicators_by_code(frame)  # a district beside a city: any level
    assert list(got.index) == ["310117", "320500"] and list(got.columns) == ["gdp"]
    assert got.gdp.tolist() == [1200.0, 2400.0]
    assert indicators_by_code(frame.drop(columns="note").set_index("adcode"), columns=["gdp", "gdp"]).equals(got)
    with pytest.raises(InputError, match="appears in several rows"):
        indicators_by_code(pd.DataFrame({"adcode": ["320500", "320500"], "gdp": [1, 2]}))
