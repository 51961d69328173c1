"""The session's data and the database (the system of record), for the existing pages: 实际完成, 截止检查 and
the brief.

Data in use are *bound* to a database dataset when they are an export of one of its versions: the session keeps,
per workbook fingerprint, the dataset name and the version exported (so an undo back to an older export still
knows the version it shows, and an edit made from it meets the optimistic version check). In multi-user mode
the session starts on the database's dataset; in single-user mode the shipped file is used at once and the
database is opened only when an actual completion is recorded (the data in use are imported, or found again
by their workbook hash) — through the same service layer, as the implicit local admin.

When the bound dataset has an approved plan (定稿), planned-vs-actual and the brief compare against it
(``approved``), re-solved once per server from its frozen inputs; without a binding or an approved plan, the
pages behave as before (the plan of the current settings).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from planner.domain import Dataset, InputError, Message, Plan
from planner.io.edits import Edit, EditOutcome, apply_edits
from planner.storage.plans import PlanRecord
from views import login, state
from views.login import tr

log = logging.getLogger("planner.app")
SS = st.session_state
BOUND = "db_bound"  # {data fingerprint: (dataset name, version)}
SOURCE = "database"


def bound() -> tuple[str, int] | None:
    """(dataset name, version) when the data in use are an export of a database version, else None."""
    if SS.get("wb_source") != SOURCE:
        return None
    return SS.get(BOUND, {}).get(state.data_key())


def _adopt_version(name: str, version: int | None = None, label: str | None = "undo_edit") -> tuple[str, int]:
    """Version ``version`` (default: the newest) of dataset ``name`` becomes the session's data."""
    svc, who = login.service(), login.actor()
    v = svc.version(who, name) if version is None else version
    state.adopt_database(svc.export(who, name, v), name, label)
    SS.setdefault(BOUND, {})[state.data_key()] = (name, v)
    return name, v


def _dataset_for(who, names: list[str]) -> str:
    """The dataset a user works on: the one picked on a database page, else the one holding its region."""
    picked = SS.get("db_dataset")
    if picked in names:
        return picked
    return next((n for n in names if who.scope == n), names[0])


def follow() -> None:
    """Multi-user mode: the session's data start as the database's current dataset (once per session: after
    that a refresh happens on the user's own writes or a stale edit, never under an open editor)."""
    if not login.multiuser() or SS.get("db_followed") or bound() is not None:
        return
    SS.db_followed = True
    svc, who = login.service(), login.actor()
    names = svc.dataset_names(who)
    if names:
        _adopt_version(_dataset_for(who, names), label=None)


def _database_exists() -> bool:
    """Whether there is a database to look in without creating one (single-user ``make run`` never makes the
    SQLite file just by showing a page)."""
    import os

    from planner.storage.db import data_dir

    return bool(os.environ.get("PLANNER_DB", "").strip()) or (data_dir() / "planner.db").exists()


def _held(svc, who) -> str | None:
    """The dataset that holds the data in use: an export of it (a reloaded page: its name came along with it),
    or the one first imported from exactly these workbook bytes; None when the database holds neither."""
    if SS.get("wb_source") == SOURCE and SS.get("wb_name") in svc.dataset_names(who):
        return SS.wb_name
    return svc.dataset_of_workbook(who, SS.wb_bytes)


def link() -> None:
    """Single-user mode: when the database holds the data in use (a dataset first imported from exactly these
    workbook bytes), the pages show its current state — the completions recorded there, compared against its
    approved plan. Without a database, or data it does not hold, nothing changes (and nothing is opened)."""
    if login.multiuser() or bound() is not None or not _database_exists():
        return
    tried = SS.setdefault("db_link_tried", set())
    if state.data_key() in tried:
        return  # looked once for these data: not again on every rerun
    tried.add(state.data_key())
    name = _held(login.service(), login.actor())
    if name is not None:
        _adopt_version(name, label="undo_edit")
        state.notify(tr(f"显示数据库中的数据集「{name}」的当前版本（含已记录的实际完成与定稿计划）",
                        f"showing the current version of the database's dataset '{name}' (with the recorded "
                        "actual completions and the approved plan)"), "info", literal=True)
        st.rerun()


def refresh() -> None:
    """The newest version of the bound dataset becomes the session's data (after someone else's change)."""
    b = bound()
    if b is not None:
        _adopt_version(b[0], label="undo_edit")


def _bind_for_recording() -> tuple[str, int]:
    """The binding a record goes to. Single-user mode: the data in use, found in the database by their
    workbook hash or imported there now (as the local admin); multi-user: data not from the database are
    refused (only the database is the record)."""
    b = bound()
    if b is not None:
        return b
    if login.multiuser():
        raise InputError([Message("not_database_data",
                                  "当前数据不是数据库中的数据集：实际完成只能记录到数据库的数据集上"
                                  "（请在「定稿」或「审计」页选择数据集后刷新）",
                                  "the data in use are not a dataset of the database: actual completions are recorded "
                                  "on a database dataset only (pick one on the Approved plan or Audit page)")])
    svc, who = login.service(), login.actor()
    name = _held(svc, who)
    if name is None:
        top = next((r.name for r in state.dataset().regions if not r.parent), "") or "本机数据"
        name = top if top not in svc.dataset_names(who) else f"{top}·{state.data_key()[:8]}"
        svc.import_workbook(who, name, SS.wb_bytes, reason="单用户模式：记录实际完成 / single-user mode: recording "
                                                            "actual completions")
    # the database's current state is the record: yesterday's completions are kept, not today's file
    return _adopt_version(name, label="undo_edit")


def current_evidence() -> dict[tuple[str, str], dict]:
    """(region, item) -> {"date", "no" (文号), "source" (来源)} of the bound dataset (empty when unbound)."""
    b = bound()
    if b is None:
        return {}
    return login.service().actual_records(login.actor(), b[0], b[1])


def record_actuals(edits: list[Edit], reason: str) -> EditOutcome:
    """Record the actual-completion edits of the 实际完成 table as events through the service layer (author,
    time, evidence 文号/来源, reason), against the version the editor saw; the session then shows the
    database's new version. The dates are first checked by the engine's own validator."""
    from planner.storage.datasets import Change, StaleEdit

    # the engine's validator checks every cell first, exactly as for a workbook edit (a 文号 as a 来源 text:
    # the same rules, and it too needs a date)
    as_checked = {}
    for e in edits:
        c = Edit(e.table, e.key, "source", e.value) if e.field == "evidence_no" else e
        as_checked[id(c)] = (c, e)
    checked = apply_edits(state.dataset(), [c for c, _ in as_checked.values()], today=date.today())
    if checked.errors:
        return EditOutcome(errors=checked.errors)
    rejected = [(as_checked[id(c)][1] if id(c) in as_checked else c, m) for c, m in checked.rejected]
    bad = {e.key for e, _ in rejected}
    if all(e.key in bad for e in edits):
        return EditOutcome(rejected=rejected)  # nothing to record: the database is not even opened
    try:
        name, seen = _bind_for_recording()
    except InputError as exc:
        return EditOutcome(errors=list(exc.messages))
    svc, who = login.service(), login.actor()
    ds = state.dataset()
    before = svc.actual_records(who, name, seen)
    per_key: dict[tuple[str, str], dict] = {}
    for e in edits:
        if e.key in bad:
            continue
        cur = before.get(e.key) or {}
        row = per_key.setdefault(e.key, {"date": date.fromisoformat(cur["date"]) if cur.get("date") else
                                         ds.actuals.get(e.key), "no": cur.get("no", ""),
                                         "source": cur.get("source", "")})
        field = {"completed_on": "date", "source": "source", "evidence_no": "no"}[e.field]
        row[field] = e.value if field == "date" else (e.value or "")
    changes = [Change("actual", region, item, value=v["date"], reason=reason, evidence_no=v["no"],
                      evidence_source=v["source"]) for (region, item), v in per_key.items()]
    applied = [e for e in edits if e.key in per_key]
    if not changes:
        return EditOutcome(rejected=rejected)
    try:
        version = svc.edit(who, name, changes, seen)
    except StaleEdit as exc:
        refresh()  # the page shows the other official's change; the user edits again on it
        return EditOutcome(errors=list(exc.messages))
    except InputError as exc:
        return EditOutcome(errors=list(exc.messages))
    if version == seen:
        return EditOutcome(unchanged=applied, rejected=rejected)
    _adopt_version(name, version, label="undo_edit")
    return EditOutcome(applied=applied, rejected=rejected)


# ------------------------------------------------------------------------------------------ approved plan

@dataclass(frozen=True)
class Approved:
    """The bound dataset's approved plan: its record, the plan re-solved from its frozen inputs, and those
    inputs' dataset."""

    record: PlanRecord
    plan: Plan
    dataset: Dataset

    def label(self) -> str:
        """Which plan: 定稿 of date D by whom."""
        r = self.record
        day = r.approved_at.strftime("%Y-%m-%d") if r.approved_at else "—"
        return tr(f"定稿计划 {r.id}（{day} 由 {r.approved_by} 定稿，数据版本 {r.dataset_version}）",
                  f"approved plan {r.id} (approved on {day} by {r.approved_by}, data version {r.dataset_version})")


@st.cache_resource(max_entries=8, show_spinner=False)
def _solved(url: str, plan_id: int, _record: PlanRecord) -> tuple[Plan, Dataset]:
    from planner.model.solve import solve

    ds, sc = login.service().plan_inputs(login.actor(), _record)
    return solve(ds, sc), ds


def approved() -> Approved | None:
    """The approved plan to compare against: only when the data in use are bound to a database dataset that
    has one (else None: the pages compare against the plan of the current settings, as before)."""
    b = bound()
    if b is None:
        return None
    svc, who = login.service(), login.actor()
    record = svc.approved_plan(who, b[0])
    if record is None:
        return None
    from planner.storage.db import database_url

    try:
        with st.spinner(tr("正在按定稿时的输入重算定稿计划…", "Re-solving the approved plan from its frozen inputs…")):
            plan, ds = _solved(database_url(), record.id, record)
    except Exception:  # noqa: BLE001 - said on the page; the traceback goes to the server log
        log.exception("approved plan")
        st.error(tr(f"无法按输入重算定稿计划 {record.id}：显示当前设置的计划",
                    f"the approved plan {record.id} cannot be re-solved from its inputs: showing the current plan"))
        return None
    if not plan.has_solution or abs(plan.total_cost_wan - record.plan["total_cost_wan"]) > 0.01:
        st.warning(tr(f"按输入重算的定稿计划 {record.id} 与定稿时不完全一致（求解器版本或时限不同）",
                      f"the approved plan {record.id} re-solved from its inputs differs from the approved one "
                      "(another solver version or time limit)"))
    named = replace(plan, scenario=replace(plan.scenario, name=f"{plan.scenario.name}（定稿 {record.id}）"))
    return Approved(record, named, ds)
