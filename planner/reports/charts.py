"""Chart specifications (Altair) and display tables, shared by the app, the brief and the plan workbook.

Every function takes ``lang`` ("zh" / "en") and looks its labels up in ``planner.i18n``: the app passes its
current language, the brief its own. No Streamlit here.
"""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from planner.domain import Cap, Dataset, GapMode, Plan, Tier
from planner.i18n import text
from planner.quarters import Quarter, quarter_range

RED, BLUE, TEAL, GREEN, GREY, PINK = "#C62828", "#1F4E78", "#2A9D8F", "#8BC34A", "#9E9E9E", "#F4B6B6"
AMBER = "#E9A23B"
TIER_PALETTE = [BLUE, TEAL, "#7B1FA2", "#5D4037", "#455A64", "#00838F"] * 4


def _labels(lang: str):
    return lambda key, **fmt: text(key, lang, **fmt)


def tier_label(tier: Tier, lang: str = "zh") -> str:
    return tier.label(lang)


# ------------------------------------------------------------------------------------------- heatmap

def matrix_frame(ds: Dataset, plan: Plan | None, lang: str = "zh") -> pd.DataFrame:
    """One row per matrix cell: its state (the plan's for a gap, else the matrix's: has / lacks / to upgrade /
    not applicable) and the text drawn in it; a planned upgrade (需升级) is marked ↑ before its quarter."""
    t = _labels(lang)
    by_gap = {(g.region, g.item): g for g in plan.schedule} if plan else {}
    rows = []
    for order, item in enumerate(ds.items):
        for region in ds.matrix_regions:
            gap = by_gap.get((region.name, item.name))
            cap = ds.state(region.name, item.name)
            up = UPGRADE_MARK if cap == Cap.UPGRADE else ""
            if cap == Cap.HAS:
                state, text = "has", "✓"
            elif cap == Cap.NA:
                state, text = "na", "/"
            elif gap is None:
                state, text = ("upgrade", UPGRADE_MARK) if cap == Cap.UPGRADE else ("lacks", "✗")
            elif gap.mode == GapMode.BUILT and gap.online_quarter is not None:
                state, text = ("planned" if gap.on_time else "late"), up + gap.online_quarter.label
            elif gap.mode == GapMode.DONE:
                state, text = "done", "✓"
            elif gap.mode == GapMode.SHARED:
                state, text = "shared", t("hm_shared_short")
            else:
                state, text = "unbuilt", up + "—"
            rows.append({"region": region.name, "item": item.name, "order": order, "tier": tier_label(item.tier, lang),
                         "matrix": t(f"cap_{cap.value}"), "state": t(f"hm_{state}"), "text": text,
                         "dark": state in ("planned", "late", "unbuilt")})
    return pd.DataFrame(rows)


HEATMAP_STATES = ["has", "done", "planned", "late", "shared", "unbuilt", "lacks", "upgrade", "na"]
HEATMAP_COLOURS = ["#C8E6C9", "#A5D6A7", BLUE, RED, AMBER, GREY, PINK, "#FFE08A", "#F2F2F2"]
UPGRADE_MARK = "↑"  # an existing standard to upgrade (需升级), not a new one


def heatmap(ds: Dataset, plan: Plan | None, lang: str = "zh") -> alt.Chart:
    t = _labels(lang)
    df = matrix_frame(ds, plan, lang)
    shown = set(df["state"]) if not df.empty else set()
    # 需升级 and 不适用 in the legend only when the matrix has them
    states = [s for s in HEATMAP_STATES if t(f"hm_{s}") in shown or s not in ("upgrade", "na")]
    colours = [c for s, c in zip(HEATMAP_STATES, HEATMAP_COLOURS, strict=True) if s in states]
    items = [i.name for i in ds.items]
    regions = [r.name for r in ds.matrix_regions]
    base = alt.Chart(df).encode(
        x=alt.X("region:N", sort=regions, title=None, axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=13)),
        y=alt.Y("item:N", sort=items, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=12)),
    )
    wide = len(regions) > 8  # a province: the legend goes below, so the columns keep the page's width
    legend = alt.Legend(orient="bottom", columns=5, labelFontSize=12, titleFontSize=13) if wide else \
        alt.Legend(orient="right", labelFontSize=12, titleFontSize=13)
    rect = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        color=alt.Color("state:N", title=t("hm_legend"),
                        scale=alt.Scale(domain=[t(f"hm_{s}") for s in states], range=colours),
                        legend=legend),
        tooltip=[alt.Tooltip("region:N", title=t("col_region")), alt.Tooltip("item:N", title=t("col_item")),
                 alt.Tooltip("tier:N", title=t("col_tier")), alt.Tooltip("matrix:N", title=t("hm_matrix")),
                 alt.Tooltip("state:N", title=t("hm_legend")), alt.Tooltip("text:N", title=t("col_online"))],
    )
    text = base.mark_text(fontSize=11).encode(
        text="text:N", color=alt.condition("datum.dark", alt.value("white"), alt.value("#333333")))
    step = max(66, min(88, 840 // max(len(regions), 1)))  # a province's columns fit the page where they can
    return (rect + text).properties(width=alt.Step(step), height=alt.Step(26))


# --------------------------------------------------------------------------------------------- Gantt

def _end(q) -> date:
    return q.last_day + timedelta(days=1)


def _quarter_ticks(start: Quarter, end: Quarter) -> list[alt.DateTime]:
    """Axis ticks at the first day of every quarter planned: the axis is labelled up to the horizon's last
    quarter, never with the quarter after it (where the last bar ends)."""
    return [alt.DateTime(year=q.year, month=3 * q.q - 2, date=1) for q in quarter_range(start, end)]


def _year_ticks(start: Quarter, end: Quarter) -> list[alt.DateTime]:
    """Ticks on the 1 January of every year that starts inside the horizon (labelled by year)."""
    first = start.year if start.q == 1 else start.year + 1
    return [alt.DateTime(year=y, month=1, date=1) for y in range(first, end.year + 1)]


def _unbuilt_from(deadline: date, sc) -> date:
    """Where an unbuilt gap's bar starts: the day after its deadline, but never after the last quarter's first
    day (a gap due in the last planning quarter and still missing shows there), nor before the plan."""
    return max(min(deadline + timedelta(days=1), sc.horizon_end.first_day), sc.start.first_day)


def _severity(g) -> int:
    """Rows a chart keeps first when it must drop some: unbuilt, then late or shared, then on time."""
    if g.mode == GapMode.UNBUILT:
        return 0
    if g.mode == GapMode.SHARED or (g.mode == GapMode.BUILT and not g.on_time):
        return 1
    return 2


def schedule_frame(plan: Plan, ds: Dataset | None = None, lang: str = "zh") -> pd.DataFrame:
    t = _labels(lang)
    order = {r.name: n for n, r in enumerate(ds.regions)} if ds else {}
    rows = []
    for g in plan.schedule:
        if g.mode in (GapMode.DONE, GapMode.UNSCHEDULABLE):
            continue
        rows.append({
            t("col_region"): g.region, t("col_item"): g.item, t("col_tier"): tier_label(g.tier, lang),
            t("col_mode"): t(f"mode_{g.mode.value}"),
            t("col_start"): g.start_quarter.label if g.start_quarter else "",
            t("col_online"): g.online_quarter.label if g.online_quarter else "",
            t("col_deadline"): g.deadline.isoformat(), t("col_on_time"): "✓" if g.on_time else "✗",
            t("col_late_q"): g.late_quarters, t("col_capex"): round(g.capex_wan, 1),
            t("col_actual"): g.actual_date.isoformat() if g.actual_date else "",
            "_order": (order.get(g.region, 99), g.start_quarter.index if g.start_quarter else 10**6, g.item),
        })
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    return df.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def gantt(plan: Plan, ds: Dataset, lang: str = "zh") -> alt.LayerChart:
    t = _labels(lang)
    order = {r.name: n for n, r in enumerate(ds.regions)}
    rows = []
    sc = plan.scenario
    for g in plan.schedule:
        if g.mode == GapMode.BUILT and g.start_quarter is not None and g.online_quarter is not None:
            cls = t("gantt_late") if not g.on_time else t("gantt_tier", tier=tier_label(g.tier, lang))
            start, end = g.start_quarter, _end(g.online_quarter)
        elif g.mode in (GapMode.UNBUILT, GapMode.SHARED):
            cls = t(f"gantt_{g.mode.value}")  # open all horizon (unbuilt), or served for a fee (shared, what-if)
            start, end = g.start_quarter or sc.start, _end(sc.horizon_end)
        else:
            continue
        rows.append({"label": f"{g.region}｜{g.item}", "region": g.region, "item": g.item,
                     "start": pd.Timestamp(start.first_day), "end": pd.Timestamp(end),
                     "start_q": start.label if g.mode == GapMode.BUILT else t(f"mode_{g.mode.value}"),
                     "online_q": g.online_quarter.label if g.online_quarter else "—",
                     "class": cls, "capex": round(g.capex_wan, 1), "late_q": g.late_quarters,
                     "_o": (order.get(g.region, 99), start.index if g.mode == GapMode.BUILT else 10**6, g.item)})
    df = pd.DataFrame(rows)
    deadlines = sorted({i.deadline for i in ds.items})
    rules_df = pd.DataFrame([{"date": pd.Timestamp(d + timedelta(days=1)),
                              "text": t("gantt_deadline", date=d.isoformat())} for d in deadlines])
    x_scale = alt.Scale(domain=[pd.Timestamp(sc.start.first_day).isoformat(),
                                pd.Timestamp(_end(sc.horizon_end)).isoformat()])
    x_axis = alt.Axis(title=t("gantt_x"), format="%Y", values=_quarter_ticks(sc.start, sc.horizon_end),
                      labelExpr="year(datum.value) + 'Q' + quarter(datum.value)", labelAngle=-45, grid=True)
    if df.empty:
        return alt.layer(alt.Chart(rules_df).mark_rule(color=RED, strokeDash=[6, 4]).encode(
            x=alt.X("date:T", scale=x_scale, axis=x_axis))).properties(height=80)
    labels = list(df.sort_values("_o")["label"])
    df = df.drop(columns="_o")
    classes = [t("gantt_tier", tier=tier_label(x, lang)) for x in ds.tiers] + [t("gantt_late"), t("gantt_shared"),
                                                                          t("gantt_unbuilt")]
    palette = TIER_PALETTE[: len(ds.tiers)] + [RED, AMBER, "#D0D0D0"]
    bars = alt.Chart(df).mark_bar(cornerRadius=3, height=15).encode(
        x=alt.X("start:T", scale=x_scale, axis=x_axis),
        x2="end:T",
        y=alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=360, labelFontSize=11)),
        color=alt.Color("class:N", title=t("gantt_legend"),
                        scale=alt.Scale(domain=classes, range=palette),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("region:N", title=t("col_region")), alt.Tooltip("item:N", title=t("col_item")),
                 alt.Tooltip("start_q:N", title=t("col_start")), alt.Tooltip("online_q:N", title=t("col_online")),
                 alt.Tooltip("capex:Q", title=t("col_capex")), alt.Tooltip("late_q:Q", title=t("col_late_q"))],
    )
    rules = alt.Chart(rules_df).mark_rule(color=RED, strokeDash=[6, 4], size=2).encode(x="date:T")
    notes = alt.Chart(rules_df).mark_text(align="left", dx=4, dy=-6, color=RED, fontWeight="bold").encode(
        x="date:T", y=alt.value(0), text="text:N")
    return alt.layer(bars, rules, notes).properties(height=alt.Step(22))


def gantt_compact(plan: Plan, ds: Dataset, lang: str = "zh", regions: list[str] | None = None,
                  max_rows: int = 16, width: int = 520, step: int = 16) -> alt.LayerChart:
    """The brief's Gantt: one row per gap when the scope is one region (and the gaps fit in ``max_rows``), else
    one row per region and tier with every gap's bar drawn in it (overlaps darken). Shared gaps (what-if) run
    from the plan start, unbuilt ones from their deadline, both to the end of the horizon; rows past
    ``max_rows`` are left out and counted in the title."""
    t = _labels(lang)
    sc = plan.scenario
    keep = set(regions) if regions is not None else None
    gaps = [g for g in plan.schedule if (keep is None or g.region in keep)
            and g.mode in (GapMode.BUILT, GapMode.SHARED, GapMode.UNBUILT)]
    order = {r.name: n for n, r in enumerate(ds.regions)}
    items = {i.name: n for n, i in enumerate(ds.items)}
    per_gap = len({g.region for g in gaps}) <= 1
    tiers = {x: n for n, x in enumerate(ds.tiers)}

    def key(g) -> tuple:
        return ((order.get(g.region, 99), tiers.get(g.tier, 99), items.get(g.item, 999)) if per_gap
                else (order.get(g.region, 99), tiers.get(g.tier, 99)))

    def label(g) -> str:
        return g.item if per_gap else f"{g.region} · {tier_label(g.tier, lang)}"

    labels = list(dict.fromkeys(label(g) for g in sorted(gaps, key=key)))
    if len(labels) > max_rows:  # keep the rows a reader must see: unbuilt, then late or shared, then the rest
        worst = {x: 3 for x in labels}
        for g in gaps:
            worst[label(g)] = min(worst[label(g)], _severity(g))
        kept = set(sorted(labels, key=lambda x: (worst[x], labels.index(x)))[:max_rows])
        hidden = [x for x in labels if x not in kept]
        labels = [x for x in labels if x in kept]
    else:
        hidden = []
    rows = []
    for g in gaps:
        if label(g) not in labels:
            continue
        if g.mode == GapMode.BUILT and g.start_quarter is not None and g.online_quarter is not None:
            cls = t("gantt_late") if not g.on_time else t("gantt_tier", tier=tier_label(g.tier, lang))
            start, end, thick = g.start_quarter.first_day, _end(g.online_quarter), True
        elif g.mode == GapMode.SHARED:
            cls, start, end, thick = t("gantt_shared"), (g.start_quarter or sc.start).first_day, \
                _end(sc.horizon_end), False
        elif g.mode == GapMode.UNBUILT:
            cls, start, end, thick = t("gantt_unbuilt"), _unbuilt_from(g.deadline, sc), _end(sc.horizon_end), False
        else:
            continue
        rows.append({"label": label(g), "start": pd.Timestamp(start), "end": pd.Timestamp(end), "class": cls,
                     "thick": thick})
    df = pd.DataFrame(rows, columns=["label", "start", "end", "class", "thick"])
    classes = [t("gantt_tier", tier=tier_label(x, lang)) for x in ds.tiers] + [t("gantt_late"), t("gantt_shared"),
                                                                          t("gantt_unbuilt")]
    palette = TIER_PALETTE[: len(ds.tiers)] + [RED, AMBER, "#BDBDBD"]
    domain = [pd.Timestamp(sc.start.first_day).isoformat(), pd.Timestamp(_end(sc.horizon_end)).isoformat()]
    x = alt.X("start:T", scale=alt.Scale(domain=domain), title=None,
              axis=alt.Axis(format="%Y", values=_year_ticks(sc.start, sc.horizon_end), grid=True, labelFontSize=9))
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=200, labelFontSize=9))
    color = alt.Color("class:N", title=None, scale=alt.Scale(domain=classes, range=palette),
                      legend=alt.Legend(orient="top", labelFontSize=9, symbolSize=60, columns=len(classes)))
    base = alt.Chart(df).encode(x=x, x2="end:T", y=y, color=color)
    bars = base.transform_filter("datum.thick").mark_bar(height=round(step * 0.68), opacity=0.7, cornerRadius=2)
    thin = base.transform_filter("!datum.thick").mark_bar(height=4, opacity=0.9)
    deadlines = sorted({i.deadline for i in ds.items if sc.start.first_day <= i.deadline <= _end(sc.horizon_end)})
    rules_df = pd.DataFrame([{"date": pd.Timestamp(d + timedelta(days=1)), "text": d.isoformat(), "n": n}
                             for n, d in enumerate(deadlines)], columns=["date", "text", "n"])
    rules = alt.Chart(rules_df).mark_rule(color=RED, strokeDash=[4, 3], size=1.2).encode(x="date:T")
    notes = alt.Chart(rules_df).mark_text(align="left", dx=3, dy=-4, color=RED, fontSize=8).encode(
        x="date:T", y=alt.value(0), text="text:N")
    title = t("brief_gantt_more", n=len(hidden)) if hidden else ""
    return alt.layer(bars, thin, rules, notes).properties(
        width=width, height=alt.Step(step), title=alt.TitleParams(title, fontSize=8, anchor="end", color="#666666"))


# ------------------------------------------------------------------------------------------ spending

def spending_frame(plan: Plan, lang: str = "zh") -> pd.DataFrame:
    t = _labels(lang)
    rows = [{t("col_region"): s.region, t("col_year"): s.year, t("col_capex"): round(s.capex_wan, 1),
             t("col_opex"): round(s.opex_wan, 1), t("col_fees"): round(s.fees_wan, 1),
             t("col_spent"): round(s.spent_wan, 1), t("col_budget"): round(s.budget_wan, 1),
             t("col_pool"): round(s.pool_wan, 1), t("col_carried"): round(s.carried_in_wan, 1)}
            for s in plan.spending]
    return pd.DataFrame(rows)


def spending_chart(plan: Plan, ds: Dataset, lang: str = "zh") -> alt.FacetChart:
    t = _labels(lang)
    rows = []
    for s in plan.spending:
        for kind, amount in (("capex", s.capex_wan), ("opex", s.opex_wan), ("fees", s.fees_wan)):
            rows.append({"region": s.region, "year": str(s.year), "kind": t(f"spend_{kind}"), "amount": amount,
                         "budget": s.budget_wan, "first": kind == "capex", "spent": s.spent_wan})
    df = pd.DataFrame(rows)
    kinds = [t("spend_capex"), t("spend_opex"), t("spend_fees")]
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(amount):Q", title=t("spend_y")),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=[BLUE, TEAL, AMBER]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("year:N", title=t("col_year")), alt.Tooltip("kind:N", title=t("spend_kind")),
                 alt.Tooltip("amount:Q", title=t("col_amount"), format=".1f"),
                 alt.Tooltip("budget:Q", title=t("col_budget"), format=".1f")],
    )
    ticks = alt.Chart().transform_filter("datum.first").mark_tick(color=RED, thickness=3, size=34).encode(
        x="year:N", y="budget:Q")
    regions = [r.name for r in ds.matrix_regions]
    return alt.layer(bars, ticks, data=df).properties(width=220, height=170).facet(
        facet=alt.Facet("region:N", sort=regions, title=None, header=alt.Header(labelFontSize=14)), columns=3)


def spending_budget_chart(plan: Plan, lang: str = "zh", regions: list[str] | None = None,
                          width: int = 250, height: int = 165) -> alt.LayerChart:
    """Spending per year (capex / opex / fees stacked, summed over ``regions``) against the year's budget (a red
    tick): the brief's chart."""
    t = _labels(lang)
    keep = set(regions) if regions is not None else None
    rows: dict[tuple[str, str], float] = {}
    budget: dict[str, float] = {}
    for s in plan.spending:
        if keep is not None and s.region not in keep:
            continue
        for kind, amount in (("capex", s.capex_wan), ("opex", s.opex_wan), ("fees", s.fees_wan)):
            rows[(str(s.year), t(f"spend_{kind}"))] = rows.get((str(s.year), t(f"spend_{kind}")), 0.0) + amount
        budget[str(s.year)] = budget.get(str(s.year), 0.0) + s.budget_wan
    df = pd.DataFrame([{"year": y, "kind": k, "amount": a} for (y, k), a in rows.items()],
                      columns=["year", "kind", "amount"])
    bdf = pd.DataFrame([{"year": y, "budget": b, "what": t("col_budget")} for y, b in budget.items()],
                       columns=["year", "budget", "what"])
    kinds = [t("spend_capex"), t("spend_opex"), t("spend_fees")]
    x = alt.X("year:N", title=None, sort=sorted(budget), axis=alt.Axis(labelAngle=0, labelFontSize=9))
    bars = alt.Chart(df).mark_bar(width={"band": 0.6}).encode(
        x=x, y=alt.Y("sum(amount):Q", title=t("spend_y"), axis=alt.Axis(labelFontSize=8, titleFontSize=9)),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=[BLUE, TEAL, AMBER]),
                        legend=alt.Legend(orient="top", labelFontSize=9, symbolSize=60)))
    ticks = alt.Chart(bdf).mark_tick(color=RED, thickness=2.5, size=30).encode(
        x=x, y="budget:Q", shape=alt.Shape("what:N", title=None, legend=alt.Legend(orient="top", labelFontSize=9)))
    return alt.layer(bars, ticks).resolve_scale(color="independent").properties(width=width, height=height)


# ----------------------------------------------------------------------------------------- analyses

def frontier_chart(points, marks: list[dict] | None = None, lang: str = "zh", horizon: str = "") -> alt.LayerChart:
    """Share of gaps on time against the total budget over the horizon (``horizon`` names it on the axis).

    Failed points (no solution) are left out of the line; ``marks`` (scenarios over the same horizon) are
    told apart by colour in a legend, so that their names never overlap on the plot."""
    t = _labels(lang)
    ok = [p for p in points if not p.failed]
    df = pd.DataFrame([{"budget": p.total_budget_wan, "share": p.on_time_share, "scale": p.multiplier,
                        "cost": p.cost_wan, "on_time": p.on_time, "gaps": p.gaps,
                        "final": t("fr_final") if getattr(p, "final", True) else t("fr_not_final")} for p in ok])
    x_title = t("fr_x_horizon", horizon=horizon) if horizon else t("fr_x")
    tooltip = [alt.Tooltip("scale:Q", title=t("fr_scale"), format=".2f"),
               alt.Tooltip("budget:Q", title=t("fr_x"), format=",.0f"),
               alt.Tooltip("on_time:Q", title=t("col_on_time_n")), alt.Tooltip("gaps:Q", title=t("kpi_gaps")),
               alt.Tooltip("share:Q", title=t("fr_y"), format=".0%"),
               alt.Tooltip("cost:Q", title=t("col_cost"), format=",.0f")]
    x = alt.X("budget:Q", title=x_title, axis=alt.Axis(format=",.0f"), scale=alt.Scale(zero=False, nice=True))
    y = alt.Y("share:Q", title=t("fr_y"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    # a point still being refined (only its count of missed gaps is final) is drawn hollow; a click picks a point
    pick = alt.selection_point(name="point_pick", fields=["scale"], on="click")
    line = alt.Chart(df).mark_line(color=BLUE).encode(x=x, y=y)
    dots = alt.Chart(df).mark_point(size=70, color=BLUE).encode(
        x=x, y=y, tooltip=tooltip + [alt.Tooltip("final:N", title=t("fr_point"))],
        fill=alt.condition(alt.datum.final == t("fr_final"), alt.value(BLUE), alt.value("white"))).add_params(pick)
    layers: list = [line, dots]
    if marks:
        mdf = pd.DataFrame(marks)
        layers.append(alt.Chart(mdf).mark_point(size=180, filled=True, shape="diamond", opacity=0.9).encode(
            x="budget:Q", y="share:Q",
            color=alt.Color("name:N", title=t("col_scenario"), scale=alt.Scale(scheme="set1"),
                            legend=alt.Legend(orient="bottom", labelLimit=280)),
            tooltip=[alt.Tooltip("name:N", title=t("col_scenario")),
                     alt.Tooltip("budget:Q", title=t("fr_x"), format=",.0f"),
                     alt.Tooltip("share:Q", title=t("fr_y"), format=".0%")]))
    return alt.layer(*layers).properties(height=340)


def marginal_label(v, lang: str = "zh") -> str:
    """What the extra money buys, in a cell: more gaps on time, else quarters earlier, else nothing."""
    t = _labels(lang)
    if v.missed_saved > 1e-9:
        return t("mv_cell_gaps", n=f"{v.missed_saved:g}")
    if v.open_quarters_saved > 0:
        return t("mv_cell_quarters", n=v.open_quarters_saved)
    return "—"


def marginal_chart(values, lang: str = "zh") -> alt.LayerChart:
    t = _labels(lang)
    df = pd.DataFrame([{"region": v.region, "year": str(v.year), "label": marginal_label(v, lang),
                        # gaps made on time first, quarters earlier second: the same order as the objective
                        "rank": v.missed_saved + min(v.open_quarters_saved, 999) / 1000,
                        "binding": t("yes") if v.binding else t("no")} for v in values])
    base = alt.Chart(df).encode(x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
                                y=alt.Y("region:N", title=None, sort=list(dict.fromkeys(df["region"]))))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("rank:Q", legend=None, scale=alt.Scale(scheme="oranges")),
        tooltip=[alt.Tooltip("region:N", title=t("col_region")), alt.Tooltip("year:N", title=t("col_year")),
                 alt.Tooltip("label:N", title=t("mv_buys")),
                 alt.Tooltip("binding:N", title=t("mv_binding"))])
    text = base.mark_text(fontSize=12).encode(text="label:N")
    return (rect + text).properties(height=36 * df["region"].nunique() if not df.empty else 60)
