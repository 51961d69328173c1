"""``python -m planner``: the engine for scripts and batch runs.

Exit codes: 0 success, 2 bad input (message on stderr, never a traceback), 3 no feasible plan.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from planner.domain import GapMode, Plan, Scenario, ScheduledGap, WorkbookError
from planner.io.scenario import ScenarioError, load_scenario
from planner.io.workbook import load_workbook
from planner.quarters import Quarter
from planner.reports.status import status_report, status_text


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cmd_status(args: argparse.Namespace) -> int:
    dataset = load_workbook(args.workbook)
    if args.json:
        _print_json(status_report(dataset))
    else:
        print(status_text(dataset))
    return 0


def _scenario(args: argparse.Namespace) -> Scenario:
    scenario = load_scenario(args.scenario)
    changes = {k: v for k, v in (("solver", getattr(args, "solver", None)),
                                 ("time_limit_s", getattr(args, "time_limit", None))) if v is not None}
    return replace(scenario, **changes) if changes else scenario


def plan_json(plan: Plan) -> dict:
    """The ``solve --json`` object."""
    return {
        "scenario": plan.scenario.name,
        "status": plan.status.value,
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
        "message": plan.message,
        "seconds": round(plan.seconds, 3),
    }


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

    scenario = _scenario(args)
    dataset = load_workbook(scenario.workbook)
    plan = solve(dataset, scenario)
    if args.out:
        from planner.reports.plan_workbook import write_plan

        write_plan(plan, dataset, Path(args.out))
    if args.json:
        _print_json(plan_json(plan))
    else:
        print(plan_text(plan))
        if args.out:
            print(f"\n已写出 / written: {args.out}")
    return 0 if plan.has_solution else 3


_MODE_ZH = {GapMode.SHARED: "共享（假设）", GapMode.UNBUILT: "未建", GapMode.DONE: "已完成（实际）",
            GapMode.BUILT: "自建", GapMode.UNSCHEDULABLE: "未列明"}


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
                                        _MODE_ZH[s.mode])
        lines.append(f"{s.region:<4} {when} {flag:<8} {s.item}")
    for f in plan.shortfalls:
        lines.append(f"! {f.zh}\n  {f.en}")
    if plan.message:
        lines.append(plan.message)
    return "\n".join(lines)


def cmd_min_budget(args: argparse.Namespace) -> int:
    from planner.analysis.min_budget import min_budget

    scenario = _scenario(args)
    result = min_budget(load_workbook(scenario.workbook), scenario)
    if args.json:
        _print_json({"status": result.status.value, "per_region_wan_per_year": result.per_region,
                     "total_wan_per_year": result.total_wan})
    else:
        print(f"满足全部截止日期的最低年度预算（每年相同）/ least flat yearly budget meeting every deadline "
              f"[{result.status.value}]")
        for region, amount in result.per_region.items():
            print(f"  {region:<4} {amount:>9.2f} 万元/年")
        print(f"  合计 {result.total_wan:>9.2f} 万元/年")
    return 0 if result.per_region else 3


def cmd_frontier(args: argparse.Namespace) -> int:
    from planner.analysis.frontier import frontier

    scenario = _scenario(args)
    mults = [float(x) for x in args.multipliers.split(",")] if args.multipliers else None
    points = frontier(load_workbook(scenario.workbook), scenario, mults)
    if args.json:
        _print_json([{"multiplier": p.multiplier, "total_budget_wan": p.total_budget_wan, "gaps": p.gaps,
                      "on_time": p.on_time, "on_time_share": round(p.on_time_share, 4), "late": p.late,
                      "late_quarters": p.late_quarters, "shared": p.shared, "unbuilt": p.unbuilt,
                      "cost_wan": p.cost_wan, "status": p.status.value} for p in points])
    else:
        print("倍数 multiplier  预算合计 budget  按期 on time  逾期季度 late q  未建 unbuilt  支出 cost")
        for p in points:
            print(f"{p.multiplier:>8.2f} {p.total_budget_wan:>12.1f} {p.on_time:>5}/{p.gaps:<3} "
                  f"({p.on_time_share:>4.0%}) {p.late_quarters:>8} {p.unbuilt:>8} {p.cost_wan:>10.1f}")
    return 0


def cmd_marginal(args: argparse.Namespace) -> int:
    from planner.analysis.marginal import marginal_values

    scenario = _scenario(args)
    values = marginal_values(load_workbook(scenario.workbook), scenario, delta_wan=args.delta)
    if args.json:
        _print_json([v.__dict__ for v in values])
    else:
        print(f"每县每年多 {args.delta:g} 万元的价值 / value of {args.delta:g} 万元 more per county-year")
        for v in values:
            print(f"{v.region:<4} {v.year}  结余 slack {v.slack_wan:>7.2f}  对偶 dual {v.dual:>8.4f}  "
                  f"按期多 on time +{v.missed_saved:g}  逾期季度减少 {v.late_quarters_saved:>3}  "
                  f"提前季度 {v.open_quarters_saved:>3}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """The one-page PDF brief of a scenario's plan (all regions, or ``--region`` and the regions below it)."""
    from planner.model.solve import solve
    from planner.reports.brief import BriefError, brief_scope, write_brief

    scenario = _scenario(args)
    dataset = load_workbook(scenario.workbook)
    try:
        brief_scope(dataset, args.region)  # a wrong region is said before the solve, not after
        plan = solve(dataset, scenario)
        out = write_brief(plan, dataset, Path(args.out), lang=args.lang, region=args.region)
    except BriefError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"已写出 / written: {out}")
    return 0 if plan.has_solution else 3


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "status": cmd_status, "solve": cmd_solve, "min-budget": cmd_min_budget, "frontier": cmd_frontier,
    "marginal": cmd_marginal, "brief": cmd_brief,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description="计量能力缺口规划器 CLI")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("status", help="gaps per region and tier / 各地区能力缺口")
    p.add_argument("workbook")
    p.add_argument("--json", action="store_true")
    for name, text in (("solve", "schedule and budget / 排程与预算"),
                       ("min-budget", "least yearly budget meeting every deadline / 最低预算"),
                       ("frontier", "budget -> on-time frontier / 预算-按期前沿"),
                       ("marginal", "value of more money per county-year / 边际价值")):
        p = sub.add_parser(name, help=text)
        p.add_argument("scenario", help="scenarios/*.toml")
        p.add_argument("--json", action="store_true")
        p.add_argument("--solver", choices=("highs", "cbc"))
        p.add_argument("--time-limit", type=float, dest="time_limit")
        if name == "solve":
            p.add_argument("--out", help="write the plan workbook (.xlsx)")
        if name == "frontier":
            p.add_argument("--multipliers", help="comma-separated, e.g. 0.5,0.75,1")
        if name == "marginal":
            p.add_argument("--delta", type=float, default=10.0, help="万元 added per county-year")
    p = sub.add_parser("brief", help="one-page PDF brief for a meeting / 一页纸简报")
    p.add_argument("scenario", help="scenarios/*.toml")
    p.add_argument("--out", required=True, help="the PDF to write")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--region", help="one region (and those below it), e.g. 如皋")
    p.add_argument("--solver", choices=("highs", "cbc"))
    p.add_argument("--time-limit", type=float, dest="time_limit")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WorkbookError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ScenarioError as exc:
        print(exc.message.text(), file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
