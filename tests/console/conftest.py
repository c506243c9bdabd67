"""Console fixtures: an institution with staff users (two finance makers, an
approver, an admin, an SME user), a USD nostro account under reconciliation
with one statement line and one ledger entry the automatic matcher cannot
pair, two receipts for the dashboard, and a second institution for tenancy
checks.  Used by the httpx-level tests and by the browser test."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
import pytest

from api.app import create_app
from api.auth import create_user
from ledger.model import NewTransaction, Posting
from recon import model as M

PASSWORD = "correct horse battery"
NOSTRO = "US00NOSTRO0001"
#: the statement line: USD 1,234.56 in, reference the bank made up
LINE_AMOUNT = 123_456
#: receipts for the dashboard: (external ref, gross minor, days ago)
RECEIPTS = [("rcpt-1", 1_000_000, 0), ("rcpt-2", 250_075, 0), ("rcpt-3", 500_000, 3)]


def business_today() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


@dataclass
class World:
    code: str
    institution_id: UUID
    ledger_id: UUID
    accounts: dict[str, UUID] = field(default_factory=dict)
    recon_account_id: UUID | None = None
    line_id: str = ""
    entry_id: str = ""
    customer_id: UUID | None = None
    extra: dict[str, Any] = field(default_factory=dict)


async def seed_world(app, code: str = "con-bank", *, receipts: bool = True) -> World:
    """Everything through the services: users, ledger, accounts, a posted
    receipt-like entry on the nostro, a statement line for it that differs
    in reference and by 20 days, receipts through settlement."""
    ctx = app.state.ctx
    L = ctx.ledger
    inst = await L.create_institution(code, f"Console Bank {code}")
    async with ctx.engine.begin() as conn:
        for name, role in (("mei", "finance"), ("fang", "finance"), ("chen", "approver"), ("ada", "admin")):
            await create_user(conn, inst.id, name, PASSWORD, role)
        await create_user(conn, inst.id, "shop", PASSWORD, "sme", merchant_ref="M001")
    led = await L.create_ledger(inst.id, "main", "Main")
    w = World(code, inst.id, led.id)
    for acode, cur, typ in (("nostro_usd", "USD", "asset"), ("clients_usd", "USD", "liability"), ("charges_usd", "USD", "expense"), ("suspense_usd", "USD", "equity")):
        w.accounts[acode] = (await L.create_account(inst.id, led.id, acode, cur, typ)).id
    recon = ctx.recon
    acct = await recon.register_account(
        inst.id, bank_account=NOSTRO, ledger_account_id=w.accounts["nostro_usd"], fee_account_id=w.accounts["charges_usd"],
        adjustment_account_id=w.accounts["suspense_usd"], name="ICBC USD nostro", config={"date_window_days": 3},
    )
    w.recon_account_id = acct.id
    today = business_today()
    # the ledger entry: booked 20 days before the bank's value date, our own reference
    res = await L.post(inst.id, NewTransaction(
        led.id, [Posting(w.accounts["nostro_usd"], LINE_AMOUNT, "debit"), Posting(w.accounts["clients_usd"], LINE_AMOUNT, "credit")],
        idempotency_key=f"{code}:incoming-1", effective_date=today - timedelta(days=22), description="incoming payment, order batch 7",
        metadata={"reference": "OUR-REF-7781"},
    ))
    tx = await L.get_transaction(inst.id, res.transaction_id)
    w.entry_id = next(f"{tx.id}:{p.line_no}" for p in tx.postings if p.account_id == w.accounts["nostro_usd"])
    # the statement line: same amount, the bank's reference, value date 20 days later
    events = [
        M.StatementHeader(format="camt.053", statement_id=f"{code}-STMT-1", account=NOSTRO, currency="USD", opening_balance_minor=0),
        M.StatementEntry(index=0, amount_minor=LINE_AMOUNT, currency="USD", booking_date=today - timedelta(days=2), value_date=today - timedelta(days=2),
                         end_to_end_ref="BANK-XYZ-001", description="CREDIT TRANSFER PACIFIC IMPORTERS", position="line 1"),
        M.StatementFooter(closing_balance_minor=LINE_AMOUNT, entry_count=1),
    ]
    await recon.import_events(inst.id, events, filename="seed.xml", actor="operator")
    runs = await recon.run_matching(inst.id)
    assert sum(sum(r.counts.values()) for r in runs) == 0, "the matcher must not pair the seeded line and entry"
    items = await recon.exceptions(inst.id)
    lines = [i for i in items if i.side == "line"]
    assert len(lines) == 1 and [i.id for i in items if i.side == "entry"] == [w.entry_id]
    w.line_id = lines[0].id
    if receipts:
        await _receipts(app, w, today)
    return w


async def _receipts(app, w: World, today: date) -> None:
    from decimal import Decimal

    from settlement.customers import open_customer
    from settlement.receipts import ReceiptIn

    ctx = app.state.ctx
    stl = ctx.settlement
    await ctx.rates.set_manual_rate(w.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=today)
    m = await open_customer(ctx.ledger, ctx.keyring, w.institution_id, ref="M001", kind="enterprise", name="Shenzhen Demo Trading Co., Ltd.", fx_class="A", directory_registered=True)
    w.customer_id = m.id
    for ref, gross, days_ago in RECEIPTS:
        await stl.receipts.post_receipt(w.institution_id, ReceiptIn(
            customer_id=m.id, currency="USD", gross_minor=gross, net_minor=gross, customs_mode="9610", destination_country="DE", external_ref=ref,
            value_date=today - timedelta(days=days_ago),
        ))


@pytest.fixture
async def app(engine, settings):
    yield create_app(settings, engine, background_jobs=False)


@pytest.fixture
async def world(app) -> World:
    return await seed_world(app)


@pytest.fixture
async def other_world(app) -> World:
    return await seed_world(app, "other-bank", receipts=False)


def client_for(app, lang: str | None = "en") -> httpx.AsyncClient:
    """A client of the console; ``lang`` sets the language cookie (these tests
    read the English texts; ``None`` keeps the default, Chinese)."""
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://xborder.test", follow_redirects=False)
    if lang is not None:
        c.cookies.set("xb_console_lang", lang, domain="xborder.test", path="/console")
    return c


_CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = _CSRF_RE.search(html)
    assert m, "no CSRF field on the page"
    return m.group(1)


async def login(client: httpx.AsyncClient, code: str, username: str, password: str = PASSWORD) -> httpx.Response:
    page = await client.get("/console/login")
    assert page.status_code == 200, page.text
    return await client.post("/console/login", data={"institution": code, "username": username, "password": password, "csrf": csrf_of(page.text)})
