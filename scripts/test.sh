#!/usr/bin/env bash
# The one test command: bash scripts/test.sh [pytest args...]
#
# Installs PostgreSQL (via apt) if missing, installs the project with its
# test extra, then runs pytest against a throwaway real PostgreSQL server
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

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "ERROR: need root (or sudo) to run: $*" >&2
        echo "       install PostgreSQL yourself: apt-get install postgresql postgresql-contrib" >&2
        exit 1
    fi
}

missing=()
if [[ -z "${XBORDER_PG_BINDIR:-}" ]] && ! have_pg_server; then
    missing+=(postgresql postgresql-contrib)
fi
# headless Chromium for the web console's browser tests (driven by Playwright)
if [[ -z "${XBORDER_CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
fi
if [[ "${#missing[@]}" -gt 0 ]]; then
    echo "==> installing with apt-get: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    echo "==> pip not found for $PYTHON; installing python3-pip with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip
fi

# Debian's system Python is "externally managed" (PEP 668); this is a
# throwaway test machine, so allow pip to install into it. Harmless in a venv
# or with a pyenv/other interpreter.
export PIP_BREAK_SYSTEM_PACKAGES=1
export PIP_ROOT_USER_ACTION=ignore
export PIP_DISABLE_PIP_VERSION_CHECK=1

echo "==> installing xborder with test extras"
"$PYTHON" -m pip install -q -e '.[test]'

# Fail (rather than skip) PostgreSQL-backed tests if the server cannot start.
export XBORDER_REQUIRE_PG=1
# ...and the browser tests if Chromium or Playwright is missing.
export XBORDER_REQUIRE_BROWSER=1

echo "==> running pytest"
rc=0
"$PYTHON" -m pytest -p no:cacheprovider "$@" || rc=$?

if [[ "$rc" -eq 5 ]]; then
    echo "ERROR: no tests ran" >&2
    exit 1
fi
exit "$rc"
