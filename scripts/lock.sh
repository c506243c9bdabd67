#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml's ranges (with hashes):
#   requirements/run.lock   what `bash scripts/run.sh` installs
#   requirements/test.lock  what `bash scripts/test.sh` installs (run + test extra)
# Uses uv (installed into .venv when missing). Commit the result.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/venv.sh
use_venv requirements/test.lock
command -v uv >/dev/null 2>&1 || "$PYTHON" -m pip install -q 'uv>=0.4'
common=(--generate-hashes --python-version 3.11 --no-header --quiet)
uv pip compile pyproject.toml "${common[@]}" -o requirements/run.lock
uv pip compile pyproject.toml --extra test "${common[@]}" -o requirements/test.lock
echo "==> wrote requirements/run.lock and requirements/test.lock"
