"""The one-page brief, read back as a person would: exactly one A4 page, and the plan's own figures in its text
(Chinese and English, all regions and one county, a plan with no solution, a scope far too big for a page)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.analysis.marginal import MarginalValue, marginal_values
from planner.domain import (
    BASIC,
    UPGRADED,
    Cap,
    ComplianceRow,
    Dataset,
    GapMode,
    Item,
    Level,
    Plan,
    Region,
    Scenario,
    ScheduledGap,
    Shortfall,
    SolveStatus,
    Spending,
)
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.quarters import Quarter
from planner.reports import figures as F
from planner.reports.brief import BriefError, brief_pdf, next_steps, pdf_pages

REPO = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 30)


def solved(name: str) -> tuple[Plan, Dataset]:
    sc = load_scenario(REPO / "scenarios" / f"nantong_{name}.toml")
    ds = load_workbook(sc.workbook)
    return solve(ds, sc), ds


@pytest.fixture(scope="module")
def tight() -> tuple[Plan, Dataset, list[MarginalValue]]:
    plan, ds = solved("tight")
    return plan, ds, marginal_values(ds, plan.scenario, plan)


@pytest.fixture(scope="module")
def baseline() -> tuple[Plan, Dataset]:
    return solved("baseline")


def read(pdf: bytes) -> tuple[int, str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "".join(p.extract_text() for p in reader.pages), reader


def flat(text: str) -> str:
    return "".join(text.split())  # the reader breaks lines where the layout does


def test_city_brief_one_page_with_the_plans_figures(tight) -> None:
    plan, ds, mv = tight
    pages, text, reader = read(brief_pdf(plan, ds, marginal=mv, generated_on=DAY))
    assert pages == 1 == pdf_pages(brief_pdf(plan, ds, marginal=mv, generated_on=DAY))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait, in points
    t = flat(text)
    h = F.headline(plan)
    assert "计量能力缺口规划简报" in t and "全部地区" in t and "预算紧张：各县预算为基准的50%" in t
    assert "nantong_tight" not in t  # the scenario's title, not its internal id
    assert f"{h.gaps}个" in t and f"{h.on_time}({h.on_time_share:.0%})" in t
    assert F.fmt_money(h.spent) in t and F.fmt_money(h.budget) in t  # spending as printed everywhere
    for r in ds.regions:
        assert r.name in t
    for line in F.deadline_lines(plan, ds):  # the flagged total per deadline
        assert f"{line.met}/{len(line.rows)}地区达标" in t and line.deadline.isoformat() in t
    for c in plan.compliance:
        assert f"{F.configured(c)}/{c.required}" in t
    for step in next_steps(plan, ds, mv, after=DAY):
        assert flat(step) in t
    assert "示例假设" in t and "通政发〔2023〕17号" in t  # assumptions and sources in small print
    assert "…及其他" in t  # 16 gaps not on time: the list is cut, not the page


def test_english_brief(tight) -> None:
    plan, ds, mv = tight
    pages, text, _ = read(brief_pdf(plan, ds, lang="en", marginal=mv, generated_on=DAY))
    assert pages == 1
    t = flat(text)
    for words in ("Capability-gap plan brief", "In place on time", "Deadline check", "Next steps", "Assumptions",
                  "Sources", "generated 2026-11-30"):
        assert flat(words) in t
    assert "按期配置到位" not in t and "截止检查" not in t  # labels translated; names stay as in the seeds
    assert "如皋" in t


def test_county_brief(tight) -> None:
    plan, ds, mv = tight
    pages, text, _ = read(brief_pdf(plan, ds, region="如皋", marginal=mv, generated_on=DAY))
    assert pages == 1
    t = flat(text)
    county = F.scoped(plan, ["如皋"])
    h = F.headline(county)
    assert "如皋" in t and "海安" not in t.split("下一步")[0]  # table, gaps, charts: the county's alone
    assert F.fmt_money(h.spent) in t and f"{h.gaps}个" in t
    for g in county.schedule:  # every gap not on time is named, with why
        if g.mode == GapMode.UNBUILT:
            assert flat(f"{g.item}（未建成）") in t


def test_unknown_region(tight) -> None:
    plan, ds, mv = tight
    with pytest.raises(BriefError) as err:
        brief_pdf(plan, ds, region="北京", marginal=mv)
    assert "未知地区「北京」" in err.value.zh and "unknown region" in err.value.en


def test_plan_without_solution(baseline) -> None:
    plan, ds = baseline
    none = replace(plan, status=SolveStatus.INFEASIBLE, schedule=[], spending=[], compliance=[], objective=None,
                   shortfalls=[Shortfall("如皋", BASIC, date(2024, 12, 31), 14.0, "如皋基本能力截止前缺 14.0 万元",
                                         "如皋 lacks 14.0 万元 for the basic deadline")])
    pages, text, _ = read(brief_pdf(none, ds, generated_on=DAY))
    assert pages == 1
    t = flat(text)
    assert "没有可行计划" in t and "如皋基本能力截止前缺14.0万元" in t


# --------------------------------------------------------------------------------------- next steps

def mv(region: str, year: int, value: float, missed: float = 0, late: int = 0, earlier: int = 0,
       built: int = 0) -> MarginalValue:
    """``late``: quarters late saved among gaps built either way; ``built``: unbuilt gaps built."""
    return MarginalValue(region, year, False, 0.0, 0.0, value, missed, late + built, earlier, 10.0, built, late)


def test_next_steps_one_per_region_best_first(baseline) -> None:
    plan, ds = baseline
    plan = replace(plan, compliance=[c for c in plan.compliance if not c.unschedulable])
    values = [mv("如皋", 2024, 5.0, earlier=2), mv("如东", 2023, 9.0, missed=1, late=3),
              mv("如东", 2024, 8.0, missed=1), mv("海门", 2025, 7.0, late=2), mv("通州", 2025, 0.0)]
    steps = next_steps(plan, ds, values)
    assert steps == ["2023 年给如东追加 10 万元可使 1 项按期配置到位，已建项目逾期合计减少 3 个季度。",
                     "2025 年给海门追加 10 万元可使已建项目逾期合计减少 2 个季度。",
                     "2024 年给如皋追加 10 万元可使缺口合计提前 2 个季度补齐。"]
    assert next_steps(plan, ds, values, lang="en")[0] == \
        "10 万元 more for 如东 in 2023: 1 more in place on time, late builds 3 quarters less late."
    # one county: its best years, not one line
    county = next_steps(plan, ds, values, regions=["如东"])
    assert [s[:11] for s in county] == ["2023 年给如东追加", "2024 年给如东追加"]


def test_next_steps_when_money_does_not_help(baseline) -> None:
    plan, ds = baseline
    steps = next_steps(plan, ds, [mv("海安", 2024, 0.0)])
    assert steps == ["市级有 6 项提升能力原表未列明具体项目：先明确项目清单，才能排程和核算。"]
    on_time = replace(plan, compliance=[c for c in plan.compliance if not c.unschedulable])
    assert next_steps(on_time, ds, []) == ["追加预算不会改善本计划：每个缺口已按现有预算排到最早可行的季度。"]


# ----------------------------------------------------------------------------------- too big for a page

def big() -> tuple[Plan, Dataset]:
    """60 counties, three tiers, every gap open or late: far more than a page holds."""
    tiers = [BASIC, UPGRADED, replace(UPGRADED, key="third", name="第三", name_en="third", deadline=date(2026, 12, 31))]
    items = [Item(f"I{n}", f"项目{n:02d}号标准装置", tiers[n % 3], tiers[n % 3].deadline, 10.0, 1.0, 2)
             for n in range(12)]
    regions = [Region(f"R{n}", f"县{n:02d}", Level.COUNTY) for n in range(60)]
    matrix = {(r.name, i.name): Cap.LACKS for r in regions for i in items}
    ds = Dataset(items=items, regions=regions, matrix=matrix, tiers=tiers)
    sc = Scenario("big", Path("x.xlsx"), Quarter(2023, 4), Quarter(2027, 4))
    schedule, compliance, spending = [], [], []
    for r in regions:
        for n, i in enumerate(items):
            if n % 2:
                schedule.append(ScheduledGap(r.name, i.name, i.tier, GapMode.UNBUILT, None, None, 0.0, i.deadline,
                                             False, None))
            else:
                q = Quarter(2026, 1)
                schedule.append(ScheduledGap(r.name, i.name, i.tier, GapMode.BUILT, q - 2, q, 10.0, i.deadline,
                                             q <= Quarter.of(i.deadline), 0))
        for t in tiers:
            compliance.append(ComplianceRow(r.name, t, 4, 0, 1, 1, 2, 0, 0, t.deadline))
        spending += [Spending(r.name, y, 10.0, 1.0, 0.0, 12.0) for y in range(2023, 2028)]
    return Plan(sc, SolveStatus.OPTIMAL, "highs", 1.0, schedule, spending, compliance), ds


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scope_too_big_still_makes_one_page(lang) -> None:
    plan, ds = big()
    values = [mv(r.name, 2024, 100 - n, missed=1) for n, r in enumerate(ds.regions)]
    pages, text, _ = read(brief_pdf(plan, ds, lang=lang, marginal=values, generated_on=DAY))
    assert pages == 1
    t = flat(text)
    assert ("…及其他" in t) if lang == "zh" else ("moreregions" in t)
    assert "县00" in t and "县59" not in t.split("Next" if lang == "en" else "下一步")[0]
    assert "0/60" in t  # the total row still counts every region


def test_cli_brief(tmp_path) -> None:
    out = tmp_path / "brief.pdf"
    run = subprocess.run([sys.executable, "-m", "planner", "brief", "scenarios/nantong_city_support.toml",
                          "--out", str(out), "--region", "如东", "--lang", "en"], cwd=REPO, capture_output=True,
                         text=True, encoding="utf-8", timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and str(out) in run.stdout
    pages, text, _ = read(out.read_bytes())
    assert pages == 1 and "如东" in text and "shared" in text
    bad = subprocess.run([sys.executable, "-m", "planner", "brief", "scenarios/nantong_city_support.toml",
                          "--out", str(tmp_path / "x.pdf"), "--region", "北京"], cwd=REPO, capture_output=True,
                         text=True, encoding="utf-8", timeout=120)
    assert bad.returncode == 2 and "未知地区「北京」" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("name", sorted(p.stem for p in (REPO / "scenarios").glob("*.toml")))
def test_every_shipped_scenario_briefs_on_one_page(name) -> None:
    """As ``planner brief`` makes it (the marginal values computed for the brief), the demo province's
    target-joined counties included."""
    sc = load_scenario(REPO / "scenarios" / f"{name}.toml")
    ds = load_workbook(sc.workbook)
    pages, text, _ = read(brief_pdf(solve(ds, sc), ds, generated_on=DAY))
    assert pages == 1 and "".join(F.scenario_title(sc.name, sc.description).split()) in flat(text)
    cities = [r.name for r in ds.regions if any(x.parent == r.name for x in ds.regions)]
    for city in cities:  # a province's brief keeps its roll-ups however many counties it must cut
        assert f"{city}（合计）" in flat(text)
    assert bool(cities) == (name == "demo_province")


# ------------------------------------------------------------------------------------------ issue 20

def test_next_steps_ask_only_for_years_ahead(baseline) -> None:
    """A brief dated 2026-11-30 asks for 2026 money or later, never for 2023 or 2024."""
    plan, ds = baseline
    plan = replace(plan, compliance=[c for c in plan.compliance if not c.unschedulable])
    values = [mv("如东", 2023, 9.0, missed=1), mv("海门", 2024, 8.0, missed=1), mv("如皋", 2027, 1.0, missed=1)]
    steps = next_steps(plan, ds, values, after=DAY)
    assert steps == ["2027 年给如皋追加 10 万元可使 1 项按期配置到位。"]
    assert next_steps(plan, ds, values[:2], after=DAY) == [
        "2026 年起追加预算不会改善本计划（更早年份的资金已无法追加）。"]


def test_next_steps_keep_unbuilt_apart_from_late(baseline) -> None:
    """A county with no late gap whose money builds unbuilt gaps is told so, never 「逾期合计减少 N 个季度」."""
    plan, ds = baseline
    plan = replace(plan, compliance=[c for c in plan.compliance if not c.unschedulable])
    steps = next_steps(plan, ds, [mv("如东", 2027, 5.0, built=2)], after=DAY)
    assert steps == ["2027 年给如东追加 10 万元可使 2 个未建缺口在规划期内建成（仍逾期）。"]
    assert "逾期合计减少" not in steps[0]
    # an unbuilt gap built on time is one of the gaps made on time, not one more
    assert next_steps(plan, ds, [mv("如东", 2027, 5.0, missed=1, built=1)], after=DAY) == [
        "2027 年给如东追加 10 万元可使 1 项按期配置到位。"]
    assert next_steps(plan, ds, [mv("如东", 2027, 5.0, missed=1, built=3)], after=DAY) == [
        "2027 年给如东追加 10 万元可使 1 项按期配置到位，另有 2 个未建缺口可建成（逾期）。"]


def test_marginal_values_count_unbuilt_gaps_apart() -> None:
    """``late_quarters_saved`` counts an unbuilt gap as the ranking does (two quarters past the horizon end,
    ``objective.missing_lateness``); the brief's words use ``unbuilt_saved`` and ``late_built_saved``, which keep them
    apart."""
    sc = load_scenario(REPO / "scenarios" / "demo_province.toml")
    ds = load_workbook(sc.workbook)
    plan = solve(ds, sc)
    county = "示例乙三县"
    assert not any(g.mode == GapMode.BUILT and not g.on_time for g in plan.schedule if g.region == county)
    values = [v for v in marginal_values(ds, sc, plan) if v.region == county]
    assert all(v.late_built_saved <= 0 for v in values)  # nothing built late to make less late
    assert any(v.unbuilt_saved > 0 for v in values)
    for v in values:
        assert v.late_quarters_saved == 0 or v.unbuilt_saved != 0 or v.late_built_saved != 0


@pytest.fixture(scope="module")
def demo() -> tuple[Plan, Dataset, list[MarginalValue]]:
    sc = load_scenario(REPO / "scenarios" / "demo_province.toml")
    ds = load_workbook(sc.workbook)
    plan = solve(ds, sc)
    return plan, ds, marginal_values(ds, sc, plan)


def test_demo_brief_reads_right(demo) -> None:
    """The demo province's brief: the scenario's Chinese title (not its id), a per-region target said in regions
    met and never cut mid-figure, forward-dated asks, and a Gantt that keeps 示例乙市's unbuilt gaps."""
    plan, ds, mv_ = demo
    pages, text, _ = read(brief_pdf(plan, ds, marginal=mv_, generated_on=DAY))
    body = flat(text)
    assert pages == 1
    assert "情景「demo_province」" not in body and "示例省演示情景" in body
    assert "26/33（需29，差4项）" not in body and "个地区各自达到" in body
    assert not re.search(r"\d…", body)  # no figure cut short
    for year in range(2020, DAY.year):
        assert f"{year}年给" not in body


def test_county_brief_has_no_city_count_warnings(tight) -> None:
    plan, ds, mv_ = tight
    assert any(w.sheet == "公布数" for w in ds.warnings)
    _, text, _ = read(brief_pdf(plan, ds, region="如皋", marginal=mv_, generated_on=DAY))
    body = flat(text)
    assert "公布98" not in body and "市级只有公布数" not in body
    _, whole, _ = read(brief_pdf(plan, ds, marginal=mv_, generated_on=DAY))
    assert "公布98" in flat(whole)
