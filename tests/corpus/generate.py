# ruff: noqa: E501  (the case table reads best one case per line)
"""The hostile-input corpus: broken and untidy workbooks and scenario files made by mutating the shipped ones,
each with the behaviour it must show. ``tests/test_corpus.py`` regenerates it into a temporary folder and checks
every case; ``manifest.json`` beside this script lists the cases (a test fails if it drifts from the script).

    .venv/bin/python tests/corpus/generate.py OUT_DIR      # write every input + manifest.json into OUT_DIR
    .venv/bin/python tests/corpus/generate.py --manifest   # refresh tests/corpus/manifest.json

Expectations: ``{"result": "rejected", "code", "sheet", "row", "column"}`` (one error with exactly that code and
place; ``sheet``/``row``/``column`` may be omitted when the message has no such part), or ``{"result":
"accepted", "warning": code or null, "same": bool}`` (read without error, with that warning, and — when ``same``
— giving exactly the shipped workbook's domain objects). Scenario cases expect a code and the setting's key.
"""

from __future__ import annotations

import io
import json
import pickle
import re
import sys
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.workbook import Workbook

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "data" / "nantong_capabilities.xlsx"
BASELINE = REPO / "scenarios" / "nantong_baseline.toml"
MANIFEST = Path(__file__).with_name("manifest.json")

# Failure classes of issue 8 (the closing note counts cases per class).
SILENT, TRACEBACK, HANG, MESSAGE, UNTIDY = "silent_wrong_data", "traceback", "hang_or_flood", "poor_message", "untidy"
CAPEX, OPEX, LEAD, FEE = "建设投资（万元）", "年运行费（万元）", "建设周期（季度）", "共享年服务费（万元）"
UCAPEX, ULEAD, BUDGET, SAVING = "升级投资（万元）", "升级周期（季度）", "预算（万元）", "节省（万元）"


@dataclass
class Case:
    id: str
    cls: str
    kind: str  # workbook | scenario
    build: Callable[[Path], Path]  # writes the input into a folder, returns its path
    expect: dict


def rejected(code: str, sheet: str | None = None, row: int | None = None, column: str | None = None) -> dict:
    out: dict = {"result": "rejected", "code": code}
    for key, value in (("sheet", sheet), ("row", row), ("column", column)):
        if value is not None:
            out[key] = value
    return out


def accepted(warning: str | None = None, same: bool = True) -> dict:
    return {"result": "accepted", "warning": warning, "same": same}


def scenario_rejected(code: str, key: str | None = None) -> dict:
    out = {"result": "rejected", "code": code}
    if key:
        out["key"] = key
    return out


# ------------------------------------------------------------------------------------------ workbook edits

_BASE: bytes | None = None


def base() -> Workbook:
    """A fresh copy of the shipped workbook (loaded once, then copied through pickle: much faster)."""
    global _BASE
    if _BASE is None:
        _BASE = pickle.dumps(openpyxl.load_workbook(SHIPPED))
    return pickle.loads(_BASE)


def col(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def row_of(ws, value: object, column: int = 1) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == value)


def workbook_case(cid: str, cls: str, mutate: Callable[[Workbook], object], expect: dict,
                  name: str | None = None) -> Case:
    def build(folder: Path) -> Path:
        wb = base()
        mutate(wb)
        path = folder / (name or f"{cid}.xlsx")
        wb.save(path)
        return path
    return Case(cid, cls, "workbook", build, expect)


def bytes_case(cid: str, cls: str, make: Callable[[], bytes], expect: dict, name: str | None = None) -> Case:
    def build(folder: Path) -> Path:
        path = folder / (name or f"{cid}.xlsx")
        path.write_bytes(make())
        return path
    return Case(cid, cls, "workbook", build, expect)


def setter(sheet: str, header: str, row: int, value: object) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        ws = wb[sheet]
        ws.cell(row, col(ws, header)).value = value
    return mutate


def all_of(*mutations: Callable[[Workbook], object]) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        for m in mutations:
            m(wb)
    return mutate


def rename_sheet(old: str, new: str) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        wb[old].title = new
    return mutate


def copy_sheet(name: str, title: str, hidden: bool = False) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        ws = wb.copy_worksheet(wb[name])
        ws.title = title
        if hidden:
            ws.sheet_state = "hidden"
    return mutate


def hide(name: str) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        wb[name].sheet_state = "hidden"
    return mutate


def delete_rows(sheet: str, first: int, count: int) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        wb[sheet].delete_rows(first, count)
    return mutate


def append(sheet: str, *rows: list) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        for r in rows:
            wb[sheet].append(r)
    return mutate


def shipped_bytes() -> bytes:
    return SHIPPED.read_bytes()


def _shared_strings(parts: dict[str, bytes]) -> None:
    """Move every inline string into a shared-strings part, as Excel writes text (the shipped file, written by
    openpyxl here, holds inline strings)."""
    table: dict[str, int] = {}

    def ref(m: re.Match) -> bytes:
        text = m.group(2).decode()
        index = table.setdefault(text, len(table))
        return m.group(1) + b' t="s"><v>' + str(index).encode() + b"</v></c>"

    for name in [n for n in parts if n.startswith("xl/worksheets/")]:
        parts[name] = re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t>(.*?)</t></is></c>', ref, parts[name])
    body = "".join(f"<si><t>{t}</t></si>" for t in table)
    parts["xl/sharedStrings.xml"] = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                     f'count="{len(table)}" uniqueCount="{len(table)}">{body}</sst>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"]
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", b'<Relationship Type="http://schemas.'
                                                       b'openxmlformats.org/officeDocument/2006/relationships/'
                                                       b'sharedStrings" Target="sharedStrings.xml" Id="rId99" />'
                                                       b"</Relationships>")
    types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                                 b'ContentType="application/vnd.openxmlformats-officedocument.'
                                                 b'spreadsheetml.sharedStrings+xml" /></Types>')


def with_part(transform: Callable[[dict[str, bytes]], None]) -> Callable[[], bytes]:
    """The shipped workbook with some zip parts rewritten (for damage no spreadsheet program would write)."""
    def make() -> bytes:
        src = zipfile.ZipFile(io.BytesIO(shipped_bytes()))
        parts = {n: src.read(n) for n in src.namelist()}
        transform(parts)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for n, data in parts.items():
                out.writestr(n, data)
        return buf.getvalue()
    return make


def sheet_part(parts: dict[str, bytes], title: str) -> str:
    """The zip part of a sheet, by title (openpyxl writes sheetN.xml in workbook order)."""
    names = openpyxl.load_workbook(io.BytesIO(shipped_bytes()), read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(title) + 1}.xml"


def big_budget_sheet(rows: int, region: str = "崇川", extra_col: int | None = None) -> Callable[[], bytes]:
    """The shipped workbook whose 预算 sheet gains ``rows`` rows, written straight as XML (fast)."""
    def transform(parts: dict[str, bytes]) -> None:
        part = sheet_part(parts, "预算")
        head = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>年份</t>'
                '</is></c><c r="C1" t="inlineStr"><is><t>预算（万元）</t></is></c></row>')
        body = [f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{region}</t></is></c><c r="B{r}"><v>2024</v></c>'
                f'<c r="C{r}"><v>10</v></c></row>' for r in range(2, rows + 2)]
        if extra_col:
            body.append(f'<row r="{rows + 2}"><c r="A{rows + 2}" t="inlineStr"><is><t>海安</t></is></c>'
                        f'<c r="{_letters(extra_col)}{rows + 2}"><v>1</v></c></row>')
        parts[part] = (head + "".join(body) + "</sheetData></worksheet>").encode()
    return with_part(transform)


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def styled_far_cell(sheet: str, ref: str) -> Callable[[Workbook], None]:
    """One formatted, empty cell far away (row 1,048,576 / column XFD): must not make the read slow."""
    def mutate(wb: Workbook) -> None:
        from openpyxl.styles import Font
        wb[sheet][ref].font = Font(bold=True)
    return mutate


def general(sheet: str, ref: str) -> Callable[[Workbook], None]:
    """The General number format: a date typed as a number shows as a number (an Excel serial)."""
    def mutate(wb: Workbook) -> None:
        wb[sheet][ref].number_format = "General"
    return mutate


def merge(sheet: str, ref: str) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        wb[sheet].merge_cells(ref)
    return mutate


# ------------------------------------------------------------------------------------------ workbook cases

def workbook_cases() -> list[Case]:
    cases: list[Case] = []
    add = cases.append
    w = workbook_case

    # Sheets that shadow, hide or miss the real one.
    add(w("sheet_trailing_space_twin", SILENT, copy_sheet("预算", "预算 "), rejected("ambiguous_sheet")))
    add(w("sheet_english_twin", SILENT, copy_sheet("预算", "Budgets"), rejected("ambiguous_sheet")))
    add(w("sheet_hidden_stale_twin", SILENT, copy_sheet("项目", "items", hidden=True), rejected("ambiguous_sheet")))
    add(w("sheet_fullwidth_twin", SILENT, copy_sheet("能力矩阵", "ＭＡＴＲＩＸ"), rejected("ambiguous_sheet")))
    add(w("sheet_spaced_twin", SILENT, all_of(rename_sheet("预算", "budgets"), copy_sheet("budgets", "预 算")),
          rejected("ambiguous_sheet")))
    add(w("sheet_only_copy_hidden", SILENT, hide("预算"), accepted("hidden_sheet_read")))
    add(w("sheet_extra_hidden", SILENT, copy_sheet("说明", "旧版说明", hidden=True), accepted("hidden_sheet_ignored")))
    add(w("sheet_budget_typo", SILENT, rename_sheet("预算", "预算表"), rejected("misspelt_sheet", "预算 (budgets)")))
    add(w("sheet_groups_typo", SILENT, rename_sheet("共用组", "共用"), rejected("misspelt_sheet", "共用组 (share_groups)")))
    add(w("sheet_actuals_typo", SILENT, rename_sheet("实际完成", "实际完成 2"),
          rejected("misspelt_sheet", "实际完成 (actuals)")))
    add(w("sheet_english_typo", SILENT, rename_sheet("预算", "budget"), rejected("misspelt_sheet", "预算 (budgets)")))
    add(w("sheet_tiers_typo", SILENT, rename_sheet("层级", "层级表"), rejected("misspelt_sheet", "层级 (tiers)")))
    add(w("sheet_missing_items", TRACEBACK, lambda wb: wb.remove(wb["项目"]), rejected("missing_sheet", "项目 (items)")))
    add(w("sheet_missing_regions", TRACEBACK, lambda wb: wb.remove(wb["地区"]), rejected("missing_sheet", "地区 (regions)")))

    # Headers: a near miss is rejected, an unknown column is reported, a header off row 1 is explained.
    for cid, sheet, header, new in (
        ("header_priority_typo", "项目", "优先级", "优先极"),
        ("header_priority_english_typo", "项目", "优先级", "priorty"),
        ("header_fee_unit", "项目", FEE, "共享年服务费（元）"),
        ("header_fee_no_unit", "项目", FEE, "共享年服务费"),
        ("header_upgrade_typo", "项目", UCAPEX, "升级投資（万元）"),
        ("header_budget_unit", "预算", BUDGET, "预算（元）"),
        ("header_saving_no_unit", "共用组", SAVING, "节省"),
        ("header_parent_typo", "地区", "上级", "上极"),
        ("header_source_typo", "实际完成", "来源", "来 原"),
        ("header_counts_typo", "公布数", "待完成", "未完成"),
    ):
        add(w(cid, SILENT if sheet in ("项目", "预算", "共用组") else TRACEBACK, setter(sheet, header, 1, new),
              rejected("misspelt_column", sheet, 1, new)))
    add(w("header_extra_note_column", UNTIDY, lambda wb: wb["预算"].cell(1, 6, "备注"), accepted("extra_column")))
    add(w("header_blank_with_values", SILENT, setter("项目", "优先级", 1, None), rejected("unlabelled_column", "项目", 2, "H")))
    add(w("header_twice", SILENT, setter("项目", "假设理由", 1, "name"), rejected("duplicate_column", "项目", 1, "name")))
    add(w("header_not_row_1", TRACEBACK, lambda wb: wb["预算"].insert_rows(1),
          rejected("missing_column", "预算", 1, "地区")))
    add(w("header_required_missing", TRACEBACK, setter("预算", "年份", 1, None),
          rejected("missing_column", "预算", 1, "年份")))

    # The matrix: empty, a county missing, rows for regions that are not planned.
    add(w("matrix_empty", SILENT, delete_rows("能力矩阵", 2, 6), rejected("empty_matrix", "能力矩阵")))
    add(w("matrix_county_row_missing", SILENT, delete_rows("能力矩阵", 6, 1), rejected("no_matrix_row", "能力矩阵")))
    add(w("budget_for_region_without_matrix_row", SILENT, append("预算", ["市级", 2024, 50]),
          rejected("region_not_in_matrix", "预算", 38, "地区")))
    add(w("actual_for_region_without_matrix_row", SILENT, append("实际完成", ["市级", "水表", date(2024, 5, 1)]),
          rejected("region_not_in_matrix", "实际完成", 2, "地区")))
    add(w("matrix_value_unknown", SILENT, setter("能力矩阵", "水表", 3, "有"), rejected("bad_matrix_value", "能力矩阵", 3, "水表")))
    add(w("matrix_value_blank", SILENT, setter("能力矩阵", "水表", 3, None), rejected("blank_value", "能力矩阵", 3, "水表")))
    add(w("matrix_value_fullwidth", UNTIDY, setter("能力矩阵", "水表", 2, "ＨＡＳ"), accepted("normalised_value")))
    add(w("matrix_value_spaced", UNTIDY, setter("能力矩阵", "水表", 2, "已 具 备"), accepted("normalised_value")))
    add(w("matrix_header_zero_width", MESSAGE, setter("能力矩阵", "水表", 1, "水表\u200b"), accepted("normalised_text")))
    add(w("matrix_header_unknown", SILENT, setter("能力矩阵", "水表", 1, "自来水表"), rejected("unknown_item", "能力矩阵", 1)))
    add(w("matrix_region_typo", SILENT, setter("能力矩阵", "地区", 6, "通洲"), rejected("unknown_region", "能力矩阵", 6, "地区")))
    add(w("matrix_duplicate_item_via_alias", SILENT, setter("能力矩阵", "衡器", 1, "电能表"),
          rejected("duplicate_column", "能力矩阵", 1)))
    add(w("matrix_region_twice", SILENT, setter("能力矩阵", "地区", 3, "海安"), rejected("duplicate_row", "能力矩阵", 3, "地区")))
    add(w("matrix_merged_cells", MESSAGE, merge("能力矩阵", "B2:B3"), rejected("merged_cell", "能力矩阵", 3, "玻璃体温计")))

    # Enormous, negative, non-finite and mistyped numbers in every column that feeds the model.
    for header, sheet, row in ((CAPEX, "项目", 2), (OPEX, "项目", 3), (FEE, "项目", 4), (UCAPEX, "项目", 5),
                               (BUDGET, "预算", 2), (SAVING, "共用组", 2)):
        tag = {CAPEX: "capex", OPEX: "opex", FEE: "fee", UCAPEX: "upgrade_capex", BUDGET: "budget",
               SAVING: "saving"}[header]
        add(w(f"{tag}_1e308", SILENT, setter(sheet, header, row, 1e308), rejected("out_of_range", sheet, row, header)))
        add(w(f"{tag}_negative", SILENT, setter(sheet, header, row, -5), rejected("negative_value", sheet, row, header)))
        add(w(f"{tag}_text_inf", TRACEBACK, setter(sheet, header, row, "inf"), rejected("not_a_number", sheet, row, header)))
        add(w(f"{tag}_boolean", SILENT, setter(sheet, header, row, True), rejected("not_a_number", sheet, row, header)))
        add(w(f"{tag}_unit_text", SILENT, setter(sheet, header, row, "50元"), rejected("not_a_number", sheet, row, header)))
    for header, tag in ((LEAD, "lead"), (ULEAD, "upgrade_lead")):
        add(w(f"{tag}_400", SILENT, setter("项目", header, 2, 400), rejected("out_of_range", "项目", 2, header)))
        add(w(f"{tag}_fraction", SILENT, setter("项目", header, 2, 2.5), rejected("not_an_integer", "项目", 2, header)))
    add(w("priority_huge", SILENT, setter("项目", "优先级", 2, 1e6), rejected("out_of_range", "项目", 2, "优先级")))
    add(w("priority_zero", SILENT, setter("项目", "优先级", 2, 0), rejected("out_of_range", "项目", 2, "优先级")))
    add(w("budget_comma_decimal", SILENT, setter("预算", BUDGET, 2, "1,5"), rejected("not_a_number", "预算", 2, BUDGET)))
    add(w("budget_percent", SILENT, setter("预算", BUDGET, 2, "50%"), rejected("not_a_number", "预算", 2, BUDGET)))
    add(w("budget_date_cell", SILENT, setter("预算", BUDGET, 2, datetime(2024, 1, 1)), rejected("not_a_number", "预算", 2, BUDGET)))
    add(w("budget_formula_error", MESSAGE, setter("预算", BUDGET, 2, "#DIV/0!"), rejected("formula_error", "预算", 2, BUDGET)))
    add(w("budget_formula_no_value", MESSAGE, setter("预算", BUDGET, 2, "=C3*2"), rejected("formula_no_value", "预算", 2, BUDGET)))
    add(w("budget_merged_region", MESSAGE, merge("预算", "A2:A3"), rejected("merged_cell", "预算", 3, "地区")))
    add(w("year_1900", SILENT, setter("预算", "年份", 2, 1900), rejected("out_of_range", "预算", 2, "年份")))
    add(w("year_3024", SILENT, setter("预算", "年份", 2, 3024), rejected("out_of_range", "预算", 2, "年份")))
    add(w("counts_huge", SILENT, setter("公布数", "要求总数", 2, 10**9), rejected("out_of_range", "公布数", 2, "要求总数")))
    add(w("counts_negative", SILENT, setter("公布数", "已完成", 2, -1), rejected("negative_value", "公布数", 2, "已完成")))
    add(w("saving_above_capex", SILENT, setter("共用组", SAVING, 2, 5000), rejected("saving_too_large", "共用组", 2, SAVING)))

    # Dates: wrong, out of range, untidy but meaningful.
    for header, sheet, row, tag in (("截止日期", "层级", 2, "tier_deadline"), ("截止日期", "项目", 2, "item_deadline")):
        add(w(f"{tag}_1999", SILENT, setter(sheet, header, row, date(1999, 1, 1)), rejected("out_of_range", sheet, row, header)))
        add(w(f"{tag}_2999", SILENT, setter(sheet, header, row, date(2999, 12, 31)), rejected("out_of_range", sheet, row, header)))
        add(w(f"{tag}_words", MESSAGE, setter(sheet, header, row, "年底前"), rejected("not_a_date", sheet, row, header)))
        add(w(f"{tag}_us_order", SILENT, setter(sheet, header, row, "12/31/2024"), rejected("not_a_date", sheet, row, header)))
        add(w(f"{tag}_feb_30", SILENT, setter(sheet, header, row, "2024-02-30"), rejected("not_a_date", sheet, row, header)))
    tier_deadline = setter("层级", "截止日期", 2, None)  # the shipped 基本 deadline is 2024-12-31
    for tag, value, warning in (("chinese", "2024年12月31日", "normalised_date"), ("slashed", "2024/12/31", "normalised_date"),
                                ("dotted", "2024.12.31", "normalised_date"), ("serial", 45657, "date_from_serial"),
                                ("fullwidth", "２０２４－１２－３１", "normalised_date"), ("iso_text", "2024-12-31", None)):
        add(w(f"date_{tag}", UNTIDY, all_of(tier_deadline, setter("层级", "截止日期", 2, value), general("层级", "C2")),
              accepted(warning)))

    # Numbers and names, untidy but meaningful.
    for tag, value, warning in (("fullwidth", "３０", "number_as_text"), ("text", "30", "number_as_text"),
                                ("spaced_text", " 30 ", "number_as_text"), ("decimal_text", "30.0", "number_as_text"),
                                ("fullwidth_point", "３０．０", "number_as_text")):
        add(w(f"budget_{tag}", UNTIDY, setter("预算", BUDGET, 2, value), accepted(warning)))
    add(w("budget_thousands", UNTIDY, setter("预算", BUDGET, 2, "1,234"), accepted("number_as_text", same=False)))
    for tag, value, warning in (("trailing_space", "海安 ", None), ("ideographic_space", "海安\u3000", "normalised_text"),
                                ("nbsp", "\u00a0海安", "normalised_text"), ("zero_width", "海\u200b安", "normalised_text"),
                                ("inner_space", "海 安", "name_matched_loosely"), ("tab", "海安\t", "normalised_text")):
        add(w(f"region_{tag}", UNTIDY, setter("预算", "地区", 2, value), accepted(warning)))
    add(w("item_names_differ_by_zero_width", SILENT, setter("项目", "名称", 3, "玻璃体温计\u200b"),
          rejected("duplicate_row", "项目", 3, "名称")))
    add(w("region_names_differ_by_space", SILENT, setter("地区", "名称", 4, "海 安"), rejected("duplicate_row", "地区", 4, "名称")))
    add(w("sheet_name_spaced", UNTIDY, rename_sheet("能力矩阵", "能力 矩阵"), accepted()))
    add(w("sheet_names_english", UNTIDY, all_of(rename_sheet("项目", "Items"), rename_sheet("预算", "BUDGETS")), accepted()))
    add(w("header_half_width_brackets", UNTIDY, setter("项目", CAPEX, 1, "建设投资 (万元)"), accepted()))
    add(w("header_english_keys", UNTIDY, all_of(setter("预算", BUDGET, 1, "Budget-Wan"), setter("预算", "年份", 1, "YEAR")),
          accepted()))
    add(w("extra_visible_sheet", UNTIDY, lambda wb: wb.create_sheet("我的笔记").append(["随便写点什么"]), accepted()))

    # Other value errors.
    add(w("level_unknown", SILENT, setter("地区", "层级", 3, "县"), rejected("bad_level", "地区", 3, "层级")))
    add(w("tier_unknown", SILENT, setter("项目", "层级", 2, "基础"), rejected("bad_tier", "项目", 2, "层级")))
    add(w("parent_cycle", SILENT, all_of(setter("地区", "上级", 2, "海安"), setter("地区", "上级", 3, "市级")),
          rejected("region_cycle", "地区")))
    add(w("group_single_item", SILENT, setter("共用组", "项目", 2, "水表"), rejected("short_group", "共用组", 2, "项目")))
    add(w("alias_is_other_item", SILENT, setter("别名", "别名", 2, "水表"), rejected("ambiguous_alias", "别名", 2, "别名")))
    add(w("budget_region_typo", SILENT, setter("预算", "地区", 2, "通洲"), rejected("unknown_region", "预算", 2, "地区")))
    add(w("budget_duplicate", SILENT, setter("预算", "年份", 3, 2023), rejected("duplicate_row", "预算", 3, "年份")))
    add(w("text_too_long", MESSAGE, setter("预算", "地区", 2, "海" * 2000), rejected("text_too_long", "预算", 2, "地区")))

    # Hangs and floods.
    add(w("styled_cell_last_row", HANG, styled_far_cell("预算", "A1048576"), accepted()))
    add(w("styled_cell_last_column", HANG, styled_far_cell("能力矩阵", "XFD1"), accepted()))
    add(w("styled_cell_far_corner", HANG, styled_far_cell("项目", "XFD1048576"), accepted()))
    add(bytes_case("flood_60k_bad_rows", HANG, big_budget_sheet(60_000), rejected("unknown_region", "预算", 2, "地区")))
    add(bytes_case("too_many_rows", HANG, big_budget_sheet(100_001, "海安"), rejected("too_many_rows", "预算")))
    add(bytes_case("too_many_columns", HANG, big_budget_sheet(1, "海安", extra_col=5000), rejected("too_many_columns", "预算")))

    # Files that are not workbooks, damaged ones, and valid ones with an odd name.
    add(bytes_case("empty_file", TRACEBACK, lambda: b"", rejected("not_a_workbook")))
    add(bytes_case("csv_file", MESSAGE, lambda: "地区,年份,预算\n海安,2024,30\n".encode(), rejected("not_a_workbook")))
    add(bytes_case("gbk_csv_file", MESSAGE, lambda: "地区,年份\n海安,2024\n".encode("gbk"), rejected("not_a_workbook")))
    add(bytes_case("html_export", MESSAGE, lambda: b"<html><table><tr><td>1</td></tr></table></html>",
                   rejected("not_a_workbook")))
    add(bytes_case("old_xls", MESSAGE, lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, rejected("not_a_workbook"),
                   name="old.xls"))
    add(bytes_case("truncated_download", TRACEBACK, lambda: shipped_bytes()[: len(shipped_bytes()) // 2],
                   rejected("not_a_workbook")))
    add(bytes_case("random_bytes", TRACEBACK, lambda: bytes(range(256)) * 40, rejected("not_a_workbook")))
    add(bytes_case("zip_not_workbook", TRACEBACK, _plain_zip, rejected("not_a_workbook")))
    add(bytes_case("docx_like", MESSAGE, _docx_like, rejected("not_a_workbook")))
    add(bytes_case("bad_sheet_xml", TRACEBACK, with_part(lambda p: p.__setitem__(sheet_part(p, "预算"), b"<worksheet><row")),
                   rejected("damaged_sheet", "预算")))
    add(bytes_case("shared_string_out_of_range", TRACEBACK, with_part(_bad_shared_string),
                   rejected("damaged_shared_strings", "预算")))
    # Issue 20: what a hostile file still found.
    add(bytes_case("shared_strings_truncated", MESSAGE, with_part(_truncated_shared_strings),
                   rejected("damaged_shared_strings", "项目")))
    add(bytes_case("shared_strings_unparsable", MESSAGE, with_part(_unparsable_shared_strings),
                   rejected("not_a_workbook")))
    add(bytes_case("zip_duplicate_budget_part", SILENT, _duplicate_budget_part, rejected("not_a_workbook")))
    add(bytes_case("regions_chain_2000_deep", HANG, _deep_chain(2_000), rejected("hierarchy_too_deep", "地区", 13, "上级")))
    add(bytes_case("regions_cycle_1000", HANG, _deep_chain(1_000, cycle=True), rejected("region_cycle", "地区")))
    county = {"海安": 3, "如皋": 4, "如东": 5, "启东": 6, "通州": 7, "海门": 8}
    add(w("county_under_county", SILENT, setter("地区", "上级", county["海门"], "如东"),
          rejected("bad_parent_level", "地区", county["海门"], "上级")))
    add(w("province_under_county", SILENT, append("地区", ["js", "江苏省", "省级", None, "海安"]),
          rejected("bad_parent_level", "地区", 9, "上级")))
    add(w("city_under_city", SILENT, append("地区", ["x", "某市", "市级", None, "市级"]),
          rejected("bad_parent_level", "地区", 9, "上级")))
    add(w("merged_parent", SILENT, all_of(*(setter("地区", "上级", r, "市级") for r in county.values()),
                                          merge("地区", "E3:E8")), rejected("merged_cell", "地区", 4, "上级")))
    add(w("merged_deadline", SILENT, merge("项目", "D2:D13"), rejected("merged_cell", "项目", 3, "截止日期")))
    add(w("merged_priority", SILENT, merge("项目", "H2:H6"), rejected("merged_cell", "项目", 3, "优先级")))
    add(w("merged_matrix_header", MESSAGE, merge("能力矩阵", "B1:C1"), rejected("merged_header", "能力矩阵", 1)))
    add(w("formula_blank_deadline", SILENT, setter("项目", "截止日期", 5, "=DATE(2024,12,31)"),
          rejected("formula_no_value", "项目", 5, "截止日期")))
    add(w("formula_blank_priority", SILENT, setter("项目", "优先级", 6, "=1/1"), rejected("formula_no_value", "项目", 6, "优先级")))
    add(w("formula_blank_parent", SILENT, setter("地区", "上级", 3, '=B2'), rejected("formula_no_value", "地区", 3, "上级")))
    add(w("note_100k_characters", SILENT, setter("项目", "假设理由", 2, "长" * 100_000),
          rejected("text_too_long", "项目", 2, "假设理由")))
    add(w("source_1001_characters", SILENT, setter("来源", "说明", 2, "x" * 1_001), rejected("text_too_long", "来源", 2, "说明")))
    add(w("actual_in_2099", SILENT, append("实际完成", ["海安", "红外耳温计", datetime(2099, 1, 1), "x"]),
          rejected("actual_in_future", "实际完成", 2, "完成日期")))
    add(w("actual_next_month", SILENT, _actual_next_month, rejected("actual_in_future", "实际完成", 2, "完成日期")))
    add(w("actual_before_baseline", SILENT, append("实际完成", ["海安", "红外耳温计", datetime(2015, 5, 1), "x"]),
          rejected("actual_before_baseline", "实际完成", 2, "完成日期")))
    add(w("actual_for_not_applicable", SILENT, all_of(_drop_sheet("公布数"), setter("能力矩阵", "红外耳温计", 2, "不适用"),
                                                      append("实际完成", ["海安", "红外耳温计", datetime(2024, 5, 1), "x"])),
          accepted("actual_for_not_applicable", same=False)))
    add(w("target_scope_without_counties", SILENT,
          append("目标", ["T1", "覆盖率", "市级", datetime(2025, 12, 31), None, 100, None, None, None, None, "硬", "x", None]),
          rejected("empty_target_scope", "目标", 2, "范围")))
    add(w("soft_target_scope_without_counties", SILENT,
          append("目标", ["T1", "覆盖率", "市级", datetime(2025, 12, 31), None, 100, None, None, None, None, "软", "x", None]),
          accepted("empty_target_scope", same=False)))
    add(w("target_level_without_regions", SILENT,
          append("目标", ["T1", "数量", "市级", datetime(2025, 12, 31), None, None, 3, "省级", None, None, "硬", "x", None]),
          rejected("empty_target_scope", "目标", 2, "范围")))
    add(bytes_case("zip_bomb", HANG, _zip_bomb, rejected("not_a_workbook")))
    add(bytes_case("valid_named_xls", UNTIDY, shipped_bytes, accepted(), name="nantong.xls"))
    add(bytes_case("valid_without_extension", UNTIDY, shipped_bytes, accepted(), name="nantong"))
    add(bytes_case("valid_uppercase_extension", UNTIDY, shipped_bytes, accepted(), name="NANTONG.XLSX"))
    return cases


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


def _docx_like() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def _bad_shared_string(parts: dict[str, bytes]) -> None:
    """Cell A2 points at shared string 999999 (the file has none)."""
    part = sheet_part(parts, "预算")
    parts[part] = re.sub(rb'<c r="A2"[^>]*>.*?</c>', b'<c r="A2" t="s"><v>999999</v></c>', parts[part], count=1)


def _truncated_shared_strings(parts: dict[str, bytes]) -> None:
    """The shared-strings part cut to its first ten strings (an interrupted save): every sheet's text is off."""
    _shared_strings(parts)
    sst = parts["xl/sharedStrings.xml"].decode()
    items = re.findall(r"<si>.*?</si>", sst, re.S)
    parts["xl/sharedStrings.xml"] = (sst[:sst.index("<si>")] + "".join(items[:10]) + "</sst>").encode()


def _unparsable_shared_strings(parts: dict[str, bytes]) -> None:
    _shared_strings(parts)
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"][:200]


def _duplicate_budget_part() -> bytes:
    """Two zip entries named like the 预算 sheet's part: an old copy first, the shipped one after (or the
    reverse): which one is meant cannot be told."""
    src = zipfile.ZipFile(io.BytesIO(shipped_bytes()))
    part = sheet_part({}, "预算")
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: that is the point
        for n in src.namelist():
            if n == part:
                stale = re.sub(rb"<v>\d+(\.\d+)?</v>", b"<v>1</v>", src.read(n))
                out.writestr(zipfile.ZipInfo(n), stale)
            out.writestr(n, src.read(n))
    return buf.getvalue()


def _deep_chain(depth: int, cycle: bool = False) -> Callable[[], bytes]:
    """The 地区 sheet as a chain of ``depth`` cities, each the 上级 of the next (the last a county), written
    straight as XML; with ``cycle`` the first's 上级 is the last."""
    def transform(parts: dict[str, bytes]) -> None:
        part = sheet_part(parts, "地区")
        cells = lambda r, vals: "".join(f'<c r="{_letters(k + 1)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'  # noqa: E731
                                        for k, v in enumerate(vals) if v)
        rows = [f'<row r="1">{cells(1, ["编号", "名称", "层级", "说明", "上级"])}</row>']
        rows.append(f'<row r="2">{cells(2, ["city", "市级", "市级", "", "链" + str(depth - 1) if cycle else ""])}</row>')
        for k in range(1, depth):
            r = k + 2
            parent = "市级" if k == 1 else f"链{k - 1}"
            rows.append(f'<row r="{r}">{cells(r, [f"c{k}", f"链{k}", "市级", "", parent])}</row>')
        for k, name in enumerate(("海安", "如皋", "如东", "启东", "通州", "海门")):
            r = depth + 2 + k
            rows.append(f'<row r="{r}">{cells(r, [f"x{k}", name, "县级", "", ""])}</row>')
        parts[part] = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                       + "".join(rows) + "</sheetData></worksheet>").encode()
    return with_part(transform)


def _drop_sheet(name: str) -> Callable[[Workbook], None]:
    """Without the published counts (a changed matrix cell would otherwise also disagree with them)."""
    def mutate(wb: Workbook) -> None:
        del wb[name]
    return mutate


def _actual_next_month(wb: Workbook) -> None:
    from datetime import timedelta
    wb["实际完成"].append(["海安", "红外耳温计", datetime.combine(date.today() + timedelta(days=35), datetime.min.time()),
                         "x"])


def _zip_bomb() -> bytes:
    """A zip declaring more than the unpacked-size limit (zeros compress a thousand to one)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 101_000_000)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------ scenario cases

def scenario_case(cid: str, cls: str, body: str, expect: dict, encoding: str = "utf-8",
                  prefix: bytes = b"") -> Case:
    """A scenario over the shipped workbook; ``{wb}`` in ``body`` is the workbook's absolute path."""
    def build(folder: Path) -> Path:
        path = folder / f"{cid}.toml"
        path.write_bytes(prefix + body.replace("{wb}", SHIPPED.as_posix()).encode(encoding))
        return path
    return Case(cid, cls, "scenario", build, expect)


HEAD = 'name = "x"\nworkbook = "{wb}"\n'


def scenario_cases() -> list[Case]:
    cases: list[Case] = []
    add = cases.append
    s = scenario_case
    for key, value, code, cls in (
        ("budget_multiplier", '"1"', "wrong_type", SILENT),
        ("budget_multiplier", "nan", "wrong_type", TRACEBACK),
        ("budget_multiplier", "inf", "wrong_type", TRACEBACK),
        ("budget_multiplier", "-1", "out_of_range", SILENT),
        ("budget_multiplier", "1000", "out_of_range", SILENT),
        ("budget_multiplier", "true", "wrong_type", SILENT),
        ("city_capacity", "inf", "wrong_type", TRACEBACK),
        ("city_capacity", "2.5", "wrong_type", SILENT),
        ("city_capacity", '"4"', "wrong_type", SILENT),
        ("city_capacity", "-1", "out_of_range", SILENT),
        ("use_actuals", '"false"', "wrong_type", SILENT),
        ("use_actuals", "0", "wrong_type", SILENT),
        ("deadline_mode", '"strict"', "bad_value", SILENT),
        ("deadline_mode", "1", "wrong_type", TRACEBACK),
        ("start", '"0001Q1"', "out_of_range", HANG),
        ("start", '"2024Q5"', "bad_value", MESSAGE),
        ("start", "2024", "bad_value", TRACEBACK),
        ("horizon_end", '"2999Q4"', "out_of_range", HANG),
        ("horizon_end", '"2040Q4"', "out_of_range", HANG),
        ("horizon_end", '"2022Q1"', "out_of_range", SILENT),
        ("as_of", '"yesterday"', "bad_value", MESSAGE),
        ("as_of", "1999-01-01", "out_of_range", SILENT),
        ("name", "5", "wrong_type", TRACEBACK),
        ("description", "[1, 2]", "wrong_type", TRACEBACK),
        ("budget_multipler", "1", "unknown_key", SILENT),
        ("region_multipliers", "5", "wrong_type", TRACEBACK),
        ("budgets", "5", "wrong_type", TRACEBACK),
        ("options", "5", "wrong_type", TRACEBACK),
        ("solver", '"highs"', "wrong_type", TRACEBACK),
    ):
        tag = f"{key}_{value}".replace('"', "q").replace(".", "_").replace(" ", "").replace("[", "").replace("]", "")
        tag = tag.replace(",", "_").replace("-", "m")
        head = 'workbook = "{wb}"\n' if key == "name" else HEAD
        add(s(f"scenario_{tag}", cls, head + f"{key} = {value}\n", scenario_rejected(code, key)))
    for key, value, code, cls in (
        ("sharing", '"no"', "wrong_type", SILENT),
        ("carry_over", '"false"', "wrong_type", SILENT),
        ("share_discount", "1", "wrong_type", SILENT),
        ("city_pool_wan", "-10", "out_of_range", SILENT),
        ("city_pool_wan", "1e308", "out_of_range", TRACEBACK),
        ("city_pool_wan", "inf", "wrong_type", TRACEBACK),
        ("sharing_provider", "5", "wrong_type", TRACEBACK),
        ("shareing", "true", "unknown_key", SILENT),
    ):
        add(s(f"scenario_options_{key}_{value.strip(chr(34))}".replace("-", "m"), cls,
              HEAD + f"[options]\n{key} = {value}\n", scenario_rejected(code, f"options.{key}")))
    for key, value, code, cls in (
        ("mip_gap", "1.5", "out_of_range", SILENT),
        ("mip_gap", "-0.1", "out_of_range", SILENT),
        ("time_limit_s", "0", "out_of_range", SILENT),
        ("time_limit_s", '"60"', "wrong_type", TRACEBACK),
        ("time_limit_s", "1e9", "out_of_range", HANG),
        ("name", '"gurobi"', "bad_value", MESSAGE),
        ("threads", "4", "unknown_key", SILENT),
    ):
        add(s(f"scenario_solver_{key}_{value.strip(chr(34))}".replace("-", "m").replace(".", "_"), cls,
              HEAD + f"[solver]\n{key} = {value}\n", scenario_rejected(code, f"solver.{key}")))
    add(s("scenario_budget_text", SILENT, HEAD + '[budgets]\n"海安" = "many"\n', scenario_rejected("wrong_type", "budgets.海安")))
    add(s("scenario_budget_negative", SILENT, HEAD + '[budgets]\n"海安" = -5\n',
          scenario_rejected("out_of_range", "budgets.海安")))
    add(s("scenario_budget_bad_year", SILENT, HEAD + '[budgets]\n"海安" = { twenty = 5 }\n',
          scenario_rejected("out_of_range", "budgets.海安.twenty")))
    add(s("scenario_budget_year_3000", SILENT, HEAD + '[budgets]\n"海安" = { 3000 = 5 }\n',
          scenario_rejected("out_of_range", "budgets.海安.3000")))
    add(s("scenario_multiplier_text", SILENT, HEAD + '[region_multipliers]\n"海安" = "2"\n',
          scenario_rejected("wrong_type", "region_multipliers.海安")))
    add(s("scenario_missing_workbook_key", MESSAGE, 'name = "x"\n', scenario_rejected("missing_key", "workbook")))
    add(s("scenario_workbook_number", TRACEBACK, 'name = "x"\nworkbook = 5\n', scenario_rejected("wrong_type", "workbook")))
    add(s("scenario_not_toml", MESSAGE, 'name = "x\nworkbook = \n', scenario_rejected("not_toml")))
    add(s("scenario_duplicate_key", MESSAGE, HEAD + "budget_multiplier = 1\nbudget_multiplier = 2\n",
          scenario_rejected("not_toml")))
    add(s("scenario_utf16", TRACEBACK, HEAD, scenario_rejected("bad_encoding"), encoding="utf-16"))
    add(s("scenario_binary", TRACEBACK, "", scenario_rejected("bad_encoding"), prefix=b"\x00\x01\x02PK"))
    add(s("scenario_gbk", UNTIDY, HEAD + 'description = "南通基准情景"\n', {"result": "accepted", "warning": "gbk_encoding"},
          encoding="gbk"))
    add(s("scenario_utf8_bom", UNTIDY, HEAD, {"result": "accepted", "warning": None}, prefix=b"\xef\xbb\xbf"))
    # Named things the workbook lacks (checked against the dataset).
    for cid, body, code, key in (
        ("scenario_budget_county_typo", '[budgets]\n"通洲" = 100\n', "unknown_region", "budgets.通洲"),
        ("scenario_budget_city_not_planned", '[budgets]\n"市级" = 100\n', "unknown_region", "budgets.市级"),
        ("scenario_budget_year_outside_horizon", '[budgets]\n"海安" = { 2031 = 100 }\n', "out_of_range",
         "budgets.海安.2031"),
        ("scenario_multiplier_county_typo", '[region_multipliers]\n"如臯" = 2\n', "unknown_region",
         "region_multipliers.如臯"),
        ("scenario_provider_unknown", '[options]\nsharing = true\nsharing_provider = "省级"\n', "unknown_region",
         "options.sharing_provider"),
        ("scenario_100k_region_key", f'[region_multipliers]\n"{"县" * 50_000}" = 2\n', "unknown_region",
         "region_multipliers." + "县" * 61 + "…"),
    ):
        add(s(cid, SILENT, HEAD + body, {"result": "rejected_by_dataset", "code": code, "key": key}))
    # Issue 20: nesting that made the TOML parser recurse 30,000–50,000 deep, or run for half a minute.
    for cid, body in (("scenario_arrays_30000_deep", "a = " + "[" * 30_000 + "]" * 30_000),
                      ("scenario_arrays_50000_deep", "a = " + "[" * 50_000 + "]" * 50_000),
                      ("scenario_inline_tables_30000_deep", "a = " + "{b = " * 30_000 + "1" + "}" * 30_000),
                      ("scenario_dotted_key_40000_deep", "x." * 40_000 + "y = 1"),
                      ("scenario_dotted_header_40000_deep", "[" + "x." * 40_000 + "y]\nz = 1")):
        add(s(cid, TRACEBACK, HEAD + body + "\n", scenario_rejected("too_deep")))
    add(s("scenario_100k_unknown_key", MESSAGE, HEAD + "k" * 100_000 + " = 1\n",
          scenario_rejected("unknown_key", "k" * 80 + "…")))
    return cases


def all_cases() -> list[Case]:
    cases = workbook_cases() + scenario_cases()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids repeat"
    return cases


def manifest(cases: list[Case]) -> list[dict]:
    return [{"id": c.id, "class": c.cls, "kind": c.kind, "expect": c.expect} for c in cases]


def write(folder: Path, cases: list[Case] | None = None) -> dict[str, Path]:
    """Write every case's input into ``folder``; returns id -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {c.id: c.build(folder) for c in cases or all_cases()}


def main(argv: list[str]) -> None:
    cases = all_cases()
    text = json.dumps(manifest(cases), ensure_ascii=False, indent=1) + "\n"
    if argv == ["--manifest"]:
        MANIFEST.write_text(text, encoding="utf-8")
        print(f"{MANIFEST}: {len(cases)} cases")
        return
    out = Path(argv[0])
    write(out, cases)
    (out / "manifest.json").write_text(text, encoding="utf-8")
    print(f"{out}: {len(cases)} cases")


if __name__ == "__main__":
    main(sys.argv[1:])
