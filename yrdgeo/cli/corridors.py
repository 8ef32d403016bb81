"""Subcommands: ``corridor`` (corridor layers), ``enclaves`` (enclave layers), ``benefit-schedule``.

Thin adapters over :func:`yrdgeo.corridors.analyze_corridor`,
:func:`yrdgeo.enclaves.analyze_enclaves` and
:func:`yrdgeo.enclaves.revenue_schedule`. Input files and the output path
are checked before any work; ``--attributes`` goes through the table gate
and ``--lines`` through the layer gate (:mod:`yrdgeo.inputs`).
"""

from __future__ import annotations

import argparse

import pandas as pd

from .. import corridors, enclaves, io, od, units
from . import add_gate_args, check_input_file, check_outputs, parse_numbers, read_table, read_vector, reading


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "corridor",
        help="list bundled corridors, or export a corridor's members, centrelines, bands and wings",
        description="Without a name or --file, list the bundled corridors. Otherwise export the layers "
                    "corridor_members, corridor_centrelines, corridor_bands, corridor_wings and "
                    "corridor_units to a GeoPackage and print the wing summary.",
    )
    p.add_argument("name", nargs="*", help="bundled corridor id or name (g60, hu_ning_he, hu_hang_yong)")
    p.add_argument("--file", help="a corridor CSV in the members.csv format (wing, order, unit_zh/adcode)")
    p.add_argument("--corridor-id", help="which corridor of a --file holding several")
    p.add_argument("--version", help="corridor version, e.g. 2.0")
    p.add_argument("--as-of", help="date, e.g. 2017-12-31 (2017 alone: its 31 December): the version in force then")
    p.add_argument("--lines", help="transport lines (GeoPackage/GeoJSON/Shapefile with a wing column) "
                                   "replacing the seat-to-seat centrelines")
    p.add_argument("--lines-layer", help="layer of a --lines GeoPackage")
    p.add_argument("--width-km", type=float, default=30.0,
                   help="band distance on each side of the centreline, km (default 30)")
    p.add_argument("--units", default="county", choices=(*units.LEVELS, "none"),
                   help="level of the units tested against the band (default %(default)s; none to skip)")
    p.add_argument("--attributes", help="CSV with an adcode column and numeric columns to summarise per wing")
    p.add_argument("--columns", nargs="+", help="attribute columns to use (default all numeric)")
    p.add_argument("--agg", default="sum", choices=corridors.AGGREGATIONS,
                   help="aggregation for attributes (default %(default)s)")
    p.add_argument("--locate", action="append", metavar="UNIT",
                   help="print the nearest wing and chainage (km from the hub) of a unit (repeatable)")
    p.add_argument("--out", help="output GeoPackage (.gpkg)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    add_gate_args(p)
    p.set_defaults(func=_corridor)

    p = sub.add_parser(
        "enclaves",
        help="export enclave pairs (ends, desire lines, network nodes) or print the registry",
        description="Bundled enclave pairs and cross-border cooperation zones (from the papers in "
                    "yrdgeo/data/reference/sources.csv), optionally "
                    "extended by your own table; two-way pairs are detected. Writes the layers enclave_ends, "
                    "enclave_desire_lines and enclave_nodes.",
    )
    p.add_argument("--extra", action="append", help="your pairs: CSV or GeoPackage table (repeatable)")
    p.add_argument("--no-bundled", action="store_true", help="leave out the bundled pairs")
    p.add_argument("--no-cooperation-zones", action="store_true", help="leave out the bundled cooperation zones")
    p.add_argument("--two-way-level", default="city", choices=units.LEVELS,
                   help="level at which opposite pairs are matched as two-way (default %(default)s)")
    p.add_argument("--travel-time", help="CSV of minutes: from_adcode,to_adcode,minutes or a square matrix")
    p.add_argument("--attributes", help="attribute table (CSV/.xlsx; units by code or name): gradients fly-out vs fly-in")
    p.add_argument("--columns", nargs="+", help="attribute columns to use (default all numeric)")
    p.add_argument("--roll-up", choices=units.LEVELS[:2], help="look ends up as their city/province in --attributes")
    p.add_argument("--graph-level", default="city", choices=units.LEVELS,
                   help="level of the network nodes (default %(default)s)")
    p.add_argument("--out", help="output GeoPackage (.gpkg); prints the registry if omitted")
    p.add_argument("--overwrite", action="store_true")
    add_gate_args(p, layers=False)
    p.set_defaults(func=_enclaves)

    p = sub.add_parser("benefit-schedule", help="year-by-year revenue split between fly-out and fly-in side")
    p.add_argument("--revenue", required=True, type=float, nargs="+",
                   help="revenue per year: one figure (with --years) or one per year")
    p.add_argument("--years", type=int, help="number of years (with a single --revenue figure)")
    p.add_argument("--preset", default=enclaves.SHANGHAI_DISTRICT_RULE.name,
                   choices=[*enclaves.PRESETS, *enclaves.PRESETS.former],  # former names: deprecated, still read
                   help="preset schedule (default: the Shanghai district's revenue-sharing rule)")
    p.add_argument("--shares", help="user schedule: fly-out share per year, comma separated, e.g. 0.3,0.3,0.2")
    p.add_argument("--after", type=float, default=0.0, help="fly-out share after the --shares years (default 0)")
    p.add_argument("--start-year", type=int, help="calendar year of the first production year")
    p.add_argument("--out", help="output CSV; prints the table if omitted")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=_benefit)


def _read_attributes(args: argparse.Namespace) -> pd.DataFrame | None:
    """Return ``--attributes`` through the table gate: ``adcode`` and the indicator columns (or None)."""
    if args.attributes is None:
        return None
    table = read_table(args.attributes, option="--attributes", encoding=args.encoding, strict=args.strict,
                       columns=args.columns)
    return table.data[["adcode", *table.indicators]]


def _corridor(args: argparse.Namespace) -> int:
    if not args.name and not args.file:
        cat = corridors.list_corridors()
        print(cat[["corridor_id", "name_zh", "name_en", "versions", "n_members", "sources"]].to_string(index=False))
        return 0
    if args.version and args.as_of:
        msg = "pass either --version or --as-of, not both"
        raise ValueError(msg)
    if args.lines_layer and not args.lines:
        msg = "--lines-layer names a layer of --lines; pass --lines too"
        raise ValueError(msg)
    check_outputs({"--out": args.out}, overwrite=args.overwrite, inputs=(args.file, args.lines, args.attributes),
                  suffixes={"--out": (".gpkg",)})
    for option in ("file", "attributes"):
        if getattr(args, option):
            check_input_file(getattr(args, option), option=f"--{option}")
    items = []
    if args.file:
        with reading(args.file, option="--file"):
            items.append(corridors.read_corridor(args.file, corridor_id=args.corridor_id))
    for name in args.name:
        items.append(corridors.load_corridor(name))
    if args.version:
        items = [c.at_version(args.version) for c in items]
    elif args.as_of:
        items = [c.as_of(args.as_of) for c in items]
    if args.lines:
        lines = read_vector(args.lines, option="--lines", layer=args.lines_layer, layer_option="--lines-layer",
                            geometry="line", key=None, strict=args.strict)
        items = [c.with_lines(lines[lines["wing"].isin(c.wings)]) if "wing" in lines.columns else c.with_lines(lines)
                 for c in items]
    level = None if args.units == "none" else args.units
    attributes = _read_attributes(args)
    for c in items:  # refuse unknown --locate names before anything is computed or written
        if args.locate:
            corridors.locate(c, args.locate)
    results = [corridors.analyze_corridor(c, args.width_km, units=level, attributes=attributes,
                                          columns=args.columns, agg=args.agg) for c in items]
    if args.out:
        layers = corridors.combine_layers(results)
        io.write_layers(layers, args.out, overwrite=args.overwrite)
        print(f"wrote {', '.join(f'{k} ({len(v)})' for k, v in layers.items())} to {args.out}")
    for r in results:
        print(r.summary.drop(columns=["units_zh"]).to_string(index=False))
        if args.locate:
            loc = corridors.locate(r.corridor, args.locate)
            loc.insert(0, "corridor_id", r.corridor.corridor_id)
            print(loc.to_string(index=False))
    return 0


def _enclaves(args: argparse.Namespace) -> int:
    extra = list(args.extra or [])
    check_outputs({"--out": args.out}, overwrite=args.overwrite, inputs=(*extra, args.travel_time, args.attributes),
                  suffixes={"--out": (".gpkg",)})
    for option, path in [*(("--extra", e) for e in extra), ("--travel-time", args.travel_time),
                         ("--attributes", args.attributes)]:
        if path:
            check_input_file(path, option=option)
    attributes = _read_attributes(args)
    for path in extra:  # read each file once on its own, so that an unreadable one is named in the message
        with reading(path, option="--extra"):
            enclaves.read_enclave_pairs(path)
    pairs = enclaves.enclave_pairs(extra or None, bundled=not args.no_bundled,
                                   cooperation_zones=not args.no_cooperation_zones, level=args.two_way_level)
    travel = None
    if args.travel_time:
        with reading(args.travel_time, option="--travel-time"):
            travel = od.read(args.travel_time, encoding=args.encoding)
    result = enclaves.analyze_enclaves(pairs, travel_time=travel, attributes=attributes,
                                       columns=args.columns, roll_up=args.roll_up, graph_level=args.graph_level)
    if args.out:
        layers = result.layers()
        io.write_layers(layers, args.out, overwrite=args.overwrite)
        print(f"wrote {', '.join(f'{k} ({len(v)})' for k, v in layers.items())} to {args.out}")
    cols = ["pair_id", "fly_out_zh", "fly_in_zh", "kind", "pattern", "cross_province", "distance_km"]
    if "travel_time_min" in result.lines.columns:
        cols.append("travel_time_min")
    print(pd.DataFrame(result.lines[cols]).to_string(index=False))
    print(f"cross-province share of directed pairs: {result.network.cross_province_share:.3f}")
    return 0


def _benefit(args: argparse.Namespace) -> int:
    if args.shares:
        shares = parse_numbers(args.shares, option="--shares", example="0.3,0.3,0.2")
        schedule = enclaves.SharingSchedule.from_shares(shares, after=args.after)
    else:
        schedule = enclaves.PRESETS[args.preset]
    revenue = args.revenue[0] if len(args.revenue) == 1 and args.years else args.revenue
    check_outputs({"--out": args.out}, overwrite=args.overwrite)
    table = enclaves.revenue_schedule(revenue, schedule=schedule, years=args.years, start_year=args.start_year)
    if args.out:
        io.write_layers({"schedule": table}, args.out, overwrite=args.overwrite)
        print(f"wrote {len(table)} years to {args.out}")
    else:
        print(table.to_string(index=False))
    return 0
