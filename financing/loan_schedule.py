"""A disbursed loan's repayment schedule and what has been paid of it (F6).

The schedule (:mod:`financing.schedules`) is computed at disbursement from
the disbursement date by the product's method, rate schedule, day count and
arrangement fee, and stored with the loan (``financing_loans.schedule``, a
JSON document of plain integers and ISO dates)::

    {"method", "prepayment_rule", "day_count", "principal_minor",
     "instalments": [{"number", "start", "due_date", "principal_minor",
                      "interest_minor", "fee_minor", "paid_minor"}],
     "prepayments": [{"date", "amount_minor", "principal_minor", "after_instalment"}]}

Rules (the ledger stays the truth of what is owed; the schedule is the plan
and what was paid against it):

* A repayment, less what the waterfall gave to penalty interest (never
  scheduled), goes to the instalments due on or before its value date,
  earliest first, each up to its total (``paid_minor``).
* What is left beyond every instalment due is an early (partial or full)
  repayment: the remaining instalments are rebuilt from the value date on
  the principal the ledger still shows, over the remaining due dates, by the
  product's prepayment rule (``reduce_instalment``: same term, lower
  payments; ``shorten_term``: same payment (or principal part), fewer
  instalments), with the interest fraction the accrual carries.  The
  principal it repaid is recorded as a prepayment, so the instalments'
  principal parts plus the prepayments' always sum to the principal.
* Days past due count from the earliest instalment not paid in full whose
  due date has passed; after the last due date anything still owed counts
  from it (a bullet loan: exactly as before schedules).
* Penalty interest accrues per day on the overdue principal -- the ledger
  principal less the principal of the instalments not yet due -- while an
  instalment due is unpaid, and after the last due date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import schedules

Stored = dict[str, Any]


def stored(s: schedules.Schedule, rule: str) -> Stored:
    """The JSON document of a new loan's schedule (nothing paid)."""
    return {
        "method": s.method, "prepayment_rule": rule, "day_count": s.convention, "principal_minor": s.principal_minor,
        "instalments": [_inst(i) for i in s.instalments], "prepayments": [],
    }


def _inst(i: schedules.Instalment, paid: int = 0) -> dict[str, Any]:
    return {
        "number": i.number, "start": i.start.isoformat(), "due_date": i.due_date.isoformat(), "principal_minor": i.principal_minor,
        "interest_minor": i.interest_minor, "fee_minor": i.fee_minor, "paid_minor": paid,
    }


def _total(i: dict[str, Any]) -> int:
    return int(i["principal_minor"]) + int(i["interest_minor"]) + int(i["fee_minor"])


def _due(i: dict[str, Any]) -> date:
    return date.fromisoformat(i["due_date"])


def _to_schedule(d: Stored) -> schedules.Schedule:
    insts = tuple(
        schedules.Instalment(int(i["number"]), date.fromisoformat(i["start"]), _due(i), int(i["principal_minor"]), int(i["interest_minor"]), int(i["fee_minor"]))
        for i in d["instalments"]
    )
    return schedules.Schedule(d["method"], int(d["principal_minor"]), d["day_count"], insts)


def maturity(d: Stored) -> date:
    return _due(d["instalments"][-1])


def apply_payment(d: Stored, amount_minor: int, on: date) -> tuple[Stored, int]:
    """``amount_minor`` applied to the instalments due on or before ``on``,
    earliest first; returns the new document and what is left over."""
    out = {**d, "instalments": [dict(i) for i in d["instalments"]]}
    left = amount_minor
    for i in out["instalments"]:
        if left <= 0 or _due(i) > on:
            break
        take = min(left, _total(i) - int(i["paid_minor"]))
        if take > 0:
            i["paid_minor"] = int(i["paid_minor"]) + take
            left -= take
    return out, left


def prepay(d: Stored, on: date, amount_minor: int, principal_after: int, fees_after: int, rate: Callable[[date], Decimal], carry: Fraction,
           accrued_from: date | None = None) -> Stored:
    """Rebuild the instalments not yet due after an early repayment of
    ``amount_minor`` on ``on`` that left ``principal_after`` of principal
    (and ``fees_after`` of fees) in the ledger; ``carry`` is the interest
    fraction the accrual carries into ``accrued_from`` (the first day not
    accrued yet, default ``on``), where the rebuilt interest starts.
    Nothing to rebuild (every instalment due) returns ``d`` unchanged."""
    insts = d["instalments"]
    k = next((n for n, i in enumerate(insts) if _due(i) > on), None)
    if k is None:
        return d
    scheduled = sum(int(i["principal_minor"]) for i in insts[k:])
    fee_k = min(int(insts[k]["fee_minor"]), max(0, fees_after))
    start = max(on, accrued_from or on)
    if start >= _due(insts[k]):
        start = on
    if principal_after > 0:
        new = schedules.reschedule(_to_schedule(d), k, principal_after, rate, rule=d["prepayment_rule"], carry=carry, start=start)
        rest = [_inst(i) for i in new.instalments[k:]]
        rest[0]["fee_minor"] = fee_k
    else:
        rest = []
    prepayment = {"date": on.isoformat(), "amount_minor": amount_minor, "principal_minor": scheduled - principal_after, "after_instalment": k}
    return {**d, "instalments": [dict(i) for i in insts[:k]] + rest, "prepayments": [*d.get("prepayments", []), prepayment]}


def earliest_unpaid(d: Stored) -> dict[str, Any] | None:
    return next((i for i in d["instalments"] if int(i["paid_minor"]) < _total(i)), None)


def next_due(d: Stored | None) -> dict[str, Any] | None:
    """The earliest instalment not paid in full: number, due date and what
    remains of it."""
    i = earliest_unpaid(d) if d else None
    if i is None:
        return None
    return {"number": int(i["number"]), "due_date": _due(i), "amount_minor": _total(i) - int(i["paid_minor"])}


def days_past_due(d: Stored | None, due_date: date | None, owed: int, as_of: date) -> int:
    """Days past due: from the earliest unpaid instalment's due date, and
    after the last due date from it while anything is owed; a loan without
    a stored schedule counts from ``due_date``."""
    if owed <= 0:
        return 0
    if not d:
        return max(0, (as_of - due_date).days) if due_date is not None else 0
    i = earliest_unpaid(d)
    if i is not None and _due(i) <= as_of:
        return (as_of - _due(i)).days
    return max(0, (as_of - maturity(d)).days)


def not_yet_due_principal(d: Stored, day: date) -> int:
    """Scheduled principal of the instalments due after ``day``."""
    return sum(int(i["principal_minor"]) for i in d["instalments"] if _due(i) > day)


def minimum_arrears(disbursed_on: date | None, need_minor: int, repayments: list[tuple[date, int]], day: date) -> tuple[int, int]:
    """F2 minimum repayment per 30 days, enforced: on ``day``, the days past
    due from the end of the earliest closed 30-day period whose cumulative
    minimum (``need_minor`` per period) the repayments up to ``day`` do not
    cover, and the shortfall over every closed period; (0, 0) when met."""
    if not need_minor or disbursed_on is None:
        return 0, 0
    paid = sum(a for d, a in repayments if d <= day)
    closed = (day - disbursed_on).days // 30
    for k in range(1, closed + 1):
        if paid < k * need_minor:
            return (day - (disbursed_on + timedelta(days=30 * k))).days, closed * need_minor - paid
    return 0, 0


Arrears = Callable[[date], int]


def penalty_segments(d: Stored | None, due_date: date | None, principal: int, days: list[date], minimum: Arrears | None = None) -> list[tuple[int, list[date]]]:
    """The overdue days among ``days`` grouped in runs of the same overdue
    principal: (principal, days).  With a schedule, a day's overdue
    principal is the ledger principal less the principal not yet due, on
    the days an instalment due is unpaid and after the last due date;
    without one, all of it from ``due_date``.  ``minimum`` (F2) gives a
    day's minimum-repayment shortfall, overdue too (up to the principal)."""
    out: list[tuple[int, list[date]]] = []
    unpaid = earliest_unpaid(d) if d else None
    for day in days:
        if d:
            in_arrears = (unpaid is not None and _due(unpaid) <= day) or day >= maturity(d)
            base = max(0, principal - not_yet_due_principal(d, day)) if in_arrears else 0
        else:
            base = principal if due_date is not None and day >= due_date else 0
        if minimum is not None:
            base = max(base, min(principal, minimum(day)))
        if base <= 0:
            continue
        if out and out[-1][0] == base:
            out[-1][1].append(day)
        else:
            out.append((base, [day]))
    return out


def status(i: dict[str, Any], as_of: date) -> str:
    paid, total = int(i["paid_minor"]), _total(i)
    if paid >= total:
        return "paid"
    if _due(i) < as_of:
        return "overdue"
    return "partially_paid" if paid > 0 else "due"


def view(d: Stored, as_of: date) -> list[dict[str, Any]]:
    """Every instalment with its total and status on ``as_of``."""
    return [{**i, "due_date": _due(i), "start": date.fromisoformat(i["start"]), "total_minor": _total(i), "status": status(i, as_of)} for i in d["instalments"]]
