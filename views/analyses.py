"""The long analyses as steps for ``views.tasks``: one county at a time when counties share nothing (the
same answer, a progress bar that moves, and a focus on one county solves only that county), else one step
over every county. The engine is called only here and in ``views.state``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from planner.analysis.focus import restrict_dataset, separable
from planner.domain import Dataset, Scenario
from views import state


def parts(ds: Dataset, sc: Scenario, regions: list[str] | None) -> list[Dataset]:
    """The datasets to analyse: one per county in scope when counties share nothing (and no target joins
    them), else the whole one."""
    names = [r.name for r in ds.matrix_regions if regions is None or r.name in regions]
    if not state.independent(ds, sc) or not all(separable(ds, [name]) for name in names):
        return [ds]
    return [restrict_dataset(ds, [name]) for name in names]


def key(kind: str, sc: Scenario, regions: list[str] | None, extra: str = "") -> str:
    return f"{kind}|{state.data_key()}|{state.scenario_key(sc)}|{','.join(regions or [])}|{extra}"


def min_budget_steps(ds: Dataset, sc: Scenario, regions: list[str] | None) -> list[Callable[[], Any]]:
    from planner.analysis.min_budget import min_budget as fn
    return [lambda part=part: fn(part, sc) for part in parts(ds, sc, regions)]


def marginal_steps(ds: Dataset, sc: Scenario, regions: list[str] | None) -> list[Callable[[], Any]]:
    from planner.analysis.marginal import marginal_values as fn
    from planner.model.solve import solve
    return [lambda part=part: fn(part, sc, solve(part, sc)) for part in parts(ds, sc, regions)]


def frontier_steps(ds: Dataset, sc: Scenario, regions: list[str] | None,
                   multipliers: tuple[float, ...]) -> list[Callable[[], Any]]:
    """The quick pass over every multiplier, then one step per multiplier, over the region in focus when counties
    share nothing."""
    from planner.analysis.frontier import frontier as fn
    names = [r.name for r in ds.matrix_regions if regions is None or r.name in regions]
    data = restrict_dataset(ds, names) if separable(ds, regions) and state.independent(ds, sc) else ds
    # first every point up to the fewest missed gaps (the curve, at once), then each point in full
    return [lambda: fn(data, sc, list(multipliers), quick=True)] + [lambda m=m: fn(data, sc, [m])[0]
                                                                     for m in multipliers]


def frontier_points(results: list[Any]) -> list[Any]:
    """The frontier's points so far: each refined point where it is done, else its quick one."""
    quick = results[0] or []
    return [full if full is not None else fast for fast, full in zip(quick, results[1:], strict=False)]


RISK_SAMPLES, RISK_SPREAD = 40, 0.3


def risk_steps(ds: Dataset, sc: Scenario, regions: list[str] | None) -> list[Callable[[], Any]]:
    """Cost samples per county (the same seeded draws for every county: the same answer as one run)."""
    from planner.analysis.risk import risk as fn
    return [lambda part=part: fn(part, sc, samples=RISK_SAMPLES, spread=RISK_SPREAD)
            for part in parts(ds, sc, regions)]


def merge_min_budgets(results: list[Any]):
    """Per-county minimum budgets solved apart, as one (flat and per-year figures, unreachable counties)."""
    if len(results) == 1:
        return results[0]
    first = results[0]
    per_region = {r: v for mb in results for r, v in mb.per_region.items()}
    changes: dict[str, Any] = {"per_region": per_region, "total_wan": round(sum(per_region.values()), 2)}
    statuses = [mb.status for mb in results]
    changes["status"] = next((s for s in statuses if s.value not in ("optimal",)), first.status)
    changes["per_year"] = {k: v for mb in results for k, v in mb.per_year.items()}
    changes["unreachable"] = [r for mb in results for r in mb.unreachable]
    return replace(first, **changes)
