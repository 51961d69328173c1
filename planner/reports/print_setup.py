"""Print settings for a worksheet: A4, landscape when wide, one page wide, repeated header rows, a header with
the scenario and date, 第 N 页 / 共 M 页 in the footer, and row heights that show wrapped text whole."""

from __future__ import annotations

import math
import unicodedata
from datetime import date

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from planner.io.excel import FONT_NAME

PORTRAIT_WIDTH = 95  # column-width units an A4 portrait page holds at 100 % (between the margins)
LINE_HEIGHT = 13.5  # points per line of 10-point text
ROW_HEIGHT = 14.0  # a one-line row (the default 15 suits Excel's 11-point default font)
HEADER_FONT = f"{FONT_NAME},Regular"


def _hf(value: str) -> str:
    """Text for a header/footer: '&' starts a code there, so a literal one is doubled."""
    return value.replace("&", "&&")


def sheet_width(ws: Worksheet) -> float:
    """The used columns' total width (units of one digit); unset columns count Excel's default 8.43."""
    return sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, ws.max_column + 1))


def print_setup(ws: Worksheet, *, title: str, scenario: str, generated_on: date, title_rows: int | None = 1,
                landscape: bool | None = None, one_page: bool = False) -> None:
    """A4, one page wide (``one_page``: the whole sheet on one page), landscape when the sheet is wider than a
    portrait page (or as ``landscape`` says), the first ``title_rows`` rows repeated on every page, centred,
    with a header (title and scenario left, generation date right) and a footer (sheet left, page of pages)."""
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    wide = sheet_width(ws) > PORTRAIT_WIDTH if landscape is None else landscape
    ps.orientation = ws.ORIENTATION_LANDSCAPE if wide else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ps.fitToWidth = 1
    ps.fitToHeight = 1 if one_page else 0  # 0: as many pages tall as it takes
    ws.page_margins = PageMargins(left=0.45, right=0.45, top=0.75, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.sheet_format.defaultRowHeight, ws.sheet_format.customHeight = ROW_HEIGHT, True  # rows of 10-point text
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    header, footer = ws.oddHeader, ws.oddFooter
    header.left.text = _hf(f"{title} · 情景：{scenario[:80]}")
    header.right.text = f"生成日期 {generated_on.isoformat()}"
    footer.left.text = "&A"  # the sheet's name
    footer.center.text = "第 &P 页 / 共 &N 页"
    for part in (header.left, header.right, footer.left, footer.center):
        part.font, part.size = HEADER_FONT, 9


# ------------------------------------------------------------------------------------------ row heights

def text_width(value: object) -> float:
    """Width of text in column-width units (digits of the default font): a 10-point CJK character takes about
    1.8 (Excel; LibreOffice draws it narrower, so the estimate errs on the side of whole lines)."""
    return sum(1.8 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in str(value))


def text_lines(value: object, width: float) -> int:
    """Lines ``value`` takes wrapped in a column ``width`` units wide (explicit line breaks count)."""
    usable = max(width - 0.6, 1.0)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(value).split("\n"))


def fit_rows(ws: Worksheet, rows: range | None = None) -> None:
    """Set the height of each row holding wrapped text so every line shows (spreadsheets do not re-measure a
    row whose text wraps in a merged cell, and the header row's wrapped labels were clipped)."""
    merged = {(r.min_row, r.min_col): sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                                          for c in range(r.min_col, r.max_col + 1))
              for r in ws.merged_cells.ranges}
    for r in rows or range(1, ws.max_row + 1):
        height = 0.0
        for cell in ws[r]:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            width = merged.get((r, cell.column), ws.column_dimensions[get_column_letter(cell.column)].width or 8.43)
            size = (cell.font.sz if cell.font and cell.font.sz else 10) / 10
            lines = text_lines(cell.value, width / size)
            height = max(height, lines * LINE_HEIGHT * size + 3)
        if height > LINE_HEIGHT + 3:
            ws.row_dimensions[r].height = round(height, 1)
