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
_FAILED: dict[str, BaseException] = {}  # step key -> the exception it ended with, until a page reports it
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
                except Exception as exc:  # kept for the page: the next run says it once
                    _FAILED[key] = exc
                    raise
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


POLL_S = 0.25  # a fragment run waits this long for the step in flight, then runs again


def cancel(key: str) -> None:
    """The cancel button's callback: no further step of ``key`` is started (the one in flight ends on its own and
    is kept, so asking again resumes after it)."""
    SS[f"task_cancelled_{key}"] = True
    SS[f"task_started_{key}"] = False


def run(key: str, steps: Sequence[Callable[[], Any]], *, title: str, expected_s: float = 5.0,
        button: str, button_help: str = "", partial: Callable[[list[Any]], None] | None = None) -> list[Any] | None:
    """The results of ``steps``: at once when computed before; else a start button, and once pressed a
    progress bar with a cancel button. None until every step is done; ``partial`` is shown the results so far
    (None for a step not done) on every run meanwhile.

    Called from a fragment: a click inside a fragment does not interrupt the fragment's run (Streamlit issue
    11030), so a run never waits for the work. It starts the next step on the worker thread, draws the progress,
    sleeps ``POLL_S`` and asks for the fragment to run again: between two runs the cancel button's click is seen,
    and no step after the one in flight starts."""
    n = len(steps)
    found = peek(key, n)
    if found is not None:
        return found
    flag = f"task_cancelled_{key}"
    started = f"task_started_{key}"
    # the same places on every run (a note, the start button, the progress, cancel): a run that ends in a rerun
    # leaves what it did not draw over on the page, so nothing may shift
    note, slot = st.empty(), st.empty()
    if not SS.get(started) or SS.get(flag):
        if SS.get(flag):
            note.info(t("task_cancelled", done=done_steps(key, n), n=n))
        # the button leaves the page once pressed: it never stands beside its results
        if not slot.button(button, key=f"task_start_{key}", icon=":material/play_arrow:", help=button_help or None):
            return None
        SS[started], SS[flag] = True, False
        SS[f"task_began_{key}"] = time.monotonic()
        note.empty()
        slot.empty()
    results = [_get(f"{key}#{i}") for i in range(n)]
    todo = [i for i, (have, _) in enumerate(results) if not have]
    i = todo[0]
    with _LOCK:
        failed = _FAILED.pop(f"{key}#{i}", None)
    if failed is not None:
        SS[started] = False
        state.engine_failure(failed)
        return None
    fut = _submit(f"{key}#{i}", steps[i])
    elapsed = time.monotonic() - SS.get(f"task_began_{key}", time.monotonic())
    inner = 1 - math.exp(-elapsed / max(expected_s / n, 0.5)) if n == 1 else 0.0
    st.progress(min(0.99, (n - len(todo) + inner) / n), text=t("task_progress", title=title, i=i + 1, n=n,
                                                               s=int(elapsed)))
    st.button(t("task_cancel"), key=f"task_cancel_{key}", icon=":material/stop:", on_click=cancel, args=(key,))
    if partial is not None:
        partial([value if have else None for have, value in results])
    if not fut.done():
        time.sleep(POLL_S)
    st.rerun(scope="fragment" if _in_fragment_run() else "app")
    return None


def _in_fragment_run() -> bool:
    """Whether this is a fragment's own run (only then may it rerun alone; on a whole page's run it reruns the
    page, after which the fragment's clicks run it alone)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "fragment_ids_this_run", None))
