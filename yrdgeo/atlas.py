"""The YRD atlas (first version): every bundled layer in one GeoPackage and an overview map.

Superseded by the full atlas of the maps issue; kept minimal here.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import __version__, io, regions, units  # noqa: E402
from .crs import DISTANCE_CRS  # noqa: E402

CJK_FONT = "Noto Sans CJK SC"


def build_atlas(out: str | Path, *, overwrite: bool = False) -> Path:
    """Return the atlas folder after writing ``yrd_atlas.gpkg``, ``overview.png`` and ``record.json`` into it."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not overwrite:
        msg = f"output folder {out} exists and is not empty; pass --overwrite to replace it"
        raise FileExistsError(msg)
    parent = out.resolve().parent
    if not parent.is_dir():
        msg = f"parent folder {parent} does not exist"
        raise FileNotFoundError(msg)
    tmp = Path(tempfile.mkdtemp(prefix=".yrdgeo-atlas-", dir=parent))
    try:
        layers = {f"units_{lvl}": units.load_units(lvl) for lvl in units.LEVELS}
        layers["region_groups"] = regions.membership_table(list(regions.list_groups().group_id))
        io.write_layers(layers, tmp / "yrd_atlas.gpkg")
        _overview(layers["units_city"], layers["units_province"], tmp / "overview.png")
        (tmp / "record.json").write_text(
            json.dumps({"yrdgeo": __version__, "layers": list(layers)}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        tmp.chmod(0o755)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _overview(cities, provinces, path: Path) -> None:
    c = cities.to_crs(DISTANCE_CRS)
    fig, ax = plt.subplots(figsize=(8.27, 11.69))
    c.plot(ax=ax, color="#f2efe6", edgecolor="#999999", linewidth=0.4)
    provinces.to_crs(DISTANCE_CRS).boundary.plot(ax=ax, color="#333333", linewidth=1.0)
    pts = units.anchor_points(cities).to_crs(DISTANCE_CRS)
    for name, p in zip(cities.short_zh, pts.geometry):
        ax.annotate(name, (p.x, p.y), fontsize=7, ha="center", fontfamily=CJK_FONT)
    ax.set_title("长三角 41 个地级及以上城市", fontfamily=CJK_FONT)
    ax.set_axis_off()
    fig.savefig(path, dpi=120)
    plt.close(fig)
