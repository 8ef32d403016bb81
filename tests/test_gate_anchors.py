"""Where a unit without anchor columns joins the network: a decision said out loud, the same in library and QGIS."""

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
