"""Long analyses (frontier, marginal values, minimum budget, cost risk): computed only when asked, with a
progress bar and a cancel button; results kept per (data, settings, region) so a second look is instant.

An analysis is a list of steps (one solve each, e.g. a frontier point) run one at a time on a worker thread
while the page polls it. Cancelling stops before the next step; the step in flight finishes in the
background and is kept, so asking again resumes where it stopped. Leaving the page does not cancel: coming
back shows the progress again. One worker per server: the machine's cores go to one solve at a time.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import streamlit as st

from views import state
from views.i18n import t

log = logging.getLogger("planner.app")
SS = st.session_state
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planner-analysis")
_LOCK = threading.Lock()
_DONE: OrderedDict[str, Any] = OrderedDict()  # step key -> result
_RUNNING: dict[str, Future] = {}
_KEEP = 512


def _get(key: str) -> tuple[bool, Any]:
    with _LOCK:
        if key in _DONE:
            _DONE.move_to_end(key)
            return True, _DONE[key]
    return False, None


def _put(key: str, value: Any) -> None:
    with _LOCK:
        _DONE[key] = value
        while len(_DONE) > _KEEP:
            _DONE.popitem(last=False)


def _submit(key: str, fn: Callable[[], Any]) -> Future:
    with _LOCK:
        fut = _RUNNING.get(key)
        if fut is None:
            def work() -> Any:
                try:
                    value = fn()
                    _put(key, value)
                    return value
                finally:
                    with _LOCK:
                        _RUNNING.pop(key, None)
            fut = _POOL.submit(work)
            _RUNNING[key] = fut
        return fut


def peek(key: str, steps: int = 1) -> list[Any] | None:
    """The results of every step when all are computed, else None (computes nothing)."""
    out = []
    for i in range(steps):
        found, value = _get(f"{key}#{i}")
        if not found:
            return None
        out.append(value)
    return out


def done_steps(key: str, steps: int) -> int:
    return sum(_get(f"{key}#{i}")[0] for i in range(steps))


def running(key: str, steps: int) -> bool:
    with _LOCK:
        return any(f"{key}#{i}" in _RUNNING for i in range(steps))


def run(key: str, steps: Sequence[Callable[[], Any]], *, title: str, expected_s: float = 5.0,
        button: str, button_help: str = "") -> list[Any] | None:
    """The results of ``steps``: at once when computed before; else a start button, and once pressed a
    progress bar with a cancel button. None until every step is done (the page shows what it has)."""
    n = len(steps)
    found = peek(key, n)
    if found is not None:
        return found
    flag = f"task_cancelled_{key}"
    wanted = SS.get(f"task_started_{key}") and not SS.get(flag)
    if not wanted:
        if SS.get(flag):
            st.info(t("task_cancelled", done=done_steps(key, n), n=n))
        slot = st.empty()  # the button leaves the page once pressed: it never stands beside its results
        if slot.button(button, key=f"task_start_{key}", icon=":material/play_arrow:", help=button_help or None):
            SS[f"task_started_{key}"], SS[flag] = True, False
            slot.empty()
        else:
            return None
    bar = st.progress(0.0, text=title)
    cancel = st.empty()
    cancel.button(t("task_cancel"), key=f"task_cancel_{key}", icon=":material/stop:",
                  on_click=lambda: SS.__setitem__(flag, True))
    began = time.monotonic()
    results = []
    for i, fn in enumerate(steps):
        step_key = f"{key}#{i}"
        found_one, value = _get(step_key)
        if not found_one:
            fut = _submit(step_key, fn)
            while not fut.done():
                elapsed = time.monotonic() - began
                inner = 1 - math.exp(-elapsed / max(expected_s / n, 0.5)) if n == 1 else 0.0
                bar.progress(min(0.99, (i + inner) / n),
                             text=t("task_progress", title=title, i=i + 1, n=n, s=int(elapsed)))
                time.sleep(0.2)
            try:
                value = fut.result()
            except Exception as exc:  # noqa: BLE001 - a message, never a traceback
                SS[f"task_started_{key}"] = False
                bar.empty()
                cancel.empty()
                state.engine_failure(exc)
                return None
        results.append(value)
        bar.progress((i + 1) / n, text=t("task_progress", title=title, i=i + 1, n=n,
                                          s=int(time.monotonic() - began)))
    bar.empty()
    cancel.empty()
    SS[f"task_started_{key}"] = False
    return results
