"""Subcommands: ``weights`` (inspect spatial weights), ``moran`` (global statistics), ``lisa`` (local
Moran or Gi*), ``moran-change`` (two years and their change).

Thin adapters over :mod:`yrdgeo.weights` and :mod:`yrdgeo.autocorrelation`:
read the units (bundled level or a boundary file), join an attribute CSV,
build the weights, call the library, write the result and print its summary.
"""

from __future__ import annotations

import argparse
import json

import geopandas as gpd
import pandas as pd

from .. import autocorrelation as ac
from .. import io, units
from ..weights import ISLAND_POLICIES, METHODS, TRANSFORMS, build_weights


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("weights", help="build spatial weights and report neighbours, islands and components")
    _input_args(p, needs_column=False)
    _weights_args(p)
    p.add_argument("--out", help="write one row per unit (id, name, n_neighbours, neighbours, component) to .csv")
    p.add_argument("--links", help="write the neighbour links as lines (.gpkg/.geojson) to inspect them on a map")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=_weights)

    p = sub.add_parser("moran", help="global Moran's I, Geary's C, General G or bivariate Moran of a column")
    _input_args(p)
    _weights_args(p)
    _stat_args(p, local=False)
    p.add_argument("--statistic", choices=("moran", "geary", "g", "all"), default="moran",
                   help="global statistic (default moran; 'all' = Moran, Geary and General G)")
    p.add_argument("--bivariate", metavar="Y", help="bivariate Moran: COLUMN against the spatial lag of Y")
    p.add_argument("--out", help="write the summary to .csv or .json")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=_moran)

    p = sub.add_parser("lisa", help="local Moran (LISA) clusters or Gi* hot spots, written as a layer")
    _input_args(p)
    _weights_args(p)
    _stat_args(p, local=True)
    p.add_argument("--gi", action="store_true", help="Getis-Ord Gi* hot/cold spots instead of local Moran")
    p.add_argument("--bivariate", metavar="Y", help="bivariate LISA: COLUMN against the spatial lag of Y")
    p.add_argument("--out", help="output layer: .gpkg, .geojson or .csv")
    p.add_argument("--map", help="write the cluster map as .png/.svg/.pdf")
    p.add_argument("--scatter", help="write the Moran scatterplot as .png/.svg/.pdf (local Moran only)")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=_lisa)

    p = sub.add_parser("moran-change", help="Moran's I and LISA of two years and of their change")
    _input_args(p, needs_column=False)
    p.add_argument("--before", required=True, help="column of the earlier year (e.g. ratio_2011)")
    p.add_argument("--after", required=True, help="column of the later year (e.g. ratio_2019)")
    _weights_args(p)
    _stat_args(p, local=True)
    p.add_argument("--out", help="output layer (.gpkg/.geojson/.csv) with the change and LISA columns")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=_change)


def _input_args(p: argparse.ArgumentParser, *, needs_column: bool = True) -> None:
    p.add_argument("--level", choices=units.LEVELS, default="city", help="bundled YRD units (default city)")
    p.add_argument("--boundaries", help="a boundary file (any format geopandas reads) instead of the bundled units")
    p.add_argument("--layer", help="layer of --boundaries (GeoPackage)")
    p.add_argument("--attributes", help="CSV of attributes joined to the units by --key")
    p.add_argument("--key", default="adcode", help="join column in both the units and the CSV (default adcode)")
    if needs_column:
        p.add_argument("--column", required=True, help="numeric column to analyse")


def _weights_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weights", choices=METHODS, default="queen", help="weights method (default queen)")
    p.add_argument("--k", type=int, help="neighbours for knn / adaptive kernel (default 4)")
    p.add_argument("--threshold-km", type=float, help="distance band in km (distance_band, inverse_distance)")
    p.add_argument("--bandwidth-km", type=float, help="fixed kernel bandwidth in km")
    p.add_argument("--tolerance-km", type=float, default=0.0, help="contiguity tolerance in km (default 0)")
    p.add_argument("--islands", choices=ISLAND_POLICIES, default="error",
                   help="units without neighbours: error (default), nearest, isolate")
    p.add_argument("--island-k", type=int, default=1, help="neighbours per island for --islands nearest")
    p.add_argument("--transform", choices=TRANSFORMS, default="r", help="weights transform (default r)")


def _stat_args(p: argparse.ArgumentParser, *, local: bool) -> None:
    p.add_argument("--permutations", type=int, default=999, help="random permutations (default 999)")
    p.add_argument("--seed", type=int, help="seed for reproducible permutations")
    p.add_argument("--missing", choices=ac.MISSING_POLICIES, default="error",
                   help="units with missing values: error (default) or drop")
    if local:
        p.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
        p.add_argument("--correction", choices=ac.CORRECTIONS, default="none",
                       help="multiple-testing correction (default none)")


def _load(args: argparse.Namespace) -> gpd.GeoDataFrame:
    if args.boundaries:
        frame = gpd.read_file(args.boundaries, layer=args.layer) if args.layer else gpd.read_file(args.boundaries)
    else:
        frame = units.load_units(args.level)
    if args.attributes:
        table = pd.read_csv(args.attributes, dtype={args.key: str})
        frame = ac.join_attributes(frame, table, key=args.key)
    return frame


def _build(args: argparse.Namespace, frame: gpd.GeoDataFrame):
    return build_weights(
        frame, args.weights, k=args.k, threshold_km=args.threshold_km, bandwidth_km=args.bandwidth_km,
        tolerance_km=args.tolerance_km, islands=args.islands, island_k=args.island_k, transform=args.transform,
        id_column=args.key if args.key in frame.columns else None,
    )


def _check_out(path: str | None, allowed: tuple[str, ...]) -> None:
    if path and not path.lower().endswith(allowed):
        msg = f"output {path!r} must end with one of {', '.join(allowed)}"
        raise ValueError(msg)


def _weights(args: argparse.Namespace) -> int:
    _check_out(args.out, (".csv",))
    _check_out(args.links, (".gpkg", ".geojson", ".json"))
    frame = _load(args)
    sw = _build(args, frame)
    print(sw)
    if args.out:
        io.write_layers({"neighbours": sw.neighbours()}, args.out, overwrite=args.overwrite)
        print(f"wrote {sw.n} rows to {args.out}")
    if args.links:
        lines = sw.link_lines(frame)
        io.write_layers({"weights_links": lines}, args.links, overwrite=args.overwrite)
        print(f"wrote {len(lines)} links to {args.links}")
    return 0


def _moran(args: argparse.Namespace) -> int:
    _check_out(args.out, (".csv", ".json"))
    frame = _load(args)
    sw = _build(args, frame)
    kw = dict(weights=sw, permutations=args.permutations, seed=args.seed, missing=args.missing)
    if args.bivariate:
        results = [ac.moran_bv(frame, args.column, args.bivariate, **kw)]
    else:
        funcs = {"moran": [ac.moran], "geary": [ac.geary], "g": [ac.getis_ord_g],
                 "all": [ac.moran, ac.geary, ac.getis_ord_g]}[args.statistic]
        results = [f(frame, args.column, **kw) for f in funcs]
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
    _check_out(args.out, (".gpkg", ".geojson", ".json", ".csv"))
    _check_out(args.map, (".png", ".svg", ".pdf"))
    _check_out(args.scatter, (".png", ".svg", ".pdf"))
    if args.gi and (args.bivariate or args.scatter):
        msg = "--gi cannot be combined with --bivariate or --scatter"
        raise ValueError(msg)
    frame = _load(args)
    sw = _build(args, frame)
    kw = dict(weights=sw, permutations=args.permutations, seed=args.seed, missing=args.missing, alpha=args.alpha,
              correction=args.correction)
    if args.gi:
        res = ac.gi_star(frame, args.column, **kw)
    elif args.bivariate:
        res = ac.local_moran_bv(frame, args.column, args.bivariate, **kw)
    else:
        res = ac.local_moran(frame, args.column, **kw)
    print(sw)
    print(res)
    if args.out:
        io.write_layers({res.statistic: res.frame}, args.out, overwrite=args.overwrite)
        print(f"wrote {len(res.frame)} units to {args.out}")
    _figures(res, args)
    return 0


def _figures(res: ac.LocalResult, args: argparse.Namespace) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for path, draw in ((args.map, ac.lisa_cluster_map), (getattr(args, "scatter", None), ac.moran_scatterplot)):
        if not path:
            continue
        fig = draw(res)
        with io.atomic_path(path, overwrite=args.overwrite) as tmp:
            fig.savefig(tmp, dpi=200, bbox_inches="tight")
        plt.close(fig)
        print(f"wrote {path}")


def _change(args: argparse.Namespace) -> int:
    _check_out(args.out, (".gpkg", ".geojson", ".json", ".csv"))
    frame = _load(args)
    sw = _build(args, frame)
    res = ac.moran_change(frame, args.before, args.after, weights=sw, permutations=args.permutations,
                          seed=args.seed, missing=args.missing, alpha=args.alpha, correction=args.correction)
    print(sw)
    print(res)
    if args.out:
        io.write_layers({"moran_change": res.frame}, args.out, overwrite=args.overwrite)
        print(f"wrote {len(res.frame)} units to {args.out}")
    return 0
