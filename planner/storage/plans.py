"""Plans with their exact inputs: drafts, and approved plans (定稿) that never change again.

A plan row keeps the dataset version it was solved on, the scenario settings (TOML text) and the engine version,
so the approved plan can be shown, compared against actuals and reproduced later whatever the data and settings
are today. A re-plan is a new draft until someone approves it; the current approved plan of a dataset is the
one approved last.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from planner.domain import Dataset, Message, Plan, Scenario
from planner.io.scenario import scenario_from_dict, scenario_toml
from planner.storage.datasets import StorageError, aware, dataset_at, dataset_id, now
from planner.storage.models import DatasetRow, Event, PlanRow

DRAFT, APPROVED = "draft", "approved"


def engine_version() -> str:
    """The planner's and its solver's versions, as stored with every plan."""
    parts = []
    for dist in ("planner", "highspy", "pulp"):
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} ?")
    return ", ".join(parts)


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan's outcome as plain values: status, objective, schedule, spending, compliance."""
    return {
        "status": plan.status.value, "solver": plan.solver, "objective": plan.objective,
        "total_cost_wan": round(plan.total_cost_wan, 6),
        "schedule": [{"region": g.region, "item": g.item, "tier": g.tier.key, "mode": g.mode.value,
                      "start": str(g.start_quarter) if g.start_quarter else None,
                      "online": str(g.online_quarter) if g.online_quarter else None, "capex_wan": g.capex_wan,
                      "deadline": g.deadline.isoformat(), "on_time": g.on_time, "late_quarters": g.late_quarters,
                      "upgrade": g.upgrade} for g in plan.schedule],
        "spending": [{"region": s.region, "year": s.year, "capex_wan": s.capex_wan, "opex_wan": s.opex_wan,
                      "fees_wan": s.fees_wan, "budget_wan": s.budget_wan} for s in plan.spending],
        "compliance": [{"region": c.region, "tier": c.tier.key, "required": c.required, "on_time": c.on_time,
                        "late": c.late, "unbuilt": c.unbuilt, "deadline": c.deadline.isoformat()}
                       for c in plan.compliance],
    }


@dataclass(frozen=True)
class PlanRecord:
    """A stored plan and its inputs."""

    id: int
    dataset: str
    status: str
    dataset_version: int
    scenario_toml: str
    engine_version: str
    plan: dict[str, Any]
    created_by: str
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None


def _record(row: PlanRow, name: str) -> PlanRecord:
    return PlanRecord(row.id, name, row.status, row.dataset_version, row.scenario_toml, row.engine_version,
                      json.loads(row.plan_json), row.created_by, aware(row.created_at), row.approved_by,
                      aware(row.approved_at) if row.approved_at else None)


def save_draft(engine: Engine, name: str, plan: Plan, dataset_version: int, author: str) -> int:
    """Store a plan solved on version ``dataset_version`` of dataset ``name`` as a draft; its id."""
    text = scenario_toml(plan.scenario)
    with Session(engine) as s, s.begin():
        row = PlanRow(dataset_id=dataset_id(s, name), dataset_version=dataset_version, scenario_toml=text,
                      engine_version=engine_version(), plan_json=json.dumps(plan_dict(plan), ensure_ascii=False),
                      status=DRAFT, created_by=author, created_at=now())
        s.add(row)
        s.flush()
        return row.id


def approve(engine: Engine, plan_id: int, author: str, remark: str = "") -> PlanRecord:
    """Approve a draft (定稿): it is frozen and becomes the dataset's current approved plan. An event in the
    dataset's history records who approved which plan when."""
    with Session(engine) as s, s.begin():
        row = s.get(PlanRow, plan_id)
        if row is None:
            raise StorageError(Message("no_plan", f"没有编号为 {plan_id} 的计划", f"no plan with id {plan_id}"))
        if row.status != DRAFT:
            raise StorageError(Message("plan_frozen", f"计划 {plan_id} 已定稿，不能再次更改",
                                       f"plan {plan_id} is already approved and cannot change"))
        row.status, row.approved_by, row.approved_at = APPROVED, author, now()
        s.add(Event(dataset_id=row.dataset_id, at=row.approved_at, author=author, kind="approve",
                    item=str(plan_id), reason=remark or f"定稿计划 {plan_id} / approved plan {plan_id}",
                    new_value=json.dumps({"plan": plan_id, "dataset_version": row.dataset_version})))
        s.flush()
        name = s.get(DatasetRow, row.dataset_id).name
        return _record(row, name)


def plans(engine: Engine, name: str) -> list[PlanRecord]:
    """Every plan of a dataset, newest first."""
    with Session(engine) as s:
        rows = s.scalars(select(PlanRow).where(PlanRow.dataset_id == dataset_id(s, name)).order_by(PlanRow.id.desc()))
        return [_record(r, name) for r in rows]


def get_plan(engine: Engine, plan_id: int) -> PlanRecord:
    """One plan by id."""
    with Session(engine) as s:
        row = s.get(PlanRow, plan_id)
        if row is None:
            raise StorageError(Message("no_plan", f"没有编号为 {plan_id} 的计划", f"no plan with id {plan_id}"))
        return _record(row, s.get(DatasetRow, row.dataset_id).name)


def approved_plan(engine: Engine, name: str) -> PlanRecord | None:
    """The dataset's current approved plan (the one approved last), or None."""
    with Session(engine) as s:
        row = s.scalar(select(PlanRow).where(PlanRow.dataset_id == dataset_id(s, name), PlanRow.status == APPROVED)
                       .order_by(PlanRow.approved_at.desc(), PlanRow.id.desc()).limit(1))
        return _record(row, name) if row is not None else None


def inputs(engine: Engine, record: PlanRecord) -> tuple[Dataset, Scenario]:
    """The exact inputs of a stored plan: the dataset at its version and its scenario settings."""
    dataset, _ = dataset_at(engine, record.dataset, record.dataset_version)
    scenario = scenario_from_dict(tomllib.loads(record.scenario_toml), Path("."), f"plan {record.id}")
    return dataset, scenario
