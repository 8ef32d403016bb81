"""Rebuild road_proxy.csv: pairs of YRD cities (and Songjiang district) that share a land border.

Run from a checkout: ``python -m yrdgeo.data.network.build_road_proxy`` (or this file).
Shared border length is measured in EPSG:4549 (metres) on the bundled
boundaries; pairs sharing less than MIN_SHARED_KM are left out, and so are
pairs listed in EXCLUDE (contacts at sea, not by land).
"""

from __future__ import annotations

import csv
from pathlib import Path

import shapely

import yrdgeo
from yrdgeo.crs import DISTANCE_CRS

MIN_SHARED_KM = 1.0
HUB_DISTRICTS = ["310117"]  # Songjiang: hub of the G60 corridor, a node of the bundled network
EXCLUDE = {
    frozenset({"310100", "330900"}): "Shanghai and Zhoushan touch only at sea near Yangshan; no road link",
}


def shared_km(a, b) -> float:
    inter = a.boundary.intersection(b.boundary)
    return inter.length / 1000.0 if not inter.is_empty else 0.0


def build() -> list[dict]:
    cities = yrdgeo.load_units("city").to_crs(DISTANCE_CRS)
    hubs = yrdgeo.select_units(HUB_DISTRICTS).to_crs(DISTANCE_CRS)
    rows = []
    geoms = list(cities.geometry)
    codes = list(cities.adcode)
    tree = shapely.STRtree(geoms)
    for i, j in zip(*tree.query(geoms, predicate="intersects")):
        if i >= j:
            continue
        pair = frozenset({codes[i], codes[j]})
        km = shared_km(geoms[i], geoms[j])
        if pair in EXCLUDE or km < MIN_SHARED_KM:
            continue
        rows.append({"a": codes[i], "b": codes[j], "shared_border_km": round(km, 1), "note": ""})
    for hub in hubs.itertuples():
        rows.append({"a": hub.parent_adcode, "b": hub.adcode, "shared_border_km": "",
                     "note": "district to its own city seat"})
        for j in tree.query(hub.geometry, predicate="intersects"):
            if codes[j] == hub.parent_adcode:
                continue
            km = shared_km(hub.geometry, geoms[j])
            if km >= MIN_SHARED_KM:
                rows.append({"a": hub.adcode, "b": codes[j], "shared_border_km": round(km, 1), "note": "district to neighbouring city"})
    return rows


if __name__ == "__main__":
    out = Path(__file__).with_name("road_proxy.csv")
    rows = build()
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["a", "b", "shared_border_km", "note"])
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} pairs to {out}")
