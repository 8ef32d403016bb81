"""Spatial statistics on grids: contiguity by row and column, Moran's I, LISA and Gi* over blocks of cells.

Cells of a :class:`yrdgeo.grid.Grid` are identified by ``cell_id = row * ncols + col``, so the
neighbours of a cell are found by arithmetic, never by geometry: queen contiguity takes the present
cells among the eight ``(row ± 1, col ± 1)``, rook the four sharing an edge. A partition of
``grid.frame`` is a band of whole rows, so a cell's neighbours lie in its own band or in the last
row of the band above and the first row of the band below: each partition is handled with those two
rows as a halo, and a cell on a band border gets the same neighbours as with one partition.

The statistics follow :mod:`yrdgeo.autocorrelation` (its conventions apply here unchanged):

* cells without neighbours (a lone coastal cell, a cell whose neighbours all have missing values)
  are left out of every statistic and labelled ``"isolated"``; missing values are refused
  (``missing="error"``) or left out and labelled ``"missing"`` (``missing="drop"``);
* weights are row-standardised (``transform="r"``, as :func:`yrdgeo.weights.build_weights`) or
  binary (``"b"``), over the cells that take part;
* Moran's I has the analytical inference of esda (normality and randomisation, from dask
  reductions over blocks) and, with ``permutations``, esda's permutation test drawn from the same
  random stream (``seed``), so the numbers equal :func:`yrdgeo.autocorrelation.moran` on the same
  cells;
* LISA and Gi* use conditional permutations run in parallel over the blocks by
  :mod:`yrdgeo.autocorrelation.permutation` (the engine that reproduces esda for a seed); the
  values and the permutation table go to each worker once, and the block results joined equal
  :func:`yrdgeo.autocorrelation.local_moran` / :func:`~yrdgeo.autocorrelation.gi_star` on the same
  cells with queen weights.

Every function runs on the current dask scheduler: a :func:`yrdgeo.grid.client` (a local cluster or
an existing one by address) when one is open, otherwise dask's default. See docs/grid.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import dask
import numpy as np
import pandas as pd
from scipy import sparse

# Only light modules at the top: a dask worker unpickling a task of this module imports what this module imports,
# so scipy.stats, libpysal (yrdgeo.weights) and esda are imported inside the client-side functions that use them.
from ..autocorrelation import (  # loaded on first use: these names come from its light label module
    CLUSTER_ORDER,
    COLD,
    GEODA_CODES,
    HOT,
    ISOLATED,
    MIN_UNITS,
    MISSING,
    NOT_SIGNIFICANT,
    QUADRANTS,
    SPOT_ORDER,
)
from ..checks import check_choice, check_integer, check_number
from ..choices import AUTOCORRELATION_MISSING as MISSING_POLICIES
from ..choices import CONTIGUITY, CORRECTIONS
from ._frames import with_columns

if TYPE_CHECKING:
    from ..weights import SpatialWeights

__all__ = [
    "BLOCK_CELLS", "DRAWS", "GRID_TRANSFORMS", "GridGlobalResult", "GridLocalResult", "NEIGHBOUR_OFFSETS", "contiguity",
    "contiguity_weights", "gi_star", "local_moran", "moran",
]

#: (row, column) steps to the neighbours of a cell, in increasing ``cell_id`` order (so CSR rows come sorted).
NEIGHBOUR_OFFSETS = {
    "queen": ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)),
    "rook": ((-1, 0), (0, -1), (0, 1), (1, 0)),
}
#: Cells per LISA/Gi* task at least (``block_cells=None``): a few tasks per partition at 1 km, for an even load.
BLOCK_CELLS = 20_000
# Tasks of a LISA/Gi* run at most by default: each task also sets up full-length arrays (O(cells)), so on
# large grids the tasks grow instead (90,000 cells at 250 m): 64 still share out evenly over dozens of workers.
_LOCAL_TASKS = 64
#: How the LISA/Gi* permutation table is drawn: esda's own calls (equal numbers) or a fast generator.
DRAWS = ("esda", "fast")
#: Weights transforms of grid statistics: row-standardised (default) or binary.
GRID_TRANSFORMS = ("r", "b")

# status of a cell for one statistic
_USED, _MISSING, _ISOLATED = 0, 1, 2


# --------------------------------------------------------------------------- neighbours by arithmetic


def _neighbour_positions(ids: np.ndarray, pool_ids: np.ndarray, pool_pos: np.ndarray, ncols: int,
                         offsets: Sequence[tuple[int, int]]) -> np.ndarray:
    """Return, per cell of ``ids``, the ``pool_pos`` of each neighbour found in ``pool_ids`` (-1 where none).

    ``pool_ids`` is sorted; a step that leaves the grid sideways (column < 0 or >= ncols) finds
    nothing, so a cell at the west edge is not joined to the east end of the row above.
    """
    out = np.full((len(ids), len(offsets)), -1, dtype=np.int64)
    if not len(pool_ids) or not len(ids):
        return out
    col = ids % ncols
    last = len(pool_ids) - 1
    for k, (dr, dc) in enumerate(offsets):
        cand = ids + (dr * ncols + dc)
        at = np.minimum(np.searchsorted(pool_ids, cand), last)
        hit = (pool_ids[at] == cand) & (col + dc >= 0) & (col + dc < ncols)
        out[hit, k] = pool_pos[at[hit]]
    return out


def _edge(ids: np.ndarray, ncols: int, *arrays: np.ndarray, last: bool) -> tuple[np.ndarray, ...]:
    """Return ``ids`` (sorted) and ``arrays`` cut to the last (or first) row present: a neighbour band's halo."""
    if not len(ids):
        return (ids, *arrays)
    row = int(ids[-1] if last else ids[0]) // ncols
    cut = slice(np.searchsorted(ids, row * ncols), None) if last else slice(0, np.searchsorted(ids, (row + 1) * ncols))
    return (ids[cut], *(a[cut] for a in arrays))


# --------------------------------------------------------------------------- per-partition tasks


def _cells(part: pd.DataFrame, columns: Sequence[str], band: tuple[int, int], ncols: int) -> dict:
    """Return a partition's cell ids and the float values of ``columns``; refuse cells out of band or order."""
    ids = part["cell_id"].to_numpy(dtype=np.int64)
    r0, r1 = band
    if len(ids) and (not (np.diff(ids) > 0).all() or ids[0] < r0 * ncols or ids[-1] >= r1 * ncols):
        msg = (f"the partition of rows {r0}-{r1 - 1} holds other cells or is not sorted by cell_id; grid statistics "
               "need the grid's partitions (one band of whole rows each, as make_grid builds them): do not "
               "repartition or reorder the frame")
        raise ValueError(msg)
    values = [part[c].to_numpy(dtype=float, na_value=np.nan) for c in columns]
    for c, v in zip(columns, values):
        bad = np.isinf(v)
        if bad.any():
            msg = f"column {c!r} has infinite values at cells {ids[bad][:10].tolist()}; fix or remove them"
            raise ValueError(msg)
    return {"ids": ids, "values": values, "index": part.index}


def _status(block: dict, above: tuple, below: tuple, ncols: int, offsets: tuple, missing: str,
            columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return each cell's status (used, missing, or isolated: no neighbour with values) and each used cell's
    number of neighbours.

    A neighbour with values of a used cell is used itself (it has that cell as a neighbour with values), so the
    count is the cardinality of the used cell's row in the weights, found here without the global positions.
    """
    ids = block["ids"]
    miss = ~_present(block)
    if miss.any() and missing == "error":
        bad = ids[miss]
        msg = (f"{int(miss.sum())}+ cell(s) have missing values in {', '.join(columns)}, e.g. cells "
               f"{bad[:20].tolist()}. Fill them, or pass missing='drop' to leave them out (labelled 'missing').")
        raise ValueError(msg)
    pool = np.concatenate([above[0][above[1]], ids[~miss], below[0][below[1]]])
    found = _neighbour_positions(ids, pool, np.zeros(len(pool), dtype=np.int64), ncols, offsets) >= 0
    status = np.where(miss, _MISSING, np.where(found.any(axis=1), _USED, _ISOLATED)).astype(np.int8)
    return status, found[status == _USED].sum(axis=1).astype(np.int8)


def _present(block: dict) -> np.ndarray:
    """Return True where a cell has every value (no NaN)."""
    miss = np.zeros(len(block["ids"]), dtype=bool)
    for v in block["values"]:
        miss |= np.isnan(v)
    return ~miss


def _rows(block: dict, status: np.ndarray, start: int, above: tuple, below: tuple, ncols: int,
          offsets: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Return the CSR ``indptr`` and ``indices`` (global positions of used cells) of a block's used cells."""
    used_ids = block["ids"][status == _USED]
    pos = start + np.arange(len(used_ids), dtype=np.int64)
    pool = np.concatenate([above[0], used_ids, below[0]])
    pool_pos = np.concatenate([above[1], pos, below[1]])
    nb = _neighbour_positions(used_ids, pool, pool_pos, ncols, offsets)
    found = nb >= 0
    indptr = np.zeros(len(used_ids) + 1, dtype=np.int64)
    np.cumsum(found.sum(axis=1), out=indptr[1:])
    indices = nb[found]  # row-major: each row's neighbours in increasing position
    # held for the whole statistic (up to 8 a cell): int32 halves it while positions fit (grids up to 2**31 cells)
    return indptr, (indices.astype(np.int32) if len(indices) and indices.max() < 2**31 else indices)


def _used_edge(block: dict, status: np.ndarray, start: int, ncols: int, *, last: bool) -> tuple:
    used_ids = block["ids"][status == _USED]
    return _edge(used_ids, ncols, start + np.arange(len(used_ids), dtype=np.int64), last=last)


def _present_edge(block: dict, ncols: int, *, last: bool) -> tuple:
    return _edge(block["ids"], ncols, _present(block), last=last)


# --------------------------------------------------------------------------- the blocks of one statistic


@dataclass
class _Blocks:
    """The cells of a grid statistic, block by block (dask objects on the scheduler in use)."""

    ncols: int
    method: str
    transform: str
    columns: list
    cells: list  # per partition: {"ids", "values"} (persisted)
    status: list  # per partition: int8 status (persisted)
    starts: np.ndarray  # first global position of each partition's used cells
    counts: np.ndarray  # used cells per partition
    rows: list  # per partition: (indptr, indices) of used cells (persisted)
    n_cells: int
    n_missing: int
    n_isolated: int
    values: list  # per column: the values of the used cells in global position order (gathered with the counts)
    cards: np.ndarray  # per used cell: its number of neighbours (int64), in the same order

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def matrix(self) -> sparse.csr_matrix:
        """Return the binary n x n CSR of the used cells, stacked from the blocks."""
        parts = dask.compute(*self.rows)
        return _stack(parts, self.n)


def _stack(parts: Sequence[tuple], n: int) -> sparse.csr_matrix:
    indptr = [np.zeros(1, dtype=np.int64)]
    total = 0
    for ptr, _ in parts:
        indptr.append(ptr[1:] + total)
        total += ptr[-1]
    indices = np.concatenate([ind for _, ind in parts]) if parts else np.zeros(0, dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(indices)), indices, np.concatenate(indptr)), shape=(n, n))


def _frame_and_ncols(grid: Any, frame: Any) -> tuple[Any, int]:
    """Return the dask frame to read and the grid's column count (``cell_id = row * ncols + col``)."""
    spec = getattr(grid, "spec", None)
    if spec is None or not hasattr(grid, "frame"):
        msg = f"grid must be a yrdgeo.grid.Grid (from make_grid), got {type(grid).__name__}"
        raise ValueError(msg)
    frame = grid.frame if frame is None else frame
    if not hasattr(frame, "to_delayed") or "cell_id" not in frame.columns:
        msg = ("frame must be a dask DataFrame with the grid's cell_id column and its partitions (e.g. "
               "grid.frame.assign(value=...)); got " + type(frame).__name__)
        raise ValueError(msg)
    base = grid.frame
    if (frame.known_divisions and base.known_divisions and tuple(frame.divisions) != tuple(base.divisions)
            and frame.divisions[::len(frame.divisions) - 1] == base.divisions[::len(base.divisions) - 1]):
        # e.g. a pandas column assigned by cell_id: back to the grid's bands (each partition checked later)
        frame = frame.repartition(divisions=base.divisions)
    if frame.npartitions != base.npartitions:
        msg = (f"frame has {frame.npartitions} partitions but the grid {grid.frame.npartitions}: keep the grid's "
               "partitions (one band of rows each); do not repartition")
        raise ValueError(msg)
    return frame, int(spec.ncols)


def _check_columns(frame: Any, columns: Sequence[str], what: str) -> None:
    for col in columns:
        if col not in frame.columns:
            msg = f"column {col!r} is not in the frame; columns are: {', '.join(map(str, frame.columns))}"
            raise ValueError(msg)
        dtype = frame.dtypes[col]
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            msg = (f"column {col!r} must be numeric for {what}; it has dtype {dtype}. "
                   "Convert it with pandas.to_numeric first.")
            raise ValueError(msg)


def _blocks(grid: Any, frame: Any, columns: Sequence[str], *, method: str, transform: str, missing: str,
            what: str) -> _Blocks:
    """Return the blocks of ``columns``: cell status and CSR rows, computed partition by partition with halos."""
    check_choice("method", method, CONTIGUITY)
    check_choice("transform", transform, GRID_TRANSFORMS)
    check_choice("missing", missing, MISSING_POLICIES)
    frame, ncols = _frame_and_ncols(grid, frame)
    columns = list(columns)
    _check_columns(frame, columns, what)
    offsets = NEIGHBOUR_OFFSETS[method]
    parts = frame[["cell_id", *columns]].to_delayed()
    d = dask.delayed
    cells = [d(_cells)(p, columns, band, ncols) for p, band in zip(parts, grid.bands)]
    bottom = [d(_present_edge)(c, ncols, last=True) for c in cells]
    top = [d(_present_edge)(c, ncols, last=False) for c in cells]
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool))
    k = len(cells)
    found = [d(_status)(cells[i], bottom[i - 1] if i else none, top[i + 1] if i + 1 < k else none, ncols,
                        offsets, missing, columns) for i in range(k)]
    status = [f[0] for f in found]
    # the counts, the used cells' values and cardinalities come back in one pass (the client needs them all before
    # the LISA tasks: the permutation table and every task read them), computed with the status that is kept
    cells, status, summary = dask.persist(cells, status, [d(_summary)(c, f) for c, f in zip(cells, found)])
    summary = dask.compute(*summary)
    counts = np.array([s["used"] for s in summary], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    nomatch = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    ubottom = [d(_used_edge)(cells[i], status[i], int(starts[i]), ncols, last=True) for i in range(k)]
    utop = [d(_used_edge)(cells[i], status[i], int(starts[i]), ncols, last=False) for i in range(k)]
    rows = [d(_rows)(cells[i], status[i], int(starts[i]), ubottom[i - 1] if i else nomatch,
                     utop[i + 1] if i + 1 < k else nomatch, ncols, offsets) for i in range(k)]
    (rows,) = dask.persist(rows)
    n_missing = sum(s["missing"] for s in summary)
    n_isolated = sum(s["isolated"] for s in summary)
    values = [np.concatenate([s["values"][j] for s in summary]) if summary else np.zeros(0) for j in range(len(columns))]
    cards = np.concatenate([s["cards"] for s in summary]).astype(np.int64) if summary else np.zeros(0, dtype=np.int64)
    return _Blocks(ncols=ncols, method=method, transform=transform, columns=columns, cells=cells, status=status,
                   starts=starts, counts=counts, rows=rows, n_cells=sum(s["cells"] for s in summary),
                   n_missing=n_missing, n_isolated=n_isolated, values=values, cards=cards)


def _summary(cells: dict, found: tuple[np.ndarray, np.ndarray]) -> dict:
    """Return a partition's counts of cells by status, its used cells' values (a column each) and cardinalities."""
    status, cards = found
    used = status == _USED
    return {"cells": len(cells["ids"]), "used": int(used.sum()), "missing": int((status == _MISSING).sum()),
            "isolated": int((status == _ISOLATED).sum()), "values": [v[used] for v in cells["values"]], "cards": cards}


# --------------------------------------------------------------------------- contiguity


def contiguity(grid: Any, *, method: str = "queen", frame: Any = None) -> sparse.csr_matrix:
    """Return the binary contiguity matrix of a grid's cells (scipy CSR, rows in the frame's order), by arithmetic.

    Parameters
    ----------
    grid
        A :class:`yrdgeo.grid.Grid`.
    method
        ``"queen"`` (the eight cells around, default) or ``"rook"`` (the four sharing an edge).
    frame
        The grid's frame or one derived from it with the same partitions (default ``grid.frame``).

    Returns
    -------
    scipy.sparse.csr_matrix
        n x n, 1.0 where two cells are neighbours, sorted indices; a cell without neighbours has an
        empty row. Built partition by partition (each with the bordering rows of the bands above and
        below), then stacked: meant for grids that fit in memory (8 links a cell: ~100 bytes a cell).
    """
    blocks = _blocks(grid, frame, [], method=method, transform="b", missing="error", what="contiguity")
    # every cell is "used" here except those without any neighbour: put the isolated ones back as empty rows
    if blocks.n_isolated == 0:
        return blocks.matrix()
    status = np.concatenate(dask.compute(*blocks.status))
    used = np.flatnonzero(status == _USED)
    inner = blocks.matrix().tocoo()
    n = len(status)
    return sparse.csr_matrix((inner.data, (used[inner.row], used[inner.col])), shape=(n, n))


def contiguity_weights(grid: Any, *, method: str = "queen", transform: str = "r", frame: Any = None
                       ) -> SpatialWeights:
    """Return a :class:`~yrdgeo.weights.SpatialWeights` of a small grid's cells (ids = ``cell_id``).

    Cells without neighbours are kept as isolated (the ``"isolate"`` island policy), so the weights
    go straight into :mod:`yrdgeo.autocorrelation` with ``frame = grid.compute()``. A libpysal ``W``
    holds Python dicts per cell: use it for grids up to some 100,000 cells; the grid functions of
    this module never build one.
    """
    from ..weights import SpatialWeights, w_from_sparse

    check_choice("transform", transform, ("r", "b", "v", "d", "o"))
    adj = contiguity(grid, method=method, frame=frame)
    frame = grid.frame if frame is None else frame
    cells = frame[["cell_id"]].compute()
    ids = cells["cell_id"].to_numpy()
    w = w_from_sparse(adj)
    w.transform = transform
    lone = ids[np.diff(adj.indptr) == 0].tolist()
    return SpatialWeights(w=w, method=method, transform=transform, ids=ids, names=ids.astype(str), index=cells.index,
                          island_policy="isolate", islands=lone, isolated=lone)


# --------------------------------------------------------------------------- global Moran's I


@dataclass
class GridGlobalResult:
    """Global Moran's I of a grid column, with the fields of :class:`yrdgeo.autocorrelation.GlobalResult`.

    Attributes
    ----------
    statistic, column, value, expected, z_norm, p_norm, z_rand, p_rand, p_sim, z_sim, permutations, seed, n
        As :class:`yrdgeo.autocorrelation.GlobalResult` (``n``: cells used).
    n_missing, n_isolated
        Cells left out for a missing value, and for having no neighbour with a value.
    method, transform
        The contiguity and the weights transform.
    """

    statistic: str
    column: str
    value: float
    expected: float
    z_norm: float
    p_norm: float
    z_rand: float
    p_rand: float
    p_sim: float | None
    z_sim: float | None
    permutations: int
    seed: int | None
    n: int
    n_missing: int
    n_isolated: int
    method: str
    transform: str

    def summary(self) -> dict:
        """Return the summary numbers as a flat dict (for tables, CSV, JSON)."""
        return {"statistic": self.statistic, "column": self.column, "value": self.value, "expected": self.expected,
                "z_norm": self.z_norm, "p_norm": self.p_norm, "z_rand": self.z_rand, "p_rand": self.p_rand,
                "p_sim": self.p_sim, "z_sim": self.z_sim, "permutations": self.permutations, "seed": self.seed,
                "n": self.n, "n_excluded": self.n_missing + self.n_isolated, "weights": self.method,
                "transform": self.transform}


def _weight_of(k: np.ndarray, transform: str) -> np.ndarray:
    """Return the weight of each link leaving a cell with ``k`` neighbours (1/k row-standardised, 1 binary)."""
    return 1.0 / k if transform == "r" else np.ones(len(k))


def _moran_sums(rows: tuple, start: int, z: np.ndarray, k: np.ndarray, transform: str) -> np.ndarray:
    """Return a block's partial sums: Σ z·Wz, s0, s1, s2 (esda's definitions on the used cells)."""
    indptr, indices = rows
    nb = len(indptr) - 1
    own = start + np.arange(nb)
    kk = np.diff(indptr)
    w_out = np.repeat(_weight_of(kk, transform), kk)  # w_ij of this block's rows
    w_in = _weight_of(k[indices], transform)  # w_ji: the neighbour's weight back (symmetric links)
    lag = sparse.csr_matrix((w_out, indices, indptr), shape=(nb, len(z))) @ z
    cross = float((z[own] * lag).sum())
    row_of = np.repeat(np.arange(nb), kk)
    out_sum = np.bincount(row_of, weights=w_out, minlength=nb)  # Σ_j w_ij
    in_sum = np.bincount(row_of, weights=w_in, minlength=nb)  # Σ_j w_ji
    s0 = float(w_out.sum())
    s1 = float(((w_out + w_in) ** 2).sum()) / 2.0
    s2 = float(((out_sum + in_sum) ** 2).sum())
    return np.array([cross, s0, s1, s2])


def _moran_sim(rows: Sequence[tuple], z: np.ndarray, k: np.ndarray, transform: str, permutations: int,
               seed: int | None) -> np.ndarray:
    """Return I under ``permutations`` random permutations of ``z``, drawn as esda.Moran draws them.

    esda draws ``numpy.random.permutation(z)`` one after another from numpy's global generator
    (seeded by yrdgeo with ``seed``); a ``RandomState(seed)`` gives the same stream. The stream is
    sequential, so this runs as one task (the LISA blocks run beside it).
    """
    n = len(z)
    w = _stack(rows, n)
    w.data = np.repeat(_weight_of(np.diff(w.indptr), transform), np.diff(w.indptr))
    s0 = w.data.sum()
    z2ss = (z * z).sum()
    rng = np.random.RandomState(seed)
    sim = np.empty(permutations)
    for r in range(permutations):
        zp = rng.permutation(z)
        sim[r] = n / s0 * (zp * (w @ zp)).sum() / z2ss
    observed = n / s0 * (z * (w @ z)).sum() / z2ss
    return np.concatenate([[observed], sim])


def moran(
    grid: Any,
    column: str,
    *,
    frame: Any = None,
    method: str = "queen",
    transform: str = "r",
    permutations: int = 999,
    seed: int | None = None,
    missing: str = "error",
) -> GridGlobalResult:
    """Return global Moran's I of a grid column: analytical inference from dask reductions, plus permutations.

    Parameters
    ----------
    grid
        A :class:`yrdgeo.grid.Grid`.
    column
        Numeric column of ``frame``.
    frame
        ``grid.frame`` with the column added (same partitions), e.g. ``grid.frame.assign(dem=...)``.
    method, transform
        Contiguity (``"queen"``/``"rook"``) and weights (``"r"`` row-standardised, ``"b"`` binary).
    permutations
        Random permutations for the pseudo p-value (0 = analytical only). esda draws them one after
        another from one random stream, so they run as a single task over the whole value vector
        and its weights (~100 bytes a cell): for grids beyond a few million cells use 0.
    seed, missing
        As :func:`yrdgeo.autocorrelation.moran`.

    Returns
    -------
    GridGlobalResult
        The numbers of :func:`yrdgeo.autocorrelation.moran` on the same cells with contiguity weights
        (equal to rounding: the sums are added block by block).
    """
    perms = check_integer("permutations", permutations, minimum=0)
    blocks = _blocks(grid, frame, [column], method=method, transform=transform, missing=missing, what="Moran's I")
    n = blocks.n
    if n < MIN_UNITS:
        msg = f"Moran's I needs at least {MIN_UNITS} cells with values and neighbours; only {n} remain"
        raise ValueError(msg)
    (y,), k = blocks.values, blocks.cards
    if np.ptp(y) == 0:
        msg = (f"column {column!r} has the same value ({y[0]:g}) for every cell used; spatial autocorrelation is "
               "undefined for a constant")
        raise ValueError(msg)
    z = y - y.mean()
    zs, ks = _shared(z), _shared(k)
    d = dask.delayed
    sums = [d(_moran_sums)(r, int(st), zs, ks, transform) for r, st in zip(blocks.rows, blocks.starts)]
    sim_task = d(_moran_sim)(blocks.rows, zs, ks, transform, perms, seed) if perms else None
    parts, sim = dask.compute(sums, sim_task)
    cross, s0, s1, s2 = np.sum(parts, axis=0)
    z2ss = (z * z).sum()
    value = n / s0 * cross / z2ss
    out = _moran_inference(value, n, s0, s1, s2, z)
    p_sim = z_sim = None
    if perms:
        observed, draws = sim[0], sim[1:]
        larger = int((draws >= observed).sum())
        if perms - larger < larger:
            larger = perms - larger
        p_sim = (larger + 1.0) / (perms + 1.0)
        with np.errstate(divide="ignore"):
            z_sim = float((observed - draws.sum() / perms) / draws.std())
    return GridGlobalResult(statistic="moran", column=column, value=float(value), p_sim=p_sim, z_sim=z_sim,
                            permutations=perms, seed=seed, n=n, n_missing=blocks.n_missing,
                            n_isolated=blocks.n_isolated, method=method, transform=transform, **out)


def _moran_inference(value: float, n: int, s0: float, s1: float, s2: float, z: np.ndarray) -> dict:
    """Return E[I] and the normality and randomisation z and two-tailed p, by esda.Moran's formulas."""
    ei = -1.0 / (n - 1)
    n2 = n * n
    s02 = s0 * s0
    vi_norm = (n2 * s1 - n * s2 + 3 * s02) / ((n - 1) * (n + 1) * s02) - (1.0 / (n - 1)) ** 2
    k = ((z**4).sum() / n) / ((z**2).sum() / n) ** 2
    a = n * ((n2 - 3 * n + 3) * s1 - n * s2 + 3 * s02)
    b = k * ((n2 - n) * s1 - 2 * n * s2 + 6 * s02)
    vi_rand = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s02) - ei * ei
    z_norm = (value - ei) / vi_norm ** 0.5
    z_rand = (value - ei) / vi_rand ** 0.5
    from scipy import stats as sps

    tail = sps.norm.sf if z_norm > 0 else sps.norm.cdf
    return {"expected": ei, "z_norm": float(z_norm), "p_norm": float(tail(z_norm) * 2.0),
            "z_rand": float(z_rand), "p_rand": float(tail(z_rand) * 2.0)}


def _shared(obj: Any) -> Any:
    """Return ``obj`` ready to go to every worker once: scattered (broadcast) on a distributed client, else as is.

    Passed as an argument to many block tasks, a scattered future is sent to each worker once; on
    the local schedulers the object is shared in memory.
    """
    try:
        from distributed import get_client
        client = get_client()
    except (ImportError, ValueError):
        return obj
    return client.scatter(obj, broadcast=True, hash=False)


# --------------------------------------------------------------------------- LISA and Gi*


@dataclass
class GridLocalResult:
    """A local statistic of a grid column: result columns on the grid's frame plus the summary.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        The frame given with the result columns (same partitions; the numbers are already computed
        and held by the scheduler, so reading it is cheap).
    statistic, column, columns, permutations, seed, alpha, correction, cutoff, n, counts
        As :class:`yrdgeo.autocorrelation.LocalResult` (``n``: cells tested).
    n_missing, n_isolated
        Cells not tested (labelled ``"missing"`` / ``"isolated"``).
    method, transform
        The contiguity and the weights transform.
    """

    frame: Any
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
    n_missing: int
    n_isolated: int
    method: str
    transform: str

    def summary(self) -> dict:
        """Return the summary as a flat dict: settings and the count per label."""
        return {"statistic": self.statistic, "column": self.column, "permutations": self.permutations,
                "seed": self.seed, "alpha": self.alpha, "correction": self.correction, "cutoff": self.cutoff,
                "n": self.n, "n_excluded": self.n_missing + self.n_isolated,
                **{f"n_{k}": int(v) for k, v in self.counts.items()}}


def _star_weight(k: int) -> float:
    """Return esda's Gi* row-standardised weight with ``k`` neighbours: 1/k on the diagonal too, then the row
    standardised again, summed one weight after the other as libpysal does."""
    total = 0.0
    for _ in range(k + 1):
        total += 1.0 / k
    return (1.0 / k) / total


def _local_weights(rows: tuple, start: int, n: int, statistic: str, transform: str) -> tuple:
    """Return the block's rows as full-length CSR arrays (other rows empty) with the weights esda uses, and the
    block's own ``indptr`` (its rows alone).

    Gi* (star) gets the unit itself in its row, at its sorted place, as esda's filled diagonal.
    """
    indptr, indices = rows
    nb = len(indptr) - 1
    k = np.diff(indptr)
    if statistic == "g_star":
        own = start + np.arange(nb, dtype=np.int64)
        row_of = np.repeat(np.arange(nb), k)
        before = np.bincount(row_of, weights=indices < own[row_of], minlength=nb).astype(np.int64)
        indices = np.insert(indices, indptr[:-1] + before, own)  # the unit itself, at its sorted place
        k1 = k + 1
        if transform == "r":
            table = {int(c): _star_weight(int(c)) for c in np.unique(k)}
            data = np.repeat(np.array([table[int(c)] for c in k]), k1)
        else:
            data = np.ones(int(k1.sum()))
        local_ptr = np.concatenate([[0], np.cumsum(k1)])
    else:
        data = np.repeat(_weight_of(k, transform), k)
        local_ptr = indptr
    full = np.full(n + 1, 0, dtype=np.int64)
    full[start + 1:start + nb + 1] = local_ptr[1:]
    full[start + nb + 1:] = local_ptr[-1]
    return full, indices, data, local_ptr


def _local_slice(rows: tuple, start: int, lo: int, hi: int, y: np.ndarray, table: np.ndarray, statistic: str,
                 transform: str, g_moments: tuple | None, z: np.ndarray | None) -> dict:
    """Return the local statistic, p (float64) and, for LISA, z, lag and quadrant of used cells ``lo … hi-1`` of a block.

    ``z`` is ``y`` standardised as esda does (:func:`yrdgeo.autocorrelation.permutation.standardised`, computed once
    for all blocks), for LISA; None for Gi*.
    """
    from ..autocorrelation.permutation import local_randomization

    indptr, indices = rows
    sub = (indptr[lo:hi + 1] - indptr[lo], indices[indptr[lo]:indptr[hi]])
    start += lo
    n = len(y)
    units = start + np.arange(hi - lo, dtype=np.int64)
    full_ptr, idx, data, own_ptr = _local_weights(sub, start, n, statistic, transform)
    res = local_randomization(y, full_ptr, idx, data, statistic=statistic, units=units, table=table)
    del full_ptr  # a full-length array: not held while the rest is computed
    out = {"stat": res.statistic, "p": res.p_sim}
    w = sparse.csr_matrix((data, idx, own_ptr), shape=(hi - lo, n))  # the block's rows, in stored order
    if statistic == "moran":
        lag = w @ z
        zu = z[units]
        out.update(z=zu, lag=lag, q=np.where(zu > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3)))
    else:
        total, total_sq, n_all = g_moments  # esda.G_Local.calc's analytical z, operation for operation
        card = np.asarray(w.sum(axis=1)).ravel()
        mean = total / n_all
        mean_sq = total_sq / n_all
        variance = (card * (n_all - card) / (n_all - 1)) * (1 / n_all**2) * ((mean_sq - mean**2) / mean**2)
        out["zs"] = (res.statistic - card / n_all) / np.sqrt(variance)
    return out


def _local_block(cells: dict, status: np.ndarray, pieces: list[dict], statistic: str) -> pd.DataFrame:
    """Return a partition's slices joined, with NaN (quadrant 0) at the cells not tested."""
    used = status == _USED
    out = {}
    for name in _empty_block(statistic).columns:
        vals = np.concatenate([p[name] for p in pieces]) if pieces else np.zeros(0, dtype=int if name == "q" else float)
        col = np.zeros(len(status), dtype=vals.dtype) if name == "q" else np.full(len(status), np.nan)
        col[used] = vals
        out[name] = col
    return pd.DataFrame(out, index=cells["index"])


def _fdr_cutoff(larger_counts: np.ndarray, permutations: int, alpha: float, n: int) -> float:
    """Return esda.fdr's cut-off from the histogram of permutation counts (p = (count + 1)/(R + 1)).

    esda sorts the n p-values in decreasing order and returns ``index * alpha / n`` at the first
    place where p < (n - t)·alpha/n; p takes only R + 1 values, so the first place within a run of
    equal p is its start, and the histogram gives every run: no sort of n values on one machine.
    """
    t = 0
    for count in range(permutations, -1, -1):  # decreasing p
        size = int(larger_counts[count])
        if not size:
            continue
        p = (count + 1.0) / (permutations + 1.0)
        bound = (n - t) * alpha / n
        if p < bound:
            return float(bound)
        t += size
    return alpha / n


def _larger_histogram(block: pd.DataFrame, permutations: int) -> np.ndarray:
    p = block["p"].to_numpy()
    counts = np.rint(p[~np.isnan(p)] * (permutations + 1.0)).astype(np.int64) - 1
    return np.bincount(counts, minlength=permutations + 1)


#: Categories of the label columns (a label a cell, held as a one-byte code, never as a text per cell).
_QUAD_LABELS = tuple(c for c in CLUSTER_ORDER if c != NOT_SIGNIFICANT)
_LABEL_DTYPES = {"quad": pd.CategoricalDtype(_QUAD_LABELS), "cluster": pd.CategoricalDtype(CLUSTER_ORDER),
                 "spot": pd.CategoricalDtype(SPOT_ORDER)}


def _label_column(codes: np.ndarray, kind: str) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, dtype=_LABEL_DTYPES[kind])


def _reason_codes(status: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Return per cell the code of its reason for not being tested (missing, isolated) among ``labels`` (-1: tested)."""
    table = np.array([-1, labels.index(MISSING), labels.index(ISOLATED)], dtype=np.int8)
    return table[status]


def _labels(block: pd.DataFrame, status: np.ndarray, statistic: str, cutoff: float, prefix: str) -> pd.DataFrame:
    """Return the result columns of a partition, named and labelled as yrdgeo.autocorrelation writes them.

    The labels (quadrant, cluster, spot) are categorical columns whose values are the texts
    :mod:`yrdgeo.autocorrelation` writes; codes are set with array operations, not per cell.
    """
    used = status == _USED
    p = block["p"].to_numpy()
    sig = used & (np.nan_to_num(p, nan=1.0) < cutoff)
    if statistic == "moran":
        q = block["q"].to_numpy()
        quads = [QUADRANTS[k] for k in (1, 2, 3, 4)]
        quad_of = np.array([-1, *[_QUAD_LABELS.index(c) for c in quads]], dtype=np.int8)
        cluster_of = np.array([-1, *[CLUSTER_ORDER.index(c) for c in quads]], dtype=np.int8)
        quad = np.where(used, quad_of[q], _reason_codes(status, _QUAD_LABELS))
        cluster = np.where(sig, cluster_of[q], np.where(used, CLUSTER_ORDER.index(NOT_SIGNIFICANT),
                                                        _reason_codes(status, CLUSTER_ORDER)))
        geoda = np.array([GEODA_CODES[c] for c in CLUSTER_ORDER], dtype=np.int64)[cluster]
        out = {f"{prefix}i": block["stat"], f"{prefix}z": block["z"], f"{prefix}lag": block["lag"],
               f"{prefix}p": block["p"], f"{prefix}q": q, f"{prefix}quad": _label_column(quad, "quad"),
               f"{prefix}sig": sig, f"{prefix}cluster": _label_column(cluster, "cluster"), f"{prefix}geoda": geoda}
    else:
        zs = block["zs"].to_numpy()
        hot = np.where(zs > 0, SPOT_ORDER.index(HOT), SPOT_ORDER.index(COLD))
        spot = np.where(sig, hot, np.where(used, SPOT_ORDER.index(NOT_SIGNIFICANT), _reason_codes(status, SPOT_ORDER)))
        out = {f"{prefix}g": block["stat"], f"{prefix}z": block["zs"], f"{prefix}p": block["p"],
               f"{prefix}sig": sig, f"{prefix}spot": _label_column(spot, "spot")}
    return pd.DataFrame(out, index=block.index)


def _label_counts(block: pd.DataFrame, column: str) -> np.ndarray:
    """Return the number of cells of each category of the label ``column``."""
    codes = block[column].cat.codes.to_numpy()
    return np.bincount(codes, minlength=len(block[column].cat.categories))


_LOCAL_COLUMNS = {
    "moran": {"i": "i", "z": "z", "lag": "lag", "p": "p", "q": "q", "quad": "quad", "sig": "sig", "label": "cluster",
              "geoda": "geoda"},
    "g_star": {"g": "g", "z": "z", "p": "p", "sig": "sig", "label": "spot"},
}


def _task_cuts(count: int, size: int) -> list[int]:
    """Return the cuts of ``count`` cells into the fewest tasks of at most ``size`` cells, of (near) equal sizes.

    Equal sizes (not ``size`` cells and a remainder) keep the workers evenly loaded to the end.
    """
    k = max(1, -(-count // size))
    return [count * i // k for i in range(k + 1)]


def _local_tasks(blocks: _Blocks, shared: tuple, statistic: str, transform: str, moments: tuple | None,
                 block_cells: int) -> list:
    """Return per partition the task of its tested cells (numbers a column, NaN elsewhere), slices of the cells."""
    d = dask.delayed
    raw = []
    for c, s, r, st, count in zip(blocks.cells, blocks.status, blocks.rows, blocks.starts, blocks.counts):
        cuts = _task_cuts(int(count), block_cells)
        pieces = [d(_local_slice)(r, int(st), lo, hi, shared[0], shared[1], statistic, transform, moments, shared[2])
                  for lo, hi in zip(cuts[:-1], cuts[1:]) if hi > lo]
        raw.append(d(_local_block)(c, s, pieces, statistic))
    return raw


def _local(statistic: str, grid: Any, column: str, *, frame: Any, method: str, transform: str, permutations: int,
           seed: int | None, alpha: float, correction: str, missing: str, prefix: str,
           block_cells: int | None, draws: str) -> GridLocalResult:
    """Return the GridLocalResult of ``statistic`` ("moran" or "g_star") over the grid's blocks."""
    from ..autocorrelation.permutation import permutation_table, standardised

    perms = check_integer("permutations", permutations)
    if block_cells is not None:
        block_cells = check_integer("block_cells", block_cells)
    check_choice("draws", draws, DRAWS)
    check_number("alpha", alpha, maximum=1)
    check_choice("correction", correction, CORRECTIONS)
    what = "local Moran" if statistic == "moran" else "Gi*"
    blocks = _blocks(grid, frame, [column], method=method, transform=transform, missing=missing, what=what)
    n = blocks.n
    if n < MIN_UNITS:
        msg = f"{what} needs at least {MIN_UNITS} cells with values and neighbours; only {n} remain"
        raise ValueError(msg)
    (y,), cards = blocks.values, blocks.cards
    if np.ptp(y) == 0:
        msg = (f"column {column!r} has the same value ({y[0]:g}) for every cell used; spatial autocorrelation is "
               "undefined for a constant")
        raise ValueError(msg)
    if statistic == "g_star" and y.min() < 0:
        msg = (f"Gi* assumes non-negative values, but {column!r} has a minimum of {y.min():g}; use Moran "
               "statistics for signed data such as a change")
        raise ValueError(msg)
    if seed is None:  # as esda: a seed from numpy's global generator
        seed_used = int(np.random.randint(12345, 12345000))
    else:
        seed_used = seed
    max_card = int(cards.max())
    if draws == "esda":
        table = permutation_table(n, max_card, perms, seed_used)
    else:  # the same kind of table (k distinct ids of 0 … n-2 a row, uniform), O(k) a row instead of O(n)
        rng = np.random.default_rng(seed_used)
        table = np.stack([rng.choice(n - 1, size=max_card, replace=False) for _ in range(perms)]).astype(np.int64)
    moments = (y.sum(), (y**2).sum(), n) if statistic == "g_star" else None
    if block_cells is None:  # each task also pays O(n) set-up (full-length arrays): a few dozen tasks at most
        block_cells = max(BLOCK_CELLS, -(-n // _LOCAL_TASKS))
    shared = (_shared(y), _shared(table), _shared(standardised(y)) if statistic == "moran" else None)
    raw = _local_tasks(blocks, shared, statistic, transform, moments, block_cells)
    if correction == "fdr":  # the cut-off needs every p first
        (raw,) = dask.persist(raw)
        hist = np.sum(dask.compute(*[dask.delayed(_larger_histogram)(b, perms) for b in raw]), axis=0)
        cutoff = _fdr_cutoff(hist, perms, alpha, n)
    else:  # known now: the labels are made in the same tasks' wake, nothing kept in between
        cutoff = alpha / n if correction == "bonferroni" else alpha
    labelled = [dask.delayed(_labels)(b, s, statistic, cutoff, prefix) for b, s in zip(raw, blocks.status)]
    (labelled,) = dask.persist(labelled)
    n_missing, n_isolated = blocks.n_missing, blocks.n_isolated
    # dropped here, the cells, weights, values and raw numbers of the blocks are released by the scheduler as
    # soon as the labels that read them are done (only the labels stay on the cluster)
    del blocks, raw, shared
    cols = {role: f"{prefix}{name}" for role, name in _LOCAL_COLUMNS[statistic].items()}
    order = CLUSTER_ORDER if statistic == "moran" else SPOT_ORDER
    totals = np.sum(dask.compute(*[dask.delayed(_label_counts)(b, cols["label"]) for b in labelled]), axis=0)
    counts = pd.Series(totals.astype(np.int64), index=pd.Index(list(order), name=cols["label"]), name="count")
    import dask.dataframe as dd

    source, _ = _frame_and_ncols(grid, frame)
    meta = _labels(_empty_block(statistic), np.zeros(0, dtype=np.int8), statistic, cutoff, prefix)
    result = dd.from_delayed(labelled, meta=meta, divisions=source.divisions if source.known_divisions else None,
                             verify_meta=False)
    out = dd.map_partitions(with_columns, source, result, align_dataframes=False)
    return GridLocalResult(frame=out, statistic="local_moran" if statistic == "moran" else "gi_star", column=column,
                           columns=cols, permutations=perms, seed=seed, alpha=alpha, correction=correction,
                           cutoff=cutoff, n=n, counts=counts, n_missing=n_missing,
                           n_isolated=n_isolated, method=method, transform=transform)


def _empty_block(statistic: str) -> pd.DataFrame:
    cols = {"stat": [], "p": [], "z": [], "lag": [], "q": np.zeros(0, dtype=int)} if statistic == "moran" else {
        "stat": [], "p": [], "zs": []}
    return pd.DataFrame({k: np.asarray(v, dtype=float) if not isinstance(v, np.ndarray) else v
                         for k, v in cols.items()}, index=pd.Index([], dtype="int64"))


def local_moran(
    grid: Any,
    column: str,
    *,
    frame: Any = None,
    method: str = "queen",
    transform: str = "r",
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
    correction: str = "none",
    missing: str = "error",
    prefix: str = "lisa_",
    block_cells: int | None = None,
    draws: str = "esda",
) -> GridLocalResult:
    """Return local Moran's I (LISA) of a grid column with conditional permutations run over blocks of cells.

    Parameters
    ----------
    grid, column, frame, method, transform, missing
        As :func:`moran`.
    permutations, seed, alpha, correction, prefix
        As :func:`yrdgeo.autocorrelation.local_moran`. The permutation table is drawn once from
        ``seed`` (as esda draws it), sent with the values to each worker once, and every block of
        cells is one task.
    block_cells
        Cells per task at most (a partition's cells are cut into tasks of equal size, so two
        workers share the work evenly whatever the band sizes). Default: :data:`BLOCK_CELLS`, or
        more on large grids so that a run has at most 64 tasks (each task also sets up arrays of
        every cell's length). The numbers do not depend on it.
    draws
        How the permutation table is drawn from ``seed``. ``"esda"`` (default): esda's own calls
        (``RandomState(seed).choice(n - 1, k, replace=False)`` a row), so the numbers equal the
        in-memory path; each row shuffles all n cells, one after the other on the client (~26 s
        for 999 rows at 1 km), which no number of workers shortens. ``"fast"``: the same kind of
        table (k distinct cells a row, uniformly) from ``numpy.random.default_rng(seed)``, a few
        microseconds a row: reproducible for a seed and as valid a test, but other pseudo
        p-values than esda's (docs/grid.md).

    Returns
    -------
    GridLocalResult
        ``frame`` gains the columns of :func:`yrdgeo.autocorrelation.local_moran` (``{prefix}i``,
        ``z``, ``lag``, ``p``, ``q``, ``quad``, ``sig``, ``cluster``, ``geoda``), equal to it on the
        same cells with contiguity weights and the same seed (bit for bit: the blocks run esda's
        arithmetic through :mod:`yrdgeo.autocorrelation.permutation`). The labels ``quad`` and
        ``cluster`` hold the same texts as a pandas categorical (one byte a cell instead of a
        string; categories in :data:`yrdgeo.autocorrelation.CLUSTER_ORDER`).
    """
    return _local("moran", grid, column, frame=frame, method=method, transform=transform, permutations=permutations,
                  seed=seed, alpha=alpha, correction=correction, missing=missing, prefix=prefix,
                  block_cells=block_cells, draws=draws)


def gi_star(
    grid: Any,
    column: str,
    *,
    frame: Any = None,
    method: str = "queen",
    transform: str = "r",
    permutations: int = 999,
    seed: int | None = None,
    alpha: float = 0.05,
    correction: str = "none",
    missing: str = "error",
    prefix: str = "gi_",
    block_cells: int | None = None,
    draws: str = "esda",
) -> GridLocalResult:
    """Return Getis-Ord Gi* hot and cold spots of a non-negative grid column, over blocks of cells.

    The cell itself is included as :func:`yrdgeo.autocorrelation.gi_star` includes a unit (esda's
    convention: with row-standardised weights it counts as one more neighbour). Parameters as
    :func:`local_moran`.

    Returns
    -------
    GridLocalResult
        ``frame`` gains ``{prefix}g``, ``z`` (analytical), ``p`` (pseudo), ``sig`` and ``spot`` (a
        categorical of the texts), equal to :func:`yrdgeo.autocorrelation.gi_star` on the same cells
        and seed.
    """
    return _local("g_star", grid, column, frame=frame, method=method, transform=transform, permutations=permutations,
                  seed=seed, alpha=alpha, correction=correction, missing=missing, prefix=prefix,
                  block_cells=block_cells, draws=draws)
