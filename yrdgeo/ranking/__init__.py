"""Explainable multi-criteria ranking of candidate fly-in sites (飞入地) for enclave parks.

A fly-out unit (飞出地: Shanghai, Suzhou, Hangzhou…) looks for a fly-in site
among candidate units (cities, counties or any polygons, e.g. a 1-km grid),
ranked by criteria it chooses. The package has three parts:

* :mod:`.candidates` — assembling the candidates and their criteria: the
  user's table (:func:`join_table`), distances (:func:`add_distance_from`,
  :func:`add_distance_to_lines`), network travel time
  (:func:`add_travel_time_from`, :func:`travel_time_matrix`), raster
  statistics and region-group membership (:func:`build_candidates`,
  :func:`select_candidates`);
* :mod:`.mcda` — the multi-criteria decision analysis: :class:`Criterion`,
  weights (entropy, equal or the user's), weighted sum and TOPSIS, and the
  explanation of every score (:func:`rank_candidates`,
  :class:`RankingResult`); its array formulas are shared with
  :mod:`yrdgeo.indicators`;
* :mod:`.pairing` — the same candidates ranked for many fly-out units
  (:func:`pairing_matrix`).

Every name below is importable from ``yrdgeo.ranking`` as before the split
into a package.
"""

from __future__ import annotations

from .candidates import (
    PAIR_DISTANCE,
    PAIR_TRAVEL_TIME,
    add_distance_from,
    add_distance_to_lines,
    add_travel_time_from,
    build_candidates,
    join_table,
    own_units,
    select_candidates,
    travel_time_matrix,
)
from .mcda import (
    METHODS,
    MISSING_POLICIES,
    STATUS_SUFFIX,
    STATUS_TEXT,
    TOPSIS_INPUTS,
    WEIGHT_METHODS,
    Criterion,
    RankingResult,
    rank_candidates,
)
from .pairing import PairingResult, pairing_matrix

__all__ = [
    "Criterion", "METHODS", "MISSING_POLICIES", "PAIR_DISTANCE", "PAIR_TRAVEL_TIME", "PairingResult",
    "RankingResult", "STATUS_SUFFIX", "STATUS_TEXT", "TOPSIS_INPUTS", "WEIGHT_METHODS", "add_distance_from",
    "add_distance_to_lines", "add_travel_time_from", "build_candidates", "join_table", "own_units",
    "pairing_matrix", "rank_candidates", "select_candidates", "travel_time_matrix",
]
