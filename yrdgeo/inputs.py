"""The input gate: the planner's own tables and layers, checked once, with every change reported.

Two gates, used by the library, the command line, the atlas and the QGIS plugin:

* :func:`read_table` reads an attribute table — CSV (UTF-8, UTF-8 with BOM,
  GB18030/GBK, UTF-16; detected, or forced with ``encoding=``, where a forced
  encoding that turns the text into mojibake is refused), Excel
  ``.xlsx``, or the attribute table of a vector file — and returns a
  :class:`Table`: the unit key as 6-digit ``adcode``, the numeric indicator
  columns parsed the way statistical yearbooks print numbers (``25,726``,
  ``６.５%``, ``—``), and a :class:`InputReport` listing every cell that was
  coerced or could not be read. Identifier and index columns are never taken
  for indicators; no column is dropped without saying so.
* :func:`check_layer` (and :func:`read_layer`, which reads a file first)
  checks a GeoDataFrame: the geometry type expected, no null or empty
  geometry, invalid geometry repaired with :func:`shapely.make_valid` and
  reported per unit (or refused with ``strict=True``), a CRS whose coordinates
  can lie in the YRD (metres labelled as degrees and swapped axes are named as
  such), and — for units with an ``adcode`` — a polygon near the bundled one.

What a gate changed is reported twice: as :class:`InputWarning` warnings (so a
script, the CLI and QGIS's feedback show them) and in the returned report
(``Table.report``; ``frame.attrs["input_report"]`` for layers).
"""

from __future__ import annotations

import io as _io
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from .codes import CodeError, parse_code


class InputError(ValueError):
    """An input table or layer that yrdgeo cannot use as given; the message says what and where."""


class InputWarning(UserWarning):
    """Something in an input was changed or set aside (a coerced cell, a repaired polygon); see the report."""


# ----------------------------------------------------------------------------- report


@dataclass
class InputIssue:
    """One thing the gate noticed.

    Attributes
    ----------
    kind : str
        ``coerced`` (a cell read after a change), ``unparseable`` (a cell read as missing), ``missing``
        (empty cells of a column), ``column`` (a column set aside), ``row`` (a row set aside),
        ``repaired`` (an invalid geometry made valid), ``geometry`` (a geometry remark), ``crs``.
    where : str
        Row/column or unit, as a person would find it (``row 4 (line 5), column gdp``).
    value : str
        The original value (as text), if any.
    action : str
        What yrdgeo did, in words.
    """

    kind: str
    where: str
    value: str
    action: str

    def __str__(self) -> str:
        val = f" {self.value!r}" if self.value != "" else ""
        return f"{self.where}:{val} {self.action}"


@dataclass
class InputReport:
    """What the gate did with one input: ``source``, ``what`` it is, and the list of :class:`InputIssue`."""

    source: str
    what: str
    issues: list[InputIssue] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, kind: str, where: str, value: Any, action: str) -> None:
        self.issues.append(InputIssue(kind, where, "" if value is None else str(value), action))

    def of_kind(self, *kinds: str) -> list[InputIssue]:
        """Return the issues of the given kinds."""
        return [i for i in self.issues if i.kind in kinds]

    def lines(self, *, limit: int | None = 20) -> list[str]:
        """Return human-readable lines (the first ``limit`` issues, then a count of the rest)."""
        shown = self.issues if limit is None else self.issues[:limit]
        head = f"{self.what} {self.source}".strip()
        out = [f"{head}: {i}" for i in shown]
        if limit is not None and len(self.issues) > limit:
            out.append(f"{head}: … and {len(self.issues) - limit} more (see the report)")
        return out

    def to_frame(self) -> pd.DataFrame:
        """Return the issues as a table (kind, where, value, action)."""
        return pd.DataFrame([vars(i) for i in self.issues], columns=["kind", "where", "value", "action"])

    def emit(self, *, stacklevel: int = 3) -> None:
        """Issue one :class:`InputWarning` summarising the issues (nothing if there are none)."""
        if self.issues:
            warnings.warn("\n".join(self.lines()), InputWarning, stacklevel=stacklevel)


# ----------------------------------------------------------------------------- numbers

# Marks that statistical yearbooks and spreadsheets print for "no number here", with what they mean.
_MISSING_MARKS = {
    "-": "no-data", "--": "no-data", "—": "no-data", "——": "no-data", "–": "no-data", "―": "no-data",
    "…": "not-available (or below the table's unit)", "……": "not-available", "...": "not-available",
    "x": "withheld", "×": "withheld", "*": "withheld", "/": "not-applicable",
    "na": "not-available", "n/a": "not-available", "nan": "not-a-number", "null": "null", "none": "none",
    "#n/a": "spreadsheet-error", "#value!": "spreadsheet-error", "#div/0!": "spreadsheet-error",
    "#ref!": "spreadsheet-error", "#num!": "spreadsheet-error", "#name?": "spreadsheet-error",
    "无": "none", "暂无": "not-available", "不详": "unknown",
}
# Only ASCII digits: Python's \d and float() also take Arabic-Indic and other digits, which no yearbook prints.
_PLAIN = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_SPACE_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]+)?")
# Full-width forms U+FF01..U+FF5E are ASCII shifted by 0xFEE0; spaces that spreadsheets put in numbers. Only
# these are translated: NFKC would also turn '²' into '2' and '⑫' into '12' (so '12²' would read as 122).
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_SPACES = {0x3000: " ", 0x00A0: " ", 0x202F: " ", 0x2009: " "}


class NumberError(ValueError):
    """A cell that is not a number in any form a yearbook prints."""


def parse_number(value: Any) -> tuple[float, str | None]:
    """Return ``(number, note)`` for one cell as yearbooks and spreadsheets write it.

    Reads plain numbers (``1e5`` too), thousands separators (``25,726``, ``1,234,567.8``, also with
    spaces: ``25 726``), full-width digits and signs (``２５７２６``, ``－3``, ``６.５％``), the
    Unicode minus, a trailing per cent sign (``6.5%`` → 6.5, kept in per cent), and the marks for
    "no number" (``—``, ``…``, ``-``, ``x``, ``NA``, ``#N/A``, ``无`` …) as NaN. ``note`` says what
    was changed or which mark was read (``None`` for a plain number, an empty cell or a missing value
    such as ``None``/NaN/``pd.NA``).

    Raises
    ------
    NumberError
        For anything else — ``12a``, ``1.2万``, ``1,5`` (a decimal comma or a misplaced separator),
        ``inf``, digits of other scripts, superscripts — naming the value. Never returns an infinity.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return math.nan, None
    if isinstance(value, (bool, np.bool_)):
        msg = f"{value!r} is a true/false value, not a number"
        raise NumberError(msg)
    if isinstance(value, (int, np.integer)):
        return float(value), None
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isinf(v):
            msg = f"{value!r} is infinite"
            raise NumberError(msg)
        return v, None
    raw = str(value)
    notes: list[str] = []
    text = raw.translate(_SPACES).strip()
    if any(0xFF01 <= ord(ch) <= 0xFF5E for ch in text):
        text = text.translate(_FULLWIDTH)
        notes.append("full-width characters read")
    if text == "":
        return math.nan, None
    mark = _MISSING_MARKS.get(text.lower())
    if mark is not None:
        return math.nan, f"{mark} mark: read as missing"
    if "\u2212" in text:
        text = text.replace("\u2212", "-")
        notes.append("Unicode minus read")
    body = text
    if body.endswith("%"):
        body = body[:-1].rstrip()
        notes.append("per cent sign dropped (value kept in per cent)")
    if _PLAIN.fullmatch(body):
        number = float(body)
    elif _GROUPED.fullmatch(body):
        number = float(body.replace(",", ""))
        notes.append("thousands separators removed")
    elif _SPACE_GROUPED.fullmatch(body):
        number = float(body.replace(" ", ""))
        notes.append("thousands separators (spaces) removed")
    else:
        msg = f"{raw!r} is not a number"
        raise NumberError(msg)
    if math.isinf(number):
        msg = f"{raw!r} is out of range"
        raise NumberError(msg)
    return number, ("; ".join(notes) if notes else None)


def parse_codes(values: Iterable[Any], *, what: str, column: str = "adcode") -> list[str]:
    """Return the 6-digit codes of ``values`` (see :func:`yrdgeo.codes.parse_code`), or raise InputError naming the row.

    Messages read ``"{what}, row 3, column 'adcode': …"``.
    """
    codes = []
    for i, v in enumerate(values):
        try:
            codes.append(parse_code(v, what=f"{what}, row {i + 1}, column {column!r}"))
        except CodeError as exc:
            raise InputError(str(exc)) from None
    return codes


def parse_numbers(
    values: pd.Series, *, column: str, report: InputReport | None = None, rows: Sequence[str] | None = None
) -> tuple[pd.Series, int, int]:
    """Return ``(numbers, parsed, unparseable)`` for one column, noting each coerced or unparseable cell.

    ``rows`` labels the cells in the report (default ``row 1``, ``row 2`` …). Unparseable cells become NaN.
    """
    out = np.full(len(values), np.nan)
    parsed = bad = empty = percent = 0
    for i, v in enumerate(values.to_list()):
        where = f"{rows[i] if rows is not None else f'row {i + 1}'}, column {column!r}"
        try:
            number, note = parse_number(v)
        except NumberError:
            bad += 1
            if report is not None:
                report.add("unparseable", where, v, "is not a number: read as missing")
            continue
        out[i] = number
        if math.isnan(number):
            if note is None:
                empty += 1
            elif report is not None:
                report.add("coerced", where, v, note)
            continue
        parsed += 1
        percent += bool(note and "per cent" in note)
        if note is not None and report is not None:
            report.add("coerced", where, v, f"read as {number:.15g} ({note})")
    if 0 < percent < parsed and report is not None:
        report.add("column", f"column {column!r}", "", f"mixes {percent} per-cent cell(s) with {parsed - percent} "
                   "plain number(s): check the column's unit")
    if empty and report is not None:
        report.add("missing", f"column {column!r}", "", f"{empty} empty cell(s) read as missing")
    return pd.Series(out, index=values.index, name=column), parsed, bad


# ----------------------------------------------------------------------------- tables

#: Columns that identify a unit or a row and are never indicators.
KEY_COLUMNS = ("adcode", "code", "统计用区划代码", "行政区划代码", "区划代码", "代码")
NAME_COLUMNS = ("name_zh", "name", "名称", "地区", "城市", "地级市", "区县", "县区", "县（市、区）", "单位", "地名")
#: Name columns of county-level units: when a table has one beside a city column (百强县: 城市, 区县), the
#: county column names the unit and the city column only helps to resolve it (苏州市 + 鼓楼区 is not 南京's).
COUNTY_NAME_COLUMNS = ("区县", "县区", "县（市、区）", "县市区", "区县名称")
CITY_NAME_COLUMNS = ("城市", "地级市", "所属城市", "所属地市")
UNIT_TABLE_COLUMNS = ("adcode", "name_zh", "short_zh", "pinyin", "name_en", "level", "kind", "province_adcode",
                      "province_zh", "parent_adcode", "anchor_lon", "anchor_lat", "anchor_source", "geometry")
INDEX_COLUMNS = ("fid", "id", "index", "ogc_fid", "objectid", "序号", "编号", "year", "年份", "年度", "省份", "省",
                 "province", "group_id", "membership")
TOTAL_NAMES = {"合计", "总计", "全省", "全市", "全国", "全区", "长三角", "长三角地区", "总计/合计", "total", "sum", "all"}


@dataclass
class Table:
    """An attribute table that passed the gate.

    Attributes
    ----------
    data : pandas.DataFrame
        One row per unit: ``adcode`` (6-digit text) first, then the indicator columns as float64 (NaN
        for missing), then the identifier and text columns as read.
    indicators : list of str
        Numeric columns that may be mapped or analysed.
    identifiers : list of str
        Key, name, index and unit-table columns (never indicators).
    text_columns : list of str
        Columns with no numbers in them.
    level : str
        ``"city"`` or ``"county"`` (or ``"province"``): the level of the units.
    key : str
        The column the units were identified by.
    encoding : str or None
        The text encoding the file was read with (None for Excel and vector files or a frame).
    report : InputReport
        Every coerced or unparseable cell, every column and row set aside.
    """

    data: pd.DataFrame
    indicators: list[str]
    identifiers: list[str]
    text_columns: list[str]
    level: str
    key: str
    encoding: str | None
    report: InputReport

    @property
    def source(self) -> str:
        return self.report.source


def read_table(
    source: str | os.PathLike | pd.DataFrame,
    *,
    key: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    layer: str | None = None,
    level: str | None = None,
    columns: Sequence[str] | None = None,
    strict: bool = False,
    what: str = "attribute table",
    warn: bool = True,
) -> Table:
    """Return a :class:`Table`: the planner's table keyed by adcode, indicator columns parsed as numbers.

    Parameters
    ----------
    source
        A CSV/TSV/TXT file (comma, tab or semicolon separated; a row with more cells than the header,
        as from an unquoted ``25,726``, is an error naming its line), an ``.xlsx`` workbook (a
        per-cent-formatted number is read as the per cent it shows, 0.065 as 6.5, like the same cell
        in a CSV), a vector file (GeoPackage, GeoJSON, Shapefile: its attribute table), or a
        DataFrame (never modified).
    key
        The column that identifies units: codes (6-digit, or 12-digit statistical codes ending in
        000000) or names (any form :func:`yrdgeo.resolve` reads). Default: the first of
        :data:`KEY_COLUMNS`, then of :data:`NAME_COLUMNS`, present. When both a code and a name
        column are present, each row's name must name the row's code.
    encoding
        Force the CSV encoding (``"utf-8"``, ``"gbk"``, ``"gb18030"``, ``"utf-16"``…). Default: detect
        UTF-8 (with or without BOM), UTF-16 (with BOM, or without one by its zero bytes), else GB18030
        (a superset of GBK and GB2312). A forced encoding that cannot decode the file is an error
        naming it; so is one that decodes it into mojibake: a reading that differs from the file's
        valid UTF-8 text, or one without Chinese where GB18030 reads Chinese (a GBK file forced as
        ``latin-1`` decodes without error, 苏州市 as 'ËÕÖÝÊÐ'; it is refused, showing both readings).
        A table really in a Western single-byte encoding is to be saved as UTF-8.
    sheet, layer
        Sheet of a workbook (default the first), layer of a vector file (default the only one).
    level
        Expected level of the units (``"city"``, ``"county"``); default: what the codes say (one level).
        ``"mixed"`` accepts several levels (a corridor's district beside whole cities).
    columns
        Indicator columns wanted (default: every numeric column that is not an identifier). A
        column named here is an error if absent or without numbers, and is used even if it looks
        like an index.
    strict
        Refuse any unparseable cell instead of reading it as missing.
    what
        How the table is named in messages.
    warn
        Emit the report as an :class:`InputWarning` (default True).

    Raises
    ------
    InputError
        Unreadable file, no key column, a malformed or unknown code or name (naming the row),
        duplicated units, mixed levels, a requested column that is absent or not numeric, no
        indicator column at all, and (``strict``) any unparseable cell.
    """
    if level not in (None, "province", "city", "county", "mixed"):
        msg = f"level must be 'province', 'city', 'county', 'mixed' or None, got {level!r}"
        raise ValueError(msg)
    label = "(a DataFrame)" if isinstance(source, pd.DataFrame) else str(source)
    report = InputReport(label, what)
    raw, used_encoding, places = _read_raw(source, encoding=encoding, sheet=sheet, layer=layer, what=what)
    excel_percent = dict(raw.attrs.get("excel_percent", {}))
    raw = raw.rename(columns=lambda c: str(c).strip())
    if raw.columns.duplicated().any():
        dup = sorted(set(raw.columns[raw.columns.duplicated()]))
        msg = f"{what} {label} has columns named twice: {dup}; give each column its own name"
        raise InputError(msg)
    if len(raw) == 0:
        msg = f"{what} {label} has no rows (columns: {list(raw.columns)})"
        raise InputError(msg)
    row_labels = [f"row {i + 1}" + (f" ({place})" if place else "") for i, place in enumerate(places)]

    code_col, name_col = _key_columns(raw, key, what=what, label=label)
    codes, levels, keep = _unit_codes(raw, code_col, name_col, row_labels, report, what=what, label=label)
    raw = raw[keep].reset_index(drop=True)
    codes = [c for c, k in zip(codes, keep) if k]
    levels = [lv for lv, k in zip(levels, keep) if k]
    row_labels = [r for r, k in zip(row_labels, keep) if k]
    if not codes:
        msg = f"{what} {label}: no unit rows left after setting aside total and province rows"
        raise InputError(msg)

    found = sorted(set(levels))
    if level == "mixed":  # e.g. a corridor: a district beside whole cities
        pass
    elif level is not None:
        wrong = [(r, c, lv) for r, c, lv in zip(row_labels, codes, levels) if lv != level]
        if wrong:
            r, c, lv = wrong[0]
            msg = (f"{what} {label}: {len(wrong)} row(s) are not {level}-level units, e.g. {r}: {c} is a {lv}; "
                   f"give one table per level")
            raise InputError(msg)
    elif len(found) != 1:
        counts = {lv: levels.count(lv) for lv in found}
        msg = f"{what} {label} mixes unit levels {counts}; give one table per level (or pass level=)"
        raise InputError(msg)
    table_level = level or found[0]
    if level == "mixed" and len(found) == 1:
        table_level = found[0]

    dup = pd.Series(codes)[pd.Series(codes).duplicated(keep=False)]
    if len(dup):
        first = dup.iloc[0]
        where = [row_labels[i] for i in dup.index if codes[i] == first]
        msg = f"{what} {label}: unit {first} appears in several rows ({', '.join(where)}); give one row per unit"
        raise InputError(msg)

    identifiers, indicators, text_cols, numbers = _classify(raw, code_col, name_col, columns, row_labels, report,
                                                             what=what, label=label)
    if strict and report.of_kind("unparseable"):
        bad = report.of_kind("unparseable")
        msg = (f"{what} {label}: {len(bad)} cell(s) are not numbers (strict mode), e.g. {bad[0]}; "
               "fix them or drop strict to read them as missing")
        raise InputError(msg)
    if not indicators:
        why = "; ".join(f"{i.where} {i.action}" for i in report.of_kind("column"))
        msg = (f"{what} {label} has no numeric indicator column; columns: {list(raw.columns)} "
               f"(identifiers: {identifiers}; text: {text_cols})" + (f" — {why}" if why else ""))
        raise InputError(msg)

    for c, n in excel_percent.items():
        if c in indicators:
            report.add("coerced", f"column {c!r}", "", f"{n} Excel per-cent cell(s): Excel stores 6.5% as 0.065; read "
                       "as the per cent the cells show (6.5), as from a CSV saved from the sheet")
    data = pd.DataFrame({"adcode": codes})
    for c in indicators:
        data[c] = numbers[c].to_numpy()
    for c in identifiers + text_cols:
        if c != "adcode":
            data[c] = raw[c].to_numpy()
    report.facts.update(rows=len(data), level=table_level, key=code_col or name_col, encoding=used_encoding,
                        indicators=indicators, identifiers=identifiers, text_columns=text_cols)
    if warn:
        report.emit()
    return Table(data=data, indicators=indicators, identifiers=identifiers, text_columns=text_cols,
                 level=table_level, key=code_col or name_col, encoding=used_encoding, report=report)


def read_text(path: str | os.PathLike, *, encoding: str | None = None, what: str = "file") -> str:
    """Return a text file's content, its encoding detected as :func:`read_table` does (UTF-8/BOM, UTF-16, GB18030).

    For the CSV files that are not one-row-per-unit tables (corridor members, enclave pairs,
    travel-time matrices): a GBK file from Excel reads as Chinese, not as an error or mojibake.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"{what} {path} does not exist" if not path.exists() else f"{what} {path} is not a file"
        raise InputError(msg)
    text, _ = _decode(path.read_bytes(), encoding, path=path, what=what)
    return text


def _read_raw(source, *, encoding, sheet, layer, what) -> tuple[pd.DataFrame, str | None, list[str]]:
    """Return (all cells as read, encoding used, where each row is in the source: ``line 5``, ``sheet row 5`` …)."""
    if isinstance(source, pd.DataFrame):
        frame = pd.DataFrame(source).copy()
        if isinstance(source, gpd.GeoDataFrame):
            frame = frame.drop(columns=source.geometry.name)
        return frame.reset_index(drop=True), None, [""] * len(frame)
    path = Path(source)
    if path.is_dir():
        msg = f"{what} {path} is a folder; give a CSV, .xlsx or vector file"
        raise InputError(msg)
    if not path.is_file():
        msg = f"{what} {path} does not exist"
        raise InputError(msg)
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet=sheet, what=what)
    if ext == ".xls":
        msg = f"{what} {path}: old Excel .xls files are not read; save it as .xlsx or CSV"
        raise InputError(msg)
    if ext in (".csv", ".tsv", ".txt", ""):
        try:
            data = path.read_bytes()
        except OSError as exc:
            msg = f"cannot read {what} {path}: {exc.strerror or exc}"
            raise InputError(msg) from None
        text, used = _decode(data, encoding, path=path, what=what)
        frame, lines = _parse_csv(text, tab=ext == ".tsv", path=path, what=what)
        return frame, used, lines
    import pyogrio

    _check_layer_name(path, layer, what=what, expected="a CSV, .xlsx or vector file")
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    except Exception as exc:  # pyogrio's DataSourceError, DataLayerError …
        msg = f"cannot read {what} {path}{f' layer {layer!r}' if layer else ''}: {_gdal_text(exc)}"
        raise InputError(msg) from None
    frame = pd.DataFrame(frame).reset_index(drop=True)
    return frame, None, [f"feature {i + 1}" for i in range(len(frame))]


def _parse_csv(text: str, *, tab: bool, path: Path, what: str) -> tuple[pd.DataFrame, list[str]]:
    """Return (cells as text, file line of each row) for delimited text; blank lines skipped, no cell lost."""
    import csv

    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if tab or ("\t" in first and "," not in first):
        sep = "\t"
    elif ";" in first and "," not in first:
        sep = ";"
    else:
        sep = ","
    # Cells such as the WKT geometry of an exported layer exceed the csv module's default 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[str] = []
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not any(c.strip() for c in record):
                continue
            if header is None:
                header = [c.strip() or f"Unnamed: {j}" for j, c in enumerate(record)]
                continue
            if len(record) > len(header):
                extra = record[len(header):]
                if any(c.strip() for c in extra):
                    msg = (f"{what} {path}, line {start}: {len(record)} cells but the header has {len(header)} "
                           f"columns (extra: {extra[:3]}); an unquoted thousands separator (25,726) or a comma "
                           "inside a name splits a cell: quote such cells or remove the separators")
                    raise InputError(msg)
                record = record[:len(header)]
            rows.append(record + [""] * (len(header) - len(record)))
            lines.append(f"line {start}" if start == end else f"lines {start}–{end}")
    except csv.Error as exc:
        msg = f"cannot read {what} {path} as a table (line {reader.line_num}): {exc}"
        raise InputError(msg) from None
    if header is None:
        msg = f"{what} {path} is empty (no header, no rows)"
        raise InputError(msg)
    return pd.DataFrame(rows, columns=header, dtype=object), lines


def _read_xlsx(path: Path, *, sheet, what: str) -> tuple[pd.DataFrame, None, list[str]]:
    """Return (cells, None, sheet row of each row); a per-cent-formatted number is read as the per cent it shows."""
    from decimal import Decimal

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException for broken or renamed files
        msg = f"cannot read {what} {path} as an Excel workbook: {type(exc).__name__}: {exc}"
        raise InputError(msg) from None
    try:
        names = book.sheetnames
        if sheet is None:
            ws = book[names[0]]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                msg = f"{what} {path} has no sheet number {sheet} (sheets, from 0: {names})"
                raise InputError(msg)
            ws = book[names[sheet]]
        elif str(sheet) in names:
            ws = book[str(sheet)]
        else:
            msg = f"{what} {path} has no sheet {sheet!r}; its sheets: {names}"
            raise InputError(msg)
        header: list[str] | None = None
        rows: list[list[Any]] = []
        lines: list[str] = []
        percent_cells: dict[int, int] = {}  # column position -> per-cent-formatted numbers
        row_numbers: list[int] = []
        for r, cells in enumerate(ws.iter_rows(), start=1):
            values = []
            for cell in cells:
                v = getattr(cell, "value", None)
                fmt = getattr(cell, "number_format", None) or ""
                if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in fmt and math.isfinite(v):
                    # Excel stores 6.5% as 0.065; a CSV saved from the same sheet says "6.5%", read as 6.5.
                    v = format((Decimal(repr(float(v))) * 100).normalize(), "f") + "%"
                    percent_cells[len(values)] = percent_cells.get(len(values), 0) + 1
                values.append(v)
            if not any(v is not None and str(v).strip() for v in values):
                continue
            if header is None:
                header = [str(v).strip() if v is not None and str(v).strip() else "" for v in values]
                continue
            rows.append(values)
            lines.append(f"sheet row {r}")
            row_numbers.append(r)
        title = ws.title
    finally:
        book.close()
    if header is None:
        msg = f"{what} {path}: the sheet {title!r} is empty"
        raise InputError(msg)
    if any(v is None for values in rows for v in values):
        _formulas_without_values(path, title, rows, row_numbers)
    # Cells right of the last header cell get a column of their own (reported), never cut off.
    width = max([len(header)] + [len(v) for v in rows])
    header = [h or f"Unnamed: {j}" for j, h in enumerate(header + [""] * (width - len(header)))]
    rows = [v + [None] * (width - len(v)) for v in rows]
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.attrs["excel_percent"] = {header[j]: n for j, n in percent_cells.items() if j < width}
    return frame, None, lines


def _formulas_without_values(path: Path, title: str, rows: list[list[Any]], row_numbers: list[int]) -> None:
    """Put the formula text into empty cells that hold a formula whose result was never saved.

    A workbook written by a program (openpyxl, pandas) keeps formulas without results; read as values
    they are empty. As text ('=B2*100') they are reported as cells that are not numbers (and refused
    with ``strict``) instead of passing for empty cells.
    """
    import openpyxl

    wanted = {r: i for i, r in enumerate(row_numbers)}
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for r, cells in enumerate(book[title].iter_rows(), start=1):
            i = wanted.get(r)
            if i is None:
                continue
            for j, cell in enumerate(cells):
                v = getattr(cell, "value", None)
                if j < len(rows[i]) and rows[i][j] is None and isinstance(v, str) and v.startswith("="):
                    rows[i][j] = v
    finally:
        book.close()


def _decode(data: bytes, encoding: str | None, *, path: Path, what: str) -> tuple[str, str]:
    if encoding is not None:
        return _decode_forced(data, encoding, path=path, what=what)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            msg = (f"{what} {path} starts with a UTF-8 mark but is not valid UTF-8 (byte offset {exc.start}); "
                   "save it again as UTF-8 CSV")
            raise InputError(msg) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            msg = f"{what} {path} starts with a UTF-16 mark but is not valid UTF-16 (byte offset {exc.start})"
            raise InputError(msg) from None
    if b"\x00" in data[:4096]:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        head = data[:4096]
        enc = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            msg = (f"{what} {path} holds zero bytes but is not UTF-16 text: is it a table at all? "
                   "Save it as UTF-8 CSV or .xlsx")
            raise InputError(msg) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        msg = (f"{what} {path} is neither UTF-8 nor GB18030/GBK (undecodable byte at offset {exc.start}); "
               "save it as UTF-8 CSV or pass encoding=/--encoding")
        raise InputError(msg) from None


def _decode_forced(data: bytes, encoding: str, *, path: Path, what: str) -> tuple[str, str]:
    """Decode with the encoding the user forced, refusing a reading that is plainly mojibake.

    Single-byte encodings (latin-1, cp1252 …) decode any bytes, so a GBK file forced as latin-1
    would give 'ËÕÖÝÊÐ' for 苏州市 without any error. yrdgeo's tables name Chinese units, so a
    forced reading that differs from the file's valid UTF-8 reading, or that has no Chinese while
    GB18030 reads Chinese, is refused with both readings shown; a file really in a Western
    encoding can be saved as UTF-8.
    """
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        msg = f"unknown encoding {encoding!r} for {what} {path}; use e.g. utf-8, gbk, gb18030, utf-16"
        raise InputError(msg) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        msg = (f"{what} {path} is not valid {encoding}: byte {data[exc.start:exc.start + 1]!r} at offset "
               f"{exc.start} cannot be read; try another encoding (utf-8, gb18030, utf-16) or leave it to detection")
        raise InputError(msg) from None
    except (UnicodeError, ValueError) as exc:  # e.g. 'utf-16' on an odd number of bytes
        msg = f"{what} {path} cannot be read as {encoding}: {exc}"
        raise InputError(msg) from None
    text = text.lstrip("\ufeff")

    def sample(t: str) -> str:
        line = next((ln for ln in t.splitlines() if not ln.isascii()), t[:60])
        return line.strip()[:60]

    if "\x00" in text and not name.startswith(("utf-16", "utf-32")):
        msg = (f"{what} {path} read as {encoding} holds zero characters: it looks like UTF-16 text "
               "(Excel's 'Unicode text'); pass encoding='utf-16' or leave it to detection")
        raise InputError(msg)
    if name in ("utf-8", "utf-8-sig"):
        return text, encoding
    try:
        as_utf8 = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and "\x00" not in as_utf8 and as_utf8 != text:
        msg = (f"{what} {path} is valid UTF-8, but read as {encoding} it would give {sample(text)!r} where UTF-8 "
               f"gives {sample(as_utf8)!r}: drop encoding= (detection reads it) or pass encoding='utf-8'")
        raise InputError(msg)
    if as_utf8 is None and not _has_cjk(text) and not text.isascii():
        try:
            as_gb = data.decode("gb18030")
        except UnicodeDecodeError:
            as_gb = None
        if as_gb is not None and _has_cjk(as_gb):
            msg = (f"{what} {path} read as {encoding} gives {sample(text)!r}, with no Chinese, where GB18030/GBK "
                   f"gives {sample(as_gb)!r}: the file is GBK/GB18030; pass encoding='gbk' or leave it to detection "
                   "(a file really in a Western encoding: save it as UTF-8)")
            raise InputError(msg)
    return text, encoding


def _has_cjk(text: str) -> bool:
    return re.search(r"[\u3400-\u9fff]", text) is not None


def _key_columns(raw: pd.DataFrame, key: str | None, *, what: str, label: str) -> tuple[str | None, str | None]:
    cols = list(raw.columns)
    if key is not None:
        if key not in cols:
            msg = f"{what} {label} has no column {key!r}; its columns: {cols}"
            raise InputError(msg)
        values = [v for v in raw[key].to_list() if str(v).strip() not in ("", "nan", "None")]
        looks_code = bool(values) and all(_looks_like_code(v) for v in values)
        name_col = next((c for c in NAME_COLUMNS if c in cols and c != key), None) if looks_code else None
        return (key, name_col) if looks_code else (None, key)
    code_col = next((c for c in KEY_COLUMNS if c in cols), None)
    name_col = (next((c for c in COUNTY_NAME_COLUMNS if c in cols), None)
                or next((c for c in NAME_COLUMNS if c in cols), None))
    if code_col is None and name_col is None:
        msg = (f"{what} {label} needs a column that identifies units: a code column ({', '.join(KEY_COLUMNS)}) or a "
               f"name column ({', '.join(NAME_COLUMNS)}), or key=/--key; it has {cols} (if a title sits above the "
               "header row, delete it so that the column names come first)")
        raise InputError(msg)
    return code_col, name_col


def _looks_like_code(v: Any) -> bool:
    if isinstance(v, (int, np.integer, float, np.floating)) and not isinstance(v, bool):
        return True
    return bool(re.fullmatch(r"[0-9０-９]+(\.0+)?", str(v).strip()))


def _unit_codes(raw, code_col, name_col, row_labels, report, *, what, label):
    from .units import UnitError, all_units, resolve

    levels_by_code = dict(zip(all_units().adcode, all_units().level))
    codes: list[str] = []
    levels: list[str] = []
    keep: list[bool] = []
    n = len(raw)
    for i in range(n):
        where = f"{what} {label}, {row_labels[i]}"
        name = None if name_col is None else raw[name_col].iloc[i]
        name_text = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name).strip()
        code_value = None if code_col is None else raw[code_col].iloc[i]
        code_text = str(code_value).strip() if isinstance(code_value, str) else ""
        total = next((t for t in (name_text, code_text) if t.lower() in TOTAL_NAMES
                      or re.fullmatch(r"(合计|总计|全省|全市)[:：(（].*", t)), None)
        if total is not None:
            report.add("row", row_labels[i], total, "a total row: set aside")
            codes.append("")
            levels.append("")
            keep.append(False)
            continue
        if code_col is not None:
            try:
                code = parse_code(raw[code_col].iloc[i], what=f"{where}, column {code_col!r}")
            except CodeError as exc:
                raise InputError(str(exc)) from None
            if code not in levels_by_code:
                try:
                    resolve(code)
                except UnitError as exc:
                    msg = f"{where}: {exc}"
                    raise InputError(msg) from None
            if name_text:
                try:
                    by_name = resolve(name_text)
                except UnitError as exc:
                    by_name = None
                    candidates = getattr(exc, "candidates", [])
                    if code not in candidates:
                        msg = (f"{where}: name {name_text!r} (column {name_col!r}) does not name unit {code} "
                               f"({_unit_label(code)}): {exc}")
                        raise InputError(msg) from None
                if by_name is not None and by_name != code and {by_name, code} != {"310000", "310100"}:
                    msg = (f"{where}: code {code} is {_unit_label(code)} but the name {name_text!r} (column "
                           f"{name_col!r}) is {_unit_label(by_name)}; correct one of them")
                    raise InputError(msg)
        else:
            if not name_text:
                msg = f"{where}: the unit name (column {name_col!r}) is empty"
                raise InputError(msg)
            try:
                code = _resolve_in_city(raw, i, name_col, name_text) or resolve(name_text)
            except UnitError as exc:
                msg = f"{where}: {exc}"
                raise InputError(msg) from None
        lv = levels_by_code[code]
        codes.append(code)
        levels.append(lv)
        keep.append(True)
    # 上海 is both a province-level unit (310000) and, in city tables, a city (310100): read it as the level of the
    # rest of the table, and say so.
    others = {lv for c, lv, k in zip(codes, levels, keep) if k and c not in ("310000", "310100")}
    for i, c in enumerate(codes):
        if not keep[i]:
            continue
        if c == "310100" and others == {"province"}:
            codes[i], levels[i] = "310000", "province"
            report.add("row", row_labels[i], "上海", "read as the province-level unit 310000, as the other rows are provinces")
        elif c == "310000" and others and "province" not in others:
            codes[i], levels[i] = "310100", "city"
            report.add("row", row_labels[i], c, "read as Shanghai's city level 310100, as the other rows are cities "
                       "or counties")
    # Province rows among city or county rows are sub-totals (yearbooks print 江苏省 above its cities).
    unit_levels = {lv for lv, k in zip(levels, keep) if k}
    if "province" in unit_levels and len(unit_levels) > 1:
        for i, lv in enumerate(levels):
            if keep[i] and lv == "province":
                keep[i] = False
                report.add("row", row_labels[i], codes[i], "a province row among lower-level units (a sub-total): "
                           "set aside")
    return codes, levels, keep


def _resolve_in_city(raw: pd.DataFrame, i: int, name_col: str, name_text: str) -> str | None:
    """Return the county named in row ``i`` within the city of the row's city column, if the table has one."""
    from .units import UnitError, all_units, resolve

    if name_col not in COUNTY_NAME_COLUMNS:
        return None
    city_col = next((c for c in CITY_NAME_COLUMNS + NAME_COLUMNS if c in raw.columns and c != name_col), None)
    if city_col is None:
        return None
    city_text = str(raw[city_col].iloc[i]).strip()
    try:
        city = resolve(city_text, level="city")
    except UnitError:
        return None
    t = all_units()
    city_zh = t.loc[t.adcode == city, "name_zh"].iloc[0]
    try:
        return resolve(name_text if name_text.startswith(city_zh) else f"{city_zh}{name_text}")
    except UnitError:
        return None


def _unit_label(code: str) -> str:
    from .units import all_units

    t = all_units()
    hit = t[t.adcode == code]
    return f"{hit.name_zh.iloc[0]} ({code})" if len(hit) else code


def _classify(raw, code_col, name_col, columns, row_labels, report, *, what, label):
    identifiers: list[str] = [c for c in (code_col, name_col) if c is not None]
    indicators: list[str] = []
    text_cols: list[str] = []
    numbers: dict[str, pd.Series] = {}
    wanted = None if columns is None else list(dict.fromkeys(columns))
    if wanted is not None:
        absent = [c for c in wanted if c not in raw.columns]
        if absent:
            msg = f"{what} {label} has no column(s) {absent}; its columns: {list(raw.columns)}"
            raise InputError(msg)
    for c in raw.columns:
        asked = wanted is not None and c in wanted
        if c in identifiers:
            if asked:
                msg = f"{what} {label}: column {c!r} identifies the units (the table's key); it cannot be an indicator"
                raise InputError(msg)
            continue
        if wanted is not None and not asked:
            continue
        lowered = c.lower()
        if not asked and (c in UNIT_TABLE_COLUMNS or c in KEY_COLUMNS or c in NAME_COLUMNS):
            identifiers.append(c)
            if c not in UNIT_TABLE_COLUMNS or c in ("anchor_lon", "anchor_lat", "kind"):
                report.add("column", f"column {c!r}", "", "an identifier column: not an indicator")
            continue
        if not asked and (lowered in INDEX_COLUMNS or re.fullmatch(r"unnamed: \d+", lowered)):
            identifiers.append(c)
            report.add("column", f"column {c!r}", "", "an index/identifier column: not an indicator "
                       "(name it in columns= to use it)")
            continue
        scratch = InputReport(report.source, report.what)
        values, parsed, bad = parse_numbers(raw[c], column=c, report=scratch, rows=row_labels)
        if parsed == 0 or (bad > parsed and not asked):
            example = next((v for v in raw[c].to_list()
                            if v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v).strip()), "")
            formula = (" — Excel formulas whose results were never saved (a workbook written by a program): open "
                       "and save it in Excel or WPS") if str(example).startswith("=") else ""
            if asked:
                msg = (f"{what} {label}: column {c!r} holds no numbers" +
                       (f" (e.g. {example!r})" if example != "" else " (every cell is empty or a no-data mark)") +
                       formula)
                raise InputError(msg)
            text_cols.append(c)
            if bad == 0:
                why = "no number in any row (only empty cells or no-data marks): not an indicator"
            else:
                why = f"not numeric ({bad} of {bad + parsed} filled cells are not numbers): not an indicator"
            report.add("column", f"column {c!r}", example, why + formula)
            continue
        if not asked and _is_code_column(values):
            identifiers.append(c)
            report.add("column", f"column {c!r}", "", "holds administrative codes: an identifier, not an indicator")
            continue
        if not asked and _is_row_index(values):
            identifiers.append(c)
            report.add("column", f"column {c!r}", "", "counts 1, 2, 3 … row by row (a row index): not an indicator "
                       "(name it in columns= to use it)")
            continue
        report.issues.extend(scratch.issues)
        indicators.append(c)
        numbers[c] = values
    return identifiers, indicators, text_cols, numbers


def _is_code_column(values: pd.Series) -> bool:
    v = values.dropna()
    if len(v) < 2 or not (v == np.floor(v)).all():
        return False
    from .units import all_units

    known = set(all_units().adcode)
    return all(str(int(x)) in known for x in v)


def _is_row_index(values: pd.Series) -> bool:
    v = values.to_numpy()
    if len(v) < 10 or np.isnan(v).any():  # short tables: 1, 2, 3 is as likely a real value
        return False
    return bool(np.array_equal(v, np.arange(len(v))) or np.array_equal(v, np.arange(1, len(v) + 1)))


def join_table(
    units: pd.DataFrame,
    table: Table | str | os.PathLike | pd.DataFrame,
    *,
    on: str | None = None,
    columns: Sequence[str] | None = None,
    prefix: str = "",
) -> pd.DataFrame:
    """Return a copy of ``units`` with the table's indicator ``columns`` joined on ``adcode`` (rows kept in order).

    ``table`` is a :class:`Table`, or anything :func:`read_table` reads (a DataFrame, a CSV/xlsx or
    vector file), then read through the gate first with ``key=on`` (codes or names; default: the
    first code or name column found) at any level; ``on`` is not used with a :class:`Table`.

    A joined column that the frame already has is an error unless it holds the same values (a table
    exported by yrdgeo, read back), which are then left as they are: a user column never silently
    loses to, nor silently replaces, a bundled one. Units without a row get NaN (reported in
    ``table.report``); table rows for units not in the frame are reported and warned about.

    Raises
    ------
    InputError
        The frame has no ``adcode`` column or a malformed code (naming the row); a requested column is
        not an indicator of the table; a joined column clashes with a column of the frame holding other
        values. (A table none of whose units is in the frame is warned about, naming them.)
    """
    if "adcode" not in units.columns:
        msg = f"the frame to join to has no 'adcode' column; its columns: {list(units.columns)}"
        raise InputError(msg)
    if not isinstance(table, Table):
        table = read_table(table, key=on, columns=columns, level="mixed")
    cols = list(table.indicators if columns is None else columns)
    absent = [c for c in cols if c not in table.indicators]
    if absent:
        msg = f"{table.report.what} {table.source} has no indicator column(s) {absent}; indicators: {table.indicators}"
        raise InputError(msg)
    lookup = table.data.set_index("adcode")[cols]
    # The frame's codes are read like the table's: 320500, "320500" and 320500.0 are one unit.
    keys = parse_codes(units["adcode"].to_list(), what="the frame joined to")
    joined = lookup.reindex(keys)
    out = units.copy()
    for c in cols:
        name = f"{prefix}{c}"
        new = joined[c].to_numpy(dtype="float64")
        if isinstance(out, gpd.GeoDataFrame) and name == out.geometry.name:
            msg = f"column {name!r} of {table.report.what} {table.source} has the name of the frame's geometry column"
            raise InputError(msg)
        if name in out.columns:
            old = pd.to_numeric(out[name], errors="coerce").to_numpy(dtype="float64")
            same = np.allclose(np.nan_to_num(old, nan=np.inf), np.nan_to_num(new, nan=np.inf), rtol=1e-9, atol=0)
            if not same:
                msg = (f"column {name!r} of {table.report.what} {table.source} has the name of a column the units "
                       f"already carry, with other values; rename it (e.g. {name + '_user'!r})")
                raise InputError(msg)
            continue
        out[name] = new
    without = sorted(set(keys) - set(lookup.index))
    if without:
        table.report.add("row", f"{len(without)} unit(s) joined to",
                         ", ".join(without[:10]) + (" …" if len(without) > 10 else ""),
                         "have no row in the table: their values are missing (NaN)")
    extra = sorted(set(table.data.adcode) - set(keys))
    if extra:
        table.report.add("row", f"{len(extra)} unit(s)", ", ".join(extra[:10]), "not among the units joined to: "
                         "not used")
        none = "" if len(extra) < len(table.data) else (
            f" — none of its {table.level}-level units is in the frame, so every joined value is missing: is it a "
            "table of another level or region?")
        warnings.warn(f"{len(extra)} row(s) of {table.report.what} {table.source} match no unit of the frame joined "
                      f"to: {extra[:10]}{none}", InputWarning, stacklevel=2)
    return out


def indicators_by_code(
    source: str | os.PathLike | pd.DataFrame, *, columns: Sequence[str] | None = None, what: str = "attribute table"
) -> pd.DataFrame:
    """Return the indicator ``columns`` (default: every numeric one) of a table as a frame indexed by adcode.

    ``source`` is anything :func:`read_table` reads, keyed by its ``adcode`` column; a DataFrame
    without one is keyed by its index (adcodes as the index). Units of several levels may stand
    side by side (a corridor's district beside whole cities; an enclave's two ends). Raises
    :class:`InputError` as :func:`read_table` does (repeated units, malformed codes, a requested
    column absent or not numeric).
    """
    if isinstance(source, pd.DataFrame) and "adcode" not in source.columns:
        source = source.rename_axis("adcode").reset_index()
    table = read_table(source, key="adcode", columns=None if columns is None else list(dict.fromkeys(columns)),
                       level="mixed", what=what)
    return table.data.set_index("adcode")[table.indicators]


# ----------------------------------------------------------------------------- layers

GEOMETRY_KINDS = {
    "polygon": ("Polygon", "MultiPolygon"),
    "line": ("LineString", "MultiLineString", "LinearRing"),
    "point": ("Point", "MultiPoint"),
}
#: Longitude/latitude box that any layer about the YRD must touch (the region with a margin).
YRD_BOX = (113.0, 26.0, 124.5, 36.0)
WGS84_CRS = CRS.from_epsg(4326)


def read_layer(
    path: str | os.PathLike,
    *,
    layer: str | None = None,
    geometry: str | None = "polygon",
    key: str | None = "adcode",
    strict: bool = False,
    compare_bundled: bool = True,
    what: str = "layer",
    warn: bool = True,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Return a vector file's features as a GeoDataFrame that passed :func:`check_layer` (in the file's CRS).

    GDAL/pyogrio failures (missing, empty or truncated file, unknown layer, a file that is not
    vector data) become an :class:`InputError` naming the file and layer. ``encoding`` forces the
    text encoding of the attributes; by default a Shapefile whose text reads as Latin-1 mojibake
    (GBK without a ``.cpg`` file, common from Chinese GIS software) is read as GB18030, and said so.
    """
    p = Path(path)
    if p.is_dir() and p.suffix.lower() not in (".gdb",):
        msg = f"{what} {p} is a folder; give a GeoPackage, GeoJSON or Shapefile"
        raise InputError(msg)
    if not p.exists():
        msg = f"{what} {p} does not exist"
        raise InputError(msg)
    if p.is_file() and p.stat().st_size == 0:
        msg = f"{what} {p} is an empty file"
        raise InputError(msg)
    import pyogrio

    _check_layer_name(p, layer, what=what, expected="a GeoPackage, GeoJSON or Shapefile")
    try:
        frame = pyogrio.read_dataframe(p, layer=layer, encoding=encoding)
        note = None
        if encoding is None and _mojibake(frame):
            # A Shapefile from a Chinese GIS without a .cpg file is GBK, which GDAL reads as Latin-1.
            again = pyogrio.read_dataframe(p, layer=layer, encoding="GB18030")
            if _has_cjk(" ".join(map(str, again.columns)) + " " + " ".join(
                    str(v) for c in again.columns if again[c].dtype == object for v in again[c].head(50))):
                frame = again
                note = ("its text is GBK/GB18030 but the file does not say so (no .cpg file): read as GB18030 "
                        "(pass encoding= to choose another)")
    except Exception as exc:
        msg = f"cannot read {what} {p}{f' layer {layer!r}' if layer else ''}: {_gdal_text(exc)}"
        raise InputError(msg) from None
    if note is not None:
        frame.attrs["encoding_note"] = note
        warnings.warn(f"{what} {p.name}: {note}", InputWarning, stacklevel=2)
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{what} {p} has no geometry column; expected {geometry or 'a'} geometries"
        raise InputError(msg)
    return check_layer(frame, geometry=geometry, key=key, strict=strict, compare_bundled=compare_bundled,
                       what=f"{what} {p.name}", warn=warn)


def _check_layer_name(path: Path, layer: str | None, *, what: str, expected: str) -> list[str]:
    """Return the layers of a vector file, or raise InputError: unreadable, several without ``layer``, no such layer."""
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio's DataSourceError …
        msg = f"cannot read {what} {path}: {_gdal_text(exc)} (expected {expected})"
        raise InputError(msg) from None
    names = [str(n) for n in layers[:, 0]] if len(layers) else []
    if layer is None and len(names) > 1:
        msg = f"{what} {path} holds {len(names)} layers ({', '.join(names)}); name one (layer=/--layer)"
        raise InputError(msg)
    if layer is not None and layer not in names:
        msg = f"{what} {path} has no layer {layer!r}; its layers: {', '.join(names) or 'none'}"
        raise InputError(msg)
    return names


def _mojibake(frame: pd.DataFrame) -> bool:
    """Return True if the column names or text look like GBK bytes read as Latin-1 (Ãû³Æ for 名称)."""
    texts = [str(c) for c in frame.columns] + [str(v) for c in frame.columns if frame[c].dtype == object
                                               for v in frame[c].head(50) if isinstance(v, str)]
    joined = " ".join(texts)
    return not _has_cjk(joined) and re.search(r"[\u00c0-\u00ff]{2}", joined) is not None


def _gdal_text(exc: Exception) -> str:
    """Return GDAL's message in a form for the planner (no driver-prefix advice, damaged files named as such)."""
    text = (str(exc).strip() or type(exc).__name__).splitlines()[0]
    text = re.sub(r";?\s*It might help to specify the correct driver.*$", "", text).rstrip(" .;")
    damage = re.search(r"database disk image is malformed|file is not a database|truncated|unexpected end", text, re.I)
    if damage:
        text = f"the file is damaged or truncated (GDAL: {damage.group(0)})"
    elif "not recognized as being in a supported file format" in text:
        text = "GDAL does not recognise it as vector data"
    return text[:300]


def check_layer(
    frame: gpd.GeoDataFrame,
    *,
    geometry: str | None = "polygon",
    key: str | None = "adcode",
    strict: bool = False,
    compare_bundled: bool = True,
    what: str = "layer",
    warn: bool = True,
) -> gpd.GeoDataFrame:
    """Return a checked copy of ``frame`` (same CRS and rows; invalid geometries repaired), or raise InputError.

    Parameters
    ----------
    frame
        The planner's layer.
    geometry
        ``"polygon"``, ``"line"`` or ``"point"`` (multi-parts included), or None for any.
    key
        Column naming each feature's unit (used in messages, and to compare polygons with the bundled
        boundary of the same adcode). Absent columns are fine: features are then named by row.
    strict
        Refuse invalid geometries instead of repairing them.
    compare_bundled
        For polygons with an ``adcode``: refuse a polygon that lies away from the bundled boundary of
        its unit (a wrong code or a wrong CRS), warn when it overlaps it poorly or looks like GCJ-02.
    what
        How the layer is named in messages.

    Notes
    -----
    Checks, in order: a GeoDataFrame with a CRS; coordinates that can lie in the YRD under that CRS
    (metres labelled as degrees, degrees labelled as metres, and swapped lat/lon are named as such);
    the geometry type; no null or empty geometry; validity (``shapely.make_valid``, keeping the parts
    of the expected type; a polygon that repairs to nothing is refused); no polygon without area
    (collinear rings, which GEOS calls valid); for polygons with a known ``adcode``, the distance and
    overlap with the bundled boundary and a GCJ-02 offset. The input frame is never modified. The
    report is in ``result.attrs["input_report"]``.
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{what} must be a GeoDataFrame, got {type(frame).__name__}"
        raise InputError(msg)
    if geometry is not None and geometry not in GEOMETRY_KINDS:
        msg = f"geometry must be one of {sorted(GEOMETRY_KINDS)} or None, got {geometry!r}"
        raise ValueError(msg)
    report = InputReport(what, "")
    if len(frame) == 0:
        msg = f"{what} has no features"
        raise InputError(msg)
    if frame.crs is None:
        msg = (f"{what} has no coordinate reference system; set it (GeoDataFrame.set_crs, or define it in QGIS / "
               "in the file): EPSG:4326 or EPSG:4490 for lon/lat degrees, EPSG:4549 for CGCS2000 Gauss-Krüger 120°E "
               "metres, EPSG:3857 for web-map metres")
        raise InputError(msg)
    names = _feature_names(frame, key)
    geoms = frame.geometry.array
    missing = shapely.is_missing(np.asarray(geoms)) | shapely.is_empty(np.asarray(geoms))
    if missing.any():
        bad = [names[i] for i in np.flatnonzero(missing)]
        msg = (f"{what}: {len(bad)} feature(s) have no geometry (null or empty): {', '.join(bad[:10])}"
               f"{' …' if len(bad) > 10 else ''}; remove them or draw their geometry")
        raise InputError(msg)
    _check_coordinates(frame, what=what)
    if geometry is not None:
        allowed = GEOMETRY_KINDS[geometry]
        types = frame.geom_type.to_numpy()
        wrong = ~np.isin(types, allowed + ("GeometryCollection",))
        if wrong.any():
            found = pd.Series(types[wrong]).value_counts().to_dict()
            msg = (f"{what}: expected {geometry} geometries ({'/'.join(allowed)}), found "
                   f"{', '.join(f'{n} {t}' for t, n in found.items())} (e.g. {names[int(np.flatnonzero(wrong)[0])]})")
            raise InputError(msg)
    out = frame.copy()
    valid = shapely.is_valid(np.asarray(geoms))
    collections = frame.geom_type.to_numpy() == "GeometryCollection"
    fix = ~valid | collections
    if fix.any():
        if strict and (~valid).any():
            i = int(np.flatnonzero(~valid)[0])
            msg = (f"{what}: {int((~valid).sum())} invalid geometries (strict mode), e.g. {names[i]}: "
                   f"{shapely.is_valid_reason(geoms[i])}; repair them (QGIS: Fix geometries) or drop strict")
            raise InputError(msg)
        repaired = list(np.asarray(geoms))
        for i in np.flatnonzero(fix):
            reason = shapely.is_valid_reason(geoms[i]) if not valid[i] else "a geometry collection"
            new = _keep_kind(shapely.make_valid(geoms[i]), geometry)
            if new is None or new.is_empty or (geometry == "polygon" and _flat(np.array([new]))[0]):
                msg = (f"{what}: the geometry of {names[i]} is invalid ({reason}) and has no {geometry or 'usable'} "
                       "part left after repair; redraw it")
                raise InputError(msg)
            repaired[i] = new
            report.add("repaired", names[i], reason, "invalid geometry repaired with shapely.make_valid"
                       + (_area_change(geoms[i], new, frame.crs) if geometry == "polygon" else ""))
        out[out.geometry.name] = gpd.GeoSeries(repaired, index=out.index, crs=frame.crs)
    if geometry == "polygon":
        flat = _flat(np.asarray(out.geometry.array))
        if flat.any():
            bad = [names[i] for i in np.flatnonzero(flat)]
            msg = (f"{what}: {len(bad)} polygon(s) enclose no area (their points lie on a line), e.g. {bad[0]}; "
                   "redraw them or remove them")
            raise InputError(msg)
    if geometry == "polygon" and compare_bundled and key is not None and key in frame.columns:
        _compare_with_bundled(out, key, names, report, what=what, strict=strict)
    # A layer already checked and warned about (read_layer, then a library call on it) is not warned about
    # twice for the same issues: only what this check finds anew is warned about.
    before = frame.attrs.get("input_report")
    seen = before.issues if isinstance(before, InputReport) and before.facts.get("warned") else []
    out.attrs["input_report"] = report
    if warn:
        InputReport(report.source, report.what, [i for i in report.issues if i not in seen]).emit()
        report.facts["warned"] = True
    return out


def _area_change(old: Any, new: Any, crs: Any) -> str:
    """Return a note comparing a repaired polygon's area with its outer ring(s)' (holes outside a shell become land)."""
    from .crs import AREA_CRS

    shells = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(old)
                                if p.geom_type == "Polygon" and shapely.Polygon(p.exterior).is_valid])
    before, after = gpd.GeoSeries([shells, new], crs=crs).to_crs(AREA_CRS).area.to_numpy() / 1e6
    if before == 0 or abs(after - before) <= 0.01 * before:  # a self-crossing outer ring measures nothing
        return ""
    return (f" (area after repair {after:,.4g} km², its outer ring(s) enclose {before:,.4g} km²: check holes and "
            "overlapping parts)")


def _feature_names(frame: gpd.GeoDataFrame, key: str | None) -> list[str]:
    """Return how each feature is named in messages: ``feature 4 (adcode 320300, 徐州市)``."""
    name_col = next((c for c in ("name_zh", "name") if c in frame.columns and c != frame.geometry.name), None)
    keys = frame[key].to_list() if key is not None and key in frame.columns else None
    labels = frame[name_col].to_list() if name_col is not None else None
    out = []
    def given(v: Any) -> bool:
        return v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v).strip() != ""

    for i in range(len(frame)):
        parts = ([f"{key} {keys[i]}"] if keys is not None and given(keys[i]) else []) + (
            [str(labels[i])] if labels is not None and given(labels[i]) else [])
        out.append(f"feature {i + 1}" + (f" ({', '.join(parts)})" if parts else ""))
    return out


def _check_coordinates(frame: gpd.GeoDataFrame, *, what: str) -> None:
    crs = CRS.from_user_input(frame.crs)
    x0, y0, x1, y1 = (float(v) for v in frame.total_bounds)
    looks_degrees = -180 <= x0 and x1 <= 180 and -90 <= y0 and y1 <= 90
    bx0, by0, bx1, by1 = YRD_BOX
    if crs.is_geographic and by0 <= x0 and x1 <= by1 and bx0 <= y0 and y1 <= bx1:
        msg = (f"{what}: the coordinates run x {x0:.2f} … {x1:.2f}, y {y0:.2f} … {y1:.2f}: latitude and longitude "
               "are swapped (x must be longitude, about 115–123 in the YRD; y latitude, about 27–35). Swap the axes "
               "(QGIS: Swap X and Y coordinates; shapely.ops.transform(lambda x, y: (y, x), geom))")
        raise InputError(msg)
    if crs.is_geographic:
        if not looks_degrees:
            msg = (f"{what}: the CRS {crs.to_string()} says longitude/latitude degrees, but the coordinates run "
                   f"x {x0:,.0f} … {x1:,.0f}, y {y0:,.0f} … {y1:,.0f}, which look like metres of a projected CRS "
                   "(e.g. EPSG:3857 web-map metres or EPSG:4549 Gauss-Krüger). A GeoJSON file without a 'crs' member "
                   "is read as EPSG:4326: set the layer's real CRS (set_crs(..., allow_override=True) / QGIS: Set CRS)")
            raise InputError(msg)
        # Any geographic CRS is lon/lat here: datum shifts (< 200 m) do not matter to a box of the region.
        lon0, lat0, lon1, lat1 = x0, y0, x1, y1
    else:
        if looks_degrees and max(abs(x0), abs(x1), abs(y0), abs(y1)) < 200:
            msg = (f"{what}: the CRS {crs.to_string()} is projected (metres), but the coordinates run x {x0:g} … {x1:g}, "
                   f"y {y0:g} … {y1:g}, which look like longitude/latitude degrees; set the layer's CRS to EPSG:4326 "
                   "(or EPSG:4490)")
            raise InputError(msg)
        try:
            lon0, lat0, lon1, lat1 = _to_lonlat(crs).transform_bounds(x0, y0, x1, y1)
        except Exception as exc:  # pyproj.ProjError for coordinates outside the projection's domain
            msg = f"{what}: coordinates cannot be transformed from {crs.to_string()} to longitude/latitude ({exc})"
            raise InputError(msg) from None
    if not all(map(math.isfinite, (lon0, lat0, lon1, lat1))) or lon1 < bx0 or lon0 > bx1 or lat1 < by0 or lat0 > by1:
        swapped = by0 <= lon0 and lon1 <= by1 and bx0 <= lat0 and lat1 <= bx1
        hint = (" — these are latitude/longitude in the wrong order (swapped axes): x should be longitude "
                "(about 115–123), y latitude (about 27–35)") if swapped else (
            " — is the CRS right? (a layer in EPSG:4326 is expected at x 115–123, y 27–35)")
        msg = (f"{what}: under its CRS {crs.to_string()} the layer lies at longitude {lon0:.2f} … {lon1:.2f}, latitude "
               f"{lat0:.2f} … {lat1:.2f}, outside the Yangtze River Delta{hint}")
        raise InputError(msg)


@lru_cache(maxsize=16)
def _lonlat_transformer(wkt: str) -> Transformer:
    crs = CRS.from_wkt(wkt)
    return Transformer.from_crs(crs, crs.geodetic_crs or WGS84_CRS, always_xy=True)


def _to_lonlat(crs: CRS) -> Transformer:
    """Return a transformer from ``crs`` to its own lon/lat (no datum change: fast to build, exact enough here)."""
    return _lonlat_transformer(crs.to_wkt())


def _same_as_wgs84(crs: CRS) -> bool:
    """Return True for WGS84 and CGCS2000 lon/lat (they agree to centimetres; see :mod:`yrdgeo.crs`)."""
    return crs.equals(WGS84_CRS) or crs.equals(CRS.from_epsg(4490))


def _flat(geoms: np.ndarray) -> np.ndarray:
    """Return True where a polygon has no area to speak of (below 1e-9 of its bounding box's squared diagonal)."""
    b = shapely.bounds(geoms)
    diag2 = (b[:, 2] - b[:, 0]) ** 2 + (b[:, 3] - b[:, 1]) ** 2
    return ~(shapely.area(geoms) > 1e-9 * diag2)


def _keep_kind(geom: Any, geometry: str | None):
    if geometry is None:
        return geom
    allowed = GEOMETRY_KINDS[geometry]
    parts = [p for p in shapely.get_parts(shapely.get_parts(geom)) if p.geom_type in allowed]
    if not parts:
        return None
    if geometry == "polygon":
        return shapely.union_all(parts) if len(parts) > 1 else parts[0]
    if geometry == "line":
        return shapely.MultiLineString(parts) if len(parts) > 1 else parts[0]
    return shapely.MultiPoint(parts) if len(parts) > 1 else parts[0]


def _compare_with_bundled(frame, key, names, report, *, what, strict) -> None:
    from .crs import AREA_CRS, WGS84, gcj02_to_wgs84_geometry
    from .units import all_units

    bundled = all_units().set_index("adcode").geometry
    codes = []
    for v in frame[key].to_list():
        try:
            codes.append(parse_code(v))
        except CodeError:
            codes.append(None)
    idx = [i for i, c in enumerate(codes) if c is not None and c in bundled.index]
    if not idx:
        return
    crs = CRS.from_user_input(frame.crs)
    geoms = np.asarray(frame.geometry.array)[idx]
    if _same_as_wgs84(crs):
        user = gpd.GeoSeries(geoms, crs=WGS84)
    else:
        geodetic = crs.geodetic_crs
        if geodetic is not None and _same_as_wgs84(geodetic):
            # Inverse projection only (a transformer built in milliseconds; WGS84/CGCS2000 agree to centimetres).
            xy = _to_lonlat(crs)
            user = gpd.GeoSeries(shapely.transform(geoms, lambda c: np.column_stack(xy.transform(c[:, 0], c[:, 1]))),
                                 crs=WGS84)
        else:
            user = gpd.GeoSeries(geoms, crs=crs).to_crs(WGS84)
    ref = gpd.GeoSeries([bundled[codes[i]] for i in idx], crs=WGS84)
    # The bundled boundary itself (read back, or reprojected and back) needs no comparison: the same
    # bounds (to about a metre) and the same area (to 0.01 %) say so without an overlay.
    ua, ra = np.asarray(user.array), np.asarray(ref.array)
    same = (np.abs(shapely.bounds(ua) - shapely.bounds(ra)).max(axis=1) < 1e-5) & (
        np.abs(shapely.area(ua) - shapely.area(ra)) <= 1e-4 * shapely.area(ra))
    todo = [j for j in range(len(idx)) if not same[j]]
    if not todo:
        return
    # Overlap on simplified shapes (300 m): enough to tell a wrong place from a redrawn boundary, and fast.
    u_exact = np.asarray(user.iloc[todo].to_crs(AREA_CRS).array)
    u = shapely.make_valid(shapely.simplify(u_exact, 300, preserve_topology=False))
    # A polygon narrower than the tolerance simplifies to nothing: compare it as drawn (an empty one would
    # "lie nan km away").
    small = shapely.is_empty(u)
    u[small] = shapely.make_valid(u_exact[small])
    r = shapely.make_valid(shapely.simplify(np.asarray(ref.iloc[todo].to_crs(AREA_CRS).array), 300,
                                            preserve_topology=False))
    inter = shapely.area(shapely.intersection(u, r))
    union = shapely.area(shapely.union(u, r))
    for k, j in enumerate(todo):
        i = idx[j]
        if inter[k] == 0:
            gap_km = shapely.distance(u[k], r[k]) / 1000.0
            ll = user.iloc[j].representative_point()
            msg = (f"{what}: the polygon of {names[i]} lies {gap_km:,.0f} km from the bundled boundary of "
                   f"{codes[i]} (it is drawn near lon {ll.x:.2f}, lat {ll.y:.2f}) — a wrong code, a wrong CRS or a "
                   "misplaced polygon; correct it")
            raise InputError(msg)
        iou = inter[k] / union[k] if union[k] else 0.0
        if iou < 0.6:
            action = f"overlaps the bundled boundary of {codes[i]} by only {iou:.0%} (intersection over union)"
            if strict:
                msg = f"{what}: the polygon of {names[i]} {action} (strict mode)"
                raise InputError(msg)
            report.add("geometry", names[i], "", action + ": check the code and the CRS")
    # GCJ-02 coordinates sit a few hundred metres north-east of WGS84: compare shifts on a sample.
    sample = [j for j in todo[:20]]
    as_wgs = gcj02_to_wgs84_geometry(user.iloc[sample])
    d_raw = _mean_offset_m(user.iloc[sample], ref.iloc[sample])
    d_fixed = _mean_offset_m(as_wgs, ref.iloc[sample])
    if d_raw > 150 and d_fixed < d_raw / 3:
        report.add("crs", "the layer", "", f"sits about {d_raw:,.0f} m from the bundled WGS84 boundaries, as GCJ-02 "
                   "(AMap) coordinates do; convert with yrdgeo.gcj02_to_wgs84_geometry if it came from AMap")
        return
    # BD-09 (Baidu) adds a second offset of about a kilometre on top of GCJ-02.
    from .crs import bd09_to_wgs84_geometry

    d_bd = _mean_offset_m(bd09_to_wgs84_geometry(user.iloc[sample]), ref.iloc[sample])
    if d_raw > 150 and d_bd < d_raw / 3:
        report.add("crs", "the layer", "", f"sits about {d_raw:,.0f} m from the bundled WGS84 boundaries, as Baidu "
                   "BD-09 coordinates do; convert with yrdgeo.crs.bd09_to_wgs84_geometry if it came from Baidu")


def _mean_offset_m(a: gpd.GeoSeries, b: gpd.GeoSeries) -> float:
    from .crs import DISTANCE_CRS

    ca = a.to_crs(DISTANCE_CRS).centroid
    cb = b.to_crs(DISTANCE_CRS).centroid
    return float(np.mean(ca.distance(cb, align=False)))


def is_blank(value: object) -> bool:
    """Return True for a cell that holds no value: None, NaN/NaT/pd.NA, or text that is empty or only spaces.

    The text ``"nan"``, ``"NaT"`` or ``"None"`` (what a round trip through ``str`` makes of a
    missing value) counts as blank too.
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return str(value).strip().lower() in {"", "nan", "nat", "none", "<na>"}


__all__: Iterable[str] = [
    "InputError", "InputWarning", "InputIssue", "InputReport", "NumberError", "Table", "parse_codes",
    "check_layer", "indicators_by_code", "is_blank", "join_table", "parse_number", "parse_numbers", "read_layer",
    "read_table", "read_text",
]
