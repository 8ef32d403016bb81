"""The corridor model: a hub and ordered wings of YRD units, validated, with a version history.

:class:`Corridor` holds the members (one row per unit: wing, order outward
from the hub, adcode, the version it joined) and the versions (``since``
dates read by the rule of :mod:`yrdgeo.dates`: a partial date is the last day
of its period). :func:`define_corridor` builds one from unit names;
:func:`from_members` is the one validation every corridor passes (the
catalogue's files and a planner's CSV included): each member a YRD unit, a
name and an adcode given together naming the same unit
(:func:`yrdgeo.units.check_name_matches_code`), no unit twice, no member
inside another, wing orders 1, 2, … without gaps, versions that the history
lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from .. import dates
from ..crs import WGS84, geodesic_distance_km, require_crs
from ..inputs import is_blank
from ..units import NameCodeMismatchError, UnitError, anchors, by_code, check_name_matches_code, describe, resolve
from ._common import _lies_inside

HUB = "hub"

__all__ = ["HUB", "Corridor", "define_corridor", "from_members", "resolve_member"]


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Corridor:
    """A hub and ordered wings of YRD units, optionally with a version history.

    Attributes
    ----------
    corridor_id
        Short identifier (``"g60"``), used in every output layer.
    name_zh, name_en
        Display names.
    members
        One row per member: ``wing`` (``"hub"`` for the hub), ``order`` (0 for
        the hub, 1, 2, … outward along each wing), ``adcode``, ``name_zh``,
        ``version`` (the version in which the unit joined, or ``None``) and
        ``note``. Build corridors with :func:`define_corridor`,
        :func:`yrdgeo.corridors.read_corridor` or
        :func:`yrdgeo.corridors.load_corridor`, which validate this (all through
        :func:`from_members`).
    versions
        Version history: columns ``version``, ``since`` (text date as
        published, e.g. ``"2017-07"``) and ``since_date`` (by the rule of
        :mod:`yrdgeo.dates`: the last day of a partial date's period); empty
        when unknown.
    lines
        The transport lines the corridor follows (free text).
    source
        Where the definition comes from: the papers it rests on (cited by
        :func:`yrdgeo.sources.cite_all`) or a file name.
    version
        The version this object represents (``None`` = the full, latest form).
    line_geometry
        Optional ``{wing: LineString}`` in WGS84 lon/lat: a real transport
        line replacing the seat-to-seat centreline of that wing (set with
        :meth:`with_lines`). ``None``: every wing runs through the anchors.
    """

    corridor_id: str
    name_zh: str
    name_en: str
    members: pd.DataFrame = field(repr=False)
    versions: pd.DataFrame = field(repr=False, default_factory=lambda: _empty_versions())
    lines: str = ""
    source: str = ""
    version: str | None = None
    line_geometry: Mapping[str, LineString] | None = field(default=None, repr=False)

    @property
    def hub(self) -> str:
        """Adcode of the hub unit."""
        return str(self.members.loc[self.members.wing == HUB, "adcode"].iloc[0])

    @property
    def wings(self) -> tuple[str, ...]:
        """Wing names in the order they are defined (the hub is not a wing)."""
        return tuple(dict.fromkeys(w for w in self.members.wing if w != HUB))

    def wing_units(self, wing: str) -> list[str]:
        """Return the adcodes of a wing from the hub outward (hub first)."""
        if wing not in self.wings:
            msg = f"corridor {self.corridor_id!r} has no wing {wing!r}; its wings are {list(self.wings)}"
            raise ValueError(msg)
        rows = self.members[self.members.wing == wing].sort_values("order")
        return [self.hub, *rows.adcode]

    @property
    def adcodes(self) -> list[str]:
        """Adcodes of every member, hub first, then wing by wing."""
        return [self.hub] + [a for w in self.wings for a in self.wing_units(w)[1:]]

    def at_version(self, version: str) -> "Corridor":
        """Return the corridor as it stood at ``version`` (members that joined in that or an earlier version)."""
        known = list(self.versions.version)
        if version not in known:
            msg = f"corridor {self.corridor_id!r} has no version {version!r}; known versions: {known or 'none'}"
            raise ValueError(msg)
        key = _version_key(version)
        keep = self.members.version.map(lambda v: v is None or _version_key(v) <= key)
        members = self.members[keep].reset_index(drop=True)
        lines = self.line_geometry
        if lines:
            live = set(members.wing)
            lines = {w: g for w, g in lines.items() if w in live} or None
        return replace(self, members=members, version=version, line_geometry=lines)

    def with_lines(self, lines: gpd.GeoDataFrame | Mapping[str, LineString], *, wing_column: str = "wing") -> "Corridor":
        """Return the corridor with real transport lines as the centrelines of some or all wings.

        Parameters
        ----------
        lines
            A GeoDataFrame of lines with a CRS and a ``wing_column`` (several
            rows of one wing are merged; they must join into one line), or a
            mapping ``{wing: LineString}`` in WGS84 lon/lat. Each line is
            oriented to start at the end nearer the hub's anchor; chainage
            then counts from that start. Wings without a line keep the
            seat-to-seat centreline.

        Raises
        ------
        ValueError
            A wing the corridor lacks, a line that is empty or does not join
            into a single LineString, a frame without CRS or wing column, or
            mapping coordinates that are not lon/lat.
        """
        if isinstance(lines, gpd.GeoDataFrame):
            require_crs(lines, what="corridor transport lines")
            if wing_column not in lines.columns:
                msg = f"transport lines need a {wing_column!r} column naming the wing; they have {list(lines.columns)}"
                raise ValueError(msg)
            ll = lines.to_crs(WGS84)  # the canonical lon/lat of every yrdgeo layer, stated in the docs
            raw = {str(w): shapely.line_merge(shapely.union_all(g.geometry.to_numpy()))
                   for w, g in ll.groupby(wing_column, sort=False)}
        else:
            raw = {str(w): g for w, g in dict(lines).items()}
            for w, g in raw.items():
                x0, y0, x1, y1 = shapely.bounds(g)
                if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
                    msg = (f"line of wing {w!r} has coordinates outside lon/lat ranges (bounds {x0:.0f}, {y0:.0f}, "
                           f"{x1:.0f}, {y1:.0f}); pass a GeoDataFrame with its CRS instead")
                    raise ValueError(msg)
        unknown = sorted(set(raw) - set(self.wings))
        if unknown:
            msg = f"corridor {self.corridor_id!r} has no wing {unknown}; its wings are {list(self.wings)}"
            raise ValueError(msg)
        hub_lon, hub_lat = anchors([self.hub])[0]
        out = dict(self.line_geometry or {})
        for w, g in raw.items():
            if g is None or g.is_empty or g.geom_type != "LineString":
                kind = "empty" if g is None or g.is_empty else g.geom_type
                msg = (f"the line of wing {w!r} must be one connected LineString, got {kind}; "
                       "join its pieces or pass the main line only")
                raise ValueError(msg)
            coords = np.asarray(g.coords)[:, :2]
            # which end is nearer the hub, on the ellipsoid (a distance in degrees shrinks east-west)
            ends = geodesic_distance_km(coords[[0, -1], 0], coords[[0, -1], 1], hub_lon, hub_lat)
            if ends[1] < ends[0]:
                coords = coords[::-1]
            out[w] = LineString(coords)
        return replace(self, line_geometry=out)

    def as_of(self, when: str | date | pd.Timestamp) -> "Corridor":
        """Return the corridor as of a date (``"2017-12-31"``, ``"2018"``): the newest version then in force.

        Dates follow :mod:`yrdgeo.dates`: ``"2018"`` is 2018-12-31, and a version
        dated ``"2017-07"`` is in force from 2017-07-31.
        """
        if self.versions.empty:
            msg = f"corridor {self.corridor_id!r} has no version history, so it cannot be taken as of a date"
            raise ValueError(msg)
        on = dates.as_date(when, what="as_of")
        live = self.versions[self.versions.since_date <= on]
        if live.empty:
            first = self.versions.sort_values("since_date").iloc[0]
            msg = (f"corridor {self.corridor_id!r} did not exist on {on.isoformat()}: its first version "
                   f"{first.version} dates from {first.since}")
            raise ValueError(msg)
        return self.at_version(live.sort_values("since_date").iloc[-1].version)


def _empty_versions() -> pd.DataFrame:
    return pd.DataFrame({"version": pd.Series(dtype=object), "since": pd.Series(dtype=object),
                         "since_date": pd.Series(dtype=object)})


def _version_key(v: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-_]", str(v)))


# --------------------------------------------------------------------------- building corridors


def resolve_member(name: str | int) -> str:
    """Return the adcode of a corridor or enclave end: whatever :func:`yrdgeo.resolve` accepts.

    That includes compound names such as ``上海市松江区`` or ``滁州市来安县`` (a
    city's full name followed by one of its county-level units), as the
    reference tables write them.
    """
    return resolve(name)


def define_corridor(
    wings: Mapping[str, Sequence[str | int]] | Sequence[str | int],
    *,
    hub: str | int,
    corridor_id: str = "custom",
    name_zh: str | None = None,
    name_en: str | None = None,
    lines: str = "",
    source: str = "user",
    versions: Mapping[str, str] | None = None,
    joined: Mapping[str | int, str] | None = None,
) -> Corridor:
    """Return a corridor built from unit names: a hub and its wings.

    Parameters
    ----------
    wings
        ``{"south": ["嘉兴", "杭州", "金华"], "north": [...]}``: each wing's
        units from the hub outward, without the hub. A plain list makes one
        wing called ``"main"``. Names or adcodes, any level, as
        :func:`yrdgeo.resolve` accepts (plus ``上海市松江区`` style).
    hub
        The hub unit.
    corridor_id, name_zh, name_en, lines, source
        Identification carried into every output.
    versions
        Optional version history ``{"1.0": "2016", "2.0": "2017-07"}``.
    joined
        Optional ``{unit: version}`` for members that joined in a version;
        members not listed are present in every version.

    Raises
    ------
    ValueError
        A member that is not a YRD unit (with the resolver's reason), a unit
        listed twice (also across wings, or the hub inside a wing), a member
        that lies inside another member, an empty wing, or an unknown version.
    """
    if isinstance(wings, Mapping):
        wing_map = {str(k): list(v) for k, v in wings.items()}
    elif isinstance(wings, (str, bytes)):
        msg = "wings must be a list of unit names or a mapping {wing: [names]}, got a single string"
        raise ValueError(msg)
    else:
        wing_map = {"main": list(wings)}
    rows = [dict(wing=HUB, order=0, name=hub)]
    for w, names in wing_map.items():
        if w == HUB:
            msg = f"'{HUB}' is reserved for the hub; give the wing another name"
            raise ValueError(msg)
        if not names:
            msg = f"wing {w!r} of corridor {corridor_id!r} has no units"
            raise ValueError(msg)
        rows += [dict(wing=w, order=i, name=n) for i, n in enumerate(names, start=1)]
    if not wing_map:
        msg = f"corridor {corridor_id!r} needs at least one wing besides the hub"
        raise ValueError(msg)
    joined_codes = {resolve_member(k): str(v) for k, v in (joined or {}).items()}
    return from_members(pd.DataFrame(rows), corridor_id=corridor_id, name_zh=name_zh, name_en=name_en,
                        lines=lines, source=source, versions=versions, joined=joined_codes)


def from_members(
    members: pd.DataFrame,
    *,
    corridor_id: str,
    name_zh: str | None = None,
    name_en: str | None = None,
    lines: str = "",
    source: str = "",
    versions: Mapping[str, str] | None = None,
    joined: Mapping[str, str] | None = None,
) -> Corridor:
    """Return a corridor from a member table, after the checks every corridor passes.

    Parameters
    ----------
    members
        One row per unit: ``wing`` (``"hub"`` for the one hub row), ``order``
        (0 for the hub, then 1, 2, … outward per wing), ``name`` and/or
        ``adcode`` (both given: they must name the same unit), optional
        ``version`` (the version the unit joined; blank: every version) and
        ``note``. Not modified.
    corridor_id, name_zh, name_en, lines, source
        Identification carried into every output (names default to the id).
    versions
        Version history ``{"1.0": "2016", "2.0": "2017-07"}`` (dates as
        :func:`yrdgeo.dates.parse` reads them).
    joined
        ``{adcode: version}``, replacing the ``version`` column: units not
        listed are present in every version.

    Raises
    ------
    ValueError
        A member that is not a YRD unit (with the resolver's reason), a name
        and adcode naming different units, not exactly one hub row, a unit
        listed twice (also across wings), a member inside another member,
        wing orders with gaps, a bad version date, or a member's version that
        the history does not list.
    """
    frame = _validated_members(members, corridor_id)
    if joined is not None:
        frame["version"] = [joined.get(a) for a in frame.adcode]
    history = _versions_frame(versions or {}, corridor_id)
    _check_versions(frame, history, corridor_id)
    return Corridor(corridor_id=corridor_id, name_zh=name_zh or corridor_id, name_en=name_en or corridor_id,
                    members=frame, versions=history, lines=lines, source=source)


def _validated_members(frame: pd.DataFrame, corridor_id: str) -> pd.DataFrame:
    """Resolve ``name`` (or check it against ``adcode``) per row; refuse strangers, duplicates and nesting."""
    out = frame.copy()
    codes = []
    for row in out.itertuples(index=False):
        given = getattr(row, "adcode", None)
        name = getattr(row, "name", None)
        has_code, has_name = not is_blank(given), not is_blank(name)
        label = name if has_name else given
        where = f"corridor {corridor_id!r}, wing {row.wing!r}"
        try:
            if has_code and has_name:
                code = check_name_matches_code(name, given, what=f"{where}, member")
            else:
                code = resolve_member(given if has_code else name)
        except NameCodeMismatchError:
            raise
        except UnitError as exc:
            msg = f"{where}: member {label!r} is not a YRD unit: {exc}"
            raise ValueError(msg) from None
        codes.append(code)
    out["adcode"] = codes
    hubs = out[out.wing == HUB]
    if len(hubs) != 1:
        msg = f"corridor {corridor_id!r} needs exactly one hub row (wing '{HUB}'), got {len(hubs)}"
        raise ValueError(msg)
    dup = out[out.adcode.duplicated(keep=False)]
    if len(dup):
        first = dup.adcode.iloc[0]
        where = ", ".join(f"{w} #{o}" for w, o in zip(dup[dup.adcode == first].wing, dup[dup.adcode == first].order))
        msg = (f"corridor {corridor_id!r}: duplicate member {describe(first)} listed at {where}; "
               "list each unit once (the hub belongs to every wing already)")
        raise ValueError(msg)
    for code in out.adcode:
        outer = next((m for m in out.adcode if _lies_inside(code, m)), None)
        if outer is not None:
            msg = (f"corridor {corridor_id!r}: member {describe(code)} lies inside member "
                   f"{describe(outer)}; list either the whole unit or its part, not both")
            raise ValueError(msg)
    for w, grp in out[out.wing != HUB].groupby("wing", sort=False):
        orders = sorted(grp.order)
        if orders != list(range(1, len(orders) + 1)):
            msg = f"corridor {corridor_id!r}, wing {w!r}: order must run 1, 2, … without gaps, got {orders}"
            raise ValueError(msg)
    out["name_zh"] = [by_code().at[a, "name_zh"] for a in out.adcode]
    out["note"] = out["note"].fillna("") if "note" in out else ""
    out["version"] = [None if is_blank(v) else str(v) for v in out["version"]] if "version" in out else None
    cols = ["wing", "order", "adcode", "name_zh", "version", "note"]
    return out[cols].reset_index(drop=True)


def _versions_frame(versions: Mapping[str, str], corridor_id: str) -> pd.DataFrame:
    pairs = [(str(k), str(v)) for k, v in versions.items()]
    if not pairs:
        return _empty_versions()
    out = pd.DataFrame(pairs, columns=["version", "since"])
    try:
        out["since_date"] = [dates.as_date(since, what=f"version {v} since") for v, since in pairs]
    except ValueError as exc:
        msg = f"corridor {corridor_id!r}: bad version date: {exc}"
        raise ValueError(msg) from None
    return out.sort_values("since_date").reset_index(drop=True)


def _check_versions(members: pd.DataFrame, versions: pd.DataFrame, corridor_id: str) -> None:
    used = {v for v in members.version if v is not None}
    unknown = used - set(versions.version)
    if unknown:
        msg = (f"corridor {corridor_id!r}: members name versions {sorted(unknown)} that the version history "
               f"does not list (known: {list(versions.version) or 'none'})")
        raise ValueError(msg)
