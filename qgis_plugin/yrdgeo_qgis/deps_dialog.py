"""The dialog that installs the plugin's Python dependencies in one click; the work is :mod:`.deps`'s."""

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import Qt, QThread, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from . import deps
from .i18n import tr

#: QgsSettings key: False once the planner ticked "do not ask at start-up".
ASK_SETTING = "yrdgeo/dependencies/ask_at_startup"


def should_ask():
    """Return True when the start-up check may open the dialog (the planner has not switched it off)."""
    return QgsSettings().value(ASK_SETTING, True, type=bool)


class _Installer(QThread):
    """Runs :func:`deps.install` off the interface thread; pip's lines arrive through ``line``."""

    line = pyqtSignal(str)
    done = pyqtSignal(object)

    def __init__(self, plan, parent=None):
        super().__init__(parent)
        self.plan = plan

    def run(self):
        self.done.emit(deps.install(self.plan, progress=self.line.emit))


class DependenciesDialog(QDialog):
    """Shows what is missing, where it goes and with which Python; installs it with one button."""

    def __init__(self, profile, parent=None):
        super().__init__(parent)
        self.profile = profile
        self.plan, self.error, self.installer, self.result = None, None, None, None
        self.setWindowTitle(tr("YRD Geo / 长三角: Python dependencies"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        layout.addWidget(self.log)
        self.ask = QCheckBox(tr("Check the dependencies when QGIS starts"))
        self.ask.setChecked(should_ask())
        self.ask.toggled.connect(lambda on: QgsSettings().setValue(ASK_SETTING, bool(on)))
        layout.addWidget(self.ask)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.install_button = QPushButton(tr("Install"))
        self.buttons.addButton(self.install_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.install_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.refresh()

    def refresh(self):
        """Recompute the plan and show it (or why there is none)."""
        try:
            self.plan = deps.plan(self.profile) if self.profile else None
            self.error = None if self.plan else tr("QGIS's profile folder is unknown.")
        except deps.DependencyError as exc:
            self.plan, self.error = None, str(exc)
        self.install_button.setEnabled(self.plan is not None and bool(self.plan.missing))
        self.summary.setText(self.describe())

    def describe(self):
        """Return the dialog's text: the state, the folder, QGIS's Python, the manual command as a fallback."""
        if self.error:
            return tr("The dependencies cannot be installed from here: {error}. "
                      "The manual steps are in the plugin's documentation (docs/qgis.md).").format(error=self.error)
        plan = self.plan
        if not plan.missing:
            state = tr("All Python packages the plugin needs are installed.")
        else:
            state = tr("The plugin needs these Python packages, which QGIS's Python does not have (or has at "
                       "another version): {missing}.").format(missing=", ".join(plan.missing))
        return "<br><br>".join([
            state,
            tr("“Install” runs pip with QGIS's own Python ({python}) and puts the packages in a folder the plugin "
               "owns inside your QGIS profile: {folder}. QGIS's own numpy ({numpy}) and GDAL are kept as they are. "
               "Downloading takes a minute or two.").format(
                python=plan.python, folder=plan.target,
                numpy=", ".join(plan.constraints) or tr("none found")),
            tr("Manual fallback (a terminal), with a file constraints.txt holding {constraints}: {command}").format(
                constraints=", ".join(plan.constraints) or "-",
                command=" ".join(plan.command(constraints_file="constraints.txt"))),
        ])

    def busy(self):
        """Return True while pip runs."""
        return self.installer is not None and self.installer.isRunning()

    def start(self):
        """Start the install in a background thread; the dialog shows pip's output as it comes."""
        self.install_button.setEnabled(False)
        self.log.clear()
        self.log.appendPlainText(tr("Installing into {folder} …").format(folder=self.plan.target))
        self.installer = _Installer(self.plan, self)
        self.installer.line.connect(self.log.appendPlainText)
        self.installer.done.connect(self.finished_install)
        self.installer.start()

    def finished_install(self, result):
        """Show the outcome; on success put the folder on sys.path at once."""
        self.result = result
        if result.ok and not result.pending:
            deps.add_to_path(result.target)
            self.log.appendPlainText(tr(
                "Done. The packages are in {folder}. Restart QGIS so that every algorithm uses them.").format(
                folder=result.target))
        elif result.ok:
            self.log.appendPlainText(tr(
                "Installed; the packages are moved into place when QGIS restarts. Please restart QGIS."))
        else:
            self.log.setPlainText(result.log)
            self.log.appendPlainText(tr(
                "pip failed (exit code {code}); nothing was changed. The whole log is above and in {log}.").format(
                code=result.returncode, log=result.target.parent / deps.LOG_NAME))
        self.refresh()
