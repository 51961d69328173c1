"""Links written by anyone (issue 18): every URL parameter is checked against an allow-list and quoted back as
plain text, never markdown; ``?sc=`` opens only a file of the scenarios folder and never tells whether an outside
file exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_app import _clean, _open, _texts, copy_scenarios
from views.safe import plain, quoted

MARKUP = re.compile(r"(?<!\\)!?\[[^\]]*(?<!\\)\]\(|(?<![\\/])https?://|<img|<a ")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    from views import state

    state.store.clear()


def _shown(at) -> str:
    return "\n".join([_texts(at.warning), _texts(at.error), _texts(at.info), _texts(at.caption),
                      _texts(at.sidebar.caption), _texts(at.markdown)])


def test_plain_escapes_every_markdown_construct() -> None:
    assert plain("[点此重新登录](http://evil.example/x)") == r"\[点此重新登录\]\(http\:\/\/evil\.example\/x\)"
    assert plain("![x](http://e/i.png) :red[a] <b>\n**z**") == (
        r"\!\[x\]\(http\:\/\/e\/i\.png\) \:red\[a\] \<b\>\*\*z\*\*")
    assert quoted("x" * 100).endswith("x…") and len(quoted("x" * 100)) == 41


@pytest.mark.parametrize("param", ["region", "sc", "name", "provider", "b"])
def test_markup_in_a_link_is_shown_as_literal_text(param: str) -> None:
    evil = {"region": "[点此重新登录](http://evil.example/login)", "sc": "![x](http://evil.example/p.png)",
            "name": "![x](http://evil.example/p.png)", "provider": "[a](http://evil.example)",
            "b": "[a](http://evil.example)=5"}[param]
    at = _open(query={param: evil})
    _clean(at)
    shown = _shown(at)
    assert "evil" in shown  # the visitor is told what was ignored …
    assert not MARKUP.search(shown), shown  # … as text: no link, no image
    assert at.session_state["focus"] == "" and at.session_state["scenario"].name == "nantong_baseline"


def test_sc_opens_only_files_of_the_scenarios_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_scenarios(tmp_path / "scenarios")
    monkeypatch.setenv("PLANNER_SCENARIOS", str(folder))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.toml").write_text((folder / "nantong_tight.toml").read_text(encoding="utf-8"), encoding="utf-8")
    answers = {}
    for stem in ("../outside/x", str(outside / "x"), "../outside/missing", str(outside / "missing")):
        at = _open(query={"sc": stem})
        _clean(at)
        assert at.session_state["scenario"].name == "nantong_baseline", stem  # never the outside file
        answers[stem] = _texts(at.warning).replace(quoted(stem), "<stem>")
    assert len(set(answers.values())) == 1, answers  # an outside file that exists reads like one that does not
    at = _open(query={"sc": "nantong_tight"})  # a file of the folder still opens
    assert at.session_state["scenario"].name == "nantong_tight"


def test_a_malformed_data_key_is_not_looked_up() -> None:
    at = _open(query={"data": "../../etc/passwd"})
    _clean(at)
    assert "链接中的数据在本服务器上已不存在" in _texts(at.warning) and "passwd" not in _shown(at)
    assert at.session_state["wb_source"] == "shipped"
