"""Session state and cached engine calls: the only place the pages touch the engine.

The current data live in the session as workbook bytes (the shipped file read once, an upload, or the
user's edits written back through the engine's writer); the shipped file and uploads are never written
to. Every solve is cached by (workbook bytes hash, scenario content), so moving a slider back is instant.
Engine calls are wrapped: a failure shows a clear message and the last good plan stays on the page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit as st

from planner.domain import Dataset, Message, Plan, Scenario, SolveStatus, WorkbookError
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.scenario import ScenarioError, load_scenario, save_scenario
from planner.io.workbook import load_workbook
from planner.model.instance import budget_table
from views.i18n import lang, t

log = logging.getLogger("planner.app")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "nantong_capabilities.xlsx"
DEFAULT_SCENARIO = "nantong_baseline"
SS = st.session_state


def scenario_dir() -> Path:
    """Where scenario files are listed and saved (``PLANNER_SCENARIOS`` overrides, e.g. in tests)."""
    return Path(os.environ.get("PLANNER_SCENARIOS", ROOT / "scenarios"))


# ------------------------------------------------------------------------------------------- session

def init() -> None:
    """Session defaults: the shipped workbook and the baseline scenario (or the engine defaults)."""
    if "wb_bytes" not in SS:
        SS.wb_bytes = SHIPPED.read_bytes()  # read once; never written
        SS.wb_source = "shipped"
        SS.wb_name = SHIPPED.name
    if "scenario" not in SS:
        files = list_scenarios()
        preferred = next((p for p in files if p.stem == DEFAULT_SCENARIO), files[0] if files else None)
        scenario = None
        if preferred is not None:
            try:
                scenario = load_scenario(preferred)
            except ScenarioError as exc:
                SS.startup_error = exc.message
        SS.scenario = scenario or Scenario(name=DEFAULT_SCENARIO, workbook=SHIPPED)
        SS.scenario_file = preferred.name if scenario is not None and preferred is not None else ""
        SS.scenario_base = SS.scenario
    SS.setdefault("last_good_plan", None)
    SS.setdefault("data_errors", [])
    SS.setdefault("incoming", None)


def data_key() -> str:
    return hashlib.sha256(SS.wb_bytes).hexdigest()[:16]


def scenario_key(scenario: Scenario) -> str:
    """The scenario's content (not its file): two equal settings share one cached solve."""
    return repr(replace(scenario, source_path=None, description=""))


@st.cache_data(max_entries=16, show_spinner=False)
def _load(key: str, _data: bytes) -> Dataset:
    return load_workbook(_data)


def dataset() -> Dataset:
    """The current, validated data (the last good workbook in the session)."""
    return _load(data_key(), SS.wb_bytes)


def scenario() -> Scenario:
    return SS.scenario


MODIFIED = "（已修改）"


def set_scenario(new: Scenario) -> None:
    """Adopt changed settings; the name says when they differ from the scenario file they came from."""
    base = SS.get("scenario_base")
    if base is not None:
        plain = replace(new, name=base.name)
        new = plain if scenario_key(plain) == scenario_key(base) else replace(new, name=base.name + MODIFIED)
    SS.scenario = new


def list_scenarios() -> list[Path]:
    folder = scenario_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


# ------------------------------------------------------------------------------------------ messages

def show_message(message: Message, kind: str = "error") -> None:
    text = message.text(lang())
    {"error": st.error, "warning": st.warning, "info": st.info}[kind](text)


def messages_table(messages: list[Message]) -> list[dict[str, Any]]:
    """Validation messages as rows: sheet, row, column, message (in the current language)."""
    en = lang() == "en"
    return [{t("col_sheet"): m.sheet, t("col_row"): m.row, t("col_column"): m.column,
             t("col_message"): m.en if en else m.zh} for m in messages]


def _engine_failure(exc: Exception) -> None:
    log.exception("engine call failed")  # the traceback goes to the server log, never to the page
    if isinstance(exc, ScenarioError):
        show_message(exc.message)
    elif isinstance(exc, WorkbookError):
        for m in exc.messages:
            show_message(m)
    elif isinstance(exc, ImportError):
        st.error(t("engine_missing", detail=str(exc)))
    else:
        st.error(t("engine_error", detail=f"{type(exc).__name__}: {exc}"))


# ------------------------------------------------------------------------------------------- data in

def accept_workbook(data: bytes, name: str) -> list[Message]:
    """Validate uploaded bytes; on success they become the session's data. Returns the errors."""
    try:
        load_workbook(data)
    except WorkbookError as exc:
        return exc.messages
    except Exception as exc:  # noqa: BLE001 - never a traceback on the page
        log.exception("upload failed")
        return [Message("not_a_workbook", f"无法读取：{exc}", f"cannot be read: {exc}")]
    SS.wb_bytes, SS.wb_source, SS.wb_name = data, "upload", name
    return []


def apply_dataset(new: Dataset) -> list[Message]:
    """Adopt edited data: written by the engine's writer and read back by its validator."""
    try:
        data = workbook_bytes(dataset_workbook(new))
        load_workbook(data)
    except WorkbookError as exc:
        return exc.messages
    except Exception as exc:  # noqa: BLE001
        log.exception("edit failed")
        return [Message("bad_edit", f"修改无法应用：{exc}", f"the edit cannot be applied: {exc}")]
    SS.wb_bytes, SS.wb_source = data, "edited"
    return []


def reset_data() -> None:
    SS.wb_bytes, SS.wb_source, SS.wb_name = SHIPPED.read_bytes(), "shipped", SHIPPED.name
    SS.data_errors = []


def data_workbook_bytes() -> bytes:
    return SS.wb_bytes


# ------------------------------------------------------------------------------------------ scenarios

def open_scenario(path: Path) -> Message | None:
    try:
        SS.scenario = load_scenario(path)
    except ScenarioError as exc:
        return exc.message
    SS.scenario_file, SS.scenario_base = path.name, SS.scenario
    return None


def save_as(name: str, description: str = "") -> tuple[Path | None, str]:
    """Save the current settings as ``scenarios/<name>.toml``; never overwrites. Returns (path, error)."""
    stem = name.strip()
    if not re.fullmatch(r"[\w\-\u4e00-\u9fff]{1,60}", stem):
        return None, t("save_bad_name")
    folder = scenario_dir()
    path = folder / f"{stem}.toml"
    sc = replace(SS.scenario, name=stem, description=description or SS.scenario.description)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        save_scenario(sc, path)
    except FileExistsError:
        return None, t("save_exists", name=path.name)
    except OSError as exc:
        return None, t("engine_error", detail=str(exc))
    SS.scenario, SS.scenario_file = replace(sc, source_path=path), path.name
    SS.scenario_base = SS.scenario
    return path, ""


def effective_budgets(ds: Dataset, sc: Scenario) -> dict[tuple[str, int], float]:
    """Budgets after multiplier and overrides: the engine's own table."""
    return budget_table(ds, sc)


# ---------------------------------------------------------------------------------------------- solve

@st.cache_data(max_entries=64, show_spinner=False)
def _solve(dkey: str, skey: str, _ds: Dataset, _sc: Scenario) -> Plan:
    from planner.model.solve import solve

    return solve(_ds, _sc)


@dataclass
class Outcome:
    """What a page shows: the plan (the fresh one, or the last good one) and whether it is fresh."""

    plan: Plan | None
    fresh: bool


def solve_plan(sc: Scenario | None = None, remember: bool = True) -> Plan | None:
    """Solve (cached) with a spinner; None when the engine failed (the message is already shown)."""
    sc = sc or SS.scenario
    try:
        ds = dataset()
        with st.spinner(t("solving", name=sc.name)):
            plan = _solve(data_key(), scenario_key(sc), ds, sc)
    except Exception as exc:  # noqa: BLE001 - a clear message, never a traceback
        _engine_failure(exc)
        return None
    if remember and plan.has_solution:
        SS.last_good_plan = plan
    return plan


def current_plan(show_status: bool = True) -> Outcome:
    """The plan for the current settings; when it has no solution, explain why and keep the last good one."""
    plan = solve_plan()
    if plan is not None and plan.has_solution:
        if show_status and plan.status == SolveStatus.FEASIBLE:
            st.warning(t("status_feasible"))
        return Outcome(plan, True)
    if show_status and plan is not None:
        explain_no_solution(plan)
    last = SS.get("last_good_plan")
    if show_status:
        st.info(t("showing_last_good", name=last.scenario.name) if last is not None else t("no_plan"))
    return Outcome(last, False)


def explain_no_solution(plan: Plan) -> None:
    key = {SolveStatus.INFEASIBLE: "status_infeasible", SolveStatus.TIME_LIMIT: "status_time_limit",
           SolveStatus.UNBOUNDED: "status_error", SolveStatus.ERROR: "status_error"}.get(plan.status, "status_error")
    st.error(t(key, detail=plan.message or ""))
    en = lang() == "en"
    for s in plan.shortfalls:
        st.markdown(f"- {s.en if en else s.zh}")


def _analysis(name: str):
    from importlib import import_module

    module = {"min_budget": "min_budget", "frontier": "frontier", "marginal_values": "marginal"}[name]
    return getattr(import_module(f"planner.analysis.{module}"), name)


@st.cache_data(max_entries=16, show_spinner=False)
def _min_budget(dkey: str, skey: str, _ds: Dataset, _sc: Scenario):
    return _analysis("min_budget")(_ds, _sc)


@st.cache_data(max_entries=16, show_spinner=False)
def _frontier(dkey: str, skey: str, multipliers: tuple[float, ...] | None, _ds: Dataset, _sc: Scenario):
    return _analysis("frontier")(_ds, _sc, list(multipliers) if multipliers else None)


@st.cache_data(max_entries=16, show_spinner=False)
def _marginal(dkey: str, skey: str, _ds: Dataset, _sc: Scenario, _plan: Plan):
    return _analysis("marginal_values")(_ds, _sc, _plan)


def analysis(kind: str, sc: Scenario | None = None, plan: Plan | None = None,
             multipliers: tuple[float, ...] | None = None):
    """min_budget / frontier / marginal_values, cached and wrapped; None after showing an error."""
    sc = sc or SS.scenario
    try:
        ds = dataset()
        with st.spinner(t(f"spinner_{kind}")):
            if kind == "min_budget":
                return _min_budget(data_key(), scenario_key(sc), ds, sc)
            if kind == "frontier":
                return _frontier(data_key(), scenario_key(sc), multipliers, ds, sc)
            return _marginal(data_key(), scenario_key(sc), ds, sc, plan)
    except Exception as exc:  # noqa: BLE001
        _engine_failure(exc)
        return None


def plan_workbook(plan: Plan) -> bytes | None:
    try:
        from planner.reports.plan_workbook import plan_workbook_bytes

        return plan_workbook_bytes(plan, dataset())
    except Exception as exc:  # noqa: BLE001
        _engine_failure(exc)
        return None


# ------------------------------------------------------------------------------------------- sidebar

def sidebar_status() -> None:
    """Which data and which scenario the pages show."""
    source = {"shipped": t("src_shipped"), "upload": t("src_upload", name=SS.get("wb_name", "")),
              "edited": t("src_edited")}[SS.wb_source]
    with st.sidebar:
        st.caption(t("sidebar_data", source=source))
        st.caption(t("sidebar_scenario", name=SS.scenario.name))
        st.caption(t("assumption_note"))
        if SS.get("startup_error") is not None:
            show_message(SS.startup_error, "warning")
