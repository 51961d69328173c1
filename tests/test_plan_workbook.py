"""The plan workbook: sheets, real cells, totals that add up as printed, conditional colours that follow edits,
fonts and print settings on every sheet, drop-downs on the input sheets, text-not-formula, and that it re-opens
as input."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
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
    Tier,
)
from planner.io.workbook import load_workbook
from planner.quarters import Quarter
from planner.reports.plan_workbook import (
    LATE_COLOUR,
    MISSING_COLOUR,
    SHARED_COLOUR,
    plan_workbook,
    plan_workbook_bytes,
    tier_colours,
    write_plan,
)

BASIC_DUE, UPGRADED_DUE = date(2024, 12, 31), date(2025, 12, 31)
GENERATED = date(2024, 3, 1)
PLAN_SHEETS = ["总览", "计划", "预算执行", "截止检查", "甘特", "情景假设"]
INPUT_SHEETS = ["层级", "项目", "别名", "地区", "能力矩阵", "公布数", "预算", "实际完成", "共用组", "目标", "假设",
                "来源"]
EXPECTED_SHEETS = PLAN_SHEETS + INPUT_SHEETS


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
        # shared: the solver gives no quarters; the fee runs from the plan start (2023Q4)
        ScheduledGap(r1, "三相电能表", UPGRADED, GapMode.SHARED, None, None, 0.0, UPGRADED_DUE, False, None),
        # built late: online 2025Q2, two quarters after the 2024Q4 deadline
        ScheduledGap(r2, item, BASIC, GapMode.BUILT, Quarter(2024, 4), Quarter(2025, 2), 12.0,
                     BASIC_DUE, False, 2),
        ScheduledGap(r2, "水表", BASIC, GapMode.UNBUILT, None, None, 0.0, BASIC_DUE, False, None),
        ScheduledGap(r2, "三相电能表", UPGRADED, GapMode.BUILT, Quarter(2024, 3), Quarter(2025, 2), 20.0,
                     UPGRADED_DUE, True, 0),
    ]
    spending = [  # 1.875 and 4.125: quarterly fees a one-decimal display rounds apart from their total
        Spending(r1, 2024, 12.0, 0.75, 1.875, 30.0),
        Spending(r1, 2025, 0.0, 1.5, 4.125, 40.0),
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


def header(value) -> str:
    """A header label as read: the line breaks that place its wraps taken out."""
    return str(value).replace("\n", "") if value is not None else value


def find_row(ws, **match) -> int:
    headers = {header(c.value): c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if all(ws.cell(r, headers[k]).value == v for k, v in match.items()):
            return r
    raise AssertionError(f"no row {match} in {ws.title}")


def cell(ws, row: int, header: str):
    return ws.cell(row, next(c.column for c in ws[1] if globals()["header"](c.value) == header))


def fill_of(c) -> str:
    return (c.fill.fgColor.rgb or "")[-6:] if c.fill and c.fill.fill_type == "solid" else ""


def labelled(ws) -> dict:
    """{label in column A: value in column B} of the 总览 sheet's label/value rows."""
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


# --------------------------------------------------------------------------- conditional formats, evaluated

_REF = re.compile(r'"(?:[^"]|"")*"|(\$?)([A-Z]{1,3})(\$?)(\d+)')


def _shift(formula: str, dr: int, dc: int, value_at) -> str:
    """The formula as Python, relative references moved by (dr, dc) and replaced by the cells' values."""
    def ref(m: re.Match) -> str:
        if m.group(2) is None:  # a string literal: quotes are doubled inside
            return repr(m.group(0)[1:-1].replace('""', '"'))
        col = openpyxl.utils.column_index_from_string(m.group(2)) + (0 if m.group(1) else dc)
        row = int(m.group(4)) + (0 if m.group(3) else dr)
        return repr(value_at(row, col))
    py = _REF.sub(ref, formula)
    py = py.replace("<>", "!=").replace("AND(", "all_(").replace("OR(", "any_(")
    return re.sub(r"(?<![<>!=])=(?!=)", "==", py)


def cf_fill(ws, row: int, col: int) -> str:
    """The fill a spreadsheet shows at (row, col) from the sheet's conditional formats: the first rule (by
    priority) that holds; cell-is rules and the formula rules this workbook writes (AND / OR / comparisons)."""
    def value_at(r: int, c: int):
        v = ws.cell(r, c).value
        return "" if v is None else v
    hits = []
    for rng in ws.conditional_formatting:
        for cr in rng.sqref.ranges:
            if not (cr.min_row <= row <= cr.max_row and cr.min_col <= col <= cr.max_col):
                continue
            for rule in rng.rules:
                if rule.type == "expression":
                    expr = _shift(rule.formula[0], row - cr.min_row, col - cr.min_col, value_at)
                    ok = eval(expr, {"all_": lambda *a: all(a), "any_": lambda *a: any(a)})  # noqa: S307
                elif rule.type == "cellIs" and rule.operator == "equal":
                    ok = value_at(row, col) == rule.formula[0][1:-1].replace('""', '"')
                elif rule.type == "cellIs" and rule.operator in ("lessThan", "greaterThan"):
                    v = value_at(row, col)
                    ok = isinstance(v, int | float) and (v < float(rule.formula[0]) if rule.operator == "lessThan"
                                                         else v > float(rule.formula[0]))
                else:
                    continue
                if ok and rule.dxf and rule.dxf.fill is not None:
                    hits.append((rule.priority, (rule.dxf.fill.bgColor.rgb or "")[-6:]))
    return min(hits)[1] if hits else ""


# ------------------------------------------------------------------------------------------------- sheets

def test_sheet_names_order_and_hidden_inputs(wb) -> None:
    assert wb.sheetnames == EXPECTED_SHEETS
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == PLAN_SHEETS
    assert wb.active.title == "总览"


def test_summary_first(wb, plan) -> None:
    ws = wb["总览"]
    assert ws["A1"].value == "计量能力缺口规划结果：紧预算"
    assert "求解状态：最优" in ws["A2"].value and "optimal" not in ws["A2"].value  # no English in a Chinese title
    values = labelled(ws)
    # 5 gaps: 2 on time (海安 衡器, 如皋 三相电能表), 1 late, 1 unbuilt, 1 shared; 40% on time
    assert values["缺口"].startswith("5 个待补缺口：按期 2，逾期 1，未建 1，共享 1")
    assert "按期率 40%" in values["缺口"]
    # spending as printed: 12 + 0.75 + 1.875→1.88 + 1.5 + 4.125→4.13 + 12 + 20 + 1.5 = 53.76
    assert "支出 53.76 万元" in values["支出与预算"] and "预算 104.00 万元" in values["支出与预算"]
    assert "结余 50.24 万元" in values["支出与预算"]
    assert values["基本截止"].startswith("2024-12-31：1 / 2 个地区按期达标")
    assert "缺 14.0 万元" in values["预算缺口"] and "lacks 14.0 wan" in values["预算缺口"]
    assert "目标函数值" not in values  # moved to 情景假设
    assert values["示例假设"].startswith("金额、工期、预算均为示例假设")
    assert ws.freeze_panes is None and ws.print_title_rows is None


def test_summary_flags_per_region_and_deadline(wb) -> None:
    ws = wb["总览"]
    rows = {(ws.cell(r, 1).value, ws.cell(r, 2).value): ws.cell(r, 11).value for r in range(1, ws.max_row + 1)
            if ws.cell(r, 11).value}
    assert rows[("海安", "基本")] == "达标"
    assert rows[("如皋", "基本")] == "未建成"  # one unbuilt
    assert rows[("海安", "提升")] == "逾期或共享"  # shared does not count
    assert rows[("如皋", "提升")] == "达标"
    assert rows[("全部（2）", "基本")] == "未建成" and rows[("全部（2）", "提升")] == "逾期或共享"
    flag = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 11).value == "未建成")
    assert cf_fill(ws, flag, 11) == "FFC7CE"
    ws.cell(flag, 11).value = "达标"  # an edit: the colour follows
    assert cf_fill(ws, flag, 11) == "C6EFCE"


def test_summary_year_totals_add_up_as_displayed(wb) -> None:
    ws = wb["总览"]
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "年份")
    cols = {ws.cell(head, c).value: c for c in range(1, 12) if ws.cell(head, c).value}
    years = {ws.cell(r, 1).value: r for r in range(head + 1, head + 4)}
    assert set(years) == {2024, 2025, "合计"}

    def cents(r: int, name: str) -> Decimal:
        c = ws.cell(r, cols[name])
        assert c.number_format == "#,##0.00_ "
        return Decimal(str(c.value)).quantize(Decimal("0.01"))

    for r in years.values():
        assert cents(r, "预算") - cents(r, "合计支出") == cents(r, "结余")
        assert cents(r, "建设投资") + cents(r, "运行费") + cents(r, "服务费") == cents(r, "合计支出")
    for name in ("预算", "建设投资", "运行费", "服务费", "合计支出", "结余"):
        assert cents(years[2024], name) + cents(years[2025], name) == cents(years["合计"], name)
    assert cents(years[2024], "服务费") == Decimal("1.88") and cents(years[2025], "服务费") == Decimal("4.13")


@pytest.mark.parametrize("status, text", [(SolveStatus.FEASIBLE, "可行（未证明最优）"),
                                          (SolveStatus.INFEASIBLE, "不可行"),
                                          (SolveStatus.TIME_LIMIT, "超时")])
def test_status_line(dataset, status, text) -> None:
    ws = plan_workbook(make_plan(dataset, status=status), dataset, generated_on=GENERATED)["情景假设"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "求解状态")
    assert ws.cell(row, 3).value.startswith(text)


def test_schedule_cells(wb) -> None:
    ws = wb["计划"]
    assert [header(c.value) for c in ws[1]][:10] == ["地区", "项目", "层级", "方式", "开工季度", "投用季度",
                                            "建设投资（万元）", "截止日期", "是否按期", "逾期季度"]
    r = find_row(ws, 地区="海安", 项目="衡器")
    assert cell(ws, r, "层级").value == "基本"
    assert cell(ws, r, "方式").value == "自建"
    assert cell(ws, r, "开工季度").value == "2024Q1"
    assert cell(ws, r, "投用季度").value == "2024Q3"
    assert cell(ws, r, "建设投资（万元）").value == 12.0
    assert cell(ws, r, "建设投资（万元）").number_format == "#,##0.00_ "
    assert cell(ws, r, "截止日期").value.date() == BASIC_DUE
    assert cell(ws, r, "截止日期").number_format == "yyyy-mm-dd"
    assert cell(ws, r, "是否按期").value == "是"
    late = find_row(ws, 地区="如皋", 项目="衡器")
    assert (cell(ws, late, "是否按期").value, cell(ws, late, "逾期季度").value) == ("否", 2)
    shared = find_row(ws, 地区="海安", 项目="三相电能表")
    assert cell(ws, shared, "方式").value == "共享（假设情景）"
    assert cell(ws, shared, "逾期季度").value == "共享"  # words, not a placeholder number of quarters
    unbuilt = find_row(ws, 地区="如皋", 项目="水表")
    assert (cell(ws, unbuilt, "方式").value, cell(ws, unbuilt, "逾期季度").value) == ("未建", "未建成")
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:K6"


def test_schedule_colours_are_conditional(wb) -> None:
    ws = wb["计划"]
    late = find_row(ws, 地区="如皋", 项目="衡器")
    col = cell(ws, late, "是否按期").column
    assert fill_of(ws.cell(late, col)) == ""  # no fixed fill
    assert cf_fill(ws, late, col) == "FFC7CE"
    ws.cell(late, col).value = "是"
    assert cf_fill(ws, late, col) == "C6EFCE"
    ws.cell(late, col).value = "否"
    unbuilt = find_row(ws, 地区="如皋", 项目="水表")
    assert cf_fill(ws, unbuilt, cell(ws, unbuilt, "方式").column) == "FFC7CE"


def test_spending_rows_and_totals_add_up_as_displayed(wb, plan) -> None:
    ws = wb["预算执行"]
    headers = [header(c.value) for c in ws[1]]
    assert headers[:8] == ["地区", "年份", "建设投资（万元）", "运行费（万元）", "服务费（万元）", "合计支出（万元）",
                           "预算（万元）", "结余（万元）"]
    col = {h: n for n, h in enumerate(headers, start=1)}

    def cents(r: int, h: str) -> Decimal:
        return Decimal(str(ws.cell(r, col[h]).value)).quantize(Decimal("0.01"))

    rows = {(ws.cell(r, 1).value, ws.cell(r, 2).value): r for r in range(2, ws.max_row + 1)}
    for r in rows.values():
        assert ws.cell(r, col["结余（万元）"]).number_format == "#,##0.00_ "
        assert cents(r, "预算（万元）") - cents(r, "合计支出（万元）") == cents(r, "结余（万元）")
        assert (cents(r, "建设投资（万元）") + cents(r, "运行费（万元）") + cents(r, "服务费（万元）")
                == cents(r, "合计支出（万元）"))
    detail = [r for (region, year), r in rows.items() if isinstance(year, int)]
    assert len(detail) == len(plan.spending)
    for h in headers[2:8]:
        for region in ("海安", "如皋"):
            own = [r for (g, y), r in rows.items() if g == region and isinstance(y, int)]
            assert sum(cents(r, h) for r in own) == cents(rows[(region, "小计")], h)
        assert sum(cents(r, h) for r in detail) == cents(rows[("合计", None)], h)
    assert cents(rows[("海安", 2024)], "服务费（万元）") == Decimal("1.88")
    over = rows[("如皋", 2024)]  # 10 budget, 12 spent, 2 from the pool
    assert cents(over, "结余（万元）") == Decimal("-2.00")
    assert fill_of(ws.cell(over, col["结余（万元）"])) == "" and cf_fill(ws, over, col["结余（万元）"]) == "FFC7CE"
    assert cents(over, "统筹池支用（万元）假设情景") == Decimal("2.00")
    assert cents(over, "含统筹与结转的结余（万元）") == Decimal("0.00")
    assert cf_fill(ws, rows[("海安", 2024)], col["结余（万元）"]) == ""
    assert ws.freeze_panes == "A2"


def test_compliance(wb) -> None:
    ws = wb["截止检查"]
    assert [header(c.value) for c in ws[1]] == ["地区", "层级", "截止日期", "要求", "基准已具备", "按期", "逾期",
                                                "未建", "共享", "未列明", "实际已完成", "截至日期", "是否达标", "状态"]
    assert cell(ws, find_row(ws, 地区="海安", 层级="基本"), "是否达标").value == "是"
    shared = find_row(ws, 地区="海安", 层级="提升")
    assert cell(ws, shared, "是否达标").value == "否"  # shared does not count
    assert cell(ws, shared, "状态").value == "逾期或共享"
    late = find_row(ws, 地区="如皋", 层级="提升")
    assert cell(ws, late, "截至日期").value.date() == date(2025, 6, 30)
    assert cell(ws, late, "实际已完成").value == 0


def test_gantt_bars_are_conditional_and_follow_edits(wb, dataset) -> None:
    ws = wb["甘特"]
    headers = [c.value for c in ws[1]]
    assert headers[:7] == ["地区", "项目", "层级", "方式", "开工", "投用", "截止"]
    assert headers[7] == "2023Q4" and headers[-1] == "2026Q4"
    col = {h: n for n, h in enumerate(headers, start=1)}
    on_time = find_row(ws, 地区="海安", 项目="衡器")
    build, online = tier_colours(dataset, BASIC)
    assert [cf_fill(ws, on_time, col[q]) for q in ("2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4")] == \
        ["", build, build, online, ""]
    assert ws.cell(on_time, col["2024Q3"]).value == "投用"
    assert all(fill_of(ws.cell(on_time, col[q])) == "" for q in headers[7:])  # no fixed fills in the grid
    ws.cell(on_time, col["投用"]).value = "2025Q2"  # a planner moves it: the bar follows, and turns late
    assert cf_fill(ws, on_time, col["2024Q4"]) == build
    assert cf_fill(ws, on_time, col["2025Q2"]) == LATE_COLOUR
    ws.cell(on_time, col["投用"]).value = "2024Q3"
    upgraded = find_row(ws, 地区="如皋", 项目="三相电能表")
    assert cf_fill(ws, upgraded, col["2024Q4"]) == tier_colours(dataset, UPGRADED)[0]
    assert cf_fill(ws, upgraded, col["2025Q2"]) == tier_colours(dataset, UPGRADED)[1]
    late = find_row(ws, 地区="如皋", 项目="衡器")
    assert cf_fill(ws, late, col["2025Q2"]) == LATE_COLOUR and ws.cell(late, col["2025Q2"]).value == "逾期"
    unbuilt = find_row(ws, 地区="如皋", 项目="水表")
    assert cf_fill(ws, unbuilt, col["2024Q4"]) == ""
    assert all(cf_fill(ws, unbuilt, col[q]) == MISSING_COLOUR for q in ("2025Q1", "2026Q4"))
    shared = find_row(ws, 地区="海安", 项目="三相电能表")  # its service period: from the plan start to the end
    assert ws.cell(shared, col["开工"]).value == "2023Q4" and ws.cell(shared, col["2023Q4"]).value == "共享"
    assert all(cf_fill(ws, shared, col[q]) == SHARED_COLOUR for q in headers[7:])
    for label in ("2024Q4", "2025Q4"):  # the deadline quarters
        assert fill_of(ws.cell(1, col[label])) == "FFC000"
        assert ws.cell(on_time, col[label]).border.right.style == "thick"
    assert fill_of(ws.cell(1, col["2024Q3"])) != "FFC000"
    legend = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "图例")
    assert legend > 6 and any("截止季度" in str(ws.cell(r, 2).value) for r in range(legend, ws.max_row + 1))
    assert any("共享服务期" in str(ws.cell(r, 2).value) for r in range(legend, ws.max_row + 1))
    assert ws.freeze_panes == "H2"
    assert ws.auto_filter.ref == "A1:T6"  # the grid only, not the legend


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
        assert rows[what_if][4] == "假设情景"
    assert rows["共享服务"][2] == "开" and rows["预算结余结转"][2] == "关"
    assert rows["目标函数值"][2] == pytest.approx(123.456) and rows["目标函数值"][0] == "求解结果"
    assert rows["求解状态"][2] == "最优"
    assert rows["生成日期"][2].date() == GENERATED
    assert "建设 20 · 运行 2/年" in rows["三相电能表"][2] and "服务费 4/年" in rows["三相电能表"][2]
    assert rows["三相电能表"][3] == "万元"
    assert rows["海安（工作簿预算）"][2] == "2024: 30 · 2025: 30" and rows["海安（工作簿预算）"][4] == "示例假设"
    assert rows["电能表"][2] == 3.0
    assert rows["baseline"][2] == "2023-08-20"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_every_sheet_prints(wb) -> None:
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert int(ps.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth == 1, ws.title
        assert ps.orientation in ("landscape", "portrait"), ws.title
        assert "紧预算" in ws.oddHeader.left.text and "2024-03-01" in ws.oddHeader.right.text, ws.title
        assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页", ws.title
        if ws.title != "总览":
            assert ws.print_title_rows.replace("$", "") == "1:1", ws.title
            assert ws.freeze_panes, ws.title
    assert wb["甘特"].page_setup.orientation == "landscape"


def test_header_row_tall_enough_for_wrapped_labels(wb) -> None:
    ws = wb["计划"]
    assert ws["G1"].alignment.wrap_text and ws.column_dimensions["G"].width < 16  # 建设投资（万元） wraps
    assert ws.row_dimensions[1].height >= 2 * 13.5


def test_every_styled_cell_names_a_cjk_font(wb) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    # 宋体 / 黑体 ship with Windows and WPS (Kylin, UOS); 等线 does not
                    assert c.font.name in ("宋体", "黑体"), f"{ws.title}!{c.coordinate} font {c.font.name!r}"
        for rng in ws.conditional_formatting:
            for rule in rng.rules:
                if rule.dxf and rule.dxf.font is not None:
                    assert rule.dxf.font.name == "宋体", f"{ws.title} conditional font"


def test_input_sheets_have_drop_downs(wb, dataset) -> None:
    def lists(ws) -> dict[str, str]:
        return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}

    matrix = lists(wb["能力矩阵"])
    assert matrix[f"B2:{openpyxl.utils.get_column_letter(len(dataset.items) + 1)}1000"] == '"已具备,缺失,需升级,不适用"'
    assert matrix["A2:A1000"] == "'地区'!$B$2:$B$1000"
    assert lists(wb["项目"])["C2:C1000"] == "'层级'!$A$2:$A$1000"
    regions = lists(wb["地区"])
    assert regions["C2:C1000"] == '"省级,市级,县级"' and regions["E2:E1000"] == "'地区'!$B$2:$B$1000"
    assert lists(wb["预算"])["A2:A1000"] == "'地区'!$B$2:$B$1000"
    assert lists(wb["实际完成"]) == {"A2:A1000": "'地区'!$B$2:$B$1000", "B2:B1000": "'项目'!$B$2:$B$1000"}
    numbers = {str(dv.sqref): dv.type for dv in wb["项目"].data_validations.dataValidation if dv.type != "list"}
    assert numbers["E2:E1000"] == "decimal" and numbers["G2:G1000"] == "whole" and numbers["D2:D1000"] == "date"


def test_matrix_colours_follow_edits(wb) -> None:
    ws = wb["能力矩阵"]
    r = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "缺失")
    assert fill_of(ws.cell(r, 2)) == "" and cf_fill(ws, r, 2) == "FFC7CE"
    ws.cell(r, 2).value = "已具备"
    assert cf_fill(ws, r, 2) == "C6EFCE"
    ws.cell(r, 2).value = "缺失"


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
    values = labelled(wb["总览"])
    assert values["结果"].startswith("没有可行方案") and "缺 14.0 万元" in values["预算缺口"]
    ws = wb["情景假设"]
    assert next(ws.cell(r, 3).value for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "目标函数值") == "—"
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
    ws = wb["情景假设"]
    name = next(ws.cell(r, 3) for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "情景名称")
    assert name.data_type == "s" and name.value == NASTY[0]  # the user's text, unchanged
    sched = wb["计划"]
    assert {sched.cell(r, 1).value for r in range(2, sched.max_row + 1)} == {"+1", "@x"}
    gantt = wb["甘特"]
    assert gantt.cell(2, 1).data_type == "s" and gantt.cell(2, 2).value == "-3"


def test_quoted_names_in_conditional_formats() -> None:
    """A tier name with a quote stays one string literal in the Gantt's formulas."""
    ds = make_dataset()
    odd = Tier('upgraded', '提"升', UPGRADED_DUE)
    ds.items = [replace(i, tier=odd) if i.tier == UPGRADED else i for i in ds.items]
    ds.tiers = [BASIC, odd]
    p = make_plan(ds)
    p.schedule = [replace(g, tier=odd) if g.tier == UPGRADED else g for g in p.schedule]
    ws = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(p, ds)))["甘特"]
    col = {c.value: c.column for c in ws[1]}
    r = find_row(ws, 地区="如皋", 项目="三相电能表")
    assert cf_fill(ws, r, col["2025Q2"]) == tier_colours(ds, odd)[1]


def test_a_province_gets_a_roll_up_row_per_city_and_province_that_adds_up():
    """The demo province: on 截止检查, 总览 and 预算执行, every city and the province carry a "（合计）" row after
    the regions below them, whose figures are the printed rows' sums."""
    from planner.io.scenario import load_scenario
    from planner.model.solve import solve

    sc = load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "demo_province.toml")
    ds = load_workbook(sc.workbook)
    wb = plan_workbook(solve(ds, sc), ds, generated_on=GENERATED)
    parents = {r.parent for r in ds.regions if r.parent}
    assert parents == {"示例省", "示例甲市", "示例乙市"}

    rows = list(wb["截止检查"].iter_rows(min_row=2, values_only=True))
    rows = [r for r in rows if r[0]]
    for parent in parents:
        below = set(ds.subtree(parent))
        for tier in ds.tiers:
            up = [r for r in rows if r[0] == f"{parent}（合计）" and r[1] == tier.name]
            assert len(up) == 1, (parent, tier)
            mine = [r for r in rows if r[0] in below and r[1] == tier.name]
            for col in range(3, 9):  # 要求 … 共享
                assert up[0][col] == sum(r[col] for r in mine), (parent, tier, col)
            # after the regions below it
            at = rows.index(up[0])
            assert all(rows.index(r) < at for r in mine)

    summary = [r for r in wb["总览"].iter_rows(values_only=True) if r[0] and str(r[0]).endswith("（合计）")]
    assert len(summary) == len(parents) * len(ds.tiers)

    money = [r for r in wb["预算执行"].iter_rows(min_row=2, values_only=True) if r[0]]
    for parent in parents:
        below = set(ds.subtree(parent))
        for year in range(sc.start.year, sc.horizon_end.year + 1):
            up = [r for r in money if r[0] == f"{parent}（合计）" and r[1] == year]
            assert len(up) == 1
            mine = [r for r in money if r[0] in below and r[1] == year]
            for col in range(2, 8):  # capex … balance, as printed
                assert Decimal(str(up[0][col])) == sum(Decimal(str(r[col])) for r in mine), (parent, year, col)
    # long region names and roll-up labels are not clipped in print: column A is as wide as its longest name
    for sheet in ("截止检查", "预算执行", "计划", "甘特"):
        ws = wb[sheet]
        longest = max(sum(2 if ord(ch) >= 0x2E80 else 1 for ch in str(c.value)) for (c,) in
                      ws.iter_rows(min_row=2, max_col=1) if c.value)
        assert ws.column_dimensions["A"].width >= longest, sheet
