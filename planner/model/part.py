"""Solving one independent part of a plan (a county, or all counties when the scenario couples them).

``solve_part`` is the unit of work the executors (``planner.parallel``) send to worker processes: it builds
the part's model from its families, solves it lexicographically and returns a small, picklable
``PartResult`` with every choice and the money per county-year. ``solve_parts`` looks each part up in a
cache first, so a slider move re-solves only the county whose numbers changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.domain import DeadlineMode, GapMode, SolveStatus
from planner.model.backend import solve_blocks, solve_program
from planner.model.families import BudgetMode, Model, build_model, build_nothing, column_regions
from planner.model.instance import Instance
from planner.model.objective import staged, stages

# PartResult.mode holds GapMode codes (``GapMode.code``)
BUILT, SHARED, UNBUILT = GapMode.BUILT.code, GapMode.SHARED.code, GapMode.UNBUILT.code


@dataclass
class PartResult:
    """The answer for one part: per gap its mode and start quarter (numbered from the plan start, -1 if not
    built); per region x year the money; stage objectives; solver facts."""

    status: SolveStatus
    mode: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    capex: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # less share-group savings
    opex: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    fees: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    pool: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    carry: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # unspent at the end of each year
    extra: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # explanations: money short
    extra_capacity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    budget: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # min-budget analyses
    duals: np.ndarray | None = None  # budget rows' duals (regions x years), LP solves only
    objectives: list[float] = field(default_factory=list)
    mip_gap: float | None = None
    seconds: float = 0.0

    @property
    def has_solution(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


@dataclass(frozen=True)
class PartTask:
    """What a worker needs to solve one part."""

    inst: Instance
    budget_mode: BudgetMode = BudgetMode.FIXED
    exempt: frozenset[int] = frozenset()
    fixed: tuple[np.ndarray, np.ndarray] | None = None  # LP duals: (mode, start) to hold
    through_misses: bool = False  # stop after the fewest missed gaps (a frontier's first, quick pass)

    def key(self) -> tuple:
        """Everything the answer depends on (the cache key); two equal keys give the same plan."""
        return (self.structure(), tuple(self.budget_vector()))

    def structure(self) -> tuple:
        """Everything but the budgets: a slider move keeps the structure and changes only the budgets."""
        inst, sc = self.inst, self.inst.scenario
        return (tuple(inst.gaps), inst.quarters[0], inst.quarters[-1], tuple(inst.regions), tuple(inst.targets),
                tuple(inst.share_groups), sc.deadline_mode, sc.objective, sc.options, sc.city_capacity,
                sc.solver, sc.mip_gap, self.budget_mode, self.exempt, self.through_misses,
                None if self.fixed is None else (self.fixed[0].tobytes(), self.fixed[1].tobytes()))

    def budget_vector(self) -> np.ndarray:
        """Budgets per region x year, in the model's row order."""
        inst = self.inst
        return np.array([inst.budgets[(r, y)] for r in inst.regions for y in inst.years], dtype=float)

    @property
    def monotone(self) -> bool:
        """Whether less money only removes plans (every budget row is a plain <=): then an optimum that fits
        smaller budgets stays optimal under them."""
        opts = self.inst.scenario.options
        return (self.budget_mode == BudgetMode.FIXED and self.fixed is None and not opts.carry_over
                and opts.city_pool_wan <= 0)


def solve_part(task: PartTask) -> PartResult:
    """Build and solve one part; never raises for an infeasible or unfinished solve."""
    inst, sc = task.inst, task.inst.scenario
    relax = task.fixed is not None
    m = build_model(inst, task.budget_mode, relax=relax, exempt=task.exempt)
    if task.fixed is not None:
        _hold_choices(m, *task.fixed)
    costs, idle = staged(m, task.through_misses)
    # A part that joins regions (a target, the city's pool or capacity) is a MIP whose first plan HiGHS can take
    # long to find under the hold rows: each stage starts from the last stage's plan (the first from building
    # nothing, when that is a plan), so it never ends without one.
    sol = solve_program(m.lp, costs, sc.solver, sc.time_limit_s, sc.mip_gap, relax=relax, duals=relax, idle=idle,
                        start=None if relax else build_nothing(m), warm=len(inst.regions) > 1)
    out = PartResult(sol.status, objectives=sol.objectives, mip_gap=sol.mip_gap, seconds=sol.seconds)
    if sol.x is None:
        return out
    _read_choices(m, sol.x, out)
    if sol.duals is not None:
        out.duals = sol.duals[m.lp.rows("budget")].reshape(m.n_regions, m.n_years)
    return out


BATCH = 32  # at most this many counties in one block LP
SPREAD = 8  # and at least this many batches when there are enough parts, so that workers share the MIPs left
SPREAD_MIPS = 32  # batches per worker for the MIPs the block LPs leave: one part each for a frontier's 54


def batchable(task: PartTask) -> bool:
    """A plain plan of one county (or a city with its own targets): it can join a block LP."""
    return (task.budget_mode == BudgetMode.FIXED and task.fixed is None and not task.exempt
            and len(task.inst.regions) == 1 and task.inst.scenario.solver == "highs")


def solve_batch(tasks: list[PartTask]) -> list[PartResult | None]:
    """Independent one-county parts solved together: one LP with each county a block of its own (its stage
    optima held by rows of its own). A county whose LP optimum is integral at every stage has its MIP
    optimum there — most do; the others are solved as MIPs of their own (``solve_part``) right here, or come back
    as None when ``spread_alone`` (to be spread over the workers by ``solve_parts``). The same answers as
    ``solve_part`` task by task, several times sooner for a province or a nation (one model and one solver call
    per batch)."""
    if len(tasks) < 2 or not all(batchable(t) for t in tasks) or len({t.through_misses for t in tasks}) > 1:
        return [solve_part(t) for t in tasks]
    first = tasks[0].inst
    merged = Instance.joined([t.inst for t in tasks])
    m = build_model(merged)
    sol = solve_blocks(m.lp, stages(m, tasks[0].through_misses), column_regions(m), len(merged.regions),
                       first.scenario.time_limit_s)
    if sol.x is None or sol.proven is None or not sol.proven.any():
        return [None if spread_alone(t) else solve_part(t) for t in tasks]
    whole = PartResult(SolveStatus.OPTIMAL, mip_gap=0.0, seconds=sol.seconds)
    _read_choices(m, sol.x, whole)
    index = {r: n for n, r in enumerate(merged.regions)}
    out: list[PartResult | None] = []
    at = 0
    for task in tasks:
        n_gaps = len(task.inst.gaps)
        r = index[task.inst.regions[0]]
        if not sol.proven[r]:
            out.append(None if spread_alone(task) else solve_part(task))
        else:
            out.append(PartResult(
                SolveStatus.OPTIMAL, whole.mode[at:at + n_gaps], whole.start[at:at + n_gaps],
                *(block[r:r + 1] for block in (whole.capex, whole.opex, whole.fees, whole.pool, whole.carry,
                                               whole.extra)),
                extra_capacity=np.zeros(0), budget=whole.budget[r:r + 1], mip_gap=0.0,
                seconds=sol.seconds / len(tasks)))
        at += n_gaps
    return out


def spread_alone(task: PartTask) -> bool:
    """Whether a part the block LP did not prove goes to the workers as a task of its own: a soft part's MIP
    (misses counted, then the ladder, under budgets that bind) can take seconds and must not hold up the rest
    of its batch; a hard part's takes milliseconds, less than sending it again."""
    return task.inst.scenario.deadline_mode == DeadlineMode.SOFT


def effort(task: PartTask) -> int:
    """A rough size of a part's MIP (gaps x quarters, about its candidate starts), to send the largest first."""
    inst = task.inst
    return len(inst.gaps) * len(inst.quarters)


def _value(x: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Values of a block of columns (0 where the column does not exist)."""
    return np.where(cols >= 0, x[np.maximum(cols, 0)], 0.0) if cols.size else np.zeros(cols.shape)


def _read_choices(m: Model, x: np.ndarray, out: PartResult) -> None:
    a, n_r, n_y = m.a, m.n_regions, m.n_years
    n_gaps = len(m.inst.gaps)
    chosen = x[m.x] > 0.5
    out.mode = np.full(n_gaps, UNBUILT, np.int8)
    out.start = np.full(n_gaps, -1, np.int64)
    out.mode[a.gap[chosen]] = BUILT
    out.start[a.gap[chosen]] = a.start[chosen]
    shared = _value(x, m.shared) > 0.5
    out.mode[shared & (out.mode != BUILT)] = SHARED
    # money per region x year, recomputed from the choices (not read off the rows)
    spend = a.spending(n_y)[chosen]
    capex_part = np.zeros((len(spend), n_y))
    rows = np.arange(len(spend))
    capex_part[rows, a.year_of_quarter[a.start[chosen]]] = a.capex[a.gap[chosen]]
    region = a.region[a.gap[chosen]]
    out.capex, out.opex, out.fees = (np.zeros((n_r, n_y)) for _ in range(3))
    np.add.at(out.capex, region, capex_part)
    np.add.at(out.opex, region, spend - capex_part)
    sh = np.nonzero(out.mode == SHARED)[0]
    np.add.at(out.fees, a.region[sh], a.fees(n_y)[sh])
    for (col, r, q, _), saving in zip(m.together, m.together_saving, strict=True):
        if x[col] > 0.5:
            out.capex[r, a.year_of_quarter[q]] -= saving
    out.pool, out.carry, out.extra, out.budget = (_value(x, b) for b in (m.pool, m.carry, m.extra, m.budget))
    out.extra_capacity = _value(x, m.extra_capacity)


def _hold_choices(m: Model, mode: np.ndarray, start: np.ndarray) -> None:
    """Fix every start / share / unbuilt choice at a plan's values (LP duals with the choices held)."""
    a = m.a
    picked = (mode[a.gap] == BUILT) & (start[a.gap] == a.start)
    for cols, on in ((m.x, picked), (m.shared, mode == SHARED), (m.unbuilt, mode == UNBUILT)):
        present = cols >= 0
        m.lp.fix_bounds(cols[present & ~on], upper=0.0)
        m.lp.fix_bounds(cols[present & on], lower=1.0)


# ------------------------------------------------------------------------------------------------ cache

_CACHE: OrderedDict[tuple, PartResult] = OrderedDict()
_CACHE_SIZE = 20_000
_OPTIMA: OrderedDict[tuple, list[tuple[np.ndarray, PartResult]]] = OrderedDict()  # structure -> (budgets, optimum)
_OPTIMA_PER_STRUCTURE = 16
_CACHE_LOCK = threading.Lock()
CACHED_STATUSES = (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)  # never a time-limited answer
MONEY_TOL = 1e-7


def _known_optimum(task: PartTask, budgets: np.ndarray) -> PartResult | None:
    """An optimum found under budgets at least as large whose spending fits these budgets: the feasible set
    only shrank and still holds it, so it is optimal here too (no solve needed)."""
    for larger, result in _OPTIMA.get(task.structure(), []):
        spent = (result.capex + result.opex + result.fees).ravel()
        if np.all(larger >= budgets - MONEY_TOL) and np.all(spent <= budgets + MONEY_TOL):
            return result
    return None


def solve_parts(tasks: Sequence[PartTask], executor=None) -> list[PartResult]:
    """Solve many parts: known answers from the cache (the same part, or an optimum that still fits), the rest
    through ``executor`` (serial by default)."""
    from planner.parallel import SerialExecutor

    keys = [t.key() for t in tasks]
    found: dict[int, PartResult] = {}
    with _CACHE_LOCK:
        for n, (task, key) in enumerate(zip(tasks, keys, strict=True)):
            hit = _CACHE.get(key)
            if hit is None and task.monotone:
                hit = _known_optimum(task, np.asarray(key[1]))
            if hit is not None:
                found[n] = hit
                _CACHE[key] = hit
                _CACHE.move_to_end(key)
    todo = [n for n in range(len(tasks)) if n not in found]
    run = executor or SerialExecutor()
    # first, one-county parts in fixed batches (one block LP each: most are proven there); batch size from the
    # number of parts only, so that the batches (and plans) are the same whatever the executor
    plain = [n for n in todo if batchable(tasks[n])]
    size = max(1, min(BATCH, -(-len(plain) // SPREAD)))
    groups = [plain[i:i + size] for i in range(0, len(plain), size)]
    answers = run.map(solve_batch, [[tasks[n] for n in g] for g in groups])
    by_index = {n: r for g, rs in zip(groups, answers, strict=True) for n, r in zip(g, rs, strict=True)
                if r is not None}
    # then every part left as a MIP of its own, largest first, in small batches (soft MIPs take up to seconds
    # each: a worker that is free takes the next), so that workers share the hard ones
    rest = sorted((n for n in todo if n not in by_index), key=lambda n: -effort(tasks[n]))
    by_index.update(zip(rest, run.map(solve_part, [tasks[n] for n in rest], per_worker=SPREAD_MIPS), strict=True))
    solved = [by_index[n] for n in todo]
    with _CACHE_LOCK:
        for n, result in zip(todo, solved, strict=True):
            found[n] = result
            if result.status not in CACHED_STATUSES:
                continue
            _CACHE[keys[n]] = result
            if result.status == SolveStatus.OPTIMAL and tasks[n].monotone:
                optima = _OPTIMA.setdefault(keys[n][0], [])
                optima.insert(0, (np.asarray(keys[n][1]), result))
                del optima[_OPTIMA_PER_STRUCTURE:]
                _OPTIMA.move_to_end(keys[n][0])
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        while len(_OPTIMA) > _CACHE_SIZE // _OPTIMA_PER_STRUCTURE:
            _OPTIMA.popitem(last=False)
    return [found[n] for n in range(len(tasks))]


def clear_cache() -> None:
    """Forget every cached part (benchmarks measure cold solves with it)."""
    with _CACHE_LOCK:
        _CACHE.clear()
        _OPTIMA.clear()
