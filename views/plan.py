"""计划: the schedule as a Gantt chart, spending per county-year against the budget (with roll-ups per city and
province), the schedule table, for the region in focus or every region."""

from dataclasses import replace

import streamlit as st

from views import charts, state
from views.i18n import t
from views.sidebar import focus_banner


def render() -> None:
    st.title(t("plan_title"))
    focus_banner()
    outcome = state.current_plan()
    plan = state.focused_plan(outcome.plan)
    if plan is None:  # current_plan has said why
        return
    ds = state.dataset()
    sc = plan.scenario
    st.caption(t("plan_intro", name=state.shown_name(sc.name), start=sc.start.label, end=sc.horizon_end.label,
                 mode=t(f"mode_deadline_{sc.deadline_mode.value}")))
    s = charts.plan_summary(plan)
    charts.headline(s)

    st.subheader(t("gantt_title"))
    st.caption(t("gantt_caption"))
    st.caption(charts.summary_line(s))
    if plan.schedule:
        st.altair_chart(charts.gantt(plan, ds), width="stretch")
    else:
        st.info(t("no_named_gaps", region=state.focus()))

    st.subheader(t("spending_title"))
    st.caption(t("spending_caption"))
    if plan.spending:
        st.altair_chart(charts.spending_chart(plan, state.focused_dataset()), width="content")
        with st.expander(t("spending_table")):  # a roll-up row per city and province, after its regions
            rows = state.with_rollups(plan.spending)
            st.dataframe(charts.spending_frame(replace(plan, spending=rows)), hide_index=True, placeholder="—",
                         height=charts.table_height(len(rows)))
            if state.has_rollups():
                st.caption(t("rollup_note"))

    st.subheader(t("schedule_title"))
    st.dataframe(charts.schedule_frame(plan, ds), hide_index=True, placeholder="—")


render()
