# Sourced by scripts/run.sh and scripts/test.sh: the project's own virtual
# environment (.venv), installed from a lock file with hashes.
#
#   use_venv requirements/run.lock     # or requirements/test.lock
#
# Creates .venv with $PYTHON (default python3) when it is missing, installs
# exactly the locked versions (pip --require-hashes: a file whose hash differs
# from the lock is refused), then xborder itself in editable mode without
# dependencies. A stamp (.venv/.xborder-lock) skips the install when the lock
# has not changed since the last one. The system interpreter is never
# installed into. Regenerate the locks with: bash scripts/lock.sh

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "ERROR: need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

use_venv() {
    local lock="$1"
    local python="${PYTHON:-python3}"
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
    if [[ ! -x .venv/bin/python ]]; then
        if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
            echo "==> $python cannot create virtual environments; installing python3-venv with apt-get"
            as_root apt-get update
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
        fi
        echo "==> creating the virtual environment .venv ($("$python" --version 2>&1))"
        rm -rf .venv
        "$python" -m venv .venv
    fi
    local want
    want="$(sha256sum "$lock" pyproject.toml | sha256sum | cut -c1-64)"
    if [[ "$(cat .venv/.xborder-lock 2>/dev/null)" != "$want" ]]; then
        echo "==> installing the locked dependencies ($lock) into .venv"
        .venv/bin/python -m pip install -q --require-hashes -r "$lock"
        .venv/bin/python -m pip install -q --no-deps -e .
        echo "$want" > .venv/.xborder-lock
    fi
    export VIRTUAL_ENV="$PWD/.venv"
    export PATH="$VIRTUAL_ENV/bin:$PATH"
    PYTHON="$VIRTUAL_ENV/bin/python"
}
