"""The plugin object: registers the Processing provider and installs the translator."""

from qgis.core import QgsApplication

from .i18n import install_translator


class YrdGeoPlugin:
    """Holds the provider for as long as QGIS keeps the plugin loaded."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translator = install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        """Register the "YRD Geo / 长三角" provider (also called by qgis_process, which has no GUI)."""
        from .provider import YrdGeoProvider

        if self.provider is None:
            self.provider = YrdGeoProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 (QGIS's name)
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
