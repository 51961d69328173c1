"""The existing pages in the city deployment (issue 18): 情景 saves per user in the database in multi-user mode
(never a file in the checkout) and refuses what cannot be read back in single-user mode; 实际完成 records
through the service layer as events; 实际完成, 截止检查 and the brief compare against the approved plan (定稿)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_app_city
from tests.storage_fixtures import postgres_server  # noqa: F401 - fixture
from tests.test_app import _button, copy_scenarios
from tests.test_app_city import NAME, _clean, _login, _texts  # noqa: F401

city = test_app_city.city  # the fixture: Nantong imported, four accounts (SQLite and PostgreSQL)


@pytest.fixture
def scenario_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = copy_scenarios(tmp_path / "scenarios")
    monkeypatch.setenv("PLANNER_SCENARIOS", str(folder))
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    return folder


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_multiuser_scenario_saves_go_to_the_account_not_the_checkout(city, scenario_dir, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    before = _files(scenario_dir)
    at = _login("city")
    at.switch_page("views/scenario.py").run()
    _clean(at)
    at.text_input(key="sc_save_name").input("城市方案")
    _button(at, "保存情景").click().run()
    _clean(at)
    assert "已保存到您的账户" in _texts(at)
    assert _files(scenario_dir) == before  # no file written
    assert "城市方案" in city.saved_scenarios(city.actor(city.login("city", "correct horse battery")))
    # a reviewer may not save settings: the service's refusal is shown, nothing written anywhere
    rev = _login("rev")
    rev.switch_page("views/scenario.py").run()
    rev.text_input(key="sc_save_name").input("审核方案")
    _button(rev, "保存情景").click().run()
    _clean(rev)
    assert "无权保存情景" in "\n".join(str(e.value) for e in rev.error)
    assert _files(scenario_dir) == before


@pytest.mark.parametrize("description", ["第一行\x07响铃", "a\tb", "\u202e反转"])
def test_single_user_refuses_a_description_that_cannot_be_read_back(scenario_dir, description, monkeypatch):
    monkeypatch.delenv("PLANNER_MULTIUSER", raising=False)
    before = _files(scenario_dir)
    at = _login(None)
    at.switch_page("views/scenario.py").run()
    at.text_input(key="sc_save_name").input("bell")
    at.text_input(key="sc_save_description").input(description)
    _button(at, "保存情景").click().run()
    _clean(at)
    assert "说明不能包含控制字符" in "\n".join(str(e.value) for e in at.error)
    assert _files(scenario_dir) == before
