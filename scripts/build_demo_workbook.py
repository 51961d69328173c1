"""Build data/demo_province.xlsx from the readable source data/demo_province.toml: a demonstration workbook of a
small synthetic province, marked 示例 on every sheet (its cells, its print header and a note on cell A1).

Usage: python scripts/build_demo_workbook.py [SOURCE.toml] [OUT.xlsx]
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.workbook import Workbook

from planner.domain import Assumption, Cap, Dataset, ShareGroup, Source, Tier
from planner.io import schema as S
from planner.io.excel import dataset_workbook
from planner.io.templates import fit_for_reading, regions_from_spec, target_from_spec, template_items

ROOT = Path(__file__).resolve().parent.parent
CODES = {"H": Cap.HAS, "L": Cap.LACKS, "U": Cap.UPGRADE, "N": Cap.NA}
EMPTY_SHEETS = (S.ALIASES.zh, S.COUNTS.zh)  # the demo has no aliases or published counts: left out, not blank


def demo_dataset(src: dict) -> Dataset:
    """The demo's Dataset: items (by name, in tier order) from the templates' item list, the matrix from one
    letter per item, and the budgets, actuals, share group, targets and sources of the source file."""
    tiers = [Tier(t["key"], t["name"], date.fromisoformat(t["deadline"]), t["key"], t["note"]) for t in src["tiers"]]
    by_name = {t.name: t for t in tiers}
    order = [(name, by_name[tier]) for tier, names in src["tier_items"].items() for name in names]
    tier_of = dict(order)
    pool = {i.name: i for i in template_items(lambda item: tier_of.get(item.name, tiers[0]))}
    items = [pool[name] for name, _ in order]
    mark = src["meta"]["mark"]
    regions = [replace(r, note=r.note or mark) for r in regions_from_spec(src["region"])]
    matrix = {}
    for region, codes in src["matrix"].items():
        letters = codes.replace(" ", "")
        if len(letters) != len(items):
            raise SystemExit(f"{region}: {len(letters)} matrix letters for {len(items)} items")
        matrix.update({(region, item.name): CODES[c] for item, c in zip(items, letters, strict=True)})
    years = src["budgets"]["years"]
    budgets = {(r, y): float(b) for r, row in src["budgets"]["regions"].items()
               for y, b in zip(years, row, strict=True)}
    actuals = {(a["region"], a["item"]): date.fromisoformat(a["completed_on"]) for a in src["actuals"]}
    evidence = {(a["region"], a["item"]): a["source"] for a in src["actuals"]}
    groups = [ShareGroup(g["name"], tuple(g["items"]), float(g["saving"]), g["note"]) for g in src["share_groups"]]
    return Dataset(items, regions, matrix, budgets=budgets, actuals=actuals, actual_evidence=evidence,
                   share_groups=groups, tiers=tiers, targets=[target_from_spec(t, by_name) for t in src["targets"]],
                   assumptions=[Assumption(a["key"], a["value"], a["unit"], a["note"]) for a in src["assumptions"]],
                   sources=[Source(s["id"], s["title"], s["reference"], s["note"]) for s in src["sources"]])


def demo_workbook(dataset: Dataset, src: dict) -> Workbook:
    """The input workbook, every sheet marked 示例: in its cells, its print header and a note on A1."""
    wb = dataset_workbook(dataset, src["meta"]["readme"])
    fit_for_reading(wb, dataset.regions)
    for name in EMPTY_SHEETS:
        del wb[name]
    mark = src["meta"]["mark"]
    for ws in wb.worksheets:
        ws.oddHeader.center.text = mark
        ws["A1"].comment = Comment(mark, "planner")
    wb.properties.creator = "planner"
    wb.properties.title = src["meta"]["title"]
    return wb


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT / "data" / "demo_province.toml"
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "data" / "demo_province.xlsx"
    src = tomllib.loads(source.read_text(encoding="utf-8"))
    demo_workbook(demo_dataset(src), src).save(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
