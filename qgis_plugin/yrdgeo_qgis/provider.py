"""The "YRD Geo / 长三角" Processing provider; algorithms are discovered from ``algorithms/``."""

import importlib
import inspect
import os
import pkgutil

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .base import YrdGeoAlgorithm

PROVIDER_ID = "yrdgeo"
PROVIDER_NAME = "YRD Geo / 长三角"


def discover_algorithms():
    """Return one instance of every algorithm class defined in a module of ``algorithms/``, by name."""
    from . import algorithms

    found = []
    for info in sorted(pkgutil.iter_modules(algorithms.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{algorithms.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, YrdGeoAlgorithm) and cls is not YrdGeoAlgorithm and cls.__module__ == module.__name__:
                found.append(cls())
    return sorted(found, key=lambda a: a.name())


class YrdGeoProvider(QgsProcessingProvider):
    """Processing provider ``yrdgeo``: every yrdgeo analysis as an algorithm."""

    def id(self):
        return PROVIDER_ID

    def name(self):
        return PROVIDER_NAME

    def longName(self):  # noqa: N802
        from . import __version__

        return f"{PROVIDER_NAME} {__version__}"

    def icon(self):
        path = os.path.join(os.path.dirname(__file__), "icon.svg")
        return QIcon(path) if os.path.exists(path) else QgsProcessingProvider.icon(self)

    def loadAlgorithms(self):  # noqa: N802
        for alg in discover_algorithms():
            self.addAlgorithm(alg)
