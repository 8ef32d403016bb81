"""Where a unit without anchor columns joins the network: a decision said out loud, the same in library and QGIS."""

import geopandas as gpd
import numpy as np
import pytest

import yrdgeo
from yrdgeo import accessibility, network


@pytest.fixture(scope="module")
def net():
    return network.load_yrd_network()


def test_polygons_without_anchors_join_at_their_bundled_seat_with_a_warning(net):
    cities = yrdgeo.load_units("city")
    bare = cities.drop(columns=["anchor_lon", "anchor_lat"])
    want = accessibility.accessibility(net, cities).frame.set_index("adcode").t_centre_min
    with pytest.warns(UserWarning, match="bundled seat of government of its adcode"):
        got = accessibility.accessibility(net, bare).frame.set_index("adcode").t_centre_min
    np.testing.assert_allclose(got.loc[want.index], want, rtol=1e-12, equal_nan=True)
    assert got.loc["320400"] == pytest.approx(43.2, abs=0.1)  # Changzhou → Shanghai from its seat


def test_inner_points_only_on_request_or_with_a_warning(net):
    bare = yrdgeo.load_units("city").drop(columns=["anchor_lon", "anchor_lat"])
    inner = accessibility.with_anchors(bare, anchors="inner_point")
    assert (inner.anchor_source == "inner_point").all()
    t = accessibility.accessibility(net, inner).frame.set_index("adcode").t_centre_min
    assert t.loc["320400"] > 150  # 40 km from the seat, at 30 km/h
    no_code = bare.drop(columns="adcode").assign(label=bare.name_zh)
    with pytest.warns(UserWarning, match="point inside its polygon, not from its seat"):
        accessibility.accessibility(net, no_code, key="label")
    with pytest.raises(ValueError, match="neither anchor_lon/anchor_lat columns nor an adcode"):
        accessibility.with_anchors(no_code)
    with pytest.raises(ValueError, match=r"row 1 \(999999\)"):
        accessibility.with_anchors(bare.assign(adcode=["999999"] + list(bare.adcode[1:])))
    with pytest.raises(ValueError, match="anchors must be one of"):
        accessibility.with_anchors(bare, anchors="centroid")
    kept = accessibility.with_anchors(yrdgeo.load_units("city"), anchors="inner_point")
    assert "anchor_source" in kept and (kept.anchor_source != "inner_point").all()  # given anchors win


# --------------------------------------------------------------------------- the layer gate inside library calls


def _bow_tie_hangzhou():
    import shapely

    cities = yrdgeo.load_units("city")
    hz = cities.index[cities.adcode == "330100"][0]
    # two triangles of 0.5° × 0.3° each, crossing at (119.5, 30.15): the signed area of the bow-tie is 0
    cities.loc[hz, "geometry"] = shapely.Polygon([(119, 30), (120, 30.3), (120, 30), (119, 30.3)])
    return cities


def test_with_area_repairs_a_bow_tie_and_says_so():
    import warnings

    import shapely

    from yrdgeo.inputs import InputWarning

    cities = _bow_tie_hangzhou()
    before = cities.geometry.copy()
    with pytest.warns(InputWarning, match=r"330100.*Self-intersection.*make_valid"):
        out = yrdgeo.with_area(cities)
    fixed = shapely.make_valid(cities.set_index("adcode").geometry.loc["330100"])
    want = yrdgeo.crs.area_km2(gpd.GeoSeries([fixed], crs=4326))[0]
    got = out.set_index("adcode").area_km2.loc["330100"]
    assert got == pytest.approx(want, rel=1e-9) and got > 1000  # two triangles, not ~0 km²
    assert before.equals(cities.geometry)  # the input frame is untouched
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the bundled table passes with nothing to say
        yrdgeo.with_area(yrdgeo.load_units("city"))


def test_weights_refuse_metres_labelled_as_degrees_and_repair_bow_ties():
    from yrdgeo import weights
    from yrdgeo.inputs import InputError, InputWarning

    cities = yrdgeo.load_units("city")
    wrong = cities.to_crs(3857).set_crs(4326, allow_override=True)
    with pytest.raises(InputError, match="look like metres"):
        weights.build_weights(wrong, "distance_band", threshold_km=100)
    with pytest.warns(InputWarning, match="Self-intersection"):
        w = weights.build_weights(_bow_tie_hangzhou(), "queen", islands="isolate")
    assert w.n == 41
    no_crs = cities.set_crs(None, allow_override=True)
    assert weights.build_weights(no_crs, "queen", islands="isolate").n == 41  # contiguity needs no CRS


def test_line_layers_pass_the_gate():
    import shapely

    from yrdgeo.inputs import InputError

    line = gpd.GeoDataFrame({"speed": [100.0, 100.0]}, crs=4326, geometry=[
        shapely.LineString([(121.2, 31.0), (120.2, 30.3)]), None])
    with pytest.raises(InputError, match=r"1 feature\(s\) have no geometry.*feature 2"):
        network.from_lines(line, speed="speed")  # a null line is named, never silently dropped
    swapped = line.iloc[:1].set_geometry([shapely.LineString([(31.0, 121.2), (30.3, 120.2)])], crs=4326)
    with pytest.raises(InputError, match="swapped"):
        network.from_lines(swapped, speed="speed")
    polys = yrdgeo.load_units("city").iloc[:3].assign(speed=100.0)
    with pytest.raises(InputError, match="expected line geometries"):
        network.from_lines(polys, speed="speed")
