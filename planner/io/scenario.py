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

import math
import re
import tomllib
from dataclasses import fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.domain import DeadlineMode, Message, Objective, Options, Scenario, ScenarioError
from planner.io import limits as L
from planner.io.files import FileProblem, decode_text, read_input, resolve, write_new
from planner.io.tables import cap_messages, suggestion
from planner.quarters import Quarter

__all__ = ["ScenarioError", "load_scenario", "read_scenario", "save_scenario", "scenario_from_dict",
           "scenario_toml", "with_changes"]

# Every key a scenario file may hold, with what it must be (listed in messages when a key is unknown).
TOP_KEYS = ("name", "description", "workbook", "start", "horizon_end", "deadline_mode", "objective",
            "budget_multiplier", "city_capacity", "as_of", "use_actuals", "region_multipliers", "budgets", "options",
            "solver")
OPTION_KEYS = tuple(f.name for f in fields(Options))
SOLVER_KEYS = ("name", "time_limit_s", "mip_gap")
SOLVERS = ("highs", "cbc")


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file; raise ``ScenarioError`` naming every key that is wrong."""
    return read_scenario(path)[0]


def read_scenario(path: str | Path) -> tuple[Scenario, list[Message]]:
    """The scenario and its warnings (a file saved in GBK is read, and said so)."""
    path = Path(path)
    try:
        text, encoding = decode_text(read_input(path, L.MAX_SCENARIO_KB * 1000, "情景文件", "scenario file"))
    except FileProblem as exc:
        m = exc.message
        raise ScenarioError(Message(m.code, m.zh, m.en, source=str(path))) from None
    warnings = []
    if encoding != "utf-8":
        warnings.append(Message("gbk_encoding", "情景文件不是 UTF-8 编码，已按 GBK/GB18030 读取（建议另存为 UTF-8）",
                                "the scenario file is not UTF-8; it was read as GBK/GB18030 (save it as UTF-8)",
                                source=str(path)))
    too_deep = ScenarioError(Message(
        "too_deep", f"情景文件嵌套过深（数组、内联表或带点的键超过 {L.MAX_TOML_DEPTH} 层），未读取",
        f"the scenario file is nested too deeply (arrays, inline tables or dotted keys deeper than "
        f"{L.MAX_TOML_DEPTH} levels); not read", source=str(path)))
    if toml_depth(text) > L.MAX_TOML_DEPTH:
        raise too_deep
    try:
        raw = tomllib.loads(text)
    except RecursionError:  # the scan above bounds brackets; this is the parser's own guard, kept as a backstop
        raise too_deep from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        zh, en = ((f"第 {where.group(1)} 行第 {where.group(2)} 列", f"line {where.group(1)}, column {where.group(2)}")
                  if where else ("文件末尾", "the end of the file"))
        raise ScenarioError(Message("not_toml", f"不是合法的 TOML（问题在{zh}附近：检查引号、等号和重复的键）",
                                    f"not valid TOML (near {en}: check quotes, '=' and repeated keys)",
                                    source=str(path))) from None
    if _dict_depth(raw) > L.MAX_TOML_DEPTH:  # dotted keys (a.b.c…) nest without brackets
        raise too_deep
    return scenario_from_dict(raw, base=path.parent, origin=path), warnings


_TOML_TOKENS = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
                          r'|[\[\]{}.=,\n]', re.S)


def toml_depth(text: str) -> int:
    """How deeply TOML text nests, outside strings and comments: the deepest ``[``/``{`` nesting, or the
    longest dotted key (``a.b.c = 1``, ``[a.b.c]``), whichever is larger. Bounded before the text is parsed:
    ``tomllib`` recurses once per bracket (30,000 levels exhaust the stack) and takes quadratic time over a
    dotted key (40,000 parts: half a minute)."""
    depth = deepest = dots = 0
    in_key = True  # a key is read at a line's start, after "{" or "," (inline tables), and in a [header]
    for m in _TOML_TOKENS.finditer(text):
        token = m.group()
        if token == ".":
            if in_key:
                dots += 1
                deepest = max(deepest, dots)
        elif token in "[{":
            depth += 1
            deepest = max(deepest, depth)
            in_key, dots = True, 0
        elif token in "]}":
            depth = max(0, depth - 1)
        elif token in "=":
            in_key, dots = False, 0
        elif token in ",\n":
            in_key, dots = True, 0
    return deepest


def _dict_depth(value: Any) -> int:
    """How deep tables and arrays nest in parsed TOML (without recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > L.MAX_TOML_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def cut(text: object, limit: int = L.MAX_SHOWN) -> str:
    """A user's text for a message: at most ``limit`` characters, then "…" (a 100,000-character key is not
    quoted whole)."""
    s = str(text)
    return s[:limit] + ("…" if len(s) > limit else "")


class _Reader:
    """Reads typed values out of parsed TOML, collecting every problem (never reading a value by truthiness)."""

    def __init__(self, origin: Path | str):
        self.origin = str(origin)
        self.errors: list[Message] = []

    def fail(self, key: str, zh: str, en: str, code: str = "bad_value") -> None:
        key = cut(key)
        self.errors.append(Message(code, f"设置项「{key}」：{zh}" if key else zh,
                                   f"setting '{key}': {en}" if key else en, source=self.origin))

    def known(self, table: dict[str, Any], keys: tuple[str, ...], prefix: str = "") -> None:
        for key in table:
            if key in keys:
                continue
            guess = suggestion(key, {k.replace("_", ""): k for k in keys})
            hint_zh, hint_en = (f"是否应为「{guess}」？", f"did you mean '{guess}'? ") if guess else ("", "")
            shown = cut(key)
            self.fail(prefix + key, f"未知的设置项「{shown}」，未读取。{hint_zh}可用：{'、'.join(keys)}",
                      f"unknown setting '{shown}', not read. {hint_en}Valid: {', '.join(keys)}", "unknown_key")

    def table(self, raw: dict[str, Any], key: str) -> dict[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"应为表格 [{key}]，而不是「{_show(value)}」",
                      f"must be a table [{key}], not '{_show(value)}'",
                      "wrong_type")
            return {}
        return value

    def text(self, value: Any, key: str, choices: tuple[str, ...] = (), max_len: int = 200) -> str | None:
        if not isinstance(value, str):
            self.fail(key, f"应为带引号的文字，而不是「{_show(value)}」", f"must be quoted text, not '{_show(value)}'",
                      "wrong_type")
            return None
        text = value.strip()
        if choices and text.lower() not in choices:
            self.fail(key, f"「{text}」不是可选值（{' / '.join(choices)}）", f"'{text}' is not one of "
                      f"{' / '.join(choices)}")
            return None
        if not choices and (not text or len(text) > max_len or "\x00" in text):
            self.fail(key, f"应为 1–{max_len} 个字符的文字", f"must be text of 1–{max_len} characters")
            return None
        return text.lower() if choices else text

    def boolean(self, value: Any, key: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(key, f"应为 true 或 false（不带引号），而不是「{_show(value)}」",
                      f"must be true or false (no quotes), not '{_show(value)}'", "wrong_type")
            return None
        return value

    def number(self, value: Any, key: str, lo: float, hi: float, integer: bool = False,
               lo_open: bool = False) -> float | None:
        ok_type = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok_type or not math.isfinite(value):
            kind_zh, kind_en = ("整数", "a whole number") if integer else ("数字", "a number")
            self.fail(key, f"应为{kind_zh}（不带引号），而不是「{_show(value)}」", f"must be {kind_en} (no quotes), "
                      f"not '{_show(value)}'", "wrong_type")
            return None
        if integer and not float(value).is_integer():
            self.fail(key, f"应为整数，而不是 {value}", f"must be a whole number, not {value}", "wrong_type")
            return None
        if value < lo or value > hi or (lo_open and value <= lo):
            bracket = "(" if lo_open else "["
            self.fail(key, f"{value:g} 超出允许范围 {bracket}{lo:g}, {hi:g}]", f"{value:g} is outside the allowed "
                      f"range {bracket}{lo:g}, {hi:g}]", "out_of_range")
            return None
        return float(value)

    def quarter(self, value: Any, key: str) -> Quarter | None:
        try:
            if not isinstance(value, str):
                raise ValueError
            q = Quarter.parse(value)
        except ValueError:
            self.fail(key, f"「{_show(value)}」不是季度（应写作带引号的 \"2024Q1\"）",
                      f"'{_show(value)}' is not a quarter (write it quoted, like \"2024Q1\")")
            return None
        if not L.MIN_YEAR <= q.year <= L.MAX_YEAR:
            self.fail(key, f"{q} 超出允许范围（{L.MIN_YEAR}–{L.MAX_YEAR} 年）", f"{q} is outside the allowed years "
                      f"{L.MIN_YEAR}–{L.MAX_YEAR}", "out_of_range")
            return None
        return q

    def date(self, value: Any, key: str) -> date | None:
        try:
            if isinstance(value, datetime) or not isinstance(value, date | str):
                raise ValueError
            d = value if isinstance(value, date) else date.fromisoformat(value.strip())
        except ValueError:
            self.fail(key, f"「{_show(value)}」不是日期（应写作 2026-11-25）", f"'{_show(value)}' is not a date "
                      "(write it as 2026-11-25)")
            return None
        if not L.MIN_DATE <= d <= L.MAX_DATE:
            self.fail(key, f"{d} 超出允许范围（{L.MIN_YEAR}–{L.MAX_YEAR} 年）", f"{d} is outside the allowed years "
                      f"{L.MIN_YEAR}–{L.MAX_YEAR}", "out_of_range")
            return None
        return d


def _show(value: Any) -> str:
    if isinstance(value, dict | list):  # never str() a table: it may be large (or deep)
        return f"{'表格 table' if isinstance(value, dict) else '数组 array'}（{len(value)}）"
    text = repr(value[:200]) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) \
        else str(value)
    return text[:60] + ("…" if len(text) > 60 else "")


def scenario_from_dict(raw: dict[str, Any], base: Path = Path("."), origin: Path | str = "scenario") -> Scenario:
    """Build a Scenario from parsed TOML; relative workbook paths are taken from ``base``. Every key must be
    known and of its type and range; all problems are reported at once (``ScenarioError``)."""
    rd = _Reader(origin)
    rd.known(raw, TOP_KEYS)
    kw: dict[str, Any] = {}
    name = rd.text(raw["name"], "name", max_len=100) if "name" in raw else None
    kw["name"] = name or Path(str(origin)).stem
    if "description" in raw:
        kw["description"] = rd.text(raw["description"], "description", max_len=2000) or ""
    if "workbook" not in raw:
        rd.fail("workbook", "缺少 workbook（工作簿路径）", "missing 'workbook' (path to the workbook)", "missing_key")
    else:
        workbook = rd.text(raw["workbook"], "workbook", max_len=1000)
        if workbook:
            kw["workbook"] = resolve(base / workbook)
    for key in ("start", "horizon_end"):
        if key in raw and (q := rd.quarter(raw[key], key)) is not None:
            kw[key] = q
    if "deadline_mode" in raw and (mode := rd.text(raw["deadline_mode"], "deadline_mode", ("hard", "soft"))):
        kw["deadline_mode"] = DeadlineMode(mode)
    if "objective" in raw and (goal := rd.text(raw["objective"], "objective", tuple(o.value for o in Objective))):
        kw["objective"] = Objective(goal)
    if "budget_multiplier" in raw:
        kw["budget_multiplier"] = rd.number(raw["budget_multiplier"], "budget_multiplier", 0, L.MAX_MULTIPLIER)
    if "city_capacity" in raw:
        value = rd.number(raw["city_capacity"], "city_capacity", 0, L.MAX_CITY_CAPACITY, integer=True)
        kw["city_capacity"] = None if value is None else int(value)
    if "as_of" in raw:
        kw["as_of"] = rd.date(raw["as_of"], "as_of")
    if "use_actuals" in raw:
        kw["use_actuals"] = rd.boolean(raw["use_actuals"], "use_actuals")
    kw["region_multipliers"] = {
        str(r): rd.number(v, f"region_multipliers.{r}", 0, L.MAX_MULTIPLIER)
        for r, v in rd.table(raw, "region_multipliers").items()}
    kw["budget_overrides"] = _budget_overrides(rd.table(raw, "budgets"), rd)
    opts = rd.table(raw, "options")
    rd.known(opts, OPTION_KEYS, "options.")
    option_kw: dict[str, Any] = {}
    for f in fields(Options):
        if f.name not in opts:
            continue
        key, value = f"options.{f.name}", opts[f.name]
        if isinstance(f.default, bool):
            option_kw[f.name] = rd.boolean(value, key)
        elif isinstance(f.default, float):
            option_kw[f.name] = rd.number(value, key, 0, L.MAX_AMOUNT_WAN)
        else:
            option_kw[f.name] = rd.text(value, key, max_len=100)
    solver = rd.table(raw, "solver")
    rd.known(solver, SOLVER_KEYS, "solver.")
    if "name" in solver:
        kw["solver"] = rd.text(solver["name"], "solver.name", SOLVERS)
    if "time_limit_s" in solver:
        kw["time_limit_s"] = rd.number(solver["time_limit_s"], "solver.time_limit_s", 0, L.MAX_TIME_LIMIT_S,
                                       lo_open=True)
    if "mip_gap" in solver:
        kw["mip_gap"] = rd.number(solver["mip_gap"], "solver.mip_gap", 0, 1)
    if rd.errors:
        raise ScenarioError(cap_messages(rd.errors))
    kw["options"] = Options(**option_kw)
    scenario = Scenario(**kw, source_path=Path(origin) if isinstance(origin, Path) else None)
    if scenario.horizon_end < scenario.start:
        rd.fail("horizon_end", f"规划期末 {scenario.horizon_end} 早于起始季度 {scenario.start}",
                f"horizon_end {scenario.horizon_end} is before start {scenario.start}", "out_of_range")
    elif scenario.horizon_end - scenario.start + 1 > L.MAX_HORIZON_QUARTERS:
        rd.fail("horizon_end",
                f"规划期 {scenario.start}–{scenario.horizon_end} 超过 {L.MAX_HORIZON_QUARTERS} 个季度的上限",
                f"the horizon {scenario.start}–{scenario.horizon_end} is longer than the limit of "
                f"{L.MAX_HORIZON_QUARTERS} quarters", "out_of_range")
    if rd.errors:
        raise ScenarioError(rd.errors)
    return scenario


def _budget_overrides(raw: dict[str, Any], rd: _Reader) -> dict[tuple[str, int], float]:
    """``{region: amount}`` for every year is kept under year 0; ``{region: {year: amount}}`` per year."""
    out: dict[tuple[str, int], float] = {}
    for region, value in raw.items():
        if isinstance(value, dict):
            for year, amount in value.items():
                key = f"budgets.{region}.{year}"
                if not (str(year).isascii() and str(year).isdigit() and L.MIN_YEAR <= int(year) <= L.MAX_YEAR):
                    rd.fail(key, f"「{cut(year)}」不是 {L.MIN_YEAR}–{L.MAX_YEAR} 之间的年份",
                            f"'{cut(year)}' is not a year in {L.MIN_YEAR}–{L.MAX_YEAR}", "out_of_range")
                elif (v := rd.number(amount, key, 0, L.MAX_AMOUNT_WAN)) is not None:
                    out[(str(region), int(year))] = float(v)
        elif (v := rd.number(value, f"budgets.{region}", 0, L.MAX_AMOUNT_WAN)) is not None:
            out[(str(region), 0)] = float(v)
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
    if scenario.objective != d.objective:
        lines.append(f'objective = "{scenario.objective.value}"')
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
    return write_new(path, scenario_toml(scenario, relative_to=path.parent).encode("utf-8"))


def _relpath(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(resolve(target), resolve(start))


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
