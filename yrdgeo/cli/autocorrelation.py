"""Subcommands: ``weights`` (inspect spatial weights), ``moran`` (global statistics), ``lisa`` (local
Moran or Gi*), ``moran-change`` (two years and their change).

Thin adapters over :mod:`yrdgeo.weights` and :mod:`yrdgeo.autocorrelation`:
read the units (bundled level or a boundary file), join an attribute CSV,
build the weights, call the library, write the result and print its summary.

Every input (files, layer, columns) and every output path is checked before
the weights are built, so a bad option costs no computation and writes
nothing. Permutation tests use :data:`DEFAULT_SEED` unless ``--seed`` is
given, and print the seed, so two runs of the same command agree.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Callable

import geopandas as gpd
import pandas as pd

from .. import inputs, io, units
# The option lists come from the light yrdgeo.choices (the library re-exports them): building the parser must
# not import libpysal or esda. The analyses are imported inside the commands.
from ..choices import AUTOCORRELATION_MISSING, CONTIGUITY, CORRECTIONS, DEFAULT_SEED, ISLAND_POLICIES, TRANSFORMS
from ..choices import WEIGHT_METHODS as METHODS
from . import add_gate_args, check_input_file, check_outputs, read_table, read_vector, write_outputs

if TYPE_CHECKING:
    from ..autocorrelation import LocalResult

_LAYER_OUT = (".gpkg", ".geojson", ".json", ".csv")
_FIGURE_OUT = (".png", ".svg", ".pdf")


#: The global statistics of ``moran --statistic``: name → the names of the :mod:`yrdgeo.autocorrelation`
#: functions it runs (names, so the parser does not import the library).
STATISTICS = {"moran": ("moran",), "geary": ("geary",), "g": ("getis_ord_g",),
              "all": ("moran", "geary", "getis_ord_g")}


def register(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "weights", "build spatial weights and report neighbours, islands and components", _weights,
                 column=False)
    p.add_argument("--out", help="write one row per unit (id, name, n_neighbours, neighbours, component) to .csv")
    p.add_argument("--links", help="write the neighbour links as lines (.gpkg/.geojson) to inspect them on a map")

    p = _command(sub, "moran", "global Moran's I, Geary's C, General G or bivariate Moran of a column", _moran,
                 local=False)
    p.add_argument("--statistic", choices=tuple(STATISTICS), default="moran",
                   help="global statistic (default moran; 'all' = Moran, Geary and General G)")
    p.add_argument("--bivariate", metavar="Y", help="bivariate Moran: COLUMN against the spatial lag of Y")
    p.add_argument("--out", help="write the summary to .csv or .json")

    p = _command(sub, "lisa", "local Moran (LISA) clusters or Gi* hot spots, written as a layer", _lisa, local=True)
    p.add_argument("--gi", action="store_true", help="Getis-Ord Gi* hot/cold spots instead of local Moran")
    p.add_argument("--bivariate", metavar="Y", help="bivariate LISA: COLUMN against the spatial lag of Y")
    p.add_argument("--out", help="output layer: .gpkg, .geojson or .csv")
    p.add_argument("--map", help="write the cluster map as .png/.svg/.pdf")
    p.add_argument("--scatter", help="write the Moran scatterplot as .png/.svg/.pdf (local Moran only)")

    p = _command(sub, "moran-change", "Moran's I and LISA of two years and of their change", _change, column=False,
                 local=True)
    p.add_argument("--before", required=True, help="column of the earlier year (e.g. ratio_2011)")
    p.add_argument("--after", required=True, help="column of the later year (e.g. ratio_2019)")
    p.add_argument("--out", help="output layer (.gpkg/.geojson/.csv) with the change and LISA columns")


def _command(sub: argparse._SubParsersAction, name: str, help: str,  # noqa: A002 - argparse's own word
             func: Callable[[argparse.Namespace], int], *, column: bool = True,
             local: bool | None = None) -> argparse.ArgumentParser:
    """Return a new subcommand parser with the options every command here shares; the caller adds its own.

    Shared: the units and the attribute table (``--column`` unless ``column=False``), the weights,
    ``--overwrite`` and, unless ``local`` is None, the permutation test (``local``: with ``--alpha``
    and ``--correction``). The weights and the test are argument groups of their own in ``--help``.
    """
    p = sub.add_parser(name, help=help)
    _input_args(p, needs_column=column)
    p.add_argument("--overwrite", action="store_true", help="replace existing output files")
    _weights_args(p.add_argument_group("spatial weights"))
    if local is not None:
        _stat_args(p.add_argument_group("permutation test"), local=local)
    p.set_defaults(func=func)
    return p


def _input_args(p: argparse.ArgumentParser, *, needs_column: bool = True) -> None:
    p.add_argument("--level", choices=units.LEVELS, default="city", help="bundled YRD units (default city)")
    p.add_argument("--boundaries", help="a boundary file (any format geopandas reads) instead of the bundled units")
    p.add_argument("--layer", help="layer of --boundaries (GeoPackage)")
    p.add_argument("--attributes", help="attribute table (CSV, .xlsx or a vector file's attributes) joined to the "
                   "units by adcode; its units may be named by code or by name")
    p.add_argument("--key", default="adcode", help="unit column of --boundaries and --attributes (default adcode; "
                   "otherwise the table gate finds the code or name column)")
    add_gate_args(p)
    if needs_column:
        p.add_argument("--column", required=True, help="numeric column to analyse")


def _weights_args(p: argparse._ActionsContainer) -> None:
    p.add_argument("--weights", choices=METHODS, default="queen", help="weights method (default %(default)s)")
    p.add_argument("--k", type=int, help="neighbours for knn / adaptive kernel (default 4)")
    p.add_argument("--threshold-km", type=float, help="distance band in km (distance_band, inverse_distance)")
    p.add_argument("--bandwidth-km", type=float, help="fixed kernel bandwidth in km")
    p.add_argument("--tolerance-km", type=float, default=0.0, help="contiguity tolerance in km (default 0)")
    p.add_argument("--islands", choices=ISLAND_POLICIES, default="error",
                   help="units without neighbours (default %(default)s)")
    p.add_argument("--island-k", type=int, default=1, help="neighbours per island for --islands nearest")
    p.add_argument("--transform", choices=TRANSFORMS, default="r", help="weights transform (default r)")


def _stat_args(p: argparse._ActionsContainer, *, local: bool) -> None:
    p.add_argument("--permutations", type=int, default=999, help="random permutations (default 999)")
    p.add_argument("--seed", type=int, help=f"seed of the random permutations (default {DEFAULT_SEED}, printed; "
                   "the same seed gives the same p-values)")
    p.add_argument("--missing", choices=AUTOCORRELATION_MISSING, default="error",
                   help="units with missing values (default %(default)s)")
    if local:
        p.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
        p.add_argument("--correction", choices=CORRECTIONS, default="none",
                       help="multiple-testing correction (default %(default)s)")
        p.add_argument("--jobs", type=int, default=1, help="processes for the permutations (default 1; -1 = every "
                       "core; the same seed gives the same p-values whatever the number)")


def _load(args: argparse.Namespace, *, columns: tuple[str | None, ...] = ()) -> gpd.GeoDataFrame:
    """Return the units with the attributes joined, after checking the files, the layer and ``columns``.

    Boundaries go through the layer gate, the attribute table through the
    table gate (:mod:`yrdgeo.inputs`): yearbook numbers parsed, coerced
    cells reported, codes checked. A requested column must come from one
    place only: a column of the table never loses silently to a column of
    the units with the same name.
    """
    if args.layer and not args.boundaries:
        msg = "--layer names a layer of --boundaries; pass --boundaries too"
        raise ValueError(msg)
    if args.attributes:
        check_input_file(args.attributes, option="--attributes")
    if args.boundaries:
        # Contiguity needs areas; distance-based weights also work on points (one per unit).
        needs_polygons = args.weights in CONTIGUITY or bool(getattr(args, "map", None))
        frame = read_vector(args.boundaries, option="--boundaries", layer=args.layer,
                            geometry="polygon" if needs_polygons else None, key=args.key, strict=args.strict)
    else:
        frame = units.load_units(args.level)
    wanted = [c for c in columns if c is not None]
    if args.attributes:
        from_table = [c for c in wanted if c not in frame.columns]
        table = read_table(args.attributes, option="--attributes", encoding=args.encoding, strict=args.strict,
                           key=None if args.key == "adcode" else args.key, columns=from_table or None)
        # Unit codes and names are the same thing in both; any other shared name is ambiguous.
        same_thing = {"adcode", table.key, *inputs.KEY_COLUMNS, *inputs.NAME_COLUMNS}
        both = [c for c in wanted if c in frame.columns and c in table.data.columns and c not in same_thing]
        if both:
            source = "--boundaries" if args.boundaries else f"the bundled {args.level} units"
            msg = (f"column(s) {', '.join(map(repr, both))} are both in --attributes and in {source}; "
                   "rename them in your table so it is clear which one to analyse")
            raise ValueError(msg)
        frame = inputs.join_table(frame, table)
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        source = "the units" + (" and --attributes" if args.attributes else "")
        msg = (f"no column {', '.join(map(repr, missing))} in {source}; the columns are: "
               f"{', '.join(str(c) for c in frame.columns if c != frame.geometry.name)}")
        raise ValueError(msg)
    return frame


def _seed(args: argparse.Namespace) -> int | None:
    """Return the seed of the permutations (``--seed`` or :data:`DEFAULT_SEED`) and say which one is used."""
    if args.permutations <= 0:
        return args.seed
    if args.seed is None:
        print(f"seed {DEFAULT_SEED} (pass --seed to change)")
        return DEFAULT_SEED
    print(f"seed {args.seed}")
    return args.seed


def _check(args: argparse.Namespace, outputs: dict[str, str | None], suffixes: dict[str, tuple[str, ...]]) -> None:
    """Check the output paths before any work (none may be an input of the run)."""
    check_outputs(outputs, overwrite=args.overwrite, inputs=(args.boundaries, args.attributes), suffixes=suffixes)


def _build(args: argparse.Namespace, frame: gpd.GeoDataFrame):
    from ..weights import build_weights

    return build_weights(
        frame, args.weights, k=args.k, threshold_km=args.threshold_km, bandwidth_km=args.bandwidth_km,
        tolerance_km=args.tolerance_km, islands=args.islands, island_k=args.island_k, transform=args.transform,
        id_column=args.key if args.key in frame.columns else None,
    )


def _weights(args: argparse.Namespace) -> int:
    _check(args, {"--out": args.out, "--links": args.links},
           {"--out": (".csv",), "--links": (".gpkg", ".geojson", ".json")})
    frame = _load(args)
    sw = _build(args, frame)
    print(sw)
    lines = sw.link_lines(frame) if args.links else None
    write_outputs([(args.out, lambda tmp: io.write_layers({"neighbours": sw.neighbours()}, tmp)),
                   (args.links, lambda tmp: io.write_layers({"weights_links": lines}, tmp))], overwrite=args.overwrite)
    if args.out:
        print(f"wrote {sw.n} rows to {args.out}")
    if args.links:
        print(f"wrote {len(lines)} links to {args.links}")
    return 0


def _moran(args: argparse.Namespace) -> int:
    from .. import autocorrelation as ac

    _check(args, {"--out": args.out}, {"--out": (".csv", ".json")})
    frame = _load(args, columns=(args.column, args.bivariate))
    sw = _build(args, frame)
    kw = dict(weights=sw, permutations=args.permutations, seed=_seed(args), missing=args.missing)
    if args.bivariate:
        results = [ac.moran_bv(frame, args.column, args.bivariate, **kw)]
    else:
        results = [getattr(ac, name)(frame, args.column, **kw) for name in STATISTICS[args.statistic]]
    print(sw)
    for res in results:
        print(res)
    if args.out:
        rows = [r.summary() for r in results]
        if args.out.lower().endswith(".json"):
            with io.atomic_path(args.out, overwrite=args.overwrite) as tmp:
                tmp.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            io.write_layers({"summary": pd.DataFrame(rows)}, args.out, overwrite=args.overwrite)
        print(f"wrote {args.out}")
    return 0


def _lisa(args: argparse.Namespace) -> int:
    from .. import autocorrelation as ac

    if args.gi and (args.bivariate or args.scatter):
        msg = "--gi cannot be combined with --bivariate or --scatter"
        raise ValueError(msg)
    _check(args, {"--out": args.out, "--map": args.map, "--scatter": args.scatter},
           {"--out": _LAYER_OUT, "--map": _FIGURE_OUT, "--scatter": _FIGURE_OUT})
    frame = _load(args, columns=(args.column, args.bivariate))
    sw = _build(args, frame)
    kw = dict(weights=sw, permutations=args.permutations, seed=_seed(args), missing=args.missing, alpha=args.alpha,
              correction=args.correction, n_jobs=args.jobs)
    if args.gi:
        res = ac.gi_star(frame, args.column, **kw)
    elif args.bivariate:
        res = ac.local_moran_bv(frame, args.column, args.bivariate, **kw)
    else:
        res = ac.local_moran(frame, args.column, **kw)
    print(sw)
    print(res)
    # All outputs or none: a failing figure must not leave the layer written alone.
    write_outputs([(args.out, lambda tmp: io.write_layers({res.statistic: res.frame}, tmp)),
                   (args.map, lambda tmp: _figure(res, ac.lisa_cluster_map, tmp)),
                   (args.scatter, lambda tmp: _figure(res, ac.moran_scatterplot, tmp))], overwrite=args.overwrite)
    if args.out:
        print(f"wrote {len(res.frame)} units to {args.out}")
    for path in (args.map, args.scatter):
        if path:
            print(f"wrote {path}")
    return 0


def _figure(res: LocalResult, draw, path) -> None:  # noqa: ANN001
    """Draw one figure of ``res`` into ``path`` and free it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = draw(res)
    try:
        fig.savefig(path, dpi=200, bbox_inches="tight")
    finally:
        plt.close(fig)


def _change(args: argparse.Namespace) -> int:
    from .. import autocorrelation as ac

    _check(args, {"--out": args.out}, {"--out": _LAYER_OUT})
    frame = _load(args, columns=(args.before, args.after))
    sw = _build(args, frame)
    res = ac.moran_change(frame, args.before, args.after, weights=sw, permutations=args.permutations,
                          seed=_seed(args), missing=args.missing, alpha=args.alpha, correction=args.correction,
                          n_jobs=args.jobs)
    print(sw)
    print(res)
    if args.out:
        io.write_layers({"moran_change": res.frame}, args.out, overwrite=args.overwrite)
        print(f"wrote {len(res.frame)} units to {args.out}")
    return 0
