"""F1 underwriting: features from 12 months of trade data, the negative list
as a hard decline, a points scorecard with reason codes, a limit reduced by
the existing exposure, and decisions stored and replayed to the same answer."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from financing.tables_underwriting import financing_underwriting_decisions
from financing.underwriting import (
    DEFAULT_MODEL,
    EXPOSURE_LIMIT,
    NEGATIVE_LIST,
    Features,
    ScoringModel,
    compute_features,
    get_decision,
    replay_decision,
    same_decision,
    score,
    underwrite,
    verify_decision,
)
from ledger.clock import add_months
from ledger.events import audit_log
from settlement.customers import set_negative_list
from settlement.tradedata import OrderIn, PaymentIn, RefundIn, WaybillIn, ingest_orders, ingest_payments, ingest_refunds, ingest_waybills
from tests.settlement.helpers import merchant

AS_OF = date(2026, 6, 30)
P = "shopx"


def _month_amount(i: int) -> int:
    return 100_000 + 10_000 * i  # USD 1,000.00 + 100.00 per month, oldest first


async def _history(stl, inst, ref: str, *, scale: int = 1) -> None:
    """12 months of matched USD orders (one per month, month i = oldest + i),
    plus: an older order (shop age), a mismatched and a partial order, an
    EUR order, an order after as_of; a refund, a chargeback, a return dated
    after as_of; two late shipments; destinations US (9 months but one
    without a country) and GB (last 3 months)."""
    orders, pays, wbs = [], [], []
    for i in range(12):
        day = add_months(AS_OF, -(11 - i)) - timedelta(days=5)
        dest = None if i == 5 else ("GB" if i >= 9 else "US")
        amt = _month_amount(i) * scale
        orders.append(OrderIn(f"{ref}-m{i}", ref, "USD", amt, day, destination_country=dest))
        pays.append(PaymentIn(f"{ref}-p{i}", f"{ref}-m{i}", ref, "USD", amt, day + timedelta(days=1)))
        wbs.append(WaybillIn(f"{ref}-w{i}", f"{ref}-m{i}", ref, day + timedelta(days=5 if i < 2 else 2)))
    # before the window: counts only for the shop age
    orders.append(OrderIn(f"{ref}-old", ref, "USD", 50_000, date(2025, 6, 1), destination_country="US"))
    pays.append(PaymentIn(f"{ref}-pold", f"{ref}-old", ref, "USD", 50_000, date(2025, 6, 2)))
    wbs.append(WaybillIn(f"{ref}-wold", f"{ref}-old", ref, date(2025, 6, 3)))
    # mismatched: paid half
    orders.append(OrderIn(f"{ref}-mis", ref, "USD", 70_000, date(2026, 3, 10), destination_country="DE"))
    pays.append(PaymentIn(f"{ref}-pmis", f"{ref}-mis", ref, "USD", 35_000, date(2026, 3, 11)))
    wbs.append(WaybillIn(f"{ref}-wmis", f"{ref}-mis", ref, date(2026, 3, 12)))
    # partial: no waybill
    orders.append(OrderIn(f"{ref}-par", ref, "USD", 30_000, date(2026, 4, 10)))
    pays.append(PaymentIn(f"{ref}-ppar", f"{ref}-par", ref, "USD", 30_000, date(2026, 4, 11)))
    # another currency: left out of the USD features
    orders.append(OrderIn(f"{ref}-eur", ref, "EUR", 1_000, date(2026, 5, 10)))
    pays.append(PaymentIn(f"{ref}-peur", f"{ref}-eur", ref, "EUR", 1_000, date(2026, 5, 11)))
    wbs.append(WaybillIn(f"{ref}-weur", f"{ref}-eur", ref, date(2026, 5, 12)))
    # after as_of
    orders.append(OrderIn(f"{ref}-late", ref, "USD", 999_000, date(2026, 7, 5), destination_country="US"))
    await ingest_orders(stl.engine, inst, P, orders)
    await ingest_payments(stl.engine, inst, P, pays)
    await ingest_waybills(stl.engine, inst, P, wbs)
    await ingest_refunds(
        stl.engine, inst, P,
        [
            RefundIn(f"{ref}-r11", f"{ref}-m11", "USD", 20_000 * scale, date(2026, 6, 28), "refund"),
            RefundIn(f"{ref}-r10", f"{ref}-m10", "USD", 5_000 * scale, date(2026, 5, 28), "chargeback"),
            RefundIn(f"{ref}-r3", f"{ref}-m3", "USD", 10_000 * scale, date(2026, 7, 10), "return"),  # after as_of
        ],
    )


async def _features(stl, inst, cid, **kw) -> Features:
    async with stl.engine.connect() as conn:
        return await compute_features(conn, inst, cid, AS_OF, **kw)


async def test_features_are_computed_exactly_from_a_12_month_history(stl, bank):
    m = await merchant(stl, bank, ref="F1", currencies=("USD", "EUR"))
    await _history(stl, bank, "F1")
    f = await _features(stl, bank, m.id)
    assert f.currency == "USD"
    assert f.window_start == date(2025, 6, 30)
    assert (f.order_count, f.matched_count, f.mismatched_count) == (14, 12, 1)
    assert f.gross_sales_minor == 1_860_000
    assert (f.refunds_minor, f.chargebacks_minor) == (25_000, 5_000)
    assert f.net_sales_minor == 1_835_000
    assert f.avg_monthly_sales_minor == 152_916
    assert f.monthly_net_sales_minor == (100_000, 110_000, 120_000, 130_000, 140_000, 150_000, 160_000, 170_000, 180_000, 190_000, 195_000, 190_000)
    assert f.growth == Decimal("0.1275")  # 575,000 / 510,000 - 1
    assert f.return_rate == Decimal("0.0134")  # 25,000 / 1,860,000
    assert f.dispute_rate == Decimal("0.0027")  # 5,000 / 1,860,000
    assert (f.shipped_on_time_count, f.on_time_rate) == (10, Decimal("0.8333"))
    assert f.first_order_date == date(2025, 6, 1) and f.shop_age_days == 394
    assert (f.top_destination, f.top_destination_sales_minor, f.known_destination_sales_minor) == ("US", 1_110_000, 1_710_000)
    assert f.buyer_concentration == Decimal("0.6491")
    assert f.mismatch_rate == Decimal("0.0714")  # 1 / 14
    assert f.negative_listed is False
    # the other currency on request
    e = await _features(stl, bank, m.id, currency="EUR")
    assert (e.currency, e.order_count, e.matched_count, e.gross_sales_minor) == ("EUR", 1, 1, 1_000)
    # and the scorecard's points on those features
    d = score(f)
    assert d.points == {
        "sales": 60, "growth": 60, "return_rate": 100, "dispute_rate": 80, "on_time_rate": 30, "shop_age": 80, "concentration": 50, "mismatch_rate": 20,
    }
    assert (d.score, d.decision, d.reasons, d.gross_limit_minor, d.limit_minor) == (480, "refer", (), 152_916, 152_916)


async def test_a_negative_listed_merchant_is_declined_with_negative_list_whatever_its_sales(stl, bank):
    m = await merchant(stl, bank, ref="NL")
    await _history(stl, bank, "NL", scale=1000)  # USD 1.5 million a month
    good = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, actor="staff:u1")
    assert good.decision == "approve" and good.limit_minor > 0
    await set_negative_list(stl.engine, bank, m.id, True, reason="credit negative list 2026", actor="staff:u1")
    d = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, actor="staff:u1")
    assert d.decision == "decline"
    assert d.reasons[0] == NEGATIVE_LIST
    assert (d.gross_limit_minor, d.limit_minor) == (0, 0)
    assert d.score == good.score  # the scorecard alone would have approved
    stored = await get_decision(stl.engine, bank, d.id)
    assert stored.features.negative_listed and stored.features.negative_list_reason == "credit negative list 2026"


async def test_the_same_inputs_give_the_same_decision_and_each_is_stored_with_an_audit_entry(stl, bank):
    m = await merchant(stl, bank, ref="SD")
    await _history(stl, bank, "SD")
    a = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, existing_exposure_minor=10_000, actor="staff:u1")
    b = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, existing_exposure_minor=10_000, actor="staff:u2")
    assert a.id != b.id
    assert same_decision(a, b)
    assert (a.score, a.decision, a.limit_minor, a.reasons) == (480, "refer", 142_916, (EXPOSURE_LIMIT,))
    async with stl.engine.connect() as conn:
        rows = (await conn.execute(select(financing_underwriting_decisions).where(financing_underwriting_decisions.c.institution_id == bank))).all()
        audits = (await conn.execute(select(audit_log).where(audit_log.c.action == "underwriting.decide", audit_log.c.institution_id == bank))).all()
    assert len(rows) == 2 and {r.model_version for r in rows} == {DEFAULT_MODEL.version}
    assert rows[0].inputs["features"]["gross_sales_minor"] == 1_860_000 and rows[0].inputs["existing_exposure_minor"] == 10_000
    assert rows[0].reasons == [EXPOSURE_LIMIT] and rows[0].score == 480
    assert {a.object_id for a in audits} == {str(a.id), str(b.id)}
    assert audits[0].after["decision"] == "refer" and audits[0].after["limit"] == "1429.16" and audits[0].after["currency"] == "USD"


async def test_replay_recomputes_from_the_stored_inputs_and_equals_the_stored_decision(stl, bank):
    m = await merchant(stl, bank, ref="RP")
    await _history(stl, bank, "RP")
    custom = dataclasses.replace(DEFAULT_MODEL, version="f1-test-strict", approve_min=900, refer_min=500)
    d = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, model=custom, actor="staff:u1")
    assert (d.model_version, d.score, d.decision, d.limit_minor) == ("f1-test-strict", 480, "decline", 0)
    # trade data change afterwards: a big new order in the window
    await ingest_orders(stl.engine, bank, P, [OrderIn("RP-new", "RP", "USD", 5_000_000, date(2026, 6, 1))])
    await ingest_payments(stl.engine, bank, P, [PaymentIn("RP-pnew", "RP-new", "RP", "USD", 5_000_000, date(2026, 6, 2))])
    await ingest_waybills(stl.engine, bank, P, [WaybillIn("RP-wnew", "RP-new", "RP", date(2026, 6, 3))])
    replayed = await replay_decision(stl.engine, bank, d.id)
    stored = await get_decision(stl.engine, bank, d.id)
    assert same_decision(replayed, stored) and same_decision(stored, d)
    assert replayed.id == d.id and replayed.model_version == "f1-test-strict"
    assert await verify_decision(stl.engine, bank, d.id)
    # a fresh decision on today's data is different
    fresh = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, model=custom, actor="staff:u1")
    assert fresh.features.gross_sales_minor == 6_860_000 and not same_decision(fresh, stored)


async def test_the_limit_is_reduced_by_the_existing_exposure_and_never_below_zero(stl, bank):
    m = await merchant(stl, bank, ref="EX")
    await _history(stl, bank, "EX", scale=100)  # average USD 152,916.66 a month
    free = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, actor="staff:u1")
    # sales 220 instead of 60: 640 points, approve at 1.5 x average monthly sales
    assert (free.score, free.decision, free.reasons) == (640, "approve", ())
    assert (free.gross_limit_minor, free.limit_minor) == (22_937_499, 22_937_499)  # 1.5 x 15,291,666 floored
    some = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, existing_exposure_minor=7_000_000, actor="staff:u1")
    assert (some.decision, some.reasons, some.gross_limit_minor, some.limit_minor) == ("approve", (EXPOSURE_LIMIT,), 22_937_499, 15_937_499)
    full = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, existing_exposure_minor=30_000_000, actor="staff:u1")
    assert (full.decision, full.reasons, full.limit_minor) == ("decline", (EXPOSURE_LIMIT,), 0)


async def test_a_merchant_without_trade_data_is_declined_with_low_sales_and_short_history(stl, bank):
    m = await merchant(stl, bank, ref="NO")
    d = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, actor="staff:u1")
    assert d.currency is None and d.features.order_count == 0
    assert (d.score, d.decision, d.limit_minor) == (370, "decline", 0)
    assert d.reasons == ("LOW_SALES", "POOR_SHIPMENT", "SHORT_HISTORY")
    assert await verify_decision(stl.engine, bank, d.id)


async def test_another_institutions_decision_is_not_found(stl, bank):
    import pytest

    from ledger.errors import NotFound

    m = await merchant(stl, bank, ref="OI")
    d = await underwrite(stl.engine, bank, m.id, as_of=AS_OF, actor="staff:u1")
    other = await stl.ledger.create_institution("other-bank-uw", "Other")
    with pytest.raises(NotFound):
        await replay_decision(stl.engine, other.id, d.id)
    with pytest.raises(NotFound):
        await underwrite(stl.engine, other.id, m.id, as_of=AS_OF, actor="staff:u1")


def test_the_model_round_trips_through_its_stored_form():
    assert ScoringModel.from_dict(DEFAULT_MODEL.to_dict()) == DEFAULT_MODEL


# -- properties of the scorecard (pure, no database) ------------------------------------------

_money = st.integers(min_value=0, max_value=10**12)


@st.composite
def _features_st(draw):
    monthly = tuple(draw(st.lists(st.integers(min_value=0, max_value=10**10), min_size=12, max_size=12)))
    gross = sum(monthly) + draw(st.integers(min_value=0, max_value=10**9))
    refunds = draw(st.integers(min_value=0, max_value=gross))
    matched = draw(st.integers(min_value=0, max_value=500))
    orders = matched + draw(st.integers(min_value=0, max_value=100))
    known = draw(st.integers(min_value=0, max_value=gross))
    first = draw(st.one_of(st.none(), st.dates(min_value=date(2015, 1, 1), max_value=AS_OF)))
    return Features(
        customer_id="c", as_of=AS_OF, window_start=add_months(AS_OF, -12), currency=draw(st.sampled_from(["USD", "JPY", "KWD", "CNY"])),
        order_count=orders, matched_count=matched, mismatched_count=draw(st.integers(min_value=0, max_value=orders - matched)),
        gross_sales_minor=gross, refunds_minor=refunds, chargebacks_minor=draw(st.integers(min_value=0, max_value=refunds)),
        monthly_net_sales_minor=monthly, shipped_on_time_count=draw(st.integers(min_value=0, max_value=matched)), on_time_days=3,
        first_order_date=first, top_destination="US" if known else None,
        top_destination_sales_minor=draw(st.integers(min_value=0, max_value=known)), known_destination_sales_minor=known,
        negative_listed=draw(st.booleans()), negative_list_reason=None,
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=_features_st(), more=_money, exposure=_money)
def test_score_is_monotone_in_sales_and_the_limit_is_never_below_zero(f, more, exposure):
    lo = score(f, existing_exposure_minor=exposure)
    # the same merchant with more gross sales (refund amounts unchanged, so every rate goes down or stays)
    hi = score(dataclasses.replace(f, gross_sales_minor=f.gross_sales_minor + more), existing_exposure_minor=exposure)
    assert hi.points["sales"] >= lo.points["sales"]
    assert hi.score >= lo.score
    assert hi.gross_limit_minor >= lo.gross_limit_minor
    for d in (lo, hi):
        assert 0 <= d.limit_minor <= d.gross_limit_minor
        assert d.limit_minor == max(0, d.gross_limit_minor - exposure)
        assert isinstance(d.limit_minor, int)
        if f.negative_listed:
            assert d.decision == "decline" and d.reasons[0] == NEGATIVE_LIST and d.limit_minor == 0
    assert same_decision(lo, score(f, existing_exposure_minor=exposure))  # deterministic
