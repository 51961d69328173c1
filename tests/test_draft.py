"""A template filled in the app (planner.io.draft): written into the template's own workbook, read back by the
engine's reader, blanks counted in full where the reader lists only the first ones."""

from __future__ import annotations

import io

import openpyxl
import pytest

from planner.domain import Cap
from planner.io.draft import Blanks, Draft, blanks, check, check_draft, draft_bytes
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.templates import load_template


@pytest.fixture(scope="module")
def nanchang():
    return load_template("nanchang")


def test_a_blank_template_counts_every_blank_the_reader_cuts_short(nanchang) -> None:
    draft = Draft(nanchang)
    checked = check_draft(draft)
    # 10 regions (南昌市 and its 9 districts and counties) × 22 items; 10 regions × 2023..2026
    assert checked.dataset is None
    assert checked.blanks == Blanks(220, 10, 40, 10) == draft.blanks()
    assert len([m for m in checked.messages if m.code == "blank_value"]) < checked.blanks.total  # the reader stops
    first = checked.messages[0]
    assert (first.sheet, first.row, first.column) == ("能力矩阵", 2, "玻璃体温计")


def test_the_last_blanks_are_located_and_a_full_draft_validates(nanchang) -> None:
    draft = Draft(nanchang)
    assert draft.fill_matrix(Cap.HAS) == 220 and draft.fill_budgets(40.0) == 40
    del draft.matrix[("南昌县", "衡器")], draft.matrix[("南昌县", "水表")]
    checked = check_draft(draft)
    row = 2 + draft.regions.index("南昌县")  # the matrix sheet: a header, then the regions in order
    where = [(m.sheet, m.row, m.column) for m in checked.messages]
    assert where == [("能力矩阵", row, "衡器"), ("能力矩阵", row, "水表")]
    assert checked.blanks == Blanks(2, 1, 0, 0) == draft.blanks()
    draft.matrix[("南昌县", "衡器")] = Cap.LACKS
    draft.matrix[("南昌县", "水表")] = Cap.UPGRADE
    draft.matrix[("安义县", "血压计")] = Cap.NA
    draft.budgets[("南昌县", 2024)] = 90.0
    checked = check_draft(draft)
    ds = checked.dataset
    assert ds is not None and not checked.messages and checked.blanks == Blanks()
    assert ds.matrix == draft.matrix and ds.budgets == draft.budgets
    assert ds.gaps() == [("南昌县", "衡器"), ("南昌县", "水表")]
    assert [t.id for t in ds.targets] == ["NC-1", "NC-2"]  # the plan's targets come along
    assert check(checked.data).dataset is not None  # the bytes are the workbook an upload would be


def test_blanks_of_other_workbooks(nantong) -> None:
    assert blanks(workbook_bytes(dataset_workbook(nantong))) == Blanks()
    assert blanks(b"not a workbook") == Blanks()
    assert check(b"not a workbook").dataset is None


def test_a_filled_cell_is_written_where_the_reader_finds_it(nanchang) -> None:
    draft = Draft(nanchang)
    item = draft.items[-1]
    draft.matrix[("进贤县", item)] = Cap.NA
    sheet = openpyxl.load_workbook(io.BytesIO(draft_bytes(draft)))["能力矩阵"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "进贤县")
    assert row[header.index(item)].value == "不适用"
    assert sum(c.value is not None for r in sheet.iter_rows(min_row=2) for c in r[1:]) == 1
