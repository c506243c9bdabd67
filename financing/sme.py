"""The SME self-service units of work (#17 item 4).

An SME user acts for its own merchant only (:class:`financing.applications.Caller`
with ``sme=True``): every function here starts from the caller's own customer,
so another merchant's loan is ``NotFound`` (like another institution's) and
another merchant's assets and accounts are never read.

* :func:`eligible_assets` -- what the merchant could finance: platform orders
  matched (three documents) and not encumbered in the asset registry, verified
  warehouse receipts not pledged, insured receivables not financed; each with
  the advance it would give (under a product, when one is named);
* :func:`customer_accounts` -- the merchant's own settlement accounts with
  their balances (read only);
* :func:`statement` -- every posting of a loan's ledger accounts, oldest
  first, with the running balance (what the loan owes after it), and
  :func:`next_due` -- the next scheduled amount still unpaid;
* :func:`decline` / :func:`repay` -- the SME's own steps: decline an offer;
  repay from its own current account (never another account).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.clock import business_today
from ledger.schema import accounts as accounts_t
from ledger.schema import postings as postings_t
from ledger.schema import transactions as transactions_t
from ledger.service import Ledger
from settlement import accounts as SA
from settlement.tables_tradedata import trade_orders

from . import applications as A
from . import loans as L
from . import notices
from . import products as P
from .collateral.binding import wr_config
from .collateral.common import INSURED_RECEIVABLE, ORDER, WAREHOUSE_RECEIPT, CollateralConfig, floor_int
from .collateral.errors import NoCollateralPrice
from .collateral.insurance import insured_advance
from .collateral.orders import order_ref
from .collateral.registry import order_asset_key, taken_keys
from .collateral.warehouse import value_goods
from .kinds import product_kind
from .tables_collateral import financing_insurance_policies, financing_insured_receivables, financing_warehouse_receipts

Row = dict[str, Any]

#: the asset kinds in list order (the first element of every cursor key)
ASSET_KINDS = (INSURED_RECEIVABLE, ORDER, WAREHOUSE_RECEIPT)
#: orders read per query while skipping the ones already financed
_ORDER_BATCH = 200


async def _own(ledger: Ledger, caller: A.Caller) -> UUID:
    own = await A.own_customer(ledger, caller)
    if own is None:  # pragma: no cover - the routes admit SME users only
        raise E.LedgerError("the self-service functions act for an SME user's own merchant")
    return own


async def own_loan(ledger: Ledger, caller: A.Caller, loan_id: UUID) -> Row:
    """The caller's own loan (another merchant's or institution's: ``NotFound``)."""
    own = await _own(ledger, caller)
    loan = await L.get_loan(ledger, caller.institution_id, loan_id)
    if loan["customer_id"] != own:
        raise E.NotFound("loan", loan_id)
    return loan


async def notifications(ledger: Ledger, caller: A.Caller, *, after: UUID | None = None, limit: int = 50) -> list[Row]:
    """The caller's merchant's notifications (offer ready, payment due,
    overdue, margin call), newest first; never another merchant's."""
    return await notices.list_for_customer(ledger.engine, caller.institution_id, await _own(ledger, caller), after=after, limit=limit)


# -- eligible assets ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scope:
    """What an asset listing reads: the institution, the merchant, the
    product (None: the rulebook's default advance for every kind)."""

    conn: AsyncConnection
    institution_id: UUID
    customer_id: UUID
    product: P.Product | None
    as_of: date

    def prices(self, kind: str, currency: str) -> bool:
        """Whether an asset of ``kind`` in ``currency`` gets an advance under the product."""
        return self.product is None or (product_kind(self.product.kind).collateral == kind and self.product.currency == currency)


def _asset(kind: str, key: list[str], ref: str, currency: str, value: int | None, advance: int | None, details: dict[str, Any]) -> Row:
    return {"kind": kind, "key": [kind, *key], "ref": ref, "currency": currency, "value_minor": value, "advance_minor": advance, "details": details}


async def _orders(s: _Scope, after: Sequence[str] | None, want: int) -> list[Row]:
    """Matched orders of the merchant with value left, not financed anywhere, by (platform, id)."""
    t = trade_orders.c
    cfg = CollateralConfig()
    out: list[Row] = []
    cursor = tuple(after) if after else None
    while len(out) < want:
        stmt = select(trade_orders).where(
            t.institution_id == s.institution_id, t.customer_id == s.customer_id, t.match_status.in_(cfg.order_eligible_statuses), t.amount_minor > t.refunded_minor,
        )
        if cursor is not None:
            stmt = stmt.where(or_(t.platform_code > cursor[0], and_(t.platform_code == cursor[0], t.external_id > cursor[1])))
        batch = (await s.conn.execute(stmt.order_by(t.platform_code, t.external_id).limit(_ORDER_BATCH))).all()
        taken = await taken_keys(s.conn, [order_asset_key(r.platform_code, r.external_id) for r in batch])
        for r in batch:
            if order_asset_key(r.platform_code, r.external_id) in taken:
                continue
            value = int(r.amount_minor - r.refunded_minor)
            advance = floor_int(cfg.order_advance_rate * value) if s.prices(ORDER, r.currency) else None
            details = {"platform_code": r.platform_code, "order_id": r.external_id, "order_date": r.order_date.isoformat(), "match_status": r.match_status}
            out.append(_asset(ORDER, [r.platform_code, r.external_id], order_ref(r.platform_code, r.external_id), r.currency, value, advance, details))
        if len(batch) < _ORDER_BATCH:
            break
        cursor = (batch[-1].platform_code, batch[-1].external_id)
    return out[:want]


async def _receipts(s: _Scope, after: Sequence[str] | None, want: int) -> list[Row]:
    """Verified warehouse receipts of the merchant (not pledged), valued at
    the latest price less the haircut; the advance is the initial LTV
    (the product's ``max_ltv``, default 60 %) of the value."""
    t = financing_warehouse_receipts.c
    stmt = select(financing_warehouse_receipts).where(t.institution_id == s.institution_id, t.customer_id == s.customer_id, t.status == "verified")
    if after:
        stmt = stmt.where(t.id > UUID(str(after[0])))
    rows = (await s.conn.execute(stmt.order_by(t.id).limit(want))).all()
    cfg = wr_config(s.product.config() if s.product is not None else None)
    currency = s.product.currency if s.product is not None else None
    out = []
    for r in rows:
        value = advance = None
        if currency is not None:
            try:
                val = await value_goods(s.conn, s.institution_id, r.goods_type, Decimal(r.quantity), currency, s.as_of)
            except (NoCollateralPrice, E.InvalidInput):
                val = None  # no price or haircut yet: shown without a value
            if val is not None:
                value = val.value_minor
                advance = floor_int(cfg.wr_initial_ltv_max * value) if s.prices(WAREHOUSE_RECEIPT, currency) else None
        details = {"receipt_id": str(r.id), "receipt_number": r.receipt_number, "issuer": r.issuer, "goods_type": r.goods_type, "quantity": r.quantity, "unit": r.unit, "location": r.location}
        out.append(_asset(WAREHOUSE_RECEIPT, [str(r.id)], f"warehouse_receipt:{r.id}", currency or "", value, advance, details))
    return out


async def _receivables(s: _Scope, after: Sequence[str] | None, want: int) -> list[Row]:
    """Insured receivables under the merchant's policies, declared or
    released (not financed, claimed or indemnified); the advance is the
    insurance advance rate x coverage x min(receivable, buyer limit left)."""
    r_, p_ = financing_insured_receivables.c, financing_insurance_policies.c
    stmt = (
        select(financing_insured_receivables, p_.valid_until)
        .join(financing_insurance_policies, p_.id == r_.policy_id)
        .where(r_.institution_id == s.institution_id, p_.institution_id == s.institution_id, p_.customer_id == s.customer_id, r_.status.in_(("declared", "released")),
               or_(p_.valid_until.is_(None), p_.valid_until >= s.as_of))  # no new advance on an expired policy
    )
    if after:
        stmt = stmt.where(r_.id > UUID(str(after[0])))
    rows = (await s.conn.execute(stmt.order_by(r_.id).limit(want))).all()
    out = []
    for r in rows:
        adv = await insured_advance(s.conn, s.institution_id, r.id)
        advance = adv.max_advance_minor if s.prices(INSURED_RECEIVABLE, r.currency) else None
        details = {
            "receivable_id": str(r.id), "policy_id": str(r.policy_id), "buyer_ref": r.buyer_ref, "invoice_number": r.invoice_number, "due_date": r.due_date.isoformat(),
            "policy_valid_until": r.valid_until.isoformat() if r.valid_until else None,
        }
        out.append(_asset(INSURED_RECEIVABLE, [str(r.id)], f"insured_receivable:{r.id}", r.currency, int(r.amount_minor), advance, details))
    return out


_FETCH: dict[str, Callable[[_Scope, Sequence[str] | None, int], Awaitable[list[Row]]]] = {
    INSURED_RECEIVABLE: _receivables, ORDER: _orders, WAREHOUSE_RECEIPT: _receipts,
}


def check_asset_cursor(after: Sequence[Any]) -> None:
    """``InvalidInput`` unless ``after`` is an asset cursor key."""
    ok = len(after) >= 2 and after[0] in ASSET_KINDS and all(isinstance(x, str) for x in after)
    if ok and after[0] != ORDER:
        try:
            UUID(after[1])
        except ValueError:
            ok = False
    if not ok or (after[0] == ORDER and len(after) != 3):
        raise E.InvalidInput("not a cursor returned by this API", field="cursor")


async def eligible_assets(ledger: Ledger, caller: A.Caller, *, product_id: UUID | None = None, after: Sequence[Any] | None = None, limit: int = 50) -> list[Row]:
    """The merchant's assets that could back a financing, by kind then key
    (a keyset page: ``after`` is the last row's ``key``); with
    ``product_id`` the advance is the product's, and assets the product
    cannot take (another kind or currency) have none."""
    own = await _own(ledger, caller)
    product = await P.get_product(ledger.engine, caller.institution_id, product_id) if product_id is not None else None
    if after is not None:
        check_asset_cursor(after)
    out: list[Row] = []
    async with ledger.engine.connect() as conn:
        scope = _Scope(conn, caller.institution_id, own, product, business_today())
        for kind in ASSET_KINDS:
            if after is not None and kind < after[0]:
                continue
            start = list(after[1:]) if after is not None and kind == after[0] else None
            out += await _FETCH[kind](scope, start, limit - len(out))
            if len(out) >= limit:
                break
    return out


# -- accounts ----------------------------------------------------------------------------


async def customer_accounts(ledger: Ledger, caller: A.Caller, *, after: str | None = None, limit: int = 50) -> list[Row]:
    """The merchant's own settlement accounts (current, pending, suspense,
    CNY) by code, with posted balance and what is available (posted less
    pending debits).  Loan accounts are not the merchant's money and are
    not listed (see the loan's statement)."""
    own = await _own(ledger, caller)
    stl = await SA.settlement_ledger_id(ledger, caller.institution_id)
    a = accounts_t.c
    stmt = select(accounts_t).where(a.institution_id == caller.institution_id, a.ledger_id == stl, a.owner_ref == str(own), a.code.like(f"cust:{own}:%"))
    if after is not None:
        stmt = stmt.where(a.code > after)
    async with ledger.engine.connect() as conn:
        rows = (await conn.execute(stmt.order_by(a.code).limit(limit))).all()
    out = []
    for r in rows:
        balance = int(r.credits_posted) - int(r.debits_posted)
        kind = (r.metadata or {}).get("account_kind") or r.code.split(":")[2]
        out.append({"id": r.id, "code": r.code, "kind": kind, "currency": r.currency, "balance_minor": balance, "available_minor": balance - int(r.debits_pending), "closed": bool(r.closed)})
    return out


# -- statement and next due ----------------------------------------------------------------


def _after_clause(after: tuple[int, int]) -> Any:
    p, t = postings_t.c, transactions_t.c
    seq, line = after
    return or_(t.seq > seq, and_(t.seq == seq, p.line_no > line))


async def statement(ledger: Ledger, caller: A.Caller, loan_id: UUID, *, after: tuple[int, int] | None = None, limit: int = 50) -> dict[str, Any]:
    """Every posting of the loan's ledger accounts (principal, interest,
    fees, penalty; all in the financing ledger), oldest first (the
    ledger's transaction sequence, then the line), each with
    ``balance_minor``: what the loan owes after it (debits of its asset
    accounts less credits).  A keyset page: ``after`` is the last line's
    (seq, line_no); the running balance continues from the postings before
    it.  Returns the loan and the lines."""
    loan = await own_loan(ledger, caller, loan_id)
    ids = {UUID(v): k for k, v in (loan.get("accounts") or {}).items()}
    if not ids:
        return {"loan": loan, "lines": []}
    p, t = postings_t.c, transactions_t.c
    mine = and_(p.institution_id == caller.institution_id, p.account_id.in_(list(ids)), p.phase == "posted", t.id == p.transaction_id)
    stmt = select(t.seq, p.transaction_id, p.line_no, p.account_id, p.amount, p.effective_date, p.recorded_at, t.description).where(mine)
    async with ledger.engine.connect() as conn:
        before = 0
        if after is not None:
            stmt = stmt.where(_after_clause(after))
            before = int((await conn.execute(select(func.coalesce(func.sum(p.amount), 0)).where(mine, ~_after_clause(after)))).scalar() or 0)
        rows = (await conn.execute(stmt.order_by(t.seq, p.line_no).limit(limit))).all()
    lines, running = [], before
    for r in rows:
        running += int(r.amount)
        lines.append({
            "seq": int(r.seq), "transaction_id": r.transaction_id, "line_no": r.line_no, "recorded_at": r.recorded_at, "effective_date": r.effective_date, "component": ids[r.account_id],
            "side": "debit" if r.amount > 0 else "credit", "amount_minor": abs(int(r.amount)), "description": r.description, "balance_minor": running,
        })
    return {"loan": loan, "lines": lines}


def next_due(loan: Row, repaid_minor: int) -> dict[str, Any] | None:
    """The next instalment of the loan's own schedule (stored at
    disbursement, see ``financing.loan_schedule``); for a loan disbursed
    before schedules were stored, the next instalment of its offer not yet
    covered by what was repaid (every repayment, manual or swept, counts
    against the instalments in due order): ``due_date``, ``number`` and
    ``amount_minor`` (what is left of the scheduled amounts up to it:
    interest counted as scheduled, though it accrues day by day).  None
    when the loan is not active or owes nothing."""
    if loan["status"] not in L.ACTIVE or loan.get("outstanding_minor", 0) <= 0:
        return None
    stored = loan.get("next_instalment")
    if stored is not None:  # the loan's own schedule (stored at disbursement, kept by repayments)
        return {"due_date": stored["due_date"], "number": stored["number"], "amount_minor": int(stored["amount_minor"])}
    if loan.get("schedule"):  # every instalment paid: what is left (interest past the schedule, penalties) is due now
        return {"due_date": loan.get("due_date") or business_today(), "number": None, "amount_minor": int(loan["outstanding_minor"])}
    schedule = (loan.get("offer") or {}).get("schedule") or []
    cumulative = 0
    for i, item in enumerate(schedule, start=1):
        cumulative += sum(int(item.get(k) or 0) for k in ("principal_minor", "interest_minor", "fee_minor"))
        if cumulative > repaid_minor:
            return {"due_date": date.fromisoformat(str(item["due_date"])), "number": item.get("number", i), "amount_minor": cumulative - repaid_minor}
    # beyond the schedule (interest accrued past it, penalties): all that is owed, due now
    return {"due_date": loan.get("due_date") or business_today(), "number": None, "amount_minor": int(loan["outstanding_minor"])}


async def repaid_minor(ledger: Ledger, institution_id: UUID, loan_id: UUID) -> int:
    return sum(int(r["amount_minor"]) for r in await L.repayments(ledger, institution_id, loan_id))


# -- the SME's own steps ---------------------------------------------------------------------


async def decline(ledger: Ledger, caller: A.Caller, loan_id: UUID) -> Row:
    """Decline the offer of the caller's own loan (``offered`` only: else 409 ``loan_state``)."""
    await own_loan(ledger, caller, loan_id)
    return await L.decline_offer(ledger, caller.institution_id, loan_id, actor=caller.actor)


async def accept(ledger: Ledger, caller: A.Caller, loan_id: UUID) -> Row:
    await own_loan(ledger, caller, loan_id)
    return await L.accept(ledger, caller.institution_id, loan_id, actor=caller.actor)


async def repay(ledger: Ledger, caller: A.Caller, loan_id: UUID, *, amount: str, reference: str) -> Row:
    """Repay the caller's own loan today from its own current account in
    the loan currency (the only account it can pay from), allocated by the
    product's waterfall; idempotent by ``reference``.  More than the
    current account holds is ``InsufficientFunds`` and nothing is posted."""
    await own_loan(ledger, caller, loan_id)
    return await A.repay(ledger, caller, loan_id, amount=amount, reference=reference)
