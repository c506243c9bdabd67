"""The deployment kit (deploy/, docs/DEPLOYING.md) works as written: the
systemd units verify, the environment template lists every setting, the
PostgreSQL roles keep DDL away from the application, and the backup and
restore drill restores a database whose ledger verifies with every balance
equal.  On the suite's real PostgreSQL server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx
import pytest

from ledger.config import Settings
from ledger.db import create_engine

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CODE = ("ledger", "settlement", "financing", "recon", "api")


def _env(settings, **extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("XBORDER_", "PG"))}, "XBORDER_SECRET_KEY": settings.secret_key, "XBORDER_REGISTRY_KEY": settings.registry_key,
            "XBORDER_LEDGER_SIGNING_KEY": settings.ledger_signing_key, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **extra}


def _cli(settings, db_url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=cwd, env=_env(settings, XBORDER_DATABASE_URL=db_url, XBORDER_DATA_DIR=str(cwd / "data")),
                          capture_output=True, text=True, timeout=180)


# -- systemd units and the environment template -------------------------------------------


def test_systemd_units_verify_with_systemd_analyze(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed on this machine (Debian: apt-get install systemd)")
    xborder = shutil.which("xborder") or sys.executable
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert [u.name for u in units] == ["xborder-api.service", "xborder-migrate.service", "xborder-worker.service"]
    for unit in units:  # the install path of the guide, pointed at this machine's command
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/xborder/.venv/bin/xborder", xborder))
    out = subprocess.run([tool, "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stderr.strip() == "", out.stderr
    api = (DEPLOY / "systemd" / "xborder-api.service").read_text()
    assert re.search(r"ExecStart=\S+ serve .*--workers \d+ --no-upgrade-db", api)
    assert "ExecStart=/opt/xborder/.venv/bin/xborder worker" in (DEPLOY / "systemd" / "xborder-worker.service").read_text()


def _settings_read_by_the_code() -> set[str]:
    names = {f"XBORDER_{name.upper()}" for name in Settings.model_fields}
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            names |= set(re.findall(r"[\"'](XBORDER_[A-Z0-9_]+)[\"']", path.read_text()))
    return names


def test_environment_template_lists_every_setting_the_code_reads():
    template = (DEPLOY / "xborder.env").read_text()
    listed = set(re.findall(r"\b(XBORDER_[A-Z0-9_]+)", template))
    missing = _settings_read_by_the_code() - listed
    assert not missing, f"add to deploy/xborder.env: {sorted(missing)}"
    assert not listed - _settings_read_by_the_code(), "the template names settings the code does not read"
    active = dict(line.split("=", 1) for line in template.splitlines() if line and not line.startswith("#"))
    assert active["XBORDER_BACKGROUND_JOBS"] == "off"  # the API leaves the jobs to the worker
    assert active["XBORDER_ENV"] == "production"
    assert active["XBORDER_DATABASE_URL"].startswith("postgresql+asyncpg://xborder_app:")


# -- PostgreSQL roles ---------------------------------------------------------------------------


def _psql_file(server, path: Path, dbname: str = "postgres", **variables: str) -> subprocess.CompletedProcess[str]:
    argv = [str(server.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.host, "-p", str(server.port), "-U", "postgres", "-d", dbname]
    for k, v in variables.items():
        argv += ["-v", f"{k}={v}"]
    return subprocess.run([*argv, "-f", str(path)], capture_output=True, text=True, timeout=120, env={k: v for k, v in os.environ.items() if not k.startswith("PG")})


def _url(server, user: str, db: str, driver: str = "asyncpg") -> str:
    return f"postgresql{'+' + driver if driver else ''}://{user}@{server.host}:{server.port}/{db}"


async def test_postgres_roles_migrations_run_as_the_migration_role_and_the_app_role_posts_but_cannot_change_the_schema(pg, settings, tmp_path):
    server = pg.server
    db = "xb_roles"
    made = _psql_file(server, DEPLOY / "postgresql" / "roles.sql", db=db, migrator_role="xborder_migrator", migrator_password="m-secret",
                      app_role="xborder_app", app_password="a-secret")
    assert made.returncode == 0, made.stderr
    app_url, migrator_url = _url(server, "xborder_app", db), _url(server, "xborder_migrator", db)

    refused = _cli(settings, app_url, "db", "upgrade", cwd=tmp_path)  # the application role cannot build the schema
    assert refused.returncode != 0 and "permission denied" in (refused.stdout + refused.stderr)
    migrated = _cli(settings, migrator_url, "db", "upgrade", cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr

    # the application's posting path, as the application role, through the HTTP app
    from api.app import create_app
    from api.auth import issue_api_key
    from api.scopes import ALL_SCOPES

    engine = create_engine(app_url, settings=settings)
    try:
        app = create_app(settings, engine, background_jobs=False)
        ctx = app.state.ctx
        inst = await ctx.ledger.create_institution("bank-roles", "Bank Roles")
        async with engine.begin() as conn:
            key = (await issue_api_key(conn, ctx.keyring, inst.id, scopes=ALL_SCOPES))["key"]
        h = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://xborder.test") as client:
            r = await client.post("/v1/ledgers", json={"code": "main", "name": "Main"}, headers={**h, "Idempotency-Key": "roles-ledger"})
            assert r.status_code == 201, r.text
            led = r.json()["id"]
            acct = {}
            for code, typ in (("bank", "asset"), ("merchant", "liability")):
                r = await client.post(f"/v1/ledgers/{led}/accounts", json={"code": code, "currency": "USD", "type": typ}, headers={**h, "Idempotency-Key": f"roles-{code}"})
                assert r.status_code == 201, r.text
                acct[code] = r.json()["id"]
            r = await client.post(f"/v1/ledgers/{led}/transactions", headers={**h, "Idempotency-Key": "roles-1"}, json={"postings": [
                {"account_id": acct["bank"], "side": "debit", "amount": "99.50", "currency": "USD"},
                {"account_id": acct["merchant"], "side": "credit", "amount": "99.50", "currency": "USD"}]})
            assert r.status_code == 201, r.text
        # the background jobs, as the application role: an advisory lock and the daily runs
        from api.jobs import Job, JobRunner, loan_accrual

        runner = JobRunner(ctx.services, jobs=[Job("loan_accrual", 1.0, daily=loan_accrual)], holder="roles-test")
        runner.daily_at = runner.daily_at.replace(hour=0, minute=0)
        assert await runner._lead(runner.jobs[0])
        await runner._run_daily(runner.jobs[0])
        await runner.leadership.release_all()
        await ctx.services.aclose()
    finally:
        await engine.dispose()
    verified = _cli(settings, app_url, "ledger", "verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    conn = await asyncpg.connect(_url(server, "xborder_app", db, driver=""))
    try:
        for ddl in ("CREATE TABLE intruder (a int)", "ALTER TABLE postings ADD COLUMN note text", "DROP TABLE audit_log",
                    "ALTER TABLE postings DISABLE TRIGGER ALL", "CREATE INDEX ix_intruder ON transactions (description)",
                    "TRUNCATE job_runs", "CREATE SCHEMA intruder", "CREATE TEMPORARY TABLE scratch (a int)"):
            with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
                await conn.execute(ddl)
        assert await conn.fetchval("SELECT count(*) FROM transactions") == 1
        assert await conn.fetchval("SELECT count(*) FROM job_runs") == 1
    finally:
        await conn.close()


# -- backup and restore drill ------------------------------------------------------------------------


async def test_backup_and_restore_drill_restores_a_ledger_that_verifies_with_every_balance_equal(pg, settings, tmp_path):
    from ledger.service import Ledger
    from tests.support.books import make_book

    server = pg.server
    source = pg.new_database()
    engine = create_engine(server.url(source), settings=settings)
    try:
        ledger = Ledger(engine, settings)
        book = await make_book(ledger, "bank-drill")
        for i in range(40):
            await book.post("bank_usd", "merchant_usd", 10_000 + i, key=f"receipt-{i}")
            if i % 4 == 0:
                await book.post("merchant_usd", "fees", 150, key=f"fee-{i}")
        pending = await ledger.post(book.institution_id, book.tx("merchant_usd", "merchant2_usd", 5_000, key="held", pending=True))
        assert pending.ok
        await ledger.checkpoint(book.institution_id, book.ledger_id)
    finally:
        await engine.dispose()

    env = {**_env(settings), "PGHOST": server.host, "PGPORT": str(server.port), "PGUSER": "postgres", "PGDATABASE": source,
           "PG_BINDIR": str(server.bindir), "XBORDER_DRILL_URL": f"postgresql+asyncpg://postgres@{server.host}:{server.port}",
           "XBORDER": f"{sys.executable} -m api.cli", "XBORDER_DATA_DIR": str(tmp_path / "data")}
    backups = tmp_path / "backups"
    backups.mkdir()
    made = subprocess.run(["bash", str(DEPLOY / "backup" / "backup.sh"), str(backups)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.is_file() and dump.name.endswith(".dump") and not list(backups.glob("*.partial"))

    drill = subprocess.run(["bash", str(DEPLOY / "backup" / "restore-drill.sh"), str(dump), f"{source}_restored", source],
                           env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert "restore drill passed" in drill.stdout
    figures = re.findall(r"accounts (\d+) (\w+) transactions (\d+) (\w+) postings (\d+)", drill.stdout)
    assert len(figures) == 2 and figures[0] == figures[1]
    assert figures[0][0] == "7" and figures[0][2] == "51"  # 7 accounts; 40 receipts + 10 fees + 1 pending

    # a tampered restore is caught: the drill fails
    server.psql("ALTER TABLE postings DISABLE TRIGGER ALL; UPDATE postings SET amount = amount + 1 WHERE (transaction_id, line_no) = (SELECT transaction_id, line_no FROM postings ORDER BY transaction_id, line_no LIMIT 1);", dbname=f"{source}_restored")
    tampered_dump = tmp_path / "tampered.dump"
    subprocess.run([str(server.bindir / "pg_dump"), "-Fc", "-f", str(tampered_dump), f"{source}_restored"], env=env, check=True, timeout=300)
    bad = subprocess.run(["bash", str(DEPLOY / "backup" / "restore-drill.sh"), str(tampered_dump), f"{source}_tampered", source],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0
    assert "FAILED" in bad.stdout + bad.stderr
