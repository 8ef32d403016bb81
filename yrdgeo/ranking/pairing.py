"""Pairing matrix: the same candidates ranked for many fly-out units at once.

:func:`pairing_matrix` adds the fly-out-dependent criteria for each fly-out
unit (geodesic ``distance_km``, network ``travel_min`` or any matrix given in
``pair_values``), excludes the unit's own units, and ranks with
:func:`yrdgeo.ranking.rank_candidates` — e.g. the six outward-looking cities
of 吴福象、张雯《长三角区域产城人融合发展路径研究》 (上海, 南京, 苏州, 杭州,
宁波, 合肥) against all other cities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from ..units import unit
from ._common import fly_out_codes, travel_times_row
from .candidates import PAIR_DISTANCE, PAIR_TRAVEL_TIME, add_distance_from, own_units, travel_time_matrix
from .mcda import STATUS_SUFFIX, Criterion, RankingResult, as_criteria, rank_candidates

__all__ = ["PairingResult", "pairing_matrix"]


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
        Fly-out units (names or adcodes), e.g. 上海, 南京, 苏州市, 杭州, 宁波, 合肥.
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
    crits = as_criteria(criteria)
    codes = fly_out_codes(origins, what="pairing matrix needs")
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
                    values, status = travel_times_row(table, code, cand_keys)
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
