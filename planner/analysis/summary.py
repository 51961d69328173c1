"""Counts a reviewer compares across plans."""

from __future__ import annotations

from planner.domain import GapMode, Plan
from planner.model.objective import missing_open


def plan_summary(plan: Plan) -> dict[str, float | int]:
    """Gaps to build, and how they end: on time + late + shared + unbuilt = gaps; quarters late of late builds."""
    rows = [s for s in plan.schedule if s.mode != GapMode.DONE]
    built = [s for s in rows if s.mode == GapMode.BUILT]
    return {
        "gaps": len(rows),
        "on_time": sum(s.on_time for s in built),
        "late": sum(not s.on_time for s in built),
        "late_quarters": sum(s.late_quarters or 0 for s in built),  # shared / unbuilt gaps have none
        "shared": sum(s.mode == GapMode.SHARED for s in rows),
        "unbuilt": sum(s.mode == GapMode.UNBUILT for s in rows),
        "cost_wan": round(plan.total_cost_wan, 2),
    }


def gap_quarters(plan: Plan) -> int:
    """Gap-quarters: the quarters the plan's gaps stay open, from the plan start to the quarter each is online (a
    shared gap the whole horizon, an unbuilt one a quarter more: ``objective.missing_open``; gaps done before the
    start do not count) — what the objective switch (earliest | cheapest) trades against money, counted as the
    model's own ``open_quarters`` does."""
    sc = plan.scenario
    horizon = sc.horizon_end - sc.start + 1
    total = 0
    for g in plan.schedule:
        if g.mode == GapMode.BUILT and g.online_quarter is not None:
            total += max(0, g.online_quarter - sc.start)
        elif g.mode in (GapMode.SHARED, GapMode.UNBUILT):
            total += missing_open(g.mode, horizon)
    return total
