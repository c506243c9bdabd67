"""S4 advances of overseas fees: the provider's receivable from the merchant,
its repayment by netting from later proceeds (oldest first), aging buckets
and the 12-month flag in calendar months, Asia/Shanghai."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ledger import errors as E
from ledger.clock import add_months
from ledger.events import audit_log, outbox_events
from ledger.model import NewTransaction, Posting
from settlement import advances as A
from settlement.accounts import customer_account, institution_account, settlement_ledger_id
from settlement.config import SettlementConfig

_n = itertools.count()
USD, EUR = "USD", "EUR"


async def _inst(ledger):
    return (await ledger.create_institution(f"adv{next(_n)}-{uuid.uuid4().hex[:6]}", "Advances test")).id


async def _merchant(ledger, inst, currency: str = USD, fund: int = 0):
    """A merchant (customer) with its current account, funded with ``fund``."""
    cid = uuid.uuid4()
    acct = await customer_account(ledger, inst, cid, "current", currency)
    if fund:
        lid = await settlement_ledger_id(ledger, inst)
        nostro = await institution_account(ledger, inst, "nostro", currency)
        await ledger.post(inst, NewTransaction(lid, [Posting(nostro, fund, "debit"), Posting(acct, fund, "credit")]))
    return str(cid), acct


async def _posted(ledger, inst, account_id) -> int:
    return (await ledger.get_account(inst, account_id)).posted


async def _record(ledger, inst, merchant, amount, day, provider="sf-express", kind="logistics", currency=USD, **kw):
    return await A.record_advance(
        ledger, inst, merchant_ref=merchant, provider_ref=provider, kind=kind, currency=currency, amount_minor=amount, advance_date=day, **kw
    )


async def test_an_advance_is_recorded_as_the_providers_receivable_from_the_merchant(ledger, engine):
    inst = await _inst(ledger)
    m, _ = await _merchant(ledger, inst)
    adv = await _record(ledger, inst, m, 1234_56, date(2026, 1, 5), kind="warehousing", reference="inv-9")
    assert (adv.amount_minor, adv.outstanding_minor, adv.status, adv.kind) == (1234_56, 1234_56, "outstanding", "warehousing")
    assert await _posted(ledger, inst, adv.receivable_account_id) == 1234_56
    assert await _posted(ledger, inst, adv.payable_account_id) == 1234_56
    rec = await ledger.get_account(inst, adv.receivable_account_id)
    assert rec.code == f"adv:{m}:receivable:USD" and rec.owner_ref == m and rec.type == "asset" and rec.credits_must_not_exceed_debits
    pay = await ledger.get_account(inst, adv.payable_account_id)
    assert pay.code == "adv:sf-express:payable:USD" and pay.owner_ref == "sf-express" and pay.type == "liability"
    tx = await ledger.get_transaction(inst, adv.transaction_id)
    assert tx.effective_date == date(2026, 1, 5) and tx.metadata["advance_id"] == str(adv.id)
    async with engine.connect() as conn:
        ev = (await conn.execute(select(outbox_events).where(outbox_events.c.institution_id == inst, outbox_events.c.type == "advance.recorded"))).all()
        audit = (await conn.execute(select(audit_log).where(audit_log.c.object_id == str(adv.id)))).all()
    assert len(ev) == 1 and ev[0].payload["amount"] == "1234.56" and ev[0].payload["merchant_ref"] == m
    assert [a.action for a in audit] == ["advance.record"]


async def test_recording_with_the_same_idempotency_key_returns_the_same_advance(ledger):
    inst = await _inst(ledger)
    m, _ = await _merchant(ledger, inst)
    a1 = await _record(ledger, inst, m, 10_00, date(2026, 1, 5), idempotency_key="k1")
    a2 = await _record(ledger, inst, m, 10_00, date(2026, 1, 5), idempotency_key="k1")
    assert a1.id == a2.id and await _posted(ledger, inst, a1.receivable_account_id) == 10_00
    with pytest.raises(E.IdempotencyConflict):
        await _record(ledger, inst, m, 11_00, date(2026, 1, 5), idempotency_key="k1")


async def test_advances_are_refused_for_unknown_kinds_future_dates_and_bad_amounts(ledger):
    inst = await _inst(ledger)
    m, _ = await _merchant(ledger, inst)
    with pytest.raises(E.InvalidInput):
        await _record(ledger, inst, m, 1_00, date(2026, 1, 5), kind="marketing")
    with pytest.raises(A.AdvanceRule):  # well-formed, refused by a rule: its own code
        await _record(ledger, inst, m, 1_00, date.today() + timedelta(days=3))
    assert A.AdvanceRule.code == "advance_rule"
    with pytest.raises(E.InvalidAmount):
        await _record(ledger, inst, m, 0, date(2026, 1, 5))
    with pytest.raises(E.InvalidInput):
        await _record(ledger, inst, m, 1_00, date(2026, 1, 5), provider="has space")


async def test_advances_older_than_12_months_are_flagged(ledger, engine):
    inst = await _inst(ledger)
    m, _ = await _merchant(ledger, inst)
    older = await _record(ledger, inst, m, 100_00, date(2025, 3, 15))     # 12 months and 1 day on 2026-03-16
    exactly = await _record(ledger, inst, m, 200_00, date(2025, 3, 16))   # exactly 12 months: not longer
    younger = await _record(ledger, inst, m, 300_00, date(2025, 9, 30))
    settled = await _record(ledger, inst, m, 400_00, date(2024, 1, 2))
    await A.settle_advance(ledger, inst, settled.id, effective_date=date(2026, 3, 1))  # settled (outside the institution): not flagged
    report = await A.advance_aging(ledger, inst, as_of=date(2026, 3, 16))
    flags = {x.advance.id: x.flagged for x in report.items}
    assert flags == {older.id: True, exactly.id: False, younger.id: False}
    assert report.flagged_count == 1 and report.flagged_minor == {USD: 100_00}
    assert next(x for x in report.items if x.advance.id == older.id).flag_after == date(2026, 3, 15)
    assert [x.advance.id for x in (await A.advance_aging(ledger, inst, as_of=date(2026, 3, 16), flagged_only=True)).items] == [older.id]
    # the next day the one of exactly 12 months is flagged too
    assert (await A.advance_aging(ledger, inst, as_of=date(2026, 3, 17))).flagged_count == 2
    # the sweep marks each flagged advance once, with an event and an S9 alert
    flagged = await A.flag_stale_advances(ledger, inst, as_of=date(2026, 3, 16))
    assert [a.id for a in flagged] == [older.id] and flagged[0].flagged_at is not None
    assert await A.flag_stale_advances(ledger, inst, as_of=date(2026, 3, 16)) == []
    async with engine.connect() as conn:
        ev = (await conn.execute(select(outbox_events).where(outbox_events.c.institution_id == inst, outbox_events.c.type == "advance.flagged"))).all()
    assert [e.payload["advance_id"] for e in ev] == [str(older.id)] and ev[0].payload["age_days"] == 366


async def test_the_12_months_are_calendar_months_in_asia_shanghai(ledger):
    inst = await _inst(ledger)
    m, _ = await _merchant(ledger, inst)
    adv = await _record(ledger, inst, m, 50_00, date(2025, 3, 15))
    # 2026-03-15 15:59 UTC is 23:59 on the 15th in Shanghai: exactly 12 months
    r = await A.advance_aging(ledger, inst, as_of=datetime(2026, 3, 15, 15, 59, tzinfo=UTC))
    assert r.as_of == date(2026, 3, 15) and not r.items[0].flagged
    # 2026-03-15 16:00 UTC is already the 16th in Shanghai
    r = await A.advance_aging(ledger, inst, as_of=datetime(2026, 3, 15, 16, 0, tzinfo=UTC))
    assert r.as_of == date(2026, 3, 16) and r.items[0].flagged and r.items[0].advance.id == adv.id
    # months, not 365 days: leap day advances are due at the end of February
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert not A.is_flagged(date(2024, 2, 29), date(2025, 2, 28), 12) and A.is_flagged(date(2024, 2, 29), date(2025, 3, 1), 12)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    # configurable: 6 months
    cfg = SettlementConfig.from_dict({"advance_flag_months": 6})
    assert (await A.advance_aging(ledger, inst, as_of=date(2025, 9, 16), config=cfg)).flagged_count == 1
    assert (await A.advance_aging(ledger, inst, as_of=date(2025, 9, 15), config=cfg)).flagged_count == 0


async def test_aging_buckets_0_30_31_90_91_180_181_365_and_over_365_days(ledger):
    inst = await _inst(ledger)
    m, _ = await _merchant(ledger, inst)
    as_of = date(2026, 6, 30)
    ages = {0: 1_00, 30: 2_00, 31: 4_00, 90: 8_00, 91: 16_00, 180: 32_00, 181: 64_00, 365: 128_00, 366: 256_00}
    for age, amount in ages.items():
        await _record(ledger, inst, m, amount, as_of - timedelta(days=age))
    eur = await _record(ledger, inst, m, 5_00, as_of - timedelta(days=45), currency=EUR)
    after = await _record(ledger, inst, m, 9_99, as_of + timedelta(days=1))  # not yet advanced on the report date
    report = await A.advance_aging(ledger, inst, as_of=as_of)
    assert report.bucket_labels == ["0-30", "31-90", "91-180", "181-365", ">365"]
    usd = {(b.bucket): (b.count, b.outstanding_minor) for b in report.buckets if b.currency == USD}
    assert usd == {"0-30": (2, 3_00), "31-90": (2, 12_00), "91-180": (2, 48_00), "181-365": (2, 192_00), ">365": (1, 256_00)}
    assert [(b.bucket, b.outstanding_minor) for b in report.buckets if b.currency == EUR] == [("0-30", 0), ("31-90", 5_00), ("91-180", 0), ("181-365", 0), (">365", 0)]
    assert {x.age_days: x.bucket for x in report.items if x.advance.currency == USD} == {
        0: "0-30", 30: "0-30", 31: "31-90", 90: "31-90", 91: "91-180", 180: "91-180", 181: "181-365", 365: "181-365", 366: ">365",
    }
    assert report.flagged_count == 1  # 366 days back from 2026-06-30 is 2025-06-29: more than 12 months
    # configurable bounds
    cfg = SettlementConfig.from_dict({"advance_aging_bounds_days": [60, 120]})
    r2 = await A.advance_aging(ledger, inst, as_of=as_of, currency=USD, config=cfg)
    assert r2.bucket_labels == ["0-60", "61-120", ">120"]
    assert [(b.bucket, b.count, b.outstanding_minor) for b in r2.buckets] == [("0-60", 3, 7_00), ("61-120", 2, 24_00), (">120", 4, 480_00)]
    assert eur.currency == EUR and after.id not in {x.advance.id for x in report.items}


async def test_later_proceeds_repay_advances_oldest_first_fully_then_partly(ledger, engine):
    inst = await _inst(ledger)
    m, current = await _merchant(ledger, inst, fund=1000_00)
    a1 = await _record(ledger, inst, m, 100_00, date(2026, 1, 10), provider="sf-express")
    a3 = await _record(ledger, inst, m, 300_00, date(2026, 2, 10), provider="sf-express")
    a2 = await _record(ledger, inst, m, 200_00, date(2026, 1, 20), provider="cainiao", kind="tax")
    other_cur = await _record(ledger, inst, m, 70_00, date(2026, 1, 1), currency=EUR)

    async with engine.begin() as conn:
        result = await A.settle_advances_from_proceeds(conn, inst, m, USD, 250_00, source_account_id=current, reference="receipt-1")
        assert await A.outstanding_advances_minor(conn, inst, m, USD) == 350_00
        from ledger.posting import post_batch

        res = await post_batch(conn, inst, result.items)
        assert res[0].ok and res[0].transaction_id == result.transaction_id

    assert [(adv.id, amt) for adv, amt in result] == [(a1.id, 100_00), (a2.id, 150_00)]
    assert result.total_minor == 250_00 and len(result) == 2
    assert [(adv.outstanding_minor, adv.status) for adv, _ in result] == [(0, "settled"), (50_00, "outstanding")]
    # cash: the merchant's current account paid, each provider's repayment account received
    assert await _posted(ledger, inst, current) == 750_00
    assert await _posted(ledger, inst, a1.repay_account_id) == 100_00
    assert await _posted(ledger, inst, a2.repay_account_id) == 150_00
    # the receivable equals what is still owed; the payables what providers still await
    assert await _posted(ledger, inst, a1.receivable_account_id) == 350_00
    assert await _posted(ledger, inst, a1.payable_account_id) == 300_00
    assert await _posted(ledger, inst, a2.payable_account_id) == 50_00
    tx = await ledger.get_transaction(inst, result.transaction_id)
    assert sum(p.amount for p in tx.postings) == 0 and len(tx.postings) == 6
    got, settlements = await A.get_advance(ledger, inst, a2.id)
    assert got.outstanding_minor == 50_00 and [(s.source, s.amount_minor, s.transaction_id, s.reference) for s in settlements] == [("proceeds", 150_00, result.transaction_id, "receipt-1")]
    assert (await A.get_advance(ledger, inst, a3.id))[0].outstanding_minor == 300_00
    assert (await A.get_advance(ledger, inst, other_cur.id))[0].outstanding_minor == 70_00
    # more proceeds than owed: only what is owed is taken
    async with engine.begin() as conn:
        more = await A.settle_advances_from_proceeds(conn, inst, m, USD, 10_000_00, source_account_id=current, post=True)
    assert more.total_minor == 350_00 and [amt for _, amt in more] == [50_00, 300_00]
    assert await _posted(ledger, inst, a1.receivable_account_id) == 0 and await _posted(ledger, inst, current) == 400_00
    async with engine.begin() as conn:
        nothing = await A.settle_advances_from_proceeds(conn, inst, m, USD, 100_00, source_account_id=current)
    assert nothing.total_minor == 0 and nothing.items == [] and list(nothing) == []


async def test_a_refused_netting_posting_rolls_the_advance_settlement_back(ledger, engine):
    inst = await _inst(ledger)
    m, current = await _merchant(ledger, inst, fund=30_00)
    adv = await _record(ledger, inst, m, 100_00, date(2026, 1, 10))
    with pytest.raises(E.InsufficientFunds):
        async with engine.begin() as conn:
            await A.settle_advances_from_proceeds(conn, inst, m, USD, 100_00, source_account_id=current, post=True)
    got, settlements = await A.get_advance(ledger, inst, adv.id)
    assert got.outstanding_minor == 100_00 and settlements == []


async def test_an_advance_is_settled_directly_fully_or_partly_and_never_beyond_what_is_outstanding(ledger):
    inst = await _inst(ledger)
    m, current = await _merchant(ledger, inst, fund=500_00)
    adv = await _record(ledger, inst, m, 100_00, date(2026, 1, 10))
    part = await A.settle_advance(ledger, inst, adv.id, amount_minor=40_00, source_account_id=current, idempotency_key="s1")
    assert (part.outstanding_minor, part.status) == (60_00, "outstanding")
    again = await A.settle_advance(ledger, inst, adv.id, amount_minor=40_00, source_account_id=current, idempotency_key="s1")
    assert again.outstanding_minor == 60_00 and await _posted(ledger, inst, current) == 460_00
    with pytest.raises(A.AdvanceSettlementExceedsOutstanding) as err:
        await A.settle_advance(ledger, inst, adv.id, amount_minor=60_01)
    assert (err.value.details["outstanding"], err.value.details["requested"], err.value.details["currency"]) == ("60.00", "60.01", "USD")
    rest = await A.settle_advance(ledger, inst, adv.id)  # the rest, settled outside the institution
    assert (rest.outstanding_minor, rest.status) == (0, "settled") and rest.settled_at is not None
    assert await _posted(ledger, inst, current) == 460_00 and await _posted(ledger, inst, adv.repay_account_id) == 40_00
    assert await _posted(ledger, inst, adv.receivable_account_id) == 0 and await _posted(ledger, inst, adv.payable_account_id) == 0
    _, settlements = await A.get_advance(ledger, inst, adv.id)
    assert [(s.source, s.amount_minor) for s in settlements] == [("account", 40_00), ("outside", 60_00)]
    # as of a day before the settlements, the full amount was outstanding
    past = await A.advance_aging(ledger, inst, as_of=date(2026, 1, 31), include_settled=True)
    assert past.items[0].outstanding_minor == 100_00 and past.items[0].bucket == "0-30"
    with pytest.raises(A.AdvanceNotFound):
        await A.settle_advance(ledger, await _inst(ledger), adv.id)


async def test_receipts_net_advances_from_proceeds_through_the_proceeds_hook(ledger, engine):
    """What settlement.receipts does with a receipt credited to a current
    account: ask the hooks for shares, post each (Dr current / Cr share
    account) and call its ``after`` in the same transaction."""
    receipts = pytest.importorskip("settlement.receipts")
    assert "advances" in [name for name, _ in receipts._PROCEEDS_HOOKS]
    from ledger.posting import post_batch

    inst = await _inst(ledger)
    m, current = await _merchant(ledger, inst, fund=500_00)
    a1 = await _record(ledger, inst, m, 100_00, date(2026, 1, 10), provider="sf-express")
    a2 = await _record(ledger, inst, m, 80_00, date(2026, 2, 10), provider="cainiao")
    lid = await settlement_ledger_id(ledger, inst)
    async with engine.begin() as conn:
        shares = await A.advance_proceeds_hook(conn, institution_id=inst, customer_id=uuid.UUID(m), currency=USD, available_minor=150_00, receipt_id=uuid.uuid4(), ledger_id=lid)
        for sh in shares:
            res = (await post_batch(conn, inst, [NewTransaction(lid, [Posting(current, sh.amount_minor, "debit", USD), Posting(sh.credit_account_id, sh.amount_minor, "credit", USD)])]))[0]
            assert res.ok
            await sh.after(conn, res.transaction_id)
    assert [(sh.credit_account_id, sh.amount_minor, sh.metadata["share"]) for sh in shares] == [(a1.repay_account_id, 100_00, "advance"), (a2.repay_account_id, 50_00, "advance")]
    assert await _posted(ledger, inst, current) == 350_00
    assert await _posted(ledger, inst, a1.repay_account_id) == 100_00 and await _posted(ledger, inst, a2.repay_account_id) == 50_00
    assert await _posted(ledger, inst, a1.receivable_account_id) == 30_00
    assert await _posted(ledger, inst, a1.payable_account_id) == 0 and await _posted(ledger, inst, a2.payable_account_id) == 30_00
    got, settlements = await A.get_advance(ledger, inst, a2.id)
    assert got.outstanding_minor == 30_00 and [(s.source, s.amount_minor, s.source_account_id) for s in settlements] == [("proceeds", 50_00, current)]
    async with engine.connect() as conn:  # a merchant owing nothing: no share
        assert await A.advance_proceeds_hook(conn, institution_id=inst, customer_id=uuid.uuid4(), currency=USD, available_minor=1_00) == []
