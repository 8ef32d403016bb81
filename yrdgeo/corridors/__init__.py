"""Corridors: ordered chains of units with a hub and wings, their centrelines, bands and chainage.

A corridor (走廊, 产业带) is a hub unit plus one or more *wings*, each an
ordered chain of units running out from the hub along transport lines. The
G60 science-and-technology corridor has the shape of the character 人: hub
Songjiang district, a south wing Jiaxing → Hangzhou → Jinhua and a north wing
Suzhou → Huzhou → Xuancheng → Wuhu → Hefei. Members may mix levels (a
district hub with whole cities).

The package shows its parts in its modules:

* :mod:`~yrdgeo.corridors.model` — :class:`Corridor`, :func:`define_corridor`
  and the validation every corridor passes (:func:`~yrdgeo.corridors.model.from_members`);
* :mod:`~yrdgeo.corridors.catalogue` — the bundled corridors
  (:func:`list_corridors`, :func:`load_corridor`) and a planner's corridor
  file (:func:`read_corridor`);
* :mod:`~yrdgeo.corridors.geometry` — centrelines, bands, chainage
  (:func:`locate`) and :func:`units_near` (the conventions are in its docstring);
* :mod:`~yrdgeo.corridors.summaries` — :func:`summarize_wings` and :func:`wing_polygons`;
* :mod:`~yrdgeo.corridors.analysis` — :func:`analyze_corridor`, the one call
  the command line and the QGIS algorithms make, and the layers it writes.

Every output layer is a new GeoDataFrame in EPSG:4326; inputs are never
modified. Dates (versions, ``as_of``) follow :mod:`yrdgeo.dates`: a partial
date is the last day of its period.
"""

from .analysis import CorridorAnalysis, analyze_corridor, combine_layers, corridor_layers
from .catalogue import list_corridors, load_corridor, read_corridor
from .geometry import centrelines, corridor_band, corridor_members, locate, units_near
from .model import HUB, Corridor, define_corridor, resolve_member
from .summaries import AGGREGATIONS, summarize_wings, wing_polygons

__all__ = [
    "AGGREGATIONS", "HUB", "Corridor", "CorridorAnalysis", "analyze_corridor", "centrelines", "combine_layers",
    "corridor_band", "corridor_layers", "corridor_members", "define_corridor", "list_corridors", "load_corridor",
    "locate", "read_corridor", "resolve_member", "summarize_wings", "units_near", "wing_polygons",
]
