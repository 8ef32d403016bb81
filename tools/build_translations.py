#!/usr/bin/env python3
"""Update the QGIS plugin's translation sources (.ts) from the code and compile them (.qm).

    python tools/build_translations.py            # update .ts files, then compile with lrelease
    python tools/build_translations.py --check    # exit 1 if a .ts lacks a string or a zh_CN translation

Strings are found with ``ast`` (no PyQt tooling needed): ``tr("...")`` and ``tr_noop("...")`` calls,
``DISPLAY_NAME = "..."``, the ``GROUPS`` values, and the description (and
choice label) arguments of the base class's ``add_*`` parameter builders, which
translate them at run time. New strings enter every ``.ts`` file; in
``yrdgeo_en.ts`` they are finished (English is the source language), in
``yrdgeo_zh_CN.ts`` they are marked unfinished until someone translates them
(edit the file, or open it in Qt Linguist). Translations already in a file are
kept; strings no longer in the code are dropped.

Compiling needs ``lrelease`` from Qt 5 (Debian: qttools5-dev-tools; OSGeo4W:
qt5-tools). The compiled ``.qm`` files are committed, so neither running nor
installing the plugin needs Qt's tools.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[1] / "qgis_plugin" / "yrdgeo_qgis"
I18N = PLUGIN / "i18n"
CONTEXT = "YrdGeo"
LOCALES = ("zh_CN", "en")
BUILDERS = {"add_source", "add_field", "add_choice", "add_string", "add_number", "add_sink", "add_file", "add_bool",
            "add_table"}


def _const(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(root: Path = PLUGIN) -> list[str]:
    """Return the user-facing source strings of the plugin, in first-seen order."""
    found: dict[str, None] = {}
    for path in sorted(root.rglob("*.py")):
        if "ext" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in ("tr", "tr_noop") and node.args and _const(node.args[0]):
                    found[_const(node.args[0])] = None
                elif name in BUILDERS and len(node.args) >= 2:
                    if _const(node.args[1]):
                        found[_const(node.args[1])] = None
                    if name == "add_choice" and len(node.args) >= 3 and isinstance(node.args[2], ast.Dict):
                        for label in node.args[2].values:  # {value: label}; ``**LEVEL_LABELS`` are tr_noop'd
                            if _const(label):
                                found[_const(label)] = None
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target = node.targets[0].id
                if target == "DISPLAY_NAME" and _const(node.value):
                    found[_const(node.value)] = None
                elif target == "GROUPS" and isinstance(node.value, ast.Dict):
                    for v in node.value.values:
                        if _const(v):
                            found[_const(v)] = None
    return list(found)


def read_ts(path: Path) -> dict[str, tuple[str, bool]]:
    """Return ``{source: (translation, finished)}`` from a .ts file (empty if absent)."""
    if not path.exists():
        return {}
    out = {}
    for msg in ET.parse(path).getroot().iter("message"):
        tr = msg.find("translation")
        out[msg.findtext("source")] = (tr.text or "", tr.get("type") != "unfinished")
    return out


def write_ts(path: Path, locale: str, sources: list[str], known: dict[str, tuple[str, bool]]) -> None:
    root = ET.Element("TS", version="2.1", language=locale, sourcelanguage="en")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    for src in sources:
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = src
        text, finished = known.get(src, ("", False))
        if locale == "en":
            text, finished = src, True
        tr = ET.SubElement(msg, "translation")
        tr.text = text
        if not finished or not text:
            tr.set("type", "unfinished")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def check(sources: list[str]) -> list[str]:
    """Return the problems: strings missing from a .ts file, or untranslated in zh_CN."""
    problems = []
    for locale in LOCALES:
        known = read_ts(I18N / f"yrdgeo_{locale}.ts")
        problems += [f"{locale}: missing {s!r}" for s in sources if s not in known]
        problems += [f"{locale}: unfinished {s!r}" for s, (t, ok) in known.items() if not ok or not t]
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing or unfinished strings")
    args = parser.parse_args(argv)
    sources = extract()
    if args.check:
        problems = check(sources)
        print("\n".join(problems) or f"{len(sources)} strings, all translated")
        return 1 if problems else 0
    I18N.mkdir(exist_ok=True)
    for locale in LOCALES:
        ts = I18N / f"yrdgeo_{locale}.ts"
        write_ts(ts, locale, sources, read_ts(ts))
    lrelease = shutil.which("lrelease") or shutil.which("lrelease-qt5")
    if lrelease is None:
        print("lrelease not found: install Qt 5's tools (Debian: qttools5-dev-tools) to compile .qm files", file=sys.stderr)
        return 1
    for locale in LOCALES:
        ts = I18N / f"yrdgeo_{locale}.ts"
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    problems = check(sources)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(sources)} strings; {len(problems)} problems; wrote {', '.join(f'yrdgeo_{l}.qm' for l in LOCALES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
