"""Corridors: ordered chains of units with a hub and wings (being split into modules; see model.py)."""

from .model import *  # noqa: F401,F403
from .model import __all__, _attribute_table, _present  # noqa: F401  (enclaves.py imports these until it switches)
