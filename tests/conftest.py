"""Shared fixtures: the repository, the shipped Nantong workbook, and a way to make broken copies of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook import Workbook

from planner.domain import Dataset
from planner.io.workbook import load_workbook

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's database (recording an actual opens it, also in single-user mode) lives in the test's own
    data folder, never the user's; a test that needs another sets PLANNER_DATA_DIR / PLANNER_DB itself."""
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "planner-data"))
    monkeypatch.delenv("PLANNER_DB", raising=False)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def nantong_path() -> Path:
    """data/nantong_capabilities.xlsx, the committed workbook."""
    return REPO_ROOT / "data" / "nantong_capabilities.xlsx"


@pytest.fixture(scope="session")
def nantong(nantong_path: Path) -> Dataset:
    """The committed workbook, loaded and validated once per session (treat as read-only)."""
    return load_workbook(nantong_path)


@pytest.fixture
def mutated_workbook(nantong_path: Path, tmp_path: Path) -> Callable[[Callable[[Workbook], object]], Path]:
    """``mutated_workbook(fn)``: a copy of the Nantong workbook with ``fn(wb)`` applied, saved under tmp_path."""
    counter = iter(range(1_000_000))

    def make(mutate: Callable[[Workbook], object]) -> Path:
        wb = openpyxl.load_workbook(nantong_path)
        mutate(wb)
        out = tmp_path / f"mutated_{next(counter)}.xlsx"
        wb.save(out)
        return out

    return make
