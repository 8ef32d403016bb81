"""Explainable multi-criteria ranking of candidate fly-in sites (飞入地) for enclave parks.

A fly-out unit (飞出地: Shanghai, Suzhou, Hangzhou…) looks for a fly-in site
among candidate units (cities, counties or any polygons, e.g. a 1-km grid).
Each criterion is a numeric column, either joined from the user's own table
(construction-land share, labour cost, GDP per head…) or computed by yrdgeo
(:func:`add_distance_from`, :func:`add_distance_to_lines`,
:func:`yrdgeo.raster.zonal_stats`, :func:`add_travel_time_from` — travel
time over a :class:`yrdgeo.network.Network` with :mod:`yrdgeo.accessibility`). A :class:`Criterion` says whether more is better (``"benefit"``) or
worse (``"cost"``) and may carry thresholds that exclude candidates.

:func:`rank_candidates` then

1. excludes candidates named in ``exclude`` (e.g. the fly-out unit itself),
   those with missing values (``missing="exclude"``; the default
   ``"error"`` refuses NaN), and those outside a criterion's
   ``minimum``/``maximum`` — each with a reason;
2. weights the criteria: user-given, equal, or by the entropy-weight method
   (熵权法, seed 000) computed over the remaining candidates;
3. scores by weighted sum (Sᵢ = Σⱼwⱼx'ᵢⱼ on direction-aware min-max values) or
   by TOPSIS (closeness Cᵢ = D⁻/(D⁺+D⁻) on vector-normalised values, or on
   the min-max matrix for the "entropy-TOPSIS" variant), exactly as in
   BRIEF.md "Methods";
4. explains every score: per candidate and criterion the raw value, the
   normalised value and its contribution. For the weighted sum the
   contributions wⱼx'ᵢⱼ add up to the score. TOPSIS is not additive, but
   ½((vᵢⱼ−A⁻ⱼ)² − (vᵢⱼ−A⁺ⱼ)²)/(D⁺ᵢ+D⁻ᵢ)² adds up exactly to Cᵢ − ½: positive
   contributions pull a candidate towards the ideal, negative ones towards
   the anti-ideal.

Weights that do not sum to 1 are normalised with a warning (recorded in
``RankingResult.warnings``); negative weights, weights for unknown criteria
or missing weights are refused. A criterion whose values are all equal among
the remaining candidates is refused (it cannot discriminate and its min-max
normalisation is 0/0). Normalisation and entropy weights always refer to
the candidates that pass the constraints, so adding or removing candidates
changes them — compare scores only within one ranking.

:func:`pairing_matrix` ranks the same candidates for many fly-out units at
once (e.g. seed 000's six outward-looking cities against all other cities).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import _mcda
from .crs import DISTANCE_CRS, WGS84, geodesic_distance_km, representative_lonlat, require_crs
from .units import load_units, resolve, unit

__all__ = [
    "Criterion", "PAIR_DISTANCE", "PAIR_TRAVEL_TIME", "PairingResult", "RankingResult", "STATUS_SUFFIX",
    "add_distance_from", "add_distance_to_lines", "add_travel_time_from", "build_candidates", "join_table",
    "own_units", "pairing_matrix", "rank_candidates", "select_candidates", "travel_time_matrix",
]

METHODS = ("topsis", "weighted_sum")
PAIR_DISTANCE = "distance_km"
#: Criterion computed per fly-out unit by :func:`pairing_matrix` as network travel time in minutes.
PAIR_TRAVEL_TIME = "travel_min"
#: Suffix of the column that says why a computed criterion has no value (``travel_min_status``).
STATUS_SUFFIX = "_status"
#: Why a travel time is missing (the ``status`` codes of :mod:`yrdgeo.accessibility`).
STATUS_TEXT = {
    "unreachable": "no route on the network from the fly-out unit",
    "no_access": "no network node within max_access_km of the seat (of the candidate or the fly-out unit)",
    "beyond_cutoff": "beyond the travel-time search cut-off",
}
_RESULT_COLUMNS = ("score", "rank", "excluded", "exclusion_reason")


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
        if self.direction not in _mcda.DIRECTIONS:
            msg = f"criterion {self.column!r}: direction must be 'benefit' or 'cost', got {self.direction!r}"
            raise ValueError(msg)
        lo, hi = self.minimum, self.maximum
        for name, v in (("minimum", lo), ("maximum", hi)):
            if v is not None and not np.isfinite(float(v)):
                msg = f"criterion {self.column!r}: {name} must be a finite number, got {v!r}"
                raise ValueError(msg)
        if lo is not None and hi is not None and float(lo) > float(hi):
            msg = f"criterion {self.column!r}: minimum {lo} is above maximum {hi}"
            raise ValueError(msg)
        if self.filter_only and lo is None and hi is None:
            msg = f"criterion {self.column!r} is filter_only but has neither minimum nor maximum"
            raise ValueError(msg)


def _as_criteria(criteria: Sequence[Criterion] | Mapping[str, str | Criterion]) -> list[Criterion]:
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


# --------------------------------------------------------------------------- result


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

    frame: pd.DataFrame
    criteria: list[Criterion]
    weights: pd.Series
    weight_source: str
    method: str
    topsis_input: str | None
    criteria_table: pd.DataFrame
    key: str
    warnings: list[str] = field(default_factory=list)
    _gaps: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def scoring(self) -> list[Criterion]:
        """The criteria that enter the score (all but ``filter_only`` ones)."""
        return [c for c in self.criteria if not c.filter_only]

    @property
    def n_ranked(self) -> int:
        """Number of candidates that received a score."""
        return int((~self.frame["excluded"]).sum())

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
        out = pd.DataFrame(f[ids + ["rank", "score", "excluded", "exclusion_reason"] + per])
        order = np.lexsort((f["score"].to_numpy(float) * -1, f["excluded"].to_numpy()))
        return out.iloc[order].reset_index(drop=True)

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
            for name, gaps in self._gaps.items():
                part[name] = gaps[c.column].to_numpy()
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
        if weights == "entropy":
            ent = _mcda.entropy(xn, epsilon=epsilon)
            extra = {"entropy": ent.entropy, "divergence": ent.divergence}
            return ent.weights, "entropy", extra, notes
        if weights == "equal":
            return np.full(len(cols), 1.0 / len(cols)), "equal", extra, notes
        msg = f"weights must be 'entropy', 'equal' or a mapping {{criterion: weight}}, got {weights!r}"
        raise ValueError(msg)
    given = {str(k): v for k, v in dict(weights).items()}
    unknown = sorted(set(given) - set(cols))
    missing = [c for c in cols if c not in given]
    if unknown or missing:
        msg = f"weights must name exactly the criteria {cols}; unknown: {unknown}, missing: {missing}"
        raise ValueError(msg)
    try:
        w = np.array([float(given[c]) for c in cols])
    except (TypeError, ValueError) as exc:
        msg = f"weights must be numbers, got {given}"
        raise ValueError(msg) from exc
    if not np.isfinite(w).all():
        msg = f"weights must be finite numbers, got {given}"
        raise ValueError(msg)
    if (w < 0).any():
        neg = {c: given[c] for c, v in zip(cols, w) if v < 0}
        msg = f"weights must be >= 0; negative: {neg}. A criterion that should count against a candidate is a 'cost' criterion"
        raise ValueError(msg)
    total = w.sum()
    if total <= 0:
        msg = f"weights sum to {total}; at least one must be positive"
        raise ValueError(msg)
    if abs(total - 1.0) > 1e-6:
        note = f"weights summed to {total:g}, not 1; normalised to {dict(zip(cols, np.round(w / total, 6)))}"
        warnings.warn(note, UserWarning, stacklevel=3)
        notes.append(note)
    return w / total, "user", extra, notes


def _fmt(v: float) -> str:
    return f"{v:.6g}"


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
        ``"raw"``: TOPSIS vector-normalises the raw values (BRIEF form);
        ``"minmax"``: TOPSIS on the direction-aware min-max matrix of the
        entropy step (the "entropy-TOPSIS" variant). Ignored for the weighted sum.
    missing
        ``"error"`` (default): a NaN in any criterion raises, naming the
        candidates; ``"exclude"``: such candidates are excluded with reason
        ``"missing <column>"``. A NaN that a status column
        ``<column>_status`` explains (any value other than ``"ok"``, as
        written by :func:`add_travel_time_from`, e.g. ``"unreachable"``) is
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
    crits = _as_criteria(criteria)
    all_cols = [c.column for c in crits]
    scoring = [c for c in crits if not c.filter_only]
    cols = [c.column for c in scoring]
    if not scoring:
        msg = "every criterion is filter_only: at least one must enter the score"
        raise ValueError(msg)
    if method not in METHODS:
        msg = f"method must be one of {METHODS}, got {method!r}"
        raise ValueError(msg)
    if topsis_input not in ("raw", "minmax"):
        msg = f"topsis_input must be 'raw' or 'minmax', got {topsis_input!r}"
        raise ValueError(msg)
    if missing not in ("error", "exclude"):
        msg = f"missing must be 'error' or 'exclude', got {missing!r}"
        raise ValueError(msg)
    if epsilon < 0:
        msg = f"epsilon must be >= 0, got {epsilon}"
        raise ValueError(msg)
    clash = [c for c in list(_RESULT_COLUMNS) + [f"{p}_{c}" for c in cols for p in ("norm", "contrib")]
             if c in candidates.columns]
    if clash:
        msg = f"candidates already have result column(s) {clash}; rename or drop them before ranking"
        raise ValueError(msg)
    if len(candidates) == 0:
        msg = "no candidates to rank (empty table)"
        raise ValueError(msg)
    what = "ranking"
    x = _mcda.numeric_matrix(candidates, all_cols, what=what)
    ids = candidates[key].to_numpy() if key in candidates.columns else candidates.index.to_numpy()
    n = len(candidates)

    reasons: list[list[str]] = [[] for _ in range(n)]
    if exclude:
        pos = {k: i for i, k in enumerate(ids)}
        for k, why in exclude.items():
            if k in pos:
                reasons[pos[k]].append(str(why))
    nan = np.isnan(x)
    for j, c in enumerate(all_cols):
        status_col = f"{c}{STATUS_SUFFIX}"
        if status_col not in candidates.columns or not nan[:, j].any():
            continue
        status = candidates[status_col].astype("string").fillna("").to_numpy(dtype=object)
        explained = nan[:, j] & ~np.isin(status, ["ok", ""])
        for i in np.flatnonzero(explained):
            why = STATUS_TEXT.get(str(status[i]))
            reasons[i].append(f"{c} {status[i]}" + (f": {why}" if why else ""))
        nan[:, j] &= ~explained
    if nan.any():
        if missing == "error":
            rows = np.flatnonzero(nan.any(axis=1))
            sample = [(ids[i], [all_cols[j] for j in np.flatnonzero(nan[i])]) for i in rows[:10]]
            msg = (f"{what}: {rows.size} candidate(s) have missing (NaN) criterion values, e.g. {sample}; "
                   "fill them, or pass missing='exclude' to exclude those candidates with a reason")
            raise ValueError(msg)
        for j, c in enumerate(all_cols):
            for i in np.flatnonzero(nan[:, j]):
                reasons[i].append(f"missing {c}")
    for j, c in enumerate(crits):
        col = x[:, j]
        if c.minimum is not None:
            for i in np.flatnonzero(col < float(c.minimum)):
                reasons[i].append(f"{c.column} {_fmt(col[i])} < minimum {_fmt(float(c.minimum))}")
        if c.maximum is not None:
            for i in np.flatnonzero(col > float(c.maximum)):
                reasons[i].append(f"{c.column} {_fmt(col[i])} > maximum {_fmt(float(c.maximum))}")
    excluded = np.array([bool(r) for r in reasons], dtype=bool)
    keep = ~excluded
    x_all = x
    x = x[:, [all_cols.index(c) for c in cols]]
    xk = x[keep]
    if xk.shape[0] < 2:
        summary = pd.Series([r for rs in reasons for r in rs]).str.replace(r" [-\d.e+]+ ", " … ", regex=True)
        msg = (f"{what}: {int(keep.sum())} of {n} candidates remain after exclusions; at least 2 are needed. "
               f"Most common reasons: {summary.value_counts().head(5).to_dict()}")
        raise ValueError(msg)
    _mcda.require_varying(xk, cols, what=what, hint=" (or relax the thresholds that left only such candidates)"
                          if excluded.any() else "")

    benefit = np.array([c.direction == "benefit" for c in scoring])
    xn = _mcda.minmax(xk, benefit)
    w, source, extra, notes = _resolve_weights(weights, cols, xn, epsilon=epsilon)

    score = np.full(n, np.nan)
    norm = np.full((n, len(cols)), np.nan)
    contrib = np.full((n, len(cols)), np.nan)
    gaps: dict[str, pd.DataFrame] = {}
    ideal = anti = None
    if method == "weighted_sum":
        norm[keep] = xn
        contrib[keep] = xn * w
        score[keep] = (xn * w).sum(axis=1)
    else:
        raw = topsis_input == "raw"
        t = _mcda.topsis(xk if raw else xn, w, benefit if raw else np.ones(len(cols), bool), vector_normalise=raw)
        norm[keep] = t.normalised
        contrib[keep] = t.contribution
        score[keep] = t.closeness
        ideal, anti = t.ideal, t.anti_ideal
        index = candidates.index[keep]
        gaps = {"gap_ideal": pd.DataFrame(t.gap_ideal, index=index, columns=cols),
                "gap_anti_ideal": pd.DataFrame(t.gap_anti, index=index, columns=cols)}

    out = candidates.copy()
    out["score"] = score
    rank = pd.Series(score, index=out.index).rank(ascending=False, method="min")
    out["rank"] = rank.astype("Int64")
    out["excluded"] = excluded
    out["exclusion_reason"] = ["; ".join(r) for r in reasons]
    for j, c in enumerate(cols):
        out[f"norm_{c}"] = norm[:, j]
        out[f"contrib_{c}"] = contrib[:, j]

    table = pd.DataFrame({
        "label": [c.label or c.column for c in crits],
        "role": ["filter" if c.filter_only else "score" for c in crits],
        "direction": [None if c.filter_only else c.direction for c in crits],
        "minimum": [c.minimum for c in crits],
        "maximum": [c.maximum for c in crits],
        "weight": pd.Series(w, index=cols).reindex(all_cols).to_numpy(),
        "ranked_min": x_all[keep].min(axis=0),
        "ranked_max": x_all[keep].max(axis=0),
    }, index=pd.Index(all_cols, name="criterion"))
    for name, arr in extra.items():
        table[name] = pd.Series(arr, index=cols).reindex(all_cols).to_numpy()
    if ideal is not None:
        table["topsis_ideal"] = pd.Series(ideal, index=cols).reindex(all_cols).to_numpy()
        table["topsis_anti_ideal"] = pd.Series(anti, index=cols).reindex(all_cols).to_numpy()
    return RankingResult(
        frame=out, criteria=crits, weights=pd.Series(w, index=cols, name="weight"), weight_source=source,
        method=method, topsis_input=topsis_input if method == "topsis" else None, criteria_table=table,
        key=key, warnings=notes, _gaps=gaps,
    )


# --------------------------------------------------------------------------- candidates and computed criteria


def own_units(origin: str | int, candidates: pd.DataFrame, *, key: str = "adcode") -> pd.Series:
    """Return a boolean Series: candidates that are the origin, lie inside it, or contain it.

    Uses ``parent_adcode``/``province_adcode`` of the yrdgeo unit table, so a
    county of Shanghai is "own" for Shanghai, and Shanghai for Songjiang.
    """
    o = unit(origin)
    code = str(o.adcode)
    ancestors = {str(o.parent_adcode), str(o.province_adcode)} - {"None", "nan", code}
    k = candidates[key].astype(str)
    inside = pd.Series(False, index=candidates.index)
    for col in ("parent_adcode", "province_adcode"):
        if col in candidates.columns:
            inside |= candidates[col].astype(str) == code
    return (k == code) | inside | k.isin(ancestors)


def select_candidates(
    origin: str | int | None = None,
    *,
    level: str = "city",
    group: str | None = None,
    as_of: str | None = None,
    exclude_own: bool = True,
) -> gpd.GeoDataFrame:
    """Return candidate units of one level, optionally limited to a region group, without the origin's own units.

    Parameters
    ----------
    origin
        Fly-out unit (name or adcode); its own units (itself, its parts, its
        parents) are dropped when ``exclude_own`` is true.
    level
        ``"city"`` or ``"county"`` (or ``"province"``).
    group, as_of
        Limit to members of a region group (see :func:`yrdgeo.group_members`).
        Members of another level are matched through their parent, so a
        city-level group limits counties to those cities.
    """
    units = load_units(level)
    if group is not None:
        from .regions import group_members

        members = group_members(group, as_of=as_of)
        codes = set(members["adcode"].astype(str))
        mask = units["adcode"].isin(codes)
        if "parent_adcode" in units.columns:
            mask |= units["parent_adcode"].astype(str).isin(codes)
        units = units.loc[mask]
    if origin is not None and exclude_own:
        units = units.loc[~own_units(origin, units)]
    return units.reset_index(drop=True)


def _points_lonlat(frame: pd.DataFrame, *, what: str) -> tuple[np.ndarray, np.ndarray]:
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns):
        return frame["anchor_lon"].to_numpy(float), frame["anchor_lat"].to_numpy(float)
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{what} needs anchor_lon/anchor_lat columns or a GeoDataFrame with a CRS"
        raise ValueError(msg)
    require_crs(frame, what=what)
    # chosen in DISTANCE_CRS, so the point (and every distance from it) is the same whatever the frame's CRS
    return representative_lonlat(frame, what=what)


def add_distance_from(
    candidates: pd.DataFrame, origin: str | int | tuple[float, float], *, column: str = PAIR_DISTANCE
) -> pd.DataFrame:
    """Return a copy with the geodesic distance in km from the origin's seat to each candidate.

    Candidates are measured at their seat of government (``anchor_lon``/
    ``anchor_lat``) or, for other polygons such as grid cells, at a
    representative point inside each. ``origin`` is a unit (its seat) or a
    WGS84 ``(lon, lat)``.
    """
    lon, lat = _points_lonlat(candidates, what="distance from the fly-out unit")
    if isinstance(origin, tuple):
        olon, olat = float(origin[0]), float(origin[1])
    else:
        o = unit(origin)
        olon, olat = float(o.anchor_lon), float(o.anchor_lat)
    out = candidates.copy()
    out[column] = geodesic_distance_km(olon, olat, lon, lat)
    return out


def _travel_network(network: Any, as_of: Any, undated: str) -> Any:
    """Return the network to route on: the bundled YRD network or the user's, as open on ``as_of``."""
    from . import network as _net

    if network is None:
        return _net.load_yrd_network(as_of=as_of, undated=undated)
    if not isinstance(network, _net.Network):
        msg = f"network must be a yrdgeo.network.Network (or None for the bundled network), got {type(network).__name__}"
        raise ValueError(msg)
    if as_of is None and undated == "keep":
        return network
    return _net.as_of(network, as_of, undated=undated)


def _fly_out_codes(origins, *, what: str) -> list[str]:
    """Return the adcodes of the fly-out units; none or a repeated one is a ValueError."""
    codes = [resolve(o) for o in origins]
    if not codes:
        msg = f"{what} at least one fly-out unit"
        raise ValueError(msg)
    if len(set(codes)) != len(codes):
        msg = f"fly-out units repeat: {codes}"
        raise ValueError(msg)
    return codes


def travel_time_matrix(
    origins: Iterable[str | int],
    candidates: pd.DataFrame,
    *,
    network: Any = None,
    as_of: Any = None,
    undated: str = "keep",
    key: str = "adcode",
    max_access_km: float | None = None,
    access_speed_kmh: float | None = None,
    k_nearest: int | None = None,
) -> Any:
    """Return the travel times (minutes) from fly-out units to candidates, as a :class:`yrdgeo.accessibility.TravelTimes`.

    One bulk Dijkstra run (:func:`yrdgeo.accessibility.od_matrix`) from the
    seats of the fly-out units to every candidate's seat (or representative
    point, for grid cells). ``minutes`` (fly-out adcode × candidate key) feeds
    :func:`pairing_matrix` directly: ``pair_values={"travel_min": tt}``;
    unreachable pairs are NaN and listed with their reason in ``unreachable``.

    Parameters
    ----------
    origins
        Fly-out units (names or adcodes).
    candidates
        Candidate units or cells (anchors, or geometry with a CRS).
    network
        A :class:`yrdgeo.network.Network` (e.g. from
        :func:`yrdgeo.network.from_osm` or ``from_lines``); None (default)
        loads the bundled YRD intercity network
        (:func:`yrdgeo.network.load_yrd_network` — a city-level model:
        seat-to-seat links at *modelled* speeds, see docs/network.md).
    as_of
        Keep only links open on this date (e.g. ``"2010-08-01"``); None keeps all.
    undated
        Links without an opening date (the bundled road proxy): ``"keep"``
        (open at every date), ``"drop"`` or ``"error"`` (see :func:`yrdgeo.network.as_of`).
    key
        Candidate label column (falls back to the index when absent).
    max_access_km, access_speed_kmh, k_nearest
        Access model of :func:`yrdgeo.accessibility.od_matrix` (defaults there).
    """
    from . import accessibility as acc

    codes = _fly_out_codes(origins, what="travel times need")
    net = _travel_network(network, as_of, undated)
    rows = [unit(c) for c in codes]
    ckey = key if key in candidates.columns else None
    o = pd.DataFrame({"anchor_lon": [float(r.anchor_lon) for r in rows],
                      "anchor_lat": [float(r.anchor_lat) for r in rows]}, index=pd.Index(codes))
    if ckey is not None:
        o[ckey] = codes
    opts: dict[str, Any] = {"max_access_km": max_access_km}
    if access_speed_kmh is not None:
        opts["access_speed_kmh"] = access_speed_kmh
    if k_nearest is not None:
        opts["k_nearest"] = k_nearest
    with warnings.catch_warnings():
        # pyproj on a one-point GeoSeries (a single fly-out unit) under numpy >= 1.25; harmless
        warnings.filterwarnings("ignore", message="Conversion of an array with ndim > 0 to a scalar",
                                category=DeprecationWarning)
        return acc.od_matrix(net, o, candidates, key=ckey, **opts)


def _pair_column(tt: Any, code: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return one fly-out unit's row of a TravelTimes: minutes and status per candidate key."""
    minutes = tt.minutes.set_axis(tt.minutes.index.astype(str)).set_axis(tt.minutes.columns.astype(str), axis=1)
    if code not in minutes.index:
        msg = f"the travel times have no row for fly-out unit {code}"
        raise ValueError(msg)
    absent = [k for k in keys if k not in set(minutes.columns)]
    if absent:
        msg = (f"the travel times have no column for {len(absent)} candidate(s), e.g. {absent[:10]}; "
               "compute them for the same candidates (travel_time_matrix(origins, candidates))")
        raise ValueError(msg)
    row = minutes.loc[code].reindex(keys)
    u = tt.unreachable
    u = u.loc[u["origin"].astype(str) == code]
    why = pd.Series(u["reason"].to_numpy(), index=u["destination"].astype(str).to_numpy())
    status = why.reindex(keys).fillna("ok").to_numpy(dtype=object)
    status[row.isna().to_numpy() & (status == "ok")] = ""  # unexplained NaN: missing data, handled by missing=
    return row.to_numpy(float), status


def add_travel_time_from(
    candidates: pd.DataFrame,
    fly_out: str | int,
    *,
    network: Any = None,
    as_of: Any = None,
    undated: str = "keep",
    column: str = PAIR_TRAVEL_TIME,
    key: str = "adcode",
    max_access_km: float | None = None,
    access_speed_kmh: float | None = None,
    k_nearest: int | None = None,
) -> pd.DataFrame:
    """Return a copy with the network travel time in minutes from the fly-out unit and its status.

    Adds ``column`` (minutes; NaN when there is no time — never 0) and
    ``<column>_status`` (``ok``, ``unreachable``, ``no_access``,
    ``beyond_cutoff``). :func:`rank_candidates` excludes candidates whose
    status is not ``ok`` with that reason. Options as in :func:`travel_time_matrix`.
    """
    status_col = f"{column}{STATUS_SUFFIX}"
    clash = [c for c in (column, status_col) if c in candidates.columns]
    if clash:
        msg = f"candidates already have column(s) {clash}; rename them or choose another column="
        raise ValueError(msg)
    tt = travel_time_matrix([fly_out], candidates, network=network, as_of=as_of, undated=undated, key=key,
                            max_access_km=max_access_km, access_speed_kmh=access_speed_kmh, k_nearest=k_nearest)
    keys = (candidates[key] if key in candidates.columns else candidates.index.to_series()).astype(str).to_numpy()
    minutes, status = _pair_column(tt, resolve(fly_out), keys)
    out = candidates.copy()
    out[column] = minutes
    out[status_col] = status
    return out


def _line_geometry(lines: Any, lines_crs: Any) -> shapely.Geometry:
    if isinstance(lines, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geoms = lines.geometry if isinstance(lines, gpd.GeoDataFrame) else lines
        crs = require_crs(geoms, what="distance to lines")
        if lines_crs is not None:
            msg = f"lines carry their own CRS ({crs.to_string()}); do not pass lines_crs as well"
            raise ValueError(msg)
        geoms = geoms.to_crs(DISTANCE_CRS)
        arr = geoms.to_numpy()
    else:
        if lines_crs is None:
            msg = ("distance to lines: shapely geometries carry no CRS; pass lines_crs= (e.g. 'EPSG:4326' for "
                   "lon/lat) or give a GeoDataFrame/GeoSeries with its CRS set")
            raise ValueError(msg)
        arr = np.atleast_1d(np.asarray(lines, dtype=object))
        arr = gpd.GeoSeries(arr, crs=lines_crs).to_crs(DISTANCE_CRS).to_numpy()
    arr = arr[~shapely.is_missing(arr) & ~shapely.is_empty(arr)] if len(arr) else arr
    kinds = set(shapely.get_type_id(arr).tolist())
    if not len(arr) or not kinds <= {1, 2, 5}:  # LineString, LinearRing, MultiLineString
        msg = f"distance to lines needs (multi)line geometries, got {sorted(shapely.get_type_id(arr).tolist())[:5] or 'none'}"
        raise ValueError(msg)
    return shapely.union_all(arr)


def add_distance_to_lines(
    candidates: gpd.GeoDataFrame,
    lines: Any,
    *,
    column: str = "line_distance_km",
    lines_crs: Any = None,
    measure_from: str = "anchor",
) -> gpd.GeoDataFrame:
    """Return a copy with each candidate's distance in km to the nearest of the given lines.

    Works with any line geometry, e.g. a corridor centreline from
    ``yrdgeo.corridors``, a road or rail layer, or a hand-drawn line.

    Parameters
    ----------
    candidates
        GeoDataFrame with a CRS (units or grid cells).
    lines
        GeoDataFrame/GeoSeries of (multi)lines with a CRS, or shapely line(s)
        together with ``lines_crs``.
    column
        Name of the new column.
    lines_crs
        CRS of shapely ``lines`` (refused when ``lines`` carry their own).
    measure_from
        ``"anchor"`` (default): from the seat of government (or a
        representative point for polygons without seats); ``"geometry"``:
        from the polygon itself (0 where the line crosses it).

    Notes
    -----
    Both sides are projected to :data:`yrdgeo.crs.DISTANCE_CRS` (EPSG:4549,
    CGCS2000 Gauss-Krüger 120°E, metres). Its scale error across the YRD is
    below about 0.4%, far below what a site ranking can resolve.
    """
    require_crs(candidates, what="distance to lines")
    line = _line_geometry(lines, lines_crs)
    if measure_from == "anchor":
        lon, lat = _points_lonlat(candidates, what="distance to lines")
        geoms = gpd.GeoSeries(shapely.points(lon, lat), crs=WGS84).to_crs(DISTANCE_CRS).to_numpy()
    elif measure_from == "geometry":
        geoms = candidates.geometry.to_crs(DISTANCE_CRS).to_numpy()
    else:
        msg = f"measure_from must be 'anchor' or 'geometry', got {measure_from!r}"
        raise ValueError(msg)
    shapely.prepare(line)
    out = candidates.copy()
    out[column] = shapely.distance(geoms, line) / 1000.0
    return out


def join_table(
    candidates: pd.DataFrame, table: pd.DataFrame, *, on: str = "adcode", columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Return a copy of the candidates with indicator columns of the user's table joined by unit key.

    Parameters
    ----------
    candidates
        yrdgeo unit frame (with ``adcode``).
    table
        The user's attribute table, one row per unit (DataFrame or a CSV/xlsx/vector path). It
        passes the input gate (:func:`yrdgeo.inputs.read_table`): codes read exactly, names in
        ``on`` resolved (ambiguous names are refused, naming the row), yearbook numbers parsed
        with every changed cell reported, identifier columns never joined as criteria.
    on
        Key column in ``table`` (codes or names); matched to ``adcode`` of the candidates.
    columns
        Columns to join (default: every indicator column). Units missing from the table get NaN.
    """
    from .inputs import join_table as _join, read_table

    t = read_table(table, key=on, columns=columns, level="mixed")
    return _join(candidates, t, columns=columns)


def build_candidates(
    *,
    level: str = "city",
    group: str | None = None,
    as_of: str | None = None,
    table: pd.DataFrame | None = None,
    on: str = "adcode",
    raster: str | None = None,
    raster_stats: Sequence[str] = (),
    raster_prefix: str = "dem_",
    raster_crs: Any = None,
    reproject: bool = False,
    lines: Any = None,
    lines_crs: Any = None,
    line_column: str = "line_distance_km",
) -> gpd.GeoDataFrame:
    """Return candidate units with the fly-out-independent criteria attached: user table, raster stats, line distance.

    The one place where the CLI and the QGIS algorithms assemble candidates;
    the fly-out-dependent distance is added by :func:`pairing_matrix`.

    Parameters
    ----------
    level, group, as_of
        Units of one level, optionally members of a region group (see :func:`select_candidates`).
    table, on
        The user's attribute table joined by :func:`join_table`.
    raster, raster_stats, raster_prefix, raster_crs, reproject
        Zonal statistics (:func:`yrdgeo.raster.zonal_stats`) as ``<prefix><stat>``
        columns; ``raster="dem"`` uses the bundled 0.2° DEM sample.
    lines, lines_crs, line_column
        Distance to lines (:func:`add_distance_to_lines`), e.g. a corridor centreline.
    """
    cand = select_candidates(None, level=level, group=group, as_of=as_of)
    if table is not None:
        cand = join_table(cand, table, on=on)
    if raster is not None:
        from .raster import dem_path, zonal_stats

        path = dem_path() if raster == "dem" else raster
        stats = tuple(raster_stats) or ("mean",)
        cand = zonal_stats(cand, path, stats=stats, prefix=raster_prefix, raster_crs=raster_crs,
                           reproject=reproject).frame
    if lines is not None:
        cand = add_distance_to_lines(cand, lines, column=line_column, lines_crs=lines_crs)
    return cand


# --------------------------------------------------------------------------- pairing matrix


@dataclass
class PairingResult:
    """Rankings of one candidate set for many fly-out units.

    Attributes
    ----------
    scores
        DataFrame fly-out × candidate (keys) of scores; NaN where excluded.
    ranks
        Same shape, ranks within each fly-out unit's ranking (1 = best).
    weights
        DataFrame fly-out × criterion of the weights used (entropy weights differ per fly-out unit).
    results
        {fly-out adcode: RankingResult}.
    best
        One row per fly-out unit: its best candidate, name and score.
    """

    scores: pd.DataFrame
    ranks: pd.DataFrame
    weights: pd.DataFrame
    results: dict[str, RankingResult]
    best: pd.DataFrame

    def long(self) -> pd.DataFrame:
        """Return one row per (fly-out, candidate): score, rank, excluded, reason."""
        parts = []
        for origin, res in self.results.items():
            f = res.frame
            ids = [c for c in (res.key, "name_zh") if c in f.columns]
            part = pd.DataFrame(f[ids + ["score", "rank", "excluded", "exclusion_reason"]])
            part.insert(0, "fly_out", origin)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)


def pairing_matrix(
    origins: Iterable[str | int],
    candidates: pd.DataFrame,
    criteria: Sequence[Criterion] | Mapping[str, str | Criterion],
    *,
    pair_values: Mapping[str, Any] | None = None,
    exclude_own: bool = True,
    key: str = "adcode",
    network: Any = None,
    travel_time_as_of: Any = None,
    undated: str = "keep",
    max_access_km: float | None = None,
    access_speed_kmh: float | None = None,
    k_nearest: int | None = None,
    **options: Any,
) -> PairingResult:
    """Return the rankings of the same candidates for each of several fly-out units.

    Parameters
    ----------
    origins
        Fly-out units (names or adcodes), e.g. seed 000's 上海, 南京, 苏州, 杭州, 宁波, 合肥.
    candidates
        Candidate units with the origin-independent criteria as columns.
    criteria
        As for :func:`rank_candidates`. A criterion may name a column of
        ``candidates`` or a key of ``pair_values``. A criterion named
        ``"distance_km"`` (:data:`PAIR_DISTANCE`) that is in neither is computed
        as the geodesic seat-to-seat distance from each fly-out unit; one called
        ``"travel_min"`` (:data:`PAIR_TRAVEL_TIME`) as the network travel time
        in minutes (:func:`travel_time_matrix`, one run for all fly-out units,
        over ``network`` as open on ``travel_time_as_of``).
    pair_values
        ``{column: DataFrame}`` of origin-dependent values, indexed by fly-out
        adcode, columns candidate keys (e.g. a travel-time matrix), or
        ``{column: TravelTimes}`` straight from :func:`travel_time_matrix` /
        :func:`yrdgeo.accessibility.od_matrix`: its unreachable pairs are then
        excluded with their reason (``travel_min unreachable: …``), never scored as 0.
    exclude_own
        Exclude each fly-out unit's own units (itself, parts, parents) with a reason.
    network, travel_time_as_of, undated, max_access_km, access_speed_kmh, k_nearest
        For a computed ``travel_min``: the network (None = the bundled YRD
        network, whose speeds are modelled), the date its links must be open
        on, the policy for undated links, the access limit, and the access leg's
        speed and number of nodes (see :func:`travel_time_matrix`). Unused otherwise.
    options
        Passed to :func:`rank_candidates` (weights, method, missing, …).
    """
    crits = _as_criteria(criteria)
    codes = _fly_out_codes(origins, what="pairing matrix needs")
    pair_values = dict(pair_values or {})
    needs_time = [c.column for c in crits if c.column == PAIR_TRAVEL_TIME
                  and c.column not in candidates.columns and c.column not in pair_values]
    if needs_time:
        pair_values[PAIR_TRAVEL_TIME] = travel_time_matrix(
            codes, candidates, network=network, as_of=travel_time_as_of, undated=undated, key=key,
            max_access_km=max_access_km, access_speed_kmh=access_speed_kmh, k_nearest=k_nearest)
    cand_keys = (candidates[key] if key in candidates.columns else candidates.index.to_series()).astype(str).to_numpy()
    results: dict[str, RankingResult] = {}
    for code in codes:
        cand = candidates
        for c in crits:
            if c.column in candidates.columns:
                continue
            if c.column in pair_values:
                table = pair_values[c.column]
                cand = cand.copy() if cand is candidates else cand
                if hasattr(table, "minutes") and hasattr(table, "unreachable"):  # accessibility.TravelTimes
                    values, status = _pair_column(table, code, cand_keys)
                    cand[c.column] = values
                    cand[f"{c.column}{STATUS_SUFFIX}"] = status
                    continue
                if code not in table.index.astype(str):
                    msg = f"pair_values[{c.column!r}] has no row for fly-out unit {code}"
                    raise ValueError(msg)
                row = table.set_axis(table.index.astype(str)).loc[code]
                row.index = row.index.astype(str)
                cand[c.column] = row.reindex(cand_keys).to_numpy(float)
            elif c.column == PAIR_DISTANCE:
                cand = add_distance_from(cand, code, column=PAIR_DISTANCE)
            else:
                msg = f"criterion {c.column!r} is neither a candidate column nor a pair_values key"
                raise ValueError(msg)
        excl: dict[Any, str] = {}
        if exclude_own and key == "adcode":
            mask = own_units(code, cand, key=key)
            name = unit(code).name_zh
            excl = {k: ("the fly-out unit itself" if str(k) == code else f"own unit of the fly-out unit {name}")
                    for k in cand.loc[mask, key]}
        results[code] = rank_candidates(cand, crits, key=key, exclude=excl, **options)
    keys = candidates[key].astype(str).to_numpy() if key in candidates.columns else candidates.index.astype(str)
    scores = pd.DataFrame({o: r.frame["score"].to_numpy() for o, r in results.items()}, index=keys).T
    ranks = pd.DataFrame({o: r.frame["rank"].to_numpy() for o, r in results.items()}, index=keys).T.astype("Int64")
    weights = pd.DataFrame({o: r.weights for o, r in results.items()}).T
    best_rows = []
    for o, r in results.items():
        f = r.frame
        top = f.loc[f["rank"] == 1].iloc[0]
        best_rows.append({"fly_out": o, "fly_out_name": unit(o).name_zh, "best": top.get(key, top.name),
                          "best_name": top.get("name_zh", ""), "score": float(top["score"])})
    scores.index.name = ranks.index.name = weights.index.name = "fly_out"
    return PairingResult(scores=scores, ranks=ranks, weights=weights, results=results, best=pd.DataFrame(best_rows))
