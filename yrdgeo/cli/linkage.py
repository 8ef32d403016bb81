"""Subcommand ``linkage``: gravity-model economic linkage (经济联系强度) and affiliation between the units of a table.

A thin adapter over :func:`yrdgeo.linkage.gravity_linkage`: the user's table (population and GDP per
unit) goes through the table gate, every output path is checked before any work, and the outputs
(pairs, per-unit totals, desire lines) are written all or none.
"""

from __future__ import annotations

import argparse

import pandas as pd

from .. import choices, io, units
from . import add_gate_args, check_outputs, read_table, write_outputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "linkage", help="gravity-model economic linkage R_ij and affiliation F_ij between units (population, GDP)",
        description="R_ij = k·√(P_i·G_i)·√(P_j·G_j)/D_ij^b with P and G from your table and D the seat-to-seat "
                    "geodesic distance (km) or the travel time (minutes) over the bundled network as open on "
                    "--date; F_ij = R_ij/Σ_j R_ij. Pairs the network cannot connect have no R (empty, status "
                    "says why). The bundled data has no population or GDP: they come from your table.",
    )
    p.add_argument("table", metavar="TABLE", help="your table (CSV/XLSX/GPKG), one row per unit, named or by adcode")
    p.add_argument("--population", required=True, help="column of TABLE holding the population P")
    p.add_argument("--gdp", required=True, help="column of TABLE holding GDP G")
    p.add_argument("--key", help="unit column of TABLE (default: adcode, or the first name column found)")
    p.add_argument("--level", choices=units.LEVELS, default="city", help="unit level of TABLE (default %(default)s)")
    p.add_argument("--distance", choices=choices.LINKAGE_DISTANCES, default="geodesic",
                   help="D: geodesic seat distance (km) or network travel time (min) (default %(default)s)")
    p.add_argument("--date", help="travel_time: the network as open on this date (2010-01-01; a year means its end)")
    p.add_argument("--undated", choices=choices.UNDATED_POLICIES, default="keep",
                   help="travel_time: links without an opening date (the road proxy; default %(default)s)")
    p.add_argument("--b", type=float, default=2.0, help="distance-decay exponent b (default %(default)s)")
    p.add_argument("--k", type=float, default=1.0, help="gravity constant k (default %(default)s)")
    p.add_argument("--top", type=int, default=10, help="links printed and drawn in --lines, strongest first "
                                                      "(default %(default)s; 0: every linked pair)")
    p.add_argument("--out", required=True, help="output .csv: one row per ordered pair (i, j, names, D, D_unit, R, F, "
                                                "status)")
    p.add_argument("--totals", help="output .csv: one row per unit (population, gdp, mass, R_total, n_linked, "
                                    "n_unreachable)")
    p.add_argument("--lines", help="output .gpkg/.geojson: the --top links as geodesic desire lines between seats")
    p.add_argument("--overwrite", action="store_true", help="replace existing output files")
    add_gate_args(p, layers=False)
    p.set_defaults(func=_linkage)


def _linkage(args: argparse.Namespace) -> int:
    from .. import linkage  # here, not at import: it loads the network (scipy)

    if args.top < 0:
        msg = f"--top must be a whole number >= 0 (0: every linked pair), got {args.top}"
        raise ValueError(msg)
    check_outputs({"--out": args.out, "--totals": args.totals, "--lines": args.lines}, overwrite=args.overwrite,
                  inputs=(args.table,), suffixes={"--out": (".csv",), "--totals": (".csv",),
                                                  "--lines": (".gpkg", ".geojson", ".json")})
    table = read_table(args.table, option="TABLE", encoding=args.encoding, strict=args.strict, key=args.key,
                       level=args.level, columns=[args.population, args.gdp])
    res = linkage.gravity_linkage(table, population=args.population, gdp=args.gdp, distance=args.distance,
                                  date=args.date, undated=args.undated,
                                  b=args.b, k=args.k)
    n = args.top or None
    write_outputs([
        (args.out, lambda tmp: io.write_layers({"linkage_pairs": res.pairs}, tmp)),
        (args.totals, lambda tmp: io.write_layers({"linkage_totals": res.totals}, tmp)),
        (args.lines, lambda tmp: io.write_layers({"linkage_lines": res.desire_lines(n)}, tmp)),
    ], overwrite=args.overwrite)
    print(res.explanation)
    top = res.top_links(n)[["i_name", "j_name", "D", "R", "F", "F_ji"]]
    print(pd.DataFrame(top).to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print(f"wrote {len(res.pairs)} pairs to {args.out}" + "".join(
        f", {what} to {path}" for what, path in (("totals", args.totals), ("desire lines", args.lines)) if path))
    return 0

