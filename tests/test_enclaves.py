"""Enclave pairs on the real bundled reference tables: registry, two-way detection, geometry, network, sharing."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyogrio
import pytest

import yrdgeo
from yrdgeo import enclaves as E
from yrdgeo.cli import main
from yrdgeo.crs import GEOD
from yrdgeo.io import write_layers
from yrdgeo.units import data_path


@pytest.fixture(scope="module")
def pairs():
    return E.load_enclave_pairs()


@pytest.fixture(scope="module")
def ratio():
    return pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})


# --------------------------------------------------------------------------- registry


def test_registry_holds_every_reference_row(pairs):
    ep = pd.read_csv(str(data_path("reference", "enclave_pairs.csv")), dtype=str)
    bz = pd.read_csv(str(data_path("reference", "border_cooperation_zones.csv")), dtype=str)
    enclaves = pairs[pairs.kind != "cooperation_zone"]
    assert list(enclaves.fly_out_adcode) == list(ep.fly_out_adcode)
    assert list(enclaves.fly_in_adcode) == list(ep.fly_in_adcode)
    assert list(enclaves.kind) == list(ep.kind)
    zones = pairs[pairs.kind == "cooperation_zone"]
    # three zones list two units on one side (the 苏、浙、皖 border zone: Zhejiang and Anhui): one link per unit pair
    assert len(zones) == len(bz) + 3
    assert set(zones.name_zh) == set(bz.name_zh)
    assert not zones.directed.any() and enclaves.directed.all()
    assert pairs.pair_id.is_unique
    hq = zones[zones.name_zh == "虹桥—昆山—相城"]
    assert list(hq.pair_id) == ["bcz04a", "bcz04b"] and set(hq.fly_in_adcode) == {"320583", "320507"}


def test_every_bundled_pair_names_its_papers(pairs):
    assert list(pairs.sources[pairs.pair_id.isin(["ep01", "ep07", "bcz01"])]) == [
        "wu-zhang", "lin-lin;governance", "lin-lin"]
    for keys in pairs.sources:  # each key is in the citation table
        assert "《" in yrdgeo.sources.cite_all(keys)
    assert "seed" not in pairs.columns


def test_shanghai_wenzhou_is_detected_as_two_way(pairs):
    by_id = pairs.set_index("pair_id")
    assert by_id.loc["ep02", "two_way"] and by_id.loc["ep03", "two_way"]
    assert by_id.loc["ep02", "two_way_with"] == "ep03" and by_id.loc["ep03", "two_way_with"] == "ep02"
    assert by_id.loc["ep02", "pattern"] == "two_way"
    assert by_id.loc["ep03", "kind"] == "reverse"  # the typed kind is kept
    assert set(pairs.pair_id[pairs.two_way]) == {"ep02", "ep03"}
    # Wenzhou's park is in Jiading, a district: matched at city level, not at county level
    exact = E.detect_two_way(pairs, level="county")
    assert not exact.two_way.any()


def test_ends_roll_up_to_their_city_or_province_and_coarser_ends_stay():
    mixed = E.read_enclave_pairs(pd.DataFrame({"fly_out_adcode": ["310114", "320000"],
                                               "fly_in_adcode": ["330300", "340100"], "kind": ["reverse", "forward"]}))
    net = E.enclave_graph(mixed, level="city")
    assert set(net.graph.nodes) == {"310100", "330300", "320000", "340100"}  # Jiading → Shanghai; Jiangsu stays
    assert set(E.enclave_graph(mixed, level="province").graph.nodes) == {"310000", "330000", "320000", "340000"}
    with pytest.raises(ValueError, match="level must be one of 'province', 'city', 'county' or None; got 'town'"):
        E.enclave_graph(mixed, level="town")
    with pytest.raises(ValueError, match="level must be one of"):
        E.detect_two_way(mixed, level="prefecture")


def test_user_pairs_extend_the_registry_and_are_detected(tmp_path):
    # synthetic rows for the test, not facts: a reverse pair Nantong → Suzhou completes Suzhou ⇄ Nantong
    path = tmp_path / "mine.csv"
    path.write_text("name_zh,fly_out,fly_in,kind,since\n测试园,南通,吴中区,reverse,2030\n", encoding="utf-8")
    registry = E.enclave_pairs(path)
    mine = registry[registry.source == str(path)]
    assert list(mine.pair_id) == ["user01"] and mine.fly_in_adcode.iloc[0] == "320506"
    assert set(registry.pair_id[registry.two_way]) == {"ep02", "ep03", "ep04", "user01"}
    # a GeoPackage attribute table works too
    gpkg = tmp_path / "mine.gpkg"
    pd.DataFrame({"fly_out_adcode": ["320600"], "fly_in_adcode": ["320500"], "kind": ["reverse"]}).pipe(
        lambda df: write_layers({"pairs": df}, gpkg))
    only_mine = E.enclave_pairs(gpkg, bundled=False)
    assert len(only_mine) == 1 and not only_mine.two_way.any()


def test_bad_enclave_input_is_refused(tmp_path):
    def table(**cols):
        return pd.DataFrame({k: [v] for k, v in cols.items()})

    with pytest.raises(ValueError, match="both ends are the same unit, 温州市"):
        E.read_enclave_pairs(table(fly_out="温州", fly_in="温州市", kind="forward"))
    with pytest.raises(ValueError, match="both ends are the same unit, 嘉定区"):
        E.read_enclave_pairs(table(fly_out_adcode="310114", fly_in="上海市嘉定区", kind="reverse"))
    with pytest.raises(ValueError, match="'北京' is not a YRD unit.*outside the YRD"):
        E.read_enclave_pairs(table(fly_out="北京", fly_in="温州", kind="forward"))
    with pytest.raises(ValueError, match="'Taizhou' is not a YRD unit.*ambiguous"):
        E.read_enclave_pairs(table(fly_out="上海", fly_in="Taizhou", kind="forward"))
    with pytest.raises(ValueError, match="two-way' is detected, not typed"):
        E.read_enclave_pairs(table(fly_out="上海", fly_in="温州", kind="two-way"))
    with pytest.raises(ValueError, match="kind must be one of 'forward', 'reverse', 'cooperation_zone'; got 'sideways'"):
        E.read_enclave_pairs(table(fly_out="上海", fly_in="温州", kind="sideways"))
    with pytest.raises(ValueError, match="lacks columns: kind"):
        E.read_enclave_pairs(table(fly_out="上海", fly_in="温州"))
    with pytest.raises(ValueError, match="name '温州' is 温州市 .* but adcode '330200' is 宁波市"):
        E.read_enclave_pairs(table(fly_out="上海", fly_in_zh="温州", fly_in_adcode="330200", kind="forward"))
    with pytest.raises(ValueError, match="pair_id must be unique; repeated: \\['ep01'\\]"):
        E.enclave_pairs(table(pair_id="ep01", fly_out="上海", fly_in="温州", kind="forward"))
    with pytest.raises(ValueError, match="does not exist"):
        E.read_enclave_pairs(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- geometry


def test_ends_are_polygons_of_both_units(pairs):
    ends = E.enclave_ends(pairs)
    assert len(ends) == 2 * len(pairs) and ends.crs.to_epsg() == 4326
    ep03 = ends[ends.pair_id == "ep03"].set_index("role")
    assert ep03.loc["fly_out", "adcode"] == "330300" and ep03.loc["fly_in", "adcode"] == "310114"
    jiading = yrdgeo.unit("嘉定区").geometry
    assert ep03.loc["fly_in", "geometry"].equals(jiading)
    assert set(ends[ends.kind == "cooperation_zone"].role) == {"side_a", "side_b"}


def test_desire_lines_are_geodesic_seat_to_seat(pairs):
    lines = E.desire_lines(pairs).set_index("pair_id")
    assert lines.loc["ep02", "distance_km"] == pytest.approx(yrdgeo.distance_km("上海", "温州"), rel=1e-9)
    assert 350 < lines.loc["ep02", "distance_km"] < 380
    for pid in ("ep01", "ep05", "bcz06"):
        geom = lines.loc[pid, "geometry"]
        assert GEOD.geometry_length(geom) / 1000 == pytest.approx(lines.loc[pid, "distance_km"], rel=1e-6)
    first = lines.loc["ep01", "geometry"].coords[0]
    sh = yrdgeo.unit("上海")
    assert first == pytest.approx((sh.anchor_lon, sh.anchor_lat))
    assert "travel_time_min" not in lines.columns


def test_travel_time_hook_takes_a_matrix_or_a_callable(pairs):
    sub = pairs[pairs.pair_id.isin(["ep02", "ep03"])]
    # a synthetic matrix (minutes), standing in for the network module's output
    matrix = pd.DataFrame([[0.0, 200.0], [210.0, 0.0]], index=["310100", "330300"], columns=["310100", "330300"])
    matrix.loc["330300", "310114"] = 230.0
    lines = E.desire_lines(sub, travel_time=matrix).set_index("pair_id")
    assert lines.loc["ep02", "travel_time_min"] == 200.0 and lines.loc["ep03", "travel_time_min"] == 230.0
    by_speed = E.desire_lines(sub, travel_time=lambda a, b: yrdgeo.distance_km(a, b) / 100 * 60)
    assert np.allclose(by_speed.travel_time_min, by_speed.distance_km * 0.6)
    with pytest.raises(ValueError, match="no entry for 1 pair\\(s\\): 温州市 .* → 嘉定区"):
        E.desire_lines(sub, travel_time=matrix.drop(columns="310114"))
    with pytest.raises(ValueError, match="must be 0 minutes or more"):
        E.desire_lines(sub, travel_time=lambda a, b: -1)
    with pytest.raises(ValueError, match="travel_time must be a DataFrame"):
        E.desire_lines(sub, travel_time=42)
    # a result object carrying the matrix as .minutes (the shape of the network module's OD result)
    from types import SimpleNamespace

    held = E.desire_lines(sub, travel_time=SimpleNamespace(minutes=matrix))
    assert list(held.travel_time_min) == [200.0, 230.0]
    ends = E.end_units(sub)
    assert list(ends.adcode) == ["310100", "330300", "310114"] and ends.crs.to_epsg() == 4326


def test_read_travel_time_long_and_square(tmp_path):
    long = tmp_path / "long.csv"
    long.write_text("from_adcode,to_adcode,minutes\n310100,330300,200\n330300,310114,230\n", encoding="utf-8")
    m = E.read_travel_time(long)
    assert m.loc["330300", "310114"] == 230
    square = tmp_path / "square.csv"
    m.to_csv(square)
    assert E.read_travel_time(square).loc["310100", "330300"] == 200


# --------------------------------------------------------------------------- gradients and network


def test_gradients_show_what_drives_the_pair(pairs, ratio):
    g = E.pair_gradients(pairs, ratio, columns=["ratio_2019"], roll_up="city").set_index("pair_id")
    r = ratio.set_index("adcode").ratio_2019
    assert g.loc["ep03", "attr_in_adcode"] == "310100"  # Jiading looked up as Shanghai
    assert g.loc["ep03", "ratio_2019_out"] == r["330300"] and g.loc["ep03", "ratio_2019_in"] == r["310100"]
    assert g.loc["ep03", "ratio_2019_diff"] == pytest.approx(r["330300"] - r["310100"])
    assert g.loc["ep03", "ratio_2019_ratio"] == pytest.approx(r["330300"] / r["310100"])
    assert g.loc["ep02", "ratio_2019_ratio"] > 1  # forward: Shanghai draws more migrants than Wenzhou
    exact = E.pair_gradients(pairs, ratio, columns=["ratio_2019"]).set_index("pair_id")
    assert np.isnan(exact.loc["ep03", "ratio_2019_in"])  # no district row: missing, not guessed
    zero = ratio.assign(ratio_2019=np.where(ratio.adcode == "330300", 0.0, ratio.ratio_2019))
    assert np.isnan(E.pair_gradients(pairs, zero, columns=["ratio_2019"]).set_index("pair_id")
                    .loc["ep02", "ratio_2019_ratio"])
    with pytest.raises(ValueError, match="no column\\(s\\) \\['land_share'\\]"):
        E.pair_gradients(pairs, ratio, columns=["land_share"])
    with pytest.raises(ValueError, match="column .name_zh. identifies the units"):
        E.pair_gradients(pairs, ratio, columns=["name_zh"])


def test_enclave_graph_degrees_and_cross_province_share(pairs):
    net = E.enclave_graph(pairs, level="city")
    assert isinstance(net.graph, nx.MultiDiGraph)
    assert net.graph.number_of_edges() == 8  # the 8 directed pairs; zones left out
    nodes = net.nodes.set_index("adcode")
    assert nodes.loc["310100", "out_degree"] == 3 and nodes.loc["310100", "in_degree"] == 1  # Jiading → Shanghai
    assert nodes.loc["320500", "out_degree"] == 3
    assert nodes.loc["330300", "out_degree"] == 1 and nodes.loc["330300", "in_degree"] == 1
    assert nodes.loc["320500", "cross_province_share"] == pytest.approx(2 / 3)  # Nantong is in Jiangsu
    assert net.cross_province_share == pytest.approx(7 / 8)
    assert net.graph.has_edge("330300", "310100") and net.graph.has_edge("310100", "330300")
    recorded = E.enclave_graph(pairs)
    assert "310114" in recorded.graph and recorded.nodes.set_index("adcode").loc["310100", "in_degree"] == 0
    with_zones = E.enclave_graph(pairs, cooperation_zones=True)
    assert with_zones.graph.number_of_edges() == 8 + 2 * 10  # 10 zone links (the 苏、浙、皖 border zone adds 2)
    assert with_zones.graph.has_edge("320583", "310118") and with_zones.graph.has_edge("310118", "320583")


# --------------------------------------------------------------------------- benefit sharing


def test_shanghai_district_rule_gives_25_percent_for_five_years_then_nothing():
    table = E.revenue_schedule(100.0, years=10)
    assert table.attrs["schedule"] == "shanghai_district_rule"
    assert (table.loc[table.year <= 5, "fly_out_share"] == 0.25).all()
    assert (table.loc[table.year >= 6, "fly_out_share"] == 0.0).all()
    assert (table.loc[table.year >= 6, "fly_in_share"] == 1.0).all()
    assert table.fly_out_revenue.sum() == pytest.approx(125.0)
    assert np.allclose(table.fly_out_revenue + table.fly_in_revenue, table.revenue)
    rule = E.SHANGHAI_DISTRICT_RULE
    assert rule.fly_out_share(5) == 0.25 and rule.fly_out_share(6) == 0.0
    assert rule.source.startswith(yrdgeo.sources.cite("zhang-yajun"))  # cited by author and title


def test_former_preset_names_still_work_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match="SEED002_SHANGHAI_TOWN is now called SHANGHAI_DISTRICT_RULE"):
        assert E.SEED002_SHANGHAI_TOWN is E.SHANGHAI_DISTRICT_RULE
    with pytest.warns(DeprecationWarning, match="'seed002_shanghai_town' is now called 'shanghai_district_rule'"):
        assert E.PRESETS["seed002_shanghai_town"] is E.SHANGHAI_DISTRICT_RULE
    with pytest.warns(DeprecationWarning, match="now called 'shanghai_district_rule'"):
        old = E.revenue_schedule(100.0, years=8, schedule="seed002_shanghai_town")
    pd.testing.assert_frame_equal(old, E.revenue_schedule(100.0, years=8))
    assert list(E.PRESETS) == ["shanghai_district_rule"]  # menus list the current name only


def test_user_schedules_and_per_year_revenue():
    rule = E.SharingSchedule(name="tapering", phases=((3, 0.5), (2, 0.2)), after=0.1)
    table = E.revenue_schedule([10, 20, 30, 40, 50, 60], schedule=rule, start_year=2024)
    assert list(table.fly_out_share) == [0.5, 0.5, 0.5, 0.2, 0.2, 0.1]
    assert list(table.calendar_year) == [2024, 2025, 2026, 2027, 2028, 2029]
    assert table.fly_out_cumulative.iloc[-1] == pytest.approx(5 + 10 + 15 + 8 + 10 + 6)
    yearly = E.SharingSchedule.from_shares([0.4, 0.3], after=0.0)
    assert list(E.revenue_schedule(1, years=3, schedule=yearly).fly_out_share) == [0.4, 0.3, 0.0]


def test_bad_schedules_are_refused():
    with pytest.raises(ValueError, match=r"fly-out share of phase 1 must be a finite number >= 0 and <= 1, got 25"):
        E.SharingSchedule(name="pct", phases=((5, 25),), after=0)
    with pytest.raises(ValueError, match="years of phase 1 must be a whole number >= 1, got 0"):
        E.SharingSchedule(name="z", phases=((0, 0.2),), after=0)
    with pytest.raises(ValueError, match="needs years="):
        E.revenue_schedule(100)
    with pytest.raises(ValueError, match=r"revenue of year 2 must be a number >= 0, got -5"):
        E.revenue_schedule([100, -5])
    with pytest.raises(ValueError, match="years=3 but 2 revenue figures"):
        E.revenue_schedule([1, 2], years=3)
    with pytest.raises(ValueError, match="schedule must be one of 'shanghai_district_rule'; got 'beijing'"):
        E.revenue_schedule(1, years=2, schedule="beijing")


# --------------------------------------------------------------------------- export, QGIS, CLI


def test_geopackage_layers_read_back_in_geopandas_and_qgis(pairs, tmp_path, ratio):
    from qgis.core import QgsApplication, QgsVectorLayer

    if QgsApplication.instance() is None:
        app = QgsApplication([], False, str(tmp_path / "profile"))
        app.initQgis()
    result = E.analyze_enclaves(pairs, attributes=ratio, columns=["ratio_2019"], roll_up="city")
    path = write_layers(result.layers(), tmp_path / "enclaves.gpkg")
    assert [n for n, _ in pyogrio.list_layers(path)] == ["enclave_ends", "enclave_desire_lines", "enclave_nodes"]
    for name in ("enclave_ends", "enclave_desire_lines", "enclave_nodes"):
        back = gpd.read_file(path, layer=name)
        assert back.crs.to_epsg() == 4326 and len(back) == len(result.layers()[name])
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        assert layer.isValid() and layer.featureCount() == len(back)
        assert layer.crs().authid() == "EPSG:4326"
    lines = gpd.read_file(path, layer="enclave_desire_lines")
    assert {"ratio_2019_diff", "two_way", "distance_km"} <= set(lines.columns)
    nodes = gpd.read_file(path, layer="enclave_nodes")
    assert len(nodes) == len(result.network.nodes) and nodes.crs.to_epsg() == 4326
    sh = nodes.set_index("adcode").loc["310100"]
    assert (sh.geometry.x, sh.geometry.y) == pytest.approx((yrdgeo.unit("上海").anchor_lon, yrdgeo.unit("上海").anchor_lat))


def test_cli_enclaves_gives_the_library_numbers(tmp_path, capsys):
    tt = tmp_path / "tt.csv"
    lib = E.load_enclave_pairs()
    rows = [f"{a},{b},{60 + i}" for i, (a, b) in enumerate(zip(lib.fly_out_adcode, lib.fly_in_adcode))]
    tt.write_text("from_adcode,to_adcode,minutes\n" + "\n".join(rows) + "\n", encoding="utf-8")  # synthetic minutes
    out = tmp_path / "e.gpkg"
    assert main(["enclaves", "--travel-time", str(tt), "--out", str(out)]) == 0
    expect = E.analyze_enclaves(lib, travel_time=E.read_travel_time(tt)).lines
    back = gpd.read_file(out, layer="enclave_desire_lines")
    assert list(back.pair_id) == list(expect.pair_id)
    assert np.allclose(back.distance_km, expect.distance_km)
    assert np.allclose(back.travel_time_min, expect.travel_time_min)
    assert "two_way" in capsys.readouterr().out


def test_cli_benefit_schedule_matches_the_library(tmp_path):
    out = tmp_path / "s.csv"
    assert main(["benefit-schedule", "--revenue", "80", "--years", "7", "--out", str(out)]) == 0
    back = pd.read_csv(out)
    expect = E.revenue_schedule(80.0, years=7)
    assert np.allclose(back.fly_out_revenue, expect.fly_out_revenue)
    assert main(["benefit-schedule", "--revenue", "10", "20", "--shares", "0.5,2"]) == 2  # share above 1
