"""What a plan is judged by: the whole lexicographic ladder of the objective, stage by stage, with its cost
vectors; and the one place lateness, open quarters and missed gaps are computed.

The ladder (``staged`` gives it to the solver, each stage minimised with the stages before it held):

0. **Least target shortfall** (``target_shortfall``), when a coverage, count or deadline target is soft: the
   items (or standards) the soft targets fall short of, in total.
1. **Fewest missed gaps** (``missed_gaps``): the priority-weighted count of gaps not 配置到位 by their deadline
   (built late, shared, or unbuilt). A stage of its own whenever a gap can be missed.
2. **Least lateness** (``lateness_cost``): priority x quarters late for a late build; a gap that is not built
   counts as coming online ``missing_rank`` quarters after the horizon end (sharing 1, unbuilt 2), i.e.
   ``priority x (max lateness + rank)`` with max lateness = horizon end - deadline quarter: sharing ranks after
   any late build, unbuilt after sharing.
3. Then, for the **earliest** objective (the default), the priority-weighted quarters each gap stays open
   (``open_cost``: from the plan start to its online quarter; a gap not built by the same rule: horizon length
   - 1 + rank), then least cost (``spending_cost``). For the **cheapest** objective, least cost right after
   lateness.

Stages 2 and 3 are one weighted vector (``ladder``) whose weights keep it lexicographic (``weights``); ``score``
gives the value of any plan under them, so plans solved in parts or by other solvers can be compared. The
analyses replace the ladder by one stage of their own (``BudgetMode``): the least extra money
(``extra_money``) or the least budgets (``total_budget``).

Quarters are plain integers here (``Quarter.index``, or offsets from the plan start: only differences count).
Every report of lateness, open quarters or missed gaps (``Instance.lateness``, ``GapArrays.lateness``, the
cost vectors, the schedule, the summary, marginal values, the workbook) calls the functions below; the ``_v``
functions are their numpy versions, over arrays of gaps or candidate starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from planner.domain import GapMode, Objective
from planner.quarters import Quarter

if TYPE_CHECKING:  # instance.py and families.py ask this module: the imports run one way only
    from planner.model.families import Model
    from planner.model.instance import Gap, Instance

__all__ = ["Objective", "Weights", "weights", "missing_rank", "lateness", "lateness_v", "missing_lateness",
           "missing_lateness_v", "missing_open", "gap_lateness", "gap_open", "gap_missed", "shared_penalty",
           "unbuilt_penalty", "missed", "late_quarters", "ranked_lateness", "open_quarters", "score",
           "missed_weight", "BudgetMode", "target_shortfall", "missed_gaps", "idle_when_counting_misses",
           "spending_cost", "open_cost", "lateness_cost", "ladder", "extra_money", "total_budget", "staged",
           "stages"]


# ------------------------------------------------------------------------------ one gap, one rule

def missing_rank(mode: GapMode | str) -> int:
    """How many quarters past the horizon end a gap that is not built counts as coming online, in the lateness
    and open-quarter stages: sharing 1, unbuilt 2 (sharing ranks after any late build, unbuilt after sharing).
    The one rule for a gap not built: change it here and the model, the score and every report follow."""
    return 1 if GapMode(mode) == GapMode.SHARED else 2


def lateness(online: int, due: int) -> int:
    """Quarters a gap online in quarter ``online`` comes after its deadline quarter ``due`` (0 when on time)."""
    return max(0, online - due)


def lateness_v(online: np.ndarray, due: np.ndarray) -> np.ndarray:
    """``lateness`` over arrays."""
    return np.maximum(0, online - due)


def missing_lateness(mode: GapMode | str, due: int, end: int) -> int:
    """The quarters late the lateness stage charges a gap that is not built (``mode`` shared or unbuilt): its
    max lateness (horizon end ``end`` - deadline quarter ``due``, at least 0) + ``missing_rank``."""
    return max(0, end - due) + missing_rank(mode)


def missing_lateness_v(mode: GapMode | str, due: np.ndarray, end: int) -> np.ndarray:
    """``missing_lateness`` over an array of deadline quarters."""
    return np.maximum(0, end - due) + missing_rank(mode)


def missing_open(mode: GapMode | str, n_quarters: int) -> int:
    """Quarters a gap that is not built stays open: the horizon's ``n_quarters`` - 1 + ``missing_rank`` (a shared
    gap the whole horizon, an unbuilt one a quarter more)."""
    return n_quarters - 1 + missing_rank(mode)


def _mode(pick: Quarter | GapMode | str) -> GapMode:
    return GapMode.BUILT if isinstance(pick, Quarter) else GapMode(pick)


def gap_lateness(inst: Instance, gap: Gap, pick: Quarter | GapMode | str) -> int:
    """Quarters late the lateness stage charges ``gap`` when started in ``pick`` (a quarter) or shared / unbuilt."""
    if isinstance(pick, Quarter):
        return lateness(pick.index + gap.lead_quarters, gap.deadline_quarter.index)
    return missing_lateness(pick, gap.deadline_quarter.index, inst.horizon_end.index)


def gap_open(inst: Instance, gap: Gap, pick: Quarter | GapMode | str) -> int:
    """Quarters ``gap`` stays open: from the plan start to its online quarter, or ``missing_open``."""
    if isinstance(pick, Quarter):
        return pick.index + gap.lead_quarters - inst.quarters[0].index
    return missing_open(pick, len(inst.quarters))


def gap_missed(inst: Instance, gap: Gap, pick: Quarter | GapMode | str) -> bool:
    """Not 配置到位 by the deadline: built late, shared or unbuilt."""
    return _mode(pick) != GapMode.BUILT or gap_lateness(inst, gap, pick) > 0


@dataclass(frozen=True)
class Weights:
    late: float  # per priority-weighted quarter of lateness
    open: float  # per priority-weighted quarter a gap stays open (0 for the cheapest objective)
    cost: float  # per 万元


def weights(inst: Instance, objective: Objective = Objective.EARLIEST) -> Weights:
    """Weights that make steps 2-3 lexicographic: any lateness outweighs every open quarter, and all the cost
    together weighs less than the smallest difference in the step before it."""
    max_cost = sum(g.capex_wan + (g.item.opex_wan + g.item.service_fee_wan) * len(inst.years)
                   for g in inst.gaps) + 1
    min_priority = min((g.item.priority for g in inst.gaps if g.item.priority > 0), default=1.0)
    cost = 0.25 * min(1.0, min_priority) / max_cost
    if objective == Objective.CHEAPEST:
        return Weights(late=1.0, open=0.0, cost=cost)
    most_open = max(missing_open(mode, len(inst.quarters)) for mode in (GapMode.SHARED, GapMode.UNBUILT))
    max_open = sum(g.item.priority * most_open for g in inst.gaps) + 1
    return Weights(late=max_open, open=1.0, cost=cost)


def shared_penalty(inst: Instance, gap: Gap) -> float:
    """Sharing does not count as 配置到位: it ranks after any late build, before leaving a gap unbuilt."""
    return gap.item.priority * gap_lateness(inst, gap, GapMode.SHARED)


def unbuilt_penalty(inst: Instance, gap: Gap) -> float:
    """The lateness stage's charge for leaving ``gap`` unbuilt."""
    return gap.item.priority * gap_lateness(inst, gap, GapMode.UNBUILT)


Choice = dict[tuple[str, str], "Quarter | GapMode | str"]  # gap key -> start quarter, or GapMode shared / unbuilt


def missed(inst: Instance, choice: Choice) -> float:
    """Priority-weighted gaps not on time: built late, shared or unbuilt."""
    return sum(g.item.priority for g in inst.gaps if gap_missed(inst, g, choice[g.key]))


def late_quarters(inst: Instance, choice: Choice) -> int:
    """Quarters late over the gaps built late (shared and unbuilt gaps are counted by ``missed``)."""
    return sum(gap_lateness(inst, g, choice[g.key]) for g in inst.gaps if isinstance(choice[g.key], Quarter))


def ranked_lateness(inst: Instance, choice: Choice) -> int:
    """Quarters late as the lateness stage counts them (unweighted): a gap not built by ``missing_lateness``."""
    return sum(gap_lateness(inst, g, choice[g.key]) for g in inst.gaps)


def open_quarters(inst: Instance, choice: Choice) -> int:
    """Quarters gaps stay open (unweighted): to the online quarter, or ``missing_open`` when not built."""
    return sum(gap_open(inst, g, choice[g.key]) for g in inst.gaps)


def score(inst: Instance, choice: Choice, cost_wan: float, objective: Objective = Objective.EARLIEST) -> float:
    """The objective of a plan under ``inst``'s weights, missed gaps included (``missed_weight``). One pass over
    the gaps: a national plan scores in a fraction of a second."""
    w = weights(inst, objective)
    missed_n = late = open_q = 0.0
    for gap in inst.gaps:
        p, pick = gap.item.priority, choice[gap.key]
        missed_n += p if gap_missed(inst, gap, pick) else 0.0
        late += p * gap_lateness(inst, gap, pick)
        open_q += p * gap_open(inst, gap, pick)
    return missed_weight(inst, objective) * missed_n + w.late * late + w.open * open_q + w.cost * cost_wan


def missed_weight(inst: Instance, objective: Objective = Objective.EARLIEST) -> float:
    """For reporting only (the solver takes missed gaps in a stage of their own): a weight under which one
    missed gap outweighs all the lateness, open quarters and cost a plan can have."""
    w = weights(inst, objective)
    return w.late * (sum(unbuilt_penalty(inst, g) for g in inst.gaps) + 1) + w.late


# ------------------------------------------------------------------------------------ the stages

class BudgetMode(StrEnum):
    """What a solve minimises: the ladder under the budgets as given, or an analysis's one stage of money."""

    FIXED = "fixed"  # budgets as given
    ELASTIC = "elastic"  # extra money allowed, minimised: how much is short (explanations)
    MINIMISE = "minimise"  # one flat yearly budget per county, minimised (min-budget analysis)
    MINIMISE_YEARLY = "minimise_yearly"  # a budget per county and year, minimised in total


def target_shortfall(m: Model) -> np.ndarray:
    """Items (or standards) the soft targets fall short of, in total."""
    c = _cost(m)
    c[m.lp.columns("target_shortfall")] = 1.0
    return c


def _cost(m: Model) -> np.ndarray:
    """A zero cost vector over the model's columns."""
    return np.zeros(m.lp.n_cols)


def missed_gaps(m: Model) -> np.ndarray:
    """Priority-weighted count of gaps not 配置到位 by their deadline: built late, shared, or unbuilt."""
    a, c = m.a, _cost(m)
    late = a.lateness > 0
    c[m.x[late]] = a.priority[a.gap[late]]
    for block in (m.shared, m.unbuilt):
        present = block >= 0
        c[block[present]] = a.priority[present]
    return c


def idle_when_counting_misses(m: Model) -> np.ndarray | None:
    """Start columns that may be held at zero while the target shortfall and the fewest missed gaps are sought
    (``target_shortfall``, ``missed_gaps``): a start whose gap has a later start in the same year that is on time
    exactly when it is and covers every target cell it covers (online by the same target dates) — its capex falls
    in the same year and its opex begins later, so it needs no more money in any year and scores the same; and a
    late start covering no target cell when the gap may be left unbuilt (that misses it as well and spends
    nothing). Neither stage's optimum changes without them, and the model that searches for it is several times
    smaller. None when a family rewards a start's quarter or its mere existence otherwise (the city's assessment
    capacity counts starts by quarter, share-group savings by quarter)."""
    inst, a = m.inst, m.a
    if inst.scenario.city_capacity is not None or m.together or not len(a.gap):
        return None
    # per gap, the quarters that matter for these stages: its deadline and the dates of the targets it counts for
    thresholds: list[set[int]] = [{int(d)} for d in a.deadline]
    first = inst.quarters[0].index
    index = inst.gap_index
    for row in inst.targets:
        by = row.by.index - first
        for cell in row.cells:
            for key in cell:
                if key in index:
                    thresholds[index[key]].add(by)
    width = max(len(t) for t in thresholds)
    table = np.full((len(inst.gaps), width), np.iinfo(np.int64).max, dtype=np.int64)
    for g, t in enumerate(thresholds):
        table[g, :len(t)] = sorted(t)
    # class of a start: how many of its gap's thresholds its online quarter passes (same class, same score)
    passed = (a.online[:, None] > table[a.gap]).sum(axis=1)
    covers_none = passed == np.array([len(t) for t in thresholds])[a.gap]  # after every date: late, covers nothing
    idle = covers_none & (m.unbuilt[a.gap] >= 0)
    year = a.year_of_quarter[a.start]
    group = (a.gap * m.n_years + year) * (width + 1) + passed
    latest = np.full(int(group.max()) + 1, -1, dtype=np.int64)
    np.maximum.at(latest, group, a.start)
    idle |= a.start < latest[group]
    out = np.zeros(m.lp.n_cols, bool)
    out[m.x[idle]] = True
    return out if out.any() else None


def spending_cost(m: Model) -> np.ndarray:
    """What the plan spends over the horizon, per column (万元)."""
    a, c = m.a, _cost(m)
    c[m.x] = a.spending(m.n_years).sum(axis=1)
    present = m.shared >= 0
    c[m.shared[present]] = a.fees(m.n_years)[present].sum(axis=1)
    for (col, *_), saving in zip(m.together, m.together_saving, strict=True):
        c[col] = -saving
    return c


def open_cost(m: Model) -> np.ndarray:
    """Priority-weighted quarters each gap stays open (a gap not built: ``objective.missing_open``)."""
    a, c, n_q = m.a, _cost(m), len(m.inst.quarters)
    c[m.x] = a.priority[a.gap] * a.online
    for block, mode in ((m.shared, GapMode.SHARED), (m.unbuilt, GapMode.UNBUILT)):
        present = block >= 0
        c[block[present]] = a.priority[present] * missing_open(mode, n_q)
    return c


def lateness_cost(m: Model) -> np.ndarray:
    """Priority x quarters late for a late start; sharing and leaving unbuilt rank after any late build."""
    a, c, end = m.a, _cost(m), len(m.inst.quarters) - 1
    c[m.x] = a.priority[a.gap] * a.lateness
    for block, mode in ((m.shared, GapMode.SHARED), (m.unbuilt, GapMode.UNBUILT)):
        present = block >= 0
        c[block[present]] = a.priority[present] * missing_lateness_v(mode, a.deadline[present], end)
    return c


def ladder(m: Model, objective: Objective = Objective.EARLIEST) -> np.ndarray:
    """After the fewest missed gaps: least lateness, then (earliest) quarters open, then cost. Pool money is
    drawn only where a county's own budget falls short (it costs a hair more than its own)."""
    w = weights(m.inst, objective)
    c = w.late * lateness_cost(m) + w.cost * spending_cost(m)
    if w.open:
        c += w.open * open_cost(m)
    c[m.lp.columns("pool")] = 0.01 * w.cost
    return c


def extra_money(m: Model) -> np.ndarray:
    """Explanations: the least extra money (and extra assessments, priced high) that makes the plan work."""
    c = 1e-6 * open_cost(m)
    c[m.lp.columns("extra")] = 1.0
    c[m.lp.columns("extra_capacity")] = 1000.0
    return c


def total_budget(m: Model) -> np.ndarray:
    """Min-budget analyses: the sum of the budget variables (flat: one per county; yearly: per county-year)."""
    c = 1e-6 * open_cost(m)
    c[m.lp.columns("budget")] = 1.0
    return c


def stages(m: Model, through_misses: bool = False) -> list[np.ndarray]:
    """The objectives to minimise in turn: the target shortfall when a target is soft (stage 0), the fewest
    missed gaps when any gap can miss (1), then the ladder (2-3); or the analyses' money alone."""
    return staged(m, through_misses)[0]


def staged(m: Model, through_misses: bool = False) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """``stages`` and, per stage, the columns held at zero while it is minimised (they cannot improve it).
    ``through_misses``: only the stages up to the fewest missed gaps (the target shortfall and the misses fixed,
    lateness and cost not yet), when gaps can miss."""
    if m.budget_mode == BudgetMode.ELASTIC:
        return [extra_money(m)], [None]
    if m.budget_mode in (BudgetMode.MINIMISE, BudgetMode.MINIMISE_YEARLY):
        return [total_budget(m)], [None]
    first = missed_gaps(m)
    last = ladder(m, Objective(m.inst.scenario.objective))
    can_miss = (first > 0) & (m.lp.upper > 0)
    counting = idle_when_counting_misses(m)
    if can_miss.any():
        costs, idle = ([first], [counting]) if through_misses else ([first, last], [counting, None])
    else:
        costs, idle = [last], [None]
    if len(m.lp.columns("target_shortfall")):  # the same columns cannot lower the shortfall either
        return [target_shortfall(m)] + costs, [counting] + idle
    return costs, idle
