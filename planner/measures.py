"""Figures of a plan that ``analysis.summary`` does not carry: how long its gaps stay open.

The objective switch (earliest | cheapest) trades money for time: the earliest plan pays more to close gaps
sooner. The time side is counted as gap-quarters, the quarters each gap stays open from the plan start to the
quarter it is online (a shared or unbuilt gap: the whole horizon), as the model's own ``open_quarters`` does.
"""

from __future__ import annotations

from planner.domain import GapMode, Plan


def open_quarters(plan: Plan) -> int:
    """Gap-quarters: the quarters the plan's gaps stay open (gaps done before the start do not count)."""
    sc = plan.scenario
    horizon = sc.horizon_end - sc.start + 1
    total = 0
    for g in plan.schedule:
        if g.mode == GapMode.BUILT and g.online_quarter is not None:
            total += max(0, g.online_quarter - sc.start)
        elif g.mode in (GapMode.SHARED, GapMode.UNBUILT):
            total += horizon
    return total
