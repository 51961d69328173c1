"""The plan workbook as a reader meets it (issue 20): a workbook about one region says so and claims no total
beyond it; titles in Chinese without internal ids; header labels wrapping at sensible points; 总览's tables
never split across pages without their header; the Gantt's unbuilt gaps always marked, its legend with it;
roll-ups with carry-over adding up; fonts that government desktops have."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from planner.analysis.focus import focus_of, restrict_dataset, restrict_plan
from planner.domain import Options, Spending
from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.reports.plan_workbook import (
    GANTT,
    HEADER_FILL,
    LANDSCAPE_ROWS_PT,
    LANDSCAPE_WIDTH_PT,
    MISSING_COLOUR,
    PLAN_SHEETS,
    SPENDING,
    SUMMARY,
    UNIT_PT,
    plan_workbook,
)
from planner.reports.print_setup import ROW_HEIGHT, sheet_width, text_width
from tests.test_plan_workbook import GENERATED, cf_fill, header, make_dataset, make_plan

ROOT = Path(__file__).resolve().parent.parent
COUNTY, CITY, PROVINCE = "示例乙三县", "示例乙市", "示例省"


@pytest.fixture(scope="module")
def demo():
    sc = load_scenario(ROOT / "scenarios" / "demo_province.toml")
    ds = load_workbook(sc.workbook)
    return solve(ds, sc), ds


@pytest.fixture(scope="module")
def demo_wb(demo):
    plan, ds = demo
    return plan_workbook(plan, ds, generated_on=GENERATED)


def _first_column(ws) -> list[str]:
    return [str(c.value) for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value is not None]


@pytest.mark.parametrize("how", ["region", "cut"])
def test_a_county_workbook_names_it_and_claims_no_city_total(demo, how) -> None:
    """示例乙三县 alone: no 「示例乙市（合计）」 or 「示例省（合计）」 row (they would only repeat the county's
    figures under a city's name); the title and every page header name the county. ``cut``: the plan and
    dataset cut down as the app does, without saying which region."""
    plan, ds = demo
    if how == "region":
        wb = plan_workbook(plan, ds, generated_on=GENERATED, region=COUNTY)
    else:
        regions = ds.subtree(COUNTY)
        wb = plan_workbook(restrict_plan(plan, regions), restrict_dataset(ds, regions), generated_on=GENERATED)
    for name in PLAN_SHEETS:
        ws = wb[name]
        labels = _first_column(ws)
        assert not [x for x in labels if x.endswith("（合计）")], name
        assert COUNTY in ws.oddHeader.left.text, name
    assert COUNTY in wb[SUMMARY]["A1"].value
    assert any(f"范围：{COUNTY}" in x and CITY in x for x in _first_column(wb[SUMMARY]))
    assert COUNTY in {r[0] for r in wb[SPENDING].iter_rows(min_row=2, values_only=True)}


def test_a_city_workbook_keeps_its_own_total_but_not_the_provinces(demo) -> None:
    plan, ds = demo
    wb = plan_workbook(plan, ds, generated_on=GENERATED, region=CITY)
    for name in ("截止检查", SPENDING):
        labels = set(_first_column(wb[name]))
        assert f"{CITY}（合计）" in labels and f"{PROVINCE}（合计）" not in labels, name


def test_a_whole_workbook_is_not_taken_for_a_cut_one(demo) -> None:
    plan, ds = demo
    assert focus_of(ds) is None
    assert focus_of(restrict_dataset(ds, ds.subtree(COUNTY))) == COUNTY
    assert focus_of(restrict_dataset(ds, ds.subtree(CITY))) == CITY
    assert focus_of(make_dataset()) is None  # a flat workbook


def test_titles_are_chinese_without_ids(demo_wb) -> None:
    ws = demo_wb[SUMMARY]
    title = ws["A1"].value
    assert title == "计量能力缺口规划结果：示例（合成数据）：示例省演示情景"
    assert not re.search(r"[A-Za-z]", title)
    assert "demo_province" not in ws.oddHeader.left.text and "示例省演示情景" in ws.oddHeader.left.text
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "optimal" not in texts and "demo (synthetic)" not in texts and "/ optimal" not in texts
    scenario = {r[1]: r for r in demo_wb["情景假设"].iter_rows(min_row=2, values_only=True)}
    assert "demo (synthetic)" not in str(scenario["情景名称"][5])
    assert "what-if" not in " ".join(str(r[4]) for r in scenario.values())


def test_header_labels_wrap_only_where_they_break(demo_wb) -> None:
    """Each line of a header label fits its column: no 「预算（万元 / ）」 or 「是否按 / 期」 in print."""
    for name in PLAN_SHEETS:
        ws = demo_wb[name]
        rows = [1] if name != SUMMARY else [r for r in range(1, ws.max_row + 1)
                                            if ws.cell(r, 2).fill.fgColor.rgb == HEADER_FILL.fgColor.rgb]
        for r in rows:
            for c in ws[r]:
                if not isinstance(c.value, str) or c.fill.fgColor.rgb != HEADER_FILL.fgColor.rgb:
                    continue
                width = ws.column_dimensions[c.column_letter].width
                size = (c.font.sz or 10) / 10
                for line in c.value.split("\n"):
                    assert text_width(line) * size * 1.1 <= width - 0.6, (name, c.coordinate, c.value, width)


def test_baseline_figure_has_one_name(demo_wb) -> None:
    summary = {header(c.value) for row in demo_wb[SUMMARY].iter_rows() for c in row if isinstance(c.value, str)}
    compliance = {header(c.value) for c in demo_wb["截止检查"][1]}
    assert "基准已具备" in summary and "基准已具备" in compliance
    assert "基准已完成" not in summary | compliance


def test_summary_tables_never_split_without_their_header(demo_wb) -> None:
    """总览 breaks its own pages: a break falls before a section or inside a long table, and then the table's
    header row comes again right after it; the small spending table is never split."""
    ws = demo_wb[SUMMARY]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks, "the demo's 总览 is longer than a page"
    is_header = lambda r: ws.cell(r, 2).fill.fgColor.rgb == HEADER_FILL.fgColor.rgb  # noqa: E731
    for b in breaks:
        after = b + 1
        assert is_header(after) or ws.row_dimensions[after].height == 8 or ws.cell(after, 1).font.b, b
        if is_header(after):  # a repeated header wraps and is as tall as the first
            assert all(c.alignment.wrap_text for c in ws[after] if c.value), b
            assert ws.row_dimensions[after].height and ws.row_dimensions[after].height >= 2 * 13.5, b
    for b in breaks:  # a table going on after a break takes a few rows there, not its total row alone
        if is_header(b + 1):
            rows = 0
            while (ws.cell(b + 2 + rows, 1).value and not is_header(b + 2 + rows)
                   and ws.cell(b + 2 + rows, 2).value is not None):
                rows += 1
            assert rows >= 3, b
    year_head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "年份")
    year_end = next(r for r in range(year_head, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert not [b for b in breaks if year_head - 2 <= b < year_end]


def test_summary_of_a_short_plan_is_one_page() -> None:
    ds = make_dataset()
    wb = plan_workbook(make_plan(ds), ds, generated_on=GENERATED)
    assert not wb[SUMMARY].row_breaks.brk


def test_gantt_marks_unbuilt_gaps_due_in_the_last_quarter(demo, demo_wb) -> None:
    plan, ds = demo
    ws = demo_wb[GANTT]
    heads = [c.value for c in ws[1]]
    last = plan.scenario.horizon_end.label
    assert heads[-1] == last  # the axis ends at the horizon, not a quarter past it
    col = heads.index(last) + 1
    due_last = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == "未建" and ws.cell(r, 7).value == last]
    assert due_last, "the demo has unbuilt gaps due in its last quarter"
    for r in due_last:
        assert ws.cell(r, col).value == "未建"
        assert cf_fill(ws, r, col) == MISSING_COLOUR
    earlier = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == "未建" and ws.cell(r, 7).value < last)
    due = heads.index(ws.cell(earlier, 7).value) + 1
    assert cf_fill(ws, earlier, due) == "" and cf_fill(ws, earlier, due + 1) == MISSING_COLOUR


def test_gantt_legend_prints_with_chart_rows(demo_wb) -> None:
    ws = demo_wb[GANTT]
    legend = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "图例")
    last_chart = legend - 2
    breaks = [b.id for b in ws.row_breaks.brk]
    scale = min(1.0, LANDSCAPE_WIDTH_PT / (sheet_width(ws) * UNIT_PT))
    per_page = int(LANDSCAPE_ROWS_PT / (ROW_HEIGHT * scale)) - 1
    if last_chart - 1 + (ws.max_row - legend + 2) > per_page:
        assert breaks
    if breaks:
        assert breaks[-1] < last_chart  # chart rows on the legend's page
        assert ws.max_row - breaks[-1] <= per_page  # and the whole legend
        pages = [b - a for a, b in zip([1] + breaks, breaks + [ws.max_row], strict=True)]
        assert all(p <= per_page for p in pages)


def test_rollup_rows_add_up_carry_over() -> None:
    """A city's roll-up per year: 上年结转 and the balances are the sums of its counties' (not 0 and a
    negative balance the counties do not have)."""
    ds = make_dataset()
    ds = replace(ds, regions=[ds.regions[0]] + [replace(r, parent="市级") for r in ds.regions[1:]])
    plan = make_plan(ds)
    plan = replace(plan, scenario=replace(plan.scenario, options=Options(carry_over=True)), spending=[
        Spending("海安", 2024, 10.0, 0.0, 0.0, 30.0),
        Spending("海安", 2025, 45.0, 0.0, 0.0, 30.0, carried_in_wan=20.0),
        Spending("如皋", 2024, 0.0, 0.0, 0.0, 10.0),
        Spending("如皋", 2025, 20.0, 0.0, 0.0, 20.0, carried_in_wan=10.0),
    ])
    ws = plan_workbook(plan, ds, generated_on=GENERATED)[SPENDING]
    heads = [header(c.value) for c in ws[1]]
    rows = {(r[0], r[1]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    carried, balance = heads.index("上年结转（万元）假设情景"), heads.index("含统筹与结转的结余（万元）")
    up = rows[("市级（合计）", 2025)]
    assert Decimal(str(up[carried])) == Decimal("30.00")
    assert Decimal(str(up[balance])) == Decimal(str(rows[("海安", 2025)][balance])) + Decimal(
        str(rows[("如皋", 2025)][balance])) == Decimal("15.00")



def test_cli_solve_region(tmp_path, capsys) -> None:
    """`planner solve S --region NAME --out X.xlsx`: the workbook of that region (as the brief's --region);
    an unknown name is a usage error (exit 2) said before any solve."""
    import openpyxl

    from planner.cli import main

    out = tmp_path / "county.xlsx"
    scenario = str(ROOT / "scenarios" / "demo_province.toml")
    assert main(["solve", scenario, "--region", COUNTY, "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert COUNTY in wb[SUMMARY]["A1"].value
    assert {r[0] for r in wb["计划"].iter_rows(min_row=2, values_only=True) if r[0]} == {COUNTY}
    assert not [x for x in _first_column(wb["截止检查"]) if x.endswith("（合计）")]
    capsys.readouterr()
    assert main(["solve", scenario, "--region", "没有这个县", "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "没有这个县" in err and "unknown region" in err and not (tmp_path / "x.xlsx").exists()


def test_outputs_get_the_umasks_mode_and_force_keeps_it(tmp_path) -> None:
    """Outputs are written through a temporary file (0600 by nature): the file written has the mode the umask
    gives (0664 under umask 002), and --force over an existing 0664 file leaves it 0664."""
    import os
    import stat

    from planner.io.files import write_atomic, write_new

    old = os.umask(0o002)
    try:
        new = write_atomic(tmp_path / "a.xlsx", b"x")
        assert stat.S_IMODE(new.stat().st_mode) == 0o664
        linked = write_new(tmp_path / "b.toml", b"x")
        assert stat.S_IMODE(linked.stat().st_mode) == 0o664
        kept = tmp_path / "c.pdf"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        write_atomic(kept, b"new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() == b"new"
    finally:
        os.umask(old)


def test_summary_never_ends_on_a_near_empty_page() -> None:
    """Nantong's baseline 总览 is a little over a page: printed on one, not with a second page of three lines."""
    sc = load_scenario(ROOT / "scenarios" / "nantong_baseline.toml")
    ds = load_workbook(sc.workbook)
    ws = plan_workbook(solve(ds, sc), ds, generated_on=GENERATED)[SUMMARY]
    assert not ws.row_breaks.brk and ws.page_setup.fitToHeight == 1


def test_a_per_region_target_counts_regions_and_keeps_what_it_would_take(demo, demo_wb) -> None:
    """A coverage target checked region by region (DM-3) is said in regions that meet it, not as an aggregate
    「26/33（需 29，差 4 项）」 that reads as wrong arithmetic; what it would take follows, whole, on 总览."""
    pairs = {r[0]: r[1] for r in demo_wb[SUMMARY].iter_rows(values_only=True) if r[0] and r[1]}
    dm3 = pairs["DM-3"]
    assert "个地区各自达到" in dm3 and "需 29" not in dm3
    assert "预算至少还差" in dm3 and dm3.rstrip().endswith("）")


def test_a_county_workbook_lists_the_targets_that_reach_it(demo) -> None:
    """As its brief does: the province's and the city's targets over 示例乙三县, judged on the whole plan."""
    plan, ds = demo
    wb = plan_workbook(plan, ds, generated_on=GENERATED, region=COUNTY)
    pairs = {r[0]: r[1] for r in wb[SUMMARY].iter_rows(values_only=True) if r[0] and r[1]}
    assert "DM-2" in pairs and "DM-3" in pairs and "DM-1" not in pairs  # DM-1: 示例甲市 only
