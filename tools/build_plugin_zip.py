#!/usr/bin/env python3
"""Build the installable QGIS plugin zip (plugin-repository layout).

    python tools/build_plugin_zip.py                 # → dist/yrdgeo_qgis-<version>.zip
    python tools/build_plugin_zip.py --out X.zip --no-library

The zip holds one top-level folder, ``yrdgeo_qgis/``, as QGIS's plugin
manager ("Install from ZIP") and plugin repositories expect. It carries the
plugin (Python, help, styles, compiled translations, metadata.txt,
requirements.txt) and, in ``yrdgeo_qgis/ext/yrdgeo``, the yrdgeo library of
this checkout, so the plugin runs the library version it was tested with;
QGIS's Python then needs only the third-party packages in requirements.txt.
Entries are written in sorted order with a fixed timestamp, so the same
sources give the same zip.
"""

from __future__ import annotations

import argparse
import configparser
import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLUGIN = REPO / "qgis_plugin" / "yrdgeo_qgis"
LIBRARY = REPO / "yrdgeo"
NAME = "yrdgeo_qgis"
REQUIRED_METADATA = ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
                     "homepage", "tracker", "repository", "hasProcessingProvider")
SKIP_DIRS = {"__pycache__", ".pytest_cache", "ext"}
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts"}  # .ts are translation sources; the compiled .qm ship
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def read_metadata(plugin: Path = PLUGIN) -> configparser.SectionProxy:
    """Return metadata.txt's [general] section, or raise ValueError naming what is missing."""
    cfg = configparser.ConfigParser()
    cfg.optionxform = str  # keys are camelCase
    if not cfg.read(plugin / "metadata.txt", encoding="utf-8") or "general" not in cfg:
        msg = f"{plugin / 'metadata.txt'} is missing or has no [general] section"
        raise ValueError(msg)
    meta = cfg["general"]
    missing = [k for k in REQUIRED_METADATA if not meta.get(k, "").strip()]
    if missing:
        msg = f"metadata.txt lacks {', '.join(missing)}"
        raise ValueError(msg)
    init = (plugin / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', init, re.M)
    if not match or match.group(1) != meta["version"]:
        msg = f"metadata.txt version {meta['version']} differs from yrdgeo_qgis.__version__ {match and match.group(1)}"
        raise ValueError(msg)
    return meta


def _files(root: Path):
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or SKIP_DIRS & set(rel.parts[:-1]) or path.suffix in SKIP_SUFFIXES:
            continue
        yield path, rel


def build_zip(out: Path | None = None, *, with_library: bool = True) -> Path:
    """Write the plugin zip; return its path."""
    meta = read_metadata()
    if not (PLUGIN / "i18n" / "yrdgeo_zh_CN.qm").exists():
        msg = "compiled translations are missing: run tools/build_translations.py"
        raise ValueError(msg)
    out = Path(out) if out else REPO / "dist" / f"{NAME}-{meta['version']}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = [(p, Path(NAME) / rel) for p, rel in _files(PLUGIN)]
        if with_library:
            entries += [(p, Path(NAME) / "ext" / "yrdgeo" / rel) for p, rel in _files(LIBRARY)]
        if (REPO / "LICENSE").exists():  # the QGIS plugin repository asks for one in the zip
            entries.append((REPO / "LICENSE", Path(NAME) / "LICENSE"))
        for path, arc in entries:
            info = zipfile.ZipInfo(arc.as_posix(), date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(out)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="zip to write (default dist/yrdgeo_qgis-<version>.zip)")
    parser.add_argument("--no-library", action="store_true", help="leave the yrdgeo library out (install it with pip)")
    args = parser.parse_args(argv)
    try:
        path = build_zip(args.out, with_library=not args.no_library)
    except ValueError as exc:
        print(f"build_plugin_zip: error: {exc}", file=sys.stderr)
        return 2
    with zipfile.ZipFile(path) as zf:
        n = len(zf.namelist())
    print(f"wrote {path} ({n} files, {path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
