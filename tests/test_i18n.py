"""One translation table: every label the pages ask for exists in Chinese and English, with the same fields."""

from __future__ import annotations

import re
import string
from pathlib import Path

from views.i18n import TEXT

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]


# Terms of art and sheet names an English reader still needs to recognise in the workbook and the source.
KEPT_IN_CHINESE = ("万元", "示例假设", "假设情景", "配置到位", "通政发〔2023〕17号", "语言", "项目", "地区", "能力矩阵",
                   "预算", "公布数", "实际完成")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_fields():
    for key, (zh, en) in TEXT.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        rest = en
        for term in KEPT_IN_CHINESE:
            rest = rest.replace(term, "")
        assert not re.search(r"[\u4e00-\u9fff]", rest), f"{key}: Chinese left in English: {en}"


def test_every_literal_key_used_by_the_pages_exists():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert used, "no labels found: the pattern is wrong"
    missing = sorted(k for k in used if k not in TEXT)
    assert not missing, missing


PAGES = ["views/overview.py", "views/data.py", "views/scenario.py", "views/plan.py", "views/deadlines.py",
         "views/compare.py", "views/export.py"]


def test_every_page_renders_in_english():
    """Switch to English once, then visit every page: no exception, and every title is English."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        titles = [t.value for t in at.title]
        assert titles and not any(re.search(r"[\u4e00-\u9fff]", t) for t in titles), (page, titles)
