"""导出: the plan workbook and the one-page brief of the region in focus (or every region), the data workbook,
and the current settings as a scenario file that opens anywhere."""

import streamlit as st

from views import charts, state
from views.briefs import brief_button
from views.i18n import lang, t
from views.sidebar import focus_banner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    st.title(t("export_title"))
    st.caption(t("export_intro"))
    focus_banner()
    outcome = state.current_plan()
    plan = outcome.plan
    if plan is not None:  # otherwise current_plan has said why
        s = charts.plan_summary(state.focused_plan(plan))
        where = state.focus() or t("focus_all")
        name = state.shown_name(plan.scenario.name)
        st.markdown(t("export_plan_for", name=name, where=where) + " " + charts.summary_line(s))
        if not outcome.fresh:
            st.warning(t("export_last_good_settings", settings=state.settings_summary(plan.scenario)))
        data = state.plan_workbook(plan)
        if data is not None:
            suffix = f"_{state.focus()}" if state.focus() else ""
            st.download_button(t("export_plan_button"), data=data, file_name=t("plan_file_name", name=name + suffix),
                               mime=XLSX, type="primary", icon=":material/download:", key="dl_plan")
            st.caption(t("export_plan_caption"))
            if lang() != "zh" and not state.workbook_speaks(lang()):
                st.caption(t("export_plan_chinese_only"))
        brief_button(plan, "export")
    st.divider()
    st.download_button(t("download_data"), data=state.SS.wb_bytes, file_name=t("data_file_name"), mime=XLSX,
                       icon=":material/table:", key="dl_data")
    st.caption(t("export_data_caption", source=state.source_label()))
    sc = state.scenario()
    st.download_button(t("export_scenario_button"), data=state.exported_scenario(sc).encode("utf-8"),
                       file_name=f"{state.shown_name(sc.name)}.toml", mime="application/toml",
                       icon=":material/description:", key="dl_scenario")
    st.caption(t("export_scenario_caption_shipped") if state.SS.wb_source == "shipped"
               else t("export_scenario_caption_data", file=t("data_file_name")))


render()
