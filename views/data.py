"""数据: upload a workbook or keep the shipped one; view and edit it; validation messages in place.

Edits live in the session: they are written by the engine's writer and read back by its validator, so an
edit is checked exactly like an upload. Neither the shipped file nor an uploaded file is ever written to.
"""

import math
from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from planner.domain import Cap, Dataset
from views import charts, state
from views.i18n import t

SS = st.session_state


def _queue_upload() -> None:
    file = SS.get("uploader")
    if file is not None:
        SS.incoming = (file.name, file.getvalue())


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _num(v):
    return None if _blank(v) else float(v)


def _int(v):
    return None if _blank(v) else int(v) if float(v) == int(float(v)) else float(v)


def _date(v):
    if _blank(v) or v is pd.NaT:
        return None
    return v if isinstance(v, date) else pd.Timestamp(v).date()


def _apply(new: Dataset) -> None:
    errors = state.apply_dataset(new)
    SS.data_errors, SS.rejected_name = errors, ""
    if not errors:
        SS.flash = ("edits_applied", {}, state.data_key())
    st.rerun()  # the messages sit above the tables: show them in place on the next run


def _items_tab(ds: Dataset) -> None:
    cols = {"id": t("col_id"), "name": t("col_item"), "tier": t("col_tier"), "deadline": t("col_deadline"),
            "capex": t("col_capex"), "opex": t("col_opex_year"), "lead": t("col_lead"),
            "fee": t("col_fee"), "priority": t("col_priority"), "note": t("col_note")}
    df = pd.DataFrame([{cols["id"]: i.id, cols["name"]: i.name, cols["tier"]: charts.tier_label(i.tier),
                        cols["deadline"]: i.deadline, cols["capex"]: i.capex_wan, cols["opex"]: i.opex_wan,
                        cols["lead"]: i.lead_quarters, cols["fee"]: i.service_fee_wan,
                        cols["priority"]: i.priority, cols["note"]: i.note} for i in ds.items])
    st.caption(t("items_caption"))
    edited = st.data_editor(
        df, key="ed_items", hide_index=True, num_rows="fixed",
        disabled=[cols["id"], cols["name"], cols["tier"]],
        column_config={
            cols["deadline"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
            cols["capex"]: st.column_config.NumberColumn(format="%.1f", help=t("assumption_label")),
            cols["opex"]: st.column_config.NumberColumn(format="%.2f", help=t("assumption_label")),
            cols["lead"]: st.column_config.NumberColumn(format="%d", help=t("assumption_label")),
            cols["fee"]: st.column_config.NumberColumn(format="%.1f", help=t("whatif_label")),
            cols["note"]: st.column_config.TextColumn(width="large"),
        })
    if st.button(t("apply_edits"), type="primary", key="apply_items"):
        items = []
        for item, (_, row) in zip(ds.items, edited.iterrows(), strict=True):
            items.append(replace(item, deadline=_date(row[cols["deadline"]]), capex_wan=_num(row[cols["capex"]]),
                                 opex_wan=_num(row[cols["opex"]]), lead_quarters=_int(row[cols["lead"]]),
                                 service_fee_wan=_num(row[cols["fee"]]) or 0.0,
                                 priority=_num(row[cols["priority"]]),
                                 note="" if _blank(row[cols["note"]]) else str(row[cols["note"]])))
        _apply(replace(ds, items=items))


def _budgets_tab(ds: Dataset) -> None:
    st.caption(t("budgets_caption"))
    regions = [r.name for r in ds.regions if any(k[0] == r.name for k in ds.budgets)]
    years = sorted({y for _, y in ds.budgets})
    df = pd.DataFrame([{t("col_region"): r, **{str(y): ds.budgets.get((r, y)) for y in years}} for r in regions])
    edited = st.data_editor(df, key="ed_budgets", hide_index=True, disabled=[t("col_region")],
                            column_config={str(y): st.column_config.NumberColumn(format="%.0f") for y in years})
    if st.button(t("apply_edits"), type="primary", key="apply_budgets"):
        budgets = {}
        for _, row in edited.iterrows():
            for y in years:
                budgets[(row[t("col_region")], y)] = _num(row[str(y)])
        _apply(replace(ds, budgets=budgets))


def _matrix_tab(ds: Dataset) -> None:
    st.caption(t("matrix_edit_caption"))
    items = [i.name for i in ds.items]
    df = pd.DataFrame([{t("col_region"): r.name, **{i: ds.has(r.name, i) for i in items}}
                       for r in ds.matrix_regions])
    edited = st.data_editor(df, key="ed_matrix", hide_index=True, disabled=[t("col_region")],
                            column_config={i: st.column_config.CheckboxColumn(i, width="small") for i in items})
    if st.button(t("apply_edits"), type="primary", key="apply_matrix"):
        matrix = {(row[t("col_region")], i): Cap.HAS if row[i] else Cap.LACKS
                  for _, row in edited.iterrows() for i in items}
        _apply(replace(ds, matrix=matrix))


def render() -> None:
    st.title(t("data_title"))
    st.caption(t("data_intro"))
    if SS.get("incoming") is not None:
        name, data = SS.incoming
        SS.incoming = None
        SS.data_errors = state.accept_workbook(data, name)
        SS.rejected_name = name if SS.data_errors else ""
        if not SS.data_errors:
            SS.flash = ("upload_ok", {"name": name}, state.data_key())
    flash = SS.get("flash")
    if flash and flash[2] == state.data_key() and not SS.data_errors:  # shown while these data are current
        st.success(t(flash[0], **flash[1]))

    source = {"shipped": t("src_shipped"), "upload": t("src_upload", name=SS.get("wb_name", "")),
              "edited": t("src_edited")}[SS.wb_source]
    up, actions = st.columns([3, 2], gap="large")
    with up:
        st.file_uploader(t("upload_label"), type=["xlsx"], key="uploader", on_change=_queue_upload,
                         help=t("upload_help"))
    with actions:
        st.markdown(t("current_data", source=source))
        st.download_button(t("download_data"), data=state.data_workbook_bytes(), file_name=t("data_file_name"),
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:")
        if SS.wb_source != "shipped" and st.button(t("reset_data"), icon=":material/restart_alt:"):
            state.reset_data()
            st.rerun()

    if SS.data_errors:
        name = SS.get("rejected_name") or ""
        st.error(t("data_rejected", name=name) if name else t("edit_rejected"))
        for m in SS.data_errors[:12]:
            state.show_message(m)
        if len(SS.data_errors) > 12:
            st.dataframe(pd.DataFrame(state.messages_table(SS.data_errors)), hide_index=True)

    ds = state.dataset()
    tabs = st.tabs([t("tab_items"), t("tab_budgets"), t("tab_matrix"), t("tab_counts"), t("tab_assumptions"),
                    t("tab_warnings", n=len(ds.warnings))])
    with tabs[0]:
        _items_tab(ds)
    with tabs[1]:
        _budgets_tab(ds)
    with tabs[2]:
        _matrix_tab(ds)
    with tabs[3]:
        st.caption(t("counts_caption"))
        st.dataframe(pd.DataFrame([{t("col_tier"): charts.tier_label(c.tier), t("col_region"): c.region,
                                    t("col_required"): c.required, t("col_completed"): c.completed,
                                    t("col_pending"): c.pending, t("col_note"): c.note} for c in ds.counts]),
                     hide_index=True)
    with tabs[4]:
        st.caption(t("assumptions_caption"))
        st.dataframe(pd.DataFrame([{t("col_key"): a.key, t("col_value"): a.value, t("col_unit"): a.unit,
                                    t("col_note"): a.note} for a in ds.assumptions]), hide_index=True)
        st.dataframe(pd.DataFrame([{t("col_group"): g.name, t("col_items"): "；".join(g.items),
                                    t("col_saving"): g.saving_wan, t("col_note"): g.note} for g in ds.share_groups]),
                     hide_index=True)
        st.dataframe(pd.DataFrame([{t("col_id"): s.id, t("col_title"): s.title, t("col_reference"): s.reference,
                                    t("col_note"): s.note} for s in ds.sources]), hide_index=True)
    with tabs[5]:
        if not ds.warnings:
            st.info(t("no_warnings"))
        for w in ds.warnings:
            state.show_message(w, "warning")
        st.dataframe(pd.DataFrame(state.messages_table(ds.warnings)), hide_index=True)


render()
