"""The MILP, written once: which quarter each county starts building each capability it lacks.

Read top to bottom, this module is the whole formulation. ``build_model`` creates every variable first
(``define_variables``), then calls one ``define_*`` function per constraint family, in the words a metrology
planner would use; each family writes numpy coefficient arrays into a ``LinearProgram``:

- ``define_gaps_closed_once``: every gap is built once (or, in a what-if, shared / left unbuilt);
- ``define_start_years``: with soft deadlines, the year each gap starts in (its capex falls in that year's
  budget): the same plans, a formulation HiGHS proves faster when gaps may be missed (see ``define_variables``);
- ``define_deadlines``: hard mode, every gap online by its deadline quarter;
- ``define_budgets``: a county's spending in a calendar year within its budget (pool, carry-over options,
  the what-if savings of related items started together);
- ``define_city_pool``: a city-wide pool per year any county may draw on;
- ``define_city_capacity``: at most K new standards assessed (建标考核) by the city institute per quarter;
- ``define_shared_fixed_costs``: a group's saving is earned only when two or more of its items start together;
- ``define_targets``: coverage, count and deadline targets of the plan (``planner.model.targets``): enough items
  covered, or standards built, by each target's date — hard, or soft with the shortfall minimised first.

The objectives are cost vectors over the same columns, all in ``planner.model.objective``: its ``staged``
gives the whole lexicographic ladder, stage by stage (``BudgetMode``, what the analyses minimise, lives there
too and is re-exported here).

Semantics (README, "How the plan is computed"): a gap started in quarter t is online from t + L (L = lead
time in quarters). Capex is paid in the start quarter; opex/4 each quarter from online to the horizon end;
a shared gap pays its yearly fee/4 each quarter from the start of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.domain import DeadlineMode
from planner.model.instance import GapArrays, Instance
from planner.model.objective import BudgetMode
from planner.model.program import INF, LinearProgram


@dataclass
class Model:
    """A built program and the column/row indices of each variable and constraint family.

    Index arrays hold -1 where a variable does not exist (e.g. no ``shared`` column when sharing is off).
    """

    inst: Instance
    lp: LinearProgram
    budget_mode: BudgetMode
    a: GapArrays
    x: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per candidate start
    start_year: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per candidate: its year column
    year_gap: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per year column: its gap
    year_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per year column: its year
    shared: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per gap
    unbuilt: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per gap
    together: list[tuple[int, int, int, list[int]]] = field(default_factory=list)  # (col, region, quarter, gaps)
    together_saving: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pool: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))  # regions x years
    carry: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    extra: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    extra_capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per quarter
    budget: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))  # regions x years
    shortfall: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per target row (-1: hard)
    covered: list[np.ndarray] = field(default_factory=list)  # per target row: per cell, its column (-1: direct)

    @property
    def n_regions(self) -> int:
        return len(self.inst.regions)

    @property
    def n_years(self) -> int:
        return len(self.inst.years)


def build_model(inst: Instance, budget_mode: BudgetMode = BudgetMode.FIXED, relax: bool = False,
                exempt: frozenset[int] = frozenset()) -> Model:
    """Assemble the MILP from its families. ``relax`` makes the choices continuous (LP relaxation); gaps in
    ``exempt`` may miss their hard deadline (explanations set aside gaps no money can make on time)."""
    m = Model(inst, LinearProgram(), budget_mode, inst.arrays)
    define_variables(m, integer=not relax, exempt=exempt)
    define_gaps_closed_once(m)
    define_start_years(m)
    if inst.scenario.deadline_mode == DeadlineMode.HARD:
        define_deadlines(m, exempt)
    define_budgets(m)
    define_city_pool(m)
    define_city_capacity(m)
    define_shared_fixed_costs(m)
    define_targets(m)
    return m


def _block(lp: LinearProgram, name: str | None, shape: tuple[int, ...], wanted: bool, **kw) -> np.ndarray:
    """Columns for a block of variables shaped ``shape``, or -1 everywhere when the block is not wanted;
    ``name`` for a block found by name (``LinearProgram.columns``)."""
    n = int(np.prod(shape))
    if not wanted or n == 0:
        return np.full(shape, -1, dtype=np.int64)
    return lp.add_columns(n, name=name, **kw).reshape(shape)


def define_variables(m: Model, integer: bool = True, exempt: frozenset[int] = frozenset()) -> None:
    """Every variable, before any constraint: start choices, shared / unbuilt, the what-ifs' money flows,
    the analyses' extra money or budgets, and the saving indicators of share groups."""
    inst, a, lp = m.inst, m.a, m.lp
    scenario, opts = inst.scenario, inst.scenario.options
    n_gaps, n_r, n_y, n_q = len(inst.gaps), m.n_regions, m.n_years, len(inst.quarters)
    soft = scenario.deadline_mode == DeadlineMode.SOFT
    m.x = lp.add_columns(len(a.gap), 0.0, 1.0, integer)
    m.start_year = np.full(len(a.gap), -1, dtype=np.int64)
    if soft:
        # The year of each start, through which capex is charged: branching on the year, then the quarter, is
        # what lets HiGHS prove the hard soft-deadline cases (measured: the 18 Nantong frontier solves 31 s ->
        # 17 s, the slowest county 12 s -> 3.4 s); with hard deadlines it only slows the solve (national 4 s -> 7 s).
        pairs = a.gap * m.n_years + a.year_of_quarter[a.start]
        unique, inverse = np.unique(pairs, return_inverse=True)
        m.year_gap, m.year_of = unique // m.n_years, unique % m.n_years
        m.start_year = lp.add_columns(len(unique), 0.0, 1.0, integer, name="start_year")[inverse]
    m.shared = _block(lp, None, (n_gaps,), opts.sharing, lower=0.0, upper=1.0, integer=integer)
    has_start = np.bincount(a.gap, minlength=n_gaps) > 0
    may_be_unbuilt = np.ones(n_gaps, bool) if soft else ~has_start
    may_be_unbuilt[list(exempt)] = True
    m.unbuilt = np.full(n_gaps, -1, dtype=np.int64)
    if may_be_unbuilt.any():
        m.unbuilt[may_be_unbuilt] = lp.add_columns(int(may_be_unbuilt.sum()), 0.0, 1.0, integer)
    m.pool = _block(lp, "pool", (n_r, n_y), opts.city_pool_wan > 0)
    m.carry = _block(lp, None, (n_r, n_y), opts.carry_over)  # unspent at the end of each year
    m.extra = _block(lp, "extra", (n_r, n_y), m.budget_mode == BudgetMode.ELASTIC)
    m.extra_capacity = _block(lp, "extra_capacity", (n_q,), m.budget_mode == BudgetMode.ELASTIC
                              and scenario.city_capacity is not None)
    if m.budget_mode == BudgetMode.MINIMISE:
        m.budget = np.repeat(lp.add_columns(n_r, name="budget")[:, None], n_y, axis=1)  # one per county, every year
    else:
        m.budget = _block(lp, "budget", (n_r, n_y), m.budget_mode == BudgetMode.MINIMISE_YEARLY)
    if opts.share_discount:
        _define_together_variables(m, integer)
    rows = inst.targets
    m.shortfall = np.full(len(rows), -1, dtype=np.int64)
    soft_rows = np.array([not row.hard for row in rows], dtype=bool)
    if soft_rows.any():  # how many items (or standards) a soft target is short of
        m.shortfall[soft_rows] = lp.add_columns(int(soft_rows.sum()), name="target_shortfall")
    # a cell several regions' builds can cover (上级可计入) gets an indicator: covered at most once, at most 1
    m.covered = []
    for row in rows:
        shared = np.array([len(cell) > 1 for cell in row.cells], dtype=bool)
        cols = np.full(len(row.cells), -1, dtype=np.int64)
        if shared.any():
            cols[shared] = lp.add_columns(int(shared.sum()), 0.0, 1.0)
        m.covered.append(cols)


def _define_together_variables(m: Model, integer: bool) -> None:
    """One indicator per (county, share group, quarter) in which two or more of the group's items can start."""
    inst, a = m.inst, m.a
    saving = []
    for grp in inst.share_groups:
        members = np.array([n for n, g in enumerate(inst.gaps) if g.item.name in grp.items], dtype=np.int64)
        for r in np.unique(a.region[members]) if len(members) else []:
            mine = members[a.region[members] == r]
            if len(mine) < 2:
                continue
            cand = np.isin(a.gap, mine)
            quarters, counts = np.unique(a.start[cand], return_counts=True)
            for q in quarters[counts >= 2]:
                gaps_then = sorted(a.gap[cand & (a.start == q)].tolist())
                m.together.append((-1, int(r), int(q), gaps_then))
                saving.append(grp.saving_wan)
    if m.together:
        cols = m.lp.add_columns(len(m.together), 0.0, 1.0, integer)
        m.together = [(int(c), r, q, gs) for c, (_, r, q, gs) in zip(cols, m.together, strict=True)]
    m.together_saving = np.array(saving, dtype=float)


def define_gaps_closed_once(m: Model) -> None:
    """Each gap is started exactly once, or shared, or (soft mode) left unbuilt within the horizon:

        sum_q x[g,q] + s[g] + u[g] = 1      for every gap g

    (x[g,q]: g starts in quarter q, over its candidate starts; s[g] only when sharing is on, u[g] only where g may
    be left unbuilt)."""
    a, n_gaps = m.a, len(m.inst.gaps)
    rows, cols = [a.gap], [m.x]
    for block in (m.shared, m.unbuilt):
        present = np.nonzero(block >= 0)[0]
        rows.append(present)
        cols.append(block[present])
    m.lp.add_rows(1.0, 1.0, n=n_gaps, rows=np.concatenate(rows), cols=np.concatenate(cols),
                  values=1.0)


def define_start_years(m: Model) -> None:
    """A gap starts in a year exactly when one of its starts in that year is chosen (soft deadlines only):

        y[g,Y] = sum_{q in Y} x[g,q]        for every gap g and year Y with a candidate start"""
    cols = m.lp.columns("start_year")
    if not len(cols):
        return
    row_of = {int(c): n for n, c in enumerate(cols)}
    rows = np.array([row_of[int(c)] for c in m.start_year], dtype=np.int64)
    m.lp.add_rows(0.0, 0.0, n=len(cols), rows=np.concatenate([np.arange(len(cols)), rows]),
                  cols=np.concatenate([cols, m.x]), values=np.concatenate([np.ones(len(cols)), -np.ones(len(rows))]))


def define_deadlines(m: Model, exempt: frozenset[int] = frozenset()) -> None:
    """Hard mode: no start may bring a gap online after its deadline quarter, and no gap is left unbuilt
    (a gap no start can make on time is left infeasible, and the explanation names it), unless exempt:

        x[g,q] = 0 whenever q + L[g] > d[g],   u[g] = 0      for every gap g not exempt

    (L[g] the lead time, d[g] the deadline quarter; written as upper bounds, not rows)."""
    a = m.a
    keep = ~np.isin(a.gap, list(exempt))
    m.lp.fix_upper(m.x[(a.lateness > 0) & keep], 0.0)
    must = np.ones(len(m.inst.gaps), bool)
    must[list(exempt)] = False
    m.lp.fix_upper(m.unbuilt[must & (m.unbuilt >= 0)], 0.0)


def define_budgets(m: Model) -> None:
    """Spending of each county-year (capex of starts, opex once online, fees of shared gaps, less the what-if
    savings of related items started together) within its budget, plus the what-ifs: money from the city
    pool, and unspent money carried to the next year. Analyses make the budget a variable or add extra:

        sum_{g of r, q} spend[g,q,Y] x[g,q] + sum_{g of r} fee[g,Y] s[g] - sum saving[G] t[r,G,q in Y]
          - pool[r,Y] - extra[r,Y] - B[r,Y] + carry[r,Y] - carry[r,Y-1] <= budget[r,Y]
                                                            for every county r and year Y

    (spend: capex in the start year, through y[g,Y] when those columns exist, opex/4 per quarter online; with
    carry-over the row is an equality: whatever is not spent is carried; B the analyses' budget variables,
    budget[r,Y] then 0)."""
    inst, a, lp = m.inst, m.a, m.lp
    n_r, n_y = m.n_regions, m.n_years
    row_of = np.arange(n_r * n_y).reshape(n_r, n_y)
    spend = a.spending(n_y)  # candidates x years
    by_year = (m.start_year >= 0).any()
    if by_year:  # capex through the start-year columns instead
        spend[np.arange(len(a.gap)), a.year_of_quarter[a.start]] -= a.capex[a.gap]
    c, y = np.nonzero(np.abs(spend) > 1e-12)
    rows, cols, vals = [row_of[a.region[a.gap[c]], y]], [m.x[c]], [spend[c, y]]
    if by_year:
        rows.append(row_of[a.region[m.year_gap], m.year_of])
        cols.append(lp.columns("start_year"))
        vals.append(a.capex[m.year_gap])
    shared = np.nonzero(m.shared >= 0)[0]
    if len(shared):
        fees = a.fees(n_y)[shared]
        g, y = np.nonzero(fees)
        rows.append(row_of[a.region[shared[g]], y])
        cols.append(m.shared[shared[g]])
        vals.append(fees[g, y])
    for (col, r, q, _), saving in zip(m.together, m.together_saving, strict=True):
        rows.append(np.array([row_of[r, a.year_of_quarter[q]]]))
        cols.append(np.array([col]))
        vals.append(np.array([-saving]))
    for block, sign in ((m.pool, -1.0), (m.extra, -1.0), (m.budget, -1.0), (m.carry, 1.0)):
        present = block >= 0
        rows.append(row_of[present])
        cols.append(block[present])
        vals.append(np.full(int(present.sum()), sign))
    if (m.carry >= 0).any():  # last year's unspent money is available this year
        rows.append(row_of[:, 1:].ravel())
        cols.append(m.carry[:, :-1].ravel())
        vals.append(np.full(n_r * (n_y - 1), -1.0))
    if m.budget_mode in (BudgetMode.MINIMISE, BudgetMode.MINIMISE_YEARLY):
        upper = np.zeros(n_r * n_y)
    else:
        upper = np.array([inst.budgets[(r, yr)] for r in inst.regions for yr in inst.years], dtype=float)
    # with carry-over, whatever is not spent is carried (an equality), as the spending table reports it
    lower = upper if (m.carry >= 0).any() else -INF
    lp.add_rows(lower, upper, n=n_r * n_y, rows=np.concatenate(rows), cols=np.concatenate(cols),
                values=np.concatenate(vals), name="budget")  # regions x years: its duals are read by name


def define_city_pool(m: Model) -> None:
    """What-if: a city-wide pool per year; all counties together draw at most the pool:

        sum_r pool[r,Y] <= P                for every year Y"""
    pool = m.inst.scenario.options.city_pool_wan
    if pool <= 0:
        return
    n_r, n_y = m.n_regions, m.n_years
    m.lp.add_rows(-INF, pool, n=n_y, rows=np.tile(np.arange(n_y), n_r), cols=m.pool.ravel(),
                  values=1.0)


def define_city_capacity(m: Model) -> None:
    """The city institute assesses (建标考核) at most K new standards per quarter, counted in the quarter a
    standard comes online (explanations may add extra assessments, at a price):

        sum_{g,q: q + L[g] = t} x[g,q] - e[t] <= K      for every quarter t"""
    k = m.inst.scenario.city_capacity
    if k is None:
        return
    a, n_q = m.a, len(m.inst.quarters)
    rows, cols = [a.online], [m.x]
    present = np.nonzero(m.extra_capacity >= 0)[0]
    m.lp.add_rows(-INF, float(k), n=n_q,
                  rows=np.concatenate(rows + [present]), cols=np.concatenate(cols + [m.extra_capacity[present]]),
                  values=np.concatenate([np.ones(len(a.gap)), -np.ones(len(present))]))


def define_shared_fixed_costs(m: Model) -> None:
    """What-if: a group's saving is earned once per county and quarter in which two or more of its missing
    items start together (``together`` may be 1 only if at least two members start then):

        2 t[r,G,q] <= sum_{g in G, of r} x[g,q]     for every county r, share group G and quarter q"""
    if not m.together:
        return
    a = m.a
    cand_of = {(int(g), int(q)): n for n, (g, q) in enumerate(zip(a.gap, a.start, strict=True))}
    rows, cols, vals = [], [], []
    for n, (col, _, q, gaps) in enumerate(m.together):
        rows += [n] * (len(gaps) + 1)
        cols += [col] + [int(m.x[cand_of[(g, q)]]) for g in gaps]
        vals += [2.0] + [-1.0] * len(gaps)
    m.lp.add_rows(-INF, 0.0, n=len(m.together), rows=np.array(rows), cols=np.array(cols),
                  values=np.array(vals))


def define_targets(m: Model) -> None:
    """Coverage, count and deadline targets: the cells covered by each target's date (a gap of the cell online
    by then), plus what was there at the start, at least what the target asks; a soft target may fall short,
    at a price paid before any other (``objective.target_shortfall``):

        sum_{cells c} cov[c] + short[n] >= need[n]                  for every target row n
        cov[c] <= sum_{g in c, q: q + L[g] <= by[n]} x[g,q]        for every cell c several gaps can cover

    (a cell one gap covers counts its in-time starts directly; short[n] only for a soft row; need[n] is the ask
    less what was covered at the start)."""
    a, lp, index = m.a, m.lp, m.inst.gap_index
    for n, row in enumerate(m.inst.targets):
        if row.implied:  # a hard deadline target under hard deadlines: ``define_deadlines`` holds it already
            continue
        by = row.by.index - m.inst.quarters[0].index
        terms: list[int] = [] if m.shortfall[n] < 0 else [int(m.shortfall[n])]  # columns counted once each
        for cell, col in zip(row.cells, m.covered[n], strict=True):
            in_time = m.x[np.isin(a.gap, [index[k] for k in cell if k in index]) & (a.online <= by)]
            if col < 0:  # one gap covers it: its starts that come online in time count directly
                terms += in_time.tolist()
                continue
            terms.append(int(col))  # covered <= the builds online in time, of any region that counts
            lp.add_rows(-INF, 0.0, n=1, rows=np.zeros(len(in_time) + 1, np.int64),
                        cols=np.concatenate([[col], in_time]), values=np.concatenate([[1.0], -np.ones(len(in_time))]))
        lp.add_rows(float(row.need), INF, n=1, rows=np.zeros(len(terms), np.int64),
                    cols=np.array(terms, np.int64), values=1.0)


def column_regions(m: Model) -> np.ndarray:
    """The region (index into ``inst.regions``) each column belongs to; -1 for a column shared by regions (a
    target row over several, the city's extra assessments). Independent regions' columns never share a row."""
    out = np.full(m.lp.n_cols, -1, dtype=np.int64)
    a = m.a
    out[m.x] = a.region[a.gap]
    if (m.start_year >= 0).any():
        out[m.lp.columns("start_year")] = a.region[m.year_gap]
    for block in (m.shared, m.unbuilt):
        present = block >= 0
        out[block[present]] = a.region[present]
    for block in (m.pool, m.carry, m.extra, m.budget):
        present = block >= 0
        out[block[present]] = np.broadcast_to(np.arange(m.n_regions)[:, None], block.shape)[present]
    for col, r, _, _ in m.together:
        out[col] = r
    index = {r: n for n, r in enumerate(m.inst.regions)}
    for n, row in enumerate(m.inst.targets):
        if len(row.regions) == 1:
            owner = index[row.regions[0]]
            if m.shortfall[n] >= 0:
                out[m.shortfall[n]] = owner
            out[m.covered[n][m.covered[n] >= 0]] = owner
    return out


def build_nothing(m: Model) -> np.ndarray | None:
    """The plan that builds nothing, as a point of the program: feasible whenever every gap may be left unbuilt
    and every target may fall short (soft deadlines, soft targets, budgets not negative). The first stage starts
    from it, so a soft plan is never "not found" (``planner.model.backend.solve_program``). None otherwise."""
    if (m.unbuilt < 0).any() or m.budget_mode != BudgetMode.FIXED:
        return None
    x = np.zeros(m.lp.n_cols)
    x[m.unbuilt] = 1.0
    for n, row in enumerate(m.inst.targets):
        if row.need > 0:
            if m.shortfall[n] < 0:
                return None
            x[m.shortfall[n]] = row.need
    if (m.carry >= 0).any():  # carry-over rows are equalities: every unspent 万元 is carried
        budgets = np.array([[m.inst.budgets[(r, y)] for y in m.inst.years] for r in m.inst.regions], dtype=float)
        x[m.carry] = np.cumsum(budgets, axis=1)
    return x
