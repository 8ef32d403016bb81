"""Benchmark: OD travel-time matrix of 300 origins on road-like graphs, yrdgeo vs raw scipy csgraph vs NetworkX.

Usage::

    PYTHONPATH=. python benchmarks/bench_od_matrix.py                 # 100k nodes
    PYTHONPATH=. python benchmarks/bench_od_matrix.py --nodes 1000000 --nx-sources 10 --repeat 2

The graph is synthetic and only *road-like*: a square lattice (about 500 m
spacing, laid over the YRD in lon/lat) with 10% of links removed at random,
travel times drawn from 25–60 km/h local roads, and every 50th row and column
an arterial at 80 km/h; all links two-way. Seeded, so runs are repeatable.

Timed in one process, each on the same graph and the same 300 source nodes:

* ``yrdgeo``: :func:`yrdgeo.accessibility.od_matrix` from 300 origin points
  to 300 destination points (KD-tree snapping, virtual access nodes, chunked
  Dijkstra) — what a user calls;
* ``raw``: :func:`scipy.sparse.csgraph.dijkstra` from the 300 nodes on the
  bare CSR graph (same chunking, so the same memory bound);
* ``networkx``: ``single_source_dijkstra_path_length`` per source on an
  ``nx.DiGraph``. On large graphs it is timed on a subset of sources
  (``--nx-sources``) and extrapolated per source; the output says so;
* the cut-off search (``cutoff_min=60``, as cumulative opportunities use) and
  the nearest-centre search (one multi-source search for 4 centres, against
  the full 300 × 4 matrix).
"""

from __future__ import annotations

import argparse
import gc
import time

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.sparse import csgraph

from yrdgeo import accessibility as A
from yrdgeo.network import Network

LON0, LAT0, STEP = 116.0, 28.0, 0.005  # ~500 m between lattice nodes


def road_like(n_nodes: int, *, seed: int = 42) -> Network:
    """Return a seeded road-like lattice network with about ``n_nodes`` nodes."""
    rng = np.random.default_rng(seed)
    side = int(round(np.sqrt(n_nodes)))
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
    nodes = gpd.GeoDataFrame({"node_id": np.arange(side * side).astype(str), "name": ""},
                             geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    edges = gpd.GeoDataFrame(
        {"u": u, "v": v, "line": "", "mode": "road", "length_km": km, "speed_kmh": speed,
         "time_min": km / speed * 60.0, "oneway": False, "opened": "", "source": "synthetic"},
        geometry=gpd.GeoSeries([None] * len(u), crs="EPSG:4326"), crs="EPSG:4326",
    )
    return Network(nodes, edges, name=f"road-like lattice {side}x{side}")


def timed(fn):
    gc.collect()
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def run(n_nodes: int, n_sources: int, nx_sources: int | None, seed: int, repeat: int = 1) -> dict:
    t_build, net = timed(lambda: road_like(n_nodes, seed=seed))
    rng = np.random.default_rng(seed + 1)
    src = rng.choice(net.n_nodes, n_sources, replace=False)
    pts = net.nodes.iloc[src].reset_index(drop=True)[["geometry"]].assign(key=np.arange(n_sources))
    graph = net.graph()
    print(f"\n== {net.name}: {net.n_nodes:,} nodes, {graph.nnz:,} directed links "
          f"(built in {t_build:.1f} s); {n_sources} origins ==")

    # raw engine on the bare graph, same sources, same chunking
    def raw():
        out = np.empty((n_sources, n_sources))
        chunk = max(1, int(A.CHUNK_BYTES // (8 * graph.shape[0])))
        for s in range(0, n_sources, chunk):
            out[s:s + chunk] = csgraph.dijkstra(graph, directed=True, indices=src[s:s + chunk])[:, src]
        return out
    # yrdgeo: points → snapped → virtual access nodes → chunked csgraph Dijkstra. The two are run
    # alternately `repeat` times and the best time of each kept, so load from other processes on a
    # shared machine does not fall on one side only.
    t_ours = t_raw = np.inf
    for _ in range(repeat):
        t, od = timed(lambda: A.od_matrix(net, pts, key="key", k_nearest=1))
        t_ours = min(t_ours, t)
        t, raw_times = timed(raw)
        t_raw = min(t_raw, t)
    if repeat > 1:
        print(f"(best of {repeat} alternating runs each)")
    same = np.allclose(np.nan_to_num(od.minutes.to_numpy(), nan=-1), np.where(np.isinf(raw_times), -1, raw_times))
    print(f"yrdgeo od_matrix     {t_ours:8.2f} s   ({t_ours / t_raw:.2f}× raw; target ≤ 1.5×)  same answer: {same}")
    print(f"raw csgraph.dijkstra {t_raw:8.2f} s")

    # NetworkX baseline (possibly on a subset of sources, extrapolated per source)
    import networkx as nx

    t_nxb, g = timed(lambda: _nx_graph(net))
    k = n_sources if nx_sources is None else min(nx_sources, n_sources)
    def nx_run():
        for s in src[:k]:
            nx.single_source_dijkstra_path_length(g, int(s), weight="weight")
    t_nx_k, _ = timed(nx_run)
    t_nx = t_nx_k / k * n_sources
    note = "" if k == n_sources else f" (timed on {k} of {n_sources} sources, extrapolated per source)"
    print(f"networkx Dijkstra    {t_nx:8.2f} s{note}; graph build {t_nxb:.1f} s not counted")
    print(f"speed-up vs NetworkX: yrdgeo {t_nx / t_ours:.1f}×, raw {t_nx / t_raw:.1f}×")
    del g
    gc.collect()

    # cut-off search (cumulative opportunities within 60 min)
    t_cut, cut = timed(lambda: A.od_matrix(net, pts, key="key", k_nearest=1, cutoff_min=60.0))
    within = np.isfinite(cut.minutes.to_numpy()).mean()
    print(f"cut-off 60 min       {t_cut:8.2f} s   ({t_ours / t_cut:.1f}× faster than the full matrix; "
          f"{within:.1%} of pairs within 60 min)")

    # nearest of 4 centres: one multi-source search vs the 300 x 4 matrix
    centres = [tuple(net.nodes.geometry.iloc[c].coords[0]) for c in rng.choice(net.n_nodes, 4, replace=False)]
    c_frame = gpd.GeoDataFrame({"key": range(4)}, geometry=gpd.points_from_xy(*zip(*centres)), crs="EPSG:4326")
    t_near, near = timed(lambda: A.nearest_centre(net, pts, centres, key="key", k_nearest=1))
    t_full4, full4 = timed(lambda: A.od_matrix(net, pts, c_frame, key="key", k_nearest=1))
    agree = np.allclose(near.frame["time_min"].to_numpy(), np.nanmin(full4.minutes.to_numpy(), axis=1), equal_nan=True)
    print(f"nearest centre (4)   {t_near:8.2f} s   ({t_full4 / t_near:.1f}× faster than the 300×4 matrix, "
          f"{t_full4:.2f} s); same answer: {agree}")
    return {"nodes": net.n_nodes, "yrdgeo_s": t_ours, "raw_s": t_raw, "networkx_s": t_nx, "nx_sources": k,
            "cutoff_s": t_cut, "nearest_s": t_near, "full4_s": t_full4, "same_answer": bool(same and agree)}


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
    p.add_argument("--nx-sources", type=int, default=None,
                   help="time NetworkX on this many sources and extrapolate (default: all)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeat", type=int, default=1, help="alternate yrdgeo and raw runs N times, keep each best")
    args = p.parse_args()
    rows = [run(n, args.sources, args.nx_sources, args.seed, args.repeat) for n in args.nodes]
    print("\n" + pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.2f}"))


if __name__ == "__main__":
    main()
