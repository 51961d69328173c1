"""导出: download the plan workbook (the engine's writer), the current data workbook and the scenario file."""

import streamlit as st

from planner.io.scenario import scenario_toml
from views import charts, state
from views.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    st.title(t("export_title"))
    st.caption(t("export_intro"))
    outcome = state.current_plan()
    plan = outcome.plan
    if plan is not None:  # otherwise current_plan has said why
        s = charts.plan_summary(plan)
        st.markdown(t("export_plan_summary", name=plan.scenario.name, on_time=s["on_time"], gaps=s["gaps"],
                      cost=s["cost"]))
        if not outcome.fresh:
            st.warning(t("export_last_good"))
        data = state.plan_workbook(plan)
        if data is not None:
            st.download_button(t("export_plan_button"), data=data,
                               file_name=t("plan_file_name", name=plan.scenario.name), mime=XLSX,
                               type="primary", icon=":material/download:", key="dl_plan")
            st.caption(t("export_plan_caption"))
    st.divider()
    st.download_button(t("download_data"), data=state.data_workbook_bytes(), file_name=t("data_file_name"),
                       mime=XLSX, icon=":material/table:", key="dl_data")
    st.download_button(t("export_scenario_button"), data=scenario_toml(state.scenario()).encode("utf-8"),
                       file_name=f"{state.scenario().name}.toml", mime="application/toml",
                       icon=":material/description:", key="dl_scenario")
    st.caption(t("export_scenario_caption"))


render()
