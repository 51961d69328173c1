"""A national-scale synthetic capability workbook (test helper and read benchmark).

``write_national(path)`` writes 31 provinces, their cities and 2,850 counties (上级 chain county -> city ->
province), 60 items in two tiers, the full capability matrix (171,000 cells) and yearly budgets per county.
Streaming write (openpyxl write_only) keeps it to a few seconds. Run as a script to time the reader::

    .venv/bin/python tests/corpus/national.py [counties] [years]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl

from planner.io import schema as S


def write_national(path: Path, counties: int = 2850, items: int = 60, years: int = 12, seed: int = 7) -> Path:
    """Write the synthetic workbook to ``path``; deterministic for a given seed."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)

    def sheet(spec: S.Sheet, headers: list[str] | None = None):
        ws = wb.create_sheet(spec.zh)
        ws.append(headers or [c.zh for c in spec.columns])
        return ws

    ws = sheet(S.TIERS)
    ws.append(["基本", "basic", date(2024, 12, 31), "合成数据"])
    ws.append(["提升", "upgraded", date(2025, 12, 31), "合成数据"])
    ws = sheet(S.ITEMS)
    names = [f"合成项目{n:03d}" for n in range(items)]
    for n, name in enumerate(names):
        ws.append([f"X{n:03d}", name, "基本" if n < items // 2 else "提升", None, 10 + n % 40, 1 + n % 5,
                   1 + n % 3, 1, 2, S.ASSUMPTION_LABEL, "合成数据", 5 + n % 10, 1])
    ws = sheet(S.REGIONS)
    provinces = 31
    cities = max(1, counties // 9)
    county_names = [f"县{n:04d}" for n in range(counties)]
    for p in range(provinces):
        ws.append([f"P{p:02d}", f"省{p:02d}", "省级", "", ""])
    for c in range(cities):
        ws.append([f"C{c:03d}", f"市{c:03d}", "市级", "", f"省{c % provinces:02d}"])
    for n, name in enumerate(county_names):
        ws.append([f"K{n:04d}", name, "县级", "", f"市{n % cities:03d}"])
    ws = sheet(S.MATRIX, [S.MATRIX.columns[0].zh] + names)
    states = [S.HAS] * 6 + [S.LACKS] * 3 + [S.UPGRADE]
    for name in county_names:
        ws.append([name] + [rng.choice(states) for _ in names])
    ws = sheet(S.BUDGETS)
    for name in county_names:
        for year in range(2023, 2023 + years):
            ws.append([name, year, float(rng.randrange(50, 400)), S.ASSUMPTION_LABEL, ""])
    wb.save(path)
    return path


def main(argv: list[str]) -> None:
    from planner.io.workbook import load_workbook

    counties = int(argv[0]) if argv else 2850
    years = int(argv[1]) if len(argv) > 1 else 12
    path = Path("/tmp") / f"national_{counties}_{years}.xlsx"
    began = time.perf_counter()
    write_national(path, counties=counties, years=years)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    dataset = load_workbook(path)
    print(f"read {len(dataset.regions)} regions, {len(dataset.matrix)} matrix cells, {len(dataset.budgets)} budget "
          f"rows in {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
