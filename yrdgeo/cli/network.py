"""Subcommands: ``network`` (export the bundled network, list its lines), ``access`` (indicators per unit),
``access-change`` (time to a centre on two dates), ``od`` (travel-time matrix), ``isochrone`` (bands from an origin).

Each is a thin adapter over :mod:`yrdgeo.network` and :mod:`yrdgeo.accessibility`. The output path and
``--network`` are checked before the network is built; a line layer goes through the layer gate
(:mod:`yrdgeo.inputs`). ``od`` writes the library's OD table format (:mod:`yrdgeo.od`): the long table by
default, the square matrix with ``--wide``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Callable

import pandas as pd

from .. import choices, io, od, units
from . import check_input_file, check_outputs, parse_numbers, read_vector, reading

if TYPE_CHECKING:
    from ..network import Network

# The parser takes its lists from the light yrdgeo.choices; the network and accessibility modules (scipy) are
# imported by the commands, so ``--help`` stays instant.


def _command(sub: argparse._SubParsersAction, name: str, help: str,  # noqa: A002 - argparse's own word
             func: Callable[[argparse.Namespace], int], *, unit_args: bool = True) -> argparse.ArgumentParser:
    """Return a new subcommand parser with the options every command here shares; the caller adds its own.

    Shared: ``--overwrite``, the network options (an argument group of their own in ``--help``) and,
    with ``unit_args``, the units (``--level``, ``--province``).
    """
    p = sub.add_parser(name, help=help)
    if unit_args:
        p.add_argument("--level", choices=units.LEVELS[1:], default="county", help="unit level (default %(default)s)")
        p.add_argument("--province", action="append", help="limit to a province (repeatable)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    g = p.add_argument_group("network", "the bundled YRD network, or your own with --network")
    g.add_argument("--date", help="use the network open on this date (2010-01-01; a year or month means its "
                                  "last day, as for opening dates)")
    g.add_argument("--undated", choices=choices.UNDATED_POLICIES, default="keep",
                   help="links without an opening date (road proxy; default %(default)s)")
    g.add_argument("--network", dest="network_file",
                   help="your own network instead of the bundled one: .osm/.osm.pbf extract or a line layer (.gpkg/.shp)")
    g.add_argument("--speed-field", help="line layer: speed column (km/h)")
    g.add_argument("--time-field", help="line layer: travel-time column (minutes)")
    g.add_argument("--default-speed", type=float, help="line layer: speed for rows without one (km/h)")
    g.add_argument("--layer", help="line layer: layer name in a multi-layer file")
    g.add_argument("--strict", action="store_true", help="line layer: refuse invalid geometries instead of repairing them")
    g.add_argument("--snap-m", type=float, default=5.0, help="line layer: snap line ends within this many metres")
    g.add_argument("--node", choices=choices.NODING, default=choices.NODING[0],
                   help="line layer: where lines join (default %(default)s: shared vertices and line ends; "
                        "crossings: also where lines cross; endpoints: only at line ends)")
    g.add_argument("--level-field", help="line layer: level column (bridge/tunnel/ground): lines join inside only "
                                         "at equal levels")
    g.add_argument("--access-speed", type=float, default=choices.ACCESS_SPEED_KMH,
                   help="km/h from a unit's seat to the network (straight line)")
    g.add_argument("--k-nearest", type=int, default=choices.K_NEAREST, help="network nodes a seat may use")
    g.add_argument("--max-access-km", type=float, help="seats farther than this from every node have no access")
    p.set_defaults(func=func)
    return p


def build_network(args: argparse.Namespace) -> Network:
    """Return the network the arguments ask for (bundled or the user's file), filtered to ``--date``."""
    from .. import network

    if getattr(args, "network_file", None):
        path = args.network_file
        low = path.lower()
        check_input_file(path, option="--network", folder_ok=True)
        if low.endswith((".osm", ".osm.xml", ".pbf", ".xml", ".osm.bz2")):
            with reading(path, option="--network"):
                net = network.from_osm(path)
        else:
            lines = read_vector(path, option="--network", layer=args.layer, geometry="line", key=None,
                                strict=args.strict)
            net = network.from_lines(lines, speed=args.speed_field, time=args.time_field,
                                     default_speed_kmh=args.default_speed, snap_m=args.snap_m, node=args.node,
                                     level=args.level_field)
        if args.date or args.undated != "keep":
            net = network.as_of(net, args.date, undated=args.undated)
        return net
    if getattr(args, "layer", None):
        msg = "--layer names a layer of --network; pass --network too"
        raise ValueError(msg)
    return network.load_yrd_network(as_of=args.date, undated=args.undated)


def _check_out(args: argparse.Namespace, *, suffixes: tuple[str, ...] | None = None) -> None:
    """Check ``--out`` before the network is built (never the --network file itself)."""
    check_outputs({"--out": args.out}, overwrite=args.overwrite, inputs=(getattr(args, "network_file", None),),
                  suffixes={"--out": suffixes} if suffixes else None)


def _access_kw(args: argparse.Namespace) -> dict:
    return {"access_speed_kmh": args.access_speed, "k_nearest": args.k_nearest, "max_access_km": args.max_access_km}


def _units(args: argparse.Namespace):
    return units.load_units(args.level, province=args.province)


def register(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "network", "export the bundled YRD intercity network or list its lines", _network,
                 unit_args=False)
    p.add_argument("action", choices=("export", "lines"), help="export: write nodes+edges; lines: print the line table")
    p.add_argument("--out", help="export: output .gpkg (nodes and edges layers) or .geojson/.csv (edges)")

    p = _command(sub, "access", "accessibility indicators per unit (time to a centre, nearest centre, "
                                "cumulative opportunities, Hansen)", _access)
    p.add_argument("--centre", default="上海市", help="named centre (default %(default)s)")
    p.add_argument("--centres", help="comma-separated centres for the nearest-centre time "
                                     "(default 上海市,南京市,杭州市,合肥市)")
    p.add_argument("--thresholds", default="60,90,120", help="minutes for cumulative opportunities")
    p.add_argument("--half-life", type=float, default=60.0, help="Hansen exponential decay half-life in minutes")
    p.add_argument("--out", help="output .gpkg/.geojson/.csv; prints a table if omitted")

    p = _command(sub, "access-change", "travel time to a centre on two dates; who gained most", _change)
    p.add_argument("--before", required=True, help="first date, e.g. 2010-01-01")
    p.add_argument("--after", required=True, help="second date, e.g. 2025-01-01")
    p.add_argument("--centre", default="上海市", help="named centre (default %(default)s)")
    p.add_argument("--top", type=int, default=10, help="print this many largest gains")
    p.add_argument("--out", help="output .gpkg/.geojson/.csv")

    p = _command(sub, "od", "origin–destination travel-time matrix (minutes) between units", _od)
    p.add_argument("--cutoff", type=float, help="stop searches at this many minutes")
    p.add_argument("--out", required=True, help="output .csv: one row per pair (from_adcode, to_adcode, minutes, "
                                                "status; empty minutes = no time, status says why)")
    p.add_argument("--wide", action="store_true",
                   help="write the square matrix instead (origins as rows, destinations as columns; empty = no time)")
    p.add_argument("--jobs", type=int, default=1, help="processes for the searches (default 1; -1 = every core); "
                                                       "the times are the same")
    p.add_argument("--contract", action="store_true", help="contract degree-2 chains first (faster on road graphs "
                                                           "that keep a node at every bend; times agree to ~1e-15)")

    p = _command(sub, "isochrone", "units reachable within time bands of an origin", _isochrone)
    p.add_argument("--origin", required=True, help="origin unit (name or adcode)")
    p.add_argument("--bands", default="30,60,90,120", help="band limits in minutes")
    p.add_argument("--grid-km", type=float, help="use square grid cells of this size (km) over the region instead of units")
    p.add_argument("--shape", choices=choices.ISOCHRONE_SHAPES, default=choices.ISOCHRONE_SHAPES[0],
                   help="%(default)s: every unit/cell with its time and band; polygons: one dissolved polygon per band")
    p.add_argument("--nested", action="store_true", help="with --shape polygons: each band from the origin (0–60 "
                                                         "holds 0–30) instead of rings")
    p.add_argument("--out", help="output .gpkg/.geojson/.csv; prints counts if omitted")


def _network(args: argparse.Namespace) -> int:
    from .. import network

    if args.action == "lines":
        t = network.yrd_lines()
        print(t[["line_id", "line_zh", "mode", "opened", "design_speed_kmh"]].to_string(index=False))
        return 0
    if not args.out:
        msg = "network export needs --out (a .gpkg gets nodes and edges layers)"
        raise ValueError(msg)
    _check_out(args)
    net = build_network(args)
    layers = network.to_layers(net)
    if io.format_for(args.out) != "GPKG":
        layers = {"edges": layers["edges"]}
    io.write_layers(layers, args.out, overwrite=args.overwrite)
    print(f"wrote {net.n_nodes} nodes and {len(net.edges)} edges to {args.out}"
          + (f" (as of {net.as_of}, {net.undated_kept} undated links kept)" if net.as_of else ""))
    return 0


def _access(args: argparse.Namespace) -> int:
    from .. import accessibility

    _check_out(args)
    thresholds = parse_numbers(args.thresholds, option="--thresholds", example="60,90,120")
    net = build_network(args)
    kw = _access_kw(args)
    if args.centres:
        kw["centres"] = [c.strip() for c in args.centres.split(",") if c.strip()]
    res = accessibility.accessibility(net, _units(args), centre=args.centre,
                                      thresholds=thresholds,
                                      half_life_min=args.half_life, **kw)
    frame = res.frame
    n_bad = int((frame["centre_status"] != "ok").sum())
    if args.out:
        io.write_layers({"accessibility": frame}, args.out, overwrite=args.overwrite)
        print(f"wrote {len(frame)} units to {args.out}")
    else:
        cols = ["adcode", "name_zh", "t_centre_min", "centre_status", "t_nearest_min", "nearest_centre", "hansen"]
        print(pd.DataFrame(frame[cols]).to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    if n_bad:
        print(f"{n_bad} units cannot reach {args.centre} on this network (time left empty, centre_status says why)")
    return 0


def _change(args: argparse.Namespace) -> int:
    from .. import accessibility

    if args.date:
        msg = "access-change takes --before and --after, not --date"
        raise ValueError(msg)
    _check_out(args)
    net = build_network(args)
    res = accessibility.compare_dates(net, _units(args), args.before, args.after, centre=args.centre,
                                      undated=args.undated, **_access_kw(args))
    if args.out:
        io.write_layers({"change": res.frame}, args.out, overwrite=args.overwrite)
        print(f"wrote {len(res.frame)} units to {args.out}")
    top = res.top(args.top)[["adcode", "name_zh", "t_before_min", "t_after_min", "gain_min", "change"]]
    print(pd.DataFrame(top).to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    counts = res.frame["change"].value_counts()
    print("; ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


def _od(args: argparse.Namespace) -> int:
    from .. import accessibility

    _check_out(args, suffixes=(".csv",))
    net = build_network(args)
    times = accessibility.od_matrix(net, _units(args), cutoff_min=args.cutoff, n_jobs=args.jobs,
                                    contract=args.contract, **_access_kw(args))
    n_o, n_d = times.minutes.shape
    with io.atomic_path(args.out, overwrite=args.overwrite) as tmp:
        if args.wide:
            times.minutes.to_csv(tmp, index_label="origin", encoding="utf-8")
        else:
            od.to_long(times.minutes, unreachable=times.unreachable).to_csv(tmp, index=False, encoding="utf-8")
    shape = f"{n_o}×{n_d} matrix" if args.wide else f"{n_o * n_d} pairs ({n_o} origins × {n_d} destinations)"
    print(f"wrote {shape} to {args.out}; {len(times.unreachable)} pairs without a time")
    return 0


def _isochrone(args: argparse.Namespace) -> int:
    from .. import accessibility

    _check_out(args)
    bands = parse_numbers(args.bands, option="--bands", example="30,60,90,120")
    net = build_network(args)
    if args.grid_km:
        targets = accessibility.grid(units.load_units("province", province=args.province), cell_km=args.grid_km)
        key = "cell_id"
    else:
        targets, key = _units(args), None
    res = accessibility.isochrones(net, args.origin, targets, bands=bands, key=key, shape=args.shape,
                                   nested=args.nested, **_access_kw(args))
    if args.out:
        io.write_layers({"isochrone": res}, args.out, overwrite=args.overwrite)
        what = "band polygons" if args.shape == "polygons" else ("cells" if args.grid_km else "units")
        print(f"wrote {len(res)} {what} to {args.out}")
    print(res["band"].value_counts().to_string())
    return 0
