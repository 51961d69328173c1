"""审计 / Audit: the history of every change in the database with its author, filtered per county, kind and
author; recording an actual completion (with 文号 and 来源) or a matrix state through the service layer, with
the optimistic version check; review remarks. Every value is shown as plain text in tables, never markdown."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from planner.domain import CAP_ZH, Cap, InputError
from planner.service import KIND_ZH, PermissionDenied
from planner.storage.datasets import StaleEdit
from views import login
from views.i18n import pick_language
from views.login import tr

svc = login.service()
who = login.actor()
st.header(tr("审计：修改记录", "Audit: the history of changes"))
if st.session_state.pop("db_saved", False):
    st.success(tr("已保存", "Saved"))


def _done() -> None:
    """Saved: draw the page again so the history shows the new event."""
    st.session_state["db_saved"] = True
    st.rerun()


name = login.pick_dataset(svc, who)
if name is None:
    login.import_shipped(svc, who)
    st.stop()

dataset, version = svc.dataset(who, name)
seen_key = f"db_seen_{name}"
if seen_key not in st.session_state:
    st.session_state[seen_key] = version  # the version this browser session edits on
seen = st.session_state[seen_key]
cols = st.columns([3, 1])
cols[0].text(tr(f"当前版本 {version}；您正在基于版本 {seen} 修改", f"current version {version}; you are editing "
                                                                      f"version {seen}"))
if cols[1].button(tr("刷新到最新版本", "Reload the latest version"), key="db_reload"):
    st.session_state[seen_key] = version
    st.rerun()

regions = [r.name for r in dataset.regions]
f1, f2, f3 = st.columns(3)
region = f1.selectbox(tr("地区", "Region"), ["", *regions], key="audit_region",
                      format_func=lambda r: r or tr("全部", "all"))


def _kind(k: str) -> str:
    return (KIND_ZH.get(k, k) if login.lang() != "en" else k) if k else tr("全部", "all")


kind = f2.selectbox(tr("类型", "Kind"), ["", *KIND_ZH], key="audit_kind", format_func=_kind)
author = f3.selectbox(tr("作者", "Author"), ["", *svc.authors(who, name)], key="audit_author",
                      format_func=lambda a: a or tr("全部", "all"))
rows = svc.history(who, name, region=region or None, kind=kind or None, author=author or None, limit=2000)


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "；".join(str(v) for v in value.values() if v not in ("", None))
    return str(value)


table = pd.DataFrame([{
    tr("编号", "id"): r["id"], tr("时间（UTC）", "time (UTC)"): r["at"], tr("作者", "author"): r["author"],
    tr("类型", "kind"): KIND_ZH.get(r["kind"], r["kind"]) if login.lang() != "en" else r["kind"],
    tr("地区", "region"): r["region"], tr("项目", "item"): r["item"], tr("年份", "year"): str(r["year"] or ""),
    tr("原值", "old"): _show(r["old"]), tr("新值", "new"): _show(r["new"]),
    tr("原因", "reason"): pick_language(r["reason"]),
    tr("文号", "document no."): r["evidence_no"], tr("来源", "source"): r["evidence_source"]} for r in rows])
st.dataframe(table, hide_index=True, width="stretch")
st.caption(tr(f"{len(rows)} 条记录", f"{len(rows)} events"))

with st.expander(tr("导出某个版本为工作簿", "Export a version as a workbook")):
    wanted = st.number_input(tr("版本（事件编号）", "Version (event id)"), min_value=1, max_value=max(version, 1),
                             value=max(version, 1), step=1, key="db_export_version")
    if st.button(tr("生成工作簿", "Make the workbook"), key="db_export_make"):
        try:
            st.session_state["db_export"] = (int(wanted), svc.export(who, name, int(wanted)))
        except InputError as exc:
            login.show_error(exc)
    if st.session_state.get("db_export"):
        v_done, data = st.session_state["db_export"]
        st.download_button(tr(f"下载版本 {v_done}", f"Download version {v_done}"), data,
                           file_name=f"{name}-v{v_done}.xlsx", key="db_export_download",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# ------------------------------------------------------------------------------------------ recording
editable = [r.name for r in dataset.matrix_regions]
if who.role == "county_editor":
    editable = [r for r in editable if r == who.scope]
elif who.role in ("city_planner", "province_planner") and who.scope != name:
    editable = [r for r in editable if r in dataset.subtree(who.scope)]
if who.role != "reviewer" and editable:
    st.subheader(tr("填报实际完成", "Record an actual completion"))
    with st.form("db_actual"):
        a1, a2, a3 = st.columns(3)
        a_region = a1.selectbox(tr("地区", "Region"), editable, key="db_actual_region")
        a_item = a2.selectbox(tr("项目", "Item"), [i.name for i in dataset.items], key="db_actual_item")
        a_date = a3.date_input(tr("完成日期", "Completed on"), value=date.today(), max_value=date.today(),
                               key="db_actual_date")
        b1, b2 = st.columns(2)
        a_no = b1.text_input(tr("文号", "Document no."), max_chars=200, key="db_actual_no")
        a_source = b2.text_input(tr("来源", "Source"), max_chars=1000, key="db_actual_source")
        a_reason = st.text_input(tr("说明", "Reason"), max_chars=2000, key="db_actual_reason")
        if st.form_submit_button(tr("保存", "Save"), type="primary"):
            try:
                st.session_state[seen_key] = svc.record_actual(
                    who, name, a_region, a_item, a_date, seen, evidence_no=a_no, evidence_source=a_source,
                    reason=a_reason)
                _done()
            except (StaleEdit, PermissionDenied, InputError) as exc:
                login.show_error(exc)
    st.subheader(tr("修改能力矩阵", "Change a matrix cell"))
    with st.form("db_matrix"):
        m1, m2, m3 = st.columns(3)
        m_region = m1.selectbox(tr("地区", "Region"), editable, key="db_matrix_region")
        m_item = m2.selectbox(tr("项目", "Item"), [i.name for i in dataset.items], key="db_matrix_item")
        m_state = m3.selectbox(tr("状态", "State"), [c.value for c in Cap], key="db_matrix_state",
                               format_func=lambda v: CAP_ZH[Cap(v)] if login.lang() != "en" else v)
        m_reason = st.text_input(tr("说明", "Reason"), max_chars=2000, key="db_matrix_reason")
        if st.form_submit_button(tr("保存", "Save"), type="primary"):
            try:
                st.session_state[seen_key] = svc.set_matrix(who, name, m_region, m_item, m_state, seen,
                                                            reason=m_reason)
                _done()
            except (StaleEdit, PermissionDenied, InputError) as exc:
                login.show_error(exc)

if who.role in ("reviewer", "city_planner", "province_planner", "admin"):
    st.subheader(tr("审核意见", "Review remark"))
    with st.form("db_remark"):
        r_region = st.selectbox(tr("地区", "Region"), ["", *regions], key="db_remark_region",
                                format_func=lambda r: r or tr("整个数据集", "the whole dataset"))
        r_text = st.text_area(tr("意见", "Remark"), max_chars=2000, key="db_remark_text")
        if st.form_submit_button(tr("记录", "Record")):
            try:
                svc.remark(who, name, r_region, r_text)
                _done()
            except InputError as exc:
                login.show_error(exc)
