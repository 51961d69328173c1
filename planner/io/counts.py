"""Published counts against the matrix: per region and tier, required / completed / pending, the totals, and
the warnings when the annex's printed figures disagree with what its notes say item by item."""

from __future__ import annotations

from typing import Any

from planner.domain import Cap, Dataset, Message, PublishedCount, Tier
from planner.io import schema as S


def tier_status(dataset: Dataset, region: str, tier: Tier, named: set[str] | None = None,
                items: list | None = None) -> dict[str, Any]:
    """Required / completed / pending for a region and tier: from the matrix, else as published.

    ``named`` (regions with a matrix row) and ``items`` (the tier's items): given by callers that ask for many
    regions, so they are computed once."""
    items = dataset.items_of(tier) if items is None else items
    if region in (named if named is not None else _named(dataset)):
        state = {i.name: dataset.state(region, i.name) for i in items}
        present = [n for n, s in state.items() if s == Cap.HAS]
        missing = [n for n, s in state.items() if s in (Cap.LACKS, Cap.UPGRADE)]  # 需升级 is pending too
        return {"required": len(present) + len(missing), "completed": len(present), "pending": len(missing),
                "missing": missing, "present": present, "named": True,
                "not_applicable": [n for n, s in state.items() if s == Cap.NA]}
    pub = published(dataset, region, tier)
    return {"required": pub.required if pub else None, "completed": pub.completed if pub else None,
            "pending": pub.pending if pub else None, "missing": [], "present": [], "named": False}


def _named(dataset: Dataset) -> set[str]:
    return {r for r, _ in dataset.matrix}


def published(dataset: Dataset, region: str, tier: Tier) -> PublishedCount | None:
    return next((c for c in dataset.counts if c.region == region and c.tier == tier), None)


def computed_totals(dataset: Dataset, tier: Tier) -> dict[str, int]:
    """Totals over every region: matrix regions counted item by item, the others as published."""
    total = {"required": 0, "completed": 0, "pending": 0}
    named, items = _named(dataset), dataset.items_of(tier)
    for region in dataset.regions:
        st = tier_status(dataset, region.name, tier, named, items)
        for k in total:
            total[k] += st[k] or 0
    return total


def count_warnings(dataset: Dataset) -> list[Message]:
    out: list[Message] = []
    named = _named(dataset)
    matrix_regions = [r for r in dataset.regions if r.name in named]
    by_key = {(c.region, c.tier): c for c in dataset.counts}
    labels = {"required": ("要求总数", "required"), "completed": ("已完成", "completed"),
              "pending": ("待完成", "pending")}
    for tier in dataset.tiers:
        tzh = tier.name
        items = dataset.items_of(tier)
        for region in matrix_regions:
            pub = by_key.get((region.name, tier))
            st = tier_status(dataset, region.name, tier, named, items)
            for key, (kzh, ken) in labels.items():
                printed = getattr(pub, key) if pub else None
                if printed is not None and printed != st[key]:
                    out.append(Message(
                        "count_mismatch",
                        f"{region.name}{tzh}能力{kzh}：公布 {printed}，能力矩阵得 {st[key]}",
                        f"{region.name} {tier.key} {ken}: published {printed}, matrix gives {st[key]}",
                        S.COUNTS.zh))
        total = next((c for c in dataset.counts if c.region == S.TOTAL_ROW and c.tier == tier), None)
        computed = computed_totals(dataset, tier)
        if total is not None:
            for key, (kzh, ken) in labels.items():
                printed = getattr(total, key)
                if printed is None:
                    out.append(Message(
                        "total_not_printed", f"{tzh}能力合计行未印出{kzh}（各行相加为 {computed[key]}）",
                        f"{tier.key} total row prints no {ken} (the rows sum to {computed[key]})",
                        S.COUNTS.zh))
                elif printed != computed[key]:
                    out.append(Message(
                        "total_mismatch",
                        f"{tzh}能力合计{kzh}：公布 {printed}，各行相加为 {computed[key]}（保留原文，不作修改）",
                        f"{tier.key} total {ken}: published {printed}, rows sum to {computed[key]} "
                        "(kept as printed, not corrected)", S.COUNTS.zh))
    for region in dataset.regions:
        if region.name in named:
            continue
        parts_zh, parts_en = [], []
        for tier in dataset.tiers:
            pub = by_key.get((region.name, tier))
            if pub:
                parts_zh.append(f"{tier.name} {pub.required}/{pub.completed}/{pub.pending}")
                parts_en.append(f"{tier.key} {pub.required}/{pub.completed}/{pub.pending}")
        if not parts_zh:
            continue  # a region above the counties with no counts: nothing to report
        out.append(Message(
            "unnamed_items",
            f"{region.name}只有公布数（{'，'.join(parts_zh)}），原表未列出具体项目；其待完成项在命名前无法排程",
            f"{region.name} has counts only ({', '.join(parts_en)}); the source names no items, so its "
            "pending items cannot be scheduled until someone names them", S.COUNTS.zh))
    return out
