"""Province collection: several cities' workbooks (or their exported versions) into one hierarchy.

Nothing is merged silently. Refused, every problem listed (``CollectError``): a region in two workbooks
(overlapping regions), an item whose figures differ between workbooks (conflicting items), an item or tier one
workbook has and another lacks (different catalogues), an alias, share group or target id used for different
things. Reported as warnings and kept from the first workbook: assumptions and sources with the same key but
different text. Each workbook's top regions go under the province; in a city workbook whose counties name no
上级 and that has exactly one 市级 region, the counties go under that city (said in a warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from planner.domain import Dataset, InputError, Level, Message, Region
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook

ITEM_FIELDS = ("tier", "deadline", "capex_wan", "opex_wan", "lead_quarters", "priority", "service_fee_wan",
               "upgrade_capex_wan", "upgrade_lead_quarters")


class CollectError(InputError):
    """The workbooks cannot be collected as they are."""


@dataclass
class Collected:
    """The province's dataset, its workbook bytes, and what was reported along the way."""

    dataset: Dataset
    data: bytes
    warnings: list[Message] = field(default_factory=list)


def _msg(code: str, zh: str, en: str) -> Message:
    return Message(code, zh, en)


def _item_value(item, name: str):
    value = getattr(item, name)
    return value.key if name == "tier" else value


def collect(parts: list[tuple[str, Dataset]], province: str) -> Collected:
    """Collect ``parts`` (label, dataset) under the province ``province``; ``CollectError`` lists every
    overlap and conflict found."""
    errors: list[Message] = []
    warnings: list[Message] = []
    if len(parts) < 2:
        errors.append(_msg("collect_one", "至少需要两个城市的工作簿", "at least two cities' workbooks are needed"))
        raise CollectError(errors)
    first_label, first = parts[0]
    owner: dict[str, str] = {}  # region -> workbook label
    regions: list[Region] = [Region("P", province, Level.PROVINCE)]
    owner[province] = "省"
    for label, ds in parts:
        cities = [r for r in ds.regions if r.level == Level.CITY]
        counties_flat = all(not r.parent for r in ds.regions if r.level == Level.COUNTY)
        adopt = cities[0].name if len(cities) == 1 and counties_flat else ""
        if adopt:
            warnings.append(_msg("collect_adopted", f"{label}：未填上级的县级地区归入「{adopt}」",
                                 f"{label}: counties without a parent are placed under '{adopt}'"))
        for r in ds.regions:
            if r.level == Level.PROVINCE and r.name == province:
                continue
            if r.name in owner:
                errors.append(_msg("collect_overlap", f"地区「{r.name}」同时出现在 {owner[r.name]} 和 {label} 中",
                                   f"region '{r.name}' is in both {owner[r.name]} and {label}"))
                continue
            owner[r.name] = label
            parent = r.parent
            if parent == province:
                pass
            elif not parent:
                parent = adopt if (adopt and r.level == Level.COUNTY) else province
            regions.append(replace(r, id=f"R{len(regions):04d}", parent=parent))
    # catalogue: the same items and tiers, with the same figures
    base_items = {i.name: i for i in first.items}
    base_tiers = {t.key: t for t in first.tiers}
    for label, ds in parts[1:]:
        names = {i.name for i in ds.items}
        for missing in sorted(set(base_items) - names):
            errors.append(_msg("collect_catalogue",
                               f"项目「{missing}」在 {first_label} 中有，{label} 中没有（项目目录不同）",
                               f"item '{missing}' is in {first_label} but not in {label} (different catalogues)"))
        for extra in sorted(names - set(base_items)):
            errors.append(_msg("collect_catalogue",
                               f"项目「{extra}」在 {label} 中有，{first_label} 中没有（项目目录不同）",
                               f"item '{extra}' is in {label} but not in {first_label} (different catalogues)"))
        for item in ds.items:
            ref = base_items.get(item.name)
            if ref is None:
                continue
            for f in ITEM_FIELDS:
                a, b = _item_value(ref, f), _item_value(item, f)
                if a != b:
                    errors.append(_msg("collect_item_conflict",
                                       f"项目「{item.name}」的 {f} 不一致：{first_label} 为 {a}，{label} 为 {b}",
                                       f"item '{item.name}': {f} is {a} in {first_label} but {b} in {label}"))
        for t in ds.tiers:
            ref_t = base_tiers.get(t.key)
            if ref_t is None or ds.tier_deadline(t) != first.tier_deadline(ref_t) or ref_t.name != t.name:
                errors.append(_msg("collect_tier_conflict", f"层级「{t.name}」在 {label} 与 {first_label} 中不同",
                                   f"tier '{t.name}' differs between {label} and {first_label}"))
    aliases: dict[str, str] = {}
    groups: dict[str, object] = {}
    targets: dict[str, object] = {}
    assumptions: dict[str, object] = {}
    sources: dict[str, object] = {}
    for label, ds in parts:
        for alias, name in ds.aliases.items():
            if aliases.setdefault(alias, name) != name:
                errors.append(_msg("collect_alias_conflict",
                                   f"别名「{alias}」在 {label} 中指向「{name}」，与前面的不同",
                                   f"alias '{alias}' means '{name}' in {label}, something else before"))
        for g in ds.share_groups:
            if groups.setdefault(g.name, g) != g:
                errors.append(_msg("collect_group_conflict", f"共用组「{g.name}」在 {label} 中与前面的不同",
                                   f"share group '{g.name}' differs in {label}"))
        for t in ds.targets:
            if t.id in targets:
                errors.append(_msg("collect_target_conflict", f"目标编号「{t.id}」重复（{label}）",
                                   f"target id '{t.id}' is used twice ({label})"))
            targets.setdefault(t.id, t)
        for kind, table, items in (("假设", assumptions, ((a.key, a) for a in ds.assumptions)),
                                   ("来源", sources, ((s.id, s) for s in ds.sources))):
            for key, value in items:
                if table.setdefault(key, value) != value:
                    warnings.append(_msg("collect_note_conflict",
                                         f"{kind}「{key}」在 {label} 中与前面的不同：保留第一个",
                                         f"{kind} '{key}' differs in {label}: the first one is kept"))
    if errors:
        raise CollectError(errors)
    counts = []
    for label, ds in parts:
        names = {r.name for r in ds.regions}
        totals = sorted({c.region for c in ds.counts if c.region not in names})
        if totals:  # a city's printed totals (合计) name no region; in a province they would collide
            warnings.append(_msg("collect_totals", f"{label}：公布数中的「{'、'.join(totals)}」行不是地区，未收入",
                                 f"{label}: published-count rows '{', '.join(totals)}' are not regions: left out"))
        counts += [c for c in ds.counts if c.region in names]
    merged = replace(
        first, regions=regions, tiers=list(first.tiers),
        matrix={k: v for _, ds in parts for k, v in ds.matrix.items()},
        counts=counts,
        budgets={k: v for _, ds in parts for k, v in ds.budgets.items()},
        actuals={k: v for _, ds in parts for k, v in ds.actuals.items()},
        actual_evidence={k: v for _, ds in parts for k, v in ds.actual_evidence.items()},
        aliases=aliases, share_groups=list(groups.values()), targets=list(targets.values()),
        assumptions=list(assumptions.values()), sources=list(sources.values()), warnings=[], path=None)
    data = workbook_bytes(dataset_workbook(merged))
    return Collected(load_workbook(data), data, warnings)
