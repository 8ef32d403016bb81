"""Corridors and enclave pairs: export the layers to a GeoPackage and draw a map.

Run from a checkout (or with yrdgeo installed):

    python examples/corridors_enclaves.py [OUTPUT_FOLDER] [--width-km 30]

Writes ``OUTPUT_FOLDER/corridors_enclaves.gpkg`` (layers corridor_members,
corridor_centrelines, corridor_bands, corridor_wings, corridor_units,
enclave_ends, enclave_desire_lines, enclave_nodes; EPSG:4326, open it in QGIS),
``OUTPUT_FOLDER/corridors_enclaves.png`` (a map with Chinese labels) and
``OUTPUT_FOLDER/g60_wings.csv`` (the south and north wings side by side).

All data are bundled with yrdgeo and come from the seed papers (see
``yrdgeo/data/corridors/PROVENANCE.md`` and ``yrdgeo/data/reference``).
No travel times are shown: pass a travel-time matrix from the network module
(``travel_time=``) once you have one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

import yrdgeo  # noqa: E402
from yrdgeo import corridors, enclaves  # noqa: E402
from yrdgeo.crs import DISTANCE_CRS  # noqa: E402
from yrdgeo.io import atomic_path, write_layers  # noqa: E402

CJK = "Noto Sans CJK SC"
WING_COLOURS = {"hub": "#444444", "south": "#d95f02", "north": "#1b9e77", "main": "#7570b3"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="out", help="output folder (created if missing)")
    parser.add_argument("--width-km", type=float, default=30.0, help="band distance each side of the centreline")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # 1. Corridors: G60 (bundled, with versions) and the two bundled examples.
    g60 = corridors.load_corridor("g60")
    items = [g60, corridors.load_corridor("hu_ning_he"), corridors.load_corridor("hu_hang_yong")]
    ratio = pd.read_csv(yrdgeo.units.data_path("reference", "resident_registered_ratio.csv"), dtype={"adcode": str})
    results = [corridors.analyze_corridor(c, args.width_km, units="county", attributes=ratio,
                                          columns=["ratio_2011", "ratio_2019"], agg="mean") for c in items]
    g60_result = results[0]
    print(g60_result.summary.drop(columns="units_zh").to_string(index=False))
    with atomic_path(out / "g60_wings.csv") as tmp:
        g60_result.summary.to_csv(tmp, index=False, encoding="utf-8")

    # 2. Enclave pairs: bundled pairs and cooperation zones; two-way pairs are detected.
    pairs = enclaves.load_enclave_pairs()
    enc = enclaves.analyze_enclaves(pairs, attributes=ratio, columns=["ratio_2019"], roll_up="city")
    print(enc.lines[["pair_id", "fly_out_zh", "fly_in_zh", "pattern", "distance_km", "ratio_2019_ratio"]]
          .to_string(index=False))
    print(enclaves.revenue_schedule(100.0, years=8).to_string(index=False))

    # 3. One GeoPackage with every layer.
    layers = {**corridors.combine_layers(results), **enc.layers()}
    gpkg = write_layers(layers, out / "corridors_enclaves.gpkg")
    print(f"wrote {gpkg}: {', '.join(layers)}")

    # 4. A map of G60 and the enclave desire lines, drawn in EPSG:4549 (metres).
    draw_map(g60_result, enc, out / "corridors_enclaves.png", width_km=args.width_km)


def draw_map(g60_result: corridors.CorridorAnalysis, enc: enclaves.EnclaveAnalysis, path: Path, *,
             width_km: float) -> None:
    """Draw G60 (members by wing, band, centrelines) and the enclave desire lines to a PNG."""
    plt.rcParams["font.family"] = CJK
    cities = yrdgeo.load_units("city").to_crs(DISTANCE_CRS)
    provinces = yrdgeo.load_units("province").to_crs(DISTANCE_CRS)
    members = g60_result.members.to_crs(DISTANCE_CRS)
    band = g60_result.bands[g60_result.bands.wing == "all"].to_crs(DISTANCE_CRS)
    lines = g60_result.centrelines.to_crs(DISTANCE_CRS)
    desire = enc.lines[enc.lines.directed].to_crs(DISTANCE_CRS)

    fig, ax = plt.subplots(figsize=(9, 10), dpi=150)
    cities.plot(ax=ax, color="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.4)
    provinces.boundary.plot(ax=ax, color="#777777", linewidth=0.8)
    for wing, part in members.groupby("wing"):
        part.plot(ax=ax, color=WING_COLOURS.get(wing, "#999999"), alpha=0.45, edgecolor="white", linewidth=0.5)
    band.boundary.plot(ax=ax, color="#333333", linewidth=0.8, linestyle="--")
    for row in lines.itertuples():
        ax.plot(*row.geometry.xy, color=WING_COLOURS.get(row.wing, "#000"), linewidth=2.2)
    for row in desire.itertuples():
        x, y = row.geometry.xy
        colour = "#c51b7d" if row.pattern == "two_way" else "#2166ac"
        ax.annotate("", xy=(x[-1], y[-1]), xytext=(x[0], y[0]),
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.2, connectionstyle="arc3,rad=0.15"))
    anchors = yrdgeo.anchor_points(yrdgeo.select_units(g60_result.corridor.adcodes)).to_crs(DISTANCE_CRS)
    for row in anchors.itertuples():
        ax.plot(row.geometry.x, row.geometry.y, "o", color="black", markersize=3)
        ax.annotate(row.short_zh, (row.geometry.x, row.geometry.y), xytext=(4, 4), textcoords="offset points",
                    fontsize=9, fontfamily=CJK)
    handles = [Patch(color=WING_COLOURS["hub"], alpha=0.45, label="枢纽 (松江区)"),
               Patch(color=WING_COLOURS["south"], alpha=0.45, label="南翼"),
               Patch(color=WING_COLOURS["north"], alpha=0.45, label="北翼"),
               Line2D([], [], color="#333333", linestyle="--", label=f"走廊带 ±{width_km:g} km"),
               Line2D([], [], color="#2166ac", label="飞地 (飞出地 → 飞入地)"),
               Line2D([], [], color="#c51b7d", label="双向飞地")]
    ax.legend(handles=handles, loc="upper right", prop={"family": CJK, "size": 9})
    # scale bar (the map is in metres, EPSG:4549) and north arrow
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    sx, sy = x0 + 0.05 * (x1 - x0), y0 + 0.06 * (y1 - y0)
    ax.plot([sx, sx + 100_000], [sy, sy], color="black", linewidth=3)
    ax.text(sx + 50_000, sy + 0.01 * (y1 - y0), "100 km", ha="center", fontsize=8)
    ax.annotate("N", xy=(x0 + 0.08 * (x1 - x0), y1 - 0.04 * (y1 - y0)),
                xytext=(x0 + 0.08 * (x1 - x0), y1 - 0.12 * (y1 - y0)), ha="center", fontsize=11,
                arrowprops=dict(arrowstyle="-|>", color="black"))
    ax.set_title("G60科创走廊与长三角飞地", fontfamily=CJK, fontsize=14)
    ax.set_axis_off()
    ax.text(0.01, 0.01, "数据: yrdgeo 边界 (高德, 已转 WGS84); 走廊与飞地: 种子论文 000/001/003; "
            "中心线经各单元政府驻地", transform=ax.transAxes, fontsize=7, fontfamily=CJK, color="#555555")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", bbox_inches="tight")
    plt.close(fig)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
