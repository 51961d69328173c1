"""Where the database is and how it is opened and migrated.

``PLANNER_DB`` names any SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db``); without it the database is
an SQLite file in the data folder, ``$PLANNER_DATA_DIR`` (default ``~/.local/share/planner``), never inside
the checkout. The schema is created and upgraded by the Alembic migrations of ``migrations/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def data_dir() -> Path:
    """The data folder: ``$PLANNER_DATA_DIR``, default ``~/.local/share/planner``."""
    env = os.environ.get("PLANNER_DATA_DIR")
    return Path(env).expanduser() if env else Path.home() / ".local" / "share" / "planner"


def database_url() -> str:
    """``$PLANNER_DB``, else the SQLite file ``planner.db`` in the data folder."""
    env = os.environ.get("PLANNER_DB", "").strip()
    if env:
        return env
    return f"sqlite:///{data_dir() / 'planner.db'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: ``database_url()``). SQLite: the folder is created, foreign keys are
    enforced, and a transaction waits up to 30 s for another (two app sessions editing at once)."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # the file holds password hashes: a new data folder is the owner's only
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
            dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy connection
            # IMMEDIATE: a transaction takes the write lock when it starts, so a reader never has to upgrade
            # its lock later (SQLite refuses that upgrade with "database is locked" instead of waiting)
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    """The Alembic configuration of the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (the schema from an empty database on first use)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Run the migrations down to ``revision`` (tests; an operator's way back after a failed upgrade)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None: not migrated yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def is_current(engine: Engine) -> bool:
    """Whether the database is at the code's revision."""
    return current_revision(engine) == head_revision()
