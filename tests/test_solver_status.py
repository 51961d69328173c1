"""``read_status`` is the one reader of solver outcomes; PuLP's ``status`` alone lies after a time limit."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pulp
import pytest

from planner.domain import SolveStatus
from planner.io.scenario import load_scenario
from planner.model.backend import _HIGHS_OUTCOME, _pulp_outcome, read_status
from planner.model.solve import solve

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("status", "sol_status", "expected"), [
    (pulp.LpStatusOptimal, pulp.LpSolutionOptimal, SolveStatus.OPTIMAL),
    # after a time limit with an incumbent PuLP still says Optimal; only sol_status knows better
    (pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, SolveStatus.FEASIBLE),
    (pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible, SolveStatus.INFEASIBLE),
    (pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded, SolveStatus.UNBOUNDED),
    (pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound, SolveStatus.TIME_LIMIT),
    (pulp.LpStatusUndefined, pulp.LpSolutionNoSolutionFound, SolveStatus.ERROR),
])
def test_read_status_of_pulp(status, sol_status, expected):
    assert read_status(*_pulp_outcome(SimpleNamespace(status=status, sol_status=sol_status))) == expected


@pytest.mark.parametrize(("model_status", "has_solution", "expected"), [
    ("kOptimal", True, SolveStatus.OPTIMAL),
    ("kTimeLimit", True, SolveStatus.FEASIBLE),  # stopped with an incumbent: feasible, not proven
    ("kTimeLimit", False, SolveStatus.TIME_LIMIT),
    ("kInfeasible", False, SolveStatus.INFEASIBLE),
    ("kUnboundedOrInfeasible", False, SolveStatus.INFEASIBLE),  # our models are bounded
    ("kUnbounded", False, SolveStatus.UNBOUNDED),
    ("kSolveError", False, SolveStatus.ERROR),
])
def test_read_status_of_highs(model_status, has_solution, expected):
    assert read_status(_HIGHS_OUTCOME.get(model_status, "error"), has_solution) == expected


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_time_limit_without_a_solution_is_reported_not_raised(nantong, solver):
    """18 counties coupled by a city capacity K cannot be solved in 0.05 s: the plan says so."""
    sys.path.insert(0, str(REPO / "bench"))
    from bench_engine import scaled_nantong as scaled

    scenario = replace(load_scenario(REPO / "scenarios" / "nantong_tight.toml"), city_capacity=3,
                       time_limit_s=0.05, solver=solver)
    plan = solve(scaled(nantong, 3), scenario)
    assert plan.status in (SolveStatus.TIME_LIMIT, SolveStatus.FEASIBLE)
    if plan.status == SolveStatus.TIME_LIMIT:
        assert not plan.schedule and "0.05" in plan.message
    else:
        assert "time limit" in plan.message
