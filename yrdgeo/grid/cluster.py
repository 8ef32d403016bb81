"""A dask cluster for grid work: a local one by default, or an existing one given its scheduler address.

Every function of :mod:`yrdgeo.grid` builds dask collections and runs on whatever scheduler is
current, so the same code runs without a client (dask's threads), on :func:`client`'s local
cluster (one process a core) and on any existing ``dask.distributed`` cluster::

    with yrdgeo.grid.client(scheduler="tcp://10.0.0.5:8786"):
        grid = yrdgeo.grid.make_grid(250)
        ...
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator

from ..checks import check_integer, check_number

__all__ = ["SCHEDULER_SCHEMES", "client"]

#: The transports a scheduler address may name (``tcp://host:8786``), as dask.distributed spells them.
SCHEDULER_SCHEMES = ("tcp", "tls", "inproc", "ucx", "ws", "wss")


def _check_address(scheduler: Any) -> str:
    """Return ``scheduler`` when it is an address like ``tcp://host:port``; raise ValueError naming what was given."""
    text = str(scheduler).strip() if isinstance(scheduler, str) else None
    scheme = text.split("://", 1)[0] if text and "://" in text else None
    if scheme not in SCHEDULER_SCHEMES or not text.split("://", 1)[1]:
        msg = (f"scheduler must be a dask scheduler address such as tcp://host:8786 "
               f"(schemes: {', '.join(SCHEDULER_SCHEMES)}), got {scheduler!r}")
        raise ValueError(msg)
    return text


@contextmanager
def client(*, scheduler: str | None = None, workers: int | None = None, memory_limit: str | float | None = None,
           timeout: float = 10.0, dashboard: bool = False) -> Iterator[Any]:
    """Yield a ``distributed.Client`` on an existing cluster or on a new local one; close what was opened.

    Parameters
    ----------
    scheduler
        Address of a running dask scheduler (``tcp://host:port``, as ``dask scheduler`` prints it).
        Its workers, their number and memory are that cluster's own. Default: start a local cluster.
    workers
        Worker processes of the local cluster, one thread each (default: ``os.cpu_count()``).
    memory_limit
        Memory of each local worker: bytes or a text dask reads (``"2GB"``); default dask's share
        of the machine's memory. A worker past it spills to disk, then is restarted.
    timeout
        Seconds to wait for ``scheduler`` before giving up.
    dashboard
        Serve the local cluster's dashboard (on a free port; ``client.dashboard_link`` tells it).

    Raises
    ------
    ValueError
        A malformed address, or ``workers``/``memory_limit`` given with ``scheduler``.
    ConnectionError
        No scheduler answered at ``scheduler`` within ``timeout`` seconds (the message names it).
    """
    import dask
    from distributed import Client, LocalCluster

    timeout = check_number("timeout", timeout, unit="seconds")
    if scheduler is not None:
        address = _check_address(scheduler)
        if workers is not None or memory_limit is not None:
            msg = (f"workers and memory_limit set up a local cluster; the cluster at {address} has its own workers "
                   "(start them with `dask worker ADDRESS --nworkers N --memory-limit M`)")
            raise ValueError(msg)
        try:
            opened = Client(address, timeout=f"{timeout}s")
        except (OSError, TimeoutError) as exc:
            msg = (f"no dask scheduler answered at {address} within {timeout:g} s ({type(exc).__name__}: {exc}); "
                   "check the address and port (`dask scheduler` prints them) and that this machine can reach it")
            raise ConnectionError(msg) from exc
        with opened:
            yield opened
        return
    n = check_integer("workers", workers if workers is not None else (os.cpu_count() or 1))
    if memory_limit is not None and not isinstance(memory_limit, str):
        memory_limit = check_number("memory_limit", memory_limit, unit="bytes")
    # dask's per-worker profiler samples every task's stack each 10 ms: measured here, it made a zonal-statistics
    # block 1.6-2x slower in a worker than in-process on a busy machine. The workers take the config of the
    # moment they start.
    with dask.config.set({"distributed.worker.profile.enabled": False}), \
            LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                      memory_limit=memory_limit if memory_limit is not None else "auto",
                      # the scheduler's HTTP server always starts: on a free port, not on a busy 8787
                      dashboard_address=":0", scheduler_kwargs={"dashboard": bool(dashboard)}) as cluster, \
            Client(cluster) as opened:
        yield opened
