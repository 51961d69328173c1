"""The README's Layout section is true: every engine module is where it says."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout_entries() -> dict[str, str]:
    """The README's Layout block: each entry's first word (``io/``, ``domain.py``) -> its text, continuations
    included."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    entries: dict[str, str] = {}
    key = ""
    for line in block.splitlines():
        if not line.strip():
            continue
        if line.startswith(" " * 24):
            entries[key] += " " + line.strip()
        else:
            key = line.split()[0].rstrip(",")
            entries[key] = line.strip()
    return entries


def test_the_readme_layout_is_true() -> None:
    """Every engine module is named in its folder's entry of the README's Layout, and every ``*.py`` file the
    Layout names at the top of ``planner/`` is there."""
    entries = _layout_entries()
    for folder in ("io", "model", "analysis", "reports", "storage"):
        words = set(re.findall(r"[a-z_]+", entries[f"{folder}/"]))
        missing = [p.stem for p in (ROOT / "planner" / folder).glob("*.py")
                   if p.stem != "__init__" and p.stem not in words]
        assert not missing, f"README Layout, {folder}/ does not name {missing}"
    top = [k for k in entries if k.endswith(".py") and k != "app.py"]
    for name in top:
        assert (ROOT / "planner" / name).exists(), name
    named = {w for k, v in entries.items() for w in re.findall(r"[a-z0-9_]+\.py", v)}
    assert {p.name for p in (ROOT / "planner").glob("*.py")} - {"__init__.py"} <= named
