"""Without geopandas/yrdgeo in QGIS's Python the provider still loads, and a run says what to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib.abc, sys
BLOCKED = {"geopandas", "yrdgeo", "shapely", "pandas", "pyproj", "esda", "libpysal"}

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"No module named {name!r} (blocked for the test)")
        return None

sys.meta_path.insert(0, Block())
sys.path[:0] = ["/usr/share/qgis/python/plugins", sys.argv[1]]
from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingContext, QgsProcessingFeedback
app = QgsApplication([], False, sys.argv[2]); app.initQgis()
from processing.core.Processing import Processing
Processing.initialize()
import processing, yrdgeo_qgis
plugin = yrdgeo_qgis.classFactory(None); plugin.initProcessing()
print("ALGORITHMS", len(plugin.provider.algorithms()))
print("HELP", bool(plugin.provider.algorithms()[0].shortHelpString()))
try:
    processing.run("yrdgeo:load_units", {"LEVEL": 1, "OUTPUT": sys.argv[3]})
except QgsProcessingException as exc:
    print("ERROR", str(exc).replace("\n", " "))
print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
"""


def test_provider_loads_without_dependencies_and_names_them(tmp_path):
    out = tmp_path / "units.gpkg"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(REPO / "qgis_plugin"), str(tmp_path / "profile"),
                           str(out)], env=env, capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(lines["ALGORITHMS"]) >= 8 and lines["HELP"] == "True"
    assert "geopandas" in lines["ERROR"] and "yrdgeo" in lines["ERROR"] and "numpy<2" in lines["ERROR"]
    assert lines["LOADED"] == "[]"  # nothing was imported behind the blocker's back
    assert not out.exists()
