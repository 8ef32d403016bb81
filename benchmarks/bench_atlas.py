"""Time the YRD atlas on the bundled data, with yrdgeo's caches and without them (target: ≤ 12 s on 2 cores).

Run:  PYTHONPATH=. python benchmarks/bench_atlas.py [--repeat 3] [--dpi 150] [--topics units,groups]

Each round builds the atlas in a fresh Python process (so every cache starts cold, as in one CLI
run), alternating "cached" and "plain" (``YRDGEO_NO_CACHE=1``: text layout, simplified layers,
pyproj transformers and the GeoPackage's disk sync all off). Prints the best wall and CPU time of
each and their ratio, then where the time goes: one profiled build per mode with the cumulative
time of the four costs the caches address (wrapping the page note, simplifying layers, building
transformers, writing the GeoPackage), and each topic on its own. The baseline of the topic
lines is one bare matplotlib choropleth of the 41 cities saved as PNG and PDF (what any map of
the atlas costs at least). Other processes share the cores: read best-of-N, and ``uptime``
printed at the start and end. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

import yrdgeo  # noqa: E402
from yrdgeo import atlas, maps  # noqa: E402
from yrdgeo.crs import NO_CACHE_ENV  # noqa: E402

# Run in a child process: build the atlas (optionally profiled) and print its times as JSON.
_CHILD = r"""
import cProfile, json, pstats, sys, time, warnings
warnings.filterwarnings("ignore")
import matplotlib
matplotlib.use("Agg")
from yrdgeo import atlas
out, dpi, topics, profile = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None, sys.argv[4] == "1"
prof = cProfile.Profile() if profile else None
c0, t0 = time.process_time(), time.perf_counter()
if prof:
    prof.enable()
res = atlas.build_atlas(out, dpi=dpi, progress=False, topics=None if topics is None else topics.split(","))
if prof:
    prof.disable()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
costs = {}
if prof:
    wanted = {"wrap_text": "wrap page note", "simplify": "simplify layers", "from_crs": "Transformer.from_crs",
              "write_layers": "write GeoPackage"}
    stats = pstats.Stats(prof).stats
    for (file, line, func), (cc, nc, tt, ct, callers) in stats.items():
        label = wanted.get(func)
        if label and (func != "simplify" or "geopandas" in file or "shapely" in file):
            calls, secs = costs.get(label, (0, 0.0))
            costs[label] = (calls + nc, max(secs, ct))  # cumulative: the outermost entry counts
print(json.dumps(dict(wall=wall, cpu=cpu, maps=len(res.maps), topics=len(res.topics), costs=costs)))
"""


def _child(out: Path, *, dpi: int, topics: str, cached: bool, profile: bool = False) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    env.pop(NO_CACHE_ENV, None)
    if not cached:
        env[NO_CACHE_ENV] = "1"
    run = subprocess.run([sys.executable, "-c", _CHILD, str(out), str(dpi), topics, "1" if profile else "0"],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def _baseline(tmp: Path) -> float:
    cities = yrdgeo.load_units("city").to_crs(yrdgeo.DISTANCE_CRS)
    t = time.perf_counter()
    fig = Figure(figsize=maps.page_size_inches("A4"))
    ax = fig.add_subplot()
    cities.plot(ax=ax, column="anchor_lat", cmap="YlOrRd")
    fig.savefig(tmp / "base.png", dpi=150)
    fig.savefig(tmp / "base.pdf")
    return time.perf_counter() - t


def _load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3, help="alternating rounds of each mode (best is reported)")
    p.add_argument("--dpi", type=int, default=150)
    p.add_argument("--topics", default="", help="comma-separated topics (default: every default topic)")
    p.add_argument("--no-steps", action="store_true", help="skip the profiled builds and per-topic times")
    args = p.parse_args()
    print(f"cores available: {len(os.sched_getaffinity(0))}; {_load()}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        runs: dict[str, list[dict]] = {"cached": [], "plain": []}
        for i in range(args.repeat):
            order = ("cached", "plain") if i % 2 == 0 else ("plain", "cached")
            for mode in order:
                r = _child(tmp / f"{mode}{i}", dpi=args.dpi, topics=args.topics, cached=mode == "cached")
                runs[mode].append(r)
                print(f"  round {i + 1} {mode:6s}: wall {r['wall']:5.1f} s, CPU {r['cpu']:5.1f} s")
        best = {m: (min(r["wall"] for r in rs), min(r["cpu"] for r in rs)) for m, rs in runs.items()}
        r0 = runs["cached"][0]
        print(f"atlas: {r0['topics']} topics, {r0['maps']} maps, dpi {args.dpi}; best of {args.repeat}, alternating")
        print(f"  cached: wall {best['cached'][0]:.1f} s, CPU {best['cached'][1]:.1f} s")
        print(f"  plain : wall {best['plain'][0]:.1f} s, CPU {best['plain'][1]:.1f} s")
        print(f"  ratio cached/plain: wall {best['cached'][0] / best['plain'][0]:.2f}, "
              f"CPU {best['cached'][1] / best['plain'][1]:.2f}")
        if args.no_steps:
            print(_load())
            return
        print("where the time goes (one profiled build each; profiling inflates the times):")
        for mode in ("plain", "cached"):
            r = _child(tmp / f"profile-{mode}", dpi=args.dpi, topics=args.topics, cached=mode == "cached",
                       profile=True)
            parts = ", ".join(f"{k} {v[1]:.2f} s / {v[0]} calls" for k, v in sorted(r["costs"].items()))
            print(f"  {mode:6s} (total {r['wall']:.1f} s): {parts}")
        base = min(_baseline(tmp) for _ in range(2))
        print(f"each topic on its own (cached, one process; baseline map {base:.2f} s):")
        ctx = atlas.AtlasContext(cities=yrdgeo.load_units("city"), counties=yrdgeo.load_units("county"),
                                 provinces=yrdgeo.load_units("province"), dpi=args.dpi)
        names = atlas.select_topics(args.topics.split(",") if args.topics else None)
        for name in names:
            t = time.perf_counter()
            r = atlas.TOPICS[name].func(ctx)
            analysis = time.perf_counter() - t
            for tm in r.maps:
                figure = tm.figure() if callable(tm.figure) else tm.figure
                maps.save_map(figure, tmp / f"{tm.key}.png", dpi=args.dpi)
                maps.save_map(figure, tmp / f"{tm.key}.pdf")
            print(f"  {name:10s} analysis+draw {analysis:5.1f} s, with saving {time.perf_counter() - t:5.1f} s "
                  f"({(time.perf_counter() - t) / base:.1f} × baseline)")
        print(_load())


if __name__ == "__main__":
    main()
