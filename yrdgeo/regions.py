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

What the sources do not say is said, not guessed:

* a member the paper says joined later without a date (``added_later_zh``:
  绍兴 in the Shanghai Economic Zone, "后来又增加") is not listed as of any
  date, with a :class:`RosterWarning`; without ``as_of`` it is listed with
  ``joined`` saying so;
* a member of which only a part belongs (``membership``: 滁州 and 六安 in
  northern Anhui's transfer zone, "滁州和六安开发区（园区）") has
  ``membership`` ``"part: 开发区（园区）"``, not ``"whole"``;
* a date after the last known version of a series (the 2013 council roster
  asked for 2020) gets that version with a :class:`RosterWarning` naming it:
  later rosters are not in the sources;
* a date the papers do not give is marked in ``date_source`` with the outside
  source it comes from (G60 1.0 and 3.0).
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
#: ``joined`` of a member the source says was added later, on a date it does not give.
JOINED_LATER = "later (后来又增加; date not in the sources)"

__all__ = ["ALL_41", "JOINED_LATER", "RosterWarning", "group_members", "list_groups", "membership_table",
           "unit_history"]


class RosterWarning(UserWarning):
    """A roster answer the sources cannot fully back: a date after the last known version, a later member's date."""

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
    df["later_adcodes"] = [tuple(_member_code(m) for m in v.split(";") if m.strip()) for v in df.added_later_zh]
    df["member_extent"] = [_extents(v, what=f"region group {g} membership") for g, v in zip(df.group_id, df.membership)]
    df["n_members"] = [len(c) for c in codes]
    return df


def _member_code(name: str) -> str:
    # Members are cities unless written as a district with its city (上海市松江区).
    try:
        return resolve(name, level="city")
    except ValueError:
        return resolve(name)


def _extents(text: str, *, what: str) -> dict[str, str]:
    """Return ``{adcode: "part: …"}`` from a ``membership`` cell such as ``滁州=part: 开发区（园区）;六安=…``."""
    out = {}
    for item in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, extent = item.partition("=")
        if not sep or not extent.strip():
            msg = f"{what}: {item!r} is not 'member=extent' (e.g. '滁州=part: 开发区（园区）')"
            raise ValueError(msg)
        out[_member_code(name.strip())] = extent.strip()
    return out


def list_groups() -> pd.DataFrame:
    """Return one row per region group: id, Chinese name, since, until, series, member count, sources, note.

    ``sources`` holds the keys of the papers a row comes from, separated by ``;``
    (:func:`yrdgeo.sources.cite_all` turns them into citations); ``date_source``
    is empty where those papers give the dates, else it names where a date
    comes from (or that it is not in the sources); ``added_later_zh`` names
    members the source says joined later, on a date it does not give.
    """
    cols = ["group_id", "group_zh", "since", "until", "series", "n_members", "sources", "date_source",
            "added_later_zh", "note"]
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
        Member units with ``group_id``, ``sources``, ``membership`` (``"whole"``,
        or ``"part"``/``"part: …"`` where only part of the unit belongs, as the
        table's ``membership`` says: 滁州's development zones) and ``joined``
        (the group's ``since``, or :data:`JOINED_LATER` for a member added later
        on a date the sources do not give; such a member is left out when
        ``as_of`` is given).

    Warns
    -----
    RosterWarning
        ``as_of`` lies after the last known version of a series (later rosters
        are not in the sources), or a member joined on a date the sources do not
        give and is left out.
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
        for col in ("group_id", "sources", "membership", "joined"):
            empty[col] = pd.Series(dtype=object)
        return empty
    members, later = row.member_adcodes, set(row.later_adcodes)
    if as_of is not None:
        on = dates.as_date(as_of, what="as_of")
        _warn_after_last_version(row, on)
        if later:
            members = tuple(m for m in members if m not in later)
            names = "、".join(by_code().loc[sorted(later), "short_zh"])
            warnings.warn(f"{row.group_id!r}: {names} joined after {row.since} on a date the sources do not give "
                          f"(后来又增加), so it is not listed as of {on.isoformat()}", RosterWarning, stacklevel=2)
    if level is None:
        # The members are adcodes resolved once in _groups(): take their rows directly (select_units would
        # resolve each again); a code listed twice still goes through it for its error.
        out = (by_code().loc[list(members)].reset_index(drop=True).copy() if len(set(members)) == len(members)
               else select_units(members))
        out["membership"] = [row.member_extent.get(a, "whole") for a in out.adcode]
    else:
        out = _covered_at_level(set(members), level, extents=row.member_extent)
    out["group_id"] = row.group_id
    out["sources"] = row.sources
    out["joined"] = ([JOINED_LATER if _covering(a, later) else row.since for a in out.adcode] if later
                     else row.since)  # nobody joined later: no unit needs its ancestors looked up
    return out


def _warn_after_last_version(row: pd.Series, on: date) -> None:
    """Warn when ``on`` lies after the last known version of ``row``'s series (an open roster)."""
    g = _groups()
    versions = g[g.series == row.series]
    newest = versions.sort_values("since_date", key=lambda s: s.map(lambda d: d or date.min)).iloc[-1]
    if (len(versions) > 1 and newest.group_id == row.group_id and not row.until
            and row.since_date is not None and on > row.since_date):
        warnings.warn(f"{row.group_id!r} ({row.group_zh}, since {row.since}) is the last version of "
                      f"{row.series!r} in the sources; later rosters are not in the sources, so its members are "
                      f"given for {on.isoformat()}", RosterWarning, stacklevel=3)


def _covering(code: str, members: set[str]) -> str | None:
    """Return the member that is ``code`` or a unit it lies in, else None."""
    depth = LEVELS.index(by_code().at[code, "level"])
    return next((m for m in (ancestor(code, lv) for lv in LEVELS[:depth + 1]) if m in members), None)


def _covered_at_level(members: set[str], level: str, *, extents: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    t = table()
    depth = LEVELS.index(level)
    units_at = t[t.level == level]
    # whole: the unit or one it lies in is a member; part: a member lies in it (or is it)
    whole = [any(ancestor(a, above) in members for above in LEVELS[:depth + 1]) for a in units_at.adcode]
    holding = {ancestor(m, level) for m in members if LEVELS.index(by_code().at[m, "level"]) >= depth}
    part = [a in holding for a in units_at.adcode]
    out = units_at.assign(membership=["whole" if w else "part" if p else None for w, p in zip(whole, part)])
    out = out[out.membership.notna()].reset_index(drop=True).copy()
    # a unit in (or equal to) a member of which only a part belongs is only possibly covered: it says which part
    extents = extents or {}
    covering = [_covering(a, set(extents)) for a in out.adcode]
    out["membership"] = [extents[c] if c and m == "whole" else m for c, m in zip(covering, out.membership)]
    return out


def unit_history(name: str | int) -> pd.DataFrame:
    """Return the groups a unit belonged to, directly or through its parent city, with their dates.

    Columns: ``group_id``, ``group_zh``, ``since`` (empty for a member the
    source says joined later without a date), ``until``, ``via`` (``"direct"``
    or the parent's adcode), ``sources``, ``joined`` (the group's ``since``
    or :data:`JOINED_LATER`); sorted by the group's ``since``.
    """
    code = resolve(name)
    chain = [code, ancestor(code, "city")] if by_code().at[code, "level"] == "county" else [code]
    rows = []
    for _, g in _groups().iterrows():
        for c in chain:
            if c in g.member_adcodes:
                later = c in g.later_adcodes
                rows.append(dict(group_id=g.group_id, group_zh=g.group_zh, since="" if later else g.since,
                                 until=g.until, via="direct" if c == code else c, sources=g.sources,
                                 joined=JOINED_LATER if later else g.since, _d=g.since_date or date.min))
                break
    out = pd.DataFrame(rows, columns=["group_id", "group_zh", "since", "until", "via", "sources", "joined", "_d"])
    return out.sort_values("_d", kind="stable").drop(columns="_d").reset_index(drop=True)


def membership_table(groups: list[str], *, level: str = "city") -> gpd.GeoDataFrame:
    """Return the units of ``level`` with one boolean column per group (is the unit, or its city, a member).

    Suited to mapping how membership changed, e.g. the coordination council's 1997, 2003, 2010, 2013 rosters.
    A group's column is True for the members from its ``since`` date: a member the
    source says joined later on a date it does not give (绍兴 in the Shanghai
    Economic Zone) is False there and True in a ``<group>_later`` column. A
    ``notes`` column says, per unit, what the rosters do not tell as a plain yes:
    a later joining without a date, or that only part of the unit belongs
    (``part: 开发区（园区）``).
    """
    out = load_units(level)
    notes: list[list[str]] = [[] for _ in range(len(out))]
    for gid in groups:
        row = _pick(gid, None)
        later = set(row.later_adcodes)
        members = set(row.member_adcodes) - later
        out[gid] = [a in members or p in members for a, p in zip(out.adcode, out.parent_adcode)]
        if later:
            out[f"{gid}_later"] = [a in later or p in later for a, p in zip(out.adcode, out.parent_adcode)]
        for i, (a, p) in enumerate(zip(out.adcode, out.parent_adcode)):
            if a in later or p in later:
                notes[i].append(f"{row.group_zh}: 后来又增加, after {row.since}; date not in the sources")
            extent = row.member_extent.get(a) or row.member_extent.get(p)
            if extent:
                notes[i].append(f"{row.group_zh}: {extent}")
    out["notes"] = ["; ".join(n) for n in notes]
    return out
