"""Uploads are read within a CPU-time budget (issue 18): a workbook is read in a child process whose CPU time is
capped, so no upload and no ``?data=`` link can occupy the server; past the budget it is refused with a
bilingual message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from planner.domain import WorkbookError
from planner.io import sandbox
from tests.corpus.generate import _deep_chain
from tests.test_app import _clean, _open

ROOT = Path(__file__).resolve().parent.parent
SLOW = "tests.test_upload_budget:spin"


def spin(data: bytes) -> None:
    """A reader that never finishes (the child runs it; its CPU limit ends it)."""
    while True:
        pass


def test_a_reader_past_its_cpu_budget_is_stopped_with_a_bilingual_message() -> None:
    started = time.monotonic()
    with pytest.raises(WorkbookError) as info:
        sandbox.load_workbook_limited(b"anything", cpu_s=1, reader=SLOW)
    assert time.monotonic() - started < 6
    m = info.value.messages[0]
    assert m.code == "workbook_too_costly" and "计算时间上限" in m.zh and "computing-time budget" in m.en


def test_the_shipped_workbook_reads_within_the_budget() -> None:
    ds = sandbox.load_workbook_limited((ROOT / "data" / "nantong_capabilities.xlsx").read_bytes())
    assert "海安" in {r.name for r in ds.regions}


def test_the_20000_deep_chain_is_rejected_in_about_a_second() -> None:
    data = _deep_chain(20_000)()
    started = time.monotonic()
    with pytest.raises(WorkbookError) as info:
        sandbox.load_workbook_limited(data)
    assert time.monotonic() - started < 3
    assert any(m.code == "hierarchy_too_deep" for m in info.value.messages)


@pytest.fixture
def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    from views import state

    state.store.clear()
    return state.store()


def test_an_upload_past_the_budget_is_refused_and_not_adopted(_store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's upload path (``state.accept_workbook``) reads through the budgeted child."""
    from views import state

    monkeypatch.setattr(sandbox, "READER", SLOW)
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 1.0)
    started = time.monotonic()
    errors = state.accept_workbook((ROOT / "data" / "nantong_capabilities.xlsx").read_bytes(), "x.xlsx")
    assert time.monotonic() - started < 6
    assert [m.code for m in errors] == ["workbook_too_costly"]
    assert "wb_bytes" not in state.SS  # nothing adopted


def test_a_link_to_a_costly_stored_workbook_costs_a_visitor_at_most_the_budget(
        _store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "READER", SLOW)
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 1.0)
    key = _store.put((ROOT / "data" / "nantong_capabilities.xlsx").read_bytes(), "x.xlsx", "upload")
    started = time.monotonic()
    at = _open(query={"data": key})
    _clean(at)
    assert time.monotonic() - started < 30  # the app's own first run included
    assert at.session_state["wb_source"] == "shipped"
    assert any("已不存在" in str(w.value) for w in at.warning)


def test_the_blank_cells_of_a_refused_upload_are_read_within_the_budget_too() -> None:
    from planner.io.draft import Blanks

    found = sandbox.load_workbook_limited((ROOT / "data" / "nantong_capabilities.xlsx").read_bytes(),
                                          reader="planner.io.draft:blanks")
    assert isinstance(found, Blanks)
    with pytest.raises(WorkbookError):
        sandbox.load_workbook_limited(b"x", cpu_s=1, reader=SLOW)
