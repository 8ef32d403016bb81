"""Qt6 / QGIS 4 readiness of the plugin's source: Qt through qgis.PyQt, enums fully scoped, no Qt5-only API.

Static: the plugin is parsed, not run (no QgsApplication). An attribute
``Cls.Member`` on a class imported from ``qgis.*`` is looked up in QGIS 3.22's
bindings; when it is an enum member it must be written with its enum,
``Cls.Enum.Member`` (``Qt.AlignmentFlag.AlignLeft``,
``QgsProcessing.SourceType.TypeVector``), the only spelling PyQt6 accepts and
one PyQt5 on QGIS 3.22 accepts too.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path


PLUGIN = Path(__file__).resolve().parents[2] / "qgis_plugin" / "yrdgeo_qgis"

# Qt5-only spellings that fail under PyQt6 (QGIS 4), with what to write instead.
QT5_ONLY = {
    r"^\s*(from|import)\s+(PyQt5|PyQt6)\b": "import Qt through qgis.PyQt",
    r"^\s*(from|import)\s+sip\b": "use `from qgis.PyQt import sip`",
    r"\.exec_\(": "exec_() is gone in PyQt6: call exec()",
    r"\bQRegExp\b": "QRegExp is gone in Qt6: use QRegularExpression",
    r"\bQDesktopWidget\b": "QDesktopWidget is gone in Qt6: use QScreen (QGuiApplication.screens())",
    r"\bQtWidgets\.QAction\b|\bQAction\b.*\bfrom qgis\.PyQt\.QtWidgets\b": "QAction moved to QtGui in Qt6",
    r"\.(setMargin|midData)\(": "removed in Qt6",
    r"\bQt\.MidButton\b": "Qt.MidButton is gone in Qt6: Qt.MouseButton.MiddleButton",
    r"\bQFontMetrics\w*\([^)]*\)\.width\(": "QFontMetrics.width is gone in Qt6: horizontalAdvance",
    r"\bQMatrix\b|\bQGLWidget\b|\bQSignalMapper\b": "removed in Qt6",
}


def _plugin_files():
    return sorted(p for p in PLUGIN.rglob("*.py") if "ext" not in p.relative_to(PLUGIN).parts[:1])


def _qgis_imports(tree: ast.AST) -> dict[str, tuple[str, str]]:
    """Return ``{local name: (module, name)}`` of the names a file imports from ``qgis.*``."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "qgis":
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return names


def _is_enum_member(value) -> bool:
    """Return True for a member of a sip (PyQt5) or Python enum, not for the enum type itself."""
    return isinstance(value, int) and type(type(value)).__name__ in ("enumtype", "EnumMeta", "EnumType")


def unscoped_enums(path: Path) -> list[str]:
    """Return ``file:line: Cls.Member → Cls.Enum.Member`` for each enum member reached without its enum."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = _qgis_imports(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imports):
            continue
        module, name = imports[node.value.id]
        try:
            value = getattr(getattr(importlib.import_module(module), name), node.attr)
        except (ImportError, AttributeError):
            continue
        if _is_enum_member(value):
            enum = type(value).__qualname__.rsplit(".", 1)[-1]
            found.append(f"{path.relative_to(PLUGIN)}:{node.lineno}: {node.value.id}.{node.attr} → "
                         f"{node.value.id}.{enum}.{node.attr}")
    return found


def qt5_only(path: Path) -> list[str]:
    """Return ``file:line: text (why)`` for each line matching a Qt5-only pattern."""
    found = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for pattern, why in QT5_ONLY.items():
            if re.search(pattern, line):
                found.append(f"{path.relative_to(PLUGIN)}:{lineno}: {line.strip()} ({why})")
    return found


def test_no_qt5_only_api():
    found = [hit for path in _plugin_files() for hit in qt5_only(path)]
    assert not found, "Qt5-only code in the plugin:\n" + "\n".join(found)


def test_enums_fully_scoped():
    import qgis.core  # noqa: F401  (the enum check reads the 3.22 bindings; QGIS runs here)
    found = [hit for path in _plugin_files() for hit in unscoped_enums(path)]
    assert not found, "unscoped enum members (fail under PyQt6):\n" + "\n".join(found)


def test_checks_catch_what_they_should(tmp_path):
    import qgis.core  # noqa: F401  (the enum check reads the 3.22 bindings; QGIS runs here)
    bad = PLUGIN / "_qt6_probe_.py"  # inside the plugin so relative_to works; removed below
    bad.write_text("from PyQt5.QtCore import Qt\nfrom qgis.PyQt.QtCore import Qt as Q\n"
                   "from qgis.core import QgsProcessing\n"
                   "a = Q.AlignLeft\nb = Q.AlignmentFlag.AlignLeft\nc = QgsProcessing.TypeVector\n"
                   "d = QgsProcessing.SourceType.TypeVector\ndialog.exec_()\n", encoding="utf-8")
    try:
        enums, qt5 = unscoped_enums(bad), qt5_only(bad)
    finally:
        bad.unlink()
    assert [e.split(": ", 1)[1] for e in enums] == ["Q.AlignLeft → Q.AlignmentFlag.AlignLeft",
                                                    "QgsProcessing.TypeVector → QgsProcessing.SourceType.TypeVector"]
    assert len(qt5) == 2 and "PyQt5" in qt5[0] and "exec_" in qt5[1]
