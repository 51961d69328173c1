"""The least budget that meets every deadline: budgets become variables in the same model."""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.domain import Dataset, DeadlineMode, Scenario, SolveStatus
from planner.model.formulation import BudgetMode, Instance, build_model
from planner.model.solve import combine, run


@dataclass(frozen=True)
class MinBudget:
    """The least flat yearly budget (万元/年, the same every year of the horizon) per county that meets
    every deadline, and their total."""

    per_region: dict[str, float]
    total_wan: float
    status: SolveStatus


def min_budget(dataset: Dataset, scenario: Scenario) -> MinBudget:
    """Budgets become variables; deadlines are hard whatever the scenario says."""
    hard = replace(scenario, deadline_mode=DeadlineMode.HARD)
    inst = Instance.from_dataset(dataset, hard)
    parts = inst.split() if inst.independent else [inst]
    per_region: dict[str, float] = {}
    statuses = []
    for part in parts:
        if not part.gaps:
            per_region.update({r: 0.0 for r in part.regions})
            continue
        m = build_model(part, BudgetMode.MINIMISE)
        statuses.append(run(m, hard.solver, hard.time_limit_s, hard.mip_gap))
        for region, var in m.flat_budget.items():
            per_region[region] = round(var.varValue or 0.0, 2)
    status = combine(statuses)
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return MinBudget({}, 0.0, status)
    ordered = {r: per_region.get(r, 0.0) for r in inst.regions}
    return MinBudget(ordered, round(sum(ordered.values()), 2), status)

