"""The straightforward reference for the benchmark: the same model written the usual PuLP way (one
``LpVariable`` per start, ``lpSum`` constraints), built and solved as one monolithic problem by PuLP's HiGHS.

This is the project's first formulation (wave 1), kept here only as the yardstick the bench measures the
engine against, in the same run and on the same instance; it covers the families the bench instances use
(budgets, hard or soft deadlines; no what-if options).
"""

from __future__ import annotations

import time

import pulp

from planner.domain import DeadlineMode
from planner.model.instance import Instance
from planner.model.objective import shared_penalty, unbuilt_penalty, weights


def build(inst: Instance) -> tuple[pulp.LpProblem, dict, dict, pulp.LpAffineExpression]:
    """(problem, start variables, unbuilt variables, missed-gaps expression) for the whole instance."""
    prob = pulp.LpProblem("reference", pulp.LpMinimize)
    soft = inst.scenario.deadline_mode == DeadlineMode.SOFT
    x, u = {}, {}
    for g, gap in enumerate(inst.gaps):
        for q in inst.starts(gap):
            if soft or inst.lateness(gap, q) == 0:
                x[(g, q)] = pulp.LpVariable(f"x_{g}_{q.index}", cat=pulp.LpBinary)
        if soft:
            u[g] = pulp.LpVariable(f"u_{g}", cat=pulp.LpBinary)
    starts: dict[int, list] = {}
    for (g, q), v in x.items():
        starts.setdefault(g, []).append((q, v))
    for g in range(len(inst.gaps)):
        prob += pulp.lpSum([v for _, v in starts.get(g, [])] + ([u[g]] if g in u else [])) == 1, f"once_{g}"
    spend: dict[tuple[str, int], list] = {}
    for (g, q), v in x.items():
        gap = inst.gaps[g]
        for year in inst.years:
            amount = inst.spending(gap, q, year)
            if amount:
                spend.setdefault((gap.region, year), []).append(amount * v)
    for r, region in enumerate(inst.regions):
        for year in inst.years:
            prob += pulp.lpSum(spend.get((region, year), [])) <= inst.budgets[(region, year)], f"budget_{r}_{year}"
    w = weights(inst)
    late, open_q, cost = [], [], []
    missed = []
    for (g, q), v in x.items():
        gap = inst.gaps[g]
        p = gap.item.priority
        if inst.lateness(gap, q):
            late.append(p * inst.lateness(gap, q) * v)
            missed.append(p * v)
        open_q.append(p * inst.open_quarters(gap, q) * v)
        cost.append(sum(inst.spending(gap, q, y) for y in inst.years) * v)
    for g, v in u.items():
        gap = inst.gaps[g]
        late.append(unbuilt_penalty(inst, gap) * v)
        open_q.append(gap.item.priority * (len(inst.quarters) + 1) * v)
        missed.append(gap.item.priority * v)
    assert shared_penalty  # sharing is not part of the reference
    prob += w.late * pulp.lpSum(late) + w.open * pulp.lpSum(open_q) + w.cost * pulp.lpSum(cost)
    return prob, x, u, pulp.lpSum(missed)


def solve(inst: Instance, time_limit_s: float = 600.0) -> dict:
    """Build and solve; the two-stage (fewest missed, then the ladder) solve in soft mode. Returns timings,
    status, objective and the number of gaps on time."""
    began = time.perf_counter()
    prob, x, u, missed = build(inst)
    built = time.perf_counter()
    solver = pulp.HiGHS(msg=False, timeLimit=time_limit_s, threads=1, random_seed=0, gapRel=0.0)
    if u:
        ladder = prob.objective
        prob.setObjective(missed)
        prob.solve(solver)
        prob += missed <= (pulp.value(prob.objective) or 0.0) + 1e-6, "hold"
        prob.setObjective(ladder)
    prob.solve(solver)
    done = time.perf_counter()
    on_time = sum(1 for (g, q), v in x.items() if (v.varValue or 0) > 0.5 and inst.lateness(inst.gaps[g], q) == 0)
    return {"build_s": built - began, "solve_s": done - built, "total_s": done - began,
            "status": pulp.LpStatus[prob.status], "objective": pulp.value(prob.objective), "on_time": on_time,
            "variables": len(prob.variables())}
