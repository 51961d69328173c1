"""定稿 / Approved plan: solve a shipped scenario on the database's current data and save it as a draft, approve a
draft (planners in scope, admins), and compare the approved plan with the actual completions per deadline —
planned (approved) vs actual, and what changed in the data since the approval."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from planner.domain import InputError
from planner.io.scenario import load_scenario, scenario_from_dict, scenario_toml
from planner.model.check import check_scenario
from views import login, state
from views.login import tr
from views.state import list_scenarios

svc = login.service()
who = login.actor()
st.header(tr("定稿计划", "Approved plan"))
name = login.pick_dataset(svc, who)
if name is None:
    login.import_shipped(svc, who)
    st.stop()

dataset, version = svc.dataset(who, name)
approved = svc.approved_plan(who, name)
if approved is None:
    st.info(tr("该数据集尚无定稿计划。", "This dataset has no approved plan yet."))
else:
    at = approved.approved_at.strftime("%Y-%m-%d %H:%M") if approved.approved_at else ""
    st.text(tr(f"定稿计划 {approved.id}：{approved.approved_by} 于 {at}（UTC）定稿；"
               f"数据版本 {approved.dataset_version}；引擎 {approved.engine_version}",
               f"Approved plan {approved.id}: approved by {approved.approved_by} on {at} (UTC); data version "
               f"{approved.dataset_version}; engine {approved.engine_version}"))
    today = date.today()
    rows: dict[tuple[str, str, str], dict] = {}
    for g in approved.plan["schedule"]:
        key = (g["region"], g["tier"], g["deadline"])
        row = rows.setdefault(key, {"gaps": 0, "planned": 0, "actual": 0})
        row["gaps"] += 1
        row["planned"] += bool(g["on_time"])
        done = dataset.actuals.get((g["region"], g["item"]))
        row["actual"] += bool(done and done <= date.fromisoformat(g["deadline"]))
    tiers = {t.key: t.label(login.lang()) for t in dataset.tiers}
    st.subheader(tr("计划（定稿）与实际，按截止日期", "Planned (approved) vs actual, per deadline"))
    st.dataframe(pd.DataFrame([{
        tr("地区", "region"): r, tr("层级", "tier"): tiers.get(tier, tier), tr("截止日期", "deadline"): dl,
        tr("缺口", "gaps"): v["gaps"], tr("计划按期", "planned on time"): v["planned"],
        tr("实际按期完成", "actually done by the deadline"): v["actual"],
        tr("状态", "status"): (tr("未到期", "not due") if date.fromisoformat(dl) > today else
                              tr("达标", "met") if v["actual"] >= v["gaps"] else tr("未达标", "missed"))}
        for (r, tier, dl), v in rows.items()]), hide_index=True, width="stretch")
    changes = svc.diff(who, name, approved.dataset_version)
    st.subheader(tr(f"定稿以来的数据修改（{len(changes)} 处）", f"Data changed since the approval ({len(changes)})"))
    if changes:
        st.dataframe(pd.DataFrame([{tr("类型", "kind"): c.kind, tr("地区", "region"): c.region,
                                    tr("项目", "item"): c.item, tr("年份", "year"): str(c.year or ""),
                                    tr("定稿时", "at approval"): str(c.old if c.old is not None else ""),
                                    tr("现在", "now"): str(c.new if c.new is not None else "")} for c in changes]),
                     hide_index=True, width="stretch")

if who.role in ("city_planner", "province_planner", "admin"):
    st.subheader(tr("新的计划草稿", "A new draft plan"))
    current = state.scenario()
    saved = svc.saved_scenarios(who)  # this user's, in the database
    # None: the settings of this session (the 情景 page); "db:NAME": a saved one; a Path: a shipped file
    options: list = [None, *(f"db:{n}" for n in saved), *list_scenarios()]

    def _label(p) -> str:
        if p is None:
            return tr(f"当前情景：{current.name}", f"current settings: {current.name}")
        if isinstance(p, str):
            return tr(f"我保存的：{p[3:]}", f"saved by me: {p[3:]}")
        return p.stem

    choice = st.selectbox(tr("情景", "Scenario"), options, key="db_plan_scenario", format_func=_label)
    if st.button(tr(f"用当前数据（版本 {version}）求解并保存为草稿",
                    f"Solve on the current data (version {version}) and save as a draft"), key="db_plan_solve"):
        from planner.model.solve import solve

        try:
            if choice is None:
                sc = current
            elif isinstance(choice, str):
                sc = scenario_from_dict(tomllib.loads(saved[choice[3:]]), Path("."), choice[3:])
            else:
                sc = load_scenario(choice)
            problems = check_scenario(sc, dataset)
            if problems:
                raise InputError(problems)
            with st.spinner(tr("求解中…", "Solving…")):
                plan = solve(dataset, sc)
            if not plan.has_solution:
                st.error(tr("该情景无可行计划，未保存", "no feasible plan for this scenario: nothing saved"))
            else:
                svc.save_draft(who, name, plan, version)
                st.rerun()
        except InputError as exc:
            login.show_error(exc)
    with st.form("db_save_scenario"):
        title = st.text_input(tr("把当前情景保存到我的账户（数据库，不写文件）",
                                 "Save the current settings to my account (in the database, no file)"),
                              value=current.name[:80], max_chars=80, key="db_scenario_title")
        if st.form_submit_button(tr("保存情景", "Save settings")):
            try:
                svc.save_scenario(who, title, scenario_toml(current))
                st.rerun()
            except InputError as exc:
                login.show_error(exc)
    drafts = [p for p in svc.plans(who, name) if p.status == "draft"]
    for p in drafts:
        c1, c2 = st.columns([4, 1])
        c1.text(tr(f"草稿 {p.id}：{p.created_by}，数据版本 {p.dataset_version}，"
                   f"总费用 {p.plan['total_cost_wan']:.2f} 万元",
                   f"Draft {p.id}: by {p.created_by}, data version {p.dataset_version}, total cost "
                   f"{p.plan['total_cost_wan']:.2f} 万元"))
        if c2.button(tr("定稿", "Approve"), key=f"db_approve_{p.id}"):
            try:
                svc.approve(who, p.id)
                st.rerun()
            except InputError as exc:
                login.show_error(exc)
