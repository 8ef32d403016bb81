"""Tests for yrdgeo.network: bundled network, as-of filter, line layers, OSM extracts, bad input."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

import yrdgeo
from yrdgeo import network as N
from yrdgeo.crs import geodesic_distance_km

METRIC = "EPSG:4549"  # CGCS2000 GK 120E, metres
X0, Y0 = 500_000.0, 3_450_000.0  # a point near Shanghai in EPSG:4549


def line(*pts):
    return LineString([(X0 + x * 1000, Y0 + y * 1000) for x, y in pts])


@pytest.fixture
def small_lines():
    """A(0,0)–B(10,0) at 60 km/h (10 min), B–C(20,0) at 30 km/h (20 min), A–C via (10,10) at 100 km/h.

    A–C via the detour is 2·√200 ≈ 28.28 km → 16.97 min, faster than A–B–C (30 min).
    """
    return gpd.GeoDataFrame(
        {"name": ["ab", "bc", "ac"], "speed": [60.0, 30.0, 100.0], "opened": ["", "2015-06", "2020-01-01"]},
        geometry=[line((0, 0), (10, 0)), line((10, 0), (20, 0)), line((0, 0), (10, 10), (20, 0))],
        crs=METRIC,
    )


# ---------------------------------------------------------------- bundled network


def test_bundled_lines_are_sourced_and_dated_or_explicitly_undated():
    t = N.yrd_lines()
    assert t["source"].str.len().min() > 20  # every line names its source
    assert t["line_id"].is_unique
    for value in t["opened"]:
        ts = N.opened_timestamp(value)
        assert pd.isna(ts) == (value == "")
        if value:
            # conventional railways reach back to 1908 (Shanghai–Nanjing)
            assert pd.Timestamp("1900-01-01") < ts < pd.Timestamp("2026-01-01")
    undated = t[t["opened"] == ""]
    # an empty date must say so in the note
    assert all("not sourced" in n for n in undated["note"])
    speed = pd.to_numeric(t["design_speed_kmh"])
    rail = t["mode"] != "expressway"
    assert (speed[rail] > 0).all()  # rail times come from the design speed: it must be there
    # expressways run at the road speed; their design speed is informative and may be unsourced (empty)
    assert ((speed[~rail] > 0) | speed[~rail].isna()).all()
    assert all("not sourced" in n for n in t.loc[~rail & speed.isna(), "note"])


def test_bundled_network_covers_all_cities_and_songjiang_and_is_connected():
    net = N.load_yrd_network()
    cities = set(yrdgeo.load_units("city").adcode)
    assert cities <= set(net.nodes.node_id)
    assert "310117" in set(net.nodes.node_id)  # Songjiang, hub of the G60 corridor
    assert net.components().max() == 0
    e = net.edges
    assert (e.time_min > 0).all() and (e.length_km > 0).all()
    assert set(e["mode"]) <= set(N.MODES)
    # times follow the documented speeds: rail 0.62 x design speed, straight seat-to-seat length
    hsr = e[e.line_id == "huhang_hsr"].iloc[0]
    assert hsr.speed_kmh == pytest.approx(350 * N.RAIL_SPEED_FACTOR)
    assert hsr.time_min == pytest.approx(hsr.length_km / hsr.speed_kmh * 60)
    lon, lat = net.nodes.geometry.x.to_numpy(), net.nodes.geometry.y.to_numpy()
    assert hsr.length_km == pytest.approx(float(geodesic_distance_km(lon[hsr.u], lat[hsr.u], lon[hsr.v], lat[hsr.v])))


def test_as_of_keeps_only_links_open_on_the_date():
    net = N.load_yrd_network()
    early = N.as_of(net, "2010-01-01")
    later = N.as_of(net, "2025-01-01")
    assert len(early.edges) < len(later.edges) <= len(net.edges)
    assert "沪宁城际铁路" not in set(early.edges.line)  # opened 2010-07-01
    assert "合宁铁路" in set(early.edges.line)  # opened 2008-04-18
    assert early.as_of == pd.Timestamp("2010-01-01").date()
    assert early.undated_kept == int((net.edges.opened == "").sum())
    # the opening day itself counts as open
    assert "沪宁城际铁路" in set(N.as_of(net, "2010-07-01").edges.line)
    assert "沪宁城际铁路" not in set(N.as_of(net, "2010-06-30").edges.line)
    # nodes stay the same, so unit positions are comparable across dates
    assert list(early.nodes.node_id) == list(net.nodes.node_id)


def test_partial_dates_count_from_the_end_of_the_period():
    assert N.opened_timestamp("2015-12") == pd.Timestamp("2015-12-31")
    assert N.opened_timestamp("1996") == pd.Timestamp("1996-12-31")
    assert pd.isna(N.opened_timestamp(""))
    net = N.load_yrd_network()
    assert "金温高速铁路" not in set(N.as_of(net, "2015-12-15").edges.line)
    assert "金温高速铁路" in set(N.as_of(net, "2016-01-01").edges.line)
    # the error names the value and the accepted forms (those of yrdgeo.dates, the one rule for dates)
    with pytest.raises(ValueError, match=r"opening date: expected a date like '2019-12-01', '2019-12' or '2019', got 'soon'"):
        N.opened_timestamp("soon")


def test_opening_dates_and_as_of_follow_the_one_date_rule():
    from yrdgeo import dates

    for value in ("2015-12", "1996", "2010-07-01", "2010/7/1", "", None):
        got, want = N.opened_timestamp(value), dates.as_timestamp(value)
        assert (pd.isna(got) and pd.isna(want)) or got == want
    net = N.load_yrd_network()
    # "2010" asks for the end of 2010, as a link dated "2010" counts from its end: the Shanghai–Nanjing
    # intercity line (2010-07-01) is open, the Hangzhou–Changsha line (2014-12-10) is not
    in_2010 = N.as_of(net, "2010")
    assert in_2010.as_of == pd.Timestamp("2010-12-31").date()
    assert set(in_2010.edges.line) == set(N.as_of(net, "2010-12-31").edges.line)
    assert "沪宁城际铁路" in set(in_2010.edges.line) and "杭长高速铁路" not in set(in_2010.edges.line)
    assert set(N.as_of(net, "2010-06").edges.line) == set(N.as_of(net, "2010-06-30").edges.line)


def test_undated_policies():
    net = N.load_yrd_network()
    dropped = N.as_of(net, "2012-01-01", undated="drop")
    assert (dropped.edges.opened != "").all()
    assert dropped.undated_kept == 0
    with pytest.raises(ValueError, match="no opening date"):
        N.as_of(net, "2012-01-01", undated="error")
    with pytest.raises(ValueError, match="undated must be one of"):
        N.as_of(net, "2012-01-01", undated="maybe")
    with pytest.raises(ValueError, match="as_of date: expected a date like .*got 'yesterday'"):
        N.as_of(net, "yesterday")


def test_graph_keeps_fastest_parallel_edge_and_matches_networkx():
    import networkx as nx

    net = N.load_yrd_network()
    g = net.graph()
    nxg = nx.DiGraph()
    for u, v, d in net.to_networkx().edges(data=True):
        if not nxg.has_edge(u, v) or nxg[u][v]["time_min"] > d["time_min"]:
            nxg.add_edge(u, v, time_min=d["time_min"])
    assert g.nnz == nxg.number_of_edges()
    for u, v, d in nxg.edges(data=True):
        assert g[u, v] == pytest.approx(d["time_min"])


def test_bad_speed_factors_are_refused():
    with pytest.raises(ValueError, match="rail_speed_factor must be a positive number"):
        N.load_yrd_network(rail_speed_factor=0)
    with pytest.raises(ValueError, match="road_speed_kmh must be a positive number"):
        N.load_yrd_network(road_speed_kmh=-5)


# ---------------------------------------------------------------- line layers


def test_from_lines_builds_the_hand_network(small_lines):
    before = small_lines.copy()
    net = N.from_lines(small_lines, speed="speed", opened="opened", name_column="name")
    pd.testing.assert_frame_equal(pd.DataFrame(small_lines), pd.DataFrame(before))  # input untouched
    assert net.n_nodes == 3 and len(net.edges) == 3
    times = dict(zip(net.edges.line, net.edges.time_min))
    assert times["ab"] == pytest.approx(10.0, rel=1e-9)
    assert times["bc"] == pytest.approx(20.0, rel=1e-9)
    assert times["ac"] == pytest.approx(2 * math.sqrt(200) / 100 * 60, rel=1e-9)
    assert net.nodes.crs.to_epsg() == 4326


def test_from_lines_time_column_and_file_roundtrip(tmp_path, small_lines):
    frame = small_lines.assign(minutes=[5.0, 7.0, 30.0])
    path = tmp_path / "roads.gpkg"
    frame.to_file(path, layer="roads")
    net = N.from_lines(path, time="minutes", layer="roads")
    assert sorted(net.edges.time_min) == [5.0, 7.0, 30.0]


def test_from_lines_snaps_ends_within_tolerance(small_lines):
    gap = small_lines.copy()
    gap.loc[1, "geometry"] = LineString([(X0 + 10_003, Y0), (X0 + 20_000, Y0)])  # 3 m gap at B
    with pytest.raises(ValueError, match="disconnected: 2 separate components"):
        N.from_lines(gap.iloc[:2], speed="speed", snap_m=1.0)
    net = N.from_lines(gap.iloc[:2], speed="speed", snap_m=5.0)
    assert net.n_nodes == 3 and net.components().max() == 0


def test_from_lines_disconnected_policies(small_lines):
    far = gpd.GeoDataFrame({"speed": [50.0]}, geometry=[line((100, 100), (110, 100))], crs=METRIC)
    both = pd.concat([small_lines[["speed", "geometry"]], far], ignore_index=True)
    with pytest.raises(ValueError, match="disconnected"):
        N.from_lines(both, speed="speed")
    assert N.from_lines(both, speed="speed", components="largest").n_nodes == 3
    kept = N.from_lines(both, speed="speed", components="keep")
    assert kept.n_nodes == 5 and kept.components().max() == 1


@pytest.mark.parametrize("bad", [0.0, -40.0])
def test_from_lines_refuses_zero_or_negative_speed(small_lines, bad):
    frame = small_lines.copy()
    frame.loc[1, "speed"] = bad
    with pytest.raises(ValueError, match="zero or negative speed"):
        N.from_lines(frame, speed="speed")


def test_from_lines_and_from_osm_refuse_options_before_reading(tmp_path, small_lines):
    missing = tmp_path / "not_read.gpkg"  # options are refused before the layer is opened
    with pytest.raises(ValueError, match=r"^snap_m must be a number >= 0 \(metres\), got -1$"):
        N.from_lines(missing, speed="speed", snap_m=-1)
    with pytest.raises(ValueError, match=r"^default_speed_kmh must be a positive number \(km/h\) or None, got 0$"):
        N.from_lines(missing, default_speed_kmh=0)
    with pytest.raises(ValueError, match="^components must be one of 'largest', 'keep', 'error'; got 'all'$"):
        N.from_lines(missing, speed="speed", components="all")
    osm = tmp_path / "empty.osm"
    osm.write_text("<osm/>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^highway_speeds\['primary'\] must be a positive number \(km/h\), got 0$"):
        N.from_osm(osm, highway_speeds={"primary": 0})
    with pytest.raises(ValueError, match="^engine must be one of 'auto', 'osmnx', 'gdal'; got 'ogr'$"):
        N.from_osm(osm, engine="ogr")
    with pytest.raises(ValueError, match="^components must be one of"):
        N.from_osm(osm, components="all")


def test_from_lines_refuses_missing_attributes(small_lines):
    with pytest.raises(ValueError, match="no column 'maxspeed'"):
        N.from_lines(small_lines, speed="maxspeed")
    with pytest.raises(ValueError, match="give a speed column"):
        N.from_lines(small_lines)
    holes = small_lines.copy()
    holes.loc[0, "speed"] = np.nan
    with pytest.raises(ValueError, match="have no speed"):
        N.from_lines(holes, speed="speed")
    assert N.from_lines(holes, speed="speed", default_speed_kmh=60).edges.time_min.min() > 0
    with pytest.raises(ValueError, match="positive minutes"):
        N.from_lines(small_lines.assign(t=[1.0, 0.0, 2.0]), time="t")
    with pytest.raises(ValueError, match="non-numeric"):
        N.from_lines(small_lines.assign(speed=["60", "fast", "80"]), speed="speed")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_from_lines_refuses_layer_without_crs(tmp_path, small_lines):
    no_crs = small_lines.set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="coordinate reference system"):
        N.from_lines(no_crs, speed="speed")
    shp = tmp_path / "nocrs.shp"
    no_crs.to_file(shp)
    assert not (tmp_path / "nocrs.prj").exists()
    with pytest.raises(ValueError, match="coordinate reference system"):
        N.from_lines(shp, speed="speed")


def test_from_lines_refuses_points_and_missing_file(tmp_path):
    pts = gpd.GeoDataFrame({"speed": [1.0]}, geometry=gpd.points_from_xy([X0], [Y0]), crs=METRIC)
    with pytest.raises(ValueError, match="LineString"):
        N.from_lines(pts, speed="speed")
    with pytest.raises(FileNotFoundError):
        N.from_lines(tmp_path / "nothing.gpkg", speed="speed")


def test_network_refuses_bad_edges_directly():
    net = N.load_yrd_network()
    edges = net.edges.copy()
    edges.loc[0, "time_min"] = 0.0
    with pytest.raises(ValueError, match="zero or negative"):
        N.Network(net.nodes, edges)
    with pytest.raises(ValueError, match="lack columns"):
        N.Network(net.nodes, net.edges.drop(columns="time_min"))


# ---------------------------------------------------------------- OSM extracts

# Four nodes on an east–west street in Songjiang and a one-way side street.
OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="yrdgeo-test">
  <node id="1" lat="31.0300" lon="121.2200" version="1"/>
  <node id="2" lat="31.0300" lon="121.2300" version="1"/>
  <node id="3" lat="31.0300" lon="121.2400" version="1"/>
  <node id="4" lat="31.0400" lon="121.2300" version="1"/>
  <node id="5" lat="31.0500" lon="121.2500" version="1"/>
  <node id="6" lat="31.0500" lon="121.2600" version="1"/>
  <way id="10" version="1">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="primary"/><tag k="maxspeed" v="60"/><tag k="name" v="荣乐路"/>
  </way>
  <way id="11" version="1">
    <nd ref="2"/><nd ref="4"/>
    <tag k="highway" v="residential"/><tag k="oneway" v="yes"/>
  </way>
  <way id="12" version="1">
    <nd ref="5"/><nd ref="6"/>
    <tag k="building" v="yes"/>
  </way>
</osm>
"""


@pytest.fixture
def osm_file(tmp_path):
    path = tmp_path / "songjiang.osm"
    path.write_text(OSM_XML, encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["auto", "osmnx"])
def test_from_osm_reads_a_real_xml_extract_through_osmnx(osm_file, engine):
    net = N.from_osm(osm_file, engine=engine)
    assert net.n_nodes == 4  # the building way is not a road
    # primary street: two-way, split at node 2 → 4 directed edges; side street one-way → 1 edge
    assert len(net.edges) == 5
    primary = net.edges[net.edges.highway == "primary"]
    assert (primary.speed_kmh == 60).all()
    assert set(primary.line) == {"荣乐路"}
    km = float(geodesic_distance_km(121.22, 31.03, 121.23, 31.03))
    # osmnx measures great-circle lengths: within 0.5% of the ellipsoidal geodesic here
    assert primary.length_km.min() == pytest.approx(km, rel=5e-3)
    assert primary.time_min.min() == pytest.approx(primary.length_km.min() / 60 * 60, rel=1e-6)
    side = net.edges[net.edges.highway == "residential"]
    assert len(side) == 1 and side.speed_kmh.iloc[0] == N.OSM_HIGHWAY_SPEEDS["residential"]


def test_from_osm_gdal_engine_agrees_with_osmnx(osm_file):
    # the same graph from both back-ends (issue 15 made GDAL the default for XML too)
    a = N.from_osm(osm_file, engine="osmnx")
    b = N.from_osm(osm_file, engine="gdal")
    assert b.n_nodes == a.n_nodes == 4 and len(b.edges) == len(a.edges) == 5
    assert b.edges.oneway.all()  # two-way streets are two directed edges, as osmnx gives them
    assert b.edges.time_min.sum() == pytest.approx(a.edges.time_min.sum(), rel=1e-9)


# Ways chosen to exercise what both back-ends must agree on: a junction inside a way (node 2),
# a one-way way, a reversed one-way ("-1"), a chain through a plain vertex merged into one edge
# (nodes 4 and 8), two two-way ways joined end to end and merged (node 7: only one has maxspeed),
# a way the highway filter drops (the railway), and a disconnected road the largest component drops.
OSM_XML_RICH = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="yrdgeo-test">
  <node id="1" lat="31.0300" lon="121.2200" version="1"/>
  <node id="2" lat="31.0300" lon="121.2300" version="1"/>
  <node id="3" lat="31.0300" lon="121.2400" version="1"/>
  <node id="4" lat="31.0400" lon="121.2310" version="1"/>
  <node id="5" lat="31.0500" lon="121.2300" version="1"/>
  <node id="6" lat="31.0200" lon="121.2450" version="1"/>
  <node id="7" lat="31.0600" lon="121.2350" version="1"/>
  <node id="8" lat="31.0650" lon="121.2420" version="1"/>
  <node id="9" lat="31.0700" lon="121.2500" version="1"/>
  <node id="20" lat="31.0000" lon="121.2000" version="1"/>
  <node id="21" lat="31.0000" lon="121.2100" version="1"/>
  <node id="30" lat="31.1000" lon="121.3000" version="1"/>
  <node id="31" lat="31.1000" lon="121.3100" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="primary"/><tag k="maxspeed" v="60"/><tag k="name" v="荣乐路"/></way>
  <way id="11" version="1"><nd ref="2"/><nd ref="4"/><nd ref="5"/>
    <tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
  <way id="12" version="1"><nd ref="6"/><nd ref="3"/>
    <tag k="highway" v="secondary"/><tag k="oneway" v="-1"/></way>
  <way id="13" version="1"><nd ref="5"/><nd ref="7"/>
    <tag k="highway" v="residential"/></way>
  <way id="14" version="1"><nd ref="7"/><nd ref="8"/><nd ref="9"/>
    <tag k="highway" v="residential"/><tag k="maxspeed" v="50"/></way>
  <way id="15" version="1"><nd ref="20"/><nd ref="21"/><tag k="railway" v="rail"/></way>
  <way id="16" version="1"><nd ref="30"/><nd ref="31"/><tag k="highway" v="service"/></way>
</osm>
"""


def _osm_edge_table(net):
    """The edges keyed by their end coordinates, for comparing networks whose node ids differ."""
    xy = net.nodes.geometry.get_coordinates().round(7).to_numpy()
    e = net.edges
    key = [tuple(xy[u]) + tuple(xy[v]) for u, v in zip(e.u, e.v)]
    table = pd.DataFrame({"key": key, "highway": e.highway.to_numpy(), "line": e.line.to_numpy(),
                          "length_km": e.length_km.to_numpy(), "speed_kmh": e.speed_kmh.to_numpy(),
                          "time_min": e.time_min.to_numpy()})
    return table.sort_values(["key", "length_km"]).reset_index(drop=True)


def _write_pbf(xml_path, pbf_path):
    import osmium  # test dependency (setup.cfg [test]): writes the PBF fixture
    with osmium.SimpleWriter(str(pbf_path)) as writer:
        for obj in osmium.FileProcessor(str(xml_path)):
            if obj.is_node():
                writer.add_node(obj)
            elif obj.is_way():
                writer.add_way(obj)
    return pbf_path


@pytest.mark.parametrize("components", ["largest", "keep"])
def test_from_osm_gdal_and_osmnx_give_the_same_network(tmp_path, components):
    xml = tmp_path / "rich.osm"
    xml.write_text(OSM_XML_RICH, encoding="utf-8")
    a = N.from_osm(xml, engine="osmnx", components=components)
    b = N.from_osm(xml, engine="gdal", components=components)
    # nodes 1,2,3,5,6,9 (4, 7 and 8 are merged away) and, kept, 30 and 31
    assert a.n_nodes == b.n_nodes == (6 if components == "largest" else 8)
    ta, tb = _osm_edge_table(a), _osm_edge_table(b)
    assert len(ta) == len(tb) == (8 if components == "largest" else 10)
    assert list(ta.key) == list(tb.key)
    assert list(ta.highway) == list(tb.highway) and list(ta.line) == list(tb.line)
    assert list(ta.speed_kmh) == list(tb.speed_kmh)
    # coordinates agree to GDAL's 1e-7° storage, so lengths and times agree to ~1e-9
    np.testing.assert_allclose(tb.length_km, ta.length_km, rtol=1e-9)
    np.testing.assert_allclose(tb.time_min, ta.time_min, rtol=1e-9)
    assert "rail" not in set(tb.highway)
    merged = tb[tb.highway == "residential"]
    # 5↔7↔9 merged both ways (maxspeed 50 from way 14 only, as osmnx collapses it); 2→4→5 one-way
    assert sorted(merged.speed_kmh) == [N.OSM_HIGHWAY_SPEEDS["residential"], 50.0, 50.0]
    assert list(tb.loc[tb.highway == "secondary", "key"]) == [(121.24, 31.03, 121.245, 31.02)]  # "-1": 3→6


def test_from_osm_gdal_reads_xml_and_pbf_alike(tmp_path):
    xml = tmp_path / "rich.osm"
    xml.write_text(OSM_XML_RICH, encoding="utf-8")
    pbf = _write_pbf(xml, tmp_path / "rich.osm.pbf")
    a, b = N.from_osm(xml), N.from_osm(pbf)
    ta, tb = _osm_edge_table(a), _osm_edge_table(b)
    assert a.n_nodes == b.n_nodes and ta.drop(columns=["length_km", "time_min"]).equals(
        tb.drop(columns=["length_km", "time_min"]))
    np.testing.assert_allclose(tb.length_km, ta.length_km, rtol=1e-12)
    np.testing.assert_allclose(tb.time_min, ta.time_min, rtol=1e-12)


@pytest.mark.parametrize("content,match", [
    ("<html><body>not a map</body></html>", "root element is <html>"),
    ("this is plain text, not XML", "XML parse error"),
    ('{"type": "FeatureCollection", "features": []}', "XML parse error"),
])
def test_from_osm_refuses_files_that_are_not_osm(tmp_path, content, match):
    path = tmp_path / "fake.osm"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        N.from_osm(path)


def test_from_osm_refuses_extract_without_roads(tmp_path):
    path = tmp_path / "buildings.osm"
    path.write_text(OSM_XML.replace('k="highway" v="primary"', 'k="landuse" v="farm"')
                    .replace('k="highway" v="residential"', 'k="landuse" v="farm"'), encoding="utf-8")
    with pytest.raises(ValueError, match="no ways tagged highway"):
        N.from_osm(path)
    with pytest.raises(FileNotFoundError):
        N.from_osm(tmp_path / "missing.osm")


def test_to_layers_writes_a_geopackage(tmp_path):
    from yrdgeo import io

    net = N.load_yrd_network(as_of="2012-01-01")
    out = io.write_layers(N.to_layers(net), tmp_path / "net.gpkg")
    edges = gpd.read_file(out, layer="edges")
    assert len(edges) == len(net.edges)
    assert set(edges.from_id) <= set(net.nodes.node_id)


def test_from_osm_reads_a_real_pbf_extract(tmp_path, osm_file):
    # the PBF is written from the XML extract by pyosmium (test-only dependency: osmium>=4,<5);
    # reading goes through GDAL's OSM driver, which needs nothing extra
    pbf = _write_pbf(osm_file, tmp_path / "songjiang.osm.pbf")
    assert pbf.read_bytes()[:4] != b"<?xm"  # binary, not XML
    net = N.from_osm(pbf)
    xml = N.from_osm(osm_file)
    assert net.n_nodes == xml.n_nodes == 4
    assert sorted(net.edges.line) == ["", "荣乐路", "荣乐路", "荣乐路", "荣乐路"]  # two-way: both directions
    assert net.edges.loc[net.edges.line == "荣乐路", "speed_kmh"].eq(60).all()
    assert net.edges.time_min.sum() == pytest.approx(xml.edges.time_min.sum(), rel=1e-12)


def test_from_osm_disconnected_extract_policies(tmp_path):
    extra = OSM_XML.replace("</osm>", """  <node id="7" lat="31.1000" lon="121.3000" version="1"/>
  <node id="8" lat="31.1000" lon="121.3100" version="1"/>
  <way id="13" version="1"><nd ref="7"/><nd ref="8"/><tag k="highway" v="tertiary"/></way>
</osm>""")
    path = tmp_path / "two_pieces.osm"
    path.write_text(extra, encoding="utf-8")
    with pytest.raises(ValueError, match="disconnected: 2 separate components"):
        N.from_osm(path, components="error")
    assert N.from_osm(path).n_nodes == 4  # largest piece, as osmnx does
    assert N.from_osm(path, components="keep").n_nodes == 6


def test_from_lines_reads_oneway_text_and_refuses_other_values(small_lines):
    net = N.from_lines(small_lines.assign(ow=["yes", "no", None]), speed="speed", oneway="ow")
    assert net.edges.oneway.tolist() == [True, False, False]
    with pytest.raises(ValueError, match="yes/no"):
        N.from_lines(small_lines.assign(ow=["yes", "sometimes", "no"]), speed="speed", oneway="ow")


def test_road_proxy_csv_is_reproducible_from_the_boundaries():
    import importlib.util

    from yrdgeo.units import data_path

    spec = importlib.util.spec_from_file_location("build_road_proxy", str(data_path("network", "build_road_proxy.py")))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rebuilt = pd.DataFrame(mod.build()).astype(str)
    shipped = N.road_proxy_pairs().astype(str)
    assert rebuilt[["a", "b"]].values.tolist() == shipped[["a", "b"]].values.tolist()
    pairs = {frozenset(p) for p in shipped[["a", "b"]].values.tolist()}
    assert frozenset({"310100", "330900"}) not in pairs  # Shanghai–Zhoushan touch only at sea
    assert frozenset({"310100", "310117"}) in pairs  # Songjiang joined to its city


def test_as_of_honours_a_closed_column_and_date_objects(small_lines):
    import datetime as dt

    net = N.from_lines(small_lines, speed="speed", opened="opened", name_column="name")
    net.edges["closed"] = ["2018-01-01", "", ""]  # ab closed at the start of 2018
    assert set(N.as_of(net, dt.date(2017, 12, 31)).edges.line) == {"ab", "bc"}
    assert set(N.as_of(net, dt.date(2018, 1, 1)).edges.line) == {"bc"}
    assert set(N.as_of(net, "2021-01-01").edges.line) == {"bc", "ac"}


def test_from_osm_reads_bzip2_compressed_xml(tmp_path):
    import bz2

    path = tmp_path / "songjiang.osm.bz2"
    path.write_bytes(bz2.compress(OSM_XML.encode("utf-8")))
    assert N.from_osm(path).n_nodes == 4


# ---------------------------------------------------------------- conventional rail, dated expressways, proxy


def _pairs(edges: pd.DataFrame, nodes: pd.DataFrame) -> set[frozenset]:
    ids = nodes["node_id"].to_numpy()
    return {frozenset((ids[u], ids[v])) for u, v in zip(edges["u"], edges["v"])}


def test_dated_expressways_replace_the_road_proxy_for_their_pairs():
    net = N.load_yrd_network()
    superseded = N.road_proxy_superseded()
    proxy = N.road_proxy_pairs()
    assert len(superseded) > 0
    proxy_edges = net.edges[net.edges["mode"] == "road_proxy"]
    assert len(proxy_edges) == len(proxy) - len(superseded)
    proxy_pairs = _pairs(proxy_edges, net.nodes)
    expwy_pairs = _pairs(net.edges[net.edges["mode"] == "expressway"], net.nodes)
    for a, b, line_id in superseded.itertuples(index=False):
        assert frozenset((a, b)) not in proxy_pairs  # the undated proxy never duplicates a dated expressway
        assert frozenset((a, b)) in expwy_pairs
    # Shanghai–Suzhou: Shanghai–Nanjing Expressway, fully opened 1996-09-15
    assert ("310100", "320500", "huning_expwy") in set(map(tuple, superseded.to_numpy()))
    before = _pairs(N.as_of(net, "1996-09-14").edges.query("mode in ('expressway', 'road_proxy')"), net.nodes)
    on_day = _pairs(N.as_of(net, "1996-09-15").edges.query("mode in ('expressway', 'road_proxy')"), net.nodes)
    assert frozenset(("310100", "320500")) not in before
    assert frozenset(("310100", "320500")) in on_day
    # the remaining proxy stays an explicitly undated fallback
    assert (proxy_edges["opened"] == "").all()
    assert N.as_of(net, "1996-09-14", undated="drop").edges["mode"].ne("road_proxy").all()


def test_opening_dates_exclude_lines_the_day_before():
    net = N.load_yrd_network()
    for line_id, day_before, day in [
        ("jinwen_rail", "1998-06-10", "1998-06-11"),   # Jinhua–Wenzhou railway
        ("huning_expwy", "1996-09-14", "1996-09-15"),  # Shanghai–Nanjing Expressway
        ("huning_rail", "1908-07-30", "1908-07-31"),   # month only: open from the end of July 1908
        ("huning_yanjiang", "2023-09-27", "2023-09-28"),
        ("sutong_bridge", "2008-06-29", "2008-06-30"),
    ]:
        assert line_id not in set(N.as_of(net, day_before).edges.line_id), line_id
        assert line_id in set(N.as_of(net, day).edges.line_id), line_id


def test_conventional_rail_and_expressway_speeds_follow_the_documented_model():
    net = N.load_yrd_network()
    e = net.edges
    rail = e[e.line_id.isin(["huning_rail", "huhang_rail", "xuanhang_n"])]
    assert set(rail["mode"]) == {"rail"}
    assert np.allclose(rail.speed_kmh, rail.design_speed_kmh * N.RAIL_SPEED_FACTOR)
    assert set(rail.drop_duplicates("line_id").set_index("line_id").design_speed_kmh.items()) == {
        ("huning_rail", 160.0), ("huhang_rail", 120.0), ("xuanhang_n", 140.0)}
    expwy = e[e["mode"] == "expressway"]
    assert np.allclose(expwy.speed_kmh, N.ROAD_SPEED_KMH)  # same effective speed as the proxy they replace
    assert np.allclose(e.time_min, e.length_km / e.speed_kmh * 60)


def test_on_2005_01_01_dated_links_reach_shanghai_from_the_documented_cities():
    from yrdgeo import accessibility as A

    cities = yrdgeo.load_units("city")
    net = N.load_yrd_network(as_of="2005-01-01", undated="drop")
    assert (net.edges["opened"] != "").all() and set(net.edges["mode"]) == {"rail", "expressway"}
    f = A.time_to_centre(net, cities, "上海").frame.set_index("adcode")
    # every city with a sourced rail line or expressway open by then reaches Shanghai by dated links only
    reached = {
        "320100", "320200", "320300", "320400", "320500", "320700", "321100",  # Jiangsu south of the Yangtze, Xuzhou, Lianyungang
        "330100", "330200", "330400", "330500", "330600",  # Hangzhou, Ningbo, Jiaxing, Huzhou, Shaoxing
        "340100", "340200", "340300", "340400", "340500", "340700", "340800",  # Hefei, Wuhu, Bengbu, Huainan, Ma'anshan, Tongling, Anqing
        "341000", "341100", "341300", "341500", "341800",  # Huangshan, Chuzhou, Suzhou (Anhui), Lu'an, Xuancheng
    }
    ok = set(f.index[f.status == "ok"])
    assert reached <= ok
    # the rest are cut off on this date because no line serving them is dated in the table yet
    # (northern Jiangsu before the Nanjing–Qidong and Xinyi–Changxing railways of July 2005, southern
    # Zhejiang, Zhoushan, Huaibei, Fuyang, Bozhou, Chizhou): a property of the table, listed in PROVENANCE.md
    cut = set(f.index[f.status == "unreachable"])
    assert cut == set(cities.adcode) - ok
    assert {"330900", "320600", "341700"} <= cut
    assert f.loc[list(cut), "time_min"].isna().all()
    # one day after the two northern-Jiangsu railways opened (2005-07-01 / 2005-07), Nantong and Yancheng are reached
    later = A.time_to_centre(N.load_yrd_network(as_of="2005-08-01", undated="drop"), cities, "上海").frame.set_index("adcode")
    assert later.loc[["320600", "320900", "320800", "321000", "321200"], "status"].eq("ok").all()


# ---------------------------------------------------------------- CLI: the OD table


def test_cli_od_writes_the_long_table_by_default_and_the_square_matrix_with_wide(tmp_path, capsys):
    from yrdgeo import accessibility as A
    from yrdgeo import od
    from yrdgeo.cli import main

    args = ["od", "--level", "city", "--province", "浙江", "--date", "2010-01-01", "--undated", "drop"]
    lib = A.od_matrix(N.load_yrd_network(as_of="2010-01-01", undated="drop"),
                      yrdgeo.load_units("city", province="浙江"))
    long_csv, wide_csv = tmp_path / "od_long.csv", tmp_path / "od_wide.csv"
    assert main([*args, "--out", str(long_csv)]) == 0
    assert "121 pairs (11 origins × 11 destinations)" in capsys.readouterr().out
    long = pd.read_csv(long_csv, dtype={"from_adcode": str, "to_adcode": str})
    assert list(long.columns) == ["from_adcode", "to_adcode", "minutes", "status"]
    assert len(long) == 11 * 11
    # the library's reader gives back the matrix: same pairs, same minutes, the same empty cells
    back = od.read(long_csv).loc[lib.minutes.index, lib.minutes.columns]
    pd.testing.assert_frame_equal(back, lib.minutes, check_names=False, rtol=1e-12)
    # pairs without a time are empty, never 0, and their status says why (Zhoushan's bridges are undated)
    cut = long[long["minutes"].isna()]
    assert len(cut) == len(lib.unreachable) > 0
    assert set(cut["status"]) == set(lib.unreachable["reason"]) == {"unreachable"}
    assert (long.loc[long["minutes"].notna(), "status"] == "ok").all()
    assert "330900" in set(cut["from_adcode"])

    assert main([*args, "--wide", "--out", str(wide_csv)]) == 0
    assert "11×11 matrix" in capsys.readouterr().out
    square = pd.read_csv(wide_csv, dtype={"origin": str}).set_index("origin")
    assert list(square.index) == list(lib.minutes.index) and list(square.columns) == list(lib.minutes.columns)
    pd.testing.assert_frame_equal(od.read(wide_csv).loc[lib.minutes.index, lib.minutes.columns], back)


# ---------------------------------------------------------------- noding a line layer (node=, level=)


def _lines(*geoms, **columns):
    return gpd.GeoDataFrame({"speed": [60.0] * len(geoms), **columns}, geometry=list(geoms), crs=METRIC)


def _minutes(net, a, b):
    """Return the fastest time (min) from the node at km (x, y) ``a`` to the node at ``b``; inf when no route."""
    from scipy.sparse import csgraph

    xy = np.column_stack([net.nodes.to_crs(METRIC).geometry.x, net.nodes.to_crs(METRIC).geometry.y])
    ends = [int(np.argmin(np.hypot(*(xy - (X0 + x * 1000, Y0 + y * 1000)).T))) for x, y in (a, b)]
    return csgraph.dijkstra(net.graph(), indices=ends[0])[ends[1]]


def test_noding_choices_are_listed_and_checked(small_lines):
    assert N.lines.NODING == ("vertices", "crossings", "endpoints")  # the default first, as the plugin lists it
    with pytest.raises(ValueError, match="^node must be one of 'vertices', 'crossings', 'endpoints'; got 'all'$"):
        N.from_lines(small_lines, speed="speed", node="all")
    with pytest.raises(ValueError, match="no column 'layer'"):
        N.from_lines(small_lines, speed="speed", level="layer")


def test_crossing_lines_connect_with_crossings_noding_only():
    cross = _lines(line((0, 0), (10, 0)), line((5, -5), (5, 5)))  # an X without a vertex where they cross
    for node in ("endpoints", "vertices"):
        with pytest.raises(ValueError, match="disconnected: 2 separate components"):
            N.from_lines(cross, speed="speed", node=node)
    net = N.from_lines(cross, speed="speed", node="crossings")
    assert net.n_nodes == 5 and len(net.edges) == 4
    assert _minutes(net, (0, 0), (5, 5)) == pytest.approx(10.0, rel=1e-9)  # 5 km east + 5 km north at 60 km/h


def test_bridge_over_road_joins_only_at_equal_levels():
    road, bridge = line((0, 0), (10, 0)), line((5, -5), (5, 5))
    apart = N.from_lines(_lines(road, bridge, layer=[0, 1]), speed="speed", node="crossings", level="layer",
                         components="keep")
    assert apart.components().max() == 1 and np.isinf(_minutes(apart, (0, 0), (5, 5)))
    same = N.from_lines(_lines(road, bridge, layer=["0", 0.0]), speed="speed", node="crossings", level="layer")
    assert _minutes(same, (0, 0), (5, 5)) == pytest.approx(10.0, rel=1e-9)  # "0" and 0.0 are one level
    # a shared vertex is a junction at one level only, too; line ends meet whatever their levels (a ramp)
    kinked = _lines(line((0, 0), (5, 0), (10, 0)), line((5, -5), (5, 0), (5, 5)), layer=[0, 1])
    assert N.from_lines(kinked, speed="speed", level="layer", components="keep").components().max() == 1
    ramp = _lines(line((0, 0), (10, 0)), line((10, 0), (20, 0)), layer=[0, 1])
    assert N.from_lines(ramp, speed="speed", node="crossings", level="layer").n_nodes == 3


def test_vertex_noding_joins_a_line_ending_at_another_lines_vertex():
    frame = _lines(line((0, 0), (5, 0), (10, 0)), line((5, 0.003), (5, 5)))  # 3 m from the middle vertex
    with pytest.raises(ValueError, match="disconnected"):
        N.from_lines(frame, speed="speed", node="endpoints")
    net = N.from_lines(frame, speed="speed")  # node="vertices" is the default
    assert net.n_nodes == 4 and len(net.edges) == 3
    assert _minutes(net, (0, 0), (5, 5)) == pytest.approx(10.0 - 0.003, rel=1e-9)  # lines keep their lengths
    with pytest.raises(ValueError, match="disconnected"):
        N.from_lines(frame, speed="speed", snap_m=2.0)  # beyond the tolerance
    # a line ending 3 m short of another's segment (no vertex there) joins it with crossings noding
    short = _lines(line((0, 0), (10, 0)), line((5, 0.003), (5, 5)))
    assert N.from_lines(short, speed="speed", node="crossings").n_nodes == 4


def test_dense_vertices_of_one_line_stay_one_edge():
    dense = _lines(LineString([(X0 + x, Y0) for x in np.arange(0, 1001, 2.0)]))  # a vertex every 2 m, snap 5 m
    for node in ("vertices", "crossings"):
        net = N.from_lines(dense, speed="speed", node=node)
        assert net.n_nodes == 2 and net.edges.length_km.tolist() == pytest.approx([1.0])


def test_split_pieces_share_the_lines_time_by_length():
    frame = _lines(line((0, 0), (10, 0)), line((2, -1), (2, 1)), line((7, -1), (7, 1)), minutes=[12.0, 3.0, 5.0])
    net = N.from_lines(frame, time="minutes", node="crossings", name_column="minutes")
    pieces = net.edges[net.edges.line == "12.0"]
    assert len(pieces) == 3
    assert pieces.time_min.sum() == pytest.approx(12.0, rel=1e-12)  # the pieces take the line's time
    assert sorted(pieces.time_min) == pytest.approx([2 * 1.2, 3 * 1.2, 5 * 1.2], rel=1e-9)  # by length share
    assert sorted(pieces.length_km) == pytest.approx([2.0, 3.0, 5.0], rel=1e-9)
    assert pieces.speed_kmh.tolist() == pytest.approx([50.0] * 3)
    assert net.edges.groupby("line").time_min.sum().to_dict() == pytest.approx({"12.0": 12.0, "3.0": 3.0, "5.0": 5.0})


@pytest.mark.filterwarnings("ignore:targets have no anchor_lon")  # grid cells join the network from inside
def test_cli_isochrone_polygons_and_line_noding_equal_the_library(tmp_path, capsys):
    from yrdgeo import accessibility as A
    from yrdgeo.cli import main

    out = tmp_path / "iso.gpkg"
    args = ["isochrone", "--origin", "上海", "--province", "浙江", "--grid-km", "20", "--bands", "60,120,180",
            "--date", "2019-12-31", "--shape", "polygons", "--nested", "--out", str(out)]
    assert main(args) == 0
    assert "band polygons" in capsys.readouterr().out
    cli = gpd.read_file(out).sort_values("band").reset_index(drop=True)
    cells = A.grid(yrdgeo.load_units("province", province="浙江"), cell_km=20)
    lib = A.isochrones(N.load_yrd_network(as_of="2019-12-31"), "上海", cells, bands=(60, 120, 180), key="cell_id",
                       shape="polygons", nested=True).sort_values("band").reset_index(drop=True)
    assert list(cli.band) == list(lib.band)
    assert np.allclose(cli.to_crs(4549).area, lib.to_crs(4549).area, rtol=1e-9)
    # a line layer crossing without a vertex: joined only when --node crossings is asked for
    lines = tmp_path / "x.gpkg"
    gpd.GeoDataFrame({"speed": [60.0, 60.0]}, geometry=[LineString([(120.0, 30.0), (120.2, 30.0)]),
                                                          LineString([(120.1, 29.9), (120.1, 30.1)])],
                     crs="EPSG:4326").to_file(lines)
    base = ["od", "--network", str(lines), "--speed-field", "speed", "--level", "city", "--province", "浙江",
            "--out", str(tmp_path / "od.csv"), "--overwrite"]
    assert main(base) == 2  # vertices (default): two separate lines, refused as disconnected
    assert "disconnected" in capsys.readouterr().err
    assert main([*base, "--node", "crossings"]) == 0
