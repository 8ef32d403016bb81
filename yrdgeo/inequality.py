"""Regional inequality over years: Theil T and L with a between/within-group decomposition, Gini, CV.

For one year, values yᵢ > 0 of n units with weights wᵢ (shares pᵢ = wᵢ/Σw; unweighted pᵢ = 1/n),
mean μ = Σpᵢyᵢ:

* **Theil T** (GE(1)) T = Σpᵢ(yᵢ/μ)ln(yᵢ/μ). Unweighted this is PySAL's
  :class:`inequality.theil.Theil` (T = Σsᵢ ln(n·sᵢ), sᵢ = yᵢ/Σy), which computes it.
* **Theil L** (GE(0), mean log deviation) L = Σpᵢ ln(μ/yᵢ).
* **Decomposition** into groups g (provinces by default) with weight share P_g = Σ_{i∈g}pᵢ and
  value share S_g = Σ_{i∈g}pᵢyᵢ/μ:
  T = Σ_g S_g ln(S_g/P_g) [between] + Σ_g S_g T_g [within];
  L = Σ_g P_g ln(P_g/S_g) [between] + Σ_g P_g L_g [within], where T_g, L_g are the group's own
  indices (weights renormalised within it). Both add up exactly. Unweighted, T's parts are those of
  PySAL's :class:`inequality.theil.TheilD` (used for them); L's and the weighted ones are written here
  with numpy (the package has neither).
* **Gini** G = ΣᵢΣⱼpᵢpⱼ|yᵢ − yⱼ|/(2μ); unweighted PySAL's :class:`inequality.gini.Gini` computes it.
* **Coefficient of variation** CV = σ/μ with σ = √(Σpᵢ(yᵢ − μ)²) (population form, ddof 0);
  weighted by population it is Williamson's index.

``weights=None`` treats every unit alike (the form for a ratio such as the resident/registered
population ratio). ``weights="population"`` (a column) gives the population-weighted forms common in
the regional-disparity literature for per-capita values (GDP per head weighted by population: T is then
Σ(Yᵢ/Y)ln((Yᵢ/Y)/(Pᵢ/P)) with Yᵢ = yᵢPᵢ). Every log needs yᵢ > 0: zero or negative values are refused,
naming the units (PySAL's classes would quietly add a tiny number to zeros instead).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from . import inputs, units

__all__ = ["GROUP_LEVELS", "InequalityResult", "MEASURES", "decompose", "regional_inequality"]

#: Unit levels ``by=`` may name (kept light in :mod:`yrdgeo.choices` for the command line).
from .choices import GROUP_LEVELS  # noqa: E402
#: The measures of a year's row, in the order of :attr:`InequalityResult.frame`'s columns.
MEASURES = ("T", "T_between", "T_within", "T_between_share", "T_within_share",
            "L", "L_between", "L_within", "L_between_share", "L_within_share", "gini", "cv")


@dataclass
class InequalityResult:
    """Inequality of one value over years.

    Attributes
    ----------
    frame
        One row per year: ``year`` (the year, or the column's name when it holds no year),
        ``column``, ``n``, ``mean`` (weighted if weighted), then :data:`MEASURES`.
    groups
        One row per year and group: ``year``, ``group``, ``group_name``, ``n``, ``weight_share`` P_g,
        ``value_share`` S_g, ``T_g``, ``L_g``, and the group's part of the within terms
        (``T_within_part`` = S_g·T_g, ``L_within_part`` = P_g·L_g).
    by
        What the units were grouped by: ``"province"``, ``"city"``, a column, or None.
    weights
        The weight column, or None (every unit alike).
    """

    frame: pd.DataFrame
    groups: pd.DataFrame
    by: str | None
    weights: str | None


def _check_positive(y: np.ndarray, labels: Sequence, *, what: str) -> None:
    bad = ~(y > 0)
    if bad.any():
        named = [f"{units.describe(u) if _is_code(u) else u}: {v:g}" for u, v in zip(np.asarray(labels)[bad], y[bad])]
        msg = (f"{what}: Theil and log measures need values > 0; {int(bad.sum())} unit(s) have zero, negative or "
               f"missing values: {', '.join(named[:10])}")
        raise ValueError(msg)


def _is_code(label: object) -> bool:
    return isinstance(label, str) and label in units.by_code().index


def _theil_parts(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Return (T, L) of values ``y`` with weight shares ``p`` (summing to 1)."""
    r = y / (p @ y)
    return float(p @ (r * np.log(r))), float(-(p @ np.log(r))) + 0.0  # + 0.0: no -0.0 for a one-unit group


def decompose(
    values: Sequence[float] | np.ndarray,
    groups: Sequence | np.ndarray | None = None,
    *,
    weights: Sequence[float] | np.ndarray | None = None,
    labels: Sequence | None = None,
    what: str = "inequality",
) -> tuple[dict[str, float], pd.DataFrame]:
    """Return one year's measures (a dict keyed by :data:`MEASURES`, plus ``n`` and ``mean``) and its group table.

    Parameters
    ----------
    values
        yᵢ > 0 of the units.
    groups
        The group of each unit (any labels), or None: no decomposition (the between/within entries NaN).
    weights
        wᵢ > 0 (e.g. population), or None: every unit alike.
    labels
        Unit names for messages (default: positions).
    what
        How the data are named in messages.
    """
    y = np.asarray(values, dtype=float)
    labels = list(range(len(y))) if labels is None else list(labels)
    if y.ndim != 1 or len(y) < 2:
        msg = f"{what}: needs values of at least 2 units, got {len(y)}"
        raise ValueError(msg)
    _check_positive(y, labels, what=what)
    if weights is None:
        p = np.full(len(y), 1.0 / len(y))
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != y.shape or not (w > 0).all():
            named = [str(u) for u, v in zip(labels, w) if not v > 0][:10] if w.shape == y.shape else []
            msg = f"{what}: weights must be one number > 0 per unit; not so for {named or f'{len(w)} weights'}"
            raise ValueError(msg)
        p = w / w.sum()
    mean = float(p @ y)
    t, lval = _theil_parts(y, p)
    if weights is None:  # the package's computation (ours agrees; the test holds it to it)
        t = float(np.ravel(Theil(y).T)[0])
        gini = float(Gini(y).g)
    else:
        order = np.argsort(y)
        ys, ps = y[order], p[order]
        # Σᵢ Σⱼ pᵢpⱼ|yᵢ−yⱼ| = 2 Σᵢ pᵢyᵢ(2Fᵢ − pᵢ − 1) with Fᵢ the cumulative weight share (sorted y).
        cum = np.cumsum(ps)
        gini = float((ps * ys * (2 * cum - ps - 1)).sum() / mean)
    cv = float(np.sqrt(p @ (y - mean) ** 2) / mean)
    out = {"n": len(y), "mean": mean, "T": t, "L": lval, "gini": gini, "cv": cv}
    rows = []
    if groups is None:
        out.update({k: np.nan for k in MEASURES if k not in out})
    else:
        g = np.asarray(groups, dtype=object)
        if g.shape != y.shape or pd.isna(g).any():
            msg = f"{what}: every unit needs a group; missing for {[u for u, v in zip(labels, g) if pd.isna(v)][:10]}"
            raise ValueError(msg)
        t_between = l_between = t_within = l_within = 0.0
        for gid in pd.unique(g):
            m = g == gid
            pg, sg = p[m].sum(), (p[m] @ y[m]) / mean
            tg, lg = _theil_parts(y[m], p[m] / pg)
            t_between += sg * np.log(sg / pg)
            l_between += pg * np.log(pg / sg)
            t_within += sg * tg
            l_within += pg * lg
            rows.append({"group": gid, "n": int(m.sum()), "weight_share": pg, "value_share": sg, "T_g": tg,
                         "L_g": lg, "T_within_part": sg * tg, "L_within_part": pg * lg})
        if weights is None:  # the package's between-group term; within is the rest, as it defines it
            t_between = float(np.ravel(TheilD(y, g.astype(str)).bg)[0])
            t_within = t - t_between
        out.update({"T_between": float(t_between), "T_within": float(t_within),
                    "L_between": float(l_between), "L_within": float(l_within)})
        for m in ("T", "L"):
            total = out[m]
            out[f"{m}_between_share"] = out[f"{m}_between"] / total if total > 0 else np.nan
            out[f"{m}_within_share"] = out[f"{m}_within"] / total if total > 0 else np.nan
    return out, pd.DataFrame(rows, columns=["group", "n", "weight_share", "value_share", "T_g", "L_g",
                                            "T_within_part", "L_within_part"])


def _year_of(column: str) -> object:
    found = re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", str(column))
    return int(found[-1]) if len(found) == 1 else column


def _group_of(frame: pd.DataFrame, by: str | None, *, what: str) -> tuple[np.ndarray | None, dict]:
    if by is None:
        return None, {}
    if by in GROUP_LEVELS:
        codes = [units.ancestor(c, by) for c in frame["adcode"]]
        return np.asarray(codes, dtype=object), {c: units.by_code().at[c, "name_zh"] for c in set(codes)}
    if by not in frame.columns:
        levels = ", ".join(map(repr, GROUP_LEVELS))
        msg = f"{what}: by must be {levels}, a column of the table or None; got {by!r} (columns: {list(frame.columns)})"
        raise ValueError(msg)
    return frame[by].to_numpy(dtype=object), {}


def regional_inequality(
    table: str | os.PathLike | pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    value: str | None = None,
    year: str | None = None,
    by: str | None = "province",
    weights: str | Sequence[str] | None = None,
    key: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> InequalityResult:
    """Return Theil T and L (total, between, within and shares), Gini and CV of a value, one row per year.

    Parameters
    ----------
    table
        A file or DataFrame with one row per unit (wide: a column per year) or per unit-year (long,
        with ``value`` and ``year``). It goes through the input gate (:func:`yrdgeo.inputs.read_table`:
        units by adcode or name, yearbook numbers); a long table a year at a time.
    columns
        Wide form: the value columns, one per year, in order (``["ratio_2011", "ratio_2019"]``); a
        4-digit year in a name becomes the row's ``year``.
    value, year
        Long form: the value column and the year column (instead of ``columns``).
    by
        Groups of the decomposition: ``"province"`` (default; :func:`yrdgeo.units.ancestor`),
        ``"city"`` (counties in their cities), a column of the table, or None (no decomposition). A
        level name is the level even where the table has a column of that name.
    weights
        None (every unit alike), a weight column (e.g. population) used for every year, or (wide
        form) one weight column per value column.
    key, encoding, strict
        Passed to the input gate.

    Raises
    ------
    ValueError
        A column or year that is missing, a unit without a value in a year (every year must cover the
        same units, or the years do not compare), values <= 0 (named), weights <= 0.
    """
    what = "regional inequality"
    if (columns is None) == (value is None) or (value is None) != (year is None):
        msg = f"{what}: give columns= (a wide table, a column per year) or value= and year= (a long table), not both"
        raise ValueError(msg)
    if by is not None and not isinstance(by, str):
        msg = f"{what}: by must be a level name, a column name or None; got {by!r}"
        raise ValueError(msg)
    if columns is not None:
        columns = [columns] if isinstance(columns, str) else list(columns)
        if not columns:
            msg = f"{what}: columns= names no column; give one value column per year"
            raise ValueError(msg)
        wcols = [weights] * len(columns) if weights is None or isinstance(weights, str) else list(weights)
        if len(wcols) != len(columns):
            msg = f"{what}: weights= gives {len(wcols)} columns for {len(columns)} value columns; give one, or one each"
            raise ValueError(msg)
        needed = list(dict.fromkeys([*columns, *(w for w in wcols if w is not None)]))
        data = _gate(table, needed, by, key=key, encoding=encoding, strict=strict, what=what)
        slices = [(_year_of(c), c, data, c, w) for c, w in zip(columns, wcols)]
    else:
        if weights is not None and not isinstance(weights, str):
            msg = f"{what}: a long table takes one weight column, got {weights!r}"
            raise ValueError(msg)
        raw = table if isinstance(table, pd.DataFrame) else _read_plain(table, encoding=encoding)
        if year not in raw.columns:
            msg = f"{what}: year column {year!r} not in the table; its columns: {list(raw.columns)}"
            raise ValueError(msg)
        if raw[year].isna().any():
            msg = f"{what}: year column {year!r} is blank in rows {list(raw.index[raw[year].isna()][:10])}"
            raise ValueError(msg)
        needed = [value] + ([weights] if weights else [])
        slices = []
        for yr in sorted(pd.unique(raw[year])):
            part = raw.loc[raw[year] == yr].drop(columns=[year]).reset_index(drop=True)
            data = _gate(part, needed, by, key=key, encoding=encoding, strict=strict, what=f"{what} ({year} {yr})")
            slices.append((yr, value, data, value, weights))
    _check_same_units(slices, what=what)
    rows, group_rows = [], []
    for label, column, data, vcol, wcol in slices:
        codes = data["adcode"].tolist()
        y = data[vcol].to_numpy(dtype=float)
        if np.isnan(y).any():
            missing = [units.describe(c) for c, v in zip(codes, y) if np.isnan(v)]
            msg = f"{what}: {column!r} has no value for {', '.join(missing[:10])}; every year needs every unit"
            raise ValueError(msg)
        w = data[wcol].to_numpy(dtype=float) if wcol else None
        grp, names = _group_of(data, by, what=what)
        measures, parts = decompose(y, grp, weights=w, labels=codes, what=f"{what} of {column!r}")
        rows.append({"year": label, "column": column, **measures})
        parts.insert(0, "year", label)
        parts.insert(2, "group_name", parts["group"].map(names) if names else parts["group"])
        group_rows.append(parts)
    frame = pd.DataFrame(rows, columns=["year", "column", "n", "mean", *MEASURES])
    groups = pd.concat(group_rows, ignore_index=True) if by is not None else pd.DataFrame()
    return InequalityResult(frame=frame, groups=groups, by=by,
                            weights=weights if weights is None or isinstance(weights, str) else ",".join(weights))


def _gate(source: str | os.PathLike | pd.DataFrame, needed: list[str], by: str | None, **gate) -> pd.DataFrame:
    """Return the table through the input gate: adcode, the ``needed`` numbers, and a ``by`` group column."""
    data = inputs.read_table(source, columns=needed, **gate).data
    if by is None or by in GROUP_LEVELS or by in data.columns:
        return data
    # The gate keeps only the asked columns; read every column (quietly, the warnings were given) for the groups.
    whole = inputs.read_table(source, warn=False, **gate).data
    if by not in whole.columns:
        return data  # _group_of names the problem
    return data.merge(whole[["adcode", by]], on="adcode", how="left")


def _read_plain(path: str | os.PathLike, *, encoding: str | None) -> pd.DataFrame:
    suffix = os.path.splitext(str(path))[1].lower()
    if suffix in (".xlsx", ".xlsm"):
        return pd.read_excel(path)
    return pd.read_csv(path, encoding=encoding or "utf-8-sig", sep="\t" if suffix == ".tsv" else ",")


def _check_same_units(slices: list, *, what: str) -> None:
    """Refuse years that cover different units (a long table with a unit missing in some year)."""
    sets = [(label, set(data["adcode"])) for label, _, data, _, _ in slices]
    every = set().union(*(s for _, s in sets))
    for label, have in sets:
        if have != every:
            gone = [units.describe(c) for c in sorted(every - have)]
            msg = (f"{what}: year {label} has no row for {', '.join(gone[:10])}; every year needs the same units "
                   "(or the years do not compare)")
            raise ValueError(msg)

