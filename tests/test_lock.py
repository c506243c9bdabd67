"""The install is locked: requirements/*.lock pin, with hashes, versions
inside pyproject.toml's ranges, and the two commands install from them into
the project's .venv, never into the system interpreter."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of a pip-style lock file."""
    out: dict[str, tuple[str, int]] = {}
    current = None
    for line in lock.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s\\;]+)", line)
        if m:
            current = canonicalize_name(m.group(1))
            out[current] = (m.group(3), 0)
        elif current and "--hash=sha256:" in line:
            version, n = out[current]
            out[current] = (version, n + 1)
    return out


def _requirements(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"]) + (list(project["optional-dependencies"][extra]) if extra else [])
    return [Requirement(r) for r in reqs]


@pytest.mark.parametrize(("lock", "extra"), [("run.lock", None), ("test.lock", "test")])
def test_every_dependency_is_pinned_with_hashes_inside_its_range(lock, extra):
    pins = _pins(ROOT / "requirements" / lock)
    assert len(pins) >= 20, f"{lock} looks empty"
    unhashed = sorted(n for n, (_, hashes) in pins.items() if hashes == 0)
    assert not unhashed, f"{lock}: pins without a hash: {unhashed}"
    for req in _requirements(extra):
        name = canonicalize_name(req.name)
        assert name in pins, f"{req} is not in requirements/{lock}: run bash scripts/lock.sh"
        version = pins[name][0]
        assert req.specifier.contains(version, prereleases=True), f"{lock} pins {name}=={version}, outside pyproject's {req}: run bash scripts/lock.sh"


def test_the_two_commands_install_from_the_locks_into_the_project_venv():
    venv = (ROOT / "scripts" / "venv.sh").read_text()
    assert "--require-hashes" in venv and "-m venv .venv" in venv
    for script, lock in (("run.sh", "requirements/run.lock"), ("test.sh", "requirements/test.lock")):
        text = (ROOT / "scripts" / script).read_text()
        assert f"use_venv {lock}" in text, script
        assert "PIP_BREAK_SYSTEM_PACKAGES" not in text, f"{script} installs into the system interpreter"
        assert not re.search(r"pip install(?!.*-r)", text), f"{script} installs outside the lock"
