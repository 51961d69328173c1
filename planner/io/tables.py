"""The generic layer under every input sheet: messages, sheet lookup, header mapping, capped row streaming
and cell parsing by column kind. A new sheet is a ``schema.Sheet`` plus a small mapping function in
``workbook.py``; nothing here knows what a budget or an item is.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from planner.domain import Message
from planner.io import limits as L
from planner.io import schema as S
from planner.io.cells import (
    ZERO_WIDTH,
    CellProblem,
    Note,
    parse_date,
    parse_int,
    parse_note,
    parse_number,
    parse_text,
    show,
)
from planner.io.xlsx import Book, SheetInfo, column_letter

Row = tuple[int, dict[str, Any]]  # (1-based Excel row, values by column key)


# -------------------------------------------------------------------------------------------- messages

class MessageLog:
    """Errors and warnings of one read. The first ``MAX_MESSAGES`` of each are kept; the rest are counted,
    so 100,000 bad rows cost a counter, not 100,000 lines."""

    def __init__(self, limit: int = L.MAX_MESSAGES) -> None:
        self.limit = limit
        self.errors: list[Message] = []
        self.warnings: list[Message] = []
        self.more_errors = self.more_warnings = 0

    def error(self, code: str, zh: str, en: str, sheet: S.Sheet | str = "", row: int | None = None,
              column: str = "") -> int | None:
        """Log an error; its index in ``errors`` (None once past the cap)."""
        if len(self.errors) >= self.limit:
            self.more_errors += 1
            return None
        self.errors.append(Message(code, zh, en, sheet_name(sheet), row, column))
        return len(self.errors) - 1

    def warn(self, code: str, zh: str, en: str, sheet: S.Sheet | str = "", row: int | None = None,
             column: str = "") -> None:
        if len(self.warnings) >= self.limit:
            self.more_warnings += 1
            return
        self.warnings.append(Message(code, zh, en, sheet_name(sheet), row, column))

    def note(self, note: Note | None, sheet: S.Sheet | str, row: int | None, column: str) -> None:
        if note is not None:
            self.warn(note.code, note.zh, note.en, sheet, row, column)

    def problem(self, problem: CellProblem, sheet: S.Sheet | str, row: int | None, column: str) -> int | None:
        return self.error(problem.code, problem.zh, problem.en, sheet, row, column)

    @property
    def full(self) -> bool:
        """No more errors will be listed (extra work to phrase them can be skipped)."""
        return len(self.errors) >= self.limit

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def capped_errors(self) -> list[Message]:
        return self.errors + more_message(self.more_errors, "more_errors")

    def capped_warnings(self) -> list[Message]:
        return self.warnings + more_message(self.more_warnings, "more_warnings")


def more_message(count: int, code: str = "more_errors") -> list[Message]:
    """The closing line of a capped list: "…另有 N 条未列出 / …and N more"."""
    if count <= 0:
        return []
    return [Message(code, f"……另有 {count:,} 条未列出（只列出前 {L.MAX_MESSAGES} 条）",
                    f"…and {count:,} more not listed (only the first {L.MAX_MESSAGES} are)")]


def cap_messages(messages: list[Message], code: str = "more_errors") -> list[Message]:
    """The first ``MAX_MESSAGES`` messages, then one line counting the rest."""
    if len(messages) <= L.MAX_MESSAGES:
        return list(messages)
    if len(messages) == L.MAX_MESSAGES + 1 and messages[-1].code in ("more_errors", "more_warnings"):
        return list(messages)  # capped already: its last line counts the rest (never recount it as "1 more")
    return messages[:L.MAX_MESSAGES] + more_message(len(messages) - L.MAX_MESSAGES, code)


def sheet_name(sheet: S.Sheet | str) -> str:
    return sheet.zh if isinstance(sheet, S.Sheet) else sheet


# --------------------------------------------------------------------------------------------- near miss

def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def near_miss(text: str, target: str) -> bool:
    """``text`` looks like a typo of ``target`` (both normalised): one edit for short names, two for longer
    ones, or the same words with another unit, or none, in brackets (``预算（元）`` for ``预算（万元）``)."""
    if not text or not target or text == target:
        return False
    allowed = 1 if len(target) <= 4 else 2
    return edit_distance(text, target, allowed) <= allowed or S.strip_unit(text) == S.strip_unit(target)


def suggestion(text: str, candidates: dict[str, str]) -> str | None:
    """The candidate label ``text`` is a near miss of (``candidates``: normalised -> label)."""
    norm = S.normalise_header(text)
    return next((label for key, label in candidates.items() if near_miss(norm, key)), None)


# ------------------------------------------------------------------------------------------ sheet lookup

def find_sheets(book: Book, specs: tuple[S.Sheet, ...], log: MessageLog) -> dict[str, SheetInfo]:
    """Each spec's sheet, found by its Chinese name or English key after normalising spaces, width and case.

    Two sheets that normalise to one name are an error (which one is meant?); a hidden sheet is reported
    whether it is read or not; a missing sheet whose name is a near miss of a sheet present is an error
    (its data would silently not be read)."""
    by_norm: dict[str, list[SheetInfo]] = {}
    for info in book.sheets:
        by_norm.setdefault(S.normalise_header(info.name), []).append(info)
    found: dict[str, SheetInfo] = {}
    used: set[str] = set()
    absent: list[S.Sheet] = []
    for spec in specs:
        matches = [s for n in {S.normalise_header(spec.zh), S.normalise_header(spec.key)} for s in by_norm.get(n, [])]
        used.update(s.name for s in matches)
        if len(matches) > 1:
            listed = "、".join(f"「{show(s.name)}」" + ("（隐藏）" if s.hidden else "") for s in matches)
            listed_en = ", ".join(f"'{show(s.name)}'" + (" (hidden)" if s.hidden else "") for s in matches)
            log.error("ambiguous_sheet",
                      f"有 {len(matches)} 个工作表都对应「{spec.zh}」：{listed}；请删除或改名，只保留一个",
                      f"{len(matches)} sheets all stand for '{spec.zh}' ({spec.key}): {listed_en}; delete or rename "
                      "all but one", _label(spec))
        elif not matches:
            absent.append(spec)
        elif not matches[0].path:
            log.error("not_a_worksheet", "这是图表工作表，不是数据表", "this is a chart sheet, not a worksheet",
                      matches[0].name)
        else:
            found[spec.key] = matches[0]
            if matches[0].hidden:
                log.warn("hidden_sheet_read", "此工作表是隐藏的，仍按输入读取（如不应使用，请删除它）",
                         "this sheet is hidden; it is read as input (delete it if it should not be)", matches[0].name)
    for spec in absent:
        targets = {S.normalise_header(spec.zh): spec.zh, S.normalise_header(spec.key): spec.key}
        typo = next((s for s in book.sheets if s.name not in used and suggestion(s.name, targets)), None)
        if typo is not None:
            used.add(typo.name)
            log.error("misspelt_sheet",
                      f"找不到工作表「{spec.zh}」，但有「{show(typo.name)}」：是否应为「{spec.zh}」？请改名",
                      f"no sheet '{spec.zh}' ({spec.key}), but there is '{show(typo.name)}': did you mean "
                      f"'{spec.zh}'? Rename it", _label(spec))
        elif spec.required:
            log.error("missing_sheet", "缺少工作表", "missing sheet", _label(spec))
    for info in book.sheets:
        if info.hidden and info.name not in used:
            log.warn("hidden_sheet_ignored", "隐藏的工作表，未读取", "hidden sheet, not read", info.name)
    return found


def _label(spec: S.Sheet) -> str:
    return f"{spec.zh} ({spec.key})"


# ------------------------------------------------------------------------------------------ sheet stream

@dataclass
class SheetStream:
    """One sheet read once: its header row (row 1) and its data rows, capped, with every blank-cell error
    explained afterwards when the cell is part of a merged range or a formula without a saved value."""

    book: Book
    info: SheetInfo
    log: MessageLog
    header: dict[int, str] = field(default_factory=dict)  # column -> header text
    header_row: int | None = None
    _blanks: list[tuple[int, int, int]] = field(default_factory=list)  # (message index, row, column)
    _allowed: list[tuple[int, int, str]] = field(default_factory=list)  # blanks allowed: (row, column, label)

    def __post_init__(self) -> None:
        self._scan = self.book.scan(self.info)
        self._rows = self._scan.rows()
        self._pending: tuple[int, dict[int, object]] | None = None
        first = next(self._rows, None)
        if first is not None and first[0] == 1:
            self.header = {c: text for c, v in first[1].items() if (text := str(v).strip())}
            self.header_row = 1
        else:
            self._pending = first

    def data(self, known_columns: set[int]) -> Iterator[tuple[int, dict[int, object]]]:
        """Rows below the header; a value in a column without a header is an error (never silently lost),
        and reading stops with an error past ``MAX_ROWS`` data rows or ``MAX_COLUMNS`` columns."""
        unlabelled: set[int] = set()
        count = 0
        rows = self._rows if self._pending is None else _chain(self._pending, self._rows)
        for r, cells in rows:
            count += 1
            if count > L.MAX_ROWS:
                self.log.error("too_many_rows", f"数据行超过上限 {L.MAX_ROWS:,} 行，未继续读取",
                               f"more than {L.MAX_ROWS:,} rows of data (the limit); reading stopped", self.info.name, r)
                break
            last = max(cells)
            if last > L.MAX_COLUMNS:
                self.log.error("too_many_columns",
                               f"数据超过 {L.MAX_COLUMNS:,} 列的上限（第 {column_letter(last)} 列）",
                               f"data beyond the limit of {L.MAX_COLUMNS:,} columns (column {column_letter(last)})",
                               self.info.name, r, column_letter(last))
                break
            stray = [c for c in cells if c not in known_columns and c not in unlabelled]
            for c in stray:
                unlabelled.add(c)
                self.log.error("unlabelled_column",
                               f"第 {column_letter(c)} 列有数据但没有表头：请填写表头或删除这些数据",
                               f"column {column_letter(c)} holds data but has no header: add a header or delete "
                               "the data", self.info.name, r, column_letter(c))
            yield r, cells
        self._rows.close()

    def blank_error(self, row: int, column: int, label: str) -> None:
        """'must not be blank', to be explained after the pass if the cell is merged or a formula."""
        index = self.log.error("blank_value", "不能为空", "must not be blank", self.info.name, row, label)
        if index is not None:
            self._blanks.append((index, row, column))

    def blank_allowed(self, row: int, column: int, label: str) -> None:
        """A blank where a blank is allowed (截止日期, 优先级, 上级 …): checked after the pass, since a blank that
        is really part of a merged range or a formula without a saved value must not be read as "none"."""
        self._allowed.append((row, column, label))

    def finish(self) -> None:
        """Explain blank cells that are merged or formulas without a saved value (known after the pass);
        report allowed blanks that are really merged or unsaved formulas, and a merged header row."""
        self._allowed_blanks()
        self._merged_header()
        for index, row, column in self._blanks:
            old = self.log.errors[index]
            if (row, column) in self._scan.formula_blanks:
                self.log.errors[index] = Message(
                    "formula_no_value",
                        "此单元格是公式，但文件中没有保存计算结果（请在 Excel/WPS 中打开并保存，或填入数值）",
                    "this cell is a formula with no saved result (open and save the file in Excel/WPS, or type "
                    "the value)", old.sheet, old.row, old.column)
                continue
            rng = next((m for m in self._scan.merged if m[0] <= row <= m[2] and m[1] <= column <= m[3]), None)
            if rng is not None:
                top = f"{column_letter(rng[1])}{rng[0]}"
                span = f"{top}:{column_letter(rng[3])}{rng[2]}"
                self.log.errors[index] = Message(
                    "merged_cell", f"此单元格属于合并单元格 {span}，值只在 {top} 中；请取消合并并在每个单元格填写",
                    f"this cell is part of the merged range {span}; only {top} holds the value: unmerge and fill "
                    "every cell", old.sheet, old.row, old.column)


    def _allowed_blanks(self) -> None:
        if not self._allowed or not (self._scan.merged or self._scan.formula_blanks):
            return
        # Merged ranges never overlap: for one column, those covering it are disjoint in rows, so a sorted list
        # and a bisection find a cell's range (a hostile sheet of 100,000 ranges costs no quadratic scan).
        by_column: dict[int, tuple[list[int], list[tuple[int, int, int, int]]]] = {}
        for column in {c for _, c, _ in self._allowed}:
            ranges = sorted(m for m in self._scan.merged if m[1] <= column <= m[3])
            by_column[column] = ([m[0] for m in ranges], ranges)
        blanks = {(row, column) for row, column, _ in self._allowed}
        for row, column, label in self._allowed:
            if self.log.full:
                break
            if (row, column) in self._scan.formula_blanks:
                self.log.error("formula_no_value",
                               "此单元格是公式，但文件中没有保存计算结果，不能当作空白读取（请在 Excel/WPS 中打开并"
                               "保存，或填入数值）",
                               "this cell is a formula with no saved result and cannot be read as blank (open and "
                               "save the file in Excel/WPS, or type the value)", self.info.name, row, label)
                continue
            starts, ranges = by_column[column]
            k = bisect.bisect_right(starts, row) - 1
            rng = ranges[k] if k >= 0 and ranges[k][2] >= row else None
            # A merged range whose first cell is blank too loses nothing (merged only for looks).
            if rng is not None and (rng[0], rng[1]) != (row, column) and (rng[0], rng[1]) not in blanks:
                span = f"{column_letter(rng[1])}{rng[0]}:{column_letter(rng[3])}{rng[2]}"
                self.log.error("merged_cell",
                               f"此单元格属于合并单元格 {span}，读出来是空白，而不是 {column_letter(rng[1])}{rng[0]} "
                               "的值：请取消合并并在每个单元格填写（留空才表示使用默认值）",
                               f"this cell is part of the merged range {span}: it reads as blank, not as "
                               f"{column_letter(rng[1])}{rng[0]}'s value; unmerge and fill every cell (leave a "
                               "cell blank only to use the default)", self.info.name, row, label)

    def _merged_header(self) -> None:
        for rng in self._scan.merged:
            if rng[0] <= 1 <= rng[2] and (rng[1] != rng[3] or rng[0] != rng[2]):
                span = f"{column_letter(rng[1])}{rng[0]}:{column_letter(rng[3])}{rng[2]}"
                self.log.error("merged_header",
                               f"表头行有合并单元格 {span}：每一列都要有自己的表头（请取消合并），否则其他列会被当作"
                               "缺失", f"the header row holds the merged range {span}: every column needs its own "
                               "header (unmerge it), else the other columns read as missing", self.info.name, 1,
                               span)


def _chain(first: tuple[int, dict[int, object]], rest: Iterator) -> Iterator:
    yield first
    yield from rest


# -------------------------------------------------------------------------------------------- header map

def map_header(stream: SheetStream, spec: S.Sheet, log: MessageLog) -> dict[str, int] | None:
    """Column key -> column number. Unknown headers are allowed (reported); a header that is a near miss of a
    column the sheet lacks is an error with "did you mean"; two headers for one column are an error.
    Returns None when a required column is missing (the sheet's rows would mean nothing)."""
    known = {}
    for col in spec.columns:
        known[S.normalise_header(col.zh)] = col
        known[S.normalise_header(col.key)] = col
    where: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for idx, text in sorted(stream.header.items()):
        col = known.get(S.normalise_header(text))
        if col is None:
            unknown.append((idx, text))
        elif col.key in where:
            log.error("duplicate_column", f"列「{col.zh}」出现两次（第 {column_letter(where[col.key])} 列与第 "
                      f"{column_letter(idx)} 列）：请删除一列", f"column '{col.zh}' ({col.key}) appears twice "
                      f"(columns {column_letter(where[col.key])} and {column_letter(idx)}): delete one",
                      spec, 1, text)
        else:
            where[col.key] = idx
    absent = {}
    for col in spec.columns:
        if col.key not in where:
            absent[S.normalise_header(col.zh)] = col.zh
            absent[S.normalise_header(col.key)] = col.zh
    extras = []
    for _idx, text in unknown:
        guess = suggestion(text, absent)
        if guess is not None:
            log.error("misspelt_column", f"表头「{show(text)}」不是已知列：是否应为「{guess}」？请改正表头",
                      f"header '{show(text)}' is not a known column: did you mean '{guess}'? Fix the header",
                      spec, 1, text)
            absent = {k: v for k, v in absent.items() if v != guess}
        else:
            extras.append(text)
    if extras:
        log.warn("extra_column", f"未知的列，不读取：{'、'.join(show(x) for x in extras)}",
                 f"unknown columns, not read: {', '.join(show(x) for x in extras)}", spec, 1)
    missing = [c for c in spec.columns if c.required and c.key not in where]
    for col in missing:
        if any(m.code == "misspelt_column" and col.zh in m.zh for m in log.errors):
            continue
        hint_zh, hint_en = header_hint(stream, spec)
        log.error("missing_column", f"缺少列「{col.zh}」（{col.key}）{hint_zh}", f"missing column '{col.zh}' "
                  f"({col.key}){hint_en}", spec, 1, col.zh)
    return None if missing else where


def header_hint(stream: SheetStream, spec: S.Sheet) -> tuple[str, str]:
    """When row 1 is not the header row, say so."""
    if stream.header_row == 1:
        return "", ""
    return "（表头必须在第 1 行）", " (the header must be in row 1)"


# ------------------------------------------------------------------------------------------- table rows

def read_table(book: Book, sheets: dict[str, SheetInfo], spec: S.Sheet, log: MessageLog) -> list[Row] | None:
    """The parsed data rows of a sheet (values by column key, ``None`` where invalid or blank); None when the
    sheet is absent or its header is unusable. Every problem is logged with sheet, row and column."""
    info = sheets.get(spec.key)
    if info is None:
        return None
    stream = SheetStream(book, info, log)
    where = map_header(stream, spec, log)
    if where is None:
        return None
    columns = [(spec.column(k), idx) for k, idx in where.items()]
    rows: list[Row] = []
    for r, cells in stream.data(set(stream.header)):
        raw = [(col, idx, cells.get(idx)) for col, idx in columns]
        if all(blank(v) for _, _, v in raw):
            continue
        values: dict[str, Any] = {}
        for col, idx, value in raw:
            if blank(value):
                if not col.blank_ok:
                    stream.blank_error(r, idx, col.zh)
                elif col.kind != "note":  # a blank note means nothing; a blank deadline or parent does
                    stream.blank_allowed(r, idx, col.zh)
                values[col.key] = None
                continue
            try:
                values[col.key] = parse_cell(value, col, log, spec, r)
            except CellProblem as problem:
                log.problem(problem, spec, r, col.zh)
                values[col.key] = None
        rows.append((r, values))
    stream.finish()
    return rows


def parse_cell(value: object, col: S.Column, log: MessageLog, sheet: S.Sheet | str, row: int) -> Any:
    """One non-blank cell by its column's kind; a normalisation is logged as a warning."""
    note: Note | None
    if col.kind == "note":
        return parse_note(value)
    if col.kind == "text":
        result, note = parse_text(value)
    elif col.kind == "date":
        result, note = parse_date(value)
    elif col.kind == "int":
        result, note = parse_int(value, int(col.lo), int(col.hi), col.unit)
    else:
        result, note = parse_number(value, col.lo, col.hi, col.unit)
    log.note(note, sheet, row, col.zh)
    return result


def blank(value: object) -> bool:
    """No value: empty, or only spaces (of any width, zero-width included)."""
    return value is None or (isinstance(value, str) and not value.translate(ZERO_WIDTH).strip())
