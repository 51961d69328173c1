"""Gap-quarters (planner.analysis.summary.gap_quarters): what the objective switch trades against money."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from planner.domain import BASIC, GapMode, Objective, Plan, ScheduledGap, SolveStatus
from planner.io.scenario import load_scenario
from planner.model.solve import solve
from planner.quarters import Quarter


def _gap(mode: GapMode, online: Quarter | None) -> ScheduledGap:
    return ScheduledGap("通州", "衡器", BASIC, mode, online, online, 10.0, date(2024, 12, 31), True, 0)


def test_counted_gap_by_gap(repo_root) -> None:
    from planner.analysis.summary import gap_quarters as open_quarters

    sc = load_scenario(repo_root / "scenarios" / "nantong_baseline.toml")  # 2023Q4..2027Q4: 17 quarters
    plan = Plan(sc, SolveStatus.OPTIMAL, "highs", schedule=[
        _gap(GapMode.BUILT, Quarter(2023, 4)),  # online in the first quarter: never open
        _gap(GapMode.BUILT, Quarter(2024, 3)),  # 3 quarters open
        _gap(GapMode.UNBUILT, None), _gap(GapMode.SHARED, None),  # open the whole horizon (+1 unbuilt)
        _gap(GapMode.DONE, None), _gap(GapMode.UNSCHEDULABLE, None)])  # not the plan's gaps
    assert open_quarters(plan) == 0 + 3 + 18 + 17  # unbuilt: a quarter more than shared (objective.missing_open)


def test_the_earliest_plan_minimises_them(nantong, repo_root) -> None:
    """Under "earliest" the model's objective is the gap-quarters (priority 1 each) plus a tiny cost term, so
    the solver's own value rounds to the count; "cheapest" leaves gaps open longer."""
    from planner.analysis.summary import gap_quarters as open_quarters

    sc = load_scenario(repo_root / "scenarios" / "nantong_baseline.toml")
    earliest = solve(nantong, replace(sc, objective=Objective.EARLIEST))
    cheapest = solve(nantong, replace(sc, objective=Objective.CHEAPEST))
    assert {i.priority for i in nantong.items} == {1.0}
    assert round(earliest.objective) == open_quarters(earliest)
    assert open_quarters(cheapest) > open_quarters(earliest)
    assert cheapest.total_cost_wan < earliest.total_cost_wan
