"""``python -m planner``: the engine for scripts and batch runs.

Exit codes: 0 success, 2 bad input (message on stderr, never a traceback), 3 no feasible plan.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from planner.domain import WorkbookError
from planner.status import status_report, status_text
from planner.workbook import load_workbook


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cmd_status(args: argparse.Namespace) -> int:
    dataset = load_workbook(args.workbook)
    if args.json:
        _print_json(status_report(dataset))
    else:
        print(status_text(dataset))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"status": cmd_status}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description="计量能力缺口规划器 CLI")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("status", help="gaps per region and tier / 各地区能力缺口")
    p.add_argument("workbook")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WorkbookError as exc:
        print(str(exc), file=sys.stderr)
        return 2
