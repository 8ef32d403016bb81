#!/usr/bin/env python3
"""Build the installable QGIS plugin zip (plugin-repository layout).

    python tools/build_plugin_zip.py                 # → dist/yrdgeo_qgis-<version>.zip
    python tools/build_plugin_zip.py --out X.zip --no-library
    python tools/build_plugin_zip.py --plugins-xml https://gis.example.org/qgis/   # + dist/plugins.xml
    python tools/build_plugin_zip.py --official --homepage URL --tracker URL --repository URL --email ADDRESS

The zip holds one top-level folder, ``yrdgeo_qgis/``, as QGIS's plugin
manager ("Install from ZIP") and plugin repositories expect. It carries the
plugin (Python, help, styles, compiled translations, metadata.txt,
requirements.txt) and, in ``yrdgeo_qgis/ext/yrdgeo``, the yrdgeo library of
this checkout, so the plugin runs the library version it was tested with;
QGIS's Python then needs only the third-party packages in requirements.txt.
Entries are written in sorted order with a fixed timestamp, so the same
sources give the same zip. The plugin's page, docs/qgis.md (and its
screenshot), ships in ``yrdgeo_qgis/docs/``: messages and help point at it.

The metadata and the zip are checked against the rules of the official
plugin repository (plugins.qgis.org's upload validator): required fields, a
dotted version, http(s) addresses, every package of requirements.txt named in
``about``, one ASCII top-level folder with __init__.py, metadata.txt and
LICENSE, no compiled or VCS files, at most 25 MB. metadata.txt's addresses are
placeholders on the reserved domain example.invalid until the project has a
public address (metadata.txt says so); ``--homepage/--tracker/--repository/
--email`` replace them in the zip's copy, and ``--official`` refuses a zip
that still has one (plugins.qgis.org checks that the addresses answer).

``--plugins-xml URL`` also writes ``plugins.xml`` beside the zip (and the
icon), the repository index QGIS's plugin manager reads: an organisation
serves both files under URL and adds URL/plugins.xml as a plugin repository
(*Plugins → Manage and Install Plugins → Settings → Add…*).
"""

from __future__ import annotations

import argparse
import configparser
import re
import shutil
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlparse
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
PLUGIN = REPO / "qgis_plugin" / "yrdgeo_qgis"
LIBRARY = REPO / "yrdgeo"
NAME = "yrdgeo_qgis"
DOCS = [(REPO / "docs" / "qgis.md", Path("docs") / "qgis.md"),
        (REPO / "docs" / "img" / "qgis_toolbox.png", Path("docs") / "img" / "qgis_toolbox.png")]
# plugins.qgis.org requires the first nine; homepage and hasProcessingProvider are ours.
REQUIRED_METADATA = ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
                     "tracker", "repository", "homepage", "hasProcessingProvider")
URL_FIELDS = ("homepage", "tracker", "repository")
# Addresses that stand for "not set yet" (RFC 2606 reserved names; the upload validator's own defaults).
PLACEHOLDER = re.compile(r"example\.(invalid|com|org|net)\b|^https?://(bugs|repo|homepage)/?$")
PACKAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]+$")
MAX_BYTES = 25_000_000  # plugins.qgis.org's upload limit
FORBIDDEN_DIRS = {"__MACOSX", ".git", "__pycache__"}
SKIP_DIRS = {"__pycache__", ".pytest_cache", "ext"}
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts"}  # .ts are translation sources; the compiled .qm ship
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _parser(text: str | None = None) -> configparser.ConfigParser:
    """Return a ConfigParser for metadata.txt (keys keep their camelCase), holding ``text`` if given."""
    cfg = configparser.ConfigParser()
    cfg.optionxform = str
    if text is not None:
        cfg.read_string(text)
    return cfg


def zip_metadata(zip_path: Path) -> configparser.SectionProxy:
    """Return the [general] section of the metadata.txt inside the plugin zip ``zip_path``."""
    with zipfile.ZipFile(zip_path) as zf:
        return _parser(zf.read(f"{NAME}/metadata.txt").decode("utf-8"))["general"]


def read_metadata(plugin: Path = PLUGIN) -> configparser.SectionProxy:
    """Return metadata.txt's [general] section, or raise ValueError naming what is missing."""
    cfg = _parser()
    if not cfg.read(plugin / "metadata.txt", encoding="utf-8") or "general" not in cfg:
        msg = f"{plugin / 'metadata.txt'} is missing or has no [general] section"
        raise ValueError(msg)
    meta = cfg["general"]
    missing = [k for k in REQUIRED_METADATA if not meta.get(k, "").strip()]
    if missing:
        msg = f"metadata.txt lacks {', '.join(missing)}"
        raise ValueError(msg)
    problems = check_metadata(meta, requirements=requirement_names(
        (plugin / "requirements.txt").read_text(encoding="utf-8")))
    if problems:
        raise ValueError("metadata.txt: " + "; ".join(problems))
    init = (plugin / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', init, re.M)
    if not match or match.group(1) != meta["version"]:
        msg = f"metadata.txt version {meta['version']} differs from yrdgeo_qgis.__version__ {match and match.group(1)}"
        raise ValueError(msg)
    return meta


def requirement_names(text: str) -> list[str]:
    """Return the package names in the text of a requirements file (no versions, markers or comments)."""
    names = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0])
    return names


def is_placeholder(url: str) -> bool:
    """Return True for an address that stands for "not set yet" (example.invalid and the like)."""
    return bool(PLACEHOLDER.search(url or ""))


def check_metadata(meta, *, requirements: list[str] | None = None, official: bool = False) -> list[str]:
    """Return what breaks the plugin repository's metadata rules (empty: none).

    ``requirements``: the package names ``about`` must name.
    ``official``: also refuse placeholder addresses, which plugins.qgis.org
    rejects because it checks that homepage, tracker and repository answer.
    """
    problems = [f"{k} is missing" for k in REQUIRED_METADATA if not str(meta.get(k, "")).strip()]
    if not re.fullmatch(r"\d+(\.\d+){1,2}", meta.get("version", "").strip() or "x"):
        problems.append(f"version {meta.get('version')!r} is not a dotted version such as 0.1.0")
    if not re.fullmatch(r"3\.\d+(\.\d+)?", meta.get("qgisMinimumVersion", "").strip() or "x"):
        problems.append(f"qgisMinimumVersion {meta.get('qgisMinimumVersion')!r} is not a QGIS 3 version")
    if "/" in meta.get("author", ""):
        problems.append("author cannot contain slashes")
    for key in URL_FIELDS:
        url = meta.get(key, "").strip()
        parsed = urlparse(url)
        if url and not (parsed.scheme in ("http", "https") and parsed.netloc):
            problems.append(f"{key} {url!r} is not an http(s) address")
        elif official and is_placeholder(url):
            problems.append(f"{key} {url!r} is a placeholder: give the real address (--{key})")
    if official and is_placeholder(meta.get("email", "")):
        problems.append(f"email {meta.get('email')!r} is a placeholder: give a real one (--email)")
    if requirements is not None:
        about = meta.get("about", "").lower()
        unnamed = [n for n in requirements if not re.search(rf"\b{re.escape(n.lower())}\b", about)]
        if unnamed:
            problems.append(f"about does not name the dependencies {', '.join(unnamed)} (requirements.txt)")
    return problems


def check_zip(path: Path, *, official: bool = False) -> list[str]:
    """Return what plugins.qgis.org's upload validator would refuse in the zip ``path`` (empty: none)."""
    problems = []
    if path.stat().st_size > MAX_BYTES:
        problems.append(f"{path.stat().st_size / 1e6:.1f} MB is over the {MAX_BYTES / 1e6:.0f} MB limit")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) != 1:
            problems.append(f"more than one top-level folder: {', '.join(sorted(tops))}")
        top = names[0].split("/", 1)[0] if names else ""  # as the upload validator: the first entry's folder
        if not PACKAGE_NAME.match(top):
            problems.append(f"top-level folder {top!r} is not ASCII letters, digits, - and _")
        for needed in ("__init__.py", "metadata.txt", "LICENSE"):
            if f"{top}/{needed}" not in names:
                problems.append(f"{top}/{needed} is missing")
        for name in names:
            if ".." in name or name.startswith("/") or ".pyc" in name or FORBIDDEN_DIRS & set(name.split("/")):
                problems.append(f"{name} is not allowed in a plugin zip")
        if zf.testzip() is not None:
            problems.append("the zip is corrupt")
        if f"{top}/metadata.txt" in names:
            cfg = _parser(zf.read(f"{top}/metadata.txt").decode("utf-8"))
            if "general" not in cfg:
                problems.append("metadata.txt has no [general] section")
            else:
                requirements = (requirement_names(zf.read(f"{top}/requirements.txt").decode("utf-8"))
                                if f"{top}/requirements.txt" in names else None)
                problems += check_metadata(cfg["general"], requirements=requirements, official=official)
    return problems


def with_addresses(text: str, addresses: dict[str, str]) -> str:
    """Return metadata.txt ``text`` with the given ``{key: value}`` lines replaced (the other lines kept)."""
    for key, value in addresses.items():
        if value:
            text, n = re.subn(rf"^{key}=.*$", f"{key}={value}", text, flags=re.M)
            if n != 1:
                msg = f"metadata.txt has no single {key}= line to replace"
                raise ValueError(msg)
    return text


def _files(root: Path):
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or SKIP_DIRS & set(rel.parts[:-1]) or path.suffix in SKIP_SUFFIXES:
            continue
        yield path, rel


def build_zip(out: Path | None = None, *, with_library: bool = True, addresses: dict[str, str] | None = None,
              official: bool = False) -> Path:
    """Write the plugin zip; return its path.

    ``addresses``: ``{"homepage"|"tracker"|"repository"|"email": value}`` put
    into the zip's metadata.txt in place of the placeholders. The zip is then
    checked with :func:`check_zip` (``official``: placeholders refused too) and
    not kept when it fails.
    """
    meta = read_metadata()
    if not (PLUGIN / "i18n" / "yrdgeo_zh_CN.qm").exists():
        msg = "compiled translations are missing: run tools/build_translations.py"
        raise ValueError(msg)
    metadata = with_addresses((PLUGIN / "metadata.txt").read_text(encoding="utf-8"), addresses or {})
    out = Path(out) if out else REPO / "dist" / f"{NAME}-{meta['version']}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = [(p, Path(NAME) / rel) for p, rel in _files(PLUGIN)]
        if with_library:
            entries += [(p, Path(NAME) / "ext" / "yrdgeo" / rel) for p, rel in _files(LIBRARY)]
        entries += [(path, Path(NAME) / rel) for path, rel in DOCS if path.exists()]
        if (REPO / "LICENSE").exists():  # the QGIS plugin repository asks for one in the zip
            entries.append((REPO / "LICENSE", Path(NAME) / "LICENSE"))
        for path, arc in sorted(entries, key=lambda e: e[1].as_posix()):
            info = zipfile.ZipInfo(arc.as_posix(), date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = metadata.encode("utf-8") if path == PLUGIN / "metadata.txt" else path.read_bytes()
            zf.writestr(info, data)
    problems = check_zip(tmp, official=official)
    if problems:
        tmp.unlink()
        msg = "the zip breaks the plugin repository's rules: " + "; ".join(problems)
        raise ValueError(msg)
    tmp.replace(out)
    return out


def served_name(version: str) -> str:
    """Return the zip's file name in a plugin repository: ``yrdgeo_qgis.<version>.zip`` (id before the first dot)."""
    return f"{NAME}.{version}.zip"


def plugins_xml(zip_path: Path, base_url: str) -> str:
    """Return the plugins.xml (QGIS plugin repository index) listing the zip served at ``base_url``.

    QGIS's plugin manager reads ``<pyqgis_plugin name version>`` with
    ``download_url``, ``file_name``, ``qgis_minimum_version`` and the texts of
    metadata.txt; the icon is served beside the zip. The plugin manager takes
    the plugin's id from ``file_name`` up to its first dot, so the zip is
    listed as ``yrdgeo_qgis.<version>.zip`` (:func:`served_name`).
    """
    base = base_url.rstrip("/") + "/"
    meta = zip_metadata(zip_path)
    icon = f"{NAME}-{Path(meta['icon']).name}" if meta.get("icon") else ""
    fields = {
        "description": meta["description"], "about": meta["about"], "version": meta["version"],
        "qgis_minimum_version": meta["qgisMinimumVersion"],
        "qgis_maximum_version": meta.get("qgisMaximumVersion", "3.99"),
        "homepage": meta["homepage"], "file_name": served_name(meta["version"]), "icon": base + icon if icon else "",
        "author_name": meta["author"], "author_email": meta["email"],
        "download_url": base + served_name(meta["version"]),
        "experimental": meta.get("experimental", "False"), "deprecated": meta.get("deprecated", "False"),
        "tracker": meta["tracker"], "repository": meta["repository"], "tags": meta.get("tags", ""),
        "category": meta.get("category", ""), "server": meta.get("server", "False"),
    }
    body = "\n".join(f"    <{k}>{escape(v.strip())}</{k}>" for k, v in fields.items())
    attrs = f'name="{escape(meta["name"], {chr(34): "&quot;"})}" version="{escape(meta["version"])}"'
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<plugins>\n  <pyqgis_plugin {attrs}>\n{body}\n'
            "  </pyqgis_plugin>\n</plugins>\n")


def write_plugins_xml(zip_path: Path, base_url: str) -> Path:
    """Write plugins.xml, the icon and the zip under its served name beside the zip; return plugins.xml's path."""
    parsed = urlparse(base_url)
    if not (parsed.scheme in ("http", "https", "file") and (parsed.netloc or parsed.scheme == "file")):
        msg = f"--plugins-xml {base_url!r} is not an http(s) or file address of the folder serving the zip"
        raise ValueError(msg)
    out = zip_path.with_name("plugins.xml")
    out.write_text(plugins_xml(zip_path, base_url), encoding="utf-8")
    meta = zip_metadata(zip_path)
    if meta.get("icon"):
        with zipfile.ZipFile(zip_path) as zf:
            zip_path.with_name(f"{NAME}-{Path(meta['icon']).name}").write_bytes(zf.read(f"{NAME}/{meta['icon']}"))
    served = zip_path.with_name(served_name(meta["version"]))
    if served != zip_path:
        shutil.copyfile(zip_path, served)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="zip to write (default dist/yrdgeo_qgis-<version>.zip)")
    parser.add_argument("--no-library", action="store_true", help="leave the yrdgeo library out (install it with pip)")
    for key in (*URL_FIELDS, "email"):
        parser.add_argument(f"--{key}", help=f"the plugin's {key}, in place of metadata.txt's placeholder")
    parser.add_argument("--official", action="store_true",
                        help="refuse placeholder addresses (for an upload to plugins.qgis.org)")
    parser.add_argument("--plugins-xml", metavar="URL",
                        help="also write plugins.xml for a plugin repository serving the zip from URL")
    args = parser.parse_args(argv)
    addresses = {k: getattr(args, k) for k in (*URL_FIELDS, "email") if getattr(args, k)}
    try:
        path = build_zip(args.out, with_library=not args.no_library, addresses=addresses, official=args.official)
        xml = write_plugins_xml(path, args.plugins_xml) if args.plugins_xml else None
    except ValueError as exc:
        print(f"build_plugin_zip: error: {exc}", file=sys.stderr)
        return 2
    with zipfile.ZipFile(path) as zf:
        n = len(zf.namelist())
    meta = zip_metadata(path)
    print(f"wrote {path} ({n} files, {path.stat().st_size / 1e6:.1f} MB)")
    if xml:
        print(f"wrote {xml} (with the zip as {served_name(meta['version'])} and the icon beside it): "
              f"serve the folder at {args.plugins_xml} and add {args.plugins_xml.rstrip('/')}/plugins.xml "
              "in QGIS as a plugin repository")
    if any(is_placeholder(meta.get(key, "")) for key in (*URL_FIELDS, "email")):
        print("note: homepage/tracker/repository/email are still placeholders (example.invalid); give "
              "--homepage/--tracker/--repository/--email before publishing (see metadata.txt)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
