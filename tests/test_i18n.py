"""One translation table: every label the pages ask for exists in Chinese and English, with the same fields;
every page renders in each language, and the Chinese pages carry no English sentence (Streamlit's own
strings included)."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from views.i18n import MAX_UPLOAD_MB, TEXT, pick_language

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]
PAGES = ["views/overview.py", "views/data.py", "views/scenario.py", "views/plan.py", "views/deadlines.py",
         "views/actuals.py", "views/compare.py", "views/export.py"]

# Terms of art and sheet names an English reader still needs to recognise in the workbook and the source.
KEPT_IN_CHINESE = ("万元", "示例假设", "假设情景", "配置到位", "通政发〔2023〕17号", "语言", "项目", "地区", "能力矩阵",
                   "预算", "公布数", "实际完成", "文号", "目标", "示例", "合计")
# English a Chinese page may show: file and scenario names, units, codes.
ALLOWED_ENGLISH = {"xlsx", "toml", "what", "scenarios", "Language", "English", "YYYY"}


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
        used |= set(re.findall(r"\bt(?:_zh|_en)?\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert used, "no labels found: the pattern is wrong"
    missing = sorted(k for k in used if k not in TEXT)
    assert not missing, missing


def test_upload_limit_is_the_one_the_uploader_states():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_bilingual_descriptions_show_one_language():
    text = "预算紧张：各县预算为基准的 50%，软截止 / tight: 50 % of the baseline budgets, soft deadlines"
    assert pick_language(text, "zh") == "预算紧张：各县预算为基准的 50%，软截止"
    assert pick_language(text, "en") == "tight: 50 % of the baseline budgets, soft deadlines"
    assert pick_language("只有中文", "en") == "只有中文"
    two = "预算表缺少 海安 2028 / budgets missing: 海安 2028\n求解在时限内停止 / stopped at the time limit"
    assert pick_language(two, "en") == "budgets missing: 海安 2028\nstopped at the time limit"


def _visible(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error",
                                  "success") for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [b.label for b in at.button] + [w.label for w in at.selectbox]
    parts += [" ".join(map(str, d.value.columns)) for d in at.dataframe]
    return "\n".join(str(p) for p in parts)


def test_every_page_renders_in_both_languages_without_leaks():
    """Visit every page in Chinese, then in English: no exception; Chinese pages show no English sentence
    (beyond names and units), English titles have no Chinese."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        words = {w for w in re.findall(r"(?<![\w/.])[A-Za-z]{4,}(?![\w/.])", _visible(at))} - ALLOWED_ENGLISH
        assert not words, (page, sorted(words))
        css = "\n".join(str(getattr(h, "proto", h)) for h in at.get("html"))
        assert "选择文件" in css or page != "views/data.py"  # the uploader's own strings, in Chinese
    at.session_state["lang"] = "en"
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        titles = [t.value for t in at.title]
        assert titles and not any(re.search(r"[\u4e00-\u9fff]", t) for t in titles), (page, titles)
