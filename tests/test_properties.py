"""Property tests: on random small instances the solver's plan is the brute-force optimum (or both agree
that no hard plan exists), and every plan passes the independent checker."""

from __future__ import annotations

from checker import check_plan, plan_key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scheduler import COUNTIES, brute_force, small_dataset, small_scenario

from planner.domain import DeadlineMode, SolveStatus
from planner.model.solve import solve
from planner.quarters import Quarter

budget = st.integers(min_value=0, max_value=80)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amounts=st.lists(budget, min_size=4, max_size=4), mode=st.sampled_from(list(DeadlineMode)),
       capacity=st.sampled_from([None, 1, 2]))
def test_random_small_instances_match_brute_force(amounts, mode, capacity):
    keys = [(c, y) for c in COUNTIES for y in (2024, 2025)]
    dataset = small_dataset(dict(zip(keys, amounts, strict=True)))
    scenario = small_scenario(mode, capacity)
    best, _ = brute_force(dataset, scenario)
    plan = solve(dataset, scenario)
    if best is None:
        assert plan.status == SolveStatus.INFEASIBLE
        assert plan.shortfalls, "an infeasible hard plan must be explained"
        return
    assert plan.status == SolveStatus.OPTIMAL
    check_plan(plan, dataset, scenario)
    assert plan_key(plan, dataset, scenario).same_as(best)


@given(year=st.integers(1990, 2100), q=st.integers(1, 4), shift=st.integers(-40, 40))
def test_quarter_arithmetic_round_trips(year, q, shift):
    quarter = Quarter(year, q)
    assert Quarter.parse(quarter.label) == quarter
    assert (quarter + shift) - quarter == shift
    assert Quarter.of(quarter.first_day) == quarter == Quarter.of(quarter.last_day)
