"""计量能力缺口规划器 — the Streamlit app: navigation only. Run with ``make run``."""

import streamlit as st

from views import state
from views.i18n import language_switch, t

st.set_page_config(page_title="计量能力缺口规划器", page_icon="⚖️", layout="wide")
state.init()
language_switch()

PAGES = [
    ("views/overview.py", "nav_overview", "overview", ":material/dashboard:"),
    ("views/data.py", "nav_data", "data", ":material/table_edit:"),
    ("views/scenario.py", "nav_scenario", "scenario", ":material/tune:"),
    ("views/plan.py", "nav_plan", "plan", ":material/calendar_month:"),
    ("views/deadlines.py", "nav_deadlines", "deadlines", ":material/fact_check:"),
    ("views/compare.py", "nav_compare", "compare", ":material/compare_arrows:"),
    ("views/export.py", "nav_export", "export", ":material/download:"),
]
pages = [st.Page(path, title=t(key), url_path=url, icon=icon, default=(url == "overview"))
         for path, key, url, icon in PAGES]
state.sidebar_status()
st.navigation(pages).run()
