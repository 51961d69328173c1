"""Planned against actual, as of a date: what a reviewer checks once deadlines have passed.

A gap is done when its actual completion date (配置到位, sheet 实际完成) is on or before the as-of date; a
date after the as-of date is not known yet on that day and counts as not done. Each gap is judged against
its own item's deadline; rows per region and tier use the tier's deadline for the heading only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from planner.domain import Dataset, GapMode, Plan, Tier
from planner.quarters import Quarter


class Progress(StrEnum):
    DONE_ON_TIME = "done_on_time"  # configured on or before its deadline
    DONE_LATE = "done_late"  # configured after its deadline (by the as-of date)
    OVERDUE = "overdue"  # deadline passed by the as-of date, not configured
    OPEN = "open"  # not configured, deadline still ahead


@dataclass(frozen=True)
class GapProgress:
    """One gap of the capability matrix: the plan's online quarter beside the actual date."""

    region: str
    item: str
    tier: Tier
    deadline: date
    status: Progress
    actual: date | None  # as recorded, also when after the as-of date
    evidence: str
    planned_mode: GapMode | None  # None when there is no plan
    planned_online: Quarter | None
    planned_on_time: bool | None  # the plan has it online by its deadline; None when there is no plan
    counted: bool  # the actual date is on or before the as-of date

    @property
    def quarters_vs_plan(self) -> int | None:
        """Quarters the actual completion came after (+) or before (−) the planned online quarter."""
        if not self.counted or self.actual is None or self.planned_online is None:
            return None
        return Quarter.of(self.actual) - self.planned_online


@dataclass(frozen=True)
class DeadlineProgress:
    """One region and tier as of a date: how many gaps were configured on time, late, or not at all."""

    region: str
    tier: Tier
    deadline: date | None
    gaps: int
    done_on_time: int
    done_late: int
    overdue: int
    open: int
    planned_on_time: int | None  # gaps the plan builds by their deadline; None without a plan

    @property
    def met(self) -> bool | None:
        """True when every gap was configured by its deadline; None while a deadline is still ahead."""
        if self.done_late or self.overdue:
            return False
        if self.open:
            return None
        return True


def gap_progress(dataset: Dataset, plan: Plan | None, as_of: date) -> list[GapProgress]:
    """Every gap of the matrix (region × item to build or upgrade), in workbook order."""
    planned = {(g.region, g.item): g for g in plan.schedule} if plan is not None else {}
    rows = []
    for region, name in dataset.gaps():
        item = dataset.item(name)
        actual = dataset.actuals.get((region, name))
        counted = actual is not None and actual <= as_of
        if counted:
            status = Progress.DONE_ON_TIME if actual <= item.deadline else Progress.DONE_LATE  # type: ignore[operator]
        else:
            status = Progress.OVERDUE if item.deadline < as_of else Progress.OPEN
        g = planned.get((region, name))
        rows.append(GapProgress(region, name, item.tier, item.deadline, status, actual,
                                dataset.actual_evidence.get((region, name), ""),
                                g.mode if g is not None else None, g.online_quarter if g is not None else None,
                                (g.on_time and g.mode in (GapMode.BUILT, GapMode.DONE)) if g is not None else None,
                                counted))
    return rows


def deadline_progress(dataset: Dataset, plan: Plan | None, as_of: date,
                      regions: list[str] | None = None) -> list[DeadlineProgress]:
    """Per region (of ``regions``, default all with named gaps) and tier: the counts a reviewer reports."""
    rows = gap_progress(dataset, plan, as_of)
    wanted = regions if regions is not None else [r.name for r in dataset.matrix_regions]
    out = []
    for region in wanted:
        for tier in dataset.tiers:
            mine = [g for g in rows if g.region == region and g.tier == tier]
            if not mine:
                continue
            by = {s: sum(g.status == s for g in mine) for s in Progress}
            on_time = sum(bool(g.planned_on_time) for g in mine) if plan is not None else None
            out.append(DeadlineProgress(region, tier, dataset.tier_deadline(tier), len(mine),
                                        by[Progress.DONE_ON_TIME], by[Progress.DONE_LATE], by[Progress.OVERDUE],
                                        by[Progress.OPEN], on_time))
    return out
