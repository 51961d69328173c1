"""One region in focus, planned vs actual as of a date, and the catch-up plan (planner.analysis.focus,
planner.analysis.tracking, planner.analysis.replan): counts from the seed table and plans read back from the
workbook the app exports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.analysis.focus import region_tree, restrict_dataset, restrict_plan, scope
from planner.analysis.replan import catch_up
from planner.analysis.tracking import Progress, deadline_progress, gap_progress
from planner.domain import DeadlineMode, GapMode, Level, Region
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.quarters import Quarter


@pytest.fixture(scope="module")
def baseline(repo_root):
    return load_scenario(repo_root / "scenarios" / "nantong_baseline.toml")


@pytest.fixture(scope="module")
def plan(nantong, baseline):
    return solve(nantong, baseline)


def test_tree_follows_parents_at_any_depth(nantong) -> None:
    flat = region_tree(nantong)
    assert [n.name for n in flat] == ["市级", "海安", "如皋", "如东", "启东", "通州", "海门"]
    assert {n.depth for n in flat} == {0}
    # a province above the city, the counties under the city: a three-level tree in workbook order
    regions = [Region("js", "江苏省", Level.PROVINCE)] + [
        replace(r, parent="江苏省" if r.level == Level.CITY else "市级") for r in nantong.regions]
    tree = region_tree(replace(nantong, regions=regions))
    assert [(n.name, n.depth, n.below) for n in tree[:3]] == [("江苏省", 0, 7), ("市级", 1, 6), ("海安", 2, 0)]
    deep = replace(nantong, regions=regions)
    assert scope(deep, "市级") == ["市级", "海安", "如皋", "如东", "启东", "通州", "海门"]
    assert scope(deep, "") is None and scope(deep, "nowhere") is None


def test_restricted_plan_is_the_countys_part(nantong, plan) -> None:
    tz = restrict_plan(plan, scope(nantong, "通州"))
    # seed: 通州 lacks 6 basic items and 8 upgraded ones
    assert len(tz.schedule) == 14 and {g.region for g in tz.schedule} == {"通州"}
    assert {s.region for s in tz.spending} == {"通州"} and len(tz.spending) == 5  # 2023..2027
    assert [(c.tier.key, c.required, c.done_at_start, c.on_time) for c in tz.compliance] == [
        ("basic", 13, 7, 6), ("upgraded", 9, 1, 8)]
    assert restrict_plan(plan, None) is plan
    assert tz.total_cost_wan == pytest.approx(sum(s.spent_wan for s in plan.spending if s.region == "通州"))


def test_restricted_dataset_reads_back_and_plans_the_same(nantong, baseline, plan) -> None:
    cut = load_workbook(workbook_bytes(dataset_workbook(restrict_dataset(nantong, scope(nantong, "通州")))))
    assert [r.name for r in cut.matrix_regions] == ["通州"]
    assert len(cut.gaps()) == 14 and {k[0] for k in cut.budgets} == {"通州"}
    assert [c.region for c in cut.counts] == ["通州", "通州"]
    alone = solve(cut, baseline)  # counties share nothing here: the county's own plan is the same
    full = {(g.item, g.start_quarter) for g in plan.schedule if g.region == "通州"}
    assert {(g.item, g.start_quarter) for g in alone.schedule} == full


def test_progress_as_of_a_date(nantong, plan) -> None:
    ds = replace(nantong, actuals={("通州", "玻璃体温计"): date(2024, 10, 8), ("通州", "水表"): date(2025, 3, 1),
                                   ("通州", "红外耳温计"): date(2027, 2, 1)},
                 actual_evidence={("通州", "玻璃体温计"): "通市监〔2024〕12号"})
    rows = {(g.region, g.item): g for g in gap_progress(ds, plan, date(2026, 11, 30))}
    assert rows[("通州", "玻璃体温计")].status == Progress.DONE_ON_TIME
    assert rows[("通州", "玻璃体温计")].evidence == "通市监〔2024〕12号"
    assert rows[("通州", "水表")].status == Progress.DONE_LATE
    later = rows[("通州", "红外耳温计")]  # dated after the as-of day: not known yet
    assert later.status == Progress.OVERDUE and not later.counted
    assert rows[("通州", "水表")].quarters_vs_plan == Quarter(2025, 1) - rows[("通州", "水表")].planned_online
    tz = {p.tier.key: p for p in deadline_progress(ds, plan, date(2026, 11, 30), ["通州"])}
    assert (tz["basic"].gaps, tz["basic"].done_on_time, tz["basic"].done_late, tz["basic"].overdue) == (6, 1, 1, 4)
    assert tz["basic"].met is False and tz["basic"].planned_on_time == 6
    before = {p.tier.key: p for p in deadline_progress(ds, plan, date(2024, 6, 30), ["通州"])}
    assert before["basic"].open == 6 and before["basic"].met is None  # the deadline is still ahead
    assert sum(p.gaps for p in deadline_progress(ds, None, date(2026, 11, 30))) == 65


def test_catch_up_plans_only_the_open_gaps(nantong, baseline) -> None:
    ds = replace(nantong, actuals={("通州", "玻璃体温计"): date(2024, 10, 8), ("海门", "心电图机"): date(2026, 5, 1)})
    cu = catch_up(ds, baseline, date(2026, 11, 30))
    sc = cu.scenario
    assert (sc.start, sc.horizon_end, sc.deadline_mode) == (Quarter(2027, 1), Quarter(2028, 4), DeadlineMode.SOFT)
    assert sc.as_of == date(2026, 11, 30) and cu.open_gaps == 63
    p = solve(ds, sc)
    assert p.has_solution
    done = {(g.region, g.item) for g in p.schedule if g.mode == GapMode.DONE}
    assert done == {("通州", "玻璃体温计"), ("海门", "心电图机")}
    assert all(g.start_quarter >= Quarter(2027, 1) for g in p.schedule if g.mode == GapMode.BUILT)


def test_catch_up_fills_budget_years_the_workbook_lacks(nantong, baseline) -> None:
    short = replace(nantong, budgets={k: v for k, v in nantong.budgets.items() if k[1] <= 2026})
    cu = catch_up(short, replace(baseline, budget_multiplier=0.5), date(2026, 11, 30))
    assert cu.filled[("通州", 2027)] == pytest.approx(short.budgets[("通州", 2026)] * 0.5)
    assert cu.scenario.budget_overrides[("通州", 2028)] == cu.filled[("通州", 2028)]
