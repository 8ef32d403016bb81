"""Corridors on the real bundled boundaries: G60 and its wings, bands, chainage, versions, export."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest

import yrdgeo
from yrdgeo import corridors as C
from yrdgeo.cli import main
from yrdgeo.crs import GEOD
from yrdgeo.io import write_layers
from yrdgeo.units import data_path

G60_SOUTH = ["310117", "330400", "330100", "330700"]
G60_NORTH = ["310117", "320500", "330500", "341800", "340200", "340100"]


@pytest.fixture(scope="module")
def g60():
    return C.load_corridor("g60")


# --------------------------------------------------------------------------- the G60 corridor


def test_g60_has_nine_members_four_south_six_north_counting_the_hub(g60):
    assert len(g60.members) == 9
    assert g60.hub == "310117"  # Songjiang district, a county-level hub among whole cities
    assert g60.wings == ("south", "north")
    assert g60.wing_units("south") == G60_SOUTH
    assert g60.wing_units("north") == G60_NORTH
    summary = C.summarize_wings(g60).set_index("wing")
    assert summary.loc["south", "n_units"] == 4
    assert summary.loc["north", "n_units"] == 6
    assert summary.loc["all", "n_units"] == 9
    levels = C.corridor_members(g60).set_index("adcode").level
    assert levels["310117"] == "county" and (levels.drop("310117") == "city").all()


def test_g60_matches_the_reference_table():
    ref = pd.read_csv(str(data_path("reference", "g60_corridor.csv")), dtype=str)
    members = C.load_corridor("g60").members
    got = list(zip(members.wing, members.order.astype(str), members.adcode, members.version))
    assert got == list(zip(ref.wing, ref.order, ref.adcode, ref.joined_version))
    bundled = pd.read_csv(str(data_path("corridors", "members.csv")), dtype=str).query("corridor_id == 'g60'")
    assert list(bundled.sources) == list(ref.sources)


def test_bundled_tables_cite_papers_by_key():
    for name in ("corridors", "members", "versions"):
        table = pd.read_csv(str(data_path("corridors", f"{name}.csv")), dtype=str, keep_default_na=False)
        assert "seed" not in table.columns
        for keys in table.sources:
            yrdgeo.sources.cite_all(keys)  # an unknown key raises
    assert list(C.list_corridors().set_index("corridor_id").loc["g60", ["sources"]]) == ["wu-zhang;lin-lin;governance"]
    source = C.load_corridor("g60").source
    assert "吴福象、张雯《长三角区域产城人融合发展路径研究》" in source and "林玉妹、林善浪" in source


@pytest.mark.parametrize(("version", "group"), [("1.0", "g60_v1"), ("2.0", "g60_v2"), ("3.0", "g60_v3")])
def test_g60_versions_agree_with_region_groups(version, group):
    corridor = C.load_corridor("g60", version=version)
    assert set(corridor.adcodes) == set(yrdgeo.group_members(group).adcode)


def test_g60_as_of_a_date():
    # version 1.0 dates from 2016-05-24 and 3.0 from 2018-06-01 (the public record, not the papers: versions.csv
    # says so); 2.0's "2017-07" is partial, so it counts from 2017-07-31 (yrdgeo.dates)
    assert C.load_corridor("g60", as_of="2016-12-31").adcodes == ["310117"]
    assert C.load_corridor("g60", as_of="2016-05-24").adcodes == ["310117"]
    with pytest.raises(ValueError, match="did not exist on 2016-05-23"):
        C.load_corridor("g60", as_of="2016-05-23")
    mid = C.load_corridor("g60", as_of="2017-12-31")
    assert mid.version == "2.0" and mid.wings == ("south",)
    assert mid.wing_units("south") == ["310117", "330400", "330100"]
    assert C.load_corridor("g60", as_of="2018-05-31").version == "2.0"
    assert C.load_corridor("g60", as_of="2018-06-01").version == "3.0"
    assert C.load_corridor("g60", as_of="2020").version == "3.0"
    with pytest.raises(ValueError, match="did not exist on 2015-12-31.*1.0 dates from 2016-05-24"):
        C.load_corridor("g60", as_of="2015")
    # members carry their version and its date, so membership change can be mapped
    m = C.corridor_members(C.load_corridor("g60")).set_index("adcode")
    assert m.loc["330100", "since"] == "2017-07" and m.loc["340100", "since"] == "2018-06-01"


def test_hub_only_version_has_a_disc_band_and_no_centreline():
    v1 = C.load_corridor("g60", version="1.0")
    assert C.centrelines(v1).empty
    band = C.corridor_band(v1, 10)
    assert list(band.wing) == ["hub"]
    assert band.area_km2.iloc[0] == pytest.approx(math.pi * 10**2, rel=0.01)
    with pytest.raises(ValueError, match="only its hub"):
        C.locate(v1, ["合肥"])


def test_hefei_is_farther_along_the_north_wing_than_wuhu(g60):
    members = C.corridor_members(g60).set_index("adcode")
    assert members.loc["340100", "chainage_km"] > members.loc["340200", "chainage_km"] > 0
    loc = C.locate(g60, ["合肥", "芜湖"]).set_index("adcode")
    assert (loc.wing == "north").all()
    assert loc.loc["340100", "chainage_km"] > loc.loc["340200", "chainage_km"]
    # on its own wing a member sits on the line: chainage equals the members' cumulative value
    assert loc.loc["340100", "chainage_km"] == pytest.approx(members.loc["340100", "chainage_km"], abs=1e-6)
    assert loc.loc["340100", "offset_km"] == pytest.approx(0, abs=1e-6)


def test_chainage_is_geodesic_seat_to_seat(g60):
    members = C.corridor_members(g60).set_index("adcode")
    first = yrdgeo.distance_km("松江区", "嘉兴")
    assert members.loc["330400", "chainage_km"] == pytest.approx(first, rel=1e-9)
    second = first + yrdgeo.distance_km("嘉兴", "杭州")
    assert members.loc["330100", "chainage_km"] == pytest.approx(second, rel=1e-9)
    lines = C.centrelines(g60).set_index("wing")
    assert lines.loc["south", "length_km"] == pytest.approx(members.loc["330700", "chainage_km"], rel=1e-9)
    # the centreline's own geodesic length (pyproj) is the same number
    assert GEOD.geometry_length(lines.loc["north", "geometry"]) / 1000 == pytest.approx(
        lines.loc["north", "length_km"], rel=1e-9)


def test_locate_assigns_hub_and_nearest_wing(g60):
    loc = C.locate(g60, ["闵行区", "南京", "宁波", "松江"]).set_index("query")
    assert loc.loc["闵行区", "wing"] == "hub" and loc.loc["闵行区", "chainage_km"] == 0
    assert loc.loc["松江", "wing"] == "hub" and loc.loc["松江", "offset_km"] == pytest.approx(0, abs=1e-6)
    assert loc.loc["南京", "wing"] == "north" and loc.loc["南京", "offset_km"] > 50
    assert loc.loc["宁波", "wing"] == "south"
    pts = C.locate(g60, [(117.3, 31.85)])  # next to Hefei
    assert pts.wing.iloc[0] == "north" and pts.chainage_km.iloc[0] > 400
    with pytest.raises(ValueError, match="not a mix"):
        C.locate(g60, ["合肥", (117.3, 31.85)])


def test_locate_keeps_the_input_frame(g60, cities):
    before = cities.copy()
    out = C.locate(g60, cities)
    assert {"wing", "chainage_km", "offset_km"} <= set(out.columns)
    assert "wing" not in cities.columns
    pd.testing.assert_frame_equal(pd.DataFrame(cities.drop(columns="geometry")),
                                  pd.DataFrame(before.drop(columns="geometry")))


# --------------------------------------------------------------------------- bands and units near


def test_band_areas_grow_with_width(g60):
    areas = [C.corridor_band(g60, w).set_index("wing").area_km2 for w in (0, 10, 30, 60)]
    assert (areas[0] == 0).all()
    for smaller, larger in zip(areas, areas[1:]):
        assert (larger > smaller).all()
    # the whole corridor's band is less than the sum of wings (they overlap at the hub) but more than either
    a30 = areas[2]
    assert max(a30.south, a30.north) < a30["all"] < a30.south + a30.north


def test_band_is_built_in_metres_not_degrees():
    # a single straight segment: buffer area = 2wL + πw² (a stadium), up to map-projection scale (< 0.5%)
    c = C.define_corridor(["嘉兴"], hub="松江区")
    length = C.centrelines(c).length_km.iloc[0]
    w = 20.0
    band = C.corridor_band(c, w)
    assert list(band.wing) == ["main"]
    assert band.area_km2.iloc[0] == pytest.approx(2 * w * length + math.pi * w * w, rel=0.005)
    assert band.crs.to_epsg() == 4326


def test_band_can_be_clipped_to_land(g60):
    provinces = yrdgeo.load_units("province")
    clipped = C.corridor_band(g60, 60, clip=provinces).set_index("wing")
    full = C.corridor_band(g60, 60).set_index("wing")
    assert (clipped.area_km2 <= full.area_km2 + 1e-6).all()
    assert clipped.loc["all", "area_km2"] < full.loc["all", "area_km2"]  # the band reaches the sea east of Songjiang


def test_units_near_reports_share_distance_wing_and_relation(g60, counties):
    before = counties.copy()
    near = C.units_near(g60, 30, units=counties).set_index("adcode")
    pd.testing.assert_frame_equal(pd.DataFrame(counties.drop(columns="geometry")),
                                  pd.DataFrame(before.drop(columns="geometry")))
    assert near.share_in_band.between(0, 1).all()
    assert (near.distance_km <= 30 + 1e-9).all()
    assert near.loc["310117", "relation"] == "member" and near.loc["310117", "share_in_band"] == pytest.approx(1)
    assert near.loc["320583", "relation"] == "inside_member"  # Kunshan, part of Suzhou
    assert near.loc["340103", "nearest_wing"] == "north"  # Luyang district of Hefei
    assert "320302" not in near.index  # Xuzhou's Gulou district is nowhere near
    wider = C.units_near(g60, 60, units="county").set_index("adcode")
    assert set(near.index) < set(wider.index)
    common = near.index
    assert (wider.loc[common, "share_in_band"] >= near.share_in_band - 1e-9).all()
    # a unit counted at city level that contains the hub
    city = C.units_near(g60, 10, units="city").set_index("adcode")
    assert city.loc["310100", "relation"] == "contains_member"


def test_units_near_area_share_matches_a_direct_overlay(g60, cities):
    near = C.units_near(g60, 30, units=cities, keep_all=True).set_index("adcode")
    band = C.corridor_band(g60, 30).set_index("wing").loc[["all"]]
    band = gpd.GeoDataFrame(band, geometry="geometry", crs=4326).to_crs(yrdgeo.AREA_CRS)
    over = gpd.overlay(cities.to_crs(yrdgeo.AREA_CRS)[["adcode", "geometry"]], band[["geometry"]], how="intersection")
    expect = (over.set_index("adcode").area / cities.to_crs(yrdgeo.AREA_CRS).set_index("adcode").area).dropna()
    assert np.allclose(near.loc[expect.index, "share_in_band"], expect, atol=1e-6)
    assert len(near) == len(cities)


def test_wing_summary_joins_attributes_side_by_side(g60):
    ratio = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    s = C.summarize_wings(g60, width_km=30, attributes=ratio, columns=["ratio_2019"], agg="mean").set_index("wing")
    r = ratio.set_index("adcode").ratio_2019
    assert s.loc["south", "ratio_2019"] == pytest.approx(r[["330400", "330100", "330700"]].mean())
    assert s.loc["south", "ratio_2019_n"] == 3  # Songjiang (a district) has no city-level ratio
    assert s.loc["north", "ratio_2019"] == pytest.approx(r[["320500", "330500", "341800", "340200", "340100"]].mean())
    assert s.loc["north", "length_km"] > s.loc["south", "length_km"]
    assert s.loc["all", "member_area_km2"] == pytest.approx(
        yrdgeo.crs.area_km2(yrdgeo.select_units(C.load_corridor("g60").adcodes)).sum())
    with pytest.raises(ValueError, match="no column\\(s\\) \\['gdp'\\]"):
        C.summarize_wings(g60, attributes=ratio, columns=["gdp"])
    with pytest.raises(ValueError, match="agg must be one of 'sum', 'mean'.*; got 'average'"):
        C.summarize_wings(g60, attributes=ratio, agg="average")
    with pytest.raises(ValueError, match=r"agg\['ratio_2019'\] must be one of .*; got 'avg'"):
        C.summarize_wings(g60, attributes=ratio, agg={"ratio_2019": "avg"})


# --------------------------------------------------------------------------- defining corridors


def test_bundled_examples_and_catalogue():
    cat = C.list_corridors().set_index("corridor_id")
    assert {"g60", "hu_ning_he", "hu_hang_yong"} <= set(cat.index)
    hnh = C.load_corridor("沪宁合产业创新带")
    assert hnh.hub == "310100" and hnh.wing_units("main")[-1] == "340100"
    hhy = C.load_corridor("Shanghai–Hangzhou–Ningbo line")
    assert hhy.wing_units("main") == ["310100", "330400", "330100", "330600", "330200"]
    assert C.load_corridor("G60").corridor_id == "g60"


def test_define_a_corridor_in_a_few_lines():
    c = C.define_corridor({"south": ["嘉兴", "杭州", "金华"], "north": ["苏州市", "湖州", "宣城", "芜湖", "合肥"]},
                          hub="上海市松江区", corridor_id="my_g60",
                          versions={"1.0": "2016", "2.0": "2017-07", "3.0": "2018"},
                          joined={"松江区": "1.0", "嘉兴": "2.0", "杭州": "2.0"} | {
                              n: "3.0" for n in ["金华", "苏州市", "湖州", "宣城", "芜湖", "合肥"]})
    ref = C.load_corridor("g60")
    assert c.adcodes == ref.adcodes
    assert c.as_of("2017-12-31").adcodes == ref.as_of("2017-12-31").adcodes


def test_read_a_corridor_file_in_the_bundled_format(tmp_path):
    path = tmp_path / "my_line.csv"
    path.write_text("wing,order,unit_zh\nhub,0,南京\nwest,1,马鞍山\nwest,2,芜湖\neast,1,镇江\n", encoding="utf-8")
    c = C.read_corridor(path)
    assert c.corridor_id == "my_line" and c.wings == ("west", "east")
    assert c.wing_units("west") == ["320100", "340500", "340200"]
    layers = C.analyze_corridor(c, 15, units=None).layers()
    assert set(layers) == {"corridor_members", "corridor_centrelines", "corridor_bands", "corridor_wings"}


# --------------------------------------------------------------------------- bad input


def test_member_outside_the_yrd_is_refused():
    with pytest.raises(ValueError, match="member '北京' is not a YRD unit.*outside the YRD"):
        C.define_corridor(["苏州市", "北京"], hub="上海")
    with pytest.raises(ValueError, match="member 'Atlantis' is not a YRD unit"):
        C.define_corridor({"east": ["Atlantis"]}, hub="上海")


def test_ambiguous_member_is_refused_not_guessed():
    with pytest.raises(ValueError, match="'Suzhou' is not a YRD unit.*ambiguous"):
        C.define_corridor(["Suzhou"], hub="上海")


def test_duplicate_member_is_refused(tmp_path):
    with pytest.raises(ValueError, match="duplicate member 杭州市.*south #2, south #3"):
        C.define_corridor({"south": ["嘉兴", "杭州", "杭州市"]}, hub="松江区")
    with pytest.raises(ValueError, match="duplicate member 松江区"):
        C.define_corridor({"south": ["松江区", "嘉兴"]}, hub="松江区")
    with pytest.raises(ValueError, match="duplicate member 湖州市.*south #1, north #1"):
        C.define_corridor({"south": ["湖州"], "north": ["湖州"]}, hub="松江区")
    with pytest.raises(ValueError, match="松江区.*lies inside member 上海市"):
        C.define_corridor(["松江区", "嘉兴"], hub="上海")
    path = tmp_path / "dup.csv"
    path.write_text("wing,order,adcode\nhub,0,310117\nmain,1,330400\nmain,2,330400\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate member 嘉兴市"):
        C.read_corridor(path)


@pytest.mark.parametrize("width", [-1, -0.001, float("nan"), float("inf"), "wide"])
def test_negative_or_bad_band_width_is_refused(g60, width):
    with pytest.raises(ValueError, match=r"width_km must be a number >= 0 \(km on each side of the centreline\)"):
        C.corridor_band(g60, width)
    with pytest.raises(ValueError, match=r"width_km must be a number >= 0 \(km on each side of the centreline\)"):
        C.units_near(g60, width)
    with pytest.raises(ValueError, match=r"width_km must be a number >= 0 \(km on each side of the centreline\)"):
        C.analyze_corridor(g60, width)


def test_other_bad_corridor_input(tmp_path):
    with pytest.raises(ValueError, match="unknown corridor 'g61'.*g60"):
        C.load_corridor("g61")
    with pytest.raises(ValueError, match="no version '4.0'"):
        C.load_corridor("g60", version="4.0")
    with pytest.raises(ValueError, match="either version= or as_of="):
        C.load_corridor("g60", version="2.0", as_of="2018")
    with pytest.raises(ValueError, match="no version history"):
        C.load_corridor("hu_ning_he", as_of="2020")
    with pytest.raises(ValueError, match="wing 'east' of corridor 'custom' has no units"):
        C.define_corridor({"east": []}, hub="上海")
    with pytest.raises(ValueError, match="members name versions \\['9.9'\\]"):
        C.define_corridor(["嘉兴"], hub="松江区", joined={"嘉兴": "9.9"})
    path = tmp_path / "gap.csv"
    path.write_text("wing,order,unit_zh\nhub,0,南京\nwest,1,马鞍山\nwest,3,芜湖\n", encoding="utf-8")
    with pytest.raises(ValueError, match="order must run 1, 2, … without gaps, got \\[1, 3\\]"):
        C.read_corridor(path)
    path.write_text("wing,unit_zh\nhub,南京\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks columns \\['order'\\]"):
        C.read_corridor(path)
    path.write_text("wing,order,unit_zh,adcode\nhub,0,南京,320100\nwest,1,马鞍山,340200\n", encoding="utf-8")
    with pytest.raises(ValueError, match="wing 'west', member: name '马鞍山' is 马鞍山市.* but adcode '340200' is 芜湖市"):
        C.read_corridor(path)


# --------------------------------------------------------------------------- export, QGIS, CLI


def test_geopackage_layers_read_back_in_geopandas_and_qgis(g60, tmp_path, qgis_app):
    from qgis.core import QgsVectorLayer

    result = C.analyze_corridor(g60, 30, units="county")
    path = write_layers(result.layers(), tmp_path / "g60.gpkg")
    names = [n for n, _ in pyogrio.list_layers(path)]
    assert names == ["corridor_members", "corridor_centrelines", "corridor_bands", "corridor_wings", "corridor_units"]
    for name, frame in result.layers().items():
        back = gpd.read_file(path, layer=name)
        assert back.crs.to_epsg() == 4326
        assert len(back) == len(frame)
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        assert layer.isValid(), name
        assert layer.featureCount() == len(frame)
        assert layer.crs().authid() == "EPSG:4326"
    members = gpd.read_file(path, layer="corridor_members")
    assert list(members.wing) == ["hub", "south", "south", "south", "north", "north", "north", "north", "north"]


def test_cli_corridor_gives_the_library_numbers(tmp_path, capsys):
    out = tmp_path / "c.gpkg"
    assert main(["corridor", "g60", "hu_hang_yong", "--width-km", "25", "--units", "city", "--out", str(out)]) == 0
    lib = C.combine_layers([C.analyze_corridor(C.load_corridor(n), 25, units="city") for n in ("g60", "hu_hang_yong")])
    for name, frame in lib.items():
        back = gpd.read_file(out, layer=name)
        assert len(back) == len(frame)
        for col in ("area_km2", "length_km", "chainage_km", "share_in_band"):
            if col in frame.columns:
                assert np.allclose(back[col], frame[col])
    assert "south" in capsys.readouterr().out
    assert main(["corridor", "g60", "--units", "none", "--locate", "合肥", "--locate", "芜湖"]) == 0
    printed = capsys.readouterr().out
    expect = C.locate(C.load_corridor("g60"), ["合肥"]).chainage_km.iloc[0]
    assert f"{expect:.6f}"[:6] in printed and "north" in printed
    bad = tmp_path / "bad.gpkg"
    assert main(["corridor", "g60", "--locate", "北京", "--out", str(bad)]) == 2
    assert "outside the YRD" in capsys.readouterr().err and not bad.exists()


def test_cli_as_of_and_errors_write_nothing(tmp_path, capsys):
    out = tmp_path / "v2.gpkg"
    assert main(["corridor", "g60", "--as-of", "2017-12-31", "--units", "none", "--out", str(out)]) == 0
    assert len(gpd.read_file(out, layer="corridor_members")) == 3
    bad = tmp_path / "bad.gpkg"
    assert main(["corridor", "g60", "--width-km", "-5", "--out", str(bad)]) == 2
    assert "--width-km must be a number >= 0" in capsys.readouterr().err
    assert not bad.exists()
    assert list(tmp_path.iterdir()) == [out]  # no temporary leftovers


@pytest.mark.slow  # runs the example script in a subprocess
def test_example_script_writes_the_layers_and_the_map(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    env = {**__import__("os").environ, "PYTHONPATH": str(repo), "MPLBACKEND": "Agg"}
    run = subprocess.run([sys.executable, str(repo / "examples" / "corridors_enclaves.py"), str(tmp_path)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    names = [n for n, _ in pyogrio.list_layers(tmp_path / "corridors_enclaves.gpkg")]
    assert names == ["corridor_members", "corridor_centrelines", "corridor_bands", "corridor_wings",
                     "corridor_units", "enclave_ends", "enclave_desire_lines", "enclave_nodes"]
    members = gpd.read_file(tmp_path / "corridors_enclaves.gpkg", layer="corridor_members")
    assert sorted(set(members.corridor_id)) == ["g60", "hu_hang_yong", "hu_ning_he"]
    png = (tmp_path / "corridors_enclaves.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    wings = pd.read_csv(tmp_path / "g60_wings.csv")
    assert list(wings.wing) == ["south", "north", "all"]
    assert "findfont" not in run.stderr  # the CJK font was found, labels are not boxes


def test_transport_lines_replace_the_seat_centreline(g60):
    from shapely.geometry import LineString, MultiLineString

    seats = C.centrelines(g60).set_index("wing")
    north = np.asarray(seats.loc["north", "geometry"].coords)
    # the same path with extra vertices, drawn from Hefei to the hub and given in EPSG:4549:
    # it is reoriented, and chainages equal the seat-to-seat ones
    dense = np.concatenate([np.linspace(a, b, 7)[:-1] for a, b in zip(north[:-1], north[1:])] + [north[-1:]])
    frame = gpd.GeoDataFrame({"wing": ["north"]}, geometry=[LineString(dense[::-1])], crs=4326).to_crs(3857)
    same = g60.with_lines(frame)
    lines = C.centrelines(same).set_index("wing")
    assert lines.loc["north", "line"] == "transport" and lines.loc["south", "line"] == "seats"
    assert lines.loc["north", "length_km"] == pytest.approx(seats.loc["north", "length_km"], rel=1e-4)
    a = C.corridor_members(same).set_index("adcode").chainage_km
    b = C.corridor_members(g60).set_index("adcode").chainage_km
    assert np.allclose(a, b.reindex(a.index), atol=0.05)
    # a line with a detour south of Xuancheng is longer, and Hefei lies farther along it
    bent = np.insert(north, 4, [118.9, 30.6], axis=0)
    detour = g60.with_lines({"north": LineString(bent)})
    assert C.centrelines(detour).set_index("wing").loc["north", "length_km"] > seats.loc["north", "length_km"]
    assert (C.corridor_members(detour).set_index("adcode").loc["340100", "chainage_km"]
            > b["340100"])
    assert C.load_corridor("g60").line_geometry is None  # the bundled corridor is untouched
    assert detour.at_version("2.0").line_geometry is None  # the north wing does not exist in 2.0
    with pytest.raises(ValueError, match="has no wing \\['west'\\]"):
        g60.with_lines({"west": LineString(bent)})
    with pytest.raises(ValueError, match="one connected LineString, got MultiLineString"):
        g60.with_lines({"north": MultiLineString([north[:2], north[3:]])})
    with pytest.raises(ValueError, match="outside lon/lat ranges"):
        metres = gpd.GeoSeries([LineString(north)], crs=4326).to_crs(yrdgeo.DISTANCE_CRS).iloc[0]
        g60.with_lines({"north": metres})  # metres passed as if lon/lat
    with pytest.raises(ValueError, match="needs a coordinate reference system"):
        g60.with_lines(gpd.GeoDataFrame({"wing": ["north"]}, geometry=[LineString(bent)]))


def test_cli_takes_transport_lines(tmp_path, g60):
    from shapely.geometry import LineString

    bent = np.insert(np.asarray(C.centrelines(g60).set_index("wing").loc["north", "geometry"].coords), 4,
                     [118.9, 30.6], axis=0)
    lines = gpd.GeoDataFrame({"wing": ["north"]}, geometry=[LineString(bent)], crs=4326)
    write_layers({"lines": lines}, tmp_path / "lines.gpkg")
    out = tmp_path / "c.gpkg"
    assert main(["corridor", "g60", "--lines", str(tmp_path / "lines.gpkg"), "--units", "none", "--out", str(out)]) == 0
    back = gpd.read_file(out, layer="corridor_centrelines").set_index("wing")
    expect = C.centrelines(g60.with_lines(lines)).set_index("wing")
    assert back.loc["north", "line"] == "transport"
    assert back.loc["north", "length_km"] == pytest.approx(expect.loc["north", "length_km"])
