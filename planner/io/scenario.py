"""Scenarios: named what-ifs over a workbook, stored as TOML in ``scenarios/``.

A scenario file names its workbook (relative to the file) and overrides; anything left out keeps the
default of ``planner.domain.Scenario``. Example::

    name = "nantong_tight"
    workbook = "../data/nantong_capabilities.xlsx"
    deadline_mode = "soft"          # hard | soft
    budget_multiplier = 0.5         # x every workbook budget
    start = "2023Q4"
    horizon_end = "2027Q4"
    city_capacity = 4               # K new standards assessed per quarter (omit: no limit)
    [region_multipliers]            # x one county's budgets
    "通州" = 1.2
    [budgets]                       # 万元: a number for every year, or {year = amount}
    "海门" = { 2024 = 150 }
    [options]                       # what-ifs, all off by default
    sharing = true
    [solver]
    name = "highs"                  # highs | cbc
    time_limit_s = 60
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.domain import DeadlineMode, Message, Options, Scenario
from planner.quarters import Quarter


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``message`` is bilingual."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message.text())


def _fail(path: Path | str, key: str, zh: str, en: str) -> ScenarioError:
    where_zh = f"情景文件 {path}" + (f"，设置项「{key}」" if key else "")
    where_en = f"scenario file {path}" + (f", setting '{key}'" if key else "")
    return ScenarioError(Message("bad_scenario", f"{where_zh}：{zh}", f"{where_en}: {en}"))


_TOP_KEYS = {"name", "description", "workbook", "start", "horizon_end", "deadline_mode", "budget_multiplier",
             "city_capacity", "as_of", "use_actuals", "region_multipliers", "budgets", "options", "solver"}
_OPTION_KEYS = {f.name for f in fields(Options)}
_SOLVER_KEYS = {"name", "time_limit_s", "mip_gap"}


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file; raise ``ScenarioError`` naming the key that is wrong."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, "", f"找不到情景文件 {path}", f"scenario file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, "", f"情景文件不是合法的 TOML：{exc}", f"not valid TOML: {exc}") from None
    return scenario_from_dict(raw, base=path.parent, origin=path)


def scenario_from_dict(raw: dict[str, Any], base: Path = Path("."), origin: Path | str = "scenario") -> Scenario:
    """Build a Scenario from parsed TOML; relative workbook paths are taken from ``base``."""
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise _fail(origin, key, f"未知的设置项「{key}」", f"unknown setting '{key}'")
    if "workbook" not in raw:
        raise _fail(origin, "workbook", "缺少 workbook（工作簿路径）", "missing 'workbook' (path to the workbook)")
    kw: dict[str, Any] = {"name": str(raw.get("name") or Path(str(origin)).stem),
                          "description": str(raw.get("description", "")),
                          "workbook": (base / raw["workbook"]).resolve()}
    for key in ("start", "horizon_end"):
        if key in raw:
            kw[key] = _quarter(raw[key], origin, key)
    if "deadline_mode" in raw:
        try:
            kw["deadline_mode"] = DeadlineMode(str(raw["deadline_mode"]).lower())
        except ValueError:
            raise _fail(origin, "deadline_mode", "deadline_mode 只能是 hard 或 soft",
                        "deadline_mode must be hard or soft") from None
    if "budget_multiplier" in raw:
        kw["budget_multiplier"] = _nonneg(raw["budget_multiplier"], origin, "budget_multiplier")
    if raw.get("city_capacity") is not None:
        kw["city_capacity"] = int(_nonneg(raw["city_capacity"], origin, "city_capacity"))
    if "as_of" in raw:
        kw["as_of"] = _date(raw["as_of"], origin, "as_of")
    if "use_actuals" in raw:
        kw["use_actuals"] = bool(raw["use_actuals"])
    kw["region_multipliers"] = {str(r): _nonneg(v, origin, f"region_multipliers.{r}")
                                for r, v in raw.get("region_multipliers", {}).items()}
    kw["budget_overrides"] = _budget_overrides(raw.get("budgets", {}), origin)
    opts = raw.get("options", {})
    bad = set(opts) - _OPTION_KEYS
    if bad:
        key = sorted(bad)[0]
        raise _fail(origin, f"options.{key}", f"未知的选项「{key}」", f"unknown option '{key}'")
    kw["options"] = Options(**opts)
    solver = raw.get("solver", {})
    bad = set(solver) - _SOLVER_KEYS
    if bad:
        key = sorted(bad)[0]
        raise _fail(origin, f"solver.{key}", f"未知的求解器设置「{key}」", f"unknown solver setting '{key}'")
    if "name" in solver:
        kw["solver"] = str(solver["name"]).lower()
        if kw["solver"] not in ("highs", "cbc"):
            raise _fail(origin, "solver.name", "求解器只能是 highs 或 cbc", "solver must be highs or cbc")
    if "time_limit_s" in solver:
        kw["time_limit_s"] = _nonneg(solver["time_limit_s"], origin, "solver.time_limit_s")
    if "mip_gap" in solver:
        kw["mip_gap"] = _nonneg(solver["mip_gap"], origin, "solver.mip_gap")
    scenario = Scenario(**kw, source_path=Path(origin) if isinstance(origin, Path) else None)
    if scenario.horizon_end < scenario.start:
        raise _fail(origin, "horizon_end", "规划期末早于起始季度", "horizon_end is before start")
    return scenario


def _quarter(value: Any, origin: Path | str, key: str) -> Quarter:
    try:
        return Quarter.parse(str(value))
    except ValueError:
        raise _fail(origin, key, f"「{value}」不是季度（如 2024Q1）",
                    f"'{value}' is not a quarter like 2024Q1") from None


def _date(value: Any, origin: Path | str, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(origin, key, f"「{value}」不是日期（YYYY-MM-DD）",
                    f"'{value}' is not a date (YYYY-MM-DD)") from None


def _nonneg(value: Any, origin: Path | str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _fail(origin, key, f"「{value}」应为非负数", f"'{value}' must be a non-negative number")
    return float(value)


def _budget_overrides(raw: dict[str, Any], origin: Path | str) -> dict[tuple[str, int], float]:
    """``{region: amount}`` for every year is kept under year 0; ``{region: {year: amount}}`` per year."""
    out: dict[tuple[str, int], float] = {}
    for region, value in raw.items():
        if isinstance(value, dict):
            for year, amount in value.items():
                if not str(year).isdigit():
                    raise _fail(origin, f"budgets.{region}.{year}", f"「{year}」不是年份", f"'{year}' is not a year")
                out[(str(region), int(year))] = _nonneg(amount, origin, f"budgets.{region}.{year}")
        else:
            out[(str(region), 0)] = _nonneg(value, origin, f"budgets.{region}")
    return out


def scenario_toml(scenario: Scenario, relative_to: Path | None = None) -> str:
    """The scenario as TOML text (the inverse of ``load_scenario``)."""
    wb = scenario.workbook
    if relative_to is not None:
        try:
            wb = Path(_relpath(scenario.workbook, relative_to))
        except ValueError:
            pass
    d = Scenario(name=scenario.name, workbook=scenario.workbook)
    lines = [f"name = {_q(scenario.name)}"]
    if scenario.description:
        lines.append(f"description = {_q(scenario.description)}")
    lines += [f"workbook = {_q(wb.as_posix())}", f'start = "{scenario.start}"',
              f'horizon_end = "{scenario.horizon_end}"', f'deadline_mode = "{scenario.deadline_mode.value}"',
              f"budget_multiplier = {scenario.budget_multiplier:g}"]
    if scenario.city_capacity is not None:
        lines.append(f"city_capacity = {scenario.city_capacity}")
    if scenario.as_of is not None:
        lines.append(f"as_of = {scenario.as_of.isoformat()}")
    if scenario.use_actuals != d.use_actuals:
        lines.append(f"use_actuals = {str(scenario.use_actuals).lower()}")
    if scenario.region_multipliers:
        lines += ["", "[region_multipliers]"] + [f"{_q(r)} = {m:g}" for r, m in scenario.region_multipliers.items()]
    if scenario.budget_overrides:
        lines += ["", "[budgets]"]
        by_region: dict[str, dict[int, float]] = {}
        for (r, y), v in scenario.budget_overrides.items():
            by_region.setdefault(r, {})[y] = v
        for r, years in by_region.items():
            if set(years) == {0}:
                lines.append(f"{_q(r)} = {years[0]:g}")
            else:
                lines.append(f"{_q(r)} = {{ " + ", ".join(f"{y} = {v:g}" for y, v in sorted(years.items())) + " }")
    opts = [f for f in fields(Options) if getattr(scenario.options, f.name) != getattr(d.options, f.name)]
    if opts:
        lines += ["", "[options]"] + [f"{f.name} = {_toml_value(getattr(scenario.options, f.name))}" for f in opts]
    lines += ["", "[solver]", f'name = "{scenario.solver}"', f"time_limit_s = {scenario.time_limit_s:g}",
              f"mip_gap = {scenario.mip_gap:g}", ""]
    return "\n".join(lines)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write a new scenario file; never overwrites (raises FileExistsError)."""
    path = Path(path)
    text = scenario_toml(scenario, relative_to=path.parent)
    with open(path, "x", encoding="utf-8") as fh:  # "x": fail if the file exists
        fh.write(text)
    return path


def _relpath(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(Path(target).resolve(), Path(start).resolve())


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int | float):
        return f"{v:g}"
    return _q(str(v))


def with_changes(scenario: Scenario, **changes: Any) -> Scenario:
    """A copy of ``scenario`` with some fields changed (options may be given as a dict of changes)."""
    if isinstance(changes.get("options"), dict):
        changes["options"] = replace(scenario.options, **changes["options"])
    return replace(scenario, **changes)
