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
import re
import signal
import socket
import struct
import sys
import threading
import time
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


_AT_WORKER_START: list[Callable[[], None]] = []


def at_worker_start(hook: Callable[[], None]) -> None:
    """Run ``hook`` first in every worker process. The layers above register what a forked worker must not
    share with its parent (``planner.model.backend``: its thread's HiGHS instance), so that this module, below
    the model, never imports it."""
    if hook not in _AT_WORKER_START:
        _AT_WORKER_START.append(hook)


def _fresh_worker(parent: int | None = None) -> None:
    """A worker's start: it dies with its parent, and runs the hooks registered with ``at_worker_start`` (the
    model makes its own solver instead of using its copy of the parent's, forked)."""
    die_with_parent(parent)
    for hook in list(_AT_WORKER_START):
        hook()


WATCH_PARENT_S = 1.0  # how often a worker checks that its parent is alive (where no parent-death signal exists)


def die_with_parent(parent: int | None = None) -> None:
    """End this process when ``parent`` (default: the current parent) dies, even by ``kill -9``: without it a
    pool's workers are reparented to init and live on, holding memory, for as long as the machine runs.

    Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (the kernel sends the signal); everywhere, a daemon thread also
    polls the parent's pid (the signal follows the parent *thread*, and a forkserver parent is not the app)."""
    parent = parent or os.getppid()
    first_parent = os.getppid()  # the app under fork; the forkserver (which dies with the app) otherwise
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != first_parent or not _alive(parent):  # the parent died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_PARENT_S)
            if os.getppid() != first_parent or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="planner-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
                                                                       initializer=_fresh_worker,
                                                                       initargs=(os.getpid(),))
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


CONNECT_TIMEOUT_S = 5.0  # a Dask scheduler that does not answer within this is reported, never waited on
MAX_HOST = 253  # characters in a DNS name
MAX_FRAME_BYTES = 1 << 30  # a Dask handshake announcing more than this is not a Dask scheduler (an HTTP server?)
_ADDRESS = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:/\[\]]+))"
                      r":(?P<port>\d{1,5})/?$")


class SchedulerProblem(Exception):
    """A ``--scheduler`` address that is malformed or where no Dask scheduler answers (``zh``, ``en``)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _quote(text: str, limit: int = 80) -> str:
    """A user's value for a message: printable, and cut after ``limit`` characters."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def check_scheduler_address(address: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``tcp://host:port`` or ``tls://host:port`` (IPv6 in brackets); a
    ``SchedulerProblem`` otherwise. Only these two are accepted: ``inproc://`` names a scheduler inside this
    process, ``ucx://`` needs libraries we do not ship, ``http://`` is a dashboard, not a scheduler."""
    text = address.strip()
    shown = _quote(text)
    form_zh = "应为 tcp://主机:端口 或 tls://主机:端口（如 tcp://127.0.0.1:8786）"
    form_en = "expected tcp://host:port or tls://host:port (e.g. tcp://127.0.0.1:8786)"
    m = _ADDRESS.match(text) if len(text) <= MAX_HOST + 20 else None
    if m is None:
        if len(text) > MAX_HOST + 20:
            raise SchedulerProblem(f"调度器地址「{shown}」过长（主机名最多 {MAX_HOST} 个字符）",
                                   f"the scheduler address '{shown}' is too long (a host name has at most "
                                   f"{MAX_HOST} characters)")
        raise SchedulerProblem(f"调度器地址「{shown}」无效：{form_zh}", f"the scheduler address '{shown}' is not "
                               f"valid: {form_en}")
    scheme = m.group("scheme").lower()
    if scheme not in ("tcp", "tls"):
        raise SchedulerProblem(f"调度器地址「{shown}」的协议 {scheme}:// 不受支持：{form_zh}",
                               f"the scheduler address '{shown}' uses {scheme}://, which is not supported: {form_en}")
    port = int(m.group("port"))
    if not 1 <= port <= 65535:
        raise SchedulerProblem(f"调度器地址「{shown}」的端口 {port} 无效（1–65535）",
                               f"the scheduler address '{shown}' has an invalid port {port} (1–65535)")
    host = m.group("ipv6") or m.group("host") or ""
    if m.group("ipv6"):
        try:
            socket.inet_pton(socket.AF_INET6, host)
        except OSError:
            raise SchedulerProblem(f"调度器地址「{shown}」中的 IPv6 地址无效", f"the scheduler address '{shown}' "
                                   "holds an invalid IPv6 address") from None
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:  # an empty or over-long label, or characters IDNA refuses
            ascii_host = ""
        if not ascii_host or len(ascii_host) > MAX_HOST or any(not 0 < len(x) <= 63 for x in ascii_host.split(".")):
            raise SchedulerProblem(f"调度器地址「{shown}」中的主机名无效", f"the scheduler address '{shown}' holds "
                                   "an invalid host name")
    return scheme, host, port


def probe_scheduler(address: str, timeout: float | None = None) -> None:
    """Check that a Dask scheduler answers at ``address`` within ``timeout`` seconds (``SchedulerProblem``
    otherwise): a refused port, an unknown host, a socket that accepts and never answers and a server that
    speaks another protocol (HTTP) are each said in a few seconds, never a hang or a library crash."""
    timeout = CONNECT_TIMEOUT_S if timeout is None else timeout
    scheme, host, port = check_scheduler_address(address)
    shown = _quote(address.strip())
    if scheme == "tls":
        import dask.config

        if not (dask.config.get("distributed.comm.tls.client.cert", None)
                or dask.config.get("distributed.comm.tls.ca-file", None)):
            raise SchedulerProblem(f"调度器地址「{shown}」使用 tls://，但没有配置证书（Dask 配置 "
                                   "distributed.comm.tls.*）", f"the scheduler address '{shown}' uses tls:// but no "
                                   "certificates are configured (Dask settings distributed.comm.tls.*)")
    deadline = time.monotonic() + timeout
    try:
        address_info = _resolve(host, port, timeout)
        sock = socket.create_connection(address_info, timeout=max(0.1, deadline - time.monotonic()))
    except socket.gaierror:
        raise SchedulerProblem(f"无法连接 Dask 调度器「{shown}」：找不到主机 {_quote(host)}",
                               f"cannot reach the Dask scheduler '{shown}': unknown host {_quote(host)}") from None
    except TimeoutError:
        raise _no_answer(shown, timeout) from None
    except OSError as exc:
        reason = ("连接被拒绝（该端口没有调度器在运行）", "connection refused (no scheduler runs on that port)") \
            if isinstance(exc, ConnectionRefusedError) else (f"网络错误（errno {exc.errno}）",
                                                             f"network error (errno {exc.errno})")
        raise SchedulerProblem(f"无法连接 Dask 调度器「{shown}」：{reason[0]}",
                               f"cannot reach the Dask scheduler '{shown}': {reason[1]}") from None
    if scheme == "tls":  # the client speaks first in TLS: the handshake is left to Dask (with its timeout)
        sock.close()
        return
    try:
        # A Dask scheduler greets first: 8 bytes, the little-endian size of its handshake frames.
        head = b""
        while len(head) < 8:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = sock.recv(8 - len(head))
            if not chunk:
                break
            head += chunk
    except (TimeoutError, OSError):
        raise _no_answer(shown, timeout) from None
    finally:
        sock.close()
    if len(head) < 8 or not 0 < struct.unpack("<Q", head)[0] <= MAX_FRAME_BYTES:
        raise SchedulerProblem(f"「{shown}」处的服务不是 Dask 调度器（应答不符合 Dask 协议；"
                               "网页控制台的端口不是调度器端口）",
                               f"the service at '{shown}' is not a Dask scheduler (its answer is not Dask's "
                               "protocol; a dashboard's port is not the scheduler's)")


def _resolve(host: str, port: int, timeout: float) -> tuple[str, int]:
    """``(address, port)`` for ``host``, looked up in a thread so that a slow DNS server cannot hold the command
    past ``timeout`` (``getaddrinfo`` has no timeout of its own); ``TimeoutError`` or ``socket.gaierror``."""
    answer: list[Any] = []

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][:2])
        except OSError as exc:
            answer.append(exc)

    worker = threading.Thread(target=look_up, name="planner-dns", daemon=True)
    worker.start()
    worker.join(timeout)
    if not answer:
        raise TimeoutError(host)
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


def _no_answer(shown: str, timeout: float) -> SchedulerProblem:
    return SchedulerProblem(f"Dask 调度器「{shown}」在 {timeout:g} 秒内没有应答（连接超时）",
                            f"the Dask scheduler '{shown}' did not answer within {timeout:g} s (connect timeout)")


class DaskExecutor:
    """A Dask distributed cluster (``dask-scheduler`` + ``dask-worker``s, or a ``LocalCluster``).

    An address is checked (``probe_scheduler``) and connected with a timeout of ``CONNECT_TIMEOUT_S``; any
    failure is a ``SchedulerProblem`` with a bilingual reason."""

    def __init__(self, scheduler: str | Any, timeout: float | None = None):
        from distributed import Client

        timeout = CONNECT_TIMEOUT_S if timeout is None else timeout
        if isinstance(scheduler, Client):
            self.client = scheduler
        else:
            probe_scheduler(scheduler, timeout)
            shown = _quote(scheduler.strip())
            try:
                self.client = Client(scheduler.strip(), timeout=f"{timeout}s")
            except Exception:  # noqa: BLE001 - whatever Dask raises (OSError, TypeError, MemoryError …)
                raise SchedulerProblem(f"无法连接 Dask 调度器「{shown}」：{timeout:g} 秒内未能完成握手（连接超时；"
                                       "请核对地址、端口和 Dask 版本）",
                                       f"cannot connect to the Dask scheduler '{shown}': no handshake within "
                                       f"{timeout:g} s (connect timeout; check the address, port and Dask "
                                       "version)") from None
            try:  # a scheduler without workers would take the work and never return it
                self.client.wait_for_workers(1, timeout=timeout)
            except Exception:  # noqa: BLE001 - a TimeoutError, or the connection lost meanwhile
                self.client.close()
                raise SchedulerProblem(f"Dask 调度器「{shown}」在 {timeout:g} 秒内没有可用的 worker"
                                       "（请先启动 dask worker）",
                                       f"the Dask scheduler '{shown}' has no worker within {timeout:g} s (start "
                                       "dask workers first)") from None
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
