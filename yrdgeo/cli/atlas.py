"""Subcommand ``atlas``: the YRD atlas on the bundled data."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("atlas", help="build the YRD atlas (GeoPackage, maps, record) into a folder")
    p.add_argument("--out", default="atlas", help="output folder (default: ./atlas)")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty output folder")
    p.set_defaults(func=_atlas)


def _atlas(args: argparse.Namespace) -> int:
    from ..atlas import build_atlas

    out = build_atlas(args.out, overwrite=args.overwrite)
    print(f"atlas written to {out}")
    return 0
