"""Subcommands: ``units`` (export a level), ``resolve`` (a name to a unit), ``groups`` (region groups)."""

from __future__ import annotations

import argparse

from .. import io, regions, units
from . import check_outputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("units", help="export YRD units of one level to GeoPackage/GeoJSON/CSV")
    p.add_argument("--level", choices=units.LEVELS, default="city")
    p.add_argument("--province", action="append", help="limit to a province (repeatable), any name or code")
    p.add_argument("--out", required=True, help="output file: .gpkg, .geojson or .csv")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    p.set_defaults(func=_units)

    p = sub.add_parser("resolve", help="resolve a name or adcode to one YRD unit")
    p.add_argument("name", help="adcode, Chinese name, pinyin or English name")
    p.add_argument("--level", choices=units.LEVELS)
    p.set_defaults(func=_resolve)

    p = sub.add_parser("groups", help="list region groups, or export a group's members")
    p.add_argument("group", nargs="?", help="group id or series (omit to list groups)")
    p.add_argument("--as-of", help="date for the membership, e.g. 2017-12-31 (2017 alone: its 31 December)")
    p.add_argument("--out", help="output file for the members (.gpkg/.geojson/.csv); prints them if omitted")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=_groups)


def _units(args: argparse.Namespace) -> int:
    check_outputs({"--out": args.out}, overwrite=args.overwrite)
    frame = units.load_units(args.level, province=args.province)
    io.write_layers({f"units_{args.level}": frame}, args.out, overwrite=args.overwrite)
    print(f"wrote {len(frame)} {args.level} units to {args.out}")
    return 0


def _resolve(args: argparse.Namespace) -> int:
    row = units.unit(args.name, level=args.level)
    for col in ("adcode", "name_zh", "short_zh", "pinyin", "name_en", "level", "kind",
                "province_zh", "parent_adcode", "anchor_lon", "anchor_lat", "anchor_source"):
        print(f"{col}\t{row[col]}")
    return 0


def _groups(args: argparse.Namespace) -> int:
    if not args.group:
        print(regions.list_groups().drop(columns="note").to_string(index=False))
        return 0
    check_outputs({"--out": args.out}, overwrite=args.overwrite)
    members = regions.group_members(args.group, as_of=args.as_of)
    if args.out:
        io.write_layers({"members": members}, args.out, overwrite=args.overwrite)
        print(f"wrote {len(members)} members to {args.out}")
    else:
        print(members[["adcode", "name_zh", "level", "group_id"]].to_string(index=False))
    return 0
