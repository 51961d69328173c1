"""The tables of the system of record (SQLAlchemy 2 declarative models).

The schema itself is created by the Alembic migrations in ``migrations/versions`` (never ``create_all``), so a
database is always at a known revision; these classes are how the code reads and writes the rows.

Events are append-only: nothing updates or deletes an ``Event`` row. The current state of a dataset is the last
event per cell; ``Head`` rows hold, per dataset and scope (a region), the id of the last event there, which is
what the optimistic version check compares against.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base of every table."""


class User(Base):
    """A local account. ``scope``: the region (or dataset name) the role applies to; "" for admin / reviewer."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(200), default="")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Session(Base):
    """A login session: only the SHA-256 of the token is stored, so a leaked table grants nothing."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """Every login attempt, for rate limiting failed ones per user name."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(Boolean)


class DatasetRow(Base):
    """A region's dataset (a city's workbook, or a province's collection)."""

    __tablename__ = "datasets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))


class Snapshot(Base):
    """The imported workbook's bytes: the catalogue (items, tiers, regions, aliases, …) of the versions from
    ``event_id`` on. Cells that change (matrix, budgets, targets, actuals) come from events."""

    __tablename__ = "snapshots"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    event_id: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    workbook: Mapped[bytes] = mapped_column(LargeBinary)


class Event(Base):
    """One change, never updated nor deleted. ``kind``: import, matrix, budget, target, actual, scenario,
    remark, approve. Values are JSON text (None: blank / removed)."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(200), default="")
    item: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence_no: Mapped[str] = mapped_column(String(200), default="")  # 文号
    evidence_source: Mapped[str] = mapped_column(Text, default="")  # 来源

    __table_args__ = (Index("ix_events_dataset_region", "dataset_id", "region", "id"),)


class Head(Base):
    """The last event id per dataset and scope (a region; "" for dataset-wide settings)."""

    __tablename__ = "heads"
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_event: Mapped[int] = mapped_column(BigInteger)


class PlanRow(Base):
    """A plan with the exact inputs that produced it: dataset version, scenario settings, engine version.
    ``status``: draft, or approved (定稿) — an approved plan is never changed again."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    dataset_version: Mapped[int] = mapped_column(BigInteger)
    scenario_toml: Mapped[str] = mapped_column(Text)
    engine_version: Mapped[str] = mapped_column(String(200))
    plan_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SavedScenario(Base):
    """A user's saved scenario settings (TOML text), never a file in the checkout."""

    __tablename__ = "saved_scenarios"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(80))
    toml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_scenarios_user_name"),)


# Backup and restore walk the tables in this order (parents before children).
TABLES = (User, Session, LoginAttempt, DatasetRow, Snapshot, Event, Head, PlanRow, SavedScenario)
