"""Metric truth whatever the input CRS: the same layer in five CRSs gives the same km, to a relative 1e-9.

Every km distance, band, threshold, length and area is measured in
``DISTANCE_CRS`` (EPSG:4549), ``AREA_CRS`` or geodesically, never in the CRS a
frame happens to arrive in. EPSG:3857 is the trap: its "metres" are
1/cos(latitude) ≈ 1.17 ground metres in the YRD, so a frame used in it as is
gave 40 distance-band pairs instead of 53 and a 190 km Shanghai–Hangzhou line.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio.transform import from_origin
from shapely.geometry import LineString

import yrdgeo
from yrdgeo import accessibility as A
from yrdgeo import corridors as C
from yrdgeo import crs as Y
from yrdgeo import network as N
from yrdgeo import ranking, raster
from yrdgeo.cli import main
from yrdgeo.io import write_layers
from yrdgeo.weights import build_weights

pytestmark = pytest.mark.slow  # every analysis again in five CRSs

#: lon/lat (WGS84 and CGCS2000), Web Mercator, CGCS2000 Gauss-Krüger 120°E, UTM 51N
CRSS = ("EPSG:4326", "EPSG:4490", "EPSG:3857", "EPSG:4549", "EPSG:32651")
OTHER = CRSS[1:]
RTOL = 1e-9
#: Relative error is undefined at 0: a seat lying on a line, reprojected, lands 1e-12 km from it. Values near 0
#: therefore compare to an absolute 1e-9 of their unit (1 µm for km), the same 1e-9 applied to a 1 km scale.
ATOL = 1e-9


def same(actual, expected, *, atol: float = ATOL) -> None:
    """Assert equal to a relative 1e-9 (absolute 1e-9 of the unit near 0)."""
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=RTOL,
                               atol=atol)


@pytest.fixture(scope="module")
def in_crs(cities):
    """The 41 cities in each CRS (anchor columns kept)."""
    return {c: cities.to_crs(c) for c in CRSS}


@pytest.fixture(scope="module")
def polygons_only(in_crs):
    """The cities without anchor columns, so every point is taken from the geometry."""
    return {c: f.drop(columns=["anchor_lon", "anchor_lat"]) for c, f in in_crs.items()}


_REFS: dict = {}


def reference(key: str, compute):
    """Return the EPSG:4326 reference result ``key``, computed once per test module."""
    if key not in _REFS:
        _REFS[key] = compute()
    return _REFS[key]


@pytest.fixture(scope="module")
def g60():
    return C.load_corridor("g60")


@pytest.fixture(scope="module")
def yrd_net():
    return N.load_yrd_network()


def _seat_line() -> gpd.GeoDataFrame:
    sh, hz = yrdgeo.unit("上海市"), yrdgeo.unit("杭州市")
    return gpd.GeoDataFrame({"speed": [100.0], "name": ["沪杭"]},
                            geometry=[LineString([(sh.anchor_lon, sh.anchor_lat), (hz.anchor_lon, hz.anchor_lat)])],
                            crs="EPSG:4326")


# --------------------------------------------------------------------------- to_metric itself


@pytest.mark.parametrize("crs", CRSS)
def test_to_metric_always_lands_in_distance_crs(in_crs, crs):
    frame = in_crs[crs]
    before = frame.copy()
    m = Y.to_metric(frame)
    assert m.crs.equals(Y.DISTANCE_CRS)
    same(m.geometry.area, in_crs["EPSG:4549"].geometry.area)
    assert frame.crs.equals(before.crs) and frame.geometry.equals(before.geometry)  # input untouched


def test_explicit_metric_crs_is_checked_for_scale(in_crs):
    web = in_crs["EPSG:4326"]
    with pytest.raises(ValueError, match=r"EPSG:3857 distorts distances by up to 2\d\.\d% over these data"):
        Y.to_metric(web, crs="EPSG:3857")
    with pytest.raises(ValueError, match="must be projected in metres, got EPSG:4326"):
        Y.to_metric(web, crs="EPSG:4326")
    with pytest.raises(ValueError, match="cannot project these data"):  # the far side of the globe
        Y.to_metric(web, crs="+proj=ortho +lat_0=-31 +lon_0=-60 +units=m")
    # a projection centred on the data is accepted (UTM 50N: under 1% across the YRD)
    assert Y.to_metric(web, crs="EPSG:32650").crs.to_epsg() == 32650
    assert Y.check_metric_crs("EPSG:4549").to_epsg() == 4549  # no frame: checked over the YRD box


# --------------------------------------------------------------------------- weights


@pytest.mark.parametrize("crs", CRSS)
def test_distance_band_has_53_pairs_at_100_km_in_every_crs(in_crs, crs):
    sw = build_weights(in_crs[crs], "distance_band", threshold_km=100, islands="isolate")
    assert sw.summary()["n_pairs"] == 53
    assert sw.metric_crs == "EPSG:4549"
    ref = build_weights(in_crs["EPSG:4326"], "distance_band", threshold_km=100, islands="isolate")
    assert (sw.w.sparse != ref.w.sparse).nnz == 0
    assert sw.isolated == ref.isolated


def test_distance_band_pairs_match_seat_distances_in_distance_crs(cities):
    """Independent count: planar seat distances in EPSG:4549 within 100 km."""
    pts = gpd.GeoSeries(gpd.points_from_xy(cities.anchor_lon, cities.anchor_lat), crs=4326).to_crs(Y.DISTANCE_CRS)
    xy = np.column_stack([pts.x, pts.y])
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) / 1000.0
    assert int((np.triu(d <= 100, 1)).sum()) == 53


@pytest.mark.parametrize("crs", OTHER)
def test_centroid_knn_inverse_distance_and_kernel_weights_are_crs_invariant(polygons_only, crs):
    ref_f, f = polygons_only["EPSG:4326"], polygons_only[crs]
    for method, kw in (("distance_band", dict(threshold_km=100, islands="isolate")), ("knn", dict(k=4)),
                       ("inverse_distance", dict(threshold_km=150, alpha=-2.0, islands="isolate", transform="o")),
                       ("kernel", dict(bandwidth_km=150, transform="o")), ("kernel", dict(k=5, transform="o"))):
        a = build_weights(f, method, **kw).w.sparse.toarray()
        b = build_weights(ref_f, method, **kw).w.sparse.toarray()
        assert ((a != 0) == (b != 0)).all(), method
        # libpysal's adaptive kernel widens the bandwidth by a factor 1 + 1e-7, so the k-th neighbour's
        # weight is about 1e-7 and carries the distances' 1e-16 round-off as ~1e-9 relative: weights (0..1)
        # compare to an absolute 1e-12 there; everything else to a relative 1e-9.
        same(a, b, atol=1e-12 if method == "kernel" else 0.0)
    # centroid bands are not seat bands: 44 pairs, the same in every CRS (EPSG:3857 used as is gave 24)
    assert build_weights(f, "distance_band", threshold_km=100, islands="isolate").summary()["n_pairs"] == 44


@pytest.mark.parametrize("crs", OTHER)
def test_contiguity_tolerance_and_island_links_are_crs_invariant(polygons_only, crs):
    ref = reference("queen5", lambda: build_weights(polygons_only["EPSG:4326"], "queen", tolerance_km=5.0,
                                                    islands="isolate"))
    sw = build_weights(polygons_only[crs], "queen", tolerance_km=5.0, islands="isolate")
    assert list(sw.tolerance_pairs.a) == list(ref.tolerance_pairs.a) and len(ref.tolerance_pairs) > 0
    same(sw.tolerance_pairs.gap_km, ref.tolerance_pairs.gap_km)
    near = build_weights(polygons_only[crs], "distance_band", threshold_km=60, islands="nearest")
    near_ref = reference("band60", lambda: build_weights(polygons_only["EPSG:4326"], "distance_band",
                                                         threshold_km=60, islands="nearest"))
    assert len(near_ref.attached) > 0 and list(near.attached.island) == list(near_ref.attached.island)
    same(near.attached.distance_km, near_ref.attached.distance_km)
    assert near.metric_crs == "EPSG:4549"


def test_link_lines_are_drawn_at_the_same_points_in_every_crs(polygons_only):
    ref_f = polygons_only["EPSG:4326"]
    ref = build_weights(ref_f, "knn", k=2).link_lines(ref_f)
    for crs in ("EPSG:3857", "EPSG:32651"):
        f = polygons_only[crs]
        lines = build_weights(f, "knn", k=2).link_lines(f)
        assert lines.crs.equals(f.crs)  # returned in the frame's CRS
        same(shapely.get_coordinates(lines.to_crs(4326).geometry.values), shapely.get_coordinates(ref.geometry.values))


def test_a_distorting_weights_crs_is_refused(in_crs):
    with pytest.raises(ValueError, match="EPSG:3857 distorts distances"):
        build_weights(in_crs["EPSG:4326"], "distance_band", threshold_km=100, crs="EPSG:3857", islands="isolate")
    with pytest.raises(ValueError, match="projected in metres"):
        build_weights(in_crs["EPSG:3857"], "knn", crs="EPSG:4490")
    sw = build_weights(in_crs["EPSG:3857"], "distance_band", threshold_km=100, crs="EPSG:32650", islands="isolate")
    assert sw.metric_crs == "EPSG:32650" and sw.summary()["n_pairs"] == 53


# --------------------------------------------------------------------------- network lines


def test_from_lines_length_of_the_seat_line_is_the_same_in_every_crs():
    line = _seat_line()
    km = [N.from_lines(line.to_crs(c), speed="speed").edges.length_km.iloc[0] for c in CRSS]
    same(km, [km[0]] * len(CRSS))
    # measured in EPSG:4549: within 0.01% of the geodesic 162.86 km (EPSG:3857 used as is said 189.7)
    assert km[0] == pytest.approx(yrdgeo.distance_km("上海市", "杭州市"), rel=1e-4)
    assert km[0] == pytest.approx(162.9, abs=0.05)
    net = N.from_lines(line.to_crs("EPSG:3857"), speed="speed")
    assert net.edges.time_min.iloc[0] == pytest.approx(km[0] / 100.0 * 60.0, rel=RTOL)
    assert net.nodes.crs.to_epsg() == 4326 and net.edges.crs.to_epsg() == 4326


@pytest.mark.parametrize("crs", CRSS)
def test_from_lines_snaps_in_ground_metres(crs):
    """Two lines with a 3 m gap (in EPSG:4549): snap_m=3.3 joins them and 2.7 does not, in any CRS."""
    x0, y0 = 560_000.0, 3_460_000.0
    lines = gpd.GeoDataFrame({"speed": [60.0, 60.0]}, crs="EPSG:4549", geometry=[
        LineString([(x0, y0), (x0 + 10_000, y0)]), LineString([(x0 + 10_003, y0), (x0 + 20_000, y0)])]).to_crs(crs)
    with pytest.raises(ValueError, match="disconnected"):
        N.from_lines(lines, speed="speed", snap_m=2.7)
    assert N.from_lines(lines, speed="speed", snap_m=3.3).n_nodes == 3


# --------------------------------------------------------------------------- areas and seat distances


@pytest.mark.parametrize("crs", OTHER)
def test_areas_are_the_same_in_every_crs(in_crs, crs):
    ref = in_crs["EPSG:4326"]
    same(Y.area_km2(in_crs[crs]), reference("area", lambda: Y.area_km2(ref)))
    few = slice(0, 6)  # the geodesic polygon area is slow on full boundaries
    same(Y.area_km2(in_crs[crs].iloc[few], method="geodesic"),
         reference("geodesic_area", lambda: Y.area_km2(ref.iloc[few], method="geodesic")))
    out = yrdgeo.with_area(in_crs[crs])
    same(out.area_km2, reference("with_area", lambda: yrdgeo.with_area(ref).area_km2))
    assert out.crs.equals(in_crs[crs].crs)  # the frame keeps its CRS


@pytest.mark.parametrize("crs", CRSS)
def test_seat_distances_are_the_same_in_every_crs(in_crs, crs):
    d = yrdgeo.distance_matrix_km(in_crs[crs])
    ref = yrdgeo.distance_matrix_km(in_crs["EPSG:4326"])
    same(d.to_numpy(), ref.to_numpy())
    assert d.loc["310100", "330100"] == pytest.approx(162.86, abs=0.01)


# --------------------------------------------------------------------------- corridors


@pytest.mark.parametrize("crs", OTHER)
def test_corridor_bands_and_units_near_are_crs_invariant(g60, in_crs, polygons_only, crs):
    provinces = yrdgeo.load_units("province")
    ref_band = reference("band", lambda: C.corridor_band(g60, 20, clip=provinces))
    band = C.corridor_band(g60, 20, clip=provinces.to_crs(crs))
    same(band.area_km2, ref_band.area_km2)
    assert band.crs.to_epsg() == 4326
    cols = ["distance_km", "area_in_band_km2", "share_in_band", "chainage_km"]
    for label, frames in (("near_anchor", in_crs), ("near_polygon", polygons_only)):
        ref = reference(label, lambda: C.units_near(g60, 20, units=frames["EPSG:4326"]))
        near = C.units_near(g60, 20, units=frames[crs])
        assert list(near.adcode) == list(ref.adcode) and list(near.nearest_wing) == list(ref.nearest_wing)
        assert near.crs.equals(frames[crs].crs)  # a copy of the user's units, their CRS kept
        for c in cols:
            same(near[c], ref[c])


@pytest.mark.parametrize("crs", OTHER)
def test_corridor_locate_and_transport_lines_are_crs_invariant(g60, polygons_only, crs):
    ref = C.locate(g60, polygons_only["EPSG:4326"])
    loc = C.locate(g60, polygons_only[crs])
    assert list(loc.wing) == list(ref.wing)
    same(loc.chainage_km, ref.chainage_km)
    same(loc.offset_km, ref.offset_km)
    north = np.asarray(C.centrelines(g60).set_index("wing").loc["north", "geometry"].coords)
    lines = gpd.GeoDataFrame({"wing": ["north"]}, geometry=[LineString(north[::-1])], crs=4326)
    a = C.centrelines(g60.with_lines(lines.to_crs(crs))).set_index("wing")
    b = C.centrelines(g60.with_lines(lines)).set_index("wing")
    same(a.length_km, b.length_km)
    same(shapely.get_coordinates(a.geometry.values), shapely.get_coordinates(b.geometry.values))  # same orientation


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("crs", OTHER)
def test_access_legs_and_isochrones_are_crs_invariant(yrd_net, polygons_only, crs):
    ref_f, f = polygons_only["EPSG:4326"], polygons_only[crs]
    ref = A.isochrones(yrd_net, "上海市", ref_f)
    iso = A.isochrones(yrd_net, "上海市", f)
    assert list(iso.band) == list(ref.band)
    same(iso.time_min.fillna(-1), ref.time_min.fillna(-1))
    ref_t = A.time_to_centre(yrd_net, ref_f, "上海市").frame
    t = A.time_to_centre(yrd_net, f, "上海市").frame
    same(t.access_km, ref_t.access_km)
    same(t.time_min, ref_t.time_min)
    # a point layer (the seats) in this CRS: access legs as from the anchors
    seats = gpd.GeoDataFrame({"adcode": ref_f.adcode.to_numpy()}, crs=4326, geometry=gpd.points_from_xy(
        yrdgeo.load_units("city").anchor_lon, yrdgeo.load_units("city").anchor_lat))
    pts = A.time_to_centre(yrd_net, seats.to_crs(crs), "上海市").frame
    anchors = A.time_to_centre(yrd_net, yrdgeo.load_units("city"), "上海市").frame
    same(pts.access_km, anchors.access_km)


@pytest.mark.parametrize("crs", OTHER)
def test_grid_cells_are_crs_invariant(crs):
    region = yrdgeo.load_units("city").query("adcode == '310100'")
    ref = A.grid(region, cell_km=10)
    cells = A.grid(region.to_crs(crs), cell_km=10)
    assert len(cells) == len(ref) and cells.crs.to_epsg() == 4326
    same(Y.area_km2(cells), Y.area_km2(ref))


# --------------------------------------------------------------------------- ranking


@pytest.mark.parametrize("crs", OTHER)
def test_ranking_distance_criteria_are_crs_invariant(polygons_only, in_crs, crs):
    line = _seat_line().geometry
    for frames in (in_crs, polygons_only):
        ref_f, f = frames["EPSG:4326"], frames[crs]
        same(ranking.add_distance_from(f, "上海市").distance_km, ranking.add_distance_from(ref_f, "上海市").distance_km)
        for how in ("anchor", "geometry"):
            a = ranking.add_distance_to_lines(f, line.to_crs(crs), measure_from=how).line_distance_km
            b = ranking.add_distance_to_lines(ref_f, line, measure_from=how).line_distance_km
            same(a, b)
    shp = ranking.add_distance_to_lines(in_crs[crs], line.to_crs(crs).iloc[0], lines_crs=crs).line_distance_km
    same(shp, ranking.add_distance_to_lines(in_crs["EPSG:4326"], line).line_distance_km)


# --------------------------------------------------------------------------- rasters


@pytest.mark.parametrize("crs", OTHER)
def test_zonal_stats_on_a_reprojected_frame(in_crs, crs):
    dem = raster.dem_path()
    ref = raster.zonal_stats(in_crs["EPSG:4326"], dem, stats=("count", "mean", "max"))
    res = raster.zonal_stats(in_crs[crs], dem, stats=("count", "mean", "max"), reproject=True)
    assert res.zones_reprojected_from is not None and res.frame.crs.equals(in_crs[crs].crs)
    for c in ("count", "mean", "max"):
        same(res.frame[c], ref.frame[c])
    assert list(res.frame.point_sampled) == list(ref.frame.point_sampled)


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:32651", "EPSG:4549"])
def test_slope_of_a_plane_is_true_in_any_projected_crs(tmp_path, crs):
    """A plane rising 10% eastwards on the ground, gridded in a projected CRS near Shanghai, has slope atan(0.1)."""
    to = Transformer.from_crs(4326, crs, always_xy=True)
    back = Transformer.from_crs(crs, 4326, always_xy=True)
    x0, y0 = to.transform(121.0, 31.3)
    size = 50.0
    rows, cols = np.mgrid[0:20, 0:30]
    xs, ys = x0 + (cols + 0.5) * size, y0 - (rows + 0.5) * size
    lon, lat = back.transform(xs.ravel(), ys.ravel())
    lon0 = np.full(lon.shape, 121.0)
    east = np.asarray(Y.GEOD.inv(lon0, lat, lon, lat)[2]).reshape(xs.shape)  # ground metres east of 121°E
    z = 0.1 * east
    path = tmp_path / "plane.tif"
    with rasterio.open(path, "w", driver="GTiff", width=30, height=20, count=1, dtype="float64", crs=crs,
                       transform=from_origin(x0, y0, size, size)) as dst:
        dst.write(z, 1)
    with rasterio.open(raster.slope(path, tmp_path / "slope.tif")) as src:
        s = src.read(1)
    # EPSG:3857 pixels taken as ground metres gave about 4.9° here
    assert s[2:-2, 2:-2] == pytest.approx(np.degrees(np.arctan(0.1)), rel=2e-3)


# --------------------------------------------------------------------------- CLI


def test_cli_weights_on_boundaries_in_web_mercator(tmp_path, cities, capsys):
    path = tmp_path / "cities_3857.gpkg"
    write_layers({"cities": cities.to_crs(3857)}, path)
    assert main(["weights", "--boundaries", str(path), "--weights", "distance_band", "--threshold-km", "100",
                 "--islands", "isolate"]) == 0
    assert "53 neighbour pairs" in capsys.readouterr().out
