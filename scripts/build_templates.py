"""Build data/templates/<plan>.xlsx from the readable sources data/templates/<plan>.toml.

Usage: python scripts/build_templates.py [OUT_DIR]
The sources are what a reviewer reads in a diff; the workbooks are what users open (or get from
``python -m planner template --plan <plan>``, which writes the same workbook).
"""

from __future__ import annotations

import sys
from pathlib import Path

from planner.io.templates import TEMPLATES_DIR, load_template, plan_keys, template_workbook


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else TEMPLATES_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    for key in plan_keys():
        out = out_dir / f"{key}.xlsx"
        template_workbook(load_template(key)).save(out)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
