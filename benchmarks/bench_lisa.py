"""Benchmark: yrdgeo.local_moran against raw esda.Moran_Local on the same weights.

LISA with 999 conditional permutations on square-cell grids of 10,000 and
100,000 cells (queen contiguity, row-standardised). The attribute is
SYNTHETIC: a smooth surface plus seeded noise, so that clusters exist; it is
not data about anything.

Both sides get the same libpysal W (built once by yrdgeo.build_weights) and
the same seed; the baseline is ``esda.Moran_Local(y, w, permutations=999,
seed=..., keep_simulations=False, n_jobs=1)``, which is exactly the call
yrdgeo makes, so the ratio measures yrdgeo's own overhead (input checks,
labels, multiple-testing cut-off, the copy of the GeoDataFrame). Runs
alternate (esda, yrdgeo, esda, yrdgeo, ...) and the best of ``--repeat`` is
reported, in wall time and in process CPU time (the machine is shared, and CPU
time is less disturbed by other jobs). The script also checks that both give
identical numbers.

``--jobs N`` (default 2) adds a third run to every round: yrdgeo with
``n_jobs=N`` (esda's conditional randomisation split over N processes), timed
in wall time against the same serial esda and checked identical to it (the CPU
of the worker processes is not in this process's CPU time, so only the wall
ratio is meaningful there). ``--jobs 1`` leaves it out. ``--permutations``
(default 999) lowers the permutations when time is short. Peak memory is this
process's maximum resident set (``ru_maxrss``; the workers are separate
processes of about the same size each).

Run:  PYTHONPATH=. python benchmarks/bench_lisa.py [--sizes 10000 100000] [--repeat 2] [--jobs 2]
Targets: ratio yrdgeo n_jobs=1 / esda <= 1.1; yrdgeo n_jobs=2 / serial esda <= 0.5 (issue 15).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
import warnings

import esda
import geopandas as gpd
import numpy as np
import shapely

from yrdgeo.autocorrelation import local_moran
from yrdgeo.weights import build_weights

SHAPES = {10_000: (100, 100), 100_000: (400, 250)}


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
    return gpd.GeoDataFrame({"value": value}, geometry=shapely.box(x0, y0, x0 + 1000, y0 + 1000), crs=32651)


def run(n_cells: int, *, repeat: int, permutations: int = 999, seed: int = 12345, jobs: int = 2,
        verbose: bool = False) -> dict:
    frame = grid(n_cells)
    t0 = time.perf_counter()
    sw = build_weights(frame, "queen")
    t_weights = time.perf_counter() - t0
    y = frame["value"].to_numpy()
    t_esda, t_yrd, c_esda, c_yrd, t_par = [], [], [], [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        ref = esda.Moran_Local(y, sw.w, transformation="r", permutations=permutations, seed=seed,
                               keep_simulations=False, n_jobs=1)
        t_esda.append(time.perf_counter() - t0)
        c_esda.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        res = local_moran(frame, "value", weights=sw, permutations=permutations, seed=seed)
        t_yrd.append(time.perf_counter() - t0)
        c_yrd.append(time.process_time() - c0)
        if jobs != 1:
            t0 = time.perf_counter()
            par = local_moran(frame, "value", weights=sw, permutations=permutations, seed=seed, n_jobs=jobs)
            t_par.append(time.perf_counter() - t0)
            # the same seed gives the same numbers on any number of processes
            assert par.frame.drop(columns="geometry").equals(res.frame.drop(columns="geometry"))
    if verbose:
        print(f"  runs (wall s) esda {[round(t, 2) for t in t_esda]}, yrdgeo {[round(t, 2) for t in t_yrd]}"
              + (f", yrdgeo n_jobs={jobs} {[round(t, 2) for t in t_par]}" if t_par else ""))
        print(f"  runs (CPU s)  esda {[round(t, 2) for t in c_esda]}, yrdgeo {[round(t, 2) for t in c_yrd]}")
    assert np.array_equal(res.frame["lisa_i"].to_numpy(), ref.Is)
    assert np.array_equal(np.rint(res.frame["lisa_p"].to_numpy() * (permutations + 1)),
                          np.rint(ref.p_sim.astype(float) * (permutations + 1)))
    par_s = min(t_par) if t_par else float("nan")
    return {"cells": len(frame), "weights_s": t_weights, "esda_s": min(t_esda), "yrdgeo_s": min(t_yrd),
            "ratio": min(t_yrd) / min(t_esda), "esda_cpu_s": min(c_esda), "yrdgeo_cpu_s": min(c_yrd),
            "cpu_ratio": min(c_yrd) / min(c_esda), "par_s": par_s, "par_ratio": par_s / min(t_esda),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "significant": int(res.frame["lisa_sig"].sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2, help="processes of the parallel yrdgeo run (1: leave it out)")
    parser.add_argument("--permutations", type=int, default=999)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    print(f"python {platform.python_version()}, numpy {np.__version__}, esda {esda.__version__}, "
          f"{platform.machine()}; numba: {_has_numba()}")
    print(f"{args.permutations} permutations, best of {args.repeat} alternating rounds, n_jobs={args.jobs}; "
          f"load average {os.getloadavg()[0]:.2f} at start")
    rows = [run(n, repeat=args.repeat, permutations=args.permutations, jobs=args.jobs, verbose=True)
            for n in args.sizes]
    print("| cells | weights s | esda wall s | yrdgeo wall s | ratio (wall) | esda CPU s | yrdgeo CPU s "
          f"| ratio (CPU) | yrdgeo n_jobs={args.jobs} wall s | ratio vs serial esda (wall) | peak MiB | significant |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['cells']} | {r['weights_s']:.2f} | {r['esda_s']:.2f} | {r['yrdgeo_s']:.2f} | {r['ratio']:.3f} "
              f"| {r['esda_cpu_s']:.2f} | {r['yrdgeo_cpu_s']:.2f} | {r['cpu_ratio']:.3f} | {r['par_s']:.2f} "
              f"| {r['par_ratio']:.3f} | {r['peak_mib']:.0f} | {r['significant']} |")


def _has_numba() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
