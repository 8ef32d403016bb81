"""Array arithmetic shared by the entropy index (indicators) and site ranking (ranking).

Inputs are validated by the public callers; these helpers assume finite
float arrays of shape (n, m) and a boolean ``benefit`` mask of length m. The
formulas are those of BRIEF.md "Methods" (the forms Chinese regional-science
papers use), written out here because pymcdm / scikit-criteria skip the
direction step of the entropy method and give other weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

DIRECTIONS = ("benefit", "cost")


def parse_directions(criteria: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """Return {column: 'benefit'|'cost'} from a mapping, a list of Criterion-like objects, or columns (all benefit)."""
    if isinstance(criteria, Mapping):
        out = {str(k): str(v).lower() for k, v in criteria.items()}
    else:
        out = {}
        for c in criteria:  # column names, or objects with .column/.direction (ranking.Criterion)
            if hasattr(c, "column"):
                out[str(c.column)] = str(getattr(c, "direction", "benefit")).lower()
            else:
                out[str(c)] = "benefit"
    if not out:
        msg = "no criteria given: expected at least one column with direction 'benefit' or 'cost'"
        raise ValueError(msg)
    bad = {k: v for k, v in out.items() if v not in DIRECTIONS}
    if bad:
        msg = f"criterion direction must be 'benefit' or 'cost'; got {bad}"
        raise ValueError(msg)
    return out


def numeric_matrix(frame: pd.DataFrame, columns: list[str], *, what: str) -> np.ndarray:
    """Return the columns as a float (n, m) array, or raise naming missing / non-numeric columns."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns[:30]))
        msg = f"{what}: criterion column(s) {missing} not in the table; it has: {have}"
        raise ValueError(msg)
    bad = [c for c in columns if not (pd.api.types.is_numeric_dtype(frame[c]) or frame[c].isna().all())]
    if bad:
        msg = (f"{what}: criterion column(s) {bad} are not numeric "
               f"(dtypes {[str(frame[c].dtype) for c in bad]}); convert them, e.g. pd.to_numeric")
        raise ValueError(msg)
    x = frame[columns].to_numpy(dtype="float64", na_value=np.nan)
    if np.isinf(x).any():
        cols = [columns[j] for j in np.flatnonzero(np.isinf(x).any(axis=0))]
        msg = f"{what}: criterion column(s) {cols} contain infinite values"
        raise ValueError(msg)
    return x


def require_varying(x: np.ndarray, columns: list[str], *, what: str, hint: str = "") -> None:
    """Raise ValueError naming every column whose values are all equal (min-max is then 0/0)."""
    const = [j for j in range(x.shape[1]) if np.nanmax(x[:, j]) == np.nanmin(x[:, j])]
    if const:
        vals = {columns[j]: float(np.nanmin(x[:, j])) for j in const}
        msg = (f"{what}: criterion column(s) {list(vals)} have the same value for every "
               f"{'remaining ' if hint else ''}candidate ({vals}); a constant criterion cannot rank "
               f"anything and its min-max normalisation is 0/0 — drop it{hint}")
        raise ValueError(msg)


def minmax(x: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Return direction-aware min-max values: benefit (x−min)/(max−min), cost (max−x)/(max−min)."""
    lo = x.min(axis=0)
    hi = x.max(axis=0)
    span = hi - lo
    return np.where(benefit, (x - lo) / span, (hi - x) / span)


@dataclass(frozen=True)
class EntropyArrays:
    entropy: np.ndarray
    divergence: np.ndarray
    weights: np.ndarray


def entropy(xn: np.ndarray, *, epsilon: float = 0.0) -> EntropyArrays:
    """Return eⱼ, dⱼ = 1 − eⱼ and wⱼ = dⱼ/Σd for a min-max matrix (0·ln 0 = 0; ``epsilon`` shifts x')."""
    n = xn.shape[0]
    xs = xn + epsilon
    p = xs / xs.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    d = 1.0 - e
    total = d.sum()
    if not total > 0:
        msg = ("entropy weights are undefined: every criterion has maximal entropy (d = 1 − e = 0), "
               "i.e. the normalised values are spread evenly; give weights explicitly")
        raise ValueError(msg)
    return EntropyArrays(entropy=e, divergence=d, weights=d / total)


@dataclass(frozen=True)
class TopsisArrays:
    normalised: np.ndarray
    weighted: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    gap_ideal: np.ndarray  # (v − A⁺)², per criterion
    gap_anti: np.ndarray  # (v − A⁻)², per criterion
    d_ideal: np.ndarray
    d_anti: np.ndarray
    closeness: np.ndarray
    contribution: np.ndarray  # C = 0.5 + Σⱼ contribution


def topsis(x: np.ndarray, w: np.ndarray, benefit: np.ndarray, *, vector_normalise: bool = True) -> TopsisArrays:
    """Return TOPSIS arrays: rᵢⱼ = xᵢⱼ/√Σᵢxᵢⱼ² (or x as given), vᵢⱼ = wⱼrᵢⱼ, D±, Cᵢ = D⁻/(D⁺+D⁻).

    The per-criterion ``contribution`` ½(gap_anti − gap_ideal)/(D⁺+D⁻)² is an
    exact additive split: Σⱼ of it equals (D⁻² − D⁺²)/(2(D⁺+D⁻)²) = C − ½.
    """
    r = x / np.sqrt((x**2).sum(axis=0)) if vector_normalise else x
    v = r * w
    vmax = v.max(axis=0)
    vmin = v.min(axis=0)
    ideal = np.where(benefit, vmax, vmin)
    anti = np.where(benefit, vmin, vmax)
    gap_i = (v - ideal) ** 2
    gap_a = (v - anti) ** 2
    d_pos = np.sqrt(gap_i.sum(axis=1))
    d_neg = np.sqrt(gap_a.sum(axis=1))
    total = d_pos + d_neg
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(total > 0, d_neg / total, 0.5)
        contrib = np.where(total[:, None] > 0, 0.5 * (gap_a - gap_i) / (total[:, None] ** 2), 0.0)
    return TopsisArrays(r, v, ideal, anti, gap_i, gap_a, d_pos, d_neg, c, contrib)
