"""The one-page brief (PDF) of the plan for the region in focus, when the reports have it
(``planner.reports.brief.brief_pdf``); the button is not drawn before that module exists."""

from __future__ import annotations

import streamlit as st

from views import state
from views.i18n import lang, t


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
    ident = (state.data_key(), state.scenario_key(plan.scenario), lang(), region)  # a brief of these only
    if st.button(t("brief_make", region=region or t("focus_all")), icon=":material/picture_as_pdf:",
                 key=f"brief_make_{key}"):
        try:
            with st.spinner(t("brief_making")):
                data, _ = state.solved_dataset(plan.scenario)  # the data the plan was solved on
                st.session_state[f"brief_{key}"] = (ident, _brief(*ident, plan, data))
        except Exception as exc:  # noqa: BLE001
            state.engine_failure(exc)
    made = st.session_state.get(f"brief_{key}")
    if made and made[0] == ident:
        st.download_button(t("brief_download"), data=made[1], file_name=name, mime="application/pdf",
                           icon=":material/download:", key=f"brief_dl_{key}")
