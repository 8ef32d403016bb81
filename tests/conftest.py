"""Shared fixtures. Tests run on the real bundled boundaries; nothing is mocked."""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
matplotlib.use("Agg")


@pytest.fixture(scope="module")
def qgis_app(tmp_path_factory):
    """The QgsApplication (one a process), started with a throw-away profile if no test started it yet."""
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is None:
        app = QgsApplication([], False, str(tmp_path_factory.mktemp("qgis-profile")))
        app.initQgis()
    return app


@pytest.fixture(scope="session")
def cities():
    import yrdgeo

    return yrdgeo.load_units("city")


@pytest.fixture(scope="session")
def counties():
    import yrdgeo

    return yrdgeo.load_units("county")


@pytest.fixture
def tmpfs():
    """Return ``mount(path, size)``: a context manager that mounts a tmpfs of ``size`` at ``path`` for the block.

    A real, separate file system that fills up (disk-full and cross-filesystem tests). It needs root, as CI
    and these machines have; without it the test fails, it is not skipped.
    """

    @contextmanager
    def mount(path: Path, size: str):
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.fail(f"cannot mount a tmpfs at {path} (this test needs root): {done.stderr.strip()}")
        try:
            yield path
        finally:
            subprocess.run(["umount", "-l", str(path)], check=True)

    return mount
