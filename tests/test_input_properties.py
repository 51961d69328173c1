"""Property tests of the reader: random valid workbooks round-trip (write -> read gives equal domain objects),
and random mutations of a workbook or its bytes never raise anything but ``WorkbookError`` (examples are
small and few, so no case can run long)."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
from corpus.generate import base
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from planner.domain import BASIC, UPGRADED, Cap, Dataset, Item, Level, Region, WorkbookError
from planner.io.cells import loose_key
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a save each
names = st.text(alphabet="海安如皋东启通州门县市水表衡器计价压力血糖0123456789", min_size=1, max_size=8)
money = st.floats(min_value=0, max_value=5000, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def datasets(draw) -> Dataset:
    item_names = draw(st.lists(names, min_size=1, max_size=6, unique_by=loose_key))
    county_names = draw(st.lists(names, min_size=1, max_size=4, unique_by=loose_key)
                        .filter(lambda xs: not {loose_key(x) for x in xs} & {loose_key(i) for i in item_names}
                                and "市级" not in xs))
    items = [Item(f"I{n}", name, draw(st.sampled_from([BASIC, UPGRADED])),
                  draw(st.dates(date(2023, 1, 1), date(2030, 12, 31))), draw(money), draw(money),
                  draw(st.integers(0, 8)), draw(st.sampled_from([0.5, 1.0, 2.0])), draw(money),
                  upgrade_capex_wan=draw(money), upgrade_lead_quarters=draw(st.integers(0, 4)))
             for n, name in enumerate(item_names)]
    regions = [Region("C0", "市级", Level.CITY)] + [Region(f"K{n}", c, Level.COUNTY, parent="市级")
                                                   for n, c in enumerate(county_names)]
    matrix = {(c, i): draw(st.sampled_from(list(Cap))) for c in county_names for i in item_names}
    budgets = {(c, y): draw(money) for c in county_names for y in draw(st.sets(st.integers(2023, 2030), max_size=3))}
    return Dataset(items, regions, matrix, budgets=budgets, tiers=[BASIC, UPGRADED])


@FAST
@given(datasets())
def test_valid_workbooks_round_trip(dataset: Dataset) -> None:
    back = load_workbook(workbook_bytes(dataset_workbook(dataset)))
    assert back.items == dataset.items
    assert back.regions == dataset.regions
    assert back.matrix == dataset.matrix
    assert back.budgets == dataset.budgets
    assert [t.key for t in back.tiers] == [t.key for t in dataset.tiers if dataset.items_of(t)]


HOSTILE = st.one_of(
    st.none(), st.just(""), st.just(" "), st.just("\u200b"), st.just("#N/A"), st.just("=A1"), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20), st.text(max_size=30),
    st.datetimes(datetime(1900, 3, 1), datetime(2200, 1, 1)), st.just("海安"), st.just("已具备"), st.just("x" * 5000),
)


def _shipped(nantong_path) -> openpyxl.Workbook:
    return base()  # a copy of the shipped workbook


@SLOW
@given(edits=st.lists(st.tuples(st.integers(0, 11), st.integers(1, 40), st.integers(1, 25), HOSTILE),
                      min_size=1, max_size=4))
def test_random_cell_mutations_raise_only_workbook_error(nantong_path, edits) -> None:
    wb = _shipped(nantong_path)
    for sheet, row, column, value in edits:
        ws = wb.worksheets[sheet % len(wb.worksheets)]
        try:
            ws.cell(row, column).value = value
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses control characters: not our input
            continue
    buf = io.BytesIO()
    wb.save(buf)
    try:
        load_workbook(buf.getvalue())
    except WorkbookError as exc:
        assert exc.messages and all(m.zh and m.en for m in exc.messages)


@SLOW
@given(edits=st.lists(st.tuples(st.sampled_from(["rename", "hide", "delete_row", "delete_col", "delete"]),
                                st.integers(0, 11), st.integers(1, 30), st.text(min_size=1, max_size=12)),
                      min_size=1, max_size=3))
def test_random_structure_mutations_raise_only_workbook_error(nantong_path, edits) -> None:
    wb = _shipped(nantong_path)
    for op, sheet, n, text in edits:
        if not wb.worksheets:
            break
        ws = wb.worksheets[sheet % len(wb.worksheets)]
        try:
            if op == "rename":
                ws.title = text[:31]
            elif op == "hide" and len(wb.worksheets) > 1:
                ws.sheet_state = "hidden"
            elif op == "delete_row":
                ws.delete_rows(n)
            elif op == "delete_col":
                ws.delete_cols(n % 10 + 1)
            elif op == "delete" and len(wb.worksheets) > 1:
                wb.remove(ws)
        except ValueError:  # a title openpyxl itself refuses
            continue
    buf = io.BytesIO()
    try:
        wb.save(buf)
    except (ValueError, IndexError):
        return
    try:
        load_workbook(buf.getvalue())
    except WorkbookError:
        pass


@FAST
@given(flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 10**9)))
def test_random_byte_damage_raises_only_workbook_error(nantong_path, flips, cut) -> None:
    data = bytearray(nantong_path.read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    try:
        load_workbook(bytes(data))
    except WorkbookError as exc:
        assert exc.messages
