"""Subcommand ``atlas``: build the YRD atlas (GeoPackage, maps, report, run record) into a folder."""

from __future__ import annotations

import argparse
import sys

from .. import choices


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
    p.add_argument("--attributes", metavar="TABLE", help="your attribute table (CSV in UTF-8/GBK/UTF-16, .xlsx, or a "
                   "vector file's attributes): adcode (or name) + indicator columns; each indicator becomes a map. "
                   "Yearbook numbers (25,726 / 6.5%% / —) are read and every changed cell is reported")
    p.add_argument("--encoding", help="encoding of the --attributes CSV (default: detected: UTF-8, GB18030/GBK, UTF-16)")
    p.add_argument("--columns", nargs="+", metavar="COLUMN", help="indicator columns of --attributes to map "
                   "(default: all indicator columns)")
    p.add_argument("--max-maps", type=int, default=30, help="refuse an attribute table with more indicator columns "
                   "than this (default 30); choose some with --columns")
    p.add_argument("--boundaries", metavar="FILE", help="your boundary file (GeoPackage/GeoJSON/Shapefile with "
                   "adcode and a CRS); replaces the bundled polygons of those units")
    p.add_argument("--boundaries-layer", metavar="LAYER", help="layer of a multi-layer --boundaries file")
    p.add_argument("--strict", action="store_true", help="refuse invalid polygons and unreadable table cells "
                   "instead of repairing them / reading them as missing (both are reported either way)")
    p.add_argument("--page", choices=tuple(choices.PAGE_SIZES_MM), default="A4",
                   help="map page size (default %(default)s)")
    p.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    p.add_argument("--approval-number", metavar="TEXT", help="map approval number (审图号) printed in the note of "
                   "every map, e.g. 'GS(2024)1234号'")
    p.add_argument("--seed", type=int, default=choices.DEFAULT_SEED, help="seed for random steps (recorded)")
    p.add_argument("--jobs", type=int, metavar="N", help="processes that render topics at the same time (default: "
                   "every core); 1 renders them one after the other. The atlas is the same whatever N is")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--list-topics", action="store_true", help="list the topics and exit")
    p.set_defaults(func=_atlas)


def _command(args: argparse.Namespace) -> list[str]:
    """Return the command line equivalent to the parsed arguments (recorded in record.json).

    ``--jobs`` is left out: it changes how fast the atlas is built, not what it holds.
    """
    cmd = ["yrdgeo", "atlas", "--out", str(args.out)]
    if args.overwrite:
        cmd.append("--overwrite")
    if args.topics:
        cmd += ["--topics", *args.topics]
    for opt in ("attributes", "encoding", "boundaries", "boundaries_layer"):
        if getattr(args, opt):
            cmd += [f"--{opt.replace('_', '-')}", str(getattr(args, opt))]
    if args.columns:
        cmd += ["--columns", *args.columns]
    if args.max_maps != 30:
        cmd += ["--max-maps", str(args.max_maps)]
    if args.strict:
        cmd.append("--strict")
    cmd += ["--page", args.page, "--dpi", str(args.dpi), "--seed", str(args.seed)]
    if args.approval_number:
        cmd += ["--approval-number", args.approval_number]
    return cmd


def _atlas(args: argparse.Namespace) -> int:
    from .. import atlas  # here, not at import: matplotlib, esda… would slow every yrdgeo command

    if args.list_topics:
        for row in atlas.list_topics().itertuples(index=False):
            print(f"{row.name:11s} {'default' if row.default else 'on request':10s} {row.title}")
        return 0
    import warnings

    from ..inputs import InputWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            result = atlas.build_atlas(
                args.out, topics=args.topics, overwrite=args.overwrite, attributes=args.attributes,
                boundaries=args.boundaries, page=args.page, dpi=args.dpi, seed=args.seed, progress=not args.quiet,
                command=_command(args), encoding=args.encoding, columns=args.columns, max_maps=args.max_maps,
                boundaries_layer=args.boundaries_layer, strict=args.strict,
                approval_number=args.approval_number, jobs=args.jobs,
            )
        finally:
            for w in caught:
                if issubclass(w.category, InputWarning):
                    for line in str(w.message).splitlines():
                        print(f"yrdgeo: note: {line}", file=sys.stderr)
    # Other warnings go back to the normal channel, outside the recording block (re-issuing them inside it
    # would append to the list being read, without end).
    for w in caught:
        if not issubclass(w.category, InputWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    n_maps = len(result.maps)
    print(f"wrote the atlas to {result.out}: {len(result.topics)} topics, {len(result.layers)} layers in "
          f"{result.gpkg.name}, {n_maps} maps, {result.report.name}, {result.html.name}, {result.record.name} "
          f"({result.seconds:.1f} s)")
    return 0
