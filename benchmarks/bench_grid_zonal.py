"""Benchmark: zonal statistics of a large synthetic raster for the 305 counties, by blocks on dask vs a rasterio.mask loop.

Usage::

    PYTHONPATH=. python benchmarks/bench_grid_zonal.py                    # 6000 × 6000 (36M pixels), quick
    PYTHONPATH=. python benchmarks/bench_grid_zonal.py --size 20000       # 400M pixels (≈ 45 m, 30 m-like)
    PYTHONPATH=. python benchmarks/bench_grid_zonal.py --size 20000 --repeat 2 --workers 2

The raster: ``--size`` × ``--size`` uint16 pixels over the counties' extent in EPSG:4549 (a CRS
other than the counties' EPSG:4326, so they are reprojected), a smooth synthetic surface plus
seeded noise (not data), nodata 0 in a band across the region and on 1 % of pixels; tiled
512 × 512, ZSTD-compressed (deflate if GDAL lacks ZSTD), written strip by strip to a temporary
folder (``--dir``) and deleted at the end.

Each variant runs in a fresh child process (so its peak RSS is its own), in alternating rounds
(``--repeat``), best of N reported:

* ``plain``: one ``rasterio.mask.mask(crop=True)`` per county, nodata and non-finite dropped
  (the loop a user writes; memory follows the largest county's bounding box);
* ``blocks-1p``: :func:`yrdgeo.grid.zonal_statistics` on dask's synchronous scheduler in one process;
* ``blocks-Nt``: the same on dask's thread pool of ``--workers`` threads in one process (GDAL and
  numpy release the GIL for most of a block);
* ``blocks-Nw``: the same on a ``LocalCluster`` of ``--workers`` worker processes, one thread each;
  peak RSS is the largest worker's (VmHWM, imports included). distributed's worker profiler
  is off (``--worker-profiler`` keeps it): its 10 ms stack sampling made a block 1.6–2× slower in a
  worker than in-process on the loaded machine.

Every process gets the same GDAL block cache (``--gdal-cache`` MB, default 256; GDAL's own default
is 5 % of RAM, which a long read fills and which would otherwise dominate the peak RSS).

The results of every variant are compared (counts exactly, sums/means/min/max to 1e-9 relative).
The machine is shared: say its load (printed) and read best-of-N ratios, not single times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

STATS = ("count", "sum", "mean", "min", "max")
VARIANTS = ("plain", "blocks-1p", "blocks-Nt", "blocks-Nw")


def _rss_mib() -> float:
    """Return this process's peak resident set (VmHWM, MiB).

    Not ``ru_maxrss``: Linux carries a parent's high-water mark into a child started by fork + exec
    (as distributed starts its workers), so a worker would report the client's size.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_raster(path: str, size: int) -> dict:
    """Write the synthetic raster strip by strip (bounded memory); return its description."""
    import rasterio
    from rasterio.transform import from_origin

    import yrdgeo
    from yrdgeo.crs import DISTANCE_CRS

    x0, y0, x1, y1 = yrdgeo.load_units("county").to_crs(DISTANCE_CRS).total_bounds
    res = max(x1 - x0, y1 - y0) / size
    transform = from_origin(x0, y1, res, res)
    profile = dict(driver="GTiff", width=size, height=size, count=1, dtype="uint16", crs=DISTANCE_CRS,
                   transform=transform, nodata=0, tiled=True, blockxsize=512, blockysize=512, compress="zstd",
                   predictor=2, BIGTIFF="IF_SAFER")
    rng = np.random.default_rng(16)
    cols = np.arange(size)
    t0 = time.perf_counter()
    try:
        dst = rasterio.open(path, "w", **profile)
    except Exception:  # GDAL without ZSTD
        profile["compress"] = "deflate"
        dst = rasterio.open(path, "w", **profile)
    with dst:
        for r0 in range(0, size, 512):
            rows = np.arange(r0, min(r0 + 512, size))[:, None]
            surface = 800 + 600 * np.sin(rows / size * 7.0) * np.cos(cols[None, :] / size * 5.0)
            block = (surface + rng.normal(0, 40, (len(rows), size))).clip(1, 65535).astype("uint16")
            block[rng.random(block.shape) < 0.01] = 0
            band = (rows[:, 0] > 0.45 * size) & (rows[:, 0] < 0.47 * size)
            block[band] = 0
            dst.write(block, 1, window=rasterio.windows.Window(0, r0, size, len(rows)))
    return {"pixels": size * size, "pixel_m": res, "bytes": os.path.getsize(path), "compress": profile["compress"],
            "write_s": time.perf_counter() - t0}


def plain(path: str) -> dict:
    """The plain loop: one rasterio.mask.mask per county."""
    import rasterio
    import rasterio.mask

    import yrdgeo

    counties = yrdgeo.load_units("county")
    t0 = time.perf_counter()
    out = {}
    with rasterio.open(path) as src:
        nd = src.nodata
        for code, g in zip(counties["adcode"], counties.to_crs(src.crs).geometry):
            try:
                arr, _ = rasterio.mask.mask(src, [g], crop=True, filled=False)
            except ValueError:
                out[code] = [0, np.nan, np.nan, np.nan, np.nan]
                continue
            v = arr.compressed()
            v = v[v != nd].astype("float64")
            n = v.size
            out[code] = [n, v.sum(), v.mean(), v.min(), v.max()] if n else [0, np.nan, np.nan, np.nan, np.nan]
    return {"seconds": time.perf_counter() - t0, "result": out}


def blocks(path: str, workers: int, block_size: int, *, threads: bool = False, profiler: bool = False) -> dict:
    """yrdgeo.grid.zonal_statistics: in one process (workers=0, or threads) or on a LocalCluster of processes."""
    import dask

    from yrdgeo.grid import zonal_statistics

    if workers == 0 or threads:
        how = {"scheduler": "threads", "num_workers": workers} if threads else {"scheduler": "synchronous"}
        with dask.config.set(**how):
            zonal_statistics(path, block_size=block_size, stats=STATS)  # untimed: imports, unit table read
            t0 = time.perf_counter()
            res = zonal_statistics(path, block_size=block_size, stats=STATS)
            dt = time.perf_counter() - t0
        worker_rss = None
    else:
        from distributed import Client, LocalCluster

        # distributed's statistical profiler samples every worker thread each 10 ms: on a loaded machine the GIL
        # hand-offs it forces made a block 1.6-2x slower in a worker than in-process (measured); off unless asked.
        with dask.config.set({"distributed.worker.profile.enabled": profiler}), \
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                             memory_limit="3GiB") as cluster, Client(cluster) as client:
            client.run(lambda: __import__("yrdgeo.grid.criteria"))  # imports outside the timing
            import yrdgeo
            yrdgeo.load_units("county")
            t0 = time.perf_counter()
            res = zonal_statistics(path, block_size=block_size, stats=STATS)
            dt = time.perf_counter() - t0
            worker_rss = max(client.run(_rss_mib).values())
    out = {str(k): [int(r["count"]), *(float(r[s]) for s in STATS[1:])] for k, r in res.iterrows()}
    return {"seconds": dt, "result": out, "worker_rss_mib": worker_rss}


def child(args: argparse.Namespace) -> None:
    if args.child == "plain":
        out = plain(args.path)
    else:
        out = blocks(args.path, 0 if args.child == "blocks-1p" else args.workers, args.block_size,
                     threads=args.child == "blocks-Nt", profiler=args.worker_profiler)
    out["rss_mib"] = _rss_mib()
    print(json.dumps(out, default=float))


def run_child(variant: str, path: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--child", variant, "--path", path, "--workers", str(args.workers),
           "--block-size", str(args.block_size)] + (["--worker-profiler"] if args.worker_profiler else [])
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "GDAL_CACHEMAX": str(args.gdal_cache)}  # workers inherit it
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def same(a: dict, b: dict) -> bool:
    for k, va in a.items():
        vb = b[k]
        if va[0] != vb[0] or not np.allclose(va[1:], vb[1:], rtol=1e-9, equal_nan=True):
            print(f"  differs for {k}: {va} vs {vb}")
            return False
    return True


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=6000, help="pixels per side (20000 = 400M pixels)")
    p.add_argument("--repeat", type=int, default=1, help="alternating rounds; best of N is reported")
    p.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster variant")
    p.add_argument("--block-size", type=int, default=2048, help="pixels per side of a block")
    p.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated subset of " + ", ".join(VARIANTS))
    p.add_argument("--worker-profiler", action="store_true", help="keep distributed's worker profiler on (blocks-Nw)")
    p.add_argument("--gdal-cache", type=int, default=256, help="GDAL block cache (MB) of every variant's processes")
    p.add_argument("--dir", default=None, help="folder for the temporary raster (default: the system's temp)")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    p.add_argument("--path", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return
    folder = tempfile.mkdtemp(prefix="bench_grid_zonal_", dir=args.dir)
    try:
        free = shutil.disk_usage(folder).free
        need = 2 * args.size**2  # uint16, before compression (compressed it is smaller)
        if need > 0.5 * free:
            raise SystemExit(f"{need / 2**30:.1f} GiB uncompressed would take over half the free space of {folder}")
        path = os.path.join(folder, "synthetic.tif")
        info = write_raster(path, args.size)
        print(f"raster {args.size} x {args.size} = {info['pixels'] / 1e6:.0f}M pixels of {info['pixel_m']:.1f} m, "
              f"{info['bytes'] / 2**20:.0f} MiB ({info['compress']}), written in {info['write_s']:.0f} s", flush=True)
        print(f"load: {os.getloadavg()}", flush=True)
        variants = [v for v in VARIANTS if v == "plain" or v in args.variants.split(",")]  # plain: the baseline
        runs: dict[str, list[dict]] = {v: [] for v in variants}
        for r in range(args.repeat):
            for v in (variants if r % 2 == 0 else variants[::-1]):
                out = run_child(v, path, args)
                runs[v].append(out)
                extra = f", largest worker {out['worker_rss_mib']:.0f} MiB" if out.get("worker_rss_mib") else ""
                print(f"round {r + 1} {v:<10s} {out['seconds']:8.1f} s   process peak RSS {out['rss_mib']:.0f} MiB{extra}",
                      flush=True)
        ok = all(same(runs["plain"][0]["result"], runs[v][0]["result"]) for v in variants[1:])
        print(f"results identical to the plain loop: {ok}")
        best = {v: min(o["seconds"] for o in runs[v]) for v in variants}
        print(f"\nbest of {args.repeat} (load after: {os.getloadavg()})")
        print("| variant | seconds | ratio to plain | peak RSS (MiB) |")
        print("|---|---|---|---|")
        for v in variants:
            rss = max(o["rss_mib"] for o in runs[v])
            w = max((o.get("worker_rss_mib") or 0) for o in runs[v])
            mem = f"{rss:.0f}" + (f" (client); {w:.0f} per worker" if w else "")
            print(f"| {v} | {best[v]:.1f} | {best[v] / best['plain']:.2f} | {mem} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
