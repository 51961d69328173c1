"""A page the URL names but the app does not have: say so in the current language and offer the overview."""

import streamlit as st

from views.i18n import t

st.title(t("not_found_title"))
st.info(t("not_found_text"))
st.page_link("views/overview.py", label=t("nav_overview"), icon=":material/dashboard:")
