"""The Gantt charts (the brief's compact one and the app's): an unbuilt gap due in the last planning quarter
still shows, rows are kept by severity when some must go, and the axis stops at the horizon (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.domain import GapMode
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.reports import charts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo():
    sc = load_scenario(ROOT / "scenarios" / "demo_province.toml")
    ds = load_workbook(sc.workbook)
    return solve(ds, sc), ds


def _bars(chart) -> pd.DataFrame:
    layer = chart.layer[0]
    return layer.data if isinstance(layer.data, pd.DataFrame) else chart.data


def _axis_dates(chart) -> list[tuple[int, int]]:
    """The x axis's tick dates as (year, month), read from the chart's Vega-Lite spec."""
    spec = chart.to_dict()
    layer = spec.get("layer", [spec])[0]
    return [(v["year"], v["month"]) for v in layer["encoding"]["x"]["axis"]["values"]]


def test_unbuilt_gap_due_in_the_last_quarter_has_a_bar(demo) -> None:
    plan, ds = demo
    end = plan.scenario.horizon_end
    county = "示例乙三县"
    due_last = [g for g in plan.schedule if g.region == county and g.mode == GapMode.UNBUILT
                and g.deadline >= end.first_day]
    assert due_last
    df = _bars(charts.gantt_compact(plan, ds, regions=[county]))
    for g in due_last:
        row = df[df["label"] == g.item]
        assert len(row) == 1 and row["start"].iloc[0] < row["end"].iloc[0], g.item


def test_rows_kept_by_severity(demo) -> None:
    """The whole province in 8 rows: every row with an unbuilt gap is kept before any row fully on time."""
    plan, ds = demo
    chart = charts.gantt_compact(plan, ds, max_rows=8)
    kept = set(_bars(chart)["label"])
    unbuilt = {f"{g.region} · {charts.tier_label(g.tier, 'zh')}" for g in plan.schedule if g.mode == GapMode.UNBUILT}
    assert len(unbuilt) >= 8 and kept <= unbuilt, kept - unbuilt
    assert any(label.startswith("示例乙市") or label.startswith("示例乙") for label in kept)


def test_axes_stop_at_the_horizon(demo) -> None:
    plan, ds = demo
    end = plan.scenario.horizon_end
    compact = _axis_dates(charts.gantt_compact(plan, ds))
    assert compact and max(compact) <= (end.year, 12) and (end.year + 1, 1) not in compact
    full = _axis_dates(charts.gantt(plan, ds))
    assert max(full) == (end.year, 3 * end.q - 2)  # the last tick: the horizon's last quarter
