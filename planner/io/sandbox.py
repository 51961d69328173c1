"""Reading an untrusted workbook within a CPU-time budget, in a child process.

An upload (or the stored file behind a shared ``?data=`` link) is read by ``load_workbook`` in a child
process whose CPU time is capped with ``RLIMIT_CPU`` and whose wall time is capped by the parent, so that no
file, however crafted, can occupy the server: past the budget the child is killed and the file is refused with
a bilingual message. The children come from a ``forkserver`` (started once, single-threaded, with the reader
preloaded), never forked from the threaded Streamlit server itself.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
from typing import Any

from planner.domain import Dataset, Message, WorkbookError

CPU_SECONDS = float(os.environ.get("PLANNER_UPLOAD_CPU_S", "5"))  # per workbook read
WALL_FACTOR = 3.0  # the wall-time cap, as a multiple of the CPU budget (a busy machine is slower)
READER = "planner.io.workbook:load_workbook"

_CONTEXT: Any = None


def _context() -> Any:
    global _CONTEXT
    if _CONTEXT is None:
        if "forkserver" in mp.get_all_start_methods():
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["planner.io.workbook"])  # each child starts with the reader imported
        else:  # pragma: no cover - not on Linux
            ctx = mp.get_context("spawn")
        _CONTEXT = ctx
    return _CONTEXT


def _child(conn: Any, reader: str, data: bytes, cpu_s: float) -> None:
    """In the child: cap the CPU time, read, send back ("ok", dataset) or ("error", messages)."""
    try:
        import resource

        limit = max(1, int(cpu_s + 0.999))
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))  # SIGXCPU ends the child past the budget
    except (ImportError, ValueError, OSError):  # pragma: no cover - no rlimit: the parent's wall cap remains
        pass
    module, _, name = reader.partition(":")
    try:
        result = getattr(importlib.import_module(module), name)(data)
        conn.send(("ok", result))
    except WorkbookError as exc:
        conn.send(("error", list(exc.messages)))
    except Exception:  # noqa: BLE001 - the parent says "not a workbook"; no traceback crosses over
        conn.send(("crash", None))
    finally:
        conn.close()


def too_slow(cpu_s: float) -> Message:
    """The message for a workbook whose reading exceeded the budget."""
    return Message("workbook_too_costly",
                   f"读取该工作簿超过 {cpu_s:g} 秒的计算时间上限，已拒绝：请检查是否有异常多的行、层级（如「地区」表的"
                   "「上级」链）或公式",
                   f"reading this workbook took more than the {cpu_s:g} s computing-time budget, so it was refused: "
                   "check it for an unusual number of rows, levels (such as a long 上级 chain on the 地区 sheet) or "
                   "formulas")


def load_workbook_limited(data: bytes, *, cpu_s: float | None = None, reader: str | None = None) -> Dataset:
    """``load_workbook(data)`` in a child process with a CPU-time budget (``PLANNER_UPLOAD_CPU_S``, default
    5 s) and a wall-time cap; raises ``WorkbookError`` with the reader's messages, or with
    ``workbook_too_costly`` past the budget, or ``not_a_workbook`` when the reader failed otherwise.
    ``reader``: "module:function" (default ``READER``; tests set a slow one)."""
    cpu_s = CPU_SECONDS if cpu_s is None else cpu_s
    reader = reader or READER
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, reader, data, cpu_s), daemon=True)
    proc.start()
    child.close()
    try:
        # the child's start-up (a fork of the preloaded server) is not counted in its CPU budget; the wall cap
        # leaves room for a machine shared by others
        if parent.poll(cpu_s * WALL_FACTOR + 2.0):
            try:
                kind, payload = parent.recv()
            except EOFError:  # the child died without answering: killed at its CPU limit
                kind, payload = "timeout", None
        else:
            kind, payload = "timeout", None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if kind == "ok":
        return payload
    if kind == "error":
        raise WorkbookError(payload)
    if kind == "timeout":
        raise WorkbookError([too_slow(cpu_s)])
    raise WorkbookError([Message("not_a_workbook", "无法读取该文件：它不是有效的 .xlsx 工作簿",
                                 "the file cannot be read: it is not a valid .xlsx workbook")])
