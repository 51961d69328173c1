"""The loader rejects broken workbooks with bilingual messages that say where: sheet, row, column.

Each case copies data/nantong_capabilities.xlsx, breaks one thing, and checks the code and the location.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

import pytest
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import Dataset, Message, WorkbookError
from planner.io.workbook import load_workbook


def _col(ws: Worksheet, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def _row(ws: Worksheet, value: object, column: int = 1) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == value)


def set_cell(sheet: str, header: str, row: int, value: object) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        ws = wb[sheet]
        ws.cell(row, _col(ws, header)).value = value
    return mutate


def rename_header(sheet: str, header: str, new: object) -> Callable[[Workbook], None]:
    return set_cell(sheet, header, 1, new)


def delete_sheet(sheet: str) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        del wb[sheet]
    return mutate


def rejected(path, code: str) -> tuple[WorkbookError, Message]:
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    exc = info.value
    found = [m for m in exc.messages if m.code == code]
    assert found, f"no {code} in {[m.code for m in exc.messages]}"
    return exc, found[0]


def assert_located(exc: WorkbookError, msg: Message, sheet: str, row: int | None, column: str) -> None:
    """The message names the place, and str(error) carries it in Chinese and in English."""
    assert msg.sheet == sheet
    assert msg.row == row
    assert msg.column == column
    text = str(exc)
    assert msg.zh and msg.zh in text and msg.en and msg.en in text
    assert msg.text("zh") in text and msg.text("en") in text
    assert f"工作表「{sheet}」" in text and f"sheet '{sheet}'" in text
    if row is not None:
        assert f"第 {row} 行" in text and f"row {row}" in text
    if column:
        assert f"列「{column}」" in text and f"column '{column}'" in text


# ------------------------------------------------------------------------------------ one error per case

CAPEX, BUDGET = "建设投资（万元）", "预算（万元）"

CASES = [
    # id, mutation, code, sheet, row, column
    ("missing_column_capex", rename_header("项目", CAPEX, None), "missing_column", "项目", 1, CAPEX),
    ("missing_column_budget", rename_header("预算", BUDGET, None), "missing_column", "预算", 1, BUDGET),
    ("missing_column_matrix_region", rename_header("能力矩阵", "地区", None), "missing_column", "能力矩阵", 1, "地区"),
    ("blank_capex", set_cell("项目", CAPEX, 2, None), "blank_value", "项目", 2, CAPEX),
    ("negative_capex", set_cell("项目", CAPEX, 3, -5), "negative_value", "项目", 3, CAPEX),
    ("text_capex", set_cell("项目", CAPEX, 4, "四十万"), "not_a_number", "项目", 4, CAPEX),
    ("blank_budget", set_cell("预算", BUDGET, 2, None), "blank_value", "预算", 2, BUDGET),
    ("negative_budget", set_cell("预算", BUDGET, 5, -1), "negative_value", "预算", 5, BUDGET),
    ("text_budget", set_cell("预算", BUDGET, 6, "很多"), "not_a_number", "预算", 6, BUDGET),
    ("deadline_not_a_date", set_cell("项目", "截止日期", 2, "2024年底"), "not_a_date", "项目", 2, "截止日期"),
    ("bad_tier", set_cell("项目", "层级", 2, "高级"), "bad_tier", "项目", 2, "层级"),
    ("matrix_value", set_cell("能力矩阵", "水表", 3, "有"), "bad_matrix_value", "能力矩阵", 3, "水表"),
    ("matrix_value_blank", set_cell("能力矩阵", "心电图机", 4, None), "blank_value", "能力矩阵", 4, "心电图机"),
    ("unknown_region_matrix", set_cell("能力矩阵", "地区", 4, "崇川"), "unknown_region", "能力矩阵", 4, "地区"),
    ("unknown_region_budget", set_cell("预算", "地区", 2, "崇川"), "unknown_region", "预算", 2, "地区"),
    ("duplicate_item_id", set_cell("项目", "编号", 3, "B01"), "duplicate_row", "项目", 3, "编号"),
    ("duplicate_budget", set_cell("预算", "年份", 3, 2023), "duplicate_row", "预算", 3, "年份"),
    ("duplicate_matrix_region", set_cell("能力矩阵", "地区", 3, "海安"), "duplicate_row", "能力矩阵", 3, "地区"),
]


@pytest.mark.parametrize(("mutate", "code", "sheet", "row", "column"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_single_error_located(mutated_workbook, mutate, code, sheet, row, column) -> None:
    exc, msg = rejected(mutated_workbook(mutate), code)
    assert_located(exc, msg, sheet, row, column)
    # One broken cell gives one message: no knock-on "unknown item" noise elsewhere.
    assert [m.code for m in exc.messages] == [code]


def test_duplicate_message_points_at_first_row(mutated_workbook) -> None:
    exc, msg = rejected(mutated_workbook(set_cell("项目", "编号", 5, "B02")), "duplicate_row")
    assert msg.row == 5
    assert "第 3 行" in msg.zh and "row 3" in msg.en


@pytest.mark.parametrize("sheet", ["项目", "地区", "能力矩阵"])
def test_missing_sheet(mutated_workbook, sheet: str) -> None:
    exc, msg = rejected(mutated_workbook(delete_sheet(sheet)), "missing_sheet")
    assert sheet in msg.sheet
    assert msg.row is None and msg.column == ""
    assert sheet in str(exc) and "缺少工作表" in str(exc) and "missing sheet" in str(exc)
    assert [m.code for m in exc.messages] == ["missing_sheet"]


def test_missing_item_column_in_matrix(mutated_workbook) -> None:
    def drop_water_meter(wb: Workbook) -> None:
        ws = wb["能力矩阵"]
        ws.delete_cols(_col(ws, "水表"))
    exc, msg = rejected(mutated_workbook(drop_water_meter), "missing_column")
    assert_located(exc, msg, "能力矩阵", 1, "水表")


def test_unknown_item_in_matrix_header(mutated_workbook) -> None:
    exc, msg = rejected(mutated_workbook(rename_header("能力矩阵", "水表", "自来水表")), "unknown_item")
    assert_located(exc, msg, "能力矩阵", 1, "E")  # the header's Excel column letter
    assert "自来水表" in msg.zh and "自来水表" in msg.en
    # ...and the real item is then reported as having no column.
    assert any(m.code == "missing_column" and m.column == "水表" for m in exc.messages)


def test_unknown_item_in_actuals(mutated_workbook) -> None:
    def add_actual(wb: Workbook) -> None:
        wb["实际完成"].append(["通州", "不存在的项目", date(2024, 3, 1), "测试"])
    exc, msg = rejected(mutated_workbook(add_actual), "unknown_item")
    assert_located(exc, msg, "实际完成", 2, "项目")
    assert "不存在的项目" in msg.zh and "不存在的项目" in msg.en
    assert len(exc.messages) == 1


def test_unknown_region_in_actuals(mutated_workbook) -> None:
    def add_actual(wb: Workbook) -> None:
        wb["实际完成"].append(["崇川", "水表", date(2024, 3, 1), "测试"])
    exc, msg = rejected(mutated_workbook(add_actual), "unknown_region")
    assert_located(exc, msg, "实际完成", 2, "地区")


def test_every_problem_reported_in_one_pass(mutated_workbook) -> None:
    def two_problems(wb: Workbook) -> None:
        set_cell("项目", CAPEX, 2, -1)(wb)
        set_cell("预算", BUDGET, 7, "x")(wb)
    with pytest.raises(WorkbookError) as info:
        load_workbook(mutated_workbook(two_problems))
    located = {(m.code, m.sheet, m.row, m.column) for m in info.value.messages}
    assert located == {("negative_value", "项目", 2, CAPEX), ("not_a_number", "预算", 7, BUDGET)}


# ------------------------------------------------------------------------------------ accepted variants

def _same_content(a: Dataset, b: Dataset) -> None:
    assert a.items == b.items
    assert a.regions == b.regions
    assert a.matrix == b.matrix
    assert a.counts == b.counts
    assert a.budgets == b.budgets


def test_english_keys_accepted_as_headers(mutated_workbook, nantong: Dataset) -> None:
    def english(wb: Workbook) -> None:
        rename_header("项目", "名称", "name")(wb)
        rename_header("项目", CAPEX, "capex_wan")(wb)
        rename_header("预算", BUDGET, "Budget_Wan")(wb)  # case does not matter
        rename_header("能力矩阵", "地区", "region")(wb)
    _same_content(load_workbook(mutated_workbook(english)), nantong)


def test_english_sheet_names_accepted(mutated_workbook, nantong: Dataset) -> None:
    def english(wb: Workbook) -> None:
        for zh, en in (("项目", "items"), ("地区", "regions"), ("能力矩阵", "matrix"), ("预算", "budgets")):
            wb[zh].title = en
    _same_content(load_workbook(mutated_workbook(english)), nantong)


def test_half_width_brackets_in_header_accepted(mutated_workbook, nantong: Dataset) -> None:
    loaded = load_workbook(mutated_workbook(rename_header("项目", CAPEX, "建设投资 (万元)")))
    assert [i.capex_wan for i in loaded.items] == [i.capex_wan for i in nantong.items]


def test_alias_accepted_in_matrix_header(mutated_workbook, nantong: Dataset) -> None:
    loaded = load_workbook(mutated_workbook(rename_header("能力矩阵", "单相电能表", "电能表")))
    _same_content(loaded, nantong)
    assert not loaded.has("通州", "单相电能表")
    assert loaded.has("海安", "单相电能表")


def test_matrix_accepts_english_values(mutated_workbook, nantong: Dataset) -> None:
    def english(wb: Workbook) -> None:
        set_cell("能力矩阵", "水表", 2, "has")(wb)  # 海安 has it
        set_cell("能力矩阵", "水表", 6, "LACKS")(wb)  # 通州 lacks it
    loaded = load_workbook(mutated_workbook(english))
    assert loaded.matrix == nantong.matrix


# ------------------------------------------------------------------------------------ not a workbook

def test_not_a_workbook_bytes() -> None:
    with pytest.raises(WorkbookError) as info:
        load_workbook(b"this is not a zip file")
    (msg,) = info.value.messages
    assert msg.code == "not_a_workbook"
    assert "无法作为 Excel 工作簿" in str(info.value) and "cannot be opened as an Excel workbook" in str(info.value)


def test_not_a_workbook_file(tmp_path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("地区,名称\n海安,水表\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    assert [m.code for m in info.value.messages] == ["not_a_workbook"]


def test_file_not_found(tmp_path) -> None:
    path = tmp_path / "nowhere.xlsx"
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    (msg,) = info.value.messages
    assert msg.code == "file_not_found"
    assert str(path) in msg.zh and str(path) in msg.en
    assert "找不到文件" in str(info.value) and "file not found" in str(info.value)


def test_loading_does_not_modify_the_workbook(nantong_path) -> None:
    before = hashlib.sha256(nantong_path.read_bytes()).hexdigest()
    mtime = nantong_path.stat().st_mtime_ns
    dataset = load_workbook(nantong_path)
    load_workbook(str(nantong_path))
    with nantong_path.open("rb") as fh:
        load_workbook(fh)
    assert dataset.path == nantong_path
    assert hashlib.sha256(nantong_path.read_bytes()).hexdigest() == before
    assert nantong_path.stat().st_mtime_ns == mtime
