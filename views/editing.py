"""Editable tables (``st.data_editor``) over the dataset: one row per record, changed cells turned into the
engine's ``Edit``s, and the outcome said in terms of what is on screen (the row number and the record's
name, the column header, the value typed) rather than the workbook's row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner.domain import Cap
from planner.io.edits import Edit, EditOutcome
from views import state
from views.i18n import lang, t

SS = st.session_state


def blank(v: Any) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)) or (
        isinstance(v, str) and not v.strip())


def as_number(v: Any) -> float | None:
    return None if blank(v) else float(v)


def as_int(v: Any) -> int | float | None:
    return None if blank(v) else int(v) if float(v) == int(float(v)) else float(v)


def as_date(v: Any) -> date | None:
    if blank(v):
        return None
    return pd.Timestamp(v).date() if isinstance(v, pd.Timestamp) or not isinstance(v, date) else v


def as_text(v: Any) -> str:
    return "" if blank(v) else str(v).strip()


def as_optional_text(v: Any) -> str | None:
    return None if blank(v) else str(v).strip()


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

    def __post_init__(self) -> None:
        self.frame.index = pd.RangeIndex(1, len(self.frame) + 1)  # the row numbers people see

    def edits(self, edited: pd.DataFrame) -> list[Edit]:
        out = []
        for n, key in enumerate(self.keys):
            row_old, row_new = self.frame.iloc[n], edited.iloc[n]
            for column, (name, convert) in self.fields.items():
                old, new = convert(row_old[column]), convert(row_new[column])
                if old != new:
                    out.append(Edit(self.table, key, name, new))
            for column, (name, convert) in self.per_column.items():  # matrix: one record per cell
                old, new = convert(row_old[column]), convert(row_new[column])
                if old != new:
                    out.append(Edit(self.table, self.cell_key(key, column), name, new))
        return out

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


def report(outcome: EditOutcome, table: Editable) -> None:
    """Keep what happened to a batch of edits for the next run (the page reruns to show the new data)."""
    en = lang() == "en"
    lines = []
    for edit, message in outcome.rejected:
        row, name, column = table.where(edit)
        lines.append(t("edit_rejected_cell", table=table.title, row=row, name=name, column=column,
                       value=shown(edit.value), reason=message.en if en else message.zh))
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


def apply_button(table: Editable, edited: pd.DataFrame, key: str) -> None:
    """Apply the changed cells; with none, say so and change nothing (the data are not marked as edited)."""
    if st.button(t("apply_edits"), type="primary", key=f"apply_{key}", icon=":material/check:"):
        edits = table.edits(edited)
        if not edits:
            SS.edit_report = {"table": table.title, "applied": 0, "unchanged": 0, "rejected": [], "errors": []}
        else:
            report(state.apply_data_edits(edits), table)
            SS.editor_version = SS.get("editor_version", 0) + 1  # rejected values leave the grid too
        st.rerun()
    st.caption(t("edits_pending_note"))
