"""Session state and cached engine calls: the only place the pages touch the engine.

The current data live in the session as workbook bytes (the shipped file read once, an upload, or the
user's edits written back through the engine's writer); the shipped file and uploads are never written
to. Uploads and edits are also kept on the server by content hash (``planner.io.store``) so that a reload or
a shared link finds them again. Every change of data or settings can be undone (``undo``). Every solve is
cached by (workbook hash, scenario content), so moving a slider back is instant. Engine calls are wrapped:
a failure shows a clear message and the last good plan stays on the page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from planner.analysis.focus import (
    restrict_dataset,
    restrict_plan,
    rollup_order,
    rollup_parents,
    rollup_sums,
    scope,
    separable,
)
from planner.analysis.focus import with_rollups as engine_rollups
from planner.domain import ComplianceRow, Dataset, Message, Plan, Scenario, SolveStatus, Spending, WorkbookError
from planner.i18n import gap_words, text
from planner.io.edits import Edit, EditOutcome, apply_edits
from planner.io.scenario import ScenarioError, load_scenario, save_scenario, scenario_toml
from planner.io.store import DataStore
from planner.io.workbook import load_workbook
from planner.model.instance import budget_table
from views.i18n import lang, pick_language, t

log = logging.getLogger("planner.app")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "nantong_capabilities.xlsx"
EXAMPLE = ROOT / "data" / "demo_province.xlsx"  # 示例: a small synthetic province (three tiers, targets)
EXAMPLE_SCENARIO = "demo_province.toml"
DEFAULT_SCENARIO = "nantong_baseline"
MODIFIED = "（已修改）"
UNDO_DEPTH = 30
MAX_DESCRIPTION = 500  # characters of a saved scenario's description
SS = st.session_state


def scenario_dir() -> Path:
    """Where scenario files are listed and saved (``PLANNER_SCENARIOS`` overrides, e.g. in tests)."""
    return Path(os.environ.get("PLANNER_SCENARIOS", ROOT / "scenarios"))


@st.cache_resource
def store() -> DataStore:
    return DataStore()


@st.cache_resource
def _shipped_bytes() -> bytes:
    return SHIPPED.read_bytes()  # read once per server; never written


# ------------------------------------------------------------------------------------------- session

def init() -> None:
    """Session defaults: the shipped workbook and the baseline scenario (or the engine defaults)."""
    if "wb_bytes" not in SS:
        SS.wb_bytes, SS.wb_source, SS.wb_name, SS.wb_key = _shipped_bytes(), "shipped", SHIPPED.name, ""
    if "scenario" not in SS:
        files = list_scenarios()
        preferred = next((p for p in files if p.stem == DEFAULT_SCENARIO), files[0] if files else None)
        scenario = None
        if preferred is not None:
            try:
                scenario = load_scenario(preferred)
            except ScenarioError as exc:
                notify(exc.message)
        SS.scenario = scenario or Scenario(name=DEFAULT_SCENARIO, workbook=SHIPPED)
        SS.scenario_file = preferred.name if scenario is not None and preferred is not None else ""
        SS.scenario_base = SS.scenario
    SS.setdefault("last_good_plan", None)
    SS.setdefault("undo_stack", [])
    SS.setdefault("notices", [])
    SS.setdefault("focus", "")


def notify(message: Message | str, kind: str = "warning", literal: bool = False) -> None:
    """A message for the next page drawn (e.g. from a callback, which runs before the page). ``literal``: the
    text quotes outside values (a link's parameters) and is shown as plain text, never as markdown."""
    SS.setdefault("notices", []).append((kind, message, literal))


def show_notices() -> None:
    for kind, message, *rest in SS.get("notices", []):
        if rest and rest[0]:
            from views.safe import plain

            text = message.text(lang()) if isinstance(message, Message) else str(message)
            {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success,
             "toast": st.toast}[kind](plain(text))
        elif kind == "toast":
            st.toast(message)
        elif isinstance(message, Message):
            show_message(message, kind)
        else:
            {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}[kind](message)
    SS.notices = []


# ---------------------------------------------------------------------------------------------- undo

@dataclass(frozen=True)
class Snapshot:
    """Everything a change may alter: the data and the settings (never the language or the focus)."""

    label: str
    wb_bytes: bytes
    wb_source: str
    wb_name: str
    wb_key: str
    scenario: Scenario
    scenario_base: Scenario
    scenario_file: str


def _snapshot(label: str) -> Snapshot:
    return Snapshot(label, SS.wb_bytes, SS.wb_source, SS.wb_name, SS.get("wb_key", ""), SS.scenario,
                    SS.scenario_base, SS.get("scenario_file", ""))


def remember(label: str) -> None:
    """Keep the current data and settings so that the next change can be undone."""
    stack = SS.setdefault("undo_stack", [])
    stack.append(_snapshot(label))
    del stack[:-UNDO_DEPTH]
    keep_undo()


# The undo history outlives a reload: it is written to the server's store under a random token that the URL
# carries (``u``); a new session reading it copies it under a token of its own, so two people who share a link
# never write to one history. Data are kept by their content key (the store's own files), settings in the
# link's codec, so nothing but plain JSON is read back.
UNDO_TOKEN = re.compile(r"[0-9a-f]{32}")


def _undo_file(token: str) -> Path:
    return store().folder / f"undo-{token}.json"


def _scenario_record(sc: Scenario) -> dict[str, Any]:
    from planner.io.query import scenario_params

    return {"params": scenario_params(sc, Scenario(name="", workbook=sc.workbook)), "workbook": str(sc.workbook),
            "description": sc.description, "solver": sc.solver, "time_limit_s": sc.time_limit_s,
            "mip_gap": sc.mip_gap, "source": str(sc.source_path) if sc.source_path else ""}


def _scenario_of(record: dict[str, Any]) -> Scenario:
    from planner.io.query import apply_params

    base = Scenario(name="", workbook=Path(record["workbook"]), description=str(record.get("description", "")),
                    solver=str(record.get("solver", "highs")), time_limit_s=float(record.get("time_limit_s", 60)),
                    mip_gap=float(record.get("mip_gap", 0.0)),
                    source_path=Path(record["source"]) if record.get("source") else None)
    sc, problems = apply_params(base, {str(k): str(v) for k, v in dict(record["params"]).items()})
    if problems:
        raise ValueError("a stored setting no longer reads")
    return sc


def keep_undo() -> None:
    """Write the session's undo history to the store (best effort: the app works without it)."""
    import json
    import secrets

    token = SS.get("undo_token") or secrets.token_hex(16)
    SS.undo_token = token
    records = []
    try:
        for snap in SS.get("undo_stack", []):
            # the data's content key when it has one (put when adopted): no hashing of every step on every change
            key = "" if snap.wb_source == "shipped" else (
                snap.wb_key or store().put(snap.wb_bytes, snap.wb_name, snap.wb_source))
            if key is None:
                continue  # the store cannot be written: this step lives in the session only
            records.append({"label": snap.label, "data": key, "source": snap.wb_source, "name": snap.wb_name,
                            "wb_key": snap.wb_key, "file": snap.scenario_file,
                            "scenario": _scenario_record(snap.scenario), "base": _scenario_record(snap.scenario_base)})
        path = _undo_file(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except (OSError, TypeError, ValueError):
        log.warning("undo history not kept", exc_info=True)


def restore_undo(token: str) -> None:
    """A reloaded page's undo history (the URL's ``u``), copied under this session's own token."""
    import json

    if not UNDO_TOKEN.fullmatch(token or "") or SS.get("undo_stack"):
        return
    try:
        records = json.loads(_undo_file(token).read_text(encoding="utf-8"))
        stack = []
        for r in records[-UNDO_DEPTH:]:
            if r["source"] == "shipped":
                data = _shipped_bytes()
            else:
                stored = store().get(str(r["data"]))
                if stored is None:
                    continue  # those data left the store: that step cannot come back
                data = stored.data
            stack.append(Snapshot(str(r["label"]), data, str(r["source"]), str(r["name"]), str(r["wb_key"]),
                                  _scenario_of(r["scenario"]), _scenario_of(r["base"]), str(r["file"])))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # no history, or not one this app wrote: start without
    SS.undo_stack = stack
    keep_undo()  # under this session's token


def can_undo() -> bool:
    return bool(SS.get("undo_stack"))


def undo() -> str | None:
    """Back to the state before the last change; returns what was undone (a label key)."""
    stack = SS.get("undo_stack") or []
    if not stack:
        return None
    snap = stack.pop()
    SS.wb_bytes, SS.wb_source, SS.wb_name, SS.wb_key = snap.wb_bytes, snap.wb_source, snap.wb_name, snap.wb_key
    SS.scenario, SS.scenario_base, SS.scenario_file = snap.scenario, snap.scenario_base, snap.scenario_file
    clear_widgets()
    keep_undo()
    return snap.label


WIDGET_PREFIXES = ("sc_w_", "dl_", "ac_", "ed_")


def clear_widgets() -> None:
    """Forget widget values seeded from the settings or data, so the next run shows the restored ones."""
    for key in [k for k in SS.keys() if str(k).startswith(WIDGET_PREFIXES)]:
        del SS[key]
    SS.editor_version = SS.get("editor_version", 0) + 1  # data editors start again from the data


# ---------------------------------------------------------------------------------------------- data

def data_key() -> str:
    return hashlib.sha256(SS.wb_bytes).hexdigest()[:16]


@st.cache_data(max_entries=16, show_spinner=False)
def _load(key: str, _data: bytes) -> Dataset:
    return load_workbook(_data)


def dataset() -> Dataset:
    """The current, validated data (the last good workbook in the session)."""
    return _load(data_key(), SS.wb_bytes)


def source_label() -> str:
    name = SS.get("wb_name", "")
    return {"shipped": t("src_shipped"), "upload": t("src_upload", name=name), "edited": t("src_edited", name=name),
            "example": t("src_example"), "template": t("src_template", name=name),
            "database": t("src_database", name=name)}.get(SS.wb_source, name)


def _adopt(data: bytes, source: str, name: str, label: str) -> None:
    remember(label)
    SS.wb_bytes, SS.wb_source, SS.wb_name = data, source, name
    SS.wb_key = store().put(data, name, source) or ""
    clear_widgets()


def adopt_database(data: bytes, name: str, label: str | None) -> None:
    """A database dataset's export (``views.dbdata``) becomes the session's data; ``label``: an undo step
    (None: the session's first data, nothing to undo)."""
    if label:
        remember(label)
    SS.wb_bytes, SS.wb_source, SS.wb_name = data, "database", name
    SS.wb_key = store().put(data, name, "database") or ""
    clear_widgets()


def accept_workbook(data: bytes, name: str) -> list[Message]:
    """Validate uploaded bytes; on success they become the session's data. Returns the errors."""
    from planner.io.sandbox import load_workbook_limited

    try:
        load_workbook_limited(data)  # in a child process within a CPU-time budget: no upload occupies the server
    except WorkbookError as exc:
        return exc.messages
    except Exception:  # noqa: BLE001 - never a traceback, never a library's English on the page
        log.exception("upload failed")
        return [Message("not_a_workbook", t_zh("not_a_workbook"), t_en("not_a_workbook"))]
    _adopt(data, "upload", name, "undo_upload")
    return []


def apply_data_edits(edits: list[Edit]) -> EditOutcome:
    """Apply edits through the engine's validator; what validates becomes the session's data."""
    try:
        out = apply_edits(dataset(), edits, today=date.today())
    except Exception:  # noqa: BLE001
        log.exception("edit failed")
        return EditOutcome(errors=[Message("bad_edit", t_zh("bad_edit"), t_en("bad_edit"))])
    if out.data is not None:
        base = SS.wb_name if SS.wb_source != "shipped" else SHIPPED.name
        _adopt(out.data, "edited", base, "undo_edit")
    return out


def discard_data() -> None:
    """Back to the shipped data (undoable); data that came with settings of their own (the example, a
    template) take them along, back to the default scenario."""
    if SS.wb_source != "shipped":
        remember("undo_discard")
        if SS.wb_source in ("example", "template"):
            _default_scenario()
        SS.wb_bytes, SS.wb_source, SS.wb_name, SS.wb_key = _shipped_bytes(), "shipped", SHIPPED.name, ""
        clear_widgets()


def _default_scenario() -> None:
    path = scenario_dir() / f"{DEFAULT_SCENARIO}.toml"
    try:
        sc, name = load_scenario(path), path.name
    except ScenarioError:
        sc, name = Scenario(name=DEFAULT_SCENARIO, workbook=SHIPPED), ""
    SS.scenario, SS.scenario_base, SS.scenario_file = sc, sc, name


def load_example() -> None:
    """The demonstration province (示例, synthetic) and its scenario become the session's data and settings,
    in one undoable step."""
    path = scenario_dir() / EXAMPLE_SCENARIO
    if not path.exists():
        path = ROOT / "scenarios" / EXAMPLE_SCENARIO
    sc = load_scenario(path)
    _adopt(EXAMPLE.read_bytes(), "example", EXAMPLE.name, "undo_example")
    SS.scenario, SS.scenario_base = sc, sc
    SS.scenario_file = path.name if path.parent == scenario_dir() else ""


def adopt_template(data: bytes, name: str, sc: Scenario) -> None:
    """A filled template that validated becomes the session's data, with the scenario to solve it with
    (no scenario file: the link carries its settings), in one undoable step."""
    _adopt(data, "template", name, "undo_template")
    SS.scenario, SS.scenario_base, SS.scenario_file = sc, sc, ""


def restore_data(key: str) -> bool:
    """The workbook stored under ``key`` (a link's data) becomes the session's data; False if gone or bad."""
    stored = store().get(key)
    if stored is None:
        return False
    from planner.io.sandbox import load_workbook_limited

    try:
        load_workbook_limited(stored.data)  # within the CPU-time budget: a link never costs a visitor more
    except Exception:  # noqa: BLE001 - a stored file that no longer validates (e.g. stricter rules)
        return False
    SS.wb_bytes, SS.wb_source, SS.wb_name, SS.wb_key = stored.data, stored.source, stored.name, key
    return True


def t_zh(key: str, **fmt: object) -> str:
    return text(key, "zh", **fmt)


def t_en(key: str, **fmt: object) -> str:
    return text(key, "en", **fmt)


# ------------------------------------------------------------------------------------------- focus

def focus() -> str:
    """The region in focus ("" = every region)."""
    value = SS.get("focus", "")
    return value if value in {r.name for r in dataset().regions} else ""


def focus_regions() -> list[str] | None:
    return scope(dataset(), focus())


def focused_plan(plan: Plan | None) -> Plan | None:
    return None if plan is None else restrict_plan(plan, focus_regions())


def focused_dataset() -> Dataset:
    return restrict_dataset(dataset(), focus_regions())


# ------------------------------------------------------------------------------------------ roll-ups

def region_order() -> dict[str, int]:
    """Rank of each region and roll-up row ("<region>（合计）") in the tables of the region in focus."""
    return {name: n for n, name in enumerate(rollup_order(dataset(), focus_regions()))}


def has_rollups() -> bool:
    """Whether the tables of the region in focus carry roll-up rows (a city or province is in it)."""
    return bool(rollup_parents(dataset(), focus_regions()))


def with_rollups(rows: list[ComplianceRow] | list[Spending]) -> list:
    """Compliance or spending rows of the focused plan with a roll-up row for every city and province in
    focus (none in a flat workbook), each after the regions below it."""
    return engine_rollups(dataset(), rows, focus_regions())


def rollup_values(values: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Per-region counts summed for every city and province in focus (``planner.analysis.focus.rollup_sums``)."""
    return rollup_sums(dataset(), values, focus_regions())


# ------------------------------------------------------------------------------------------ scenarios

def scenario() -> Scenario:
    return SS.scenario


def scenario_key(sc: Scenario) -> str:
    """The scenario's content (not its name or file): two equal settings share one cached solve."""
    return repr(replace(sc, name="", source_path=None, description=""))


def shown_name(name: str) -> str:
    """A scenario's name as people read it: "（已修改）" (changed from the file) in the current language."""
    return name.removesuffix(MODIFIED) + t("modified_suffix") if name.endswith(MODIFIED) else name


def named_for_output(sc: Scenario) -> Scenario:
    """``sc`` under the name people read in the current language: an English brief or scenario file never
    carries 「（已修改）」."""
    return replace(sc, name=shown_name(sc.name)) if sc.name.endswith(MODIFIED) else sc


def is_modified() -> bool:
    return SS.scenario.name.endswith(MODIFIED)


def set_scenario(new: Scenario, label: str = "undo_settings") -> None:
    """Adopt changed settings (undoable); the name says when they differ from the scenario file."""
    base = SS.get("scenario_base")
    if base is not None and new.name in (base.name, base.name + MODIFIED):
        plain = replace(new, name=base.name)
        new = plain if scenario_key(plain) == scenario_key(base) else replace(new, name=base.name + MODIFIED)
    if scenario_key(new) == scenario_key(SS.scenario) and new.name == SS.scenario.name:
        return
    remember(label)
    SS.scenario = new


def adopt_scenario(new: Scenario, label: str) -> None:
    """Settings with a name of their own (a catch-up plan), still made from the same scenario file."""
    remember(label)
    SS.scenario, SS.scenario_base = new, new
    clear_widgets()


def list_scenarios() -> list[Path]:
    folder = scenario_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def open_scenario(path: Path) -> Message | None:
    """The settings of a scenario file replace the current ones (undoable), also when it is the same file."""
    try:
        sc = load_scenario(path)
    except ScenarioError as exc:
        return exc.message
    remember("undo_open")
    SS.scenario, SS.scenario_file, SS.scenario_base = sc, path.name, sc
    clear_widgets()
    return None


def save_as(name: str, description: str = "") -> tuple[Path | None, str]:
    """Save the current settings as ``scenarios/<name>.toml``; never overwrites. Returns (path, error)."""
    import unicodedata

    from planner.io import limits

    stem = name.strip()
    if not re.fullmatch(r"[\w\-\u4e00-\u9fff]{1,60}", stem):
        return None, t("save_bad_name")
    # a control character would make a file the tool itself cannot read back
    if len(description) > MAX_DESCRIPTION or any(unicodedata.category(c).startswith("C") for c in description):
        return None, t("save_bad_description", n=MAX_DESCRIPTION)
    folder = scenario_dir()
    path = folder / f"{stem}.toml"
    sc = replace(SS.scenario, name=stem, description=description or SS.scenario.description)
    if len(scenario_toml(sc, relative_to=folder).encode("utf-8")) > limits.MAX_SCENARIO_KB * 1024:
        return None, t("save_too_big", kb=limits.MAX_SCENARIO_KB)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        save_scenario(sc, path)
    except FileExistsError:
        return None, t("save_exists", name=path.name)
    except OSError:
        log.exception("save failed")
        return None, t("save_failed", name=path.name)
    SS.scenario, SS.scenario_file = replace(sc, source_path=path), path.name
    SS.scenario_base = SS.scenario
    return path, ""


def description(sc: Scenario) -> str:
    return pick_language(sc.description, lang()) if sc.description else ""


def portable_toml(sc: Scenario, shipped: bool, data_name: str = "") -> str:
    """The scenario as a file that opens on any machine, never naming a server path: the shipped workbook
    relative to scenarios/ (as the shipped scenario files do), else the data download's file name (to be kept
    beside the scenario file)."""
    if shipped:
        return scenario_toml(replace(sc, workbook=SHIPPED), relative_to=ROOT / "scenarios")
    return scenario_toml(replace(sc, workbook=Path(data_name)), relative_to=None)


def exported_scenario(sc: Scenario) -> str:
    return portable_toml(named_for_output(sc), SS.wb_source == "shipped", t("data_file_name"))


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


def independent(ds: Dataset, sc: Scenario) -> bool:
    """Counties share nothing under these settings (no city pool or capacity): each plans alone."""
    from planner.model.instance import Instance

    return Instance.from_dataset(ds, sc).independent


def solved_dataset(sc: Scenario) -> tuple[Dataset, str]:
    """The data a plan under ``sc`` is solved on (the focus alone when counties share nothing), and its key."""
    ds, key = dataset(), data_key()
    regions = focus_regions()
    if separable(ds, regions) and independent(ds, sc):
        return restrict_dataset(ds, regions), f"{key}|{','.join(regions)}"
    return ds, key


def solve_plan(sc: Scenario | None = None, remember_good: bool = True, quiet: bool = False) -> Plan | None:
    """Solve (cached) with a spinner; None when the engine failed (the message is already shown).

    With a region in focus and counties that share nothing, only the region's counties are solved: the
    same plan for them as in the whole solve (the engine splits it so), a fraction of the time."""
    sc = sc or SS.scenario
    try:
        ds, key = solved_dataset(sc)
        with st.spinner(t("solving", name=shown_name(sc.name))):  # no show_time: it counts in English
            plan = _solve(key, scenario_key(sc), ds, sc)
    except Exception as exc:  # noqa: BLE001 - a clear message, never a traceback
        if not quiet:
            engine_failure(exc)
        return None
    if remember_good and plan.has_solution:
        SS.last_good_plan, SS.last_good_data = plan, data_key()
    return plan


def current_plan(show_status: bool = True) -> Outcome:
    """The plan for the current settings; when it has no solution, explain why and keep the last good one."""
    plan = solve_plan()
    if plan is not None and plan.has_solution:
        if show_status and plan.status == SolveStatus.FEASIBLE:
            st.warning(t("status_feasible", gap=gap_words(plan.mip_gap, lang())))
        return Outcome(plan, True)
    if show_status and plan is not None:
        explain_no_solution(plan)
    last = last_good_plan()
    if show_status:
        st.info(t("showing_last_good", settings=settings_summary(last.scenario)) if last is not None
                else t("no_plan"))
    return Outcome(last, False)


def last_good_plan() -> Plan | None:
    """The last plan with a solution, only when it was made from the current data (the same workbook
    fingerprint): a plan of other data (the shipped province while a new region fails) is never shown."""
    last = SS.get("last_good_plan")
    return last if last is not None and SS.get("last_good_data") == data_key() else None


def settings_summary(sc: Scenario) -> str:
    """The settings a plan was made with, in a few words (the last good plan is told apart by them)."""
    parts = [t("sum_multiplier", m=f"{sc.budget_multiplier:.2f}"), t(f"mode_deadline_{sc.deadline_mode.value}"),
             f"{sc.start.label}–{sc.horizon_end.label}"]
    flat = {r: v for (r, y), v in sc.budget_overrides.items() if y == 0}
    if flat:
        parts.append(t("sum_flat", figures="、".join(f"{r} {v:g}" for r, v in flat.items())))
    return " · ".join(parts)


def explain_no_solution(plan: Plan) -> None:
    key = {SolveStatus.INFEASIBLE: "status_infeasible", SolveStatus.TIME_LIMIT: "status_time_limit",
           SolveStatus.UNBOUNDED: "status_error", SolveStatus.ERROR: "status_error"}.get(plan.status, "status_error")
    st.error(t(key, detail=pick_language(plan.message or "")))
    en = lang() == "en"
    regions = focus_regions()
    for s in plan.shortfalls:
        if regions is None or s.region in regions:
            st.markdown(f"- {s.en if en else s.zh}")


def workbook_speaks(code: str) -> bool:
    """Whether the engine writes the plan workbook in ``code`` (a ``lang`` argument); Chinese always."""
    if code == "zh":
        return False
    import inspect

    from planner.reports.plan_workbook import plan_workbook_bytes

    return "lang" in inspect.signature(plan_workbook_bytes).parameters


def plan_workbook(plan: Plan) -> bytes | None:
    """The plan workbook of the region in focus (the whole plan when none)."""
    try:
        from planner.reports.plan_workbook import plan_workbook_bytes

        plan = focused_plan(plan)
        plan = replace(plan, scenario=named_for_output(plan.scenario))
        if workbook_speaks(lang()):
            return plan_workbook_bytes(plan, focused_dataset(), lang=lang())  # type: ignore[call-arg]
        return plan_workbook_bytes(plan, focused_dataset())
    except Exception as exc:  # noqa: BLE001
        engine_failure(exc)
        return None


# ------------------------------------------------------------------------------------------ messages

def show_message(message: Message, kind: str = "error") -> None:
    if message.code == "not_a_workbook":  # the reader's text may carry a library's English reason
        message = replace(message, zh=t_zh("not_a_workbook"), en=t_en("not_a_workbook"))
    text = message.text(lang())
    {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}[kind](text)


def messages_table(messages: list[Message]) -> list[dict[str, Any]]:
    """Validation messages as rows: sheet, row, column, message (in the current language)."""
    en = lang() == "en"
    return [{t("col_sheet"): m.sheet, t("col_row"): m.row, t("col_column"): m.column,
             t("col_message"): m.en if en else m.zh} for m in messages]


def engine_failure(exc: Exception) -> None:
    log.exception("engine call failed", exc_info=exc)  # the traceback goes to the server log, never the page
    if isinstance(exc, ScenarioError):
        show_message(exc.message)
    elif isinstance(exc, WorkbookError):
        for m in exc.messages[:12]:
            show_message(m)
    elif isinstance(exc, ImportError):
        st.error(t("engine_missing"))
    else:
        st.error(t("engine_error", detail=type(exc).__name__))
