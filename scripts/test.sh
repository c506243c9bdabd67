#!/usr/bin/env bash
# The one test command: bash scripts/test.sh [pytest args...]
#
# Installs PostgreSQL and Chromium (via apt) if missing, installs the
# project with its test extra into .venv from requirements/test.lock, then
# runs pytest against a throwaway real PostgreSQL server
# (see tests/support/pgserver.py).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"

have_pg_server() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" ]] && return 0
    done
    return 1
}

source scripts/venv.sh   # as_root, use_venv

missing=()
if [[ -z "${XBORDER_PG_BINDIR:-}" ]] && ! have_pg_server; then
    missing+=(postgresql postgresql-contrib)
fi
# headless Chromium for the web console's browser tests (driven by Playwright)
if [[ -z "${XBORDER_CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
fi
# a Chinese font (1.6 MB), so the browser tests' screenshots of the Chinese pages are readable
if ! fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk\|droid.*fallback"; then
    missing+=(fonts-wqy-microhei)
fi
if [[ "${#missing[@]}" -gt 0 ]]; then
    echo "==> installing with apt-get: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# the project's own virtual environment (.venv), from the lock with hashes
use_venv requirements/test.lock

# Fail (rather than skip) PostgreSQL-backed tests if the server cannot start.
export XBORDER_REQUIRE_PG=1
# ...and the browser tests if Chromium or Playwright is missing.
export XBORDER_REQUIRE_BROWSER=1

# One pytest worker per core (pytest-xdist; CI has 2): each worker starts its
# own PostgreSQL server and templates (tests/conftest.py), and an idle worker
# takes tests from a busy one (worksteal), so the slow tests do not queue
# behind each other. XBORDER_TEST_WORKERS=0 runs in this one process
# (as does `-n 0` among the arguments, which come last).
workers="${XBORDER_TEST_WORKERS:-2}"
echo "==> running pytest ($workers workers)"
rc=0
"$PYTHON" -m pytest -p no:cacheprovider -n "$workers" --dist worksteal "$@" || rc=$?

if [[ "$rc" -eq 5 ]]; then
    echo "ERROR: no tests ran" >&2
    exit 1
fi
exit "$rc"
