"""A template filled in the app: the matrix states and budgets a user enters, written into the template's own
workbook (``planner.io.templates.template_workbook``) and read back by ``load_workbook``, so a draft is checked
exactly like the same workbook filled offline and uploaded.

A template starts with every matrix and budget cell blank, and the reader lists only the first blanks; ``blanks``
counts them all (in a draft or in any uploaded workbook) so that a user is told how much is left, not the first
fifty cells of it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import openpyxl

from planner.domain import CAP_ZH, Cap, Dataset, InputError, Message
from planner.io import schema as S
from planner.io.excel import workbook_bytes
from planner.io.templates import Template, template_workbook
from planner.io.workbook import load_workbook


@dataclass
class Draft:
    """A template being filled: the cells entered so far (a cell not in a dict is still blank)."""

    template: Template
    matrix: dict[tuple[str, str], Cap] = field(default_factory=dict)  # (region, item name) -> state
    budgets: dict[tuple[str, int], float] = field(default_factory=dict)  # (region, year) -> 万元

    @property
    def regions(self) -> list[str]:
        return [r.name for r in self.template.dataset.regions]

    @property
    def items(self) -> list[str]:
        return [i.name for i in self.template.dataset.items]

    @property
    def years(self) -> list[int]:
        return self.template.years

    def blanks(self) -> Blanks:
        """The cells not entered yet (as ``blanks`` would count them in the written workbook)."""
        matrix = {r: sum((r, i) not in self.matrix for i in self.items) for r in self.regions}
        budgets = {r: sum((r, y) not in self.budgets for y in self.years) for r in self.regions}
        return Blanks(sum(matrix.values()), sum(1 for n in matrix.values() if n),
                      sum(budgets.values()), sum(1 for n in budgets.values() if n))

    def fill_matrix(self, state: Cap) -> int:
        """Every blank matrix cell set to ``state``; returns how many were blank."""
        blank = [(r, i) for r in self.regions for i in self.items if (r, i) not in self.matrix]
        self.matrix.update(dict.fromkeys(blank, state))
        return len(blank)

    def fill_budgets(self, amount: float) -> int:
        """Every blank budget cell (region and year) set to ``amount``; returns how many were blank."""
        blank = [(r, y) for r in self.regions for y in self.years if (r, y) not in self.budgets]
        self.budgets.update(dict.fromkeys(blank, float(amount)))
        return len(blank)


@dataclass(frozen=True)
class Blanks:
    """Blank cells left in a workbook's capability matrix and budgets, and how many regions they are in."""

    matrix_cells: int = 0
    matrix_regions: int = 0
    budget_cells: int = 0
    budget_regions: int = 0

    @property
    def total(self) -> int:
        return self.matrix_cells + self.budget_cells


@dataclass
class Checked:
    """A draft (or upload) as the reader sees it: the workbook written, the dataset when it validates, else
    the reader's located messages and the blanks left."""

    data: bytes
    dataset: Dataset | None
    messages: list[Message]
    blanks: Blanks


def draft_bytes(draft: Draft) -> bytes:
    """The template workbook with the draft's cells written in (blank where nothing was entered)."""
    wb = template_workbook(draft.template)
    matrix = wb[S.MATRIX.zh]
    columns = {str(c.value): c.column for c in matrix[1] if c.value is not None}
    for row in matrix.iter_rows(min_row=2):
        region = str(row[0].value or "")
        for item, col in columns.items():
            state = draft.matrix.get((region, item))
            if state is not None and col > 1:
                row[col - 1].value = CAP_ZH[state]
    sheet = wb[S.BUDGETS.zh]
    at = {c.key: n for n, c in enumerate(S.BUDGETS.columns)}
    for row in sheet.iter_rows(min_row=2):
        amount = draft.budgets.get((str(row[at["region"]].value or ""), _year(row[at["year"]].value)))
        if amount is not None:
            row[at["budget_wan"]].value = amount
    return workbook_bytes(wb)


def check(data: bytes) -> Checked:
    """Read a workbook as an upload would be read: its dataset, or the reader's messages and the blanks left."""
    try:
        return Checked(data, load_workbook(data), [], Blanks())
    except InputError as exc:
        return Checked(data, None, exc.messages, blanks(data))


def check_draft(draft: Draft) -> Checked:
    return check(draft_bytes(draft))


def blanks(data: bytes) -> Blanks:
    """Blank cells of the 能力矩阵 (every item column of a region's row) and of the 预算 amounts; an empty
    ``Blanks`` when the workbook cannot be opened or has neither sheet."""
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - not a workbook: the reader has said so
        return Blanks()
    matrix_cells, matrix_regions = _blank_rows(wb, S.MATRIX.zh, None)
    budget_cells, budget_regions = _blank_rows(wb, S.BUDGETS.zh, S.BUDGETS.column("budget_wan").zh)
    wb.close()
    return Blanks(matrix_cells, matrix_regions, budget_cells, budget_regions)


def _blank_rows(wb, sheet: str, column: str | None) -> tuple[int, int]:
    """(blank cells, regions with one) in ``sheet``: every column after the first, or only ``column``."""
    if sheet not in wb.sheetnames:
        return 0, 0
    rows = wb[sheet].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    wanted = [n for n, h in enumerate(header) if h and (h == column if column else n > 0)]
    cells, regions = 0, set()
    for row in rows:
        region = row[0] if row else None
        if region is None or not str(region).strip():
            continue
        blank = sum(1 for n in wanted if n >= len(row) or row[n] is None or not str(row[n]).strip())
        if blank:
            cells += blank
            regions.add(str(region).strip())
    return cells, len(regions)


def _year(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
