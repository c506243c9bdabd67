"""The ``xborder`` command: operate, demo and serve the engine."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any, NoReturn
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from ledger.clock import business_today
from ledger.config import get_settings

app = typer.Typer(help="xborder: cross-border settlement and supply-chain finance engine", no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema (Alembic migrations)", no_args_is_help=True)
inst_app = typer.Typer(help="Institutions (tenants)", no_args_is_help=True)
key_app = typer.Typer(help="API keys of an institution", no_args_is_help=True)
user_app = typer.Typer(help="Staff and SME users", no_args_is_help=True)
ledger_app = typer.Typer(help="Ledger maintenance: verify the hash chain, sign checkpoints", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(inst_app, name="institution")
app.add_typer(key_app, name="key")
app.add_typer(user_app, name="user")
app.add_typer(ledger_app, name="ledger")


def _optional_commands() -> None:
    """Sub-commands of the reconciliation, reports and benchmarks."""
    from bench.cli import bench_app

    from . import cli_ops
    from .cli_keys import keys_app
    from .cli_recon import recon_app
    from .cli_reports import report_app

    for sub, name in ((recon_app, "recon"), (report_app, "report"), (bench_app, "bench"), (keys_app, "keys")):
        app.add_typer(sub, name=name)
    cli_ops.register(app)  # --version, init, doctor, and the setup check before every command


_optional_commands()

console = Console(soft_wrap=True)
err = Console(stderr=True)


def _run(coro):
    return asyncio.run(coro)


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


class _Env:
    """The process's services (``api.bootstrap``) for one command; reads
    stored rates, fetches none."""

    async def __aenter__(self) -> _Env:
        from .bootstrap import build_services

        self.services = build_services(get_settings(), fetch_rates=False)
        self.settings = self.services.settings
        self.engine = self.services.engine
        self.ledger = self.services.ledger
        self.keyring = self.services.keyring
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.services.aclose()

    async def institution(self, code: str):
        inst = await self.ledger.find_institution(code)
        if inst is None:
            _fail(f"no institution with code {code!r}")
        return inst


# -- db -------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")):
    """Upgrade the configured database (XBORDER_DATABASE_URL) to REVISION."""
    from ledger.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    console.print(f"database upgraded to [bold]{revision}[/bold]")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="target revision, e.g. 'base' or '0001'")):
    """Downgrade the configured database to REVISION."""
    from ledger.migrate import downgrade

    downgrade(get_settings().database_url, revision)
    console.print(f"database downgraded to [bold]{revision}[/bold]")


@db_app.command("current")
def db_current():
    """Show the database's revision and the code's head."""
    from ledger.db import create_engine
    from ledger.migrate import current_revision, head_revision

    async def go():
        engine = create_engine()
        try:
            return await current_revision(engine)
        finally:
            await engine.dispose()

    console.print(f"database: {_run(go())}  head: {head_revision()}")


# -- institutions, keys, users ----------------------------------------------------------------


@inst_app.command("create")
def inst_create(code: str, name: str = typer.Option("", help="display name"), kind: str = typer.Option("bank", help="bank | payment_institution")):
    """Create an institution."""

    async def go():
        async with _Env() as env:
            inst = await env.ledger.create_institution(code, name or code, kind)
            console.print(f"institution [bold]{inst.code}[/bold] created: {inst.id}")

    _guard(go())


@inst_app.command("list")
def inst_list():
    """List institutions."""
    from sqlalchemy import select

    from ledger.schema import institutions

    async def go():
        async with _Env() as env, env.engine.connect() as conn:
            rows = (await conn.execute(select(institutions).order_by(institutions.c.code))).all()
        t = Table("code", "name", "kind", "id")
        for r in rows:
            t.add_row(r.code, r.name, r.kind, str(r.id))
        console.print(t)

    _guard(go())


@inst_app.command("require-signing")
def inst_require_signing(code: str, required: bool = typer.Option(True, "--on/--off")):
    """Require (or stop requiring) signed requests for an institution."""
    from api.auth import set_require_signing

    async def go():
        async with _Env() as env:
            inst = await env.institution(code)
            async with env.engine.begin() as conn:
                await set_require_signing(conn, inst.id, required)
        console.print(f"{code}: signed requests {'required' if required else 'optional'}")

    _guard(go())


@key_app.command("issue")
def key_issue(
    institution: str,
    name: str = typer.Option("default"),
    role: str = typer.Option("system", help="system | platform"),
    platform: str | None = typer.Option(None, help="platform code, for role=platform"),
    scope: list[str] = typer.Option(
        [], "--scope", help="a scope the key gets (repeatable; 'all' = every scope); none: the read-only scopes (a platform key: tradedata:write)",
    ),
):
    """Issue an API key; the key and its signing secret are shown only now."""
    from api.auth import issue_api_key
    from api.scopes import ALL_SCOPES

    scopes = None if not scope else list(ALL_SCOPES) if scope == ["all"] else scope

    async def go():
        async with _Env() as env:
            inst = await env.institution(institution)
            async with env.engine.begin() as conn:
                issued = await issue_api_key(conn, env.keyring, inst.id, name=name, role=role, platform_code=platform, scopes=scopes)
        console.print(f"api key id: {issued['id']}")
        console.print(f"scopes: {' '.join(issued['scopes'])}")
        console.print(f"API key (shown once): [bold]{issued['key']}[/bold]")
        console.print(f"signing secret (shown once): {issued['signing_secret']}")

    _guard(go())


@key_app.command("list")
def key_list(institution: str):
    """List an institution's keys (prefix only)."""
    from api.auth import list_api_keys

    async def go():
        async with _Env() as env:
            inst = await env.institution(institution)
            async with env.engine.connect() as conn:
                keys = await list_api_keys(conn, inst.id)
        t = Table("id", "prefix", "name", "role", "scopes", "created", "expires", "revoked")
        for k in keys:
            t.add_row(
                str(k["id"]), k["prefix"], k["name"], k["role"], " ".join(k["scopes"]), str(k["created_at"])[:19], str(k["expires_at"] or "")[:19], str(k["revoked_at"] or "")[:19],
            )
        console.print(t)

    _guard(go())


@key_app.command("rotate")
def key_rotate(institution: str, key_id: UUID, grace_seconds: int = typer.Option(0, help="keep the old key valid this long")):
    """Replace a key with a new one."""
    from api.auth import rotate_api_key

    async def go():
        async with _Env() as env:
            inst = await env.institution(institution)
            async with env.engine.begin() as conn:
                issued = await rotate_api_key(conn, env.keyring, inst.id, key_id, grace_seconds=grace_seconds)
        console.print(f"new API key (shown once): [bold]{issued['key']}[/bold]")
        console.print(f"signing secret (shown once): {issued['signing_secret']}")

    _guard(go())


@key_app.command("revoke")
def key_revoke(
    institution: str, key_id: UUID,
    force: bool = typer.Option(False, "--force", help="also revoke the institution's last active system key (a leaked key): the integration stops until a new key is issued"),
):
    """Revoke a key at once (the last active system key only with --force)."""
    from api.auth import revoke_api_key

    async def go():
        async with _Env() as env:
            inst = await env.institution(institution)
            async with env.engine.begin() as conn:
                await revoke_api_key(conn, inst.id, key_id, allow_last_system_key=force)
        console.print(f"key {key_id} revoked")

    _guard(go())


@user_app.command("create")
def user_create(
    institution: str,
    username: str,
    role: str = typer.Option(..., help="admin | finance | approver | sme"),
    merchant: str | None = typer.Option(None, help="merchant reference, for SME users"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True, envvar="XBORDER_NEW_USER_PASSWORD"),
):
    """Create a staff or SME user."""
    from api.auth import create_user

    async def go():
        async with _Env() as env:
            inst = await env.institution(institution)
            async with env.engine.begin() as conn:
                u = await create_user(conn, inst.id, username, password, role, merchant_ref=merchant)
        console.print(f"user {u['username']} ({u['role']}) created: {u['id']}")

    _guard(go())


# -- ledger -------------------------------------------------------------------------------


@ledger_app.command("verify")
def ledger_verify(
    institution: str | None = typer.Option(None, help="institution code (default: all)"),
    ledger: str | None = typer.Option(None, "--ledger", help="ledger code (default: all)"),
    balances: bool = typer.Option(True, help="also check stored balances against postings"),
):
    """Recompute the hash chain of ledgers; name the first altered or missing
    transaction.  Exit status 1 if any ledger fails."""
    from sqlalchemy import select

    from ledger.schema import institutions, ledgers

    async def go():
        async with _Env() as env:
            q = select(ledgers.c.id, ledgers.c.code, ledgers.c.institution_id, institutions.c.code.label("inst")).join(institutions, institutions.c.id == ledgers.c.institution_id)
            if institution:
                q = q.where(institutions.c.code == institution)
            if ledger:
                q = q.where(ledgers.c.code == ledger)
            async with env.engine.connect() as conn:
                rows = (await conn.execute(q.order_by(institutions.c.code, ledgers.c.code))).all()
            if not rows:
                _fail("no ledger matches")
            t = Table("institution", "ledger", "transactions", "checkpoints", "result")
            bad = 0
            for r in rows:
                rep = await env.ledger.verify(r.institution_id, r.id, check_balances=balances)
                if rep.ok:
                    result = "[green]ok[/green]"
                else:
                    bad += 1
                    where = f"#{rep.first_bad_seq}" + (f" ({rep.first_bad_transaction})" if rep.first_bad_transaction else "")
                    result = f"[red]FAILED at {where}: {rep.problem}[/red]"
                t.add_row(r.inst, r.code, str(rep.transactions_checked), str(rep.checkpoints_checked), result)
            console.print(t)
            return bad

    bad = _guard(go())
    raise typer.Exit(1 if bad else 0)


@ledger_app.command("checkpoint")
def ledger_checkpoint(institution: str, ledger: str = typer.Option("main", "--ledger")):
    """Sign the chain head of a ledger with the configured Ed25519 key."""

    async def go():
        async with _Env() as env:
            inst = await env.institution(institution)
            led = await env.ledger.find_ledger(inst.id, ledger)
            if led is None:
                return _fail(f"no ledger {ledger!r}")
            cp = await env.ledger.checkpoint(inst.id, led.id)
        console.print(f"checkpoint #{cp['seq']} {cp['head_hash']} signed by key {cp['key_id']}")

    _guard(go())


# -- serve and demo -----------------------------------------------------------------------


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    workers: int = typer.Option(1, help="uvicorn worker processes"),
    upgrade_db: bool = typer.Option(True, "--upgrade-db/--no-upgrade-db", help="run migrations first"),
):
    """Serve the HTTP API with uvicorn (OpenAPI UI at /docs)."""
    _require_free_port(host, port)  # before anything else: say so at once
    import uvicorn

    from api.observability import configure_logging
    from ledger.migrate import upgrade

    # the API's own address, which webhooks may not target (api.netguard); read by every worker
    os.environ["XBORDER_SERVE_ADDRESS"] = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    get_settings.cache_clear()
    settings = get_settings()
    configure_logging(settings.log_format)
    if upgrade_db:
        upgrade(settings.database_url)
    _require_current_keys(settings)
    proxies = settings.trusted_proxies if settings.trusted_proxies not in (None, "", "none") else None
    uvicorn.run("api.asgi:app", host=host, port=port, workers=workers, log_level="warning", access_log=False, proxy_headers=proxies is not None, forwarded_allow_ips=proxies)


def _require_free_port(host: str, port: int) -> None:
    """Exit 1 with a clear message when ``host:port`` cannot be bound (another
    server, often an earlier demo, is listening there)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            console.print(f"[red]cannot serve on {host}:{port}: {exc.strerror or exc}[/red] (another server, perhaps an earlier demo, "
                          f"is listening there: stop it, or pass --port N)")
            raise typer.Exit(1) from None


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    serve_api: bool = typer.Option(True, "--serve/--no-serve", help="start the API server after setting up"),
):
    """Set up a demo institution on the embedded SQLite database, print a
    fresh API key and example calls, then serve the API."""
    from .cli_ops import set_up

    if serve_api:
        _require_free_port(host, port)  # before the set-up: say so at once, not after printing a key
    settings = get_settings()
    set_up(settings)  # schema and development keys, explicitly
    info = _guard(_demo_setup())
    base = f"http://{host}:{port}"
    key = info["key"]
    console.rule("[bold]xborder demo[/bold]")
    console.print(f"database: {settings.database_url}")
    console.print(f"institution: {info['institution']}   ledger: {info['ledger_id']}")
    t = Table("account", "currency", "posted", "available")
    for a in info["accounts"]:
        t.add_row(a["code"], a["currency"], a["posted"], a["available"])
    console.print(t)
    console.print(f"demo API key (new each run): [bold]{key}[/bold]")
    console.print(f"staff logins (institution 'demo-bank'): finance / approver / admin, password: {info['password']}  console: {base}/console")
    console.print(f"SME portal (merchant M001): user shop, same password  portal: {base}/portal")
    console.print("\n[bold]Try it[/bold] (in another terminal):")
    console.print(f"  export XB_KEY={key}")
    console.print(f"  curl -s {base}/v1/ledgers -H \"Authorization: Bearer $XB_KEY\"")
    console.print(f"  curl -s {base}/v1/accounts/{info['merchant']}/balance -H \"Authorization: Bearer $XB_KEY\"")
    body = json.dumps({"description": "receipt", "postings": [
        {"account_id": info["bank"], "side": "debit", "amount": "250.00", "currency": "USD"},
        {"account_id": info["merchant"], "side": "credit", "amount": "250.00", "currency": "USD"}]})
    console.print(f"  curl -s -X POST {base}/v1/ledgers/{info['ledger_id']}/transactions -H \"Authorization: Bearer $XB_KEY\" \\\n       -H 'Idempotency-Key: demo-1' -H 'Content-Type: application/json' -d '{body}'")
    console.print(f"  curl -s {base}/v1/ledgers/{info['ledger_id']}/trial-balance -H \"Authorization: Bearer $XB_KEY\"")
    if info.get("customer"):
        console.print(f"  curl -s '{base}/v1/receipts?customer_id={info['customer']}' -H \"Authorization: Bearer $XB_KEY\"   # gross 10,000.00 less three netted fees")
        console.print(f"  curl -s {base}/v1/customers/{info['customer']}/accounts -H \"Authorization: Bearer $XB_KEY\"")
    console.print(f"  OpenAPI UI: {base}/docs")
    if serve_api:
        console.print(f"\nserving on {base} (Ctrl-C to stop)")
        serve(host=host, port=port, workers=1, upgrade_db=False)


DEMO_PASSWORD = "demo-password-123"


async def _demo_setup() -> dict[str, Any]:
    from api.auth import create_user, issue_api_key
    from api.scopes import MIGRATED_SYSTEM_SCOPES
    from ledger.model import NewTransaction, Posting

    async with _Env() as env:
        L = env.ledger
        found = await L.find_institution("demo-bank")
        fresh = found is None
        inst = found or await L.create_institution("demo-bank", "Demo Bank (pilot zone)", "bank")
        led = await L.find_ledger(inst.id, "main") or await L.create_ledger(inst.id, "main", "Main ledger")
        specs = [
            ("bank-settlement-usd", "USD", "asset", "Settlement account at correspondent (USD)", {}),
            ("merchant-m001-usd", "USD", "liability", "Merchant M001 current-account FX (USD)", {"debits_must_not_exceed_credits": True}),
            ("merchant-m001-cny", "CNY", "liability", "Merchant M001 CNY account", {"debits_must_not_exceed_credits": True}),
            ("fx-position-usd", "USD", "equity", "FX position (USD)", {}),
            ("fx-position-cny", "CNY", "equity", "FX position (CNY)", {}),
            ("bank-settlement-cny", "CNY", "asset", "Settlement account (CNY)", {}),
            ("fee-income-usd", "USD", "income", "Fee income (USD)", {}),
            ("bank-charges-usd", "USD", "expense", "Bank charges (USD)", {}),
            ("recon-suspense-usd", "USD", "liability", "Reconciliation suspense (USD)", {}),
        ]
        accts = {}
        spec: tuple[str, str, str, str, dict[str, bool]]
        for spec in specs:
            code, cur, typ, name, flags = spec
            a = await L.find_account(inst.id, led.id, code)
            if a is None:
                a = await L.create_account(inst.id, led.id, code, cur, typ, name=name, owner_ref="M001" if "merchant" in code else None, metadata={"merchant": "M001"} if "merchant" in code else {},
                                           debits_must_not_exceed_credits=flags.get("debits_must_not_exceed_credits", False))
            accts[code] = a.id
        if fresh:
            P = Posting
            await L.post(inst.id, NewTransaction(led.id, [P(accts["bank-settlement-usd"], 1_000_000, "debit"), P(accts["merchant-m001-usd"], 1_000_000, "credit")],
                idempotency_key="demo:receipt-1", description="export receipt, order batch 2026-11",
                effective_date=business_today()))
            await L.post(inst.id, NewTransaction(led.id, [P(accts["merchant-m001-usd"], 2_500, "debit"), P(accts["fee-income-usd"], 2_500, "credit")], idempotency_key="demo:fee-1", description="settlement fee"))
            await L.post(inst.id, NewTransaction(led.id, [
                P(accts["merchant-m001-usd"], 300_000, "debit"), P(accts["fx-position-usd"], 300_000, "credit"),
                P(accts["fx-position-cny"], 2_130_000, "debit"), P(accts["merchant-m001-cny"], 2_130_000, "credit"),
            ], idempotency_key="demo:conversion-1", description="conversion USD 3,000.00 -> CNY at 7.1000", metadata={"rate": "7.1000", "rate_source": "demo"}))
            async with env.engine.begin() as conn:
                for role in ("finance", "approver", "admin"):
                    await create_user(conn, inst.id, role, DEMO_PASSWORD, role)
            await _demo_settlement(env, inst.id)
            await _demo_recon(env, inst.id, accts)
            async with env.engine.begin() as conn:  # the SME portal's user, bound to merchant M001
                await create_user(conn, inst.id, "shop", DEMO_PASSWORD, "sme", merchant_ref="M001")
        async with env.engine.begin() as conn:
            # the demo walks through every area, not user or key administration
            issued = await issue_api_key(conn, env.keyring, inst.id, name="demo", scopes=list(MIGRATED_SYSTEM_SCOPES))
        from ledger.money import format_minor
        from settlement.customers import find_customer_by_ref

        cust = await find_customer_by_ref(env.engine, inst.id, "M001")
        out = []
        for code in accts:
            a = await L.get_account(inst.id, accts[code])
            out.append({"code": code, "currency": a.currency, "posted": format_minor(a.posted, a.currency), "available": format_minor(a.available, a.currency)})
        return {
            "institution": inst.code, "ledger_id": str(led.id), "key": issued["key"], "password": DEMO_PASSWORD, "accounts": out,
            "bank": str(accts["bank-settlement-usd"]), "merchant": str(accts["merchant-m001-usd"]),
            "customer": str(cust.id) if cust else None,
        }


async def _demo_settlement(env, institution_id) -> None:
    """A class-A merchant with a receipt netting three overseas fees."""
    from decimal import Decimal

    from settlement.customers import open_customer
    from settlement.receipts import ReceiptIn

    stl = env.services.settlement
    await stl.rates.set_manual_rate(institution_id, "USD", "CNY", Decimal("7.1000"), as_of=business_today())
    m = await open_customer(env.ledger, env.keyring, institution_id, ref="M001", kind="enterprise", name="Shenzhen Demo Trading Co., Ltd.", fx_class="A", directory_registered=True)
    await stl.receipts.post_receipt(institution_id, ReceiptIn(
        customer_id=m.id, currency="USD", gross_minor=1_000_000, net_minor=900_000, customs_mode="9810", destination_country="DE",
        external_ref="demo-receipt-1", fees={"warehousing": 60_000, "logistics": 25_000, "tax": 15_000}, declared_value_minor=950_000,
    ))


DEMO_BANK_ACCOUNT = "CN0010400000000001234567"


async def _demo_recon(env, institution_id, accts) -> None:
    """The USD settlement account under reconciliation, with today's bank
    statement imported and matched: one line matched by reference, two left
    for finance staff in the exceptions queue."""
    import io

    from recon.samples import SampleEntry, write_camt053

    recon = env.services.recon
    await recon.register_account(
        institution_id, bank_account=DEMO_BANK_ACCOUNT, ledger_account_id=accts["bank-settlement-usd"], name="USD settlement account (demo)",
        fee_account_id=accts["bank-charges-usd"], adjustment_account_id=accts["recon-suspense-usd"],
        config={"date_window_days": 3, "charge_tolerance": "50.00", "charge_tolerance_bp": 100}, actor="demo",
    )
    today = business_today()
    buf = io.BytesIO()
    write_camt053(buf, account=DEMO_BANK_ACCOUNT, currency="USD", statement_id=f"DEMO-{today:%Y%m%d}", entries=[
        SampleEntry(1_000_000, today, end_to_end_ref="receipt-1", description="export proceeds, order batch 2026-11"),
        SampleEntry(-2_500, today, description="account maintenance fee"),
        SampleEntry(123_456, today, description="unidentified incoming transfer"),
    ])
    buf.seek(0)
    await recon.import_statement(institution_id, buf, filename="demo-statement.xml", actor="demo")
    await recon.run_matching(institution_id, actor="demo")


def _require_current_keys(settings) -> None:
    """Refuse to serve while stored indexes or personal data are under former
    keys (after an upgrade to 0024, or a rotation not finished): the national
    registries would not see earlier usage.  Exit 2 naming the fix."""
    from .preflight import rotation_check

    check = _run(rotation_check(settings))
    if not check.ok:
        _fail(f"key rotation pending: {check.detail}; run `xborder keys rotate` first (docs/DEPLOYING.md)", code=2)


def _guard(coro):
    """Run a coroutine; domain errors become a clear message and exit 1."""
    from ledger.errors import LedgerError

    try:
        return _run(coro)
    except LedgerError as exc:
        _fail(f"{exc.code}: {exc.message}")


# -- operations: the worker, institution disable/enable ------------------------------------


@app.command()
def worker(
    metrics_port: int | None = typer.Option(None, help="serve Prometheus metrics on 127.0.0.1:PORT"),
    status: bool = typer.Option(False, "--status", help="show who leads each job and the latest daily runs, then exit"),
):
    """Run the background jobs (pending expiry, webhook delivery, purges, the
    daily loan accrual and advance overdue sweep) with one leader per job
    across every worker; stops cleanly on SIGTERM."""
    from api.jobs import job_status, run_worker
    from api.observability import configure_logging

    settings = get_settings()
    if status:
        async def show():
            async with _Env() as env:
                return await job_status(env.engine)

        out = _guard(show())
        t = Table("job", "leader", "until")
        for row in out["advisory_locks"]:
            t.add_row(row["job"], f"pid {row['pid']} from {row['client']} (advisory lock)", "its connection")
        for row in out["leases"]:
            t.add_row(row["job"], row["holder"], str(row["expires_at"])[:19])
        console.print(t)
        r = Table("daily job", "business day", "holder", "attempts", "finished", "result")
        for row in out["runs"]:
            r.add_row(row["job"], str(row["business_day"]), row["holder"], str(row["attempts"]), str(row["finished_at"] or "")[:19], json.dumps(row["result"], default=str)[:80])
        console.print(r)
        return
    configure_logging(settings.log_format)
    _require_current_keys(settings)

    async def go():
        from .bootstrap import build_services

        await run_worker(build_services(settings, fetch_rates=False), metrics_port=metrics_port)

    _guard(go())


@inst_app.command("disable")
def inst_disable(code: str, reason: str = typer.Option(..., help="why (kept in the audit log)")):
    """Disable an institution: every credential of it (API keys, platform
    keys, user tokens, console sessions, logins) is refused with 403
    institution_disabled until enabled again; its data is kept."""
    from api.institution_status import set_institution_disabled

    async def go():
        async with _Env() as env:
            inst = await env.institution(code)
            async with env.engine.begin() as conn:
                return await set_institution_disabled(conn, inst.id, True, reason=reason, actor="operator:cli")

    out = _guard(go())
    console.print(f"{code}: disabled at {str(out['disabled_at'])[:19]} ({reason})")


@inst_app.command("enable")
def inst_enable(code: str, reason: str = typer.Option("", help="why (kept in the audit log)")):
    """Enable a disabled institution again."""
    from api.institution_status import set_institution_disabled

    async def go():
        async with _Env() as env:
            inst = await env.institution(code)
            async with env.engine.begin() as conn:
                return await set_institution_disabled(conn, inst.id, False, reason=reason or None, actor="operator:cli")

    _guard(go())
    console.print(f"{code}: enabled")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
