"""Datasets as an append-only event log: import, edit with an optimistic version check, derive, export, diff.

A dataset is one region's data (a city's workbook, a province's collection). Its catalogue (tiers, items,
regions, aliases, share groups, counts, assumptions, sources) is the imported workbook, kept as bytes in a
``Snapshot``; the cells people change — matrix states, budgets, targets, actual completions — and the scenario
settings are ``Event`` rows, appended and never overwritten. A **version** is an event id: the dataset as of
version V is the last snapshot at or before V with every cell event up to V applied.

Concurrency: every edit carries the version its editor saw. Each event moves two ``Head`` rows, the region's
and the dataset's (``"*"``); an edit whose region moved after the version it saw is refused (``StaleEdit``),
by a compare-and-set UPDATE, so two writers of the same region can never both pass the check (PostgreSQL's row
lock, SQLite's single writer). Edits of different regions from the same version both succeed.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session

from planner.domain import (
    CAP_ZH,
    Cap,
    Dataset,
    InputError,
    Level,
    Message,
    Target,
    TargetKind,
)
from planner.io import limits as L
from planner.io import schema as S
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook
from planner.storage.models import DatasetRow, Event, Head, Snapshot

CELL_KINDS = ("matrix", "budget", "target", "actual", "scenario")
EVENT_KINDS = (*CELL_KINDS, "import", "remark", "approve")
ALL = "*"  # the dataset-wide head
MAX_REASON = 2_000  # characters of a reason or remark
MAX_EVIDENCE = L.MAX_TEXT
MAX_NAME = 200

Key = tuple[str, str, str, int | None]  # (kind, region, item, year)


class StorageError(InputError):
    """A refused storage operation, with a bilingual message (the CLI exits 2, the app shows it)."""


class StaleEdit(StorageError):
    """Someone changed the same region after the version the editor saw."""


def _error(code: str, zh: str, en: str, cls: type[StorageError] = StorageError) -> StorageError:
    return cls(Message(code, zh, en))


def now() -> datetime:
    """The current time, timezone-aware UTC (stored as such in both databases)."""
    return datetime.now(UTC)


def aware(t: datetime) -> datetime:
    """SQLite returns naive datetimes: they were written as UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Change:
    """One changed cell. ``value``: matrix — a ``Cap`` value or its Chinese label; budget — 万元 (float);
    actual — a ``date``; target — a ``target_json`` dict; scenario — TOML text. None clears the cell."""

    kind: str
    region: str = ""
    item: str = ""
    year: int | None = None
    value: Any = None
    reason: str = ""
    evidence_no: str = ""  # 文号 (actuals)
    evidence_source: str = ""  # 来源 (actuals)


@dataclass(frozen=True)
class DiffRow:
    """One cell that differs between two versions."""

    kind: str
    region: str
    item: str
    year: int | None
    old: Any
    new: Any


# ------------------------------------------------------------------------------------ values <-> JSON

def target_json(t: Target) -> dict[str, Any]:
    """A target as plain JSON values (tier by key, enums by value)."""
    return {"id": t.id, "kind": t.kind.value, "scope": t.scope, "by": t.by.isoformat(),
            "tier": t.tier.key if t.tier else None, "share": t.share, "count": t.count,
            "level": t.level.value if t.level else None, "per_region": t.per_region,
            "include_higher": t.include_higher, "hard": t.hard, "source": t.source, "note": t.note}


def target_from_json(d: dict[str, Any], dataset: Dataset) -> Target:
    """The ``Target`` a ``target_json`` dict describes, its tier looked up in ``dataset``."""
    return Target(id=str(d["id"]), kind=TargetKind(d["kind"]), scope=str(d["scope"]),
                  by=date.fromisoformat(d["by"]), tier=dataset.tier(d["tier"]) if d.get("tier") else None,
                  share=d.get("share"), count=d.get("count"), level=Level(d["level"]) if d.get("level") else None,
                  per_region=bool(d.get("per_region")), include_higher=bool(d.get("include_higher")),
                  hard=d.get("hard"), source=str(d.get("source") or ""), note=str(d.get("note") or ""))


def state_of(dataset: Dataset) -> dict[Key, Any]:
    """The cells of a dataset as event values, in workbook order."""
    out: dict[Key, Any] = {}
    for (region, item), cap in dataset.matrix.items():
        out[("matrix", region, item, None)] = cap.value
    for (region, year), amount in dataset.budgets.items():
        out[("budget", region, "", int(year))] = float(amount)
    for (region, item), day in dataset.actuals.items():
        out[("actual", region, item, None)] = {"date": day.isoformat(), "no": "",
                                               "source": dataset.actual_evidence.get((region, item), "")}
    for t in dataset.targets:
        out[("target", t.scope, t.id, None)] = target_json(t)
    return out


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# --------------------------------------------------------------------------------------------- reading

_BASE_CACHE: dict[str, Dataset] = {}


def _base(workbook: bytes, sha: str) -> Dataset:
    """The snapshot's dataset, read once per process (snapshots never change)."""
    if sha not in _BASE_CACHE:
        if len(_BASE_CACHE) > 16:
            _BASE_CACHE.pop(next(iter(_BASE_CACHE)))
        _BASE_CACHE[sha] = load_workbook(workbook)
    return _BASE_CACHE[sha]


def dataset_id(s: Session, name: str) -> int:
    """The id of the dataset named ``name`` (a bilingual error when there is none)."""
    found = s.scalar(select(DatasetRow.id).where(DatasetRow.name == name))
    if found is None:
        raise _error("no_dataset", f"数据库中没有名为「{name}」的数据集", f"no dataset named '{name}' in the database")
    return found


def dataset_names(engine: Engine) -> list[str]:
    """Every dataset's name, in creation order."""
    with Session(engine) as s:
        return list(s.scalars(select(DatasetRow.name).order_by(DatasetRow.id)))


def version(s: Session, ds: int) -> int:
    """The dataset's current version: its last event id (0 when it has none)."""
    return s.scalar(select(func.max(Event.id)).where(Event.dataset_id == ds)) or 0


def utc(when: datetime) -> datetime:
    """``when`` in UTC (naive: taken as UTC). SQLite compares stored times as text, so every time compared
    with a stored one must be in the zone they were stored in."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def version_at(s: Session, ds: int, when: datetime) -> int:
    """The version as it was at ``when``: the last event recorded at or before it (0: none yet)."""
    return s.scalar(select(func.max(Event.id)).where(Event.dataset_id == ds, Event.at <= utc(when))) or 0


def _state(s: Session, ds: int, upto: int | None, regions: set[str] | None = None) -> dict[Key, Any]:
    """The last value of every cell (of ``regions`` only, when given) up to event ``upto``."""
    q = select(Event.kind, Event.region, Event.item, Event.year, Event.new_value).where(
        Event.dataset_id == ds, Event.kind.in_(CELL_KINDS)).order_by(Event.id)
    if upto is not None:
        q = q.where(Event.id <= upto)
    if regions is not None:
        q = q.where(Event.region.in_(sorted(regions)))
    out: dict[Key, Any] = {}
    for kind, region, item, year, new in s.execute(q):
        key = (kind, region, item, year)
        value = _load(new)
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def state(engine: Engine, name: str, at: int | None = None) -> tuple[dict[Key, Any], int]:
    """The cells of dataset ``name`` as of version ``at`` (default: now), and that version."""
    with Session(engine) as s:
        ds = dataset_id(s, name)
        v = version(s, ds) if at is None else at
        return _state(s, ds, v), v


def _snapshot(s: Session, ds: int, upto: int) -> Snapshot:
    snap = s.scalar(select(Snapshot).where(Snapshot.dataset_id == ds, Snapshot.event_id <= upto)
                    .order_by(Snapshot.event_id.desc()).limit(1))
    if snap is None:
        raise _error("no_version", f"该数据集在版本 {upto} 时尚未导入",
                     f"the dataset was not imported yet at version {upto}")
    return snap


def _derive(base: Dataset, cells: dict[Key, Any]) -> Dataset:
    matrix = dict(base.matrix)
    budgets: dict[tuple[str, int], float] = {}
    actuals: dict[tuple[str, str], date] = {}
    evidence: dict[tuple[str, str], str] = {}
    targets: list[Target] = []
    regions = {r.name for r in base.matrix_regions}
    items = {i.name for i in base.items}
    for (kind, region, item, year), value in cells.items():
        if kind == "matrix" and region in regions and item in items:
            matrix[(region, item)] = Cap(value)
        elif kind == "budget" and year is not None:
            budgets[(region, year)] = float(value)
        elif kind == "actual":
            actuals[(region, item)] = date.fromisoformat(value["date"])
            text = "；".join(p for p in (value.get("no", ""), value.get("source", "")) if p)
            if text:
                evidence[(region, item)] = text
        elif kind == "target":
            targets.append(target_from_json(value, base))
    return replace(base, matrix=matrix, budgets=budgets, actuals=actuals, actual_evidence=evidence,
                   targets=targets, tiers=list(base.tiers), warnings=list(base.warnings), path=None)


def catalogue(engine: Engine, name: str) -> Dataset:
    """The current snapshot's dataset as imported (regions, hierarchy, items), without the events since: what
    permission checks and forms need, without folding the history."""
    with Session(engine) as s:
        ds = dataset_id(s, name)
        snap = _snapshot(s, ds, version(s, ds))
        return _base(snap.workbook, snap.sha256)


def dataset_at(engine: Engine, name: str, at: int | None = None) -> tuple[Dataset, int]:
    """Dataset ``name`` as of version ``at`` (default: now), and that version."""
    with Session(engine) as s:
        ds = dataset_id(s, name)
        v = version(s, ds) if at is None else at
        snap = _snapshot(s, ds, v)
        return _derive(_base(snap.workbook, snap.sha256), _state(s, ds, v)), v


def export_workbook(engine: Engine, name: str, at: int | None = None) -> bytes:
    """Version ``at`` of dataset ``name`` as a workbook in the loader's format (it re-imports as is)."""
    dataset, _ = dataset_at(engine, name, at)
    return workbook_bytes(dataset_workbook(dataset))


def diff(engine: Engine, name: str, a: int, b: int | None = None) -> list[DiffRow]:
    """The cells that differ between versions ``a`` and ``b`` (default: now): what changed since ``a``."""
    with Session(engine) as s:
        ds = dataset_id(s, name)
        old, new = _state(s, ds, a), _state(s, ds, version(s, ds) if b is None else b)
    keys = list(dict.fromkeys([*old, *new]))
    return [DiffRow(k[0], k[1], k[2], k[3], old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def history(engine: Engine, name: str, *, region: str | None = None, kind: str | None = None,
            author: str | None = None, since: datetime | None = None, until: datetime | None = None,
            limit: int = 1000) -> list[Event]:
    """The events of a dataset, newest first, filtered by region, kind, author and time."""
    with Session(engine) as s:
        q = select(Event).where(Event.dataset_id == dataset_id(s, name))
        if region:
            q = q.where(Event.region == region)
        if kind:
            q = q.where(Event.kind == kind)
        if author:
            q = q.where(Event.author == author)
        if since:
            q = q.where(Event.at >= utc(since))
        if until:
            q = q.where(Event.at <= utc(until))
        rows = list(s.scalars(q.order_by(Event.id.desc()).limit(limit)))
        s.expunge_all()
        return rows


# --------------------------------------------------------------------------------------------- writing

def _lock_heads(s: Session, ds: int, scopes: Iterable[str], seen: int | None) -> None:
    """Compare-and-set on the heads: the dataset's first (serialises writers of one dataset, so event ids
    follow commit order), then each scope's; a scope moved past ``seen`` refuses the edit."""
    s.execute(update(Head).where(Head.dataset_id == ds, Head.scope == ALL).values(last_event=Head.last_event))
    for scope in scopes:
        q = update(Head).where(Head.dataset_id == ds, Head.scope == scope)
        if seen is not None:
            q = q.where(Head.last_event <= seen)
        if s.execute(q.values(last_event=Head.last_event)).rowcount:
            continue
        if s.get(Head, (ds, scope)) is None:  # a scope never written: start its head
            s.add(Head(dataset_id=ds, scope=scope, last_event=0))
            s.flush()
            continue
        last = s.get(Head, (ds, scope)).last_event
        who = s.scalar(select(Event.author).where(Event.id == last)) or "?"
        where = scope if scope != ALL else "数据集 / dataset"
        raise _error("stale_edit",
                     f"「{where}」在您打开的版本 {seen} 之后已被 {who} 修改（现为版本 {last}）：请刷新后重新修改，"
                     "您的修改未保存",
                     f"'{where}' was changed by {who} after the version you opened ({seen}; now {last}): "
                     "reload and edit again — your change was not saved", StaleEdit)


def _set_heads(s: Session, ds: int, scopes: Iterable[str], event_id: int) -> None:
    """Move the heads of ``scopes`` and the dataset's to ``event_id`` (two statements, however many scopes)."""
    wanted = sorted({*scopes, ALL})
    s.execute(update(Head).where(Head.dataset_id == ds, Head.scope.in_(wanted)).values(last_event=event_id))
    have = set(s.scalars(select(Head.scope).where(Head.dataset_id == ds, Head.scope.in_(wanted))))
    missing = [{"dataset_id": ds, "scope": sc, "last_event": event_id} for sc in wanted if sc not in have]
    if missing:
        s.execute(insert(Head), missing)


def _scope(key: Key) -> str:
    return key[1] or ALL


def import_workbook(engine: Engine, name: str, data: bytes, author: str, *, reason: str = "",
                    seen: int | None = None, dataset: Dataset | None = None) -> int:
    """Import a workbook as dataset ``name`` (new, or a new version of an existing one), in ONE transaction:
    a snapshot of its catalogue and an event per cell that differs from the dataset's current state (every
    cell on first import). A failure midway leaves the database as it was. Returns the new version.
    ``dataset``: the workbook already read (e.g. a province collection); else ``data`` is read and validated
    first (``WorkbookError`` before anything is written)."""
    _check_text(name, MAX_NAME, "数据集名称", "dataset name")
    dataset = dataset if dataset is not None else load_workbook(data)
    new_cells = state_of(dataset)
    with Session(engine) as s, s.begin():
        row = s.scalar(select(DatasetRow).where(DatasetRow.name == name))
        if row is None:
            row = DatasetRow(name=name, created_at=now(), created_by=author)
            s.add(row)
            s.flush()
            s.add(Head(dataset_id=row.id, scope=ALL, last_event=0))
            s.flush()
            old_cells: dict[Key, Any] = {}
        else:
            old_cells = _state(s, row.id, None)
        changed = [k for k in dict.fromkeys([*old_cells, *new_cells]) if old_cells.get(k) != new_cells.get(k)]
        scopes = {_scope(k) for k in changed}
        _lock_heads(s, row.id, [ALL], seen)  # serialises with every writer of the dataset: no per-region check
        # needed (an import's cells are checked against the whole dataset's version)
        when = now()
        head = Event(dataset_id=row.id, at=when, author=author, kind="import", reason=reason or "导入工作簿 / import",
                     new_value=_dump({"sha256": hashlib.sha256(data).hexdigest(), "cells": len(changed)}))
        s.add(head)
        s.flush()
        s.add(Snapshot(dataset_id=row.id, event_id=head.id, sha256=hashlib.sha256(data).hexdigest(), workbook=data))
        rows = []
        for k in changed:
            new = new_cells.get(k)
            rows.append({"dataset_id": row.id, "at": when, "author": author, "kind": k[0], "region": k[1],
                         "item": k[2], "year": k[3], "old_value": _dump(old_cells.get(k)), "new_value": _dump(new),
                         "reason": head.reason,
                         "evidence_no": (new or {}).get("no", "") if k[0] == "actual" else "",
                         "evidence_source": (new or {}).get("source", "") if k[0] == "actual" else ""})
        if rows:  # one executemany: a province's tens of thousands of cells in seconds, not minutes
            s.execute(insert(Event), rows)
        last = version(s, row.id)
        _set_heads(s, row.id, scopes, last)
        return last


def _check_text(text: str, limit: int, zh: str, en: str) -> None:
    if len(text) > limit:
        raise _error("text_too_long", f"{zh}超过 {limit} 个字符", f"the {en} is longer than {limit} characters")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise _error("control_character", f"{zh}含有控制字符", f"the {en} contains a control character")


def _normalise(change: Change, base: Dataset, today: date) -> Any:
    """The event value of ``change`` after checking it against the catalogue (bilingual errors)."""
    kind, region, item, value = change.kind, change.region, change.item, change.value
    counties = {r.name for r in base.matrix_regions}
    items = {i.name: i for i in base.items}
    if kind in ("matrix", "budget", "actual") and region not in counties:
        raise _error("unknown_region", f"「{region}」不是本数据集能力矩阵中的地区",
                     f"'{region}' is not a region of this dataset's capability matrix")
    if kind in ("matrix", "actual") and item not in items:
        raise _error("unknown_item", f"「{item}」不是本数据集的项目", f"'{item}' is not an item of this dataset")
    if value is None:
        if kind == "matrix":
            raise _error("blank_cell", "能力矩阵的单元格不能为空", "a matrix cell cannot be blank")
        return None
    if kind == "matrix":
        cap = S.MATRIX_VALUES.get(str(value).strip()) or next((c for c in Cap if c.value == value), None)
        if cap is None:
            raise _error("bad_state", f"「{value}」不是矩阵状态（{'/'.join(CAP_ZH.values())}）",
                         f"'{value}' is not a matrix state (has / lacks / upgrade / na)")
        if cap == Cap.UPGRADE and items[item].upgrade_capex_wan is None:
            raise _error("no_upgrade_cost", f"「{item}」没有升级投资，不能设为需升级",
                         f"'{item}' has no upgrade cost, so it cannot be 需升级 (upgrade)")
        return cap.value
    if kind == "budget":
        if change.year is None or not L.MIN_YEAR <= change.year <= L.MAX_YEAR:
            raise _error("bad_year", f"年份须在 {L.MIN_YEAR}–{L.MAX_YEAR}",
                         f"the year must be {L.MIN_YEAR}–{L.MAX_YEAR}")
        try:
            amount = float(value)
        except (TypeError, ValueError):
            raise _error("bad_amount", f"预算「{value}」不是数字", f"the budget '{value}' is not a number") from None
        if isinstance(value, bool) or not math.isfinite(amount) or not 0 <= amount <= L.MAX_AMOUNT_WAN:
            raise _error("bad_amount", f"预算须在 0–{L.MAX_AMOUNT_WAN:,.0f} 万元",
                         f"a budget must be 0–{L.MAX_AMOUNT_WAN:,.0f} 万元")
        return amount
    if kind == "actual":
        if not isinstance(value, date):
            raise _error("bad_date", "完成日期须为日期", "the completion date must be a date")
        if value > today or value < L.MIN_DATE:
            raise _error("future_date", f"完成日期 {value} 在今天（{today}）之后或过早，不能作为实际完成",
                         f"the completion date {value} is after today ({today}) or too early: not an actual date")
        _check_text(change.evidence_no, MAX_EVIDENCE, "文号", "document number")
        _check_text(change.evidence_source, MAX_EVIDENCE, "来源", "source")
        return {"date": value.isoformat(), "no": change.evidence_no.strip(), "source": change.evidence_source.strip()}
    if kind == "target":
        try:
            target_from_json(value if isinstance(value, dict) else {}, base)
        except (KeyError, ValueError, TypeError) as exc:
            raise _error("bad_target", f"目标无效：{exc}", f"invalid target: {exc}") from None
        if not isinstance(value, dict) or value.get("scope") != region:
            raise _error("target_scope", f"目标的范围须为所改地区「{region}」",
                         f"the target's scope must be the region changed ('{region}')")
        if value.get("scope") not in {r.name for r in base.regions}:
            raise _error("unknown_region", f"目标范围「{value.get('scope')}」不是地区",
                         f"the target's scope '{value.get('scope')}' is not a region")
        return value
    if kind == "scenario":
        text = str(value)
        if len(text.encode("utf-8")) > L.MAX_SCENARIO_KB * 1024:
            raise _error("scenario_too_big", f"情景设置超过 {L.MAX_SCENARIO_KB} KB",
                         f"the scenario settings exceed {L.MAX_SCENARIO_KB} KB")
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _error("bad_scenario", f"情景设置不是有效的 TOML：{exc}",
                         f"the scenario is not valid TOML: {exc}") from None
        return text
    raise _error("bad_kind", f"未知的修改类型「{kind}」", f"unknown kind of change '{kind}'")


def apply_changes(engine: Engine, name: str, changes: list[Change], author: str, seen: int,
                  today: date | None = None) -> int:
    """Append ``changes`` to dataset ``name`` as events in one transaction, if no region they touch changed
    after version ``seen`` (else ``StaleEdit``, nothing written). Returns the new version."""
    today = today or date.today()
    with Session(engine) as s, s.begin():
        ds = dataset_id(s, name)
        cur = version(s, ds)  # a read before the lock is harmless: the compare-and-set decides
        if seen > cur:
            raise _error("bad_version", f"版本 {seen} 不存在（当前为 {cur}）",
                         f"version {seen} does not exist (now {cur})")
        snap = _snapshot(s, ds, cur)
        base = _base(snap.workbook, snap.sha256)
        values = []
        for c in changes:
            _check_text(c.reason, MAX_REASON, "修改原因", "reason")
            values.append(_normalise(c, base, today))
        keys: list[Key] = [(c.kind, c.region if c.kind != "scenario" else "", c.item, c.year) for c in changes]
        _lock_heads(s, ds, sorted({_scope(k) for k in keys}), seen)
        cells = _state(s, ds, None, {k[1] for k in keys})  # only what the edit touches: fast on big datasets
        when, last = now(), 0
        for c, k, value in zip(changes, keys, values, strict=True):
            if cells.get(k) == value:
                continue  # no-op: nothing to record
            ev = Event(dataset_id=ds, at=when, author=author, kind=c.kind, region=k[1], item=c.item, year=c.year,
                       old_value=_dump(cells.get(k)), new_value=_dump(value), reason=c.reason.strip(),
                       evidence_no=(value or {}).get("no", "") if c.kind == "actual" else "",
                       evidence_source=(value or {}).get("source", "") if c.kind == "actual" else "")
            s.add(ev)
            s.flush()
            cells[k], last = value, ev.id
        if last:
            _set_heads(s, ds, {_scope(k) for k in keys}, last)
        return version(s, ds)


def append_note(engine: Engine, name: str, kind: str, author: str, region: str, text: str,
                value: Any = None) -> int:
    """A remark or an approval: recorded in the history, no cell changed, no version check."""
    _check_text(text, MAX_REASON, "备注", "remark")
    with Session(engine) as s, s.begin():
        ds = dataset_id(s, name)
        _lock_heads(s, ds, [], None)
        ev = Event(dataset_id=ds, at=now(), author=author, kind=kind, region=region, reason=text.strip(),
                   new_value=_dump(value))
        s.add(ev)
        s.flush()
        _set_heads(s, ds, [], ev.id)
        return ev.id


def event_dict(e: Event) -> dict[str, Any]:
    """An event as plain values (for tables, JSON output and the audit view)."""
    return {"id": e.id, "at": aware(e.at).isoformat(timespec="seconds"), "author": e.author, "kind": e.kind,
            "region": e.region, "item": e.item, "year": e.year, "old": _load(e.old_value), "new": _load(e.new_value),
            "reason": e.reason, "evidence_no": e.evidence_no, "evidence_source": e.evidence_source}
