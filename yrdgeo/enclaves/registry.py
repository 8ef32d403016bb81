"""The registry of enclave pairs: the bundled pair tables, the user's, their validation and two-way detection."""

from __future__ import annotations

import io
import os
from typing import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from ..checks import check_choice
from ..inputs import is_blank, read_text
from ..units import UnitError, by_code, check_name_matches_code, data_path, describe, resolve
from ._common import KINDS, PAIR_COLUMNS, _require_pairs, _roll_up

__all__ = ["KINDS", "detect_two_way", "enclave_pairs", "load_enclave_pairs", "read_enclave_pairs"]


def _split_codes(text: str) -> list[str]:
    return [p.strip() for p in str(text).split(";") if p.strip()]


def _unit(item: str, *, what: str) -> str:
    """Return the adcode of one end's unit, or refuse it naming the end."""
    try:
        return resolve(item)
    except UnitError as exc:
        msg = f"{what}: {item!r} is not a YRD unit: {exc}"
        raise ValueError(msg) from None


def _resolve_end(name: object, code: object, *, what: str) -> list[str]:
    """Resolve one end (possibly ';'-separated units), checking that names and codes agree."""
    names = [] if is_blank(name) else _split_codes(name)
    codes = [] if is_blank(code) else _split_codes(code)
    if not names and not codes:
        msg = f"{what}: no unit given (expected a name or an adcode)"
        raise ValueError(msg)
    if names and codes and len(names) != len(codes):
        msg = f"{what}: {len(names)} names {names} but {len(codes)} adcodes {codes}"
        raise ValueError(msg)
    out = []
    for i, item in enumerate(codes or names):
        c = _unit(item, what=what)
        if names and codes:
            _unit(names[i], what=what)  # a name that is no YRD unit is named as such, not as a disagreement
            check_name_matches_code(names[i], item, what=what)
        out.append(c)
    return out


def _text(row: dict, column: str | None) -> str:
    value = row.get(column) if column else None
    return "" if is_blank(value) else str(value)


def _normalise(raw: pd.DataFrame, *, source: str, id_prefix: str) -> pd.DataFrame:
    """Validate a raw pair table and return it in the registry schema (one row per unit pair)."""
    df = raw.copy()
    df.columns = [str(c).strip() for c in df.columns]

    def col(*names: str) -> str | None:
        return next((n for n in names if n in df.columns), None)

    out_name, out_code = col("fly_out_zh", "fly_out", "unit_a_zh", "unit_a"), col("fly_out_adcode", "unit_a_adcode")
    in_name, in_code = col("fly_in_zh", "fly_in", "unit_b_zh", "unit_b"), col("fly_in_adcode", "unit_b_adcode")
    sources = col("sources", "seed")  # "seed": the column's name in tables written before it held citation keys
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
    t = by_code()
    rows = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        label = r.get("name_zh") or r.get("name") or f"row {i}"
        what = f"enclave table {source}, {label!r}"
        kind = str(r["kind"]).strip().lower().replace("-", "_").replace(" ", "_")
        if kind in ("two_way", "twoway", "bidirectional"):
            msg = (f"{what}: kind 'two-way' is detected, not typed; give each direction as its own row "
                   f"(kind forward or reverse)")
            raise ValueError(msg)
        check_choice(f"{what}: kind", kind, KINDS)
        a = _resolve_end(r.get(out_name) if out_name else None, r.get(out_code) if out_code else None,
                         what=f"{what}, fly-out end")
        b = _resolve_end(r.get(in_name) if in_name else None, r.get(in_code) if in_code else None,
                         what=f"{what}, fly-in end")
        base_id = _text(r, "pair_id").strip() or f"{id_prefix}{i:02d}"
        links = [(x, y) for x in a for y in b]
        for j, (x, y) in enumerate(links):
            if x == y:
                msg = (f"{what}: both ends are the same unit, {describe(x)}; an enclave links two different "
                       "units")
                raise ValueError(msg)
            rows.append(dict(
                pair_id=base_id if len(links) == 1 else f"{base_id}{chr(ord('a') + j)}",
                name_zh=str(r.get("name_zh") or r.get("name") or ""), kind=kind,
                directed=kind != "cooperation_zone",
                fly_out_adcode=x, fly_out_zh=t.loc[x, "name_zh"], fly_in_adcode=y, fly_in_zh=t.loc[y, "name_zh"],
                since=_text(r, "since"), sources=_text(r, sources), note=_text(r, "note"), source=source,
                # "whole", or "part: …" when the pair stands for a zone inside its units (a map says so)
                membership=_text(r, "membership") or "whole",
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
        ``sources`` (where the pair comes from: keys of
        :func:`yrdgeo.sources.cite` or any text), ``note``, ``membership``
        (``whole``, the default, or ``part: …`` when the pair stands for a zone
        inside its units).
    id_prefix
        Prefix for generated pair ids (``user01``, …) when there is no
        ``pair_id`` column.

    Raises
    ------
    ValueError
        Missing columns, an unknown kind or a typed "two-way" kind, an end
        that is not a YRD unit, a name and an adcode naming different units,
        both ends the same unit, repeated pair ids.
    """
    if isinstance(source, pd.DataFrame):
        raw, label = pd.DataFrame(source).copy(), "the given table"
    else:
        label = str(source)
        if not os.path.exists(label):
            msg = f"enclave table {label} does not exist"
            raise ValueError(msg)
        if label.lower().endswith(".csv"):
            raw = pd.read_csv(io.StringIO(read_text(label, what="enclave table")), dtype=str, keep_default_na=False)
        else:
            raw = pd.DataFrame(gpd.read_file(label, layer=layer, ignore_geometry=True))
    if "geometry" in raw.columns:
        raw = raw.drop(columns="geometry")
    return _normalise(raw, source=label, id_prefix=id_prefix)


def load_enclave_pairs(*, cooperation_zones: bool = True, level: str = "city") -> pd.DataFrame:
    """Return the bundled enclave pairs, with two-way detection; see :func:`enclave_pairs`."""
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
        Include the bundled pairs (``data/reference/enclave_pairs.csv``, from
        the papers its ``sources`` column names).
    cooperation_zones
        Include the bundled cross-border cooperation zones.
    level
        Level at which two-way pairs are matched (see :func:`detect_two_way`).

    Returns
    -------
    pandas.DataFrame
        One row per link with columns ``pair_id``, ``name_zh``, ``kind``,
        ``directed``, ``fly_out_adcode``, ``fly_out_zh``, ``fly_in_adcode``,
        ``fly_in_zh``, ``since``, ``sources`` (keys of
        :func:`yrdgeo.sources.cite`, ``;``-separated, for bundled rows),
        ``note``, ``source`` (the table the row was read from), ``membership``
        (``"whole"`` or ``"part: …"``: a zone inside the units, e.g. the border
        area of three provinces whose counties the paper does not name), plus
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


def detect_two_way(pairs: pd.DataFrame, *, level: str = "city") -> pd.DataFrame:
    """Return a copy of the pairs with ``two_way``, ``two_way_with``, ``pattern`` and ``cross_province``.

    A directed pair A → B is two-way when some other directed pair runs
    B' → A' with B' and B, and A' and A, the same unit once rolled up to
    ``level`` (``"city"``: a district counts as its city; ``"county"`` or
    ``None``: exact units; ``"province"``). Cooperation zones are undirected
    and never two-way. ``two_way_with`` lists the opposite pairs' ids.
    """
    _require_pairs(pairs, ("pair_id", "fly_out_adcode", "fly_in_adcode", "directed"))
    out = pairs.copy()
    a = [_roll_up(c, level) for c in out.fly_out_adcode]
    b = [_roll_up(c, level) for c in out.fly_in_adcode]
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
    prov = by_code().province_adcode
    out["cross_province"] = [prov[x] != prov[y] for x, y in zip(out.fly_out_adcode, out.fly_in_adcode)]
    return out
