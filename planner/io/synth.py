"""Synthetic instances: a province of N counties grouped into cities, M items in tiers, T quarters — seeded and
reproducible, for benchmarks and demonstrations. Never presented as data: every sheet says 合成数据.

Rules (stated in the 说明 and 来源 sheets of every workbook written):
- items: the Nantong workbook's items taken in turn (item k is Nantong item k mod 22, renamed 合成项目k); capex
  = that item's capex x U(0.7, 1.3), opex = 8 % of capex x U(0.8, 1.2), lead time as the Nantong item;
- tiers: the first 60 % of items due at the end of the first plan year, the rest at the end of the second;
- the matrix: each county lacks each item with probability ``gap_density``, else has it;
- budgets per county-year: ``budget_factor`` x (capex of the county's gaps) / 2 + 10 万元.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from planner.domain import (
    Assumption,
    Cap,
    Dataset,
    DeadlineMode,
    Item,
    Level,
    Region,
    Scenario,
    Source,
    Tier,
)
from planner.quarters import Quarter

SYNTHETIC = "合成数据"
NANTONG = Path(__file__).resolve().parents[2] / "data" / "nantong_capabilities.xlsx"


@dataclass(frozen=True)
class SynthSpec:
    counties: int = 100
    items: int = 60
    quarters: int = 12
    gap_density: float = 0.4
    budget_factor: float = 2.0
    seed: int = 0
    counties_per_city: int = 10
    start: Quarter = Quarter(2024, 1)

    def rules(self) -> list[str]:
        return [
            f"{SYNTHETIC}（synthetic）：{self.counties} 个县、{self.items} 个项目、{self.quarters} 个季度，"
            f"缺口密度 {self.gap_density:g}，预算系数 {self.budget_factor:g}，随机种子 {self.seed}。"
            "不是任何地区的真实数据。",
            "项目：依次取南通工作簿的项目（第 k 项对应南通第 k mod 22 项），建设投资 × U(0.7, 1.3)，"
            "年运行费 = 建设投资 × 8% × U(0.8, 1.2)，建设周期同南通项目。",
            "层级：前 60% 的项目为「基本」，截止于规划第一年年末；其余为「提升」，截止于第二年年末。",
            "能力矩阵：每县每项以缺口密度的概率为「缺失」，否则「已具备」。",
            f"预算：每县每年 = {self.budget_factor:g} × 该县缺口建设投资之和 / 2 + 10 万元。",
        ]


def _reference_items() -> list[Item]:
    from planner.io.workbook import load_workbook

    return load_workbook(NANTONG).items


def synthetic_dataset(spec: SynthSpec, reference: list[Item] | None = None) -> Dataset:
    """A synthetic province built by the rules above (same ``spec`` and seed: the same dataset)."""
    rng = random.Random(spec.seed)
    reference = reference or _reference_items()
    first_year = spec.start.year
    tiers = [Tier("basic", "基本", date(first_year, 12, 31), "basic"),
             Tier("upgraded", "提升", date(first_year + 1, 12, 31), "upgraded")]
    items = []
    for k in range(spec.items):
        base = reference[k % len(reference)]
        tier = tiers[0] if k < 0.6 * spec.items else tiers[1]
        capex = round(base.capex_wan * rng.uniform(0.7, 1.3), 1)
        items.append(Item(f"S{k + 1:03d}", f"合成项目{k + 1:03d}", tier, tier.deadline, capex,
                          round(capex * 0.08 * rng.uniform(0.8, 1.2), 2), base.lead_quarters,
                          note=f"{SYNTHETIC}：参照南通「{base.name}」"))
    regions = [Region("P", "合成省", Level.PROVINCE, SYNTHETIC)]
    n_cities = -(-spec.counties // spec.counties_per_city)
    regions += [Region(f"C{c + 1:03d}", f"合成市{c + 1:03d}", Level.CITY, SYNTHETIC, "合成省") for c in range(n_cities)]
    matrix: dict[tuple[str, str], Cap] = {}
    budgets: dict[tuple[str, int], float] = {}
    last_year = (spec.start + (spec.quarters - 1)).year
    for n in range(spec.counties):
        name = f"合成县{n + 1:04d}"
        regions.append(Region(f"X{n + 1:04d}", name, Level.COUNTY, SYNTHETIC,
                              f"合成市{n // spec.counties_per_city + 1:03d}"))
        need = 0.0
        for item in items:
            lacks = rng.random() < spec.gap_density
            matrix[(name, item.name)] = Cap.LACKS if lacks else Cap.HAS
            need += item.capex_wan if lacks else 0.0
        for year in range(first_year, last_year + 1):
            budgets[(name, year)] = round(spec.budget_factor * need / 2 + 10, 2)
    return Dataset(items, regions, matrix, budgets=budgets, tiers=tiers,
                   assumptions=[Assumption(f"rule_{n}", "", SYNTHETIC, text) for n, text in enumerate(spec.rules())],
                   sources=[Source("SYN", f"{SYNTHETIC}（synthetic, seed {spec.seed}）", "planner synth",
                                   "由 planner.io.synth 按说明中的规则生成，仅供测试与演示")])


def synthetic_scenario(spec: SynthSpec, workbook: Path, deadline_mode: DeadlineMode = DeadlineMode.HARD) -> Scenario:
    return Scenario(name=f"synthetic_{spec.counties}x{spec.items}x{spec.quarters}_f{spec.budget_factor:g}",
                    workbook=workbook, start=spec.start, horizon_end=spec.start + (spec.quarters - 1),
                    deadline_mode=deadline_mode, description=f"{SYNTHETIC}（synthetic）", time_limit_s=600)


def write_synthetic(spec: SynthSpec, out: Path) -> Path:
    """Write the synthetic workbook (the normal input format, with a 说明 sheet stating the rules)."""
    from planner.io.excel import dataset_workbook

    dataset = synthetic_dataset(spec)
    dataset_workbook(dataset, readme=spec.rules()).save(out)
    return out


def with_budget_factor(dataset: Dataset, spec: SynthSpec, factor: float) -> Dataset:
    """The same synthetic counties with budgets by another factor (no need to redraw the matrix)."""
    scale = {}
    for (region, year), amount in dataset.budgets.items():
        need = (amount - 10) * 2 / spec.budget_factor
        scale[(region, year)] = round(factor * need / 2 + 10, 2)
    return replace(dataset, budgets=scale)
