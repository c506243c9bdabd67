"""Outward payments and the national S6 registry (issue #12 defect 3, DOMAIN
S6): receipts and payments each counted per enterprise and calendar year,
across institutions; migration 0014 adds up the per-customer receipts totals.
On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from ledger import errors as E
from ledger.db import create_engine
from ledger.migrate import downgrade_async, upgrade_async
from ledger.model import NewTransaction, Posting
from settlement import accounts as A
from settlement.customers import open_customer, record_registration
from settlement.payments import PaymentIn, PaymentInvalid
from settlement.receipts import ReceiptIn

from .conftest import today_cst

USCC = "91440300MA5F0XYZ1K"


async def fund(stl, inst, customer_id, amount_minor, currency="USD"):
    led = await A.settlement_ledger_id(stl.ledger, inst)
    cur = await A.customer_account(stl.ledger, inst, customer_id, "current", currency)
    nostro = await A.institution_account(stl.ledger, inst, "nostro", currency)
    await stl.ledger.post(inst, NewTransaction(led, [Posting(nostro, amount_minor, "debit", currency), Posting(cur, amount_minor, "credit", currency)]))


async def enterprise(stl, inst, ref="E1", registered=False, id_number=USCC):
    c = await open_customer(stl.ledger, stl.keyring, inst, ref=ref, kind="enterprise", name=f"{ref} Co", id_number=id_number, fx_class="A", directory_registered=registered)
    await fund(stl, inst, c.id, 1_000_000_00)
    return c


def payment(customer_id, amount_minor, ref, **kw):
    return PaymentIn(customer_id, "USD", amount_minor, kw.pop("purpose", "goods"), "Supplier Inc", "US", ref, **kw)


def receipt(customer_id, gross, ref):
    return ReceiptIn(customer_id=customer_id, currency="USD", gross_minor=gross, net_minor=gross, customs_mode="9610", destination_country="US", external_ref=ref)


@pytest.fixture
async def second_bank(stl):
    from decimal import Decimal

    inst = await stl.ledger.create_institution(f"bank2-{id(stl) % 100000}", "Second bank")
    await stl.rates.set_manual_rate(inst.id, "USD", "CNY", Decimal("7.1000"), as_of=today_cst())
    return inst.id


async def test_unregistered_enterprise_paying_90000_95000_20000_is_warned_at_185000_and_held_at_205000(stl, bank):
    e = await enterprise(stl, bank)
    out = [await stl.payments.post_payment(bank, payment(e.id, amt, f"p{n}")) for n, amt in enumerate((90_000_00, 95_000_00, 20_000_00))]
    assert [o["s6_payments_usd_minor"] for o in out] == [90_000_00, 185_000_00, 205_000_00]
    assert [o["status"] for o in out] == ["paid", "paid", "held"]
    assert out[2]["hold_reason"] == "registration_required"
    assert ["registration_warning" in o["alerts"] for o in out] == [False, True, False]
    with pytest.raises(E.Conflict):
        await stl.payments.release(bank, out[2]["id"], note="too early")
    await record_registration(stl.engine, bank, e.id)
    done = await stl.payments.release(bank, out[2]["id"], note="registration recorded")
    assert done["status"] == "released" and done["release_transaction_id"] is not None


async def test_receipts_and_payments_are_separate_s6_totals(stl, bank):
    """DOMAIN S6: receipts, or payments, each below 200,000; a receipt of
    150,000 does not bring the payments total anywhere."""
    e = await enterprise(stl, bank)
    r = await stl.receipts.post_receipt(bank, receipt(e.id, 150_000_00, "r1"))
    assert r["status"] == "credited"
    p = await stl.payments.post_payment(bank, payment(e.id, 150_000_00, "p1"))
    assert (p["status"], p["s6_payments_usd_minor"]) == ("paid", 150_000_00)
    r2 = await stl.receipts.post_receipt(bank, receipt(e.id, 50_000_00, "r2"))
    assert (r2["status"], r2["suspense_reason"]) == ("suspense", "registration_required")


async def test_the_receipts_total_is_national_too(stl, bank, second_bank):
    a = await enterprise(stl, bank)
    b = await enterprise(stl, second_bank)
    assert (await stl.receipts.post_receipt(bank, receipt(a.id, 185_000_00, "ra")))["status"] == "credited"
    held = await stl.receipts.post_receipt(second_bank, receipt(b.id, 15_000_00, "rb"))
    assert (held["status"], held["suspense_reason"]) == ("suspense", "registration_required")


async def test_two_institutions_racing_payments_hold_exactly_one(stl, bank, second_bank):
    a = await enterprise(stl, bank)
    b = await enterprise(stl, second_bank)
    outs = await asyncio.gather(
        stl.payments.post_payment(bank, payment(a.id, 120_000_00, "race-a")),
        stl.payments.post_payment(second_bank, payment(b.id, 110_000_00, "race-b")),
    )
    assert sorted(o["status"] for o in outs) == ["held", "paid"]
    assert max(o["s6_payments_usd_minor"] for o in outs) == 230_000_00


async def test_another_enterprise_and_a_registered_one_are_not_counted_together(stl, bank):
    a = await enterprise(stl, bank, ref="A1")
    other = await enterprise(stl, bank, ref="O1", registered=True, id_number="91110000100000000X")
    await stl.payments.post_payment(bank, payment(a.id, 199_999_99, "a"))
    o = await stl.payments.post_payment(bank, payment(other.id, 300_000_00, "o"))
    assert (o["status"], o["s6_payments_usd_minor"]) == ("paid", 300_000_00)
    last = await stl.payments.post_payment(bank, payment(a.id, 1, "a-last"))
    assert (last["status"], last["s6_payments_usd_minor"]) == ("held", 200_000_00)


async def test_replay_by_reference_and_a_changed_request_is_a_duplicate(stl, bank):
    e = await enterprise(stl, bank)
    first = await stl.payments.post_payment(bank, payment(e.id, 100_00, "same"))
    again = await stl.payments.post_payment(bank, payment(e.id, 100_00, "same"))
    assert again["replayed"] and again["id"] == first["id"]
    with pytest.raises(E.Conflict):
        await stl.payments.post_payment(bank, payment(e.id, 101_00, "same"))
    with pytest.raises(PaymentInvalid):
        await stl.payments.post_payment(bank, payment(e.id, 100_00, "neg", purpose="gift"))
    assert len(await stl.payments.list(bank)) == 1


async def _url(db_kind, request, tmp_path):
    if db_kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 's6.db'}"
    pg = request.getfixturevalue("pg")
    name = f"xb_s6_{tmp_path.name[-20:].replace('-', '_')}"
    pg.server.create_database(name)
    return pg.server.url(name)


async def test_migration_0014_adds_up_receipt_totals_per_enterprise(db_kind, request, tmp_path):
    """Two banks' customers with one registration number become one national
    row (their receipts added, warned if either was); a customer without a
    number keeps a row of its own."""
    engine = create_engine(await _url(db_kind, request, tmp_path))
    enc = (lambda u: u) if db_kind == "postgresql" else (lambda u: u.hex)
    try:
        await upgrade_async(engine, "0013")
        inst, c1, c2, c3 = (uuid.uuid4() for _ in range(4))
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO institutions (id, code, name, kind, created_at) VALUES (:i, 'b', 'B', 'bank', :now)"), {"i": enc(inst), "now": now})
            for c, idx in ((c1, "idx-1"), (c2, "idx-1"), (c3, None)):
                await conn.execute(
                    text("INSERT INTO customers (id, institution_id, ref, kind, fx_class, directory_registered, negative_listed, name_enc, id_index, currencies, created_at, updated_at) "
                         "VALUES (:c, :i, :ref, 'enterprise', 'A', false, false, 'x', :idx, '[]', :now, :now)"),
                    {"c": enc(c), "i": enc(inst), "ref": c.hex[:8], "idx": idx, "now": now},
                )
            for c, usd, warned in ((c1, 120_000_00, False), (c2, 70_000_00, True), (c3, 5_000_00, False)):
                await conn.execute(
                    text("INSERT INTO customer_year_totals (customer_id, year, institution_id, receipts_usd_minor, payments_usd_minor, warned) VALUES (:c, 2026, :i, :u, 0, :w)"),
                    {"c": enc(c), "i": enc(inst), "u": usd, "w": warned},
                )
        await upgrade_async(engine, "0014")
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT subject_index, year, direction, usd_minor, warned FROM s6_registry ORDER BY usd_minor"))).all()
        assert [tuple(r) for r in rows] == [(f"cust:{c3}", 2026, "receipts", 5_000_00, False), ("idx-1", 2026, "receipts", 190_000_00, True)]
        await downgrade_async(engine, "0013")
    finally:
        await engine.dispose()
