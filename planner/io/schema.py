"""The capability workbook's format: sheets and columns, Chinese headers with English keys.

One table here serves the reader, the validator, the writer and the README; nothing else names a header.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from planner.domain import BASIC, UPGRADED, Cap, Level, TargetKind, Tier
from planner.io import limits as L
from planner.io.cells import ZERO_WIDTH


@dataclass(frozen=True)
class Column:
    key: str  # English key, also accepted as a header
    zh: str  # Chinese header, written by the tool
    kind: str = "text"  # text (a name or code: cleaned) | note (free text) | number | int | date
    required: bool = True  # the column must be present
    blank_ok: bool = False  # a present column may have blank cells
    width: int = 14
    lo: float = 0.0  # bounds of a number / int column
    hi: float = L.MAX_AMOUNT_WAN
    unit: str = ""

    @property
    def header(self) -> str:
        return self.zh


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = True
    note: str = ""

    @property
    def name(self) -> str:
        return self.zh

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


ASSUMPTION_LABEL = "示例假设"  # marks a figure the seeds do not give
SOURCE_LABEL = "来源数据"

ITEMS = Sheet("items", "项目", (
    Column("id", "编号", width=8),
    Column("name", "名称", width=40),
    Column("tier", "层级", width=8),
    Column("deadline", "截止日期", "date", blank_ok=True, width=12),  # blank: the tier's deadline
    Column("capex_wan", "建设投资（万元）", "number", unit="万元"),
    Column("opex_wan", "年运行费（万元）", "number", unit="万元"),
    Column("lead_quarters", "建设周期（季度）", "int", hi=L.MAX_LEAD_QUARTERS, unit="季度"),
    Column("priority", "优先级", "number", required=False, blank_ok=True, width=8, lo=L.MIN_PRIORITY,
           hi=L.MAX_PRIORITY),
    Column("service_fee_wan", "共享年服务费（万元）", "number", required=False, blank_ok=True, unit="万元"),
    Column("basis", "数据性质", "note", required=False, blank_ok=True, width=10),
    Column("note", "假设理由", "note", required=False, blank_ok=True, width=50),
    Column("upgrade_capex_wan", "升级投资（万元）", "number", required=False, blank_ok=True, unit="万元"),
    Column("upgrade_lead_quarters", "升级周期（季度）", "int", required=False, blank_ok=True,
           hi=L.MAX_LEAD_QUARTERS, unit="季度"),
))
TIERS = Sheet("tiers", "层级", (
    Column("name", "名称", width=10),
    Column("key", "英文名", required=False, blank_ok=True, width=12),
    Column("deadline", "截止日期", "date", width=12),
    Column("note", "说明", "note", required=False, blank_ok=True, width=60),
), required=False, note="每个层级一行：名称与截止日期；项目表的「层级」列引用这里的名称")
ALIASES = Sheet("aliases", "别名", (
    Column("alias", "别名", width=20),
    Column("name", "标准名称", width=40),
), required=False)
REGIONS = Sheet("regions", "地区", (
    Column("id", "编号", width=10),
    Column("name", "名称", width=10),
    Column("level", "层级", width=8),
    Column("note", "说明", "note", required=False, blank_ok=True, width=70),
    Column("parent", "上级", required=False, blank_ok=True, width=10),
))
# The matrix is wide: a 地区 column, then one column per item (its name or alias).
MATRIX = Sheet("matrix", "能力矩阵", (Column("region", "地区", width=8),),
               note="每个县一行，每个项目一列：已具备 / 缺失")
COUNTS = Sheet("counts", "公布数", (
    Column("tier", "层级", width=8),
    Column("region", "地区", width=8),
    Column("required", "要求总数", "int", blank_ok=True, hi=L.MAX_COUNT),
    Column("completed", "已完成", "int", blank_ok=True, hi=L.MAX_COUNT),
    Column("pending", "待完成", "int", blank_ok=True, hi=L.MAX_COUNT),
    Column("printed", "原文", "note", required=False, blank_ok=True, width=22),
    Column("note", "说明", "note", required=False, blank_ok=True, width=60),
), required=False)
BUDGETS = Sheet("budgets", "预算", (
    Column("region", "地区", width=8),
    Column("year", "年份", "int", width=8, lo=L.MIN_YEAR, hi=L.MAX_YEAR),
    Column("budget_wan", "预算（万元）", "number", unit="万元"),
    Column("basis", "数据性质", "note", required=False, blank_ok=True, width=10),
    Column("note", "说明", "note", required=False, blank_ok=True, width=40),
), required=False)
ACTUALS = Sheet("actuals", "实际完成", (
    Column("region", "地区", width=8),
    Column("item", "项目", width=40),
    Column("completed_on", "完成日期", "date", width=12),
    Column("source", "来源", "note", required=False, blank_ok=True, width=40),
), required=False)
SHARE_GROUPS = Sheet("share_groups", "共用组", (
    Column("name", "组名", width=10),
    Column("items", "项目", width=60),
    Column("saving_wan", "节省（万元）", "number", unit="万元"),
    Column("basis", "数据性质", "note", required=False, blank_ok=True, width=10),
    Column("note", "说明", "note", required=False, blank_ok=True, width=40),
), required=False)
ASSUMPTIONS = Sheet("assumptions", "假设", (
    Column("key", "键", width=18),
    Column("value", "值", "note", blank_ok=True, width=14),
    Column("unit", "单位", "note", required=False, blank_ok=True, width=18),
    Column("note", "说明", "note", required=False, blank_ok=True, width=80),
), required=False)
SOURCES = Sheet("sources", "来源", (
    Column("id", "编号", width=6),
    Column("title", "标题", "note", width=50),
    Column("reference", "出处", "note", required=False, blank_ok=True, width=30),
    Column("note", "说明", "note", required=False, blank_ok=True, width=70),
), required=False)

TARGETS = Sheet("targets", "目标", (
    Column("id", "编号", width=8),
    Column("kind", "类型", width=10),
    Column("scope", "范围", width=10),
    Column("by", "截止日期", "date", width=12),
    Column("tier", "层级", required=False, blank_ok=True, width=8),
    Column("share_pct", "覆盖率（%）", "number", required=False, blank_ok=True, width=10, hi=100.0, unit="%"),
    Column("count", "数量（项）", "int", required=False, blank_ok=True, width=10, hi=L.MAX_COUNT, unit="项"),
    Column("level", "地区层级", required=False, blank_ok=True, width=10),
    Column("per_region", "逐个地区", required=False, blank_ok=True, width=8),
    Column("include_higher", "上级可计入", required=False, blank_ok=True, width=10),
    Column("hard", "约束", required=False, blank_ok=True, width=8),
    Column("source", "来源", "note", width=50),
    Column("note", "说明", "note", required=False, blank_ok=True, width=50),
), required=False, note="每个目标一行，引用其出处原文：层级期限 / 覆盖率 / 数量")

INPUT_SHEETS = (TIERS, ITEMS, ALIASES, REGIONS, MATRIX, COUNTS, BUDGETS, ACTUALS, SHARE_GROUPS, TARGETS, ASSUMPTIONS,
                SOURCES)

HAS, LACKS, UPGRADE, NA = "已具备", "缺失", "需升级", "不适用"
MATRIX_VALUES = {HAS: Cap.HAS, LACKS: Cap.LACKS, UPGRADE: Cap.UPGRADE, NA: Cap.NA,
                 "has": Cap.HAS, "lacks": Cap.LACKS, "upgrade": Cap.UPGRADE, "na": Cap.NA, "n/a": Cap.NA}
# A workbook without a 层级 sheet may use Nantong's two tiers by these names.
DEFAULT_TIERS: dict[str, Tier] = {"基本": BASIC, "基本能力": BASIC, "basic": BASIC,
                                  "提升": UPGRADED, "提升能力": UPGRADED, "upgraded": UPGRADED}
LEVEL_VALUES = {"省级": Level.PROVINCE, "province": Level.PROVINCE, "市级": Level.CITY, "city": Level.CITY,
                "县级": Level.COUNTY, "county": Level.COUNTY}
TARGET_KINDS = {"层级期限": TargetKind.DEADLINE, "deadline": TargetKind.DEADLINE, "覆盖率": TargetKind.COVERAGE,
                "coverage": TargetKind.COVERAGE, "数量": TargetKind.COUNT, "count": TargetKind.COUNT}
TARGET_KIND_ZH = {TargetKind.DEADLINE: "层级期限", TargetKind.COVERAGE: "覆盖率", TargetKind.COUNT: "数量"}
YES_NO = {"是": True, "否": False, "yes": True, "no": False, "true": True, "false": False, "y": True, "n": False}
HARD_SOFT = {"硬": True, "硬约束": True, "hard": True, "软": False, "软约束": False, "soft": False}
TOTAL_ROW = "合计"  # the counts table's total row
LIST_SEPARATORS = ("；", ";")  # not 、 or ,: item names contain them


def normalise_header(text: object) -> str:
    """Sheet names and headers compare without case, spaces of any kind (zero-width included), full- or
    half-width forms, and ``_`` / ``-`` (``Capex-Wan`` is ``capex_wan``)."""
    s = unicodedata.normalize("NFKC", str(text or "")).translate(ZERO_WIDTH).casefold()
    return "".join(s.replace("_", "").replace("-", "").split())


def strip_unit(header: str) -> str:
    """A normalised header without its bracketed unit: ``预算(万元)`` -> ``预算`` (to catch a unit typo)."""
    return header.split("(")[0]
