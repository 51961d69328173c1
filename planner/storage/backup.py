"""Backup and restore: every row of every table as JSON lines — a logical dump that reads back into SQLite or
PostgreSQL alike (so it also moves a city from the SQLite file to a PostgreSQL server).

The first line is a header naming the format and the schema revision; then one line per row, tables in an order
where parents come before children. Binary columns are base64, times ISO 8601. A ``.gz`` name compresses.
Restore goes into a migrated, empty database, in one transaction: on any error nothing is restored.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import DateTime, Engine, LargeBinary, func, insert, select, text
from sqlalchemy.orm import Session

from planner.domain import Message
from planner.storage.datasets import StorageError, aware, now
from planner.storage.db import current_revision, head_revision
from planner.storage.models import TABLES

FORMAT = "planner-backup"
FORMAT_VERSION = 1


def _open(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")  # type: ignore[return-value]
    return open(path, mode, encoding="utf-8")


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        return aware(value).isoformat()
    return value


def backup(engine: Engine, path: str | Path) -> dict[str, int]:
    """Write every row to ``path`` (a new file, written beside and renamed into place); rows per table."""
    path = Path(path)
    counts: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(prefix=".backup-", suffix=path.suffix, dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        with _open(Path(tmp), "w") as out, Session(engine) as s:
            out.write(json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "revision": current_revision(engine),
                                  "created": now().isoformat(), "dialect": engine.dialect.name}) + "\n")
            for model in TABLES:
                table = model.__table__
                n = 0
                for row in s.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                    out.write(json.dumps({"t": table.name, "r": {k: _encode(v) for k, v in row.items()}},
                                         ensure_ascii=False) + "\n")
                    n += 1
                counts[table.name] = n
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return counts


def _lines(path: Path) -> Iterator[dict]:
    with _open(path, "r") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise _bad(f"第 {number} 行不是 JSON", f"line {number} is not JSON") from None


def _bad(zh: str, en: str) -> StorageError:
    return StorageError(Message("bad_backup", f"备份文件无效：{zh}", f"invalid backup file: {en}"))


def restore(engine: Engine, path: str | Path) -> dict[str, int]:
    """Load a backup into a migrated, empty database (one transaction); rows per table."""
    path = Path(path)
    lines = _lines(path)
    try:
        header = next(lines)
    except StopIteration:
        raise _bad("文件为空", "the file is empty") from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise _bad(str(exc), str(exc)) from None
    if header.get("format") != FORMAT:
        raise _bad("不是本工具的备份", "not a backup of this tool")
    if header.get("revision") != head_revision():
        raise _bad(f"结构版本 {header.get('revision')} 与程序的 {head_revision()} 不同（先升级数据库再备份）",
                   f"schema revision {header.get('revision')} differs from the code's {head_revision()}")
    tables = {m.__table__.name: m.__table__ for m in TABLES}
    counts = dict.fromkeys(tables, 0)
    with Session(engine) as s, s.begin():
        for table in tables.values():
            if s.scalar(select(func.count()).select_from(table)):
                raise StorageError(Message("restore_not_empty",
                                           f"目标数据库不是空的（表 {table.name} 有数据）：只能恢复到空数据库",
                                           f"the target database is not empty (table {table.name} has rows): "
                                           "restore only into an empty database"))
        batch: dict[str, list[dict]] = {}
        for line in lines:
            name = line.get("t")
            if name not in tables:
                raise _bad(f"未知的表 {name}", f"unknown table {name}")
            table = tables[name]
            row = {}
            for key, value in line["r"].items():
                col = table.columns.get(key)
                if col is None:
                    raise _bad(f"表 {name} 没有列 {key}", f"table {name} has no column {key}")
                if isinstance(col.type, LargeBinary) and value is not None:
                    value = base64.b64decode(value["b64"])
                elif isinstance(col.type, DateTime) and value is not None:
                    value = datetime.fromisoformat(value)
                row[key] = value
            batch.setdefault(name, []).append(row)
            counts[name] += 1
        for name, table in tables.items():  # parents first, whatever the file's order
            if batch.get(name):
                s.execute(insert(table), batch[name])
        if engine.dialect.name == "postgresql":
            # inserted ids do not move the sequences: set each past the largest id
            for table in tables.values():
                if "id" in table.columns:
                    s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                   f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return counts
