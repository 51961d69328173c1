"""What a plan is judged by: the lexicographic ladder of the objective, in the words of a reviewer, and the
one place lateness, open quarters and missed gaps are computed.

1. **Fewest missed gaps**: the priority-weighted count of gaps not 配置到位 by their deadline (built late,
   shared, or unbuilt). Solved as a stage of its own whenever a gap can be missed.
2. **Least lateness**: priority x quarters late for a late build; a gap that is not built counts as coming
   online ``missing_rank`` quarters after the horizon end (sharing 1, unbuilt 2), i.e. ``priority x (max
   lateness + rank)`` with max lateness = horizon end - deadline quarter: sharing ranks after any late build,
   unbuilt after sharing.
3. Then, for the **earliest** objective (the default), the priority-weighted quarters each gap stays open
   (from the plan start to its online quarter; a gap not built by the same rule: horizon length - 1 + rank),
   then least cost. For the **cheapest** objective, least cost right after lateness.

Steps 2 and 3 are one weighted objective whose weights keep it lexicographic (``weights``); ``score`` gives
the value of any plan under them, so plans solved in parts or by other solvers can be compared.

Quarters are plain integers here (``Quarter.index``, or offsets from the plan start: only differences count).
Every report of lateness, open quarters or missed gaps (``Instance.lateness``, ``GapArrays.lateness``, the
model's cost vectors, the schedule, the summary, marginal values, the workbook) calls the functions below; the
``_v`` functions are their numpy versions, over arrays of gaps or candidate starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner.domain import GapMode, Objective
from planner.quarters import Quarter

if TYPE_CHECKING:  # instance.py asks this module for lateness: the import runs one way only
    from planner.model.instance import Gap, Instance

__all__ = ["Objective", "Weights", "weights", "missing_rank", "lateness", "lateness_v", "missing_lateness",
           "missing_lateness_v", "missing_open", "gap_lateness", "gap_open", "gap_missed", "shared_penalty",
           "unbuilt_penalty", "missed", "late_quarters", "ranked_lateness", "open_quarters", "score",
           "missed_weight"]


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
