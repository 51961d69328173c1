"""The engine's own guarantees: exactness fixes checked by brute force, executors that agree with a serial solve
(process pool and a Dask LocalCluster), the cache that re-solves only what changed, the objective switch, cost
risk and synthetic instances."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from planner.analysis.frontier import frontier
from planner.analysis.min_budget import min_budget, round_up
from planner.analysis.risk import cost_samples, risk
from planner.domain import (
    BASIC,
    Cap,
    Dataset,
    DeadlineMode,
    GapMode,
    Item,
    Level,
    Objective,
    Options,
    Region,
    Scenario,
    ShareGroup,
    SolveStatus,
)
from planner.io.scenario import load_scenario
from planner.io.synth import SynthSpec, synthetic_dataset, write_synthetic
from planner.model import part as part_module
from planner.model.instance import Instance
from planner.model.part import clear_cache
from planner.model.solve import solve
from planner.parallel import DaskExecutor, ProcessExecutor, SerialExecutor, batches, unbatch
from planner.quarters import Quarter, quarter_range

REPO = Path(__file__).resolve().parent.parent
START, END = Quarter(2024, 3), Quarter(2025, 2)


def one_county(items: list[Item], budgets: dict[int, float], groups: list[ShareGroup] = ()) -> Dataset:
    return Dataset(items=items, regions=[Region("r", "甲县", Level.COUNTY)],
                   matrix={("甲县", i.name): Cap.LACKS for i in items},
                   budgets={("甲县", y): b for y, b in budgets.items()}, share_groups=list(groups))


def scenario(mode: DeadlineMode = DeadlineMode.HARD, **kw) -> Scenario:
    return Scenario(name="t", workbook=Path("unused.xlsx"), start=START, horizon_end=END, deadline_mode=mode,
                    time_limit_s=30, **kw)


def schedules(dataset: Dataset, sc: Scenario):
    """Every hard schedule (each gap on time), as {item: start quarter}."""
    quarters = quarter_range(sc.start, sc.horizon_end)
    options = []
    for item in dataset.items:
        options.append([q for q in quarters if q.index + item.lead_quarters <= item.deadline_quarter.index])
    for picks in itertools.product(*options):
        yield dict(zip([i.name for i in dataset.items], picks, strict=True))


def spending(dataset: Dataset, sc: Scenario, starts: dict[str, Quarter]) -> dict[int, float]:
    """Spending per year of a schedule, share-group savings included (independent of the engine)."""
    items = {i.name: i for i in dataset.items}
    out = {y: 0.0 for y in range(sc.start.year, sc.horizon_end.year + 1)}
    for name, q in starts.items():
        item = items[name]
        out[q.year] += item.capex_wan
        for later in quarter_range(q + item.lead_quarters, sc.horizon_end):
            out[later.year] += item.opex_wan / 4
    if sc.options.share_discount:
        for group in dataset.share_groups:
            for q in set(starts.values()):
                if sum(1 for n in group.items if starts.get(n) == q) >= 2:
                    out[q.year] -= group.saving_wan
    return out


# ------------------------------------------------------------------------------------- exactness (a)

THREE = [
    Item("A", "甲项", BASIC, date(2024, 12, 31), capex_wan=10, opex_wan=4, lead_quarters=0),
    Item("B", "乙项", BASIC, date(2024, 12, 31), capex_wan=20, opex_wan=2, lead_quarters=1),
    Item("C", "丙项", BASIC, date(2025, 3, 31), capex_wan=30, opex_wan=8, lead_quarters=2),
]


@pytest.mark.parametrize("budget_2024, feasible", [(55.0, True), (54.4, False)])
def test_share_group_savings_count_in_the_yearly_budget(budget_2024, feasible):
    """A and B starting together save 8: the plan fits 55 only with that saving (54.5), and not 54.4."""
    dataset = one_county(THREE, {2024: budget_2024, 2025: 10.0}, [ShareGroup("组", ("甲项", "乙项"), 8.0)])
    sc = scenario(options=Options(share_discount=True))
    brute = [s for s in schedules(dataset, sc) if all(v <= b + 1e-9 for v, b in
                                                       zip(spending(dataset, sc, s).values(), (budget_2024, 10.0),
                                                           strict=True))]
    plan = solve(dataset, sc)
    assert bool(brute) == feasible
    if not feasible:
        assert plan.status == SolveStatus.INFEASIBLE and plan.shortfalls
        return
    assert plan.status == SolveStatus.OPTIMAL
    starts = {s.item: s.start_quarter for s in plan.schedule}
    assert starts["甲项"] == starts["乙项"] == Quarter(2024, 3)
    spent = {s.year: s.spent_wan for s in plan.spending}
    assert spent[2024] == pytest.approx(54.5) and spent[2024] == pytest.approx(spending(dataset, sc, starts)[2024])


# ------------------------------------------------------------------------------------- exactness (b)

THIRDS = [
    Item("A", "甲项", BASIC, date(2024, 12, 31), capex_wan=10, opex_wan=4 / 3, lead_quarters=0),
    Item("B", "乙项", BASIC, date(2025, 3, 31), capex_wan=20.193, opex_wan=2 / 3, lead_quarters=1),
    Item("C", "丙项", BASIC, date(2025, 6, 30), capex_wan=30.0866, opex_wan=8 / 3, lead_quarters=1),
]


def test_min_budget_is_rounded_up_and_suffices_when_fed_back():
    dataset = one_county(THIRDS, {2024: 1.0, 2025: 1.0})
    sc = scenario()
    profiles = [spending(dataset, sc, s) for s in schedules(dataset, sc)]
    true_flat = min(max(p.values()) for p in profiles)
    true_total = min(sum(p.values()) for p in profiles)
    result = min_budget(dataset, sc)
    flat = result.per_region["甲县"]
    assert flat == round_up(true_flat) and flat >= true_flat and flat - true_flat < 0.01 + 1e-9
    assert round(true_flat, 2) < true_flat  # the case where rounding to the nearest cent would fall short
    fed = solve(dataset, replace(sc, budget_overrides={("甲县", 0): flat}))
    assert fed.status == SolveStatus.OPTIMAL
    below = solve(dataset, replace(sc, budget_overrides={("甲县", 0): flat - 0.01}))
    assert below.status == SolveStatus.INFEASIBLE
    per_year = {y: result.per_year[("甲县", y)] for y in (2024, 2025)}
    assert sum(per_year.values()) >= true_total - 1e-9 and sum(per_year.values()) - true_total < 0.02 + 1e-9
    assert solve(dataset, replace(sc, budget_overrides={("甲县", y): v for y, v in per_year.items()})
                 ).status == SolveStatus.OPTIMAL


def test_min_budget_per_year_on_nantong_meets_both_deadlines(nantong):
    sc = load_scenario(REPO / "scenarios" / "nantong_baseline.toml")
    result = min_budget(nantong, sc)
    assert result.status == SolveStatus.OPTIMAL and not result.unreachable
    fed = solve(nantong, replace(sc, budget_overrides=dict(result.per_year)))
    assert fed.status == SolveStatus.OPTIMAL and all(s.on_time for s in fed.schedule)
    assert result.per_year_total_wan <= result.total_wan * len(range(2023, 2028)) + 1e-6  # yearly never above flat


# ------------------------------------------------------------------------------------- exactness (c)

def test_a_failed_frontier_point_is_marked_not_counted(nantong, monkeypatch):
    """Every solve stops at its limit without a plan of its own: the point keeps the only plan known (building
    nothing, soft mode), unproven, and is not counted as a point of the frontier."""
    from planner.model import backend
    from planner.model import part as part_module
    from planner.model.backend import Solution

    monkeypatch.setattr(backend._Highs, "run", lambda self, *a, **k: (SolveStatus.TIME_LIMIT, None, 0.0, None))
    monkeypatch.setattr(part_module, "solve_blocks", lambda *a, **k: Solution(SolveStatus.TIME_LIMIT, None, []))
    sc = load_scenario(REPO / "scenarios" / "nantong_baseline.toml")
    clear_cache()
    points = frontier(nantong, sc, [0.5])
    assert points[0].status == SolveStatus.FEASIBLE and points[0].failed and points[0].on_time_share is None
    clear_cache()


# ------------------------------------------------------------------------------------- objective switch

def test_cheapest_costs_less_and_earliest_closes_sooner(nantong):
    from planner.model import objective as obj

    sc = load_scenario(REPO / "scenarios" / "nantong_baseline.toml")
    earliest, cheapest = (solve(nantong, replace(sc, objective=o)) for o in (Objective.EARLIEST, Objective.CHEAPEST))
    inst = Instance.from_dataset(nantong, sc)
    open_q = [obj.open_quarters(inst, {(s.region, s.item): s.start_quarter for s in p.schedule})
              for p in (earliest, cheapest)]
    assert all(s.on_time for p in (earliest, cheapest) for s in p.schedule)
    assert earliest.total_cost_wan - cheapest.total_cost_wan > 40  # 2,240.9 vs 2,195.75 at the assumed costs
    assert open_q[1] - open_q[0] > 100  # 265 vs 432 gap-quarters


def test_idle_starts_leave_the_fewest_missed_gaps_unchanged(nantong):
    """Late starts, and on-time starts with a later on-time start in the same year, are held at zero while the
    missed gaps are counted: on every county of the shipped tight scenario at three budget levels the count is
    the same as over every start (and each county's full plan is the same as without the idle columns)."""
    from planner.analysis.frontier import scaled
    from planner.model.backend import solve_program
    from planner.model.families import build_model
    from planner.model.objective import idle_when_counting_misses, missed_gaps

    tight = load_scenario(REPO / "scenarios" / "nantong_tight.toml")
    idled = 0
    for mult in (0.4, 0.7, 1.0):
        for part in Instance.from_dataset(nantong, scaled(tight, mult)).components():
            m = build_model(part)
            idle = idle_when_counting_misses(m)
            a = m.a
            late = a.lateness > 0
            assert idle is not None and idle[m.x[late]].all()  # every late start
            on = np.nonzero(~late & ~idle[m.x])[0]  # kept on-time starts: the latest of their gap and year
            keys = list(zip(a.gap[on], a.year_of_quarter[a.start[on]], strict=True))
            assert len(keys) == len(set(keys))
            idled += int(idle.sum())
            cost = missed_gaps(m)
            whole, narrow = (solve_program(m.lp, [cost], idle=z) for z in (None, [idle]))
            assert whole.objectives == pytest.approx(narrow.objectives)
            full, _ = part_module.staged(m)
            assert solve_program(m.lp, full).objectives == pytest.approx(part_module.solve_part(
                part_module.PartTask(part)).objectives)
    assert idled > 1000


def test_no_idle_starts_when_a_starts_quarter_counts():
    """With the city's capacity (counted by online quarter) no start is idle: moving one changes the count."""
    from planner.model.families import build_model
    from planner.model.objective import idle_when_counting_misses

    items = [Item("A", "甲项", BASIC, date(2024, 12, 31), capex_wan=10, opex_wan=1, lead_quarters=1)]
    sc = scenario(DeadlineMode.SOFT)
    assert idle_when_counting_misses(build_model(Instance.from_dataset(one_county(items, {2024: 5, 2025: 5}),
                                                                        sc))) is not None
    capped = replace(sc, city_capacity=1)
    assert idle_when_counting_misses(build_model(Instance.from_dataset(one_county(items, {2024: 5, 2025: 5}),
                                                                        capped))) is None


# ------------------------------------------------------------------------------------- executors and cache

def test_batches_cover_every_item_and_unbatch_restores_the_order():
    items = list(range(23))
    chunks = batches(items, workers=2)
    assert len(chunks) == 16 and sorted(x for c in chunks for x in c) == items
    assert chunks[0] == [0, 16] and chunks[7] == [7]  # strided: the first (hardest) items spread over batches
    assert unbatch([[x * 10 for x in c] for c in chunks], len(items)) == [x * 10 for x in items]
    assert batches([], workers=2) == [[]] and unbatch([[]], 0) == []
    assert batches(items, workers=2, per_worker=32) == [[x] for x in items]  # the MIPs left: one per batch


def _schedule(plan):
    return [(s.region, s.item, s.mode, s.start_quarter) for s in plan.schedule]


def test_process_pool_gives_the_serial_plan(nantong):
    sc = load_scenario(REPO / "scenarios" / "nantong_tight.toml")
    clear_cache()
    serial = solve(nantong, sc, SerialExecutor())
    clear_cache()
    pool = ProcessExecutor(2)
    try:
        results = pool.map(part_module.solve_part, [part_module.PartTask(p) for p in
                                                    Instance.from_dataset(nantong, sc).components() if p.gaps] * 8)
        assert all(r.status == SolveStatus.OPTIMAL for r in results)
        parallel = solve(nantong, sc, pool)
    finally:
        ProcessExecutor.shutdown()
    assert _schedule(parallel) == _schedule(serial) and parallel.objective == pytest.approx(serial.objective)


def test_dask_local_cluster_gives_the_serial_plan_and_frontier(nantong):
    distributed = pytest.importorskip("distributed")
    sc = load_scenario(REPO / "scenarios" / "nantong_baseline.toml")
    clear_cache()
    serial = solve(nantong, sc)
    serial_points = frontier(nantong, sc, [0.6, 1.0])
    clear_cache()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl, \
            distributed.Client(cl) as client:
        executor = DaskExecutor(client)
        assert executor.workers == 2
        on_cluster = solve(nantong, sc, executor)
        points = frontier(nantong, sc, [0.6, 1.0], executor=executor)
    assert _schedule(on_cluster) == _schedule(serial)
    assert [(p.on_time, p.late_quarters, p.unbuilt) for p in points] == \
           [(p.on_time, p.late_quarters, p.unbuilt) for p in serial_points]


def test_a_slider_move_resolves_only_the_county_that_changed(nantong, monkeypatch):
    sc = load_scenario(REPO / "scenarios" / "nantong_tight.toml")
    clear_cache()
    solve(nantong, sc)
    calls = []
    real = part_module.solve_part
    monkeypatch.setattr(part_module, "solve_part", lambda task: calls.append(task.inst.regions) or real(task))
    moved = solve(nantong, replace(sc, budget_overrides={("如皋", 0): 150.0}))
    assert calls == [["如皋"]]
    clear_cache()
    fresh = solve(nantong, replace(sc, budget_overrides={("如皋", 0): 150.0}))
    assert _schedule(moved) == _schedule(fresh)


def test_an_optimum_that_fits_smaller_budgets_is_reused_and_exact(nantong, monkeypatch):
    sc = load_scenario(REPO / "scenarios" / "nantong_baseline.toml")
    clear_cache()
    rich = solve(nantong, replace(sc, budget_multiplier=3.0))
    spent = {(s.region, s.year): s.spent_wan for s in rich.spending}
    just_enough = replace(sc, budget_overrides={k: v + 0.5 for k, v in spent.items()})
    calls = []
    real = part_module.solve_part
    monkeypatch.setattr(part_module, "solve_part", lambda task: calls.append(1) or real(task))
    reused = solve(nantong, just_enough)
    assert not calls  # every county's richer optimum still fits
    clear_cache()
    fresh = solve(nantong, just_enough)
    assert reused.objective == pytest.approx(fresh.objective) and _schedule(reused) == _schedule(fresh)


# ------------------------------------------------------------------------------------- risk and synth

def test_risk_is_seeded_and_spread_zero_is_the_plan(nantong):
    sc = load_scenario(REPO / "scenarios" / "nantong_tight.toml")
    a = risk(nantong, sc, samples=3, spread=0.3, seed=7)
    b = risk(nantong, sc, samples=3, spread=0.3, seed=7)
    assert [(r.region, r.tier.key, r.p_meet, r.spend_p50) for r in a.rows] == \
           [(r.region, r.tier.key, r.p_meet, r.spend_p50) for r in b.rows]
    assert all(0 <= r.p_meet <= 1 and r.spend_p10 <= r.spend_p50 <= r.spend_p90 for r in a.rows)
    exact = risk(nantong, sc, samples=1, spread=0.0)
    plan = solve(nantong, sc)
    meets = {(c.region, c.tier.key): c.meets_deadline for c in plan.compliance if c.region != "市级"}
    assert {(r.region, r.tier.key): r.p_meet == 1.0 for r in exact.rows} == meets
    drawn = cost_samples(nantong, 50, 0.3, seed=1)
    ratios = [d.items[0].capex_wan / nantong.items[0].capex_wan for d in drawn]
    assert min(ratios) >= 0.7 - 1e-9 and max(ratios) <= 1.3 + 1e-9 and len(set(ratios)) == 50


def test_synthetic_province_is_reproducible_and_follows_its_rules(tmp_path):
    from planner.io.workbook import load_workbook

    spec = SynthSpec(counties=12, items=10, quarters=8, gap_density=0.4, budget_factor=2, seed=3)
    a, b = synthetic_dataset(spec), synthetic_dataset(spec)
    assert a.matrix == b.matrix and a.items == b.items and a.budgets == b.budgets
    county = a.matrix_regions[0].name
    need = sum(i.capex_wan for i in a.items if a.state(county, i.name) == Cap.LACKS)
    assert a.budgets[(county, 2024)] == pytest.approx(2 * need / 2 + 10, abs=0.01)
    assert {r.level for r in a.regions} == {Level.PROVINCE, Level.CITY, Level.COUNTY}
    assert a.ancestors(county)[-1] == "合成省"
    path = write_synthetic(spec, tmp_path / "s.xlsx")
    loaded = load_workbook(path)
    assert loaded.matrix == a.matrix and any("合成数据" in s.title for s in loaded.sources)
    plan = solve(loaded, Scenario(name="s", workbook=path, start=spec.start, horizon_end=spec.start + 7))
    assert plan.status == SolveStatus.OPTIMAL and all(g.mode == GapMode.BUILT for g in plan.schedule)
