"""A city walkthrough in a real browser (multi-user mode): two county editors record actual completions with
evidence at the same time, the city planner approves a plan, the reviewer sees planned (approved) vs actual and
the history of every change with its author. The same walk runs on an SQLite file and on the throw-away
PostgreSQL server of ``tests/storage_fixtures.py`` (``PLANNER_DB``). Screenshots go to
test-artifacts/screenshots/city_<database>_*.png."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage_fixtures import new_postgres_database, postgres_server  # noqa: F401 - fixture
from tests.test_browser import CHROMIUM_ARGS, SHOTS, _ensure_chromium, _free_port, _idle, _need

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PW = "city walkthrough password"
NAME = "南通"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """The app in multi-user mode on a fresh database with Nantong and the city's accounts: an SQLite file in
    a fresh data folder, or a new database on the test PostgreSQL server (``PLANNER_DB``). Yields the app's
    URL, the database URL and the database kind."""
    from planner.service import Service
    from planner.storage.db import make_engine

    data = tmp_path_factory.mktemp("city-data")
    db_url = (f"sqlite:///{data / 'planner.db'}" if request.param == "sqlite"
              else new_postgres_database(request.getfixturevalue("postgres_server")))
    svc = Service(make_engine(db_url))
    admin = svc.local_admin()
    svc.import_workbook(admin, NAME, (ROOT / "data" / "nantong_capabilities.xlsx").read_bytes())
    for user, role, scope in [("haian", "county_editor", "海安"), ("rugao", "county_editor", "如皋"),
                              ("city", "city_planner", NAME), ("rev", "reviewer", "")]:
        svc.add_user(admin, user, PW, role, scope)
    svc.engine.dispose()
    port = _free_port()
    log = data / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_DB"}
    env.update(PLANNER_MULTIUSER="1", PLANNER_DATA_DIR=str(data))
    if request.param == "postgresql":
        env["PLANNER_DB"] = db_url
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("streamlit")), "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"  # the config's server.address: localhost only
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("streamlit did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield url, db_url, request.param
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        text = log.read_text(errors="replace")
        assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="module")
def browser():
    executable = _ensure_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _session(browser, url: str, user: str):
    """A separate browser context (its own Streamlit session), logged in as ``user``."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(url)
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(PW)
    page.get_by_role("button", name="登录").click()
    page.locator('[data-testid="stSidebarNav"]').wait_for()
    _idle(page)
    return page


def _go(page, nav: str, heading: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=nav, exact=True).click()
    page.get_by_role("heading", name=heading).first.wait_for()
    _idle(page)


def test_city_walkthrough(browser, city):
    city_url, db_url, kind = city
    # nobody gets past the login form
    anon = browser.new_context(locale="zh-CN").new_page()
    anon.goto(city_url)
    anon.get_by_label("用户名").wait_for()
    assert anon.locator('[data-testid="stSidebarNav"]').count() == 0
    anon.context.close()
    # two counties record an actual completion at the same time, each with its evidence
    pages = {user: _session(browser, city_url, user) for user in ("haian", "rugao")}
    for user, page in pages.items():
        _go(page, "审计", "审计：修改记录")
        page.get_by_label("文号").fill(f"{user}市监〔2026〕7号")
        page.get_by_label("来源").fill("建标考核证书")
    for page in pages.values():
        page.get_by_role("button", name="保存").first.click()
    for user, page in pages.items():
        page.get_by_text("已保存").first.wait_for()
        _idle(page)
        page.screenshot(path=str(SHOTS / f"city_{kind}_1_{user}_recorded.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.context.close()
    # the city planner approves a plan
    planner = _session(browser, city_url, "city")
    _go(planner, "定稿", "定稿计划")
    planner.get_by_role("button", name="求解并保存为草稿").click()
    planner.get_by_role("button", name="定稿", exact=True).first.wait_for()
    planner.get_by_role("button", name="定稿", exact=True).first.click()
    planner.get_by_text("计划（定稿）与实际，按截止日期").wait_for()
    _idle(planner)
    planner.screenshot(path=str(SHOTS / f"city_{kind}_2_approved.png"), full_page=True)
    planner.context.close()
    # the reviewer: planned (approved) vs actual, and who changed what
    rev = _session(browser, city_url, "rev")
    _go(rev, "定稿", "定稿计划")
    rev.get_by_text("计划（定稿）与实际，按截止日期").wait_for()
    assert rev.get_by_text("city 于").count() >= 1  # approved by the city planner
    rev.screenshot(path=str(SHOTS / f"city_{kind}_3_reviewer_plan.png"), full_page=True)
    # the existing 实际完成 page compares against the approved plan too, and says which one
    _go(rev, "实际完成", "实际完成：配置到位与核查")
    rev.get_by_text("计划与实际对比的是定稿计划").first.wait_for()
    assert rev.get_by_text("由 city 定稿").count() >= 1
    rev.screenshot(path=str(SHOTS / f"city_{kind}_3b_reviewer_actuals.png"), full_page=True)
    _go(rev, "审计", "审计：修改记录")
    assert rev.get_by_role("button", name="保存").count() == 0  # a reviewer records no data
    rev.screenshot(path=str(SHOTS / f"city_{kind}_4_reviewer_audit.png"), full_page=True)
    rev.context.close()
    # the database holds both counties' records with their authors and evidence
    from planner.service import Service

    svc = Service(url=db_url, migrate=False)
    actuals = svc.history(svc.local_admin(), NAME, kind="actual")
    assert {(e["author"], e["region"], e["evidence_no"]) for e in actuals} == {
        ("haian", "海安", "haian市监〔2026〕7号"), ("rugao", "如皋", "rugao市监〔2026〕7号")}
    assert svc.approved_plan(svc.local_admin(), NAME).approved_by == "city"
    svc.engine.dispose()
