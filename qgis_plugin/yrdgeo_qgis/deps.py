"""The plugin's Python dependencies: check, plan, install into the profile, put on ``sys.path``. No Qt.

QGIS's Python lacks geopandas, libpysal, esda and friends. Rather than asking
the planner to find QGIS's Python in a terminal, the plugin installs what
``requirements.txt`` lists into a folder it owns inside the QGIS profile,

    ``<profile>/python/yrdgeo-deps/py311``   (one folder per Python minor version),

with pip run by QGIS's own interpreter (:func:`find_python`):

    ``python -m pip install --target <folder> --upgrade-strategy only-if-needed
    -c constraints.txt -r requirements.txt``

The constraints file pins numpy to the version QGIS already runs (its GDAL
bindings are built against it) and GDAL is never installed, so QGIS's own
stack is untouched: numpy is removed from the folder after pip is done, so
the copy QGIS loaded stays the only one. pip installs into a temporary
sibling folder that is moved into place only when pip succeeded, so a failed
run leaves nothing half-installed on the path. At load the plugin puts the
folder first on ``sys.path`` (:func:`add_to_path`), before anything imports
the library.

This module imports neither Qt nor QGIS: the dialog (``deps_dialog.py``)
and the tests call the same functions headless.
"""

from __future__ import annotations

import email.parser
import importlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
#: Folder inside the profile that holds one sub-folder per Python version.
FOLDER_NAME = "yrdgeo-deps"
#: Packages QGIS's own stack is built against: pinned to QGIS's version, never replaced.
PINNED = ("numpy",)
#: Packages pip must never install (QGIS brings its own GDAL bindings).
NEVER = ("gdal",)
#: Import names whose pip distribution is called differently.
PIP_NAMES = {"yaml": "PyYAML", "osgeo": "GDAL", "sklearn": "scikit-learn"}
#: Environment variable naming QGIS's Python explicitly, where the search below cannot find it.
PYTHON_VARIABLE = "YRDGEO_QGIS_PYTHON"
LOG_NAME = "install.log"


class DependencyError(RuntimeError):
    """The dependencies cannot be installed (no interpreter, a forbidden requirement, a conflict)."""


@dataclass
class Plan:
    """What :func:`install` will do: which requirements are missing, with which Python, into which folder."""

    missing: list[str]
    python: str
    target: Path
    constraints: list[str]
    requirements: Path = REQUIREMENTS

    def command(self, target=None, constraints_file="constraints.txt"):
        """Return the pip command line (``target`` defaults to :attr:`target`)."""
        return [self.python, "-m", "pip", "install", "--target", str(target or self.target),
                "--upgrade-strategy", "only-if-needed", "--prefer-binary", "--disable-pip-version-check",
                "--no-input", "--progress-bar", "off", "-c", str(constraints_file), "-r", str(self.requirements)]


@dataclass
class InstallResult:
    """The outcome of :func:`install`: ``ok``, the folder, pip's return code and its whole log."""

    ok: bool
    target: Path
    returncode: int
    log: str
    command: list[str] = field(default_factory=list)
    pending: bool = False  # installed, but moved into place only at the next QGIS start (Windows file locks)


# --------------------------------------------------------------------------- requirements and the check


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_class():
    """Return packaging's Requirement class (QGIS's Python has packaging or pip's vendored copy), or None."""
    for module in ("packaging.requirements", "pip._vendor.packaging.requirements"):
        try:
            return importlib.import_module(module).Requirement
        except ImportError:
            continue
    return None


def read_requirements(path=REQUIREMENTS):
    """Return the requirement lines of a requirements file (comments and blank lines dropped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def requirement_name(requirement):
    """Return the distribution name a requirement line names (``"numpy>=1.23,<2"`` → ``"numpy"``)."""
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0]


def installed_version(name):
    """Return the version of distribution ``name`` that this Python's ``sys.path`` would import, or None."""
    module = sys.modules.get(name)
    version = getattr(module, "__version__", None) if module is not None else None
    if isinstance(version, str):
        return version
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def check(path=REQUIREMENTS):
    """Return the requirements this Python does not satisfy: missing, or installed at a version outside the pin.

    Read from the installed distributions' metadata, so nothing is imported.
    """
    requirement_class = _requirement_class()
    unmet = []
    for line in read_requirements(path):
        version = installed_version(requirement_name(line))
        if version is None:
            unmet.append(line)
        elif requirement_class is not None:
            specifier = requirement_class(line).specifier
            if not specifier.contains(version, prereleases=True):
                unmet.append(line)
    return unmet


# --------------------------------------------------------------------------- where: the profile folder


def python_tag():
    """Return the folder name for this Python's version (``py311``): wheels differ between minor versions."""
    return f"py{sys.version_info[0]}{sys.version_info[1]}"


def target_folder(profile):
    """Return the folder the plugin installs into: ``<profile>/python/yrdgeo-deps/py311``."""
    return Path(profile) / "python" / FOLDER_NAME / python_tag()


def profile_of_plugin(plugin_dir=HERE):
    """Return the profile a plugin installed at ``<profile>/python/plugins/<name>`` lives in, or None."""
    plugin_dir = Path(plugin_dir)
    if plugin_dir.parent.name == "plugins" and plugin_dir.parent.parent.name == "python":
        return plugin_dir.parent.parent.parent
    return None


def current_profile():
    """Return the QGIS profile folder the dependencies belong to, or None.

    The active QGIS profile (``QgsApplication.qgisSettingsDirPath()``) when
    QGIS is importable; else the profile the plugin is installed in; None
    headless outside a profile. QGIS is only asked, never required.
    """
    try:
        from qgis.core import QgsApplication
    except ImportError:  # headless, without QGIS
        return profile_of_plugin()
    return Path(QgsApplication.qgisSettingsDirPath()) if QgsApplication.qgisSettingsDirPath() else profile_of_plugin()


def dependencies_folder():
    """Return :func:`target_folder` of :func:`current_profile`, or None without a profile."""
    profile = current_profile()
    return target_folder(profile) if profile else None


def _pending(folder):
    return Path(f"{folder}.pending")


def add_to_path(folder):
    """Put ``folder`` first on ``sys.path`` if it exists; return True when it is on the path.

    First on the path so its packages (pandas 2, shapely 2) come before older
    system copies (Debian's python3-pandas 1.5). An install that could not
    replace a folder in use (Windows locks loaded DLLs) left ``<folder>.pending``:
    it is moved into place here, before anything loads from the folder.
    """
    folder = Path(folder)
    pending = _pending(folder)
    if pending.is_dir():
        try:
            _replace(pending, folder)
        except OSError:
            pass  # still locked: keep using the old folder; the next start tries again
    if not folder.is_dir():
        return False
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
        importlib.invalidate_caches()
    return True


# --------------------------------------------------------------------------- which Python: QGIS's own


def _looks_like_python(path):
    return bool(path) and re.fullmatch(r"python(3(\.\d+)?)?(\.exe)?", os.path.basename(str(path)).lower()) is not None


def _candidates():
    """Yield possible paths of the interpreter QGIS embeds, most specific first (the rule is in find_python)."""
    major, minor = sys.version_info[:2]
    versioned = f"python{major}.{minor}"
    override = os.environ.get(PYTHON_VARIABLE)
    if override:
        yield override
    for exe in (getattr(sys, "_base_executable", None), sys.executable):
        if _looks_like_python(exe):
            yield exe
    exe_dir = Path(sys.executable).resolve().parent if sys.executable else None
    if os.name == "nt":
        # OSGeo4W and the standalone installer: <root>/apps/Python3xx/python.exe is sys.prefix; python3.dll
        # sits next to it or in <root>/bin beside qgis-bin.exe.
        for prefix in (sys.base_exec_prefix, sys.exec_prefix, sys.prefix):
            yield os.path.join(prefix, "python.exe")
        dll = getattr(sys, "dllhandle", None)
        if dll:
            import ctypes

            buffer = ctypes.create_unicode_buffer(32768)
            if ctypes.windll.kernel32.GetModuleFileNameW(dll, buffer, len(buffer)):
                yield os.path.join(os.path.dirname(buffer.value), "python.exe")
        if exe_dir is not None:
            yield str(exe_dir / "python.exe")
            yield from (str(p / "python.exe") for p in sorted((exe_dir.parent / "apps").glob("Python3*"),
                                                                reverse=True))
    else:
        if exe_dir is not None and sys.platform == "darwin":
            # QGIS.app: Contents/MacOS/QGIS runs Contents/MacOS/bin/python3.
            yield str(exe_dir / "bin" / "python3")
            yield str(exe_dir / "bin" / versioned)
        for prefix in (sys.base_exec_prefix, sys.base_prefix, sys.prefix):
            yield os.path.join(prefix, "bin", versioned)
            yield os.path.join(prefix, "bin", "python3")
        yield f"/usr/bin/{versioned}"
        yield "/usr/bin/python3"
    for name in (versioned, "python3", "python"):
        found = shutil.which(name)
        if found:
            yield found


def _version_of(python):
    """Return ``sys.version`` as printed by the interpreter ``python``, or None when it does not run."""
    if not (os.path.isfile(python) and os.access(python, os.X_OK)):
        return None
    try:
        run = subprocess.run([python, "-I", "-c", "import sys; print(sys.version)"], capture_output=True,
                             text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def find_python():
    """Return the path of the Python interpreter QGIS runs on, checked by running it.

    Inside QGIS ``sys.executable`` is usually the QGIS program (``qgis``,
    ``qgis-bin.exe``), not Python. The rule: take the first candidate that
    runs and prints exactly this process's ``sys.version`` (failing that, the
    same major.minor — wheels are per minor version), in this order:
    ``$YRDGEO_QGIS_PYTHON``; ``sys._base_executable`` and ``sys.executable`` when
    they are a ``python*`` program; Windows: ``python.exe`` in ``sys.prefix``
    (OSGeo4W ``apps/Python3xx``), next to QGIS's ``python3.dll``, next to
    ``qgis-bin.exe`` or in ``<root>/apps/Python3*``; macOS: ``bin/python3``
    next to the QGIS program in the app bundle (``Contents/MacOS/bin``);
    Linux and macOS: ``<sys.prefix>/bin/python3.X`` and ``/usr/bin/python3.X``
    (Debian's QGIS runs the system Python); last, ``python3.X`` on the PATH.
    """
    tried, near = [], None
    wanted = sys.version.strip()
    for candidate in dict.fromkeys(str(c) for c in _candidates()):
        version = _version_of(candidate)
        tried.append(candidate)
        if version is None:
            continue
        if version == wanted:
            return candidate
        if near is None and version.split()[0].rsplit(".", 1)[0] == wanted.split()[0].rsplit(".", 1)[0]:
            near = candidate
    if near is not None:
        return near
    raise DependencyError(
        f"QGIS's Python {sys.version.split()[0]} was not found as a program (tried: {', '.join(tried) or 'nothing'}); "
        f"set the environment variable {PYTHON_VARIABLE} to its path and restart QGIS")


# --------------------------------------------------------------------------- plan and install


def constraints():
    """Return the constraint lines pinning QGIS's own numpy (``numpy==1.24.2``); GDAL is never listed."""
    lines = []
    for name in PINNED:
        version = installed_version(name)
        if version is not None:
            lines.append(f"{name}=={version}")
    return lines


def plan(profile, *, requirements=REQUIREMENTS, python=None):
    """Return the :class:`Plan` for this profile: unmet requirements, QGIS's Python, the target folder.

    Raises DependencyError when the requirements name GDAL (QGIS's own, never
    installed) or when QGIS's Python cannot be found.
    """
    forbidden = [line for line in read_requirements(requirements)
                 if _canonical(requirement_name(line)) in NEVER]
    if forbidden:
        raise DependencyError(f"{requirements} lists {', '.join(forbidden)}: QGIS brings its own GDAL, "
                              "which must never be installed by pip")
    return Plan(missing=check(requirements), python=python or find_python(), target=target_folder(profile),
                constraints=constraints(), requirements=Path(requirements))


def _record_tops(info):
    """Return the top-level names (folders, modules) a distribution's RECORD lists, its dist-info included."""
    tops = {info.name}
    record = info / "RECORD"
    if record.exists():
        for row in record.read_text(encoding="utf-8").splitlines():
            relative = row.split(",", 1)[0]
            if relative and not relative.startswith(".."):
                tops.add(Path(relative).parts[0])
    return tops


def _distributions(folder):
    """Return ``{canonical name: (dist-info folder, version)}`` of the distributions in a --target folder."""
    out = {}
    for info in Path(folder).glob("*.dist-info"):
        name, _, version = info.name[: -len(".dist-info")].rpartition("-")
        out[_canonical(name)] = (info, version)
    return out


def _remove_distribution(folder, name):
    """Delete distribution ``name`` from a ``--target`` folder: what its RECORD lists and no other's."""
    found = _distributions(folder)
    if _canonical(name) not in found:
        return
    info = found.pop(_canonical(name))[0]
    shared = set().union(*(_record_tops(other) for other, _ in found.values()))
    for top in _record_tops(info) - shared:  # a namespace folder another distribution uses stays
        path = Path(folder) / top
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


def _needed_specifiers(folder, requirements):
    """Return ``{canonical name: [specifier, …]}``: what requirements.txt and the installed packages ask for."""
    requirement_class = _requirement_class()
    wanted = {}
    lines = list(read_requirements(requirements))
    for info, _ in _distributions(folder).values():
        metadata = email.parser.Parser().parsestr((info / "METADATA").read_text(encoding="utf-8", errors="replace"),
                                                  headersonly=True)
        lines += metadata.get_all("Requires-Dist") or []
    for line in lines:
        requirement = requirement_class(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            wanted.setdefault(_canonical(requirement.name), []).append(requirement.specifier)
    return wanted


def _keep_qgis_copies(folder, requirements):
    """Remove from the new folder the packages QGIS's Python already has at a version every requirement accepts.

    pip's ``--target`` installs everything afresh; this gives the effect of
    ``--upgrade-strategy only-if-needed`` against QGIS's own packages, so
    only what is missing or too old shadows them (QGIS's requests, Pillow,
    matplotlib … stay the ones it loads). Returns the names removed.
    """
    if _requirement_class() is None:
        return []
    wanted = _needed_specifiers(folder, requirements)
    outside = [p for p in sys.path if p and Path(folder).parent.parent not in Path(p).resolve().parents]
    system = {}
    for dist in importlib.metadata.distributions(path=outside):
        system.setdefault(_canonical(dist.metadata["Name"] or ""), dist.version)
    kept = []
    for name in sorted(_distributions(folder)):
        version = system.get(name)
        if version is not None and all(s.contains(version, prereleases=True) for s in wanted.get(name, [])):
            _remove_distribution(folder, name)
            kept.append(f"{name}=={version}")
    return kept


def _replace(new, folder):
    """Move ``new`` to ``folder``, the old folder (if any) set aside first and deleted after."""
    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-old-"))
        old.rmdir()
        folder.rename(old)
    try:
        new.rename(folder)
    except OSError:
        if old is not None:
            old.rename(folder)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def install(the_plan, *, progress=None, extra_args=(), timeout=3600):
    """Run pip for ``the_plan`` into a temporary sibling folder; move it into place only on success.

    Parameters
    ----------
    the_plan : Plan
        From :func:`plan`.
    progress : callable, optional
        Called with each line pip prints (the dialog shows them).
    extra_args : sequence of str
        More pip options (``--index-url …`` for an organisation's mirror).
    timeout : float
        Seconds before pip is stopped.

    Returns
    -------
    InstallResult
        ``ok`` False with pip's whole log when pip failed; the target folder
        is then as it was, and the temporary folder is deleted. The log is
        also written to ``<profile>/python/yrdgeo-deps/install.log``.
    """
    target = Path(the_plan.target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-installing-"))
    constraints_file = work.parent / f"{work.name}-constraints.txt"
    constraints_file.write_text("".join(f"{line}\n" for line in the_plan.constraints), encoding="utf-8")
    command = [*the_plan.command(work / "site", constraints_file), *extra_args]
    lines = [f"$ {' '.join(command)}", *(f"constraint: {c}" for c in the_plan.constraints)]
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")
    env.pop("PIP_REQUIRE_VIRTUALENV", None)
    returncode, proc = -1, None
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                encoding="utf-8", errors="replace", env=env)
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if progress is not None:
                progress(line.rstrip("\n"))
        returncode = proc.wait(timeout=timeout)
    except (OSError, subprocess.SubprocessError) as exc:
        lines.append(f"pip could not run: {exc}")
        if proc is not None and proc.poll() is None:
            proc.kill()
            returncode = proc.wait()
    site = work / "site"
    ok = returncode == 0 and site.is_dir()
    if ok:
        for name in PINNED:  # QGIS's own copy stays the only one on the path
            _remove_distribution(site, name)
        kept = _keep_qgis_copies(site, the_plan.requirements)
        if kept:
            lines.append(f"kept QGIS's own: {', '.join(kept)}")
        stray = [p.name for p in site.iterdir() if p.name == "osgeo" or _canonical(p.name).startswith("gdal-")]
        if stray:
            lines.append(f"refused: pip installed {', '.join(stray)}; QGIS's own GDAL must stay the only one")
            ok = False
    pending = False
    if ok:
        try:
            _replace(site, target)
        except OSError as exc:  # the old folder is in use (Windows): swap at the next start
            shutil.rmtree(_pending(target), ignore_errors=True)
            site.rename(_pending(target))
            lines.append(f"{target} is in use ({exc}); the new packages are moved into place when QGIS restarts")
            pending = True
    shutil.rmtree(work, ignore_errors=True)
    constraints_file.unlink(missing_ok=True)
    log = "\n".join(lines)
    (target.parent / LOG_NAME).write_text(log + "\n", encoding="utf-8")
    return InstallResult(ok=ok, target=target, returncode=returncode, log=log, command=command, pending=pending)
