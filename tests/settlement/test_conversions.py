"""Conversions and the individuals' annual quotas (S5), split detection (S9).
On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from settlement import accounts as A
from settlement.alerts import list_alerts
from settlement.conversions import ConversionIn, Review
from settlement.errors import QuotaExceeded, ReviewRequired

from .conftest import CST
from .helpers import individual, matched_orders, merchant
from .test_receipts import receipt


async def _fund(stl, inst, customer, usd_minor, ref):
    """Credit the customer's USD current account through a receipt."""
    await stl.receipts.post_receipt(inst, receipt(customer.id, usd_minor, ref=ref))


def conv(c, amount, ref, *, direction="settle", orders=(), review=None, value_time=None):
    return ConversionIn(
        c.id, direction, "USD", amount, ref, platform_code="shopx" if orders else None, evidence_orders=list(orders), review=review, value_time=value_time,
    )


def deployment(stl, **national):
    """The deployment operator changes national parameters (XBORDER_... settings)."""
    stl.national = {**stl.national, **national}
    stl._config_cache.clear()


async def test_settle_converts_at_the_bank_buy_rate_through_the_fx_position(stl, bank):
    m = await merchant(stl, bank)
    await _fund(stl, bank, m, 1_000_000, "fund")
    out = await stl.conversions.convert(bank, conv(m, 100_000, "c1"))
    # mid 7.1000, default spread 50 bp: buy 7.0645; USD 1,000.00 -> CNY 7,064.50
    assert Decimal(out["rate"]["value"]) == Decimal("7.0645") and out["cny_minor"] == 706_450
    tx = await stl.ledger.get_transaction(bank, out["transaction_id"])
    assert Decimal(tx.metadata["rate"]["value"]) == Decimal("7.0645") and tx.metadata["rate"]["kind"] == "buy"
    pos_usd = await A.institution_account(stl.ledger, bank, "fx-position", "USD")
    pos_cny = await A.institution_account(stl.ledger, bank, "fx-position", "CNY")
    cny = await A.customer_account(stl.ledger, bank, m.id, "cny", "CNY")
    assert (await stl.ledger.balance(bank, pos_usd)).debits_posted == 0 and (await stl.ledger.balance(bank, pos_usd)).credits_posted == 100_000
    assert (await stl.ledger.balance(bank, pos_cny)).debits_posted == 706_450
    assert (await stl.ledger.balance(bank, cny)).posted == 706_450
    # enterprises use no quota
    assert out["quota_usd_minor"] == 0 and out["quota_year"] is None


async def test_purchase_uses_the_sell_rate(stl, bank):
    m = await merchant(stl, bank)
    await _fund(stl, bank, m, 1_000_000, "fund")
    await stl.conversions.convert(bank, conv(m, 500_000, "c1"))
    out = await stl.conversions.convert(bank, conv(m, 10_000, "p1", direction="purchase"))
    # sell 7.1355: USD 100.00 costs CNY 713.55
    assert Decimal(out["rate"]["value"]) == Decimal("7.1355") and out["cny_minor"] == 71_355


async def test_conversion_beyond_remaining_quota_is_refused_with_remaining_amount(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 10_000_000, "fund")
    first = await stl.conversions.convert(bank, conv(p, 3_000_000, "q1"))  # USD 30,000 without evidence
    assert first["quota_usd_minor"] == 3_000_000 and first["exempt_usd_minor"] == 0
    with pytest.raises(QuotaExceeded) as err:
        await stl.conversions.convert(bank, conv(p, 2_500_000, "q2"))  # USD 25,000 without evidence
    assert err.value.details["remaining_usd"] == "20000.00" and err.value.details["requested_usd"] == "25000.00" and err.value.details["currency"] == "USD"
    status = await stl.conversions.quota_status(bank, p.id)
    assert status["directions"]["settle"]["used_usd_minor"] == 3_000_000


async def test_ecommerce_evidence_exempts_the_conversion_from_the_quota_once(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 10_000_000, "fund")
    await stl.conversions.convert(bank, conv(p, 3_000_000, "q1"))
    orders = await matched_orders(stl, bank, p.ref, [1_500_000, 1_000_000])  # evidence worth USD 25,000
    ok = await stl.conversions.convert(bank, conv(p, 2_500_000, "q2", orders=orders))
    assert (ok["exempt_usd_minor"], ok["quota_usd_minor"]) == (2_500_000, 0)
    assert (await stl.conversions.quota_status(bank, p.id))["directions"]["settle"]["used_usd_minor"] == 3_000_000
    # the same evidence cannot exempt twice
    with pytest.raises(QuotaExceeded) as err:
        await stl.conversions.convert(bank, conv(p, 2_500_000, "q3", orders=orders))
    assert err.value.details["remaining_usd"] == "20000.00"
    async with stl.engine.connect() as conn:
        assert not await list_alerts(conn, bank, kind="split_conversions")


async def test_the_quota_year_resets_on_the_first_of_january_china_time(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 20_000_000, "fund")
    dec31 = datetime(2025, 12, 31, 23, 0, tzinfo=CST)
    jan1 = datetime(2026, 1, 1, 0, 30, tzinfo=CST)  # 2025-12-31 16:30 UTC: already 2026 in China
    for day in (dec31.date(), jan1.date()):
        await stl.rates.set_manual_rate(bank, "USD", "CNY", Decimal("7.1000"), as_of=day)
    await stl.conversions.convert(bank, conv(p, 5_000_000, "y1"), now=dec31.astimezone(UTC))
    with pytest.raises(QuotaExceeded) as err:
        await stl.conversions.convert(bank, conv(p, 1, "y2"), now=dec31.astimezone(UTC) + timedelta(minutes=10))
    assert err.value.details["remaining_usd"] == "0.00" and err.value.details["year"] == 2025
    nxt = await stl.conversions.convert(bank, conv(p, 5_000_000, "y3"), now=jan1.astimezone(UTC) + timedelta(days=2))
    assert nxt["quota_year"] == 2026 and nxt["quota_usd_minor"] == 5_000_000


async def test_purchase_has_its_own_quota(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 10_000_000, "fund")
    await stl.conversions.convert(bank, conv(p, 5_000_000, "s-all"))
    out = await stl.conversions.convert(bank, conv(p, 1_000_000, "buy-1", direction="purchase"))
    assert out["quota_usd_minor"] == 1_000_000


async def test_the_review_path_allows_genuine_trade_beyond_the_quota_with_the_reviewer_recorded(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 10_000_000, "fund")
    await stl.conversions.convert(bank, conv(p, 4_000_000, "r1"))
    out = await stl.conversions.convert(bank, conv(p, 2_500_000, "r2", review=Review("user:approver-1", "service contract SC-2026-88 and invoices")))
    assert (out["quota_usd_minor"], out["reviewed_usd_minor"]) == (1_000_000, 1_500_000)
    assert out["reviewer"] == "user:approver-1"


async def test_individual_trade_operators_are_not_subject_to_the_annual_total(stl, bank):
    op = await individual(stl, bank, ref="ITO", kind="individual_trade_operator", id_number="110101198001019999")
    await _fund(stl, bank, op, 15_000_000, "fund")  # below the registration threshold
    out = await stl.conversions.convert(bank, conv(op, 12_000_000, "big"))
    assert out["quota_usd_minor"] == 0 and out["quota_year"] is None


async def test_the_quota_is_national_across_institutions(stl, bank):
    other = (await stl.ledger.create_institution("bank-two", "Bank Two")).id
    from tests.settlement.conftest import today_cst

    await stl.rates.set_manual_rate(other, "USD", "CNY", Decimal("7.1000"), as_of=today_cst())
    p1 = await individual(stl, bank, ref="P1")
    p2 = await individual(stl, other, ref="P1-at-two")  # same person, same ID number
    await _fund(stl, bank, p1, 10_000_000, "f1")
    await _fund(stl, other, p2, 10_000_000, "f2")
    await stl.conversions.convert(bank, conv(p1, 4_000_000, "a"))
    with pytest.raises(QuotaExceeded) as err:
        await stl.conversions.convert(other, conv(p2, 2_000_000, "b"))
    assert err.value.details["remaining_usd"] == "10000.00"


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
async def test_concurrent_conversions_never_overrun_the_quota(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 20_000_000, "fund")
    results = await asyncio.gather(*[stl.conversions.convert(bank, conv(p, 700_000, f"cc{i}")) for i in range(10)], return_exceptions=True)
    ok = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, QuotaExceeded)]
    assert len(ok) == 7 and len(refused) == 3  # 7 x 7,000 = 49,000 <= 50,000 < 8 x 7,000
    assert (await stl.conversions.quota_status(bank, p.id))["directions"]["settle"]["used_usd_minor"] == 4_900_000


async def test_split_conversions_put_the_person_on_the_watch_list(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 20_000_000, "fund")
    deployment(stl, split_limit_usd=1_000_000)  # the operator's national split limit: USD 10,000 within 24 h
    await stl.conversions.convert(bank, conv(p, 600_000, "s1"))
    out = await stl.conversions.convert(bank, conv(p, 600_000, "s2"))
    assert "split_conversions" in out["alerts"]
    status = await stl.conversions.quota_status(bank, p.id)
    assert status["watch_list_until"] == status["year"] + 2
    with pytest.raises(ReviewRequired):
        await stl.conversions.convert(bank, conv(p, 100, "s3"))
    reviewed = await stl.conversions.convert(bank, conv(p, 100, "s4", review=Review("user:approver", "payslip")))
    assert reviewed["reviewer"] == "user:approver"


async def test_conversion_needs_funds(stl, bank):
    from ledger.errors import InsufficientFunds

    m = await merchant(stl, bank)
    with pytest.raises(InsufficientFunds):
        await stl.conversions.convert(bank, conv(m, 100, "broke"))


async def test_split_detection_counts_ordinary_conversions_only(stl, bank):
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 20_000_000, "fund")
    deployment(stl, split_limit_usd=1_000_000)  # USD 10,000 within 24 h
    reviewed = await stl.conversions.convert(bank, conv(p, 600_000, "r1", review=Review("user:approver", "contract SC-9 and invoices")))
    ordinary = await stl.conversions.convert(bank, conv(p, 600_000, "o1"))  # 6,000 ordinary + 6,000 reviewed: no split
    assert "split_conversions" not in reviewed["alerts"] + ordinary["alerts"]
    assert (await stl.conversions.quota_status(bank, p.id))["watch_list_until"] is None
    again = await stl.conversions.convert(bank, conv(p, 500_000, "o2"))  # 6,000 + 5,000 ordinary within 24 h: a split
    assert "split_conversions" in again["alerts"]


async def test_ordinary_conversions_either_side_of_new_year_within_24_hours_are_a_split(stl, bank):
    """Two quota years, one day: 30,000 late on 31 December and 30,000 early on
    1 January (China time) each fit their year's quota, together they cross
    the national split limit of 50,000."""
    p = await individual(stl, bank)
    await _fund(stl, bank, p, 10_000_000, "fund")
    dec31 = datetime(2025, 12, 31, 22, 0, tzinfo=CST)
    jan1 = datetime(2026, 1, 1, 9, 0, tzinfo=CST)
    for day in (dec31.date(), jan1.date()):
        await stl.rates.set_manual_rate(bank, "USD", "CNY", Decimal("7.1000"), as_of=day)
    first = await stl.conversions.convert(bank, conv(p, 3_000_000, "ny1"), now=dec31.astimezone(UTC))
    second = await stl.conversions.convert(bank, conv(p, 3_000_000, "ny2"), now=jan1.astimezone(UTC))
    assert (first["quota_year"], second["quota_year"]) == (2025, 2026)
    assert "split_conversions" in second["alerts"]
    assert (await stl.conversions.quota_status(bank, p.id, 2026))["watch_list_until"] == 2028


async def test_national_keys_are_refused_by_the_service_and_nothing_is_stored(stl, bank):
    from settlement.config import LooserThanNational, NationalParameter

    before = await stl.config(bank)
    for overrides in ({"split_window_hours": 1}, {"extra": {"Split_Limit_USD": 1}}, {"value_date_open_days": 3650}, {"customs_modes": ["0110"]}):
        with pytest.raises(NationalParameter):
            await stl.set_config(bank, overrides)
    with pytest.raises(LooserThanNational):
        await stl.set_config(bank, {"customer_annual_quota_usd": 5_000_001})
    stl._config_cache.clear()
    assert await stl.config(bank) == before
