"""Scenario settings as URL query parameters, so that a link reproduces a view.

Only what differs from a base scenario (the scenario file the settings came from) is written, in short
readable keys; reading applies them to that base. A value that does not parse is skipped with a bilingual
message, never a failure: a hand-edited link still opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from typing import Any

from planner.domain import DeadlineMode, Message, Options, Scenario
from planner.quarters import Quarter

# query key -> Scenario field (options are "o." + Options field, see OPTION_KEYS)
KEYS = {"m": "budget_multiplier", "mode": "deadline_mode", "start": "start", "end": "horizon_end",
        "k": "city_capacity", "asof": "as_of", "act": "use_actuals", "b": "budget_overrides",
        "rm": "region_multipliers", "obj": "objective", "name": "name"}
OPTION_KEYS = {"share": "sharing", "provider": "sharing_provider", "disc": "share_discount", "carry": "carry_over",
               "pool": "city_pool_wan"}
ALL_KEYS = frozenset(KEYS) | frozenset(OPTION_KEYS)


def scenario_params(scenario: Scenario, base: Scenario) -> dict[str, str]:
    """The query parameters that turn ``base`` into ``scenario`` (empty when they are equal)."""
    out: dict[str, str] = {}
    for key, name in KEYS.items():
        if not hasattr(scenario, name) or name == "name":
            continue
        value = getattr(scenario, name)
        if value != getattr(base, name, None):
            out[key] = _format(value)
    for key, name in OPTION_KEYS.items():
        value = getattr(scenario.options, name)
        if value != getattr(base.options, name):
            out[key] = _format(value)
    if scenario.name != base.name:  # a name of its own (e.g. a catch-up plan)
        out["name"] = scenario.name
    return out


def apply_params(base: Scenario, params: Mapping[str, str]) -> tuple[Scenario, list[Message]]:
    """``base`` with the settings in ``params`` (unknown keys are ignored: they belong to the app)."""
    changes: dict[str, Any] = {}
    options: dict[str, Any] = {}
    problems: list[Message] = []
    for key, raw in params.items():
        name = KEYS.get(key) or OPTION_KEYS.get(key)
        if name is None or (key in KEYS and not hasattr(base, name)):
            continue
        current = getattr(base.options if key in OPTION_KEYS else base, name)
        try:
            value = _parse(name, str(raw), current)
        except (ValueError, TypeError):
            problems.append(Message("bad_link_value", f"链接中的设置「{key}={raw}」无法识别，已忽略",
                                    f"the link's setting '{key}={raw}' is not understood and was ignored"))
            continue
        (options if key in OPTION_KEYS else changes)[name] = value
    if options:
        changes["options"] = replace(base.options, **options)
    new = replace(base, **changes)
    if new.horizon_end < new.start:
        problems.append(Message("bad_link_value", "链接中的规划期末早于起始季度，已忽略这两项",
                                "the link's horizon ends before it starts; both were ignored"))
        new = replace(new, start=base.start, horizon_end=base.horizon_end)
    return new, problems


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):  # budget overrides (region, year) -> amount, or region -> multiplier
        parts = []
        for k, v in value.items():
            region, year = k if isinstance(k, tuple) else (k, 0)
            parts.append(f"{region}{'@' + str(year) if year else ''}={v:g}")
        return ";".join(parts)
    if isinstance(value, date | Quarter):
        return value.isoformat() if isinstance(value, date) else value.label
    return str(getattr(value, "value", value))


def _parse(name: str, raw: str, current: Any) -> Any:
    raw = raw.strip()
    if name in ("start", "horizon_end"):
        return Quarter.parse(raw)
    if name == "name":
        if not raw or len(raw) > 80:
            raise ValueError(raw)
        return raw
    if name == "as_of":
        return date.fromisoformat(raw) if raw else None
    if name == "city_capacity":
        return int(raw) if raw else None
    if name == "deadline_mode":
        return DeadlineMode(raw)
    if name == "budget_overrides":
        return _pairs(raw, with_year=True)
    if name == "region_multipliers":
        return {k[0]: v for k, v in _pairs(raw, with_year=False).items()}
    if isinstance(current, bool):
        if raw not in ("0", "1"):
            raise ValueError(raw)
        return raw == "1"
    if isinstance(current, float) or name in ("budget_multiplier", "city_pool_wan"):
        value = float(raw)
        if not 0 <= value < 1e7:
            raise ValueError(raw)
        return value
    if hasattr(current, "value"):  # an enum the lead may add (objective)
        return type(current)(raw)
    return raw


def _pairs(raw: str, with_year: bool) -> dict:
    out: dict = {}
    for part in filter(None, raw.split(";")):
        left, amount = part.rsplit("=", 1)
        region, _, year = left.partition("@")
        value = float(amount)
        if not region or not 0 <= value < 1e7:
            raise ValueError(part)
        out[(region, int(year) if year else 0)] = value
    return out


def option_fields() -> list[str]:
    """Every what-if option (the codec must cover them all; a test checks it)."""
    return [f.name for f in fields(Options)]
