"""The financing units of work the API calls (F1, F2, F6).

Each function is one business operation: it reads what it needs, opens and
commits its own transaction(s) through :mod:`financing.loans`,
:mod:`financing.underwriting` and :mod:`financing.collateral`, and raises
domain errors (``ledger.errors.LedgerError`` subclasses).

Who acts is a :class:`Caller`: SME users see and act
only on their own merchant's applications and loans -- another merchant's
loan is ``NotFound``, like another institution's; staff see the
institution's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from ledger import errors as E
from ledger.clock import business_today
from ledger.money import parse_amount
from ledger.service import Ledger
from settlement.customers import find_customer_by_ref

from . import loans as L
from . import products as P
from . import reasons as R
from . import underwriting as U
from .collateral.orders import order_collateral_value, order_ref
from .kinds import product_kind
from .valuedates import value_date

#: loan states whose amount counts as existing exposure in underwriting
EXPOSURE_STATES = ("active", "accepted", "offered", "approved")

Loan = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who acts: the institution, the actor (for audit) and whether it is
    an SME user, who acts only for its own merchant (``merchant_ref``, the
    customer ref)."""

    institution_id: UUID
    actor: str
    sme: bool = False
    merchant_ref: str | None = None


@dataclass(frozen=True, slots=True)
class OfferedOrders:
    """Platform orders offered as collateral with an application (F2)."""

    platform_code: str
    order_ids: list[str]


async def own_customer(ledger: Ledger, caller: Caller) -> UUID | None:
    """The SME user's own customer id (None for staff)."""
    if not caller.sme:
        return None
    cust = await find_customer_by_ref(ledger.engine, caller.institution_id, caller.merchant_ref or "")
    if cust is None:
        raise E.NotFound("customer", caller.merchant_ref)
    return cust.id


async def _visible_loan(ledger: Ledger, caller: Caller, loan_id: UUID) -> Loan:
    loan = await L.get_loan(ledger, caller.institution_id, loan_id)
    own = await own_customer(ledger, caller)
    if own is not None and loan["customer_id"] != own:
        raise E.NotFound("loan", loan_id)  # another merchant's loan does not exist for this user
    return loan


# -- underwriting (F1) ----------------------------------------------------------------------------


async def existing_exposure(ledger: Ledger, institution_id: UUID, customer_id: UUID) -> int:
    """The merchant's outstanding financing: what active loans owe, the
    approved amount of loans not yet disbursed."""
    total = 0
    for loan in await L.list_loans(ledger, institution_id, customer_id=customer_id):
        if loan["status"] in EXPOSURE_STATES:
            full = await L.get_loan(ledger, institution_id, loan["id"])
            total += full["outstanding_minor"] or int(full["approved_minor"] or 0)
    return total


async def underwrite(ledger: Ledger, caller: Caller, customer_id: UUID, *, as_of: date | None = None) -> U.Decision:
    """Underwrite the merchant (as of today in the business time zone by
    default) against its existing exposure; the decision is stored."""
    exposure = await existing_exposure(ledger, caller.institution_id, customer_id)
    return await U.underwrite(ledger.engine, caller.institution_id, customer_id, as_of=as_of or business_today(), existing_exposure_minor=exposure, actor=caller.actor)


async def replay_decision(ledger: Ledger, institution_id: UUID, decision_id: UUID) -> U.Decision:
    """Recompute a stored decision; it must equal the stored one."""
    stored = await U.get_decision(ledger.engine, institution_id, decision_id)
    again = await U.replay_decision(ledger.engine, institution_id, decision_id)
    if not U.same_decision(stored, again):  # pragma: no cover - would be a defect
        raise E.LedgerError("replay differs from the stored decision", decision_id=str(decision_id))
    return again


# -- the application path -------------------------------------------------------------------------


class CustomerRequired(E.LedgerError):
    """Staff (and system keys) apply on behalf of a merchant and must name
    it; only an SME user's merchant is implied by the caller."""

    code = "customer_required"
    title = "Customer required"


async def _applicant(ledger: Ledger, caller: Caller, customer_id: UUID | None) -> UUID:
    own = await own_customer(ledger, caller)
    applicant = own or customer_id
    if applicant is None:
        raise CustomerRequired("customer_id is required: staff apply on behalf of a merchant (only an SME user's own merchant is implied)", field="customer_id")
    if own is not None and customer_id not in (None, own):
        raise E.NotFound("customer", customer_id)
    return applicant


async def apply(
    ledger: Ledger, caller: Caller, *, customer_id: UUID | None, product_id: UUID, amount: str, tenor_days: int, orders: OfferedOrders | None = None
) -> Loan:
    """An application: the limit is the underwriting limit (F1), capped by
    the advance on the orders offered (F2); an underwriting decline
    declines the application at once with its reasons."""
    inst = caller.institution_id
    applicant = await _applicant(ledger, caller, customer_id)
    product = await P.get_product(ledger.engine, inst, product_id)
    requested = parse_amount(amount, product.currency, field="amount")
    decision = await U.underwrite(
        ledger.engine, inst, applicant, as_of=business_today(), existing_exposure_minor=await existing_exposure(ledger, inst, applicant), actor=caller.actor
    )
    limit = decision.limit_minor if decision.currency in (None, product.currency) else 0
    refs: list[str] = []
    if orders is not None:
        async with ledger.engine.connect() as conn:
            coll = await order_collateral_value(conn, inst, applicant, orders.platform_code, orders.order_ids, product.currency)
        limit = min(limit, coll.advance_minor)
        refs = [order_ref(orders.platform_code, e) for e, _v in coll.eligible]
    loan = await L.apply(ledger, inst, customer_id=applicant, product_id=product.id, requested_minor=requested, tenor_days=tenor_days, asset_refs=refs, limit_minor=limit, actor=caller.actor)
    if decision.decision == U.DECLINE:
        loan = await L.decide(
            ledger, inst, loan["id"], approve=False, reasons=list(decision.reasons), inputs={"underwriting_decision": str(decision.id)}, actor="system:underwriting",
            explanations=[e.as_dict() for e in R.explain(decision, currency=product.currency)],
        )
    return await L.get_loan(ledger, inst, loan["id"])


async def list_loans(
    ledger: Ledger, caller: Caller, *, customer_id: UUID | None = None, status: str | None = None, after: UUID | None = None, limit: int | None = None
) -> list[Loan]:
    """Applications and loans with their balances (SME users: their own),
    in creation order; a keyset page with ``after`` and ``limit``."""
    own = await own_customer(ledger, caller)
    rows = await L.list_loans(ledger, caller.institution_id, customer_id=own or customer_id, status=status, after=after, limit=limit)
    return [await L.get_loan(ledger, caller.institution_id, r["id"]) for r in rows]


async def get_loan(ledger: Ledger, caller: Caller, loan_id: UUID) -> Loan:
    return await _visible_loan(ledger, caller, loan_id)


async def loan_schedule(ledger: Ledger, caller: Caller, loan_id: UUID, *, as_of: date | None = None) -> dict[str, Any]:
    """The loan's repayment schedule (SME users: their own loans only)."""
    await _visible_loan(ledger, caller, loan_id)
    return await L.loan_schedule(ledger, caller.institution_id, loan_id, as_of=as_of)


async def decide(ledger: Ledger, caller: Caller, loan_id: UUID, *, approve: bool, amount: str | None, reasons: list[str]) -> Loan:
    """Approve (``amount`` in the loan currency, default the request, up to
    the limit) or decline with reasons."""
    loan = await L.get_loan(ledger, caller.institution_id, loan_id)
    amount_minor = None if amount is None else parse_amount(amount, loan["currency"], field="amount")
    return await L.decide(ledger, caller.institution_id, loan_id, approve=approve, amount_minor=amount_minor, reasons=reasons, actor=caller.actor)


async def make_offer(ledger: Ledger, caller: Caller, loan_id: UUID) -> Loan:
    return await L.make_offer(ledger, caller.institution_id, loan_id, actor=caller.actor)


async def accept(ledger: Ledger, caller: Caller, loan_id: UUID) -> Loan:
    """Accept the offer (the SME user for its own merchant, or the institution)."""
    await _visible_loan(ledger, caller, loan_id)
    return await L.accept(ledger, caller.institution_id, loan_id, actor=caller.actor)


async def disburse(ledger: Ledger, caller: Caller, loan_id: UUID, *, on: date | None = None, after: L.LoanHook | None = None) -> Loan:
    """Encumber the loan's collateral (one asset, one financing) and pay
    out, in one transaction: a refused encumbrance pays nothing out and a
    refused payout encumbers nothing.  ``on`` is the value date (in the
    value-date window; default today, China time): interest accrues and the
    due date (so days past due) count from it."""
    day = value_date(on, "value_date")
    loan = await L.get_loan(ledger, caller.institution_id, loan_id)
    product = await P.get_product(ledger.engine, caller.institution_id, loan["product_id"])
    claims = product_kind(product.kind).disbursement_claims(loan["asset_refs"] or [])
    return await L.disburse(ledger, caller.institution_id, loan_id, on=day, collateral=claims, actor=caller.actor, after=after)


async def repay(ledger: Ledger, caller: Caller, loan_id: UUID, *, amount: str, reference: str, on: date | None = None, after: L.LoanHook | None = None) -> Loan:
    """A manual repayment (``amount`` in the loan currency), value-dated
    ``on`` (in the window, not before the disbursement nor on a day already
    accrued); pledged goods are released in proportion to the principal
    repaid, and repaying the loan in full releases its collateral, in the
    same transaction."""
    loan = await L.get_loan(ledger, caller.institution_id, loan_id)
    earliest = None
    if loan["disbursed_on"] is not None:
        accrued = loan.get("accrued_through")
        earliest = max(loan["disbursed_on"], accrued + timedelta(days=1)) if accrued else loan["disbursed_on"]
    day = value_date(on, "value_date", earliest=earliest)
    return await L.repay(ledger, caller.institution_id, loan_id, parse_amount(amount, loan["currency"], field="amount"), reference=reference, on=day, actor=caller.actor, release_collateral=True, after=after)


async def dpd_history(ledger: Ledger, caller: Caller, loan_id: UUID, *, after: tuple[date, UUID] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    await _visible_loan(ledger, caller, loan_id)
    return await L.dpd_history(ledger, caller.institution_id, loan_id, after=after, limit=limit)


async def write_off(ledger: Ledger, caller: Caller, loan_id: UUID, *, reason: str) -> Loan:
    return await L.write_off(ledger, caller.institution_id, loan_id, reason=reason, actor=caller.actor)
