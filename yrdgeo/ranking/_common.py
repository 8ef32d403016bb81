"""Helpers shared by :mod:`.candidates` and :mod:`.pairing` (private to the ranking package)."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .. import od
from ..units import resolve


def fly_out_codes(origins: Iterable[str | int], *, what: str) -> list[str]:
    """Return the adcodes of the fly-out units; none or a repeated one is a ValueError."""
    codes = [resolve(o) for o in origins]
    if not codes:
        msg = f"{what} at least one fly-out unit"
        raise ValueError(msg)
    if len(set(codes)) != len(codes):
        msg = f"fly-out units repeat: {codes}"
        raise ValueError(msg)
    return codes


def travel_times_row(tt: Any, code: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return one fly-out unit's row of a TravelTimes: minutes and status per candidate key.

    The row is read in the OD table format (:func:`yrdgeo.od.to_long`): ``status`` is ``ok`` or the
    reason the TravelTimes gives for a missing time; a missing time it does not explain gets ``""``
    (missing data, left to ``missing=`` of :func:`yrdgeo.ranking.rank_candidates`).
    """
    minutes = tt.minutes.set_axis(tt.minutes.index.astype(str)).set_axis(tt.minutes.columns.astype(str), axis=1)
    if code not in minutes.index:
        msg = f"the travel times have no row for fly-out unit {code}"
        raise ValueError(msg)
    absent = [k for k in keys if k not in set(minutes.columns)]
    if absent:
        msg = (f"the travel times have no column for {len(absent)} candidate(s), e.g. {absent[:10]}; "
               "compute them for the same candidates (travel_time_matrix(origins, candidates))")
        raise ValueError(msg)
    reasons = tt.unreachable.astype({"origin": str, "destination": str})
    reasons = reasons.loc[reasons["origin"] == code]
    pairs = od.to_long(minutes.loc[[code]], unreachable=reasons, key="key").set_index("to_key").reindex(keys)
    status = pairs["status"].to_numpy(dtype=object)
    status[pairs["minutes"].isna().to_numpy() & ~np.isin(keys, reasons["destination"].to_numpy())] = ""
    return pairs["minutes"].to_numpy(float), status
