"""Origin–destination (OD) tables: one format, read and written the same way by the library, CLI and QGIS.

A travel-time matrix lives in memory as a *wide* frame: origins as the index,
destinations as the columns, minutes as the values (NaN where there is no
time). On disk and in QGIS it is a *long* table, one row per pair, with the
columns ``from_<key>``, ``to_<key>``, ``minutes`` and, when the reasons are
known, ``status`` (``ok`` or why there is no time). ``key`` is ``adcode`` for
units and ``id`` for other places. A square CSV (first column the origins,
header the destinations) is read as well, since that is what a spreadsheet
gives.

:func:`to_long` and :func:`to_wide` convert between the two; :func:`read`
reads either form from a CSV in any of the encodings the input gate knows.
"""

from __future__ import annotations

import io
import os

import numpy as np
import pandas as pd

from .inputs import InputError, read_text

__all__ = ["STATUS_OK", "read", "to_long", "to_wide"]

STATUS_OK = "ok"


def _key_of(columns) -> str | None:
    """Return the key of a long table's ``from_<key>``/``to_<key>`` columns, or None when it has none."""
    for c in columns:
        c = str(c)
        if c.startswith("from_") and f"to_{c[5:]}" in columns:
            return c[5:]
    return None


def to_long(minutes: pd.DataFrame, *, unreachable: pd.DataFrame | None = None, key: str = "adcode") -> pd.DataFrame:
    """Return the long table of a wide OD matrix: one row per pair, origins in the matrix's row order.

    Parameters
    ----------
    minutes
        Wide matrix: origins as the index, destinations as the columns, NaN for no time.
    unreachable
        Optional reasons for the pairs without a time, with columns ``origin``, ``destination``,
        ``reason`` (what :func:`yrdgeo.accessibility.od_matrix` returns); adds a ``status`` column:
        ``ok`` for pairs with a time, the reason for those listed, ``no time`` for other pairs without one.
    key
        Column suffix: ``from_adcode``/``to_adcode`` by default.
    """
    m = pd.DataFrame(minutes)
    origins = np.repeat(np.asarray(m.index, dtype=object), m.shape[1])
    destinations = np.tile(np.asarray(m.columns, dtype=object), m.shape[0])
    out = pd.DataFrame({f"from_{key}": origins, f"to_{key}": destinations,
                        "minutes": m.to_numpy(dtype="float64").ravel()})
    if unreachable is not None:
        reasons = pd.DataFrame(unreachable).rename(columns={"origin": f"from_{key}", "destination": f"to_{key}",
                                                            "reason": "status"})
        out = out.merge(reasons[[f"from_{key}", f"to_{key}", "status"]], on=[f"from_{key}", f"to_{key}"],
                        how="left")
        missing = out["status"].isna()
        out.loc[missing, "status"] = np.where(out.loc[missing, "minutes"].notna(), STATUS_OK, "no time")
    return out


def to_wide(table: pd.DataFrame, *, what: str = "OD table") -> pd.DataFrame:
    """Return the wide matrix of a long OD table (``from_<key>``, ``to_<key>``, ``minutes``).

    Raises :class:`~yrdgeo.inputs.InputError` naming the problem when the columns are not there,
    a pair is listed twice or a time is not a number.
    """
    key = _key_of(list(table.columns))
    if key is None or "minutes" not in table.columns:
        msg = (f"{what}: expected columns from_adcode, to_adcode and minutes (or from_id, to_id, minutes), "
               f"got {list(table.columns)}")
        raise InputError(msg)
    a, b = f"from_{key}", f"to_{key}"
    dup = table[table.duplicated([a, b], keep=False)]
    if len(dup):
        pairs = ", ".join(f"{x}→{y}" for x, y in dup[[a, b]].drop_duplicates().head(5).itertuples(index=False))
        msg = f"{what} lists some {a}/{b} pairs twice ({pairs}); expected one row per pair"
        raise InputError(msg)
    minutes = pd.to_numeric(table["minutes"], errors="coerce")
    bad = table["minutes"].notna() & (table["minutes"].astype(str).str.strip() != "") & minutes.isna()
    if bad.any():
        msg = f"{what}: minutes {list(table.loc[bad, 'minutes'].head(5))} are not numbers; expected minutes or blank"
        raise InputError(msg)
    long = pd.DataFrame({a: table[a].astype(str), b: table[b].astype(str), "minutes": minutes})
    out = long.pivot(index=a, columns=b, values="minutes")
    out.index.name = None
    out.columns.name = None
    return out


def read(path: str | os.PathLike, *, encoding: str | None = None) -> pd.DataFrame:
    """Return the wide travel-time matrix (minutes) of a CSV, long or square, in any encoding the input gate knows.

    Codes are read as text, so ``310100`` stays ``"310100"`` and a leading zero is never lost.
    """
    text = read_text(path, encoding=encoding, what="travel-time table")  # GBK from Excel as well as UTF-8
    head = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if _key_of(list(head.columns)) is not None and "minutes" in head.columns:
        return to_wide(head, what=f"travel-time table {path}")
    m = head.set_index(head.columns[0])
    values = m.apply(lambda col: pd.to_numeric(col.str.strip().replace("", np.nan), errors="coerce"))
    bad = values.isna() & (m.apply(lambda col: col.str.strip()) != "")
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        msg = (f"travel-time table {path}: cell {m.iat[r, c]!r} (origin {m.index[r]}, destination {m.columns[c]}) "
               "is not a number; expected a long table (from_adcode, to_adcode, minutes) or a square matrix "
               "of minutes with origin codes in the first column")
        raise InputError(msg)
    values = values.astype("float64")
    values.index = values.index.astype(str)
    values.columns = values.columns.astype(str)
    values.index.name = None
    return values
