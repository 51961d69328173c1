"""实际完成: the reviewer records when each capability was actually configured (配置到位) and on what evidence
(文号 / 来源), sees planned against actual and on time against late per deadline as of a chosen date,
downloads the workbook with them, and re-plans the open gaps from that date (the catch-up plan)."""

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from planner.analysis.replan import catch_up
from planner.analysis.tracking import DeadlineProgress, deadline_progress, gap_progress
from views import charts, dbdata, login, state, urlsync
from views.editing import (
    Editable,
    apply_button,
    as_date,
    as_optional_text,
    date_text,
    editor,
    header_width,
    show_report,
)
from views.i18n import t
from views.sidebar import focus_banner

SS = st.session_state
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_of() -> date:
    """The reviewer's date: the settings' as-of date, today when none is set."""
    return state.scenario().as_of or date.today()


def plan_start() -> date:
    """The first day of the plan: an as-of date before it has nothing to review and nothing to re-plan."""
    return state.scenario().start.first_day


def matrix_year_start() -> date:
    """The first day of the year the plan starts in: the capability matrix states what each county had then
    (Nantong: the 2023 annex), so a gap it lists as missing cannot have been completed before that day."""
    return date(state.scenario().start.year, 1, 1)


def _as_of_changed() -> None:
    picked = SS.ac_as_of
    if picked is None or picked < plan_start():
        state.notify(t("ac_as_of_before_start", date=picked.isoformat() if picked else "—",
                       start=plan_start().isoformat(), quarter=state.scenario().start.label), "error")
        SS.ac_as_of = as_of()  # the field shows the date in force again
        return
    state.set_scenario(replace(state.scenario(), as_of=picked), "undo_as_of")


def _replan() -> None:
    on = as_of()
    if on < plan_start():
        return  # the button is disabled then; a stale click changes nothing
    ds, regions = state.dataset(), state.focus_regions()
    cu = catch_up(ds, state.scenario(), on)
    state.adopt_scenario(cu.scenario, "undo_replan")
    start = cu.scenario.start.first_day
    done = {k for k, d in ds.actuals.items() if d < start}  # as the engine counts them
    mine = sum(1 for k in ds.gaps() if k not in done and (regions is None or k[0] in regions))
    SS.replan_report = (mine, len(cu.filled), cu.scenario.name)


def _plausible(key: tuple, field: str, value) -> str | None:
    """A completion date the data contradict: before the year the matrix describes, it would have been listed
    as had (已具备), not missing."""
    if field == "completed_on" and value is not None and value < matrix_year_start():
        return t("ac_before_matrix", date=value.isoformat(), since=matrix_year_start().isoformat())
    return None


def _editor_table(ds, plan, regions) -> Editable:
    rows = [g for g in gap_progress(ds, plan, as_of()) if regions is None or g.region in regions]
    recorded = dbdata.current_evidence()  # the database's 文号 and 来源 apart (the workbook joins them)
    c_date, c_no, c_src = t("col_actual"), t("col_evidence_no"), t("col_evidence")
    frame = pd.DataFrame([{
        t("col_region"): g.region, t("col_item"): g.item, t("col_tier"): charts.tier_label(g.tier),
        t("col_deadline"): g.deadline, t("col_planned_online"): g.planned_online.label if g.planned_online else
        t(f"mode_{g.planned_mode.value}") if g.planned_mode else "—",
        t("col_progress"): t(f"progress_{g.status.value}"), c_date: date_text(g.actual),
        c_no: recorded.get((g.region, g.item), {}).get("no") or None,
        c_src: (recorded[(g.region, g.item)].get("source") if (g.region, g.item) in recorded else g.evidence) or None,
    } for g in rows], dtype=object)
    return Editable("actuals", t("ac_table"), [(g.region, g.item) for g in rows],
                    [f"{g.region} {g.item}" for g in rows], frame,
                    {c_date: ("completed_on", as_date), c_no: ("evidence_no", as_optional_text),
                     c_src: ("source", as_optional_text)}, check=_plausible)


@st.fragment
def _record(ds, plan, regions) -> None:
    st.subheader(t("ac_record_title"))
    st.caption(t("ac_record_caption"))
    table = _editor_table(ds, plan, regions)
    if table.frame.empty:
        st.info(t("no_named_gaps", region=state.focus()))
        return
    # a reviewer reads and remarks, never records (the service refuses it anyway): the table is read-only
    reviewer = login.multiuser() and login.actor().role == "reviewer"
    read_only = True if reviewer else [c for c in table.frame.columns if c not in table.fields]
    edited = editor(table, "actuals", disabled=read_only, column_config={
        # text, not a date column: a date column drops a future date in the browser, and then nothing
        # would say why; typed text reaches the parser and the validator, which name the reason
        t("col_actual"): st.column_config.TextColumn(help=t("ac_date_help") + " · " + t("typed_date_help"),
                                                     width=header_width(t("col_actual"), 110)),
        t("col_evidence_no"): st.column_config.TextColumn(width="medium", help=t("ac_evidence_no_help")),
        t("col_evidence"): st.column_config.TextColumn(width="large", help=t("ac_evidence_help")),
        t("col_item"): st.column_config.TextColumn(width="medium")})
    if reviewer:
        st.caption(t("ac_reviewer_read_only"))
        return
    st.text_input(t("ac_reason"), key="ac_reason", max_chars=2000, help=t("ac_reason_help"))
    # every completion is an event in the database with its author, time, evidence and reason (single-user
    # mode: the implicit local admin), checked against the version this table was drawn from
    apply_button(table, edited, "actuals", apply=lambda edits: dbdata.record_actuals(edits, SS.get("ac_reason", "")))


COUNTS = ("gaps", "done_on_time", "done_late", "overdue", "open", "planned_on_time")


def _with_rollups(rows: list[DeadlineProgress], planned: bool) -> list[DeadlineProgress]:
    """The review rows with a roll-up per city and province in focus (its verdict from the summed counts)."""
    out = list(rows)
    tiers = [tier for tier in state.dataset().tiers if any(p.tier == tier for p in rows)]
    for tier in tiers:
        mine = [p for p in rows if p.tier == tier]
        values = {p.region: {f: getattr(p, f) or 0 for f in COUNTS} for p in mine}
        for name, sums in state.rollup_values(values).items():
            counts = {f: int(v) for f, v in sums.items()}
            out.append(DeadlineProgress(name, tier, mine[0].deadline, **{
                **counts, "planned_on_time": counts["planned_on_time"] if planned else None}))
    order = state.region_order()
    return sorted(out, key=lambda p: (order.get(p.region, len(order)), tiers.index(p.tier)))


def _review(ds, plan, regions) -> None:
    st.subheader(t("ac_review_title", date=as_of().isoformat()))
    own = deadline_progress(ds, plan, as_of(), regions)
    rows = _with_rollups(own, plan is not None)
    verdict = {True: t("ac_met"), False: t("ac_missed"), None: t("ac_not_due")}
    st.dataframe(pd.DataFrame([{
        t("col_region"): p.region, t("col_tier"): charts.tier_label(p.tier),
        t("col_deadline"): p.deadline.isoformat() if p.deadline else "", t("col_gaps"): p.gaps,
        t("col_done_on_time"): p.done_on_time, t("col_done_late"): p.done_late, t("col_overdue"): p.overdue,
        t("col_open"): p.open, t("col_planned_on_time"): p.planned_on_time if p.planned_on_time is not None else "—",
        t("col_verdict"): verdict[p.met],
    } for p in rows]), hide_index=True, key="ac_review", placeholder="—", height=charts.table_height(len(rows)))
    done = sum(p.done_on_time + p.done_late for p in own)
    total = sum(p.gaps for p in own)
    overdue = sum(p.overdue for p in own)
    st.markdown(t("ac_review_summary", done=done, total=total, overdue=overdue, date=as_of().isoformat()))
    if not ds.actuals:
        st.caption(t("ac_no_actuals"))


def _downloads(plan) -> None:
    st.subheader(t("ac_download_title"))
    c1, c2 = st.columns(2)
    c1.download_button(t("download_data"), data=SS.wb_bytes, file_name=t("data_file_name"), mime=XLSX,
                       icon=":material/table:", key="ac_dl_data", help=t("ac_download_data_help"))
    if plan is not None:
        data = state.plan_workbook(plan)
        if data is not None:
            c2.download_button(t("export_plan_button"), data=data,
                               file_name=t("plan_file_name", name=state.shown_name(plan.scenario.name)), mime=XLSX,
                               icon=":material/download:", key="ac_dl_plan")


def _replan_section() -> None:
    st.subheader(t("ac_replan_title"))
    st.caption(t("ac_replan_caption", date=as_of().isoformat()))
    if dbdata.bound() is not None:
        st.caption(t("ac_replan_draft"))
    st.button(t("ac_replan_button", date=as_of().isoformat()), on_click=_replan, type="primary",
              icon=":material/update:", key="ac_replan", disabled=as_of() < plan_start())
    rep = SS.pop("replan_report", None)
    if rep is not None:
        open_gaps, filled, name = rep
        st.success(t("ac_replanned", n=open_gaps, name=name))
        if filled:
            st.caption(t("ac_replan_filled", n=filled))
        st.page_link("views/plan.py", label=t("ac_to_plan"), icon=":material/calendar_month:")


def render() -> None:
    st.title(t("actuals_title"))
    st.caption(t("actuals_intro"))
    focus_banner()
    show_report()
    if "ac_as_of" not in SS:
        SS.ac_as_of = as_of()
    st.date_input(t("dl_as_of"), key="ac_as_of", on_change=_as_of_changed, min_value=date(2000, 1, 1),
                  max_value=date(2100, 12, 31), format="YYYY-MM-DD", help=t("dl_as_of_help"))
    if as_of() < plan_start():  # e.g. from a link: said, and nothing re-planned from it
        st.error(t("ac_as_of_before_start", date=as_of().isoformat(), start=plan_start().isoformat(),
                   quarter=state.scenario().start.label))
    elif as_of() > date.today():
        st.info(t("ac_as_of_future", date=as_of().isoformat(), today=date.today().isoformat()))
    dbdata.link()  # single-user: the database's record of these data, when it holds them
    ds, regions = state.dataset(), state.focus_regions()
    approved = dbdata.approved()
    if approved is not None:  # the reviewer compares against the plan the city adopted, not today's settings
        plan = approved.plan
        st.info(t("ac_against_approved", plan=approved.label()))
    else:
        plan = state.current_plan().plan
    _review(ds, plan, regions)
    _record(ds, plan, regions)
    _downloads(plan)
    _replan_section()
    urlsync.sync()


render()
