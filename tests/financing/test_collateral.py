"""Collateral (F2, F3, F4) and one asset, one financing (F5).  Every test
runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from financing.collateral import common as CC
from financing.collateral import errors as CE
from financing.collateral import insurance as INS
from financing.collateral import orders as ORD
from financing.collateral import registry as REG
from financing.collateral import warehouse as WR
from financing.tables_collateral import financing_asset_registry, financing_warehouse_receipts
from ledger.db import run_in_transaction
from ledger.events import audit_log
from settlement.tradedata import record_refund
from tests.settlement.helpers import matched_orders, merchant


async def tx(engine, fn):
    return await run_in_transaction(engine, fn, retries=1)


@pytest.fixture
async def other_bank(stl):
    inst = await stl.ledger.create_institution(f"other-{id(stl) % 100000}", "Other Bank")
    return inst.id


# -- F2 / F5: orders -------------------------------------------------------------------------


async def test_orders_worth_usd_100000_at_70_percent_offer_at_most_70000(stl, bank, m1):
    ids = await matched_orders(stl, bank, "M1", [6_000_000, 4_000_000])  # USD 60,000 + 40,000
    val = await tx(stl.engine, lambda c: ORD.order_collateral_value(c, bank, m1.id, "shopx", ids, "USD"))
    assert val.value_minor == 10_000_000
    assert val.advance_rate == Decimal("0.70")
    assert val.advance_minor == 7_000_000
    assert val.eligible == [("O0", 6_000_000), ("O1", 4_000_000)]
    # a product may set another rate
    cfg = CC.CollateralConfig.from_mapping({"order_advance_rate": "0.5"})
    val = await tx(stl.engine, lambda c: ORD.order_collateral_value(c, bank, m1.id, "shopx", ids, "USD", config=cfg))
    assert val.advance_minor == 5_000_000


async def test_refunded_unmatched_foreign_and_unknown_orders_back_nothing(stl, bank, m1):
    await merchant(stl, bank, ref="M2")
    ids = await matched_orders(stl, bank, "M1", [1_000_000, 500_000, 300_000])
    other = await matched_orders(stl, bank, "M2", [700_000], prefix="X")
    await record_refund(stl.engine, bank, "shopx", "O1", external_id="r1", amount_minor=500_000, currency="USD")  # fully refunded
    await record_refund(stl.engine, bank, "shopx", "O2", external_id="r2", amount_minor=100_000, currency="USD")  # partly
    from settlement.tradedata import OrderIn, ingest_orders

    await ingest_orders(stl.engine, bank, "shopx", [OrderIn("U1", "M1", "USD", 900_000, date.today())])  # no waybill, no payment
    val = await tx(stl.engine, lambda c: ORD.order_collateral_value(c, bank, m1.id, "shopx", [*ids, *other, "U1", "nope"], "USD"))
    assert val.eligible == [("O0", 1_000_000), ("O2", 200_000)]
    assert val.value_minor == 1_200_000
    assert val.advance_minor == 840_000
    assert set(val.ineligible) == {"O1", "X0", "U1", "nope"}
    assert "refunded" in val.ineligible["O1"]
    assert val.ineligible["X0"] == "order of another merchant"
    assert val.ineligible["U1"].startswith("order partial")


async def test_an_order_financed_once_cannot_back_a_second_loan_at_any_institution(stl, bank, other_bank, m1):
    ids = await matched_orders(stl, bank, "M1", [6_000_000, 4_000_000])
    # the same merchant banks at another institution too; the platform pushes the same orders there
    m_other = await merchant(stl, other_bank, ref="M1")
    await matched_orders(stl, other_bank, "M1", [6_000_000, 4_000_000])

    first = await tx(stl.engine, lambda c: ORD.encumber_orders(c, bank, m1.id, "shopx", ids, "USD", "loan-A"))
    assert first.advance_minor == 7_000_000

    # a second loan here: the orders are no longer eligible, and encumbering is refused
    again = await tx(stl.engine, lambda c: ORD.order_collateral_value(c, bank, m1.id, "shopx", ids, "USD"))
    assert again.value_minor == 0 and again.advance_minor == 0
    assert again.ineligible == {"O0": "order already financed", "O1": "order already financed"}
    key = REG.order_asset_key("shopx", "O0")
    with pytest.raises(CE.AssetAlreadyFinanced):
        await tx(stl.engine, lambda c: REG.encumber(c, bank, key, "loan-B"))

    # at another institution: refused, without revealing the lender or its financing
    other_val = await tx(stl.engine, lambda c: ORD.order_collateral_value(c, other_bank, m_other.id, "shopx", ids, "USD"))
    assert other_val.advance_minor == 0
    with pytest.raises(CE.AssetAlreadyFinanced) as exc:
        await tx(stl.engine, lambda c: REG.encumber(c, other_bank, key, "loan-X"))
    err = exc.value
    assert err.status == 409 and err.code == "asset_already_financed"
    text = repr(err.to_dict())
    for secret in (str(bank), "loan-A", "bank-"):
        assert secret not in text

    # the same financing encumbering again is a replay, not an error
    rep = await tx(stl.engine, lambda c: REG.encumber(c, bank, key, "loan-A"))
    assert rep.replayed

    # only the encumbering institution (and financing) can release
    with pytest.raises(CE.AssetNotEncumbered):
        await tx(stl.engine, lambda c: REG.release(c, other_bank, key, "loan-A"))
    with pytest.raises(CE.AssetNotEncumbered):
        await tx(stl.engine, lambda c: REG.release(c, bank, key, "loan-B"))
    assert await tx(stl.engine, lambda c: REG.release_financing(c, bank, "loan-A")) == 2

    # after release the orders can back a financing again, anywhere
    val = await tx(stl.engine, lambda c: ORD.encumber_orders(c, other_bank, m_other.id, "shopx", ids, "USD", "loan-X"))
    assert val.advance_minor == 7_000_000
    async with stl.engine.connect() as c:
        rows = (await c.execute(select(audit_log.c.action).where(audit_log.c.institution_id == bank, audit_log.c.object_type == "asset"))).scalars().all()
        reg = (await c.execute(select(financing_asset_registry))).all()
    assert rows.count("asset.encumbered") == 2 and rows.count("asset.released") == 2
    assert len(reg) == 2 and {r.state for r in reg} == {"encumbered"}
    # the shared registry holds no institution id or financing reference
    assert all(str(other_bank) not in repr(tuple(r)) and "loan-X" not in repr(tuple(r)) for r in reg)


async def test_two_institutions_racing_to_finance_the_same_order_exactly_one_wins(stl, bank, other_bank, db_kind):
    key = REG.order_asset_key("shopx", "RACE-1")
    barrier = asyncio.Barrier(2) if db_kind == "postgresql" else None

    async def attempt(inst, ref):
        async def work(conn):
            if barrier is not None:
                # both transactions are open before either encumbers
                await conn.execute(select(1))
                await barrier.wait()
            enc = await REG.encumber(conn, inst, key, ref)
            await asyncio.sleep(0.05)  # hold the row a while before committing
            return enc

        try:
            return await tx(stl.engine, work)
        except CE.AssetAlreadyFinanced as exc:
            return exc

    for round_ in range(3):
        results = await asyncio.gather(attempt(bank, f"a-{round_}"), attempt(other_bank, f"b-{round_}"))
        wins = [r for r in results if isinstance(r, REG.Encumbrance)]
        losses = [r for r in results if isinstance(r, CE.AssetAlreadyFinanced)]
        assert len(wins) == 1 and len(losses) == 1
        if barrier is not None:
            barrier = asyncio.Barrier(2)
        winner = bank if results[0] is wins[0] else other_bank
        await tx(stl.engine, lambda c: REG.release(c, winner, key, wins[0].financing_ref))
    async with stl.engine.connect() as c:
        assert (await c.execute(select(financing_asset_registry.c.state).where(financing_asset_registry.c.asset_key == key))).scalar() == "released"


# -- F3: warehouse receipts ----------------------------------------------------------------------------

D0 = date(2026, 11, 20)  # a Friday
#: the warehouse's unified social credit code
WH = "91440300708461136T"


async def _receipt(stl, inst, customer_id, number="WR-001", issuer="Qianhai Bonded Warehouse"):
    async def work(c):
        await WR.set_haircut(c, inst, "copper", "0.10")
        await WR.set_price(c, inst, "copper", "CNY", "t", D0, 100_000)  # CNY 1,000.00 per tonne
        rid = await WR.issue_warehouse_receipt(
            c, inst, customer_id, warehouse_code=WH, issuer=issuer, receipt_number=number, goods_type="copper", quantity="1000", unit="t", location="Shenzhen B3"
        )
        return rid

    rid = await tx(stl.engine, work)
    await tx(stl.engine, lambda c: WR.verify_warehouse_receipt(c, inst, rid, "warehouse-clerk-7"))
    return rid


async def test_warehouse_receipt_margin_call_at_80_percent_liquidation_above_85_and_no_second_pledge(stl, bank, other_bank, m1):
    rid = await _receipt(stl, bank, m1.id)
    # value 1,000,000 CNY, haircut 10 %: 900,000; the initial LTV is at most 60 %
    with pytest.raises(CE.InitialLtvExceeded) as exc:
        await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, bank, rid, "wr-loan-1", 54_000_001, "CNY", D0))
    assert exc.value.details["valuation"] == "900000.00" and exc.value.details["max_loan"] == "540000.00" and exc.value.details["currency"] == "CNY"
    st = await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, bank, rid, "wr-loan-1", 54_000_000, "CNY", D0))
    assert st.valuation.gross_minor == 100_000_000 and st.valuation.value_minor == 90_000_000
    assert st.ltv == Decimal("0.6000")

    # a second pledge of the same receipt is refused, here and at another institution
    with pytest.raises(CE.AssetAlreadyFinanced):
        await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, bank, rid, "wr-loan-2", 1_000_000, "CNY", D0))
    m_other = await merchant(stl, other_bank, ref="M1")
    rid_other = await _receipt(stl, other_bank, m_other.id, number="ｗｒ 001 ", issuer="Qianhai Bonded Warehouse Co.")  # same receipt, spelled differently
    with pytest.raises(CE.AssetAlreadyFinanced):
        await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, other_bank, rid_other, "x-loan", 1_000_000, "CNY", D0))

    # price falls 25 %: value after haircut 675,000, LTV 80 % -> margin call, shortfall 135,000
    await tx(stl.engine, lambda c: WR.set_price(c, bank, "copper", "CNY", "t", D0 + timedelta(days=3), 75_000))
    st = await tx(stl.engine, lambda c: WR.revalue_pledge(c, bank, st.pledge_id, D0 + timedelta(days=3)))
    assert st.valuation.value_minor == 67_500_000
    assert st.ltv == Decimal("0.8000")
    assert st.action == "margin_call" and not st.liquidation_allowed
    call = st.margin_call
    assert call["shortfall_minor"] == 13_500_000  # repay 135,000 ...
    assert call["collateral_minor"] == 22_500_000  # ... or add 225,000 of collateral after haircut
    assert call["opened_on"] == "2026-11-23" and call["cure_by"] == "2026-11-30"  # 5 business days
    with pytest.raises(CE.LiquidationNotAllowed):
        await tx(stl.engine, lambda c: WR.liquidate_pledge(c, bank, st.pledge_id, D0 + timedelta(days=3)))

    # a fall of 30 % from the start: 630,000, LTV 85.71 % > 85 % -> liquidation allowed
    await tx(stl.engine, lambda c: WR.set_price(c, bank, "copper", "CNY", "t", D0 + timedelta(days=4), 70_000))
    st = await tx(stl.engine, lambda c: WR.revalue_pledge(c, bank, st.pledge_id, D0 + timedelta(days=4)))
    assert st.valuation.value_minor == 63_000_000
    assert st.ltv == Decimal("0.8571") and st.liquidation_allowed and st.action == "liquidation_allowed"
    assert st.margin_call["id"] == call["id"]  # the open call stays the same
    done = await tx(stl.engine, lambda c: WR.liquidate_pledge(c, bank, st.pledge_id, D0 + timedelta(days=4)))
    assert done.action == "liquidated"
    async with stl.engine.connect() as c:
        status = (await c.execute(select(financing_warehouse_receipts.c.status).where(financing_warehouse_receipts.c.id == rid))).scalar()
        pledge = await WR.get_pledge(c, bank, st.pledge_id)
    assert status == "liquidated" and pledge["status"] == "liquidated"
    assert [m["status"] for m in pledge["margin_calls"]] == ["liquidated"]
    # liquidated goods never back another financing, anywhere
    with pytest.raises(CE.AssetAlreadyFinanced):
        await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, other_bank, rid_other, "x-loan", 1_000_000, "CNY", D0))


async def test_goods_are_released_in_proportion_to_repayment_and_a_repayment_cures_a_margin_call(stl, bank, m1):
    rid = await _receipt(stl, bank, m1.id)
    st = await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, bank, rid, "wr-loan-1", 54_000_000, "CNY", D0))
    # repay 270,000 of 540,000: half the goods leave the warehouse
    rel = await tx(stl.engine, lambda c: WR.record_pledge_repayment(c, bank, st.pledge_id, 27_000_000))
    assert rel.fraction == Decimal("0.5") and rel.quantity_released == Decimal("500") and rel.quantity_pledged == Decimal("500")
    assert rel.outstanding_minor == 27_000_000 and not rel.pledge_closed

    # price falls 25 %: 500 t x 750 x 0.9 = 337,500; LTV 80 %; shortfall 67,500
    await tx(stl.engine, lambda c: WR.set_price(c, bank, "copper", "CNY", "t", D0 + timedelta(days=1), 75_000))
    st = await tx(stl.engine, lambda c: WR.revalue_pledge(c, bank, st.pledge_id, D0 + timedelta(days=1)))
    assert st.valuation.value_minor == 33_750_000 and st.margin_call["shortfall_minor"] == 6_750_000
    # repaying the shortfall cures the call and releases no goods
    rel = await tx(stl.engine, lambda c: WR.record_pledge_repayment(c, bank, st.pledge_id, 6_750_000))
    assert rel.quantity_released == 0 and rel.outstanding_minor == 20_250_000
    async with stl.engine.connect() as c:
        pledge = await WR.get_pledge(c, bank, st.pledge_id)
    assert pledge["ltv"] == "0.6000" and [m["status"] for m in pledge["margin_calls"]] == ["cured"]

    # full repayment releases the receipt and frees the registry
    rel = await tx(stl.engine, lambda c: WR.record_pledge_repayment(c, bank, st.pledge_id, 20_250_000))
    assert rel.pledge_closed and rel.quantity_pledged == 0
    async with stl.engine.connect() as c:
        status = (await c.execute(select(financing_warehouse_receipts.c.status).where(financing_warehouse_receipts.c.id == rid))).scalar()
        assert status == "released"
        assert not await REG.is_encumbered(c, REG.warehouse_receipt_key(WH, "WR-001"))


def test_margin_call_cure_deadline_is_5_business_days_skipping_weekends_and_holidays():
    assert WR.add_business_days(date(2026, 11, 20), 5) == date(2026, 11, 27)  # Fri -> Fri
    assert WR.add_business_days(date(2026, 11, 21), 5) == date(2026, 11, 27)  # Sat -> Fri
    assert WR.add_business_days(date(2026, 11, 20), 5, {date(2026, 11, 23)}) == date(2026, 11, 30)
    assert WR.add_business_days(date(2026, 11, 20), 5, lambda d: d.day == 24) == date(2026, 11, 30)


async def test_an_unverified_receipt_cannot_be_pledged(stl, bank, m1):
    async def work(c):
        await WR.set_haircut(c, bank, "rice", "0.2")
        await WR.set_price(c, bank, "rice", "CNY", "t", D0, 400_000)
        return await WR.issue_warehouse_receipt(c, bank, m1.id, warehouse_code=WH, issuer="W", receipt_number="R1", goods_type="rice", quantity="10.5", unit="t", location="X")

    rid = await tx(stl.engine, work)
    with pytest.raises(CE.CollateralStateConflict):
        await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, bank, rid, "l", 100, "CNY", D0))
    await tx(stl.engine, lambda c: WR.verify_warehouse_receipt(c, bank, rid, "clerk"))
    with pytest.raises(CE.NoCollateralPrice):
        await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, bank, rid, "l", 100, "CNY", D0 - timedelta(days=1)))
    st = await tx(stl.engine, lambda c: WR.pledge_warehouse_receipt(c, bank, rid, "l", 100, "CNY", D0))
    assert st.valuation.value_minor == 3_360_000  # 10.5 x 4,000.00 x 0.8


# -- F4: credit insurance ------------------------------------------------------------------------------


async def test_insured_advance_declared_200000_buyer_limit_150000_coverage_90_advance_80_is_at_most_108000(stl, bank, other_bank, m1):
    async def setup(c):
        pid = await INS.create_policy(
            c, bank, m1.id, policy_number="SINO-2026-001", insurer="Sinosure", insurer_code="SINOSURE", coverage_ratio="0.90", currency="USD", buyer_limits={"BUYER-DE-1": 15_000_000}
        )
        rid = await INS.declare_receivable(c, bank, pid, buyer_ref="BUYER-DE-1", invoice_number="INV-9", amount_minor=20_000_000, due_date=D0 + timedelta(days=90))
        rid2 = await INS.declare_receivable(c, bank, pid, buyer_ref="BUYER-DE-1", invoice_number="INV-10", amount_minor=5_000_000, due_date=D0 + timedelta(days=90))
        return pid, rid, rid2

    pid, rid, rid2 = await tx(stl.engine, setup)
    adv = await tx(stl.engine, lambda c: INS.insured_advance(c, bank, rid))
    assert adv.covered_minor == 15_000_000 and adv.coverage_ratio == Decimal("0.90") and adv.advance_rate == Decimal("0.80")
    assert adv.max_advance_minor == 10_800_000

    adv = await tx(stl.engine, lambda c: INS.finance_receivable(c, bank, rid, "ins-loan-1", assignee="Bank lending desk"))
    assert adv.max_advance_minor == 10_800_000
    with pytest.raises(CE.AssetAlreadyFinanced):
        await tx(stl.engine, lambda c: INS.finance_receivable(c, bank, rid, "ins-loan-2", assignee="Bank"))
    # the buyer's limit is used up by the financed receivable
    adv2 = await tx(stl.engine, lambda c: INS.insured_advance(c, bank, rid2))
    assert adv2.buyer_limit_available_minor == 0 and adv2.max_advance_minor == 0

    # the same insured receivable declared at another institution cannot be financed again
    m_other = await merchant(stl, other_bank, ref="M1")

    async def elsewhere(c):
        p2 = await INS.create_policy(c, other_bank, m_other.id, policy_number="sino-2026-001", insurer="SINOSURE Corp.", insurer_code="sinosure", coverage_ratio="0.9", currency="USD", buyer_limits={"BUYER-DE-1": 15_000_000})
        r2 = await INS.declare_receivable(c, other_bank, p2, buyer_ref="buyer de 1", invoice_number="ＩＮＶ９", amount_minor=20_000_000, due_date=D0)
        return await INS.finance_receivable(c, other_bank, r2, "x", assignee="Other")

    with pytest.raises(CE.AssetAlreadyFinanced):
        await tx(stl.engine, elsewhere)

    # the buyer defaults: the insurer's claim payment repays the loan (posted by the loans module)
    cid = await tx(stl.engine, lambda c: INS.file_claim(c, bank, rid, 15_000_000, D0 + timedelta(days=120)))
    paid = await tx(stl.engine, lambda c: INS.record_claim_payment(c, bank, cid, 13_500_000, D0 + timedelta(days=150)))
    assert paid.paid_minor == 13_500_000 and paid.financing_ref == "ins-loan-1" and paid.assigned_to == "Bank lending desk" and paid.currency == "USD"
    with pytest.raises(CE.CollateralStateConflict):
        await tx(stl.engine, lambda c: INS.record_claim_payment(c, bank, cid, 1, D0))

    await tx(stl.engine, lambda c: INS.release_receivable(c, bank, rid))
    adv2 = await tx(stl.engine, lambda c: INS.insured_advance(c, bank, rid2))
    assert adv2.max_advance_minor == 3_600_000  # 0.8 x 0.9 x 50,000
    async with stl.engine.connect() as c:
        actions = (await c.execute(select(audit_log.c.action).where(audit_log.c.institution_id == bank, audit_log.c.object_type.in_(["insured_receivable", "insurance_claim"])))).scalars().all()
    assert {"receivable.indemnity_assigned", "claim.filed", "claim.paid", "receivable.released"} <= set(actions)


async def test_another_institutions_collateral_is_not_found(stl, bank, other_bank, m1):
    rid = await _receipt(stl, bank, m1.id)
    with pytest.raises(CE.CollateralNotFound) as exc:
        await tx(stl.engine, lambda c: WR.verify_warehouse_receipt(c, other_bank, rid, "x"))
    assert exc.value.status == 404


# -- identity, not spelling (issue #12) ---------------------------------------------------------------


def test_the_unified_social_credit_code_check_character_follows_gb_32100_2015():
    from financing.collateral.identity import InvalidRegistryCode, uscc, uscc_check_character

    # published codes of well-known enterprises validate
    for code in ("91440300708461136T", "914403001922038216", "91110108551385082Q", "91330100716105852F"):
        assert uscc(code) == code and uscc_check_character(code[:17]) == code[17]
    assert uscc(" 9144 0300 7084 6113 6t ") == "91440300708461136T"  # spaces and case
    assert uscc("９１４４０３００７０８４６１１３６Ｔ") == "91440300708461136T"  # full width
    # a check sum of 0 mod 31 gives check character "0" (31 is written 0)
    assert uscc_check_character("00000000000000000") == "0"
    for bad in ("91440300708461136X", "9144030070846113T", "91440300708461136TT", "9144030070846113IT", "91440300708461O36T", ""):
        with pytest.raises(InvalidRegistryCode) as exc:
            uscc(bad)
        assert exc.value.status == 422 and exc.value.details["field"] == "warehouse_code"


def test_one_warehouse_receipt_has_one_key_whatever_the_spelling():
    key = REG.warehouse_receipt_key(WH, "WR-001")
    for number in ("WR 001", "wr-001", "ＷＲ－００１", " W.R/001 ", "wr\u3000001"):
        assert REG.warehouse_receipt_key(WH, number) == key, number
    assert REG.warehouse_receipt_key(WH.lower(), "WR-001") == key
    assert REG.warehouse_receipt_key(WH, "WR-002") != key
    assert REG.warehouse_receipt_key("914403001922038216", "WR-001") != key  # another warehouse
    assert REG.insured_receivable_key("BUYER-DE-1", "INV-9") == REG.insured_receivable_key("buyer de 1", "ＩＮＶ９")
    assert REG.policy_key("SINOSURE", "SINO-2026-001") == REG.policy_key("sinosure", "sino 2026 001")
