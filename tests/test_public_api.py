"""Every name the documentation shows, and every name a module lists in ``__all__``, resolves.

The documented names are read from README.md and docs/*.md: fenced code blocks and inline code. A Python
block is parsed, so ``from yrdgeo import autocorrelation as ac`` makes ``ac.moran(…)`` the documented name
``yrdgeo.autocorrelation.moran``; names bound that way in one block of a page count in all its code (the
pages read as one session). Other code is searched for ``yrdgeo.x.y``, ``from yrdgeo.x import a, b`` and
``import yrdgeo.x``. Each name is a test of its own, named by page and name, so a failure says which page
promises what.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

FENCE = re.compile(r"^[ \t]*(```|~~~)[ \t]*([\w+-]*)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)
INLINE = re.compile(r"(`+)(.+?)\1", re.S)
# ``(?<![\w./"'-])``: not the tail of a path or of a longer dotted name (``atlas/maps/units.png``), nor a
# string (``library="yrdgeo.module.LIST"`` is a placeholder)
DOTTED = re.compile(r"(?<![\w./\"'-])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)")
FROM_IMPORT = re.compile(r"\bfrom\s+(yrdgeo(?:\.\w+)*)\s+import\s+\(?([\w\s,]+)")
IMPORT = re.compile(r"(?<![\w.])import\s+(yrdgeo(?:\.\w+)*)(?:\s+as\s+(\w+))?")
FILE_SUFFIXES = {"png", "pdf", "svg", "csv", "gpkg", "geojson", "html", "md", "json", "py", "txt", "xlsx", "shp",
                 "tif", "zip", "gz", "toml", "cfg", "ts", "qm"}


def code_of(text: str) -> tuple[list[str], list[str]]:
    """Return the page's Python blocks and its other code (other blocks, inline code) as two lists."""
    python, other = [], []
    for match in FENCE.finditer(text):
        (python if match.group(2).lower() in {"python", "py", "pycon"} else other).append(match.group(3))
    other += [m.group(2) for m in INLINE.finditer(FENCE.sub("", text))]
    return python, other


def _from_python(block: str, bound: dict[str, str], names: set[str]) -> bool:
    """Add a parsed block's imports to ``bound`` and its yrdgeo names to ``names``; False if it does not parse."""
    try:
        tree = ast.parse(block)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "yrdgeo":
                    names.add(alias.name)
                    bound[alias.asname or "yrdgeo"] = alias.name if alias.asname else "yrdgeo"
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "yrdgeo":
            for alias in node.names:
                names.add(f"{node.module}.{alias.name}")
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = []
            while isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            if isinstance(node, ast.Name):
                parts.append(node.id)
                names.add(".".join(reversed(parts)))  # kept if its head is bound (see documented_names)
    return True


def _from_text(code: str, bound: dict[str, str], names: set[str]) -> None:
    """Add the yrdgeo imports and dotted names found by pattern in ``code``."""
    for module, listed in FROM_IMPORT.findall(code):
        for item in listed.split(","):
            words = item.split()
            if words:
                names.add(f"{module}.{words[0]}")
                bound[words[2] if len(words) == 3 and words[1] == "as" else words[0]] = f"{module}.{words[0]}"
    for module, alias in IMPORT.findall(code):
        names.add(module)
        bound[alias or "yrdgeo"] = module if alias else "yrdgeo"
    for head, tail in DOTTED.findall(code):
        if tail.rsplit(".", 1)[-1].lower() not in FILE_SUFFIXES:
            names.add(head + tail)


def documented_names(page: Path) -> list[str]:
    """Return the yrdgeo names ``page`` shows in its code, as dotted paths from ``yrdgeo``."""
    python, other = code_of(page.read_text(encoding="utf-8"))
    bound: dict[str, str] = {"yrdgeo": "yrdgeo"}
    found: set[str] = set()
    for block in python:
        if not _from_python(block, bound, found):
            other.append(block)
    for code in other:
        _from_text(code, bound, found)
    names = set()
    for name in found:
        head, _, tail = name.partition(".")
        if head in bound:
            names.add(bound[head] + ("." + tail if tail else ""))
    return sorted(names)


def resolve(dotted: str):
    """Return the object ``dotted`` names, importing modules on the way; raise AttributeError naming the gap."""
    parts = dotted.split(".")
    obj = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        here = ".".join(parts[: i + 1])
        if hasattr(obj, part):  # an ImportError inside a lazily imported module propagates: that is a failure too
            obj = getattr(obj, part)
            continue
        if isinstance(obj, ModuleType):
            try:
                obj = importlib.import_module(here)
                continue
            except ModuleNotFoundError as err:
                if err.name != here:
                    raise
        msg = f"{'.'.join(parts[:i])} has no {part!r} (documented as {dotted})"
        raise AttributeError(msg)
    return obj


DOCUMENTED = [(page.relative_to(REPO).as_posix(), name) for page in PAGES for name in documented_names(page)]


@pytest.mark.parametrize(("page", "name"), DOCUMENTED, ids=[f"{page}:{name}" for page, name in DOCUMENTED])
def test_documented_name_resolves(page, name):
    resolve(name)


def exported_names() -> list[tuple[str, str | None]]:
    """Return (module, name) for each literal ``__all__`` entry of yrdgeo's modules; (module, None) when not literal."""
    found = []
    for path in sorted((REPO / "yrdgeo").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AugAssign, ast.AnnAssign)) else []
            if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                continue
            try:
                found += [(module, name) for name in ast.literal_eval(node.value)]
            except ValueError:
                found.append((module, None))
    return sorted(set(found), key=lambda item: (item[0], item[1] or ""))


EXPORTED = exported_names()


@pytest.mark.parametrize(("module", "name"), EXPORTED, ids=[f"{m}:{n or '__all__'}" for m, n in EXPORTED])
def test_all_names_resolve(module, name):
    mod = importlib.import_module(module)
    missing = [n for n in ([name] if name else mod.__all__) if not hasattr(mod, n)]
    assert not missing, f"{module}.__all__ lists {missing}, which {module} does not define"


def test_the_pages_are_read():
    """The extraction sees names in README blocks, aliases and inline code (a guard against reading nothing)."""
    readme = documented_names(REPO / "README.md")
    assert {"yrdgeo.load_units", "yrdgeo.resolve", "yrdgeo.DISTANCE_CRS"} <= set(readme)
    text = ("```python\nfrom yrdgeo import autocorrelation as ac\nac.moran(x)\n```\n"
            "`yrdgeo.od.read(path)`, `maps/units.png`, `f(x, \"yrdgeo.module.LIST\")` and "
            "`from yrdgeo.io import write_layers, atomic_path`\n")
    python, other = code_of(text)
    bound, found = {"yrdgeo": "yrdgeo"}, set()
    assert _from_python(python[0], bound, found)
    for code in other:
        _from_text(code, bound, found)
    assert {"ac.moran", "yrdgeo.od.read", "yrdgeo.io.write_layers", "yrdgeo.io.atomic_path"} <= found
    assert bound["ac"] == "yrdgeo.autocorrelation"
    assert not any("png" in name or "LIST" in name for name in found)
