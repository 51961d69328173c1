"""End to end in a real browser: ``streamlit run app.py`` on a free port, driven by Playwright and Debian's Chromium.

Chromium comes from ``scripts/install_browser.sh`` (idempotent; never ``playwright install``). Without it the
test skips locally and fails in CI (``CI=true``). Screenshots of every page go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def _ensure_chromium() -> str:
    if not Path(CHROMIUM).exists():
        try:  # the project's own, idempotent installer
            subprocess.run(["bash", str(ROOT / "scripts" / "install_browser.sh")], check=False, timeout=600,
                           capture_output=True)
        except (OSError, subprocess.TimeoutExpired):
            pass
    if not Path(CHROMIUM).exists():
        _need(f"{CHROMIUM} is missing; run `make browser` (scripts/install_browser.sh)")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free localhost port, on the shipped data; scenario saves go to a temporary folder."""
    from tests.test_app import copy_scenarios

    scenarios = copy_scenarios(tmp_path_factory.mktemp("scenarios"))
    port = _free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    env = {**os.environ, "PLANNER_SCENARIOS": str(scenarios)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(streamlit), "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
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
        yield url
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
def page(app_url: str):
    executable = _ensure_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True,
                                      locale="zh-CN")
        context.set_default_timeout(60_000)
        pg = context.new_page()
        yield pg
        context.close()
        browser.close()


def _idle(page, settle: float = 0.6) -> None:
    """Wait until Streamlit has finished the current run (no 'running' status widget) and stays idle."""
    deadline = time.monotonic() + 90
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0 or \
            page.locator('[data-testid="stSpinner"]').count() > 0 or \
            page.locator('[data-testid="stSkeletonElement"], [data-testid="stSkeleton"]').count() > 0
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= settle:
            return
        page.wait_for_timeout(150)
    raise AssertionError("the app kept running for 90 s")


def _visit(page, nav: str, title: str) -> None:
    """Open a page from the sidebar (a new URL would start a new session and lose the settings)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=nav, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for()
    _idle(page)


def _shot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main section, so grow the viewport to fit it first."""
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]',
        '[data-testid="stMainBlockContainer"]'].map(s => document.querySelector(s)?.scrollHeight || 0))""")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 80, 9000))})
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.content()


def _until(page, probe, seconds: float = 60):
    """Poll ``probe`` until it returns something truthy (the app reruns after a widget change), then settle."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = probe()
        except Exception:  # noqa: BLE001 - the element may be re-rendering
            value = None
        if value:
            _idle(page)
            return probe()
        page.wait_for_timeout(250)
    raise AssertionError("the page did not change")


def _gantt_summary(page) -> str:
    return page.locator('[data-testid="stCaptionContainer"]', has_text="个缺口：").first.inner_text()


def _grid_cell(page, grid_index: int, right: int, row: int = 1, visible: bool = False):
    """Open the editor of a data-editor cell (a canvas grid: keyboard from the row-number column); with
    ``visible``, ``grid_index`` counts only the grids on screen (not those in a hidden tab)."""
    grids = page.locator('[data-testid="stDataFrameResizable"]' + (":visible" if visible else ""))
    grid = grids.nth(grid_index)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17 + 35 * (row - 1))
    page.wait_for_timeout(300)  # the grid takes the focus
    for _ in range(right):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(80)
    page.keyboard.press("Enter")
    cell = page.locator("#portal input, #portal textarea").first
    cell.wait_for()
    return cell


def _apply_cell(page, grid_index: int, right: int, value: str, applied: str) -> None:
    """Type ``value`` into a data-editor cell, press 应用修改 and wait for the ``applied`` message."""
    cell = _grid_cell(page, grid_index, right=right)
    cell.fill(value)
    cell.press("Enter")
    _idle(page)
    page.get_by_role("button", name="应用修改").first.click()
    page.get_by_text(applied).first.wait_for()
    _idle(page)


def _review_row(page, region: str, tier: str) -> list[str]:
    """The reviewer table's row, cell by cell (the grid keeps an accessible table beside its canvas):
    region, tier, deadline, gaps, done on time, done late, overdue, open, planned on time, verdict."""
    table = page.locator('[data-testid="stDataFrame"]').first
    row = table.locator("tr", has_text=region).filter(has_text=tier).first
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def test_end_to_end(page, app_url: str, tmp_path: Path) -> None:
    # 概览, cold: the first page a new server draws (printed, never asserted: a shared machine)
    began = time.monotonic()
    page.goto(app_url)
    page.get_by_role("heading", name="概览：能力缺口与计划").first.wait_for()
    page.locator('[data-testid="stMetric"]').nth(3).wait_for()
    print(f"\n[timing] cold first page, metrics drawn: {time.monotonic() - began:.2f} s")
    _idle(page)
    metrics = page.locator('[data-testid="stMetric"]')
    assert "基本能力缺口" in metrics.nth(0).inner_text() and "16" in metrics.nth(0).inner_text()
    assert "49" in metrics.nth(1).inner_text()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()  # the capability matrix heatmap
    _no_exception(page)
    _shot(page, "01_overview")

    # 数据: the uploader speaks Chinese; an invalid upload (a blank capex) shows where, and the data stay
    _visit(page, "数据", "数据：工作簿、核对与修改")
    uploader = page.locator('[data-testid="stFileUploader"]').first
    assert "选择文件" in uploader.evaluate("e => getComputedStyle(e.querySelector('button p'), '::after').content")
    ds = load_workbook(ROOT / "data" / "nantong_capabilities.xlsx")
    wb = dataset_workbook(ds)
    wb["项目"]["E3"] = None  # 建设投资 of the second item
    bad = tmp_path / "blank_capex.xlsx"
    bad.write_bytes(workbook_bytes(wb))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("未通过校验").first.wait_for()
    _idle(page)
    error = page.locator('[data-testid="stAlertContentError"]', has_text="建设投资").first
    assert "第 3 行" in error.inner_text() and "不能为空" in error.inner_text()
    assert "内置南通数据" in page.locator('[data-testid="stSidebar"]').inner_text()
    _no_exception(page)
    _shot(page, "02_data_invalid_upload")

    # an edit in the items editor: 玻璃体温计 capex 8 -> 20 (row-number column, 编号, 项目, 层级, 截止日期, 建设投资)
    _apply_cell(page, 0, 5, "20", "已应用「项目与成本」中的 1 处修改")
    assert "修改过的数据（基于" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert "data=" in page.url  # the edited data travel with the link
    _no_exception(page)
    _shot(page, "03_data_edited")

    # one county in focus: 通州, from the sidebar
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="通州").click()
    page.get_by_text("本页只显示：通州").first.wait_for()
    _idle(page)
    assert "region=" in page.url

    # 情景: soft deadlines, then the county's budget slider: slider-to-plan time, printed
    _visit(page, "情景", "情景：预算、期限与假设")
    before = _gantt_summary(page)
    assert "14 个缺口：14 个按期" in before
    _shot(page, "04_scenario_county")
    page.get_by_text("柔性（逾期计罚）").click()
    _idle(page)
    slider = page.get_by_role("slider").first  # the global multiplier, ×1.00
    slider.focus()
    began = time.monotonic()
    slider.press("Home")  # ×0.00: nothing can be built
    after = _until(page, lambda: _gantt_summary(page) != before and _gantt_summary(page), seconds=90)
    print(f"[timing] slider to plan (×1.00 → ×0.00, 通州): {time.monotonic() - began:.2f} s")
    assert "0 个按期" in after and "×0.00" in page.locator('[data-testid="stSlider"]').first.inner_text()
    for _ in range(10):
        slider.press("ArrowRight")  # ×0.50, one step at a time: each step a plan
    _until(page, lambda: "×0.50" in page.locator('[data-testid="stSlider"]').first.inner_text(), seconds=90)
    _idle(page, settle=1.0)
    half = _gantt_summary(page)
    assert half != after
    _no_exception(page)
    _shot(page, "05_scenario_half_budget")

    # 计划: the same settings and county carry over
    _visit(page, "计划", "计划：建设排程与支出")
    page.locator('[data-testid="stVegaLiteChart"]').nth(1).wait_for()  # Gantt and spending
    assert half.split("；")[0] in _gantt_summary(page)
    _no_exception(page)
    _shot(page, "06_plan")

    _visit(page, "截止检查", "截止检查：各县是否按期配置到位")
    page.get_by_role("button", name="计算最低预算").click()
    page.get_by_text("最低预算合计").first.wait_for()
    _idle(page)
    _no_exception(page)
    _shot(page, "07_deadlines")

    # 实际完成: record that 通州 configured 玻璃体温计 on 2024-10-08; the reviewer table changes
    _visit(page, "实际完成", "实际完成：配置到位与核查")
    assert _until(page, lambda: _review_row(page, "通州", "基本"))[3:7] == ["6", "0", "0", "6"]  # none done yet
    # row number, 地区, 项目, 层级, 截止日期, 计划建成季度, 状态, 实际完成日期
    _apply_cell(page, 1, 7, "2024-10-08", "已应用「实际完成」中的 1 处修改")
    row = _until(page, lambda: _review_row(page, "通州", "基本"))
    assert row[3:7] == ["6", "1", "0", "5"], row  # one done on time, five overdue
    _no_exception(page)
    _shot(page, "08_actuals")

    # reload through the URL: the same page, county, settings and data
    link = page.url
    assert "region=" in link and "data=" in link and "mode=soft" in link
    page.goto(link)
    page.get_by_role("heading", name="实际完成：配置到位与核查").first.wait_for()
    _idle(page)
    assert "本页只显示：通州" in page.locator('[data-testid="stMain"]').inner_text()
    assert _until(page, lambda: _review_row(page, "通州", "基本"))[3:7] == ["6", "1", "0", "5"]
    _shot(page, "09_actuals_reloaded")

    _visit(page, "对比", "对比：多个情景并列")
    page.get_by_role("button", name="计算曲线").click()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()  # the frontier
    _idle(page, settle=1.0)
    _no_exception(page)
    _shot(page, "10_compare")

    # 导出: download the county's plan workbook and open it
    _visit(page, "导出", "导出")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载计划工作簿（.xlsx）").click()
    target = tmp_path / "plan.xlsx"
    info.value.save_as(target)
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert {"计划", "预算执行", "截止检查", "甘特"} <= set(book.sheetnames)
    assert {row[0] for row in book["计划"].iter_rows(min_row=2, values_only=True) if row[0]} == {"通州"}
    items = book["项目"]  # the plan workbook carries the session's data: the edit made in the grid
    header = [c.value for c in items[1]]
    capex = {row[1]: row[header.index("建设投资（万元）")] for row in items.iter_rows(min_row=2, values_only=True)}
    assert capex["玻璃体温计"] == 20
    _shot(page, "11_export")

    # a page the app does not have: said in Chinese, not Streamlit's English dialog
    page.goto(app_url + "/no-such-page")
    page.get_by_role("heading", name="页面不存在").first.wait_for()
    _idle(page)
    assert "Page not found" not in page.locator("body").inner_text()
    _shot(page, "12_not_found")

    # English switch
    page.goto(link.replace("/actuals?", "/export?"))
    page.get_by_role("heading", name="导出").first.wait_for()
    _idle(page)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Export").first.wait_for()
    _idle(page)
    _until(page, lambda: "lang=en" in page.url, seconds=10)  # the link keeps the language
    _shot(page, "13_export_english")
    _no_exception(page)
    _visit(page, "Scenario", "Scenario: budgets, deadlines and what-ifs")
    assert "What-if: served elsewhere" in page.locator('[data-testid="stMain"]').inner_text()
    _shot(page, "14_scenario_english")
    _visit(page, "Actuals", "Actuals: configured capabilities and the review")
    _shot(page, "15_actuals_english")
    _visit(page, "Data", "Data: workbook, checks and edits")
    assert "Browse" in page.locator('[data-testid="stFileUploader"]').first.evaluate(
        "e => getComputedStyle(e.querySelector('button p'), '::after').content")
    _no_exception(page)
    _shot(page, "16_data_english")


def test_demo_province_a_city_its_targets_in_both_languages(page, app_url: str) -> None:
    """A provincial regulator: the example province in one click, a city from the region tree with its roll-up
    rows, the targets with the missed one's money figure and citation, then English with the focus kept."""
    from planner.io.scenario import load_scenario
    from planner.model.solve import solve

    ds = load_workbook(ROOT / "data" / "demo_province.xlsx")
    plan = solve(ds, load_scenario(ROOT / "scenarios" / "demo_province.toml"))
    missed = next(r for r in plan.targets if not r.met)  # DM-3: 示例乙市, each county 80 % covered

    page.goto(app_url + "/data")  # a new session
    page.get_by_role("heading", name="数据：工作簿、核对与修改").first.wait_for()
    _idle(page)
    page.get_by_text("新建地区：从模板开始，或载入示例数据").click()
    page.get_by_role("button", name="载入示例省（含情景）").click()
    page.get_by_text("已载入示例省数据").first.wait_for()
    _idle(page)
    assert "示例省数据" in page.locator('[data-testid="stSidebar"]').inner_text()

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="└ 示例乙市").click()
    page.get_by_text("本页只显示：示例乙市").first.wait_for()
    _idle(page)
    _visit(page, "截止检查", "截止检查：各县是否按期配置到位")
    table = page.locator('[data-testid="stDataFrame"]').first
    total = [c.strip() for c in table.locator("tr", has_text="示例乙市（合计）").first.locator("td").all_inner_texts()]
    city = [c for c in plan.compliance if c.tier == ds.tiers[0] and c.region in ds.subtree("示例乙市")]
    assert total[:2] == ["示例乙市（合计）", str(sum(c.required for c in city))]
    main = page.locator('[data-testid="stMain"]')
    assert "当前计划达到 1 / 2 个目标。" in main.inner_text()
    assert f"{missed.extra_wan:.1f} 万元" in main.inner_text() and missed.target.source in main.inner_text()
    _no_exception(page)
    _shot(page, "20_demo_city_targets")
    assert "region=" in page.url and "sc=demo_province" in page.url

    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Targets").first.wait_for()
    _idle(page)
    main = page.locator('[data-testid="stMain"]')
    assert "This page shows 示例乙市 only" in main.inner_text()  # the focus survives the language switch
    assert "The current plan meets 1 of 2 targets." in main.inner_text() and "✗ missed" in main.inner_text()
    _no_exception(page)
    _shot(page, "21_demo_city_targets_english")
    _visit(page, "Overview", "Overview: capability gaps and the plan")
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()  # the matrix: to upgrade, not applicable
    _idle(page)
    gaps = page.locator('[data-testid="stDataFrame"]').last  # gaps by region, the city's roll-up at its foot
    assert gaps.locator("tr", has_text="示例乙市（合计）").count() == 1
    _shot(page, "22_demo_overview_english")


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_typed_values_the_language_switch_and_streamlits_english(page, app_url: str) -> None:
    """Issue 20's app points in a real browser: typed garbage refused by its cell (the tab stays), Streamlit's
    own English in Chinese, the language switch keeping the radios, Enter applying the as-of date."""
    page.goto(app_url + "/data")  # a new session
    page.get_by_role("heading", name="数据：工作簿、核对与修改").first.wait_for()
    _idle(page)
    # Streamlit's own English, in Chinese: a file of the wrong type, a search with no match
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"notes"}])
    _until(page, lambda: "不支持该类文件" in _main_text(page), seconds=15)
    assert "not allowed" not in _main_text(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type("zzzz")
    _until(page, lambda: page.get_by_text("无匹配结果").count() > 0, seconds=10)
    assert page.get_by_text("No results").count() == 0
    page.keyboard.press("Escape")
    _idle(page)
    page.get_by_role("tab", name="预算", exact=True).click()
    _idle(page)
    for typed, reason in (("abc", "不是数字"), ("1e12", "超出允许范围")):
        cell = _grid_cell(page, 0, right=2, visible=True)  # row 1 (海安): row number, 地区, 2023
        cell.fill(typed)
        cell.press("Enter")
        _idle(page)
        page.get_by_role("button", name="应用修改").first.click()  # the open tab's (the others are hidden)
        page.get_by_text(reason).first.wait_for()
        _idle(page)
        error = page.locator('[data-testid="stAlertContentError"]', has_text=reason).first.inner_text()
        assert "「预算」第 1 行（海安），列「2023」" in error and f"（输入：{typed}）" in error
        assert page.get_by_role("tab", name="预算", exact=True).get_attribute("aria-selected") == "true"
        assert "内置南通数据" in page.locator('[data-testid="stSidebar"]').inner_text()  # nothing applied
    _no_exception(page)
    _shot(page, "30_budget_refused")

    # 情景: the save form's "Press Enter" hint and the toolbar's tooltips in Chinese
    _visit(page, "情景", "情景：预算、期限与假设")
    page.get_by_role("textbox", name="文件名（不含 .toml）").fill("x")
    _until(page, lambda: "按回车键提交" in _main_text(page), seconds=10)
    assert "Press Enter" not in _main_text(page)
    page.get_by_text("柔性（逾期计罚）").click()
    _idle(page)
    page.get_by_text("最省（满足截止期限）").click()
    _idle(page)
    undo_before = page.get_by_role("button", name="撤销上一步").is_enabled()
    summary = _gantt_summary(page)
    _shot(page, "31_scenario_soft_cheapest")
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Scenario: budgets, deadlines and what-ifs").first.wait_for()
    _idle(page, settle=1.5)
    assert page.get_by_role("radio", name="soft (lateness penalised)").is_checked()
    assert page.get_by_role("radio", name="cheapest meeting the deadlines").is_checked()
    assert "mode=soft" in page.url and "obj=cheapest" in page.url
    english = page.locator('[data-testid="stCaptionContainer"]', has_text="gaps:").first.inner_text()
    assert re.findall(r"\d+", summary)[:5] == re.findall(r"\d+", english)[:5]  # the same plan, in English
    assert page.get_by_role("button", name="Undo the last change").is_enabled() == undo_before
    _shot(page, "32_scenario_english_kept")
    page.get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name="情景：预算、期限与假设").first.wait_for()
    _idle(page, settle=1.5)
    assert page.get_by_role("radio", name="柔性（逾期计罚）").is_checked()

    # 实际完成: a typed as-of date applies on Enter
    _visit(page, "实际完成", "实际完成：配置到位与核查")
    page.locator('[data-testid="stDateInput"] [data-type="year"]').first.click()  # typed segment by segment
    page.keyboard.type("20250630")
    page.keyboard.press("Enter")
    _until(page, lambda: "asof=2025-06-30" in page.url, seconds=20)
    _no_exception(page)
    _shot(page, "33_actuals_as_of")

    _visit(page, "概览", "概览：能力缺口与计划")
    label = page.locator('[data-testid="stMetricLabel"]', has_text="成本").first
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # the tile's label is not cut
    _shot(page, "34_overview")


def test_the_frontier_curve_comes_first_and_its_points_are_refined(page, app_url: str) -> None:
    """Issue 19, item 5: the budget curve is drawn from the quick pass first (hollow points, a caption saying what
    is final), each point then refined with the chart redrawn, and the finished curve invites a click."""
    page.goto(app_url + "/compare?sc=nantong_tight")
    page.get_by_role("heading", name="预算—按期率曲线").first.wait_for()
    _idle(page)
    page.get_by_role("button", name="计算曲线").click()
    began = time.monotonic()
    page.get_by_text("曲线为初算", exact=False).first.wait_for(timeout=60_000)  # the quick curve, before the end
    first_curve_s = time.monotonic() - began
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)  # drawn with the caption
    assert page.get_by_role("button", name="取消").count() == 1
    page.get_by_text("点击曲线上的点", exact=False).first.wait_for(timeout=120_000)
    _idle(page)
    print(f"frontier: first curve after {first_curve_s:.1f} s, refined after {time.monotonic() - began:.1f} s")
    assert page.get_by_text("曲线为初算", exact=False).count() == 0
    assert page.get_by_role("button", name="计算曲线").count() == 0
    assert page.get_by_role("button", name="取消").count() == 0
    _no_exception(page)
    _shot(page, "frontier_refined")
