"""The Streamlit app through ``streamlit.testing.v1.AppTest``: every page, asserting real content, and each fix
of issue 11 (scenario picker, shared gaps in the counts, minimum-budget meaning, uploads and edits, frontier,
English leaks, portable scenario files, the last good plan's name).

AppTest does not type into ``st.data_editor``; edits are given as the editor's edit state in session state
(what the browser sends) and go through the engine's writer and validator; the browser test drives the rest.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import Cap, Plan, SolveStatus
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.scenario import load_scenario, scenario_from_dict
from planner.io.workbook import load_workbook

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SHIPPED = ROOT / "data" / "nantong_capabilities.xlsx"
TIMEOUT = 90
CAPEX = "建设投资（万元，示例假设）"  # the items editor's capex column


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _open(page: str | None = None, query: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
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


def _parts(summary: str) -> dict[str, int]:
    """"65 个缺口：50 个按期，5 个逾期，3 个共享（假设情景），7 个未建；…" as numbers."""
    words = {"gaps": r"(\d+) 个缺口", "on_time": r"(\d+) 个按期", "late": r"(\d+) 个逾期", "shared": r"(\d+) 个共享",
             "unbuilt": r"(\d+) 个未建"}
    return {k: int(re.search(p, summary).group(1)) for k, p in words.items()}


def copy_scenarios(folder: Path) -> Path:
    """A copy of scenarios/ with workbook paths made absolute, so saving never touches the repository."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in (ROOT / "scenarios").glob("*.toml"):
        text = p.read_text(encoding="utf-8").replace('"../data/', f'"{ROOT.as_posix()}/data/')
        (folder / p.name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def scenario_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Scenario files in a temporary folder (``copy_scenarios``)."""
    folder = copy_scenarios(tmp_path / "scenarios")
    monkeypatch.setenv("PLANNER_SCENARIOS", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    from views import state

    state.store.clear()  # the store is a cached resource: a fresh one per test, in the test's folder


# ------------------------------------------------------------------------------------------- 概览

def test_overview_shows_the_shipped_gaps_and_the_plan() -> None:
    before = _digest(SHIPPED)
    at = _open()
    assert at.title[0].value == "概览：能力缺口与计划"
    m = _metrics(at)
    assert m["基本能力缺口"] == "16" and m["提升能力缺口"] == "49" and m["待补缺口"] == "65"
    assert m["按期比例"] == "100%" and m["共享缺口（假设）"] == "0"  # the baseline meets every deadline
    assert float(m["成本（万元，示例假设）"].replace(",", "")) > 0
    assert len(at.get("vega_lite_chart")) == 1  # the capability matrix heatmap
    assert _parts(_summary(at)) == {"gaps": 65, "on_time": 65, "late": 0, "shared": 0, "unbuilt": 0}
    assert "2024-12-31" in _texts(at.caption) and "2025-12-31" in _texts(at.caption)  # deadlines from the data
    warnings = _texts(at.warning)
    assert "公布 98，各行相加为 99" in warnings  # the source's own inconsistency, reported not fixed
    table = at.dataframe[0].value
    assert dict(zip(table["地区"], table["基本能力缺口"], strict=True))["通州"] == 6
    assert _digest(SHIPPED) == before


def test_english_switch_changes_every_label_but_not_the_names() -> None:
    at = _open(lang="en")
    assert at.title[0].value == "Overview: capability gaps and the plan"
    m = _metrics(at)
    assert m["Gaps (basic)"] == "16" and m["Gaps (upgraded)"] == "49"
    table = at.dataframe[0].value
    assert list(table.columns)[0] == "Region" and "通州" in set(table["Region"])  # names as in the seeds
    at.switch_page("views/scenario.py").run()
    _clean(at)
    captions = _texts(at.caption)
    assert "baseline: assumed budgets, hard deadlines" in captions  # the description in one language only
    assert "南通基准情景" not in captions


# ------------------------------------------------------------------------------------------- 数据

def test_invalid_upload_shows_sheet_row_column_and_keeps_the_data() -> None:
    wb = dataset_workbook(load_workbook(SHIPPED))
    wb["项目"]["E3"] = None  # blank capex of the second item
    at = _open("views/data.py")
    at.file_uploader[0].upload("blank_capex.xlsx", workbook_bytes(wb),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    _clean(at)
    errors = _texts(at.error)
    assert "blank_capex.xlsx 未通过校验" in errors
    assert "工作表「项目」，第 3 行，列「建设投资（万元）」：不能为空" in errors
    assert at.session_state["wb_source"] == "shipped"  # the last good data stay
    assert "内置南通数据" in _texts(at.sidebar.caption)
    at.switch_page("views/overview.py").run()
    assert _metrics(at)["基本能力缺口"] == "16"


def test_not_a_workbook_upload_is_a_message_without_library_english() -> None:
    at = _open("views/data.py")
    at.file_uploader[0].upload("notes.xlsx", b"this is not a spreadsheet").run()
    _clean(at)
    errors = _texts(at.error)
    assert "无法作为 Excel 工作簿（.xlsx）打开" in errors
    assert "zip" not in errors.lower() and not re.search(r"[A-Za-z]{4,} [a-z]{2,} [a-z]{3,}", errors)


def test_valid_upload_is_named_at_once_and_replaces_the_data() -> None:
    ds = load_workbook(SHIPPED)
    ds.matrix[("海安", "衡器")] = Cap.LACKS  # 海安 now lacks one more basic item
    at = _open("views/data.py")
    at.file_uploader[0].upload("mine.xlsx", workbook_bytes(dataset_workbook(ds))).run()
    _clean(at)
    assert "已载入 mine.xlsx" in _texts(at.success)
    assert "上传的工作簿 mine.xlsx" in _texts(at.sidebar.caption)  # the sidebar of the same run names it
    assert at.query_params["data"]  # the link carries the data's key
    at.switch_page("views/overview.py").run()
    assert _metrics(at)["基本能力缺口"] == "17"


def test_edits_name_the_row_on_screen_leave_the_grid_and_never_touch_the_file() -> None:
    before = _digest(SHIPPED)
    at = _open("views/data.py")
    assert len(at.data_editor) == 3  # items, budgets, matrix
    # nothing edited: "no change", and the data stay the shipped ones
    _button(at, "应用修改").click().run()
    _clean(at)
    assert "没有修改" in _texts(at.info) and at.session_state["wb_source"] == "shipped"
    # a blank capex in the second row on screen (衡器): rejected, named as that row, the grid starts again
    at.session_state["ed_items_0"] = {"edited_rows": {1: {CAPEX: None}}, "added_rows": [], "deleted_rows": []}
    _button(at, "应用修改").click().run()
    _clean(at)
    rejected = "「项目与成本」第 2 行（B02 衡器），列「建设投资（万元，示例假设）」：不能为空（输入：空）"
    assert rejected in _texts(at.error)
    assert at.session_state["wb_source"] == "shipped"
    assert at.session_state["editor_version"] >= 1  # a new grid from the data: the rejected value is gone
    assert at.data_editor[0].value.iloc[1][CAPEX] == "40"  # the cells are text: what is typed is judged
    # a valid edit: 衡器 capex 40 -> 60 lives in the session and is downloadable
    version = at.session_state["editor_version"]
    at.session_state[f"ed_items_{version}"] = {"edited_rows": {1: {CAPEX: 60.0}}, "added_rows": [],
                                               "deleted_rows": []}
    _button(at, "应用修改").click().run()
    _clean(at)
    assert "已应用「项目与成本」中的 1 处修改" in _texts(at.success)
    assert at.session_state["wb_source"] == "edited"
    assert load_workbook(at.session_state["wb_bytes"]).item("衡器").capex_wan == 60.0
    assert _digest(SHIPPED) == before


def test_matrix_edit_through_session_changes_the_overview() -> None:
    ds = load_workbook(SHIPPED)
    ds.matrix[("通州", "玻璃体温计")] = Cap.HAS  # 通州 reports it has the thermometer standard now
    at = _open(wb_bytes=workbook_bytes(dataset_workbook(ds)), wb_source="edited", wb_name="x.xlsx", wb_key="")
    assert _metrics(at)["基本能力缺口"] == "15"
    assert "修改过的数据（基于" in _texts(at.sidebar.caption)


def test_discard_asks_first_and_can_be_undone() -> None:
    ds = load_workbook(SHIPPED)
    ds.matrix[("海安", "衡器")] = Cap.LACKS
    at = _open("views/data.py")
    at.file_uploader[0].upload("mine.xlsx", workbook_bytes(dataset_workbook(ds))).run()
    _button(at, "丢弃这些数据").click().run()
    assert "确定丢弃" in _texts(at.warning) and at.session_state["wb_source"] == "upload"  # asked, not done
    _button(at, "确定丢弃").click().run()
    _clean(at)
    assert at.session_state["wb_source"] == "shipped" and "data" not in at.query_params
    _button(at, "撤销上一步").click().run()
    _clean(at)
    assert at.session_state["wb_source"] == "upload" and at.session_state["wb_name"] == "mine.xlsx"


# ------------------------------------------------------------------------------------------- 情景

def test_budget_changes_change_the_plan_and_back_is_the_same(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    assert at.selectbox(key="sc_w_file").value == "nantong_baseline.toml"
    baseline = _summary(at)
    assert _parts(baseline)["on_time"] == 65
    at.radio(key="sc_w_mode").set_value("soft").run()
    at.slider(key="sc_w_mult").set_value(0.5).run()
    _clean(at)
    half = _summary(at)
    assert half != baseline and _parts(half)["unbuilt"] > 0
    assert "已在情景「nantong_baseline」基础上修改" in _texts(at.caption)
    assert at.session_state["scenario"].budget_multiplier == 0.5
    assert at.query_params["m"] == "0.5" and at.query_params["mode"] == "soft"  # the link reproduces it
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
    assert "m" not in at.query_params and "mode" not in at.query_params


def test_picking_the_same_file_again_resets_the_settings(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    reopen = "恢复为「nantong_baseline」的设置"
    assert _button(at, reopen).disabled  # nothing to reset yet
    at.slider(key="sc_w_mult").set_value(1.5).run()
    at.toggle(key="sc_w_carry").set_value(True).run()
    assert at.session_state["scenario"].name == "nantong_baseline（已修改）"
    assert "切换或恢复情景文件会替换当前未保存的修改" in _texts(at.caption)
    _button(at, reopen).click().run()
    _clean(at)
    sc = at.session_state["scenario"]
    assert sc.name == "nantong_baseline" and sc.budget_multiplier == 1.0 and not sc.options.carry_over
    assert at.slider(key="sc_w_mult").value == 1.0 and not at.toggle(key="sc_w_carry").value
    _button(at, "撤销上一步").click().run()  # the reset itself can be undone
    assert at.session_state["scenario"].budget_multiplier == 1.5


def test_infeasible_hard_scenario_explains_and_names_the_last_good_plan_by_its_settings(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    at.slider(key="sc_w_mult").set_value(1.2).run()  # feasible: the last good plan is "modified" too
    good = _summary(at)
    at.slider(key="sc_w_mult").set_value(0.5).run()  # hard deadlines, half the money
    _clean(at)
    assert "无可行计划" in _texts(at.error)
    assert "预算至少还差" in _texts(at.markdown)  # the engine's shortfall explanation
    info = _texts(at.info)
    assert "上一个可行计划（预算 ×1.20 · 硬性（必须按期） · 2023Q4–2027Q4）" in info  # not the current settings
    assert _summary(at) == good  # the last good plan stays on the page


def test_save_as_shows_the_new_file_and_never_overwrites(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    at.slider(key="sc_w_mult").set_value(1.2).run()
    at.text_input(key="sc_save_name").input("county_plus_20")
    _button(at, "保存情景").click().run()
    _clean(at)
    saved = scenario_dir / "county_plus_20.toml"
    assert saved.exists() and "budget_multiplier = 1.2" in saved.read_text(encoding="utf-8")
    assert "已保存为 scenarios/county_plus_20.toml" in _texts(at.success)
    assert at.selectbox(key="sc_w_file").value == "county_plus_20.toml"  # the picker shows the file written
    assert at.session_state["scenario"].name == "county_plus_20" and at.query_params["sc"] == "county_plus_20"
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


def test_shared_gaps_are_in_the_headline_counts(scenario_dir: Path) -> None:
    at = _open("views/scenario.py")
    labels = [w.label for w in at.toggle if w.key in ("sc_w_sharing", "sc_w_discount", "sc_w_carry")]
    assert labels and all(label.startswith("假设情景") for label in labels)
    at.selectbox(key="sc_w_file").set_value("nantong_city_support.toml").run()
    _clean(at)
    parts = _parts(_summary(at))
    assert parts["shared"] > 0
    assert parts["on_time"] + parts["late"] + parts["shared"] + parts["unbuilt"] == parts["gaps"] == 65
    assert _metrics(at)["共享缺口（假设）"] == str(parts["shared"])
    plan = at.session_state["last_good_plan"]
    assert sum(g.mode.value == "shared" for g in plan.schedule) == parts["shared"]
    assert not any(g.on_time for g in plan.schedule if g.mode.value == "shared")
    for page in ("views/overview.py", "views/plan.py", "views/export.py"):
        at.switch_page(page).run()
        text = _texts(at.caption) + _texts(at.markdown)
        assert f"{parts['shared']} 个共享" in text, page


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

def test_deadline_check_computes_only_on_request_and_says_what_the_minimum_means() -> None:
    at = _open("views/deadlines.py")
    assert at.title[0].value == "截止检查：各县是否按期配置到位"
    basic, upgraded = at.dataframe[0].value, at.dataframe[1].value
    assert len(basic) == 7 and len(upgraded) == 7  # 市级 and six counties per tier
    tz = basic[basic["地区"] == "通州"].iloc[0]
    assert (tz["要求总数"], tz["基准时已具备"], tz["按期"]) == (13, 7, 6)
    assert len(at.dataframe) == 2  # nothing computed that was not asked for
    assert "并不等于预算不足" in _texts(at.markdown)  # what the minimum means, before it is computed
    _button(at, "计算最低预算").click().run()
    _clean(at)
    flat = at.dataframe[-1].value
    assert len(flat) == 6 and (flat["最低预算（万元/年）"] > 0).all()
    assert set(flat["当前计划全部按期"]) == {"✓"}  # the baseline meets every deadline: not "underfunded"
    assert float(_metrics(at)["最低预算合计（万元/年）"].replace(",", "")) > 0
    _button(at, "计算边际价值").click().run()
    _clean(at)
    assert len(at.get("vega_lite_chart")) == 1
    assert "最值得追加" in _texts(at.markdown) or "不会改善" in _texts(at.markdown)


# ------------------------------------------------------------------------------------------- 对比

def test_compare_page(scenario_dir: Path) -> None:
    at = _open("views/compare.py")
    at.multiselect(key="cmp_pick").set_value(["nantong_baseline.toml", "nantong_tight.toml"]).run()
    _clean(at)
    table = at.dataframe[0].value
    assert list(table["情景"]) == ["nantong_baseline", "nantong_tight"]
    assert list(table["工作簿预算倍数"]) == [1.0, 0.5] and table["按期"].iloc[0] == "65/65"
    cost = list(table["总成本（万元，示例假设）"])
    assert cost[1] < cost[0]  # less money, less spent, more late
    assert "两者不同" in _texts(at.caption)  # "budget ×" is said to mean two things
    deltas = at.dataframe[1].value
    assert len(deltas) == 6 and (deltas["nantong_tight：按期差"] <= 0).all()
    assert len(at.get("vega_lite_chart")) == 0  # the frontier waits for its button (see test_app_county)


# ------------------------------------------------------------------------------------------- 导出

def test_export_page_offers_the_engine_workbook_and_a_portable_scenario() -> None:
    at = _open("views/export.py")
    labels = [b.label for b in at.get("download_button")]
    assert labels[0] == "下载计划工作簿（.xlsx）" and labels[-2:] == ["下载当前数据工作簿", "下载当前情景（.toml）"]
    assert "65 个缺口：65 个按期" in _texts(at.markdown)


def test_exported_scenario_holds_no_server_path(tmp_path: Path) -> None:
    from views import state

    sc = load_scenario(ROOT / "scenarios" / "nantong_tight.toml")
    text = state.portable_toml(sc, shipped=True)
    assert str(ROOT) not in text and 'workbook = "../data/nantong_capabilities.xlsx"' in text
    elsewhere = tmp_path / "copy"  # another machine's checkout: the same layout, another place
    (elsewhere / "scenarios").mkdir(parents=True)
    (elsewhere / "data").mkdir()
    (elsewhere / "data" / "nantong_capabilities.xlsx").write_bytes(SHIPPED.read_bytes())
    (elsewhere / "scenarios" / "x.toml").write_text(text, encoding="utf-8")
    again = load_scenario(elsewhere / "scenarios" / "x.toml")
    assert again.workbook.exists() and again.budget_multiplier == 0.5
    uploaded = state.portable_toml(sc, shipped=False, data_name="计量能力数据.xlsx")
    assert str(ROOT) not in uploaded and 'workbook = "计量能力数据.xlsx"' in uploaded
    assert scenario_from_dict(__import__("tomllib").loads(uploaded)).budget_multiplier == 0.5


# ------------------------------------------------------------------------------------------- failures

def test_engine_failures_are_messages_not_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.model.solve

    def broken(dataset, scenario):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(planner.model.solve, "solve", broken)
    at = _open("views/plan.py", scenario=_baseline_with(budget_multiplier=0.93))
    errors = _texts(at.error)
    assert "计算未能完成（RuntimeError）" in errors and "solver crashed" not in errors
    assert "还没有可显示的计划" in _texts(at.info)

    def timed_out(dataset, scenario):
        return Plan(scenario, SolveStatus.TIME_LIMIT, "highs", message="60 s")

    monkeypatch.setattr(planner.model.solve, "solve", timed_out)
    at = _open("views/overview.py", scenario=_baseline_with(budget_multiplier=0.91))
    assert "求解超时" in _texts(at.error)
    assert _metrics(at)["基本能力缺口"] == "16"  # the data still show


def _baseline_with(**changes):
    from planner.io.scenario import with_changes

    return with_changes(load_scenario(ROOT / "scenarios" / "nantong_baseline.toml"), **changes)
