#!/usr/bin/env bash
# The one run command: bash scripts/run.sh [demo options]
#
# Installs xborder and its locked dependencies into the project's virtual
# environment (.venv, from requirements/run.lock with hashes), creates (or
# upgrades) the embedded SQLite database ./xborder.db, sets up a demo
# institution, prints a fresh API key with example calls, and serves the API
# on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/venv.sh
use_venv requirements/run.lock
exec "$PYTHON" -m api.cli demo "$@"
