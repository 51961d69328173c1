"""Read and validate a capability workbook into a ``Dataset`` (writing is ``planner.io.excel``).

Every rejection names sheet, row and column in Chinese and English (``WorkbookError.messages``);
disagreements that do not stop planning (published counts vs the matrix) become ``Dataset.warnings``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import (
    Assumption,
    Cap,
    Dataset,
    Item,
    Level,
    Message,
    PublishedCount,
    Region,
    ShareGroup,
    Source,
    Tier,
    WorkbookError,
)
from planner.io import schema as S
from planner.io.counts import count_warnings

Row = tuple[int, dict[str, Any]]  # (1-based Excel row, values by column key)


class _Log:
    """Collects errors and warnings so one pass reports every problem, not just the first."""

    def __init__(self) -> None:
        self.errors: list[Message] = []
        self.warnings: list[Message] = []

    def error(self, code: str, zh: str, en: str, sheet: S.Sheet | str = "", row: int | None = None,
              column: str = "") -> None:
        self.errors.append(Message(code, zh, en, _sheet_name(sheet), row, column))

    def warn(self, code: str, zh: str, en: str, sheet: S.Sheet | str = "", row: int | None = None,
             column: str = "") -> None:
        self.warnings.append(Message(code, zh, en, _sheet_name(sheet), row, column))


def _sheet_name(sheet: S.Sheet | str) -> str:
    return sheet.zh if isinstance(sheet, S.Sheet) else sheet


# ----------------------------------------------------------------------------------------------- reading

def load_workbook(source: str | Path | bytes | IO[bytes]) -> Dataset:
    """Read and validate a capability workbook (path, bytes or binary file); raise ``WorkbookError``."""
    path = Path(source) if isinstance(source, str | Path) else None
    try:
        data = io.BytesIO(source) if isinstance(source, bytes) else source
        wb = openpyxl.load_workbook(data, data_only=True)
    except FileNotFoundError:
        raise WorkbookError([Message("file_not_found", f"找不到文件 {source}", f"file not found: {source}")]) from None
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise WorkbookError([Message(
            "not_a_workbook", f"无法作为 Excel 工作簿（.xlsx）打开：{exc}",
            f"cannot be opened as an Excel workbook (.xlsx): {exc}")]) from None
    log = _Log()
    dataset = _read(wb, log)
    if log.errors:
        raise WorkbookError(log.errors)
    assert dataset is not None
    dataset.path = path
    dataset.warnings = log.warnings + count_warnings(dataset)
    return dataset


def _find_sheet(wb: Workbook, spec: S.Sheet) -> Worksheet | None:
    wanted = {S.normalise_header(spec.zh), S.normalise_header(spec.key)}
    return next((wb[n] for n in wb.sheetnames if S.normalise_header(n) in wanted), None)


def _header_map(ws: Worksheet) -> dict[str, int]:
    """Normalised header text -> 1-based column index, from row 1."""
    return {S.normalise_header(c.value): c.column for c in ws[1] if c.value not in (None, "")}


def _read_rows(wb: Workbook, spec: S.Sheet, log: _Log) -> list[Row] | None:
    """The data rows of a sheet, cells parsed by column kind; None if the sheet is absent."""
    ws = _find_sheet(wb, spec)
    if ws is None:
        if spec.required:
            log.error("missing_sheet", "缺少工作表", "missing sheet", f"{spec.zh} ({spec.key})")
        return None
    headers = _header_map(ws)
    where: dict[str, int] = {}
    for col in spec.columns:
        idx = headers.get(S.normalise_header(col.zh), headers.get(S.normalise_header(col.key)))
        if idx is not None:
            where[col.key] = idx
        elif col.required:
            log.error("missing_column", f"缺少列「{col.zh}」（{col.key}）",
                      f"missing column '{col.zh}' ({col.key})", spec, 1, col.zh)
    rows: list[Row] = []
    for r in range(2, ws.max_row + 1):
        raw = {k: ws.cell(r, i).value for k, i in where.items()}
        if all(_blank(v) for v in raw.values()):
            continue
        rows.append((r, {c.key: _parse(raw[c.key], c, spec, r, log) for c in spec.columns if c.key in where}))
    return rows


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse(value: Any, col: S.Column, sheet: S.Sheet, row: int, log: _Log) -> Any:
    """One cell, parsed by the column's kind; logs an error and returns None when it is not valid."""
    if _blank(value):
        if not col.blank_ok:
            log.error("blank_value", "不能为空", "must not be blank", sheet, row, col.zh)
        return None
    if col.kind == "text":
        return str(value).strip()
    if col.kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            log.error("not_a_date", f"「{value}」不是日期（应为 YYYY-MM-DD）",
                      f"'{value}' is not a date (expected YYYY-MM-DD)", sheet, row, col.zh)
            return None
    number = _number(value)
    if number is None:
        log.error("not_a_number", f"「{value}」不是数字", f"'{value}' is not a number", sheet, row, col.zh)
        return None
    if number < 0:
        log.error("negative_value", f"不能为负数（{value}）", f"must not be negative ({value})",
                  sheet, row, col.zh)
        return None
    if col.kind == "int":
        if number != int(number):
            log.error("not_an_integer", f"应为整数（{value}）", f"must be a whole number ({value})",
                      sheet, row, col.zh)
            return None
        return int(number)
    return number


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError:
            return None
    return None if math.isnan(number) or math.isinf(number) else number


def _split_list(text: str) -> list[str]:
    for sep in S.LIST_SEPARATORS[1:]:
        text = text.replace(sep, S.LIST_SEPARATORS[0])
    return [p.strip() for p in text.split(S.LIST_SEPARATORS[0]) if p.strip()]


def _check_unique(rows: list[Row], keys: tuple[str, ...], sheet: S.Sheet, log: _Log) -> None:
    seen: dict[tuple, int] = {}
    for r, v in rows:
        key = tuple(v.get(k) for k in keys)
        if any(k is None for k in key):
            continue
        if key in seen:
            label = " / ".join(str(k) for k in key)
            log.error("duplicate_row", f"与第 {seen[key]} 行重复（{label}）",
                      f"duplicates row {seen[key]} ({label})", sheet, r,
                      sheet.column(keys[-1]).zh)
        else:
            seen[key] = r


def _read(wb: Workbook, log: _Log) -> Dataset | None:
    item_rows = _read_rows(wb, S.ITEMS, log)
    region_rows = _read_rows(wb, S.REGIONS, log)
    alias_rows = _read_rows(wb, S.ALIASES, log) or []
    if item_rows is None or region_rows is None:
        _read_rows(wb, S.MATRIX, log)  # still report a missing matrix in the same pass
        return None

    tiers = _tiers(_read_rows(wb, S.TIERS, log), log)
    items = _items(item_rows, tiers, log)
    # Every named row counts as known, even one dropped for a bad cell (already an error): otherwise one
    # blank cost would also report the item as "unknown" in 别名, 能力矩阵 and 共用组.
    names = {v["name"] for _, v in item_rows if v.get("name")}
    aliases = _aliases(alias_rows, names, log)
    regions = _regions(region_rows, log)
    resolve = _Resolver(names, aliases, {r.name for r in regions}, log)

    has = _matrix(wb, regions, resolve, log)
    _check_upgrades(has, items, log)
    counts = _counts(_read_rows(wb, S.COUNTS, log) or [], tiers, resolve, log)
    budgets = _budgets(_read_rows(wb, S.BUDGETS, log) or [], resolve, log)
    actuals, evidence = _actuals(_read_rows(wb, S.ACTUALS, log) or [], resolve, has, log)
    groups = _share_groups(_read_rows(wb, S.SHARE_GROUPS, log) or [], resolve, log)
    assumption_rows = _read_rows(wb, S.ASSUMPTIONS, log) or []
    _check_unique(assumption_rows, ("key",), S.ASSUMPTIONS, log)
    assumptions = [Assumption(v["key"] or "", _text(v.get("value")), v.get("unit") or "", v.get("note") or "")
                   for _, v in assumption_rows]
    sources = [Source(v["id"] or "", v["title"] or "", v.get("reference") or "", v.get("note") or "")
               for _, v in _read_rows(wb, S.SOURCES, log) or []]
    used = list(dict.fromkeys(i.tier for i in items))
    declared = [t for t in dict.fromkeys(tiers.values())]
    return Dataset(items, regions, has, counts, budgets, actuals, aliases, groups, assumptions, sources,
                   actual_evidence=evidence,
                   tiers=[t for t in declared if t in used] + [t for t in used if t not in declared])


def _text(value: Any) -> str:
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return "" if value is None else str(value)


def _tiers(rows: list[Row] | None, log: _Log) -> dict[str, Tier]:
    """Tier names and keys -> tiers: the 层级 sheet's, else Nantong's two (基本 / 提升) by default."""
    if rows is None:
        return dict(S.DEFAULT_TIERS)
    _check_unique(rows, ("name",), S.TIERS, log)
    _check_unique(rows, ("key",), S.TIERS, log)
    out: dict[str, Tier] = {}
    for r, v in rows:
        if not v.get("name") or v.get("deadline") is None:
            continue
        default = S.DEFAULT_TIERS.get(v["name"])
        key = v.get("key") or (default.key if default else v["name"])
        tier = Tier(key, v["name"], v["deadline"], v.get("key") or (default.name_en if default else ""),
                    v.get("note") or "")
        for label in (v["name"], key):
            if label in out and out[label] != tier:
                log.error("duplicate_row", f"层级名称或英文名「{label}」重复", f"tier name or key '{label}' repeats",
                          S.TIERS, r, S.TIERS.column("name").zh)
            out[label] = tier
    return out


def _tier(value: str | None, tiers: dict[str, Tier], sheet: S.Sheet, row: int, log: _Log) -> Tier | None:
    if value is None:
        return None
    found = tiers.get(value.strip()) or tiers.get(value.strip().lower())
    if found is None:
        choices = " / ".join(dict.fromkeys(t.name for t in tiers.values()))
        log.error("bad_tier", f"「{value}」不是已定义的层级（{choices}；新层级请在「层级」表中添加）",
                  f"'{value}' is not a defined tier ({choices}; add new tiers on the 层级 sheet)",
                  sheet, row, sheet.column("tier").zh)
    return found


def _items(rows: list[Row], tiers: dict[str, Tier], log: _Log) -> list[Item]:
    _check_unique(rows, ("id",), S.ITEMS, log)
    _check_unique(rows, ("name",), S.ITEMS, log)
    items = []
    for r, v in rows:
        tier = _tier(v.get("tier"), tiers, S.ITEMS, r, log)
        deadline = v.get("deadline") or (tier.deadline if tier else None)
        if tier is not None and deadline is None:
            log.error("blank_value", "不能为空（该层级也没有截止日期）", "must not be blank (its tier has no deadline)",
                      S.ITEMS, r, S.ITEMS.column("deadline").zh)
        if None in (tier, deadline, v.get("capex_wan"), v.get("opex_wan"), v.get("lead_quarters"),
                    v.get("id"), v.get("name")):
            continue
        items.append(Item(
            id=v["id"], name=v["name"], tier=tier, deadline=deadline, capex_wan=v["capex_wan"],
            opex_wan=v["opex_wan"], lead_quarters=v["lead_quarters"],
            priority=1.0 if v.get("priority") is None else v["priority"],
            service_fee_wan=v.get("service_fee_wan") or 0.0, note=v.get("note") or "",
            upgrade_capex_wan=v.get("upgrade_capex_wan"), upgrade_lead_quarters=v.get("upgrade_lead_quarters"),
        ))
    return items


def _enum(value: str | None, allowed: dict, sheet: S.Sheet, row: int, key: str, log: _Log):
    if value is None:
        return None
    found = allowed.get(value.strip()) or allowed.get(value.strip().lower())
    if found is None:
        choices = " / ".join(allowed)
        log.error(f"bad_{key}", f"「{value}」不是允许的取值（{choices}）",
                  f"'{value}' is not an allowed value ({choices})", sheet, row, sheet.column(key).zh)
    return found


def _aliases(rows: list[Row], names: set[str], log: _Log) -> dict[str, str]:
    _check_unique(rows, ("alias",), S.ALIASES, log)
    aliases = {}
    for r, v in rows:
        if v.get("name") not in names and v.get("name") is not None:
            log.error("unknown_item", f"未知项目「{v['name']}」", f"unknown item '{v['name']}'",
                      S.ALIASES, r, S.ALIASES.column("name").zh)
        elif v.get("alias"):
            aliases[v["alias"]] = v["name"]
    return aliases


def _regions(rows: list[Row], log: _Log) -> list[Region]:
    _check_unique(rows, ("id",), S.REGIONS, log)
    _check_unique(rows, ("name",), S.REGIONS, log)
    regions = []
    for r, v in rows:
        level = _enum(v.get("level"), S.LEVEL_VALUES, S.REGIONS, r, "level", log)
        if level is not None and v.get("id") and v.get("name"):
            regions.append(Region(v["id"], v["name"], level, v.get("note") or "", v.get("parent") or ""))
    _check_hierarchy(regions, {v["name"]: r for r, v in rows if v.get("name")}, log)
    return regions


def _check_hierarchy(regions: list[Region], row_of: dict[str, int], log: _Log) -> None:
    """Every 上级 names a region of the sheet, and following 上级 never comes back (no cycles)."""
    parent = {x.name: x.parent for x in regions}
    column = S.REGIONS.column("parent").zh
    for region in regions:
        if region.parent and region.parent not in parent:
            log.error("unknown_region", f"上级「{region.parent}」不在地区表中",
                      f"parent '{region.parent}' is not a region", S.REGIONS, row_of.get(region.name), column)
            continue
        seen, node = {region.name}, region.parent
        while node:
            if node in seen:
                log.error("region_cycle", f"上级关系成环（经过「{node}」）", f"the 上级 chain loops (through '{node}')",
                          S.REGIONS, row_of.get(region.name), column)
                break
            seen.add(node)
            node = parent.get(node, "")


class _Resolver:
    """Turns item names (or aliases) and region names into canonical names, logging unknown ones."""

    def __init__(self, items: set[str], aliases: dict[str, str], regions: set[str], log: _Log):
        self.items, self.aliases, self.regions, self.log = items, aliases, regions, log

    def item(self, name: str | None, sheet: S.Sheet, row: int, column: str) -> str | None:
        if name is None:
            return None
        canonical = self.aliases.get(name, name)
        if canonical not in self.items:
            self.log.error("unknown_item", f"未知项目「{name}」（既非项目名称也非别名）",
                           f"unknown item '{name}' (neither an item name nor an alias)", sheet, row, column)
            return None
        return canonical

    def region(self, name: str | None, sheet: S.Sheet, row: int, column: str,
               allow: Iterable[str] = ()) -> str | None:
        if name is None:
            return None
        if name not in self.regions and name not in allow:
            self.log.error("unknown_region", f"未知地区「{name}」", f"unknown region '{name}'",
                           sheet, row, column)
            return None
        return name


def _matrix(wb: Workbook, regions: list[Region], resolve: _Resolver, log: _Log) -> dict[tuple[str, str], Cap]:
    ws = _find_sheet(wb, S.MATRIX)
    if ws is None:
        log.error("missing_sheet", "缺少工作表", "missing sheet", f"{S.MATRIX.zh} ({S.MATRIX.key})")
        return {}
    region_col = S.MATRIX.columns[0]
    headers = [(c.column, c.value) for c in ws[1] if not _blank(c.value)]
    first = next((i for i, h in headers if S.normalise_header(h) in
                  {S.normalise_header(region_col.zh), region_col.key}), None)
    if first is None:
        log.error("missing_column", f"缺少列「{region_col.zh}」（{region_col.key}）",
                  f"missing column '{region_col.zh}' ({region_col.key})", S.MATRIX, 1, region_col.zh)
        return {}
    item_cols: dict[int, str] = {}
    seen_items: dict[str, str] = {}
    for idx, header in headers:
        if idx == first:
            continue
        name = resolve.item(str(header).strip(), S.MATRIX, 1, get_column_letter(idx))
        if name is None:
            continue
        if name in seen_items:
            log.error("duplicate_column", f"项目「{name}」出现两次（另见列「{seen_items[name]}」）",
                      f"item '{name}' appears twice (see also column '{seen_items[name]}')",
                      S.MATRIX, 1, str(header))
            continue
        seen_items[name] = str(header)
        item_cols[idx] = name
    for name in resolve.items - set(item_cols.values()):
        log.error("missing_column", f"缺少项目列「{name}」", f"missing item column '{name}'", S.MATRIX, 1, name)

    has: dict[tuple[str, str], Cap] = {}
    seen_rows: dict[str, int] = {}
    allowed = " / ".join(S.MATRIX_VALUES)
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, first).value
        values = {idx: ws.cell(r, idx).value for idx in item_cols}
        if _blank(cell) and all(_blank(v) for v in values.values()):
            continue
        if _blank(cell):
            log.error("blank_value", "不能为空", "must not be blank", S.MATRIX, r, region_col.zh)
            continue
        region = resolve.region(str(cell).strip(), S.MATRIX, r, region_col.zh)
        if region is None:
            continue
        if region in seen_rows:
            log.error("duplicate_row", f"与第 {seen_rows[region]} 行重复（{region}）",
                      f"duplicates row {seen_rows[region]} ({region})", S.MATRIX, r, region_col.zh)
            continue
        seen_rows[region] = r
        for idx, item in item_cols.items():
            raw = values[idx]
            key = str(raw).strip() if raw is not None else ""
            flag = S.MATRIX_VALUES.get(key, S.MATRIX_VALUES.get(key.lower()))
            if flag is None:
                log.error("bad_matrix_value", f"「{_text(raw)}」不是允许的取值（{allowed}）",
                          f"'{_text(raw)}' is not an allowed value ({allowed})", S.MATRIX, r,
                          str(ws.cell(1, idx).value))
                continue
            has[(region, item)] = flag
    county_names = [x.name for x in regions if x.level == Level.COUNTY]
    for name in county_names:
        if name not in seen_rows:
            log.warn("no_matrix_row", f"县级地区「{name}」在能力矩阵中没有行，不会为其排程",
                     f"county '{name}' has no row in the matrix and will not be scheduled", S.MATRIX)
    return has


def _check_upgrades(matrix: dict[tuple[str, str], Cap], items: list[Item], log: _Log) -> None:
    """需升级 needs the item's upgrade cost and lead time: never guessed from the cost of a new standard."""
    by_name = {i.name: i for i in items}
    for name in dict.fromkeys(i for (_, i), cap in matrix.items() if cap == Cap.UPGRADE):
        item = by_name.get(name)
        if item is None:
            continue
        for key, value in (("upgrade_capex_wan", item.upgrade_capex_wan),
                           ("upgrade_lead_quarters", item.upgrade_lead_quarters)):
            if value is None:
                col = S.ITEMS.column(key).zh
                log.error("missing_upgrade_cost", f"能力矩阵中有「{S.UPGRADE}」，但项目「{name}」未填「{col}」",
                          f"the matrix says '{S.UPGRADE}' (upgrade) but item '{name}' has no '{col}'", S.ITEMS,
                          None, col)


def _counts(rows: list[Row], tiers: dict[str, Tier], resolve: _Resolver, log: _Log) -> list[PublishedCount]:
    _check_unique(rows, ("tier", "region"), S.COUNTS, log)
    out = []
    for r, v in rows:
        tier = _tier(v.get("tier"), tiers, S.COUNTS, r, log)
        region = resolve.region(v.get("region"), S.COUNTS, r, S.COUNTS.column("region").zh,
                                allow=(S.TOTAL_ROW,))
        if tier is not None and region is not None:
            out.append(PublishedCount(tier, region, v.get("required"), v.get("completed"), v.get("pending"),
                                      v.get("printed") or "", v.get("note") or ""))
    return out


def _budgets(rows: list[Row], resolve: _Resolver, log: _Log) -> dict[tuple[str, int], float]:
    _check_unique(rows, ("region", "year"), S.BUDGETS, log)
    out = {}
    for r, v in rows:
        region = resolve.region(v.get("region"), S.BUDGETS, r, S.BUDGETS.column("region").zh)
        if region is not None and v.get("year") is not None and v.get("budget_wan") is not None:
            out[(region, v["year"])] = v["budget_wan"]
    return out


def _actuals(rows: list[Row], resolve: _Resolver, has: dict[tuple[str, str], Cap],
             log: _Log) -> tuple[dict[tuple[str, str], date], dict[tuple[str, str], str]]:
    """Completion dates reported later (配置到位), and their evidence (文号 / 来源) where given."""
    out, evidence = {}, {}
    seen: dict[tuple[str, str], int] = {}
    for r, v in rows:
        region = resolve.region(v.get("region"), S.ACTUALS, r, S.ACTUALS.column("region").zh)
        item = resolve.item(v.get("item"), S.ACTUALS, r, S.ACTUALS.column("item").zh)
        if region is None or item is None or v.get("completed_on") is None:
            continue
        if (region, item) in seen:
            log.error("duplicate_row", f"与第 {seen[(region, item)]} 行重复（{region} / {item}）",
                      f"duplicates row {seen[(region, item)]} ({region} / {item})", S.ACTUALS, r,
                      S.ACTUALS.column("item").zh)
            continue
        seen[(region, item)] = r
        if has.get((region, item)) == Cap.HAS:
            log.warn("actual_for_existing", f"{region} 在基准时已具备「{item}」，此完成日期不影响计划",
                     f"{region} already had '{item}' at baseline; this date does not change the plan",
                     S.ACTUALS, r, S.ACTUALS.column("item").zh)
        out[(region, item)] = v["completed_on"]
        if v.get("source"):
            evidence[(region, item)] = v["source"]
    return out, evidence


def _share_groups(rows: list[Row], resolve: _Resolver, log: _Log) -> list[ShareGroup]:
    _check_unique(rows, ("name",), S.SHARE_GROUPS, log)
    out = []
    col = S.SHARE_GROUPS.column("items").zh
    for r, v in rows:
        if not v.get("items") or v.get("saving_wan") is None:
            continue
        members = [resolve.item(n, S.SHARE_GROUPS, r, col) for n in _split_list(v["items"])]
        if None in members:
            continue
        if len(members) < 2:
            log.error("short_group", "共用组至少要有两个项目", "a share group needs at least two items",
                      S.SHARE_GROUPS, r, col)
            continue
        out.append(ShareGroup(v["name"], tuple(members), v["saving_wan"], v.get("note") or ""))  # type: ignore
    return out
