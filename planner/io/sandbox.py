"""Reading an untrusted workbook within a CPU-time budget, in a child process.

An upload (or the stored file behind a shared ``?data=`` link) is read by ``load_workbook`` in a child Python
process that caps its own CPU time with ``RLIMIT_CPU`` before reading anything, and whose wall time the parent
caps too, so that no file, however crafted, can occupy the server: past the budget the child is ended and the
file is refused with a bilingual message. The child is a fresh interpreter started with ``subprocess`` (no
``fork`` of the threaded Streamlit server, and no ``multiprocessing`` start-up, which would re-import the
running app script as ``__mp_main__``); it answers with a pickle on its standard output.
"""

from __future__ import annotations

import os
import pickle
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from planner.domain import Dataset, Message, WorkbookError

CPU_SECONDS = float(os.environ.get("PLANNER_UPLOAD_CPU_S", "5"))  # per workbook read
STARTUP_CPU_S = 1  # the child's own start-up (the interpreter and the reader's imports), on top of the budget
WALL_FACTOR = 3.0  # the wall-time cap, as a multiple of the CPU budget (a busy machine is slower)
READER = "planner.io.workbook:load_workbook"
_ROOT = Path(__file__).resolve().parent.parent.parent  # the folder holding the planner package


def _main() -> None:
    """The child: cap the CPU time, read the request from stdin, answer ("ok", result) or ("error", messages)
    or ("crash", None) on stdout."""
    request = sys.stdin.buffer.read()
    reader, data, cpu_s = pickle.loads(request)
    try:
        import resource

        limit = max(1, int(cpu_s + 0.999)) + STARTUP_CPU_S
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))  # SIGXCPU ends the child past the budget
    except (ImportError, ValueError, OSError):  # pragma: no cover - no rlimit: the parent's wall cap remains
        pass
    try:  # "module:function", the parent's choice (the workbook reader; tests pass a slow one)
        answer: tuple[str, Any] = ("ok", pkgutil.resolve_name(reader)(data))
    except WorkbookError as exc:
        answer = ("error", list(exc.messages))
    except Exception:  # noqa: BLE001 - the parent says "not a workbook"; no traceback crosses over
        answer = ("crash", None)
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.buffer.flush()


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
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(_ROOT), *filter(None, [env.get("PYTHONPATH", "")])])
    proc = subprocess.Popen([sys.executable, "-c", "from planner.io.sandbox import _main; _main()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            cwd=str(_ROOT))
    try:
        out, _ = proc.communicate(pickle.dumps((reader, data, cpu_s)), timeout=(cpu_s + STARTUP_CPU_S) * WALL_FACTOR)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise WorkbookError([too_slow(cpu_s)]) from None
    try:
        kind, payload = pickle.loads(out) if proc.returncode == 0 and out else ("timeout", None)
    except (pickle.UnpicklingError, EOFError, ValueError):
        kind, payload = "crash", None
    if kind == "ok":
        return payload
    if kind == "error":
        raise WorkbookError(payload)
    if kind == "timeout":  # ended by its CPU limit (SIGXCPU / SIGKILL)
        raise WorkbookError([too_slow(cpu_s)])
    raise WorkbookError([Message("not_a_workbook", "无法读取该文件：它不是有效的 .xlsx 工作簿",
                                 "the file cannot be read: it is not a valid .xlsx workbook")])
