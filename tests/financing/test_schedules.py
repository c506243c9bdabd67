"""Repayment schedules and the annualized cost (F6, issue #17 items 1-2):
numbers checked against an independent day-by-day accrual."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from financing import daycount
from financing import schedules as S

RATE = Decimal("0.0435")
START = date(2027, 1, 15)
CNY_120K = 12_000_000  # CNY 120,000.00 in fen


def daily_walk(sched: S.Schedule, rate: Decimal, carry: Fraction = Fraction(0)) -> list[int]:
    """Interest per instalment recomputed one day at a time on the principal
    outstanding that day (principal falls on each due date)."""
    out = []
    outstanding = sched.principal_minor
    for inst in sched.instalments:
        total = 0
        d = inst.start
        while d < inst.due_date:
            acc = daycount.accrue_days(outstanding, rate, sched.convention, [d], carry)
            total += acc[0].posted
            carry = acc[0].carry
            d += timedelta(days=1)
        out.append(total)
        outstanding -= inst.principal_minor
    return out


def test_twelve_equal_instalments_of_cny_120000_at_4_35_act_360():
    s = S.monthly("equal_instalment", CNY_120K, RATE, "ACT/360", START, 12)
    assert [i.due_date for i in s.instalments][:3] == [date(2027, 2, 15), date(2027, 3, 15), date(2027, 4, 15)]
    assert s.instalments[-1].due_date == date(2028, 1, 15)
    assert sum(i.principal_minor for i in s.instalments) == CNY_120K
    assert [i.interest_minor for i in s.instalments] == daily_walk(s, RATE)
    # first period: 31 days on the whole principal = 12,000,000 x 0.0435 x 31 / 360
    assert s.instalments[0].days == 31 and s.instalments[0].interest_minor == 44_950
    payments = {i.principal_minor + i.interest_minor for i in s.instalments[:-1]}
    assert len(payments) == 1
    payment = payments.pop()
    last = s.instalments[-1]
    assert abs(last.principal_minor + last.interest_minor - payment) <= 12  # the residue of rounding the payment
    assert 1_020_000 < payment < 1_030_000  # near the textbook annuity at 4.35 % / 12 (about 1,023,770 fen): actual days cost more
    assert s.interest_minor == sum(daily_walk(s, RATE))


def test_equal_principal_parts_sum_exactly_and_interest_falls():
    s = S.monthly("equal_principal", 100_001, RATE, "ACT/360", START, 3)
    assert [i.principal_minor for i in s.instalments] == [33_334, 33_334, 33_333]
    big = S.monthly("equal_principal", CNY_120K, RATE, "ACT/360", START, 12)
    assert {i.principal_minor for i in big.instalments} == {1_000_000}
    assert [i.interest_minor for i in big.instalments] == daily_walk(big, RATE)
    # February 2027 has 28 days: 11,000,000 x 0.0435 x 28 / 360 = 37,216.67 -> 37,216 posted, 2/3 carried
    assert big.instalments[1].interest_minor == 37_216


def test_bullet_equals_the_accrual_of_the_tenor():
    s = S.bullet(300_000, Decimal("0.073"), "ACT/360", START, 90, fee_minor=1_500)
    posted, _carry = daycount.interest_for_period(300_000, Decimal("0.073"), "ACT/360", START, 90)
    assert len(s.instalments) == 1
    inst = s.instalments[0]
    assert inst.due_date == START + timedelta(days=90)
    assert (inst.principal_minor, inst.interest_minor, inst.fee_minor) == (300_000, posted, 1_500)
    assert posted == 5_475  # 300,000 x 0.073 x 90 / 360


def test_month_ends_are_clamped_and_keep_the_anchor_day():
    assert S.monthly_due_dates(date(2027, 1, 31), 3) == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert S.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)  # leap year


def test_early_repayment_after_instalment_4_recomputes_the_rest():
    s = S.monthly("equal_instalment", CNY_120K, RATE, "ACT/360", START, 12)
    paid = s.instalments[:4]
    prepaid = 3_000_000  # CNY 30,000.00 repaid early with instalment 4
    outstanding = CNY_120K - sum(i.principal_minor for i in paid) - prepaid
    lower = S.reschedule(s, 4, outstanding, RATE, rule="reduce_instalment", carry=s_carry_after(s, 4))
    assert lower.instalments[:4] == s.instalments[:4]
    rest = lower.instalments[4:]
    assert [i.number for i in rest] == list(range(5, 13))
    assert [i.due_date for i in rest] == [i.due_date for i in s.instalments[4:]]
    assert sum(i.principal_minor for i in rest) == outstanding
    old_payment = s.instalments[4].principal_minor + s.instalments[4].interest_minor
    new_payment = rest[0].principal_minor + rest[0].interest_minor
    assert new_payment < old_payment
    # the new interest parts are again the daily accrual on what is now owed
    tail = S.Schedule("equal_instalment", outstanding, "ACT/360", rest)
    assert [i.interest_minor for i in rest] == daily_walk(tail, RATE, s_carry_after(s, 4))

    shorter = S.reschedule(s, 4, outstanding, RATE, rule="shorten_term", carry=s_carry_after(s, 4))
    rest2 = shorter.instalments[4:]
    assert sum(i.principal_minor for i in rest2) == outstanding
    assert len(rest2) < 8  # the same payment ends the loan earlier
    assert all(i.principal_minor + i.interest_minor == old_payment for i in rest2[:-1])


def s_carry_after(s: S.Schedule, k: int) -> Fraction:
    """The accrual carry at the end of instalment ``k`` (recomputed)."""
    carry = Fraction(0)
    outstanding = s.principal_minor
    for inst in s.instalments[:k]:
        _posted, carry = daycount.interest_for_period(outstanding, RATE, s.convention, inst.start, inst.days, carry)
        outstanding -= inst.principal_minor
    return carry


def npv_monthly(s: S.Schedule, annual_pct: Decimal, fee_upfront: int) -> Fraction:
    r = Fraction(annual_pct) / 100 / 12
    flows = S.cash_flows(s, fee_upfront_minor=fee_upfront)
    return sum((Fraction(amt) / (1 + r) ** k for k, (_d, amt) in enumerate(flows)), Fraction(0))


def test_annualized_cost_with_a_fee_is_the_irr_of_the_cash_flows():
    s = S.monthly("equal_instalment", CNY_120K, RATE, "ACT/360", START, 12)
    fee = 120_000  # CNY 1,200.00 deducted at disbursement
    apr = S.annualized_cost(s, fee_upfront_minor=fee)
    assert apr == apr.quantize(Decimal("0.01"))
    # the NPV changes sign within half a hundredth of a percent of the stated figure
    assert npv_monthly(s, apr - Decimal("0.005"), fee) * npv_monthly(s, apr + Decimal("0.005"), fee) < 0
    without = S.annualized_cost(s)
    assert without < apr
    assert Decimal("4.35") < without < Decimal("4.50")  # ACT/360 days cost a little more than the nominal 4.35 %
    assert apr > without + Decimal("1.5")  # a 1 % fee on a one-year amortizing loan costs ~1.8 % a year


def test_annualized_cost_of_a_bullet():
    s = S.bullet(300_000, Decimal("0.073"), "ACT/360", START, 90, fee_minor=1_500)
    # (5,475 + 1,500) / 300,000 over 90 days, x 365 / 90
    expected = Decimal(6_975) / Decimal(300_000) * Decimal(365) / Decimal(90) * 100
    assert S.annualized_cost(s) == expected.quantize(Decimal("0.01"))


@pytest.mark.parametrize(("method", "dates", "msg"), [
    ("weekly", [date(2027, 2, 15)], "unknown schedule method"),
    ("bullet", [date(2027, 2, 15), date(2027, 3, 15)], "exactly one due date"),
    ("equal_principal", [date(2027, 1, 15)], "after the start"),
    ("equal_principal", [date(2027, 3, 15), date(2027, 2, 15)], "strictly ascending"),
])
def test_bad_terms_are_refused(method, dates, msg):
    with pytest.raises(S.ScheduleError, match=msg):
        S.build(method, 100_000, RATE, "ACT/360", START, dates)


def test_bad_amounts_and_rules_are_refused():
    with pytest.raises(S.ScheduleError, match="positive"):
        S.monthly("equal_principal", 0, RATE, "ACT/360", START, 3)
    with pytest.raises(S.ScheduleError, match="at least one"):
        S.monthly("equal_principal", 100, RATE, "ACT/360", START, 0)
    with pytest.raises(S.ScheduleError, match="non-negative"):
        S.monthly("equal_principal", 100, Decimal("-0.01"), "ACT/360", START, 3)
    s = S.monthly("equal_principal", 100_000, RATE, "ACT/360", START, 3)
    with pytest.raises(S.ScheduleError, match="prepayment rule"):
        S.reschedule(s, 1, 50_000, RATE, rule="skip")
    with pytest.raises(ValueError, match="day-count"):
        S.monthly("equal_principal", 100, RATE, "30/360", START, 3)


@settings(max_examples=60)
@given(
    method=st.sampled_from(["equal_principal", "equal_instalment"]),
    principal=st.integers(min_value=1, max_value=10**13),
    rate_bp=st.integers(min_value=0, max_value=3600),
    count=st.integers(min_value=1, max_value=36),
    convention=st.sampled_from(daycount.CONVENTIONS),
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
)
def test_any_schedule_repays_the_principal_exactly_with_the_daily_interest(method, principal, rate_bp, count, convention, start):
    rate = Decimal(rate_bp) / Decimal(10_000)
    s = S.monthly(method, principal, rate, convention, start, count)
    assert sum(i.principal_minor for i in s.instalments) == principal
    assert all(i.principal_minor >= 0 and i.interest_minor >= 0 for i in s.instalments)
    assert [i.interest_minor for i in s.instalments] == daily_walk(s, rate)
