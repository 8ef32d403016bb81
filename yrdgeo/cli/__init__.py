"""The ``yrdgeo`` command line.

Each module in this package that defines ``register(subparsers)`` adds its
subcommands; ``register`` sets ``func`` on its parser with
``set_defaults(func=...)``. The function gets the parsed arguments and returns
an exit code.

Failures never end in a bare traceback. :func:`main` translates exceptions at
the edge:

- bad input (``ValueError`` including decoding errors, ``KeyError``, file
  system errors such as a missing file, a full disk or a denied permission,
  GDAL/pyogrio read errors, invalid CRS, damaged spreadsheets) prints
  ``yrdgeo: error: ...`` and exits with :data:`EXIT_INPUT` (2); so do
  option errors found by ``argparse``;
- an interruption (Ctrl-C) prints ``yrdgeo: interrupted`` and exits with
  :data:`EXIT_INTERRUPTED` (130); a closed stdout pipe (``yrdgeo ... | head``)
  ends quietly with 141;
- any other exception is a bug in yrdgeo: it prints
  ``yrdgeo: error: internal error ..., please report it`` first, then the
  traceback (for the report), and exits with :data:`EXIT_INTERNAL` (1).

Set the environment variable ``YRDGEO_TRACEBACK=1`` to also see the
traceback of an input error.

Commands check their inputs before any work: files with
:func:`check_input_file`, outputs with :func:`check_outputs`; attribute
tables and layers go through the input gate (:mod:`yrdgeo.inputs`) with
:func:`read_table` and :func:`read_vector` (options ``--encoding`` and
``--strict``, :func:`add_gate_args`). Library calls that read a user's file
themselves run inside :func:`reading`, which names the option, the file and
the layer in the message. Commands with several outputs write them with
:func:`write_outputs`: all or none.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import re
import sys
import tempfile
import traceback
import warnings
import zipfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

#: Exit code of a failure caused by the input (options, files, data).
EXIT_INPUT = 2
#: Exit code of an unexpected internal error (a bug in yrdgeo; the message asks to report it).
EXIT_INTERNAL = 1
#: Exit code after Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

_VECTOR_HINT = "expected a GeoPackage (.gpkg), GeoJSON or Shapefile"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors read ``yrdgeo: error: COMMAND: ...`` like every other failure."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        command = self.prog.removeprefix("yrdgeo").strip()
        self.exit(EXIT_INPUT, f"yrdgeo: error: {command + ': ' if command else ''}{message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand module registered."""
    from .. import __version__

    parser = _Parser(
        prog="yrdgeo",
        description="Spatial analysis and plan maps for Yangtze River Delta (长三角) integration planning.",
        epilog="Exit codes: 0 success, 2 bad input (the message says what was expected), "
               "1 internal error (please report it), 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"yrdgeo {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.set_defaults(_commands=sub.choices)  # to name a command's options in messages (see _cli_words)
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Return the exit code of running the command line (0 success, 2 bad input, 1 internal error, 130 interrupted).

    Option errors found by ``argparse`` (and ``--help``/``--version``) raise
    ``SystemExit`` as usual, with code 2 for an error.
    """
    args = None
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            # Building the parser imports the analysis modules (seconds): a Ctrl-C there is handled too.
            parser = build_parser()
            args = parser.parse_args(argv)
            if not getattr(args, "func", None):
                parser.print_help()
                print("yrdgeo: error: no command given; choose one of the commands listed above", file=sys.stderr)
                return EXIT_INPUT
            code = int(args.func(args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, inside the handlers, not at interpreter exit
            return code
    except KeyboardInterrupt:
        print("yrdgeo: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (``yrdgeo ... | head``): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit.
        _silence_stdout()
        return 128 + 13
    except Exception as exc:  # noqa: BLE001 - the edge: every failure becomes one message
        message = error_message(exc)
        if message is None:
            print(f"yrdgeo: error: internal error ({type(exc).__name__}: {exc}) - this is a bug in yrdgeo, "
                  "please report it with the command line and the traceback below", file=sys.stderr)
            traceback.print_exc()
            return EXIT_INTERNAL
        if args is not None:
            message = _cli_words(message, args)
        print(f"yrdgeo: error: {message}", file=sys.stderr)
        if os.environ.get("YRDGEO_TRACEBACK"):
            traceback.print_exc()
        return EXIT_INPUT


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    # A library warning is news for the user, not a source line to debug: one line, no file name.
    kind = "" if issubclass(category, UserWarning) else f"{category.__name__}: "
    text = str(message).replace("\n", "\n  ")  # a multi-line report stays visibly one warning
    print(f"yrdgeo: warning: {kind}{text}", file=file or sys.stderr)


# ``pass missing='drop'``, ``islands="nearest"``, ``overwrite=True`` in a library message.
_ASSIGNMENT = re.compile(r"\b(?P<kw>[a-z][a-z0-9_]*)=(?:'(?P<q1>[^']*)'|\"(?P<q2>[^\"]*)\"|(?P<bare>[A-Za-z0-9_.]+))?")

# A bare keyword with an underscore (``island_k``, ``tolerance_km``) cannot be an ordinary word.
_BARE_KEYWORD = re.compile(r"(?<![\w'\"-])([a-z]+(?:_[a-z0-9]+)+)(?![\w'\"(=])")


def _cli_words(message: str, args: argparse.Namespace) -> str:
    """Return ``message`` with library keywords of the running command written as its options.

    ``pass missing='drop'`` becomes ``pass --missing drop`` and
    ``overwrite=True`` becomes ``--overwrite`` and a bare ``island_k`` becomes
    ``--island-k``, but only for keywords that are options of the command;
    anything else is left as the library wrote it.
    """
    parser = (getattr(args, "_commands", None) or {}).get(getattr(args, "command", None))
    if parser is None:
        return message
    options = {a.dest: a for a in parser._actions if a.option_strings and a.dest != "help"}

    def assign(match: re.Match) -> str:
        action = options.get(match.group("kw"))
        if action is None:
            return match.group(0)
        option = max(action.option_strings, key=len)
        value = next((v for v in (match.group("q1"), match.group("q2"), match.group("bare")) if v is not None), None)
        if action.nargs == 0:  # a switch: keyword=True is the option itself
            return option if value in (None, "True") else match.group(0)
        return f"{option} {value}" if value else option

    def bare(match: re.Match) -> str:
        action = options.get(match.group(1))
        return max(action.option_strings, key=len) if action is not None else match.group(0)

    text = _BARE_KEYWORD.sub(bare, _ASSIGNMENT.sub(assign, message))
    return re.sub(r"(--[a-z][a-z0-9-]*) \(\1\)", r"\1", text)  # "--overwrite (--overwrite)" said it twice


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (captured in tests)
        pass


def error_message(exc: BaseException) -> str | None:
    """Return the one-paragraph message for an input error, or None if ``exc`` is not one (a bug).

    Known input errors: ``ValueError`` (a decoding error gets a hint about
    ``--encoding``), ``KeyError`` (a missing column or entry), ``OSError``
    (missing file, permission, full disk, ...), pyogrio/GDAL read errors,
    pyproj CRS errors, a damaged ``.xlsx``, GEOS geometry errors; also a
    missing third-party package and running out of memory.
    """
    import pyogrio.errors
    import pyproj.exceptions

    if isinstance(exc, UnicodeError):
        return (f"a text file is not in the expected encoding ({exc}); save it as UTF-8, or pass --encoding "
                "(e.g. --encoding gbk) where the command offers it")
    if isinstance(exc, ValueError):
        return str(exc)
    if isinstance(exc, KeyError):
        key = exc.args[0] if exc.args else ""
        return f"{key!r} not found: no such column or entry in the input; check the column names and spelling"
    if isinstance(exc, OSError):
        return os_message(exc)
    if isinstance(exc, (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
                        pyogrio.errors.GeometryError, pyogrio.errors.FeatureError, pyogrio.errors.CRSError)):
        return f"GDAL could not read a file: {_first_line(exc)} ({_VECTOR_HINT})"
    if isinstance(exc, pyproj.exceptions.CRSError):
        return f"invalid coordinate reference system: {_first_line(exc)} (expected e.g. EPSG:4326)"
    if isinstance(exc, zipfile.BadZipFile):
        return f"a spreadsheet is damaged or not an .xlsx file ({exc}); save it again as .xlsx or as CSV (UTF-8)"
    if type(exc).__name__ == "GEOSException":
        return (f"a geometry cannot be processed ({exc}); check the input layer for invalid polygons "
                "(QGIS: Vector > Geometry Tools > Check Validity)")
    if isinstance(exc, ModuleNotFoundError) and exc.name and not exc.name.startswith("yrdgeo"):
        return (f"the Python package {exc.name!r} is missing; install it (e.g. pip install {exc.name.split('.')[0]}) "
                "or reinstall yrdgeo with its dependencies")
    if isinstance(exc, MemoryError):
        return "out of memory; try fewer units, a coarser grid or fewer permutations"
    return None


_ERRNO_HINTS = {
    errno.ENOSPC: "the disk is full; free some space or write to another disk",
    errno.EACCES: "permission denied; choose a file or folder you may read/write",
    errno.EPERM: "operation not permitted; choose a file or folder you may read/write",
    errno.EROFS: "the file system is read-only; write elsewhere",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a folder; expected a file",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EXDEV: "cannot move a file across file systems",
    errno.ENAMETOOLONG: "the file name is too long",
}
if hasattr(errno, "EDQUOT"):  # not on every platform
    _ERRNO_HINTS[errno.EDQUOT] = "the disk quota is exceeded; free some space or write elsewhere"


def os_message(exc: OSError) -> str:
    """Return a message for a file-system error that names the file and, for common causes, what to do."""
    if exc.errno is None or not exc.strerror:  # raised by yrdgeo or a library with its own message
        return str(exc)
    names = " -> ".join(str(f) for f in (exc.filename, exc.filename2) if f is not None)
    hint = _ERRNO_HINTS.get(exc.errno, exc.strerror)
    return f"{names}: {hint}" if names else f"{hint} ({exc.strerror})"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def check_input_file(path: str | os.PathLike, *, option: str, folder_ok: bool = False) -> Path:
    """Return ``path`` as a Path after checking it names a readable, non-empty file; raise otherwise.

    Parameters
    ----------
    path
        The file named on the command line.
    option
        The option that named it (``--boundaries``), used in the message.
    folder_ok
        Accept a folder (GDAL reads a folder of Shapefiles or a ``.gdb``).

    Raises
    ------
    FileNotFoundError, PermissionError, ValueError
        Naming the option, the file and what was expected.
    """
    p = Path(path)
    if not p.exists():
        extra = "" if p.parent.is_dir() else f" (the folder {p.parent} does not exist either)"
        msg = f"{option} {path}: no such file{extra}"
        raise FileNotFoundError(msg)
    if p.is_dir():
        if folder_ok:
            return p
        msg = f"{option} {path} is a folder; expected a file"
        raise ValueError(msg)
    if not os.access(p, os.R_OK):
        msg = f"{option} {path}: permission denied (the file is not readable)"
        raise PermissionError(msg)
    if p.stat().st_size == 0:
        msg = f"{option} {path} is empty (0 bytes)"
        raise ValueError(msg)
    return p


def check_outputs(outputs: dict[str, str | os.PathLike | None], *, overwrite: bool,
                  inputs: Sequence[str | os.PathLike | None] = (),
                  suffixes: dict[str, tuple[str, ...]] | None = None) -> None:
    """Check every output path of a command before any work; raise naming the option and the problem.

    Each output must have an allowed extension, a parent folder that exists
    and is writable, must not be a folder, must not exist unless
    ``overwrite``, must differ from every input of the run (a user's input
    is never replaced) and from the other outputs.

    Parameters
    ----------
    outputs
        Option name → path (None: option not given).
    overwrite
        ``--overwrite`` was given.
    inputs
        The input files of the run.
    suffixes
        Option name → allowed extensions (lower case, with dot); default
        :data:`yrdgeo.io.FORMATS`.
    """
    from .. import io

    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        p = Path(path)
        allowed = (suffixes or {}).get(option, tuple(io.FORMATS))
        if not p.name.lower().endswith(allowed):
            msg = f"{option} {path}: cannot tell the output format; expected one of {', '.join(allowed)}"
            raise ValueError(msg)
        parent = p.parent  # Path("out.gpkg").parent is Path(".")
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            msg = f"{option} {path}: the output folder {parent} {what}; create it first"
            raise FileNotFoundError(msg)
        try:  # a real write, not os.access: it also sees read-only mounts and holds for root
            with tempfile.TemporaryFile(dir=parent, prefix=".yrdgeo-probe-"):
                pass
        except OSError as exc:
            msg = f"{option} {path}: cannot write into the output folder {parent} ({os_message(exc)})"
            raise PermissionError(msg) from exc
        io.check_target(p, overwrite=overwrite, inputs=inputs, label=f"{option} {path}", overwrite_hint="--overwrite")
        key = os.path.normcase(os.path.abspath(p))
        if key in seen:
            msg = f"{seen[key]} and {option} name the same file {path}; give each output its own name"
            raise ValueError(msg)
        seen[key] = option


@contextmanager
def reading(path: str | os.PathLike, *, option: str, layer: str | None = None) -> Iterator[None]:
    """Run a block that reads ``path``; turn read errors into a ValueError naming the option, file and layer.

    GDAL/pyogrio errors (missing, empty, damaged or unknown-format file, a
    layer that does not exist), decoding errors, empty or malformed CSV and
    damaged ``.xlsx`` files are translated; other exceptions (including the
    library's own ``ValueError`` messages) pass through unchanged.
    """
    import pandas as pd
    import pyogrio.errors

    where = f"{option} {path}" + (f" (layer {layer!r})" if layer else "")
    try:
        yield
    except pyogrio.errors.DataLayerError as exc:
        msg = f"{where}: {_layer_problem(path, layer, exc)}"
        raise ValueError(msg) from exc
    except (pyogrio.errors.DataSourceError, pyogrio.errors.FieldError, pyogrio.errors.GeometryError,
            pyogrio.errors.FeatureError, pyogrio.errors.CRSError) as exc:
        msg = f"{where}: {_source_problem(path, exc)}"
        raise ValueError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = (f"{where}: not readable as {exc.encoding} text (byte {exc.object[exc.start:exc.start + 1]!r} at "
               f"position {exc.start}); save it as UTF-8, or pass --encoding (e.g. gbk) where the command offers it")
        raise ValueError(msg) from exc
    except pd.errors.EmptyDataError as exc:
        msg = f"{where}: the table is empty (no header row); expected a CSV with a header and one row per unit"
        raise ValueError(msg) from exc
    except pd.errors.ParserError as exc:
        msg = f"{where}: not a well-formed CSV table ({_first_line(exc)}); check the separators and quotes"
        raise ValueError(msg) from exc
    except zipfile.BadZipFile as exc:
        msg = f"{where}: damaged or not an .xlsx workbook ({exc}); save it again as .xlsx or as CSV (UTF-8)"
        raise ValueError(msg) from exc
    except IsADirectoryError as exc:
        msg = f"{where} is a folder; expected a file"
        raise ValueError(msg) from exc


class _Abandoned(Exception):
    """Unwinds the outputs that did not fail, so they publish nothing and keep the failure's own message."""


def write_outputs(jobs: Sequence[tuple[str | os.PathLike | None, Callable[[Path], object]]], *,
                  overwrite: bool) -> None:
    """Write several outputs all or none: each ``job(tmp)`` writes one into a temporary path beside its target.

    The targets are moved into place (by :func:`yrdgeo.io.atomic_path`) only
    after every job succeeded. If a job fails (a full disk, say), no target
    is written, and the error is the one that output's own writer gave,
    naming that output. Jobs whose target is None are skipped.
    """
    from .. import io

    failure: BaseException | None = None
    try:
        with ExitStack() as done:
            for target, job in jobs:
                if target is None:
                    continue
                this = ExitStack()
                tmp = this.enter_context(io.atomic_path(target, overwrite=overwrite))
                try:
                    job(tmp)
                except BaseException as exc:  # noqa: BLE001 - re-raised below, after the others are unwound
                    try:  # this output's own context cleans up and words the error (naming its target)
                        this.__exit__(type(exc), exc, exc.__traceback__)
                        failure = exc
                    except BaseException as clear:  # noqa: BLE001
                        failure = clear
                    break
                done.push(this)
            if failure is not None:
                # Outside the except clause, so the earlier outputs see a bare abort, not the failure: they
                # publish nothing and do not reword it as their own.
                raise _Abandoned
    except _Abandoned:
        raise failure from failure.__cause__  # noqa: B904 - the failure is the error, not the abort


def _layer_problem(path: str | os.PathLike, layer: str | None, exc: BaseException) -> str:
    try:
        layers = _layer_names(path)
    except Exception:  # noqa: BLE001 - only used to enrich a message
        layers = None
    if layer and layers is not None and layer not in layers:
        return _no_layer(layer, layers)
    return f"the layer cannot be read ({_first_line(exc)})"


def _no_layer(layer: str, layers: Sequence[str]) -> str:
    return f"no layer {layer!r}; the file has: {', '.join(layers) or 'no layers'}"


def _source_problem(path: str | os.PathLike, exc: BaseException) -> str:
    p = Path(path)
    text = _first_line(exc)
    if not p.exists():
        return "no such file"
    if p.is_dir():
        return f"a folder GDAL cannot read as a data set; {_VECTOR_HINT} file"
    if p.is_file() and p.stat().st_size == 0:
        return "the file is empty (0 bytes)"
    if "not recognized as being in a supported file format" in text:
        return f"not a file GDAL can read ({_VECTOR_HINT})"
    if "malformed" in text or "not a database" in text or "file is not a" in text:
        said = text.rsplit(";", 1)[-1].strip()  # the SQL statement before it means nothing to a planner
        return f"the file is damaged (truncated, or not a valid GeoPackage/SQLite database; GDAL: {said})"
    return f"GDAL cannot read it: {text} ({_VECTOR_HINT})"


def _layer_names(path: str | os.PathLike) -> list[str]:
    """Return the names of the layers GDAL finds in ``path`` (its errors propagate)."""
    import pyogrio

    return [str(name) for name in pyogrio.list_layers(str(path))[:, 0]]


def add_gate_args(p: argparse.ArgumentParser, *, layers: bool = True) -> None:
    """Add ``--encoding`` and ``--strict`` (options of the input gate, :mod:`yrdgeo.inputs`) to a command."""
    p.add_argument("--encoding", help="encoding of CSV inputs (default: detect UTF-8, UTF-8 with BOM, UTF-16, "
                   "GB18030/GBK), e.g. gbk")
    p.add_argument("--strict", action="store_true",
                   help="refuse table cells that are not numbers" + (" and invalid geometries" if layers else "")
                   + " instead of reading them as missing" + (" / repairing them" if layers else ""))


def parse_numbers(text: str, *, option: str, example: str) -> list[float]:
    """Return the numbers of a comma-separated option value (``60,90,120``); raise ValueError naming ``option``.

    Spaces around a number are allowed; an empty item (``60,,90``) is refused, as it is most likely a typo.
    Whether the numbers fit (positive, increasing, fractions) is the library's check.
    """
    try:
        return [float(item) for item in text.split(",")]
    except ValueError as exc:
        msg = f"{option} must be comma-separated numbers like {example}, got {text!r}"
        raise ValueError(msg) from exc


def read_table(path: str | os.PathLike, *, option: str, encoding: str | None = None, strict: bool = False,
               key: str | None = None, level: str | None = None, columns: Sequence[str] | None = None):
    """Return the user's attribute table read through the table gate (:func:`yrdgeo.inputs.read_table`).

    The file is checked first (:func:`check_input_file`); messages name
    ``option``. ``key`` None lets the gate find the unit column (``adcode``,
    another code column, or unit names). Cells the gate coerced or read as
    missing are reported as ``yrdgeo: warning:`` lines.

    Returns
    -------
    yrdgeo.inputs.Table
    """
    from .. import inputs

    check_input_file(path, option=option)
    with reading(path, option=option):
        return inputs.read_table(path, key=key, encoding=encoding, strict=strict, level=level, columns=columns,
                                 what=option)


def read_vector(path: str | os.PathLike, *, option: str, layer: str | None = None, layer_option: str = "--layer",
                geometry: str | None = "polygon", key: str | None = "adcode", strict: bool = False):
    """Return the features of a user's vector file read through the layer gate (:func:`yrdgeo.inputs.read_layer`).

    Checks, in order: the file (exists, readable, not empty), that GDAL can
    open it and the layer (given and present, or the file has exactly one),
    then the gate's checks: features, a CRS whose coordinates can lie in the
    YRD, the ``geometry`` family (``"polygon"``, ``"line"``, ``"point"`` or
    None), no null or empty geometry, invalid geometries repaired and reported
    (refused with ``strict``), polygons near the bundled unit of their
    ``key`` code.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    from .. import inputs

    check_input_file(path, option=option, folder_ok=True)
    with reading(path, option=option, layer=layer):
        # Open it once here so that a damaged file or a wrong layer gets a message naming the option.
        available = _layer_names(path)
        if layer is not None and layer not in available:
            msg = f"{option} {path}: {_no_layer(layer, available)}"
            raise ValueError(msg)
        if layer is None and len(available) > 1:
            msg = f"{option} {path} has {len(available)} layers ({', '.join(available)}); say which with {layer_option}"
            raise ValueError(msg)
        return inputs.read_layer(path, layer=layer, geometry=geometry, key=key, strict=strict, what=option)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
