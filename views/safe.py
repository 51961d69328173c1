"""Values from outside (the URL's query string) as the app may use and show them.

A link is written by anyone: every parameter is checked against an allow-list before it is used, and any
text quoted back to the visitor is shown literally — Streamlit renders ``st.warning``/``st.caption`` text as
markdown, so ``[点此重新登录](http://…)`` or ``![x](http://…)`` would otherwise become a link or make the browser
fetch an outside address.
"""

from __future__ import annotations

import re
import string
import unicodedata

QUOTE_MOST = 40  # characters of an outside value quoted back in a message
NAME = re.compile(r"[\w\-\u4e00-\u9fff（）]{1,80}")  # scenario stems and names the app writes itself
DATA_KEY = re.compile(r"[0-9a-f]{16,64}")  # the store's content keys (hex)
_PUNCT = frozenset(string.punctuation)


def plain(value: object) -> str:
    """``value`` as literal text inside markdown: every ASCII punctuation mark backslash-escaped (CommonMark
    renders an escaped mark as itself, so no link, image, emphasis, HTML, emoji code or colour directive
    survives), line breaks and other control characters removed."""
    out = []
    for ch in str(value):
        if unicodedata.category(ch).startswith("C"):
            continue  # control, format (zero-width) and unassigned characters: never shown
        out.append("\\" + ch if ch in _PUNCT else ch)
    return "".join(out)


def cut(value: object, most: int = QUOTE_MOST) -> str:
    """An outside value as quoted back in a message: at most ``most`` characters (then …)."""
    text = str(value)
    return text[:most] + ("…" if len(text) > most else "")


def quoted(value: object, most: int = QUOTE_MOST) -> str:
    """An outside value quoted back inside markdown: cut and made literal."""
    return plain(cut(value, most))


def is_name(value: str) -> bool:
    """A scenario file stem or scenario name of the kind the app writes (no path, no markup)."""
    return bool(NAME.fullmatch(value or ""))


def is_data_key(value: str) -> bool:
    return bool(DATA_KEY.fullmatch(value or ""))
