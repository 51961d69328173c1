"""对比: two or more scenarios side by side (cost, gaps on time, lateness, per-county deltas, frontier)."""

import pandas as pd
import streamlit as st

from planner.io.scenario import ScenarioError, load_scenario
from views import charts, state
from views.i18n import lang, t

SS = st.session_state
CURRENT = "__current__"


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


def render() -> None:
    st.title(t("compare_title"))
    st.caption(t("compare_intro"))
    options = [CURRENT] + [p.name for p in state.list_scenarios()]
    if "cmp_pick" not in SS:
        SS.cmp_pick = options[: min(3, len(options))]
    labels = {o: _label(o) for o in options}  # resolved now: format_func may run outside the page
    picked = st.multiselect(t("cmp_pick"), options, key="cmp_pick", format_func=labels.__getitem__)
    if len(picked) < 2:
        st.info(t("cmp_need_two"))
    ds = state.dataset()
    results = []
    for key in picked:
        sc = _scenario(key)
        if sc is None:
            continue
        plan = state.solve_plan(sc, remember=False)
        if plan is None:
            continue
        results.append((_label(key), sc, plan))
    if not results:
        return

    rows = []
    for name, sc, plan in results:
        s = charts.plan_summary(plan)
        budgets = state.effective_budgets(ds, sc)
        ok = plan.has_solution
        rows.append({t("col_scenario"): name, t("col_status"): t(f"status_{plan.status.value}_short"),
                     t("col_mode_deadline"): t(f"mode_deadline_{sc.deadline_mode.value}"),
                     t("col_multiplier"): sc.budget_multiplier,
                     t("col_total_budget"): round(sum(budgets.values()), 1),
                     t("col_cost"): round(s["cost"], 1) if ok else None,
                     t("col_on_time_n"): f"{s['on_time']}/{s['gaps']}" if ok else "—",
                     t("kpi_on_time"): f"{s['share']:.0%}" if ok else "—",
                     t("col_late_n"): s["late"] if ok else None,
                     t("col_late_q"): s["late_quarters"] if ok else None,
                     t("col_unbuilt_n"): s["unbuilt"] if ok else None})
    st.subheader(t("cmp_table_title"))
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    for name, _, plan in results:
        if not plan.has_solution:
            st.warning(t("cmp_no_solution", name=name, status=t(f"status_{plan.status.value}_short")))
            for s in plan.shortfalls:
                st.markdown(f"- {s.en if lang() == 'en' else s.zh}")

    solved = [(n, sc, p) for n, sc, p in results if p.has_solution]
    if len(solved) >= 2:
        st.subheader(t("cmp_delta_title"))
        st.caption(t("cmp_delta_caption", base=solved[0][0]))
        base = solved[0][2]

        def per_region(plan):
            cost = {}
            for s in plan.spending:
                cost[s.region] = cost.get(s.region, 0.0) + s.spent_wan
            on_time = {}
            for g in plan.schedule:
                on_time[g.region] = on_time.get(g.region, 0) + (1 if g.on_time else 0)
            return cost, on_time

        b_cost, b_on = per_region(base)
        base_name = solved[0][0]
        others = [(name, *per_region(plan)) for name, _, plan in solved[1:]]
        rows = []
        for r in ds.matrix_regions:
            row = {t("col_region"): r.name,
                   t("cmp_base_cost", name=base_name): round(b_cost.get(r.name, 0.0), 1),
                   t("cmp_base_on_time", name=base_name): b_on.get(r.name, 0)}
            for name, cost, on in others:
                row[t("cmp_d_cost", name=name)] = round(cost.get(r.name, 0.0) - b_cost.get(r.name, 0.0), 1)
                row[t("cmp_d_on_time", name=name)] = on.get(r.name, 0) - b_on.get(r.name, 0)
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True)

    st.subheader(t("fr_title"))
    st.caption(t("fr_caption", name=state.scenario().name))
    key = state.scenario_key(state.scenario()) + state.data_key()
    if st.button(t("fr_button"), icon=":material/show_chart:", key="fr_button"):
        SS.fr_for = key
    if SS.get("fr_for") != key:
        st.caption(t("fr_button_note"))
    else:
        points = state.analysis("frontier", state.scenario())
        if points:
            marks = []
            for name, sc, plan in solved:
                s = charts.plan_summary(plan)
                marks.append({"name": name, "budget": sum(state.effective_budgets(ds, sc).values()),
                              "share": s["share"]})
            st.altair_chart(charts.frontier_chart(points, marks), width="stretch")
            st.dataframe(pd.DataFrame([{t("col_multiplier"): p.multiplier, t("fr_x"): round(p.total_budget_wan, 1),
                                        t("kpi_on_time"): f"{p.on_time_share:.0%}", t("col_late_q"): p.late_quarters,
                                        t("col_unbuilt_n"): p.unbuilt, t("col_cost"): round(p.cost_wan, 1)}
                                       for p in points]), hide_index=True)


render()
