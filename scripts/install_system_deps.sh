#!/usr/bin/env bash
# Install the Debian packages the printed outputs need: LibreOffice Calc (headless, to print the plan workbook
# to PDF), poppler-utils (pdftoppm / pdftotext / pdfinfo, to look at the pages), Noto CJK fonts (Chinese in
# the brief, the charts and the printed workbook) and Carlito (metric twin of Calibri, the workbook's default
# font, so LibreOffice sizes columns as Excel does), and the PostgreSQL server (the storage tests start a
# cluster of their own with it). Idempotent: does nothing when they are already there.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# no grep -q: under pipefail it closes the pipe early and fc-list dies of SIGPIPE, reading as "missing"
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -i "Carlito" >/dev/null || need+=(fonts-crosextra-carlito)
# PostgreSQL 15 server binaries (initdb, pg_ctl): the storage tests start a throw-away cluster of their own
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
bash "$(dirname "$0")/apt_install.sh" "${need[@]}"
