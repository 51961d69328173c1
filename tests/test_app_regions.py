"""Any region's plan in the app (issue 12): the region tree with roll-up rows, the targets of the region in focus,
a new region started from a template (filled in the app, checked by the engine's reader), the example province,
and the matrix edited in its four states.

Expected figures come from the engine on the same data (the plan's TargetResult, the roll-up sums of the rows
above them), never from the page itself.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from planner.analysis.summary import gap_quarters as open_quarters
from planner.domain import Cap, Objective
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.scenario import load_scenario
from planner.io.templates import load_template, template_workbook
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from tests.test_app import ROOT, _button, _clean, _open, _texts
from tests.test_app_county import _isolated  # noqa: F401 - autouse: scenario files and the data store in tmp

DEMO = ROOT / "data" / "demo_province.xlsx"
CITATION_NC = "到2025年,县级社会公用计量标准新建、提升改造30项以上"


@pytest.fixture(scope="module")
def demo_plan():
    ds = load_workbook(DEMO)
    return ds, solve(ds, load_scenario(ROOT / "scenarios" / "demo_province.toml"))


def _example(page: str | None = None, **query):
    """The app on the example province, loaded with the data page's one-click button."""
    at = _open("views/data.py")
    _button(at, "载入示例省（含情景）").click().run()
    _clean(at)
    assert at.session_state["wb_source"] == "example" and at.session_state["scenario"].name == "demo_province"
    assert "已载入示例省数据" in _texts(at.success) and "示例省数据" in _texts(at.sidebar.caption)
    for key, value in query.items():
        at.session_state[key] = value
    if page:
        at.switch_page(page).run()
        _clean(at)
    return at


def _frame(at, column: str, value: str, other: str = ""):
    """The first table on the page with ``value`` in ``column`` (and a column ``other``)."""
    return next(d.value for d in at.dataframe if column in d.value.columns and value in set(d.value[column])
                and (not other or other in d.value.columns))


# ------------------------------------------------------------------------------------------- region tree

def test_the_tree_and_a_city_in_focus_with_roll_ups(demo_plan) -> None:
    ds, plan = demo_plan
    at = _example()
    focus = at.selectbox(key="focus")
    assert focus.options[:4] == ["全部地区", "示例省", "└ 示例甲市", "\u3000└ 示例甲一县"]  # indented as a tree
    at.session_state["focus"] = "示例乙市"
    at.switch_page("views/deadlines.py").run()
    _clean(at)
    assert at.query_params["region"] == "示例乙市" and at.query_params["sc"] == "demo_province"
    city = ds.subtree("示例乙市")
    for n, tier in enumerate(ds.tiers):  # one table per tier: the city's regions, then its roll-up
        table = at.dataframe[n].value
        assert list(table["地区"]) == city + ["示例乙市（合计）"]
        own = [c for c in plan.compliance if c.tier == tier and c.region in city]
        total = table.iloc[-1]
        assert total["要求总数"] == sum(c.required for c in own) and total["按期"] == sum(c.on_time for c in own)
        assert total["未建"] == sum(c.unbuilt for c in own)
        assert total["按期达标"] == ("✓" if all(c.meets_deadline for c in own) else "✗")
    assert "4 / 5 个地区按期达标" in _texts(at.markdown)  # the roll-up row is not a region
    at.switch_page("views/plan.py").run()
    _clean(at)
    spending = _frame(at, "地区", "示例乙市（合计）")
    per_year = spending[spending["地区"] == "示例乙市（合计）"]
    assert list(per_year["年份"]) == [2025, 2026, 2027]
    spent_2026 = sum(s.spent_wan for s in plan.spending if s.region in city and s.year == 2026)
    assert per_year[per_year["年份"] == 2026].iloc[0]["支出（万元）"] == pytest.approx(spent_2026, abs=0.15)
    at.switch_page("views/overview.py").run()
    _clean(at)
    gaps = _frame(at, "地区", "示例乙市（合计）")
    assert list(gaps["地区"])[-1] == "示例乙市（合计）"
    assert gaps.iloc[-1]["基础能力缺口"] == sum(1 for r, i in ds.gaps() if r in city and ds.item(i).tier.key
                                             == "foundation")


def test_the_whole_province_rolls_up_per_city_and_a_county_alone_has_none(demo_plan) -> None:
    ds, plan = demo_plan
    at = _example("views/deadlines.py")
    names = list(at.dataframe[0].value["地区"])
    assert [n for n in names if n.endswith("（合计）")] == ["示例甲市（合计）", "示例乙市（合计）", "示例省（合计）"]
    assert names.index("示例甲市（合计）") == names.index("示例甲五县") + 1 and names[-1] == "示例省（合计）"
    province = at.dataframe[0].value.iloc[-1]
    assert province["要求总数"] == sum(c.required for c in plan.compliance if c.tier.key == "foundation")
    at.session_state["focus"] = "示例乙三县"
    at.run()
    _clean(at)
    assert [list(d.value["地区"]) for d in at.dataframe[:3]] == [["示例乙三县"]] * 3  # no roll-up of one county
    assert "（合计）" not in _texts(at.caption)
    # the targets that reach the county: the province's and its city's, with the county's own row
    targets = at.table[0].value
    assert list(targets.index) == ["DM-2", "DM-3"]
    row = _frame(at, "地区", "示例乙三县", "达到")
    result = next(r for r in plan.targets if r.target.id == "DM-3")
    mine = next(r for r in result.rows if r.region == "示例乙三县")
    assert list(row["地区"]) == ["示例乙三县"] and row.iloc[0]["达到"] == mine.reached
    assert row.iloc[0]["状态"] == f"✗ 差 {mine.required - mine.reached} 项"


# ---------------------------------------------------------------------------------------------- targets

def test_targets_on_the_overview_and_the_deadline_page(demo_plan) -> None:
    ds, plan = demo_plan
    missed = [r for r in plan.targets if not r.met]
    assert [r.target.id for r in missed] == ["DM-3"]  # the demo: one missed, the others met
    at = _example("views/overview.py")
    assert "当前计划达到 3 / 4 个目标。" in _texts(at.markdown)
    table = at.table[0].value
    assert dict(zip(table.index, table["状态"], strict=True)) == {"DM-1": "✓ 达到", "DM-2": "✓ 达到",
                                                                "DM-3": "✗ 未达到", "DM-4": "✓ 达到"}
    dm3 = missed[0]
    assert f"差 {dm3.shortfall} 项" in table.loc["DM-3", "计划结果"]
    assert f"{dm3.extra_wan:.1f} 万元" in table.loc["DM-3", "计划结果"]  # what it would take, in money
    at.switch_page("views/deadlines.py").run()
    _clean(at)
    text = _texts(at.markdown)
    assert "目标 **DM-1**：示例甲市：基础能力于 2025-12-31 前全部配置到位——✓ 达到" in text  # beside its tier
    assert dm3.zh in text and ds.targets[2].source in text  # what it would take; the source, verbatim
    per_region = _frame(at, "地区", "示例乙三县", "适用项目")
    assert list(per_region["地区"]) == [r.region for r in dm3.rows]
    assert list(per_region["适用项目"]) == [r.total for r in dm3.rows]
    at.session_state["lang"] = "en"
    at.run()
    _clean(at)
    assert "The current plan meets 3 of 4 targets." in _texts(at.markdown)
    assert dm3.en in _texts(at.markdown) and at.table[0].value.loc["DM-3", "Status"] == "✗ missed"


# -------------------------------------------------------------------------------------------- templates

def _draft_edit(at, grid: str, rows: dict[int, dict]) -> None:
    version = at.session_state["draft_version"]
    at.session_state[f"nr_{grid}_{version}"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}


def test_nanchang_from_the_template_filled_in_the_app(tmp_path: Path) -> None:
    at = _open("views/data.py")
    assert at.selectbox(key="nr_plan").value == "nanchang"
    assert "NC-1" in _texts(at.markdown) and "1 个市级、9 个县级地区" in _texts(at.markdown)
    _button(at, "在本页填写").click().run()
    _clean(at)
    draft = at.session_state["draft"]
    assert draft.regions[0] == "南昌市" and len(draft.regions) == 10 and draft.years == [2023, 2024, 2025, 2026]
    assert "矩阵还有 220 个空格，分布在 10 个地区；预算还有 40 个空格，分布在 10 个地区。" in _texts(at.info)
    _button(at, "校验并使用这些数据").click().run()  # blank: the reader's messages, summarised
    _clean(at)
    assert "还不能使用" in _texts(at.error) and "矩阵还有 220 个空格" in _texts(at.info)
    assert "工作表「能力矩阵」，第 2 行，列「玻璃体温计」：不能为空" in _texts(at.error)
    assert "另有 255 条问题未列出" in _texts(at.caption)  # 260 blanks, 5 listed
    assert at.session_state["wb_source"] == "shipped"  # nothing adopted
    # every blank cell 已具备, then a few cells by hand: a standard to build, one to upgrade, one not applicable
    at.selectbox(key="nr_fill_state").set_value("has").run()
    _button(at, "填入矩阵空格").click().run()
    items = at.session_state["draft"].items
    _draft_edit(at, "matrix", {7: {"衡器": "缺失", "水表": "需升级"}, 8: {"血压计": "不适用"}})
    at.run()
    at.number_input(key="nr_fill_amount").set_value(60.0).run()
    _button(at, "填入预算空格").click().run()
    _draft_edit(at, "budgets", {7: {"2024": 90.0}})
    at.run()
    _clean(at)
    assert "矩阵与预算已全部填写" in _texts(at.success)
    _button(at, "校验并使用这些数据").click().run()
    _clean(at)
    assert at.session_state["wb_source"] == "template" and "draft" not in at.session_state
    assert "已使用「南昌市」的数据与模板情景（2 个目标" in _texts(at.success)
    ds = load_workbook(at.session_state["wb_bytes"])
    assert draft.regions[7:9] == ["南昌县", "安义县"]
    assert ds.state("南昌县", "衡器") == Cap.LACKS and ds.state("南昌县", "水表") == Cap.UPGRADE
    assert ds.state("安义县", "血压计") == Cap.NA and ds.state("安义县", "衡器") == Cap.HAS
    assert ds.budgets[("南昌县", 2024)] == 90.0 and ds.budgets[("南昌市", 2026)] == 60.0
    assert len(items) == 22 and len(ds.gaps()) == 2
    sc = at.session_state["scenario"]
    assert (sc.name, sc.start.label, sc.horizon_end.label, sc.deadline_mode.value) == (
        "nanchang_template", "2023Q3", "2026Q4", "soft")
    at.switch_page("views/deadlines.py").run()
    _clean(at)
    plan = solve(ds, sc)
    results = {r.target.id: r for r in plan.targets}
    table = at.table[0].value
    assert list(table.index) == ["NC-1", "NC-2"]
    assert table.loc["NC-1", "状态"] == "✗ 未达到"  # two gaps can never make 30 standards
    assert results["NC-1"].zh in _texts(at.markdown) and CITATION_NC in _texts(at.markdown)
    assert table.loc["NC-2", "状态"] == ("✓ 达到" if results["NC-2"].met else "✗ 未达到")
    # the link carries the data and the settings (no scenario file): a reload gets the same view
    params = dict(at.query_params)
    assert params["name"] == "nanchang_template" and "sc" not in params and params["data"]
    again = _open("views/deadlines.py", query={k: v[0] if isinstance(v, list) else v for k, v in params.items()})
    assert again.session_state["scenario"].start.label == "2023Q3"
    assert again.session_state["scenario"].name == "nanchang_template"
    assert list(again.table[0].value.index) == ["NC-1", "NC-2"]
    again.switch_page("views/scenario.py").run()  # no scenario file: the picker names none, offers no reset
    _clean(again)
    assert again.selectbox(key="sc_w_file").value is None
    assert not [b for b in again.button if b.key == "sc_reopen"]


def test_an_uploaded_blank_template_is_summarised() -> None:
    data = workbook_bytes(template_workbook(load_template("nanchang")))
    at = _open("views/data.py")
    at.file_uploader[0].upload("nanchang.xlsx", data).run()
    _clean(at)
    assert "nanchang.xlsx 未通过校验" in _texts(at.error)
    assert "矩阵还有 220 个空格，分布在 10 个地区；预算还有 40 个空格，分布在 10 个地区。" in _texts(at.warning)
    assert len([e for e in at.error if "不能为空" in e.value]) == 5 and "另有 255 条问题未列出" in _texts(at.caption)
    assert at.session_state["wb_source"] == "shipped"


def test_a_blank_hierarchy_and_a_typing_error() -> None:
    at = _open("views/data.py")
    at.selectbox(key="nr_plan").set_value("blank").run()
    at.text_area(key="nr_hierarchy").input("某市(甲县,乙区").run()
    _clean(at)
    assert "缺少右括号" in _texts(at.error)
    at.text_area(key="nr_hierarchy").input("某市(甲县,乙区)").run()
    _clean(at)
    assert "**某市**：1 个市级、2 个县级地区" in _texts(at.markdown)
    assert "空白模板没有目标" in _texts(at.caption)


# ----------------------------------------------------------------------------------- four matrix states

def test_the_matrix_editor_takes_the_four_states() -> None:
    at = _example("views/data.py")
    matrix = at.data_editor[2].value
    rows = list(matrix["地区"])
    assert set(matrix["衡器"]) <= {"已具备", "缺失", "需升级", "不适用"}
    county = rows.index("示例乙三县")
    before = load_workbook(at.session_state["wb_bytes"])
    assert before.state("示例乙三县", "衡器") == Cap.LACKS
    version = at.session_state["editor_version"] if "editor_version" in at.session_state else 0
    at.session_state[f"ed_matrix_{version}"] = {"edited_rows": {county: {"衡器": "不适用", "血压计": "需升级"}},
                                               "added_rows": [], "deleted_rows": []}
    at.button(key="apply_matrix").click().run()
    _clean(at)
    assert "已应用「能力矩阵」中的 2 处修改" in _texts(at.success)
    after = load_workbook(at.session_state["wb_bytes"])
    assert after.state("示例乙三县", "衡器") == Cap.NA and after.state("示例乙三县", "血压计") == Cap.UPGRADE
    assert len(after.gaps()) == len(before.gaps())  # one gap no longer required, one upgrade more
    at.switch_page("views/overview.py").run()
    _clean(at)
    chart = at.get("vega_lite_chart")[0].proto  # the heatmap: 不适用 in the legend, ↑ on an upgrade
    assert "不适用" in json.loads(chart.spec)["layer"][0]["encoding"]["color"]["scale"]["domain"]
    cells = convert_arrow_bytes_to_pandas_df(chart.datasets[0].data.data).set_index(["region", "item"])["text"]
    assert cells[("示例乙三县", "衡器")] == "/" and cells[("示例乙三县", "血压计")].startswith("↑")
    assert "↑ 表示升级现有标准" in _texts(at.caption)


def test_an_upgrade_without_an_upgrade_cost_is_refused_on_its_cell() -> None:
    at = _open("views/data.py")  # Nantong: its items carry no upgrade cost
    county = list(at.data_editor[2].value["地区"]).index("通州")
    at.session_state["ed_matrix_0"] = {"edited_rows": {county: {"玻璃体温计": "需升级"}}, "added_rows": [],
                                       "deleted_rows": []}
    at.button(key="apply_matrix").click().run()
    _clean(at)
    errors = _texts(at.error)
    assert f"「能力矩阵」第 {county + 1} 行（通州），列「玻璃体温计」" in errors and "升级投资" in errors
    assert at.session_state["wb_source"] == "shipped"


# -------------------------------------------------------------------------------------------- compare

def test_compare_shows_what_the_earliest_plan_costs_in_money_and_quarters() -> None:
    ds = load_workbook(ROOT / "data" / "nantong_capabilities.xlsx")
    base = load_scenario(ROOT / "scenarios" / "nantong_baseline.toml")
    earliest, cheapest = (solve(ds, replace(base, objective=o)) for o in (Objective.EARLIEST, Objective.CHEAPEST))
    wan = earliest.total_cost_wan - cheapest.total_cost_wan
    quarters = open_quarters(cheapest) - open_quarters(earliest)
    assert 40 < wan < 50 and 150 < quarters < 180  # the trade the objective switch makes on the baseline
    at = _open("views/compare.py")
    both = next(d.value for d in at.dataframe if "最早配置到位" in set(d.value.iloc[:, 0]))
    assert list(both["缺口开放季度"]) == [open_quarters(earliest), open_quarters(cheapest)]
    assert f"多花 {wan:,.1f} 万元" in _texts(at.markdown) and f"少 {quarters} 个" in _texts(at.markdown)


def test_discarding_the_example_takes_its_scenario_along_and_undo_brings_both_back() -> None:
    at = _example("views/data.py")
    _button(at, "丢弃这些数据").click().run()
    _button(at, "确定丢弃").click().run()
    _clean(at)
    assert at.session_state["wb_source"] == "shipped" and at.session_state["scenario"].name == "nantong_baseline"
    assert at.query_params["sc"] == "nantong_baseline" and "data" not in at.query_params
    _button(at, "撤销上一步").click().run()
    _clean(at)
    assert at.session_state["wb_source"] == "example" and at.session_state["scenario"].name == "demo_province"


def test_regions_without_a_matrix_row_are_named_as_left_out() -> None:
    """A city without a matrix row of its own (its items not named): a count target over the city says it was
    not counted."""
    ds = load_workbook(DEMO)
    cut = replace(ds, matrix={k: v for k, v in ds.matrix.items() if k[0] != "示例甲市"},
                  budgets={k: v for k, v in ds.budgets.items() if k[0] != "示例甲市"}, tiers=list(ds.tiers),
                  warnings=[])
    data = workbook_bytes(dataset_workbook(cut))
    plan = solve(load_workbook(data), load_scenario(ROOT / "scenarios" / "demo_province.toml"))
    assert {r.target.id: r.left_out for r in plan.targets}["DM-4"] == ("示例甲市",)
    at = _example()
    at.session_state["wb_bytes"] = data
    at.session_state["focus"] = "示例甲市"
    at.switch_page("views/deadlines.py").run()
    _clean(at)
    assert "**未计入**：示例甲市（能力矩阵中没有这些地区的行）。" in _texts(at.markdown)
    assert "未计入（无能力矩阵行）：示例甲市" in at.table[0].value.loc["DM-4", "计划结果"]


def test_marginal_values_of_the_example_province(demo_plan) -> None:
    """Its targets join counties into one part: each county-year's extra money re-solves that part (this
    raised a KeyError before), and the page says what the best 10 万元 buys."""
    from planner.analysis.marginal import marginal_values

    ds, plan = demo_plan
    at = _example("views/deadlines.py")
    _button(at, "计算边际价值").click().run()
    _clean(at)
    values = marginal_values(ds, plan.scenario, plan)
    best = max(values, key=lambda v: (v.missed_saved, v.open_quarters_saved))
    assert best.missed_saved > 0  # the demo: money buys a deadline somewhere
    assert any(f"{best.region}" in m and f"{best.year}" in m for m in _texts(at.markdown).split("\n"))
    assert not at.exception and not [e for e in at.error if "内部错误" in e.value]
