"""Subcommand ``atlas``: build the YRD atlas (GeoPackage, maps, report, run record) into a folder."""

from __future__ import annotations

import argparse

from .. import atlas


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "atlas",
        help="build the YRD atlas: GeoPackage, one map per topic (PNG+PDF), report, interactive map, run record",
        description="Run every atlas topic on the bundled data (or your attribute table / boundaries) and write "
                    "atlas.gpkg, maps/*.png|pdf, map.html, report.md and record.json into --out.",
    )
    p.add_argument("--out", default="atlas", help="output folder (default: ./atlas); must not exist or be empty "
                   "unless --overwrite")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty output folder once the new atlas "
                   "is complete")
    p.add_argument("--topics", nargs="+", metavar="TOPIC",
                   help="topics to run (space- or comma-separated; default: all default topics). "
                        "See --list-topics")
    p.add_argument("--attributes", metavar="CSV", help="your attribute table: adcode (or name) + numeric columns; "
                   "each numeric column becomes a map")
    p.add_argument("--boundaries", metavar="FILE", help="your boundary file (GeoPackage/GeoJSON/Shapefile with "
                   "adcode and a CRS); replaces the bundled polygons of those units")
    p.add_argument("--page", choices=["A4", "A3"], default="A4", help="map page size (default A4)")
    p.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    p.add_argument("--seed", type=int, default=atlas.DEFAULT_SEED, help="seed for random steps (recorded)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--list-topics", action="store_true", help="list the topics and exit")
    p.set_defaults(func=_atlas)


def _command(args: argparse.Namespace) -> list[str]:
    """Return the command line equivalent to the parsed arguments (recorded in record.json)."""
    cmd = ["yrdgeo", "atlas", "--out", str(args.out)]
    if args.overwrite:
        cmd.append("--overwrite")
    if args.topics:
        cmd += ["--topics", *args.topics]
    for opt in ("attributes", "boundaries"):
        if getattr(args, opt):
            cmd += [f"--{opt}", str(getattr(args, opt))]
    cmd += ["--page", args.page, "--dpi", str(args.dpi), "--seed", str(args.seed)]
    return cmd


def _atlas(args: argparse.Namespace) -> int:
    if args.list_topics:
        atlas._load_plugins()
        for row in atlas.list_topics().itertuples(index=False):
            print(f"{row.name:11s} {'default' if row.default else 'on request':10s} {row.title}")
        return 0
    result = atlas.build_atlas(
        args.out, topics=args.topics, overwrite=args.overwrite, attributes=args.attributes,
        boundaries=args.boundaries, page=args.page, dpi=args.dpi, seed=args.seed, progress=not args.quiet,
        command=_command(args),
    )
    n_maps = len(result.maps)
    print(f"wrote the atlas to {result.out}: {len(result.topics)} topics, {len(result.layers)} layers in "
          f"{result.gpkg.name}, {n_maps} maps, {result.report.name}, {result.html.name}, {result.record.name} "
          f"({result.seconds:.1f} s)")
    return 0
