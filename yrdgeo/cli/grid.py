"""Subcommand ``grid``: a regular grid over the YRD on dask — criteria, LISA/Gi*, ranking, roll-ups, outputs.

A thin adapter over :func:`yrdgeo.grid.grid_analysis`, the code path of the library and the QGIS
algorithm (imported only when the command runs: dask and its friends take a second to import, and
building the parser must stay instant).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import add_gate_args, check_input_file, read_vector


def _pairs(texts: list[str], *, option: str, value: str, example: str) -> dict[str, str]:
    """Return repeated ``NAME=VALUE`` options as ``{name: value}``; raise ValueError naming a malformed or repeated one."""
    out: dict[str, str] = {}
    for text in texts:
        name, sep, given = text.partition("=")
        if not sep or not name.strip() or not given.strip():
            msg = f"{option} {text!r}: expected NAME={value}, e.g. {example}"
            raise ValueError(msg)
        if name.strip() in out:
            msg = f"{option}: each NAME once ({name.strip()!r} is given twice)"
            raise ValueError(msg)
        out[name.strip()] = given.strip()
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "grid", help="a regular grid (1 km, 250 m, 100 m …) over the YRD on dask: raster values and travel time "
                     "per cell, LISA/Gi*, ranking, roll-ups per county/city, GeoParquet + Cloud-Optimised GeoTIFF",
        description="Cells of --cell-size metres in the equal-area AREA_CRS whose centre lies in a county (or in "
                    "a unit of --units), tagged with their county and city; each --raster averaged per cell (read "
                    "window by window), the travel time to --centre, local Moran's I (--lisa) and Gi* (--gi-star) "
                    "of a criterion, a ranking (--rank); written to --out as partitioned GeoParquet (cells/), one "
                    "Cloud-Optimised GeoTIFF per result layer, roll-up tables per county/city and record.json. Runs "
                    "on a local dask cluster of --workers processes, or on an existing one with --scheduler "
                    "tcp://host:port. The same code path as yrdgeo.grid.grid_analysis and the QGIS algorithm.",
    )
    p.add_argument("--cell-size", type=float, required=True, help="cell side in metres, e.g. 1000, 250, 100")
    p.add_argument("--out", required=True, help="output folder (appears only when everything is written)")
    p.add_argument("--units", help="a planner's polygons (GPKG/GeoJSON/SHP) instead of the bundled counties")
    p.add_argument("--layer", help="layer of --units")
    p.add_argument("--key", default="adcode", help="code column of --units (default %(default)s)")
    p.add_argument("--raster", action="append", default=[], metavar="NAME=PATH",
                   help="a raster criterion averaged per cell, written as NAME.tif (repeat)")
    p.add_argument("--centre", help="travel time (column time_min) to this unit (name or adcode) on the bundled "
                   "network")
    p.add_argument("--as-of", help="the network as open on this date (YYYY-MM-DD, YYYY-MM or YYYY; default every "
                   "link)")
    p.add_argument("--lisa", action="append", default=[], metavar="COLUMN",
                   help="local Moran's I of a criterion (a --raster NAME or time_min): columns lisa_COLUMN_* (repeat)")
    p.add_argument("--gi-star", action="append", default=[], metavar="COLUMN",
                   help="Getis-Ord Gi* of a non-negative criterion: columns gi_COLUMN_* (repeat)")
    p.add_argument("--permutations", type=int, default=999, help="permutations of LISA/Gi* (default %(default)s)")
    p.add_argument("--seed", type=int, help="random seed of the permutations (default: yrdgeo's fixed seed)")
    p.add_argument("--rank", action="append", default=[], metavar="COLUMN=DIRECTION",
                   help="rank the cells by entropy weights and TOPSIS on criteria (benefit or cost, e.g. "
                        "time_min=cost; repeat); cells missing a criterion are left unranked")
    p.add_argument("--rollup", default="county",
                   help="comma-separated roll-up levels of every criterion's (and the score's) cell means "
                        "(county, city), or none (default %(default)s)")
    p.add_argument("--squares", action="store_true", help="GeoParquet geometry is each cell's square "
                   "(default its centre point: a fifth of the bytes)")
    p.add_argument("--geopackage", action="store_true", help="also write cells.gpkg (squares, for QGIS; 1 km and coarser)")
    p.add_argument("--partition-rows", type=int, help="rows of a partition (default: ~0.5M cells, at least 8)")
    p.add_argument("--workers", type=int, help="local cluster: worker processes, one thread each (default: the cores)")
    p.add_argument("--memory-limit", help="local cluster: memory of each worker, e.g. 2GB (default: dask's share)")
    p.add_argument("--scheduler", help="an existing dask cluster's scheduler, tcp://host:port (workers on other "
                   "machines need --out on a file system they share)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--overwrite", action="store_true")
    add_gate_args(p, layers=True)
    p.set_defaults(func=_grid)


def _command(args: argparse.Namespace) -> list[str]:
    """Return the command line equivalent to the parsed arguments (recorded in record.json)."""
    cmd = ["yrdgeo", "grid", "--cell-size", f"{args.cell_size:g}", "--out", str(args.out)]
    for opt in ("units", "layer", "partition_rows", "workers", "memory_limit", "scheduler", "encoding", "centre",
                "as_of", "seed"):
        if getattr(args, opt) is not None:
            cmd += [f"--{opt.replace('_', '-')}", str(getattr(args, opt))]
    if args.key != "adcode":
        cmd += ["--key", args.key]
    for opt in ("raster", "lisa", "gi_star", "rank"):
        for text in getattr(args, opt):
            cmd += [f"--{opt.replace('_', '-')}", text]
    if (args.lisa or args.gi_star) and args.permutations != 999:
        cmd += ["--permutations", str(args.permutations)]
    cmd += ["--rollup", args.rollup]
    cmd += [f"--{flag.replace('_', '-')}" for flag in ("squares", "geopackage", "no_progress", "overwrite", "strict")
            if getattr(args, flag)]
    return cmd


def _grid(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    rasters = _pairs(args.raster, option="--raster", value="PATH", example="dem=srtm.tif")
    for name, path in rasters.items():
        check_input_file(path, option=f"--raster {name}")
    ranked = _pairs(args.rank, option="--rank", value="DIRECTION", example="time_min=cost")
    levels = [] if args.rollup.strip().lower() == "none" else [v.strip() for v in args.rollup.split(",") if v.strip()]
    if args.as_of is not None and args.centre is None:
        msg = "--as-of dates the network of the travel time: give --centre too"
        raise ValueError(msg)
    import yrdgeo.grid as yg

    from ..checks import check_choice

    for level in levels:
        check_choice("--rollup", level, yg.ROLLUP_BY)
    units = None
    if args.units:
        units = read_vector(args.units, option="--units", layer=args.layer, key=args.key, strict=args.strict)
    local = args.scheduler is None
    res = yg.grid_analysis(
        args.cell_size, units=units, key=args.key, partition_rows=args.partition_rows, rasters=rasters,
        travel_time=None if args.centre is None else {"centre": args.centre, "date": args.as_of},
        lisa=args.lisa, gi_star=args.gi_star,
        statistics={"permutations": args.permutations} | ({} if args.seed is None else {"seed": args.seed}),
        rank={"criteria": ranked, "missing": "exclude"} if ranked else None,
        rollup=levels, out=args.out, geometry="cell" if args.squares else "centre", geopackage=args.geopackage,
        overwrite=args.overwrite, scheduler=args.scheduler,
        # always a cluster: a local one of the machine's cores unless told otherwise
        workers=(args.workers if args.workers is not None else os.cpu_count()) if local else args.workers,
        memory_limit=args.memory_limit, progress=sys.stdout.isatty() and not args.no_progress,
        inputs=[args.units], command=_command(args))
    record = json.loads((Path(res.out) / "record.json").read_text(encoding="utf-8"))
    print(f"{record['outputs']['cells']['rows']:,} cells of {args.cell_size:g} m in {res.grid.npartitions} partitions "
          f"→ {res.out} ({time.perf_counter() - started:.1f} s)")
    return 0
