"""Routable transport networks: the bundled YRD intercity network, OSM extracts, line layers; as-of-date filtering.

The package's parts, one job each:

* :mod:`.model` — :class:`Network` (nodes and edges in EPSG:4326, the sparse
  travel-time graph that :mod:`yrdgeo.accessibility` hands to
  :func:`scipy.sparse.csgraph.dijkstra`; :meth:`Network.from_graph` takes an
  osmnx graph in memory), :func:`as_of` (the network open on a date), :func:`to_layers`.
* :mod:`.yrd` — :func:`load_yrd_network`, the bundled intercity network:
  high-speed, intercity and conventional railways and the main expressways
  between the 41 city seats (and Songjiang, hub of the G60 corridor) with
  sourced opening dates (``data/network/lines.csv``), plus a *road proxy*
  linking neighbouring cities (``data/network/road_proxy.csv``), undated; a
  proxy pair joined directly by a dated expressway is replaced by it
  (:func:`road_proxy_superseded`). See ``data/network/PROVENANCE.md``.
* :mod:`.osm` — :func:`from_osm`, an OpenStreetMap extract on disk, XML
  and PBF through GDAL's OSM driver (osmnx as an option). Nothing is downloaded.
* :mod:`.shortest` — :func:`shortest_times`, the many-source Dijkstra engine
  (serial, or in worker processes over a shared-memory graph), and :mod:`.contract`
  — :func:`contract_chains`, degree-2 chains contracted with exact times restored.
* :mod:`.layout` — :func:`locality_order`, nodes sorted along a Hilbert curve so that a
  search's memory reads stay close (same times, less time).
* :mod:`.lines` — :func:`from_lines`, any road or rail line layer
  (GeoPackage, Shapefile or GeoDataFrame) with a speed or time attribute;
  noded at shared vertices (default), also at crossings, or only at line ends
  (:data:`NODING`), with an optional level field so a bridge does not join the road below.

Every name below is importable from ``yrdgeo.network`` as before the split.
Dates (``opened``, ``closed``, ``as_of``) follow :mod:`yrdgeo.dates`: a
partial date is the last day of its period.
"""

from __future__ import annotations

from .contract import Contraction, contract_chains, contractible_share
from .layout import locality_order
from .lines import NODING, from_lines
from .model import (COMPONENT_POLICIES, EDGE_COLUMNS, MODES, UNDATED_POLICIES, Network, as_of, opened_timestamp,
                    to_layers)
from .osm import OSM_ENGINES, OSM_HIGHWAY_SPEEDS, from_osm
from .shortest import shortest_times
from .yrd import (RAIL_SPEED_FACTOR, ROAD_SPEED_KMH, load_yrd_network, road_proxy_pairs, road_proxy_superseded,
                  yrd_lines)

__all__ = [
    "Contraction", "contract_chains", "contractible_share", "locality_order", "shortest_times",
    "COMPONENT_POLICIES", "EDGE_COLUMNS", "MODES", "NODING", "Network", "OSM_ENGINES", "OSM_HIGHWAY_SPEEDS", "RAIL_SPEED_FACTOR",
    "ROAD_SPEED_KMH", "UNDATED_POLICIES", "as_of", "from_lines", "from_osm", "load_yrd_network", "opened_timestamp", "road_proxy_pairs",
    "road_proxy_superseded", "to_layers", "yrd_lines",
]
