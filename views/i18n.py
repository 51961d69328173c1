"""The app's language: the sidebar switch and ``t()``, over the one table in ``planner.i18n``."""

from __future__ import annotations

import streamlit as st

from planner.i18n import LANGS, TEXT, text

__all__ = ["LANGS", "TEXT", "lang", "t", "language_switch"]


def lang() -> str:
    value = st.session_state.get("lang", "zh")
    return value if value in LANGS else "zh"


def t(key: str, **fmt: object) -> str:
    """The label for ``key`` in the current language, formatted with ``fmt``; the key itself if unknown."""
    return text(key, lang(), **fmt)


def language_switch() -> None:
    """The sidebar switch; Chinese by default."""
    if "lang" not in st.session_state:
        st.session_state.lang = "zh"
    with st.sidebar:
        st.markdown(f"### {t('app_title')}")
        st.segmented_control(t("lang_label"), list(LANGS), key="lang", required=True,
                             format_func=lambda code: {"zh": "中文", "en": "English"}[code])
