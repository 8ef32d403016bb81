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


# --- the official plugin repository's rules and a plugins.xml for an organisation's own repository ---------------

PLACEHOLDER_FIELDS = ("homepage", "tracker", "repository", "email")
REAL = {"homepage": "https://gis.example-city.cn/yrdgeo/", "tracker": "https://git.example-city.cn/yrdgeo/issues",
        "repository": "https://git.example-city.cn/yrdgeo", "email": "gis@example-city.cn"}


def _metadata(zf: zipfile.ZipFile):
    import configparser

    cfg = configparser.ConfigParser()
    cfg.optionxform = str
    cfg.read_string(zf.read("yrdgeo_qgis/metadata.txt").decode("utf-8"))
    return cfg["general"]


def test_zip_passes_plugin_repository_rules(tmp_path):
    path = build_plugin_zip.build_zip(tmp_path / "a.zip")
    assert build_plugin_zip.check_zip(path) == []
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        meta = _metadata(zf)
        requirements = build_plugin_zip.requirement_names(zf.read("yrdgeo_qgis/requirements.txt").decode("utf-8"))
        page = zf.read("yrdgeo_qgis/docs/qgis.md").decode("utf-8")
    assert {"yrdgeo_qgis/LICENSE", "yrdgeo_qgis/__init__.py", "yrdgeo_qgis/docs/img/qgis_toolbox.png"} <= names
    assert "img/qgis_toolbox.png" in page  # the page the plugin's messages point at, with its screenshot
    for key in build_plugin_zip.REQUIRED_METADATA:
        assert meta[key].strip(), key
    assert {"geopandas", "esda", "libpysal", "rasterio", "affine", "inequality"} <= set(requirements)
    for name in requirements:  # `about` lists every dependency
        assert name.lower() in meta["about"].lower(), name
    # placeholders are on the reserved example.invalid and refused for an upload to plugins.qgis.org
    official = build_plugin_zip.check_zip(path, official=True)
    assert [p.split(" ", 1)[0] for p in official] == list(PLACEHOLDER_FIELDS)
    with pytest.raises(ValueError, match="placeholder"):
        build_plugin_zip.build_zip(tmp_path / "b.zip", official=True)
    assert not (tmp_path / "b.zip").exists() and not (tmp_path / "b.zip.part").exists()
    real = build_plugin_zip.build_zip(tmp_path / "c.zip", official=True, addresses=REAL)
    with zipfile.ZipFile(real) as zf:
        meta = _metadata(zf)
    assert {k: meta[k] for k in REAL} == REAL
    assert "example.invalid" in (build_plugin_zip.PLUGIN / "metadata.txt").read_text(encoding="utf-8")  # untouched


def test_plugin_source_has_no_unexplained_placeholder(qgis_plugin):
    from yrdgeo_qgis import base

    assert "example.invalid" not in base.HOMEPAGE  # messages and help point at the shipped docs/qgis.md
    assert base.HOMEPAGE.startswith("file://") and base.HOMEPAGE.endswith("docs/qgis.md")
    text = (build_plugin_zip.PLUGIN / "metadata.txt").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "example.invalid" in comments and "--homepage" in comments  # the placeholders say what to do


@pytest.mark.parametrize(("change", "problem"), [
    ({"about": ""}, "about is missing"),
    ({"tracker": ""}, "tracker is missing"),
    ({"version": "v1"}, "not a dotted version"),
    ({"qgisMinimumVersion": "2.18"}, "not a QGIS 3 version"),
    ({"author": "a/b"}, "slashes"),
    ({"repository": "git@host:x.git"}, "not an http(s) address"),
    ({"about": "Needs geopandas and esda."}, "does not name the dependencies numpy, pandas"),
])
def test_metadata_check_names_each_problem(change, problem):
    meta = dict(build_plugin_zip.read_metadata())
    requirements = build_plugin_zip.requirement_names(
        (build_plugin_zip.PLUGIN / "requirements.txt").read_text(encoding="utf-8"))
    assert build_plugin_zip.check_metadata(meta, requirements=requirements) == []
    meta.update(change)
    problems = build_plugin_zip.check_metadata(meta, requirements=requirements)
    assert any(problem in p for p in problems), problems


def test_zip_check_refuses_what_the_upload_validator_refuses(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("yrdgeo_qgis/__init__.py", "")
        zf.writestr("yrdgeo_qgis/__pycache__/base.cpython-311.pyc", b"")
        zf.writestr("other/readme.txt", "")
    problems = "\n".join(build_plugin_zip.check_zip(bad))
    for expected in ("more than one top-level folder", "yrdgeo_qgis/metadata.txt is missing",
                     "yrdgeo_qgis/LICENSE is missing", "__pycache__/base.cpython-311.pyc is not allowed"):
        assert expected in problems


def test_plugins_xml_for_an_own_repository(tmp_path):
    import xml.etree.ElementTree as ET

    path = build_plugin_zip.build_zip(tmp_path / "yrdgeo_qgis-0.zip", addresses=REAL)
    url = "https://gis.example-city.cn/qgis-plugins/"
    assert build_plugin_zip.main(["--out", str(path), "--plugins-xml", url] + [
        x for k, v in REAL.items() for x in (f"--{k}", v)]) == 0
    root = ET.parse(tmp_path / "plugins.xml").getroot()
    (plugin,) = root.findall("pyqgis_plugin")
    meta = build_plugin_zip.read_metadata()
    assert plugin.get("name") == meta["name"] and plugin.get("version") == meta["version"]
    file_name = plugin.findtext("file_name")
    # QGIS's plugin manager takes the plugin id from file_name up to its first dot
    assert file_name.partition(".")[0] == "yrdgeo_qgis"
    assert plugin.findtext("download_url") == url + file_name
    assert (tmp_path / file_name).read_bytes() == path.read_bytes()
    assert plugin.findtext("qgis_minimum_version") == "3.22"
    assert plugin.findtext("homepage") == REAL["homepage"] and plugin.findtext("tracker") == REAL["tracker"]
    assert "geopandas" in plugin.findtext("about")
    icon = plugin.findtext("icon")
    assert icon.startswith(url) and (tmp_path / icon[len(url):]).read_text().lstrip().startswith("<")
    assert build_plugin_zip.main(["--out", str(path), "--plugins-xml", "gis.example-city.cn"]) == 2  # no scheme
