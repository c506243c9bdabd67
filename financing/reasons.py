"""Underwriting decisions a person can read (F1, issue #17 item 3).

Every adverse reason code of a :class:`~financing.underwriting.Decision` is
explained in Simplified Chinese and English with the figures behind it (the
merchant's value and the scorecard's threshold) and what would change the
answer.  The threshold of a characteristic is the bound of the lowest band
that carries no adverse reason: reaching it removes the reason (it does not
by itself guarantee an approval, which depends on the total score; the
summary says how many points were missing).

Pure: the same decision and model always give the same texts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ledger.money import exponent

from . import underwriting as U


@dataclass(frozen=True)
class Explanation:
    code: str
    zh: str
    en: str
    #: the figures behind the reason (decimal strings; amounts in ``currency``)
    figures: dict[str, str | None]
    #: what would change the answer
    to_change_zh: str
    to_change_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "text": {"zh": self.zh, "en": self.en}, "figures": dict(self.figures),
            "to_change": {"zh": self.to_change_zh, "en": self.to_change_en},
        }


def _money(minor: int, currency: str | None) -> str:
    """``USD 18,400.00``: grouped, with the currency's decimals."""
    if currency is None:
        return f"{minor:,}"
    exp = exponent(currency)
    value = Decimal(minor).scaleb(-exp)
    return f"{currency} {value:,.{exp}f}"


def _major(amount: Decimal, currency: str | None) -> str:
    if currency is None:
        return f"{amount:,}"
    exp = exponent(currency)
    return f"{currency} {amount:,.{exp}f}"


def _pct(x: Decimal | None) -> str:
    if x is None:
        return "-"
    return f"{(x * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


def _threshold(bands: Sequence[U.Band]) -> Decimal | None:
    """The bound of the last band without an adverse reason."""
    ok = [b for b, _p, r in bands if r is None and b is not None]
    return ok[-1] if ok else None


def _sales(d: U.Decision, m: U.ScoringModel) -> Explanation:
    f, cur = d.features, d.features.currency
    t = _threshold(m.sales) or Decimal(0)
    avg, net = _money(f.avg_monthly_sales_minor, cur), _money(f.net_sales_minor, cur)
    need, need_year = _major(t, cur), _major(t * 12, cur)
    return Explanation(
        U.LOW_SALES,
        f"近12个月平均月净销售额 {avg}（12个月净销售额 {net}），低于产品要求的 {need}。",
        f"Average monthly net sales over the last 12 months are {avg} (12-month net sales {net}), below the minimum of {need}.",
        {"avg_monthly_net_sales": avg, "net_sales_12m": net, "minimum_avg_monthly_sales": need},
        f"12个月净销售额达到 {need_year}（月均 {need}）即不再构成不利因素。",
        f"12-month net sales of at least {need_year} (an average of {need} a month) remove this adverse factor.",
    )


def _rate_reason(code: str, value: Decimal | None, bands: Sequence[U.Band], higher: bool, zh: str, en: str, what: str, noun_en: str) -> Explanation:
    t = _threshold(bands)
    v, tt = _pct(value), _pct(t)
    cmp_zh, cmp_en = ("低于", "below") if higher else ("高于", "above")
    bound_zh, bound_en = ("不低于", "at least") if higher else ("不高于", "at most")
    return Explanation(
        code, f"{zh} {v}，{cmp_zh}要求的 {tt}。", f"{en} {v}, {cmp_en} the limit of {tt}.", {what: v, "threshold": tt},
        f"{zh}{bound_zh} {tt} 即不再构成不利因素。", f"{noun_en} of {bound_en} {tt} removes this adverse factor.",
    )


def _growth(d: U.Decision, m: U.ScoringModel) -> Explanation:
    return _rate_reason(U.DECLINING_SALES, d.features.growth, m.growth, True, "近3个月净销售额较前3个月变化", "The change of net sales in the last 3 months against the 3 months before is", "growth", "Growth")


def _returns(d: U.Decision, m: U.ScoringModel) -> Explanation:
    return _rate_reason(U.HIGH_RETURN_RATE, d.features.return_rate, m.return_rate, False, "退款占销售额比例", "Refunds as a share of gross sales are", "return_rate", "A refund share")


def _disputes(d: U.Decision, m: U.ScoringModel) -> Explanation:
    return _rate_reason(U.HIGH_DISPUTE_RATE, d.features.dispute_rate, m.dispute_rate, False, "拒付占销售额比例", "Chargebacks as a share of gross sales are", "dispute_rate", "A chargeback share")


def _shipping(d: U.Decision, m: U.ScoringModel) -> Explanation:
    days = d.features.on_time_days
    return _rate_reason(
        U.POOR_SHIPMENT, d.features.on_time_rate, m.on_time_rate, True, f"{days}天内发货的订单比例", f"The share of matched orders shipped within {days} days is", "on_time_rate", "An on-time shipping share"
    )


def _concentration(d: U.Decision, m: U.ScoringModel) -> Explanation:
    return _rate_reason(
        U.HIGH_CONCENTRATION, d.features.buyer_concentration, m.concentration, False, "最大目的国市场占销售额比例", "The largest destination market's share of sales is", "buyer_concentration", "A largest-market share"
    )


def _mismatch(d: U.Decision, m: U.ScoringModel) -> Explanation:
    return _rate_reason(
        U.HIGH_MISMATCH_RATE, d.features.mismatch_rate, m.mismatch_rate, False, "订单、物流、支付三单不符的比例", "The share of orders failing the order/waybill/payment match is", "mismatch_rate", "A mismatch share"
    )


def _history(d: U.Decision, m: U.ScoringModel) -> Explanation:
    t = int(_threshold(m.shop_age) or 0)
    age = d.features.shop_age_days
    first = d.features.first_order_date
    return Explanation(
        U.SHORT_HISTORY,
        f"店铺经营历史 {age} 天（首笔订单 {first or '无'}），少于要求的 {t} 天。",
        f"The shop's trading history is {age} days (first order {first or 'none'}), shorter than the {t} days required.",
        {"shop_age_days": str(age), "first_order_date": None if first is None else first.isoformat(), "minimum_days": str(t)},
        f"经营满 {t} 天（还需 {max(0, t - age)} 天）即不再构成不利因素。",
        f"{t} days of trading ({max(0, t - age)} more) remove this adverse factor.",
    )


def _negative(d: U.Decision, m: U.ScoringModel) -> Explanation:
    return Explanation(
        U.NEGATIVE_LIST, "该商户在本行的负面清单上。", "The merchant is on the bank's negative list.", {},
        "此原因无法通过申请材料改变，请联系银行客户经理。", "This cannot be changed by the application; contact the bank.",
    )


def _exposure(d: U.Decision, m: U.ScoringModel) -> Explanation:
    cur = d.currency
    gross, used, left = _money(d.gross_limit_minor, cur), _money(d.existing_exposure_minor, cur), _money(d.limit_minor, cur)
    return Explanation(
        U.EXPOSURE_LIMIT,
        f"现有融资 {used} 占用了 {gross} 的授信额度，剩余额度 {left}。",
        f"Existing financing of {used} uses the credit limit of {gross}; {left} remains.",
        {"gross_limit": gross, "existing_exposure": used, "remaining_limit": left},
        "归还现有融资可恢复相应额度。", "Repaying existing financing restores the limit by the amount repaid.",
    )


EXPLAINERS: dict[str, Callable[[U.Decision, U.ScoringModel], Explanation]] = {
    U.LOW_SALES: _sales, U.DECLINING_SALES: _growth, U.HIGH_RETURN_RATE: _returns, U.HIGH_DISPUTE_RATE: _disputes,
    U.POOR_SHIPMENT: _shipping, U.SHORT_HISTORY: _history, U.HIGH_CONCENTRATION: _concentration, U.HIGH_MISMATCH_RATE: _mismatch,
    U.NEGATIVE_LIST: _negative, U.EXPOSURE_LIMIT: _exposure,
}


def summary(d: U.Decision, m: U.ScoringModel) -> Explanation:
    """The outcome in words: the score against the cut-offs."""
    if d.decision == U.APPROVE:
        zh, en = f"评分 {d.score}，达到批准线 {m.approve_min}。", f"Score {d.score} reaches the approval cut-off of {m.approve_min}."
        czh, cen = "", ""
    elif d.decision == U.REFER:
        gap = m.approve_min - d.score
        zh = f"评分 {d.score}，低于批准线 {m.approve_min}、不低于转人工审核线 {m.refer_min}：由信贷人员审核。"
        en = f"Score {d.score} is below the approval cut-off of {m.approve_min} and at least the referral cut-off of {m.refer_min}: a credit officer decides."
        czh, cen = f"再增加 {gap} 分可自动批准。", f"{gap} more points would approve automatically."
    else:
        gap = m.approve_min - d.score
        if U.NEGATIVE_LIST in d.reasons:
            zh, en = "因负面清单拒绝。", "Declined: negative list."
        elif d.limit_minor == 0 and d.score >= m.refer_min:
            zh, en = "无剩余授信额度，拒绝。", "Declined: no credit limit remains."
        else:
            zh, en = f"评分 {d.score}，低于转人工审核线 {m.refer_min}，拒绝。", f"Score {d.score} is below the referral cut-off of {m.refer_min}: declined."
        czh, cen = (f"再增加 {gap} 分可获批准；见各项原因。", f"{gap} more points would approve; see each reason.") if gap > 0 else ("", "")
    return Explanation("SUMMARY", zh, en, {"score": str(d.score), "approve_min": str(m.approve_min), "refer_min": str(m.refer_min)}, czh, cen)


def explain(d: U.Decision, model: U.ScoringModel | None = None, *, currency: str | None = None) -> list[Explanation]:
    """The summary, then one explanation per reason code in the decision's
    order.  An unknown code (a free-text reason from staff) is its own text.
    ``currency`` names amounts when the merchant had no order to take the
    currency from (the product's currency)."""
    m = model or U.MODELS.get(d.model_version, U.DEFAULT_MODEL)
    if d.currency is None and currency is not None:
        d = replace(d, currency=currency, features=replace(d.features, currency=currency))
    out = [summary(d, m)]
    for code in d.reasons:
        fn = EXPLAINERS.get(code)
        out.append(fn(d, m) if fn is not None else staff_reason(code))
    return out


def staff_reason(text: str) -> Explanation:
    """A reason typed by a credit officer: shown as written."""
    return Explanation("STAFF", text, text, {}, "", "")
