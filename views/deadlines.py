"""截止检查: the reviewer's table per county × tier, planned vs actual, minimum budget, marginal value."""

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from views import charts, state
from views.i18n import t

SS = st.session_state


def _as_of_changed() -> None:
    value = SS.get("dl_as_of")
    state.set_scenario(replace(state.scenario(), as_of=value))


def render() -> None:
    st.title(t("deadlines_title"))
    st.caption(t("deadlines_intro"))
    sc = state.scenario()
    c1, _ = st.columns([1, 3])
    if "dl_as_of" not in SS:
        SS.dl_as_of = sc.as_of
    c1.date_input(t("dl_as_of"), key="dl_as_of", on_change=_as_of_changed, min_value=date(2023, 1, 1),
                  max_value=date(2035, 12, 31), help=t("dl_as_of_help"), format="YYYY-MM-DD")
    outcome = state.current_plan()
    plan = outcome.plan
    if plan is None:  # current_plan has said why
        return
    ds = state.dataset()

    st.subheader(t("dl_table_title"))
    for tier in state.dataset().tiers:
        rows = [c for c in plan.compliance if c.tier == tier]
        if not rows:
            continue
        st.markdown(f"##### {t('dl_tier_title', tier=charts.tier_label(tier), date=rows[0].deadline.isoformat())}")
        df = pd.DataFrame([{
            t("col_region"): c.region, t("col_required"): c.required, t("col_done_start"): c.done_at_start,
            t("col_on_time_n"): c.on_time, t("col_late_n"): c.late, t("col_unbuilt_n"): c.unbuilt,
            t("col_shared_n"): c.shared, t("col_unschedulable"): c.unschedulable,
            t("col_meets"): "✓" if c.meets_deadline else "✗",
            t("col_actual_done"): "" if c.actual_done is None else c.actual_done,
            t("col_as_of"): c.as_of.isoformat() if c.as_of else "",
        } for c in rows])
        st.dataframe(df, hide_index=True)
        met = [c.region for c in rows if c.meets_deadline]
        missed = [c.region for c in rows if not c.meets_deadline]
        lines = [t("dl_tier_summary", met=len(met), n=len(rows)), t("dl_met", names="、".join(met) or "—"),
                 t("dl_missed", names="、".join(missed) or "—")]
        st.markdown("  \n".join(lines))
    st.caption(t("dl_shared_note"))

    actual = [g for g in plan.schedule if g.actual_date is not None]
    if actual or ds.actuals:
        st.subheader(t("dl_actual_title"))
        st.dataframe(pd.DataFrame([{t("col_region"): g.region, t("col_item"): g.item,
                                    t("col_online"): g.online_quarter.label if g.online_quarter else "",
                                    t("col_actual"): g.actual_date.isoformat() if g.actual_date else "",
                                    t("col_deadline"): g.deadline.isoformat()} for g in actual]), hide_index=True)
    else:
        st.caption(t("dl_no_actuals"))

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("mb_title"))
        st.caption(t("mb_caption"))
        mb = state.analysis("min_budget", sc)
        if mb is not None:
            budgets = state.effective_budgets(ds, sc)
            rows = []
            for region, need in mb.per_region.items():
                years = [v for (r, _), v in budgets.items() if r == region]
                rows.append({t("col_region"): region, t("mb_need"): round(need, 1),
                             t("mb_current"): round(sum(years) / len(years), 1) if years else None})
            st.dataframe(pd.DataFrame(rows), hide_index=True)
            st.metric(t("mb_total"), f"{mb.total_wan:,.1f}")
    with right:
        st.subheader(t("mv_title"))
        st.caption(t("mv_caption"))
        if outcome.fresh:
            key = state.scenario_key(sc) + state.data_key()
            if st.button(t("mv_button"), icon=":material/calculate:", key="mv_button"):
                SS.mv_for = key
            if SS.get("mv_for") == key:
                values = state.analysis("marginal_values", sc, plan)
                if values:
                    st.altair_chart(charts.marginal_chart(values), width="stretch")
                    top = max(values, key=lambda v: v.value)
                    if top.value > 0:
                        st.markdown(t("mv_top", region=top.region, year=top.year, buys=charts.marginal_label(top)))
                    else:
                        st.markdown(t("mv_none"))
            else:
                st.caption(t("mv_button_note"))
        else:
            st.info(t("mv_needs_plan"))


render()
