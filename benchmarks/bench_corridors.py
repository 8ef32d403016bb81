"""Benchmark: units near a corridor (band share per unit) against a plain geopandas overlay, same process.

Usage::

    PYTHONPATH=. python benchmarks/bench_corridors.py [--repeat 5]

Timed on the real bundled county layer (305 units) and the G60 corridor, 30 km band:

* ``yrdgeo``: :func:`yrdgeo.corridors.units_near` with ``keep_all=True`` — band, distance to the
  centreline, area share, nearest wing, chainage and relation, what a user calls;
* ``overlay``: the baseline a user would write: ``geopandas.overlay`` of the counties with the band
  in the equal-area CRS, then area shares (shares only, no distances or chainage).

Prints median seconds and the ratio yrdgeo / overlay, and checks the two agree on the shares.
"""

from __future__ import annotations

import argparse
import statistics
import time

import geopandas as gpd
import numpy as np

import yrdgeo
from yrdgeo import corridors


def _time(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    counties = yrdgeo.load_units("county")
    g60 = corridors.load_corridor("g60")
    corridors.units_near(g60, 30, units=counties)  # warm caches (unit table, transformers)

    def ours():
        return corridors.units_near(g60, 30, units=counties, keep_all=True)

    def overlay():
        band = corridors.corridor_band(g60, 30)
        band = band[band.wing == "all"].to_crs(yrdgeo.AREA_CRS)[["geometry"]]
        units = counties.to_crs(yrdgeo.AREA_CRS)[["adcode", "geometry"]]
        parts = gpd.overlay(units, band, how="intersection")
        share = parts.dissolve("adcode").area / units.set_index("adcode").area
        return share.reindex(units.adcode).fillna(0.0)

    a = ours().set_index("adcode").share_in_band
    b = overlay()
    assert np.allclose(a.reindex(b.index), b, atol=1e-6), "shares disagree"
    t_ours, t_base = _time(ours, args.repeat), _time(overlay, args.repeat)
    print(f"units_near (305 counties, G60, 30 km): yrdgeo {t_ours:.3f} s, overlay {t_base:.3f} s, "
          f"ratio {t_ours / t_base:.2f} (yrdgeo also computes distances, wings, chainage)")


if __name__ == "__main__":
    main()
