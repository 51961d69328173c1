"""Database fixtures for the storage tests: a fresh SQLite file, and a throw-away PostgreSQL 15 cluster.

The PostgreSQL cluster is created with the server's own ``initdb`` / ``pg_ctl`` (Debian's ``postgresql``
package, installed by scripts/install_system_deps.sh) in a temporary folder, listening on a free local port and
a socket in that folder; it is stopped after the session. Running as root (CI), the server runs as the
``postgres`` system user, since PostgreSQL refuses to run as root. Without the binaries the PostgreSQL cases are
skipped (locally only: CI installs them).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.storage.db import make_engine, upgrade


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running throw-away PostgreSQL cluster; yields the URL prefix ``postgresql+psycopg://…@host:port``."""
    bin_dir = _pg_bin()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries missing in CI: run scripts/install_system_deps.sh")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    # as root the server runs as ``postgres``, which must reach the folder: /tmp, whatever TMPDIR says
    root = Path(tempfile.mkdtemp(prefix="planner-pg-", dir="/tmp" if os.geteuid() == 0 else None))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for p in (root, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    port = _free_port()
    subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "planner", "--auth=trust",
                                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                    str(root / "server.log"), "-w", "-t", "60", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://planner@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


_counter = itertools.count()


def new_postgres_database(server: str) -> str:
    """A fresh, empty database on the cluster; its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_counter)}"
    with psycopg.connect(server.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (not migrated): an SQLite file, or a new database on the PostgreSQL cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planner.db'}"
    return new_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def engine(db_url: str):
    """An engine on a migrated empty database."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()
