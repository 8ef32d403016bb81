"""Translations: ``tr()`` for every user-facing string and the translator for the user's locale.

Strings are written in English in the code; ``i18n/yrdgeo_<locale>.qm``
(compiled from the ``.ts`` sources by tools/build_translations.py) carries
zh_CN and en. One context, ``YrdGeo``, keeps extraction simple.
"""

import os

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

CONTEXT = "YrdGeo"
I18N_DIR = os.path.join(os.path.dirname(__file__), "i18n")
_installed = []  # keep translators alive: Qt does not own them


def tr(text):
    """Return ``text`` translated into the installed locale (English source strings)."""
    return QCoreApplication.translate(CONTEXT, text)


def tr_noop(text):
    """Mark ``text`` for extraction without translating it now (it is translated where it is shown)."""
    return text


def user_locale():
    """Return QGIS's UI locale (``locale/userLocale``, e.g. ``zh_CN``), falling back to the system's."""
    value = QgsSettings().value("locale/userLocale", "") or QLocale.system().name()
    return str(value)


def qm_path(locale):
    """Return the .qm file for ``locale`` (``zh_CN`` → ``yrdgeo_zh_CN.qm``, ``zh_TW`` → none), or None."""
    for name in (locale, locale.split("_")[0]):
        path = os.path.join(I18N_DIR, f"yrdgeo_{name}.qm")
        if os.path.exists(path):
            return path
    return None


def install_translator(locale=None):
    """Install the plugin's translator for ``locale`` (default: the user's); return it, or None.

    Any translator this function installed before is removed first, so tests
    and users can switch language within one session.
    """
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    path = qm_path(locale or user_locale())
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(path):
        return None
    app.installTranslator(translator)
    _installed.append(translator)
    return translator


def language():
    """Return ``"zh"`` when the installed translation is Chinese, else ``"en"``."""
    return "zh" if any(t.language().startswith("zh") for t in _installed) else "en"
