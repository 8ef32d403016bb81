"""Benchmark: yrdgeo's LISA and Gi* (vectorised permutations) against raw serial esda on the same weights.

Local Moran (``local_moran``) and Getis-Ord Gi* (``gi_star``) with 999 conditional permutations on
square-cell grids of 10,000 and 100,000 cells (queen contiguity, row-standardised). The attribute is
SYNTHETIC: a smooth surface plus seeded noise, so that clusters exist (shifted to be positive for
Gi*); it is not data about anything.

Both sides get the same libpysal W (built once by yrdgeo.build_weights) and the same seed. The
baseline is raw serial esda, ``esda.Moran_Local(y, w, permutations=999, seed=..., keep_simulations=False,
n_jobs=1)`` (``esda.G_Local(..., star=True)`` for Gi*), without numba unless numba is installed (the
first line says). Each round runs, in turn: esda; yrdgeo with ``n_jobs=1``; yrdgeo with ``n_jobs=N``
(``--jobs``, default 2; the permutation table is drawn in the parent, the units are split among N
processes); with ``--plain`` also yrdgeo with ``engine="esda"`` (esda's own loop behind yrdgeo's
checks). Rounds alternate and the best of ``--repeat`` is reported, in wall time and, for the
one-process runs, in process CPU time (the machine is shared). Every run is checked: yrdgeo's
statistic and permutation counts equal esda's, and every n_jobs gives the same frame.

Peak memory: one extra untimed run of each side under ``tracemalloc`` (numpy's arrays are traced;
the worker processes of ``n_jobs=N`` are not), reported as the peak of memory allocated during the call.

Run:  PYTHONPATH=. python benchmarks/bench_lisa.py [--sizes 10000 100000] [--repeat 3] [--jobs 2]
      [--statistics local_moran gi_star] [--plain]
Targets (issue "Speed to the limit of the machine"): yrdgeo n_jobs=N / serial esda <= 0.5 at 100k;
yrdgeo n_jobs=1 / esda <= 1.1.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
import warnings

import esda
import geopandas as gpd
import numpy as np
import shapely

from yrdgeo.autocorrelation import gi_star, local_moran
from yrdgeo.weights import build_weights

SHAPES = {10_000: (100, 100), 100_000: (400, 250)}
SEED = 12345


def grid(n_cells: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Return a grid of 1 km squares with a synthetic autocorrelated column ``value`` (EPSG:32651 metres)."""
    nx, ny = SHAPES.get(n_cells, (int(np.sqrt(n_cells)), int(np.sqrt(n_cells))))
    xs, ys = np.meshgrid(np.arange(nx), np.arange(ny))
    x, y = xs.ravel().astype(float), ys.ravel().astype(float)
    rng = np.random.default_rng(seed)
    value = np.sin(x / 9.0) + np.cos(y / 13.0) + rng.normal(scale=0.8, size=x.size)
    # 1 km cells in UTM 51N placed over the delta (117.7–122 °E, 29.8–32 °N): yrdgeo's input check refuses
    # a layer that lies outside the Yangtze River Delta
    x0, y0 = 100_000.0 + x * 1000, 3_300_000.0 + y * 1000
    return gpd.GeoDataFrame({"value": value, "positive": value - value.min() + 1.0},
                            geometry=shapely.box(x0, y0, x0 + 1000, y0 + 1000), crs=32651)


# statistic -> (yrdgeo function, column, esda call, esda's statistic attribute, yrdgeo's statistic and p columns)
STATISTICS = {
    "local_moran": (local_moran, "value", lambda y, w, n, seed: esda.Moran_Local(
        y, w, transformation="r", permutations=n, seed=seed, keep_simulations=False, n_jobs=1), "Is",
        "lisa_i", "lisa_p"),
    "gi_star": (gi_star, "positive", lambda y, w, n, seed: esda.G_Local(
        y, w, transform="R", permutations=n, star=True, seed=seed, keep_simulations=False, n_jobs=1), "Gs",
        "gi_g", "gi_p"),
}


def _timed(call):
    t0, c0 = time.perf_counter(), time.process_time()
    out = call()
    return out, time.perf_counter() - t0, time.process_time() - c0


def _peak_mib(call) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(n_cells: int, statistic: str, *, repeat: int, permutations: int = 999, jobs: int = 2, plain: bool = False,
        verbose: bool = False) -> dict:
    function, column, baseline, attr, stat_col, p_col = STATISTICS[statistic]
    frame = grid(n_cells)
    sw = build_weights(frame, "queen")
    y = frame[column].to_numpy()
    runs: dict[str, list] = {"esda": [], "yrdgeo": [], "parallel": [], "plain": []}
    cpu: dict[str, list] = {"esda": [], "yrdgeo": [], "plain": []}
    kw = dict(weights=sw, permutations=permutations, seed=SEED)
    for _ in range(repeat):
        ref, t, c = _timed(lambda: baseline(y, sw.w, permutations, SEED))
        runs["esda"].append(t), cpu["esda"].append(c)
        res, t, c = _timed(lambda: function(frame, column, **kw))
        runs["yrdgeo"].append(t), cpu["yrdgeo"].append(c)
        # yrdgeo's numbers are esda's: the statistic bit for bit, the same permutation counts
        assert np.array_equal(res.frame[stat_col].to_numpy(), getattr(ref, attr))
        assert np.array_equal(np.rint(res.frame[p_col].to_numpy() * (permutations + 1)),
                              np.rint(ref.p_sim.astype(float) * (permutations + 1)))
        if jobs != 1:
            par, t, _ = _timed(lambda: function(frame, column, n_jobs=jobs, **kw))
            runs["parallel"].append(t)
            assert par.frame.drop(columns="geometry").equals(res.frame.drop(columns="geometry"))
        if plain:
            old, t, c = _timed(lambda: function(frame, column, engine="esda", **kw))
            runs["plain"].append(t), cpu["plain"].append(c)
            assert old.frame.drop(columns="geometry").equals(res.frame.drop(columns="geometry"))
    if verbose:
        print(f"  {statistic} {len(frame)} cells, wall s: " + "; ".join(
            f"{k} {[round(t, 2) for t in v]}" for k, v in runs.items() if v))
        print(f"  {statistic} {len(frame)} cells, CPU s:  " + "; ".join(
            f"{k} {[round(t, 2) for t in v]}" for k, v in cpu.items() if v))
    peak_esda = _peak_mib(lambda: baseline(y, sw.w, permutations, SEED))
    peak_yrd = _peak_mib(lambda: function(frame, column, **kw))
    best = {k: (min(v) if v else float("nan")) for k, v in runs.items()}
    best_cpu = {k: (min(v) if v else float("nan")) for k, v in cpu.items()}
    return {"statistic": statistic, "cells": len(frame), "best": best, "cpu": best_cpu,
            "ratio": best["yrdgeo"] / best["esda"], "cpu_ratio": best_cpu["yrdgeo"] / best_cpu["esda"],
            "par_ratio": best["parallel"] / best["esda"], "plain_ratio": best["plain"] / best["esda"],
            "peak_esda": peak_esda, "peak_yrdgeo": peak_yrd,
            "significant": int((res.frame[p_col] < 0.05).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--statistics", nargs="+", default=list(STATISTICS), choices=list(STATISTICS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="processes of the parallel yrdgeo run (1: leave it out)")
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--plain", action="store_true", help="also time yrdgeo with engine='esda'")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message="Gi\\* requested", category=UserWarning)
    print(f"python {platform.python_version()}, numpy {np.__version__}, esda {esda.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} cores; numba: {_numba()}")
    print(f"{args.permutations} permutations, best of {args.repeat} alternating rounds, n_jobs={args.jobs}; "
          f"load average {os.getloadavg()[0]:.2f} at start")
    rows = [run(n, s, repeat=args.repeat, permutations=args.permutations, jobs=args.jobs, plain=args.plain,
                verbose=True) for s in args.statistics for n in args.sizes]
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    print(f"| statistic | cells | esda wall s | yrdgeo n_jobs=1 wall s | ratio | esda CPU s | yrdgeo CPU s | ratio (CPU) "
          f"| yrdgeo n_jobs={args.jobs} wall s | ratio | engine='esda' ratio | peak MiB esda / yrdgeo | p < 0.05 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        b, c = r["best"], r["cpu"]
        print(f"| {r['statistic']} | {r['cells']} | {b['esda']:.2f} | {b['yrdgeo']:.2f} | {r['ratio']:.3f} "
              f"| {c['esda']:.2f} | {c['yrdgeo']:.2f} | {r['cpu_ratio']:.3f} | {b['parallel']:.2f} | {r['par_ratio']:.3f} "
              f"| {r['plain_ratio']:.3f} | {r['peak_esda']:.0f} / {r['peak_yrdgeo']:.0f} | {r['significant']} |")


def _numba() -> str:
    try:
        import numba
    except ImportError:
        return "not installed"
    return numba.__version__


if __name__ == "__main__":
    main()
