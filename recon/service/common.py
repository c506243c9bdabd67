"""Shared pieces of the reconciliation service: errors, values, helpers and
the base class (accounts and proposals read back)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, cast
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.crypto import Keyring, deployment_keyring
from ledger.money import format_minor, parse_amount
from ledger.schema import accounts as accounts_t
from ledger.schema import postings as postings_t
from ledger.schema import transactions as transactions_t
from ledger.service import Ledger

from .. import model as M
from ..matching import charge_tolerance
from ..parsers.csvfmt import CsvMapping
from ..secrecy import reveal
from ..tables import (
    recon_accounts,
    recon_csv_mappings,
    recon_line_parts,
    recon_match_entries,
    recon_proposals,
)

_CHUNK = 1000
T = TypeVar("T")
#: a ledger entry: (transaction id, line number)
EntryKey = tuple[UUID, int]
# transaction metadata keys that carry a payment reference the bank may echo
REFERENCE_KEYS = ("end_to_end_ref", "end_to_end_id", "reference", "external_ref", "uetr", "payment_ref")
# references too generic to identify anything
_NO_REFERENCE = {"", "NOTPROVIDED", "NONREF", "NONE", "N/A"}
AGE_BUCKETS = ((0, 1, "0-1"), (2, 7, "2-7"), (8, 30, "8-30"), (31, None, "31+"))


# -- errors ------------------------------------------------------------------------------


class UnknownBankAccount(E.InvalidInput):
    code = "unknown_bank_account"
    title = "Bank account not under reconciliation"


class SelfApprovalRefused(E.LedgerError):
    code = "self_approval_refused"
    status = 403
    title = "Nobody approves their own proposal"


class ApproverRoleRequired(E.LedgerError):
    code = "approver_role_required"
    status = 403
    title = "Approver role required"


class ProposalNotPending(E.Conflict):
    code = "proposal_not_pending"
    title = "Proposal already decided"


class AlreadyMatched(E.Conflict):
    code = "already_matched"
    title = "Statement line or ledger entry already matched"


class ProposalInconsistent(E.InvalidInput):
    """A proposal whose lines, entries, parts or adjustment do not fit its
    kind or the reconciled accounts they belong to (a rule across fields and
    stored data, not the shape of the request)."""

    code = "proposal_inconsistent"
    title = "Proposal does not fit its lines and entries"


class MatchDoesNotBalance(E.InvalidInput):
    code = "match_does_not_balance"
    title = "Lines and entries do not add up"


# -- values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReconAccount:
    id: UUID
    bank_account: str
    currency: str
    ledger_account_id: UUID
    fee_account_id: UUID | None
    adjustment_account_id: UUID | None
    name: str
    start_date: date
    config: M.MatchingConfig


@dataclass
class ImportedStatement:
    id: UUID | None
    statement_id: str
    account: str
    currency: str
    format: str
    entries: int
    duplicate: bool
    balance_mismatch_minor: int | None = None


@dataclass
class ImportResult:
    filename: str
    sha256: str
    bytes: int
    statements: list[ImportedStatement] = field(default_factory=list)

    @property
    def lines_imported(self) -> int:
        return sum(s.entries for s in self.statements if not s.duplicate)

    @property
    def duplicates_skipped(self) -> int:
        return sum(1 for s in self.statements if s.duplicate)


@dataclass
class RunResult:
    run_id: UUID
    recon_account_id: UUID
    lines_considered: int
    entries_considered: int
    counts: dict[str, int]
    unmatched_lines: int
    unmatched_entries: int
    fee_proposals: int
    #: amount-and-date matches below the review threshold, proposed instead of applied
    review_proposals: int = 0


@dataclass(frozen=True)
class LinePart:
    """One part of a batch statement line (a camt TxDtls), as stored.

    ``entry_id``: the ledger entry the part was matched to (rule
    ``batch_reference``), or -- on an open line in the exceptions queue --
    the one entry it would match by reference and amount."""

    index: int
    amount_minor: int | None
    end_to_end_ref: str | None
    instruction_id: str | None
    tx_id: str | None
    bank_ref: str | None
    reference: str | None
    counterparty_name: str | None
    counterparty_account: str | None
    description: str
    entry_id: str | None = None

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(r for r in (self.end_to_end_ref, self.instruction_id, self.tx_id, self.reference) if r)


@dataclass(frozen=True)
class ExceptionItem:
    side: str  # 'line' | 'entry'
    id: str
    recon_account_id: UUID
    amount_minor: int
    currency: str
    value_date: date
    reference: str | None
    description: str
    age_days: int
    # a batch line: its parts (each with the entry it matches, if any) and
    # whether their amounts add up to the line (else it is matched as one line)
    parts: tuple[LinePart, ...] = ()
    parts_add_up: bool | None = None
    #: a statement line's counterparty (name, else account; personal data, revealed for staff)
    counterparty: str | None = None


#: the age buckets (those of the summary report) by label: label -> (min, max or None) days since the value date
AGE_BUCKET_RANGES: dict[str, tuple[int, int | None]] = {label: (low, high) for low, high, label in AGE_BUCKETS}
SORTS = ("value_date", "amount", "age", "reference")


@dataclass(frozen=True)
class ExceptionFilter:
    """What a clerk narrows the exceptions queue to.  ``text`` is looked for
    (case-insensitively) in the reference, the description and the
    counterparty, and, when it reads as an amount, equals the absolute
    amount; ``amount_min``/``amount_max`` bound the absolute amount in major
    units of each item's currency; ``direction`` is ``in`` (money in, a
    positive amount) or ``out``."""

    text: str | None = None
    direction: str | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    age: str | None = None
    value_from: date | None = None
    value_to: date | None = None
    currency: str | None = None

    def __post_init__(self) -> None:
        if self.direction not in (None, "in", "out"):
            raise E.InvalidInput("direction must be 'in' or 'out'", field="direction")
        if self.age is not None and self.age not in AGE_BUCKET_RANGES:
            raise E.InvalidInput(f"age must be one of {', '.join(AGE_BUCKET_RANGES)}", field="age")
        for name in ("amount_min", "amount_max"):
            v = getattr(self, name)
            if v is not None and (not v.is_finite() or v < 0):
                raise E.InvalidInput(f"{name} must be a non-negative amount", field=name)
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise E.InvalidInput("amount_min is above amount_max", field="amount_min")
        if self.value_from is not None and self.value_to is not None and self.value_from > self.value_to:
            raise E.InvalidInput("value_from is after value_to", field="value_from")

    def admits(self, item: ExceptionItem) -> bool:
        amount = _major(abs(item.amount_minor), item.currency)
        if self.direction is not None and (item.amount_minor > 0) != (self.direction == "in"):
            return False
        if self.currency is not None and item.currency != self.currency:
            return False
        if (self.amount_min is not None and amount < self.amount_min) or (self.amount_max is not None and amount > self.amount_max):
            return False
        if self.age is not None:
            low, high = AGE_BUCKET_RANGES[self.age]
            if item.age_days < low or (high is not None and item.age_days > high):
                return False
        if (self.value_from is not None and item.value_date < self.value_from) or (self.value_to is not None and item.value_date > self.value_to):
            return False
        return self.text is None or self._text_admits(item, amount)

    def _text_admits(self, item: ExceptionItem, amount: Decimal) -> bool:
        needle = (self.text or "").strip().casefold()
        if not needle:
            return True
        hay = [item.reference or "", item.description or "", item.counterparty or ""]
        hay += [x for p in item.parts for x in (p.reference, p.end_to_end_ref, p.counterparty_name, p.description) if x]
        if any(needle in h.casefold() for h in hay):
            return True
        wanted = _as_amount(needle)
        return wanted is not None and wanted == amount


def _major(minor: int, currency: str) -> Decimal:
    return Decimal(format_minor(minor, currency))


def _as_amount(text: str) -> Decimal | None:
    """A searched text read as an amount (``1,234.50``, ``-12.5``), else None."""
    cleaned = text.replace(",", "").replace("，", "").lstrip("+-")
    if not cleaned or len(cleaned) > 30 or not all(c.isdigit() or c == "." for c in cleaned) or cleaned.count(".") > 1 or cleaned in (".",):
        return None
    return Decimal(cleaned)


def sort_exceptions(items: list[ExceptionItem], sort: str, descending: bool = False) -> list[ExceptionItem]:
    """The queue in another order (ties: value date, side, id)."""
    if sort not in SORTS:
        raise E.InvalidInput(f"sort must be one of {', '.join(SORTS)}", field="sort")
    def tie(i: ExceptionItem) -> tuple[str, str, str]:
        return (i.value_date.isoformat(), i.side, i.id)
    keys: dict[str, Callable[[ExceptionItem], Any]] = {
        "value_date": lambda i: (tie(i),),
        "amount": lambda i: (_major(abs(i.amount_minor), i.currency), tie(i)),
        "age": lambda i: (i.age_days, tie(i)),
        "reference": lambda i: ((i.reference or "").casefold(), tie(i)),
    }
    return sorted(items, key=keys[sort], reverse=descending)


@dataclass(frozen=True)
class StatementLine:
    """One imported statement line with its parts (a batch) and its state."""

    id: UUID
    recon_account_id: UUID
    statement_row_id: UUID | None
    index: int
    amount_minor: int
    currency: str
    booking_date: date | None
    value_date: date
    end_to_end_ref: str | None
    bank_ref: str | None
    reference: str | None
    description: str
    counterparty_name: str | None
    counterparty_account: str | None
    status: str
    parts: tuple[LinePart, ...] = ()


@dataclass(frozen=True)
class Proposal:
    id: UUID
    recon_account_id: UUID
    kind: str
    status: str
    maker_id: str
    maker_name: str
    approver_id: str | None
    approver_name: str | None
    decided_at: datetime | None
    line_ids: list[str]
    entry_ids: list[str]
    payload: dict[str, Any]
    note: str
    reason: str | None
    transaction_id: UUID | None
    match_id: UUID | None
    created_at: datetime

def matching_config(raw: dict[str, Any] | None) -> M.MatchingConfig:
    raw = dict(raw or {})
    known = {k: raw[k] for k in ("date_window_days", "charge_tolerance_minor", "charge_tolerance_bp", "max_group_size", "review_amount_only_below_minor") if k in raw}
    for k, v in known.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise E.InvalidInput(f"matching setting {k} must be a non-negative integer", field=k)
    if known.get("max_group_size", 2) < 2 or known.get("max_group_size", 2) > 12:
        raise E.InvalidInput("max_group_size must be between 2 and 12", field="max_group_size")
    if known.get("date_window_days", 0) > 31:
        raise E.InvalidInput("date_window_days must be at most 31", field="date_window_days")
    return M.MatchingConfig(**known)


def _config_dict(cfg: M.MatchingConfig) -> dict[str, int]:
    return {
        "date_window_days": cfg.date_window_days,
        "charge_tolerance_minor": cfg.charge_tolerance_minor,
        "charge_tolerance_bp": cfg.charge_tolerance_bp,
        "max_group_size": cfg.max_group_size,
        "review_amount_only_below_minor": cfg.review_amount_only_below_minor,
    }


def _account(row: Any) -> ReconAccount:
    return ReconAccount(
        id=row.id, bank_account=row.bank_account, currency=row.currency, ledger_account_id=row.ledger_account_id, fee_account_id=row.fee_account_id,
        adjustment_account_id=row.adjustment_account_id, name=row.name, start_date=row.start_date, config=matching_config(row.config),
    )


def entry_id(transaction_id: UUID, line_no: int) -> str:
    return f"{transaction_id}:{line_no}"


def _parse_entry_id(value: str) -> tuple[UUID, int]:
    try:
        tx, line = str(value).rsplit(":", 1)
        return UUID(tx), int(line)
    except (ValueError, AttributeError):
        raise E.InvalidInput(f"ledger entry id {value!r} is not '<transaction id>:<line>'", field="entry_ids") from None


def _parse_line_id(value: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise E.InvalidInput(f"statement line id {value!r} is not a UUID", field="line_ids") from None


def _clean_ref(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if text.upper() in _NO_REFERENCE else text[:128]



class ServiceBase:
    """The ledger and engine every part of :class:`Reconciliation` works on."""

    def __init__(self, ledger: Ledger, keyring: Keyring | None = None) -> None:
        self.ledger = ledger
        self.engine = ledger.engine
        self._keyring = keyring

    @property
    def keyring(self) -> Keyring:
        """The personal-data keys (counterparty names and accounts): the one
        given, else the process's."""
        return self._keyring or deployment_keyring()

    async def _tx(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run ``work`` in one database transaction (retried on serialization failures)."""
        run = cast(Callable[[Callable[[AsyncConnection], Awaitable[T]]], Awaitable[T]], self.ledger._tx)
        return await run(work)

    async def csv_mappings(self, institution_id: UUID) -> dict[str, dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(recon_csv_mappings).where(recon_csv_mappings.c.institution_id == institution_id).order_by(recon_csv_mappings.c.name))).all()
        return {r.name: r.mapping for r in rows}

    async def _csv_mapping(self, institution_id: UUID, name: str) -> CsvMapping:
        maps = await self.csv_mappings(institution_id)
        if name not in maps:
            raise E.NotFound("CSV mapping", name)
        return CsvMapping.from_dict(maps[name])

    async def get_account(self, institution_id: UUID, recon_account_id: UUID) -> ReconAccount:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(recon_accounts).where(recon_accounts.c.id == recon_account_id, recon_accounts.c.institution_id == institution_id))).first()
        if row is None:
            raise E.NotFound("reconciled account", recon_account_id)
        return _account(row)

    async def list_accounts(self, institution_id: UUID, *, after: tuple[str, str] | None = None, limit: int | None = None) -> list[ReconAccount]:
        """Reconciled accounts by bank account and currency; ``after`` (bank
        account, currency) of the last one of a previous page."""
        stmt = select(recon_accounts).where(recon_accounts.c.institution_id == institution_id)
        if after is not None:
            ba, cur = recon_accounts.c.bank_account, recon_accounts.c.currency
            stmt = stmt.where(or_(ba > after[0], and_(ba == after[0], cur > after[1])))
        stmt = stmt.order_by(recon_accounts.c.bank_account, recon_accounts.c.currency)
        if limit is not None:
            stmt = stmt.limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [_account(r) for r in rows]

    async def _accounts_on(self, conn: AsyncConnection, institution_id: UUID) -> list[ReconAccount]:
        rows = (await conn.execute(select(recon_accounts).where(recon_accounts.c.institution_id == institution_id))).all()
        return [_account(r) for r in rows]

    async def _unmatched_entries(self, conn: AsyncConnection, acct: ReconAccount, *, only: Sequence[tuple[UUID, int]] | None = None) -> list[M.EntryForMatch]:
        sign = await self._sign(conn, acct)
        p, t, me = postings_t, transactions_t, recon_match_entries
        stmt = (
            select(p.c.transaction_id, p.c.line_no, p.c.amount, p.c.currency, p.c.effective_date, t.c.metadata, t.c.idempotency_key, t.c.description, t.c.reverses_id)
            .select_from(p.join(t, t.c.id == p.c.transaction_id).outerjoin(me, and_(me.c.transaction_id == p.c.transaction_id, me.c.line_no == p.c.line_no)))
            .where(p.c.account_id == acct.ledger_account_id, p.c.phase == "posted", p.c.effective_date >= acct.start_date, me.c.match_id.is_(None))
        )
        if only is not None:
            if not only:
                return []
            stmt = stmt.where(p.c.transaction_id.in_(sorted({tx for tx, _ in only})))
        rows = (await conn.execute(stmt)).all()
        wanted = set(only) if only is not None else None
        out = []
        for r in rows:
            if wanted is not None and (r.transaction_id, r.line_no) not in wanted:
                continue
            out.append(M.EntryForMatch(
                id=entry_id(r.transaction_id, r.line_no), amount_minor=sign * int(r.amount), currency=r.currency, value_date=r.effective_date,
                references=_entry_refs(r.metadata, r.idempotency_key), description=r.description or "",
                transaction_id=str(r.transaction_id), reverses="" if r.reverses_id is None else str(r.reverses_id),
            ))
        return out

    async def _sign(self, conn: AsyncConnection, acct: ReconAccount) -> int:
        """+1 when a debit on the mirror account is money in at the bank (an asset), else -1."""
        kind = (await conn.execute(select(accounts_t.c.type).where(accounts_t.c.id == acct.ledger_account_id))).scalar_one()
        return 1 if kind in ("asset", "expense") else -1

    async def get_proposal(self, institution_id: UUID, proposal_id: UUID) -> Proposal:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(recon_proposals).where(recon_proposals.c.id == proposal_id, recon_proposals.c.institution_id == institution_id))).first()
        if row is None:
            raise E.NotFound("proposal", proposal_id)
        return _proposal(row)

    async def proposals(self, institution_id: UUID, *, status: str | None = "pending", limit: int = 500, after: UUID | None = None) -> list[Proposal]:
        """Proposals in the order they were made (ids are time-ordered); ``after``
        the id of the last one of a previous page."""
        if status not in (None, "pending", "approved", "rejected"):
            raise E.InvalidInput("status must be pending, approved or rejected", field="status")
        async with self.engine.connect() as conn:
            stmt = select(recon_proposals).where(recon_proposals.c.institution_id == institution_id)
            if status:
                stmt = stmt.where(recon_proposals.c.status == status)
            if after is not None:
                stmt = stmt.where(recon_proposals.c.id > after)
            rows = (await conn.execute(stmt.order_by(recon_proposals.c.id).limit(limit))).all()
        return [_proposal(r) for r in rows]



def signed_amount(text: Any, currency: str, *, field: str) -> int:
    """A signed decimal string ("-12.50": money out at the bank) as minor
    units, strictly: at most the currency's decimals, within the largest
    amount, not zero (``ledger.money.parse_amount``)."""
    if not isinstance(text, str):
        raise E.InvalidInput(f'{field} must be a decimal string such as "-12.50"', field=field)
    negative = text.startswith("-")
    return (-1 if negative else 1) * parse_amount(text[1:] if negative else text, currency, field=field)


def _rate(n: int, total: int) -> str:
    """A percentage as an exact decimal string with two places ("99.50")."""
    if total == 0:
        return "0.00"
    return str((Decimal(n * 100) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _bucket(age: int) -> str:
    for lo, hi, label in AGE_BUCKETS:
        if age >= lo and (hi is None or age <= hi):
            return label
    return AGE_BUCKETS[0][2]  # a value date in the future


def _charge_tolerance(cfg: M.MatchingConfig, currency: str, amount: int) -> int:
    return charge_tolerance(cfg, currency, amount)


def _entry_refs(meta: Any, key: str | None) -> tuple[str, ...]:
    refs: list[str] = []
    if isinstance(meta, dict):
        for k in REFERENCE_KEYS:
            v = _clean_ref(meta.get(k))
            if v and v not in refs:
                refs.append(v)
    clean_key = _clean_ref(key)
    if clean_key:
        # an idempotency key names the payment too ('receipt:<ref>' -> '<ref>')
        tail = clean_key.split(":", 1)[1] if ":" in clean_key else None
        for v in (clean_key, tail):
            if v and v not in refs:
                refs.append(v)
    return tuple(refs)


async def _line_parts(conn: AsyncConnection, line_ids: Sequence[UUID], keyring: Keyring) -> dict[UUID, tuple[LinePart, ...]]:
    """line id -> its parts in order (only lines that have parts)."""
    out: dict[UUID, list[LinePart]] = {}
    ids = sorted(set(line_ids))
    for i in range(0, len(ids), _CHUNK):
        rows = (await conn.execute(select(recon_line_parts).where(recon_line_parts.c.line_id.in_(ids[i:i + _CHUNK])))).all()
        for r in rows:
            out.setdefault(r.line_id, []).append(LinePart(
                index=int(r.idx), amount_minor=None if r.amount_minor is None else int(r.amount_minor), end_to_end_ref=r.end_to_end_ref,
                instruction_id=r.instruction_id, tx_id=r.tx_id, bank_ref=r.bank_ref, reference=r.reference, counterparty_name=reveal(keyring, r.institution_id, "counterparty_name", r.counterparty_name),
                counterparty_account=reveal(keyring, r.institution_id, "counterparty_account", r.counterparty_account), description=reveal(keyring, r.institution_id, "description", r.description) or "", entry_id=r.matched_entry_id,
            ))
    return {k: tuple(sorted(v, key=lambda p: p.index)) for k, v in out.items()}


def _parts_for_match(parts: Sequence[LinePart]) -> tuple[M.PartForMatch, ...]:
    return tuple(M.PartForMatch(index=p.index, amount_minor=p.amount_minor, references=p.references) for p in parts)


def decimal_payload(value: Any, currency: str) -> Any:
    """A stored payload as the public contract shows it: every ``*_minor``
    integer becomes a decimal string in ``currency`` under the name without
    ``_minor`` (``fee_minor`` -> ``fee``, ``parts[].amount_minor`` -> ``parts[].amount``)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if isinstance(k, str) and k.endswith("_minor"):
                out[k[: -len("_minor")]] = None if v is None else format_minor(int(v), currency)
            else:
                out[k] = decimal_payload(v, currency)
        return out
    if isinstance(value, list):
        return [decimal_payload(v, currency) for v in value]
    return value


def _audit_payload(payload: dict[str, Any], currency: str) -> dict[str, Any]:
    kept = {k: v for k, v in payload.items() if k in ("line_ids", "entry_ids", "parts", "adjustment", "difference_minor")}
    return {**decimal_payload(kept, currency), "currency": currency}


def _proposal(row: Any) -> Proposal:
    payload = row.payload or {}
    return Proposal(
        id=row.id, recon_account_id=row.recon_account_id, kind=row.kind, status=row.status, maker_id=row.maker_id, maker_name=row.maker_name,
        approver_id=row.approver_id, approver_name=row.approver_name, decided_at=row.decided_at, line_ids=list(payload.get("line_ids", [])),
        entry_ids=list(payload.get("entry_ids", [])), payload=payload, note=row.note, reason=row.reason, transaction_id=row.transaction_id,
        match_id=row.match_id, created_at=row.created_at,
    )
