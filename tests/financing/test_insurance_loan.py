"""F4: a credit-insurance policy loan: advance at most 80 % x 90 % x
min(declared receivable, buyer limit); the insurer's claim payment repays it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from financing import loans as L
from financing.collateral import insurance as INS
from financing.products import create_product
from tests.settlement.conftest import today_cst

from .conftest import merchant  # noqa: F401


async def _tx(engine, fn):
    async with engine.begin() as conn:
        return await fn(conn)


async def test_credit_insurance_loan_is_repaid_by_the_insurers_claim_payment(stl, bank, m1):
    day = today_cst()
    product = await create_product(stl.engine, bank, code="policy-usd", kind="credit_insurance", currency="USD", fixed_rate=Decimal("0.06"), max_tenor_days=180)

    async def setup(c):
        pid = await INS.create_policy(c, bank, m1.id, policy_number="SINO-7", insurer="Sinosure", insurer_code="SINOSURE", coverage_ratio="0.90", currency="USD", buyer_limits={"BUYER-1": 15_000_000})
        return await INS.declare_receivable(c, bank, pid, buyer_ref="BUYER-1", invoice_number="INV-1", amount_minor=20_000_000, due_date=day + timedelta(days=90))

    rid = await _tx(stl.engine, setup)
    adv = await _tx(stl.engine, lambda c: INS.insured_advance(c, bank, rid))
    assert adv.max_advance_minor == 10_800_000  # 0.8 x 0.9 x min(200,000, 150,000) = 108,000.00
    lg = stl.ledger
    loan = await L.apply(lg, bank, customer_id=m1.id, product_id=product.id, requested_minor=10_800_000, tenor_days=90, asset_refs=[f"receivable:{rid}"], limit_minor=adv.max_advance_minor)
    lid = loan["id"]
    await _tx(stl.engine, lambda c: INS.finance_receivable(c, bank, rid, str(lid), assignee="Bank lending desk"))
    await L.decide(lg, bank, lid, approve=True, amount_minor=10_800_000)
    await L.make_offer(lg, bank, lid, start=day)
    await L.accept(lg, bank, lid)
    await L.disburse(lg, bank, lid, on=day)
    assert (await L.get_loan(lg, bank, lid))["balances"]["principal"] == 10_800_000
    # the buyer defaults; the insurer pays 90 % of the covered 150,000
    cid = await _tx(stl.engine, lambda c: INS.file_claim(c, bank, rid, 15_000_000, day))
    payment = await _tx(stl.engine, lambda c: INS.record_claim_payment(c, bank, cid, 13_500_000, day))
    after = await L.repay_from_claim(lg, bank, lid, payment, on=day)
    assert after["status"] == "repaid" and after["outstanding_minor"] == 0
    # the loan took exactly what it owed (108,000.00: no interest on day 0, no fee);
    # the rest of the 135,000.00 stays with the merchant beside the disbursed cash
    from settlement import accounts as A

    current = await lg.balance(bank, await A.customer_account(lg, bank, m1.id, "current", "USD"))
    assert (current.credits_posted, current.debits_posted, current.posted) == (10_800_000 + 13_500_000, 10_800_000, 13_500_000)
    again = await L.repay_from_claim(lg, bank, lid, payment, on=day)
    assert again["status"] == "repaid"
