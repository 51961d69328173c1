"""The shipped workbook transcribes seed 001's annex (通政发〔2023〕17号附件) faithfully.

The expected figures and item lists below are written out by hand from the annex, independently of
data/nantong_source.toml; the last tests also parse the seed file itself when it is available.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from planner.domain import BASIC, UPGRADED, Dataset, Level, Tier
from planner.io.counts import computed_totals, published, tier_status

BASIC_ITEMS = [
    "玻璃体温计", "衡器", "燃油加油机", "水表", "膜式燃气表", "无创自动测量血压计", "血压计",
    "弹性元件式一般压力表、压力表真空表和真空表", "弹性元件式精密压力表和真空表", "出租汽车计价器（使用）",
    "出租汽车计价器（本机）", "单相电能表", "心电图机",
]
UPGRADED_ITEMS = [
    "红外耳温计", "医用电子体温计", "谷物容重器", "数字心电图机", "医用诊断X射线辐射源", "验光镜片箱",
    "验光仪/综合验光仪", "三相电能表", "电动汽车交（直）流充电桩",
]
REGIONS = ["市级", "海安", "如皋", "如东", "启东", "通州", "海门"]
COUNTIES = REGIONS[1:]

# (required, completed, pending) per region, as printed in the annex.
BASIC_COUNTS = {"市级": (37, 37, 0), "海安": (13, 13, 0), "如皋": (13, 10, 3), "如东": (13, 12, 1),
                "启东": (13, 10, 3), "通州": (13, 7, 6), "海门": (13, 10, 3)}
UPGRADED_COUNTS = {"市级": (11, 5, 6), "海安": (9, 2, 7), "如皋": (9, 1, 8), "如东": (9, 0, 9),
                   "启东": (9, 0, 9), "通州": (9, 1, 8), "海门": (9, 1, 8)}

# The basic note names what each county LACKS (short names resolved: 电能表→单相电能表,
# 精密压力表→弹性元件式精密压力表和真空表, 体温计→玻璃体温计, 燃气表→膜式燃气表).
BASIC_MISSING = {
    "海安": set(),
    "如皋": {"单相电能表", "弹性元件式精密压力表和真空表", "出租汽车计价器（本机）"},
    "如东": {"出租汽车计价器（本机）"},
    "启东": {"膜式燃气表", "单相电能表", "弹性元件式精密压力表和真空表"},
    "通州": {"玻璃体温计", "心电图机", "水表", "膜式燃气表", "单相电能表", "出租汽车计价器（本机）"},
    "海门": {"心电图机", "单相电能表", "出租汽车计价器（本机）"},
}
# The upgraded note names what counties HAVE; everything else is missing.
UPGRADED_PRESENT = {
    "海安": {"医用诊断X射线辐射源", "谷物容重器"},
    "如皋": {"医用诊断X射线辐射源"},
    "如东": set(),
    "启东": set(),
    "通州": {"医用诊断X射线辐射源"},
    "海门": {"医用诊断X射线辐射源"},
}
UPGRADED_MISSING = {c: set(UPGRADED_ITEMS) - have for c, have in UPGRADED_PRESENT.items()}
MISSING = {BASIC: BASIC_MISSING, UPGRADED: UPGRADED_MISSING}
COUNTS = {BASIC: BASIC_COUNTS, UPGRADED: UPGRADED_COUNTS}
NOTE_ALIASES = {"电能表": "单相电能表", "精密压力表": "弹性元件式精密压力表和真空表", "体温计": "玻璃体温计",
                "燃气表": "膜式燃气表"}


# ----------------------------------------------------------------------------------------- items, regions

def test_twenty_two_items_verbatim_in_annex_order(nantong: Dataset) -> None:
    assert len(nantong.items) == 22
    assert [i.name for i in nantong.items_of(BASIC)] == BASIC_ITEMS
    assert [i.name for i in nantong.items_of(UPGRADED)] == UPGRADED_ITEMS
    assert len({i.id for i in nantong.items}) == 22


def test_deadlines_by_tier(nantong: Dataset) -> None:
    assert {i.deadline for i in nantong.items_of(BASIC)} == {date(2024, 12, 31)}
    assert {i.deadline for i in nantong.items_of(UPGRADED)} == {date(2025, 12, 31)}


def test_regions_city_and_six_counties(nantong: Dataset) -> None:
    assert [r.name for r in nantong.regions] == REGIONS
    assert nantong.region("市级").level == Level.CITY
    assert all(nantong.region(c).level == Level.COUNTY for c in COUNTIES)
    assert [r.name for r in nantong.matrix_regions] == COUNTIES


def test_matrix_complete_for_counties_and_absent_for_city(nantong: Dataset) -> None:
    all_items = BASIC_ITEMS + UPGRADED_ITEMS
    assert set(nantong.matrix) == {(c, i) for c in COUNTIES for i in all_items}
    assert not any(region == "市级" for region, _ in nantong.matrix)


def test_note_aliases_resolve(nantong: Dataset) -> None:
    for alias, name in NOTE_ALIASES.items():
        assert nantong.aliases[alias] == name
        assert nantong.item(alias).name == name


# ----------------------------------------------------------------------------------------- counts tables

@pytest.mark.parametrize("tier", [BASIC, UPGRADED])
@pytest.mark.parametrize("region", REGIONS)
def test_region_row_matches_annex(nantong: Dataset, tier: Tier, region: str) -> None:
    expected = COUNTS[tier][region]
    pub = published(nantong, region, tier)
    assert pub is not None
    assert (pub.required, pub.completed, pub.pending) == expected
    st = tier_status(nantong, region, tier)  # from the matrix for counties, as published for the city
    assert (st["required"], st["completed"], st["pending"]) == expected


def test_computed_totals(nantong: Dataset) -> None:
    assert computed_totals(nantong, BASIC) == {"required": 115, "completed": 99, "pending": 16}
    assert computed_totals(nantong, UPGRADED) == {"required": 65, "completed": 10, "pending": 55}


def test_published_totals_kept_as_printed(nantong: Dataset) -> None:
    basic = published(nantong, "合计", BASIC)
    upgraded = published(nantong, "合计", UPGRADED)
    assert basic is not None and upgraded is not None
    assert (basic.required, basic.completed, basic.pending) == (115, 98, None)
    assert (upgraded.required, upgraded.completed, upgraded.pending) == (65, 10, 55)


def test_warnings_report_the_98_and_the_unnamed_city_items(nantong: Dataset) -> None:
    by_code = {}
    for w in nantong.warnings:
        by_code.setdefault(w.code, []).append(w)
    # Nothing else: in particular no county row disagrees with the matrix (count_mismatch).
    assert set(by_code) == {"total_mismatch", "total_not_printed", "unnamed_items"}
    (mismatch,) = by_code["total_mismatch"]
    assert "98" in mismatch.zh and "99" in mismatch.zh and "98" in mismatch.en and "99" in mismatch.en
    assert mismatch.sheet == "公布数"
    (not_printed,) = by_code["total_not_printed"]
    assert "16" in not_printed.en
    (unnamed,) = by_code["unnamed_items"]
    assert "市级" in unnamed.zh and "37/37/0" in unnamed.zh and "11/5/6" in unnamed.zh


# ----------------------------------------------------------------------------------------- matrix / gaps

@pytest.mark.parametrize("tier", [BASIC, UPGRADED])
@pytest.mark.parametrize("county", COUNTIES)
def test_county_missing_items(nantong: Dataset, tier: Tier, county: str) -> None:
    st = tier_status(nantong, county, tier)
    assert st["named"] is True
    assert set(st["missing"]) == MISSING[tier][county]
    names = BASIC_ITEMS if tier == BASIC else UPGRADED_ITEMS
    assert set(st["present"]) == set(names) - MISSING[tier][county]


def test_city_lists_no_items(nantong: Dataset) -> None:
    for tier in (BASIC, UPGRADED):
        st = tier_status(nantong, "市级", tier)
        assert st["named"] is False
        assert st["missing"] == [] and st["present"] == []


def test_gap_counts(nantong: Dataset) -> None:
    gaps = nantong.gaps()
    basic = {(r, i) for r, i in gaps if nantong.item(i).tier == BASIC}
    upgraded = {(r, i) for r, i in gaps if nantong.item(i).tier == UPGRADED}
    assert len(gaps) == len(set(gaps)) == 65
    assert basic == {(c, i) for c, items in BASIC_MISSING.items() for i in items}
    assert upgraded == {(c, i) for c, items in UPGRADED_MISSING.items() for i in items}
    assert (len(basic), len(upgraded)) == (16, 49)


# ----------------------------------------------------------------------------------------- the seed itself

SEED_NAME = "001_b9bbb1cf6e5c88e1.txt"


def _seed_file(repo_root: Path) -> Path | None:
    """The seed beside the repository: ../shared/seeds (CI and this machine); None in other checkouts."""
    for base in (repo_root.parent / "shared" / "seeds", repo_root / "shared" / "seeds"):
        if (base / SEED_NAME).is_file():
            return base / SEED_NAME
    return None


@pytest.fixture(scope="module")
def seed_lines(repo_root: Path) -> list[str]:
    path = _seed_file(repo_root)
    if path is None:
        pytest.skip(f"seed {SEED_NAME} not found in ../shared/seeds beside the repository")
    return path.read_text(encoding="utf-8").splitlines()


def _seed_tables(lines: list[str]) -> dict[Tier, dict]:
    """Per tier: the circled item list, the region rows (region -> ints) and the note under the table."""
    out: dict[Tier, dict] = {t: {"items": [], "rows": {}, "note": ""} for t in (BASIC, UPGRADED)}
    tier = None
    for line in lines:
        if line.startswith("基本能力名称"):
            tier = BASIC
            continue
        if line.startswith("提升能力名称"):
            tier = UPGRADED
            continue
        if tier is None:
            continue
        if line.startswith("注："):
            out[tier]["note"] = line
            continue
        fields = line.split("\t")
        if "①" in fields[0]:
            out[tier]["items"] = [p for p in re.split(r"[①-⑳]", fields[0]) if p]
        region = next((f for f in fields if f in REGIONS or f == "合计"), None)
        if region is not None:
            after = fields[fields.index(region) + 1:]
            out[tier]["rows"][region] = [int(f) for f in after if f.strip()]
    return out


def _take_names(text: str, vocabulary: set[str]) -> list[str]:
    """Split a 、-separated list of item names; names themselves may contain 、, so match the longest known."""
    names = []
    while text:
        name = max((n for n in vocabulary if text.startswith(n)), key=len, default=None)
        assert name is not None, f"unrecognised item name at: {text}"
        names.append(name)
        text = text[len(name):].removeprefix("、")
    return names


def _seed_basic_missing(note: str) -> dict[str, set[str]]:
    body = note.split("：", 2)[-1].rstrip("。")
    vocabulary = set(BASIC_ITEMS) | set(NOTE_ALIASES)
    out = {c: set() for c in COUNTIES}
    for clause in body.split("；"):
        m = re.fullmatch(r"(\w{2})缺失(.+?)(\d+)项", clause)
        assert m, clause
        names = [NOTE_ALIASES.get(n, n) for n in _take_names(m.group(2), vocabulary)]
        assert len(names) == int(m.group(3)), clause  # the note's own count agrees with its list
        out[m.group(1)] = set(names)
    return out


def _seed_upgraded_present(note: str) -> dict[str, set[str]]:
    body = note.split("：", 2)[-1].rstrip("。")
    out = {c: set() for c in COUNTIES}
    for clause in body.split("，"):
        m = re.fullmatch(r"(.+?)具备(.+?)检定能力", clause)
        assert m, clause
        (item,) = _take_names(m.group(2), set(UPGRADED_ITEMS))
        for county in m.group(1).split("、"):
            out[county].add(item)
    return out


def test_seed_item_lists_match_workbook(seed_lines: list[str], nantong: Dataset) -> None:
    tables = _seed_tables(seed_lines)
    assert tables[BASIC]["items"] == [i.name for i in nantong.items_of(BASIC)] == BASIC_ITEMS
    assert tables[UPGRADED]["items"] == [i.name for i in nantong.items_of(UPGRADED)] == UPGRADED_ITEMS


@pytest.mark.parametrize("tier", [BASIC, UPGRADED])
def test_seed_count_rows_match_workbook(seed_lines: list[str], nantong: Dataset, tier: Tier) -> None:
    rows = _seed_tables(seed_lines)[tier]["rows"]
    assert set(rows) == set(REGIONS) | {"合计"}
    for region in REGIONS:
        pub = published(nantong, region, tier)
        assert pub is not None
        assert rows[region] == [pub.required, pub.completed, pub.pending]
    total = published(nantong, "合计", tier)
    assert total is not None
    printed = [v for v in (total.required, total.completed, total.pending) if v is not None]
    assert rows["合计"] == printed
    assert rows["合计"] == ([115, 98] if tier == BASIC else [65, 10, 55])


def test_seed_notes_match_workbook_matrix(seed_lines: list[str], nantong: Dataset) -> None:
    tables = _seed_tables(seed_lines)
    basic_missing = _seed_basic_missing(tables[BASIC]["note"])
    upgraded_present = _seed_upgraded_present(tables[UPGRADED]["note"])
    assert basic_missing == BASIC_MISSING  # the hand-written lists above agree with the seed text
    assert upgraded_present == UPGRADED_PRESENT
    for county in COUNTIES:
        assert set(tier_status(nantong, county, BASIC)["missing"]) == basic_missing[county]
        assert set(tier_status(nantong, county, UPGRADED)["present"]) == upgraded_present[county]
