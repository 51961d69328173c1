"""The sets and data of one model: gaps, quarters, budgets, derived once from a workbook and a scenario.

A gap is a capability a county lacks (缺失: build a new standard) or must upgrade (需升级: the item's upgrade
cost and lead time). Time runs in quarters from the scenario's start to its horizon end. ``Instance`` also
holds the candidate starts of every gap as numpy arrays, which the constraint families
(``planner.model.families``) turn into the model's coefficients without a Python loop per coefficient.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

import numpy as np

from planner.domain import Cap, Dataset, Item, Scenario, ShareGroup
from planner.model import objective
from planner.model.targets import TargetRow, target_rows
from planner.quarters import Quarter, quarter_range


@dataclass(frozen=True)
class Gap:
    """A capability a county lacks at the start of the plan."""

    region: str
    item: Item
    upgrade: bool = False  # 需升级: an existing standard upgraded, at the item's upgrade cost and lead time
    due: date | None = None  # a deadline target's earlier date, if any (else the item's deadline)

    @property
    def key(self) -> tuple[str, str]:
        return (self.region, self.item.name)

    @property
    def deadline(self) -> date:
        return self.due or self.item.deadline

    @property
    def capex_wan(self) -> float:
        return self.item.upgrade_capex_wan if self.upgrade else self.item.capex_wan  # type: ignore[return-value]

    @property
    def lead_quarters(self) -> int:
        return self.item.upgrade_lead_quarters if self.upgrade else self.item.lead_quarters  # type: ignore

    @cached_property
    def deadline_quarter(self) -> Quarter:
        return Quarter.of(self.deadline)


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
    targets: list[TargetRow] = field(default_factory=list)  # coverage and count targets (planner.model.targets)

    @classmethod
    def from_dataset(cls, dataset: Dataset, scenario: Scenario) -> Instance:
        """Gaps are the (county, item) pairs to build or upgrade, less those an actual date closed before the
        plan starts (when the scenario uses actuals); targets become rows over them, and a deadline target
        brings its gaps' deadlines forward."""
        done = {}
        if scenario.use_actuals:
            done = {k: d for k, d in dataset.actuals.items()
                    if d < scenario.start.first_day and not dataset.has(*k)}
        keys = [(r, i) for r, i in dataset.gaps() if (r, i) not in done]
        rows = target_rows(dataset, scenario, set(keys), done)
        gaps = [Gap(r, dataset.item(i), dataset.state(r, i) == Cap.UPGRADE, rows.deadlines.get((r, i)))
                for r, i in keys]
        return cls(scenario, gaps, quarter_range(scenario.start, scenario.horizon_end),
                   budget_table(dataset, scenario), list(dataset.share_groups), done, rows.rows)

    # ------------------------------------------------------------------------------------ structure

    @property
    def coupled(self) -> bool:
        """Counties share something (a city pool or the city's assessment capacity): one model for all."""
        return self.scenario.city_capacity is not None or self.scenario.options.city_pool_wan > 0

    @property
    def independent(self) -> bool:
        return not self.coupled and not any(len(row.regions) > 1 for row in self.targets)

    def split(self) -> list[Instance]:
        """Independent parts: each county alone, except counties a target row joins (a coverage or count target
        over several of them), which are solved together. Exact, and far quicker than one model."""
        group = {r: r for r in self.regions}

        def root(r: str) -> str:
            while group[r] != r:
                group[r] = group[group[r]]
                r = group[r]
            return r

        for row in self.targets:
            for other in row.regions[1:]:
                group[root(other)] = root(row.regions[0])
        members: dict[str, list[str]] = {}
        for region in self.regions:
            members.setdefault(root(region), []).append(region)
        group_of = {r: root(r) for r in self.regions}
        gaps: dict[str, list[Gap]] = {g: [] for g in members}
        for gap in self.gaps:
            gaps[group_of[gap.region]].append(gap)
        budgets: dict[str, dict[tuple[str, int], float]] = {g: {} for g in members}
        for key, value in self.budgets.items():
            budgets[group_of[key[0]]][key] = value
        done: dict[str, dict[tuple[str, str], date]] = {g: {} for g in members}
        for key, when in self.done_before_start.items():
            if key[0] in group_of:
                done[group_of[key[0]]][key] = when
        rows: dict[str, list[TargetRow]] = {g: [] for g in members}
        for row in self.targets:
            if row.regions:
                rows[group_of[row.regions[0]]].append(row)
        parts = [Instance(self.scenario, gaps[g], self.quarters, budgets[g], self.share_groups, done[g], rows[g])
                 for g in members]
        return parts

    def restrict(self, regions: Iterable[str], **changes) -> Instance:
        """The same instance over ``regions`` only: their gaps, budgets and completions before the start, and the
        target rows whose first region is among them; ``changes`` replace other fields (a scenario, targets)."""
        keep = set(regions)
        part = Instance(self.scenario, [g for g in self.gaps if g.region in keep], self.quarters,
                        {k: v for k, v in self.budgets.items() if k[0] in keep}, self.share_groups,
                        {k: d for k, d in self.done_before_start.items() if k[0] in keep},
                        [row for row in self.targets if row.regions and row.regions[0] in keep])
        return replace(part, **changes) if changes else part

    @classmethod
    def joined(cls, parts: Sequence[Instance]) -> Instance:
        """Parts of one scenario (apart regions) as one instance: the first part's scenario and quarters."""
        first = parts[0]
        return cls(first.scenario, [g for p in parts for g in p.gaps], first.quarters,
                   {k: v for p in parts for k, v in p.budgets.items()}, first.share_groups,
                   {k: v for p in parts for k, v in p.done_before_start.items()},
                   [row for p in parts for row in p.targets])

    def components(self) -> list[Instance]:
        """The parts that can be solved apart: counties alone unless a what-if or a target couples them."""
        return [self] if self.coupled else self.split()

    def unreachable_targets(self) -> list[TargetRow]:
        """Rows no plan can meet: even every cell covered falls short (nothing left to build in the scope)."""
        return [row for row in self.targets if row.need > len(row.cells)]

    @cached_property
    def gap_index(self) -> dict[tuple[str, str], int]:
        return {gap.key: n for n, gap in enumerate(self.gaps)}

    @cached_property
    def regions(self) -> list[str]:
        return list(dict.fromkeys(region for region, _ in self.budgets))

    @cached_property
    def years(self) -> list[int]:
        return sorted({q.year for q in self.quarters})

    @property
    def horizon_end(self) -> Quarter:
        return self.quarters[-1]

    # ------------------------------------------------------------------------------ per-gap facts

    def starts(self, gap: Gap) -> list[Quarter]:
        """Start quarters whose online quarter falls within the horizon."""
        return [q for q in self.quarters if q + gap.lead_quarters <= self.horizon_end]

    def lateness(self, gap: Gap, start: Quarter) -> int:
        """Quarters by which a gap started in ``start`` comes online after its deadline quarter."""
        return objective.lateness(start.index + gap.lead_quarters, gap.deadline_quarter.index)

    def max_lateness(self, gap: Gap) -> int:
        """The most a gap built within the horizon can be late (coming online in its last quarter)."""
        return objective.lateness(self.horizon_end.index, gap.deadline_quarter.index)

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
        return objective.gap_open(self, gap, start)

    def spending(self, gap: Gap, start: Quarter, year: int) -> float:
        """What building ``gap`` from ``start`` costs in ``year``: capex in the start year, then opex."""
        capex = gap.capex_wan if start.year == year else 0.0
        return capex + gap.item.opex_wan / 4 * self.opex_quarters(gap, start, year)

    def fee(self, gap: Gap, year: int) -> float:
        """Yearly service fee of a shared gap, charged a quarter at a time from the plan start."""
        return gap.item.service_fee_wan / 4 * self.quarters_in(year)

    # ------------------------------------------------------------------------- arrays for the model

    @cached_property
    def arrays(self) -> GapArrays:
        return GapArrays.of(self)


@dataclass(frozen=True)
class GapArrays:
    """Every gap's data and every candidate start (gap, quarter) as numpy arrays.

    Quarters are numbered 0..T-1 from the plan start; a candidate is a start whose online quarter
    (start + lead) falls within the horizon.
    """

    region: np.ndarray  # per gap: index into Instance.regions
    lead: np.ndarray
    capex: np.ndarray
    opex: np.ndarray
    fee: np.ndarray
    priority: np.ndarray
    deadline: np.ndarray  # per gap: the deadline quarter, numbered from the plan start (may be < 0)
    gap: np.ndarray  # per candidate: the gap
    start: np.ndarray  # per candidate: the start quarter
    year_of_quarter: np.ndarray  # per quarter: index into Instance.years

    @classmethod
    def of(cls, inst: Instance) -> GapArrays:
        first = inst.quarters[0].index
        n_q = len(inst.quarters)
        region_index = {r: n for n, r in enumerate(inst.regions)}
        # one row per distinct (item, upgrade, deadline), then one lookup per gap: national plans have tens of
        # thousands of gaps over a few dozen items
        kinds: dict[tuple, int] = {}
        rows, which = [], []
        for g in inst.gaps:
            kind = (g.item.name, g.upgrade, g.due)
            n = kinds.get(kind)
            if n is None:
                n = kinds[kind] = len(rows)
                rows.append((g.lead_quarters, g.capex_wan, g.item.opex_wan, g.item.service_fee_wan, g.item.priority,
                             g.deadline_quarter.index - first))
            which.append((region_index[g.region], n))
        per_kind = np.array(rows, dtype=float).reshape(-1, 6)
        index = np.array(which, dtype=np.int64).reshape(-1, 2)
        table = np.column_stack([index[:, 0], per_kind[index[:, 1]]]) if len(index) else np.zeros((0, 7))
        lead = table[:, 1].astype(np.int64)
        gap_idx, start = np.nonzero(np.arange(n_q)[None, :] + lead[:, None] <= n_q - 1)
        year_index = {y: n for n, y in enumerate(inst.years)}
        return cls(
            region=table[:, 0].astype(np.int64), lead=lead, capex=table[:, 2], opex=table[:, 3], fee=table[:, 4],
            priority=table[:, 5], deadline=table[:, 6].astype(np.int64),
            gap=gap_idx.astype(np.int64), start=start.astype(np.int64),
            year_of_quarter=np.array([year_index[q.year] for q in inst.quarters], dtype=np.int64),
        )

    @property
    def online(self) -> np.ndarray:
        """Per candidate: the quarter it comes online."""
        return self.start + self.lead[self.gap]

    @property
    def lateness(self) -> np.ndarray:
        """Per candidate: quarters past its gap's deadline quarter (0 when on time)."""
        return objective.lateness_v(self.online, self.deadline[self.gap])

    def spending(self, n_years: int) -> np.ndarray:
        """Per candidate and year (candidates x years): capex in the start year, opex/4 each quarter online."""
        n_q = len(self.year_of_quarter)
        online = self.online
        out = np.zeros((len(self.gap), n_years))
        out[np.arange(len(self.gap)), self.year_of_quarter[self.start]] = self.capex[self.gap]
        # quarters online in each year: count of quarters q >= online within the horizon, per year
        online_per_year = np.zeros((len(self.gap), n_years))
        for q in range(n_q):  # T is small (tens of quarters); vectorised over candidates
            online_per_year[:, self.year_of_quarter[q]] += online <= q
        return out + online_per_year * (self.opex[self.gap] / 4)[:, None]

    def fees(self, n_years: int) -> np.ndarray:
        """Per gap and year: the service fee of a shared gap (fee/4 for each quarter of the year in the horizon)."""
        quarters_in_year = np.bincount(self.year_of_quarter, minlength=n_years)
        return (self.fee / 4)[:, None] * quarters_in_year[None, :]
