"""The app's charts: the engine's chart specifications (``planner.reports.charts``) in the current language."""

from __future__ import annotations

from planner.domain import Dataset, Plan, Tier
from planner.reports import charts as specs
from views.i18n import lang

RED, BLUE, AMBER = specs.RED, specs.BLUE, specs.AMBER


def tier_label(tier: Tier) -> str:
    return specs.tier_label(tier, lang())


def plan_summary(plan: Plan | None) -> dict[str, float]:
    """The engine's summary of a plan (gaps, on time, late, shared, unbuilt, cost) plus the on-time share."""
    if plan is None:
        return {"gaps": 0, "on_time": 0, "late": 0, "unbuilt": 0, "shared": 0, "share": 0.0, "cost": 0.0,
                "late_quarters": 0}
    from planner.analysis.summary import plan_summary as engine_summary

    s = dict(engine_summary(plan))
    s["cost"] = plan.total_cost_wan
    s["share"] = s["on_time"] / s["gaps"] if s["gaps"] else 1.0
    return s



def matrix_frame(ds: Dataset, plan: Plan | None):
    return specs.matrix_frame(ds, plan, lang())


def heatmap(ds: Dataset, plan: Plan | None):
    return specs.heatmap(ds, plan, lang())


def schedule_frame(plan: Plan, ds: Dataset | None = None):
    return specs.schedule_frame(plan, ds, lang())


def gantt(plan: Plan, ds: Dataset):
    return specs.gantt(plan, ds, lang())


def spending_frame(plan: Plan):
    return specs.spending_frame(plan, lang())


def spending_chart(plan: Plan, ds: Dataset):
    return specs.spending_chart(plan, ds, lang())


def frontier_chart(points, marks: list[dict] | None = None):
    return specs.frontier_chart(points, marks, lang())


def marginal_label(v) -> str:
    return specs.marginal_label(v, lang())


def marginal_chart(values):
    return specs.marginal_chart(values, lang())
