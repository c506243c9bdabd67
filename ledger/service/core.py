"""What every part of the ledger service shares: the engine and settings, the
transaction runner with its retry loop, and the row-to-object mappers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import ColumnElement, Row, func
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .. import chain as chainmod
from .. import errors as E
from ..config import Settings, get_settings
from ..db import create_engine, run_in_transaction
from ..model import Account, Institution, LedgerInfo, PostingView, Result, TransactionView
from ..posting import PostingOptions

T = TypeVar("T")

#: The largest page a listing returns, plus the one row a caller reads ahead
#: to learn whether another page follows (a caller asking for the largest
#: page, 1,000, asks the library for 1,001 rows and must get them).
MAX_PAGE = 1000
MAX_ROWS = MAX_PAGE + 1

#: a result row of any shape
AnyRow: TypeAlias = Row[*tuple[Any, ...]]

#: a hook run inside the database transaction of a posting, after it is
#: decided: ``hook(conn, result)`` (used to write outbox events atomically)
AfterPost = Callable[[AsyncConnection, Result], Awaitable[None]]

#: work run inside one database transaction by :meth:`LedgerCore._tx`
Work = Callable[[AsyncConnection], Awaitable[T]]


class LedgerCore:
    """The state every part of :class:`ledger.service.Ledger` uses."""

    def __init__(self, engine: AsyncEngine | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.engine = engine or create_engine(settings=self.settings)
        self.options = PostingOptions(max_batch_size=self.settings.max_batch_size, business_timezone=self.settings.business_timezone)
        self._signer: chainmod.CheckpointSigner | None = None

    async def close(self) -> None:
        await self.engine.dispose()

    async def _tx(self, work: Work[T], *, retry_on: Callable[[BaseException], bool] | None = None) -> T:
        return await run_in_transaction(self.engine, work, retries=self.settings.max_retries, retry_on=retry_on)


#: sums over many rows are taken in two parts, each far from overflowing
_PART = 2**32


def exact_sum(value: ColumnElement[Any]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Two SQL sums whose :func:`joined_sum` is the exact sum of the integer
    ``value`` on either database.  SQLite's ``SUM`` raises "integer
    overflow" past 2**63; summing the high and the low 32 bits apart (with
    truncating division, so negative values split exactly as well) cannot
    overflow for fewer than 2**31 rows."""
    return func.coalesce(func.sum(value // _PART), 0), func.coalesce(func.sum(value % _PART), 0)


def joined_sum(high: Any, low: Any) -> int:
    """The exact sum from the two parts of :func:`exact_sum`."""
    return int(high) * _PART + int(low)


def utc(ts: datetime) -> datetime:
    """``ts`` marked UTC when the database returned it naive."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def utc_or_none(ts: datetime | None) -> datetime | None:
    return None if ts is None else utc(ts)


def account_of(row: AnyRow) -> Account:
    return Account(
        id=row.id,
        institution_id=row.institution_id,
        ledger_id=row.ledger_id,
        code=row.code,
        name=row.name,
        currency=row.currency,
        type=row.type,
        owner_ref=row.owner_ref,
        metadata=row.metadata or {},
        debits_must_not_exceed_credits=row.debits_must_not_exceed_credits,
        credits_must_not_exceed_debits=row.credits_must_not_exceed_debits,
        closed=row.closed,
        debits_posted=row.debits_posted,
        credits_posted=row.credits_posted,
        debits_pending=row.debits_pending,
        credits_pending=row.credits_pending,
        version=row.version,
        created_at=utc(row.created_at),
    )


def ledger_of(row: AnyRow) -> LedgerInfo:
    return LedgerInfo(row.id, row.institution_id, row.code, row.name, utc(row.created_at), row.chain_seq, row.chain_head)


def institution_of(row: AnyRow) -> Institution:
    return Institution(row.id, row.code, row.name, row.kind, utc(row.created_at))


def transaction_view_of(r: AnyRow, lines: list[PostingView]) -> TransactionView:
    return TransactionView(
        r.id, r.institution_id, r.ledger_id, r.seq, r.kind, r.effective_date, utc(r.recorded_at), r.description, r.metadata or {},
        r.pending_id, r.reverses_id, utc_or_none(r.expires_at), r.idempotency_key, r.hash, lines,
    )


def check_code(code: str, kind: str) -> None:
    if not isinstance(code, str) or not (1 <= len(code) <= 128) or any(ch.isspace() and ch != " " for ch in code) or "\x00" in code:
        raise E.InvalidInput(f"{kind} code must be 1..128 printable characters", code=str(code)[:140])

