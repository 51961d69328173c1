"""The sidebar around every page: the region in focus, what data and settings are shown, undo."""

from __future__ import annotations

import streamlit as st

from planner.analysis.focus import region_tree
from views import state
from views.i18n import t

SS = st.session_state


def _undo() -> None:
    label = state.undo()
    if label:
        state.notify(t("undone", what=t(label)), "toast")


def _all_regions() -> None:
    SS.focus = ""


def draw() -> None:
    nodes = region_tree(state.dataset())
    options = [""] + [n.name for n in nodes]
    if SS.get("focus", "") not in options:  # the data changed under the focus
        SS.focus = ""
    # a tree: each level indented under the one above. The labels are the same in both languages: the browser
    # keeps a selection by its label, so a label that changed with the language would lose the focus.
    labels = {"": t("focus_all"), **{n.name: ("\u3000" * (n.depth - 1) + "└ " if n.depth else "") + n.name
                                     for n in nodes}}
    with st.sidebar:
        st.selectbox(t("focus_label"), options, key="focus", format_func=labels.__getitem__, help=t("focus_help"))
        if state.focus():
            st.button(t("focus_clear"), on_click=_all_regions, icon=":material/zoom_out_map:", key="focus_clear")
        st.caption(t("sidebar_data", source=state.source_label()))
        st.caption(t("sidebar_scenario", name=state.shown_name(SS.scenario.name)))
        st.button(t("undo_button"), on_click=_undo, disabled=not state.can_undo(), icon=":material/undo:",
                  key="undo", help=t("undo_help"))
        st.caption(t("assumption_note"))


def focus_banner() -> None:
    """Under a page title: which region the page shows, and the way back to every region."""
    region = state.focus()
    if not region:
        return
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.info(t("focus_banner", region=region), icon=":material/filter_alt:")
    right.button(t("focus_clear"), on_click=_all_regions, icon=":material/zoom_out_map:", key="focus_clear_page")
