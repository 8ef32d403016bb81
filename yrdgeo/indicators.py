"""Regional-science indicators: entropy composite index, structure similarity, Krugman, LQ, core–periphery rings.

The formulas are the forms of the Chinese regional-science literature:

* **Entropy-weight composite index (熵权法/熵值法)** — :func:`entropy_index`:
  direction-aware min-max normalisation (benefit (x−min)/(max−min), cost
  (max−x)/(max−min)), pᵢⱼ = x'ᵢⱼ/Σᵢx'ᵢⱼ, eⱼ = −(1/ln n)Σᵢpᵢⱼ ln pᵢⱼ with
  0·ln 0 = 0 (or x' shifted by ``epsilon``, e.g. 0.0001, for the entropy step
  only), dⱼ = 1 − eⱼ, wⱼ = dⱼ/Σd, index Sᵢ = Σⱼwⱼx'ᵢⱼ. **Panel ("global")
  entropy**: a long table with a year column (``year=``), one row per
  unit-year; all n·T rows are stacked, so min/max, pᵢⱼ (over all unit-years),
  the 1/ln(n·T) factor and the one set of weights pool the years, and the
  scores compare across years. The array formulas are shared with the site
  ranking (:mod:`yrdgeo.ranking.mcda`).
* **Industrial structure similarity (UNIDO)** — :func:`structure_similarity`:
  Sᵢⱼ = Σₖxᵢₖxⱼₖ/√(Σₖxᵢₖ²·Σₖxⱼₖ²), near 1 = homogeneous (产业同构).
* **Krugman specialisation index** — :func:`krugman_index` Kᵢⱼ = Σₖ|sᵢₖ − sⱼₖ|
  (0–2) and :func:`krugman_regional` Kᵢ = Σₖ|sᵢₖ − s̄ₖ| against the regional
  aggregate (or, ``reference="rest"``, against all other units together).
* **Location quotient** — :func:`location_quotient` LQᵢₖ = (qᵢₖ/qᵢ)/(qₖ/q).
* **Rings around a centre** — :func:`core_periphery_rings` by geodesic seat
  distance from a centre or by any travel-time column, labelled 内圈/中圈/外圈
  (:data:`RING_LABELS`): bands of a measure, *not* the 核心层/中间层/边缘层 of
  《基于国际经验的我国都市圈产业合作研究》, which are layers of industrial
  function (its 边缘层 names 绍兴、南通、嘉兴、镇江, and 嘉兴 and 南通 lie
  within 100 km of Shanghai). The paper's own layers, as far as it names members, are
  :data:`PAPER_LAYERS` (:func:`paper_layers`), shown beside the bands in a
  ``paper_layer`` column.

Sector tables are DataFrames with one row per unit (index = unit key, e.g.
adcode, or name a ``key`` column) and one numeric column per sector.
:func:`pair_lines` turns any square unit × unit matrix into a line layer
between seats of government, for maps and QGIS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .checks import check_choice, check_number, check_numbers
from .choices import INDICATORS_MISSING as MISSING_POLICIES  # light, for the command line's parser
from .crs import WGS84, geodesic_distance_km
from .ranking import mcda
from .measure import PointLike, locate
from .units import ancestor, by_code

__all__ = [
    "EntropyResult", "KRUGMAN_REFERENCES", "MISSING_POLICIES", "PAPER_LAYERS", "RING_LABELS", "RingsResult",
    "core_periphery_rings", "paper_layers",
    "entropy_index", "entropy_weights", "krugman_index", "krugman_regional", "location_quotient", "pair_lines",
    "sector_shares", "structure_similarity",
]

#: Default labels of three rings (inner, middle, outer band of distance or time). Deliberately not the
#: paper's 核心层/中间层/边缘层: those are layers of industrial function, and the paper puts 嘉兴 and 南通,
#: which a 100 km band around Shanghai holds, in its 边缘层 (see :data:`PAPER_LAYERS`).
RING_LABELS = ("内圈", "中圈", "外圈")
#: The layers of the YRD metropolitan area as 《基于国际经验的我国都市圈产业合作研究》 names them, by adcode:
#: 核心层 上海; 中间层 no member named ("中间层的区域以高新技术产业为主"); 边缘层 "绍兴、南通、嘉兴、镇江等"
#: (等: the list is not complete). Layers of industrial function, not of distance.
PAPER_LAYERS: dict[str, tuple[str, ...]] = {
    "核心层": ("310100",),
    "中间层": (),
    "边缘层": ("330600", "320600", "330400", "321100"),
}
#: What :func:`entropy_index` does with a missing value: refuse it, or leave that row out.
#: The structure :func:`krugman_regional` compares each unit with: the whole table's, or the other units'.
KRUGMAN_REFERENCES = ("region", "rest")


# --------------------------------------------------------------------------- entropy


@dataclass
class EntropyResult:
    """Entropy-weight method result.

    Attributes
    ----------
    frame
        Copy of the input with the index column added (NaN for rows left out).
    column
        Name of the index column.
    weights
        Series of wⱼ by criterion; sums to 1.
    entropy, divergence
        Series of eⱼ and dⱼ = 1 − eⱼ by criterion.
    normalised
        DataFrame of direction-aware min-max values x'ᵢⱼ (rows used only).
    directions
        {criterion: 'benefit'|'cost'}.
    epsilon
        Shift added to x' in the entropy step (0 means 0·ln 0 = 0).
    dropped
        Index labels of rows left out for missing values (``missing="drop"``).
    year
        The year column of a panel (global entropy), or None.
    years
        The distinct years used (sorted), empty without ``year``.
    panel
        With ``year`` and ``key``: the index as a unit × year table (None otherwise).
    """

    frame: pd.DataFrame
    column: str
    weights: pd.Series
    entropy: pd.Series
    divergence: pd.Series
    normalised: pd.DataFrame
    directions: dict[str, str]
    epsilon: float = 0.0
    dropped: list = field(default_factory=list)
    year: str | None = None
    years: list = field(default_factory=list)
    panel: pd.DataFrame | None = None

    @property
    def scores(self) -> pd.Series:
        """The composite index Sᵢ for the rows used."""
        return self.frame.loc[self.normalised.index, self.column]


def _complete_rows(x: np.ndarray, labels: pd.Index, columns: list[str], *, missing: str, what: str) -> np.ndarray:
    nan_rows = np.isnan(x).any(axis=1)
    if nan_rows.any() and missing == "error":
        bad = [(labels[i], [columns[j] for j in np.flatnonzero(np.isnan(x[i]))]) for i in np.flatnonzero(nan_rows)[:10]]
        msg = (f"{what}: {int(nan_rows.sum())} row(s) have missing (NaN) criterion values, e.g. {bad}; "
               "fill them, or pass missing='drop' to leave those rows out of the weights and the index")
        raise ValueError(msg)
    return ~nan_rows


def entropy_index(
    frame: pd.DataFrame,
    criteria: Mapping[str, str] | Iterable[str],
    *,
    column: str = "entropy_index",
    epsilon: float = 0.0,
    missing: str = "error",
    year: str | None = None,
    key: str | None = None,
) -> EntropyResult:
    """Return the entropy-weight composite index of ``criteria`` as a new column on a copy, with the weights.

    Parameters
    ----------
    frame
        One row per unit, or (with ``year``) one row per unit-year of a panel.
    criteria
        ``{column: "benefit" | "cost"}``, a list of columns (all benefit), or
        a list of :class:`yrdgeo.ranking.Criterion` (their thresholds are ignored here).
    column
        Name of the index column to add.
    epsilon
        0 (default): take 0·ln 0 = 0. A positive value (papers use 0.0001) is
        added to every x' in the entropy step only; the index still uses x'.
    missing
        ``"error"`` (default) refuses NaN values, naming the rows;
        ``"drop"`` leaves rows with any NaN criterion out (index NaN).
    year
        Column of a long panel table holding the year (or any period):
        **global entropy** — all unit-years are stacked into one matrix of
        n·T rows, so minⱼ/maxⱼ are taken over every year, eⱼ uses 1/ln(n·T),
        one set of weights serves all years, and a unit's index in one year
        compares with its index (or another unit's) in another year. Missing
        years must not be blank.
    key
        Unit column of the panel (e.g. ``"adcode"``); with ``year``, each
        (unit, year) must occur once, and ``panel`` holds the index as a
        unit × year table.

    Returns
    -------
    EntropyResult
        ``frame`` (the copy), ``weights`` (sum 1), ``entropy``, ``divergence``,
        ``normalised``, and for a panel ``years`` and ``panel``.

    Notes
    -----
    Adding a year (or a unit) changes the pooled min/max and the weights, so
    recompute every year's index together; do not mix indices from
    separate runs.
    """
    directions = mcda.parse_directions(criteria)
    cols = list(directions)
    what = "entropy index"
    check_number("epsilon", epsilon, inclusive=True)
    check_choice("missing", missing, MISSING_POLICIES)
    for name, col in (("year", year), ("key", key)):
        if col is not None and col not in frame.columns:
            msg = f"{what}: {name} column {col!r} not in the table; its columns: {list(frame.columns)}"
            raise ValueError(msg)
    if key is not None and year is None:
        msg = f"{what}: key= is used with year= (a panel); without year, give one row per unit"
        raise ValueError(msg)
    if year is not None:
        if frame[year].isna().any():
            rows = list(frame.index[frame[year].isna()][:10])
            msg = f"{what}: year column {year!r} is blank in rows {rows}; every row of a panel needs its year"
            raise ValueError(msg)
        if key is not None:
            dup = frame.duplicated([key, year], keep=False)
            if dup.any():
                pairs = frame.loc[dup, [key, year]].drop_duplicates().head(10).to_records(index=False).tolist()
                msg = f"{what}: (unit, year) pairs occur more than once: {pairs}; a panel has one row per unit-year"
                raise ValueError(msg)
    x = mcda.numeric_matrix(frame, cols, what=what)
    keep = _complete_rows(x, frame.index, cols, missing=missing, what=what)
    xk = x[keep]
    if xk.shape[0] < 2:
        msg = f"{what} needs at least 2 rows with complete values, got {xk.shape[0]}"
        raise ValueError(msg)
    mcda.require_varying(xk, cols, what=what)
    benefit = np.array([directions[c] == "benefit" for c in cols])
    xn = mcda.minmax(xk, benefit)
    ent = mcda.entropy(xn, epsilon=epsilon)
    scores = xn @ ent.weights
    out = frame.copy()
    full = np.full(len(frame), np.nan)
    full[keep] = scores
    out[column] = full
    idx = frame.index[keep]
    years: list = []
    panel = None
    if year is not None:
        years = sorted(pd.unique(frame.loc[keep, year]).tolist())
        if key is not None:
            panel = out.loc[keep].pivot(index=key, columns=year, values=column)
    return EntropyResult(
        frame=out, column=column,
        weights=pd.Series(ent.weights, index=cols, name="weight"),
        entropy=pd.Series(ent.entropy, index=cols, name="entropy"),
        divergence=pd.Series(ent.divergence, index=cols, name="divergence"),
        normalised=pd.DataFrame(xn, index=idx, columns=cols),
        directions=directions, epsilon=epsilon, dropped=list(frame.index[~keep]),
        year=year, years=years, panel=panel,
    )


def entropy_weights(
    frame: pd.DataFrame, criteria: Mapping[str, str] | Iterable[str], *, epsilon: float = 0.0
) -> pd.Series:
    """Return the entropy weights wⱼ (a Series summing to 1) of ``criteria`` over the rows of ``frame``."""
    return entropy_index(frame, criteria, epsilon=epsilon).weights


# --------------------------------------------------------------------------- sector structure


def _sector_table(table: pd.DataFrame, sectors: Sequence[str] | None, key: str | None, *, what: str) -> pd.DataFrame:
    if key is not None and key not in table.columns:
        msg = f"{what}: key column {key!r} not in the table; its columns: {list(table.columns)}"
        raise ValueError(msg)
    t = table.set_index(key) if key is not None else table
    cols = list(sectors) if sectors is not None else [c for c in t.columns if pd.api.types.is_numeric_dtype(t[c])]
    if len(cols) < 2:
        msg = f"{what} needs at least 2 numeric sector columns, got {cols}"
        raise ValueError(msg)
    x = mcda.numeric_matrix(t, cols, what=what)
    if np.isnan(x).any():
        rows = list(t.index[np.isnan(x).any(axis=1)][:10])
        msg = f"{what}: missing (NaN) sector values for {rows}; fill them (0 if the sector is absent)"
        raise ValueError(msg)
    if (x < 0).any():
        rows = list(t.index[(x < 0).any(axis=1)][:10])
        msg = f"{what}: negative sector values for {rows}; expected output, employment or shares >= 0"
        raise ValueError(msg)
    if t.index.has_duplicates:
        msg = f"{what}: duplicate unit keys {list(t.index[t.index.duplicated()].unique()[:10])}"
        raise ValueError(msg)
    zero = x.sum(axis=1) == 0
    if zero.any():
        msg = f"{what}: units {list(t.index[zero][:10])} have all sector values 0"
        raise ValueError(msg)
    _refuse_total_column(x, cols, what=what)
    return pd.DataFrame(x, index=t.index, columns=cols)


#: Relative tolerance of :func:`_refuse_total_column`: yearbook sector values are rounded to 0.1, so a total
#: (地区生产总值) matches the sum of its sectors only to a few parts per thousand.
TOTAL_COLUMN_RTOL = 0.005


def _refuse_total_column(x: np.ndarray, cols: list[str], *, what: str) -> None:
    """Raise ValueError if one column equals the sum of the others in every row (a total, not a sector).

    A yearbook table lists 地区生产总值 beside 第一/第二/第三产业; taken as a fourth sector it halves
    every share and every Krugman index without any sign of trouble.
    """
    if len(cols) < 3:  # with two columns "the sum of the others" is just the other column
        return
    rest = x.sum(axis=1, keepdims=True) - x
    scale = np.maximum(np.abs(x), np.abs(rest))
    is_sum = (np.abs(x - rest) <= TOTAL_COLUMN_RTOL * scale).all(axis=0) & (scale > 0).all(axis=0)
    if is_sum.any():
        name = cols[int(np.flatnonzero(is_sum)[0])]
        msg = (f"{what}: column {name!r} is the sum of the other columns in every row — a total, not a sector; "
               "leave it out (sectors= / --columns)")
        raise ValueError(msg)


def sector_shares(table: pd.DataFrame, *, sectors: Sequence[str] | None = None, key: str | None = None) -> pd.DataFrame:
    """Return each unit's sector shares sᵢₖ = qᵢₖ/Σₖqᵢₖ (rows sum to 1).

    Parameters
    ----------
    table
        One row per unit, one numeric column per sector (output, value added,
        employment…). The index labels the units unless ``key`` names a column.
    sectors
        Sector columns (default: every numeric column).
    key
        Column holding the unit key (e.g. ``"adcode"``).

    Raises
    ------
    ValueError
        Missing, negative or all-zero sector values, duplicate keys, or a column that is the sum of the
        others in every row within 0.5 % (a total such as 地区生产总值, not a sector). The same checks
        apply to :func:`structure_similarity`, :func:`krugman_index`, :func:`krugman_regional` and
        :func:`location_quotient`.
    """
    q = _sector_table(table, sectors, key, what="sector shares")
    return q.div(q.sum(axis=1), axis=0)


def structure_similarity(
    table: pd.DataFrame, *, sectors: Sequence[str] | None = None, key: str | None = None
) -> pd.DataFrame:
    """Return the square matrix of UNIDO industrial structure similarity coefficients Sᵢⱼ (0–1).

    Sᵢⱼ = Σₖxᵢₖxⱼₖ/√(Σₖxᵢₖ²·Σₖxⱼₖ²) with xᵢₖ sector k's share in unit i. The
    coefficient is unchanged by scaling a row, so quantities and shares give
    the same matrix. Near 1 = homogeneous structure (产业同构).
    """
    s = sector_shares(table, sectors=sectors, key=key).to_numpy()
    norm = np.sqrt((s**2).sum(axis=1))
    m = (s @ s.T) / np.outer(norm, norm)
    labels = _labels(table, key)
    return pd.DataFrame(np.clip(m, 0.0, 1.0), index=labels, columns=labels)


def krugman_index(
    table: pd.DataFrame, *, sectors: Sequence[str] | None = None, key: str | None = None, as_shares: bool = False
) -> pd.DataFrame:
    """Return the square matrix of Krugman specialisation indices Kᵢⱼ = Σₖ|sᵢₖ − sⱼₖ| (0 = identical, 2 = disjoint).

    Parameters
    ----------
    table
        Sector quantities (rows are turned into shares) or, with
        ``as_shares=True``, shares used as given (each in [0, 1], rows summing
        to at most 1 — e.g. shares of GDP of a few listed sectors).
    sectors, key
        As in :func:`sector_shares`.
    """
    if as_shares:
        s = _sector_table(table, sectors, key, what="Krugman index")
        if (s.to_numpy() > 1).any() or (s.sum(axis=1) > 1 + 1e-6).any():
            msg = "Krugman index with as_shares=True: shares must lie in [0, 1] and sum to at most 1 per unit"
            raise ValueError(msg)
        s = s.to_numpy()
    else:
        s = sector_shares(table, sectors=sectors, key=key).to_numpy()
    m = np.abs(s[:, None, :] - s[None, :, :]).sum(axis=2)
    labels = _labels(table, key)
    return pd.DataFrame(m, index=labels, columns=labels)


def krugman_regional(
    table: pd.DataFrame, *, sectors: Sequence[str] | None = None, key: str | None = None, reference: str = "region"
) -> pd.Series:
    """Return each unit's Krugman index Kᵢ = Σₖ|sᵢₖ − s̄ₖ| against a reference structure.

    Parameters
    ----------
    table
        Sector **quantities** (the reference needs totals, so shares are refused
        implicitly: they would weight every unit equally).
    reference
        ``"region"`` (default): s̄ₖ = Σᵢqᵢₖ/Σq over all units of the table;
        ``"rest"``: s̄ₖ computed over all *other* units (Krugman 1991).
    """
    check_choice("reference", reference, KRUGMAN_REFERENCES)
    q = _sector_table(table, sectors, key, what="Krugman regional index")
    s = q.div(q.sum(axis=1), axis=0).to_numpy()
    qa = q.to_numpy()
    if reference == "region":
        ref = qa.sum(axis=0) / qa.sum()
    else:
        rest = qa.sum(axis=0)[None, :] - qa
        ref = rest / rest.sum(axis=1, keepdims=True)
    k = np.abs(s - ref).sum(axis=1)
    return pd.Series(k, index=q.index, name="krugman")


def location_quotient(table: pd.DataFrame, *, sectors: Sequence[str] | None = None, key: str | None = None) -> pd.DataFrame:
    """Return location quotients LQᵢₖ = (qᵢₖ/qᵢ)/(qₖ/q) (> 1: unit i is specialised in sector k).

    ``table`` holds sector quantities (output or employment), not shares.
    """
    q = _sector_table(table, sectors, key, what="location quotient")
    qa = q.to_numpy()
    col_share = qa.sum(axis=0) / qa.sum()
    if (col_share == 0).any():
        empty = [c for c, v in zip(q.columns, col_share) if v == 0]
        msg = f"location quotient: sector(s) {empty} are 0 in every unit; drop them"
        raise ValueError(msg)
    lq = (qa / qa.sum(axis=1, keepdims=True)) / col_share
    return pd.DataFrame(lq, index=q.index, columns=q.columns)


def _labels(table: pd.DataFrame, key: str | None) -> pd.Index:
    return pd.Index(table[key]) if key is not None else table.index


def pair_lines(
    matrix: pd.DataFrame, units: gpd.GeoDataFrame, *, value: str = "value", key: str = "adcode", upper: bool = True
) -> gpd.GeoDataFrame:
    """Return a line layer between unit seats, one line per pair, carrying the matrix value.

    Parameters
    ----------
    matrix
        Square DataFrame labelled by unit keys (e.g. from :func:`structure_similarity`).
    units
        yrdgeo unit frame (needs ``key``, ``name_zh``, ``anchor_lon``, ``anchor_lat``).
    value
        Name of the value column.
    upper
        Keep each unordered pair once (i < j). False keeps every ordered pair i ≠ j.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a``, ``b`` (keys), ``a_name``, ``b_name``, ``value``,
        ``distance_km`` (geodesic, seat to seat), LineString geometry in EPSG:4326.
    """
    need = {key, "anchor_lon", "anchor_lat"} - set(units.columns)
    if need:
        msg = f"pair_lines needs a yrdgeo unit frame with columns {sorted(need)}"
        raise ValueError(msg)
    if list(matrix.index) != list(matrix.columns):
        msg = "pair_lines expects a square matrix with the same labels on rows and columns"
        raise ValueError(msg)
    u = units.drop_duplicates(key).set_index(units[key].astype(str).to_numpy())
    labels = [str(k) for k in matrix.index]
    unknown = [k for k in labels if k not in u.index]
    if unknown:
        msg = f"pair_lines: matrix labels {unknown[:10]} are not {key} values of the unit frame"
        raise ValueError(msg)
    n = len(labels)
    i, j = np.triu_indices(n, 1) if upper else np.nonzero(~np.eye(n, dtype=bool))
    lon = u.loc[labels, "anchor_lon"].to_numpy(float)
    lat = u.loc[labels, "anchor_lat"].to_numpy(float)
    coords = np.stack([np.column_stack([lon[i], lat[i]]), np.column_stack([lon[j], lat[j]])], axis=1)
    names = u.loc[labels, "name_zh"].to_numpy() if "name_zh" in u.columns else np.array(labels)
    out = pd.DataFrame({
        "a": np.array(labels)[i], "b": np.array(labels)[j], "a_name": names[i], "b_name": names[j],
        value: matrix.to_numpy()[i, j],
        "distance_km": geodesic_distance_km(lon[i], lat[i], lon[j], lat[j]),
    })
    return gpd.GeoDataFrame(out, geometry=shapely.linestrings(coords), crs=WGS84)


# --------------------------------------------------------------------------- rings


@dataclass
class RingsResult:
    """Core–periphery rings around a centre.

    Attributes
    ----------
    frame
        Copy of the units with ``ring_value`` (distance km or the ``by`` column),
        ``ring`` (1 = innermost; <NA> beyond the last break) and ``ring_label``.
    centre
        Adcode of the centre (or the (lon, lat) given).
    breaks
        Upper bounds of the rings (inclusive), in the unit of ``by``.
    by
        ``"distance_km"`` or the travel-time column used.
    counts
        Number of units per ring label.
    """

    frame: gpd.GeoDataFrame
    centre: object
    breaks: tuple[float, ...]
    labels: tuple[str, ...]
    by: str
    counts: pd.Series


def paper_layers() -> pd.DataFrame:
    """Return the YRD metropolitan layers as the paper names them: adcode, name_zh, layer, sources, note.

    From 《基于国际经验的我国都市圈产业合作研究》 (``sources`` key
    ``metro-cooperation``): 核心层 上海; 边缘层 绍兴、南通、嘉兴、镇江 "等" (not a
    complete list). The paper names no member of its 中间层, so it has no row.
    """
    t = by_code()
    rows = [dict(adcode=a, name_zh=t.at[a, "name_zh"], layer=layer, sources="metro-cooperation",
                 note="the paper lists these 等 (among others)" if layer == "边缘层" else "")
            for layer, codes in PAPER_LAYERS.items() for a in codes]
    return pd.DataFrame(rows, columns=["adcode", "name_zh", "layer", "sources", "note"])


def _city_of(code: object) -> str | None:
    """Return the city a bundled unit lies in (a city is its own), None for a province or a non-unit."""
    c = str(code)
    if c not in by_code().index or by_code().at[c, "level"] == "province":
        return None
    return ancestor(c, "city")


def core_periphery_rings(
    units: gpd.GeoDataFrame,
    centre: str | int | PointLike,
    *,
    breaks: Sequence[float],
    by: str = "distance",
    labels: Sequence[str] | None = None,
    outside_label: str = "圈外",
) -> RingsResult:
    """Return units classified into rings (bands of distance or time) around a centre, as columns on a copy.

    Parameters
    ----------
    units
        yrdgeo unit frame (any level) with ``anchor_lon``/``anchor_lat``.
    centre
        Unit name/adcode (its seat of government is the centre) or a WGS84
        ``(lon, lat)``. Used when ``by="distance"``.
    breaks
        Increasing upper bounds of the rings, e.g. ``(100, 200, 300)`` km or
        ``(60, 120, 180)`` minutes. A unit with value ≤ breaks[0] is in ring 1.
    by
        ``"distance"`` (geodesic seat-to-seat km from ``centre``) or the name of
        a column already in ``units`` holding travel times (e.g. from a network
        analysis) or any other measure.
    labels
        One label per ring; default :data:`RING_LABELS` (内圈/中圈/外圈) for
        three rings, else "ring 1", "ring 2", … Bands of a measure: do not
        label them 核心层/中间层/边缘层, which in 《基于国际经验的我国都市圈产业合作研究》
        mean layers of industrial function (its 边缘层 holds 嘉兴 and 南通).
    outside_label
        Label of units beyond the last break.

    Returns
    -------
    RingsResult
        ``frame`` also has ``paper_layer``: the layer the paper names the unit
        (or its city) in around Shanghai (:data:`PAPER_LAYERS`), else None.
    """
    b = np.asarray(check_numbers("breaks", breaks, increasing=True, inclusive=True))
    if labels is None:
        labels = RING_LABELS if b.size == 3 else tuple(f"ring {k + 1}" for k in range(b.size))
    labels = tuple(labels)
    if len(labels) != b.size:
        msg = f"need one label per ring: {b.size} breaks but {len(labels)} labels"
        raise ValueError(msg)
    out = units.copy()
    if by == "distance":
        if not {"anchor_lon", "anchor_lat"} <= set(units.columns):
            msg = "rings by distance need anchor_lon/anchor_lat (a yrdgeo unit frame)"
            raise ValueError(msg)
        code, (clon, clat) = locate(centre)
        centre_id: object = code if code is not None else (clon, clat)
        val = geodesic_distance_km(clon, clat, units.anchor_lon.to_numpy(float), units.anchor_lat.to_numpy(float))
        by_name = "distance_km"
    else:
        if by not in units.columns:
            msg = f"rings: column {by!r} not in the units frame; pass by='distance' or a travel-time column"
            raise ValueError(msg)
        val = pd.to_numeric(units[by], errors="coerce").to_numpy(float)
        centre_id = centre
        by_name = by
    ring = np.searchsorted(b, val, side="left") + 1
    inside = (ring <= b.size) & ~np.isnan(val)
    out["ring_value"] = val
    out["ring"] = pd.Series(np.where(inside, ring, 0), index=out.index, dtype="Int64").mask(~inside)
    out["ring_label"] = np.where(inside, np.array(labels + (outside_label,))[np.minimum(ring, b.size) - 1], outside_label)
    out.loc[np.isnan(val), "ring_label"] = None
    layers = paper_layers()
    layer_of = dict(zip(layers.adcode, layers.layer))
    out["paper_layer"] = [layer_of.get(_city_of(a)) for a in out.get("adcode", pd.Series([None] * len(out)))]
    counts = out["ring_label"].value_counts().reindex(list(labels) + [outside_label], fill_value=0)
    return RingsResult(frame=out, centre=centre_id, breaks=tuple(b.tolist()), labels=labels, by=by_name, counts=counts)
