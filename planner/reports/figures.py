"""The figures a meeting sees, computed once for the plan workbook and the brief.

Money is shown at two decimals: every amount is rounded half-up to the cent first, and sums, spending and
balances are computed from the rounded parts, so budget − spending = balance on every printed row and the
totals add up to the cells above them. Flags are red / amber / green per region and deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from planner.analysis.focus import restrict_plan
from planner.analysis.summary import plan_summary
from planner.domain import ComplianceRow, Dataset, Plan, Target, TargetKind, Tier
from planner.i18n import text

CENT = Decimal("0.01")


def money(x: float | Decimal) -> Decimal:
    """An amount rounded half-up to the cent (万元 with two decimals), as displayed."""
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP) + 0  # + 0 turns -0.00 into 0.00


def fmt_money(x: Decimal | float) -> str:
    """``1,234.50``: an amount as printed."""
    return f"{money(x):,.2f}"


# ---------------------------------------------------------------------------------------------- scope

def scope(dataset: Dataset, region: str | None) -> list[str] | None:
    """The regions a brief covers: ``region`` and every region below it; None for all."""
    if region is None:
        return None
    if region not in {r.name for r in dataset.regions}:
        raise KeyError(region)
    return dataset.subtree(region)


def scoped(plan: Plan, regions: Iterable[str] | None) -> Plan:
    """The plan restricted to ``regions`` (a copy; None: the whole plan)."""
    return restrict_plan(plan, None if regions is None else list(regions))


# ------------------------------------------------------------------------------------------ scenario

def description_in(description: str, lang: str = "zh") -> str:
    """A scenario description may hold both languages ("中文 / English"): the half in ``lang`` (a description
    in one language only is kept whole)."""
    zh, sep, en = description.partition(" / ")
    return (en if lang == "en" else zh).strip() if sep else description.strip()


def scenario_title(name: str, description: str, lang: str = "zh", most: int = 40) -> str:
    """A scenario's title for a heading: the first clause of its description in ``lang`` (up to the first
    comma or dash after its "xxx：" lead, cut to ``most`` characters), else the scenario's id."""
    words = description_in(description, lang)
    colon = max(words.find("："), words.find(": "))
    cuts = [n for n in (words.find(sep, colon + 1) for sep in ("，", "；", "。", "——", ", ", "; ")) if n > 0]
    words = words[:min(cuts)] if cuts else words
    if not words.strip():
        return name
    words = words.strip()
    return words if len(words) <= most else words[:most - 1].rstrip("，,；; ") + "…"


# ---------------------------------------------------------------------------------------------- money

@dataclass(frozen=True)
class MoneyRow:
    """One printed row of spending against budget, every figure rounded to the cent."""

    region: str
    year: int | None  # None on a total row
    capex: Decimal
    opex: Decimal
    fees: Decimal
    budget: Decimal
    pool: Decimal = Decimal(0)
    carried: Decimal = Decimal(0)

    @property
    def spent(self) -> Decimal:
        return self.capex + self.opex + self.fees

    @property
    def balance(self) -> Decimal:
        return self.budget - self.spent

    @property
    def balance_with_pool(self) -> Decimal:
        """Budget plus city pool plus carry-over, less spending (the what-if balance)."""
        return self.budget + self.pool + self.carried - self.spent


def money_rows(plan: Plan) -> list[MoneyRow]:
    """The plan's spending, one row per region and year, in the plan's order, rounded to the cent."""
    return [MoneyRow(s.region, s.year, money(s.capex_wan), money(s.opex_wan), money(s.fees_wan),
                     money(s.budget_wan), money(s.pool_wan), money(s.carried_in_wan)) for s in plan.spending]


def total(rows: Iterable[MoneyRow], region: str = "", year: int | None = None) -> MoneyRow:
    """The sum of printed rows. Carry-over is a transfer between years, so a total over years does not add it
    up; a total of one year (a city's roll-up of its counties' rows for that year) does: each county brings
    its own carry-over into that year, and the roll-up's balance must be the sum of theirs."""
    rows = list(rows)
    carried = sum((r.carried for r in rows), Decimal(0)) if year is not None else Decimal(0)
    return MoneyRow(region, year, sum((r.capex for r in rows), Decimal(0)), sum((r.opex for r in rows), Decimal(0)),
                    sum((r.fees for r in rows), Decimal(0)), sum((r.budget for r in rows), Decimal(0)),
                    sum((r.pool for r in rows), Decimal(0)), carried)


def by_year(rows: Iterable[MoneyRow]) -> list[MoneyRow]:
    """One row per year, summed over regions, in year order."""
    rows = list(rows)
    return [total([r for r in rows if r.year == y], year=y) for y in sorted({r.year for r in rows if r.year})]


def uses_pool(plan: Plan) -> bool:
    """Whether the plan's scenario draws on the city pool or carries budget over (the what-if columns)."""
    opt = plan.scenario.options
    return bool(opt.city_pool_wan or opt.carry_over or any(s.pool_wan or s.carried_in_wan for s in plan.spending))


# ---------------------------------------------------------------------------------------------- flags

class Flag(StrEnum):
    """Red / amber / green for one region's deadline (or the worst over regions)."""

    GREEN = "green"  # every gap configured (配置到位) by the deadline
    AMBER = "amber"  # missed, but closed within the horizon: built late, or served by sharing (what-if)
    RED = "red"  # still open at the end of the horizon: unbuilt, or items the source does not name

    def label(self, lang: str = "zh") -> str:
        return text(f"flag_{self.value}", lang)


FLAG_ORDER = (Flag.GREEN, Flag.AMBER, Flag.RED)
FLAG_COLOURS = {Flag.GREEN: "C6EFCE", Flag.AMBER: "FFEB9C", Flag.RED: "FFC7CE"}  # fills, as Excel's own
FLAG_INK = {Flag.GREEN: "2E7D32", Flag.AMBER: "B26A00", Flag.RED: "C62828"}  # dots and text


def flag_of(row: ComplianceRow) -> Flag:
    if row.unbuilt or row.unschedulable:
        return Flag.RED
    if row.late or row.shared:
        return Flag.AMBER
    return Flag.GREEN


def worst(flags: Iterable[Flag]) -> Flag:
    return max(flags, key=FLAG_ORDER.index, default=Flag.GREEN)


@dataclass(frozen=True)
class DeadlineLine:
    """One deadline over all regions in scope: the compliance counts summed, and the worst flag."""

    tier: Tier
    deadline: date
    rows: list[ComplianceRow]

    @property
    def flag(self) -> Flag:
        return worst(flag_of(r) for r in self.rows)

    def sum(self, field: str) -> int:
        return sum(getattr(r, field) or 0 for r in self.rows)

    @property
    def met(self) -> int:
        """Regions meeting the deadline."""
        return sum(r.meets_deadline for r in self.rows)


def deadline_lines(plan: Plan, dataset: Dataset) -> list[DeadlineLine]:
    """One line per tier (deadline) with compliance rows, in the workbook's tier order."""
    out = []
    for tier in dataset.tiers + [t for t in dict.fromkeys(c.tier for c in plan.compliance) if t not in dataset.tiers]:
        rows = [c for c in plan.compliance if c.tier == tier]
        if rows:
            out.append(DeadlineLine(tier, max(r.deadline for r in rows), rows))
    return out


def configured(row: ComplianceRow) -> int:
    """Capabilities in place by the deadline: there at the start, or built on time."""
    return row.done_at_start + row.on_time


# ------------------------------------------------------------------------------------------- headline

@dataclass(frozen=True)
class Headline:
    gaps: int
    on_time: int
    late: int
    unbuilt: int
    shared: int
    unschedulable: int
    spent: Decimal
    budget: Decimal

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.gaps if self.gaps else 1.0


def headline(plan: Plan) -> Headline:
    """Gap counts and money of a (scoped) plan, money as printed (the sum of the rounded rows)."""
    s = plan_summary(plan)
    rows = total(money_rows(plan))
    return Headline(int(s["gaps"]), int(s["on_time"]), int(s["late"]), int(s["unbuilt"]), int(s["shared"]),
                    sum(c.unschedulable for c in plan.compliance), rows.spent, rows.budget)


# -------------------------------------------------------------------------------------------- targets

@dataclass(frozen=True)
class TargetLine:
    """One line of the 目标 table: what the target asks and what the plan achieves."""

    name: str
    requirement: str
    result: str  # the plan's outcome for this target; "—" until the plan reports targets
    flag: Flag | None = None


def target_lines(plan: Plan, dataset: Dataset, regions: Iterable[str] | None = None,
                 lang: str = "zh") -> list[TargetLine]:
    """The 目标 table of the 总览 sheet and the brief: the dataset's targets in scope, in words, with the plan's
    result (reached / required, met or by how much short, and what it would take), read off the plan's
    ``TargetResult`` for every kind, as ``solve --json`` lists them; a target none of whose regions has a
    matrix row is "not countable", never met."""
    keep = set(regions) if regions is not None else None
    results = {r.target.id: r for r in plan.targets}
    out = []
    for t in dataset.targets:
        if keep is not None and t.scope not in keep and not (set(dataset.subtree(t.scope)) & keep):
            continue
        result = results.get(t.id)
        if result is not None and plan.has_solution and not result.countable:  # no region with a matrix row
            out.append(TargetLine(t.id, target_requirement(t, lang),
                                  text("target_result_not_countable", lang, regions="、".join(result.left_out))))
            continue
        if t.kind == TargetKind.DEADLINE and result is None:  # a plan read before deadline targets had results
            scope = set(dataset.subtree(t.scope))
            rows = [c for c in plan.compliance if c.region in scope and (t.tier is None or c.tier == t.tier)]
            met = bool(rows) and all(c.meets_deadline for c in rows)
            text_ = text("target_result_met" if met else "target_result_missed_deadline", lang,
                         n=sum(not c.meets_deadline for c in rows))
            out.append(TargetLine(t.id, target_requirement(t, lang), text_ if plan.has_solution else "—",
                                  (Flag.GREEN if met else Flag.RED) if plan.has_solution else None))
            continue
        if result is None or not plan.has_solution:
            out.append(TargetLine(t.id, target_requirement(t, lang), "—"))
            continue
        reached = sum(r.reached for r in result.rows)
        required = sum(r.required for r in result.rows)
        total = sum(r.total for r in result.rows)
        share = f"{reached / total:.0%}" if total else ""
        got = ((f"{reached}/{total}（{share}）" if lang == "zh" else f"{reached}/{total} ({share})")
               if t.kind == TargetKind.COVERAGE and total else f"{reached}")
        if t.per_region and len(result.rows) > 1:  # checked region by region: say how many regions meet it
            met, share = sum(r.met for r in result.rows), f"{(t.share or 0):.0%}"
            words = (text("target_result_regions_met", lang, met=met, n=len(result.rows), share=share) if result.met
                     else text("target_result_regions_short", lang, met=met, n=len(result.rows), share=share,
                               short=result.shortfall))
        elif result.met:
            words = text("target_result_met_value", lang, got=got, need=required)
        else:
            words = text("target_result_short", lang, got=got, need=required, short=result.shortfall)
        why = result.zh if lang == "zh" else result.en
        if why and not result.met:  # what it would take
            words += "；" + why if lang == "zh" else "; " + why
        if result.left_out:
            words += text("target_result_left_out", lang, regions="、".join(result.left_out))
        out.append(TargetLine(t.id, target_requirement(t, lang), words, Flag.GREEN if result.met else Flag.RED))
    return out


def target_requirement(t: Target, lang: str = "zh") -> str:
    """What a target asks, in a sentence."""
    tier = t.tier.label(lang) if t.tier else text("target_all_items", lang)
    by = t.by.isoformat()
    if t.kind == TargetKind.DEADLINE:
        return text("target_deadline", lang, scope=t.scope, tier=tier, by=by)
    if t.kind == TargetKind.COVERAGE:
        return text("target_coverage", lang, scope=t.scope, tier=tier, by=by, share=f"{(t.share or 0):.0%}")
    return text("target_count", lang, scope=t.scope, tier=tier, by=by, count=t.count or 0)


# ---------------------------------------------------------------------------------------- assumptions

def key_assumptions(plan: Plan, lang: str = "zh") -> list[tuple[str, str]]:
    """The scenario's key assumptions as (label, sentence): deadlines, budgets, what-ifs, capacity, and the
    reminder that the money figures are assumptions."""
    sc, opt = plan.scenario, plan.scenario.options
    budget = text("ka_budget_value", lang, m=f"{sc.budget_multiplier:g}")
    if sc.region_multipliers:
        budget += text("ka_region_mult", lang, items=", ".join(f"{r} × {m:g}" for r, m in
                                                               sc.region_multipliers.items()))
    if sc.budget_overrides:
        budget += text("ka_overrides", lang, n=len(sc.budget_overrides))
    switches = [label for label, on in (
        (text("ka_pool", lang, x=f"{opt.city_pool_wan:g}"), opt.city_pool_wan),
        (text("ka_carry", lang), opt.carry_over),
        (text("ka_sharing", lang, p=opt.sharing_provider), opt.sharing),
        (text("ka_discount", lang), opt.share_discount)) if on]
    return [
        (text("ka_deadlines", lang), text(f"mode_deadline_{sc.deadline_mode.value}", lang)),
        (text("ka_budget", lang), budget),
        (text("ka_whatif", lang), ("、" if lang == "zh" else ", ").join(switches) or text("ka_none", lang)),
        (text("ka_capacity", lang), text("ka_capacity_none", lang) if sc.city_capacity is None
         else text("ka_capacity_n", lang, n=sc.city_capacity)),
        (text("assumption_label", lang), text("assumption_note", lang)),
    ]
