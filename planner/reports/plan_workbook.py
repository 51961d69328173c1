"""Write a ``Plan`` as an Excel workbook for the meeting: schedule, spending, compliance, Gantt, assumptions.

Sheet order: 说明 · 计划 · 预算执行 · 截止检查 · 甘特 · 情景假设, then the input sheets in the loader's format
(项目 · 别名 · 地区 · 能力矩阵 · 公布数 · 预算 · 实际完成 · 共用组 · 假设 · 来源), so the plan workbook re-opens
in ``planner.io.workbook.load_workbook`` as the dataset it was planned from. The plan's own sheets take names
the loader does not read (预算执行 beside the input 预算, 情景假设 beside the input 假设); the input 来源 sheet
is the plan's sources sheet.

User text (region, item and scenario names, notes) is always written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import (
    ComplianceRow,
    Dataset,
    DeadlineMode,
    GapMode,
    Plan,
    ScheduledGap,
    SolveStatus,
    Spending,
    Tier,
)
from planner.io import schema as S
from planner.io.excel import ASSUMPTION_FILL, HEADER_FILL, HEADER_FONT, add_dataset_sheets, keep_as_text, write_table
from planner.io.excel import workbook_bytes as _workbook_bytes
from planner.quarters import Quarter, quarter_range

README, SCHEDULE, SPENDING, COMPLIANCE, GANTT, SCENARIO = "说明", "计划", "预算执行", "截止检查", "甘特", "情景假设"
PLAN_SHEETS = (README, SCHEDULE, SPENDING, COMPLIANCE, GANTT, SCENARIO)

STATUS_TEXT = {
    SolveStatus.OPTIMAL: ("最优", "optimal"),
    SolveStatus.FEASIBLE: ("可行（未证明最优）", "feasible, not proven optimal"),
    SolveStatus.INFEASIBLE: ("不可行", "infeasible"),
    SolveStatus.TIME_LIMIT: ("超时（未找到可行解）", "time limit reached, no solution"),
    SolveStatus.UNBOUNDED: ("无界", "unbounded"),
    SolveStatus.ERROR: ("求解出错", "solver error"),
}
MODE_ZH = {
    GapMode.BUILT: "自建",
    GapMode.SHARED: "共享（假设情景，不计入配置到位）",
    GapMode.UNBUILT: "未建",
    GapMode.DONE: "已完成",
    GapMode.UNSCHEDULABLE: "未列明无法排程",
}
MODE_SHORT = {GapMode.SHARED: "共享"}  # the Gantt's narrow 方式 column
YES, NO = "是", "否"
WHAT_IF = "假设情景（what-if）"
SETTING = "情景设置"

# Gantt colours: light while building, dark in the quarter it comes online, red when that is late.
# Colours by tier, in the workbook's tier order (Nantong: 基本 blue, 提升 green), cycling for more tiers.
BUILD_COLOURS = ("BDD7EE", "C6E0B4", "E4C9F0", "F8CBAD", "D9D9D9")
ONLINE_COLOURS = ("2F75B5", "548235", "7030A0", "C65911", "595959")


def tier_colours(dataset: Dataset, tier: Tier) -> tuple[str, str]:
    """(building, online) fill colours of a tier."""
    n = dataset.tiers.index(tier) % len(BUILD_COLOURS) if tier in dataset.tiers else len(BUILD_COLOURS) - 1
    return BUILD_COLOURS[n], ONLINE_COLOURS[n]
LATE_COLOUR = "C00000"
SHARED_COLOUR = "BFBFBF"
MISSING_COLOUR = "FBE2D5"  # an unbuilt gap, in the quarters after its deadline
DEADLINE_COLOUR = "FFC000"
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
WHAT_IF_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="D9D9D9")
THICK = Side(style="thick", color="C65911")

WAN, DAY, INT = "0.0", "yyyy-mm-dd", "0"
EPS = 1e-6


# ------------------------------------------------------------------------------------------------ public

def plan_workbook(plan: Plan, dataset: Dataset, *, generated_on: date | None = None) -> Workbook:
    """The plan as a workbook: the plan's sheets, then the dataset in the input format (so it re-opens)."""
    wb = Workbook()
    wb.properties.title = f"计量能力缺口规划结果：{plan.scenario.name}"
    wb.properties.creator = "计量能力缺口规划器"
    regions, items = _order(dataset)
    schedule = sorted(plan.schedule, key=lambda g: (regions.get(g.region, len(regions)),
                                                     items.get(g.item, len(items))))
    _readme(wb.active, plan, dataset, generated_on or date.today())
    _schedule(wb.create_sheet(SCHEDULE), schedule)
    _spending(wb.create_sheet(SPENDING), sorted(plan.spending, key=lambda s: (
        regions.get(s.region, len(regions)), s.year)))
    _compliance(wb.create_sheet(COMPLIANCE), sorted(plan.compliance, key=lambda c: (
        _tier_order(dataset, c.tier), regions.get(c.region, len(regions)))))
    _gantt(wb.create_sheet(GANTT), plan, dataset, schedule)
    _scenario(wb.create_sheet(SCENARIO), plan, dataset)
    add_dataset_sheets(wb, dataset)
    return wb


def plan_workbook_bytes(plan: Plan, dataset: Dataset, *, generated_on: date | None = None) -> bytes:
    """The plan workbook as .xlsx bytes (for a download button)."""
    return _workbook_bytes(plan_workbook(plan, dataset, generated_on=generated_on))


def write_plan(plan: Plan, dataset: Dataset, path: str | Path, *, generated_on: date | None = None) -> Path:
    """Save the plan workbook to ``path`` (parent folders created); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plan_workbook(plan, dataset, generated_on=generated_on).save(path)
    return path


def status_text(status: SolveStatus) -> str:
    """``最优 / optimal``: the status in Chinese, then English."""
    zh, en = STATUS_TEXT.get(status, (str(status), str(status)))
    return f"{zh} / {en}"


# ------------------------------------------------------------------------------------------------ helpers

def _tier_order(dataset: Dataset, tier: Tier) -> int:
    return dataset.tiers.index(tier) if tier in dataset.tiers else len(dataset.tiers)


def _order(dataset: Dataset) -> tuple[dict[str, int], dict[str, int]]:
    return ({r.name: n for n, r in enumerate(dataset.regions)}, {i.name: n for n, i in enumerate(dataset.items)})


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
    """One cell; user text stays text (no formula), dates and numbers get a format."""
    cell = keep_as_text(ws.cell(row, col, value))
    if fmt:
        cell.number_format = fmt
    return cell


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


def _mark_yes_no(ws: Worksheet, col: int) -> None:
    for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
        if cell.value == NO:
            cell.fill, cell.font = BAD_FILL, BAD_FONT
        elif cell.value == YES:
            cell.fill = GOOD_FILL


def _num(x: float) -> float:
    return round(x, 6) + 0.0  # + 0.0 turns -0.0 into 0.0


def _quarter_label(q: Quarter | None) -> str:
    return q.label if q is not None else ""


# ------------------------------------------------------------------------------------------------ 说明

def _readme(ws: Worksheet, plan: Plan, dataset: Dataset, generated_on: date) -> None:
    ws.title = README
    sc = plan.scenario
    rows: list[tuple[str, Any, str | None]] = [
        ("情景", sc.name, None),
    ]
    if sc.description:
        rows.append(("情景说明", sc.description, None))
    rows += [
        ("求解状态", status_text(plan.status), None),
        ("求解器", f"{plan.solver}，用时 {plan.seconds:.1f} 秒"
                + (f"，相对间隙 {plan.mip_gap:.4%}" if plan.mip_gap is not None else ""), None),
        ("目标函数值", "—" if plan.objective is None else _num(plan.objective), "0.00"),
        ("总支出（万元）", _num(plan.total_cost_wan) if plan.has_solution else "—（无可行方案）", WAN),
        ("生成日期", generated_on, DAY),
        ("规划期", f"{sc.start.label} — {sc.horizon_end.label}；截止要求："
                + ("硬约束（须按期投用）" if sc.deadline_mode == DeadlineMode.HARD else "软约束（允许逾期，计罚）"),
         None),
        (S.ASSUMPTION_LABEL, "成本、预算、建设周期等数字均为示例假设（assumptions），不是来源数据；"
                             "使用前请在「项目」「预算」「共用组」「假设」表中替换为实际数字。", None),
    ]
    if sc.options.sharing:
        rows.append(("共享服务", "共享为假设情景（what-if）：由他方提供服务的缺口不计入「配置到位」，"
                                "在「截止检查」中单列。", None))
    if plan.message:
        rows.append(("求解信息", plan.message, None))
    for n, sf in enumerate(plan.shortfalls, start=1):
        rows.append((f"预算缺口 {n}" if len(plan.shortfalls) > 1 else "预算缺口", f"{sf.zh}\n{sf.en}", None))
    for n, w in enumerate(dataset.warnings, start=1):
        rows.append((f"数据警告 {n}", w.text("zh"), None))
    rows.append(("", "", None))
    rows.append(("工作表", "内容", None))
    guide = [
        (SCHEDULE, "每个缺口的方式、开工与投用季度、建设投资、是否按期"),
        (SPENDING, "各地区各年的支出与预算、结余（结余 = 预算 − 合计支出；负数标红）"),
        (COMPLIANCE, "各地区各层级是否在截止日期前配置到位（共享、未建、逾期均不算达标）"),
        (GANTT, "按季度的进度图：浅色 = 建设中，深色 = 投用季度，红色 = 逾期投用，浅红 = 未建；"
                "橙色表头与粗线 = 截止季度"),
        (SCENARIO, "本情景的全部参数与假设，包括每个假设情景（what-if）开关"),
        ("项目 … 来源", "输入数据（与导入模板同一格式），本工作簿可直接作为输入重新打开；"
                      "「预算」「假设」为工作簿原始数字，情景调整后的预算见「预算执行」；「来源」为数据出处"),
    ]
    rows += [(name, text, None) for name, text in guide]

    _put(ws, 1, 1, "计量能力缺口规划结果").font = Font(bold=True, size=14)
    for r, (label, value, fmt) in enumerate(rows, start=2):
        _put(ws, r, 1, label).font = Font(bold=True)
        cell = _put(ws, r, 2, value, fmt if not isinstance(value, str) else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if label == S.ASSUMPTION_LABEL:
            ws.cell(r, 1).fill = cell.fill = ASSUMPTION_FILL
        if label.startswith("预算缺口") or (label == "求解状态" and not plan.has_solution):
            cell.font = BAD_FONT
        if label == "工作表":
            for c in (ws.cell(r, 1), cell):
                c.fill, c.font = HEADER_FILL, HEADER_FONT
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 110


# ------------------------------------------------------------------------------------------------ 计划

SCHEDULE_HEADERS = ["地区", "项目", "层级", "方式", "开工季度", "投用季度", "建设投资（万元）", "截止日期",
                    "是否按期", "逾期季度", "实际完成日期"]


def _schedule(ws: Worksheet, schedule: list[ScheduledGap]) -> None:
    rows = ([g.region, g.item, g.tier.name, MODE_ZH[g.mode], _quarter_label(g.start_quarter),
             _quarter_label(g.online_quarter), _num(g.capex_wan), g.deadline, _yes_no(g.on_time),
             g.late_quarters, g.actual_date] for g in schedule)
    write_table(ws, SCHEDULE_HEADERS, rows, [8, 40, 6, 30, 10, 10, 12, 12, 8, 8, 12],
                {7: WAN, 8: DAY, 10: INT, 11: DAY})
    ws.freeze_panes = "C2"
    _mark_yes_no(ws, 9)
    for r, g in enumerate(schedule, start=2):
        if g.mode in (GapMode.UNBUILT, GapMode.UNSCHEDULABLE):
            ws.cell(r, 4).font = BAD_FONT
        elif g.mode == GapMode.SHARED:
            ws.cell(r, 4).fill = WHAT_IF_FILL


# ------------------------------------------------------------------------------------------------ 预算执行

SPENDING_HEADERS = ["地区", "年份", "建设投资（万元）", "运行费（万元）", "服务费（万元）", "合计支出（万元）",
                    "预算（万元）", "结余（万元）", "统筹池支用（万元，假设情景）", "上年结转（万元，假设情景）",
                    "含统筹与结转结余（万元）"]


def _spending(ws: Worksheet, spending: list[Spending]) -> None:
    rows = ([s.region, s.year, _num(s.capex_wan), _num(s.opex_wan), _num(s.fees_wan), _num(s.spent_wan),
             _num(s.budget_wan), _num(s.budget_wan - s.spent_wan), _num(s.pool_wan), _num(s.carried_in_wan),
             _num(s.budget_wan + s.pool_wan + s.carried_in_wan - s.spent_wan)] for s in spending)
    write_table(ws, SPENDING_HEADERS, rows, [8, 8, 12, 12, 12, 12, 12, 12, 16, 16, 14],
                {2: INT, **{c: WAN for c in range(3, 12)}})
    for col in (8, 11):
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if isinstance(cell.value, int | float) and cell.value < -EPS:
                cell.fill, cell.font = BAD_FILL, BAD_FONT
    for (cell,) in ws.iter_rows(min_row=1, max_row=1, min_col=6, max_col=6):
        cell.font = Font(bold=True, color="FFFFFF", underline="single")


# ------------------------------------------------------------------------------------------------ 截止检查

COMPLIANCE_HEADERS = ["地区", "层级", "截止日期", "要求", "基准已完成", "按期", "逾期", "未建", "共享",
                      "未列明", "实际已完成", "截至日期", "是否达标"]


def _compliance(ws: Worksheet, rows_in: list[ComplianceRow]) -> None:
    rows = ([c.region, c.tier.name, c.deadline, c.required, c.done_at_start, c.on_time, c.late, c.unbuilt,
             c.shared, c.unschedulable, c.actual_done, c.as_of, _yes_no(c.meets_deadline)] for c in rows_in)
    write_table(ws, COMPLIANCE_HEADERS, rows, [8, 6, 12, 6, 10, 6, 6, 6, 6, 8, 10, 12, 8],
                {3: DAY, **{c: INT for c in range(4, 12)}, 12: DAY})
    _mark_yes_no(ws, 13)
    for r in range(2, ws.max_row + 1):
        for col in range(7, 11):  # 逾期 未建 共享 未列明: any is a miss
            cell = ws.cell(r, col)
            if isinstance(cell.value, int) and cell.value > 0:
                cell.font = BAD_FONT


# ------------------------------------------------------------------------------------------------ 甘特

GANTT_HEADERS = ["地区", "项目", "层级", "方式"]


def _gantt(ws: Worksheet, plan: Plan, dataset: Dataset, schedule: list[ScheduledGap]) -> None:
    sc = plan.scenario
    quarters = quarter_range(sc.start, sc.horizon_end)
    first = len(GANTT_HEADERS) + 1
    col_of = {q: first + n for n, q in enumerate(quarters)}
    deadlines: dict[Quarter, list[Tier]] = {}
    for tier in dataset.tiers:
        for q in sorted({i.deadline_quarter for i in dataset.items_of(tier)}):
            deadlines.setdefault(q, []).append(tier)

    write_table(ws, GANTT_HEADERS + [q.label for q in quarters],
                ([g.region, g.item, g.tier.name, MODE_SHORT.get(g.mode, MODE_ZH[g.mode])] for g in schedule),
                [8, 36, 6, 12] + [7.5] * len(quarters))
    ws.freeze_panes = ws.cell(2, first).coordinate
    last_row = ws.max_row
    for r, g in enumerate(schedule, start=2):
        if g.mode in (GapMode.UNBUILT, GapMode.UNSCHEDULABLE):
            ws.cell(r, 4).font = BAD_FONT
        for q, c in col_of.items():
            cell = ws.cell(r, c)
            cell.border = Border(left=THIN, right=THICK if q in deadlines else THIN, top=THIN, bottom=THIN)
        if g.mode == GapMode.BUILT and g.online_quarter is not None:
            start = g.start_quarter or g.online_quarter
            for q in quarter_range(start, g.online_quarter - 1):
                if q in col_of:
                    ws.cell(r, col_of[q]).fill = PatternFill("solid", fgColor=tier_colours(dataset, g.tier)[0])
            if g.online_quarter in col_of:
                late = bool(g.late_quarters) or g.online_quarter > Quarter.of(g.deadline)
                cell = ws.cell(r, col_of[g.online_quarter], "逾期" if late else "投用")
                cell.fill = PatternFill("solid", fgColor=LATE_COLOUR if late else tier_colours(dataset, g.tier)[1])
                cell.font = Font(color="FFFFFF", bold=True)
                cell.alignment = Alignment(horizontal="center")
        elif g.mode == GapMode.UNBUILT:
            for q, c in col_of.items():
                if q > Quarter.of(g.deadline):
                    ws.cell(r, c).fill = PatternFill("solid", fgColor=MISSING_COLOUR)
        elif g.mode == GapMode.SHARED:
            q = g.online_quarter or g.start_quarter
            if q in col_of:
                cell = ws.cell(r, col_of[q], "共享")
                cell.fill = PatternFill("solid", fgColor=SHARED_COLOUR)
                cell.alignment = Alignment(horizontal="center")

    for q in deadlines:
        if q in col_of:
            head = ws.cell(1, col_of[q])
            head.fill = PatternFill("solid", fgColor=DEADLINE_COLOUR)
            head.font = Font(bold=True, color="000000")
            head.border = Border(right=THICK)
    ws.row_dimensions[1].height = 20
    if last_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(first + len(quarters) - 1)}{last_row}"

    legend = []
    for tier in dataset.tiers:
        build, online = tier_colours(dataset, tier)
        legend += [(PatternFill("solid", fgColor=build), "", f"建设中（{tier.name}能力）：开工季度至投用前一季度"),
                   (PatternFill("solid", fgColor=online), "投用", f"投用季度（{tier.name}能力）")]
    legend += [
        (PatternFill("solid", fgColor=LATE_COLOUR), "逾期", "逾期投用：投用季度晚于截止季度"),
        (PatternFill("solid", fgColor=MISSING_COLOUR), "", "未建：截止季度之后仍缺"),
        (PatternFill("solid", fgColor=SHARED_COLOUR), "共享", "共享服务开始（假设情景，不计入配置到位）"),
        (PatternFill("solid", fgColor=DEADLINE_COLOUR), "",
         "截止季度：橙色表头，右侧粗线为截止日期（" + "；".join(
             f"{'、'.join(t.name + '能力' for t in ts)} {q.label}" for q, ts in deadlines.items()) + "）"),
    ]
    row = last_row + 2
    _put(ws, row, 1, "图例").font = Font(bold=True)
    for n, (fill, sample, text) in enumerate(legend, start=row + 1):
        cell = ws.cell(n, 1, sample)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        if sample in ("投用", "逾期"):
            cell.font = Font(color="FFFFFF", bold=True)
        ws.cell(n, 2, text)


# ------------------------------------------------------------------------------------------------ 情景假设

SCENARIO_HEADERS = ["类别", "名称", "值", "单位", "性质", "说明"]


def _on_off(flag: bool) -> str:
    return "开" if flag else "关"


def _scenario(ws: Worksheet, plan: Plan, dataset: Dataset) -> None:
    rows = list(_scenario_rows(plan, dataset))
    write_table(ws, SCENARIO_HEADERS, rows, [10, 34, 30, 10, 18, 80])
    for r, row in enumerate(rows, start=2):
        basis, value = row[4], row[2]
        fill = None
        if basis == S.ASSUMPTION_LABEL:
            fill = ASSUMPTION_FILL
        elif basis == WHAT_IF and value not in ("关", 0, 0.0):
            fill = WHAT_IF_FILL
        if fill is not None:
            for c in ws[r]:
                c.fill = fill
        if isinstance(value, float):
            ws.cell(r, 3).number_format = "0.0##"
        if isinstance(value, date):
            ws.cell(r, 3).number_format = DAY
        ws.cell(r, 6).alignment = Alignment(wrap_text=True, vertical="top")


def _scenario_rows(plan: Plan, dataset: Dataset) -> Iterable[list[Any]]:
    sc, opt = plan.scenario, plan.scenario.options
    cat = "情景参数"
    yield [cat, "情景名称", sc.name, "", SETTING, sc.description]
    yield [cat, "工作簿", Path(sc.workbook).name, "", SETTING, "规划所用的输入数据（其内容见本工作簿后半部分各表）"]
    if sc.source_path is not None:
        yield [cat, "情景文件", Path(sc.source_path).name, "", SETTING, ""]
    yield [cat, "起始季度", sc.start.label, "季度", SETTING, "最早可开工的季度"]
    yield [cat, "规划期末", sc.horizon_end.label, "季度", SETTING, "排程的最后一个季度"]
    hard = sc.deadline_mode == DeadlineMode.HARD
    yield [cat, "截止要求", "硬约束 hard" if hard else "软约束 soft", "", SETTING,
           "每个缺口须在所属层级截止日期前投用，做不到则无可行方案" if hard
           else "允许逾期：逾期按季度计罚，未建罚得更重；得出预算不足时最好的逾期方案"]
    yield [cat, "预算倍数", float(sc.budget_multiplier), "倍", SETTING, "工作簿中每个预算数字 × 此倍数"]
    if sc.region_multipliers:
        for region, m in sc.region_multipliers.items():
            yield [cat, f"地区预算倍数：{region}", float(m), "倍", SETTING, "再乘到该地区的每年预算上"]
    else:
        yield [cat, "地区预算倍数", "无", "", SETTING, ""]
    if sc.budget_overrides:
        for (region, year), amount in sorted(sc.budget_overrides.items()):
            yield [cat, f"预算覆盖：{region} {'每年' if year == 0 else f'{year}年'}", float(amount), "万元",
                   SETTING, "直接取代该地区该年的预算"]
    else:
        yield [cat, "预算覆盖", "无", "", SETTING, ""]
    yield [cat, "市级建标考核能力", "不限" if sc.city_capacity is None else sc.city_capacity, "项/季度", SETTING,
           "市级每季度可考核的新建计量标准数（全市合计）"]
    yield [cat, "基准日期（计划对比实际）", sc.as_of if sc.as_of else "—", "", SETTING, ""]
    yield [cat, "计入实际完成", _yes_no(sc.use_actuals), "", SETTING, "起始季度前已有实际完成日期的缺口视为已完成"]
    yield [cat, "求解器", sc.solver, "", SETTING, f"本次实际使用：{plan.solver}"]
    yield [cat, "求解时间上限", float(sc.time_limit_s), "秒", SETTING, ""]
    yield [cat, "MIP 相对间隙", float(sc.mip_gap), "", SETTING, "0 = 求证明最优"]

    cat = "假设情景"
    yield [cat, "市级统筹资金池", float(opt.city_pool_wan), "万元/年", WHAT_IF,
           "任一县每年可动用的全市统筹资金；0 = 关闭"]
    yield [cat, "预算结余结转", _on_off(opt.carry_over), "", WHAT_IF, "当年未用完的预算结转到下一年"]
    yield [cat, "共享服务", _on_off(opt.sharing), "", WHAT_IF,
           "缺口可由他方按年收费提供服务而不自建；共享不计入配置到位，截止检查中单列"]
    yield [cat, "共享服务提供方", opt.sharing_provider, "", WHAT_IF, "开启共享服务时生效"]
    yield [cat, "共用标准节省", _on_off(opt.share_discount), "", WHAT_IF,
           "同一季度同建同组项目可省去部分固定成本（见「共用组」）"]

    cat = "项目成本"
    for i in dataset.items:
        fee = f" · 共享服务费 {i.service_fee_wan:g} 万元/年" if i.service_fee_wan else ""
        yield [cat, i.name,
               f"建设 {i.capex_wan:g} 万元 · 运行 {i.opex_wan:g} 万元/年 · 周期 {i.lead_quarters} 季度{fee}",
               "", S.ASSUMPTION_LABEL, i.note]
    cat = "预算"
    order, _ = _order(dataset)
    for (region, year), amount in sorted(dataset.budgets.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        yield [cat, f"{region} {year}年", float(amount), "万元", S.ASSUMPTION_LABEL,
               "工作簿预算；本情景调整后的预算见「预算执行」"]
    cat = "共用组"
    for g in dataset.share_groups:
        yield [cat, g.name, float(g.saving_wan), "万元", S.ASSUMPTION_LABEL,
               "项目：" + "；".join(g.items) + (f"。{g.note}" if g.note else "")]
    cat = "其他假设"
    for a in dataset.assumptions:
        yield [cat, a.key, a.value, a.unit, S.ASSUMPTION_LABEL, a.note]
