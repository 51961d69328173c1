"""The app points of issue 20: typed values are taken as typed or refused with their reason, implausible actuals
are refused, a failed solve never shows another dataset's plan, and the usability fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook
from tests.test_app import SHIPPED, _clean, _metrics, _open, _texts


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    from views import state

    state.store.clear()


def _broke() -> bytes:
    """The shipped data with every budget 0: no plan meets the hard deadlines."""
    ds = load_workbook(SHIPPED)
    for key in ds.budgets:
        ds.budgets[key] = 0.0
    return workbook_bytes(dataset_workbook(ds))


def test_a_failed_solve_never_shows_another_datasets_plan() -> None:
    at = _open()
    assert at.session_state["last_good_plan"] is not None  # the shipped data's plan
    at.session_state["wb_bytes"] = _broke()
    at.session_state["wb_source"] = "edited"
    at.run()
    _clean(at)
    assert "无可行计划" in _texts(at.error)
    assert "上一个可行计划" not in _texts(at.info) and "还没有可显示的计划" in _texts(at.info)
    assert "成本（万元，示例假设）" not in _metrics(at) and "按期比例" not in _metrics(at)
