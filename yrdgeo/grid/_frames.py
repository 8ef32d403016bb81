"""Private helpers shared by the modules of :mod:`yrdgeo.grid` (not imported from outside the package)."""

from __future__ import annotations

from typing import Any, Iterable


def require_columns(frame: Any, columns: Iterable[str], *, what: str = "the cell frame") -> None:
    """Raise KeyError naming the ``columns`` that ``frame`` (pandas or dask) lacks, and the columns it has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = (f"{what} has no column {', '.join(map(repr, missing))}; "
               f"columns: {', '.join(map(str, frame.columns))}")
        raise KeyError(msg)
