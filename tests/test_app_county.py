"""One county in focus, and nothing lost: the focus in the URL filters every page and the export; a link
reproduces language, settings, focus and uploaded data; undo; long analyses on request with progress."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import Cap
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook
from tests.test_app import SHIPPED, _button, _clean, _metrics, _open, _parts, _summary, _texts, copy_scenarios


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Scenario files copied to a temporary folder (saves never touch the repository), a fresh data store."""
    folder = copy_scenarios(tmp_path / "scenarios")
    monkeypatch.setenv("PLANNER_SCENARIOS", str(folder))
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store"))
    from views import state

    state.store.clear()
    return folder


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch):
    """``downloads(button) -> bytes``: what a download button would send (AppTest keeps files in memory)."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    made: list[MemoryMediaFileStorage] = []

    class Kept(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Kept)

    def get(button) -> bytes:
        file_id = button.proto.url.rsplit("/", 1)[1].split(".")[0]
        return made[-1].get_file(file_id).content

    return get


def _download(at: AppTest, downloads, label: str) -> bytes:
    return downloads(next(b for b in at.get("download_button") if b.label == label))


def test_a_county_in_the_url_filters_every_page_and_the_export(downloads) -> None:
    at = _open(query={"region": "通州"})
    assert at.selectbox(key="focus").value == "通州"
    assert "本页只显示：通州" in _texts(at.info)
    m = _metrics(at)  # seed: 通州 lacks 6 basic items and 8 upgraded ones
    assert (m["基本能力缺口"], m["提升能力缺口"], m["待补缺口"]) == ("6", "8", "14")
    assert list(at.dataframe[0].value["地区"]) == ["通州"]
    at.switch_page("views/plan.py").run()
    _clean(at)
    schedule = at.dataframe[-1].value
    assert len(schedule) == 14 and set(schedule["地区"]) == {"通州"}
    at.switch_page("views/deadlines.py").run()
    assert [list(d.value["地区"]) for d in at.dataframe] == [["通州"], ["通州"]]
    at.switch_page("views/export.py").run()
    _clean(at)
    assert "范围：通州" in _texts(at.markdown) and "14 个缺口" in _texts(at.markdown)
    book = load_workbook(_download(at, downloads, "下载计划工作簿（.xlsx）"))  # the county's plan re-opens
    assert [r.name for r in book.matrix_regions] == ["通州"] and len(book.gaps()) == 14
    plan_sheet = openpyxl.load_workbook(io.BytesIO(_download(at, downloads, "下载计划工作簿（.xlsx）")))["计划"]
    regions = {row[0] for row in plan_sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert regions <= {"通州"} and regions
    # the city view is one click away
    _button(at, "查看全部地区").click().run()
    _clean(at)
    assert at.session_state["focus"] == "" and "region" not in at.query_params
    assert "65 个缺口" in _texts(at.markdown)


def test_frontier_for_the_county_in_focus(downloads) -> None:
    at = _open("views/compare.py", query={"region": "海门"})
    at.multiselect(key="cmp_pick").set_value(["nantong_baseline.toml", "nantong_tight.toml",
                                              "nantong_replan_2027.toml"]).run()
    _clean(at)
    on_time = list(at.dataframe[0].value["按期"])  # 海门 alone: all 11 gaps, less with half the money, and none
    assert on_time[0] == "11/11" and on_time[1] != "11/11" and on_time[2] == "0/11"  # when re-planned from 2027
    assert len(at.get("vega_lite_chart")) == 0  # computed only when asked
    _button(at, "计算曲线").click().run()
    _clean(at)
    assert len(at.get("vega_lite_chart")) == 1
    frontier = at.dataframe[-1].value
    assert len(frontier) == 9 and "当前预算 ×" in frontier.columns and "工作簿预算倍数" not in frontier.columns
    shares = [int(s.rstrip("%")) for s in frontier["按期比例"]]
    assert shares == sorted(shares) and shares[-1] == 100  # monotone, as the caption now says
    captions = _texts(at.caption)
    assert "nantong_replan_2027 的规划期与 2023Q4–2027Q4 不同" in captions and "范围：海门" in captions
    assert "偶尔" not in captions  # the old caption contradicted the curve
    spec = json.dumps(json.loads(at.get("vega_lite_chart")[0].proto.spec), ensure_ascii=False)
    assert "规划期（2023Q4–2027Q4）预算合计" in spec and "nantong_replan_2027" not in spec


def test_a_link_reproduces_language_settings_and_focus() -> None:
    at = _open("views/scenario.py")
    at.slider(key="sc_w_mult").set_value(0.65).run()
    at.radio(key="sc_w_mode").set_value("soft").run()
    at.toggle(key="sc_w_sharing").set_value(True).run()
    at.selectbox(key="focus").set_value("海门").run()
    at.session_state["lang"] = "en"
    at.run()
    _clean(at)
    link = dict(at.query_params)
    assert link["region"] == "海门" and link["lang"] == "en" and link["m"] == "0.65" and link["share"] == "1"
    shown = _summary(at)
    again = _open("views/scenario.py", query=link)  # a new session: a reload, or the link sent to someone
    assert again.session_state["lang"] == "en" and again.session_state["focus"] == "海门"
    sc, before = again.session_state["scenario"], at.session_state["scenario"]
    assert (sc.budget_multiplier, sc.deadline_mode, sc.options.sharing) == (0.65, before.deadline_mode, True)
    assert sc.name == "nantong_baseline（已修改）"
    assert _summary(again) == shown


def test_uploaded_data_come_back_with_the_link() -> None:
    ds = load_workbook(SHIPPED)
    ds.matrix[("海安", "衡器")] = Cap.LACKS
    at = _open("views/data.py")
    at.file_uploader[0].upload("mine.xlsx", workbook_bytes(dataset_workbook(ds))).run()
    link = dict(at.query_params)
    assert len(link["data"]) == 32
    again = _open(query=link)
    assert again.session_state["wb_source"] == "upload" and again.session_state["wb_name"] == "mine.xlsx"
    assert _metrics(again)["基本能力缺口"] == "17"
    gone = _open(query={"data": "0" * 32})  # a link to data this server no longer has: said, not failed
    assert "链接中的数据在本服务器上已不存在" in _texts(gone.warning)
    assert gone.session_state["wb_source"] == "shipped"


def test_undo_the_last_change() -> None:
    at = _open("views/scenario.py")
    assert _button(at, "撤销上一步").disabled
    first = _summary(at)
    at.radio(key="sc_w_mode").set_value("soft").run()
    at.slider(key="sc_w_mult").set_value(0.5).run()
    assert _parts(_summary(at))["on_time"] < 65
    _button(at, "撤销上一步").click().run()
    _clean(at)
    sc = at.session_state["scenario"]
    assert sc.budget_multiplier == 1.0 and sc.deadline_mode.value == "soft"  # one step back: the slider only
    assert at.slider(key="sc_w_mult").value == 1.0
    _button(at, "撤销上一步").click().run()
    assert at.session_state["scenario"].name == "nantong_baseline" and _summary(at) == first


def test_a_cancelled_analysis_keeps_its_steps_and_resumes(tmp_path: Path) -> None:
    """Cancelling stops before the next step; asking again reuses the steps already done."""
    log = tmp_path / "calls.txt"
    log.write_text("")

    def script(path: str) -> None:
        import streamlit as st

        from views import tasks

        def step(n: int):
            def run() -> int:
                with open(path, "a") as fh:
                    fh.write(f"{n}\n")
                return n * n
            return run

        out = tasks.run("test-task", [step(n) for n in range(4)], title="t", button="go")
        st.write(f"result={out}")

    at = AppTest.from_function(script, args=(str(log),), default_timeout=30)
    at.run()
    assert "result=None" in _texts(at.markdown) and log.read_text() == ""  # nothing before the button
    at.session_state["task_started_test-task"] = True
    at.session_state["task_cancelled_test-task"] = True  # what the cancel button's callback sets
    at.run()
    assert log.read_text() == "" and at.button[0].label == "go"
    at.button[0].click().run()
    assert "result=[0, 1, 4, 9]" in _texts(at.markdown) and log.read_text().split() == ["0", "1", "2", "3"]
    at.run()
    assert "result=[0, 1, 4, 9]" in _texts(at.markdown) and len(log.read_text().split()) == 4  # kept


def test_the_county_brief_gets_the_marginal_values_the_page_computed(monkeypatch: pytest.MonkeyPatch,
                                                                     downloads) -> None:
    """The brief of the county in focus, in the current language, with the plan and the data it was solved
    on and, once the 截止检查 page has computed them, the same marginal values (no second computation)."""
    import planner.reports.brief
    from views import briefs

    calls = []

    def brief_pdf(plan, dataset, *, lang="zh", region=None, marginal=None, generated_on=None):
        regions = {g.region for g in plan.schedule} | {r.name for r in dataset.matrix_regions}
        calls.append((lang, region, regions, marginal))
        return b"%PDF-1.7 brief"

    monkeypatch.setattr(planner.reports.brief, "brief_pdf", brief_pdf)
    briefs._brief.clear()
    at = _open(query={"region": "如皋"})
    _button(at, "生成一页简报（PDF，如皋）").click().run()
    _clean(at)
    assert calls == [("zh", "如皋", {"如皋"}, None)]  # nothing computed yet: the brief computes its own
    assert _download(at, downloads, "下载简报（PDF）") == b"%PDF-1.7 brief"
    at.switch_page("views/deadlines.py").run()
    _button(at, "计算边际价值").click().run()
    _clean(at)
    briefs._brief.clear()
    at.session_state["lang"] = "en"
    at.switch_page("views/export.py").run()
    _button(at, "Make the one-page brief (PDF, 如皋)").click().run()
    _clean(at)
    lang, region, regions, marginal = calls[-1]
    assert (lang, region, regions) == ("en", "如皋", {"如皋"})
    # the page's own values, handed over: one per county-year of the horizon (2023Q4–2027Q4)
    assert marginal and {v.region for v in marginal} == {"如皋"}
    assert sorted(v.year for v in marginal) == [2023, 2024, 2025, 2026, 2027]


def test_objective_switch_risk_and_per_year_minimum_for_a_county() -> None:
    at = _open("views/scenario.py", query={"region": "如皋"})
    earliest = _metrics(at)["成本（万元，示例假设）"]
    at.radio(key="sc_w_objective").set_value("cheapest").run()
    _clean(at)
    assert at.query_params["obj"] == "cheapest"
    cheapest = _metrics(at)["成本（万元，示例假设）"]
    assert float(cheapest.replace(",", "")) <= float(earliest.replace(",", ""))
    assert _parts(_summary(at))["on_time"] == 11  # 如皋: 3 basic + 8 upgraded gaps, all on time either way
    at.switch_page("views/compare.py").run()
    _clean(at)
    both = at.dataframe[2].value  # the scenarios, the per-county differences, the two objectives
    assert list(both["情景"]) == ["最早配置到位", "最省（满足截止期限）"]
    at.switch_page("views/deadlines.py").run()
    _button(at, "计算最低预算").click().run()
    _clean(at)
    per_year = at.dataframe[2].value  # 如皋: least and current budget per year
    assert list(per_year["地区"]) == ["如皋", "如皋"] and list(per_year["类别"]) == ["最低", "当前"]
    least = per_year[per_year["类别"] == "最低"].iloc[0]
    assert least["2024"] > 0 and least["2027"] < least["2024"]  # building early, running costs later
    _button(at, "计算成本风险（40 个样本）").click().run()
    _clean(at)
    risk = at.dataframe[-1].value
    assert list(risk["地区"]) == ["如皋", "如皋"] and set(risk.columns) >= {"按期概率", "支出 P50（万元）"}
    assert "40 个样本" in _texts(at.caption)


def test_cancel_stops_an_analysis_whose_step_is_still_running(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A click inside a fragment does not interrupt the fragment's run (Streamlit issue 11030): the analysis never
    waits for its work in a page run. Each run starts the next step, draws the progress and asks to run again;
    cancelled while step 1 still runs, no step after it ever starts, and no run took as long as the step."""
    import threading
    import time

    from views import tasks

    reruns = []
    monkeypatch.setattr(tasks.st, "rerun", lambda **kw: reruns.append(kw))  # one run per at.run(), no loop
    gate = threading.Event()
    log = tmp_path / "calls.txt"
    log.write_text("")

    def script(path: str) -> None:
        import threading as th

        import streamlit as st

        from views import tasks

        def step(n: int):
            def run() -> int:
                with open(path, "a") as fh:
                    fh.write(f"{n}\n")
                if n == 1:
                    next(t for t in th.enumerate() if hasattr(t, "gate")).gate.wait(20)
                return n
            return run

        out = tasks.run("cancel-task", [step(n) for n in range(4)], title="t", button="go")
        st.write(f"result={out}")

    holder = threading.Thread(target=gate.wait, daemon=True)
    holder.gate = gate  # type: ignore[attr-defined]  # how the step finds the gate from the script's thread
    holder.start()
    at = AppTest.from_function(script, args=(str(log),), default_timeout=30)
    at.run()
    at.button[0].click().run()  # start: step 0 submitted
    for _ in range(20):  # until step 1 is in flight
        began = time.monotonic()
        at.run()
        assert time.monotonic() - began < 5  # a page run never waits for a step
        if log.read_text().split() == ["0", "1"]:
            break
    assert log.read_text().split() == ["0", "1"] and reruns
    at.button(key="task_cancel_cancel-task").click().run()  # the callback runs: step 1 still blocked
    gate.set()
    time.sleep(1.0)
    at.run()
    assert log.read_text().split() == ["0", "1"]  # steps 2 and 3 never started
    assert "result=None" in _texts(at.markdown), _texts(at.markdown)
    assert any("已取消" in m for m in [i.value for i in at.info]), [i.value for i in at.info]
