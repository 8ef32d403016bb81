"""Enclave economy (飞地经济): the registry of enclave pairs, their geometry, gradients, network and benefit sharing.

A *fly-out* place (飞出地: short of land, high costs) builds a park in a
*fly-in* place (飞入地: land and labour available). Kinds recorded per pair:

* ``forward``: developed → less developed (Shanghai → Dafeng);
* ``reverse``: a less developed place sets up a park or incubator in a
  developed one (Wenzhou's science park in Jiading);
* ``cooperation_zone``: a cross-border cooperation zone between adjacent
  units of two provinces; undirected (its ends are ``side a``/``side b``,
  stored in the ``fly_out_*``/``fly_in_*`` columns with ``directed`` False).

*Two-way* (双向飞地) is not typed by hand: :func:`detect_two_way` flags a
directed pair when another pair runs the opposite way between the same two
places, compared at city level by default (Shanghai → Wenzhou and Wenzhou →
Shanghai's Jiading district make Shanghai ⇄ Wenzhou two-way).

The registry is a plain table (one row per link; an end that lists several
units, like 虹桥—昆山—相城, becomes one row per unit pair). The bundled rows
come from ``data/reference/enclave_pairs.csv`` and
``border_cooperation_zones.csv`` (seed papers 000, 001, 003); a user's
CSV/GeoPackage table extends it through :func:`read_enclave_pairs` and
:func:`enclave_pairs`.

Distances are geodesic, seat to seat (like :func:`yrdgeo.distance_km`).
Travel time comes from outside this module (the network module, or any
source) through the ``travel_time`` hook: a matrix of minutes or a callable.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from .corridors import _attribute_table, _present, resolve_member
from .crs import GEOD, WGS84, geodesic_distance_km
from .units import UnitError, _describe, _table, data_path

KINDS = ("forward", "reverse", "cooperation_zone")
PAIR_COLUMNS = [
    "pair_id", "name_zh", "kind", "directed", "fly_out_adcode", "fly_out_zh", "fly_in_adcode", "fly_in_zh",
    "since", "seed", "note", "source",
]
TravelTime = pd.DataFrame | Callable[[str, str], float] | object  # object: has a ``minutes`` DataFrame

__all__ = [
    "KINDS", "PRESETS", "SEED002_SHANGHAI_TOWN", "EnclaveAnalysis", "EnclaveNetwork", "SharingSchedule",
    "analyze_enclaves", "desire_lines", "detect_two_way", "enclave_ends", "end_units", "enclave_graph", "enclave_pairs",
    "load_enclave_pairs", "pair_gradients", "read_enclave_pairs", "read_travel_time", "revenue_schedule",
]


# --------------------------------------------------------------------------- registry


def _split_codes(text: str) -> list[str]:
    return [p.strip() for p in str(text).split(";") if p.strip()]


def _resolve_end(name: object, code: object, *, what: str) -> list[str]:
    """Resolve one end (possibly ';'-separated units), checking that names and codes agree."""
    names = _split_codes(name) if _present(name) else []
    codes = _split_codes(code) if _present(code) else []
    if not names and not codes:
        msg = f"{what}: no unit given (expected a name or an adcode)"
        raise ValueError(msg)
    if names and codes and len(names) != len(codes):
        msg = f"{what}: {len(names)} names {names} but {len(codes)} adcodes {codes}"
        raise ValueError(msg)
    out = []
    for i, item in enumerate(codes or names):
        try:
            c = resolve_member(item)
        except UnitError as exc:
            msg = f"{what}: {item!r} is not a YRD unit: {exc}"
            raise ValueError(msg) from None
        if names and codes:
            by_name = resolve_member(names[i])
            if by_name != c:
                msg = f"{what}: name {names[i]!r} ({by_name}) and adcode {item!r} ({c}) disagree"
                raise ValueError(msg)
        out.append(c)
    return out


def _normalise(raw: pd.DataFrame, *, source: str, id_prefix: str) -> pd.DataFrame:
    """Validate a raw pair table and return it in the registry schema (one row per unit pair)."""
    df = raw.copy()
    df.columns = [str(c).strip() for c in df.columns]

    def col(*names: str) -> str | None:
        return next((n for n in names if n in df.columns), None)

    out_name, out_code = col("fly_out_zh", "fly_out", "unit_a_zh", "unit_a"), col("fly_out_adcode", "unit_a_adcode")
    in_name, in_code = col("fly_in_zh", "fly_in", "unit_b_zh", "unit_b"), col("fly_in_adcode", "unit_b_adcode")
    missing = []
    if out_name is None and out_code is None:
        missing.append("fly_out (or fly_out_zh / fly_out_adcode)")
    if in_name is None and in_code is None:
        missing.append("fly_in (or fly_in_zh / fly_in_adcode)")
    if "kind" not in df.columns:
        missing.append(f"kind (one of {', '.join(KINDS)})")
    if missing:
        msg = f"enclave table {source} lacks columns: {'; '.join(missing)}; it has {list(df.columns)}"
        raise ValueError(msg)
    t = _table().set_index("adcode")
    rows = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        label = r.get("name_zh") or r.get("name") or f"row {i}"
        what = f"enclave table {source}, {label!r}"
        kind = str(r["kind"]).strip().lower().replace("-", "_").replace(" ", "_")
        if kind in ("two_way", "twoway", "bidirectional"):
            msg = (f"{what}: kind 'two-way' is detected, not typed; give each direction as its own row "
                   f"(kind forward or reverse)")
            raise ValueError(msg)
        if kind not in KINDS:
            msg = f"{what}: kind must be one of {', '.join(KINDS)}, got {r['kind']!r}"
            raise ValueError(msg)
        a = _resolve_end(r.get(out_name) if out_name else None, r.get(out_code) if out_code else None,
                         what=f"{what}, fly-out end")
        b = _resolve_end(r.get(in_name) if in_name else None, r.get(in_code) if in_code else None,
                         what=f"{what}, fly-in end")
        base_id = str(r["pair_id"]).strip() if _present(r.get("pair_id")) else f"{id_prefix}{i:02d}"
        links = [(x, y) for x in a for y in b]
        for j, (x, y) in enumerate(links):
            if x == y:
                msg = (f"{what}: both ends are the same unit, {_describe(x)}; an enclave links two different "
                       "units")
                raise ValueError(msg)
            rows.append(dict(
                pair_id=base_id if len(links) == 1 else f"{base_id}{chr(ord('a') + j)}",
                name_zh=str(r.get("name_zh") or r.get("name") or ""), kind=kind,
                directed=kind != "cooperation_zone",
                fly_out_adcode=x, fly_out_zh=t.loc[x, "name_zh"], fly_in_adcode=y, fly_in_zh=t.loc[y, "name_zh"],
                since=str(r["since"]) if _present(r.get("since")) else "",
                seed=str(r["seed"]) if _present(r.get("seed")) else "",
                note=str(r["note"]) if _present(r.get("note")) else "", source=source,
            ))
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    _check_unique_ids(out)
    return out


def _check_unique_ids(pairs: pd.DataFrame) -> None:
    dup = pairs.pair_id[pairs.pair_id.duplicated()]
    if len(dup):
        msg = f"pair_id must be unique; repeated: {sorted(set(dup))[:10]}"
        raise ValueError(msg)


def read_enclave_pairs(source: str | os.PathLike | pd.DataFrame, *, layer: str | None = None,
                       id_prefix: str = "user") -> pd.DataFrame:
    """Return a user's enclave pairs, validated, in the registry schema (without two-way detection).

    Parameters
    ----------
    source
        A CSV file, a GeoPackage/GeoJSON/Shapefile (its attribute table is
        read; ``layer=`` picks a GeoPackage layer), or a DataFrame. Columns:
        ``fly_out`` and ``fly_in`` (names, or ``fly_out_adcode``/
        ``fly_in_adcode``; both may be given and must agree; an end may list
        several units separated by ``;``), ``kind`` (forward, reverse,
        cooperation_zone). Optional: ``pair_id``, ``name_zh``, ``since``,
        ``seed``, ``note``.
    id_prefix
        Prefix for generated pair ids (``user01``, …) when there is no
        ``pair_id`` column.

    Raises
    ------
    ValueError
        Missing columns, an unknown kind or a typed "two-way" kind, an end
        that is not a YRD unit, both ends the same unit, repeated pair ids.
    """
    if isinstance(source, pd.DataFrame):
        raw, label = pd.DataFrame(source).copy(), "the given table"
    else:
        label = str(source)
        if not os.path.exists(label):
            msg = f"enclave table {label} does not exist"
            raise ValueError(msg)
        if label.lower().endswith(".csv"):
            from .inputs import read_text

            raw = pd.read_csv(io.StringIO(read_text(label, what="enclave table")), dtype=str, keep_default_na=False)
        else:
            raw = pd.DataFrame(gpd.read_file(label, layer=layer, ignore_geometry=True))
    if "geometry" in raw.columns:
        raw = raw.drop(columns="geometry")
    return _normalise(raw, source=label, id_prefix=id_prefix)


def load_enclave_pairs(*, cooperation_zones: bool = True, level: str = "city") -> pd.DataFrame:
    """Return the bundled enclave pairs (seed papers), with two-way detection; see :func:`enclave_pairs`."""
    return enclave_pairs(None, cooperation_zones=cooperation_zones, level=level)


def _bundled_pairs(cooperation_zones: bool) -> pd.DataFrame:
    ep = pd.read_csv(str(data_path("reference", "enclave_pairs.csv")), dtype=str, keep_default_na=False)
    ep.insert(0, "pair_id", [f"ep{i:02d}" for i in range(1, len(ep) + 1)])
    parts = [_normalise(ep, source="reference/enclave_pairs.csv", id_prefix="ep")]
    if cooperation_zones:
        bz = pd.read_csv(str(data_path("reference", "border_cooperation_zones.csv")), dtype=str,
                         keep_default_na=False)
        bz.insert(0, "pair_id", [f"bcz{i:02d}" for i in range(1, len(bz) + 1)])
        bz["kind"] = "cooperation_zone"
        parts.append(_normalise(bz, source="reference/border_cooperation_zones.csv", id_prefix="bcz"))
    return pd.concat(parts, ignore_index=True)


def enclave_pairs(
    extra: pd.DataFrame | str | os.PathLike | Sequence[pd.DataFrame | str | os.PathLike] | None = None,
    *,
    bundled: bool = True,
    cooperation_zones: bool = True,
    level: str = "city",
) -> pd.DataFrame:
    """Return the enclave registry: bundled pairs plus the user's, validated, with two-way detection.

    Parameters
    ----------
    extra
        The user's pairs: a path or DataFrame (see :func:`read_enclave_pairs`)
        or a list of them. Tables already in the registry schema are accepted.
    bundled
        Include the pairs bundled from the seed papers.
    cooperation_zones
        Include the bundled cross-border cooperation zones.
    level
        Level at which two-way pairs are matched (see :func:`detect_two_way`).

    Returns
    -------
    pandas.DataFrame
        One row per link with columns ``pair_id``, ``name_zh``, ``kind``,
        ``directed``, ``fly_out_adcode``, ``fly_out_zh``, ``fly_in_adcode``,
        ``fly_in_zh``, ``since``, ``seed``, ``note``, ``source``, plus
        ``cross_province``, ``two_way``, ``two_way_with`` and ``pattern``
        (``"two_way"`` or the kind).
    """
    parts = [_bundled_pairs(cooperation_zones)] if bundled else []
    extras = [] if extra is None else (list(extra) if isinstance(extra, (list, tuple)) else [extra])
    for k, e in enumerate(extras, start=1):
        prefix = "user" if len(extras) == 1 else f"user{k}_"
        parts.append(read_enclave_pairs(e, id_prefix=prefix))
    if not parts:
        msg = "no enclave pairs: bundled=False and no extra table given"
        raise ValueError(msg)
    pairs = pd.concat(parts, ignore_index=True)[PAIR_COLUMNS]
    _check_unique_ids(pairs)
    return detect_two_way(pairs, level=level)


def _roll_up(code: str, level: str | None) -> str:
    if level is None:
        return code
    t = _table().set_index("adcode")
    order = {"county": 0, "city": 1, "province": 2}
    if level not in order:
        msg = f"level must be 'county', 'city', 'province' or None, got {level!r}"
        raise ValueError(msg)
    c = code
    while order[t.loc[c, "level"]] < order[level] and t.loc[c, "parent_adcode"] is not None:
        c = t.loc[c, "parent_adcode"]
    if level == "province" and c == "310100":
        c = "310000"
    return c


def detect_two_way(pairs: pd.DataFrame, *, level: str = "city") -> pd.DataFrame:
    """Return a copy of the pairs with ``two_way``, ``two_way_with``, ``pattern`` and ``cross_province``.

    A directed pair A → B is two-way when some other directed pair runs
    B' → A' with B' and B, and A' and A, the same unit once rolled up to
    ``level`` (``"city"``: a district counts as its city; ``"county"`` or
    ``None``: exact units; ``"province"``). Cooperation zones are undirected
    and never two-way. ``two_way_with`` lists the opposite pairs' ids.
    """
    _missing = {"pair_id", "fly_out_adcode", "fly_in_adcode", "directed"} - set(pairs.columns)
    if _missing:
        msg = f"pairs lack columns {sorted(_missing)}; build them with enclave_pairs() or read_enclave_pairs()"
        raise ValueError(msg)
    roll = None if level == "county" else level
    out = pairs.copy()
    a = [_roll_up(c, roll) for c in out.fly_out_adcode]
    b = [_roll_up(c, roll) for c in out.fly_in_adcode]
    directed = out.directed.astype(bool).to_numpy()
    partners: list[list[str]] = [[] for _ in range(len(out))]
    index: dict[tuple[str, str], list[int]] = {}
    for i in range(len(out)):
        if directed[i] and a[i] != b[i]:
            index.setdefault((a[i], b[i]), []).append(i)
    for i in range(len(out)):
        if directed[i] and a[i] != b[i]:
            partners[i] = [out.pair_id.iloc[j] for j in index.get((b[i], a[i]), [])]
    out["two_way"] = [bool(p) for p in partners]
    out["two_way_with"] = [";".join(p) for p in partners]
    out["pattern"] = np.where(out.two_way, "two_way", out.kind)
    prov = _table().set_index("adcode").province_adcode
    out["cross_province"] = [prov[x] != prov[y] for x, y in zip(out.fly_out_adcode, out.fly_in_adcode)]
    return out


# --------------------------------------------------------------------------- geometry


def enclave_ends(pairs: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return both ends of every pair as polygons: one row per pair and end.

    Columns: ``pair_id``, ``name_zh`` (of the pair), ``kind``, ``pattern``
    (if detected), ``role`` (``fly_out``/``fly_in``, or ``side_a``/``side_b``
    for cooperation zones), ``adcode``, ``unit_zh``, ``level``,
    ``province_zh``, ``anchor_lon``, ``anchor_lat``, geometry (EPSG:4326).
    """
    _require_pairs(pairs)
    t = _table().set_index("adcode")
    rows = []
    for r in pairs.itertuples(index=False):
        for end, code in (("out", r.fly_out_adcode), ("in", r.fly_in_adcode)):
            role = ("fly_out" if end == "out" else "fly_in") if r.directed else ("side_a" if end == "out" else "side_b")
            u = t.loc[code]
            rows.append(dict(pair_id=r.pair_id, name_zh=r.name_zh, kind=r.kind,
                             pattern=getattr(r, "pattern", r.kind), role=role, adcode=code, unit_zh=u.name_zh,
                             level=u.level, province_zh=u.province_zh, anchor_lon=u.anchor_lon,
                             anchor_lat=u.anchor_lat, geometry=u.geometry))
    cols = ["pair_id", "name_zh", "kind", "pattern", "role", "adcode", "unit_zh", "level", "province_zh",
            "anchor_lon", "anchor_lat", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=WGS84)


def _require_pairs(pairs: pd.DataFrame) -> None:
    missing = set(PAIR_COLUMNS) - set(pairs.columns)
    if missing:
        msg = f"pairs lack columns {sorted(missing)}; build them with enclave_pairs() or read_enclave_pairs()"
        raise ValueError(msg)


def _geodesic_line(lon1: float, lat1: float, lon2: float, lat2: float, *, step_km: float = 5.0) -> LineString:
    dist = float(geodesic_distance_km(lon1, lat1, lon2, lat2))
    n = max(int(dist // step_km) - 1, 0)
    mid = GEOD.npts(lon1, lat1, lon2, lat2, n) if n else []
    return LineString([(lon1, lat1), *mid, (lon2, lat2)])


def _travel_minutes(pairs: pd.DataFrame, travel_time: TravelTime) -> np.ndarray:
    """Look every pair up in the travel-time hook; refuse gaps and bad values before anything is written."""
    if not isinstance(travel_time, pd.DataFrame) and isinstance(getattr(travel_time, "minutes", None), pd.DataFrame):
        travel_time = travel_time.minutes  # a result object holding the matrix (the network module's TravelTimes)
    out = np.empty(len(pairs))
    missing = []
    for i, (a, b) in enumerate(zip(pairs.fly_out_adcode, pairs.fly_in_adcode)):
        if isinstance(travel_time, pd.DataFrame):
            m = travel_time
            try:
                v = m.loc[a, b]
            except KeyError:
                missing.append(f"{_describe(a)} → {_describe(b)}")
                continue
        elif callable(travel_time):
            v = travel_time(a, b)
        else:
            msg = (f"travel_time must be a DataFrame of minutes (index: origin adcodes, columns: destination "
                   f"adcodes), an object with such a .minutes DataFrame, or a callable (from_adcode, to_adcode) "
                   f"-> minutes, got {type(travel_time).__name__}")
            raise ValueError(msg)
        try:
            v = float(v)
        except (TypeError, ValueError):
            msg = f"travel time for {a} → {b} must be a number of minutes, got {v!r}"
            raise ValueError(msg) from None
        if not (np.isnan(v) or v >= 0):
            msg = f"travel time for {a} → {b} must be 0 minutes or more (or NaN when unreachable), got {v}"
            raise ValueError(msg)
        out[i] = v
    if missing:
        msg = f"the travel-time matrix has no entry for {len(missing)} pair(s): {'; '.join(missing[:5])}"
        raise ValueError(msg)
    return out


def end_units(pairs: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return the distinct units at either end of the pairs, as a unit frame (e.g. to compute a travel-time matrix).

    ``yrdgeo.accessibility.od_matrix(network, enclaves.end_units(pairs))``
    gives a matrix that :func:`desire_lines` accepts as ``travel_time``.
    """
    _require_pairs(pairs)
    codes = list(dict.fromkeys([*pairs.fly_out_adcode, *pairs.fly_in_adcode]))
    return _table().set_index("adcode", drop=False).loc[codes].reset_index(drop=True).copy()


def read_travel_time(path: str | os.PathLike) -> pd.DataFrame:
    """Return a travel-time matrix (minutes; index origin adcodes, columns destination adcodes) from a CSV.

    Accepts a long table with columns ``from_adcode``, ``to_adcode``,
    ``minutes`` or a square matrix whose first column holds origin adcodes.
    """
    from .inputs import read_text

    text = read_text(path, what="travel-time table")  # GBK from Excel as well as UTF-8
    df = pd.read_csv(io.StringIO(text), dtype={"from_adcode": str, "to_adcode": str})
    if {"from_adcode", "to_adcode", "minutes"} <= set(df.columns):
        if df.duplicated(["from_adcode", "to_adcode"]).any():
            msg = f"travel-time table {path} lists some from_adcode/to_adcode pairs twice"
            raise ValueError(msg)
        return df.pivot(index="from_adcode", columns="to_adcode", values="minutes")
    m = pd.read_csv(io.StringIO(text), index_col=0)
    m.index = m.index.astype(str)
    m.columns = m.columns.astype(str)
    return m


def desire_lines(pairs: pd.DataFrame, *, travel_time: TravelTime | None = None) -> gpd.GeoDataFrame:
    """Return one desire line per pair, seat to seat, with geodesic distance and optional travel time.

    Parameters
    ----------
    pairs
        The registry (:func:`enclave_pairs`).
    travel_time
        Optional hook: a DataFrame of minutes indexed by origin adcode with
        destination adcodes as columns (e.g. from :func:`read_travel_time`),
        an object whose ``minutes`` attribute is such a DataFrame (the
        network module's OD result, computed on :func:`end_units`), or a
        callable ``f(fly_out_adcode, fly_in_adcode) -> minutes``. A pair the matrix lacks is an error;
        NaN means unreachable.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of the pairs with ``distance_km`` (geodesic, seat to seat),
        ``travel_time_min`` (only with the hook) and geometry: the geodesic
        from the fly-out seat to the fly-in seat, a vertex every 5 km (EPSG:4326).
    """
    _require_pairs(pairs)
    minutes = _travel_minutes(pairs, travel_time) if travel_time is not None else None
    t = _table().set_index("adcode")
    a = t.loc[list(pairs.fly_out_adcode), ["anchor_lon", "anchor_lat"]].to_numpy(dtype="float64")
    b = t.loc[list(pairs.fly_in_adcode), ["anchor_lon", "anchor_lat"]].to_numpy(dtype="float64")
    out = pd.DataFrame(pairs).copy()
    out["distance_km"] = geodesic_distance_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) if len(out) else []
    if minutes is not None:
        out["travel_time_min"] = minutes
    geoms = [_geodesic_line(*p, *q) for p, q in zip(a, b)]
    return gpd.GeoDataFrame(out, geometry=geoms, crs=WGS84)


def pair_gradients(
    pairs: pd.DataFrame,
    attributes: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    roll_up: str | None = None,
) -> pd.DataFrame:
    """Return a copy of the pairs with each attribute at both ends, their difference and ratio.

    For attribute ``x``: ``x_out`` (fly-out end), ``x_in`` (fly-in end),
    ``x_diff = x_out − x_in`` and ``x_ratio = x_out / x_in`` (NaN where
    ``x_in`` is 0 or a value is missing). A forward enclave typically shows
    a high construction-land share and labour cost at the fly-out end
    (ratio > 1).

    Parameters
    ----------
    pairs
        The registry (or any frame with ``fly_out_adcode``/``fly_in_adcode``).
    attributes
        A table with an ``adcode`` column (or adcodes as index).
    columns
        Numeric columns to use (default: all numeric).
    roll_up
        ``"city"`` (or ``"province"``) to look each end up as its city, for
        city-level attribute tables and district-level ends; the column
        ``attr_out_adcode``/``attr_in_adcode`` then records which unit's
        values were used. Default: exact adcodes; missing ends give NaN.
    """
    missing = {"fly_out_adcode", "fly_in_adcode"} - set(pairs.columns)
    if missing:
        msg = f"pairs lack columns {sorted(missing)}"
        raise ValueError(msg)
    table = _attribute_table(attributes, columns)
    if table.columns.empty:
        msg = "attributes have no numeric column to compare"
        raise ValueError(msg)
    out = pairs.copy()
    a = [_roll_up(c, roll_up) for c in out.fly_out_adcode] if roll_up else list(out.fly_out_adcode)
    b = [_roll_up(c, roll_up) for c in out.fly_in_adcode] if roll_up else list(out.fly_in_adcode)
    if roll_up:
        out["attr_out_adcode"], out["attr_in_adcode"] = a, b
    for c in table.columns:
        va = table[c].reindex(a).to_numpy(dtype="float64")
        vb = table[c].reindex(b).to_numpy(dtype="float64")
        out[f"{c}_out"], out[f"{c}_in"] = va, vb
        out[f"{c}_diff"] = va - vb
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{c}_ratio"] = np.where(vb != 0, va / np.where(vb != 0, vb, 1.0), np.nan)
    return out


# --------------------------------------------------------------------------- network


@dataclass
class EnclaveNetwork:
    """The enclave network as a directed graph, with degree and cross-province diagnostics.

    Attributes
    ----------
    graph
        ``networkx.MultiDiGraph``: nodes are adcodes (attributes ``name_zh``,
        ``province_zh``, ``level``), one edge per pair from fly-out to fly-in
        (key ``pair_id``; attributes ``name_zh``, ``kind``, ``pattern``,
        ``cross_province``). A cooperation zone, if included, adds one edge
        each way.
    nodes
        GeoDataFrame, one row per node at its seat of government (point,
        EPSG:4326): ``adcode``, ``name_zh``, ``province_zh``, ``out_degree``
        (pairs flown out), ``in_degree`` (pairs flown in), ``n_partners`` and
        ``cross_province_share`` (share of the node's pairs whose other end is
        in another province).
    cross_province_share
        Share of all pairs (edges) that cross a province border.
    level
        The level nodes were rolled up to (``None``: as recorded).
    """

    graph: nx.MultiDiGraph
    nodes: gpd.GeoDataFrame
    cross_province_share: float
    level: str | None = None


def enclave_graph(pairs: pd.DataFrame, *, level: str | None = None, cooperation_zones: bool = False) -> EnclaveNetwork:
    """Return the enclave network (who flies out to whom) as a NetworkX directed multigraph with degrees.

    Parameters
    ----------
    pairs
        The registry (:func:`enclave_pairs`).
    level
        Roll ends up to ``"city"`` or ``"province"`` before building the graph
        (Jiading → Shanghai); ``None`` keeps the recorded units.
    cooperation_zones
        Include cooperation zones as one edge in each direction.
    """
    _require_pairs(pairs)
    if level not in (None, "county", "city", "province"):
        msg = f"level must be None, 'county', 'city' or 'province', got {level!r}"
        raise ValueError(msg)
    roll = None if level == "county" else level
    t = _table().set_index("adcode")
    g = nx.MultiDiGraph(level=level)
    prov = t.province_adcode
    for r in pairs.itertuples(index=False):
        if not r.directed and not cooperation_zones:
            continue
        a, b = _roll_up(r.fly_out_adcode, roll), _roll_up(r.fly_in_adcode, roll)
        ends = [(a, b)] if r.directed else [(a, b), (b, a)]
        for x, y in ends:
            for n in (x, y):
                if n not in g:
                    g.add_node(n, name_zh=t.loc[n, "name_zh"], province_zh=t.loc[n, "province_zh"],
                               level=t.loc[n, "level"])
            g.add_edge(x, y, key=r.pair_id if r.directed else f"{r.pair_id}{'' if (x, y) == (a, b) else '_rev'}",
                       name_zh=r.name_zh, kind=r.kind, pattern=getattr(r, "pattern", r.kind),
                       cross_province=bool(prov[x] != prov[y]))
    rows = []
    for n, data in g.nodes(data=True):
        edges = list(g.out_edges(n, data=True)) + list(g.in_edges(n, data=True))
        cross = [e[2]["cross_province"] for e in edges]
        partners = {e[1] for e in g.out_edges(n)} | {e[0] for e in g.in_edges(n)}
        rows.append(dict(adcode=n, name_zh=data["name_zh"], province_zh=data["province_zh"],
                         out_degree=g.out_degree(n), in_degree=g.in_degree(n), n_partners=len(partners - {n}),
                         cross_province_share=float(np.mean(cross)) if cross else np.nan))
    nodes = pd.DataFrame(rows, columns=["adcode", "name_zh", "province_zh", "out_degree", "in_degree",
                                        "n_partners", "cross_province_share"])
    nodes = nodes.sort_values(["out_degree", "in_degree"], ascending=False, kind="stable").reset_index(drop=True)
    seats = t.loc[list(nodes.adcode), ["anchor_lon", "anchor_lat"]].to_numpy(dtype="float64").reshape(-1, 2)
    nodes = gpd.GeoDataFrame(nodes, geometry=gpd.points_from_xy(seats[:, 0], seats[:, 1]), crs=WGS84)
    flags = [d["cross_province"] for _, _, d in g.edges(data=True)]
    return EnclaveNetwork(graph=g, nodes=nodes, cross_province_share=float(np.mean(flags)) if flags else np.nan,
                          level=level)


# --------------------------------------------------------------------------- benefit sharing


@dataclass(frozen=True)
class SharingSchedule:
    """How a project's local revenue is split between the fly-out and the fly-in side, year by year.

    Attributes
    ----------
    name
        Identifier (``"seed002_shanghai_town"`` for the preset).
    phases
        ``((years, fly_out_share), ...)``: consecutive phases counted from
        the first year of production; the share (0–1) goes to the fly-out
        (recommending, 原推荐) side, the rest to the fly-in (host, 落地) side.
    after
        The fly-out share in every year after the phases.
    source
        Where the rule comes from.
    """

    name: str
    phases: tuple[tuple[int, float], ...]
    after: float
    source: str = ""

    def __post_init__(self) -> None:
        for years, share in self.phases:
            if int(years) != years or years < 1:
                msg = f"schedule {self.name!r}: each phase needs a whole number of years ≥ 1, got {years!r}"
                raise ValueError(msg)
            _check_share(share, self.name)
        _check_share(self.after, self.name)

    def fly_out_share(self, year: int) -> float:
        """Return the fly-out side's share in ``year`` (1 = first year of production)."""
        if int(year) != year or year < 1:
            msg = f"year counts from 1 (the first year of production), got {year!r}"
            raise ValueError(msg)
        end = 0
        for years, share in self.phases:
            end += int(years)
            if year <= end:
                return float(share)
        return float(self.after)

    @classmethod
    def from_shares(cls, shares: Sequence[float], *, after: float, name: str = "user", source: str = "") -> "SharingSchedule":
        """Return a schedule from one fly-out share per year (then ``after`` for every later year)."""
        return cls(name=name, phases=tuple((1, float(s)) for s in shares), after=float(after), source=source)


def _check_share(share: float, name: str) -> None:
    try:
        ok = 0.0 <= float(share) <= 1.0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        msg = f"schedule {name!r}: a share must be a fraction between 0 and 1, got {share!r}"
        raise ValueError(msg)


SEED002_SHANGHAI_TOWN = SharingSchedule(
    name="seed002_shanghai_town",
    phases=((5, 0.25),),
    after=0.0,
    source=("seed 002 (张亚军, 上海发展战略研究所): a Shanghai district's rule for industrial projects placed in "
            "another town (异地落户): of the town-level fiscal revenue (镇本级财力) after production starts, 25% a "
            "year goes to the recommending town for the first 5 years; from year 6 the host town keeps 100%."),
)
PRESETS: Mapping[str, SharingSchedule] = {SEED002_SHANGHAI_TOWN.name: SEED002_SHANGHAI_TOWN}


def revenue_schedule(
    revenue: float | Sequence[float],
    *,
    schedule: str | SharingSchedule = "seed002_shanghai_town",
    years: int | None = None,
    start_year: int | None = None,
) -> pd.DataFrame:
    """Return the year-by-year split of revenue between the fly-out and fly-in side.

    Parameters
    ----------
    revenue
        Revenue per year: one number (the same every year; then pass
        ``years``) or one number per year from the first year of production.
    schedule
        A preset name (see :data:`PRESETS`) or a :class:`SharingSchedule`.
    years
        Number of years (required with a single revenue figure; must match
        the length of a per-year sequence).
    start_year
        Calendar year of the first year of production, to add ``calendar_year``.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (1, 2, …), optional ``calendar_year``, ``revenue``,
        ``fly_out_share``, ``fly_in_share``, ``fly_out_revenue``,
        ``fly_in_revenue``, ``fly_out_cumulative``, ``fly_in_cumulative``.
    """
    if isinstance(schedule, str):
        if schedule not in PRESETS:
            msg = f"unknown sharing schedule {schedule!r}; presets: {', '.join(PRESETS)}"
            raise ValueError(msg)
        schedule = PRESETS[schedule]
    if not isinstance(schedule, SharingSchedule):
        msg = f"schedule must be a preset name or a SharingSchedule, got {type(schedule).__name__}"
        raise ValueError(msg)
    if np.ndim(revenue) == 0:
        if years is None:
            msg = "a single revenue figure needs years= (how many years to schedule)"
            raise ValueError(msg)
        if int(years) != years or years < 1:
            msg = f"years must be a whole number ≥ 1, got {years!r}"
            raise ValueError(msg)
        values = np.full(int(years), float(revenue))
    else:
        values = np.asarray(revenue, dtype="float64")
        if years is not None and years != len(values):
            msg = f"years={years} but {len(values)} revenue figures were given"
            raise ValueError(msg)
        if len(values) == 0:
            msg = "revenue is empty: give one figure per year"
            raise ValueError(msg)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        msg = f"revenue must be finite and 0 or more in every year, got {values.tolist()}"
        raise ValueError(msg)
    yr = np.arange(1, len(values) + 1)
    share = np.array([schedule.fly_out_share(int(y)) for y in yr])
    out = pd.DataFrame({"year": yr})
    if start_year is not None:
        out["calendar_year"] = int(start_year) + yr - 1
    out["revenue"] = values
    out["fly_out_share"] = share
    out["fly_in_share"] = 1.0 - share
    out["fly_out_revenue"] = values * share
    out["fly_in_revenue"] = values * (1.0 - share)
    out["fly_out_cumulative"] = out.fly_out_revenue.cumsum()
    out["fly_in_cumulative"] = out.fly_in_revenue.cumsum()
    out.attrs["schedule"] = schedule.name
    return out


# --------------------------------------------------------------------------- one-call analysis


@dataclass
class EnclaveAnalysis:
    """Everything the enclave export holds.

    Attributes
    ----------
    pairs
        The registry with two-way detection (and gradients, if attributes were given).
    ends
        :func:`enclave_ends` (polygons).
    lines
        :func:`desire_lines` (with ``travel_time_min`` when a hook was given and gradient columns if any).
    network
        :func:`enclave_graph` at the requested level.
    """

    pairs: pd.DataFrame
    ends: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame
    network: EnclaveNetwork = field(repr=False)

    def layers(self) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
        """Return the layers by GeoPackage layer name: ``enclave_ends``, ``enclave_desire_lines``, ``enclave_nodes`` (points)."""
        return {"enclave_ends": self.ends, "enclave_desire_lines": self.lines,
                "enclave_nodes": self.network.nodes}


def analyze_enclaves(
    pairs: pd.DataFrame,
    *,
    travel_time: TravelTime | None = None,
    attributes: pd.DataFrame | None = None,
    columns: Sequence[str] | None = None,
    roll_up: str | None = None,
    graph_level: str | None = "city",
) -> EnclaveAnalysis:
    """Return ends, desire lines (with travel time and gradients if given) and the network, in one call.

    This is the call the command line and the QGIS algorithms make. Every
    input is checked before anything is built.
    """
    _require_pairs(pairs)
    if "two_way" not in pairs.columns:
        pairs = detect_two_way(pairs)
    if attributes is not None:
        pairs = pair_gradients(pairs, attributes, columns=columns, roll_up=roll_up)
    lines = desire_lines(pairs, travel_time=travel_time)
    return EnclaveAnalysis(pairs=pairs, ends=enclave_ends(pairs), lines=lines,
                           network=enclave_graph(pairs, level=graph_level))
