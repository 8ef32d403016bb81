"""Spatial autocorrelation statistics: global, local and change between years, on yrdgeo's weights.

Every number comes from esda, called on the weights in
:class:`yrdgeo.weights.SpatialWeights` (the permutation inference of the local
statistics from :mod:`yrdgeo.autocorrelation.permutation`, esda's conditional
randomisation vectorised, which gives esda's numbers for a seed; ``engine="esda"``
runs esda's own); this module adds input checks, the
island and missing-value policies, multiple-testing correction, readable
labels, and results as columns on a copy of the frame. The figures drawn
from these results are in :mod:`yrdgeo.autocorrelation.figures`.

Conventions (document any change here and in docs/autocorrelation.md)

* Units without neighbours (``SpatialWeights.isolated``) are left out of
  every statistic, as GeoDa does, and labelled ``"isolated"`` in local
  results: never significant, statistics NaN. esda itself would keep them
  with a zero lag and, for LISA, give them p = 1/(permutations+1).
* Missing values (NaN/None): ``missing="error"`` (default) refuses and names
  the units; ``missing="drop"`` leaves them out (labelled ``"missing"``) and
  warns. Units whose only neighbours were dropped become ``"isolated"``.
  Infinite values are always refused.
* The weights used after leaving units out are the original weights of the
  remaining units, transformed again (``LocalResult.w``/``GlobalResult.w``):
  pass them to esda to reproduce the numbers.
* Local pseudo p-values are esda's ``p_sim`` (the smaller tail of the
  conditional-permutation distribution, (M+1)/(R+1)). A unit is significant
  when p < cut-off, as esda's and splot's cluster labels do; the cut-off is
  ``alpha`` (``correction="none"``), ``alpha/m`` (``"bonferroni"``, m = units
  tested) or esda's ``fdr(p, alpha)`` (``"fdr"``, Benjamini–Hochberg).
* Quadrant codes ``q`` are PySAL's (1 HH, 2 LH, 3 LL, 4 HL); the ``geoda``
  column gives GeoDa's cluster codes (0 not significant, 1 HH, 2 LL, 3 LH,
  4 HL, 5 undefined/missing, 6 isolated).
* ``seed=`` makes permutations reproducible and leaves numpy's global random
  state as it was.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any, Callable, Iterator, Sequence

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
from libpysal.weights import W
from libpysal.weights.spatial_lag import lag_spatial

from ..checks import check_choice, check_integer, check_number
from ..weights import METHODS, TRANSFORMS, SpatialWeights, build_weights, cardinality, w_from_sparse

# The lists live in the light yrdgeo.choices so the command line reads them without importing esda.
from ..choices import AUTOCORRELATION_MISSING as MISSING_POLICIES
from ..choices import CORRECTIONS, DEFAULT_SEED
from .permutation import local_randomization, permutation_table

# The labels and MIN_UNITS live in the light ._labels so the grid's dask workers read them without esda.
from ._labels import (  # noqa: F401  (re-exported: yrdgeo.autocorrelation.stats.CLUSTER_ORDER …)
    CLUSTER_ORDER,
    COLD,
    GEODA_CODES,
    HH,
    HL,
    HOT,
    ISOLATED,
    LH,
    LL,
    MIN_UNITS,
    MISSING,
    NOT_SIGNIFICANT,
    QUADRANTS,
    SPOT_ORDER,
)

#: Engines of the local statistics' permutations: ``"numpy"`` (:func:`~yrdgeo.autocorrelation.local_randomization`,
#: vectorised, the default) or ``"esda"`` (esda's own loop over units); the same numbers for a seed.
LOCAL_ENGINES = ("numpy", "esda")


# --------------------------------------------------------------------------- results


@dataclass
class GlobalResult:
    """A global statistic and its inference, as esda computed it on :attr:`w`.

    Attributes
    ----------
    statistic : str
        ``"moran"``, ``"geary"``, ``"getis_ord_g"`` or ``"moran_bv"``.
    column : str
        The attribute (``"x ~ lag(y)"`` for bivariate Moran).
    value : float
        I, C or G.
    expected : float or None
        Its expectation under spatial randomness (analytical; None for
        bivariate Moran, which esda tests by permutation only).
    z_norm, p_norm : float or None
        z-score and p-value under the normality assumption (esda's ``z_norm``,
        ``p_norm``; Moran's is two-tailed, Geary's and G's as esda defines).
    z_rand, p_rand : float or None
        Under the randomisation assumption (Moran and Geary only).
    p_sim, z_sim : float or None
        Permutation pseudo p-value and z-score (None when ``permutations=0``).
    permutations : int
    seed : int or None
    n : int
        Units used.
    excluded : pandas.DataFrame
        Units left out: ``id``, ``name``, ``reason`` (``"isolated"`` or ``"missing"``).
    weights : SpatialWeights
        The weights given (before leaving units out).
    w : libpysal.weights.W
        The weights esda used (after leaving units out).
    esda_result : object
        The esda object, for anything not copied here.
    """

    statistic: str
    column: str
    value: float
    expected: float | None
    z_norm: float | None
    p_norm: float | None
    z_rand: float | None
    p_rand: float | None
    p_sim: float | None
    z_sim: float | None
    permutations: int
    seed: int | None
    n: int
    excluded: pd.DataFrame
    weights: SpatialWeights
    w: W
    esda_result: Any = field(repr=False)

    def summary(self) -> dict:
        """Return the summary numbers as a flat dict (for tables, CSV, JSON)."""
        return {
            "statistic": self.statistic, "column": self.column, "value": self.value, "expected": self.expected,
            "z_norm": self.z_norm, "p_norm": self.p_norm, "z_rand": self.z_rand, "p_rand": self.p_rand,
            "p_sim": self.p_sim, "z_sim": self.z_sim, "permutations": self.permutations, "seed": self.seed,
            "n": self.n, "n_excluded": len(self.excluded), "weights": self.weights.method,
            "transform": self.weights.transform,
        }

    def __str__(self) -> str:
        parts = [f"{_SPECS[self.statistic].title} of {self.column}: {self.value:.4f}"]
        if self.expected is not None:
            parts.append(f"E = {self.expected:.4f}")
        if self.z_norm is not None:
            parts.append(f"z = {self.z_norm:.3f}, p(normal) = {self.p_norm:.4f}")
        if self.p_sim is not None:
            parts.append(f"pseudo p = {self.p_sim:.4f} ({self.permutations} permutations)")
        parts.append(f"n = {self.n}")
        text = "; ".join(parts)
        if len(self.excluded):
            text += f"; excluded {len(self.excluded)}: " + ", ".join(
                f"{r.id} {r.name} ({r.reason})" for r in self.excluded.itertuples())
        return text


@dataclass
class LocalResult:
    """A local statistic: new columns on a copy of the frame plus the summary.

    Attributes
    ----------
    frame : GeoDataFrame or DataFrame
        Copy of the input with the result columns (see :attr:`columns`).
    statistic : str
        ``"local_moran"``, ``"local_moran_bv"`` or ``"gi_star"``.
    column : str
        The attribute (``"x ~ lag(y)"`` for bivariate).
    columns : dict
        Role -> column name of the added columns (``"label"`` is the
        cluster or spot label column).
    permutations, seed : int, int or None
    alpha : float
        Significance level before correction.
    correction : str
        ``"none"``, ``"bonferroni"`` or ``"fdr"``.
    cutoff : float
        p-value cut-off after correction (significant when p < cutoff).
    n : int
        Units tested.
    counts : pandas.Series
        Number of units per label, every label present (zeros included).
    excluded : pandas.DataFrame
        Units not tested: ``id``, ``name``, ``reason``.
    weights : SpatialWeights
    w : libpysal.weights.W
        The weights esda used.
    esda_result : object
    """

    frame: pd.DataFrame
    statistic: str
    column: str
    columns: dict
    permutations: int
    seed: int | None
    alpha: float
    correction: str
    cutoff: float
    n: int
    counts: pd.Series
    excluded: pd.DataFrame
    weights: SpatialWeights
    w: W
    esda_result: Any = field(repr=False)

    @property
    def labels(self) -> pd.Series:
        """The label column (cluster or spot) of :attr:`frame`."""
        return self.frame[self.columns["label"]]

    def members(self, label: str) -> pd.DataFrame:
        """Return the rows of :attr:`frame` with this label (e.g. ``"HH"``, ``"hot spot"``)."""
        return self.frame[self.labels == label]

    def summary(self) -> dict:
        """Return the summary as a flat dict: settings and the count per label."""
        return {"statistic": self.statistic, "column": self.column, "permutations": self.permutations,
                "seed": self.seed, "alpha": self.alpha, "correction": self.correction, "cutoff": self.cutoff,
                "n": self.n, "n_excluded": len(self.excluded), **{f"n_{k}": int(v) for k, v in self.counts.items()}}

    def __str__(self) -> str:
        lines = [f"{_SPECS[self.statistic].title} of {self.column}: {self.permutations} permutations, seed {self.seed}, "
                 f"alpha {self.alpha:g}, correction {self.correction} (p < {self.cutoff:.4g}), n = {self.n}"]
        ids = self.weights.ids
        names = self.weights.names
        pos = {v: i for i, v in enumerate(self.frame.index)}
        for label, count in self.counts.items():
            if count == 0:
                continue
            line = f"  {label}: {count}"
            if label not in (NOT_SIGNIFICANT,):
                rows = [pos[i] for i in self.frame.index[self.labels.to_numpy() == label]]
                line += "  " + ", ".join(str(names[r]) if str(names[r]) != str(ids[r]) else str(ids[r])
                                         for r in rows[:25]) + (" …" if len(rows) > 25 else "")
            lines.append(line)
        return "\n".join(lines)


@dataclass
class ChangeResult:
    """Spatial autocorrelation of an attribute in two years and of its change.

    Attributes
    ----------
    frame : GeoDataFrame or DataFrame
        Copy of the input with the change column and the LISA columns of
        both years and of the change.
    before, after : str
        The two columns (e.g. ``ratio_2011``, ``ratio_2019``).
    change_column : str
        Name of the added column ``after - before``.
    moran_before, moran_after, moran_change : GlobalResult
        Moran's I of each year and of the change.
    bivariate : GlobalResult
        Moran_BV(after, before): the later value against the neighbours'
        earlier values.
    lisa_before, lisa_after, lisa_change : LocalResult
    transitions : pandas.DataFrame
        Cross-table of LISA labels, rows = before, columns = after.
    """

    frame: pd.DataFrame
    before: str
    after: str
    change_column: str
    moran_before: GlobalResult
    moran_after: GlobalResult
    moran_change: GlobalResult
    bivariate: GlobalResult
    lisa_before: LocalResult
    lisa_after: LocalResult
    lisa_change: LocalResult
    transitions: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Return one row per global statistic (before, after, change, bivariate)."""
        rows = []
        for role, res in (("before", self.moran_before), ("after", self.moran_after),
                          ("change", self.moran_change), ("bivariate", self.bivariate)):
            rows.append({"role": role, **res.summary()})
        return pd.DataFrame(rows)

    def __str__(self) -> str:
        return "\n".join([
            str(self.moran_before), str(self.moran_after), str(self.moran_change), str(self.bivariate),
            f"LISA transitions ({self.before} rows → {self.after} columns):",
            self.transitions.to_string(),
        ])


# --------------------------------------------------------------------------- preparation


@dataclass
class _Prepared:
    values: dict  # column -> values of the used units
    used: np.ndarray  # bool mask over frame positions
    reasons: np.ndarray  # object array: "" used, "missing", "isolated"
    w: W
    sw: SpatialWeights
    excluded: pd.DataFrame


def _prepare(
    frame: pd.DataFrame,
    columns: Sequence[str],
    weights: SpatialWeights | str,
    *,
    missing: str,
    what: str,
    nonnegative: bool = False,
) -> _Prepared:
    """Validate input once; return the values and weights of the units that take part."""
    check_choice("missing", missing, MISSING_POLICIES)
    if not isinstance(frame, pd.DataFrame):
        msg = f"{what} needs a (Geo)DataFrame, got {type(frame).__name__}"
        raise ValueError(msg)
    for col in columns:
        if col not in frame.columns:
            msg = f"column {col!r} is not in the frame; columns are: {', '.join(map(str, frame.columns))}"
            raise ValueError(msg)
        series = frame[col]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            sample = [v for v in series.dropna().unique()[:3]]
            msg = (f"column {col!r} must be numeric for {what}; it has dtype {series.dtype} "
                   f"(e.g. {sample!r}). Convert it with pandas.to_numeric first.")
            raise ValueError(msg)
    if len(frame) < MIN_UNITS:
        msg = f"{what} needs at least {MIN_UNITS} units, got {len(frame)}"
        raise ValueError(msg)

    if isinstance(weights, str):
        if not isinstance(frame, gpd.GeoDataFrame):
            msg = f"weights={weights!r} must be built from geometry; pass a GeoDataFrame or a SpatialWeights"
            raise ValueError(msg)
        sw = build_weights(frame, weights)
    elif isinstance(weights, SpatialWeights):
        sw = weights
        if sw.n != len(frame) or not sw.index.equals(frame.index):
            msg = (f"the weights were built on a different frame ({sw.n} units) than the one given "
                   f"({len(frame)} units, or the same size with a different index); build them with "
                   "build_weights(frame, ...) on this frame")
            raise ValueError(msg)
    else:
        msg = f"weights must be a SpatialWeights (see yrdgeo.weights.build_weights) or a method name; got {type(weights).__name__}"
        raise ValueError(msg)

    raw = {col: frame[col].to_numpy(dtype=float) for col in columns}
    for col, arr in raw.items():
        if np.isinf(arr).any():
            bad = sw.label(np.flatnonzero(np.isinf(arr)))
            msg = f"column {col!r} has infinite values at {', '.join(bad[:10])}; fix or remove them"
            raise ValueError(msg)
    miss = np.zeros(len(frame), dtype=bool)
    for arr in raw.values():
        miss |= np.isnan(arr)
    if miss.any():
        bad = sw.label(np.flatnonzero(miss))
        listing = ", ".join(bad[:20]) + (" …" if len(bad) > 20 else "")
        if missing == "error":
            msg = (f"{int(miss.sum())} unit(s) have missing values in {', '.join(columns)}: {listing}. "
                   "Fill them, or pass missing='drop' to leave them out (labelled 'missing').")
            raise ValueError(msg)
        warnings.warn(f"{what}: leaving out {int(miss.sum())} unit(s) with missing values: {listing}",
                      UserWarning, stacklevel=3)

    reasons = np.full(len(frame), "", dtype=object)
    reasons[miss] = MISSING
    reasons[(~miss) & sw.isolated_mask] = ISOLATED
    used = reasons == ""
    if not used.all():
        w = _subset_weights(sw, used)
        newly = np.flatnonzero(used)[cardinality(w.sparse) == 0]
        if len(newly):  # all their neighbours were dropped
            reasons[newly] = ISOLATED
            used = reasons == ""
            w = _subset_weights(sw, used)
    else:
        w = sw.w
    n_used = int(used.sum())
    if n_used < MIN_UNITS:
        msg = f"{what} needs at least {MIN_UNITS} units with values and neighbours; only {n_used} remain"
        raise ValueError(msg)
    values = {col: arr[used] for col, arr in raw.items()}
    for col, arr in values.items():
        if np.ptp(arr) == 0:
            msg = (f"column {col!r} has the same value ({arr[0]:g}) for every unit used; spatial "
                   "autocorrelation is undefined for a constant")
            raise ValueError(msg)
        if nonnegative and arr.min() < 0:
            msg = (f"{what} assumes non-negative values, but {col!r} has a minimum of {arr.min():g}; "
                   "use Moran statistics for signed data such as a change")
            raise ValueError(msg)
    ex_pos = np.flatnonzero(~used)
    excluded = pd.DataFrame({"id": sw.ids[ex_pos], "name": sw.names[ex_pos], "reason": reasons[ex_pos]})
    return _Prepared(values=values, used=used, reasons=reasons, w=w, sw=sw, excluded=excluded)


def _subset_weights(sw: SpatialWeights, used: np.ndarray) -> W:
    """Return the original weights of the used units, transformed like ``sw``."""
    old = sw.w.transform
    sw.w.transform = "o"
    try:
        original = sw.w.sparse.tocsr()
    finally:
        sw.w.transform = old
    idx = np.flatnonzero(used)
    sub = w_from_sparse(original[idx][:, idx])
    sub.transform = sw.transform
    return sub


@contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """Seed numpy's global generator for esda (which uses it) and restore its state afterwards."""
    if seed is None:
        yield
        return
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


@contextmanager
def _keep_transform(w: W, *, clean: bool = True) -> Iterator[None]:
    """Restore ``w.transform`` after esda functions that set it (General G forces binary).

    Setting a transform clears the W's cached matrices; ``clean`` sets it even when it did not change,
    because esda's permutations zero the diagonal of the cached sparse matrix in place. Without
    ``clean`` (esda computed no permutations) an unchanged transform is left alone, which keeps the
    sparse matrix: rebuilding it costs about a second at 100,000 units.
    """
    old = w.transform
    try:
        yield
    finally:
        if clean or w.transform != old:
            w.transform = old


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _attr(obj: Any, name: str) -> float | None:
    return _f(getattr(obj, name)) if hasattr(obj, name) else None


# --------------------------------------------------------------------------- joining an attribute table


def join_attributes(
    frame: pd.DataFrame,
    table: pd.DataFrame | str | os.PathLike,
    *,
    key: str = "adcode",
    columns: Sequence[str] | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """Return a copy of ``frame`` with indicator ``columns`` of ``table`` joined by unit (every unit kept, in order).

    The table passes the input gate (:func:`yrdgeo.inputs.read_table`): codes are read exactly
    (``320500``, ``"320500"``, ``320500.0`` and 12-digit statistical codes match; malformed codes and
    units outside the YRD are errors naming the row), names are resolved, yearbook numbers are
    parsed with every changed cell reported, and identifier columns are never joined as
    indicators. Units without a row get NaN, which the statistics' ``missing=`` policy then handles
    (by default: an error naming them). Table rows that match no unit raise a warning naming them.

    Parameters
    ----------
    frame
        Units (e.g. :func:`yrdgeo.load_units`), with an ``adcode`` column.
    table
        Attribute table (DataFrame, CSV/xlsx path or vector file).
    key
        The table's unit column (codes or names); default ``adcode``.
    columns
        Indicator columns to join (default: every numeric, non-identifier column).
    encoding, strict
        Passed to :func:`yrdgeo.inputs.read_table`.

    Returns
    -------
    GeoDataFrame or DataFrame
        Same rows, index and order as ``frame``, plus the joined columns.
    """
    from ..inputs import InputError, join_table, read_table

    if "adcode" not in frame.columns:
        msg = f"the frame has no column 'adcode' to join on; its columns are: {', '.join(map(str, frame.columns))}"
        raise InputError(msg)
    t = read_table(table, key=key, columns=columns, encoding=encoding, strict=strict, level="mixed")
    return join_table(frame, t, columns=columns)


# --------------------------------------------------------------------------- one body for every statistic


@dataclass(frozen=True)
class _Spec:
    """What sets one statistic apart; :func:`_global` and :func:`_local` do the rest the same way for all.

    ``esda`` is called as ``esda(values, w, transform, permutations, seed, n_jobs)``: ``values`` holds one
    array per column given (two for the bivariate statistics), ``w`` and ``transform`` are the weights of the
    units used, ``n_jobs`` the processes of esda's conditional randomisation (local statistics; the global
    ones ignore it). A global statistic reads ``value`` and ``expected`` off esda's result; a local one writes
    the ``columns(result, w, p, significant, prefix)`` it returns (names, values, label order).
    """

    statistic: str  # GlobalResult/LocalResult.statistic
    title: str  # in str(result)
    what: str  # in messages
    esda: Callable[..., Any]
    value: str = ""
    expected: str | None = None
    columns: Callable[..., tuple[dict, dict, tuple]] | None = None
    nonnegative: bool = False  # General G, Gi*: their ratios assume values >= 0
    min_permutations: int = 0  # 1 where the only inference is by permutation (bivariate, local)
    local: str | None = None  # the local statistic's name in yrdgeo.autocorrelation.permutation.STATISTICS
    transforms: tuple[str, ...] = TRANSFORMS


def _jobs(n_jobs: int) -> int:
    """Return the number of processes for ``n_jobs`` (-1 = every core of the machine), checked."""
    if isinstance(n_jobs, Integral) and not isinstance(n_jobs, bool) and n_jobs == -1:
        return os.cpu_count() or 1
    try:
        return check_integer("n_jobs", n_jobs)
    except ValueError:
        msg = f"n_jobs must be a whole number >= 1, or -1 for every core; got {n_jobs!r}"
        raise ValueError(msg) from None


def _run(spec: _Spec, frame: pd.DataFrame, columns: Sequence[str], *, weights: SpatialWeights | str,
         permutations: int, seed: int | None, missing: str, n_jobs: int = 1,
         engine: str = "numpy") -> tuple[_Prepared, int, Any]:
    """Return the prepared units, the permutations and esda's result of ``spec`` on ``columns``.

    A local statistic's permutations run on ``engine``: ``"numpy"`` asks esda for the statistic
    alone and adds the inference of :func:`_randomised`; ``"esda"`` lets esda permute.
    """
    perms = check_integer("permutations", permutations, minimum=spec.min_permutations)
    jobs = _jobs(n_jobs)
    check_choice("engine", engine, LOCAL_ENGINES)
    prep = _prepare(frame, columns, weights, missing=missing, what=spec.what, nonnegative=spec.nonnegative)
    if prep.sw.transform not in spec.transforms:
        msg = (f"{spec.what} needs weights transformed {' or '.join(map(repr, spec.transforms))}; "
               f"these are {prep.sw.transform!r}")
        raise ValueError(msg)
    fast = spec.local is not None and engine == "numpy"
    # some esda statistics set w.transform (General G: binary)
    with _seeded(seed), _keep_transform(prep.w, clean=not fast):
        values = [prep.values[c] for c in columns]
        if fast:
            # the permutation table (a serial draw, about as long as the rest at 100,000 units) is drawn on a
            # thread, which numpy's shuffle lets run on another core, while esda computes the statistic
            with ThreadPoolExecutor(max_workers=1) as pool:
                table = pool.submit(permutation_table, len(values[0]), int(cardinality(prep.w.sparse).max()),
                                    perms, _crand_seed(seed))
                res = spec.esda(values, prep.w, prep.sw.transform, 0, seed, 1)
            res = _randomised(spec, res, perms, table.result(), jobs)  # the thread has ended: safe to fork
        else:
            res = spec.esda(values, prep.w, prep.sw.transform, perms, seed, jobs)
    return prep, perms, res


def _crand_seed(seed: int | None) -> int:
    """Return the seed of the permutation table: ``seed``, or as esda draws one when it is None."""
    return int(np.random.randint(12345, 12345000)) if seed is None else seed


def _randomised(spec: _Spec, res: Any, permutations: int, table: np.ndarray, n_jobs: int) -> Any:
    """Return esda's local result ``res`` (computed without permutations) with the engine's permutation inference.

    The engine gets what esda's randomisation would: the raw values and the W esda prepared
    (transformed; for Gi* with its self-weights). It sets esda's attributes: ``p_sim`` (float64
    (M+1)/(R+1); esda keeps float32 without simulations) and the simulated moments esda gives
    only with ``keep_simulations=True`` (``EI_sim``, ``seI_sim``, ``VI_sim``, ``z_sim``, ``p_z_sim``;
    ``EG_sim``… for Gi*); the simulations themselves are not kept.
    """
    from scipy.stats import norm

    values = np.column_stack([res.x, res.y]) if spec.local == "moran_bv" else res.y
    sp = res.w.sparse
    r = local_randomization(values, sp.indptr, sp.indices, sp.data, statistic=spec.local, table=table,
                            n_jobs=n_jobs)
    moments = "G" if spec.local.startswith("g") else "I"
    res.permutations = permutations
    res.p_sim = r.p_sim
    setattr(res, f"E{moments}_sim", r.mean)
    setattr(res, f"se{moments}_sim", r.std)
    setattr(res, f"V{moments}_sim", r.std * r.std)
    res.z_sim = r.z_sim
    res.p_z_sim = norm.sf(np.abs(r.z_sim))
    res.sim = None
    return res


def _label(columns: Sequence[str]) -> str:
    """Return the attribute's label: the column, or ``"x ~ lag(y)"`` for a bivariate statistic."""
    return columns[0] if len(columns) == 1 else f"{columns[0]} ~ lag({columns[1]})"


def _global(spec: _Spec, frame: pd.DataFrame, columns: Sequence[str], **options: Any) -> GlobalResult:
    """Return the GlobalResult of ``spec`` (``options``: weights, permutations, seed, missing)."""
    prep, perms, res = _run(spec, frame, columns, **options)
    return GlobalResult(
        statistic=spec.statistic, column=_label(columns), value=float(getattr(res, spec.value)),
        expected=_attr(res, spec.expected) if spec.expected else None,
        z_norm=_attr(res, "z_norm"), p_norm=_attr(res, "p_norm"),
        z_rand=_attr(res, "z_rand"), p_rand=_attr(res, "p_rand"),
        p_sim=_attr(res, "p_sim") if perms else None, z_sim=_attr(res, "z_sim") if perms else None,
        permutations=perms, seed=options["seed"], n=int(prep.used.sum()), excluded=prep.excluded,
        weights=prep.sw, w=prep.w, esda_result=res,
    )


def _local(spec: _Spec, frame: pd.DataFrame, columns: Sequence[str], *, alpha: float, correction: str,
           prefix: str, **options: Any) -> LocalResult:
    """Return the LocalResult of ``spec``: its columns on a copy of ``frame``, label counts in its order."""
    check_number("alpha", alpha, maximum=1)
    check_choice("correction", correction, CORRECTIONS)
    prep, perms, res = _run(spec, frame, columns, **options)
    p, cutoff, sig = _significance(res, perms, alpha, correction)
    cols, values, order = spec.columns(res, prep.w, p, sig, prefix)
    out = _with_columns(frame, prep, values)
    counts = out[cols["label"]].value_counts().reindex(list(order), fill_value=0)
    return LocalResult(frame=out, statistic=spec.statistic, column=_label(columns), columns=cols,
                       permutations=perms, seed=options["seed"], alpha=alpha, correction=correction, cutoff=cutoff,
                       n=int(prep.used.sum()), counts=counts, excluded=prep.excluded, weights=prep.sw, w=prep.w,
                       esda_result=res)


def _lisa_columns(res: Any, w: W, p: np.ndarray, sig: np.ndarray, prefix: str, *, z: str = "z",
                  lag_of: str = "z") -> tuple[dict, dict, tuple]:
    """Return the LISA columns: local I, z, the lag of ``lag_of``, p, quadrant, cluster and GeoDa code."""
    q = np.asarray(res.q, dtype=int)
    quad = np.array([QUADRANTS[v] for v in q], dtype=object)
    cluster = np.where(sig, quad, NOT_SIGNIFICANT).astype(object)
    geoda = np.array([GEODA_CODES[c] for c in cluster], dtype=int)
    cols = {"i": f"{prefix}i", "z": f"{prefix}z", "lag": f"{prefix}lag", "p": f"{prefix}p", "q": f"{prefix}q",
            "quad": f"{prefix}quad", "sig": f"{prefix}sig", "label": f"{prefix}cluster", "geoda": f"{prefix}geoda"}
    excluded_geoda = {MISSING: GEODA_CODES[MISSING], ISOLATED: GEODA_CODES[ISOLATED]}
    values = {
        cols["i"]: (res.Is, np.nan), cols["z"]: (getattr(res, z), np.nan),
        cols["lag"]: (lag_spatial(w, getattr(res, lag_of)), np.nan), cols["p"]: (p, np.nan),
        cols["q"]: (q, 0), cols["quad"]: (quad, None), cols["sig"]: (sig, False), cols["label"]: (cluster, None),
        cols["geoda"]: (geoda, excluded_geoda),
    }
    return cols, values, CLUSTER_ORDER


def _spot_columns(res: Any, w: W, p: np.ndarray, sig: np.ndarray, prefix: str) -> tuple[dict, dict, tuple]:
    """Return the Gi* columns: Gi*, its z-score, p and the hot/cold spot label."""
    spot = np.where(sig, np.where(res.Zs > 0, HOT, COLD), NOT_SIGNIFICANT).astype(object)
    cols = {"g": f"{prefix}g", "z": f"{prefix}z", "p": f"{prefix}p", "sig": f"{prefix}sig", "label": f"{prefix}spot"}
    values = {
        cols["g"]: (res.Gs, np.nan), cols["z"]: (res.Zs, np.nan), cols["p"]: (p, np.nan),
        cols["sig"]: (sig, False), cols["label"]: (spot, None),
    }
    return cols, values, SPOT_ORDER


def _g_local(values: list, w: W, transform: str, permutations: int, seed: int | None, n_jobs: int) -> Any:
    """Return esda's Gi* (star=True) quietly: its self-weight warning is documented in :func:`gi_star`."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Gi\\* requested", category=UserWarning)
        return esda.G_Local(*values, w, transform=transform.upper(), permutations=permutations, star=True,
                            keep_simulations=False, n_jobs=n_jobs, seed=seed)


# esda(values, w, transform, permutations, seed, n_jobs) calls esda as its documentation does; global statistics
# take no seed (their permutations draw from numpy's global generator, which _seeded sets and restores) and run
# on one process. The local ones pass n_jobs to esda's crand: it draws every permutation once from the seed
# before splitting the units among processes, so any n_jobs gives the same numbers.
_MORAN = _Spec("moran", "Moran's I", "Moran's I", value="I", expected="EI",
               esda=lambda v, w, t, n, seed, jobs: esda.Moran(*v, w, transformation=t, permutations=n))
_GEARY = _Spec("geary", "Geary's C", "Geary's C", value="C", expected="EC",
               esda=lambda v, w, t, n, seed, jobs: esda.Geary(*v, w, transformation=t, permutations=n))
_GENERAL_G = _Spec("getis_ord_g", "General G", "General G", value="G", expected="EG", nonnegative=True,
                   esda=lambda v, w, t, n, seed, jobs: esda.G(*v, w, permutations=n))  # binary weights by definition
_MORAN_BV = _Spec("moran_bv", "Bivariate Moran's I", "bivariate Moran", value="I", min_permutations=1,
                  esda=lambda v, w, t, n, seed, jobs: esda.Moran_BV(*v, w, transformation=t, permutations=n))
_LOCAL_MORAN = _Spec("local_moran", "Local Moran (LISA)", "local Moran", columns=_lisa_columns, min_permutations=1,
                     local="moran",
                     esda=lambda v, w, t, n, seed, jobs: esda.Moran_Local(
                         *v, w, transformation=t, permutations=n, seed=seed, keep_simulations=False, n_jobs=jobs))
_LOCAL_MORAN_BV = _Spec("local_moran_bv", "Bivariate local Moran", "bivariate local Moran", min_permutations=1,
                        local="moran_bv",
                        columns=functools.partial(_lisa_columns, z="zx", lag_of="zy"),
                        esda=lambda v, w, t, n, seed, jobs: esda.Moran_Local_BV(
                            *v, w, transformation=t, permutations=n, seed=seed, keep_simulations=False, n_jobs=jobs))
_GI_STAR = _Spec("gi_star", "Getis-Ord Gi*", "Gi*", esda=_g_local, columns=_spot_columns, nonnegative=True,
                 min_permutations=1, transforms=("r", "b"), local="g_star")
#: statistic name -> its spec, for the titles in str(result).
_SPECS = {spec.statistic: spec for spec in (_MORAN, _GEARY, _GENERAL_G, _MORAN_BV, _LOCAL_MORAN, _LOCAL_MORAN_BV,
                                            _GI_STAR)}


def _exact_p(p_sim: np.ndarray, permutations: int) -> np.ndarray:
    """Return esda's pseudo p-values in float64.

    Without kept simulations esda returns them as float32; they are
    (count + 1) / (permutations + 1), so the count is recovered exactly and the
    value equals esda's float64 ``p_sim`` from ``keep_simulations=True``.
    """
    counts = np.rint(np.asarray(p_sim, dtype=np.float64) * (permutations + 1.0))
    if counts.min() < 1 or counts.max() > permutations + 1:  # never pass on an impossible p (e.g. > 1)
        msg = f"esda {esda.__version__} returned pseudo p-values outside (0, 1]; please report this"
        raise RuntimeError(msg)
    return counts / (permutations + 1.0)


def _cutoff(p: np.ndarray, alpha: float, correction: str) -> float:
    if correction == "bonferroni":
        return alpha / len(p)
    if correction == "fdr":
        return float(esda.fdr(p, alpha))
    return alpha


def _significance(res: Any, perms: int, alpha: float, correction: str) -> tuple[np.ndarray, float, np.ndarray]:
    """Return the float64 pseudo p-values of a local esda result, the (corrected) cutoff and p < cutoff."""
    p = _exact_p(res.p_sim, perms)
    cutoff = _cutoff(p, alpha, correction)
    return p, cutoff, p < cutoff


def _with_columns(frame: pd.DataFrame, prep: _Prepared, columns: dict) -> pd.DataFrame:
    """Return a copy of ``frame`` with columns filled at used positions and a fill for the others.

    A fill of None means "the reason" (isolated/missing); a dict maps reason -> value.
    """
    out = frame.copy()
    used = prep.used
    for name, (values, fill) in columns.items():
        values = np.asarray(values)
        if isinstance(fill, dict):
            full = np.array([fill.get(r, 0) for r in prep.reasons], dtype=values.dtype)
        elif fill is None:
            full = prep.reasons.copy()
        else:
            full = np.full(len(out), fill, dtype=np.result_type(values.dtype, np.asarray(fill).dtype))
        full[used] = values
        out[name] = full
    return out


# --------------------------------------------------------------------------- global statistics


def moran(
    frame: pd.DataFrame,
    column: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    missing: str = "error",
) -> GlobalResult:
    """Return global Moran's I of ``column`` with analytical and permutation inference.

    Parameters
    ----------
    frame
        Units (rows aligned with ``weights``). Not modified.
    column
        Numeric attribute.
    weights
        A :class:`~yrdgeo.weights.SpatialWeights` built on ``frame``, or a
        method name (built with :func:`~yrdgeo.weights.build_weights` defaults).
    permutations
        Random permutations for the pseudo p-value (0 = analytical only).
    seed
        Seed for the permutations.
    missing
        ``"error"`` (default) or ``"drop"`` (see the module docstring).

    Returns
    -------
    GlobalResult
        ``value`` = I, equal to ``esda.Moran(values, result.w, transformation=weights.transform)``.
    """
    return _global(_MORAN, frame, [column], weights=weights, permutations=permutations, seed=seed, missing=missing)


def geary(
    frame: pd.DataFrame,
    column: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    missing: str = "error",
) -> GlobalResult:
    """Return Geary's C of ``column`` (C < 1: positive autocorrelation); parameters as :func:`moran`.

    Returns
    -------
    GlobalResult
        ``value`` = C, equal to ``esda.Geary(values, result.w, transformation=weights.transform)``.
    """
    return _global(_GEARY, frame, [column], weights=weights, permutations=permutations, seed=seed, missing=missing)


def getis_ord_g(
    frame: pd.DataFrame,
    column: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    missing: str = "error",
) -> GlobalResult:
    """Return the Getis-Ord General G of a non-negative ``column``; parameters as :func:`moran`.

    esda computes G on binary weights whatever the weights' transform (its
    definition); the weights object is restored afterwards.

    Returns
    -------
    GlobalResult
        ``value`` = G, equal to ``esda.G(values, result.w)``.
    """
    return _global(_GENERAL_G, frame, [column], weights=weights, permutations=permutations, seed=seed, missing=missing)


def moran_bv(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    missing: str = "error",
) -> GlobalResult:
    """Return bivariate Moran's I of ``x`` with the spatial lag of ``y`` (permutation inference).

    Returns
    -------
    GlobalResult
        ``value`` = I_xy, equal to ``esda.Moran_BV(x, y, result.w, transformation=weights.transform)``.
    """
    return _global(_MORAN_BV, frame, [x, y], weights=weights, permutations=permutations, seed=seed, missing=missing)


# --------------------------------------------------------------------------- local statistics


def local_moran(
    frame: pd.DataFrame,
    column: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
    correction: str = "none",
    missing: str = "error",
    prefix: str = "lisa_",
    n_jobs: int = 1,
    engine: str = "numpy",
) -> LocalResult:
    """Return local Moran's I (LISA) with quadrant labels and significance, as columns on a copy.

    Parameters
    ----------
    frame, column, weights, seed, missing
        As :func:`moran`.
    permutations
        Conditional permutations (>= 1; 999 usual).
    alpha
        Significance level (0 < alpha < 1).
    correction
        Multiple-testing correction: ``"none"``, ``"bonferroni"`` or ``"fdr"``.
    prefix
        Prefix of the added columns.
    n_jobs
        Processes for the permutations (-1 = every core). Any ``n_jobs`` gives the same numbers
        for a given ``seed``: the permutation table is drawn once from the seed before the units
        are split among processes. It pays from about 10,000 units when a core is free
        (docs/performance.md).
    engine
        ``"numpy"`` (default): the permutations of
        :func:`~yrdgeo.autocorrelation.local_randomization`, esda's conditional randomisation
        vectorised, several times faster; ``"esda"``: esda's own loop over units (with esda's
        ``n_jobs``). Both give the same numbers for a seed; ``"numpy"`` also fills esda's
        simulated moments (``esda_result.EI_sim``, ``seI_sim``, ``z_sim``).

    Returns
    -------
    LocalResult
        ``frame`` gains ``{prefix}i`` (local I), ``{prefix}z`` (standardised
        value), ``{prefix}lag`` (spatial lag of z), ``{prefix}p`` (pseudo p),
        ``{prefix}q`` (PySAL quadrant 1–4, 0 if not tested), ``{prefix}quad``
        (HH/LH/LL/HL, or isolated/missing), ``{prefix}sig`` (bool),
        ``{prefix}cluster`` (quadrant if significant, else ``"not significant"``;
        ``"isolated"``/``"missing"`` for units not tested) and ``{prefix}geoda``
        (GeoDa code). Numbers are NaN exactly where the cluster says
        isolated/missing. Equal to ``esda.Moran_Local(values, result.w,
        transformation=weights.transform, permutations=..., seed=...)``.
    """
    return _local(_LOCAL_MORAN, frame, [column], weights=weights, permutations=permutations, seed=seed,
                  alpha=alpha, correction=correction, missing=missing, prefix=prefix, n_jobs=n_jobs,
                  engine=engine)


def local_moran_bv(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
    correction: str = "none",
    missing: str = "error",
    prefix: str = "bvlisa_",
    n_jobs: int = 1,
    engine: str = "numpy",
) -> LocalResult:
    """Return bivariate LISA: ``x`` at each unit against the spatial lag of ``y``; columns as :func:`local_moran`.

    Quadrants read "x high/low, neighbours' y high/low". Equal to
    ``esda.Moran_Local_BV(x, y, result.w, transformation=weights.transform, ...)``. ``n_jobs`` and
    ``engine`` as :func:`local_moran`.
    """
    return _local(_LOCAL_MORAN_BV, frame, [x, y], weights=weights, permutations=permutations, seed=seed,
                  alpha=alpha, correction=correction, missing=missing, prefix=prefix, n_jobs=n_jobs,
                  engine=engine)


def gi_star(
    frame: pd.DataFrame,
    column: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
    correction: str = "none",
    missing: str = "error",
    prefix: str = "gi_",
    n_jobs: int = 1,
    engine: str = "numpy",
) -> LocalResult:
    """Return Getis-Ord Gi* hot and cold spots of a non-negative ``column``, as columns on a copy.

    The unit itself is included (star) with esda's convention: on binary
    weights its self-weight is 1; on row-standardised weights it gets the
    weight of its strongest neighbour and the row is standardised again (for
    contiguity: the unit counts as one more neighbour). Transform must be
    ``"r"`` or ``"b"``. Pseudo p-values are esda's permutation counts, given in
    float64 (esda stores them as float32). ``n_jobs`` (processes for the permutations) and
    ``engine`` as :func:`local_moran`.

    Returns
    -------
    LocalResult
        ``frame`` gains ``{prefix}g`` (Gi*), ``{prefix}z`` (its analytical
        z-score), ``{prefix}p`` (pseudo p), ``{prefix}sig`` (bool) and
        ``{prefix}spot`` (``"hot spot"`` = significant with z > 0, ``"cold
        spot"``, ``"not significant"``, ``"isolated"``, ``"missing"``). Equal
        to ``esda.G_Local(values, result.w, transform=weights.transform, star=True, ...)``.
    """
    return _local(_GI_STAR, frame, [column], weights=weights, permutations=permutations, seed=seed,
                  alpha=alpha, correction=correction, missing=missing, prefix=prefix, n_jobs=n_jobs,
                  engine=engine)


# --------------------------------------------------------------------------- change between years


def moran_change(
    frame: pd.DataFrame,
    before: str,
    after: str,
    *,
    weights: SpatialWeights | str = "queen",
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
    correction: str = "none",
    missing: str = "error",
    change_column: str | None = None,
    n_jobs: int = 1,
    engine: str = "numpy",
) -> ChangeResult:
    """Return Moran's I and LISA of an attribute in two years and of its change (``after - before``).

    Parameters
    ----------
    frame, weights, permutations, seed, alpha, correction, missing
        As :func:`local_moran`. A unit missing in either year is missing for all.
    before, after
        Columns of the earlier and later year.
    change_column
        Name of the added difference column (default ``"change"``).
    n_jobs, engine
        Processes and engine of the LISA permutations, as :func:`local_moran`.

    Returns
    -------
    ChangeResult
        Global results for each year, the change and the space-time bivariate
        Moran; LISA of each; the before→after transition table. The frame has
        the change column and LISA columns prefixed ``lisa_{before}_``,
        ``lisa_{after}_`` and ``lisa_{change_column}_``.
    """
    change_column = change_column or "change"
    if change_column in frame.columns:
        msg = f"the frame already has a column {change_column!r}; pass another change_column"
        raise ValueError(msg)
    _jobs(n_jobs)  # refuse a bad n_jobs or engine before the global statistics run
    check_choice("engine", engine, LOCAL_ENGINES)
    # validate once on both columns so a unit missing in either year is treated the same everywhere
    prep = _prepare(frame, [before, after], weights, missing=missing, what="change analysis")
    work = frame.copy()
    work[change_column] = work[after].astype(float) - work[before].astype(float)
    if missing == "drop":
        both = prep.reasons == MISSING
        work.loc[both, [before, after, change_column]] = np.nan
    kw = dict(weights=prep.sw, permutations=permutations, seed=seed, missing=missing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the missing units were reported once above
        m0 = moran(work, before, **kw)
        m1 = moran(work, after, **kw)
        md = moran(work, change_column, **kw)
        bv = moran_bv(work, after, before, **kw)
        lk = dict(kw, alpha=alpha, correction=correction, n_jobs=n_jobs, engine=engine)
        l0 = local_moran(work, before, prefix=f"lisa_{before}_", **lk)
        l1 = local_moran(l0.frame, after, prefix=f"lisa_{after}_", **lk)
        ld = local_moran(l1.frame, change_column, prefix=f"lisa_{change_column}_", **lk)
    transitions = pd.crosstab(
        pd.Categorical(l0.labels, categories=list(CLUSTER_ORDER)),
        pd.Categorical(l1.labels, categories=list(CLUSTER_ORDER)),
        rownames=[before], colnames=[after], dropna=False,
    )
    empty = [lab for lab in (ISOLATED, MISSING) if transitions.loc[lab].sum() == 0 and transitions[lab].sum() == 0]
    transitions = transitions.drop(index=empty, columns=empty)
    out = ld.frame
    if missing == "drop":  # restore the user's original values in the copy
        out[before] = frame[before]
        out[after] = frame[after]
    return ChangeResult(frame=out, before=before, after=after, change_column=change_column, moran_before=m0,
                        moran_after=m1, moran_change=md, bivariate=bv, lisa_before=l0, lisa_after=l1,
                        lisa_change=ld, transitions=transitions)


# --------------------------------------------------------------------------- sensitivity to the weights

#: The weights :func:`moran_sensitivity` compares by default: contiguity both ways, k nearest and a distance band.
SENSITIVITY_METHODS = ("queen", "rook", "knn", "distance_band")
#: The k of the k-nearest (and adaptive kernel) rows of :func:`moran_sensitivity` by default.
SENSITIVITY_KS = (4, 6, 8)


def _connecting_threshold_km(frame: gpd.GeoDataFrame) -> float:
    """Return the smallest distance band (km, rounded up to 0.1 km) in which every unit has a neighbour.

    Measured between the points distance weights use, by build_weights itself: with a band far too
    short every unit is an island, and ``islands="nearest"`` records each one's nearest-unit distance.
    """
    probe = build_weights(frame, "distance_band", threshold_km=1e-6, islands="nearest", island_k=1)
    return float(np.ceil(probe.attached.distance_km.max() * 10.0) / 10.0)


def moran_sensitivity(
    frame: gpd.GeoDataFrame,
    column: str,
    *,
    methods: Sequence[str] = SENSITIVITY_METHODS,
    ks: Sequence[int] = SENSITIVITY_KS,
    thresholds_km: Sequence[float] | None = None,
    islands: str = "nearest",
    island_k: int = 1,
    permutations: int = 999,
    seed: int | None = DEFAULT_SEED,
    missing: str = "error",
) -> pd.DataFrame:
    """Return global Moran's I of ``column`` under each choice of spatial weights, one row per choice.

    Whether clustering is found can depend on the weights: a sensitivity check runs the same
    :func:`moran` (same units, permutations and seed) over a grid of
    :func:`~yrdgeo.weights.build_weights` choices. The grid: one row per contiguity method
    (``queen``, ``rook``); one per ``k`` in ``ks`` for ``knn`` and ``kernel`` (adaptive bandwidth);
    one per band in ``thresholds_km`` for ``distance_band`` and ``inverse_distance`` — by default the
    smallest band (rounded up to 0.1 km) in which every unit has a neighbour, as GeoDa suggests.

    Parameters
    ----------
    frame
        Units with geometry. Not modified.
    column
        Numeric attribute.
    methods
        Weights methods, a selection of :data:`yrdgeo.weights.METHODS` (default
        :data:`SENSITIVITY_METHODS`: queen, rook, knn, distance band).
    ks
        Neighbours k for ``knn`` and ``kernel`` (default :data:`SENSITIVITY_KS`: 4, 6, 8).
    thresholds_km
        Bands for ``distance_band`` and ``inverse_distance`` (default: the smallest connecting band).
    islands, island_k
        The island policy of every weights choice (:func:`~yrdgeo.weights.build_weights`). Default
        ``"nearest"``: a contiguity island (岱山县 at county level) gets its nearest unit, so every
        row uses the same units; ``"error"`` stops at the first choice that leaves one.
    permutations, seed, missing
        As in :func:`moran`; the same seed for every row.

    Returns
    -------
    pandas.DataFrame
        One row per choice, in the order of ``methods``: ``weights`` (a label such as ``"knn k=6"``),
        ``method``, ``k``, ``threshold_km`` (NaN where they do not apply), ``I``, ``expected`` (E[I]),
        ``z_norm``, ``p_norm`` (normality), ``z_sim``, ``p_sim`` (permutations), ``n`` (units used),
        ``islands`` (units without neighbours before the island policy), ``mean_neighbours``,
        ``n_components``. ``attrs["column"]`` names the column.
    """
    chosen = [check_choice("methods", m, METHODS) for m in ([methods] if isinstance(methods, str) else methods)]
    if not chosen:
        msg = f"methods is empty; choose some of {', '.join(METHODS)}"
        raise ValueError(msg)
    ks = [check_integer("ks", k) for k in ks]
    grid: list[tuple[str, dict]] = []
    for method in chosen:
        if method in ("knn", "kernel"):
            grid += [(method, {"k": k}) for k in ks]
        elif method in ("distance_band", "inverse_distance"):
            bands = thresholds_km if thresholds_km is not None else [_connecting_threshold_km(frame)]
            grid += [(method, {"threshold_km": check_number("thresholds_km", t, unit="km")}) for t in bands]
        else:
            grid.append((method, {}))
    rows = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        results = [(method, options, moran(frame, column, weights=build_weights(
            frame, method, islands=islands, island_k=island_k, **options), permutations=permutations, seed=seed,
            missing=missing)) for method, options in grid]
    # the same units are left out under every choice: say so once, not once per row
    for category, message in dict.fromkeys((w.category, str(w.message)) for w in caught):
        warnings.warn(message, category, stacklevel=2)
    for method, options, res in results:
        sw = res.weights
        summary = sw.summary()
        label = method + (f" k={options['k']}" if "k" in options else "") + (
            f" {options['threshold_km']:g} km" if "threshold_km" in options else "")
        rows.append({"weights": label, "method": method, "k": options.get("k", np.nan),
                     "threshold_km": options.get("threshold_km", np.nan), "I": res.value, "expected": res.expected,
                     "z_norm": res.z_norm, "p_norm": res.p_norm, "z_sim": res.z_sim, "p_sim": res.p_sim,
                     "n": res.n, "islands": len(sw.islands), "mean_neighbours": summary["mean_neighbours"],
                     "n_components": summary["n_components"]})
    out = pd.DataFrame(rows)
    out.attrs["column"] = column
    return out


__all__ = [
    "CLUSTER_ORDER", "CORRECTIONS", "ChangeResult", "DEFAULT_SEED", "GEODA_CODES", "GlobalResult", "LOCAL_ENGINES",
    "LocalResult", "MISSING_POLICIES",
    "QUADRANTS", "SENSITIVITY_KS", "SENSITIVITY_METHODS", "SPOT_ORDER", "geary", "getis_ord_g", "gi_star",
    "join_attributes", "local_moran", "local_moran_bv", "moran", "moran_bv", "moran_change", "moran_sensitivity",
]
