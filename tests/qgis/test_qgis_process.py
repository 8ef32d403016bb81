"""One algorithm through the qgis_process command line, with the plugin enabled in a clean profile."""

from __future__ import annotations

import json
import os
import subprocess
import sysconfig
from pathlib import Path

import geopandas as gpd
import pytest

import yrdgeo

pytestmark = pytest.mark.slow  # starts qgis_process, a QGIS of its own, per test

REPO = Path(__file__).resolve().parents[2]
PLUGIN_ROOT = REPO / "qgis_plugin"

QGIS_PROCESS = "/usr/bin/qgis_process.bin"  # the binary: the Debian wrapper script adds nothing we need


def qgis_process_env(home: Path, plugin_path: Path) -> dict:
    """Environment for qgis_process: a throw-away profile (HOME), our plugin folder, the venv's packages."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        QGIS_PLUGINPATH=str(plugin_path),
        QT_QPA_PLATFORM="offscreen",
        # qgis_process embeds the system Python and ignores virtual environments
        PYTHONPATH=os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"]]),
    )
    return env


def run_qgis_process(args, env, timeout=180):
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_load_units_through_qgis_process(tmp_path):
    env = qgis_process_env(tmp_path / "home", PLUGIN_ROOT)
    enabled = run_qgis_process(["plugins", "enable", "yrdgeo_qgis"], env)
    assert enabled.returncode == 0, enabled.stderr
    out = tmp_path / "anhui.gpkg"
    proc = run_qgis_process(["--json", "run", "yrdgeo:load_units", "--",
                             "LEVEL=1", "PROVINCE=安徽", f"OUTPUT={out}"], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["results"]["OUTPUT"] == str(out)
    got = gpd.read_file(out)
    want = yrdgeo.load_units("city", province="安徽")
    assert list(got.adcode) == list(want.adcode) and len(got) == 16
    assert list(got.name_zh) == list(want.name_zh)
    # the wheels' own GDAL read the bundled GeoPackage (QGIS's older GDAL would warn about GPKG 1.4)
    assert "may only be partially supported" not in proc.stderr

    stats = run_qgis_process(["--json", "run", "yrdgeo:spatial_autocorrelation", "--", f"INPUT={out}",
                              "FIELD=anchor_lat", "PERMUTATIONS=99", "SEED=11", f"OUTPUT={tmp_path / 'lisa.gpkg'}"],
                             env)
    assert stats.returncode == 0, stats.stderr[-2000:]
    moran = json.loads(stats.stdout)["results"]["MORAN_I"]
    from yrdgeo import autocorrelation

    assert abs(moran - autocorrelation.moran(want, "anchor_lat", permutations=0).value) < 1e-12

    bad = run_qgis_process(["run", "yrdgeo:load_units", "--", "PROVINCE=Atlantis",
                            f"OUTPUT={tmp_path / 'bad.gpkg'}"], env)
    assert bad.returncode != 0
    assert "unknown YRD unit name 'Atlantis'" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr
    assert not (tmp_path / "bad.gpkg").exists()
