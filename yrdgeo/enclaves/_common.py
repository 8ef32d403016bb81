"""What the registry and the geometry of enclave pairs share: the registry's columns, its check and the roll-up."""

from __future__ import annotations

import pandas as pd

from ..units import by_code

KINDS = ("forward", "reverse", "cooperation_zone")
PAIR_COLUMNS = [
    "pair_id", "name_zh", "kind", "directed", "fly_out_adcode", "fly_out_zh", "fly_in_adcode", "fly_in_zh",
    "since", "sources", "note", "source",
]
_LEVEL_ORDER = {"county": 0, "city": 1, "province": 2}


def _require_pairs(pairs: pd.DataFrame) -> None:
    """Refuse a frame that is not in the registry schema, naming the columns it lacks."""
    missing = set(PAIR_COLUMNS) - set(pairs.columns)
    if missing:
        msg = f"pairs lack columns {sorted(missing)}; build them with enclave_pairs() or read_enclave_pairs()"
        raise ValueError(msg)


def _roll_up(code: str, level: str | None) -> str:
    """Return the unit at ``level`` that contains ``code`` (itself when it is at that level or above; None: as is)."""
    if level is None:
        return code
    if level not in _LEVEL_ORDER:
        msg = f"level must be 'county', 'city', 'province' or None, got {level!r}"
        raise ValueError(msg)
    t = by_code()
    c = code
    while _LEVEL_ORDER[t.loc[c, "level"]] < _LEVEL_ORDER[level] and t.loc[c, "parent_adcode"] is not None:
        c = t.loc[c, "parent_adcode"]
    if level == "province" and c == "310100":  # Shanghai is both a city and a province: one unit per level
        c = "310000"
    return c
