#!/usr/bin/env bash
# Install Debian's Chromium (and CJK fonts, so Chinese pages render) for the browser test. Idempotent:
# does nothing when they are already there. Playwright drives /usr/bin/chromium; it never downloads one.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null || need+=(fonts-noto-cjk)  # not -q: SIGPIPE under pipefail
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_browser: need root (or sudo) to apt-get install ${need[*]}" >&2; exit 1
  fi
fi
echo "install_browser: installing ${need[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
