"""The frontier's quick pass (issue 19, item 5): only the stages up to the fewest missed gaps, its points marked
not final; which gaps make their deadline is the full solve's, point by point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.analysis.frontier import frontier
from planner.io.scenario import load_scenario
from planner.model.part import PartTask, clear_cache

REPO = Path(__file__).resolve().parent.parent
MULTS = (0.4, 0.6, 0.8, 1.0)


@pytest.mark.parametrize("name", ["nantong_baseline", "nantong_tight"])
def test_quick_points_miss_what_the_full_points_miss(nantong, name):
    sc = load_scenario(REPO / "scenarios" / f"{name}.toml")
    clear_cache()
    quick = frontier(nantong, sc, MULTS, quick=True)
    full = frontier(nantong, sc, MULTS)
    assert [p.final for p in quick] == [False] * len(MULTS) and all(p.final for p in full)
    assert [p.missed_weighted for p in quick] == [p.missed_weighted for p in full]
    assert [p.on_time for p in quick] == [p.on_time for p in full]  # Nantong's priorities leave no alternative
    assert [p.missed_weighted for p in full] == sorted((p.missed_weighted for p in full), reverse=True)
    assert full[0].missed_weighted > 0  # a point where money is short: the pass is not trivial


def test_the_quick_pass_is_a_part_key_of_its_own():
    """A quick answer is never served as a full one from the cache (and back)."""
    from planner.model.instance import Instance

    sc = load_scenario(REPO / "scenarios" / "nantong_tight.toml")
    from planner.io.workbook import load_workbook

    inst = Instance.from_dataset(load_workbook(REPO / "data" / "nantong_capabilities.xlsx"), sc).components()[0]
    assert PartTask(inst).key() != PartTask(inst, through_misses=True).key()


def test_frontier_json_says_which_figures_are_final():
    out = subprocess.run([sys.executable, "-m", "planner", "frontier", "scenarios/nantong_tight.toml", "--quick",
                          "--multipliers", "0.5,1", "--json"], cwd=REPO, capture_output=True, text=True, check=True)
    points = json.loads(out.stdout)
    assert [p["final"] for p in points] == [False, False]
    assert all(p["final_figures"] == ["missed_weighted"] for p in points)
    assert points[0]["missed_weighted"] >= points[1]["missed_weighted"]
