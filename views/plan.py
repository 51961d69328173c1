"""计划: the schedule as a Gantt chart, spending per county-year against the budget, the schedule table."""

import streamlit as st

from views import charts, state
from views.i18n import t


def render() -> None:
    st.title(t("plan_title"))
    outcome = state.current_plan()
    plan = outcome.plan
    if plan is None:  # current_plan has said why
        return
    ds = state.dataset()
    s = charts.plan_summary(plan)
    st.caption(t("plan_intro", name=plan.scenario.name, start=plan.scenario.start.label,
                 end=plan.scenario.horizon_end.label, mode=t(f"mode_deadline_{plan.scenario.deadline_mode.value}")))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(t("kpi_gaps"), s["gaps"])
    c2.metric(t("kpi_on_time"), f"{s['share']:.0%}", help=t("kpi_on_time_help", on_time=s["on_time"], gaps=s["gaps"]))
    c3.metric(t("kpi_late"), s["late"])
    c4.metric(t("kpi_unbuilt"), s["unbuilt"])
    c5.metric(t("kpi_cost"), f"{s['cost']:,.1f}", help=t("kpi_cost_help"))

    st.subheader(t("gantt_title"))
    st.caption(t("gantt_caption"))
    st.caption(t("gantt_summary", on_time=s["on_time"], gaps=s["gaps"], late=s["late"], unbuilt=s["unbuilt"],
                 cost=s["cost"]))
    st.altair_chart(charts.gantt(plan, ds), width="stretch")

    st.subheader(t("spending_title"))
    st.caption(t("spending_caption"))
    if plan.spending:
        st.altair_chart(charts.spending_chart(plan, ds), width="content")
        with st.expander(t("spending_table")):
            st.dataframe(charts.spending_frame(plan), hide_index=True)

    st.subheader(t("schedule_title"))
    st.dataframe(charts.schedule_frame(plan, ds), hide_index=True)


render()
