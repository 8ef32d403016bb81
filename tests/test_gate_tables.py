"""Bad-input corpus for the table gate (:func:`yrdgeo.inputs.read_table`, :func:`~yrdgeo.inputs.join_table`,
:func:`~yrdgeo.inputs.parse_number`). Every input is generated here, in ``tmp_path``; nothing is mocked."""

from __future__ import annotations

import math
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yrdgeo
from yrdgeo.inputs import (
    InputError,
    InputWarning,
    NumberError,
    _MISSING_MARKS,
    join_table,
    parse_number,
    read_table,
)

pytestmark = pytest.mark.filterwarnings("ignore::yrdgeo.inputs.InputWarning")

# Three cities, with yearbook-style numbers in 'gdp' (a quoted thousands separator, full-width digits, a
# full-width per cent value, a no-data dash).
TABLE = 'adcode,name_zh,gdp\n320500,苏州市,"25,726"\n320100,南京市,１７４２１\n320200,无锡市,６.５%\n310100,上海市,—\n'


def write(tmp_path, name: str, content: str | bytes, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def gdp(table) -> dict[str, float]:
    return dict(zip(table.data.adcode, table.data.gdp))


def where(table, kind: str) -> list[str]:
    return [str(i) for i in table.report.of_kind(kind)]


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "name", "detected"),
    [("utf-8", "t.csv", "utf-8"), ("utf-8-sig", "t.csv", "utf-8-sig"), ("gbk", "t.csv", "gb18030"),
     ("gb18030", "t.csv", "gb18030")],
)
def test_csv_encodings_are_detected(tmp_path, encoding, name, detected):
    table = read_table(write(tmp_path, name, TABLE, encoding))
    assert table.encoding == detected
    assert table.indicators == ["gdp"]
    assert list(table.data.name_zh) == ["苏州市", "南京市", "无锡市", "上海市"]
    values = gdp(table)
    assert values["320500"] == 25726 and values["320100"] == 17421 and values["320200"] == 6.5
    assert math.isnan(values["310100"])


def test_excel_unicode_text_utf16_tab_separated(tmp_path):
    # Excel's "Unicode text" export: UTF-16 LE with a byte-order mark, tab-separated, .txt.
    text = TABLE.replace(',"25,726"', ",25726").replace(",", "\t")
    table = read_table(write(tmp_path, "excel.txt", text, "utf-16"))
    assert table.encoding == "utf-16"
    assert list(table.data.name_zh) == ["苏州市", "南京市", "无锡市", "上海市"]
    assert gdp(table)["320500"] == 25726


def test_utf16_without_bom_is_detected(tmp_path):
    table = read_table(write(tmp_path, "t.csv", TABLE, "utf-16-le"))
    assert table.encoding == "utf-16-le"
    assert list(table.data.name_zh)[:2] == ["苏州市", "南京市"]


@pytest.mark.parametrize(("written", "forced"), [("gbk", "gbk"), ("gb18030", "GB18030"), ("utf-16", "utf-16"),
                                                 ("utf-8", "utf-8")])
def test_forced_right_encoding_reads(tmp_path, written, forced):
    table = read_table(write(tmp_path, "t.csv", TABLE, written), encoding=forced)
    assert table.encoding == forced
    assert list(table.data.name_zh)[0] == "苏州市"


def test_forced_utf8_on_gbk_file_names_the_encoding(tmp_path):
    with pytest.raises(InputError, match=r"t\.csv is not valid utf-8: byte .* at offset"):
        read_table(write(tmp_path, "t.csv", TABLE, "gbk"), encoding="utf-8")


def test_gbk_file_forced_as_latin1_is_refused_not_mojibake(tmp_path):
    # latin-1 decodes any bytes: 备注 would silently become '±¸×¢'. The gate refuses and shows both readings.
    path = write(tmp_path, "t.csv", "adcode,备注,gdp\n320500,苏州市,1\n320100,南京市,2\n", "gbk")
    assert path.read_bytes().decode("latin-1")  # the trap: no decoding error
    with pytest.raises(InputError, match=r"read as latin-1 gives 'adcode,±¸×¢,gdp', with no Chinese, where GB18030/GBK "
                                         r"gives 'adcode,备注,gdp'") as exc:
        read_table(path, encoding="latin-1")
    assert "t.csv" in str(exc.value)


def test_utf8_file_forced_as_gbk_that_decodes_is_refused(tmp_path):
    # 浦东新区 and 丰县 in UTF-8 happen to be valid GBK bytes ('娴︿笢鏂板尯'): silent mojibake without the check.
    data = "adcode,name_zh,gdp\n310115,浦东新区,1\n320321,丰县,2\n".encode("utf-8")
    assert "娴︿笢鏂板尯" in data.decode("gbk")  # the trap: no decoding error
    with pytest.raises(InputError, match=r"is valid UTF-8, but read as gbk it would give '.*娴︿笢鏂板尯.*' where UTF-8 "
                                         r"gives '.*浦东新区"):
        read_table(write(tmp_path, "t.csv", data), encoding="gbk")


def test_utf16_file_forced_as_latin1_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"holds zero characters: it looks like UTF-16"):
        read_table(write(tmp_path, "t.csv", TABLE, "utf-16"), encoding="latin-1")


def test_ascii_file_forced_as_latin1_is_fine(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "adcode,gdp\n320500,1\n320100,2\n"), encoding="latin-1")
    assert gdp(table) == {"320500": 1.0, "320100": 2.0}


def test_unknown_encoding_is_named(tmp_path):
    with pytest.raises(InputError, match=r"unknown encoding 'klingon'"):
        read_table(write(tmp_path, "t.csv", TABLE), encoding="klingon")


# ----------------------------------------------------------------------------- Excel and vector tables


def test_xlsx_numbers_percent_cells_and_yearbook_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["adcode", "gdp", "rate", "pop"])
    ws.append([320100, 17421.5, 0.065, "25,726"])
    ws.append([])  # a blank sheet row: rows below keep their real sheet row numbers
    ws.append([320200, 15000, 0.07, "２５７２６"])
    ws.append([320500, 24000, 0.05, "—"])
    for row in (2, 4, 5):
        ws.cell(row, 3).number_format = "0.0%"
    wb.save(tmp_path / "w.xlsx")
    table = read_table(tmp_path / "w.xlsx")
    assert table.indicators == ["gdp", "rate", "pop"]
    d = table.data.set_index("adcode")
    assert d.gdp.tolist() == [17421.5, 15000.0, 24000.0]
    # Excel stores 6.5% as 0.065; the gate reads what the cell shows, as a CSV saved from the sheet would say.
    assert d.rate.tolist() == [6.5, 7.0, 5.0]
    assert any("Excel per-cent" in s for s in where(table, "coerced"))
    assert d["pop"].iloc[0] == 25726 and d["pop"].iloc[1] == 25726 and math.isnan(d["pop"].iloc[2])
    coerced = where(table, "coerced")
    assert any("row 2 (sheet row 4), column 'pop': '２５７２６' read as 25726" in s for s in coerced)
    assert any("row 3 (sheet row 5), column 'pop': '—'" in s for s in coerced)


def test_xlsx_formulas_without_saved_results_are_not_empty_cells(tmp_path):
    # openpyxl (like pandas) saves formulas without their results: read as values they would be empty.
    wb = openpyxl.Workbook()
    wb.active.append(["adcode", "gdp", "twice"])
    wb.active.append([320100, 1, "=B2*2"])
    wb.active.append([320500, 2, "=B3*2"])
    wb.save(tmp_path / "f.xlsx")
    table = read_table(tmp_path / "f.xlsx")
    assert table.indicators == ["gdp"] and table.text_columns == ["twice"]
    assert any("'=B2*2'" in s and "never saved" in s for s in where(table, "column"))
    with pytest.raises(InputError, match=r"column 'twice' holds no numbers \(e.g. '=B2\*2'\) — Excel formulas"):
        read_table(tmp_path / "f.xlsx", columns=["twice"])


def test_xlsx_missing_sheet_is_named(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "2023"
    wb.active.append(["adcode", "gdp"])
    wb.active.append([320100, 1])
    wb.save(tmp_path / "w.xlsx")
    with pytest.raises(InputError, match=r"w\.xlsx has no sheet '2022'; its sheets: \['2023'\]"):
        read_table(tmp_path / "w.xlsx", sheet="2022")


def test_csv_renamed_xlsx_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"cannot read attribute table .*w\.xlsx as an Excel workbook"):
        read_table(write(tmp_path, "w.xlsx", TABLE))


def test_geopackage_attribute_table(tmp_path):
    frame = pd.DataFrame({"adcode": ["320100", "320500"], "gdp": ["17,421", "25726"]})
    pyogrio.write_dataframe(frame, tmp_path / "stats.gpkg", layer="stats")  # a table without geometry
    table = read_table(tmp_path / "stats.gpkg")
    assert gdp(table) == {"320100": 17421.0, "320500": 25726.0}
    assert any("row 1 (feature 1), column 'gdp': '17,421' read as 17421" in s for s in where(table, "coerced"))


def test_multi_layer_geopackage_needs_a_layer(tmp_path):
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"adcode": ["320100"], "gdp": [1.0]}), path, layer="a")
    pyogrio.write_dataframe(pd.DataFrame({"adcode": ["320500"], "gdp": [2.0]}), path, layer="b")
    with pytest.raises(InputError, match=r"two\.gpkg holds 2 layers \(a, b\); name one"):
        read_table(path)
    with pytest.raises(InputError, match=r"two\.gpkg has no layer 'c'; its layers: a, b"):
        read_table(path, layer="c")
    assert gdp(read_table(path, layer="b")) == {"320500": 2.0}


# ----------------------------------------------------------------------------- yearbook numbers in a table

YEARBOOK = [  # (cell, expected value or None for NaN, word expected in the report or None for no entry)
    ('"25,726"', 25726.0, "thousands separators"),
    ('"1,234,567.8"', 1234567.8, "thousands separators"),
    ("２５７２６", 25726.0, "full-width"),
    ("６.５%", 6.5, "per cent"),
    ("—", None, "no-data mark"),
    ("…", None, "not-available"),
    ("-", None, "no-data mark"),
    ("x", None, "withheld"),
    ("", None, None),
    ("12a", None, "is not a number"),
    ("1.2万", None, "is not a number"),
    ('"1,5"', None, "is not a number"),
]
CITIES = ["320100", "320200", "320300", "320400", "320500", "320600", "320700", "320800", "320900", "321000",
          "321100", "321200"]


def test_yearbook_cells_are_each_reported_with_row_and_column(tmp_path):
    lines = ["adcode,v,w"] + [f"{code},{cell},{i}.5" for i, (code, (cell, _, _)) in enumerate(zip(CITIES, YEARBOOK))]
    table = read_table(write(tmp_path, "yb.csv", "\n".join(lines) + "\n"))
    assert table.indicators == ["v", "w"]
    got = dict(zip(table.data.adcode, table.data.v))
    issues = [str(i) for i in table.report.issues]
    for i, (code, (cell, value, word)) in enumerate(zip(CITIES, YEARBOOK)):
        if value is None:
            assert math.isnan(got[code]), cell
        else:
            assert got[code] == pytest.approx(value, rel=1e-12), cell
        mine = [s for s in issues if s.startswith(f"row {i + 1} (line {i + 2}), column 'v'")]
        if word is None:
            assert mine == [], cell
        else:
            assert len(mine) == 1 and word in mine[0], (cell, mine)
    unparseable = [str(i) for i in table.report.of_kind("unparseable")]
    assert len(unparseable) == 3 and all("column 'v'" in s for s in unparseable)
    assert any("1 empty cell(s) read as missing" in s for s in issues)
    assert any("mixes 1 per-cent cell(s)" in s for s in issues)


def test_strict_refuses_an_unparseable_cell(tmp_path):
    path = write(tmp_path, "t.csv", "adcode,gdp\n320100,1\n320500,12a\n320200,3\n")
    with pytest.raises(InputError, match=r"strict mode.*row 2 \(line 3\), column 'gdp': '12a'"):
        read_table(path, strict=True)
    assert read_table(path).data.gdp.isna().tolist() == [False, True, False]


def test_a_column_of_text_is_reported_not_dropped_silently(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "adcode,gdp,note\n320100,1,好\n320500,2,new town\n"))
    assert table.indicators == ["gdp"] and table.text_columns == ["note"]
    assert any(s.startswith("column 'note'") and "not numeric" in s for s in where(table, "column"))
    assert table.data.note.tolist() == ["好", "new town"]


def test_unquoted_thousands_separator_is_refused_naming_the_line(tmp_path):
    # Every row one cell too many: pandas would take the first column as an index and shift every value.
    path = write(tmp_path, "t.csv", "adcode,gdp\n320100,17,421\n320500,25,726\n")
    with pytest.raises(InputError, match=r"t\.csv, line 2: 3 cells but the header has 2 columns.*thousands"):
        read_table(path)


def test_blank_lines_keep_true_line_numbers(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "adcode,gdp\n\n320100,1\n\n\n320500,x\n"))
    assert where(table, "coerced") == ["row 2 (line 6), column 'gdp': 'x' withheld mark: read as missing"]


def test_duplicated_header_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"columns named twice: \['gdp'\]"):
        read_table(write(tmp_path, "t.csv", "adcode,gdp,gdp\n320100,1,2\n"))


# ----------------------------------------------------------------------------- identifier columns


def test_units_export_plus_one_column_gives_exactly_one_indicator(tmp_path):
    from yrdgeo.cli import main

    out = tmp_path / "x.csv"
    assert main(["units", "--out", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str)
    frame["gdp"] = np.arange(len(frame)) * 1.5 + 3
    frame.to_csv(out, index=False)
    table = read_table(out)
    assert table.indicators == ["gdp"]
    assert {"adcode", "name_zh", "pinyin", "anchor_lon", "anchor_lat", "kind", "province_adcode",
            "parent_adcode", "geometry"} <= set(table.identifiers)
    reported = " ".join(where(table, "column"))
    assert "'anchor_lon'" in reported and "'kind'" in reported


def test_anchor_and_kind_columns_are_never_indicators(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "adcode,anchor_lon,kind,gdp\n320100,118.1,1,5\n320500,120.2,2,6\n"))
    assert table.indicators == ["gdp"]
    assert [s.split(":")[0] for s in where(table, "column")] == ["column 'anchor_lon'", "column 'kind'"]
    with pytest.raises(InputError, match=r"no numeric indicator column.*column 'anchor_lon' an identifier column"):
        read_table(write(tmp_path, "u.csv", "adcode,anchor_lon,kind\n320100,118.1,1\n320500,120.2,2\n"))


def test_user_column_named_like_a_frame_column_with_other_values_is_an_error():
    units = yrdgeo.load_units("city")
    table = read_table(pd.DataFrame({"adcode": ["320100", "320500"], "anchor_lon": [1.0, 2.0]}),
                       columns=["anchor_lon"])
    with pytest.raises(InputError, match=r"column 'anchor_lon' .* has the name of a column the units already carry"):
        join_table(units, table)


def test_join_keeps_frame_untouched_and_reports_missing_units():
    units = yrdgeo.load_units("city")
    before = units.copy()
    frame = pd.DataFrame({"code": [320100.0, 320500.0], "gdp": ["1,000", "2,000"]})
    frame_before = frame.copy()
    table = read_table(frame)
    joined = join_table(units, table)
    pd.testing.assert_frame_equal(units, before)
    pd.testing.assert_frame_equal(frame, frame_before)
    assert dict(zip(joined.adcode, joined.gdp))["320500"] == 2000.0
    assert joined.gdp.notna().sum() == 2
    assert any("39 unit(s) joined to" in s and "no row in the table" in s for s in where(table, "row"))


def test_join_of_a_table_of_another_level_is_warned_about():
    table = read_table(pd.DataFrame({"adcode": ["320583", "320581"], "gdp": [1.0, 2.0]}))
    with pytest.warns(InputWarning, match=r"2 row\(s\) .* match no unit .* none of its county-level units is in the "
                                          r"frame, so every joined value is missing"):
        joined = join_table(yrdgeo.load_units("city"), table)
    assert joined.gdp.isna().all()


def test_join_frame_with_a_malformed_code_names_the_row():
    frame = pd.DataFrame({"adcode": ["320100", "3205001"]})
    table = read_table(pd.DataFrame({"adcode": ["320100"], "gdp": [1.0]}))
    with pytest.raises(InputError, match=r"the frame joined to, row 2, column 'adcode': '3205001' has 7 digits"):
        join_table(frame, table)


# ----------------------------------------------------------------------------- codes and names


@pytest.mark.parametrize("code", ["320583", 320583, "320583.0", 320583.0, "320583000000", "３２０５８３"])
def test_code_forms_accepted(code):
    table = read_table(pd.DataFrame({"adcode": [code, "320581"], "gdp": [1.0, 2.0]}))
    assert table.data.adcode.tolist() == ["320583", "320581"]
    assert table.level == "county"


@pytest.mark.parametrize(
    ("code", "message"),
    [("3205001", "has 7 digits"), ("320583101", "9 digits, the form of a township"),
     ("320583101000", "township .* statistical code inside 320583"), ("", "the code is missing"),
     ("999999", "unknown YRD unit adcode '999999'")],
)
def test_bad_codes_name_the_row(tmp_path, code, message):
    path = write(tmp_path, "t.csv", f"adcode,gdp\n320583,1\n{code},2\n320581,3\n")
    with pytest.raises(InputError, match=rf"t\.csv, row 2 \(line 3\).*{message}"):
        read_table(path)


def test_pinyin_names_resolve(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "name,gdp\nNanjing,1\nWuxi,2\nchang zhou,3\n"))
    assert table.data.adcode.tolist() == ["320100", "320200", "320400"]
    assert table.key == "name"


def test_ambiguous_name_names_row_and_candidates(tmp_path):
    with pytest.raises(InputError, match=r"row 2 \(line 3\): 'Suzhou' is ambiguous.*苏州市.*320500.*宿州市.*341300"):
        read_table(write(tmp_path, "t.csv", "name,gdp\nNanjing,1\nSuzhou,2\n"))


def test_code_and_name_that_disagree_name_the_row(tmp_path):
    with pytest.raises(InputError, match=r"row 2 \(line 3\): code 320500 is 苏州市 .* but the name '无锡市'"):
        read_table(write(tmp_path, "t.csv", "adcode,name_zh,gdp\n320100,南京市,1\n320500,无锡市,2\n"))


def test_duplicated_unit_names_both_rows(tmp_path):
    path = write(tmp_path, "t.csv", "adcode,gdp\n320100,1\n320500,2\n320100.0,3\n")
    with pytest.raises(InputError, match=r"unit 320100 appears in several rows \(row 1 \(line 2\), row 3 \(line 4\)\)"):
        read_table(path)


def test_mixed_levels_and_level_mismatch(tmp_path):
    with pytest.raises(InputError, match=r"mixes unit levels \{'city': 1, 'county': 1\}"):
        read_table(write(tmp_path, "t.csv", "adcode,gdp\n320100,1\n320583,2\n"))
    with pytest.raises(InputError, match=r"2 row\(s\) are not county-level units, e.g. row 1 \(line 2\): 320100"):
        read_table(write(tmp_path, "u.csv", "adcode,gdp\n320100,1\n320500,2\n"), level="county")
    mixed = read_table(write(tmp_path, "v.csv", "adcode,gdp\n320100,1\n320583,2\n"), level="mixed")
    assert mixed.data.adcode.tolist() == ["320100", "320583"]


def test_total_and_province_rows_are_set_aside_and_reported(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "地区,gdp\n江苏省,100\n南京市,1\n苏州市,2\n合计,3\n"))
    assert table.data.adcode.tolist() == ["320100", "320500"]
    rows = where(table, "row")
    assert any(s.startswith("row 4 (line 5): '合计'") and "total row" in s for s in rows)
    assert any(s.startswith("row 1 (line 2): '320000'") and "province row" in s for s in rows)


# ----------------------------------------------------------------------------- refused tables


def test_columns_asking_for_absent_or_text_column(tmp_path):
    path = write(tmp_path, "t.csv", "adcode,gdp,note\n320100,1,a\n320500,2,b\n")
    with pytest.raises(InputError, match=r"has no column\(s\) \['pop'\]; its columns: \['adcode', 'gdp', 'note'\]"):
        read_table(path, columns=["pop"])
    with pytest.raises(InputError, match=r"column 'note' holds no numbers \(e.g. 'a'\)"):
        read_table(path, columns=["note"])


def test_empty_and_no_data_columns_are_reported(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "adcode,gdp,blank,dash\n320100,1,,—\n320500,2,,—\n"))
    assert table.text_columns == ["blank", "dash"]
    assert [s.split(":")[0] for s in where(table, "column")] == ["column 'blank'", "column 'dash'"]
    assert all("no number in any row" in s for s in where(table, "column"))
    with pytest.raises(InputError, match=r"column 'blank' holds no numbers \(every cell is empty or a no-data mark\)"):
        read_table(tmp_path / "t.csv", columns=["blank"])


def test_no_indicator_column(tmp_path):
    with pytest.raises(InputError, match=r"has no numeric indicator column.*text: \['note'\]"):
        read_table(write(tmp_path, "t.csv", "adcode,note\n320100,a\n320500,b\n"))


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda p: write(p, "e.csv", b""), r"e\.csv is empty"),
     (lambda p: write(p, "h.csv", "adcode,gdp\n"), r"h\.csv has no rows \(columns: \['adcode', 'gdp'\]\)"),
     (lambda p: p, r"is a folder; give a CSV, \.xlsx or vector file"),
     (lambda p: p / "nope.csv", r"nope\.csv does not exist"),
     (lambda p: write(p, "old.xls", TABLE), r"old\.xls: old Excel \.xls files are not read")],
    ids=["empty", "header-only", "folder", "missing", "xls"],
)
def test_unreadable_sources(tmp_path, make, message):
    with pytest.raises(InputError, match=message):
        read_table(make(tmp_path))


def test_input_frame_is_never_modified():
    frame = pd.DataFrame({"adcode": ["320100", "320500", "合计"], " gdp ": ["1,000", "—", "3"], "note": ["a", "b", "c"]})
    before = frame.copy()
    table = read_table(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert table.indicators == ["gdp"]


def test_report_is_warned_once(tmp_path):
    path = write(tmp_path, "t.csv", "adcode,gdp\n320100,\"1,000\"\n320500,2\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_table(path)
    gate = [w for w in caught if issubclass(w.category, InputWarning)]
    assert len(gate) == 1 and "'1,000' read as 1000" in str(gate[0].message)


# ----------------------------------------------------------------------------- parse_number properties

FINITE = st.floats(allow_nan=False, allow_infinity=False)
FULL_WIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))


@settings(max_examples=300, deadline=None)
@given(FINITE)
def test_plain_grouped_fullwidth_and_percent_round_trip(x):
    for text in (repr(x), format(x, ","), format(x, ",").translate(FULL_WIDTH), f"{x}%", f"{format(x, ',')}%"):
        value, _ = parse_number(text)
        assert value == pytest.approx(x, rel=1e-12, abs=0.0), text


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_number_error_and_never_gives_inf(text):
    try:
        value, note = parse_number(text)
    except NumberError:
        return
    assert not math.isinf(value)
    assert note is None or isinstance(note, str)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(_MISSING_MARKS)), st.sampled_from(["", " ", "\u3000", "\t"]), st.booleans())
def test_missing_marks_give_nan_with_a_note(mark, pad, upper):
    value, note = parse_number(pad + (mark.upper() if upper else mark) + pad)
    assert math.isnan(value) and note and "read as missing" in note


@pytest.mark.parametrize("text", ["12²", "⑫", "٣", "1 2", "1,234,56", "inf", "1e999", "(5)", "1.2万", "1,5"])
def test_lookalikes_are_not_numbers(text):
    with pytest.raises(NumberError):
        parse_number(text)


@pytest.mark.parametrize(("text", "value"), [("25 726", 25726.0), ("－3", -3.0), ("\u22123.5", -3.5),
                                              ("１，２３４．５", 1234.5), ("6.5 %", 6.5)])
def test_spreadsheet_forms_are_read_with_a_note(text, value):
    got, note = parse_number(text)
    assert got == value and note
