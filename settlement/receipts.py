"""Inbound cross-border receipts (收汇): S1 routing by FX class, S2 coverage by
electronic trade data, S3 netting of overseas fees, S6 the directory
registration threshold.

A receipt is posted as one ledger transaction that shows every amount:

    Dr inst:nostro:<CUR>              net cash actually received
    Dr <target account>               each netted fee, by kind (warehousing, logistics, tax)
    Cr <target account>               gross proceeds

so the target account nets to the cash received while the journal keeps the
gross, each fee and the net.  The target is the customer's current-account FX
account (class A, individuals), its pending-verification account (class B/C,
released later by a verification action citing evidence), or its suspense
account with a reason (never lost).  Hooks registered by other packages
(advance netting, loan sweeps) may take a share of what reaches the current
account, in the same database transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.chain import canonical_json
from ledger.clock import business_date, utc_now
from ledger.db import run_in_transaction
from ledger.events import deferred_rows, emit_event, emit_events, record_audit, record_audits
from ledger.groups import GroupQueue
from ledger.ids import uuid7
from ledger.model import NewTransaction, Posting, Result
from ledger.money import currency as check_currency
from ledger.money import format_minor
from ledger.posting import is_idempotency_race, post_batch
from ledger.process import mark_replayed
from ledger.service.core import MAX_ROWS

from . import accounts as A
from .alerts import raise_alert
from .config import FEE_KIND_CODES, SettlementConfig, check_value_date
from .config import FEE_KINDS as FEE_KIND_REGISTRY
from .errors import DuplicateReference, EvidencePlatformRequired, ReceiptInvalid, ReceiptNotReleasable
from .facts import CustomerFacts, customer_facts
from .s6 import HOLD_REASON as S6_HOLD_REASON
from .s6 import WARNING_ALERT as S6_WARNING_ALERT
from .s6 import S6Batch, s6_subject
from .tables_receipts import receipt_fees, receipts
from .tradedata import ClaimRequest, EvidenceClaim, claim_evidence, claim_evidence_many

#: the fee kinds' codes (settlement.config.FEE_KINDS is the registry)

if TYPE_CHECKING:
    from .service import Settlement

FEE_KINDS = FEE_KIND_CODES
ENTERPRISE_KINDS = ("enterprise", "individual_trade_operator", "individual_business")

#: run inside a receipt batch's transaction with the (index, receipt) pairs it posted
ReceiptsHook = Callable[[AsyncConnection, list[tuple[int, dict[str, Any]]]], Awaitable[None]]
#: run inside a lone receipt's transaction with the receipt it posted
ReceiptHook = Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]]
#: run inside a receipt batch's transaction with its results, complete
ResultsHook = Callable[[AsyncConnection, list[Any]], Awaitable[None]]


def _fill_repeats(batch: Sequence[ReceiptIn], out: list[Any], seen: dict[str, tuple[int, str]]) -> None:
    """Answer each repeat of an earlier item of the batch as that item."""
    for i, r in enumerate(batch):
        if out[i] is None and isinstance(r.external_ref, str) and r.external_ref in seen:
            first = out[seen[r.external_ref][0]]
            if first is not None:
                out[i] = {**first, "replayed": True} if isinstance(first, dict) else first


def _hooks_by_index(hooks: Sequence[ReceiptHook | None]) -> ReceiptsHook:
    """One batch hook running, for each receipt posted, the hook given for
    its position in the batch (if any)."""

    async def hook(conn: AsyncConnection, posted: list[tuple[int, dict[str, Any]]]) -> None:
        for i, row in posted:
            one = hooks[i]
            if one is not None:
                await one(conn, row)

    return hook


@dataclass(frozen=True)
class _Submitted:
    """A lone receipt waiting for its group (:class:`_ReceiptGroup`)."""

    receipt: ReceiptIn
    actor: str
    after: ReceiptHook | None


class _ReceiptGroup(GroupQueue[_Submitted, "dict[str, Any] | E.LedgerError"]):
    """The lone receipts of one institution submitted concurrently, posted
    as one batch: one database transaction, one ledger lock and one
    durable commit for the group instead of one of each per receipt (a
    receipt holds the ledger lock from its posting to its commit, so lone
    receipts otherwise queue one commit at a time behind it).  Each
    receipt keeps its own actor, hook and answer; a group the database
    refuses is posted again one receipt at a time."""

    max_group = 100

    def __init__(self, service: ReceiptService, institution_id: UUID) -> None:
        super().__init__()
        self.service, self.institution_id = service, institution_id

    async def settle(self, items: list[_Submitted]) -> list[dict[str, Any] | E.LedgerError]:
        return await self.service.post_receipts(
            self.institution_id, [it.receipt for it in items], actor=[it.actor for it in items], after=_hooks_by_index([it.after for it in items]),
        )


@dataclass
class ReceiptIn:
    customer_id: UUID
    currency: str
    gross_minor: int
    net_minor: int
    customs_mode: str
    destination_country: str
    external_ref: str
    fees: dict[str, int] = field(default_factory=dict)
    declared_value_minor: int | None = None
    platform_code: str | None = None
    evidence_orders: list[str] = field(default_factory=list)
    payer: str | None = None
    value_date: date | None = None

    def fingerprint(self) -> str:
        body = {k: (str(v) if isinstance(v, (UUID, date)) else v) for k, v in self.__dict__.items()}
        return hashlib.sha256(canonical_json(body).encode()).hexdigest()


@dataclass
class ProceedsShare:
    """What a proceeds hook takes from a receipt: ``amount_minor`` from the
    customer's current account to ``credit_account_id``."""

    credit_account_id: UUID
    amount_minor: int
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)
    after: Callable[[AsyncConnection, UUID], Awaitable[None]] | None = None  # called with the posted transaction id


#: async hook(conn, institution_id=, customer_id=, currency=, available_minor=, receipt_id=, ledger_id=, value_date=) -> list[ProceedsShare]
#: (``value_date``: the receipt's; a hook must accept and may ignore further keywords)
ProceedsHook = Callable[..., Awaitable[list[ProceedsShare]]]
_PROCEEDS_HOOKS: list[tuple[str, ProceedsHook]] = []


def register_proceeds_hook(name: str, hook: ProceedsHook) -> None:
    """Let another package take a share of receipts credited to a current
    account (advance netting, loan sweeps).  Hooks run in registration order,
    each seeing what the previous ones left."""
    for i, (n, _) in enumerate(_PROCEEDS_HOOKS):
        if n == name:
            _PROCEEDS_HOOKS[i] = (name, hook)
            return
    _PROCEEDS_HOOKS.append((name, hook))


def validate_receipt(r: ReceiptIn, cfg: SettlementConfig) -> None:
    """Shape checks; raise :class:`ReceiptInvalid` naming the field."""
    check_currency(r.currency)
    if not isinstance(r.gross_minor, int) or r.gross_minor <= 0:
        raise ReceiptInvalid("gross amount must be positive", field="gross")
    for k, v in r.fees.items():
        if k not in FEE_KINDS:
            raise ReceiptInvalid(f"unknown fee kind {k!r}; use {', '.join(FEE_KINDS)}", field="fees")
        if not isinstance(v, int) or v < 0:
            raise ReceiptInvalid(f"fee {k} must be zero or positive", field="fees")
    fees = sum(r.fees.values())
    if r.net_minor != r.gross_minor - fees:
        raise ReceiptInvalid(
            "net cash must equal gross less the netted fees", field="net", currency=r.currency, gross=format_minor(r.gross_minor, r.currency),
            fees=format_minor(fees, r.currency), net=format_minor(r.net_minor, r.currency), expected_net=format_minor(r.gross_minor - fees, r.currency),
        )
    if r.net_minor < 0:
        raise ReceiptInvalid("fees exceed the gross amount", field="fees")
    if r.customs_mode not in cfg.customs_modes:
        raise ReceiptInvalid(f"customs mode must be one of {', '.join(cfg.customs_modes)}", field="customs_mode")
    if not (isinstance(r.destination_country, str) and len(r.destination_country) == 2 and r.destination_country.isalpha() and r.destination_country.isupper()):
        raise ReceiptInvalid("destination country must be an ISO 3166 alpha-2 code", field="destination_country")
    if r.declared_value_minor is not None and r.declared_value_minor <= 0:
        raise ReceiptInvalid("declared value must be positive", field="declared_value")
    if not r.external_ref or len(r.external_ref) > 128:
        raise ReceiptInvalid("external_ref must be 1..128 characters", field="external_ref")
    if r.evidence_orders and not r.platform_code:
        raise EvidencePlatformRequired("evidence orders need the platform code", field="platform_code")
    if r.value_date is not None:  # the S6 year follows it: only within the open period, never ahead of today
        check_value_date(r.value_date, cfg, "value_date")


def variance(r: ReceiptIn, cfg: SettlementConfig) -> tuple[int | None, bool]:
    """S3: repatriated gross vs declared value.  Recorded for every mode;
    flagged for 9610/9710-like modes beyond the tolerance, never for 9810."""
    if r.declared_value_minor is None:
        return None, False
    diff = r.gross_minor - r.declared_value_minor
    if r.customs_mode in cfg.variance_exempt_modes:
        return diff, False
    flagged = r.customs_mode in ("9610", "9710") and Decimal(abs(diff)) > cfg.variance_tolerance * r.declared_value_minor
    return diff, flagged


def regulatory_year(ts: datetime, cfg: SettlementConfig) -> int:
    return business_date(ts, cfg.regulatory_timezone).year


def regulatory_date(ts: datetime, cfg: SettlementConfig) -> date:
    return business_date(ts, cfg.regulatory_timezone)


@dataclass
class _Context:
    """What a receipt needs from outside its database transaction."""

    value_date: date
    usd: int
    usd_rate: Any
    rate_problem: str | None
    ledger_id: UUID
    nostro: UUID
    facts: CustomerFacts
    accounts: dict[str, UUID]


class _BatchState:
    """Per-batch bookkeeping kept in memory and written once: the national S6
    receipts totals of the enterprises involved (locked at the start,
    ``settlement.s6``), receipt rows, events and audit entries."""

    def __init__(self) -> None:
        self.s6 = S6Batch("receipts")
        self.receipt_rows: list[dict[str, Any]] = []
        self.fee_rows: list[dict[str, Any]] = []
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.audits: list[dict[str, Any]] = []
        self.with_obligations: dict[str, set[UUID]] | None = None

    async def flush(self, conn: AsyncConnection, inst: UUID) -> None:
        await self.s6.flush(conn)
        if self.receipt_rows:
            await conn.execute(receipts.insert(), self.receipt_rows)
        if self.fee_rows:
            await conn.execute(receipt_fees.insert(), self.fee_rows)
        await emit_events(conn, inst, self.events)
        await record_audits(conn, self.audits)


@dataclass
class _Prepared:
    row: dict[str, Any]
    fees: dict[str, int]
    items: list[NewTransaction]
    shares: list[ProceedsShare]
    alerts: list[tuple[str, dict[str, Any]]]


class _ContextCache:
    """Rates, customer facts and accounts looked up once per batch."""

    def __init__(self, svc: ReceiptService, inst: UUID, cfg: SettlementConfig, now: datetime) -> None:
        self.svc, self.inst, self.cfg, self.now = svc, inst, cfg, now
        self.ledger_id: UUID | None = None
        self.nostro: dict[str, UUID] = {}
        self.facts: dict[UUID, CustomerFacts] = {}
        self.accounts: dict[tuple[UUID, str], dict[str, UUID]] = {}
        self.rates: dict[tuple[str, date], tuple[Any, str | None]] = {}

    async def context(self, r: ReceiptIn) -> _Context:
        s = self.svc.s
        if r.customer_id not in self.facts:  # first: an unknown customer is 404 before any account is opened
            self.facts[r.customer_id] = await self.svc._facts(self.inst, r.customer_id)
        value_date = r.value_date or regulatory_date(self.now, self.cfg)
        # the USD equivalent at the mid rate of the value date (S6 thresholds)
        key = (r.currency, value_date)
        if key not in self.rates:
            try:
                _, rate = await s.rates.usd_equivalent_with_rate(self.inst, 10**6, r.currency, value_date)
                self.rates[key] = (rate, None)
            except E.LedgerError as exc:
                self.rates[key] = (None, exc.code)
        usd_rate, rate_problem = self.rates[key]
        usd = 0 if usd_rate is None else s.rates.convert(r.gross_minor, r.currency, "USD", usd_rate)
        if self.ledger_id is None:
            self.ledger_id = await A.settlement_ledger_id(s.ledger, self.inst)
        if r.currency not in self.nostro:
            self.nostro[r.currency] = await A.institution_account(s.ledger, self.inst, "nostro", r.currency)
        akey = (r.customer_id, r.currency)
        if akey not in self.accounts:
            self.accounts[akey] = {k: await A.customer_account(s.ledger, self.inst, r.customer_id, k, r.currency) for k in ("current", "pending", "suspense")}
        return _Context(value_date, usd, usd_rate, rate_problem, self.ledger_id, self.nostro[r.currency], self.facts[r.customer_id], self.accounts[akey])


class ReceiptService:
    """Posts and releases receipts.  ``settlement`` is the
    :class:`settlement.service.Settlement` facade (ledger, rates, config)."""

    def __init__(self, settlement: Settlement) -> None:
        self.s = settlement
        self._groups: dict[UUID, _ReceiptGroup] = {}

    async def post_receipt(self, institution_id: UUID, r: ReceiptIn, *, actor: str = "system", after: ReceiptHook | None = None) -> dict[str, Any]:
        """Route, net, check evidence and post one receipt.  Idempotent by
        ``external_ref``.  Raises :class:`ReceiptInvalid`,
        :class:`DuplicateReference`, ``NotFound`` (customer).  ``after(conn,
        receipt)`` runs inside the posting's database transaction with the
        receipt as returned (not for a replay): the HTTP layer stores its
        answer there, in the same commit.  Receipts of one institution posted
        concurrently share one database transaction (:class:`_ReceiptGroup`)."""
        group = self._groups.get(institution_id)
        if group is None:
            group = self._groups[institution_id] = _ReceiptGroup(self, institution_id)
        out = await group.submit(_Submitted(r, actor, after))
        if isinstance(out, E.LedgerError):
            raise out
        if out.get("replayed"):
            mark_replayed()  # the HTTP layer answers Idempotent-Replayed: true
        return out

    async def post_receipts(
        self, institution_id: UUID, batch: list[ReceiptIn], *, actor: str | Sequence[str] = "system", after: ReceiptsHook | None = None,
        then: ResultsHook | None = None,
    ) -> list[dict[str, Any] | E.LedgerError]:
        """Post many receipts in one database transaction and one ledger
        batch: the bulk path.  Returns, per receipt, the receipt (a replay
        for a known ``external_ref``) or the domain error that refused it;
        refused receipts change nothing.  ``after(conn, posted)`` runs inside
        that transaction with the (index, receipt) pairs it posted; then
        ``then(conn, results)`` with the very list this returns, complete
        (the HTTP layer stores its answer there: one durable commit).
        ``actor`` is the batch's, or one per receipt (audited with it).
        A reference of the batch recorded meanwhile by a concurrent unit of
        work (another process's batch) makes the batch decided once more: it
        is then answered as a replay."""
        actors = [actor] * len(batch) if isinstance(actor, str) else list(actor)
        if len(actors) != len(batch):
            raise ValueError("one actor per receipt")
        try:
            return await self._post_receipts(institution_id, batch, actors, after, then)
        except (IntegrityError, E.IdempotencyConflict):
            if len(batch) < 2:
                raise
            return await self._post_receipts(institution_id, batch, actors, after, then)

    async def _post_receipts(
        self, institution_id: UUID, batch: list[ReceiptIn], actors: list[str], after: ReceiptsHook | None, then: ResultsHook | None,
    ) -> list[dict[str, Any] | E.LedgerError]:
        cfg = await self.s.config(institution_id)
        now = utc_now()
        out: list[dict[str, Any] | E.LedgerError | None] = [None] * len(batch)
        refs = [r.external_ref for r in batch if isinstance(r.external_ref, str)]
        existing = await self._find_by_refs(institution_id, refs)
        seen: dict[str, tuple[int, str]] = {}
        cache = _ContextCache(self, institution_id, cfg, now)
        todo: list[_Todo] = []
        for i, r in enumerate(batch):
            try:
                item = await self._triage(i, r, cfg, existing, seen, cache, out)
            except E.LedgerError as exc:
                out[i] = exc
                continue
            if item is not None:
                todo.append(item)
        if todo:
            hook = after
            if then is not None:
                async def hook(conn: AsyncConnection, posted: list[tuple[int, dict[str, Any]]]) -> None:
                    if after is not None:
                        await after(conn, posted)
                    for i, row in posted:
                        out[i] = row
                    _fill_repeats(batch, out, seen)
                    await then(conn, out)

            await self._post_todo(institution_id, todo, cfg, now, actors, out, hook)
        _fill_repeats(batch, out, seen)
        return out  # type: ignore[return-value]

    async def _triage(
        self, i: int, r: ReceiptIn, cfg: SettlementConfig, existing: dict[str, dict[str, Any]], seen: dict[str, tuple[int, str]], cache: _ContextCache,
        out: list[dict[str, Any] | E.LedgerError | None],
    ) -> _Todo | None:
        """Validate one receipt of a batch: a replay of a known one (answered
        in ``out``), a repeat within the batch (None), or one to post."""
        validate_receipt(r, cfg)
        fp = r.fingerprint()
        prior = existing.get(r.external_ref)
        if prior is not None:
            if prior["request_hash"] != fp:
                raise DuplicateReference(r.external_ref)
            out[i] = {**prior, "replayed": True}
            return None
        if r.external_ref in seen:
            if seen[r.external_ref][1] != fp:
                raise DuplicateReference(r.external_ref)
            return None  # filled from the first occurrence
        seen[r.external_ref] = (i, fp)
        return (i, r, fp, await cache.context(r))

    async def _post_todo(
        self, institution_id: UUID, todo: list[_Todo], cfg: SettlementConfig, now: datetime, actors: list[str], out: list[dict[str, Any] | E.LedgerError | None],
        after: ReceiptsHook | None = None,
    ) -> None:
        """Post the new receipts in one transaction; a lone receipt racing
        its own replay is answered from the winner's row."""

        async def work(conn: AsyncConnection) -> list[tuple[int, dict[str, Any]]]:
            async with deferred_rows(conn):  # the receipts' events, audit entries and hooks' answers: one statement per kind
                posted = await self._post_in(conn, institution_id, todo, cfg, now, actors)
                if after is not None:
                    await after(conn, posted)
            return posted

        try:
            for i, row in await run_in_transaction(self.s.ledger.engine, work, retry_on=is_idempotency_race):
                out[i] = row
        except (IntegrityError, E.IdempotencyConflict):
            # the reference (or its ledger key, bound to another receipt id)
            # was recorded meanwhile by a concurrent unit of work
            if len(todo) > 1:
                raise
            i, r, fp, _ = todo[0]
            prior = await self.find_by_ref(institution_id, r.external_ref)
            if prior is None:
                raise
            out[i] = {**prior, "replayed": True} if prior["request_hash"] == fp else DuplicateReference(r.external_ref)

    async def _post_in(
        self, conn: AsyncConnection, institution_id: UUID, todo: list[_Todo], cfg: SettlementConfig, now: datetime, actors: list[str],
    ) -> list[tuple[int, dict[str, Any]]]:
        """The batch's unit of work: totals, hooks' obligations, evidence, postings, rows."""
        state = _BatchState()
        await state.s6.load(conn, {(s6_subject(c.facts), c.value_date.year) for _i, r, _fp, c in todo if c.facts.kind in ENTERPRISE_KINDS})
        await _load_obligations(conn, institution_id, state, sorted({r.customer_id for _i, r, _fp, _c in todo}, key=str))
        ids = {i: uuid7() for i, _r, _fp, _c in todo}
        claim_of = await _claims(conn, institution_id, todo, ids)
        deferred, done = [], []
        for i, r, fp, c in todo:
            p = await self._prepare(conn, institution_id, r, cfg, fp, now, c, state, receipt_id=ids[i], claim=claim_of.get(i))
            if p.shares:
                # hooks read the state their shares change (advances
                # outstanding, loan balances): post these at once, so
                # the next receipt of the batch sees them
                done.append((i, await self._finish(conn, institution_id, p, await self._post_items(conn, institution_id, p.items), actors[i], state)))
            else:
                deferred.append((i, p))
        # the bulk: one ledger batch for all the others
        items = [item for _, p in deferred for item in p.items]
        results = await self._post_items(conn, institution_id, items) if items else []
        k = 0
        for i, p in deferred:
            n = len(p.items)
            done.append((i, await self._finish(conn, institution_id, p, results[k : k + n], actors[i], state)))
            k += n
        await state.flush(conn, institution_id)
        return done

    async def _post_items(self, conn: AsyncConnection, institution_id: UUID, items: list[NewTransaction]) -> list[Result]:
        results = await post_batch(conn, institution_id, items, options=self.s.ledger.options)
        for res in results:
            if not res.ok:  # receipts credit; only a broken hook or account can refuse
                raise res.error or E.LedgerError("the posting was refused")
        return results

    async def _find_by_refs(self, institution_id: UUID, refs: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        async with self.s.ledger.engine.connect() as conn:
            for n in range(0, len(refs), 2000):
                part = refs[n : n + 2000]
                rows = await conn.execute(select(receipts).where(receipts.c.institution_id == institution_id, receipts.c.external_ref.in_(part)))
                for d in await _with_fees(conn, [dict(row._mapping) for row in rows]):
                    found[d["external_ref"]] = d
        return found

    async def _facts(self, institution_id: UUID, customer_id: UUID) -> CustomerFacts:
        async with self.s.ledger.engine.connect() as conn:
            return await customer_facts(conn, institution_id, customer_id)

    async def _prepare(
        self, conn: AsyncConnection, inst: UUID, r: ReceiptIn, cfg: SettlementConfig, fp: str, now: datetime, c: _Context, state: _BatchState, *,
        receipt_id: UUID, claim: EvidenceClaim | None = None,
    ) -> _Prepared:
        """Everything of a receipt but the ledger posting: evidence, yearly
        totals, routing, the ledger items (posted by the caller)."""
        alerts: list[tuple[str, dict[str, Any]]] = []
        coverage, coverage_flagged = _coverage(r, claim, alerts)
        # S3: variance against the declared value
        var, var_flagged = variance(r, cfg)
        if var_flagged:
            alerts.append(("authenticity_variance", {
                "currency": r.currency, "declared_value": _fmt(r.declared_value_minor, r.currency), "gross": format_minor(r.gross_minor, r.currency),
                "variance": _fmt(var, r.currency), "customs_mode": r.customs_mode,
            }))
        suspense_reason = _suspense_reason(r, c, cfg, state, alerts)
        status, target = _route(suspense_reason, c)
        items = [_receipt_transaction(r, c, receipt_id, status, target)]
        shares: list[ProceedsShare] = []
        if status == "credited":
            shares = await self._proceeds_shares(conn, inst, r, receipt_id, c.ledger_id, r.net_minor, state, c.value_date)
            items += _share_transactions(r, c, receipt_id, shares, items[0])
        row = dict(
            id=receipt_id, institution_id=inst, customer_id=r.customer_id, external_ref=r.external_ref, request_hash=fp, currency=r.currency,
            gross_minor=r.gross_minor, net_minor=r.net_minor, usd_equivalent_minor=c.usd, customs_mode=r.customs_mode,
            destination_country=r.destination_country, merchant_kind=c.facts.kind, fx_class=c.facts.fx_class, payer=r.payer, value_date=c.value_date,
            declared_value_minor=r.declared_value_minor, variance_minor=var, variance_flagged=var_flagged, platform_code=r.platform_code,
            evidence_refs=list(r.evidence_orders), coverage_minor=coverage, coverage_flagged=coverage_flagged, status=status,
            suspense_reason=suspense_reason, rate=c.usd_rate.to_metadata() if c.usd_rate is not None else None, transaction_id=None, release_transaction_id=None,
            released_by=None, release_note=None, released_at=None, advances_netted_minor=sum(s.amount_minor for s in shares if s.metadata.get("share") == "advance"),
            swept_minor=sum(s.amount_minor for s in shares if s.metadata.get("share") == "loan_sweep"), created_at=now,
        )
        return _Prepared(row, fees_minor(r.fees), items, shares, alerts)

    async def _finish(self, conn: AsyncConnection, inst: UUID, p: _Prepared, results: Sequence[Result], actor: str, state: _BatchState) -> dict[str, Any]:
        """After the posting: share callbacks, the receipt row, alerts, event, audit."""
        row, alerts = p.row, p.alerts
        tx_id = results[0].transaction_id
        for sh, res in zip(p.shares, results[1:], strict=False):
            if sh.after is not None and res.transaction_id is not None:
                await sh.after(conn, res.transaction_id)
        row["transaction_id"] = tx_id
        receipt_id, status, suspense_reason, r_customer = row["id"], row["status"], row["suspense_reason"], row["customer_id"]
        state.receipt_rows.append(row)
        state.fee_rows += [dict(receipt_id=row["id"], kind=k, institution_id=inst, amount_minor=a) for k, a in p.fees.items() if a]
        for kind, details in alerts:
            await raise_alert(conn, inst, kind, customer_id=r_customer, subject_type="receipt", subject_id=receipt_id, details=details)
        event = {"credited": "receipt.credited", "pending_verification": "receipt.pending_verification", "suspense": "receipt.suspended"}[status]
        state.events.append(
            (event, {"receipt_id": str(receipt_id), "customer_id": str(r_customer), "currency": row["currency"], "gross": format_minor(row["gross_minor"], row["currency"]),
            "net": format_minor(row["net_minor"], row["currency"]), "status": status, "suspense_reason": suspense_reason}),
        )
        state.audits.append(
            dict(institution_id=inst, actor_type=actor.split(":")[0], actor_id=actor, action="receipt.post",
            object_type="receipt", object_id=str(receipt_id), after={"status": status, "suspense_reason": suspense_reason, "transaction_id": str(tx_id)}),
        )
        return {**row, "fees_minor": dict(p.fees), "alerts": [k for k, _ in alerts], "replayed": False}

    async def _proceeds_shares(
        self, conn: AsyncConnection, inst: UUID, r: ReceiptIn, receipt_id: UUID, ledger_id: UUID, available: int, state: _BatchState, value_date: date | None = None,
    ) -> list[ProceedsShare]:
        shares: list[ProceedsShare] = []
        for _name, hook in list(_PROCEEDS_HOOKS):
            prefilter = getattr(hook, "prefilter", None)
            if prefilter is not None and state.with_obligations is not None and r.customer_id not in state.with_obligations.get(_name, set()):
                continue
            if available <= 0:
                break
            got = await hook(conn, institution_id=inst, customer_id=r.customer_id, currency=r.currency, available_minor=available, receipt_id=receipt_id, ledger_id=ledger_id,
                             value_date=value_date)
            for sh in got:
                if sh.amount_minor <= 0:
                    continue
                if sh.amount_minor > available:
                    raise E.LedgerError("a proceeds hook took more than the receipt left", hook=_name, currency=r.currency,
                                        available=format_minor(available, r.currency), requested=format_minor(sh.amount_minor, r.currency))
                available -= sh.amount_minor
                shares.append(sh)
        return shares

    # -- release ------------------------------------------------------------------

    async def check_releasable(self, institution_id: UUID, receipt_id: UUID, *, note: str) -> dict[str, Any]:
        """What :meth:`release` checks before it moves money, changing
        nothing: the receipt (``NotFound``), its status and the reason it is
        held (:class:`ReceiptNotReleasable`), the note.  Returns the receipt."""
        row, _facts = await self._releasable(institution_id, receipt_id, note)
        return row

    async def _releasable(self, institution_id: UUID, receipt_id: UUID, note: str) -> tuple[dict[str, Any], Any]:
        if not note or not note.strip():
            raise ReceiptInvalid("a release must cite the evidence checked (note)", field="note")
        row = await self.get(institution_id, receipt_id)
        if row["status"] not in ("pending_verification", "suspense"):
            raise ReceiptNotReleasable(str(receipt_id), row["status"], "only receipts in pending verification or suspense are released")
        facts = await self._facts(institution_id, row["customer_id"])
        if row["status"] == "suspense":
            reason = row["suspense_reason"]
            if reason == "registration_required" and not facts.directory_registered:
                raise ReceiptNotReleasable(str(receipt_id), "suspense", "directory registration has not been recorded")
            if reason == "negative_list_party" and facts.negative_list:
                raise ReceiptNotReleasable(str(receipt_id), "suspense", "the customer is on the negative list")
        return row, facts

    async def release(self, institution_id: UUID, receipt_id: UUID, *, note: str, evidence_orders: list[str] | None = None, platform_code: str | None = None, actor: str = "system") -> dict[str, Any]:
        """Release a receipt held in pending verification (B/C, by a
        verification action citing evidence) or in suspense (once its reason
        is resolved: e.g. registration recorded).  Moves the net amount to
        the current account."""
        cfg = await self.s.config(institution_id)
        row, facts = await self._releasable(institution_id, receipt_id, note)
        ledger_id = await A.settlement_ledger_id(self.s.ledger, institution_id)
        src_kind = "pending" if row["status"] == "pending_verification" else "suspense"
        src = await A.customer_account(self.s.ledger, institution_id, row["customer_id"], src_kind, row["currency"])
        # from suspense, a class B/C enterprise still goes through verification
        to_pending = src_kind == "suspense" and facts.kind in ENTERPRISE_KINDS and facts.fx_class in ("B", "C") and row["suspense_reason"] != "fx_class_unknown"
        dst = await A.customer_account(self.s.ledger, institution_id, row["customer_id"], "pending" if to_pending else "current", row["currency"])
        now = utc_now()

        async def work(conn: AsyncConnection) -> None:
            cur = (await conn.execute(select(receipts.c.status).where(receipts.c.id == receipt_id))).scalar()
            if cur != row["status"]:
                raise ReceiptNotReleasable(str(receipt_id), str(cur), "already released")
            extra_cov = 0
            if evidence_orders:
                need = max(0, row["gross_minor"] - row["coverage_minor"])
                if need:
                    claim = await claim_evidence(conn, institution_id, row["customer_id"], platform_code or row["platform_code"], list(evidence_orders), row["currency"], need, "receipt", f"{receipt_id}:release")
                    extra_cov = claim.coverage_minor
            item = NewTransaction(
                ledger_id, [Posting(src, row["net_minor"], "debit", row["currency"]), Posting(dst, row["net_minor"], "credit", row["currency"])],
                idempotency_key=f"receipt-release:{receipt_id}:{row['status']}", effective_date=regulatory_date(now, cfg),
                description=f"release of receipt {row['external_ref']}", metadata={"receipt_id": str(receipt_id), "note": note[:300]},
            )
            res = (await post_batch(conn, institution_id, [item], options=self.s.ledger.options))[0]
            if not res.ok:
                raise res.error or E.LedgerError("the posting was refused")
            new_status = "pending_verification" if to_pending else "released"
            values = dict(status=new_status, release_transaction_id=res.transaction_id, released_by=actor[:64], release_note=note, released_at=now, coverage_minor=row["coverage_minor"] + extra_cov)
            if new_status == "pending_verification":
                values["suspense_reason"] = None
            await conn.execute(update(receipts).where(receipts.c.id == receipt_id, receipts.c.status == row["status"]).values(**values))
            await emit_event(conn, institution_id, "receipt.released", {"receipt_id": str(receipt_id), "from": row["status"], "to": new_status})
            await record_audit(
                conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="receipt.release",
                object_type="receipt", object_id=str(receipt_id), before={"status": row["status"]}, after={"status": new_status, "note": note[:300]},
            )

        await run_in_transaction(self.s.ledger.engine, work)
        return await self.get(institution_id, receipt_id)

    # -- reads ---------------------------------------------------------------------

    async def get(self, institution_id: UUID, receipt_id: UUID) -> dict[str, Any]:
        async with self.s.ledger.engine.connect() as conn:
            row = (await conn.execute(select(receipts).where(receipts.c.id == receipt_id, receipts.c.institution_id == institution_id))).first()
            if row is None:
                raise E.NotFound("receipt", receipt_id)
            return (await _with_fees(conn, [dict(row._mapping)]))[0]

    async def find_by_ref(self, institution_id: UUID, external_ref: str) -> dict[str, Any] | None:
        async with self.s.ledger.engine.connect() as conn:
            row = (await conn.execute(select(receipts).where(receipts.c.external_ref == external_ref, receipts.c.institution_id == institution_id))).first()
            return None if row is None else (await _with_fees(conn, [dict(row._mapping)]))[0]

    async def list(self, institution_id: UUID, *, customer_id: UUID | None = None, status: str | None = None, limit: int = 100, before: UUID | None = None) -> list[dict[str, Any]]:
        stmt = select(receipts).where(receipts.c.institution_id == institution_id)
        if customer_id:
            stmt = stmt.where(receipts.c.customer_id == customer_id)
        if status:
            stmt = stmt.where(receipts.c.status == status)
        if before:
            stmt = stmt.where(receipts.c.id < before)
        async with self.s.ledger.engine.connect() as conn:
            rows = await conn.execute(stmt.order_by(receipts.c.id.desc()).limit(max(1, min(limit, MAX_ROWS))))
            return await _with_fees(conn, [dict(r._mapping) for r in rows])


async def _with_fees(conn: AsyncConnection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The receipt rows with ``fees_minor``: every registered fee kind and its amount."""
    stored: dict[UUID, dict[str, int]] = {r["id"]: {} for r in rows}
    ids = list(stored)
    for n in range(0, len(ids), 1000):
        for f in await conn.execute(select(receipt_fees).where(receipt_fees.c.receipt_id.in_(ids[n : n + 1000]))):
            stored[f.receipt_id][f.kind] = int(f.amount_minor)
    for r in rows:
        r["fees_minor"] = fees_minor(stored[r["id"]])
    return rows


def fees_minor(fees: Mapping[str, int]) -> dict[str, int]:
    """Every registered fee kind with its amount (0 when not netted), in the registry's order."""
    return {k: int(fees.get(k, 0)) for k in FEE_KINDS}


def _coverage(r: ReceiptIn, claim: EvidenceClaim | None, alerts: list[tuple[str, dict[str, Any]]]) -> tuple[int, bool]:
    """S2: coverage by matched, unconsumed trade data (and its alerts)."""
    coverage, reused = 0, []
    if claim is not None:
        coverage, reused = claim.coverage_minor, list(claim.reused)
    coverage_flagged = coverage < r.gross_minor
    if not r.evidence_orders:
        alerts.append(("receipt_without_evidence", {"currency": r.currency, "gross": format_minor(r.gross_minor, r.currency)}))
    elif coverage_flagged:
        alerts.append(("coverage_below_gross", {"currency": r.currency, "gross": format_minor(r.gross_minor, r.currency), "coverage": format_minor(coverage, r.currency)}))
    if reused:
        alerts.append(("evidence_reuse_attempt", {"orders": reused}))
    return coverage, coverage_flagged


def _suspense_reason(r: ReceiptIn, c: _Context, cfg: SettlementConfig, state: _BatchState, alerts: list[tuple[str, dict[str, Any]]]) -> str | None:
    """Why the receipt goes to suspense (None: it does not); S6 counts the
    enterprise's receipts of the calendar year nationally (value dates are business dates)."""
    facts, year = c.facts, c.value_date.year
    suspense_reason = "rate_unavailable" if c.rate_problem else None
    if facts.negative_list:
        alerts.append(("negative_list_party", {"customer_id": str(r.customer_id)}))
        suspense_reason = suspense_reason or "negative_list_party"
    if facts.kind not in ENTERPRISE_KINDS:
        return suspense_reason
    s6 = state.s6.count(facts, year, c.usd, cfg)  # the national receipts total (settlement.s6)
    if s6.hold:
        suspense_reason = suspense_reason or S6_HOLD_REASON
    elif s6.warn:
        alerts.append((S6_WARNING_ALERT, {
            "year": year, "currency": "USD", "cumulative_usd": format_minor(s6.total_usd_minor, "USD"), "threshold_usd": format_minor(cfg.registration_threshold_usd, "USD"),
        }))
    if facts.fx_class not in ("A", "B", "C"):
        suspense_reason = suspense_reason or "fx_class_unknown"
    return suspense_reason


def _route(suspense_reason: str | None, c: _Context) -> tuple[str, UUID]:
    """S1: the receipt's status and target account."""
    if suspense_reason:
        return "suspense", c.accounts["suspense"]
    if c.facts.kind in ENTERPRISE_KINDS and c.facts.fx_class in ("B", "C"):
        return "pending_verification", c.accounts["pending"]
    return "credited", c.accounts["current"]


def _fee_account(role: str, target: UUID) -> UUID:
    if role == "receipt_target":
        return target
    raise ValueError(f"unknown fee account role {role!r}")


def _receipt_transaction(r: ReceiptIn, c: _Context, receipt_id: UUID, status: str, target: UUID) -> NewTransaction:
    """Dr nostro net (none when the fees took it all), Dr each netted fee, Cr target gross."""
    postings = [Posting(c.nostro, r.net_minor, "debit", r.currency)] if r.net_minor else []
    for kind in FEE_KIND_REGISTRY:
        amt = r.fees.get(kind.code, 0)
        if amt:
            postings.append(Posting(_fee_account(kind.account_role, target), amt, "debit", r.currency))
    postings.append(Posting(target, r.gross_minor, "credit", r.currency))
    meta = {
        "receipt_id": str(receipt_id), "currency": r.currency, "gross": format_minor(r.gross_minor, r.currency), "net": format_minor(r.net_minor, r.currency),
        "fees": {k: format_minor(v, r.currency) for k, v in fees_minor(r.fees).items()}, "customs_mode": r.customs_mode,
        "destination_country": r.destination_country, "merchant_kind": c.facts.kind, "status": status,
        "usd_equivalent": {"amount": format_minor(c.usd, "USD"), "currency": "USD"},
        "usd_rate": c.usd_rate.to_metadata() if c.usd_rate is not None else None,
    }
    return NewTransaction(c.ledger_id, postings, idempotency_key=f"receipt:{r.external_ref}", effective_date=c.value_date, description=f"receipt {r.external_ref}", metadata=meta)


def _share_transactions(r: ReceiptIn, c: _Context, receipt_id: UUID, shares: list[ProceedsShare], receipt_tx: NewTransaction) -> list[NewTransaction]:
    """What the proceeds hooks take from the current account, linked to the receipt's transaction."""
    out: list[NewTransaction] = []
    for n, sh in enumerate(shares):
        (out[-1] if out else receipt_tx).linked = True  # each is linked to the next
        out.append(
            NewTransaction(
                c.ledger_id, [Posting(c.accounts["current"], sh.amount_minor, "debit", r.currency), Posting(sh.credit_account_id, sh.amount_minor, "credit", r.currency)],
                idempotency_key=f"receipt:{r.external_ref}:share:{n}", effective_date=c.value_date, description=sh.description, metadata={"receipt_id": str(receipt_id), **sh.metadata},
            )
        )
    return out


#: a receipt of a batch to post: (position, receipt, fingerprint, context)
_Todo = tuple[int, "ReceiptIn", str, "_Context"]


async def _load_obligations(conn: AsyncConnection, institution_id: UUID, state: _BatchState, customers: list[UUID]) -> None:
    """Which customers each prefiltering proceeds hook has obligations for."""
    state.with_obligations = {}
    for name, hook in list(_PROCEEDS_HOOKS):
        prefilter = getattr(hook, "prefilter", None)
        if prefilter is not None:
            state.with_obligations[name] = set(await prefilter(conn, institution_id, customers))


async def _claims(conn: AsyncConnection, institution_id: UUID, todo: list[_Todo], ids: dict[int, UUID]) -> dict[int, EvidenceClaim]:
    """Evidence of the whole batch in one pass over the registry, by position."""
    with_evidence = [(i, r) for i, r, _fp, _c in todo if r.evidence_orders]
    if not with_evidence:
        return {}
    claims = await claim_evidence_many(
        conn, institution_id,
        [ClaimRequest(r.customer_id, r.platform_code, list(r.evidence_orders), r.currency, r.gross_minor, "receipt", str(ids[i])) for i, r in with_evidence],
    )
    return {i: cl for (i, _r), cl in zip(with_evidence, claims, strict=True)}


def _fmt(minor: int | None, currency: str) -> str | None:
    return None if minor is None else format_minor(minor, currency)
