"""What the registry and the geometry of enclave pairs share: the registry's columns, its check and the roll-up."""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..checks import check_choice
from ..units import LEVELS, ancestor, by_code

KINDS = ("forward", "reverse", "cooperation_zone")
PAIR_COLUMNS = [
    "pair_id", "name_zh", "kind", "directed", "fly_out_adcode", "fly_out_zh", "fly_in_adcode", "fly_in_zh",
    "since", "sources", "note", "source", "membership",
]


def _require_pairs(pairs: pd.DataFrame, columns: Iterable[str] = PAIR_COLUMNS) -> None:
    """Refuse a frame without the registry's ``columns`` (default: all of them), naming those it lacks."""
    missing = set(columns) - set(pairs.columns)
    if missing:
        msg = f"pairs lack columns {sorted(missing)}; build them with enclave_pairs() or read_enclave_pairs()"
        raise ValueError(msg)


def _roll_up(code: str, level: str | None) -> str:
    """Return the unit at ``level`` that contains ``code`` (itself when it is at that level or above; None: as is)."""
    check_choice("level", level, LEVELS, allow_none=True)
    if level is None or LEVELS.index(by_code().at[code, "level"]) <= LEVELS.index(level):
        return code
    return ancestor(code, level)
