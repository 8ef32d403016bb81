"""Enclave economy (飞地经济): the registry of enclave pairs, their geometry, gradients, network and benefit sharing.

A *fly-out* place (飞出地: short of land, high costs) builds a park in a
*fly-in* place (飞入地: land and labour available). Kinds recorded per pair:

* ``forward``: developed → less developed (Shanghai → Dafeng);
* ``reverse``: a less developed place sets up a park or incubator in a
  developed one (Wenzhou's science park in Jiading);
* ``cooperation_zone``: a cross-border cooperation zone between adjacent
  units of two provinces; undirected (its ends are ``side a``/``side b``,
  stored in the ``fly_out_*``/``fly_in_*`` columns with ``directed`` False).

*Two-way* (双向飞地) is not typed by hand: :func:`detect_two_way` flags a
directed pair when another pair runs the opposite way between the same two
places, compared at city level by default (Shanghai → Wenzhou and Wenzhou →
Shanghai's Jiading district make Shanghai ⇄ Wenzhou two-way).

The package's parts:

``registry``
    The pair tables: the bundled rows (``data/reference/enclave_pairs.csv``
    and ``border_cooperation_zones.csv``, each row naming its papers in a
    ``sources`` column, see :mod:`yrdgeo.sources`), a user's CSV/GeoPackage
    table (:func:`read_enclave_pairs`), their validation and
    :func:`enclave_pairs` / :func:`detect_two_way`. One row per link: an end
    that lists several units, like 虹桥—昆山—相城, becomes one row per unit pair.
``geometry``
    Ends as polygons, seat-to-seat desire lines with geodesic distance and
    travel time, attribute gradients across each pair, the partner graph, and
    :func:`analyze_enclaves` (all of them in one call). Travel time comes
    from outside (the network module, or any source) as a matrix of minutes
    (:func:`read_travel_time` is :func:`yrdgeo.od.read`) or a callable.
``finance``
    Revenue-sharing schedules between the two sides (:func:`revenue_schedule`,
    the preset :data:`SHANGHAI_DISTRICT_RULE`).
"""

from __future__ import annotations

import warnings

from ..od import read as read_travel_time
from .finance import PRESETS, SHANGHAI_DISTRICT_RULE, SharingSchedule, revenue_schedule
from .geometry import (
    EnclaveAnalysis,
    EnclaveNetwork,
    analyze_enclaves,
    desire_lines,
    enclave_ends,
    enclave_graph,
    end_units,
    pair_gradients,
)
from .registry import KINDS, detect_two_way, enclave_pairs, load_enclave_pairs, read_enclave_pairs

__all__ = [
    "KINDS", "PRESETS", "SHANGHAI_DISTRICT_RULE", "EnclaveAnalysis", "EnclaveNetwork", "SharingSchedule",
    "analyze_enclaves", "desire_lines", "detect_two_way", "enclave_ends", "end_units", "enclave_graph", "enclave_pairs",
    "load_enclave_pairs", "pair_gradients", "read_enclave_pairs", "read_travel_time", "revenue_schedule",
]

_RENAMED = {"SEED002_SHANGHAI_TOWN": "SHANGHAI_DISTRICT_RULE"}


def __getattr__(name: str):
    """Return a renamed constant under its former name, with a DeprecationWarning."""
    if name in _RENAMED:
        warnings.warn(f"yrdgeo.enclaves.{name} is now called {_RENAMED[name]}; the old name will be removed",
                      DeprecationWarning, stacklevel=2)
        return globals()[_RENAMED[name]]
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
