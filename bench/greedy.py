"""The greedy baseline for the benchmark: what a careful planner with a spreadsheet would do.

Each quarter, in order, start every open gap whose whole spending (capex now, opex once online, to the horizon
end) still fits every remaining yearly budget of its county — gaps taken by priority, then deadline, then
cheaper first. What is never started stays unbuilt.
"""

from __future__ import annotations

from collections import defaultdict

from planner.model.instance import Gap, Instance
from planner.quarters import Quarter


def greedy(inst: Instance) -> dict[tuple[str, str], Quarter | str]:
    """Each gap's start quarter, or "unbuilt"."""
    choice: dict[tuple[str, str], Quarter | str] = {}
    by_region: dict[str, list[Gap]] = defaultdict(list)
    for gap in inst.gaps:
        by_region[gap.region].append(gap)
    last = inst.horizon_end.index
    for region, gaps in by_region.items():  # counties share nothing: one at a time
        left = {y: inst.budgets[(region, y)] for y in inst.years}
        waiting = sorted(gaps, key=lambda g: (-g.item.priority, g.item.deadline, g.capex_wan))
        for quarter in inst.quarters:
            still = []
            for gap in waiting:
                if quarter.index + gap.lead_quarters > last:  # would come online after the horizon: never
                    continue
                need = {y: inst.spending(gap, quarter, y) for y in inst.years}
                if all(left[y] + 1e-9 >= amount for y, amount in need.items()):
                    for y, amount in need.items():
                        left[y] -= amount
                    choice[gap.key] = quarter
                else:
                    still.append(gap)
            waiting = still
    for gap in inst.gaps:
        choice.setdefault(gap.key, "unbuilt")
    return choice


def summary(inst: Instance, choice: dict[tuple[str, str], Quarter | str]) -> dict[str, int]:
    """On time, late, unbuilt, quarters late: the counts the bench compares with the optimum."""
    out: dict[str, int] = defaultdict(int)
    for gap in inst.gaps:
        pick = choice[gap.key]
        if isinstance(pick, Quarter):
            late = inst.lateness(gap, pick)
            out["on_time" if late == 0 else "late"] += 1
            out["late_quarters"] += late
        else:
            out["unbuilt"] += 1
    return dict(out)
