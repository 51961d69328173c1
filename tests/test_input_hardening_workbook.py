"""Issue 20, input: workbook cases the corpus checks by code and place, checked here for what the corpus does
not see: how long a 20,000-deep 上级 chain takes (``status`` and ``solve``), the file part a damaged
shared-strings part is blamed on, and the words of the new messages."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from corpus.generate import _deep_chain, _shared_strings, _unparsable_shared_strings, append, base, with_part

from planner.cli import main
from planner.domain import Cap, Region, WorkbookError
from planner.domain import Level as Lv
from planner.io.tables import MessageLog
from planner.io.workbook import _actuals, _check_hierarchy, load_workbook


@pytest.fixture(scope="module")
def deep_chain(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("deep")
    path = folder / "deep.xlsx"
    path.write_bytes(_deep_chain(20_000)())
    (folder / "deep.toml").write_text('name = "deep"\nworkbook = "deep.xlsx"\n', encoding="utf-8")
    return path


def test_status_rejects_a_20000_deep_chain_in_about_a_second(deep_chain: Path, capsys) -> None:
    started = time.monotonic()
    assert main(["status", str(deep_chain)]) == 2
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert took < 3, took  # was 36 s (a quadratic cycle check)
    assert "超过 10 层上级" in err and "more than 10 levels" in err and "上级" in err


def test_solve_rejects_a_20000_deep_chain_without_recursion(deep_chain: Path, capsys) -> None:
    started = time.monotonic()
    assert main(["solve", str(deep_chain.with_suffix(".toml"))]) == 2
    assert time.monotonic() - started < 5  # the solver's imports included
    err = capsys.readouterr().err
    assert "RecursionError" not in err and "internal error" not in err


def test_hierarchy_check_is_linear() -> None:
    """100,000 regions in one chain: checked in well under a second (quadratic would take hours)."""
    regions = [Region(f"r{k}", f"r{k}", Lv.CITY, "", f"r{k - 1}" if k else "") for k in range(100_000)]
    log = MessageLog()
    started = time.monotonic()
    _check_hierarchy(regions, {r.name: k + 2 for k, r in enumerate(regions)}, log)
    assert time.monotonic() - started < 2
    deep = [m for m in log.errors if m.code == "hierarchy_too_deep"]
    assert len(deep) == 1 and deep[0].row == 13  # r11, the first with 11 levels above it, named once


def test_a_cycle_is_named_once_with_its_length() -> None:
    regions = [Region(f"r{k}", f"r{k}", Lv.CITY, "", f"r{(k - 1) % 5}") for k in range(5)]
    log = MessageLog()
    _check_hierarchy(regions, {r.name: k + 2 for k, r in enumerate(regions)}, log)
    cycles = [m for m in log.errors if m.code == "region_cycle"]
    assert len(cycles) == 1 and "5" in cycles[0].zh


def test_province_city_county_and_a_county_under_the_province_are_fine() -> None:
    regions = [Region("p", "省", Lv.PROVINCE), Region("c", "市", Lv.CITY, parent="省"),
               Region("x", "县", Lv.COUNTY, parent="市"), Region("y", "直管县", Lv.COUNTY, parent="省")]
    log = MessageLog()
    _check_hierarchy(regions, {}, log)
    assert log.errors == []


def test_damaged_shared_strings_name_the_file_part(tmp_path: Path) -> None:
    path = tmp_path / "sst.xlsx"
    path.write_bytes(with_part(_unparsable_shared_strings)())
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    text = info.value.messages[0].zh + info.value.messages[0].en
    assert "xl/sharedStrings.xml" in text and "项目" not in text


def test_truncated_shared_strings_name_the_part_not_just_the_sheet(tmp_path: Path) -> None:
    from corpus.generate import _truncated_shared_strings

    path = tmp_path / "sst.xlsx"
    path.write_bytes(with_part(_truncated_shared_strings)())
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    m = info.value.messages[0]
    assert m.code == "damaged_shared_strings" and "xl/sharedStrings.xml" in m.zh and "xl/sharedStrings.xml" in m.en


def test_a_workbook_with_shared_strings_reads_as_the_shipped_one(nantong) -> None:
    dataset = load_workbook(with_part(_shared_strings)())
    assert dataset.items == nantong.items and dataset.matrix == nantong.matrix


def test_actual_dates_against_today_and_the_baseline() -> None:
    log = MessageLog()
    matrix = {("海安", "甲"): Cap.LACKS, ("海安", "乙"): Cap.NA, ("海安", "丙"): Cap.LACKS}

    class Resolve:
        @staticmethod
        def region(name, *a, **k):
            return name

        @staticmethod
        def item(name, *a, **k):
            return name

    today = date(2026, 12, 4)
    rows = [(2, {"region": "海安", "item": "甲", "completed_on": today + timedelta(days=1)}),
            (3, {"region": "海安", "item": "乙", "completed_on": date(2024, 1, 1)}),
            (4, {"region": "海安", "item": "丙", "completed_on": date(2023, 8, 19)})]
    out, _ = _actuals(rows, Resolve(), matrix, {"海安"}, log, baseline=date(2023, 8, 20), today=today)
    assert [(m.code, m.row, m.column) for m in log.errors] == [("actual_in_future", 2, "完成日期"),
                                                              ("actual_before_baseline", 4, "完成日期")]
    assert [(m.code, m.row) for m in log.warnings] == [("actual_for_not_applicable", 3)]
    assert out == {("海安", "乙"): date(2024, 1, 1)}  # never a gap silently removed by a contradicting date
    assert "2023-08-20" in log.errors[1].zh and "缺失" in log.errors[1].zh


def test_today_is_a_valid_completion_date(tmp_path: Path) -> None:
    wb = base()
    append("实际完成", ["海安", "红外耳温计", date.today(), "x"])(wb)
    path = tmp_path / "today.xlsx"
    wb.save(path)
    assert load_workbook(path).actuals[("海安", "红外耳温计")] == date.today()


def test_a_capped_list_keeps_its_count(deep_chain: Path, capsys) -> None:
    """The reader's list (50 messages and "…and N more") is printed as it is, not recounted as "1 more"."""
    main(["status", str(deep_chain)])
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "and 1 more" not in last and "more not listed" in last


def test_a_blank_merged_range_where_blanks_are_allowed_loses_nothing(tmp_path: Path, nantong) -> None:
    """Cells merged for looks, all blank (no 上级 anywhere in the range): nothing is lost, nothing reported."""
    wb = base()
    wb["地区"].merge_cells("E3:E8")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    assert load_workbook(path).regions == nantong.regions
