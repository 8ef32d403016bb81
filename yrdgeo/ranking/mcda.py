"""Multi-criteria decision analysis (MCDA): criteria, weights, weighted sum and TOPSIS, with explanations.

Two layers, both public:

* **Formulas on arrays** — :func:`minmax`, :func:`entropy`, :func:`topsis`
  and the input checks :func:`parse_directions`, :func:`numeric_matrix`,
  :func:`require_varying`. They assume finite float arrays of shape (n, m)
  and a boolean ``benefit`` mask of length m; the callers validate.
  :mod:`yrdgeo.indicators` (the entropy-weight composite index) shares them
  with the ranking. They are written out here, in the forms of the Chinese
  regional-science literature, because pymcdm / scikit-criteria skip the
  direction step of the entropy method and give other weights:

  - direction-aware min-max: benefit x'ᵢⱼ = (xᵢⱼ − minⱼ)/(maxⱼ − minⱼ),
    cost x'ᵢⱼ = (maxⱼ − xᵢⱼ)/(maxⱼ − minⱼ);
  - entropy weights (熵权法): pᵢⱼ = x'ᵢⱼ/Σᵢx'ᵢⱼ, eⱼ = −(1/ln n)Σᵢpᵢⱼ ln pᵢⱼ
    (0·ln 0 = 0), dⱼ = 1 − eⱼ, wⱼ = dⱼ/Σd;
  - TOPSIS: rᵢⱼ = xᵢⱼ/√Σᵢxᵢⱼ², vᵢⱼ = wⱼrᵢⱼ, ideal A⁺ (max of benefit, min
    of cost criteria) and anti-ideal A⁻, Dᵢ± = √Σⱼ(vᵢⱼ − A±ⱼ)², closeness
    Cᵢ = D⁻ᵢ/(D⁺ᵢ + D⁻ᵢ).

  Their steps are public too, for a caller whose column statistics come
  from elsewhere (:func:`yrdgeo.grid.rank_cells` reduces them over dask
  partitions): :func:`minmax` with a given range, :func:`p_log_p` and
  :func:`entropy_from_sums`, :func:`topsis_distances`,
  :func:`topsis_closeness` and :func:`topsis_contribution` from a given
  ideal and anti-ideal, and
  :func:`check_ranking`, :func:`user_weights`, :func:`threshold_exclusions`,
  :func:`join_reasons` and :func:`criteria_table` for the options, the
  exclusions and the result.

* **Ranking a table** — a :class:`Criterion` says whether more is better
  (``"benefit"``) or worse (``"cost"``) and may carry thresholds that
  exclude candidates; :func:`rank_candidates` then

  1. excludes candidates named in ``exclude`` (e.g. the fly-out unit itself),
     those with missing values (``missing="exclude"``; the default
     ``"error"`` refuses NaN), and those outside a criterion's
     ``minimum``/``maximum`` — each with a reason;
  2. weights the criteria: user-given, equal, or by the entropy-weight
     method computed over the remaining candidates;
  3. scores by weighted sum (Sᵢ = Σⱼwⱼx'ᵢⱼ on the min-max values) or by
     TOPSIS (on vector-normalised raw values, or on the min-max matrix for
     the "entropy-TOPSIS" variant);
  4. explains every score (:class:`RankingResult`): per candidate and
     criterion the raw value, the normalised value and its contribution. For
     the weighted sum the contributions wⱼx'ᵢⱼ add up to the score. TOPSIS is
     not additive, but ½((vᵢⱼ−A⁻ⱼ)² − (vᵢⱼ−A⁺ⱼ)²)/(D⁺ᵢ+D⁻ᵢ)² adds up exactly
     to Cᵢ − ½: positive contributions pull a candidate towards the ideal,
     negative ones towards the anti-ideal.

Weights that do not sum to 1 are normalised with a warning (recorded in
``RankingResult.warnings``); negative weights, weights for unknown criteria
or missing weights are refused. A criterion whose values are all equal among
the remaining candidates is refused (it cannot discriminate and its min-max
normalisation is 0/0). Normalisation and entropy weights always refer to
the candidates that pass the constraints, so adding or removing candidates
changes them — compare scores only within one ranking.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..checks import check_choice, check_choices, check_number
# The option lists live in the light yrdgeo.choices, so the command line's parser reads them without scipy.
from ..choices import RANKING_METHODS as METHODS  # scoring methods of rank_candidates
from ..choices import RANKING_MISSING as MISSING_POLICIES  # refuse a missing value or exclude that candidate
from ..choices import RANKING_WEIGHT_METHODS as WEIGHT_METHODS  # weights computed by rank_candidates
from ..choices import TOPSIS_INPUTS  # what TOPSIS normalises: raw values or the min-max matrix

__all__ = [
    "Criterion", "DIRECTIONS", "EntropyArrays", "METHODS", "MISSING_POLICIES", "RankingResult", "STATUS_SUFFIX",
    "STATUS_TEXT", "TOPSIS_INPUTS", "TopsisArrays", "WEIGHT_METHODS", "as_criteria", "check_ranking", "criteria_table",
    "entropy",
    "entropy_from_sums", "join_reasons", "minmax", "numeric_matrix", "p_log_p", "parse_directions",
    "rank_candidates", "require_varying", "threshold_exclusions", "topsis", "topsis_closeness",
    "topsis_contribution", "topsis_distances", "user_weights",
]

#: Directions of a criterion: more is better, or less is better.
DIRECTIONS = ("benefit", "cost")
#: Suffix of the column that says why a computed criterion has no value (``travel_min_status``).
STATUS_SUFFIX = "_status"
#: Why a travel time is missing (the ``status`` codes of :mod:`yrdgeo.accessibility`).
STATUS_TEXT = {
    "unreachable": "no route on the network from the fly-out unit",
    "no_access": "no network node within max_access_km of the seat (of the candidate or the fly-out unit)",
    "beyond_cutoff": "beyond the travel-time search cut-off",
}
_RESULT_COLUMNS = ("score", "rank", "excluded", "exclusion_reason")


# --------------------------------------------------------------------------- formulas on arrays


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


def _column_min_max(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return x.min(axis=0) and x.max(axis=0), one column at a time.

    A minimum is exact in any order, and numpy reduces a row-major (n, m) array down its columns a few
    elements per call: column by column is 10-15× faster for the same values.
    """
    cols = [x[:, j] for j in range(x.shape[1])]
    return np.array([c.min() for c in cols], dtype=x.dtype), np.array([c.max() for c in cols], dtype=x.dtype)


def _column_sums(a: np.ndarray, *, row_major: bool = False) -> np.ndarray:
    """Return a.sum(axis=0); with ``row_major``, the floats numpy gives for the same values laid out row-major.

    numpy sums the columns of a row-major array one row at a time, top to bottom, and those of a
    column-major array pairwise, which differs in the last bits. :func:`rank_candidates` keeps its
    matrix column-major (every other step is 5-20× faster down contiguous columns) but its scores were
    always summed row-major: ``add.accumulate`` down each column gives exactly those sums.
    """
    if not row_major or a.flags.c_contiguous:
        return a.sum(axis=0)
    buf = np.empty(a.shape[0], dtype=a.dtype)
    return np.array([np.add.accumulate(a[:, j], out=buf)[-1] for j in range(a.shape[1])], dtype=a.dtype)


def _row_sums(a: np.ndarray, *, row_major: bool = False) -> np.ndarray:
    """Return a.sum(axis=1) (with ``row_major``, as summed row-major), the same floats, ≈10× faster under 8 columns.

    numpy adds fewer than 8 terms left to right, as the column-wise accumulation here does; from 8 terms
    on it sums a row pairwise in an order that depends on the memory layout, so numpy does those.
    """
    if not 0 < a.shape[1] < 8:
        return (np.ascontiguousarray(a) if row_major else a).sum(axis=1)
    out = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        out += a[:, j]
    return out


def minmax(x: np.ndarray, benefit: np.ndarray, *, lo: np.ndarray | None = None,
           hi: np.ndarray | None = None) -> np.ndarray:
    """Return direction-aware min-max values: benefit (x−min)/(max−min), cost (max−x)/(max−min).

    ``lo`` and ``hi`` give each column's min and max when they come from more rows than ``x``
    (e.g. reduced over the partitions of a grid); by default they are those of ``x``.
    """
    if (lo is None) != (hi is None):
        msg = "minmax: give both lo and hi (each column's min and max), or neither"
        raise ValueError(msg)
    if lo is None:
        lo, hi = _column_min_max(x)
    span = hi - lo
    # One output array filled column by column (same floats as the textbook np.where of two full
    # temporaries, a third of the memory); empty_like keeps x's memory order, so later reductions see
    # the layout they always saw.
    out = np.empty_like(x, dtype="float64")
    for j, more_is_better in enumerate(np.broadcast_to(np.asarray(benefit, dtype=bool), span.shape)):
        if more_is_better:
            np.subtract(x[:, j], lo[j], out=out[:, j])
        else:
            np.subtract(hi[j], x[:, j], out=out[:, j])
    out /= span
    return out


@dataclass(frozen=True)
class EntropyArrays:
    entropy: np.ndarray
    divergence: np.ndarray
    weights: np.ndarray


def entropy(xn: np.ndarray, *, epsilon: float = 0.0) -> EntropyArrays:
    """Return eⱼ, dⱼ = 1 − eⱼ and wⱼ = dⱼ/Σd for a min-max matrix (0·ln 0 = 0; ``epsilon`` shifts x')."""
    return _entropy(xn, epsilon)


def _entropy(xn: np.ndarray, epsilon: float, *, row_major: bool = False) -> EntropyArrays:
    """Return :func:`entropy`'s arrays, the column sums taken as :func:`_column_sums` says."""
    n = xn.shape[0]
    p = np.add(xn, epsilon)
    p /= _column_sums(p, row_major=row_major)
    plogp = p_log_p(p)
    del p
    return entropy_from_sums(_column_sums(plogp, row_major=row_major), n)


def p_log_p(p: np.ndarray) -> np.ndarray:
    """Return p·ln p element-wise with 0·ln 0 = 0 (the terms of the entropy eⱼ), in one new buffer."""
    # One buffer (where(p > 0, p, 1), then its log, then times p): the same float operations as
    # np.where(p > 0, p * log(where(p > 0, p, 1)), 0) — for p = 0 both give 0·log 1 = 0.
    plogp = np.where(p > 0, p, 1.0)
    np.log(plogp, out=plogp)
    plogp *= p
    return plogp


def entropy_from_sums(plogp_sums: np.ndarray, n: int) -> EntropyArrays:
    """Return eⱼ = −Σᵢpᵢⱼ ln pᵢⱼ / ln n, dⱼ = 1 − eⱼ and wⱼ = dⱼ/Σd from the column sums of :func:`p_log_p`.

    Raises ValueError when every dⱼ is 0 (the weights are then undefined).
    """
    e = -plogp_sums / np.log(n)
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
    core = _topsis_core(x, w, benefit, vector_normalise=vector_normalise)
    v = core.normalised * w
    gap_i = _squared_gap(v, core.ideal)
    gap_a = _squared_gap(v, core.anti_ideal)
    contrib = topsis_contribution(core.normalised, w, core.ideal, core.anti_ideal, core.d_ideal + core.d_anti)
    return TopsisArrays(core.normalised, v, core.ideal, core.anti_ideal, gap_i, gap_a, core.d_ideal, core.d_anti,
                        core.closeness, contrib)


@dataclass(frozen=True)
class _TopsisCore:
    normalised: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    d_ideal: np.ndarray
    d_anti: np.ndarray
    closeness: np.ndarray


def _squared_gap(v: np.ndarray, end: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
    """Return (v − end)², into ``out`` if given (one buffer instead of two temporaries)."""
    out = np.subtract(v, end, out=out)
    return np.square(out, out=out)


def _topsis_core(x: np.ndarray, w: np.ndarray, benefit: np.ndarray, *, vector_normalise: bool,
                 row_major: bool = False) -> _TopsisCore:
    """Return r, A±, D± and C of TOPSIS with two n×m buffers (r and v; the gaps reuse v's twin).

    Every array keeps x's memory order and every reduction runs on the same layout as the textbook
    expressions, so the floats are identical to theirs (sums over 8+ terms depend on the order);
    ``row_major``: sums as numpy forms them on the row-major layout of x (:func:`_column_sums`).
    """
    if vector_normalise:
        r = np.square(x)  # x**2, then r = x / √Σx² in the same buffer
        np.divide(x, np.sqrt(_column_sums(r, row_major=row_major)), out=r)
    else:
        r = x
    v = np.multiply(r, w)
    vmin, vmax = _column_min_max(v)
    ideal = np.where(benefit, vmax, vmin)
    anti = np.where(benefit, vmin, vmax)
    d_pos, d_neg = topsis_distances(v, ideal, anti, row_major=row_major)
    # v freed before the closeness is allocated, in the order of the code before the split: with v alive
    # here the core took twice as long at 80k rows (measured; the allocation pattern, not the arithmetic)
    del v
    return _TopsisCore(r, ideal, anti, d_pos, d_neg, topsis_closeness(d_pos, d_neg))


def topsis_distances(v: np.ndarray, ideal: np.ndarray, anti_ideal: np.ndarray, *,
                     row_major: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return D⁺ᵢ = √Σⱼ(vᵢⱼ − A⁺ⱼ)² and D⁻ᵢ = √Σⱼ(vᵢⱼ − A⁻ⱼ)², the distances to a given ideal and anti-ideal.

    ``v`` is the weighted normalised matrix (not modified); the ideal A⁺ and anti-ideal A⁻ are given,
    so they may come from more rows than ``v`` (:func:`topsis` takes them from ``v``'s own columns).
    ``row_major``: row sums as numpy forms them on the row-major layout of ``v`` (see :func:`topsis`).
    """
    gap = _squared_gap(v, ideal)
    d_pos = np.sqrt(_row_sums(gap, row_major=row_major))
    d_neg = np.sqrt(_row_sums(_squared_gap(v, anti_ideal, out=gap), row_major=row_major))
    return d_pos, d_neg


def topsis_closeness(d_ideal: np.ndarray, d_anti: np.ndarray) -> np.ndarray:
    """Return the TOPSIS closeness Cᵢ = D⁻ᵢ/(D⁺ᵢ + D⁻ᵢ), ½ where both distances are 0."""
    total = d_ideal + d_anti
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, d_anti / total, 0.5)


def topsis_contribution(r: np.ndarray, w: np.ndarray, ideal: np.ndarray, anti: np.ndarray,
                        total: np.ndarray) -> np.ndarray:
    """Return ½((v − A⁻)² − (v − A⁺)²)/(D⁺ + D⁻)² per criterion with v = r·w (0 where D⁺ + D⁻ = 0).

    ``total`` is D⁺ + D⁻ per row; the contributions of a row add up to Cᵢ − ½. Two n×m buffers.
    """
    v = r * w
    gap_i = _squared_gap(v, ideal)
    out = _squared_gap(v, anti, out=v)
    out -= gap_i
    del gap_i
    out *= 0.5
    with np.errstate(divide="ignore", invalid="ignore"):
        out /= total[:, None] ** 2
    out[~(total > 0)] = 0.0
    return out


# --------------------------------------------------------------------------- criteria


@dataclass(frozen=True)
class Criterion:
    """One ranking criterion.

    Attributes
    ----------
    column
        Numeric column of the candidate table.
    direction
        ``"benefit"`` (more is better) or ``"cost"`` (less is better).
    minimum, maximum
        Optional constraints: candidates with a value below ``minimum`` or above
        ``maximum`` are excluded (the bounds themselves are allowed).
    label
        Display name for explanations and maps (e.g. ``"建设用地占比"``).
    filter_only
        Use the column only for its ``minimum``/``maximum`` constraints (e.g.
        "within 300 km" or "within 90 minutes"), not for the score: it gets
        no weight, no normalised value and no contribution.
    """

    column: str
    direction: str = "benefit"
    minimum: float | None = None
    maximum: float | None = None
    label: str | None = None
    filter_only: bool = False

    def __post_init__(self) -> None:
        check_choice(f"criterion {self.column!r}: direction", self.direction, DIRECTIONS)
        lo, hi = self.minimum, self.maximum
        for name, v in (("minimum", lo), ("maximum", hi)):
            check_number(f"criterion {self.column!r}: {name}", v, minimum=None, allow_none=True)
        if lo is not None and hi is not None and float(lo) > float(hi):
            msg = f"criterion {self.column!r}: minimum {lo} is above maximum {hi}"
            raise ValueError(msg)
        if self.filter_only and lo is None and hi is None:
            msg = f"criterion {self.column!r} is filter_only but has neither minimum nor maximum"
            raise ValueError(msg)


def as_criteria(criteria: Sequence[Criterion] | Mapping[str, str | Criterion]) -> list[Criterion]:
    """Return the criteria as a list of :class:`Criterion`: from Criterion objects, column names (benefit) or ``{column: direction}``.

    Raises ValueError for no criteria or a column given twice.
    """
    if isinstance(criteria, Mapping):
        out = [v if isinstance(v, Criterion) else Criterion(str(k), str(v).lower()) for k, v in criteria.items()]
    else:
        out = [c if isinstance(c, Criterion) else Criterion(str(c)) for c in criteria]
    if not out:
        msg = "no criteria given: expected at least one Criterion(column, 'benefit'|'cost')"
        raise ValueError(msg)
    cols = [c.column for c in out]
    dup = sorted({c for c in cols if cols.count(c) > 1})
    if dup:
        msg = (f"criteria repeat column(s) {dup}; give each column once — a scored criterion carries its own "
               "thresholds (Criterion(col, 'cost', maximum=V); CLI COLUMN:cost:max=V)")
        raise ValueError(msg)
    return out


def check_ranking(criteria: Sequence[Criterion] | Mapping[str, str | Criterion], columns: Iterable[str], *,
                  method: str, topsis_input: str, missing: str, epsilon: float,
                  table: str = "candidates") -> list[Criterion]:
    """Return the criteria as a list of :class:`Criterion` once a ranking's options are checked.

    Raises ValueError when every criterion is ``filter_only``, for a ``method``, ``topsis_input`` or
    ``missing`` not in its list, a negative ``epsilon``, or when ``columns`` (the ``table``'s) already
    hold a result column (score, rank, excluded, exclusion_reason, norm_<c>, contrib_<c>).
    """
    crits = as_criteria(criteria)
    cols = [c.column for c in crits if not c.filter_only]
    if not cols:
        msg = "every criterion is filter_only: at least one must enter the score"
        raise ValueError(msg)
    check_choices(("method", method, METHODS), ("topsis_input", topsis_input, TOPSIS_INPUTS),
                  ("missing", missing, MISSING_POLICIES))
    check_number("epsilon", epsilon, minimum=0, inclusive=True)
    have = set(columns)
    clash = [c for c in list(_RESULT_COLUMNS) + [f"{p}_{c}" for c in cols for p in ("norm", "contrib")] if c in have]
    if clash:
        msg = f"{table} already have result column(s) {clash}; rename or drop them before ranking"
        raise ValueError(msg)
    return crits


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class _Ranked:
    """What :func:`rank_candidates` computed; :attr:`RankingResult.frame` is built from it on access."""

    candidates: pd.DataFrame  # a copy of the input: the result shares nothing with it
    score: np.ndarray  # per candidate, NaN when excluded
    rank: pd.arrays.IntegerArray  # 1 = best, <NA> when excluded
    excluded: np.ndarray
    keep: np.ndarray
    reasons: list[tuple[np.ndarray, Any]]  # (row mask, text, texts or a callable giving them) in listing order
    normalised: np.ndarray  # kept rows × scored criteria: min-max values, or TOPSIS's r
    weights: np.ndarray
    ideal: np.ndarray | None = None  # TOPSIS A⁺, A⁻ and D⁺ + D⁻ per kept row: its contributions on access
    anti: np.ndarray | None = None
    total: np.ndarray | None = None


@dataclass
class RankingResult:
    """A ranking of candidates, with everything needed to explain it.

    Attributes
    ----------
    frame
        Copy of the candidates (a GeoDataFrame if the input was one) with
        ``score``, ``rank`` (1 = best, <NA> when excluded), ``excluded``,
        ``exclusion_reason`` ("" when kept) and, per criterion ``c``,
        ``norm_c`` (normalised value used by the method) and ``contrib_c``.
        Built on first access (then kept) from the scores and the normalised
        matrix that :func:`rank_candidates` stores: the explanation columns
        cost one n×m array each, which a caller that only needs the scores
        (:attr:`scores`) never pays.
    criteria
        The :class:`Criterion` list.
    weights
        Series of weights by criterion column, summing to 1.
    weight_source
        ``"entropy"``, ``"equal"`` or ``"user"``.
    method
        ``"topsis"`` or ``"weighted_sum"``.
    topsis_input
        ``"raw"`` (vector normalisation of raw values) or ``"minmax"``; None for the weighted sum.
    criteria_table
        One row per criterion: label, direction, minimum, maximum, weight,
        entropy and divergence (entropy weights only), the range among the
        ranked candidates, and TOPSIS ideal / anti-ideal.
    key
        Column identifying candidates (e.g. ``"adcode"``).
    warnings
        Messages about handling that changed the input (e.g. weights normalised).
    """

    criteria: list[Criterion]
    weights: pd.Series
    weight_source: str
    method: str
    topsis_input: str | None
    criteria_table: pd.DataFrame
    key: str
    warnings: list[str] = field(default_factory=list)
    _ranked: _Ranked | None = field(default=None, repr=False, compare=False)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """Return the candidates with score, rank, exclusion and per-criterion ``norm_*``/``contrib_*`` columns."""
        r = self._ranked
        n = r.score.size
        m = r.normalised.shape[1]
        new = {
            "score": r.score,
            "rank": r.rank,
            "excluded": r.excluded,
            "exclusion_reason": join_reasons(r.reasons, n),
        }
        # norm_c and contrib_c side by side in one column-major block: the frame takes it as one block.
        per = np.full((n, 2 * m), np.nan, order="F")
        per[:, 0::2][r.keep] = r.normalised
        if self.method == "weighted_sum":
            per[:, 1::2][r.keep] = r.normalised * r.weights
        else:
            per[:, 1::2][r.keep] = topsis_contribution(r.normalised, r.weights, r.ideal, r.anti, r.total)
        names = [f"{p}_{c.column}" for c in self.scoring for p in ("norm", "contrib")]
        index = r.candidates.index
        return pd.concat([r.candidates, pd.DataFrame(new, index=index),
                          pd.DataFrame(per, index=index, columns=names, copy=False)], axis=1)

    @property
    def scores(self) -> pd.Series:
        """Return the score of every candidate (NaN when excluded), indexed like the candidates, without the frame."""
        return pd.Series(self._ranked.score, index=self._ranked.candidates.index, name="score")

    @property
    def scoring(self) -> list[Criterion]:
        """The criteria that enter the score (all but ``filter_only`` ones)."""
        return [c for c in self.criteria if not c.filter_only]

    @property
    def n_ranked(self) -> int:
        """Number of candidates that received a score."""
        return int(self._ranked.keep.sum())

    @property
    def excluded(self) -> pd.DataFrame:
        """The excluded candidates: key, name (if any) and reason."""
        cols = [c for c in (self.key, "name_zh") if c in self.frame.columns] + ["exclusion_reason"]
        return pd.DataFrame(self.frame.loc[self.frame["excluded"], cols])

    @property
    def explanation(self) -> pd.DataFrame:
        """Return the wide explanation table, best first, excluded candidates last with their reasons.

        Columns: key, ``name_zh`` (if present), rank, score, excluded,
        exclusion_reason, then per criterion its raw value, ``norm_<c>`` and ``contrib_<c>``.
        """
        f = self.frame
        ids = [c for c in (self.key, "name_zh") if c in f.columns]
        per = [x for c in self.criteria
               for x in ((c.column,) if c.filter_only else (c.column, f"norm_{c.column}", f"contrib_{c.column}"))]
        cols = f.columns.get_indexer(ids + ["rank", "score", "excluded", "exclusion_reason"] + per)
        order = np.lexsort((f["score"].to_numpy(float) * -1, f["excluded"].to_numpy()))
        return pd.DataFrame(f.iloc[order, cols]).reset_index(drop=True)  # rows and columns in one take

    def explanation_long(self) -> pd.DataFrame:
        """Return one row per ranked candidate and criterion: value, normalised, weight, contribution (and TOPSIS gaps)."""
        f = self.frame.loc[~self.frame["excluded"]]
        ids = [c for c in (self.key, "name_zh") if c in f.columns]
        parts = []
        for c in self.scoring:
            part = pd.DataFrame(f[ids + ["rank", "score"]])
            part["criterion"] = c.column
            part["label"] = c.label or c.column
            part["direction"] = c.direction
            part["value"] = f[c.column].to_numpy()
            part["normalised"] = f[f"norm_{c.column}"].to_numpy()
            part["weight"] = float(self.weights[c.column])
            part["contribution"] = f[f"contrib_{c.column}"].to_numpy()
            if self.method == "topsis":
                # The gaps (v − A±)² are recomputed from the stored r and w on access rather than kept for
                # every candidate: v = r·w and A± are the very floats TOPSIS used, so they are the same numbers.
                v = f[f"norm_{c.column}"].to_numpy() * self.weights[c.column]
                for name, end in (("gap_ideal", "topsis_ideal"), ("gap_anti_ideal", "topsis_anti_ideal")):
                    part[name] = (v - self.criteria_table.at[c.column, end]) ** 2
            parts.append(part)
        out = pd.concat(parts, ignore_index=True)
        return out.sort_values(["rank", "criterion"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- ranking


def _resolve_weights(
    weights: str | Mapping[str, float] | pd.Series, cols: list[str], xn: np.ndarray, *, epsilon: float
) -> tuple[np.ndarray, str, dict[str, np.ndarray], list[str]]:
    notes: list[str] = []
    extra: dict[str, np.ndarray] = {}
    if isinstance(weights, str):
        if weights not in WEIGHT_METHODS:
            msg = f"weights must be 'entropy', 'equal' or a mapping {{criterion: weight}}, got {weights!r}"
            raise ValueError(msg)
        if weights == "entropy":
            ent = _entropy(xn, epsilon, row_major=True)
            extra = {"entropy": ent.entropy, "divergence": ent.divergence}
            return ent.weights, "entropy", extra, notes
        return np.full(len(cols), 1.0 / len(cols)), "equal", extra, notes
    w, notes = user_weights(weights, cols)
    for note in notes:
        warnings.warn(note, UserWarning, stacklevel=3)
    return w, "user", extra, notes


def user_weights(weights: Mapping[str, float] | pd.Series, columns: list[str]) -> tuple[np.ndarray, list[str]]:
    """Return the user's weights in ``columns`` order normalised to sum 1, and the notes to warn with.

    Raises ValueError for a weight naming no criterion, a criterion without weight, a weight that is
    not a number or is negative, or weights summing to 0. Weights not summing to 1 are normalised,
    with a note (the caller warns and records it).
    """
    given = {str(k): v for k, v in dict(weights).items()}
    unknown = sorted(set(given) - set(columns))
    missing = [c for c in columns if c not in given]
    if unknown or missing:
        msg = f"weights must name exactly the criteria {columns}; unknown: {unknown}, missing: {missing}"
        raise ValueError(msg)
    w = np.array([check_number(f"weights[{c!r}]", given[c], minimum=None) for c in columns])
    if (w < 0).any():
        neg = {c: given[c] for c, v in zip(columns, w) if v < 0}
        msg = f"weights must be >= 0; negative: {neg}. A criterion that should count against a candidate is a 'cost' criterion"
        raise ValueError(msg)
    total = w.sum()
    if total <= 0:
        msg = f"weights sum to {total}; at least one must be positive"
        raise ValueError(msg)
    notes = []
    if abs(total - 1.0) > 1e-6:
        notes.append(f"weights summed to {total:g}, not 1; normalised to {dict(zip(columns, np.round(w / total, 6)))}")
    return w / total, notes


def criteria_table(criteria: Sequence[Criterion], weights: np.ndarray, ranked_min: np.ndarray,
                   ranked_max: np.ndarray, *, extra: Mapping[str, np.ndarray] | None = None,
                   ideal: np.ndarray | None = None, anti_ideal: np.ndarray | None = None) -> pd.DataFrame:
    """Return the criteria table of a ranking: one row per criterion, indexed by column (``criterion``).

    Columns: label, role (``"score"``/``"filter"``), direction, minimum, maximum, weight, the range
    among the ranked candidates (``ranked_min``/``ranked_max``, one value per criterion), then per
    ``extra`` item one column (e.g. entropy, divergence) and, given ``ideal``, ``topsis_ideal`` and
    ``topsis_anti_ideal``. ``weights``, ``extra``, ``ideal`` and ``anti_ideal`` hold one value per
    scored criterion (filter-only ones get NaN).
    """
    all_cols = [c.column for c in criteria]
    cols = [c.column for c in criteria if not c.filter_only]

    def per_criterion(values: np.ndarray) -> np.ndarray:
        return pd.Series(values, index=cols).reindex(all_cols).to_numpy()

    table = pd.DataFrame({
        "label": [c.label or c.column for c in criteria],
        "role": ["filter" if c.filter_only else "score" for c in criteria],
        "direction": [None if c.filter_only else c.direction for c in criteria],
        "minimum": [c.minimum for c in criteria],
        "maximum": [c.maximum for c in criteria],
        "weight": per_criterion(weights),
        "ranked_min": ranked_min,
        "ranked_max": ranked_max,
    }, index=pd.Index(all_cols, name="criterion"))
    for name, arr in (extra or {}).items():
        table[name] = per_criterion(arr)
    if ideal is not None:
        table["topsis_ideal"] = per_criterion(ideal)
        table["topsis_anti_ideal"] = per_criterion(anti_ideal)
    return table


def _texts(text: Any) -> Any:
    """Return a reason's text or texts; a callable is formatted only now (most results never show them)."""
    return text() if callable(text) else text


def _bound_texts(prefix: str, values: np.ndarray, tail: str) -> np.ndarray:
    """Return "<prefix><value> <tail>" per value, the value as %.6g (the reason of a candidate out of bounds)."""
    return np.array([f"{prefix}{v:.6g}{tail}" for v in values.tolist()], dtype=object)


def threshold_exclusions(criteria: Sequence[Criterion], x: np.ndarray) -> list[tuple[np.ndarray, Any]]:
    """Return ``(row mask, texts)`` for every criterion bound some rows break, in criteria order, minimum first.

    ``x`` holds one column per criterion (NaN breaks no bound). ``texts`` is a callable giving one
    reason per masked row, e.g. ``"slope 31.2 > maximum 25"`` (values as %.6g), formatted only when
    called: :func:`join_reasons` calls it.
    """
    parts: list[tuple[np.ndarray, Any]] = []
    for j, c in enumerate(criteria):
        col = x[:, j]
        for bound, sign, below in ((c.minimum, "<", True), (c.maximum, ">", False)):
            if bound is None:
                continue
            m = col < float(bound) if below else col > float(bound)
            if m.any():
                tail = f" {sign} {'minimum' if below else 'maximum'} {float(bound):.6g}"
                parts.append((m, partial(_bound_texts, f"{c.column} ", col[m], tail)))
    return parts


def join_reasons(parts: list[tuple[np.ndarray, Any]], n: int) -> np.ndarray:
    """Return per row the texts of ``parts`` that cover it, joined with "; " in order ("" for a kept row).

    Each part is ``(row mask, text)``: one text for all masked rows, an array of one text per masked
    row, or a callable giving either (as :func:`threshold_exclusions` returns).
    """
    out = np.full(n, "", dtype=object)
    seen = np.zeros(n, dtype=bool)
    for m, text in parts:
        text = _texts(text)
        before = out[m]
        out[m] = np.where(seen[m], before + "; " + text, text) if seen[m].any() else text
        seen |= m
    return out


def _reason_lists(parts: list[tuple[np.ndarray, Any]], n: int) -> list[list[str]]:
    """Return per row the list of its reasons (for messages; the frame holds the joined texts)."""
    out: list[list[str]] = [[] for _ in range(n)]
    for m, text in parts:
        text = _texts(text)
        for k, i in enumerate(np.flatnonzero(m)):
            out[i].append(text if isinstance(text, str) else text[k])
    return out


def rank_candidates(
    candidates: pd.DataFrame,
    criteria: Sequence[Criterion] | Mapping[str, str | Criterion],
    *,
    weights: str | Mapping[str, float] | pd.Series = "entropy",
    method: str = "topsis",
    topsis_input: str = "raw",
    missing: str = "error",
    epsilon: float = 0.0,
    key: str = "adcode",
    exclude: Mapping[Any, str] | None = None,
) -> RankingResult:
    """Return the candidates ranked by several criteria, with scores, ranks, exclusions and explanations.

    Parameters
    ----------
    candidates
        One row per candidate (GeoDataFrame of units or cells, or a plain
        DataFrame), holding every criterion column and ``key``. Not modified.
    criteria
        List of :class:`Criterion`, or ``{column: "benefit" | "cost"}``.
    weights
        ``"entropy"`` (default; entropy-weight method over the ranked
        candidates), ``"equal"``, or ``{column: weight}`` with weights >= 0
        (normalised with a warning if they do not sum to 1).
    method
        ``"topsis"`` (default) or ``"weighted_sum"``.
    topsis_input
        ``"raw"`` (default): TOPSIS vector-normalises the raw values, rᵢⱼ = xᵢⱼ/√Σᵢxᵢⱼ²;
        ``"minmax"``: TOPSIS on the direction-aware min-max matrix of the
        entropy step (the "entropy-TOPSIS" variant). Ignored for the weighted sum.
    missing
        ``"error"`` (default): a NaN in any criterion raises, naming the
        candidates; ``"exclude"``: such candidates are excluded with reason
        ``"missing <column>"``. A NaN that a status column
        ``<column>_status`` explains (any value other than ``"ok"``, as
        written by :func:`yrdgeo.ranking.add_travel_time_from`, e.g. ``"unreachable"``) is
        not missing data: that candidate is always excluded with the reason
        ``"<column> <status>: <explanation>"``, whatever ``missing`` says.
    epsilon
        Shift for the entropy step (see :func:`yrdgeo.indicators.entropy_index`).
    key
        Column identifying candidates in messages and explanations (falls back
        to the index if absent).
    exclude
        ``{key value: reason}`` of candidates to exclude up front (e.g. the
        fly-out unit itself).

    Returns
    -------
    RankingResult
        ``frame`` (copy with ``score``, ``rank``, ``excluded``,
        ``exclusion_reason``, ``norm_*``, ``contrib_*``), ``weights``,
        ``criteria_table``, ``explanation``, ``warnings``.
    """
    crits = check_ranking(criteria, candidates.columns, method=method, topsis_input=topsis_input, missing=missing,
                          epsilon=epsilon)
    all_cols = [c.column for c in crits]
    scoring = [c for c in crits if not c.filter_only]
    cols = [c.column for c in scoring]
    if len(candidates) == 0:
        msg = "no candidates to rank (empty table)"
        raise ValueError(msg)
    what = "ranking"
    x = numeric_matrix(candidates, all_cols, what=what)
    ids = candidates[key].to_numpy() if key in candidates.columns else candidates.index.to_numpy()
    n = len(candidates)

    # Exclusion reasons are built column-wise, never per row: each part is (row mask, text or texts of those
    # rows), appended in the order a candidate's reasons are listed; join_reasons joins them with "; ".
    parts: list[tuple[np.ndarray, Any]] = []
    if exclude:
        pos = {k: i for i, k in enumerate(ids)}
        for k, why in exclude.items():
            if k in pos:
                m = np.zeros(n, dtype=bool)
                m[pos[k]] = True
                parts.append((m, str(why)))
    nan = np.isnan(x)
    for j, c in enumerate(all_cols):
        status_col = f"{c}{STATUS_SUFFIX}"
        if status_col not in candidates.columns or not nan[:, j].any():
            continue
        status = candidates[status_col].astype("string").fillna("").to_numpy(dtype=object)
        explained = nan[:, j] & ~np.isin(status, ["ok", ""])
        if explained.any():
            codes, inverse = np.unique(status[explained].astype(str), return_inverse=True)
            texts = np.array([f"{c} {s}" + (f": {STATUS_TEXT[s]}" if STATUS_TEXT.get(s) else "") for s in codes],
                             dtype=object)
            parts.append((explained, texts[inverse]))
        nan[:, j] &= ~explained
    if nan.any():
        if missing == "error":
            rows = np.flatnonzero(nan.any(axis=1))
            sample = [(ids[i], [all_cols[j] for j in np.flatnonzero(nan[i])]) for i in rows[:10]]
            msg = (f"{what}: {rows.size} candidate(s) have missing (NaN) criterion values, e.g. {sample}; "
                   "fill them, or pass missing='exclude' to exclude those candidates with a reason")
            raise ValueError(msg)
        parts.extend((nan[:, j], f"missing {c}") for j, c in enumerate(all_cols) if nan[:, j].any())
    parts.extend(threshold_exclusions(crits, x))
    excluded = np.zeros(n, dtype=bool)
    for m, _ in parts:
        excluded |= m
    keep = ~excluded
    # Kept rows of the scored columns, column-major: every step works down contiguous columns, 5-20× faster
    # than striding through rows. The sums are still the ones numpy forms on the row-major copy the ranking
    # used before (row_major=True below, see _column_sums), so every float is the same.
    sel = [all_cols.index(c) for c in cols]
    xk = np.empty((int(keep.sum()), len(sel)), order="F")
    for j, col in enumerate(sel):
        np.compress(keep, x[:, col], out=xk[:, j])
    if xk.shape[0] < 2:
        summary = pd.Series([r for rs in _reason_lists(parts, n) for r in rs]).str.replace(r" [-\d.e+]+ ", " … ", regex=True)
        msg = (f"{what}: {int(keep.sum())} of {n} candidates remain after exclusions; at least 2 are needed. "
               f"Most common reasons: {summary.value_counts().head(5).to_dict()}")
        raise ValueError(msg)
    # Range among the ranked candidates: the scored columns from the kept matrix, filter-only ones from x.
    ranked_min = np.empty(len(all_cols))
    ranked_max = np.empty(len(all_cols))
    ranked_min[sel], ranked_max[sel] = _column_min_max(xk)
    for j in sorted(set(range(len(all_cols))) - set(sel)):
        ranked_min[j], ranked_max[j] = x[keep, j].min(), x[keep, j].max()
    del x, nan  # only the kept matrix is needed from here on
    if (ranked_min[sel] == ranked_max[sel]).any():
        require_varying(xk, cols, what=what, hint=" (or relax the thresholds that left only such candidates)"
                        if excluded.any() else "")

    benefit = np.array([c.direction == "benefit" for c in scoring])
    xn = minmax(xk, benefit)
    w, source, extra, notes = _resolve_weights(weights, cols, xn, epsilon=epsilon)

    # Only the scores are computed here, with the n×m normalised matrix kept for the explanation columns
    # (RankingResult.frame builds norm_* and contrib_* from it on access: the same floats, computed later).
    score = np.full(n, np.nan)
    ideal = anti = total = None
    if method == "weighted_sum":
        normalised = xn
        # Row sums of w·x' laid out row-major, as the contributions always were summed (over 8+ criteria
        # the order of the terms changes the last bits).
        score[keep] = _row_sums(xn * w, row_major=True)
    else:
        raw = topsis_input == "raw"
        if raw:
            del xn  # the entropy step was its last use
        t = _topsis_core(xk if raw else xn, w, benefit if raw else np.ones(len(cols), bool), vector_normalise=raw,
                         row_major=True)
        normalised, ideal, anti, total = t.normalised, t.ideal, t.anti_ideal, t.d_ideal + t.d_anti
        score[keep] = t.closeness
        del t
    del xk

    # Ranks 1 = best with ties sharing the lowest rank (pandas' rank(method="min")), computed on the kept
    # scores only and written straight into a nullable integer array (no float → Int64 conversion pass).
    rank = np.zeros(n, dtype="int64")
    kept_score = score[keep]
    neg = -kept_score
    if np.isnan(kept_score).any() or np.signbit(kept_score).any():
        order = np.argsort(neg)
    else:  # scores ≥ +0 order as their bit patterns, and numpy sorts integers ≈1.5× faster than floats
        order = np.argsort(-kept_score.view(np.int64))
    srt = neg[order]
    # In sorted order a tie takes the position of the first of its run (what searchsorted(side="left") finds,
    # in one linear pass instead of a binary search per candidate); NaN scores tie with each other, as there.
    starts = np.empty(srt.size, dtype=bool)
    starts[:1] = True
    np.not_equal(srt[1:], srt[:-1], out=starts[1:])
    starts[1:] &= ~(np.isnan(srt[1:]) & np.isnan(srt[:-1]))
    kept_rank = np.empty(srt.size, dtype="int64")
    kept_rank[order] = np.maximum.accumulate(np.where(starts, np.arange(1, srt.size + 1), 0))
    rank[keep] = kept_rank
    del kept_score, neg, order, srt, starts, kept_rank
    ranked = _Ranked(candidates=candidates.copy(), score=score, rank=pd.arrays.IntegerArray(rank, ~keep),
                     excluded=excluded, keep=keep, reasons=parts, normalised=normalised, weights=w, ideal=ideal,
                     anti=anti, total=total)

    table = criteria_table(crits, w, ranked_min, ranked_max, extra=extra, ideal=ideal, anti_ideal=anti)
    return RankingResult(
        criteria=crits, weights=pd.Series(w, index=cols, name="weight"), weight_source=source,
        method=method, topsis_input=topsis_input if method == "topsis" else None, criteria_table=table,
        key=key, warnings=notes, _ranked=ranked,
    )
