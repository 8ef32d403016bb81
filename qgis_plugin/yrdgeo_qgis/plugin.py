"""The plugin object: registers the Processing provider, installs the translator, offers the dependencies."""

from qgis.core import QgsApplication

from .i18n import install_translator, tr

MENU = "YRD Geo / 长三角"


class YrdGeoPlugin:
    """Holds the provider for as long as QGIS keeps the plugin loaded."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.action = None
        self.dialog = None
        self.translator = install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        """Register the "YRD Geo / 长三角" provider (also called by qgis_process, which has no GUI)."""
        from .provider import YrdGeoProvider

        if self.provider is None:
            self.provider = YrdGeoProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 (QGIS's name)
        """Register the provider, add the menu action that installs the dependencies, check them once."""
        from qgis.PyQt.QtCore import QTimer
        from qgis.PyQt.QtWidgets import QAction

        self.initProcessing()
        if self.iface is None:
            return
        self.action = QAction(tr("Install Python dependencies…"), self.iface.mainWindow())
        self.action.triggered.connect(self.show_dependencies)
        self.iface.addPluginToMenu(MENU, self.action)
        QTimer.singleShot(0, self.check_dependencies)  # after QGIS has finished starting

    def check_dependencies(self):
        """Open the dependencies dialog when packages are missing, unless the planner switched the check off."""
        from . import deps
        from .deps_dialog import should_ask

        if should_ask() and deps.check():
            self.show_dependencies()

    def show_dependencies(self):
        """Show the dialog that installs the missing packages into the profile (the menu action)."""
        from . import deps
        from .deps_dialog import DependenciesDialog

        if self.dialog is not None and self.dialog.busy():  # pip still runs in its thread: keep that dialog
            self.dialog.show()
            self.dialog.raise_()
            return
        self.dialog = DependenciesDialog(deps.current_profile(), self.iface.mainWindow() if self.iface else None)
        self.dialog.show()

    def unload(self):
        if self.action is not None:
            self.iface.removePluginMenu(MENU, self.action)
            self.action = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
