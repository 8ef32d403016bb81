"""Ranking grid cells by several criteria: entropy weights and TOPSIS with dask reductions, scores per partition.

:func:`rank_cells` gives the numbers of :func:`yrdgeo.ranking.rank_candidates` (its formulas and
options, see :mod:`yrdgeo.ranking.mcda`) on cells that never sit in one frame:

1. **Filters first.** ``constraints`` (a boolean column such as ``water``, a polygon layer such as
   protected areas — a cell whose centre lies inside is removed —, or a function of a partition)
   and each criterion's ``minimum``/``maximum`` (``slope`` at most 25 …) remove cells before
   anything is normalised: a removed cell gets no score, no rank and no normalised value, and
   ``exclusion_reason`` says why (the constraints first, then any threshold the cell breaks, as
   ``rank_candidates`` lists ``exclude`` before thresholds). A cell removed by a constraint is not
   checked for missing values (water has no slope); in the cells left, a missing criterion value is refused
   (``missing="error"``) or excludes the cell (``"exclude"``), as in the ranking of units.
2. **Normalising statistics as dask reductions** over the cells left: per criterion the count,
   minimum, maximum and sum of squares (one pass), then for entropy weights the column sums of
   the min-max values and the sums of p·ln p (two more passes over the partitions, each a few
   numbers per partition).
3. **Scores per partition** from those statistics: min-max values, TOPSIS distances to the ideal
   and anti-ideal (the ideal of a criterion is its extreme value times its weight, the same float
   TOPSIS on the whole table takes) or the weighted sum, and the additive explanation columns.
4. **Ranks** (1 = best, ties share the lowest rank) as dask work: each partition sorts its own
   kept scores, and a cell's rank counts the higher scores in every partition's sorted scores
   (nothing is gathered or sorted in the client).

Sums over partitions add in another order than one sum over the whole table: scores equal
``rank_candidates``' to ~1e-15 relative, and the rank order is the same (tested).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import dask
import numpy as np
import pandas as pd
from shapely import STRtree

from ..checks import check_choices
from ..crs import AREA_CRS
from ..ranking.mcda import (
    WEIGHT_METHODS,
    Criterion,
    check_ranking,
    criteria_table,
    entropy_from_sums,
    join_reasons,
    minmax,
    p_log_p,
    require_varying,
    threshold_exclusions,
    topsis_closeness,
    topsis_contribution,
    topsis_distances,
    user_weights,
)
from ._frames import with_columns

__all__ = ["GridRankingResult", "rank_cells"]

# The dtype of exclusion_reason: the text dtype dask gives object columns (pyarrow strings).
_TEXT = pd.StringDtype("pyarrow")


@dataclass
class GridRankingResult:
    """Cells ranked by several criteria: the result columns on the frame, weights and the criteria table.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        The frame given with ``score``, ``rank`` (1 = best, <NA> when excluded), ``excluded``,
        ``exclusion_reason`` and per scored criterion ``norm_<c>`` and ``contrib_<c>`` (as
        :class:`yrdgeo.ranking.RankingResult`); computed, held by the scheduler.
    criteria, weights, weight_source, method, topsis_input, criteria_table, warnings
        As :class:`yrdgeo.ranking.RankingResult`.
    n_ranked, n_excluded : int
        Cells with a score, and cells filtered out.
    """

    frame: Any
    criteria: list[Criterion]
    weights: pd.Series
    weight_source: str
    method: str
    topsis_input: str | None
    criteria_table: pd.DataFrame
    n_ranked: int
    n_excluded: int
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- constraints


def _constraint_masks(constraints: Mapping[str, Any] | Sequence[Any]) -> list[tuple[str, Any]]:
    """Return ``[(reason, constraint)]``: a column name, a prepared polygon layer, or a function of a partition."""
    items = list(constraints.items()) if isinstance(constraints, Mapping) else [(None, c) for c in constraints]
    out = []
    for reason, c in items:
        if isinstance(c, str):
            out.append((reason or c, c))
        elif hasattr(c, "geometry") or hasattr(c, "geom_type"):
            out.append((reason or "inside a constraint polygon", c))
        elif callable(c):
            out.append((reason or getattr(c, "__name__", "constraint"), c))
        else:
            msg = (f"a constraint must be a boolean column name, a polygon layer (GeoDataFrame/GeoSeries) or a "
                   f"function of a partition returning a boolean mask; got {type(c).__name__}")
            raise ValueError(msg)
    return out


def _polygon_tree(layer: Any, crs: Any) -> Any:
    """Return an STRtree of the layer's polygons in the grid CRS (checked by the input gate)."""
    import geopandas as gpd

    from ..inputs import check_layer

    frame = layer if isinstance(layer, gpd.GeoDataFrame) else gpd.GeoDataFrame(geometry=layer)
    frame = check_layer(frame, geometry="polygon", what="the constraint layer")
    return STRtree(frame.to_crs(crs).geometry.values)


def _inside(tree: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    import shapely

    mask = np.zeros(len(x), dtype=bool)
    if len(x):
        hit, _ = tree.query(shapely.points(x, y), predicate="within")
        mask[hit] = True
    return mask


# --------------------------------------------------------------------------- per-partition passes


def _filter(part: pd.DataFrame, columns: list[str], crits: list[Criterion], constraints: list, missing: str
            ) -> tuple[np.ndarray, np.ndarray, list]:
    """Return the partition's criteria matrix, its kept mask and each exclusion's (mask, reason text(s) or callable)."""
    x = part[columns].to_numpy(dtype="float64", na_value=np.nan)
    if np.isinf(x).any():
        bad = [columns[j] for j in np.flatnonzero(np.isinf(x).any(axis=0))]
        msg = f"ranking: criterion column(s) {bad} contain infinite values"
        raise ValueError(msg)
    parts: list[tuple[np.ndarray, Any]] = []
    removed = np.zeros(len(part), dtype=bool)
    for reason, c in constraints:
        if isinstance(c, str):
            m = part[c].fillna(False).to_numpy(dtype=bool)
        elif not isinstance(c, STRtree):
            m = np.asarray(c(part), dtype=bool)
        else:
            m = _inside(c, part["x"].to_numpy(float), part["y"].to_numpy(float))
        parts.append((m, reason))
        removed |= m
    nan = np.isnan(x) & ~removed[:, None]
    if nan.any():
        if missing == "error":
            rows = np.flatnonzero(nan.any(axis=1))
            ids = part["cell_id"].to_numpy() if "cell_id" in part else part.index.to_numpy()
            sample = [(ids[i], [columns[j] for j in np.flatnonzero(nan[i])]) for i in rows[:10]]
            msg = (f"ranking: cells have missing (NaN) criterion values, e.g. {sample}; fill them, filter them with "
                   "constraints, or pass missing='exclude' to exclude those cells with a reason")
            raise ValueError(msg)
        parts.extend((nan[:, j], f"missing {c}") for j, c in enumerate(columns) if nan[:, j].any())
    parts.extend(threshold_exclusions(crits, x))  # texts formatted only in the scoring pass
    keep = np.ones(len(part), dtype=bool)
    for m, _ in parts:
        keep &= ~m
    return x, keep, parts


def _first_pass(part: pd.DataFrame, columns: list[str], crits: list[Criterion], constraints: list,
                missing: str) -> tuple[np.ndarray, int]:
    """Return per criterion: kept count, min, max, sum of squares (rows of a (4, m) array); and the partition's cells."""
    x, keep, _ = _filter(part, columns, crits, constraints, missing)
    xk = x[keep]
    if not len(xk):
        return np.vstack([np.zeros(x.shape[1]), np.full(x.shape[1], np.inf), np.full(x.shape[1], -np.inf),
                          np.zeros(x.shape[1])]), len(part)
    return np.vstack([np.full(x.shape[1], len(xk), dtype=float), xk.min(axis=0), xk.max(axis=0),
                      (xk**2).sum(axis=0)]), len(part)


def _entropy_pass(part: pd.DataFrame, columns: list[str], crits: list[Criterion], constraints: list, missing: str,
                  sel: list[int], lo: np.ndarray, hi: np.ndarray, benefit: np.ndarray, epsilon: float,
                  column_sums: np.ndarray | None) -> np.ndarray:
    """Return Σ x' (+ epsilon) per criterion, or with ``column_sums`` given Σ p ln p (0·ln 0 = 0)."""
    x, keep, _ = _filter(part, columns, crits, constraints, missing)
    xs = minmax(x[keep][:, sel], benefit, lo=lo, hi=hi) + epsilon
    if column_sums is None:
        return xs.sum(axis=0)
    return p_log_p(xs / column_sums).sum(axis=0)


def _score_pass(part: pd.DataFrame, columns: list[str], crits: list[Criterion], constraints: list, missing: str,
                sel: list[int], plan: dict) -> pd.DataFrame:
    """Return a partition's score, exclusions and per-criterion normalised values and contributions."""
    x, keep, parts = _filter(part, columns, crits, constraints, missing)
    n, m = len(part), len(sel)
    xk = x[keep][:, sel]
    w, benefit = plan["w"], plan["benefit"]
    xn = minmax(xk, benefit, lo=plan["lo"], hi=plan["hi"])
    per = np.full((n, 2 * m), np.nan)
    score = np.full(n, np.nan)
    if plan["method"] == "weighted_sum":
        norm, contrib = xn, xn * w
        score[keep] = contrib.sum(axis=1)
    else:
        # TOPSIS with the ideal and anti-ideal of all cells, not of this partition's
        r = xk / plan["norm"] if plan["raw"] else xn
        d_ideal, d_anti = topsis_distances(r * w, plan["ideal"], plan["anti"])
        score[keep] = topsis_closeness(d_ideal, d_anti)
        contrib = topsis_contribution(r, w, plan["ideal"], plan["anti"], d_ideal + d_anti)
        norm = r
    per[keep, 0::2] = norm
    per[keep, 1::2] = contrib
    # pyarrow strings, as dask stores text columns: not one Python string a cell, and no conversion at each step
    reasons = pd.array(join_reasons(parts, n), dtype=_TEXT)
    names = [f"{p}_{columns[j]}" for j in sel for p in ("norm", "contrib")]
    out = pd.DataFrame(per, index=part.index, columns=names)
    out.insert(0, "exclusion_reason", reasons)
    out.insert(0, "excluded", ~keep)
    out.insert(0, "score", score)
    return out


def _with_rank(block: pd.DataFrame, sorted_neg: Sequence[np.ndarray]) -> pd.DataFrame:
    """Add ``rank``: 1 + the number of ranked cells with a higher score (ties share the lowest rank).

    ``sorted_neg`` holds each partition's negated kept scores, sorted: the cells with a higher
    score are counted in each and added, as many as in one sorted array of all scores.
    """
    keep = ~block["excluded"].to_numpy()
    rank = np.zeros(len(block), dtype="int64")
    neg = -block["score"].to_numpy()[keep]
    higher = np.zeros(len(neg), dtype="int64")
    for part in sorted_neg:
        higher += np.searchsorted(part, neg, side="left")
    rank[keep] = higher + 1
    block.insert(1, "rank", pd.arrays.IntegerArray(rank, ~keep))
    return block


def _sorted_kept(block: pd.DataFrame) -> np.ndarray:
    """Return the partition's kept scores negated and sorted (ascending: the best first)."""
    return np.sort(-block["score"].to_numpy()[~block["excluded"].to_numpy()])


# --------------------------------------------------------------------------- ranking


def rank_cells(
    frame: Any,
    criteria: Sequence[Criterion] | Mapping[str, str | Criterion],
    *,
    weights: str | Mapping[str, float] | pd.Series = "entropy",
    method: str = "topsis",
    topsis_input: str = "raw",
    missing: str = "error",
    epsilon: float = 0.0,
    constraints: Mapping[str, Any] | Sequence[Any] = (),
    crs: Any = None,
) -> GridRankingResult:
    """Return grid cells ranked by several criteria (entropy weights, TOPSIS or weighted sum), partition by partition.

    Parameters
    ----------
    frame
        A :class:`yrdgeo.grid.Grid` (its frame) or a dask DataFrame of cells holding the criterion
        columns (e.g. ``grid.frame.assign(slope=..., travel_min=...)``); ``x``/``y`` are needed for
        a polygon constraint.
    criteria, weights, method, topsis_input, epsilon
        As :func:`yrdgeo.ranking.rank_candidates`: :class:`~yrdgeo.ranking.Criterion` objects
        (direction ``"benefit"``/``"cost"``, ``minimum``/``maximum`` filters, ``filter_only``) or
        ``{column: direction}``; ``"entropy"``, ``"equal"`` or ``{column: weight}``.
    missing
        ``"error"`` (default) refuses a missing value in a cell that passed the constraints;
        ``"exclude"`` excludes that cell (reason ``"missing <column>"``).
    constraints
        Filters applied before anything is normalised; a cell they catch is excluded with the
        constraint's name as reason. Each is a boolean column (True = excluded, e.g. ``"water"``),
        a polygon layer (cells whose centre lies inside are excluded, e.g. protected areas; any
        CRS, through the input gate), or a function ``f(partition) -> bool mask``. A mapping
        ``{reason: constraint}`` names the reasons.
    crs
        The CRS of ``x``/``y`` (default: the grid's, or :data:`yrdgeo.crs.AREA_CRS`).

    Returns
    -------
    GridRankingResult
        Scores and ranks equal to ``rank_candidates`` on the same cells (with the constrained cells
        passed as ``exclude``), to rounding of the partition sums.
    """
    import dask.dataframe as dd

    if hasattr(frame, "spec") and hasattr(frame, "frame"):
        crs = frame.spec.crs if crs is None else crs
        frame = frame.frame
    if isinstance(frame, pd.DataFrame):
        frame = dd.from_pandas(frame, npartitions=1)
    crs = AREA_CRS if crs is None else crs
    crits = check_ranking(criteria, frame.columns, method=method, topsis_input=topsis_input, missing=missing,
                          epsilon=epsilon, table="cells")
    all_cols = [c.column for c in crits]
    scoring = [c for c in crits if not c.filter_only]
    cols = [c.column for c in scoring]
    if isinstance(weights, str):
        check_choices(("weights", weights, WEIGHT_METHODS))
    absent = [c for c in all_cols if c not in frame.columns]
    if absent:
        msg = f"ranking: criterion column(s) {absent} not in the frame; it has: {', '.join(map(str, frame.columns))}"
        raise ValueError(msg)
    prepared = [(reason, _polygon_tree(c, crs) if not isinstance(c, str) and (hasattr(c, "geometry") or
                                                                            hasattr(c, "geom_type")) else c)
                for reason, c in _constraint_masks(constraints)]
    if any(callable(c) and not isinstance(c, STRtree) for _, c in prepared):
        need = list(frame.columns)  # a function constraint sees the whole partition
    else:
        need = list(dict.fromkeys(["cell_id", "x", "y", *all_cols, *[c for _, c in prepared if isinstance(c, str)]]))
        need = [c for c in need if c in frame.columns]
    # the criteria are read four times (statistics, entropy sums twice, scores): compute them once
    (parts,) = dask.persist(frame[need].to_delayed())
    d = dask.delayed
    shared = d(prepared, pure=True, traverse=False)
    common = (all_cols, crits, shared, missing)

    passes = dask.compute(*[d(_first_pass)(p, *common) for p in parts])
    first = np.stack([f for f, _ in passes])
    total_cells = sum(rows for _, rows in passes)
    n = int(first[:, 0, 0].sum())
    lo_all, hi_all, sumsq_all = first[:, 1].min(axis=0), first[:, 2].max(axis=0), first[:, 3].sum(axis=0)
    if n < 2:
        msg = f"ranking: {n} cells remain after the constraints and thresholds; at least 2 are needed"
        raise ValueError(msg)
    sel = [all_cols.index(c) for c in cols]
    lo, hi = lo_all[sel], hi_all[sel]
    require_varying(np.vstack([lo, hi]), cols, what="ranking")
    benefit = np.array([c.direction == "benefit" for c in scoring])

    notes: list[str] = []
    extra: dict[str, np.ndarray] = {}
    if isinstance(weights, str) and weights == "entropy":
        sums = np.sum(dask.compute(*[d(_entropy_pass)(p, *common, sel, lo, hi, benefit, epsilon, None)
                                     for p in parts]), axis=0)
        plogp = np.sum(dask.compute(*[d(_entropy_pass)(p, *common, sel, lo, hi, benefit, epsilon, sums)
                                      for p in parts]), axis=0)
        ent = entropy_from_sums(plogp, n)
        w, source, extra = ent.weights, "entropy", {"entropy": ent.entropy, "divergence": ent.divergence}
    elif isinstance(weights, str):
        w, source = np.full(len(cols), 1.0 / len(cols)), "equal"
    else:
        w, notes = user_weights(weights, cols)
        source = "user"
        for note in notes:
            warnings.warn(note, UserWarning, stacklevel=2)

    plan: dict[str, Any] = {"w": w, "benefit": benefit, "lo": lo, "hi": hi, "method": method,
                            "raw": topsis_input == "raw"}
    ideal = anti = None
    if method == "topsis":
        if plan["raw"]:
            norm = np.sqrt(sumsq_all[sel])
            # x/norm·w rises with x (w >= 0), so the largest weighted value is that of the largest x: the same float
            vmax, vmin = (hi / norm) * w, (lo / norm) * w
            ideal, anti = np.where(benefit, vmax, vmin), np.where(benefit, vmin, vmax)
            plan["norm"] = norm
        else:  # the min-max values run from exactly 0 to exactly 1 in every criterion, all "benefit"
            ideal, anti = 1.0 * w, 0.0 * w
        plan["ideal"], plan["anti"] = ideal, anti
    # scores, each partition's sorted scores and the ranks in one graph: a worker fetches another's sorted
    # scores once; the client neither gathers nor sorts them, and only the ranked partitions stay on the cluster
    scored = [d(_score_pass)(p, *common, sel, plan) for p in parts]
    tops = [d(_sorted_kept)(b) for b in scored]
    (ranked,) = dask.persist([d(_with_rank)(b, tops) for b in scored])
    meta = _with_rank(_score_pass(frame[need]._meta, *[all_cols, crits, prepared, missing], sel, plan), [])
    result = dd.from_delayed(ranked, meta=meta, divisions=frame.divisions if frame.known_divisions else None,
                             verify_meta=False)
    out = dd.map_partitions(with_columns, frame, result, align_dataframes=False)

    table = criteria_table(crits, w, lo_all, hi_all, extra=extra, ideal=ideal, anti_ideal=anti)
    return GridRankingResult(frame=out, criteria=crits, weights=pd.Series(w, index=cols, name="weight"),
                             weight_source=source, method=method,
                             topsis_input=topsis_input if method == "topsis" else None, criteria_table=table,
                             n_ranked=n, n_excluded=total_cells - n, warnings=notes)
