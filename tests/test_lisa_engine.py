"""The vectorised conditional-randomisation engine gives esda's numbers, for any split of the units and any n_jobs."""

from __future__ import annotations

import importlib.util
import warnings

import esda
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import W, lat2W

from yrdgeo import autocorrelation as ac
from yrdgeo.autocorrelation.permutation import STATISTICS, local_randomization, permutation_table
from yrdgeo.weights import build_weights

SEEDS = (1, 12345, 20240601)
# With numba, esda compiles its loop with fastmath: the table and the statistic stay the same, but a simulated value
# that ties with the observed one (a unit with one neighbour draws that neighbour about permutations / n times) can
# fall on either side, which moves that unit's p-value by a few counts, and the simulated moments move in the last
# bits. The engine reproduces esda without numba; yrdgeo does not install numba (checked below).


def test_the_esda_compared_against_runs_without_numba():
    """The comparisons below are with esda's plain numpy loop: yrdgeo does not install numba, whose fastmath
    loop breaks ties between simulated and observed values differently (docs/performance.md)."""
    assert importlib.util.find_spec("numba") is None, "numba is installed: esda runs its numba loop, not the one compared"


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Return whether two arrays of simulated moments are bit for bit equal (NaN where the other has NaN)."""
    return np.array_equal(a, b, equal_nan=True)


@pytest.fixture(autouse=True)
def _quiet_esda():
    # esda 2.9 announces a future change of its default alternative hypothesis, and warns about islands and Gi*'s
    # self-weight; neither is what these tests are about
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _lattice_with_islands() -> W:
    """Return a 20 × 15 rook lattice in which four cells lost every link (islands) and a few links are cut."""
    base = lat2W(20, 15, rook=True)
    neighbours = {i: list(js) for i, js in base.neighbors.items()}
    for island in (0, 77, 150, 299):
        for j in neighbours[island]:
            neighbours[j].remove(island)
        neighbours[island] = []
    return W(neighbours, silence_warnings=True)


def _values(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.gamma(2.0, size=n), rng.normal(size=n)


def _esda(statistic: str, make_w, y: np.ndarray, x: np.ndarray, transform: str, seed: int, permutations: int):
    """Return esda's result (simulations kept) and the CSR arrays of the W its randomisation starts from.

    esda's randomisation zeroes the diagonal of the W's cached sparse matrix in place, so the arrays are copied
    before it runs, from a fresh W.
    """
    kw = dict(permutations=permutations, seed=seed, keep_simulations=True, n_jobs=1)
    if statistic.startswith("g"):
        star = statistic == "g_star"
        sp = esda.G_Local(y, make_w(), transform=transform, permutations=0, star=star).w.sparse.copy()
        return esda.G_Local(y, make_w(), transform=transform, star=star, **kw), sp
    w = make_w()
    w.transform = transform
    sp = w.sparse.copy()
    if statistic == "moran":
        return esda.Moran_Local(y, w, transformation=transform, **kw), sp
    return esda.Moran_Local_BV(x, y, w, transformation=transform, **kw), sp


def _template(w: W):
    """Return a function making fresh copies of ``w`` (esda changes a W's transform and cached matrix)."""
    return lambda: W(w.neighbors, w.weights, id_order=w.id_order, silence_warnings=True)


def _reference(statistic: str, make_w, *, transform: str = "r", seed: int = 1, permutations: int = 999):
    """Return esda's result, the CSR arrays its randomisation starts from, and the values for the engine."""
    n = make_w().n
    y, x = _values(n, seed)
    ref, sp = _esda(statistic, make_w, y, x, transform, seed, permutations)
    return ref, sp, (np.column_stack([x, y]) if statistic == "moran_bv" else y)


def _assert_esdas(res, ref, statistic: str) -> None:
    observed, mean, std = (ref.Gs, ref.EG_sim, ref.seG_sim) if statistic.startswith("g") else (
        ref.Is, ref.EI_sim, ref.seI_sim)
    assert np.array_equal(res.statistic, observed)
    # Moran recomputes p_sim in float64 from kept simulations; G keeps crand's float32 values
    assert np.array_equal(res.p_sim.astype(ref.p_sim.dtype), ref.p_sim)
    assert _same(res.mean, mean) and _same(res.std, std) and _same(res.z_sim, ref.z_sim)


def _check(statistic: str, make_w, *, transform: str = "r", seed: int = 1, permutations: int = 999, **options):
    """Run the engine and esda on the same data; assert the numbers are esda's; return the engine's result."""
    ref, sp, values = _reference(statistic, make_w, transform=transform, seed=seed, permutations=permutations)
    res = local_randomization(values, sp.indptr, sp.indices, sp.data, statistic=statistic, seed=seed,
                              permutations=permutations, **options)
    _assert_esdas(res, ref, statistic)
    return res


@pytest.fixture(scope="module")
def county_queen(counties):
    # islands="nearest": 岱山县 gets its nearest county, as yrdgeo's statistics use it
    return _template(build_weights(counties, "queen", islands="nearest").w)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("statistic", ["moran", "moran_bv", "g_star", "g"])
def test_counties_equal_esda(county_queen, statistic, seed):
    _check(statistic, county_queen, seed=seed)


@pytest.mark.parametrize("statistic", ["moran", "g_star"])
def test_binary_weights_equal_esda(county_queen, statistic):
    _check(statistic, county_queen, transform="b", seed=7)


@pytest.mark.parametrize("method, options", [
    ("knn", {"k": 6}),
    ("kernel", {"k": 5}),  # a self-weight on the diagonal and unequal weights
    ("inverse_distance", {"threshold_km": 200.0}),  # unequal weights, many neighbours
])
@pytest.mark.parametrize("statistic", ["moran", "moran_bv"])
def test_cities_under_other_weights_equal_esda(cities, method, options, statistic):
    _check(statistic, _template(build_weights(cities, method, **options).w), seed=3)


@pytest.mark.parametrize("statistic", ["moran", "moran_bv", "g_star"])
def test_grid_with_islands_equals_esda(statistic):
    res = _check(statistic, _lattice_with_islands, seed=11)
    # an island's lag is 0 in every draw: esda gives it the smallest p-value possible, and so does the engine
    assert res.p_sim[0] == 1 / 1000


def test_county_island_left_alone_equals_esda(counties):
    # islands="isolate" keeps 岱山县 without neighbours inside the weights; esda gives it the stand-in neighbour
    _check("moran", _template(build_weights(counties, "queen", islands="isolate").w), seed=5, permutations=99)


@pytest.mark.parametrize("statistic", STATISTICS)
def test_blocks_processes_and_subsets_give_the_whole_run(county_queen, statistic):
    ref, sp, values = _reference(statistic, county_queen, seed=12345)
    run = lambda **options: local_randomization(  # noqa: E731
        values, sp.indptr, sp.indices, sp.data, statistic=statistic, **options)
    whole = run(seed=12345)
    for options in ({"block": 1}, {"block": 5_000}, {"n_jobs": 2}, {"n_jobs": 2, "block": 30_000}):
        other = run(seed=12345, **options)
        for name in ("statistic", "p_sim", "larger", "mean", "std", "z_sim"):
            assert np.array_equal(getattr(other, name), getattr(whole, name), equal_nan=True), (options, name)
    # units computed in separate calls with the run's table, in any order, concatenate to the whole run
    off_diagonal = np.diff(sp.indptr) - (sp.diagonal() != 0)
    table = permutation_table(len(off_diagonal), int(off_diagonal.max()), 999, 12345)
    order = np.random.default_rng(0).permutation(len(off_diagonal))
    parts = [run(units=chunk, table=table) for chunk in np.array_split(order, 3)]
    back = np.argsort(order)
    for name in ("statistic", "p_sim", "larger", "mean", "std", "z_sim"):
        joined = np.concatenate([getattr(p, name) for p in parts])[back]
        assert np.array_equal(joined, getattr(whole, name), equal_nan=True), name
    _assert_esdas(whole, ref, statistic)


def test_table_is_esdas_and_leaves_the_global_generator_alone():
    from esda.crand import vec_permutations

    state = np.random.get_state()[1].copy()
    table = permutation_table(500, 7, 99, 42)
    assert np.array_equal(np.random.get_state()[1], state)
    np.random.seed(0)  # esda seeds numpy's global generator itself
    assert np.array_equal(table, vec_permutations(7, 500, 99, 42))
    assert table.shape == (99, 7) and table.min() >= 0 and table.max() <= 498
    # a row is the head of a full shuffle: more columns leave the first ones as they were
    assert np.array_equal(permutation_table(500, 12, 99, 42)[:, :7], table)


def test_engine_refuses_bad_input():
    w = lat2W(4, 4)
    sp = w.sparse
    y = np.arange(16.0)
    with pytest.raises(ValueError, match="statistic must be one of"):
        local_randomization(y, sp.indptr, sp.indices, sp.data, statistic="geary")
    with pytest.raises(ValueError, match="shape \\(n, 2\\)"):
        local_randomization(y, sp.indptr, sp.indices, sp.data, statistic="moran_bv")
    with pytest.raises(ValueError, match="indptr must have n \\+ 1"):
        local_randomization(y[:-1], sp.indptr, sp.indices, sp.data)
    with pytest.raises(ValueError, match="units must be positions"):
        local_randomization(y, sp.indptr, sp.indices, sp.data, units=[16])
    with pytest.raises(ValueError, match="table must be"):
        local_randomization(y, sp.indptr, sp.indices, sp.data, table=np.zeros((9, 2), dtype=int))
    with pytest.raises(ValueError, match="n_jobs must be"):
        local_randomization(y, sp.indptr, sp.indices, sp.data, n_jobs=0)


# --------------------------------------------------------------------------- yrdgeo's local statistics on the engine


@pytest.fixture(scope="module")
def county_frame(counties):
    frame = counties.copy()
    rng = np.random.default_rng(8)
    frame["x"], frame["y"] = rng.gamma(2.0, size=len(frame)), rng.gamma(3.0, size=len(frame))
    frame.loc[frame.index[[10, 200]], "y"] = np.nan  # left out as missing, the units' policy
    return frame, build_weights(frame, "queen", islands="isolate")  # 岱山县 stays out as isolated


@pytest.mark.parametrize("statistic", ["local_moran", "local_moran_bv", "gi_star"])
def test_local_statistics_on_the_engine_equal_esdas_loop(county_frame, statistic):
    frame, sw = county_frame
    run = getattr(ac, statistic)
    columns = ["x", "y"] if statistic == "local_moran_bv" else ["y"]
    kw = dict(weights=sw, permutations=999, seed=20240601, missing="drop", correction="fdr")
    fast = run(frame, *columns, **kw)
    for n_jobs in (1, 2):
        plain = run(frame, *columns, engine="esda", n_jobs=n_jobs, **kw)
        pd.testing.assert_frame_equal(fast.frame, plain.frame, check_exact=True)
        assert fast.counts.equals(plain.counts) and fast.cutoff == plain.cutoff
    pd.testing.assert_frame_equal(run(frame, *columns, n_jobs=2, **kw).frame, fast.frame, check_exact=True)
    left_out = fast.frame[fast.columns["label"]].isin([ac.ISOLATED, ac.MISSING]).to_numpy()
    assert fast.counts[ac.ISOLATED] >= 1 and fast.counts[ac.MISSING] == 2 and left_out.sum() == len(fast.excluded)
    # the moments esda gives only when it keeps its simulations come along
    ref = fast.esda_result
    values = [frame[c].to_numpy()[~left_out] for c in columns]
    w = fast.w  # the weights of the units tested, built for this result (no diagonal for esda to zero)
    if statistic == "gi_star":
        kept = esda.G_Local(*values, w, transform="R", star=True, permutations=999, seed=20240601, n_jobs=1)
        assert _same(ref.EG_sim, kept.EG_sim) and _same(ref.seG_sim, kept.seG_sim)
    else:
        cls = esda.Moran_Local_BV if statistic == "local_moran_bv" else esda.Moran_Local
        kept = cls(*values, w, transformation="r", permutations=999, seed=20240601, n_jobs=1)
        assert _same(ref.EI_sim, kept.EI_sim) and _same(ref.seI_sim, kept.seI_sim)
    assert _same(ref.z_sim, kept.z_sim) and np.array_equal(ref.p_sim.astype(kept.p_sim.dtype), kept.p_sim)


def test_change_on_the_engine_equals_esdas_loop(county_frame):
    frame, sw = county_frame
    kw = dict(weights=sw, permutations=199, seed=3, missing="drop")
    fast = ac.moran_change(frame, "x", "y", **kw)
    plain = ac.moran_change(frame, "x", "y", engine="esda", **kw)
    pd.testing.assert_frame_equal(fast.frame, plain.frame, check_exact=True)
    assert fast.transitions.equals(plain.transitions)
    with pytest.raises(ValueError, match="engine must be one of"):
        ac.moran_change(frame, "x", "y", engine="numba", **kw)
    with pytest.raises(ValueError, match="engine must be one of"):
        ac.local_moran(frame, "x", weights=sw, engine="numba")


def test_no_seed_draws_the_table_seed_as_esda_does(county_frame):
    # seed=None: both engines take the table's seed from numpy's global generator, the same draw
    frame, sw = county_frame
    np.random.seed(99)
    fast = ac.local_moran(frame, "x", weights=sw, permutations=99)
    np.random.seed(99)
    plain = ac.local_moran(frame, "x", weights=sw, permutations=99, engine="esda")
    pd.testing.assert_frame_equal(fast.frame, plain.frame, check_exact=True)


def test_kernel_self_weights_survive_repeated_runs(cities):
    # esda's permutations zero the diagonal of the W's cached matrix in place; the engine never touches it, and
    # after esda's loop yrdgeo clears the cache: every run sees the kernel's self-weights
    frame = cities.copy()
    frame["x"] = np.random.default_rng(4).gamma(2.0, size=len(frame))
    sw = build_weights(frame, "kernel", k=5)
    kw = dict(weights=sw, permutations=199, seed=2)
    first = ac.local_moran(frame, "x", **kw)
    plain = ac.local_moran(frame, "x", engine="esda", **kw)
    again = ac.local_moran(frame, "x", **kw)
    for other in (plain, again):
        pd.testing.assert_frame_equal(other.frame, first.frame, check_exact=True)
