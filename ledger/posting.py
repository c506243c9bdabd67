"""The posting engine: validates, decides and writes a batch of ledger
transactions inside the caller's database transaction.

Every other package posts money only through :func:`post_batch` (directly,
inside its own unit of work, or through :class:`ledger.service.Ledger`).

How a batch is processed (all in one database transaction):

1. shape checks per item (two or more postings, positive integer amounts,
   balanced per currency, known currency) and a fingerprint of its content;
2. the heads of the ledgers involved are locked, in id order (this is the one
   lock that serialises writers of a ledger: it orders the hash chain and
   makes the balance checks below race-free without locking accounts);
3. idempotency keys are looked up: same key and content replays the stored
   outcome (a refusal included), other content is a conflict;
4. items are decided in order against an in-memory copy of the accounts:
   flags, closed accounts, currencies, pending and reversal state; a chain of
   ``linked`` items is all-or-nothing;
5. rows are written with bulk statements: postings, then the transaction rows
   (which the database refuses unless their postings balance), account
   balances, per-day balances, idempotency records, ledger heads.  On
   PostgreSQL that is two statements over arrays (postings; everything else
   in one statement, which also carries the rows the caller's
   ``before_write`` hooks handed to :func:`ledger.events.write_rows`); on
   SQLite one ``executemany`` per table.  The hot statements go to the
   driver connection in the same database transaction.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeAlias, TypedDict, TypeGuard
from uuid import UUID

from sqlalchemy import ColumnElement, Uuid, any_, bindparam, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from . import chain as chainmod
from . import errors as E
from .clock import BUSINESS_TIMEZONE, utc_now, zone
from .events import take_joined
from .ids import uuid7
from .model import (
    CREDIT,
    DEBIT,
    Item,
    NewTransaction,
    Posting,
    PostingView,
    PostPending,
    Result,
    Reverse,
    TransactionView,
    VoidPending,
)
from .money import MAX_AMOUNT_MINOR, MAX_BALANCE_MINOR
from .money import currency as _currency
from .process import mark_replayed
from .schema import (
    ledger_idempotency,
    ledgers,
    postings,
    transactions,
)
from .types import TS
from .units import minor_text

_CHUNK = 4000  # ids per IN (...) list
#: accounts per fetch on PostgreSQL (one array parameter: one fetch for a
#: whole batch of 8,000 transfers)
_PG_ACCOUNTS_CHUNK = 20_000
MAX_DESCRIPTION = 500
MAX_KEY = 200


@dataclass(slots=True)
class PostingOptions:
    max_batch_size: int = 8000
    business_timezone: str = BUSINESS_TIMEZONE


def _id_in(column: ColumnElement[Any], ids: Sequence[UUID], pg: bool) -> ColumnElement[bool]:
    """``column = ANY(:ids)`` on PostgreSQL (one array parameter: one plan for
    every list length), ``column IN (...)`` elsewhere."""
    if pg:
        return column == any_(bindparam("ids", value=list(ids), type_=pg_dialect.ARRAY(Uuid)))
    return column.in_(ids)


def _chunks(seq: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


# --------------------------------------------------------------------------
# shape validation and fingerprints


def _canon_postings(ps: list[Posting] | None) -> Any:
    if ps is None:
        return None
    out = []
    for p in ps:
        out.append([str(getattr(p, "account_id", "")), repr(getattr(p, "amount", "")), str(getattr(p, "side", "")), str(getattr(p, "currency", ""))])
    return out


def request_fingerprint(item: Item) -> str:
    """SHA-256 of an item's content (what must match on an idempotent retry)."""
    if isinstance(item, NewTransaction):
        body = {
            "op": "pending" if item.pending else "transaction",
            "id": str(item.id) if item.id else None,
            "ledger": str(item.ledger_id),
            "postings": _canon_postings(item.postings),
            "effective_date": str(item.effective_date) if item.effective_date else None,
            "description": item.description,
            "metadata": item.metadata or {},
            "expires_at": chainmod.ts_text(item.expires_at) if isinstance(item.expires_at, datetime) else None,
        }
    elif isinstance(item, PostPending):
        body = {
            "op": "post_pending",
            "pending": str(item.pending_id),
            "postings": _canon_postings(item.postings),
            "effective_date": str(item.effective_date) if item.effective_date else None,
            "description": item.description,
            "metadata": item.metadata or {},
        }
    elif isinstance(item, VoidPending):
        body = {"op": "void_pending", "pending": str(item.pending_id), "description": item.description, "metadata": item.metadata or {}}
    elif isinstance(item, Reverse):
        body = {
            "op": "reverse",
            "transaction": str(item.transaction_id),
            "effective_date": str(item.effective_date) if item.effective_date else None,
            "description": item.description,
            "metadata": item.metadata or {},
        }
    else:  # pragma: no cover - typed callers never get here
        body = {"op": repr(item)}
    return hashlib.sha256(chainmod.canonical_json(body).encode()).hexdigest()


def _check_postings_shape(ps: Any) -> None:
    """Raise unless ``ps`` is a list of well-formed postings balanced per currency
    (currencies, when given, are checked here; account currencies later)."""
    if not isinstance(ps, list):
        raise E.InvalidInput("postings must be a list")
    if len(ps) < 2:
        raise E.TooFewPostings(len(ps))
    for n, p in enumerate(ps):
        if not isinstance(p, Posting) or not isinstance(p.account_id, UUID):
            raise E.InvalidInput("each posting needs an account id, an amount and a side")
        if isinstance(p.amount, bool) or not isinstance(p.amount, int):
            raise E.InvalidAmount(repr(p.amount), "amounts are integers in minor units")
        if p.amount <= 0:
            raise E.InvalidAmount(str(p.amount), "amounts must be positive; use the side for direction")
        if p.currency is not None:
            _currency(p.currency)
        if p.amount > MAX_AMOUNT_MINOR:
            raise _posting_out_of_range(n, p)
        if p.side not in (DEBIT, CREDIT):
            raise E.InvalidInput(f"side must be 'debit' or 'credit', not {p.side!r}")


def _posting_out_of_range(n: int, p: Posting) -> E.AmountOutOfRange:
    """The refusal of posting ``n``, whose amount is beyond :data:`MAX_AMOUNT_MINOR`."""
    cur = p.currency or ""
    amount, maximum = minor_text(p.amount, cur), minor_text(MAX_AMOUNT_MINOR, cur)
    return E.AmountOutOfRange(
        f"postings[{n}].amount {amount} {cur} is beyond the largest amount of one posting ({maximum})".replace("  ", " "),
        field=f"postings[{n}].amount", amount=amount, currency=cur, maximum=maximum,
    )


def _valid_key(key: object) -> TypeGuard[str]:
    """An idempotency key is 1..MAX_KEY characters of text without NUL
    (which PostgreSQL text cannot hold); an item with another key is refused
    and its key never recorded."""
    return isinstance(key, str) and 1 <= len(key) <= MAX_KEY and "\x00" not in key


def _check_common(item: Item) -> None:
    key = item.idempotency_key
    if key is not None and not _valid_key(key):
        raise E.InvalidInput(f"idempotency key must be 1..{MAX_KEY} characters, without NUL")
    # PostgreSQL text cannot hold NUL (SQLite can): refused alike on both
    if not isinstance(item.description, str) or len(item.description) > MAX_DESCRIPTION or "\x00" in item.description:
        raise E.InvalidInput(f"description must be text of at most {MAX_DESCRIPTION} characters, without NUL")
    if item.metadata is not None:
        if not isinstance(item.metadata, dict):
            raise E.InvalidInput("metadata must be an object")
        try:
            chainmod.canonical_json(item.metadata)
        except (TypeError, ValueError):
            raise E.InvalidInput("metadata must be JSON-serialisable") from None
    eff = getattr(item, "effective_date", None)
    if eff is not None and (not isinstance(eff, date) or isinstance(eff, datetime)):
        raise E.InvalidInput("effective_date must be a date")


def validate_item(item: Any) -> None:
    """Shape checks that need no database.  Raises a :class:`LedgerError`."""
    if isinstance(item, NewTransaction):
        _check_common(item)
        if not isinstance(item.ledger_id, UUID):
            raise E.InvalidInput("ledger id must be a UUID")
        _check_postings_shape(item.postings)
        if item.expires_at is not None:
            if not item.pending:
                raise E.ExpiryWithoutPending()
            if not isinstance(item.expires_at, datetime) or item.expires_at.tzinfo is None:
                raise E.InvalidInput("expires_at must be a timezone-aware datetime")
    elif isinstance(item, PostPending):
        _check_common(item)
        if item.postings is not None:
            _check_postings_shape(item.postings)
    elif isinstance(item, (VoidPending, Reverse)):
        _check_common(item)
    else:
        raise E.InvalidInput(f"unknown batch item {type(item).__name__}")


# --------------------------------------------------------------------------
# in-memory account state


#: an account's mutable totals: debits/credits posted, debits/credits pending, version, dirty
_AcctState: TypeAlias = tuple[int, int, int, int, int, bool]


class _Acct:
    __slots__ = (
        "id", "ledger_id", "currency", "type", "dmnec", "cmned", "closed", "dp", "cp", "dpe", "cpe", "version", "dirty", "_sid",
        "dp0", "cp0", "last_day",
    )

    def __init__(
        self, id: UUID, ledger_id: UUID, currency: str, type: str, dmnec: bool, cmned: bool, closed: bool,
        dp: int, cp: int, dpe: int, cpe: int, version: int,
    ) -> None:
        self.id = id
        self.ledger_id = ledger_id
        self.currency = currency
        self.type = type
        self.dmnec = dmnec
        self.cmned = cmned
        self.closed = closed
        self.dp = dp
        self.cp = cp
        self.dpe = dpe
        self.cpe = cpe
        self.version = version
        self.dirty = False
        self._sid: str | None = None
        # posted totals as loaded, and the last value date with a per-day row
        # (running totals by value date are derived from them)
        self.dp0 = dp
        self.cp0 = cp
        self.last_day: date | None = None

    @property
    def sid(self) -> str:
        """``str(id)``, computed once (the canonical form names accounts)."""
        s = self._sid
        if s is None:
            s = self._sid = str(self.id)
        return s

    def snapshot(self) -> _AcctState:
        return (self.dp, self.cp, self.dpe, self.cpe, self.version, self.dirty)

    def restore(self, snap: _AcctState) -> None:
        self.dp, self.cp, self.dpe, self.cpe, self.version, self.dirty = snap


class _Head:
    __slots__ = ("id", "seq", "hash", "recorded_at", "dirty", "index", "sid", "rec_text")

    def __init__(self, id: UUID, chain_seq: int, chain_head: str, last: datetime | None, now: datetime, index: int) -> None:
        self.id = id
        self.seq = chain_seq
        self.hash = chain_head
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        # recorded_at never goes backwards within a ledger
        self.recorded_at = now if last is None or now > last else last
        self.dirty = False
        self.index = index  # 1-based position in the batch's ledger list (array subscripts)
        self.sid = str(id)
        self.rec_text = chainmod.ts_text(self.recorded_at)


#: a line being decided: account (its in-memory state, or an id), currency, signed amount, phase
_Line: TypeAlias = tuple[_Acct | UUID, str, int, str]
#: a decided line: the account's in-memory state, currency, signed amount, phase
_Resolved: TypeAlias = tuple[_Acct, str, int, str]
#: a posting row: tx index, line, account, currency, amount, phase, account version, balance after
_PostingRow: TypeAlias = tuple[int, int, _Acct, str, int, str, int, int]
#: a transaction row: id, ledger index, seq, kind, date index, description,
#: metadata json, pending, reverses, expires, key, prev hash, hash
_TxRow: TypeAlias = tuple[UUID, int, int, str, int, str, str, UUID | None, UUID | None, datetime | None, str, str, str]
#: an idempotency record: key, request hash, transaction, error json
_IdemRow: TypeAlias = tuple[str, str, UUID | None, str | None]


class _Links(TypedDict):
    """The fields by which a transaction names another one."""

    pending_id: UUID | None
    reverses_id: UUID | None
    expires_at: datetime | None


@dataclass(slots=True)
class _RefTx:
    id: UUID
    ledger_id: UUID
    kind: str
    expires_at: datetime | None
    lines: list[tuple[UUID, str, int, str]]  # account, currency, signed amount, phase


def _add_delta(d: list[int], amt: int, phase: str) -> None:
    """Add a line's signed ``amt`` in ``phase`` to an account's changes ``d``
    (debits posted, credits posted, debits pending, credits pending, debit
    requested, credit requested)."""
    if phase == "posted":
        if amt > 0:
            d[0] += amt
            d[4] += amt
        else:
            d[1] -= amt
            d[5] -= amt
    elif phase == "hold":
        if amt > 0:
            d[2] += amt
            d[4] += amt
        else:
            d[3] -= amt
            d[5] -= amt
    elif amt < 0:  # release: undoes a hold of the opposite sign
        d[2] += amt
    else:
        d[3] -= amt


_TOTALS = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")


def _check_range(acct: _Acct, totals: tuple[int, int, int, int]) -> None:
    """Raise :class:`AmountOutOfRange` if a total of ``acct`` would pass
    :data:`MAX_BALANCE_MINOR` (so every balance, and every sum a read makes
    over accounts, stays far inside signed 64-bit integers)."""
    for name, value in zip(_TOTALS, totals, strict=True):
        if value > MAX_BALANCE_MINOR:
            cur = acct.currency
            total, maximum = minor_text(value, cur), minor_text(MAX_BALANCE_MINOR, cur)
            raise E.AmountOutOfRange(
                f"account {acct.id}: {name} would be {total} {cur}, beyond the largest balance {maximum} {cur}",
                field="postings", account=str(acct.id), total=name, amount=total, currency=cur, maximum=maximum,
            )


def _check_limits(deltas: dict[_Acct, list[int]]) -> None:
    """Raise if a change would take an account's totals out of range or
    overdraw it beyond its balance flags."""
    top = MAX_BALANCE_MINOR
    for acct, d in deltas.items():
        dp, cp, dpe, cpe = acct.dp + d[0], acct.cp + d[1], acct.dpe + d[2], acct.cpe + d[3]
        if dp > top or cp > top or dpe > top or cpe > top:
            _check_range(acct, (dp, cp, dpe, cpe))
        if dpe < 0 or cpe < 0:  # pragma: no cover - guarded by pending state checks
            raise E.LedgerError("pending balance would go negative", account=str(acct.id))
        if acct.dmnec and dp + dpe > cp and d[4] > 0:
            raise E.InsufficientFunds(str(acct.id), acct.cp - acct.dp - acct.dpe, d[4], acct.currency)
        if acct.cmned and cp + cpe > dp and d[5] > 0:
            raise E.CreditLimitExceeded(str(acct.id), acct.dp - acct.cp - acct.cpe, d[5], acct.currency)


# --------------------------------------------------------------------------
# the batch


@dataclass(frozen=True, slots=True)
class _Stored:
    """An idempotency record as :meth:`_Batch.replay` reads it."""

    request_hash: str
    transaction_id: UUID | None
    error: dict[str, Any] | None


class _Batch:
    def __init__(self, conn: AsyncConnection, institution_id: UUID, items: Sequence[Item], now: datetime, opts: PostingOptions):
        self.conn = conn
        self.inst = institution_id
        self.items = items
        self.now = now
        self.opts = opts
        self.today = now.astimezone(zone(opts.business_timezone)).date()
        self.pg = conn.dialect.name == "postgresql"
        n = len(items)
        self.results: list[Result | None] = [None] * n
        self.hashes: list[str] = [""] * n
        self.keys: list[str] = [""] * n
        self.shape_err: list[E.LedgerError | None] = [None] * n
        #: a repeated idempotency key: item -> its first occurrence
        self.dup_of: dict[int, int] = {}
        self.refs: dict[UUID, _RefTx] = {}
        self.consumed_pending: dict[UUID, str] = {}  # pending id -> state
        self.reversed: dict[UUID, UUID] = {}  # original -> reversal
        self.heads: dict[UUID, _Head] = {}
        self.head_list: list[_Head] = []  # in lock order; _Head.index is 1 + position
        self.accts: dict[UUID, _Acct] = {}
        # value dates used by the batch (rows refer to them by 1-based index)
        self.dates: list[date] = []
        self.date_text: list[str] = []
        self.date_index: dict[date, int] = {}
        # rows to write: postings (tx index, line, account, currency, amount,
        # phase, account version, balance after), transactions (id, ledger
        # index, seq, kind, date index, description, metadata json, pending,
        # reverses, expires, key, prev hash, hash), idempotency (key, request
        # hash, transaction, error json)
        self.posting_rows: list[_PostingRow] = []
        self.tx_rows: list[_TxRow] = []
        self.idem_rows: list[_IdemRow] = []
        self.day_deltas: dict[tuple[_Acct, int], list[int]] = defaultdict(lambda: [0, 0])
        self._raw: Any = None
        #: SQLAlchemy has sent a statement on ``conn`` (so its transaction is open)
        self._began = False
        #: the copies of a batch decided in steps (:meth:`decide_and_copy`):
        #: the last one may still run while the rest of the write is prepared
        self.copier: _Copier | None = None
        #: item -> the transaction it wrote, when the caller wants them (``views=True``)
        self.views: dict[int, TransactionView] | None = None

    async def driver(self) -> Any:
        """The DB-API driver connection under ``conn`` (asyncpg or aiosqlite),
        in the same database transaction: the hot statements go straight to
        it, without SQLAlchemy's per-statement and per-row processing."""
        if self._raw is None:
            if self.pg and not self._began:
                # SQLAlchemy's asyncpg adapter opens the database transaction
                # lazily, with its first statement: before that, a statement
                # sent to the driver would run (and commit) on its own
                await self.conn.exec_driver_sql("SELECT 1")
                self._began = True
            self._raw = (await self.conn.get_raw_connection()).driver_connection
        return self._raw

    # -- screening -----------------------------------------------------------

    def screen(self) -> None:
        """Shape checks and request fingerprints, before any database access.
        A key repeated within the batch is decided from its first occurrence."""
        first_by_key: dict[str, int] = {}
        for i, it in enumerate(self.items):
            try:
                validate_item(it)
            except E.LedgerError as err:
                self.shape_err[i] = err
            key = getattr(it, "idempotency_key", None)
            if _valid_key(key):
                self._screen_key(i, it, key, first_by_key)

    def _screen_key(self, i: int, it: Item, key: str, first_by_key: dict[str, int]) -> None:
        # the fingerprint is only ever compared under a key
        try:
            self.hashes[i] = request_fingerprint(it)
        except Exception:  # noqa: BLE001 - unhashable junk is a shape error
            self.hashes[i] = ""
        first = first_by_key.get(key)
        if first is None:
            first_by_key[key] = i
            self.keys[i] = key
        elif self.hashes[first] != self.hashes[i]:
            conflict = E.IdempotencyConflict(key)
            self.results[i] = Result(i, conflict.code, None, conflict)
        else:
            self.results[i] = Result(i, "dup", None)  # placeholder: copies the first's result
            self.dup_of[i] = first

    def replay(self, stored: dict[str, Any]) -> None:
        """Items whose key is already recorded replay the stored outcome (a
        refusal included); other content under the same key is a conflict."""
        for i, key in enumerate(self.keys):
            if not key or key not in stored:
                continue
            rec = stored[key]
            if rec.request_hash != self.hashes[i]:
                conflict = E.IdempotencyConflict(key)
                self.results[i] = Result(i, conflict.code, None, conflict)
            elif rec.error is not None:
                err = E.LedgerError.from_dict(rec.error)
                self.results[i] = Result(i, err.code, None, err, replayed=True)
            else:
                self.results[i] = Result(i, "ok", rec.transaction_id, None, replayed=True)
            self.keys[i] = ""  # already recorded

    def finish(self) -> list[Result]:
        """Every item's result (a repeated key replays its first occurrence's)
        and the idempotency records of the keys decided by this batch."""
        results: list[Result] = []
        for i, res in enumerate(self.results):
            if res is None:  # pragma: no cover - decide() decides every item
                raise AssertionError(f"batch item {i} was not decided")
            if res.code == "dup":
                first = results[self.dup_of[i]]
                res = Result(i, first.code, first.transaction_id, first.error, replayed=True)
            elif self.views is not None and res.ok and not res.replayed:
                res.view = self.views.get(i)
            results.append(res)
        for i, key in enumerate(self.keys):
            if key:
                res = results[i]
                error = None if res.error is None else chainmod.canonical_json(res.error.to_dict())
                self.idem_rows.append((key, self.hashes[i], res.transaction_id, error))
        return results

    # -- loading -----------------------------------------------------------

    async def load_refs(self) -> None:
        ids = set()
        for i, it in enumerate(self.items):
            if self.shape_err[i] is None:
                if isinstance(it, (PostPending, VoidPending)):
                    ids.add(it.pending_id)
                elif isinstance(it, Reverse):
                    ids.add(it.transaction_id)
        if not ids:
            return
        idl = list(ids)
        for part in _chunks(idl):
            rows = await self.conn.execute(
                select(transactions.c.id, transactions.c.institution_id, transactions.c.ledger_id, transactions.c.kind, transactions.c.expires_at).where(
                    _id_in(transactions.c.id, part, self.pg)
                )
            )
            for r in rows:
                if r.institution_id != self.inst:
                    continue
                exp = r.expires_at
                if exp is not None and exp.tzinfo is None:
                    exp = exp.replace(tzinfo=UTC)
                self.refs[r.id] = _RefTx(r.id, r.ledger_id, r.kind, exp, [])
        found = list(self.refs)
        for part in _chunks(found):
            rows = await self.conn.execute(
                select(postings.c.transaction_id, postings.c.account_id, postings.c.currency, postings.c.amount, postings.c.phase)
                .where(postings.c.transaction_id.in_(part))
                .order_by(postings.c.transaction_id, postings.c.line_no)
            )
            for r in rows:
                self.refs[r.transaction_id].lines.append((r.account_id, r.currency, r.amount, r.phase))

    async def load_consumed(self) -> None:
        ids = list(self.refs)
        for part in _chunks(ids):
            rows = await self.conn.execute(
                select(transactions.c.id, transactions.c.kind, transactions.c.pending_id, transactions.c.reverses_id).where(
                    (transactions.c.pending_id.in_(part)) | (transactions.c.reverses_id.in_(part))
                )
            )
            for r in rows:
                if r.pending_id is not None:
                    self.consumed_pending[r.pending_id] = _PENDING_STATE[r.kind]
                if r.reverses_id is not None:
                    self.reversed[r.reverses_id] = r.id

    async def lock_ledgers(self) -> None:
        ids = set()
        for i, it in enumerate(self.items):
            if self.shape_err[i] is not None or self.results[i] is not None:
                continue  # refused by shape, replayed, or a repeat of a key (its first occurrence locks)
            if isinstance(it, NewTransaction):
                ids.add(it.ledger_id)
            else:
                ref_id = it.transaction_id if isinstance(it, Reverse) else it.pending_id
                ref = self.refs.get(ref_id)
                if ref is not None:
                    ids.add(ref.ledger_id)
        if not ids:
            return
        if self.pg:
            # through SQLAlchemy (compiled once: driver SQL), which opens the
            # database transaction if this is the batch's first statement
            self._add_heads(await self.conn.exec_driver_sql(_PG_LOCK_LEDGERS, (self.inst, sorted(ids))))
            self._began = True
        else:
            stmt = (
                select(ledgers.c.id, ledgers.c.chain_seq, ledgers.c.chain_head, ledgers.c.last_recorded_at)
                .where(ledgers.c.institution_id == self.inst, ledgers.c.id.in_(sorted(ids)))
                .order_by(ledgers.c.id)
            )
            self._add_heads(await self.conn.execute(stmt))

    def _add_heads(self, rows: Iterable[Sequence[Any]]) -> None:
        """Keep the locked heads (id, chain seq, chain head, last recorded
        time), in lock order."""
        for r in rows:
            h = _Head(r[0], r[1], r[2], r[3], self.now, len(self.head_list) + 1)
            self.heads[h.id] = h
            self.head_list.append(h)

    async def load_idempotency(self) -> dict[str, Any]:
        keys = sorted({k for k in self.keys if k})
        found: dict[str, Any] = {}
        if self.pg and keys:
            for part in _chunks(keys):
                # through SQLAlchemy (driver SQL): it opens the database transaction when this is the batch's first statement
                for r in await self.conn.exec_driver_sql(_PG_LOAD_IDEMPOTENCY, (self.inst, list(part))):
                    found[r.key] = _Stored(r.request_hash, r.transaction_id, None if r.error is None else json.loads(r.error))
            self._began = True
            return found
        for part in _chunks(keys):
            rows = await self.conn.execute(
                select(ledger_idempotency).where(ledger_idempotency.c.institution_id == self.inst, ledger_idempotency.c.key.in_(part))
            )
            for r in rows:
                found[r.key] = r
        return found

    def _account_ids(self) -> list[UUID]:
        """The accounts named by the items still to decide (directly, or
        through the transaction they post, void or reverse)."""
        ids: set[UUID] = set()
        for i, it in enumerate(self.items):
            if self.results[i] is not None or self.shape_err[i] is not None:
                continue
            if isinstance(it, NewTransaction):
                for p in it.postings:
                    ids.add(p.account_id)
            else:
                ref = self.refs.get(it.transaction_id if isinstance(it, Reverse) else it.pending_id)
                if ref is not None:
                    for a, *_ in ref.lines:
                        ids.add(a)
        return list(ids)

    async def load_accounts(self) -> None:
        idl = self._account_ids()
        if not idl:
            return
        if self.pg:
            await self._load_accounts_pg(idl)
        else:
            await self._load_accounts_sqlite(idl)

    async def _load_accounts_pg(self, idl: list[UUID]) -> None:
        accts = self.accts
        pgc = await self.driver()
        inst = self.inst
        for part in _chunks(idl, _PG_ACCOUNTS_CHUNK):
            # by primary key only (the tenant is checked here: another
            # institution's account is simply not found); a tenant
            # condition in the WHERE clause could make a generic plan scan
            # the tenant, so it is a column (not a UUID to decode per row)
            for r in await pgc.fetch(_PG_LOAD_ACCOUNTS, part, inst):
                if r[12]:
                    a = accts[r[0]] = _Acct(*r[:12])
                    a.last_day = r[13]

    async def _load_accounts_sqlite(self, idl: list[UUID]) -> None:
        accts = self.accts
        drv = await self.driver()
        inst_hex = self.inst.hex
        ledger_ids: dict[str, UUID] = {}
        for part in _chunks(idl):
            by_hex = {u.hex: u for u in part}
            sql = _SQLITE_LOAD_ACCOUNTS.format(",".join("?" * len(by_hex)))
            async with drv.execute(sql, tuple(by_hex)) as cur:
                rows = await cur.fetchall()
            for r in rows:
                if r[12] != inst_hex:
                    continue
                a = by_hex[r[0]]
                lid = ledger_ids.get(r[1])
                if lid is None:
                    lid = ledger_ids[r[1]] = UUID(hex=r[1])
                acct = accts[a] = _Acct(a, lid, r[2], r[3], bool(r[4]), bool(r[5]), bool(r[6]), r[7], r[8], r[9], r[10], r[11])
                acct.last_day = None if r[13] is None else date.fromisoformat(r[13])

    # -- deciding ----------------------------------------------------------

    def lines_for(self, i: int, it: Item) -> tuple[str, UUID, list[_Line], _Links]:
        """(kind, ledger id, lines, fields naming other transactions) or raise."""
        if isinstance(it, NewTransaction):
            return self._lines_new(it)
        if isinstance(it, Reverse):
            return self._lines_reverse(it)
        return self._lines_pending(it)

    def _lines_new(self, it: NewTransaction) -> tuple[str, UUID, list[_Line], _Links]:
        if it.ledger_id not in self.heads:
            raise E.LedgerNotFound(it.ledger_id)
        phase = "hold" if it.pending else "posted"
        lines: list[_Line] = []
        get = self.accts.get
        for p in it.postings:
            acct = get(p.account_id)
            if acct is None:
                raise E.AccountNotFound(p.account_id)
            if p.currency is not None and p.currency != acct.currency:
                raise E.CurrencyMismatch(str(acct.id), acct.currency, p.currency)
            # lines name the account by its in-memory state (identity
            # hashing: no UUID hashing on the way down)
            lines.append((acct, acct.currency, p.amount if p.side == DEBIT else -p.amount, phase))
        if it.expires_at is not None and it.expires_at <= self.now:
            raise E.ExpiryInPast("expires_at is in the past", expires_at=chainmod.ts_text(it.expires_at))
        links: _Links = {"pending_id": None, "reverses_id": None, "expires_at": it.expires_at}
        return ("pending" if it.pending else "standard"), it.ledger_id, lines, links

    def _lines_reverse(self, it: Reverse) -> tuple[str, UUID, list[_Line], _Links]:
        ref = self.refs.get(it.transaction_id)
        if ref is None:
            raise E.TransactionNotFound(it.transaction_id)
        if it.transaction_id in self.reversed:
            raise E.AlreadyReversed(str(it.transaction_id), str(self.reversed[it.transaction_id]))
        if ref.kind not in ("standard", "post_pending"):
            reason = "void a pending transaction instead" if ref.kind == "pending" else f"{ref.kind} transactions move no posted money"
            raise E.NotReversible(str(ref.id), reason)
        lines: list[_Line] = [(a, c, -amt, "posted") for a, c, amt, ph in ref.lines if ph == "posted"]
        return "reversal", ref.ledger_id, lines, {"pending_id": None, "reverses_id": ref.id, "expires_at": None}

    def _lines_pending(self, it: PostPending | VoidPending) -> tuple[str, UUID, list[_Line], _Links]:
        """Post or void a pending transaction."""
        ref = self.refs.get(it.pending_id)
        if ref is None:
            raise E.TransactionNotFound(it.pending_id)
        if ref.kind != "pending":
            raise E.NotPending(str(ref.id))
        state = self.consumed_pending.get(ref.id)
        if state is not None:
            raise E.PendingNotOpen(str(ref.id), state)
        links: _Links = {"pending_id": ref.id, "reverses_id": None, "expires_at": None}
        releases: list[_Line] = [(a, c, -amt, "release") for a, c, amt, ph in ref.lines if ph == "hold"]
        if isinstance(it, VoidPending):
            return getattr(it, "_kind", "void_pending"), ref.ledger_id, releases, links
        if ref.expires_at is not None and ref.expires_at <= self.now:
            raise E.PendingExpired(str(ref.id), chainmod.ts_text(ref.expires_at))
        holds = [(a, c, amt) for a, c, amt, ph in ref.lines if ph == "hold"]
        if it.postings is None:
            posted: list[_Line] = [(a, c, amt, "posted") for a, c, amt in holds]
        else:
            posted = self._partial_posted(ref, holds, it.postings)
        return "post_pending", ref.ledger_id, releases + posted, links

    def _partial_posted(self, ref: _RefTx, holds: list[tuple[UUID, str, int]], postings: list[Posting]) -> list[_Line]:
        """The posted lines of a partial post: each leg must match a held leg
        (account and side) and not exceed it."""
        remaining: dict[tuple[UUID, bool], int] = defaultdict(int)
        for a, _c, amt in holds:
            remaining[(a, amt > 0)] += abs(amt)
        posted: list[_Line] = []
        for p in postings:
            key = (p.account_id, p.side == DEBIT)
            acct = self.accts.get(p.account_id)
            if key not in remaining or acct is None:
                raise E.PostingNotHeld(str(ref.id), str(p.account_id), p.side)
            if p.currency is not None and p.currency != acct.currency:
                raise E.CurrencyMismatch(str(acct.id), acct.currency, p.currency)
            if p.amount > remaining[key]:
                raise E.PostExceedsPending(str(ref.id), str(p.account_id), remaining[key], p.amount, acct.currency)
            remaining[key] -= p.amount
            posted.append((p.account_id, acct.currency, p.amount if p.side == DEBIT else -p.amount, "posted"))
        return posted

    def check_and_apply(self, ledger_id: UUID, lines: list[_Line]) -> list[_Resolved]:
        """Check every rule against the current in-memory state, then apply.
        Raises without changing anything.  ``lines`` name accounts by id or
        by their :class:`_Acct`; returns the lines with the :class:`_Acct`."""
        if len(lines) < 2:
            raise E.TooFewPostings(len(lines))
        resolved, deltas = self._resolve(ledger_id, lines)
        _check_limits(deltas)
        for acct, d in deltas.items():
            acct.dp += d[0]
            acct.cp += d[1]
            acct.dpe += d[2]
            acct.cpe += d[3]
            acct.dirty = True
        return resolved

    def _resolve(self, ledger_id: UUID, lines: list[_Line]) -> tuple[list[_Resolved], dict[_Acct, list[int]]]:
        """The lines with their accounts' in-memory state, and per account
        the changes they make: debits and credits posted, debits and credits
        pending, debit requested, credit requested.  Raises unless every
        account may take its line and the lines balance per currency."""
        sums: dict[str, int] = {}
        deltas: dict[_Acct, list[int]] = {}
        resolved: list[_Resolved] = []
        get = self.accts.get
        for a, cur, amt, phase in lines:
            acct = a if isinstance(a, _Acct) else get(a)
            if acct is None:
                raise E.AccountNotFound(a)
            if acct.ledger_id != ledger_id:
                raise E.LedgerMismatch(str(acct.id), str(ledger_id))
            if acct.currency != cur:
                raise E.CurrencyMismatch(str(acct.id), acct.currency, cur)
            if acct.closed:
                raise E.AccountClosed(str(acct.id))
            resolved.append((acct, cur, amt, phase))
            sums[cur] = sums.get(cur, 0) + amt
            d = deltas.get(acct)
            if d is None:
                d = deltas[acct] = [0, 0, 0, 0, 0, 0]  # dp, cp, dpe, cpe, debit requested, credit requested
            _add_delta(d, amt, phase)
        for cur, diff in sums.items():
            if diff != 0:
                raise E.UnbalancedTransaction(cur, diff)
        return resolved, deltas

    def record(self, i: int, it: Item, kind: str, ledger_id: UUID, lines: list[_Resolved], extra: _Links) -> UUID:
        """Append the rows of an accepted item; returns its transaction id."""
        head = self.heads[ledger_id]
        tx_id = it.id or uuid7()
        tx_text = str(tx_id)
        head.seq += 1
        seq = head.seq
        di = self._date_index(getattr(it, "effective_date", None) or self.today)
        metadata = it.metadata
        key = self.keys[i] or f"auto:{tx_text}"
        metadata_json = chainmod.canonical_json(metadata) if metadata else "{}"
        # the posted balance of each account before this item: the in-memory
        # totals already include it, so rewind its posted lines
        running: dict[_Acct, int] = {}
        for acct, _cur, amt, phase in lines:
            if acct not in running:
                running[acct] = acct.dp - acct.cp
            if phase == "posted":
                running[acct] -= amt
        canon_lines = []
        ti = len(self.tx_rows) + 1
        prow = self.posting_rows.append
        day_deltas = self.day_deltas
        for n, (acct, cur, amt, phase) in enumerate(lines):
            acct.version += 1
            if phase == "posted":
                running[acct] += amt
                dd = day_deltas[(acct, di)]
                if amt > 0:
                    dd[0] += amt
                else:
                    dd[1] -= amt
            canon_lines.append((n, acct.sid, cur, amt, phase))
            prow((ti, n, acct, cur, amt, phase, acct.version, running[acct]))
        description = it.description
        canonical = chainmod.canonical_transaction(
            id=tx_text,
            ledger_id=head.sid,
            seq=seq,
            kind=kind,
            effective_date=self.date_text[di - 1],
            recorded_at=head.rec_text,
            description=description,
            metadata=metadata,
            pending_id=extra["pending_id"],
            reverses_id=extra["reverses_id"],
            expires_at=extra["expires_at"],
            idempotency_key=key,
            postings=canon_lines,
            metadata_json=metadata_json,
        )
        prev = head.hash
        head.hash = chainmod.chain_hash(prev, canonical)
        head.dirty = True
        self.tx_rows.append(
            (tx_id, head.index, seq, kind, di, description, metadata_json, extra["pending_id"], extra["reverses_id"], extra["expires_at"], key, prev, head.hash)
        )
        self._remember(it, kind, tx_id, ledger_id, lines, extra)
        if self.views is not None:
            self.views[i] = self._view(tx_id, head, seq, kind, di, description, metadata_json if metadata else None, extra, key, lines)
        return tx_id

    def _view(
        self, tx_id: UUID, head: _Head, seq: int, kind: str, di: int, description: str, metadata_json: str | None, extra: _Links, key: str,
        lines: list[_Resolved],
    ) -> TransactionView:
        """The transaction being written, as a read of it returns it (the
        metadata as stored: canonical JSON; instants in UTC)."""
        exp = extra["expires_at"]
        return TransactionView(
            tx_id, self.inst, head.id, seq, kind, self.dates[di - 1], head.recorded_at, description,
            json.loads(metadata_json) if metadata_json else {}, extra["pending_id"], extra["reverses_id"],
            None if exp is None else exp.replace(tzinfo=UTC) if exp.tzinfo is None else exp.astimezone(UTC), key, head.hash,
            [PostingView(n, acct.id, cur, amt, phase) for n, (acct, cur, amt, phase) in enumerate(lines)],
            pending_state="open" if kind == "pending" else None,
        )

    def _date_index(self, eff: date) -> int:
        """The 1-based index of value date ``eff`` among the batch's dates."""
        di = self.date_index.get(eff)
        if di is None:
            self.dates.append(eff)
            self.date_text.append(eff.isoformat())
            di = self.date_index[eff] = len(self.dates)
        return di

    def _remember(self, it: Item, kind: str, tx_id: UUID, ledger_id: UUID, lines: list[_Resolved], extra: _Links) -> None:
        """What later items of the batch must know of an accepted one: the
        transaction it is (when they can name it), what it consumed."""
        # only an id the caller chose can be named by a later item of this batch
        if it.id is not None:
            if kind == "pending":
                self.refs[tx_id] = _RefTx(tx_id, ledger_id, "pending", extra["expires_at"], [(a.id, c, amt, ph) for a, c, amt, ph in lines])
            elif kind in ("standard", "post_pending"):
                self.refs[tx_id] = _RefTx(tx_id, ledger_id, kind, None, [(a.id, c, amt, ph) for a, c, amt, ph in lines])
        if extra["pending_id"] is not None:
            self.consumed_pending[extra["pending_id"]] = _PENDING_STATE[kind]
        if extra["reverses_id"] is not None:
            self.reversed[extra["reverses_id"]] = tx_id

    def decide(self, start: int = 0, stop: int | None = None) -> int:
        """Decide the items from ``start`` on, a ``linked`` chain at a time,
        until ``stop`` is reached (a chain is never split: the step ends at
        the first chain boundary at or after ``stop``).  Returns the index
        of the first item left undecided (``len(items)`` when done)."""
        items = self.items
        n = len(items)
        end = n if stop is None else min(stop, n)
        i = start
        while i < end:
            # a chain: items i..j where every item but the last is linked
            j = i
            while j < n and getattr(items[j], "linked", False):
                j += 1
            if j == n:  # the last item of the batch may not be linked
                for k in range(i, n):
                    if self.results[k] is None:
                        err = E.InvalidInput("linked chain is not closed: the last item of a batch cannot be linked")
                        self.results[k] = Result(k, err.code, None, err)
                return n
            members = [k for k in range(i, j + 1) if self.results[k] is None]
            if len(members) <= 1:
                for k in members:
                    self.decide_one(k)
            else:
                self.decide_chain(members)
            i = j + 1
        return i

    async def decide_and_copy(self) -> None:
        """Decide a large batch on PostgreSQL in steps of :data:`STREAM_STEP`
        items and copy each step's postings and transactions while the next
        steps are decided: the database inserts on one core while this
        process decides on the other (instead of one after the other).  A
        copy starts when the one before it is done, with every row decided
        since; the journal's triggers hold per statement (each copy's
        postings are sealed by the transactions copied right after them)."""
        copier = self.copier = _Copier(self, await self.driver())
        i, n = 0, len(self.items)
        while i < n:
            i = self.decide(i, i + STREAM_STEP)
            copier.kick()
            # the event loop sends what the copy has queued
            await asyncio.sleep(0)
        # the last copy (and the one still running) end in the write, after
        # its statement is prepared (:meth:`_write_pg`)

    def decide_one(self, k: int) -> Result:
        it = self.items[k]
        shape_err = self.shape_err[k]
        if shape_err is not None:
            res = Result(k, shape_err.code, None, shape_err)
        else:
            try:
                kind, ledger_id, lines, extra = self.lines_for(k, it)
                resolved = self.check_and_apply(ledger_id, lines)
            except E.LedgerError as err:
                res = Result(k, err.code, None, err)
            else:
                res = Result(k, "ok", self.record(k, it, kind, ledger_id, resolved, extra))
        self.results[k] = res
        return res

    def decide_chain(self, members: list[int]) -> None:
        snap_accts = {a: acct.snapshot() for a, acct in self.accts.items()}
        snap_heads = {h: (hd.seq, hd.hash, hd.dirty) for h, hd in self.heads.items()}
        marks = (len(self.posting_rows), len(self.tx_rows))
        snap_refs = dict(self.refs)
        snap_consumed = dict(self.consumed_pending)
        snap_reversed = dict(self.reversed)
        snap_days = {k: list(v) for k, v in self.day_deltas.items()}
        failed: tuple[int, str] | None = None
        for k in members:
            res = self.decide_one(k)
            if not res.ok:
                failed = (k, res.code)
                break
        if failed is None:
            return
        # undo the chain
        for a, snap in snap_accts.items():
            self.accts[a].restore(snap)
        for h, (seq, hsh, dirty) in snap_heads.items():
            hd = self.heads[h]
            hd.seq, hd.hash, hd.dirty = seq, hsh, dirty
        del self.posting_rows[marks[0] :]
        del self.tx_rows[marks[1] :]
        self.refs = snap_refs
        self.consumed_pending = snap_consumed
        self.reversed = snap_reversed
        self.day_deltas = defaultdict(lambda: [0, 0], snap_days)
        fk, fcode = failed
        for k in members:
            if k == fk:
                continue
            err = E.LinkedTransactionFailed(fk, fcode)
            self.results[k] = Result(k, err.code, None, err)

    # -- writing -----------------------------------------------------------

    async def write(self) -> None:
        if self.pg:
            await self._write_pg()
        else:
            await self._write_generic()

    def _dirty_accounts(self) -> list[_Acct]:
        return [a for a in self.accts.values() if a.dirty]

    def _day_rows(self) -> list[tuple[_Acct, int, int, int, int, int]]:
        """(account, date index, debits, credits, cumulative debits, cumulative
        credits) per account and value date.  The running totals assume the
        account has no per-day row after the batch's first value date for it
        (true unless back-dated: :meth:`_backdated` lists those accounts,
        whose later days the write recomputes)."""
        rows = [(a, d, v[0], v[1]) for (a, d), v in self.day_deltas.items() if v[0] or v[1]]
        dates = self.dates
        rows.sort(key=lambda r: dates[r[1] - 1])
        run: dict[_Acct, list[int]] = {}
        out = []
        for a, d, dr, cr in rows:
            c = run.get(a)
            if c is None:
                c = run[a] = [a.dp0, a.cp0]
            c[0] += dr
            c[1] += cr
            out.append((a, d, dr, cr, c[0], c[1]))
        return out

    def _backdated(self, days: list[tuple[_Acct, int, int, int, int, int]]) -> list[tuple[_Acct, date]]:
        """(account, first value date of the batch) for the accounts that
        already have per-day rows after that date."""
        first: dict[_Acct, date] = {}
        dates = self.dates
        for a, d, *_ in days:
            day = dates[d - 1]
            if a not in first or day < first[a]:
                first[a] = day
        return [(a, day) for a, day in first.items() if a.last_day is not None and day < a.last_day]

    async def _write_generic(self) -> None:
        """Straight ``executemany`` on the sqlite3 connection (aiosqlite) with
        the values already in SQLAlchemy's storage form (UUID as 32 hex
        digits, dates ISO, timestamps through the column type): no per-row
        SQLAlchemy processing."""
        drv = await self.driver()
        ts = _ts_processor(self.conn)
        inst = self.inst.hex
        heads = self.head_list
        dates = self.date_text
        if self.posting_rows:
            led = [h.id.hex for h in heads]
            rec = [ts(h.recorded_at) for h in heads]
            txs = self.tx_rows
            tx_hex = [t[0].hex for t in txs]
            await drv.executemany(
                _SQLITE_INSERT_POSTINGS,
                [
                    (tx_hex[ti - 1], n, inst, led[txs[ti - 1][1] - 1], a.id.hex, cur, amt, ph, ver, bal, dates[txs[ti - 1][4] - 1], rec[txs[ti - 1][1] - 1])
                    for ti, n, a, cur, amt, ph, ver, bal in self.posting_rows
                ],
            )
            await drv.executemany(
                _SQLITE_INSERT_TRANSACTIONS,
                [
                    (
                        tx_hex[k], inst, led[li - 1], seq, kind, dates[di - 1], rec[li - 1], descr, meta,
                        None if pend is None else pend.hex, None if rev is None else rev.hex, None if exp is None else ts(exp), ikey, prev, h,
                    )
                    for k, (_id, li, seq, kind, di, descr, meta, pend, rev, exp, ikey, prev, h) in enumerate(txs)
                ],
            )
        dirty = self._dirty_accounts()
        if dirty:
            await drv.executemany(_SQLITE_UPDATE_ACCOUNTS, [(a.dp, a.cp, a.dpe, a.cpe, a.version, a.id.hex) for a in dirty])
        day_rows = self._day_rows()
        if day_rows:
            await drv.executemany(_SQLITE_UPSERT_DAYS, [(a.id.hex, dates[d - 1], inst, dr, cr, cd, cc) for a, d, dr, cr, cd, cc in day_rows])
            back = self._backdated(day_rows)
            if back:
                await drv.executemany(_SQLITE_RECOMPUTE_DAYS, [(a.id.hex, d.isoformat()) for a, d in back])
        if self.idem_rows:
            now = ts(self.now)
            await drv.executemany(
                _SQLITE_INSERT_IDEMPOTENCY, [(inst, k, h, None if tx is None else tx.hex, err, now) for k, h, tx, err in self.idem_rows]
            )
        dirty_heads = [h for h in heads if h.dirty]
        if dirty_heads:
            await drv.executemany(_SQLITE_UPDATE_LEDGERS, [(h.seq, h.hash, ts(h.recorded_at), h.id.hex) for h in dirty_heads])

    def head_arrays(self) -> tuple[list[UUID], list[datetime]]:
        """The locked ledgers and their recorded times, in lock order (rows
        name them by 1-based index)."""
        return [h.id for h in self.head_list], [h.recorded_at for h in self.head_list]

    async def _write_pg(self) -> None:
        """Two statements over arrays (``unnest``), straight on the asyncpg
        connection: the postings, then everything else in one statement
        (transactions, whose seal trigger runs once for the statement,
        balances, per-day balances, idempotency records, ledger heads).
        Values repeated per row (institution, ledger, value date, recorded
        time) travel once and are picked by index.  From :data:`COPY_FROM`
        postings on, the postings and the transactions go by COPY instead
        (:meth:`_copy_pg`) and the statement writes the rest."""
        pgc = await self.driver()
        heads = self.head_list
        led, rec = self.head_arrays()
        # when copied (here, or by decide_and_copy), the statement below inserts no transactions
        t: list[tuple[Any, ...]] = [()] * 13
        if self.copier is None and len(self.posting_rows) >= COPY_FROM:
            await self._copy_pg(pgc, led, rec, (0, len(self.posting_rows)), (0, len(self.tx_rows)))
        elif self.copier is None and self.posting_rows:
            t = list(zip(*self.tx_rows, strict=True))
            p = list(zip(*self.posting_rows, strict=True))
            await pgc.execute(
                _PG_INSERT_POSTINGS, self.inst, t[0], t[1], t[4], led, rec, self.dates,
                p[0], p[1], [a.id for a in p[2]], p[3], p[4], p[5], p[6], p[7],
            )
        dirty = self._dirty_accounts()
        days = self._day_rows()
        dirty_heads = [h for h in heads if h.dirty]
        i: list[tuple[Any, ...]] = list(zip(*self.idem_rows, strict=True)) if self.idem_rows else [()] * 4
        args = (
            self.inst, led, rec, self.dates, self.now,
            *t,
            [a.id for a in dirty], [a.dp for a in dirty], [a.cp for a in dirty], [a.dpe for a in dirty], [a.cpe for a in dirty], [a.version for a in dirty],
            [d[0].id for d in days], [d[1] for d in days], [d[2] for d in days], [d[3] for d in days],
            *i,
            [h.id for h in dirty_heads], [h.seq for h in dirty_heads], [h.hash for h in dirty_heads], [h.recorded_at for h in dirty_heads],
            [d[4] for d in days], [d[5] for d in days],
        )
        if self.copier is not None:
            await self.copier.finish()  # the arguments were prepared while the last copies ran
        if not (self.tx_rows or dirty or days or self.idem_rows or dirty_heads):
            return
        # the rows of hooks already run (post_batch's before_write) ride along
        parts, params = take_joined(self.conn, len(args))
        if parts:
            await pgc.execute(_PG_WRITE_REST_WITH + ",\n" + ",\n".join(parts) + "\nSELECT 1", *args, *params)
        else:
            await pgc.execute(_PG_WRITE_REST, *args)
        back = self._backdated(days)
        if back:
            await pgc.executemany(_PG_RECOMPUTE_DAYS, [(a.id, d) for a, d in back])

    async def _copy_pg(self, pgc: Any, led: list[UUID], rec: list[datetime], postings: tuple[int, int], txs: tuple[int, int]) -> None:
        """Postings ``postings[0]:postings[1]``, then the transactions
        ``txs[0]:txs[1]`` they belong to, by binary COPY: asyncpg encodes
        COPY rows without the per-element checks it makes on array
        parameters (a tenth of an 8,000-transfer batch's time).  The
        journal's statement-level triggers run for COPY as for INSERT."""
        inst, dates = self.inst, self.dates
        t0 = txs[0]
        tx_rows = self.tx_rows[t0 : txs[1]]
        # per transaction: (id, ledger, value date, recorded time), looked up once per posting
        per_tx = [(t[0], led[t[1] - 1], dates[t[4] - 1], rec[t[1] - 1]) for t in tx_rows]
        await pgc.copy_records_to_table(
            "postings",
            columns=_POSTING_COLUMNS,
            records=[
                (x[0], n, inst, x[1], a.id, cur, amt, ph, ver, bal, x[2], x[3])
                for ti, n, a, cur, amt, ph, ver, bal in self.posting_rows[postings[0] : postings[1]]
                for x in (per_tx[ti - 1 - t0],)
            ],
        )
        await pgc.copy_records_to_table(
            "transactions",
            columns=_TRANSACTION_COLUMNS,
            records=[
                (tx_id, inst, led[li - 1], seq, kind, dates[di - 1], rec[li - 1], descr, meta, pend, rev, exp, ikey, prev, h)
                for tx_id, li, seq, kind, di, descr, meta, pend, rev, exp, ikey, prev, h in tx_rows
            ],
        )


class _Copier:
    """The copies of a batch decided in steps (:meth:`_Batch.decide_and_copy`):
    one at a time on the connection, each with every row decided since the
    last one started."""

    def __init__(self, batch: _Batch, pgc: Any) -> None:
        self.batch = batch
        self.pgc = pgc
        self.led, self.rec = batch.head_arrays()
        self.posting_from = 0
        self.tx_from = 0
        self.task: asyncio.Future[None] | None = None

    def kick(self) -> None:
        """Start a copy of the rows decided since the last one, unless one is
        still running (the next kick takes these rows too)."""
        task = self.task
        if task is not None:
            if not task.done():
                return
            task.result()  # a failed copy fails the batch
            self.task = None
        b = self.batch
        p1, t1 = len(b.posting_rows), len(b.tx_rows)
        if t1 > self.tx_from:
            self.task = asyncio.ensure_future(b._copy_pg(self.pgc, self.led, self.rec, (self.posting_from, p1), (self.tx_from, t1)))
            self.posting_from, self.tx_from = p1, t1

    async def finish(self) -> None:
        """Wait for the running copy, then copy what is left."""
        while self.task is not None:
            await self.task
            self.task = None
            self.kick()

    async def settle(self) -> None:
        """Deciding failed: wait for the running copy (its outcome no longer
        matters: the caller rolls the transaction back) so the connection is
        free again."""
        if self.task is not None:
            await asyncio.wait([self.task])
            if not self.task.cancelled():
                self.task.exception()  # retrieved: no "never retrieved" warning


#: from this many postings on, a batch writes its postings and transactions
#: by COPY (one more round trip, much less encoding per row than arrays)
COPY_FROM = 2_000
#: from this many items on, a batch on PostgreSQL is decided in steps of
#: ``STREAM_STEP`` items, each copied while the next are decided
#: (:meth:`_Batch.decide_and_copy`), and Python's cyclic garbage collector
#: is paused while it runs (:func:`_collector_paused`)
LARGE_BATCH = 1_000
STREAM_STEP = 100
_POSTING_COLUMNS = (
    "transaction_id", "line_no", "institution_id", "ledger_id", "account_id", "currency", "amount", "phase", "account_version",
    "balance_after", "effective_date", "recorded_at",
)
_TRANSACTION_COLUMNS = (
    "id", "institution_id", "ledger_id", "seq", "kind", "effective_date", "recorded_at", "description", "metadata", "pending_id",
    "reverses_id", "expires_at", "idempotency_key", "prev_hash", "hash",
)

_PG_LOCK_LEDGERS = """
SELECT id, chain_seq, chain_head, last_recorded_at FROM ledgers
WHERE institution_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE
"""
#: the idempotency records of a batch's keys (the error as JSON text: the
#: driver connection has no JSON type of SQLAlchemy's to decode it).  One
#: primary-key probe per key (LATERAL): ``key = ANY($2)`` lets a plan cached
#: while the table was small probe by institution only and filter every key
#: the institution ever used (seen at 1.7 ms per lookup a minute into a fresh
#: database, growing with the history)
_PG_LOAD_IDEMPOTENCY = """
SELECT i.key, i.request_hash, i.transaction_id, i.error::text AS error
FROM unnest($2::varchar[]) AS k(key)
CROSS JOIN LATERAL (SELECT * FROM ledger_idempotency x WHERE x.institution_id = $1 AND x.key = k.key LIMIT 1) AS i
"""
_PG_LOAD_ACCOUNTS = """
SELECT a.id, a.ledger_id, a.currency, a.type, a.debits_must_not_exceed_credits, a.credits_must_not_exceed_debits, a.closed,
       a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending, a.version, a.institution_id = $2::uuid,
       (SELECT d.day FROM account_day_balances d WHERE d.account_id = a.id ORDER BY d.day DESC LIMIT 1)
FROM accounts a WHERE a.id = ANY($1::uuid[])
"""
# $1 institution; per transaction: $2 id, $3 ledger index, $4 date index;
# $5 ledgers, $6 their recorded time, $7 value dates; then per posting
_PG_INSERT_POSTINGS = """
INSERT INTO postings (transaction_id, line_no, institution_id, ledger_id, account_id, currency, amount, phase, account_version, balance_after, effective_date, recorded_at)
SELECT ($2::uuid[])[p.ti], p.n, $1::uuid, ($5::uuid[])[($3::int[])[p.ti]], p.acct, p.cur, p.amt, p.ph, p.ver, p.bal,
       ($7::date[])[($4::int[])[p.ti]], ($6::timestamptz[])[($3::int[])[p.ti]]
FROM unnest($8::int[], $9::int[], $10::uuid[], $11::text[], $12::bigint[], $13::text[], $14::bigint[], $15::bigint[])
  AS p(ti, n, acct, cur, amt, ph, ver, bal)
"""
# one statement, one round trip: the postings are already written (the seal
# trigger of ``transactions`` checks them when this statement ends)
_PG_WRITE_REST = """
WITH tx AS (
  INSERT INTO transactions (id, institution_id, ledger_id, seq, kind, effective_date, recorded_at, description, metadata, pending_id, reverses_id, expires_at, idempotency_key, prev_hash, hash)
  SELECT t.id, $1::uuid, ($2::uuid[])[t.li], t.seq, t.kind, ($4::date[])[t.di], ($3::timestamptz[])[t.li], t.descr, t.meta::json, t.pend, t.rev, t.exp, t.ikey, t.prev, t.h
  FROM unnest($6::uuid[], $7::int[], $8::bigint[], $9::text[], $10::int[], $11::text[], $12::text[], $13::uuid[], $14::uuid[], $15::timestamptz[], $16::text[], $17::text[], $18::text[])
    AS t(id, li, seq, kind, di, descr, meta, pend, rev, exp, ikey, prev, h)
), acc AS (
  UPDATE accounts AS a SET debits_posted = u.dp, credits_posted = u.cp, debits_pending = u.dpe, credits_pending = u.cpe, version = u.v
  FROM unnest($19::uuid[], $20::bigint[], $21::bigint[], $22::bigint[], $23::bigint[], $24::bigint[]) AS u(id, dp, cp, dpe, cpe, v)
  WHERE a.id = u.id
), days AS (
  INSERT INTO account_day_balances (account_id, day, institution_id, debits, credits, cum_debits, cum_credits)
  SELECT d.acct, ($4::date[])[d.di], $1::uuid, d.dr, d.cr, d.cd, d.cc
  FROM unnest($25::uuid[], $26::int[], $27::bigint[], $28::bigint[], $37::bigint[], $38::bigint[]) AS d(acct, di, dr, cr, cd, cc)
  ON CONFLICT (account_id, day, institution_id) DO UPDATE
  SET debits = account_day_balances.debits + EXCLUDED.debits, credits = account_day_balances.credits + EXCLUDED.credits,
      cum_debits = EXCLUDED.cum_debits, cum_credits = EXCLUDED.cum_credits
), idem AS (
  INSERT INTO ledger_idempotency (institution_id, key, request_hash, transaction_id, error, created_at)
  SELECT $1::uuid, i.k, i.h, i.tx, i.err::json, $5::timestamptz
  FROM unnest($29::text[], $30::text[], $31::uuid[], $32::text[]) AS i(k, h, tx, err)
), heads AS (
  UPDATE ledgers AS l SET chain_seq = u.seq, chain_head = u.h, last_recorded_at = u.ts
  FROM unnest($33::uuid[], $34::bigint[], $35::text[], $36::timestamptz[]) AS u(id, seq, h, ts)
  WHERE l.id = u.id
)
SELECT 1
"""
#: :data:`_PG_WRITE_REST` without its final ``SELECT``: more CTEs may follow
_PG_WRITE_REST_WITH = _PG_WRITE_REST[: _PG_WRITE_REST.rindex("\nSELECT 1")]

_SQLITE_LOAD_ACCOUNTS = (
    "SELECT a.id, a.ledger_id, a.currency, a.type, a.debits_must_not_exceed_credits, a.credits_must_not_exceed_debits, a.closed, "
    "a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending, a.version, a.institution_id, "
    "(SELECT d.day FROM account_day_balances d WHERE d.account_id = a.id ORDER BY d.day DESC LIMIT 1) "
    "FROM accounts a WHERE a.id IN ({})"
)
_SQLITE_INSERT_POSTINGS = (
    "INSERT INTO postings (transaction_id, line_no, institution_id, ledger_id, account_id, currency, amount, phase, account_version, "
    "balance_after, effective_date, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQLITE_INSERT_TRANSACTIONS = (
    "INSERT INTO transactions (id, institution_id, ledger_id, seq, kind, effective_date, recorded_at, description, metadata, pending_id, "
    "reverses_id, expires_at, idempotency_key, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQLITE_UPDATE_ACCOUNTS = "UPDATE accounts SET debits_posted = ?, credits_posted = ?, debits_pending = ?, credits_pending = ?, version = ? WHERE id = ?"
_SQLITE_UPSERT_DAYS = (
    "INSERT INTO account_day_balances (account_id, day, institution_id, debits, credits, cum_debits, cum_credits) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (account_id, day, institution_id) DO UPDATE SET debits = account_day_balances.debits + excluded.debits, "
    "credits = account_day_balances.credits + excluded.credits, cum_debits = excluded.cum_debits, cum_credits = excluded.cum_credits"
)
# a back-dated batch: the running totals of the account ($1) from its first
# value date in the batch ($2) on, recomputed from the per-day deltas (the
# cost of a back-dated posting grows with the days after it; reads do not)
_RECOMPUTE_DAYS = """
UPDATE account_day_balances SET cum_debits = w.cd, cum_credits = w.cc
FROM (
  SELECT day AS d,
         sum(debits) OVER (ORDER BY day) + coalesce(
           (SELECT p.cum_debits FROM account_day_balances p WHERE p.account_id = {a} AND p.day < {d0} ORDER BY p.day DESC LIMIT 1), 0) AS cd,
         sum(credits) OVER (ORDER BY day) + coalesce(
           (SELECT p.cum_credits FROM account_day_balances p WHERE p.account_id = {a} AND p.day < {d0} ORDER BY p.day DESC LIMIT 1), 0) AS cc
  FROM account_day_balances WHERE account_id = {a} AND day >= {d0}
) AS w
WHERE account_day_balances.account_id = {a} AND account_day_balances.day = w.d
"""
_PG_RECOMPUTE_DAYS = _RECOMPUTE_DAYS.format(a="$1::uuid", d0="$2::date")
_SQLITE_RECOMPUTE_DAYS = _RECOMPUTE_DAYS.format(a="?1", d0="?2")
_SQLITE_INSERT_IDEMPOTENCY = "INSERT INTO ledger_idempotency (institution_id, key, request_hash, transaction_id, error, created_at) VALUES (?, ?, ?, ?, ?, ?)"
_SQLITE_UPDATE_LEDGERS = "UPDATE ledgers SET chain_seq = ?, chain_head = ?, last_recorded_at = ? WHERE id = ?"


def _ts_processor(conn: AsyncConnection) -> Callable[[datetime | None], Any]:
    """The storage form of a timestamp column value on ``conn``'s dialect."""
    process = TS.bind_processor(conn.dialect)
    if process is None:  # pragma: no cover - UtcDateTime always converts
        raise AssertionError("UtcDateTime has no bind processor")
    return process


_PENDING_STATE = {"post_pending": "posted", "void_pending": "voided", "expire_pending": "expired"}


async def post_batch(
    conn: AsyncConnection,
    institution_id: UUID,
    items: Sequence[Item],
    *,
    now: datetime | None = None,
    options: PostingOptions | None = None,
    views: bool = False,
    before_write: Callable[[list[Result]], Awaitable[None]] | None = None,
) -> list[Result]:
    """Decide and write ``items`` inside the caller's transaction on ``conn``.

    Returns one :class:`Result` per item, in order.  Refusals are results,
    not exceptions (a refused item writes nothing but its idempotency record);
    only a batch that is itself invalid raises (:class:`BatchTooLarge`).  The
    caller commits; on any database error it must roll back and may retry.
    With ``views``, each new transaction's result carries it as written
    (:attr:`Result.view`), so the caller needs no read to describe it.
    ``before_write(results)`` runs once every item is decided and before
    anything is written (with the list this returns): on PostgreSQL the rows
    it hands to :func:`ledger.events.write_rows` inside a
    :func:`~ledger.events.deferred_rows` scope are written by the journal's
    own statement.  It must read nothing (the journal is not written yet).
    """
    opts = options or PostingOptions()
    if len(items) > opts.max_batch_size:
        raise E.BatchTooLarge(len(items), opts.max_batch_size)
    b = _Batch(conn, institution_id, items, now or utc_now(), opts)
    if views:
        b.views = {}
    if len(items) < LARGE_BATCH:
        return await _post(b, before_write)
    with _collector_paused():
        return await _post(b, before_write)


async def _post(b: _Batch, before_write: Callable[[list[Result]], Awaitable[None]] | None = None) -> list[Result]:
    b.screen()
    await b.load_refs()
    # before the ledgers are locked (one round trip less while they are):
    # a key recorded meanwhile by a concurrent writer makes this batch's
    # insert of it fail, and the retry replays it (is_idempotency_race)
    b.replay(await b.load_idempotency())
    await b.lock_ledgers()
    await b.load_consumed()
    await b.load_accounts()
    try:
        if b.pg and len(b.items) >= LARGE_BATCH:
            await b.decide_and_copy()
        else:
            b.decide()
        results = b.finish()
        if before_write is not None:
            await before_write(results)
        await b.write()
    except BaseException:
        if b.copier is not None:
            await b.copier.settle()  # the connection is free for the caller's rollback
        raise
    if results and all(r.replayed for r in results):
        mark_replayed()  # the HTTP layer answers Idempotent-Replayed: true
    return results


_collector = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = False
_collector_paused_since = 0.0
#: seconds: while batches keep overlapping (the pause never ends), each one
#: ending after this long collects once, so cyclic garbage made meanwhile by
#: the rest of the process stays bounded
COLLECT_AT_LEAST_EVERY = 5.0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a large batch runs.
    A batch of thousands of items makes hundreds of thousands of short-lived
    objects, none in a reference cycle (reference counting frees them); the
    allocations alone trigger full collections, each walking them and the
    process's whole heap: about a quarter of an 8,000-transfer batch's time
    (measured: 15 full collections, 1.2 s, over 8 batches).  Concurrent and
    nested batches share one pause; the collector runs again when the last
    one ends, if it ran before.  Batches that keep overlapping collect once
    every :data:`COLLECT_AT_LEAST_EVERY` seconds."""
    global _collector_pauses, _collector_was_enabled, _collector_paused_since
    with _collector:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            _collector_paused_since = time.monotonic()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        collect = False
        with _collector:
            _collector_pauses -= 1
            if _collector_pauses == 0:
                if _collector_was_enabled:
                    gc.enable()
            elif _collector_was_enabled and time.monotonic() - _collector_paused_since > COLLECT_AT_LEAST_EVERY:
                _collector_paused_since = time.monotonic()
                collect = True
        if collect:
            gc.collect()


def is_idempotency_race(exc: BaseException) -> bool:
    """A concurrent writer recorded the same idempotency key or consumed the
    same pending/reversed transaction first: retrying replays or refuses."""
    text = str(getattr(exc, "orig", exc))
    return any(
        name in text
        for name in ("pk_ledger_idempotency", "ledger_idempotency", "uq_transactions_pending_id", "uq_transactions_reverses_id")
    )
