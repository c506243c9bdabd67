"""Ledger routes: ledgers, accounts, transactions (single, batch, two-phase,
reversal), balances, statements, trial balance, chain verification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from ledger import errors as E
from ledger.events import emit_event, record_audit, rows_only
from ledger.model import Item, NewTransaction, Posting, PostPending, Result, Reverse, VoidPending
from ledger.money import format_minor, parse_amount
from ledger.service import encode_cursor as statement_cursor

from .. import models as M
from ..auth import Principal, require
from ..context import AppContext
from ..deps import CtxDep, LedgerDep, app_context
from ..fields import IsoDate, IsoDateTime, QueryBool
from ..idempotency import Claim, StoredAnswer, current_claim, idempotency_key_header, run_idempotent
from ..paging import Page, PageQuery, encode_cursor, invalid_cursor, page_query
from ..problems import COMMON_ERRORS, exception_to_response, problem_of
from ..responses import json_response as _json

router = APIRouter(prefix="/v1", tags=["ledger"], responses=COMMON_ERRORS)

READ = require("system", "admin", "finance", "approver", scope="ledger:read")
WRITE = require("system", "finance", scope="ledger:write")
ADMIN = require("system", "admin", scope="ledger:write")
#: ?limit= (1 to 1000, default 100) and ?cursor= of every list here
PAGE = page_query(100)


def _ctx(request: Request) -> AppContext:
    return app_context(request)


def _acct_out(a) -> M.AccountOut:
    c = a.currency
    return M.AccountOut(
        id=a.id, ledger_id=a.ledger_id, code=a.code, name=a.name, currency=c, type=a.type, owner_ref=a.owner_ref, metadata=a.metadata,
        debits_must_not_exceed_credits=a.debits_must_not_exceed_credits, credits_must_not_exceed_debits=a.credits_must_not_exceed_debits,
        closed=a.closed, posted=format_minor(a.posted, c), available=format_minor(a.available, c),
        debits_posted=format_minor(a.debits_posted, c), credits_posted=format_minor(a.credits_posted, c),
        debits_pending=format_minor(a.debits_pending, c), credits_pending=format_minor(a.credits_pending, c), created_at=a.created_at,
    )


def _tx_out(v) -> M.TransactionOut:
    return M.TransactionOut(
        id=v.id, ledger_id=v.ledger_id, seq=v.seq, kind=v.kind, effective_date=v.effective_date, recorded_at=v.recorded_at,
        description=v.description, metadata=v.metadata, pending_id=v.pending_id, reverses_id=v.reverses_id, expires_at=v.expires_at,
        pending_state=v.pending_state, reversed_by=v.reversed_by, hash=v.hash,
        postings=[
            M.PostingOut(line_no=p.line_no, account_id=p.account_id, side=p.side, amount=format_minor(abs(p.amount), p.currency), currency=p.currency, phase=p.phase)
            for p in v.postings
        ],
    )


def _postings(items: list[M.PostingIn], prefix: str = "") -> list[Posting]:
    """The postings of a request, amounts parsed strictly (field names like
    ``postings[0].amount``, or ``transactions[3].postings[0].amount``)."""
    return [Posting(p.account_id, parse_amount(p.amount, p.currency, field=f"{prefix}postings[{n}].amount"), p.side, p.currency) for n, p in enumerate(items)]


def cursor_key(page: PageQuery, kind: str, *types: Callable[[Any], Any]) -> list[Any] | None:
    """The sort key of the previous page's last row, each part converted by
    ``types`` (``str``, ``int``, ``UUID``); 422 ``invalid_cursor`` when the
    cursor does not hold such a key."""
    after = page.after(kind)
    if after is None:
        return None
    if len(after) != len(types):
        raise invalid_cursor("this cursor was altered")
    try:
        out = []
        for conv, value in zip(types, after, strict=True):
            if conv is int and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError
            if conv is str and not isinstance(value, str):
                raise ValueError
            out.append(conv(value))
        return out
    except (TypeError, ValueError):
        raise invalid_cursor("this cursor was altered") from None


def _ledger_out(x) -> M.LedgerOut:
    return M.LedgerOut(id=x.id, code=x.code, name=x.name, created_at=x.created_at, chain_seq=x.chain_seq, chain_head=x.chain_head)


def _event_hook(request: Request, principal: Principal, action: str):
    """Inside the posting's database transaction: the outbox event and the
    audit entry, so they exist exactly when the posting does."""
    request_id = getattr(request.state, "request_id", None)

    @rows_only
    async def after(conn, result: Result) -> None:
        if not result.ok or result.replayed:
            return
        payload = {"transaction_id": str(result.transaction_id), "action": action}
        await emit_event(conn, principal.institution_id, "transaction.posted", payload)
        await record_audit(
            conn, institution_id=principal.institution_id, actor_type=principal.actor_type, actor_id=str(principal.actor_id),
            action=action, object_type="transaction", object_id=str(result.transaction_id), after=payload, request_id=request_id,
        )

    return after


async def _posted_response(request: Request, principal: Principal, result: Result) -> Response:
    assert result.transaction_id is not None  # a posted result names its transaction
    view = await _ctx(request).ledger.get_transaction(principal.institution_id, result.transaction_id)
    return _json(201, _tx_out(view))


def _storing_hook(request: Request, principal: Principal, action: str, claim: Claim | None):
    """The event hook, and then the request's answer stored as its
    idempotency record in the same database transaction: built from the
    posting as written (201) or from its refusal (the problem document).
    A replay of an earlier posting is answered after the commit, by a read."""
    events = _event_hook(request, principal, action)

    @rows_only
    async def after(conn, result: Result) -> None:
        await events(conn, result)
        if claim is None:
            return
        if result.view is not None:
            await claim.store(conn, result, _json(201, _tx_out(result.view)))
        elif result.error is not None and not result.ok:
            await claim.store(conn, result, exception_to_response(result.error))

    return after


async def _post_one(request: Request, principal: Principal, ledger: Any, item: Item, action: str) -> Response:
    """Post ``item`` through group commit: one durable commit holds the
    transaction, its audit row and outbox event, and the stored answer."""
    claim = current_claim()
    res = await ledger.post(principal.institution_id, item, after=_storing_hook(request, principal, action, claim), raise_on_error=False)
    stored = None if claim is None else claim.take(res)
    if stored is not None:
        return stored
    if res.error is not None and not res.ok:
        raise res.error
    return await _posted_response(request, principal, res)


# -- ledgers ------------------------------------------------------------------------


_CREATE_DOC = "Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte."


@router.post("/ledgers", status_code=201, response_model=M.LedgerOut, summary="Create a ledger", description=_CREATE_DOC)
async def create_ledger(body: M.LedgerIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        led = await ctx.ledger.create_ledger(principal.institution_id, body.code, body.name)
        await ctx.audit(request, principal, "ledger.create", "ledger", led.id, after={"code": led.code, "name": led.name})
        return _json(201, _ledger_out(led))

    return await run_idempotent(request, principal, handler)


@router.get("/ledgers", response_model=Page[M.LedgerOut], summary="List ledgers (by code)")
async def list_ledgers(request: Request, ledger: LedgerDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)):
    after = cursor_key(page, "ledgers", str)
    leds = await ledger.list_ledgers(principal.institution_id, after_code=None if after is None else after[0], limit=page.limit + 1)
    return page.build("ledgers", leds, key=lambda x: [x.code], out=_ledger_out)


@router.get("/ledgers/{ledger_id}", response_model=M.LedgerOut, summary="Get a ledger")
async def get_ledger(ledger_id: UUID, request: Request, ledger: LedgerDep, principal: Principal = Depends(READ)):
    return _ledger_out(await ledger.get_ledger(principal.institution_id, ledger_id))


# -- accounts ------------------------------------------------------------------------


@router.post("/ledgers/{ledger_id}/accounts", status_code=201, response_model=M.AccountOut, summary="Open an account", description=_CREATE_DOC)
async def create_account(
    ledger_id: UUID, body: M.AccountIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header),
):
    async def handler(key: str) -> Response:
        acct = await ctx.ledger.create_account(
            principal.institution_id, ledger_id, body.code, body.currency, body.type, name=body.name, owner_ref=body.owner_ref,
            metadata=body.metadata, debits_must_not_exceed_credits=body.debits_must_not_exceed_credits,
            credits_must_not_exceed_debits=body.credits_must_not_exceed_debits,
        )
        await ctx.audit(request, principal, "account.create", "account", acct.id, after=body.model_dump(mode="json"))
        return _json(201, _acct_out(acct))

    return await run_idempotent(request, principal, handler)


@router.get("/ledgers/{ledger_id}/accounts", response_model=Page[M.AccountOut], summary="List accounts by code (by owner or metadata value)")
async def list_accounts(
    ledger_id: UUID,
    request: Request,
    owner_ref: str | None = Query(default=None, max_length=128),
    meta_key: str | None = Query(default=None, max_length=64, pattern=r"^[^\x00]*$", description="metadata key to filter on"),
    meta_value: str | None = Query(default=None, max_length=200),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    ctx = _ctx(request)
    after = cursor_key(page, "accounts", str, UUID)
    await ctx.ledger.get_ledger(principal.institution_id, ledger_id)
    md = {meta_key: meta_value} if meta_key and meta_value is not None else None
    items = await ctx.ledger.list_accounts(
        principal.institution_id, ledger_id, owner_ref=owner_ref, metadata=md, limit=page.limit + 1,
        after_code=None if after is None else after[0], after_id=None if after is None else after[1],
    )
    return page.build("accounts", items, key=lambda a: [a.code, str(a.id)], out=_acct_out)


@router.get("/accounts/{account_id}", response_model=M.AccountOut, summary="Get an account with its balances")
async def get_account(account_id: UUID, request: Request, ledger: LedgerDep, principal: Principal = Depends(READ)):
    return _acct_out(await ledger.get_account(principal.institution_id, account_id))


async def _set_closed(account_id: UUID, request: Request, principal: Principal, closed: bool):
    ctx = _ctx(request)
    before = await ctx.ledger.get_account(principal.institution_id, account_id)
    acct = await ctx.ledger.set_account_closed(principal.institution_id, account_id, closed)
    await ctx.audit(request, principal, "account.close" if closed else "account.reopen", "account", account_id, before={"closed": before.closed}, after={"closed": acct.closed})
    return _acct_out(acct)


@router.post("/accounts/{account_id}/close", response_model=M.AccountOut, summary="Close an account (no posting accepted)")
async def close_account(account_id: UUID, request: Request, principal: Principal = Depends(ADMIN)):
    return await _set_closed(account_id, request, principal, True)


@router.post("/accounts/{account_id}/reopen", response_model=M.AccountOut, summary="Reopen a closed account")
async def reopen_account(account_id: UUID, request: Request, principal: Principal = Depends(ADMIN)):
    return await _set_closed(account_id, request, principal, False)


@router.get("/accounts/{account_id}/balance", response_model=M.BalanceOut, summary="Balance now, as of an instant, or as of a value date")
async def get_balance(
    account_id: UUID,
    request: Request,
    as_of: Annotated[IsoDateTime | None, Query(description="recorded instant (RFC 3339 with offset): what the ledger knew then")] = None,
    as_of_date: Annotated[IsoDate | None, Query(description="value date (YYYY-MM-DD): balance at the end of that day")] = None,
    principal: Principal = Depends(READ),
):
    b = await _ctx(request).ledger.balance(principal.institution_id, account_id, as_of_recorded=as_of, as_of_date=as_of_date)
    c = b.currency
    return M.BalanceOut(
        account_id=b.account_id, currency=c, posted=format_minor(b.posted, c),
        available=None if b.available is None else format_minor(b.available, c),
        pending_debits=None if b.pending_debits is None else format_minor(b.pending_debits, c),
        pending_credits=None if b.pending_credits is None else format_minor(b.pending_credits, c),
        as_of=b.as_of_recorded, as_of_date=b.as_of_date,
    )


@router.get("/accounts/{account_id}/statement", response_model=Page[M.StatementLineOut], summary="Account statement with running balance, in the account's order")
async def get_statement(
    account_id: UUID,
    request: Request,
    page: PageQuery = Depends(PAGE),
    include_pending: Annotated[QueryBool, Query(description="also the lines holding and releasing pending amounts")] = False,
    principal: Principal = Depends(READ),
):
    after = cursor_key(page, "statement", int)
    lib_cursor = None if after is None else statement_cursor(after[0])
    st = await _ctx(request).ledger.statement(principal.institution_id, account_id, cursor=lib_cursor, limit=page.limit, include_pending=include_pending)
    c = st.currency
    data = [
        M.StatementLineOut(
            account_id=st.account_id, account_version=x.account_version, transaction_id=x.transaction_id, kind=x.kind, phase=x.phase,
            side="debit" if x.amount > 0 else "credit", amount=format_minor(abs(x.amount), c), currency=c, balance_after=format_minor(x.balance_after, c),
            effective_date=x.effective_date, recorded_at=x.recorded_at, description=x.description,
        )
        for x in st.lines
    ]
    more = st.next_cursor is not None and bool(st.lines)
    return Page[M.StatementLineOut](data=data, has_more=more, next_cursor=encode_cursor("statement", [st.lines[-1].account_version]) if more else None)


# -- transactions ------------------------------------------------------------------------

_POST_DOC = "Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte."


@router.post("/ledgers/{ledger_id}/transactions", status_code=201, response_model=M.TransactionOut, summary="Post a transaction", description=_POST_DOC)
async def post_transaction(ledger_id: UUID, body: M.TransactionIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        item = NewTransaction(
            ledger_id, _postings(body.postings), idempotency_key=f"http:{key}", effective_date=body.effective_date,
            description=body.description, metadata=body.metadata, pending=body.pending, expires_at=body.expires_at,
        )
        return await _post_one(request, principal, ledger, item, "transaction.post")

    return await run_idempotent(request, principal, handler)


@router.post("/ledgers/{ledger_id}/transactions/batch", response_model=M.BatchOut, summary="Post up to 8,000 transactions in one database transaction",
    description=_POST_DOC + " Each item gets its own result; `linked` chains are all-or-nothing.")
async def post_batch(ledger_id: UUID, body: M.BatchIn, request: Request, ctx: CtxDep, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        await ledger.get_ledger(principal.institution_id, ledger_id)
        items = []
        pre_errors: dict[int, E.LedgerError] = {}
        for i, t in enumerate(body.transactions):
            try:
                ps = _postings(t.postings, f"transactions[{i}].")
            except E.LedgerError as err:
                pre_errors[i] = err
                ps = []
            items.append(
                NewTransaction(
                    ledger_id, ps, idempotency_key=t.idempotency_key or f"http:{key}:{i}", effective_date=t.effective_date,
                    description=t.description, metadata=t.metadata, pending=t.pending, expires_at=t.expires_at, linked=t.linked,
                )
            )
        # the answer is stored in the batch's own transaction: one durable commit
        answer = StoredAnswer(lambda results: _batch_response(results, pre_errors))
        results = await ctx.ledger.post_batch(principal.institution_id, items, after=_event_hook(request, principal, "transaction.post_batch"), then=answer)
        return answer.answer(results)

    return await run_idempotent(request, principal, handler)


def _batch_response(results: list[Result], pre_errors: dict[int, E.LedgerError]) -> Response:
    out = []
    for r in results:
        refusal = pre_errors.get(r.index) or r.error
        if r.ok or refusal is None:
            out.append(M.BatchResultOut(index=r.index, status="ok", code="ok", transaction_id=r.transaction_id, replayed=r.replayed))
        else:
            out.append(M.BatchResultOut(index=r.index, status="error", code=refusal.code, replayed=r.replayed, problem=M.Problem(**problem_of(refusal))))
    ok = sum(1 for r in out if r.status == "ok")
    return _json(200, M.BatchOut(results=out, posted=ok, failed=len(out) - ok))


@router.get("/ledgers/{ledger_id}/transactions", response_model=Page[M.TransactionOut], summary="List a ledger's transactions in recorded order (by seq)")
async def list_transactions(
    ledger_id: UUID,
    request: Request,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    ctx = _ctx(request)
    after = cursor_key(page, "transactions", int)
    await ctx.ledger.get_ledger(principal.institution_id, ledger_id)
    views = await ctx.ledger.list_transactions(principal.institution_id, ledger_id, after_seq=0 if after is None else after[0], limit=page.limit + 1)
    return page.build("transactions", views, key=lambda v: [v.seq], out=_tx_out)


@router.get("/transactions/{transaction_id}", response_model=M.TransactionOut, summary="Get a transaction with its postings")
async def get_transaction(transaction_id: UUID, request: Request, ledger: LedgerDep, principal: Principal = Depends(READ)):
    return _tx_out(await ledger.get_transaction(principal.institution_id, transaction_id))


@router.post("/transactions/{transaction_id}/post", status_code=201, response_model=M.TransactionOut, summary="Post a pending transaction (fully or partly)", description=_POST_DOC)
async def post_pending(transaction_id: UUID, body: M.PostPendingIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        item = PostPending(
            transaction_id, f"http:{key}", postings=None if body.postings is None else _postings(body.postings),
            effective_date=body.effective_date, description=body.description, metadata=body.metadata,
        )
        return await _post_one(request, principal, ledger, item, "transaction.post_pending")

    return await run_idempotent(request, principal, handler)


@router.post("/transactions/{transaction_id}/void", status_code=201, response_model=M.TransactionOut, summary="Void a pending transaction", description=_POST_DOC)
async def void_pending(transaction_id: UUID, body: M.VoidIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        item = VoidPending(transaction_id, f"http:{key}", description=body.description, metadata=body.metadata)
        return await _post_one(request, principal, ledger, item, "transaction.void")

    return await run_idempotent(request, principal, handler)


@router.post("/transactions/{transaction_id}/reverse", status_code=201, response_model=M.TransactionOut, summary="Reverse a posted transaction (once)", description=_POST_DOC)
async def reverse(transaction_id: UUID, body: M.ReverseIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        item = Reverse(transaction_id, f"http:{key}", effective_date=body.effective_date, description=body.description, metadata=body.metadata)
        return await _post_one(request, principal, ledger, item, "transaction.reverse")

    return await run_idempotent(request, principal, handler)


# -- reports and verification ---------------------------------------------------------------------


@router.get("/ledgers/{ledger_id}/trial-balance", response_model=M.TrialBalanceOut, summary="Trial balance per currency")
async def trial_balance(
    ledger_id: UUID,
    request: Request,
    ledger: LedgerDep,
    as_of_date: Annotated[IsoDate | None, Query(description="value date (YYYY-MM-DD): as of the end of that day")] = None,
    principal: Principal = Depends(READ),
):
    tb = await ledger.trial_balance(principal.institution_id, ledger_id, as_of_date=as_of_date)
    return M.TrialBalanceOut(
        ledger_id=tb.ledger_id, as_of_date=tb.as_of_date,
        lines=[M.TrialBalanceLineOut(account_id=x.account_id, code=x.code, type=x.type, currency=x.currency, debits=format_minor(x.debits, x.currency), credits=format_minor(x.credits, x.currency)) for x in tb.lines],
        totals=[M.TrialBalanceTotal(currency=c, debits=format_minor(d, c), credits=format_minor(k, c), balanced=d == k) for c, (d, k) in sorted(tb.totals.items())],
    )


def _aggregate_out(item: tuple[str, dict[str, int]]) -> M.AggregateBalanceOut:
    c, v = item
    return M.AggregateBalanceOut(
        currency=c, accounts=v["accounts"], debits_posted=format_minor(v["debits_posted"], c), credits_posted=format_minor(v["credits_posted"], c),
        debits_pending=format_minor(v["debits_pending"], c), credits_pending=format_minor(v["credits_pending"], c),
    )


@router.get("/ledgers/{ledger_id}/balances", response_model=Page[M.AggregateBalanceOut], summary="Balances summed per currency over accounts selected by owner or metadata")
async def aggregate_balances(
    ledger_id: UUID,
    request: Request,
    owner_ref: str | None = Query(default=None, max_length=128),
    meta_key: str | None = Query(default=None, max_length=64, pattern=r"^[^\x00]*$"),
    meta_value: str | None = Query(default=None, max_length=200),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    ctx = _ctx(request)
    after = cursor_key(page, "balances", str)
    await ctx.ledger.get_ledger(principal.institution_id, ledger_id)
    md = {meta_key: meta_value} if meta_key and meta_value is not None else None
    agg = await ctx.ledger.aggregate_balances(principal.institution_id, ledger_id=ledger_id, owner_ref=owner_ref, metadata=md)
    rows = sorted((c, v) for c, v in agg.items() if after is None or c > after[0])[: page.limit + 1]
    return page.build("balances", rows, key=lambda r: [r[0]], out=_aggregate_out)


@router.get("/ledgers/{ledger_id}/verification", response_model=M.VerificationOut, summary="Recompute the hash chain and check checkpoints")
async def verify_chain(ledger_id: UUID, request: Request, ledger: LedgerDep, principal: Principal = Depends(READ)):
    r = await ledger.verify(principal.institution_id, ledger_id)
    return M.VerificationOut(
        ledger_id=r.ledger_id, ok=r.ok, transactions_checked=r.transactions_checked, head_seq=r.head_seq, first_bad_seq=r.first_bad_seq,
        first_bad_transaction=r.first_bad_transaction, problem=r.problem, checkpoints_checked=r.checkpoints_checked,
    )


@router.post("/ledgers/{ledger_id}/checkpoints", status_code=201, response_model=M.CheckpointOut, summary="Sign the chain head (Ed25519)", description=_CREATE_DOC)
async def checkpoint(ledger_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        cp = await ctx.ledger.checkpoint(principal.institution_id, ledger_id)
        await ctx.audit(request, principal, "ledger.checkpoint", "ledger", ledger_id, after={"seq": cp["seq"], "head_hash": cp["head_hash"]})
        return _json(201, M.CheckpointOut(**{k: cp[k] for k in ("ledger_id", "seq", "head_hash", "created_at", "key_id", "public_key", "signature")}))

    return await run_idempotent(request, principal, handler)
