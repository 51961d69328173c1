"""The engine benchmark: one table, every figure measured in this run, beside a straightforward reference.

    make bench                                  # full sizes (a few minutes)
    .venv/bin/python bench/bench_engine.py --quick   # tiny sizes (the smoke test runs this)

References measured in the same run: the monolithic PuLP + HiGHS model of the same instance
(``bench/reference_pulp.py``) and a greedy planner (``bench/greedy.py``). Big instances run in a fresh
process each, so that every peak-memory figure is that run's own (the process and its workers, sampled).
Nothing here asserts a time: the table says which targets were met on this machine, in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from greedy import greedy, summary  # noqa: E402
from reference_pulp import solve as reference_solve  # noqa: E402

from planner.analysis.frontier import frontier, scaled  # noqa: E402
from planner.analysis.marginal import marginal_values  # noqa: E402
from planner.domain import Dataset, DeadlineMode, Scenario  # noqa: E402
from planner.io.scenario import load_scenario  # noqa: E402
from planner.io.synth import SynthSpec, synthetic_dataset, synthetic_scenario, write_synthetic  # noqa: E402
from planner.io.templates import filled_template, template_scenario  # noqa: E402
from planner.io.workbook import load_workbook  # noqa: E402
from planner.model.instance import Instance  # noqa: E402
from planner.model.part import clear_cache  # noqa: E402
from planner.model.solve import solve  # noqa: E402
from planner.parallel import ProcessExecutor, SerialExecutor  # noqa: E402

SCENARIOS = ROOT / "scenarios"


class PeakMemory:
    """Peak resident memory of this process and its children, sampled every 20 ms while in use."""

    def __enter__(self) -> PeakMemory:
        import psutil

        self.proc, self.peak, self.stop = psutil.Process(), 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                rss = self.proc.memory_info().rss + sum(c.memory_info().rss for c in self.proc.children(True))
            except psutil.Error:
                rss = 0
            self.peak = max(self.peak, rss)
            time.sleep(0.02)

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    @property
    def mib(self) -> float:
        return self.peak / 2**20


def timed(fn, *args, **kw):
    began = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - began


def scaled_nantong(dataset: Dataset, copies: int) -> Dataset:
    """Nantong's counties repeated ``copies`` times under new names (same items, matrix and budgets)."""
    regions, matrix, budgets = list(dataset.regions), dict(dataset.matrix), dict(dataset.budgets)
    for n in range(2, copies + 1):
        for r in dataset.matrix_regions:
            name = f"{r.name}{n}"
            regions.append(replace(r, id=f"{r.id}{n}", name=name))
            matrix.update({(name, i): v for (rr, i), v in dataset.matrix.items() if rr == r.name})
            budgets.update({(name, y): v for (rr, y), v in dataset.budgets.items() if rr == r.name})
    return replace(dataset, regions=regions, matrix=matrix, budgets=budgets)


def slider_move(scenario: Scenario, dataset: Dataset) -> Scenario:
    """One county's budget slider moved: every year of the first county +5 %."""
    county = dataset.matrix_regions[0].name
    years = range(scenario.start.year, scenario.horizon_end.year + 1)
    from planner.model.instance import budget_table

    table = budget_table(dataset, scenario)
    return replace(scenario, budget_overrides={**scenario.budget_overrides,
                                               **{(county, y): table[(county, y)] * 1.05 for y in years}})


# ------------------------------------------------------------------------------------------------ rows

def nantong_rows(executor, quick: bool) -> list[dict]:
    dataset = load_workbook(ROOT / "data" / "nantong_capabilities.xlsx")
    base = load_scenario(SCENARIOS / "nantong_baseline.toml")
    tight = load_scenario(SCENARIOS / "nantong_tight.toml")
    solve(dataset, base)  # warm-up: imports, the solver
    rows = []
    for label, scenario, target in (("hard (baseline)", base, None), ("soft (tight)", tight, None)):
        clear_cache()
        plan, ours = timed(solve, dataset, scenario)
        ref = reference_solve(Instance.from_dataset(dataset, scenario))
        rows.append(row(f"Nantong re-solve, {label}, all 6 counties (cold cache)", ours, ref["total_s"], target,
                        note=f"{plan.status.value}; reference {ref['status']}"))
        moved = slider_move(scenario, dataset)
        _, move = timed(solve, dataset, moved)
        ref_move = reference_solve(Instance.from_dataset(dataset, moved))
        rows.append(row(f"Nantong slider move, {label}: one county's budget +5 %", move, ref_move["total_s"],
                        0.05 if scenario is base else 0.15))
    clear_cache()
    mults = (0.5, 1.0) if quick else None
    fast, fast_s = timed(frontier, dataset, base, mults, executor=executor, quick=True)  # the app's first pass
    points, ours = timed(frontier, dataset, base, mults, executor=executor)
    ref = sum(reference_solve(Instance.from_dataset(dataset, scaled(base, p.multiplier)))["total_s"] for p in points)
    rows.append(row(f"Nantong frontier curve (quick pass: up to the fewest missed gaps), {len(fast)} points", fast_s,
                    ref, 1.0 if len(fast) == 9 else None,
                    note="on time " + ", ".join(str(p.on_time) for p in fast) + "; the same as the full points: "
                         + str([p.on_time for p in fast] == [p.on_time for p in points])))
    rows.append(row(f"Nantong frontier, {len(points)} points in full, after the quick pass (baseline)", ours, ref,
                    4.0 if len(points) == 9 else None, note="on time " + ", ".join(str(p.on_time) for p in points)))
    plan = solve(dataset, base)
    clear_cache()
    values, ours = timed(marginal_values, dataset, base, plan, executor=executor)
    budgets = Instance.from_dataset(dataset, base).budgets
    ref = None if quick else sum(reference_solve(Instance.from_dataset(dataset, replace(base, budget_overrides={
        **base.budget_overrides, (v.region, v.year): budgets[(v.region, v.year)] + v.delta_wan})))["total_s"]
        for v in values)
    rows.append(row(f"Nantong marginal values ({len(values)} county-years)", ours, ref, 1.0))
    rows += greedy_rows(dataset, tight, "Nantong tight (shipped)")
    return rows


def greedy_rows(dataset: Dataset, scenario: Scenario, label: str) -> list[dict]:
    inst = Instance.from_dataset(dataset, scenario)
    plan = solve(dataset, scenario)
    opt = {"on_time": sum(s.on_time for s in plan.schedule if s.mode.value == "built"),
           "late_quarters": sum(s.late_quarters or 0 for s in plan.schedule)}
    g = summary(inst, greedy(inst))
    return [{"measure": f"{label}: on time, optimum vs greedy", "ours": opt["on_time"],
             "reference": g.get("on_time", 0), "unit": "gaps",
             "note": f"late quarters {opt['late_quarters']} vs {g.get('late_quarters', 0)}; "
                     f"greedy unbuilt {g.get('unbuilt', 0)}"}]


def template_rows(executor, quick: bool) -> list[dict]:
    """The shipped plans' templates filled as a new user first tries them (every cell 缺失, one budget for every
    region and year, soft deadlines): their coverage and count targets join the regions into one model. Target:
    proven optimal (gap <= 1e-4) within 2 s (Nanchang, Nanjing size) or 10 s (Jiangsu, Hubei size); the
    monolithic reference with targets is not built yet (reference_pulp covers no targets)."""
    cases = [("nanchang", 50, 2.0)] if quick else [
        (key, money, target) for key, target in (("nanchang", 2.0), ("nanjing", 2.0), ("jiangsu", 10.0),
                                                 ("hubei", 10.0)) for money in (50, 100)]
    limit = 2.0 if quick else 60.0
    rows = []
    for key, money, target in cases:
        template, dataset = filled_template(key, money)
        scenario = replace(template_scenario(template, Path(f"{key}.xlsx")), time_limit_s=limit)
        clear_cache()
        plan, seconds = timed(solve, dataset, scenario, executor)
        gap = plan.mip_gap
        proven = plan.status.value == "optimal" and (gap or 0.0) <= 1e-4
        met = [f"{r.target.id} {'met' if r.met else 'missed'}" for r in plan.targets]
        rows.append({**row(f"Template {key}, every cell 缺失, {money} 万元/region/yr, soft: proven optimal", seconds,
                           None, target, note=f"{len(dataset.regions)} regions, {len(dataset.gaps())} gaps; "
                           f"{plan.status.value}, proven gap {'—' if gap is None else f'{gap:.4f}'} (time limit "
                           f"{limit:g} s, explanations of missed targets included); {', '.join(met)}"),
                     "proven": proven})
    return rows


def row(measure: str, ours: float, reference: float | None, target: float | None, note: str = "",
        unit: str = "s") -> dict:
    return {"measure": measure, "ours": ours, "reference": reference, "target": target, "unit": unit, "note": note}


def synthetic_run(spec_json: str, reference: bool) -> dict:
    """One big synthetic run in this (fresh) process: write + read the workbook, solve; or the reference."""
    spec = SynthSpec(**json.loads(spec_json))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.xlsx"
        _, write_s = timed(write_synthetic, spec, path)
        executor = ProcessExecutor() if (os.cpu_count() or 1) > 1 else SerialExecutor()
        pool_s = 0.0
        if not reference and isinstance(executor, ProcessExecutor):
            _, pool_s = timed(executor.start)  # forked now, before the memory sampler's thread exists (as the CLI)
        with PeakMemory() as mem:
            dataset, read_s = timed(load_workbook, path)
            scenario = synthetic_scenario(spec, path)
            inst = Instance.from_dataset(dataset, scenario)
            if reference:
                out = reference_solve(inst)
                out.update(read_s=read_s, write_s=write_s)
            else:
                plan, solve_s = timed(solve, dataset, scenario, executor)
                g = summary(inst, greedy(inst))
                out = {"solve_s": solve_s, "pool_s": pool_s, "read_s": read_s, "write_s": write_s,
                       "status": plan.status.value, "mip_gap": plan.mip_gap, "gaps": len(inst.gaps),
                       "on_time": sum(s.on_time for s in plan.schedule), "greedy_on_time": g.get("on_time", 0),
                       "greedy_late_quarters": g.get("late_quarters", 0), "greedy_unbuilt": g.get("unbuilt", 0)}
                ProcessExecutor.shutdown()
    out["peak_mib"] = mem.mib
    return out


def in_fresh_process(spec: SynthSpec, reference: bool) -> dict:
    """Run ``synthetic_run`` in a new Python process (its own memory, free to start worker processes)."""
    argv = [sys.executable, __file__, "--one", json.dumps({k: v for k, v in spec.__dict__.items() if k != "start"})]
    done = subprocess.run(argv + (["--reference"] if reference else []), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def synthetic_rows(label: str, spec: SynthSpec, target_s: float, target_ratio: float,
                   target_mib: float | None) -> list[dict]:
    ours = in_fresh_process(spec, reference=False)
    ref = in_fresh_process(spec, reference=True)
    name = f"{label} {spec.counties}×{spec.items}×{spec.quarters}, factor {spec.budget_factor:g}, hard"
    gap = ours["mip_gap"]
    return [
        row(f"{name}: read workbook", ours["read_s"], None, None, note=f"{ours['gaps']} gaps"),
        row(f"{name}: build + solve", ours["solve_s"], ref["total_s"], target_s,
            note=f"{ours['status']}, proven gap {gap if gap is not None else '—'}; worker processes started "
                 f"before it in {ours['pool_s']:.2f} s; reference build "
                 f"{ref['build_s']:.1f} s + solve {ref['solve_s']:.1f} s [{ref['status']}]; target ratio ≥ "
                 f"{target_ratio:g}×"),
        row(f"{name}: peak memory (process + workers, workbook read included)", ours["peak_mib"], ref["peak_mib"],
            target_mib, unit="MiB"),
        {"measure": f"{name}: on time, optimum vs greedy", "ours": ours["on_time"],
         "reference": ours["greedy_on_time"], "unit": "gaps",
         "note": f"greedy: {ours['greedy_unbuilt']} unbuilt, {ours['greedy_late_quarters']} quarters late"},
    ]


def soft_synthetic_greedy(seeds: range, counties: int) -> dict:
    better = equal = worse = 0
    for seed in seeds:
        spec = SynthSpec(counties=counties, items=30, quarters=12, budget_factor=0.8, seed=seed)
        dataset = synthetic_dataset(spec)
        scenario = synthetic_scenario(spec, Path("synthetic.xlsx"), DeadlineMode.SOFT)
        plan = solve(dataset, scenario)
        g = summary(Instance.from_dataset(dataset, scenario), greedy(Instance.from_dataset(dataset, scenario)))
        opt, theirs = sum(s.on_time for s in plan.schedule), g.get("on_time", 0)
        better += opt > theirs
        equal += opt == theirs
        worse += opt < theirs
    return {"measure": f"Synthetic soft instances ({len(seeds)} seeds, {counties} counties, factor 0.8): optimum "
                       "more on time than greedy", "ours": better, "reference": None, "unit": "instances",
            "note": f"of {len(seeds)}: more on time on {better}, equal on {equal}, fewer on {worse}"}


# ----------------------------------------------------------------------------------------------- table

def table(rows: list[dict]) -> str:
    lines = ["| measure | this engine | reference | ratio | target | met |", "|---|---|---|---|---|---|"]
    for r in rows:
        unit = r.get("unit", "s")
        ours, ref, target = r["ours"], r.get("reference"), r.get("target")
        def fmt(v: float, unit: str = unit) -> str:
            return f"{v:.3f} s" if unit == "s" else f"{v:,.0f} {unit}"

        ratio = f"{ref / ours:.1f}×" if unit == "s" and ref and ours else ""
        met = "" if target is None else ("yes" if ours <= target and r.get("proven", True) else "no")
        lines.append(f"| {r['measure']} | {fmt(ours)} | {fmt(ref) if ref is not None else ''} | {ratio} | "
                     f"{fmt(target) if target is not None else ''} | {met} |")
    notes = [f"- {r['measure']}: {r['note']}" for r in rows if r.get("note")]
    return "\n".join(lines + [""] + notes)


def header(quick: bool) -> str:
    from importlib.metadata import version

    return (f"Command: {' '.join(sys.argv)}{' (quick sizes)' if quick else ''}\n"
            f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
            f"highspy {version('highspy')}, PuLP {version('pulp')}, numpy {version('numpy')}\n"
            f"Reference: the same instance as one PuLP model solved by PuLP's HiGHS (bench/reference_pulp.py); "
            f"ratio = reference time / this engine's time.\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="tiny sizes: the smoke test")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: one synthetic run, its figures as JSON
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(synthetic_run(args.one, args.reference), default=str))
        return
    executor = ProcessExecutor() if (os.cpu_count() or 1) > 1 else SerialExecutor()
    if isinstance(executor, ProcessExecutor):
        executor.start()
    rows = nantong_rows(executor, args.quick)
    rows += template_rows(executor, args.quick)
    if args.quick:
        province = SynthSpec(counties=6, items=12, quarters=8, budget_factor=2, seed=1)
        nation = SynthSpec(counties=12, items=12, quarters=8, budget_factor=3, seed=2)
        seeds = range(2)
    else:
        province = SynthSpec(counties=100, items=60, quarters=12, budget_factor=2, seed=1)
        nation = SynthSpec(counties=2850, items=60, quarters=12, budget_factor=3, seed=2)
        seeds = range(8)
    rows += synthetic_rows("Province", province, 1.0, 10, None)
    rows += synthetic_rows("National", nation, 10.0, 4, 1024)
    rows.append(soft_synthetic_greedy(seeds, 4 if args.quick else 20))
    ProcessExecutor.shutdown()
    print(header(args.quick))
    print(table(rows))


if __name__ == "__main__":
    main()
