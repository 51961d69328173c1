"""Every bound on input, in one place: the README's "Input rules" and the messages quote these figures.

File and sheet caps are generous for a national workbook (2,850 counties x 60 items, ~35k budget rows) and small
enough that no file can make a read run for minutes or print a flood of messages.
"""

from __future__ import annotations

from datetime import date

# ---------------------------------------------------------------------------------------------- files
MAX_WORKBOOK_MB = 50  # the .xlsx file on disk (the national workbook is ~2 MB)
MAX_UNPACKED_MB = 100  # all parts of the workbook once unzipped (zip-bomb guard; national: ~20 MB)
MAX_ZIP_ENTRIES = 10_000
MAX_SCENARIO_KB = 256  # a scenario .toml file
MAX_TOML_DEPTH = 16  # nested arrays, inline tables and dotted keys in a scenario file (a real one uses 3)
MAX_SHOWN = 80  # characters of a user's value quoted in a message (then "…")

# --------------------------------------------------------------------------------------------- sheets
MAX_ROWS = 100_000  # rows holding data, per sheet (not the sheet's formatted extent; national: ~35k)
MAX_COLUMNS = 1_000  # columns holding data, per sheet
MAX_TEXT = 1_000  # characters in one cell (names, notes, sources alike)
MAX_REGION_DEPTH = 10  # levels of 上级 above a region (province → city → county is 3)
MAX_MESSAGES = 50  # messages listed in full; the rest are counted ("…and N more")

# ---------------------------------------------------------------------------------------------- values
MAX_AMOUNT_WAN = 1_000_000.0  # any amount in 万元 (100 亿元): capex, opex, fees, savings, budgets, pools
MAX_LEAD_QUARTERS = 40  # a build or upgrade lead time: ten years
MIN_PRIORITY, MAX_PRIORITY = 0.01, 100.0
MAX_COUNT = 100_000  # a published count (要求总数 / 已完成 / 待完成)
MIN_YEAR, MAX_YEAR = 2000, 2100  # years, dates and quarters
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)

# -------------------------------------------------------------------------------------------- scenario
MAX_MULTIPLIER = 100.0  # budget_multiplier, region_multipliers, frontier multipliers
MAX_HORIZON_QUARTERS = 40  # start .. horizon_end inclusive: ten years
MAX_CITY_CAPACITY = 100_000
MAX_TIME_LIMIT_S = 86_400.0  # one day
MAX_FRONTIER_POINTS = 50

# ------------------------------------------------------------------------------------------- analyses
MAX_RISK_SAMPLES = 10_000  # cost-uncertainty samples in one run
MAX_SYNTH_COUNTIES = 10_000  # synthetic workbooks (planner synth)
MAX_SYNTH_ITEMS = 500
