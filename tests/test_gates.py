"""The linters are part of the suite: ruff (pyproject ``[tool.ruff]``) and
mypy (``[tool.mypy]``, strict for ``ledger.*`` and the modules listed
there) must pass on the whole tree, so a change that breaks either fails
``bash .ci/run`` like a failing test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        pytest.fail(f"{module} is not installed: the test command installs the test extra (pip install -e '.[test]')", pytrace=False)


def test_ruff_finds_nothing():
    _require("ruff")
    r = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert r.returncode == 0, f"ruff:\n{r.stdout}\n{r.stderr}"
    assert "All checks passed" in r.stdout, r.stdout


def test_mypy_finds_nothing():
    _require("mypy")
    cache = ROOT / ".mypy_cache"
    r = _run("mypy", "--cache-dir", str(cache), "--show-error-codes")
    assert r.returncode == 0, f"mypy:\n{r.stdout[-20000:]}\n{r.stderr[-2000:]}"
    assert "Success" in r.stdout, r.stdout


def test_the_gates_are_configured():
    """The configuration the two gates read is there (a missing section
    would make them check nothing)."""
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = cfg["tool"]["ruff"]["lint"]
    assert {"E", "F", "I", "B", "UP", "SIM", "C90"} <= set(lint["select"])
    assert lint["mccabe"]["max-complexity"] <= 15
    mypy = cfg["tool"]["mypy"]
    assert set(mypy["files"]) >= {"ledger", "settlement", "financing", "recon", "api", "migrations"}
    strict = [o for o in mypy.get("overrides", []) if o.get("disallow_untyped_defs") and o.get("disallow_any_generics")]
    assert any("ledger.*" in o["module"] for o in strict)
