"""The committed client in ``clients/python/`` is exactly what the generator
makes of today's OpenAPI document: regenerated into a temp dir, any
difference fails (the fix: ``python scripts/gen_client.py`` and commit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_client_matches_the_api():
    run = subprocess.run([sys.executable, "scripts/gen_client.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, (
        "clients/python/ differs from the client generated from the current OpenAPI document.\n"
        "Regenerate it with `python scripts/gen_client.py` and commit the result.\n\n" + run.stdout[-8000:] + run.stderr[-4000:]
    )
    assert "up to date" in run.stdout
