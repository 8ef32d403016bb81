"""The command line starts without importing the analyses' heavy libraries (issue 15: instant commands).

Building the parser, ``yrdgeo --help`` and ``yrdgeo resolve`` must not
import matplotlib, esda, networkx, mapclassify, libpysal, sklearn, rasterio
or osmnx: each command imports what it needs when it runs. Every check runs
in a fresh interpreter, since this test process has imported them already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("matplotlib", "esda", "networkx", "mapclassify", "libpysal", "sklearn", "rasterio", "osmnx")

# Runs the CLI like ``python -m yrdgeo ARGS`` and prints the heavy modules imported, whatever the exit code.
_RUN = """
import json, runpy, sys
heavy = json.loads(sys.argv[1])
sys.argv = ["yrdgeo", *sys.argv[2:]]
try:
    runpy.run_module("yrdgeo", run_name="__main__")
except SystemExit:
    pass
sys.stdout.flush()
print("\\nHEAVY=" + json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def _heavy_after(*args: str) -> list[str]:
    """Return the heavy modules imported by ``yrdgeo ARGS`` in a fresh interpreter (and check it succeeded)."""
    proc = subprocess.run([sys.executable, "-c", _RUN, json.dumps(HEAVY), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in reversed(proc.stdout.splitlines()) if x.startswith("HEAVY="))
    return json.loads(line.removeprefix("HEAVY="))


def test_building_the_parser_imports_no_heavy_library():
    code = ("import json, sys\nfrom yrdgeo.cli import build_parser\nbuild_parser()\n"
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(proc.stdout.splitlines()[-1]) == []


@pytest.mark.parametrize("args", [("--help",), ("resolve", "台州市"), ("moran", "--help"), ("atlas", "--help"),
                                  ("enclaves", "--help"), ("inequality", "--help")], ids=" ".join)
def test_a_quick_command_imports_no_heavy_library(args):
    assert _heavy_after(*args) == []
