"""Benchmark: OD travel-time matrix of 300 origins on road-like graphs, yrdgeo (serial; n_jobs, contraction) vs raw scipy csgraph.

Usage::

    PYTHONPATH=. python benchmarks/bench_od_matrix.py                                   # 100k nodes
    PYTHONPATH=. python benchmarks/bench_od_matrix.py --nodes 10000 100000 1000000 --repeat 3
    PYTHONPATH=. python benchmarks/bench_od_matrix.py --bends 0.6 --nodes 1000000      # an OSM-like graph
    PYTHONPATH=. python benchmarks/bench_od_matrix.py --numbering lon --nodes 1000000   # numbered as the GDAL reader does
    PYTHONPATH=. python benchmarks/bench_od_matrix.py --extras --nx-sources 10          # + NetworkX, cut-off, centres

The graph is synthetic and only *road-like*: a square lattice (about 500 m
spacing, laid over the YRD in lon/lat) with 10% of links removed at random,
travel times drawn from 25–60 km/h local roads, and every 50th row and column
an arterial at 80 km/h; all links two-way. Seeded, so runs are repeatable.
``--bends F`` makes a share F of the nodes *bends*: degree-2 nodes placed along
the links (as an OpenStreetMap extract keeps a node wherever a way bends), the
total staying at ``--nodes``. ``--numbering`` says how the nodes are numbered, which
decides how far apart in memory a raw search finds neighbours: ``rows`` (default)
row by row, the kindest order a plain search can get; ``lon`` by longitude, then
latitude, as :func:`yrdgeo.network.from_osm`'s GDAL reader numbers an extract (its
nodes are unique coordinates, sorted); ``shuffled`` at random, as OpenStreetMap ids
(the order the roads were drawn in) number an osmnx graph. yrdgeo lays the graph out
along a Hilbert curve (:func:`yrdgeo.network.locality_order`) whatever the numbering;
the raw baseline searches the graph as numbered.

Timed in one process, each on the same graph and the same 300 source nodes, in
alternating rounds (``--repeat N``, best of N kept for each):

* ``raw``: :func:`scipy.sparse.csgraph.dijkstra` from the 300 nodes on the
  bare CSR graph (chunked as yrdgeo chunks, so the same memory bound) — the baseline;
* ``serial``: :func:`yrdgeo.accessibility.od_matrix` from 300 origin points
  to 300 destination points (KD-tree snapping, virtual access nodes, chunked
  Dijkstra, the graph laid out along a Hilbert curve) with the defaults, ``n_jobs=1`` and
  no contraction — what a user calls;
* ``fast``: the same with ``n_jobs=--jobs`` (default 2) and ``contract=--contract``
  (default ``auto``: chains contracted when at least a fifth of the nodes are chain nodes).

Peak memory is sampled (every second: reading a worker's unique memory costs ~30 ms of CPU,
which sampling more often would take from the workers) as the resident memory of the process plus the
memory unique to each worker process (a forked worker's pages shared with the parent
count once), above what the process held before the call. ``--extras`` adds
NetworkX (``single_source_dijkstra_path_length`` per source, on ``--nx-sources`` sources,
extrapolated), the cut-off search (``cutoff_min=60``) and the nearest-centre search.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import threading
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import psutil
from scipy.sparse import csgraph

from yrdgeo import accessibility as A
from yrdgeo.network import Network, contractible_share

LON0, LAT0, STEP = 116.0, 28.0, 0.005  # ~500 m between lattice nodes


#: How ``--numbering`` can number the nodes (see the module's description).
NUMBERINGS = ("rows", "lon", "shuffled")


def road_like(n_nodes: int, *, seed: int = 42, bends: float = 0.0, numbering: str = "rows") -> Network:
    """Return a seeded road-like lattice network with about ``n_nodes`` nodes, a share ``bends`` of them bends."""
    rng = np.random.default_rng(seed)
    side = int(round(np.sqrt(n_nodes * (1.0 - bends))))
    idx = np.arange(side * side).reshape(side, side)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    row = np.concatenate([np.repeat(np.arange(side), side - 1), np.repeat(np.arange(side - 1), side)])
    col = np.concatenate([np.tile(np.arange(side - 1), side), np.tile(np.arange(side), side - 1)])
    keep = rng.random(len(u)) > 0.10
    arterial = (row % 50 == 0) | (col % 50 == 0)
    keep |= arterial
    u, v, arterial = u[keep], v[keep], arterial[keep]
    km = 0.5 * rng.uniform(0.9, 1.3, len(u))  # lattice step with some detour
    speed = np.where(arterial, 80.0, rng.uniform(25.0, 60.0, len(u)))
    lon = LON0 + (idx % side).ravel() * STEP
    lat = LAT0 + (idx // side).ravel() * STEP
    n_bends = max(0, n_nodes - side * side) if bends > 0 else 0
    if n_bends:
        u, v, km, speed, lon, lat = _with_bends(u, v, km, speed, lon, lat, n_bends, rng)
    if numbering != "rows":
        u, v, lon, lat = _renumbered(u, v, lon, lat, numbering, rng)
    n = len(lon)
    nodes = gpd.GeoDataFrame({"node_id": np.arange(n).astype(str), "name": ""},
                             geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    edges = gpd.GeoDataFrame(
        {"u": u, "v": v, "line": "", "mode": "road", "length_km": km, "speed_kmh": speed,
         "time_min": km / speed * 60.0, "oneway": False, "opened": "", "source": "synthetic"},
        geometry=gpd.GeoSeries([None] * len(u), crs="EPSG:4326"), crs="EPSG:4326",
    )
    kind = f", {n_bends:,} of them bends" if n_bends else ""
    kind += "" if numbering == "rows" else f", numbered {'by longitude' if numbering == 'lon' else 'at random'}"
    return Network(nodes, edges, name=f"road-like lattice {side}x{side}{kind}")


def _with_bends(u, v, km, speed, lon, lat, n_bends, rng):
    """Return the links split at ``n_bends`` bend nodes spread over random links, nodes renumbered row by row."""
    n0 = len(lon)
    k = np.bincount(rng.integers(0, len(u), n_bends), minlength=len(u))  # bends on each link
    seg = k + 1
    link = np.repeat(np.arange(len(u)), seg)
    j = np.arange(seg.sum()) - np.repeat(np.cumsum(seg) - seg, seg)  # segment within its link
    base = n0 + np.cumsum(k) - k  # first bend node of each link
    a = np.where(j == 0, u[link], base[link] + j - 1)
    b = np.where(j == seg[link] - 1, v[link], base[link] + j)
    bend_link = np.repeat(np.arange(len(u)), k)
    f = (np.arange(n_bends) - np.repeat(np.cumsum(k) - k, k) + 1) / (k[bend_link] + 1)
    lon = np.concatenate([lon, lon[u[bend_link]] + f * (lon[v[bend_link]] - lon[u[bend_link]])])
    lat = np.concatenate([lat, lat[u[bend_link]] + f * (lat[v[bend_link]] - lat[u[bend_link]])])
    order = np.lexsort((lon, np.round((lat - LAT0) / STEP)))  # row by row, as the plain lattice
    new = np.empty(len(order), np.int64)
    new[order] = np.arange(len(order))
    return new[a], new[b], km[link] / seg[link], speed[link], lon[order], lat[order]


def _renumbered(u, v, lon, lat, numbering, rng):
    """Return links and coordinates with the nodes numbered by longitude (then latitude) or at random."""
    if numbering == "lon":  # real coordinates are never exactly equal: a lattice column is not kept together
        order = np.lexsort((lat, lon + rng.uniform(-0.1, 0.1, len(lon)) * STEP))
    else:
        order = rng.permutation(len(lon))
    new = np.empty(len(order), np.int64)
    new[order] = np.arange(len(order))
    return new[u], new[v], lon[order], lat[order]


class PeakMemory:
    """Sample the resident memory of this process and its children while a block runs; ``peak_mib`` above the start."""

    def __init__(self, every: float = 1.0):  # a worker's unique memory costs ~30 ms to read: sample seldom
        self.every, self.peak_mib = every, 0.0

    def _rss(self) -> int:
        me = psutil.Process(os.getpid())
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:  # a forked worker shares the parent's pages: count only its own
                total += child.memory_full_info().uss
            except psutil.Error:
                pass
        return total

    def __enter__(self):
        self._base, self._top, self._stop = self._rss(), 0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(self.every):
            self._top = max(self._top, self._rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak_mib = max(0, max(self._top, self._rss()) - self._base) / 2**20


def timed(fn):
    """Return wall seconds, the result, peak MiB and CPU seconds of this process and its (finished) workers."""
    gc.collect()
    cpu0 = _cpu()
    with PeakMemory() as mem:
        t = time.perf_counter()
        out = fn()
        t = time.perf_counter() - t
    return t, out, mem.peak_mib, _cpu() - cpu0


def _cpu() -> float:
    """Return CPU seconds used so far by this process and its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run(n_nodes: int, args: argparse.Namespace) -> dict:
    n_sources, seed = args.sources, args.seed
    t_build = time.perf_counter()
    net = road_like(n_nodes, seed=seed, bends=args.bends, numbering=getattr(args, "numbering", "rows"))
    t_build = time.perf_counter() - t_build
    rng = np.random.default_rng(seed + 1)
    src = rng.choice(net.n_nodes, n_sources, replace=False)
    pts = net.nodes.iloc[src].reset_index(drop=True)[["geometry"]].assign(key=np.arange(n_sources))
    graph = net.graph()
    share = contractible_share(graph)
    print(f"\n== {net.name}: {net.n_nodes:,} nodes, {graph.nnz:,} directed links, {share:.0%} chain nodes "
          f"(built in {t_build:.1f} s); {n_sources} origins; load {os.getloadavg()[0]:.1f} ==")

    # raw engine on the bare graph, same sources, same chunking
    def raw():
        out = np.empty((n_sources, n_sources))
        chunk = max(1, int(A.CHUNK_BYTES // (8 * graph.shape[0])))
        for s in range(0, n_sources, chunk):
            out[s:s + chunk] = csgraph.dijkstra(graph, directed=True, indices=src[s:s + chunk])[:, src]
        return out

    contract = {"auto": "auto", "yes": True, "no": False}[args.contract]
    runs = {
        "raw": raw,
        "serial": lambda: A.od_matrix(net, pts, key="key", k_nearest=1).minutes.to_numpy(),
        "fast": lambda: A.od_matrix(net, pts, key="key", k_nearest=1, n_jobs=args.jobs,
                                    contract=contract).minutes.to_numpy(),
    }
    # alternating rounds, the best of each kept: load from other processes on a shared machine falls on all sides
    best = {k: np.inf for k in runs}
    cpu = {k: np.inf for k in runs}
    peak = dict.fromkeys(runs, 0.0)
    out = {}
    for _ in range(args.repeat):
        for name, fn in runs.items():
            t, out[name], m, c = timed(fn)
            best[name], peak[name], cpu[name] = min(best[name], t), max(peak[name], m), min(cpu[name], c)
    raw_times = np.where(np.isinf(out["raw"]), np.nan, out["raw"])
    same_raw = np.allclose(out["serial"], raw_times, equal_nan=True, rtol=0, atol=1e-6)  # access links: 1e-9 min
    a, b = out["serial"], out["fast"]
    f = np.isfinite(a)
    identical = np.array_equal(a, b, equal_nan=True)
    rel = float(np.max(np.abs(a[f] - b[f]) / np.maximum(np.abs(a[f]), 1e-300))) if f.any() else 0.0
    note = "bit-identical" if identical else f"max relative difference {rel:.1e}"
    if args.repeat > 1:
        print(f"(best of {args.repeat} alternating rounds each; load now {os.getloadavg()[0]:.1f})")
    print(f"raw csgraph.dijkstra        {best['raw']:8.2f} s   CPU {cpu['raw']:7.2f} s   peak {peak['raw']:6.0f} MiB")
    print(f"yrdgeo od_matrix, serial    {best['serial']:8.2f} s   CPU {cpu['serial']:7.2f} s   peak "
          f"{peak['serial']:6.0f} MiB   {best['serial'] / best['raw']:.2f}× raw   same answer as raw: {same_raw}")
    print(f"yrdgeo n_jobs={args.jobs}, contract={args.contract:<4} {best['fast']:8.2f} s   CPU {cpu['fast']:7.2f} s   peak "
          f"{peak['fast']:6.0f} MiB   {best['fast'] / best['raw']:.2f}× raw (target ≤ 0.6×)   vs serial: {note}")
    row = {"nodes": net.n_nodes, "chain_share": share, "raw_s": best["raw"], "serial_s": best["serial"],
           "fast_s": best["fast"], "fast_ratio": best["fast"] / best["raw"], "serial_ratio": best["serial"] / best["raw"],
           "raw_cpu_s": cpu["raw"], "fast_cpu_s": cpu["fast"], "raw_MiB": peak["raw"], "fast_MiB": peak["fast"],
           "identical": identical, "max_rel_diff": rel, "same_answer": bool(same_raw)}
    if args.extras:
        row.update(extras(net, pts, src, graph, best["serial"], best["raw"], args.nx_sources, rng))
    return row


def extras(net, pts, src, graph, t_ours, t_raw, nx_sources, rng) -> dict:
    """Time NetworkX, the cut-off search and the nearest-centre search (once each)."""
    import networkx as nx

    n_sources = len(src)
    t_nxb, g, *_ = timed(lambda: _nx_graph(net))
    k = n_sources if nx_sources is None else min(nx_sources, n_sources)

    def nx_run():
        for s in src[:k]:
            nx.single_source_dijkstra_path_length(g, int(s), weight="weight")
    t_nx_k, *_ = timed(nx_run)
    t_nx = t_nx_k / k * n_sources
    note = "" if k == n_sources else f" (timed on {k} of {n_sources} sources, extrapolated per source)"
    print(f"networkx Dijkstra    {t_nx:8.2f} s{note}; graph build {t_nxb:.1f} s not counted")
    print(f"speed-up vs NetworkX: yrdgeo {t_nx / t_ours:.1f}×, raw {t_nx / t_raw:.1f}×")
    del g
    gc.collect()

    # cut-off search (cumulative opportunities within 60 min)
    t_cut, cut, *_ = timed(lambda: A.od_matrix(net, pts, key="key", k_nearest=1, cutoff_min=60.0))
    within = np.isfinite(cut.minutes.to_numpy()).mean()
    print(f"cut-off 60 min       {t_cut:8.2f} s   ({t_ours / t_cut:.1f}× faster than the full matrix; "
          f"{within:.1%} of pairs within 60 min)")

    # nearest of 4 centres: one multi-source search vs the 300 x 4 matrix
    centres = [tuple(net.nodes.geometry.iloc[c].coords[0]) for c in rng.choice(net.n_nodes, 4, replace=False)]
    c_frame = gpd.GeoDataFrame({"key": range(4)}, geometry=gpd.points_from_xy(*zip(*centres)), crs="EPSG:4326")
    t_near, near, *_ = timed(lambda: A.nearest_centre(net, pts, centres, key="key", k_nearest=1))
    t_full4, full4, *_ = timed(lambda: A.od_matrix(net, pts, c_frame, key="key", k_nearest=1))
    agree = np.allclose(near.frame["time_min"].to_numpy(), np.nanmin(full4.minutes.to_numpy(), axis=1), equal_nan=True)
    print(f"nearest centre (4)   {t_near:8.2f} s   ({t_full4 / t_near:.1f}× faster than the 300×4 matrix, "
          f"{t_full4:.2f} s); same answer: {agree}")
    return {"networkx_s": t_nx, "nx_sources": k, "cutoff_s": t_cut, "nearest_s": t_near, "full4_s": t_full4,
            "nearest_agrees": bool(agree)}


def _nx_graph(net: Network):
    import networkx as nx

    g = nx.DiGraph()
    e = net.edges
    w = e["time_min"].to_numpy()
    g.add_weighted_edges_from(zip(e["u"].tolist(), e["v"].tolist(), w.tolist()))
    g.add_weighted_edges_from(zip(e["v"].tolist(), e["u"].tolist(), w.tolist()))
    return g


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, nargs="+", default=[100_000])
    p.add_argument("--sources", type=int, default=300)
    p.add_argument("--bends", type=float, default=0.0, help="share of the nodes that are bends (degree 2) on links")
    p.add_argument("--numbering", choices=NUMBERINGS, default="rows", help="how the nodes are numbered (see above)")
    p.add_argument("--jobs", type=int, default=2, help="n_jobs of the fast run (default 2)")
    p.add_argument("--contract", choices=("auto", "yes", "no"), default="auto", help="contraction in the fast run")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeat", type=int, default=1, help="alternate the runs N times, keep each one's best")
    p.add_argument("--extras", action="store_true", help="also NetworkX, the cut-off and nearest-centre searches")
    p.add_argument("--nx-sources", type=int, default=None,
                   help="with --extras: time NetworkX on this many sources and extrapolate (default: all)")
    args = p.parse_args()
    rows = [run(n, args) for n in args.nodes]
    print("\n" + pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3g}"))


if __name__ == "__main__":
    main()
