"""Roll-up rows and focused solves over a region hierarchy (planner.analysis.focus): where a "（合计）" row goes,
that its sums are the engine's own roll-ups, and when a region in focus may be solved on its own data."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.analysis.focus import rollup_order, rollup_parents, rollup_sums, scope, separable
from planner.analysis.rollup import rollup_compliance
from planner.domain import Target, TargetKind
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve


@pytest.fixture(scope="module")
def demo(repo_root):
    ds = load_workbook(repo_root / "data" / "demo_province.xlsx")
    return ds, solve(ds, load_scenario(repo_root / "scenarios" / "demo_province.toml"))


def test_a_roll_up_row_follows_the_regions_below_it(demo, nantong) -> None:
    ds, _ = demo
    order = rollup_order(ds)
    assert order[order.index("示例甲五县") + 1] == "示例甲市（合计）"
    assert order[order.index("示例乙四区") + 1:] == ["示例乙市（合计）", "示例省（合计）"]
    assert len(order) == len(ds.regions) + 3
    city = rollup_order(ds, scope(ds, "示例乙市"))  # only the roll-ups of the region in focus and below
    assert [n for n in city if n.endswith("（合计）")] == ["示例乙市（合计）"]
    assert rollup_parents(ds, scope(ds, "示例乙三县")) == []
    assert rollup_order(nantong) == [r.name for r in nantong.regions]  # flat: nothing added


def test_summed_counts_are_the_engines_roll_ups(demo) -> None:
    ds, plan = demo
    for tier in ds.tiers:
        rows = [c for c in plan.compliance if c.tier == tier]
        values = {c.region: {"required": c.required, "on_time": c.on_time, "unbuilt": c.unbuilt} for c in rows}
        engine = {c.region: (c.required, c.on_time, c.unbuilt) for c in rollup_compliance(ds, rows)}
        mine = {k: (v["required"], v["on_time"], v["unbuilt"]) for k, v in rollup_sums(ds, values).items()}
        assert mine == engine and set(mine) == {"示例省（合计）", "示例甲市（合计）", "示例乙市（合计）"}
    city = rollup_sums(ds, {"示例乙一县": {"n": 2}, "示例乙二县": {"n": 3}, "示例甲一县": {"n": 7}},
                       scope(ds, "示例乙市"))
    assert city == {"示例乙市（合计）": {"n": 5}}


def test_a_region_is_solved_alone_only_when_no_wider_target_reaches_it(demo, nantong) -> None:
    ds, _ = demo
    assert separable(nantong, ["通州"]) and not separable(nantong, None)
    assert not separable(ds, scope(ds, "示例乙三县"))  # DM-2 (province) and DM-3 (its city) reach it
    assert not separable(ds, scope(ds, "示例甲市"))  # DM-2 is the province's
    assert separable(ds, scope(ds, "示例省"))
    per_region = Target("X-1", TargetKind.COVERAGE, "示例乙市", ds.targets[0].by, share=0.5, per_region=True)
    only = replace(ds, targets=[per_region])
    assert not separable(only, ["示例乙三县"]) and separable(only, scope(only, "示例乙市"))
