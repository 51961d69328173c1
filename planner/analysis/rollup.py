"""Roll-ups up the region hierarchy: a city's (or province's) figures are the sum of the regions below it.

A roll-up row sums every region in the subtree that has its own compliance row (the region itself included),
so a city with a matrix row of its own counts once, as itself, and its counties add to it.
"""

from __future__ import annotations

from dataclasses import replace

from planner.domain import ComplianceRow, Dataset, Spending

ROLLUP = "（合计）"  # a roll-up row's region is "<name>（合计）"


def rollup_name(region: str) -> str:
    return f"{region}{ROLLUP}"


def parents(dataset: Dataset) -> list[str]:
    """Regions with at least one region below them, in workbook order."""
    above = {r.parent for r in dataset.regions if r.parent}
    return [r.name for r in dataset.regions if r.name in above]


def rollup_compliance(dataset: Dataset, rows: list[ComplianceRow]) -> list[ComplianceRow]:
    """One row per tier for every region that has regions below it: the sums over its subtree."""
    by_key = {(c.region, c.tier.key): c for c in rows}
    out = []
    for region in parents(dataset):
        subtree = dataset.subtree(region)
        for tier in dataset.tiers:
            mine = [by_key[(r, tier.key)] for r in subtree if (r, tier.key) in by_key]
            if not mine:
                continue
            actual = [c.actual_done for c in mine if c.actual_done is not None]
            out.append(ComplianceRow(
                region=rollup_name(region), tier=tier, required=sum(c.required for c in mine),
                done_at_start=sum(c.done_at_start for c in mine), on_time=sum(c.on_time for c in mine),
                late=sum(c.late for c in mine), unbuilt=sum(c.unbuilt for c in mine),
                shared=sum(c.shared for c in mine), unschedulable=sum(c.unschedulable for c in mine),
                deadline=max(c.deadline for c in mine), actual_done=sum(actual) if actual else None,
                as_of=mine[0].as_of))
    return out


def rollup_spending(dataset: Dataset, rows: list[Spending]) -> list[Spending]:
    """Spending and budget per year for every region that has regions below it: the sums over its subtree."""
    out = []
    for region in parents(dataset):
        subtree = set(dataset.subtree(region))
        mine = [s for s in rows if s.region in subtree]
        for year in sorted({s.year for s in mine}):
            ys = [s for s in mine if s.year == year]
            total = ys[0]
            for s in ys[1:]:
                total = replace(total, capex_wan=total.capex_wan + s.capex_wan, opex_wan=total.opex_wan + s.opex_wan,
                                fees_wan=total.fees_wan + s.fees_wan, budget_wan=total.budget_wan + s.budget_wan,
                                pool_wan=total.pool_wan + s.pool_wan, carried_in_wan=total.carried_in_wan
                                + s.carried_in_wan)
            out.append(replace(total, region=rollup_name(region)))
    return out
