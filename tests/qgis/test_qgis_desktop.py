"""The plugin in the real QGIS desktop: started under Xvfb with a clean profile, toolbox opened, a dialog shown.

QGIS (the ``qgis`` executable, not the Python module) starts with the plugin
folder on QGIS_PLUGINPATH and a fresh profile whose QGIS3.ini enables the
plugin; ``--code`` runs :data:`STARTUP` once the window is up: it opens the
Processing toolbox, finds the yrdgeo provider in the registry and in the
toolbox, opens one algorithm's dialog, grabs the screen to a PNG, writes what it
found to JSON and quits. Regenerate the screenshot in the docs with
``YRDGEO_DESKTOP_SHOT=docs/img/qgis_toolbox.png pytest tests/qgis/test_qgis_desktop.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts the full QGIS desktop

REPO = Path(__file__).resolve().parents[2]
ALGORITHM = "yrdgeo:unit_areas"
SCREEN = (1280, 800)

# Runs inside QGIS (``qgis --code``); RESULT and SHOT are filled in by the test.
STARTUP = r'''
import json, traceback
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtGui import QGuiApplication
from qgis.core import QgsApplication
from qgis.utils import iface, plugins

RESULT, SHOT, ALGORITHM = {result!r}, {shot!r}, {algorithm!r}
found = {{"plugins": sorted(plugins)}}
state = {{}}


def finish():
    with open(RESULT, "w", encoding="utf-8") as fh:
        json.dump(found, fh)
    QgsApplication.instance().exit(0)


def step(action, delay_ms, then=None):
    def run():
        try:
            action()
        except Exception:  # recorded, and QGIS still quits
            found.setdefault("errors", []).append(traceback.format_exc())
            QTimer.singleShot(0, finish)
            return
        if then:
            QTimer.singleShot(delay_ms, then)
    return run


def open_toolbox():
    window = iface.mainWindow()
    window.setGeometry(QGuiApplication.primaryScreen().geometry())  # Xvfb has no window manager to maximise it
    provider = QgsApplication.processingRegistry().providerById("yrdgeo")
    found["provider"] = provider.name() if provider else None
    found["algorithms"] = sorted(a.id() for a in provider.algorithms()) if provider else []
    toolbox = plugins["processing"].toolbox
    toolbox.setVisible(True)
    toolbox.raise_()
    toolbox.searchBox.setText("yrdgeo")  # the toolbox filters its tree to the provider's algorithms
    found["toolbox_visible"] = toolbox.isVisible()


def open_dialog():
    import processing

    dialog = processing.createAlgorithmDialog(ALGORITHM)
    state["dialog"] = dialog  # keep it alive while it is shown
    dialog.resize(780, 560)
    dialog.move(150, 140)  # over the map canvas, leaving the toolbox on the right in view
    dialog.show()
    found["dialog_title"] = dialog.windowTitle()


def grab():
    shot = QGuiApplication.primaryScreen().grabWindow(0)
    found["saved"] = shot.save(SHOT, "PNG")
    image = shot.toImage()
    found["size"] = [image.width(), image.height()]
    found["colours"] = len({{image.pixel(x, y) for x in range(0, image.width(), 16)
                             for y in range(0, image.height(), 16)}})
    state["dialog"].close()
    finish()


QTimer.singleShot(3000, step(open_toolbox, 2000, step(open_dialog, 3000, step(grab, 0))))
'''


def _clean_profile(root: Path) -> Path:
    """Return a profiles folder whose ``default`` profile enables the plugin and Processing and asks nothing."""
    ini = root / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nyrdgeo_qgis=true\nprocessing=true\n\n"
                   "[qgis]\nshowTips322=false\nchecksum=false\ncheckVersion=false\n"
                   "allowVersionCheck=false\nmigration\\fileVersion=3\n\n"
                   "[core]\nNewsFeed\\httpsfeedqgisorg\\disabled=true\n", encoding="utf-8")
    return root


def run_desktop(tmp_path: Path, shot: Path, *, timeout: int = 240) -> dict:
    """Start QGIS under Xvfb, run the startup script, return what it found (JSON) after QGIS quit."""
    result = tmp_path / "found.json"
    script = tmp_path / "startup.py"
    script.write_text(STARTUP.format(result=str(result), shot=str(shot), algorithm=ALGORITHM), encoding="utf-8")
    profiles = _clean_profile(tmp_path / "profiles")
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the real xcb platform, on Xvfb's display
    # the test environment's packages (geopandas, yrdgeo from this checkout) for QGIS's Python
    env.update(QGIS_PLUGINPATH=str(REPO / "qgis_plugin"), HOME=str(tmp_path),
               PYTHONPATH=os.pathsep.join([sysconfig.get_paths()["purelib"], str(REPO)]))
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24",
               "qgis", "--profiles-path", str(profiles), "--profile", "default", "--nologo",
               "--noversioncheck", "--code", str(script)]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.exists(), f"QGIS quit (code {proc.returncode}) before the script reported:\n{proc.stderr[-3000:]}"
    return json.loads(result.read_text(encoding="utf-8"))


def test_desktop_toolbox_and_dialog(tmp_path):
    # tools/run.sh installs both; their absence is a broken set-up, so fail rather than skip
    assert shutil.which("xvfb-run") and shutil.which("qgis"), "xvfb-run and qgis are needed (bash tools/run.sh setup --qgis)"
    shot = Path(os.environ.get("YRDGEO_DESKTOP_SHOT") or tmp_path / "qgis_toolbox.png").resolve()
    shot.parent.mkdir(parents=True, exist_ok=True)
    found = run_desktop(tmp_path, shot)
    assert not found.get("errors"), found.get("errors")
    assert "yrdgeo_qgis" in found["plugins"]  # enabled from the clean profile
    assert found["provider"] and ALGORITHM in found["algorithms"]
    assert found["toolbox_visible"] and found["dialog_title"]
    assert found["saved"] and shot.stat().st_size > 10_000
    assert found["size"] == list(SCREEN)
    assert found["colours"] > 20  # not blank: a one-colour screen means nothing was drawn
