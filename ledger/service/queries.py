"""Reads: balances (now, as of a recorded instant, as of a value date),
aggregates, transactions, statements and the trial balance."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, ColumnElement, Uuid, bindparam, case, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import errors as E
from ..model import (
    Account,
    Balance,
    PostingView,
    StatementLine,
    StatementPage,
    TransactionView,
    TrialBalance,
    TrialBalanceLine,
)
from ..schema import account_day_balances, accounts, ledgers, postings, transactions
from ..types import TS
from .core import MAX_ROWS, AnyRow, LedgerCore, account_of, exact_sum, joined_sum, transaction_view_of, utc

_PENDING_STATES = {"post_pending": "posted", "void_pending": "voided", "expire_pending": "expired"}


def encode_cursor(version: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{version}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, value = raw.split(":", 1)
        if tag != "v1":
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise E.InvalidInput("malformed cursor", cursor=cursor) from None


class QueriesMixin(LedgerCore):
    """What the ledger holds, read without writing."""

    async def balance(
        self,
        institution_id: UUID,
        account_id: UUID,
        *,
        as_of_recorded: datetime | None = None,
        as_of_date: date | None = None,
    ) -> Balance:
        """The account's balance now, as of a recorded instant (what the
        ledger knew then), or as of the end of a value date.  Each is an
        index probe: the cost does not grow with the account's history."""
        if as_of_recorded is not None and as_of_date is not None:
            raise E.InvalidInput("ask as of a recorded instant or as of a value date, not both")
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(accounts).where(accounts.c.id == account_id, accounts.c.institution_id == institution_id))).first()
            if row is None:
                raise E.AccountNotFound(account_id)
            acct = account_of(row)
            if as_of_recorded is not None:
                return await _balance_as_of_recorded(conn, acct, as_of_recorded)
            if as_of_date is not None:
                return await _balance_as_of_date(conn, acct, as_of_date)
            return Balance(
                acct.id, acct.currency, acct.type, acct.posted, acct.debits_pending, acct.credits_pending, acct.available,
                acct.debits_posted, acct.credits_posted,
            )

    async def aggregate_balances(
        self,
        institution_id: UUID,
        *,
        ledger_id: UUID | None = None,
        owner_ref: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> dict[str, dict[str, int]]:
        """Balances summed per currency over the accounts selected by owner
        and metadata values: ``{currency: {debits_posted, credits_posted,
        debits_pending, credits_pending, accounts}}``."""
        totals = (accounts.c.debits_posted, accounts.c.credits_posted, accounts.c.debits_pending, accounts.c.credits_pending)
        stmt = select(accounts.c.currency, func.count(), *[part for col in totals for part in exact_sum(col)]).where(
            accounts.c.institution_id == institution_id
        )
        if ledger_id is not None:
            stmt = stmt.where(accounts.c.ledger_id == ledger_id)
        if owner_ref is not None:
            stmt = stmt.where(accounts.c.owner_ref == owner_ref)
        for k, v in (metadata or {}).items():
            stmt = stmt.where(accounts.c.metadata[k].as_string() == str(v))
        stmt = stmt.group_by(accounts.c.currency).order_by(accounts.c.currency)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        names = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")
        return {
            r[0]: {"accounts": int(r[1]), **{name: joined_sum(r[2 + 2 * n], r[3 + 2 * n]) for n, name in enumerate(names)}}
            for r in rows
        }

    async def get_transaction(self, institution_id: UUID, transaction_id: UUID) -> TransactionView:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(transactions).where(transactions.c.id == transaction_id, transactions.c.institution_id == institution_id))
            ).first()
            if row is None:
                raise E.TransactionNotFound(transaction_id)
            lines = await conn.execute(select(postings).where(postings.c.transaction_id == transaction_id).order_by(postings.c.line_no))
            view = transaction_view_of(row, [PostingView(p.line_no, p.account_id, p.currency, p.amount, p.phase) for p in lines])
            followers = await conn.execute(
                select(transactions.c.id, transactions.c.kind, transactions.c.pending_id, transactions.c.reverses_id).where(
                    (transactions.c.pending_id == transaction_id) | (transactions.c.reverses_id == transaction_id)
                )
            )
            if view.kind == "pending":
                view.pending_state = "open"
            for f in followers:
                if f.pending_id == transaction_id:
                    view.pending_state = _PENDING_STATES[f.kind]
                if f.reverses_id == transaction_id:
                    view.reversed_by = f.id
            return view

    async def list_transactions(self, institution_id: UUID, ledger_id: UUID, *, after_seq: int = 0, limit: int = 100) -> list[TransactionView]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(transactions)
                    .where(transactions.c.institution_id == institution_id, transactions.c.ledger_id == ledger_id, transactions.c.seq > after_seq)
                    .order_by(transactions.c.seq)
                    .limit(max(1, min(limit, MAX_ROWS)))
                )
            ).all()
            ids = [r.id for r in rows]
            lines: dict[UUID, list[PostingView]] = {i: [] for i in ids}
            if ids:
                for p in await conn.execute(select(postings).where(postings.c.transaction_id.in_(ids)).order_by(postings.c.transaction_id, postings.c.line_no)):
                    lines[p.transaction_id].append(PostingView(p.line_no, p.account_id, p.currency, p.amount, p.phase))
            return [transaction_view_of(r, lines[r.id]) for r in rows]

    async def statement(
        self,
        institution_id: UUID,
        account_id: UUID,
        *,
        cursor: str | None = None,
        limit: int = 100,
        include_pending: bool = False,
    ) -> StatementPage:
        """The account's lines in recorded order with the running posted
        balance, one page at a time (``next_cursor`` is None on the last)."""
        limit = max(1, min(int(limit), 1000))
        after = decode_cursor(cursor)
        async with self.engine.connect() as conn:
            acct_row = (
                await conn.execute(select(accounts.c.currency, accounts.c.type).where(accounts.c.id == account_id, accounts.c.institution_id == institution_id))
            ).first()
            if acct_row is None:
                raise E.AccountNotFound(account_id)
            rows = await _statement_rows(conn, account_id, after, limit + 1, include_pending)
        sign = 1 if acct_row.type in ("asset", "expense") else -1
        more = len(rows) > limit
        rows = rows[:limit]
        lines = [
            StatementLine(r.account_version, r.transaction_id, r.line_no, r.kind, r.phase, r.amount, sign * r.balance_after, r.effective_date, utc(r.recorded_at), r.description)
            for r in rows
        ]
        return StatementPage(account_id, acct_row.currency, lines, encode_cursor(rows[-1].account_version) if more and rows else None)

    async def trial_balance(self, institution_id: UUID, ledger_id: UUID, *, as_of_date: date | None = None) -> TrialBalance:
        """Debits and credits posted per account, with totals per currency
        (equal by construction).  ``as_of_date``: as of the end of that value
        date."""
        async with self.engine.connect() as conn:
            if (await conn.execute(select(ledgers.c.id).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first() is None:
                raise E.LedgerNotFound(ledger_id)
            debits, credits = _totals_as_of(as_of_date)
            rows = (
                await conn.execute(
                    select(accounts.c.id, accounts.c.code, accounts.c.type, accounts.c.currency, debits, credits)
                    .where(accounts.c.ledger_id == ledger_id)
                    .order_by(accounts.c.currency, accounts.c.code)
                )
            ).all()
        lines = []
        totals: dict[str, tuple[int, int]] = {}
        for r in rows:
            d, c = int(r[4]), int(r[5])
            lines.append(TrialBalanceLine(r.id, r.code, r.type, r.currency, d, c))
            td, tc = totals.get(r.currency, (0, 0))
            totals[r.currency] = (td + d, tc + c)
        return TrialBalance(ledger_id, as_of_date, lines, totals)


#: the last posting of an account recorded at or before an instant, by
#: binary search over its versions on the (account, version) key: an
#: account's postings are recorded in version order (recorded times never go
#: backwards within its ledger), so no index on the recorded time is needed
#: (one fewer index for every posting written); about log2(versions) probes
_AS_OF_RECORDED = text(
    """
WITH RECURSIVE s(lo, hi) AS (
  SELECT CAST(0 AS BIGINT), CAST(:version AS BIGINT)
  UNION ALL
  SELECT
    CASE WHEN (SELECT p.recorded_at FROM postings p WHERE p.account_id = :acct AND p.account_version <= (s.lo + s.hi + 1) / 2
               ORDER BY p.account_version DESC LIMIT 1) <= :as_of THEN (s.lo + s.hi + 1) / 2 ELSE s.lo END,
    CASE WHEN (SELECT p.recorded_at FROM postings p WHERE p.account_id = :acct AND p.account_version <= (s.lo + s.hi + 1) / 2
               ORDER BY p.account_version DESC LIMIT 1) <= :as_of THEN s.hi ELSE (s.lo + s.hi + 1) / 2 - 1 END
  FROM s WHERE s.lo < s.hi
)
SELECT (SELECT p.balance_after FROM postings p WHERE p.account_id = :acct AND p.account_version <= s.lo
        ORDER BY p.account_version DESC LIMIT 1)
FROM s WHERE s.lo >= s.hi
"""
).bindparams(bindparam("acct", type_=Uuid), bindparam("version", type_=BigInteger), bindparam("as_of", type_=TS))


async def _balance_as_of_recorded(conn: AsyncConnection, acct: Account, as_of: datetime) -> Balance:
    """The posted balance the ledger knew at the instant ``as_of``."""
    if as_of.tzinfo is None:
        raise E.InvalidInput("as_of must carry a time zone")
    net = (await conn.execute(_AS_OF_RECORDED, {"acct": acct.id, "version": acct.version, "as_of": as_of})).scalar()
    sign = 1 if acct.debit_normal else -1
    return Balance(acct.id, acct.currency, acct.type, sign * (net or 0), None, None, None, None, None, as_of_recorded=as_of)


async def _balance_as_of_date(conn: AsyncConnection, acct: Account, as_of: date) -> Balance:
    """The posted balance at the end of value date ``as_of``: the running
    totals of the account's last value date on or before it (one index
    probe, whatever the history after that date)."""
    debits, credits = _totals_as_of(as_of)
    row = (await conn.execute(select(debits, credits).where(accounts.c.id == acct.id))).one()
    dp, cp = int(row[0]), int(row[1])
    sign = 1 if acct.debit_normal else -1
    return Balance(acct.id, acct.currency, acct.type, sign * (dp - cp), None, None, None, dp, cp, as_of_date=as_of)


async def _statement_rows(conn: AsyncConnection, account_id: UUID, after: int, limit: int, include_pending: bool) -> list[AnyRow]:
    """Up to ``limit`` posting lines of the account after version ``after``."""
    stmt = (
        select(
            postings.c.account_version,
            postings.c.transaction_id,
            postings.c.line_no,
            postings.c.phase,
            postings.c.amount,
            postings.c.balance_after,
            postings.c.effective_date,
            postings.c.recorded_at,
            transactions.c.kind,
            transactions.c.description,
        )
        .join(transactions, transactions.c.id == postings.c.transaction_id)
        .where(postings.c.account_id == account_id, postings.c.account_version > after)
        .order_by(postings.c.account_version)
        .limit(limit)
    )
    if not include_pending:
        stmt = stmt.where(postings.c.phase == "posted")
    return list((await conn.execute(stmt)).all())


def _totals_as_of(as_of_date: date | None) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Debits and credits posted per account row: now, or as of the end of
    ``as_of_date``: the running totals of the account's last value date on
    or before it, or its current totals when nothing is dated later (index
    probes per account, whatever the history after that date)."""
    if as_of_date is None:
        return accounts.c.debits_posted, accounts.c.credits_posted
    adb = account_day_balances
    later = select(adb.c.day).where(adb.c.account_id == accounts.c.id, adb.c.day > as_of_date).limit(1).exists()

    def last(col: ColumnElement[Any], now: ColumnElement[Any]) -> ColumnElement[Any]:
        probe = select(col).where(adb.c.account_id == accounts.c.id, adb.c.day <= as_of_date).order_by(adb.c.day.desc()).limit(1)
        return case((later, func.coalesce(probe.scalar_subquery(), 0)), else_=now)

    return last(adb.c.cum_debits, accounts.c.debits_posted), last(adb.c.cum_credits, accounts.c.credits_posted)
