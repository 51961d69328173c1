"""Write a ``Plan`` as an Excel workbook for the meeting: summary, schedule, spending, compliance, Gantt,
assumptions, every sheet set up to print (A4, one page wide, repeated header rows, scenario, date and page
numbers in the header and footer).

Sheet order: 总览 · 计划 · 预算执行 · 截止检查 · 甘特 · 情景假设, then the input sheets in the loader's format
(层级 · 项目 · 别名 · 地区 · 能力矩阵 · 公布数 · 预算 · 实际完成 · 共用组 · 假设 · 来源), so the plan workbook re-opens
in ``planner.io.workbook.load_workbook`` as the dataset it was planned from. The plan's own sheets take names
the loader does not read (预算执行 beside the input 预算, 情景假设 beside the input 假设). The input sheets are
hidden, so printing the workbook prints the plan; 总览 says how to show them.

Colours that depend on a value (on time, late, unbuilt, shared, the Gantt bars, negative balances, flags) are
conditional formats: edit a start or online quarter on 甘特, or a 是/否, and the colours follow. Amounts are at
two decimals, rounded once (``figures.money``), so every printed row and total adds up as displayed.
User text (region, item and scenario names, notes) is always written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from planner.analysis.focus import focus_of, restrict_dataset, restrict_plan, rollup_order, rollup_parents, with_rollups
from planner.analysis.rollup import ROLLUP, rollup_name
from planner.domain import ComplianceRow, Dataset, DeadlineMode, GapMode, Plan, ScheduledGap, SolveStatus, Tier
from planner.i18n import text as words
from planner.io import schema as S
from planner.io.excel import (
    ASSUMPTION_COLOUR,
    ASSUMPTION_FILL,
    BODY_FONT,
    HEADER_FILL,
    HEADER_FONT,
    add_dataset_sheets,
    fill_equal,
    fill_rule,
    font,
    formula_text,
    keep_as_text,
    solid,
    write_table,
)
from planner.io.excel import workbook_bytes as _workbook_bytes
from planner.quarters import Quarter, quarter_range
from planner.reports import figures as F
from planner.reports.print_setup import (
    LINE_HEIGHT,
    PORTRAIT_WIDTH,
    ROW_HEIGHT,
    fit_rows,
    print_setup,
    sheet_width,
    text_lines,
)

SUMMARY, SCHEDULE, SPENDING, COMPLIANCE, GANTT, SCENARIO = "总览", "计划", "预算执行", "截止检查", "甘特", "情景假设"
PLAN_SHEETS = (SUMMARY, SCHEDULE, SPENDING, COMPLIANCE, GANTT, SCENARIO)
TITLE = "计量能力缺口规划结果"

# The labels are planner.i18n's (one wording for the app, the CLI and the workbook).
STATUS_TEXT = {s: (words(f"plan_status_{s.value}", "zh"), words(f"plan_status_{s.value}", "en")) for s in SolveStatus}
MODE_ZH = {m: words(f"mode_{m.value}", "zh") for m in GapMode}  # shared: never counted as 配置到位 (总览 says so)
UPGRADE_ZH = "升级"  # a built gap that upgrades an existing standard (需升级)
# The Gantt's narrow 方式 column; its conditional formats test these words.
MODE_SHORT = {m: words(f"mode_short_{m.value}", "zh") for m in GapMode}
# What stands in the 逾期季度 column when a gap has no lateness (shared, unbuilt: not a number of quarters).
LATE_TEXT = {m: words(f"late_text_{m.value}", "zh") for m in GapMode if m != GapMode.BUILT}
YES, NO = "是", "否"
WHAT_IF = "假设情景"
SETTING = "情景设置"
RESULT = "求解结果"

# Gantt colours: light while building, dark in the quarter it comes online, red when that is late.
# Colours by tier, in the workbook's tier order (Nantong: 基本 blue, 提升 green), cycling for more tiers.
BUILD_COLOURS = ("BDD7EE", "C6E0B4", "E4C9F0", "F8CBAD", "D9D9D9")
ONLINE_COLOURS = ("2F75B5", "548235", "7030A0", "C65911", "595959")
LATE_COLOUR = "C00000"
SHARED_COLOUR = "BFBFBF"
MISSING_COLOUR = "FBE2D5"  # an unbuilt gap, in the quarters after its deadline
DEADLINE_COLOUR = "FFC000"
BAD_COLOUR, BAD_INK, GOOD_COLOUR, WHAT_IF_COLOUR = "FFC7CE", "9C0006", "C6EFCE", "FCE4D6"
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="D9D9D9")
THICK = Side(style="thick", color="C65911")
TOTAL_TOP = Border(top=Side(style="thin", color="808080"))

# "_ " keeps a space's width right of every amount, so neighbouring right-aligned amounts never run together
WAN, DAY, INT = "#,##0.00_ ", "yyyy-mm-dd", "0"
GRID_ROWS = 500  # conditional formats reach this far, so rows a user adds are coloured too


def tier_colours(dataset: Dataset, tier: Tier) -> tuple[str, str]:
    """(building, online) fill colours of a tier."""
    n = dataset.tiers.index(tier) % len(BUILD_COLOURS) if tier in dataset.tiers else len(BUILD_COLOURS) - 1
    return BUILD_COLOURS[n], ONLINE_COLOURS[n]


# ------------------------------------------------------------------------------------------------ public

def plan_workbook(plan: Plan, dataset: Dataset, *, generated_on: date | None = None,
                  region: str | None = None) -> Workbook:
    """The plan as a workbook: the plan's sheets, then the dataset in the input format (so it re-opens).

    ``region``: only that region and the regions below it (``KeyError`` if the workbook has no such region).
    A plan and dataset already cut down to a region (``restrict_plan`` / ``restrict_dataset``, as the app does)
    are recognised as such. Either way the title and every page header name the region in focus, and roll-up
    rows are printed only for the focus and the regions below it: a city's or the province's （合计） row would
    sum the focus's regions alone, and claim a total it is not."""
    generated_on = generated_on or date.today()
    targets = F.target_lines(plan, dataset)
    if region is not None:
        regions = F.scope(dataset, region)
        # the targets that reach the region (a city's or the province's too), judged on the whole plan, as the
        # brief for the region shows them
        targets = F.target_lines(plan, dataset, regions)
        plan, dataset = restrict_plan(plan, regions), restrict_dataset(dataset, regions)
    focus = region or focus_of(dataset)
    scope = dataset.subtree(focus) if focus else None
    heading = _heading(plan, focus)
    wb = Workbook()
    wb.properties.title = heading
    wb.properties.creator = "计量能力缺口规划器"
    regions, items = _order(dataset)
    schedule = sorted(plan.schedule, key=lambda g: (regions.get(g.region, len(regions)),
                                                     items.get(g.item, len(items))))
    summary_one_page = _summary(wb.active, plan, dataset, heading, focus, scope, targets)
    _schedule(wb.create_sheet(SCHEDULE), schedule)
    _spending(wb.create_sheet(SPENDING), plan, dataset, scope)
    # roll-up rows (a city's or province's sums) after the regions below them, tier by tier
    _compliance(wb.create_sheet(COMPLIANCE), sorted(with_rollups(dataset, plan.compliance, scope),
                                                    key=lambda c: _tier_order(dataset, c.tier)))
    _gantt(wb.create_sheet(GANTT), plan, dataset, schedule)
    _scenario(wb.create_sheet(SCENARIO), plan, dataset, generated_on)
    add_dataset_sheets(wb, dataset)
    for ws in wb.worksheets:
        plan_sheet = ws.title in PLAN_SHEETS
        print_setup(ws, title=f"{TITLE} · {focus}" if focus else TITLE, scenario=_title(plan),
                    generated_on=generated_on,
                    title_rows=None if ws.title == SUMMARY else 1,
                    landscape=False if ws.title == SUMMARY else None,  # the cover: portrait, like a report
                    one_page=ws.title == SUMMARY and summary_one_page)
        if not plan_sheet:  # the input data: re-opened by the loader, not printed for the meeting
            ws.sheet_state = "hidden"
            ws.sheet_properties.tabColor = "A6A6A6"
        if plan_sheet and ws.title != SCENARIO:
            _fit_column(ws, 1, first_row=1 if ws.title == SUMMARY else 2)
        fit_rows(ws, range(1, 2) if plan_sheet and ws.title != SUMMARY else None)
    return wb


def _display_width(value: Any, bold: bool) -> float:
    """Column-width units a text needs: a CJK character takes about two, bold a tenth more."""
    text_ = str(value)
    units = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text_)
    return units * (1.1 if bold else 1.0) + 1.5


def _fit_column(ws: Worksheet, col: int, first_row: int = 2, most: float = 26) -> None:
    """Widen a column of names (regions, roll-ups \"<市>（合计）\") so that none is clipped in print; never
    narrower than it was, never wider than ``most``."""
    letter = get_column_letter(col)
    # a cell with nothing beside it is a line of text running across the sheet (总览's titles), not a name
    need = max((_display_width(a.value, bool(a.font and a.font.b)) for a, b in
                ws.iter_rows(min_row=first_row, min_col=col, max_col=col + 1)
                if isinstance(a.value, str) and b.value is not None and not a.alignment.wrap_text), default=0)
    current = ws.column_dimensions[letter].width or 8.43
    ws.column_dimensions[letter].width = min(most, max(current, need))


def plan_workbook_bytes(plan: Plan, dataset: Dataset, *, generated_on: date | None = None,
                        region: str | None = None) -> bytes:
    """The plan workbook as .xlsx bytes (for a download button); ``region`` as for ``plan_workbook``."""
    return _workbook_bytes(plan_workbook(plan, dataset, generated_on=generated_on, region=region))


def write_plan(plan: Plan, dataset: Dataset, path: str | Path, *, generated_on: date | None = None,
               region: str | None = None) -> Path:
    """Save the plan workbook to ``path`` (parent folders created); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plan_workbook(plan, dataset, generated_on=generated_on, region=region).save(path)
    return path


def status_text(status: SolveStatus) -> str:
    """``最优``: the status in words (the workbook is Chinese throughout: no English half)."""
    return STATUS_TEXT.get(status, (str(status), str(status)))[0]


def _title(plan: Plan) -> str:
    """The scenario's Chinese title (from its description), not its internal id."""
    return F.scenario_title(plan.scenario.name, plan.scenario.description, "zh")


def _heading(plan: Plan, focus: str | None) -> str:
    """「计量能力缺口规划结果：<scenario title>」, and the region in focus when there is one."""
    return f"{TITLE}：{_title(plan)}" + (f"（{focus}）" if focus else "")


# ------------------------------------------------------------------------------------------------ helpers

def _tier_order(dataset: Dataset, tier: Tier) -> int:
    return dataset.tiers.index(tier) if tier in dataset.tiers else len(dataset.tiers)


def _order(dataset: Dataset) -> tuple[dict[str, int], dict[str, int]]:
    return ({r.name: n for n, r in enumerate(dataset.regions)}, {i.name: n for n, i in enumerate(dataset.items)})


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, **font_kw: Any) -> Any:
    """One cell; user text stays text (no formula), numbers and dates get a format, every cell a CJK font."""
    if isinstance(value, Decimal):
        value = float(value)
    cell = keep_as_text(ws.cell(row, col, value))
    cell.font = font(**font_kw) if font_kw else BODY_FONT
    if fmt:
        cell.number_format = fmt
    return cell


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


def _num(x: float) -> float:
    return round(x, 6) + 0.0  # + 0.0 turns -0.0 into 0.0


def _quarter_label(q: Quarter | None) -> str:
    return q.label if q is not None else ""


def _mode(g: ScheduledGap, names: dict[GapMode, str]) -> str:
    return UPGRADE_ZH if g.upgrade and g.mode == GapMode.BUILT else names[g.mode]


def _late(g: ScheduledGap) -> int | str:
    """Quarters late of a built gap; the word for a gap that has no lateness (shared, unbuilt, done)."""
    if g.mode == GapMode.BUILT and g.late_quarters is not None:
        return g.late_quarters
    return LATE_TEXT.get(g.mode, "—")


def _column(ws: Worksheet, col: int, first: int = 2, last: int | None = None) -> str:
    letter = get_column_letter(col)
    return f"{letter}{first}:{letter}{last or max(ws.max_row, GRID_ROWS)}"


def _mark_yes_no(ws: Worksheet, col: int) -> None:
    cells = _column(ws, col)
    ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[formula_text(NO)],
                                                    fill=solid(BAD_COLOUR), font=font(color=BAD_INK)))
    fill_equal(ws, cells, {YES: GOOD_COLOUR})


def _mark_flags(ws: Worksheet, cells: str, lang: str = "zh") -> None:
    fill_equal(ws, cells, {f.label(lang): F.FLAG_COLOURS[f] for f in F.Flag})


def _header_row(ws: Worksheet, row: int, labels: list[str], first: int = 1) -> None:
    for n, label in enumerate(labels, start=first):
        cell = _put(ws, row, n, label)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


# ------------------------------------------------------------------------------------------------ 总览

# Header labels break where a reader would ("\n"), never inside a word or before a lone bracket.
BASELINE_DONE = "基准\n已具备"  # one wording for the figure on 总览 and on 截止检查
SUMMARY_WIDTHS = [12, 10.5, 12, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 12]
COMPLIANCE_SHORT = ["地区", "层级", "截止日期", "要求", BASELINE_DONE, "按期", "逾期", "未建", "共享", "未列明", "状态"]


# The 总览 prints portrait and one page wide: a page holds this many points of rows (A4 less the margins,
# divided by the scale that fits the columns on the width), less a little for the spreadsheet's own rounding.
SUMMARY_PAGE = (841.9 - (0.75 + 0.7) * 72) / min(1.0, PORTRAIT_WIDTH / sum(SUMMARY_WIDTHS)) * 0.96
SMALL_TABLE = 0.3  # a table up to this share of a page is kept whole; so is one with less room than this left
KEEP_WITH_TITLE = 3  # a section title is never the last thing on a page: at least this many rows follow it
MIN_TAIL = 3  # a table that runs onto a new page takes at least this many rows there
NEAR_EMPTY = 0.25  # a last page of 总览 under this share of a page is folded into one page


class _Sheet:
    """A sheet written top to bottom in blocks (the 总览): a row cursor, the block writers, and its own page
    breaks: a block that fits on a page is never split (it starts a new page instead), and a table longer
    than a page repeats its header row on the next one (print titles repeat only the sheet's first rows)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws, self.row = ws, 1
        self.last_col = len(SUMMARY_WIDTHS)
        self.heights: dict[int, float] = {}
        self.used, self.pages, self.block = 0.0, 1, 1
        self.heads: set[int] = set()  # header rows, the repeated ones inside a table's range included

    def _height(self, value: str, width: float, size: float = 10) -> float:
        """The row height ``fit_rows`` will give a wrapped text (the default height for one line)."""
        height = text_lines(value, width / (size / 10)) * LINE_HEIGHT * size / 10 + 3
        return height if height > LINE_HEIGHT + 3 else max(ROW_HEIGHT, LINE_HEIGHT * size / 10 + 3)

    def _break(self) -> None:
        """A page break above the current row."""
        if self.row > 1:
            self.ws.row_breaks.append(Break(id=self.row - 1))
            self.used, self.pages = 0.0, self.pages + 1

    def _room(self, height: float) -> None:
        if self.used + height > SUMMARY_PAGE:
            self._break()

    def _next(self, fill: PatternFill | None, height: float = ROW_HEIGHT) -> None:
        """Fill the row just written (if ``fill``), count its height and move to the next."""
        if fill is not None:
            for c in range(1, self.last_col + 1):
                self.ws.cell(self.row, c).fill = fill
        self.heights[self.row] = height
        self.used += height
        self.row += 1

    def line(self, value: str, *, size: float = 10, bold: bool = False, color: str | None = None,
             fill: PatternFill | None = None) -> None:
        """A full-width line of text (merged across the sheet, wrapped)."""
        height = self._height(value, sum(SUMMARY_WIDTHS), size)
        self._room(height)
        cell = _put(self.ws, self.row, 1, value, size=size, bold=bold, color=color)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.last_col)
        self._next(fill, height)

    def section(self, title: str) -> None:
        """A block's title, with a little space above it; it starts a new page rather than end one."""
        if self.used + 8 + 20 + KEEP_WITH_TITLE * ROW_HEIGHT > SUMMARY_PAGE:
            self._break()
        self.block = self.row
        self.ws.row_dimensions[self.row].height = 8
        self._next(None, 8)
        self.line(title, size=11, bold=True, fill=SECTION_FILL)

    def pair(self, label: str, value: str, *, color: str | None = None, fill: PatternFill | None = None) -> None:
        """A label and its value on one row (value merged across the rest of the sheet)."""
        height = max(self._height(label, SUMMARY_WIDTHS[0]), self._height(value, sum(SUMMARY_WIDTHS[1:])))
        self._room(height)
        _put(self.ws, self.row, 1, label, bold=True).alignment = Alignment(vertical="top", wrap_text=True)
        cell = _put(self.ws, self.row, 2, value, color=color)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=self.last_col)
        self._next(fill, height)

    def _quota(self, left: int) -> int:
        """Rows of a table to put on this page: as many as fit, but fewer when that would leave fewer than
        ``MIN_TAIL`` rows alone on the next page (the total row by itself under a repeated header)."""
        fit = max(0, int((SUMMARY_PAGE - self.used) // ROW_HEIGHT))
        tail = left - fit
        if 0 < tail < MIN_TAIL and left - MIN_TAIL >= MIN_TAIL:
            return left - MIN_TAIL
        return fit

    def table(self, headers: list[str], rows: Iterable[tuple[list[Any], bool]], formats: dict[int, str]) -> range:
        """A small table: header row, then rows (values, is_total); returns the data rows' range (with the header
        row repeated inside it where the table runs onto a new page)."""
        rows = list(rows)
        head = max(self._height(h, w) for h, w in zip(headers, SUMMARY_WIDTHS, strict=False))
        whole = head + ROW_HEIGHT * len(rows)
        above = sum(self.heights.get(r, ROW_HEIGHT) for r in range(self.block, self.row))
        left = SUMMARY_PAGE - self.used
        if (above + whole <= SUMMARY_PAGE < self.used + whole and self.block > 1
                and (whole <= SMALL_TABLE * SUMMARY_PAGE or left < SMALL_TABLE * SUMMARY_PAGE)):
            # a small block (its title and this table) that fits on a page, or a bigger one with little room left
            # on this page, starts the next page; a long table fills this page and goes on with its header
            self.ws.row_breaks.append(Break(id=self.block - 1))
            self.used, self.pages = above, self.pages + 1
        self._room(head + ROW_HEIGHT)
        _header_row(self.ws, self.row, headers)
        self.heads.add(self.row)
        self._next(None, head)
        first = self.row
        quota, on_page = self._quota(len(rows)), 0
        for n_row, (values, is_total) in enumerate(rows):
            if on_page >= quota:
                self._break()
                _header_row(self.ws, self.row, headers)
                self.heads.add(self.row)
                self._next(None, head)
                quota, on_page = self._quota(len(rows) - n_row), 0
            on_page += 1
            for n, v in enumerate(values, start=1):
                cell = _put(self.ws, self.row, n, v, formats.get(n), bold=is_total)
                if is_total:
                    cell.fill, cell.border = TOTAL_FILL, TOTAL_TOP
            self._next(None)
        return range(first, self.row)


def _summary(ws: Worksheet, plan: Plan, dataset: Dataset, heading: str, focus: str | None,
             scope: list[str] | None, targets: list[F.TargetLine]) -> bool:
    """The cover sheet; True when it should print on one page (see the end)."""
    ws.title = SUMMARY
    for n, w in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = w
    out, sc = _Sheet(ws), plan.scenario
    out.line(heading, size=14, bold=True)
    out.line(f"求解状态：{status_text(plan.status)}　·　规划期 {sc.start.label} — {sc.horizon_end.label}　·　截止要求："
             + ("硬约束（须按期投用）" if sc.deadline_mode == DeadlineMode.HARD else "软约束（允许逾期，计罚）"),
             color=None if plan.has_solution else BAD_INK)
    description = F.description_in(sc.description, "zh")
    if description and description != _title(plan):
        out.line(description, color="595959")
    if focus:
        above = dataset.ancestors(focus)
        out.line(f"范围：{focus}" + (f"（所在：{' · '.join(above)}）" if above else "")
                 + (f" 及其下 {len(scope) - 1} 个地区" if scope and len(scope) > 1 else "")
                 + "。本工作簿只含本范围的数据与结果；上级地区的合计不在本范围内，不列出。", color="595959")

    out.section("主要数字")
    h = F.headline(plan)
    if plan.has_solution:
        out.pair("缺口", f"{h.gaps} 个待补缺口：按期 {h.on_time}，逾期 {h.late}，未建 {h.unbuilt}，共享 {h.shared}"
                       f"（假设情景，不计入配置到位）；按期率 {h.on_time_share:.0%}"
                       + (f"；另有 {h.unschedulable} 项原表未列明，无法排程" if h.unschedulable else ""))
        out.pair("支出与预算", f"规划期内支出 {F.fmt_money(h.spent)} 万元，预算 {F.fmt_money(h.budget)} 万元，"
                            f"结余 {F.fmt_money(h.budget - h.spent)} 万元（金额为示例假设）")
        for line in F.deadline_lines(plan, dataset):
            out.pair(f"{line.tier.name}截止", f"{line.deadline.isoformat()}：{line.met} / {len(line.rows)} 个地区按期"
                                            f"达标 · {line.flag.label()}")
    else:
        out.pair("结果", "没有可行方案：下列预算缺口说明原因；情景设置见「情景假设」。", color=BAD_INK)
    for n, sf in enumerate(plan.shortfalls, start=1):
        out.pair(f"预算缺口 {n}" if len(plan.shortfalls) > 1 else "预算缺口", f"{sf.zh}\n{sf.en}", color=BAD_INK)
    if plan.message:
        out.pair("求解信息", plan.message)

    if plan.compliance:
        out.section("截止检查（按层级与地区）")
        out.line("状态：达标 = 全部按期配置到位；逾期或共享 = 规划期内补齐但未按期，或由他方共享；未建成 = 规划期末仍缺"
                 "（含原表未列明的项目）", size=9, color="595959")
        rows = out.table(COMPLIANCE_SHORT, _summary_compliance(plan, dataset, scope), {3: DAY})
        _mark_flags(ws, f"K{rows.start}:K{rows.stop - 1}")
        for r in rows:
            for c in range(2, 12):
                if r not in out.heads:  # a repeated header keeps its own (wrapped) alignment
                    ws.cell(r, c).alignment = Alignment(horizontal="center")

    money = F.money_rows(plan)
    if money:
        pool = F.uses_pool(plan)
        out.section("逐年支出与预算（万元，示例假设）")
        headers = ["年份", "预算", "建设投资", "运行费", "服务费", "合计支出", "结余"]
        headers += ["统筹池支用", "含统筹结余"] if pool else []
        lines = [([r.year, r.budget, r.capex, r.opex, r.fees, r.spent, r.balance]
                  + ([r.pool, r.budget + r.pool - r.spent] if pool else []), False) for r in F.by_year(money)]
        t = F.total(money)
        lines.append((["合计", t.budget, t.capex, t.opex, t.fees, t.spent, t.balance]
                      + ([t.pool, t.budget + t.pool - t.spent] if pool else []), True))
        rows = out.table(headers, lines, {1: INT, **{c: WAN for c in range(2, len(headers) + 1)}})
        for r in rows:
            if r not in out.heads:
                ws.cell(r, 1).alignment = Alignment(horizontal="center")
        _negative_red(ws, f"G{rows.start}:{get_column_letter(len(headers))}{rows.stop - 1}")

    if targets:
        out.section("目标")
        for t in targets:
            out.pair(t.name, f"{t.requirement}　→　计划结果：{t.result}")

    out.section("主要假设")
    *settings, (_, value) = F.key_assumptions(plan)  # the last one: "figures are assumptions"
    for pair in settings:
        out.pair(*pair)
    out.pair(S.ASSUMPTION_LABEL, value, fill=ASSUMPTION_FILL)
    if dataset.sources:
        out.pair("数据来源", "；".join(f"{s.id} {s.title}（{s.reference}）" if s.reference else f"{s.id} {s.title}"
                                   for s in dataset.sources))

    if dataset.warnings:
        out.section("数据警告")
        for n, w in enumerate(dataset.warnings, start=1):
            out.pair(f"警告 {n}", w.text("zh"))

    out.section("工作表")
    for name, what in _sheet_guide():
        out.pair(name, what)
    ws.sheet_view.showGridLines = False
    # A second page holding only a few lines reads as a leftover: a cover a little over one page is printed on
    # one (scaled a little), without the breaks.
    if out.pages == 2 and out.used < NEAR_EMPTY * SUMMARY_PAGE:
        ws.row_breaks = RowBreak()
        return True
    return False


def _summary_compliance(plan: Plan, dataset: Dataset, scope: list[str] | None) -> Iterable[tuple[list[Any], bool]]:
    for line in F.deadline_lines(plan, dataset):
        for c in with_rollups(dataset, line.rows, scope):
            yield ([c.region, c.tier.name, c.deadline, c.required, c.done_at_start, c.on_time, c.late, c.unbuilt,
                    c.shared, c.unschedulable, F.flag_of(c).label()], c.region.endswith(ROLLUP))
        if len(line.rows) < 2:  # one region: its own row is the whole
            continue
        yield ([f"全部（{len(line.rows)}）", line.tier.name, line.deadline] +
               [line.sum(f) for f in ("required", "done_at_start", "on_time", "late", "unbuilt", "shared",
                                      "unschedulable")] + [line.flag.label()], True)


def _sheet_guide() -> list[tuple[str, str]]:
    return [
        (SCHEDULE, "每个缺口的方式、开工与投用季度、建设投资、是否按期、逾期季度（共享、未建成以文字表示）"),
        (SPENDING, "各地区各年的支出与预算、结余（结余 = 预算 − 合计支出；负数标红），含地区小计与合计"),
        (COMPLIANCE, "各地区各层级是否在截止日期前配置到位（共享、未建、逾期均不算达标）"),
        (GANTT, "按季度的进度图：浅色 = 建设中，深色 = 投用，红色 = 逾期投用，灰色 = 共享服务期，浅红 = 未建成；"
                "改动开工或投用季度，颜色随之改变"),
        (SCENARIO, "本情景的全部参数、假设情景开关、求解结果（含目标函数值）与成本、预算假设"),
        ("输入数据", "层级、项目、别名、地区、能力矩阵、公布数、预算、实际完成、共用组、假设、来源：为打印而隐藏"
                    "（右键工作表标签 →「取消隐藏」可查看和修改，带下拉选项）；本工作簿可直接作为输入重新打开"),
    ]


def _negative_red(ws: Worksheet, cells: str) -> None:
    ws.conditional_formatting.add(cells, CellIsRule(operator="lessThan", formula=["-0.004"],
                                                    fill=solid(BAD_COLOUR), font=font(color=BAD_INK)))


# ------------------------------------------------------------------------------------------------ 计划

SCHEDULE_HEADERS = ["地区", "项目", "层级", "方式", "开工季度", "投用季度", "建设投资\n（万元）", "截止日期",
                    "是否\n按期", "逾期季度", "实际完成\n日期"]


def _schedule(ws: Worksheet, schedule: list[ScheduledGap]) -> None:
    rows = ([g.region, g.item, g.tier.name, _mode(g, MODE_ZH), _quarter_label(g.start_quarter),
             _quarter_label(g.online_quarter), float(F.money(g.capex_wan)), g.deadline, _yes_no(g.on_time),
             _late(g), g.actual_date] for g in schedule)
    write_table(ws, SCHEDULE_HEADERS, rows, [8, 30, 6, 14, 9, 9, 10, 11, 6, 9, 11],
                {7: WAN, 8: DAY, 10: INT, 11: DAY})
    ws.freeze_panes = "C2"
    _mark_yes_no(ws, 9)
    ws.conditional_formatting.add(_column(ws, 10), CellIsRule(operator="greaterThan", formula=["0"],
                                                              font=font(color=BAD_INK, bold=True)))
    for col in (4, 10):
        fill_equal(ws, _column(ws, col), {LATE_TEXT[GapMode.UNBUILT]: BAD_COLOUR, MODE_ZH[GapMode.UNBUILT]: BAD_COLOUR,
                                          MODE_SHORT[GapMode.UNSCHEDULABLE]: BAD_COLOUR,
                                          MODE_ZH[GapMode.UNSCHEDULABLE]: BAD_COLOUR,
                                          MODE_ZH[GapMode.SHARED]: WHAT_IF_COLOUR,
                                          MODE_SHORT[GapMode.SHARED]: WHAT_IF_COLOUR})
    _centre(ws, (3, 5, 6, 9, 10))


def _centre(ws: Worksheet, cols: Iterable[int]) -> None:
    for col in cols:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.alignment = Alignment(horizontal="center")


# ------------------------------------------------------------------------------------------------ 预算执行

SPENDING_HEADERS = ["地区", "年份", "建设投资\n（万元）", "运行费\n（万元）", "服务费\n（万元）", "合计支出\n（万元）",
                    "预算\n（万元）", "结余\n（万元）"]
POOL_HEADERS = ["统筹池支用\n（万元）\n假设情景", "上年结转\n（万元）\n假设情景", "含统筹与\n结转的结余\n（万元）"]
SUBTOTAL, GRAND_TOTAL = "小计", "合计"


def _spending(ws: Worksheet, plan: Plan, dataset: Dataset, scope: list[str] | None = None) -> None:
    """Rows per region and year, a subtotal per region and a grand total, all from the rounded amounts."""
    pool = F.uses_pool(plan)
    order, _ = _order(dataset)
    money = sorted(F.money_rows(plan), key=lambda r: (order.get(r.region, len(order)), r.year))
    headers = SPENDING_HEADERS + (POOL_HEADERS if pool else [])

    def cells(r: F.MoneyRow, year: Any) -> list[Any]:
        row = [r.region, year, r.capex, r.opex, r.fees, r.spent, r.budget, r.balance]
        if pool:
            row += [r.pool, r.carried if r.year else "—", r.balance_with_pool]
        return [float(v) if isinstance(v, Decimal) else v for v in row]

    lines: list[tuple[list[Any], bool]] = []
    ups = {rollup_name(p): dataset.subtree(p) for p in rollup_parents(dataset, scope)}
    by_region: dict[str, list[F.MoneyRow]] = {}
    for r in money:
        by_region.setdefault(r.region, []).append(r)
    names = [n for n in rollup_order(dataset, scope) if n in ups or n in by_region]
    listed = set(names)
    for region in names + [r for r in by_region if r not in listed]:
        if region in ups:  # a city's or province's roll-up: the printed rows below it, summed per year
            below = [r for name in ups[region] for r in by_region.get(name, [])]
            own = [F.total([r for r in below if r.year == y], region, y) for y in sorted({r.year for r in below})]
            lines += [(cells(r, r.year), True) for r in own]
        else:
            own = by_region[region]
            lines += [(cells(r, r.year), False) for r in own]
        if len(own) > 1:
            lines.append((cells(F.total(own, region), SUBTOTAL), True))
    if money:
        lines.append((cells(F.total(money, GRAND_TOTAL), ""), True))
    write_table(ws, headers, (values for values, _ in lines), [8, 7] + [10] * 6 + [11] * (len(headers) - 8),
                {2: INT, **{c: WAN for c in range(3, len(headers) + 1)}})
    for r, (_, is_total) in enumerate(lines, start=2):
        if is_total:
            for c in range(1, len(headers) + 1):
                cell = ws.cell(r, c)
                cell.font, cell.fill, cell.border = font(bold=True), TOTAL_FILL, TOTAL_TOP
    _negative_red(ws, f"H2:H{max(ws.max_row, GRID_ROWS)}")
    if pool:
        _negative_red(ws, f"K2:K{max(ws.max_row, GRID_ROWS)}")
    _centre(ws, (2,))
    ws.auto_filter.ref = None  # a filter would hide rows and leave the totals wrong


# ------------------------------------------------------------------------------------------------ 截止检查

COMPLIANCE_HEADERS = ["地区", "层级", "截止日期", "要求", BASELINE_DONE, "按期", "逾期", "未建", "共享",
                      "未列明", "实际\n已完成", "截至日期", "是否\n达标", "状态"]


def _compliance(ws: Worksheet, rows_in: list[ComplianceRow]) -> None:
    rows = ([c.region, c.tier.name, c.deadline, c.required, c.done_at_start, c.on_time, c.late, c.unbuilt,
             c.shared, c.unschedulable, c.actual_done, c.as_of, _yes_no(c.meets_deadline), F.flag_of(c).label()]
            for c in rows_in)
    write_table(ws, COMPLIANCE_HEADERS, rows, [8, 6, 12, 6, 8, 6, 6, 6, 6, 7, 8, 12, 7, 11],
                {3: DAY, **{c: INT for c in range(4, 12)}, 12: DAY})
    for r, c in enumerate(rows_in, start=2):
        if c.region.endswith(ROLLUP):
            for col in range(1, len(COMPLIANCE_HEADERS) + 1):
                cell = ws.cell(r, col)
                cell.font, cell.fill, cell.border = font(bold=True), TOTAL_FILL, TOTAL_TOP
    _mark_yes_no(ws, 13)
    _mark_flags(ws, _column(ws, 14))
    ws.conditional_formatting.add(f"G2:J{max(ws.max_row, GRID_ROWS)}", CellIsRule(  # 逾期 未建 共享 未列明
        operator="greaterThan", formula=["0"], font=font(color=BAD_INK, bold=True)))
    _centre(ws, range(2, 15))


# ------------------------------------------------------------------------------------------------ 甘特

GANTT_HEADERS = ["地区", "项目", "层级", "方式", "开工", "投用", "截止"]
GANTT_WIDTHS = [7, 28, 5, 6, 8, 8, 8]


def _gantt(ws: Worksheet, plan: Plan, dataset: Dataset, schedule: list[ScheduledGap]) -> None:
    """A quarter grid whose colours are conditional formats over the 开工 / 投用 / 截止 columns: building from
    开工 up to 投用, online in 投用 (red when after 截止), shared from 开工 (service start) on, unbuilt after 截止.
    Quarter labels compare as text (``2024Q4`` < ``2025Q1``), so editing a quarter moves the bar."""
    sc = plan.scenario
    quarters = quarter_range(sc.start, sc.horizon_end)
    first = len(GANTT_HEADERS) + 1
    col_of = {q: first + n for n, q in enumerate(quarters)}
    deadlines: dict[Quarter, list[Tier]] = {}
    for tier in dataset.tiers:
        for q in sorted({i.deadline_quarter for i in dataset.items_of(tier)}):
            deadlines.setdefault(q, []).append(tier)

    def row(g: ScheduledGap) -> list[Any]:
        start = g.start_quarter or (sc.start if g.mode == GapMode.SHARED else None)  # a fee from the plan start
        online = g.online_quarter if g.mode == GapMode.BUILT else None
        return [g.region, g.item, g.tier.name, _mode(g, MODE_SHORT), _quarter_label(start), _quarter_label(online),
                Quarter.of(g.deadline).label]

    write_table(ws, GANTT_HEADERS + [q.label for q in quarters], (row(g) for g in schedule),
                GANTT_WIDTHS + [7] * len(quarters))
    ws.freeze_panes = ws.cell(2, first).coordinate
    last_row = ws.max_row
    for c in col_of.values():  # 8 points: "2024Q1" fits the narrow column on one line
        ws.cell(1, c).font = font(size=8, bold=True, color="FFFFFF")
    for r, g in enumerate(schedule, start=2):
        for q, c in col_of.items():
            cell = ws.cell(r, c)
            cell.border = Border(left=THIN, right=THICK if q in deadlines else THIN, top=THIN, bottom=THIN)
            cell.alignment = Alignment(horizontal="center")
            cell.font = font(size=8, bold=True)
        mark = _gantt_mark(g, sc.start, col_of)
        if mark is not None:
            ws.cell(r, mark[0], mark[1])
    _centre(ws, range(3, first))
    _gantt_rules(ws, dataset, first, quarters)
    for q in deadlines:
        if q in col_of:
            head = ws.cell(1, col_of[q])
            head.fill = PatternFill("solid", fgColor=DEADLINE_COLOUR)
            head.font = font(size=8, bold=True, color="000000")
            head.border = Border(right=THICK)
    if last_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(first + len(quarters) - 1)}{last_row}"
    legend_rows = _gantt_legend(ws, dataset, deadlines, last_row + 2)
    _keep_legend_with_chart(ws, last_row, legend_rows)


def _gantt_mark(g: ScheduledGap, start: Quarter, col_of: dict[Quarter, int]) -> tuple[int, str] | None:
    """The one word written in a row's grid: 投用 / 逾期 in the online quarter, 共享 where service starts,
    未建 in the first quarter past the deadline."""
    if g.mode == GapMode.BUILT and g.online_quarter in col_of:
        late = bool(g.late_quarters) or g.online_quarter > Quarter.of(g.deadline)
        return col_of[g.online_quarter], "逾期" if late else "投用"
    if g.mode == GapMode.SHARED:
        q = g.start_quarter or start
        return (col_of[q], "共享") if q in col_of else None
    if g.mode in (GapMode.UNBUILT, GapMode.UNSCHEDULABLE):
        due = Quarter.of(g.deadline)
        q = max(due + 1, start)
        if q not in col_of and due in col_of:  # due in the last planning quarter: still missing in it
            q = due
        return (col_of[q], "未建") if q in col_of else None
    return None


def _gantt_rules(ws: Worksheet, dataset: Dataset, first: int, quarters: list[Quarter]) -> None:
    n = len(quarters)
    if not n:
        return
    top = get_column_letter(first)
    grid = f"{top}2:{get_column_letter(first + n - 1)}{max(ws.max_row, GRID_ROWS)}"
    q, start, online, due, mode, tier = f"{top}$1", "$E2", "$F2", "$G2", "$D2", "$C2"
    white = {"color": "FFFFFF", "bold": True, "size": 8}
    rules = [fill_rule(f'AND({online}<>"",{q}={online},{online}>{due})', LATE_COLOUR, **white)]
    for t in dataset.tiers:
        build, on = tier_colours(dataset, t)
        name = formula_text(t.name)
        rules += [fill_rule(f'AND({tier}={name},{online}<>"",{q}={online})', on, **white),
                  fill_rule(f'AND({tier}={name},{start}<>"",{online}<>"",{q}>={start},{q}<{online})', build)]
    shared, unbuilt, unnamed = (formula_text(MODE_SHORT[m]) for m in (GapMode.SHARED, GapMode.UNBUILT,
                                                                      GapMode.UNSCHEDULABLE))
    rules += [fill_rule(f'AND({mode}={shared},{start}<>"",{q}>={start})', SHARED_COLOUR, color="000000", size=8),
              # after the deadline; or in it, when it is the last quarter planned (else the gap shows no mark)
              fill_rule(f'AND(OR({mode}={unbuilt},{mode}={unnamed}),OR({q}>{due},AND({q}={due},{due}='
                        f'{formula_text(quarters[-1].label)})))', MISSING_COLOUR, color=BAD_INK, size=8)]
    for rule in rules:
        ws.conditional_formatting.add(grid, rule)


def _gantt_legend(ws: Worksheet, dataset: Dataset, deadlines: dict[Quarter, list[Tier]], row: int) -> None:
    legend: list[tuple[str, str, str]] = []
    for tier in dataset.tiers:
        build, online = tier_colours(dataset, tier)
        legend += [(build, "", f"建设中（{tier.name}能力）：开工季度至投用前一季度"),
                   (online, "投用", f"投用季度（{tier.name}能力）")]
    legend += [
        (LATE_COLOUR, "逾期", "逾期投用：投用季度晚于截止季度"),
        (SHARED_COLOUR, "共享", "共享服务期（假设情景，不计入配置到位）：自服务开始季度起按年付费"),
        (MISSING_COLOUR, "未建", "未建成：截止季度之后仍缺"),
        (DEADLINE_COLOUR, "", "截止季度：橙色表头，右侧粗线为截止日期（" + "；".join(
            f"{'、'.join(t.name + '能力' for t in ts)} {q.label}" for q, ts in deadlines.items()) + "）"),
    ]
    _put(ws, row, 1, "图例", bold=True)
    rows = len(legend) + 2  # with the blank row above it
    for n, (colour, sample, text) in enumerate(legend, start=row + 1):
        cell = _put(ws, n, 1, sample, bold=True, size=8,
                    color="FFFFFF" if sample in ("投用", "逾期") else "000000")
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.alignment = Alignment(horizontal="center")
        _put(ws, n, 2, text)
    return rows


# A landscape A4 page holds this many points of rows at 100 % (595 pt less the margins, a little spare), and a
# column-width unit prints about this wide (LibreOffice and Excel, measured on the printed Gantt).
LANDSCAPE_ROWS_PT = (595.3 - (0.75 + 0.7) * 72) * 0.95
LANDSCAPE_WIDTH_PT, UNIT_PT = 841.9 - 0.9 * 72, 5.6


def _keep_legend_with_chart(ws: Worksheet, last_row: int, legend_rows: int) -> None:
    """Page breaks for a Gantt longer than a page: every page as full as it surely holds, and the last one
    with some chart rows and the whole legend (a legend alone on a page, or split from its chart, reads as
    nothing). The estimate errs on the side of fewer rows per page, so no automatic break falls in between."""
    scale = min(1.0, LANDSCAPE_WIDTH_PT / (sheet_width(ws) * UNIT_PT))
    per_page = int(LANDSCAPE_ROWS_PT / (ROW_HEIGHT * scale)) - 1  # data rows under the repeated header
    rows = last_row - 1
    if rows + legend_rows <= per_page or per_page <= legend_rows + 2:
        return
    at = 1  # the last row above a break
    while (last_row - at) + legend_rows > per_page:
        left = last_row - at
        if left + legend_rows > 2 * per_page:  # more than two pages to go: a full page
            at += per_page
        else:  # the last two pages share the rest evenly, the legend on the second
            at = max(min(at + (left + legend_rows + 1) // 2, at + per_page), last_row - (per_page - legend_rows))
        ws.row_breaks.append(Break(id=at))


# ------------------------------------------------------------------------------------------------ 情景假设

SCENARIO_HEADERS = ["类别", "名称", "值", "单位", "性质", "说明"]


def _on_off(flag: bool) -> str:
    return "开" if flag else "关"


def _scenario(ws: Worksheet, plan: Plan, dataset: Dataset, generated_on: date) -> None:
    rows = list(_scenario_rows(plan, dataset, generated_on))
    write_table(ws, SCENARIO_HEADERS, rows, [9, 22, 42, 8, 17, 52])
    basis = get_column_letter(5)
    cells = f"A2:F{max(ws.max_row, GRID_ROWS)}"
    ws.conditional_formatting.add(cells, fill_rule(f"${basis}2={formula_text(S.ASSUMPTION_LABEL)}",
                                                   ASSUMPTION_COLOUR))
    ws.conditional_formatting.add(cells, fill_rule(  # a what-if that is switched on
        f'AND(${basis}2={formula_text(WHAT_IF)},$C2<>"关",$C2<>0)', WHAT_IF_COLOUR))
    for r, row in enumerate(rows, start=2):
        value = row[2]
        if isinstance(value, float):
            ws.cell(r, 3).number_format = "#,##0.00##"
        if isinstance(value, date):
            ws.cell(r, 3).number_format = DAY
        for c in range(1, 7):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top",
                                                horizontal="left" if c == 3 else None)
    fit_rows(ws)


def _scenario_rows(plan: Plan, dataset: Dataset, generated_on: date) -> Iterable[list[Any]]:
    sc, opt = plan.scenario, plan.scenario.options
    cat = "情景参数"
    yield [cat, "情景名称", sc.name, "", SETTING, F.description_in(sc.description, "zh")]
    yield [cat, "工作簿", Path(sc.workbook).name, "", SETTING, "规划所用的输入数据（本工作簿隐藏的输入数据表）"]
    if sc.source_path is not None:
        yield [cat, "情景文件", Path(sc.source_path).name, "", SETTING, ""]
    yield [cat, "起始季度", sc.start.label, "季度", SETTING, "最早可开工的季度"]
    yield [cat, "规划期末", sc.horizon_end.label, "季度", SETTING, "排程的最后一个季度"]
    hard = sc.deadline_mode == DeadlineMode.HARD
    yield [cat, "截止要求", "硬约束" if hard else "软约束", "", SETTING,
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

    cat = RESULT
    yield [cat, "求解状态", status_text(plan.status), "", RESULT, plan.message]
    yield [cat, "求解用时", round(plan.seconds, 1), "秒", RESULT,
           "" if plan.mip_gap is None else f"相对间隙 {plan.mip_gap:.4%}"]
    yield [cat, "目标函数值", "—" if plan.objective is None else _num(plan.objective), "", RESULT,
           "模型内部的加权目标（逾期与未建的罚分加成本），只用于比较方案，不是金额"]
    yield [cat, "生成日期", generated_on, "", RESULT, ""]

    cat = "项目成本"
    for i in dataset.items:
        fee = f" · 服务费 {i.service_fee_wan:g}/年" if i.service_fee_wan and opt.sharing else ""
        upgrade = f" · 升级 {i.upgrade_capex_wan:g}" if i.upgrade_capex_wan is not None else ""
        cost = f"建设 {i.capex_wan:g} · 运行 {i.opex_wan:g}/年 · 周期 {i.lead_quarters} 季度{upgrade}{fee}"
        yield [cat, i.name, cost, "万元", S.ASSUMPTION_LABEL, i.note]
    cat = "预算"
    order, _ = _order(dataset)
    budgets: dict[str, list[tuple[int, float]]] = {}
    for (region, year), amount in sorted(dataset.budgets.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        budgets.setdefault(region, []).append((year, amount))
    for region, years in budgets.items():
        yield [cat, f"{region}（工作簿预算）", " · ".join(f"{y}: {a:g}" for y, a in years), "万元",
               S.ASSUMPTION_LABEL, "本情景调整后的预算见「预算执行」"]
    cat = "共用组"
    for g in dataset.share_groups:
        yield [cat, g.name, float(g.saving_wan), "万元", S.ASSUMPTION_LABEL,
               "项目：" + "；".join(g.items) + (f"。{g.note}" if g.note else "")]
    cat = "其他假设"
    for a in dataset.assumptions:
        yield [cat, a.key, a.value, a.unit, S.ASSUMPTION_LABEL, a.note]
