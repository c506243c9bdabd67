"""The collateral units of work the API calls (F3, F4).

Each function opens one transaction on the engine, does its work with the
domain modules (:mod:`.warehouse`, :mod:`.insurance`), commits and returns
what the caller renders.  A uniqueness race or a duplicate number or
reference (the database's unique constraints decide) is a ``Conflict``;
another institution's ids are :class:`CollateralNotFound` like ids that do
not exist.  Dates (valuation, price, claim dates) default to today in China
time and are bounded by the value-date window (:mod:`financing.valuedates`).
Pledges and insured-receivable financings reference a loan of the
institution (:mod:`.binding`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Row, Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.errors import Conflict
from ledger.money import parse_amount
from settlement.customers import get_customer

from ..tables_collateral import (
    financing_buyer_limits,
    financing_insurance_claims,
    financing_insurance_policies,
    financing_insured_receivables,
    financing_margin_calls,
    financing_warehouse_receipts,
    financing_wr_pledges,
)
from ..valuedates import value_date
from . import binding, insurance, warehouse
from .common import INSURED_RECEIVABLE, WAREHOUSE_RECEIPT
from .errors import CollateralNotFound
from .insurance import ClaimPayment, InsuredAdvance
from .warehouse import Cure, PledgeStatus

T = TypeVar("T")


def _today(value: date | None, field: str = "as_of") -> date:
    """``value`` within the value-date window (default: today, China time)."""
    return value_date(value, field)


async def _unit_of_work(engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction; a uniqueness race or duplicate is a 409."""
    try:
        async with engine.begin() as conn:
            return await work(conn)
    except IntegrityError:
        raise Conflict("this record already exists (a duplicate number or reference)") from None


async def _row(conn: AsyncConnection, table: Table, kind: str, institution_id: UUID, row_id: UUID) -> Row[Any]:
    row = (await conn.execute(select(table).where(table.c.id == row_id, table.c.institution_id == institution_id))).first()
    if row is None:
        raise CollateralNotFound(kind, row_id)
    return row


# -- F3: warehouse receipts ---------------------------------------------------------------------


async def set_haircut(engine: AsyncEngine, institution_id: UUID, goods_type: str, haircut: Decimal | str) -> None:
    await _unit_of_work(engine, lambda conn: warehouse.set_haircut(conn, institution_id, goods_type, haircut))


async def set_price(
    engine: AsyncEngine, institution_id: UUID, goods_type: str, currency: str, unit: str, price_date: date, price_minor: int, *, source: str | None = None
) -> None:
    on = _today(price_date, "price_date")
    await _unit_of_work(engine, lambda conn: warehouse.set_price(conn, institution_id, goods_type, currency, unit, on, price_minor, source=source))


async def issue_receipt(
    engine: AsyncEngine, institution_id: UUID, customer_id: UUID, *, warehouse_code: str, issuer: str, receipt_number: str, goods_type: str, quantity: str, unit: str,
    location: str, actor: str,
) -> Row[Any]:
    """Record a warehouse receipt of the customer (issued); returns its row."""

    async def work(conn: AsyncConnection) -> Row[Any]:
        await get_customer(conn, institution_id, customer_id)
        rid = await warehouse.issue_warehouse_receipt(
            conn, institution_id, customer_id, warehouse_code=warehouse_code, issuer=issuer, receipt_number=receipt_number, goods_type=goods_type,
            quantity=quantity, unit=unit, location=location, actor_id=actor,
        )
        return await _row(conn, financing_warehouse_receipts, "warehouse receipt", institution_id, rid)

    return await _unit_of_work(engine, work)


async def verify_receipt(engine: AsyncEngine, institution_id: UUID, receipt_id: UUID, verified_by: str) -> Row[Any]:
    async def work(conn: AsyncConnection) -> Row[Any]:
        await warehouse.verify_warehouse_receipt(conn, institution_id, receipt_id, verified_by)
        return await _row(conn, financing_warehouse_receipts, "warehouse receipt", institution_id, receipt_id)

    return await _unit_of_work(engine, work)


async def pledge_receipt(engine: AsyncEngine, institution_id: UUID, receipt_id: UUID, loan_id: UUID, as_of: date | None) -> PledgeStatus:
    """Pledge the receipt for the institution's warehouse-receipt loan
    ``loan_id`` (not yet disbursed; one active pledge per loan), securing the
    loan's approved (else requested) amount at the product's initial LTV."""
    on = _today(as_of)

    async def work(conn: AsyncConnection) -> PledgeStatus:
        await _row(conn, financing_warehouse_receipts, "warehouse receipt", institution_id, receipt_id)
        loan = await binding.loan_for_collateral(conn, institution_id, loan_id, WAREHOUSE_RECEIPT)
        if await binding.has_active_pledge(conn, institution_id, loan_id):
            raise Conflict(f"loan {loan_id} is already secured by a pledged receipt", loan=str(loan_id))
        return await warehouse.pledge_warehouse_receipt(
            conn, institution_id, receipt_id, str(loan_id), binding.secured_amount(loan), loan.currency, on, config=binding.wr_config(loan.config)
        )

    return await _unit_of_work(engine, work)


async def get_pledge(engine: AsyncEngine, institution_id: UUID, pledge_id: UUID) -> dict[str, Any]:
    async with engine.connect() as conn:
        return await warehouse.get_pledge(conn, institution_id, pledge_id)


async def _synced_pledge(conn: AsyncConnection, institution_id: UUID, pledge_id: UUID) -> None:
    """The pledge's outstanding follows its loan's real outstanding principal."""
    p = await _row(conn, financing_wr_pledges, "pledge", institution_id, pledge_id)
    await binding.sync_pledge_outstanding(conn, institution_id, p)


async def revalue_pledge(engine: AsyncEngine, institution_id: UUID, pledge_id: UUID, as_of: date | None) -> PledgeStatus:
    """Revalue on ``as_of``; the LTV and margin-call figures use the loan's
    outstanding principal from the ledger."""
    on = _today(as_of)

    async def work(conn: AsyncConnection) -> PledgeStatus:
        await _synced_pledge(conn, institution_id, pledge_id)
        return await warehouse.revalue_pledge(conn, institution_id, pledge_id, on)

    return await _unit_of_work(engine, work)


async def cure_margin_call(engine: AsyncEngine, institution_id: UUID, call_id: UUID, receipt_ids: list[UUID], as_of: date | None, actor: str) -> Cure:
    """Cure the institution's open margin call by pledging more verified
    receipts of the same customer to its loan, valued on ``as_of``: the
    loan's LTV over all its receipts must come back to the product's
    ``max_ltv`` (default 60 %), else nothing is pledged and the call stays
    open (:class:`MarginCallNotCured`)."""
    on = _today(as_of)

    async def work(conn: AsyncConnection) -> Cure:
        call = await _row(conn, financing_margin_calls, "margin call", institution_id, call_id)
        await _synced_pledge(conn, institution_id, call.pledge_id)
        p = await _row(conn, financing_wr_pledges, "pledge", institution_id, call.pledge_id)
        limit = await binding.cure_limit(conn, institution_id, p.financing_ref)
        return await warehouse.cure_margin_call(conn, institution_id, call_id, receipt_ids, on, limit=limit, actor_id=actor)

    return await _unit_of_work(engine, work)


async def liquidate_pledge(engine: AsyncEngine, institution_id: UUID, pledge_id: UUID, as_of: date | None) -> PledgeStatus:
    on = _today(as_of)

    async def work(conn: AsyncConnection) -> PledgeStatus:
        await _synced_pledge(conn, institution_id, pledge_id)
        return await warehouse.liquidate_pledge(conn, institution_id, pledge_id, on)

    return await _unit_of_work(engine, work)


async def check_liquidation(engine: AsyncEngine, institution_id: UUID, pledge_id: UUID, as_of: date | None) -> PledgeStatus:
    """Whether :func:`liquidate_pledge` would liquidate on ``as_of``, changing
    nothing: the liquidation runs in a transaction that is rolled back.
    Raises what it raises (``CollateralNotFound``, ``LiquidationNotAllowed``)."""
    on = _today(as_of)
    async with engine.connect() as conn:
        tx = await conn.begin()
        try:
            await _synced_pledge(conn, institution_id, pledge_id)
            return await warehouse.liquidate_pledge(conn, institution_id, pledge_id, on)
        finally:
            await tx.rollback()


# -- F4: credit insurance -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicyView:
    policy: Row[Any]
    #: (buyer ref, limit in minor units), by buyer ref
    buyer_limits: list[tuple[str, int]]


async def _policy_view(conn: AsyncConnection, institution_id: UUID, policy_id: UUID) -> PolicyView:
    p = await _row(conn, financing_insurance_policies, "policy", institution_id, policy_id)
    stmt = (
        select(financing_buyer_limits.c.buyer_ref, financing_buyer_limits.c.limit_minor)
        .where(financing_buyer_limits.c.policy_id == policy_id)
        .order_by(financing_buyer_limits.c.buyer_ref)
    )
    return PolicyView(p, [(b, int(v)) for b, v in (await conn.execute(stmt)).all()])


async def create_policy(
    engine: AsyncEngine, institution_id: UUID, customer_id: UUID, *, policy_number: str, insurer: str, insurer_code: str, coverage_ratio: str, currency: str,
    buyer_limits: Mapping[str, int], valid_until: date | None,
) -> PolicyView:
    async def work(conn: AsyncConnection) -> PolicyView:
        await get_customer(conn, institution_id, customer_id)
        pid = await insurance.create_policy(
            conn, institution_id, customer_id, policy_number=policy_number, insurer=insurer, insurer_code=insurer_code, coverage_ratio=coverage_ratio,
            currency=currency, buyer_limits=buyer_limits, valid_until=valid_until,
        )
        return await _policy_view(conn, institution_id, pid)

    return await _unit_of_work(engine, work)


@dataclass(frozen=True, slots=True)
class BuyerLimit:
    currency: str
    limit_minor: int


async def set_buyer_limit(engine: AsyncEngine, institution_id: UUID, policy_id: UUID, buyer_ref: str, limit: str) -> BuyerLimit:
    """Set a buyer's limit (``limit`` in the policy's currency)."""

    async def work(conn: AsyncConnection) -> BuyerLimit:
        p = await _row(conn, financing_insurance_policies, "policy", institution_id, policy_id)
        limit_minor = parse_amount(limit, p.currency, field="limit", allow_zero=True)
        await insurance.set_buyer_limit(conn, institution_id, policy_id, buyer_ref, limit_minor)
        return BuyerLimit(p.currency, limit_minor)

    return await _unit_of_work(engine, work)


async def declare_receivable(engine: AsyncEngine, institution_id: UUID, policy_id: UUID, *, buyer_ref: str, invoice_number: str, amount: str, due_date: date) -> Row[Any]:
    """Declare an insured receivable (``amount`` in the policy's currency); returns its row."""

    async def work(conn: AsyncConnection) -> Row[Any]:
        p = await _row(conn, financing_insurance_policies, "policy", institution_id, policy_id)
        rid = await insurance.declare_receivable(
            conn, institution_id, policy_id, buyer_ref=buyer_ref, invoice_number=invoice_number, amount_minor=parse_amount(amount, p.currency, field="amount"), due_date=due_date
        )
        return await _row(conn, financing_insured_receivables, "insured receivable", institution_id, rid)

    return await _unit_of_work(engine, work)


async def expired_policy_advances(engine: AsyncEngine, institution_id: UUID, as_of: date | None) -> list[dict[str, Any]]:
    """The active loans financed under a policy expired before ``as_of``
    (default today, China time; any date: a report, not a value date)."""
    async with engine.connect() as conn:
        return await binding.expired_policy_advances(conn, institution_id, as_of or value_date(None))


async def insured_advance(engine: AsyncEngine, institution_id: UUID, receivable_id: UUID) -> InsuredAdvance:
    async with engine.connect() as conn:
        return await insurance.insured_advance(conn, institution_id, receivable_id)


async def finance_receivable(engine: AsyncEngine, institution_id: UUID, receivable_id: UUID, loan_id: UUID, *, assignee: str) -> InsuredAdvance:
    """Encumber the insured receivable for the institution's credit-insurance
    loan ``loan_id`` (same currency, not yet disbursed)."""

    async def work(conn: AsyncConnection) -> InsuredAdvance:
        r = await _row(conn, financing_insured_receivables, "insured receivable", institution_id, receivable_id)
        await binding.loan_for_collateral(conn, institution_id, loan_id, INSURED_RECEIVABLE, r.currency)
        return await insurance.finance_receivable(conn, institution_id, receivable_id, str(loan_id), assignee=assignee, on=_today(None))

    return await _unit_of_work(engine, work)


async def release_receivable(engine: AsyncEngine, institution_id: UUID, receivable_id: UUID) -> Row[Any]:
    async def work(conn: AsyncConnection) -> Row[Any]:
        await insurance.release_receivable(conn, institution_id, receivable_id)
        return await _row(conn, financing_insured_receivables, "insured receivable", institution_id, receivable_id)

    return await _unit_of_work(engine, work)


@dataclass(frozen=True, slots=True)
class FiledClaim:
    claim: Row[Any]
    currency: str


async def file_claim(engine: AsyncEngine, institution_id: UUID, receivable_id: UUID, amount: str, filed_on: date | None) -> FiledClaim:
    """File a claim (``amount`` in the receivable's currency)."""
    on = _today(filed_on, "filed_on")

    async def work(conn: AsyncConnection) -> FiledClaim:
        r = await _row(conn, financing_insured_receivables, "insured receivable", institution_id, receivable_id)
        cid = await insurance.file_claim(conn, institution_id, receivable_id, parse_amount(amount, r.currency, field="amount"), on)
        return FiledClaim(await _row(conn, financing_insurance_claims, "insurance claim", institution_id, cid), r.currency)

    return await _unit_of_work(engine, work)


async def record_claim_payment(engine: AsyncEngine, institution_id: UUID, claim_id: UUID, amount: str, paid_on: date | None) -> ClaimPayment:
    """The insurer paid the claim (``amount`` in the receivable's currency)."""
    on = _today(paid_on, "paid_on")

    async def work(conn: AsyncConnection) -> ClaimPayment:
        c = await _row(conn, financing_insurance_claims, "insurance claim", institution_id, claim_id)
        r = await _row(conn, financing_insured_receivables, "insured receivable", institution_id, c.receivable_id)
        return await insurance.record_claim_payment(conn, institution_id, claim_id, parse_amount(amount, r.currency, field="amount", allow_zero=True), on)

    return await _unit_of_work(engine, work)
