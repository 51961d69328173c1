"""Lateness, open quarters and missed gaps are computed in one place (``planner.model.objective``): changing how
a gap that is not built is ranked (``objective.missing_rank``) moves the model's cost vectors, the score, the
summary, marginal values and the workbook together, for every gap mode (on time, late, shared, unbuilt)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from planner.domain import (
    BASIC,
    UPGRADED,
    Cap,
    Dataset,
    DeadlineMode,
    GapMode,
    Item,
    Level,
    Options,
    Plan,
    Region,
    Scenario,
    ScheduledGap,
    SolveStatus,
)
from planner.model import objective as obj
from planner.model.instance import Instance
from planner.quarters import Quarter

ITEMS = (
    Item("A", "甲项", BASIC, date(2024, 12, 31), capex_wan=10, opex_wan=4, lead_quarters=0, priority=1,
         service_fee_wan=1),
    Item("B", "乙项", BASIC, date(2024, 12, 31), capex_wan=20, opex_wan=2, lead_quarters=1, priority=2,
         service_fee_wan=1),
    Item("C", "丙项", UPGRADED, date(2025, 3, 31), capex_wan=30, opex_wan=8, lead_quarters=2, priority=1,
         service_fee_wan=1),
)
COUNTIES = ("甲县", "乙县")
# every gap mode: on time, late, shared, unbuilt
PICKS = {("甲县", "甲项"): Quarter(2024, 3), ("甲县", "乙项"): Quarter(2025, 1), ("甲县", "丙项"): GapMode.SHARED,
         ("乙县", "甲项"): GapMode.UNBUILT, ("乙县", "乙项"): Quarter(2024, 3), ("乙县", "丙项"): GapMode.UNBUILT}


def _dataset(money: float = 200.0) -> Dataset:
    return Dataset(items=list(ITEMS), regions=[Region(f"r{n}", c, Level.COUNTY) for n, c in enumerate(COUNTIES)],
                   matrix={(c, i.name): Cap.LACKS for c in COUNTIES for i in ITEMS},
                   budgets={(c, y): money for c in COUNTIES for y in (2024, 2025)})


def _scenario(sharing: bool = True) -> Scenario:
    return Scenario(name="one-place", workbook=Path("unused.xlsx"), start=Quarter(2024, 3),
                    horizon_end=Quarter(2025, 2), deadline_mode=DeadlineMode.SOFT, time_limit_s=30,
                    options=Options(sharing=sharing))


def _plan(inst: Instance, scenario: Scenario) -> Plan:
    rows = []
    for gap in inst.gaps:
        pick = PICKS[gap.key]
        if isinstance(pick, Quarter):
            late = obj.lateness((pick + gap.lead_quarters).index, gap.deadline_quarter.index)
            rows.append(ScheduledGap(gap.region, gap.item.name, gap.item.tier, GapMode.BUILT, pick,
                                     pick + gap.lead_quarters, gap.capex_wan, gap.deadline, late == 0, late))
        else:
            rows.append(ScheduledGap(gap.region, gap.item.name, gap.item.tier, pick, None, None, 0.0, gap.deadline,
                                     False, None))
    return Plan(scenario, SolveStatus.OPTIMAL, "highs", schedule=rows)


def _point(m, inst: Instance) -> np.ndarray:
    """The model's columns set to the hand-made choices."""
    x, a, first = np.zeros(m.lp.n_cols), m.a, inst.quarters[0].index
    for g, gap in enumerate(inst.gaps):
        pick = PICKS[gap.key]
        if isinstance(pick, Quarter):
            x[m.x[(a.gap == g) & (a.start == pick.index - first)]] = 1.0
        else:
            x[(m.shared if pick == GapMode.SHARED else m.unbuilt)[g]] = 1.0
    return x


def _figures(monkeypatch: pytest.MonkeyPatch, unbuilt_rank: int) -> dict[str, float]:
    from planner.analysis.summary import gap_quarters, plan_summary
    from planner.model.families import build_model
    from planner.model.objective import lateness_cost as lateness
    from planner.model.objective import missed_gaps
    from planner.model.objective import open_cost as open_quarters

    monkeypatch.setattr(obj, "missing_rank", lambda mode: 1 if GapMode(mode) == GapMode.SHARED else unbuilt_rank)
    scenario = _scenario()
    inst = Instance.from_dataset(_dataset(), scenario)
    plan = _plan(inst, scenario)
    m = build_model(inst)
    x = _point(m, inst)
    priority = {g.key: g.item.priority for g in inst.gaps}
    weighted_late = sum(priority[g.key] * obj.gap_lateness(inst, g, PICKS[g.key]) for g in inst.gaps)
    weighted_open = sum(priority[g.key] * obj.gap_open(inst, g, PICKS[g.key]) for g in inst.gaps)
    # the model charges what the objective functions say
    assert lateness(m) @ x == pytest.approx(weighted_late)
    assert open_quarters(m) @ x == pytest.approx(weighted_open)
    assert missed_gaps(m) @ x == pytest.approx(obj.missed(inst, PICKS))
    # the summary and the score count the same
    assert gap_quarters(plan) == obj.open_quarters(inst, PICKS)
    assert plan_summary(plan)["late_quarters"] == obj.late_quarters(inst, PICKS)
    w = obj.weights(inst)
    score = obj.score(inst, PICKS, 0.0)
    assert score == pytest.approx(obj.missed_weight(inst) * obj.missed(inst, PICKS) + w.late * weighted_late
                                  + w.open * weighted_open)
    return {"score": score, "open": gap_quarters(plan), "ranked_late": obj.ranked_lateness(inst, PICKS),
            "missed": obj.missed(inst, PICKS)}


def test_changing_the_unbuilt_rank_moves_every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _figures(monkeypatch, 2)
    after = _figures(monkeypatch, 4)
    unbuilt = sum(p == GapMode.UNBUILT for p in PICKS.values())
    assert after["open"] - before["open"] == 2 * unbuilt
    assert after["ranked_late"] - before["ranked_late"] == 2 * unbuilt
    assert after["missed"] == before["missed"]
    assert after["score"] > before["score"]


def test_marginal_values_and_workbook_count_as_the_objective(monkeypatch: pytest.MonkeyPatch) -> None:
    """``late_quarters_saved`` / ``open_quarters_saved`` are the objective's ranked lateness and open quarters
    before and after the money (a gap left unbuilt counts ``missing_lateness``), whatever the rank; the workbook's
    逾期季度 column is ``objective.lateness`` for a built gap and a word for the others."""
    from planner.analysis.marginal import _richer_choices, marginal_values
    from planner.model.part import clear_cache
    from planner.model.solve import solve
    from planner.reports.plan_workbook import SCHEDULE, plan_workbook_bytes

    dataset, scenario = _dataset(money=12.0), _scenario(sharing=False)
    for rank in (2, 5):
        monkeypatch.setattr(obj, "missing_rank",
                            lambda mode, r=rank: 1 if GapMode(mode) == GapMode.SHARED else r)
        clear_cache()  # the cached parts were ranked under the other rule
        plan = solve(dataset, scenario)
        assert plan.has_solution and any(s.mode == GapMode.UNBUILT for s in plan.schedule)
        inst = Instance.from_dataset(dataset, scenario)
        base = {(s.region, s.item): s.start_quarter or s.mode for s in plan.schedule}
        assert plan.objective == pytest.approx(obj.score(inst, base, plan.total_cost_wan))
        richer = _richer_choices(dataset, scenario, inst, plan, 10.0, None)
        values = marginal_values(dataset, scenario, plan=plan)
        assert any(v.late_quarters_saved for v in values)
        for v in values:
            choice = richer[(v.region, v.year)][0]
            assert v.late_quarters_saved == obj.ranked_lateness(inst, base) - obj.ranked_lateness(inst, choice)
            assert v.open_quarters_saved == obj.open_quarters(inst, base) - obj.open_quarters(inst, choice)
        ws = load_workbook(BytesIO(plan_workbook_bytes(plan, dataset, generated_on=date(2026, 1, 1))))[SCHEDULE]
        late_col = [c.value for c in ws[1]].index("逾期季度")
        gaps = {g.key: g for g in inst.gaps}
        rows = {(s.region, s.item): s for s in plan.schedule}
        for row in ws.iter_rows(min_row=2, values_only=True):
            s = rows[(row[0], row[1])]
            if s.mode == GapMode.BUILT:
                assert row[late_col] == obj.gap_lateness(inst, gaps[(s.region, s.item)], s.start_quarter)
            else:  # shared and unbuilt gaps have no quarters late: their word
                assert isinstance(row[late_col], str)
    clear_cache()


def test_one_rule_for_a_gap_not_built() -> None:
    """Open quarters and lateness of a gap not built follow one rank: online ``missing_rank`` quarters past the
    horizon end (shared 1, unbuilt 2), as the README says."""
    inst = Instance.from_dataset(_dataset(), replace(_scenario()))
    gap = inst.gaps[0]
    n_q = len(inst.quarters)
    assert obj.gap_open(inst, gap, GapMode.SHARED) == n_q
    assert obj.gap_open(inst, gap, GapMode.UNBUILT) == n_q + 1
    assert obj.gap_lateness(inst, gap, GapMode.UNBUILT) == inst.max_lateness(gap) + 2
    assert obj.gap_lateness(inst, gap, GapMode.SHARED) == inst.max_lateness(gap) + 1


def test_every_constraint_family_states_its_inequality() -> None:
    """Each ``define_*`` constraint family in families.py says its inequality in plain mathematics."""
    import inspect

    from planner.model import families

    defs = [f for name, f in inspect.getmembers(families, inspect.isfunction)
            if name.startswith("define_") and name != "define_variables" and f.__module__ == families.__name__]
    assert len(defs) >= 8
    for f in defs:
        doc = f.__doc__ or ""
        assert "for every" in doc and any(op in doc for op in ("<=", ">=", " = ")), f.__name__


def test_the_whole_ladder_is_in_objective() -> None:
    """The stage order is objective.py's (part.py only asks it); its docstring names every stage, 0 included."""
    from planner.model import objective, part

    assert part.staged is objective.staged and part.stages is objective.stages
    doc = objective.__doc__ or ""
    for stage in ("0. **Least target shortfall**", "1. **Fewest missed gaps**", "2. **Least lateness**"):
        assert stage in doc


def test_one_gap_mode_everywhere() -> None:
    """Part results hold GapMode codes; a plan's choices and the objective's speak GapMode; ``restrict`` cuts an
    instance to some regions (no hand-built copies)."""
    from planner.model import part

    for mode in GapMode:
        assert GapMode.of_code(mode.code) is mode
    assert (part.BUILT, part.SHARED, part.UNBUILT) == tuple(m.code for m in (GapMode.BUILT, GapMode.SHARED,
                                                                            GapMode.UNBUILT))
    scenario = _scenario()
    inst = Instance.from_dataset(_dataset(), scenario)
    assert _plan(inst, scenario).choices() == PICKS
    one = inst.restrict(["甲县"])
    assert {g.region for g in one.gaps} == {"甲县"} and one.regions == ["甲县"]
    assert Instance.joined([one, inst.restrict(["乙县"])]).gaps == inst.gaps


def test_blocks_found_by_name_and_every_name_read() -> None:
    """The program finds columns and rows by name (a name used twice gives both blocks, in order), and every
    name the model gives a block is read somewhere (no names nothing reads)."""
    import re

    from planner.model.program import LinearProgram

    lp = LinearProgram()
    first = lp.add_columns(2, name="budget")
    lp.add_columns(3)
    second = lp.add_columns(1, name="budget")
    assert lp.columns("budget").tolist() == first.tolist() + second.tolist() and not len(lp.columns("none"))
    rows = lp.add_rows(0.0, 1.0, n=2, name="budget")
    assert lp.rows("budget").tolist() == rows.tolist()
    model_dir = Path(__file__).resolve().parent.parent / "planner" / "model"
    source = "\n".join(p.read_text(encoding="utf-8") for p in model_dir.glob("*.py"))
    given = set(re.findall(r'name="(\w+)"', source)) | set(re.findall(r'_block\(lp, "(\w+)"', source))
    read = set(re.findall(r'\.(?:columns|rows)\("(\w+)"\)', source))
    assert given and given <= read, given - read
