"""Coupling coordination degree (耦合协调度) of two or three subsystems, graded in the ten standard bands.

The form used (the literature's, for k = 2 or 3 subsystems with indices Uⱼ in [0, 1]):

* coupling degree C = k·(U₁·…·U_k)^(1/k) / (U₁ + … + U_k) — for two systems
  C = 2·√(U₁U₂)/(U₁+U₂), for three C = 3·(U₁U₂U₃)^(1/3)/(U₁+U₂+U₃); C is in [0, 1], 1 when the
  indices are equal (where every Uⱼ is 0, C is taken as 0);
* comprehensive index T = α₁U₁ + … + α_kU_k, the αⱼ ≥ 0 summing to 1 (default equal: ½, ½ or ⅓ each);
* coupling coordination degree D = √(C·T), in [0, 1].

D is graded in the ten 0.1-wide bands of :data:`GRADES`: [0, 0.1) 极度失调 … [0.9, 1] 优质协调 (a band
holds its lower edge; 1 is 优质协调; D is rounded to 10 decimals before grading, so that 0.1 computed as
0.09999999999999999 is graded as 0.1).

The subsystem indices come from the caller (columns already in [0, 1]) or from the entropy-weight
method: give each subsystem its criteria and :func:`yrdgeo.indicators.entropy_index` computes its
index (direction-aware min-max, entropy weights), which lies in [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from . import indicators
from .checks import check_number

__all__ = ["CoordinationResult", "GRADES", "Grade", "coupling_coordination", "coupling_degree", "grade"]


class Grade(NamedTuple):
    """One band of the coupling coordination degree D: [lower, upper) (the last band includes 1)."""

    lower: float
    upper: float
    name_zh: str
    name_en: str


#: The ten standard bands of D, from 极度失调 [0, 0.1) to 优质协调 [0.9, 1].
GRADES = tuple(Grade(round(i / 10, 1), round((i + 1) / 10, 1), zh, en) for i, (zh, en) in enumerate((
    ("极度失调", "extreme imbalance"), ("严重失调", "serious imbalance"), ("中度失调", "moderate imbalance"),
    ("轻度失调", "mild imbalance"), ("濒临失调", "on the verge of imbalance"), ("勉强协调", "barely coordinated"),
    ("初级协调", "primary coordination"), ("中级协调", "intermediate coordination"),
    ("良好协调", "good coordination"), ("优质协调", "high-quality coordination"),
)))


def grade(d: float) -> Grade:
    """Return the band of :data:`GRADES` that holds the coupling coordination degree ``d`` (0 ≤ d ≤ 1)."""
    d = check_number("D", d, inclusive=True, maximum=1.0)
    return GRADES[min(int(math.floor(round(d, 10) * 10)), len(GRADES) - 1)]


def coupling_degree(indices: np.ndarray) -> np.ndarray:
    """Return C = k·(∏U)^(1/k)/ΣU of each row of an (n, k) array of indices in [0, 1] (0 where ΣU = 0)."""
    u = np.asarray(indices, dtype=float)
    k = u.shape[1]
    total = u.sum(axis=1)
    geo = np.prod(u, axis=1) ** (1.0 / k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, k * geo / np.where(total > 0, total, 1.0), 0.0)


@dataclass
class CoordinationResult:
    """Coupling coordination of each row.

    Attributes
    ----------
    frame
        A copy of the table with the index columns ``U_<system>``, ``C``, ``T``, ``D``, ``grade``
        (Chinese) and ``grade_en``.
    systems
        The subsystem names, in order.
    columns
        Their index columns in ``frame`` (the given columns, or ``U_<system>``).
    weights
        α of each subsystem in T (a Series summing to 1).
    entropy_weights
        For subsystems computed by the entropy method: {system: its criteria weights (Series)}.
    """

    frame: pd.DataFrame
    systems: list[str]
    columns: list[str]
    weights: pd.Series
    entropy_weights: dict[str, pd.Series] = field(default_factory=dict)

    def grade_counts(self) -> pd.Series:
        """Return how many rows fall in each grade, in the order of :data:`GRADES` (0 where none)."""
        counts = self.frame["grade"].value_counts()
        return pd.Series([int(counts.get(g.name_zh, 0)) for g in GRADES], index=[g.name_zh for g in GRADES],
                         name="rows")


def _check_weights(weights: Sequence[float] | Mapping[str, float] | None, systems: list[str]) -> pd.Series:
    k = len(systems)
    if weights is None:
        return pd.Series(1.0 / k, index=systems, name="weight")
    if isinstance(weights, Mapping):
        unknown = set(weights) - set(systems)
        if unknown or len(weights) != k:
            msg = f"weights must give one number for each system {systems}; got {dict(weights)}"
            raise ValueError(msg)
        values = [weights[s] for s in systems]
    else:
        values = list(weights)
        if len(values) != k:
            msg = f"weights must give {k} numbers (one per system {systems}); got {values}"
            raise ValueError(msg)
    values = [check_number("weights", v, inclusive=True, maximum=1.0) for v in values]
    if not math.isclose(sum(values), 1.0, rel_tol=0, abs_tol=1e-9):
        msg = f"weights must sum to 1 (α + β{' + γ' if k == 3 else ''} = 1); got {values}, sum {sum(values):g}"
        raise ValueError(msg)
    return pd.Series(values, index=systems, name="weight")


def coupling_coordination(
    frame: pd.DataFrame,
    systems: Sequence[str] | Mapping[str, Mapping[str, str] | Iterable[str]],
    *,
    weights: Sequence[float] | Mapping[str, float] | None = None,
    epsilon: float = 0.0,
    year: str | None = None,
    key: str | None = None,
    label: str | None = None,
) -> CoordinationResult:
    """Return the coupling degree C, comprehensive index T, coordination degree D and grade of each row.

    Parameters
    ----------
    frame
        One row per unit (or per unit-year with ``year``).
    systems
        Two or three subsystems: either a list of index columns (each in [0, 1], e.g. ``["U1", "U2"]``)
        or ``{name: criteria}``, each criteria a ``{column: "benefit" | "cost"}`` mapping or a list of
        benefit columns, whose index is computed by the entropy method
        (:func:`yrdgeo.indicators.entropy_index`) into ``U_<name>``.
    weights
        α, β (, γ) of T, one per system, each in [0, 1], summing to 1; default equal.
    epsilon, year, key
        Passed to :func:`yrdgeo.indicators.entropy_index` for computed subsystems (``year`` and
        ``key``: a panel, one set of entropy weights over all years).
    label
        A column naming the rows in messages (default: the row labels).

    Raises
    ------
    ValueError
        Not two or three systems, weights that do not sum to 1, an index outside [0, 1] or missing
        (naming the rows).
    """
    names = list(systems) if isinstance(systems, Mapping) else [str(s) for s in systems]
    if not 2 <= len(names) <= 3 or len(set(names)) != len(names):
        msg = f"coupling coordination needs two or three distinct subsystems; got {names}"
        raise ValueError(msg)
    alpha = _check_weights(weights, names)
    out = frame.copy()
    entropy: dict[str, pd.Series] = {}
    columns = []
    if isinstance(systems, Mapping):
        for name, criteria in systems.items():
            column = f"U_{name}"
            res = indicators.entropy_index(frame, criteria, column=column, epsilon=epsilon, year=year, key=key)
            out[column] = res.frame[column]
            entropy[name] = res.weights
            columns.append(column)
    else:
        missing = [c for c in names if c not in frame.columns]
        if missing:
            msg = f"coupling coordination: index column(s) {missing} not in the table; its columns: {list(frame.columns)}"
            raise ValueError(msg)
        columns = names
    u = _index_matrix(out, columns, label=label)
    c = coupling_degree(u)
    t = u @ alpha.to_numpy()
    d = np.sqrt(c * t)
    grades = [grade(float(v)) for v in d]
    out["C"], out["T"], out["D"] = c, t, d
    out["grade"] = [g.name_zh for g in grades]
    out["grade_en"] = [g.name_en for g in grades]
    return CoordinationResult(frame=out, systems=names, columns=columns, weights=alpha, entropy_weights=entropy)


def _index_matrix(frame: pd.DataFrame, columns: list[str], *, label: str | None) -> np.ndarray:
    """Return the index columns as an (n, k) array, refusing values outside [0, 1] or missing, naming rows."""
    try:
        u = frame[columns].to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        msg = f"coupling coordination: index columns {columns} must hold numbers in [0, 1]"
        raise ValueError(msg) from exc
    bad = ~((u >= 0) & (u <= 1))
    if bad.any():
        names = frame[label] if label is not None else frame.index.to_series()
        shown = [f"{names.iloc[i]} ({columns[j]}={u[i, j]:g})" for i, j in zip(*np.nonzero(bad))][:10]
        msg = (f"coupling coordination: subsystem indices must lie in [0, 1] (normalise them, or give the "
               f"criteria for the entropy method); {int(bad.any(axis=1).sum())} row(s) do not: {', '.join(shown)}")
        raise ValueError(msg)
    return u
