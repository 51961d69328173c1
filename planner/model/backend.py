"""Run a ``LinearProgram`` on HiGHS (through highspy, default) or CBC (through PuLP), stage by stage.

``read_status`` is the one place that interprets a solver's outcome, whichever solver gave it. A
lexicographic solve is a list of cost vectors: each stage is solved, its optimum is then held by a row
(``stage cost . x <= optimum``) while the next stage is solved.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.domain import SolveStatus
from planner.model.program import LinearProgram
from planner.parallel import at_worker_start

SOLVERS = ("highs", "cbc")
HOLD_TOL = 1e-6  # slack on a held stage optimum (stage objectives are priority-weighted counts)
INTEGRAL_TOL = 1e-9  # an LP value this close to 0 or 1 counts as integral
SMALL_MODEL = 5_000  # columns: below this HiGHS's presolve costs more than it saves (a county's model: ~200)


@dataclass
class Solution:
    """A solver's answer: status, column values (None without a solution), stage objectives, row duals
    (LP solves only), proven relative gap, and seconds spent in the solver."""

    status: SolveStatus
    x: np.ndarray | None
    objectives: list[float]
    duals: np.ndarray | None = None
    mip_gap: float | None = None
    seconds: float = 0.0
    proven: np.ndarray | None = None  # block solves: per block, whether its LP optimum was integral at every stage

    @property
    def has_solution(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def read_status(outcome: str, has_solution: bool) -> SolveStatus:
    """Every solver outcome, normalised: ``outcome`` is optimal / infeasible / unbounded / limit / error (see
    the per-solver tables below); a limit with a solution in hand is a feasible, unproven plan."""
    if outcome == "optimal":
        return SolveStatus.OPTIMAL
    if outcome == "infeasible":
        return SolveStatus.INFEASIBLE
    if outcome == "unbounded":
        return SolveStatus.UNBOUNDED
    if outcome == "limit":
        return SolveStatus.FEASIBLE if has_solution else SolveStatus.TIME_LIMIT
    return SolveStatus.ERROR


def solve_program(lp: LinearProgram, stages: list[np.ndarray], solver: str = "highs", time_limit_s: float = 60.0,
                  mip_gap: float = 0.0, relax: bool = False, duals: bool = False,
                  idle: Sequence[np.ndarray | None] | None = None, start: np.ndarray | None = None,
                  warm: bool = False) -> Solution:
    """Minimise ``stages[0]``, then each next stage holding the previous optima. ``idle[n]`` (a mask over the
    columns, or None) marks columns held at zero while stage n is minimised only: columns the caller knows
    cannot improve that stage (its optimum is the same without them). ``start``: a feasible point of the
    program when the caller knows one (a soft model: build nothing); with it, and from the second stage on with
    the previous stage's answer, a stage never ends without a plan, and a solver's "infeasible" is not believed
    (the point disproves it). ``warm``: hand that point to the solver as its first incumbent (large coupled
    models, where finding one is the hard part). Never raises for an infeasible or unfinished solve: the status
    says it."""
    if solver not in SOLVERS:
        raise ValueError(f"unknown solver {solver!r}; use one of {SOLVERS}")
    # a column the program holds above zero (a plan's choices fixed, for duals) is never idle
    idle = [None if z is None else z & (lp.lower <= 0) for z in idle] if idle is not None else [None] * len(stages)
    if start is not None and not feasible_point(lp, start):
        start = None
    cols, small = lp.compressed()
    if small is not None:  # solve over the columns that can be non-zero, then put the zeros back
        sol = solve_program(small, [c[cols] for c in stages], solver, time_limit_s, mip_gap, relax, duals,
                            [None if z is None else z[cols] for z in idle], None if start is None else start[cols],
                            warm)
        if sol.x is not None:
            full = np.zeros(lp.n_cols)
            full[cols] = sol.x
            sol.x = full
        return sol
    if lp.n_cols == 0:  # HiGHS calls a model without columns "empty" (e.g. every start too late for its deadline)
        feasible = bool(np.all((lp.rows_lower <= 0) & (lp.rows_upper >= 0)))
        return Solution(SolveStatus.OPTIMAL if feasible else SolveStatus.INFEASIBLE,
                        np.zeros(0) if feasible else None, [0.0] * len(stages) if feasible else [],
                        mip_gap=0.0 if feasible else None)
    adapter: _Adapter = _Highs.local() if solver == "highs" else _Cbc()
    return lexicographic(adapter, lp, stages, time_limit_s, mip_gap, relax, duals, idle, start, warm)


def feasible_point(lp: LinearProgram, x: np.ndarray, tol: float = 1e-6, integer: np.ndarray | None = None) -> bool:
    """Whether ``x`` satisfies every bound, row and integrality of ``lp`` (``integer``: the columns held integral,
    if not the program's own) to ``tol``, scaled by each row's size: a solver's answer is checked before it is
    believed, and a caller's starting point before it is used."""
    if x.shape != (lp.n_cols,) or not np.all(np.isfinite(x)):
        return False
    if np.any(x < lp.lower - tol) or np.any(x > lp.upper + tol):
        return False
    integer = lp.integer if integer is None else integer
    if np.any(np.abs(x[integer] - np.round(x[integer])) > tol):
        return False
    act = lp.row_activity(x)
    slack = tol * np.maximum(1.0, np.abs(act))
    return bool(np.all(act >= lp.rows_lower - slack) and np.all(act <= lp.rows_upper + slack))


class _Adapter:
    """What the stage loop needs of a solver: load the program, run one stage, hold a stage's optimum."""

    name = ""

    def begin(self, lp: LinearProgram, cost: np.ndarray, mip_gap: float, integer: np.ndarray) -> None:
        raise NotImplementedError

    def run(self, cost: np.ndarray, seconds: float, held: np.ndarray | None, start: np.ndarray | None,
            safe: bool = False) -> tuple[SolveStatus, np.ndarray | None, float, float | None]:
        """(status, x, objective, proven lower bound or None) of one stage under ``cost`` with the ``held``
        columns at zero, from ``start`` if given; ``safe``: the solver's most careful options."""
        raise NotImplementedError

    def hold(self, cost: np.ndarray, bound: float) -> None:
        raise NotImplementedError

    def duals(self, n_rows: int) -> np.ndarray | None:
        return None


def stage_seconds(left: float, stages_left: int) -> float:
    """The time a stage may take: half of what is left when later stages follow (an earlier stage that stops
    at its limit still hands its best plan on), everything for the last."""
    return left if stages_left <= 1 else left / 2


log = logging.getLogger("planner.solver")


def lexicographic(adapter: _Adapter, lp: LinearProgram, stages: list[np.ndarray], time_limit_s: float,
                  mip_gap: float, relax: bool, want_duals: bool, idle: list[np.ndarray | None],
                  start: np.ndarray | None, warm: bool) -> Solution:
    """The one stage loop, whatever the solver: each stage minimised in turn, its optimum held by a row.

    A stage answers with a plan whenever one is known: the previous stage's plan satisfies every hold row, so
    an "infeasible" from the solver is a false claim (re-solved with safe options, then that plan kept) and a
    limit without a plan keeps it too, reported as feasible and not proven optimal, with the gap proven."""
    began = time.perf_counter()
    integer = lp.integer if not relax else np.zeros(lp.n_cols, bool)
    adapter.begin(lp, stages[0], mip_gap, integer)
    objectives: list[float] = []
    status = SolveStatus.OPTIMAL
    known = start  # a feasible point of the program with every hold so far
    x = None
    worst_gap = 0.0
    for n, cost in enumerate(stages):
        held = np.nonzero(idle[n])[0].astype(np.int32) if idle[n] is not None else None
        hint = known if warm and known is not None and (held is None or not np.any(known[held] > 0.5)) else None
        st, xs, value, bound = None, None, 0.0, None
        for safe in (False, True):
            left = time_limit_s - (time.perf_counter() - began)
            st, xs, value, bound = adapter.run(cost, stage_seconds(left, len(stages) - n), held, hint, safe)
            if xs is not None and not feasible_point(lp, xs, 1e-5, integer):
                log.warning("%s: the answer of stage %d breaks a row or bound; not believed", adapter.name, n)
                st, xs = SolveStatus.ERROR, None
            if safe or known is None or st not in (SolveStatus.INFEASIBLE, SolveStatus.ERROR):
                break
            log.warning("%s: stage %d reported %s although a feasible plan is known; solved again with safe "
                        "options", adapter.name, n, st.value)
        if xs is None and known is not None:  # nothing better found, or no claim believed: keep the known plan
            st, xs, value = SolveStatus.FEASIBLE, known, float(cost @ known)
        if st not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) or xs is None:
            return Solution(st, None, objectives, seconds=time.perf_counter() - began)
        if st == SolveStatus.FEASIBLE:
            status = SolveStatus.FEASIBLE
            proven = -np.inf if bound is None else min(bound, value)
            worst_gap = max(worst_gap, (value - proven) / max(1.0, abs(value)))
        x = known = xs
        objectives.append(value)
        if n + 1 < len(stages):  # hold this stage's value for the next ones
            adapter.hold(cost, value + HOLD_TOL * max(1.0, abs(value)))
    row_duals = adapter.duals(lp.n_rows) if want_duals else None
    gap = None if relax or not lp.integer.any() else float(worst_gap)
    return Solution(status, x, objectives, row_duals, gap, time.perf_counter() - began)


def solve_blocks(lp: LinearProgram, stages: list[np.ndarray], block: np.ndarray, n_blocks: int,
                 time_limit_s: float = 60.0) -> Solution:
    """Independent blocks (columns of block b touch only rows of block b) solved together as one LP, stage by
    stage, each block's stage optimum held by a row of its own. A block whose LP optimum is integral at every
    stage has its MIP optimum there (``proven``); the others must be solved as MIPs of their own."""
    cols, small = lp.compressed()
    if small is not None:  # columns fixed at zero (late starts under hard deadlines) never reach the solver
        sol = solve_blocks(small, [c[cols] for c in stages], block[cols], n_blocks, time_limit_s)
        if sol.x is not None:
            full = np.zeros(lp.n_cols)
            full[cols] = sol.x
            sol.x = full
        return sol
    h = _Highs.local()
    began = time.perf_counter()
    integer = lp.integer
    h.load(lp, stages[0], integer=np.zeros(lp.n_cols, bool))
    proven = np.ones(n_blocks, bool)
    owned = block >= 0
    x = None
    for n, cost in enumerate(stages):
        h.set_time_limit(time_limit_s - (time.perf_counter() - began))
        if n:
            h.h.changeColsCost(lp.n_cols, np.arange(lp.n_cols, dtype=np.int32), cost)
        h.h.run()
        status, x, _ = h._answer()
        if status != SolveStatus.OPTIMAL or x is None:
            return Solution(status, None, [], seconds=time.perf_counter() - began, proven=np.zeros(n_blocks, bool))
        fractional = integer & owned & (np.abs(x - np.round(x)) > INTEGRAL_TOL)
        proven[np.unique(block[fractional])] = False
        if n + 1 < len(stages):  # hold each block's own optimum (a shared hold would let blocks trade)
            value = np.bincount(block[owned], weights=(cost * x)[owned], minlength=n_blocks)
            for b in np.nonzero(np.bincount(block[owned & (cost != 0)], minlength=n_blocks))[0]:
                cols = np.nonzero(owned & (block == b) & (cost != 0))[0]
                h.h.addRow(-h.hs.kHighsInf, value[b] + HOLD_TOL * max(1.0, abs(value[b])), len(cols),
                           cols.astype(np.int32), cost[cols])
    x = np.where(integer, np.round(x), x)
    return Solution(SolveStatus.OPTIMAL, x, [], mip_gap=0.0, seconds=time.perf_counter() - began, proven=proven)


# ------------------------------------------------------------------------------------------------ HiGHS

def forget_solver() -> None:
    """Drop this thread's HiGHS instance (a forked worker process must not reuse its parent's)."""
    _Highs._local.__dict__.pop("solver", None)


at_worker_start(forget_solver)  # every worker process starts without its parent's solver


_HIGHS_OUTCOME = {  # HighsModelStatus name -> outcome
    "kOptimal": "optimal", "kInfeasible": "infeasible", "kUnboundedOrInfeasible": "infeasible",
    "kUnbounded": "unbounded", "kTimeLimit": "limit", "kIterationLimit": "limit", "kSolutionLimit": "limit",
    "kInterrupt": "limit", "kObjectiveBound": "limit", "kObjectiveTarget": "limit",
}


class _Highs(_Adapter):
    """One reusable HiGHS instance per thread (Streamlit serves sessions from threads; processes each get
    their own): creating a Highs object costs more than a small county's whole solve."""

    _local = threading.local()
    _banner_done = False

    @classmethod
    def local(cls) -> _Highs:
        if not hasattr(cls._local, "solver"):
            cls._local.solver = cls()
        return cls._local.solver

    def __init__(self) -> None:
        import highspy

        self.hs = highspy
        self.h = _quiet(highspy.Highs)
        self.h.setOptionValue("output_flag", False)

    def load(self, lp: LinearProgram, cost: np.ndarray, mip_gap: float = 0.0, integer: np.ndarray | None = None
             ) -> None:
        """Pass the whole program to HiGHS in one call (``integer``: which columns are integer, if not the
        program's own), with the options every solve uses."""
        hs, h = self.hs, self.h
        h.clearModel()
        h.clearSolver()
        model = hs.HighsLp()
        model.num_col_, model.num_row_ = lp.n_cols, lp.n_rows
        model.col_cost_ = cost
        model.col_lower_, model.col_upper_ = lp.lower, lp.upper
        model.row_lower_, model.row_upper_ = lp.rows_lower, lp.rows_upper
        start, index, value = lp.csc
        model.a_matrix_.format_ = hs.MatrixFormat.kColwise
        model.a_matrix_.start_, model.a_matrix_.index_, model.a_matrix_.value_ = start, index, value
        integer = lp.integer if integer is None else integer
        if integer.any():
            kinds = (hs.HighsVarType.kContinuous, hs.HighsVarType.kInteger)
            model.integrality_ = [kinds[int(v)] for v in integer]
        h.passModel(model)
        big = lp.n_cols >= SMALL_MODEL
        # on county models, presolve costs more than it saves (measured: ~35 % faster without), and the
        # feasibility-jump heuristic half of every MIP solve, finding nothing the root heuristics miss
        # (measured on the synthetic province's county MIPs: 7.8 ms -> 3.7 ms each, the same optima)
        for name, val in (("threads", 1), ("random_seed", 0), ("mip_rel_gap", float(mip_gap)),
                          ("presolve", "on" if big else "off"), ("mip_heuristic_run_feasibility_jump", big)):
            h.setOptionValue(name, val)

    def set_time_limit(self, seconds: float, lp: bool = True) -> None:
        """The time the next run may take. highspy 1.16 measures an LP run against the run time its object has
        accumulated over every run (HiGHS issue 1477; no zeroAllClocks in highspy), and a MIP run against its own
        time (measured: an LP with a 0.5 s limit after 5 s of earlier runs stopped at once; MIPs with 3 s and 1 s
        limits after 2.6 s and 5.1 s ran 2.5 s and 1.0 s). So an LP's limit adds what the instance has used, or
        after that much solving in one thread every LP stops at once (seen: the held-choice LPs of a long session
        all "time limit"), and a MIP's must not, or it overruns by as much (seen: 5 s asked, 27 s taken)."""
        used = self.h.getRunTime() if lp else 0.0
        self.h.setOptionValue("time_limit", float(used + max(0.05, seconds)))

    # the stage loop's adapter (``lexicographic``)
    name = "HiGHS"

    def begin(self, lp: LinearProgram, cost: np.ndarray, mip_gap: float, integer: np.ndarray) -> None:
        self.load(lp, cost, mip_gap, integer)
        self.lp = lp
        self.all_cols = np.arange(lp.n_cols, dtype=np.int32)
        self.integer = integer
        self.as_mip = integer.astype(np.int32) if integer.any() else None  # kInteger is 1, kContinuous 0
        self.big = lp.n_cols >= SMALL_MODEL

    def run(self, cost: np.ndarray, seconds: float, held: np.ndarray | None, start: np.ndarray | None,
            safe: bool = False) -> tuple[SolveStatus, np.ndarray | None, float, float | None]:
        h, lp = self.h, self.lp
        began = time.perf_counter()
        self.set_time_limit(seconds)  # the LP relaxation first (or the program is an LP)
        h.changeColsCost(lp.n_cols, self.all_cols, cost)
        if held is not None:
            h.changeColsBounds(len(held), held, lp.lower[held], np.zeros(len(held)))
        if safe:  # the options a false "infeasible" was seen under (issue: presolve off, no feasibility jump)
            h.setOptionValue("presolve", "on")
            h.setOptionValue("mip_heuristic_run_feasibility_jump", True)
        try:
            answer = self._lp_first(self.all_cols, self.as_mip, self.integer) if self.as_mip is not None else None
            if answer is not None:
                return answer[0], answer[1], answer[2], answer[2]
            if start is not None:
                # a fresh incumbent for a coupled model, whose first plan is the hard part to find
                h.setSolution(_solution(self.hs, start))
            self.set_time_limit(seconds - (time.perf_counter() - began), lp=self.as_mip is None)
            h.run()
            status, x, value = self._answer()
            info = h.getInfo()
            if status == SolveStatus.OPTIMAL:
                bound = value if self.as_mip is None else float(info.mip_dual_bound)
            else:
                bound = float(info.mip_dual_bound) if self.as_mip is not None else None
            if bound is not None and not np.isfinite(bound):
                bound = None
            return status, x, value, bound
        finally:
            if held is not None:
                h.changeColsBounds(len(held), held, lp.lower[held], lp.upper[held])
            if safe:
                h.setOptionValue("presolve", "on" if self.big else "off")
                h.setOptionValue("mip_heuristic_run_feasibility_jump", self.big)

    def hold(self, cost: np.ndarray, bound: float) -> None:
        nz = np.nonzero(cost)[0]
        self.h.addRow(-self.hs.kHighsInf, bound, len(nz), nz.astype(np.int32), cost[nz])

    def duals(self, n_rows: int) -> np.ndarray | None:
        return np.asarray(self.h.getSolution().row_dual)[:n_rows]

    def _answer(self) -> tuple[SolveStatus, np.ndarray | None, float]:
        """(status, column values, objective) of the last run."""
        info = self.h.getInfo()
        status = read_status(_HIGHS_OUTCOME.get(self.h.getModelStatus().name, "error"),
                             info.primal_solution_status == 2)  # kSolutionStatusFeasible
        if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            return status, None, 0.0
        return status, np.asarray(self.h.getSolution().col_value), float(info.objective_function_value)

    def _lp_first(self, cols: np.ndarray, as_mip: np.ndarray, integer: np.ndarray
                  ) -> tuple[SolveStatus, np.ndarray | None, float] | None:
        """Solve the LP relaxation first: when its optimum is integral it is the MIP's optimum too (the bound
        is met), as on most county models — a fraction of the time of HiGHS's MIP machinery. An infeasible
        relaxation proves the MIP infeasible. Otherwise None: "run the MIP" (integrality is always put back)."""
        h = self.h
        h.changeColsIntegrality(len(cols), cols, np.zeros(len(cols), dtype=np.int32))
        h.run()
        answer = self._answer()
        h.changeColsIntegrality(len(cols), cols, as_mip)
        status, x, _ = answer
        if status == SolveStatus.INFEASIBLE:
            return answer
        if status == SolveStatus.OPTIMAL and x is not None and np.all(
                np.abs(x[integer] - np.round(x[integer])) <= INTEGRAL_TOL):
            return status, np.where(integer, np.round(x), x), answer[2]
        return None


def _solution(hs, x: np.ndarray):
    sol = hs.HighsSolution()
    sol.col_value = np.asarray(x, dtype=float)
    sol.value_valid = True
    return sol


def _quiet(make):
    """highspy prints a banner on stdout when the first Highs() is made; send it to /dev/null so that
    ``--json`` output stays one JSON object."""
    if _Highs._banner_done:
        return make()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            made = make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _Highs._banner_done = True
    return made


# -------------------------------------------------------------------------------------- CBC via PuLP

def _pulp_outcome(prob) -> tuple[str, bool]:
    import pulp

    has = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if prob.sol_status == pulp.LpSolutionOptimal:
        return "optimal", True
    if prob.sol_status == pulp.LpSolutionIntegerFeasible:
        return "limit", True
    if prob.status == pulp.LpStatusInfeasible or prob.sol_status == pulp.LpSolutionInfeasible:
        return "infeasible", has
    if prob.status == pulp.LpStatusUnbounded or prob.sol_status == pulp.LpSolutionUnbounded:
        return "unbounded", has
    if prob.status == pulp.LpStatusNotSolved:
        return "limit", has
    return "error", has


class _Cbc(_Adapter):
    """The same program through PuLP's CBC: the fallback solver, and an independent check of HiGHS."""

    name = "CBC"

    def begin(self, lp: LinearProgram, cost: np.ndarray, mip_gap: float, integer: np.ndarray) -> None:
        import pulp

        self.pulp, self.lp, self.mip_gap, self.relax = pulp, lp, mip_gap, not integer.any()
        self.prob = prob = pulp.LpProblem("capability_schedule", pulp.LpMinimize)
        kinds = [pulp.LpInteger if v else pulp.LpContinuous for v in integer]
        self.cols = cols = [prob.add_variable(f"c{j}", None if lo == -np.inf else lo, None if up == np.inf else up,
                                              kind) for j, (lo, up, kind) in enumerate(zip(lp.lower, lp.upper, kinds,
                                                                                               strict=True))]
        start, index, value = lp.csc
        by_row: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in range(lp.n_rows)]
        for j in range(lp.n_cols):
            for k in range(start[j], start[j + 1]):
                by_row[index[k]].append((cols[j], value[k]))
        for i, (lo, up) in enumerate(zip(lp.rows_lower, lp.rows_upper, strict=True)):
            expr = pulp.LpAffineExpression(by_row[i])
            if lo == up:
                prob += expr == lo, f"r{i}"
            else:
                if up != np.inf:
                    prob += expr <= up, f"r{i}u"
                if lo != -np.inf:
                    prob += expr >= lo, f"r{i}l"
        self.n_holds = 0

    def _expr(self, cost: np.ndarray):
        return self.pulp.LpAffineExpression([(self.cols[j], cost[j]) for j in np.nonzero(cost)[0]])

    def run(self, cost: np.ndarray, seconds: float, held: np.ndarray | None, start: np.ndarray | None,
            safe: bool = False) -> tuple[SolveStatus, np.ndarray | None, float, float | None]:
        pulp, prob, cols, lp = self.pulp, self.prob, self.cols, self.lp
        prob.setObjective(self._expr(cost))
        left = max(0.05, seconds)
        called = time.perf_counter()
        for j in held if held is not None else ():
            cols[j].upBound = 0.0
        try:
            prob.solve(pulp.PULP_CBC_CMD(msg=False, mip=not self.relax, timeLimit=left, gapRel=self.mip_gap,
                                         threads=1, options=["preprocess off"] if safe else []))
        except pulp.PulpSolverError:
            return SolveStatus.ERROR, None, 0.0, None
        finally:
            for j in held if held is not None else ():
                cols[j].upBound = None if lp.upper[j] == np.inf else lp.upper[j]
        outcome, has = _pulp_outcome(prob)
        if outcome == "infeasible" and time.perf_counter() - called >= left:
            # CBC's preprocessing, cut short by the time limit, says "infeasible" without a proof (seen on a
            # soft model, which is always feasible): a claim made when the time was up is only a limit
            outcome = "limit"
        status = read_status(outcome, has)
        if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            return status, None, 0.0, None
        x = np.array([c.varValue or 0.0 for c in cols])
        value = float(cost @ x)
        return status, x, value, value if status == SolveStatus.OPTIMAL else None

    def hold(self, cost: np.ndarray, bound: float) -> None:
        self.prob += (self._expr(cost) <= bound), f"hold{self.n_holds}"
        self.n_holds += 1

    def duals(self, n_rows: int) -> np.ndarray | None:
        row_duals = np.zeros(n_rows)
        for i in range(n_rows):
            for name in (f"r{i}", f"r{i}u", f"r{i}l"):
                con = self.prob.constraints.get(name)
                if con is not None and con.pi is not None:
                    row_duals[i] += con.pi
        return row_duals
