"""What a plan is judged by: the lexicographic ladder of the objective, in the words of a reviewer.

1. **Fewest missed gaps**: the priority-weighted count of gaps not 配置到位 by their deadline (built late,
   shared, or unbuilt). Solved as a stage of its own whenever a gap can be missed.
2. **Least lateness**: priority x quarters late for a late build; a shared gap counts as
   ``priority x (max lateness + 1)`` and an unbuilt one as ``priority x (max lateness + 2)``, where max
   lateness = horizon end - deadline quarter: sharing ranks after any late build, unbuilt after sharing.
3. Then, for the **earliest** objective (the default), the priority-weighted quarters each gap stays open
   (from the plan start to its online quarter; horizon length for a shared gap, one more for an unbuilt
   one), then least cost. For the **cheapest** objective, least cost right after lateness.

Steps 2 and 3 are one weighted objective whose weights keep it lexicographic (``weights``); ``score`` gives
the value of any plan under them, so plans solved in parts or by other solvers can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain import Objective
from planner.model.instance import Gap, Instance
from planner.quarters import Quarter

__all__ = ["Objective", "Weights", "weights", "shared_penalty", "unbuilt_penalty", "missed", "late_quarters",
           "open_quarters", "score", "missed_weight"]


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
    max_open = sum(g.item.priority * (len(inst.quarters) + 1) for g in inst.gaps) + 1
    return Weights(late=max_open, open=1.0, cost=cost)


def shared_penalty(inst: Instance, gap: Gap) -> float:
    """Sharing does not count as 配置到位: it ranks after any late build, before leaving a gap unbuilt."""
    return gap.item.priority * (inst.max_lateness(gap) + 1)


def unbuilt_penalty(inst: Instance, gap: Gap) -> float:
    return gap.item.priority * (inst.max_lateness(gap) + 2)


Choice = dict[tuple[str, str], "Quarter | str"]  # gap key -> start quarter, "shared" or "unbuilt"


def missed(inst: Instance, choice: Choice) -> float:
    """Priority-weighted gaps not on time: built late, shared or unbuilt."""
    return sum(g.item.priority for g in inst.gaps
               if not isinstance(choice[g.key], Quarter) or inst.lateness(g, choice[g.key]))


def late_quarters(inst: Instance, choice: Choice) -> int:
    """Quarters late over the gaps built late (shared and unbuilt gaps are counted by ``missed``)."""
    return sum(inst.lateness(g, choice[g.key]) for g in inst.gaps if isinstance(choice[g.key], Quarter))


def open_quarters(inst: Instance, choice: Choice) -> int:
    """Quarters gaps stay open: to the online quarter, or the whole horizon when shared or unbuilt."""
    return sum(inst.open_quarters(g, choice[g.key]) if isinstance(choice[g.key], Quarter) else len(inst.quarters)
               for g in inst.gaps)


def score(inst: Instance, choice: Choice, cost_wan: float, objective: Objective = Objective.EARLIEST) -> float:
    """The objective of a plan under ``inst``'s weights, missed gaps included (``missed_weight``). One pass over
    the gaps: a national plan scores in a fraction of a second."""
    w = weights(inst, objective)
    n_q, first, end = len(inst.quarters), inst.quarters[0].index, inst.horizon_end.index
    missed_n = lateness = open_q = unbuilt_all = 0.0
    for gap in inst.gaps:
        p, due = gap.item.priority, gap.deadline_quarter.index
        max_late = max(0, end - due)
        unbuilt_all += p * (max_late + 2)
        pick = choice[gap.key]
        if isinstance(pick, Quarter):
            online = pick.index + gap.lead_quarters
            late = max(0, online - due)
            missed_n += p if late else 0.0
            lateness += p * late
            open_q += p * (online - first)
        else:
            missed_n += p
            lateness += p * (max_late + (1 if pick == "shared" else 2))
            open_q += p * (n_q if pick == "shared" else n_q + 1)
    missed_w = w.late * (unbuilt_all + 1) + w.late
    return missed_w * missed_n + w.late * lateness + w.open * open_q + w.cost * cost_wan


def missed_weight(inst: Instance, objective: Objective = Objective.EARLIEST) -> float:
    """For reporting only (the solver takes missed gaps in a stage of their own): a weight under which one
    missed gap outweighs all the lateness, open quarters and cost a plan can have."""
    w = weights(inst, objective)
    return w.late * (sum(unbuilt_penalty(inst, g) for g in inst.gaps) + 1) + w.late
