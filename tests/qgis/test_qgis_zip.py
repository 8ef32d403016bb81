"""The plugin zip has the plugin-repository layout and installs into a clean QGIS profile, where it loads and runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

pytestmark = pytest.mark.slow  # builds the plugin zip and runs it in a QGIS of its own

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
import build_plugin_zip  # noqa: E402

sys.path.remove(str(REPO / "tools"))


def test_zip_layout_and_metadata(tmp_path):
    path = build_plugin_zip.build_zip(tmp_path / "a.zip")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta = zf.read("yrdgeo_qgis/metadata.txt").decode("utf-8")
    assert all(n.startswith("yrdgeo_qgis/") for n in names)
    for needed in ("__init__.py", "metadata.txt", "requirements.txt", "help/algorithms.yaml",
                   "i18n/yrdgeo_zh_CN.qm", "i18n/yrdgeo_en.qm", "algorithms/load_units.py",
                   "ext/yrdgeo/__init__.py", "ext/yrdgeo/data/boundaries/yrd_units.gpkg"):
        assert f"yrdgeo_qgis/{needed}" in names, needed
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".ts"))]
    for key in ("version=", "homepage=", "tracker=", "qgisMinimumVersion=3.22", "hasProcessingProvider=yes"):
        assert key in meta
    # same sources, same bytes
    assert build_plugin_zip.build_zip(tmp_path / "b.zip").read_bytes() == path.read_bytes()
    lean = build_plugin_zip.build_zip(tmp_path / "c.zip", with_library=False)
    with zipfile.ZipFile(lean) as zf:
        assert not [n for n in zf.namelist() if "/ext/" in n]


def test_zip_installs_into_clean_profile_and_runs(tmp_path):
    path = build_plugin_zip.build_zip(tmp_path / "yrdgeo_qgis.zip")
    home = tmp_path / "home"
    plugins = home / ".local/share/QGIS/QGIS3/profiles/default/python/plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(path) as zf:
        zf.extractall(plugins)  # what "Install from ZIP" does
    env = {k: v for k, v in os.environ.items() if k not in ("QGIS_PLUGINPATH", "PYTHONPATH")}
    # only third-party packages on the path: yrdgeo must come from the zip's ext/
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=sysconfig.get_paths()["purelib"])
    qp = "/usr/bin/qgis_process.bin"

    def run(*args):
        return subprocess.run([qp, *args], env=env, capture_output=True, text=True, timeout=180)

    assert run("plugins", "enable", "yrdgeo_qgis").returncode == 0
    listing = run("plugins").stdout
    assert "* yrdgeo_qgis" in listing  # installed and enabled in the clean profile
    out = tmp_path / "sh.gpkg"
    proc = run("--json", "run", "yrdgeo:load_units", "--", "LEVEL=2", "PROVINCE=上海", f"OUTPUT={out}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["results"]["OUTPUT"] == str(out)
    assert len(gpd.read_file(out)) == 16
