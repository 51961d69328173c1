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


def _apply(at, grid: str, rows: dict[int, dict]) -> None:
    version = at.session_state["editor_version"] if "editor_version" in at.session_state else 0
    at.session_state[f"ed_{grid}_{version}"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    next(b for b in at.button if b.key == f"apply_{grid}").click().run()
    _clean(at)


def _row_of(at, grid: int, column: str, value: str) -> int:
    return list(at.data_editor[grid].value[column]).index(value)


@pytest.mark.parametrize(("typed", "reason"), [("abc", "不是数字"), ("1e12", "超出允许范围 0–1,000,000"),
                                               ("50元", "不是数字"), ("1,5", "不是数字")])
def test_typed_garbage_in_a_budget_is_refused_with_its_reason(typed: str, reason: str) -> None:
    at = _open("views/data.py")
    haian = _row_of(at, 1, "地区", "海安")
    before = load_workbook(SHIPPED).budgets[("海安", 2023)]
    _apply(at, "budgets", {haian: {"2023": typed}})
    errors = _texts(at.error)
    assert "「预算」第 1 行（海安），列「2023」" in errors and reason in errors, errors
    assert f"（输入：{typed.replace(',', chr(92) + ',')}）" in errors  # what was typed, made literal
    assert "已应用" not in _texts(at.success) and at.session_state["wb_source"] == "shipped"
    assert load_workbook(at.session_state["wb_bytes"]).budgets[("海安", 2023)] == before


def test_a_typed_number_is_taken_as_typed() -> None:
    at = _open("views/data.py")
    haian = _row_of(at, 1, "地区", "海安")
    _apply(at, "budgets", {haian: {"2023": "１２３．５"}})  # full-width digits, as an input method types them
    assert "已应用「预算」中的 1 处修改" in _texts(at.success)
    assert load_workbook(at.session_state["wb_bytes"]).budgets[("海安", 2023)] == 123.5


def test_a_fractional_lead_time_is_refused_not_rounded() -> None:
    at = _open("views/data.py")
    lead = next(c for c in at.data_editor[0].value.columns if c.startswith("建设周期"))
    _apply(at, "items", {0: {lead: "2.5"}})
    errors = _texts(at.error)
    assert f"列「{lead}」" in errors and "2.5" in errors, errors
    assert at.session_state["wb_source"] == "shipped"


def test_a_future_or_malformed_actual_date_is_refused_by_name() -> None:
    at = _open("views/actuals.py", query={"region": "海门"})
    _apply(at, "actuals", {0: {"实际完成日期": "2099-05-01"}, 1: {"实际完成日期": "昨天"}})
    errors = _texts(at.error)
    assert "第 1 行（海门 " in errors and "晚于今天" in errors
    assert "第 2 行（海门 " in errors and "不是日期" in errors
    assert "没有修改" not in _texts(at.info) and at.session_state["wb_source"] == "shipped"


def test_a_completion_before_the_matrix_year_is_refused() -> None:
    at = _open("views/actuals.py", query={"region": "通州", "asof": "2026-11-30"})
    grid = at.data_editor[0].value
    row = list(grid["项目"]).index("膜式燃气表")
    _apply(at, "actuals", {row: {"实际完成日期": "2019-05-01"}})
    errors = _texts(at.error)
    assert f"第 {row + 1} 行（通州 膜式燃气表）" in errors and "早于能力矩阵所描述的年份" in errors, errors
    assert at.session_state["wb_source"] == "shipped" and not load_workbook(at.session_state["wb_bytes"]).actuals


def test_an_as_of_date_before_the_plan_is_refused_and_a_future_one_noted() -> None:
    from datetime import date, timedelta

    at = _open("views/actuals.py", query={"region": "通州", "asof": "2026-11-30"})
    at.date_input(key="ac_as_of").set_value(date(2022, 6, 30)).run()
    _clean(at)
    assert "早于计划起始" in _texts(at.error)
    assert at.session_state["scenario"].as_of == date(2026, 11, 30)  # the date in force stays
    at = _open("views/actuals.py", query={"asof": "2022-06-30"})  # from a link: said, no re-plan from it
    assert "早于计划起始" in _texts(at.error)
    assert next(b for b in at.button if b.key == "ac_replan").disabled
    future = (date.today() + timedelta(days=40)).isoformat()
    at = _open("views/actuals.py", query={"asof": future})
    assert "晚于今天" in _texts(at.info)


def test_the_replan_message_counts_the_open_gaps_in_focus() -> None:
    at = _open("views/actuals.py", query={"region": "通州", "asof": "2026-11-30"})
    gaps = len(at.data_editor[0].value)
    next(b for b in at.button if b.key == "ac_replan").click().run()
    _clean(at)
    assert f"{gaps} 个仍未完成的缺口" in _texts(at.success)


def test_a_refused_edit_keeps_its_tab_open() -> None:
    at = _open("views/data.py")
    at.session_state["data_tabs_zh"] = "预算"  # what the browser sends when the budget tab is opened
    at.run()
    haian = _row_of(at, 1, "地区", "海安")
    _apply(at, "budgets", {haian: {"2023": "abc"}})
    assert "不是数字" in _texts(at.error)
    assert at.session_state["data_tabs_zh"] == "预算" and at.session_state["data_tab"] == 1
    at.get("button_group")[0].set_value("en").run()  # the language switch keeps the tab too
    _clean(at)
    assert at.session_state["data_tabs_en"] == "Budgets"


def test_picking_the_changed_scenarios_file_again_reopens_it(tmp_path: Path, monkeypatch) -> None:
    from tests.test_app import copy_scenarios

    monkeypatch.setenv("PLANNER_SCENARIOS", str(copy_scenarios(tmp_path / "scenarios")))
    at = _open("views/scenario.py")
    at.slider(key="sc_w_mult").set_value(1.5).run()
    assert at.session_state["scenario"].name == "nantong_baseline（已修改）"
    at.selectbox(key="sc_w_file").set_value("nantong_baseline.toml").run()
    _clean(at)
    sc = at.session_state["scenario"]
    assert sc.name == "nantong_baseline" and sc.budget_multiplier == 1.0
    assert at.slider(key="sc_w_mult").value == 1.0


def test_an_analysis_button_leaves_once_pressed_and_the_region_tile_counts_regions_with_gaps() -> None:
    at = _open("views/deadlines.py", query={"region": "通州"})
    start = [b for b in at.button if str(b.key).startswith("task_start_")]
    assert start
    start[0].click().run()
    _clean(at)
    assert start[0].key not in [b.key for b in at.button]  # its results stand alone
    ds = load_workbook(SHIPPED)
    for key in [k for k in ds.matrix if k[0] == "海门"]:
        ds.matrix[key] = type(ds.matrix[key])("has")  # 海门 has every capability: no gap
    at = _open(wb_bytes=workbook_bytes(dataset_workbook(ds)), wb_source="edited", wb_name="x.xlsx", wb_key="")
    assert _metrics(at)["列出缺口的地区"] == "5"


def test_the_gantt_axis_ends_with_the_horizon() -> None:
    import json

    at = _open("views/plan.py")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    axes = [layer["encoding"]["x"].get("axis") for layer in spec["layer"] if "x" in layer.get("encoding", {})]
    values = next(a["values"] for a in axes if a and "values" in a)
    assert values[0].startswith("2023-10-01") and values[-1].startswith("2027-10-01")  # 2023Q4 … 2027Q4
    assert not any(v.startswith("2028") for v in values)


def test_long_headers_get_room() -> None:
    from views.editing import header_width

    assert header_width("单相电能表") >= 5 * 15 and header_width("最低预算（万元/年）") >= 10 * 15
    assert header_width("2023") == 70


def test_the_undo_history_survives_a_reload() -> None:
    at = _open("views/scenario.py")
    at.radio(key="sc_w_mode").set_value("soft").run()
    at.slider(key="sc_w_mult").set_value(0.5).run()
    link = dict(at.query_params)
    assert len(link["u"]) == 32
    again = _open("views/scenario.py", query=link)  # a reload: a new session from the same URL
    _clean(again)
    assert again.session_state["scenario"].budget_multiplier == 0.5
    undo = next(b for b in again.button if b.key == "undo")
    assert not undo.disabled
    undo.click().run()
    _clean(again)
    sc = again.session_state["scenario"]
    assert sc.budget_multiplier == 1.0 and sc.deadline_mode.value == "soft"
    assert again.query_params["u"] != link["u"]  # its own history from now on
    bad = _open(query={"u": "../../etc/passwd"})  # not a token: ignored
    assert next(b for b in bad.button if b.key == "undo").disabled


def test_a_provinces_heatmap_fits_the_page_with_every_region_named() -> None:
    import json

    from views import state

    at = _open(wb_bytes=state.EXAMPLE.read_bytes(), wb_source="example", wb_name="demo_province.xlsx", wb_key="")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelAngle"] == -40 and axis["labelOverlap"] is False


def test_a_new_regions_draft_refuses_typed_garbage() -> None:
    from tests.test_app_regions import _draft_edit

    at = _open("views/data.py")
    next(b for b in at.button if b.label == "在本页填写").click().run()
    _draft_edit(at, "matrix", {7: {"衡器": "缺失"}})
    _draft_edit(at, "budgets", {7: {"2024": "abc"}, 8: {"2024": "90"}})
    at.run()
    _clean(at)
    errors = _texts(at.error)
    assert "第 8 行（南昌县），列「2024」：不是数字" in errors and "（输入：abc）" in errors
    draft_budgets = {k: v for k, v in at.session_state["draft"].budgets.items()}
    assert ("南昌县", 2024) not in draft_budgets  # never stored as blank or as a number read from it
    assert "矩阵还有 219 个空格" in _texts(at.info) and "预算还有 39 个空格" in _texts(at.info)
