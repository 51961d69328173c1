"""Solve a scenario into a ``Plan``: its independent parts (solved, cached, in parallel), then the schedule,
the money per county-year and the compliance table a reviewer reads.

``solve`` plans one scenario; ``solve_many`` plans several (a frontier, a batch of scenarios, cost samples)
with all their parts sent to the executor at once.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from planner.domain import (
    ComplianceRow,
    Dataset,
    GapMode,
    Plan,
    Scenario,
    ScheduledGap,
    SolveStatus,
    Spending,
)
from planner.i18n import gap_words
from planner.io.counts import tier_status
from planner.model.explain import explain_infeasible, target_results, unreachable_shortfalls
from planner.model.instance import Instance, missing_budgets
from planner.model.objective import lateness, score
from planner.model.part import BUILT, PartResult, PartTask, solve_parts
from planner.quarters import Quarter


def solve(dataset: Dataset, scenario: Scenario, executor=None) -> Plan:
    """The plan for a scenario: schedule, spending, compliance; shortfalls when a hard plan is infeasible.

    Counties that share nothing (no city pool or capacity) are solved apart: the same optimum, sooner, in
    parallel where ``executor`` allows, and each county's answer is cached for the next call.
    """
    return solve_many([(dataset, scenario)], executor)[0]


def solve_many(jobs: Sequence[tuple[Dataset, Scenario]], executor=None, through_misses: bool = False) -> list[Plan]:
    """Plans for several (dataset, scenario) pairs, their parts solved in one batch through ``executor``.
    ``through_misses``: solve only up to the fewest missed gaps (which gaps miss is final, their lateness and the
    cost are not: a frontier's first pass)."""
    began = time.perf_counter()
    instances = [Instance.from_dataset(ds, sc) for ds, sc in jobs]
    parts = [[p for p in inst.components() if p.gaps] for inst in instances]
    flat = [PartTask(p, through_misses=through_misses) for ps in parts for p in ps]
    results = iter(solve_parts(flat, executor))
    plans = []
    for (dataset, scenario), inst, ps in zip(jobs, instances, parts, strict=True):
        mine = [next(results) for _ in ps]
        plans.append(assemble(dataset, scenario, inst, ps, mine, executor))
    for plan in plans:  # parts were solved together: report the batch's time per plan
        plan.seconds = (time.perf_counter() - began) / len(plans)
    return plans


def assemble(dataset: Dataset, scenario: Scenario, inst: Instance, parts: list[Instance],
             results: list[PartResult], executor=None) -> Plan:
    """A plan from its parts' answers."""
    status = combine([r.status for r in results])
    unreachable = [row for row in inst.unreachable_targets() if row.hard]
    if unreachable and status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        status = SolveStatus.INFEASIBLE  # a hard target no plan can meet: nothing left to build in its scope
    plan = Plan(scenario=scenario, status=status, solver=scenario.solver)
    notes = _budget_notes(dataset, scenario)
    if plan.has_solution:
        plan.schedule = [row for part, r in zip(parts, results, strict=True) for row in schedule_of(part, r, dataset)]
        spent = {}
        for part, r in zip(parts, results, strict=True):
            spent.update(spending_of(part, r))
        plan.spending = [spent.get(k) or Spending(k[0], k[1], 0.0, 0.0, 0.0, b) for k, b in inst.budgets.items()]
        plan.objective = score(inst, plan.choices(), plan.total_cost_wan, scenario.objective)
        gaps = [r.mip_gap for r in results if r.mip_gap is not None]
        plan.mip_gap = max(gaps) if gaps else None
        plan.targets = target_results(inst, dataset, plan.schedule, executor)
        if status == SolveStatus.FEASIBLE:
            notes.append(f"求解在时限内停止，方案可行但未证明最优，{gap_words(plan.mip_gap, 'zh')} / stopped at the "
                         f"time limit: feasible, not proven optimal, {gap_words(plan.mip_gap, 'en')}")
    elif status == SolveStatus.INFEASIBLE:  # hard deadlines, or a hard target
        infeasible = [p for p, r in zip(parts, results, strict=True) if r.status == SolveStatus.INFEASIBLE]
        plan.shortfalls = explain_infeasible(infeasible, scenario, executor) + unreachable_shortfalls(unreachable)
        plan.schedule = _unsolved_schedule(inst)
    elif status == SolveStatus.TIME_LIMIT:
        notes.append(f"在 {scenario.time_limit_s:g} 秒内未找到可行方案 / no plan found within "
                     f"{scenario.time_limit_s:g} s")
    plan.schedule += _done_rows(inst, dataset)
    plan.compliance = compliance(dataset, scenario, plan.schedule)
    plan.message = "\n".join(notes)
    return plan


def combine(statuses: Iterable[SolveStatus]) -> SolveStatus:
    """The status of a plan solved in parts: the worst part's."""
    order = [SolveStatus.ERROR, SolveStatus.UNBOUNDED, SolveStatus.INFEASIBLE, SolveStatus.TIME_LIMIT,
             SolveStatus.FEASIBLE, SolveStatus.OPTIMAL]
    return min(statuses, key=order.index, default=SolveStatus.OPTIMAL)


def _budget_notes(dataset: Dataset, scenario: Scenario) -> list[str]:
    missing = missing_budgets(dataset, scenario)
    if not missing:
        return []
    listed = "、".join(f"{r} {y}" for r, y in missing[:8]) + ("…" if len(missing) > 8 else "")
    return [f"预算表缺少以下县-年份，按 0 计：{listed} / budgets missing for these county-years, taken as 0"]


def choices(inst: Instance, result: PartResult) -> dict[tuple[str, str], Quarter | GapMode]:
    """Each gap's start quarter, or its mode, shared / unbuilt (the form ``score`` compares plans in)."""
    return {gap.key: inst.quarters[int(result.start[g])] if result.mode[g] == BUILT
            else GapMode.of_code(result.mode[g]) for g, gap in enumerate(inst.gaps)}


def schedule_of(inst: Instance, result: PartResult, dataset: Dataset) -> list[ScheduledGap]:
    """One row per gap: how it is closed, when, and whether on time. Shared and unbuilt gaps have no
    lateness (``late_quarters`` None): they are reported by their mode."""
    rows = []
    quarters, actuals = inst.quarters, dataset.actuals
    for gap, mode, start in zip(inst.gaps, result.mode.tolist(), result.start.tolist(), strict=True):
        actual = actuals.get(gap.key) if actuals else None
        item = gap.item
        if mode == BUILT:
            online = start + gap.lead_quarters  # within the horizon: a start is a candidate only then
            late = lateness(quarters[online].index, gap.deadline_quarter.index)
            rows.append(ScheduledGap(gap.region, item.name, item.tier, GapMode.BUILT, quarters[start],
                                     quarters[online], gap.capex_wan, gap.deadline, late == 0, late, actual,
                                     gap.upgrade))
        else:
            rows.append(ScheduledGap(gap.region, item.name, item.tier, GapMode.of_code(mode), None,
                                     None, 0.0, gap.deadline, False, None, actual, gap.upgrade))
    return rows


def spending_of(inst: Instance, result: PartResult) -> dict[tuple[str, int], Spending]:
    """Spending per county-year, recomputed from the chosen schedule (not read off the model's rows)."""
    out = {}
    for r, region in enumerate(inst.regions):
        for y, year in enumerate(inst.years):
            carried = float(result.carry[r, y - 1]) if y > 0 and result.carry.size else 0.0
            out[(region, year)] = Spending(
                region, year, _round(result.capex[r, y]), _round(result.opex[r, y]), _round(result.fees[r, y]),
                inst.budgets[(region, year)], pool_wan=_round(result.pool[r, y]) if result.pool.size else 0.0,
                carried_in_wan=_round(carried))
    return out


def _round(value: float) -> float:
    return round(float(value), 6) + 0.0  # + 0.0 turns -0.0 into 0.0


def _unsolved_schedule(inst: Instance) -> list[ScheduledGap]:
    return [ScheduledGap(g.region, g.item.name, g.item.tier, GapMode.UNBUILT, None, None, 0.0, g.deadline,
                         False, None, upgrade=g.upgrade) for g in inst.gaps]


def _done_rows(inst: Instance, dataset: Dataset) -> list[ScheduledGap]:
    """Gaps an actual completion date closed before the plan start."""
    rows = []
    for (region, name), when in inst.done_before_start.items():
        item = dataset.item(name)
        q = Quarter.of(when)
        rows.append(ScheduledGap(region, name, item.tier, GapMode.DONE, None, q, 0.0, item.deadline,
                                 when <= item.deadline, lateness(q.index, item.deadline_quarter.index), when))
    return rows


def compliance(dataset: Dataset, scenario: Scenario, schedule: Iterable[ScheduledGap]) -> list[ComplianceRow]:
    """Per region and tier: required, done at start, on time / late / unbuilt / shared in the plan, pending
    but unnamed (not schedulable), and actual completions by the deadline where dates are given."""
    by_key: dict[tuple[str, str], list[ScheduledGap]] = defaultdict(list)
    for s in schedule:
        by_key[(s.region, s.tier.key)].append(s)
    named = {r for r, _ in dataset.matrix}
    items_of = {t.key: dataset.items_of(t) for t in dataset.tiers}
    deadline = {t.key: dataset.tier_deadline(t) for t in dataset.tiers}
    rows = []
    for region in dataset.regions:
        for tier in dataset.tiers:
            st = tier_status(dataset, region.name, tier, named, items_of[tier.key])
            if st["required"] is None:
                continue
            mine = by_key.get((region.name, tier.key), [])
            built = [s for s in mine if s.mode == GapMode.BUILT]
            done = [s for s in mine if s.mode == GapMode.DONE]
            actual = [s for s in mine if s.actual_date is not None]
            rows.append(ComplianceRow(
                region=region.name, tier=tier, required=st["required"],
                done_at_start=(st["completed"] or 0) + len(done),
                on_time=sum(s.on_time for s in built), late=sum(not s.on_time for s in built),
                unbuilt=sum(s.mode == GapMode.UNBUILT for s in mine),
                shared=sum(s.mode == GapMode.SHARED for s in mine),
                unschedulable=0 if st["named"] else (st["pending"] or 0),
                deadline=deadline[tier.key],  # type: ignore[arg-type]
                actual_done=sum(1 for s in actual if s.actual_date <= s.deadline) if actual else None,
                as_of=scenario.as_of,
            ))
    return rows
