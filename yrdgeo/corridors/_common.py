"""What the corridor model and its geometry share: whether one unit lies inside another."""

from __future__ import annotations

from ..units import LEVELS, ancestor, by_code


def _lies_inside(code: str, outer: str) -> bool:
    """Return True when unit ``code`` lies inside unit ``outer`` (a county in its city or province, a city in its province)."""
    level = by_code().level
    return LEVELS.index(level[code]) > LEVELS.index(level[outer]) and ancestor(code, level[outer]) == outer
