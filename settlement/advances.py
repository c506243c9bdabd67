"""S4 advances of overseas fees (代垫): a domestic logistics firm, express
firm or platform (the *provider*) pays overseas warehousing, logistics or tax
fees on a merchant's behalf.  The engine records the advance as the
provider's receivable from the merchant, settles it (usually by netting from
the merchant's later proceeds, oldest advance first), ages it, and flags any
advance outstanding longer than ``SettlementConfig.advance_flag_months``
(12) calendar months, counted in the regulatory time zone (Asia/Shanghai).

Ledger accounts (in the institution's ``settlement`` ledger; refs are the
merchant's and the provider's owner refs, ``[A-Za-z0-9_.-]{1,64}``):

  ``adv:<merchant_ref>:receivable:<CUR>``  advances receivable from the merchant
                                          (asset, credits may not exceed debits;
                                          owner_ref = merchant_ref)
  ``adv:<provider_ref>:payable:<CUR>``     the provider's claims on merchants it
                                          advanced for (liability, debits may not
                                          exceed credits; owner_ref = provider_ref)
  ``adv:<provider_ref>:proceeds:<CUR>``    repayments collected for the provider,
                                          owed to it until paid out (liability,
                                          may not go negative); the default
                                          repayment account of an advance, which
                                          may instead be any account of the
                                          provider in the same ledger and currency
                                          (e.g. its ``cust:<id>:current:<CUR>``)

Postings:

  record      Dr adv:<merchant>:receivable   / Cr adv:<provider>:payable
  settle from proceeds or a merchant account (``source``):
              Dr <source account of the merchant> / Cr <repayment account of the provider>
              Dr adv:<provider>:payable          / Cr adv:<merchant>:receivable
  settle outside the institution (the merchant paid the provider directly):
              Dr adv:<provider>:payable          / Cr adv:<merchant>:receivable

So the receivable account of a merchant always equals what it still owes
on its advances in that currency, and the ledger itself refuses a
settlement that would take it below zero.

What the receipts code calls (inside its own database transaction):
:func:`settle_advances_from_proceeds`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger import clock
from ledger import errors as E
from ledger.db import run_in_transaction
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.model import CREDIT, DEBIT, NewTransaction, Posting
from ledger.money import currency as check_currency
from ledger.money import format_minor
from ledger.posting import is_idempotency_race, post_batch
from ledger.schema import accounts, ledger_idempotency
from ledger.service import Ledger

from .accounts import customer_account_code, settlement_ledger_id
from .alerts import raise_alert
from .config import SettlementConfig
from .receipts import ProceedsShare, register_proceeds_hook
from .tables_netting import ADVANCE_KINDS, advance_settlements, advances
from .tables_receipts import settlement_settings

REF_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
DEFAULT_AGING_BOUNDS_DAYS = (30, 90, 180, 365)
#: ``SettlementConfig.extra`` key overriding the aging bucket upper bounds
AGING_BOUNDS_KEY = "advance_aging_bounds_days"


# --------------------------------------------------------------------------
# errors


class AdvanceRule(E.LedgerError):
    """A well-formed advance refused by a rule: a provider advancing to
    itself, an advance date after today, an account outside the settlement
    ledger or in another currency."""

    code = "advance_rule"
    title = "Advance rule"


class AdvanceNotFound(E.NotFound):
    code = "advance_not_found"
    title = "Advance not found"

    def __init__(self, ref: object) -> None:
        super().__init__("advance", ref)


class AdvanceSettlementExceedsOutstanding(E.LedgerError):
    """A settlement larger than what is still owed on the advance."""

    code = "advance_settlement_exceeds_outstanding"
    title = "Settlement exceeds the outstanding advance"

    def __init__(self, advance_id: object, outstanding: int, requested: int, currency: str) -> None:
        super().__init__(
            f"advance {advance_id} has {format_minor(outstanding, currency)} {currency} outstanding, "
            f"{format_minor(requested, currency)} {currency} requested",
            advance_id=str(advance_id),
            currency=currency,
            outstanding=format_minor(outstanding, currency),
            requested=format_minor(requested, currency),
        )


# --------------------------------------------------------------------------
# data


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change, for the audit log."""

    actor_type: str = "system"
    actor_id: str = "settlement"
    request_id: str | None = None


SYSTEM = Actor()


@dataclass(frozen=True, slots=True)
class Advance:
    id: UUID
    institution_id: UUID
    ledger_id: UUID
    merchant_ref: str
    provider_ref: str
    kind: str
    currency: str
    amount_minor: int
    outstanding_minor: int
    advance_date: date
    status: str
    reference: str | None
    description: str
    receivable_account_id: UUID
    payable_account_id: UUID
    repay_account_id: UUID
    transaction_id: UUID
    recorded_at: datetime
    settled_at: datetime | None
    flagged_at: datetime | None

    @property
    def settled_minor(self) -> int:
        return self.amount_minor - self.outstanding_minor


@dataclass(frozen=True, slots=True)
class AdvanceSettlement:
    id: UUID
    advance_id: UUID
    amount_minor: int
    source: str  # proceeds | account | outside
    source_account_id: UUID | None
    transaction_id: UUID
    reference: str | None
    effective_date: date
    created_at: datetime


@dataclass(slots=True)
class AdvanceNetting:
    """What :func:`settle_advances_from_proceeds` took from the proceeds.

    Iterating gives ``(advance, amount_minor)`` pairs, oldest advance first
    (``advance`` as it is after the settlement).  ``items`` is the ledger
    transaction to post (empty when nothing was owed); or merge ``postings``
    into your own transaction, whose id must then be ``transaction_id``.
    """

    allocations: list[tuple[Advance, int]]
    total_minor: int
    transaction_id: UUID
    postings: list[Posting]
    items: list[NewTransaction]

    def __iter__(self) -> Iterator[tuple[Advance, int]]:
        return iter(self.allocations)

    def __len__(self) -> int:
        return len(self.allocations)

    def __getitem__(self, i: int) -> tuple[Advance, int]:
        return self.allocations[i]


@dataclass(frozen=True, slots=True)
class AgedAdvance:
    advance: Advance
    #: outstanding as of the report date (settlements effective on or before it)
    outstanding_minor: int
    age_days: int
    bucket: str | None  # None when nothing is outstanding
    flagged: bool
    #: the last day the advance may be outstanding without being flagged
    flag_after: date


@dataclass(slots=True)
class AgingBucket:
    currency: str
    bucket: str
    count: int = 0
    outstanding_minor: int = 0


@dataclass(slots=True)
class AgingReport:
    as_of: date
    bucket_labels: list[str]
    items: list[AgedAdvance]
    #: per currency, every bucket in order (zeros included)
    buckets: list[AgingBucket]
    flagged_count: int
    #: per currency: outstanding amount of flagged advances
    flagged_minor: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------
# calendar helpers (pure)


def business_date(value: date | datetime | None, tz: str) -> date:
    """:func:`ledger.clock.business_date` in ``tz``; a naive instant is
    refused as invalid input."""
    try:
        return clock.business_date(value, tz)
    except ValueError:
        raise E.InvalidInput("instants must carry a time zone") from None


def aging_bounds(config: SettlementConfig | None = None) -> tuple[int, ...]:
    """Upper bounds (days, inclusive) of the aging buckets; the last bucket
    is everything above the last bound.  Default 30, 90, 180, 365."""
    cfg = config or SettlementConfig()
    raw = cfg.extra.get(AGING_BOUNDS_KEY, DEFAULT_AGING_BOUNDS_DAYS)
    try:
        bounds = tuple(int(b) for b in raw)
    except (TypeError, ValueError):
        raise E.InvalidInput(f"{AGING_BOUNDS_KEY} must be a list of day counts") from None
    if not bounds or bounds[0] < 0 or any(b >= c for b, c in zip(bounds, bounds[1:], strict=False)):
        raise E.InvalidInput(f"{AGING_BOUNDS_KEY} must be increasing non-negative day counts", bounds=list(bounds))
    return bounds


def bucket_labels(bounds: Sequence[int]) -> list[str]:
    labels, low = [], 0
    for b in bounds:
        labels.append(f"{low}-{b}")
        low = b + 1
    labels.append(f">{bounds[-1]}")
    return labels


def aging_bucket(age_days: int, bounds: Sequence[int]) -> str:
    """The label of the bucket of an age in days (0-30, 31-90, ..., >365)."""
    labels = bucket_labels(bounds)
    for b, label in zip(bounds, labels, strict=False):
        if age_days <= b:
            return label
    return labels[-1]


def is_flagged(advance_date: date, as_of: date, months: int) -> bool:
    """Outstanding *longer than* ``months`` calendar months on ``as_of``."""
    return as_of > clock.add_months(advance_date, months)


# --------------------------------------------------------------------------
# accounts


def receivable_account_code(merchant_ref: str, currency: str) -> str:
    return f"adv:{merchant_ref}:receivable:{currency}"


def payable_account_code(provider_ref: str, currency: str) -> str:
    return f"adv:{provider_ref}:payable:{currency}"


def provider_proceeds_account_code(provider_ref: str, currency: str) -> str:
    return f"adv:{provider_ref}:proceeds:{currency}"


async def _ensure(ledger: Ledger, institution_id: UUID, ledger_id: UUID, code: str, currency: str, type_: str, *, owner_ref: str, role: str, dmnec: bool = False, cmned: bool = False) -> UUID:
    acct = await ledger.find_account(institution_id, ledger_id, code)
    if acct is not None:
        return acct.id
    try:
        acct = await ledger.create_account(
            institution_id, ledger_id, code, currency, type_, owner_ref=owner_ref, metadata={"advance_role": role, "owner_ref": owner_ref},
            debits_must_not_exceed_credits=dmnec, credits_must_not_exceed_debits=cmned,
        )
    except E.DuplicateCode:
        acct = await ledger.find_account(institution_id, ledger_id, code)
    assert acct is not None  # another request created it
    return acct.id


async def advance_accounts(ledger: Ledger, institution_id: UUID, merchant_ref: str, provider_ref: str, currency: str) -> tuple[UUID, UUID, UUID, UUID]:
    """``(ledger_id, receivable, payable, provider proceeds)`` account ids,
    opened on first use."""
    ledger_id = await settlement_ledger_id(ledger, institution_id)
    rec = await _ensure(ledger, institution_id, ledger_id, receivable_account_code(merchant_ref, currency), currency, "asset", owner_ref=merchant_ref, role="receivable", cmned=True)
    pay = await _ensure(ledger, institution_id, ledger_id, payable_account_code(provider_ref, currency), currency, "liability", owner_ref=provider_ref, role="payable", dmnec=True)
    proc = await _ensure(ledger, institution_id, ledger_id, provider_proceeds_account_code(provider_ref, currency), currency, "liability", owner_ref=provider_ref, role="provider_proceeds", dmnec=True)
    return ledger_id, rec, pay, proc


# --------------------------------------------------------------------------
# rows


def _utc(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def _utc_ts(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def _advance(row: Any) -> Advance:
    return Advance(
        id=row.id, institution_id=row.institution_id, ledger_id=row.ledger_id, merchant_ref=row.merchant_ref, provider_ref=row.provider_ref,
        kind=row.kind, currency=row.currency, amount_minor=int(row.amount_minor), outstanding_minor=int(row.outstanding_minor),
        advance_date=row.advance_date, status=row.status, reference=row.reference, description=row.description,
        receivable_account_id=row.receivable_account_id, payable_account_id=row.payable_account_id, repay_account_id=row.repay_account_id,
        transaction_id=row.transaction_id, recorded_at=_utc_ts(row.recorded_at), settled_at=_utc(row.settled_at), flagged_at=_utc(row.flagged_at),
    )


def _settlement(row: Any) -> AdvanceSettlement:
    return AdvanceSettlement(
        id=row.id, advance_id=row.advance_id, amount_minor=int(row.amount_minor), source=row.source, source_account_id=row.source_account_id,
        transaction_id=row.transaction_id, reference=row.reference, effective_date=row.effective_date, created_at=_utc_ts(row.created_at),
    )


def _advance_json(a: Advance) -> dict[str, Any]:
    return {
        "advance_id": str(a.id), "merchant_ref": a.merchant_ref, "provider_ref": a.provider_ref, "kind": a.kind, "currency": a.currency,
        "amount": format_minor(a.amount_minor, a.currency), "outstanding": format_minor(a.outstanding_minor, a.currency), "advance_date": a.advance_date.isoformat(),
        "status": a.status, "reference": a.reference, "transaction_id": str(a.transaction_id),
    }


def _settle_audit(after: Advance, amount_minor: int, source: str) -> dict[str, Any]:
    """The audit record of a settlement: the advance after it (amounts in its currency)."""
    c = after.currency
    return {"currency": c, "outstanding": format_minor(after.outstanding_minor, c), "status": after.status, "amount": format_minor(amount_minor, c), "source": source}


def _allocation_json(a: Advance, amount_minor: int) -> dict[str, Any]:
    """One advance's part of a settlement, in the event payload (amounts in the advance's currency)."""
    return {"advance_id": str(a.id), "amount": format_minor(amount_minor, a.currency), "outstanding": format_minor(a.outstanding_minor, a.currency)}


def _lock(stmt: Select[Any], conn: AsyncConnection) -> Select[Any]:
    # SQLite serialises writers (BEGIN IMMEDIATE); PostgreSQL needs a row lock
    return stmt.with_for_update() if conn.dialect.name == "postgresql" else stmt


def _check_ref(value: str, name: str) -> str:
    if not isinstance(value, str) or not REF_PATTERN.match(value):
        raise E.InvalidInput(f"{name} must be 1..64 characters of letters, digits, '_', '.', '-'", field=name)
    return value


def _check_amount(amount: Any, name: str = "amount_minor") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise E.InvalidAmount(repr(amount), "amounts are integers in minor units")
    if amount <= 0:
        raise E.InvalidAmount(str(amount), "amounts must be positive")
    if amount >= 2**62:
        raise E.InvalidAmount(str(amount), "amount too large")
    return amount


async def _ledger_key_transaction(conn: AsyncConnection, institution_id: UUID, key: str) -> UUID | None:
    """The transaction a ledger idempotency key already produced, if any."""
    row = (
        await conn.execute(
            select(ledger_idempotency.c.transaction_id).where(ledger_idempotency.c.institution_id == institution_id, ledger_idempotency.c.key == key)
        )
    ).first()
    return None if row is None else row.transaction_id


# --------------------------------------------------------------------------
# record


async def record_advance(
    ledger: Ledger,
    institution_id: UUID,
    *,
    merchant_ref: str,
    provider_ref: str,
    kind: str,
    currency: str,
    amount_minor: int,
    advance_date: date,
    reference: str | None = None,
    description: str = "",
    repay_account_id: UUID | None = None,
    idempotency_key: str | None = None,
    actor: Actor = SYSTEM,
    config: SettlementConfig | None = None,
) -> Advance:
    """Record that ``provider_ref`` paid a ``kind`` fee (warehousing,
    logistics, tax) of ``amount_minor`` for ``merchant_ref`` on
    ``advance_date``: Dr the merchant's advance receivable / Cr the
    provider's advance payable, plus an ``advance.recorded`` event and an
    audit entry, in one database transaction.

    ``repay_account_id``: the provider's account credited with repayments
    (same ledger and currency); default ``adv:<provider>:proceeds:<CUR>``.
    ``idempotency_key``: a retry with the same key returns the same advance.

    Raises :class:`InvalidInput` (kind, refs, a future date),
    :class:`InvalidAmount`, :class:`UnknownCurrency`,
    :class:`AccountNotFound` (repayment account), :class:`IdempotencyConflict`.
    """
    _check_advance(merchant_ref, provider_ref, kind, currency, amount_minor, advance_date, reference, description, config or SettlementConfig())

    content = dict(
        merchant_ref=merchant_ref, provider_ref=provider_ref, kind=kind, currency=currency, amount_minor=amount_minor, advance_date=advance_date,
        reference=reference, repay_account_id=repay_account_id,
    )
    if idempotency_key is not None:
        existing = await _advance_by_key(ledger.engine, institution_id, idempotency_key)
        if existing is not None:
            return _same_or_conflict(existing, content, idempotency_key)

    ledger_id, rec_id, pay_id, proceeds_id = await advance_accounts(ledger, institution_id, merchant_ref, provider_ref, currency)
    repay_id = await _repay_account(ledger, institution_id, ledger_id, currency, repay_account_id) or proceeds_id
    advance_id = uuid7()
    now = clock.utc_now()
    row = dict(
        id=advance_id, institution_id=institution_id, ledger_id=ledger_id, merchant_ref=merchant_ref, provider_ref=provider_ref, kind=kind,
        currency=currency, amount_minor=amount_minor, outstanding_minor=amount_minor, advance_date=advance_date, status="outstanding",
        reference=reference, description=description, receivable_account_id=rec_id, payable_account_id=pay_id, repay_account_id=repay_id,
        transaction_id=None, idempotency_key=idempotency_key, recorded_at=now, settled_at=None, flagged_at=None,
    )

    async def work(conn: AsyncConnection) -> Advance:
        return await _insert_advance(conn, ledger, institution_id, row, actor)

    try:
        return await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries, retry_on=is_idempotency_race)
    except (IntegrityError, E.DatabaseUnavailable):
        if idempotency_key is not None:
            existing = await _advance_by_key(ledger.engine, institution_id, idempotency_key)
            if existing is not None:  # a concurrent request with the same key won
                return _same_or_conflict(existing, content, idempotency_key)
        raise


async def _insert_advance(conn: AsyncConnection, ledger: Ledger, institution_id: UUID, values: dict[str, Any], actor: Actor) -> Advance:
    """Post the advance's transaction (Dr receivable / Cr payable); store the
    advance, its event and audit entry."""
    v, key = values, values["idempotency_key"]
    item = NewTransaction(
        v["ledger_id"],
        [Posting(v["receivable_account_id"], v["amount_minor"], DEBIT, v["currency"]), Posting(v["payable_account_id"], v["amount_minor"], CREDIT, v["currency"])],
        idempotency_key=f"advance:{key}" if key else f"advance:{v['id']}",
        effective_date=v["advance_date"],
        description=f"advance of {v['kind']} fees by {v['provider_ref']} for {v['merchant_ref']}"[:500],
        metadata={"advance_id": str(v["id"]), "kind": v["kind"], "merchant_ref": v["merchant_ref"], "provider_ref": v["provider_ref"], "reference": v["reference"]},
    )
    res = (await post_batch(conn, institution_id, [item], options=ledger.options))[0]
    if not res.ok:
        raise res.error or E.LedgerError("the posting was refused")
    row = {**values, "transaction_id": res.transaction_id}
    await conn.execute(advances.insert().values(**row))
    adv = _advance(_Row(row))
    payload = _advance_json(adv)
    await emit_event(conn, institution_id, "advance.recorded", payload)
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor.actor_type, actor_id=actor.actor_id, action="advance.record",
        object_type="advance", object_id=str(row["id"]), after=payload, request_id=actor.request_id,
    )
    return adv


async def _repay_account(ledger: Ledger, institution_id: UUID, ledger_id: UUID, currency: str, repay_account_id: UUID | None) -> UUID | None:
    """The given repayment account, checked: in the settlement ledger and the advance's currency."""
    if repay_account_id is not None:
        acct = await ledger.get_account(institution_id, repay_account_id)
        if acct.ledger_id != ledger_id or acct.currency != currency:
            raise AdvanceRule("the repayment account must be in the settlement ledger and in the advance's currency", account=str(repay_account_id), currency=acct.currency)
    return repay_account_id


def _check_advance(
    merchant_ref: str, provider_ref: str, kind: str, currency: str, amount_minor: int, advance_date: date, reference: str | None, description: str,
    cfg: SettlementConfig,
) -> None:
    """Shape checks of a new advance; raises ``InvalidInput`` and friends."""
    if kind not in ADVANCE_KINDS:
        raise E.InvalidInput(f"advance kind must be one of {', '.join(ADVANCE_KINDS)}", kind=str(kind))
    check_currency(currency)
    _check_amount(amount_minor)
    _check_ref(merchant_ref, "merchant_ref")
    _check_ref(provider_ref, "provider_ref")
    if merchant_ref == provider_ref:
        raise AdvanceRule("a provider cannot advance fees to itself")
    if not isinstance(advance_date, date) or isinstance(advance_date, datetime):
        raise E.InvalidInput("advance_date must be a date")
    today = clock.business_today(cfg.regulatory_timezone)
    if advance_date > today:
        raise AdvanceRule(f"advance_date {advance_date} is in the future (today is {today} in {cfg.regulatory_timezone})")
    if reference is not None and len(reference) > 128:
        raise E.InvalidInput("reference is at most 128 characters")
    if len(description) > 500:
        raise E.InvalidInput("description is at most 500 characters")


class _Row:
    """Attribute access over a dict (to build dataclasses from inserted values)."""

    def __init__(self, d: dict[str, Any]) -> None:
        self.__dict__.update(d)


async def _advance_by_key(engine: AsyncEngine, institution_id: UUID, key: str) -> Advance | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(advances).where(advances.c.institution_id == institution_id, advances.c.idempotency_key == key))).first()
    return None if row is None else _advance(row)


def _same_or_conflict(existing: Advance, content: dict[str, Any], key: str) -> Advance:
    have = {
        "merchant_ref": existing.merchant_ref, "provider_ref": existing.provider_ref, "kind": existing.kind, "currency": existing.currency,
        "amount_minor": existing.amount_minor, "advance_date": existing.advance_date, "reference": existing.reference,
        "repay_account_id": content["repay_account_id"] and existing.repay_account_id,
    }
    if have != content:
        raise E.IdempotencyConflict(key)
    return existing


# --------------------------------------------------------------------------
# settle


async def get_advance(engine_or_ledger: Ledger | AsyncEngine, institution_id: UUID, advance_id: UUID) -> tuple[Advance, list[AdvanceSettlement]]:
    """The advance and its settlements (oldest first).  Raises
    :class:`AdvanceNotFound` (also for another institution's advance)."""
    engine = engine_or_ledger.engine if isinstance(engine_or_ledger, Ledger) else engine_or_ledger
    async with engine.connect() as conn:
        row = (await conn.execute(select(advances).where(advances.c.id == advance_id, advances.c.institution_id == institution_id))).first()
        if row is None:
            raise AdvanceNotFound(advance_id)
        srows = (
            await conn.execute(
                select(advance_settlements)
                .where(advance_settlements.c.advance_id == advance_id, advance_settlements.c.institution_id == institution_id)
                .order_by(advance_settlements.c.created_at, advance_settlements.c.id)
            )
        ).all()
    return _advance(row), [_settlement(r) for r in srows]


async def aged_advance(ledger: Ledger, institution_id: UUID, advance_id: UUID) -> tuple[AgedAdvance, list[AdvanceSettlement]]:
    """The advance aged as of today (regulatory time zone), with its
    settlements.  Raises :class:`AdvanceNotFound`."""
    adv, settlements = await get_advance(ledger, institution_id, advance_id)
    cfg = await institution_config(ledger, institution_id)
    day = clock.business_today(cfg.regulatory_timezone)
    bounds = aging_bounds(cfg)
    age = (day - adv.advance_date).days
    flag_after = clock.add_months(adv.advance_date, int(cfg.advance_flag_months))
    bucket = aging_bucket(age, bounds) if adv.outstanding_minor else None
    return AgedAdvance(adv, adv.outstanding_minor, age, bucket, adv.outstanding_minor > 0 and day > flag_after, flag_after), settlements


def _settlement_postings(allocs: Sequence[tuple[Advance, int]], source_account_id: UUID | None) -> list[Posting]:
    """Aggregated per account and side, in a stable order."""
    sums: dict[tuple[UUID, str], int] = defaultdict(int)
    order: list[tuple[UUID, str]] = []

    def add(acct: UUID, side: str, amount: int) -> None:
        if (acct, side) not in sums:
            order.append((acct, side))
        sums[(acct, side)] += amount

    for adv, amt in allocs:
        if source_account_id is not None:
            add(source_account_id, DEBIT, amt)
            add(adv.repay_account_id, CREDIT, amt)
        add(adv.payable_account_id, DEBIT, amt)
        add(adv.receivable_account_id, CREDIT, amt)
    cur = allocs[0][0].currency
    return [Posting(a, sums[(a, s)], s, cur) for a, s in order]


async def _apply_settlements(
    conn: AsyncConnection,
    institution_id: UUID,
    allocs: list[tuple[Advance, int]],
    *,
    source: str,
    source_account_id: UUID | None,
    transaction_id: UUID,
    reference: str | None,
    effective_date: date,
    now: datetime,
) -> list[tuple[Advance, int]]:
    out = []
    rows = []
    for adv, amt in allocs:
        left = adv.outstanding_minor - amt
        values: dict[str, Any] = {"outstanding_minor": left}
        if left == 0:
            values.update(status="settled", settled_at=now)
        await conn.execute(update(advances).where(advances.c.id == adv.id, advances.c.institution_id == institution_id).values(**values))
        rows.append(
            dict(
                id=uuid7(), institution_id=institution_id, advance_id=adv.id, amount_minor=amt, source=source, source_account_id=source_account_id,
                transaction_id=transaction_id, reference=reference, effective_date=effective_date, created_at=now,
            )
        )
        out.append((replace(adv, **values), amt))
    if rows:
        await conn.execute(advance_settlements.insert(), rows)
    return out


async def _allocate(conn: AsyncConnection, institution_id: UUID, merchant_ref: str, currency: str, available_minor: int) -> list[tuple[Advance, int]]:
    """Lock the merchant's outstanding advances in ``currency`` and take up
    to ``available_minor``, oldest advance first (by advance date, then by
    recording time)."""
    rows = (
        await conn.execute(
            _lock(
                select(advances)
                .where(
                    advances.c.institution_id == institution_id, advances.c.merchant_ref == merchant_ref, advances.c.currency == currency,
                    advances.c.status == "outstanding",
                )
                .order_by(advances.c.advance_date, advances.c.recorded_at, advances.c.id),
                conn,
            )
        )
    ).all()
    allocs: list[tuple[Advance, int]] = []
    left = available_minor
    for r in rows:
        if left <= 0:
            break
        adv = _advance(r)
        take = min(adv.outstanding_minor, left)
        if take > 0:
            allocs.append((adv, take))
            left -= take
    return allocs


async def settle_advances_from_proceeds(
    conn: AsyncConnection,
    institution_id: UUID,
    merchant_ref: str,
    currency: str,
    available_minor: int,
    *,
    source_account_id: UUID,
    effective_date: date | None = None,
    transaction_id: UUID | None = None,
    idempotency_key: str | None = None,
    reference: str | None = None,
    post: bool = False,
    actor: Actor = SYSTEM,
    config: SettlementConfig | None = None,
) -> AdvanceNetting:
    """Net the merchant's outstanding advances in ``currency`` from proceeds:
    take up to ``available_minor`` from ``source_account_id`` (the merchant
    account the proceeds were credited to, e.g. its current account),
    oldest advance first, and pay each provider's repayment account.

    Runs inside the caller's transaction on ``conn``: locks and updates the
    advances, records the settlements (source ``proceeds``), emits
    ``advance.settled`` and an audit entry.  The ledger transaction is
    returned, not posted (unless ``post=True``): post ``result.items`` with
    ``ledger.posting.post_batch(conn, ...)`` in the same transaction (and
    check the result), or merge ``result.postings`` into your own
    transaction whose id is ``transaction_id`` (pass it in).  Either way the
    caller commits, or rolls everything back.

    Returns :class:`AdvanceNetting` (iterate for ``(advance, amount)``);
    ``total_minor`` is 0 and ``items`` empty when nothing is owed.
    Raises :class:`InvalidInput`, and with ``post=True`` the ledger's
    refusal (e.g. :class:`InsufficientFunds` on the source account).
    """
    cfg = config or SettlementConfig()
    check_currency(currency)
    _check_ref(merchant_ref, "merchant_ref")
    if isinstance(available_minor, bool) or not isinstance(available_minor, int) or available_minor < 0:
        raise E.InvalidAmount(repr(available_minor), "available proceeds are a non-negative integer in minor units")
    eff = effective_date or business_date(None, cfg.regulatory_timezone)
    tx_id = transaction_id or uuid7()
    now = clock.utc_now()
    allocs = await _allocate(conn, institution_id, merchant_ref, currency, available_minor)
    total = sum(a for _, a in allocs)
    if not allocs:
        return AdvanceNetting([], 0, tx_id, [], [])
    src = (await conn.execute(select(accounts.c.ledger_id, accounts.c.currency).where(accounts.c.id == source_account_id, accounts.c.institution_id == institution_id))).first()
    if src is None:
        raise E.AccountNotFound(source_account_id)
    ledger_id = allocs[0][0].ledger_id
    if src.ledger_id != ledger_id or src.currency != currency:
        raise AdvanceRule("the proceeds account must be in the settlement ledger and in the advances' currency", account=str(source_account_id))
    postings = _settlement_postings(allocs, source_account_id)
    done = await _apply_settlements(
        conn, institution_id, allocs, source="proceeds", source_account_id=source_account_id, transaction_id=tx_id, reference=reference,
        effective_date=eff, now=now,
    )
    item = NewTransaction(
        ledger_id, postings, idempotency_key=idempotency_key or f"advance-netting:{tx_id}", effective_date=eff,
        description=f"advances of {merchant_ref} netted from proceeds"[:500],
        metadata={"advance_ids": [str(a.id) for a, _ in allocs], "merchant_ref": merchant_ref, "reference": reference}, id=tx_id,
    )
    payload = {
        "source": "proceeds", "merchant_ref": merchant_ref, "currency": currency, "total": format_minor(total, currency), "transaction_id": str(tx_id),
        "allocations": [_allocation_json(a, amt) for a, amt in done],
    }
    await emit_event(conn, institution_id, "advance.settled", payload)
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor.actor_type, actor_id=actor.actor_id, action="advance.settle_from_proceeds",
        object_type="advance", object_id=str(allocs[0][0].id), after=payload, request_id=actor.request_id,
    )
    if post:
        res = (await post_batch(conn, institution_id, [item]))[0]
        if not res.ok:
            raise res.error or E.LedgerError("the posting was refused")
    return AdvanceNetting(done, total, tx_id, postings, [item])


async def outstanding_advances_minor(conn: AsyncConnection, institution_id: UUID, merchant_ref: str, currency: str) -> int:
    """What the merchant still owes on its advances in ``currency``."""
    from sqlalchemy import func

    v = (
        await conn.execute(
            select(func.coalesce(func.sum(advances.c.outstanding_minor), 0)).where(
                advances.c.institution_id == institution_id, advances.c.merchant_ref == merchant_ref, advances.c.currency == currency,
                advances.c.status == "outstanding",
            )
        )
    ).scalar()
    return int(v or 0)


async def settle_advance(
    ledger: Ledger,
    institution_id: UUID,
    advance_id: UUID,
    *,
    amount_minor: int | None = None,
    source_account_id: UUID | None = None,
    effective_date: date | None = None,
    reference: str | None = None,
    idempotency_key: str | None = None,
    actor: Actor = SYSTEM,
    config: SettlementConfig | None = None,
) -> Advance:
    """Settle one advance fully (default) or partly.

    With ``source_account_id`` (a merchant account in the advance's
    currency) the amount moves from it to the provider's repayment account
    (source ``account``); without, the advance is recorded as settled
    outside the institution (source ``outside``: only the receivable and
    payable are cleared).  A retry with the same ``idempotency_key`` returns
    the advance without settling twice.

    Raises :class:`AdvanceNotFound`, :class:`AdvanceSettlementExceedsOutstanding`,
    :class:`InvalidAmount`, and the ledger's refusals
    (:class:`InsufficientFunds` on the source account, ...).
    """
    cfg = config or SettlementConfig()
    if amount_minor is not None:
        _check_amount(amount_minor)
    ledger_key = f"advance-settle:{idempotency_key}" if idempotency_key else None

    async def work(conn: AsyncConnection) -> Advance:
        row = (await conn.execute(_lock(select(advances).where(advances.c.id == advance_id, advances.c.institution_id == institution_id), conn))).first()
        if row is None:
            raise AdvanceNotFound(advance_id)
        adv = _advance(row)
        if ledger_key is not None and await _ledger_key_transaction(conn, institution_id, ledger_key) is not None:
            return adv  # already settled by this request
        amt = adv.outstanding_minor if amount_minor is None else amount_minor
        if amt <= 0 or amt > adv.outstanding_minor:
            raise AdvanceSettlementExceedsOutstanding(adv.id, adv.outstanding_minor, amt, adv.currency)
        if source_account_id is not None:
            src = (await conn.execute(select(accounts.c.ledger_id, accounts.c.currency).where(accounts.c.id == source_account_id, accounts.c.institution_id == institution_id))).first()
            if src is None:
                raise E.AccountNotFound(source_account_id)
            if src.ledger_id != adv.ledger_id or src.currency != adv.currency:
                raise AdvanceRule("the source account must be in the settlement ledger and in the advance's currency", account=str(source_account_id))
        eff = effective_date or business_date(None, cfg.regulatory_timezone)
        tx_id = uuid7()
        now = clock.utc_now()
        source = "account" if source_account_id is not None else "outside"
        item = NewTransaction(
            adv.ledger_id, _settlement_postings([(adv, amt)], source_account_id), idempotency_key=ledger_key or f"advance-settle:{tx_id}",
            effective_date=eff, description=f"advance {adv.id} settled ({source})", metadata={"advance_id": str(adv.id), "source": source, "reference": reference},
            id=tx_id,
        )
        res = (await post_batch(conn, institution_id, [item], options=ledger.options))[0]
        if not res.ok:
            raise res.error or E.LedgerError("the posting was refused")
        [(after, _)] = await _apply_settlements(
            conn, institution_id, [(adv, amt)], source=source, source_account_id=source_account_id, transaction_id=tx_id, reference=reference,
            effective_date=eff, now=now,
        )
        payload = {
            "source": source, "merchant_ref": adv.merchant_ref, "currency": adv.currency, "total": format_minor(amt, adv.currency), "transaction_id": str(tx_id),
            "allocations": [_allocation_json(after, amt)],
        }
        await emit_event(conn, institution_id, "advance.settled", payload)
        await record_audit(
            conn, institution_id=institution_id, actor_type=actor.actor_type, actor_id=actor.actor_id, action="advance.settle",
            object_type="advance", object_id=str(adv.id), before={"currency": adv.currency, "outstanding": format_minor(adv.outstanding_minor, adv.currency)},
            after=_settle_audit(after, amt, source), request_id=actor.request_id,
        )
        return after

    return await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries, retry_on=is_idempotency_race)


# --------------------------------------------------------------------------
# aging and the flag


async def advance_aging(
    engine_or_ledger: Ledger | AsyncEngine,
    institution_id: UUID,
    *,
    as_of: date | datetime | None = None,
    merchant_ref: str | None = None,
    provider_ref: str | None = None,
    currency: str | None = None,
    include_settled: bool = False,
    flagged_only: bool = False,
    config: SettlementConfig | None = None,
    limit: int | None = None,
) -> AgingReport:
    """Advances with their age, aging bucket and 12-month flag as of a date
    (default today in the regulatory time zone; an aware instant is turned
    into that zone's date).  Outstanding amounts are as of that date
    (settlements effective on or before it); advances dated after it are
    left out.  Bucket totals cover outstanding advances only.

    Buckets: 0-30, 31-90, 91-180, 181-365, >365 days by default
    (``SettlementConfig.extra["advance_aging_bounds_days"]``).  Flagged:
    outstanding longer than ``advance_flag_months`` calendar months."""
    cfg = config or SettlementConfig()
    engine = engine_or_ledger.engine if isinstance(engine_or_ledger, Ledger) else engine_or_ledger
    day = business_date(as_of, cfg.regulatory_timezone)
    bounds = aging_bounds(cfg)
    labels = bucket_labels(bounds)
    months = int(cfg.advance_flag_months)
    conds = [advances.c.institution_id == institution_id, advances.c.advance_date <= day]
    if merchant_ref is not None:
        conds.append(advances.c.merchant_ref == merchant_ref)
    if provider_ref is not None:
        conds.append(advances.c.provider_ref == provider_ref)
    if currency is not None:
        conds.append(advances.c.currency == currency)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(advances).where(and_(*conds)).order_by(advances.c.advance_date, advances.c.recorded_at, advances.c.id))).all()
        later: dict[UUID, int] = defaultdict(int)
        ids = [r.id for r in rows]
        for i in range(0, len(ids), 4000):
            chunk = ids[i : i + 4000]
            q = select(advance_settlements.c.advance_id, advance_settlements.c.amount_minor).where(
                advance_settlements.c.advance_id.in_(chunk), advance_settlements.c.effective_date > day
            )
            for s in await conn.execute(q):
                later[s.advance_id] += int(s.amount_minor)
    items: list[AgedAdvance] = []
    totals: dict[tuple[str, str], AgingBucket] = {}
    flagged_minor: dict[str, int] = defaultdict(int)
    flagged_count = 0
    for r in rows:
        adv = _advance(r)
        outstanding = min(adv.amount_minor, adv.outstanding_minor + later.get(adv.id, 0))
        age = (day - adv.advance_date).days
        flag_after = clock.add_months(adv.advance_date, months)
        flagged = outstanding > 0 and day > flag_after
        bucket = aging_bucket(age, bounds) if outstanding > 0 else None
        if outstanding > 0:
            for lab in labels:
                totals.setdefault((adv.currency, lab), AgingBucket(adv.currency, lab))
            b = totals[(adv.currency, bucket or labels[0])]
            b.count += 1
            b.outstanding_minor += outstanding
        if flagged:
            flagged_count += 1
            flagged_minor[adv.currency] += outstanding
        if outstanding == 0 and not include_settled:
            continue
        if flagged_only and not flagged:
            continue
        items.append(AgedAdvance(adv, outstanding, age, bucket, flagged, flag_after))
    if limit is not None:
        items = items[:limit]
    buckets = sorted(totals.values(), key=lambda b: (b.currency, labels.index(b.bucket)))
    return AgingReport(day, labels, items, buckets, flagged_count, dict(flagged_minor))


async def _raise_overdue_alert(conn: AsyncConnection, institution_id: UUID, adv: Advance, details: dict[str, Any]) -> None:
    """An S9 ``advance_overdue`` risk alert."""
    try:
        customer_id: UUID | None = UUID(adv.merchant_ref)
    except ValueError:
        customer_id = None
    await raise_alert(conn, institution_id, "advance_overdue", customer_id=customer_id, subject_type="advance", subject_id=adv.id, details=details)


async def flag_stale_advances(
    ledger: Ledger,
    institution_id: UUID,
    *,
    as_of: date | datetime | None = None,
    actor: Actor = SYSTEM,
    config: SettlementConfig | None = None,
) -> list[Advance]:
    """Mark advances outstanding longer than ``advance_flag_months`` (as of
    ``as_of``, default today in the regulatory time zone) with
    ``flagged_at``, once each, with an ``advance.flagged`` event, an
    ``advance_overdue`` risk alert (S9) and an audit entry for each newly
    flagged advance.  Returns those advances."""
    cfg = config or SettlementConfig()
    day = business_date(as_of, cfg.regulatory_timezone)
    months = int(cfg.advance_flag_months)

    async def work(conn: AsyncConnection) -> list[Advance]:
        rows = (
            await conn.execute(
                _lock(
                    select(advances).where(
                        advances.c.institution_id == institution_id, advances.c.status == "outstanding", advances.c.flagged_at.is_(None),
                        advances.c.advance_date < day,
                    ),
                    conn,
                )
            )
        ).all()
        now = clock.utc_now()
        out = []
        for r in rows:
            adv = _advance(r)
            if not is_flagged(adv.advance_date, day, months):
                continue
            await conn.execute(update(advances).where(advances.c.id == adv.id).values(flagged_at=now))
            payload = {**_advance_json(adv), "as_of": day.isoformat(), "flag_months": months, "age_days": (day - adv.advance_date).days}
            await emit_event(conn, institution_id, "advance.flagged", payload)
            await _raise_overdue_alert(conn, institution_id, adv, payload)
            await record_audit(
                conn, institution_id=institution_id, actor_type=actor.actor_type, actor_id=actor.actor_id, action="advance.flag",
                object_type="advance", object_id=str(adv.id), after=payload, request_id=actor.request_id,
            )
            out.append(replace(adv, flagged_at=now))
        return out

    return await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries)


# --------------------------------------------------------------------------
# integration: per-institution configuration and the receipts' proceeds hook


async def institution_config(engine_or_ledger: Ledger | AsyncEngine, institution_id: UUID) -> SettlementConfig:
    """The institution's settlement parameters (defaults when it has set none)."""
    engine = engine_or_ledger.engine if isinstance(engine_or_ledger, Ledger) else engine_or_ledger
    async with engine.connect() as conn:
        row = (await conn.execute(select(settlement_settings.c.config).where(settlement_settings.c.institution_id == institution_id))).first()
    return SettlementConfig.from_dict(row.config if row else None)


async def customers_owing_advances(conn: AsyncConnection, institution_id: UUID, customer_ids: Sequence[UUID]) -> set[UUID]:
    """The customers among ``customer_ids`` with an advance outstanding: the
    receipts bulk path calls the hook only for them."""
    refs = {str(c): c for c in customer_ids}
    if not refs:
        return set()
    rows = await conn.execute(
        select(advances.c.merchant_ref).where(advances.c.institution_id == institution_id, advances.c.merchant_ref.in_(list(refs)), advances.c.outstanding_minor > 0).distinct()
    )
    return {refs[r.merchant_ref] for r in rows if r.merchant_ref in refs}


async def advance_proceeds_hook(
    conn: AsyncConnection,
    *,
    institution_id: UUID,
    customer_id: UUID,
    currency: str,
    available_minor: int,
    receipt_id: UUID | None = None,
    ledger_id: UUID | None = None,
    **_: Any,
) -> list[ProceedsShare]:
    """Proceeds hook for ``settlement.receipts`` (S4 "netting from later
    proceeds"): when a receipt is credited to a customer's current account,
    take what the customer (``merchant_ref = str(customer_id)``) owes on its
    advances in that currency, oldest first, as one share per provider
    repayment account (``Dr current / Cr repayment``).  After each share is
    posted, the receivable and payable are cleared (``Dr payable / Cr
    receivable``) and the settlements recorded, in the receipt's
    transaction."""

    merchant_ref = str(customer_id)
    if available_minor <= 0 or not REF_PATTERN.match(merchant_ref):
        return []
    allocs = await _allocate(conn, institution_id, merchant_ref, currency, available_minor)
    if not allocs:
        return []
    groups: dict[UUID, list[tuple[Advance, int]]] = {}
    for adv, amt in allocs:
        groups.setdefault(adv.repay_account_id, []).append((adv, amt))
    cur_code = customer_account_code(customer_id, "current", currency)
    src = (
        await conn.execute(select(accounts.c.id).where(accounts.c.institution_id == institution_id, accounts.c.ledger_id == allocs[0][0].ledger_id, accounts.c.code == cur_code))
    ).first()
    source_account_id = src.id if src else None
    eff = business_date(None, SettlementConfig().regulatory_timezone)
    shares = []
    for repay_id, group in groups.items():

        async def after(c: AsyncConnection, tx_id: UUID, group: list[tuple[Advance, int]] = group) -> None:
            memo = NewTransaction(
                group[0][0].ledger_id, _settlement_postings(group, None), idempotency_key=f"advance-netting-memo:{tx_id}", effective_date=eff,
                description="advances cleared by netting from a receipt",
                metadata={"receipt_id": str(receipt_id) if receipt_id else None, "cash_transaction_id": str(tx_id), "advance_ids": [str(a.id) for a, _ in group]},
            )
            res = (await post_batch(c, institution_id, [memo]))[0]
            if not res.ok:
                raise res.error or E.LedgerError("the posting was refused")
            done = await _apply_settlements(
                c, institution_id, group, source="proceeds", source_account_id=source_account_id, transaction_id=tx_id,
                reference=f"receipt:{receipt_id}" if receipt_id else None, effective_date=eff, now=clock.utc_now(),
            )
            payload = {
                "source": "proceeds", "merchant_ref": merchant_ref, "currency": currency, "total": format_minor(sum(a for _, a in group), currency),
                "transaction_id": str(tx_id), "receipt_id": str(receipt_id) if receipt_id else None,
                "allocations": [_allocation_json(a, amt) for a, amt in done],
            }
            await emit_event(c, institution_id, "advance.settled", payload)
            await record_audit(
                c, institution_id=institution_id, actor_type="system", actor_id="settlement", action="advance.settle_from_proceeds",
                object_type="advance", object_id=str(group[0][0].id), after=payload,
            )

        shares.append(
            ProceedsShare(
                credit_account_id=repay_id, amount_minor=sum(a for _, a in group), description=f"advances netted from proceeds ({group[0][0].provider_ref})"[:500],
                metadata={"share": "advance", "advance_ids": [str(a.id) for a, _ in group], "provider_ref": group[0][0].provider_ref}, after=after,
            )
        )
    return shares


def register_advance_netting() -> bool:
    """Register :func:`advance_proceeds_hook` with the receipts service
    (called by the settlement facade and by ``api.bootstrap``)."""

    advance_proceeds_hook.prefilter = customers_owing_advances  # type: ignore[attr-defined]
    register_proceeds_hook("advances", advance_proceeds_hook)
    return True


register_advance_netting()
