"""Interest math (F6): day count per currency, exact accrual with carried
fractions of a minor unit, LPR + spread repriced on the LPR date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from financing import daycount
from financing.products import Product, ProductInvalid, RateSchedule, create_product, get_product, set_lpr, validate


def _floor(f: Fraction) -> int:
    return f.numerator // f.denominator


def test_interest_usd_100000_at_7_3_pct_act360_for_31_days_is_628_61():
    principal = 10_000_000  # USD 100,000.00
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(31)]
    acc = daycount.accrue_days(principal, Decimal("0.073"), "ACT/360", days)
    expected = _floor(Fraction(principal) * Fraction(73, 1000) / 360 * 31)
    assert expected == 62_861
    assert sum(a.posted for a in acc) == 62_861  # USD 628.61
    # each day posts 2027 or 2028 minor units; the carry stays below one
    assert {a.posted for a in acc} <= {2027, 2028}
    assert all(0 <= a.carry < 1 for a in acc)
    assert acc[-1].carry == Fraction(principal) * Fraction(73, 1000) / 360 * 31 - 62_861


def test_interest_no_minor_unit_lost_across_365_daily_accruals():
    principal = 12_345_678
    rate = Decimal("0.0735")
    start = date(2027, 3, 1)  # the year ahead crosses 29 Feb 2028
    days = [start + timedelta(days=i) for i in range(365)]
    for conv, basis in (("ACT/360", 360), ("ACT/365F", 365)):
        acc = daycount.accrue_days(principal, rate, conv, days)
        exact = Fraction(principal) * Fraction(735, 10000) * 365 / basis
        assert sum(a.posted for a in acc) == _floor(exact)
        assert acc[-1].carry == exact - _floor(exact)
    # ACT/365F never uses 366, even in a leap year
    assert daycount.basis("ACT/365F", date(2028, 2, 29)) == 365
    assert daycount.basis("ACT/360", date(2028, 2, 29)) == 360
    assert daycount.basis("ACT/ACT", date(2028, 2, 29)) == 366


def test_interest_cny_lpr_plus_50bp_act360_across_a_leap_day_repriced_on_the_lpr_date():
    p = validate(Product(id=None, institution_id=None, code="cny", kind="order", currency="CNY", lpr_tenor="1y", spread_bp=50))
    assert p.day_count == "ACT/360"
    lpr = [(date(2028, 1, 20), Decimal("0.0310")), (date(2028, 2, 20), Decimal("0.0300")), (date(2028, 3, 20), Decimal("0.0290"))]
    sched = RateSchedule(p, lpr)
    assert sched(date(2028, 2, 19)) == Decimal("0.0360")
    assert sched(date(2028, 2, 20)) == Decimal("0.0350")
    principal = 100_000_000  # CNY 1,000,000.00
    start = date(2028, 2, 10)
    days = [start + timedelta(days=i) for i in range(30)]  # 10 Feb .. 10 Mar 2028, includes 29 Feb
    assert date(2028, 2, 29) in days
    acc = daycount.accrue_days(principal, sched, "ACT/360", days)
    # independently: 10 days at 3.10%+0.50%, 20 days at 3.00%+0.50% (the leap day is an actual day)
    exact = Fraction(principal) * (Fraction(360, 10000) * 10 + Fraction(350, 10000) * 20) / 360
    assert _floor(exact) == 294_444
    assert sum(a.posted for a in acc) == 294_444  # CNY 2,944.44
    # ACT/360 over the leap day: 29 Feb accrues like any other day
    leap = [a for a in acc if a.day == date(2028, 2, 29)][0]
    assert leap.exact == Fraction(principal) * Fraction(350, 10000) / 360


def test_products_default_day_count_from_currency_and_overridable():
    for cur, conv in (("USD", "ACT/360"), ("EUR", "ACT/360"), ("CNY", "ACT/360"), ("GBP", "ACT/365F"), ("HKD", "ACT/365F"), ("JPY", "ACT/365F"), ("SGD", "ACT/365F"), ("AUD", "ACT/365F")):
        assert daycount.default_convention(cur) == conv
    p = validate(Product(id=None, institution_id=None, code="x", kind="order", currency="USD", fixed_rate=Decimal("0.05"), day_count="ACT/365F"))
    assert p.day_count == "ACT/365F"
    with pytest.raises(ProductInvalid):
        validate(Product(id=None, institution_id=None, code="x", kind="order", currency="USD", lpr_tenor="1y"))  # LPR only for CNY
    with pytest.raises(ProductInvalid):
        validate(Product(id=None, institution_id=None, code="x", kind="order", currency="USD", fixed_rate=Decimal("0.05"), waterfall=["principal", "fees"]))


async def test_products_and_lpr_table_are_stored_per_institution(stl, bank):
    p = await create_product(stl.ledger.engine, bank, code="cny-lpr", kind="warehouse_receipt", currency="CNY", lpr_tenor="1y", spread_bp=50, advance_rate=Decimal("0.60"))
    got = await get_product(stl.ledger.engine, bank, p.id)
    assert (got.lpr_tenor, got.spread_bp, got.day_count, got.advance_rate, got.sweep_rate) == ("1y", 50, "ACT/360", Decimal("0.60"), Decimal("0.20"))
    assert got.waterfall == ["penalty", "interest", "fees", "principal"]
    await set_lpr(stl.ledger.engine, bank, "1y", date(2028, 1, 20), Decimal("0.0310"))
    await set_lpr(stl.ledger.engine, bank, "1y", date(2028, 2, 20), Decimal("0.0300"))
    from financing.products import rate_schedule

    sched = await rate_schedule(stl.ledger.engine, got)
    assert sched(date(2028, 2, 21)) == Decimal("0.0350")
