"""The ``yrdgeo`` command line.

Each module in this package that defines ``register(subparsers)`` adds its
subcommands; ``register`` sets ``func`` on its parser with
``set_defaults(func=...)``. The function gets the parsed arguments and returns
an exit code. A ``ValueError`` (bad input) is printed as ``yrdgeo: error: ...``
with exit code 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import Sequence


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand module registered."""
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="yrdgeo",
        description="Spatial analysis and plan maps for Yangtze River Delta (长三角) integration planning.",
    )
    parser.add_argument("--version", action="version", version=f"yrdgeo {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileExistsError, PermissionError, FileNotFoundError) as exc:
        print(f"yrdgeo: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
