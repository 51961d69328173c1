"""Writing workbooks: formatted tables, user text kept as text, and a Dataset in the loader's own format
(so every workbook the tool writes, the data template and the plan alike, re-opens in ``load_workbook``)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import CAP_ZH, LEVEL_ZH, Cap, Dataset
from planner.io import schema as S

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ASSUMPTION_FILL = PatternFill("solid", fgColor="FFF2CC")
MATRIX_FILL = {CAP_ZH[Cap.HAS]: "C6EFCE", CAP_ZH[Cap.LACKS]: "FFC7CE", CAP_ZH[Cap.UPGRADE]: "FFEB9C",
               CAP_ZH[Cap.NA]: "D9D9D9"}


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
    ws.append(list(headers))
    for cell in ws[ws.max_row]:
        keep_as_text(cell)  # headers can be user text too (the matrix's item names)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            keep_as_text(cell)
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


_FORMATS = {"date": "yyyy-mm-dd", "number": "0.0", "int": "0"}


def _mark_assumptions(ws: Worksheet, basis_col: int) -> None:
    for (cell,) in ws.iter_rows(min_row=2, min_col=basis_col, max_col=basis_col):
        if cell.value == S.ASSUMPTION_LABEL:
            for c in ws[cell.row]:
                c.fill = ASSUMPTION_FILL


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
    for row in ws.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.fill = PatternFill("solid", fgColor=MATRIX_FILL.get(cell.value, "FFFFFF"))
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
    _spec_table(wb, S.ASSUMPTIONS, ([a.key, a.value, a.unit, a.note] for a in dataset.assumptions))
    _spec_table(wb, S.SOURCES, ([s.id, s.title, s.reference, s.note] for s in dataset.sources))


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
        keep_as_text(ws.cell(ws.max_row, 1))
    ws.column_dimensions["A"].width = 120
    add_dataset_sheets(wb, dataset)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
