"""Tests for yrdgeo.accessibility on a small network known by hand and on the bundled YRD network."""

from __future__ import annotations

import argparse
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

import yrdgeo
from yrdgeo import accessibility as A
from yrdgeo import network as N

METRIC = "EPSG:4549"
X0, Y0 = 500_000.0, 3_450_000.0
T_AC = 2 * math.sqrt(200) / 100 * 60  # A–C over the 100 km/h arc via (10, 10): 16.97 min


def line(*pts):
    return LineString([(X0 + x * 1000, Y0 + y * 1000) for x, y in pts])


def places(*xy_km, keys=None, crs=METRIC, **cols):
    keys = keys or [chr(ord("A") + i) for i in range(len(xy_km))]
    return gpd.GeoDataFrame(
        {"code": keys, **cols},
        geometry=gpd.points_from_xy([X0 + x * 1000 for x, _ in xy_km], [Y0 + y * 1000 for _, y in xy_km]), crs=crs,
    )


@pytest.fixture
def lines():
    """A(0,0)–B(10,0): 10 km at 60 km/h = 10 min; B–C(20,0): 10 km at 30 km/h = 20 min;
    A–C over an arc via (10,10): 28.28 km at 100 km/h = 16.97 min (opened 2020); B–C opened 2015-06."""
    return gpd.GeoDataFrame(
        {"name": ["ab", "bc", "ac"], "speed": [60.0, 30.0, 100.0], "opened": ["", "2015-06", "2020-01-01"],
         "oneway": [False, False, False]},
        geometry=[line((0, 0), (10, 0)), line((10, 0), (20, 0)), line((0, 0), (10, 10), (20, 0))], crs=METRIC,
    )


@pytest.fixture
def net(lines):
    return N.from_lines(lines, speed="speed", opened="opened", oneway="oneway", name_column="name")


@pytest.fixture
def abc():
    return places((0, 0), (10, 0), (20, 0), opp=[1.0, 2.0, 4.0], pop=[100.0, 200.0, 300.0])


# ---------------------------------------------------------------- small network, known by hand


def test_od_matrix_known_by_hand_and_symmetric(net, abc):
    od = A.od_matrix(net, abc, key="code")
    expected = np.array([[0, 10, T_AC], [10, 0, 20], [T_AC, 20, 0]])
    np.testing.assert_allclose(od.minutes.to_numpy(), expected, atol=1e-6)
    np.testing.assert_allclose(od.minutes.to_numpy(), od.minutes.to_numpy().T, atol=1e-9)
    assert od.reachable.all().all() and od.unreachable.empty
    assert list(od.minutes.index) == ["A", "B", "C"]


def test_oneway_link_breaks_symmetry(lines, abc):
    one = lines.assign(oneway=[False, False, True])  # A→C only along the arc
    od = A.od_matrix(N.from_lines(one, speed="speed", oneway="oneway"), abc, key="code").minutes
    assert od.loc["A", "C"] == pytest.approx(T_AC)
    assert od.loc["C", "A"] == pytest.approx(30.0)  # back through B


def test_access_and_egress_from_points_off_the_network(net, abc):
    off = places((0, -3), keys=["P"])  # 3 km south of A, 30 km/h → 6 min
    od = A.od_matrix(net, off, abc, key="code", k_nearest=1)
    assert od.minutes.loc["P", "A"] == pytest.approx(6.0, abs=1e-6)
    assert od.minutes.loc["P", "C"] == pytest.approx(6.0 + T_AC, abs=1e-6)
    assert od.access.loc["P", "access_km"] == pytest.approx(3.0, abs=1e-6)
    slow = A.od_matrix(net, off, abc, key="code", k_nearest=1, access_speed_kmh=10)
    assert slow.minutes.loc["P", "A"] == pytest.approx(18.0, abs=1e-6)
    none = A.od_matrix(net, off, abc, key="code", max_access_km=1.0)
    assert none.minutes.isna().all().all()
    assert set(none.unreachable.reason) == {"no_access"}
    t = A.time_to_centre(net, off, (float(abc.to_crs(4326).geometry.x[0]), float(abc.to_crs(4326).geometry.y[0])),
                         key="code", max_access_km=1.0)
    assert t.frame.status.tolist() == ["no_access"] and np.isnan(t.frame.time_min[0])


def test_unreachable_units_are_reported_not_zero(lines, abc):
    island = gpd.GeoDataFrame({"name": ["de"], "speed": [50.0], "opened": [""], "oneway": [False]},
                              geometry=[line((100, 100), (110, 100))], crs=METRIC)
    net = N.from_lines(pd.concat([lines, island], ignore_index=True), speed="speed", components="keep")
    pts = pd.concat([abc[["code", "geometry"]], places((100, 100), keys=["D"])], ignore_index=True)
    od = A.od_matrix(net, pts, key="code", k_nearest=1)
    assert np.isnan(od.minutes.loc["A", "D"]) and np.isnan(od.minutes.loc["D", "C"])
    assert od.minutes.loc["D", "D"] == 0.0
    assert not od.reachable.loc["A", "D"]
    pairs = set(map(tuple, od.unreachable[["origin", "destination"]].to_numpy()))
    assert pairs == {(o, "D") for o in "ABC"} | {("D", d) for d in "ABC"}
    assert set(od.unreachable.reason) == {"unreachable"}
    centre = A.time_to_centre(net, pts, tuple(abc.to_crs(4326).geometry.iloc[0].coords[0]), key="code", k_nearest=1)
    assert centre.unreachable == ["D"]
    assert centre.frame.set_index("code").loc["D", "status"] == "unreachable"
    assert np.isnan(centre.frame.set_index("code").loc["D", "time_min"])


def test_network_as_of_a_date_changes_times_and_reachability(net, abc):
    od_2019 = A.od_matrix(N.as_of(net, "2019-06-01"), abc, key="code").minutes
    od_2021 = A.od_matrix(N.as_of(net, "2021-06-01"), abc, key="code").minutes
    assert od_2019.loc["A", "C"] == pytest.approx(30.0)  # arc not open yet: A–B–C
    assert od_2021.loc["A", "C"] == pytest.approx(T_AC)
    od_2015 = A.od_matrix(N.as_of(net, "2015-06-15"), abc, key="code")  # B–C counts from 2015-06-30
    assert np.isnan(od_2015.minutes.loc["A", "C"])
    assert ("A", "C") in set(map(tuple, od_2015.unreachable[["origin", "destination"]].to_numpy()))


def test_compare_dates_reports_gain_and_newly_reachable(net, abc):
    a_lonlat = tuple(abc.to_crs(4326).geometry.iloc[0].coords[0])
    ch = A.compare_dates(net, abc, "2019-06-01", "2021-06-01", centre=a_lonlat, key="code")
    f = ch.frame.set_index("code")
    assert f.loc["C", "gain_min"] == pytest.approx(30.0 - T_AC)
    assert f.loc["C", "change"] == "faster" and f.loc["B", "change"] == "unchanged"
    assert ch.top(1).code.tolist() == ["C"]
    ch2 = A.compare_dates(net, abc, "2015-01-01", "2016-01-01", centre=a_lonlat, key="code")
    f2 = ch2.frame.set_index("code")
    assert f2.loc["C", "change"] == "newly_reachable"
    assert np.isnan(f2.loc["C", "gain_min"]) and np.isnan(f2.loc["C", "t_before_min"])
    assert f2.loc["C", "t_after_min"] == pytest.approx(30.0)


def test_indicators_known_by_hand(net, abc):
    a_lonlat = tuple(abc.to_crs(4326).geometry.iloc[0].coords[0])
    c_lonlat = tuple(abc.to_crs(4326).geometry.iloc[2].coords[0])
    res = A.accessibility(net, abc, key="code", centre=a_lonlat, centres=[a_lonlat, c_lonlat],
                          opportunities="opp", thresholds=(15, 25), half_life_min=10)
    f = res.frame.set_index("code")
    np.testing.assert_allclose(f.t_centre_min, [0, 10, T_AC], atol=1e-6)
    np.testing.assert_allclose(f.t_nearest_min, [0, 10, 0], atol=1e-6)
    assert f.loc["A", "avg_time_min"] == pytest.approx((2 * 10 + 4 * T_AC) / 6)
    assert f.loc["B", "avg_time_min"] == pytest.approx((1 * 10 + 4 * 20) / 5)
    assert f.opp_15.tolist() == [3.0, 3.0, 4.0]  # A: A+B; B: A+B; C: itself
    assert f.opp_25.tolist() == [7.0, 7.0, 7.0]
    hl = lambda t: 0.5 ** (t / 10)  # noqa: E731
    assert f.loc["A", "hansen"] == pytest.approx(1 + 2 * hl(10) + 4 * hl(T_AC))
    assert f.loc["C", "hansen"] == pytest.approx(1 * hl(T_AC) + 2 * hl(20) + 4)
    assert (f.n_unreachable == 0).all()
    assert "exp" in res.decay
    power = A.accessibility(net, abc, key="code", centre=a_lonlat, centres=[a_lonlat], opportunities="opp",
                            decay="power", power=2).frame.set_index("code")
    assert power.loc["A", "hansen"] == pytest.approx(1 + 2 / 100 + 4 / T_AC**2)
    cum = A.cumulative_opportunities(net, abc, key="code", thresholds=(15, 25), opportunities="opp")
    assert cum.opp_15.tolist() == f.opp_15.tolist() and cum.opp_25.tolist() == f.opp_25.tolist()


def test_two_step_fca_known_by_hand(net, abc):
    supply = places((10, 0), (20, 0), keys=["hB", "hC"], doctors=[10.0, 5.0])
    res = A.two_step_fca(net, abc, supply, demand_column="pop", supply_column="doctors", catchment_min=15)
    # catchment 15 min: B's site serves A (10 min) and B (0); C's site serves C only
    np.testing.assert_allclose(res.supply.ratio, [10 / 300, 5 / 300])
    np.testing.assert_allclose(res.demand.access_2sfca, [10 / 300, 10 / 300, 5 / 300])
    assert res.demand.n_supply_sites.tolist() == [1, 1, 1]
    far = places((500, 500), keys=["far"], doctors=[3.0])
    lonely = A.two_step_fca(net, abc, far, demand_column="pop", supply_column="doctors", catchment_min=15)
    assert np.isnan(lonely.supply.ratio.iloc[0])  # no demand in reach: explicit NaN, not 0
    assert (lonely.demand.access_2sfca == 0).all()


def test_isochrone_bands(net, abc):
    a_lonlat = tuple(abc.to_crs(4326).geometry.iloc[0].coords[0])
    iso = A.isochrones(net, a_lonlat, abc, key="code", bands=(15, 25))
    assert iso.band.tolist() == ["0–15", "0–15", "15–25"]
    short = A.isochrones(net, a_lonlat, abc, key="code", bands=(12,))
    assert short.band.tolist() == ["0–12", "0–12", ">12"]
    assert short.status.tolist() == ["ok", "ok", "beyond_cutoff"] and np.isnan(short.time_min[2])
    with pytest.raises(ValueError, match=r"bands must be strictly increasing, got \[60.0, 30.0\]"):
        A.isochrones(net, a_lonlat, abc, bands=(60, 30))


def test_grid_cells_over_a_region():
    region = yrdgeo.load_units("city").query("adcode == '310100'")
    cells = A.grid(region, cell_km=20)
    assert cells.crs.to_epsg() == 4326 and cells.cell_id.is_unique
    area = yrdgeo.crs.area_km2(cells).sum()
    assert area == pytest.approx(yrdgeo.crs.area_km2(region).sum(), rel=0.01)
    iso = A.isochrones(N.load_yrd_network(), "上海市", cells, bands=(30, 60))
    assert {"0–30", "30–60"} & set(iso.band)


# ---------------------------------------------------------------- bad input


def test_bad_inputs_are_refused(net, abc):
    with pytest.raises(ValueError, match="access_speed_kmh must be a positive"):
        A.od_matrix(net, abc, key="code", access_speed_kmh=0)
    with pytest.raises(ValueError, match="k_nearest"):
        A.od_matrix(net, abc, key="code", k_nearest=0)
    with pytest.raises(ValueError, match="cutoff_min"):
        A.od_matrix(net, abc, key="code", cutoff_min=-5)
    with pytest.raises(ValueError, match="no column 'nope'"):
        A.od_matrix(net, abc, key="nope")
    with pytest.raises(ValueError, match="must be unique"):
        A.od_matrix(net, abc.assign(code=["A", "A", "C"]), key="code")
    with pytest.raises(ValueError, match="coordinate reference system"):
        A.od_matrix(net, abc.set_crs(None, allow_override=True), key="code")
    with pytest.raises(ValueError, match="thresholds"):
        A.accessibility(net, abc, key="code", centre=(121.0, 31.0), centres=[(121.0, 31.0)], thresholds=(0,))
    with pytest.raises(ValueError, match="no column 'jobs'"):
        A.accessibility(net, abc, key="code", centre=(121.0, 31.0), centres=[(121.0, 31.0)], opportunities="jobs")
    with pytest.raises(ValueError, match="non-negative"):
        A.cumulative_opportunities(net, abc.assign(opp=[1, -2, 3]), key="code", opportunities="opp")
    with pytest.raises(ValueError, match="at least one centre"):
        A.nearest_centre(net, abc, [], key="code")
    with pytest.raises(ValueError, match="decay must be one of 'exponential', 'power'; got 'gaussian'"):
        A.decay_weights(np.array([1.0]), decay="gaussian")
    with pytest.raises(ValueError, match=r"half_life_min must be a positive number \(minutes\), got 0"):
        A.accessibility(net, abc, key="code", centre=(121.0, 31.0), centres=[(121.0, 31.0)], half_life_min=0)
    with pytest.raises(ValueError, match="thresholds must hold at least one number, got none"):
        A.cumulative_opportunities(net, abc, key="code", thresholds=())
    with pytest.raises(ValueError, match=r"max_access_km must be a positive number \(km\) or None, got -1"):
        A.isochrones(net, (121.0, 31.0), abc, key="code", max_access_km=-1)
    with pytest.raises(yrdgeo.UnknownUnitError):
        A.time_to_centre(N.load_yrd_network(), yrdgeo.load_units("city"), "Atlantis")
    with pytest.raises(ValueError, match="non-empty"):
        A.od_matrix(net, abc.iloc[:0], key="code")


# ---------------------------------------------------------------- bundled YRD network


@pytest.fixture(scope="module")
def yrd():
    return N.load_yrd_network()


def test_bundled_od_symmetric_and_matches_networkx(yrd, cities):
    import networkx as nx

    od = A.od_matrix(yrd, cities).minutes
    np.testing.assert_allclose(od.to_numpy(), od.to_numpy().T, atol=1e-9)
    g = nx.DiGraph()
    for u, v, d in yrd.to_networkx().edges(data=True):
        if not g.has_edge(u, v) or g[u][v]["w"] > d["time_min"]:
            g.add_edge(u, v, w=d["time_min"])
    ids = list(yrd.nodes.node_id)
    sh = ids.index("310100")
    ref = nx.single_source_dijkstra_path_length(g, sh, weight="w")
    for code in cities.adcode:  # city anchors are network nodes: no access time
        assert od.loc["310100", code] == pytest.approx(ref[ids.index(code)], abs=1e-6)


def test_time_to_centre_and_nearest_centre_agree_with_the_full_matrix(yrd, counties):
    capitals = yrdgeo.select_units(A.DEFAULT_CENTRES)
    full = A.od_matrix(yrd, counties, capitals).minutes
    to_sh = A.time_to_centre(yrd, counties, "上海").frame
    np.testing.assert_allclose(to_sh.time_min, full["310100"], atol=1e-9)
    near = A.nearest_centre(yrd, counties).frame
    np.testing.assert_allclose(near.time_min, full.min(axis=1), atol=1e-9)
    assert (near.centre.to_numpy() == full.idxmin(axis=1).to_numpy()).all()
    # Songjiang is on the Shanghai–Hangzhou HSR: closer in time to Shanghai than Qingpu's seat is by road
    songjiang = to_sh.set_index("adcode").loc["310117", "time_min"]
    assert 0 < songjiang < 15


def test_a_centre_is_a_unit_seat_or_a_point_as_yrdgeo_measure_locates_it(yrd, counties):
    from yrdgeo.measure import locate

    code, (lon, lat) = locate("上海")
    assert code == "310100" and locate((lon, lat)) == (None, (lon, lat))
    by_name = A.time_to_centre(yrd, counties, "上海")
    by_point = A.time_to_centre(yrd, counties, (lon, lat))
    assert by_name.centres == ["310100"] and by_point.centres == [f"({lon:.4f}, {lat:.4f})"]
    np.testing.assert_allclose(by_point.frame.time_min, by_name.frame.time_min, atol=1e-9)


def test_rail_only_2010_network_reports_units_cut_off(yrd, cities):
    rail_2010 = N.as_of(yrd, "2010-01-01", undated="drop")
    res = A.time_to_centre(rail_2010, cities, "上海")
    f = res.frame.set_index("adcode")
    assert f.loc["330900", "status"] == "unreachable"  # Zhoushan: no rail, bridges undated
    assert np.isnan(f.loc["330900", "time_min"])
    assert "330900" in res.unreachable
    assert set(f.status) == {"ok", "unreachable"}
    assert (f.loc[f.status == "ok", "time_min"] >= 0).all()
    assert f.loc[f.status != "ok", "time_min"].isna().all()  # never 0, never a large number
    later = A.time_to_centre(N.as_of(yrd, "2025-01-01", undated="drop"), cities, "上海").frame.set_index("adcode")
    # Nanjing: conventional railway (1908) and expressway (1996) in 2010, high-speed lines by 2025
    assert f.loc["320100", "status"] == "ok"
    assert later.loc["320100", "time_min"] < 120 < f.loc["320100", "time_min"]


def test_shanghai_gains_between_2010_and_2025(yrd, counties):
    ch = A.compare_dates(yrd, counties, "2010-01-01", "2025-01-01", centre="上海")
    f = ch.frame
    assert (f.gain_min.dropna() >= -1e-9).all()  # opening lines never slows anyone down
    assert set(f.change) <= {"faster", "unchanged"}
    top = ch.top(5)
    assert (top.gain_min > 120).all()
    assert ch.before.isoformat() == "2010-01-01"


def test_cli_access_matches_library(tmp_path, yrd, cities):
    from yrdgeo.cli import main

    out = tmp_path / "access.csv"
    assert main(["access", "--level", "city", "--date", "2012-01-01", "--out", str(out)]) == 0
    cli = pd.read_csv(out, dtype={"adcode": str}).set_index("adcode")
    lib = A.accessibility(N.as_of(yrd, "2012-01-01"), cities).frame.set_index("adcode")
    np.testing.assert_allclose(cli.loc[lib.index, "t_centre_min"], lib.t_centre_min, rtol=1e-9)
    np.testing.assert_allclose(cli.loc[lib.index, "hansen"], lib.hansen, rtol=1e-9)
    np.testing.assert_allclose(cli.loc[lib.index, "opp_90"], lib.opp_90)


def test_cli_change_od_and_network_export(tmp_path, yrd, counties, capsys):
    from yrdgeo.cli import main

    out = tmp_path / "change.gpkg"
    assert main(["access-change", "--before", "2010-01-01", "--after", "2025-01-01", "--out", str(out)]) == 0
    cli = gpd.read_file(out).set_index("adcode")
    lib = A.compare_dates(yrd, counties, "2010-01-01", "2025-01-01").frame.set_index("adcode")
    np.testing.assert_allclose(cli.loc[lib.index, "gain_min"], lib.gain_min, rtol=1e-9)
    od_csv = tmp_path / "od.csv"
    assert main(["od", "--level", "city", "--date", "2010-01-01", "--undated", "drop", "--out", str(od_csv)]) == 0
    od = yrdgeo.od.read(od_csv)  # the CLI writes the long OD table (yrdgeo.od); read back as the matrix
    assert od.loc["330900"].drop("330900").isna().all()  # unreachable cells are empty, not 0
    assert main(["network", "export", "--out", str(tmp_path / "n.gpkg")]) == 0
    assert main(["access", "--level", "city", "--centre", "Atlantis"]) == 2
    assert "Atlantis" in capsys.readouterr().err
    assert main(["access", "--network", str(tmp_path / "missing.gpkg"), "--speed-field", "v"]) == 2


def test_cli_isochrone_grid_matches_library(tmp_path, yrd):
    from yrdgeo.cli import main

    out = tmp_path / "iso.gpkg"
    assert main(["isochrone", "--origin", "上海", "--grid-km", "25", "--province", "上海", "--out", str(out)]) == 0
    cli = gpd.read_file(out).set_index("cell_id")
    cells = A.grid(yrdgeo.load_units("province", province="上海"), cell_km=25)
    lib = A.isochrones(yrd, "上海", cells, key="cell_id").set_index("cell_id")
    assert (cli.loc[lib.index, "band"] == lib.band).all()
    np.testing.assert_allclose(cli.loc[lib.index, "time_min"], lib.time_min, rtol=1e-9)


@pytest.mark.slow  # runs the benchmark script
def test_benchmark_script_runs_and_agrees_with_raw_engine_on_a_small_graph():
    import runpy
    from pathlib import Path

    bench = runpy.run_path(str(Path(__file__).resolve().parents[1] / "benchmarks" / "bench_od_matrix.py"))
    # a 50x50 lattice, 20 origins, 2 processes without contraction, NetworkX on 5
    args = argparse.Namespace(sources=20, seed=7, bends=0.0, jobs=2, contract="no", repeat=1, extras=True,
                              nx_sources=5)
    row = bench["run"](2500, args)
    assert row["nodes"] == 2500 and row["nx_sources"] == 5
    assert row["same_answer"] and row["identical"]  # yrdgeo = raw csgraph; n_jobs=2 = serial, bit for bit
    assert row["nearest_agrees"]  # nearest centre = min of the full matrix


def test_od_matrix_feeds_enclave_desire_lines(yrd):
    from yrdgeo import enclaves

    pairs = enclaves.enclave_pairs()
    od = A.od_matrix(yrd, enclaves.end_units(pairs))
    lines = enclaves.desire_lines(pairs, travel_time=od)
    first = lines.iloc[0]
    assert first.travel_time_min == pytest.approx(od.minutes.loc[first.fly_out_adcode, first.fly_in_adcode])
    assert lines.travel_time_min.notna().all()


# ---------------------------------------------------------------- isochrone polygons


@pytest.fixture(scope="module")
def iso_cells():
    """Shanghai, Jiangsu and Zhejiang in 20 km cells, with the time from Shanghai on the 2020 network."""
    cells = A.grid(yrdgeo.select_units(["上海市", "江苏省", "浙江省"]), cell_km=20)
    with pytest.warns(UserWarning, match="point inside its polygon"):
        grid = A.isochrones(N.load_yrd_network(as_of="2020-01-01"), "上海市", cells, bands=(60, 120, 180))
    return cells, grid


def _polygons(cells, **options):
    with pytest.warns(UserWarning, match="point inside its polygon"):
        return A.isochrones(N.load_yrd_network(as_of="2020-01-01"), "上海市", cells, bands=(60, 120, 180),
                            shape="polygons", **options)


def test_isochrone_polygons_cover_their_cells(iso_cells):
    """Each band's polygon holds its grid cells; the smoothing (closing by half a cell) adds less than 5%."""
    cells, grid = iso_cells
    cell_km2 = yrdgeo.crs.to_metric(grid).area / 1e6
    rings = _polygons(cells)
    assert rings.band.tolist() == ["0–60", "60–120", "120–180"] and rings.is_valid.all()
    for row in rings.itertuples():
        mine = grid.band == row.band  # the grid's cells of this band, counted and measured
        assert row.targets == mine.sum() and row.targets_km2 == pytest.approx(cell_km2[mine].sum(), rel=1e-9)
        # a ring is its nested area less the inner one, whose smoothing may take a notch of this ring's cells
        assert row.area_km2 == pytest.approx(row.targets_km2, rel=0.05)
    nested = _polygons(cells, nested=True)
    assert nested.band.tolist() == ["0–60", "0–120", "0–180"] and nested.is_valid.all()
    metric = nested.to_crs(METRIC).geometry.tolist()
    for row, shape in zip(nested.itertuples(), metric):
        within = grid.time_min <= row.to_min
        assert row.targets == within.sum()
        # the area from the origin holds every cell within the limit: never less, at most 5% more
        assert row.targets_km2 <= row.area_km2 <= 1.05 * row.targets_km2
        assert shape.buffer(1.0).covers(yrdgeo.crs.to_metric(grid[within]).union_all())
    for inner, outer in zip(metric, metric[1:]):
        assert inner.difference(outer).area < 1e-6 * inner.area  # nested bands contain each other
    # the rings tile the nested areas: disjoint, adding up to them
    assert rings.area_km2.cumsum().tolist() == pytest.approx(nested.area_km2.tolist(), rel=1e-3)
    ring_shapes = rings.to_crs(METRIC).geometry.tolist()
    assert ring_shapes[0].intersection(ring_shapes[1]).area < 1e-6 * ring_shapes[0].area


def test_isochrone_polygons_need_polygon_targets(net, abc):
    a_lonlat = tuple(abc.to_crs(4326).geometry.iloc[0].coords[0])
    assert A.ISOCHRONE_SHAPES == ("grid", "polygons")
    with pytest.raises(ValueError, match="polygon targets .* got \\['Point'\\]; pass grid\\(region\\)"):
        A.isochrones(net, a_lonlat, abc, key="code", shape="polygons")
    with pytest.raises(ValueError, match="^shape must be one of 'grid', 'polygons'; got 'hull'$"):
        A.isochrones(net, a_lonlat, abc, key="code", shape="hull")
