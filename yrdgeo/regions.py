"""Region groups of the YRD and how their membership changed over time.

The groups come from ``data/reference/region_groups.csv`` (facts from the
source papers; the ``sources`` column names each row's papers by their keys
in :mod:`yrdgeo.sources`): the Shanghai Economic Zone (1982–1988), the city
economic coordination council in its successive memberships, the
2010/2016/2019 plan areas, the 2016 metropolitan areas, the G60 corridor
versions, northern Anhui's transfer zone and the two docking cities.

Dates in the table are partial (``1992``, ``2003-08``, ``1982-12-22``) and are
read, like the ``as_of`` you ask with, by the one rule of :mod:`yrdgeo.dates`:
a partial date is the last day of its period (``1992`` is 1992-12-31,
``2003-08`` is 2003-08-31). A group is in force on date D when
``since <= D`` and (no ``until`` or ``D < until``); a group with no ``since``
is taken as in force at any date. Groups whose ids share a stem and differ by
a trailing version (``g60_v1``…``g60_v3``,
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

from . import dates
from .checks import check_choice
from .units import LEVELS, ancestor, by_code, data_path, load_units, resolve, select_units, table

ALL_41 = "ALL_41"

# Kept for the callers that parse dates through this module (the QGIS plugin's date parameters):
# the one rule lives in yrdgeo.dates.
parse_date = dates.parse
as_date = dates.as_date


def _series_of(group_id: str) -> str:
    return re.sub(r"_(v\d+|\d{4}|\d+p\d+)$", "", group_id)


@lru_cache(maxsize=1)
def _groups() -> pd.DataFrame:
    df = pd.read_csv(str(data_path("reference", "region_groups.csv")), dtype=str, keep_default_na=False)
    df["since_date"] = [dates.parse(v, what=f"region group {g} since") for g, v in zip(df.group_id, df.since)]
    df["until_date"] = [dates.parse(v, what=f"region group {g} until") for g, v in zip(df.group_id, df.until)]
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
    """Return one row per region group: id, Chinese name, since, until, series, member count, sources, note.

    ``sources`` holds the keys of the papers a row comes from, separated by ``;``
    (:func:`yrdgeo.sources.cite_all` turns them into citations).
    """
    cols = ["group_id", "group_zh", "since", "until", "series", "n_members", "sources", "note"]
    return _groups()[cols].copy()


def _in_force(row: pd.Series, on: date) -> bool:
    return (row.since_date is None or row.since_date <= on) and (row.until_date is None or on < row.until_date)


def _pick(group: str, as_of: str | date | None) -> pd.Series | None:
    g = _groups()
    if group in set(g.group_id):
        row = g[g.group_id == group].iloc[0]
        if as_of is None or _in_force(row, dates.as_date(as_of, what="as_of")):
            return row
        return None
    if group in set(g.series):
        rows = g[g.series == group]
        if as_of is None:
            msg = f"{group!r} is a series of versions {list(rows.group_id)}; pass as_of= or one group id"
            raise ValueError(msg)
        on = dates.as_date(as_of, what="as_of")
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
        A date (``"2017-12-31"``; ``"2017"`` is 2017-12-31, see :mod:`yrdgeo.dates`).
        A group not in force then has no members: the result is empty (with
        the usual columns).
    level
        ``None`` (default): the members as listed, levels possibly mixed.
        ``"province"``, ``"city"`` or ``"county"``: the units of that level the
        group covers, with a ``membership`` column: ``"whole"`` where the unit
        or the unit it lies in is a member, ``"part"`` where only some of its
        units are (G60 at city level: Shanghai is ``"part"``, through Songjiang).

    Returns
    -------
    geopandas.GeoDataFrame
        Member units with ``group_id`` and ``sources`` columns (and ``membership`` when ``level`` is given).
    """
    check_choice("level", level, LEVELS, allow_none=True)
    row = _pick(group, as_of)
    if row is None:
        g = _groups()
        rows = g[(g.group_id == group) | (g.series == group)]
        spans = "; ".join(f"{r.group_id}: {r.since or '…'} to {r.until or 'today'}" for r in rows.itertuples())
        on = dates.as_date(as_of, what="as_of")
        warnings.warn(f"{group!r} has no version in force on {on.isoformat()}, so it has no members (a year alone "
                      f"means its 31 December, as yrdgeo.dates reads it); versions: {spans}", UserWarning, stacklevel=2)
        empty = table().iloc[0:0].copy()
        for col in ("group_id", "sources") + (("membership",) if level else ()):
            empty[col] = pd.Series(dtype=object)
        return empty
    if level is None:
        out = select_units(row.member_adcodes)
    else:
        out = _covered_at_level(set(row.member_adcodes), level)
    out["group_id"] = row.group_id
    out["sources"] = row.sources
    return out


def _covered_at_level(members: set[str], level: str) -> gpd.GeoDataFrame:
    t = table()
    depth = LEVELS.index(level)
    units_at = t[t.level == level]
    # whole: the unit or one it lies in is a member; part: a member lies in it (or is it)
    whole = [any(ancestor(a, above) in members for above in LEVELS[:depth + 1]) for a in units_at.adcode]
    holding = {ancestor(m, level) for m in members if LEVELS.index(by_code().at[m, "level"]) >= depth}
    part = [a in holding for a in units_at.adcode]
    out = units_at.assign(membership=["whole" if w else "part" if p else None for w, p in zip(whole, part)])
    return out[out.membership.notna()].reset_index(drop=True).copy()


def unit_history(name: str | int) -> pd.DataFrame:
    """Return the groups a unit belonged to, directly or through its parent city, with their dates.

    Columns: ``group_id``, ``group_zh``, ``since``, ``until``, ``via`` (``"direct"``
    or the parent's adcode), ``sources``; sorted by ``since``.
    """
    code = resolve(name)
    chain = [code, ancestor(code, "city")] if by_code().at[code, "level"] == "county" else [code]
    rows = []
    for _, g in _groups().iterrows():
        for c in chain:
            if c in g.member_adcodes:
                rows.append(dict(group_id=g.group_id, group_zh=g.group_zh, since=g.since, until=g.until,
                                 via="direct" if c == code else c, sources=g.sources, _d=g.since_date or date.min))
                break
    out = pd.DataFrame(rows, columns=["group_id", "group_zh", "since", "until", "via", "sources", "_d"])
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
