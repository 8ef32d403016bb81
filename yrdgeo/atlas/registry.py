"""The atlas's topic registry: what a topic is given (:class:`AtlasContext`), what it returns, and where it is listed.

A topic is a function ``func(ctx: AtlasContext) -> TopicResult`` registered
with the :func:`topic` decorator under a name; :data:`TOPICS` holds them all.
This module knows no topic: the built-in ones live in
:mod:`yrdgeo.atlas.topics`, yours in any module imported before the atlas runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import geopandas as gpd
import pandas as pd

from .. import maps
from ..choices import DEFAULT_SEED  # one default for the atlas, the CLI and autocorrelation (light to import)

__all__ = ["DEFAULT_SEED", "TOPICS", "AtlasContext", "Topic", "TopicMap", "TopicResult", "list_topics",
           "select_topics", "topic"]


@dataclass
class TopicMap:
    """One finished map of a topic.

    Attributes
    ----------
    key : str
        File stem under ``maps/`` (unique across the atlas).
    title : str
        Caption in the report.
    figure : yrdgeo.maps.MapFigure or callable
        The map, or a function that draws it when the atlas saves it (so that many maps are never all
        in memory). The atlas frees it once saved (it is None afterwards).
    data_year : str, int or None
        Year (or period, ``"2010–2024"``) of the data the map shows, for the report and
        ``record.json``. Draw the map with ``ctx.map(..., data_year=...)`` so its page note prints
        it; left None, it is taken from the figure (:attr:`yrdgeo.maps.MapFigure.data_year`), and
        a value that differs from the one the figure prints is refused when the atlas saves it.
    """

    key: str
    title: str
    figure: maps.MapFigure | Callable[[], maps.MapFigure] | None
    data_year: str | int | None = None

    def __post_init__(self) -> None:
        if self.data_year is None and isinstance(self.figure, maps.MapFigure):
            self.data_year = self.figure.data_year


@dataclass
class TopicResult:
    """What a topic hands back to the atlas.

    Attributes
    ----------
    layers : dict of str to GeoDataFrame
        Layers for the GeoPackage (names unique across the atlas; plain columns only).
    maps : list of TopicMap
        Finished maps, the first is the topic's main map.
    numbers : dict of str to object
        Key numbers for the report, label → value.
    table : pandas.DataFrame or None
        A small table for the report.
    params : dict
        Parameters the topic used (recorded in ``record.json``).
    sources : list of str
        Data sources of the topic (files, data sets), as text.
    notes : str
        A sentence or two for the report.
    html_layers : list of yrdgeo.maps.HtmlLayer
        Layers the topic offers to the interactive map.
    papers : list of str
        Keys of the papers its data come from (:func:`yrdgeo.sources.cite`), cited by authors and title
        in the report.
    """

    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    maps: list[TopicMap] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    table: pd.DataFrame | None = None
    params: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    notes: str = ""
    html_layers: list[maps.HtmlLayer] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Topic:
    """A registered atlas topic: ``name``, Chinese/English ``title``, ``description`` and the function.

    ``cost`` is its expected running time relative to the others (seconds on a quiet machine, or a
    function of the :class:`AtlasContext`): a parallel build starts the longest topics first.
    ``imports`` names modules the topic imports that take long to import (``"mapclassify"``, which
    loads scipy.stats): a parallel build gives the topics sharing one to the same worker where it
    balances, so that the module is imported once.
    """

    name: str
    title: str
    description: str
    func: Callable[[AtlasContext], TopicResult]
    order: int = 100
    default: bool = True
    cost: float | Callable[[AtlasContext], float] = 1.0
    imports: tuple[str, ...] = ()

    def expected_cost(self, ctx: AtlasContext) -> float:
        """Return the expected running time of the topic on ``ctx`` (``cost``, called if it is a function)."""
        return float(self.cost(ctx) if callable(self.cost) else self.cost)


TOPICS: dict[str, Topic] = {}


def topic(name: str, *, title: str, description: str, order: int = 100, default: bool = True,
          cost: float | Callable[[AtlasContext], float] = 1.0, imports: Sequence[str] = ()):
    """Return a decorator that registers ``func(ctx) -> TopicResult`` as atlas topic ``name``.

    ``default=False`` topics run only when asked for (e.g. ``attributes``, which needs a user table).
    ``cost`` is the topic's expected running time and ``imports`` the slow imports it shares with
    other topics (see :class:`Topic`), used only to balance a parallel build.
    """

    def deco(func: Callable[[AtlasContext], TopicResult]) -> Callable[[AtlasContext], TopicResult]:
        if name in TOPICS and TOPICS[name].func is not func:
            msg = f"atlas topic {name!r} is already registered"
            raise ValueError(msg)
        TOPICS[name] = Topic(name=name, title=title, description=description, func=func, order=order,
                             default=default, cost=cost, imports=tuple(imports))
        return func

    return deco


def _in_order() -> list[Topic]:
    return sorted(TOPICS.values(), key=lambda t: (t.order, t.name))


def list_topics() -> pd.DataFrame:
    """Return the registered topics (name, title, description, default) in atlas order."""
    rows = [dict(name=t.name, title=t.title, description=t.description, default=t.default) for t in _in_order()]
    return pd.DataFrame(rows, columns=["name", "title", "description", "default"])


def select_topics(names: Sequence[str] | None = None) -> list[str]:
    """Return the topic names to run, in atlas order: ``names`` checked, or every default topic when None.

    Each item of ``names`` may hold several comma-separated names; repeats count once.

    Raises
    ------
    ValueError
        When a name is not registered (naming the known topics), or ``names`` is empty.
    """
    if names is None:
        return [t.name for t in _in_order() if t.default]
    chosen = []
    for item in names:
        chosen += [s.strip() for s in str(item).split(",") if s.strip()]
    unknown = [n for n in chosen if n not in TOPICS]
    if unknown:
        msg = f"unknown atlas topic(s) {', '.join(map(repr, unknown))}; known topics: {', '.join(list_topics().name)}"
        raise ValueError(msg)
    if not chosen:
        msg = "no atlas topics given; known topics: " + ", ".join(list_topics().name)
        raise ValueError(msg)
    return sorted(dict.fromkeys(chosen), key=lambda n: (TOPICS[n].order, n))


@dataclass
class AtlasContext:
    """Inputs shared by all topics.

    Attributes
    ----------
    cities, counties, provinces : GeoDataFrame
        The unit tables (EPSG:4326), bundled or with the user's boundaries swapped in.
    attributes : pandas.DataFrame or None
        The user's attribute table after the input gate (``adcode`` first, indicator columns as
        numbers), when given.
    attributes_level : str or None
        Level of the units the attribute table describes.
    attribute_table : yrdgeo.inputs.Table or None
        The same table with its indicators, identifiers and the input gate's report.
    input_reports : list of yrdgeo.inputs.InputReport
        The input gate's report of every user input.
    page, dpi : str, int
        Page size of the maps and PNG resolution.
    seed : int
        Random seed for every random step (permutation tests and the like).
    source : str
        Boundary source note printed on the maps.
    approval_number : str or None
        Map approval number (审图号) printed in every map's page note (``--approval-number``).
    """

    cities: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    attributes: pd.DataFrame | None = None
    attributes_level: str | None = None
    attribute_table: Any = None
    input_reports: list = field(default_factory=list)
    page: str = "A4"
    dpi: int = 150
    seed: int = DEFAULT_SEED
    source: str = maps.DEFAULT_SOURCE
    approval_number: str | None = None

    def map(self, frame: gpd.GeoDataFrame, column: str | None = None, **kwargs: Any) -> maps.MapFigure:
        """Return :func:`yrdgeo.maps.plot_map` of ``frame`` with the atlas's page, provinces, labels, source, 审图号.

        Pass the map's ``data_year=`` (printed beside the map date), and any other
        :class:`yrdgeo.maps.MapStyle` option (``locator=True``, ``midpoint=1`` …).
        """
        kwargs.setdefault("approval_number", self.approval_number)
        kwargs.setdefault("page", self.page)
        kwargs.setdefault("provinces", self.provinces)
        kwargs.setdefault("labels", self.cities)
        kwargs.setdefault("source", self.source)
        return maps.plot_map(frame, column, **kwargs)
