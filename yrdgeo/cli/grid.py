"""Subcommand ``grid``: a regular grid over the YRD on dask, raster criteria per cell, roll-ups, outputs.

A thin adapter over :mod:`yrdgeo.grid` (imported only when the command runs: dask and its friends
take a second to import, and building the parser must stay instant).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import add_gate_args, check_input_file, read_vector

def _raster(text: str) -> tuple[str, str]:
    """Parse ``NAME=PATH`` into (name, path)."""
    name, sep, path = text.partition("=")
    if not sep or not name.strip() or not path.strip():
        msg = f"--raster {text!r}: expected NAME=PATH, e.g. dem=srtm.tif"
        raise ValueError(msg)
    return name.strip(), path.strip()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "grid", help="a regular grid (1 km, 250 m, 100 m …) over the YRD on dask: raster values per cell, "
                     "roll-ups per county/city, GeoParquet + Cloud-Optimised GeoTIFF",
        description="Cells of --cell-size metres in the equal-area AREA_CRS whose centre lies in a county (or in "
                    "a unit of --units), tagged with their county and city; each --raster averaged per cell (read "
                    "window by window); written to --out as partitioned GeoParquet (cells/), one Cloud-Optimised "
                    "GeoTIFF per raster, roll-up tables per county/city and record.json. Runs on a local dask "
                    "cluster of --workers processes, or on an existing one with --scheduler tcp://host:port.",
    )
    p.add_argument("--cell-size", type=float, required=True, help="cell side in metres, e.g. 1000, 250, 100")
    p.add_argument("--out", required=True, help="output folder (appears only when everything is written)")
    p.add_argument("--units", help="a planner's polygons (GPKG/GeoJSON/SHP) instead of the bundled counties")
    p.add_argument("--layer", help="layer of --units")
    p.add_argument("--key", default="adcode", help="code column of --units (default %(default)s)")
    p.add_argument("--raster", action="append", default=[], metavar="NAME=PATH",
                   help="a raster criterion averaged per cell, written as NAME.tif (repeat)")
    p.add_argument("--rollup", default="county",
                   help="comma-separated roll-up levels of every raster's cell means (county, city), or none "
                        "(default %(default)s)")
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
    for opt in ("units", "layer", "partition_rows", "workers", "memory_limit", "scheduler", "encoding"):
        if getattr(args, opt) is not None:
            cmd += [f"--{opt.replace('_', '-')}", str(getattr(args, opt))]
    if args.key != "adcode":
        cmd += ["--key", args.key]
    for text in args.raster:
        cmd += ["--raster", text]
    cmd += ["--rollup", args.rollup]
    cmd += [f"--{flag.replace('_', '-')}" for flag in ("squares", "geopackage", "no_progress", "overwrite", "strict")
            if getattr(args, flag)]
    return cmd


def _grid(args: argparse.Namespace) -> int:
    from .. import io

    started = time.perf_counter()
    pairs = [_raster(text) for text in args.raster]
    rasters = dict(pairs)
    if len(rasters) != len(pairs):
        msg = "--raster: each NAME once"
        raise ValueError(msg)
    for name, path in rasters.items():
        check_input_file(path, option=f"--raster {name}")
    levels = [] if args.rollup.strip().lower() == "none" else [v.strip() for v in args.rollup.split(",") if v.strip()]
    inputs = [*rasters.values(), args.units]
    io.check_output_folder(args.out, overwrite=args.overwrite, inputs=inputs, kind="grid")
    units = None
    if args.units:
        units = read_vector(args.units, option="--units", layer=args.layer, key=args.key, strict=args.strict)
    import yrdgeo.grid as yg

    from ..checks import check_choice

    for level in levels:
        check_choice("--rollup", level, yg.ROLLUP_BY)
    with yg.client(scheduler=args.scheduler, workers=args.workers, memory_limit=args.memory_limit) as client:
        print(f"dask cluster: {client.scheduler.address} · {len(client.scheduler_info()['workers'])} workers",
              file=sys.stderr)
        grid = yg.make_grid(args.cell_size, units=units, key=args.key, partition_rows=args.partition_rows)
        frame = grid.frame
        for name, path in rasters.items():
            frame = frame.assign(**{name: yg.raster_values(grid, path, name=name)})
        from distributed import progress, wait

        # Held in the cluster's memory (~60 bytes a cell + 8 a raster) while the roll-ups and outputs read it:
        # the rasters are read once, not once for every table and file.
        frame = frame.persist()
        if sys.stdout.isatty() and not args.no_progress:
            progress(frame)  # dask's text progress bar (not on a pipe or file: a line for each tick there)
            print()
        else:
            wait(frame)
        tables = {}
        for level in levels:
            parts = [yg.rollup(frame, name, by=level) for name in rasters]
            if parts:
                table = parts[0].drop(columns="cells")
                for extra in parts[1:]:
                    table = table.join(extra[[c for c in extra.columns if c.endswith("_mean")]])
                tables[f"rollup_{level}"] = table.join(parts[0][["cells"]])
        out = yg.write_outputs(grid, args.out, frame=frame, layers=list(rasters), geometry="cell" if args.squares
                               else "centre", geopackage=args.geopackage, tables=tables, overwrite=args.overwrite,
                               inputs=[p for p in inputs if p], command=_command(args), started=started,
                               options={"cell_size": args.cell_size, "units": args.units, "key": args.key,
                                        "rasters": rasters, "rollup": levels, "workers": args.workers,
                                        "scheduler": args.scheduler, "partition_rows": args.partition_rows})
    record = json.loads((Path(out) / "record.json").read_text(encoding="utf-8"))
    print(f"{record['outputs']['cells']['rows']:,} cells of {args.cell_size:g} m in {grid.npartitions} partitions "
          f"→ {out} ({time.perf_counter() - started:.1f} s)")
    return 0
