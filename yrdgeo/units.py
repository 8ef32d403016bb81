"""The canonical YRD unit table: load levels and selections, resolve names and codes.

Every unit of Shanghai, Jiangsu, Zhejiang and Anhui — 4 provinces, 41
prefecture-level cities (Shanghai's municipal level, adcode 310100, counts as
a city) and 305 county-level units — with columns ``adcode``, ``name_zh``,
``short_zh``, ``pinyin``, ``name_en``, ``level`` (province/city/county),
``kind`` (province, municipality, prefecture, district, county, county_city),
``province_adcode``, ``province_zh``, ``parent_adcode``, ``anchor_lon``,
``anchor_lat`` (seat of government, WGS84), ``anchor_source`` and polygon
``geometry`` in EPSG:4326. See ``data/boundaries/PROVENANCE.md``.

Name resolution accepts adcodes (str or int, 6 or 12 digits), Chinese full
(苏州市) or short (苏州) names, a county-level unit written with its city
(上海市松江区, 苏州市昆山市), pinyin in any case with or without spaces,
apostrophes or tone marks (Sūzhōu, "su zhou") and English names ("Songjiang
District"). It never guesses: a name shared by several units raises
:class:`AmbiguousUnitError` listing them with their provinces; a unit that was
renamed, merged or split since (江干区, 2021) raises :class:`RenamedUnitError`
naming its successors and the year (``data/boundaries/renamed_units.csv``); a
malformed code (``3205001``, the township code ``320583101``) raises
:class:`MalformedCodeError` and is never cut to six digits.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from importlib.resources import files
from typing import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from .codes import CodeError, parse_code

LEVELS = ("province", "city", "county")
PROVINCES_ZH = {"310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省"}
_SHANGHAI_PROVINCE, _SHANGHAI_CITY = "310000", "310100"


class UnitError(ValueError):
    """A name or code that does not identify exactly one YRD unit."""

    def __init__(self, msg: str, *, query: object, candidates: Sequence[str] = ()):
        super().__init__(msg)
        self.query = query
        self.candidates = list(candidates)


class AmbiguousUnitError(UnitError):
    """The input names several units (e.g. Suzhou = 苏州 or 宿州); ``candidates`` lists their adcodes."""


class UnknownUnitError(UnitError):
    """The input matches no YRD unit; ``candidates`` lists close matches."""


class OutOfRegionError(UnknownUnitError):
    """The input is a Chinese unit outside Shanghai, Jiangsu, Zhejiang and Anhui."""


class RenamedUnitError(UnknownUnitError):
    """The input is a YRD unit that no longer exists: renamed, merged into another unit or split.

    ``successors`` lists the adcodes of today's unit(s) that took its area (also
    in ``candidates``); ``year`` is the year of the change, ``change`` its kind
    (``"renamed"``, ``"merged into"``, ``"split"``, ``"re-coded"``) and
    ``old_adcode`` the unit's former code.
    """

    def __init__(self, msg: str, *, query: object, successors: Sequence[str], year: int, change: str,
                 old_adcode: str):
        super().__init__(msg, query=query, candidates=successors)
        self.successors = list(successors)
        self.year = year
        self.change = change
        self.old_adcode = old_adcode


class MalformedCodeError(UnknownUnitError, CodeError):
    """The input is written as a code but is not a 6-digit (or 12-digit statistical) adcode.

    A :class:`UnitError` for callers of :func:`resolve` and a
    :class:`~yrdgeo.codes.CodeError` for callers of the code validator.
    """

    def __init__(self, msg: str, *, query: object):
        ValueError.__init__(self, msg)
        self.query = query
        self.value = query
        self.candidates = []


def data_path(*parts: str):
    """Return the path of a bundled data file (works from a checkout and from an installed wheel)."""
    return files("yrdgeo").joinpath("data", *parts)


@lru_cache(maxsize=1)
def table() -> gpd.GeoDataFrame:
    """Return the bundled unit table (every level, EPSG:4326), read once and shared.

    The frame is cached and shared by every caller: treat it as read-only and
    ``.copy()`` it before changing anything (:func:`all_units` returns a copy).
    """
    path = data_path("boundaries", "yrd_units.gpkg")
    gdf = gpd.read_file(str(path), layer="units")
    for col in ("adcode", "province_adcode", "parent_adcode"):
        gdf[col] = gdf[col].astype("string").astype(object).where(gdf[col].notna(), None)
    return gdf


@lru_cache(maxsize=1)
def by_code() -> gpd.GeoDataFrame:
    """Return the bundled unit table indexed by adcode (``adcode`` also kept as a column), read-only and shared."""
    return table().set_index("adcode", drop=False)


def anchors(codes: Iterable[str]) -> np.ndarray:
    """Return the seats of government of the given adcodes as an ``(n, 2)`` array of WGS84 lon/lat.

    Raises :class:`UnknownUnitError` naming the codes that are not bundled units.
    """
    codes = [str(c) for c in codes]
    t = by_code()
    unknown = [c for c in codes if c not in t.index]
    if unknown:
        msg = f"not bundled YRD adcodes: {unknown[:10]}{' …' if len(unknown) > 10 else ''}"
        raise UnknownUnitError(msg, query=unknown)
    return t.loc[codes, ["anchor_lon", "anchor_lat"]].to_numpy(dtype="float64").reshape(-1, 2)


def ancestor(code: str | int, level: str) -> str:
    """Return the adcode of the unit at ``level`` that contains ``code``: its city or province, or ``code`` itself.

    A county's city is its prefecture-level city (a Shanghai district's is 310100), a
    county's or city's province its province (310100 → 310000); a unit at ``level`` is its
    own. ``code`` is a bundled adcode (6 digits, str or int); names go through :func:`resolve`
    first.

    Raises
    ------
    ValueError
        ``level`` is not one of :data:`LEVELS`.
    UnknownUnitError
        ``code`` is not a bundled unit.
    UnitError
        ``level`` lies below the unit's own (a city lies in no county).
    """
    from .checks import check_choice  # checks imports nothing of yrdgeo: no circle

    check_choice("level", level, LEVELS)
    c, t = str(code), by_code()
    if c not in t.index:
        msg = f"{code!r} is not a bundled YRD adcode; expected the 6-digit code of a province, city or county"
        raise UnknownUnitError(msg, query=code)
    own = t.at[c, "level"]
    if LEVELS.index(level) > LEVELS.index(own):
        msg = f"{describe(c)} lies in no {level}; ask for its own level ({own}) or one above"
        raise UnitError(msg, query=code)
    if level == own:
        return c
    return str(t.at[c, "province_adcode"] if level == "province" else t.at[c, "parent_adcode"])


class NameCodeMismatchError(UnitError):
    """A row gives both a name and an adcode, and they name different units."""


def check_name_matches_code(name: str | int, code: str | int, *, what: str = "unit") -> str:
    """Return the adcode that both ``name`` and ``code`` resolve to.

    Raises :class:`NameCodeMismatchError` naming both units when they differ, or
    the :class:`UnitError` of whichever does not resolve.
    """
    by_code_ = resolve(code)
    by_name = resolve(name)
    if by_name != by_code_:
        msg = (f"{what}: name {name!r} is {describe(by_name)} but adcode {code!r} is {describe(by_code_)}; "
               "expected the two to name the same unit")
        raise NameCodeMismatchError(msg, query=(name, code), candidates=[by_name, by_code_])
    return by_code_


@lru_cache(maxsize=1)
def _china_names() -> pd.DataFrame:
    return pd.read_csv(str(data_path("boundaries", "china_names.csv")), dtype=str)


_YRD_PROVINCE_PREFIXES = ("31", "32", "33", "34")
_SUFFIX_EN = {"区": "District", "县": "County", "市": "City"}


@lru_cache(maxsize=1)
def _renamed() -> pd.DataFrame:
    """Return the YRD units renamed, merged or split since (one row per former unit), see PROVENANCE.md."""
    df = pd.read_csv(str(data_path("boundaries", "renamed_units.csv")), dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    return df


@lru_cache(maxsize=1)
def _renamed_index() -> dict[str, list[str]]:
    """Map every name key of a former unit (full, short, pinyin, English) to its former adcodes."""
    idx: dict[str, list[str]] = {}
    for row in _renamed().itertuples(index=False):
        english = f"{row.old_pinyin} {_SUFFIX_EN.get(row.old_name[-1], '')}"
        for key in (row.old_name, row.old_short, row.old_pinyin, english):
            key = normalize_name(key)
            if key and row.old_adcode not in idx.setdefault(key, []):
                idx[key].append(row.old_adcode)
    return idx


def _renamed_message(name: object, old_code: str) -> tuple[str, dict]:
    """Return the sentence about one former unit and the keyword arguments of its RenamedUnitError."""
    row = _renamed().set_index("old_adcode").loc[old_code]
    succ = row.new_adcodes.split(";")
    names = row.new_names.split(";")
    use = " or ".join(f"{n} (adcode {c})" for n, c in zip(names, succ))
    text = f"{row.old_name} (adcode {old_code}), which no longer exists: in {row.year} it {row.note}; use {use}"
    kwargs = {"query": name, "successors": succ, "year": int(row.year), "change": row.change,
              "old_adcode": old_code}
    return text, kwargs


def _several_places(name: object, former: Sequence[str], outside: pd.DataFrame) -> UnknownUnitError:
    """Return the error for a name shared by several former YRD units, or by one and places outside the YRD.

    It is never a :class:`RenamedUnitError`: which successor is meant cannot be told.
    """
    parts = [_renamed_message(name, c)[0] for c in former]
    parts += [f"outside the YRD, {r.name_zh} ({r.adcode})" for r in outside.head(5).itertuples()]
    ren = _renamed().set_index("old_adcode")
    succ = [s for c in former for s in ren.loc[c, "new_adcodes"].split(";")]
    msg = (f"{name!r} is no current YRD unit and may name {len(parts)} places: " + " | ".join(parts)
           + ". Use today's Chinese name or adcode.")
    return UnknownUnitError(msg, query=name, candidates=list(dict.fromkeys(succ + list(outside.adcode))))


def _raise_renamed(name: object, old_code: str) -> None:
    text, kwargs = _renamed_message(name, old_code)
    msg = f"{name!r} names {text}. yrdgeo uses today's units."
    raise RenamedUnitError(msg, **kwargs)


def _renamed_problems() -> list[str]:
    """Return what is wrong with ``renamed_units.csv`` against the unit table and ``china_names.csv`` (empty: fine).

    Every YRD code of the national name table that is not a current unit must
    be listed, every successor must be a current unit with the name given, and
    no former code may still be current.
    """
    t = by_code()
    ren = _renamed()
    problems = []
    china = _china_names()
    yrd = china[china.adcode.str[:2].isin(_YRD_PROVINCE_PREFIXES)]
    for row in yrd[~yrd.adcode.isin(t.index)].itertuples(index=False):
        if row.adcode not in set(ren.old_adcode):
            problems.append(f"{row.name_zh} ({row.adcode}) is in china_names.csv but neither current nor listed")
    if ren.old_adcode.duplicated().any():
        problems.append(f"former codes listed twice: {sorted(ren.old_adcode[ren.old_adcode.duplicated()])}")
    for row in ren.itertuples(index=False):
        if row.old_adcode in t.index:
            problems.append(f"{row.old_name} ({row.old_adcode}) is listed as former but is a current unit")
        succ, names = row.new_adcodes.split(";"), row.new_names.split(";")
        if len(succ) != len(names) or (row.change == "split") != (len(succ) > 1):
            problems.append(f"{row.old_adcode}: successors {succ} and names {names} do not fit change {row.change!r}")
        for c, n in zip(succ, names):
            if c not in t.index or t.loc[c, "name_zh"] != n:
                problems.append(f"{row.old_adcode}: successor {n} ({c}) is not a current unit of that name")
        if row.change not in {"renamed", "merged into", "split", "re-coded"}:
            problems.append(f"{row.old_adcode}: unknown change kind {row.change!r}")
        if not (1980 <= row.year <= 2100) or not row.source.strip():
            problems.append(f"{row.old_adcode}: year {row.year} or source missing")
    return problems


def normalize_name(text: str) -> str:
    """Return the key used to compare names: lower case, no tone marks, spaces, apostrophes or hyphens."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ü", "v").replace("Ü", "v")
    return "".join(ch for ch in stripped.lower() if ch.isalnum())


@lru_cache(maxsize=1)
def _index() -> dict[str, list[str]]:
    """Map every accepted name key to the adcodes it names."""
    t = table()
    idx: dict[str, list[str]] = {}

    def add(key: str, code: str) -> None:
        key = normalize_name(key)
        if key and code not in idx.setdefault(key, []):
            idx[key].append(code)

    level_word = {"province": "province", "city": "city"}
    for row in t.itertuples(index=False):
        for key in (row.name_zh, row.short_zh, row.pinyin, row.name_en):
            add(key, row.adcode)
        if row.level in level_word:
            add(f"{row.pinyin} {level_word[row.level]}", row.adcode)
    return idx


def describe(code: str) -> str:
    """Return a unit described for messages: ``苏州市 (Suzhou City, city, 江苏省, adcode 320500)``."""
    r = by_code().loc[code]
    parent = ""
    if r.level == "county":
        parent = by_code().loc[r.parent_adcode, "name_zh"]
    if parent == r.province_zh:  # Shanghai's districts: 上海市, not 上海市上海市
        parent = ""
    where = f"{r.province_zh}{parent}" if r.level != "province" else ""
    return f"{r.name_zh} ({r.name_en}, {r.level}, {where or 'province'}, adcode {code})"



def resolve(name: str | int, *, level: str | None = None) -> str:
    """Return the adcode of the one YRD unit that ``name`` identifies.

    Parameters
    ----------
    name
        An adcode (``310117``, ``"310117"``, ``310117.0``, full-width digits,
        12-digit statistical codes ending in ``000000`` too), a Chinese full or
        short name, pinyin or English name.
    level
        Restrict matches to ``"province"``, ``"city"`` or ``"county"``.

    Returns
    -------
    str
        The 6-digit adcode.

    Raises
    ------
    AmbiguousUnitError
        Several units carry that name; the message lists them with provinces.
    OutOfRegionError
        The name or code is a Chinese unit outside the YRD's four provinces.
    UnknownUnitError
        Nothing matches; the message suggests close matches.
    """
    if level is not None and level not in LEVELS:
        msg = f"level must be one of {LEVELS}, got {level!r}"
        raise ValueError(msg)
    t = table()
    codes: list[str]
    text = str(name).strip()
    if _looks_like_code(name):
        try:
            code = parse_code(name, what="unit code")
        except CodeError as exc:
            raise MalformedCodeError(str(exc), query=name) from None
        codes = [code] if code in set(t.adcode) else []
        if not codes:
            _raise_unknown(name, code=code)
    else:
        codes = list(_index().get(normalize_name(text), [])) or _compound(text)
        if not codes:
            _raise_unknown(name, former=_compound_former(text))
    levels = t.set_index("adcode").level
    if level is not None:
        codes = [c for c in codes if levels[c] == level]
        if not codes:
            msg = f"{name!r} names no YRD unit at level {level!r}"
            raise UnknownUnitError(msg, query=name)
    if _SHANGHAI_PROVINCE in codes and _SHANGHAI_CITY in codes:
        # Shanghai the province-level municipality and its municipal city level
        # are one place; the city level is what city tables use.
        codes.remove(_SHANGHAI_PROVINCE)
    if len(codes) > 1:
        listing = "; ".join(describe(c) for c in codes)
        msg = (
            f"{name!r} is ambiguous in the YRD: it names {len(codes)} units: {listing}. "
            "Use the Chinese name, the adcode, or pass level=."
        )
        raise AmbiguousUnitError(msg, query=name, candidates=codes)
    _refuse_pinyin_shared_outside(name, text, codes[0])
    return codes[0]


def _refuse_pinyin_shared_outside(name: object, text: str, code: str) -> None:
    """Raise AmbiguousUnitError when a pinyin name of a YRD district or county is also a city outside the YRD.

    "Jinan" is 金安区 (Lu'an) in the YRD and 济南市 outside it; "Baoshan" 宝山区 and 保山市. Written in
    Chinese or by adcode the unit is certain; in pinyin, guessing the YRD district would silently put
    a Shandong table on Lu'an.
    """
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return
    key = normalize_name(text)
    row = by_code().loc[code]
    if row.level != "county" or key != normalize_name(row.pinyin):  # "Baoshan District" is specific enough
        return
    china = _china_names()
    outside = china[~china.adcode.str[:2].isin(["31", "32", "33", "34"]) & china.adcode.str.endswith("00")
                    & (china.pinyin.map(normalize_name) == normalize_name(row.pinyin))]
    if len(outside):
        others = "; ".join(f"{r.name_zh} (adcode {r.adcode}, outside the YRD)" for r in outside.itertuples())
        msg = (f"{name!r} is ambiguous: it names {describe(code)} in the YRD and also {others}. "
               "Use the Chinese name or the adcode.")
        raise AmbiguousUnitError(msg, query=name, candidates=[code, *outside.adcode])


def _compound(text: str) -> list[str]:
    """Return the one county-level unit named as city + county (上海市松江区, 滁州市来安县), if any."""
    t = table()
    for city in t[t.level == "city"].itertuples(index=False):
        if text.startswith(city.name_zh) and len(text) > len(city.name_zh):
            rest = text[len(city.name_zh):]
            kids = t[(t.parent_adcode == city.adcode) & ((t.name_zh == rest) | (t.short_zh == rest))]
            if len(kids) == 1:
                return [str(kids.adcode.iloc[0])]
    return []


def _compound_former(text: str) -> list[str]:
    """Return the former codes of a unit named as city + former county (杭州市江干区, 南通市海门市)."""
    ren = _renamed()
    t = table()
    for city in t[t.level == "city"].itertuples(index=False):
        if text.startswith(city.name_zh) and len(text) > len(city.name_zh):
            rest = text[len(city.name_zh):]
            hit = ren[(ren.old_adcode.str[:4] == city.adcode[:4]) & ((ren.old_name == rest) | (ren.old_short == rest))]
            if len(hit):
                return list(hit.old_adcode)
    return []


_LETTER = re.compile(r"[^\W\d_]")  # any letter (Latin, CJK, ...), not digits or punctuation


def _looks_like_code(name: object) -> bool:
    """Return True if ``name`` is meant as a code: a number, or text with digits and no letters."""
    if isinstance(name, (bool, np.bool_)):
        return True  # refused by parse_code with a message, not looked up as a name
    if isinstance(name, (int, float, np.integer, np.floating)):
        return True
    text = unicodedata.normalize("NFKC", str(name))
    return any(ch.isdigit() for ch in text) and not _LETTER.search(text)


def _raise_unknown(name: object, *, code: str | None = None, former: Sequence[str] = ()) -> None:
    china = _china_names()
    key = normalize_name(str(name))
    if code is not None:
        if code in set(_renamed().old_adcode):
            _raise_renamed(name, code)
        hit = china[china.adcode == code]
    else:
        former = list(dict.fromkeys([*former, *_renamed_index().get(key, [])]))
        hit = china[
            (china.name_zh == str(name).strip())
            | (china.short_zh == str(name).strip())
            | (china.pinyin.map(normalize_name) == key)
        ]
    # A YRD code in the national table is either current (found above) or a
    # former unit (renamed_units.csv): never call it "outside the YRD".
    hit = hit[~hit.adcode.str[:2].isin(_YRD_PROVINCE_PREFIXES)]
    if len(former) == 1 and not len(hit):
        _raise_renamed(name, former[0])
    if former:
        raise _several_places(name, former, hit)
    if len(hit):
        outside = "; ".join(f"{r.name_zh} ({r.adcode})" for r in hit.head(5).itertuples())
        msg = (
            f"{name!r} is outside the YRD: {outside}. yrdgeo covers Shanghai, Jiangsu, "
            "Zhejiang and Anhui (province adcodes 31, 32, 33, 34)."
        )
        raise OutOfRegionError(msg, query=name, candidates=list(hit.adcode))
    keys = list(_index())
    close = difflib.get_close_matches(key, keys, n=5, cutoff=0.6)
    codes = list(dict.fromkeys(c for k in close for c in _index()[k]))[:5]
    hint = ("; did you mean " + ", ".join(describe(c) for c in codes) + "?") if codes else ""
    what = "adcode" if code is not None else "name"
    msg = f"unknown YRD unit {what} {name!r}{hint}"
    raise UnknownUnitError(msg, query=name, candidates=codes)


def load_units(
    level: str = "city",
    *,
    province: str | int | Iterable[str | int] | None = None,
) -> gpd.GeoDataFrame:
    """Return the units of one level as a new GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    level
        ``"province"``, ``"city"`` (the 41 prefecture-level cities) or ``"county"``
        (every county-level unit, Shanghai's 16 districts included).
    province
        Limit to one or more provinces, given by any name or code :func:`resolve`
        accepts for a province (上海, 江苏省, Zhejiang, 340000; Shanghai's city code
        310100 too). A city or county is refused with :class:`UnitError`, not
        widened to its province.
    """
    if level not in LEVELS:
        msg = f"level must be one of {LEVELS}, got {level!r}"
        raise ValueError(msg)
    t = table()
    out = t[t.level == level]
    if province is not None:
        provs = [province] if isinstance(province, (str, int)) else list(province)
        codes = {_province_code(p) for p in provs}
        out = out[out.province_adcode.isin(codes)]
    return out.reset_index(drop=True).copy()


def _province_code(p: str | int) -> str:
    """Return the adcode of the province ``p`` names; raise UnitError if it names a city or county."""
    try:
        return resolve(p, level="province")
    except UnitError:
        pass
    try:
        code = resolve(p)  # not a province: say what it is (or raise resolve's own unknown-name error)
    except AmbiguousUnitError as exc:
        t = by_code()
        named = " or ".join(f"{t.name_zh.get(c, c)} ({c})" for c in exc.candidates)
        msg = f"{p} is not a province (it is ambiguous: it names {named}); provinces: {_PROVINCE_LIST}"
        raise UnitError(msg, query=p, candidates=list(PROVINCES_ZH)) from None
    if code == _SHANGHAI_CITY:  # Shanghai the city level is the province-level municipality
        return _SHANGHAI_PROVINCE
    row = by_code().loc[code]
    # a city or county is never widened to its whole province: that would be a silent wrong selection
    msg = (f"{p} is a {row.level} ({row.name_zh}, {code}), not a province; provinces: {_PROVINCE_LIST} "
           f"({row.name_zh} is in {PROVINCES_ZH[row.province_adcode]})")
    raise UnitError(msg, query=p, candidates=[row.province_adcode])


_PROVINCE_LIST = "上海, 江苏, 浙江, 安徽"


def select_units(names: Iterable[str | int], *, level: str | None = None) -> gpd.GeoDataFrame:
    """Return the named units, in the given order, as a new GeoDataFrame (levels may be mixed).

    A district next to whole cities (Songjiang with Jiaxing and Hangzhou, as in
    the G60 corridor) is allowed. The same unit named twice is an error.
    """
    names = list(names)
    codes = [resolve(n, level=level) for n in names]
    seen: dict[str, object] = {}
    for n, c in zip(names, codes):
        if c in seen:
            msg = f"{n!r} and {seen[c]!r} name the same unit ({describe(c)}); list each unit once"
            raise ValueError(msg)
        seen[c] = n
    t = by_code()
    return t.loc[codes].reset_index(drop=True).copy()


def unit(name: str | int, *, level: str | None = None) -> pd.Series:
    """Return one unit's row (attributes and geometry) as a Series."""
    code = resolve(name, level=level)
    return by_code().loc[code].copy()


def all_units() -> gpd.GeoDataFrame:
    """Return every unit of every level as a new GeoDataFrame."""
    return table().copy()


def anchor_points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of a unit frame whose geometry is each unit's anchor (seat of government) point.

    The frame needs ``anchor_lon``/``anchor_lat`` columns (every yrdgeo unit
    frame has them); a frame without them gets a representative point per
    polygon and ``anchor_source = 'representative_point'``.
    """
    out = frame.copy()
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns):
        pts = gpd.points_from_xy(frame.anchor_lon, frame.anchor_lat, crs="EPSG:4326")
        if frame.crs is not None:
            pts = gpd.GeoSeries(pts, index=frame.index).to_crs(frame.crs).values
        out[frame.geometry.name] = gpd.GeoSeries(pts, index=frame.index, crs=frame.crs or "EPSG:4326")
    else:
        out[frame.geometry.name] = frame.geometry.representative_point()
        out["anchor_source"] = "representative_point"
    return out
