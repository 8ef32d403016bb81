"""Spatial weights on the real YRD boundaries and on libpysal's bundled Columbus data."""

from __future__ import annotations

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal import examples
from libpysal.weights import KNN, DistanceBand

from yrdgeo.crs import DISTANCE_CRS
from yrdgeo.weights import SpatialWeights, build_weights

pytestmark = pytest.mark.slow  # most tests build weights of all 305 counties

ZHOUSHAN, NINGBO, SHANGHAI = "330900", "330200", "310100"
DAISHAN, DINGHAI = "330921", "330902"


def _neighbour_ids(sw: SpatialWeights, unit_id: str) -> set:
    pos = list(sw.ids).index(unit_id)
    return {sw.ids[j] for j in sw.w.neighbors[pos]}


@pytest.fixture(scope="module")
def columbus():
    # Columbus ships inside the libpysal wheel (libpysal/examples/columbus), no download needed.
    return gpd.read_file(examples.get_path("columbus.shp"))


def _grid(n: int) -> gpd.GeoDataFrame:
    xs, ys = np.meshgrid(np.arange(n), np.arange(n))
    return gpd.GeoDataFrame(geometry=shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 1, ys.ravel() + 1))


def test_city_queen_zhoushan_touches_only_shanghai(cities):
    sw = build_weights(cities)
    assert sw.n == 41 and sw.islands == [] and sw.n_components == 1
    assert _neighbour_ids(sw, ZHOUSHAN) == {SHANGHAI}
    row = sw.neighbours().set_index("id").loc[ZHOUSHAN]
    assert row.n_neighbours == 1 and row.neighbours == SHANGHAI
    assert np.allclose(np.asarray(sw.w.sparse.sum(axis=1)).ravel(), 1.0)  # row-standardised by default


def test_tolerance_adds_ningbo_to_zhoushan_and_reports_it(cities):
    plain = build_weights(cities)
    fuzzy = build_weights(cities, tolerance_km=2.0)
    assert _neighbour_ids(fuzzy, ZHOUSHAN) == {SHANGHAI, NINGBO}
    assert fuzzy.n_pairs == plain.n_pairs + 1
    assert len(fuzzy.tolerance_pairs) == 1
    pair = fuzzy.tolerance_pairs.iloc[0]
    assert {pair.a, pair.b} == {ZHOUSHAN, NINGBO}
    assert 1.5 < pair.gap_km < 2.0  # the 1.8 km strait the bridges cross
    assert fuzzy.summary()["tolerance_pairs_added"] == 1


def test_county_daishan_island_policy_error_names_it(counties):
    with pytest.raises(ValueError, match=r"330921 岱山县.*islands='nearest'.*islands='isolate'"):
        build_weights(counties)


def test_county_daishan_attached_to_nearest(counties):
    sw = build_weights(counties, islands="nearest")
    assert sw.islands == [DAISHAN] and sw.isolated == []
    assert sw.cardinalities.min() >= 1
    assert len(sw.attached) == 1
    link = sw.attached.iloc[0]
    assert (link.island, link.neighbour) == (DAISHAN, DINGHAI)
    assert 0 < link.distance_km < 5
    assert DAISHAN in _neighbour_ids(sw, DINGHAI)  # symmetric
    two = build_weights(counties, islands="nearest", island_k=2)
    assert len(two.attached) == 2 and len(_neighbour_ids(two, DAISHAN)) == 2


def test_county_daishan_isolated_kept_not_dropped(counties):
    sw = build_weights(counties, islands="isolate")
    assert sw.n == len(counties) == 305
    assert sw.isolated == [DAISHAN]
    pos = list(sw.ids).index(DAISHAN)
    assert sw.isolated_mask[pos] and sw.isolated_mask.sum() == 1
    assert "isolate" in str(sw) and "岱山县" in str(sw)


def test_contiguity_needs_no_crs_and_matches_columbus_gal(columbus):
    assert columbus.crs is None
    sw = build_weights(columbus, "queen")
    gal = libpysal.io.open(examples.get_path("columbus.gal")).read()
    for i in range(sw.n):
        expected = sorted(int(j) - 1 for j in gal.neighbors[str(i + 1)])
        assert sorted(sw.w.neighbors[i]) == expected


def test_distance_weights_refuse_frame_without_crs(columbus):
    for method, kw in (("knn", {}), ("distance_band", {"threshold_km": 1}), ("kernel", {})):
        with pytest.raises(ValueError, match="coordinate reference system"):
            build_weights(columbus, method, **kw)
    with pytest.raises(ValueError, match="coordinate reference system"):
        build_weights(columbus, "queen", tolerance_km=0.5)


def test_knn_and_distance_band_match_libpysal_in_km(cities):
    pts = gpd.GeoSeries(gpd.points_from_xy(cities.anchor_lon, cities.anchor_lat), crs=4326).to_crs(DISTANCE_CRS)
    xy_km = np.column_stack([pts.x, pts.y]) / 1000
    sw = build_weights(cities, "knn", k=5)
    assert sw.params == {"points": "anchor", "k": 5}
    ref = KNN.from_array(xy_km, k=5)
    assert all(sorted(sw.w.neighbors[i]) == sorted(ref.neighbors[i]) for i in range(41))
    band = build_weights(cities, "distance_band", threshold_km=120, islands="nearest")
    ref = DistanceBand.from_array(xy_km, 120, silence_warnings=True)
    attached = {(a, b) for a, b in zip(band.attached.island, band.attached.neighbour)}
    for i in range(41):
        extra = {list(band.ids).index(b) for a, b in attached if a == band.ids[i]}
        extra |= {list(band.ids).index(a) for a, b in attached if b == band.ids[i]}
        assert set(band.w.neighbors[i]) == set(ref.neighbors[i]) | extra


def test_inverse_distance_weights_are_one_over_km(cities):
    sw = build_weights(cities, "inverse_distance", threshold_km=150, transform="o")
    links = sw.links().set_index(["focal", "neighbour"])
    w = links.loc[(SHANGHAI, "320500"), "weight"]  # 上海–苏州 seats
    pts = gpd.GeoSeries(gpd.points_from_xy(cities.anchor_lon, cities.anchor_lat), crs=4326).to_crs(DISTANCE_CRS)
    sh, sz = (pts[cities.adcode == a].iloc[0] for a in (SHANGHAI, "320500"))
    assert w == pytest.approx(1000 / sh.distance(sz), rel=1e-12)


def test_distance_band_islands_attached_and_reported(cities):
    with pytest.raises(ValueError, match="no neighbour under distance_band"):
        build_weights(cities, "distance_band", threshold_km=100)
    sw = build_weights(cities, "distance_band", threshold_km=100, islands="nearest")
    assert set(sw.islands) == set(sw.attached.island)
    assert (sw.attached.distance_km > 100).all()
    assert sw.cardinalities.min() >= 1


def test_kernel_fixed_bandwidth_islands(cities):
    with pytest.raises(ValueError, match="widen bandwidth_km"):
        build_weights(cities, "kernel", bandwidth_km=80, islands="nearest")
    iso = build_weights(cities, "kernel", bandwidth_km=80, islands="isolate")
    assert SHANGHAI in iso.isolated
    adaptive = build_weights(cities, "kernel", k=4)
    assert adaptive.cardinalities.min() >= 4


def test_rook_and_queen_on_grid():
    grid = _grid(5)
    queen, rook = build_weights(grid, "queen"), build_weights(grid, "rook")
    centre = 12
    assert len(queen.w.neighbors[centre]) == 8 and len(rook.w.neighbors[centre]) == 4
    assert queen.summary()["n_pairs"] == 72 and rook.summary()["n_pairs"] == 40


def test_input_frame_not_modified(cities):
    before = cities.copy()
    build_weights(cities, tolerance_km=2, islands="nearest")
    build_weights(cities, "knn")
    pd.testing.assert_frame_equal(pd.DataFrame(cities), pd.DataFrame(before))


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"method": "delaunay"}, "method must be one of"),
        ({"islands": "drop"}, "islands must be one of"),
        ({"transform": "x"}, "transform must be one of"),
        ({"method": "distance_band"}, r"threshold_km must be a positive number \(km, the distance band\), got None"),
        ({"method": "kernel", "bandwidth_km": 0}, r"bandwidth_km must be a positive number \(km\) or None, got 0"),
        ({"island_k": 0}, "island_k must be a whole number >= 1, got 0"),
        ({"tolerance_km": -1}, r"tolerance_km must be a number >= 0 \(km\), got -1"),
        ({"method": "knn", "k": 41}, "k < number of units"),
        ({"tolerance_km": 1, "method": "knn"}, "tolerance_km applies to queen/rook"),
        ({"id_column": "nope"}, "id_column 'nope'"),
    ],
)
def test_bad_options_are_refused(cities, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        build_weights(cities, **kwargs)


def test_too_few_units_and_missing_geometry(cities):
    with pytest.raises(ValueError, match="at least 3 units"):
        build_weights(cities.head(2))
    broken = cities.copy()
    broken.loc[3, "geometry"] = None
    with pytest.raises(ValueError, match="no geometry"):
        build_weights(broken)
    with pytest.raises(ValueError, match="GeoDataFrame"):
        build_weights(pd.DataFrame(cities.drop(columns="geometry")))


def test_link_lines_show_tolerance_and_island_links(cities, counties):
    fuzzy = build_weights(cities, tolerance_km=2.0)
    lines = fuzzy.link_lines(cities)
    assert len(lines) == fuzzy.n_pairs == 101 and lines.crs == cities.crs
    tol = lines[lines.added_by == "tolerance"]
    assert len(tol) == 1 and {tol.a.item(), tol.b.item()} == {ZHOUSHAN, NINGBO}
    # each line joins the two seats of government
    sh_sz = lines[(lines.a == SHANGHAI) & (lines.b == "320500")].geometry.item()
    seat = cities.set_index("adcode").loc[SHANGHAI, ["anchor_lon", "anchor_lat"]].to_numpy(float)
    assert np.allclose(sh_sz.coords[0], seat)
    zs = lines[lines.b == ZHOUSHAN]  # positions: 上海 0 and 宁波 15 come before 舟山 22
    assert sorted(zs.a) == [SHANGHAI, NINGBO]
    assert np.allclose(zs.weight_ba, 1 / 2)  # 舟山's row, standardised over 上海 and 宁波
    island = build_weights(counties, islands="nearest").link_lines(counties)
    assert island[island.added_by == "island"][["a", "b"]].values.tolist() == [[DINGHAI, DAISHAN]]
    with pytest.raises(ValueError, match="same rows"):
        fuzzy.link_lines(counties)


def _grid_with_holes_and_coast(n: int) -> gpd.GeoDataFrame:
    """A grid of n x n cells with a lake (cells removed), islands off a ragged coast and cells with holes.

    Cells are split into triangles along the coast so neighbours meet at single vertices too,
    a few cells carry a hole (the rook phantom edge between rings must not count) and two
    offshore cells form multipolygons with a far-away part.
    """
    xs, ys = np.meshgrid(np.arange(n), np.arange(n))
    xs, ys = xs.ravel(), ys.ravel()
    lake = (xs - n / 3) ** 2 + (ys - n / 3) ** 2 < (n / 8) ** 2
    sea = xs + ys // 3 > 0.9 * n  # a ragged coast: the sea is dropped except for some islands
    island = sea & (xs % 7 == 0) & (ys % 5 == 0)
    keep = ~lake & (~sea | island)
    xs, ys, island = xs[keep], ys[keep], island[keep]
    geoms = list(shapely.box(xs, ys, xs + 1, ys + 1))
    for i in range(0, len(geoms), 97):  # a hole inside some cells
        x, y = xs[i], ys[i]
        geoms[i] = shapely.Polygon(shapely.box(x, y, x + 1, y + 1).exterior,
                                   [shapely.box(x + 0.25, y + 0.25, x + 0.75, y + 0.75).exterior])
    coast = np.flatnonzero((xs + ys // 3 > 0.9 * n - 3) & ~island)
    for i in coast[::2]:  # triangles: meeting at a corner only
        x, y = xs[i], ys[i]
        geoms[i] = shapely.Polygon([(x, y), (x + 1, y), (x, y + 1)])
    offshore = np.flatnonzero(island)[:2]
    for i in offshore:
        geoms[i] = shapely.MultiPolygon([geoms[i], shapely.box(n + 5, n + 5 + i, n + 5.5, n + 5.5 + i)])
    return gpd.GeoDataFrame(geometry=geoms)


@pytest.mark.parametrize("method", ["queen", "rook"])
def test_contiguity_equals_libpysal_dataframe_path(counties, cities, method):
    # the numpy contiguity builder against the libpysal path used before it (Queen/Rook.from_dataframe)
    from libpysal.weights import Queen, Rook

    from yrdgeo.weights import contiguity_matrix

    cls = Queen if method == "queen" else Rook
    grid = _grid_with_holes_and_coast(120)  # 10,155 cells
    assert len(grid) > 10_000
    for frame in (counties, cities, grid):
        old = cls.from_dataframe(frame.reset_index(drop=True), use_index=False, silence_warnings=True)
        new = contiguity_matrix(frame.geometry.values, rook=method == "rook")
        old_sets = [set(old.neighbors[i]) for i in range(len(frame))]
        new_sets = [set(new.indices[new.indptr[i]:new.indptr[i + 1]].tolist()) for i in range(len(frame))]
        assert new_sets == old_sets
        assert set(np.flatnonzero(np.diff(new.indptr) == 0)) == set(old.islands)
        sw = build_weights(frame, method, islands="isolate")
        assert sw.isolated == [sw.ids[p] for p in sorted(old.islands)]
        assert [set(sw.w.neighbors[i]) for i in range(len(frame))] == old_sets
    assert len(old.islands) > 0  # the grid's offshore cells
