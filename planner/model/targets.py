"""What each target of the 目标 sheet asks, written once as rows over the gaps: used by the model (its target
families) and by the report of a plan (met / missed, by how much).

A target row says: "``constant`` + the number of ``cells`` covered by quarter ``by`` >= ``need``". A cell is
covered when any of its gaps comes online by ``by``.

- **Coverage** (覆盖率): the catalogue items applicable to a region (not 不适用; only the target's tier when it
  names one); a cell per item the region does not already have (已具备 counts in ``constant``, as does an actual
  completion before the plan start dated by the target's date); the cell's gaps are the region's own gap for the
  item and, when 上级可计入, the gaps of the regions above it. ``need`` = ceil(share x applicable items). One
  row for the whole scope, or one per region with 逐个地区.
- **Count** (数量): every gap of the scope's regions (built new or upgraded), a cell each; actual completions before
  the plan start dated by the target's date count in ``constant``. ``need`` = the count.
- **Deadline** (层级期限): every item of the tier applicable to a region of the scope (not 不适用) configured by the
  target's date; a row per region (``need`` = every cell: all of them, so one row per region says the same as one
  over the scope and keeps the counties apart), 已具备 and completions before the plan start dated by the
  target's date in ``constant``, a cell per open gap. Hard or soft like any target row (a soft one's shortfall
  is minimised first, with the other soft targets). Besides, the target brings the deadline of its gaps forward
  to its date when that is earlier (``deadlines``: missed gaps and lateness are measured against it) — when
  the target is hard, or when the scenario's deadlines are soft; a soft target in hard mode does not, as it
  would turn into a hard deadline.

Regions without a matrix row (counts only, like Nantong's city) cannot be counted: they are left out and named.
A target none of whose regions has a matrix row gives no row at all: it is reported "not countable"
(``countable_regions`` is empty), never met or missed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

from planner.domain import Cap, Dataset, DeadlineMode, Scenario, Target, TargetKind
from planner.quarters import Quarter

GapKey = tuple[str, str]  # (region, item)


@dataclass(frozen=True)
class TargetRow:
    """One constraint of a coverage, count or deadline target (the whole scope, or one region of it)."""

    target: str  # the target's 编号
    kind: TargetKind
    region: str | None  # the region of a per-region row; None for the whole scope
    by: Quarter  # the quarter holding the target's date: online by its end counts
    need: int  # covered cells (or standards) required, beyond ``constant``
    required: int  # the figure the target asks for (need + constant before subtracting)
    constant: int  # already covered: 已具备, or completed before the plan start
    total: int  # coverage: applicable items; count: the target's number
    cells: tuple[tuple[GapKey, ...], ...]  # each: the gaps that would cover it
    hard: bool
    regions: tuple[str, ...] = ()  # every region whose gaps appear (they are solved together)
    left_out: tuple[str, ...] = ()  # regions of the scope without a matrix row
    # a hard deadline target's row under hard deadlines: its cells' deadlines are at most its date, so the
    # deadline family already holds it; the model leaves it out (a redundant row slows HiGHS 2-3x on a filled
    # Nantong template), the report and the unreachable check still read it
    implied: bool = False

    @property
    def possible(self) -> int:
        """The most this row can reach: every cell covered."""
        return self.constant + len(self.cells)


@dataclass
class TargetRows:
    rows: list[TargetRow] = field(default_factory=list)
    deadlines: dict[GapKey, date] = field(default_factory=dict)  # gaps whose deadline a target brings forward


def is_hard(target: Target, scenario: Scenario) -> bool:
    """A target's 硬/软 setting; blank: as the scenario's deadlines."""
    return scenario.deadline_mode == DeadlineMode.HARD if target.hard is None else target.hard


def countable_regions(dataset: Dataset, target: Target) -> tuple[list[str], tuple[str, ...]]:
    """(the regions of a target's scope that have a matrix row, those that do not: left out and named)."""
    named = {r for r, _ in dataset.matrix}
    regions = scope_regions(dataset, target)
    return [r for r in regions if r in named], tuple(r for r in regions if r not in named)


def scope_regions(dataset: Dataset, target: Target) -> list[str]:
    """The regions a target covers: its scope and every region below it, of the target's level if it names one."""
    level = {r.name: r.level for r in dataset.regions}
    return [r for r in dataset.subtree(target.scope) if target.level is None or level.get(r) == target.level]


def target_rows(dataset: Dataset, scenario: Scenario, gaps: set[GapKey],
                done: dict[GapKey, date]) -> TargetRows:
    """Every target of the dataset as rows over ``gaps`` (the plan's open gaps); ``done``: gaps an actual date
    closed before the plan start."""
    out = TargetRows()
    soft_mode = scenario.deadline_mode == DeadlineMode.SOFT
    for target in dataset.targets:
        counted, left_out = countable_regions(dataset, target)
        if not counted:  # nothing in scope can be counted: no row (reported "not countable", never met)
            continue
        items = [i for i in dataset.items if target.tier is None or i.tier == target.tier]
        hard = is_hard(target, scenario)
        by = Quarter.of(target.by)
        if target.kind == TargetKind.DEADLINE:
            # a soft target in hard mode must not become a hard deadline: its gaps keep their own dates
            moves = hard or soft_mode
            for region in counted:
                constant, total, cells = 0, 0, []
                for item in items:
                    if dataset.state(region, item.name) == Cap.NA:
                        continue
                    total += 1
                    key = (region, item.name)
                    if _covered_at_start(dataset, key, done, target.by):
                        constant += 1
                    elif key in gaps:
                        cells.append((key,))
                        if moves and target.by < item.deadline:
                            out.deadlines[key] = min(target.by, out.deadlines.get(key, target.by))
                    # else: completed before the plan start but after the target's date: never counts
                row = _row(target, region, by, total, constant, total, tuple(cells), hard, left_out)
                out.rows.append(replace(row, implied=hard and not soft_mode))
            continue
        if target.kind == TargetKind.COUNT:
            cells = tuple((key,) for key in sorted(gaps) if key[0] in counted and _in_tier(dataset, key, target))
            constant = sum(1 for key, when in done.items()
                           if key[0] in counted and when <= target.by and _in_tier(dataset, key, target))
            required = int(target.count or 0)
            out.rows.append(_row(target, None, by, required, constant, required, cells, hard, left_out))
            continue
        per_region = [[r] for r in counted] if target.per_region else [counted]
        for group in per_region:
            constant, total, cells = 0, 0, []
            for region in group:
                above = dataset.ancestors(region) if target.include_higher else []
                for item in items:
                    if dataset.state(region, item.name) == Cap.NA:
                        continue
                    total += 1
                    chain = [region] + above
                    if any(_covered_at_start(dataset, (r, item.name), done, target.by) for r in chain):
                        constant += 1
                        continue
                    keys = tuple((r, item.name) for r in chain if (r, item.name) in gaps)
                    if keys:
                        cells.append(keys)
            if target.per_region and total == 0:  # nothing applies there (every item 不适用): no 0/0 row
                continue
            required = math.ceil((target.share or 0.0) * total - 1e-9)
            out.rows.append(_row(target, group[0] if target.per_region else None, by, required, constant, total,
                                 tuple(cells), hard, left_out))
    return out


def _row(target: Target, region: str | None, by: Quarter, required: int, constant: int, total: int,
         cells: tuple[tuple[GapKey, ...], ...], hard: bool, left_out: tuple[str, ...]) -> TargetRow:
    regions = tuple(dict.fromkeys(r for cell in cells for r, _ in cell))
    return TargetRow(target.id, target.kind, region, by, max(0, required - constant), required, constant, total,
                     cells, hard, regions, left_out)


def _in_tier(dataset: Dataset, key: GapKey, target: Target) -> bool:
    return target.tier is None or dataset.item(key[1]).tier == target.tier


def _covered_at_start(dataset: Dataset, key: GapKey, done: dict[GapKey, date], by: date) -> bool:
    """Had at the plan start: 已具备, or completed (actual date) before the start and by the target's date."""
    return dataset.state(*key) == Cap.HAS or (key in done and done[key] <= by)


def reached(row: TargetRow, online: dict[GapKey, Quarter]) -> int:
    """What a plan reaches on a row: ``constant`` + cells with a gap online by the row's quarter."""
    return row.constant + sum(1 for cell in row.cells if any(k in online and online[k] <= row.by for k in cell))
