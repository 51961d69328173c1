"""Build data/nantong_capabilities.xlsx from the readable source data/nantong_source.toml.

Usage: python scripts/build_nantong_workbook.py [SOURCE.toml] [OUT.xlsx]
The source is what a reviewer reads in a diff; the workbook is what users open and the app loads.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.domain import (
    BASIC,
    UPGRADED,
    Assumption,
    Cap,
    Dataset,
    Item,
    Level,
    PublishedCount,
    Region,
    ShareGroup,
    Source,
)
from planner.io.excel import dataset_workbook

ROOT = Path(__file__).resolve().parent.parent


def dataset_from_source(src: dict) -> Dataset:
    """Turn the TOML source into a Dataset (aliases resolved, the notes' lists turned into a matrix)."""
    tiers = {t.key: replace(t, deadline=date.fromisoformat(src["deadlines"][t.key])) for t in (BASIC, UPGRADED)}
    items = [Item(id=i["id"], name=i["name"], tier=tiers[i["tier"]], deadline=tiers[i["tier"]].deadline,
                  capex_wan=float(i["capex"]), opex_wan=float(i["opex"]), lead_quarters=int(i["lead"]),
                  priority=float(i.get("priority", 1)), service_fee_wan=float(i["fee"]), note=i["note"])
             for i in src["items"]]
    aliases = dict(src["aliases"])
    regions = [Region(r["id"], r["name"], Level(r["level"]), r.get("note", "")) for r in src["regions"]]
    canon = {i.name for i in items}

    def resolve(name: str) -> str:
        name = aliases.get(name, name)
        if name not in canon:
            raise SystemExit(f"unknown item in source: {name}")
        return name

    has: dict[tuple[str, str], Cap] = {}
    m = src["matrix"]
    for county, lacks in m["basic_lacks"].items():
        lacking = {resolve(n) for n in lacks}
        for i in items:
            if i.tier == BASIC:
                has[(county, i.name)] = Cap.LACKS if i.name in lacking else Cap.HAS
    for county, present in m["upgraded_has"].items():
        having = {resolve(n) for n in present}
        for i in items:
            if i.tier == UPGRADED:
                has[(county, i.name)] = Cap.HAS if i.name in having else Cap.LACKS
    counts = [PublishedCount(tiers[c["tier"]], c["region"], c.get("required"), c.get("completed"),
                             c.get("pending"), c.get("printed", ""), c.get("note", "")) for c in src["counts"]]
    years = src["budgets"]["years"]
    budgets = {(r, y): float(b) for r, row in src["budgets"]["regions"].items() for y, b in zip(years, row,
                                                                                                 strict=True)}
    groups = [ShareGroup(g["name"], tuple(resolve(n) for n in g["items"]), float(g["saving"]), g["note"])
              for g in src["share_groups"]]
    assumptions = [Assumption(a["key"], a["value"], a["unit"], a["note"]) for a in src["assumptions"]]
    notes = [Assumption("annex_note_basic", "", "原文", m["basic_note"]),
             Assumption("annex_note_upgraded", "", "原文", m["upgraded_note"])]
    sources = [Source(s["id"], s["title"], s["reference"], s["note"]) for s in src["sources"]]
    return Dataset(items, regions, has, counts, budgets, {}, aliases, groups, assumptions + notes, sources,
                   tiers=list(tiers.values()))


README = [
    "计量能力缺口规划器 · 南通市基层民生计量保障能力数据（通政发〔2023〕17号附件）",
    "本工作簿由 scripts/build_nantong_workbook.py 从 data/nantong_source.toml 生成；请改源文件后重新生成。",
    "来源数据：项目名称与层级、截止日期、能力矩阵（据表下注）、公布数（原样保留，含合计行）。",
    "示例假设（黄色底色）：建设投资、年运行费、建设周期、共享年服务费、共用组节省、年度预算——原文均未给出，须以实际数据替换。",
    "市级只有公布数（基本 37/37/0，提升 11/5/6），原表未列出具体项目，故不在能力矩阵中，也不会被排程。",
    "原表基本能力合计行印为 115、98（已完成 98），而各行相加为已完成 99、待完成 16：工具保留原文并给出警告。",
    "能力矩阵取值：已具备 / 缺失（英文 has / lacks）。表头可用中文或英文键（见各表）。",
]


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT / "data" / "nantong_source.toml"
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "data" / "nantong_capabilities.xlsx"
    dataset = dataset_from_source(tomllib.loads(source.read_text(encoding="utf-8")))
    wb = dataset_workbook(dataset, README)
    wb.properties.creator = "planner"
    wb.save(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
