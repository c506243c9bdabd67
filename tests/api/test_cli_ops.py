"""The ``xborder`` command protects the operator (issue #15 item 2):
``--version``; no database or keys created implicitly outside ``init`` and
``demo`` (a one-line error naming the command to run, no traceback);
production mode refuses SQLite, generated keys and a missing trusted-proxy
setting; ``doctor`` says what to fix.  Real processes, real files, the real
PostgreSQL server of the session."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XBORDER_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "200"
    env.update(extra)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


def _one_line_error(out: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, out.stderr
    return lines[0]


def test_version_prints_the_package_version(tmp_path):
    from importlib.metadata import version

    out = _run(["--version"], tmp_path, _env())
    assert out.returncode == 0 and out.stdout.strip() == f"xborder {version('xborder')}"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["institution", "list"], ["serve"], ["key", "list", "bank-a"], ["ledger", "verify"], ["recon", "run", "--help"]])
def test_commands_refuse_to_create_a_database_or_keys_implicitly(tmp_path, args):
    out = _run(args, tmp_path, _env())
    if "--help" in args:  # help needs nothing
        assert out.returncode == 0
        return
    assert out.returncode == 2
    line = _one_line_error(out)
    assert "no database at" in line and str(tmp_path) in line and "xborder init" in line
    assert list(tmp_path.iterdir()) == []  # no xborder.db, no .xborder keys


def test_init_sets_up_and_then_commands_and_doctor_pass(tmp_path):
    env = _env()
    out = _run(["init"], tmp_path, env)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "xborder.db").exists()
    for name in ("secret-key", "registry-key", "ledger-signing-key"):
        key = tmp_path / ".xborder" / name
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(base64.b64decode(key.read_text())) == 32
    assert (tmp_path / ".xborder" / "registry-key").read_text() != (tmp_path / ".xborder" / "secret-key").read_text()
    assert _run(["institution", "create", "bank-a"], tmp_path, env).returncode == 0
    listed = _run(["institution", "list"], tmp_path, env)
    assert listed.returncode == 0 and "bank-a" in listed.stdout
    doc = _run(["doctor"], tmp_path, env)
    assert doc.returncode == 0 and "all checks passed" in doc.stdout and "FAIL" not in doc.stdout, doc.stdout
    # the registry key is reported with its key id
    from ledger.crypto import key_id

    reg = base64.b64decode((tmp_path / ".xborder" / "registry-key").read_text())
    assert "registry key" in doc.stdout and f"key id {key_id(reg)}" in doc.stdout, doc.stdout
    # a registry key equal to the personal-data key is refused
    same = _env(XBORDER_SECRET_KEY=(tmp_path / ".xborder" / "registry-key").read_text())
    doc = _run(["doctor"], tmp_path, same)
    assert doc.returncode == 1 and "independent" in doc.stdout, doc.stdout
    # a missing registry key is a finding
    (tmp_path / ".xborder" / "registry-key").rename(tmp_path / "registry-key.bak")
    doc = _run(["doctor"], tmp_path, env)
    assert doc.returncode == 1 and "registry key" in doc.stdout and "missing" in doc.stdout, doc.stdout
    (tmp_path / "registry-key.bak").rename(tmp_path / ".xborder" / "registry-key")
    # rotation to new keys: one command, then the former keys are no longer needed
    old_secret, old_registry = ((tmp_path / ".xborder" / n).read_text() for n in ("secret-key", "registry-key"))
    new_keys = dict(XBORDER_SECRET_KEY=base64.b64encode(b"\x21" * 32).decode(), XBORDER_REGISTRY_KEY=base64.b64encode(b"\x22" * 32).decode())
    out = _run(["keys", "rotate"], tmp_path, _env(**new_keys, XBORDER_OLD_SECRET_KEYS=old_secret, XBORDER_OLD_REGISTRY_KEYS=old_registry))
    assert out.returncode == 0 and "no longer needed" in out.stdout and "registry key " + key_id(b"\x22" * 32) in out.stdout, out.stdout + out.stderr
    doc = _run(["doctor"], tmp_path, _env(**new_keys))
    assert doc.returncode == 0 and "key rotation" in doc.stdout and "all checks passed" in doc.stdout, doc.stdout
    # a key file others can read is a finding with its fix
    (tmp_path / ".xborder" / "secret-key").chmod(0o644)
    doc = _run(["doctor"], tmp_path, env)
    assert doc.returncode == 1 and "readable by others" in doc.stdout and "chmod 600" in doc.stdout


def test_doctor_names_an_old_schema_and_an_unreachable_database(tmp_path):
    env = _env()
    assert _run(["init"], tmp_path, env).returncode == 0
    assert _run(["db", "downgrade", "0018"], tmp_path, env).returncode == 0
    doc = _run(["doctor"], tmp_path, env)
    assert doc.returncode == 1 and "revision 0018" in doc.stdout and "xborder db upgrade" in doc.stdout, doc.stdout
    far = _env(XBORDER_DATABASE_URL="postgresql+asyncpg://nobody:x@127.0.0.1:9/none", XBORDER_SECRET_KEY=base64.b64encode(os.urandom(32)).decode(),
               XBORDER_LEDGER_SIGNING_KEY=base64.b64encode(os.urandom(32)).decode())
    doc = _run(["doctor"], tmp_path, far)
    assert doc.returncode == 1 and "cannot connect" in doc.stdout and "Traceback" not in doc.stdout + doc.stderr, doc.stdout + doc.stderr


def test_production_mode_refuses_sqlite_generated_keys_and_no_proxy_setting(tmp_path):
    env = _env(XBORDER_ENV="production")
    out = _run(["init"], tmp_path, env)
    assert out.returncode == 2
    line = _one_line_error(out)
    for needle in ("SQLite", "XBORDER_SECRET_KEY", "XBORDER_REGISTRY_KEY", "XBORDER_LEDGER_SIGNING_KEY", "XBORDER_TRUSTED_PROXIES"):
        assert needle in line, line
    assert list(tmp_path.iterdir()) == []
    doc = _run(["doctor"], tmp_path, env)
    assert doc.returncode == 1 and doc.stdout.count("FAIL") >= 4


def test_production_mode_on_postgresql_with_keys_and_proxies_is_fit(tmp_path, pg):
    name = pg.new_database()
    env = _env(
        XBORDER_ENV="production", XBORDER_DATABASE_URL=pg.server.url(name), XBORDER_TRUSTED_PROXIES="127.0.0.1",
        XBORDER_SECRET_KEY=base64.b64encode(os.urandom(32)).decode(), XBORDER_LEDGER_SIGNING_KEY=base64.b64encode(os.urandom(32)).decode(),
        XBORDER_REGISTRY_KEY=base64.b64encode(os.urandom(32)).decode(),
    )
    out = _run(["init"], tmp_path, env)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / ".xborder").exists()  # no key generated in production
    doc = _run(["doctor"], tmp_path, env)
    assert doc.returncode == 0 and "all checks passed" in doc.stdout, doc.stdout
    # one setting missing: refused, and the server is not started
    no_proxy = {k: v for k, v in env.items() if k != "XBORDER_TRUSTED_PROXIES"}
    out = _run(["serve", "--no-upgrade-db", "--port", "9"], tmp_path, no_proxy)
    assert out.returncode == 2 and "XBORDER_TRUSTED_PROXIES" in _one_line_error(out)


def test_the_last_system_key_is_revoked_only_with_force(tmp_path):
    import re

    env = _env()
    assert _run(["init"], tmp_path, env).returncode == 0
    assert _run(["institution", "create", "bank-a"], tmp_path, env).returncode == 0
    issued = _run(["key", "issue", "bank-a"], tmp_path, env)
    assert issued.returncode == 0, issued.stderr
    listed = _run(["key", "list", "bank-a"], tmp_path, env)
    key_id = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", listed.stdout).group(0)
    refused = _run(["key", "revoke", "bank-a", key_id], tmp_path, env)
    assert refused.returncode == 1 and "last_system_key" in refused.stderr, refused.stdout + refused.stderr
    forced = _run(["key", "revoke", "bank-a", key_id, "--force"], tmp_path, env)
    assert forced.returncode == 0 and "revoked" in forced.stdout, forced.stderr


def test_key_issue_takes_scopes(tmp_path):
    """``--scope`` (repeatable, ``all``); none: the read-only scopes; an
    unknown scope is refused naming it and nothing is issued."""
    from api.scopes import ALL_SCOPES, READ_ONLY_SCOPES

    env = _env()
    assert _run(["init"], tmp_path, env).returncode == 0
    assert _run(["institution", "create", "bank-a"], tmp_path, env).returncode == 0
    default = _run(["key", "issue", "bank-a"], tmp_path, env)
    assert default.returncode == 0 and f"scopes: {' '.join(READ_ONLY_SCOPES)}" in default.stdout, default.stdout
    two = _run(["key", "issue", "bank-a", "--scope", "ledger:write", "--scope", "ledger:read"], tmp_path, env)
    assert two.returncode == 0 and "scopes: ledger:read ledger:write\n" in two.stdout, two.stdout
    everything = _run(["key", "issue", "bank-a", "--scope", "all"], tmp_path, env)
    assert everything.returncode == 0 and f"scopes: {' '.join(ALL_SCOPES)}" in everything.stdout.replace("\n", " "), everything.stdout
    bad = _run(["key", "issue", "bank-a", "--scope", "ledger:everything"], tmp_path, env)
    assert bad.returncode == 1 and "ledger:everything" in bad.stderr, bad.stdout + bad.stderr
    listed = _run(["key", "list", "bank-a"], tmp_path, env)
    assert listed.stdout.count(" system ") == 3, listed.stdout  # the refused one was not issued


def test_serve_and_worker_refuse_to_start_while_data_is_under_former_keys(tmp_path):
    """After a key change (or an upgrade to 0024) and before ``xborder keys
    rotate``, data sits under a former key (after a registry key change the
    national registries would not see the usage recorded under the former
    one): the API and the worker do not start."""
    env = _env()
    out = _run(["demo", "--no-serve"], tmp_path, env)
    assert out.returncode == 0, out.stderr
    old_secret = (tmp_path / ".xborder" / "secret-key").read_text()  # the demo's bank statement is sealed under it
    moved = _env(XBORDER_SECRET_KEY=base64.b64encode(b"\x23" * 32).decode(), XBORDER_OLD_SECRET_KEYS=old_secret)
    for args in (["serve", "--port", "9"], ["worker"]):
        out = _run(args, tmp_path, moved)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        line = _one_line_error(out)
        assert "key rotation pending" in line and "xborder keys rotate" in line, line
    assert _run(["keys", "rotate"], tmp_path, moved).returncode == 0
    doc = _run(["doctor"], tmp_path, moved)
    assert doc.returncode == 0 and "all checks passed" in doc.stdout, doc.stdout
