"""Collateral bound to loans (F3, F4, F6).

A warehouse-receipt pledge and an insured-receivable financing reference a
loan of the same institution (another institution's loan, or none, is
``NotFound``), of the matching product kind, in the collateral's currency,
not yet disbursed: collateral is taken with or before the loan's
disbursement, never for a made-up reference or amount.  The secured amount
is the loan's (approved, else requested) amount.

At disbursement :func:`check_disbursement` revalues the collateral on the
value date and refuses (:class:`CollateralInsufficient`, 422 with the
figures) a loan it does not cover: warehouse receipts at the product's
``max_ltv`` (default the rulebook's initial LTV, 60 %), insured receivables
at advance rate × coverage × covered amount.  After every repayment
:func:`follow_repayment` brings the pledge's secured amount down to the
loan's outstanding principal, releasing goods in the same proportion.

Every function works inside the caller's transaction (``conn``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.errors import InvalidInput, NotFound
from ledger.money import format_minor
from ledger.schema import accounts as accounts_t

from ..tables_collateral import financing_insurance_policies, financing_insured_receivables, financing_warehouse_receipts, financing_wr_pledges
from ..tables_loans import financing_loans, financing_products
from .common import INSURED_RECEIVABLE, WAREHOUSE_RECEIPT, CollateralConfig, floor_int, for_update, ltv_of
from .errors import CollateralInsufficient, LoanNotOpenForCollateral
from .insurance import check_policy_in_force
from .warehouse import record_pledge_repayment, value_goods

#: loan states in which collateral may be taken (before disbursement)
OPEN_STATES = ("applied", "approved", "offered", "accepted")
_KIND_OF_ASSET = {WAREHOUSE_RECEIPT: "warehouse_receipt", INSURED_RECEIVABLE: "credit_insurance"}


def secured_amount(loan: Row[Any]) -> int:
    """What the collateral secures: the approved amount, else the request."""
    return int(loan.approved_minor if loan.approved_minor is not None else loan.requested_minor)


def wr_config(product_config: dict[str, Any] | None) -> CollateralConfig:
    """The rulebook with the product's ``max_ltv`` as the initial LTV."""
    cfg = dict(product_config or {})
    return CollateralConfig.from_mapping({"wr_initial_ltv_max": cfg["max_ltv"]} if cfg.get("max_ltv") is not None else None)


async def loan_for_collateral(conn: AsyncConnection, institution_id: UUID, loan_id: UUID, asset_kind: str, currency: str | None = None) -> Row[Any]:
    """The institution's loan ``loan_id`` (locked), open for collateral of
    ``asset_kind``: 404 for a loan that is not the institution's, 409 for a
    loan of another kind or already disbursed, 422 for another currency.
    The row carries the product's ``kind`` and ``config``."""
    stmt = (
        select(financing_loans, financing_products.c.kind, financing_products.c.config)
        .join(financing_products, financing_products.c.id == financing_loans.c.product_id)
        .where(financing_loans.c.id == loan_id, financing_loans.c.institution_id == institution_id)
    )
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=financing_loans)
    loan = (await conn.execute(stmt)).first()
    if loan is None:
        raise NotFound("loan", loan_id)
    kind = _KIND_OF_ASSET[asset_kind]
    if loan.kind != kind:
        raise LoanNotOpenForCollateral(f"loan {loan_id} is a {loan.kind} loan; a {asset_kind.replace('_', ' ')} backs only {kind} loans", loan=str(loan_id), kind=loan.kind)
    if loan.status not in OPEN_STATES:
        raise LoanNotOpenForCollateral(
            f"loan {loan_id} is {loan.status}: collateral is taken with or before the disbursement", loan=str(loan_id), status=loan.status, expected=list(OPEN_STATES)
        )
    if currency is not None and currency != loan.currency:
        raise InvalidInput(f"the collateral is in {currency}, the loan in {loan.currency}", field="loan_id", currency=currency, loan_currency=loan.currency)
    return loan


async def _active_pledges(conn: AsyncConnection, institution_id: UUID, financing_ref: str, *, lock: bool) -> list[Row[Any]]:
    q = select(financing_wr_pledges).where(
        financing_wr_pledges.c.institution_id == institution_id, financing_wr_pledges.c.financing_ref == financing_ref, financing_wr_pledges.c.status == "active"
    )
    return list((await conn.execute(for_update(conn, q.order_by(financing_wr_pledges.c.pledged_at, financing_wr_pledges.c.id), lock))).all())


async def has_active_pledge(conn: AsyncConnection, institution_id: UUID, loan_id: UUID) -> bool:
    return bool(await _active_pledges(conn, institution_id, str(loan_id), lock=False))


async def _check_warehouse(conn: AsyncConnection, institution_id: UUID, loan: Row[Any], amount: int, on: date) -> None:
    cfg = wr_config(loan.config)
    pledges = await _active_pledges(conn, institution_id, str(loan.id), lock=True)
    value = 0
    valued: list[tuple[Row[Any], int]] = []
    for p in pledges:
        goods = (await conn.execute(select(financing_warehouse_receipts.c.goods_type).where(financing_warehouse_receipts.c.id == p.receipt_id))).scalar_one()
        v = (await value_goods(conn, institution_id, goods, Decimal(p.quantity_pledged), p.currency, on)).value_minor
        valued.append((p, v))
        value += v
    max_loan = floor_int(cfg.wr_initial_ltv_max * value)
    if amount > max_loan:
        raise CollateralInsufficient(loan.id, loan.kind, amount, value, cfg.wr_initial_ltv_max, max_loan, loan.currency)
    for p, v in valued:  # the pledge secures what is paid out, valued on the value date
        await conn.execute(
            update(financing_wr_pledges).where(financing_wr_pledges.c.id == p.id).values(loan_minor=amount, outstanding_minor=amount, valuation_minor=v, valued_on=on, ltv=str(ltv_of(amount, v)))
        )


async def _check_insurance(conn: AsyncConnection, institution_id: UUID, loan: Row[Any], amount: int, on: date) -> None:
    cfg = CollateralConfig()
    p_ = financing_insurance_policies.c
    rows = (
        await conn.execute(
            select(financing_insured_receivables.c.covered_minor, p_.coverage_ratio, p_.id, p_.policy_number, p_.valid_until)
            .join(financing_insurance_policies, financing_insurance_policies.c.id == financing_insured_receivables.c.policy_id)
            .where(
                financing_insured_receivables.c.institution_id == institution_id,
                financing_insured_receivables.c.financing_ref == str(loan.id),
                financing_insured_receivables.c.status == "financed",
            )
        )
    ).all()
    for r in rows:  # no new advance on an expired policy
        check_policy_in_force(r, on)
    covered = sum(int(r.covered_minor or 0) for r in rows)
    cap = sum(floor_int(cfg.insurance_advance_rate * Decimal(r.coverage_ratio) * int(r.covered_minor or 0)) for r in rows)
    if amount > cap:
        raise CollateralInsufficient(loan.id, loan.kind, amount, covered, cfg.insurance_advance_rate, cap, loan.currency)


async def check_disbursement(conn: AsyncConnection, institution_id: UUID, loan_id: UUID, on: date) -> None:
    """Refuse to disburse a warehouse-receipt or credit-insurance loan its
    collateral does not cover (valued on ``on``), or a credit-insurance
    loan under a policy expired before ``on`` (:class:`PolicyExpired`);
    other kinds pass."""
    stmt = (
        select(financing_loans, financing_products.c.kind, financing_products.c.config)
        .join(financing_products, financing_products.c.id == financing_loans.c.product_id)
        .where(financing_loans.c.id == loan_id, financing_loans.c.institution_id == institution_id)
    )
    loan = (await conn.execute(stmt)).one()
    if loan.kind == "warehouse_receipt":
        await _check_warehouse(conn, institution_id, loan, secured_amount(loan), on)
    elif loan.kind == "credit_insurance":
        await _check_insurance(conn, institution_id, loan, secured_amount(loan), on)


async def principal_outstanding(conn: AsyncConnection, loan: Row[Any]) -> int:
    """The loan's outstanding principal, read from its ledger account."""
    acc = (loan.accounts or {}).get("principal")
    if acc is None:
        return secured_amount(loan)
    r = (await conn.execute(select(accounts_t.c.debits_posted, accounts_t.c.credits_posted).where(accounts_t.c.id == UUID(acc)))).one()
    return int(r.debits_posted) - int(r.credits_posted)


async def follow_repayment(conn: AsyncConnection, institution_id: UUID, loan_id: UUID) -> None:
    """Bring every active pledge of the loan down to its outstanding
    principal: the goods are released in proportion (all of them, and the
    receipt, when the principal is repaid)."""
    pledges = await _active_pledges(conn, institution_id, str(loan_id), lock=True)
    if not pledges:
        return
    loan = (await conn.execute(select(financing_loans).where(financing_loans.c.id == loan_id))).one()
    principal = await principal_outstanding(conn, loan)
    for p in pledges:
        repaid = int(p.outstanding_minor) - principal
        if repaid > 0:
            await record_pledge_repayment(conn, institution_id, p.id, repaid)


async def sync_pledge_outstanding(conn: AsyncConnection, institution_id: UUID, pledge: Row[Any]) -> None:
    """Before a revaluation: the pledge's outstanding is the loan's real
    outstanding principal (goods follow repayments the pledge missed)."""
    try:
        loan_id = UUID(pledge.financing_ref)
    except ValueError:
        return  # a pledge recorded before pledges were bound to loans
    loan = (await conn.execute(select(financing_loans).where(financing_loans.c.id == loan_id, financing_loans.c.institution_id == institution_id))).first()
    if loan is None or loan.status not in ("active", "repaid"):
        return
    principal = await principal_outstanding(conn, loan)
    if int(pledge.outstanding_minor) > principal:
        await record_pledge_repayment(conn, institution_id, pledge.id, int(pledge.outstanding_minor) - principal)
    elif int(pledge.outstanding_minor) < principal:
        await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge.id).values(outstanding_minor=principal))


async def expired_policy_advances(conn: AsyncConnection, institution_id: UUID, as_of: date) -> list[dict[str, Any]]:
    """F4: the institution's active credit-insurance loans financed by a
    receivable whose policy expired before ``as_of`` (its cover ended on
    ``valid_until``), by loan then receivable: what to chase (a new policy,
    a repayment).  Money as decimal strings of the loan's currency."""
    r_, p_ = financing_insured_receivables.c, financing_insurance_policies.c
    rows = (
        await conn.execute(
            select(r_.id, r_.financing_ref, r_.invoice_number, r_.buyer_ref, p_.id.label("policy_id"), p_.policy_number, p_.insurer, p_.valid_until)
            .join(financing_insurance_policies, p_.id == r_.policy_id)
            .where(r_.institution_id == institution_id, p_.institution_id == institution_id, r_.status == "financed", p_.valid_until.is_not(None), p_.valid_until < as_of)
        )
    ).all()
    by_loan: dict[UUID, list[Any]] = {}
    for row in rows:
        try:
            by_loan.setdefault(UUID(row.financing_ref), []).append(row)
        except (TypeError, ValueError):
            continue  # financed before receivables were bound to loans
    if not by_loan:
        return []
    loans = (
        await conn.execute(select(financing_loans).where(financing_loans.c.institution_id == institution_id, financing_loans.c.id.in_(list(by_loan)), financing_loans.c.status == "active"))
    ).all()
    out = []
    for loan in sorted(loans, key=lambda x: x.id):
        principal = await principal_outstanding(conn, loan)
        for r in sorted(by_loan[loan.id], key=lambda x: x.id):
            out.append({
                "loan_id": str(loan.id), "customer_id": str(loan.customer_id), "currency": loan.currency, "principal_outstanding": format_minor(principal, loan.currency),
                "policy_id": str(r.policy_id), "policy_number": r.policy_number, "insurer": r.insurer, "valid_until": r.valid_until.isoformat(),
                "days_since_expiry": (as_of - r.valid_until).days, "receivable_id": str(r.id), "invoice_number": r.invoice_number, "buyer_ref": r.buyer_ref,
            })
    return out


async def cure_limit(conn: AsyncConnection, institution_id: UUID, financing_ref: str) -> Decimal:
    """The LTV a margin call on the financing's pledges must come back to:
    the product's ``max_ltv`` (its initial LTV; default the rulebook's 60 %,
    the LTV a margin call restores)."""
    try:
        loan_id = UUID(financing_ref)
    except ValueError:
        return CollateralConfig().wr_target_ltv
    stmt = (
        select(financing_products.c.config).join(financing_loans, financing_loans.c.product_id == financing_products.c.id)
        .where(financing_loans.c.id == loan_id, financing_loans.c.institution_id == institution_id)
    )
    config = (await conn.execute(stmt)).scalar()
    return wr_config(config).wr_initial_ltv_max if config is not None else CollateralConfig().wr_target_ltv
