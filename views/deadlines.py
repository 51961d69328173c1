"""截止检查: the reviewer's table per region × tier (planned, with a roll-up row per city and province), the
targets of the region in focus, then on request the minimum budget, the marginal value of more money and the
cost risk, each with progress and a cancel button."""

import pandas as pd
import streamlit as st

from views import analyses, charts, dbdata, state, targets, tasks
from views.i18n import lang, t
from views.sidebar import focus_banner

SS = st.session_state


def _compliance(plan, whole) -> None:
    """One table per tier (deadline): the regions in focus, then the roll-ups; ``whole``: the unfocused plan
    (the targets a tier's deadline carries are judged over their own scope)."""
    st.subheader(t("dl_table_title"))
    ds = state.dataset()
    for tier in ds.tiers:
        own = [c for c in plan.compliance if c.tier == tier]
        if not own:
            continue
        rows = state.with_rollups(own)
        st.markdown(f"##### {t('dl_tier_title', tier=charts.tier_label(tier), date=own[0].deadline.isoformat())}")
        st.dataframe(pd.DataFrame([{
            t("col_region"): c.region, t("col_required"): c.required, t("col_done_start"): c.done_at_start,
            t("col_on_time_n"): c.on_time, t("col_late_n"): c.late, t("col_shared_n"): c.shared,
            t("col_unbuilt_n"): c.unbuilt, t("col_unschedulable"): c.unschedulable,
            t("col_meets"): "✓" if c.meets_deadline else "✗",
        } for c in rows]), hide_index=True, placeholder="—", height=charts.table_height(len(rows)))
        met = [c.region for c in own if c.meets_deadline]
        missed = [c.region for c in own if not c.meets_deadline]
        st.markdown("  \n".join([t("dl_tier_summary", met=len(met), n=len(own)), t("dl_met", names=_names(met)),
                                 t("dl_missed", names=_names(missed))]))
        targets.tier_lines(whole, ds, tier)
    st.caption(t("dl_shared_note") + (" " + t("rollup_note") if state.has_rollups() else ""))
    st.page_link("views/actuals.py", label=t("dl_to_actuals"), icon=":material/task_alt:")


def _names(names: list[str], most: int = 20) -> str:
    """Region names in a sentence; a province's hundred as the first ones and a count."""
    if len(names) <= most:
        return "、".join(names) or "—"
    return t("dl_names_more", names="、".join(names[:most]), n=len(names))


def _analysis(kind: str, steps, title: str, button: str, per_step_s: float):
    """An analysis of the current data, settings and region: its results, or None until asked and done."""
    sc, regions = state.scenario(), state.focus_regions()
    return tasks.run(analyses.key(kind, sc, regions), steps, title=title, button=button,
                     expected_s=per_step_s * len(steps))


def _meets(plan, region: str) -> bool:
    return all(c.meets_deadline for c in plan.compliance if c.region == region)


@st.fragment
def _min_budget(plan, fresh: bool) -> None:
    st.subheader(t("mb_title"))
    st.markdown(t("mb_meaning"))
    ds, sc, regions = state.dataset(), state.scenario(), state.focus_regions()
    results = _analysis("min_budget", analyses.min_budget_steps(ds, sc, regions), t("spinner_min_budget"),
                        t("mb_button"), 3.0)
    if results is None:
        return
    mb = analyses.merge_min_budgets(results)
    if not mb.per_region:
        st.error(t("mb_none", status=t(f"status_{mb.status.value}_short")))
        return
    budgets = state.effective_budgets(ds, sc)
    per_year = mb.per_year
    if per_year:
        years = sorted({y for _, y in per_year})
        rows = []
        for region in mb.per_region:
            rows.append({t("col_region"): region, t("mb_row"): t("mb_least"),
                         **{str(y): round(per_year.get((region, y), 0.0), 1) for y in years}})
            rows.append({t("col_region"): region, t("mb_row"): t("mb_now"),
                         **{str(y): round(budgets.get((region, y), 0.0), 1) for y in years}})
        st.markdown(f"**{t('mb_per_year_title')}**")
        frame = pd.DataFrame(rows)
        st.dataframe(frame, hide_index=True, placeholder="—", column_config=charts.full_headers(frame))
    rows = []
    for region, need in mb.per_region.items():
        years = [v for (r, _), v in budgets.items() if r == region]
        rows.append({t("col_region"): region, t("mb_need"): round(need, 1),
                     t("mb_current"): round(sum(years) / len(years), 1) if years else None,
                     t("mb_plan_meets"): (("✓" if _meets(plan, region) else "✗") if fresh else "—")})
    st.markdown(f"**{t('mb_flat_title')}**")
    frame = pd.DataFrame(rows)
    st.dataframe(frame, hide_index=True, placeholder="—", column_config=charts.full_headers(frame))
    st.metric(t("mb_total"), f"{mb.total_wan:,.1f}")


@st.fragment
def _marginal(fresh: bool) -> None:
    st.subheader(t("mv_title"))
    st.caption(t("mv_caption"))
    if not fresh:
        st.info(t("mv_needs_plan"))
        return
    ds, sc, regions = state.dataset(), state.scenario(), state.focus_regions()
    results = _analysis("marginal", analyses.marginal_steps(ds, sc, regions), t("spinner_marginal_values"),
                        t("mv_button"), 4.0)
    if results is None:
        return
    values = [v for part in results for v in part if regions is None or v.region in regions]
    if not values:
        st.info(t("mv_none"))
        return
    st.altair_chart(charts.marginal_chart(values), width="stretch")
    best = max(values, key=lambda v: (v.missed_saved, v.open_quarters_saved))
    if best.missed_saved > 1e-9 or best.open_quarters_saved > 0:
        st.markdown(t("mv_top", region=best.region, year=best.year, buys=charts.marginal_label(best)))
    else:
        st.markdown(t("mv_none"))


@st.fragment
def _risk() -> None:
    st.subheader(t("risk_title"))
    ds, sc, regions = state.dataset(), state.scenario(), state.focus_regions()
    results = _analysis("risk", analyses.risk_steps(ds, sc, regions), t("spinner_risk"),
                        t("risk_button", n=analyses.RISK_SAMPLES), 4.0)
    if results is None:
        st.caption(t("risk_caption", n=analyses.RISK_SAMPLES, spread=f"{analyses.RISK_SPREAD:.0%}"))
        return
    report = results[0]
    st.caption(report.description_en if lang() == "en" else report.description_zh)
    rows = [r for part in results for r in part.rows if regions is None or r.region in regions]
    st.dataframe(pd.DataFrame([{
        t("col_region"): r.region, t("col_tier"): charts.tier_label(r.tier), t("col_gaps"): r.gaps,
        t("risk_p_meet"): f"{r.p_meet:.0%}", t("risk_p10"): r.spend_p10, t("risk_p50"): r.spend_p50,
        t("risk_p90"): r.spend_p90} for r in rows]), hide_index=True, placeholder="—")
    solved = sum(part.solved for part in results)
    if solved < sum(part.samples for part in results):
        st.warning(t("risk_unsolved", n=sum(part.samples for part in results) - solved))


def render() -> None:
    st.title(t("deadlines_title"))
    st.caption(t("deadlines_intro"))
    focus_banner()
    dbdata.link()  # single-user: the database's record of these data, when it holds them
    outcome = state.current_plan()
    plan = state.focused_plan(outcome.plan)
    if plan is None:  # current_plan has said why
        return
    approved = dbdata.approved()
    if approved is not None:  # the deadlines are judged on the plan the city adopted (定稿)
        st.info(t("dl_against_approved", plan=approved.label()))
        _compliance(state.focused_plan(approved.plan), approved.plan)
    else:
        _compliance(plan, outcome.plan)
    targets.section(outcome.plan, state.dataset())
    # one below the other: the minimum-budget tables need the page's width to show their headers whole
    _min_budget(plan, outcome.fresh)
    _marginal(outcome.fresh)
    _risk()


render()
