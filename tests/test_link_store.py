"""A link reproduces a view: scenario settings as query parameters (planner.io.query), and uploaded workbooks
kept on the server by content hash (planner.io.store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.domain import DeadlineMode, Options
from planner.io.query import ALL_KEYS, OPTION_KEYS, apply_params, option_fields, scenario_params
from planner.io.scenario import load_scenario
from planner.io.store import DataStore, content_key
from planner.quarters import Quarter


def test_settings_round_trip_through_the_query_string(repo_root: Path) -> None:
    base = load_scenario(repo_root / "scenarios" / "nantong_baseline.toml")
    assert scenario_params(base, base) == {}
    changed = replace(base, budget_multiplier=0.55, deadline_mode=DeadlineMode.SOFT, horizon_end=Quarter(2028, 4),
                      city_capacity=3, as_of=date(2026, 11, 30),
                      budget_overrides={("通州", 0): 80.0, ("海门", 2025): 120.5},
                      options=Options(sharing=True, sharing_provider="海安", carry_over=True, city_pool_wan=50.0))
    params = scenario_params(changed, base)
    assert params["m"] == "0.55" and params["mode"] == "soft" and params["b"] == "通州=80;海门@2025=120.5"
    assert "name" not in params
    back, problems = apply_params(base, params)
    assert not problems and back == changed


def test_a_bad_link_value_is_skipped_with_a_message(repo_root: Path) -> None:
    base = load_scenario(repo_root / "scenarios" / "nantong_baseline.toml")
    sc, problems = apply_params(base, {"m": "abc", "mode": "soft", "share": "yes", "end": "2020Q1", "lang": "en"})
    assert sc.deadline_mode == DeadlineMode.SOFT and sc.budget_multiplier == base.budget_multiplier
    assert not sc.options.sharing and sc.horizon_end == base.horizon_end
    assert len(problems) == 3 and all("链接" in p.zh and "link" in p.en for p in problems)


def test_every_option_has_a_query_key() -> None:
    assert set(OPTION_KEYS.values()) == set(option_fields())
    assert "lang" not in ALL_KEYS and "region" not in ALL_KEYS and "data" not in ALL_KEYS  # the app's own keys


def test_store_keeps_a_workbook_by_its_content(tmp_path: Path) -> None:
    store = DataStore(tmp_path / "store", max_files=2)
    key = store.put(b"workbook one", "mine.xlsx", "upload")
    assert key == content_key(b"workbook one") and len(key) == 32
    got = store.get(key)
    assert got is not None and (got.data, got.name, got.source) == (b"workbook one", "mine.xlsx", "upload")
    assert store.get("../../etc/passwd") is None and store.get("0" * 32) is None
    (tmp_path / "store" / f"{key}.xlsx").write_bytes(b"tampered")
    assert store.get(key) is None  # the content no longer matches its key
    keys = [store.put(f"wb {n}".encode(), f"{n}.xlsx", "edited") for n in range(4)]
    assert len(list((tmp_path / "store").glob("*.xlsx"))) == 2 and store.get(keys[-1]) is not None


def test_store_that_cannot_write_says_none(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert DataStore(blocker / "store").put(b"x", "x.xlsx", "upload") is None
