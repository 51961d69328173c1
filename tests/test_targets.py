"""Coverage and count targets over a region hierarchy, checked by brute force on small instances.

The brute force below evaluates targets on its own (a region has an item when it already has it, or its build is
online by the target's quarter; with 上级可计入 a region above that has it covers it too) and ranks every
schedule by (target shortfall, missed gaps, lateness, quarters open, cost); the engine must find the same best.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from checker import TOL, budgets, check_plan, choice_key, spend_of

from planner.domain import (
    BASIC,
    Cap,
    Dataset,
    DeadlineMode,
    GapMode,
    Item,
    Level,
    Region,
    Scenario,
    SolveStatus,
    Target,
    TargetKind,
)
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.quarters import Quarter, quarter_range

START, END = Quarter(2024, 3), Quarter(2025, 2)
ITEMS = [
    Item("A", "甲项", BASIC, date(2025, 6, 30), capex_wan=10, opex_wan=2, lead_quarters=0),
    Item("B", "乙项", BASIC, date(2025, 6, 30), capex_wan=16, opex_wan=2, lead_quarters=1),
]
REGIONS = [Region("P", "省", Level.PROVINCE), Region("C", "市", Level.CITY, parent="省"),
           Region("X1", "一县", Level.COUNTY, parent="市"), Region("X2", "二县", Level.COUNTY, parent="市")]


def hierarchy(budget: dict[tuple[str, int], float], targets: list[Target], states: dict | None = None) -> Dataset:
    matrix = {(r, i.name): Cap.LACKS for r in ("市", "一县", "二县") for i in ITEMS}
    matrix.update(states or {})
    return Dataset(items=list(ITEMS), regions=list(REGIONS), matrix=matrix, budgets=dict(budget), targets=targets)


def scenario(mode: DeadlineMode) -> Scenario:
    return Scenario(name="targets", workbook=Path("unused.xlsx"), start=START, horizon_end=END, deadline_mode=mode,
                    time_limit_s=30)


def has_by(dataset: Dataset, choice: dict, region: str, item: Item, by: date, higher: bool) -> bool:
    chain = [region] + (dataset.ancestors(region) if higher else [])
    for r in chain:
        if dataset.state(r, item.name) == Cap.HAS:
            return True
        pick = choice.get((r, item.name))
        if isinstance(pick, Quarter) and pick.index + item.lead_quarters <= Quarter.of(by).index:
            return True
    return False


def shortfall(dataset: Dataset, choice: dict, target: Target) -> int:
    """How many items (or standards) ``choice`` leaves a target short of (brute force's own reading)."""
    regions = [r for r in dataset.subtree(target.scope) if r in {x for x, _ in dataset.matrix}
               and (target.level is None or dataset.region(r).level == target.level)]
    if target.kind == TargetKind.COUNT:
        built = sum(1 for (r, i), p in choice.items() if r in regions and isinstance(p, Quarter)
                    and p.index + dataset.item(i).lead_quarters <= Quarter.of(target.by).index)
        return max(0, target.count - built)
    groups = [[r] for r in regions] if target.per_region else [regions]
    short = 0
    for group in groups:
        cells = [(r, i) for r in group for i in dataset.items if dataset.state(r, i.name) != Cap.NA]
        got = sum(has_by(dataset, choice, r, i, target.by, target.include_higher) for r, i in cells)
        short += max(0, math.ceil(target.share * len(cells) - 1e-9) - got)
    return short


def brute_force(dataset: Dataset, sc: Scenario):
    soft = sc.deadline_mode == DeadlineMode.SOFT
    gaps = dataset.gaps()
    quarters = quarter_range(sc.start, sc.horizon_end)
    options = []
    for _, name in gaps:
        item = dataset.item(name)
        opts = [q for q in quarters if q.index + item.lead_quarters <= sc.horizon_end.index]
        if not soft:
            opts = [q for q in opts if q.index + item.lead_quarters <= item.deadline_quarter.index]
        options.append(opts + (["unbuilt"] if soft else []))
    limit = budgets(dataset, sc)
    best = None
    for picks in itertools.product(*options):
        choice = dict(zip(gaps, picks, strict=True))
        spend = spend_of(dataset, sc, choice)
        totals = {k: sum(v.values()) for k, v in spend.items()}
        if any(totals.get(k, 0.0) > b + TOL for k, b in limit.items()):
            continue
        short = [shortfall(dataset, choice, t) for t in dataset.targets]
        hard_short = sum(s for s, t in zip(short, dataset.targets, strict=True)
                         if (t.hard if t.hard is not None else not soft))
        if hard_short:
            continue
        key = (sum(short),) + choice_key(dataset, sc, choice, sum(totals.values())).as_tuple()
        if best is None or key < best[0]:
            best = (key, choice)
    return best


def engine_key(plan, dataset: Dataset, sc: Scenario) -> tuple:
    choice = {(s.region, s.item): s.start_quarter if s.mode == GapMode.BUILT else "unbuilt" for s in plan.schedule}
    cost = sum(sp.spent_wan for sp in plan.spending)
    return (sum(shortfall(dataset, choice, t) for t in dataset.targets),) + \
        choice_key(dataset, sc, choice, cost).as_tuple()


COVERAGE_UP = Target("T1", TargetKind.COVERAGE, "市", date(2024, 12, 31), share=0.75, include_higher=True,
                     source="测试")
COVERAGE_EACH = Target("T2", TargetKind.COVERAGE, "市", date(2024, 12, 31), share=0.5, level=Level.COUNTY,
                       per_region=True, source="测试")
COUNT = Target("T3", TargetKind.COUNT, "市", date(2025, 3, 31), count=4, source="测试")
TIGHT = {(r, y): b for r in ("市", "一县", "二县") for y, b in ((2024, 17), (2025, 9))}
ROOMY = {(r, y): b for r in ("市", "一县", "二县") for y, b in ((2024, 30), (2025, 12))}


@pytest.mark.parametrize("mode", [DeadlineMode.SOFT, DeadlineMode.HARD])
@pytest.mark.parametrize("targets", [[COVERAGE_UP], [COVERAGE_EACH], [COUNT], [COVERAGE_UP, COUNT]],
                         ids=["coverage_up", "coverage_each", "count", "both"])
@pytest.mark.parametrize("money", [TIGHT, ROOMY], ids=["tight", "roomy"])
def test_targets_match_brute_force(mode, targets, money):
    dataset = hierarchy(money, targets)
    sc = scenario(mode)
    best = brute_force(dataset, sc)
    plan = solve(dataset, sc)
    if best is None:
        assert plan.status == SolveStatus.INFEASIBLE and plan.shortfalls
        return
    assert plan.status == SolveStatus.OPTIMAL
    check_plan(plan, dataset, sc)
    got = engine_key(plan, dataset, sc)
    assert got[0] == best[0][0] and got[1:] == pytest.approx(best[0][1:], abs=1e-4)
    results = {r.target.id: r for r in plan.targets}
    for target in targets:
        assert results[target.id].shortfall == shortfall(dataset, {(s.region, s.item): s.start_quarter or "unbuilt"
                                                                   for s in plan.schedule}, target)


def test_higher_level_counts_only_where_the_plan_says_so():
    """The city has both items: with 上级可计入 its counties are covered for the target, never for their own
    deadlines (they still have gaps to build)."""
    states = {("市", "甲项"): Cap.HAS, ("市", "乙项"): Cap.HAS}
    up = replace(COVERAGE_UP, share=1.0, level=Level.COUNTY)
    dataset = hierarchy({k: 0.0 for k in ROOMY}, [up], states)
    plan = solve(dataset, scenario(DeadlineMode.SOFT))
    (result,) = plan.targets
    assert result.met and result.rows[0].reached == 4 == result.rows[0].required
    assert all(s.mode == GapMode.UNBUILT for s in plan.schedule)  # no money: nothing built, deadlines missed
    assert all(not c.meets_deadline for c in plan.compliance if c.region in ("一县", "二县"))
    without = solve(hierarchy({k: 0.0 for k in ROOMY}, [replace(up, include_higher=False)], states),
                    scenario(DeadlineMode.SOFT))
    assert not without.targets[0].met and without.targets[0].shortfall == 4


def test_missed_target_says_what_it_would_take():
    dataset = hierarchy(TIGHT, [replace(COUNT, count=6, hard=False)])
    plan = solve(dataset, scenario(DeadlineMode.SOFT))
    (result,) = plan.targets
    assert not result.met and result.extra_wan and result.extra_wan > 0
    assert "万元" in result.zh and "short by" in result.en
    richer = {k: v + result.extra_wan for k, v in TIGHT.items()}  # that much in every county-year is enough
    assert solve(hierarchy(richer, [replace(COUNT, count=6, hard=False)]),
                 scenario(DeadlineMode.SOFT)).targets[0].met


def test_unreachable_hard_target_is_explained_not_crashed():
    dataset = hierarchy(ROOMY, [replace(COUNT, count=9, hard=True)])  # only 6 gaps exist
    plan = solve(dataset, scenario(DeadlineMode.SOFT))
    assert plan.status == SolveStatus.INFEASIBLE
    assert any("加钱也无法达到" in s.zh for s in plan.shortfalls)


def test_deadline_target_brings_deadlines_forward():
    early = Target("T4", TargetKind.DEADLINE, "一县", date(2024, 12, 31), tier=BASIC, source="测试")
    plan = solve(hierarchy(ROOMY, [early]), scenario(DeadlineMode.HARD))
    assert plan.status == SolveStatus.OPTIMAL
    for s in plan.schedule:
        if s.region == "一县":
            assert s.deadline == date(2024, 12, 31) and s.online_quarter <= Quarter(2024, 4)


def test_targets_round_trip_through_the_workbook():
    dataset = hierarchy(ROOMY, [COVERAGE_UP, COVERAGE_EACH, COUNT])
    back = load_workbook(workbook_bytes(dataset_workbook(dataset)))
    assert back.targets == dataset.targets and [r.parent for r in back.regions] == [r.parent for r in REGIONS]


def test_rollups_sum_the_regions_below():
    from planner.analysis.rollup import rollup_compliance, rollup_spending

    dataset = hierarchy(ROOMY, [])
    plan = solve(dataset, scenario(DeadlineMode.SOFT))
    rows = {(c.region, c.tier.key): c for c in rollup_compliance(dataset, plan.compliance)}
    assert set(rows) == {("省（合计）", "basic"), ("市（合计）", "basic")}
    city = rows[("市（合计）", "basic")]
    assert city.required == 6 == sum(c.required for c in plan.compliance)
    assert city.on_time == sum(c.on_time for c in plan.compliance)
    spent = {(s.region, s.year): s for s in rollup_spending(dataset, plan.spending)}
    assert spent[("省（合计）", 2024)].spent_wan == pytest.approx(sum(s.spent_wan for s in plan.spending
                                                                   if s.year == 2024))
