"""The budget -> on-time frontier: the scenario solved at several budget multipliers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from planner.analysis.summary import plan_summary
from planner.domain import Dataset, DeadlineMode, Scenario, SolveStatus
from planner.model.formulation import budget_table
from planner.model.solve import solve

DEFAULT_MULTIPLIERS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2)


@dataclass(frozen=True)
class FrontierPoint:
    multiplier: float
    total_budget_wan: float
    gaps: int
    on_time: int
    late: int
    late_quarters: int
    shared: int
    unbuilt: int
    cost_wan: float
    status: SolveStatus

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.gaps if self.gaps else 1.0

def frontier(dataset: Dataset, scenario: Scenario,
             multipliers: Sequence[float] | None = None) -> list[FrontierPoint]:
    """Solve the scenario in soft mode with every budget scaled by each multiplier: how many gaps make
    their deadline for how much money."""
    points = []
    for mult in multipliers or DEFAULT_MULTIPLIERS:
        s = replace(scenario, deadline_mode=DeadlineMode.SOFT,
                    budget_multiplier=scenario.budget_multiplier * mult,
                    budget_overrides={k: v * mult for k, v in scenario.budget_overrides.items()})
        plan = solve(dataset, s)
        summary = plan_summary(plan)
        points.append(FrontierPoint(
            multiplier=mult, total_budget_wan=round(sum(budget_table(dataset, s).values()), 2),
            status=plan.status, **summary))  # type: ignore[arg-type]
    return points

