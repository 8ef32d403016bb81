"""Time the YRD atlas on the bundled data: topics in parallel processes against the serial build, and yrdgeo's
caches against none (target: ≤ 12 s wall on 2 cores, the same bytes as the serial build).

Run:  PYTHONPATH=. python benchmarks/bench_atlas.py [--repeat 3] [--compare jobs|cache|all] [--jobs 2] [--dpi 150]
      [--topics units,groups] [--steps] [--against DIR]

Each round builds the atlas in a fresh Python process (so every cache starts cold, as in one CLI
run), the modes alternating:

- ``--compare jobs`` (default): ``build_atlas(jobs=2)`` against ``build_atlas(jobs=1)`` (the serial
  build), and the whole command ``yrdgeo atlas --jobs 2`` against ``yrdgeo atlas --jobs 1`` (start-up
  and imports included: what a user waits for);
- ``--compare cache``: the serial build with its caches against ``YRDGEO_NO_CACHE=1`` (text layout,
  simplified layers, pyproj transformers and the GeoPackage's disk sync all off);
- ``--against DIR`` (instead of ``--compare``): this tree against another yrdgeo source tree, e.g. an
  older commit checked out with ``git worktree add DIR <commit>``: the whole command ``yrdgeo atlas
  --out`` with every default (what the ≤ 12 s target is about), and ``build_atlas(jobs=2)`` with the
  CPU of its critical path (the building process, imports included, plus its busiest worker's whole CPU).

Prints the best wall (and CPU of the building process; workers' CPU is not in it) of each mode and
the ratios. ``--steps`` adds where the time goes: one profiled serial build per cache mode with the
cumulative time of the four costs the caches address (wrapping the page note, simplifying layers,
building transformers, writing the GeoPackage), and each topic on its own against a baseline (one
bare matplotlib choropleth of the 41 cities saved as PNG and PDF: what any map of the atlas costs at
least). Other processes share the cores: read best-of-N, and the load average printed with every
round. Nothing is asserted.
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
import os
from yrdgeo import atlas
from yrdgeo.atlas import build
out, dpi, topics, profile, jobs = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None, sys.argv[4] == "1", int(sys.argv[5])
log = out + ".topics.jsonl"
render = build._render_topic  # each topic's CPU time in the process that rendered it (forked workers inherit this)
def timed(name, *args):
    c = time.process_time()
    done = render(name, *args)
    with open(log, "a") as f:
        f.write(json.dumps(dict(pid=os.getpid(), topic=name, cpu=time.process_time() - c)) + "\n")
    return done
build._render_topic = timed
start = build._worker_start
def worker_start(*args):  # log each worker's whole CPU (topics, outlines, interactive map) when it exits
    from multiprocessing.util import Finalize
    def log_cpu():
        with open(log, "a") as f:
            f.write(json.dumps(dict(pid=os.getpid(), topic="(worker total)", cpu=time.process_time())) + "\n")
    Finalize(None, log_cpu, exitpriority=100)
    return start(*args)
build._worker_start = worker_start
prof = cProfile.Profile() if profile else None
c0, t0 = time.process_time(), time.perf_counter()
if prof:
    prof.enable()
res = atlas.build_atlas(out, dpi=dpi, progress=False, topics=None if topics is None else topics.split(","), jobs=jobs)
if prof:
    prof.disable()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
import resource
kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes, joined when the build ended
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
per_pid, whole = {}, {}
if os.path.exists(log):
    for line in open(log):
        row = json.loads(line)
        if row["topic"] == "(worker total)":
            whole[row["pid"]] = row["cpu"]
        else:
            per_pid[row["pid"]] = per_pid.get(row["pid"], 0.0) + row["cpu"]
print(json.dumps(dict(wall=wall, cpu=cpu, total_cpu=time.process_time(), workers_cpu=kids.ru_utime + kids.ru_stime,
                      busiest_worker_cpu=max((v for p, v in per_pid.items() if p != os.getpid()), default=0.0),
                      busiest_worker_whole_cpu=max(whole.values(), default=0.0),
                      maps=len(res.maps), topics=len(res.topics), costs=costs)))
"""


def _env(*, cached: bool, root: Path = ROOT) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root), MPLBACKEND="Agg")
    env.pop(NO_CACHE_ENV, None)
    if not cached:
        env[NO_CACHE_ENV] = "1"
    return env


def _child(out: Path, *, dpi: int, topics: str, cached: bool = True, profile: bool = False, jobs: int = 1,
           root: Path = ROOT) -> dict:
    # run in the build's parent folder, so that the yrdgeo imported is the one of ``root``, not the current folder's
    run = subprocess.run([sys.executable, "-c", _CHILD, str(out), str(dpi), topics, "1" if profile else "0",
                          str(jobs)], env=_env(cached=cached, root=root), capture_output=True, text=True, check=True,
                         cwd=out.parent)
    return json.loads(run.stdout.strip().splitlines()[-1])


def _plain_command(out: Path, *, root: Path) -> dict:
    """Return the wall time of ``yrdgeo atlas --out`` (every default, as a user runs it) from the tree ``root``."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "yrdgeo", "atlas", "--out", str(out)], env=_env(cached=True, root=root),
                   capture_output=True, text=True, check=True, cwd=out.parent)
    return dict(wall=time.perf_counter() - t0, cpu=float("nan"))


def _command(out: Path, *, dpi: int, topics: str, jobs: int) -> dict:
    """Return the wall time of the whole ``yrdgeo atlas`` command (interpreter start-up and imports included)."""
    cmd = [sys.executable, "-m", "yrdgeo", "atlas", "--out", str(out), "--quiet", "--dpi", str(dpi),
           "--jobs", str(jobs)] + (["--topics", topics] if topics else [])
    t0 = time.perf_counter()
    subprocess.run(cmd, env=_env(cached=True), capture_output=True, text=True, check=True)
    return dict(wall=time.perf_counter() - t0, cpu=float("nan"))


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


def _rounds(tmp: Path, modes: dict, repeat: int) -> dict[str, list[dict]]:
    """Return the runs of each mode, ``repeat`` rounds, the order of the modes reversed every other round."""
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    for i in range(repeat):
        for mode in (list(modes) if i % 2 == 0 else list(reversed(modes))):
            r = modes[mode](tmp / f"{mode.replace(' ', '_')}{i}")
            runs[mode].append(r)
            print(f"  round {i + 1} {mode:22s}: wall {r['wall']:5.1f} s, CPU {r['cpu']:5.1f} s   ({_load()})")
    return runs


def _best(runs: dict[str, list[dict]]) -> dict[str, tuple[float, float]]:
    return {m: (min(r["wall"] for r in rs), min(r["cpu"] for r in rs)) for m, rs in runs.items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3, help="alternating rounds of each mode (best is reported)")
    p.add_argument("--compare", choices=("jobs", "cache", "all"), default="jobs",
                   help="parallel vs serial (jobs), caches vs none (cache), or both")
    p.add_argument("--jobs", type=int, default=2, help="processes of the parallel build (default 2)")
    p.add_argument("--dpi", type=int, default=150)
    p.add_argument("--topics", default="", help="comma-separated topics (default: every default topic)")
    p.add_argument("--steps", action="store_true", help="add the profiled builds and per-topic times")
    p.add_argument("--against", type=Path, metavar="DIR",
                   help="another yrdgeo source tree (e.g. `git worktree add DIR <commit>`): time `yrdgeo atlas --out` "
                        "and the CPU critical path of build_atlas(jobs=2) of this tree against that one, alternating")
    args = p.parse_args()
    if args.against is not None and not (args.against / "yrdgeo" / "__init__.py").is_file():
        p.error(f"--against {args.against}: expected a folder holding a yrdgeo source tree (DIR/yrdgeo/__init__.py), "
                f"e.g. made with `git worktree add DIR <commit>` or `git archive <commit> yrdgeo | tar -x -C DIR`")
    print(f"cores available: {len(os.sched_getaffinity(0))}; {_load()}")
    kw = dict(dpi=args.dpi, topics=args.topics)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if args.against is not None:
            _against(tmp, args)
        elif args.compare in ("jobs", "all"):
            modes = {f"build_atlas jobs={args.jobs}": lambda out: _child(out, jobs=args.jobs, **kw),
                     "build_atlas jobs=1": lambda out: _child(out, jobs=1, **kw),
                     f"yrdgeo atlas --jobs {args.jobs}": lambda out: _command(out, jobs=args.jobs, **kw),
                     "yrdgeo atlas --jobs 1": lambda out: _command(out, jobs=1, **kw)}
            runs = _rounds(tmp, modes, args.repeat)
            best = _best(runs)
            r0 = runs["build_atlas jobs=1"][0]
            print(f"atlas: {r0['topics']} topics, {r0['maps']} maps, dpi {args.dpi}; best of {args.repeat}, alternating")
            for mode, (wall, cpu) in best.items():
                print(f"  {mode:22s}: wall {wall:5.1f} s" + ("" if cpu != cpu else f", CPU (this process) {cpu:5.1f} s"))
            # CPU on the critical path: the building process (imports included) plus its busiest worker. On two
            # free cores this is about the wall time; on a loaded machine it is what the load cannot inflate.
            for mode in (f"build_atlas jobs={args.jobs}", "build_atlas jobs=1"):
                r = min(runs[mode], key=lambda r: r["total_cpu"] + r["busiest_worker_cpu"])
                print(f"  {mode:22s}: CPU of the building process {r['total_cpu']:5.1f} s (imports included), "
                      f"of its workers {r['workers_cpu']:5.1f} s, busiest worker {r['busiest_worker_cpu']:5.1f} s; "
                      f"critical path {r['total_cpu'] + r['busiest_worker_cpu']:5.1f} s")
            (pw, _), (sw, _) = best[f"build_atlas jobs={args.jobs}"], best["build_atlas jobs=1"]
            (cw, _), (c1, _) = best[f"yrdgeo atlas --jobs {args.jobs}"], best["yrdgeo atlas --jobs 1"]
            print(f"  ratio parallel/serial: build_atlas {pw / sw:.2f}, yrdgeo atlas {cw / c1:.2f} "
                  f"(target: yrdgeo atlas ≤ 12 s wall on 2 cores)")
        if args.compare in ("cache", "all"):
            modes = {"cached": lambda out: _child(out, cached=True, **kw),
                     "plain": lambda out: _child(out, cached=False, **kw)}
            best = _best(_rounds(tmp, modes, args.repeat))
            print(f"serial build, best of {args.repeat}, alternating")
            print(f"  cached: wall {best['cached'][0]:.1f} s, CPU {best['cached'][1]:.1f} s")
            print(f"  plain : wall {best['plain'][0]:.1f} s, CPU {best['plain'][1]:.1f} s")
            print(f"  ratio cached/plain: wall {best['cached'][0] / best['plain'][0]:.2f}, "
                  f"CPU {best['cached'][1] / best['plain'][1]:.2f}")
        if args.steps:
            _steps(tmp, args)
        print(_load())


def _against(tmp: Path, args: argparse.Namespace) -> None:
    """Print the whole command's wall and the parallel build's CPU critical path, this tree against ``--against``."""
    kw = dict(dpi=args.dpi, topics=args.topics, jobs=args.jobs)
    trees = {"this tree": ROOT, "against": args.against.resolve()}
    modes = {}
    for label, root in trees.items():
        modes[f"yrdgeo atlas ({label})"] = lambda out, root=root: _plain_command(out, root=root)
        modes[f"build_atlas ({label})"] = lambda out, root=root: _child(out, root=root, **kw)
    runs = _rounds(tmp, modes, args.repeat)
    print(f"best of {args.repeat}, alternating; `yrdgeo atlas --out DIR` with every default, build_atlas(jobs={args.jobs})")
    walls = {}
    for label in trees:
        walls[label] = min(r["wall"] for r in runs[f"yrdgeo atlas ({label})"])
        r = min(runs[f"build_atlas ({label})"], key=lambda r: r["total_cpu"] + r["busiest_worker_whole_cpu"])
        print(f"  {label:9s}: yrdgeo atlas wall {walls[label]:5.1f} s; build_atlas CPU critical path "
              f"{r['total_cpu'] + r['busiest_worker_whole_cpu']:5.1f} s (building process {r['total_cpu']:4.1f} s "
              f"with imports + busiest worker {r['busiest_worker_whole_cpu']:4.1f} s, all its tasks), all workers "
              f"{r['workers_cpu']:4.1f} s")
    print(f"  ratio this/against: yrdgeo atlas wall {walls['this tree'] / walls['against']:.2f} "
          f"(target: ≤ 12 s wall on 2 cores)")


def _steps(tmp: Path, args: argparse.Namespace) -> None:
    print("where the time goes (one profiled serial build each; profiling inflates the times):")
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
              f"({(time.perf_counter() - t) / base:.1f} × baseline; cost= {atlas.TOPICS[name].expected_cost(ctx)})")


if __name__ == "__main__":
    main()
