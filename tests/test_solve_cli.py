"""``python -m planner solve / min-budget / frontier``: exit codes, one JSON object, the plan workbook."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from planner.io.workbook import load_workbook

REPO = Path(__file__).resolve().parent.parent
BASELINE = "scenarios/nantong_baseline.toml"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=180)


def one_json(stdout: str):
    """The whole of stdout is exactly one JSON value (json.loads rejects anything after it)."""
    return json.loads(stdout)


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan") / "plan.xlsx"
    return run_cli("solve", BASELINE, "--json", "--out", str(out)), out


def test_solve_json_and_workbook(baseline_run, nantong):
    result, out = baseline_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    plan = one_json(result.stdout)
    assert isinstance(plan, dict)
    assert {"status", "objective", "total_cost_wan", "schedule", "spending", "compliance"} <= set(plan)
    assert plan["status"] == "optimal" and plan["objective"] > 0 and plan["total_cost_wan"] > 0
    assert len(plan["schedule"]) == 65
    for row in plan["schedule"]:
        assert {"region", "item", "tier", "start_quarter", "online_quarter", "capex_wan", "deadline", "on_time",
                "mode"} <= set(row)
        assert row["mode"] == "built" and row["on_time"] is True
    assert len(plan["spending"]) == 6 * 5
    for row in plan["spending"]:
        assert {"region", "year", "spent_wan", "budget_wan"} <= set(row)
        assert row["spent_wan"] <= row["budget_wan"] + 1e-4
    assert plan["total_cost_wan"] == pytest.approx(sum(r["spent_wan"] for r in plan["spending"]), abs=1e-3)
    assert plan["compliance"] and all(c["meets_deadline"] for c in plan["compliance"] if c["region"] != "市级")

    assert out.exists()
    sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert {"计划", "截止检查", "甘特"} <= set(sheets)
    reloaded = load_workbook(out)
    assert reloaded.gaps() == nantong.gaps()
    assert reloaded.budgets == nantong.budgets


def test_solve_with_cbc(baseline_run):
    result = run_cli("solve", BASELINE, "--json", "--solver", "cbc")
    assert result.returncode == 0, result.stderr
    plan = one_json(result.stdout)
    assert plan["status"] == "optimal"
    assert plan["objective"] == pytest.approx(one_json(baseline_run[0].stdout)["objective"], abs=1e-6)


def test_infeasible_hard_plan_exits_3(tmp_path, nantong_path):
    scenario = tmp_path / "half.toml"
    scenario.write_text(f'name = "half"\nworkbook = "{nantong_path.as_posix()}"\ndeadline_mode = "hard"\n'
                        f"budget_multiplier = 0.5\n", encoding="utf-8")
    result = run_cli("solve", str(scenario), "--json")
    assert result.returncode == 3, result.stderr
    plan = one_json(result.stdout)
    assert plan["status"] == "infeasible"
    assert plan["shortfalls"]
    for f in plan["shortfalls"]:
        assert f["region"] and f["deadline"] and f["shortfall_wan"] > 0 and f["message"]


@pytest.mark.parametrize("body, zh, en", [
    ('name = "x"\nworkbook = "{wb}"\nbudget_multipler = 1\n', "未知的设置项", "unknown setting"),
    ('name = "x"\nworkbook = "no_such_workbook.xlsx"\n', "找不到文件", "file not found"),
    ('name = "x"\n', "缺少 workbook", "missing 'workbook'"),
])
def test_bad_scenario_exits_2_bilingual(tmp_path, nantong_path, body, zh, en):
    scenario = tmp_path / "bad.toml"
    scenario.write_text(body.format(wb=nantong_path.as_posix()), encoding="utf-8")
    result = run_cli("solve", str(scenario), "--json")
    assert result.returncode == 2
    assert zh in result.stderr and en in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_min_budget_json():
    result = run_cli("min-budget", BASELINE, "--json")
    assert result.returncode == 0, result.stderr
    out = one_json(result.stdout)
    assert out["status"] == "optimal"
    assert len(out["per_region_wan_per_year"]) == 6 and all(v > 0 for v in out["per_region_wan_per_year"].values())
    assert out["total_wan_per_year"] == pytest.approx(sum(out["per_region_wan_per_year"].values()), abs=0.01)


def test_frontier_json():
    result = run_cli("frontier", BASELINE, "--json", "--multipliers", "0.5,1")
    assert result.returncode == 0, result.stderr
    points = one_json(result.stdout)
    assert [p["multiplier"] for p in points] == [0.5, 1.0]
    assert points[1]["on_time"] == 65 > points[0]["on_time"]


def test_replan_json_lists_actual_completions_apart(mutated_workbook, tmp_path):
    """Re-plan from 2027Q1 with two actual completion dates: they are reported under "completed", not
    rescheduled, and every scheduled mode is built / shared / unbuilt."""
    actuals = [("通州", "水表", "2024-09-30"), ("启东", "膜式燃气表", "2026-05-20")]

    def add_actuals(wb):
        for region, item, when in actuals:
            wb["实际完成"].append([region, item, when, "进度报告（测试）"])

    workbook = mutated_workbook(add_actuals)
    text = (REPO / "scenarios" / "nantong_replan_2027.toml").read_text(encoding="utf-8")
    text = text.replace('workbook = "../data/nantong_capabilities.xlsx"', f'workbook = "{workbook.as_posix()}"')
    scenario = tmp_path / "replan.toml"
    scenario.write_text(text, encoding="utf-8")
    result = run_cli("solve", str(scenario), "--json")
    assert result.returncode == 0, result.stderr
    plan = one_json(result.stdout)
    done = {(g["region"], g["item"]): g for g in plan["completed"]}
    assert set(done) == {(r, i) for r, i, _ in actuals}
    assert done[("通州", "水表")]["actual_date"] == "2024-09-30" and done[("通州", "水表")]["on_time"] is True
    assert done[("启东", "膜式燃气表")]["on_time"] is False  # 2026-05-20 is after 2024-12-31
    assert len(plan["schedule"]) == 65 - 2
    assert {g["mode"] for g in plan["schedule"]} <= {"built", "shared", "unbuilt"}
    assert all(g["start_quarter"] >= "2027Q1" for g in plan["schedule"] if g["mode"] == "built")
    tongzhou = next(c for c in plan["compliance"] if c["region"] == "通州" and c["tier"] == "basic")
    assert tongzhou["actual_done"] == 1 and tongzhou["as_of"] == "2026-11-25"
