#!/usr/bin/env bash
# The one run command: bash scripts/run.sh [demo options]
#
# Installs xborder and its dependencies, creates (or upgrades) the embedded
# SQLite database ./xborder.db, sets up a demo institution, prints a fresh
# API key with example calls, and serves the API on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    echo "==> pip not found; installing python3-pip with apt-get"
    if [[ "$(id -u)" -eq 0 ]]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip
    else sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip; fi
fi
# Debian's system Python is "externally managed" (PEP 668): allow the install.
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
echo "==> installing xborder"
"$PYTHON" -m pip install -q -e .
exec "$PYTHON" -m api.cli demo "$@"
