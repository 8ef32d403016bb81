"""The YRD atlas: every analysis on the bundled data as one GeoPackage, finished maps, a report and a run record.

:func:`build_atlas` runs a list of *topics* and writes, into one folder::

    yrd_atlas.gpkg    every layer of every topic
    maps/<topic>.png  one finished map per topic (plus more for topics with several), and .pdf
    map.html          an interactive map of the main layers (opens offline)
    report.md         the maps with their key numbers, data sources and parameters (and report.html)
    record.json       inputs (with SHA-256), parameters, package versions, random seeds, outputs

Everything is built in a temporary folder beside the target and moved into
place only when complete, so a failure leaves nothing half-written. An
existing non-empty folder is refused unless ``overwrite=True``. Topics run in
worker processes, one per core (``jobs=``, ``--jobs``), the longest first; the
atlas is the same, byte for byte, as when they run one after the other.

Topics are small functions registered with :func:`topic`; each takes an
:class:`AtlasContext` and returns a :class:`TopicResult` (layers, maps, key
numbers, parameters, sources). New analyses plug in by registering one more
function (in :mod:`yrdgeo.atlas.topics` or any module imported before the atlas runs).

The package's parts, each importing only those above it:

- :mod:`~yrdgeo.atlas.registry`: the topic API (:func:`topic`, :data:`TOPICS`, :class:`AtlasContext`,
  :class:`TopicResult`, :class:`TopicMap`); knows no topic.
- :mod:`~yrdgeo.atlas.report`: report.md/report.html and record.json (:class:`~yrdgeo.atlas.report.AtlasRun`).
- :mod:`~yrdgeo.atlas.topics`: the built-in topics (units, groups, metro, G60, enclaves, autocorrelation,
  access, ranking, attributes).
- :mod:`~yrdgeo.atlas.build`: :func:`build_atlas`, which loads the topics, runs them and writes the folder.
"""

from .build import AtlasResult, build_atlas
from .registry import (DEFAULT_SEED, TOPICS, AtlasContext, Topic, TopicMap, TopicResult, list_topics,
                       select_topics, topic)
from .report import REFERENCE_SOURCE

__all__ = ["DEFAULT_SEED", "REFERENCE_SOURCE", "TOPICS", "AtlasContext", "AtlasResult", "Topic", "TopicMap",
           "TopicResult", "build_atlas", "list_topics", "select_topics", "topic"]
