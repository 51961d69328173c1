"""数据: upload a workbook or keep the shipped one; start a new region from a template or load the example
(``views.newregion``); view and edit the data (the matrix in its four states); validation messages in place.

Edits go cell by cell through the engine (``planner.io.edits``), so an edit is checked exactly like an upload.
Neither the shipped file nor an uploaded file is ever written to; uploads and edits are kept on the server
under their content hash, so a reload or the page's link finds them again, until discarded.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.domain import Dataset
from planner.io.draft import Blanks
from views import charts, newregion, state
from views.editing import (
    Editable,
    apply_button,
    as_date,
    as_int,
    as_number,
    as_text,
    cap_labels,
    date_text,
    editor,
    header_width,
    number_text,
    show_report,
)
from views.i18n import MAX_UPLOAD_MB, lang, t
from views.sidebar import focus_banner

SS = st.session_state
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _take_upload() -> None:
    """Runs before the page (so the sidebar already names the new data): validate and adopt, or explain."""
    file = SS.get("uploader")
    if file is None:
        return
    data = file.getvalue()
    errors = state.accept_workbook(data, file.name)
    SS.upload_report = (file.name, errors, _blanks(data) if errors else None)


def _blanks(data: bytes) -> Blanks | None:
    """The blank cells of a refused upload (what a half-filled draft still lacks), read within the same
    CPU-time budget as the upload itself: None when past it."""
    from planner.domain import InputError
    from planner.io.sandbox import load_workbook_limited

    try:
        return load_workbook_limited(data, reader="planner.io.draft:blanks")
    except InputError:
        return None


def _ask_discard() -> None:
    SS.confirm_discard = True


def _discard() -> None:
    state.discard_data()
    SS.confirm_discard = False
    state.notify(t("data_discarded"), "toast")


def _keep() -> None:
    SS.confirm_discard = False


# -------------------------------------------------------------------------------------------- tables

def _items(ds: Dataset) -> Editable:
    cols = {"id": t("col_id"), "name": t("col_item"), "tier": t("col_tier"), "deadline": t("col_deadline"),
            "capex_wan": t("col_capex"), "opex_wan": t("col_opex_year"), "lead_quarters": t("col_lead"),
            "service_fee_wan": t("col_fee"), "priority": t("col_priority"),
            "upgrade_capex_wan": t("col_upgrade_capex"), "upgrade_lead_quarters": t("col_upgrade_lead"),
            "note": t("col_note")}
    def cell(i, k):  # numbers and dates as text: the grid passes on what is typed, the parsers judge it
        value = getattr(i, k)
        if k == "tier":
            return charts.tier_label(i.tier)
        if k == "deadline":
            return date_text(value)
        return number_text(value) if k.endswith(("_wan", "_quarters")) or k == "priority" else value

    frame = pd.DataFrame([{label: cell(i, k) for k, label in cols.items()} for i in ds.items], dtype=object)
    convert = {"deadline": as_date, "lead_quarters": as_int, "upgrade_lead_quarters": as_int, "note": as_text}
    fields = {cols[k]: (k, convert.get(k, as_number)) for k in cols if k not in ("id", "name", "tier")}
    return Editable("items", t("tab_items"), [(i.name,) for i in ds.items], [f"{i.id} {i.name}" for i in ds.items],
                    frame, fields)


def _items_tab(ds: Dataset) -> None:
    st.caption(t("items_caption"))
    table = _items(ds)
    c = {label: name for label, (name, _) in table.fields.items()}
    # text columns: a number column would empty "abc" and read "1e12" as 112 before the app sees it
    config = {label: st.column_config.TextColumn(help=t("assumption_label") + " · " + t("typed_number_help"),
                                                 width=header_width(label))
              for label, name in c.items() if name.endswith(("_wan", "_quarters"))}
    config[t("col_priority")] = st.column_config.TextColumn(help=t("typed_number_help"),
                                                            width=header_width(t("col_priority")))
    config[t("col_deadline")] = st.column_config.TextColumn(help=t("typed_date_help"),
                                                            width=header_width(t("col_deadline"), 110))
    config[t("col_note")] = st.column_config.TextColumn(width="large")
    edited = editor(table, "items", disabled=[t("col_id"), t("col_item"), t("col_tier")], column_config=config)
    apply_button(table, edited, "items")


def _budgets_tab(ds: Dataset, regions: list[str] | None) -> None:
    st.caption(t("budgets_caption"))
    names = [r.name for r in ds.regions if any(k[0] == r.name for k in ds.budgets)
             and (regions is None or r.name in regions)]
    years = sorted({y for _, y in ds.budgets})
    if not names:
        st.info(t("no_budgets"))
        return
    frame = pd.DataFrame([{t("col_region"): r, **{str(y): number_text(ds.budgets.get((r, y))) for y in years}}
                          for r in names], dtype=object)
    # one record per county-year: rows are counties, each year column its own field
    table = Editable("budgets", t("tab_budgets"), [(r,) for r in names], names, frame, {},
                     per_column={str(y): ("budget_wan", as_number) for y in years},
                     cell_key=lambda key, column: (key[0], int(column)))
    edited = editor(table, "budgets", disabled=[t("col_region")],
                    column_config={str(y): st.column_config.TextColumn(help=t("typed_number_help"), width=90)
                                   for y in years})
    apply_button(table, edited, "budgets")


def _matrix_tab(ds: Dataset, regions: list[str] | None) -> None:
    st.caption(t("matrix_edit_caption"))
    labels = cap_labels()
    by_cap = {cap: label for label, cap in labels.items()}
    rows = [r.name for r in ds.matrix_regions if regions is None or r.name in regions]
    if not rows:
        st.info(t("no_named_gaps", region=state.focus()))
        return
    items = [i.name for i in ds.items]
    frame = pd.DataFrame([{t("col_region"): r, **{i: by_cap[ds.state(r, i)] for i in items}} for r in rows])
    table = Editable("matrix", t("tab_matrix"), [(r,) for r in rows], rows, frame, {},
                     per_column={i: ("state", labels.get) for i in items})
    edited = editor(table, "matrix", disabled=[t("col_region")],
                    column_config={i: st.column_config.SelectboxColumn(i, options=list(labels), required=True,
                                                                       width=header_width(i, 80)) for i in items})
    apply_button(table, edited, "matrix")


@st.fragment
def _editors(ds: Dataset, regions: list[str] | None) -> None:
    """The editors rerun on their own while cells are typed; applying reruns the app (new data)."""
    labels = [t("tab_items"), t("tab_budgets"), t("tab_matrix")]
    # the open tab is kept by its place (not its label, which changes with the language), so applying an
    # edit — which reruns the app with new data — or switching the language leaves the same tab open
    key = f"data_tabs_{lang()}"
    if SS.get(key) in labels:
        SS.data_tab = labels.index(SS[key])
    tabs = st.tabs(labels, key=key, default=labels[SS.get("data_tab", 0)], on_change="rerun")
    with tabs[0]:
        _items_tab(ds)
    with tabs[1]:
        _budgets_tab(ds, regions)
    with tabs[2]:
        _matrix_tab(ds, regions)


def _rows(rows: list[dict], empty: str) -> None:
    """A reference table, or a line saying there is none (an empty grid would say "empty" in English)."""
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="—")
    else:
        st.caption(empty)


def _reference_tabs(ds: Dataset) -> None:
    tabs = st.tabs([t("tab_counts"), t("tab_assumptions"), t("tab_warnings", n=len(ds.warnings))])
    with tabs[0]:
        st.caption(t("counts_caption"))
        _rows([{t("col_tier"): charts.tier_label(c.tier), t("col_region"): c.region,
                t("col_required"): c.required, t("col_completed"): c.completed, t("col_pending"): c.pending,
                t("col_note"): c.note} for c in ds.counts], t("no_counts"))
    with tabs[1]:
        st.caption(t("assumptions_caption"))
        _rows([{t("col_key"): a.key, t("col_value"): a.value, t("col_unit"): a.unit, t("col_note"): a.note}
               for a in ds.assumptions], t("no_rows"))
        if ds.share_groups:
            _rows([{t("col_group"): g.name, t("col_items"): "；".join(g.items), t("col_saving"): g.saving_wan,
                    t("col_note"): g.note} for g in ds.share_groups], t("no_rows"))
        _rows([{t("col_id"): s.id, t("col_title"): s.title, t("col_reference"): s.reference, t("col_note"): s.note}
               for s in ds.sources], t("no_rows"))
    with tabs[2]:
        if not ds.warnings:
            st.info(t("no_warnings"))
            return
        for w in ds.warnings[:12]:
            state.show_message(w, "warning")
        _rows(state.messages_table(ds.warnings), t("no_warnings"))


def _upload_report() -> None:
    rep = SS.pop("upload_report", None)
    if rep is None:
        return
    name, errors, left = rep
    if not errors:
        st.success(t("upload_ok", name=name))
        return
    st.error(t("data_rejected", name=name))
    newregion.show_problems(errors, left)


def render() -> None:
    st.title(t("data_title"))
    st.caption(t("data_intro"))
    focus_banner()
    _upload_report()
    show_report()

    up, actions = st.columns([3, 2], gap="large")
    with up:
        st.file_uploader(t("upload_label"), type=["xlsx"], key="uploader", on_change=_take_upload,
                         help=t("upload_help", mb=MAX_UPLOAD_MB))
    with actions:
        st.markdown(t("current_data", source=state.source_label()))
        st.download_button(t("download_data"), data=state.SS.wb_bytes, file_name=t("data_file_name"), mime=XLSX,
                           icon=":material/download:", key="dl_data_page")
        if SS.wb_source != "shipped":
            st.caption(t("data_kept_note"))
            if not SS.get("confirm_discard"):
                st.button(t("discard_data"), on_click=_ask_discard, icon=":material/delete:", key="discard")
            else:
                st.warning(t("discard_confirm", source=state.source_label()))
                c1, c2 = st.columns(2)
                c1.button(t("discard_yes"), on_click=_discard, type="primary", key="discard_yes")
                c2.button(t("discard_no"), on_click=_keep, key="discard_no")

    with st.expander(t("nr_expander"), expanded="draft" in SS, icon=":material/add_location_alt:"):
        newregion.section()
    ds = state.dataset()
    _editors(ds, state.focus_regions())
    _reference_tabs(ds)


render()
