"""Writing workbooks: formatted tables, user text kept as text, and a Dataset in the loader's own format
(so every workbook the tool writes, the data template and the plan alike, re-opens in ``load_workbook``).

Every cell written here names a CJK font (``FONT_NAME``): a cell font without a name falls back to a serif face
in LibreOffice and WPS. Colours that depend on a cell's value are conditional formats, so they follow edits, and
the input sheets carry drop-downs (matrix states, tiers, levels, regions, items), so the workbook is a safe
template to fill in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import CAP_ZH, LEVEL_ZH, Cap, Dataset
from planner.io import schema as S

# 宋体 (SimSun) for the body and 黑体 (SimHei) for header rows: both ship with Windows and with WPS Office (on
# Kylin and UOS desktops too), where 等线 is often missing and the print substitutes another face. LibreOffice
# on Debian, without them, draws both with fonts-noto-cjk (the README says which fonts to install).
FONT_NAME = "宋体"
HEADING_FONT_NAME = "黑体"
FONT_SIZE = 10


def font(**kw: Any) -> Font:
    """A font naming the CJK face (size 10 unless given): every styled cell uses one."""
    kw.setdefault("size", FONT_SIZE)
    return Font(name=FONT_NAME, **kw)


BODY_FONT = font()
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(name=HEADING_FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
ASSUMPTION_COLOUR = "FFF2CC"
ASSUMPTION_FILL = PatternFill("solid", fgColor=ASSUMPTION_COLOUR)
MATRIX_FILL = {CAP_ZH[Cap.HAS]: "C6EFCE", CAP_ZH[Cap.LACKS]: "FFC7CE", CAP_ZH[Cap.UPGRADE]: "FFEB9C",
               CAP_ZH[Cap.NA]: "D9D9D9"}
TEMPLATE_ROWS = 1000  # drop-downs reach this far below the header, so rows a user adds get them too


FORMULA_STARTS = ("=", "+", "-", "@")


def keep_as_text(cell: Any) -> Any:
    """User text stays text: a string cell is written as a string, never a formula, and one starting with
    = + - @ is quote-prefixed so Excel keeps it text even when edited. The value itself is unchanged."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value[:1] in FORMULA_STARTS:
            cell.quotePrefix = True
    return cell


def write_table(ws: Worksheet, headers: list[str], rows: Iterable[Iterable[Any]],
                widths: list[int] | None = None, formats: dict[int, str] | None = None) -> None:
    """A formatted table: bold header row, frozen, filtered, sized columns; strings kept as text."""
    # cells are written by position: openpyxl's max_row scans every cell, so asking it per row is quadratic
    for c, value in enumerate(headers, start=1):
        cell = keep_as_text(ws.cell(1, c, value))  # headers can be user text too (the matrix's item names)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = 1
    for row in rows:
        r += 1
        for c, value in enumerate(row, start=1):
            keep_as_text(ws.cell(r, c, value)).font = BODY_FONT
    for idx, fmt in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
            cell.number_format = fmt
    for idx, width in enumerate(widths or [14] * len(headers), start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "B2" if ws.title == S.MATRIX.zh else "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def _spec_table(wb: Workbook, spec: S.Sheet, rows: Iterable[Iterable[Any]]) -> Worksheet:
    ws = wb.create_sheet(spec.zh)
    formats = {i: _FORMATS[c.kind] for i, c in enumerate(spec.columns, start=1) if c.kind in _FORMATS}
    write_table(ws, [c.zh for c in spec.columns], rows, [c.width for c in spec.columns], formats)
    return ws


# Inputs as entered: at least two decimals, up to four (a quarterly fee of 1.875 stays visible).
_FORMATS = {"date": "yyyy-mm-dd", "number": "0.00##", "int": "0"}


def formula_text(value: str) -> str:
    """A string literal inside a formula (conditional formats, validations): quotes doubled."""
    return '"' + value.replace('"', '""') + '"'


def solid(colour: str) -> PatternFill:
    """A solid fill for a conditional format (spreadsheets read its colour from bgColor, cells from fgColor)."""
    return PatternFill("solid", fgColor=colour, bgColor=colour)


def fill_rule(formula: str, colour: str, **font_kw: Any) -> FormulaRule:
    """A conditional format: ``colour`` fill (and font, if given) where ``formula`` holds."""
    return FormulaRule(formula=[formula], fill=solid(colour), font=font(**font_kw) if font_kw else None)


def fill_equal(ws: Worksheet, cells: str, colours: dict[str, str]) -> None:
    """Conditional fills by a cell's own text (``{text: colour}``): the colour follows an edit."""
    for value, colour in colours.items():
        ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[formula_text(value)],
                                                        fill=solid(colour)))


def _mark_assumptions(ws: Worksheet, basis_col: int) -> None:
    """Rows whose 数据性质 is 示例假设 get the assumption fill, as a conditional format over the table."""
    if ws.max_column < basis_col:
        return
    col = get_column_letter(basis_col)
    ws.conditional_formatting.add(
        f"A2:{get_column_letter(ws.max_column)}{max(ws.max_row, TEMPLATE_ROWS)}",
        fill_rule(f"${col}2={formula_text(S.ASSUMPTION_LABEL)}", ASSUMPTION_COLOUR))


def add_dataset_sheets(wb: Workbook, dataset: Dataset) -> None:
    """Append the input sheets (the loader's format) to ``wb``, so any workbook we write re-opens."""
    assumed = S.ASSUMPTION_LABEL
    _spec_table(wb, S.TIERS, ([t.name, t.key, dataset.tier_deadline(t), t.note] for t in dataset.tiers))
    ws = _spec_table(wb, S.ITEMS, (
        [i.id, i.name, i.tier.name, i.deadline, i.capex_wan, i.opex_wan, i.lead_quarters, i.priority,
         i.service_fee_wan, assumed, i.note, i.upgrade_capex_wan, i.upgrade_lead_quarters] for i in dataset.items))
    _mark_assumptions(ws, 10)
    _spec_table(wb, S.ALIASES, ([a, n] for a, n in dataset.aliases.items()))
    _spec_table(wb, S.REGIONS, ([r.id, r.name, LEVEL_ZH[r.level], r.note, r.parent] for r in dataset.regions))
    ws = wb.create_sheet(S.MATRIX.zh)
    write_table(ws, [S.MATRIX.columns[0].zh] + [i.name for i in dataset.items], (
        [r.name] + [CAP_ZH[dataset.state(r.name, i.name)] for i in dataset.items]
        for r in dataset.matrix_regions), [8] + [12] * len(dataset.items))
    if dataset.items:
        fill_equal(ws, f"B2:{get_column_letter(len(dataset.items) + 1)}{max(ws.max_row, 50)}", MATRIX_FILL)
    for cell in ws[1][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[1].height = 60
    _spec_table(wb, S.COUNTS, ([c.tier.name, c.region, c.required, c.completed, c.pending, c.printed,
                                c.note] for c in dataset.counts))
    ws = _spec_table(wb, S.BUDGETS, ([r, y, b, assumed, "年度专项经费（示例假设，须替换）"]
                                     for (r, y), b in sorted(dataset.budgets.items(), key=_budget_order(dataset))))
    _mark_assumptions(ws, 4)
    _spec_table(wb, S.ACTUALS, ([r, i, d, dataset.actual_evidence.get((r, i), "")]
                                for (r, i), d in dataset.actuals.items()))
    ws = _spec_table(wb, S.SHARE_GROUPS, ([g.name, "；".join(g.items),
                                           g.saving_wan, assumed, g.note] for g in dataset.share_groups))
    _mark_assumptions(ws, 4)
    yes_no = {True: "是", False: "否"}
    _spec_table(wb, S.TARGETS, ([t.id, S.TARGET_KIND_ZH[t.kind], t.scope, t.by, t.tier.name if t.tier else None,
                                 None if t.share is None else round(t.share * 100, 6), t.count,
                                 LEVEL_ZH[t.level] if t.level else None, yes_no[t.per_region],
                                 yes_no[t.include_higher], None if t.hard is None else ("硬" if t.hard else "软"),
                                 t.source, t.note] for t in dataset.targets))
    _spec_table(wb, S.ASSUMPTIONS, ([a.key, a.value, a.unit, a.note] for a in dataset.assumptions))
    _spec_table(wb, S.SOURCES, ([s.id, s.title, s.reference, s.note] for s in dataset.sources))
    add_validations(wb, len(dataset.items))


# ------------------------------------------------------------------------------------------- drop-downs

def _column_range(spec: S.Sheet, key: str, last_row: int = TEMPLATE_ROWS) -> str:
    """Absolute data range of one column of an input sheet, for a list drop-down (follows edits there)."""
    col = get_column_letter([c.key for c in spec.columns].index(key) + 1)
    return f"{quote_sheetname(spec.zh)}!${col}$2:${col}${last_row}"


def _cells(spec: S.Sheet, key: str) -> str:
    col = get_column_letter([c.key for c in spec.columns].index(key) + 1)
    return f"{col}2:{col}{TEMPLATE_ROWS}"


def _list(source: str, title: str, zh: str, en: str, strict: bool = True) -> DataValidation:
    """A drop-down list; ``strict`` rejects other values, else warns (item aliases are valid too)."""
    return DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                          errorStyle="stop" if strict else "warning", errorTitle=title,
                          error=f"{zh}\n{en}", showInputMessage=False)


def add_validations(wb: Workbook, n_items: int) -> None:
    """Drop-downs on the input sheets: matrix states, tiers, region levels, regions and items come from lists
    (the region, tier and item lists are the 地区 / 层级 / 项目 sheets themselves, so new rows there appear in the
    drop-downs); numbers must be numbers and dates dates."""
    states = ",".join(CAP_ZH[c] for c in Cap)
    regions = _column_range(S.REGIONS, "name")
    tiers = _column_range(S.TIERS, "name")
    items = _column_range(S.ITEMS, "name")
    region_msg = ("请从「地区」表的名称中选择", "choose a region named on sheet 地区")
    rules: dict[str, list[tuple[DataValidation, str]]] = {
        S.MATRIX.zh: [(_list(formula_text(states), S.MATRIX.zh, f"只能填：{states.replace(',', ' / ')}",
                             "one of 已具备 / 缺失 / 需升级 / 不适用"),
                       f"B2:{get_column_letter(max(n_items, 1) + 1)}{TEMPLATE_ROWS}"),
                      (_list(regions, "地区", *region_msg), f"A2:A{TEMPLATE_ROWS}")],
        S.ITEMS.zh: [(_list(tiers, "层级", "请从「层级」表的名称中选择", "choose a tier named on sheet 层级"),
                      _cells(S.ITEMS, "tier"))],
        S.REGIONS.zh: [(_list(formula_text(",".join(LEVEL_ZH.values())), "层级", "只能填：省级 / 市级 / 县级",
                              "one of 省级 / 市级 / 县级 (province / city / county)"), _cells(S.REGIONS, "level")),
                       (_list(regions, "上级", *region_msg), _cells(S.REGIONS, "parent"))],
        S.COUNTS.zh: [(_list(tiers, "层级", "请从「层级」表的名称中选择", "choose a tier named on sheet 层级"),
                       _cells(S.COUNTS, "tier"))],
        S.BUDGETS.zh: [(_list(regions, "地区", *region_msg), _cells(S.BUDGETS, "region"))],
        S.TARGETS.zh: [(_list(formula_text(",".join(S.TARGET_KIND_ZH.values())), "类型",
                              "只能填：层级期限 / 覆盖率 / 数量",
                              "one of 层级期限 / 覆盖率 / 数量 (deadline / coverage / count)"),
                        _cells(S.TARGETS, "kind")),
                       (_list(regions, "范围", *region_msg), _cells(S.TARGETS, "scope")),
                       (_list(tiers, "层级", "请从「层级」表的名称中选择", "choose a tier named on sheet 层级"),
                        _cells(S.TARGETS, "tier")),
                       (_list(formula_text(",".join(LEVEL_ZH.values())), "地区层级", "只能填：省级 / 市级 / 县级",
                              "one of 省级 / 市级 / 县级"), _cells(S.TARGETS, "level")),
                       (_list(formula_text("是,否"), "是/否", "只能填：是 / 否", "是 (yes) or 否 (no)"),
                        _cells(S.TARGETS, "per_region")),
                       (_list(formula_text("是,否"), "是/否", "只能填：是 / 否", "是 (yes) or 否 (no)"),
                        _cells(S.TARGETS, "include_higher")),
                       (_list(formula_text("硬,软"), "约束", "只能填：硬 / 软（空白：同情景设置）",
                              "硬 (hard) or 软 (soft); blank: as the scenario"), _cells(S.TARGETS, "hard"))],
        S.ACTUALS.zh: [(_list(regions, "地区", *region_msg), _cells(S.ACTUALS, "region")),
                       (_list(items, "项目", "不是「项目」表中的名称（别名也可以）",
                              "not an item name on sheet 项目 (an alias is fine too)", strict=False),
                        _cells(S.ACTUALS, "item"))],
    }
    for spec in S.INPUT_SHEETS:  # numbers must be numbers, dates dates
        for c in spec.columns:
            if c.kind in ("number", "int", "date"):
                kind = {"number": "decimal", "int": "whole", "date": "date"}[c.kind]
                zh, en = {"date": ("请填日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
                          "whole": ("请填不小于 0 的整数", "a whole number, 0 or more"),
                          "decimal": ("请填不小于 0 的数字", "a number, 0 or more")}[kind]
                dv = DataValidation(type=kind, operator="greaterThanOrEqual",
                                    formula1="DATE(1900,1,1)" if kind == "date" else "0", allow_blank=True,
                                    showErrorMessage=True, errorTitle=c.zh, error=f"{zh}\n{en}")
                rules.setdefault(spec.zh, []).append((dv, _cells(spec, c.key)))
    for sheet, pairs in rules.items():
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        for dv, cells in pairs:
            dv.add(cells)
            ws.add_data_validation(dv)


def _budget_order(dataset: Dataset):
    order = {r.name: n for n, r in enumerate(dataset.regions)}
    return lambda kv: (order.get(kv[0][0], 99), kv[0][1])


def dataset_workbook(dataset: Dataset, readme: list[str] | None = None) -> Workbook:
    """A new workbook holding ``dataset`` in the input format, with an optional 说明 sheet first."""
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    for line in readme or [f"{S.ASSUMPTION_LABEL}：黄色底色的行是假设，不是来源数据。"]:
        ws.append([line])
        keep_as_text(ws.cell(ws.max_row, 1)).font = BODY_FONT
    ws.column_dimensions["A"].width = 120
    add_dataset_sheets(wb, dataset)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
