"""Read and validate a capability workbook into a ``Dataset`` (writing is ``planner.io.excel``).

One streaming pass per sheet (``tables``) parses and bounds every cell; the functions here map each sheet's
rows to domain objects and check what spans sheets (names that must exist, a county with no matrix row, an
empty matrix). Every rejection names sheet, row and column in Chinese and English (``WorkbookError``, at most
``MAX_MESSAGES`` listed); normalisations and disagreements that do not stop planning become
``Dataset.warnings``, located the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from planner.domain import (
    CAP_ZH,
    LEVEL_ZH,
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
    Target,
    TargetKind,
    Tier,
    WorkbookError,
)
from planner.io import limits as L
from planner.io import schema as S
from planner.io.cells import CellProblem, clean_text, loose_key, parse_date, show
from planner.io.counts import count_warnings
from planner.io.files import FileProblem, read_input
from planner.io.tables import (
    MessageLog,
    Row,
    SheetStream,
    blank,
    cap_messages,
    find_sheets,
    header_hint,
    more_message,
    read_table,
    suggestion,
)
from planner.io.xlsx import Book, SheetInfo, XlsxError, column_letter

BASELINE_DATE = "baseline_date"  # the 假设 key dating the capability matrix (Nantong: the notice, 2023-08-20)

# ----------------------------------------------------------------------------------------------- reading


def load_workbook(source: str | Path | bytes | IO[bytes]) -> Dataset:
    """Read and validate a capability workbook (path, bytes or binary file); raise ``WorkbookError``.

    Any file name or extension is fine (.xlsx content is what counts); the file is never written to."""
    path = Path(source) if isinstance(source, str | Path) else None
    try:
        if path is not None:
            data = read_input(path, L.MAX_WORKBOOK_MB * 1_000_000, "工作簿", "workbook")
        else:
            data = source if isinstance(source, bytes) else _read_stream(source)  # type: ignore[arg-type]
    except FileProblem as exc:
        raise WorkbookError([exc.message]) from None
    try:
        book = Book(data)
    except XlsxError as exc:
        raise WorkbookError([file_message(exc.code, path, exc.part)]) from None
    log = MessageLog()
    try:
        dataset = _read(book, log)
    except XlsxError as exc:
        if exc.code == "damaged_shared_strings":
            part = book.shared_part or "xl/sharedStrings.xml"
            log.error("damaged_shared_strings",
                      f"文件部件 {part}（共享字符串）已损坏或不完整：此工作表引用第 {exc.index} 条文字，而该部件只有 "
                      f"{len(book.shared_strings)} 条（请在 Excel/WPS 中打开并另存为 .xlsx）",
                      f"the file part {part} (shared strings) is damaged or incomplete: this sheet refers to text "
                      f"#{exc.index}, and the part holds {len(book.shared_strings)} (open the file in Excel/WPS and "
                      "save as .xlsx)", exc.part)
        else:
            log.error("damaged_sheet", "工作表已损坏，无法读取（请在 Excel/WPS 中打开并另存为 .xlsx）",
                      "the sheet is damaged and cannot be read (open it in Excel/WPS and save as .xlsx)", exc.part)
        dataset = None
    finally:
        book.close()
    if log.has_errors or dataset is None:
        raise WorkbookError(log.capped_errors())
    dataset.path = path
    warnings = log.warnings + count_warnings(dataset)
    dataset.warnings = cap_messages(warnings, "more_warnings") if not log.more_warnings else (
        warnings[:L.MAX_MESSAGES] + more_message(log.more_warnings + max(0, len(warnings) - L.MAX_MESSAGES),
                                                 "more_warnings"))
    return dataset


def _read_stream(stream: IO[bytes]) -> bytes:
    limit = L.MAX_WORKBOOK_MB * 1_000_000
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileProblem(Message("file_too_large", f"工作簿过大（上限 {L.MAX_WORKBOOK_MB} MB）",
                                  f"the workbook is too large (limit {L.MAX_WORKBOOK_MB} MB)"))
    return data


_FILE_REASONS = {
    "empty_file": ("文件是空的（0 字节）", "the file is empty (0 bytes)"),
    "ole2": ("这是旧版 Excel 97-2003 工作簿（.xls）或设有密码的工作簿：请在 Excel/WPS 中取消密码并另存为 .xlsx",
             "this is an old Excel 97-2003 workbook (.xls) or a password-protected one: remove the password and "
             "save it as .xlsx in Excel/WPS"),
    "text_file": ("这是文本文件（如 CSV），不是 Excel 工作簿：请在 Excel/WPS 中打开并另存为 .xlsx",
                  "this is a text file (CSV?), not an Excel workbook: open it in Excel/WPS and save it as .xlsx"),
    "html_or_xml": ("这是网页或 XML 文件（有些系统导出的“Excel”其实是网页），不是 .xlsx：请在 Excel/WPS 中另存为 .xlsx",
                    "this is a web page or XML file (some systems export these as 'Excel'), not .xlsx: save it "
                    "as .xlsx in Excel/WPS"),
    "word_document": ("这是 Word 文档，不是 Excel 工作簿", "this is a Word document, not an Excel workbook"),
    "opendocument": ("这是 OpenDocument 表格（.ods）：请另存为 .xlsx", "this is an OpenDocument spreadsheet (.ods): "
                     "save it as .xlsx"),
    "too_large_unpacked": (f"工作簿解压后超过 {L.MAX_UNPACKED_MB} MB 的上限（或包含过多部件）",
                           f"the workbook unpacks to more than {L.MAX_UNPACKED_MB}"
                               f" MB (the limit) or has too many parts"),
    "damaged": ("文件已损坏或不完整（可能下载或复制中断）：请重新获取或在 Excel/WPS 中另存为 .xlsx",
                "the file is damaged or incomplete (an interrupted download or copy?): get it again or save it "
                "as .xlsx in Excel/WPS"),
    "not_a_workbook": ("不是 Excel 工作簿（.xlsx）", "not an Excel workbook (.xlsx)"),
    "duplicate_part": ("文件中有两个同名部件 {part}（压缩包被改动过？）：无法确定应读取哪一个，"
                       "请在 Excel/WPS 中打开并另存为 .xlsx",
                       "the file holds two parts named {part} (was the zip edited?): which one is meant cannot be "
                       "told; open it in Excel/WPS and save it as .xlsx"),
    "damaged_part": ("文件部件 {part} 已损坏，无法读取（请在 Excel/WPS 中打开并另存为 .xlsx）",
                     "the file part {part} is damaged and cannot be read (open it in Excel/WPS and save as .xlsx)"),
}


def file_message(code: str, path: Path | None, part: str = "") -> Message:
    """Why a file cannot be opened as a workbook, in our words (naming the file part when one is at fault)."""
    zh, en = _FILE_REASONS.get(code, _FILE_REASONS["not_a_workbook"])
    if part and code in ("duplicate_part", "damaged_part"):
        zh, en = zh.format(part=part), en.format(part=part)
    where = f"{path}：" if path else ""
    where_en = f"{path}: " if path else ""
    return Message("not_a_workbook", f"{where}无法作为 Excel 工作簿打开：{zh}", f"{where_en}cannot be opened as an "
                   f"Excel workbook: {en}")


def _read(book: Book, log: MessageLog) -> Dataset | None:
    sheets = find_sheets(book, S.INPUT_SHEETS, log)
    item_rows = read_table(book, sheets, S.ITEMS, log)
    region_rows = read_table(book, sheets, S.REGIONS, log)
    alias_rows = read_table(book, sheets, S.ALIASES, log) or []
    if item_rows is None or region_rows is None:
        return None

    tiers = _tiers(read_table(book, sheets, S.TIERS, log), log)
    items = _items(item_rows, tiers, log)
    # Every named row counts as known, even one dropped for a bad cell (already an error): otherwise one
    # blank cost would also report the item as "unknown" in 别名, 能力矩阵 and 共用组.
    item_names = _Names("项目", "item")
    for r, v in item_rows:
        item_names.define(v.get("name"), S.ITEMS, r, S.ITEMS.column("name").zh, log)
    aliases = _aliases(alias_rows, item_names, log)
    regions = _regions(region_rows, log)
    region_names = _Names("地区", "region")
    for r, v in region_rows:
        region_names.define(v.get("name"), S.REGIONS, r, S.REGIONS.column("name").zh, log)
    resolve = _Resolver(item_names, aliases, region_names, log)

    errors_before = len(log.errors) + log.more_errors
    matrix, matrix_rows = _matrix(book, sheets.get(S.MATRIX.key), regions, resolve, log)
    _check_upgrades(matrix, items, log)
    # Which regions are planned is known only from a clean matrix; otherwise its errors come first.
    clean = matrix_rows is not None and len(log.errors) + log.more_errors == errors_before
    scheduled = set(matrix_rows or ()) if clean else None
    counts = _counts(read_table(book, sheets, S.COUNTS, log) or [], tiers, resolve, log)
    budgets = _budgets(read_table(book, sheets, S.BUDGETS, log) or [], resolve, scheduled, log)
    assumption_rows = read_table(book, sheets, S.ASSUMPTIONS, log) or []
    _check_unique(assumption_rows, ("key",), S.ASSUMPTIONS, log)
    assumptions = [Assumption(v["key"] or "", v.get("value") or "", v.get("unit") or "", v.get("note") or "")
                   for _, v in assumption_rows]
    actuals, evidence = _actuals(read_table(book, sheets, S.ACTUALS, log) or [], resolve, matrix, scheduled, log,
                                 _baseline_date(assumptions))
    groups = _share_groups(read_table(book, sheets, S.SHARE_GROUPS, log) or [], resolve, items, log)
    read_target_rows = read_table(book, sheets, S.TARGETS, log) or []
    targets = _targets(read_target_rows, tiers, resolve, regions, log)
    if scheduled is not None:
        _check_target_scopes(targets, regions, matrix, items, read_target_rows, log)
    sources = [Source(v["id"] or "", v["title"] or "", v.get("reference") or "", v.get("note") or "")
               for _, v in read_table(book, sheets, S.SOURCES, log) or []]
    used = list(dict.fromkeys(i.tier for i in items))
    declared = [t for t in dict.fromkeys(tiers.values())]
    return Dataset(items, regions, matrix, counts, budgets, actuals, aliases, groups, assumptions, sources,
                   actual_evidence=evidence, targets=targets,
                   tiers=[t for t in declared if t in used] + [t for t in used if t not in declared])


# ------------------------------------------------------------------------------------------------ names

class _Names:
    """The canonical names of one kind (items, regions), with a loose index: two names that differ only in
    width, case or spaces are one name, so defining both is an error and a reference spelt either way is
    read as the one defined (with a warning)."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        self.exact: set[str] = set()
        self.loose: dict[str, tuple[str, int]] = {}  # loose key -> (name, row)
        self._normalised: dict[str, str] | None = None

    def define(self, name: str | None, sheet: S.Sheet, row: int, column: str, log: MessageLog) -> None:
        if not name:
            return
        key = loose_key(name)
        other = self.loose.get(key)
        if other is not None and other[0] == name:
            log.error("duplicate_row", f"与第 {other[1]} 行重复（{show(name)}）", f"duplicates row {other[1]} "
                      f"({show(name)})", sheet, row, column)
            return
        if other is not None:
            log.error("duplicate_row",
                      f"「{show(name)}」与第 {other[1]} 行的「{show(other[0])}」只差空格、全角/半角或大小写，"
                      "会被当作同一名称", f"'{show(name)}' differs from '{show(other[0])}' in row {other[1]} only "
                      "by spaces, width or case: they would be taken for one name", sheet, row, column)
            return
        self.exact.add(name)
        self.loose.setdefault(key, (name, row))

    def __contains__(self, name: object) -> bool:
        return name in self.exact

    def match(self, name: str) -> str | None:
        """The defined name ``name`` stands for, exactly or loosely."""
        if name in self.exact:
            return name
        hit = self.loose.get(loose_key(name))
        return hit[0] if hit else None

    def near(self, name: str, log: MessageLog) -> str | None:
        """A defined name ``name`` may be a typo of (for "did you mean"; not computed once messages are capped)."""
        if log.full or len(self.exact) > 5000:
            return None
        if self._normalised is None:
            self._normalised = {S.normalise_header(n): n for n in self.exact}
        return suggestion(name, self._normalised)


class _Resolver:
    """Turns item names (or aliases) and region names into canonical names, logging unknown ones and warning
    when a name matched only loosely."""

    def __init__(self, items: _Names, aliases: dict[str, str], regions: _Names, log: MessageLog):
        self.items, self.aliases, self.regions, self.log = items, aliases, regions, log
        self.alias_names = _Names("别名", "alias")
        for alias in aliases:
            self.alias_names.exact.add(alias)
            self.alias_names.loose.setdefault(loose_key(alias), (alias, 0))

    def item(self, name: str | None, sheet: S.Sheet, row: int, column: str) -> str | None:
        if name is None:
            return None
        canonical = self.items.match(name)
        if canonical is None:
            alias = self.alias_names.match(name)
            canonical = self.aliases[alias] if alias is not None else None
        if canonical is None:
            near = self.items.near(name, self.log)
            hint_zh, hint_en = (f"；是否应为「{near}」？", f"; did you mean '{near}'?") if near else ("", "")
            self.log.error("unknown_item", f"未知项目「{show(name)}」（既非项目名称也非别名）{hint_zh}",
                           f"unknown item '{show(name)}' (neither an item name nor an alias){hint_en}", sheet, row,
                           column)
            return None
        self._loose(name, canonical, sheet, row, column)
        return canonical

    def region(self, name: str | None, sheet: S.Sheet, row: int, column: str,
               allow: Iterable[str] = ()) -> str | None:
        if name is None:
            return None
        if name in allow:
            return name
        canonical = self.regions.match(name)
        if canonical is None:
            near = self.regions.near(name, self.log)
            hint_zh, hint_en = (f"；是否应为「{near}」？", f"; did you mean '{near}'?") if near else ("", "")
            self.log.error("unknown_region", f"未知地区「{show(name)}」{hint_zh}",
                           f"unknown region '{show(name)}'{hint_en}",
                           sheet, row, column)
            return None
        self._loose(name, canonical, sheet, row, column)
        return canonical

    def _loose(self, name: str, canonical: str, sheet: S.Sheet, row: int, column: str) -> None:
        if name != canonical and name not in self.aliases:
            self.log.warn("name_matched_loosely",
                          f"「{show(name)}」按「{canonical}」读取（只差空格、全角/半角或大小写）",
                          f"'{show(name)}' read as '{canonical}' (differs only by spaces, width or case)",
                          sheet, row, column)


def _check_unique(rows: list[Row], keys: tuple[str, ...], sheet: S.Sheet, log: MessageLog) -> None:
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


# ------------------------------------------------------------------------------------------------ sheets

def _tiers(rows: list[Row] | None, log: MessageLog) -> dict[str, Tier]:
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
    if not rows:
        log.error("empty_sheet", "层级表没有任何层级（删除此表即使用默认的「基本 / 提升」）",
                  "the tier sheet defines no tier (delete it to use the default 基本 / 提升)", S.TIERS)
    return out


def _lookup(value: str, table: dict[str, Any]) -> Any:
    """A value from a small vocabulary: exactly, else ignoring width, case and spaces."""
    found = table.get(value)
    if found is None:
        key = loose_key(value)
        found = next((v for k, v in table.items() if loose_key(k) == key), None)
    return found


def _tier(value: str | None, tiers: dict[str, Tier], sheet: S.Sheet, row: int, log: MessageLog) -> Tier | None:
    if value is None:
        return None
    found = _lookup(value, tiers)
    if found is None:
        choices = " / ".join(dict.fromkeys(t.name for t in tiers.values()))
        log.error("bad_tier", f"「{show(value)}」不是已定义的层级（{choices}；新层级请在「层级」表中添加）",
                  f"'{show(value)}' is not a defined tier ({choices}; add new tiers on the 层级 sheet)",
                  sheet, row, sheet.column("tier").zh)
    return found


def _items(rows: list[Row], tiers: dict[str, Tier], log: MessageLog) -> list[Item]:
    _check_unique(rows, ("id",), S.ITEMS, log)
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


def _aliases(rows: list[Row], names: _Names, log: MessageLog) -> dict[str, str]:
    _check_unique(rows, ("alias",), S.ALIASES, log)
    aliases = {}
    column = S.ALIASES.column("name").zh
    for r, v in rows:
        if v.get("name") is None or not v.get("alias"):
            continue
        canonical = names.match(v["name"])
        if canonical is None:
            log.error("unknown_item", f"未知项目「{show(v['name'])}」", f"unknown item '{show(v['name'])}'",
                      S.ALIASES, r, column)
        elif names.match(v["alias"]) not in (None, canonical):
            log.error("ambiguous_alias", f"别名「{v['alias']}」本身是另一个项目的名称", f"the alias '{v['alias']}' is "
                      "itself the name of another item", S.ALIASES, r, S.ALIASES.column("alias").zh)
        else:
            aliases[v["alias"]] = canonical
    return aliases


def _regions(rows: list[Row], log: MessageLog) -> list[Region]:
    _check_unique(rows, ("id",), S.REGIONS, log)
    regions = []
    for r, v in rows:
        level = _enum(v.get("level"), S.LEVEL_VALUES, S.REGIONS, r, "level", log)
        if level is not None and v.get("id") and v.get("name"):
            regions.append(Region(v["id"], v["name"], level, v.get("note") or "", v.get("parent") or ""))
    _check_hierarchy(regions, {v["name"]: r for r, v in rows if v.get("name")}, log)
    return regions


def _enum(value: str | None, allowed: dict, sheet: S.Sheet, row: int, key: str, log: MessageLog):
    if value is None:
        return None
    found = _lookup(value, allowed)
    if found is None:
        choices = " / ".join(allowed)
        log.error(f"bad_{key}", f"「{show(value)}」不是允许的取值（{choices}）",
                  f"'{show(value)}' is not an allowed value ({choices})", sheet, row, sheet.column(key).zh)
    return found


_LEVEL_RANK = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2}


def _check_hierarchy(regions: list[Region], row_of: dict[str, int], log: MessageLog) -> None:
    """Every 上级 names a region of the sheet of a higher level (a county under a city or a province, a city
    under a province), following 上级 never comes back (no cycles), and no region has more than
    ``MAX_REGION_DEPTH`` levels above it. Linear in the number of regions: each is walked up once (a chain of
    20,000 read in milliseconds, not the quadratic minute of walking every chain from its start)."""
    parent = {x.name: x.parent for x in regions}
    level = {x.name: x.level for x in regions}
    column = S.REGIONS.column("parent").zh
    depth: dict[str, int] = {}  # levels above a region; -1 while on the walk in progress
    for region in regions:
        path: list[str] = []
        node = region.name
        while node in parent and node not in depth:
            depth[node] = -1
            path.append(node)
            node = parent[node]
        if node in depth and depth[node] == -1:  # came back to the walk in progress: a cycle through ``node``
            loop = path[path.index(node):]
            for name in loop:
                depth[name] = L.MAX_REGION_DEPTH + 1  # reported as a cycle, not again as too deep
            log.error("region_cycle", f"上级关系成环（经过「{show(node)}」，共 {len(loop)} 个地区）",
                      f"the 上级 chain loops (through '{show(node)}', {len(loop)} regions)", S.REGIONS,
                      row_of.get(node), column)
            path = path[:path.index(node)]
            base = L.MAX_REGION_DEPTH + 1
        else:
            base = depth.get(node, -1)  # the first known region above, or -1 past the top (or an unknown one)
        for name in reversed(path):
            base = min(base + 1, L.MAX_REGION_DEPTH + 2)
            depth[name] = base
            if base == L.MAX_REGION_DEPTH + 1:  # the first region past the limit on this branch
                log.error("hierarchy_too_deep",
                          f"「{show(name)}」之上有超过 {L.MAX_REGION_DEPTH} 层上级（省、市、县只需 3 层）："
                          "请检查「上级」列",
                          f"'{show(name)}' has more than {L.MAX_REGION_DEPTH} levels of parents above it (province, "
                          "city, county need 3): check the 上级 column", S.REGIONS, row_of.get(name), column)
    for region in regions:
        above = region.parent
        if above and log.full and (above not in parent or _LEVEL_RANK[level[above]] >= _LEVEL_RANK[region.level]):
            log.more_errors += 1  # counted, not phrased: 20,000 such rows cost a counter
        elif above and above not in parent:
            log.error("unknown_region", f"上级「{show(above)}」不在地区表中",
                      f"parent '{show(above)}' is not a region", S.REGIONS, row_of.get(region.name), column)
        elif above and _LEVEL_RANK[level[above]] >= _LEVEL_RANK[region.level]:
            log.error("bad_parent_level",
                      f"{LEVEL_ZH[region.level]}地区「{show(region.name)}」的上级「{show(above)}」是"
                      f"{LEVEL_ZH[level[above]]}：上级必须比本级高（县级在市级或省级之下，市级在省级之下）",
                      f"the {region.level.value} '{show(region.name)}' has the {level[above].value} "
                      f"'{show(above)}' as its parent: a parent must be of a higher level (a county under a city "
                      "or a province, a city under a province)", S.REGIONS, row_of.get(region.name), column)


def _matrix(book: Book, info: SheetInfo | None, regions: list[Region], resolve: _Resolver,
            log: MessageLog) -> tuple[dict[tuple[str, str], Cap], dict[str, int] | None]:
    """The capability matrix (one row per region, one column per item, by name or alias) and the row of each
    region; None for the rows when the sheet is absent or unusable."""
    if info is None:
        return {}, None
    stream = SheetStream(book, info, log)
    region_col = S.MATRIX.columns[0]
    wanted = {S.normalise_header(region_col.zh), S.normalise_header(region_col.key)}
    first = next((i for i, h in sorted(stream.header.items()) if S.normalise_header(h) in wanted), None)
    if first is None:
        hint_zh, hint_en = header_hint(stream, S.MATRIX)
        log.error("missing_column", f"缺少列「{region_col.zh}」（{region_col.key}）{hint_zh}",
                  f"missing column '{region_col.zh}' ({region_col.key}){hint_en}", S.MATRIX, 1, region_col.zh)
        return {}, None
    item_cols: dict[int, str] = {}
    seen_items: dict[str, str] = {}
    for idx, header in sorted(stream.header.items()):
        if idx == first:
            continue
        text, note = clean_text(header)
        log.note(note, S.MATRIX, 1, column_letter(idx))
        name = resolve.item(text, S.MATRIX, 1, column_letter(idx))
        if name is None:
            continue
        if name in seen_items:
            log.error("duplicate_column", f"项目「{name}」出现两次（另见列「{seen_items[name]}」）",
                      f"item '{name}' appears twice (see also column '{seen_items[name]}')",
                      S.MATRIX, 1, str(header))
            continue
        seen_items[name] = str(header)
        item_cols[idx] = name
    for name in sorted(resolve.items.exact - set(item_cols.values())):
        log.error("missing_column", f"缺少项目列「{name}」", f"missing item column '{name}'", S.MATRIX, 1, name)

    matrix: dict[tuple[str, str], Cap] = {}
    seen_rows: dict[str, int] = {}
    allowed = " / ".join(S.MATRIX_VALUES)
    values = S.MATRIX_VALUES
    column_label = {idx: str(stream.header[idx]) for idx in item_cols}
    data_rows = 0
    for r, cells in stream.data(set(stream.header)):
        data_rows += 1
        cell = cells.get(first)
        if blank(cell) and all(blank(cells.get(idx)) for idx in item_cols):
            continue
        if blank(cell):
            stream.blank_error(r, first, region_col.zh)
            continue
        text, note = clean_text(cell)
        log.note(note, S.MATRIX, r, region_col.zh)
        region = resolve.region(text, S.MATRIX, r, region_col.zh)
        if region is None:
            continue
        if region in seen_rows:
            log.error("duplicate_row", f"与第 {seen_rows[region]} 行重复（{region}）",
                      f"duplicates row {seen_rows[region]} ({region})", S.MATRIX, r, region_col.zh)
            continue
        seen_rows[region] = r
        for idx, item in item_cols.items():
            raw = cells.get(idx)
            flag = values.get(raw) if isinstance(raw, str) else None  # the fast path: an exact state
            if flag is None:
                if blank(raw):
                    stream.blank_error(r, idx, column_label[idx])
                    continue
                flag = _lookup(str(raw), values)
                if flag is None:
                    log.error("bad_matrix_value", f"「{show(raw)}」不是允许的取值（{allowed}）",
                              f"'{show(raw)}' is not an allowed value ({allowed})", S.MATRIX, r, column_label[idx])
                    continue
                log.warn("normalised_value", f"「{show(raw)}」按「{CAP_ZH[flag]}」读取",
                         f"'{show(raw)}' read as '{CAP_ZH[flag]}'", S.MATRIX, r, column_label[idx])
            matrix[(region, item)] = flag
    stream.finish()
    if not data_rows:
        log.error("empty_matrix", "能力矩阵没有任何地区行：没有可规划的内容",
                  "the capability matrix has no region rows: "
                  "there is nothing to plan", S.MATRIX, 2, region_col.zh)
    for region in regions:
        if region.level == Level.COUNTY and region.name not in seen_rows and seen_rows and not log.has_errors:
            log.error("no_matrix_row",
                      f"县级地区「{region.name}」在能力矩阵中没有行（每个县都要有一行，否则不会为其排程）",
                      f"county '{region.name}' has no row in the matrix (every county needs one, else it would not "
                      "be planned)", S.MATRIX, None, region_col.zh)
    return matrix, seen_rows


def _check_upgrades(matrix: dict[tuple[str, str], Cap], items: list[Item], log: MessageLog) -> None:
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


def _counts(rows: list[Row], tiers: dict[str, Tier], resolve: _Resolver, log: MessageLog) -> list[PublishedCount]:
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


def _targets(rows: list[Row], tiers: dict[str, Tier], resolve: _Resolver, regions: list[Region],
             log: MessageLog) -> list[Target]:
    """The 目标 sheet: each row a target of one kind, its scope a region (and every region below it)."""
    _check_unique(rows, ("id",), S.TARGETS, log)
    col = {c.key: c.zh for c in S.TARGETS.columns}
    out = []
    for r, v in rows:
        kind = _enum(v.get("kind"), S.TARGET_KINDS, S.TARGETS, r, "kind", log)
        scope = resolve.region(v.get("scope"), S.TARGETS, r, col["scope"])
        tier = _tier(v.get("tier"), tiers, S.TARGETS, r, log) if v.get("tier") else None
        level = _enum(v.get("level"), S.LEVEL_VALUES, S.TARGETS, r, "level", log) if v.get("level") else None
        flags = {key: _enum(v.get(key), S.YES_NO, S.TARGETS, r, key, log) if v.get(key) else None
                 for key in ("per_region", "include_higher")}
        hard = _enum(v.get("hard"), S.HARD_SOFT, S.TARGETS, r, "hard", log) if v.get("hard") else None
        needs = {TargetKind.DEADLINE: ("tier", tier), TargetKind.COVERAGE: ("share_pct", v.get("share_pct")),
                 TargetKind.COUNT: ("count", v.get("count"))}
        if kind is not None and needs[kind][1] is None and v.get(needs[kind][0]) is None:
            name = col[needs[kind][0]]
            log.error("blank_value", f"「{S.TARGET_KIND_ZH[kind]}」目标须填「{name}」",
                      f"a {kind.value} target needs '{name}'", S.TARGETS, r, name)
            continue
        share = v.get("share_pct")
        if kind == TargetKind.COVERAGE and share is not None and 0 < share <= 1:
            log.warn("share_looks_like_fraction",
                     f"覆盖率 {share:g}% 很低：若指 {share * 100:g}%，请填 {share * 100:g}",
                     f"coverage {share:g}% is very low: if {share * 100:g}% is meant, enter {share * 100:g}",
                     S.TARGETS, r, col["share_pct"])
        if None in (kind, scope, v.get("by"), v.get("id")) or (v.get("tier") and tier is None):
            continue
        out.append(Target(v["id"], kind, scope, v["by"], tier, None if share is None else share / 100,
                          v.get("count"), level, bool(flags["per_region"]), bool(flags["include_higher"]), hard,
                          v.get("source") or "", v.get("note") or ""))
    return out


def _check_target_scopes(targets: list[Target], regions: list[Region], matrix: dict[tuple[str, str], Cap],
                         items: list[Item], rows: list[Row], log: MessageLog) -> None:
    """A target whose scope holds no region it can count (none with a matrix row, of the level it names), or a
    coverage target over no applicable item, would be reported "met" at 0/0: an error on its row when the target is
    hard, else a warning (the plan reports it not countable)."""
    row_of = {v.get("id"): r for r, v in rows if v.get("id")}
    children: dict[str, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent, []).append(region)
    named = {r for r, _ in matrix}
    level = {r.name: r.level for r in regions}
    column = S.TARGETS.column("scope").zh
    for target in targets:
        scope, stack = [], [target.scope]
        while stack:  # the scope and every region below it (the hierarchy is checked acyclic and shallow)
            name = stack.pop()
            scope.append(name)
            stack.extend(c.name for c in children.get(name, ()) if c.name != target.scope)
        counted = [r for r in scope if r in named and (target.level is None or level.get(r) == target.level)]
        level_zh = f"{LEVEL_ZH[target.level]}" if target.level else ""
        level_en = f" {target.level.value}" if target.level else ""
        # a hard target that cannot be checked is an error; any other is reported "not countable" in the plan
        # (its regions named), with this warning on its row
        report = log.error if target.hard else log.warn
        if not counted:
            report("empty_target_scope",
                      f"目标「{show(target.id)}」的范围「{show(target.scope)}」内没有能力矩阵中的{level_zh}地区，"
                      "无法计算（请检查范围和地区层级）",
                      f"target '{show(target.id)}': its scope '{show(target.scope)}' holds no{level_en} region with "
                      "a row in the capability matrix, so it cannot be checked (check the scope and level)",
                      S.TARGETS, row_of.get(target.id), column)
            continue
        if target.kind == TargetKind.COVERAGE:
            tier_items = [i.name for i in items if target.tier is None or i.tier == target.tier]
            if not any(matrix.get((r, i)) not in (None, Cap.NA) for r in counted for i in tier_items):
                report("empty_target_scope",
                          f"目标「{show(target.id)}」的范围「{show(target.scope)}」内没有适用的项目（全部为「不适用」"
                          "或该层级没有项目），覆盖率无从计算",
                          f"target '{show(target.id)}': no item applies in its scope '{show(target.scope)}' (all "
                          "不适用, or its tier has no items), so coverage cannot be computed", S.TARGETS,
                          row_of.get(target.id), column)


def _baseline_date(assumptions: list[Assumption]) -> date | None:
    """The date the capability matrix describes (假设 ``baseline_date``, e.g. the notice's 2023-08-20), if given."""
    for a in assumptions:
        if a.key == BASELINE_DATE and a.value:
            try:
                return parse_date(a.value)[0]
            except CellProblem:
                return None
    return None


def _not_scheduled(rows: dict[str, list[int]], sheet: S.Sheet, log: MessageLog) -> None:
    """Rows naming a region that has no matrix row would silently not be used: one error per region."""
    for region, at in rows.items():
        more_zh, more_en = (f"（共 {len(at)} 行）", f" ({len(at)} rows)") if len(at) > 1 else ("", "")
        log.error("region_not_in_matrix", f"地区「{region}」在能力矩阵中没有行，这里的数据不会被使用{more_zh}："
                  "请在能力矩阵中补充该地区，或删除这些行",
                      f"region '{region}' has no row in the capability matrix, so "
                  f"this data would not be used{more_en}: add the region to the matrix or delete the rows",
                  sheet, at[0], sheet.column("region").zh)


def _budgets(rows: list[Row], resolve: _Resolver, scheduled: set[str] | None,
             log: MessageLog) -> dict[tuple[str, int], float]:
    column = S.BUDGETS.column("region").zh
    out: dict[tuple[str, int], float] = {}
    seen: dict[tuple[str, int], int] = {}
    unused: dict[str, list[int]] = {}
    for r, v in rows:
        region = resolve.region(v.get("region"), S.BUDGETS, r, column)
        if region is None or v.get("year") is None:
            continue
        key = (region, v["year"])
        if key in seen:
            log.error("duplicate_row", f"与第 {seen[key]} 行重复（{region} / {v['year']}）",
                      f"duplicates row {seen[key]} ({region} / {v['year']})", S.BUDGETS, r,
                      S.BUDGETS.column("year").zh)
            continue
        seen[key] = r
        if scheduled is not None and region not in scheduled:
            unused.setdefault(region, []).append(r)
        elif v.get("budget_wan") is not None:
            out[key] = v["budget_wan"]
    _not_scheduled(unused, S.BUDGETS, log)
    return out


def _actuals(rows: list[Row], resolve: _Resolver, matrix: dict[tuple[str, str], Cap], scheduled: set[str] | None,
             log: MessageLog, baseline: date | None = None,
             today: date | None = None) -> tuple[dict[tuple[str, str], date], dict[tuple[str, str], str]]:
    """Completion dates reported later (配置到位), and their evidence (文号 / 来源) where given.

    A date after today is an error (a completion is reported once it happened); a date before the matrix's
    ``baseline`` (假设 baseline_date) for a gap that matrix lists as 缺失 / 需升级 is an error too (the two
    contradict each other, and the gap would silently vanish); a date for a 不适用 cell is read with a note."""
    today = today or date.today()
    out, evidence = {}, {}
    date_col = S.ACTUALS.column("completed_on").zh
    unused: dict[str, list[int]] = {}
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
        if scheduled is not None and region not in scheduled:
            unused.setdefault(region, []).append(r)
            continue
        done, state = v["completed_on"], matrix.get((region, item))
        if done > today:
            log.error("actual_in_future", f"完成日期 {done.isoformat()} 晚于今天（{today.isoformat()}）：只能填写已经"
                      "完成的日期", f"the completion date {done.isoformat()} is after today ({today.isoformat()}): "
                      "only a completion that has happened can be reported", S.ACTUALS, r, date_col)
            continue
        if baseline is not None and done < baseline and state in (Cap.LACKS, Cap.UPGRADE):
            log.error("actual_before_baseline",
                      f"完成日期 {done.isoformat()} 早于能力矩阵的基准日期 {baseline.isoformat()}，而矩阵列出"
                      f"{region}「{item}」为「{CAP_ZH[state]}」：两者矛盾（请更正日期，或把矩阵改为「已具备」）",
                      f"the completion date {done.isoformat()} is before the matrix's baseline date "
                      f"{baseline.isoformat()}, yet the matrix lists {region} '{item}' as '{CAP_ZH[state]}': they "
                      "contradict each other (correct the date, or mark the cell 已具备)", S.ACTUALS, r, date_col)
            continue
        if state == Cap.NA:
            log.warn("actual_for_not_applicable", f"能力矩阵中 {region}「{item}」为「不适用」，此完成日期不影响计划",
                     f"the matrix marks {region} '{item}' as not applicable (不适用); this date does not change the "
                     "plan", S.ACTUALS, r, S.ACTUALS.column("item").zh)
        if state == Cap.HAS:
            log.warn("actual_for_existing", f"{region} 在基准时已具备「{item}」，此完成日期不影响计划",
                     f"{region} already had '{item}' at baseline; this date does not change the plan",
                     S.ACTUALS, r, S.ACTUALS.column("item").zh)
        out[(region, item)] = v["completed_on"]
        if v.get("source"):
            evidence[(region, item)] = v["source"]
    _not_scheduled(unused, S.ACTUALS, log)
    return out, evidence


def _share_groups(rows: list[Row], resolve: _Resolver, items: list[Item], log: MessageLog) -> list[ShareGroup]:
    _check_unique(rows, ("name",), S.SHARE_GROUPS, log)
    capex = {i.name: i.capex_wan for i in items}
    out = []
    col = S.SHARE_GROUPS.column("items").zh
    for r, v in rows:
        if not v.get("items") or v.get("saving_wan") is None:
            continue
        members = [resolve.item(n, S.SHARE_GROUPS, r, col) for n in _split_list(v["items"])]
        if None in members:
            continue
        if len(set(members)) < 2:
            log.error("short_group", "共用组至少要有两个不同的项目", "a share group needs at least two different items",
                      S.SHARE_GROUPS, r, col)
            continue
        total = sum(capex.get(m, 0.0) for m in dict.fromkeys(members))  # type: ignore[arg-type]
        if v["saving_wan"] > total and all(m in capex for m in members):
            log.error("saving_too_large", f"节省 {v['saving_wan']:g} 万元超过组内项目建设投资之和 {total:g} 万元",
                      f"the saving of {v['saving_wan']:g} 万元 exceeds the members' total capex of {total:g} 万元",
                      S.SHARE_GROUPS, r, S.SHARE_GROUPS.column("saving_wan").zh)
            continue
        out.append(ShareGroup(v["name"], tuple(dict.fromkeys(members)), v["saving_wan"],  # type: ignore[arg-type]
                              v.get("note") or ""))
    return out


def _split_list(text: str) -> list[str]:
    for sep in S.LIST_SEPARATORS[1:]:
        text = text.replace(sep, S.LIST_SEPARATORS[0])
    return [p.strip() for p in text.split(S.LIST_SEPARATORS[0]) if p.strip()]
