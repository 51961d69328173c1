"""scripts/build_nantong_workbook.py regenerates the committed workbook from data/nantong_source.toml.

If someone edits one without the other, these tests fail: the committed file cannot drift from its source.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from planner.domain import Dataset
from planner.io.schema import ASSUMPTION_LABEL, ITEMS
from planner.io.workbook import load_workbook


@pytest.fixture(scope="module")
def generated_path(repo_root: Path, nantong_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "nantong.xlsx"
    committed = hashlib.sha256(nantong_path.read_bytes()).hexdigest()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(repo_root), os.environ.get("PYTHONPATH")])))
    run = subprocess.run([sys.executable, "scripts/build_nantong_workbook.py", "data/nantong_source.toml", str(out)],
                         cwd=repo_root, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert out.is_file()
    # Given an output path, the generator leaves the committed workbook alone.
    assert hashlib.sha256(nantong_path.read_bytes()).hexdigest() == committed
    return out


@pytest.fixture(scope="module")
def generated(generated_path: Path) -> Dataset:
    return load_workbook(generated_path)


@pytest.mark.parametrize("field", ["items", "regions", "matrix", "counts", "budgets", "share_groups", "aliases",
                                   "assumptions", "sources", "actuals"])
def test_generated_matches_committed(generated: Dataset, nantong: Dataset, field: str) -> None:
    assert getattr(generated, field) == getattr(nantong, field)


def test_generated_warnings_match_committed(generated: Dataset, nantong: Dataset) -> None:
    assert [(w.code, w.zh, w.en) for w in generated.warnings] == [(w.code, w.zh, w.en) for w in nantong.warnings]


@pytest.mark.parametrize("which", ["generated", "committed"])
def test_every_item_row_labelled_assumption(which: str, generated_path: Path, nantong_path: Path) -> None:
    path = generated_path if which == "generated" else nantong_path
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb[ITEMS.zh].iter_rows(values_only=True))
    wb.close()
    header = list(rows[0])
    name_col = header.index(ITEMS.column("name").zh)
    basis_col = header.index(ITEMS.column("basis").zh)  # 数据性质
    note_col = header.index(ITEMS.column("note").zh)  # 假设理由
    items = [r for r in rows[1:] if r[name_col]]
    assert len(items) == 22
    for r in items:
        assert r[basis_col] == ASSUMPTION_LABEL == "示例假设", r[name_col]
        assert isinstance(r[note_col], str) and r[note_col].strip(), r[name_col]
