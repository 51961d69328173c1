"""The budget -> on-time frontier: the scenario solved in soft mode at several budget multipliers.

The multiplier scales the scenario's own budgets (workbook figures x the scenario's multiplier, and its
overrides): x1.0 is the scenario as it stands. All points are solved in one batch (``solve_many``). A point
whose solve failed or stopped at the time limit is marked ``failed``: its counts are not a result.

The curve a reader reads (gaps on time for the money) needs only the first stages of each plan (the fewest
missed gaps): ``frontier(..., quick=True)`` stops there, a fraction of the time, and marks its points not
``final`` (which gaps miss is settled, the priority-weighted count exactly; the lateness, the cost and, when
priorities differ, the plain count on time may still change). The full solve of each point refines them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from planner.analysis.summary import plan_summary
from planner.domain import Dataset, DeadlineMode, GapMode, Plan, Scenario, SolveStatus
from planner.model.instance import budget_table
from planner.model.solve import solve_many

DEFAULT_MULTIPLIERS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2)


@dataclass(frozen=True)
class FrontierPoint:
    multiplier: float  # x the scenario's own budgets
    total_budget_wan: float
    gaps: int
    on_time: int
    late: int
    late_quarters: int
    shared: int
    unbuilt: int
    cost_wan: float
    status: SolveStatus
    missed_weighted: float = 0.0  # priority-weighted gaps not on time: final after the quick pass too
    final: bool = True  # False: from the quick pass, only ``missed_weighted`` is final

    @property
    def failed(self) -> bool:
        """No proven optimum (infeasible, error, or stopped at the time limit): not a point of the frontier."""
        return self.status != SolveStatus.OPTIMAL

    @property
    def on_time_share(self) -> float | None:
        if self.failed:
            return None
        return self.on_time / self.gaps if self.gaps else 1.0


def scaled(scenario: Scenario, multiplier: float) -> Scenario:
    """The scenario in soft mode with every budget (multiplier and overrides) scaled by ``multiplier``."""
    return replace(scenario, deadline_mode=DeadlineMode.SOFT,
                   budget_multiplier=scenario.budget_multiplier * multiplier,
                   budget_overrides={k: v * multiplier for k, v in scenario.budget_overrides.items()})


def frontier(dataset: Dataset, scenario: Scenario, multipliers: Sequence[float] | None = None,
             executor=None, quick: bool = False) -> list[FrontierPoint]:
    """How many gaps make their deadline for how much money (``quick``: the first pass, see the module)."""
    mults = list(multipliers or DEFAULT_MULTIPLIERS)
    scenarios = [scaled(scenario, m) for m in mults]
    plans = solve_many([(dataset, s) for s in scenarios], executor, through_misses=quick)
    points = []
    for mult, s, plan in zip(mults, scenarios, plans, strict=True):
        summary = plan_summary(plan) if plan.has_solution else dict.fromkeys(
            ("gaps", "on_time", "late", "late_quarters", "shared", "unbuilt", "cost_wan"), 0)
        points.append(FrontierPoint(
            multiplier=mult, total_budget_wan=round(sum(budget_table(dataset, s).values()), 2),
            status=plan.status, missed_weighted=_missed_weighted(dataset, plan) if plan.has_solution else 0.0,
            final=not quick, **summary))  # type: ignore[arg-type]
    return points


def _missed_weighted(dataset: Dataset, plan: Plan) -> float:
    """Priority-weighted gaps not on time (built late, shared, unbuilt): the first stage's objective."""
    return round(sum(dataset.item(s.item).priority for s in plan.schedule
                     if s.mode != GapMode.DONE and not (s.mode == GapMode.BUILT and s.on_time)), 6)
