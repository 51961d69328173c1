"""The view in the URL: language, region in focus, scenario file and changed settings, and the data.

``restore`` reads the query string once per session (a reload or a shared link), ``sync`` writes it after
every run that may have changed something. Settings travel as their differences from the scenario file
(``sc``); uploaded or edited data as their content key in the server's store (``data``); the shipped data
need none. The page is the URL's path, kept by Streamlit.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from planner.domain import Scenario
from planner.io.query import apply_params, scenario_params
from planner.io.scenario import ScenarioError, load_scenario
from views import state
from views.i18n import LANGS, lang, t
from views.safe import cut, is_data_key, is_name

SS = st.session_state


def file_scenario(name: str) -> Scenario | None:
    """The scenario file ``name`` of the scenarios folder (only a file listed there: never a path)."""
    path = scenario_file_path(name)
    if path is None:
        return None
    try:
        return load_scenario(path)
    except ScenarioError:
        return None


def scenario_file_path(name: str) -> Path | None:
    """``name`` (``stem.toml``) as a file of the scenarios folder, or None: a stem outside the allow-list
    (``../x``, an absolute path, markup) is never joined to a path, so nothing tells whether an outside file
    exists; a link inside the folder that points out of it is refused too."""
    stem = (name or "").removesuffix(".toml")
    if not is_name(stem):
        return None
    folder = state.scenario_dir()
    for path in state.list_scenarios():
        if path.name == f"{stem}.toml":
            try:
                inside = path.resolve().parent == folder.resolve()
            except OSError:
                return None
            return path if inside else None
    return None


def _checked_params(params: dict[str, str]) -> dict[str, str]:
    """The link's settings whose region names exist in the data (the others dropped, with a message)."""
    regions = {r.name for r in state.dataset().regions}
    out = dict(params)
    for key in ("provider", "b", "rm", "name"):
        raw = out.get(key)
        if raw is None:
            continue
        if key == "provider":
            ok = raw in regions
        elif key == "name":
            ok = is_name(raw)
        else:
            names = [part.rsplit("=", 1)[0].partition("@")[0] for part in raw.split(";") if part]
            ok = all(n in regions for n in names)
        if not ok:
            del out[key]
            state.notify(t("link_value_ignored", param=key, value=cut(raw)), literal=True)
    return out


def restore() -> None:
    """Apply the query string to a new session (before any widget is drawn). Every parameter is checked
    against an allow-list (a language code, a content key, a scenario file of the scenarios folder, a region
    of the data, the settings' own codec) and quoted back only as plain text."""
    if SS.get("url_restored"):
        return
    SS.url_restored = True
    params = st.query_params.to_dict()
    if not params:
        return
    if params.get("lang") in LANGS:
        SS.lang = params["lang"]
    state.restore_undo(params.get("u", ""))
    key = params.get("data", "")
    if key and not (is_data_key(key) and state.restore_data(key)):
        state.notify(t("link_data_gone"))
    params = _checked_params(params)
    stem = params.get("sc", "")
    if stem:
        base = file_scenario(f"{stem}.toml")
        if base is None:
            state.notify(t("link_scenario_gone", name=cut(stem)), literal=True)
        else:
            SS.scenario, SS.scenario_base, SS.scenario_file = base, base, f"{stem}.toml"
    elif "name" in params:  # settings saved in no file (a filled template's): made from the defaults
        SS.scenario_base, SS.scenario_file = Scenario(name="", workbook=SS.scenario.workbook), ""
    sc, problems = apply_params(SS.scenario_base, params)
    for m in problems:
        state.notify(m, literal=True)
    if "name" in params:  # settings with a name of their own (a catch-up plan), made from this file
        SS.scenario = SS.scenario_base = sc
    elif sc != SS.scenario_base:
        SS.scenario = replace(sc, name=SS.scenario_base.name + state.MODIFIED)
    region = params.get("region", "")
    if region:
        if region in {r.name for r in state.dataset().regions}:
            SS.focus = region
        else:
            state.notify(t("link_region_gone", name=cut(region)), literal=True)


def wanted() -> dict[str, str]:
    """The query string for the current view."""
    out: dict[str, str] = {}
    if lang() != "zh":
        out["lang"] = lang()
    if state.focus():
        out["region"] = state.focus()
    if SS.wb_source != "shipped" and SS.get("wb_key"):
        out["data"] = SS.wb_key
    file = SS.get("scenario_file", "")
    base = file_scenario(file) if file else None
    sc = SS.scenario
    if base is not None:
        out["sc"] = file.removesuffix(".toml")
        if sc.name == base.name + state.MODIFIED:
            sc = replace(sc, name=base.name)
    else:  # no file: the link carries every setting that differs from the defaults, and the name
        base = Scenario(name="", workbook=sc.workbook)
        sc = replace(sc, name=sc.name.removesuffix(state.MODIFIED))
    out.update(scenario_params(sc, base))
    if SS.get("undo_stack") and SS.get("undo_token"):
        out["u"] = SS.undo_token  # the undo history, for a reload
    return out


def sync() -> None:
    """Write the query string when it differs from the view (one message to the browser, no rerun)."""
    target = wanted()
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)
