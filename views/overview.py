"""概览: key figures, the targets in scope, the capability matrix (regions × items: has / lacks / to upgrade /
not applicable / planned quarter) and the gaps per region with a roll-up per city and province, for the region
in focus or every region."""

import streamlit as st

from planner.domain import Cap
from planner.io.counts import tier_status
from views import charts, state, targets
from views.briefs import brief_button
from views.i18n import t
from views.sidebar import focus_banner

MATRIX_MOST = 30  # regions the matrix chart shows at once


def render() -> None:
    ds = state.dataset()
    st.title(t("overview_title"))
    deadlines = "；".join(t("tier_due", tier=charts.tier_label(tier), date=d.isoformat())
                         for tier in ds.tiers if (d := ds.tier_deadline(tier)) is not None)
    st.caption(t("overview_intro_tiers", deadlines=deadlines))
    focus_banner()
    regions = state.focus_regions()
    view = state.focused_dataset()
    gaps = view.gaps()

    # what the data say: drawn before any solve
    cols = st.columns(max(len(ds.tiers), 1) + 1)
    for col, tier in zip(cols, ds.tiers, strict=False):
        n = sum(1 for _, item in gaps if ds.item(item).tier == tier)
        col.metric(t("kpi_tier_gaps", tier=charts.tier_label(tier)), n,
                   help=t("kpi_tier_gaps_help", tier=charts.tier_label(tier), date=ds.tier_deadline(tier)))
    with_gaps = {region for region, _ in gaps}  # regions that list at least one gap (0 when none has any)
    cols[-1].metric(t("kpi_regions"), len(with_gaps),
                    help=t("kpi_regions_help", n=len(view.matrix_regions)))

    outcome = state.current_plan()
    plan = state.focused_plan(outcome.plan)
    if plan is not None:
        s = charts.plan_summary(plan)
        charts.headline(s)
        st.caption(t("plan_of", name=state.shown_name(plan.scenario.name)) + " " + charts.summary_line(s))
        if state.focus():  # the county view: its brief for the meeting, one click away
            brief_button(outcome.plan, "overview")
    targets.summary(outcome.plan, ds)

    st.subheader(t("matrix_title"))
    four_states = any(c in (Cap.UPGRADE, Cap.NA) for c in view.matrix.values())
    st.caption(t("matrix_caption") + (" " + t("matrix_caption_states") if four_states else ""))
    if len(view.matrix_regions) > MATRIX_MOST:  # a province's hundred columns: one city at a time
        st.info(t("matrix_pick_city", n=len(view.matrix_regions)))
    elif view.matrix_regions:
        # a province's many columns fit the page's width (else the chart is cut at the right)
        fit = len(view.matrix_regions) > 6
        st.altair_chart(charts.heatmap(view, plan, fit=fit), width="stretch" if fit else "content")
    else:
        st.info(t("no_named_gaps", region=state.focus()))

    import pandas as pd  # after the figures: the first page shows them before pandas is imported

    st.subheader(t("gaps_by_county"))
    pending = {region.name: {t("col_pending_tier", tier=charts.tier_label(tier)):
                             tier_status(ds, region.name, tier)["pending"] for tier in ds.tiers}
               for region in ds.regions if regions is None or region.name in regions}
    missing_col = t("col_missing_first", tier=charts.tier_label(ds.tiers[0]) if ds.tiers else "")
    rows = []
    for name, counts in pending.items():
        first = tier_status(ds, name, ds.tiers[0]) if ds.tiers else {"named": False, "pending": 0}
        rows.append({t("col_region"): name, **counts, missing_col: ("、".join(first["missing"]) or "—")
                     if first["named"] else (t("not_named") if first["pending"] else "—")})
    rows += [{t("col_region"): name, **{k: int(v) for k, v in sums.items()}, missing_col: ""}
             for name, sums in state.rollup_values(pending).items()]
    order = state.region_order()
    rows.sort(key=lambda row: order.get(row[t("col_region")], len(order)))
    st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="—", height=charts.table_height(len(rows)))
    if state.has_rollups():
        st.caption(t("rollup_note"))
    counts_only = [r.name for r in ds.regions if r.name not in {m.name for m in ds.matrix_regions}
                   and any(c.region == r.name for c in ds.counts) and (regions is None or r.name in regions)]
    if counts_only:
        st.caption(t("counts_only_note", names="、".join(counts_only)))
    if ds.warnings:
        st.subheader(t("data_warnings"))
        for w in ds.warnings[:12]:
            state.show_message(w, "warning")
        if len(ds.warnings) > 12:
            st.caption(t("more_warnings", n=len(ds.warnings) - 12))


render()
