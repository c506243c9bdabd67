"""A loan's repayment schedule in the ledger (F6, issue #17 item 1): stored
at disbursement, interest parts equal to what the daily accrual job posts,
repayments to the earliest instalment due, early repayment rebuilding the
rest by the product's rule, days past due and penalty from the earliest
unpaid instalment.  On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from financing import loans as L
from financing import schedules as S
from financing.products import create_product
from tests.settlement.test_payments import fund

from .conftest import merchant

CNY_120K = 12_000_000  # CNY 120,000.00 in fen
RATE = Decimal("0.0435")
START = date(2027, 1, 15)
DAY = timedelta(days=1)


async def _product(stl, bank, *, rule="reduce_instalment", code="sme-cny", method="equal_instalment"):
    return await create_product(
        stl.ledger.engine, bank, code=code, kind="order", currency="CNY", fixed_rate=RATE, day_count="ACT/360", schedule_method=method, prepayment_rule=rule,
        penalty_rate=Decimal("0.18"), min_tenor_days=30, max_tenor_days=360,
    )


async def _loan(stl, bank, product, ref="C1"):
    lg = stl.ledger
    m = await merchant(stl, bank, ref=ref, currencies=())
    await fund(stl, bank, m.id, 1_000_000_00, "CNY")  # the interest comes from the merchant's own money
    loan = await L.apply(lg, bank, customer_id=m.id, product_id=product.id, requested_minor=CNY_120K, tenor_days=360, limit_minor=CNY_120K)
    await L.decide(lg, bank, loan["id"], approve=True)
    await L.make_offer(lg, bank, loan["id"], start=START)
    await L.accept(lg, bank, loan["id"])
    return await L.disburse(lg, bank, loan["id"], on=START)


def _due(i) -> date:
    return i["due_date"] if isinstance(i["due_date"], date) else date.fromisoformat(i["due_date"])


async def _accrue_and_pay(lg, bank, loan_id, inst, *, extra=0, reference=None):
    """Run the accrual job through the day before ``inst``'s due date: it
    posts exactly the instalment's interest; then pay the instalment (and
    ``extra``) on its due date."""
    due = _due(inst)
    job = await L.accrue(lg, bank, due - DAY)
    before = await L.get_loan(lg, bank, loan_id)
    assert before["balances"]["interest"] == inst["interest_minor"], inst["number"]
    left = inst["total_minor"] - inst["paid_minor"]
    await L.repay(lg, bank, loan_id, left + extra, reference=reference or f"i{inst['number']}", on=due)
    return job


async def test_equal_instalments_stored_at_disbursement_interest_is_the_daily_accrual_and_early_repayment_lowers_the_rest(stl, bank):
    lg = stl.ledger
    product = await _product(stl, bank)
    loan = await _loan(stl, bank, product)
    expected = S.monthly("equal_instalment", CNY_120K, RATE, "ACT/360", START, 12)
    assert loan["due_date"] == date(2028, 1, 15) == expected.maturity
    sched = await L.loan_schedule(lg, bank, loan["id"], as_of=START)
    insts = sched["instalments"]
    assert [(i["due_date"], i["principal_minor"], i["interest_minor"]) for i in insts] == [(i.due_date, i.principal_minor, i.interest_minor) for i in expected.instalments]
    assert sum(i["principal_minor"] for i in insts) == CNY_120K
    assert insts[0]["interest_minor"] == 44_950  # 31 days: 12,000,000 x 0.0435 x 31 / 360
    assert {i["status"] for i in insts} == {"due"} and sched["prepayments"] == []
    payment = insts[0]["total_minor"]
    assert loan["next_instalment"] == {"number": 1, "due_date": date(2027, 2, 15), "amount_minor": payment}

    # instalments 1-3 on their due dates: the accrual job posts each one's interest exactly
    for i in insts[:3]:
        await _accrue_and_pay(lg, bank, loan["id"], i)
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["balances"] == {"penalty": 0, "interest": 0, "fees": 0, "principal": CNY_120K - sum(i["principal_minor"] for i in insts[:3])}
    assert got["next_instalment"]["number"] == 4 and got["dpd"] == 0

    # instalment 4 with CNY 30,000.00 more: an early repayment of principal
    await _accrue_and_pay(lg, bank, loan["id"], insts[3], extra=3_000_000)
    got = await L.get_loan(lg, bank, loan["id"])
    kept_principal = sum(i["principal_minor"] for i in insts[:4])
    assert got["balances"]["principal"] == CNY_120K - kept_principal - 3_000_000
    after = await L.loan_schedule(lg, bank, loan["id"], as_of=date(2027, 5, 15))
    new = after["instalments"]
    assert [i["status"] for i in new[:4]] == ["paid"] * 4 and [i["interest_minor"] for i in new[:4]] == [i["interest_minor"] for i in insts[:4]]
    assert after["prepayments"] == [{"date": "2027-05-15", "amount_minor": 3_000_000, "principal_minor": 3_000_000, "after_instalment": 4}]
    # reduce_instalment: the same twelve due dates, lower payments for 5-12
    assert [_due(i) for i in new] == [_due(i) for i in insts]
    assert all(i["total_minor"] < payment - 250_000 for i in new[4:])
    assert len({i["total_minor"] for i in new[4:11]}) == 1
    assert sum(i["principal_minor"] for i in new) + 3_000_000 == CNY_120K
    assert new[4]["start"] == date(2027, 5, 15) and new[4]["principal_minor"] + sum(i["principal_minor"] for i in new[5:]) == got["balances"]["principal"]

    # instalments 5-12 on their due dates: each one's interest is again what the accrual posts, and the last one closes the loan
    for i in new[4:]:
        await _accrue_and_pay(lg, bank, loan["id"], i)
    done = await L.get_loan(lg, bank, loan["id"])
    assert done["status"] == "repaid" and done["outstanding_minor"] == 0 and done["next_instalment"] is None
    final = await L.loan_schedule(lg, bank, loan["id"], as_of=date(2028, 1, 15))
    assert {i["status"] for i in final["instalments"]} == {"paid"}
    reps = await L.repayments(lg, bank, loan["id"])
    interest_paid = sum(r["allocation"].get("interest", 0) for r in reps)
    assert interest_paid == sum(i["interest_minor"] for i in final["instalments"])


async def test_shorten_term_keeps_the_payment_and_drops_the_last_instalments(stl, bank):
    lg = stl.ledger
    product = await _product(stl, bank, rule="shorten_term", code="sme-cny-st")
    loan = await _loan(stl, bank, product)
    insts = (await L.loan_schedule(lg, bank, loan["id"]))["instalments"]
    payment = insts[0]["total_minor"]
    for i in insts[:3]:
        await _accrue_and_pay(lg, bank, loan["id"], i)
    await _accrue_and_pay(lg, bank, loan["id"], insts[3], extra=3_000_000)
    new = (await L.loan_schedule(lg, bank, loan["id"]))["instalments"]
    assert len(new) < 12 and all(i["total_minor"] == payment for i in new[4:-1]) and new[-1]["total_minor"] <= payment
    assert sum(i["principal_minor"] for i in new) + 3_000_000 == CNY_120K
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["due_date"] == _due(new[-1]) < date(2028, 1, 15)
    for i in new[4:]:
        await _accrue_and_pay(lg, bank, loan["id"], i)
    assert (await L.get_loan(lg, bank, loan["id"]))["status"] == "repaid"


async def test_a_missed_instalment_is_overdue_from_its_due_date_with_penalty_on_its_principal(stl, bank):
    lg = stl.ledger
    product = await _product(stl, bank, code="sme-cny-late")
    loan = await _loan(stl, bank, product)
    insts = (await L.loan_schedule(lg, bank, loan["id"]))["instalments"]
    await _accrue_and_pay(lg, bank, loan["id"], insts[0])
    # instalment 2 (due 15 March 2027) is not paid
    await L.accrue(lg, bank, date(2027, 3, 15))
    got = await L.get_loan(lg, bank, loan["id"])
    assert (got["dpd"], got["bucket"]) == (0, None)
    await L.accrue(lg, bank, date(2027, 3, 25))
    got = await L.get_loan(lg, bank, loan["id"])
    assert (got["dpd"], got["bucket"]) == (10, "1-30")
    # penalty 18 % ACT/360 on instalment 2's principal for 15..25 March (11 days); nothing before its due date
    p2 = insts[1]["principal_minor"]
    exact = Fraction(p2) * Fraction(18, 100) / 360 * 11
    assert got["balances"]["penalty"] == exact.numerator // exact.denominator
    view = await L.loan_schedule(lg, bank, loan["id"], as_of=date(2027, 3, 25))
    assert [i["status"] for i in view["instalments"][:3]] == ["paid", "overdue", "due"]
    assert got["next_instalment"] == {"number": 2, "due_date": date(2027, 3, 15), "amount_minor": insts[1]["total_minor"]}
    hist = await L.dpd_history(lg, bank, loan["id"])
    assert [(h["as_of"], h["dpd"], h["bucket"]) for h in hist] == [(date(2027, 3, 25), 10, "1-30")]
    # paying it (with the penalty) on 26 March: instalment 2 is paid, the loan is current again
    await L.repay(lg, bank, loan["id"], insts[1]["total_minor"] + got["balances"]["penalty"], reference="late-2", on=date(2027, 3, 26))
    await L.accrue(lg, bank, date(2027, 3, 26))
    got = await L.get_loan(lg, bank, loan["id"])
    assert (got["dpd"], got["bucket"]) == (0, None) and got["next_instalment"]["number"] == 3
    assert (await L.loan_schedule(lg, bank, loan["id"], as_of=date(2027, 3, 26)))["instalments"][1]["status"] == "paid"
    # no penalty after it was paid: 26 March's accrual posted interest only
    assert got["balances"]["penalty"] == 0
    assert [(h["as_of"], h["dpd"], h["bucket"]) for h in await L.dpd_history(lg, bank, loan["id"])][-1] == (date(2027, 3, 26), 0, None)


async def test_a_partial_payment_of_an_instalment_due_is_partially_paid_and_counts_past_due(stl, bank):
    lg = stl.ledger
    product = await _product(stl, bank, code="sme-cny-part", method="equal_principal")
    loan = await _loan(stl, bank, product)
    insts = (await L.loan_schedule(lg, bank, loan["id"]))["instalments"]
    assert [i["principal_minor"] for i in insts] == [1_000_000] * 12
    await L.accrue(lg, bank, date(2027, 2, 14))
    await L.repay(lg, bank, loan["id"], 500_000, reference="half", on=date(2027, 2, 15))
    view = await L.loan_schedule(lg, bank, loan["id"], as_of=date(2027, 2, 15))
    first = view["instalments"][0]
    assert (first["paid_minor"], first["status"]) == (500_000, "partially_paid")
    assert view["next_instalment"]["amount_minor"] == first["total_minor"] - 500_000 and view["prepayments"] == []
    await L.accrue(lg, bank, date(2027, 2, 20))
    got = await L.get_loan(lg, bank, loan["id"])
    assert got["dpd"] == 5
    assert (await L.loan_schedule(lg, bank, loan["id"], as_of=date(2027, 2, 20)))["instalments"][0]["status"] == "overdue"


async def test_an_early_repayment_inside_a_period_rebuilds_from_its_value_date_and_the_loan_closes_exactly(stl, bank):
    lg = stl.ledger
    product = await _product(stl, bank, code="sme-cny-mid")
    loan = await _loan(stl, bank, product)
    insts = (await L.loan_schedule(lg, bank, loan["id"]))["instalments"]
    await _accrue_and_pay(lg, bank, loan["id"], insts[0])
    # 1 March 2027, inside instalment 2's period: CNY 20,000.00 pays the interest accrued since 15 February, the rest is principal
    await L.accrue(lg, bank, date(2027, 2, 28))
    accrued = (await L.get_loan(lg, bank, loan["id"]))["balances"]["interest"]
    await L.repay(lg, bank, loan["id"], 2_000_000, reference="mid", on=date(2027, 3, 1))
    got = await L.get_loan(lg, bank, loan["id"])
    view = await L.loan_schedule(lg, bank, loan["id"], as_of=date(2027, 3, 1))
    new = view["instalments"]
    assert view["prepayments"] == [{"date": "2027-03-01", "amount_minor": 2_000_000, "principal_minor": 2_000_000 - accrued, "after_instalment": 1}]
    assert new[1]["start"] == date(2027, 3, 1) and _due(new[1]) == date(2027, 3, 15) and len(new) == 12
    assert sum(i["principal_minor"] for i in new[1:]) == got["balances"]["principal"]
    assert sum(i["principal_minor"] for i in new) + 2_000_000 - accrued == CNY_120K
    for i in new[1:]:
        await _accrue_and_pay(lg, bank, loan["id"], i)
    done = await L.get_loan(lg, bank, loan["id"])
    assert done["status"] == "repaid" and done["balances"] == {"penalty": 0, "interest": 0, "fees": 0, "principal": 0}


async def test_f2_a_missed_minimum_repayment_is_overdue_with_penalty_on_the_shortfall_until_cured(stl, bank, m1):
    lg = stl.ledger
    product = await create_product(lg.engine, bank, code="order-min-f2", kind="order", currency="USD", fixed_rate=Decimal("0.073"), min_repayment_bp_per_30d=1000,
                                   penalty_rate=Decimal("0.18"))
    loan = await L.apply(lg, bank, customer_id=m1.id, product_id=product.id, requested_minor=1_000_000, tenor_days=90, limit_minor=1_000_000)
    await L.decide(lg, bank, loan["id"], approve=True)
    await L.make_offer(lg, bank, loan["id"], start=date(2026, 1, 1))
    await L.accept(lg, bank, loan["id"])
    await L.disburse(lg, bank, loan["id"], on=date(2026, 1, 1))
    await L.repay(lg, bank, loan["id"], 100_000, reference="m-1", on=date(2026, 1, 15))  # period 1 (to 31 Jan): 10 % of USD 10,000.00 met
    await L.accrue(lg, bank, date(2026, 3, 1))
    got = await L.get_loan(lg, bank, loan["id"])
    assert (got["dpd"], got["bucket"], got["balances"]["penalty"]) == (0, None, 0)
    # period 2 ends 2 March with nothing repaid in it: overdue from then, penalty 18 % ACT/360 on the USD 1,000.00 shortfall (USD 0.50 a day)
    await L.accrue(lg, bank, date(2026, 3, 5))
    got = await L.get_loan(lg, bank, loan["id"])
    assert (got["dpd"], got["bucket"], got["balances"]["penalty"]) == (3, "1-30", 4 * 50)
    # the shortfall repaid on 6 March: current again, no more penalty
    await L.repay(lg, bank, loan["id"], 100_000, reference="m-2", on=date(2026, 3, 6))
    await L.accrue(lg, bank, date(2026, 3, 10))
    got = await L.get_loan(lg, bank, loan["id"])
    assert (got["dpd"], got["bucket"], got["balances"]["penalty"]) == (0, None, 0)
    assert [(h["as_of"], h["dpd"], h["bucket"]) for h in await L.dpd_history(lg, bank, loan["id"])] == [(date(2026, 3, 5), 3, "1-30"), (date(2026, 3, 10), 0, None)]
