#!/usr/bin/env bash
# Install the Debian packages the printed outputs need: LibreOffice Calc (headless, to print the plan workbook
# to PDF), poppler-utils (pdftoppm / pdftotext / pdfinfo, to look at the pages), Noto CJK fonts (Chinese in
# the brief, the charts and the printed workbook) and Carlito (metric twin of Calibri, the workbook's default
# font, so LibreOffice sizes columns as Excel does). Idempotent: does nothing when they are already there.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# no grep -q: under pipefail it closes the pipe early and fc-list dies of SIGPIPE, reading as "missing"
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -i "Carlito" >/dev/null || need+=(fonts-crosextra-carlito)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_system_deps: need root (or sudo) to apt-get install ${need[*]}" >&2; exit 1
  fi
fi
echo "install_system_deps: installing ${need[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
