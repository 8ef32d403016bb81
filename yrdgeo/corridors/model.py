"""Corridors: ordered chains of units with a hub and wings, their centrelines, bands and chainage.

A corridor (走廊, 产业带) is a hub unit plus one or more *wings*, each an
ordered chain of units running out from the hub along transport lines. The
G60 science-and-technology corridor has the shape of the character 人: hub
Songjiang district, a south wing Jiaxing → Hangzhou → Jinhua and a north wing
Suzhou → Huzhou → Xuancheng → Wuhu → Hefei. Members may mix levels (a
district hub with whole cities).

Geometry conventions
--------------------
* **Centreline** of a wing: the polyline through the *anchor points* (seat of
  government, ``anchor_lon``/``anchor_lat`` of the unit table) of the hub and
  the wing's members, in order. It stands in for the real transport line;
  :meth:`Corridor.with_lines` puts a real line (from the network module or a
  user's layer) in its place. Lengths and chainages are geodesic
  (pyproj, WGS84 ellipsoid), like :func:`yrdgeo.distance_km`.
* **Band** of ``width_km``: every point within ``width_km`` of the centreline
  on either side (a buffer, so the band is ``2 × width_km`` across and
  rounded at the ends), built in metres in :data:`yrdgeo.crs.DISTANCE_CRS`
  (EPSG:4549, whose scale error is under 0.3% across the YRD), never in
  degrees. Areas and area shares come from the equal-area
  :data:`yrdgeo.crs.AREA_CRS`.
* **Chainage**: distance along a wing's centreline from the hub, in km.
  A point is projected onto the nearest point of the nearest wing; a point
  whose nearest point is the hub itself gets wing ``"hub"`` and chainage 0.

Every output layer is a new GeoDataFrame in EPSG:4326; inputs are never
modified. Bundled corridors live in ``data/corridors/`` (see its
PROVENANCE.md); :func:`read_corridor` reads a user's file in the same format.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point

from ..crs import AREA_CRS, DISTANCE_CRS, GEOD, WGS84, representative_lonlat, require_crs
from ..regions import as_date
from ..units import UnitError, _describe, _table, data_path, load_units, resolve

HUB = "hub"
AGGREGATIONS = ("sum", "mean", "median", "min", "max", "std", "count")
_TIE_M = 1.0  # wings whose distance to a point differs by less than this (metres) are tied

__all__ = [
    "AGGREGATIONS", "HUB", "Corridor", "CorridorAnalysis", "analyze_corridor", "centrelines", "combine_layers", "corridor_band",
    "corridor_layers", "corridor_members", "define_corridor", "list_corridors", "load_corridor",
    "locate", "read_corridor", "resolve_member", "summarize_wings", "units_near", "wing_polygons",
]


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
        :func:`read_corridor` or :func:`load_corridor`, which validate this.
    versions
        Version history: columns ``version``, ``since`` (text date as
        published, e.g. ``"2017-07"``) and ``since_date``; empty when unknown.
    lines
        The transport lines the corridor follows (free text).
    source
        Where the definition comes from (seed numbers or a file name).
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
        hub = Point(_anchor_lonlat([self.hub])[0])
        out = dict(self.line_geometry or {})
        for w, g in raw.items():
            if g is None or g.is_empty or g.geom_type != "LineString":
                kind = "empty" if g is None or g.is_empty else g.geom_type
                msg = (f"the line of wing {w!r} must be one connected LineString, got {kind}; "
                       "join its pieces or pass the main line only")
                raise ValueError(msg)
            coords = np.asarray(g.coords)[:, :2]
            # which end is nearer the hub, on the ellipsoid (a distance in degrees shrinks east-west)
            ends = _geodesic_km([coords[0, 0], coords[-1, 0]], [coords[0, 1], coords[-1, 1]],
                                [hub.x, hub.x], [hub.y, hub.y])
            if ends[1] < ends[0]:
                coords = coords[::-1]
            out[w] = LineString(coords)
        return replace(self, line_geometry=out)

    def as_of(self, when: str | date | pd.Timestamp) -> "Corridor":
        """Return the corridor as of a date (``"2017-12-31"``, ``"2018"``): the newest version then in force."""
        if self.versions.empty:
            msg = f"corridor {self.corridor_id!r} has no version history, so it cannot be taken as of a date"
            raise ValueError(msg)
        on = as_date(when)
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
    frame = pd.DataFrame(rows)
    frame["version"] = None
    frame = _validated_members(frame, corridor_id)
    frame["version"] = [joined_codes.get(a) for a in frame.adcode]
    vt = _versions_frame(versions or {}, corridor_id)
    _check_versions(frame, vt, corridor_id)
    return Corridor(corridor_id=corridor_id, name_zh=name_zh or corridor_id, name_en=name_en or corridor_id,
                    members=frame, versions=vt, lines=lines, source=source)


def _validated_members(frame: pd.DataFrame, corridor_id: str) -> pd.DataFrame:
    """Resolve ``name`` (or check ``adcode``) per row; refuse strangers, duplicates and nesting."""
    out = frame.copy()
    codes = []
    for row in out.itertuples(index=False):
        given = getattr(row, "adcode", None)
        name = getattr(row, "name", None)
        label = name if _present(name) else given
        try:
            code = resolve_member(given if _present(given) else name)
        except UnitError as exc:
            msg = f"corridor {corridor_id!r}, wing {row.wing!r}: member {label!r} is not a YRD unit: {exc}"
            raise ValueError(msg) from None
        if _present(given) and _present(name):
            by_name = resolve_member(name)
            if by_name != code:
                msg = (f"corridor {corridor_id!r}, wing {row.wing!r}: name {name!r} ({by_name}) and adcode "
                       f"{given!r} ({code}) disagree")
                raise ValueError(msg)
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
        msg = (f"corridor {corridor_id!r}: duplicate member {_describe(first)} listed at {where}; "
               "list each unit once (the hub belongs to every wing already)")
        raise ValueError(msg)
    t = _table().set_index("adcode")
    members = set(out.adcode)
    for code in out.adcode:
        parent = t.loc[code, "parent_adcode"]
        while parent is not None and parent in t.index:
            if parent in members:
                msg = (f"corridor {corridor_id!r}: member {_describe(code)} lies inside member "
                       f"{_describe(parent)}; list either the whole unit or its part, not both")
                raise ValueError(msg)
            parent = t.loc[parent, "parent_adcode"]
    for w, grp in out[out.wing != HUB].groupby("wing", sort=False):
        orders = sorted(grp.order)
        if orders != list(range(1, len(orders) + 1)):
            msg = f"corridor {corridor_id!r}, wing {w!r}: order must run 1, 2, … without gaps, got {orders}"
            raise ValueError(msg)
    out["name_zh"] = [t.loc[a, "name_zh"] for a in out.adcode]
    if "note" not in out:
        out["note"] = ""
    if "version" not in out:
        out["version"] = None
    cols = ["wing", "order", "adcode", "name_zh", "version", "note"]
    return out[cols].reset_index(drop=True)


def _present(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v).strip() != ""


def _versions_frame(versions: Mapping[str, str] | pd.DataFrame, corridor_id: str) -> pd.DataFrame:
    if isinstance(versions, pd.DataFrame):
        pairs = list(zip(versions.version.astype(str), versions.since.astype(str)))
    else:
        pairs = [(str(k), str(v)) for k, v in versions.items()]
    if not pairs:
        return _empty_versions()
    out = pd.DataFrame(pairs, columns=["version", "since"])
    try:
        out["since_date"] = out.since.map(as_date)
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


def read_corridor(
    source: str | os.PathLike | pd.DataFrame,
    *,
    corridor_id: str | None = None,
    name_zh: str | None = None,
    name_en: str | None = None,
    lines: str = "",
    versions: Mapping[str, str] | None = None,
) -> Corridor:
    """Return a corridor read from a CSV file (or DataFrame) in the bundled ``members.csv`` format.

    Required columns: ``wing`` (``hub`` for the one hub row), ``order`` (0 for
    the hub, then 1, 2, … outward per wing) and ``unit_zh`` (or ``unit``) with
    a name, or ``adcode``. Optional: ``corridor_id`` (a file may hold several
    corridors; pick one with ``corridor_id=``), ``version`` (the version a
    member joined; then pass ``versions=``), ``note``.
    """
    label = str(source) if not isinstance(source, pd.DataFrame) else "the given table"
    if isinstance(source, pd.DataFrame):
        df = source.copy()
    else:
        from ..inputs import read_text

        df = pd.read_csv(io.StringIO(read_text(source, what="corridor file")), dtype=str, keep_default_na=False)
    df.columns = [str(c).strip() for c in df.columns]
    name_col = next((c for c in ("unit_zh", "unit", "name_zh", "name") if c in df.columns), None)
    missing = [c for c in ("wing", "order") if c not in df.columns]
    if name_col is None and "adcode" not in df.columns:
        missing.append("unit_zh or adcode")
    if missing:
        msg = f"corridor file {label} lacks columns {missing}; expected wing, order, unit_zh (or adcode)"
        raise ValueError(msg)
    if "corridor_id" in df.columns:
        ids = list(dict.fromkeys(df.corridor_id))
        if corridor_id is None and len(ids) > 1:
            msg = f"corridor file {label} holds several corridors {ids}; pass corridor_id="
            raise ValueError(msg)
        corridor_id = corridor_id or ids[0]
        df = df[df.corridor_id == corridor_id]
        if df.empty:
            msg = f"corridor file {label} has no rows for corridor {corridor_id!r}; it holds {ids}"
            raise ValueError(msg)
    corridor_id = corridor_id or os.path.splitext(os.path.basename(label))[0]
    frame = pd.DataFrame({"wing": df.wing.astype(str).str.strip()})
    try:
        frame["order"] = df.order.astype(int).to_numpy()
    except ValueError:
        msg = f"corridor file {label}: column 'order' must hold whole numbers, got {list(df.order)}"
        raise ValueError(msg) from None
    frame["name"] = df[name_col].to_numpy() if name_col else None
    frame["adcode"] = df.adcode.to_numpy() if "adcode" in df.columns else None
    frame["note"] = df.note.to_numpy() if "note" in df.columns else ""
    members = _validated_members(frame, corridor_id)
    if "version" in df.columns:
        members["version"] = [v if _present(v) else None for v in df.version.to_numpy()]
    vt = _versions_frame(versions or {}, corridor_id)
    _check_versions(members, vt, corridor_id)
    return Corridor(corridor_id=corridor_id, name_zh=name_zh or corridor_id, name_en=name_en or corridor_id,
                    members=members, versions=vt, lines=lines, source=label)


@lru_cache(maxsize=1)
def _catalogue() -> pd.DataFrame:
    return pd.read_csv(str(data_path("corridors", "corridors.csv")), dtype=str, keep_default_na=False)


def list_corridors() -> pd.DataFrame:
    """Return the bundled corridors: id, Chinese and English names, lines, versions, member count, seed, note."""
    cat = _catalogue().copy()
    vers = pd.read_csv(str(data_path("corridors", "versions.csv")), dtype=str, keep_default_na=False)
    cat["versions"] = [";".join(vers[vers.corridor_id == c].version) for c in cat.corridor_id]
    cat["n_members"] = [len(load_corridor(c).members) for c in cat.corridor_id]
    return cat[["corridor_id", "name_zh", "name_en", "lines", "versions", "n_members", "seed", "note"]]


@lru_cache(maxsize=None)
def _bundled(corridor_id: str) -> Corridor:
    cat = _catalogue().set_index("corridor_id").loc[corridor_id]
    members = pd.read_csv(str(data_path("corridors", "members.csv")), dtype=str, keep_default_na=False)
    vers = pd.read_csv(str(data_path("corridors", "versions.csv")), dtype=str, keep_default_na=False)
    vers = vers[vers.corridor_id == corridor_id]
    c = read_corridor(members, corridor_id=corridor_id, name_zh=cat.name_zh, name_en=cat.name_en,
                      lines=cat.lines, versions=dict(zip(vers.version, vers.since)))
    return replace(c, source=f"yrdgeo data/corridors (seed {cat.seed})")


def load_corridor(name: str, *, version: str | None = None, as_of: str | date | None = None) -> Corridor:
    """Return a bundled corridor, optionally as of a version or a date.

    Parameters
    ----------
    name
        ``corridor_id`` (``"g60"``, ``"hu_ning_he"``, ``"hu_hang_yong"``) or
        Chinese or English name, case-insensitive (see :func:`list_corridors`).
    version, as_of
        At most one: a version (``"2.0"``) or a date (``"2017-12-31"``).
    """
    cat = _catalogue()
    key = str(name).strip().lower()
    hit = cat[(cat.corridor_id.str.lower() == key) | (cat.name_zh.str.lower() == key)
              | (cat.name_en.str.lower() == key)]
    if hit.empty:
        msg = f"unknown corridor {name!r}; bundled corridors: {', '.join(cat.corridor_id)}"
        raise ValueError(msg)
    if version is not None and as_of is not None:
        msg = "pass either version= or as_of=, not both"
        raise ValueError(msg)
    c = _bundled(hit.corridor_id.iloc[0])
    c = replace(c, members=c.members.copy(), versions=c.versions.copy())
    if version is not None:
        return c.at_version(str(version))
    if as_of is not None:
        return c.as_of(as_of)
    return c


# --------------------------------------------------------------------------- geometry


def _unit_rows(codes: Iterable[str]) -> gpd.GeoDataFrame:
    return _table().set_index("adcode", drop=False).loc[list(codes)].reset_index(drop=True).copy()


def _anchor_lonlat(codes: Sequence[str]) -> np.ndarray:
    t = _table().set_index("adcode")
    return t.loc[list(codes), ["anchor_lon", "anchor_lat"]].to_numpy(dtype="float64")


def _wing_vertices(corridor: Corridor, wing: str) -> np.ndarray:
    """Lon/lat vertices of a wing's centreline: its transport line if set, else the anchors of its units."""
    if corridor.line_geometry and wing in corridor.line_geometry:
        return np.asarray(corridor.line_geometry[wing].coords, dtype="float64")[:, :2]
    return _anchor_lonlat(corridor.wing_units(wing))


def _geodesic_cumulative_km(lonlat: np.ndarray) -> np.ndarray:
    if len(lonlat) < 2:
        return np.zeros(len(lonlat))
    d = _geodesic_km(lonlat[:-1, 0], lonlat[:-1, 1], lonlat[1:, 0], lonlat[1:, 1])
    return np.concatenate([[0.0], np.cumsum(d)])


def _geodesic_km(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    """Geodesic distances in km for equal-length arrays (lists, so pyproj never sees a size-1 array as a scalar)."""
    args = [np.atleast_1d(np.asarray(v, dtype="float64")).tolist() for v in (lon1, lat1, lon2, lat2)]
    _, _, d = GEOD.inv(*args)
    return np.asarray(d, dtype="float64") / 1000.0


def _check_width(width_km: float) -> float:
    try:
        w = float(width_km)
    except (TypeError, ValueError):
        msg = f"band width must be a number of km, got {width_km!r}"
        raise ValueError(msg) from None
    if not np.isfinite(w) or w < 0:
        msg = f"band width must be a finite distance of 0 km or more (on each side of the centreline), got {width_km!r}"
        raise ValueError(msg)
    return w


def corridor_members(corridor: Corridor) -> gpd.GeoDataFrame:
    """Return the member polygons (hub once) with wing, order, chainage and version columns.

    Columns: ``corridor_id``, ``wing``, ``order``, ``adcode``, ``name_zh``,
    ``level``, ``kind``, ``province_zh``, ``version`` (joined in), ``since``
    (that version's date), ``chainage_km`` (geodesic distance from the hub
    along the wing's centreline; 0 for the hub; with a transport line, the
    member's seat projected onto it, counted from the line's start), ``anchor_lon``,
    ``anchor_lat``, geometry (polygons, EPSG:4326).
    """
    m = corridor.members
    chain = {corridor.hub: 0.0}
    for w in corridor.wings:
        codes = corridor.wing_units(w)
        if corridor.line_geometry and w in corridor.line_geometry:
            ll = _anchor_lonlat(codes[1:])
            _, along, _ = _project_on_wing(corridor, w, ll, shapely.points(_project(ll)))
            chain.update(zip(codes[1:], along))
        else:
            chain.update(zip(codes[1:], _geodesic_cumulative_km(_anchor_lonlat(codes))[1:]))
    units = _unit_rows(m.adcode)
    since = dict(zip(corridor.versions.version, corridor.versions.since))
    out = gpd.GeoDataFrame({
        "corridor_id": corridor.corridor_id,
        "wing": m.wing.to_numpy(),
        "order": m.order.astype(int).to_numpy(),
        "adcode": m.adcode.to_numpy(),
        "name_zh": units.name_zh.to_numpy(),
        "level": units.level.to_numpy(),
        "kind": units.kind.to_numpy(),
        "province_zh": units.province_zh.to_numpy(),
        "version": [v if v is not None else "" for v in m.version],
        "since": [since.get(v, "") for v in m.version],
        "chainage_km": [chain[a] for a in m.adcode],
        "anchor_lon": units.anchor_lon.to_numpy(),
        "anchor_lat": units.anchor_lat.to_numpy(),
    }, geometry=units.geometry.to_numpy(), crs=WGS84)
    return out


def centrelines(corridor: Corridor) -> gpd.GeoDataFrame:
    """Return one centreline per wing: the polyline through the anchors of the hub and the wing's units.

    Columns: ``corridor_id``, ``wing``, ``n_units`` (hub included),
    ``units_zh`` (names joined by →), ``length_km`` (geodesic), ``line``
    (``"seats"``, or ``"transport"`` for a line set with
    :meth:`Corridor.with_lines`), geometry (LineString, EPSG:4326). A corridor
    that is only its hub (G60 1.0) has no centreline: the frame is empty.
    """
    t = _table().set_index("adcode")
    rows = []
    for w in corridor.wings:
        codes = corridor.wing_units(w)
        ll = _wing_vertices(corridor, w)
        rows.append(dict(corridor_id=corridor.corridor_id, wing=w, n_units=len(codes),
                         units_zh="→".join(t.loc[codes, "name_zh"]),
                         length_km=float(_geodesic_cumulative_km(ll)[-1]),
                         line="transport" if corridor.line_geometry and w in corridor.line_geometry else "seats",
                         geometry=LineString(ll)))
    cols = ["corridor_id", "wing", "n_units", "units_zh", "length_km", "line", "geometry"]
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in cols}, geometry="geometry", crs=WGS84)
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=WGS84)


def _wing_lines_metric(corridor: Corridor) -> dict[str, shapely.Geometry]:
    lines = centrelines(corridor)
    if lines.empty:
        hub = _anchor_lonlat([corridor.hub])[0]
        return {HUB: Point(_project(hub[None, :])[0])}
    metric = lines.to_crs(DISTANCE_CRS)
    return dict(zip(metric.wing, metric.geometry))


def corridor_band(corridor: Corridor, width_km: float, *, clip: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Return the band within ``width_km`` of the centreline: one row per wing plus one for the whole corridor.

    Parameters
    ----------
    corridor
        The corridor.
    width_km
        Distance from the centreline on each side, in km (0 or more). The
        buffer is computed in metres in EPSG:4549.
    clip
        Optional polygons (any CRS) to clip the band to, e.g.
        ``yrdgeo.load_units("province")`` to keep it on YRD land.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``corridor_id``, ``wing`` (each wing, then ``"all"``),
        ``width_km``, ``area_km2`` (equal-area), geometry (EPSG:4326). A
        hub-only corridor gives a disc around the hub's anchor (wing ``"hub"``).
    """
    w = _check_width(width_km)
    lines = _wing_lines_metric(corridor)
    names = list(lines)
    geoms = [shapely.buffer(g, w * 1000.0, quad_segs=16) if w > 0 else g for g in lines.values()]
    if len(names) > 1:
        names.append("all")
        geoms.append(shapely.union_all(geoms))
    band = gpd.GeoSeries(geoms, crs=DISTANCE_CRS)
    if clip is not None:
        require_crs(clip, what="clipping a corridor band")
        mask = shapely.union_all(clip.to_crs(DISTANCE_CRS).geometry.to_numpy())
        band = band.intersection(mask)
    out = gpd.GeoDataFrame({"corridor_id": corridor.corridor_id, "wing": names, "width_km": w},
                           geometry=band.to_crs(WGS84).to_numpy(), crs=WGS84)
    out["area_km2"] = band.to_crs(AREA_CRS).area.to_numpy() / 1e6
    return out[["corridor_id", "wing", "width_km", "area_km2", "geometry"]]


@lru_cache(maxsize=2)
def _transformer(inverse: bool) -> Transformer:
    src, dst = (DISTANCE_CRS, WGS84) if inverse else (WGS84, DISTANCE_CRS)
    return Transformer.from_crs(src, dst, always_xy=True)


def _project(xy: np.ndarray, *, inverse: bool = False) -> np.ndarray:
    """Lon/lat → EPSG:4549 metres (or back), for an (n, 2) array."""
    x, y = _transformer(inverse).transform(xy[:, 0].tolist(), xy[:, 1].tolist())
    return np.column_stack([np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")])


def _project_on_wing(corridor: Corridor, wing: str, lonlat: np.ndarray,
                     pts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distance (m, EPSG:4549) to a wing's centreline, chainage (km, geodesic) and foot (lon/lat) per point."""
    n = len(lonlat)
    ll = _wing_vertices(corridor, wing)
    cum = _geodesic_cumulative_km(ll)
    xy = _project(ll)
    segs = shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1))
    d = shapely.distance(pts[:, None], segs[None, :])
    k = d.argmin(axis=1)
    along = shapely.line_locate_point(segs[k], pts)
    f_ll = _project(shapely.get_coordinates(shapely.line_interpolate_point(segs[k], along)), inverse=True)
    chain = cum[k] + _geodesic_km(ll[k, 0], ll[k, 1], f_ll[:, 0], f_ll[:, 1])
    return d[np.arange(n), k], chain, f_ll


def _locate_lonlat(corridor: Corridor, lonlat: np.ndarray) -> pd.DataFrame:
    """Nearest wing, chainage and offset for lon/lat points."""
    n = len(lonlat)
    wings = list(corridor.wings)
    if not wings:
        msg = (f"corridor {corridor.corridor_id!r}"
               + (f" at version {corridor.version}" if corridor.version else "")
               + " is only its hub: there is no line to measure chainage along")
        raise ValueError(msg)
    pts = shapely.points(_project(lonlat))
    dist = np.empty((n, len(wings)))
    chain = np.empty((n, len(wings)))
    foot = np.empty((n, len(wings), 2))
    for j, w in enumerate(wings):
        dist[:, j], chain[:, j], foot[:, j] = _project_on_wing(corridor, w, lonlat, pts)
    best = dist.argmin(axis=1)
    rows = []
    for i in range(n):
        tied = np.flatnonzero(dist[i] - dist[i, best[i]] < _TIE_M)
        at_hub = bool(np.all(chain[i, tied] < 1e-3))
        j = best[i]
        wing = HUB if at_hub else wings[j]
        off = _geodesic_km(lonlat[i, 0], lonlat[i, 1], foot[i, j, 0], foot[i, j, 1])[0]
        rows.append(dict(wing=wing, chainage_km=0.0 if at_hub else float(chain[i, j]), offset_km=float(off)))
    return pd.DataFrame(rows)


def locate(
    corridor: Corridor,
    where: gpd.GeoDataFrame | Sequence[str | int] | Sequence[tuple[float, float]],
) -> gpd.GeoDataFrame | pd.DataFrame:
    """Return chainage along the corridor (km from the hub) and the nearest wing for units or points.

    Parameters
    ----------
    corridor
        The corridor (it needs at least one wing).
    where
        A GeoDataFrame of units (their anchor points are used when they have
        ``anchor_lon``/``anchor_lat``, else each geometry's representative
        point; any CRS), a list of unit names/adcodes, or a list of
        ``(lon, lat)`` WGS84 points.

    Returns
    -------
    geopandas.GeoDataFrame or pandas.DataFrame
        A copy of the frame (or a new table with ``query`` and ``adcode``
        columns) with ``wing`` (nearest wing, ``"hub"`` when the nearest point
        of the corridor is the hub), ``chainage_km`` (geodesic distance along
        that wing's centreline from the hub to the foot of the perpendicular)
        and ``offset_km`` (geodesic distance from the point to that foot).
    """
    if isinstance(where, gpd.GeoDataFrame):
        require_crs(where, what="locating units along a corridor")
        if {"anchor_lon", "anchor_lat"} <= set(where.columns):
            lonlat = where[["anchor_lon", "anchor_lat"]].to_numpy(dtype="float64")
        else:
            # the inner point is chosen in DISTANCE_CRS, so it is the same whatever the frame's CRS
            lonlat = np.column_stack(representative_lonlat(where, what="locating units along a corridor"))
        out = where.copy()
    else:
        items = list(where)
        is_point = [isinstance(p, tuple) and len(p) == 2 for p in items]
        if any(is_point) and not all(is_point):
            msg = "where= must be all unit names/adcodes or all (lon, lat) points, not a mix"
            raise ValueError(msg)
        if items and all(is_point):
            lonlat = np.array(items, dtype="float64")
            out = pd.DataFrame({"lon": lonlat[:, 0], "lat": lonlat[:, 1]})
        else:
            codes = [resolve_member(q) for q in items]
            lonlat = _anchor_lonlat(codes)
            out = pd.DataFrame({"query": [str(q) for q in items], "adcode": codes})
    if len(lonlat) == 0:
        res = pd.DataFrame({"wing": [], "chainage_km": [], "offset_km": []})
    else:
        res = _locate_lonlat(corridor, lonlat)
    for col in res.columns:
        out[col] = res[col].to_numpy()
    return out


def units_near(
    corridor: Corridor,
    width_km: float,
    *,
    units: str | gpd.GeoDataFrame = "county",
    keep_all: bool = False,
) -> gpd.GeoDataFrame:
    """Return the units that intersect the corridor's band, with the share of each unit's area inside it.

    Parameters
    ----------
    corridor
        The corridor.
    width_km
        Band distance on each side of the centreline, km (0 or more).
    units
        A level name (``"county"``, ``"city"``, ``"province"``) or a
        GeoDataFrame of polygons in any CRS (not modified).
    keep_all
        Keep units outside the band too (with ``share_in_band`` 0).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of the units (their CRS kept) with ``distance_km`` (shortest
        distance from the polygon to the nearest centreline, EPSG:4549
        metres; 0 when it crosses it), ``share_in_band`` (0–1, equal-area),
        ``area_in_band_km2``, ``nearest_wing``, ``chainage_km`` (of the
        unit's anchor, see :func:`locate`) and ``relation`` (``member``,
        ``inside_member`` for a part of a member, ``contains_member`` for a
        unit containing one, else empty).
    """
    w = _check_width(width_km)
    if isinstance(units, str):
        frame = load_units(units)
    elif isinstance(units, gpd.GeoDataFrame):
        require_crs(units, what="finding units near a corridor")
        frame = units
    else:
        msg = f"units must be a level name or a GeoDataFrame, got {type(units).__name__}"
        raise ValueError(msg)
    out = frame.copy()
    lines = _wing_lines_metric(corridor)
    metric_units = frame.geometry.to_crs(DISTANCE_CRS).to_numpy()
    allline = shapely.union_all(list(lines.values()))
    out["distance_km"] = shapely.distance(metric_units, allline) / 1000.0
    band = corridor_band(corridor, w)
    whole = band.geometry.iloc[-1]
    band_area = gpd.GeoSeries([whole], crs=WGS84).to_crs(AREA_CRS).iloc[0]
    units_area = frame.geometry.to_crs(AREA_CRS)
    inter = shapely.intersection(units_area.to_numpy(), band_area)
    area = units_area.area.to_numpy()
    out["area_in_band_km2"] = shapely.area(inter) / 1e6
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_in_band"] = np.clip(np.where(area > 0, shapely.area(inter) / area, 0.0), 0.0, 1.0)
    if corridor.wings:
        loc = locate(corridor, frame)
        out["nearest_wing"] = loc.wing.to_numpy()
        out["chainage_km"] = loc.chainage_km.to_numpy()
    else:
        out["nearest_wing"] = HUB
        out["chainage_km"] = 0.0
    out["relation"] = _relations(out, corridor)
    if not keep_all:
        touching = (out.distance_km <= w + 1e-9) | (out.share_in_band > 0)
        out = out[touching.to_numpy()]
    return out


def _relations(frame: pd.DataFrame, corridor: Corridor) -> list[str]:
    if "adcode" not in frame.columns:
        return [""] * len(frame)
    t = _table().set_index("adcode")
    members = set(corridor.adcodes)
    parents_of_members = set()
    for m in members:
        p = t.loc[m, "parent_adcode"]
        while p is not None and p in t.index:
            parents_of_members.add(p)
            p = t.loc[p, "parent_adcode"]
    rel = []
    for code in frame.adcode.astype(str):
        if code in members:
            rel.append("member")
            continue
        p = t.loc[code, "parent_adcode"] if code in t.index else None
        inside = False
        while p is not None and p in t.index:
            if p in members:
                inside = True
                break
            p = t.loc[p, "parent_adcode"]
        rel.append("inside_member" if inside else "contains_member" if code in parents_of_members else "")
    return rel


def summarize_wings(
    corridor: Corridor,
    *,
    width_km: float | None = None,
    attributes: pd.DataFrame | None = None,
    columns: Sequence[str] | None = None,
    agg: str | Mapping[str, str] = "sum",
) -> pd.DataFrame:
    """Return one row per wing plus ``"all"``: length, units, area and joined attributes, side by side.

    Each wing counts the hub (G60: south 4 units, north 6); the ``"all"``
    row counts it once.

    Parameters
    ----------
    corridor
        The corridor.
    width_km
        If given, add ``band_area_km2`` for a band of that width.
    attributes
        A table with an ``adcode`` column (or adcodes as index) and numeric
        columns to aggregate over each wing's members, e.g. GDP or
        population. Members missing from it count as missing values, and a
        ``UserWarning`` names them per column (a sum over the members that
        have a value is smaller than the wing's true total).
    columns
        The attribute columns to use (default: every numeric column).
    agg
        An aggregation name from :data:`AGGREGATIONS` (``"sum"``, ``"mean"``,
        ``"median"``, ``"min"``, ``"max"``, ``"std"``, ``"count"``) or
        ``{column: name}``.

    Returns
    -------
    pandas.DataFrame
        Columns ``corridor_id``, ``wing``, ``n_units``, ``units_zh``,
        ``length_km`` (centreline, geodesic; for ``"all"`` the sum of the
        wings), ``member_area_km2`` (equal-area), optionally
        ``band_area_km2``, then per attribute column its aggregate and
        ``<column>_n`` (members with a value).
    """
    members = corridor_members(corridor)
    members["member_area_km2"] = members.geometry.to_crs(AREA_CRS).area.to_numpy() / 1e6
    lines = centrelines(corridor)
    length = dict(zip(lines.wing, lines.length_km))
    groups = {w: corridor.wing_units(w) for w in corridor.wings}
    groups["all"] = corridor.adcodes
    attr = _attribute_table(attributes, columns) if attributes is not None else None
    funcs = {c: (agg if isinstance(agg, str) else agg.get(c, "sum")) for c in (attr.columns if attr is not None else [])}
    bad_agg = sorted({f for f in ([agg] if isinstance(agg, str) else list(agg.values())) if f not in AGGREGATIONS})
    if bad_agg:
        msg = f"unknown aggregation {bad_agg}; expected one of {', '.join(AGGREGATIONS)}"
        raise ValueError(msg)
    if attr is not None and not isinstance(agg, str):
        unknown = set(agg) - set(attr.columns)
        if unknown:
            msg = f"agg names columns {sorted(unknown)} that are not among the attributes {list(attr.columns)}"
            raise ValueError(msg)
    band = corridor_band(corridor, width_km) if width_km is not None else None
    band_area = dict(zip(band.wing, band.area_km2)) if band is not None else {}
    if band is not None and "all" not in band_area:
        band_area["all"] = float(band.area_km2.iloc[0])
    area = dict(zip(members.adcode, members.member_area_km2))
    names = dict(zip(members.adcode, members.name_zh))
    if attr is not None:
        _warn_missing_members(corridor, attr, names, agg)
    rows = []
    for w, codes in groups.items():
        row = dict(corridor_id=corridor.corridor_id, wing=w, n_units=len(codes),
                   units_zh="、".join(names[c] for c in codes),
                   length_km=length.get(w, sum(length.values()) if w == "all" else 0.0),
                   member_area_km2=float(sum(area[c] for c in codes)))
        if band is not None:
            row["band_area_km2"] = float(band_area.get(w, np.nan))
        if attr is not None:
            sub = attr.reindex(codes)
            for c in attr.columns:
                vals = sub[c].dropna()
                row[c] = float(vals.agg(funcs[c])) if len(vals) else np.nan
                row[f"{c}_n"] = int(len(vals))
        rows.append(row)
    return pd.DataFrame(rows)


def _warn_missing_members(corridor: Corridor, attr: pd.DataFrame, names: Mapping[str, str],
                          agg: str | Mapping[str, str]) -> None:
    """Warn, naming them per column, about corridor members that have no value in ``attr``."""
    import warnings

    # a member without a row (a district beside whole cities, a city table missing one city) or with an
    # empty cell drops out of the aggregate; said nothing, a wing's sum would look like its total
    sub = attr.reindex(list(corridor.adcodes))
    parts = []
    for c in attr.columns:
        missing = list(sub.index[sub[c].isna()])
        if missing:
            how = agg if isinstance(agg, str) else agg.get(c, "sum")
            listing = ", ".join(f"{names.get(code, code)} ({code})" for code in missing)
            parts.append(f"{c!r} ({how} over {len(corridor.adcodes) - len(missing)} of "
                         f"{len(corridor.adcodes)} members): no value for {listing}")
    if parts:
        msg = (f"{corridor.corridor_id}: the attribute table has no value for some corridor members, so their "
               f"wings' aggregates leave them out: " + "; ".join(parts)
               + ". Give a value for each member (a table at the members' own levels) or read the <column>_n columns.")
        warnings.warn(msg, UserWarning, stacklevel=3)


def _attribute_table(attributes: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    """Return the indicator ``columns`` (default: all) of an attribute table indexed by adcode, via the input gate.

    Shared with :func:`yrdgeo.enclaves.pair_gradients`. A table indexed by adcode is read with its
    index as the key. Raises InputError (a ValueError) for repeated units, malformed codes, absent
    or non-numeric columns.
    """
    from ..inputs import read_table

    table = pd.DataFrame(attributes)
    if "adcode" not in table.columns:
        table = table.rename_axis("adcode").reset_index()
    t = read_table(table, key="adcode", columns=list(dict.fromkeys(columns)) if columns is not None else None,
                   level="mixed")
    return t.data.set_index("adcode")[t.indicators]


def wing_polygons(corridor: Corridor) -> gpd.GeoDataFrame:
    """Return one polygon per wing (the union of its members' polygons, hub included), with its summary.

    Columns: those of :func:`summarize_wings` for the wings, geometry
    (MultiPolygon/Polygon, EPSG:4326).
    """
    summary = summarize_wings(corridor)
    summary = summary[summary.wing != "all"].reset_index(drop=True)
    t = _table().set_index("adcode")
    geoms = [shapely.union_all(t.loc[corridor.wing_units(w), "geometry"].to_numpy()) for w in summary.wing]
    return gpd.GeoDataFrame(summary, geometry=geoms, crs=WGS84)


# --------------------------------------------------------------------------- one-call analysis and layers


@dataclass
class CorridorAnalysis:
    """Everything the corridor exports: the layers and the wing summary.

    Attributes
    ----------
    corridor
        The corridor analysed.
    width_km
        Band distance on each side of the centreline.
    members, centrelines, bands, wings
        Layers from :func:`corridor_members`, :func:`centrelines`,
        :func:`corridor_band` and :func:`wing_polygons` (EPSG:4326).
    units
        Units near the corridor (:func:`units_near`), or ``None``.
    summary
        :func:`summarize_wings` with the band area.
    """

    corridor: Corridor
    width_km: float
    members: gpd.GeoDataFrame
    centrelines: gpd.GeoDataFrame
    bands: gpd.GeoDataFrame
    wings: gpd.GeoDataFrame
    units: gpd.GeoDataFrame | None
    summary: pd.DataFrame

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Return the layers by GeoPackage layer name (``corridor_members``, ``_centrelines``, ``_bands``, ``_wings``, ``_units``)."""
        out = {"corridor_members": self.members, "corridor_centrelines": self.centrelines,
               "corridor_bands": self.bands, "corridor_wings": self.wings}
        if self.units is not None:
            out["corridor_units"] = self.units
        return out


def analyze_corridor(
    corridor: Corridor,
    width_km: float,
    *,
    units: str | gpd.GeoDataFrame | None = "county",
    attributes: pd.DataFrame | None = None,
    columns: Sequence[str] | None = None,
    agg: str | Mapping[str, str] = "sum",
) -> CorridorAnalysis:
    """Return every corridor layer and the wing summary for a band of ``width_km``.

    This is the one call the command line and the QGIS algorithms make.
    ``units`` (a level or a frame; ``None`` to skip) selects the units to
    test against the band; ``attributes``/``columns``/``agg`` go to
    :func:`summarize_wings`.
    """
    w = _check_width(width_km)
    near = units_near(corridor, w, units=units) if units is not None else None
    if near is not None and isinstance(near, gpd.GeoDataFrame) and near.crs is not None and not near.crs.equals(WGS84):
        near = near.to_crs(WGS84)
    return CorridorAnalysis(
        corridor=corridor, width_km=w, members=corridor_members(corridor), centrelines=centrelines(corridor),
        bands=corridor_band(corridor, w), wings=wing_polygons(corridor), units=near,
        summary=summarize_wings(corridor, width_km=w, attributes=attributes, columns=columns, agg=agg),
    )


def corridor_layers(corridors: Corridor | Sequence[Corridor], width_km: float, *,
                    units: str | gpd.GeoDataFrame | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Return the GeoPackage layers for one or several corridors, rows of all corridors stacked per layer.

    Write them with ``yrdgeo.io.write_layers(layers, "out.gpkg")``.
    """
    items = [corridors] if isinstance(corridors, Corridor) else list(corridors)
    if not items:
        msg = "no corridors given"
        raise ValueError(msg)
    return combine_layers([analyze_corridor(c, width_km, units=units) for c in items])


def combine_layers(analyses: Sequence[CorridorAnalysis]) -> dict[str, gpd.GeoDataFrame]:
    """Return the layers of several :class:`CorridorAnalysis` results stacked per layer (``corridor_id`` tells them apart)."""
    if not analyses:
        msg = "no corridor analyses given"
        raise ValueError(msg)
    ids = [a.corridor.corridor_id for a in analyses]
    if len(set(ids)) != len(ids):
        msg = f"corridor ids must differ to share layers, got {ids}"
        raise ValueError(msg)
    parts = [a.layers() for a in analyses]
    names = list(dict.fromkeys(n for p in parts for n in p))
    out = {}
    for name in names:
        frames = []
        for p, a in zip(parts, analyses):
            if name not in p:
                continue
            f = p[name]
            if "corridor_id" not in f.columns:
                f = f.copy()
                f.insert(0, "corridor_id", a.corridor.corridor_id)
            frames.append(f)
        out[name] = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=WGS84)
    return out
