"""The one-page brief (PDF) of the plan for the region in focus (``planner.reports.brief.brief_pdf``), on request.
The marginal values the 截止检查 page has computed for the same data, settings and region are handed over, so
the brief does not solve them again."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from views import analyses, state, tasks
from views.i18n import lang, t


def computed_marginal(plan) -> list | None:
    """The marginal values already computed for ``plan``'s settings and the region in focus, else None."""
    ds, sc, regions = state.dataset(), plan.scenario, state.focus_regions()
    found = tasks.peek(analyses.key("marginal", sc, regions), len(analyses.parts(ds, sc, regions)))
    return None if found is None else [v for part in found for v in part]


@st.cache_data(max_entries=8, show_spinner=False)
def _brief(dkey: str, skey: str, code: str, region: str, _plan, _ds, _marginal) -> bytes:
    # imported when asked for: the brief brings Typst and the chart renderer
    from planner.reports.brief import brief_pdf
    return brief_pdf(_plan, _ds, lang=code, region=region or None, marginal=_marginal)


def brief_button(plan, key: str) -> None:
    """The brief of the region in focus, on request (it draws charts: a second or two)."""
    if plan is None:
        return
    from views import dbdata

    dbdata.link()  # single-user: the database's record of these data, when it holds them
    approved = dbdata.approved()  # the brief of the plan the city adopted (定稿), when the data have one
    if approved is not None:
        plan = approved.plan
        st.caption(t("brief_of_approved", plan=approved.label()))
    region = state.focus()
    name = t("brief_file_name", name=state.shown_name(plan.scenario.name), region=region or t("focus_all"))
    ident = (state.data_key(), state.scenario_key(plan.scenario) + (f"|plan {approved.record.id}" if approved else ""),
             lang(), region)  # a brief of these only
    if st.button(t("brief_make", region=region or t("focus_all")), icon=":material/picture_as_pdf:",
                 key=f"brief_make_{key}"):
        try:
            with st.spinner(t("brief_making")):
                # the data the plan was solved on: the approved plan's frozen inputs, else the session's
                data = approved.dataset if approved is not None else state.solved_dataset(plan.scenario)[0]
                named = replace(plan, scenario=state.named_for_output(plan.scenario))  # no 「（已修改）」 in English
                st.session_state[f"brief_{key}"] = (ident, _brief(*ident, named, data, computed_marginal(plan)))
        except Exception as exc:  # noqa: BLE001
            state.engine_failure(exc)
    made = st.session_state.get(f"brief_{key}")
    if made and made[0] == ident:
        st.download_button(t("brief_download"), data=made[1], file_name=name, mime="application/pdf",
                           icon=":material/download:", key=f"brief_dl_{key}")
