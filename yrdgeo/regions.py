"""Region groups of the YRD and how their membership changed over time.

The groups come from ``data/reference/region_groups.csv`` (facts from the
source papers; the ``seed`` column names the paper): the Shanghai Economic
Zone (1982–1988), the city economic coordination council in its successive
memberships, the 2010/2016/2019 plan areas, the 2016 metropolitan areas, the
G60 corridor versions, northern Anhui's transfer zone and the two docking
cities.

Dates in the table are partial (``1992``, ``2003-08``, ``1982-12-22``); a
year means 1 January and a month its first day. A group is in force on date
D when ``since <= D`` and (no ``until`` or ``D < until``); a group with no
``since`` is taken as in force at any date. Groups whose ids share a stem and
differ by a trailing version (``g60_v1``…``g60_v3``,
``yrd_city_econ_council_1997``…``_2013``) form a *series*: asking a series for
a date picks the newest version in force then.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from .units import LEVELS, _table, data_path, load_units, resolve, select_units

ALL_41 = "ALL_41"


def parse_date(text: object) -> date | None:
    """Return the first day of a partial date (``"2019"``, ``"2019-12"``, ``"2019-12-01"``), or None if blank.

    Raises ValueError naming the expected forms when the text is not such a date.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)) or str(text).strip() == "":
        return None
    try:
        parts = [int(p) for p in str(text).strip().split("-")]
        parts += [1] * (3 - len(parts))
        return date(*parts)
    except (TypeError, ValueError):
        msg = f"expected a date like '2019-12-01', '2019-12' or '2019', got {text!r}"
        raise ValueError(msg) from None


def as_date(when: str | date | pd.Timestamp) -> date:
    """Return ``when`` as a date: a date or Timestamp as is, text through :func:`parse_date`.

    Raises ValueError when the text is blank or not a date.
    """
    if isinstance(when, pd.Timestamp):
        return when.date()
    if isinstance(when, date):
        return when
    parsed = parse_date(when)
    if parsed is None:
        msg = f"expected a date like '2019-12-01', '2019-12' or '2019', got {when!r}"
        raise ValueError(msg)
    return parsed


_as_date = as_date  # the private name, as older callers use it


def _series_of(group_id: str) -> str:
    return re.sub(r"_(v\d+|\d{4}|\d+p\d+)$", "", group_id)


@lru_cache(maxsize=1)
def _groups() -> pd.DataFrame:
    df = pd.read_csv(str(data_path("reference", "region_groups.csv")), dtype=str, keep_default_na=False)
    df["since_date"] = df.since.map(parse_date)
    df["until_date"] = df.until.map(parse_date)
    df["series"] = df.group_id.map(_series_of)
    codes = []
    for members in df.members_zh:
        if members == ALL_41:
            codes.append(tuple(load_units("city").adcode))
        else:
            # Members are cities unless the name is a district (上海市松江区).
            codes.append(tuple(_member_code(m) for m in members.split(";")))
    df["member_adcodes"] = codes
    df["n_members"] = [len(c) for c in codes]
    return df


def _member_code(name: str) -> str:
    # Members are cities unless written as a district with its city (上海市松江区).
    try:
        return resolve(name, level="city")
    except ValueError:
        return resolve(name)


def list_groups() -> pd.DataFrame:
    """Return one row per region group: id, Chinese name, since, until, series, member count, seed, note."""
    cols = ["group_id", "group_zh", "since", "until", "series", "n_members", "seed", "note"]
    return _groups()[cols].copy()


def _in_force(row: pd.Series, on: date) -> bool:
    return (row.since_date is None or row.since_date <= on) and (row.until_date is None or on < row.until_date)


def _pick(group: str, as_of: str | date | None) -> pd.Series | None:
    g = _groups()
    if group in set(g.group_id):
        row = g[g.group_id == group].iloc[0]
        if as_of is None or _in_force(row, as_date(as_of)):
            return row
        return None
    if group in set(g.series):
        rows = g[g.series == group]
        if as_of is None:
            msg = f"{group!r} is a series of versions {list(rows.group_id)}; pass as_of= or one group id"
            raise ValueError(msg)
        on = as_date(as_of)
        live = rows[[_in_force(r, on) for _, r in rows.iterrows()]]
        if live.empty:
            return None
        return live.sort_values("since_date", key=lambda s: s.map(lambda d: d or date.min)).iloc[-1]
    msg = f"unknown region group {group!r}; known groups: {', '.join(g.group_id)}; series: {', '.join(sorted(set(g.series)))}"
    raise ValueError(msg)


def group_members(group: str, *, as_of: str | date | None = None, level: str | None = None) -> gpd.GeoDataFrame:
    """Return the members of a region group (or of a series as of a date) as a new GeoDataFrame.

    Parameters
    ----------
    group
        A ``group_id`` from :func:`list_groups`, or a series stem (``"g60"``,
        ``"yrd_city_econ_council"``) together with ``as_of``.
    as_of
        A date (``"2017-12-31"``, ``"2017"``). A group not in force then has no
        members: the result is empty (with the usual columns).
    level
        ``None`` (default): the members as listed, levels possibly mixed.
        ``"province"``, ``"city"`` or ``"county"``: the units of that level the
        group covers, with a ``membership`` column: ``"whole"`` where the unit
        or the unit it lies in is a member, ``"part"`` where only some of its
        units are (G60 at city level: Shanghai is ``"part"``, through Songjiang).

    Returns
    -------
    geopandas.GeoDataFrame
        Member units with ``group_id`` and ``seed`` columns (and ``membership`` when ``level`` is given).
    """
    if level is not None and level not in LEVELS:
        msg = f"level must be one of {LEVELS} or None, got {level!r}"
        raise ValueError(msg)
    row = _pick(group, as_of)
    if row is None:
        g = _groups()
        rows = g[(g.group_id == group) | (g.series == group)]
        spans = "; ".join(f"{r.group_id}: {r.since or '…'} to {r.until or 'today'}" for r in rows.itertuples())
        warnings.warn(f"{group!r} has no version in force on {as_date(as_of).isoformat()}, so it has no members "
                      f"(a year alone means 1 January); versions: {spans}", UserWarning, stacklevel=2)
        empty = _table().iloc[0:0].copy()
        for col in ("group_id", "seed") + (("membership",) if level else ()):
            empty[col] = pd.Series(dtype=object)
        return empty
    if level is None:
        out = select_units(row.member_adcodes)
    else:
        out = _covered_at_level(set(row.member_adcodes), level)
    out["group_id"] = row.group_id
    out["seed"] = row.seed
    return out


def _covered_at_level(members: set[str], level: str) -> gpd.GeoDataFrame:
    t = _table()
    ancestors = {}  # adcode -> its city and province (itself included)
    for a, p, prov in zip(t.adcode, t.parent_adcode, t.province_adcode):
        ancestors[a] = {a, prov} | ({p} if p else set())
    units_at = t[t.level == level]
    whole = [bool(ancestors[a] & members) for a in units_at.adcode]
    part = [any(a in ancestors[m] for m in members) for a in units_at.adcode]
    out = units_at.assign(membership=["whole" if w else "part" if p else None for w, p in zip(whole, part)])
    return out[out.membership.notna()].reset_index(drop=True).copy()


def unit_history(name: str | int) -> pd.DataFrame:
    """Return the groups a unit belonged to, directly or through its parent city, with their dates.

    Columns: ``group_id``, ``group_zh``, ``since``, ``until``, ``via`` (``"direct"``
    or the parent's adcode), ``seed``; sorted by ``since``.
    """
    code = resolve(name)
    t = _table().set_index("adcode")
    chain = [code]
    parent = t.loc[code, "parent_adcode"]
    if parent is not None and t.loc[code, "level"] == "county":
        chain.append(parent)
    rows = []
    for _, g in _groups().iterrows():
        for c in chain:
            if c in g.member_adcodes:
                rows.append(dict(group_id=g.group_id, group_zh=g.group_zh, since=g.since, until=g.until,
                                 via="direct" if c == code else c, seed=g.seed, _d=g.since_date or date.min))
                break
    out = pd.DataFrame(rows, columns=["group_id", "group_zh", "since", "until", "via", "seed", "_d"])
    return out.sort_values("_d", kind="stable").drop(columns="_d").reset_index(drop=True)


def membership_table(groups: list[str], *, level: str = "city") -> gpd.GeoDataFrame:
    """Return the units of ``level`` with one boolean column per group (is the unit, or its city, a member).

    Suited to mapping how membership changed, e.g. the coordination council's 1997, 2003, 2010, 2013 rosters.
    """
    out = load_units(level)
    for gid in groups:
        row = _pick(gid, None)
        members = set(row.member_adcodes)
        out[gid] = [a in members or p in members for a, p in zip(out.adcode, out.parent_adcode)]
    return out
