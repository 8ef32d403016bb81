"""Shared fixtures. Tests run on the real bundled boundaries; nothing is mocked."""

from __future__ import annotations

import os

import matplotlib
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
matplotlib.use("Agg")


@pytest.fixture(scope="session")
def cities():
    import yrdgeo

    return yrdgeo.load_units("city")


@pytest.fixture(scope="session")
def counties():
    import yrdgeo

    return yrdgeo.load_units("county")
