"""The loan lifecycle in the ledger (F2, F6): decision, offer, disbursement,
idempotent daily accrual, receipts swept to order loans, the repayment
waterfall, days-past-due buckets, write-off and the portfolio.  On SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from financing import loans as L
from financing.products import create_product
from settlement import accounts as A
from settlement.receipts import ReceiptIn
from tests.settlement.conftest import today_cst

from .conftest import merchant

P = 1_000_000  # USD 10,000.00
RATE = Fraction(73, 1000)


def _floor(f: Fraction) -> int:
    return f.numerator // f.denominator


async def _active_loan(stl, bank, product, customer_id, *, on: date, amount=P, tenor=90):
    lg = stl.ledger
    loan = await L.apply(lg, bank, customer_id=customer_id, product_id=product.id, requested_minor=amount, tenor_days=tenor, asset_refs=["order:O1"], limit_minor=amount)
    await L.decide(lg, bank, loan["id"], approve=True, reasons=["score_ok"], inputs={"score": 712})
    await L.make_offer(lg, bank, loan["id"], start=on)
    await L.accept(lg, bank, loan["id"])
    return await L.disburse(lg, bank, loan["id"], on=on)


async def _posted(stl, inst, account_id):
    return (await stl.ledger.balance(inst, account_id)).posted


async def test_loan_lifecycle_decision_offer_and_disbursement_in_the_ledger(stl, bank, usd_order_product, m1):
    lg = stl.ledger
    declined = await L.apply(lg, bank, customer_id=m1.id, product_id=usd_order_product.id, requested_minor=P, tenor_days=90, limit_minor=P // 2)
    with pytest.raises(L.LoanInvalid):  # above the limit
        await L.decide(lg, bank, declined["id"], approve=True)
    with pytest.raises(L.LoanInvalid):  # tenor above the product's 180 days
        await L.apply(lg, bank, customer_id=m1.id, product_id=usd_order_product.id, requested_minor=P, tenor_days=181)
    d = await L.decide(lg, bank, declined["id"], approve=False, reasons=["limit_exceeded"])
    assert d["status"] == "declined" and d["decision"]["reasons"] == ["limit_exceeded"]

    loan = await L.apply(lg, bank, customer_id=m1.id, product_id=usd_order_product.id, requested_minor=P, tenor_days=90, limit_minor=P)
    await L.decide(lg, bank, loan["id"], approve=True, amount_minor=P)
    offered = await L.make_offer(lg, bank, loan["id"], start=date(2026, 1, 1))
    offer = offered["offer"]
    # 10,000.00 × 7.3 % / 360 × 90 days = 182.50; arrangement fee 50 bp = 50.00
    assert (offer["interest_minor"], offer["fee_minor"], offer["total_cost_minor"], offer["total_repayable_minor"]) == (18_250, 5_000, 23_250, 1_023_250)
    assert offer["due_date"] == "2026-04-01" and offer["day_count"] == "ACT/360"
    with pytest.raises(L.LoanStateError):
        await L.disburse(lg, bank, loan["id"])  # not accepted yet
    await L.accept(lg, bank, loan["id"])
    active = await L.disburse(lg, bank, loan["id"], on=date(2026, 1, 1))
    assert active["status"] == "active" and active["due_date"] == date(2026, 4, 1)
    assert active["balances"] == {"penalty": 0, "interest": 0, "fees": 5_000, "principal": P}
    current = await A.customer_account(lg, bank, m1.id, "current", "USD")
    assert await _posted(stl, bank, current) == P
    inst = await L.institution_accounts(lg, bank, "USD")
    assert await _posted(stl, bank, inst["fee-income"]) == 5_000
    # the two clearing accounts mirror each other
    assert await _posted(stl, bank, inst["loans-clearing"]) == P
    assert await _posted(stl, bank, inst["settlement-clearing"]) == P


async def test_accrual_job_is_idempotent_per_day_and_catches_up_missed_days(stl, bank, usd_order_product, m1):
    lg = stl.ledger
    d0 = date(2026, 1, 1)
    loan = await _active_loan(stl, bank, usd_order_product, m1.id, on=d0)
    first = await L.accrue(lg, bank, d0 + timedelta(days=9))  # 10 days
    assert first["interest_minor"] == _floor(P * RATE / 360 * 10) == 2_027
    again = await L.accrue(lg, bank, d0 + timedelta(days=9))
    assert again == {"loans": 0, "interest_minor": 0, "penalty_minor": 0}
    caught_up = await L.accrue(lg, bank, d0 + timedelta(days=30))  # 21 missed days
    assert first["interest_minor"] + caught_up["interest_minor"] == _floor(P * RATE / 360 * 31) == 6_286
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["balances"]["interest"] == 6_286
    assert got["accrued_through"] == date(2026, 1, 31)
    assert Fraction(got["interest_carry"]) == P * RATE / 360 * 31 - 6_286
    inst = await L.institution_accounts(lg, bank, "USD")
    assert await _posted(stl, bank, inst["interest-income"]) == 6_286
    assert (await L.accrue(lg, bank, date(2026, 1, 31)))["interest_minor"] == 0


async def test_order_loan_a_receipt_of_20000_with_a_20pct_sweep_repays_4000(stl, bank, usd_order_product, m1):
    lg = stl.ledger
    loan = await _active_loan(stl, bank, usd_order_product, m1.id, on=today_cst())
    r = ReceiptIn(customer_id=m1.id, currency="USD", gross_minor=2_000_000, net_minor=2_000_000, customs_mode="9610", destination_country="US", external_ref="sweep-1")
    out = await stl.receipts.post_receipt(bank, r)
    assert out["status"] == "credited"
    assert out["swept_minor"] == 400_000  # 20 % of 20,000.00 = 4,000.00
    current = await A.customer_account(lg, bank, m1.id, "current", "USD")
    assert await _posted(stl, bank, current) == P + 2_000_000 - 400_000
    got = await L.get_loan(lg, bank, loan["id"])
    # waterfall penalty → interest → fees → principal: fee 50.00 first, then 3,950.00 principal
    assert got["balances"] == {"penalty": 0, "interest": 0, "fees": 0, "principal": P - 395_000}
    reps = await L.repayments(lg, bank, loan["id"])
    assert [(x["source"], x["amount_minor"], x["allocation"]) for x in reps] == [("sweep", 400_000, {"fees": 5_000, "principal": 395_000})]
    inst = await L.institution_accounts(lg, bank, "USD")
    assert await _posted(stl, bank, inst["loans-clearing"]) == P - 400_000
    assert await _posted(stl, bank, inst["settlement-clearing"]) == P - 400_000
    # the sweep is capped at what is owed: 605,000 left, 20 % of 5,000,000 would be 1,000,000
    r2 = ReceiptIn(customer_id=m1.id, currency="USD", gross_minor=5_000_000, net_minor=5_000_000, customs_mode="9610", destination_country="US", external_ref="sweep-2")
    out2 = await stl.receipts.post_receipt(bank, r2)
    assert out2["swept_minor"] == 605_000
    assert (await L.get_loan(lg, bank, loan["id"]))["status"] == "repaid"
    # P lent, P + fee 5,000 repaid: the mirror clearing accounts agree
    assert await _posted(stl, bank, inst["loans-clearing"]) == -5_000 == await _posted(stl, bank, inst["settlement-clearing"])
    for led in (await L.financing_ledger_id(lg, bank), await A.settlement_ledger_id(lg, bank)):
        assert (await lg.verify(bank, led)).ok


async def test_repayment_waterfall_penalty_interest_fees_principal_and_sweep_principal_first(stl, bank, m1):
    lg = stl.ledger
    product = await create_product(
        lg.engine, bank, code="order-pf", kind="order", currency="USD", fixed_rate=Decimal("0.073"), arrangement_fee_bp=50, penalty_rate=Decimal("0.18"),
    )
    d0 = date(2026, 1, 1)
    loan = await _active_loan(stl, bank, product, m1.id, on=d0, tenor=30)  # due 31 Jan 2026
    await L.accrue(lg, bank, date(2026, 2, 9))  # 40 days of interest, 10 overdue days of penalty
    interest = _floor(P * RATE / 360 * 40)
    penalty = _floor(P * Fraction(18, 100) / 360 * 10)
    assert (interest, penalty) == (8_111, 5_000)
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["balances"] == {"penalty": 5_000, "interest": 8_111, "fees": 5_000, "principal": P}
    assert got["dpd"] == 9 and got["bucket"] == "1-30"
    after = await L.repay(lg, bank, loan["id"], 20_000, reference="rep-1", on=date(2026, 2, 9))
    # 20,000 = penalty 5,000 + interest 8,111 + fees 5,000 + principal 1,889
    assert after["balances"] == {"penalty": 0, "interest": 0, "fees": 0, "principal": P - 1_889}
    reps = await L.repayments(lg, bank, loan["id"])
    assert reps[-1]["allocation"] == {"penalty": 5_000, "interest": 8_111, "fees": 5_000, "principal": 1_889}
    again = await L.repay(lg, bank, loan["id"], 20_000, reference="rep-1", on=date(2026, 2, 9))  # same reference: no second posting
    assert again["balances"]["principal"] == P - 1_889
    with pytest.raises(L.LoanInvalid):
        await L.repay(lg, bank, loan["id"], P, reference="too-much", on=date(2026, 2, 9))  # owes 998,111
    # a configurable order, e.g. a sweep going principal first
    assert L.allocate({"penalty": 5, "interest": 7, "fees": 3, "principal": 100}, 104, ["principal", "interest", "fees", "penalty"]) == {"principal": 100, "interest": 4}


async def test_dpd_buckets_with_history_npl_portfolio_and_write_off(stl, bank, usd_order_product, m1):
    lg = stl.ledger
    other = await merchant(stl, bank, ref="M2", currencies=("USD",))
    loan = await _active_loan(stl, bank, usd_order_product, m1.id, on=date(2026, 1, 1), tenor=30)  # due 31 Jan
    good = await _active_loan(stl, bank, usd_order_product, other.id, on=date(2026, 1, 1), amount=300_000, tenor=180)
    for day, dpd, bucket in ((date(2026, 1, 31), 0, None), (date(2026, 2, 1), 1, "1-30"), (date(2026, 3, 5), 33, "31-60"), (date(2026, 4, 15), 74, "61-90"), (date(2026, 5, 2), 91, "90+")):
        await L.accrue(lg, bank, day)
        got = await L.get_loan(lg, bank, loan["id"])
        assert (got["dpd"], got["bucket"]) == (dpd, bucket)
    await L.accrue(lg, bank, date(2026, 2, 1))  # an old day again: nothing moves back
    assert (await L.get_loan(lg, bank, loan["id"]))["bucket"] == "90+"
    hist = await L.dpd_history(lg, bank, loan["id"])
    assert [(h["as_of"], h["dpd"], h["bucket"]) for h in hist] == [
        (date(2026, 2, 1), 1, "1-30"), (date(2026, 3, 5), 33, "31-60"), (date(2026, 4, 15), 74, "61-90"), (date(2026, 5, 2), 91, "90+"),
    ]
    bad = await L.get_loan(lg, bank, loan["id"])
    days = (date(2026, 5, 2) - date(2026, 1, 1)).days + 1  # 122 days of interest
    interest = _floor(P * RATE / 360 * days)
    penalty = _floor(P * Fraction(18, 100) / 360 * (days - 30))
    assert bad["balances"] == {"penalty": penalty, "interest": interest, "fees": 5_000, "principal": P}
    good_now = await L.get_loan(lg, bank, good["id"])
    pf = await L.portfolio(lg, bank)
    total = bad["outstanding_minor"] + good_now["outstanding_minor"]
    assert pf["outstanding"]["USD"]["total"] == total
    assert pf["outstanding"]["USD"]["principal"] == P + 300_000
    assert pf["buckets"]["USD"]["90+"] == {"loans": 1, "outstanding_minor": bad["outstanding_minor"]}
    assert pf["buckets"]["USD"]["current"] == {"loans": 1, "outstanding_minor": good_now["outstanding_minor"]}
    assert pf["npl_ratio"]["USD"] == (Decimal(bad["outstanding_minor"]) / Decimal(total)).quantize(Decimal("0.0001"))
    assert pf["exposure"][str(m1.id)] == {"USD": bad["outstanding_minor"]}

    off = await L.write_off(lg, bank, loan["id"], reason="90+ days past due, recovery exhausted", on=date(2026, 5, 2))
    assert off["status"] == "written_off" and off["written_off_minor"] == bad["outstanding_minor"]
    assert off["balances"] == {"penalty": 0, "interest": 0, "fees": 0, "principal": 0}
    inst = await L.institution_accounts(lg, bank, "USD")
    assert await _posted(stl, bank, inst["writeoff-expense"]) == bad["outstanding_minor"]
    assert (await L.accrue(lg, bank, date(2026, 5, 10)))["interest_minor"] == _floor(300_000 * RATE / 360 * 130) - _floor(300_000 * RATE / 360 * 122)  # only the good loan
    tb = await lg.trial_balance(bank, await L.financing_ledger_id(lg, bank))
    assert tb.totals["USD"][0] == tb.totals["USD"][1]
    pf2 = await L.portfolio(lg, bank)
    assert pf2["loans"] == 1 and pf2["npl_ratio"]["USD"] == Decimal(0)


async def test_interest_cny_loan_at_lpr_plus_50bp_act360_across_the_leap_day_in_the_ledger(stl, bank, m1):
    lg = stl.ledger
    from financing.products import set_lpr

    product = await create_product(lg.engine, bank, code="order-cny", kind="order", currency="CNY", lpr_tenor="1y", spread_bp=50)
    await set_lpr(lg.engine, bank, "1y", date(2024, 1, 22), Decimal("0.0310"))
    await set_lpr(lg.engine, bank, "1y", date(2024, 2, 20), Decimal("0.0300"))  # repriced from this date
    amount = 100_000_000  # CNY 1,000,000.00
    loan = await _active_loan(stl, bank, product, m1.id, on=date(2024, 2, 10), amount=amount, tenor=60)
    assert loan["offer"]["annual_rate"] == "0.0360" and loan["offer"]["day_count"] == "ACT/360"
    await L.accrue(lg, bank, date(2024, 3, 10))  # 10 Feb .. 10 Mar 2024: 30 actual days including 29 Feb
    exact = Fraction(amount) * (Fraction(360, 10000) * 10 + Fraction(350, 10000) * 20) / 360
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["balances"]["interest"] == _floor(exact) == 294_444  # CNY 2,944.44
    current = await A.customer_account(lg, bank, m1.id, "current", "CNY")
    assert await _posted(stl, bank, current) == amount


async def test_order_loan_minimum_repaid_per_30_days_flags_each_missed_period_once(stl, bank, m1):
    from sqlalchemy import select

    from ledger.events import outbox_events

    lg = stl.ledger
    product = await create_product(lg.engine, bank, code="order-min", kind="order", currency="USD", fixed_rate=Decimal("0.073"), min_repayment_bp_per_30d=1000)
    loan = await _active_loan(stl, bank, product, m1.id, on=date(2026, 1, 1), tenor=90)
    await L.repay(lg, bank, loan["id"], 100_000, reference="m-1", on=date(2026, 1, 15))  # period 1: 10 % of 10,000.00 met
    await L.accrue(lg, bank, date(2026, 3, 5))
    await L.accrue(lg, bank, date(2026, 3, 5))
    periods = await L.minimum_repayment_status(lg, bank, loan["id"], date(2026, 3, 5))
    assert [(p["period"], p["end"], p["repaid_minor"], p["shortfall_minor"]) for p in periods] == [(1, date(2026, 1, 31), 100_000, 0), (2, date(2026, 3, 2), 0, 100_000)]
    async with lg.engine.connect() as conn:
        events = (await conn.execute(select(outbox_events.c.payload).where(outbox_events.c.institution_id == bank, outbox_events.c.type == "loan.minimum_repayment_missed"))).all()
    assert [(e.payload["period"], e.payload["currency"], e.payload["minimum"], e.payload["shortfall"]) for e in events] == [(2, "USD", "1000.00", "1000.00")]
    assert not any(k.endswith("_minor") for e in events for k in e.payload)


async def test_order_loan_sweep_on_the_bulk_receipts_path_sees_each_previous_sweep(stl, bank, usd_order_product, m1):
    lg = stl.ledger
    other = await merchant(stl, bank, ref="M3", currencies=("USD",))
    loan = await _active_loan(stl, bank, usd_order_product, m1.id, on=today_cst())

    def rcpt(cid, gross, ref):
        return ReceiptIn(customer_id=cid, currency="USD", gross_minor=gross, net_minor=gross, customs_mode="9610", destination_country="US", external_ref=ref)

    out = await stl.receipts.post_receipts(bank, [rcpt(m1.id, 2_000_000, "b-1"), rcpt(other.id, 2_000_000, "b-2"), rcpt(m1.id, 5_000_000, "b-3")])
    # 4,000.00, nothing (no loan), then the 6,050.00 still owed (capped below 20 % of 50,000.00)
    assert [o["swept_minor"] for o in out] == [400_000, 0, 605_000]
    assert (await L.get_loan(lg, bank, loan["id"]))["status"] == "repaid"
