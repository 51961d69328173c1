"""Analyses: minimum budgets, the budget -> on-time frontier, marginal values."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from checker import solve_checked

from planner.analysis.frontier import frontier
from planner.analysis.marginal import marginal_values
from planner.analysis.min_budget import min_budget
from planner.domain import Scenario, SolveStatus
from planner.io.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent


def shipped(name: str) -> Scenario:
    return load_scenario(REPO / "scenarios" / f"{name}.toml")


@pytest.fixture(scope="module")
def baseline_min_budget(nantong):
    return min_budget(nantong, shipped("nantong_baseline"))


def test_min_budget_is_positive_for_every_county(nantong, baseline_min_budget):
    result = baseline_min_budget
    assert result.status == SolveStatus.OPTIMAL
    assert set(result.per_region) == {r.name for r in nantong.matrix_regions}
    assert all(v > 0 for v in result.per_region.values())
    assert result.total_wan == pytest.approx(sum(result.per_region.values()), abs=0.01)


def test_min_budget_suffices(nantong, baseline_min_budget):
    overrides = {(region, 0): amount for region, amount in baseline_min_budget.per_region.items()}
    plan = solve_checked(nantong, replace(shipped("nantong_baseline"), budget_overrides=overrides))
    assert plan.status == SolveStatus.OPTIMAL
    assert all(s.on_time for s in plan.schedule)


@pytest.mark.parametrize("county", ["海安", "启东"])
def test_five_percent_less_than_min_budget_is_infeasible(nantong, baseline_min_budget, county):
    overrides = {(region, 0): amount for region, amount in baseline_min_budget.per_region.items()}
    overrides[(county, 0)] = 0.95 * overrides[(county, 0)]
    plan = solve_checked(nantong, replace(shipped("nantong_baseline"), budget_overrides=overrides))
    assert plan.status == SolveStatus.INFEASIBLE
    assert plan.shortfalls and {f.region for f in plan.shortfalls} == {county}


def test_frontier_half_budget_loses_deadlines(nantong):
    points = frontier(nantong, shipped("nantong_baseline"), (0.5, 1.0))
    assert [p.multiplier for p in points] == [0.5, 1.0]
    half, full = points
    assert full.status == half.status == SolveStatus.OPTIMAL
    assert full.gaps == half.gaps == 65
    assert full.on_time == 65 and full.late == full.unbuilt == 0
    assert half.on_time < 65 and half.late + half.unbuilt == 65 - half.on_time
    assert half.total_budget_wan == pytest.approx(full.total_budget_wan / 2, abs=0.05)


def test_marginal_values_one_row_per_county_year(nantong):
    scenario = shipped("nantong_tight")
    plan = solve_checked(nantong, scenario)
    values = marginal_values(nantong, scenario, plan=plan)
    keys = [(v.region, v.year) for v in values]
    assert len(keys) == len(set(keys)) == 6 * 5
    assert set(keys) == {(r.name, y) for r in nantong.matrix_regions for y in range(2023, 2028)}
    for v in values:
        assert v.slack_wan >= -1e-6
        assert v.binding == (v.slack_wan < 1e-6)
        assert v.value >= -1e-6  # more money never makes the optimum worse
        assert v.missed_saved >= -1e-9  # fewest missed gaps come first: money never costs a deadline
    assert any(v.value > 0 for v in values)  # somewhere, money buys a deadline


def test_fixed_choice_duals_solve_with_the_plan_held(nantong):
    """The duals' LP holds the plan's own choices, late and early starts included (none of them may be idled
    while missed gaps are counted): every county's held LP solves, one dual per county-year."""
    from planner.analysis.marginal import fixed_choice_duals
    from planner.model.instance import Instance

    scenario = shipped("nantong_tight")
    plan = solve_checked(nantong, scenario)
    assert any(not s.on_time for s in plan.schedule if s.mode.value == "built")  # late builds are held too
    duals = fixed_choice_duals(Instance.from_dataset(nantong, scenario), plan)
    assert set(duals) == {(r.name, y) for r in nantong.matrix_regions for y in range(2023, 2028)}


def test_marginal_values_where_a_target_joins_counties():
    """The demo province's coverage and count targets solve several counties as one part: each county-year's
    extra money re-solves that part, and its value is the one a whole re-solve with the money gives."""
    from planner.io.workbook import load_workbook
    from planner.model import objective as obj
    from planner.model.instance import Instance
    from planner.model.solve import solve

    scenario = shipped("demo_province")
    dataset = load_workbook(scenario.workbook)
    inst = Instance.from_dataset(dataset, scenario)
    joined = [p for p in inst.split() if len(p.regions) > 1]
    assert joined  # the case this test is about
    plan = solve_checked(dataset, scenario)
    values = marginal_values(dataset, scenario, plan=plan)
    assert {(v.region, v.year) for v in values} == {(s.region, s.year) for s in plan.spending}
    region = joined[0].regions[-1]
    for v in [v for v in values if v.region == region]:
        more = solve(dataset, replace(scenario, budget_overrides={
            **scenario.budget_overrides, (v.region, v.year): inst.budgets[(v.region, v.year)] + v.delta_wan}))
        choice = {(s.region, s.item): s.start_quarter or s.mode.value for s in more.schedule
                  if s.mode.value != "done"}
        expected = (plan.objective - obj.score(inst, choice, more.total_cost_wan, scenario.objective)) / v.delta_wan
        assert v.value == pytest.approx(expected, abs=1e-6)
