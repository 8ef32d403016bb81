"""Saving maps: PNG at a chosen dpi, PDF and SVG, each written atomically (:func:`yrdgeo.io.atomic_path`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import matplotlib
from matplotlib.figure import Figure

from .. import io as _io
from ..checks import check_choice, check_number


_PNG_COMPRESS_LEVEL = 3


class _HasFigure(Protocol):
    """A finished map holding its figure (:class:`yrdgeo.maps.MapFigure`)."""

    figure: Figure


def save_map(
    fig: _HasFigure | Figure,
    path: str | os.PathLike,
    *,
    dpi: int = 200,
    overwrite: bool = True,
    pdf_fonttype: int = 3,
) -> Path:
    """Write a map to ``path`` as PNG, PDF or SVG (by extension), atomically; return the path.

    Parameters
    ----------
    fig
        A :class:`~yrdgeo.maps.MapFigure` or matplotlib Figure.
    path
        ``*.png``, ``*.pdf`` or ``*.svg``. Page size is the figure's (A4/A3 from :func:`plot_map`).
    dpi
        Raster resolution for PNG (PDF/SVG are vector; dpi only affects embedded rasters).
    overwrite
        Replace an existing file (default) or refuse with FileExistsError.
    pdf_fonttype
        3 (default): glyphs embedded as vector outlines, fast and print-safe. 42: the font is
        embedded (subset) so PDF text can be searched and copied; about 2 s more per PDF,
        because the Noto CJK collection is large. SVG text is always converted to paths.
    """
    check_choice("pdf_fonttype", pdf_fonttype, (3, 42))
    figure = fig if isinstance(fig, Figure) else getattr(fig, "figure", None)
    if not isinstance(figure, Figure):
        msg = f"save_map needs a yrdgeo.maps.MapFigure or a matplotlib Figure, got {type(fig).__name__}"
        raise ValueError(msg)
    ext = Path(path).suffix.lower()
    if ext not in (".png", ".pdf", ".svg"):
        msg = f"cannot tell the map format of {str(path)!r}: expected .png, .pdf or .svg"
        raise ValueError(msg)
    check_number("dpi", dpi, minimum=30, inclusive=True, maximum=1200)
    metadata = {"png": {"Software": "yrdgeo"}, "pdf": {"Creator": "yrdgeo"}, "svg": {"Creator": "yrdgeo"}}[ext[1:]]
    # zlib level 3, not Pillow's 6: a third less time encoding a map page, and files within 5% of the size
    extra = {"pil_kwargs": {"compress_level": _PNG_COMPRESS_LEVEL}} if ext == ".png" else {}
    with matplotlib.rc_context({"pdf.fonttype": pdf_fonttype, "svg.fonttype": "path"}):
        with _io.atomic_path(path, overwrite=overwrite) as tmp:
            figure.savefig(tmp, dpi=int(dpi), format=ext[1:], metadata=metadata, facecolor="white", **extra)
    return Path(path)
