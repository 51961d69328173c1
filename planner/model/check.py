"""Whether a scenario and its workbook make a model: what the scenario names that the workbook lacks, and hard
targets no plan can meet because they fall due before the plan starts. The CLI and the app call
``check_scenario`` before solving. Here, not in ``planner.io.scenario``, because the second check counts
target rows (``planner.model.targets``): reading a scenario stays below the model."""

from __future__ import annotations

from planner.domain import Dataset, DeadlineMode, Message, Scenario, TargetKind
from planner.io.scenario import _Reader, cut
from planner.io.tables import cap_messages, suggestion
from planner.model.targets import target_rows
from planner.quarters import Quarter

__all__ = ["check_scenario"]


def check_scenario(scenario: Scenario, dataset: Dataset) -> list[Message]:
    """What the scenario names that its workbook lacks: counties (in ``[budgets]`` and ``[region_multipliers]``
    only regions with a matrix row are planned), years outside the horizon, a sharing provider that is not a
    region. An empty list means the pair is usable; the CLI and the app both call this before solving."""
    rd = _Reader(scenario.source_path or scenario.name)
    planned = {r.name for r in dataset.matrix_regions}
    names = {r.name: r.name for r in dataset.regions}

    def region(name: str, key: str) -> None:
        if name in planned:
            return
        guess = suggestion(name, {n: n for n in planned}) if len(planned) < 5000 else None
        hint_zh, hint_en = (f"是否应为「{guess}」？", f" Did you mean '{guess}'?") if guess else ("", "")
        why_zh, why_en = (("在能力矩阵中没有行，不会被规划", "has no row in the capability matrix and is not planned")
                          if name in names else ("不是工作簿中的地区", "is not a region of the workbook"))
        rd.fail(key, f"「{cut(name)}」{why_zh}，此设置不会生效。{hint_zh}",
                f"'{cut(name)}' {why_en}, so this setting would have no effect.{hint_en}", "unknown_region")

    for name in scenario.region_multipliers:
        region(name, f"region_multipliers.{name}")
    years = range(scenario.start.year, scenario.horizon_end.year + 1)
    for name, year in scenario.budget_overrides:
        region(name, f"budgets.{name}")
        if year and year not in years:
            rd.fail(f"budgets.{name}.{year}",
                    f"{year} 年不在规划期 {scenario.start}–{scenario.horizon_end} 内，此预算不会生效",
                    f"{year} is outside the horizon {scenario.start}–{scenario.horizon_end}, so this budget would "
                    "have no effect", "out_of_range")
    if scenario.options.sharing and scenario.options.sharing_provider not in names:
        rd.fail("options.sharing_provider", f"「{cut(scenario.options.sharing_provider)}」不是工作簿中的地区",
                f"'{cut(scenario.options.sharing_provider)}' is not a region of the workbook", "unknown_region")
    _targets_before_start(scenario, dataset, rd)
    return cap_messages(rd.errors)


def _targets_before_start(scenario: Scenario, dataset: Dataset, rd: _Reader) -> None:
    """A hard target due before the plan's first quarter that the data do not already meet can never be met:
    say which target, its date and the plan's start (instead of an unexplained infeasible plan, exit 3)."""
    early = [t for t in dataset.targets if Quarter.of(t.by) < scenario.start]
    if not early:
        return
    default_hard = scenario.deadline_mode == DeadlineMode.HARD
    gaps = set(dataset.gaps())
    first = scenario.start.first_day
    done = {k: d for k, d in dataset.actuals.items() if d < first} if scenario.use_actuals else {}
    open_gaps = gaps - set(done)
    rows = target_rows(dataset, scenario, open_gaps, done)
    for target in early:
        if not (default_hard if target.hard is None else target.hard):
            continue
        if target.kind == TargetKind.DEADLINE:
            short = sum(1 for key in open_gaps if key in rows.deadlines and rows.deadlines[key] == target.by)
        else:
            short = sum(r.need for r in rows.rows if r.target == target.id)
        if short <= 0:
            continue
        rd.fail("start", f"目标「{cut(target.id)}」（硬约束）要求在 {target.by.isoformat()} 前达到，早于规划起始季度 "
                f"{scenario.start}（{first.isoformat()}），起始时尚差 {short} 项，任何计划都无法满足：请改为软约束"
                "（目标表「约束」列）、修改日期，或把 start 提前",
                f"target '{cut(target.id)}' (hard) is due {target.by.isoformat()}, before the plan's first quarter "
                f"{scenario.start} ({first.isoformat()}), and is {short} short at the start, so no plan can meet "
                "it: make it soft (the 约束 column of 目标), change its date, or move start earlier",
                "target_before_start")
