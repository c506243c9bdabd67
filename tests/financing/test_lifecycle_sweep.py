"""Issue #17 item 6, sweeps at the receipt's value date: a receipt swept to
an order loan repays it on the receipt's value date, so a back-dated
receipt stops the interest on the principal it repays on that day (what was
already accrued on it is handed back, to the minor unit).  SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from financing import loans as L
from settlement.receipts import ReceiptIn
from tests.settlement.conftest import today_cst

from .conftest import merchant
from .test_loans import RATE, P, _active_loan, _floor, _posted


async def test_a_back_dated_receipt_stops_the_interest_on_what_it_sweeps_at_its_value_date(stl, bank, usd_order_product, m1):
    lg = stl.ledger
    today = today_cst()
    d0 = today - timedelta(days=20)
    loan = await _active_loan(stl, bank, usd_order_product, m1.id, on=d0)
    await L.accrue(lg, bank, today - timedelta(days=1))  # 20 days on USD 10,000.00 at 7.3 % ACT/360
    assert (await L.get_loan(lg, bank, loan["id"]))["balances"]["interest"] == _floor(P * RATE / 360 * 20) == 4_055
    value_date = d0 + timedelta(days=10)
    r = ReceiptIn(customer_id=m1.id, currency="USD", gross_minor=2_000_000, net_minor=2_000_000, customs_mode="9610", destination_country="US",
                  external_ref="sweep-back", value_date=value_date)
    out = await stl.receipts.post_receipt(bank, r)
    assert out["swept_minor"] == 400_000  # 20 % of USD 20,000.00
    reps = await L.repayments(lg, bank, loan["id"])
    # the 10 days from the value date already accrued on the swept principal (USD 3,917.39) are handed back:
    # USD 7.94, so the sweep pays interest 32.61, the fee 50.00 and principal 3,917.39
    assert [(x["source"], x["effective_date"], x["allocation"]) for x in reps] == [("sweep", value_date, {"interest": 3_261, "fees": 5_000, "principal": 391_739})]
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["balances"] == {"penalty": 0, "interest": 0, "fees": 0, "principal": P - 391_739}
    # the interest charged is the day-by-day accrual with the repayment on its value date: 10 days on 10,000.00, 10 on 6,082.61
    exact = P * RATE / 360 * 10 + (P - 391_739) * RATE / 360 * 10
    assert _floor(exact) == 3_261 and Fraction(got["interest_carry"]) == exact - 3_261
    inst = await L.institution_accounts(lg, bank, "USD")
    assert await _posted(stl, bank, inst["interest-income"]) == 3_261
    # the next days accrue on the principal left, carrying the fraction
    await L.accrue(lg, bank, today)
    exact += (P - 391_739) * RATE / 360
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["balances"]["interest"] == _floor(exact) - 3_261 == 123
    assert await _posted(stl, bank, inst["interest-income"]) == _floor(exact) == 3_384


async def test_a_receipt_value_dated_today_hands_nothing_back_and_one_before_the_loan_repays_from_its_first_day(stl, bank, usd_order_product, m1):
    lg = stl.ledger
    today = today_cst()
    d0 = today - timedelta(days=5)
    loan = await _active_loan(stl, bank, usd_order_product, m1.id, on=d0)
    await L.accrue(lg, bank, today - timedelta(days=1))
    r = ReceiptIn(customer_id=m1.id, currency="USD", gross_minor=2_000_000, net_minor=2_000_000, customs_mode="9610", destination_country="US", external_ref="sweep-today")
    await stl.receipts.post_receipt(bank, r)
    interest5 = _floor(P * RATE / 360 * 5)
    assert interest5 == 1_013
    reps = await L.repayments(lg, bank, loan["id"])
    assert [(x["effective_date"], x["allocation"]) for x in reps] == [(today, {"interest": 1_013, "fees": 5_000, "principal": 400_000 - 1_013 - 5_000})]
    # a receipt value-dated before the disbursement repays on the disbursement day: all five accrued days go back on what it sweeps
    other = await merchant(stl, bank, ref="M9", currencies=("USD",))
    loan2 = await _active_loan(stl, bank, usd_order_product, other.id, on=d0)
    await L.accrue(lg, bank, today - timedelta(days=1))
    r2 = ReceiptIn(customer_id=other.id, currency="USD", gross_minor=2_000_000, net_minor=2_000_000, customs_mode="9610", destination_country="US",
                   external_ref="sweep-early", value_date=d0 - timedelta(days=3))
    await stl.receipts.post_receipt(bank, r2)
    reps2 = await L.repayments(lg, bank, loan2["id"])
    alloc = reps2[0]["allocation"]
    assert reps2[0]["effective_date"] == d0
    exact = (P - alloc["principal"]) * RATE / 360 * 5
    assert alloc["interest"] == _floor(exact) and alloc["interest"] + alloc["fees"] + alloc["principal"] == 400_000
    assert (alloc["fees"], alloc["principal"]) == (5_000, 394_386) and alloc["interest"] == 614
