"""Values the parameters take from the library (its option lists), read without importing it.

QGIS defines every algorithm's parameters when the provider loads, at the
start of every QGIS session and every ``qgis_process`` call. Importing the
library's analysis modules there would take seconds (libpysal, esda,
networkx, rasterio) and fail where they are not installed yet, so the plugin
reads the few values it declares parameters with (``yrdgeo.weights.METHODS``
and the like) from the library's source with :mod:`ast`: a module-level
literal, followed through a package's ``from .module import NAME``
re-exports. Nothing of the library is executed. Where a value cannot be read
this way (no library, or a value that is not a literal), the caller uses its
own labels' order, and a test (tests/qgis/test_qgis_choices.py) compares
every option list with the imported library.
"""

import ast
import importlib.util
import os

_cache = {}


def library_value(path):
    """Return the literal the library assigns to ``path`` (``"yrdgeo.weights.METHODS"``), or None.

    Parameters
    ----------
    path : str
        ``package.module.NAME`` as the library's users import it.

    Returns
    -------
    object or None
        The value (a tuple of option words, a number, …), read from the
        source; None when the library, the module or a literal value for the
        name cannot be found.
    """
    if path not in _cache:
        module, _, name = path.rpartition(".")
        try:
            _cache[path] = _literal(_module_file(module), name)
        except (OSError, SyntaxError, ValueError):  # an unreadable source: as without the library
            _cache[path] = None
    return _cache[path]


def _module_file(module):
    """Return the source file of ``module`` (``yrdgeo.weights``: weights.py or weights/__init__.py), or None."""
    top, *parts = module.split(".")
    try:
        spec = importlib.util.find_spec(top)  # a top-level name is located, not imported
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return _submodule_file(list(spec.submodule_search_locations)[0], parts)


def _submodule_file(folder, parts):
    """Return the file of the module ``parts`` below the package folder ``folder`` (its __init__.py if none)."""
    for part in parts:
        folder = os.path.join(folder, part)
    for candidate in (os.path.join(folder, "__init__.py"), folder + ".py"):
        if os.path.isfile(candidate):
            return candidate
    return None


def _literal(source, name, depth=0):
    """Return the literal bound to ``name`` at the top of the file ``source`` (the last binding wins), or None."""
    if depth > 5 or source is None:
        return None
    with open(source, encoding="utf-8") as fh:
        body = ast.parse(fh.read(), filename=source).body
    for node in reversed(body):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value is not None:
                try:
                    return ast.literal_eval(node.value)
                except (ValueError, TypeError):  # computed, not a literal
                    return None
        elif isinstance(node, ast.ImportFrom) and node.level:
            for alias in node.names:
                if alias.name == "*" or (alias.asname or alias.name) == name:
                    found = _literal(_relative_file(source, node), name if alias.name == "*" else alias.name,
                                     depth + 1)
                    if found is not None or alias.name != "*":
                        return found
    return None


def _relative_file(source, node):
    """Return the file a relative ``from .x import NAME`` in ``source`` names."""
    folder = os.path.dirname(source)
    for _ in range(node.level - 1):
        folder = os.path.dirname(folder)
    return _submodule_file(folder, node.module.split(".") if node.module else [])
