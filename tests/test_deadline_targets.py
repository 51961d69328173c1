"""Deadline targets (层级期限) as the README reads them, in both deadline modes, on tiny datasets.

A deadline target is a target row: every item of its tier applicable to each region of its scope configured by its
date. Hard: the row must hold (else the plan is infeasible, explained, naming the target). Soft: its shortfall is
minimised first, with the other soft targets. It brings its gaps' deadlines forward when hard, or when the
scenario's deadlines are soft; a soft one in hard mode moves nothing. The brute force ranks every schedule by the
independent checker's reading (``checker.target_figures``, ``checker.deadline_of``); the engine must agree.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from checker import TOL, budgets, check_plan, choice_key, deadline_of, spend_of, target_hard, target_shortfall

from planner.cli import plan_json
from planner.domain import (
    BASIC,
    Cap,
    Dataset,
    DeadlineMode,
    GapMode,
    Item,
    Level,
    Region,
    Scenario,
    SolveStatus,
    Target,
    TargetKind,
)
from planner.model.solve import solve
from planner.quarters import Quarter, quarter_range
from planner.reports.plan_workbook import plan_workbook_bytes

START, END = Quarter(2024, 3), Quarter(2025, 2)
ITEMS = [
    Item("A", "甲项", BASIC, date(2025, 6, 30), capex_wan=10, opex_wan=2, lead_quarters=0),
    Item("B", "乙项", BASIC, date(2025, 6, 30), capex_wan=16, opex_wan=2, lead_quarters=1),
]
REGIONS = [Region("P", "省", Level.PROVINCE), Region("C", "市", Level.CITY, parent="省"),
           Region("X1", "一县", Level.COUNTY, parent="市"), Region("X2", "二县", Level.COUNTY, parent="市")]
COUNTIES = ("一县", "二县")
# 2024Q4 for every county's basic items: both gaps of a county need 26 万元 of capex in 2024
EARLY = Target("T-D", TargetKind.DEADLINE, "市", date(2024, 12, 31), tier=BASIC, level=Level.COUNTY, source="测试")
TIGHT = {(r, y): b for r in ("市", *COUNTIES) for y, b in ((2024, 17), (2025, 9))}  # not even the items' dates
MID = {(r, y): b for r in ("市", *COUNTIES) for y, b in ((2024, 20), (2025, 20))}  # the items' dates, not the target's
ROOMY = {(r, y): b for r in ("市", *COUNTIES) for y, b in ((2024, 30), (2025, 12))}  # both


def dataset(money: dict, targets: list[Target]) -> Dataset:
    matrix = {(r, i.name): Cap.LACKS for r in ("市", *COUNTIES) for i in ITEMS}
    return Dataset(items=list(ITEMS), regions=list(REGIONS), matrix=matrix, budgets=dict(money), targets=targets)


def scenario(mode: DeadlineMode) -> Scenario:
    return Scenario(name="deadline-targets", workbook=Path("unused.xlsx"), start=START, horizon_end=END,
                    deadline_mode=mode, time_limit_s=30)


def brute_force(ds: Dataset, sc: Scenario):
    """The best schedule by (soft targets' shortfall, missed gaps, lateness, quarters open, cost), hard targets and
    (hard mode) the deadlines the checker reads holding; None when none does."""
    soft = sc.deadline_mode == DeadlineMode.SOFT
    gaps = ds.gaps()
    options = []
    for region, name in gaps:
        item = ds.item(name)
        due = Quarter.of(deadline_of(ds, sc, region, item))
        opts = [q for q in quarter_range(sc.start, sc.horizon_end) if q.index + item.lead_quarters <= END.index]
        if not soft:
            opts = [q for q in opts if q.index + item.lead_quarters <= due.index]
        options.append(opts + (["unbuilt"] if soft else []))
    limit = budgets(ds, sc)
    best = None
    for picks in itertools.product(*options):
        choice = dict(zip(gaps, picks, strict=True))
        totals = {k: sum(v.values()) for k, v in spend_of(ds, sc, choice).items()}
        if any(totals.get(k, 0.0) > b + TOL for k, b in limit.items()):
            continue
        short = [(target_shortfall(ds, sc, choice, t), target_hard(t, sc)) for t in ds.targets]
        if any(s for s, hard in short if hard):
            continue
        key = (sum(s for s, _ in short),) + choice_key(ds, sc, choice, sum(totals.values())).as_tuple()
        if best is None or key < best[0]:
            best = (key, choice)
    return best


def engine_key(plan, ds: Dataset, sc: Scenario) -> tuple:
    choice = {(s.region, s.item): s.start_quarter if s.mode == GapMode.BUILT else "unbuilt" for s in plan.schedule}
    cost = sum(sp.spent_wan for sp in plan.spending)
    return (sum(target_shortfall(ds, sc, choice, t) for t in ds.targets if not target_hard(t, sc)),) + \
        choice_key(ds, sc, choice, cost).as_tuple()


@pytest.mark.parametrize("mode", [DeadlineMode.SOFT, DeadlineMode.HARD])
@pytest.mark.parametrize("hard", [True, False], ids=["hard_target", "soft_target"])
@pytest.mark.parametrize("money", [TIGHT, MID, ROOMY], ids=["tight", "mid", "roomy"])
def test_deadline_targets_match_brute_force(mode, hard, money):
    ds = dataset(money, [replace(EARLY, hard=hard)])
    sc = scenario(mode)
    best = brute_force(ds, sc)
    plan = solve(ds, sc)
    if best is None:
        assert plan.status == SolveStatus.INFEASIBLE and plan.shortfalls
        # a hard target is named where its counties fall short; a soft one never is (it cannot be the reason)
        assert any("T-D" in f.zh and "T-D" in f.en for f in plan.shortfalls) == hard
        return
    assert plan.status == SolveStatus.OPTIMAL, plan.message
    check_plan(plan, ds, sc)  # the target's figures, hard-held, and the deadlines it moves, by the checker's reading
    got = engine_key(plan, ds, sc)
    assert got[0] == best[0][0] and got[1:] == pytest.approx(best[0][1:], abs=1e-4)


def test_hard_target_in_soft_mode_is_met_when_money_allows_and_explained_when_not():
    target = replace(EARLY, hard=True)
    plan = solve(dataset(ROOMY, [target]), scenario(DeadlineMode.SOFT))
    assert plan.status == SolveStatus.OPTIMAL
    (result,) = plan.targets
    assert result.met and result.hard and [(r.region, r.reached, r.required) for r in result.rows] == [
        ("一县", 2, 2), ("二县", 2, 2)]
    for s in plan.schedule:
        if s.region in COUNTIES:  # its gaps are due by the target's date: on time means by 2024Q4
            assert s.deadline == date(2024, 12, 31) and s.on_time and s.online_quarter <= Quarter(2024, 4)
    # before: the soft plan was "optimal" with the target missed
    short = solve(dataset(MID, [target]), scenario(DeadlineMode.SOFT))
    assert short.status == SolveStatus.INFEASIBLE and not short.targets
    named = [f for f in short.shortfalls if "T-D" in f.zh and "T-D" in f.en]
    assert {f.region for f in named} == set(COUNTIES)
    assert all(f.shortfall_wan > 0 and "万元" in f.zh and "short by" in f.en for f in named)
    richer = {k: v + (max(f.shortfall_wan for f in named) if k[1] == 2024 else 0) for k, v in MID.items()}
    assert solve(dataset(richer, [target]), scenario(DeadlineMode.SOFT)).status == SolveStatus.OPTIMAL


def test_hard_target_no_money_can_meet_names_the_target():
    """B takes a quarter to build: by 2024-09-30 (the plan's first quarter) no budget brings it online."""
    target = replace(EARLY, hard=True, by=date(2024, 9, 30))
    for mode in DeadlineMode:
        plan = solve(dataset(ROOMY, [target]), scenario(mode))
        assert plan.status == SolveStatus.INFEASIBLE
        late = [f for f in plan.shortfalls if "加钱也无法按期" in f.zh]
        assert {(f.region, "乙项" in f.zh, "T-D" in f.zh) for f in late} == {(c, True, True) for c in COUNTIES}
        assert all(f.shortfall_wan == 0 for f in plan.shortfalls)  # the money fits: only the lead time fails


def test_soft_target_in_hard_mode_is_not_a_deadline_and_its_shortfall_is_reported():
    target = replace(EARLY, hard=False)
    ds = dataset(MID, [target])
    plan = solve(ds, scenario(DeadlineMode.HARD))
    assert plan.status == SolveStatus.OPTIMAL  # before: infeasible (the target became a hard deadline)
    assert all(s.deadline == date(2025, 6, 30) and s.on_time for s in plan.schedule)  # the items' own dates
    (result,) = plan.targets
    assert not result.met and not result.hard and result.shortfall == 2  # one of A, B per county by 2024Q4
    assert result.extra_wan and result.extra_wan > 0 and "万元" in result.zh
    (js,) = plan_json(plan)["targets"]
    assert (js["id"], js["kind"], js["status"], js["met"], js["shortfall"]) == ("T-D", "deadline", "missed",
                                                                                 False, 2)
    assert (js["reached"], js["required"]) == (2, 4)


def test_soft_target_in_soft_mode_moves_deadlines_and_ranks_first():
    """Its shortfall comes before missed gaps: with MID money the plan builds one item per county by 2024Q4."""
    target = replace(EARLY, hard=False)
    plan = solve(dataset(MID, [target]), scenario(DeadlineMode.SOFT))
    assert plan.status == SolveStatus.OPTIMAL
    assert all(s.deadline == date(2024, 12, 31) for s in plan.schedule if s.region in COUNTIES)
    assert plan.targets[0].shortfall == 2


NOWHERE = Target("T-N", TargetKind.COVERAGE, "省", date(2025, 6, 30), share=0.5, level=Level.PROVINCE,
                 per_region=True, source="测试")  # the province has no matrix row


def test_every_target_in_the_json_as_on_the_overview():
    targets = [replace(EARLY, hard=False), NOWHERE,
               Target("T-C", TargetKind.COUNT, "市", date(2025, 3, 31), count=3, hard=False, source="测试"),
               Target("T-V", TargetKind.COVERAGE, "市", date(2024, 12, 31), share=0.9, hard=False, source="测试")]
    ds = dataset(MID, targets)
    sc = scenario(DeadlineMode.HARD)
    plan = solve(ds, sc)
    assert plan.status == SolveStatus.OPTIMAL
    check_plan(plan, ds, sc)
    js = {t["id"]: t for t in plan_json(plan)["targets"]}
    assert list(js) == ["T-D", "T-N", "T-C", "T-V"]  # every target, deadline ones included, in the workbook's order
    assert (js["T-N"]["status"], js["T-N"]["met"], js["T-N"]["left_out"], js["T-N"]["reached"]) == (
        "not_countable", False, ["省"], None)
    sheet = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(plan, ds)))["总览"]
    overview = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0] in js}
    assert list(overview) == list(js)
    for name, t in js.items():
        result = overview[name].split("计划结果：", 1)[1]
        if t["status"] == "not_countable":
            assert result.startswith("无法计算") and "省" in result
        elif t["met"]:
            assert result.startswith("达到") and f"（需 {t['required']}）" in result
        else:
            assert result.startswith("未达到") and f"需 {t['required']}，差 {t['shortfall']} 项" in result


def test_solve_json_from_the_command_line(tmp_path):
    """The whole command: a hard deadline target in soft mode, unmet for the money: exit 3, the target named in
    the explanation, and listed (no plan) among the targets; with the money: exit 0, listed with its figures."""
    import json
    import subprocess
    import sys

    from planner.io.excel import dataset_workbook, workbook_bytes

    def run(money: dict) -> tuple[int, dict]:
        book = tmp_path / "book.xlsx"
        book.write_bytes(workbook_bytes(dataset_workbook(dataset(money, [replace(EARLY, hard=True), NOWHERE]))))
        toml = tmp_path / "sc.toml"
        toml.write_text(f'name = "dt"\nworkbook = "book.xlsx"\nstart = "{START.label}"\n'
                        f'horizon_end = "{END.label}"\ndeadline_mode = "soft"\n', encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "planner", "solve", str(toml), "--json"], capture_output=True,
                              text=True, encoding="utf-8", timeout=120, cwd=Path(__file__).resolve().parent.parent)
        assert "Traceback" not in done.stderr
        return done.returncode, json.loads(done.stdout)

    code, js = run(MID)
    assert code == 3 and js["status"] == "infeasible"
    assert any("T-D" in f["message"] and "万元" in f["message"] for f in js["shortfalls"])
    assert [(t["id"], t["status"], t["hard"]) for t in js["targets"]] == [("T-D", "no_plan", True),
                                                                        ("T-N", "no_plan", False)]
    code, js = run(ROOMY)
    assert code == 0 and js["status"] == "optimal"
    assert [(t["id"], t["status"], t["reached"], t["required"], t["left_out"]) for t in js["targets"]] == [
        ("T-D", "met", 4, 4, []), ("T-N", "not_countable", None, None, ["省"])]


@pytest.mark.parametrize("seed", range(24))
def test_drawn_deadline_targets_match_brute_force(seed):
    """Drawn tiny instances: states (已具备 / 缺失 / 不适用), the target's date, scope, level and 硬/软, the mode
    and the money; the engine's plan passes the checker and ranks with the brute force's best."""
    import random

    rng = random.Random(seed)
    regions = ("市", *COUNTIES)
    matrix = {(r, i.name): rng.choice([Cap.LACKS, Cap.LACKS, Cap.HAS, Cap.NA]) for r in regions for i in ITEMS}
    money = {(r, y): float(rng.choice([8, 14, 20, 30])) for r in regions for y in (2024, 2025)}
    target = replace(EARLY, by=rng.choice([date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31)]),
                     scope=rng.choice(["市", "一县"]), level=rng.choice([None, Level.COUNTY]),
                     hard=rng.choice([None, True, False]))
    ds = Dataset(items=list(ITEMS), regions=list(REGIONS), matrix=matrix, budgets=money, targets=[target])
    sc = scenario(rng.choice(list(DeadlineMode)))
    best = brute_force(ds, sc)
    plan = solve(ds, sc)
    if best is None:
        assert plan.status == SolveStatus.INFEASIBLE and plan.shortfalls
        return
    assert plan.status == SolveStatus.OPTIMAL, plan.message
    check_plan(plan, ds, sc)
    got = engine_key(plan, ds, sc)
    assert got[0] == best[0][0] and got[1:] == pytest.approx(best[0][1:], abs=1e-4)
