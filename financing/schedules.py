"""Repayment schedules (F6) and the annualized cost of an offer.

Three methods, chosen per product:

``bullet``
    principal, interest and fees due once, at maturity (``tenor_days`` after
    the start).
``equal_principal`` (等额本金)
    the principal in equal parts per instalment; the minor units that do not
    divide evenly go to the earliest instalments, one each, so the parts sum
    to the principal exactly.
``equal_instalment`` (等额本息, annuity)
    one constant payment per instalment.  The payment is the exact annuity of
    the schedule's *actual* periods (each period's rate is the sum of its
    days' daily rates under the product's day count), rounded half up to the
    minor unit; the last instalment takes whatever principal remains, so the
    principal parts sum to the principal exactly and the last payment differs
    from the others by a few minor units at most.

Interest is never computed per period by a formula: every period's interest
is the day-by-day accrual (:func:`financing.daycount.accrue_days`) on the
principal outstanding in that period, with the fraction of a minor unit
carried from day to day and from period to period.  The interest parts of a
schedule are therefore exactly what the daily accrual posts over the same
days.

Monthly due dates keep the start's day of month, clamped to the month's end
(31 January -> 28 February -> 31 March).

Early and partial repayment (:func:`reschedule`): the remaining principal is
re-spread over the remaining due dates by the product's rule --
``reduce_instalment`` keeps the term and lowers the payments, ``shorten_term``
keeps the payment (equal instalment) or the principal part (equal principal)
and drops the last instalments.

The annualized cost (:func:`annualized_cost`) is the internal rate of return
of the borrower's cash flows (net proceeds at the start, every payment on its
due date) per period, times the periods in a year (12 for monthly schedules,
365 / tenor days for a bullet): the internal-rate-of-return method of the
PBOC's 2021 announcement on disclosing annualized rates.  It is solved
exactly with rational arithmetic to well below 0.005 % and stated as a
percentage with two decimals.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ledger.money import exponent

from . import daycount

METHODS = ("bullet", "equal_principal", "equal_instalment")
PREPAYMENT_RULES = ("reduce_instalment", "shorten_term")
#: a loan of ``tenor_days`` repaid monthly has ``tenor_days // 30`` instalments (360 days: 12)
DAYS_PER_INSTALMENT = 30

Rate = Callable[[date], Decimal] | Decimal


class ScheduleError(ValueError):
    """A schedule that cannot be built from these terms."""


@dataclass(frozen=True)
class Instalment:
    number: int
    start: date  # first day of interest (inclusive)
    due_date: date  # last day of interest is the day before
    principal_minor: int
    interest_minor: int
    fee_minor: int = 0

    @property
    def days(self) -> int:
        return (self.due_date - self.start).days

    @property
    def total_minor(self) -> int:
        return self.principal_minor + self.interest_minor + self.fee_minor

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number, "start": self.start.isoformat(), "due_date": self.due_date.isoformat(), "days": self.days,
            "principal_minor": self.principal_minor, "interest_minor": self.interest_minor, "fee_minor": self.fee_minor, "total_minor": self.total_minor,
        }


@dataclass(frozen=True)
class Schedule:
    method: str
    principal_minor: int
    convention: str
    instalments: tuple[Instalment, ...]
    carry: Fraction = field(default=Fraction(0))  # interest fraction carried after the last day

    @property
    def interest_minor(self) -> int:
        return sum(i.interest_minor for i in self.instalments)

    @property
    def fee_minor(self) -> int:
        return sum(i.fee_minor for i in self.instalments)

    @property
    def total_minor(self) -> int:
        return sum(i.total_minor for i in self.instalments)

    @property
    def maturity(self) -> date:
        return self.instalments[-1].due_date


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the
    month's last day."""
    m = start.month - 1 + months
    year, month = start.year + m // 12, m % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def monthly_due_dates(start: date, count: int) -> list[date]:
    if count < 1:
        raise ScheduleError("a schedule needs at least one instalment")
    return [add_months(start, k) for k in range(1, count + 1)]


def _rate_of(rate: Rate, day: date) -> Decimal:
    r = rate(day) if callable(rate) else rate
    if isinstance(r, float) or r < 0:
        raise ScheduleError("the annual rate must be a non-negative Decimal")
    return r


def _period_rate(rate: Rate, convention: str, start: date, end: date) -> Fraction:
    """Sum of the daily rates of the days from ``start`` to ``end``
    (exclusive): the exact simple rate of the period."""
    return sum((Fraction(_rate_of(rate, start + timedelta(days=i))) / daycount.basis(convention, start + timedelta(days=i)) for i in range((end - start).days)), Fraction(0))


def _accrue(principal: int, rate: Rate, convention: str, start: date, end: date, carry: Fraction) -> tuple[int, Fraction]:
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    acc = daycount.accrue_days(principal, lambda d: _rate_of(rate, d), convention, days, carry)
    return sum(a.posted for a in acc), (acc[-1].carry if acc else carry)


def _half_up(x: Fraction) -> int:
    return int((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if x.denominator != 1 else x.numerator


def annuity_payment(principal_minor: int, rates: Sequence[Fraction]) -> int:
    """The constant payment that amortizes ``principal_minor`` over periods
    of simple rates ``rates`` exactly (before rounding), rounded half up."""
    growth = Fraction(1)
    for r in rates:
        growth *= 1 + r
    # B_n = P * prod(1 + r_k) - A * sum_k prod_{j > k}(1 + r_j) = 0
    tail, acc = Fraction(0), Fraction(1)
    for r in reversed(rates):
        tail += acc
        acc *= 1 + r
    return _half_up(Fraction(principal_minor) * growth / tail)


def _principal_parts(principal: int, n: int) -> list[int]:
    base, extra = divmod(principal, n)
    return [base + (1 if k < extra else 0) for k in range(n)]


def build(method: str, principal_minor: int, rate: Rate, convention: str, start: date, due_dates: Sequence[date], *,
          fee_minor: int = 0, carry: Fraction = Fraction(0), payment_minor: int | None = None) -> Schedule:
    """The schedule of ``principal_minor`` lent on ``start`` and repaid on
    ``due_dates`` (ascending, after ``start``).  ``fee_minor`` is due with
    the first instalment.  ``payment_minor`` fixes the equal-instalment
    payment (used when a prepayment keeps the payment)."""
    if method not in METHODS:
        raise ScheduleError(f"unknown schedule method {method!r}; use {', '.join(METHODS)}")
    daycount.check_convention(convention)
    if principal_minor <= 0:
        raise ScheduleError("the principal must be positive")
    if not due_dates or any(b <= a for a, b in zip([start, *due_dates], due_dates, strict=False)):
        raise ScheduleError("due dates must be after the start and strictly ascending")
    if method == "bullet" and len(due_dates) != 1:
        raise ScheduleError("a bullet schedule has exactly one due date")
    periods = list(zip([start, *due_dates[:-1]], due_dates, strict=True))
    if method == "equal_instalment" and payment_minor is None:
        payment_minor = annuity_payment(principal_minor, [_period_rate(rate, convention, a, b) for a, b in periods])
    parts = _principal_parts(principal_minor, len(periods)) if method != "equal_instalment" else None
    out: list[Instalment] = []
    outstanding = principal_minor
    for k, (a, b) in enumerate(periods):
        interest, carry = _accrue(outstanding, rate, convention, a, b, carry)
        last = k == len(periods) - 1
        if parts is not None:
            principal = parts[k]
        else:
            assert payment_minor is not None
            principal = outstanding if last else min(outstanding, max(payment_minor - interest, 0))
        out.append(Instalment(k + 1, a, b, principal, interest, fee_minor if k == 0 else 0))
        outstanding -= principal
        if outstanding == 0 and not last:
            break  # a kept payment repaid everything early: the term is shorter
    return Schedule(method, principal_minor, convention, tuple(out), carry)


def bullet(principal_minor: int, rate: Rate, convention: str, start: date, tenor_days: int, *, fee_minor: int = 0) -> Schedule:
    if tenor_days < 1:
        raise ScheduleError("the tenor must be at least one day")
    return build("bullet", principal_minor, rate, convention, start, [start + timedelta(days=tenor_days)], fee_minor=fee_minor)


def monthly(method: str, principal_minor: int, rate: Rate, convention: str, start: date, count: int, *, fee_minor: int = 0) -> Schedule:
    return build(method, principal_minor, rate, convention, start, monthly_due_dates(start, count), fee_minor=fee_minor)


def for_tenor(method: str, principal_minor: int, rate: Rate, convention: str, start: date, tenor_days: int, *, fee_minor: int = 0) -> Schedule:
    """The schedule of a loan of ``tenor_days``: one bullet at the end, or
    ``tenor_days // 30`` monthly instalments (at least one)."""
    if method == "bullet":
        return bullet(principal_minor, rate, convention, start, tenor_days, fee_minor=fee_minor)
    return monthly(method, principal_minor, rate, convention, start, max(1, tenor_days // DAYS_PER_INSTALMENT), fee_minor=fee_minor)


def reschedule(schedule: Schedule, paid_through: int, outstanding_minor: int, rate: Rate, *, rule: str, carry: Fraction | None = None,
               start: date | None = None) -> Schedule:
    """The remaining schedule after instalment ``paid_through`` when the
    principal still owed is ``outstanding_minor`` (after a partial or early
    repayment).  Instalments up to ``paid_through`` are kept as they were;
    the rest is rebuilt from that instalment's due date (or from ``start``,
    the day of a repayment inside the next instalment's period) over the
    remaining due dates by ``rule``.  The returned schedule's numbers
    continue the original numbering."""
    if rule not in PREPAYMENT_RULES:
        raise ScheduleError(f"unknown prepayment rule {rule!r}; use {', '.join(PREPAYMENT_RULES)}")
    if not 0 <= paid_through < len(schedule.instalments):
        raise ScheduleError("no instalment remains after the one paid through")
    kept = schedule.instalments[:paid_through]
    rest = schedule.instalments[paid_through:]
    if start is not None and not rest[0].start <= start < rest[0].due_date:
        raise ScheduleError("a rebuilt schedule starts inside the first remaining instalment's period")
    start = rest[0].start if start is None else start
    if outstanding_minor <= 0:
        return Schedule(schedule.method, schedule.principal_minor, schedule.convention, tuple(kept), schedule.carry if carry is None else carry)
    dates = [i.due_date for i in rest]
    carry0 = carry if carry is not None else Fraction(0)
    method = schedule.method
    if rule == "shorten_term" and method == "equal_principal":
        per = rest[0].principal_minor
        n = max(1, -(-outstanding_minor // per))  # ceil
        new = build(method, outstanding_minor, rate, schedule.convention, start, dates[: min(n, len(dates))], carry=carry0)
    elif rule == "shorten_term" and method == "equal_instalment":
        payment = rest[0].principal_minor + rest[0].interest_minor
        new = build(method, outstanding_minor, rate, schedule.convention, start, dates, carry=carry0, payment_minor=payment)
    else:
        new = build(method, outstanding_minor, rate, schedule.convention, start, dates, carry=carry0)
    renumbered = tuple(Instalment(paid_through + i.number, i.start, i.due_date, i.principal_minor, i.interest_minor, i.fee_minor) for i in new.instalments)
    return Schedule(method, schedule.principal_minor, schedule.convention, tuple(kept) + renumbered, new.carry)


# -- annualized cost ----------------------------------------------------------------


def cash_flows(schedule: Schedule, *, fee_upfront_minor: int = 0) -> list[tuple[date, int]]:
    """The borrower's cash flows: the principal (less a fee deducted at
    disbursement) received at the start, every instalment paid on its due
    date (negative)."""
    start = schedule.instalments[0].start
    return [(start, schedule.principal_minor - fee_upfront_minor)] + [(i.due_date, -i.total_minor) for i in schedule.instalments]


def _npv(flows: Sequence[tuple[int, int]], r: Fraction) -> Fraction:
    """Net present value at periodic rate ``r``; flows are (period index, amount)."""
    total, disc = Fraction(0), Fraction(1)
    base = 1 + r
    by_period: dict[int, int] = {}
    for k, amt in flows:
        by_period[k] = by_period.get(k, 0) + amt
    last = max(by_period)
    for k in range(last + 1):
        total += by_period.get(k, 0) * disc
        disc /= base
    return total


def periodic_irr(flows: Sequence[tuple[int, int]], *, tolerance: Fraction = Fraction(1, 10**12)) -> Fraction:
    """The rate ``r`` per period at which the flows' NPV is zero (bisection
    on exact fractions, between -99 % and 1000 % per period)."""
    lo, hi = Fraction(-99, 100), Fraction(10)
    f_lo = _npv(flows, lo)
    if f_lo == 0:
        return lo
    if (f_lo > 0) == (_npv(flows, hi) > 0):
        raise ScheduleError("the cash flows have no internal rate of return in range")
    while hi - lo > tolerance:
        mid = (lo + hi) / 2
        # limit the size of the fractions: round the midpoint to 1e-15
        mid = Fraction(round(mid * 10**15), 10**15)
        f_mid = _npv(flows, mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def annualized_cost(schedule: Schedule, *, fee_upfront_minor: int = 0) -> Decimal:
    """The annualized cost of the schedule in percent with two decimals
    (e.g. ``Decimal("5.37")``): periodic IRR x periods per year."""
    flows = cash_flows(schedule, fee_upfront_minor=fee_upfront_minor)
    if schedule.method == "bullet":
        inst = schedule.instalments[0]
        periods = [(0, flows[0][1]), (1, flows[1][1])]
        per_year = Fraction(365, inst.days)
    else:
        periods = [(0, flows[0][1])] + [(k + 1, amt) for k, (_d, amt) in enumerate(flows[1:])]
        per_year = Fraction(12)
    r = periodic_irr(periods) * per_year * 100
    return (Decimal(r.numerator) / Decimal(r.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


METHOD_NAMES = {"bullet": ("到期一次还本付息", "bullet (all at maturity)"), "equal_principal": ("等额本金", "equal principal"), "equal_instalment": ("等额本息", "equal instalments")}


def disclosure(schedule: Schedule, currency: str, apr: Decimal, annual_rate: Decimal) -> dict[str, str]:
    """The cost of the offer in one sentence per language, amounts with the
    currency's decimals and thousands separators."""
    exp = exponent(currency)

    def m(minor: int) -> str:
        return f"{currency} {Decimal(minor).scaleb(-exp):,.{exp}f}"

    n = len(schedule.instalments)
    zh_m, en_m = METHOD_NAMES[schedule.method]
    rate = (annual_rate * 100).normalize()
    zh = (
        f"借款本金 {m(schedule.principal_minor)}，{zh_m}，共 {n} 期，最后还款日 {schedule.maturity.isoformat()}；"
        f"名义年利率 {rate}%（{schedule.convention}），利息合计 {m(schedule.interest_minor)}，费用合计 {m(schedule.fee_minor)}，"
        f"应还总额 {m(schedule.total_minor)}；年化综合成本（内部收益率法）{apr}%。"
    )
    en = (
        f"Principal {m(schedule.principal_minor)}, {en_m}, {n} instalment{'s' if n != 1 else ''}, last due {schedule.maturity.isoformat()}; "
        f"nominal annual rate {rate} % ({schedule.convention}), total interest {m(schedule.interest_minor)}, total fees {m(schedule.fee_minor)}, "
        f"total repayable {m(schedule.total_minor)}; annualized cost (IRR method) {apr} %."
    )
    return {"zh": zh, "en": en}
