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


# ------------------------------------------------------------------------------------------ 实际完成: events

DATE, NO, SOURCE = "实际完成日期", "文号", "来源"


def _edit(at, rows: dict[int, dict], reason: str = "") -> None:
    version = at.session_state["editor_version"] if "editor_version" in at.session_state else 0
    if reason:
        at.text_input(key="ac_reason").input(reason)
    at.session_state[f"ed_actuals_{version}"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    _button(at, "应用修改").click().run()
    _clean(at)


def test_single_user_records_an_actual_as_an_event_of_the_local_admin(tmp_path, monkeypatch):
    from planner.service import Service
    from planner.storage.db import database_url

    monkeypatch.delenv("PLANNER_MULTIUSER", raising=False)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    at = _login(None)
    at.switch_page("views/actuals.py").run()
    _clean(at)
    region = at.data_editor[0].value["地区"].iloc[0]
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())  # started at once, no db
    _edit(at, {0: {DATE: "2024-10-08", NO: "通市监〔2024〕12号", SOURCE: "建标考核证书"}}, reason="年度核查")
    assert "已应用「实际完成」中的" in "\n".join(str(s.value) for s in at.success)
    assert at.session_state["wb_source"] == "database"  # the page now shows the database's derived state
    svc = Service(url=database_url())
    local = svc.local_admin()
    [event] = svc.history(local, svc.dataset_names(local)[0], kind="actual")
    assert (event["author"], event["region"], event["evidence_no"], event["evidence_source"], event["reason"]) == (
        "local", region, "通市监〔2024〕12号", "建标考核证书", "年度核查")
    assert event["new"]["date"] == "2024-10-08"
    grid = at.data_editor[0].value  # 文号 and 来源 shown apart, from the events
    assert (grid[NO].iloc[0], grid[SOURCE].iloc[0]) == ("通市监〔2024〕12号", "建标考核证书")
    # the page's link, reloaded: the same dataset goes on (never a second copy of the data in the database)
    from tests.test_app import _open

    again = _open("views/actuals.py", query={"data": at.session_state["wb_key"]})
    assert again.data_editor[0].value[NO].iloc[0] == "通市监〔2024〕12号"
    _edit(again, {1: {DATE: "2024-11-11"}})
    assert len(svc.dataset_names(local)) == 1
    assert len(svc.history(local, svc.dataset_names(local)[0], kind="actual")) == 2


def test_two_officials_on_one_county_in_the_actuals_page_get_the_version_check(city, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    one, two = _login("haian"), _login("haian2")
    for at in (one, two):
        at.switch_page("views/actuals.py").run()
        _clean(at)
        assert at.session_state["wb_source"] == "database"
    _edit(one, {0: {DATE: "2024-05-06", NO: "海市监〔2024〕1号"}})
    _edit(two, {0: {DATE: "2024-07-08", NO: "海市监〔2024〕2号"}})
    assert "已应用" in "\n".join(str(s.value) for s in one.success)
    errors = "\n".join(str(e.value) for e in two.error)
    assert "请刷新" in errors and "haian" in errors
    admin = city.local_admin()
    events = city.history(admin, NAME, kind="actual")
    assert [(e["author"], e["evidence_no"]) for e in events] == [("haian", "海市监〔2024〕1号")]  # never two copies
    assert two.data_editor[0].value[NO].iloc[0] == "海市监〔2024〕1号"  # the second now sees the first's record


# --------------------------------------------------------------------------------------- the approved plan

def _approve_tight(svc) -> int:
    """The city planner approves the plan of the tight scenario (some gaps planned late)."""
    from planner.io.scenario import load_scenario
    from planner.model.solve import solve

    planner = svc.actor(svc.login("city", "correct horse battery"))
    ds, version = svc.dataset(planner, NAME)
    root = Path(__file__).resolve().parent.parent
    plan = solve(ds, load_scenario(root / "scenarios" / "nantong_tight.toml"))
    assert any(not g.on_time for g in plan.schedule)
    record = svc.approve(planner, svc.save_draft(planner, NAME, plan, version))
    return record.id


def test_the_reviewer_compares_actuals_and_deadlines_against_the_approved_plan(city, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    rev = _login("rev")
    rev.switch_page("views/actuals.py").run()
    _clean(rev)
    planned_now = sum(int(r) for r in rev.dataframe[0].value["计划按期"] if str(r).isdigit())
    plan_id = _approve_tight(city)
    rev = _login("rev")
    rev.switch_page("views/actuals.py").run()
    _clean(rev)
    shown = _texts(rev)
    assert f"计划与实际对比的是定稿计划 {plan_id}（" in shown and "由 city 定稿" in shown
    planned_approved = sum(int(r) for r in rev.dataframe[0].value["计划按期"] if str(r).isdigit())
    assert planned_approved < planned_now  # the approved (tight) plan, not today's baseline settings
    assert "草稿" in shown  # a re-plan from the date is a draft until approved
    assert "审核员只读" in shown and not [b for b in rev.button if b.label == "应用修改"]  # records nothing
    rev.switch_page("views/deadlines.py").run()
    _clean(rev)
    assert f"下表是定稿计划 {plan_id}（" in _texts(rev)
    rev.switch_page("views/export.py").run()
    _clean(rev)
    assert f"简报对应定稿计划 {plan_id}（" in _texts(rev)


def test_single_user_compares_against_the_approved_plan_of_the_data_in_use(city, monkeypatch):
    """The database holds the shipped workbook (imported from the same bytes) with an approved plan: the
    single-user desk tool shows the database's record of these data and compares against that plan."""
    monkeypatch.delenv("PLANNER_MULTIUSER", raising=False)
    plan_id = _approve_tight(city)
    at = _login(None)
    at.switch_page("views/actuals.py").run()
    _clean(at)
    assert f"计划与实际对比的是定稿计划 {plan_id}（" in _texts(at) and at.session_state["wb_source"] == "database"
    at.switch_page("views/deadlines.py").run()
    _clean(at)
    assert f"下表是定稿计划 {plan_id}（" in _texts(at)
