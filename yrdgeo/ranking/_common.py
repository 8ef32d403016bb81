"""Helpers shared by :mod:`.candidates` and :mod:`.pairing` (private to the ranking package)."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

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
