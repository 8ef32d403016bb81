"""Global and local spatial autocorrelation: equal to esda on the same weights, island and missing policies."""

from __future__ import annotations

import warnings

import esda
import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from libpysal import examples

from yrdgeo import autocorrelation as ac
from yrdgeo.crs import area_km2
from yrdgeo.units import data_path
from yrdgeo.weights import build_weights

SEED = 20240601
ZHOUSHAN, DAISHAN = "330900", "330921"
RATIO_COLUMNS = ["ratio_2011", "ratio_2019"]


@pytest.fixture(autouse=True)
def _quiet_esda():
    # esda 2.9 announces a future change of its default alternative hypothesis; not ours to act on here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        yield


@pytest.fixture(scope="module")
def ratio(cities):
    table = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    frame = cities.merge(table[["adcode", *RATIO_COLUMNS]], on="adcode", how="left", validate="1:1")
    assert frame[RATIO_COLUMNS].notna().all().all() and len(frame) == 41
    return frame


@pytest.fixture(scope="module")
def queen(ratio):
    return build_weights(ratio, "queen")


@pytest.fixture(scope="module")
def columbus():
    return gpd.read_file(examples.get_path("columbus.shp"))  # shipped in the libpysal wheel


def _esda_moran(y, w, seed, **kw):
    np.random.seed(seed)
    return esda.Moran(y, w, **kw)


# --------------------------------------------------------------------------- must show: the resident/registered ratio


@pytest.mark.parametrize("column", ["ratio_2011", "ratio_2019"])
def test_moran_of_ratio_equals_esda(ratio, queen, column):
    res = ac.moran(ratio, column, weights=queen, permutations=999, seed=SEED)
    ref = _esda_moran(ratio[column].to_numpy(), queen.w, SEED, permutations=999)
    assert res.value == ref.I and res.expected == ref.EI
    assert (res.z_norm, res.p_norm, res.z_rand, res.p_rand) == (ref.z_norm, ref.p_norm, ref.z_rand, ref.p_rand)
    assert (res.p_sim, res.z_sim) == (ref.p_sim, ref.z_sim)
    assert res.n == 41 and res.excluded.empty
    assert res.value > 0.4 and res.p_sim == 0.001  # the ratio is clustered in both years


def test_change_between_2011_and_2019_equals_esda(ratio, queen):
    ch = ac.moran_change(ratio, "ratio_2011", "ratio_2019", weights=queen, permutations=999, seed=SEED)
    diff = (ratio.ratio_2019 - ratio.ratio_2011).to_numpy()
    assert np.array_equal(ch.frame["change"].to_numpy(), diff)
    for res, y in ((ch.moran_before, ratio.ratio_2011), (ch.moran_after, ratio.ratio_2019), (ch.moran_change, diff)):
        ref = _esda_moran(np.asarray(y, dtype=float), queen.w, SEED, permutations=999)
        assert (res.value, res.z_norm, res.p_sim) == (ref.I, ref.z_norm, ref.p_sim)
    np.random.seed(SEED)
    bv = esda.Moran_BV(ratio.ratio_2019.to_numpy(), ratio.ratio_2011.to_numpy(), queen.w, permutations=999)
    assert (ch.bivariate.value, ch.bivariate.p_sim) == (bv.I, bv.p_sim)
    lisa = esda.Moran_Local(ratio.ratio_2019.to_numpy(), queen.w, permutations=999, seed=SEED)
    assert np.array_equal(ch.frame["lisa_ratio_2019_p"].to_numpy(), lisa.p_sim)
    # transitions: every unit counted once, rows = 2011 clusters
    assert ch.transitions.to_numpy().sum() == 41
    assert ch.transitions.loc["HH"].sum() == (ch.frame["lisa_ratio_2011_cluster"] == "HH").sum()
    assert set(ch.summary().role) == {"before", "after", "change", "bivariate"}


def test_lisa_2019_equals_esda_and_labels(ratio, queen):
    res = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=999, seed=SEED)
    ref = esda.Moran_Local(ratio.ratio_2019.to_numpy(), queen.w, permutations=999, seed=SEED)  # keeps simulations
    out = res.frame
    assert np.array_equal(out.lisa_i.to_numpy(), ref.Is)
    assert np.array_equal(out.lisa_z.to_numpy(), ref.z)
    assert np.array_equal(out.lisa_q.to_numpy(), ref.q)
    assert np.array_equal(out.lisa_p.to_numpy(), ref.p_sim)
    expected = np.where(ref.p_sim < 0.05, pd.Series(ref.q).map(ac.QUADRANTS), "not significant")
    assert list(out.lisa_cluster) == list(expected)
    # labels agree with esda's own helper (PySAL naming)
    names = {"HH": "High-High", "LH": "Low-High", "LL": "Low-Low", "HL": "High-Low", "not significant": "Insignificant"}
    assert list(out.lisa_cluster.map(names)) == list(ref.get_cluster_labels(crit_value=0.05))
    # Shanghai sits in the high-high cluster; counts add up; GeoDa codes follow the labels
    assert out.loc[out.adcode == "310100", "lisa_cluster"].item() == "HH"
    assert res.counts.sum() == 41 and res.counts["isolated"] == 0
    assert (out.lisa_geoda == out.lisa_cluster.map(ac.GEODA_CODES)).all()
    assert out.lisa_sig.dtype == bool


def test_gi_star_equals_esda(ratio, queen):
    res = ac.gi_star(ratio, "ratio_2019", weights=queen, permutations=999, seed=SEED)
    ref = esda.G_Local(ratio.ratio_2019.to_numpy(), queen.w, transform="R", permutations=999, star=True, seed=SEED,
                       n_jobs=1)
    assert np.array_equal(res.frame.gi_g.to_numpy(), ref.Gs)
    assert np.array_equal(res.frame.gi_z.to_numpy(), ref.Zs)
    # esda keeps G_Local's p_sim in float32; the permutation counts behind it are identical
    assert np.array_equal(np.rint(res.frame.gi_p.to_numpy() * 1000), np.rint(ref.p_sim.astype(float) * 1000))
    assert np.allclose(res.frame.gi_p.to_numpy(), ref.p_sim, rtol=1e-6, atol=0)
    hot = (ref.p_sim < 0.05) & (ref.Zs > 0)
    assert list(res.frame.gi_spot == "hot spot") == list(hot)
    assert res.frame.loc[res.frame.adcode == "310100", "gi_spot"].item() == "hot spot"
    assert queen.w.transform == "R" or queen.w.transform == "r"


def test_geary_and_general_g_equal_esda(ratio, queen):
    y = ratio.ratio_2019.to_numpy()
    c = ac.geary(ratio, "ratio_2019", weights=queen, permutations=99, seed=SEED)
    np.random.seed(SEED)
    ref = esda.Geary(y, queen.w, permutations=99)
    assert (c.value, c.expected, c.z_norm, c.p_norm, c.z_rand, c.p_rand, c.p_sim) == (
        ref.C, ref.EC, ref.z_norm, ref.p_norm, ref.z_rand, ref.p_rand, ref.p_sim)
    assert c.value < 1  # Geary: below 1 = positive autocorrelation
    g = ac.getis_ord_g(ratio, "ratio_2019", weights=queen, permutations=99, seed=SEED)
    assert queen.w.transform.lower() == "r"  # esda's G switched it to binary; yrdgeo restored it
    np.random.seed(SEED)
    ref = esda.G(y, queen.w, permutations=99)
    queen.w.transform = "r"
    assert (g.value, g.expected, g.z_norm, g.p_norm, g.p_sim) == (ref.G, ref.EG, ref.z_norm, ref.p_norm, ref.p_sim)
    assert g.z_rand is None


def test_bivariate_local_moran_equals_esda(ratio, queen):
    res = ac.local_moran_bv(ratio, "ratio_2019", "ratio_2011", weights=queen, permutations=99, seed=SEED)
    ref = esda.Moran_Local_BV(ratio.ratio_2019.to_numpy(), ratio.ratio_2011.to_numpy(), queen.w, permutations=99,
                              seed=SEED)
    assert np.array_equal(res.frame.bvlisa_i.to_numpy(), ref.Is)
    assert np.array_equal(res.frame.bvlisa_p.to_numpy(), ref.p_sim)
    assert np.array_equal(res.frame.bvlisa_q.to_numpy(), ref.q)


# --------------------------------------------------------------------------- multiple testing


def test_corrections_follow_esda_fdr_and_bonferroni(ratio, queen):
    none = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=999, seed=SEED)
    fdr = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=999, seed=SEED, correction="fdr")
    bon = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=999, seed=SEED, correction="bonferroni")
    p = none.frame.lisa_p.to_numpy()
    assert fdr.cutoff == esda.fdr(p, 0.05)
    assert bon.cutoff == 0.05 / 41
    assert list(fdr.frame.lisa_sig) == list(p < esda.fdr(p, 0.05))
    assert list(bon.frame.lisa_sig) == list(p < 0.05 / 41)
    assert bon.frame.lisa_sig.sum() <= fdr.frame.lisa_sig.sum() <= none.frame.lisa_sig.sum()
    assert none.frame.lisa_sig.sum() > fdr.frame.lisa_sig.sum()  # the correction bites on this data
    assert "fdr" in str(fdr)


# --------------------------------------------------------------------------- a dataset nobody wrote for yrdgeo


def test_columbus_moran_matches_esda_and_published_value(columbus):
    sw = build_weights(columbus, "queen")  # no CRS: contiguity does not need one
    res = ac.moran(columbus, "CRIME", weights=sw, permutations=99, seed=SEED)
    ref = _esda_moran(columbus.CRIME.to_numpy(), sw.w, SEED, permutations=99)
    assert (res.value, res.z_norm, res.p_sim) == (ref.I, ref.z_norm, ref.p_sim)
    assert res.value == pytest.approx(0.500188557, abs=1e-9)  # PySAL/GeoDa's Columbus CRIME, queen
    lisa = ac.local_moran(columbus, "CRIME", weights=sw, permutations=99, seed=SEED)
    lref = esda.Moran_Local(columbus.CRIME.to_numpy(), sw.w, permutations=99, seed=SEED)
    assert np.array_equal(lisa.frame.lisa_i.to_numpy(), lref.Is)
    assert np.array_equal(lisa.frame.lisa_p.to_numpy(), lref.p_sim)
    gi = ac.gi_star(columbus, "CRIME", weights=sw, permutations=99, seed=SEED)
    assert gi.counts["hot spot"] > 0 and gi.counts["cold spot"] > 0


def test_weights_given_by_name(columbus):
    res = ac.moran(columbus, "HOVAL", weights="rook", permutations=0)
    ref = esda.Moran(columbus.HOVAL.to_numpy(), build_weights(columbus, "rook").w, permutations=0)
    assert res.value == ref.I and res.p_sim is None


# --------------------------------------------------------------------------- islands


def test_isolated_unit_is_never_significant_and_never_dropped(counties):
    frame = counties.copy()
    frame["area_km2"] = area_km2(frame)  # any real attribute works; the point is the island
    sw = build_weights(frame, islands="isolate")
    res = ac.local_moran(frame, "area_km2", weights=sw, permutations=99, seed=SEED)
    out = res.frame
    assert len(out) == 305
    row = out[out.adcode == DAISHAN].iloc[0]
    assert row.lisa_cluster == "isolated" and not row.lisa_sig and row.lisa_geoda == 6 and row.lisa_q == 0
    assert np.isnan(row.lisa_p) and np.isnan(row.lisa_i)
    assert list(res.excluded.id) == [DAISHAN] and list(res.excluded.reason) == ["isolated"]
    assert res.counts["isolated"] == 1 and res.n == 304
    # what esda alone would have said: the island gets the smallest possible pseudo p-value
    raw = esda.Moran_Local(frame.area_km2.to_numpy(), sw.w, permutations=99, seed=SEED)
    assert raw.p_sim[out.index[out.adcode == DAISHAN][0]] < 0.05
    # yrdgeo's numbers are esda's on the weights without the island
    ref = esda.Moran_Local(frame.area_km2.to_numpy()[out.adcode != DAISHAN], res.w, permutations=99, seed=SEED)
    assert np.array_equal(out.lisa_p.to_numpy()[out.adcode != DAISHAN], ref.p_sim)
    glob = ac.moran(frame, "area_km2", weights=sw, permutations=0)
    assert glob.n == 304 and glob.value == esda.Moran(frame.area_km2.to_numpy()[out.adcode != DAISHAN], res.w,
                                                      permutations=0).I


def test_island_attached_takes_part(counties):
    frame = counties.copy()
    frame["area_km2"] = area_km2(frame)
    sw = build_weights(frame, islands="nearest")
    res = ac.local_moran(frame, "area_km2", weights=sw, permutations=99, seed=SEED)
    assert res.excluded.empty and res.frame.loc[res.frame.adcode == DAISHAN, "lisa_cluster"].item() != "isolated"


def test_zhoushan_is_kept_at_city_level(ratio, queen):
    res = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=99, seed=SEED)
    row = res.frame[res.frame.adcode == ZHOUSHAN]
    assert len(row) == 1 and row.lisa_cluster.item() in ac.CLUSTER_ORDER[:5]
    assert not np.isnan(row.lisa_p.item())


# --------------------------------------------------------------------------- missing values


def test_missing_values_error_names_the_unit(ratio, queen):
    frame = ratio.copy()
    frame.loc[frame.adcode == ZHOUSHAN, "ratio_2019"] = np.nan
    with pytest.raises(ValueError, match=r"330900 舟山市.*missing='drop'"):
        ac.moran(frame, "ratio_2019", weights=queen)


def test_missing_values_drop_labels_and_makes_orphans_isolated(ratio, queen):
    frame = ratio.copy()
    frame.loc[frame.adcode == "310100", "ratio_2019"] = np.nan  # Shanghai: Zhoushan's only neighbour
    with pytest.warns(UserWarning, match="310100 上海市"):
        res = ac.local_moran(frame, "ratio_2019", weights=queen, permutations=99, seed=SEED, missing="drop")
    out = res.frame.set_index("adcode")
    assert out.loc["310100", "lisa_cluster"] == "missing" and out.loc["310100", "lisa_geoda"] == 5
    assert out.loc[ZHOUSHAN, "lisa_cluster"] == "isolated"  # left without neighbours, not silently dropped
    assert dict(zip(res.excluded.id, res.excluded.reason)) == {"310100": "missing", ZHOUSHAN: "isolated"}
    assert res.n == 39 and len(res.frame) == 41
    keep = ~frame.adcode.isin(["310100", ZHOUSHAN]).to_numpy()
    ref = esda.Moran_Local(frame.ratio_2019.to_numpy()[keep], res.w, permutations=99, seed=SEED)
    assert np.array_equal(res.frame.lisa_i.to_numpy()[keep], ref.Is)
    # NaN appears only where the label says why
    assert set(res.frame.loc[res.frame.lisa_p.isna(), "lisa_cluster"]) == {"missing", "isolated"}


# --------------------------------------------------------------------------- bad input


def test_non_numeric_column(ratio, queen):
    with pytest.raises(ValueError, match=r"column 'name_zh' must be numeric.*to_numeric"):
        ac.moran(ratio, "name_zh", weights=queen)


def test_constant_column(ratio, queen):
    frame = ratio.assign(flat=1.0)
    with pytest.raises(ValueError, match="same value"):
        ac.local_moran(frame, "flat", weights=queen)


def test_fewer_than_three_units(ratio):
    with pytest.raises(ValueError, match="at least 3 units"):
        ac.moran(ratio.head(2), "ratio_2019", weights="queen")


def test_distance_weights_without_crs(columbus):
    with pytest.raises(ValueError, match="coordinate reference system"):
        ac.moran(columbus, "CRIME", weights="knn")


def test_other_bad_input(ratio, queen, cities):
    with pytest.raises(ValueError, match="not in the frame"):
        ac.moran(ratio, "ratio_2020", weights=queen)
    with pytest.raises(ValueError, match="different frame"):
        ac.moran(ratio.iloc[::-1], "ratio_2019", weights=queen)
    with pytest.raises(ValueError, match="non-negative"):
        ac.gi_star(ratio.assign(d=ratio.ratio_2019 - 1), "d", weights=queen)
    with pytest.raises(ValueError, match="^correction must be one of 'none', 'bonferroni', 'fdr'; got 'holm'$"):
        ac.local_moran(ratio, "ratio_2019", weights=queen, correction="holm")
    with pytest.raises(ValueError, match="^alpha must be a finite number > 0 and <= 1, got 5$"):
        ac.local_moran(ratio, "ratio_2019", weights=queen, alpha=5)
    with pytest.raises(ValueError, match="^permutations must be a whole number >= 1, got 0$"):
        ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=0)
    with pytest.raises(ValueError, match="^permutations must be a whole number >= 1, got 0$"):  # permutation only
        ac.moran_bv(ratio, "ratio_2019", "ratio_2011", weights=queen, permutations=0)
    with pytest.raises(ValueError, match="^permutations must be a whole number >= 0, got -1$"):
        ac.moran(ratio, "ratio_2019", weights=queen, permutations=-1)
    with pytest.raises(ValueError, match="^missing must be one of 'error', 'drop'; got 'fill'$"):
        ac.geary(ratio, "ratio_2019", weights=queen, missing="fill")
    with pytest.raises(ValueError, match="^Gi\\* needs weights transformed 'r' or 'b'; these are 'v'$"):
        ac.gi_star(ratio, "ratio_2019", weights=build_weights(ratio, transform="v"))
    with pytest.raises(ValueError, match="infinite"):
        ac.moran(ratio.assign(x=np.where(ratio.adcode == "310100", np.inf, 1.0)), "x", weights=queen)


# --------------------------------------------------------------------------- hygiene


def test_input_untouched_and_global_random_state_restored(ratio, queen):
    before = ratio.copy()
    state = np.random.get_state()
    ac.moran_change(ratio, "ratio_2011", "ratio_2019", weights=queen, permutations=99, seed=SEED)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2] == after[2]
    pd.testing.assert_frame_equal(pd.DataFrame(ratio), pd.DataFrame(before))
    a = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=99, seed=7).frame.lisa_p
    b = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=99, seed=7).frame.lisa_p
    assert a.equals(b)


# --------------------------------------------------------------------------- figures


def test_moran_scatterplot_slope_is_morans_i(ratio, queen, tmp_path):
    lisa = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=99, seed=SEED)
    fig = ac.moran_scatterplot(lisa)
    line = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) == 2 and ln.get_label().startswith("斜率")][0]
    x, y = line.get_xdata(), line.get_ydata()
    slope = (y[1] - y[0]) / (x[1] - x[0])
    assert slope == pytest.approx(ac.moran(ratio, "ratio_2019", weights=queen, permutations=0).value, rel=1e-9)
    fig.savefig(tmp_path / "scatter.png")
    assert (tmp_path / "scatter.png").stat().st_size > 10_000
    matplotlib.pyplot.close(fig)


def test_lisa_cluster_map_legend_counts(ratio, queen, tmp_path):
    lisa = ac.local_moran(ratio, "ratio_2019", weights=queen, permutations=99, seed=SEED)
    fig = ac.lisa_cluster_map(lisa, source_note="数据：吴福象、张雯《长三角区域产城人融合发展路径研究》表 1")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    for label, count in lisa.counts.items():
        if count:
            assert f"{ac.LABELS_ZH[label]} ({count})" in legend
    fig.savefig(tmp_path / "lisa.png")
    assert (tmp_path / "lisa.png").stat().st_size > 10_000
    matplotlib.pyplot.close(fig)


# --------------------------------------------------------------------------- joining attributes


def test_join_attributes_keeps_every_unit_in_order(cities):
    table = pd.DataFrame({"adcode": [320500, 310100, 320583], "x": [1.0, 2.0, 3.0], "name_zh": ["苏州", "上海", "昆山"]})
    with pytest.warns(UserWarning, match="320583"):  # a county row matches no city: said, not silently dropped
        out = ac.join_attributes(cities, table)
    assert list(out.adcode) == list(cities.adcode) and "x" in out and list(out.name_zh) == list(cities.name_zh)
    assert out.set_index("adcode").loc["310100", "x"] == 2.0 and out.x.isna().sum() == 39
    with pytest.raises(ValueError, match="row 3: unknown YRD unit adcode '999999'"):
        ac.join_attributes(cities, table.assign(adcode=[320500, 310100, 999999]))
    with pytest.raises(ValueError, match="appears in several rows"):
        ac.join_attributes(cities, pd.DataFrame({"adcode": ["310100", "310100"], "x": [1, 2]}))
    with pytest.raises(ValueError, match="column .name_zh. identifies the units"):
        ac.join_attributes(cities, table, columns=["name_zh"])
    with pytest.raises(ValueError, match="no column 'code'"):
        ac.join_attributes(cities, table, key="code")


def test_change_with_a_unit_missing_in_one_year(ratio, queen):
    frame = ratio.copy()
    frame.loc[frame.adcode == "341800", "ratio_2011"] = np.nan  # 宣城 unknown in 2011 only
    with pytest.raises(ValueError, match="341800 宣城市"):
        ac.moran_change(frame, "ratio_2011", "ratio_2019", weights=queen, permutations=9)
    with pytest.warns(UserWarning, match="341800"):
        ch = ac.moran_change(frame, "ratio_2011", "ratio_2019", weights=queen, permutations=99, seed=SEED,
                             missing="drop")
    row = ch.frame.set_index("adcode").loc["341800"]
    # left out of every statistic, also 2019 where it has a value, so the years compare like with like
    assert row.lisa_ratio_2019_cluster == "missing" and row.lisa_change_cluster == "missing"
    assert row.ratio_2019 == ratio.set_index("adcode").loc["341800", "ratio_2019"]  # user's value kept
    assert ch.moran_after.n == ch.moran_before.n == ch.moran_change.n == 40
    keep = (frame.adcode != "341800").to_numpy()
    ref = _esda_moran(ratio.ratio_2019.to_numpy()[keep], ch.moran_after.w, SEED, permutations=99)
    assert ch.moran_after.value == ref.I


def test_any_index_and_row_order(columbus):
    shuffled = columbus.sample(frac=1.0, random_state=3).set_index("POLYID")  # ids from a non-range index
    sw = build_weights(shuffled, "queen")
    assert list(sw.ids) == list(shuffled.index)
    res = ac.local_moran(shuffled, "CRIME", weights=sw, permutations=99, seed=SEED)
    assert res.frame.index.equals(shuffled.index)
    ref = esda.Moran_Local(shuffled.CRIME.to_numpy(), sw.w, permutations=99, seed=SEED)
    assert np.array_equal(res.frame.lisa_i.to_numpy(), ref.Is)
    # the same neighbourhoods as in file order, only permuted
    base = build_weights(columbus, "queen")
    pos = {pid: i for i, pid in enumerate(columbus.POLYID)}
    for j, pid in enumerate(shuffled.index):
        assert {pos[sw.ids[k]] for k in sw.w.neighbors[j]} == set(base.w.neighbors[pos[pid]])
    assert ac.moran(shuffled, "CRIME", weights=sw, permutations=0).value == pytest.approx(0.500188557, abs=1e-9)


def test_moran_sensitivity_rows_are_moran_on_each_weights(ratio):
    table = ac.moran_sensitivity(ratio, "ratio_2019", permutations=99, seed=SEED)
    assert list(table.weights[:5]) == ["queen", "rook", "knn k=4", "knn k=6", "knn k=8"]
    assert table.method.tolist() == ["queen", "rook", "knn", "knn", "knn", "distance_band"]
    band = float(table.threshold_km.iloc[-1])
    # the default band is the smallest (to 0.1 km) in which every city has a neighbour
    assert not build_weights(ratio, "distance_band", threshold_km=band).islands
    with pytest.raises(ValueError, match="no neighbour"):
        build_weights(ratio, "distance_band", threshold_km=band - 0.1)
    for row, (method, options) in zip(table.itertuples(), [("queen", {}), ("rook", {}), ("knn", {"k": 4}),
                                                            ("knn", {"k": 6}), ("knn", {"k": 8}),
                                                            ("distance_band", {"threshold_km": band})]):
        sw = build_weights(ratio, method, islands="nearest", **options)
        ref = ac.moran(ratio, "ratio_2019", weights=sw, permutations=99, seed=SEED)
        assert (row.I, row.expected, row.z_norm, row.p_sim, row.n) == (
            ref.value, ref.expected, ref.z_norm, ref.p_sim, ref.n)
        assert row.mean_neighbours == pytest.approx(sw.cardinalities.mean()) and row.islands == 0
    assert table.attrs["column"] == "ratio_2019"


def test_moran_sensitivity_islands_bands_and_refusals(counties):
    frame = counties.assign(x=np.arange(len(counties), dtype=float) % 7)
    table = ac.moran_sensitivity(frame, "x", methods=["queen", "inverse_distance", "kernel"], ks=[5],
                                 thresholds_km=[30, 60], permutations=0)
    assert table.weights.tolist() == ["queen", "inverse_distance 30 km", "inverse_distance 60 km", "kernel k=5"]
    assert table.islands.iloc[0] == 1  # 岱山县, attached to its nearest county
    assert table.p_sim.isna().all() and (table.n == len(frame)).all()
    with pytest.raises(ValueError, match="no neighbour"):
        ac.moran_sensitivity(frame, "x", methods=["queen"], islands="error", permutations=0)
    with pytest.raises(ValueError, match="methods must be one of"):
        ac.moran_sensitivity(frame, "x", methods=["queen", "delaunay"])
    with pytest.raises(ValueError, match="methods is empty"):
        ac.moran_sensitivity(frame, "x", methods=[])
    with pytest.raises(ValueError, match="ks must be"):
        ac.moran_sensitivity(frame, "x", methods=["knn"], ks=[0])
    frame.loc[frame.index[5], "x"] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        table = ac.moran_sensitivity(frame, "x", methods=["knn"], ks=[4, 6], missing="drop", permutations=0)
    assert (table.n == len(frame) - 1).all()
    assert sum("leaving out 1 unit" in str(w.message) for w in caught) == 1  # said once, not once per row


@pytest.fixture(scope="module")
def county_areas(counties):
    frame = counties.copy()
    frame["area_km2"] = area_km2(frame)
    frame["log_area"] = np.log(frame["area_km2"])
    return frame, build_weights(frame, islands="isolate")  # 岱山县 left out: the split must skip it alike


@pytest.mark.parametrize("statistic", ["local_moran", "local_moran_bv", "gi_star"])
def test_local_statistics_on_two_processes_equal_one(county_areas, statistic):
    frame, sw = county_areas
    columns = ["area_km2", "log_area"] if statistic == "local_moran_bv" else ["area_km2"]
    run = getattr(ac, statistic)
    serial = run(frame, *columns, weights=sw, permutations=999, seed=SEED)
    for n_jobs in (2, -1):
        parallel = run(frame, *columns, weights=sw, permutations=999, seed=SEED, n_jobs=n_jobs)
        # every column: the statistic, p_sim, z, quadrant and cluster/spot label, bit for bit
        pd.testing.assert_frame_equal(parallel.frame, serial.frame, check_exact=True)
        assert parallel.counts.equals(serial.counts) and parallel.cutoff == serial.cutoff
    assert serial.counts.drop(["isolated", "missing"]).sum() == 304  # the isolated unit stayed out


def test_change_on_two_processes_equals_one(ratio, queen):
    kw = dict(weights=queen, permutations=199, seed=SEED)
    serial = ac.moran_change(ratio, *RATIO_COLUMNS, **kw)
    parallel = ac.moran_change(ratio, *RATIO_COLUMNS, n_jobs=2, **kw)
    pd.testing.assert_frame_equal(parallel.frame, serial.frame, check_exact=True)
    assert parallel.transitions.equals(serial.transitions)


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "2", None])
def test_n_jobs_is_checked(ratio, queen, bad):
    for run in (ac.local_moran, ac.gi_star):
        with pytest.raises(ValueError, match="n_jobs must be a whole number >= 1, or -1"):
            run(ratio, "ratio_2019", weights=queen, permutations=9, n_jobs=bad)
    with pytest.raises(ValueError, match="n_jobs"):
        ac.local_moran_bv(ratio, *RATIO_COLUMNS, weights=queen, permutations=9, n_jobs=bad)
    with pytest.raises(ValueError, match="n_jobs"):
        ac.moran_change(ratio, *RATIO_COLUMNS, weights=queen, permutations=9, n_jobs=bad)
