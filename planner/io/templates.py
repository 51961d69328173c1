"""Template workbooks: a region's hierarchy, the targets its plan sets (cited verbatim) and the item list, in the
input format, with the capability matrix and the budgets left blank for the user to fill (never invented).

Each shipped plan is a readable source, ``data/templates/<key>.toml`` (the regions, tiers, targets and sources of
one document); ``data/templates/items.toml`` says where the item list comes from and why. ``blank_template`` makes
the same kind of workbook for any hierarchy typed as ``某省(甲市(A县,B县),乙市(C县))``, with no targets.

A template does not load until its blanks are filled: the reader names every blank matrix or budget cell by sheet,
row and column. ``template_workbook`` writes it; ``template_scenario`` is the scenario to solve it with once filled.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import NoReturn

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from planner.domain import (
    Assumption,
    Cap,
    Dataset,
    DeadlineMode,
    InputError,
    Item,
    Level,
    Message,
    Region,
    Scenario,
    Source,
    Target,
    Tier,
)
from planner.io import schema as S
from planner.io.cells import loose_key
from planner.quarters import Quarter

DATA = Path(__file__).resolve().parents[2] / "data"
TEMPLATES_DIR = DATA / "templates"
ITEMS_SPEC = TEMPLATES_DIR / "items.toml"
BLANK = "blank"
# Filled in by the user: the budget rows' 说明 says so.
BUDGET_TO_FILL = "待填写：本级年度专项经费（万元）"
TO_FILL_COLOUR = "FCE4D6"  # blank matrix cells, until filled


class TemplateError(InputError):
    """A template request that cannot be met (an unknown plan, a malformed hierarchy)."""


@dataclass(frozen=True)
class Template:
    """One plan's template: the dataset to write (its matrix and budgets are only the rows to leave blank)."""

    key: str
    title: str
    dataset: Dataset
    start: Quarter
    horizon_end: Quarter
    readme: tuple[str, ...]

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.horizon_end.year + 1))

    @property
    def counties(self) -> list[Region]:
        return [r for r in self.dataset.regions if r.level == Level.COUNTY]

    @property
    def cities(self) -> list[Region]:
        return [r for r in self.dataset.regions if r.level == Level.CITY]


# ------------------------------------------------------------------------------------------------ plans

def plan_keys() -> list[str]:
    """The shipped plans (``data/templates/<key>.toml``), in a stable order."""
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.toml") if p != ITEMS_SPEC)


@cache
def _spec(key: str) -> dict:
    if key not in plan_keys():
        choices = [*plan_keys(), BLANK]
        raise TemplateError(Message("unknown_plan", f"没有名为「{key}」的模板（可选：{'、'.join(choices)}）",
                                    f"no template named '{key}' (choose from {', '.join(choices)})"))
    return tomllib.loads((TEMPLATES_DIR / f"{key}.toml").read_text(encoding="utf-8"))


def load_template(key: str, start: Quarter | None = None) -> Template:
    """The template of a shipped plan; ``start`` replaces the plan start (the quarter after the document's date)
    and so the first budget year: the matrix is to be filled as of the start."""
    spec = _spec(key)
    meta = spec["meta"]
    tiers = [Tier(t["key"], t["name"], date.fromisoformat(t["deadline"]), t["key"], t["note"]) for t in spec["tiers"]]
    by_name = {t.name: t for t in tiers}
    item_tiers = {k: by_name[v] for k, v in meta.get("item_tiers", {}).items()}
    items = template_items(lambda item: item_tiers.get(item.tier.key, tiers[0]))
    regions = regions_from_spec(spec["region"])
    targets = [target_from_spec(t, by_name) for t in spec.get("targets", [])]
    unmodelled = [Assumption(f"未建模目标 {u['id']}", "", "原文目标（未建模）", f"{u['source']}。{u['note']}")
                  for u in spec.get("unmodelled", [])]
    first = start or Quarter.parse(meta["start"])
    end = max(Quarter.parse(meta["horizon_end"]), Quarter(first.year + 1, 4))
    dataset = Dataset(items, regions, {}, tiers=tiers, targets=targets,
                      assumptions=unmodelled + _common_assumptions(),
                      sources=[Source(s["id"], s["title"], s["reference"], s.get("note", "")) for s in spec["sources"]]
                      + _common_sources())
    readme = tuple(meta["readme"]) + _how_to_fill() + tuple(_list_unmodelled(spec))
    return Template(key, meta["title"], dataset, first, end, readme)


def target_from_spec(t: dict, tiers: dict[str, Tier]) -> Target:
    """A target of a source file, its values spelt as on the 目标 sheet (类型 覆盖率, 地区层级 县级, 是/否)."""
    share = t.get("share_pct")
    return Target(t["id"], S.TARGET_KINDS[t["kind"]], t["scope"], date.fromisoformat(t["by"]),
                  tiers[t["tier"]] if t.get("tier") else None, None if share is None else share / 100,
                  t.get("count"), S.LEVEL_VALUES[t["level"]] if t.get("level") else None,
                  S.YES_NO[t.get("per_region", "否")], S.YES_NO[t.get("include_higher", "否")],
                  S.HARD_SOFT[t["hard"]] if t.get("hard") else None, t["source"], t.get("note", ""))


def _list_unmodelled(spec: dict) -> list[str]:
    rows = spec.get("unmodelled", [])
    if not rows:
        return []
    return ["原文中另有以下目标，本工具的模型不能直接计算（亦列在「假设」表，说明须补充什么）："] + [
        f"  {u['id']}：{u['source']}——{u['note']}" for u in rows]


# ------------------------------------------------------------------------------------------------ items

@cache
def _items_spec() -> dict:
    return tomllib.loads(ITEMS_SPEC.read_text(encoding="utf-8"))


@cache
def _reference_items() -> tuple[Item, ...]:
    from planner.io.workbook import load_workbook

    return tuple(load_workbook(DATA / _items_spec()["items_from"]).items)


def template_items(tier_of: Callable[[Item], Tier]) -> list[Item]:
    """The templates' item list (``items.toml``: Nantong's 22 items and their assumed costs, plus an assumed
    upgrade cost and lead time), each item put in the tier ``tier_of(nantong_item)`` returns."""
    spec = _items_spec()
    share, saving, note = spec["upgrade_capex_share"], spec["upgrade_lead_saving"], spec["upgrade_note"]
    out = []
    for item in _reference_items():
        tier = tier_of(item)
        out.append(replace(item, tier=tier, deadline=tier.deadline, note=f"{spec['cost_note']}{item.note}；{note}",
                           upgrade_capex_wan=round(item.capex_wan * share * 2) / 2,
                           upgrade_lead_quarters=max(1, item.lead_quarters - saving)))
    return out


def _common_sources() -> list[Source]:
    return [Source(s["id"], s["title"], s["reference"], s.get("note", "")) for s in _items_spec()["sources"]]


def _common_assumptions() -> list[Assumption]:
    return [Assumption(a["key"], a.get("value", ""), a.get("unit", ""), a["note"])
            for a in _items_spec()["assumptions"]]


def _how_to_fill() -> tuple[str, ...]:
    return tuple(_items_spec()["how_to_fill"])


# ---------------------------------------------------------------------------------------------- regions

def regions_from_spec(top: dict) -> list[Region]:
    """The hierarchy of a source file: ``top`` with its ``cities`` (each with ``counties``) and ``counties``
    directly below it (a province's directly administered counties, or a city's districts and counties)."""
    tree = _Node(top["name"], top.get("note", ""),
                 tuple(_Node(c["name"], c.get("note", ""), tuple(_Node(n, top.get("notes", {}).get(n, ""))
                                                                 for n in c.get("counties", [])))
                       for c in top.get("cities", []))
                 + tuple(_Node(n, top.get("notes", {}).get(n, "")) for n in top.get("counties", [])))
    return _regions([tree], Level(top["level"]) if top.get("level") else None)


@dataclass(frozen=True)
class _Node:
    name: str
    note: str = ""
    children: tuple[_Node, ...] = ()

    @property
    def height(self) -> int:
        return 1 + max((c.height for c in self.children), default=-1)


_LEVEL_BY_HEIGHT = {0: Level.COUNTY, 1: Level.CITY, 2: Level.PROVINCE}


def _regions(roots: list[_Node], top_level: Level | None = None) -> list[Region]:
    """Regions in reading order (each region followed by the ones below it); a leaf is a county, a region with
    counties below it a city, one with cities below it a province. A name that occurs twice gets its parent's
    name in front (江苏: 南京市鼓楼区 and 徐州市鼓楼区)."""
    flat: list[tuple[_Node, _Node | None]] = []

    def walk(node: _Node, parent: _Node | None) -> None:
        flat.append((node, parent))
        for child in node.children:
            walk(child, node)

    for root in roots:
        walk(root, None)
    seen: dict[str, int] = {}
    for node, _ in flat:
        seen[node.name] = seen.get(node.name, 0) + 1
    names = {id(node): (f"{parent.name}{node.name}" if seen[node.name] > 1 and parent else node.name)
             for node, parent in flat}
    out, ids = [], _ids(roots)
    for node, parent in flat:
        level = top_level if parent is None and top_level else _LEVEL_BY_HEIGHT[node.height]
        note = node.note
        if names[id(node)] != node.name:
            note = f"正式名称为「{node.name}」；因与同一工作簿中另一地区同名，加上级名称以区分。{note}".rstrip()
        out.append(Region(ids[id(node)], names[id(node)], level, note, names[id(parent)] if parent else ""))
    return out


def _ids(roots: list[_Node]) -> dict[int, str]:
    """Stable ids by position: R1, R1-02, R1-02-03."""
    out: dict[int, str] = {}

    def walk(node: _Node, label: str) -> None:
        out[id(node)] = label
        for n, child in enumerate(node.children, start=1):
            walk(child, f"{label}-{n:02d}")

    for n, root in enumerate(roots, start=1):
        walk(root, f"R{n}")
    return out


_OPEN, _CLOSE, _SEPARATORS = "(（", ")）", ",，、;；"


def parse_hierarchy(text: str) -> list[Region]:
    """Regions from a typed hierarchy: ``某市(甲县,乙区)``, ``某省(甲市(A县,B县),乙市(C县),丁县)`` or
    ``甲县,乙县``. Parentheses hold the regions below (half or full width); commas, 、 or ; separate them.
    A region with none below is a county; with counties below, a city; with cities below, a province."""
    roots, pos = _parse_list(text, 0, 0)
    if pos < len(text):
        _syntax(text, pos, "多余的右括号", "an unmatched closing parenthesis")
    if not roots:
        raise TemplateError(Message("bad_regions", "没有给出任何地区（例：某市(甲县,乙区)）",
                                    "no region given (e.g. 某市(甲县,乙区))"))
    _check_siblings(roots, "")
    regions = _regions(roots)
    seen: dict[str, str] = {}
    for region in regions:  # names the reader would take for one (a prefixed name meeting a typed one)
        other = seen.get(loose_key(region.name))
        seen.setdefault(loose_key(region.name), region.name)
        if other is not None:
            zh, en = ((f"地区「{other}」重复", f"region '{other}' appears twice") if other == region.name else
                      (f"地区「{region.name}」与「{other}」会被当作同一名称",
                       f"regions '{region.name}' and '{other}' would be taken for one name"))
            raise TemplateError(Message("bad_regions", zh, en))
    return regions


def _check_siblings(nodes: list[_Node] | tuple[_Node, ...], parent: str) -> None:
    """Two regions of one name under one region (or at the top): no parent's name could tell them apart."""
    seen: set[str] = set()
    for node in nodes:
        key = loose_key(node.name)
        if key in seen:
            where_zh, where_en = (f"「{parent}」下", f" under '{parent}'") if parent else ("顶层", " at the top")
            raise TemplateError(Message("bad_regions", f"{where_zh}的地区「{node.name}」重复",
                                        f"region '{node.name}' appears twice{where_en}"))
        seen.add(key)
        _check_siblings(node.children, node.name)


def _parse_list(text: str, pos: int, depth: int) -> tuple[list[_Node], int]:
    """Regions separated by commas from ``pos`` up to an unmatched closing parenthesis or the end."""
    nodes: list[_Node] = []
    while True:
        start = pos
        while pos < len(text) and text[pos] not in _OPEN + _CLOSE + _SEPARATORS:
            pos += 1
        name = text[start:pos].strip()
        children: tuple[_Node, ...] = ()
        if pos < len(text) and text[pos] in _OPEN:
            if not name:
                _syntax(text, pos, "左括号前缺少地区名称", "a parenthesis with no region name before it")
            if depth >= 2:
                _syntax(text, pos, "层级超过三级（省、市、县）", "more than three levels (province, city, county)")
            below, pos = _parse_list(text, pos + 1, depth + 1)
            if pos >= len(text):
                _syntax(text, pos - 1, "缺少右括号", "a missing closing parenthesis")
            if not below:
                _syntax(text, pos, "括号内没有地区", "empty parentheses")
            children, pos = tuple(below), pos + 1
            while pos < len(text) and text[pos].isspace():
                pos += 1
        if name:
            _check_name(name)
            nodes.append(_Node(name, children=children))
        if pos >= len(text) or text[pos] in _CLOSE:
            return nodes, pos
        if text[pos] not in _SEPARATORS:
            _syntax(text, pos, "两个地区之间缺少逗号", "a comma is missing between two regions")
        pos += 1


def _check_name(name: str) -> None:
    if len(name) > 50 or any(ord(ch) < 32 for ch in name):
        raise TemplateError(Message("bad_regions", f"地区名称「{name[:50]}」过长或含控制字符",
                                    f"region name '{name[:50]}' is too long or holds control characters"))


def _syntax(text: str, pos: int, zh: str, en: str) -> NoReturn:
    near = text[max(0, pos - 30):pos + 1]
    raise TemplateError(Message("bad_regions", f"地区层级写法有误：{zh}（第 {pos + 1} 个字符附近：…{near}）",
                                f"the hierarchy cannot be read: {en} (near character {pos + 1}: …{near})"))


def blank_template(hierarchy: str, start: Quarter) -> Template:
    """A template for any hierarchy, with no targets: the item list in one tier due at the end of the plan's
    third year (a placeholder the user edits on the 层级 sheet)."""
    regions = parse_hierarchy(hierarchy)
    end = Quarter(start.year + 2, 4)
    tier = Tier("mandatory", "强检项目", end.last_day, "mandatory",
                "占位：本模板未引用任何规划文件，截止日期取规划期末，请按实际要求修改（可增加层级）")
    dataset = Dataset(template_items(lambda _: tier), regions, {}, tiers=[tier], assumptions=_common_assumptions(),
                      sources=_common_sources())
    top = "、".join(r.name for r in regions if not r.parent)
    readme = (f"计量能力缺口规划器 · 空白模板：{top}（{len(regions)} 个地区，其中县级 "
              f"{sum(r.level == Level.COUNTY for r in regions)} 个）",
              "本模板没有目标：请在「目标」表中按规划文件逐条添加（每行须在「来源」列引用原文）。") + _how_to_fill()
    return Template(BLANK, f"空白模板：{top}", dataset, start, end, readme)


# ----------------------------------------------------------------------------------------------- writing

def template_workbook(template: Template) -> Workbook:
    """The template in the input format: every sheet with its drop-downs, a matrix row for every region with
    every cell blank, and a budget row for every region and year with the amount blank."""
    from planner.io.excel import dataset_workbook, fill_rule

    regions = [r.name for r in template.dataset.regions]
    # Placeholders make the writer lay out the rows (and their formats); their values are cleared below.
    filled = replace(template.dataset,
                     matrix={(r, i.name): Cap.LACKS for r in regions for i in template.dataset.items},
                     budgets={(r, y): 0.0 for r in regions for y in template.years})
    wb = dataset_workbook(filled, list(template.readme))
    fit_for_reading(wb, template.dataset.regions)
    matrix = wb[S.MATRIX.zh]
    for row in matrix.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.value = None
    cells = f"B2:{get_column_letter(matrix.max_column)}{matrix.max_row}"
    matrix.conditional_formatting.add(cells, fill_rule("ISBLANK(B2)", TO_FILL_COLOUR))
    budget_cols = {c.key: n for n, c in enumerate(S.BUDGETS.columns)}
    for row in wb[S.BUDGETS.zh].iter_rows(min_row=2):
        row[budget_cols["budget_wan"]].value = None
        row[budget_cols["basis"]].value = None
        row[budget_cols["note"]].value = BUDGET_TO_FILL
    wb.properties.creator = "planner"
    wb.properties.title = template.title
    return wb


def fit_for_reading(wb: Workbook, regions: list[Region]) -> None:
    """The 说明 sheet's lines wrap within a page's width (they are sentences, not cells to scroll), and the
    region columns are as wide as the longest name (长阳土家族自治县)."""
    readme = wb["说明"]
    readme.column_dimensions["A"].width = 95
    for (cell,) in readme.iter_rows(max_col=1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    width = max([8] + [2 * len(r.name) + 2 for r in regions])
    for sheet in (S.MATRIX.zh, S.BUDGETS.zh, S.ACTUALS.zh):
        if sheet in wb.sheetnames:
            wb[sheet].column_dimensions["A"].width = width
    wb[S.REGIONS.zh].column_dimensions["B"].width = width


def template_scenario(template: Template, workbook: Path) -> Scenario:
    """The scenario to solve a filled template with: soft deadlines (a plan's targets, not every item by its
    tier's date, are what the documents ask), over the template's years."""
    return Scenario(name=f"{template.key}_template", workbook=workbook, start=template.start,
                    horizon_end=template.horizon_end, deadline_mode=DeadlineMode.SOFT,
                    description=f"{template.title}：填写能力矩阵与预算后求解 / fill the matrix and budgets, then solve")


def describe(key: str) -> str:
    """One line per plan for ``planner template --list``."""
    t = load_template(key)
    return (f"{key:<9} {t.title}：{len(t.cities)} 个市级、{len(t.counties)} 个县级地区，"
            f"{len(t.dataset.targets)} 个目标")


def filled_template(key: str, budget_wan: float, state: Cap = Cap.LACKS) -> tuple[Template, Dataset]:
    """A shipped plan's template filled as a new user first tries it: every matrix cell ``state`` (缺失) and the same
    budget for every region and year. For benchmarks and tests of plans at a real plan's size; the figures are
    placeholders, not data."""
    template = load_template(key)
    ds = template.dataset
    regions = [r.name for r in ds.regions]
    return template, replace(ds, matrix={(r, i.name): state for r in regions for i in ds.items},
                             budgets={(r, y): float(budget_wan) for r in regions for y in template.years})
