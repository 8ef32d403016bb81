"""Conditional randomisation for local statistics, vectorised: esda's numbers, for any subset of units, on any cores.

esda tests a local statistic (local Moran, bivariate local Moran, local G and G*) by conditional
permutation: it draws one table of permuted unit ids from the seed, then, unit by unit in a Python
loop, takes the first ``k`` columns of that table (``k`` = the unit's neighbours), skips the unit
itself, recomputes the statistic 999 times and counts how many draws reach the observed value.
Each unit also copies the whole value vector to leave itself out, so the cost grows with n².

:func:`local_randomization` does the same arithmetic on blocks of units at once: the units are
grouped by their number of neighbours, each group is cut into blocks of at most ``block`` ×
permutations × neighbours numbers (memory stays bounded), and each block is one gather and one
batched matrix product. Every floating-point operation is esda's, in esda's order (the weighted
sum is the same BLAS matrix-vector product), so for the same seed the statistic and the pseudo
p-values are bit for bit esda's (``esda.Moran_Local``, ``Moran_Local_BV``, ``G_Local`` without
numba), and the simulated mean, standard deviation and z equal those of
``keep_simulations=True``. ``n_jobs`` spreads blocks of units over processes, each of which
receives the values, the weights and the permutation table once. Because the table depends only
on the seed, ``n`` and the largest number of neighbours, results for a subset of units are those
of the whole run at those units: blocks computed separately (other processes, dask partitions)
concatenate to the whole run.

This module needs numpy and scipy, not esda. Worker processes are forked where the platform
allows it (they inherit the run's arrays without copying them); elsewhere they are spawned and
receive them once, pickled.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from numbers import Integral
from typing import Sequence

import numpy as np
from scipy import sparse

from ..checks import check_choice, check_integer

#: The local statistics :func:`local_randomization` computes (esda's names in brackets):
#: ``moran`` (``Moran_Local``), ``moran_bv`` (``Moran_Local_BV``), ``g`` (``G_Local(star=False)``),
#: ``g_star`` (``G_Local(star=True)``).
STATISTICS = ("moran", "moran_bv", "g", "g_star")

#: Default memory budget of one block: numbers held at once (block units × permutations × neighbours).
BLOCK_NUMBERS = 1 << 21


@dataclass(frozen=True)
class LocalRandomization:
    """The observed local statistic and its conditional-permutation inference at some units.

    Attributes
    ----------
    units : numpy.ndarray
        Positions of the units (int64), in the order asked for.
    statistic : numpy.ndarray
        The observed local statistic (esda's ``Is`` or ``Gs``).
    larger : numpy.ndarray
        Permutation draws in the smaller tail: draws ``>=`` the observed value, or the others
        when they are fewer (esda's "directed" folding), int64.
    p_sim : numpy.ndarray
        ``(larger + 1) / (permutations + 1)`` in float64 (esda's float32 ``p_sim`` when it keeps no
        simulations is this value rounded to float32).
    mean, std : numpy.ndarray
        Mean and (population) standard deviation of the simulated statistics (esda's ``EI_sim``,
        ``seI_sim`` / ``EG_sim``, ``seG_sim`` with ``keep_simulations=True``).
    z_sim : numpy.ndarray
        ``(statistic - mean) / std``.
    permutations : int
    seed : int or None
        The seed the table was drawn from (None when the caller passed the table).
    """

    units: np.ndarray
    statistic: np.ndarray
    larger: np.ndarray
    p_sim: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    z_sim: np.ndarray
    permutations: int
    seed: int | None


def permutation_table(n: int, max_card: int, permutations: int, seed: int) -> np.ndarray:
    """Return esda's table of permuted ids: ``(permutations, max_card)`` int64, each row distinct ids in ``0 … n-2``.

    Row ``p`` is ``numpy.random.RandomState(seed)``'s ``choice(n - 1, max_card, replace=False)`` at
    draw ``p``: the very calls of esda's ``crand.vec_permutations`` without numba, made on a private
    generator (numpy's global random state is left alone). Unit ``i`` reads the first ``k`` columns
    (its number of neighbours) and maps id ``j`` to unit ``j + (j >= i)``, which skips itself.
    Each row is the head of a full shuffle of ``n - 1`` ids, so a table drawn with a larger
    ``max_card`` has the same first columns: any ``max_card`` at least the largest number of
    neighbours gives the same results. The draw is serial (about a second per 100,000 units ×
    999 rows); numpy releases the GIL while it shuffles, so a thread may draw it while other
    work goes on.

    Parameters
    ----------
    n
        Number of units of the whole run (not of a block).
    max_card
        Largest number of neighbours of any unit of the whole run, the unit itself not counted.
    permutations
        Rows.
    seed
        Seed of the run.
    """
    n, max_card = check_integer("n", n, minimum=2), check_integer("max_card", max_card)
    permutations = check_integer("permutations", permutations)
    if max_card > n - 1:
        msg = f"max_card ({max_card}) cannot exceed n - 1 ({n - 1}): a unit has at most n - 1 neighbours"
        raise ValueError(msg)
    rs = np.random.RandomState(seed)
    table = np.empty((permutations, max_card), dtype=np.int64)
    for p in range(permutations):
        table[p] = rs.choice(n - 1, size=max_card, replace=False)
    return table


def local_randomization(
    values: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    *,
    statistic: str = "moran",
    units: Sequence[int] | np.ndarray | None = None,
    table: np.ndarray | None = None,
    permutations: int = 999,
    seed: int | None = None,
    island_weight: float = 0.0,
    n_jobs: int = 1,
    block: int = BLOCK_NUMBERS,
) -> LocalRandomization:
    """Return a local statistic with esda's conditional-permutation inference at ``units`` (default: every unit).

    The numbers equal esda's for the same seed: ``statistic`` and ``larger``/``p_sim`` bit for bit,
    ``mean``/``std``/``z_sim`` as ``keep_simulations=True`` computes them. Results at a subset of
    units are those of the whole run at these units, so a caller may split the units into blocks
    (processes, dask partitions), pass every block the same full ``values``, weights and
    ``table``, and concatenate.

    Parameters
    ----------
    values
        The raw values of EVERY unit of the run (not only of ``units``): the draws come from all of
        them. One array of length n; for ``"moran_bv"`` an ``(n, 2)`` array of columns ``x, y``
        (x at the unit against the lag of y, as ``Moran_Local_BV(x, y, ...)``). Moran values are
        standardised here as esda does (``(v - v.mean()) / v.std()``); G uses them as they are.
    indptr, indices, weights
        The weights of every unit as CSR arrays (``w.sparse`` of the libpysal W esda uses, after its
        transform): row i lists i's neighbours. A diagonal entry is the unit's self-weight (kernel
        weights; G*, whose W esda fills: 1 on binary weights, on row-standardised weights the row's
        largest weight before standardising again). The observed statistic uses the full row; the
        permutations use the off-diagonal entries in CSR order (explicit zeros dropped), paired
        with the table's columns in that order, exactly as esda does after ``setdiag(0)``.
    statistic
        One of :data:`STATISTICS`.
    units
        Positions of the units to compute (any order; repeats allowed). Default: all, in order.
    table
        The permutation table of the whole run (:func:`permutation_table`). Default: drawn from
        ``seed``, ``n`` and the largest off-diagonal cardinality of the WHOLE weights; pass it
        when computing many blocks, to draw it once.
    permutations
        Draws, when ``table`` is not given (its rows otherwise).
    seed
        Seed of the table when ``table`` is not given. None draws one from numpy's global random
        state (``randint(12345, 12345000)``), as esda does.
    island_weight
        Weight of the stand-in neighbour of a unit without neighbours (esda's ``island_weight``;
        0 makes its lag 0; ``G_Local`` passes its own, ``Moran_Local`` 0).
    n_jobs
        Processes (-1: every core). Each receives the values, weights and table once, then
        blocks of units. Any ``n_jobs`` gives the same numbers.
    block
        Memory budget of one block, in numbers (units × permutations × neighbours); at least one
        unit per block. The results do not depend on it.

    Returns
    -------
    LocalRandomization
    """
    check_choice("statistic", statistic, STATISTICS)
    setup = _setup(values, indptr, indices, weights, statistic, table, permutations, seed, island_weight)
    units = np.arange(setup.n, dtype=np.int64) if units is None else np.asarray(units, dtype=np.int64).ravel()
    if len(units) and (units.min() < 0 or units.max() >= setup.n):
        msg = f"units must be positions 0 … {setup.n - 1}; got {units.min()} … {units.max()}"
        raise ValueError(msg)
    block = check_integer("block", block)
    jobs = _jobs(n_jobs)
    if jobs == 1 or len(units) < 2:
        stat, larger, mean, std = _compute(setup, units, block)
    else:
        stat, larger, mean, std = _parallel(setup, units, block, jobs)
    nperm = setup.table.shape[0]
    p_sim = (larger + 1.0) / (nperm + 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z_sim = (stat - mean) / std
    return LocalRandomization(units=units, statistic=stat, larger=larger, p_sim=p_sim, mean=mean, std=std,
                              z_sim=z_sim, permutations=nperm, seed=setup.seed)


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Setup:
    """Everything derived once from the whole run; sent to each worker process once."""

    statistic: str
    n: int
    own: np.ndarray  # the unit's own value in the statistic (z, zx or y)
    drawn: np.ndarray  # the values the permutations draw (z, zy or y)
    scaling: float  # esda's crand scaling: (n - 1) / sum(z²) for Moran, sum(y) for G
    den: float  # Moran: sum(z²) (of zx); G: sum(y)
    full: sparse.csr_matrix  # the weights as given, diagonal included (observed statistic)
    o_indptr: np.ndarray  # off-diagonal weights, CSR order, zeros dropped (permutations)
    o_data: np.ndarray
    self_weight: np.ndarray
    card: np.ndarray
    island_weight: float
    table: np.ndarray
    seed: int | None


def _jobs(n_jobs: int) -> int:
    """Return the processes for ``n_jobs`` (-1: every core), checked."""
    if isinstance(n_jobs, Integral) and not isinstance(n_jobs, bool) and n_jobs == -1:
        return os.cpu_count() or 1
    return check_integer("n_jobs", n_jobs)


def standardised(v: np.ndarray) -> np.ndarray:
    """Return ``(v - mean) / std`` with esda's operations (in place on the difference, errors ignored), bit for bit
    the values esda's local statistics standardise."""
    z = v - v.mean()
    with np.errstate(all="ignore"):
        z /= v.std()
    return z


def _setup(values, indptr, indices, weights, statistic, table, permutations, seed, island_weight) -> _Setup:
    values = np.asarray(values, dtype=np.float64)
    bivariate = statistic == "moran_bv"
    if bivariate and (values.ndim != 2 or values.shape[1] != 2):
        msg = f"statistic 'moran_bv' needs values of shape (n, 2) (columns x, y); got shape {values.shape}"
        raise ValueError(msg)
    if not bivariate and values.ndim != 1:
        msg = f"statistic {statistic!r} needs one value per unit (a 1-D array); got shape {values.shape}"
        raise ValueError(msg)
    n = values.shape[0]
    indptr = np.asarray(indptr, dtype=np.int64)
    if len(indptr) != n + 1:
        msg = f"indptr must have n + 1 = {n + 1} entries for {n} values; got {len(indptr)}"
        raise ValueError(msg)
    full = sparse.csr_matrix((np.asarray(weights, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
                             shape=(n, n))
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    diagonal = full.indices == rows
    self_weight = np.zeros(n)
    np.add.at(self_weight, rows[diagonal], full.data[diagonal])
    keep = ~diagonal & (full.data != 0)
    card = np.bincount(rows[keep], minlength=n).astype(np.int64)
    o_indptr = np.concatenate([[0], np.cumsum(card)])
    if statistic in ("moran", "moran_bv"):
        if bivariate:
            own, drawn = standardised(values[:, 0]), standardised(values[:, 1])
        else:
            own = drawn = standardised(values)
        den = (own * own).sum()
        scaling = (n - 1) / den
    else:
        own = drawn = values
        den = scaling = values.sum()
    if table is None:
        if seed is None:  # as esda: a seed from numpy's global generator
            seed = int(np.random.randint(12345, 12345000))
        max_card = int(card.max()) if n else 0
        if max_card < 1:
            msg = "no unit has a neighbour: there is nothing to permute"
            raise ValueError(msg)
        table = permutation_table(n, max_card, permutations, seed)
    else:
        table = np.ascontiguousarray(table, dtype=np.int64)
        if table.ndim != 2 or table.shape[1] < max(int(card.max()), 1) or table.max() > n - 2 or table.min() < 0:
            msg = (f"table must be (permutations, max_card) ids in 0 … n-2 with max_card >= the largest number of "
                   f"neighbours ({int(card.max())}); got shape {table.shape}")
            raise ValueError(msg)
        seed = None
    return _Setup(statistic=statistic, n=n, own=own, drawn=drawn, scaling=scaling, den=den, full=full,
                  o_indptr=o_indptr, o_data=full.data[keep], self_weight=self_weight, card=card,
                  island_weight=float(island_weight), table=table, seed=seed)


def _observed(s: _Setup, units: np.ndarray) -> np.ndarray:
    """Return the observed statistic at ``units`` with esda's operations (``__calc``/``calc``)."""
    lag = s.full[units] @ s.drawn  # scipy's CSR product: each row summed in stored order, as lag_spatial
    if s.statistic in ("moran", "moran_bv"):
        return (s.n - 1) * s.own[units] * lag / s.den
    if s.statistic == "g_star":
        return lag / (s.den - s.own[units] * False)
    return lag / (s.den - s.own[units] * True)


def _compute(s: _Setup, units: np.ndarray, block: int) -> tuple[np.ndarray, ...]:
    """Return (statistic, larger, mean, std) at ``units``, block by block of units with as many neighbours.

    Unit i's draws read ``drawn[j]`` for a table id j < i and ``drawn[j + 1]`` for j >= i, so two units
    between which no id of the table's first k columns falls draw exactly the same values: when the
    units of a group also have bitwise equal weights (any row-standardised contiguity or k-nearest
    weights), the simulated lags are computed once for such a class of units and shared. The
    arithmetic per lag is the same either way.
    """
    m = len(units)
    stat = _observed(s, units) if m else np.empty(0)
    larger = np.empty(m, dtype=np.int64)
    mean, std = np.empty(m), np.empty(m)
    nperm = s.table.shape[0]
    card = s.card[units]
    order = np.argsort(card, kind="stable")
    bounds = np.flatnonzero(np.diff(card[order])) + 1
    for group in np.split(order, bounds) if m else []:
        k = int(card[group[0]])
        kk = max(k, 1)  # an island draws one stand-in neighbour
        ids = s.table[:, :kk]
        below, above = s.drawn[ids], s.drawn[ids + 1]
        u_all = units[group]
        if k == 0:  # esda's stand-in neighbour of weight island_weight, self-weight 0
            w_all = np.full((len(group), 1), s.island_weight)
            sw_all = np.zeros(len(group))
        else:
            w_all = s.o_data[s.o_indptr[u_all][:, None] + np.arange(k)]
            sw_all = s.self_weight[u_all]
        bits = w_all.view(np.int64)
        shared = bool((bits == bits[0]).all())
        if shared:  # sort the group by class: units sharing their draws become neighbours in the loop
            cls = np.searchsorted(np.unique(ids), u_all)
            by = np.argsort(cls, kind="stable")
            group, u_all, sw_all, cls = group[by], u_all[by], sw_all[by], cls[by]
            w0 = np.ascontiguousarray(w_all[0])[:, None]
        per = max(1, block // (nperm * kk))
        for start in range(0, len(group), per):
            pos, u, sw = group[start:start + per], u_all[start:start + per], sw_all[start:start + per]
            if shared:
                c = cls[start:start + per]
                first = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
                which = np.repeat(np.arange(len(first)), np.diff(np.r_[first, len(c)]))
                zrand = np.where(ids >= u[first][:, None, None], above, below)
                # one matrix-vector product per class (batched), the very BLAS call esda makes unit by unit
                lag = np.matmul(zrand, w0)[:, :, 0][which]
            else:
                zrand = np.where(ids >= u[:, None, None], above, below)
                lag = np.matmul(zrand, w_all[start:start + per][:, :, None])[:, :, 0]
            rs = _random_statistic(s, lag, u, sw)
            obs = stat[pos]
            big = (rs >= obs[:, None]).sum(axis=1)
            low = (nperm - big) < big
            big[low] = nperm - big[low]
            larger[pos] = big
            mean[pos] = rs.mean(axis=1)
            std[pos] = rs.std(axis=1)
    return stat, larger, mean, std


def _random_statistic(s: _Setup, lag: np.ndarray, u: np.ndarray, sw: np.ndarray) -> np.ndarray:
    """Return the simulated statistics ``(units, permutations)`` from the simulated lags, as esda's stat_func."""
    if s.statistic == "moran":
        zi = s.own[u][:, None]
        return zi * (lag + (sw * s.own[u])[:, None]) * s.scaling
    if s.statistic == "moran_bv":
        return s.own[u][:, None] * (lag + (sw * s.drawn[u])[:, None]) * s.scaling
    if s.statistic == "g_star":
        return (lag + (sw * s.own[u])[:, None]) / s.scaling
    return lag / (s.scaling - s.own[u])[:, None]


# --------------------------------------------------------------------------- processes

_WORKER: dict = {}


def _init_worker(setup: _Setup, block: int) -> None:
    _WORKER["setup"], _WORKER["block"] = setup, block


def _work(units: np.ndarray) -> tuple[np.ndarray, ...]:
    return _compute(_WORKER["setup"], units, _WORKER["block"])


def _parallel(s: _Setup, units: np.ndarray, block: int, jobs: int) -> tuple[np.ndarray, ...]:
    """Return :func:`_compute` over ``jobs`` processes, a few chunks per process so a slow one does not hold all."""
    chunks = [c for c in np.array_split(units, min(len(units), 4 * jobs)) if len(c)]
    # fork where the platform has it (the workers inherit the setup without pickling); spawn elsewhere
    method = "fork" if "fork" in get_all_start_methods() and os.name == "posix" and not _is_macos() else "spawn"
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=get_context(method),
                             initializer=_init_worker, initargs=(s, block)) as pool:
        parts = list(pool.map(_work, chunks))
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(4))


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"


__all__ = ["BLOCK_NUMBERS", "STATISTICS", "LocalRandomization", "local_randomization", "permutation_table",
           "standardised"]
