"""实际完成: a reviewer records actual completions with their evidence, the review as of a date changes, the
workbook carries them, and the catch-up plan schedules only what is still open."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.domain import GapMode
from planner.io.workbook import load_workbook
from planner.quarters import Quarter
from tests.test_app import _button, _clean, _open, _texts

DATE, EVIDENCE = "实际完成日期", "文号"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    from views import state

    state.store.clear()


def _review(at) -> dict[tuple[str, str], dict]:
    table = at.dataframe[0].value
    return {(r["地区"], r["层级"]): r for r in table.to_dict("records")}


def _edit(at, rows: dict[int, dict]) -> None:
    version = at.session_state["editor_version"] if "editor_version" in at.session_state else 0
    at.session_state[f"ed_actuals_{version}"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    _button(at, "应用修改").click().run()
    _clean(at)


def test_recording_an_actual_changes_the_review_and_the_workbook() -> None:
    at = _open("views/actuals.py", query={"region": "通州", "asof": "2026-11-30"})
    assert at.title[0].value == "实际完成：配置到位与核查"
    before = _review(at)[("通州", "基本")]
    assert (before["缺口"], before["按期完成"], before["逾期未完成"], before["结论"]) == (6, 0, 6, "✗ 未按期")
    grid = at.data_editor[0].value
    assert list(grid["项目"][:2]) == ["玻璃体温计", "水表"] and set(grid["地区"]) == {"通州"}
    # 玻璃体温计 configured on 2024-10-08 (on time), 水表 on 2025-03-01 (late), with their evidence
    _edit(at, {0: {DATE: "2024-10-08", EVIDENCE: "通市监〔2024〕12号"}, 1: {DATE: "2025-03-01"}})
    assert "已应用「实际完成」中的 3 处修改" in _texts(at.success)
    after = _review(at)[("通州", "基本")]
    assert (after["按期完成"], after["逾期完成"], after["逾期未完成"]) == (1, 1, 4)
    assert "截至 2026-11-30：14 个缺口中 2 个已实际完成" in _texts(at.markdown)
    ds = load_workbook(at.session_state["wb_bytes"])  # the downloadable data workbook holds them
    assert ds.actuals == {("通州", "玻璃体温计"): date(2024, 10, 8), ("通州", "水表"): date(2025, 3, 1)}
    assert ds.actual_evidence == {("通州", "玻璃体温计"): "通市监〔2024〕12号"}
    grid = at.data_editor[0].value  # the grid shows the status as of the date
    assert list(grid["状态（截至核查日期）"][:2]) == ["按期完成", "逾期完成"]
    # an earlier as-of date: the late completion is not known yet
    at.date_input(key="ac_as_of").set_value(date(2025, 1, 31)).run()
    _clean(at)
    early = _review(at)[("通州", "基本")]
    assert (early["按期完成"], early["逾期完成"], early["逾期未完成"]) == (1, 0, 5)
    assert at.query_params["asof"] == "2025-01-31"


def test_a_future_date_and_evidence_without_a_date_are_refused() -> None:
    at = _open("views/actuals.py", query={"region": "海门"})
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    _edit(at, {0: {DATE: tomorrow}, 1: {EVIDENCE: "无日期的文号"}})
    errors = _texts(at.error)
    assert "晚于今天" in errors and "先填写完成日期" in errors and "第 1 行（海门 " in errors
    assert at.session_state["wb_source"] == "shipped"
    assert at.data_editor[0].value[DATE].isna().all()  # the refused values are not left in the grid


def test_replan_from_the_date_schedules_only_the_open_gaps() -> None:
    at = _open("views/actuals.py", query={"region": "通州", "asof": "2026-11-30"})
    _edit(at, {0: {DATE: "2024-10-08"}})
    _button(at, "从 2026-11-30 起重新规划").click().run()
    _clean(at)
    sc = at.session_state["scenario"]
    assert (sc.start, sc.deadline_mode.value, sc.as_of) == (Quarter(2027, 1), "soft", date(2026, 11, 30))
    assert "已生成补救计划" in _texts(at.success) and "65 个仍未完成的缺口" not in _texts(at.success)
    assert "13 个仍未完成的缺口" in _texts(at.success)  # 通州 in focus: its 14 gaps, one done
    plan = at.session_state["last_good_plan"]
    assert plan.scenario.name == sc.name and plan.has_solution
    done = {(g.region, g.item) for g in plan.schedule if g.mode == GapMode.DONE}
    assert done == {("通州", "玻璃体温计")}
    assert all(g.start_quarter >= Quarter(2027, 1) for g in plan.schedule if g.mode == GapMode.BUILT)
    link = dict(at.query_params)  # the catch-up plan is in the link too
    assert link["name"] == sc.name and link["start"] == "2027Q1"
    _button(at, "撤销上一步").click().run()
    assert at.session_state["scenario"].start == Quarter(2023, 4)
