#!/usr/bin/env bash
# Install Debian's Chromium (and CJK fonts, so Chinese pages render) for the browser test. Idempotent:
# does nothing when they are already there. Playwright drives /usr/bin/chromium; it never downloads one.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null || need+=(fonts-noto-cjk)  # not -q: SIGPIPE under pipefail
[ ${#need[@]} -eq 0 ] && exit 0
bash "$(dirname "$0")/apt_install.sh" "${need[@]}"
