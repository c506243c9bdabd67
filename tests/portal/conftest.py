"""SME portal fixtures: an institution with two merchants (SME1 with a
year of matched orders, SME2 with none), an SME user each, a finance user
and an approver, an order product repaid in equal monthly instalments with
an arrangement fee; and a second institution for tenancy checks.  Used by
the httpx-level page tests and by the browser test."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest

from api.app import create_app
from api.auth import create_user
from financing import applications as FA
from financing import products as P
from settlement.customers import open_customer
from tests.api.test_financing_api import _history

PASSWORD = "correct horse battery"


@dataclass
class Shop:
    code: str
    institution_id: UUID
    product_id: UUID
    merchants: dict[str, UUID] = field(default_factory=dict)
    orders: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


async def seed_shop(app, code: str = "portal-bank", *, history: bool = True) -> Shop:
    """Everything through the services (staff configure the product; the orders come from the platform)."""
    ctx = app.state.ctx
    inst = await ctx.ledger.create_institution(code, f"Portal Bank {code}")
    merchants = {}
    for ref, name in (("SME1", "Shenzhen Small Exporter Ltd"), ("SME2", "Other Exporter Ltd")):
        merchants[ref] = (await open_customer(ctx.ledger, ctx.keyring, inst.id, ref=ref, kind="enterprise", name=name, fx_class="A", directory_registered=True)).id
    async with ctx.engine.begin() as conn:
        await create_user(conn, inst.id, "sme1", PASSWORD, "sme", merchant_ref="SME1")
        await create_user(conn, inst.id, "sme2", PASSWORD, "sme", merchant_ref="SME2")
        await create_user(conn, inst.id, "mei", PASSWORD, "finance")
        await create_user(conn, inst.id, "chen", PASSWORD, "approver")
    product = await P.create_product(
        ctx.engine, inst.id, code="order-usd", kind="order", currency="USD", fixed_rate=Decimal("0.073"), min_tenor_days=30, max_tenor_days=180,
        schedule_method="equal_instalment", arrangement_fee_bp=50,
    )
    orders = await _history(ctx.engine, inst.id, "SME1") if history else []
    return Shop(code, inst.id, product.id, merchants, orders)


def staff(shop: Shop) -> FA.Caller:
    return FA.Caller(shop.institution_id, "user:staff-in-test")


async def decide_and_offer(app, shop: Shop, loan_id: UUID, amount: str | None = None) -> None:
    """What bank staff do between the application and the offer (through the service)."""
    ledger = app.state.ctx.ledger
    await FA.decide(ledger, staff(shop), loan_id, approve=True, amount=amount, reasons=[])
    await FA.make_offer(ledger, staff(shop), loan_id)


async def disburse(app, shop: Shop, loan_id: UUID) -> None:
    await FA.disburse(app.state.ctx.ledger, staff(shop), loan_id)


@pytest.fixture
async def app(engine, settings):
    yield create_app(settings, engine, background_jobs=False)


@pytest.fixture
async def shop(app) -> Shop:
    return await seed_shop(app)


def client_for(app, lang: str | None = "en") -> httpx.AsyncClient:
    """A client of the portal; ``lang`` sets the language cookie (``None``: the default, Chinese)."""
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://xborder.test", follow_redirects=False)
    if lang is not None:
        c.cookies.set("xb_console_lang", lang, domain="xborder.test", path="/portal")
    return c


_CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
_KEY_RE = re.compile(r'name="key" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = _CSRF_RE.search(html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def key_of(html: str) -> str:
    m = _KEY_RE.search(html)
    assert m, "no submission key on the form"
    return m.group(1)


async def login(client: httpx.AsyncClient, code: str, username: str, password: str = PASSWORD) -> httpx.Response:
    page = await client.get("/portal/login")
    assert page.status_code == 200, page.text
    return await client.post("/portal/login", data={"institution": code, "username": username, "password": password, "csrf": csrf_of(page.text)})
