"""Silent wrong results from a user trial: each is now a right answer, a warning or a clear refusal."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiLineString

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
