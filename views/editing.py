"""Editable tables (``st.data_editor``) over the dataset: one row per record, changed cells turned into the
engine's ``Edit``s, and the outcome said in terms of what is on screen (the row number and the record's
name, the column header, the value typed) rather than the workbook's row.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from planner.domain import Cap
from planner.io.edits import Edit, EditOutcome
from views import state
from views.i18n import lang, t
from views.safe import quoted

SS = st.session_state


class Refused(ValueError):
    """A typed value that is not what its column takes; ``key`` names the reason in ``planner.i18n``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


# a number as people type it: digits, one decimal point, a sign, an exponent (1e3); never a unit, a comma
# (1,5 is ambiguous) or Python's 1_000
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def blank(v: Any) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)) or (
        isinstance(v, str) and not v.strip())


def _typed(v: Any) -> str:
    """A typed cell as text: full-width digits and punctuation made half-width (１２．５ is 12.5)."""
    return unicodedata.normalize("NFKC", str(v)).strip()


def as_number(v: Any) -> float | None:
    """A number cell: blank, a number, or text that is a number as typed; anything else is refused (never
    emptied, never read digit by digit: ``abc`` and ``1e12`` reach the validator as what they are)."""
    if blank(v):
        return None
    if isinstance(v, bool):
        raise Refused("typed_not_number")
    if isinstance(v, int | float):
        if not math.isfinite(v):
            raise Refused("typed_not_number")
        return float(v)
    text = _typed(v)
    if not _NUMBER.fullmatch(text):
        raise Refused("typed_not_number")
    value = float(text)
    if not math.isfinite(value):
        raise Refused("typed_not_number")
    return value


def as_int(v: Any) -> int | float | None:
    """A whole-number cell (quarters): the number as typed; 2.5 goes on as 2.5 so the validator names it,
    never rounded."""
    value = as_number(v)
    return None if value is None else int(value) if value == int(value) else value


def as_date(v: Any) -> date | None:
    """A date cell: a date, or text written YYYY-MM-DD (or with / or .); anything else is refused."""
    if blank(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    m = _DATE.fullmatch(_typed(v))
    if m is None:
        raise Refused("typed_not_date")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise Refused("typed_not_date") from None


def as_text(v: Any) -> str:
    return "" if blank(v) else str(v).strip()


def as_optional_text(v: Any) -> str | None:
    return None if blank(v) else str(v).strip()


def number_text(v: Any) -> str | None:
    """A number as an editable cell shows it (text: the grid then passes on exactly what is typed)."""
    if blank(v):
        return None
    return f"{float(v):.6f}".rstrip("0").rstrip(".")


def header_width(header: str, least: int = 70) -> int:
    """A column's width in pixels that shows its whole header (a CJK character is about 15 px wide at the
    grid's font, a Latin one about 8; a little room for the menu icon)."""
    wide = sum(1 for ch in header if unicodedata.east_asian_width(ch) in ("W", "F"))
    return max(least, min(320, wide * 15 + (len(header) - wide) * 8 + 30))


def date_text(v: Any) -> str | None:
    return None if blank(v) else as_date(v).isoformat()


def cap_labels() -> dict[str, Cap]:
    """Matrix states by their label in the current language (the editor's drop-down)."""
    return {t(f"cap_{c.value}"): c for c in Cap}


@dataclass
class Editable:
    """A table on screen: ``fields`` maps an editable column's header to (field, converter)."""

    table: str  # the engine's table: items | budgets | matrix | actuals
    title: str  # the tab or table name people see
    keys: list[tuple[Any, ...]]  # the record of each row
    names: list[str]  # how each row is named in a message ("B02 衡器", "通州 2024")
    frame: pd.DataFrame
    fields: dict[str, tuple[str, Callable[[Any], Any]]]
    # tables whose every cell is a record (matrix, budgets): header -> (field, converter), and the cell's key
    per_column: dict[str, tuple[str, Callable[[Any], Any]]] = field(default_factory=dict)
    cell_key: Callable[[tuple[Any, ...], str], tuple[Any, ...]] = lambda key, column: (*key, column)
    # the page's own plausibility check of a value before the engine sees it: a reason (text), or None
    check: Callable[[tuple[Any, ...], str, Any], str | None] | None = None
    typed: dict[int, Any] = field(default_factory=dict)  # id(edit) -> the cell's text as typed

    def __post_init__(self) -> None:
        self.frame.index = pd.RangeIndex(1, len(self.frame) + 1)  # the row numbers people see

    def edits(self, edited: pd.DataFrame) -> tuple[list[Edit], list[str]]:
        """The changed cells as the engine's edits, and the cells refused as typed (each line names the
        table, the row on screen, the column, the value typed and why)."""
        out: list[Edit] = []
        refused: list[str] = []
        cells = [(column, name, convert, False) for column, (name, convert) in self.fields.items()]
        cells += [(column, name, convert, True) for column, (name, convert) in self.per_column.items()]
        for n, key in enumerate(self.keys):
            row_old, row_new = self.frame.iloc[n], edited.iloc[n]
            for column, name, convert, per_cell in cells:
                typed = row_new[column]
                if _same_cell(row_old[column], typed):
                    continue
                try:
                    old, new = convert(row_old[column]), convert(typed)
                except Refused as exc:
                    refused.append(t("edit_rejected_cell", table=self.title, row=n + 1, name=self.names[n],
                                     column=column, value=quoted(typed), reason=t(exc.key)))
                    continue
                if old == new:
                    continue
                reason = self.check(key, name, new) if self.check is not None else None
                if reason:
                    refused.append(t("edit_rejected_cell", table=self.title, row=n + 1, name=self.names[n],
                                     column=column, value=quoted(typed), reason=reason))
                    continue
                edit = Edit(self.table, self.cell_key(key, column) if per_cell else key, name, new)
                self.typed[id(edit)] = typed  # a refusal quotes what was typed, not the number read from it
                out.append(edit)
        return out, refused

    def where(self, edit: Edit) -> tuple[int, str, str]:
        """(row number on screen, the row's name, the column header) of an edit."""
        for n, key in enumerate(self.keys):
            if key == tuple(edit.key):
                column = next((c for c, (name, _) in self.fields.items() if name == edit.field), edit.field)
                return n + 1, self.names[n], column
            for column in self.per_column:
                if self.cell_key(key, column) == tuple(edit.key):
                    return n + 1, self.names[n], column
        return 0, "", edit.field


def shown(value: Any) -> str:
    if value is None:
        return t("value_blank")
    if isinstance(value, Cap):
        return t(f"cap_{value.value}")
    return value.isoformat() if isinstance(value, date) else f"{value:g}" if isinstance(value, float) else str(value)


def _same_cell(old: Any, new: Any) -> bool:
    return (blank(old) and blank(new)) or (not blank(old) and not blank(new) and str(old) == str(new))


def report(outcome: EditOutcome, table: Editable, refused: list[str] | None = None) -> None:
    """Keep what happened to a batch of edits for the next run (the page reruns to show the new data)."""
    en = lang() == "en"
    lines = list(refused or [])
    for edit, message in outcome.rejected:
        row, name, column = table.where(edit)
        lines.append(t("edit_rejected_cell", table=table.title, row=row, name=name, column=column,
                       value=quoted(shown(edit.value) if blank(table.typed.get(id(edit))) else table.typed[id(edit)]),
                       reason=message.en if en else message.zh))
    SS.edit_report = {"table": table.title, "applied": len(outcome.applied), "unchanged": len(outcome.unchanged),
                      "rejected": lines, "errors": outcome.errors}


def show_report() -> None:
    rep = SS.pop("edit_report", None)
    if not rep:
        return
    if rep["applied"]:
        st.success(t("edits_applied_n", n=rep["applied"], table=rep["table"]))
    elif not rep["rejected"] and not rep["errors"]:
        st.info(t("edits_none", table=rep["table"]))
    if rep["rejected"]:
        st.error(t("edits_rejected_head", n=len(rep["rejected"])) + "\n\n" + "\n".join(f"- {x}" for x in
                                                                                   rep["rejected"]))
    if rep["errors"]:
        st.error(t("edit_rejected"))
        for m in rep["errors"][:12]:
            state.show_message(m)


def editor(table: Editable, key: str, **kwargs: Any) -> pd.DataFrame:
    """The data editor for ``table``; starts again from the data after every applied batch or undo."""
    return st.data_editor(table.frame, key=f"ed_{key}_{SS.get('editor_version', 0)}", num_rows="fixed",
                          hide_index=False, placeholder="", **kwargs)


def apply_button(table: Editable, edited: pd.DataFrame, key: str,
                 apply: Callable[[list[Edit]], EditOutcome] | None = None) -> None:
    """Apply the changed cells (through ``apply``, default the workbook's own edit path); with none, say so
    and change nothing (the data are not marked as edited)."""
    if st.button(t("apply_edits"), type="primary", key=f"apply_{key}", icon=":material/check:"):
        edits, refused = table.edits(edited)
        if not edits:
            report(EditOutcome(), table, refused)
        else:
            report((apply or state.apply_data_edits)(edits), table, refused)
        if edits or refused:
            SS.editor_version = SS.get("editor_version", 0) + 1  # rejected values leave the grid too
        st.rerun()
    st.caption(t("edits_pending_note"))
