"""Trade data intake and the three-document match (S2); the shared evidence
registry: an order's value backs one receipt anywhere."""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import time
import tracemalloc
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ledger.crypto import Keyring
from ledger.db import run_in_transaction
from ledger.events import outbox_events
from settlement.customers import open_customer
from settlement.tables_tradedata import evidence_claims, evidence_registry, trade_orders, trade_rejects
from settlement.tradedata import (
    OrderIn,
    OrderRef,
    PaymentIn,
    RecordRejected,
    WaybillIn,
    claim_evidence,
    evidence_key,
    get_order,
    ingest_file,
    ingest_orders,
    ingest_payments,
    ingest_refunds,
    ingest_waybills,
    list_orders,
    match_orders,
    record_refund,
    release_evidence,
)
from settlement.tradedata.secrecy import open_reject

PLATFORM = "shopx"
D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


class Trade:
    def __init__(self, engine, inst, merchants):
        self.engine, self.inst, self.m = engine, inst, merchants

    async def three(self, ext, amount, *, paid=None, currency="USD", merchant="M1", pay_currency=None, paid_on=D2, shipped_on=D3, waybill=True, payment=True):
        await ingest_orders(self.engine, self.inst, PLATFORM, [OrderIn(ext, merchant, currency, amount, D1)])
        if waybill:
            await ingest_waybills(self.engine, self.inst, PLATFORM, [WaybillIn(f"W-{ext}", ext, merchant, shipped_on)])
        if payment:
            await ingest_payments(self.engine, self.inst, PLATFORM, [PaymentIn(f"P-{ext}", ext, merchant, pay_currency or currency, paid if paid is not None else amount, paid_on)])

    async def order(self, ext):
        async with self.engine.connect() as conn:
            return (await conn.execute(select(trade_orders).where(trade_orders.c.institution_id == self.inst, trade_orders.c.external_id == ext))).one()


async def _trade(ledger, settings, code="bank-t"):
    keyring = Keyring.from_settings(settings)
    inst = (await ledger.create_institution(code, code)).id
    m1 = await open_customer(ledger, keyring, inst, ref="M1", kind="enterprise", name="Merchant One", fx_class="A")
    m2 = await open_customer(ledger, keyring, inst, ref="M2", kind="individual_business", name="Merchant Two", fx_class="B")
    return Trade(ledger.engine, inst, {"M1": m1.id, "M2": m2.id})


@pytest.fixture
async def trade(ledger, settings):
    return await _trade(ledger, settings)


async def test_three_documents_agreeing_within_half_a_percent_are_matched_outside_mismatched_missing_partial(trade):
    await trade.three("O-1", 100_00, paid=100_50)  # +0.50 % exactly: within
    await trade.three("O-2", 100_00, paid=99_50)  # -0.50 %
    await trade.three("O-3", 100_00, paid=100_51)  # +0.51 %: outside
    await trade.three("O-4", 100_00, waybill=False)
    await trade.three("O-5", 100_00, payment=False, waybill=False)
    o = {x: await trade.order(x) for x in ("O-1", "O-2", "O-3", "O-4", "O-5")}
    assert (o["O-1"].match_status, o["O-1"].match_reason) == ("matched", None)
    assert o["O-2"].match_status == "matched"
    assert (o["O-3"].match_status, o["O-3"].match_reason) == ("mismatched", "amount outside 0.5 % (paid 100.51, order 100.00)")
    assert (o["O-4"].match_status, o["O-4"].match_reason) == ("partial", "missing waybill")
    assert (o["O-5"].match_status, o["O-5"].match_reason) == ("partial", "missing waybill; missing payment")
    assert await match_orders(trade.engine, trade.inst) == {"matched": 2, "mismatched": 1, "partial": 2}


async def test_disagreeing_merchant_currency_or_dates_mismatch_the_order_with_the_reason(trade):
    await trade.three("C-1", 50_00, pay_currency="EUR")
    await ingest_orders(trade.engine, trade.inst, PLATFORM, [OrderIn("C-2", "M1", "USD", 50_00, D2)])
    await ingest_waybills(trade.engine, trade.inst, PLATFORM, [WaybillIn("W-C-2", "C-2", "M2", D3)])
    await ingest_payments(trade.engine, trade.inst, PLATFORM, [PaymentIn("P-C-2", "C-2", "M1", "USD", 50_00, D1)])
    await trade.three("C-3", 50_00, shipped_on=date(2026, 2, 28))
    assert (await trade.order("C-1")).match_reason == "currency differs on payment P-C-1 (EUR, order USD)"
    c2 = await trade.order("C-2")
    assert c2.match_status == "mismatched"
    assert c2.match_reason == "merchant differs on waybill W-C-2 (M2, order M1); payment before order (payment P-C-2 paid 2026-03-01, ordered 2026-03-02)"
    assert (await trade.order("C-3")).match_reason == "shipment before order (waybill W-C-3 shipped 2026-02-28, ordered 2026-03-01)"


async def test_documents_may_arrive_in_any_order_and_split_payments_add_up(trade):
    # waybill and first half of the payment before the order
    await ingest_waybills(trade.engine, trade.inst, PLATFORM, [{"external_id": "W-9", "order_external_id": "O-9", "merchant_ref": "M1", "shipped_on": "2026-03-03"}])
    r = await ingest_payments(trade.engine, trade.inst, PLATFORM, [{"external_id": "P-9a", "order_external_id": "O-9", "merchant_ref": "M1", "currency": "USD", "amount": "60.00", "paid_on": "2026-03-02"}])
    assert r.inserted == 1 and r.match == {}  # no order yet
    r = await ingest_orders(trade.engine, trade.inst, PLATFORM, [{"external_id": "O-9", "merchant_ref": "M1", "currency": "USD", "amount": "100.00", "order_date": "2026-03-01T10:00:00+08:00"}])
    assert r.match == {"mismatched": 1}
    assert (await trade.order("O-9")).match_reason == "amount outside 0.5 % (paid 60.00, order 100.00)"
    r = await ingest_payments(trade.engine, trade.inst, PLATFORM, [{"external_id": "P-9b", "order_external_id": "O-9", "merchant_ref": "M1", "currency": "USD", "amount_minor": 4000, "paid_on": "2026-03-02"}])
    assert r.match == {"matched": 1} and (await trade.order("O-9")).match_status == "matched"


async def test_the_tolerance_is_national_an_institution_cannot_widen_it(trade, monkeypatch):
    """The match tolerance decides which orders are evidence in the national
    registry: the deployment's (XBORDER_MATCH_AMOUNT_TOLERANCE), never an
    institution's (a stored institution value is ignored)."""
    from ledger.config import get_settings
    from settlement.tables_receipts import settlement_settings

    async with trade.engine.begin() as conn:
        await conn.execute(settlement_settings.insert().values(institution_id=trade.inst, config={"match_amount_tolerance": "0.01"}, updated_at=datetime.now(UTC)))
    await trade.three("T-1", 100_00, paid=100_90)
    assert (await trade.order("T-1")).match_reason == "amount outside 0.5 % (paid 100.90, order 100.00)"
    monkeypatch.setenv("XBORDER_MATCH_AMOUNT_TOLERANCE", "0.01")  # the operator's setting
    get_settings.cache_clear()
    try:
        await trade.three("T-2", 100_00, paid=100_90)
        await trade.three("T-3", 100_00, paid=101_01)
    finally:
        monkeypatch.delenv("XBORDER_MATCH_AMOUNT_TOLERANCE")
        get_settings.cache_clear()
    assert (await trade.order("T-2")).match_status == "matched"
    assert (await trade.order("T-3")).match_reason == "amount outside 1 % (paid 101.01, order 100.00)"


async def test_reingesting_the_same_records_is_idempotent_by_platform_and_external_id(trade, ledger, settings):
    orders = [OrderIn(f"I-{i}", "M1", "USD", 10_00 + i, D1) for i in range(5)]
    r1 = await ingest_orders(trade.engine, trade.inst, PLATFORM, orders + [orders[0]])
    assert (r1.inserted, r1.duplicates, r1.rejected) == (5, 1, [])
    r2 = await ingest_orders(trade.engine, trade.inst, PLATFORM, orders)
    assert (r2.inserted, r2.duplicates) == (0, 5)
    changed = [OrderIn("I-0", "M1", "USD", 99_999_00, D1)]  # same id, other content: still the first record
    assert (await ingest_orders(trade.engine, trade.inst, PLATFORM, changed)).duplicates == 1
    r3 = await ingest_orders(trade.engine, trade.inst, "other-platform", orders[:2])
    assert r3.inserted == 2  # another platform's order ids are other orders
    async with trade.engine.connect() as conn:
        n = (await conn.execute(select(func.count()).select_from(trade_orders))).scalar()
        amount = (await conn.execute(select(trade_orders.c.amount_minor).where(trade_orders.c.external_id == "I-0", trade_orders.c.platform_code == PLATFORM))).scalar()
    assert (n, amount) == (7, 10_00)


async def test_bad_records_are_rejected_with_a_reason_and_held_while_the_others_go_in(trade):
    records = [
        {"external_id": "G-1", "merchant_ref": "M1", "currency": "USD", "amount": "10.00", "order_date": "2026-03-01"},
        {"external_id": "B-1", "merchant_ref": "NOPE", "currency": "USD", "amount": "10.00", "order_date": "2026-03-01"},
        {"external_id": "B-2", "merchant_ref": "M1", "currency": "USD", "amount": "10.001", "order_date": "2026-03-01"},
        {"external_id": "B-3", "merchant_ref": "M1", "currency": "USD", "amount": 10.5, "order_date": "2026-03-01"},
        {"external_id": "B-4", "merchant_ref": "M1", "currency": "JPY", "amount": "10.5", "order_date": "2026-03-01"},
        {"external_id": "B-5", "merchant_ref": "M1", "currency": "USD", "amount": "10.00"},
        {"external_id": "B-6", "merchant_ref": "M1", "currency": "XYZ", "amount": "1", "order_date": "2026-03-01"},
        {"external_id": "B-7", "merchant_ref": "M1", "currency": "USD", "amount": "0", "order_date": "2026-03-01"},
        {"external_id": "B-8", "merchant_ref": "M1", "currency": "USD", "amount": "5", "order_date": "2026-03-01", "customs_mode": "1234"},
        {"external_id": "G-2", "merchant_ref": "M2", "currency": "JPY", "amount": "1050", "order_date": "2026-03-01", "customs_mode": "9610", "destination_country": "us"},
    ]
    r = await ingest_orders(trade.engine, trade.inst, PLATFORM, records)
    assert (r.inserted, r.duplicates, r.rejected_total) == (2, 0, 8)
    assert r.rejected == [
        (1, "unknown merchant 'NOPE'"),
        (2, "invalid amount '10.001': amount: USD has 2 decimal places"),
        (3, "invalid amount '10.5': amounts must be decimal strings or integers, never floats"),
        (4, "invalid amount '10.5': amount: JPY has 0 decimal places"),
        (5, "order_date is missing"),
        (6, "unknown currency 'XYZ'"),
        (7, "amount must be positive"),
        (8, "customs_mode must be one of 9610, 9710, 9810, 1210"),
    ]
    async with trade.engine.connect() as conn:
        held = (await conn.execute(select(trade_rejects).order_by(trade_rejects.c.position))).all()
    assert [(h.position, h.external_id, h.kind) for h in held][:2] == [(1, "B-1", "orders"), (2, "B-2", "orders")]
    assert held[0].raw.startswith("x1.") and "NOPE" not in held[0].raw  # held encrypted at rest
    assert json.loads(open_reject(None, held[0].institution_id, held[0].raw))["merchant_ref"] == "NOPE" and held[0].reason == "unknown merchant 'NOPE'"
    async with trade.engine.connect() as conn:
        events = [e.payload for e in await conn.execute(select(outbox_events).where(outbox_events.c.type == "trade_data.ingested"))]
    assert events == [{"kind": "orders", "platform_code": PLATFORM, "inserted": 2, "duplicates": 0, "rejected": 8}]
    g2 = await trade.order("G-2")
    assert (g2.amount_minor, g2.currency, g2.customs_mode, g2.destination_country) == (1050, "JPY", "9610", "US")


async def test_returns_and_refunds_reduce_the_orders_value_never_below_zero(trade):
    await trade.three("R-1", 100_00)
    r = await record_refund(trade.engine, trade.inst, PLATFORM, "R-1", external_id="RF-1", amount_minor=30_00, currency="USD", kind="return")
    assert (r.applied_minor, r.refunded_minor, r.effective_value_minor, r.duplicate) == (30_00, 30_00, 70_00, False)
    again = await record_refund(trade.engine, trade.inst, PLATFORM, "R-1", external_id="RF-1", amount_minor=30_00, currency="USD")
    assert (again.effective_value_minor, again.duplicate) == (70_00, True)
    r = await record_refund(trade.engine, trade.inst, PLATFORM, "R-1", external_id="RF-2", amount_minor=90_00, currency="USD")
    assert (r.requested_minor, r.applied_minor, r.effective_value_minor) == (90_00, 70_00, 0)
    with pytest.raises(RecordRejected) as exc:
        await record_refund(trade.engine, trade.inst, PLATFORM, "NOPE", external_id="RF-3", amount_minor=1, currency="USD")
    assert exc.value.details["reason"] == "unknown order 'NOPE'"
    with pytest.raises(RecordRejected):
        await record_refund(trade.engine, trade.inst, PLATFORM, "R-1", external_id="RF-4", amount_minor=1, currency="EUR")
    detail = await get_order(trade.engine, trade.inst, (await trade.order("R-1")).id)
    assert (detail["amount_minor"], detail["refunded_minor"], detail["effective_value_minor"]) == (100_00, 100_00, 0)
    assert [(x["external_id"], x["applied_minor"]) for x in detail["refunds"]] == [("RF-1", 30_00), ("RF-2", 70_00)]
    # in bulk too, one after the other
    await trade.three("R-2", 50_00)
    rep = await ingest_refunds(trade.engine, trade.inst, PLATFORM, [{"external_id": f"RB-{i}", "order_external_id": "R-2", "currency": "USD", "amount": "20.00"} for i in range(4)])
    assert rep.inserted == 4 and (await trade.order("R-2")).refunded_minor == 50_00


async def test_csv_and_ndjson_files_are_detected_and_streamed(trade, tmp_path):
    csv_text = "external_id,merchant_ref,currency,amount,order_date\nF-1,M1,USD,12.34,2026-03-01\nF-2,M1,USD,1.5,2026-03-01\nF-3,M1,USD,abc,2026-03-01\n"
    path = tmp_path / "orders.csv"
    path.write_text(csv_text)
    seen = []
    r = await ingest_file(trade.engine, trade.inst, PLATFORM, "orders", path, chunk_size=2, progress=seen.append)
    assert (r.inserted, r.rejected) == (2, [(2, 'invalid amount \'abc\': amount: a decimal string such as "1234.56" (no sign, exponent or spaces)')]) and seen == [2, 3]
    nd = b'{"external_id":"W-F-1","order_external_id":"F-1","merchant_ref":"M1","shipped_on":"2026-03-02"}\n\nnot json\n[1]\n'
    r = await ingest_file(trade.engine, trade.inst, PLATFORM, "waybills", io.BytesIO(nd))  # no name: detected by the first byte
    assert r.inserted == 1 and [p for p, _ in r.rejected] == [1, 2]
    assert "line 3: malformed JSON" in r.rejected[0][1] and "line 4: not a JSON object" in r.rejected[1][1]
    pay_csv = "\ufeffexternal_id,order_external_id,merchant_ref,currency,amount_minor,paid_on\nP-F-1,F-1,M1,USD,1234,2026-03-01\n"
    r = await ingest_file(trade.engine, trade.inst, PLATFORM, "payments", io.StringIO(pay_csv))
    assert r.inserted == 1 and r.match == {"matched": 1}
    assert (await trade.order("F-1")).match_status == "matched"


def _write_orders_file(path, n: int) -> None:
    with open(path, "w") as f:
        for i in range(n):
            f.write(json.dumps({"external_id": f"BULK-{i:06d}", "merchant_ref": "M1" if i % 3 else "M2", "currency": "USD", "amount": f"{10 + i % 90}.{i % 100:02d}", "order_date": "2026-03-01", "customs_mode": "9610"}))
            f.write("\n")


@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"], indirect=True)
async def test_a_bulk_file_of_100000_orders_goes_in_with_bounded_memory(trade, tmp_path, db_kind):
    n = 100_000
    path = tmp_path / "orders.ndjson"
    _write_orders_file(path, n)
    size_mb = os.path.getsize(path) / 2**20
    tracemalloc.start()
    start = time.perf_counter()
    try:
        report = await ingest_file(trade.engine, trade.inst, PLATFORM, "orders", path, chunk_size=2000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - start
    print(f"\n{db_kind}: {n} orders ({size_mb:.1f} MB) in {elapsed:.1f} s, peak traced memory {peak / 2**20:.1f} MB")
    assert (report.inserted, report.duplicates, report.rejected_total) == (n, 0, 0)
    assert report.match == {"partial": n}
    assert peak < 60 * 2**20, f"peak {peak / 2**20:.1f} MB"
    async with trade.engine.connect() as conn:
        count, total = (await conn.execute(select(func.count(), func.sum(trade_orders.c.amount_minor)).where(trade_orders.c.institution_id == trade.inst))).one()
    expected = sum((10 + i % 90) * 100 + i % 100 for i in range(n))
    assert (count, int(total)) == (n, expected)


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_orders_waybills_and_payments_pushed_concurrently_still_match(trade):
    n = 60
    calls = []
    for i in range(n):  # each document in its own call: many concurrent transactions
        calls += [
            ingest_orders(trade.engine, trade.inst, PLATFORM, [OrderIn(f"K-{i}", "M1", "USD", 10_00 + i, D1)]),
            ingest_waybills(trade.engine, trade.inst, PLATFORM, [WaybillIn(f"W-K-{i}", f"K-{i}", "M1", D3)]),
            ingest_payments(trade.engine, trade.inst, PLATFORM, [PaymentIn(f"P-K-{i}", f"K-{i}", "M1", "USD", 10_00 + i, D2)]),
        ]
    random.Random(3).shuffle(calls)
    await asyncio.gather(*calls)
    async with trade.engine.connect() as conn:
        statuses = dict((await conn.execute(select(trade_orders.c.match_status, func.count()).group_by(trade_orders.c.match_status))).all())
    assert statuses == {"matched": n}


# -- the evidence registry ----------------------------------------------------------------------


async def _claim(engine, inst, customer, ids, up_to, ref, currency="USD", platform=PLATFORM):
    async def work(conn):
        return await claim_evidence(conn, inst, customer, platform, ids, currency, up_to, "receipt", ref)

    return await run_in_transaction(engine, work)


async def test_claims_count_only_matched_unreturned_orders_of_the_merchant_in_the_currency(trade):
    await trade.three("E-1", 100_00)
    await trade.three("E-2", 200_00)
    await trade.three("E-3", 300_00, waybill=False)  # partial
    await trade.three("E-4", 400_00, merchant="M2")  # another merchant
    await trade.three("E-5", 500_00, currency="EUR")
    await trade.three("E-6", 600_00)
    await record_refund(trade.engine, trade.inst, PLATFORM, "E-6", external_id="RF-6", amount_minor=600_00, currency="USD")
    await record_refund(trade.engine, trade.inst, PLATFORM, "E-2", external_id="RF-2", amount_minor=50_00, currency="USD")
    ids = ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6", "E-404", "E-1"]
    c = await _claim(trade.engine, trade.inst, trade.m["M1"], ids, 10_000_00, "rcpt-1")
    assert c.coverage_minor == 100_00 + 150_00
    assert c.used == [("E-1", 100_00), ("E-2", 150_00)] and c.reused == []
    assert c.unmatched == ["E-3", "E-4", "E-5", "E-6", "E-404"]
    assert c.reasons["E-3"] == "order partial: missing waybill" and c.reasons["E-4"] == "order of another merchant"
    assert c.reasons["E-5"] == "order in EUR" and c.reasons["E-6"] == "order fully returned or refunded" and c.reasons["E-404"] == "no such order"
    # the same claim again is a replay, not a second consumption
    again = await _claim(trade.engine, trade.inst, trade.m["M1"], ids, 10_000_00, "rcpt-1")
    assert again.replayed and again.coverage_minor == 250_00
    # a second receipt citing them is an evidence reuse attempt
    second = await _claim(trade.engine, trade.inst, trade.m["M1"], ["E-1", "E-2"], 10_000_00, "rcpt-2")
    assert (second.coverage_minor, second.reused) == (0, ["E-1", "E-2"])
    # a refund after the claim lowers the registered value (never below what is left)
    await record_refund(trade.engine, trade.inst, PLATFORM, "E-1", external_id="RF-1", amount_minor=40_00, currency="USD")
    async with trade.engine.connect() as conn:
        reg = (await conn.execute(select(evidence_registry).where(evidence_registry.c.evidence_key == evidence_key(PLATFORM, "E-1")))).one()
    assert (reg.value_minor, reg.consumed_minor) == (60_00, 100_00)
    # a cancelled operation gives its evidence back
    async with trade.engine.begin() as conn:
        assert await release_evidence(conn, trade.inst, "rcpt-1") == 250_00
        assert await release_evidence(conn, trade.inst, "rcpt-1") == 0
    third = await _claim(trade.engine, trade.inst, trade.m["M1"], [OrderRef(PLATFORM, "E-2"), OrderRef(PLATFORM, "E-1")], 200_00, "rcpt-3", platform=None)
    assert third.used == [(OrderRef(PLATFORM, "E-2"), 150_00), (OrderRef(PLATFORM, "E-1"), 50_00)] and third.coverage_minor == 200_00
    detail = await get_order(trade.engine, trade.inst, (await trade.order("E-1")).id)
    assert detail["claimed_minor"] == 50_00


async def test_evidence_claimed_once_cannot_back_a_second_claim_at_another_institution(ledger, settings):
    a = await _trade(ledger, settings, "bank-a")
    b = await _trade(ledger, settings, "bank-b")
    for t in (a, b):  # the platform pushes the same orders to both banks
        await t.three("X-1", 100_00)
        await t.three("X-2", 100_00)
    ca = await _claim(a.engine, a.inst, a.m["M1"], ["X-1", "X-2"], 160_00, "ra-1")
    assert (ca.coverage_minor, ca.used) == (160_00, [("X-1", 100_00), ("X-2", 60_00)])
    cb = await _claim(b.engine, b.inst, b.m["M1"], ["X-1", "X-2"], 500_00, "rb-1")
    assert (cb.coverage_minor, cb.used, cb.reused) == (40_00, [("X-2", 40_00)], ["X-1"])
    cb2 = await _claim(b.engine, b.inst, b.m["M1"], ["X-2"], 500_00, "rb-2")
    assert (cb2.coverage_minor, cb2.reused) == (0, ["X-2"])
    async with a.engine.connect() as conn:
        reg = (await conn.execute(select(evidence_registry))).all()
        claims = (await conn.execute(select(evidence_claims.c.institution_id, func.sum(evidence_claims.c.amount_minor)).group_by(evidence_claims.c.institution_id))).all()
    # the shared registry holds hashes and amounts only: no institution, no order id
    assert {(r.value_minor, r.consumed_minor) for r in reg} == {(100_00, 100_00)} and len(reg) == 2
    assert all("X-" not in r.evidence_key for r in reg) and set(reg[0]._mapping) == {"evidence_key", "currency", "value_minor", "consumed_minor"}
    assert {k: int(v) for k, v in claims} == {a.inst: 160_00, b.inst: 40_00}


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_concurrent_claims_from_two_institutions_never_over_consume(ledger, settings):
    a = await _trade(ledger, settings, "bank-a")
    b = await _trade(ledger, settings, "bank-b")
    ids = [f"Y-{i}" for i in range(15)]
    for t in (a, b):
        await ingest_orders(t.engine, t.inst, PLATFORM, [OrderIn(x, "M1", "USD", 1000_00, D1) for x in ids])
        await ingest_waybills(t.engine, t.inst, PLATFORM, [WaybillIn(f"W-{x}", x, "M1", D2) for x in ids])
        await ingest_payments(t.engine, t.inst, PLATFORM, [PaymentIn(f"P-{x}", x, "M1", "USD", 1000_00, D2) for x in ids])
    rng = random.Random(5)

    async def claimant(t, n):
        cited = ids[:]
        rng.shuffle(cited)
        return await _claim(t.engine, t.inst, t.m["M1"], cited, 2500_00, f"c-{n}")

    claims = await asyncio.gather(*[claimant(a if n % 2 else b, n) for n in range(16)])
    total = sum(c.coverage_minor for c in claims)
    assert total == 15 * 1000_00  # 16 x 2,500 wanted, 15,000 exist: all of it used, none twice
    per_order: dict[str, int] = {}
    for c in claims:
        assert c.coverage_minor <= 2500_00
        for ext, amount in c.used:
            per_order[ext] = per_order.get(ext, 0) + amount
    assert per_order == {x: 1000_00 for x in ids}
    async with a.engine.connect() as conn:
        reg = (await conn.execute(select(evidence_registry.c.value_minor, evidence_registry.c.consumed_minor))).all()
    assert len(reg) == 15 and all(r.consumed_minor == r.value_minor == 1000_00 for r in reg)
    assert any(c.reused for c in claims)  # the late ones saw fully used orders


async def test_listing_orders_by_match_status(trade):
    await trade.three("L-1", 10_00)
    await trade.three("L-2", 10_00, waybill=False)
    partial = await list_orders(trade.engine, trade.inst, match_status="partial")
    assert [o["external_id"] for o in partial] == ["L-2"] and partial[0]["match_reason"] == "missing waybill"
    page1 = await list_orders(trade.engine, trade.inst, limit=1)
    page2 = await list_orders(trade.engine, trade.inst, limit=1, after=page1[0]["id"])
    assert [o["external_id"] for o in page1 + page2] == ["L-1", "L-2"]
    assert [o["external_id"] for o in await list_orders(trade.engine, trade.inst, customer_id=trade.m["M2"])] == []
