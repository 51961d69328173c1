"""The app's charts and headline figures: the engine's chart specifications (``planner.reports.charts``) and
summary (``planner.analysis.summary``) in the current language."""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from planner.domain import Dataset, Plan, Tier
from views.i18n import lang, t


def _specs() -> ModuleType:
    """``planner.reports.charts``, imported when a chart is first drawn: Altair and pandas take a second or
    two to import, and the headline figures need neither (the first page shows them sooner)."""
    from planner.reports import charts  # a real import, only not at the top: readers and tools see it

    return charts


def table_height(rows: int) -> str | int:
    """A table's height: every row of a city or a small province (the roll-ups at its foot stay in view),
    a scrolled window of a big one."""
    return "content" if rows <= 30 else 35 * 25


def tier_label(tier: Tier) -> str:
    return tier.label(lang())


def plan_summary(plan: Plan | None) -> dict[str, float]:
    """The engine's summary (gaps = on time + late + shared + unbuilt) plus cost and the on-time share."""
    if plan is None:
        return {"gaps": 0, "on_time": 0, "late": 0, "unbuilt": 0, "shared": 0, "share": 0.0, "cost": 0.0,
                "late_quarters": 0}
    from planner.analysis.summary import plan_summary as engine_summary

    s = dict(engine_summary(plan))
    s["cost"] = plan.total_cost_wan
    s["share"] = s["on_time"] / s["gaps"] if s["gaps"] else 1.0
    return s


def summary_line(s: dict[str, float]) -> str:
    """"65 gaps: 50 on time, 5 late, 3 shared, 7 unbuilt; cost …": the four parts always add up to the gaps."""
    return t("summary_line", gaps=s["gaps"], on_time=s["on_time"], late=s["late"], shared=s["shared"],
             unbuilt=s["unbuilt"], cost=s["cost"])


def headline(s: dict[str, float]) -> None:
    """The figures every plan page leads with; shared gaps have their own figure, never counted on time."""
    cols = st.columns(6)
    cols[0].metric(t("kpi_gaps"), s["gaps"])
    cols[1].metric(t("kpi_on_time"), f"{s['share']:.0%}", help=t("kpi_on_time_help", on_time=s["on_time"],
                                                                 gaps=s["gaps"]))
    cols[2].metric(t("kpi_late"), s["late"])
    cols[3].metric(t("kpi_shared"), s["shared"], help=t("kpi_shared_help"))
    cols[4].metric(t("kpi_unbuilt"), s["unbuilt"])
    cols[5].metric(t("kpi_cost"), f"{s['cost']:,.1f}", help=t("kpi_cost_help"))


def matrix_frame(ds: Dataset, plan: Plan | None):
    return _specs().matrix_frame(ds, plan, lang())


def heatmap(ds: Dataset, plan: Plan | None, fit: bool = False):
    """The capability matrix; ``fit``: drawn to the page's width (a province's many columns), its region
    names slanted so every column keeps its name (Vega would otherwise drop the names that collide)."""
    chart = _specs().heatmap(ds, plan, lang())
    if fit:
        from altair import Undefined

        for layer in getattr(chart, "layer", None) or [chart]:
            encoding = layer["encoding"] if "encoding" in layer._kwds else Undefined
            x = encoding["x"] if encoding is not Undefined and "x" in encoding._kwds else Undefined
            if x is not Undefined and x._kwds.get("axis", Undefined) not in (Undefined, None):
                x["axis"]["labelAngle"] = -40
                x["axis"]["labelOverlap"] = False
                x["axis"]["labelAlign"] = "left"
    return chart


def schedule_frame(plan: Plan, ds: Dataset | None = None):
    return _specs().schedule_frame(plan, ds, lang())


def gantt(plan: Plan, ds: Dataset):
    return within_horizon(_specs().gantt(plan, ds, lang()), plan)


def within_horizon(chart, plan: Plan):
    """A time chart whose axis ends with the horizon: one tick per quarter from the plan's start to its last
    quarter (the engine's scale ends on the day after the horizon, which drew a tick for the quarter after
    it), and no "nice" rounding of the scale past it."""
    import pandas as pd
    from altair import Undefined

    from planner.quarters import quarter_range

    sc = plan.scenario
    ticks = [pd.Timestamp(q.first_day).isoformat() for q in quarter_range(sc.start, sc.horizon_end)]
    for layer in getattr(chart, "layer", None) or [chart]:
        encoding = layer["encoding"] if "encoding" in layer._kwds else Undefined
        x = encoding["x"] if encoding is not Undefined and "x" in encoding._kwds else Undefined
        if x is Undefined or isinstance(x, str):
            continue
        # a channel's attributes are Altair's setters: its values are read and written by item
        if x._kwds.get("axis", Undefined) not in (Undefined, None):
            x["axis"]["values"] = ticks
            x["axis"]["tickCount"] = Undefined
        if x._kwds.get("scale", Undefined) is not Undefined:
            x["scale"]["nice"] = False
    return chart


def full_headers(frame) -> dict:
    """Column settings that show each header whole (a data frame sizes columns by their values)."""
    from views.editing import header_width

    return {str(c): st.column_config.Column(width=header_width(str(c))) for c in frame.columns}


def spending_frame(plan: Plan):
    return _specs().spending_frame(plan, lang())


def spending_chart(plan: Plan, ds: Dataset):
    return _specs().spending_chart(plan, ds, lang())


def frontier_chart(points, marks: list[dict] | None = None, horizon: str = ""):
    return _specs().frontier_chart(points, marks, lang(), horizon=horizon)


def marginal_label(v) -> str:
    return _specs().marginal_label(v, lang())


def marginal_chart(values):
    return _specs().marginal_chart(values, lang())
