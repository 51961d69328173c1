"""The hostile-input corpus (tests/corpus/generate.py): every broken or untidy input shows the behaviour the
manifest gives it: rejected with this code at this sheet / row / column (or scenario setting), or accepted
with this normalisation warning and — where the content is the shipped one — the same domain objects."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from corpus.generate import MANIFEST, all_cases, manifest, write

from planner.domain import Dataset, Message, ScenarioError, WorkbookError
from planner.io import limits as L
from planner.io.scenario import read_scenario
from planner.io.workbook import load_workbook
from planner.model.check import check_scenario

CASES = all_cases()
FIELDS = ("items", "regions", "matrix", "counts", "budgets", "actuals", "aliases", "share_groups", "assumptions",
          "sources", "tiers")
# Library strings that must never reach a user (openpyxl, zipfile, tomllib, Python itself).
LIBRARY_TEXT = re.compile(r"Traceback|zip file|Errno|KeyError|ValueError|openpyxl|Expected|Invalid value|"
                          r"codec can't|object has no attribute")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return write(tmp_path_factory.mktemp("corpus"), CASES)


def test_manifest_matches_the_script() -> None:
    assert json.loads(MANIFEST.read_text(encoding="utf-8")) == manifest(CASES)


def test_corpus_size_and_classes() -> None:
    counts = Counter(c.cls for c in CASES)
    assert len(CASES) >= 150
    assert set(counts) == {"silent_wrong_data", "traceback", "hang_or_flood", "poor_message", "untidy"}
    assert all(n >= 10 for n in counts.values()), counts


def _well_formed(messages: list[Message]) -> None:
    assert 0 < len(messages) <= L.MAX_MESSAGES + 1
    for m in messages:
        assert m.zh and m.en and re.search(r"[\u4e00-\u9fff]", m.zh), m
        assert not LIBRARY_TEXT.search(m.zh + m.en), m
        assert m.text().index(m.zh) < m.text().index(m.en)  # Chinese first


def _located(messages: list[Message], expect: dict) -> Message:
    found = [m for m in messages if m.code == expect["code"]]
    assert found, f"expected {expect['code']}, got {[(m.code, m.sheet, m.row, m.column) for m in messages]}"
    m = found[0]
    for key in ("sheet", "row", "column"):
        if key in expect:
            assert getattr(m, key) == expect[key], (key, m)
    return m


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "workbook"], ids=lambda c: c.id)
def test_workbook_case(case, corpus: dict[str, Path], nantong: Dataset) -> None:
    expect = case.expect
    if expect["result"] == "rejected":
        with pytest.raises(WorkbookError) as info:
            load_workbook(corpus[case.id])
        _well_formed(info.value.messages)
        _located(info.value.messages, expect)
        return
    dataset = load_workbook(corpus[case.id])
    codes = {w.code for w in dataset.warnings}
    if expect["warning"]:
        assert expect["warning"] in codes, codes
        warning = next(w for w in dataset.warnings if w.code == expect["warning"])
        assert warning.sheet and warning.zh and warning.en
    assert not codes - {w.code for w in nantong.warnings} - {expect["warning"]}, codes
    if expect["same"]:
        for field in FIELDS:
            assert getattr(dataset, field) == getattr(nantong, field), field


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "scenario"], ids=lambda c: c.id)
def test_scenario_case(case, corpus: dict[str, Path], nantong: Dataset) -> None:
    expect = case.expect
    if expect["result"] == "rejected":
        with pytest.raises(ScenarioError) as info:
            read_scenario(corpus[case.id])
        messages = info.value.messages
    else:
        scenario, warnings = read_scenario(corpus[case.id])
        messages = check_scenario(scenario, nantong)
        if expect["result"] == "accepted":
            assert messages == []
            assert [w.code for w in warnings] == ([expect["warning"]] if expect["warning"] else [])
            return
    _well_formed(messages)
    m = _located(messages, expect)
    if "key" in expect:
        assert f"设置项「{expect['key']}」" in m.zh and f"setting '{expect['key']}'" in m.en
