"""Receipts: S1 routing by FX class, S2 coverage, S3 netting of overseas fees
and variance, S6 the registration threshold.  On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from ledger import errors as E
from settlement import accounts as A
from settlement.alerts import list_alerts
from settlement.errors import DuplicateReference, ReceiptInvalid, ReceiptNotReleasable
from settlement.receipts import ReceiptIn

from .helpers import matched_orders, merchant


def receipt(customer_id, gross, *, ref, fees=None, mode="9610", declared=None, orders=(), platform="shopx", currency="USD"):
    fees = fees or {}
    return ReceiptIn(
        customer_id=customer_id, currency=currency, gross_minor=gross, net_minor=gross - sum(fees.values()), customs_mode=mode,
        destination_country="US", external_ref=ref, fees=fees, declared_value_minor=declared, platform_code=platform if orders else None,
        evidence_orders=list(orders),
    )


async def _balance(stl, inst, customer_id, kind, currency="USD"):
    acct = await A.customer_account(stl.ledger, inst, customer_id, kind, currency)
    return (await stl.ledger.balance(inst, acct)).posted


async def test_class_a_receipt_lands_in_the_current_account(stl, bank):
    m = await merchant(stl, bank, fx_class="A")
    orders = await matched_orders(stl, bank, m.ref, [500_000])
    out = await stl.receipts.post_receipt(bank, receipt(m.id, 500_000, ref="r1", orders=orders))
    assert out["status"] == "credited" and out["coverage_minor"] == 500_000 and not out["coverage_flagged"]
    assert await _balance(stl, bank, m.id, "current") == 500_000
    assert await _balance(stl, bank, m.id, "pending") == 0
    nostro = await A.institution_account(stl.ledger, bank, "nostro", "USD")
    assert (await stl.ledger.balance(bank, nostro)).posted == 500_000


async def test_class_b_receipt_waits_in_pending_verification_until_released_with_evidence(stl, bank):
    m = await merchant(stl, bank, fx_class="B")
    out = await stl.receipts.post_receipt(bank, receipt(m.id, 300_000, ref="rb"))
    assert out["status"] == "pending_verification"
    assert (await _balance(stl, bank, m.id, "pending"), await _balance(stl, bank, m.id, "current")) == (300_000, 0)
    with pytest.raises(ReceiptInvalid):
        await stl.receipts.release(bank, out["id"], note="  ")
    orders = await matched_orders(stl, bank, m.ref, [300_000])
    released = await stl.receipts.release(bank, out["id"], note="checked contract C-17 and platform orders", evidence_orders=orders, platform_code="shopx", actor="user:alice")
    assert released["status"] == "released" and released["coverage_minor"] == 300_000 and released["released_by"] == "user:alice"
    assert (await _balance(stl, bank, m.id, "pending"), await _balance(stl, bank, m.id, "current")) == (0, 300_000)
    with pytest.raises(ReceiptNotReleasable):
        await stl.receipts.release(bank, out["id"], note="again")


async def test_netting_records_gross_each_fee_and_net_and_balances(stl, bank):
    m = await merchant(stl, bank)
    fees = {"warehousing": 60_000, "logistics": 25_000, "tax": 15_000}
    out = await stl.receipts.post_receipt(bank, receipt(m.id, 1_000_000, ref="net-1", fees=fees, mode="9810", declared=800_000))
    assert out["net_minor"] == 900_000
    tx = await stl.ledger.get_transaction(bank, out["transaction_id"])
    current = await A.customer_account(stl.ledger, bank, m.id, "current", "USD")
    nostro = await A.institution_account(stl.ledger, bank, "nostro", "USD")
    lines = [(p.account_id, p.amount) for p in tx.postings]
    # the five amounts: net cash, three fees, gross
    assert (nostro, 900_000) in lines
    assert sorted(a for acc, a in lines if acc == current) == [-1_000_000, 15_000, 25_000, 60_000]
    assert sum(a for _, a in lines) == 0
    assert await _balance(stl, bank, m.id, "current") == 900_000
    assert tx.metadata["gross"] == "10000.00" and tx.metadata["fees"] == {"warehousing": "600.00", "logistics": "250.00", "tax": "150.00"}
    # 9810: the variance (10,000.00 vs declared 8,000.00) is recorded, not flagged
    assert out["variance_minor"] == 200_000 and out["variance_flagged"] is False
    async with stl.engine.connect() as conn:
        assert [a["kind"] for a in await list_alerts(conn, bank, kind="authenticity_variance")] == []


async def test_9710_variance_beyond_five_percent_is_flagged(stl, bank):
    m = await merchant(stl, bank)
    within = await stl.receipts.post_receipt(bank, receipt(m.id, 1_050_000, ref="v-ok", mode="9710", declared=1_000_000))
    assert within["variance_minor"] == 50_000 and within["variance_flagged"] is False
    beyond = await stl.receipts.post_receipt(bank, receipt(m.id, 1_050_001, ref="v-bad", mode="9710", declared=1_000_000))
    assert beyond["variance_flagged"] is True and "authenticity_variance" in beyond["alerts"]
    async with stl.engine.connect() as conn:
        alerts = await list_alerts(conn, bank, kind="authenticity_variance")
    assert len(alerts) == 1 and (alerts[0]["details"]["variance"], alerts[0]["details"]["currency"]) == ("500.01", "USD")


async def test_net_must_equal_gross_less_fees(stl, bank):
    m = await merchant(stl, bank)
    bad = receipt(m.id, 1_000_000, ref="bad", fees={"tax": 100})
    bad.net_minor = 1_000_000
    with pytest.raises(ReceiptInvalid) as err:
        await stl.receipts.post_receipt(bank, bad)
    assert err.value.details["expected_net"] == "9999.00"


async def test_registration_threshold_holds_the_receipt_that_reaches_it(stl, bank):
    m = await merchant(stl, bank, registered=False)
    first = await stl.receipts.post_receipt(bank, receipt(m.id, 19_999_999, ref="big"))  # USD 199,999.99
    assert first["status"] == "credited" and "registration_warning" in first["alerts"]
    held = await stl.receipts.post_receipt(bank, receipt(m.id, 1, ref="cent"))  # USD 0.01
    assert held["status"] == "suspense" and held["suspense_reason"] == "registration_required"
    assert await _balance(stl, bank, m.id, "suspense") == 1
    with pytest.raises(ReceiptNotReleasable):
        await stl.receipts.release(bank, held["id"], note="try")
    from settlement.customers import record_registration

    await record_registration(stl.engine, bank, m.id)
    released = await stl.receipts.release(bank, held["id"], note="directory registration recorded")
    assert released["status"] == "released"
    assert (await _balance(stl, bank, m.id, "suspense"), await _balance(stl, bank, m.id, "current")) == (0, 20_000_000)


async def test_evidence_backs_one_receipt_only(stl, bank):
    m = await merchant(stl, bank)
    orders = await matched_orders(stl, bank, m.ref, [100_000, 50_000])
    first = await stl.receipts.post_receipt(bank, receipt(m.id, 150_000, ref="e1", orders=orders))
    assert first["coverage_minor"] == 150_000
    second = await stl.receipts.post_receipt(bank, receipt(m.id, 150_000, ref="e2", orders=orders))
    assert second["coverage_minor"] == 0 and second["coverage_flagged"]
    assert "evidence_reuse_attempt" in second["alerts"] and "coverage_below_gross" in second["alerts"]


async def test_receipt_without_evidence_raises_an_alert(stl, bank):
    m = await merchant(stl, bank)
    out = await stl.receipts.post_receipt(bank, receipt(m.id, 10_000, ref="no-ev"))
    assert out["coverage_flagged"] and "receipt_without_evidence" in out["alerts"]


async def test_receipts_are_idempotent_by_reference(stl, bank):
    m = await merchant(stl, bank)
    a = await stl.receipts.post_receipt(bank, receipt(m.id, 10_000, ref="same"))
    b = await stl.receipts.post_receipt(bank, receipt(m.id, 10_000, ref="same"))
    assert a["id"] == b["id"] and b["replayed"]
    assert await _balance(stl, bank, m.id, "current") == 10_000
    with pytest.raises(DuplicateReference):
        await stl.receipts.post_receipt(bank, receipt(m.id, 10_001, ref="same"))


async def test_a_receipt_that_cannot_be_valued_lands_in_suspense_with_a_reason(stl, bank):
    m = await merchant(stl, bank, currencies=("USD", "GBP"))
    out = await stl.receipts.post_receipt(bank, receipt(m.id, 10_000, ref="gbp", currency="GBP"))
    assert out["status"] == "suspense" and out["suspense_reason"] == "rate_unavailable"
    assert await _balance(stl, bank, m.id, "suspense", "GBP") == 10_000


async def test_unknown_customer_and_other_institutions_customer_are_not_found(stl, bank):
    other = await stl.ledger.create_institution("other-bank", "Other")
    m = await merchant(stl, other.id)
    with pytest.raises(E.NotFound):
        await stl.receipts.post_receipt(bank, receipt(m.id, 10_000, ref="x"))


async def test_receipts_feed_monitoring_statistics(stl, bank):
    from settlement.monitoring import receipt_statistics
    from tests.settlement.conftest import today_cst

    m = await merchant(stl, bank)
    await stl.receipts.post_receipt(bank, receipt(m.id, 1_000_000, ref="s1", fees={"logistics": 30_000}, mode="9610"))
    await stl.receipts.post_receipt(bank, receipt(m.id, 500_000, ref="s2", mode="9810"))
    await stl.receipts.post_receipt(bank, receipt(m.id, 200_000, ref="s3", mode="9610"))
    async with stl.engine.connect() as conn:
        rows = await receipt_statistics(conn, bank, today_cst(), today_cst(), ["customs_mode"])
    by_mode = {r.key["customs_mode"]: r for r in rows}
    assert (by_mode["9610"].count, by_mode["9610"].gross_minor, by_mode["9610"].fees_minor, by_mode["9610"].net_minor) == (2, 1_200_000, 30_000, 1_170_000)
    assert (by_mode["9810"].count, by_mode["9810"].net_minor) == (1, 500_000)


async def test_a_batch_of_receipts_posts_in_one_ledger_batch_with_results_per_receipt(stl, bank):
    m = await merchant(stl, bank, registered=False)
    bad = receipt(m.id, 100, ref="b-bad", fees={"tax": 200})
    bad.net_minor = -100
    batch = [
        receipt(m.id, 19_999_999, ref="b-1"),
        bad,
        receipt(m.id, 1, ref="b-2"),  # crosses USD 200,000 within the batch
        receipt(m.id, 19_999_999, ref="b-1"),  # a repeat inside the batch
    ]
    out = await stl.receipts.post_receipts(bank, batch)
    assert out[0]["status"] == "credited"
    assert isinstance(out[1], ReceiptInvalid)
    assert out[2]["status"] == "suspense" and out[2]["suspense_reason"] == "registration_required"
    assert out[3]["id"] == out[0]["id"] and out[3]["replayed"]
    assert await _balance(stl, bank, m.id, "current") == 19_999_999
    assert await _balance(stl, bank, m.id, "suspense") == 1
    again = await stl.receipts.post_receipts(bank, batch[:1])
    assert again[0]["replayed"]


async def test_receipt_proceeds_repay_outstanding_advances_first(stl, bank):
    from datetime import date

    from settlement.advances import outstanding_advances_minor, record_advance

    m = await merchant(stl, bank)
    await record_advance(stl.ledger, bank, merchant_ref=str(m.id), provider_ref="express-co", kind="logistics", currency="USD", amount_minor=30_000, advance_date=date.today())
    out = await stl.receipts.post_receipt(bank, receipt(m.id, 100_000, ref="adv-1"))
    assert out["advances_netted_minor"] == 30_000
    assert await _balance(stl, bank, m.id, "current") == 70_000
    async with stl.engine.connect() as conn:
        assert await outstanding_advances_minor(conn, bank, str(m.id), "USD") == 0
    nxt = await stl.receipts.post_receipt(bank, receipt(m.id, 10_000, ref="adv-2"))
    assert nxt["advances_netted_minor"] == 0 and await _balance(stl, bank, m.id, "current") == 80_000


async def test_evidence_cited_twice_in_one_batch_backs_only_the_first_receipt(stl, bank):
    m = await merchant(stl, bank)
    orders = await matched_orders(stl, bank, m.ref, [60_000, 40_000])
    out = await stl.receipts.post_receipts(bank, [receipt(m.id, 70_000, ref="x1", orders=orders), receipt(m.id, 70_000, ref="x2", orders=orders)])
    assert out[0]["coverage_minor"] == 70_000 and not out[0]["coverage_flagged"]
    # 30,000 of the second order is left for the second receipt
    assert out[1]["coverage_minor"] == 30_000 and "coverage_below_gross" in out[1]["alerts"] and "evidence_reuse_attempt" in out[1]["alerts"]
    third = await stl.receipts.post_receipt(bank, receipt(m.id, 10, ref="x3", orders=orders))
    assert third["coverage_minor"] == 0
