"""The app's language: the sidebar switch and ``t()``, over the one table in ``planner.i18n``.

Streamlit draws a few strings of its own in English (the file uploader's button and size line, the empty
date field's yyyy-mm-dd). ``widget_strings()`` replaces them in the current language with a style sheet:
Streamlit has no setting for them.
"""

from __future__ import annotations

import re

import streamlit as st

from planner.i18n import LANGS, TEXT, text

__all__ = ["LANGS", "TEXT", "lang", "t", "language_switch", "lang_keyed", "pick_language", "widget_strings"]

MAX_UPLOAD_MB = 20  # .streamlit/config.toml server.maxUploadSize: keep the two equal (a test checks it)


def lang() -> str:
    value = st.session_state.get("lang", "zh")
    return value if value in LANGS else "zh"


def t(key: str, **fmt: object) -> str:
    """The label for ``key`` in the current language, formatted with ``fmt``; the key itself if unknown."""
    return text(key, lang(), **fmt)


LANG_KEYED = "lang_keyed"  # session key: the widgets whose option labels are in the current language


def lang_keyed(key: str) -> str:
    """Register the key of a choice widget (radio, select box, multiselect) whose option labels are in the
    current language, and return it.

    Streamlit sends such a widget's value to the browser and back as the *label* shown: after the language
    switch the browser still holds the old language's label, finds it among none of the new options and falls
    back to the first option — the setting would change (an undo entry, a new solve) without anyone asking.
    The switch's callback therefore writes each registered value back under its own key, which makes
    Streamlit send the browser the label of the same value in the new language."""
    keys = st.session_state.setdefault(LANG_KEYED, set())
    keys.add(key)
    return key


def _keep_choices() -> None:
    """The language switch's callback: every registered choice keeps its value (see ``lang_keyed``)."""
    for key in sorted(st.session_state.get(LANG_KEYED, set())):
        if key in st.session_state:
            try:
                st.session_state[key] = st.session_state[key]
            except Exception:  # noqa: BLE001 - a widget Streamlit lets no one set: it keeps its own value
                continue


def language_switch() -> None:
    """The sidebar switch; Chinese by default. Switching changes no setting (``lang_keyed``)."""
    if st.session_state.get("lang") not in LANGS:
        st.session_state.lang = "zh"
    with st.sidebar:
        st.markdown(f"### {t('app_title')}")
        st.segmented_control(t("lang_label"), list(LANGS), key="lang", required=True, on_change=_keep_choices,
                             format_func=lambda code: {"zh": "中文", "en": "English"}[code])


_CJK = re.compile(r"[\u4e00-\u9fff]")


def pick_language(bilingual: str, code: str | None = None) -> str:
    """One language out of a "中文 / English" text (scenario descriptions are written so); the text as it
    is when it is not in that form."""
    code = code or lang()
    if "\n" in bilingual:  # e.g. solver notes: one bilingual sentence a line
        return "\n".join(pick_language(line, code) for line in bilingual.split("\n"))
    for m in re.finditer(r" / (?=[A-Za-z])", bilingual):
        zh, en = bilingual[: m.start()], bilingual[m.end():]
        if _CJK.search(zh) and len(_CJK.findall(en)) < len(en) / 8:
            return (en if code == "en" else zh).strip()
    return bilingual


def _css_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def widget_strings() -> None:
    """Streamlit's own English strings, in the current language (a style sheet; takes no space)."""
    size = t("upload_limit", mb=MAX_UPLOAD_MB)
    year, month, day = t("date_year"), t("date_month"), t("date_day")
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button p::after {{ content: {_css_text(t("upload_button"))};
  font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {_css_text(size)}; font-size: 0.875rem; }}
[data-testid="stFileUploader"]:has([data-testid="stFileChipIconError"])::after {{
  content: {_css_text(t("upload_too_big", mb=MAX_UPLOAD_MB))}; display: block; margin-top: 0.4rem;
  color: #C62828; font-size: 0.875rem; }}
[data-testid="stDateInput"] [data-placeholder="true"] {{ font-size: 0; }}
[data-testid="stDateInput"] [data-placeholder="true"][data-type="year"]::after {{ content: {_css_text(year)};
  font-size: 0.9rem; }}
[data-testid="stDateInput"] [data-placeholder="true"][data-type="month"]::after {{ content: {_css_text(month)};
  font-size: 0.9rem; }}
[data-testid="stDateInput"] [data-placeholder="true"][data-type="day"]::after {{ content: {_css_text(day)};
  font-size: 0.9rem; }}
</style>""")
