"""Re-plan from a date: the catch-up plan for the gaps still open on that day.

Gaps with an actual completion date (实际完成) before the new start are done and leave the plan; the rest are
scheduled from the next quarter on. Deadlines that have passed cannot be met any more, so the catch-up plan
uses soft deadlines: the fewest gaps late, then the least lateness. A county-year in the new horizon without
a workbook budget gets that county's latest workbook budget (an assumption, listed in ``filled``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from planner.domain import Dataset, DeadlineMode, Scenario
from planner.quarters import Quarter

MIN_QUARTERS = 8  # a catch-up horizon of at least two years


@dataclass(frozen=True)
class CatchUp:
    """The catch-up scenario and what was assumed to build it."""

    scenario: Scenario
    open_gaps: int  # gaps the catch-up plan schedules (no actual date before its start)
    filled: dict[tuple[str, int], float]  # county-years given the county's latest workbook budget


def catch_up(dataset: Dataset, scenario: Scenario, on: date, quarters: int = MIN_QUARTERS) -> CatchUp:
    """The scenario re-planned from the quarter after ``on``: same budgets and options, soft deadlines,
    actual dates up to ``on`` counted as done, and a horizon of at least ``quarters`` quarters."""
    start = Quarter.of(on) + 1
    end = max(scenario.horizon_end, start + (quarters - 1))
    overrides = dict(scenario.budget_overrides)
    filled: dict[tuple[str, int], float] = {}
    for region in dataset.matrix_regions:
        known = sorted(y for (r, y) in dataset.budgets if r == region.name)
        if not known or (region.name, 0) in overrides:
            continue
        factor = scenario.budget_multiplier * scenario.region_multipliers.get(region.name, 1.0)
        for year in range(start.year, end.year + 1):
            if (region.name, year) not in dataset.budgets and (region.name, year) not in overrides:
                filled[(region.name, year)] = dataset.budgets[(region.name, known[-1])] * factor
    overrides.update(filled)
    done = {k for k, d in dataset.actuals.items() if d < start.first_day}  # as the engine counts them
    open_gaps = sum(1 for k in dataset.gaps() if k not in done)
    base = scenario.name.split("（")[0]
    new = replace(scenario, name=f"{base}_catch_up_{on.isoformat()}", start=start, horizon_end=end,
                  deadline_mode=DeadlineMode.SOFT, as_of=on, use_actuals=True, budget_overrides=overrides,
                  description=f"自 {on.isoformat()} 起重新规划：{start} 至 {end}，柔性截止，已报实际完成的不再排程 / "
                              f"re-planned from {on.isoformat()}: {start} to {end}, soft deadlines, gaps with an "
                              f"actual completion date are done",
                  source_path=None)
    return CatchUp(new, open_gaps, filled)
