"""Subcommands: ``rank`` (fly-in site ranking), ``entropy-index``, ``structure`` (similarity/Krugman/LQ), ``rings``.

Thin adapters over :mod:`yrdgeo.ranking`, :mod:`yrdgeo.indicators` and
:mod:`yrdgeo.raster`: they parse options, call the library and write its
results with :func:`yrdgeo.io.write_layers`. Every input file and output
path is checked before any work; unit tables (``--table`` of ``rank``,
``structure`` and ``rings``) and ``--lines`` go through the input gate
(:mod:`yrdgeo.inputs`); commands with several outputs write all or none.
"""

from __future__ import annotations

import argparse
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import choices, inputs, io, units
from . import (add_gate_args, check_input_file, check_outputs, parse_numbers, read_table, read_vector, reading,
               write_outputs)

if TYPE_CHECKING:
    from ..ranking import Criterion

# The parser takes its lists from the light yrdgeo.choices; ranking and indicators (scipy, through the
# network) are imported by the commands, so ``--help`` stays instant.

#: The measures of ``structure --measure``: name → the name of the :mod:`yrdgeo.indicators` function that
#: computes the matrix (a name, so the parser does not import the library).
MEASURES = {"similarity": "structure_similarity", "krugman": "krugman_index", "lq": "location_quotient"}


def _criterion(text: str) -> Criterion:
    """Parse ``COLUMN:benefit|cost[:min=V][:max=V][:label=TEXT]``."""
    from .. import ranking

    parts = text.split(":")
    if len(parts) < 2:
        msg = f"criterion {text!r}: expected COLUMN:benefit|cost[:min=V][:max=V][:label=TEXT]"
        raise ValueError(msg)
    kw: dict[str, object] = {"column": parts[0], "direction": parts[1].lower()}
    for extra in parts[2:]:
        name, _, value = extra.partition("=")
        if name in ("min", "max"):
            try:
                kw["minimum" if name == "min" else "maximum"] = float(value)
            except ValueError as exc:
                msg = f"criterion {text!r}: {name}= needs a number, got {value!r}"
                raise ValueError(msg) from exc
        elif name == "label":
            kw["label"] = value
        else:
            msg = f"criterion {text!r}: unknown option {name!r} (expected min=, max=, label=)"
            raise ValueError(msg)
    return ranking.Criterion(**kw)


def _filter(text: str) -> Criterion:
    """Parse ``COLUMN[:min=V][:max=V]`` into a filter-only criterion."""
    from ..ranking import Criterion

    column, _, rest = text.partition(":")
    crit = _criterion(f"{column}:benefit" + (f":{rest}" if rest else ""))
    return Criterion(crit.column, minimum=crit.minimum, maximum=crit.maximum, label=crit.label, filter_only=True)


def _weights(text: str) -> str | dict[str, float]:
    if text in choices.RANKING_WEIGHT_METHODS:
        return text
    out: dict[str, float] = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if not sep:
            methods = ", ".join(map(repr, choices.RANKING_WEIGHT_METHODS))
            msg = f"--weights: expected one of {methods} or COL=W,COL=W; got {text!r}"
            raise ValueError(msg)
        try:
            out[name.strip()] = float(value)
        except ValueError as exc:
            msg = f"--weights: weight of {name!r} is not a number: {value!r}"
            raise ValueError(msg) from exc
    return out


def _unit_table(args: argparse.Namespace, *, key: str, level: str | None = None,
                columns: list[str] | None = None) -> pd.DataFrame:
    """Return ``--table`` through the table gate: ``adcode`` and the numeric indicator columns."""
    table = read_table(args.table, option="--table", encoding=args.encoding, strict=args.strict,
                       key=None if key == "adcode" else key, level=level, columns=columns or None)
    # A criterion on a column the gate took for an identifier would silently use the bundled column of that name.
    named = [c.column for c in getattr(args, "parsed_criteria", [])]
    hidden = [c for c in named if c in table.data.columns and c not in table.indicators]
    if hidden:
        msg = (f"--table {args.table}: column(s) {hidden} are identifier or text columns, not indicators "
               f"(indicators: {table.indicators}); rename them if they hold numbers to rank on")
        raise ValueError(msg)
    return table.data[["adcode", *table.indicators]]


def _plain_table(path: str, *, encoding: str | None) -> pd.DataFrame:
    """Return a table that need not be one row per unit (``entropy-index``): CSV or .xlsx, read as is."""
    p = check_input_file(path, option="--table")
    with reading(path, option="--table"):
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(p)
        if p.suffix.lower() in (".csv", ".txt", ".tsv"):
            return pd.read_csv(p, encoding=encoding or "utf-8-sig", sep="\t" if p.suffix.lower() == ".tsv" else ",")
    msg = f"--table {path}: expected a .csv, .tsv, .txt or .xlsx table"
    raise ValueError(msg)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rank", help="rank candidate fly-in sites for one or more fly-out units (TOPSIS / weighted sum, explained)",
        description="Rank candidate fly-in units. Criteria are columns of --table, or computed: distance_km "
                    "(geodesic seat distance from each fly-out unit), travel_min (network travel time in minutes "
                    "from each fly-out unit over the bundled network, whose speeds are modelled, as of "
                    "--travel-time-date; unreachable candidates are excluded with the reason), dem_<stat> (--raster), "
                    "line_distance_km (--lines).",
    )
    p.add_argument("--fly-out", action="append", required=True, help="fly-out unit, name or adcode (repeatable)")
    p.add_argument("--level", choices=units.LEVELS[1:], default="city", help="level of the candidates")
    p.add_argument("--group", help="limit candidates to a region group (see `yrdgeo groups`)")
    p.add_argument("--as-of", help="date for --group membership")
    p.add_argument("--table", help="your attribute table (CSV/XLSX/GPKG), one row per unit")
    p.add_argument("--on", default="adcode", help="key column of --table: adcodes or unit names (default adcode)")
    p.add_argument("--criterion", action="append", required=True, type=str,
                   help="COLUMN:benefit|cost[:min=V][:max=V][:label=TEXT] (repeatable)")
    p.add_argument("--filter", action="append", default=[],
                   help="COLUMN[:min=V][:max=V]: constraint only, not scored, e.g. distance_km:max=300 (repeatable)")
    p.add_argument("--raster", help="raster for zonal statistics, or 'dem' for the bundled 0.2° DEM sample")
    p.add_argument("--raster-stat", action="append", default=[], help="statistic(s) → column <prefix><stat> (default mean)")
    p.add_argument("--raster-prefix", default="dem_", help="prefix of raster columns (default dem_)")
    p.add_argument("--raster-crs", help="CRS of a raster that has none, e.g. EPSG:4326")
    p.add_argument("--reproject", action="store_true", help="transform candidates into the raster's CRS if they differ")
    p.add_argument("--lines", help="line layer (GPKG/GeoJSON/SHP with CRS) → column line_distance_km")
    p.add_argument("--lines-layer", help="layer of a --lines file holding several")
    p.add_argument("--travel-time-date", help="travel_min: links of the bundled network open on this date "
                   "(YYYY-MM-DD); default: all links")
    p.add_argument("--undated", choices=choices.UNDATED_POLICIES, default="keep",
                   help="travel_min: links without an opening date (the road proxy; default %(default)s)")
    p.add_argument("--max-access-km", type=float,
                   help="travel_min: a seat farther than this from any network node has no access (excluded)")
    p.add_argument("--weights", default="entropy",
                   help=f"{', '.join(choices.RANKING_WEIGHT_METHODS)} or COL=W,COL=W (default %(default)s)")
    p.add_argument("--method", choices=choices.RANKING_METHODS, default="topsis")
    p.add_argument("--topsis-input", choices=choices.TOPSIS_INPUTS, default="raw")
    p.add_argument("--missing", choices=choices.RANKING_MISSING, default="error")
    p.add_argument("--out", required=True, help="result layer(s): .gpkg (ranking + explanation + criteria) / .geojson / .csv")
    p.add_argument("--explain", help="also write the explanation table (CSV); several fly-out units: the long pair table")
    p.add_argument("--overwrite", action="store_true")
    add_gate_args(p)
    p.set_defaults(func=_rank)

    p = sub.add_parser("entropy-index", help="entropy-weight composite index (熵权法) of columns of a table")
    p.add_argument("--table", required=True)
    p.add_argument("--criterion", action="append", required=True, help="COLUMN:benefit|cost (repeatable)")
    p.add_argument("--column", default="entropy_index")
    p.add_argument("--epsilon", type=float, default=0.0, help="shift of x' in the entropy step (0: 0·ln0=0)")
    p.add_argument("--missing", choices=choices.INDICATORS_MISSING, default="error")
    p.add_argument("--year", help="year column of a long panel table: global entropy (all years stacked, one set "
                   "of weights, scores comparable across years)")
    p.add_argument("--key", help="unit column of the panel (each unit-year once)")
    p.add_argument("--out", required=True, help="table with the index (.csv); weights go to <out>.weights.csv")
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("--encoding", help="encoding of a CSV --table (default UTF-8), e.g. gbk")
    p.set_defaults(func=_entropy)

    p = sub.add_parser("structure", help="industrial structure similarity, Krugman index or location quotients")
    p.add_argument("--table", required=True, help="one row per unit, one numeric column per sector")
    p.add_argument("--key", default="adcode", help="unit key column (default adcode)")
    p.add_argument("--measure", choices=tuple(MEASURES), default="similarity")
    p.add_argument("--columns", help="comma-separated sector columns, e.g. 第一产业,第二产业,第三产业 (default: every "
                   "numeric column; a total such as 地区生产总值 is refused)")
    p.add_argument("--out", required=True, help="matrix CSV (unit × unit, or unit × sector for lq)")
    p.add_argument("--lines", help="also write a seat-to-seat line layer of the matrix (.gpkg/.geojson)")
    p.add_argument("--overwrite", action="store_true")
    add_gate_args(p, layers=False)
    p.set_defaults(func=_structure)

    p = sub.add_parser("rings", help="rings (bands of distance or travel time: 内圈/中圈/外圈) around a centre")
    p.add_argument("--centre", required=True, help="centre unit (its seat), name or adcode")
    p.add_argument("--breaks", required=True, help="increasing upper bounds, e.g. 100,200,300 (km or minutes)")
    p.add_argument("--level", choices=units.LEVELS, default="city")
    p.add_argument("--table", help="table with a travel-time column, joined by --on")
    p.add_argument("--on", default="adcode")
    p.add_argument("--by", default="distance", help="'distance' (geodesic km) or a column of --table")
    p.add_argument("--labels", help="comma-separated ring labels (default 内圈,中圈,外圈 for 3 rings)")
    p.add_argument("--out", required=True)
    p.add_argument("--overwrite", action="store_true")
    add_gate_args(p, layers=False)
    p.set_defaults(func=_rings)


def _rank(args: argparse.Namespace) -> int:
    from .. import ranking

    crits = [_criterion(c) for c in args.criterion] + [_filter(f) for f in args.filter]
    weights = _weights(args.weights)
    args.parsed_criteria = crits
    raster_file = args.raster if args.raster and args.raster != "dem" else None
    check_outputs({"--out": args.out, "--explain": args.explain}, overwrite=args.overwrite,
                  inputs=(args.table, args.lines, raster_file))
    if len(args.fly_out) > 1 and io.format_for(args.out) != "GPKG":
        msg = "several --fly-out units give several layers: use a .gpkg --out"
        raise ValueError(msg)
    if raster_file:
        check_input_file(raster_file, option="--raster")
    table = _unit_table(args, key=args.on, level=args.level) if args.table else None
    lines = (read_vector(args.lines, option="--lines", layer=args.lines_layer, layer_option="--lines-layer",
                         geometry="line", key=None, strict=args.strict) if args.lines else None)
    cand = ranking.build_candidates(
        level=args.level, group=args.group, as_of=args.as_of, table=table, on="adcode",
        raster=args.raster, raster_stats=args.raster_stat, raster_prefix=args.raster_prefix,
        raster_crs=args.raster_crs, reproject=args.reproject, lines=lines,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = ranking.pairing_matrix(args.fly_out, cand, crits, weights=weights, method=args.method,
                                     topsis_input=args.topsis_input, missing=args.missing,
                                     travel_time_as_of=args.travel_time_date, undated=args.undated,
                                     max_access_km=args.max_access_km)
    for w in caught:
        print(f"yrdgeo: warning: {w.message}")
    if len(res.results) == 1:
        (code, r), = res.results.items()
        layers = {"ranking": r.frame, "explanation": r.explanation, "criteria": r.criteria_table.reset_index()}
        if io.format_for(args.out) != "GPKG":
            layers = {"ranking": r.frame}
        write_outputs([(args.out, lambda tmp: io.write_layers(layers, tmp)),
                       (args.explain, lambda tmp: io.write_layers({"explanation": r.explanation}, tmp))],
                      overwrite=args.overwrite)
        print(f"ranked {r.n_ranked} of {len(r.frame)} candidates for {units.unit(code).name_zh} "
              f"({r.method}, {r.weight_source} weights: {r.weights.round(4).to_dict()})")
        print(r.explanation.head(10)[[c for c in (r.key, "name_zh", "rank", "score") if c in r.frame.columns]]
              .to_string(index=False))
        return 0
    long = res.long()
    layers = {"pairs": long, "scores": res.scores.reset_index(), "weights": res.weights.reset_index(),
              "best": res.best}
    layers.update({f"ranking_{o}": r.frame for o, r in res.results.items()})
    write_outputs([(args.out, lambda tmp: io.write_layers(layers, tmp)),
                   (args.explain, lambda tmp: io.write_layers({"pairs": long}, tmp))], overwrite=args.overwrite)
    print(res.best.to_string(index=False))
    return 0


def _entropy(args: argparse.Namespace) -> int:
    from .. import indicators

    directions = {}
    for text in args.criterion:
        col, _, direction = text.partition(":")
        directions[col] = direction or "benefit"
    out = Path(args.out)
    wout = out.with_suffix(".weights.csv")
    check_outputs({"--out": out, "--out (weights)": wout}, overwrite=args.overwrite, inputs=(args.table,),
                  suffixes={"--out": (".csv",), "--out (weights)": (".csv",)})
    frame = _entropy_table(args, list(directions))
    res = indicators.entropy_index(frame, directions, column=args.column,
                                   epsilon=args.epsilon, missing=args.missing, year=args.year, key=args.key)
    weights = pd.DataFrame({"weight": res.weights, "entropy": res.entropy, "divergence": res.divergence})
    table = weights.rename_axis("criterion").reset_index()
    write_outputs([(out, lambda tmp: io.write_layers({"index": pd.DataFrame(res.frame)}, tmp)),
                   (wout, lambda tmp: io.write_layers({"weights": table}, tmp))], overwrite=args.overwrite)
    print(weights.round(6).to_string())
    return 0


def _entropy_table(args: argparse.Namespace, criteria: list[str]) -> pd.DataFrame:
    """Return the rows ``entropy-index`` scores: units only, each once, criterion columns as numbers.

    Without ``--year`` a table of units goes through the table gate (total rows set aside and reported,
    a unit listed twice refused, yearbook numbers parsed, encoding detected or ``--encoding``). A panel
    (``--year``), or a table with no column that names units (rows of any kind), is read as is, with its
    total rows set aside and its duplicated rows refused by :func:`_loose_rows`.
    """
    if args.year is None:
        try:
            table = read_table(args.table, option="--table", encoding=args.encoding, key=args.key)
        except inputs.InputError:
            if args.key is not None or _names_units(args):
                raise
        else:
            # A criterion on a column the gate kept as an identifier would be scored as text, or not at all.
            hidden = [c for c in criteria if c in table.data.columns and c not in table.indicators]
            if hidden:
                msg = (f"--table {args.table}: column(s) {hidden} are identifier or text columns, not indicators "
                       f"(indicators: {table.indicators})")
                raise ValueError(msg)
            return table.data
    return _loose_rows(_plain_table(args.table, encoding=args.encoding), criteria, args=args)


def _names_units(args: argparse.Namespace) -> bool:
    """Return whether ``--table`` has a unit column the gate knows (so its refusal stands); False if unreadable."""
    try:
        cols = _plain_table(args.table, encoding=args.encoding).columns
    except (ValueError, UnicodeError):
        return True  # unreadable as plain text too: the gate's message is the one to show
    return any(str(c).strip() in inputs.KEY_COLUMNS + inputs.NAME_COLUMNS for c in cols)


def _loose_rows(frame: pd.DataFrame, criteria: list[str], *, args: argparse.Namespace) -> pd.DataFrame:
    """Return ``frame`` without its total rows (reported), refusing a (unit[, year]) given twice.

    The unit column is ``--key``, else the first code or name column the table gate knows, else the first
    text column. Rows are numbered from 1 under the header. Criterion cells written as yearbooks write them
    (``1,234.5``, ``12.5%``, ``—``) are parsed as the gate parses them, and reported.
    """
    where = f"--table {args.table}"
    known = [c for c in inputs.KEY_COLUMNS + inputs.NAME_COLUMNS if c in frame.columns]
    text = [c for c in frame.columns if c != args.year and not pd.api.types.is_numeric_dtype(frame[c])]
    unit = args.key or (known or text or [None])[0]
    if unit is not None and unit not in frame.columns:
        msg = f"{where}: --key column {unit!r} not in the table; its columns: {list(frame.columns)}"
        raise ValueError(msg)
    out = frame
    report = inputs.InputReport(str(args.table), "--table")
    if unit is not None:
        names = frame[unit].map(lambda v: str(v).strip())
        total = names.map(lambda t: t.lower() in inputs.TOTAL_NAMES
                          or re.fullmatch(r"(合计|总计|全省|全市)[:：(（].*", t) is not None)
        for i in [int(j) for j in total.to_numpy().nonzero()[0]]:
            report.add("row", f"row {i + 1}, column {unit!r}", names.iloc[i], "a total row: set aside, not scored")
        out = frame.loc[~total.to_numpy()]
        by = [unit] + ([args.year] if args.year is not None else [])
        dup = out.duplicated(by, keep=False)
        if dup.any():
            first = out.loc[dup, by].iloc[0]
            same = (out[by] == first).all(axis=1)
            rows = [str(frame.index.get_loc(i) + 1) for i in out.index[same]]
            what = ", ".join(str(v) for v in first.tolist())
            msg = (f"{where}: ({what}) appears in rows {', '.join(rows)} (counting from the first row under the "
                   f"header); give one row per {'unit-year' if args.year else 'unit'}")
            raise ValueError(msg)
    parsed = {}
    for c in criteria:
        if c in out.columns and not pd.api.types.is_numeric_dtype(out[c]):
            rows = [f"row {frame.index.get_loc(i) + 1}" for i in out.index]
            parsed[c] = inputs.parse_numbers(out[c], column=c, report=report, rows=rows)[0]
    if parsed:
        out = out.assign(**parsed)  # a copy: the table as read stays as read
    report.emit(stacklevel=2)  # shown as ``yrdgeo: warning:`` lines, as the gate's own report is
    return out


def _structure(args: argparse.Namespace) -> int:
    from .. import indicators

    if args.lines and args.measure == "lq":
        msg = "--lines needs a unit × unit matrix (similarity or krugman), not lq"
        raise ValueError(msg)
    check_outputs({"--out": args.out, "--lines": args.lines}, overwrite=args.overwrite, inputs=(args.table,),
                  suffixes={"--lines": (".gpkg", ".geojson", ".json")})
    sectors = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    if sectors is not None and len(sectors) < 2:
        msg = f"--columns: expected at least 2 comma-separated sector columns, got {args.columns!r}"
        raise ValueError(msg)
    # The gate keys every row by its 6-digit adcode (names in --key are resolved), so the matrix is by adcode.
    table = _unit_table(args, key=args.key, columns=sectors)
    if sectors is not None:
        table = table[["adcode", *sectors]]
    matrix = getattr(indicators, MEASURES[args.measure])(table, key="adcode")
    layer = None
    if args.lines:
        matrix.index = matrix.columns = [str(k) for k in matrix.index]
        layer = indicators.pair_lines(matrix, units.all_units(), value=args.measure)
    result = matrix.rename_axis("adcode").reset_index()
    write_outputs([(args.out, lambda tmp: io.write_layers({args.measure: result}, tmp)),
                   (args.lines, lambda tmp: io.write_layers({f"{args.measure}_pairs": layer}, tmp))],
                  overwrite=args.overwrite)
    print(matrix.round(4).to_string())
    return 0


def _rings(args: argparse.Namespace) -> int:
    from .. import indicators, ranking

    breaks = parse_numbers(args.breaks, option="--breaks", example="100,200,300")
    if args.by != "distance" and not args.table:
        msg = f"--by {args.by}: a column needs --table (or use --by distance)"
        raise ValueError(msg)
    check_outputs({"--out": args.out}, overwrite=args.overwrite, inputs=(args.table,))
    frame = units.load_units(args.level)
    if args.table:
        table = _unit_table(args, key=args.on, level=args.level,
                            columns=[args.by] if args.by != "distance" else None)
        frame = ranking.join_table(frame, table, on="adcode")
    labels = args.labels.split(",") if args.labels else None
    res = indicators.core_periphery_rings(frame, args.centre, breaks=breaks, by=args.by, labels=labels)
    io.write_layers({"rings": res.frame}, args.out, overwrite=args.overwrite)
    print(res.counts.to_string())
    return 0
