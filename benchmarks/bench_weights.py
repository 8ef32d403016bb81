"""Benchmark: yrdgeo.build_weights queen/rook contiguity against libpysal's Queen/Rook.from_dataframe.

Square-cell grids of 10,000 and 100,000 cells in lon/lat over the Yangtze
River Delta (cells of 0.002°, EPSG:4326; SYNTHETIC geometry, not data about
anything). yrdgeo's call is ``build_weights(frame, method)`` with its
defaults — the layer gate, island check and row standardisation included —
so the ratio is what a user pays against the plain libpysal call
``Queen.from_dataframe(frame, use_index=False)`` (binary weights, no checks).
``libpysal.graph.Graph.build_contiguity(strict=False)`` is timed too, for
reference. Runs alternate (libpysal, yrdgeo, graph, libpysal, yrdgeo, ...)
and the best of ``--repeat`` is reported (the machine is shared). Peak
memory is measured with tracemalloc in a separate, untimed run of each side.
The script also checks that both give the same neighbour sets.

Run:  PYTHONPATH=. python benchmarks/bench_weights.py [--sizes 10000 100000] [--methods queen rook] [--repeat 3]
Target: ratio yrdgeo / Queen.from_dataframe <= 1.0 at 100k cells.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
from typing import Callable

import geopandas as gpd
import numpy as np
import shapely
from libpysal.graph import Graph
from libpysal.weights import Queen, Rook

from yrdgeo.weights import CONTIGUITY, build_weights

CELL_DEG = 0.002


def grid(n_cells: int) -> gpd.GeoDataFrame:
    """Return a square grid of about ``n_cells`` cells of 0.002° starting at 120°E 30°N (EPSG:4326)."""
    side = int(round(np.sqrt(n_cells)))
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    x, y = 120.0 + xs.ravel() * CELL_DEG, 30.0 + ys.ravel() * CELL_DEG
    return gpd.GeoDataFrame(geometry=shapely.box(x, y, x + CELL_DEG, y + CELL_DEG), crs=4326)


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(n_cells: int, method: str, *, repeat: int) -> dict:
    frame = grid(n_cells)
    cls = Queen if method == "queen" else Rook
    sides = {
        "libpysal": lambda: cls.from_dataframe(frame, use_index=False, silence_warnings=True),
        "yrdgeo": lambda: build_weights(frame, method),
        "graph": lambda: Graph.build_contiguity(frame.geometry, rook=method == "rook", strict=False),
    }
    best = dict.fromkeys(sides, np.inf)
    out = {}
    for _ in range(repeat):
        for name, fn in sides.items():
            t0 = time.perf_counter()
            out[name] = fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    ref, sw = out["libpysal"], out["yrdgeo"]
    same = all(set(ref.neighbors[i]) == set(sw.w.neighbors[i]) for i in range(len(frame)))
    peaks = {name: _peak_mib(sides[name]) for name in ("libpysal", "yrdgeo")}
    return {"n": len(frame), "method": method, **best, "ratio": best["yrdgeo"] / best["libpysal"],
            "ratio_graph": best["yrdgeo"] / best["graph"], "peak_libpysal": peaks["libpysal"],
            "peak_yrdgeo": peaks["yrdgeo"], "same": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--methods", nargs="+", default=list(CONTIGUITY), choices=CONTIGUITY)
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds; the best is reported")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, load average {os.getloadavg()}, best of {args.repeat}")
    print("method  cells    libpysal_s  yrdgeo_s  graph_s  yrdgeo/libpysal  yrdgeo/graph  "
          "peak_libpysal_MiB  peak_yrdgeo_MiB  same")
    for n in args.sizes:
        for method in args.methods:
            r = run(n, method, repeat=args.repeat)
            print(f"{r['method']:<7} {r['n']:>7}  {r['libpysal']:>10.3f}  {r['yrdgeo']:>8.3f}  {r['graph']:>7.3f}  "
                  f"{r['ratio']:>15.2f}  {r['ratio_graph']:>12.2f}  {r['peak_libpysal']:>17.1f}  "
                  f"{r['peak_yrdgeo']:>15.1f}  {r['same']}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
