"""Benchmark: yrdgeo.grid.make_grid at 1 km and 250 m on a local dask cluster, and a measured 100 m subset.

What is timed is building the cells (every band's point-in-county test over the bundled 305
counties) and counting them on the workers (``frame.map_partitions(len)``): the cells stay on the
workers, as they do when a result is computed or written from them. Three ways, alternating
rounds, best of ``--repeat`` (the machine is shared with other jobs):

* ``in-process``: dask's synchronous scheduler in this process (the plain one-core baseline);
* ``1 worker`` and ``2 workers``: a fresh ``yrdgeo.grid.client(workers=N)`` LocalCluster
  (processes, one thread each), warmed by one small grid first so that the workers' imports are
  not counted.

Peak memory per worker is the largest resident set sampled in the worker every 50 ms (distributed's
system monitor, read with ``client.run`` after the run; it includes the imported libraries). Not
``ru_maxrss``: Linux carries the client's high-water mark into a worker started by fork + exec.

``--subset-100m K`` (default 12) builds the 100 m grid's graph (about 36M cells in ~130 bands)
and computes K partitions spread evenly over the bands (a systematic sample: every
``npartitions // K``-th band, so sea, coast and inland bands are all in it) one at a time on a
1-worker cluster, printing each partition's cells, time and the worker's peak memory after it.
Flat per-partition time (per bounding-box cell) and a peak memory that does not grow with the
partitions done show the memory per worker is bounded; the full run on N workers is estimated as
``mean partition time × npartitions / N`` (the method is in docs/grid.md).

``--write`` also times ``write_outputs`` at each size on ``--write-workers`` workers (the cells as
GeoParquet, their county code as a COG written band by band), with the workers' and this process's
peak memory; ``--no-build`` skips the make_grid comparison.

Run:  PYTHONPATH=. python benchmarks/bench_grid.py [--sizes 1000 250] [--repeat 2] [--subset-100m 12] [--write]
Target (issue 16): 250 m with peak memory per worker < 2 GB; 100 m memory per worker bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from contextlib import contextmanager

import dask


def _peak_mib() -> float:
    """Return this process's peak resident set in MiB (the client's; not a worker's, see _worker_peak_mib)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_mib(dask_worker) -> float:
    """Return a worker's peak resident set in MiB, from the system monitor's samples (every 50 ms here).

    Not ``ru_maxrss``: a worker is started by fork + exec, and Linux carries the parent's high-water
    mark across exec, so ``ru_maxrss`` of every worker is at least the client's size when it started.
    """
    return max(dask_worker.monitor.quantities["memory"]) / 2**20


def _worker_now_mib() -> float:
    """Return a worker's resident set now, in MiB."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


@contextmanager
def _cluster(workers: int):
    """Yield a client on a fresh local cluster whose workers sample their memory every 50 ms."""
    import distributed  # noqa: F401  (its config defaults must exist before they are changed)

    from yrdgeo.grid import client

    with dask.config.set({"distributed.admin.system-monitor.interval": "50ms"}), client(workers=workers) as c:
        yield c


def _count(grid) -> int:
    return int(grid.frame.map_partitions(len).compute().sum())


def in_process(cell_size: float) -> tuple[float, int, float]:
    """Return (seconds, cells, peak MiB of this process) of the grid built and counted synchronously."""
    from yrdgeo.grid import make_grid

    t = time.perf_counter()
    with dask.config.set(scheduler="synchronous"):
        n = _count(make_grid(cell_size))
    return time.perf_counter() - t, n, _peak_mib()


def on_cluster(cell_size: float, workers: int) -> tuple[float, int, float]:
    """Return (seconds, cells, peak MiB of the largest worker) on a fresh local cluster of ``workers``."""
    from yrdgeo.grid import make_grid

    with _cluster(workers) as c:
        _count(make_grid(50_000))  # warm-up: imports in the workers
        t = time.perf_counter()
        n = _count(make_grid(cell_size))
        seconds = time.perf_counter() - t
        peak = max(c.run(_worker_peak_mib).values())
    return seconds, n, peak


def writes(cell_size: float, workers: int) -> tuple[float, int, float, float]:
    """Return (seconds, cells, peak MiB of the largest worker, peak MiB of this process) of write_outputs.

    The cells go to GeoParquet (centres) and their county code to a COG, in a temporary folder.
    """
    import tempfile
    from pathlib import Path

    from yrdgeo.grid import make_grid, write_outputs

    with _cluster(workers) as c, tempfile.TemporaryDirectory() as tmp:
        _count(make_grid(50_000))
        t = time.perf_counter()
        grid = make_grid(cell_size)
        out = write_outputs(grid, Path(tmp) / "out", layers=["county"])
        seconds = time.perf_counter() - t
        peak = max(c.run(_worker_peak_mib).values())
        n = json.loads((out / "record.json").read_text(encoding="utf-8"))["outputs"]["cells"]["rows"]
    return seconds, n, peak, _peak_mib()


def subset_100m(k: int, *, cell_size: float = 100.0) -> None:
    """Print per-partition cost and worker memory of ``k`` evenly spread partitions of the 100 m grid."""
    from yrdgeo.grid import make_grid

    grid = make_grid(cell_size)
    npart = grid.npartitions
    step = max(1, npart // k)
    picks = list(range(step // 2, npart, step))[:k]
    print(f"\n100 m: {grid.spec.nrows} x {grid.spec.ncols} rows x cols, {npart} partitions of "
          f"{grid.bands[0][1] - grid.bands[0][0]} rows ({(grid.bands[0][1] - grid.bands[0][0]) * grid.spec.ncols:,} "
          f"box cells); {len(picks)} measured, one at a time on 1 worker")
    print(f"{'partition':>9} {'rows':>11} {'cells':>9} {'seconds':>8} {'us/box cell':>11} {'worker peak MiB':>15} "
          f"{'worker now MiB':>14}")
    times, cells = [], []
    with _cluster(1) as c:
        _count(make_grid(50_000))
        print(f"{'warm-up':>9} {'':>11} {'':>9} {'':>8} {'':>11} {max(c.run(_worker_peak_mib).values()):>15.0f} "
              f"{max(c.run(_worker_now_mib).values()):>14.0f}")
        for i in picks:
            part = grid.frame.get_partition(i)
            t = time.perf_counter()
            n = int(part.map_partitions(len).compute().sum())
            dt = time.perf_counter() - t
            r0, r1 = grid.bands[i]
            box = (r1 - r0) * grid.spec.ncols
            peak = max(c.run(_worker_peak_mib).values())
            now = max(c.run(_worker_now_mib).values())
            times.append(dt)
            cells.append(n)
            print(f"{i:>9} {f'{r0}-{r1}':>11} {n:>9,} {dt:>8.2f} {dt / box * 1e6:>11.3f} {peak:>15.0f} {now:>14.0f}")
    mean = sum(times) / len(times)
    share = sum(cells) / (len(picks) * (grid.bands[0][1] - grid.bands[0][0]) * grid.spec.ncols)
    print(f"mean {mean:.2f} s a partition; estimated cells {share * grid.spec.size / 1e6:.1f}M; estimated full run "
          f"{mean * npart:.0f} s on 1 worker, {mean * npart / 2:.0f} s on 2, {mean * npart / 8:.0f} s on 8 "
          "(+ scheduling, ~1 ms a task)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1000.0, 250.0], help="cell sizes in metres")
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds; the best is reported")
    parser.add_argument("--subset-100m", type=int, default=12, help="100 m partitions measured (0: none)")
    parser.add_argument("--write", action="store_true", help="also time write_outputs at each size")
    parser.add_argument("--write-workers", type=int, default=2, help="workers for --write (default %(default)s)")
    parser.add_argument("--no-build", action="store_true", help="skip the make_grid comparison")
    args = parser.parse_args()
    print(f"{platform.node()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.2f} (1 min) · best of "
          f"{args.repeat} alternating rounds")
    print(f"{'cell':>6} {'cells':>10} {'way':>11} {'seconds':>8} {'vs in-process':>13} {'peak MiB':>9}")
    for size in [] if args.no_build else args.sizes:
        best: dict[str, tuple[float, int, float]] = {}
        for _ in range(args.repeat):
            for way, run in (("in-process", lambda: in_process(size)), ("1 worker", lambda: on_cluster(size, 1)),
                             ("2 workers", lambda: on_cluster(size, 2))):
                got = run()
                if way not in best or got[0] < best[way][0]:
                    best[way] = got
        base = best["in-process"][0]
        for way, (sec, n, peak) in best.items():
            print(f"{size:>5g}m {n:>10,} {way:>11} {sec:>8.2f} {base / sec:>12.2f}x {peak:>9.0f}")
        print(f"       2 workers vs 1: {best['1 worker'][0] / best['2 workers'][0]:.2f}x")
    if args.write:
        print(f"\nwrite_outputs (GeoParquet of the cells + a COG of county), {args.write_workers} workers")
        print(f"{'cell':>6} {'cells':>10} {'seconds':>8} {'worker peak MiB':>15} {'client peak MiB':>15}")
        for size in args.sizes:
            sec, n, peak, mine = min((writes(size, args.write_workers) for _ in range(args.repeat)), key=lambda r: r[0])
            print(f"{size:>5g}m {n:>10,} {sec:>8.2f} {peak:>15.0f} {mine:>15.0f}")
    if args.subset_100m:
        subset_100m(args.subset_100m)
    print(f"load {os.getloadavg()[0]:.2f} (1 min) at the end")


if __name__ == "__main__":
    main()
