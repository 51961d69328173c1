"""The Nantong workbook and scenarios give the same plans as before the hierarchy, tiers-as-data and targets
were added (issue 12): tests/golden/nantong_plans.json holds the plans of the last landed engine (commit 344aa50).

Two items with equal costs, lead time, deadline and priority are interchangeable in every objective, so a plan
may swap them: the comparison is per region, over each gap's signature (those figures), mode and start."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from planner.domain import GapMode
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.quarters import Quarter

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = json.loads((ROOT / "tests" / "golden" / "nantong_plans.json").read_text(encoding="utf-8"))
SCENARIOS = sorted(k for k in GOLDEN if not k.startswith("_"))


def _signature(items: dict, rows) -> Counter:
    """Per region: each gap's costs, lead time, priority, mode, start and quarters late (a deadline only
    matters through lateness: two on-time gaps of equal cost may swap their starts)."""
    out: Counter = Counter()
    for region, name, mode, start in rows:
        i = items[name]
        late = None
        if start is not None:
            online = Quarter.parse(start).index + i.lead_quarters
            late = max(0, online - Quarter.of(i.deadline).index)
        out[(region, i.capex_wan, i.opex_wan, i.lead_quarters, i.priority, mode, start, late)] += 1
    return out


def test_the_golden_file_covers_every_shipped_nantong_scenario() -> None:
    assert SCENARIOS == sorted(p.stem for p in (ROOT / "scenarios").glob("nantong_*.toml"))


@pytest.mark.parametrize("name", SCENARIOS)
def test_same_plan_as_before(name: str) -> None:
    sc = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    ds = load_workbook(sc.workbook)
    plan = solve(ds, sc)
    before = GOLDEN[name]
    assert plan.status.value == before["status"]
    assert plan.total_cost_wan == pytest.approx(before["cost"], abs=1e-3)
    now = [[g.region, g.item, g.mode.value, g.start_quarter.label if g.start_quarter else None]
           for g in plan.schedule]
    assert len(now) == len(before["schedule"])
    items = {i.name: i for i in ds.items}
    assert _signature(items, now) == _signature(items, before["schedule"])
    assert sum(g.mode == GapMode.BUILT for g in plan.schedule) == sum(r[2] == "built" for r in before["schedule"])
