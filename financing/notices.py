"""Notices of the loan lifecycle (#17 item 6): once-only facts an SME user
and its institution are told about.

Each notice is a row of ``financing_notices`` (what the SME user lists in
``GET /v1/sme/notifications``) and a webhook event of the same type to the
institution, written in the caller's transaction (the outbox delivers it):

* ``sme.offer_ready`` -- a loan was offered (principal, total repayable,
  annualized cost, first due date);
* ``sme.payment_due`` -- an instalment falls due in at most
  :data:`PAYMENT_DUE_DAYS` days (run by the daily job: once per
  instalment, however often the job runs);
* ``sme.overdue`` -- a loan became overdue (days past due from 0 to 1 or
  more: once per time it falls overdue);
* ``sme.margin_call`` -- a margin call was opened on the merchant's pledge.

``policy.expired_advance`` (the institution only, not listed for the SME)
flags an active credit-insurance loan whose policy expired.

A notice's ``dedupe_key`` is unique per institution: a second notice of the
same fact is not recorded and not emitted.  Money in ``data`` is decimal
strings with the ``currency``, as in every event.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.clock import utc_now
from ledger.events import emit_event
from ledger.ids import uuid7
from ledger.money import format_minor

from .tables_loans import financing_loans, financing_notices

#: the notices an SME user lists (the others are the institution's)
SME_KINDS = ("sme.offer_ready", "sme.payment_due", "sme.overdue", "sme.margin_call")
#: an instalment is announced this many days before its due date
PAYMENT_DUE_DAYS = 3


async def _notify(conn: AsyncConnection, institution_id: UUID, kind: str, dedupe_key: str, data: dict[str, Any], *, customer_id: UUID | None, loan_id: UUID | None) -> bool:
    """Record the notice and emit its event, unless ``dedupe_key`` was
    recorded before (then nothing, False)."""
    seen = (
        await conn.execute(select(financing_notices.c.id).where(financing_notices.c.institution_id == institution_id, financing_notices.c.dedupe_key == dedupe_key))
    ).first()
    if seen is not None:
        return False
    nid = uuid7()
    await conn.execute(financing_notices.insert().values(
        id=nid, institution_id=institution_id, customer_id=customer_id, kind=kind, dedupe_key=dedupe_key, loan_id=loan_id, data=data, created_at=utc_now(),
    ))
    await emit_event(conn, institution_id, kind, {"notice_id": str(nid), "customer_id": None if customer_id is None else str(customer_id), **data})
    return True


async def offer_ready(conn: AsyncConnection, institution_id: UUID, loan: Any, offer: dict[str, Any]) -> bool:
    """``sme.offer_ready`` for ``loan`` (a row) with its ``offer`` (loans.quote)."""
    cur = loan.currency
    sched = offer.get("schedule") or []
    data = {
        "loan_id": str(loan.id), "currency": cur, "principal": format_minor(int(offer["principal_minor"]), cur),
        "total_repayable": format_minor(int(offer["total_repayable_minor"]), cur), "annual_percentage_rate": offer.get("annual_percentage_rate"),
        "first_due_date": sched[0]["due_date"] if sched else offer.get("due_date"), "due_date": offer.get("due_date"),
    }
    return await _notify(conn, institution_id, "sme.offer_ready", f"sme.offer_ready:{loan.id}", data, customer_id=loan.customer_id, loan_id=loan.id)


async def overdue(conn: AsyncConnection, institution_id: UUID, loan_id: UUID, customer_id: UUID, currency: str, dpd: int, bucket: str | None, as_of: date, owed_minor: int) -> bool:
    """``sme.overdue``: the loan fell overdue as of ``as_of``."""
    data = {"loan_id": str(loan_id), "currency": currency, "days_past_due": dpd, "bucket": bucket, "as_of": as_of.isoformat(), "owed": format_minor(owed_minor, currency)}
    return await _notify(conn, institution_id, "sme.overdue", f"sme.overdue:{loan_id}:{as_of.isoformat()}", data, customer_id=customer_id, loan_id=loan_id)


async def margin_call(conn: AsyncConnection, institution_id: UUID, customer_id: UUID, financing_ref: str, call: dict[str, Any]) -> bool:
    """``sme.margin_call``: a margin call (its event payload: shortfall,
    collateral, cure date) was opened on the merchant's pledge."""
    try:
        loan_id: UUID | None = UUID(financing_ref)
    except ValueError:
        loan_id = None
    data = {"loan_id": None if loan_id is None else str(loan_id), "margin_call": call}
    return await _notify(conn, institution_id, "sme.margin_call", f"sme.margin_call:{call['id']}", data, customer_id=customer_id, loan_id=loan_id)


def due_instalments(loan: Any, as_of: date, days: int = PAYMENT_DUE_DAYS) -> list[dict[str, Any]]:
    """The instalments of ``loan`` not paid in full that fall due after
    ``as_of`` and at most ``days`` days after it (a loan without a schedule:
    its due date as instalment 1)."""
    sched = loan.schedule or {}
    insts = sched.get("instalments") or ([{"number": 1, "due_date": loan.due_date.isoformat(), "principal_minor": 0, "interest_minor": 0, "fee_minor": 0, "paid_minor": 0}]
                                         if loan.due_date is not None else [])
    out = []
    for i in insts:
        due = date.fromisoformat(i["due_date"])
        total = int(i["principal_minor"]) + int(i["interest_minor"]) + int(i["fee_minor"])
        if as_of < due <= as_of + timedelta(days=days) and (not sched or int(i.get("paid_minor", 0)) < total):
            out.append({**i, "amount_minor": max(0, total - int(i.get("paid_minor", 0))) if sched else None})
    return out


async def payment_due(conn: AsyncConnection, institution_id: UUID, loan: Any, inst: dict[str, Any]) -> bool:
    """``sme.payment_due`` for one instalment (once per instalment)."""
    cur = loan.currency
    amount = inst.get("amount_minor")
    data = {
        "loan_id": str(loan.id), "currency": cur, "instalment": int(inst["number"]), "due_date": inst["due_date"],
        "amount": None if amount is None else format_minor(int(amount), cur),
    }
    return await _notify(conn, institution_id, "sme.payment_due", f"sme.payment_due:{loan.id}:{inst['number']}:{inst['due_date']}", data, customer_id=loan.customer_id, loan_id=loan.id)


async def payment_due_notices(engine: AsyncEngine, institution_id: UUID, as_of: date) -> int:
    """The daily check: ``sme.payment_due`` for every instalment of an
    active loan due within :data:`PAYMENT_DUE_DAYS` days after ``as_of``
    (a day the job missed is caught up: anything due in 1..3 days).
    Idempotent: running it again the same day (or the next) emits nothing
    new for the same instalment.  Returns how many were emitted."""
    n = 0
    async with engine.begin() as conn:
        loans = (await conn.execute(
            select(financing_loans.c.id, financing_loans.c.customer_id, financing_loans.c.currency, financing_loans.c.schedule, financing_loans.c.due_date)
            .where(financing_loans.c.institution_id == institution_id, financing_loans.c.status == "active").order_by(financing_loans.c.id)
        )).all()
        for loan in loans:
            for inst in due_instalments(loan, as_of):
                n += await payment_due(conn, institution_id, loan, inst)
    return n


async def expired_advance(conn: AsyncConnection, institution_id: UUID, flag: dict[str, Any]) -> bool:
    """``policy.expired_advance``: an active loan on a credit-insurance
    policy that expired (once per loan and policy)."""
    return await _notify(
        conn, institution_id, "policy.expired_advance", f"policy.expired_advance:{flag['loan_id']}:{flag['policy_id']}", flag,
        customer_id=UUID(flag["customer_id"]), loan_id=UUID(flag["loan_id"]),
    )


async def list_for_customer(engine: AsyncEngine, institution_id: UUID, customer_id: UUID, *, after: UUID | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The SME notices of one merchant, newest first (a keyset page after ``after``)."""
    n = financing_notices.c
    stmt = select(financing_notices).where(n.institution_id == institution_id, n.customer_id == customer_id, n.kind.in_(SME_KINDS))
    if after is not None:
        stmt = stmt.where(n.id < after)
    async with engine.connect() as conn:
        return [dict(r._mapping) for r in (await conn.execute(stmt.order_by(n.id.desc()).limit(limit))).all()]
