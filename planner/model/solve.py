"""Run HiGHS (default) or CBC on the model and turn the answer into a ``Plan``.

``read_status`` is the one place that interprets a solver's outcome: after a time limit PuLP's
``status`` still reads Optimal and only ``sol_status`` says the solution is merely feasible.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable

import pulp

from planner.domain import (
    ComplianceRow,
    Dataset,
    DeadlineMode,
    GapMode,
    Plan,
    Scenario,
    ScheduledGap,
    Shortfall,
    SolveStatus,
    Spending,
    Tier,
)
from planner.io.counts import tier_status
from planner.model.formulation import (
    BudgetMode,
    Instance,
    Model,
    build_model,
    define_least_misses,
    missed_gaps,
    missing_budgets,
    score,
)
from planner.quarters import Quarter

SOLVERS = ("highs", "cbc")


def _silence_highs_banner() -> None:
    """highspy prints a banner on stdout when the first Highs() is made; spend it on /dev/null so that
    ``--json`` output stays one JSON object."""
    global _BANNER_DONE
    if _BANNER_DONE:
        return
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_DONE = True


_BANNER_DONE = False


def make_solver(name: str, time_limit_s: float, mip_gap: float, mip: bool = True) -> pulp.LpSolver:
    """HiGHS through highspy (single thread, so the same input gives the same plan), or PuLP's CBC."""
    if name == "highs":
        _silence_highs_banner()
        return pulp.HiGHS(msg=False, mip=mip, timeLimit=time_limit_s, gapRel=mip_gap, threads=1,
                          random_seed=0)
    if name == "cbc":
        return pulp.PULP_CBC_CMD(msg=False, mip=mip, timeLimit=time_limit_s, gapRel=mip_gap, threads=1)
    raise ValueError(f"unknown solver {name!r}; use one of {SOLVERS}")


def read_status(prob: pulp.LpProblem) -> SolveStatus:
    """Every solver outcome, read from both PuLP's ``status`` and its ``sol_status``."""
    if prob.sol_status == pulp.LpSolutionOptimal:
        return SolveStatus.OPTIMAL
    if prob.sol_status == pulp.LpSolutionIntegerFeasible:
        return SolveStatus.FEASIBLE
    if prob.status == pulp.LpStatusInfeasible or prob.sol_status == pulp.LpSolutionInfeasible:
        return SolveStatus.INFEASIBLE
    if prob.status == pulp.LpStatusUnbounded or prob.sol_status == pulp.LpSolutionUnbounded:
        return SolveStatus.UNBOUNDED
    if prob.status == pulp.LpStatusNotSolved:
        return SolveStatus.TIME_LIMIT
    return SolveStatus.ERROR


def run(m: Model, solver: str, time_limit_s: float, mip_gap: float, mip: bool = True) -> SolveStatus:
    """Solve a built model; never raises for an infeasible or unfinished solve."""
    try:
        m.prob.solve(make_solver(solver, time_limit_s, mip_gap, mip))
    except pulp.PulpSolverError:
        return SolveStatus.ERROR
    return read_status(m.prob)


def solve_model(m: Model, scenario: Scenario, time_limit_s: float | None = None) -> SolveStatus:
    """Solve a scheduling model lexicographically. Soft mode takes two stages: first the fewest missed gaps
    (priority-weighted), then, holding that, the model's own objective. Two small solves keep the weights
    of each within a range the solver handles exactly, where one objective would span ten orders."""
    limit = scenario.time_limit_s if time_limit_s is None else time_limit_s
    began = time.perf_counter()
    if m.shared or m.unbuilt or scenario.deadline_mode == DeadlineMode.SOFT:
        objective = m.prob.objective
        m.prob.setObjective(missed_gaps(m))
        first = run(m, scenario.solver, limit, scenario.mip_gap)
        if first not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            return first
        define_least_misses(m, pulp.value(m.prob.objective) or 0.0)
        m.prob.setObjective(objective)
        limit = max(0.05, limit - (time.perf_counter() - began))
        second = run(m, scenario.solver, limit, scenario.mip_gap)
        return SolveStatus.FEASIBLE if second == SolveStatus.OPTIMAL and first == SolveStatus.FEASIBLE else second
    return run(m, scenario.solver, limit, scenario.mip_gap)


def solve(dataset: Dataset, scenario: Scenario) -> Plan:
    """The plan for a scenario: schedule, spending, compliance; shortfalls when a hard plan is infeasible.

    Counties that share nothing (no city pool or capacity) are solved one by one: the same optimum, sooner.
    """
    began = time.perf_counter()
    inst = Instance.from_dataset(dataset, scenario)
    parts = [p for p in inst.split() if p.gaps] if inst.independent else [inst]
    models, statuses = [], []
    for part in parts:
        m = build_model(part)
        left = max(0.05, scenario.time_limit_s - (time.perf_counter() - began))
        statuses.append(solve_model(m, scenario, left))
        models.append(m)
        if statuses[-1] not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            break
    status = combine(statuses)
    plan = Plan(scenario=scenario, status=status, solver=scenario.solver)
    notes = _budget_notes(dataset, scenario)
    if plan.has_solution:
        plan.schedule = [row for m in models for row in extract_schedule(m, dataset)]
        spent = {(s.region, s.year): s for m in models for s in extract_spending(m)}
        plan.spending = [spent.get(k) or Spending(k[0], k[1], 0.0, 0.0, 0.0, b) for k, b in inst.budgets.items()]
        choice = {(s.region, s.item): s.start_quarter or s.mode.value for s in plan.schedule}
        plan.objective = score(inst, choice, plan.total_cost_wan)  # type: ignore[arg-type]
        if status == SolveStatus.FEASIBLE:
            notes.append("求解在时限内停止，方案可行但未证明最优 / stopped at the time limit: feasible, "
                         "not proven optimal")
    elif status == SolveStatus.INFEASIBLE and scenario.deadline_mode == DeadlineMode.HARD:
        plan.shortfalls = explain_infeasible(inst, scenario)
        plan.schedule = _unsolved_schedule(inst)
    elif status == SolveStatus.TIME_LIMIT:
        notes.append(f"在 {scenario.time_limit_s:g} 秒内未找到可行方案 / no plan found within "
                     f"{scenario.time_limit_s:g} s")
    plan.schedule += _done_rows(inst, dataset)
    plan.compliance = compliance(dataset, scenario, plan.schedule)
    plan.message = "\n".join(notes)
    plan.seconds = time.perf_counter() - began
    return plan


def combine(statuses: list[SolveStatus]) -> SolveStatus:
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


def extract_schedule(m: Model, dataset: Dataset) -> list[ScheduledGap]:
    inst = m.inst
    rows = []
    for g, gap in enumerate(inst.gaps):
        start = next((q for q in m.starts_of(g) if (m.build[(g, q)].varValue or 0) > 0.5), None)
        actual = dataset.actuals.get(gap.key)
        if start is not None:
            late = inst.lateness(gap, start)
            rows.append(ScheduledGap(gap.region, gap.item.name, gap.item.tier, GapMode.BUILT, start,
                                     start + gap.lead_quarters, gap.capex_wan, gap.item.deadline,
                                     late == 0, late, actual, gap.upgrade))
        else:
            mode = GapMode.SHARED if g in m.shared and (m.shared[g].varValue or 0) > 0.5 else GapMode.UNBUILT
            rows.append(ScheduledGap(gap.region, gap.item.name, gap.item.tier, mode, None, None, 0.0,
                                     gap.item.deadline, False, None, actual, gap.upgrade))
    return rows


def _unsolved_schedule(inst: Instance) -> list[ScheduledGap]:
    return [ScheduledGap(g.region, g.item.name, g.item.tier, GapMode.UNBUILT, None, None, 0.0, g.item.deadline,
                         False, None, upgrade=g.upgrade) for g in inst.gaps]


def _done_rows(inst: Instance, dataset: Dataset) -> list[ScheduledGap]:
    """Gaps an actual completion date closed before the plan start."""
    rows = []
    for (region, name), when in inst.done_before_start.items():
        item = dataset.item(name)
        q = Quarter.of(when)
        rows.append(ScheduledGap(region, name, item.tier, GapMode.DONE, None, q, 0.0, item.deadline,
                                 when <= item.deadline, max(0, q - item.deadline_quarter), when))
    return rows


def extract_spending(m: Model) -> list[Spending]:
    """Spending per county-year, recomputed from the chosen schedule (not read off the LP rows)."""
    inst = m.inst
    chosen = {g: q for (g, q), v in m.build.items() if (v.varValue or 0) > 0.5}
    saving = {grp.name: grp.saving_wan for grp in inst.share_groups}
    rows = []
    for region in inst.regions:
        for year in inst.years:
            capex = opex = fees = 0.0
            for g, gap in enumerate(inst.gaps):
                if gap.region != region:
                    continue
                if g in chosen:
                    capex += gap.capex_wan if chosen[g].year == year else 0.0
                    opex += gap.item.opex_wan / 4 * inst.opex_quarters(gap, chosen[g], year)
                elif g in m.shared and (m.shared[g].varValue or 0) > 0.5:
                    fees += inst.fee(gap, year)
            capex -= sum(saving[grp] for (r, grp, q), v in m.together.items()
                         if r == region and q.year == year and (v.varValue or 0) > 0.5)
            key = (region, year)
            rows.append(Spending(region, year, round(capex, 6), round(opex, 6), round(fees, 6), inst.budgets[key],
                                 pool_wan=_value(m.pool.get(key)),
                                 carried_in_wan=_value(m.carry.get((region, year - 1)))))
    return rows


def _value(var: pulp.LpVariable | None) -> float:
    return round(var.varValue or 0.0, 6) if var is not None else 0.0


def compliance(dataset: Dataset, scenario: Scenario, schedule: Iterable[ScheduledGap]) -> list[ComplianceRow]:
    """Per region and tier: required, done at start, on time / late / unbuilt / shared in the plan, pending
    but unnamed (not schedulable), and actual completions by the deadline where dates are given."""
    schedule = list(schedule)
    rows = []
    for region in dataset.regions:
        for tier in dataset.tiers:
            st = tier_status(dataset, region.name, tier)
            if st["required"] is None:
                continue
            deadline = dataset.tier_deadline(tier)
            mine = [s for s in schedule if s.region == region.name and s.tier == tier]
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
                deadline=deadline,  # type: ignore[arg-type]
                actual_done=sum(1 for s in actual if s.actual_date <= s.deadline) if actual else None,
                as_of=scenario.as_of,
            ))
    return rows


def explain_infeasible(inst: Instance, scenario: Scenario) -> list[Shortfall]:
    """Why a hard plan cannot be met: gaps whose lead time no longer fits before the deadline, the least
    extra money per county and deadline, and assessments beyond the city's capacity.

    Counties that share nothing are explained one by one, as ``solve`` solves them: the same least extra
    money, and the elastic model over all counties at once can take HiGHS tens of seconds."""
    parts = [p for p in inst.split() if p.gaps] if inst.independent else [inst]
    out = [f for part in parts for f in _too_late(part)]
    for part in parts:
        out += _money_shortfalls(part, scenario)
    return out


def _too_late_gaps(inst: Instance) -> frozenset[int]:
    return frozenset(g for g, gap in enumerate(inst.gaps) if not inst.can_meet_deadline(gap))


def _too_late(inst: Instance) -> list[Shortfall]:
    out: list[Shortfall] = []
    for g in sorted(_too_late_gaps(inst)):
        gap = inst.gaps[g]
        earliest = inst.quarters[0] + gap.lead_quarters
        out.append(Shortfall(
            gap.region, gap.item.tier, gap.item.deadline, 0.0,
            f"{gap.region}「{gap.item.name}」建设周期 {gap.lead_quarters} 个季度，最早 {earliest} 投用，"
            f"晚于截止 {gap.deadline_quarter}：加钱也无法按期",
            f"{gap.region} '{gap.item.name}': lead time {gap.lead_quarters} quarters, online {earliest} at the "
            f"earliest, after the deadline {gap.deadline_quarter}: no budget can make it on time"))
    return out


def _money_shortfalls(inst: Instance, scenario: Scenario) -> list[Shortfall]:
    """The least extra money (and extra assessments) that would make ``inst`` feasible, per county and tier."""
    out: list[Shortfall] = []
    m = build_model(inst, BudgetMode.ELASTIC, relax_deadlines_for=_too_late_gaps(inst))
    status = run(m, scenario.solver, scenario.time_limit_s, scenario.mip_gap)
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return out
    chosen = {g: q for (g, q), v in m.build.items() if (v.varValue or 0) > 0.5}
    for region in inst.regions:
        short: dict[Tier, dict[int, float]] = {}
        for year in inst.years:
            extra = m.extra[(region, year)].varValue or 0.0
            if extra <= 1e-6:
                continue
            # Charge a short year to the tiers whose builds spend in it, in proportion to that spending.
            spend = {g.item.tier: 0.0 for g in inst.gaps}
            for g, gap in enumerate(inst.gaps):
                if gap.region == region and g in chosen:
                    spend[gap.item.tier] += inst.spending(gap, chosen[g], year)
            total = sum(spend.values()) or 1.0
            for tier, amount in spend.items():
                if amount > 0:
                    short.setdefault(tier, {})[year] = extra * amount / total
        for tier, by_year in sorted(short.items(), key=lambda kv: kv[0].key):
            amount = sum(by_year.values())
            if amount <= 0.05:
                continue
            deadline = max(g.item.deadline for g in inst.gaps if g.item.tier == tier)
            before = {y: v for y, v in by_year.items() if y <= deadline.year and v > 0.05}
            after = {y: v for y, v in by_year.items() if y > deadline.year and v > 0.05}
            zh_parts = ["，".join(f"{y} 年 {v:.1f}" for y, v in before.items())] if before else []
            en_parts = [", ".join(f"{y}: {v:.1f}" for y, v in before.items())] if before else []
            if after:  # the capability built on time still has to be run: opex in later years
                zh_parts.append("其后运行费 " + "，".join(f"{y} 年 {v:.1f}" for y, v in after.items()))
                en_parts.append("then running costs " + ", ".join(f"{y}: {v:.1f}" for y, v in after.items()))
            out.append(Shortfall(
                region, tier, deadline, round(amount, 2),
                f"{region}要在 {deadline.isoformat()} 前配齐{_tier_zh(tier)}能力，预算至少还差 {amount:.1f} 万元"
                f"（{'；'.join(zh_parts)}）",
                f"{region}: to have every {tier.label_en} capability by {deadline.isoformat()}, budgets are short "
                f"by at least {amount:.1f} 万元 ({'; '.join(en_parts)})"))
    for q, v in sorted(m.extra_capacity.items()):
        if (v.varValue or 0) > 1e-6:
            out.append(Shortfall(
                "市级", None, q.last_day, 0.0,
                f"市级建标考核能力不足：{q} 需要再多考核 {v.varValue:.0f} 项（K = {scenario.city_capacity}）",
                f"city assessment capacity too low: {q} needs {v.varValue:.0f} more (K = {scenario.city_capacity})"))
    return out


def _tier_zh(tier: Tier) -> str:
    return tier.name
