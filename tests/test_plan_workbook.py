"""The plan workbook: sheets, real cells, Gantt colours, text-not-formula, and that it re-opens as input."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from planner.domain import (
    BASIC,
    UPGRADED,
    Assumption,
    Cap,
    ComplianceRow,
    Dataset,
    GapMode,
    Item,
    Level,
    Options,
    Plan,
    Region,
    Scenario,
    ScheduledGap,
    ShareGroup,
    Shortfall,
    SolveStatus,
    Source,
    Spending,
)
from planner.io.workbook import load_workbook
from planner.quarters import Quarter
from planner.reports.plan_workbook import (
    LATE_COLOUR,
    MISSING_COLOUR,
    plan_workbook,
    plan_workbook_bytes,
    tier_colours,
    write_plan,
)

BASIC_DUE, UPGRADED_DUE = date(2024, 12, 31), date(2025, 12, 31)
GENERATED = date(2024, 3, 1)
EXPECTED_SHEETS = ["说明", "计划", "预算执行", "截止检查", "甘特", "情景假设",
                   "层级", "项目", "别名", "地区", "能力矩阵", "公布数", "预算", "实际完成", "共用组", "假设", "来源"]


def make_dataset(r1: str = "海安", r2: str = "如皋", item: str = "衡器") -> Dataset:
    items = [
        Item("B01", item, BASIC, BASIC_DUE, 12.0, 1.5, 2, note="示例"),
        Item("B02", "水表", BASIC, BASIC_DUE, 8.0, 1.0, 1),
        Item("U01", "三相电能表", UPGRADED, UPGRADED_DUE, 20.0, 2.0, 3, service_fee_wan=4.0),
    ]
    regions = [Region("R0", "市级", Level.CITY), Region("R1", r1, Level.COUNTY), Region("R2", r2, Level.COUNTY)]
    L, H = Cap.LACKS, Cap.HAS
    has = {(r1, item): L, (r1, "水表"): H, (r1, "三相电能表"): L, (r2, item): L, (r2, "水表"): L, (r2, "三相电能表"): L}
    budgets = {(r1, 2024): 30.0, (r1, 2025): 30.0, (r2, 2024): 10.0, (r2, 2025): 20.0}
    return Dataset(
        items=items, regions=regions, matrix=has, budgets=budgets,
        share_groups=[ShareGroup("电能表", (item, "三相电能表"), 3.0, "同一标准装置")],
        assumptions=[Assumption("baseline", "2023-08-20", "日期", "计划印发日期")],
        sources=[Source("S1", "通政发〔2023〕17号", "附件", "")],
    )


def make_plan(ds: Dataset, name: str = "紧预算", status: SolveStatus = SolveStatus.OPTIMAL) -> Plan:
    r1, r2 = ds.regions[1].name, ds.regions[2].name
    item = ds.items[0].name
    scenario = Scenario(name=name, workbook=Path("data/x.xlsx"), start=Quarter(2023, 4),
                        horizon_end=Quarter(2026, 4), region_multipliers={r2: 1.2},
                        budget_overrides={(r1, 2025): 40.0}, city_capacity=3,
                        options=Options(sharing=True, city_pool_wan=5.0))
    schedule = [
        # built on time: 2024Q1..Q2 building, online 2024Q3
        ScheduledGap(r1, item, BASIC, GapMode.BUILT, Quarter(2024, 1), Quarter(2024, 3), 12.0,
                     BASIC_DUE, True, 0),
        ScheduledGap(r1, "三相电能表", UPGRADED, GapMode.SHARED, Quarter(2024, 2), Quarter(2024, 2), 0.0,
                     UPGRADED_DUE, False, 0),
        # built late: online 2025Q2, two quarters after the 2024Q4 deadline
        ScheduledGap(r2, item, BASIC, GapMode.BUILT, Quarter(2024, 4), Quarter(2025, 2), 12.0,
                     BASIC_DUE, False, 2),
        ScheduledGap(r2, "水表", BASIC, GapMode.UNBUILT, None, None, 0.0, BASIC_DUE, False, 9),
        ScheduledGap(r2, "三相电能表", UPGRADED, GapMode.BUILT, Quarter(2024, 3), Quarter(2025, 2), 20.0,
                     UPGRADED_DUE, True, 0),
    ]
    spending = [
        Spending(r1, 2024, 12.0, 0.75, 2.0, 30.0),
        Spending(r1, 2025, 0.0, 1.5, 4.0, 40.0),
        Spending(r2, 2024, 12.0, 0.0, 0.0, 10.0, pool_wan=2.0),
        Spending(r2, 2025, 20.0, 1.5, 0.0, 24.0),
    ]
    compliance = [
        ComplianceRow(r1, BASIC, 2, 1, 1, 0, 0, 0, 0, BASIC_DUE),
        ComplianceRow(r2, BASIC, 2, 0, 0, 1, 1, 0, 0, BASIC_DUE),
        ComplianceRow(r1, UPGRADED, 1, 0, 0, 0, 0, 1, 0, UPGRADED_DUE),
        ComplianceRow(r2, UPGRADED, 1, 0, 1, 0, 0, 0, 0, UPGRADED_DUE, actual_done=0, as_of=date(2025, 6, 30)),
    ]
    shortfalls = [Shortfall(r2, BASIC, BASIC_DUE, 14.0, f"{r2}基本能力截止前缺 14.0 万元",
                            f"{r2} lacks 14.0 wan for the basic deadline")]
    return Plan(scenario, status, "highs", objective=123.456, schedule=schedule, spending=spending,
                compliance=compliance, shortfalls=shortfalls, mip_gap=0.0, seconds=0.42)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return make_dataset()


@pytest.fixture(scope="module")
def plan(dataset: Dataset) -> Plan:
    return make_plan(dataset)


@pytest.fixture(scope="module")
def saved(plan: Plan, dataset: Dataset) -> bytes:
    return plan_workbook_bytes(plan, dataset, generated_on=GENERATED)


@pytest.fixture(scope="module")
def wb(saved: bytes) -> openpyxl.Workbook:
    """The workbook as saved and read back (what Excel would see)."""
    return openpyxl.load_workbook(io.BytesIO(saved))


def find_row(ws, **match) -> int:
    headers = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if all(ws.cell(r, headers[k]).value == v for k, v in match.items()):
            return r
    raise AssertionError(f"no row {match} in {ws.title}")


def cell(ws, row: int, header: str):
    return ws.cell(row, next(c.column for c in ws[1] if c.value == header))


def fill_of(c) -> str:
    return (c.fill.fgColor.rgb or "")[-6:] if c.fill and c.fill.fill_type == "solid" else ""


def test_sheet_names_and_order(wb) -> None:
    assert wb.sheetnames == EXPECTED_SHEETS


def test_readme_status_cost_and_shortfalls(wb, plan) -> None:
    ws = wb["说明"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert ws["A1"].value == "计量能力缺口规划结果"
    assert values["情景"] == "紧预算"
    assert values["求解状态"] == "最优 / optimal"
    assert values["目标函数值"] == pytest.approx(123.456)
    assert values["总支出（万元）"] == pytest.approx(plan.total_cost_wan)
    assert values["生成日期"].date() == GENERATED
    assert "示例假设" in values and "assumptions" in values["示例假设"]
    assert "缺 14.0 万元" in values["预算缺口"] and "lacks 14.0 wan" in values["预算缺口"]


@pytest.mark.parametrize("status, text", [(SolveStatus.FEASIBLE, "可行（未证明最优） / feasible"),
                                          (SolveStatus.INFEASIBLE, "不可行 / infeasible"),
                                          (SolveStatus.TIME_LIMIT, "超时")])
def test_status_line(dataset, status, text) -> None:
    ws = plan_workbook(make_plan(dataset, status=status), dataset, generated_on=GENERATED)["说明"]
    line = next(ws.cell(r, 2).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "求解状态")
    assert line.startswith(text)


def test_schedule_cells(wb) -> None:
    ws = wb["计划"]
    assert [c.value for c in ws[1]][:10] == ["地区", "项目", "层级", "方式", "开工季度", "投用季度",
                                            "建设投资（万元）", "截止日期", "是否按期", "逾期季度"]
    r = find_row(ws, 地区="海安", 项目="衡器")
    assert cell(ws, r, "层级").value == "基本"
    assert cell(ws, r, "方式").value == "自建"
    assert cell(ws, r, "开工季度").value == "2024Q1"
    assert cell(ws, r, "投用季度").value == "2024Q3"
    assert cell(ws, r, "建设投资（万元）").value == 12.0
    assert cell(ws, r, "建设投资（万元）").number_format == "0.0"
    assert cell(ws, r, "截止日期").value.date() == BASIC_DUE
    assert cell(ws, r, "截止日期").number_format == "yyyy-mm-dd"
    assert cell(ws, r, "是否按期").value == "是"
    late = find_row(ws, 地区="如皋", 项目="衡器")
    assert (cell(ws, late, "是否按期").value, cell(ws, late, "逾期季度").value) == ("否", 2)
    assert cell(ws, find_row(ws, 地区="海安", 项目="三相电能表"), "方式").value == "共享（假设情景，不计入配置到位）"
    assert cell(ws, find_row(ws, 地区="如皋", 项目="水表"), "方式").value == "未建"
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:K6"


def test_spending_balance_is_budget_minus_spent(wb, plan) -> None:
    ws = wb["预算执行"]
    for s in plan.spending:
        r = find_row(ws, 地区=s.region, 年份=s.year)
        assert cell(ws, r, "合计支出（万元）").value == pytest.approx(s.spent_wan)
        assert cell(ws, r, "预算（万元）").value == pytest.approx(s.budget_wan)
        assert cell(ws, r, "结余（万元）").value == pytest.approx(s.budget_wan - s.spent_wan)
    over = find_row(ws, 地区="如皋", 年份=2024)  # 10 budget, 12 spent, 2 from the pool
    assert cell(ws, over, "结余（万元）").value == pytest.approx(-2.0)
    assert fill_of(cell(ws, over, "结余（万元）")) == "FFC7CE"
    assert cell(ws, over, "统筹池支用（万元，假设情景）").value == pytest.approx(2.0)
    assert cell(ws, over, "含统筹与结转结余（万元）").value == pytest.approx(0.0)
    ok = find_row(ws, 地区="海安", 年份=2024)
    assert fill_of(cell(ws, ok, "结余（万元）")) == ""
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_compliance(wb) -> None:
    ws = wb["截止检查"]
    assert [c.value for c in ws[1]] == ["地区", "层级", "截止日期", "要求", "基准已完成", "按期", "逾期", "未建",
                                        "共享", "未列明", "实际已完成", "截至日期", "是否达标"]
    assert cell(ws, find_row(ws, 地区="海安", 层级="基本"), "是否达标").value == "是"
    assert cell(ws, find_row(ws, 地区="海安", 层级="提升"), "是否达标").value == "否"  # shared does not count
    late = find_row(ws, 地区="如皋", 层级="提升")
    assert cell(ws, late, "截至日期").value.date() == date(2025, 6, 30)
    assert cell(ws, late, "实际已完成").value == 0


def test_gantt_colours_and_deadlines(wb, dataset) -> None:
    ws = wb["甘特"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["地区", "项目", "层级", "方式"]
    assert headers[4] == "2023Q4" and headers[-1] == "2026Q4"
    col = {h: n for n, h in enumerate(headers, start=1)}
    on_time = find_row(ws, 地区="海安", 项目="衡器")
    assert fill_of(ws.cell(on_time, col["2024Q1"])) == tier_colours(dataset, BASIC)[0]
    assert fill_of(ws.cell(on_time, col["2024Q2"])) == tier_colours(dataset, BASIC)[0]
    assert fill_of(ws.cell(on_time, col["2024Q3"])) == tier_colours(dataset, BASIC)[1]
    assert fill_of(ws.cell(on_time, col["2023Q4"])) == fill_of(ws.cell(on_time, col["2024Q4"])) == ""
    upgraded = find_row(ws, 地区="如皋", 项目="三相电能表")
    assert fill_of(ws.cell(upgraded, col["2024Q4"])) == tier_colours(dataset, UPGRADED)[0]
    assert fill_of(ws.cell(upgraded, col["2025Q2"])) == tier_colours(dataset, UPGRADED)[1]
    late = find_row(ws, 地区="如皋", 项目="衡器")
    assert fill_of(ws.cell(late, col["2025Q2"])) == LATE_COLOUR
    assert ws.cell(late, col["2025Q2"]).value == "逾期"
    unbuilt = find_row(ws, 地区="如皋", 项目="水表")
    assert fill_of(ws.cell(unbuilt, col["2024Q4"])) == ""
    assert all(fill_of(ws.cell(unbuilt, col[q])) == MISSING_COLOUR for q in ("2025Q1", "2026Q4"))
    for label in ("2024Q4", "2025Q4"):  # the deadline quarters
        assert fill_of(ws.cell(1, col[label])) == "FFC000"
        assert ws.cell(on_time, col[label]).border.right.style == "thick"
    assert fill_of(ws.cell(1, col["2024Q3"])) != "FFC000"
    assert ws.cell(on_time, col["2024Q3"]).border.right.style == "thin"
    legend = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "图例")
    assert legend > 6 and any("截止季度" in str(ws.cell(r, 2).value) for r in range(legend, ws.max_row + 1))
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref == "A1:Q6"  # the grid only, not the legend


def test_scenario_sheet_lists_every_parameter(wb) -> None:
    ws = wb["情景假设"]
    rows = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(2, ws.max_row + 1)}
    assert rows["起始季度"][2] == "2023Q4" and rows["规划期末"][2] == "2026Q4"
    assert rows["截止要求"][2].startswith("硬约束")
    assert rows["预算倍数"][2] == 1.0
    assert rows["地区预算倍数：如皋"][2] == pytest.approx(1.2)
    assert rows["预算覆盖：海安 2025年"][2] == 40.0
    assert rows["市级建标考核能力"][2] == 3
    assert rows["求解器"][2] == "highs" and rows["求解时间上限"][2] == 60.0 and rows["MIP 相对间隙"][2] == 0.0
    for what_if in ("市级统筹资金池", "预算结余结转", "共享服务", "共享服务提供方", "共用标准节省"):
        assert rows[what_if][4] == "假设情景（what-if）"
    assert rows["共享服务"][2] == "开" and rows["预算结余结转"][2] == "关"
    assert "建设 20 万元" in rows["三相电能表"][2] and "共享服务费 4 万元/年" in rows["三相电能表"][2]
    assert rows["海安 2024年"][2] == 30.0 and rows["海安 2024年"][4] == "示例假设"
    assert rows["电能表"][2] == 3.0
    assert rows["baseline"][2] == "2023-08-20"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_reloads_as_the_input_dataset(saved, dataset) -> None:
    back = load_workbook(saved)
    assert back.items == dataset.items
    assert back.regions == dataset.regions
    assert back.matrix == dataset.matrix
    assert back.budgets == dataset.budgets
    assert back.share_groups == dataset.share_groups
    assert back.assumptions == dataset.assumptions
    assert back.sources == dataset.sources


def test_write_plan(tmp_path, plan, dataset) -> None:
    out = write_plan(plan, dataset, tmp_path / "sub" / "plan.xlsx", generated_on=GENERATED)
    assert out.exists() and load_workbook(out).items == dataset.items


def test_infeasible_plan_without_schedule(dataset) -> None:
    p = make_plan(dataset, status=SolveStatus.INFEASIBLE)
    p.schedule, p.spending, p.compliance, p.objective = [], [], [], None
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(p, dataset)))
    assert wb.sheetnames == EXPECTED_SHEETS
    ws = wb["说明"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert values["目标函数值"] == "—" and "缺 14.0 万元" in values["预算缺口"]
    assert wb["甘特"].max_row >= 1 and wb["计划"].max_row == 1


NASTY = ['=HYPERLINK("http://evil.example","点我")', "+1", "@x", "-3"]


def test_user_text_never_becomes_a_formula() -> None:
    ds = make_dataset(r1=NASTY[1], r2=NASTY[2], item=NASTY[3])
    ds.assumptions.append(Assumption("=1+1", "=SUM(A1:A2)", "@u", "-note"))
    p = make_plan(ds, name=NASTY[0])
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(p, ds)))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    assert c.data_type == "s", f"{ws.title}!{c.coordinate}: {c.value!r}"
                    if c.value[:1] in ("=", "+", "-", "@"):
                        assert c.quotePrefix, f"{ws.title}!{c.coordinate} not quote-prefixed: {c.value!r}"
                    seen.update(n for n in NASTY if n in c.value)
    assert seen == set(NASTY)
    readme = wb["说明"]
    name = next(readme.cell(r, 2) for r in range(2, readme.max_row + 1) if readme.cell(r, 1).value == "情景")
    assert name.data_type == "s" and name.value == NASTY[0]  # the user's text, unchanged
    sched = wb["计划"]
    assert {sched.cell(r, 1).value for r in range(2, sched.max_row + 1)} == {"+1", "@x"}
    gantt = wb["甘特"]
    assert gantt.cell(2, 1).data_type == "s" and gantt.cell(2, 2).value == "-3"
