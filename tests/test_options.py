"""The what-if options on the Nantong data: city pool, carry-over, shared fixed costs. Every plan is checked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from checker import solve_checked

from planner.domain import DeadlineMode, Options, SolveStatus
from planner.io.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def short_hard():
    """Baseline budgets x 0.9 with hard deadlines: infeasible on the counties' own money."""
    return replace(load_scenario(REPO / "scenarios" / "nantong_baseline.toml"), budget_multiplier=0.9)


def test_short_hard_is_infeasible_without_help(nantong, short_hard):
    assert solve_checked(nantong, short_hard).status == SolveStatus.INFEASIBLE


def test_city_pool_makes_it_feasible_and_is_drawn_only_where_short(nantong, short_hard):
    plan = solve_checked(nantong, replace(short_hard, options=Options(city_pool_wan=150)))
    assert plan.status == SolveStatus.OPTIMAL
    assert all(s.on_time for s in plan.schedule)
    drawn = [s for s in plan.spending if s.pool_wan > 1e-6]
    assert drawn, "the pool must be used"
    for s in plan.spending:
        assert s.pool_wan == pytest.approx(max(0.0, s.spent_wan - s.budget_wan), abs=1e-4)
    for year in {s.year for s in plan.spending}:
        assert sum(s.pool_wan for s in plan.spending if s.year == year) <= 150 + 1e-6


def test_carry_over_never_does_worse_and_carries_only_what_was_left(nantong):
    tight = load_scenario(REPO / "scenarios" / "nantong_tight.toml")
    plain = solve_checked(nantong, tight)
    carried = solve_checked(nantong, replace(tight, options=Options(carry_over=True)))
    assert carried.objective <= plain.objective + 1e-6
    on_time = sum(s.on_time for s in carried.schedule)
    assert on_time >= sum(s.on_time for s in plain.schedule)
    by_key = {(s.region, s.year): s for s in carried.spending}
    for s in carried.spending:
        before = by_key.get((s.region, s.year - 1))
        left = (before.budget_wan + before.carried_in_wan - before.spent_wan) if before else 0.0
        assert s.carried_in_wan == pytest.approx(left, abs=1e-4)


def test_share_discount_same_timing_lower_cost(nantong):
    base = replace(load_scenario(REPO / "scenarios" / "nantong_baseline.toml"), deadline_mode=DeadlineMode.SOFT)
    plain = solve_checked(nantong, base)
    shared = solve_checked(nantong, replace(base, options=Options(share_discount=True)))
    late = [sum(s.late_quarters or 0 for s in p.schedule) for p in (plain, shared)]
    assert late[1] <= late[0]
    assert shared.total_cost_wan < plain.total_cost_wan
