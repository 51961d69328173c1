"""Plain, typed domain objects: what the workbook holds, what a scenario asks, what a plan answers.

Money is in 万元 (10,000 CNY) throughout; time in calendar quarters (see ``quarters.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from planner.quarters import Quarter


@dataclass(frozen=True, eq=False)
class Tier:
    """A named group of items due by one date (Nantong: 基本 by 2024-12-31, 提升 by 2025-12-31).

    A tier is identified by its ``key``: two tiers with the same key are the same tier, whatever their
    labels; an item may still carry a deadline of its own.
    """

    key: str  # stable id, also accepted in workbooks ("basic")
    name: str  # the label people read ("基本")
    deadline: date | None = None
    name_en: str = ""
    note: str = ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tier) and other.key == self.key

    def __hash__(self) -> int:
        return hash(("tier", self.key))

    def __repr__(self) -> str:
        return f"Tier({self.key!r})"

    @property
    def label_en(self) -> str:
        return self.name_en or self.key

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.name


# Nantong's two tiers (通政发〔2023〕17号): the defaults for a workbook without a 层级 sheet.
BASIC = Tier("basic", "基本", date(2024, 12, 31), "basic")
UPGRADED = Tier("upgraded", "提升", date(2025, 12, 31), "upgraded")


class Level(StrEnum):
    PROVINCE = "province"  # 省级
    CITY = "city"  # 市级: the city institute
    COUNTY = "county"  # 县（市、区）


LEVEL_ZH = {Level.PROVINCE: "省级", Level.CITY: "市级", Level.COUNTY: "县级"}


class Cap(StrEnum):
    """A cell of the capability matrix."""

    HAS = "has"  # 已具备
    LACKS = "lacks"  # 缺失: a standard to build
    UPGRADE = "upgrade"  # 需升级: an existing standard to upgrade (the item's upgrade cost and lead time)
    NA = "na"  # 不适用: the region needs no such standard (not required, not in coverage)


CAP_ZH = {Cap.HAS: "已具备", Cap.LACKS: "缺失", Cap.UPGRADE: "需升级", Cap.NA: "不适用"}


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
    upgrade_capex_wan: float | None = None  # cost of upgrading an existing standard (matrix state 需升级)
    upgrade_lead_quarters: int | None = None

    def __hash__(self) -> int:
        # id and name identify an item (equal items share them): cheap, as national plans hash items often
        return hash((self.id, self.name))

    @cached_property
    def deadline_quarter(self) -> Quarter:
        return Quarter.of(self.deadline)


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    level: Level
    note: str = ""
    parent: str = ""  # the name of the region above (上级): county -> city -> province; "" at the top


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


class TargetKind(StrEnum):
    DEADLINE = "deadline"  # every item of a tier configured (配置到位) by a date, in every region of the scope
    COVERAGE = "coverage"  # by a date, at least a share of the catalogue items in scope covered
    COUNT = "count"  # by a date, at least N standards newly built or upgraded in the scope


@dataclass(frozen=True)
class Target:
    """One target of a plan (the 目标 sheet), citing the document that sets it."""

    id: str
    kind: TargetKind
    scope: str  # a region name: the target covers it and every region below it
    by: date
    tier: Tier | None = None  # DEADLINE: the tier; COVERAGE/COUNT: only this tier's items (None: all)
    share: float | None = None  # COVERAGE: 0..1
    count: int | None = None  # COUNT
    level: Level | None = None  # only regions of this level count (e.g. 县级); None: every region in scope
    per_region: bool = False  # COVERAGE: each region on its own, else aggregated over the scope
    include_higher: bool = False  # COVERAGE: a capability of a region above counts for the ones below
    hard: bool | None = None  # None: as the scenario's deadline mode
    source: str = ""
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
    source: str = ""  # a file other than the workbook (a scenario file)

    @property
    def location_zh(self) -> str:
        parts = [f"文件 {self.source}"] if self.source else []
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        return "，".join(parts)

    @property
    def location_en(self) -> str:
        parts = [f"file {self.source}"] if self.source else []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
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


class InputError(ValueError):
    """Input that cannot be used (a workbook, a scenario, a command-line value): ``messages`` say where and
    why, in Chinese and English. The CLI exits 2 on it; the app shows the messages and keeps its last good data."""

    def __init__(self, messages: list[Message] | Message):
        self.messages = [messages] if isinstance(messages, Message) else list(messages)
        super().__init__("\n".join(m.text() for m in self.messages))

    @property
    def message(self) -> Message:
        """The first message (most callers show them all)."""
        return self.messages[0]


class WorkbookError(InputError):
    """The workbook cannot be used; ``messages`` says where and why, in Chinese and English."""


class ScenarioError(InputError):
    """A scenario file, or a scenario with its workbook, that cannot be used."""


@dataclass
class Dataset:
    """A validated capability workbook.

    ``matrix`` holds the capability matrix: (region name, item name) -> its ``Cap`` state. Regions with no
    matrix row (the city, whose items the seed does not name) appear only in ``counts``.
    """

    items: list[Item]
    regions: list[Region]
    matrix: dict[tuple[str, str], Cap]
    counts: list[PublishedCount] = field(default_factory=list)
    budgets: dict[tuple[str, int], float] = field(default_factory=dict)
    actuals: dict[tuple[str, str], date] = field(default_factory=dict)  # 配置到位 dates reported later
    aliases: dict[str, str] = field(default_factory=dict)
    share_groups: list[ShareGroup] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    path: Path | None = None
    tiers: list[Tier] = field(default_factory=list)  # in workbook order; derived from the items if empty
    actual_evidence: dict[tuple[str, str], str] = field(default_factory=dict)  # 文号 / 来源 of an actual date
    targets: list[Target] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.tiers:
            self.tiers = list(dict.fromkeys(i.tier for i in self.items))

    def item(self, name: str) -> Item:
        return self._items_by_name()[self.aliases.get(name, name)]

    def region(self, name: str) -> Region:
        return {r.name: r for r in self.regions}[name]

    def _items_by_name(self) -> dict[str, Item]:
        # memoised on the list's identity and length: national plans look items up hundreds of thousands of times
        memo = self.__dict__.get("_item_memo")
        if memo is None or memo[0] is not self.items or memo[1] != len(self.items):
            memo = (self.items, len(self.items), {i.name: i for i in self.items})
            self.__dict__["_item_memo"] = memo
        return memo[2]

    @property
    def matrix_regions(self) -> list[Region]:
        """Regions whose capabilities are named item by item (the six counties in Nantong)."""
        named = {r for r, _ in self.matrix}
        return [r for r in self.regions if r.name in named]

    def state(self, region: str, item: str) -> Cap:
        """The matrix state of a region's item (LACKS when the matrix does not say)."""
        return self.matrix.get((region, item), Cap.LACKS)

    def has(self, region: str, item: str) -> bool:
        return self.matrix.get((region, item)) == Cap.HAS

    def tier(self, key: str) -> Tier:
        """A tier by its key or name."""
        return next(t for t in self.tiers if key in (t.key, t.name))

    def items_of(self, tier: Tier) -> list[Item]:
        return [i for i in self.items if i.tier == tier]

    def tier_deadline(self, tier: Tier) -> date | None:
        """The tier's own deadline, else the latest deadline of its items."""
        return tier.deadline or max((i.deadline for i in self.items_of(tier)), default=None)

    def gaps(self) -> list[tuple[str, str]]:
        """(region, item) pairs a region must build or upgrade, in workbook order (regions, then items)."""
        region_order = {r.name: n for n, r in enumerate(self.regions)}
        item_order = {i.name: n for n, i in enumerate(self.items)}
        open_ = [k for k, cap in self.matrix.items() if cap in (Cap.LACKS, Cap.UPGRADE) and k[1] in item_order
                 and k[0] in region_order]
        return sorted(open_, key=lambda k: (region_order[k[0]], item_order[k[1]]))

    def ancestors(self, region: str) -> list[str]:
        """The regions above ``region``, nearest first (cycles are rejected when reading)."""
        parent = {r.name: r.parent for r in self.regions}
        out: list[str] = []
        node = parent.get(region, "")
        while node and node not in out and node != region:
            out.append(node)
            node = parent.get(node, "")
        return out

    def subtree(self, region: str) -> list[str]:
        """``region`` and every region below it, in workbook order."""
        return [r.name for r in self.regions if r.name == region or region in self.ancestors(r.name)]


class Objective(StrEnum):
    """What a plan optimises after the fewest missed gaps and the least lateness (``planner.model.objective``)."""

    EARLIEST = "earliest"  # close gaps as early as possible, then least cost
    CHEAPEST = "cheapest"  # least cost: the cheapest plan that meets the deadlines


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
    objective: Objective = Objective.EARLIEST
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

    @property
    def code(self) -> int:
        """The mode as a small integer, for numpy arrays of per-gap choices (``PartResult.mode``): its place in
        the enum (built 0, shared 1, unbuilt 2)."""
        return _MODE_CODES[self]

    @staticmethod
    def of_code(code: int) -> GapMode:
        """The mode a ``code`` stands for."""
        return _MODES[int(code)]


_MODES = tuple(GapMode)
_MODE_CODES = {mode: n for n, mode in enumerate(_MODES)}


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
    late_quarters: int | None  # 0 when on time; quarters past the deadline quarter; None when shared or unbuilt
    actual_date: date | None = None
    upgrade: bool = False  # an existing standard upgraded (需升级), not a new one built


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
    tier: Tier | None  # None: not one tier's (the city's assessment capacity)
    deadline: date
    shortfall_wan: float
    zh: str
    en: str


@dataclass(frozen=True)
class TargetStatus:
    """One row of a target's result: the whole scope, or one region (逐个地区)."""

    region: str | None
    reached: int  # items covered (coverage) or standards built (count) by the target's date
    required: int
    total: int  # coverage: the applicable items (the share's denominator); count: the target's number

    @property
    def met(self) -> bool:
        return self.reached >= self.required


@dataclass(frozen=True)
class TargetResult:
    """Whether a plan meets a target, by how much it falls short, and what it would take."""

    target: Target
    hard: bool
    rows: tuple[TargetStatus, ...] = ()
    left_out: tuple[str, ...] = ()  # regions of the scope without a matrix row (not counted)
    zh: str = ""  # what it would take, when missed
    en: str = ""
    extra_wan: float | None = None  # least extra money that would meet it (None: not computed / money can't)

    @property
    def countable(self) -> bool:
        """False when no region of the scope has a matrix row: nothing to count (``left_out`` names them)."""
        return bool(self.rows)

    @property
    def met(self) -> bool:
        return self.countable and all(r.met for r in self.rows)

    @property
    def shortfall(self) -> int:
        return sum(max(0, r.required - r.reached) for r in self.rows)


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
    targets: list[TargetResult] = field(default_factory=list)
    message: str = ""
    mip_gap: float | None = None
    seconds: float = 0.0

    @property
    def has_solution(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def total_cost_wan(self) -> float:
        return sum(s.spent_wan for s in self.spending)

    def choices(self) -> dict[tuple[str, str], Quarter | GapMode]:
        """Each planned gap's start quarter, or its mode when not built (shared, unbuilt): the form
        ``planner.model.objective`` scores and compares plans in. Gaps done before the start are not the plan's."""
        return {(s.region, s.item): s.start_quarter or s.mode for s in self.schedule
                if s.mode not in (GapMode.DONE, GapMode.UNSCHEDULABLE)}
