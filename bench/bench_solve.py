"""Benchmark: solve times and memory, printed as ratios measured in one run (no thresholds asserted).

    .venv/bin/python bench/bench_solve.py

Prints, for the shipped tight scenario: the joint model vs one model per county (the decomposition
``solve`` uses when counties share nothing), a repeated solve (HiGHS determinism and warm caches), and
a synthetic Nantong x3 instance (18 counties) to show how time grows with the number of counties.
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from planner.domain import Dataset
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, *args):
    began = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - began


def scaled(dataset: Dataset, copies: int) -> Dataset:
    """Nantong's counties repeated ``copies`` times under new names (same items, matrix and budgets)."""
    regions, has, budgets = list(dataset.regions), dict(dataset.matrix), dict(dataset.budgets)
    for n in range(2, copies + 1):
        for r in dataset.matrix_regions:
            name = f"{r.name}{n}"
            regions.append(replace(r, id=f"{r.id}{n}", name=name))
            has.update({(name, i): v for (rr, i), v in dataset.matrix.items() if rr == r.name})
            budgets.update({(name, y): v for (rr, y), v in dataset.budgets.items() if rr == r.name})
    return replace(dataset, regions=regions, matrix=has, budgets=budgets)


def main() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "nantong_tight.toml")
    dataset = load_workbook(scenario.workbook)
    solve(dataset, scenario)  # warm-up: imports, the HiGHS banner
    plan, t_split = timed(solve, dataset, scenario)
    _, t_again = timed(solve, dataset, scenario)
    big = scaled(dataset, 3)
    tracemalloc.start()
    big_plan, t_big = timed(solve, big, scenario)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gaps = len(plan.schedule)
    print(f"tight scenario, {gaps} gaps: {t_split:.2f} s [{plan.status.value}]")
    print(f"ratio repeated / first per-county solve time: {t_again / t_split:.2f}")
    print(f"Nantong x3 ({len(big_plan.schedule)} gaps) {t_big:.2f} s [{big_plan.status.value}]; "
          f"ratio x3 / x1 time: {t_big / t_split:.2f} (linear would be 3.00); "
          f"peak Python memory {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
