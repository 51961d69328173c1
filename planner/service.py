"""The service layer: every caller (the app, the CLI, tests) reads and changes the system of record through
``Service``, which checks the actor's role on every call — hiding a button is never the only guard.

Roles (``planner.storage.accounts.ROLES``) and what each may change:

- ``county_editor``: its own county's matrix cells and actual completions;
- ``city_planner`` / ``province_planner``: matrix, actuals, budgets and targets of every region in its scope
  (its city's or province's subtree, or a whole dataset when the scope names the dataset), scenario settings,
  imports and plan approval (定稿) for datasets it is in;
- ``reviewer``: reads everything, records review remarks, changes nothing else;
- ``admin``: everything, and the accounts.

Single-user mode (the default of ``make run``, bound to localhost) goes through the same layer as the implicit
local admin ``Service.local_admin()``.
"""

from __future__ import annotations

import tomllib
import unicodedata
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.domain import Dataset, Message, Plan
from planner.io import limits as L
from planner.storage import accounts, datasets, plans
from planner.storage.accounts import ROLE_ZH, Actor
from planner.storage.datasets import Change, DiffRow, StorageError
from planner.storage.db import make_engine, upgrade
from planner.storage.models import Event, SavedScenario, User
from planner.storage.plans import PlanRecord

LOCAL_USER = "local"
MAX_SAVED_SCENARIOS = 50  # per user
MAX_SCENARIO_NAME = 80
PLANNERS = ("city_planner", "province_planner")
KIND_ZH = {"matrix": "能力矩阵", "budget": "预算", "target": "目标", "actual": "实际完成", "scenario": "情景设置",
           "import": "导入", "remark": "审核意见", "approve": "定稿"}


class PermissionDenied(StorageError):
    """The actor's role does not allow this."""


def _denied(actor: Actor, zh: str, en: str) -> PermissionDenied:
    return PermissionDenied(Message("permission_denied", f"{actor.label} 无权{zh}",
                                    f"{actor.username} ({actor.role} {actor.scope}) may not {en}".replace(" )", ")")))


class Service:
    """The one door to the database. ``engine``: an engine (tests), else one for ``url`` / ``PLANNER_DB``;
    the schema is migrated to the newest revision on start unless ``migrate`` is false."""

    def __init__(self, engine: Engine | None = None, *, url: str | None = None, migrate: bool = True):
        self.engine = engine or make_engine(url)
        if migrate:
            upgrade(self.engine)

    # ------------------------------------------------------------------------------------------- accounts

    def login(self, username: str, password: str, *, at: datetime | None = None) -> str:
        """A session token for a correct password (rate-limited; ``AuthError`` otherwise)."""
        return accounts.login(self.engine, username, password, at=at)

    def actor(self, token: str, *, at: datetime | None = None) -> Actor:
        """The actor of a live session token."""
        return accounts.actor_for(self.engine, token, at=at)

    def actor_for_identity(self, username: str) -> Actor:
        """The actor of a single-sign-on identity (its e-mail is an account's name)."""
        return accounts.actor_for_identity(self.engine, username)

    def logout(self, token: str) -> None:
        """End a session."""
        accounts.logout(self.engine, token)

    def local_admin(self) -> Actor:
        """The implicit admin of single-user mode: an account row that exists (for saved scenarios) but that
        no password can log into."""
        try:
            with Session(self.engine) as s, s.begin():
                if s.scalar(select(User.id).where(User.username == LOCAL_USER)) is None:
                    s.add(User(username=LOCAL_USER, password_hash="!", role="admin", scope="", disabled=False,
                               created_at=datasets.now()))
        except IntegrityError:  # another session created it at the same moment
            pass
        return Actor(LOCAL_USER, "admin", "")

    def add_user(self, actor: Actor, username: str, password: str, role: str, scope: str = "") -> None:
        """Create an account (admin only)."""
        self._admin(actor, "管理账户", "manage accounts")
        if username == LOCAL_USER:
            raise StorageError(Message("reserved_name", f"用户名「{LOCAL_USER}」保留给单用户模式",
                                       f"the user name '{LOCAL_USER}' is reserved for single-user mode"))
        accounts.add_user(self.engine, username, password, role, scope)

    def list_users(self, actor: Actor) -> list[dict]:
        """Every account (admin only)."""
        self._admin(actor, "查看账户", "list accounts")
        return [u for u in accounts.list_users(self.engine) if u["username"] != LOCAL_USER]

    def disable_user(self, actor: Actor, username: str, disabled: bool = True) -> None:
        """Disable (or enable) an account (admin only); its sessions end."""
        self._admin(actor, "管理账户", "manage accounts")
        accounts.set_disabled(self.engine, username, disabled)

    def _admin(self, actor: Actor, zh: str, en: str) -> None:
        if actor.role != "admin":
            raise _denied(actor, zh, en)

    # ---------------------------------------------------------------------------------------- permissions

    def _in_scope(self, actor: Actor, name: str, dataset: Dataset, region: str) -> bool:
        """Whether ``region`` of dataset ``name`` lies in the actor's scope ("" = the dataset as a whole)."""
        if actor.role == "admin" or actor.scope == name:
            return True
        names = {r.name for r in dataset.regions}
        if actor.scope not in names:
            return False
        if not region:  # dataset-wide settings: planners of a region of the dataset
            return actor.role in PLANNERS
        return region in dataset.subtree(actor.scope)

    def _in_dataset(self, actor: Actor, name: str, dataset: Dataset) -> bool:
        return actor.role == "admin" or actor.scope == name or actor.scope in {r.name for r in dataset.regions}

    def check_change(self, actor: Actor, name: str, dataset: Dataset, change: Change) -> None:
        """Raise ``PermissionDenied`` unless the actor may make ``change`` in dataset ``name``."""
        what_zh = f"修改「{change.region or name}」的{KIND_ZH.get(change.kind, change.kind)}"
        what_en = f"change {change.kind} of '{change.region or name}'"
        if actor.role == "admin":
            return
        if actor.role == "county_editor":
            allowed = change.kind in ("matrix", "actual") and change.region == actor.scope \
                and self._in_scope(actor, name, dataset, change.region)
        elif actor.role in PLANNERS:
            region = change.value.get("scope", "") if change.kind == "target" and isinstance(change.value, dict) \
                else change.region
            allowed = change.kind in datasets.CELL_KINDS and self._in_scope(
                actor, name, dataset, "" if change.kind == "scenario" else region)
        else:
            allowed = False
        if not allowed:
            raise _denied(actor, what_zh, what_en)

    # --------------------------------------------------------------------------------------------- reading

    def dataset_names(self, actor: Actor) -> list[str]:
        """Every dataset (every role may read)."""
        return datasets.dataset_names(self.engine)

    def dataset(self, actor: Actor, name: str, at: int | None = None) -> tuple[Dataset, int]:
        """Dataset ``name`` as of version ``at`` (default: now) and that version: the version an editor
        passes back with its edits."""
        return datasets.dataset_at(self.engine, name, at)

    def version_at(self, actor: Actor, name: str, when: datetime) -> int:
        """The dataset's version at a moment."""
        with Session(self.engine) as s:
            return datasets.version_at(s, datasets.dataset_id(s, name), when)

    def export(self, actor: Actor, name: str, at: int | None = None) -> bytes:
        """Version ``at`` of the dataset as a workbook."""
        return datasets.export_workbook(self.engine, name, at)

    def diff(self, actor: Actor, name: str, a: int, b: int | None = None) -> list[DiffRow]:
        """The cells changed between two versions (``b`` default: now)."""
        return datasets.diff(self.engine, name, a, b)

    def version(self, actor: Actor, name: str) -> int:
        """The dataset's current version (its last event id): cheap, for telling whether anything changed."""
        with Session(self.engine) as s:
            return datasets.version(s, datasets.dataset_id(s, name))

    def dataset_of_workbook(self, actor: Actor, data: bytes) -> str | None:
        """The dataset first imported from exactly these workbook bytes (its first snapshot's hash), if any:
        how the single-user app finds the database's record of the data it is showing."""
        import hashlib

        from planner.storage.models import DatasetRow, Snapshot

        sha = hashlib.sha256(data).hexdigest()
        with Session(self.engine) as s:
            q = select(DatasetRow.name).join(Snapshot, Snapshot.dataset_id == DatasetRow.id).where(
                Snapshot.sha256 == sha).order_by(Snapshot.id).limit(1)
            return s.scalar(q)

    def actual_records(self, actor: Actor, name: str, at: int | None = None) -> dict[tuple[str, str], dict]:
        """The current actual completions derived from the events: (region, item) -> {"date", "no" (文号),
        "source" (来源)}."""
        cells, _ = datasets.state(self.engine, name, at)
        return {(region, item): value for (kind, region, item, _), value in cells.items()
                if kind == "actual" and value is not None}

    def history(self, actor: Actor, name: str, **filters: Any) -> list[dict[str, Any]]:
        """The dataset's events, newest first; filters: region, kind, author, since, until, limit."""
        return [datasets.event_dict(e) for e in datasets.history(self.engine, name, **filters)]

    # --------------------------------------------------------------------------------------------- writing

    def import_workbook(self, actor: Actor, name: str, data: bytes, *, seen: int | None = None,
                        reason: str = "", dataset: Dataset | None = None) -> int:
        """Import a workbook as dataset ``name`` (one transaction); planners in scope and admins only.
        ``dataset``: the workbook already read (the app reads an upload within a CPU-time budget)."""
        from planner.io.workbook import load_workbook

        if actor.role not in (*PLANNERS, "admin"):
            raise _denied(actor, f"导入数据集「{name}」", f"import dataset '{name}'")
        dataset = dataset or load_workbook(data)
        if not self._in_dataset(actor, name, dataset):
            raise _denied(actor, f"导入数据集「{name}」（不含其地区 {actor.scope}）",
                          f"import dataset '{name}' (its region {actor.scope} is not in it)")
        return datasets.import_workbook(self.engine, name, data, actor.username, reason=reason, seen=seen,
                                        dataset=dataset)

    def edit(self, actor: Actor, name: str, changes: list[Change], seen: int, *, today: date | None = None) -> int:
        """Apply changes made on version ``seen``: each checked against the actor's role, then all appended in
        one transaction unless a region they touch changed since (``StaleEdit``). Returns the new version."""
        dataset = datasets.catalogue(self.engine, name)
        for change in changes:
            self.check_change(actor, name, dataset, change)
        return datasets.apply_changes(self.engine, name, changes, actor.username, seen, today)

    def set_matrix(self, actor: Actor, name: str, region: str, item: str, state: str, seen: int,
                   reason: str = "") -> int:
        """One matrix cell."""
        return self.edit(actor, name, [Change("matrix", region, item, value=state, reason=reason)], seen)

    def set_budget(self, actor: Actor, name: str, region: str, year: int, amount: float | None, seen: int,
                   reason: str = "") -> int:
        """One county-year budget (None clears it)."""
        return self.edit(actor, name, [Change("budget", region, year=year, value=amount, reason=reason)], seen)

    def record_actual(self, actor: Actor, name: str, region: str, item: str, completed_on: date | None, seen: int,
                      *, evidence_no: str = "", evidence_source: str = "", reason: str = "",
                      today: date | None = None) -> int:
        """An actual completion (配置到位) with its evidence (文号, 来源); None withdraws it."""
        change = Change("actual", region, item, value=completed_on, reason=reason, evidence_no=evidence_no,
                        evidence_source=evidence_source)
        return self.edit(actor, name, [change], seen, today=today)

    def remark(self, actor: Actor, name: str, region: str, text: str) -> int:
        """A review remark in the history (reviewers, planners, admins); changes no data."""
        if actor.role not in ("reviewer", *PLANNERS, "admin"):
            raise _denied(actor, "记录审核意见", "record review remarks")
        if not text.strip():
            raise StorageError(Message("empty_remark", "审核意见不能为空", "a remark cannot be empty"))
        return datasets.append_note(self.engine, name, "remark", actor.username, region, text)

    # ----------------------------------------------------------------------------------------------- plans

    def _approver(self, actor: Actor, name: str, zh: str, en: str) -> None:
        if actor.role == "admin":
            return
        dataset = datasets.catalogue(self.engine, name)
        if actor.role not in PLANNERS or not self._in_dataset(actor, name, dataset):
            raise _denied(actor, zh, en)

    def save_draft(self, actor: Actor, name: str, plan: Plan, dataset_version: int) -> int:
        """Store a plan as a draft with its inputs (planners in scope, admins)."""
        self._approver(actor, name, "保存计划草稿", "save a draft plan")
        return plans.save_draft(self.engine, name, plan, dataset_version, actor.username)

    def approve(self, actor: Actor, plan_id: int, remark: str = "") -> PlanRecord:
        """Approve a draft plan (定稿): frozen with its inputs and engine version."""
        record = plans.get_plan(self.engine, plan_id)
        self._approver(actor, record.dataset, "定稿计划", "approve a plan")
        return plans.approve(self.engine, plan_id, actor.username, remark)

    def approved_plan(self, actor: Actor, name: str) -> PlanRecord | None:
        """The dataset's current approved plan."""
        return plans.approved_plan(self.engine, name)

    def plan_inputs(self, actor: Actor, record: PlanRecord) -> tuple[Dataset, Any]:
        """The exact inputs of a stored plan (the dataset at its version, its scenario): to re-solve it."""
        return plans.inputs(self.engine, record)

    def plans(self, actor: Actor, name: str) -> list[PlanRecord]:
        """Every plan of the dataset, newest first."""
        return plans.plans(self.engine, name)

    # ------------------------------------------------------------------------------------ saved scenarios

    def save_scenario(self, actor: Actor, title: str, toml_text: str) -> None:
        """Save (or replace) one of the actor's scenarios in the database, within the size limits."""
        if actor.role not in (*PLANNERS, "admin"):
            raise _denied(actor, "保存情景", "save scenarios")
        title = title.strip()
        if not title or len(title) > MAX_SCENARIO_NAME or any(unicodedata.category(c).startswith("C") for c in title):
            raise StorageError(Message("bad_scenario_name", f"情景名称须为 1–{MAX_SCENARIO_NAME} 个可见字符",
                                       f"a scenario name is 1-{MAX_SCENARIO_NAME} visible characters"))
        if len(toml_text.encode("utf-8")) > L.MAX_SCENARIO_KB * 1024:
            raise StorageError(Message("scenario_too_big", f"情景设置超过 {L.MAX_SCENARIO_KB} KB",
                                       f"the scenario settings exceed {L.MAX_SCENARIO_KB} KB"))
        try:
            tomllib.loads(toml_text)
        except tomllib.TOMLDecodeError as exc:
            raise StorageError(Message("bad_scenario", f"情景设置不是有效的 TOML：{exc}",
                                       f"the scenario settings are not valid TOML: {exc}")) from None
        if actor.username == LOCAL_USER:
            self.local_admin()  # single-user mode: its account row may not exist yet
        with Session(self.engine) as s, s.begin():
            uid = s.scalar(select(User.id).where(User.username == actor.username))
            if uid is None:
                raise StorageError(Message("no_user", f"没有用户「{actor.username}」", f"no user '{actor.username}'"))
            row = s.scalar(select(SavedScenario).where(SavedScenario.user_id == uid, SavedScenario.name == title))
            if row is not None:
                row.toml, row.updated_at = toml_text, datasets.now()
                return
            count = s.scalar(select(func.count(SavedScenario.id)).where(SavedScenario.user_id == uid)) or 0
            if count >= MAX_SAVED_SCENARIOS:
                raise StorageError(Message("too_many_scenarios", f"每位用户最多保存 {MAX_SAVED_SCENARIOS} 个情景",
                                           f"at most {MAX_SAVED_SCENARIOS} saved scenarios per user"))
            s.add(SavedScenario(user_id=uid, name=title, toml=toml_text, updated_at=datasets.now()))

    def saved_scenarios(self, actor: Actor) -> dict[str, str]:
        """The actor's saved scenarios: name -> TOML text."""
        with Session(self.engine) as s:
            q = select(SavedScenario.name, SavedScenario.toml).join(User, User.id == SavedScenario.user_id).where(
                User.username == actor.username).order_by(SavedScenario.name)
            return {name: text for name, text in s.execute(q)}

    def authors(self, actor: Actor, name: str) -> list[str]:
        """Everyone who changed the dataset (for the audit view's filter)."""
        with Session(self.engine) as s:
            q = select(Event.author).where(Event.dataset_id == datasets.dataset_id(s, name)).distinct()
            return sorted(s.scalars(q))


def role_label(role: str) -> str:
    """A role's Chinese label with its key."""
    return f"{ROLE_ZH.get(role, role)} {role}"
