"""Where independent solves run: in this process, in a pool of processes, or on a Dask cluster.

Every executor has one method, ``map(fn, items, per_worker=PER_WORKER) -> list`` (results in the order of
``items``).
Work is sent in about ``per_worker`` batches per worker (``batches``), so that the cost of sending a task does
not outweigh a county's few milliseconds of solving; items that take seconds each go in more, smaller batches.
The functions sent must be importable top-level functions (``planner.model.part.solve_part``).
Dask distributed is the cluster engine: ``DaskExecutor("tcp://host:8786")`` runs the same batches on the
cluster's workers; nothing here schedules work of its own.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol

EXECUTORS = ("auto", "serial", "process", "dask")
SERIAL_BELOW = 2  # tasks are batches of parts: one batch runs in-process, two or more in the pool
PER_WORKER = 8  # batches per worker unless the caller asks for more (``map(..., per_worker=)``)


class Executor(Protocol):
    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], per_worker: int = PER_WORKER) -> list[Any]: ...


def batches(items: Sequence[Any], workers: int, per_worker: int = PER_WORKER) -> list[list[Any]]:
    """About ``per_worker`` batches per worker, item i in batch i mod n: few enough batches to amortise the
    cost of sending one, enough to balance uneven work, and items listed hardest first spread over all of
    them (``unbatch`` puts the answers back in order)."""
    n = max(1, min(len(items), workers * per_worker))
    return [list(items[k::n]) for k in range(n)]


def unbatch(answers: Sequence[Sequence[Any]], n_items: int) -> list[Any]:
    """The answers of ``batches(items, ...)``, batch by batch, back in the order of ``items``."""
    out: list[Any] = [None] * n_items
    for k, chunk in enumerate(answers):
        out[k::len(answers)] = chunk
    return out


def run_batch(fn: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    """What a worker runs: one batch, in order."""
    return [fn(item) for item in batch]


def _fresh_worker() -> None:
    """A forked worker makes its own solver instead of using its copy of the parent's."""
    from planner.model.backend import forget_solver

    forget_solver()


class SerialExecutor:
    """In this process, one after another (small plans: no start-up cost at all)."""

    workers = 1

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], per_worker: int = PER_WORKER) -> list[Any]:
        return [fn(item) for item in items]


class ProcessExecutor:
    """A pool of worker processes on this machine, started once and reused."""

    _pools: dict[int, ProcessPoolExecutor] = {}
    _lock = threading.Lock()

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            pool = self._pools.get(self.workers)
            if pool is None:
                if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
                    # a single-threaded parent (the CLI, a batch script): fork is safe and starts workers in
                    # milliseconds, where a forkserver takes a third of a second to import the solver
                    ctx = multiprocessing.get_context("fork")
                else:
                    # forkserver: safe from threaded parents (the app), workers start with the solver imported
                    ctx = multiprocessing.get_context("forkserver")
                    ctx.set_forkserver_preload(["planner.model.part"])
                pool = self._pools[self.workers] = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                                                       initializer=_fresh_worker)
            return pool

    def start(self) -> None:
        """Start the worker processes now rather than at the first map (before a thread of one's own starts,
        so that they are forked)."""
        if self.workers > 1:
            for f in [self._pool().submit(os.getpid) for _ in range(self.workers)]:
                f.result()

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], per_worker: int = PER_WORKER) -> list[Any]:
        if len(items) < SERIAL_BELOW or self.workers == 1:
            return SerialExecutor().map(fn, items)
        chunks = batches(items, self.workers, per_worker)
        futures = [self._pool().submit(run_batch, fn, chunk) for chunk in chunks]
        return unbatch([f.result() for f in futures], len(items))

    @classmethod
    def shutdown(cls) -> None:
        with cls._lock:
            for pool in cls._pools.values():
                pool.shutdown(cancel_futures=True)
            cls._pools.clear()


class DaskExecutor:
    """A Dask distributed cluster (``dask-scheduler`` + ``dask-worker``s, or a ``LocalCluster``)."""

    def __init__(self, scheduler: str | Any):
        from distributed import Client

        self.client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        self.workers = max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], per_worker: int = PER_WORKER) -> list[Any]:
        if not items:
            return []
        chunks = batches(items, self.workers, per_worker)
        futures = self.client.map(run_batch, [fn] * len(chunks), chunks, pure=False)
        return unbatch(self.client.gather(futures), len(items))


def make_executor(kind: str = "auto", scheduler: str | None = None, workers: int | None = None) -> Executor:
    """``auto``: a process pool on a machine with more than one core (small jobs still run in-process),
    ``serial``, ``process``, or ``dask`` (needs ``scheduler``, e.g. tcp://127.0.0.1:8786)."""
    if kind == "dask":
        if not scheduler:
            raise ValueError("the dask executor needs a scheduler address (--scheduler tcp://host:8786)")
        return DaskExecutor(scheduler)
    if kind == "serial" or (kind == "auto" and (workers or os.cpu_count() or 1) == 1):
        return SerialExecutor()
    if kind in ("process", "auto"):
        return ProcessExecutor(workers)
    raise ValueError(f"unknown executor {kind!r}; use one of {EXECUTORS}")
