"""What one more 万元 in a county-year buys: re-solves with that money added, and LP duals with the plan's
choices held.

When counties share nothing, only the county that gets the money can change: each county-year is one small
re-solve of that county, all sent to the executor in one batch (and cached like any part).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from planner.domain import Dataset, GapMode, Plan, Scenario
from planner.model import objective as obj
from planner.model.instance import Instance
from planner.model.part import PartTask, solve_parts
from planner.model.solve import choices, solve

MODELLED = (GapMode.BUILT, GapMode.SHARED, GapMode.UNBUILT)  # the modes a gap of the model can have


@dataclass(frozen=True)
class MarginalValue:
    """What one more 万元 in a county-year is worth.

    ``dual``: the budget row's dual in the LP with the plan's choices fixed (what the money is worth with
    every decision held; zero unless a continuous choice, pool or carry-over, still moves).
    ``value``: objective improvement per 万元 when that county-year gets ``delta`` 万元 more and the MILP is
    re-solved (objective units: only the ranking means something); what the extra money buys, in a planner's
    words: ``missed_saved`` more gaps meeting their deadline (priority-weighted), ``late_quarters_saved``
    fewer quarters late (may be negative when a gap that was dropped is now built late), and
    ``open_quarters_saved`` quarters earlier. Apart, for words that keep unbuilt gaps and late ones apart:
    ``unbuilt_saved`` fewer gaps left unbuilt, ``late_built_saved`` fewer quarters late among the gaps built
    either way. ``late_quarters_saved`` and ``open_quarters_saved`` count a gap that is not built as the ranking
    does (``objective.missing_lateness``, ``objective.missing_open``: a shared gap online one quarter past the
    horizon end, an unbuilt one two), so building it late is a gain.
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
    unbuilt_saved: int = 0
    late_built_saved: int = 0


def marginal_values(dataset: Dataset, scenario: Scenario, plan: Plan | None = None, delta_wan: float = 10.0,
                    executor=None) -> list[MarginalValue]:
    plan = plan or solve(dataset, scenario, executor)
    if not plan.has_solution:
        return []
    inst = Instance.from_dataset(dataset, scenario)
    duals = fixed_choice_duals(inst, plan, executor)
    base = plan.choices()
    richer = _richer_choices(dataset, scenario, inst, plan, delta_wan, executor)
    out = []
    for sp in plan.spending:
        key = (sp.region, sp.year)
        slack = sp.budget_wan + sp.pool_wan + sp.carried_in_wan - sp.spent_wan
        found = richer.get(key)
        if found is not None and plan.objective is not None:
            choice, cost = found
            value = (plan.objective - obj.score(inst, choice, cost, scenario.objective)) / delta_wan
            missed_saved = obj.missed(inst, base) - obj.missed(inst, choice)
            late_saved = obj.ranked_lateness(inst, base) - obj.ranked_lateness(inst, choice)
            open_saved = obj.open_quarters(inst, base) - obj.open_quarters(inst, choice)
            unbuilt_saved, late_built = _unbuilt(base) - _unbuilt(choice), _late_built(inst, base, choice)
        else:
            value, missed_saved, late_saved, open_saved, unbuilt_saved, late_built = 0.0, 0.0, 0, 0, 0, 0
        out.append(MarginalValue(sp.region, sp.year, slack < 1e-6, round(slack, 3), duals.get(key, 0.0),
                                 round(value, 6), round(missed_saved, 6), late_saved, open_saved, delta_wan,
                                 unbuilt_saved, late_built))
    return out


def _unbuilt(choice: dict) -> int:
    return sum(v == GapMode.UNBUILT for v in choice.values())


def _late_built(inst: Instance, base: dict, choice: dict) -> int:
    """Quarters late saved among the gaps built in both plans (unbuilt and shared gaps have no lateness)."""
    return sum(obj.gap_lateness(inst, g, base[g.key]) - obj.gap_lateness(inst, g, choice[g.key]) for g in inst.gaps
               if not isinstance(base.get(g.key), str | None) and not isinstance(choice.get(g.key), str | None))


def _richer_choices(dataset: Dataset, scenario: Scenario, inst: Instance, plan: Plan, delta_wan: float,
                    executor) -> dict[tuple[str, int], tuple[dict, float]]:
    """For each county-year: the plan's choices and total cost when it gets ``delta_wan`` more."""
    keys = [(s.region, s.year) for s in plan.spending]
    if inst.coupled:  # any county may change: re-solve the whole plan per county-year
        out = {}
        for key in keys:
            overrides = {**scenario.budget_overrides, key: inst.budgets[key] + delta_wan}
            more = solve(dataset, replace(scenario, budget_overrides=overrides), executor)
            if more.has_solution:
                out[key] = (more.choices(), more.total_cost_wan)
        return out
    # the part a county belongs to: itself, or the counties a target over several joins it to
    part_of = {r: p for p in inst.split() for r in p.regions}
    base = plan.choices()
    cost_by_region: dict[str, float] = {}
    for s in plan.spending:
        cost_by_region[s.region] = cost_by_region.get(s.region, 0.0) + s.spent_wan
    total = sum(cost_by_region.values())
    tasks = [PartTask(replace(part_of[r], budgets={**part_of[r].budgets, (r, y): part_of[r].budgets[(r, y)]
                                                   + delta_wan})) for r, y in keys]
    out = {}
    for key, task, result in zip(keys, tasks, solve_parts(tasks, executor), strict=True):
        if not result.has_solution:
            continue
        choice = {**base, **choices(task.inst, result)}
        spent = float((result.capex + result.opex + result.fees).sum())
        before = sum(cost_by_region.get(r, 0.0) for r in task.inst.regions)
        out[key] = (choice, total - before + spent)
    return out


def fixed_choice_duals(inst: Instance, plan: Plan, executor=None) -> dict[tuple[str, int], float]:
    """Fix every start/share/unbuilt choice at the plan's values, re-solve the LP, read the budget duals
    (a MIP's own duals mean nothing). Reported as a gain per 万元 (the negated dual of a <= row)."""
    rows = {(s.region, s.item): s for s in plan.schedule}
    parts = [p for p in inst.components() if p.gaps]
    tasks = []
    for part in parts:
        mode = np.array([(rows[g.key].mode if g.key in rows and rows[g.key].mode in MODELLED
                          else GapMode.UNBUILT).code for g in part.gaps], dtype=np.int8)
        start = np.array([part.quarters.index(rows[g.key].start_quarter)
                          if g.key in rows and rows[g.key].start_quarter in part.quarters else -1
                          for g in part.gaps], dtype=np.int64)
        tasks.append(PartTask(part, fixed=(mode, start)))
    out = {}
    for part, result in zip(parts, solve_parts(tasks, executor), strict=True):
        if result.duals is None:
            continue
        for r, region in enumerate(part.regions):
            for y, year in enumerate(part.years):
                out[(region, year)] = round(-float(result.duals[r, y]), 6) + 0.0  # no -0.0
    return out
