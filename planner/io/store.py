"""Workbooks kept on the server by content hash, so that a reload or a shared link finds its data again.

A workbook is stored once under the first 32 hex digits of its SHA-256 (a key nobody guesses) with a small
JSON record of its display name and origin. Writes go to a temporary file renamed into place; the store
keeps the most recently used files within a count and a size limit. Keys are checked before any path is
built from them, and a file whose content no longer matches its key is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

KEY = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Stored:
    data: bytes
    name: str  # the file name the user gave (or a label for edited data)
    source: str  # "upload" | "edited"


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def default_folder() -> Path:
    """``PLANNER_STORE`` if set, else a folder in the system's temporary directory."""
    return Path(os.environ.get("PLANNER_STORE") or Path(tempfile.gettempdir()) / "planner-store")


class DataStore:
    def __init__(self, folder: Path | None = None, max_files: int = 200, max_bytes: int = 1 << 30):
        self.folder = Path(folder) if folder is not None else default_folder()
        self.max_files, self.max_bytes = max_files, max_bytes

    def put(self, data: bytes, name: str, source: str) -> str | None:
        """Store ``data``; returns its key, or None when the folder cannot be written (the app still works)."""
        key = content_key(data)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{key}.xlsx"
            if not path.exists():
                _atomic_write(path, data)
            _atomic_write(self.folder / f"{key}.json",
                          json.dumps({"name": name, "source": source}, ensure_ascii=False).encode("utf-8"))
            self._prune(keep=key)
        except OSError:
            return None
        return key

    def get(self, key: str) -> Stored | None:
        """The workbook stored under ``key``; None when the key is malformed, unknown or its file altered."""
        if not KEY.fullmatch(key or ""):
            return None
        path = self.folder / f"{key}.xlsx"
        try:
            data = path.read_bytes()
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            os.utime(path)  # recently used: kept longest
        except (OSError, ValueError):
            return None
        if content_key(data) != key:
            return None
        return Stored(data, str(meta.get("name", "")), str(meta.get("source", "upload")))

    def _prune(self, keep: str) -> None:
        files = sorted(self.folder.glob("*.xlsx"), key=lambda p: p.stat().st_mtime, reverse=True)
        total = 0
        for n, path in enumerate(files):
            total += path.stat().st_size
            if path.stem != keep and (n >= self.max_files or total > self.max_bytes):
                for p in (path, path.with_suffix(".json")):
                    p.unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.utime(path, (time.time(), time.time()))
