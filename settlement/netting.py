"""S8 multilateral netting cycles, and S7: a payment institution's daily
settlement with its partner bank, run as the same kind of cycle.

A cycle is opened, collects obligations ("payer owes payee an amount in a
currency") between *participants*, and is closed once: closing computes per
participant account (one account per participant and currency) its net
position, ``receivable - payable``, and the fewest settlement instructions
through the central settlement account: each net payer pays the central
account its net amount, the central account pays each net receiver.  So a
currency with ``n`` participants whose position is not zero has exactly
``n`` instructions.  All instructions, every currency, are posted as ONE
ledger transaction that sums to zero per currency (the central account
nets to zero in each currency).  A closed cycle is immutable; closing it
again returns it unchanged; obligations for a closed cycle are refused.  If
a participant account with a balance limit cannot pay its net amount, the
close fails as a whole with :class:`NettingInsufficientFunds` naming the
participant, and nothing is posted.

Accounts and posting convention (all in the cycle's ledger, by default the
institution's ``settlement`` ledger):

  participant   any account of the institution in the cycle's ledger and the
                obligation's currency: value moves from payer to payee as
                ``Dr payer / Cr payee``.  A participant account is its
                position as the institution books it: for a merchant,
                provider or platform, its funds account (liability, e.g.
                ``cust:<id>:current:<CUR>``); for a bank, the institution's
                account *at* that bank (asset: the bank pays by crediting it,
                so ``Dr`` it).
  ``inst:central:<CUR>``  central settlement account (asset, see
                settlement/accounts.py); opened on first use in the cycle's
                ledger.
  instructions  net payer:    Dr participant  / Cr inst:central:<CUR>
                net receiver: Dr inst:central:<CUR> / Cr participant

S7 (:func:`daily_partner_bank_settlement`): the partner bank takes part
through the institution's reserve account at it (default
``inst:nostro:<CUR>``, asset), the institution through

  ``partner:<bank_ref>:clearing:<CUR>``  the day's unsettled amounts with the
                partner bank (asset; positive: the bank owes the institution,
                negative: the institution owes the bank), which the receipts
                and payments of the day are booked against;

a flow from the bank (it owes the institution, e.g. receipts it collected)
is the obligation reserve -> clearing, a flow to the bank (e.g. payments it
executed) clearing -> reserve; closing leaves the clearing account settled
and moves the net through the reserve account.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger import errors as E
from ledger.clock import utc_now
from ledger.db import run_in_transaction
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.model import CREDIT, DEBIT, NewTransaction, Posting
from ledger.money import currency as check_currency
from ledger.money import format_minor
from ledger.posting import is_idempotency_race, post_batch
from ledger.schema import accounts
from ledger.service import Ledger
from ledger.service.core import MAX_ROWS

from .accounts import INSTITUTION_ACCOUNT_KINDS, institution_account, institution_account_code, settlement_ledger_id
from .advances import SYSTEM, Actor
from .advances import business_date as _business_date
from .config import SettlementConfig
from .tables_netting import (
    CYCLE_KINDS,
    netting_cycles,
    netting_instructions,
    netting_obligations,
    netting_positions,
)

MAX_OBLIGATIONS_PER_BATCH = 10_000
PAY, RECEIVE = "pay", "receive"


# --------------------------------------------------------------------------
# errors


class NettingCycleNotFound(E.NotFound):
    code = "netting_cycle_not_found"
    title = "Netting cycle not found"

    def __init__(self, ref: object) -> None:
        super().__init__("netting cycle", ref)


class NettingCycleClosed(E.Conflict):
    code = "netting_cycle_closed"
    title = "Netting cycle closed"

    def __init__(self, cycle_id: object, closed_at: datetime | None = None) -> None:
        super().__init__(
            f"netting cycle {cycle_id} is closed and cannot change",
            cycle_id=str(cycle_id),
            closed_at=closed_at.isoformat() if closed_at else None,
        )


class InvalidObligation(E.InvalidInput):
    code = "invalid_obligation"
    title = "Invalid obligation"

    def __init__(self, index: int, reason: str, **details: Any) -> None:
        super().__init__(f"obligation #{index}: {reason}", index=index, reason=reason, **details)


class NettingInsufficientFunds(E.LedgerError):
    """A participant cannot pay its net amount; the cycle stays open."""

    code = "netting_insufficient_funds"
    title = "Participant cannot pay its net position"

    def __init__(self, cycle_id: object, account_id: object, account_code: str, owner_ref: str | None, currency: str, available: int, requested: int) -> None:
        who = f"{account_code}" + (f" (owner {owner_ref})" if owner_ref else "")
        super().__init__(
            f"netting cycle {cycle_id} cannot close: participant {who} has {format_minor(available, currency)} {currency} available, "
            f"{format_minor(requested, currency)} {currency} required; nothing was posted",
            cycle_id=str(cycle_id),
            participant_account_id=str(account_id),
            participant_code=account_code,
            owner_ref=owner_ref,
            currency=currency,
            available=format_minor(available, currency),
            requested=format_minor(requested, currency),
        )


# --------------------------------------------------------------------------
# data


@dataclass(frozen=True, slots=True)
class ObligationIn:
    """``payer`` owes ``payee`` ``amount_minor``; ``currency`` defaults to
    the payer account's currency."""

    payer_account_id: UUID
    payee_account_id: UUID
    amount_minor: int
    currency: str | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Obligation:
    id: UUID
    seq: int
    payer_account_id: UUID
    payee_account_id: UUID
    currency: str
    amount_minor: int
    reference: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Position:
    account_id: UUID
    currency: str
    receivable_minor: int
    payable_minor: int

    @property
    def net_minor(self) -> int:
        """receivable - payable: > 0 net receiver, < 0 net payer."""
        return self.receivable_minor - self.payable_minor


@dataclass(frozen=True, slots=True)
class Instruction:
    """``pay``: the participant pays the central account ``amount_minor``;
    ``receive``: the central account pays the participant."""

    seq: int
    account_id: UUID
    currency: str
    direction: str
    amount_minor: int

    @property
    def signed_minor(self) -> int:
        return self.amount_minor if self.direction == RECEIVE else -self.amount_minor


@dataclass(frozen=True, slots=True)
class NettingCycle:
    id: UUID
    institution_id: UUID
    ledger_id: UUID
    kind: str
    reference: str | None
    description: str
    status: str
    business_date: date
    obligation_count: int
    opened_at: datetime
    closed_at: datetime | None
    transaction_id: UUID | None
    metadata: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Participant:
    account_id: UUID
    code: str
    name: str
    owner_ref: str | None
    currency: str
    type: str


@dataclass(slots=True)
class CycleView:
    """A cycle with its positions and instructions: stored for a closed
    cycle, computed as a preview for an open one."""

    cycle: NettingCycle
    positions: list[Position]
    instructions: list[Instruction]
    central_accounts: dict[str, UUID]
    participants: dict[UUID, Participant] = field(default_factory=dict)
    #: True when this call closed the cycle (False: it was closed before)
    closed_now: bool = False

    def totals(self) -> dict[str, int]:
        """Per currency: the amount paid to (= paid out of) the central account."""
        out: dict[str, int] = defaultdict(int)
        for i in self.instructions:
            if i.direction == PAY:
                out[i.currency] += i.amount_minor
        return dict(out)


@dataclass(frozen=True, slots=True)
class PartnerBankFlow:
    """One of the day's amounts between the institution and its partner
    bank: ``from_bank`` (the bank owes the institution) or ``to_bank``."""

    direction: str
    currency: str
    amount_minor: int
    reference: str | None = None


# --------------------------------------------------------------------------
# the arithmetic (pure)


def compute_positions(obligations: Iterable[Any]) -> list[Position]:
    """Net position per (participant account, currency) of obligations with
    ``payer_account_id``, ``payee_account_id``, ``currency``,
    ``amount_minor``; ordered by currency then account.  Positions sum to
    zero per currency."""
    rec: dict[tuple[UUID, str], int] = defaultdict(int)
    pay: dict[tuple[UUID, str], int] = defaultdict(int)
    for o in obligations:
        rec[(o.payee_account_id, o.currency)] += o.amount_minor
        pay[(o.payer_account_id, o.currency)] += o.amount_minor
    keys = sorted(set(rec) | set(pay), key=lambda k: (k[1], str(k[0])))
    return [Position(a, c, rec.get((a, c), 0), pay.get((a, c), 0)) for a, c in keys]


def settlement_instructions(positions: Iterable[Position]) -> list[Instruction]:
    """The fewest instructions through the central account: one per
    participant whose net position is not zero (net payers first within a
    currency, each group by account), numbered from 1."""
    by_cur: dict[str, list[Position]] = defaultdict(list)
    for p in positions:
        if p.net_minor != 0:
            by_cur[p.currency].append(p)
    out: list[Instruction] = []
    for cur in sorted(by_cur):
        ps = by_cur[cur]
        for p in sorted((p for p in ps if p.net_minor < 0), key=lambda p: str(p.account_id)):
            out.append(Instruction(len(out) + 1, p.account_id, cur, PAY, -p.net_minor))
        for p in sorted((p for p in ps if p.net_minor > 0), key=lambda p: str(p.account_id)):
            out.append(Instruction(len(out) + 1, p.account_id, cur, RECEIVE, p.net_minor))
    return out


def instruction_postings(instructions: Iterable[Instruction], central_accounts: dict[str, UUID]) -> list[Posting]:
    """Two postings per instruction: net payer ``Dr participant / Cr central``,
    net receiver ``Dr central / Cr participant``."""
    out: list[Posting] = []
    for i in instructions:
        central = central_accounts[i.currency]
        if i.direction == PAY:
            out.append(Posting(i.account_id, i.amount_minor, DEBIT, i.currency))
            out.append(Posting(central, i.amount_minor, CREDIT, i.currency))
        else:
            out.append(Posting(central, i.amount_minor, DEBIT, i.currency))
            out.append(Posting(i.account_id, i.amount_minor, CREDIT, i.currency))
    return out


# --------------------------------------------------------------------------
# rows


def _utc_ts(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def _utc(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def _cycle(row: Any) -> NettingCycle:
    m = row if isinstance(row, dict) else row._mapping
    return NettingCycle(
        id=m["id"], institution_id=m["institution_id"], ledger_id=m["ledger_id"], kind=m["kind"], reference=m["reference"],
        description=m["description"], status=m["status"], business_date=m["business_date"], obligation_count=int(m["obligation_count"]),
        opened_at=_utc_ts(m["opened_at"]), closed_at=_utc(m["closed_at"]), transaction_id=m["transaction_id"], metadata=dict(m["metadata"] or {}),
    )


def _obligation(row: Any) -> Obligation:
    return Obligation(row.id, row.seq, row.payer_account_id, row.payee_account_id, row.currency, int(row.amount_minor), row.reference, _utc_ts(row.created_at))


def _engine(x: Ledger | AsyncEngine) -> AsyncEngine:
    return x.engine if isinstance(x, Ledger) else x


def _lock(stmt: Select[Any], conn: AsyncConnection) -> Select[Any]:
    return stmt.with_for_update() if conn.dialect.name == "postgresql" else stmt


def _cycle_json(c: NettingCycle) -> dict[str, Any]:
    return {
        "cycle_id": str(c.id), "kind": c.kind, "reference": c.reference, "status": c.status, "business_date": c.business_date.isoformat(),
        "obligation_count": c.obligation_count, "transaction_id": str(c.transaction_id) if c.transaction_id else None,
    }


async def _load_cycle(conn: AsyncConnection, institution_id: UUID, cycle_id: UUID, *, lock: bool = False) -> NettingCycle:
    stmt = select(netting_cycles).where(netting_cycles.c.id == cycle_id, netting_cycles.c.institution_id == institution_id)
    row = (await conn.execute(_lock(stmt, conn) if lock else stmt)).first()
    if row is None:
        raise NettingCycleNotFound(cycle_id)
    return _cycle(row)


async def _load_obligations(conn: AsyncConnection, cycle_id: UUID) -> list[Obligation]:
    rows = await conn.execute(select(netting_obligations).where(netting_obligations.c.cycle_id == cycle_id).order_by(netting_obligations.c.seq))
    return [_obligation(r) for r in rows]


async def _cycle_currencies(conn: AsyncConnection, cycle_id: UUID) -> list[str]:
    rows = await conn.execute(select(netting_obligations.c.currency).where(netting_obligations.c.cycle_id == cycle_id).distinct())
    return sorted(r[0] for r in rows)


def central_account_code(currency: str) -> str:
    return institution_account_code("central", currency)


async def _central_accounts(conn: AsyncConnection, institution_id: UUID, ledger_id: UUID, currencies: Iterable[str]) -> dict[str, UUID]:
    currencies = sorted(set(currencies))
    if not currencies:
        return {}
    codes = {central_account_code(c): c for c in currencies}
    rows = await conn.execute(
        select(accounts.c.id, accounts.c.code).where(accounts.c.institution_id == institution_id, accounts.c.ledger_id == ledger_id, accounts.c.code.in_(list(codes)))
    )
    return {codes[r.code]: r.id for r in rows}


async def ensure_central_accounts(ledger: Ledger, institution_id: UUID, ledger_id: UUID, currencies: Iterable[str]) -> dict[str, UUID]:
    """The central settlement account per currency in ``ledger_id``, opened
    on first use (in their own transaction)."""
    type_, _flag = INSTITUTION_ACCOUNT_KINDS["central"]
    settlement_id = await settlement_ledger_id(ledger, institution_id)
    out: dict[str, UUID] = {}
    for cur in sorted(set(currencies)):
        if ledger_id == settlement_id:
            out[cur] = await institution_account(ledger, institution_id, "central", cur)
            continue
        acct = await ledger.find_account(institution_id, ledger_id, central_account_code(cur))
        if acct is None:
            try:
                acct = await ledger.create_account(
                    institution_id, ledger_id, central_account_code(cur), cur, type_, name=f"Central settlement {cur}", metadata={"institution_account": "central"},
                )
            except E.DuplicateCode:
                acct = await ledger.find_account(institution_id, ledger_id, central_account_code(cur))
        assert acct is not None  # another request opened it
        out[cur] = acct.id
    return out


async def _participants(conn: AsyncConnection, institution_id: UUID, ids: Iterable[UUID]) -> dict[UUID, Participant]:
    ids = list(set(ids))
    out: dict[UUID, Participant] = {}
    for i in range(0, len(ids), 4000):
        rows = await conn.execute(
            select(accounts.c.id, accounts.c.code, accounts.c.name, accounts.c.owner_ref, accounts.c.currency, accounts.c.type).where(
                accounts.c.institution_id == institution_id, accounts.c.id.in_(ids[i : i + 4000])
            )
        )
        for r in rows:
            out[r.id] = Participant(r.id, r.code, r.name, r.owner_ref, r.currency, r.type)
    return out


# --------------------------------------------------------------------------
# open


async def open_cycle(
    ledger: Ledger,
    institution_id: UUID,
    *,
    reference: str | None = None,
    description: str = "",
    kind: str = "multilateral",
    ledger_id: UUID | None = None,
    business_date: date | None = None,
    metadata: dict[str, Any] | None = None,
    actor: Actor = SYSTEM,
    config: SettlementConfig | None = None,
) -> NettingCycle:
    """Open a cycle in ``ledger_id`` (default: the settlement ledger) for
    ``business_date`` (default today in the regulatory time zone).  A
    ``reference`` names the cycle uniquely in the institution: opening again
    with it returns the existing cycle.  Raises :class:`LedgerNotFound`,
    :class:`InvalidInput`, :class:`DuplicateCode` (reference used by a
    cycle of another kind or ledger)."""
    cfg = config or SettlementConfig()
    if kind not in CYCLE_KINDS:
        raise E.InvalidInput(f"cycle kind must be one of {', '.join(CYCLE_KINDS)}", kind=str(kind))
    if reference is not None and not (1 <= len(reference) <= 128):
        raise E.InvalidInput("reference is 1..128 characters")
    if len(description) > 500:
        raise E.InvalidInput("description is at most 500 characters")
    if ledger_id is None:
        ledger_id = await settlement_ledger_id(ledger, institution_id)
    else:
        await ledger.get_ledger(institution_id, ledger_id)
    day = business_date or _business_date(None, cfg.regulatory_timezone)

    async def work(conn: AsyncConnection) -> NettingCycle:
        if reference is not None:
            row = (await conn.execute(select(netting_cycles).where(netting_cycles.c.institution_id == institution_id, netting_cycles.c.reference == reference))).first()
            if row is not None:
                found = _cycle(row)
                if found.kind != kind or found.ledger_id != ledger_id:
                    raise E.DuplicateCode("netting cycle reference", reference)
                return found
        return await _insert_cycle(conn, institution_id, ledger_id, kind=kind, reference=reference, description=description, day=day, metadata=metadata or {}, actor=actor)

    try:
        return await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries)
    except IntegrityError:
        return await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries)  # a concurrent open won: return it


async def _insert_cycle(conn: AsyncConnection, institution_id: UUID, ledger_id: UUID, *, kind: str, reference: str | None, description: str, day: date, metadata: dict[str, Any], actor: Actor) -> NettingCycle:
    row = dict(
        id=uuid7(), institution_id=institution_id, ledger_id=ledger_id, kind=kind, reference=reference, description=description, status="open",
        business_date=day, obligation_count=0, opened_at=utc_now(), closed_at=None, transaction_id=None, metadata=metadata,
    )
    await conn.execute(netting_cycles.insert().values(**row))
    cycle = _cycle(row)
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor.actor_type, actor_id=actor.actor_id, action="netting.open",
        object_type="netting_cycle", object_id=str(cycle.id), after=_cycle_json(cycle), request_id=actor.request_id,
    )
    return cycle


# --------------------------------------------------------------------------
# obligations


def _check_obligations(obligations: Sequence[ObligationIn]) -> None:
    if len(obligations) > MAX_OBLIGATIONS_PER_BATCH:
        raise E.BatchTooLarge(len(obligations), MAX_OBLIGATIONS_PER_BATCH)
    for n, o in enumerate(obligations):
        if not isinstance(o.payer_account_id, UUID) or not isinstance(o.payee_account_id, UUID):
            raise InvalidObligation(n, "payer and payee are account ids")
        if o.payer_account_id == o.payee_account_id:
            raise InvalidObligation(n, "payer and payee are the same account")
        amt = o.amount_minor
        if isinstance(amt, bool) or not isinstance(amt, int) or amt <= 0 or amt >= 2**62:
            raise InvalidObligation(n, "the amount must be a positive integer in minor units", amount=repr(amt))
        if o.currency is not None:
            check_currency(o.currency)
        if o.reference is not None and len(o.reference) > 128:
            raise InvalidObligation(n, "reference is at most 128 characters")


async def _resolve_obligations(conn: AsyncConnection, institution_id: UUID, cycle: NettingCycle, obligations: Sequence[ObligationIn]) -> list[tuple[ObligationIn, str]]:
    """Check the accounts (this institution, the cycle's ledger, open, the
    obligation's currency); returns each obligation with its currency."""
    ids = list({x for o in obligations for x in (o.payer_account_id, o.payee_account_id)})
    found: dict[UUID, Any] = {}
    for i in range(0, len(ids), 4000):
        rows = await conn.execute(
            select(accounts.c.id, accounts.c.ledger_id, accounts.c.code, accounts.c.currency, accounts.c.closed).where(
                accounts.c.institution_id == institution_id, accounts.c.id.in_(ids[i : i + 4000])
            )
        )
        found.update({r.id: r for r in rows})
    out = []
    for n, o in enumerate(obligations):
        for acct in (o.payer_account_id, o.payee_account_id):
            r = found.get(acct)
            if r is None:
                raise E.AccountNotFound(acct)
            if r.ledger_id != cycle.ledger_id:
                raise InvalidObligation(n, f"account {acct} is not in the cycle's ledger", account=str(acct))
            if r.closed:
                raise InvalidObligation(n, f"account {acct} is closed", account=str(acct))
            if r.code.startswith("inst:central:"):
                raise InvalidObligation(n, "the central settlement account cannot be a participant", account=str(acct))
        cur = o.currency or found[o.payer_account_id].currency
        for acct in (o.payer_account_id, o.payee_account_id):
            if found[acct].currency != cur:
                raise InvalidObligation(n, f"account {acct} holds {found[acct].currency}, the obligation is in {cur}", account=str(acct), currency=cur)
        out.append((o, cur))
    return out


async def _insert_obligations(
    conn: AsyncConnection, institution_id: UUID, cycle: NettingCycle, resolved: list[tuple[ObligationIn, str]], *, batch_key: str | None, actor: Actor
) -> NettingCycle:
    now = utc_now()
    rows = [
        dict(
            id=uuid7(), institution_id=institution_id, cycle_id=cycle.id, seq=cycle.obligation_count + n + 1, payer_account_id=o.payer_account_id,
            payee_account_id=o.payee_account_id, currency=cur, amount_minor=o.amount_minor, reference=o.reference, batch_key=batch_key, created_at=now,
        )
        for n, (o, cur) in enumerate(resolved)
    ]
    if rows:
        await conn.execute(netting_obligations.insert(), rows)
    count = cycle.obligation_count + len(rows)
    await conn.execute(update(netting_cycles).where(netting_cycles.c.id == cycle.id).values(obligation_count=count))
    totals: dict[str, int] = defaultdict(int)
    for o, cur in resolved:
        totals[cur] += o.amount_minor
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor.actor_type, actor_id=actor.actor_id, action="netting.add_obligations",
        object_type="netting_cycle", object_id=str(cycle.id), before={"obligation_count": cycle.obligation_count},
        after={"obligation_count": count, "added": len(rows), "totals": {c: {"amount": format_minor(t, c), "currency": c} for c, t in totals.items()}}, request_id=actor.request_id,
    )
    return replace(cycle, obligation_count=count)


async def _batch_seen(conn: AsyncConnection, cycle_id: UUID, batch_key: str) -> bool:
    q = select(netting_obligations.c.id).where(netting_obligations.c.cycle_id == cycle_id, netting_obligations.c.batch_key == batch_key).limit(1)
    return (await conn.execute(q)).first() is not None


async def add_obligations(
    ledger: Ledger,
    institution_id: UUID,
    cycle_id: UUID,
    obligations: Sequence[ObligationIn],
    *,
    batch_key: str | None = None,
    actor: Actor = SYSTEM,
) -> NettingCycle:
    """Add up to 10,000 obligations to an open cycle, all or none.  A
    ``batch_key`` makes the call idempotent: a batch with a key already
    added is not added again.  Raises :class:`NettingCycleNotFound`,
    :class:`NettingCycleClosed`, :class:`InvalidObligation`,
    :class:`AccountNotFound`, :class:`BatchTooLarge`."""
    async with ledger.engine.connect() as conn:
        cycle = await _load_cycle(conn, institution_id, cycle_id)
        _check_obligations(obligations)
        if not obligations:
            raise E.InvalidInput("no obligations to add")
        if cycle.status == "closed":
            if batch_key is not None and await _batch_seen(conn, cycle_id, batch_key):
                return cycle  # this batch was added before the cycle closed
            raise NettingCycleClosed(cycle_id, cycle.closed_at)
        resolved = await _resolve_obligations(conn, institution_id, cycle, obligations)
    # central accounts are opened now (their own transaction), so closing never has to
    await ensure_central_accounts(ledger, institution_id, cycle.ledger_id, {cur for _, cur in resolved})

    async def work(conn: AsyncConnection) -> NettingCycle:
        current = await _load_cycle(conn, institution_id, cycle_id, lock=True)
        if batch_key is not None and await _batch_seen(conn, cycle_id, batch_key):
            return current  # this batch was added before
        if current.status == "closed":
            raise NettingCycleClosed(cycle_id, current.closed_at)
        return await _insert_obligations(conn, institution_id, current, resolved, batch_key=batch_key, actor=actor)

    return await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries)


async def list_obligations(engine_or_ledger: Ledger | AsyncEngine, institution_id: UUID, cycle_id: UUID, *, after_seq: int = 0, limit: int = 1000) -> list[Obligation]:
    """A page of the cycle's obligations in the order they were added."""
    async with _engine(engine_or_ledger).connect() as conn:
        await _load_cycle(conn, institution_id, cycle_id)
        rows = await conn.execute(
            select(netting_obligations)
            .where(netting_obligations.c.cycle_id == cycle_id, netting_obligations.c.seq > after_seq)
            .order_by(netting_obligations.c.seq)
            .limit(max(1, min(limit, 10_000)))
        )
        return [_obligation(r) for r in rows]


# --------------------------------------------------------------------------
# close



def _close_summary(cur: str, positions: list[Any], instructions: list[Any], obligations: list[Any]) -> dict[str, Any]:
    """One currency of the ``netting.closed`` payload (amounts as decimal strings of ``cur``)."""
    ins = [i for i in instructions if i.currency == cur]
    return {
        "currency": cur, "participants": sum(1 for p in positions if p.currency == cur), "instructions": len(ins),
        "netted": format_minor(sum(i.amount_minor for i in ins if i.direction == PAY), cur),
        "gross": format_minor(sum(o.amount_minor for o in obligations if o.currency == cur), cur),
    }

async def close_cycle_in(
    conn: AsyncConnection,
    ledger: Ledger,
    institution_id: UUID,
    cycle_id: UUID,
    *,
    effective_date: date | None = None,
    actor: Actor = SYSTEM,
) -> tuple[NettingCycle, bool]:
    """Close the cycle inside the caller's transaction on ``conn``: returns
    ``(cycle, closed_now)``.  Raises :class:`NettingCycleNotFound`,
    :class:`NettingInsufficientFunds` and the ledger's other refusals; the
    caller must then roll back (nothing of the cycle is written)."""
    cycle = await _load_cycle(conn, institution_id, cycle_id, lock=True)
    if cycle.status == "closed":
        return cycle, False
    obligations = await _load_obligations(conn, cycle_id)
    positions = compute_positions(obligations)
    instructions = settlement_instructions(positions)
    currencies = sorted({p.currency for p in positions})
    central = await _central_accounts(conn, institution_id, cycle.ledger_id, currencies)
    type_, _flag = INSTITUTION_ACCOUNT_KINDS["central"]
    for cur in currencies:
        if cur not in central:  # normally opened when obligations were added
            acct = await ledger.create_account(
                institution_id, cycle.ledger_id, central_account_code(cur), cur, type_, metadata={"institution_account": "central"}, conn=conn,
            )
            central[cur] = acct.id
    now = utc_now()
    eff = effective_date or cycle.business_date
    tx_id: UUID | None = None
    if instructions:
        item = NewTransaction(
            cycle.ledger_id, instruction_postings(instructions, central), idempotency_key=f"netting:{cycle_id}", effective_date=eff,
            description=f"netting cycle {cycle.reference or cycle_id}"[:500],
            metadata={"netting_cycle_id": str(cycle_id), "kind": cycle.kind, "reference": cycle.reference}, id=uuid7(),
        )
        res = (await post_batch(conn, institution_id, [item], options=ledger.options))[0]
        if not res.ok:
            await _raise_refusal(conn, institution_id, cycle_id, res.error or E.LedgerError("the posting was refused"))
        tx_id = res.transaction_id
        await conn.execute(
            netting_instructions.insert(),
            [
                dict(
                    id=uuid7(), institution_id=institution_id, cycle_id=cycle_id, seq=i.seq, account_id=i.account_id, central_account_id=central[i.currency],
                    currency=i.currency, direction=i.direction, amount_minor=i.amount_minor, transaction_id=tx_id,
                )
                for i in instructions
            ],
        )
    if positions:
        await conn.execute(
            netting_positions.insert(),
            [
                dict(
                    id=uuid7(), institution_id=institution_id, cycle_id=cycle_id, account_id=p.account_id, currency=p.currency,
                    receivable_minor=p.receivable_minor, payable_minor=p.payable_minor, net_minor=p.net_minor,
                )
                for p in positions
            ],
        )
    await conn.execute(update(netting_cycles).where(netting_cycles.c.id == cycle_id).values(status="closed", closed_at=now, transaction_id=tx_id))
    closed = replace(cycle, status="closed", closed_at=now, transaction_id=tx_id)
    summary = {cur: _close_summary(cur, positions, instructions, obligations) for cur in currencies}
    payload = {**_cycle_json(closed), "effective_date": eff.isoformat(), "currencies": summary}
    await emit_event(conn, institution_id, "netting.closed", payload)
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor.actor_type, actor_id=actor.actor_id, action="netting.close",
        object_type="netting_cycle", object_id=str(cycle_id), before={"status": "open"}, after=payload, request_id=actor.request_id,
    )
    return closed, True


async def _raise_refusal(conn: AsyncConnection, institution_id: UUID, cycle_id: UUID, err: E.LedgerError) -> None:
    if isinstance(err, (E.InsufficientFunds, E.CreditLimitExceeded)):
        acct_id = UUID(str(err.details["account"]))
        p = (await _participants(conn, institution_id, [acct_id])).get(acct_id)
        raise NettingInsufficientFunds(
            cycle_id, acct_id, p.code if p else str(acct_id), p.owner_ref if p else None, err.details.get("currency") or (p.currency if p else ""),
            err.available_minor, err.requested_minor,
        )
    raise err


async def close_cycle(
    ledger: Ledger,
    institution_id: UUID,
    cycle_id: UUID,
    *,
    effective_date: date | None = None,
    actor: Actor = SYSTEM,
) -> CycleView:
    """Close the cycle: net positions, instructions through the central
    account, one ledger transaction (every currency), ``netting.closed``
    and an audit entry, atomically.  Closing a closed cycle returns it
    unchanged (``closed_now`` False).  Raises
    :class:`NettingCycleNotFound`, :class:`NettingInsufficientFunds` (the
    cycle stays open, nothing is posted), :class:`AccountClosed`."""
    async with ledger.engine.connect() as conn:
        cycle = await _load_cycle(conn, institution_id, cycle_id)
        currencies = await _cycle_currencies(conn, cycle_id) if cycle.status == "open" else []
    if currencies:
        await ensure_central_accounts(ledger, institution_id, cycle.ledger_id, currencies)

    async def work(conn: AsyncConnection) -> tuple[NettingCycle, bool]:
        return await close_cycle_in(conn, ledger, institution_id, cycle_id, effective_date=effective_date, actor=actor)

    _closed, now = await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries, retry_on=is_idempotency_race)
    view = await get_cycle(ledger, institution_id, cycle_id)
    view.closed_now = now
    return view


# --------------------------------------------------------------------------
# reads


async def get_cycle(engine_or_ledger: Ledger | AsyncEngine, institution_id: UUID, cycle_id: UUID) -> CycleView:
    """The cycle with positions and instructions (stored once closed; a
    preview computed from the obligations while open) and its
    participants.  Raises :class:`NettingCycleNotFound`."""
    async with _engine(engine_or_ledger).connect() as conn:
        cycle = await _load_cycle(conn, institution_id, cycle_id)
        if cycle.status == "closed":
            prow = await conn.execute(select(netting_positions).where(netting_positions.c.cycle_id == cycle_id))
            positions = sorted(
                (Position(r.account_id, r.currency, int(r.receivable_minor), int(r.payable_minor)) for r in prow), key=lambda p: (p.currency, str(p.account_id))
            )
            irows = (await conn.execute(select(netting_instructions).where(netting_instructions.c.cycle_id == cycle_id).order_by(netting_instructions.c.seq))).all()
            instructions = [Instruction(r.seq, r.account_id, r.currency, r.direction, int(r.amount_minor)) for r in irows]
            central = {r.currency: r.central_account_id for r in irows}
            missing = {p.currency for p in positions} - set(central)
            if missing:
                central.update(await _central_accounts(conn, institution_id, cycle.ledger_id, missing))
        else:
            positions = compute_positions(await _load_obligations(conn, cycle_id))
            instructions = settlement_instructions(positions)
            central = await _central_accounts(conn, institution_id, cycle.ledger_id, {p.currency for p in positions})
        participants = await _participants(conn, institution_id, [p.account_id for p in positions])
    return CycleView(cycle, positions, instructions, central, participants)


async def list_cycles(
    engine_or_ledger: Ledger | AsyncEngine, institution_id: UUID, *, status: str | None = None, kind: str | None = None, limit: int = 100,
    before: tuple[datetime, UUID] | None = None,
) -> list[NettingCycle]:
    """The institution's cycles, newest first; ``before`` = ``(opened_at, id)``
    of the last cycle of the previous page (keyset)."""
    stmt = select(netting_cycles).where(netting_cycles.c.institution_id == institution_id)
    if before is not None:
        at, last = before
        stmt = stmt.where(or_(netting_cycles.c.opened_at < at, and_(netting_cycles.c.opened_at == at, netting_cycles.c.id < last)))
    if status is not None:
        stmt = stmt.where(netting_cycles.c.status == status)
    if kind is not None:
        stmt = stmt.where(netting_cycles.c.kind == kind)
    stmt = stmt.order_by(netting_cycles.c.opened_at.desc(), netting_cycles.c.id.desc()).limit(max(1, min(limit, MAX_ROWS)))
    async with _engine(engine_or_ledger).connect() as conn:
        return [_cycle(r) for r in await conn.execute(stmt)]


# --------------------------------------------------------------------------
# S7: daily settlement with the partner bank


def partner_clearing_account_code(bank_ref: str, currency: str) -> str:
    return f"partner:{bank_ref}:clearing:{currency}"


def partner_cycle_reference(bank_ref: str, day: date) -> str:
    return f"partner-bank:{bank_ref}:{day.isoformat()}"


async def partner_bank_accounts(ledger: Ledger, institution_id: UUID, bank_ref: str, currency: str, *, reserve_account_id: UUID | None = None) -> tuple[UUID, UUID]:
    """``(reserve, clearing)`` account ids for the partner bank in
    ``currency`` (opened on first use).  The reserve defaults to
    ``inst:nostro:<CUR>``."""
    from .accounts import ensure_account

    ledger_id = await settlement_ledger_id(ledger, institution_id)
    reserve = reserve_account_id or await institution_account(ledger, institution_id, "nostro", currency)
    clearing = await ensure_account(
        ledger, institution_id, ledger_id, partner_clearing_account_code(bank_ref, currency), currency, "asset", owner_ref=bank_ref,
        metadata={"partner_bank": bank_ref, "account_role": "partner_clearing"},
    )
    return reserve, clearing


def _flows_fingerprint(bank_ref: str, day: date, flows: Sequence[PartnerBankFlow]) -> str:
    body = [[f.direction, f.currency, f.amount_minor, f.reference] for f in flows]
    raw = json.dumps({"bank": bank_ref, "day": day.isoformat(), "flows": body}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


async def daily_partner_bank_settlement(
    ledger: Ledger,
    institution_id: UUID,
    *,
    partner_bank_ref: str,
    business_date: date,
    flows: Sequence[PartnerBankFlow],
    reserve_account_ids: dict[str, UUID] | None = None,
    effective_date: date | None = None,
    actor: Actor = SYSTEM,
) -> CycleView:
    """S7: settle a payment institution's day with its partner bank through
    a ``partner_bank`` netting cycle (reference
    ``partner-bank:<bank_ref>:<date>``): each flow becomes an obligation
    between the reserve account at the bank and the clearing account with
    it, and the cycle is closed, all in one database transaction.  Per
    currency the net moves through the central account in (at most) two
    instructions.  Running it again with the same flows returns the closed
    cycle; flows added to that day's cycle while it is open (with
    :func:`add_obligations`) are settled with these.

    Raises :class:`InvalidInput`, :class:`NettingCycleClosed` (the day was
    settled with other flows), :class:`NettingInsufficientFunds`."""
    from .advances import _check_ref

    _check_ref(partner_bank_ref, "partner_bank_ref")
    for n, f in enumerate(flows):
        if f.direction not in ("from_bank", "to_bank"):
            raise InvalidObligation(n, "direction is 'from_bank' or 'to_bank'")
        check_currency(f.currency)
        if isinstance(f.amount_minor, bool) or not isinstance(f.amount_minor, int) or f.amount_minor <= 0:
            raise InvalidObligation(n, "the amount must be a positive integer in minor units")
    currencies = sorted({f.currency for f in flows})
    ledger_id = await settlement_ledger_id(ledger, institution_id)
    pairs: dict[str, tuple[UUID, UUID]] = {}
    for cur in currencies:
        pairs[cur] = await partner_bank_accounts(ledger, institution_id, partner_bank_ref, cur, reserve_account_id=(reserve_account_ids or {}).get(cur))
    await ensure_central_accounts(ledger, institution_id, ledger_id, currencies)
    obligations = []
    for f in flows:
        reserve, clearing = pairs[f.currency]
        payer, payee = (reserve, clearing) if f.direction == "from_bank" else (clearing, reserve)
        obligations.append(ObligationIn(payer, payee, f.amount_minor, f.currency, f.reference))
    _check_obligations(obligations)
    reference = partner_cycle_reference(partner_bank_ref, business_date)
    fp = _flows_fingerprint(partner_bank_ref, business_date, flows)

    async def work(conn: AsyncConnection) -> UUID:
        row = (
            await conn.execute(_lock(select(netting_cycles).where(netting_cycles.c.institution_id == institution_id, netting_cycles.c.reference == reference), conn))
        ).first()
        if row is not None:
            cycle = _cycle(row)
            if cycle.status == "closed":
                if cycle.metadata.get("flows_fingerprint") == fp:
                    return cycle.id
                raise NettingCycleClosed(cycle.id, cycle.closed_at)
        else:
            cycle = await _insert_cycle(
                conn, institution_id, ledger_id, kind="partner_bank", reference=reference, description=f"daily settlement with {partner_bank_ref}",
                day=business_date, metadata={"partner_bank": partner_bank_ref}, actor=actor,
            )
        if obligations:
            resolved = await _resolve_obligations(conn, institution_id, cycle, obligations)
            cycle = await _insert_obligations(conn, institution_id, cycle, resolved, batch_key=None, actor=actor)
        await conn.execute(update(netting_cycles).where(netting_cycles.c.id == cycle.id).values(metadata={**cycle.metadata, "flows_fingerprint": fp}))
        await close_cycle_in(conn, ledger, institution_id, cycle.id, effective_date=effective_date, actor=actor)
        return cycle.id

    try:
        cycle_id = await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries, retry_on=is_idempotency_race)
    except IntegrityError:  # a concurrent run created the day's cycle first
        cycle_id = await run_in_transaction(ledger.engine, work, retries=ledger.settings.max_retries, retry_on=is_idempotency_race)
    return await get_cycle(ledger, institution_id, cycle_id)

