"""Subcommands: ``coordination`` (coupling coordination degree) and ``inequality`` (Theil, Gini, CV over years).

Thin adapters over :mod:`yrdgeo.coordination` and :mod:`yrdgeo.inequality`: they parse options, read
the table through the input gate, call the library and write its tables (all or none).
"""

from __future__ import annotations

import argparse

from .. import io
from ..choices import GROUP_LEVELS  # light: building the parser must not import PySAL inequality
from . import add_gate_args, check_input_file, check_outputs, parse_numbers, read_table, reading, write_outputs

_SUFFIXES = (".csv", ".gpkg")


def _system(text: str) -> tuple[str, dict[str, str]]:
    """Parse ``NAME=col1,col2:cost,col3`` into (name, {column: direction}); a column is a benefit unless ``:cost``."""
    name, sep, rest = text.partition("=")
    if not sep or not name.strip() or not rest.strip():
        msg = f"--system {text!r}: expected NAME=COLUMN[:benefit|cost],COLUMN…, e.g. economy=gdp_pc,revenue"
        raise ValueError(msg)
    criteria = {}
    for item in rest.split(","):
        column, _, direction = item.strip().partition(":")
        criteria[column.strip()] = direction.strip().lower() or "benefit"
    return name.strip(), criteria


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [c.strip() for c in text.split(",") if c.strip()]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "coordination", help="coupling coordination degree (耦合协调度) C, T, D and grade of two or three subsystems",
        description="Coupling coordination of two or three subsystems: C = k·(∏U)^(1/k)/ΣU, T = Σα·U, D = √(C·T), "
                    "graded in ten 0.1-wide bands (极度失调 … 优质协调). Give each subsystem's criteria with "
                    "--system (its index U by the entropy method), or precomputed indices in [0, 1] with --indices.",
    )
    p.add_argument("table", help="one row per unit (CSV/XLSX/GPKG), units by adcode or name")
    p.add_argument("--system", action="append", default=[],
                   help="NAME=COLUMN[:benefit|cost],COLUMN…: a subsystem and its criteria (repeat 2 or 3 times)")
    p.add_argument("--indices", help="comma-separated index columns already in [0, 1] (instead of --system)")
    p.add_argument("--weights", help="α,β[,γ] of T, summing to 1 (default equal)")
    p.add_argument("--epsilon", type=float, default=0.0, help="entropy step shift of x' (0: 0·ln0 = 0)")
    p.add_argument("--key", help="unit column of the table (default: the gate finds adcode or names)")
    p.add_argument("--out", required=True, help="the table with U columns, C, T, D, grade (.csv/.gpkg)")
    p.add_argument("--overwrite", action="store_true")
    add_gate_args(p, layers=False)
    p.set_defaults(func=_coordination)

    p = sub.add_parser(
        "inequality", help="regional inequality over years: Theil T and L (between/within groups), Gini, CV",
        description="Theil T and L with their between/within-group decomposition, Gini and coefficient of "
                    "variation of a value, one row per year. Wide table: --columns, one per year; long table: "
                    "--value and --year.",
    )
    p.add_argument("table", help="one row per unit (wide) or per unit-year (long), units by adcode or name")
    p.add_argument("--columns", help="value columns, one per year, e.g. ratio_2011,ratio_2019")
    p.add_argument("--value", help="long table: the value column")
    p.add_argument("--year", help="long table: the year column")
    p.add_argument("--by", default="province",
                   help=f"groups of the decomposition: {' or '.join(GROUP_LEVELS)} (the unit's own), a "
                        "column of the table, or 'none' (default %(default)s)")
    p.add_argument("--weights", help="weight column(s), e.g. population; wide: one, or one per --columns "
                   "(default: every unit alike)")
    p.add_argument("--key", help="unit column of the table (default: the gate finds adcode or names)")
    p.add_argument("--out", required=True, help="one row per year (.csv/.gpkg)")
    p.add_argument("--groups", help="also write the group table: one row per year and group")
    p.add_argument("--overwrite", action="store_true")
    add_gate_args(p, layers=False)
    p.set_defaults(func=_inequality)


def _coordination(args: argparse.Namespace) -> int:
    from .. import coordination

    if bool(args.system) == bool(args.indices):
        msg = "give the subsystems with --system (2 or 3 times) or their index columns with --indices, not both"
        raise ValueError(msg)
    systems = dict(_system(s) for s in args.system) if args.system else _split(args.indices)
    if args.system and len(systems) != len(args.system):
        msg = f"--system names a subsystem twice: {[s.partition('=')[0] for s in args.system]}"
        raise ValueError(msg)
    weights = parse_numbers(args.weights, option="--weights", example="0.5,0.5") if args.weights else None
    check_outputs({"--out": args.out}, overwrite=args.overwrite, inputs=(args.table,), suffixes={"--out": _SUFFIXES})
    columns = [c for crit in systems.values() for c in crit] if args.system else systems
    table = read_table(args.table, option="table", encoding=args.encoding, strict=args.strict, key=args.key,
                       columns=columns)
    res = coordination.coupling_coordination(table.data, systems, weights=weights, epsilon=args.epsilon,
                                             label="adcode")
    write_outputs([(args.out, lambda tmp: io.write_layers({"coordination": res.frame}, tmp))],
                  overwrite=args.overwrite)
    show = [c for c in ("adcode", "name_zh") if c in res.frame.columns] + res.columns + ["C", "T", "D", "grade"]
    print(res.frame[show].round(4).to_string(index=False))
    print(res.grade_counts()[lambda s: s > 0].to_string())
    return 0


def _inequality(args: argparse.Namespace) -> int:
    from .. import inequality

    columns = _split(args.columns)
    weights = _split(args.weights)
    if weights is not None and len(weights) == 1:
        weights = weights[0]
    by = None if args.by == "none" else args.by
    check_outputs({"--out": args.out, "--groups": args.groups}, overwrite=args.overwrite, inputs=(args.table,),
                  suffixes={"--out": _SUFFIXES, "--groups": _SUFFIXES})
    check_input_file(args.table, option="table")
    with reading(args.table, option="table"):
        res = inequality.regional_inequality(args.table, columns, value=args.value, year=args.year, by=by,
                                             weights=weights, key=args.key, encoding=args.encoding,
                                             strict=args.strict)
    write_outputs([(args.out, lambda tmp: io.write_layers({"inequality": res.frame}, tmp)),
                   (args.groups, lambda tmp: io.write_layers({"groups": res.groups}, tmp))],
                  overwrite=args.overwrite)
    print(res.frame.drop(columns=["column"]).set_index("year").T.round(6).to_string())
    return 0
