"""Edits to a dataset, cell by cell, checked by the workbook's own validator.

An edit names a record (an item, a county-year budget, a matrix cell, an actual completion) and one field.
``apply_edits`` writes the edited dataset with the engine's writer and reads it back with ``load_workbook``,
so an edit is validated exactly like an upload. Each message the validator gives is traced back to the edit
that caused it (through the written sheet's row and column); those edits are rejected with their message
and the rest are applied. A message no edit explains rejects them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from planner.domain import Cap, Dataset, Item, Message, WorkbookError
from planner.io import schema as S
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook

TABLES = ("items", "budgets", "matrix", "actuals")
ITEM_FIELDS = {f.name for f in fields(Item)} - {"id", "name", "tier"}
ACTUAL_FIELDS = ("completed_on", "source")


@dataclass(frozen=True)
class Edit:
    """One changed cell. ``key``: items (item name,), budgets (region, year), matrix and actuals
    (region, item name). ``field``: an ``Item`` field; "budget_wan"; "state" (a ``Cap``); "completed_on" or
    "source". ``value``: the new value, None for a blank cell."""

    table: str
    key: tuple[Any, ...]
    field: str
    value: Any


@dataclass
class EditOutcome:
    """What happened to a batch of edits. ``data`` is the validated workbook when anything was applied."""

    dataset: Dataset | None = None
    data: bytes | None = None
    applied: list[Edit] = field(default_factory=list)
    unchanged: list[Edit] = field(default_factory=list)  # equal to the current value: nothing to do
    rejected: list[tuple[Edit, Message]] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)  # not traced to one edit: nothing applied


def current_value(dataset: Dataset, edit: Edit) -> Any:
    """The dataset's value of the cell an edit names (None when blank or absent)."""
    if edit.table == "items":
        return getattr(dataset.item(edit.key[0]), edit.field)
    if edit.table == "budgets":
        return dataset.budgets.get(edit.key)
    if edit.table == "matrix":
        return dataset.matrix.get(edit.key)
    if edit.field == "completed_on":
        return dataset.actuals.get(edit.key)
    return dataset.actual_evidence.get(edit.key) or None


def patch(dataset: Dataset, edits: Iterable[Edit]) -> Dataset:
    """A copy of ``dataset`` with ``edits`` made (not validated)."""
    items = {i.name: i for i in dataset.items}
    budgets, matrix = dict(dataset.budgets), dict(dataset.matrix)
    actuals, evidence = dict(dataset.actuals), dict(dataset.actual_evidence)
    for e in edits:
        if e.table == "items":
            items[e.key[0]] = replace(items[e.key[0]], **{e.field: e.value})
        elif e.table == "budgets":
            _put(budgets, e.key, e.value)
        elif e.table == "matrix":
            matrix[e.key] = Cap(e.value)
        elif e.field == "completed_on":
            _put(actuals, e.key, e.value)
        else:
            _put(evidence, e.key, e.value or None)
    evidence = {k: v for k, v in evidence.items() if k in actuals}  # evidence goes with its date
    return replace(dataset, items=[items[i.name] for i in dataset.items], budgets=budgets, matrix=matrix,
                   actuals=actuals, actual_evidence=evidence, tiers=list(dataset.tiers), warnings=[])


def _put(table: dict, key: Any, value: Any) -> None:
    if value is None:
        table.pop(key, None)
    else:
        table[key] = value


def apply_edits(dataset: Dataset, edits: Iterable[Edit], *, today: date | None = None) -> EditOutcome:
    """Apply what validates, reject what does not (with the validator's located message), say what was a
    no-op. ``today``: actual completion dates after it are rejected (a date not reached cannot be actual)."""
    out = EditOutcome()
    pending: list[Edit] = []
    for e in edits:
        if e.table not in TABLES:
            raise ValueError(f"unknown table {e.table!r}")
        (out.unchanged if _same(current_value(dataset, e), e.value) else pending).append(e)
    pending = _precheck(dataset, pending, out, today)
    for _ in range(4):  # each round drops the edits the validator traced; a clean round ends it
        if not pending:
            return out
        data = workbook_bytes(dataset_workbook(patch(dataset, pending)))
        try:
            new = load_workbook(data)
        except WorkbookError as exc:
            traced = _trace(exc.messages, pending, data)
            if traced is None:
                out.errors = exc.messages
                return out
            out.rejected += traced
            bad = {id(e) for e, _ in traced}
            pending = [e for e in pending if id(e) not in bad]
            continue
        out.dataset, out.data, out.applied = new, data, pending
        return out
    out.errors = [Message("edit_loop", "修改无法应用", "the edits cannot be applied")]
    return out


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        try:
            return old is not None and new is not None and abs(float(old) - float(new)) < 1e-9
        except (TypeError, ValueError):
            return False
    return old == new or (old in (None, "") and new in (None, ""))


def _precheck(dataset: Dataset, edits: list[Edit], out: EditOutcome, today: date | None) -> list[Edit]:
    """Rules the workbook cannot state: evidence needs a date, and an actual date cannot be in the future."""
    dated = {e.key for e in edits if e.field == "completed_on" and e.value is not None} | set(dataset.actuals)
    undated = {e.key for e in edits if e.field == "completed_on" and e.value is None}
    keep = []
    for e in edits:
        if e.table == "actuals" and e.field == "source" and e.value and (e.key not in dated or e.key in undated):
            out.rejected.append((e, Message("evidence_without_date", "先填写完成日期，再填写来源（文号）",
                                            "enter the completion date before its evidence", S.ACTUALS.zh)))
        elif (e.table == "actuals" and e.field == "completed_on" and e.value is not None and today is not None
              and e.value > today):
            out.rejected.append((e, Message(
                "future_actual", f"完成日期 {e.value} 晚于今天（{today}），不能作为实际完成",
                f"{e.value} is after today ({today}): not an actual completion", S.ACTUALS.zh)))
        else:
            keep.append(e)
    return keep


def _trace(messages: list[Message], edits: list[Edit], data: bytes) -> list[tuple[Edit, Message]] | None:
    """Each message's edit, found by the written sheet's row (its record) and column (its field); None when
    some message points at no edit."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False)
    out: list[tuple[Edit, Message]] = []
    for m in messages:
        hits = _edits_for(m, edits, wb)
        if not hits:
            return None
        out += [(e, m) for e in hits]
    return out


def _edits_for(m: Message, edits: list[Edit], wb) -> list[Edit]:
    spec = {S.ITEMS.zh: S.ITEMS, S.BUDGETS.zh: S.BUDGETS, S.MATRIX.zh: S.MATRIX, S.ACTUALS.zh: S.ACTUALS}.get(m.sheet)
    if spec is None or m.row is None or m.sheet not in wb.sheetnames:
        return _edits_for_sheet(m, edits)
    ws = wb[m.sheet]
    header = {str(c.value): c.column for c in ws[1] if c.value is not None}

    def cell(col_zh: str) -> Any:
        return ws.cell(m.row, header[col_zh]).value if col_zh in header else None

    if spec is S.ITEMS:
        key, table = (cell(S.ITEMS.column("name").zh),), "items"
        col = {c.zh: c.key for c in S.ITEMS.columns}.get(m.column)
    elif spec is S.BUDGETS:
        key, table, col = (cell(S.BUDGETS.column("region").zh), cell(S.BUDGETS.column("year").zh)), "budgets", \
            "budget_wan"
    elif spec is S.MATRIX:
        key, table, col = (cell(S.MATRIX.columns[0].zh), m.column), "matrix", "state"
    else:
        key, table = (cell(S.ACTUALS.column("region").zh), cell(S.ACTUALS.column("item").zh)), "actuals"
        col = {S.ACTUALS.column("completed_on").zh: "completed_on", S.ACTUALS.column("source").zh: "source"}.get(
            m.column)
    mine = [e for e in edits if e.table == table and tuple(e.key) == key]
    return [e for e in mine if e.field == col] or mine


def _edits_for_sheet(m: Message, edits: list[Edit]) -> list[Edit]:
    """A message about a whole sheet (no row): the edits it can only mean."""
    if m.code == "missing_upgrade_cost":  # the matrix says 需升级 where the item has no upgrade cost
        return [e for e in edits if e.table == "matrix" and Cap(e.value) == Cap.UPGRADE and f"「{e.key[1]}」" in m.zh]
    by_header = {c.zh: c.key for c in S.ITEMS.columns}
    hits = [e for e in edits if e.table == "items" and m.sheet == S.ITEMS.zh and by_header.get(m.column) == e.field]
    return hits if len(hits) == 1 else []
