"""The Streamlit app through ``streamlit.testing.v1.AppTest``: every page, asserting real content.

AppTest does not type into ``st.data_editor``; edits are given as the editor's edit state in session state
(what the browser sends) and go through the engine's writer and validator; the browser test drives the rest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import Cap, Plan, SolveStatus
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SHIPPED = ROOT / "data" / "nantong_capabilities.xlsx"
TIMEOUT = 60
CAPEX = "建设投资（万元，示例假设）"  # the items editor's capex column


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _open(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    _clean(at)
    return at


def _clean(at: AppTest) -> None:
    """No exception element, ever: every failure must be a message."""
    assert not at.exception, [e.value for e in at.exception]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def _summary(at: AppTest) -> str:
    return next(c.value for c in at.caption if "个缺口：" in c.value or "gaps:" in c.value)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.fixture
def scenario_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of scenarios/ (workbook paths made absolute) so saving never touches the repository."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for p in (ROOT / "scenarios").glob("*.toml"):
        text = p.read_text(encoding="utf-8").replace('"../data/', f'"{ROOT.as_posix()}/data/')
        (folder / p.name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLANNER_SCENARIOS", str(folder))
    return folder


# ------------------------------------------------------------------------------------------- 概览

def test_overview_shows_the_shipped_gaps_and_the_plan() -> None:
    before = _digest(SHIPPED)
    at = _open()
    assert at.title[0].value == "概览：南通各县强检能力缺口"
    m = _metrics(at)
    assert m["基本能力缺口"] == "16"
    assert m["县级提升能力缺口"] == "49"
    assert m["按期比例"] == "100%"  # the baseline meets every deadline
    assert float(m["成本（万元，示例假设）"].replace(",", "")) > 0
    assert len(at.get("vega_lite_chart")) == 1  # the capability matrix heatmap
    assert "65 个缺口中 65 个按期" in _texts(at.caption)
    warnings = _texts(at.warning)
    assert "公布 98，各行相加为 99" in warnings  # the source's own inconsistency, reported not fixed
    table = at.dataframe[0].value
    assert dict(zip(table["地区"], table["基本能力缺口"], strict=True))["通州"] == 6
    assert _digest(SHIPPED) == before


def test_english_switch_changes_every_label_but_not_the_names() -> None:
    at = _open(lang="en")
    assert at.title[0].value == "Overview: Nantong counties' verification-capability gaps"
    m = _metrics(at)
    assert m["Basic gaps"] == "16" and m["County upgraded gaps"] == "49"
    table = at.dataframe[0].value
    assert list(table.columns)[0] == "Region" and "通州" in set(table["Region"])  # names as in the seeds
    at.switch_page("views/plan.py").run()
    _clean(at)
    assert at.title[0].value == "Plan: schedule and spending"


# ------------------------------------------------------------------------------------------- 数据

def test_invalid_upload_shows_sheet_row_column_and_keeps_the_data(tmp_path: Path) -> None:
    wb = dataset_workbook(load_workbook(SHIPPED))
    wb["项目"]["E3"] = None  # blank capex of the second item
    bad = workbook_bytes(wb)
    at = _open("views/data.py")
    at.file_uploader[0].upload("blank_capex.xlsx", bad,
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    _clean(at)
    errors = _texts(at.error)
    assert "blank_capex.xlsx 未通过校验" in errors
    assert "工作表「项目」，第 3 行，列「建设投资（万元）」：不能为空" in errors
    assert at.session_state["wb_source"] == "shipped"  # the last good data stay
    at.switch_page("views/overview.py").run()
    assert _metrics(at)["基本能力缺口"] == "16"


def test_not_a_workbook_upload_is_a_message() -> None:
    at = _open("views/data.py")
    at.file_uploader[0].upload("notes.xlsx", b"this is not a spreadsheet").run()
    _clean(at)
    assert "无法作为 Excel 工作簿" in _texts(at.error)


def test_valid_upload_replaces_the_data() -> None:
    ds = load_workbook(SHIPPED)
    ds.matrix[("海安", "衡器")] = Cap.LACKS  # 海安 now lacks one more basic item
    at = _open("views/data.py")
    at.file_uploader[0].upload("mine.xlsx", workbook_bytes(dataset_workbook(ds))).run()
    _clean(at)
    assert "已载入 mine.xlsx" in _texts(at.success)
    at.switch_page("views/overview.py").run()
    assert _metrics(at)["基本能力缺口"] == "17"


def test_edits_are_validated_by_the_engine_and_never_touch_the_file() -> None:
    before = _digest(SHIPPED)
    at = _open("views/data.py")
    assert len(at.data_editor) == 3  # items, budgets, matrix
    # a blank capex typed into the items editor: rejected with its place, data unchanged
    at.session_state["ed_items"] = {"edited_rows": {1: {CAPEX: None}}, "added_rows": [], "deleted_rows": []}
    _button(at, "应用修改").click().run()
    _clean(at)
    assert "工作表「项目」，第 3 行，列「建设投资（万元）」：不能为空" in _texts(at.error)
    assert at.session_state["wb_source"] == "shipped"
    # a valid edit: 衡器 capex 40 -> 60 lives in the session and is downloadable
    at.session_state["ed_items"] = {"edited_rows": {1: {CAPEX: 60.0}}, "added_rows": [], "deleted_rows": []}
    _button(at, "应用修改").click().run()
    _clean(at)
    assert at.session_state["wb_source"] == "edited"
    edited = load_workbook(at.session_state["wb_bytes"])
    assert edited.item("衡器").capex_wan == 60.0
    assert _digest(SHIPPED) == before


def test_matrix_edit_through_session_changes_the_overview() -> None:
    ds = load_workbook(SHIPPED)
    ds.matrix[("通州", "玻璃体温计")] = Cap.HAS  # 通州 reports it has the thermometer standard now
    at = _open(wb_bytes=workbook_bytes(dataset_workbook(ds)), wb_source="edited")
    assert _metrics(at)["基本能力缺口"] == "15"
    assert "本会话中修改过的数据" in _texts(at.sidebar.caption)


# ------------------------------------------------------------------------------------------- 情景

def test_budget_changes_change_the_plan_and_back_is_the_same(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    assert at.selectbox(key="sc_w_file").value == "nantong_baseline.toml"
    baseline = _summary(at)
    assert baseline.startswith("65 个缺口：65 个按期")
    at.radio(key="sc_w_mode").set_value("soft").run()
    at.slider(key="sc_w_mult").set_value(0.5).run()
    _clean(at)
    half = _summary(at)
    assert half != baseline and "个未建" in half
    assert "已在情景「nantong_baseline」基础上修改" in _texts(at.caption)
    assert at.session_state["scenario"].budget_multiplier == 0.5
    # a county regulator's flat "万元 a year": 通州 gets 0, so its gaps stay unbuilt
    at.slider(key="sc_w_mult").set_value(1.0).run()
    at.toggle(key="sc_w_fix_通州").set_value(True).run()
    at.slider(key="sc_w_bud_通州").set_value(0.0).run()
    _clean(at)
    assert at.session_state["scenario"].budget_overrides[("通州", 0)] == 0.0
    plan = at.session_state["last_good_plan"]
    tongzhou = [g for g in plan.schedule if g.region == "通州"]
    assert tongzhou and all(g.mode.value == "unbuilt" for g in tongzhou)
    # back to the baseline settings: the same plan as at the start (and from the cache)
    at.toggle(key="sc_w_fix_通州").set_value(False).run()
    at.radio(key="sc_w_mode").set_value("hard").run()
    _clean(at)
    assert _summary(at) == baseline
    assert at.session_state["scenario"].name == "nantong_baseline"


def test_infeasible_hard_scenario_explains_and_keeps_the_last_good_plan(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    good = _summary(at)
    at.slider(key="sc_w_mult").set_value(0.5).run()  # hard deadlines, half the money
    _clean(at)
    errors = _texts(at.error)
    assert "无可行计划" in errors
    assert "预算至少还差" in _texts(at.markdown)  # the engine's shortfall explanation
    assert "上一个可行计划" in _texts(at.info)
    assert _summary(at) == good  # the last good plan stays on the page


def test_save_scenario_never_overwrites(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    at.slider(key="sc_w_mult").set_value(1.2).run()
    at.text_input(key="sc_save_name").input("county_plus_20")
    _button(at, "保存情景").click().run()
    _clean(at)
    saved = scenario_dir / "county_plus_20.toml"
    assert saved.exists() and "budget_multiplier = 1.2" in saved.read_text(encoding="utf-8")
    assert "已保存为 scenarios/county_plus_20.toml" in _texts(at.success)
    first = saved.read_text(encoding="utf-8")
    at.slider(key="sc_w_mult").set_value(0.8).run()
    at.text_input(key="sc_save_name").input("county_plus_20")
    _button(at, "保存情景").click().run()
    _clean(at)
    assert "不会覆盖" in _texts(at.error)
    assert saved.read_text(encoding="utf-8") == first
    at.text_input(key="sc_save_name").input("../escape")
    _button(at, "保存情景").click().run()
    assert "文件名只能包含" in _texts(at.error)


def test_what_if_options_are_labelled_and_reach_the_scenario(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    labels = [w.label for w in at.toggle if w.key in ("sc_w_sharing", "sc_w_discount", "sc_w_carry")]
    assert labels and all(label.startswith("假设情景") for label in labels)
    at.selectbox(key="sc_w_file").set_value("nantong_tight.toml").run()
    at.toggle(key="sc_w_sharing").set_value(True).run()
    _clean(at)
    sc = at.session_state["scenario"]
    assert sc.options.sharing and sc.budget_multiplier == 0.5
    assert "个共享" not in _summary(at)  # shared gaps are shown apart (the Gantt legend), never as on time
    plan = at.session_state["last_good_plan"]
    assert any(g.mode.value == "shared" for g in plan.schedule)
    assert not any(g.on_time for g in plan.schedule if g.mode.value == "shared")


# ------------------------------------------------------------------------------------------- 计划

def test_plan_page_shows_gantt_spending_and_schedule() -> None:
    at = _open("views/plan.py")
    assert at.title[0].value == "计划：建设排程与支出"
    m = _metrics(at)
    assert m["待补缺口"] == "65" and m["逾期缺口"] == "0"
    assert len(at.get("vega_lite_chart")) == 2  # Gantt, spending per county-year
    schedule = at.dataframe[-1].value
    assert len(schedule) == 65
    assert set(schedule["地区"]) == {"如皋", "如东", "启东", "通州", "海门", "海安"}
    spending = at.dataframe[0].value
    assert {"支出（万元）", "预算（万元，示例假设）"} <= set(spending.columns)
    assert (spending["支出（万元）"] <= spending["预算（万元，示例假设）"] + 1e-6).all()


# ------------------------------------------------------------------------------------------- 截止检查

def test_deadline_check_page() -> None:
    at = _open("views/deadlines.py")
    assert at.title[0].value == "截止检查：各县是否按期配置到位"
    basic, upgraded = at.dataframe[0].value, at.dataframe[1].value
    assert len(basic) == 7 and len(upgraded) == 7  # 市级 and six counties per tier
    tz = basic[basic["地区"] == "通州"].iloc[0]
    assert (tz["要求总数"], tz["基准时已具备"], tz["按期"]) == (13, 7, 6)
    assert "海安" in _texts(at.markdown)
    minimum = at.dataframe[2].value
    assert len(minimum) == 6 and (minimum["最低预算（万元/年）"] > 0).all()
    assert float(_metrics(at)["最低预算合计（万元/年）"].replace(",", "")) > 0
    _button(at, "计算边际价值").click().run()
    _clean(at)
    assert len(at.get("vega_lite_chart")) == 1
    assert "最值得追加" in _texts(at.markdown) or "不会改善" in _texts(at.markdown)


def test_as_of_date_reaches_the_compliance_table() -> None:
    at = _open("views/deadlines.py")
    from datetime import date

    at.date_input(key="dl_as_of").set_value(date(2025, 6, 30)).run()
    _clean(at)
    assert at.session_state["scenario"].as_of == date(2025, 6, 30)


# ------------------------------------------------------------------------------------------- 对比

def test_compare_page(scenario_dir: Path) -> None:
    at = _open("views/compare.py")
    at.multiselect(key="cmp_pick").set_value(["nantong_baseline.toml", "nantong_tight.toml"]).run()
    _clean(at)
    table = at.dataframe[0].value
    assert list(table["情景"]) == ["nantong_baseline", "nantong_tight"]
    assert list(table["按期"]) == ["65/65", "50/65"] or table["按期"].iloc[0] == "65/65"
    cost = list(table["总成本（万元，示例假设）"])
    assert cost[1] < cost[0]  # less money, less spent, more late
    deltas = at.dataframe[1].value
    assert len(deltas) == 6 and "nantong_tight：按期差" in deltas.columns
    assert (deltas["nantong_tight：按期差"] <= 0).all()
    _button(at, "计算曲线").click().run()
    _clean(at)
    assert len(at.get("vega_lite_chart")) == 1
    frontier = at.dataframe[2].value
    assert len(frontier) >= 3


# ------------------------------------------------------------------------------------------- 导出

def test_export_page_offers_the_engine_workbook() -> None:
    at = _open("views/export.py")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载计划工作簿（.xlsx）", "下载当前数据工作簿", "下载当前情景（.toml）"]
    assert "65 个缺口中 65 个按期" in _texts(at.markdown)


# ------------------------------------------------------------------------------------------- failures

def test_engine_failures_are_messages_not_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.model.solve

    def broken(dataset, scenario):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(planner.model.solve, "solve", broken)
    at = _open("views/plan.py", scenario=_baseline_with(budget_multiplier=0.93))
    assert "计算未能完成：RuntimeError: solver crashed" in _texts(at.error)
    assert "还没有可显示的计划" in _texts(at.info)

    def timed_out(dataset, scenario):
        return Plan(scenario, SolveStatus.TIME_LIMIT, "highs", message="60 s")

    monkeypatch.setattr(planner.model.solve, "solve", timed_out)
    at = _open("views/overview.py", scenario=_baseline_with(budget_multiplier=0.91))
    assert "求解超时" in _texts(at.error)
    assert _metrics(at)["基本能力缺口"] == "16"  # the data still show


def _baseline_with(**changes):
    from planner.io.scenario import load_scenario, with_changes

    return with_changes(load_scenario(ROOT / "scenarios" / "nantong_baseline.toml"), **changes)
