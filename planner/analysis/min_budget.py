"""The least budget that meets every deadline: budgets become variables in the same model.

Two answers: the least **flat** yearly budget per county (the same every year of the horizon), and the least
budget **per county and year** (what each county needs in 2024, in 2025, …: the cheapest deadline-meeting
plan's spending by year, ties broken toward closing gaps earlier). Both are rounded **up** to 0.01 万元, so
either figure fed back as the budget meets every deadline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from planner.domain import Dataset, DeadlineMode, Scenario, SolveStatus
from planner.model.families import BudgetMode
from planner.model.instance import Instance
from planner.model.part import PartTask, solve_parts
from planner.model.solve import combine


@dataclass(frozen=True)
class MinBudget:
    """Least budgets meeting every deadline. ``per_region``: flat 万元/年 per county; ``per_year``: 万元 per
    county and year; ``unreachable``: counties where no budget helps (a lead time no longer fits)."""

    per_region: dict[str, float]
    total_wan: float
    status: SolveStatus
    per_year: dict[tuple[str, int], float] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)

    @property
    def per_year_total_wan(self) -> float:
        return round(sum(self.per_year.values()), 2)


def round_up(value: float) -> float:
    """Up to the next 0.01 万元 (a solver's 1e-9 noise above a round figure is not a cent more)."""
    return math.ceil(value * 100 - 1e-6) / 100 + 0.0


def min_budget(dataset: Dataset, scenario: Scenario, executor=None) -> MinBudget:
    """Budgets become variables; deadlines are hard whatever the scenario says."""
    hard = replace(scenario, deadline_mode=DeadlineMode.HARD)
    inst = Instance.from_dataset(dataset, hard)
    parts = [p for p in inst.components() if p.gaps]
    tasks = [PartTask(p, mode) for mode in (BudgetMode.MINIMISE, BudgetMode.MINIMISE_YEARLY) for p in parts]
    results = solve_parts(tasks, executor)
    flat, yearly = results[: len(parts)], results[len(parts):]
    per_region = {r: 0.0 for r in inst.regions}
    per_year = {k: 0.0 for k in inst.budgets}
    unreachable: list[str] = []
    for part, f, y in zip(parts, flat, yearly, strict=True):
        if not (f.has_solution and y.has_solution):
            unreachable += part.regions
            continue
        for r, region in enumerate(part.regions):
            per_region[region] = round_up(float(f.budget[r, 0]))
            for n, year in enumerate(part.years):
                per_year[(region, year)] = round_up(float(y.budget[r, n]))
    status = combine(r.status for r in results)
    if unreachable:
        per_region = {r: v for r, v in per_region.items() if r not in unreachable}
        per_year = {k: v for k, v in per_year.items() if k[0] not in unreachable}
    return MinBudget(per_region, round(sum(per_region.values()), 2), status, per_year, unreachable)
