#!/usr/bin/env bash
# apt-get install the Debian packages named as arguments (as root, or through sudo); the install_*.sh scripts
# decide what is missing and call this. Nothing to do without arguments.
set -euo pipefail
[ $# -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "apt_install: need root (or sudo) to apt-get install $*" >&2; exit 1
  fi
fi
echo "apt_install: installing $* from Debian"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "$@"
