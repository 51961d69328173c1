"""``python -m planner``: the engine for scripts and batch runs.

Exit codes: 0 success, 1 internal error (one line on stderr, the traceback in a log file whose path is
printed), 2 bad input (bilingual messages on stderr, never a traceback), 3 no feasible plan, 4 some point
of a sweep (frontier, risk) failed or stopped at the time limit: its figures are not a result.

Commands are rows of ``COMMANDS``: a name, a help line, a function adding its arguments and one running it.
Errors are handled in one place (``run``), inputs are read by ``read_inputs`` and outputs written by
``write_output`` (never over an input, never over an existing file without ``--force``, always atomically).
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from planner import cli_db
from planner.domain import (
    Dataset,
    GapMode,
    InputError,
    Message,
    Objective,
    Plan,
    Scenario,
    ScenarioError,
    ScheduledGap,
    SolveStatus,
    TargetResult,
)
from planner.i18n import text as words
from planner.io import limits as L
from planner.io.files import FileProblem, check_output, os_reason, write_atomic
from planner.io.scenario import SOLVERS, cut, read_scenario
from planner.io.tables import cap_messages
from planner.io.workbook import load_workbook
from planner.model.check import check_scenario
from planner.quarters import Quarter
from planner.reports.status import status_report, status_text


class UsageError(InputError):
    """A command-line value that cannot be used."""


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def print_messages(messages: list[Message], prefix: tuple[str, str] = ("", "")) -> None:
    """Messages on stderr, Chinese then English, at most ``MAX_MESSAGES`` (then a count)."""
    for m in cap_messages(messages):
        print(f"{prefix[0]}{m.text('zh')}\n{prefix[1]}{m.text('en')}", file=sys.stderr)


# ------------------------------------------------------------------------------------------------ inputs

def option_number(value: str | None, flag: str, lo: float, hi: float, lo_open: bool = False) -> float | None:
    """A numeric command-line option, finite and within bounds (``UsageError`` otherwise)."""
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < lo or number > hi or (lo_open and number <= lo):
        bracket = "(" if lo_open else "["
        raise UsageError(Message("bad_option",
                         f"参数 {flag} 的值「{value}」无效：应为 {bracket}{lo:g}, {hi:g}] 之间的数",
                                 f"{flag} '{value}' is not valid: expected a number in {bracket}{lo:g}, {hi:g}]"))
    return number


def read_inputs(args: argparse.Namespace) -> tuple[Scenario, Dataset]:
    """The scenario (with ``--solver`` / ``--time-limit`` applied) and its workbook, checked together;
    warnings go to stderr, errors raise."""
    scenario, warnings = read_scenario(args.scenario)
    changes: dict[str, object] = {}
    if getattr(args, "solver", None) is not None:
        changes["solver"] = args.solver
    limit = option_number(getattr(args, "time_limit", None), "--time-limit", 0, L.MAX_TIME_LIMIT_S, lo_open=True)
    if limit is not None:
        changes["time_limit_s"] = limit
    if getattr(args, "objective", None) is not None:
        changes["objective"] = Objective(args.objective)
    scenario = replace(scenario, **changes) if changes else scenario
    dataset = load_workbook(scenario.workbook)
    problems = check_scenario(scenario, dataset)
    if problems:
        raise ScenarioError(problems)
    print_messages(warnings + dataset.warnings, ("警告：", "warning: "))
    return scenario, dataset


def executor_of(args: argparse.Namespace):
    """The executor the options ask for: ``--executor auto|serial|process|dask`` (dask needs ``--scheduler``)."""
    from planner.parallel import SchedulerProblem, make_executor

    kind = getattr(args, "executor", None) or "auto"
    workers = option_number(getattr(args, "workers", None), "--workers", 1, 1024)
    if kind == "dask" and not getattr(args, "scheduler", None):
        raise UsageError(Message("bad_option", "--executor dask 需要 --scheduler 地址（如 tcp://127.0.0.1:8786）",
                                 "--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)"))
    if kind != "dask" and getattr(args, "scheduler", None):  # said, not silently ignored
        raise UsageError(Message("bad_option", "--scheduler 只与 --executor dask 一起使用（请加上 --executor dask）",
                                 "--scheduler is used only with --executor dask (add --executor dask)"))
    try:
        return make_executor(kind, getattr(args, "scheduler", None), int(workers) if workers else None)
    except SchedulerProblem as exc:  # a malformed address, or no Dask scheduler answering there in time
        raise UsageError(Message("bad_scheduler", f"参数 --scheduler：{exc.zh}", f"--scheduler: {exc.en}")) from None


def inputs_of(args: argparse.Namespace) -> list[Path]:
    """Every input file a command reads (never to be written over)."""
    paths = [Path(p) for p in (getattr(args, "scenario", None), getattr(args, "workbook", None)) if p]
    if getattr(args, "scenario", None):
        try:
            paths.append(read_scenario(args.scenario)[0].workbook)
        except InputError:
            pass
    return paths


def check_out(args: argparse.Namespace, suffix: str = ".xlsx") -> Path | None:
    """Validate ``--out`` before any work: not an input, not an existing file without ``--force``."""
    if not getattr(args, "out", None):
        return None
    out = Path(args.out)
    if out.suffix.lower() != suffix:
        raise UsageError(Message("bad_option", f"--out 的文件名应以 {suffix} 结尾：{out}",
                                 f"--out must end in {suffix}: {out}"))
    try:
        return check_output(out, inputs_of(args), force=args.force)
    except FileProblem as exc:
        raise UsageError(exc.message) from None


def write_output(path: Path, data: bytes) -> None:
    """Write an output atomically (temporary file in the same folder, then renamed into place)."""
    try:
        write_atomic(path, data)
    except FileProblem as exc:
        raise UsageError(exc.message) from None


def write_pair(out: Path, workbook: bytes, scenario_path: Path, scenario: bytes) -> None:
    """A workbook and the scenario beside it (``template``, ``synth``): both or neither. Both are made before
    anything is written (so a name that cannot be written into the scenario fails first); an existing scenario
    file is kept; if the scenario cannot be written, the workbook just written is removed again."""
    existed = out.exists()
    write_output(out, workbook)
    if scenario_path.exists():
        return
    try:
        write_output(scenario_path, scenario)
    except BaseException:
        if not existed:
            try:
                out.unlink()
            except OSError:
                pass
        raise


# ---------------------------------------------------------------------------------------------- commands

def cmd_status(args: argparse.Namespace) -> int:
    dataset = load_workbook(args.workbook)
    if args.json:
        _print_json(status_report(dataset))
    else:
        print(status_text(dataset))
    return 0


def plan_json(plan: Plan, dataset: Dataset | None = None) -> dict:
    """The ``solve --json`` object. With ``dataset``, a plan without a solution still lists every target
    (``status: "no_plan"``), as the 总览 sheet does (with "—")."""
    from planner.model.targets import is_hard

    targets = [_target_json(r) for r in plan.targets]
    if dataset is not None and not plan.has_solution:
        targets = [{"id": t.id, "kind": t.kind.value, "scope": t.scope, "tier": t.tier.key if t.tier else None,
                    "by": t.by.isoformat(), "hard": is_hard(t, plan.scenario), "status": "no_plan", "met": None,
                    "shortfall": None, "reached": None, "required": None, "rows": [], "left_out": [], "not_counted": [],
                    "extra_wan": None, "explanation": "", "source": t.source} for t in dataset.targets]
    return {
        "scenario": plan.scenario.name,
        "status": plan.status.value,
        # an unproven plan (stopped at the time limit) carries the proven relative gap of its worst stage
        "proven_optimal": plan.status == SolveStatus.OPTIMAL,
        "mip_gap": None if plan.mip_gap is None or plan.mip_gap == float("inf") else round(plan.mip_gap, 6),
        "objective": plan.objective,
        "total_cost_wan": round(plan.total_cost_wan, 4),
        "schedule": [_gap_json(s) for s in plan.schedule if s.mode != GapMode.DONE],
        # gaps an actual completion date closed before the plan start (re-plans): not scheduled
        "completed": [_gap_json(s) for s in plan.schedule if s.mode == GapMode.DONE],
        "spending": [{"region": s.region, "year": s.year, "spent_wan": round(s.spent_wan, 4),
                      "budget_wan": s.budget_wan, "capex_wan": s.capex_wan, "opex_wan": s.opex_wan,
                      "fees_wan": s.fees_wan, "pool_wan": s.pool_wan, "carried_in_wan": s.carried_in_wan}
                     for s in plan.spending],
        "compliance": [{"region": c.region, "tier": c.tier.key, "deadline": c.deadline.isoformat(),
                        "required": c.required, "done_at_start": c.done_at_start, "on_time": c.on_time,
                        "late": c.late, "unbuilt": c.unbuilt, "shared": c.shared,
                        "unschedulable": c.unschedulable, "meets_deadline": c.meets_deadline,
                        "actual_done": c.actual_done, "as_of": c.as_of.isoformat() if c.as_of else None}
                       for c in plan.compliance],
        "shortfalls": [{"region": f.region, "tier": f.tier.key if f.tier else None, "deadline": f.deadline.isoformat(),
                        "shortfall_wan": f.shortfall_wan, "message": f"{f.zh}\n{f.en}"} for f in plan.shortfalls],
        # every target of the workbook, deadline ones included, as the 总览 sheet lists them
        "targets": targets,
        "message": plan.message,
        "seconds": round(plan.seconds, 3),
    }


def _target_json(r: TargetResult) -> dict:
    """One target's result: ``status`` met / missed, or not_countable when no region of its scope has a matrix
    row (``left_out`` names them; ``met`` is then false and ``reached`` / ``required`` null)."""
    status = "met" if r.met else "missed" if r.countable else "not_countable"
    return {"id": r.target.id, "kind": r.target.kind.value, "scope": r.target.scope,
            "tier": r.target.tier.key if r.target.tier else None, "by": r.target.by.isoformat(), "hard": r.hard,
            "status": status, "met": r.met, "shortfall": r.shortfall if r.countable else None,
            "reached": sum(x.reached for x in r.rows) if r.countable else None,
            "required": sum(x.required for x in r.rows) if r.countable else None,
            "rows": [{"region": x.region, "reached": x.reached, "required": x.required, "total": x.total}
                     for x in r.rows],
            "left_out": list(r.left_out), "not_counted": list(r.left_out), "extra_wan": r.extra_wan,
            "explanation": f"{r.zh}\n{r.en}".strip(), "source": r.target.source}


def _gap_json(s: ScheduledGap) -> dict:
    return {"region": s.region, "item": s.item, "tier": s.tier.key,
            "start_quarter": _label(s.start_quarter), "online_quarter": _label(s.online_quarter),
            "capex_wan": s.capex_wan, "deadline": s.deadline.isoformat(), "on_time": s.on_time,
            "late_quarters": s.late_quarters, "mode": s.mode.value,
            "actual_date": s.actual_date.isoformat() if s.actual_date else None}


def _label(q: Quarter | None) -> str | None:
    return q.label if q is not None else None


def cmd_solve(args: argparse.Namespace) -> int:
    from planner.model.solve import solve
    from planner.reports.plan_workbook import plan_workbook_bytes

    out = check_out(args)
    scenario, dataset = read_inputs(args)
    regions = _region_scope(dataset, args.region)  # a wrong region is said before the solve, as by `brief`
    plan = solve(dataset, scenario, executor_of(args))  # the whole plan: targets may span the region's siblings
    if out is not None:
        write_output(out, plan_workbook_bytes(plan, dataset, region=args.region))
    if regions is not None:
        from planner.analysis.focus import restrict_plan

        plan = restrict_plan(plan, regions)
    if args.json:
        _print_json(plan_json(plan, dataset))
    else:
        print(plan_text(plan))
        if out is not None:
            print(f"\n已写出 / written: {out}")
    return 0 if plan.has_solution else 3


def _region_scope(dataset: Dataset, region: str | None) -> list[str] | None:
    """``--region``: that region and the regions below it (None: all); a usage error for a name the workbook
    does not have (the brief's check and message)."""
    from planner.i18n import text
    from planner.reports import figures

    try:
        return figures.scope(dataset, region)
    except KeyError:
        shown = region if region is None or len(region) <= 60 else region[:60] + "…"
        raise UsageError(Message("bad_region", text("brief_unknown_region", "zh", region=shown),
                                 text("brief_unknown_region", "en", region=shown))) from None


def plan_text(plan: Plan) -> str:
    from planner.analysis.summary import plan_summary

    summary = plan_summary(plan)
    lines = [f"情景 scenario: {plan.scenario.name}   状态 status: {plan.status.value}   "
             f"总支出 total cost: {plan.total_cost_wan:.1f} 万元   用时 {plan.seconds:.1f} s",
             f"缺口 gaps {summary['gaps']}: 按期 on time {summary['on_time']}, 逾期 late {summary['late']}, "
             f"共享 shared {summary['shared']}, 未建 unbuilt {summary['unbuilt']}", ""]
    for s in plan.schedule:
        when = f"{_label(s.start_quarter) or '—':>7} → {_label(s.online_quarter) or '—':<7}"
        flag = "按期" if s.on_time else (f"逾期 {s.late_quarters} 季" if s.mode == GapMode.BUILT else
                                        words(f"mode_{s.mode.value}", "zh"))
        lines.append(f"{s.region:<4} {when} {flag:<8} {s.item}")
    for r in plan.targets:
        got = sum(x.reached for x in r.rows)
        need = sum(x.required for x in r.rows)
        lines.append(f"目标 target {r.target.id}: {'达到 met' if r.met else '未达到 missed'} {got}/{need}"
                     + (f"  {r.zh}" if r.zh else ""))
    for f in plan.shortfalls:
        lines.append(f"! {f.zh}\n  {f.en}")
    if plan.message:
        lines.append(plan.message)
    return "\n".join(lines)


def cmd_min_budget(args: argparse.Namespace) -> int:
    from planner.analysis.min_budget import min_budget

    scenario, dataset = read_inputs(args)
    result = min_budget(dataset, scenario, executor_of(args))
    years = sorted({y for _, y in result.per_year})
    if args.json:
        _print_json({"status": result.status.value, "per_region_wan_per_year": result.per_region,
                     "total_wan_per_year": result.total_wan,
                     "per_region_and_year_wan": {r: {y: v for (rr, y), v in result.per_year.items() if rr == r}
                                                 for r in result.per_region},
                     "per_year_total_wan": result.per_year_total_wan, "unreachable": result.unreachable})
    else:
        print("满足全部截止日期的最低预算（万元，向上取整到 0.01；每年相同 / 逐年）/ least budgets meeting every "
              f"deadline (万元, rounded up to 0.01; flat / per year) [{result.status.value}]")
        print(f"  {'地区':<4} {'每年相同':>10}  " + "  ".join(f"{y:>8}" for y in years))
        for region, amount in result.per_region.items():
            print(f"  {region:<4} {amount:>10.2f}  " + "  ".join(f"{result.per_year[(region, y)]:>8.2f}"
                                                               for y in years))
        print(f"  合计 {result.total_wan:>10.2f}  逐年合计 per-year total {result.per_year_total_wan:.2f}")
        for region in result.unreachable:
            print(f"  {region}：加钱也无法按期（建设周期已来不及）/ no budget meets the deadlines (lead times)")
    return 3 if result.unreachable or not result.per_region else 0


FRONTIER_FIGURES = ["missed_weighted", "gaps", "on_time", "on_time_share", "late", "late_quarters", "shared", "unbuilt",
                    "cost_wan"]


def cmd_frontier(args: argparse.Namespace) -> int:
    from planner.analysis.frontier import frontier

    mults = _multipliers(args.multipliers)
    scenario, dataset = read_inputs(args)
    points = frontier(dataset, scenario, mults, executor_of(args), quick=args.quick)
    if args.json:
        # "final": whether every figure is final; a quick point's only final figure is missed_weighted
        _print_json([{"multiplier": p.multiplier, "total_budget_wan": p.total_budget_wan, "failed": p.failed,
                      "status": p.status.value, "final": p.final,
                      "final_figures": FRONTIER_FIGURES if p.final else ["missed_weighted"], **({} if p.failed else {
                          "missed_weighted": p.missed_weighted,
                          "gaps": p.gaps, "on_time": p.on_time, "on_time_share": round(p.on_time_share or 0, 4),
                          "late": p.late, "late_quarters": p.late_quarters, "shared": p.shared, "unbuilt": p.unbuilt,
                          "cost_wan": p.cost_wan})} for p in points])
    else:
        print("倍数 multiplier  预算合计 budget  按期 on time  逾期季度 late q  未建 unbuilt  支出 cost")
        for p in points:
            if p.failed:
                print(f"{p.multiplier:>8.2f} {p.total_budget_wan:>12.1f}  求解失败 failed ({p.status.value})")
                continue
            print(f"{p.multiplier:>8.2f} {p.total_budget_wan:>12.1f} {p.on_time:>5}/{p.gaps:<3} "
                  f"({p.on_time_share:>4.0%}) {p.late_quarters:>8} {p.unbuilt:>8} {p.cost_wan:>10.1f}")
    return 4 if any(p.failed for p in points) else 0


def cmd_marginal(args: argparse.Namespace) -> int:
    from planner.analysis.marginal import marginal_values

    args.delta = option_number(args.delta, "--delta", 0, L.MAX_AMOUNT_WAN, lo_open=True)
    scenario, dataset = read_inputs(args)
    values = marginal_values(dataset, scenario, delta_wan=args.delta, executor=executor_of(args))
    if args.json:
        _print_json([v.__dict__ for v in values])
    else:
        print(f"每县每年多 {args.delta:g} 万元的价值 / value of {args.delta:g} 万元 more per county-year")
        for v in values:
            print(f"{v.region:<4} {v.year}  结余 slack {v.slack_wan:>7.2f}  对偶 dual {v.dual:>8.4f}  "
                  f"按期多 on time +{v.missed_saved:g}  逾期季度减少 {v.late_quarters_saved:>3}  "
                  f"提前季度 {v.open_quarters_saved:>3}")
    return 0


def cmd_risk(args: argparse.Namespace) -> int:
    from planner.analysis.risk import risk

    samples = int(option_number(args.samples, "--samples", 1, L.MAX_RISK_SAMPLES) or 1)
    spread = option_number(args.spread, "--spread", 0, 0.95) or 0.0
    seed = int(option_number(args.seed, "--seed", 0, 2**31) or 0)
    scenario, dataset = read_inputs(args)
    report = risk(dataset, scenario, samples, spread, seed, executor_of(args))
    if args.json:
        _print_json({"samples": report.samples, "solved": report.solved, "spread": report.spread, "seed": report.seed,
                     "distribution": report.distribution, "description": report.description_en,
                     "rows": [{"region": r.region, "tier": r.tier.key, "gaps": r.gaps, "p_meet": round(r.p_meet, 4),
                               "spend_p10_wan": r.spend_p10, "spend_p50_wan": r.spend_p50,
                               "spend_p90_wan": r.spend_p90} for r in report.rows]})
    else:
        print(f"{report.description_zh}\n{report.description_en}")
        print(f"{'地区':<4} {'层级':<4} {'缺口':>4} {'按期概率':>8} {'支出 P10':>9} {'P50':>9} {'P90':>9}")
        for r in report.rows:
            print(f"{r.region:<4} {r.tier.name:<4} {r.gaps:>4} {r.p_meet:>8.0%} {r.spend_p10:>9.1f} "
                  f"{r.spend_p50:>9.1f} {r.spend_p90:>9.1f}")
    return 4 if report.solved < report.samples else 0


def cmd_synth(args: argparse.Namespace) -> int:
    from planner.io.scenario import scenario_toml
    from planner.io.synth import SynthSpec, synthetic_dataset, synthetic_scenario

    out = check_out(args)
    if out is None:
        raise UsageError(Message("bad_option", "请用 --out 指定要写出的工作簿（.xlsx）",
                                 "give the workbook to write with --out (.xlsx)"))
    spec = SynthSpec(counties=int(option_number(args.counties, "--counties", 1, L.MAX_SYNTH_COUNTIES) or 1),
                     items=int(option_number(args.items, "--items", 1, L.MAX_SYNTH_ITEMS) or 1),
                     quarters=int(option_number(args.quarters, "--quarters", 8, L.MAX_HORIZON_QUARTERS) or 8),
                     gap_density=option_number(args.density, "--density", 0, 1) or 0.0,
                     budget_factor=option_number(args.budget_factor, "--budget-factor", 0, 100) or 0.0,
                     seed=int(option_number(args.seed, "--seed", 0, 2**31) or 0))
    from planner.io.excel import dataset_workbook, workbook_bytes

    dataset = synthetic_dataset(spec)
    scenario_path = out.with_suffix(".toml")
    write_pair(out, workbook_bytes(dataset_workbook(dataset, readme=spec.rules())), scenario_path,
               scenario_toml(synthetic_scenario(spec, out), relative_to=out.parent).encode())
    print(f"已写出 / written: {out}（{len(dataset.gaps())} 个缺口 gaps）; 情景 scenario: {scenario_path}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """The one-page PDF brief of a scenario's plan (all regions, or ``--region`` and the regions below it)."""
    from planner.model.solve import solve
    from planner.reports.brief import BriefError, brief_pdf, brief_scope

    out = check_out(args, ".pdf")
    if out is None:
        raise UsageError(Message("bad_option", "请用 --out 指定要写出的 PDF", "give the PDF to write with --out"))
    scenario, dataset = read_inputs(args)
    try:
        brief_scope(dataset, args.region)  # a wrong region is said before the solve, not after
        executor = executor_of(args)
        plan = solve(dataset, scenario, executor)
        write_output(out, brief_pdf(plan, dataset, lang=args.lang, region=args.region))
    except BriefError as exc:
        zh, en = exc.zh, exc.en
        if args.region and len(args.region) > L.MAX_SHOWN:  # a 100k-character value is quoted cut, not whole
            zh, en = zh.replace(args.region, cut(args.region)), en.replace(args.region, cut(args.region))
        raise UsageError(Message("bad_brief", zh, en)) from None
    print(f"已写出 / written: {out}")
    return 0 if plan.has_solution else 3


def cmd_template(args: argparse.Namespace) -> int:
    """A template workbook for a plan (or a blank one for any hierarchy), and a scenario beside it."""
    from datetime import date

    from planner.io.excel import workbook_bytes
    from planner.io.scenario import scenario_toml
    from planner.io.templates import (
        BLANK,
        blank_template,
        describe,
        load_template,
        plan_keys,
        template_scenario,
        template_workbook,
    )

    if args.list:
        for key in plan_keys():
            print(describe(key))
        print(f"{BLANK:<9} 空白模板，无目标：--regions \"某市(甲县,乙区)\" / blank, no targets: --regions ...")
        return 0
    if not args.plan:
        raise UsageError(Message("bad_option", "请用 --plan 选择模板（--list 列出全部）",
                                 "choose a template with --plan (--list lists them)"))
    if (args.plan == BLANK) != bool(args.regions):
        raise UsageError(Message("bad_option", "--regions 用于且只用于 --plan blank（如 --regions 某市(甲县,乙区)）",
                                 "--regions goes with --plan blank, and only with it (e.g. --regions 某市(甲县,乙区))"))
    out = check_out(args)
    if out is None:
        raise UsageError(Message("bad_option", "请用 --out 指定要写出的工作簿（.xlsx）",
                                 "give the workbook to write with --out (.xlsx)"))
    start = _quarter_option(args.start, "--start")
    if args.plan == BLANK:
        template = blank_template(args.regions, start or Quarter.of(date.today()) + 1)
    else:
        template = load_template(args.plan, start)
    scenario_path = out.with_suffix(".toml")
    write_pair(out, workbook_bytes(template_workbook(template)), scenario_path,
               scenario_toml(template_scenario(template, out), relative_to=out.parent).encode())
    print(f"已写出 / written: {out}（{len(template.dataset.regions)} 个地区 regions，{len(template.dataset.targets)} "
          f"个目标 targets；能力矩阵与预算待填写 / fill in the matrix and budgets）; 情景 scenario: {scenario_path}")
    return 0


def _quarter_option(value: str | None, flag: str) -> Quarter | None:
    if value is None:
        return None
    try:
        quarter = Quarter.parse(value)
    except ValueError:
        quarter = None
    if quarter is None or not L.MIN_YEAR <= quarter.year <= L.MAX_YEAR - 3:
        raise UsageError(Message("bad_option", f"参数 {flag} 的值「{value}」无效：应为季度，如 2025Q3",
                                 f"{flag} '{value}' is not valid: expected a quarter such as 2025Q3"))
    return quarter


def _multipliers(text: str | None) -> list[float] | None:
    if text is None:
        return None
    parts = [p for p in re.split(r"[,，\s]+", text.strip()) if p]
    if not parts or len(parts) > L.MAX_FRONTIER_POINTS:
        raise UsageError(Message("bad_option",
                         f"--multipliers 应为 1–{L.MAX_FRONTIER_POINTS} 个用逗号分隔的数，如 0.5,1",
                                 f"--multipliers must be 1–{L.MAX_FRONTIER_POINTS} comma-separated numbers, "
                                 "e.g. 0.5,1"))
    return [option_number(p, "--multipliers", 0, L.MAX_MULTIPLIER) or 0.0 for p in parts]


# ------------------------------------------------------------------------------------------ command table

def _scenario_arguments(p: argparse.ArgumentParser) -> None:
    from planner.parallel import EXECUTORS

    p.add_argument("scenario", help="scenarios/*.toml")
    p.add_argument("--json", action="store_true")
    p.add_argument("--solver", choices=SOLVERS)
    p.add_argument("--time-limit", dest="time_limit", metavar="S", help="seconds")
    p.add_argument("--objective", choices=[o.value for o in Objective],
                   help="after misses and lateness: earliest (default) or cheapest")
    p.add_argument("--executor", choices=EXECUTORS, default="auto",
                   help="where independent solves run: auto (a process pool when worth it), serial, process, dask")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler for --executor dask, e.g. tcp://host:8786")
    p.add_argument("--workers", metavar="N", help="processes for --executor process (default: every core)")


def _brief_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_arguments(p)
    output_arguments(p, "the PDF to write")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--region", help="one region (and those below it), e.g. 如皋")


def _risk_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_arguments(p)
    p.add_argument("--samples", default="100", help="cost samples (default 100)")
    p.add_argument("--spread", default="0.3", help="costs drawn uniformly within ±spread (default 0.3)")
    p.add_argument("--seed", default="0", help="random seed (default 0)")


def _synth_arguments(p: argparse.ArgumentParser) -> None:
    output_arguments(p, "the synthetic workbook to write (.xlsx); a scenario .toml is written beside it")
    for flag, default, text in (("--counties", "100", "counties"), ("--items", "60", "items"),
                                ("--quarters", "12", "quarters in the horizon"),
                                ("--density", "0.4", "share of (county, item) pairs lacking"),
                                ("--budget-factor", "2", "budget per county-year = factor x gap capex / 2 + 10"),
                                ("--seed", "0", "random seed")):
        p.add_argument(flag, default=default, help=f"{text} (default {default})")


def _status_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook")
    p.add_argument("--json", action="store_true")


def _solve_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_arguments(p)
    output_arguments(p, "write the plan workbook (.xlsx)")
    p.add_argument("--region", help="only this region (and those below it) in the workbook and output, e.g. 如皋")


def output_arguments(p: argparse.ArgumentParser, text: str) -> None:
    """``--out FILE`` and ``--force`` (overwrite an existing file that is not an input)."""
    p.add_argument("--out", help=text)
    p.add_argument("--force", action="store_true", help="overwrite an existing --out file (never an input)")


def _frontier_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_arguments(p)
    p.add_argument("--multipliers", help="comma-separated, e.g. 0.5,0.75,1")
    p.add_argument("--quick", action="store_true",
                   help="first pass only: gaps on time for the money, final as a priority-weighted count; lateness "
                        "and cost not refined / 仅第一遍：按期数（加权未按期数为最终值），逾期与成本未细化")


def _marginal_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_arguments(p)
    p.add_argument("--delta", default="10", help="万元 added per county-year")


def _template_arguments(p: argparse.ArgumentParser) -> None:
    from planner.io.templates import BLANK, plan_keys

    p.add_argument("--plan", choices=[*plan_keys(), BLANK], help="the plan whose targets and regions to use, or blank")
    p.add_argument("--regions", help='with --plan blank: the hierarchy, e.g. "某市(甲县,乙区)" or '
                                     '"某省(甲市(A县,B县),乙市(C县))"')
    p.add_argument("--start", metavar="QUARTER", help="plan start, e.g. 2025Q3 (default: the quarter after the "
                                                      "plan's date; blank: next quarter); budget rows from its year")
    p.add_argument("--list", action="store_true", help="list the plans")
    output_arguments(p, "the template workbook to write (.xlsx); a scenario .toml is written beside it")


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: list[Command] = [
    Command("status", "gaps per region and tier / 各地区能力缺口", _status_arguments, cmd_status),
    Command("solve", "schedule and budget / 排程与预算", _solve_arguments, cmd_solve),
    Command("min-budget", "least yearly budget meeting every deadline / 最低预算", _scenario_arguments, cmd_min_budget),
    Command("frontier", "budget -> on-time frontier / 预算-按期前沿", _frontier_arguments, cmd_frontier),
    Command("marginal", "value of more money per county-year / 边际价值", _marginal_arguments, cmd_marginal),
    Command("risk", "cost uncertainty: chance of meeting each deadline / 成本不确定性", _risk_arguments, cmd_risk),
    Command("brief", "one-page PDF brief for a meeting / 一页纸简报", _brief_arguments, cmd_brief),
    Command("synth", "write a synthetic province workbook / 生成合成数据", _synth_arguments, cmd_synth),
    Command("template", "a plan's template workbook to fill in / 规划模板", _template_arguments, cmd_template),
    # the database and the accounts (planner/cli_db.py)
    Command("db", "the database: upgrade, backup, restore, import, export, history / 数据库", cli_db.db_arguments,
            cli_db.cmd_db),
    Command("users", "accounts: add, list, disable / 账户管理", cli_db.users_arguments, cli_db.cmd_users),
]


class _Parser(argparse.ArgumentParser):
    """argparse whose errors become bilingual ``UsageError``s (exit 2 through ``run``), not English text."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(_usage_message(message))


_ARGPARSE = (
    (r"the following arguments are required: (.*)", "缺少参数：{0}", "missing arguments: {0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}", "unrecognised arguments: {0}"),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)", "参数 {0} 的取值 {1} 无效（可选：{2}）",
     "{0}: invalid choice {1} (choose from {2})"),
    (r"argument (\S+): expected one argument", "参数 {0} 需要一个值", "{0} needs a value"),
)


def _usage_message(message: str) -> Message:
    for pattern, zh, en in _ARGPARSE:
        m = re.fullmatch(pattern, message)
        if m:
            groups = m.groups()
            return Message("bad_arguments", zh.format(*groups) + "（见 --help）", en.format(*groups) + " (see --help)")
    return Message("bad_arguments", "命令行参数有误（见 --help）", f"bad command line: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m planner", description="计量能力缺口规划器 CLI")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help)
        command.arguments(p)
        p.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse, run one command, and turn every failure into an exit code and a message (never a traceback)."""
    return run(lambda: _dispatch(argv))


def _dispatch(argv: list[str] | None) -> int:
    from planner.parallel import ProcessExecutor

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    finally:
        ProcessExecutor.shutdown()


def run(action: Callable[[], int]) -> int:
    """The one place errors are handled: input errors exit 2 with their messages, an unexpected error exits 1
    with one line and the traceback in a log file."""
    previous = _terminate_as_exit()
    try:
        return action()
    except InputError as exc:
        print_messages(exc.messages)
        return 2
    except OSError as exc:  # a disk full, a read-only or vanished folder while an output was being made
        if exc.errno not in _WRITE_ERRNOS:
            raise
        zh, en = os_reason(exc)
        where = f"：{exc.filename}" if getattr(exc, "filename", None) else ""
        where_en = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"读写文件失败（{zh}）{where}\nfile input/output failed ({en}){where_en}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - anything else is our bug: a line for the user, the details in a log
        log = _write_log(traceback.format_exc())
        where_zh, where_en = (f"详情已写入 {log}", f"details in {log}") if log else ("无法写入日志",
                              "no log could be written")
        print(f"内部错误，命令未完成（{where_zh}）/ internal error, the command did not finish ({where_en})",
              file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            import signal

            signal.signal(signal.SIGTERM, previous)


_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}


def _terminate_as_exit() -> object:
    """SIGTERM (``kill``, a stopped service) ends the command through Python's exit path, so ``finally``
    blocks run and a half-written temporary output file is removed (SIGINT already does this). Returns the
    handler it replaced (restored by ``run``)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):  # noqa: ARG001 - the signal handler's signature
        raise SystemExit(128 + signum)

    try:
        return signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):
        return None


def log_dir() -> Path:
    """Where internal-error logs go (``PLANNER_LOG_DIR`` overrides)."""
    return Path(os.environ.get("PLANNER_LOG_DIR") or Path(tempfile.gettempdir()) / "planner-logs")


def _write_log(text: str) -> Path | None:
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"planner-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        # errors="backslashreplace": an argument in another encoding must not lose the log
        path.write_text(f"python -m planner {' '.join(sys.argv[1:])}\n\n{text}", encoding="utf-8",
                        errors="backslashreplace")
        return path
    except OSError:
        return None
