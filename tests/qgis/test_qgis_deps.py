"""The plugin installs its own dependencies into the QGIS profile with QGIS's Python (yrdgeo_qgis/deps.py).

The unit tests run here; the end-to-end test (``slow``) starts from a clean
profile and the system Python QGIS runs on, without the virtualenv's
packages: geopandas is missing, the install step the dialog calls runs
headless, and then QGIS loads the provider and runs algorithms on the
installed packages.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLUGIN_ROOT = REPO / "qgis_plugin"
SYSTEM_PYTHON = f"/usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}"

if str(PLUGIN_ROOT) not in sys.path:  # deps.py needs no QGIS application: import it without the fixture
    sys.path.insert(0, str(PLUGIN_ROOT))
from yrdgeo_qgis import deps  # noqa: E402


def _clean_env(home, *paths):
    """An environment with nothing of this session's: no venv, no user site, PYTHONPATH only ``paths``."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONNOUSERSITE": "1", "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(home)}
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
    return env


def _python(code, env, *args, timeout=600):
    return subprocess.run([SYSTEM_PYTHON, "-c", code, *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


# --------------------------------------------------------------------------- unit tests


def test_constraints_pin_qgis_numpy_and_never_gdal():
    import numpy

    lines = deps.constraints()
    assert f"numpy=={numpy.__version__}" in lines
    assert not any(re.match(r"(?i)gdal\b", line) for line in lines)
    assert not any(re.match(r"(?i)(gdal|osgeo)\b", line) for line in deps.read_requirements())


def test_target_folder_is_inside_the_profile(tmp_path):
    folder = deps.target_folder(tmp_path)
    assert folder == tmp_path / "python" / "yrdgeo-deps" / f"py{sys.version_info[0]}{sys.version_info[1]}"
    assert tmp_path in folder.parents
    plugin = tmp_path / "python" / "plugins" / "yrdgeo_qgis"
    assert deps.profile_of_plugin(plugin) == tmp_path
    assert deps.profile_of_plugin(PLUGIN_ROOT / "yrdgeo_qgis") is None


def test_the_active_qgis_profile_holds_the_folder(qgis_plugin):
    from qgis.core import QgsApplication

    assert deps.dependencies_folder() == deps.target_folder(QgsApplication.qgisSettingsDirPath())


def test_finder_returns_the_system_python_of_this_version():
    found = deps.find_python()
    assert re.fullmatch(r"/usr/bin/python3\.\d+", found), found
    run = subprocess.run([found, "-c", "import sys; print(sys.version)"], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == sys.version.strip()


def test_finder_honours_the_override_and_refuses_a_foreign_python(monkeypatch, tmp_path):
    monkeypatch.setenv(deps.PYTHON_VARIABLE, SYSTEM_PYTHON)
    assert deps.find_python() == SYSTEM_PYTHON
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho '2.7.18 (default)'\n")
    fake.chmod(0o755)
    assert deps._version_of(str(fake)) == "2.7.18 (default)"  # runs, but another version: not taken


def test_check_reports_missing_and_outdated_requirements(tmp_path):
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("# comment\nnumpy>=1.0  # ok\nnumpy<1.0\nyrdgeo-no-such-package>=1\n", encoding="utf-8")
    assert deps.check(reqs) == ["numpy<1.0", "yrdgeo-no-such-package>=1"]


def test_plan_refuses_gdal(tmp_path):
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("pandas\nGDAL==3.6.2\n", encoding="utf-8")
    with pytest.raises(deps.DependencyError, match="GDAL"):
        deps.plan(tmp_path, requirements=reqs, python=SYSTEM_PYTHON)


@pytest.mark.parametrize("extra", [["--index-url", "file:///nonexistent-index"], ["--no-index"]])
def test_failed_pip_run_reports_its_log_and_leaves_no_folder(tmp_path, extra):
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("yrdgeo-no-such-package>=1\n", encoding="utf-8")
    profile = tmp_path / "profile"
    plan = deps.plan(profile, requirements=reqs, python=SYSTEM_PYTHON)
    assert plan.missing == ["yrdgeo-no-such-package>=1"]
    lines = []
    result = deps.install(plan, progress=lines.append, extra_args=extra)
    assert not result.ok and result.returncode != 0
    assert "yrdgeo-no-such-package" in result.log and "pip install" in result.log
    assert lines and all(line in result.log for line in lines)
    assert (plan.target.parent / deps.LOG_NAME).read_text(encoding="utf-8").strip() == result.log.strip()
    assert sorted(p.name for p in plan.target.parent.iterdir()) == [deps.LOG_NAME]  # no half folder
    before = list(sys.path)
    assert deps.add_to_path(plan.target) is False and sys.path == before


def test_add_to_path_puts_the_folder_first_and_moves_a_pending_install(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    folder = deps.target_folder(tmp_path)
    pending = Path(f"{folder}.pending")
    (pending / "yrdgeo_dep_probe").mkdir(parents=True)
    assert deps.add_to_path(folder) is True
    assert sys.path[0] == str(folder) and (folder / "yrdgeo_dep_probe").is_dir() and not pending.exists()
    assert deps.add_to_path(folder) is True and sys.path.count(str(folder)) == 1


def test_pinned_distribution_is_removed_from_the_target(tmp_path):
    (tmp_path / "numpy" / "core").mkdir(parents=True)
    (tmp_path / "numpy.libs").mkdir()
    info = tmp_path / "numpy-1.24.2.dist-info"
    info.mkdir()
    (info / "RECORD").write_text("numpy/__init__.py,,\nnumpy.libs/x.so,,\n../../bin/f2py,,\n", encoding="utf-8")
    (tmp_path / "pandas").mkdir()
    deps._remove_distribution(tmp_path, "numpy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pandas"]


def test_dialog_shows_the_plan_offscreen(qgis_plugin, tmp_path):
    from yrdgeo_qgis.deps_dialog import DependenciesDialog

    dialog = DependenciesDialog(tmp_path)
    text = dialog.summary.text()
    assert str(deps.target_folder(tmp_path)) in text and "--target" in text
    assert dialog.plan.python.startswith("/usr/bin/python3")
    assert dialog.install_button.isEnabled() == bool(dialog.plan.missing)


def test_missing_dependency_message_points_to_the_menu_action():
    from yrdgeo_qgis.base import missing_dependencies_message

    message = missing_dependencies_message(["geopandas"])
    assert "Install Python dependencies" in message and "geopandas" in message


# --------------------------------------------------------------------------- end to end, clean profile

INSTALL = r"""
import json, sys
from yrdgeo_qgis import deps
plan = deps.plan(sys.argv[1])
result = deps.install(plan)
print(json.dumps({"ok": result.ok, "missing": plan.missing, "python": plan.python,
                  "constraints": plan.constraints, "target": str(result.target), "log": result.log[-4000:]}))
"""

RUN = r"""
import json, os, sys
sys.path[:0] = ["/usr/share/qgis/python/plugins", sys.argv[1], sys.argv[2]]  # Processing, the plugin, yrdgeo
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject
app = QgsApplication([], False, sys.argv[3]); app.initQgis()
from processing.core.Processing import Processing
Processing.initialize()
import processing, yrdgeo_qgis
plugin = yrdgeo_qgis.classFactory(None); plugin.initProcessing()
import geopandas, numpy, yrdgeo
out = {"geopandas": geopandas.__file__, "numpy": numpy.__file__, "numpy_version": numpy.__version__,
       "yrdgeo": yrdgeo.__file__, "algorithms": sorted(a.id() for a in plugin.provider.algorithms())}
context = QgsProcessingContext(); context.setProject(QgsProject.instance())
units = processing.run("yrdgeo:load_units", {"LEVEL": 0, "OUTPUT": os.path.join(sys.argv[4], "units.gpkg")},
                       context=context, feedback=QgsProcessingFeedback())["OUTPUT"]
areas = processing.run("yrdgeo:unit_areas", {"INPUT": units, "OUTPUT": os.path.join(sys.argv[4], "areas.gpkg")},
                       context=context, feedback=QgsProcessingFeedback())["OUTPUT"]
cities = processing.run("yrdgeo:unit_areas", {"INPUT": processing.run(
    "yrdgeo:load_units", {"LEVEL": 1, "OUTPUT": "memory:"}, context=context)["OUTPUT"], "OUTPUT": "memory:"},
    context=context)["OUTPUT"]
moran = processing.run("yrdgeo:spatial_autocorrelation",  # esda and libpysal from the folder
                       {"INPUT": cities, "FIELD": "area_km2", "WEIGHTS": 2, "ISLANDS": 1, "PERMUTATIONS": 99,
                        "OUTPUT": os.path.join(sys.argv[4], "lisa.gpkg")}, context=context)
out["moran_i"] = moran["MORAN_I"]; out["n_used"] = moran["N_USED"]
import esda, libpysal, rasterio, inequality, mapclassify
out["stats"] = {m.__name__: m.__file__ for m in (esda, libpysal, rasterio, inequality, mapclassify)}
import geopandas as gpd
frame = gpd.read_file(areas)
out["rows"] = len(frame); out["columns"] = list(frame.columns)
out["area_km2"] = {str(k): float(v) for k, v in zip(frame["adcode"], frame["area_km2"])}
print("RESULT " + json.dumps(out))
"""


@pytest.mark.slow
def test_clean_profile_install_then_algorithms_run(tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    env = _clean_env(tmp_path, PLUGIN_ROOT)
    before = _python("import geopandas", env)
    assert before.returncode != 0 and "No module named 'geopandas'" in before.stderr  # QGIS's Python alone

    run = _python(INSTALL, env, profile, timeout=1500)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["ok"], report["log"]
    assert re.fullmatch(r"/usr/bin/python3(\.\d+)?", report["python"])
    assert any(m.startswith("geopandas") for m in report["missing"])
    target = Path(report["target"])
    assert target == deps.target_folder(profile) and (target / "geopandas").is_dir()
    names = {p.name.lower() for p in target.iterdir()}
    assert "numpy" not in names and "osgeo" not in names  # QGIS's numpy and GDAL stay the only ones
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary folder left

    # A fresh QGIS on that profile: the plugin puts the folder on sys.path itself.
    work = tmp_path / "out"
    work.mkdir()
    run = _python(RUN, _clean_env(tmp_path), PLUGIN_ROOT, REPO, profile, work, timeout=600)
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert run.returncode == 0 and lines, run.stderr[-3000:]
    result = json.loads(lines[-1][len("RESULT "):])
    assert result["geopandas"].startswith(str(target))
    assert result["numpy"].startswith("/usr/lib/python3/") and f"numpy=={result['numpy_version']}" in \
        report["constraints"]
    assert {"yrdgeo:load_units", "yrdgeo:unit_areas", "yrdgeo:export_plan_map"} <= set(result["algorithms"])
    assert all(path.startswith(str(target)) for path in result["stats"].values())
    assert result["n_used"] == 41 and -1 < result["moran_i"] < 1
    assert result["rows"] == 4 and all(v > 5000 for v in result["area_km2"].values())
    # the same numbers as the library in this session
    import yrdgeo

    expected = yrdgeo.with_area(yrdgeo.load_units("province"))
    for code, value in zip(expected["adcode"], expected["area_km2"]):
        assert result["area_km2"][str(code)] == pytest.approx(float(value), rel=1e-6)
