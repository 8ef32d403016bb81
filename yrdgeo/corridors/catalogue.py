"""The bundled corridor catalogue and the reading of a planner's corridor file.

Bundled corridors live in ``data/corridors/`` (``corridors.csv``,
``members.csv``, ``versions.csv``; see its PROVENANCE.md): G60 with its
versions 1.0/2.0/3.0, the Shanghai–Nanjing–Hefei belt and the
Shanghai–Hangzhou–Ningbo line. Each table names the papers a row rests on in
a ``sources`` column (keys of :mod:`yrdgeo.sources`); a bundled corridor's
:attr:`~yrdgeo.corridors.Corridor.source` cites them. :func:`read_corridor`
reads a planner's file in the same ``members.csv`` format.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Mapping

import pandas as pd

from ..inputs import is_blank, read_text
from ..sources import cite_all
from ..units import data_path
from .model import Corridor, from_members

__all__ = ["list_corridors", "load_corridor", "read_corridor"]


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
    frame["version"] = [None if is_blank(v) else v for v in df.version] if "version" in df.columns else None
    return from_members(frame, corridor_id=corridor_id, name_zh=name_zh, name_en=name_en, lines=lines,
                        source=label, versions=versions)


@lru_cache(maxsize=None)
def _bundled_table(name: str) -> pd.DataFrame:
    """Return one of the bundled tables (``corridors``, ``members``, ``versions``) as text, read once."""
    return pd.read_csv(str(data_path("corridors", f"{name}.csv")), dtype=str, keep_default_na=False)


def list_corridors() -> pd.DataFrame:
    """Return the bundled corridors: id, Chinese and English names, lines, versions, member count, sources, note.

    ``sources`` holds the keys of the papers each corridor rests on, separated by
    ``;`` (:func:`yrdgeo.sources.cite_all` turns them into citations).
    """
    cat = _bundled_table("corridors").copy()
    vers = _bundled_table("versions")
    cat["versions"] = [";".join(vers[vers.corridor_id == c].version) for c in cat.corridor_id]
    cat["n_members"] = [len(load_corridor(c).members) for c in cat.corridor_id]
    return cat[["corridor_id", "name_zh", "name_en", "lines", "versions", "n_members", "sources", "note"]]


@lru_cache(maxsize=None)
def _bundled(corridor_id: str) -> Corridor:
    cat = _bundled_table("corridors").set_index("corridor_id").loc[corridor_id]
    vers = _bundled_table("versions")
    vers = vers[vers.corridor_id == corridor_id]
    c = read_corridor(_bundled_table("members"), corridor_id=corridor_id, name_zh=cat.name_zh, name_en=cat.name_en,
                      lines=cat.lines, versions=dict(zip(vers.version, vers.since)))
    # a version date the papers do not give is said so, with the outside source (versions.csv, date_source)
    outside = [f"{v.version}: {v.date_source}" for v in vers.itertuples()
               if str(getattr(v, "date_source", "")).startswith("not in the papers")]
    dated = f"; version dates {'; '.join(outside)}" if outside else ""
    return replace(c, source=f"yrdgeo data/corridors: {cite_all(cat.sources)}{dated}")


def load_corridor(name: str, *, version: str | None = None, as_of: str | date | None = None) -> Corridor:
    """Return a bundled corridor, optionally as of a version or a date.

    Parameters
    ----------
    name
        ``corridor_id`` (``"g60"``, ``"hu_ning_he"``, ``"hu_hang_yong"``) or
        Chinese or English name, case-insensitive (see :func:`list_corridors`).
    version, as_of
        At most one: a version (``"2.0"``) or a date (``"2017-12-31"``; a
        partial date is the last day of its period, so ``"2018"`` is
        2018-12-31, as :mod:`yrdgeo.dates` reads every date).
    """
    cat = _bundled_table("corridors")
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
