"""The language switch changes labels, never a setting (issue 17): on every page the scenario, the region in focus,
the undo history and the data stay as they were, and the choice widgets whose labels change with the language
tell the browser their value in the new language (the browser would otherwise fall back to the first option: it
keeps a choice by the label it shows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_app import _clean, _open
from tests.test_app_county import _download, downloads  # noqa: F401, F811 - a fixture

PAGES = ["views/overview.py", "views/data.py", "views/scenario.py", "views/plan.py", "views/deadlines.py",
         "views/actuals.py", "views/compare.py", "views/export.py"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    from views import state

    state.store.clear()


def _settings(at) -> tuple:
    ss = at.session_state
    return ss["scenario"], ss["focus"], len(ss["undo_stack"]), ss["wb_bytes"]


def _switch(at, code: str) -> None:
    at.get("button_group")[0].set_value(code).run()
    _clean(at)
    assert at.session_state["lang"] == code


@pytest.mark.parametrize("page", PAGES)
def test_switching_language_changes_no_setting(page: str) -> None:
    at = _open("views/scenario.py", query={"region": "通州"})
    at.radio(key="sc_w_mode").set_value("soft").run()
    at.radio(key="sc_w_objective").set_value("cheapest").run()
    at.slider(key="sc_w_mult").set_value(0.8).run()
    _clean(at)
    at.switch_page(page).run()
    _clean(at)
    before = _settings(at)
    assert before[0].deadline_mode.value == "soft" and before[0].objective.value == "cheapest"
    for code in ("en", "zh", "en"):
        _switch(at, code)
        assert _settings(at) == before, (page, code)


def test_the_scenario_radios_are_sent_in_the_new_language() -> None:
    at = _open("views/scenario.py")
    at.radio(key="sc_w_mode").set_value("soft").run()
    at.radio(key="sc_w_objective").set_value("cheapest").run()
    _switch(at, "en")
    mode, objective = at.radio(key="sc_w_mode"), at.radio(key="sc_w_objective")
    # the browser is told the value's new label (else it shows, and then sends, the first option)
    assert mode.proto.set_value and mode.proto.raw_value == "soft (lateness penalised)"
    assert objective.proto.set_value and objective.proto.raw_value == objective.options[1] != objective.options[0]
    assert at.session_state["scenario"].deadline_mode.value == "soft"


def _script(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html") if "__plannerStrings" in str(h.proto.body))


def test_streamlits_own_english_is_translated_in_chinese_only() -> None:
    from views.i18n import STREAMLIT_EXACT

    at = _open("views/compare.py")
    script = _script(at)
    for english in ("No results", "Show/hide columns", "Download as CSV", "Search", "Fullscreen",
                    "Press Enter to apply", "Press Enter to submit form", "Choose options"):
        assert english in STREAMLIT_EXACT and STREAMLIT_EXACT[english] in script, english
    assert "allowed range" in script and "files are not allowed" in script
    assert at.multiselect(key="cmp_pick").proto.placeholder == "请选择"
    _switch(at, "en")
    assert "显示/隐藏列" not in _script(at) and _script(at)  # English: the script stays, with nothing to change


def test_english_outputs_never_say_modified_in_chinese(downloads) -> None:  # noqa: F811 - the fixture
    at = _open("views/scenario.py", lang="en")
    at.slider(key="sc_w_mult").set_value(0.8).run()
    assert at.session_state["scenario"].name.endswith("（已修改）")  # the session's own mark
    at.switch_page("views/export.py").run()
    _clean(at)
    text = _download(at, downloads, "Download the current scenario (.toml)").decode("utf-8")
    assert "已修改" not in text and 'name = "nantong_baseline (modified)"' in text


def test_the_english_brief_names_a_changed_scenario_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.reports.brief
    from views import briefs

    names = []

    def brief_pdf(plan, dataset, *, lang="zh", region=None, marginal=None, generated_on=None):
        names.append((lang, plan.scenario.name))
        return b"%PDF-1.7 brief"

    monkeypatch.setattr(planner.reports.brief, "brief_pdf", brief_pdf)
    briefs._brief.clear()
    at = _open("views/scenario.py", lang="en")
    at.slider(key="sc_w_mult").set_value(1.2).run()  # feasible: the brief is of these settings
    at.switch_page("views/export.py").run()
    next(b for b in at.button if b.key == "brief_make_export").click().run()
    _clean(at)
    assert names == [("en", "nantong_baseline (modified)")]
