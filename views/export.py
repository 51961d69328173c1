"""导出: the plan workbook and the one-page brief of the region in focus (or every region), the data workbook,
and the current settings as a scenario file that opens anywhere."""

import streamlit as st

from views import charts, state
from views.i18n import lang, t
from views.sidebar import focus_banner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def brief_function():
    """The one-page brief when the reports have it (``planner.reports.brief.brief_pdf``), else None."""
    try:
        from planner.reports.brief import brief_pdf
    except ImportError:
        return None
    return brief_pdf


@st.cache_data(max_entries=8, show_spinner=False)
def _brief(dkey: str, skey: str, code: str, region: str, _plan, _ds) -> bytes:
    return brief_function()(_plan, _ds, lang=code, region=region or None)


def brief_button(plan, key: str) -> None:
    """The brief of the region in focus, on request (it draws charts: a second or two)."""
    if brief_function() is None or plan is None:
        return
    region = state.focus()
    name = t("brief_file_name", name=state.shown_name(plan.scenario.name), region=region or t("focus_all"))
    if st.button(t("brief_make", region=region or t("focus_all")), icon=":material/picture_as_pdf:",
                 key=f"brief_make_{key}"):
        try:
            with st.spinner(t("brief_making")):
                st.session_state[f"brief_{key}"] = _brief(state.data_key(), state.scenario_key(plan.scenario),
                                                          lang(), region, plan, state.dataset())
        except Exception as exc:  # noqa: BLE001
            state.engine_failure(exc)
    data = st.session_state.get(f"brief_{key}")
    if data:
        st.download_button(t("brief_download"), data=data, file_name=name, mime="application/pdf",
                           icon=":material/download:", key=f"brief_dl_{key}")


def render() -> None:
    st.title(t("export_title"))
    st.caption(t("export_intro"))
    focus_banner()
    outcome = state.current_plan()
    plan = outcome.plan
    if plan is not None:  # otherwise current_plan has said why
        s = charts.plan_summary(state.focused_plan(plan))
        where = state.focus() or t("focus_all")
        st.markdown(t("export_plan_for", name=state.shown_name(plan.scenario.name), where=where) + " " + charts.summary_line(s))
        if not outcome.fresh:
            st.warning(t("export_last_good_settings", settings=state.settings_summary(plan.scenario)))
        data = state.plan_workbook(plan)
        if data is not None:
            suffix = f"_{state.focus()}" if state.focus() else ""
            st.download_button(t("export_plan_button"), data=data,
                               file_name=t("plan_file_name", name=state.shown_name(plan.scenario.name) + suffix), mime=XLSX,
                               type="primary", icon=":material/download:", key="dl_plan")
            st.caption(t("export_plan_caption"))
        brief_button(plan, "export")
    st.divider()
    st.download_button(t("download_data"), data=state.SS.wb_bytes, file_name=t("data_file_name"), mime=XLSX,
                       icon=":material/table:", key="dl_data")
    st.caption(t("export_data_caption", source=state.source_label()))
    sc = state.scenario()
    st.download_button(t("export_scenario_button"), data=state.exported_scenario(sc).encode("utf-8"),
                       file_name=f"{state.shown_name(sc.name)}.toml", mime="application/toml", icon=":material/description:",
                       key="dl_scenario")
    st.caption(t("export_scenario_caption_shipped") if state.SS.wb_source == "shipped"
               else t("export_scenario_caption_data", file=t("data_file_name")))


render()
