"""YRD Geo / 长三角 — QGIS plugin exposing the yrdgeo library as Processing algorithms.

QGIS calls :func:`classFactory` on load (with ``iface=None`` under
``qgis_process``); the provider is registered in ``initProcessing()`` so the
algorithms work in the toolbox, the modeler, batch mode and ``qgis_process``.
"""

import os
import sys

__version__ = "0.1.0"  # keep equal to metadata.txt (tests check)

# A plugin zip built by tools/build_plugin_zip.py carries the yrdgeo library in
# ext/ so the plugin runs the library version it was tested with.
_EXT = os.path.join(os.path.dirname(__file__), "ext")
if os.path.isdir(_EXT) and _EXT not in sys.path:
    sys.path.insert(0, _EXT)


def _add_dependencies_to_path():
    """Put the plugin's own dependencies folder first on sys.path, before anything imports the library."""
    from . import deps

    folder = deps.dependencies_folder()
    if folder is not None:
        deps.add_to_path(folder)


_add_dependencies_to_path()


def classFactory(iface):  # noqa: N802 (QGIS's name)
    """Return the plugin instance QGIS keeps for the session."""
    from .plugin import YrdGeoPlugin

    return YrdGeoPlugin(iface)
