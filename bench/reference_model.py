"""The MILP, written once: which quarter each county starts building each capability it lacks.

Read top to bottom, this module is the whole formulation. ``Instance`` derives the sets and data from a
workbook and a scenario; ``build_model`` creates the variables and then calls one ``define_*`` function
per constraint family, in the words a metrology planner would use:

- ``define_gaps_closed_once``: every gap is built once (or, in a what-if, shared / left unbuilt);
- ``define_deadlines``: hard mode, every gap online by its tier's deadline quarter;
- ``define_budgets``: a county's spending in a calendar year within its budget (pool, carry-over options);
- ``define_city_capacity``: at most K new standards assessed (建标考核) by the city institute per quarter;
- ``define_shared_fixed_costs``: the what-if saving when related items start in the same quarter;
- ``define_least_misses`` and ``define_objective``: fewest missed gaps, then least lateness, then gaps closed
  earliest, then least cost.

Semantics (README, "How the plan is computed"): a gap started in quarter t is online from t + L (L = lead
time in quarters). Capex is paid in the start quarter; opex/4 each quarter from online to the horizon
end; a shared gap pays its yearly fee/4 each quarter from the start of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pulp

from planner.domain import Cap, Dataset, DeadlineMode, Item, Scenario, ShareGroup
from planner.quarters import Quarter, quarter_range


@dataclass(frozen=True)
class Gap:
    """A capability a county lacks at the start of the plan."""

    region: str
    item: Item
    upgrade: bool = False  # 需升级: an existing standard upgraded, at the item's upgrade cost and lead time

    @property
    def key(self) -> tuple[str, str]:
        return (self.region, self.item.name)

    @property
    def capex_wan(self) -> float:
        return self.item.upgrade_capex_wan if self.upgrade else self.item.capex_wan  # type: ignore[return-value]

    @property
    def lead_quarters(self) -> int:
        return self.item.upgrade_lead_quarters if self.upgrade else self.item.lead_quarters  # type: ignore

    @property
    def deadline_quarter(self) -> Quarter:
        return self.item.deadline_quarter


def budget_table(dataset: Dataset, scenario: Scenario) -> dict[tuple[str, int], float]:
    """Effective yearly budgets (万元) per county-year in the horizon: workbook x multipliers, then overrides.

    A county-year the workbook does not give counts as 0 (``missing_budgets`` lists them).
    """
    years = range(scenario.start.year, scenario.horizon_end.year + 1)
    out = {}
    for region in dataset.matrix_regions:
        factor = scenario.budget_multiplier * scenario.region_multipliers.get(region.name, 1.0)
        for year in years:
            amount = dataset.budgets.get((region.name, year), 0.0) * factor
            for key in ((region.name, 0), (region.name, year)):  # all-years override, then one year
                if key in scenario.budget_overrides:
                    amount = scenario.budget_overrides[key]
            out[(region.name, year)] = amount
    return out


def missing_budgets(dataset: Dataset, scenario: Scenario) -> list[tuple[str, int]]:
    years = range(scenario.start.year, scenario.horizon_end.year + 1)
    return [(r.name, y) for r in dataset.matrix_regions for y in years
            if (r.name, y) not in dataset.budgets and (r.name, y) not in scenario.budget_overrides
            and (r.name, 0) not in scenario.budget_overrides]


@dataclass
class Instance:
    """The sets and data of one model, derived once from a workbook and a scenario."""

    scenario: Scenario
    gaps: list[Gap]
    quarters: list[Quarter]
    budgets: dict[tuple[str, int], float]
    share_groups: list[ShareGroup] = field(default_factory=list)
    done_before_start: dict[tuple[str, str], date] = field(default_factory=dict)

    @classmethod
    def from_dataset(cls, dataset: Dataset, scenario: Scenario) -> Instance:
        """Gaps are the (county, item) pairs lacking in the matrix, less those an actual date closed
        before the plan starts (when the scenario uses actuals)."""
        done = {}
        if scenario.use_actuals:
            done = {k: d for k, d in dataset.actuals.items()
                    if d < scenario.start.first_day and not dataset.has(*k)}
        gaps = [Gap(r, dataset.item(i), dataset.state(r, i) == Cap.UPGRADE) for r, i in dataset.gaps()
                if (r, i) not in done]
        return cls(scenario, gaps, quarter_range(scenario.start, scenario.horizon_end),
                   budget_table(dataset, scenario), list(dataset.share_groups), done)

    @property
    def independent(self) -> bool:
        """Counties share nothing (no city pool, no city capacity), so each can be solved on its own."""
        return self.scenario.city_capacity is None and self.scenario.options.city_pool_wan <= 0

    def split(self) -> list[Instance]:
        """One instance per county: exact when ``independent``, and far quicker to solve."""
        return [Instance(self.scenario, [g for g in self.gaps if g.region == region], self.quarters,
                         {k: v for k, v in self.budgets.items() if k[0] == region}, self.share_groups,
                         {k: v for k, v in self.done_before_start.items() if k[0] == region})
                for region in self.regions]

    @property
    def regions(self) -> list[str]:
        seen: dict[str, None] = {}
        for region, _ in self.budgets:
            seen.setdefault(region, None)
        return list(seen)

    @property
    def years(self) -> list[int]:
        return sorted({q.year for q in self.quarters})

    @property
    def horizon_end(self) -> Quarter:
        return self.quarters[-1]

    def starts(self, gap: Gap) -> list[Quarter]:
        """Start quarters whose online quarter falls within the horizon."""
        return [q for q in self.quarters if q + gap.lead_quarters <= self.horizon_end]

    def lateness(self, gap: Gap, start: Quarter) -> int:
        """Quarters by which a gap started in ``start`` comes online after its deadline quarter."""
        return max(0, (start + gap.lead_quarters) - gap.deadline_quarter)

    def max_lateness(self, gap: Gap) -> int:
        return max(0, self.horizon_end - gap.deadline_quarter)

    def can_meet_deadline(self, gap: Gap) -> bool:
        return any(self.lateness(gap, q) == 0 for q in self.starts(gap))

    def opex_quarters(self, gap: Gap, start: Quarter, year: int) -> int:
        """Quarters of ``year`` within the horizon in which a gap started in ``start`` is online."""
        online = start + gap.lead_quarters
        return sum(1 for q in self.quarters if q.year == year and q >= online)

    def quarters_in(self, year: int) -> int:
        return sum(1 for q in self.quarters if q.year == year)

    def open_quarters(self, gap: Gap, start: Quarter) -> int:
        """Quarters the gap stays open: from the plan start to its online quarter."""
        return (start + gap.lead_quarters) - self.quarters[0]

    def spending(self, gap: Gap, start: Quarter, year: int) -> float:
        """What building ``gap`` from ``start`` costs in ``year``: capex in the start year, then opex."""
        capex = gap.capex_wan if start.year == year else 0.0
        return capex + gap.item.opex_wan / 4 * self.opex_quarters(gap, start, year)

    def fee(self, gap: Gap, year: int) -> float:
        """Yearly service fee of a shared gap, charged a quarter at a time from the plan start."""
        return gap.item.service_fee_wan / 4 * self.quarters_in(year)


def score(inst: Instance, choice: dict[tuple[str, str], Quarter | str], cost_wan: float) -> float:
    """The objective of a plan under ``inst``'s weights: ``choice`` maps each gap to its start quarter or to
    ``"shared"`` / ``"unbuilt"``. Lets plans solved in parts, or by other solvers, be compared."""
    w = weights(inst)
    missed = misses = open_q = 0.0
    for gap in inst.gaps:
        pick = choice[gap.key]
        if not isinstance(pick, Quarter) or inst.lateness(gap, pick):
            missed += gap.item.priority
        if isinstance(pick, Quarter):
            misses += gap.item.priority * inst.lateness(gap, pick)
            open_q += gap.item.priority * inst.open_quarters(gap, pick)
        elif pick == "shared":
            misses += shared_penalty(inst, gap)
            open_q += gap.item.priority * len(inst.quarters)
        else:
            misses += unbuilt_penalty(inst, gap)
            open_q += gap.item.priority * (len(inst.quarters) + 1)
    return missed_weight(inst) * missed + w.late * misses + w.open * open_q + w.cost * cost_wan


def missed_weight(inst: Instance) -> float:
    """For reporting only (the solver takes missed gaps in a stage of their own): a weight under which one
    missed gap outweighs all the lateness, open quarters and cost a plan can have."""
    w = weights(inst)
    return w.late * (sum(unbuilt_penalty(inst, g) for g in inst.gaps) + 1) + w.late


# Penalty ladder (lexicographic through weights): misses >> quarters open >> cost.
@dataclass(frozen=True)
class Weights:
    late: float  # per priority-weighted quarter of lateness
    open: float  # per priority-weighted quarter a gap stays open
    cost: float  # per 万元


def weights(inst: Instance) -> Weights:
    """Weights that make the objective lexicographic: any lateness outweighs every open quarter, and all
    the cost together weighs less than the smallest difference in open quarters."""
    max_open = sum(g.item.priority * (len(inst.quarters) + 1) for g in inst.gaps) + 1
    max_cost = sum(g.capex_wan + g.item.opex_wan * len(inst.years) + g.item.service_fee_wan * len(inst.years)
                   for g in inst.gaps) + 1
    min_priority = min((g.item.priority for g in inst.gaps if g.item.priority > 0), default=1.0)
    return Weights(late=max_open, open=1.0, cost=0.25 * min(1.0, min_priority) / max_cost)


def shared_penalty(inst: Instance, gap: Gap) -> float:
    """Sharing does not count as 配置到位: it ranks after any late build, before leaving a gap unbuilt."""
    return gap.item.priority * (inst.max_lateness(gap) + 1)


def unbuilt_penalty(inst: Instance, gap: Gap) -> float:
    return gap.item.priority * (inst.max_lateness(gap) + 2)


@dataclass
class Model:
    """A built PuLP problem and handles on its variables and constraint families."""

    inst: Instance
    prob: pulp.LpProblem
    build: dict[tuple[int, Quarter], pulp.LpVariable] = field(default_factory=dict)
    shared: dict[int, pulp.LpVariable] = field(default_factory=dict)
    unbuilt: dict[int, pulp.LpVariable] = field(default_factory=dict)
    together: dict[tuple[str, str, Quarter], pulp.LpVariable] = field(default_factory=dict)
    carry: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    pool: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    extra: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)  # elastic budget
    extra_capacity: dict[Quarter, pulp.LpVariable] = field(default_factory=dict)
    flat_budget: dict[str, pulp.LpVariable] = field(default_factory=dict)  # min-budget analysis
    budget_rows: dict[tuple[str, int], str] = field(default_factory=dict)  # constraint names

    def starts_of(self, g: int) -> list[Quarter]:
        return [q for (gi, q) in self.build if gi == g]


class BudgetMode:
    FIXED = "fixed"  # budgets as given
    ELASTIC = "elastic"  # extra money allowed, minimised: how much is short (explanations)
    MINIMISE = "minimise"  # one flat yearly budget per county, minimised (min-budget analysis)


def build_model(inst: Instance, budget_mode: str = BudgetMode.FIXED, relax: bool = False,
                relax_deadlines_for: frozenset[int] = frozenset()) -> Model:
    """Assemble the MILP from its families. ``relax`` makes the choices continuous (LP relaxation)."""
    m = Model(inst, pulp.LpProblem("capability_schedule", pulp.LpMinimize))
    kind = pulp.LpContinuous if relax else pulp.LpBinary
    soft = inst.scenario.deadline_mode == DeadlineMode.SOFT
    for g, gap in enumerate(inst.gaps):
        for q in inst.starts(gap):
            m.build[(g, q)] = m.prob.add_variable(f"start_g{g}_q{q.index}", 0, 1, kind)
        if inst.scenario.options.sharing:
            m.shared[g] = m.prob.add_variable(f"shared_g{g}", 0, 1, kind)
        if soft or g in relax_deadlines_for or not inst.starts(gap):
            m.unbuilt[g] = m.prob.add_variable(f"unbuilt_g{g}", 0, 1, kind)
    define_gaps_closed_once(m)
    if not soft:
        define_deadlines(m, exempt=relax_deadlines_for)
    define_budgets(m, budget_mode)
    define_city_capacity(m, elastic=budget_mode == BudgetMode.ELASTIC)
    if inst.scenario.options.share_discount:
        define_shared_fixed_costs(m, kind)
    define_objective(m, budget_mode)
    return m


def define_gaps_closed_once(m: Model) -> None:
    """Each gap is started exactly once, or shared, or (soft mode) left unbuilt within the horizon."""
    for g in range(len(m.inst.gaps)):
        ways = [m.build[(g, q)] for q in m.starts_of(g)]
        ways += [v for v in (m.shared.get(g), m.unbuilt.get(g)) if v is not None]
        m.prob += pulp.lpSum(ways) == 1, f"closed_once_g{g}"


def define_deadlines(m: Model, exempt: frozenset[int] = frozenset()) -> None:
    """Hard mode: no start may bring a gap online after its tier's deadline quarter; leaving it unbuilt is
    allowed only where no start could make the deadline (the explanation names those)."""
    for g, gap in enumerate(m.inst.gaps):
        late = [m.build[(g, q)] for q in m.starts_of(g) if m.inst.lateness(gap, q) > 0]
        if g in exempt:
            continue
        if late:
            m.prob += pulp.lpSum(late) == 0, f"deadline_g{g}"
        if g in m.unbuilt:
            m.prob += m.unbuilt[g] == 0, f"must_build_g{g}"


def spending_expr(m: Model, region: str, year: int) -> pulp.LpAffineExpression:
    """A county's spending in a calendar year: capex of starts, opex once online, fees of shared gaps,
    less the what-if savings of related items started together."""
    inst = m.inst
    terms = []
    for g, gap in enumerate(inst.gaps):
        if gap.region != region:
            continue
        for q in m.starts_of(g):
            cost = inst.spending(gap, q, year)
            if cost:
                terms.append(cost * m.build[(g, q)])
        if g in m.shared and inst.fee(gap, year):
            terms.append(inst.fee(gap, year) * m.shared[g])
    saving = {grp.name: grp.saving_wan for grp in inst.share_groups}
    terms += [-saving[grp] * v for (r, grp, q), v in m.together.items() if r == region and q.year == year]
    return pulp.lpSum(terms)


def define_budgets(m: Model, mode: str = BudgetMode.FIXED) -> None:
    """Spending of each county-year within its budget, plus the what-ifs: a city-wide pool any county may
    draw on each year, and carry-over of unspent money to the next year."""
    inst, opts = m.inst, m.inst.scenario.options
    if mode == BudgetMode.MINIMISE:
        m.flat_budget = {r: m.prob.add_variable(f"flat_budget_r{n}", 0) for n, r in enumerate(inst.regions)}
    for n, region in enumerate(inst.regions):
        for year in inst.years:
            key = (region, year)
            available: pulp.LpAffineExpression | float = (
                m.flat_budget[region] if mode == BudgetMode.MINIMISE else inst.budgets[key])
            if opts.city_pool_wan > 0:
                m.pool[key] = m.prob.add_variable(f"pool_r{n}_y{year}", 0)
                available = available + m.pool[key]
            if mode == BudgetMode.ELASTIC:
                m.extra[key] = m.prob.add_variable(f"extra_r{n}_y{year}", 0)
                available = available + m.extra[key]
            if opts.carry_over:
                m.carry[key] = m.prob.add_variable(f"carry_r{n}_y{year}", 0)  # unspent at the end of ``year``
                previous = m.carry.get((region, year - 1), 0)
                row = spending_expr(m, region, year) + m.carry[key] == available + previous
            else:
                row = spending_expr(m, region, year) <= available
            m.budget_rows[key] = f"budget_r{n}_y{year}"
            m.prob += row, m.budget_rows[key]
    if opts.city_pool_wan > 0:
        for year in inst.years:
            m.prob += (pulp.lpSum(v for (r, y), v in m.pool.items() if y == year) <= opts.city_pool_wan,
                       f"city_pool_y{year}")


def define_city_capacity(m: Model, elastic: bool = False) -> None:
    """The city institute assesses (建标考核) at most K new standards per quarter, counted in the quarter a
    standard comes online."""
    k = m.inst.scenario.city_capacity
    if k is None:
        return
    for q in m.inst.quarters:
        online_now = [v for (g, start), v in m.build.items() if start + m.inst.gaps[g].lead_quarters == q]
        if not online_now:
            continue
        limit: pulp.LpAffineExpression | float = k
        if elastic:
            m.extra_capacity[q] = m.prob.add_variable(f"extra_capacity_q{q.index}", 0)
            limit = k + m.extra_capacity[q]
        m.prob += pulp.lpSum(online_now) <= limit, f"city_capacity_q{q.index}"


def define_shared_fixed_costs(m: Model, kind: str = pulp.LpBinary) -> None:
    """What-if: a group's saving is earned once per county and quarter in which two or more of its missing
    items start together (``together`` may be 1 only if at least two members start then)."""
    inst = m.inst
    for grp_n, grp in enumerate(inst.share_groups):
        for region in inst.regions:
            members = [g for g, gap in enumerate(inst.gaps) if gap.region == region and gap.item.name in grp.items]
            if len(members) < 2:
                continue
            for q in inst.quarters:
                starts = [m.build[(g, q)] for g in members if (g, q) in m.build]
                if len(starts) < 2:
                    continue
                v = m.prob.add_variable(f"together_s{grp_n}_r{inst.regions.index(region)}_q{q.index}", 0, 1, kind)
                m.together[(region, grp.name, q)] = v
                m.prob += 2 * v <= pulp.lpSum(starts), f"together_s{grp_n}_{region}_q{q.index}"


def missed_gaps(m: Model) -> pulp.LpAffineExpression:
    """Priority-weighted count of gaps not 配置到位 by their deadline: built late, shared, or unbuilt."""
    terms = []
    for g, gap in enumerate(m.inst.gaps):
        terms += [gap.item.priority * m.build[(g, q)] for q in m.starts_of(g) if m.inst.lateness(gap, q)]
        terms += [gap.item.priority * v for v in (m.shared.get(g), m.unbuilt.get(g)) if v is not None]
    return pulp.lpSum(terms)


def define_least_misses(m: Model, bound: float) -> None:
    """Soft mode, second stage: keep the fewest missed gaps found in the first stage."""
    m.prob += missed_gaps(m) <= bound + 1e-6, "least_missed_gaps"


def define_objective(m: Model, mode: str = BudgetMode.FIXED) -> None:
    """After the fewest missed gaps (soft mode: a stage of its own, see ``planner.model.solve.solve_model``): the
    least lateness (a late build, then sharing, then unbuilt), then the priority-weighted quarters each gap
    stays open, then least cost. Analyses put the money they ask about first."""
    inst = m.inst
    w = weights(inst)
    misses, open_q, cost = [], [], []
    for g, gap in enumerate(inst.gaps):
        p = gap.item.priority
        for q in m.starts_of(g):
            var = m.build[(g, q)]
            if inst.lateness(gap, q):
                misses.append(p * inst.lateness(gap, q) * var)
            open_q.append(p * inst.open_quarters(gap, q) * var)
        if g in m.shared:
            misses.append(shared_penalty(inst, gap) * m.shared[g])
            open_q.append(p * len(inst.quarters) * m.shared[g])
        if g in m.unbuilt:
            misses.append(unbuilt_penalty(inst, gap) * m.unbuilt[g])
            open_q.append(p * (len(inst.quarters) + 1) * m.unbuilt[g])
    cost = [spending_expr(m, r, y) for r in inst.regions for y in inst.years]
    if mode == BudgetMode.ELASTIC:
        # The explanation asks for the least extra money (and extra assessments) that makes the plan work.
        money = pulp.lpSum(m.extra.values()) + 1000 * pulp.lpSum(m.extra_capacity.values())
        m.prob += money + 1e-6 * pulp.lpSum(open_q)
    elif mode == BudgetMode.MINIMISE:
        m.prob += pulp.lpSum(m.flat_budget.values()) + 1e-6 * pulp.lpSum(open_q)
    else:
        # Pool money is drawn only where a county's own budget falls short (it costs a hair more than its own).
        pool = 0.01 * w.cost * pulp.lpSum(m.pool.values())
        m.prob += w.late * pulp.lpSum(misses) + w.open * pulp.lpSum(open_q) + w.cost * pulp.lpSum(cost) + pool
