"""Silent wrong results from a user trial: each is now a right answer, a warning or a clear refusal."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, MultiLineString, Point

from yrdgeo import io
from yrdgeo import network as N
from yrdgeo import units as U
from yrdgeo.accessibility import od_matrix


# ---------------------------------------------------------------- from_lines: a multi-part line's time


def _seats():
    seats = U.select_units(["上海", "苏州"])
    return seats, [(r.anchor_lon, r.anchor_lat) for r in seats.itertuples()]


def test_multipart_line_takes_its_time_once():
    seats, (sh, sz) = _seats()
    mid = ((sh[0] + sz[0]) / 2, (sh[1] + sz[1]) / 2 + 0.05)  # a bend, so the parts differ from a straight line
    plain = gpd.GeoDataFrame({"minutes": [30.0]}, geometry=[LineString([sh, mid, sz])], crs="EPSG:4326")
    multi = gpd.GeoDataFrame(
        {"minutes": [30.0]}, geometry=[MultiLineString([[sh, mid], [mid, sz]])], crs="EPSG:4326"
    )
    times = {}
    for label, frame in (("plain", plain), ("multi", multi)):
        net = N.from_lines(frame, time="minutes")
        assert net.edges.time_min.sum() == pytest.approx(30.0)
        od = od_matrix(net, seats, access_speed_kmh=1e9)
        times[label] = od.minutes.loc["310100", "320500"]
    assert times["multi"] == pytest.approx(times["plain"])
    assert times["multi"] == pytest.approx(30.0, abs=0.01)
    parts = N.from_lines(multi, time="minutes").edges
    # each part's share follows its length, so both parts run at the feature's one speed
    assert parts.speed_kmh.iloc[0] == pytest.approx(parts.speed_kmh.iloc[1])
    assert len(parts) == 2


# ---------------------------------------------------------------- --overwrite and a user's GeoPackage


def _user_gpkg(path):
    """A user's GeoPackage with two layers of their own; return its bytes."""
    parcels = gpd.GeoDataFrame({"id": [1]}, geometry=[Point(121.4, 31.2)], crs="EPSG:4326")
    parcels.to_file(path, layer="my_parcels")
    gpd.GeoDataFrame({"plan": ["a"]}, geometry=[Point(121.5, 31.3)], crs="EPSG:4326").to_file(
        path, layer="my_plan", mode="a"
    )
    return path.read_bytes()


def test_cli_overwrite_refuses_a_geopackage_with_other_layers(tmp_path, capsys):
    from yrdgeo.cli import main

    out = tmp_path / "mywork.gpkg"
    before = _user_gpkg(out)
    code = main(["units", "--level", "city", "--out", str(out), "--overwrite"])
    err = capsys.readouterr().err
    assert code == 2
    assert "mywork.gpkg holds other layers (my_parcels, my_plan) that --overwrite would delete" in err
    assert "choose another file" in err
    assert out.read_bytes() == before
    assert sorted(pyogrio.list_layers(out)[:, 0]) == ["my_parcels", "my_plan"]
    assert [p.name for p in tmp_path.iterdir()] == ["mywork.gpkg"]  # no temporary left behind


def test_api_overwrite_refuses_other_layers_and_replaces_its_own(tmp_path):
    out = tmp_path / "mywork.gpkg"
    before = _user_gpkg(out)
    frame = U.load_units("province")
    with pytest.raises(FileExistsError, match=r"holds other layers \(my_parcels, my_plan\)"):
        io.write_layers({"units": frame}, out, overwrite=True)
    # one of the user's layers among those written does not make the others safe
    with pytest.raises(FileExistsError, match=r"holds other layers \(my_plan\)"):
        io.write_layers({"my_parcels": frame}, out, overwrite=True)
    assert out.read_bytes() == before
    # a writer that does not name its layers up front is checked on the finished file, before the move
    with pytest.raises(FileExistsError, match=r"holds other layers \(my_parcels, my_plan\)"):
        with io.atomic_path(out, overwrite=True) as tmp:
            frame.to_file(tmp, layer="units")
    assert out.read_bytes() == before
    # a GeoPackage holding only the layers being written (yrdgeo's own earlier output) is replaced
    own = tmp_path / "own.gpkg"
    io.write_layers({"a": frame, "b": frame}, own)
    io.write_layers({"a": frame.head(1), "b": frame}, own, overwrite=True)
    assert sorted(pyogrio.list_layers(own)[:, 0]) == ["a", "b"]
    assert len(gpd.read_file(own, layer="a")) == 1


# ---------------------------------------------------------------- province= names a province, nothing else


def test_province_filter_refuses_a_city_or_county(tmp_path, capsys):
    from yrdgeo.cli import main

    with pytest.raises(U.UnitError, match=r"^苏州 is a city \(苏州市, 320500\), not a province; "
                                          r"provinces: 上海, 江苏, 浙江, 安徽"):
        U.load_units("county", province="苏州")
    with pytest.raises(U.UnitError, match=r"松江区 is a county \(松江区, 310117\), not a province"):
        U.load_units("county", province=["江苏", "松江区"])
    with pytest.raises(U.UnitError, match=r"Suzhou is not a province"):
        U.load_units("city", province="Suzhou")
    out = tmp_path / "p.csv"
    assert main(["units", "--level", "county", "--province", "苏州", "--out", str(out)]) == 2
    assert "苏州 is a city (苏州市, 320500), not a province" in capsys.readouterr().err
    assert not out.exists()
    # provinces by any name or code still work; Shanghai's city code is the province-level municipality
    shanghai = U.load_units("county", province="上海")
    assert len(shanghai) == 16 and set(shanghai.province_adcode) == {"310000"}
    assert U.load_units("county", province="310100").adcode.tolist() == shanghai.adcode.tolist()
    assert set(U.load_units("city", province=["江苏省", "Zhejiang", 340000]).province_adcode) == {
        "320000", "330000", "340000"}


# ---------------------------------------------------------------- corridor wings: members without a value


def test_summarize_wings_warns_naming_members_without_a_value():
    import warnings

    from yrdgeo import corridors as C

    g60 = C.load_corridor("g60")
    members = U.select_units(g60.adcodes)
    cities = members[members.level == "city"]
    city_table = pd.DataFrame({"adcode": cities.adcode, "gdp": 1.0, "pop": 2.0})
    with pytest.warns(UserWarning, match=r"no value for 松江区 \(310117\)") as rec:
        s = C.summarize_wings(g60, attributes=city_table, agg="sum").set_index("wing")
    text = " ".join(str(w.message) for w in rec if "corridor members" in str(w.message))
    assert "'gdp' (sum over 8 of 9 members): no value for 松江区 (310117)" in text
    assert "'pop' (sum over 8 of 9 members)" in text
    assert s.loc["all", "gdp"] == pytest.approx(8.0) and s.loc["all", "gdp_n"] == 8
    # a county-level table (the trial's): only 松江区 has a row, every whole city is named
    counties = U.load_units("county")
    county_table = pd.DataFrame({"adcode": counties.adcode, "gdp": 1.0})
    with pytest.warns(UserWarning, match=r"'gdp' \(sum over 1 of 9 members\): no value for ") as rec:
        C.summarize_wings(g60, attributes=county_table, agg="sum")
    text = " ".join(str(w.message) for w in rec if "corridor members" in str(w.message))
    assert all(f"{r.name_zh} ({r.adcode})" in text for r in cities.itertuples())
    assert "松江区" not in text
    # an empty cell counts as no value too, per column
    holes = pd.DataFrame({"adcode": members.adcode, "gdp": 1.0, "pop": 2.0})
    holes.loc[holes.adcode == "330100", "pop"] = None
    with pytest.warns(UserWarning) as rec:
        C.summarize_wings(g60, attributes=holes, agg={"gdp": "sum", "pop": "mean"})
    text = " ".join(str(w.message) for w in rec if "corridor members" in str(w.message))
    assert "'pop' (mean over 8 of 9 members): no value for 杭州市 (330100)" in text and "'gdp'" not in text
    # every member has a value: nothing to say
    full = pd.DataFrame({"adcode": members.adcode, "gdp": 1.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert C.summarize_wings(g60, attributes=full).set_index("wing").loc["all", "gdp"] == pytest.approx(9.0)
