"""Plain, typed domain objects: what the workbook holds, what a scenario asks, what a plan answers.

Money is in 万元 (10,000 CNY) throughout; time in calendar quarters (see ``quarters.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from planner.quarters import Quarter


class Tier(StrEnum):
    BASIC = "basic"  # 基本能力, due 2024-12-31 in Nantong
    UPGRADED = "upgraded"  # 提升能力, due 2025-12-31 in Nantong


TIER_ZH = {Tier.BASIC: "基本", Tier.UPGRADED: "提升"}


class Level(StrEnum):
    CITY = "city"  # 市级: the city institute
    COUNTY = "county"  # 县（市、区）


LEVEL_ZH = {Level.CITY: "市级", Level.COUNTY: "县级"}


@dataclass(frozen=True)
class Item:
    """One mandatory-verification capability (强制检定能力) and its assumed costs."""

    id: str
    name: str  # verbatim from the seed annex
    tier: Tier
    deadline: date
    capex_wan: float  # one-off cost to build the standard (assumption)
    opex_wan: float  # yearly running cost once online (assumption)
    lead_quarters: int  # quarters from start of build to online (assumption)
    priority: float = 1.0  # weight of each quarter the gap stays open
    service_fee_wan: float = 0.0  # yearly fee if served by the city institute instead (what-if)
    note: str = ""  # reasoning behind the assumed figures

    @property
    def deadline_quarter(self) -> Quarter:
        return Quarter.of(self.deadline)


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    level: Level
    note: str = ""


@dataclass(frozen=True)
class PublishedCount:
    """One row of the annex's counts table, as printed (``region`` is ``合计`` for the total row)."""

    tier: Tier
    region: str
    required: int | None
    completed: int | None
    pending: int | None
    printed: str = ""  # the row's text verbatim
    note: str = ""


@dataclass(frozen=True)
class ShareGroup:
    """Related items whose standards share a fixed cost: a saving when a region builds them together."""

    name: str
    items: tuple[str, ...]
    saving_wan: float
    note: str = ""


@dataclass(frozen=True)
class Assumption:
    key: str
    value: str
    unit: str
    note: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    reference: str
    note: str = ""


@dataclass(frozen=True)
class Message:
    """A bilingual validation message, located in the workbook (sheet, 1-based row, column header)."""

    code: str
    zh: str
    en: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def location_zh(self) -> str:
        parts = [f"工作表「{self.sheet}」"] if self.sheet else []
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        return "，".join(parts)

    @property
    def location_en(self) -> str:
        parts = [f"sheet '{self.sheet}'"] if self.sheet else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def text(self, lang: str = "both") -> str:
        zh = f"{self.location_zh}：{self.zh}" if self.location_zh else self.zh
        en = f"{self.location_en}: {self.en}" if self.location_en else self.en
        return {"zh": zh, "en": en}.get(lang, f"{zh}\n{en}")

    def __str__(self) -> str:
        return self.text()


class WorkbookError(ValueError):
    """The workbook cannot be used; ``messages`` says where and why, in Chinese and English."""

    def __init__(self, messages: list[Message]):
        self.messages = messages
        super().__init__("\n".join(m.text() for m in messages))


@dataclass
class Dataset:
    """A validated capability workbook.

    ``has`` holds the county matrix: (region name, item name) -> True when the region already has the
    capability. Regions with no matrix row (the city, whose items the seed does not name) appear only
    in ``counts``.
    """

    items: list[Item]
    regions: list[Region]
    has: dict[tuple[str, str], bool]
    counts: list[PublishedCount] = field(default_factory=list)
    budgets: dict[tuple[str, int], float] = field(default_factory=dict)
    actuals: dict[tuple[str, str], date] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    share_groups: list[ShareGroup] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    path: Path | None = None

    def item(self, name: str) -> Item:
        return self._items_by_name()[self.aliases.get(name, name)]

    def region(self, name: str) -> Region:
        return {r.name: r for r in self.regions}[name]

    def _items_by_name(self) -> dict[str, Item]:
        return {i.name: i for i in self.items}

    @property
    def matrix_regions(self) -> list[Region]:
        """Regions whose capabilities are named item by item (the six counties in Nantong)."""
        named = {r for r, _ in self.has}
        return [r for r in self.regions if r.name in named]

    def items_of(self, tier: Tier) -> list[Item]:
        return [i for i in self.items if i.tier == tier]

    def gaps(self) -> list[tuple[str, str]]:
        """(region, item) pairs a region lacks, in workbook order."""
        return [(r.name, i.name) for r in self.matrix_regions for i in self.items
                if not self.has.get((r.name, i.name), False)]


class DeadlineMode(StrEnum):
    HARD = "hard"  # every gap online by its tier's deadline, or the plan is infeasible
    SOFT = "soft"  # lateness penalised above everything else; a gap may stay unbuilt at a higher penalty


@dataclass(frozen=True)
class Options:
    """What-if switches; every one is off by default and labelled wherever it is shown."""

    city_pool_wan: float = 0.0  # a city-wide pool per year any county may draw on
    carry_over: bool = False  # unspent budget of a year carries to the next
    sharing: bool = False  # a gap may be served by a provider for a yearly fee instead of built
    sharing_provider: str = "市级"  # who serves shared gaps (the city institute or a named neighbour)
    share_discount: bool = False  # related items built in the same quarter save a fixed cost


@dataclass(frozen=True)
class Scenario:
    """A named what-if over a workbook. Budgets: workbook figures x ``budget_multiplier``, then overrides."""

    name: str
    workbook: Path
    start: Quarter = Quarter(2023, 4)  # the plan is dated 2023-08-20
    horizon_end: Quarter = Quarter(2027, 4)
    deadline_mode: DeadlineMode = DeadlineMode.HARD
    budget_multiplier: float = 1.0
    region_multipliers: dict[str, float] = field(default_factory=dict)
    budget_overrides: dict[tuple[str, int], float] = field(default_factory=dict)
    city_capacity: int | None = None  # K: new standards the city institute can assess per quarter
    options: Options = Options()
    as_of: date | None = None  # reviewer's as-of date for planned vs actual
    use_actuals: bool = True  # gaps with an actual completion date before ``start`` count as done
    solver: str = "highs"
    time_limit_s: float = 60.0
    mip_gap: float = 0.0
    description: str = ""
    source_path: Path | None = None


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a solution, not proven optimal (gap or time limit)
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"  # stopped with no solution
    UNBOUNDED = "unbounded"
    ERROR = "error"


class GapMode(StrEnum):
    BUILT = "built"
    SHARED = "shared"  # served by a provider for a fee: not 配置到位
    UNBUILT = "unbuilt"
    DONE = "done"  # completed before the plan start (actuals)
    UNSCHEDULABLE = "unschedulable"  # pending but not named (the city's 6 upgraded items)


@dataclass(frozen=True)
class ScheduledGap:
    region: str
    item: str
    tier: Tier
    mode: GapMode
    start_quarter: Quarter | None
    online_quarter: Quarter | None
    capex_wan: float
    deadline: date
    on_time: bool
    late_quarters: int  # 0 when on time; quarters past the deadline quarter (horizon end + 1 if unbuilt)
    actual_date: date | None = None


@dataclass(frozen=True)
class Spending:
    region: str
    year: int
    capex_wan: float
    opex_wan: float
    fees_wan: float
    budget_wan: float
    pool_wan: float = 0.0  # drawn from the city pool
    carried_in_wan: float = 0.0

    @property
    def spent_wan(self) -> float:
        return self.capex_wan + self.opex_wan + self.fees_wan


@dataclass(frozen=True)
class ComplianceRow:
    region: str
    tier: Tier
    required: int
    done_at_start: int
    on_time: int
    late: int
    unbuilt: int
    shared: int
    unschedulable: int
    deadline: date
    actual_done: int | None = None  # gaps with actual completion dates on or before the deadline
    as_of: date | None = None

    @property
    def meets_deadline(self) -> bool:
        return self.late == self.unbuilt == self.shared == self.unschedulable == 0


@dataclass(frozen=True)
class Shortfall:
    """Why a hard plan is infeasible: a county, a deadline, and the 万元 it lacks."""

    region: str
    tier: Tier
    deadline: date
    shortfall_wan: float
    zh: str
    en: str


@dataclass
class Plan:
    scenario: Scenario
    status: SolveStatus
    solver: str
    objective: float | None = None
    schedule: list[ScheduledGap] = field(default_factory=list)
    spending: list[Spending] = field(default_factory=list)
    compliance: list[ComplianceRow] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    message: str = ""
    mip_gap: float | None = None
    seconds: float = 0.0

    @property
    def has_solution(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def total_cost_wan(self) -> float:
        return sum(s.spent_wan for s in self.spending)
