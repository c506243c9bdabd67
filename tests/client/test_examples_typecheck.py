"""The examples type-check (``mypy --strict``) against the committed client:
a renamed operation, parameter or field of the generated client fails here,
without a server, and names the line to change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_examples_type_check_against_the_generated_client(tmp_path):
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")  # not the project's settings (its files, plugins and overrides)
    env = {**os.environ, "MYPYPATH": str(ROOT / "clients" / "python")}
    cmd = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental", f"--cache-dir={tmp_path / 'mypy-cache'}", f"--config-file={config}", "examples/quickstart.py", "examples/webhook_receiver.py"]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, "examples/ do not match the generated client (after `python scripts/gen_client.py`, update the imports and calls; clients/python/OPERATIONS.md names each operation's module):\n" + run.stdout[-6000:] + run.stderr[-2000:]
