"""``python -m planner status``: run as a real subprocess, as a user or a script would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_seed_transcription import BASIC_COUNTS as BASIC
from test_seed_transcription import BASIC_MISSING
from test_seed_transcription import UPGRADED_COUNTS as UPGRADED

X_RAY, GRAIN = "医用诊断X射线辐射源", "谷物容重器"
UPGRADED_PRESENT = {"海安": {X_RAY, GRAIN}, "如皋": {X_RAY}, "如东": set(), "启东": set(), "通州": {X_RAY},
                    "海门": {X_RAY}}
TIER_KEYS = {"required", "completed", "pending", "missing", "present"}


def run_status(repo_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(repo_root), os.environ.get("PYTHONPATH")])),
               PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "planner", "status", *args], cwd=repo_root, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.fixture(scope="module")
def json_run(repo_root: Path) -> subprocess.CompletedProcess[str]:
    return run_status(repo_root, "data/nantong_capabilities.xlsx", "--json")


@pytest.fixture(scope="module")
def report(json_run) -> dict:
    assert json_run.returncode == 0, json_run.stderr
    obj = json.loads(json_run.stdout)  # fails on anything but exactly one JSON document
    assert isinstance(obj, dict)
    return obj


def test_json_exit_zero_and_clean_stderr(json_run) -> None:
    assert json_run.returncode == 0
    assert "Traceback" not in json_run.stderr
    assert json_run.stdout.lstrip().startswith("{") and json_run.stdout.rstrip().endswith("}")


def test_json_schema(report: dict) -> None:
    assert set(report) == {"regions", "totals", "published_totals", "warnings"}
    assert list(report["regions"]) == list(BASIC)
    for tiers in report["regions"].values():
        assert set(tiers) == {"basic", "upgraded"}
        for st in tiers.values():
            assert set(st) == TIER_KEYS
            assert all(isinstance(st[k], int) for k in ("required", "completed", "pending"))
            assert all(isinstance(x, str) for k in ("missing", "present") for x in st[k])
    for key in ("totals", "published_totals"):
        assert set(report[key]) == {"basic", "upgraded"}
        assert all(set(t) == {"required", "completed", "pending"} for t in report[key].values())
    assert report["warnings"] and all(set(w) == {"code", "message"} for w in report["warnings"])


@pytest.mark.parametrize(("tier", "expected"), [("basic", BASIC), ("upgraded", UPGRADED)])
def test_json_region_figures(report: dict, tier: str, expected: dict) -> None:
    got = {name: tuple(t[tier][k] for k in ("required", "completed", "pending"))
           for name, t in report["regions"].items()}
    assert got == expected


def test_json_missing_items(report: dict) -> None:
    regions = report["regions"]
    for county, missing in BASIC_MISSING.items():
        assert set(regions[county]["basic"]["missing"]) == missing
        assert len(regions[county]["basic"]["present"]) == 13 - len(missing)
    for county, present in UPGRADED_PRESENT.items():
        assert set(regions[county]["upgraded"]["present"]) == present
        assert len(regions[county]["upgraded"]["missing"]) == 9 - len(present)
        assert present.isdisjoint(regions[county]["upgraded"]["missing"])


def test_json_city_has_counts_but_no_items(report: dict) -> None:
    city = report["regions"]["市级"]
    for tier in ("basic", "upgraded"):
        assert city[tier]["missing"] == [] and city[tier]["present"] == []
    assert city["upgraded"]["pending"] == 6


def test_json_totals(report: dict) -> None:
    assert report["totals"] == {"basic": {"required": 115, "completed": 99, "pending": 16},
                                "upgraded": {"required": 65, "completed": 10, "pending": 55}}
    assert report["published_totals"] == {"basic": {"required": 115, "completed": 98, "pending": None},
                                          "upgraded": {"required": 65, "completed": 10, "pending": 55}}


def test_json_warnings(report: dict) -> None:
    codes = [w["code"] for w in report["warnings"]]
    assert "total_mismatch" in codes and "unnamed_items" in codes
    assert "count_mismatch" not in codes
    mismatch = next(w["message"] for w in report["warnings"] if w["code"] == "total_mismatch")
    assert "公布 98" in mismatch and "published 98" in mismatch and "99" in mismatch
    unnamed = next(w["message"] for w in report["warnings"] if w["code"] == "unnamed_items")
    assert "市级" in unnamed and "names no items" in unnamed


def test_text_mode_table(repo_root: Path) -> None:
    run = run_status(repo_root, "data/nantong_capabilities.xlsx")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any(line.startswith("== 基本能力") for line in lines)
    assert any(line.startswith("== 提升能力") for line in lines)
    for name, (req, done, pending) in BASIC.items():
        row = next(line for line in lines if line.startswith(name))  # first table: basic
        assert row.split()[1:4] == [str(req), str(done), str(pending)]
    tongzhou = next(line for line in lines if line.startswith("通州"))
    assert all(item in tongzhou for item in BASIC_MISSING["通州"])
    total = next(line for line in lines if line.startswith("合计"))
    assert total.split()[1:4] == ["115", "99", "16"]
    assert "115/98/—" in total
    assert "警告 / warnings:" in run.stdout


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_invalid_workbook_exit_2(repo_root: Path, mutated_workbook, as_json: bool) -> None:
    def break_capex(wb) -> None:
        wb["项目"]["E3"] = "贵"
    path = mutated_workbook(break_capex)
    run = run_status(repo_root, str(path), *(["--json"] if as_json else []))
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert "工作表「项目」" in run.stderr and "sheet '项目'" in run.stderr
    assert "第 3 行" in run.stderr and "row 3" in run.stderr and "建设投资（万元）" in run.stderr


def test_missing_file_exit_2(repo_root: Path, tmp_path: Path) -> None:
    run = run_status(repo_root, str(tmp_path / "absent.xlsx"))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "absent.xlsx" in run.stderr and "file not found" in run.stderr
