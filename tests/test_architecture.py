"""The library's import graph has no circles and no module reaches into another module's private names.

Every module of ``yrdgeo/`` and ``qgis_plugin/yrdgeo_qgis/`` is parsed with :mod:`ast`; imports count at any
depth (a lazy import inside a function closes a circle as surely as one at the top, it only closes it later).

Rules, as ``docs/architecture.md`` states them:

- No import cycle among yrdgeo's modules (nor among the plugin's). A module importing names from its own package's ``__init__`` is not
  an edge (the package is already in ``sys.modules`` by then), so a package re-exporting its submodules is
  not a cycle; importing ``yrdgeo.maps.labels`` from outside ``yrdgeo/maps/`` runs ``yrdgeo/maps/__init__.py``
  too, so that is an edge to the package as well.
- No cross-module private import: ``from .x import _name``, ``from yrdgeo.x import _name``,
  ``import yrdgeo.x._y``, ``x._name`` on an imported yrdgeo module. The one exception: inside a subpackage
  (``yrdgeo/maps/``, ``yrdgeo_qgis/algorithms/``), its underscore modules (``yrdgeo/maps/_common.py``) hold
  helpers for the modules of that package, which may import them. The top-level package is the whole
  library, so it has no such exception; the plugin never uses the library's private names.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parents[1]
#: (folder holding the top-level package, top-level package name)
TREES = ((REPO, "yrdgeo"), (REPO / "qgis_plugin", "yrdgeo_qgis"))


@dataclass(frozen=True)
class Module:
    """One parsed source file."""

    name: str  # dotted name: yrdgeo.maps.labels; a package is named by its __init__: yrdgeo.maps
    path: str  # as the failure message shows it: relative to the repository
    is_package: bool
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


@dataclass(frozen=True)
class Reference:
    """A dotted name one module imports or reaches (``yrdgeo.units._table``), where it does so."""

    importer: Module
    line: int
    target: str
    executed: bool = True  # False under ``if TYPE_CHECKING:``: never run, so no edge of the import graph
    via: str = ""  # how the source spells it, for an attribute access (``units._table``)…
    bound: int = 0  # …and how many parts of ``target`` name the module that name is bound to


def collect_modules(trees=TREES, *, base: Path = REPO) -> dict[str, Module]:
    """Return every module of the given packages by dotted name (paths shown relative to ``base``)."""
    modules = {}
    for root, top in trees:
        for path in sorted((root / top).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            name = ".".join(parts)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            modules[name] = Module(name, path.relative_to(base).as_posix(), is_package, tree)
    return modules


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """Return the module a ``from … import`` names, relative levels resolved."""
    if not node.level:
        return node.module or ""
    base = module.package.split(".")
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """Return the ids of nodes inside ``if TYPE_CHECKING:`` blocks."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for child in node.body:
                    inside.update(id(n) for n in ast.walk(child))
    return inside


def _dotted(node: ast.expr) -> list[str] | None:
    """Return ``a.b.c`` of an attribute chain on a plain name as ["a", "b", "c"], else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def references(module: Module, modules: dict[str, Module]) -> list[Reference]:
    """Return every dotted name ``module`` imports, at any depth, and every attribute it reads on one.

    ``from X import n`` refers to ``X.n`` (a submodule or a name in ``X``); ``import X.Y`` to ``X.Y``. A name
    bound to one of ``modules`` (``from yrdgeo import units``, ``import yrdgeo.units as u``) makes
    ``units._table`` a reference to ``yrdgeo.units._table``.
    """
    unexecuted = _type_checking_nodes(module.tree)
    found: list[Reference] = []
    bound: dict[str, str] = {}  # local name -> module it names (scopes merged: a module is bound by one name)
    for node in ast.walk(module.tree):
        executed = id(node) not in unexecuted
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Reference(module, node.lineno, alias.name, executed))
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    bound[head] = head
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            for alias in node.names:
                if alias.name == "*":
                    found.append(Reference(module, node.lineno, source, executed))
                    continue
                target = f"{source}.{alias.name}"
                found.append(Reference(module, node.lineno, target, executed))
                if target in modules:
                    bound[alias.asname or alias.name] = target
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            parts = _dotted(node)
            if parts and parts[0] in bound:
                head = bound[parts[0]].split(".")
                target = ".".join([*head, *parts[1:]])
                found.append(Reference(module, node.lineno, target, via=".".join(parts), bound=len(head)))
    return found


def _is_private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def private_offences(modules: dict[str, Module]) -> list[str]:
    """Return ``file:line imports name from module`` for each cross-module private import."""
    tops = {top for _, top in TREES} | {name.partition(".")[0] for name in modules}
    offences = set()
    for module in modules.values():
        for ref in references(module, modules):
            parts = ref.target.split(".")
            if parts[0] not in tops:
                continue  # another project's names are not ours to police
            private = next((i for i, part in enumerate(parts) if _is_private(part)), None)
            if private is None or private == 0 or private < ref.bound:
                continue  # nothing private, or a use of a private module whose import is reported already
            owner = ".".join(parts[:private])
            if owner == module.name:
                continue  # its own private names, reached through its own name
            shared_helper = (
                owner in modules and modules[owner].is_package  # a package's…
                and "." in owner  # …subpackage, not the whole library…
                and ".".join(parts[: private + 1]) in modules  # …underscore module…
                and (module.name == owner or module.name.startswith(owner + "."))  # …used inside it
            )
            if shared_helper:
                continue
            name = ".".join(parts[private:])
            spelled = f" (as {ref.via})" if ref.via else ""
            offences.add((module.path, ref.line, f"imports {name} from {owner}{spelled}"))
    return [f"{path}:{line} {what}" for path, line, what in sorted(offences)]


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph(modules: dict[str, Module], top: str = "yrdgeo") -> nx.DiGraph:
    """Return the import graph among ``top``'s modules; each edge holds the ``file:line`` lines making it.

    Importing ``a.b.c`` imports ``a.b.c`` and every package above it the importer is not already inside.
    """
    graph = nx.DiGraph()
    for module in modules.values():
        if module.name.partition(".")[0] != top:
            continue
        graph.add_node(module.name)
        own = set(_ancestors(module.name)) | {module.name}
        for ref in references(module, modules):
            if not ref.executed or ref.via:
                continue  # not executed, or an attribute read (its import is a reference of its own)
            target = ref.target if ref.target in modules else ref.target.rpartition(".")[0]
            if target not in modules:
                continue
            for reached in [*_ancestors(target), target]:
                if reached in own or reached not in modules or reached.partition(".")[0] != top:
                    continue
                where = f"{module.path}:{ref.line}"
                if graph.has_edge(module.name, reached):
                    graph.edges[module.name, reached]["where"].add(where)
                else:
                    graph.add_edge(module.name, reached, where={where})
    return graph


def import_cycles(graph: nx.DiGraph) -> list[str]:
    """Return one line per circle: each group of modules that import each other, with one circle through it."""
    found = []
    for group in nx.strongly_connected_components(graph):
        if len(group) < 2:
            continue
        circle = nx.find_cycle(graph.subgraph(group))
        steps = [f"{a} -> {b} ({', '.join(sorted(graph.edges[a, b]['where']))})" for a, b in circle]
        found.append(f"{', '.join(sorted(group))} import each other: " + "; ".join(steps))
    return sorted(found)


@pytest.fixture(scope="module")
def modules():
    return collect_modules()


def test_every_module_is_parsed(modules):
    assert {"yrdgeo", "yrdgeo.units", "yrdgeo.cli", "yrdgeo_qgis", "yrdgeo_qgis.algorithms"} <= set(modules)


@pytest.mark.parametrize("top", [top for _, top in TREES])
def test_no_import_cycles(modules, top):
    cycles = import_cycles(import_graph(modules, top))
    assert not cycles, f"import cycles among {top}'s modules (lazy imports count):\n" + "\n".join(cycles)


def test_no_cross_module_private_imports(modules):
    offences = private_offences(modules)
    assert not offences, (
        "modules importing another module's private names (make the name public, or move a helper shared "
        "inside one subpackage into an underscore module of that package):\n" + "\n".join(offences)
    )


# The checker itself, on a small made-up package: it must see what it is meant to see.

def _fake(tmp_path: Path, files: dict[str, str]) -> dict[str, Module]:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return collect_modules([(tmp_path, "yrdgeo"), (tmp_path / "qgis_plugin", "yrdgeo_qgis")], base=tmp_path)


def test_checker_sees_lazy_cycles_and_ignores_reexports(tmp_path):
    modules = _fake(tmp_path, {
        "yrdgeo/__init__.py": "from .a import f\n",
        "yrdgeo/a.py": "def f():\n    from yrdgeo import b\n    return b.g()\n",
        "yrdgeo/b.py": "import yrdgeo\nfrom . import c\n",
        "yrdgeo/c.py": "def h():\n    import yrdgeo.a\n",
        "yrdgeo/maps/__init__.py": "from .style import Style\nfrom .draw import draw\n",
        "yrdgeo/maps/style.py": "class Style: ...\n",
        "yrdgeo/maps/draw.py": "from . import Style\nfrom yrdgeo.maps import style\n",
        "yrdgeo/atlas.py": "from yrdgeo.maps.draw import draw\n",
        "yrdgeo/report.py": "def r():\n    import yrdgeo.atlas\n",
    })
    graph = import_graph(modules)
    assert graph.has_edge("yrdgeo.atlas", "yrdgeo.maps")  # running yrdgeo/maps/__init__.py
    assert not graph.has_edge("yrdgeo.maps.draw", "yrdgeo.maps")  # its own package
    cycles = import_cycles(graph)
    assert len(cycles) == 1
    assert cycles[0].startswith("yrdgeo.a, yrdgeo.b, yrdgeo.c import each other")
    assert "yrdgeo/c.py:2" in cycles[0]


def test_checker_sees_every_spelling_of_a_private_import(tmp_path):
    modules = _fake(tmp_path, {
        "yrdgeo/__init__.py": "__version__ = '1'\n",
        "yrdgeo/units.py": "def _table(): ...\n",
        "yrdgeo/_mcda.py": "def entropy(): ...\n",
        "yrdgeo/a.py": "from .units import _table\n",
        "yrdgeo/b.py": "def f():\n    from yrdgeo.units import _table as t\n",
        "yrdgeo/c.py": "from . import units\n\ndef f():\n    return units._table()\n",
        "yrdgeo/d.py": "import yrdgeo.maps._common\nfrom . import _mcda, __version__\n",
        "yrdgeo/e.py": "import yrdgeo\nx = yrdgeo.units._table()\n",
        "yrdgeo/maps/__init__.py": "",
        "yrdgeo/maps/_common.py": "def helper(): ...\n",
        "yrdgeo/maps/labels.py": "from ._common import helper\nfrom . import _common\nimport yrdgeo.maps._common\n",
        "yrdgeo/maps/draw.py": "from .labels import _place\n",
        "qgis_plugin/yrdgeo_qgis/__init__.py": "",
        "qgis_plugin/yrdgeo_qgis/algorithms/__init__.py": "",
        "qgis_plugin/yrdgeo_qgis/algorithms/_shared.py": "",
        "qgis_plugin/yrdgeo_qgis/algorithms/run.py": "from ._shared import x\nfrom yrdgeo.maps import _common\n",
    })
    assert private_offences(modules) == [
        "qgis_plugin/yrdgeo_qgis/algorithms/run.py:2 imports _common from yrdgeo.maps",
        "yrdgeo/a.py:1 imports _table from yrdgeo.units",
        "yrdgeo/b.py:2 imports _table from yrdgeo.units",
        "yrdgeo/c.py:4 imports _table from yrdgeo.units (as units._table)",
        "yrdgeo/d.py:1 imports _common from yrdgeo.maps",
        "yrdgeo/d.py:2 imports _mcda from yrdgeo",
        "yrdgeo/e.py:2 imports _table from yrdgeo.units (as yrdgeo.units._table)",
        "yrdgeo/maps/draw.py:1 imports _place from yrdgeo.maps.labels",
    ]


# The layers of docs/architecture.md: the page's tables are the rule, so code and page cannot drift apart.
ARCHITECTURE = REPO / "docs" / "architecture.md"
FRONT_ENDS = {"cli": {"atlas"}, "atlas": set(), "__main__": {"cli"}}  # front end -> other front ends it may use


def documented_layers() -> tuple[set[str], dict[str, set[str]]]:
    """Return (core modules, analysis package -> what it may import) as docs/architecture.md's tables state them."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    core_section = text.split("## The core", 1)[1].split("\n## ", 1)[0]
    analysis_section = text.split("## The analyses", 1)[1].split("\n## ", 1)[0]
    cell = r"^\| `([a-z_]+)/?` \|"
    import re

    core = set(re.findall(cell, core_section, flags=re.M))
    allowed = {}
    for row in re.finditer(r"^\| `([a-z_]+)/?` \|.*\| ([^|]+) \|\s*$", analysis_section, flags=re.M):
        words = {w.strip().split(".")[0] for w in row.group(2).split(",")}
        allowed[row.group(1)] = (words - {"core"}) | (core if "core" in words else set())
    return core, allowed


def component_edges(modules: dict[str, Module]) -> dict[tuple[str, str], set[str]]:
    """Return the imports between yrdgeo's top-level parts (``ranking`` -> ``network``), with where they are."""
    edges: dict[tuple[str, str], set[str]] = {}
    graph = import_graph(modules, "yrdgeo")
    for a, b, data in graph.edges(data=True):
        pa, pb = a.split(".")[1:2], b.split(".")[1:2]
        if not pa or not pb or pa == pb:
            continue  # the package's own __init__ (the public face) or a module of the same part
        edges.setdefault((pa[0], pb[0]), set()).update(data["where"])
    return edges


def test_every_part_of_yrdgeo_has_a_documented_place(modules):
    core, allowed = documented_layers()
    assert {"units", "crs", "inputs", "io"} <= core and {"ranking", "maps", "network"} <= set(allowed)
    # yrdgeo/data holds bundled files and the scripts that built them (run by hand, never imported)
    parts = {name.split(".")[1] for name in modules if name.startswith("yrdgeo.")} - {"data"}
    unplaced = sorted(parts - core - set(allowed) - set(FRONT_ENDS))
    assert not unplaced, f"modules not placed in docs/architecture.md's tables (add a row): {unplaced}"


def test_imports_follow_the_documented_layers(modules):
    core, allowed = documented_layers()
    offences = []
    for (a, b), where in sorted(component_edges(modules).items()):
        if a in core:
            ok = b in core
        elif a in allowed:
            ok = b in allowed[a]
        else:  # a front end: anything below it, and the front ends it is allowed
            ok = b not in FRONT_ENDS or b in FRONT_ENDS.get(a, set())
        if not ok:
            offences.append(f"{a} imports {b} ({', '.join(sorted(where))})")
    assert not offences, ("imports that docs/architecture.md does not allow (change the code, or the page's "
                          "'may import' column if the dependency is right):\n" + "\n".join(offences))
