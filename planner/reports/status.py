"""The status report: per region and tier, required / completed / pending and which items are missing."""

from __future__ import annotations

import unicodedata
from typing import Any

from planner.domain import Dataset
from planner.io.counts import computed_totals, tier_status


def status_report(dataset: Dataset) -> dict[str, Any]:
    """The ``status --json`` object: regions, computed totals, published totals, warnings."""
    regions = {}
    for region in dataset.regions:
        regions[region.name] = {}
        for tier in dataset.tiers:
            st = tier_status(dataset, region.name, tier)
            regions[region.name][tier.key] = {k: st[k] for k in ("required", "completed", "pending",
                                                                    "missing", "present")}
    published_totals = {
        tier.key: {k: getattr(c, k) for k in ("required", "completed", "pending")}
        for tier in dataset.tiers for c in dataset.counts if c.tier == tier and c.region == "合计"
    }
    return {
        "regions": regions,
        "totals": {tier.key: computed_totals(dataset, tier) for tier in dataset.tiers},
        "published_totals": published_totals,
        "warnings": [{"code": w.code, "message": w.text()} for w in dataset.warnings],
    }


def status_text(dataset: Dataset) -> str:
    """A readable table per region and tier, then the warnings."""
    report = status_report(dataset)
    lines = []
    for tier in dataset.tiers:
        lines.append(f"== {tier.name}能力 / {tier.key} ==")
        lines.append(_row("地区", "要求", "已完成", "待完成", "缺失项目 / missing"))
        for name, tiers in report["regions"].items():
            st = tiers[tier.key]
            missing = "、".join(st["missing"]) if st["missing"] else ("（未列出具体项目）" if st["pending"] else "—")
            lines.append(_row(name, _n(st["required"]), _n(st["completed"]), _n(st["pending"]), missing))
        t, p = report["totals"][tier.key], report["published_totals"].get(tier.key, {})
        printed = f"公布 published {_n(p.get('required'))}/{_n(p.get('completed'))}/{_n(p.get('pending'))}"
        lines.append(_row("合计", str(t["required"]), str(t["completed"]), str(t["pending"]), printed))
        lines.append("")
    if dataset.warnings:
        lines.append("警告 / warnings:")
        lines += [f"- {w.text('zh')}\n  {w.text('en')}" for w in dataset.warnings]
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row(region: str, *cells: str) -> str:
    *numbers, last = cells
    out = region + " " * (6 - _width(region))
    for cell in numbers:
        out += " " * (8 - _width(cell)) + cell
    return f"{out}  {last}"


def _n(value: int | None) -> str:
    return "—" if value is None else str(value)
