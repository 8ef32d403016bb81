"""Benchmark: ``from_osm`` on a synthetic ~40k-node OSM XML, GDAL engine against the osmnx engine.

Usage::

    PYTHONPATH=. python benchmarks/bench_osm.py                   # ~40k nodes, best of 3
    PYTHONPATH=. python benchmarks/bench_osm.py --side 100 --repeat 5

The XML is written in code: a ``--side`` × ``--side`` grid of junctions about 100 m apart around
Songjiang, east–west ways with one plain vertex between junctions (so osmnx's simplification has
chains to merge), north–south ways without; every fifth street primary with ``maxspeed``, every
seventh one-way (every 21st ``oneway=-1``), and a railway the highway filter drops. ``side=142``
gives ≈ 40k OSM nodes.

Both engines run in alternating rounds (``--repeat``), best of N each: the osmnx engine is the
pre-issue-15 path (``osmnx.graph_from_xml`` then ``graph_to_gdfs``); the GDAL engine reads the
ways with GDAL's OSM driver and simplifies with numpy. The two networks are compared (node and
edge counts, total length and time). Peak memory: one more run of each under tracemalloc
(Python and numpy allocations; GDAL's own C buffers are not traced) and the process's max RSS.
The machine is shared, so only best-of-N ratios are meaningful.
"""

from __future__ import annotations

import argparse
import gc
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from yrdgeo import network


def write_grid_osm(path: Path, side: int) -> int:
    """Return the number of OSM nodes written to ``path``: a grid of ways as OSM XML."""
    step = 0.001  # ≈ 100 m
    x0, y0 = 121.20, 31.00
    nodes, ways = [], []
    junction = lambda i, j: 1 + i * side + j  # noqa: E731 - node id of row i, column j
    mid_id = side * side + 1
    for i in range(side):
        for j in range(side):
            nodes.append(f'<node id="{junction(i, j)}" lat="{y0 + i * step:.7f}" lon="{x0 + j * step:.7f}"/>')

    def tags(k: int) -> str:
        out = ['<tag k="highway" v="primary"/><tag k="maxspeed" v="60"/>' if k % 5 == 0
               else '<tag k="highway" v="residential"/>']
        if k % 21 == 0:
            out.append('<tag k="oneway" v="-1"/>')
        elif k % 7 == 0:
            out.append('<tag k="oneway" v="yes"/>')
        return "".join(out)

    way_id = 1
    for i in range(side):  # east–west, a plain vertex between junctions
        refs = []
        for j in range(side):
            refs.append(junction(i, j))
            if j < side - 1:
                nodes.append(f'<node id="{mid_id}" lat="{y0 + i * step:.7f}" lon="{x0 + (j + 0.5) * step:.7f}"/>')
                refs.append(mid_id)
                mid_id += 1
        ways.append(f'<way id="{way_id}">' + "".join(f'<nd ref="{r}"/>' for r in refs) + tags(i) + "</way>")
        way_id += 1
    for j in range(side):  # north–south
        refs = [junction(i, j) for i in range(side)]
        ways.append(f'<way id="{way_id}">' + "".join(f'<nd ref="{r}"/>' for r in refs) + tags(j + 1) + "</way>")
        way_id += 1
    # a railway on nodes of its own (one sharing road nodes would stay a node for osmnx, see from_osm)
    nodes.append(f'<node id="{mid_id}" lat="{y0 - step:.7f}" lon="{x0:.7f}"/>')
    nodes.append(f'<node id="{mid_id + 1}" lat="{y0 - step:.7f}" lon="{x0 + side * step:.7f}"/>')
    ways.append(f'<way id="{way_id}"><nd ref="{mid_id}"/><nd ref="{mid_id + 1}"/><tag k="railway" v="rail"/></way>')
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="bench_osm">\n'
                    + "\n".join(nodes) + "\n" + "\n".join(ways) + "\n</osm>\n", encoding="utf-8")
    return len(nodes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=142, help="junctions per grid side (142 → ~40k nodes)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds; best of N is reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grid.osm"
        n_osm = write_grid_osm(path, args.side)
        print(f"grid {args.side}×{args.side}: {n_osm} OSM nodes, {path.stat().st_size / 2**20:.1f} MiB XML")
        best = {"gdal": float("inf"), "osmnx": float("inf")}
        nets = {}
        for _ in range(args.repeat):
            for engine in ("osmnx", "gdal"):
                gc.collect()
                t0 = time.perf_counter()
                nets[engine] = network.from_osm(path, engine=engine)
                best[engine] = min(best[engine], time.perf_counter() - t0)
        peak = {}
        for engine in ("osmnx", "gdal"):
            gc.collect()
            tracemalloc.start()
            network.from_osm(path, engine=engine)
            peak[engine] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    a, b = nets["osmnx"], nets["gdal"]
    for name, net in (("osmnx", a), ("gdal", b)):
        print(f"{name:6s} nodes {net.n_nodes:6d}  edges {len(net.edges):6d}  "
              f"length {net.edges.length_km.sum():.6f} km  time {net.edges.time_min.sum():.6f} min")
    same = (a.n_nodes == b.n_nodes and len(a.edges) == len(b.edges)
            and abs(a.edges.length_km.sum() / b.edges.length_km.sum() - 1) < 1e-9
            and abs(a.edges.time_min.sum() / b.edges.time_min.sum() - 1) < 1e-9)
    print(f"same graph: {same}")
    print(f"best of {args.repeat}: osmnx {best['osmnx']:.2f} s, gdal {best['gdal']:.2f} s, "
          f"speed-up {best['osmnx'] / best['gdal']:.1f}×")
    print(f"peak traced memory: osmnx {peak['osmnx']:.0f} MiB, gdal {peak['gdal']:.0f} MiB; "
          f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
