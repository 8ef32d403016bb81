"""Many-source shortest travel times on a sparse graph: serial, or on several cores, with optional chain contraction.

:func:`shortest_times` is the engine behind :func:`yrdgeo.accessibility.od_matrix`:
:func:`scipy.sparse.csgraph.dijkstra` from each source, the rows cut to the targets,
in chunks that bound memory (:data:`CHUNK_BYTES`).

``n_jobs > 1`` splits the sources over a pool of processes (scipy's Dijkstra holds
the GIL, so threads would not help). The graph's three CSR arrays, the sources,
the targets and the result are placed once in :mod:`multiprocessing.shared_memory`;
each worker attaches them when it starts, so no task pickles the graph, and each
writes its rows straight into the shared result. Every source's search is the
same computation as in the serial engine, so the times are bit-identical for any
``n_jobs``. The shared segments (named ``yrdgeo_sp_…``) are removed when the call
ends, whether it succeeds or not; a failure in a worker is raised as a
:class:`RuntimeError` that names it. Workers start with ``fork`` where the
platform has it (no re-import) and ``spawn`` elsewhere; ``start_method`` chooses.

``contract=True`` searches the graph with its degree-2 chains contracted
(:func:`yrdgeo.network.contract_chains`): worth it on road graphs that keep a
node at every bend (an OpenStreetMap extract before simplification), where most
nodes have two neighbours. Times agree with the full search to a few units in the
last place (see :mod:`yrdgeo.network.contract`), not bit for bit; ``"auto"``
contracts only when at least :data:`~yrdgeo.network.contract.CONTRACT_MIN_SHARE`
of the nodes can go. The default (``contract=False``, ``n_jobs=1``) is the plain
serial search.

``order`` lays the graph out in memory in another node order for the search
(:func:`yrdgeo.network.locality_order`: nodes close on the ground close in the
arrays, which keeps the search's scattered reads in the caches); the times are
bit-identical in any order (see :mod:`yrdgeo.network.layout`) and come back in
the caller's numbering. :func:`yrdgeo.accessibility.od_matrix` passes the Hilbert
order of the nodes' coordinates.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import shared_memory

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from ..checks import check_choice, check_integer
from .contract import CONTRACT_MIN_SHARE, contract_chains, contractible_share
from .layout import check_permutation, permute

#: Bytes of distance rows computed per Dijkstra call (bounds memory on large graphs; per worker with n_jobs > 1).
CHUNK_BYTES = 256 * 2**20
#: What ``contract=`` accepts.
CONTRACT_CHOICES = (False, True, "auto")
#: Prefix of the shared-memory segments of a parallel search (``/dev/shm/yrdgeo_sp_…`` on Linux).
SHARED_PREFIX = "yrdgeo_sp_"
#: How many tasks per worker the sources are split into (small tasks balance the load between workers).
TASKS_PER_JOB = 4
#: Below this many edge scans (sources × edges) the search stays in this process whatever ``n_jobs`` says:
#: starting workers and sharing the graph would cost more than the search (measured: 300 sources on a
#: 10k-node road lattice, about 1e7, run twice as slow in two processes as in one).
MIN_PARALLEL_WORK = 5e7
#: From this many sources a caller's Hilbert layout (``order``) repays computing it: ordering and renumbering
#: 1M nodes cost about as much as one or two searches, and the laid-out searches are 10–15% cheaper.
LAYOUT_MIN_SOURCES = 16


def shortest_times(
    graph: sparse.spmatrix,
    sources: np.ndarray,
    targets: np.ndarray | None = None,
    *,
    limit: float | None = None,
    n_jobs: int = 1,
    contract: bool | str = False,
    start_method: str | None = None,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """Return the len(sources) × len(targets) matrix of shortest times (``inf`` = not reached).

    Parameters
    ----------
    graph
        Square sparse graph of non-negative travel times (explicit entries are edges).
    sources
        Source nodes, one row each.
    targets
        Target nodes, one column each; None: every node.
    limit
        Stop each search at this time; farther targets are ``inf``.
    n_jobs
        Processes to use: 1 (default) searches in this process; -1 uses every core this process may run on.
        A small search (fewer than :data:`MIN_PARALLEL_WORK` sources × edges) stays in this process.
    contract
        Search with degree-2 chains contracted (True), only when enough nodes can be contracted (``"auto"``),
        or never (False, default; see the module's description for what it changes).
    start_method
        ``"fork"``, ``"spawn"`` or ``"forkserver"`` for the worker processes; None: ``fork`` where available.
    order
        A permutation of the nodes (new position → node, e.g. :func:`yrdgeo.network.locality_order` of their
        coordinates) to lay the graph out in for the search; None: as numbered. Same times either way.

    Returns
    -------
    numpy.ndarray
    """
    check_choice("contract", contract, CONTRACT_CHOICES)
    jobs = _jobs(n_jobs)
    if start_method is not None:
        check_choice("start_method", start_method, multiprocessing.get_all_start_methods())
    graph = sparse.csr_matrix(graph).astype(np.float64, copy=False)
    sources = np.asarray(sources, dtype=np.int64).ravel()
    targets = None if targets is None else np.asarray(targets, dtype=np.int64).ravel()
    n = graph.shape[0]
    for what, nodes in (("sources", sources), ("targets", targets)):
        if nodes is not None and len(nodes) and (nodes.min() < 0 or nodes.max() >= n):
            msg = f"{what} must be node positions from 0 to {n - 1} (the graph has {n} nodes), got {nodes.min()}…{nodes.max()}"
            raise ValueError(msg)
    order = None if order is None else check_permutation(order, n)
    if contract == "auto":
        contract = contractible_share(graph) >= CONTRACT_MIN_SHARE
    if not contract:
        return _laid_out(graph, sources, targets, limit, jobs, start_method, order)
    c = contract_chains(graph, keep=sources)
    wanted = np.arange(graph.shape[0]) if targets is None else targets
    columns = c.columns_for(wanted)
    kept_order = None if order is None else _restricted(order, c.kept)
    times = _laid_out(c.graph, c.index[sources], c.index[columns], limit, jobs, start_method, kept_order)
    return c.restore(times, columns, wanted, limit=limit)


def _restricted(order: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Return the positions of ``kept`` (a subgraph's nodes) sorted as ``order`` sorts the whole graph."""
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    return np.argsort(place[kept], kind="stable")


def _laid_out(graph: sparse.csr_matrix, sources: np.ndarray, targets: np.ndarray | None, limit: float | None,
              jobs: int, start_method: str | None, order: np.ndarray | None) -> np.ndarray:
    """Return :func:`_search`'s times, searched on the graph renumbered by ``order`` (None: as it is)."""
    if order is None:
        return _search(graph, sources, targets, limit, jobs, start_method)
    laid, rank = permute(graph, order)
    # every node as a target in the old numbering: the rows come back in the caller's order
    return _search(laid, rank[sources], rank if targets is None else rank[targets], limit, jobs, start_method)


def _jobs(n_jobs: int) -> int:
    """Return the number of processes ``n_jobs`` asks for (-1: every core this process may use)."""
    if n_jobs == -1:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return check_integer("n_jobs", n_jobs)


def _chunk(n_nodes: int) -> int:
    """Return how many sources one Dijkstra call may take within :data:`CHUNK_BYTES`."""
    return max(1, int(CHUNK_BYTES // (8 * max(n_nodes, 1))))


def _search(graph: sparse.csr_matrix, sources: np.ndarray, targets: np.ndarray | None, limit: float | None,
            jobs: int, start_method: str | None) -> np.ndarray:
    """Return the times from ``sources`` to ``targets`` (all nodes if None), serially or in ``jobs`` processes."""
    lim = np.inf if limit is None else float(limit)
    width = graph.shape[0] if targets is None else len(targets)
    if jobs == 1 or len(sources) < 2 or len(sources) * max(graph.nnz, graph.shape[0]) < MIN_PARALLEL_WORK:
        out = np.empty((len(sources), width))
        _fill(graph, sources, targets, lim, out, 0, len(sources))
        return out
    return _parallel(graph, sources, targets, lim, min(jobs, len(sources)), width, start_method)


def _fill(graph: sparse.csr_matrix, sources: np.ndarray, targets: np.ndarray | None, limit: float,
          out: np.ndarray, start: int, stop: int) -> None:
    """Write the rows of ``sources[start:stop]`` into ``out[start:stop]``, a memory-bounded chunk at a time."""
    chunk = _chunk(graph.shape[0])
    for s in range(start, stop, chunk):
        e = min(s + chunk, stop)
        d = csgraph.dijkstra(graph, directed=True, indices=sources[s:e], limit=limit)
        out[s:e] = d if targets is None else d[:, targets]


def _parallel(graph: sparse.csr_matrix, sources: np.ndarray, targets: np.ndarray | None, limit: float, jobs: int,
              width: int, start_method: str | None) -> np.ndarray:
    """Return the times computed by ``jobs`` worker processes over shared memory (see the module's description)."""
    method = start_method or ("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    arrays = {"indptr": graph.indptr, "indices": graph.indices, "data": graph.data, "sources": sources,
              "targets": np.empty(0, np.int64) if targets is None else targets}
    token = f"{SHARED_PREFIX}{os.getpid()}_{secrets.token_hex(4)}_"
    segments: list[shared_memory.SharedMemory] = []
    try:
        spec = {}
        for name, array in [*arrays.items(), ("out", np.empty((0,)))]:
            shape, dtype = ((len(sources), width), np.float64) if name == "out" else (array.shape, array.dtype)
            size = max(1, int(np.prod(shape)) * np.dtype(dtype).itemsize)
            seg = shared_memory.SharedMemory(name=token + name, create=True, size=size)
            segments.append(seg)
            view = np.ndarray(shape, dtype, buffer=seg.buf)
            if name != "out":
                view[...] = array
            spec[name] = (seg.name, shape, np.dtype(dtype).str)
            del view
        spec["n"] = graph.shape[0]
        spec["full"] = targets is None
        # equal tasks, as many for each worker (a whole search from every source costs about the same, so a
        # short last task would leave one worker idle at the end), each within CHUNK_BYTES
        tasks = jobs * max(TASKS_PER_JOB, -(-len(sources) // (_chunk(graph.shape[0]) * jobs)))
        cuts = np.linspace(0, len(sources), min(tasks, len(sources)) + 1).round().astype(int)
        bounds = [(int(s), int(e)) for s, e in zip(cuts[:-1], cuts[1:]) if e > s]
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                                   initializer=_attach, initargs=(spec,))
        try:
            for f in [pool.submit(_task, s, e, limit) for s, e in bounds]:
                f.result()
        except Exception as exc:
            msg = (f"the parallel shortest-path search failed in a worker process ({type(exc).__name__}: {exc}); "
                   "n_jobs=1 runs the same search in this process")
            raise RuntimeError(msg) from exc
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        result = segments[-1]
        return np.ndarray((len(sources), width), np.float64, buffer=result.buf).copy()
    finally:
        for seg in segments:
            try:
                seg.close()
            except BufferError:  # a view still open: the mapping goes with it, the name goes now
                pass
            seg.unlink()


# --------------------------------------------------------------------------- in the worker processes

#: The shared arrays a worker attached (its segments are kept open here for the worker's lifetime).
_WORKER: dict = {}


def _attach(spec: dict) -> None:
    """Attach the shared graph, sources, targets and result (the pool's initializer, once per worker)."""
    for name, value in spec.items():
        if name in ("n", "full"):
            continue
        seg_name, shape, dtype = value
        seg = shared_memory.SharedMemory(name=seg_name)
        _WORKER[name + "_segment"] = seg
        _WORKER[name] = np.ndarray(shape, np.dtype(dtype), buffer=seg.buf)
    n = spec["n"]
    _WORKER["graph"] = sparse.csr_matrix((_WORKER["data"], _WORKER["indices"], _WORKER["indptr"]), shape=(n, n),
                                         copy=False)
    _WORKER["targets_or_all"] = None if spec["full"] else _WORKER["targets"]


def _task(start: int, stop: int, limit: float) -> int:
    """Search from sources ``start:stop`` and write their rows into the shared result; return how many."""
    _fill(_WORKER["graph"], _WORKER["sources"], _WORKER["targets_or_all"], limit, _WORKER["out"], start, stop)
    return stop - start
