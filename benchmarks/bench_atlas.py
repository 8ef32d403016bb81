"""Time the YRD atlas on the bundled data (target: under a minute on a 2-core machine).

Run:  PYTHONPATH=. python benchmarks/bench_atlas.py [--repeat 1] [--dpi 150]

Prints the wall and CPU time of the whole atlas, then of each step (every
topic, the GeoPackage, the interactive map), and the ratio of the atlas to a
baseline measured in the same process: one bare matplotlib choropleth of the
41 cities saved as PNG and PDF (what any map of the atlas costs at least).
Ratios, not seconds, are what compare across machines. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

import yrdgeo  # noqa: E402
from yrdgeo import atlas, maps  # noqa: E402


def _baseline(tmp: Path) -> float:
    cities = yrdgeo.load_units("city").to_crs(yrdgeo.DISTANCE_CRS)
    t = time.perf_counter()
    fig = Figure(figsize=maps.page_size_inches("A4"))
    ax = fig.add_subplot()
    cities.plot(ax=ax, column="anchor_lat", cmap="YlOrRd")
    fig.savefig(tmp / "base.png", dpi=150)
    fig.savefig(tmp / "base.pdf")
    return time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--dpi", type=int, default=150)
    args = p.parse_args()
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        base = min(_baseline(tmp) for _ in range(2))
        walls, cpus = [], []
        for i in range(args.repeat):
            c0, t0 = time.process_time(), time.perf_counter()
            res = atlas.build_atlas(tmp / f"atlas{i}", dpi=args.dpi, progress=False)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        print(f"atlas: {len(res.topics)} topics, {len(res.layers)} layers, {len(res.maps)} maps")
        print(f"atlas wall {min(walls):.1f} s, CPU {min(cpus):.1f} s (best of {args.repeat}); "
              f"baseline map {base:.2f} s; ratio atlas/baseline {min(walls) / base:.1f}")
        # Per-step wall time, each topic on its own (includes its PNG+PDF).
        ctx = atlas.AtlasContext(cities=yrdgeo.load_units("city"), counties=yrdgeo.load_units("county"),
                                 provinces=yrdgeo.load_units("province"), dpi=args.dpi)
        for name in res.topics:
            t = time.perf_counter()
            r = atlas.TOPICS[name].func(ctx)
            analysis = time.perf_counter() - t
            for tm in r.maps:
                maps.save_map(tm.figure, tmp / f"{tm.key}.png", dpi=args.dpi)
                maps.save_map(tm.figure, tmp / f"{tm.key}.pdf")
            print(f"  {name:10s} analysis+draw {analysis:5.1f} s, with saving {time.perf_counter() - t:5.1f} s "
                  f"({(time.perf_counter() - t) / base:.1f} × baseline)")


if __name__ == "__main__":
    main()
