"""情景: pick a scenario file, then budgets, deadlines, time and what-ifs; save as a new scenario file.

The canonical settings are ``st.session_state.scenario`` (a ``Scenario``); the widgets are seeded from it and
write back to it (each change undoable), so a setting survives a page change and a reload (the URL). The
settings and their preview are one fragment: a slider move reruns only them, not the whole app. Every
figure in 万元 is an assumption (示例假设).
"""

from dataclasses import replace

import streamlit as st

from planner.domain import DeadlineMode, Objective, Options
from planner.io.scenario import with_changes
from planner.quarters import Quarter, quarter_range
from views import charts, login, state, urlsync
from views.i18n import lang, lang_keyed, t
from views.sidebar import focus_banner

SS = st.session_state
W = "sc_w_"  # prefix of this page's widget keys (cleared by state.clear_widgets)


def _open_selected() -> None:
    if not SS.get(W + "file"):
        return
    error = state.open_scenario(state.scenario_dir() / SS[W + "file"])
    SS.scenario_error = error
    if error is None:
        state.notify(t("sc_opened", name=SS.scenario_file), "toast")


def _reopen() -> None:
    """The same file again: its settings replace the changed ones (the picker cannot do this: no change)."""
    if SS.get("scenario_file"):
        keep = SS.scenario_file
        SS.scenario_error = state.open_scenario(state.scenario_dir() / keep)
        SS[W + "file"] = keep
        if SS.scenario_error is None:
            state.notify(t("sc_reopened", name=keep), "toast")


def _reset_budgets() -> None:
    sc, base = state.scenario(), SS.scenario_base
    state.set_scenario(replace(sc, budget_multiplier=base.budget_multiplier,
                               budget_overrides=dict(base.budget_overrides),
                               region_multipliers=dict(base.region_multipliers)), "undo_budgets")
    state.clear_widgets()


def _seed(key: str, value) -> str:
    if W + key not in SS:
        SS[W + key] = value
    return W + key


def _flat_default(ds, sc, region: str) -> float:
    years = [y for y in range(sc.start.year, sc.horizon_end.year + 1) if (region, y) in ds.budgets]
    mean = sum(ds.budgets[(region, y)] for y in years) / len(years) if years else 50.0
    return float(round(mean * sc.budget_multiplier / 5) * 5)


def _budgets(ds, sc) -> tuple[float, dict]:
    st.subheader(t("sc_budget_title"))
    st.caption(t("sc_budget_caption"))
    top, reset = st.columns([3, 2], vertical_alignment="bottom")  # room for the English button's label
    mult = top.slider(t("sc_multiplier"), 0.0, 3.0, step=0.05, format="×%.2f",
                      key=_seed("mult", float(sc.budget_multiplier)), help=t("sc_multiplier_help"))
    reset.button(t("sc_reset_budgets"), on_click=_reset_budgets, icon=":material/restart_alt:", width="stretch",
                 key="sc_reset_budgets")
    overrides = {k: v for k, v in sc.budget_overrides.items() if k[1] != 0}
    focus = state.focus_regions()
    regions = [r.name for r in ds.matrix_regions if focus is None or r.name in focus]
    top_budget = max([v for v in ds.budgets.values() if v] + [100.0])
    slider_max = float(max(400, int(top_budget * 2 / 50 + 1) * 50))
    cols = st.columns(min(3, max(len(regions), 1)), gap="medium")
    for n, region in enumerate(regions):
        with cols[n % len(cols)].container(border=True):
            fixed = st.toggle(t("sc_fix_budget", region=region),
                              key=_seed(f"fix_{region}", (region, 0) in sc.budget_overrides), help=t("sc_fix_help"))
            default = sc.budget_overrides.get((region, 0), _flat_default(ds, sc, region))
            amount = st.slider(t("sc_budget_slider", region=region), 0.0, slider_max, step=5.0,
                               format=t("sc_slider_format"), disabled=not fixed,
                               key=_seed(f"bud_{region}", float(min(default, slider_max))))
            years = sorted(y for (r, y) in ds.budgets if r == region)
            book = " · ".join(f"{y}: {ds.budgets[(region, y)]:g}" for y in years)
            st.caption(t("sc_workbook_budgets", figures=book))
            extra = {y: v for (r, y), v in overrides.items() if r == region}
            if extra and not fixed:
                st.caption(t("sc_year_overrides", figures=" · ".join(f"{y}: {v:g}" for y, v in sorted(extra.items()))))
            if fixed:  # the slider is the county's budget for every year: it replaces per-year overrides too
                overrides = {k: v for k, v in overrides.items() if k[0] != region}
                overrides[(region, 0)] = amount
    # counties out of focus keep their flat budgets as they are
    overrides.update({k: v for k, v in sc.budget_overrides.items() if k[1] == 0 and k[0] not in regions})
    return mult, overrides


def _time_and_deadlines(sc) -> dict:
    st.subheader(t("sc_time_title"))
    c1, c2, c3, c4 = st.columns(4)
    modes = [DeadlineMode.HARD.value, DeadlineMode.SOFT.value]
    labels = {m: t(f"mode_deadline_{m}") for m in modes}  # resolved now: format_func may run outside the page
    mode = c1.radio(t("sc_mode"), modes, format_func=labels.__getitem__,
                    key=lang_keyed(_seed("mode", sc.deadline_mode.value)), help=t("sc_mode_help"))
    starts = [q.label for q in quarter_range(Quarter(2023, 1), Quarter(max(2030, sc.start.year + 2), 4))]
    if sc.start.label not in starts:
        starts.insert(0, sc.start.label)
    start = Quarter.parse(c2.selectbox(t("sc_start"), starts, key=_seed("start", sc.start.label),
                                       help=t("sc_start_help")))
    ends = [q.label for q in quarter_range(start + 1, Quarter(max(2032, sc.horizon_end.year), 4))]
    end_default = sc.horizon_end.label if sc.horizon_end.label in ends else ends[-1]
    if SS.get(W + "end") not in ends:
        SS[W + "end"] = end_default
    end = Quarter.parse(c3.selectbox(t("sc_horizon"), ends, key=W + "end", help=t("sc_horizon_help")))
    k = c4.number_input(t("sc_capacity"), 0, 50, step=1, key=_seed("k", int(sc.city_capacity or 0)),
                        help=t("sc_capacity_help"))
    out = {"deadline_mode": DeadlineMode(mode), "start": start, "horizon_end": end,
           "city_capacity": int(k) if k else None}
    # the solver's switch: the earliest plan, or the cheapest that meets the deadlines
    names = {o.value: t(f"objective_{o.value}") for o in Objective}
    picked = st.radio(t("sc_objective"), list(names), format_func=names.__getitem__, horizontal=True,
                      key=lang_keyed(_seed("objective", sc.objective.value)), help=t("sc_objective_help"))
    out["objective"] = Objective(picked)
    return out


def _whatifs(ds, sc) -> Options:
    st.subheader(t("sc_whatif_title"))
    st.caption(t("sc_whatif_caption"))
    o = sc.options
    c1, c2, c3 = st.columns(3)
    sharing = c1.toggle(t("wi_sharing"), key=_seed("sharing", o.sharing), help=t("wi_sharing_help"))
    providers = [r.name for r in ds.regions]
    if o.sharing_provider not in providers:
        providers.insert(0, o.sharing_provider)
    provider = c1.selectbox(t("wi_provider"), providers, key=_seed("provider", o.sharing_provider),
                            disabled=not sharing)
    discount = c2.toggle(t("wi_discount"), key=_seed("discount", o.share_discount), help=t("wi_discount_help"))
    carry = c2.toggle(t("wi_carry"), key=_seed("carry", o.carry_over), help=t("wi_carry_help"))
    pool = c3.number_input(t("wi_pool"), 0.0, 2000.0, step=10.0, key=_seed("pool", float(o.city_pool_wan)),
                           help=t("wi_pool_help"))
    return replace(o, sharing=sharing, sharing_provider=provider, share_discount=discount, carry_over=carry,
                   city_pool_wan=float(pool))


def _preview(ds) -> None:
    st.subheader(t("sc_preview_title"))
    outcome = state.current_plan()
    plan = state.focused_plan(outcome.plan)
    if plan is None:
        return
    s = charts.plan_summary(plan)
    charts.headline(s)
    st.caption(charts.summary_line(s))
    st.altair_chart(charts.gantt(plan, ds), width="stretch", key="sc_gantt")


@st.fragment
def _settings() -> None:
    """Settings and preview: a move of any control reruns this part alone."""
    sc = state.scenario()
    ds = state.dataset()
    was_modified = state.is_modified()
    mult, overrides = _budgets(ds, sc)
    timing = _time_and_deadlines(sc)
    options = _whatifs(ds, sc)
    new = with_changes(sc, budget_multiplier=float(mult), budget_overrides=overrides, options=options, **timing)
    if new != sc:
        state.set_scenario(new)
    if state.is_modified() != was_modified:
        st.rerun()  # the sidebar and the picker say whether the settings are the file's: redraw them
    if state.is_modified():
        st.caption(t("sc_modified", name=SS.scenario_base.name))
    _preview(ds)
    urlsync.sync()


def _save_clicked() -> None:
    if login.multiuser():  # per user, in the database: never a file in the checkout shared by every visitor
        _save_to_account()
        return
    path, error = state.save_as(SS.get("sc_save_name", ""), SS.get("sc_save_description", ""))
    SS.save_result = (path.name if path else None, error)
    if path is not None:
        SS[W + "file"] = path.name  # the picker shows the file just written


def _save_to_account() -> None:
    """Multi-user mode: the settings go to the user's saved scenarios (service layer: role, size and count
    limits); the message of a refusal is the service's own, in the current language."""
    from planner.domain import InputError
    from planner.io.scenario import scenario_toml

    title = str(SS.get("sc_save_name", "")).strip()
    described = str(SS.get("sc_save_description", ""))
    sc = replace(state.scenario(), name=title or state.scenario().name, description=described
                 or state.scenario().description)
    try:
        login.service().save_scenario(login.actor(), title, scenario_toml(sc))
    except InputError as exc:
        SS.save_result = (None, "\n".join(m.text(lang()) for m in exc.messages))
        return
    SS.save_result = ("db:" + title, "")


def _save() -> None:
    st.subheader(t("sc_save_title"))
    with st.form("save_form", border=True):
        c1, c2 = st.columns([1, 2])
        c1.text_input(t("sc_save_name"), placeholder="nantong_county_80", help=t("save_bad_name"), key="sc_save_name")
        c2.text_input(t("sc_save_description"), key="sc_save_description", max_chars=state.MAX_DESCRIPTION)
        st.form_submit_button(t("sc_save_button"), icon=":material/save:", on_click=_save_clicked)
    result = SS.pop("save_result", None)
    if result is not None:
        name, error = result
        if error:
            st.error(error)
        else:
            st.success(t("sc_saved_db", name=name[3:]) if name.startswith("db:") else t("sc_saved", path=name))
    if SS.wb_source != "shipped":
        st.caption(t("sc_save_data_note"))


def _picker() -> None:
    files = state.list_scenarios()
    names = [p.name for p in files]
    if not names:
        st.info(t("sc_no_files"))
        return
    # the picker shows the settings' file; settings from no file (a filled template's) show none picked, and
    # neither do changed settings: picking their file again is then a change, which reopens it (a select box
    # says nothing when its own value is picked again)
    current = SS.get("scenario_file") if SS.get("scenario_file") in names and not state.is_modified() else None
    if current is None:  # a selectbox shows its placeholder only when made with index None and no value
        if SS.get(W + "file") is not None:
            # written, not forgotten: the browser must drop the old pick too, or it would send it back with the
            # next change of any widget, and that "pick" would reopen the file over the user's changes
            SS[W + "file"] = None
    elif SS.get(W + "file") != current:
        SS[W + "file"] = current
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.selectbox(t("sc_pick"), names, key=W + "file", on_change=_open_selected,
                   placeholder=t("sc_modified_placeholder", name=state.shown_name(SS.scenario.name))
                   if state.is_modified() and SS.get("scenario_file") in names
                   else t("sc_no_file", name=state.shown_name(SS.scenario.name)),
                   **({"index": None} if current is None else {}))
    if SS.get("scenario_file") in names:
        current = SS.scenario_file
        in_file = urlsync.file_scenario(current)
        same = in_file is not None and state.scenario_key(in_file) == state.scenario_key(SS.scenario)
        right.button(t("sc_reopen", name=current.removesuffix(".toml")), on_click=_reopen,
                     icon=":material/restore:", disabled=same, key="sc_reopen", help=t("sc_reopen_help"))
    if state.is_modified():
        st.caption(t("sc_replace_note"))
    if SS.get("scenario_error") is not None:
        state.show_message(SS.scenario_error)
    described = state.description(state.scenario())
    if described:
        st.caption(described)


def render() -> None:
    st.title(t("scenario_title"))
    st.caption(t("scenario_intro"))
    focus_banner()
    _picker()
    _settings()
    _save()


render()
