"""对比: two or more scenarios side by side (cost, gaps on time, lateness, gap-quarters open, per-county deltas
with roll-ups), the current settings under both objectives (earliest | cheapest: what the earlier plan costs),
and the budget → on-time frontier (on request, with progress)."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from planner.analysis.frontier import scaled
from planner.analysis.summary import gap_quarters as open_quarters
from planner.domain import Objective
from planner.io.scenario import ScenarioError, load_scenario
from views import analyses, charts, state, tasks
from views.i18n import lang, lang_keyed, t
from views.sidebar import focus_banner

SS = st.session_state
CURRENT = "__current__"
MULTIPLIERS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2)


def _label(key: str) -> str:
    return t("cmp_current") if key == CURRENT else key.removesuffix(".toml")


def _scenario(key: str):
    if key == CURRENT:
        return state.scenario()
    try:
        return load_scenario(state.scenario_dir() / key)
    except ScenarioError as exc:
        state.show_message(exc.message)
        return None


def _row(name, sc, plan, ds) -> dict:
    s = charts.plan_summary(plan)
    regions = state.focus_regions()
    budgets = {k: v for k, v in state.effective_budgets(ds, sc).items() if regions is None or k[0] in regions}
    ok = plan.has_solution
    return {t("col_scenario"): name, t("col_status"): t(f"status_{plan.status.value}_short"),
            t("col_horizon"): f"{sc.start.label}–{sc.horizon_end.label}",
            t("col_mode_deadline"): t(f"mode_deadline_{sc.deadline_mode.value}"),
            t("col_workbook_multiplier"): sc.budget_multiplier,
            t("col_total_budget"): round(sum(budgets.values()), 1),
            t("col_cost"): round(s["cost"], 1) if ok else None,
            t("col_on_time_n"): f"{s['on_time']}/{s['gaps']}" if ok else "—",
            t("kpi_on_time"): f"{s['share']:.0%}" if ok else "—",
            t("col_late_n"): s["late"] if ok else None, t("col_shared_n"): s["shared"] if ok else None,
            t("col_unbuilt_n"): s["unbuilt"] if ok else None, t("col_late_q"): s["late_quarters"] if ok else None,
            t("col_open_q"): open_quarters(plan) if ok else None}


def _deltas(solved, ds) -> None:
    st.subheader(t("cmp_delta_title"))
    st.caption(t("cmp_delta_caption", base=solved[0][0]))

    def per_region(plan):
        cost, on_time = {}, {}
        for s in plan.spending:
            cost[s.region] = cost.get(s.region, 0.0) + s.spent_wan
        for g in plan.schedule:
            on_time[g.region] = on_time.get(g.region, 0) + (1 if g.on_time else 0)
        return cost, on_time

    base_name, _, base = solved[0]
    b_cost, b_on = per_region(base)
    others = [(name, *per_region(plan)) for name, _, plan in solved[1:]]
    regions = state.focus_regions()
    values: dict[str, dict[str, float]] = {}
    for r in ds.matrix_regions:
        if regions is not None and r.name not in regions:
            continue
        row = {t("cmp_base_cost", name=base_name): b_cost.get(r.name, 0.0),
               t("cmp_base_on_time", name=base_name): b_on.get(r.name, 0)}
        for name, cost, on in others:
            row[t("cmp_d_cost", name=name)] = cost.get(r.name, 0.0) - b_cost.get(r.name, 0.0)
            row[t("cmp_d_on_time", name=name)] = on.get(r.name, 0) - b_on.get(r.name, 0)
        values[r.name] = row
    order = state.region_order()
    values.update(state.rollup_values(values))  # a roll-up per city and province in focus
    rows = [{t("col_region"): name, **{k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}}
            for name, row in sorted(values.items(), key=lambda kv: order.get(kv[0], len(order)))]
    st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="—", height=charts.table_height(len(rows)))


def _objectives(ds) -> None:
    """The current settings under both objectives: what closing gaps earlier costs."""
    st.subheader(t("cmp_objectives_title"))
    st.caption(t("cmp_objectives_caption"))
    sc = state.scenario()
    rows, plans = [], []
    for objective in (Objective.EARLIEST, Objective.CHEAPEST):
        other = replace(sc, objective=objective)
        plan = state.focused_plan(state.solve_plan(other, remember_good=False))
        if plan is not None:
            rows.append(_row(t(f"objective_{objective.value}"), other, plan, ds))
            plans.append(plan)
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="—")
    if len(plans) == 2 and all(p.has_solution for p in plans):
        earliest, cheapest = plans
        st.markdown(t("cmp_objectives_delta", wan=f"{earliest.total_cost_wan - cheapest.total_cost_wan:,.1f}",
                      quarters=open_quarters(cheapest) - open_quarters(earliest)))


@st.fragment
def _frontier(solved, ds) -> None:
    st.subheader(t("fr_title"))
    sc, regions = state.scenario(), state.focus_regions()
    horizon = f"{sc.start.label}–{sc.horizon_end.label}"
    where = state.focus() or t("focus_all")
    st.caption(t("fr_caption", name=state.shown_name(sc.name), where=where))
    steps = analyses.frontier_steps(ds, sc, regions, MULTIPLIERS)
    chart = st.empty()
    key = analyses.key("frontier", sc, regions, ",".join(map(str, MULTIPLIERS)))
    results = tasks.run(key, steps, title=t("spinner_frontier"), button=t("fr_button"),
                        expected_s=1.0 * len(steps), button_help=t("fr_button_note", n=len(MULTIPLIERS)),
                        partial=lambda got: _frontier_chart(chart, analyses.frontier_points(got), solved, ds, sc,
                                                            regions, horizon, key, final=False))
    if results is None:
        return
    points = analyses.frontier_points(results)
    picked = _frontier_chart(chart, points, solved, ds, sc, regions, horizon, key, final=True)
    if picked is not None:
        _open_point(picked, sc)
    ok = [not p.failed for p in points]
    if not all(ok):
        st.warning(t("fr_failed", n=ok.count(False)))
    st.dataframe(pd.DataFrame([{
        t("fr_scale"): p.multiplier, t("fr_x"): round(p.total_budget_wan, 1),
        t("col_status"): t(f"status_{p.status.value}_short"),
        t("col_on_time_n"): f"{p.on_time}/{p.gaps}" if good else "—",
        t("kpi_on_time"): f"{p.on_time_share:.0%}" if good else "—",
        t("col_late_q"): p.late_quarters if good else None, t("col_unbuilt_n"): p.unbuilt if good else None,
        t("col_cost"): round(p.cost_wan, 1) if good else None} for p, good in zip(points, ok, strict=True)]),
        hide_index=True, placeholder="—")


def _frontier_chart(slot, points, solved, ds, sc, regions, horizon: str, key: str, final: bool) -> float | None:
    """The curve in ``slot`` (points still being refined drawn hollow); once every point is final, a click on a
    point returns its budget multiplier."""
    if not points:
        return None
    same = [(n, s, p) for n, s, p in solved if (s.start, s.horizon_end) == (sc.start, sc.horizon_end)]
    other = [n for n, s, _ in solved if (s.start, s.horizon_end) != (sc.start, sc.horizon_end)]
    marks = []
    for name, s, plan in same:
        summary = charts.plan_summary(plan)
        budgets = state.effective_budgets(ds, s)
        marks.append({"name": name, "share": summary["share"],
                      "budget": sum(v for k, v in budgets.items() if regions is None or k[0] in regions)})
    with slot.container():
        spec = charts.frontier_chart(points, marks, horizon=horizon)
        if not final:
            st.altair_chart(spec, width="stretch")
            st.caption(t("fr_refining", done=sum(p.final for p in points), n=len(points)))
            return None
        event = st.altair_chart(spec, width="stretch", on_select="rerun", selection_mode="point_pick",
                                key=f"fr_chart_{hash(key)}")
        st.caption(t("fr_click"))
        if other:
            st.caption(t("fr_other_horizon", names="、".join(other), horizon=horizon))
    chosen = (getattr(event, "selection", None) or {}).get("point_pick") or []
    scale = chosen[0].get("scale") if chosen and isinstance(chosen[0], dict) else None
    return float(scale) if isinstance(scale, int | float) else None


def _open_point(multiplier: float, sc) -> None:
    """A clicked point's plan: the current settings in soft mode with every budget × the point's multiplier."""
    if st.button(t("fr_open", scale=f"{multiplier:g}"), key="fr_open", icon=":material/open_in_new:"):
        state.set_scenario(scaled(sc, multiplier), "undo_settings")
        st.switch_page("views/plan.py")


def _default_pick(options: list[str]) -> list[str]:
    """The current settings and the first two scenario files made for the current data (by their workbook's
    file name), else the first three files: a file made for another region's workbook rarely fits."""
    mine = []
    for key in options[1:]:
        try:
            if load_scenario(state.scenario_dir() / key).workbook.name == SS.get("wb_name"):
                mine.append(key)
        except ScenarioError:
            continue
    return [CURRENT] + mine[:2] if mine else options[: min(3, len(options))]


def render() -> None:
    st.title(t("compare_title"))
    st.caption(t("compare_intro"))
    focus_banner()
    options = [CURRENT] + [p.name for p in state.list_scenarios()]
    if "cmp_pick" not in SS or not set(SS.cmp_pick) <= set(options):
        SS.cmp_pick = _default_pick(options)
    labels = {o: _label(o) for o in options}  # resolved now: format_func may run outside the page
    picked = st.multiselect(t("cmp_pick"), options, key=lang_keyed("cmp_pick"), format_func=labels.__getitem__,
                            placeholder=t("choose_options"))
    if len(picked) < 2:
        st.info(t("cmp_need_two"))
    ds = state.dataset()
    results = []
    for key in picked:
        sc = _scenario(key)
        if sc is None:
            continue
        plan = state.solve_plan(sc, remember_good=False)
        if plan is None:
            continue
        results.append((_label(key), sc, state.focused_plan(plan)))
    if results:
        st.subheader(t("cmp_table_title"))
        st.dataframe(pd.DataFrame([_row(n, sc, p, ds) for n, sc, p in results]), hide_index=True, placeholder="—")
        st.caption(t("cmp_multiplier_note"))
        for name, _, plan in results:
            if not plan.has_solution:
                st.warning(t("cmp_no_solution", name=name, status=t(f"status_{plan.status.value}_short")))
                for s in plan.shortfalls:
                    st.markdown(f"- {s.en if lang() == 'en' else s.zh}")
    solved = [(n, sc, p) for n, sc, p in results if p.has_solution]
    if len(solved) >= 2:
        _deltas(solved, ds)
    _objectives(ds)
    _frontier(solved, ds)


render()
