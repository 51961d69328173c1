"""The plan's targets (目标) for the region in focus: met or missed, reached against required, by how much short,
what it would take, and the source each one cites, word for word.

Every figure is the engine's: ``planner.reports.figures.target_lines`` (the lines the plan workbook and the
brief print) and the plan's ``TargetResult`` rows; this module only lays them out.
"""

from __future__ import annotations

import streamlit as st

from planner.domain import Dataset, Plan, Target, TargetKind, Tier
from planner.reports.figures import Flag, TargetLine, target_lines
from views import state
from views.i18n import lang, t


def lines(plan: Plan, ds: Dataset) -> list[tuple[Target, TargetLine]]:
    """The targets that reach the region in focus, each with its line (``plan``: the whole plan)."""
    by_id = {x.id: x for x in ds.targets}
    return [(by_id[line.name], line) for line in target_lines(plan, ds, state.focus_regions(), lang())
            if line.name in by_id]


def verdict(line: TargetLine) -> str:
    return {Flag.GREEN: t("tg_met"), Flag.RED: t("tg_missed")}.get(line.flag, t("tg_unknown"))


def _table(rows: list[tuple[Target, TargetLine]]) -> None:
    """A static table: the requirement and the result are sentences, wrapped in full (a grid would cut them)."""
    import pandas as pd  # when drawn: the overview shows its figures before pandas is imported

    st.table(pd.DataFrame([{
        t("tg_col_id"): target.id, t("tg_col_kind"): t(f"tg_kind_{target.kind.value}"),
        t("tg_col_requirement"): line.requirement, t("tg_col_status"): verdict(line),
        t("tg_col_result"): line.result} for target, line in rows]).set_index(t("tg_col_id")))


def summary(plan: Plan | None, ds: Dataset) -> None:
    """概览: how many targets the plan meets, and the table (details on the 截止检查 page)."""
    if plan is None or not ds.targets:
        return
    rows = lines(plan, ds)
    if not rows:
        return
    st.subheader(t("tg_title"))
    met = sum(line.flag == Flag.GREEN for _, line in rows)
    st.markdown(t("tg_summary", met=met, n=len(rows)))
    _table(rows)
    st.page_link("views/deadlines.py", label=t("tg_to_details"), icon=":material/fact_check:")


def tier_lines(plan: Plan, ds: Dataset, tier: Tier) -> None:
    """Under a tier's deadline table: the deadline targets set on that tier."""
    for target, line in lines(plan, ds):
        if target.kind == TargetKind.DEADLINE and target.tier == tier:
            st.markdown(t("tg_tier_line", id=target.id, requirement=line.requirement, status=verdict(line)))


def section(plan: Plan | None, ds: Dataset) -> None:
    """截止检查: every target in scope with its status, its per-region rows and its source."""
    if plan is None or not ds.targets:
        return
    rows = lines(plan, ds)
    st.subheader(t("tg_title"))
    if not rows:
        st.info(t("tg_none_here", region=state.focus()))
        return
    met = sum(line.flag == Flag.GREEN for _, line in rows)
    st.markdown(t("tg_summary", met=met, n=len(rows)))
    st.caption(t("tg_caption"))
    _table(rows)
    import pandas as pd

    results = {r.target.id: r for r in plan.targets}
    regions = state.focus_regions()
    for target, line in rows:
        missed = line.flag == Flag.RED
        with st.expander(t("tg_detail", id=target.id, status=verdict(line)), expanded=missed):
            st.markdown(f"**{line.requirement}**")
            st.markdown(t("tg_result", result=line.result))
            result = results.get(target.id)
            per_region = [r for r in (result.rows if result else ()) if r.region is not None
                          and (regions is None or r.region in regions)]
            if per_region:
                st.dataframe(pd.DataFrame([{
                    t("col_region"): r.region, t("tg_col_reached"): r.reached, t("tg_col_required"): r.required,
                    t(f"tg_col_total_{target.kind.value}"): r.total, t("tg_col_status"): t("tg_met") if r.met
                    else t("tg_short_by", n=r.required - r.reached)} for r in per_region]),
                    hide_index=True, placeholder="—")
            if result is not None and result.left_out:
                st.markdown(t("tg_left_out", regions="、".join(result.left_out)))
            st.markdown(t("tg_source"))
            st.markdown("> " + target.source.replace("\n", "\n> "))
            if target.note:
                st.caption(t("tg_note", note=target.note))
