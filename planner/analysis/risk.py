"""Cost uncertainty: how likely each county is to meet each deadline when the assumed costs are off.

Distribution (stated wherever results are shown): each sample multiplies every item's capex, yearly opex
and upgrade cost by factors drawn independently and uniformly from [1 - spread, 1 + spread] — one factor
per item and cost kind, the same in every county (a standard's price is a market price, not a county's).
Samples are seeded: the same seed gives the same draws and the same answer.

Each sample is planned in soft mode (a county that cannot make a deadline still gets its best plan), all
samples in one batch through the executor. Per county and tier: the probability that every gap of the tier
is on time, and the 10 / 50 / 90 % quantiles of what the county spends on that tier over the horizon.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from planner.domain import Dataset, DeadlineMode, GapMode, Scenario, Tier
from planner.model.solve import solve_many

DISTRIBUTION = "uniform"


@dataclass(frozen=True)
class RiskRow:
    region: str
    tier: Tier
    gaps: int
    p_meet: float  # share of solved samples in which every gap of the tier is on time
    spend_p10: float
    spend_p50: float
    spend_p90: float


@dataclass
class RiskReport:
    samples: int
    spread: float
    seed: int
    solved: int  # samples with a plan (a sample stopped by the time limit without one is left out)
    rows: list[RiskRow] = field(default_factory=list)
    distribution: str = DISTRIBUTION

    @property
    def description_zh(self) -> str:
        return (f"{self.samples} 个样本（随机种子 {self.seed}），每个项目的建设投资、年运行费、升级投资各乘以"
                f" [{1 - self.spread:g}, {1 + self.spread:g}] 上均匀分布的独立系数（各县相同）；按软截止求解。")

    @property
    def description_en(self) -> str:
        return (f"{self.samples} samples (seed {self.seed}); every item's capex, yearly opex and upgrade cost "
                f"multiplied by independent factors uniform on [{1 - self.spread:g}, {1 + self.spread:g}] (the same "
                "in every county); solved with soft deadlines.")


def cost_samples(dataset: Dataset, samples: int, spread: float, seed: int = 0) -> list[Dataset]:
    """``samples`` copies of the dataset with every item's costs scaled by seeded uniform factors."""
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1)")
    rng = random.Random(seed)
    out = []
    for _ in range(samples):
        items = []
        for item in dataset.items:
            capex, opex, upgrade = (rng.uniform(1 - spread, 1 + spread) for _ in range(3))
            items.append(replace(item, capex_wan=item.capex_wan * capex, opex_wan=item.opex_wan * opex,
                                 upgrade_capex_wan=None if item.upgrade_capex_wan is None
                                 else item.upgrade_capex_wan * upgrade))
        out.append(replace(dataset, items=items))
    return out


def risk(dataset: Dataset, scenario: Scenario, samples: int = 100, spread: float = 0.3, seed: int = 0,
         executor=None) -> RiskReport:
    """Solve every cost sample; per county and tier, P(deadline met) and spending quantiles."""
    soft = replace(scenario, deadline_mode=DeadlineMode.SOFT)
    drawn = cost_samples(dataset, samples, spread, seed)
    plans = solve_many([(ds, soft) for ds in drawn], executor)
    met: dict[tuple[str, str], list[bool]] = defaultdict(list)
    spent: dict[tuple[str, str], list[float]] = defaultdict(list)
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    tiers = {t.key: t for t in dataset.tiers}
    solved = 0
    for ds, plan in zip(drawn, plans, strict=True):
        if not plan.has_solution:
            continue
        solved += 1
        by_item = {i.name: i for i in ds.items}
        first = plan.scenario.start
        totals: dict[tuple[str, str], float] = defaultdict(float)
        ok: dict[tuple[str, str], bool] = {}
        for gap in plan.schedule:
            if gap.mode == GapMode.DONE:
                continue
            key = (gap.region, gap.tier.key)
            ok[key] = ok.get(key, True) and gap.on_time
            item = by_item[gap.item]
            if gap.mode == GapMode.BUILT and gap.online_quarter is not None:
                online = max(0, plan.scenario.horizon_end - gap.online_quarter + 1)
                totals[key] += gap.capex_wan + item.opex_wan / 4 * online
            elif gap.mode == GapMode.SHARED:
                totals[key] += item.service_fee_wan / 4 * (plan.scenario.horizon_end - first + 1)
        for key, value in ok.items():
            met[key].append(value)
            spent[key].append(totals.get(key, 0.0))
            if solved == 1:
                sizes[key] = sum(1 for g in plan.schedule if (g.region, g.tier.key) == key and g.mode != GapMode.DONE)
    for region in dataset.matrix_regions:  # a county with nothing left to build in a tier meets it for sure
        for tier in dataset.tiers:
            if (region.name, tier.key) not in met and solved:
                met[(region.name, tier.key)] = [True] * solved
                spent[(region.name, tier.key)] = [0.0] * solved
    order = {r.name: n for n, r in enumerate(dataset.regions)}
    tier_order = {t.key: n for n, t in enumerate(dataset.tiers)}
    rows = []
    for (region, tier_key), values in sorted(met.items(), key=lambda kv: (order.get(kv[0][0], 0),
                                                                           tier_order.get(kv[0][1], 0))):
        q10, q50, q90 = np.quantile(np.array(spent[(region, tier_key)]), [0.1, 0.5, 0.9])
        rows.append(RiskRow(region, tiers[tier_key], sizes[(region, tier_key)], sum(values) / len(values),
                            round(float(q10), 2), round(float(q50), 2), round(float(q90), 2)))
    return RiskReport(samples, spread, seed, solved, rows)
