"""Names gate: former units name their successors and the year; malformed codes are refused, never truncated."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import yrdgeo
from yrdgeo import units
from yrdgeo.codes import CodeError
from yrdgeo.corridors import define_corridor
from yrdgeo.units import MalformedCodeError, RenamedUnitError

# Written out here, not read from renamed_units.csv, so that a wrong row in the data fails a test.
# old name, old adcode, {successor adcode: successor name}, year, change
FORMER = [
    ("崇川区", "320602", {"320613": "崇川区"}, 2020, "merged into"),
    ("港闸区", "320611", {"320613": "崇川区"}, 2020, "merged into"),
    ("海安县", "320621", {"320685": "海安市"}, 2018, "renamed"),
    ("海门市", "320684", {"320614": "海门区"}, 2020, "renamed"),
    ("下城区", "330103", {"330105": "拱墅区"}, 2021, "merged into"),
    ("江干区", "330104", {"330102": "上城区", "330114": "钱塘区"}, 2021, "split"),
    ("临安市", "330185", {"330112": "临安区"}, 2017, "renamed"),
    ("江东区", "330204", {"330212": "鄞州区"}, 2016, "merged into"),
    ("奉化市", "330283", {"330213": "奉化区"}, 2016, "renamed"),
    ("玉环县", "331021", {"331083": "玉环市"}, 2017, "renamed"),
    ("弋江区", "340203", {"340209": "弋江区"}, 2020, "merged into"),
    ("三山区", "340208", {"340209": "弋江区"}, 2020, "merged into"),
    ("芜湖县", "340221", {"340210": "湾沚区"}, 2020, "renamed"),
    ("繁昌县", "340222", {"340212": "繁昌区"}, 2020, "renamed"),
    ("无为县", "340225", {"340281": "无为市"}, 2019, "renamed"),
    ("潜山县", "340824", {"340882": "潜山市"}, 2018, "renamed"),
    ("广德县", "341822", {"341882": "广德市"}, 2019, "renamed"),
]
# Former names that are also today's names (the unit kept its name, took a new code): the name is today's unit.
KEPT_NAME = {"崇川区": "320613", "弋江区": "340209"}


def _check(err: RenamedUnitError, old_code: str, successors: dict, year: int, change: str) -> None:
    assert isinstance(err, yrdgeo.UnknownUnitError) and not isinstance(err, yrdgeo.OutOfRegionError)
    assert err.successors == list(successors) == err.candidates
    assert (err.year, err.change, err.old_adcode) == (year, change, old_code)
    msg = str(err)
    assert "outside the YRD" not in msg
    assert str(year) in msg and old_code in msg
    for code, name in successors.items():
        assert f"{name} (adcode {code})" in msg


@pytest.mark.parametrize("old_name,old_code,successors,year,change", FORMER, ids=[r[0] for r in FORMER])
def test_former_unit_by_code_names_successor_and_year(old_name, old_code, successors, year, change):
    for query in (old_code, int(old_code), f"{old_code}000000", int(f"{old_code}000000"), float(old_code)):
        with pytest.raises(RenamedUnitError) as err:
            yrdgeo.resolve(query)
        _check(err.value, old_code, successors, year, change)
        assert old_name in str(err.value)


@pytest.mark.parametrize("old_name,old_code,successors,year,change", FORMER, ids=[r[0] for r in FORMER])
def test_former_unit_by_name_names_successor_and_year(old_name, old_code, successors, year, change):
    if old_name in KEPT_NAME:
        assert yrdgeo.resolve(old_name) == KEPT_NAME[old_name]
        return
    for level in (None, "county"):
        with pytest.raises(RenamedUnitError) as err:
            yrdgeo.resolve(old_name, level=level)
        _check(err.value, old_code, successors, year, change)


@pytest.mark.parametrize("query,old_code", [
    ("Jianggan", "330104"), ("jiang gan", "330104"), ("Jianggan District", "330104"), ("江干", "330104"),
    ("Xiacheng", "330103"), ("Gangzha", "320611"), ("Sanshan", "340208"), ("Jiangdong District", "330204"),
    ("Haimen City", "320684"), ("Wuhu County", "340221"), ("Wuwei County", "340225"),
    ("杭州市江干区", "330104"), ("南通市海门市", "320684"), ("南通市港闸区", "320611"), ("芜湖市芜湖县", "340221"),
])
def test_former_unit_by_pinyin_english_short_or_with_city(query, old_code):
    with pytest.raises(RenamedUnitError) as err:
        yrdgeo.resolve(query)
    assert err.value.old_adcode == old_code


@pytest.mark.parametrize("query,code", [
    ("海门", "320614"), ("Haimen", "320614"), ("临安", "330112"), ("Lin'an", "330112"), ("芜湖", "340200"),
    ("Wuhu", "340200"), ("无为", "340281"), ("海安", "320685"), ("上城区", "330102"), ("拱墅区", "330105"),
    ("钱塘区", "330114"), ("320614", "320614"), ("南通市崇川区", "320613"),
])
def test_todays_names_of_the_same_places_still_resolve(query, code):
    assert yrdgeo.resolve(query) == code


def test_the_national_table_has_no_yrd_code_that_is_neither_current_nor_former():
    assert units._renamed_problems() == []
    china = units._china_names()
    yrd = set(china.adcode[china.adcode.str[:2].isin(["31", "32", "33", "34"])])
    gone = yrd - set(units.table().adcode)
    assert gone == {r[1] for r in FORMER} == set(units._renamed().old_adcode)
    assert len(gone) == 17


def test_every_former_row_has_a_source_and_cited_numbers_match_its_year():
    ren = units._renamed()
    assert ren.source.str.len().gt(20).all() and ren.evidence.str.len().gt(10).all()
    for row in ren.itertuples():
        for year in re.findall(r"〔(\d{4})〕\d+号", row.source):
            assert int(year) == row.year, (row.old_adcode, row.source)


def test_selection_and_corridors_pass_the_successor_on():
    with pytest.raises(RenamedUnitError, match="上城区"):
        yrdgeo.select_units(["杭州", "江干区"])
    with pytest.raises(ValueError, match=r"拱墅区 \(adcode 330105\)"):
        define_corridor({"west": ["下城区"]}, hub="上海")


def test_a_name_of_several_former_units_is_not_guessed():
    outside = units._china_names().query("adcode == '110000'")
    err = units._several_places("X", ["330104", "330204"], outside)
    assert type(err) is yrdgeo.UnknownUnitError
    msg = str(err)
    assert "may name 3 places" in msg and "上城区 (adcode 330102)" in msg and "鄞州区 (adcode 330212)" in msg
    assert "北京市 (110000)" in msg
    assert err.candidates == ["330102", "330114", "330212", "110000"]


@pytest.mark.parametrize("query,words", [
    ("3205001", "7 digits"),
    ("320583101", "township"),
    (320583101, "township"),
    (320583101000, "township"),
    ("320583101000", "township"),
    ("320583101001", "village"),
    ("32058", "5 digits"),
    (3205830, "7 digits"),
    ("320583.5", "not an administrative code"),
    (320583.5, "not a whole number"),
    ("-320583", "not an administrative code"),
    ("12,5", "not an administrative code"),
    (True, "not an administrative code"),
    (float("nan"), "missing"),
])
def test_malformed_codes_are_refused_not_truncated(query, words):
    with pytest.raises(MalformedCodeError, match=words) as err:
        yrdgeo.resolve(query)
    # One error for both kinds of caller: unit lookups and code validation.
    assert isinstance(err.value, yrdgeo.UnitError) and isinstance(err.value, CodeError)
    assert err.value.query is query and err.value.candidates == []
    with pytest.raises(MalformedCodeError):
        yrdgeo.select_units([query])


@pytest.mark.parametrize("query", ["320583", 320583, "320583000000", 320583000000, 320583.0, "３２０５８３",
                                   " 320583 ", "\ufeff320583", "320583.0"])
def test_well_formed_codes_still_resolve(query):
    assert yrdgeo.resolve(query) == "320583"


def test_unknown_yrd_code_is_not_called_outside_or_former():
    with pytest.raises(yrdgeo.UnknownUnitError) as err:
        yrdgeo.resolve("320599")
    assert type(err.value) is yrdgeo.UnknownUnitError
    assert "unknown YRD unit adcode" in str(err.value)


@pytest.mark.slow  # a subprocess importing yrdgeo's CLI
@pytest.mark.parametrize("args,words", [
    (["resolve", "江干区"], "上城区 (adcode 330102)"),
    (["resolve", "330185"], "临安区 (adcode 330112)"),
    (["resolve", "320583101"], "township"),
    (["resolve", "3205001"], "7 digits"),
])
def test_cli_says_why_and_exits_2(args, words):
    proc = subprocess.run([sys.executable, "-m", "yrdgeo", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("yrdgeo: error: ") and words in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


@pytest.mark.slow  # a subprocess importing yrdgeo's CLI
def test_units_export_refuses_a_malformed_province_code_before_writing(tmp_path):
    out = tmp_path / "u.csv"
    proc = subprocess.run([sys.executable, "-m", "yrdgeo", "units", "--province", "3205001", "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "7 digits" in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_renamed_table_is_plain_text_with_one_row_per_former_code():
    raw = pd.read_csv(str(units.data_path("boundaries", "renamed_units.csv")), dtype=str)
    assert list(raw.columns[:8]) == ["old_adcode", "old_name", "old_short", "old_pinyin", "new_adcodes",
                                     "new_names", "change", "year"]
    assert raw.old_adcode.is_unique and raw.notna().all().all()


def test_check_tool_reports_the_table_complete():
    tool = Path(__file__).resolve().parents[1] / "tools" / "check_renamed_units.py"
    proc = subprocess.run([sys.executable, str(tool)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "17 former units, complete and consistent" in proc.stdout
