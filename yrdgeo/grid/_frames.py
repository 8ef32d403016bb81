"""Private helpers shared by the modules of :mod:`yrdgeo.grid` (not imported from outside the package)."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import pandas as pd


def require_columns(frame: Any, columns: Iterable[str], *, what: str = "the cell frame") -> None:
    """Raise KeyError naming the ``columns`` that ``frame`` (pandas or dask) lacks, and the columns it has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = (f"{what} has no column {', '.join(map(repr, missing))}; "
               f"columns: {', '.join(map(str, frame.columns))}")
        raise KeyError(msg)


def with_columns(part: pd.DataFrame, other: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return ``part`` with ``columns`` of ``other`` (all by default; the same cells, in the same order) added.

    A task of the workers (a partition joined to a step's result): it lives here, in a module that imports
    pandas only, so a worker unpickling it does not import the module of the step that built the graph.
    """
    other = other if columns is None else other[list(columns)]
    return pd.concat([part, other.set_axis(part.index)], axis=1)
