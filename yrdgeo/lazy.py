"""Names of a package loaded on first use (PEP 562 ``__getattr__``), so that importing the package stays light.

A dask worker that unpickles a task of ``yrdgeo.grid.cells``, or the command line that needs one
option list of ``yrdgeo.autocorrelation``, imports that module only, not esda, libpysal and the rest.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping


def lazy_names(package: str, names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return the ``__getattr__`` and ``__dir__`` of ``package`` that import each name on its first use.

    Parameters
    ----------
    package
        The package's ``__name__``.
    names
        Each public name and the module of the package that defines it (``{"make_grid": "cells"}``).
    """
    def __getattr__(name: str) -> Any:
        if name in names:
            value = getattr(importlib.import_module(f".{names[name]}", package), name)
            setattr(sys.modules[package], name, value)  # found directly from now on
            return value
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)

    def __dir__() -> list[str]:
        return sorted([*vars(sys.modules[package]), *names])

    return __getattr__, __dir__
