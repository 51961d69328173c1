"""The app's language: the sidebar switch and ``t()``, over the one table in ``planner.i18n``.

Streamlit draws a few strings of its own in English (the file uploader's button and size line, the empty
date field's yyyy-mm-dd). ``widget_strings()`` replaces them in the current language with a style sheet:
Streamlit has no setting for them.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from planner.i18n import LANGS, TEXT, text

__all__ = ["LANGS", "TEXT", "lang", "t", "language_switch", "lang_keyed", "pick_language", "widget_strings",
           "browser_strings"]

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
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{ white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }}
[data-testid="stButton"] button p {{ white-space: normal; }}
[data-testid="stDateInput"] [data-placeholder="true"] {{ font-size: 0; }}
[data-testid="stDateInput"] [data-placeholder="true"][data-type="year"]::after {{ content: {_css_text(year)};
  font-size: 0.9rem; }}
[data-testid="stDateInput"] [data-placeholder="true"][data-type="month"]::after {{ content: {_css_text(month)};
  font-size: 0.9rem; }}
[data-testid="stDateInput"] [data-placeholder="true"][data-type="day"]::after {{ content: {_css_text(day)};
  font-size: 0.9rem; }}
</style>""")


# Streamlit's own English in the browser (its front end has no translations): the exact texts, tooltips,
# labels and placeholders it draws, and the messages it builds around a value. Searched in Streamlit 1.67's
# static bundle (InputInstructions, NumberInput, FileUploader, Selectbox, Multiselect, DataFrame toolbar).
STREAMLIT_EXACT = {
    "No results": "无匹配结果",
    "Show/hide columns": "显示/隐藏列",
    "Download as CSV": "下载为 CSV",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Choose options": "请选择",
    "Choose an option": "请选择",
    "Clear all": "全部清除",
    "Clear selection": "清除选择",
    "Select all": "全选",
    "Press Enter to apply": "按回车键应用",
    "Press Enter to submit form": "按回车键提交",
    "Press Ctrl+Enter to apply": "按 Ctrl+回车键应用",
    "Press ⌘+Enter to apply": "按 ⌘+回车键应用",
    "Number is below the allowed range.": "数值低于允许范围。",
    "Number is above the allowed range.": "数值高于允许范围。",
}
STREAMLIT_PATTERNS = [  # (regular expression, replacement with $1 …)
    (r"^(?:Error: )?Number is outside the allowed range\. Please enter a value between (.+) and (.+)\.$",
     "数值超出允许范围，请输入 $1 到 $2 之间的数。"),
    (r"^(?:Error: )?Number is below the allowed range\. Please enter a value greater than or equal to (.+)\.$",
     "数值低于允许范围，请输入不小于 $1 的数。"),
    (r"^(?:Error: )?Number is above the allowed range\. Please enter a value less than or equal to (.+)\.$",
     "数值高于允许范围，请输入不大于 $1 的数。"),
    (r"^(?:Error: )?(.*) files are not allowed\.$", "不支持该类文件（$1），请上传 .xlsx 工作簿。"),
    (r"^Help for (.+)$", "$1：说明"),  # the help icon's label, read aloud by screen readers
]

_BROWSER_SCRIPT = r"""<script>
(function () {
  const w = window.parent && window.parent.document ? window.parent : window;
  w.__plannerStrings = %s;
  if (w.__plannerStringsOn) { w.__plannerStringsOn(w.document.body); return; }
  const ATTRS = ["aria-label", "title", "placeholder"];
  function swap(text) {
    const d = w.__plannerStrings;
    if (!d || !text) return null;
    const key = text.trim();
    if (Object.prototype.hasOwnProperty.call(d.exact, key)) return text.replace(key, d.exact[key]);
    for (const [source, into] of d.patterns) {
      const m = key.match(new RegExp(source));
      if (m) return into.replace(/\$(\d)/g, (_, i) => m[Number(i)] || "");
    }
    return null;
  }
  function one(node) {  // a text node's text, or an element's own attributes
    if (node.nodeType === 3) {
      const out = swap(node.nodeValue);
      if (out !== null && out !== node.nodeValue) node.nodeValue = out;
    } else if (node.nodeType === 1) {
      for (const a of ATTRS) {
        if (node.hasAttribute(a)) {
          const out = swap(node.getAttribute(a));
          if (out !== null && out !== node.getAttribute(a)) node.setAttribute(a, out);
        }
      }
    }
  }
  function fix(node) {  // a node and everything below it, each once
    if (!node) return;
    one(node);
    if (node.nodeType !== 1) return;
    const walker = w.document.createTreeWalker(node, 5);  // elements and text
    for (let n = walker.nextNode(); n; n = walker.nextNode()) one(n);
  }
  w.__plannerStringsOn = fix;
  new w.MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData" || r.type === "attributes") one(r.target);
      else r.addedNodes.forEach(fix);
    }
  }).observe(w.document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                                attributeFilter: ATTRS});
  fix(w.document.body);
  // 核查日期 and other date fields take a typed date on Enter, and on Tab from the last part of the date, as
  // they do when the field loses the focus (Streamlit applies a typed date only then)
  w.document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (!t || !t.closest || !t.closest('[data-testid="stDateInput"]')) return;
    const last = t.getAttribute && t.getAttribute("data-type") === "day";
    if (e.key === "Enter" || (e.key === "Tab" && !e.shiftKey && last)) {
      e.preventDefault();
      e.stopPropagation();
      // as a click elsewhere does: the field's picker state closed (Escape), then the focus leaves
      t.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
      setTimeout(() => t.blur(), 50);
    }
  }, true);
})();
</script>"""


def browser_strings() -> None:
    """Translate Streamlit's own English strings in the browser when the app speaks Chinese (a small script
    rewriting those texts, tooltips and placeholders as they appear), and let Enter apply a typed date."""
    table = ({"exact": STREAMLIT_EXACT, "patterns": STREAMLIT_PATTERNS} if lang() == "zh"
             else {"exact": {}, "patterns": []})
    with st.sidebar:
        st.html(_BROWSER_SCRIPT % json.dumps(table, ensure_ascii=False), unsafe_allow_javascript=True)
