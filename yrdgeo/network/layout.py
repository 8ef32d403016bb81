"""Node orders that keep a graph's neighbours close in memory, and the graph laid out in such an order.

A many-source Dijkstra search spends its time in scattered memory reads: every scanned
node reads its edges and updates its neighbours' heap entries (scipy keeps one 56-byte
record per node). When nodes that are close on the ground are close in the arrays, those
reads stay in the caches. A road graph's own numbering rarely does that: OpenStreetMap ids
follow the order in which mappers drew the roads, and a reader that sorts nodes by
coordinates lays them out in thin strips of longitude. :func:`locality_order` sorts nodes
along a Hilbert curve over their coordinates (every stretch of the curve fills a compact
patch of the map); :func:`permute` renumbers a graph in that order.

The order does not change a single bit of the times: for non-negative weights Dijkstra's
result at a node is the least, over the paths to it, of the path's weights added one by one
from the source in path order (adding a non-negative weight with rounding never gives less than
the time added to, and a larger time never gives a smaller sum), and that least value does not
depend on how the nodes are numbered. ``tests/test_od_parallel.py``
checks it bit for bit on shuffled graphs.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

#: Most bits per axis of the Hilbert curve's grid (65,536 × 65,536 cells).
HILBERT_BITS = 16


def locality_order(xy: np.ndarray, *, bits: int | None = None) -> np.ndarray:
    """Return the nodes' positions sorted along a Hilbert curve over their coordinates (new position → node).

    Parameters
    ----------
    xy
        Node coordinates (n × 2), in any planar unit; both axes get one scale, so squares stay square.
        Nodes without finite coordinates go last, in their own order.
    bits
        Bits per axis of the curve's grid; None: enough for about 16 cells per node (at most :data:`HILBERT_BITS`),
        finer than the nodes are spread.

    Returns
    -------
    numpy.ndarray
        A permutation of ``0 … n-1``: ``order[i]`` is the node placed at position ``i``.
    """
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    ok = np.isfinite(xy).all(axis=1)
    if bits is None:
        bits = int(min(HILBERT_BITS, max(1, np.ceil(np.log2(max(len(xy), 1)) / 2) + 2)))
    side = 1 << bits
    key = np.full(len(xy), side * side, dtype=np.int64)  # past every curve position: non-finite nodes go last
    if ok.any():
        p = xy[ok]
        lo = p.min(axis=0)
        span = float(np.ptp(p, axis=0).max()) or 1.0
        q = np.minimum(((p - lo) / span * side).astype(np.int64), side - 1)
        key[ok] = _hilbert(q[:, 0], q[:, 1], bits)
    return np.argsort(key, kind="stable")


def _hilbert(x: np.ndarray, y: np.ndarray, bits: int) -> np.ndarray:
    """Return each cell's distance along the Hilbert curve of a 2**bits grid (x, y: integer cells).

    The classic conversion reads one bit of x and y per level and turns the rest of the square so that
    the curve enters each quadrant where it left the previous one; the turns seen so far are one of four
    (:func:`_tables`), so :data:`_STEP` bits per axis are read at once from a table.
    """
    digits, turns = _TABLES
    x, y = x.astype(np.int64), y.astype(np.int64)
    d = np.zeros(len(x), dtype=np.int64)
    # the first step reads (-bits % _STEP) zero bits above the top one: each of them turns the square over its
    # diagonal, so start turned when they are odd in number, and the curve enters the grid as it should
    turn = np.full(len(x), 2 * ((-bits % _STEP) & 1), dtype=np.int64)
    mask = (1 << _STEP) - 1
    for shift in range(((bits - 1) // _STEP) * _STEP, -1, -_STEP):
        i = (turn << (2 * _STEP)) | (((x >> shift) & mask) << _STEP) | ((y >> shift) & mask)
        d = (d << (2 * _STEP)) | digits[i]
        turn = turns[i]
    return d


def _tables(step: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (curve digits, turn after) for every turn and ``step`` bits of x and y, index ``turn·4^step + x·2^step + y``.

    A turn is (swapped, reflected): the cell's bits are read with x and y exchanged and/or complemented.
    """
    size = 1 << step
    digits = np.zeros(4 * size * size, dtype=np.int64)
    turns = np.zeros(4 * size * size, dtype=np.int64)
    for turn in range(4):
        for xa in range(size):
            for ya in range(size):
                swapped, reflected, d = turn >> 1, turn & 1, 0
                for level in range(step - 1, -1, -1):
                    bx, by = (xa >> level) & 1, (ya >> level) & 1
                    rx, ry = (by, bx) if swapped else (bx, by)
                    rx, ry = rx ^ reflected, ry ^ reflected
                    d = 4 * d + ((3 * rx) ^ ry)
                    if ry == 0:  # the quadrant is turned: mirrored on its diagonal, and on both axes when rx == 1
                        swapped ^= 1
                        reflected ^= rx
                i = (turn * size + xa) * size + ya
                digits[i], turns[i] = d, 2 * swapped + reflected
    return digits, turns


#: Bits per axis read at once by :func:`_hilbert` (tables of 4·4^_STEP entries).
_STEP = 4
_TABLES = _tables(_STEP)


def permute(graph: sparse.spmatrix, order: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Return the graph renumbered so that node ``order[i]`` becomes node ``i``, and each node's new number.

    Every stored entry is kept as it is (explicit zeros and repeated entries included), so a search on the
    renumbered graph sees the same edges.

    Parameters
    ----------
    graph
        Square sparse graph.
    order
        A permutation of the nodes (new position → old node), e.g. from :func:`locality_order`.

    Returns
    -------
    tuple of (scipy.sparse.csr_matrix, numpy.ndarray)
        The renumbered graph, and ``rank`` with ``rank[old] = new``.
    """
    g = sparse.csr_matrix(graph)
    n = g.shape[0]
    order = check_permutation(order, n)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    degree = np.diff(g.indptr)[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=indptr[1:])
    # stored entries of old row order[i], in their order, become new row i
    pos = np.repeat(g.indptr[:-1][order] - indptr[:-1], degree) + np.arange(indptr[-1])
    index_type = np.int32 if n < 2**31 and indptr[-1] < 2**31 else np.int64
    out = sparse.csr_matrix((g.data[pos], rank[g.indices[pos]].astype(index_type), indptr.astype(index_type)),
                            shape=g.shape)
    return out, rank


def check_permutation(order: np.ndarray, n: int) -> np.ndarray:
    """Return ``order`` as an int64 array after checking that it is a permutation of ``0 … n-1``.

    Raises
    ------
    ValueError
        If it is not (wrong length, a node missing, repeated or out of range).
    """
    order = np.asarray(order)
    if order.ndim != 1 or len(order) != n or not np.issubdtype(order.dtype, np.integer):
        msg = f"order must be a permutation of the graph's {n} node positions (integers), got shape {order.shape}"
        raise ValueError(msg)
    order = order.astype(np.int64, copy=False)
    if n and (order.min() < 0 or order.max() >= n or np.bincount(order, minlength=n).max() != 1):
        msg = f"order must hold each node position from 0 to {n - 1} exactly once"
        raise ValueError(msg)
    return order
