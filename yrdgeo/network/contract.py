"""Contraction of degree-2 chains in a travel-time graph, with exact times restored at the removed nodes.

A road graph read from OpenStreetMap keeps a node wherever a way bends: most of its
nodes have exactly two neighbours and no choice to make. :func:`contract_chains`
removes every such node (a *chain* node: two distinct neighbours, no self-loop, not
kept by the caller) and joins the chain's two ends by one edge per direction whose
weight is the chain's time summed node after node. A shortest-path search on the
smaller graph gives every kept node's time; :meth:`Contraction.restore` gives a
chain node's time from its chain's ends, ``min(t(a) + time a → node, t(b) + time b → node)``,
added step by step in the order a search on the whole graph adds them, so a chain node's
time is bit-identical to the full search's *given* the ends' times.

The ends' times themselves may differ from a search on the whole graph in the last
bits: the search adds a chain as one number (``t(a) + (w1 + w2 + …)``), the full search
edge by edge (``((t(a) + w1) + w2) + …``). The difference is a few units in the last
place of a float64 (at most 5.4e-15 relative measured by ``benchmarks/bench_od_matrix.py --bends 0.6``
on 10k, 100k and 1M nodes; ``tests/test_od_parallel.py`` allows 1e-12),
far below any meaningful travel time, but not zero: callers that need bit-identical
times search the whole graph (the default of :func:`yrdgeo.network.shortest_times`).

Why no contraction on top of scipy can be bit-identical: the full search reaches a chain's far
end through ``x ↦ ((x + w1) + w2) + …``, and that map is not ``x ↦ x + W`` for any one number
``W`` — with ``w1 = w2 = 2**-53`` it takes 1 to 1 but 0 to ``2**-52``, so no edge weight of the
smaller graph gives both — while :func:`scipy.sparse.csgraph.dijkstra` adds one number per edge.
Checking a contracted search and repairing it would not pay either: on the OSM-like benchmark
graph (62% bends, 100k nodes) 89% of the nodes' times differ in the last bits, in every row,
and a repair spreads from the source outwards. Exact alternatives — a search that walks chains
edge by edge, or times that add exactly (every weight a multiple of a power of two, totals below
2**53) — need compiled code of our own or weights that road data do not have.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

#: Share of contractible nodes from which ``contract="auto"`` contracts (below it the smaller search
#: does not repay building the smaller graph).
CONTRACT_MIN_SHARE = 0.2


@dataclass(frozen=True)
class Contraction:
    """A graph with its degree-2 chains contracted, and what is needed to restore times inside them.

    Attributes
    ----------
    graph
        The contracted graph (CSR, float64) over the kept nodes, in the order of ``kept``.
    kept
        Original node of each node of ``graph``.
    index
        Position in ``graph`` of each original node; -1 for a contracted (chain) node.
    chain_nodes
        The contracted nodes, chain after chain, each chain in order from its end ``a`` to its end ``b``.
    chain_start
        Where each chain begins in ``chain_nodes`` (one more entry: the total).
    chain_ends
        Original nodes ``a`` and ``b`` of each chain (n_chains × 2; ``a == b`` for a loop).
    into_forward, into_backward
        For each entry of ``chain_nodes``: the weight of the edge into it from the previous node
        (``a`` for the first) and from the next node (``b`` for the last); ``inf`` when there is none.
    """

    graph: sparse.csr_matrix
    kept: np.ndarray
    index: np.ndarray
    chain_nodes: np.ndarray
    chain_start: np.ndarray
    chain_ends: np.ndarray
    into_forward: np.ndarray
    into_backward: np.ndarray

    @property
    def n_contracted(self) -> int:
        """Return how many nodes were removed."""
        return len(self.chain_nodes)

    def restore(self, times: np.ndarray, columns: np.ndarray, nodes: np.ndarray, *,
                limit: float | None = None) -> np.ndarray:
        """Return the times (rows × len(nodes)) at original ``nodes`` from a search on :attr:`graph`.

        Parameters
        ----------
        times
            Times found by a search on :attr:`graph`, one row per source, one column per original node in
            ``columns``; ``columns`` must hold every kept node of ``nodes`` and both ends of the chain of
            every contracted node of ``nodes`` (:meth:`columns_for` returns such a set).
        columns
            Original node of each column of ``times``.
        nodes
            The original nodes wanted, kept or contracted; only the chains holding one of them are restored.
        limit
            The search's limit: a restored time above it is ``inf``, as the search reports it.
        """
        times = np.asarray(times, dtype=np.float64)
        nodes = np.asarray(nodes, dtype=np.int64)
        col_of = np.full(len(self.index), -1, dtype=np.int64)
        col_of[np.asarray(columns, dtype=np.int64)] = np.arange(len(columns))
        out = np.empty((times.shape[0], len(nodes)))
        direct = self.index[nodes] >= 0
        wanted = nodes[~direct]
        chain_of, position = self._chain_positions()
        chains = np.unique(chain_of[wanted])
        ends = self.chain_ends[chains]
        if (col_of[nodes[direct]] < 0).any() or (col_of[ends] < 0).any():
            msg = ("restore needs a column for every kept node asked for and for both ends of the chain of every "
                   "contracted one (Contraction.columns_for returns them)")
            raise ValueError(msg)
        out[:, direct] = times[:, col_of[nodes[direct]]]
        if not len(wanted):
            return out
        start, length = self.chain_start[chains], np.diff(self.chain_start)[chains]
        # t(a) + weight into each node, node after node, as the full search adds them; the same from b
        best = _accumulate(times[:, col_of[ends[:, 0]]], self.into_forward, start, length, reverse=False)
        back = _accumulate(times[:, col_of[ends[:, 1]]], self.into_backward, start, length, reverse=True)
        np.minimum(best, back, out=best)
        if limit is not None:
            best[best > limit] = np.inf
        slot = np.full(len(self.chain_ends), -1, dtype=np.int64)
        slot[chains] = np.arange(len(chains))
        offset = np.concatenate([[0], np.cumsum(length)])
        out[:, ~direct] = best[:, offset[slot[chain_of[wanted]]] + position[wanted]]
        return out

    def columns_for(self, nodes: np.ndarray) -> np.ndarray:
        """Return the original nodes a search on :attr:`graph` must report to restore ``nodes`` (sorted, unique)."""
        nodes = np.asarray(nodes, dtype=np.int64)
        direct = self.index[nodes] >= 0
        chain_of, _ = self._chain_positions()
        return np.unique(np.concatenate([nodes[direct], self.chain_ends[chain_of[nodes[~direct]]].ravel()]))

    def _chain_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Return, for every original node, its chain and its position in the chain (-1 for kept nodes)."""
        n = len(self.index)
        chain_of = np.full(n, -1, dtype=np.int64)
        position = np.full(n, -1, dtype=np.int64)
        length = np.diff(self.chain_start)
        chain_of[self.chain_nodes] = np.repeat(np.arange(len(length)), length)
        position[self.chain_nodes] = np.arange(len(self.chain_nodes)) - np.repeat(self.chain_start[:-1], length)
        return chain_of, position


def contract_chains(graph: sparse.spmatrix, *, keep: np.ndarray | None = None) -> Contraction:
    """Return ``graph`` with its degree-2 chains contracted (see the module's description).

    Parameters
    ----------
    graph
        A square sparse travel-time graph (explicit entries are edges, as for
        :func:`scipy.sparse.csgraph.dijkstra`; duplicate entries keep the smallest weight).
    keep
        Nodes never contracted (the sources of a search must be kept).

    Returns
    -------
    Contraction
    """
    g = _canonical(graph)
    n = g.shape[0]
    rows, cols, und, chain = _candidates(g)
    degree = np.diff(und.indptr)
    if keep is not None:
        chain[np.asarray(keep, dtype=np.int64)] = False
    # each chain node's two neighbours (read for chain nodes only)
    nb1 = np.zeros(n, dtype=np.int64)
    nb2 = np.zeros(n, dtype=np.int64)
    at = und.indptr[:-1][degree == 2]
    nb1[degree == 2], nb2[degree == 2] = und.indices[at], und.indices[at + 1]
    # chains are the connected groups of chain nodes; a ring of them has no end: its first node is kept, and
    # the ring becomes a chain from that node back to it
    label = np.full(n, -1, dtype=np.int64)
    members = np.flatnonzero(chain)
    if len(members):
        label = csgraph.connected_components(_adjacency(chain, nb1, nb2), directed=False)[1]
        has_end = np.zeros(n, bool)
        has_end[label[members[~chain[nb1[members]] | ~chain[nb2[members]]]]] = True
        ring_first = np.full(n, -1, dtype=np.int64)
        ring_first[label[members[::-1]]] = members[::-1]
        rings = np.unique(label[members][~has_end[label[members]]])
        chain[ring_first[rings]] = False
    chain_nodes, chain_start, ends = _walk(chain, nb1, nb2, label)
    into_forward, into_backward, out_a, out_b = _chain_weights(g, chain_nodes, chain_start, ends)
    # the chain's edges a → b and b → a, summed node after node; a loop (a == b) is no shortcut
    start, length = chain_start[:-1], np.diff(chain_start)
    zero = np.zeros((1, len(length)))
    fwd = _accumulate(zero, into_forward, start, length, reverse=False)[0, chain_start[1:] - 1] + out_b
    bwd = _accumulate(zero, into_backward, start, length, reverse=True)[0, start] + out_a
    old = ~(chain[rows] | chain[cols])
    r = np.concatenate([rows[old], ends[:, 0], ends[:, 1]])
    c = np.concatenate([cols[old], ends[:, 1], ends[:, 0]])
    w = np.concatenate([g.data[old], fwd, bwd])
    ok = np.isfinite(w)
    ok[old.sum():] &= r[old.sum():] != c[old.sum():]
    kept = np.flatnonzero(~chain)
    index = np.full(n, -1, dtype=np.int64)
    index[kept] = np.arange(len(kept))
    small = _min_csr(index[r[ok]], index[c[ok]], w[ok], len(kept))
    return Contraction(small, kept, index, chain_nodes, chain_start, ends, into_forward, into_backward)


def contractible_share(graph: sparse.spmatrix) -> float:
    """Return the share of nodes with exactly two distinct neighbours and no self-loop (about what contraction removes)."""
    chain = _candidates(_canonical(graph))[3]
    return float(chain.mean()) if len(chain) else 0.0


def _candidates(g: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix, np.ndarray]:
    """Return each edge's row and column, the undirected neighbour pattern, and which nodes may be chain nodes."""
    n = g.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(g.indptr))
    cols = g.indices.astype(np.int64)
    loop = rows == cols
    both = ~loop
    und = sparse.csr_matrix((np.ones(2 * both.sum(), dtype=np.int8),
                             (np.concatenate([rows[both], cols[both]]), np.concatenate([cols[both], rows[both]]))),
                            shape=(n, n))
    und.sum_duplicates()
    chain = np.diff(und.indptr) == 2
    chain[rows[loop]] = False
    return rows, cols, und, chain


def _accumulate(first: np.ndarray, weights: np.ndarray, start: np.ndarray, length: np.ndarray, *,
                reverse: bool) -> np.ndarray:
    """Return running sums along chains: ``first`` (rows × chains) plus ``weights`` entry after entry.

    Column ``offset[i] + j`` of the result holds chain ``i``'s value at its ``j``-th entry; the sum runs from
    the chain's first entry (``reverse=False``) or from its last (``reverse=True``), one addition per entry.
    """
    offset = np.concatenate([[0], np.cumsum(length)])
    out = np.empty((first.shape[0], offset[-1]))
    value = first.copy()
    for step in range(int(length.max()) if len(length) else 0):
        on = np.flatnonzero(length > step)
        at = length[on] - 1 - step if reverse else np.full(len(on), step)
        value[:, on] += weights[start[on] + at]
        out[:, offset[on] + at] = value[:, on]
    return out


def _walk(chain: np.ndarray, nb1: np.ndarray, nb2: np.ndarray,
          label: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the chain nodes in chain order, where each chain starts (plus the total) and its ends (a, b).

    All chains are walked at once, one node per step, from a chain node next to a kept node.
    """
    members = np.flatnonzero(chain)
    at_end = members[~chain[nb1[members]] | ~chain[nb2[members]]]
    if not len(at_end):
        return np.empty(0, np.int64), np.zeros(1, np.int64), np.empty((0, 2), np.int64)
    # one start per chain: its end node of smallest id (a chain of one node touches kept nodes on both sides)
    _, first = np.unique(label[at_end], return_index=True)
    cur = at_end[first]
    a = np.where(~chain[nb1[cur]], nb1[cur], nb2[cur])
    n_chains = len(cur)
    b = np.empty(n_chains, np.int64)
    which = np.arange(n_chains)
    prev = a.copy()
    found_node, found_chain, found_pos = [], [], []
    step = 0
    while len(cur):
        found_node.append(cur)
        found_chain.append(which)
        found_pos.append(np.full(len(cur), step))
        nxt = np.where(nb1[cur] == prev, nb2[cur], nb1[cur])
        go = chain[nxt]
        b[which[~go]] = nxt[~go]
        prev, cur, which = cur[go], nxt[go], which[go]
        step += 1
    node, chain_id, pos = (np.concatenate(x) for x in (found_node, found_chain, found_pos))
    order = np.lexsort((pos, chain_id))
    start = np.concatenate([[0], np.cumsum(np.bincount(chain_id, minlength=n_chains))])
    return node[order], start, np.column_stack([a, b])


def _adjacency(chain: np.ndarray, nb1: np.ndarray, nb2: np.ndarray) -> sparse.csr_matrix:
    """Return the links between chain nodes (n × n; every other node isolated)."""
    n = len(chain)
    members = np.flatnonzero(chain)
    r = np.concatenate([members, members])
    c = np.concatenate([nb1[members], nb2[members]])
    r, c = r[chain[c]], c[chain[c]]
    return sparse.csr_matrix((np.ones(len(r), np.int8), (r, c)), shape=(n, n))


def _chain_weights(g: sparse.csr_matrix, nodes: np.ndarray, start: np.ndarray,
                   ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the weights into each chain node from before and from after it, and out of each chain at a and b."""
    first, last = start[:-1], start[1:] - 1
    before = np.empty(len(nodes), np.int64)
    after = np.empty(len(nodes), np.int64)
    before[1:], after[:-1] = nodes[:-1], nodes[1:]
    before[first], after[last] = ends[:, 0], ends[:, 1]
    return (_edge_weights(g, before, nodes), _edge_weights(g, after, nodes),
            _edge_weights(g, nodes[first], ends[:, 0]), _edge_weights(g, nodes[last], ends[:, 1]))


def _edge_weights(g: sparse.csr_matrix, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the weight of each edge x → y of a canonical CSR graph (``inf`` where there is none)."""
    n = g.shape[0]
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(g.indptr)) * n + g.indices
    want = x.astype(np.int64) * n + y
    at = np.minimum(np.searchsorted(keys, want), max(len(keys) - 1, 0))
    found = (keys[at] == want) if len(keys) else np.zeros(len(want), bool)
    return np.where(found, g.data[at] if len(keys) else 0.0, np.inf)


def _canonical(graph: sparse.spmatrix) -> sparse.csr_matrix:
    """Return the graph as float64 CSR with sorted indices and no duplicate entries (the smallest weight kept)."""
    if graph.ndim != 2 or graph.shape[0] != graph.shape[1]:
        msg = f"a travel-time graph must be a square sparse matrix, got shape {graph.shape}"
        raise ValueError(msg)
    g = sparse.csr_matrix(graph)
    if g.has_canonical_format:
        return g.astype(np.float64, copy=False)
    coo = g.tocoo()
    return _min_csr(coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float64), g.shape[0])


def _min_csr(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, n: int) -> sparse.csr_matrix:
    """Return an n × n CSR matrix of the edges, the smallest weight kept for a repeated (row, col)."""
    order = np.lexsort((weights, cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    first = np.ones(len(rows), bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return sparse.csr_matrix((weights[first], (rows[first], cols[first])), shape=(n, n))
