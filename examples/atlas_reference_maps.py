"""Build the YRD atlas and refresh the reference PNGs in examples/atlas/ (one per map, 100 dpi).

Run from the repository root:  PYTHONPATH=. python examples/atlas_reference_maps.py [--out atlas]

The same as ``yrdgeo atlas --out atlas --dpi 100`` followed by copying
``maps/*.png`` here, reduced to a 256-colour palette so the repository stays
small. Look at them after any change to yrdgeo.maps or an atlas topic.

Data: only what yrdgeo bundles (boundaries and seats under yrdgeo/data, the
facts taken from the source papers under yrdgeo/data/reference — sources.csv
lists the papers — the network and DEM samples); each topic's sources, papers
cited by authors and title, are listed in the atlas report and in docs/maps.md.
The linkage topic needs population and GDP from a user's table and is skipped here
(the bundled data has none), so it has no reference map.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PIL import Image

from yrdgeo import atlas

HERE = Path(__file__).resolve().parent / "atlas"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", help="also keep the whole atlas in this folder (default: a temporary one)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        out = Path(args.out) if args.out else Path(d) / "atlas"
        res = atlas.build_atlas(out, dpi=100, overwrite=bool(args.out))
        HERE.mkdir(exist_ok=True)
        for old in HERE.glob("*.png"):
            old.unlink()
        for key, (png, _pdf) in res.maps.items():
            with Image.open(png) as im:
                im.convert("RGB").quantize(colors=256).save(HERE / f"{key}.png", optimize=True)
            print(f"wrote {HERE / (key + '.png')}")


if __name__ == "__main__":
    main()
