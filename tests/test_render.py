"""Print the outputs the way a planner does: the plan workbook through LibreOffice to PDF, the brief as it is,
both to PNG with poppler; count the pages, read the text and the fonts back. PNGs go to test-artifacts/render/.

LibreOffice and poppler come from ``scripts/install_system_deps.sh`` (idempotent). Without them the tests skip
locally and fail in CI (``CI=true``). LibreOffice is slow: one conversion for the whole module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from planner.analysis.marginal import marginal_values
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.reports import figures as F
from planner.reports.brief import brief_pdf
from planner.reports.plan_workbook import PLAN_SHEETS, write_plan

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "render"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TOOLS = ("soffice", "pdftoppm", "pdftotext", "pdfinfo", "pdffonts")
MAX_PAGES = 15  # the baseline plan, printed whole


def _tools() -> None:
    if not all(shutil.which(t) for t in TOOLS):
        try:  # the project's own, idempotent installer
            subprocess.run(["bash", str(ROOT / "scripts" / "install_system_deps.sh")], check=False, timeout=900,
                           capture_output=True)
        except (OSError, subprocess.TimeoutExpired):
            pass
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        reason = f"{', '.join(missing)} missing; run `make system-deps` (scripts/install_system_deps.sh)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def _run(*cmd: str, timeout: int = 300) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    assert out.returncode == 0, out.stderr
    return out.stdout


def pages(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))


def fonts(pdf: Path) -> list[str]:
    return [line.split()[0] for line in _run("pdffonts", str(pdf)).splitlines()[2:]]


def to_png(pdf: Path, stem: str) -> list[Path]:
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    _run("pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / stem))
    return sorted(ARTIFACTS.glob(f"{stem}-*.png"))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    _tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sc = load_scenario(ROOT / "scenarios" / "nantong_baseline.toml")
    ds = load_workbook(sc.workbook)
    plan = solve(ds, sc)
    folder = tmp_path_factory.mktemp("render")
    xlsx = write_plan(plan, ds, folder / "baseline_plan.xlsx", generated_on=date(2026, 11, 30))
    profile = folder / "lo-profile"  # a fresh LibreOffice profile: no state shared with other runs
    _run("soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder), str(xlsx), timeout=600)
    return plan, ds, folder / "baseline_plan.pdf"


def test_plan_workbook_prints_in_few_pages(baseline) -> None:
    plan, ds, pdf = baseline
    n = pages(pdf)
    pngs = to_png(pdf, "plan_baseline")
    assert len(pngs) == n
    assert 6 <= n <= MAX_PAGES, f"the baseline plan prints as {n} pages"
    per_sheet: dict[str, int] = {}
    for p in range(1, n + 1):
        text = _run("pdftotext", "-f", str(p), "-l", str(p), "-layout", str(pdf), "-")
        footer = re.search(r"(\S+)\s+第 (\d+) 页 / 共 (\d+) 页", text)
        assert footer, f"page {p} has no 第 N 页 / 共 M 页 footer"
        assert (int(footer.group(2)), int(footer.group(3))) == (p, n)
        assert "南通基准情景" in text and "生成日期 2026-11-30" in text  # the header: the title, not the id
        per_sheet[footer.group(1)] = per_sheet.get(footer.group(1), 0) + 1
    assert list(per_sheet) == list(PLAN_SHEETS)  # the hidden input sheets do not print
    assert per_sheet["总览"] <= 2 and per_sheet["截止检查"] == 1 and per_sheet["预算执行"] == 1


def test_summary_prints_labels_with_their_values(baseline) -> None:
    plan, ds, pdf = baseline
    first = " ".join(_run("pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-").split())
    h = F.headline(plan)
    assert f"缺口 {h.gaps} 个待补缺口" in first  # label and value on the same line of the same page
    assert f"支出与预算 规划期内支出 {F.fmt_money(h.spent)} 万元" in first
    for c in plan.compliance:
        assert c.region in first


def test_plan_workbook_fonts_are_sans_and_cjk(baseline) -> None:
    *_, pdf = baseline
    names = fonts(pdf)
    assert any("CJK" in f for f in names), names  # Chinese drawn with a CJK face, not boxes
    assert not any("Serif" in f for f in names), names  # no serif fallback for unnamed fonts


def test_brief_renders_on_one_page(baseline, tmp_path) -> None:
    plan, ds, _ = baseline
    mv = marginal_values(ds, plan.scenario, plan)
    for lang, region in (("zh", None), ("en", "如皋")):
        pdf = tmp_path / f"brief_{lang}.pdf"
        pdf.write_bytes(brief_pdf(plan, ds, lang=lang, region=region, marginal=mv, generated_on=date(2026, 11, 30)))
        assert pages(pdf) == 1
        assert len(to_png(pdf, f"brief_baseline_{lang}_{region or 'all'}")) == 1
        names = fonts(pdf)
        assert names and all("CJK" in f for f in names), names  # one sans CJK face for text and charts
        text = " ".join(_run("pdftotext", "-layout", str(pdf), "-").split())
        assert F.fmt_money(F.headline(F.scoped(plan, None if region is None else [region])).spent) in text


@pytest.fixture(scope="module")
def demo_prints(tmp_path_factory):
    """The demo province's workbook whole and restricted to one county, printed in one LibreOffice run."""
    _tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sc = load_scenario(ROOT / "scenarios" / "demo_province.toml")
    ds = load_workbook(sc.workbook)
    plan = solve(ds, sc)
    folder = tmp_path_factory.mktemp("render_demo")
    books = [write_plan(plan, ds, folder / "demo_plan.xlsx", generated_on=date(2026, 11, 30)),
             write_plan(plan, ds, folder / "demo_county.xlsx", generated_on=date(2026, 11, 30), region="示例乙三县")]
    profile = folder / "lo-profile"
    _run("soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder), *map(str, books), timeout=600)
    return plan, ds, folder / "demo_plan.pdf", folder / "demo_county.pdf"


def _pages_text(pdf: Path) -> list[str]:
    return [_run("pdftotext", "-f", str(p), "-l", str(p), "-layout", str(pdf), "-") for p in range(1, pages(pdf) + 1)]


def test_demo_workbook_prints_tables_with_headers_and_the_legend_with_its_chart(demo_prints) -> None:
    plan, ds, pdf, _ = demo_prints
    texts = _pages_text(pdf)
    to_png(pdf, "plan_demo")
    tiers = [t.name for t in ds.tiers]
    for n, text in enumerate(texts, start=1):
        sheet = re.search(r"(\S+)\s+第 \d+ 页 / 共 \d+ 页", text).group(1)
        rows = [line for line in text.splitlines() if re.match(r"\s*示例\S+\s+(" + "|".join(tiers) + r")\s", line)]
        if sheet == "总览" and rows:  # a page of a table of regions carries the table's header
            assert "状态" in text and "已具备" in text, f"page {n}: 总览 rows without their header"
        if sheet == "甘特" and "图例" in text:
            bars = [line for line in text.splitlines() if re.match(r"\s*示例\S+\s+\S+.*20\d\dQ\d", line)]
            assert bars, f"page {n}: the Gantt's legend without chart rows"
        if sheet == "总览" and "年份" in text:
            year_rows = [line for line in text.splitlines() if re.match(r"\s*20\d\d\s+[\d,]+\.\d\d", line)]
            assert year_rows, f"page {n}: the spending table's header without its rows"


def test_county_workbook_prints_its_name_and_no_city_total(demo_prints) -> None:
    *_, pdf = demo_prints
    texts = _pages_text(pdf)
    to_png(pdf, "plan_demo_county")
    for n, text in enumerate(texts, start=1):
        assert "示例乙三县" in text.splitlines()[0] or "示例乙三县" in text[:300], f"page {n}: header"
        assert "示例乙市（合计）" not in text and "示例省（合计）" not in text, f"page {n}"
