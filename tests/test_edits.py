"""Cell edits through the workbook's validator (planner.io.edits): what validates is applied, what does not
is rejected with its located message, a no-op is said to be one, and the result reads back as a workbook."""

from __future__ import annotations

from datetime import date

from planner.domain import Cap
from planner.io.edits import Edit, apply_edits
from planner.io.workbook import load_workbook


def test_a_valid_edit_is_applied_and_reads_back(nantong) -> None:
    out = apply_edits(nantong, [Edit("items", ("衡器",), "capex_wan", 60.0)])
    assert not out.rejected and not out.errors and len(out.applied) == 1
    assert out.dataset.item("衡器").capex_wan == 60.0
    assert load_workbook(out.data).item("衡器").capex_wan == 60.0
    assert nantong.item("衡器").capex_wan == 40.0  # the original is untouched


def test_an_edit_equal_to_the_data_is_no_change(nantong) -> None:
    out = apply_edits(nantong, [Edit("items", ("衡器",), "capex_wan", 40.0),
                                Edit("budgets", ("通州", 2024), "budget_wan", nantong.budgets[("通州", 2024)])])
    assert out.dataset is None and out.data is None and len(out.unchanged) == 2 and not out.applied


def test_a_bad_cell_is_rejected_with_its_place_and_the_rest_applied(nantong) -> None:
    blank = Edit("items", ("衡器",), "capex_wan", None)
    good = Edit("items", ("水表",), "lead_quarters", 4)
    out = apply_edits(nantong, [blank, good])
    assert [e for e, _ in out.rejected] == [blank]
    message = out.rejected[0][1]
    assert (message.sheet, message.column) == ("项目", "建设投资（万元）") and "不能为空" in message.zh
    assert out.applied == [good] and out.dataset.item("水表").lead_quarters == 4
    assert out.dataset.item("衡器").capex_wan == 40.0


def test_budget_and_matrix_edits(nantong) -> None:
    out = apply_edits(nantong, [Edit("budgets", ("通州", 2024), "budget_wan", 250.0),
                                Edit("matrix", ("通州", "玻璃体温计"), "state", Cap.HAS),
                                Edit("budgets", ("海门", 2025), "budget_wan", -5.0)])
    assert out.dataset.budgets[("通州", 2024)] == 250.0
    assert out.dataset.state("通州", "玻璃体温计") == Cap.HAS and len(out.dataset.gaps()) == 64
    (bad, message), = out.rejected
    assert bad.key == ("海门", 2025) and message.sheet == "预算" and "负" in message.zh
    assert out.dataset.budgets[("海门", 2025)] == nantong.budgets[("海门", 2025)]


def test_upgrade_without_an_upgrade_cost_is_traced_to_the_matrix_edit(nantong) -> None:
    up = Edit("matrix", ("海安", "衡器"), "state", Cap.UPGRADE)
    out = apply_edits(nantong, [up])
    if nantong.item("衡器").upgrade_capex_wan is None:
        assert {e for e, _ in out.rejected} == {up} and out.dataset is None and not out.errors
    else:
        assert out.applied == [up]


def test_actual_dates_and_their_evidence(nantong) -> None:
    today = date(2026, 11, 30)
    out = apply_edits(nantong, [
        Edit("actuals", ("通州", "玻璃体温计"), "completed_on", date(2024, 10, 8)),
        Edit("actuals", ("通州", "玻璃体温计"), "source", "通市监〔2024〕12号"),
        Edit("actuals", ("通州", "水表"), "source", "无日期的文号"),  # evidence without a date
        Edit("actuals", ("海门", "心电图机"), "completed_on", date(2027, 1, 5)),  # after today
    ], today=today)
    assert out.dataset.actuals == {("通州", "玻璃体温计"): date(2024, 10, 8)}
    assert out.dataset.actual_evidence == {("通州", "玻璃体温计"): "通市监〔2024〕12号"}
    assert sorted(m.code for _, m in out.rejected) == ["evidence_without_date", "future_actual"]
    back = load_workbook(out.data)  # the 实际完成 sheet round-trips
    assert back.actuals == out.dataset.actuals and back.actual_evidence == out.dataset.actual_evidence
    cleared = apply_edits(back, [Edit("actuals", ("通州", "玻璃体温计"), "completed_on", None)])
    assert cleared.dataset.actuals == {} and cleared.dataset.actual_evidence == {}
