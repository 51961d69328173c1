"""An independent plan checker: re-derives every constraint of a ``Plan`` from the Dataset and Scenario.

Deliberately does not import ``planner.model.formulation``: the gaps, budgets, spending, lateness and the lexicographic
key (misses, quarters open, cost) are recomputed here from the README semantics, so a mistake in the
formulation shows up as a disagreement rather than being repeated.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from planner.domain import Cap, Dataset, DeadlineMode, GapMode, Item, Plan, Scenario, Target, TargetKind
from planner.quarters import Quarter

TOL = 1e-6


class PlanCheckError(AssertionError):
    """The plan breaks a rule; the message lists every violation found."""


def _q(d: date) -> Quarter:
    return Quarter(d.year, (d.month - 1) // 3 + 1)


def _horizon(scenario: Scenario) -> list[Quarter]:
    out, q = [], scenario.start
    while q <= scenario.horizon_end:
        out.append(q)
        q = Quarter(q.year + (q.q == 4), q.q % 4 + 1)
    return out


def _items(dataset: Dataset) -> dict[str, Item]:
    return {i.name: i for i in dataset.items}


def _lead(dataset: Dataset, region: str, item: Item) -> int:
    """Quarters from start to online: an upgrade (需升级) takes the item's upgrade lead time."""
    upgrade = dataset.state(region, item.name) == Cap.UPGRADE
    return item.upgrade_lead_quarters if upgrade else item.lead_quarters  # type: ignore[return-value]


def _capex(dataset: Dataset, region: str, item: Item) -> float:
    upgrade = dataset.state(region, item.name) == Cap.UPGRADE
    return item.upgrade_capex_wan if upgrade else item.capex_wan  # type: ignore[return-value]


def _county_names(dataset: Dataset) -> list[str]:
    named = {r for r, _ in dataset.matrix}
    return [r.name for r in dataset.regions if r.name in named]


def expected_gaps(dataset: Dataset, scenario: Scenario) -> tuple[set[tuple[str, str]], dict[tuple[str, str], date]]:
    """(gaps to schedule, gaps an actual completion date closed before the plan start)."""
    lacking = {(r, i.name) for r in _county_names(dataset) for i in dataset.items
               if dataset.state(r, i.name) in (Cap.LACKS, Cap.UPGRADE)}
    done: dict[tuple[str, str], date] = {}
    if scenario.use_actuals:
        first_day = date(scenario.start.year, 3 * scenario.start.q - 2, 1)
        done = {k: d for k, d in dataset.actuals.items() if k in lacking and d < first_day}
    return lacking - set(done), done


def budgets(dataset: Dataset, scenario: Scenario) -> dict[tuple[str, int], float]:
    """Workbook budget x global multiplier x county multiplier; an all-years override (year 0), then a
    one-year override, replace it."""
    out = {}
    for region in _county_names(dataset):
        for year in range(scenario.start.year, scenario.horizon_end.year + 1):
            value = (dataset.budgets.get((region, year), 0.0) * scenario.budget_multiplier
                     * scenario.region_multipliers.get(region, 1.0))
            if (region, 0) in scenario.budget_overrides:
                value = scenario.budget_overrides[(region, 0)]
            if (region, year) in scenario.budget_overrides:
                value = scenario.budget_overrides[(region, year)]
            out[(region, year)] = value
    return out


def max_lateness(item: Item, scenario: Scenario, deadline: date | None = None) -> int:
    return max(0, scenario.horizon_end.index - _q(deadline or item.deadline).index)


# ------------------------------------------------------------------------------------------- targets

def target_hard(target: Target, scenario: Scenario) -> bool:
    """硬/软; blank: as the scenario's deadlines."""
    return scenario.deadline_mode == DeadlineMode.HARD if target.hard is None else target.hard


def target_regions(dataset: Dataset, target: Target) -> list[str]:
    """The regions a target counts: its scope and every region below, of its level if named, with a matrix row."""
    named = set(_county_names(dataset))
    below = [target.scope]
    for region in below:  # breadth first, from the parent links
        below += [r.name for r in dataset.regions if r.parent == region]
    return [r for r in below if r in named and (target.level is None or dataset.region(r).level == target.level)]


def deadline_of(dataset: Dataset, scenario: Scenario, region: str, item: Item) -> date:
    """README: a gap is due by its item's date, or a deadline target's when earlier — a hard target's, or any
    deadline target's when the scenario's deadlines are soft (a soft target in hard mode moves nothing)."""
    soft = scenario.deadline_mode == DeadlineMode.SOFT
    due = item.deadline
    for t in dataset.targets:
        if (t.kind == TargetKind.DEADLINE and (soft or target_hard(t, scenario))
                and (t.tier is None or t.tier == item.tier) and region in target_regions(dataset, t)):
            due = min(due, t.by)
    return due


def target_figures(dataset: Dataset, scenario: Scenario, choice: dict[tuple[str, str], Quarter | str],
                   target: Target) -> list[tuple[str | None, int, int]] | None:
    """(region or None for the whole scope, reached, required) of a target under ``choice``, by the README's
    reading; None when no region of its scope has a matrix row (not countable). A capability counts when the
    region had it (已具备), completed it before the plan start by the target's date, or built it online by the
    quarter holding the date (with 上级可计入, a region above doing so counts for coverage)."""
    regions = target_regions(dataset, target)
    if not regions:
        return None
    _, done = expected_gaps(dataset, scenario)
    by = _q(target.by)
    items = [i for i in dataset.items if target.tier is None or i.tier == target.tier]

    def has(region: str, item: Item) -> bool:
        if dataset.state(region, item.name) == Cap.HAS:
            return True
        if (region, item.name) in done:
            return done[(region, item.name)] <= target.by
        pick = choice.get((region, item.name))
        return isinstance(pick, Quarter) and pick.index + _lead(dataset, region, item) <= by.index

    if target.kind == TargetKind.COUNT:
        built = sum(1 for r in regions for i in items if dataset.state(r, i.name) in (Cap.LACKS, Cap.UPGRADE)
                    and has(r, i))
        return [(None, built, int(target.count or 0))]
    if target.kind == TargetKind.DEADLINE:
        out = []
        for r in regions:
            cells = [i for i in items if dataset.state(r, i.name) != Cap.NA]
            out.append((r, sum(has(r, i) for i in cells), len(cells)))
        return out
    groups = [[r] for r in regions] if target.per_region else [regions]
    out = []
    for group in groups:
        cells = [(r, i) for r in group for i in items if dataset.state(r, i.name) != Cap.NA]
        chain = {r: [r] + (dataset.ancestors(r) if target.include_higher else []) for r in group}
        got = sum(any(has(x, i) for x in chain[r]) for r, i in cells)
        out.append((group[0] if target.per_region else None, got, math.ceil((target.share or 0) * len(cells) - 1e-9)))
    return out


def target_shortfall(dataset: Dataset, scenario: Scenario, choice: dict[tuple[str, str], Quarter | str],
                     target: Target) -> int:
    """How many items (or standards) ``choice`` leaves a target short of (0 when not countable)."""
    figures = target_figures(dataset, scenario, choice, target)
    return sum(max(0, need - got) for _, got, need in figures or [])


@dataclass(frozen=True)
class Key:
    """The lexicographic objective: priority-weighted missed gaps (late, shared or unbuilt), then
    priority-weighted lateness in quarters (``misses``), then quarters open, then cost (万元)."""

    missed: float
    misses: float
    open_quarters: float
    cost: float

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (round(self.missed, 6), round(self.misses, 6), round(self.open_quarters, 6), round(self.cost, 6))

    def same_as(self, other: Key, tol: float = TOL) -> bool:
        return all(abs(a - b) <= tol for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True))


def choice_key(dataset: Dataset, scenario: Scenario, choice: dict[tuple[str, str], Quarter | str],
               cost: float) -> Key:
    """The key of a choice per gap: a start quarter, ``"shared"`` or ``"unbuilt"``."""
    items = _items(dataset)
    n = len(_horizon(scenario))
    missed = misses = open_q = 0.0
    for (region, name), pick in choice.items():
        item = items[name]
        lead = _lead(dataset, region, item)
        due = deadline_of(dataset, scenario, region, item)
        if not isinstance(pick, Quarter) or pick.index + lead > _q(due).index:
            missed += item.priority
        if isinstance(pick, Quarter):
            online = pick.index + lead
            misses += item.priority * max(0, online - _q(due).index)
            open_q += item.priority * (online - scenario.start.index)
        elif pick == "shared":
            misses += item.priority * (max_lateness(item, scenario, due) + 1)
            open_q += item.priority * n
        else:
            misses += item.priority * (max_lateness(item, scenario, due) + 2)
            open_q += item.priority * (n + 1)
    return Key(missed, misses, open_q, cost)


def plan_key(plan: Plan, dataset: Dataset, scenario: Scenario) -> Key:
    choice: dict[tuple[str, str], Quarter | str] = {}
    for s in plan.schedule:
        if s.mode == GapMode.DONE:
            continue
        choice[(s.region, s.item)] = s.start_quarter if s.mode == GapMode.BUILT else s.mode.value  # type: ignore
    return choice_key(dataset, scenario, choice, sum(sp.spent_wan for sp in plan.spending))


def spend_of(dataset: Dataset, scenario: Scenario,
             choice: dict[tuple[str, str], Quarter | str]) -> dict[tuple[str, int], dict[str, float]]:
    """capex / opex / fees per county-year of a choice (before any share-group saving)."""
    items = _items(dataset)
    horizon = _horizon(scenario)
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: {"capex": 0.0, "opex": 0.0, "fees": 0.0})
    for (region, name), pick in choice.items():
        item = items[name]
        if isinstance(pick, Quarter):
            out[(region, pick.year)]["capex"] += _capex(dataset, region, item)
            online = pick.index + _lead(dataset, region, item)
            for q in horizon:
                if q.index >= online:
                    out[(region, q.year)]["opex"] += item.opex_wan / 4
        elif pick == "shared":
            for q in horizon:
                out[(region, q.year)]["fees"] += item.service_fee_wan / 4
    return out


def max_saving(dataset: Dataset, choice: dict[tuple[str, str], Quarter | str]) -> dict[tuple[str, int], float]:
    """The most the share-group what-if can save per county-year: once per group, county and quarter in
    which two or more of the group's items start."""
    out: dict[tuple[str, int], float] = defaultdict(float)
    for grp in dataset.share_groups:
        starts = Counter((r, q) for (r, i), q in choice.items() if i in grp.items and isinstance(q, Quarter))
        for (region, q), n in starts.items():
            if n >= 2:
                out[(region, q.year)] += grp.saving_wan
    return out


def check_plan(plan: Plan, dataset: Dataset, scenario: Scenario) -> None:
    """Raise ``PlanCheckError`` listing every rule the plan breaks."""
    errors: list[str] = []
    err = errors.append
    items = _items(dataset)
    horizon = _horizon(scenario)
    first, last = horizon[0], horizon[-1]
    gaps, done = expected_gaps(dataset, scenario)

    # Each gap exactly once; done gaps are listed as done and not rescheduled.
    keys = Counter((s.region, s.item) for s in plan.schedule)
    for k, n in keys.items():
        if n != 1:
            err(f"{k} appears {n} times")
    planned = {(s.region, s.item) for s in plan.schedule if s.mode != GapMode.DONE}
    done_rows = {(s.region, s.item): s for s in plan.schedule if s.mode == GapMode.DONE}
    if planned != gaps:
        err(f"scheduled gaps differ: missing {sorted(gaps - planned)}, extra {sorted(planned - gaps)}")
    if set(done_rows) != set(done):
        err(f"done gaps differ: {sorted(done_rows)} vs {sorted(done)}")
    for k, s in done_rows.items():
        if k in done and (s.actual_date != done[k] or s.start_quarter is not None
                          or s.on_time != (done[k] <= items[s.item].deadline)):
            err(f"done row {k} inconsistent with its actual date {done.get(k)}: {s}")

    soft = scenario.deadline_mode == DeadlineMode.SOFT
    choice: dict[tuple[str, str], Quarter | str] = {}
    for s in plan.schedule:
        if s.mode == GapMode.DONE:
            continue
        item = items[s.item]
        due = deadline_of(dataset, scenario, s.region, item)
        if s.tier != item.tier or s.deadline != due:
            err(f"{s.region}/{s.item}: tier/deadline {s.tier}/{s.deadline} differ from {item.tier}/{due}")
        if s.mode == GapMode.BUILT:
            if s.start_quarter is None or s.online_quarter is None:
                err(f"{s.region}/{s.item}: built without start/online")
                continue
            choice[(s.region, s.item)] = s.start_quarter
            lead = _lead(dataset, s.region, item)
            if s.online_quarter.index != s.start_quarter.index + lead:
                err(f"{s.region}/{s.item}: online {s.online_quarter} != start {s.start_quarter} + {lead}")
            if not (first <= s.start_quarter and s.online_quarter <= last):
                err(f"{s.region}/{s.item}: {s.start_quarter}->{s.online_quarter} outside {first}..{last}")
            late = max(0, s.online_quarter.index - _q(due).index)
            if s.late_quarters != late or s.on_time != (late == 0):
                err(f"{s.region}/{s.item}: late_quarters {s.late_quarters}/on_time {s.on_time}, expected {late}")
            capex = _capex(dataset, s.region, item)
            if abs(s.capex_wan - capex) > TOL:
                err(f"{s.region}/{s.item}: capex {s.capex_wan} != {capex}")
        else:
            choice[(s.region, s.item)] = s.mode.value
            if s.on_time or s.start_quarter is not None:
                err(f"{s.region}/{s.item}: {s.mode} yet on_time={s.on_time} start={s.start_quarter}")
            if s.late_quarters is not None:  # shared / unbuilt gaps are not "late by n quarters"
                err(f"{s.region}/{s.item}: {s.mode} with late_quarters {s.late_quarters}")
            if s.mode == GapMode.SHARED and not scenario.options.sharing:
                err(f"{s.region}/{s.item}: shared although sharing is off")
            if plan.has_solution and s.mode == GapMode.UNBUILT and not soft:
                err(f"{s.region}/{s.item}: unbuilt in a hard plan")
        if plan.has_solution and not soft and not s.on_time:
            err(f"{s.region}/{s.item}: late in a hard plan")

    if plan.has_solution:
        _check_money(plan, dataset, scenario, choice, err)
        if scenario.city_capacity is not None:
            online = Counter(s.online_quarter for s in plan.schedule if s.mode == GapMode.BUILT)
            for q, n in online.items():
                if n > scenario.city_capacity:
                    err(f"{n} standards come online in {q} > K = {scenario.city_capacity}")
    _check_compliance(plan, dataset, scenario, err)
    if plan.has_solution:
        _check_targets(plan, dataset, scenario, choice, err)
    if errors:
        raise PlanCheckError("\n".join(errors))


def _check_targets(plan: Plan, dataset: Dataset, scenario: Scenario, choice: dict, err) -> None:
    """Every target of the workbook has a result, in order; its figures are the schedule's; a hard one holds;
    one with no countable region is reported not countable, naming its regions."""
    if [r.target.id for r in plan.targets] != [t.id for t in dataset.targets]:
        err(f"target results {[r.target.id for r in plan.targets]} != targets {[t.id for t in dataset.targets]}")
        return
    for result, target in zip(plan.targets, dataset.targets, strict=True):
        figures = target_figures(dataset, scenario, choice, target)
        if result.hard != target_hard(target, scenario):
            err(f"target {target.id}: hard {result.hard}")
        if figures is None:
            if result.countable or result.met or not result.left_out:
                err(f"target {target.id}: not countable, reported {result}")
            continue
        got = sorted((r.region or "", r.reached, r.required) for r in result.rows)
        want = sorted(((r or "", a, b) for r, a, b in figures))
        if got != want:
            err(f"target {target.id}: rows {got} != {want}")
        if result.hard and not result.met:
            err(f"target {target.id}: hard, missed in a plan with status {plan.status}")


def _check_money(plan: Plan, dataset: Dataset, scenario: Scenario, choice: dict, err) -> None:
    opts = scenario.options
    want = budgets(dataset, scenario)
    got = {(s.region, s.year): s for s in plan.spending}
    if set(got) != set(want) or len(got) != len(plan.spending):
        err(f"spending rows {sorted(got)} != county-years {sorted(want)}")
    spend = spend_of(dataset, scenario, choice)
    saving = max_saving(dataset, choice) if opts.share_discount else {}
    pool_by_year: dict[int, float] = defaultdict(float)
    for key, budget in want.items():
        sp = got.get(key)
        if sp is None:
            continue
        mine = spend.get(key, {"capex": 0.0, "opex": 0.0, "fees": 0.0})
        if abs(sp.budget_wan - budget) > TOL:
            err(f"{key}: budget {sp.budget_wan} != {budget}")
        if abs(sp.opex_wan - mine["opex"]) > TOL or abs(sp.fees_wan - mine["fees"]) > TOL:
            err(f"{key}: opex/fees {sp.opex_wan}/{sp.fees_wan} != {mine['opex']}/{mine['fees']}")
        saved = mine["capex"] - sp.capex_wan
        if not -TOL <= saved <= saving.get(key, 0.0) + TOL:
            err(f"{key}: capex {sp.capex_wan} vs schedule {mine['capex']} (saving allowed {saving.get(key, 0.0)})")
        if sp.spent_wan > sp.budget_wan + sp.pool_wan + sp.carried_in_wan + TOL:
            err(f"{key}: spent {sp.spent_wan} > budget {sp.budget_wan} + pool {sp.pool_wan} "
                f"+ carried {sp.carried_in_wan}")
        if sp.pool_wan < -TOL or (opts.city_pool_wan <= 0 and sp.pool_wan > TOL):
            err(f"{key}: pool draw {sp.pool_wan} with pool {opts.city_pool_wan}")
        pool_by_year[key[1]] += sp.pool_wan
        before = got.get((key[0], key[1] - 1))
        if not opts.carry_over or before is None:
            if abs(sp.carried_in_wan) > TOL:
                err(f"{key}: carried in {sp.carried_in_wan} without carry-over or a previous year")
        else:
            unspent = before.budget_wan + before.pool_wan + before.carried_in_wan - before.spent_wan
            if not -TOL <= sp.carried_in_wan <= unspent + TOL:
                err(f"{key}: carried in {sp.carried_in_wan}, but {unspent} was unspent")
    for year, drawn in pool_by_year.items():
        if drawn > opts.city_pool_wan + TOL and drawn > TOL:
            err(f"{year}: pool draws {drawn} > city pool {opts.city_pool_wan}")


def _check_compliance(plan: Plan, dataset: Dataset, scenario: Scenario, err) -> None:
    counties = set(_county_names(dataset))
    rows = {(c.region, c.tier): c for c in plan.compliance}
    for region in counties:
        for tier in dataset.tiers:
            if not any(i.tier == tier for i in dataset.items):
                continue
            # 不适用: not required of this region
            tier_items = [i for i in dataset.items if i.tier == tier and dataset.state(region, i.name) != Cap.NA]
            c = rows.get((region, tier))
            if c is None:
                err(f"no compliance row for {region}/{tier}")
                continue
            mine = [s for s in plan.schedule if s.region == region and s.tier == tier]
            has = sum(dataset.has(region, i.name) for i in tier_items)
            built = [s for s in mine if s.mode == GapMode.BUILT]
            expect = {
                "required": len(tier_items),
                "done_at_start": has + sum(s.mode == GapMode.DONE for s in mine),
                "on_time": sum(s.on_time for s in built),
                "late": sum(not s.on_time for s in built),
                "unbuilt": sum(s.mode == GapMode.UNBUILT for s in mine),
                "shared": sum(s.mode == GapMode.SHARED for s in mine),
                "unschedulable": 0,
            }
            for field_name, value in expect.items():
                if getattr(c, field_name) != value:
                    err(f"compliance {region}/{tier}: {field_name} {getattr(c, field_name)} != {value}")
            total = c.done_at_start + c.on_time + c.late + c.unbuilt + c.shared
            if total != c.required:
                err(f"compliance {region}/{tier}: parts add to {total}, not {c.required}")
            if c.meets_deadline != (c.late == c.unbuilt == c.shared == 0):
                err(f"compliance {region}/{tier}: meets_deadline {c.meets_deadline}")
            dated = [s for s in mine if s.actual_date is not None]
            actual = sum(s.actual_date <= s.deadline for s in dated) if dated else None  # type: ignore[operator]
            if c.actual_done != actual:
                err(f"compliance {region}/{tier}: actual_done {c.actual_done} != {actual}")
            if c.as_of != scenario.as_of:
                err(f"compliance {region}/{tier}: as_of {c.as_of} != {scenario.as_of}")


def solve_checked(dataset: Dataset, scenario: Scenario) -> Plan:
    """``planner.model.solve.solve``, then the independent checker on its answer."""
    from planner.model.solve import solve

    plan = solve(dataset, scenario)
    check_plan(plan, dataset, scenario)
    return plan
