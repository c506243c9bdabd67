"""Underwriting decisions in words (issue #17 item 3): every reason with its
figures, in Chinese and English, and what would change the answer."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from financing import reasons as R
from financing import underwriting as U

AS_OF = date(2026, 12, 1)


def features(*, net_monthly: int = 5_000_00, orders: int = 100, on_time: int = 95, first: date | None = date(2024, 1, 1), negative: bool = False,
             refunds: int = 0, mismatched: int = 0) -> U.Features:
    gross = net_monthly * 12 + refunds
    return U.Features(
        customer_id="c", as_of=AS_OF, window_start=date(2025, 12, 1), currency="USD", order_count=orders, matched_count=orders,
        mismatched_count=mismatched, gross_sales_minor=gross, refunds_minor=refunds, chargebacks_minor=0,
        monthly_net_sales_minor=tuple([net_monthly] * 12), shipped_on_time_count=on_time, on_time_days=3, first_order_date=first,
        top_destination="US", top_destination_sales_minor=gross // 3, known_destination_sales_minor=gross, negative_listed=negative, negative_list_reason=None,
    )


def by_code(exps: list[R.Explanation]) -> dict[str, R.Explanation]:
    return {e.code: e for e in exps}


def test_low_sales_and_poor_shipment_say_the_figures_and_the_threshold():
    # USD 7,680.00 of net sales in 12 months (USD 640.00 a month), 62 of 100 orders shipped within 3 days, 120 days of history
    d = U.score(features(net_monthly=640_00, on_time=62, first=date(2026, 8, 3)))
    assert d.decision == U.DECLINE
    assert list(d.reasons) == [U.LOW_SALES, U.POOR_SHIPMENT, U.SHORT_HISTORY]
    ex = R.explain(d)
    assert [e.code for e in ex] == ["SUMMARY", U.LOW_SALES, U.POOR_SHIPMENT, U.SHORT_HISTORY]
    ship = ex[2]
    assert ship.figures == {"on_time_rate": "62.0 %", "threshold": "70.0 %"}
    assert ship.zh == "3天内发货的订单比例 62.0 %，低于要求的 70.0 %。"
    assert ship.en == "The share of matched orders shipped within 3 days is 62.0 %, below the limit of 70.0 %."
    assert ship.to_change_en == "An on-time shipping share of at least 70.0 % removes this adverse factor."
    summary = ex[0]
    assert summary.en == f"Score {d.score} is below the referral cut-off of 450: declined."
    assert summary.to_change_en == f"{600 - d.score} more points would approve; see each reason."
    assert summary.figures == {"score": str(d.score), "approve_min": "600", "refer_min": "450"}


def test_sales_below_the_lowest_band():
    d = U.score(features(net_monthly=640_00))  # USD 640.00 a month
    low = by_code(R.explain(d))[U.LOW_SALES]
    assert low.figures == {"avg_monthly_net_sales": "USD 640.00", "net_sales_12m": "USD 7,680.00", "minimum_avg_monthly_sales": "USD 1,000.00"}
    assert low.to_change_en == "12-month net sales of at least USD 12,000.00 (an average of USD 1,000.00 a month) remove this adverse factor."
    assert low.zh.startswith("近12个月平均月净销售额 USD 640.00")


def test_short_history_counts_the_days_missing():
    d = U.score(features(first=date(2026, 8, 3)))  # 120 days before AS_OF
    h = by_code(R.explain(d))[U.SHORT_HISTORY]
    assert h.figures == {"shop_age_days": "120", "first_order_date": "2026-08-03", "minimum_days": "180"}
    assert h.to_change_en == "180 days of trading (60 more) remove this adverse factor."


def test_negative_list_and_exposure():
    d = U.score(features(negative=True))
    ex = R.explain(d)
    assert ex[0].en == "Declined: negative list." and ex[1].code == U.NEGATIVE_LIST
    assert "contact the bank" in ex[1].to_change_en
    d2 = U.score(features(net_monthly=50_000_00), existing_exposure_minor=30_000_00)
    e = by_code(R.explain(d2))[U.EXPOSURE_LIMIT]
    assert e.figures["existing_exposure"] == "USD 30,000.00"
    assert e.figures["gross_limit"] == R._money(d2.gross_limit_minor, "USD")
    assert e.figures["remaining_limit"] == R._money(d2.gross_limit_minor - 30_000_00, "USD")


def test_an_approval_has_a_summary_and_no_reasons_to_change():
    d = U.score(features(net_monthly=200_000_00))
    ex = R.explain(d)
    assert d.decision == U.APPROVE and len(ex) == 1
    assert ex[0].en == f"Score {d.score} reaches the approval cut-off of 600." and ex[0].to_change_en == ""


def test_staff_reasons_are_shown_as_written():
    e = R.staff_reason("抵押物估值不足")
    assert (e.code, e.zh, e.en) == ("STAFF", "抵押物估值不足", "抵押物估值不足")


@settings(max_examples=60)
@given(net=st.integers(min_value=0, max_value=10**9), on_time=st.integers(min_value=0, max_value=100), refunds=st.integers(min_value=0, max_value=10**8),
       mismatched=st.integers(min_value=0, max_value=100), negative=st.booleans())
def test_every_reason_of_any_decision_is_explained_in_both_languages(net, on_time, refunds, mismatched, negative):
    d = U.score(features(net_monthly=net, on_time=on_time, refunds=refunds, mismatched=mismatched, negative=negative))
    ex = R.explain(d)
    assert [e.code for e in ex] == ["SUMMARY", *d.reasons]
    for e in ex:
        assert e.zh and e.en and e.zh != e.en
        assert e.code != "STAFF"
