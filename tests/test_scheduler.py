"""The scheduler: shipped scenarios, brute-force optimality on a hand-made instance, solver agreement,
determinism and infeasible hard plans. Every solved plan goes through the independent checker."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from checker import TOL, Key, budgets, check_plan, choice_key, plan_key, solve_checked, spend_of

from planner.domain import (
    BASIC,
    UPGRADED,
    Cap,
    Dataset,
    DeadlineMode,
    GapMode,
    Item,
    Level,
    Region,
    Scenario,
    SolveStatus,
)
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.quarters import Quarter

REPO = Path(__file__).resolve().parent.parent


def shipped(name: str) -> Scenario:
    return load_scenario(REPO / "scenarios" / f"{name}.toml")


# ------------------------------------------------------------------------------------ shipped scenarios

def test_baseline_every_gap_built_on_time_within_budget(nantong):
    plan = solve_checked(nantong, shipped("nantong_baseline"))
    assert plan.status == SolveStatus.OPTIMAL
    built = [s for s in plan.schedule if s.mode == GapMode.BUILT]
    assert len(built) == len(plan.schedule) == 65
    assert sum(s.tier == BASIC for s in built) == 16
    assert sum(s.tier == UPGRADED for s in built) == 49
    assert all(s.on_time and s.late_quarters == 0 for s in built)
    assert all(s.online_quarter <= Quarter.of(s.deadline) for s in built)
    assert plan.spending and all(sp.spent_wan <= sp.budget_wan + TOL for sp in plan.spending)
    assert all(c.meets_deadline for c in plan.compliance if c.region in {s.region for s in built})


def test_tight_names_late_or_unbuilt_gaps(nantong):
    scenario = shipped("nantong_tight")
    assert scenario.deadline_mode == DeadlineMode.SOFT
    plan = solve_checked(nantong, scenario)
    assert plan.status == SolveStatus.OPTIMAL
    missed = [s for s in plan.schedule if not s.on_time]
    assert len(missed) > 0
    assert len(missed) == sum(c.late + c.unbuilt + c.shared for c in plan.compliance)
    gaps = set(nantong.gaps())
    for s in missed:
        assert (s.region, s.item) in gaps
        assert s.mode in (GapMode.BUILT, GapMode.UNBUILT)
        assert s.late_quarters > 0 if s.mode == GapMode.BUILT else s.late_quarters is None, s
    assert any(s.mode == GapMode.BUILT for s in missed)  # some are built late rather than dropped


def test_city_support_shares_and_does_not_count_shared_as_done(nantong):
    scenario = shipped("nantong_city_support")
    assert scenario.options.sharing
    plan = solve_checked(nantong, scenario)
    assert plan.status == SolveStatus.OPTIMAL
    shared = [s for s in plan.schedule if s.mode == GapMode.SHARED]
    assert shared
    for s in shared:
        assert not s.on_time and s.start_quarter is None
        row = next(c for c in plan.compliance if c.region == s.region and c.tier == s.tier)
        mine = [x for x in plan.schedule if x.region == s.region and x.tier == s.tier]
        assert row.shared == sum(x.mode == GapMode.SHARED for x in mine) >= 1
        assert row.on_time == sum(x.mode == GapMode.BUILT and x.on_time for x in mine)
        assert not row.meets_deadline
    fees = {(sp.region, sp.year): sp.fees_wan for sp in plan.spending}
    assert all(fees[(s.region, y)] > 0 for s in shared for y in range(2024, 2028))


def test_replan_2027_without_actuals_reschedules_everything_late(nantong):
    scenario = shipped("nantong_replan_2027")
    plan = solve_checked(nantong, scenario)
    assert plan.status == SolveStatus.OPTIMAL
    assert len(plan.schedule) == 65
    assert not any(s.mode == GapMode.DONE for s in plan.schedule)
    for s in plan.schedule:
        assert not s.on_time and (s.late_quarters is None) == (s.mode != GapMode.BUILT)
        if s.mode == GapMode.BUILT:
            assert s.start_quarter >= Quarter(2027, 1)
    assert all(c.as_of == date(2026, 11, 25) and c.actual_done is None for c in plan.compliance)


def test_replan_2027_with_actuals_marks_them_done(nantong, mutated_workbook):
    basic = [(r, i) for r, i in nantong.gaps() if nantong.item(i).tier == BASIC]
    upgraded = [(r, i) for r, i in nantong.gaps() if nantong.item(i).tier == UPGRADED]
    actuals = {basic[0]: date(2024, 6, 30), upgraded[0]: date(2026, 3, 1), upgraded[-1]: date(2025, 9, 30)}

    def add_actuals(wb):
        ws = wb["实际完成"]
        for (region, item), when in actuals.items():
            ws.append([region, item, when, "测试 / test"])

    path = mutated_workbook(add_actuals)
    dataset = load_workbook(path)
    assert dataset.actuals == actuals
    scenario = replace(shipped("nantong_replan_2027"), workbook=path)
    plan = solve_checked(dataset, scenario)
    assert plan.status == SolveStatus.OPTIMAL
    rows = {(s.region, s.item): s for s in plan.schedule}
    assert len(rows) == len(plan.schedule) == 65
    for key, when in actuals.items():
        s = rows[key]
        assert s.mode == GapMode.DONE and s.actual_date == when and s.start_quarter is None
    assert sum(s.mode == GapMode.DONE for s in plan.schedule) == 3
    assert all(s.start_quarter >= Quarter(2027, 1) for s in plan.schedule if s.mode == GapMode.BUILT)
    for c in plan.compliance:
        assert c.as_of == date(2026, 11, 25)
        mine = {k: d for k, d in actuals.items() if k[0] == c.region and nantong.item(k[1]).tier == c.tier}
        if not mine:
            assert c.actual_done is None
            continue
        assert c.actual_done == sum(d <= nantong.item(k[1]).deadline for k, d in mine.items())
    by_key = {(c.region, c.tier): c for c in plan.compliance}
    assert by_key[(basic[0][0], BASIC)].actual_done == 1  # 2024-06-30 beats 2024-12-31
    assert by_key[(upgraded[0][0], UPGRADED)].actual_done == (0 if upgraded[0][0] != upgraded[-1][0] else 1)


# --------------------------------------------------------------------------------- brute-force optimality

ITEMS = (
    Item("A", "甲项", BASIC, date(2024, 12, 31), capex_wan=10, opex_wan=4, lead_quarters=0, priority=1),
    Item("B", "乙项", BASIC, date(2024, 12, 31), capex_wan=20, opex_wan=2, lead_quarters=1, priority=2),
    Item("C", "丙项", UPGRADED, date(2025, 3, 31), capex_wan=30, opex_wan=8, lead_quarters=2, priority=1),
)
COUNTIES = ("甲县", "乙县")


def small_dataset(budget: dict[tuple[str, int], float]) -> Dataset:
    return Dataset(items=list(ITEMS), regions=[Region(f"r{n}", c, Level.COUNTY) for n, c in enumerate(COUNTIES)],
                   matrix={(c, i.name): Cap.LACKS for c in COUNTIES for i in ITEMS}, budgets=dict(budget))


def small_scenario(mode: DeadlineMode, capacity: int | None = None, solver: str = "highs") -> Scenario:
    return Scenario(name="brute", workbook=Path("unused.xlsx"), start=Quarter(2024, 3), horizon_end=Quarter(2025, 2),
                    deadline_mode=mode, city_capacity=capacity, solver=solver, time_limit_s=30)


def brute_force(dataset: Dataset, scenario: Scenario) -> tuple[Key | None, int]:
    """The best key over every schedule, and how many schedules were feasible."""
    quarters = [Quarter(2024, 3), Quarter(2024, 4), Quarter(2025, 1), Quarter(2025, 2)]
    soft = scenario.deadline_mode == DeadlineMode.SOFT
    gaps = dataset.gaps()
    options = []
    for _, name in gaps:
        item = dataset.item(name)
        opts: list[Quarter | str] = [q for q in quarters if q.index + item.lead_quarters <= scenario.horizon_end.index]
        options.append(opts + (["unbuilt"] if soft else []))
    limit = budgets(dataset, scenario)
    best, feasible = None, 0
    for picks in itertools.product(*options):
        choice = dict(zip(gaps, picks, strict=True))
        if not soft and any(not isinstance(p, Quarter)
                            or p.index + dataset.item(n).lead_quarters > Quarter.of(dataset.item(n).deadline).index
                            for (_, n), p in choice.items()):
            continue
        if scenario.city_capacity is not None:
            online = [p.index + dataset.item(n).lead_quarters for (_, n), p in choice.items() if isinstance(p, Quarter)]
            if max(online.count(q) for q in set(online) or {0}) > scenario.city_capacity:
                continue
        spend = spend_of(dataset, scenario, choice)
        totals = {k: sum(v.values()) for k, v in spend.items()}
        if any(totals.get(k, 0.0) > b + TOL for k, b in limit.items()):
            continue
        feasible += 1
        key = choice_key(dataset, scenario, choice, sum(totals.values()))
        if best is None or key.as_tuple() < best.as_tuple():
            best = key
    return best, feasible


# Hard: B and C must start at once; 甲县's 2024 budget (62) leaves room for A only from 2024Q4.
HARD_BUDGETS = {("甲县", 2024): 62, ("甲县", 2025): 7, ("乙县", 2024): 100, ("乙县", 2025): 100}
# Soft: neither county can build everything on time, and 2025 money limits opex too.
SOFT_BUDGETS = {("甲县", 2024): 35, ("甲县", 2025): 40, ("乙县", 2024): 25, ("乙县", 2025): 12}
# K = 1: at most one standard online per quarter across both counties (4 quarters, 6 gaps); budgets bind too.
CAPACITY_BUDGETS = {("甲县", 2024): 20, ("甲县", 2025): 15, ("乙县", 2024): 40, ("乙县", 2025): 20}

CASES = {
    "hard": (HARD_BUDGETS, DeadlineMode.HARD, None),
    "soft": (SOFT_BUDGETS, DeadlineMode.SOFT, None),
    "soft_k1": (CAPACITY_BUDGETS, DeadlineMode.SOFT, 1),
}


@pytest.mark.parametrize("solver", ["highs", "cbc"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_solver_matches_brute_force(case, solver):
    budget, mode, capacity = CASES[case]
    dataset, scenario = small_dataset(budget), small_scenario(mode, capacity, solver)
    best, feasible = brute_force(dataset, scenario)
    assert best is not None and feasible > 1
    plan = solve_checked(dataset, scenario)
    assert plan.status == SolveStatus.OPTIMAL
    got = plan_key(plan, dataset, scenario)
    assert got.same_as(best), (case, solver, got, best)
    if case == "hard":
        start = {(s.region, s.item): s.start_quarter for s in plan.schedule}
        assert start[("甲县", "甲项")] == Quarter(2024, 4)  # the budget binds
        assert start[("乙县", "甲项")] == Quarter(2024, 3)
    else:
        assert best.misses > 0  # the instance really is short
    if capacity is not None:
        assert sum(s.mode == GapMode.BUILT for s in plan.schedule) <= 4


def test_brute_force_budgets_bind():
    """Sanity of the instances: more money (or no capacity limit) gives a strictly better optimum."""
    for budget, mode, capacity in CASES.values():
        rich = {k: 1000.0 for k in budget}
        tight_best, _ = brute_force(small_dataset(budget), small_scenario(mode, capacity))
        rich_best, _ = brute_force(small_dataset(rich), small_scenario(mode, capacity))
        assert rich_best.as_tuple() < tight_best.as_tuple()
        if capacity is not None:
            unlimited, _ = brute_force(small_dataset(budget), small_scenario(mode))
            assert unlimited.as_tuple() < tight_best.as_tuple()


def test_hard_brute_force_instance_infeasible_with_less_money():
    budget = {**HARD_BUDGETS, ("甲县", 2024): 60}
    dataset, scenario = small_dataset(budget), small_scenario(DeadlineMode.HARD)
    assert brute_force(dataset, scenario)[0] is None
    plan = solve_checked(dataset, scenario)
    assert plan.status == SolveStatus.INFEASIBLE
    assert plan.shortfalls and {f.region for f in plan.shortfalls} == {"甲县"}
    # 61.5 needed in 2024 (B, C at once, A from 2024Q4), 60 given: short by 1.5, split over the tiers spending
    assert sum(f.shortfall_wan for f in plan.shortfalls) == pytest.approx(1.5, abs=0.05)


# -------------------------------------------------------------------------------- solvers, determinism

def test_highs_and_cbc_agree_on_small_instance():
    dataset = small_dataset(SOFT_BUDGETS)
    plans = [solve_checked(dataset, small_scenario(DeadlineMode.SOFT, 1, s)) for s in ("highs", "cbc")]
    assert plans[0].objective == pytest.approx(plans[1].objective, abs=1e-6)


def test_highs_and_cbc_agree_on_tight(nantong):
    scenario = shipped("nantong_tight")
    highs = solve_checked(nantong, scenario)
    cbc = solve_checked(nantong, replace(scenario, solver="cbc"))
    assert highs.status == cbc.status == SolveStatus.OPTIMAL
    assert plan_key(highs, nantong, scenario).same_as(plan_key(cbc, nantong, scenario))
    assert highs.objective == pytest.approx(cbc.objective, rel=1e-9, abs=1e-6)


def test_tight_is_deterministic(nantong):
    scenario = shipped("nantong_tight")
    first, second = solve_checked(nantong, scenario), solve_checked(nantong, scenario)
    assert first.schedule == second.schedule
    assert first.spending == second.spending


# ------------------------------------------------------------------------------------- infeasible plans

def test_half_budget_hard_is_infeasible_with_shortfalls(nantong):
    scenario = replace(shipped("nantong_baseline"), budget_multiplier=0.5)
    plan = solve_checked(nantong, scenario)
    assert plan.status == SolveStatus.INFEASIBLE
    assert plan.shortfalls
    counties = {r.name for r in nantong.matrix_regions}
    for f in plan.shortfalls:
        assert f.region in counties
        assert f.deadline in (date(2024, 12, 31), date(2025, 12, 31))
        assert f.shortfall_wan > 0
        assert f.region in f.zh and f.region in f.en and "万元" in f.zh


def test_start_after_deadline_says_no_budget_helps(nantong):
    scenario = replace(shipped("nantong_baseline"), start=Quarter(2025, 1))
    plan = solve_checked(nantong, scenario)
    assert plan.status == SolveStatus.INFEASIBLE
    hopeless = [f for f in plan.shortfalls if "no budget can make it on time" in f.en]
    basic_gaps = [(r, i) for r, i in nantong.gaps() if nantong.item(i).tier == BASIC]
    assert len(hopeless) == len(basic_gaps) == 16
    for f in hopeless:
        assert f.tier == BASIC and f.deadline == date(2024, 12, 31) and "加钱也无法按期" in f.zh


def test_checker_catches_a_broken_plan(nantong):
    """The checker is not a rubber stamp: tampering with a solved plan is reported."""
    from checker import PlanCheckError

    scenario = shipped("nantong_baseline")
    plan = solve_checked(nantong, scenario)
    s = plan.schedule[0]
    plan.schedule[0] = replace(s, start_quarter=s.start_quarter + 1, online_quarter=s.online_quarter + 1)
    with pytest.raises(PlanCheckError):
        check_plan(plan, nantong, scenario)
    plan.schedule[0] = s
    plan.spending[0] = replace(plan.spending[0], budget_wan=0.0)
    with pytest.raises(PlanCheckError):
        check_plan(plan, nantong, scenario)
