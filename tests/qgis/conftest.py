"""QGIS test harness: one QgsApplication per test session, Processing initialised, provider registered.

Runs in real QGIS 3.22 (Debian's python3-qgis) with QT_QPA_PLATFORM=offscreen
and a temporary QGIS profile, so the user's settings and plugins play no part.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[2]
PLUGIN_ROOT = REPO / "qgis_plugin"
QGIS_PLUGINS = Path("/usr/share/qgis/python/plugins")  # Processing's Python part (Debian's layout)

_state: dict = {}


def start_qgis(profile_dir: Path):
    """Start QGIS once (idempotent); return the plugin object holding the registered provider."""
    if "plugin" in _state:
        return _state["plugin"]
    for path in (str(QGIS_PLUGINS), str(PLUGIN_ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is None:
        app = QgsApplication([], False, str(profile_dir))
        app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import yrdgeo_qgis

    plugin = yrdgeo_qgis.classFactory(None)
    plugin.initProcessing()
    _state.update(app=app, plugin=plugin)  # Python references keep app and provider alive
    return plugin


@pytest.fixture(scope="session")
def qgis_plugin(tmp_path_factory):
    """The started plugin (its ``provider`` is registered in the Processing registry)."""
    return start_qgis(tmp_path_factory.mktemp("qgis-profile"))


@pytest.fixture
def run_alg(qgis_plugin):
    """Run a yrdgeo algorithm through processing.run; return (results, messages)."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProject

    def _run(alg_id, params, *, feedback=None):
        feedback = feedback or LoggingFeedback()
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        results = processing.run(f"yrdgeo:{alg_id}", params, feedback=feedback, context=context)
        return results, feedback

    return _run


def _feedback_class():
    from qgis.core import QgsProcessingFeedback

    class _LoggingFeedback(QgsProcessingFeedback):
        """Feedback that records info, warning and error lines."""

        def __init__(self):
            super().__init__()
            self.infos, self.warnings, self.errors = [], [], []

        def pushInfo(self, info):  # noqa: N802
            self.infos.append(info)
            super().pushInfo(info)

        def pushWarning(self, warning):  # noqa: N802
            self.warnings.append(warning)
            super().pushWarning(warning)

        def reportError(self, error, fatalError=False):  # noqa: N802, N803
            self.errors.append(error)
            super().reportError(error, fatalError)

    return _LoggingFeedback


def LoggingFeedback():  # noqa: N802 (behaves as a class)
    return _feedback_class()()


@pytest.fixture
def make_feedback(qgis_plugin):
    """The feedback class used by ``run_alg`` (records ``infos`` and ``errors``)."""
    return LoggingFeedback


@pytest.fixture(scope="session")
def layer_files(tmp_path_factory, qgis_plugin):
    """GeoPackages of the real Jiangsu cities and Zhejiang counties in EPSG:4326, 3857 and 4549."""
    import yrdgeo
    from yrdgeo.io import write_layers

    root = tmp_path_factory.mktemp("layers")
    cities = yrdgeo.load_units("city", province="江苏")
    counties = yrdgeo.load_units("county", province="浙江")
    files = {}
    for name, frame in (("js_cities", cities), ("zj_counties", counties)):
        for epsg in (4326, 3857, 4549):
            path = root / f"{name}_{epsg}.gpkg"
            write_layers({name: frame.to_crs(epsg)}, path)
            files[(name, epsg)] = str(path)
    return files
