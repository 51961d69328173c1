"""What one more 万元 in a county-year buys: re-solves, and LP duals with the choices fixed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.domain import Dataset, GapMode, Plan, Scenario, SolveStatus
from planner.model.formulation import Instance, budget_table, build_model, score
from planner.model.solve import extract_schedule, extract_spending, run, solve, solve_model
from planner.quarters import Quarter


@dataclass(frozen=True)
class MarginalValue:
    """What one more 万元 in a county-year is worth.

    ``dual``: the budget row's dual in the LP with the plan's choices fixed (what the money is worth with
    every decision held; zero unless a continuous choice, pool or carry-over, still moves).
    ``value``: objective improvement per 万元 when that county-year gets ``delta`` 万元 more and the MILP is
    re-solved (objective units: only the ranking means something); what the extra money buys, in a planner's
    words: ``missed_saved`` more gaps meeting their deadline (priority-weighted), ``late_quarters_saved``
    fewer quarters late (may be negative when a gap that was dropped is now built late), and
    ``open_quarters_saved`` quarters earlier.
    """

    region: str
    year: int
    binding: bool
    slack_wan: float
    dual: float
    value: float
    missed_saved: float
    late_quarters_saved: int
    open_quarters_saved: int
    delta_wan: float


def marginal_values(dataset: Dataset, scenario: Scenario, plan: Plan | None = None,
                    delta_wan: float = 10.0) -> list[MarginalValue]:
    plan = plan or solve(dataset, scenario)
    if not plan.has_solution:
        return []
    duals = fixed_choice_duals(dataset, scenario, plan)
    budgets = budget_table(dataset, scenario)
    inst = Instance.from_dataset(dataset, scenario)
    base_choice = {(s.region, s.item): s.start_quarter or s.mode.value for s in plan.schedule
                   if s.mode != GapMode.DONE}
    base_cost = {(s.region, s.year): s.spent_wan for s in plan.spending}
    out = []
    for sp in plan.spending:
        key = (sp.region, sp.year)
        slack = sp.budget_wan + sp.pool_wan + sp.carried_in_wan - sp.spent_wan
        overrides = dict(scenario.budget_overrides)
        overrides[key] = budgets[key] + delta_wan
        richer = replace(scenario, budget_overrides=overrides)
        if inst.independent:  # only this county's plan can change: re-solve it alone
            choice, cost = _resolve_county(dataset, richer, sp.region)
            if choice is not None:
                choice = {**base_choice, **choice}
                cost = sum(v for (r, _), v in base_cost.items() if r != sp.region) + cost
        else:
            more = solve(dataset, richer)
            choice = ({(s.region, s.item): s.start_quarter or s.mode.value for s in more.schedule
                       if s.mode != GapMode.DONE} if more.has_solution else None)
            cost = more.total_cost_wan
        if choice is not None and plan.objective is not None:
            value = (plan.objective - score(inst, choice, cost)) / delta_wan
            missed_saved = _missed(inst, base_choice) - _missed(inst, choice)
            late_saved = _late_quarters(inst, base_choice) - _late_quarters(inst, choice)
            open_saved = _open(inst, base_choice) - _open(inst, choice)
        else:
            value, missed_saved, late_saved, open_saved = 0.0, 0.0, 0, 0
        out.append(MarginalValue(sp.region, sp.year, slack < 1e-6, round(slack, 3), duals.get(key, 0.0),
                                 round(value, 6), round(missed_saved, 6), late_saved, open_saved, delta_wan))
    return out


def _resolve_county(dataset: Dataset, scenario: Scenario, region: str):
    """One county's optimal choices and cost under ``scenario`` (counties independent)."""
    part = next(p for p in Instance.from_dataset(dataset, scenario).split() if p.regions == [region])
    if not part.gaps:
        return {}, 0.0
    m = build_model(part)
    if solve_model(m, scenario) not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return None, 0.0
    rows = extract_schedule(m, dataset)
    return ({(s.region, s.item): s.start_quarter or s.mode.value for s in rows},
            sum(s.spent_wan for s in extract_spending(m)))


def _missed(inst: Instance, choice: dict) -> float:
    """Priority-weighted gaps not on time: built late, shared or unbuilt."""
    return sum(g.item.priority for g in inst.gaps
               if not isinstance(choice[g.key], Quarter) or inst.lateness(g, choice[g.key]))


def _late_quarters(inst: Instance, choice: dict) -> int:
    """Quarters late over all gaps; a shared or unbuilt gap counts as past the horizon."""
    return sum(inst.lateness(g, choice[g.key]) if isinstance(choice[g.key], Quarter) else inst.max_lateness(g) + 1
               for g in inst.gaps)


def _open(inst: Instance, choice: dict) -> int:
    return sum(inst.open_quarters(g, choice[g.key]) if isinstance(choice[g.key], Quarter) else len(inst.quarters)
               for g in inst.gaps)


def fixed_choice_duals(dataset: Dataset, scenario: Scenario, plan: Plan) -> dict[tuple[str, int], float]:
    """Fix every start/share/unbuilt choice at the plan's values, re-solve the LP, read the budget duals
    (a MIP's own duals mean nothing)."""
    inst = Instance.from_dataset(dataset, scenario)
    m = build_model(inst, relax=True)
    pick = {(s.region, s.item): s for s in plan.schedule}
    for (g, q), var in m.build.items():
        row = pick.get(inst.gaps[g].key)
        var.lowBound = var.upBound = 1.0 if row is not None and row.start_quarter == q else 0.0
    for g, var in list(m.shared.items()) + list(m.unbuilt.items()):
        row = pick.get(inst.gaps[g].key)
        wanted = GapMode.SHARED if var in m.shared.values() else GapMode.UNBUILT
        var.lowBound = var.upBound = 1.0 if row is not None and row.mode == wanted else 0.0
    for var in m.together.values():
        var.lowBound, var.upBound = 0.0, 1.0
    status = run(m, scenario.solver, scenario.time_limit_s, 0.0, mip=False)
    if status != SolveStatus.OPTIMAL:
        return {}
    # A <= row's dual is the objective change per unit of right-hand side; report it as a gain per 万元.
    rows = {k: m.prob.get_constraint_by_name(name) for k, name in m.budget_rows.items()}
    return {k: round(-(row.pi or 0.0), 6) + 0.0 for k, row in rows.items() if row is not None}  # no -0.0
