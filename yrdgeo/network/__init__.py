"""Routable transport networks (being split into parts; for now everything lives in :mod:`.model`)."""

from .model import *  # noqa: F403
from .model import EDGE_COLUMNS, UNDATED_POLICIES, __all__  # noqa: F401
