"""Roles enforced in the service layer (not only in the app), accounts, sessions, rate limiting, saved scenarios."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.service import MAX_SAVED_SCENARIOS, PermissionDenied, Service
from planner.storage import accounts
from planner.storage.accounts import AuthError
from planner.storage.datasets import StaleEdit, StorageError, now
from tests.storage_fixtures import db_url, engine, postgres_server  # noqa: F401 - fixtures

NAME = "南通"
PW = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2id with the least work factors: the tests hash a dozen passwords; production keeps the defaults."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def svc(engine, repo_root):  # noqa: F811
    """A service with the Nantong dataset and one account per role (a county editor for 海安 and 如皋)."""
    service = Service(engine, migrate=False)
    admin = service.local_admin()
    service.import_workbook(admin, NAME, (repo_root / "data" / "nantong_capabilities.xlsx").read_bytes())
    for user, role, scope in [("haian", "county_editor", "海安"), ("rugao", "county_editor", "如皋"),
                              ("city", "city_planner", NAME), ("rev", "reviewer", ""), ("boss", "admin", ""),
                              ("other", "city_planner", "南京")]:
        service.add_user(admin, user, PW, role, scope)
    return service


def _as(svc: Service, user: str):
    return svc.actor(svc.login(user, PW))


def test_county_editor_changes_only_its_own_county(svc):
    haian = _as(svc, "haian")
    ds, v = svc.dataset(haian, NAME)
    item = ds.items[0].name
    v = svc.set_matrix(haian, NAME, "海安", item, "缺失", v, reason="标准器过期")
    with pytest.raises(PermissionDenied) as err:
        svc.set_matrix(haian, NAME, "如皋", item, "缺失", v)
    assert "无权" in err.value.messages[0].zh and "may not" in err.value.messages[0].en
    with pytest.raises(PermissionDenied):
        svc.set_budget(haian, NAME, "海安", 2025, 1.0, v)  # budgets are the city's
    v = svc.record_actual(haian, NAME, "海安", item, date.today() - timedelta(days=1), v,
                          evidence_no="海市监〔2026〕3号", evidence_source="建标考核证书")
    assert svc.history(haian, NAME, region="海安")[0]["author"] == "haian"


def test_reviewer_reads_and_remarks_but_changes_nothing(svc):
    rev = _as(svc, "rev")
    ds, v = svc.dataset(rev, NAME)
    for call in (lambda: svc.set_matrix(rev, NAME, "海安", ds.items[0].name, "已具备", v),
                 lambda: svc.set_budget(rev, NAME, "海安", 2025, 1.0, v),
                 lambda: svc.record_actual(rev, NAME, "海安", ds.items[0].name, date(2025, 1, 1), v),
                 lambda: svc.import_workbook(rev, NAME, svc.export(rev, NAME)),
                 lambda: svc.add_user(rev, "x", PW, "admin"),
                 lambda: svc.save_scenario(rev, "mine", "name = 'x'")):
        with pytest.raises(PermissionDenied):
            call()
    svc.remark(rev, NAME, "海安", "实际完成日期与证书一致")
    assert svc.dataset(rev, NAME)[1] > v  # the remark is in the history …
    assert svc.diff(rev, NAME, v) == []  # … and no data changed
    assert svc.history(rev, NAME, kind="remark")[0]["reason"] == "实际完成日期与证书一致"


def test_city_planner_scope_and_approval(svc, repo_root):
    from planner.io.scenario import load_scenario
    from planner.model.solve import solve

    city, other = _as(svc, "city"), _as(svc, "other")
    ds, v = svc.dataset(city, NAME)
    v = svc.set_budget(city, NAME, "如东", 2025, 99.0, v)
    with pytest.raises(PermissionDenied):
        svc.set_budget(other, NAME, "如东", 2025, 1.0, v)  # another city's planner
    plan = solve(ds, load_scenario(repo_root / "scenarios" / "nantong_baseline.toml"))
    draft = svc.save_draft(city, NAME, plan, v)
    with pytest.raises(PermissionDenied):
        svc.approve(_as(svc, "haian"), draft)
    with pytest.raises(PermissionDenied):
        svc.approve(other, draft)
    assert svc.approve(city, draft).approved_by == "city"
    assert svc.approved_plan(_as(svc, "rev"), NAME).id == draft


def test_targets_are_the_planners(svc):
    from planner.storage.datasets import Change

    city, haian = _as(svc, "city"), _as(svc, "haian")
    _, v = svc.dataset(city, NAME)
    target = {"id": "T1", "kind": "coverage", "scope": "海安", "by": "2025-12-31", "tier": "basic", "share": 0.9,
              "count": None, "level": None, "per_region": False, "include_higher": False, "hard": None,
              "source": "测试", "note": ""}
    with pytest.raises(PermissionDenied):
        svc.edit(haian, NAME, [Change("target", "海安", "T1", value=target)], v)
    v = svc.edit(city, NAME, [Change("target", "海安", "T1", value=target, reason="市局要求")], v)
    ds, _ = svc.dataset(city, NAME)
    assert [(t.id, t.share) for t in ds.targets] == [("T1", 0.9)]
    with pytest.raises(StorageError):  # the key's region and the target's scope must agree
        svc.edit(city, NAME, [Change("target", "如皋", "T1", value=target)], v)
    svc.edit(city, NAME, [Change("target", "海安", "T1", value=None)], v)
    assert svc.dataset(city, NAME)[0].targets == []


def test_only_admins_manage_accounts(svc):
    city, boss = _as(svc, "city"), _as(svc, "boss")
    with pytest.raises(PermissionDenied):
        svc.add_user(city, "newbie", PW, "reviewer")
    with pytest.raises(PermissionDenied):
        svc.list_users(city)
    svc.add_user(boss, "newbie", PW, "reviewer")
    assert "newbie" in {u["username"] for u in svc.list_users(boss)}
    assert all("hash" not in k for u in svc.list_users(boss) for k in u)
    svc.disable_user(boss, "newbie")
    with pytest.raises(AuthError):
        svc.login("newbie", PW)
    with pytest.raises(StorageError):
        svc.add_user(boss, "bad name!", PW, "reviewer")
    with pytest.raises(StorageError):
        svc.add_user(boss, "shorty", "short", "reviewer")
    with pytest.raises(StorageError):
        svc.add_user(boss, "nocounty", PW, "county_editor")


def test_single_sign_on_identity_needs_an_enabled_account(svc):
    boss = _as(svc, "boss")
    svc.add_user(boss, "li.ming@nantong.gov.cn", PW, "reviewer")
    assert svc.actor_for_identity("li.ming@nantong.gov.cn").role == "reviewer"
    for name in ("stranger@example.com", "local"):
        with pytest.raises(AuthError):
            svc.actor_for_identity(name)
    svc.disable_user(boss, "li.ming@nantong.gov.cn")
    with pytest.raises(AuthError):
        svc.actor_for_identity("li.ming@nantong.gov.cn")


def test_passwords_are_argon2_hashed(svc):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from planner.storage.models import User

    with Session(svc.engine) as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "haian"))
    assert stored.startswith("$argon2id$") and PW not in stored


def test_sessions_expire_and_logout(svc):
    token = svc.login("haian", PW)
    assert svc.actor(token).scope == "海安"
    with pytest.raises(AuthError):
        svc.actor(token, at=now() + accounts.SESSION_TTL + timedelta(seconds=1))
    svc.logout(token)
    with pytest.raises(AuthError):
        svc.actor(token)
    with pytest.raises(AuthError):
        svc.actor("forged-token")


def test_failed_logins_are_rate_limited(svc):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AuthError) as err:
            svc.login("haian", "wrong password!")
        assert err.value.messages[0].code == "bad_login"
    with pytest.raises(AuthError) as err:
        svc.login("haian", PW)  # even the right password, until the window has passed
    assert err.value.messages[0].code == "rate_limited" and "分钟" in err.value.messages[0].zh
    later = now() + accounts.FAILURE_WINDOW + timedelta(seconds=1)
    assert svc.actor(svc.login("haian", PW, at=later), at=later).username == "haian"
    # the local admin of single-user mode cannot be logged into
    with pytest.raises(AuthError):
        svc.login("local", "!")


def test_two_sessions_same_county_stale_message(svc):
    one, two = _as(svc, "haian"), _as(svc, "city")
    ds, seen = svc.dataset(one, NAME)
    item = ds.items[1].name
    svc.record_actual(one, NAME, "海安", item, date.today(), seen, evidence_no="A")
    with pytest.raises(StaleEdit) as err:
        svc.record_actual(two, NAME, "海安", item, date.today() - timedelta(days=2), seen, evidence_no="B")
    assert "haian" in err.value.messages[0].zh
    # two counties at the same time: both kept
    rugao = _as(svc, "rugao")
    svc.record_actual(rugao, NAME, "如皋", item, date.today(), seen, evidence_no="C")
    now_ds, _ = svc.dataset(one, NAME)
    assert {("海安", item), ("如皋", item)} <= set(now_ds.actuals)


def test_single_user_mode_saves_scenarios_on_a_fresh_database(engine):  # noqa: F811
    from planner.storage.accounts import Actor

    fresh = Service(engine, migrate=False)
    local = Actor("local", "admin", "")  # what the app's single-user mode acts as, before any database call
    fresh.save_scenario(local, "我的", "x = 1")
    assert fresh.saved_scenarios(local) == {"我的": "x = 1"}


def test_saved_scenarios_per_user_with_limits(svc):
    city, boss = _as(svc, "city"), _as(svc, "boss")
    svc.save_scenario(city, "紧预算", 'name = "紧预算"\nbudget_multiplier = 0.5\n')
    svc.save_scenario(city, "紧预算", 'name = "紧预算"\nbudget_multiplier = 0.6\n')  # replaced, not duplicated
    assert list(svc.saved_scenarios(city)) == ["紧预算"] and svc.saved_scenarios(boss) == {}
    with pytest.raises(StorageError):
        svc.save_scenario(city, "big", "x = '" + "a" * 300_000 + "'")
    with pytest.raises(StorageError):
        svc.save_scenario(city, "bad\x07name", "x = 1")
    with pytest.raises(StorageError):
        svc.save_scenario(city, "broken", "x = [")
    for n in range(MAX_SAVED_SCENARIOS - 1):
        svc.save_scenario(boss, f"s{n}", "x = 1")
    svc.save_scenario(boss, "last", "x = 1")
    with pytest.raises(StorageError) as err:
        svc.save_scenario(boss, "one too many", "x = 1")
    assert err.value.messages[0].code == "too_many_scenarios"
