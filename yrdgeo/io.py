"""Writing yrdgeo results safely: nothing half-written, nothing of the user's replaced or deleted.

Single files (:func:`atomic_path`, :func:`write_layers`) are rendered into a
temporary folder beside the target and renamed into place only when
complete: a failure (a full disk included) leaves no partial file behind and
an existing file is replaced atomically, and only when ``overwrite`` allows.
A Shapefile moves together with its side files (``.dbf``, ``.shx``, ``.prj``, ``.cpg``).

Folders (:func:`output_folder`, used by the atlas) follow stricter rules:

- ``overwrite`` replaces only a folder yrdgeo wrote — one holding the marker
  :data:`MARKER`, which lists every file yrdgeo wrote there with its SHA-256 —
  and whose files are all still as yrdgeo wrote them, or an empty folder.
  A folder holding anything else, or any input of the run, is refused.
- A lock file beside the target (``.<name>.yrdgeo-lock``, held with
  ``flock`` for the whole run) makes a second run into the same folder fail
  with a clear error, and the target is checked again under that lock just
  before the final rename, so a folder that appeared meanwhile is never replaced.
- The build folder lives beside the target (same file system: the final
  rename never crosses file systems) and records the process id of its run;
  such folders left by killed runs are removed by the next run.
- An ``--out`` that is a symbolic link writes into the folder it points to;
  the link stays a link.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import geopandas as gpd
import pandas as pd

try:
    import fcntl
except ImportError:  # Windows: msvcrt locks instead
    fcntl = None  # type: ignore[assignment]

FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".csv": "CSV", ".shp": "ESRI Shapefile"}

#: File yrdgeo leaves in every folder it writes; ``overwrite`` replaces only such folders (or empty ones).
MARKER = ".yrdgeo-output.json"
#: Process record inside a temporary build folder; a folder whose process is gone is a killed run's leftover.
BUILD_RECORD = ".yrdgeo-build.json"
_TMP_TAG = ".yrdgeo-tmp-"
_LOCK_TAG = ".yrdgeo-lock"
_KEPT_TAG = ".yrdgeo-kept-"
_WRITTEN_BY = "yrdgeo"
_NAME_CHARS = 100  # of the target's name used in temporary names (file names are limited to 255 bytes)
_FULL_ERRNOS = {errno.ENOSPC} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())
_FULL_TEXT = ("no space left on device", "disk is full", "disk full", "quota exceeded")
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}
_NEARLY_FULL = 1 << 20  # bytes free below which a failed write is put down to a full disk
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputError(OSError, ValueError):
    """An output could not be written (full disk, a run already writing there, a failed move).

    It is an ``OSError`` (``errno`` is set where one applies, e.g.
    ``errno.ENOSPC``) and a ``ValueError``, so the command line reports it as
    ``yrdgeo: error: ...``. The message names the path and what to do.
    """


def format_for(path: str | os.PathLike) -> str:
    """Return the output format named by a path's extension, or raise ValueError listing the known ones."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        msg = f"cannot tell the output format of {str(path)!r}: expected one of {', '.join(FORMATS)}"
        raise ValueError(msg)
    return FORMATS[ext]


# ----------------------------------------------------------------------------- single files


@contextmanager
def atomic_path(path: str | os.PathLike, *, overwrite: bool = True,
                inputs: Iterable[str | os.PathLike | None] = (),
                layers: Iterable[str] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    Parameters
    ----------
    path
        The file to write. A symbolic link is followed: the file it points to
        is replaced and the link stays.
    overwrite
        Replace an existing file. Without it an existing file is refused
        before the block runs, and a file that appears while the block runs
        is not replaced either (the final step is a no-replace link).
    inputs
        Input files of the run; ``path`` naming one of them is refused.
    layers
        For a GeoPackage, the names of the layers that will be written. An
        existing GeoPackage holding any other layer (a user's own work kept
        in the same file) is refused before the block runs, since replacing
        the file would delete it. Without ``layers`` the same check runs on
        the finished file's layers, just before the move.

    Raises
    ------
    FileExistsError
        ``path`` exists (or appeared) and ``overwrite`` is false, or it is a
        GeoPackage holding layers that this write would delete.
    OutputError
        The disk is full or the file system refused the write; nothing is
        left behind and an existing file is unchanged.
    """
    shown = Path(path)
    real = check_target(shown, overwrite=overwrite, inputs=inputs)
    if layers is not None:
        _check_other_layers(real, shown, set(layers))
    _check_parent(real, shown, f"{shown}")
    clean_stale(real)
    wrapper = _new_build_folder(real, shown, "file")
    tmp = wrapper / real.name
    try:
        yield tmp
        _publish_files(tmp, real, shown, overwrite=overwrite)
    except Exception as exc:
        better = _clear_error(exc, shown, real.parent, wrapper, existed=os.path.lexists(real))
        if better is not None:
            raise better from exc
        raise
    finally:
        shutil.rmtree(wrapper, ignore_errors=True)


def _publish_files(tmp: Path, real: Path, shown: Path, *, overwrite: bool) -> None:
    if not tmp.is_file():
        msg = f"nothing was written to {shown}: the writer produced no file"
        raise OutputError(msg)
    if overwrite and _is_geopackage(real):
        # also covers writers that did not name their layers up front, and a file that changed meanwhile
        _check_other_layers(real, shown, set(_layer_names(tmp) or ()))
    # A Shapefile is several files; they move together, the .shp last so that a
    # reader never pairs a new .shp with old side files.
    side = sorted(p for p in tmp.parent.iterdir() if p != tmp and p.name != BUILD_RECORD
                  and p.is_file() and tmp.suffix.lower() == ".shp" and p.stem == tmp.stem)
    placed: list[Path] = []
    try:
        for p in [*side, tmp]:
            dest = real.parent / p.name
            if overwrite:
                os.replace(p, dest)
            else:
                _place_no_replace(p, dest, shown)
            placed.append(dest)
    except BaseException:
        if not overwrite:  # files this call created from nothing: take them back
            for dest in placed:
                dest.unlink(missing_ok=True)
        raise


def _is_geopackage(path: Path) -> bool:
    """Return True if ``path`` is an existing file that is a GeoPackage (an SQLite file named .gpkg)."""
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return path.suffix.lower() == ".gpkg" or head == b"SQLite format 3\x00"


def _layer_names(path: Path) -> list[str] | None:
    """Return the layer (and attribute table) names of a GeoPackage, or None if GDAL cannot list them."""
    import pyogrio

    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception:  # noqa: BLE001 - not a readable GeoPackage: there are no layers to protect
        return None


def _check_other_layers(real: Path, shown: Path, keep: set[str]) -> None:
    """Raise FileExistsError if the GeoPackage ``real`` holds layers other than ``keep``."""
    if not _is_geopackage(real):
        return
    others = [name for name in (_layer_names(real) or []) if name not in keep]
    if others:
        msg = (f"{shown.name} holds other layers ({', '.join(others)}) that --overwrite would delete; "
               f"choose another file")
        raise FileExistsError(msg)


def _place_no_replace(src: Path, dest: Path, shown: Path) -> None:
    appeared = f"{shown} appeared while it was being written; nothing was replaced (pass overwrite=True to replace it)"
    try:
        os.link(src, dest)  # fails if dest exists, with no window between check and write
    except FileExistsError:
        raise FileExistsError(appeared) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # A file system without hard links (FAT, some network shares): check, then rename.
        if os.path.lexists(dest):
            raise FileExistsError(appeared) from None
        os.rename(src, dest)
        return
    src.unlink()


def write_layers(layers: Mapping[str, pd.DataFrame], path: str | os.PathLike, *, overwrite: bool = True,
                 inputs: Iterable[str | os.PathLike | None] = (), sync: bool = True) -> Path:
    """Write one or more frames to ``path`` (format by extension) atomically; return the path.

    GeoPackage takes several layers (named by the mapping's keys); GeoJSON,
    Shapefile and CSV take exactly one. CSV writes geometry as WKT, and a
    frame without geometry is written as an attribute table. ``overwrite``
    and ``inputs`` are as in :func:`atomic_path`; a full disk raises
    :class:`OutputError` and leaves nothing behind. The file is replaced
    whole: an existing GeoPackage that holds layers other than ``layers``
    (a user's own layers) is refused with :class:`FileExistsError` naming
    them, before anything is written. ``sync=False`` writes a GeoPackage without SQLite's
    per-statement disk sync (GDAL's ``OGR_SQLITE_SYNCHRONOUS=OFF``): for a file inside a build
    folder of :func:`output_folder`, which becomes visible only by the final rename.
    """
    fmt = format_for(path)
    if fmt != "GPKG" and len(layers) != 1:
        msg = f"{fmt} holds one layer; got {len(layers)} ({', '.join(layers)}). Use a .gpkg file for several."
        raise ValueError(msg)
    if not layers:
        msg = "nothing to write: no layers given"
        raise ValueError(msg)
    names = list(layers) if fmt == "GPKG" else None
    with atomic_path(path, overwrite=overwrite, inputs=inputs, layers=names) as tmp, _sqlite_sync(sync or fmt != "GPKG"):
        for name, frame in layers.items():
            if fmt == "CSV":
                out = pd.DataFrame(frame)
                if isinstance(frame, gpd.GeoDataFrame):
                    out[frame.geometry.name] = frame.geometry.to_wkt()
                out.to_csv(tmp, index=False, encoding="utf-8")
            elif isinstance(frame, gpd.GeoDataFrame):
                frame.to_file(tmp, layer=name, driver=fmt, **({"mode": "a"} if tmp.exists() else {}))
            else:
                gpd.GeoDataFrame(frame).to_file(tmp, layer=name, driver=fmt, **({"mode": "a"} if tmp.exists() else {}))
    return Path(path)


@contextmanager
def _sqlite_sync(on: bool) -> Iterator[None]:
    """Return a context with GDAL's SQLite sync off unless ``on`` (the previous setting is restored)."""
    if on:
        yield
        return
    import pyogrio

    before = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": before})


# ----------------------------------------------------------------------------- folders


def check_output_folder(path: str | os.PathLike, *, overwrite: bool = False,
                        inputs: Iterable[str | os.PathLike | None] = (), kind: str = "output") -> Path:
    """Return the real path of the output folder ``path`` after checking yrdgeo may write it; raise otherwise.

    Call it before any work so that a refusal comes first; :func:`output_folder`
    checks again under its lock.

    Parameters
    ----------
    path
        The folder (``--out``). A symbolic link is followed.
    overwrite
        Replace a folder yrdgeo wrote earlier.
    inputs
        Input files of the run (None entries are skipped): a folder holding
        one of them is refused.
    kind
        What is written (``"atlas"``), for messages.

    Raises
    ------
    ValueError
        ``path`` is a file, holds an input, is the current/home folder or a mount point.
    FileExistsError
        The folder is not empty and either ``overwrite`` is false or yrdgeo
        did not write (all of) it.
    FileNotFoundError, PermissionError
        The parent folder is missing or not writable.
    OutputError
        Another run is writing the same folder right now.
    """
    real = _check_folder(Path(path), overwrite=overwrite, inputs=list(inputs), kind=kind)
    holder = _Lock(real, Path(path), kind).holder()
    if holder is not None:
        raise _busy(Path(path), kind, holder)
    return real


@contextmanager
def output_folder(path: str | os.PathLike, *, overwrite: bool = False,
                  inputs: Iterable[str | os.PathLike | None] = (), kind: str = "output",
                  command: Iterable[str] | None = None) -> Iterator[Path]:
    """Yield an empty build folder beside ``path``; when the block succeeds, it becomes ``path``.

    The checks of :func:`check_output_folder` run under a lock held until the
    end; leftovers of killed runs into the same folder are removed; the
    target is checked once more just before the rename. On success the
    marker :data:`MARKER` lists every file written. On failure nothing is
    left: no build folder, and an existing folder is unchanged.

    Parameters
    ----------
    path, overwrite, inputs, kind
        As in :func:`check_output_folder`.
    command
        The command line, recorded in the marker.

    Raises
    ------
    OutputError
        Another run holds the lock, the disk is full, or the final move failed.
    FileExistsError
        A non-empty folder appeared at ``path`` during the run (without
        ``overwrite``, or one yrdgeo did not write).
    """
    shown = Path(path)
    inputs = list(inputs)
    real = _check_folder(shown, overwrite=overwrite, inputs=inputs, kind=kind)
    lock = _Lock(real, shown, kind)
    lock.acquire()
    wrapper: Path | None = None
    try:
        # Again under the lock: the folder may have changed since the caller's check.
        real = _check_folder(shown, overwrite=overwrite, inputs=inputs, kind=kind)
        had_content = real.is_dir() and not _is_empty(real)
        clean_stale(real)
        wrapper = _new_build_folder(real, shown, kind)
        build = wrapper / "build"
        try:
            build.mkdir()
            yield build
            _write_marker(build, kind=kind, command=command)
            _publish_folder(build, real, shown, wrapper, overwrite=overwrite, kind=kind, had_content=had_content)
        except Exception as exc:
            better = _clear_error(exc, shown, real.parent, wrapper, existed=had_content, kind=kind)
            if better is not None:
                raise better from exc
            raise
    finally:
        if wrapper is not None:
            shutil.rmtree(wrapper, ignore_errors=True)
        lock.release()


def clean_stale(target: str | os.PathLike) -> list[Path]:
    """Return the temporary folders of killed yrdgeo runs into ``target`` that were removed.

    Only folders beside ``target`` named ``.<name>.yrdgeo-tmp-XXXXXXXX`` that
    hold yrdgeo's process record (:data:`BUILD_RECORD`) for a process of this
    host that no longer runs are removed. A run killed between the two
    renames of a replacement (where no atomic exchange exists) left the
    earlier output inside; it is put back first.
    """
    target = Path(target)
    pattern = re.compile(re.escape(f".{target.name[:_NAME_CHARS]}{_TMP_TAG}") + r"[a-z0-9_]{8}")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not pattern.fullmatch(entry.name) or not entry.is_dir(follow_symlinks=False):
                continue
            folder = Path(entry.path)
            record = _read_json(folder / BUILD_RECORD)
            if (record is None or record.get("written_by") != _WRITTEN_BY or record.get("host") != socket.gethostname()
                    or not isinstance(record.get("pid"), int) or _alive(record["pid"])):
                continue
            old = folder / "old"
            if old.is_dir() and not old.is_symlink() and not os.path.lexists(target) and _read_marker(old):
                os.rename(old, target)
            shutil.rmtree(folder)
            removed.append(folder)
        except OSError:  # cleaning is a courtesy: it never stops a run
            continue
    return removed


def _check_folder(shown: Path, *, overwrite: bool, inputs: list, kind: str) -> Path:
    real = _real_target(shown)
    for src in inputs:
        if src is None:
            continue
        held = Path(os.path.realpath(src))
        if held == real or real in held.parents:
            msg = (f"refusing to write the {kind} into {shown}: it is or holds {src}, an input of this run, and yrdgeo "
                   f"never replaces its input; choose another folder for --out")
            raise ValueError(msg)
    if os.path.lexists(real) and not real.is_dir():
        msg = f"output folder {shown} is an existing file, not a folder; choose a folder path"
        raise ValueError(msg)
    cwd = Path(os.path.realpath(Path.cwd()))
    if real == cwd or real in cwd.parents or real == Path(os.path.realpath(os.path.expanduser("~"))):
        msg = (f"refusing to replace {shown} ({real}): it is the current folder, one of its parents or the "
               f"home folder; give the {kind} its own folder, e.g. --out {kind}")
        raise ValueError(msg)
    if real.is_dir() and os.path.ismount(real):
        msg = (f"output folder {shown} is a mount point; yrdgeo builds the {kind} beside it and renames it into "
               f"place, which cannot replace a mount point: use a folder inside it, e.g. --out {shown / kind}")
        raise ValueError(msg)
    _check_parent(real, shown, f"the {kind}")
    if real.is_dir():
        _check_replaceable(real, shown, overwrite=overwrite, kind=kind)
    return real


def _check_replaceable(real: Path, shown: Path, *, overwrite: bool, kind: str, appeared: bool = False) -> None:
    if _is_empty(real):
        return  # an empty folder is replaced by the new one whatever overwrite says
    since = f" (it appeared while the {kind} was being built)" if appeared else ""
    foreign = _foreign_entries(real)
    if foreign is None or foreign:
        if foreign is None:
            why = (f"it holds no {MARKER}, the marker yrdgeo leaves in every folder it writes (a folder from an "
                   f"older yrdgeo has none either)")
        else:
            listing = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            why = f"it holds files yrdgeo did not write (or that changed since): {listing}"
        msg = (f"output folder {shown} exists and is not empty{since}, and {why}; --overwrite only replaces a "
               f"folder yrdgeo wrote or an empty one, so nothing was replaced. Choose a new folder for --out, or "
               f"move those files away yourself")
        raise FileExistsError(msg)
    if not overwrite:
        msg = (f"output folder {shown} exists and is not empty{since} (yrdgeo wrote it); pass overwrite=True "
               f"(--overwrite) to replace it")
        raise FileExistsError(msg)
    if not os.access(real, os.W_OK | os.X_OK):
        msg = f"cannot replace the {kind}: folder {shown} is not writable"
        raise PermissionError(msg)


def _foreign_entries(folder: Path) -> list[str] | None:
    """Return what in ``folder`` yrdgeo did not write (or changed since), or None when it has no valid marker."""
    record = _read_marker(folder)
    if record is None:
        return None
    files, dirs = record["files"], set(record["dirs"])
    foreign = []
    for root, dirnames, filenames in os.walk(folder):
        base = Path(root)
        for d in sorted(dirnames):
            rel = (base / d).relative_to(folder).as_posix()
            if (base / d).is_symlink() or rel not in dirs:
                foreign.append(rel + "/")
        for f in sorted(filenames):
            p = base / f
            rel = p.relative_to(folder).as_posix()
            if rel == MARKER:
                continue
            info = files.get(rel)
            if p.is_symlink() or not p.is_file() or not isinstance(info, dict):
                foreign.append(rel)
            elif p.stat().st_size != info.get("bytes") or sha256(p) != info.get("sha256"):
                foreign.append(f"{rel} (changed since yrdgeo wrote it)")
    return foreign


def _read_marker(folder: Path) -> dict[str, Any] | None:
    marker = folder / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    record = _read_json(marker)
    if (record is None or record.get("written_by") != _WRITTEN_BY or not isinstance(record.get("files"), dict)
            or not isinstance(record.get("dirs"), list)):
        return None
    return record


def _write_marker(build: Path, *, kind: str, command: Iterable[str] | None) -> None:
    from . import __version__

    files: dict[str, dict[str, Any]] = {}
    dirs: list[str] = []
    for root, dirnames, filenames in os.walk(build):
        base = Path(root)
        dirs += [(base / d).relative_to(build).as_posix() for d in dirnames]
        for f in filenames:
            p = base / f
            files[p.relative_to(build).as_posix()] = {"bytes": p.stat().st_size, "sha256": sha256(p)}
    record = {
        "written_by": _WRITTEN_BY, "version": __version__, "kind": kind,
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": list(command) if command is not None else None,
        "note": "yrdgeo replaces this folder (--overwrite) only while it holds just these files, unchanged",
        "files": dict(sorted(files.items())), "dirs": sorted(dirs),
    }
    (build / MARKER).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


def _publish_folder(build: Path, real: Path, shown: Path, wrapper: Path, *, overwrite: bool, kind: str,
                    had_content: bool) -> None:
    # Checked again (still under the lock) now that the build is complete: a folder may have appeared.
    appeared = (f"output folder {shown} appeared while the {kind} was being built; nothing was replaced and the "
                f"new {kind} was discarded. Run again with another --out")
    if os.path.lexists(real) and not real.is_dir():
        raise FileExistsError(f"{appeared} (it is now a file)")
    if real.is_dir():
        _check_replaceable(real, shown, overwrite=overwrite, kind=kind, appeared=not had_content)
    if not real.is_dir() or _is_empty(real):
        try:
            os.rename(build, real)  # replaces an empty folder, never a non-empty one
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise FileExistsError(appeared) from None
            raise _move_error(exc, shown, kind) from exc
        return
    # An earlier output of yrdgeo with overwrite: swap it with the new one, then delete only its files.
    try:
        if _exchange(build, real):
            old = build
        else:
            old = wrapper / "old"
            os.rename(real, old)
            try:
                os.rename(build, real)
            except BaseException:
                os.rename(old, real)
                raise
    except OSError as exc:
        raise _move_error(exc, shown, kind) from exc
    left = _remove_written(old)
    if left:  # someone added files in the last instant: keep them
        keep = Path(tempfile.mkdtemp(prefix=f".{real.name[:_NAME_CHARS]}{_KEPT_TAG}", dir=real.parent))
        os.replace(old, keep)
        msg = (f"files added to {shown} while it was being replaced were kept in {keep}: "
               f"{', '.join(left[:5])}{' …' if len(left) > 5 else ''}")
        warnings.warn(msg, stacklevel=4)


def _remove_written(folder: Path) -> list[str]:
    """Return what is left in ``folder`` after deleting the files its marker lists (and the empty folders)."""
    record = _read_marker(folder)
    listed = record["files"] if record else {}
    for root, _dirnames, filenames in os.walk(folder):
        base = Path(root)
        for f in filenames:
            p = base / f
            rel = p.relative_to(folder).as_posix()
            if (rel in listed or rel == MARKER) and p.is_file() and not p.is_symlink():
                p.unlink()
    for root, dirnames, _filenames in os.walk(folder, topdown=False):
        for d in dirnames:
            p = Path(root) / d
            if not p.is_symlink():
                try:
                    p.rmdir()
                except OSError:
                    pass  # not empty: holds something yrdgeo did not write
    left = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    if not left:
        folder.rmdir()
    return left


def _exchange(a: Path, b: Path) -> bool:
    """Return True after swapping ``a`` and ``b`` atomically (Linux ``renameat2``); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (musl before 1.2.2, old glibc)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):  # file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


# ----------------------------------------------------------------------------- shared helpers


def _is_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def check_target(
    path: str | os.PathLike,
    *,
    overwrite: bool,
    inputs: Iterable[str | os.PathLike | None] = (),
    label: str | None = None,
    overwrite_hint: str = "overwrite=True (--overwrite)",
) -> Path:
    """Return the file that writing ``path`` replaces (a symbolic link followed), or raise naming ``label``.

    Refused: a folder, an input of the run, an existing file without ``overwrite`` (the message tells
    to pass ``overwrite_hint``), a link to nothing. Shared by :func:`atomic_path` and the CLI's checks
    before any work.
    """
    shown = Path(path)
    label = str(shown) if label is None else label
    real = _real_target(shown)
    if real.is_dir():
        msg = f"{label} is a folder; expected a file name"
        raise ValueError(msg)
    for src in inputs:
        if src is not None and real.exists() and Path(src).exists() and os.path.samefile(real, src):
            msg = f"{label} is an input of this run; yrdgeo never replaces its input, choose another name"
            raise ValueError(msg)
    if os.path.lexists(real) and not overwrite:
        msg = f"{label} exists; pass {overwrite_hint} to replace it"
        raise FileExistsError(msg)
    return real


def _real_target(shown: Path) -> Path:
    real = Path(os.path.realpath(shown))
    if shown.is_symlink() and not real.exists():
        msg = f"{shown} is a symbolic link to {real}, which does not exist; create it or remove the link"
        raise FileNotFoundError(msg)
    return real


def _check_parent(real: Path, shown: Path, what: str) -> None:
    parent = real.parent
    if not parent.is_dir():
        msg = f"the folder that should hold {what}, {parent}, does not exist; create it first"
        raise FileNotFoundError(msg)
    if not os.access(parent, os.W_OK | os.X_OK):
        msg = f"cannot write {what}: folder {parent} is not writable"
        raise PermissionError(msg)
    try:  # access() does not see every refusal (read-only or special file systems, ACLs): try it
        probe = tempfile.mkdtemp(prefix=f".{real.name[:_NAME_CHARS]}.yrdgeo-probe-", dir=parent)
    except OSError as exc:
        if exc.errno in _FULL_ERRNOS:
            raise _disk_full(shown, parent, existed=os.path.lexists(real), kind="") from None
        msg = f"cannot write {what}: folder {parent} is not writable ({exc.strerror or exc})"
        raise PermissionError(msg) from None
    os.rmdir(probe)


def _new_build_folder(real: Path, shown: Path, kind: str) -> Path:
    wrapper = Path(tempfile.mkdtemp(prefix=f".{real.name[:_NAME_CHARS]}{_TMP_TAG}", dir=real.parent))
    record = {"written_by": _WRITTEN_BY, "pid": os.getpid(), "host": socket.gethostname(), "kind": kind,
              "target": str(real), "started_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    try:
        (wrapper / BUILD_RECORD).write_text(json.dumps(record), encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(wrapper, ignore_errors=True)
        if exc.errno in _FULL_ERRNOS:
            raise _disk_full(shown, real.parent, existed=os.path.lexists(real), kind=kind) from exc
        raise
    return wrapper


def _clear_error(exc: BaseException, shown: Path, folder: Path, wrapper: Path, *, existed: bool,
                 kind: str = "") -> BaseException | None:
    """Return a clear error to raise instead of ``exc`` (disk full, a write refused), or None to keep ``exc``."""
    if isinstance(exc, OutputError) and exc.errno not in _FULL_ERRNOS:  # already clear
        return None
    if _is_disk_full(exc) or (_is_write_error(exc) and _free_bytes(folder) < _NEARLY_FULL):
        # GDAL does not always pass ENOSPC on ("Cannot write feature", "no such table"): a write
        # error on a file system left with almost no space is taken for what it is.
        return _disk_full(shown, folder, existed=existed, kind=kind, cause=exc)
    if isinstance(exc, OSError) and exc.errno is not None and exc.strerror and exc.filename is not None:
        name = Path(os.fsdecode(exc.filename))
        if name == wrapper or wrapper in name.parents:  # failed writing our own temporary files
            what = f"the {kind} {shown}" if kind else f"{shown}"
            unchanged = f"; the existing {shown} is unchanged" if existed else ""
            err = OutputError(f"cannot write {what}: {exc.strerror} (in {folder}); nothing was written{unchanged}")
            err.errno = exc.errno
            return err
    return None


def _is_disk_full(exc: BaseException) -> bool:
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno in _FULL_ERRNOS:
            return True
        if any(t in str(e).lower() for t in _FULL_TEXT):  # GDAL/SQLite report it in words
            return True
        e = e.__cause__ or e.__context__
    return False


def _is_write_error(exc: BaseException) -> bool:
    module = type(exc).__module__.split(".")[0]
    return isinstance(exc, OSError) or module in ("pyogrio", "fiona", "rasterio", "sqlite3")


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return -1


def _disk_full(shown: Path, folder: Path, *, existed: bool, kind: str,
               cause: BaseException | None = None) -> OutputError:
    free = _free_bytes(folder)
    what = f"the {kind} {shown}" if kind else f"{shown}"
    unchanged = f"; the existing {shown} is unchanged" if existed else ""
    said = ""
    if cause is not None and not isinstance(cause, OSError):
        text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
        said = f" (the writer said: {type(cause).__name__}: {text[:200]})"
    err = OutputError(f"cannot write {what}: disk full (no space left on the file system of {folder}; "
                      f"{_size(free) if free >= 0 else 'unknown'} free); nothing was written{unchanged}. Free some "
                      f"space or write to another disk{said}")
    err.errno = errno.ENOSPC
    return err


def _move_error(exc: OSError, shown: Path, kind: str) -> OutputError:
    err = OutputError(f"cannot move the finished {kind} into place at {shown}: {exc.strerror or exc}; nothing was "
                      f"replaced")
    err.errno = exc.errno
    return err


def _busy(shown: Path, kind: str, holder: int) -> OutputError:
    who = f"process {holder}" if holder > 0 else "another process"
    err = OutputError(f"another yrdgeo run ({who}) is writing {shown} right now; wait for it to finish, or "
                      f"choose another folder for --out")
    err.errno = errno.EBUSY
    return err


class _Lock:
    """An advisory lock on ``.<name>.yrdgeo-lock`` beside a target, held while a run writes the target."""

    def __init__(self, real: Path, shown: Path, kind: str) -> None:
        self.path = real.parent / f".{real.name[:_NAME_CHARS]}{_LOCK_TAG}"
        self.shown, self.kind = shown, kind
        self.fd: int | None = None

    def acquire(self) -> None:
        for _ in range(50):
            try:  # never through a link: the lock file is written
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
                msg = (f"{self.path} is a symbolic link yrdgeo did not make; yrdgeo uses that name as the lock of "
                       f"{self.shown}: remove the link")
                raise FileExistsError(msg) from None
            if not _try_lock(fd):
                holder = _pid_in(fd)
                os.close(fd)
                raise _busy(self.shown, self.kind, holder)
            # The previous holder removes the file on release; if that happened between our open and
            # our lock, we hold a lock on a file nobody else will see: start again with the new one.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            content = os.read(fd, 4096)
            if content.strip() and _pid_in(fd, content) == 0:
                os.close(fd)
                msg = (f"{self.path} exists and yrdgeo did not write it; yrdgeo uses that name as the lock of "
                       f"{self.shown}: move the file away")
                raise FileExistsError(msg)
            try:  # who holds it, for the message another run gets; the lock works without it (full disk)
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, json.dumps({"written_by": _WRITTEN_BY, "pid": os.getpid(),
                                         "host": socket.gethostname()}).encode())
            except OSError:
                pass
            self.fd = fd
            return
        msg = f"could not lock {self.path} (it keeps being replaced)"
        raise OutputError(msg)

    def release(self) -> None:
        if self.fd is None:
            return
        if os.name == "posix":
            self.path.unlink(missing_ok=True)  # still locked: whoever opened it meanwhile notices (see acquire)
            os.close(self.fd)
        else:  # Windows cannot remove an open file; the file stays, harmless
            os.close(self.fd)
        self.fd = None

    def holder(self) -> int | None:
        """Return the process id holding the lock (-1 if unknown), or None when no run holds it."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            if _try_lock(fd):
                return None
            pid = _pid_in(fd)
            return pid if pid > 0 else -1
        finally:
            os.close(fd)  # closing also drops a lock taken just now


def _try_lock(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt

    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _pid_in(fd: int, content: bytes | None = None) -> int:
    """Return the pid recorded in a lock file, or 0 when it holds no yrdgeo record."""
    if content is None:
        try:
            content = os.pread(fd, 4096, 0) if hasattr(os, "pread") else b""
        except OSError:
            content = b""
    try:
        record = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return 0
    if not isinstance(record, dict) or record.get("written_by") != _WRITTEN_BY:
        return 0
    if not isinstance(record.get("pid"), int):
        return 0
    return record["pid"]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no harmless probe here (os.kill would end the process): never clean
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def sha256(path: str | os.PathLike) -> str:
    """Return the SHA-256 hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def jsonable(obj: Any, *, digits: int | None = None) -> Any:
    """Return ``obj`` as plain JSON values: numpy scalars as Python numbers, NaN/inf as None, other objects as text.

    Dicts and lists are converted recursively (keys become text); ``digits`` rounds floats
    (an HTML page's data need not carry 16 digits).
    """
    import numpy as np

    if isinstance(obj, Mapping):
        return {str(k): jsonable(v, digits=digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v, digits=digits) for v in obj]
    if obj is None or isinstance(obj, (bool, np.bool_)):
        return None if obj is None else bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        if not np.isfinite(obj):
            return None
        return round(float(obj), digits) if digits is not None else float(obj)
    if isinstance(obj, (int, str)):
        return obj
    return str(obj)
