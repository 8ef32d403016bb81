"""The parallel OD engine and degree-2 chain contraction give the serial engine's answers.

Parallel searches (``n_jobs > 1``, worker processes over a shared-memory graph) must be bit-identical to
``n_jobs=1``; contracted searches agree with the plain search to ~1e-15 relative (the chain is summed as one
number), with the same unreachable pairs. Shared memory is always released, and a worker's failure is a
clear error.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from scipy import sparse
from scipy.sparse import csgraph

import yrdgeo
from yrdgeo import accessibility as A
from yrdgeo import network as N
from yrdgeo.network import shortest as S

SHM = Path("/dev/shm")
#: The contracted search sums a chain as one number: the differences measured here are ≤ 7e-16 relative.
CONTRACT_RTOL = 1e-12


def _segments() -> set[str]:
    """Return this library's shared-memory segments that exist now (empty where /dev/shm does not)."""
    return {p.name for p in SHM.glob(S.SHARED_PREFIX + "*")} if SHM.is_dir() else set()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Return whether two time arrays are bitwise equal (inf and NaN in the same places)."""
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def _close(a: np.ndarray, b: np.ndarray) -> None:
    """Assert two time arrays agree to CONTRACT_RTOL with the same unreached (inf/NaN) entries."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert np.array_equal(np.isfinite(a), np.isfinite(b))
    assert np.array_equal(np.isnan(a), np.isnan(b))
    f = np.isfinite(a)
    np.testing.assert_allclose(a[f], b[f], rtol=CONTRACT_RTOL, atol=0)


def road_lattice(side: int, *, seed: int = 0, shape_nodes: int = 0, island: bool = True,
                 removed: float = 0.25) -> N.Network:
    """Return a small road-like lattice (some links removed, some one-way, bends as degree-2 nodes, an island)."""
    rng = np.random.default_rng(seed)
    idx = np.arange(side * side).reshape(side, side)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    keep = rng.random(len(u)) >= removed
    u, v = u[keep], v[keep]
    lon = list(116.0 + (idx % side).ravel() * 0.01)
    lat = list(28.0 + (idx // side).ravel() * 0.01)
    us, vs = [], []
    n = side * side
    for a, b in zip(u.tolist(), v.tolist()):  # bends: a link a-b becomes a-s1-…-sk-b
        k = int(rng.integers(0, shape_nodes + 1))
        path = [a, *range(n, n + k), b]
        for j in range(k):
            f = (j + 1) / (k + 1)
            lon.append(lon[a] + f * (lon[b] - lon[a]))
            lat.append(lat[a] + f * (lat[b] - lat[a]))
        n += k
        us += path[:-1]
        vs += path[1:]
    if island:  # two nodes joined to nothing else: unreachable from the rest
        lon += [118.0, 118.01]
        lat += [30.0, 30.0]
        us.append(n)
        vs.append(n + 1)
        n += 2
    km = rng.uniform(0.3, 1.5, len(us))
    speed = rng.uniform(20.0, 90.0, len(us))
    nodes = gpd.GeoDataFrame({"node_id": np.arange(n).astype(str), "name": ""},
                             geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    edges = gpd.GeoDataFrame(
        {"u": us, "v": vs, "line": "", "mode": "road", "length_km": km, "speed_kmh": speed,
         "time_min": km / speed * 60.0, "oneway": rng.random(len(us)) < 0.1, "opened": "", "source": "test"},
        geometry=gpd.GeoSeries([None] * len(us), crs="EPSG:4326"), crs="EPSG:4326")
    return N.Network(nodes, edges, name="test lattice")


def random_graph(n: int, seed: int) -> sparse.csr_matrix:
    """Return a sparse graph with chains, rings, one-way links, parallel links and self-loops."""
    rng = np.random.default_rng(seed)
    m = 3 * n
    r = rng.integers(0, n, m)
    c = (r + rng.integers(-3, 4, m)) % n
    w = rng.uniform(0.1, 5.0, m)
    keep = rng.random(m) < 0.5
    g = sparse.coo_matrix((w[keep], (r[keep], c[keep])), shape=(n, n))
    return g.tocsr().maximum(g.T.tocsr()) if seed % 2 else g.tocsr()


@pytest.fixture(autouse=True)
def always_parallel(monkeypatch):
    """Use the worker pool even for the small graphs of these tests (the engine keeps small searches serial)."""
    monkeypatch.setattr(S, "MIN_PARALLEL_WORK", 0)


@pytest.fixture(scope="module")
def yrd():
    return N.load_yrd_network()


@pytest.fixture(scope="module")
def counties():
    return yrdgeo.load_units("county")


@pytest.fixture(scope="module")
def lattice():
    return road_lattice(30, seed=3, shape_nodes=3)


def lattice_points(net: N.Network, count: int, seed: int) -> gpd.GeoDataFrame:
    """Return ``count`` points at random nodes of ``net`` (the island's first node among them)."""
    rng = np.random.default_rng(seed)
    at = np.concatenate([[net.n_nodes - 2], rng.choice(net.n_nodes - 2, count - 1, replace=False)])
    return net.nodes.iloc[at].reset_index(drop=True)[["geometry"]].assign(key=np.arange(count))


# ---------------------------------------------------------------- parallel == serial, bit for bit


@pytest.mark.parametrize("n_jobs", [2, 3])
def test_parallel_od_bundled_network_identical(yrd, counties, n_jobs):
    before = _segments()
    kw = dict(cutoff_min=90.0, max_access_km=15.0)  # beyond-cutoff and no-access pairs too
    serial = A.od_matrix(yrd, counties, **kw)
    parallel = A.od_matrix(yrd, counties, n_jobs=n_jobs, **kw)
    assert _same(serial.minutes.to_numpy(), parallel.minutes.to_numpy())
    assert serial.minutes.isna().to_numpy().any()  # the check covers unreached pairs
    assert serial.unreachable.equals(parallel.unreachable)
    assert serial.reachable.equals(parallel.reachable)
    assert _segments() == before


@pytest.mark.parametrize("n_jobs", [1, 2, 4, -1])
def test_parallel_od_road_lattice_identical(lattice, n_jobs):
    pts = lattice_points(lattice, 40, seed=1)
    serial = A.od_matrix(lattice, pts, key="key")
    parallel = A.od_matrix(lattice, pts, key="key", n_jobs=n_jobs)
    assert _same(serial.minutes.to_numpy(), parallel.minutes.to_numpy())
    assert serial.minutes.isna().to_numpy().sum() >= 2 * 39  # the island reaches nothing, nothing reaches it
    assert serial.unreachable.equals(parallel.unreachable)


@pytest.mark.parametrize("method", [
    pytest.param("spawn", marks=pytest.mark.slow),  # each worker imports the library: seconds on a busy machine
    "fork",  # Linux, where yrdgeo is tested, always has fork
])
def test_shortest_times_parallel_any_start_method(lattice, method):
    g = lattice.graph()
    rng = np.random.default_rng(5)
    src = rng.choice(g.shape[0], 9, replace=False)
    before = _segments()
    for targets, limit in ((None, None), (rng.choice(g.shape[0], 50, replace=False), 5.0)):
        serial = N.shortest_times(g, src, targets, limit=limit)
        assert _same(serial, N.shortest_times(g, src, targets, limit=limit, n_jobs=2, start_method=method))
    ref = csgraph.dijkstra(g, directed=True, indices=src)
    assert _same(N.shortest_times(g, src), ref)  # n_jobs=1 is the plain csgraph search
    assert np.isinf(ref).any()
    assert _segments() == before


def test_parallel_cumulative_and_2sfca_identical(lattice):
    pts = lattice_points(lattice, 25, seed=2).assign(pop=np.arange(25.0) + 1)
    a = A.cumulative_opportunities(lattice, pts, thresholds=(5, 10), key="key")
    b = A.cumulative_opportunities(lattice, pts, thresholds=(5, 10), key="key", n_jobs=2)
    assert a.equals(b)
    f1 = A.two_step_fca(lattice, pts, pts, demand_column="pop", supply_column="pop", catchment_min=8)
    f2 = A.two_step_fca(lattice, pts, pts, demand_column="pop", supply_column="pop", catchment_min=8, n_jobs=2)
    assert f1.demand.equals(f2.demand) and f1.supply.equals(f2.supply)


def _failing_fill(*args, **kwargs):
    raise MemoryError("simulated failure in a worker")


# the monkeypatched engine reaches the workers by fork (Linux, where yrdgeo is tested)
def test_worker_error_is_clear_and_memory_released(lattice, monkeypatch):
    g = lattice.graph()
    before = _segments()
    monkeypatch.setattr(S, "_fill", _failing_fill)  # forked workers inherit the patched module
    with pytest.raises(RuntimeError, match="failed in a worker process.*simulated failure.*n_jobs=1"):
        N.shortest_times(g, np.arange(6), n_jobs=2, start_method="fork")
    assert _segments() == before


def test_shared_memory_released_and_options_checked(lattice, monkeypatch):
    g = lattice.graph()
    before = _segments()
    N.shortest_times(g, np.arange(4), np.arange(10), n_jobs=2)
    assert _segments() == before
    started = []
    monkeypatch.setattr(S, "MIN_PARALLEL_WORK", 1e12)
    monkeypatch.setattr(S, "_parallel", lambda *a: started.append(a))
    assert _same(N.shortest_times(g, np.arange(4), n_jobs=2), N.shortest_times(g, np.arange(4)))
    assert not started  # a small search stays in this process
    with pytest.raises(ValueError, match="n_jobs"):
        N.shortest_times(g, [0], n_jobs=0)
    with pytest.raises(ValueError, match="contract"):
        N.shortest_times(g, [0], contract="sometimes")
    with pytest.raises(ValueError, match="sources must be node positions"):
        N.shortest_times(g, [g.shape[0]])


# ---------------------------------------------------------------- contraction == plain search


@pytest.mark.parametrize("seed", range(12))
def test_contraction_matches_plain_search(seed):
    g = random_graph(80, seed)
    src = np.random.default_rng(seed).choice(80, 6, replace=False)
    for limit in (None, 3.0):
        plain = csgraph.dijkstra(g, directed=True, indices=src, limit=np.inf if limit is None else limit)
        _close(N.shortest_times(g, src, limit=limit, contract=True), plain)  # every node, chain nodes restored
        tg = np.arange(0, 80, 7)
        _close(N.shortest_times(g, src, tg, limit=limit, contract=True), plain[:, tg])


def test_contraction_removes_chains_rings_and_keeps_sources():
    n = 10
    ring = sparse.csr_matrix((np.arange(1.0, n + 1), (np.arange(n), (np.arange(n) + 1) % n)), shape=(n, n))
    c = N.contract_chains(ring + ring.T, keep=[3])
    assert c.n_contracted == n - 1 and list(c.kept) == [3]  # a ring of chain nodes keeps the source only
    c = N.contract_chains(ring + ring.T)
    assert c.n_contracted == n - 1  # …or its first node
    assert N.contract_chains(sparse.csr_matrix((5, 5))).n_contracted == 0
    path = sparse.csr_matrix((np.random.default_rng(0).uniform(0.1, 2, n - 1), (np.arange(n - 1), np.arange(1, n))),
                             shape=(n, n))
    both = path + path.T
    assert N.contract_chains(both, keep=[0]).n_contracted == n - 2
    # from the end of a path, every chain node is restored by the same additions the plain search makes
    plain = csgraph.dijkstra(both, directed=True, indices=[0])
    assert _same(N.shortest_times(both, [0], contract=True)[:, :-1], plain[:, :-1])
    assert N.contractible_share(both) == pytest.approx(0.8)


def test_contracted_od_matches_plain(lattice, yrd, counties):
    pts = lattice_points(lattice, 30, seed=4)
    assert N.contractible_share(lattice.graph()) > 0.3
    plain = A.od_matrix(lattice, pts, key="key")
    for contract, n_jobs in ((True, 1), ("auto", 2)):
        fast = A.od_matrix(lattice, pts, key="key", contract=contract, n_jobs=n_jobs)
        _close(fast.minutes.to_numpy(), plain.minutes.to_numpy())
        assert fast.unreachable.equals(plain.unreachable)
    kw = dict(cutoff_min=120.0)
    _close(A.od_matrix(yrd, counties, contract=True, **kw).minutes.to_numpy(),
           A.od_matrix(yrd, counties, **kw).minutes.to_numpy())


def test_auto_contraction_skips_graphs_without_chains():
    net = road_lattice(12, seed=1, shape_nodes=0, island=False, removed=0.0)
    assert N.contractible_share(net.graph()) < 0.2
    pts = lattice_points(net, 10, seed=0)
    assert _same(A.od_matrix(net, pts, key="key", contract="auto").minutes.to_numpy(),
                 A.od_matrix(net, pts, key="key").minutes.to_numpy())


# ---------------------------------------------------------------- memory layout (node order): same times, bit for bit


def _with_zeros_and_repeats(g: sparse.csr_matrix) -> sparse.csr_matrix:
    """Return ``g`` with a stored zero-time link and a repeated (slower) link added, as CSR without summing."""
    coo = g.tocoo()
    rows = np.concatenate([coo.row, [0, 1]])
    cols = np.concatenate([coo.col, [5, coo.col[coo.row == 1][0] if (coo.row == 1).any() else 2]])
    w = np.concatenate([coo.data, [0.0, 7.5]])
    order = np.argsort(rows, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=g.shape[0]))])
    return sparse.csr_matrix((w[order], cols[order], indptr), shape=g.shape)


@pytest.mark.parametrize("seed", range(8))
def test_any_node_order_gives_identical_times(seed):
    g = _with_zeros_and_repeats(random_graph(120, seed))
    rng = np.random.default_rng(seed)
    src = rng.choice(120, 7, replace=False)
    order = rng.permutation(120)
    tg = rng.choice(120, 30, replace=False)
    for targets, limit in ((None, None), (tg, 4.0)):
        plain = N.shortest_times(g, src, targets, limit=limit)
        assert _same(N.shortest_times(g, src, targets, limit=limit, order=order), plain)
        assert _same(N.shortest_times(g, src, targets, limit=limit, order=order, n_jobs=2), plain)
        # contracted searches differ from the plain one in the last bits; the layout adds no difference
        assert _same(N.shortest_times(g, src, targets, limit=limit, order=order, contract=True),
                     N.shortest_times(g, src, targets, limit=limit, contract=True))
    ref = csgraph.dijkstra(g, directed=True, indices=src)
    assert _same(N.shortest_times(g, src, order=order), ref)


def test_locality_order_follows_a_hilbert_curve():
    side = 16
    x, y = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    cells = np.column_stack([x.ravel(), y.ravel()]).astype(float)
    rng = np.random.default_rng(0)
    shuffled = cells[rng.permutation(len(cells))] * 250.0 + 1000.0  # any scale and offset
    xy = np.vstack([shuffled, [[np.nan, 0.0]]])
    order = N.locality_order(xy, bits=4)
    assert sorted(order) == list(range(len(xy))) and order[-1] == len(xy) - 1  # no coordinates: last
    steps = np.abs(np.diff(shuffled[order[:-1]] / 250.0, axis=0)).sum(axis=1)
    assert np.all(steps == 1)  # each node's successor is a neighbour on the grid: one unbroken curve
    assert sorted(N.locality_order(shuffled)) == list(range(len(shuffled)))  # default resolution


def test_permute_keeps_every_stored_link():
    from yrdgeo.network.layout import check_permutation, permute

    g = _with_zeros_and_repeats(random_graph(40, 1))
    order = np.random.default_rng(2).permutation(40)
    laid, rank = permute(g, order)
    assert np.array_equal(order[rank], np.arange(40))
    a, b = g.tocoo(), laid.tocoo()
    before = sorted(zip(a.row.tolist(), a.col.tolist(), a.data.tolist()))
    after = sorted(zip(order[b.row].tolist(), order[b.col].tolist(), b.data.tolist()))
    assert before == after and laid.nnz == g.nnz  # the stored zero and the repeated link too
    for bad in ([0, 1], np.zeros(40, int), np.arange(40) + 1, np.arange(40.0)):
        with pytest.raises(ValueError, match="permutation|exactly once"):
            check_permutation(bad, 40)
    with pytest.raises(ValueError, match="order"):
        N.shortest_times(g, [0], order=np.arange(39))


def test_od_matrix_layout_changes_no_time(lattice, yrd, counties, monkeypatch):
    # the lattice renumbered at random, as OpenStreetMap ids number a real road graph
    perm = np.random.default_rng(7).permutation(lattice.n_nodes)
    back = np.argsort(perm)
    nodes = lattice.nodes.iloc[perm].reset_index(drop=True)
    edges = lattice.edges.assign(u=back[lattice.edges.u.to_numpy()], v=back[lattice.edges.v.to_numpy()])
    shuffled = N.Network(nodes, edges, name="shuffled lattice")
    pts = lattice_points(lattice, 40, seed=6).assign(pop=np.arange(40.0) + 1)
    assert len(pts) >= A.LAYOUT_MIN_SOURCES
    runs = {}
    for laid in (True, False):
        if not laid:
            monkeypatch.setattr(A, "LAYOUT_MIN_SOURCES", 10**9)
        runs[laid] = [A.od_matrix(shuffled, pts, key="key").minutes.to_numpy(),
                      A.od_matrix(shuffled, pts, key="key", n_jobs=2, contract=True).minutes.to_numpy(),
                      A.od_matrix(yrd, counties, cutoff_min=90.0, max_access_km=15.0).minutes.to_numpy(),
                      A.two_step_fca(shuffled, pts, pts, demand_column="pop", supply_column="pop",
                                     catchment_min=8).demand]
    for a, b in zip(runs[True][:-1], runs[False][:-1]):
        assert _same(a, b)
    assert runs[True][-1].equals(runs[False][-1])
    assert _same(runs[True][0], A.od_matrix(lattice, pts, key="key").minutes.to_numpy())  # numbering is irrelevant
