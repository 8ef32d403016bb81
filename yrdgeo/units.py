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
:class:`AmbiguousUnitError` listing them with their provinces.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache
from importlib.resources import files
from typing import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

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


def data_path(*parts: str):
    """Return the path of a bundled data file (works from a checkout and from an installed wheel)."""
    return files("yrdgeo").joinpath("data", *parts)


@lru_cache(maxsize=1)
def _table() -> gpd.GeoDataFrame:
    path = data_path("boundaries", "yrd_units.gpkg")
    gdf = gpd.read_file(str(path), layer="units")
    for col in ("adcode", "province_adcode", "parent_adcode"):
        gdf[col] = gdf[col].astype("string").astype(object).where(gdf[col].notna(), None)
    return gdf


@lru_cache(maxsize=1)
def _china_names() -> pd.DataFrame:
    return pd.read_csv(str(data_path("boundaries", "china_names.csv")), dtype=str)


def normalize_name(text: str) -> str:
    """Return the key used to compare names: lower case, no tone marks, spaces, apostrophes or hyphens."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ü", "v").replace("Ü", "v")
    return "".join(ch for ch in stripped.lower() if ch.isalnum())


@lru_cache(maxsize=1)
def _index() -> dict[str, list[str]]:
    """Map every accepted name key to the adcodes it names."""
    t = _table()
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


def _describe(code: str) -> str:
    r = _table().set_index("adcode").loc[code]
    parent = ""
    if r.level == "county":
        parent = _table().set_index("adcode").loc[r.parent_adcode, "name_zh"]
    if parent == r.province_zh:  # Shanghai's districts: 上海市, not 上海市上海市
        parent = ""
    where = f"{r.province_zh}{parent}" if r.level != "province" else ""
    return f"{r.name_zh} ({r.name_en}, {r.level}, {where or 'province'}, adcode {code})"


def resolve(name: str | int, *, level: str | None = None) -> str:
    """Return the adcode of the one YRD unit that ``name`` identifies.

    Parameters
    ----------
    name
        An adcode (``310117``, ``"310117"``, 12-digit statistical codes too),
        a Chinese full or short name, pinyin or English name.
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
    t = _table()
    codes: list[str]
    text = str(name).strip()
    if isinstance(name, (int, np.integer)) or text.isdigit():
        code = text[:6] if len(text) in (6, 9, 12) else text
        codes = [code] if code in set(t.adcode) else []
        if not codes:
            _raise_unknown(name, code=code)
    else:
        codes = list(_index().get(normalize_name(text), [])) or _compound(text)
        if not codes:
            _raise_unknown(name)
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
        listing = "; ".join(_describe(c) for c in codes)
        msg = (
            f"{name!r} is ambiguous in the YRD: it names {len(codes)} units: {listing}. "
            "Use the Chinese name, the adcode, or pass level=."
        )
        raise AmbiguousUnitError(msg, query=name, candidates=codes)
    return codes[0]


def _compound(text: str) -> list[str]:
    """Return the one county-level unit named as city + county (上海市松江区, 滁州市来安县), if any."""
    t = _table()
    for city in t[t.level == "city"].itertuples(index=False):
        if text.startswith(city.name_zh) and len(text) > len(city.name_zh):
            rest = text[len(city.name_zh):]
            kids = t[(t.parent_adcode == city.adcode) & ((t.name_zh == rest) | (t.short_zh == rest))]
            if len(kids) == 1:
                return [str(kids.adcode.iloc[0])]
    return []


def _raise_unknown(name: object, *, code: str | None = None) -> None:
    china = _china_names()
    key = normalize_name(str(name))
    if code is not None:
        hit = china[china.adcode == code]
    else:
        hit = china[
            (china.name_zh == str(name).strip())
            | (china.short_zh == str(name).strip())
            | (china.pinyin.map(normalize_name) == key)
        ]
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
    hint = ("; did you mean " + ", ".join(_describe(c) for c in codes) + "?") if codes else ""
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
        Limit to one or more provinces, given by any name or code :func:`resolve` accepts.
    """
    if level not in LEVELS:
        msg = f"level must be one of {LEVELS}, got {level!r}"
        raise ValueError(msg)
    t = _table()
    out = t[t.level == level]
    if province is not None:
        provs = [province] if isinstance(province, (str, int)) else list(province)
        codes = {_province_code(p) for p in provs}
        out = out[out.province_adcode.isin(codes)]
    return out.reset_index(drop=True).copy()


def _province_code(p: str | int) -> str:
    code = resolve(p)
    return code if code in PROVINCES_ZH else _table().set_index("adcode").loc[code, "province_adcode"]


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
            msg = f"{n!r} and {seen[c]!r} name the same unit ({_describe(c)}); list each unit once"
            raise ValueError(msg)
        seen[c] = n
    t = _table().set_index("adcode", drop=False)
    return t.loc[codes].reset_index(drop=True).copy()


def unit(name: str | int, *, level: str | None = None) -> pd.Series:
    """Return one unit's row (attributes and geometry) as a Series."""
    code = resolve(name, level=level)
    return _table().set_index("adcode", drop=False).loc[code].copy()


def all_units() -> gpd.GeoDataFrame:
    """Return every unit of every level as a new GeoDataFrame."""
    return _table().copy()


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
