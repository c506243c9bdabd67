"""The loan lifecycle in the ledger (F6).

application → decision → offer → acceptance → disbursement → daily accrual
→ repayments (manual, and swept from receipts for order loans) allocated by
the product's waterfall → overdue penalty and days-past-due buckets with
history → write-off; :func:`portfolio` reports.

Ledgers and accounts.  Loans live in the institution's ``financing`` ledger
(created on first use).  Per loan: ``loan:<id>:principal``,
``loan:<id>:interest``, ``loan:<id>:fees``, ``loan:<id>:penalty`` (assets:
what the borrower owes by component).  Per currency: ``fin:interest-income``,
``fin:fee-income``, ``fin:penalty-income`` (income), ``fin:writeoff-expense``
(expense) and ``fin:settlement-clearing`` (the financing side of the link to
the settlement ledger).  Customer money sits in the settlement ledger, and a
ledger transaction stays inside one ledger, so every movement between a
customer and a loan is two ledger transactions posted in one database
transaction, through a pair of mirror clearing accounts:

    disbursement  financing:  Dr loan principal        / Cr fin:settlement-clearing
                  settlement: Dr fin:loans-clearing     / Cr customer current
                  financing:  Dr loan fees             / Cr fin:fee-income       (arrangement fee)
    repayment     settlement: Dr customer current       / Cr fin:loans-clearing
                  financing:  Dr fin:settlement-clearing / Cr loan components (waterfall)
    accrual       financing:  Dr loan interest / Cr fin:interest-income (and penalty)
    write-off     financing:  Dr fin:writeoff-expense  / Cr loan components

``fin:loans-clearing`` (settlement ledger) and ``fin:settlement-clearing``
(financing ledger) always mirror each other: together they net to zero.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from uuid import UUID

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.clock import business_today, utc_now
from ledger.db import run_in_transaction
from ledger.events import emit_event, emit_events, record_audit
from ledger.ids import uuid7
from ledger.model import NewTransaction, Posting, Result
from ledger.money import format_minor
from ledger.posting import PostingOptions, is_idempotency_race, post_batch
from ledger.process import mark_replayed
from ledger.schema import accounts as accounts_t
from ledger.service import Ledger
from settlement import accounts as SA
from settlement.receipts import ProceedsShare

from . import daycount, notices, schedules
from . import loan_schedule as LS
from .amounts import amounts_of, public_amounts
from .collateral.binding import check_disbursement, follow_repayment
from .collateral.insurance import ClaimPayment
from .collateral.registry import AssetClaim, check_available, encumber_all, release_financing
from .kinds import swept_kinds
from .products import COMPONENTS, Product, RateSchedule, get_product, rate_schedule
from .tables_loans import financing_loan_dpd_history, financing_loan_repayments, financing_loans

FINANCING_LEDGER_CODE = "financing"
INST_ACCOUNTS = {
    # kind: account type (financing ledger, per currency)
    "interest-income": "income",
    "fee-income": "income",
    "penalty-income": "income",
    "writeoff-expense": "expense",
    "settlement-clearing": "liability",
}
SETTLEMENT_CLEARING_CODE = "fin:loans-clearing:{cur}"
ACTIVE = ("active",)


class LoanStateError(E.Conflict):
    code = "loan_state"
    title = "Loan is not in the required state"

    def __init__(self, loan_id: UUID, status: str, needed: str) -> None:
        super().__init__(f"loan {loan_id} is {status}; this needs {needed}", loan_id=str(loan_id), status=status, needed=needed)


class LoanInvalid(E.InvalidInput):
    code = "loan_invalid"
    title = "Invalid loan request"


# -- accounts -----------------------------------------------------------------------


async def financing_ledger_id(ledger: Ledger, institution_id: UUID) -> UUID:
    """The institution's financing ledger, created on first use."""
    led = await ledger.find_ledger(institution_id, FINANCING_LEDGER_CODE)
    if led is None:
        try:
            led = await ledger.create_ledger(institution_id, FINANCING_LEDGER_CODE, "Financing")
        except E.DuplicateCode:
            led = await ledger.find_ledger(institution_id, FINANCING_LEDGER_CODE)
    if led is None:  # pragma: no cover - created above or by a concurrent caller
        raise E.NotFound("ledger", FINANCING_LEDGER_CODE)
    return led.id


async def institution_accounts(ledger: Ledger, institution_id: UUID, currency: str) -> dict[str, UUID]:
    """The financing institution accounts of ``currency`` and the settlement
    side clearing account (key ``loans-clearing``)."""
    fin = await financing_ledger_id(ledger, institution_id)
    out = {}
    for kind, type_ in INST_ACCOUNTS.items():
        out[kind] = await SA.ensure_account(ledger, institution_id, fin, f"fin:{kind}:{currency}", currency, type_, metadata={"financing_account": kind})
    stl = await SA.settlement_ledger_id(ledger, institution_id)
    out["loans-clearing"] = await SA.ensure_account(
        ledger, institution_id, stl, SETTLEMENT_CLEARING_CODE.format(cur=currency), currency, "asset", metadata={"financing_account": "loans-clearing"}
    )
    return out


async def _loan_accounts(ledger: Ledger, institution_id: UUID, loan_id: UUID, customer_id: UUID, currency: str) -> dict[str, UUID]:
    fin = await financing_ledger_id(ledger, institution_id)
    return {
        comp: await SA.ensure_account(
            ledger, institution_id, fin, f"loan:{loan_id}:{comp}", currency, "asset", owner_ref=str(customer_id),
            metadata={"loan_id": str(loan_id), "component": comp, "customer_id": str(customer_id)},
        )
        for comp in COMPONENTS
    }


async def _balances(conn: AsyncConnection, ids: dict[str, UUID]) -> dict[str, int]:
    """Posted debit balances of asset accounts, by key."""
    rows = (await conn.execute(select(accounts_t.c.id, accounts_t.c.debits_posted, accounts_t.c.credits_posted).where(accounts_t.c.id.in_(list(ids.values()))))).all()
    by_id = {r.id: int(r.debits_posted) - int(r.credits_posted) for r in rows}
    return {k: by_id.get(v, 0) for k, v in ids.items()}


def _loan_ids(row: Any) -> dict[str, UUID]:
    return {k: UUID(v) for k, v in (row.accounts or {}).items()}


async def _post(conn: AsyncConnection, institution_id: UUID, items: list[NewTransaction], options: PostingOptions | None = None) -> list[Result]:
    results = await post_batch(conn, institution_id, items, options=options)
    for res in results:
        if not res.ok:
            raise res.error or E.LedgerError("posting refused")
    return results


# -- reads --------------------------------------------------------------------------


async def _row(conn: AsyncConnection, institution_id: UUID, loan_id: UUID, *, lock: bool = False) -> Row[Any]:
    stmt = select(financing_loans).where(financing_loans.c.id == loan_id, financing_loans.c.institution_id == institution_id)
    if lock and conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = (await conn.execute(stmt)).first()
    if row is None:
        raise E.NotFound("loan", loan_id)
    return row


async def get_loan(ledger: Ledger, institution_id: UUID, loan_id: UUID) -> dict[str, Any]:
    """The loan row with its outstanding balances by component (``balances``)
    and ``outstanding_minor``.  A foreign id is ``NotFound``."""
    async with ledger.engine.connect() as conn:
        return await loan_on(conn, institution_id, loan_id)


async def loan_on(conn: AsyncConnection, institution_id: UUID, loan_id: UUID) -> dict[str, Any]:
    """:func:`get_loan` on ``conn`` (inside a transaction: as it has written it)."""
    row = await _row(conn, institution_id, loan_id)
    bal = await _balances(conn, _loan_ids(row)) if row.accounts else {c: 0 for c in COMPONENTS}
    out = dict(row._mapping)
    out["balances"] = bal
    out["outstanding_minor"] = sum(bal.values())
    out["next_instalment"] = LS.next_due(row.schedule) if row.status in ACTIVE else None
    return out


#: run inside a disbursement's or repayment's transaction with the loan as it
#: leaves it (the HTTP layer stores its answer there, in the same commit)
LoanHook = Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]]


async def _hand_over(conn: AsyncConnection, institution_id: UUID, loan_id: UUID, after: LoanHook | None) -> dict[str, Any] | None:
    """The loan as the transaction leaves it, handed to ``after`` (None without a hook)."""
    if after is None:
        return None
    loan = await loan_on(conn, institution_id, loan_id)
    await after(conn, loan)
    return loan


async def loan_schedule(ledger: Ledger, institution_id: UUID, loan_id: UUID, *, as_of: date | None = None) -> dict[str, Any]:
    """A disbursed loan's schedule: every instalment with what was paid of
    it and its status on ``as_of`` (default today), and the early
    repayments.  A loan not disbursed (or disbursed before schedules were
    stored) has none: ``NotFound``."""
    async with ledger.engine.connect() as conn:
        row = await _row(conn, institution_id, loan_id)
    if not row.schedule:
        raise E.NotFound("loan schedule", loan_id)
    d = row.schedule
    return {
        "loan_id": row.id, "currency": row.currency, "status": row.status, "method": d["method"], "prepayment_rule": d["prepayment_rule"], "day_count": d["day_count"],
        "principal_minor": int(d["principal_minor"]), "instalments": LS.view(d, as_of or business_today()), "prepayments": list(d.get("prepayments") or []),
        "next_instalment": LS.next_due(d) if row.status in ACTIVE else None, "dpd": row.dpd,
    }


async def list_loans(
    ledger: Ledger, institution_id: UUID, *, customer_id: UUID | None = None, status: str | None = None, after: UUID | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The institution's loans in id (creation) order; a keyset page with
    ``after`` (the last id seen) and ``limit``."""
    stmt = select(financing_loans).where(financing_loans.c.institution_id == institution_id)
    if customer_id:
        stmt = stmt.where(financing_loans.c.customer_id == customer_id)
    if status:
        stmt = stmt.where(financing_loans.c.status == status)
    if after is not None:
        stmt = stmt.where(financing_loans.c.id > after)
    stmt = stmt.order_by(financing_loans.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    async with ledger.engine.connect() as conn:
        return [dict(r._mapping) for r in (await conn.execute(stmt)).all()]


async def dpd_history(ledger: Ledger, institution_id: UUID, loan_id: UUID, *, after: tuple[date, UUID] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The loan's days-past-due history in (as_of, id) order; a keyset page
    with ``after`` (the last (as_of, id) seen) and ``limit``."""
    h = financing_loan_dpd_history.c
    stmt = select(financing_loan_dpd_history).where(h.loan_id == loan_id)
    if after is not None:
        stmt = stmt.where((h.as_of > after[0]) | ((h.as_of == after[0]) & (h.id > after[1])))
    stmt = stmt.order_by(h.as_of, h.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    async with ledger.engine.connect() as conn:
        await _row(conn, institution_id, loan_id)
        rows = (await conn.execute(stmt)).all()
    return [dict(r._mapping) for r in rows]


async def repayments(ledger: Ledger, institution_id: UUID, loan_id: UUID) -> list[dict[str, Any]]:
    async with ledger.engine.connect() as conn:
        await _row(conn, institution_id, loan_id)
        rows = (await conn.execute(select(financing_loan_repayments).where(financing_loan_repayments.c.loan_id == loan_id).order_by(financing_loan_repayments.c.id))).all()
    return [dict(r._mapping) for r in rows]


# -- application, decision, offer, acceptance -------------------------------------


async def _transition(ledger: Ledger, institution_id: UUID, loan_id: UUID, expected: tuple[str, ...], values: dict[str, Any], action: str, actor: str) -> dict[str, Any]:
    async def work(conn: AsyncConnection) -> None:
        row = await _row(conn, institution_id, loan_id, lock=True)
        if row.status not in expected:
            raise LoanStateError(loan_id, row.status, " or ".join(expected))
        res = await conn.execute(update(financing_loans).where(financing_loans.c.id == loan_id, financing_loans.c.status == row.status).values(**values, updated_at=utc_now()))
        if res.rowcount != 1:
            raise LoanStateError(loan_id, "changed", " or ".join(expected))
        await emit_event(conn, institution_id, f"loan.{values.get('status', action)}", {"loan_id": str(loan_id), "from": row.status, "to": values.get("status", row.status)})
        if values.get("status") == "offered":  # the SME is told (#17)
            await notices.offer_ready(conn, institution_id, row, values["offer"])
        await record_audit(
            conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action=f"loan.{action}", object_type="loan", object_id=str(loan_id),
            before={"status": row.status}, after=public_amounts({k: (str(v) if isinstance(v, (date, UUID)) else v) for k, v in values.items()}, row.currency),
        )

    await run_in_transaction(ledger.engine, work)
    return await get_loan(ledger, institution_id, loan_id)


async def apply(
    ledger: Ledger, institution_id: UUID, *, customer_id: UUID, product_id: UUID, requested_minor: int, tenor_days: int,
    asset_refs: list[str] | tuple[str, ...] = (), limit_minor: int | None = None, actor: str = "system",
) -> dict[str, Any]:
    """A loan application by a customer (merchant) for a product.  Assets
    offered are opaque references; ``limit_minor`` comes from underwriting.
    Raises :class:`LoanInvalid`, ``NotFound`` (product, customer)."""
    from settlement.customers import get_customer

    product = await get_product(ledger.engine, institution_id, product_id)
    await get_customer(ledger.engine, institution_id, customer_id)
    if not isinstance(requested_minor, int) or requested_minor <= 0:
        raise LoanInvalid("requested amount must be a positive integer of minor units", field="requested")
    if not isinstance(tenor_days, int) or not (product.min_tenor_days <= tenor_days <= product.max_tenor_days):
        raise LoanInvalid(
            f"tenor must be {product.min_tenor_days}..{product.max_tenor_days} days", field="tenor_days", min_days=product.min_tenor_days, max_days=product.max_tenor_days
        )
    if limit_minor is not None and (not isinstance(limit_minor, int) or limit_minor < 0):
        raise LoanInvalid("limit must be zero or a positive integer of minor units", field="limit")
    now = utc_now()
    loan_id = uuid7()
    row = dict(
        id=loan_id, institution_id=institution_id, product_id=product_id, customer_id=customer_id, currency=product.currency, status="applied",
        requested_minor=requested_minor, limit_minor=limit_minor, approved_minor=None, tenor_days=tenor_days, asset_refs=[str(a) for a in asset_refs],
        decision=None, offer=None, disbursed_on=None, due_date=None, accrued_through=None, interest_carry="0/1", penalty_carry="0/1", dpd=0, bucket=None,
        accounts=None, disbursement_transaction_id=None, written_off_minor=0, created_at=now, updated_at=now,
    )

    async def work(conn: AsyncConnection) -> None:
        await conn.execute(financing_loans.insert().values(**row))
        await emit_event(conn, institution_id, "loan.applied", {"loan_id": str(loan_id), "customer_id": str(customer_id), "requested": format_minor(requested_minor, product.currency), "currency": product.currency})
        await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="loan.apply", object_type="loan", object_id=str(loan_id),
                           after={"requested": format_minor(requested_minor, product.currency), "currency": product.currency})

    await run_in_transaction(ledger.engine, work)
    return await get_loan(ledger, institution_id, loan_id)


async def decide(
    ledger: Ledger, institution_id: UUID, loan_id: UUID, *, approve: bool, amount_minor: int | None = None, limit_minor: int | None = None,
    reasons: list[str] | tuple[str, ...] = (), inputs: dict[str, Any] | None = None, actor: str = "system",
    explanations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Approve (an amount ≤ the limit and ≤ the request) or decline with
    reasons.  The decision stores its inputs and reasons, and the reasons in
    words when given (``financing.reasons``)."""
    loan = await get_loan(ledger, institution_id, loan_id)
    limit = limit_minor if limit_minor is not None else loan["limit_minor"]
    decision = {"approved": bool(approve), "reasons": list(reasons), "inputs": inputs or {}, "limit_minor": limit, "decided_by": actor, "decided_at": utc_now().isoformat()}
    if explanations is not None:
        decision["explanations"] = explanations
    if not approve:
        if not reasons:
            raise LoanInvalid("a decline states its reasons", field="reasons")
        return await _transition(ledger, institution_id, loan_id, ("applied",), {"status": "declined", "decision": decision, "limit_minor": limit}, "decide", actor)
    amount = loan["requested_minor"] if amount_minor is None else amount_minor
    if limit is None:
        raise LoanInvalid("approval needs a limit from underwriting", field="limit")
    if not isinstance(amount, int) or amount <= 0 or amount > limit or amount > loan["requested_minor"]:
        raise LoanInvalid(
            "approved amount must be positive and within the limit and the request", field="amount", currency=loan["currency"],
            limit=format_minor(int(limit), loan["currency"]), requested=format_minor(int(loan["requested_minor"]), loan["currency"]),
        )
    return await _transition(ledger, institution_id, loan_id, ("applied",), {"status": "approved", "approved_minor": amount, "decision": decision, "limit_minor": limit}, "decide", actor)


def _fee(product: Product, principal: int) -> int:
    return int((Decimal(principal) * Decimal(product.arrangement_fee_bp) / Decimal(10000)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


async def quote(ledger: Ledger, institution_id: UUID, product: Product, principal_minor: int, tenor_days: int, start: date) -> dict[str, Any]:
    """Schedule and total cost of ``principal_minor`` over ``tenor_days``
    from ``start`` by the product's schedule method (financing.schedules):
    every instalment's interest is the daily accrual of its days, the fee
    is due with the first instalment, and the annualized cost is the IRR
    of the cash flows."""
    sched = await rate_schedule(ledger.engine, product)
    fee = _fee(product, principal_minor)
    s = schedules.for_tenor(product.schedule_method, principal_minor, sched, product.day_count, start, tenor_days, fee_minor=fee)
    apr = schedules.annualized_cost(s)
    return {
        "principal_minor": principal_minor, "currency": product.currency, "start": start.isoformat(), "due_date": s.maturity.isoformat(), "tenor_days": tenor_days,
        "annual_rate": str(sched(start)), "day_count": product.day_count, "interest_minor": s.interest_minor, "fee_minor": fee, "total_cost_minor": s.interest_minor + fee,
        "total_repayable_minor": s.total_minor, "schedule_method": s.method, "prepayment_rule": product.prepayment_rule,
        "annual_percentage_rate": str(apr), "disclosure": schedules.disclosure(s, product.currency, apr, sched(start)),
        "schedule": [i.as_dict() for i in s.instalments],
        "pricing": {"fixed_rate": str(product.fixed_rate) if product.fixed_rate is not None else None, "lpr_tenor": product.lpr_tenor, "spread_bp": product.spread_bp},
    }


async def make_offer(ledger: Ledger, institution_id: UUID, loan_id: UUID, *, start: date | None = None, actor: str = "system") -> dict[str, Any]:
    """The offer of an approved loan: schedule and total cost."""
    loan = await get_loan(ledger, institution_id, loan_id)
    if loan["status"] != "approved":
        raise LoanStateError(loan_id, loan["status"], "approved")
    product = await get_product(ledger.engine, institution_id, loan["product_id"])
    offer = await quote(ledger, institution_id, product, loan["approved_minor"], loan["tenor_days"], start or business_today())
    return await _transition(ledger, institution_id, loan_id, ("approved",), {"status": "offered", "offer": offer}, "offer", actor)


async def accept(ledger: Ledger, institution_id: UUID, loan_id: UUID, *, actor: str = "system") -> dict[str, Any]:
    return await _transition(ledger, institution_id, loan_id, ("offered",), {"status": "accepted"}, "accept", actor)


#: the customer turned the offer down (status, at most 16 characters like every loan status)
OFFER_DECLINED = "offer_declined"


async def decline_offer(ledger: Ledger, institution_id: UUID, loan_id: UUID, *, actor: str = "system") -> dict[str, Any]:
    """The customer declines the offer: ``offered`` -> ``offer_declined``
    (audited ``loan.decline_offer``, event ``loan.offer_declined``); the
    loan no longer counts as exposure and can no longer be accepted."""
    return await _transition(ledger, institution_id, loan_id, ("offered",), {"status": "offer_declined"}, "decline_offer", actor)


# -- disbursement -------------------------------------------------------------------


async def disburse(
    ledger: Ledger, institution_id: UUID, loan_id: UUID, *, on: date | None = None, collateral: Sequence[AssetClaim] = (), actor: str = "system",
    after: LoanHook | None = None,
) -> dict[str, Any]:
    """Pay out an accepted loan to the customer's current account in the
    loan currency and book the arrangement fee.  Interest accrues from
    ``on`` (inclusive); the loan is due ``on + tenor``.  A warehouse-receipt
    or credit-insurance loan is refused (``CollateralInsufficient``) unless
    the collateral pledged to it covers it on ``on``.  The ``collateral``
    is encumbered for the loan in the same transaction (one asset, one
    financing: :class:`AssetAlreadyFinanced` when another financing holds
    one of them)."""
    loan = await get_loan(ledger, institution_id, loan_id)
    if collateral:
        async with ledger.engine.connect() as conn:
            await check_available(conn, institution_id, collateral, str(loan_id))
    if loan["status"] != "accepted":
        raise LoanStateError(loan_id, loan["status"], "accepted")
    product = await get_product(ledger.engine, institution_id, loan["product_id"])
    on = on or business_today()
    cur, amount = loan["currency"], loan["approved_minor"]
    inst = await institution_accounts(ledger, institution_id, cur)
    acc = await _loan_accounts(ledger, institution_id, loan_id, loan["customer_id"], cur)
    current = await SA.customer_account(ledger, institution_id, loan["customer_id"], "current", cur)
    fin = await financing_ledger_id(ledger, institution_id)
    stl = await SA.settlement_ledger_id(ledger, institution_id)
    fee = _fee(product, amount)
    plan = schedules.for_tenor(product.schedule_method, amount, await rate_schedule(ledger.engine, product), product.day_count, on, loan["tenor_days"], fee_minor=fee)
    meta = {"loan_id": str(loan_id), "customer_id": str(loan["customer_id"])}
    items = [
        NewTransaction(fin, [Posting(acc["principal"], amount, "debit", cur), Posting(inst["settlement-clearing"], amount, "credit", cur)],
                       idempotency_key=f"loan:{loan_id}:disburse:fin", effective_date=on, description="loan disbursement", metadata=meta),
        NewTransaction(stl, [Posting(inst["loans-clearing"], amount, "debit", cur), Posting(current, amount, "credit", cur)],
                       idempotency_key=f"loan:{loan_id}:disburse:stl", effective_date=on, description="loan disbursement to current account", metadata=meta),
    ]
    if fee:
        items.append(NewTransaction(fin, [Posting(acc["fees"], fee, "debit", cur), Posting(inst["fee-income"], fee, "credit", cur)],
                                    idempotency_key=f"loan:{loan_id}:fee:arrangement", effective_date=on, description="arrangement fee", metadata={**meta, "fee": "arrangement"}))

    async def work(conn: AsyncConnection) -> dict[str, Any] | None:
        await encumber_all(conn, institution_id, collateral, str(loan_id))
        row = await _row(conn, institution_id, loan_id, lock=True)
        if row.status != "accepted":
            raise LoanStateError(loan_id, row.status, "accepted")
        await check_disbursement(conn, institution_id, loan_id, on)  # warehouse-receipt / credit-insurance cover
        results = await _post(conn, institution_id, items, ledger.options)
        due = plan.maturity  # a bullet: on + tenor
        values = dict(
            status="active", disbursed_on=on, due_date=due, accrued_through=on - timedelta(days=1), schedule=LS.stored(plan, product.prepayment_rule),
            accounts={k: str(v) for k, v in acc.items()}, disbursement_transaction_id=results[1].transaction_id, updated_at=utc_now(),
        )
        await conn.execute(update(financing_loans).where(financing_loans.c.id == loan_id).values(**values))
        await emit_event(conn, institution_id, "loan.disbursed", {"loan_id": str(loan_id), "amount": format_minor(amount, cur), "fee": format_minor(fee, cur), "currency": cur, "due_date": due.isoformat()})
        await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="loan.disburse", object_type="loan", object_id=str(loan_id),
                           after={"amount": format_minor(amount, cur), "fee": format_minor(fee, cur), "currency": cur})
        return await _hand_over(conn, institution_id, loan_id, after)

    done = await run_in_transaction(ledger.engine, work, retry_on=is_idempotency_race)
    return done if done is not None else await get_loan(ledger, institution_id, loan_id)


# -- accrual, penalty, days past due -------------------------------------------------


ACCRUAL_CHUNK = 1_000  # loans per database transaction of the accrual job


async def accrue(ledger: Ledger, institution_id: UUID, as_of: date, *, chunk_size: int = ACCRUAL_CHUNK) -> dict[str, Any]:
    """The daily accrual job: for every active loan, post interest (and
    penalty interest on overdue principal from the due date) for each day
    after the last accrued one up to ``as_of`` inclusive, carrying fractions
    of a minor unit; then update days past due and the bucket history.
    Idempotent per loan per day: days already accrued are never posted
    again; missed days are caught up.

    Loans are processed in chunks of ``chunk_size`` (in id order), one
    database transaction per chunk: the chunk's rows are locked, every
    loan's accrual is computed in Python and all the chunk's ledger items
    go in one ``post_batch``."""
    async with ledger.engine.connect() as conn:
        ids = [r.id for r in (await conn.execute(
            select(financing_loans.c.id).where(financing_loans.c.institution_id == institution_id, financing_loans.c.status.in_(ACTIVE)).order_by(financing_loans.c.id)
        )).all()]
    posted: dict[str, Any] = {"loans": 0, "interest_minor": 0, "penalty_minor": 0}
    by_currency: dict[str, dict[str, int]] = {}
    products: dict[UUID, tuple[Product, Any]] = {}
    size = max(1, min(chunk_size, (ledger.options.max_batch_size if ledger.options else 8_000) // 2))
    for n in range(0, len(ids), size):
        chunk = ids[n : n + size]

        async def work(conn: AsyncConnection, chunk: list[UUID] = chunk) -> list[tuple[int, int, str]]:
            return await _accrue_chunk(conn, institution_id, chunk, as_of, products, ledger.options)

        out = await run_in_transaction(ledger.engine, work, retry_on=is_idempotency_race)
        for i, p, cur in out:
            posted["loans"] += 1 if (i or p) else 0
            posted["interest_minor"] += i
            posted["penalty_minor"] += p
            if i or p:
                c = by_currency.setdefault(cur, {"interest": 0, "penalty": 0})
                c["interest"] += i
                c["penalty"] += p
    if by_currency:
        posted["by_currency"] = by_currency
    return posted


#: products and their rate schedules by product id, cached over the accrual job's chunks
ProductCache = dict[UUID, tuple[Product, RateSchedule]]


@dataclass
class _Chunk:
    """What one accrual chunk reads once and collects for its set-wise writes."""

    institution_id: UUID
    as_of: date
    now: datetime
    acc_by_loan: dict[UUID, dict[str, UUID]]
    bal_by_id: dict[UUID, int]
    ledger_by_id: dict[UUID, UUID]
    inst: dict[tuple[UUID, str], dict[str, UUID]]
    items: list[NewTransaction] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    dpd_updates: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    minimum_reps: dict[UUID, list[tuple[date, int]]] = field(default_factory=dict)  # F2 loans' repayments
    #: loans that fell overdue in this run: (loan id, customer id, currency, dpd, bucket, owed) for ``sme.overdue``
    overdue: list[tuple[UUID, UUID, str, int, str | None, int]] = field(default_factory=list)


async def _lock_chunk(conn: AsyncConnection, institution_id: UUID, loan_ids: list[UUID], as_of: date) -> list[Any]:
    """The chunk's active loans still to accrue up to ``as_of``, locked."""
    stmt = select(financing_loans).where(financing_loans.c.institution_id == institution_id, financing_loans.c.id.in_(loan_ids)).order_by(financing_loans.c.id)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return [r for r in (await conn.execute(stmt)).all() if r.status in ACTIVE and r.accrued_through is not None and as_of >= r.accrued_through]


async def _load_products(conn: AsyncConnection, institution_id: UUID, rows: list[Any], products: ProductCache) -> None:
    for pid in {r.product_id for r in rows} - set(products):
        product = await get_product(conn, institution_id, pid)
        products[pid] = (product, await rate_schedule(conn, product))


async def _read_chunk(conn: AsyncConnection, institution_id: UUID, rows: list[Any], as_of: date) -> _Chunk:
    """The chunk's loan accounts (balances, ledgers) and the institution
    accounts per financing ledger and currency."""
    acc_by_loan = {r.id: _loan_ids(r) for r in rows}
    all_acc = [a for acc in acc_by_loan.values() for a in acc.values()]
    bal_rows: list[Any] = []
    for i in range(0, len(all_acc), 5_000):
        stmt = select(accounts_t.c.id, accounts_t.c.ledger_id, accounts_t.c.debits_posted, accounts_t.c.credits_posted).where(accounts_t.c.id.in_(all_acc[i : i + 5_000]))
        bal_rows += (await conn.execute(stmt)).all()
    ch = _Chunk(institution_id, as_of, utc_now(), acc_by_loan, {r.id: int(r.debits_posted) - int(r.credits_posted) for r in bal_rows}, {r.id: r.ledger_id for r in bal_rows}, {})
    for r in rows:
        key = (ch.ledger_by_id[acc_by_loan[r.id]["principal"]], r.currency)
        if key not in ch.inst:
            codes = {f"fin:{k}:{r.currency}": k for k in INST_ACCOUNTS}
            stmt = select(accounts_t.c.id, accounts_t.c.code).where(accounts_t.c.institution_id == institution_id, accounts_t.c.ledger_id == key[0], accounts_t.c.code.in_(list(codes)))
            ch.inst[key] = {codes[f.code]: f.id for f in (await conn.execute(stmt)).all()}
    return ch


def _accrue_row(ch: _Chunk, row: Any, first: date, product: Product, sched: RateSchedule) -> tuple[int, int]:
    """One loan's interest and penalty from ``first`` to the chunk's day:
    the ledger items, the row update and the event go to the chunk."""
    as_of, loan_id, cur = ch.as_of, row.id, row.currency
    acc = ch.acc_by_loan[loan_id]
    fin = ch.ledger_by_id[acc["principal"]]
    inst = ch.inst[(fin, cur)]
    principal = ch.bal_by_id.get(acc["principal"], 0)
    days = daycount.day_range(first, as_of)
    acc_i = daycount.accrue_days(principal, sched, product.day_count, days, daycount.carry_from_str(row.interest_carry))
    interest = sum(a.posted for a in acc_i)
    penalty, pcarry = _penalty(row, product, principal, days, _minimum_arrears(row, product, ch.minimum_reps))
    meta = {"loan_id": str(loan_id), "from": first.isoformat(), "through": as_of.isoformat(), "principal": format_minor(principal, cur), "currency": cur}
    for comp, income, amount, what in (("interest", "interest-income", interest, "interest accrual"), ("penalty", "penalty-income", penalty, "penalty interest accrual")):
        if amount:
            ch.items.append(NewTransaction(fin, [Posting(acc[comp], amount, "debit", cur), Posting(inst[income], amount, "credit", cur)],
                                           idempotency_key=f"loan:{loan_id}:{comp}:{first}:{as_of}", effective_date=as_of, description=what, metadata=meta))
            ch.bal_by_id[acc[comp]] = ch.bal_by_id.get(acc[comp], 0) + amount
    ch.updates.append({"b_id": loan_id, "b_prev": row.accrued_through, "b_through": as_of, "b_icarry": daycount.carry_to_str(acc_i[-1].carry),
                       "b_pcarry": daycount.carry_to_str(pcarry), "b_now": ch.now})
    if interest or penalty:
        ch.events.append(("loan.accrued", _accrued(loan_id, first, as_of, interest, penalty, cur)))
    return interest, penalty


def _minimum_need(row: Any, product: Product) -> int:
    """F2: the minimum to repay per 30 days (0: none)."""
    bp = product.minimum_repayment_bp()
    return int((Decimal(row.approved_minor) * Decimal(bp) / Decimal(10000)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if bp and row.approved_minor else 0


async def _minimum_repayments(conn: AsyncConnection, rows: list[Any], products: dict[UUID, Product]) -> dict[UUID, list[tuple[date, int]]]:
    """F2: the repayments (value date, amount) of the loans with a minimum repayment, by loan."""
    ids = [r.id for r in rows if _minimum_need(r, products[r.product_id])]
    out: dict[UUID, list[tuple[date, int]]] = {i: [] for i in ids}
    r_ = financing_loan_repayments.c
    for n in range(0, len(ids), 500):
        for rep in (await conn.execute(select(r_.loan_id, r_.effective_date, r_.amount_minor).where(r_.loan_id.in_(ids[n : n + 500])))).all():
            out[rep.loan_id].append((rep.effective_date, int(rep.amount_minor)))
    return out


def _minimum_arrears(row: Any, product: Product, reps: dict[UUID, list[tuple[date, int]]]) -> LS.Arrears | None:
    need = _minimum_need(row, product)
    if not need or row.id not in reps:
        return None
    return lambda day: LS.minimum_arrears(row.disbursed_on, need, reps[row.id], day)[1]


def _penalty(row: Any, product: Product, principal: int, days: list[date], minimum: LS.Arrears | None = None) -> tuple[int, Fraction]:
    """Penalty interest for the overdue ``days`` on the overdue principal
    (each overdue instalment's principal from its due date; a loan without
    a stored schedule: all of it from the due date; F2: the minimum
    repayment's shortfall from the end of its period) and the carry after
    them."""
    pcarry = daycount.carry_from_str(row.penalty_carry)
    if product.penalty_rate <= 0:
        return 0, pcarry
    total = 0
    for base, overdue_days in LS.penalty_segments(row.schedule, row.due_date, principal, days, minimum):
        acc_p = daycount.accrue_days(base, product.penalty_rate, product.day_count, overdue_days, pcarry)
        total, pcarry = total + sum(a.posted for a in acc_p), acc_p[-1].carry
    return total, pcarry


async def _write_accruals(conn: AsyncConnection, ch: _Chunk, options: PostingOptions | None) -> None:
    if ch.items:
        await _post(conn, ch.institution_id, ch.items, options)
    if ch.updates:
        t = financing_loans.c
        stmt_u = (update(financing_loans).where(t.id == bindparam("b_id"), t.accrued_through == bindparam("b_prev"))
                  .values(accrued_through=bindparam("b_through"), interest_carry=bindparam("b_icarry"), penalty_carry=bindparam("b_pcarry"), updated_at=bindparam("b_now")))
        res = await conn.execute(stmt_u, ch.updates)
        if conn.dialect.supports_sane_multi_rowcount and res.rowcount not in (-1, len(ch.updates)):
            raise LoanStateError(ch.updates[0]["b_id"], "accrued concurrently", "one accrual run at a time")


async def _minimum_repayment_events(conn: AsyncConnection, ch: _Chunk, row: Any, product: Product, first: date) -> None:
    """F2: a ``loan.minimum_repayment_missed`` event for each 30-day period
    that closes in this run with a shortfall (as :func:`_check_minimum_repayment`)."""
    as_of = ch.as_of
    if not (product.minimum_repayment_bp() and row.disbursed_on is not None and first <= as_of):
        return
    k_lo = max(1, -(-(first - row.disbursed_on).days // 30))
    if row.disbursed_on + timedelta(days=30 * k_lo) > as_of:  # no period closes in this run
        return
    for p in await minimum_repayment_periods(conn, row, product, as_of):
        if first <= p["end"] <= as_of and p["shortfall_minor"] > 0:
            ch.events.append(("loan.minimum_repayment_missed", _missed(row.id, p, row.currency)))


def _missed(loan_id: UUID, p: dict[str, Any], cur: str) -> dict[str, Any]:
    """The ``loan.minimum_repayment_missed`` payload (amounts in the loan's ``currency``)."""
    return {
        "loan_id": str(loan_id), "period": p["period"], "start": p["start"].isoformat(), "end": p["end"].isoformat(), "currency": cur,
        "minimum": format_minor(p["minimum_minor"], cur), "repaid": format_minor(p["repaid_minor"], cur), "shortfall": format_minor(p["shortfall_minor"], cur),
    }


def _accrued(loan_id: UUID, first: date, through: date, interest: int, penalty: int, cur: str) -> dict[str, Any]:
    """The ``loan.accrued`` payload (amounts in the loan's ``currency``)."""
    return {
        "loan_id": str(loan_id), "from": first.isoformat(), "through": through.isoformat(), "currency": cur,
        "interest": format_minor(interest, cur), "penalty": format_minor(penalty, cur),
    }


def _dpd_change(ch: _Chunk, row: Any, product: Product) -> None:
    """Days past due and bucket after the run (as :func:`_update_dpd`)."""
    owed = sum(ch.bal_by_id.get(a, 0) for a in ch.acc_by_loan[row.id].values())
    dpd = LS.days_past_due(row.schedule, row.due_date, owed, ch.as_of)
    if owed > 0 and row.id in ch.minimum_reps:  # F2: a missed minimum repayment is overdue from its period's end
        dpd = max(dpd, LS.minimum_arrears(row.disbursed_on, _minimum_need(row, product), ch.minimum_reps[row.id], ch.as_of)[0])
    bucket = product.bucket(dpd)
    if dpd > 0 and not row.dpd:
        ch.overdue.append((row.id, row.customer_id, row.currency, dpd, bucket, owed))
    if dpd != row.dpd or bucket != row.bucket:
        ch.dpd_updates.append({"b_id": row.id, "b_dpd": dpd, "b_bucket": bucket})
    if bucket != row.bucket:
        ch.history.append(dict(id=uuid7(), institution_id=ch.institution_id, loan_id=row.id, as_of=ch.as_of, dpd=dpd, bucket=bucket, created_at=ch.now))
        ch.events.append(("loan.bucket_changed", {"loan_id": str(row.id), "dpd": dpd, "from": row.bucket, "to": bucket, "npl": product.is_npl(bucket)}))


async def _write_dpd_and_events(conn: AsyncConnection, ch: _Chunk) -> None:
    if ch.dpd_updates:
        await conn.execute(update(financing_loans).where(financing_loans.c.id == bindparam("b_id")).values(dpd=bindparam("b_dpd"), bucket=bindparam("b_bucket")), ch.dpd_updates)
    if ch.history:
        await conn.execute(financing_loan_dpd_history.insert(), ch.history)
    if ch.events:
        await emit_events(conn, ch.institution_id, ch.events)
    for loan_id, customer_id, cur, dpd, bucket, owed in ch.overdue:
        await notices.overdue(conn, ch.institution_id, loan_id, customer_id, cur, dpd, bucket, ch.as_of, owed)


async def _accrue_chunk(conn: AsyncConnection, institution_id: UUID, loan_ids: list[UUID], as_of: date, products: ProductCache, options: PostingOptions | None) -> list[tuple[int, int, str]]:
    """One transaction of the accrual job over ``loan_ids``: what
    :func:`_accrue_in`, :func:`_check_minimum_repayment` and
    :func:`_update_dpd` do per loan, with one ``post_batch`` for the chunk
    and set-wise reads and writes."""
    rows = await _lock_chunk(conn, institution_id, loan_ids, as_of)
    if not rows:
        return []
    await _load_products(conn, institution_id, rows, products)
    ch = await _read_chunk(conn, institution_id, rows, as_of)
    ch.minimum_reps = await _minimum_repayments(conn, rows, {pid: p for pid, (p, _s) in products.items()})
    results: list[tuple[int, int, str]] = []
    firsts: list[date] = []
    for row in rows:
        product, sched = products[row.product_id]
        first = row.accrued_through + timedelta(days=1)
        results.append((*(_accrue_row(ch, row, first, product, sched) if first <= as_of else (0, 0)), row.currency))
        firsts.append(first)
    await _write_accruals(conn, ch, options)
    for row, first in zip(rows, firsts, strict=True):
        product = products[row.product_id][0]
        await _minimum_repayment_events(conn, ch, row, product, first)
        _dpd_change(ch, row, product)
    await _write_dpd_and_events(conn, ch)
    return results


async def _accrue_loan(ledger: Ledger, institution_id: UUID, loan_id: UUID, as_of: date, products: ProductCache) -> tuple[int, int]:
    """One loan's accrual in its own transaction (the per-loan path)."""

    async def work(conn: AsyncConnection) -> tuple[int, int]:
        out = await _accrue_chunk(conn, institution_id, [loan_id], as_of, products, ledger.options)
        return (out[0][0], out[0][1]) if out else (0, 0)

    return await run_in_transaction(ledger.engine, work, retry_on=is_idempotency_race)


async def _fin_accounts(conn: AsyncConnection, institution_id: UUID, row: Any) -> tuple[UUID, dict[str, UUID]]:
    """The financing ledger id and institution accounts of a disbursed
    loan's currency, read on ``conn`` (they exist since disbursement)."""
    acc = _loan_ids(row)
    fin: UUID = (await conn.execute(select(accounts_t.c.ledger_id).where(accounts_t.c.id == acc["principal"]))).scalar_one()
    codes = {f"fin:{k}:{row.currency}": k for k in INST_ACCOUNTS}
    rows = (await conn.execute(select(accounts_t.c.id, accounts_t.c.code).where(accounts_t.c.institution_id == institution_id, accounts_t.c.ledger_id == fin, accounts_t.c.code.in_(list(codes))))).all()
    return fin, {codes[r.code]: r.id for r in rows}


async def _accrue_in(conn: AsyncConnection, institution_id: UUID, row: Any, through: date, product: Product, sched: RateSchedule, *, options: PostingOptions | None = None) -> tuple[int, int]:
    """Post interest (and penalty on overdue principal, from the due date)
    for each day after ``row.accrued_through`` up to ``through``, carrying
    fractions; the caller holds the loan row (locked) in its transaction."""
    first = row.accrued_through + timedelta(days=1)
    if first > through:
        return 0, 0
    loan_id, cur = row.id, row.currency
    acc = _loan_ids(row)
    fin, inst = await _fin_accounts(conn, institution_id, row)
    principal = (await _balances(conn, {"principal": acc["principal"]}))["principal"]
    days = daycount.day_range(first, through)
    acc_i = daycount.accrue_days(principal, sched, product.day_count, days, daycount.carry_from_str(row.interest_carry))
    interest = sum(a.posted for a in acc_i)
    penalty, pcarry = _penalty(row, product, principal, days, _minimum_arrears(row, product, await _minimum_repayments(conn, [row], {row.product_id: product})))
    meta = {"loan_id": str(loan_id), "from": first.isoformat(), "through": through.isoformat(), "principal": format_minor(principal, cur), "currency": cur}
    items = []
    if interest:
        items.append(NewTransaction(fin, [Posting(acc["interest"], interest, "debit", cur), Posting(inst["interest-income"], interest, "credit", cur)],
                                    idempotency_key=f"loan:{loan_id}:interest:{first}:{through}", effective_date=through, description="interest accrual", metadata=meta))
    if penalty:
        items.append(NewTransaction(fin, [Posting(acc["penalty"], penalty, "debit", cur), Posting(inst["penalty-income"], penalty, "credit", cur)],
                                    idempotency_key=f"loan:{loan_id}:penalty:{first}:{through}", effective_date=through, description="penalty interest accrual", metadata=meta))
    if items:
        await _post(conn, institution_id, items, options)
    res = await conn.execute(
        update(financing_loans).where(financing_loans.c.id == loan_id, financing_loans.c.accrued_through == row.accrued_through).values(
            accrued_through=through, interest_carry=daycount.carry_to_str(acc_i[-1].carry), penalty_carry=daycount.carry_to_str(pcarry), updated_at=utc_now(),
        )
    )
    if res.rowcount != 1:
        raise LoanStateError(loan_id, "accrued concurrently", "one accrual run at a time")
    if interest or penalty:
        await emit_event(conn, institution_id, "loan.accrued", _accrued(loan_id, first, through, interest, penalty, cur))
    return interest, penalty


async def minimum_repayment_periods(conn: AsyncConnection, row: Any, product: Product, through: date) -> list[dict[str, Any]]:
    """F2: the 30-day periods of an order loan since disbursement ending on
    or before ``through``, with the minimum due (``min_repayment_bp_per_30d``
    of the disbursed principal), what was repaid in the period and the
    shortfall."""
    bp = product.minimum_repayment_bp()
    if not bp or row.disbursed_on is None:
        return []
    need = int((Decimal(row.approved_minor) * Decimal(bp) / Decimal(10000)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    reps = (await conn.execute(select(financing_loan_repayments.c.effective_date, financing_loan_repayments.c.amount_minor).where(financing_loan_repayments.c.loan_id == row.id))).all()
    out, k = [], 1
    while row.disbursed_on + timedelta(days=30 * k) <= through:
        start, end = row.disbursed_on + timedelta(days=30 * (k - 1)), row.disbursed_on + timedelta(days=30 * k)
        paid = sum(int(r.amount_minor) for r in reps if start <= r.effective_date < end)
        out.append({"period": k, "start": start, "end": end, "minimum_minor": need, "repaid_minor": paid, "shortfall_minor": max(0, need - paid)})
        k += 1
    return out


async def _check_minimum_repayment(conn: AsyncConnection, institution_id: UUID, row: Any, product: Product, first: date, through: date) -> None:
    """Raise ``loan.minimum_repayment_missed`` once for each 30-day period
    that closes (its end day falls in this accrual run) with a shortfall."""
    for p in await minimum_repayment_periods(conn, row, product, through):
        if first <= p["end"] <= through and p["shortfall_minor"] > 0:
            await emit_event(conn, institution_id, "loan.minimum_repayment_missed", _missed(row.id, p, row.currency))


async def minimum_repayment_status(ledger: Ledger, institution_id: UUID, loan_id: UUID, as_of: date) -> list[dict[str, Any]]:
    """The F2 minimum-repayment periods of an order loan up to ``as_of``."""
    async with ledger.engine.connect() as conn:
        row = await _row(conn, institution_id, loan_id)
        product = await get_product(conn, institution_id, row.product_id)
        return await minimum_repayment_periods(conn, row, product, as_of)


async def _update_dpd(conn: AsyncConnection, institution_id: UUID, row: Any, product: Product, as_of: date) -> None:
    bal = await _balances(conn, _loan_ids(row))
    owed = sum(bal.values())
    dpd = LS.days_past_due(row.schedule, row.due_date, owed, as_of)
    bucket = product.bucket(dpd)
    if dpd > 0 and not row.dpd:
        await notices.overdue(conn, institution_id, row.id, row.customer_id, row.currency, dpd, bucket, as_of, owed)
    if dpd != row.dpd or bucket != row.bucket:
        await conn.execute(update(financing_loans).where(financing_loans.c.id == row.id).values(dpd=dpd, bucket=bucket))
    if bucket != row.bucket:
        await conn.execute(financing_loan_dpd_history.insert().values(id=uuid7(), institution_id=institution_id, loan_id=row.id, as_of=as_of, dpd=dpd, bucket=bucket, created_at=utc_now()))
        await emit_event(conn, institution_id, "loan.bucket_changed", {"loan_id": str(row.id), "dpd": dpd, "from": row.bucket, "to": bucket, "npl": product.is_npl(bucket)})


# -- repayments ----------------------------------------------------------------------


def allocate(balances: dict[str, int], amount: int, order: list[str]) -> dict[str, int]:
    """Split ``amount`` over the components in ``order``, each capped at
    what it owes."""
    out, left = {}, amount
    for comp in order:
        take = min(left, max(0, balances.get(comp, 0)))
        if take:
            out[comp] = take
            left -= take
    return out


async def _apply_repayment(conn: AsyncConnection, institution_id: UUID, row: Any, amount: int, order: list[str], *, source: str, reference: str | None, on: date, key: str, ledger_options: PostingOptions | None = None) -> dict[str, int]:
    """Post the financing side of a repayment (Dr clearing / Cr components),
    record it, close a loan repaid in full."""
    acc = _loan_ids(row)
    bal = await _balances(conn, acc)
    alloc = allocate(bal, amount, order)
    if sum(alloc.values()) != amount:
        raise LoanInvalid("repayment exceeds what the loan owes", field="amount", currency=row.currency, owed=format_minor(sum(bal.values()), row.currency), amount=format_minor(amount, row.currency))
    clearing = (
        await conn.execute(select(accounts_t.c.id, accounts_t.c.ledger_id).where(accounts_t.c.institution_id == institution_id, accounts_t.c.code == f"fin:settlement-clearing:{row.currency}"))
    ).one()
    cur = row.currency
    postings = [Posting(clearing.id, amount, "debit", cur)] + [Posting(acc[c], a, "credit", cur) for c, a in alloc.items()]
    res = await _post(conn, institution_id, [NewTransaction(clearing.ledger_id, postings, idempotency_key=key, effective_date=on, description=f"loan repayment ({source})",
                                                           metadata={"loan_id": str(row.id), "source": source, "allocation": amounts_of(alloc, cur), "reference": reference})],
                       ledger_options)
    await conn.execute(financing_loan_repayments.insert().values(
        id=uuid7(), institution_id=institution_id, loan_id=row.id, source=source, amount_minor=amount, effective_date=on, allocation=alloc, transaction_id=res[0].transaction_id,
        reference=reference, created_at=utc_now(),
    ))
    if row.schedule:
        await _follow_schedule(conn, institution_id, row, amount - alloc.get("penalty", 0), {c: bal.get(c, 0) - alloc.get(c, 0) for c in COMPONENTS}, on)
    if sum(bal.values()) == amount:
        await conn.execute(update(financing_loans).where(financing_loans.c.id == row.id).values(status="repaid", dpd=0, updated_at=utc_now()))
        if row.bucket is not None:
            await conn.execute(financing_loan_dpd_history.insert().values(id=uuid7(), institution_id=institution_id, loan_id=row.id, as_of=on, dpd=0, bucket=None, created_at=utc_now()))
            await conn.execute(update(financing_loans).where(financing_loans.c.id == row.id).values(bucket=None))
    payload = {"loan_id": str(row.id), "source": source, "amount": format_minor(amount, cur), "currency": cur, "allocation": {c: format_minor(v, cur) for c, v in alloc.items()}}
    await emit_event(conn, institution_id, "loan.repaid" if sum(bal.values()) == amount else "loan.repayment", payload)
    return alloc


async def _follow_schedule(conn: AsyncConnection, institution_id: UUID, row: Any, amount: int, after: dict[str, int], on: date) -> None:
    """A repayment (less its penalty part) against the schedule: the
    instalments due by ``on``, earliest first; what is left is an early
    repayment that rebuilds the instalments not yet due by the product's
    prepayment rule on the principal left (``after``: balances after it)."""
    plan, left = LS.apply_payment(row.schedule, amount, on)
    if left > 0:
        product = await get_product(conn, institution_id, row.product_id)
        plan = LS.prepay(plan, on, left, after["principal"], after["fees"], await rate_schedule(conn, product), daycount.carry_from_str(row.interest_carry),
                         accrued_from=row.accrued_through + timedelta(days=1))
    values: dict[str, Any] = {"schedule": plan}
    if plan["instalments"]:
        values["due_date"] = LS.maturity(plan)
    await conn.execute(update(financing_loans).where(financing_loans.c.id == row.id).values(**values))


async def _replayed_repayment(ledger: Ledger, loan_id: UUID, reference: str, amount_minor: int, cur: str) -> bool:
    """True when a manual repayment with ``reference`` was already made
    for the same amount (a replay); a different amount is a conflict."""
    async with ledger.engine.connect() as conn:
        prior = (
            await conn.execute(
                select(financing_loan_repayments.c.amount_minor).where(
                    financing_loan_repayments.c.loan_id == loan_id, financing_loan_repayments.c.source == "manual", financing_loan_repayments.c.reference == reference
                )
            )
        ).first()
    if prior is None:
        return False
    if int(prior.amount_minor) != amount_minor:
        raise E.Conflict(f"repayment reference {reference!r} was used for another amount", reference=reference, amount=format_minor(int(prior.amount_minor), cur), currency=cur)
    return True


async def repay(
    ledger: Ledger, institution_id: UUID, loan_id: UUID, amount_minor: int, *, reference: str, on: date | None = None, actor: str = "system",
    release_collateral: bool = False, after: LoanHook | None = None,
) -> dict[str, Any]:
    """A manual repayment from the customer's current account, allocated by
    the product's waterfall.  Idempotent by ``reference``.  Refuses more
    than the loan owes and more than the account holds.  With
    ``release_collateral`` a repayment in full releases every asset the
    loan encumbered, in the same transaction."""
    if not isinstance(amount_minor, int) or amount_minor <= 0:
        raise LoanInvalid("amount must be a positive integer of minor units", field="amount")
    if not reference or len(reference) > 100:
        raise LoanInvalid("reference must be 1..100 characters", field="reference")
    loan = await get_loan(ledger, institution_id, loan_id)
    if await _replayed_repayment(ledger, loan_id, reference, amount_minor, loan["currency"]):
        mark_replayed()  # the HTTP layer answers Idempotent-Replayed: true
        return loan
    if loan["status"] not in ACTIVE:
        raise LoanStateError(loan_id, loan["status"], "active")
    product = await get_product(ledger.engine, institution_id, loan["product_id"])
    cur = loan["currency"]
    inst = await institution_accounts(ledger, institution_id, cur)
    current = await SA.customer_account(ledger, institution_id, loan["customer_id"], "current", cur)
    stl = await SA.settlement_ledger_id(ledger, institution_id)
    on = on or business_today()
    sched = await rate_schedule(ledger.engine, product)

    async def work(conn: AsyncConnection) -> dict[str, Any] | None:
        row = await _row(conn, institution_id, loan_id, lock=True)
        prior = (
            await conn.execute(select(financing_loan_repayments.c.id).where(
                financing_loan_repayments.c.loan_id == loan_id, financing_loan_repayments.c.source == "manual", financing_loan_repayments.c.reference == reference))
        ).first()
        if prior is not None:
            return None  # a concurrent replay
        if row.status not in ACTIVE:
            raise LoanStateError(loan_id, row.status, "active")
        # interest of the days before the repayment is on the principal before it
        await _accrue_in(conn, institution_id, row, on - timedelta(days=1), product, sched, options=ledger.options)
        row = await _row(conn, institution_id, loan_id)
        owed = sum((await _balances(conn, _loan_ids(row))).values())
        if amount_minor > owed:
            raise LoanInvalid("repayment exceeds what the loan owes", field="amount", currency=cur, owed=format_minor(owed, cur), amount=format_minor(amount_minor, cur))
        await _post(conn, institution_id, [NewTransaction(stl, [Posting(current, amount_minor, "debit", cur), Posting(inst["loans-clearing"], amount_minor, "credit", cur)],
                                                          idempotency_key=f"loan:{loan_id}:repay:{reference}:stl", effective_date=on, description="loan repayment from current account",
                                                          metadata={"loan_id": str(loan_id), "reference": reference})], ledger.options)
        alloc = await _apply_repayment(conn, institution_id, row, amount_minor, product.waterfall, source="manual", reference=reference, on=on, key=f"loan:{loan_id}:repay:{reference}:fin", ledger_options=ledger.options)
        await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="loan.repay", object_type="loan", object_id=str(loan_id),
                           after={"amount": format_minor(amount_minor, cur), "currency": cur, "allocation": amounts_of(alloc, cur)})
        await follow_repayment(conn, institution_id, loan_id)  # pledged goods follow the outstanding principal
        if release_collateral and (await _row(conn, institution_id, loan_id)).status == "repaid":
            await release_financing(conn, institution_id, str(loan_id))  # releasing the loan releases the assets
        return await _hand_over(conn, institution_id, loan_id, after)

    done = await run_in_transaction(ledger.engine, work, retry_on=is_idempotency_race)
    return done if done is not None else await get_loan(ledger, institution_id, loan_id)


@dataclass(frozen=True, slots=True)
class _Relief:
    """A sweep value-dated on or before the loan's last accrued day: what it
    takes, its allocation, the interest already accrued on the principal it
    repays for the days from its value date (handed back) and the carry."""

    take: int
    allocation: dict[str, int]
    interest_minor: int
    carry: Fraction


def _sweep_relief(row: Any, sched: RateSchedule, day_count: str, bal: dict[str, int], budget: int, order: list[str], on: date) -> _Relief:
    """How much of ``budget`` a sweep value-dated ``on`` takes, and the
    interest it hands back: the principal it repays stops bearing interest
    on ``on``, so the days ``on`` .. ``accrued_through`` already accrued on
    it are reversed exactly (with the carried fraction: the loan's posted
    interest becomes the floor of the exact day-by-day accrual with the
    repayment on ``on``).  Iterated because interest handed back is not
    owed, which lets more of the budget reach principal."""
    carry = daycount.carry_from_str(row.interest_carry)
    owed = sum(bal.values())
    days = daycount.day_range(on, row.accrued_through) if row.accrued_through is not None else []
    back, new_carry = 0, carry
    for _ in range(32):
        take = min(budget, owed - back)
        alloc = allocate({**bal, "interest": bal.get("interest", 0) - back}, take, order)
        excess = sum((a.exact for a in daycount.accrue_days(alloc.get("principal", 0), sched, day_count, days)), Fraction(0))
        rest = carry - excess
        nxt = min(-(rest.numerator // rest.denominator), max(0, bal.get("interest", 0)))
        new_carry = max(Fraction(0), rest + nxt)
        if nxt == back:
            break
        back = nxt
    return _Relief(take, alloc, back, new_carry)


async def _hand_back_interest(conn: AsyncConnection, institution_id: UUID, row: Any, relief: _Relief, on: date, key: str) -> None:
    """Post the interest a back-dated sweep hands back (Dr interest income /
    Cr the loan's interest) and set the carried fraction."""
    if relief.interest_minor:
        fin, inst = await _fin_accounts(conn, institution_id, row)
        cur = row.currency
        await _post(conn, institution_id, [NewTransaction(
            fin, [Posting(inst["interest-income"], relief.interest_minor, "debit", cur), Posting(_loan_ids(row)["interest"], relief.interest_minor, "credit", cur)],
            idempotency_key=key, effective_date=on, description="interest handed back: repayment value-dated before the accrued days",
            metadata={"loan_id": str(row.id), "from": on.isoformat(), "through": row.accrued_through.isoformat(), "currency": cur},
        )])
    await conn.execute(update(financing_loans).where(financing_loans.c.id == row.id).values(interest_carry=daycount.carry_to_str(relief.carry), updated_at=utc_now()))


async def loan_sweep_hook(
    conn: AsyncConnection, *, institution_id: UUID, customer_id: UUID, currency: str, available_minor: int, receipt_id: UUID | None = None, ledger_id: UUID | None = None,
    value_date: date | None = None, **_: Any,
) -> list[ProceedsShare]:
    """Proceeds hook (F2): a receipt credited to a merchant with active
    order loans in the receipt currency sends ``sweep_rate × net`` (rounded
    down, capped at what is owed) to the loans, oldest first, in the
    receipt's transaction; allocated by the product's sweep waterfall.
    The repayment is value-dated on the receipt's value date: interest runs
    on the swept principal up to the day before it, and what was already
    accrued on it from that day is handed back (:func:`_sweep_relief`)."""
    from .tables_loans import financing_products

    if available_minor <= 0:
        return []
    stmt = (
        select(financing_loans, financing_products.c.config)
        .join(financing_products, financing_products.c.id == financing_loans.c.product_id)
        .where(
            financing_loans.c.institution_id == institution_id, financing_loans.c.customer_id == customer_id, financing_loans.c.currency == currency,
            financing_loans.c.status.in_(ACTIVE), financing_products.c.kind.in_(swept_kinds()),
        )
        .order_by(financing_loans.c.disbursed_on, financing_loans.c.id)
    )
    if conn.dialect.name == "postgresql":  # concurrent receipts of one merchant sweep one at a time
        stmt = stmt.with_for_update(of=financing_loans)
    rows = (await conn.execute(stmt)).all()
    if not rows:
        return []
    clearing = (
        await conn.execute(select(accounts_t.c.id).where(accounts_t.c.institution_id == institution_id, accounts_t.c.ledger_id == ledger_id, accounts_t.c.code == SETTLEMENT_CLEARING_CODE.format(cur=currency)))
    ).first()
    if clearing is None:
        return []
    rate = Decimal(rows[0].config.get("sweep_rate", "0.20"))
    budget = int((Decimal(available_minor) * rate).to_integral_value(rounding=ROUND_DOWN))
    shares = []
    today = business_today()
    on = min(value_date or today, today)
    for row in rows:
        if budget <= 0:
            break
        product = await get_product(conn, institution_id, row.product_id)
        sched = await rate_schedule(conn, product)
        at = max(on, row.disbursed_on)  # a receipt value-dated before the loan repays it from its first day
        await _accrue_in(conn, institution_id, row, at - timedelta(days=1), product, sched)
        row = (await conn.execute(
            select(financing_loans, financing_products.c.config).join(financing_products, financing_products.c.id == financing_loans.c.product_id).where(financing_loans.c.id == row.id)
        )).one()
        order = row.config.get("sweep_waterfall") or row.config.get("waterfall") or list(COMPONENTS)
        relief = _sweep_relief(row, sched, product.day_count, await _balances(conn, _loan_ids(row)), budget, order, at)
        take = relief.take
        if take <= 0:
            continue
        budget -= take

        async def after(c: AsyncConnection, tx_id: UUID, loan_id: UUID = row.id, take: int = take, order: list[str] = order, sched: RateSchedule = sched, dc: str = product.day_count,
                        on: date = at) -> None:
            r = await _row(c, institution_id, loan_id)
            if r.accrued_through is not None and r.accrued_through >= on:  # back-dated: hand back what accrued on the swept principal
                rel = _sweep_relief(r, sched, dc, await _balances(c, _loan_ids(r)), take, order, on)
                await _hand_back_interest(c, institution_id, r, rel, on, f"loan:{loan_id}:sweep:{tx_id}:interest-back")
                r = await _row(c, institution_id, loan_id)
            await _apply_repayment(c, institution_id, r, take, order, source="sweep", reference=f"receipt:{receipt_id}" if receipt_id else None, on=on, key=f"loan:{loan_id}:sweep:{tx_id}")

        shares.append(ProceedsShare(
            credit_account_id=clearing.id, amount_minor=take, description=f"order loan sweep ({row.id})"[:500],
            metadata={"share": "loan_sweep", "loan_id": str(row.id), "sweep_rate": str(rate)}, after=after,
        ))
    return shares


async def customers_with_order_loans(conn: AsyncConnection, institution_id: UUID, customer_ids: list[UUID]) -> set[UUID]:
    """Prefilter of the sweep hook for bulk receipts: which of
    ``customer_ids`` have an active order loan."""
    from .tables_loans import financing_products

    out: set[UUID] = set()
    ids = list(customer_ids)
    for i in range(0, len(ids), 500):
        rows = (
            await conn.execute(
                select(financing_loans.c.customer_id).distinct()
                .join(financing_products, financing_products.c.id == financing_loans.c.product_id)
                .where(
                    financing_loans.c.institution_id == institution_id, financing_loans.c.customer_id.in_(ids[i : i + 500]),
                    financing_loans.c.status.in_(ACTIVE), financing_products.c.kind.in_(swept_kinds()),
                )
            )
        ).all()
        out.update(r.customer_id for r in rows)
    return out


def register_loan_sweep() -> bool:
    """Register :func:`loan_sweep_hook` with the receipts service (called by
    ``api.bootstrap.register_hooks``; registering twice keeps one)."""
    from settlement.receipts import register_proceeds_hook

    loan_sweep_hook.prefilter = customers_with_order_loans  # type: ignore[attr-defined]
    register_proceeds_hook("loan_sweep", loan_sweep_hook)
    return True


# -- write-off -----------------------------------------------------------------------


async def check_write_off(ledger: Ledger, institution_id: UUID, loan_id: UUID, *, reason: str) -> dict[str, Any]:
    """What :func:`write_off` checks before it posts, changing nothing: the
    reason, the loan (``NotFound``) and its state (:class:`LoanStateError`).
    Returns the loan."""
    if not reason or not reason.strip():
        raise LoanInvalid("a write-off states its reason", field="reason")
    loan = await get_loan(ledger, institution_id, loan_id)
    if loan["status"] not in ACTIVE:
        raise LoanStateError(loan_id, loan["status"], "active")
    return loan


async def write_off(ledger: Ledger, institution_id: UUID, loan_id: UUID, *, reason: str, on: date | None = None, actor: str = "system") -> dict[str, Any]:
    """Write off what an active loan still owes (every component) to the
    write-off expense account; the loan stops accruing."""
    loan = await check_write_off(ledger, institution_id, loan_id, reason=reason)
    cur = loan["currency"]
    inst = await institution_accounts(ledger, institution_id, cur)
    fin = await financing_ledger_id(ledger, institution_id)
    on = on or business_today()

    async def work(conn: AsyncConnection) -> None:
        row = await _row(conn, institution_id, loan_id, lock=True)
        if row.status not in ACTIVE:
            raise LoanStateError(loan_id, row.status, "active")
        acc = _loan_ids(row)
        bal = await _balances(conn, acc)
        total = sum(v for v in bal.values() if v > 0)
        if total:
            postings = [Posting(inst["writeoff-expense"], total, "debit", cur)] + [Posting(acc[c], v, "credit", cur) for c, v in bal.items() if v > 0]
            await _post(conn, institution_id, [NewTransaction(fin, postings, idempotency_key=f"loan:{loan_id}:writeoff", effective_date=on, description="loan write-off",
                                                              metadata={"loan_id": str(loan_id), "reason": reason[:300], "components": amounts_of(bal, cur), "currency": cur})], ledger.options)
        await conn.execute(update(financing_loans).where(financing_loans.c.id == loan_id).values(status="written_off", written_off_minor=total, updated_at=utc_now()))
        await emit_event(conn, institution_id, "loan.written_off", {
            "loan_id": str(loan_id), "amount": format_minor(total, cur), "currency": cur, "components": {c: format_minor(v, cur) for c, v in bal.items()}, "dpd": row.dpd, "bucket": row.bucket,
        })
        await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="loan.write_off", object_type="loan", object_id=str(loan_id),
                           before={"status": row.status}, after={"status": "written_off", "amount": format_minor(total, cur), "currency": cur, "reason": reason[:300]})

    await run_in_transaction(ledger.engine, work)
    return await get_loan(ledger, institution_id, loan_id)


# -- portfolio -----------------------------------------------------------------------


async def portfolio(ledger: Ledger, institution_id: UUID) -> dict[str, Any]:
    """Active loans: outstanding per currency (by component), DPD buckets
    (count and outstanding per currency), NPL ratio per currency
    (outstanding in non-performing buckets / outstanding, a Decimal) and
    exposure per merchant (customer id → currency → outstanding)."""
    from .products import _from_row
    from .tables_loans import financing_products

    async with ledger.engine.connect() as conn:
        prods = {r.id: _from_row(r) for r in (await conn.execute(select(financing_products).where(financing_products.c.institution_id == institution_id))).all()}
        rows = (await conn.execute(select(financing_loans).where(financing_loans.c.institution_id == institution_id, financing_loans.c.status.in_(ACTIVE)))).all()
        outstanding: dict[str, dict[str, int]] = {}
        buckets: dict[str, dict[str, dict[str, int]]] = {}
        npl: dict[str, int] = {}
        exposure: dict[str, dict[str, int]] = {}
        for row in rows:
            bal = await _balances(conn, _loan_ids(row))
            total = sum(bal.values())
            cur = row.currency
            o = outstanding.setdefault(cur, {c: 0 for c in (*COMPONENTS, "total")})
            for c, v in bal.items():
                o[c] += v
            o["total"] += total
            b = buckets.setdefault(cur, {})
            name = row.bucket or "current"
            slot = b.setdefault(name, {"loans": 0, "outstanding_minor": 0})
            slot["loans"] += 1
            slot["outstanding_minor"] += total
            if prods[row.product_id].is_npl(row.bucket):
                npl[cur] = npl.get(cur, 0) + total
            e = exposure.setdefault(str(row.customer_id), {})
            e[cur] = e.get(cur, 0) + total
    ratio = {cur: (Decimal(npl.get(cur, 0)) / Decimal(o["total"])).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if o["total"] else Decimal(0) for cur, o in outstanding.items()}
    return {"outstanding": outstanding, "buckets": buckets, "npl_minor": npl, "npl_ratio": ratio, "exposure": exposure, "loans": len(rows)}


async def repay_from_claim(ledger: Ledger, institution_id: UUID, loan_id: UUID, claim_payment: ClaimPayment, *, on: date | None = None, actor: str = "system") -> dict[str, Any]:
    """F4: an export credit insurer's claim payment repays the loan.

    The indemnity is assigned to the lender, so the payment arrives at the
    institution (``inst:nostro``) for the merchant: it is credited to the
    merchant's current account and what the loan owes is repaid from it at
    once (by the waterfall); the rest stays with the merchant.  Idempotent
    by the claim.  ``claim_payment`` comes from ``financing.collateral.insurance.record_claim_payment``."""
    from ledger.model import NewTransaction as _NT
    from ledger.model import Posting as _P

    loan = await get_loan(ledger, institution_id, loan_id)
    if claim_payment.financing_ref != str(loan_id):
        raise LoanInvalid("the claim belongs to another financing", field="claim")
    cur = claim_payment.currency
    if cur != loan["currency"]:
        raise LoanInvalid("the claim is paid in another currency than the loan", field="claim")
    nostro = await SA.institution_account(ledger, institution_id, "nostro", cur)
    current = await SA.customer_account(ledger, institution_id, loan["customer_id"], "current", cur)
    stl = await SA.settlement_ledger_id(ledger, institution_id)
    await ledger.post(institution_id, _NT(stl, [_P(nostro, claim_payment.paid_minor, "debit", cur), _P(current, claim_payment.paid_minor, "credit", cur)],
                                         idempotency_key=f"claim:{claim_payment.claim_id}:in", effective_date=on or business_today(),
                                         description="credit-insurance claim payment", metadata={"claim_id": str(claim_payment.claim_id), "loan_id": str(loan_id)}))
    await accrue(ledger, institution_id, (on or business_today()) - timedelta(days=1)) if loan["status"] in ACTIVE else None
    owed = (await get_loan(ledger, institution_id, loan_id))["outstanding_minor"]
    amount = min(owed, claim_payment.paid_minor)
    if amount > 0 and loan["status"] in ACTIVE:
        await repay(ledger, institution_id, loan_id, amount, reference=f"claim:{claim_payment.claim_id}", on=on, actor=actor)
    return await get_loan(ledger, institution_id, loan_id)
