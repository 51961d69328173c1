"""The city deployment in the app (AppTest): the login gate of multi-user mode, the 审计 page's history and
recording through the service layer (a county editor records only its own county, a reviewer records nothing,
two sessions on one county get the stale-version message), and the 定稿 page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from planner.service import Service
from planner.storage import accounts
from planner.storage.db import database_url
from tests.storage_fixtures import new_postgres_database, postgres_server  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PW = "correct horse battery"
NAME = "南通"


@pytest.fixture(params=["sqlite", "postgresql"])
def city(request, monkeypatch, tmp_path) -> Service:
    """A database with Nantong imported and four accounts: an SQLite file in a temporary data folder, or a new
    database on the test PostgreSQL server (``PLANNER_DB``)."""
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    if request.param == "postgresql":
        monkeypatch.setenv("PLANNER_DB", new_postgres_database(request.getfixturevalue("postgres_server")))
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    svc = Service(url=database_url())
    admin = svc.local_admin()
    svc.import_workbook(admin, NAME, (ROOT / "data" / "nantong_capabilities.xlsx").read_bytes())
    for user, role, scope in [("haian", "county_editor", "海安"), ("city", "city_planner", NAME),
                              ("rev", "reviewer", ""), ("haian2", "county_editor", "海安")]:
        svc.add_user(admin, user, PW, role, scope)
    return svc


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _login(user: str | None, multi: bool = True, monkeypatch=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    _clean(at)
    if user is not None:
        at.text_input[0].input(user)
        at.text_input[1].input(PW)
        next(b for b in at.button if b.label == "登录").click().run()
        _clean(at)
    return at


def _texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.text, *at.error, *at.info, *at.success, *at.caption])


def test_multiuser_shows_only_the_login_form(city, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    at = _login(None)
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert "概览" not in _texts(at) and not at.dataframe
    at.text_input[0].input("haian")
    at.text_input[1].input("wrong password!")
    next(b for b in at.button if b.label == "登录").click().run()
    _clean(at)
    assert "用户名或密码错误" in _texts(at)
    at.text_input[1].input(PW)
    next(b for b in at.button if b.label == "登录").click().run()
    _clean(at)
    assert "haian · 县级填报员 · 海安" in _texts(at)
    assert "用户名" not in [t.label for t in at.text_input]


def test_county_editor_records_its_own_county_with_evidence(city, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    at = _login("haian")
    at.switch_page("views/audit.py").run()
    _clean(at)
    region = at.selectbox(key="db_actual_region")
    assert region.options == ["海安"]  # only its own county is offered …
    item = city.dataset(city.local_admin(), NAME)[0].items[0].name
    at.selectbox(key="db_actual_item").set_value(item)
    at.text_input(key="db_actual_no").input("海市监〔2026〕3号")
    at.text_input(key="db_actual_source").input("建标考核证书")
    next(b for b in at.button if b.label == "保存").click().run()
    _clean(at)
    assert "已保存" in _texts(at)
    event = city.history(city.local_admin(), NAME, kind="actual")[0]
    assert (event["author"], event["region"], event["evidence_no"]) == ("haian", "海安", "海市监〔2026〕3号")
    # … and the service refuses another county whatever the page offers
    from planner.service import PermissionDenied

    haian = city.actor(city.login("haian", PW))
    with pytest.raises(PermissionDenied):
        city.record_actual(haian, NAME, "如皋", item, date.today(), city.dataset(haian, NAME)[1])


def test_reviewer_sees_the_history_and_records_no_data(city, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    at = _login("rev")
    at.switch_page("views/audit.py").run()
    _clean(at)
    assert at.dataframe and len(at.dataframe[0].value) > 100  # the import's events
    keys = {s.key for s in at.selectbox}
    assert "db_actual_region" not in keys and "db_matrix_region" not in keys and "db_remark_region" in keys
    # any version can be exported as a workbook
    at.number_input(key="db_export_version").set_value(1)
    at.button(key="db_export_make").click().run()
    _clean(at)
    assert at.session_state["db_export"][0] == 1 and at.session_state["db_export"][1][:2] == b"PK"


def test_two_sessions_same_county_get_the_stale_message(city, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    one, two = _login("haian"), _login("haian2")
    for at in (one, two):
        at.switch_page("views/audit.py").run()
        _clean(at)
    for at, state in ((one, "na"), (two, "lacks")):  # Nantong has no 不适用 cell: the first is a change
        at.selectbox(key="db_matrix_state").set_value(state)
        next(b for b in at.button if b.label == "保存" and "matrix" in str(b.form_id)).click().run()
        _clean(at)
    assert "已保存" in _texts(one)
    assert "请刷新" in _texts(two) and "haian" in _texts(two)


def test_single_user_mode_is_the_local_admin(city, monkeypatch):
    monkeypatch.delenv("PLANNER_MULTIUSER", raising=False)
    at = _login(None)
    assert "用户名" not in [t.label for t in at.text_input]
    at.switch_page("views/approve.py").run()
    _clean(at)
    assert "尚无定稿计划" in _texts(at)
    next(b for b in at.button if b.key == "db_plan_solve").click().run()
    _clean(at)
    drafts = [b for b in at.button if (b.key or "").startswith("db_approve_")]
    assert drafts
    drafts[0].click().run()
    _clean(at)
    assert "定稿计划" in _texts(at) and "local" in _texts(at) and at.dataframe
    # the settings saved to the account (the database, not a file), then solved from there
    at.text_input(key="db_scenario_title").input("我的基准")
    next(b for b in at.button if b.label == "保存情景").click().run()
    _clean(at)
    assert "我的基准" in city.saved_scenarios(city.local_admin())
    at.selectbox(key="db_plan_scenario").set_value("db:我的基准")
    at.button(key="db_plan_solve").click().run()
    _clean(at)
    assert len(city.plans(city.local_admin(), NAME)) == 2
    # the session's own settings were solved (the baseline: every gap on time), with the data's version
    record = city.approved_plan(city.local_admin(), NAME)
    assert 'name = "nantong_baseline"' in record.scenario_toml
    assert record.plan["schedule"] and all(g["on_time"] for g in record.plan["schedule"])


def test_single_sign_on_option_replaces_the_password_form(city, monkeypatch):
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    monkeypatch.setenv("PLANNER_AUTH", "oidc")
    at = _login(None)
    assert "没有 [auth] 配置" in _texts(at) and not at.text_input  # not configured: said, and no way in
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    at.run()
    _clean(at)
    assert [b.label for b in at.button] == ["单点登录"] and not at.text_input


def test_first_start_says_how_to_create_the_first_admin(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.setenv("PLANNER_MULTIUSER", "1")
    Service(url=database_url()).local_admin()  # single-user mode ran here before: its local admin is no account
    at = _login(None)
    assert "planner users add" in _texts(at) and "--role admin" in _texts(at)
