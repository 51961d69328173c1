"""概览: key figures and the capability matrix (counties × items: has / lacks / planned quarter)."""

import pandas as pd
import streamlit as st

from planner.domain import BASIC, UPGRADED
from planner.io.counts import tier_status
from views import charts, state
from views.i18n import t


def render() -> None:
    st.title(t("overview_title"))
    st.caption(t("overview_intro"))
    ds = state.dataset()
    gaps = ds.gaps()
    by_tier = {tier: sum(1 for _, item in gaps if ds.item(item).tier == tier) for tier in ds.tiers}
    outcome = state.current_plan()
    summary = charts.plan_summary(outcome.plan)

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("kpi_basic_gaps"), by_tier.get(BASIC, 0), help=t("kpi_basic_help"))
    c2.metric(t("kpi_upgraded_gaps"), by_tier.get(UPGRADED, 0), help=t("kpi_upgraded_help"))
    if outcome.plan is not None:
        c3.metric(t("kpi_on_time"), f"{summary['share']:.0%}",
                  help=t("kpi_on_time_help", on_time=summary["on_time"], gaps=summary["gaps"]))
        c4.metric(t("kpi_cost"), f"{summary['cost']:,.1f}", help=t("kpi_cost_help"))
        st.caption(t("overview_plan_caption", name=outcome.plan.scenario.name, on_time=summary["on_time"],
                     gaps=summary["gaps"], late=summary["late"], unbuilt=summary["unbuilt"]))
    else:
        c3.metric(t("kpi_on_time"), "—")
        c4.metric(t("kpi_cost"), "—")

    st.subheader(t("matrix_title"))
    st.caption(t("matrix_caption"))
    st.altair_chart(charts.heatmap(ds, outcome.plan), width="content")

    st.subheader(t("gaps_by_county"))
    rows = []
    for region in ds.regions:
        row = {t("col_region"): region.name}
        for tier in ds.tiers:
            s = tier_status(ds, region.name, tier)
            row[t("col_pending_tier", tier=charts.tier_label(tier))] = s["pending"]
        basic = tier_status(ds, region.name, ds.tiers[0])
        row[t("col_missing")] = ("、".join(basic["missing"]) or "—") if basic["named"] else (
            t("not_named") if basic["pending"] else "—")
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={t("col_missing"): st.column_config.TextColumn(width="large")})
    st.caption(t("city_note"))
    if ds.warnings:
        st.subheader(t("data_warnings"))
        for w in ds.warnings:
            state.show_message(w, "warning")


render()
