"""``Network.from_graph``: an osmnx graph in memory gives the network ``from_osm(..., engine="osmnx")`` reads from its file."""

from __future__ import annotations

import networkx as nx
import numpy as np
import osmnx as ox
import pandas as pd
import pytest
from test_network import OSM_XML, OSM_XML_RICH, _osm_edge_table  # the OSM extracts the from_osm tests read

from yrdgeo import network as N


@pytest.fixture(params=["plain", "rich"])
def osm_xml(request, tmp_path):
    path = tmp_path / f"{request.param}.osm"
    path.write_text(OSM_XML if request.param == "plain" else OSM_XML_RICH, encoding="utf-8")
    return path


def _same_network(a: N.Network, b: N.Network) -> None:
    """Assert the same nodes and edges, row for row (the edges' ``source`` says where each came from)."""
    assert a.n_nodes == b.n_nodes and len(a.edges) == len(b.edges)
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    pd.testing.assert_frame_equal(a.edges.drop(columns="source"), b.edges.drop(columns="source"))


@pytest.mark.parametrize("simplify", [True, False], ids=["simplified", "unsimplified"])
@pytest.mark.parametrize("components", ["largest", "keep"])
def test_from_graph_equals_from_osm_with_osmnx(osm_xml, simplify, components):
    expected = N.from_osm(osm_xml, engine="osmnx", components=components)
    # retain_all=True keeps every piece, as from_osm reads them; components= then decides, as there
    graph = ox.graph_from_xml(osm_xml, simplify=simplify, retain_all=True)
    edges_before = list(graph.edges(keys=True, data=True))
    net = N.Network.from_graph(graph, components=components)
    _same_network(net, expected)
    assert list(graph.edges(keys=True, data=True)) == edges_before  # the caller's graph is not modified
    assert net.name == "osmnx graph" and set(net.edges.source) == {"OpenStreetMap via the osmnx graph 'osmnx graph' (ODbL)"}


def test_from_graph_of_osmnx_defaults_and_of_a_projected_graph(osm_xml):
    expected = N.from_osm(osm_xml, engine="osmnx")
    graph = ox.graph_from_xml(osm_xml)  # osmnx's defaults: simplified, largest piece only
    _same_network(N.Network.from_graph(graph, name=osm_xml.name), expected)
    # projected (metres): the same edges, lengths and times; node coordinates back in EPSG:4326
    projected = N.Network.from_graph(ox.project_graph(graph))
    ta, tb = _osm_edge_table(expected), _osm_edge_table(projected)
    assert projected.n_nodes == expected.n_nodes and len(ta) == len(tb)
    assert list(ta.highway) == list(tb.highway) and list(ta.speed_kmh) == list(tb.speed_kmh)
    np.testing.assert_array_equal(ta.sort_values("length_km").length_km, tb.sort_values("length_km").length_km)
    np.testing.assert_allclose(projected.nodes.geometry.get_coordinates(), expected.nodes.geometry.get_coordinates(),
                               atol=1e-9)


def test_from_graph_unsimplified_kept_as_is(tmp_path):
    path = tmp_path / "rich.osm"
    path.write_text(OSM_XML_RICH, encoding="utf-8")
    simplified = N.Network.from_graph(ox.graph_from_xml(path))
    every_node = N.Network.from_graph(ox.graph_from_xml(path, simplify=False), simplify=False)
    assert every_node.n_nodes > simplified.n_nodes  # nodes 4, 7 and 8 stay
    assert every_node.edges.length_km.sum() == pytest.approx(simplified.edges.length_km.sum(), rel=1e-12)


def test_from_graph_speeds_as_from_osm(tmp_path):
    path = tmp_path / "rich.osm"
    path.write_text(OSM_XML_RICH, encoding="utf-8")
    speeds = {"residential": 25.0, "secondary": 45.0}
    _same_network(N.Network.from_graph(ox.graph_from_xml(path), highway_speeds=speeds, fallback_speed_kmh=15),
                  N.from_osm(path, engine="osmnx", highway_speeds=speeds, fallback_speed_kmh=15))


def test_from_graph_refuses_what_is_not_an_osmnx_graph(tmp_path):
    with pytest.raises(TypeError, match=r"expected an osmnx graph \(a networkx.MultiDiGraph.*got builtins.list"):
        N.Network.from_graph([(1, 2)])
    with pytest.raises(TypeError, match="got networkx.classes.digraph.DiGraph"):
        N.Network.from_graph(nx.DiGraph([(1, 2)]))
    plain = nx.MultiDiGraph()
    plain.add_edge(1, 2, length=10.0, highway="primary")
    with pytest.raises(ValueError, match=r"the graph has no CRS \(graph.graph\['crs'\] is missing\)"):
        N.Network.from_graph(plain)
    plain.graph["crs"] = "EPSG:4326"
    with pytest.raises(ValueError, match=r"2 node\(s\) of the graph lack the x/y coordinates"):
        N.Network.from_graph(plain)
    plain.add_nodes_from([(1, {"x": 121.22, "y": 31.03}), (2, {"x": 121.23, "y": 31.03})])
    plain.add_edge(2, 1, highway="primary")
    with pytest.raises(ValueError, match=r"1 edge\(s\) of the graph lack the 'length' \(metres\)"):
        N.Network.from_graph(plain)
    with pytest.raises(ValueError, match="the graph has no nodes"):
        N.Network.from_graph(nx.MultiDiGraph(crs="EPSG:4326"))
    path = tmp_path / "plain.osm"
    path.write_text(OSM_XML, encoding="utf-8")
    graph = ox.graph_from_xml(path, retain_all=True)
    graph.remove_edges_from([(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if "highway" in d])
    with pytest.raises(ValueError, match="holds no ways tagged highway"):
        N.Network.from_graph(graph)
    with pytest.raises(ValueError, match="components must be one of"):
        N.Network.from_graph(graph, components="all")
    with pytest.raises(ValueError, match="highway_speeds"):
        N.Network.from_graph(graph, highway_speeds={"primary": 0})
