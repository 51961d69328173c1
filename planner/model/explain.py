"""Why a plan falls short, in a reviewer's words: which county, which deadline or target, how much money short.

Reasons: a gap whose lead time no longer fits before its deadline (no money helps), a target with too little
left to build in its scope, and budgets too small — measured by the same model with extra money allowed and
minimised (``BudgetMode.ELASTIC``). Targets are reported met or missed here too (``target_results``), read off
the plan's schedule with the rows the model was given (``planner.model.targets``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from planner.domain import (
    DeadlineMode,
    GapMode,
    Scenario,
    ScheduledGap,
    Shortfall,
    SolveStatus,
    TargetKind,
    TargetResult,
    TargetStatus,
    Tier,
)
from planner.model.families import BudgetMode
from planner.model.instance import Instance
from planner.model.part import BUILT, PartTask, solve_parts
from planner.model.targets import TargetRow, countable_regions, is_hard, reached


def explain_infeasible(parts: Sequence[Instance], scenario: Scenario, executor=None) -> list[Shortfall]:
    """Shortfalls of the infeasible ``parts`` of a plan (hard deadlines, or a hard target in either mode): gaps
    too late for any budget, then the least extra money per county and deadline (per county and hard target
    when the deadlines are soft), and assessments beyond the city's capacity. The money is measured with what
    no money can do set aside: too-late gaps exempt, and a hard target's cells no start can reach in time
    dropped from its row (``_attainable``)."""
    out = [f for part in parts for f in _too_late(part)]
    tasks = [PartTask(_attainable(part), BudgetMode.ELASTIC, too_late_gaps(part)) for part in parts]
    for part, result in zip(parts, solve_parts(tasks, executor), strict=True):
        if result.has_solution:
            out += _money_shortfalls(part, scenario, result)
    return out


def _reachable(inst: Instance, row: TargetRow, cell: tuple[tuple[str, str], ...]) -> bool:
    """Whether some gap of a target's cell can come online by the row's quarter (lead times, horizon)."""
    index = inst.gap_index
    for key in cell:
        if key in index:
            gap = inst.gaps[index[key]]
            if any(q + gap.lead_quarters <= row.by for q in inst.starts(gap)):
                return True
    return False


def _attainable(inst: Instance) -> Instance:
    """``inst`` with each hard target row asking only what some budget can give: its cells no start can bring
    online in time dropped, and its need at most the cells left (an explanation then measures the money)."""
    rows = []
    for row in inst.targets:
        if row.hard:
            cells = tuple(c for c in row.cells if _reachable(inst, row, c))
            if len(cells) < len(row.cells) or row.need > len(cells):
                row = replace(row, cells=cells, need=min(row.need, len(cells)))
        rows.append(row)
    return replace(inst, targets=rows)


def unreachable_shortfalls(rows) -> list[Shortfall]:
    """Hard targets no plan can meet: even every gap in their scope built in time falls short."""
    return [Shortfall(row.region or "", None, row.by.last_day, 0.0,
                      f"目标「{row.target}」{'（' + row.region + '）' if row.region else ''}："
                      f"即使范围内的缺口全部按时建成也只能达到 {row.possible} 项，需要 {row.required} 项："
                      "加钱也无法达到",
                      f"target '{row.target}'{' (' + row.region + ')' if row.region else ''}: even building every gap "
                      f"in scope in time reaches {row.possible} of the {row.required} needed: no budget can meet it")
            for row in rows]


def too_late_gaps(inst: Instance) -> frozenset[int]:
    """Gaps no start can bring online by their deadline within the horizon."""
    return frozenset(g for g, gap in enumerate(inst.gaps) if not inst.can_meet_deadline(gap))


def _hard_deadline_targets(inst: Instance) -> dict[tuple[str, str], list[TargetRow]]:
    """The hard deadline-target rows each gap is a cell of."""
    out: dict[tuple[str, str], list[TargetRow]] = {}
    for row in inst.targets:
        if row.hard and row.kind == TargetKind.DEADLINE:
            for cell in row.cells:
                for key in cell:
                    out.setdefault(key, []).append(row)
    return out


def _too_late(inst: Instance) -> list[Shortfall]:
    """Gaps no budget can bring online in time: against their deadline in hard mode, against a hard deadline
    target's date in either mode (naming the target); a soft deadline missed is no reason for infeasibility."""
    out: list[Shortfall] = []
    soft = inst.scenario.deadline_mode == DeadlineMode.SOFT
    targets = _hard_deadline_targets(inst)
    for gap in inst.gaps:
        earliest = inst.quarters[0] + gap.lead_quarters
        rows = [row for row in targets.get(gap.key, ()) if not _reachable(inst, row, (gap.key,))]
        late = not soft and not inst.can_meet_deadline(gap)
        if not late and not rows:
            continue
        by = min(row.by for row in rows) if rows else gap.deadline_quarter
        if late:
            by = min(by, gap.deadline_quarter)
        names = "、".join(dict.fromkeys(row.target for row in rows))
        zh_t = f"（目标「{names}」）" if names else ""
        en_t = f" (target {', '.join(dict.fromkeys(row.target for row in rows))})" if names else ""
        out.append(Shortfall(
            gap.region, gap.item.tier, by.last_day if rows else gap.deadline, 0.0,
            f"{gap.region}「{gap.item.name}」建设周期 {gap.lead_quarters} 个季度，最早 {earliest} 投用，"
            f"晚于截止 {by}{zh_t}：加钱也无法按期",
            f"{gap.region} '{gap.item.name}': lead time {gap.lead_quarters} quarters, online {earliest} at the "
            f"earliest, after the deadline {by}{en_t}: no budget can make it on time"))
    return out


def _money_shortfalls(inst: Instance, scenario: Scenario, result) -> list[Shortfall]:
    """The least extra money (and extra assessments) that would make ``inst`` feasible, per county and tier
    (hard deadlines), or per county and the hard targets it carries (soft deadlines: only they must hold)."""
    if scenario.deadline_mode == DeadlineMode.SOFT:
        return _target_money(inst, result)
    out: list[Shortfall] = []
    years = inst.years
    spend_by_gap = {}
    for g, gap in enumerate(inst.gaps):
        if result.mode[g] == BUILT:
            start = inst.quarters[int(result.start[g])]
            spend_by_gap[g] = [inst.spending(gap, start, y) for y in years]
    for r, region in enumerate(inst.regions):
        short: dict[Tier, dict[int, float]] = {}
        for y, year in enumerate(years):
            extra = float(result.extra[r, y])
            if extra <= 1e-6:
                continue
            # Charge a short year to the tiers whose builds spend in it, in proportion to that spending.
            spend: dict[Tier, float] = {}
            for g, gap in enumerate(inst.gaps):
                if gap.region == region and g in spend_by_gap:
                    spend[gap.item.tier] = spend.get(gap.item.tier, 0.0) + spend_by_gap[g][y]
            total = sum(spend.values()) or 1.0
            for tier, amount in spend.items():
                if amount > 0:
                    short.setdefault(tier, {})[year] = extra * amount / total
        targets = _hard_deadline_targets(inst)
        for tier, by_year in sorted(short.items(), key=lambda kv: kv[0].key):
            names = tuple(dict.fromkeys(row.target for g in inst.gaps if g.region == region and g.item.tier == tier
                                        for row in targets.get(g.key, ())))
            out += _money_shortfall(inst, region, tier, by_year, names)
    for q in np.nonzero(result.extra_capacity > 1e-6)[0]:
        quarter, more = inst.quarters[int(q)], float(result.extra_capacity[q])
        out.append(Shortfall(
            "市级", None, quarter.last_day, 0.0,
            f"市级建标考核能力不足：{quarter} 需要再多考核 {more:.0f} 项（K = {scenario.city_capacity}）",
            f"city assessment capacity too low: {quarter} needs {more:.0f} more (K = {scenario.city_capacity})"))
    return out


def _target_money(inst: Instance, result) -> list[Shortfall]:
    """Soft deadlines, a hard target unmet: the least extra money per county, naming the hard targets it carries."""
    out: list[Shortfall] = []
    for r, region in enumerate(inst.regions):
        by_year = {year: float(result.extra[r, y]) for y, year in enumerate(inst.years) if result.extra[r, y] > 0.05}
        amount = sum(by_year.values())
        if amount <= 0.05:
            continue
        rows = [row for row in inst.targets if row.hard and region in row.regions]
        names = "、".join(dict.fromkeys(row.target for row in rows)) or "—"
        when = min((row.by for row in rows), default=inst.horizon_end)
        out.append(Shortfall(
            region, None, when.last_day, round(amount, 2),
            f"{region}：要达到硬目标「{names}」，预算至少还差 {amount:.1f} 万元（"
            + "，".join(f"{y} 年 {v:.1f}" for y, v in by_year.items()) + "）",
            f"{region}: to meet the hard target(s) {names.replace('、', ', ')}, budgets are short by at least "
            f"{amount:.1f} 万元 (" + ", ".join(f"{y}: {v:.1f}" for y, v in by_year.items()) + ")"))
    return out


def _money_shortfall(inst: Instance, region: str, tier: Tier, by_year: dict[int, float],
                     targets: tuple[str, ...] = ()) -> list[Shortfall]:
    amount = sum(by_year.values())
    if amount <= 0.05:
        return []
    deadline = max(g.deadline for g in inst.gaps if g.item.tier == tier and g.region == region)
    before = {y: v for y, v in by_year.items() if y <= deadline.year and v > 0.05}
    after = {y: v for y, v in by_year.items() if y > deadline.year and v > 0.05}
    zh_parts = ["，".join(f"{y} 年 {v:.1f}" for y, v in before.items())] if before else []
    en_parts = [", ".join(f"{y}: {v:.1f}" for y, v in before.items())] if before else []
    if after:  # the capability built on time still has to be run: opex in later years
        zh_parts.append("其后运行费 " + "，".join(f"{y} 年 {v:.1f}" for y, v in after.items()))
        en_parts.append("then running costs " + ", ".join(f"{y}: {v:.1f}" for y, v in after.items()))
    zh_t = f"（目标「{'、'.join(targets)}」）" if targets else ""
    en_t = f" (target {', '.join(targets)})" if targets else ""
    return [Shortfall(
        region, tier, deadline, round(amount, 2),
        f"{region}要在 {deadline.isoformat()} 前配齐{tier.name}能力{zh_t}，预算至少还差 {amount:.1f} 万元"
        f"（{'；'.join(zh_parts)}）",
        f"{region}: to have every {tier.label_en} capability by {deadline.isoformat()}{en_t}, budgets are short "
        f"by at least {amount:.1f} 万元 ({'; '.join(en_parts)})")]


# --------------------------------------------------------------------------------------------- targets

EXPLAIN_MIN_S = 5.0  # seconds an explanation may always take


def target_results(inst: Instance, dataset, schedule: list[ScheduledGap], executor=None,
                   explain: bool = True) -> list[TargetResult]:
    """One result per target of the workbook, in its order: coverage, count and deadline alike. A target none
    of whose regions has a matrix row comes back not countable (no rows, its regions named in ``left_out``)."""
    online = {(g.region, g.item): g.online_quarter for g in schedule
              if g.mode == GapMode.BUILT and g.online_quarter is not None}
    by_target: dict[str, list[TargetRow]] = {}
    for row in inst.targets:
        by_target.setdefault(row.target, []).append(row)
    out = []
    for target in dataset.targets:
        rows = by_target.get(target.id)
        if not rows:
            _, left_out = countable_regions(dataset, target)
            names = "、".join(left_out) or "—"
            out.append(TargetResult(
                target, is_hard(target, inst.scenario), (), left_out,
                zh=f"无法计算：范围内的地区都没有能力矩阵行（{names}）",
                en=f"not countable: no region of the scope has a matrix row ({names.replace('、', ', ')})"))
            continue
        statuses = tuple(TargetStatus(row.region, reached(row, online), row.required, row.total) for row in rows)
        result = TargetResult(target, rows[0].hard, statuses, rows[0].left_out)
        if explain and not result.met:
            result = _what_it_would_take(inst, rows, result, executor)
        out.append(result)
    return out


def _what_it_would_take(inst: Instance, rows: list[TargetRow], result: TargetResult, executor) -> TargetResult:
    """The least extra money meeting a missed target (deadlines soft meanwhile), or why money cannot."""
    target = result.target
    short = [r for r in rows if r.need > len(r.cells)]
    if short:
        best = sum(r.possible for r in short)
        need = sum(r.required for r in short)
        return replace(result, zh=f"即使范围内的缺口全部按时建成也只能达到 {best} 项（需要 {need} 项）："
                                  "加钱也无法达到",
                       en=f"even building every gap in scope in time reaches {best} of the {need} needed: no "
                          "budget can meet it")
    hard = [replace(r, hard=True) for r in rows]
    # an explanation gets a quarter of the plan's time (the plan came first; a coupled target's least money can
    # take as long to prove as the plan itself): unproven, it says what suffices, not what is least
    soft = replace(inst.scenario, deadline_mode=DeadlineMode.SOFT,
                   time_limit_s=min(inst.scenario.time_limit_s, max(EXPLAIN_MIN_S, inst.scenario.time_limit_s / 4)))
    regions = {reg for r in rows for reg in r.regions}
    part = inst.restrict(regions, scenario=soft, targets=hard)
    (answer,) = solve_parts([PartTask(part, BudgetMode.ELASTIC)], executor)
    if not answer.has_solution:
        return replace(result, zh="在规划期内加钱也无法达到（建设周期来不及）",
                       en="no budget meets it within the horizon (lead times)")
    extra = {(part.regions[r], part.years[y]): float(answer.extra[r, y])
             for r in range(len(part.regions)) for y in range(len(part.years)) if answer.extra[r, y] > 0.05}
    total = sum(extra.values())
    listed_zh = "，".join(f"{reg} {y} 年 {v:.1f}" for (reg, y), v in list(extra.items())[:6])
    listed_en = ", ".join(f"{reg} {y}: {v:.1f}" for (reg, y), v in list(extra.items())[:6])
    more = "…" if len(extra) > 6 else ""
    if answer.status != SolveStatus.OPTIMAL:  # stopped at its limit: enough money, not proven the least
        return replace(result, extra_wan=round(total, 2),
                       zh=f"要在 {target.by.isoformat()} 前达到，追加 {total:.1f} 万元即可（{listed_zh}{more}；"
                          "求解时限内未证明为最少）",
                       en=f"to meet it by {target.by.isoformat()}, {total:.1f} 万元 more suffice ({listed_en}{more}; "
                          "not proven the least within the time limit)")
    return replace(result, extra_wan=round(total, 2),
                   zh=f"要在 {target.by.isoformat()} 前达到，预算至少还差 {total:.1f} 万元（{listed_zh}{more}）",
                   en=f"to meet it by {target.by.isoformat()}, budgets are short by at least {total:.1f} 万元 "
                      f"({listed_en}{more})")
