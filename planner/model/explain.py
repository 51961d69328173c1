"""Why a hard plan cannot be met, in a reviewer's words: which county, which deadline, how much money short.

Two reasons: a gap whose lead time no longer fits before its deadline (no money helps), and budgets too
small, measured by the same model with extra money allowed and minimised (``BudgetMode.ELASTIC``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from planner.domain import Scenario, Shortfall, Tier
from planner.model.families import BudgetMode
from planner.model.instance import Instance
from planner.model.part import BUILT, PartTask, solve_parts


def explain_infeasible(parts: Sequence[Instance], scenario: Scenario, executor=None) -> list[Shortfall]:
    """Shortfalls of the infeasible ``parts`` of a hard plan: gaps too late for any budget, then the least
    extra money per county and deadline, and assessments beyond the city's capacity."""
    out = [f for part in parts for f in _too_late(part)]
    tasks = [PartTask(part, BudgetMode.ELASTIC, too_late_gaps(part)) for part in parts]
    for part, result in zip(parts, solve_parts(tasks, executor), strict=True):
        if result.has_solution:
            out += _money_shortfalls(part, scenario, result)
    return out


def too_late_gaps(inst: Instance) -> frozenset[int]:
    """Gaps no start can bring online by their deadline within the horizon."""
    return frozenset(g for g, gap in enumerate(inst.gaps) if not inst.can_meet_deadline(gap))


def _too_late(inst: Instance) -> list[Shortfall]:
    out: list[Shortfall] = []
    for g in sorted(too_late_gaps(inst)):
        gap = inst.gaps[g]
        earliest = inst.quarters[0] + gap.lead_quarters
        out.append(Shortfall(
            gap.region, gap.item.tier, gap.item.deadline, 0.0,
            f"{gap.region}「{gap.item.name}」建设周期 {gap.lead_quarters} 个季度，最早 {earliest} 投用，"
            f"晚于截止 {gap.deadline_quarter}：加钱也无法按期",
            f"{gap.region} '{gap.item.name}': lead time {gap.lead_quarters} quarters, online {earliest} at the "
            f"earliest, after the deadline {gap.deadline_quarter}: no budget can make it on time"))
    return out


def _money_shortfalls(inst: Instance, scenario: Scenario, result) -> list[Shortfall]:
    """The least extra money (and extra assessments) that would make ``inst`` feasible, per county and tier."""
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
        for tier, by_year in sorted(short.items(), key=lambda kv: kv[0].key):
            out += _money_shortfall(inst, region, tier, by_year)
    for q in np.nonzero(result.extra_capacity > 1e-6)[0]:
        quarter, more = inst.quarters[int(q)], float(result.extra_capacity[q])
        out.append(Shortfall(
            "市级", None, quarter.last_day, 0.0,
            f"市级建标考核能力不足：{quarter} 需要再多考核 {more:.0f} 项（K = {scenario.city_capacity}）",
            f"city assessment capacity too low: {quarter} needs {more:.0f} more (K = {scenario.city_capacity})"))
    return out


def _money_shortfall(inst: Instance, region: str, tier: Tier, by_year: dict[int, float]) -> list[Shortfall]:
    amount = sum(by_year.values())
    if amount <= 0.05:
        return []
    deadline = max(g.item.deadline for g in inst.gaps if g.item.tier == tier)
    before = {y: v for y, v in by_year.items() if y <= deadline.year and v > 0.05}
    after = {y: v for y, v in by_year.items() if y > deadline.year and v > 0.05}
    zh_parts = ["，".join(f"{y} 年 {v:.1f}" for y, v in before.items())] if before else []
    en_parts = [", ".join(f"{y}: {v:.1f}" for y, v in before.items())] if before else []
    if after:  # the capability built on time still has to be run: opex in later years
        zh_parts.append("其后运行费 " + "，".join(f"{y} 年 {v:.1f}" for y, v in after.items()))
        en_parts.append("then running costs " + ", ".join(f"{y}: {v:.1f}" for y, v in after.items()))
    return [Shortfall(
        region, tier, deadline, round(amount, 2),
        f"{region}要在 {deadline.isoformat()} 前配齐{tier.name}能力，预算至少还差 {amount:.1f} 万元"
        f"（{'；'.join(zh_parts)}）",
        f"{region}: to have every {tier.label_en} capability by {deadline.isoformat()}, budgets are short "
        f"by at least {amount:.1f} 万元 ({'; '.join(en_parts)})")]
