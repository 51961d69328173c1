"""计量能力缺口规划器 — the Streamlit app: navigation and the frame around every page. Run with ``make run``."""

import streamlit as st

from views import dbdata, login, sidebar, state, urlsync
from views.i18n import browser_strings, language_switch, t, widget_strings

st.set_page_config(page_title="计量能力缺口规划器", page_icon="⚖️", layout="wide")
state.init()
urlsync.restore()
language_switch()
widget_strings()
login.gate()  # PLANNER_MULTIUSER=1: no page or sidebar is drawn before a login
dbdata.follow()  # multi-user mode: the data in use are the database's dataset (single-user: nothing opened)

PAGES = [
    ("views/overview.py", "nav_overview", "overview", ":material/dashboard:"),
    ("views/data.py", "nav_data", "data", ":material/table_edit:"),
    ("views/scenario.py", "nav_scenario", "scenario", ":material/tune:"),
    ("views/plan.py", "nav_plan", "plan", ":material/calendar_month:"),
    ("views/deadlines.py", "nav_deadlines", "deadlines", ":material/fact_check:"),
    ("views/actuals.py", "nav_actuals", "actuals", ":material/task_alt:"),
    ("views/compare.py", "nav_compare", "compare", ":material/compare_arrows:"),
    ("views/export.py", "nav_export", "export", ":material/download:"),
    ("views/audit.py", "nav_audit", "audit", ":material/history:"),
    ("views/approve.py", "nav_approve", "approve", ":material/verified:"),
]
pages = [st.Page(path, title=t(key), url_path=url, icon=icon, default=(url == "overview"))
         for path, key, url, icon in PAGES]


def _requested_page() -> str:
    """The page name in the URL; Streamlit answers an unknown one with an English dialog, so the app
    answers it itself (a hidden page under that name)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return (ctx.pages_manager.intended_page_name or "") if ctx is not None else ""
    except Exception:  # noqa: BLE001 - an internal that may move: then Streamlit's own dialog shows
        return ""


wanted = _requested_page()
if wanted and wanted not in {p.url_path for p in pages} and "/" not in wanted:
    pages.append(st.Page("views/not_found.py", title=t("nav_not_found"), url_path=wanted, visibility="hidden"))
sidebar.draw()
browser_strings()
state.show_notices()
st.navigation(pages).run()
urlsync.sync()
