"""Corridors and enclave pairs: export the layers to a GeoPackage and draw a map.

Run from a checkout (or with yrdgeo installed):

    python examples/corridors_enclaves.py [OUTPUT_FOLDER] [--width-km 30]

Writes ``OUTPUT_FOLDER/corridors_enclaves.gpkg`` (layers corridor_members,
corridor_centrelines, corridor_bands, corridor_wings, corridor_units,
enclave_ends, enclave_desire_lines, enclave_nodes; EPSG:4326, open it in QGIS),
``OUTPUT_FOLDER/corridors_enclaves.png`` (an A4 map drawn with ``yrdgeo.maps``:
G60 members by wing, the band, the centrelines and the enclave desire lines,
with Chinese labels, legend, scale bar, north arrow and source note) and
``OUTPUT_FOLDER/g60_wings.csv`` (the south and north wings side by side).

All data are bundled with yrdgeo and come from the papers listed in
``yrdgeo/data/reference/sources.csv`` (see ``yrdgeo/data/corridors/PROVENANCE.md``
and ``yrdgeo/data/reference``).
No travel times are shown: pass a travel-time matrix from the network module
(``travel_time=``) once you have one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import yrdgeo
from yrdgeo import corridors, enclaves, maps, sources
from yrdgeo.io import atomic_path, write_layers

WING_ZH = {"hub": "枢纽（松江区）", "south": "南翼", "north": "北翼"}
WING_COLOURS = {"枢纽（松江区）": "#b2182b", "南翼": "#fdae61", "北翼": "#abd9e9"}
PATTERN_STYLE = {"forward": ("飞地（飞出地 → 飞入地）", "#542788"), "reverse": ("反向飞地", "#1b7837"),
                 "two_way": ("双向飞地", "#c51b7d")}


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
    """Draw G60 (members by wing, band, centrelines) and the enclave desire lines to a PNG with yrdgeo.maps."""
    cities = yrdgeo.load_units("city")
    members = g60_result.members
    cities["g60_wing"] = cities.adcode.map(dict(zip(members.adcode, members.wing.map(WING_ZH))))
    hub = members[members.wing == "hub"]
    band = g60_result.bands[g60_result.bands.wing == "all"]
    lines = g60_result.centrelines
    overlays = [
        maps.Overlay(band, label=f"走廊带 ±{width_km:g} km", color="#333333", facecolor="#999999", alpha=0.2,
                     linewidth=0.7, linestyle="--", zorder=2.6),
        maps.Overlay(hub, label=WING_ZH["hub"], color="#67001f", facecolor=WING_COLOURS[WING_ZH["hub"]], alpha=1.0,
                     linewidth=0.6, zorder=2.7),
        *[maps.Overlay(lines[lines.wing == wing], label=f"{WING_ZH[wing]}中心线（驻地连线）", color=colour,
                       linewidth=2.0, zorder=4) for wing, colour in (("south", "#a6611a"), ("north", "#2c7bb6"))],
    ]
    directed = enc.lines[enc.lines.directed.astype(bool)]
    for pattern, (label, colour) in PATTERN_STYLE.items():
        part = directed[directed.pattern == pattern]
        if len(part):
            overlays.append(maps.Overlay(part, label=f"{label}（{len(part)}）", color=colour, linewidth=1.4,
                                         arrows=True, zorder=4.2))
    # Label the G60 members and both ends of every directed pair, at their seats of government.
    ends = enc.ends[enc.ends.pair_id.isin(directed.pair_id)].adcode
    labelled = yrdgeo.select_units(list(dict.fromkeys([*g60_result.corridor.adcodes, *ends])))
    # the papers the map rests on: the sources columns of the G60 catalogue row and of the enclave pairs
    cells = [corridors.list_corridors().set_index("corridor_id").loc["g60", "sources"], *enc.pairs.sources]
    papers = sources.cite_all(";".join(dict.fromkeys(k for cell in cells for k in cell.split(";") if k)))
    fig = maps.plot_map(
        cities, "g60_wing", title="G60 科创走廊与长三角飞地",
        subtitle=f"走廊成员按翼着色，虚线带为中心线两侧 {width_km:g} km；箭头由飞出地指向飞入地",
        legend_title="G60 走廊成员", categories={v: v for v in WING_COLOURS}, category_colors=WING_COLOURS,
        missing_label="非成员", overlays=overlays, labels=labelled,
        source=f"走廊与飞地：{papers}（yrdgeo/data/reference，yrdgeo/data/corridors）；"
               "中心线为各单元政府驻地连线。" + maps.DEFAULT_SOURCE)
    maps.save_map(fig, path, dpi=150)
    if fig.labels_dropped:
        print(f"labels without room: {', '.join(fig.labels_dropped)}")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
