"""The ledger service: the one object other packages hold to use the ledger.

It owns an engine, runs each operation in a database transaction with the
serialization-failure retry loop, and groups concurrent single postings into
one commit (group commit), so a hot account or a busy ledger is not capped
at one commit per transaction.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from . import chain as chainmod
from . import errors as E
from .config import Settings, get_settings
from .db import create_engine, run_in_transaction
from .ids import uuid7
from .model import (
    Account,
    Balance,
    Institution,
    Item,
    LedgerInfo,
    PostingView,
    Result,
    StatementLine,
    StatementPage,
    TransactionView,
    TrialBalance,
    TrialBalanceLine,
    VerifyReport,
    VoidPending,
)
from .money import currency as check_currency
from .posting import PostingOptions, is_idempotency_race, post_batch
from .schema import (
    ACCOUNT_TYPES,
    account_day_balances,
    accounts,
    chain_checkpoints,
    institutions,
    ledgers,
    postings,
    transactions,
)

#: a hook run inside the database transaction of a posting, after it is
#: decided: ``hook(conn, result)`` (used to write outbox events atomically)
AfterPost = Callable[[AsyncConnection, Result], Awaitable[None]]


def _utc(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def _account(row: Any) -> Account:
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
        created_at=_utc(row.created_at),
    )


def _ledger(row: Any) -> LedgerInfo:
    return LedgerInfo(row.id, row.institution_id, row.code, row.name, _utc(row.created_at), row.chain_seq, row.chain_head)


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


@dataclass
class _Pending:
    institution_id: UUID
    item: Item
    after: AfterPost | None
    future: asyncio.Future


class _GroupCommitter:
    """Collects single postings submitted concurrently and commits them
    together: whatever is queued when the writer is free goes into the next
    database transaction (after an optional short window).  Each item is
    decided on its own (no linking), so one refusal never affects another."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.queue: list[_Pending] = []
        self.wakeup = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        #: size of the last group: the window is only worth waiting when
        #: callers are concurrent (a lone caller never waits)
        self.last_group = 1
        self.in_flight = asyncio.Semaphore(2)
        self.pending_tasks: set[asyncio.Task] = set()

    def submit(self, p: _Pending) -> None:
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.loop is not loop:
            if self.loop is not loop:
                self.in_flight = asyncio.Semaphore(2)
            self.loop = loop
            self.task = loop.create_task(self._run())
        self.queue.append(p)
        self.wakeup.set()

    async def _run(self) -> None:
        settings = self.ledger.settings
        while True:
            if not self.queue:
                self.wakeup.clear()
                try:
                    await asyncio.wait_for(self.wakeup.wait(), timeout=5.0)
                except TimeoutError:
                    if not self.queue:
                        return  # idle: the task ends, the next submit restarts it
                continue
            # two groups in flight: the next one is validated, begun and
            # queued on the ledger lock while the previous one commits
            # (fsync).  The slot is taken *before* the group is cut, so the
            # group holds every caller that arrived while both were busy
            # (callers released by a commit submit again at once).
            await self.in_flight.acquire()
            try:
                if settings.group_commit_window > 0 and self.last_group > 1 and len(self.queue) < settings.group_commit_max:
                    await asyncio.sleep(settings.group_commit_window)
            except BaseException:
                self.in_flight.release()
                raise
            group = self.queue[: settings.group_commit_max]
            self.last_group = len(group)
            del self.queue[: len(group)]
            task = asyncio.get_running_loop().create_task(self._commit_released(group))
            self.pending_tasks.add(task)
            task.add_done_callback(self.pending_tasks.discard)

    async def _commit_released(self, group: list[_Pending]) -> None:
        try:
            await self._commit(group)
        finally:
            self.in_flight.release()

    async def _commit(self, group: list[_Pending]) -> None:
        try:
            results = await self.ledger._post_group(group)
        except Exception as exc:  # noqa: BLE001 - isolate the culprit
            if len(group) == 1:
                if not group[0].future.done():
                    group[0].future.set_exception(exc)
                return
            for p in group:  # one at a time, so one bad hook fails only its own item
                await self._commit([p])
            return
        for p, res in zip(group, results):
            if not p.future.done():
                p.future.set_result(res)


class Ledger:
    """Facade over the ledger tables.  All methods are tenant-scoped by
    ``institution_id``: another institution's ids behave as unknown ids."""

    def __init__(self, engine: AsyncEngine | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.engine = engine or create_engine(settings=self.settings)
        self.options = PostingOptions(max_batch_size=self.settings.max_batch_size, business_timezone=self.settings.business_timezone)
        self._committer = _GroupCommitter(self)
        self._signer: chainmod.CheckpointSigner | None = None

    @property
    def signer(self) -> chainmod.CheckpointSigner:
        if self._signer is None:
            self._signer = chainmod.CheckpointSigner.from_settings(self.settings)
        return self._signer

    async def close(self) -> None:
        await self.engine.dispose()

    async def _tx(self, work, *, retry_on=None):
        return await run_in_transaction(self.engine, work, retries=self.settings.max_retries, retry_on=retry_on)

    # -- institutions, ledgers, accounts ----------------------------------

    async def create_institution(self, code: str, name: str, kind: str = "bank") -> Institution:
        """Create a tenant.  Raises :class:`DuplicateCode`, :class:`InvalidInput`."""
        if kind not in ("bank", "payment_institution", "operator"):
            raise E.InvalidInput(f"unknown institution kind {kind!r}")
        _check_code(code, "institution")
        inst = Institution(uuid7(), code, name or code, kind, datetime.now(UTC))

        async def work(conn):
            await conn.execute(institutions.insert().values(id=inst.id, code=code, name=inst.name, kind=kind, created_at=inst.created_at))

        try:
            await self._tx(work)
        except IntegrityError:
            raise E.DuplicateCode("institution", code) from None
        return inst

    async def get_institution(self, institution_id: UUID) -> Institution:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(institutions).where(institutions.c.id == institution_id))).first()
        if row is None:
            raise E.NotFound("institution", institution_id)
        return Institution(row.id, row.code, row.name, row.kind, _utc(row.created_at))

    async def find_institution(self, code: str) -> Institution | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(institutions).where(institutions.c.code == code))).first()
        return None if row is None else Institution(row.id, row.code, row.name, row.kind, _utc(row.created_at))

    async def create_ledger(self, institution_id: UUID, code: str, name: str = "") -> LedgerInfo:
        _check_code(code, "ledger")
        now = datetime.now(UTC)
        lid = uuid7()

        async def work(conn):
            await conn.execute(
                ledgers.insert().values(
                    id=lid, institution_id=institution_id, code=code, name=name or code, created_at=now, chain_seq=0, chain_head=chainmod.GENESIS
                )
            )

        try:
            await self._tx(work)
        except IntegrityError as exc:
            if "institution" in str(exc.orig).lower() and "foreign" in str(exc.orig).lower():
                raise E.NotFound("institution", institution_id) from None
            raise E.DuplicateCode("ledger", code) from None
        return LedgerInfo(lid, institution_id, code, name or code, now, 0, chainmod.GENESIS)

    async def get_ledger(self, institution_id: UUID, ledger_id: UUID) -> LedgerInfo:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(ledgers).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first()
        if row is None:
            raise E.LedgerNotFound(ledger_id)
        return _ledger(row)

    async def find_ledger(self, institution_id: UUID, code: str) -> LedgerInfo | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(ledgers).where(ledgers.c.code == code, ledgers.c.institution_id == institution_id))).first()
        return None if row is None else _ledger(row)

    async def list_ledgers(self, institution_id: UUID) -> list[LedgerInfo]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(ledgers).where(ledgers.c.institution_id == institution_id).order_by(ledgers.c.code))
            return [_ledger(r) for r in rows]

    async def create_account(
        self,
        institution_id: UUID,
        ledger_id: UUID,
        code: str,
        currency: str,
        type: str,
        *,
        name: str = "",
        owner_ref: str | None = None,
        metadata: dict[str, Any] | None = None,
        debits_must_not_exceed_credits: bool = False,
        credits_must_not_exceed_debits: bool = False,
        conn: AsyncConnection | None = None,
    ) -> Account:
        """Open an account.  Raises :class:`UnknownCurrency`,
        :class:`InvalidInput`, :class:`LedgerNotFound`, :class:`DuplicateCode`.
        With ``conn`` it runs inside the caller's transaction."""
        check_currency(currency)
        _check_code(code, "account")
        if type not in ACCOUNT_TYPES:
            raise E.InvalidInput(f"account type must be one of {', '.join(ACCOUNT_TYPES)}", type=str(type))
        if debits_must_not_exceed_credits and credits_must_not_exceed_debits:
            raise E.InvalidInput("an account cannot have both balance limit flags")
        if metadata is not None:
            if not isinstance(metadata, dict):
                raise E.InvalidInput("metadata must be an object")
            chainmod.canonical_json(metadata)
        if owner_ref is not None and len(owner_ref) > 128:
            raise E.InvalidInput("owner_ref is at most 128 characters")
        now = datetime.now(UTC)
        values = dict(
            id=uuid7(),
            institution_id=institution_id,
            ledger_id=ledger_id,
            code=code,
            name=(name or code)[:200],
            currency=currency,
            type=type,
            owner_ref=owner_ref,
            metadata=metadata or {},
            debits_must_not_exceed_credits=bool(debits_must_not_exceed_credits),
            credits_must_not_exceed_debits=bool(credits_must_not_exceed_debits),
            closed=False,
            debits_posted=0,
            credits_posted=0,
            debits_pending=0,
            credits_pending=0,
            version=0,
            created_at=now,
        )

        async def work(c):
            found = (await c.execute(select(ledgers.c.id).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first()
            if found is None:
                raise E.LedgerNotFound(ledger_id)
            dup = (await c.execute(select(accounts.c.id).where(accounts.c.ledger_id == ledger_id, accounts.c.code == code))).first()
            if dup is not None:
                raise E.DuplicateCode("account", code)
            await c.execute(accounts.insert().values(**values))

        try:
            if conn is not None:
                await work(conn)
            else:
                await self._tx(work)
        except IntegrityError:
            raise E.DuplicateCode("account", code) from None
        return Account(**{k: v for k, v in values.items()})

    async def get_account(self, institution_id: UUID, account_id: UUID) -> Account:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(accounts).where(accounts.c.id == account_id, accounts.c.institution_id == institution_id))).first()
        if row is None:
            raise E.AccountNotFound(account_id)
        return _account(row)

    async def find_account(self, institution_id: UUID, ledger_id: UUID, code: str) -> Account | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(accounts).where(accounts.c.institution_id == institution_id, accounts.c.ledger_id == ledger_id, accounts.c.code == code)
                )
            ).first()
        return None if row is None else _account(row)

    async def list_accounts(
        self,
        institution_id: UUID,
        ledger_id: UUID | None = None,
        *,
        owner_ref: str | None = None,
        metadata: dict[str, str] | None = None,
        limit: int = 100,
        after_code: str | None = None,
    ) -> list[Account]:
        """Accounts ordered by code, filtered by owner and metadata values."""
        stmt = select(accounts).where(accounts.c.institution_id == institution_id)
        if ledger_id is not None:
            stmt = stmt.where(accounts.c.ledger_id == ledger_id)
        if owner_ref is not None:
            stmt = stmt.where(accounts.c.owner_ref == owner_ref)
        for k, v in (metadata or {}).items():
            stmt = stmt.where(accounts.c.metadata[k].as_string() == str(v))
        if after_code is not None:
            stmt = stmt.where(accounts.c.code > after_code)
        stmt = stmt.order_by(accounts.c.code, accounts.c.id).limit(max(1, min(limit, 1000)))
        async with self.engine.connect() as conn:
            return [_account(r) for r in await conn.execute(stmt)]

    async def set_account_closed(self, institution_id: UUID, account_id: UUID, closed: bool) -> Account:
        """Close (or reopen) an account.  A closed account accepts no posting.
        Raises :class:`AccountHasPending` when amounts are held on it."""

        async def work(conn):
            row = (
                await conn.execute(select(accounts).where(accounts.c.id == account_id, accounts.c.institution_id == institution_id))
            ).first()
            if row is None:
                raise E.AccountNotFound(account_id)
            lock = select(ledgers.c.id).where(ledgers.c.id == row.ledger_id)
            if conn.dialect.name == "postgresql":
                lock = lock.with_for_update()
            await conn.execute(lock)  # same lock as postings: no race with a hold
            row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).first()
            if closed and (row.debits_pending or row.credits_pending):
                raise E.AccountHasPending(str(account_id))
            await conn.execute(update(accounts).where(accounts.c.id == account_id).values(closed=closed))
            return (await conn.execute(select(accounts).where(accounts.c.id == account_id))).first()

        return _account(await self._tx(work))

    # -- posting -----------------------------------------------------------

    async def post_batch(self, institution_id: UUID, items: Sequence[Item], *, after: AfterPost | None = None) -> list[Result]:
        """Post up to ``max_batch_size`` items in one database transaction.
        Each item gets its own result; ``linked`` chains are all-or-nothing.
        Raises :class:`BatchTooLarge` or :class:`DatabaseUnavailable`."""
        if len(items) > self.options.max_batch_size:
            raise E.BatchTooLarge(len(items), self.options.max_batch_size)

        async def work(conn):
            results = await post_batch(conn, institution_id, items, options=self.options)
            if after is not None:
                for r in results:
                    await after(conn, r)
            return results

        return await self._tx(work, retry_on=is_idempotency_race)

    async def post(self, institution_id: UUID, item: Item, *, after: AfterPost | None = None, raise_on_error: bool = True) -> Result:
        """Post one item through group commit.  Raises the item's domain error
        when refused (unless ``raise_on_error`` is false)."""
        if getattr(item, "linked", False):
            raise E.InvalidInput("a single posting cannot be linked")
        fut = asyncio.get_running_loop().create_future()
        self._committer.submit(_Pending(institution_id, item, after, fut))
        res: Result = await fut
        if raise_on_error and not res.ok:
            raise res.error  # type: ignore[misc]
        return res

    async def _post_group(self, group: list[_Pending]) -> list[Result]:
        by_inst: dict[UUID, list[int]] = {}
        for n, p in enumerate(group):
            by_inst.setdefault(p.institution_id, []).append(n)

        async def work(conn):
            out: list[Result | None] = [None] * len(group)
            for inst, idxs in by_inst.items():
                res = await post_batch(conn, inst, [group[n].item for n in idxs], options=self.options)
                for n, r in zip(idxs, res):
                    r.index = 0
                    out[n] = r
                    if group[n].after is not None:
                        await group[n].after(conn, r)
            return out

        return await self._tx(work, retry_on=is_idempotency_race)

    async def expire_pending(self, now: datetime | None = None, limit: int = 1000) -> int:
        """Void every open pending transaction whose expiry has passed.
        Returns how many expired.  Safe to run concurrently and repeatedly."""
        now = now or datetime.now(UTC)
        p2 = transactions.alias("p2")
        stmt = (
            select(transactions.c.id, transactions.c.institution_id)
            .where(transactions.c.kind == "pending", transactions.c.expires_at <= now)
            .where(~select(p2.c.id).where(p2.c.pending_id == transactions.c.id).exists())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        count = 0
        by_inst: dict[UUID, list[UUID]] = {}
        for r in rows:
            by_inst.setdefault(r.institution_id, []).append(r.id)
        for inst, ids in by_inst.items():
            items = [_ExpireItem(pid) for pid in ids]
            results = await self.post_batch(inst, items)  # type: ignore[arg-type]
            count += sum(1 for r in results if r.ok and not r.replayed)
        return count

    # -- reads -------------------------------------------------------------

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
            acct = _account(row)
            sign = 1 if acct.debit_normal else -1
            if as_of_recorded is None and as_of_date is None:
                return Balance(
                    acct.id, acct.currency, acct.type, acct.posted, acct.debits_pending, acct.credits_pending, acct.available,
                    acct.debits_posted, acct.credits_posted,
                )
            if as_of_recorded is not None:
                if as_of_recorded.tzinfo is None:
                    raise E.InvalidInput("as_of must carry a time zone")
                net = (
                    await conn.execute(
                        select(postings.c.balance_after)
                        .where(postings.c.account_id == account_id, postings.c.recorded_at <= as_of_recorded)
                        .order_by(postings.c.recorded_at.desc(), postings.c.account_version.desc())
                        .limit(1)
                    )
                ).scalar()
                return Balance(acct.id, acct.currency, acct.type, sign * (net or 0), None, None, None, None, None, as_of_recorded=as_of_recorded)
            later = (
                await conn.execute(
                    select(
                        func.coalesce(func.sum(account_day_balances.c.debits), 0),
                        func.coalesce(func.sum(account_day_balances.c.credits), 0),
                    ).where(account_day_balances.c.account_id == account_id, account_day_balances.c.day > as_of_date)
                )
            ).one()
            dp = acct.debits_posted - int(later[0])
            cp = acct.credits_posted - int(later[1])
            return Balance(acct.id, acct.currency, acct.type, sign * (dp - cp), None, None, None, dp, cp, as_of_date=as_of_date)

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
        stmt = select(
            accounts.c.currency,
            func.sum(accounts.c.debits_posted),
            func.sum(accounts.c.credits_posted),
            func.sum(accounts.c.debits_pending),
            func.sum(accounts.c.credits_pending),
            func.count(),
        ).where(accounts.c.institution_id == institution_id)
        if ledger_id is not None:
            stmt = stmt.where(accounts.c.ledger_id == ledger_id)
        if owner_ref is not None:
            stmt = stmt.where(accounts.c.owner_ref == owner_ref)
        for k, v in (metadata or {}).items():
            stmt = stmt.where(accounts.c.metadata[k].as_string() == str(v))
        stmt = stmt.group_by(accounts.c.currency).order_by(accounts.c.currency)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return {
            r[0]: {
                "debits_posted": int(r[1]),
                "credits_posted": int(r[2]),
                "debits_pending": int(r[3]),
                "credits_pending": int(r[4]),
                "accounts": int(r[5]),
            }
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
            view = _tx_view(row, [PostingView(p.line_no, p.account_id, p.currency, p.amount, p.phase) for p in lines])
            followers = await conn.execute(
                select(transactions.c.id, transactions.c.kind, transactions.c.pending_id, transactions.c.reverses_id).where(
                    (transactions.c.pending_id == transaction_id) | (transactions.c.reverses_id == transaction_id)
                )
            )
            if view.kind == "pending":
                view.pending_state = "open"
            for f in followers:
                if f.pending_id == transaction_id:
                    view.pending_state = {"post_pending": "posted", "void_pending": "voided", "expire_pending": "expired"}[f.kind]
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
                    .limit(max(1, min(limit, 1000)))
                )
            ).all()
            ids = [r.id for r in rows]
            lines: dict[UUID, list[PostingView]] = {i: [] for i in ids}
            if ids:
                for p in await conn.execute(select(postings).where(postings.c.transaction_id.in_(ids)).order_by(postings.c.transaction_id, postings.c.line_no)):
                    lines[p.transaction_id].append(PostingView(p.line_no, p.account_id, p.currency, p.amount, p.phase))
            return [_tx_view(r, lines[r.id]) for r in rows]

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
            sign = 1 if acct_row.type in ("asset", "expense") else -1
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
                .limit(limit + 1)
            )
            if not include_pending:
                stmt = stmt.where(postings.c.phase == "posted")
            rows = (await conn.execute(stmt)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        lines = [
            StatementLine(r.account_version, r.transaction_id, r.line_no, r.kind, r.phase, r.amount, sign * r.balance_after, r.effective_date, _utc(r.recorded_at), r.description)
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
            rows = (
                await conn.execute(
                    select(accounts.c.id, accounts.c.code, accounts.c.type, accounts.c.currency, accounts.c.debits_posted, accounts.c.credits_posted)
                    .where(accounts.c.ledger_id == ledger_id)
                    .order_by(accounts.c.currency, accounts.c.code)
                )
            ).all()
            later: dict[UUID, tuple[int, int]] = {}
            if as_of_date is not None:
                q = (
                    select(account_day_balances.c.account_id, func.sum(account_day_balances.c.debits), func.sum(account_day_balances.c.credits))
                    .join(accounts, accounts.c.id == account_day_balances.c.account_id)
                    .where(accounts.c.ledger_id == ledger_id, account_day_balances.c.day > as_of_date)
                    .group_by(account_day_balances.c.account_id)
                )
                later = {r[0]: (int(r[1]), int(r[2])) for r in await conn.execute(q)}
        lines = []
        totals: dict[str, tuple[int, int]] = {}
        for r in rows:
            ld, lc = later.get(r.id, (0, 0))
            d, c = r.debits_posted - ld, r.credits_posted - lc
            lines.append(TrialBalanceLine(r.id, r.code, r.type, r.currency, d, c))
            td, tc = totals.get(r.currency, (0, 0))
            totals[r.currency] = (td + d, tc + c)
        return TrialBalance(ledger_id, as_of_date, lines, totals)

    # -- tamper evidence -------------------------------------------------------

    async def verify(self, institution_id: UUID, ledger_id: UUID, *, check_balances: bool = True, chunk: int = 2000) -> VerifyReport:
        """Recompute the hash chain of a ledger and name the first altered or
        missing transaction; check the signed checkpoints; optionally check
        that every account's stored balances equal the sum of its postings."""
        async with self.engine.connect() as conn:
            head = (await conn.execute(select(ledgers).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first()
            if head is None:
                raise E.LedgerNotFound(ledger_id)
            report = VerifyReport(ledger_id, True, 0, head.chain_seq)
            prev_hash = chainmod.GENESIS
            expected_seq = 1
            after = 0
            hashes: dict[int, str] = {}
            cps = (await conn.execute(select(chain_checkpoints).where(chain_checkpoints.c.ledger_id == ledger_id))).all()
            cp_seqs = {c.seq for c in cps}
            while True:
                rows = (
                    await conn.execute(
                        select(transactions).where(transactions.c.ledger_id == ledger_id, transactions.c.seq > after).order_by(transactions.c.seq).limit(chunk)
                    )
                ).all()
                if not rows:
                    break
                ids = [r.id for r in rows]
                lines: dict[UUID, list] = {i: [] for i in ids}
                for p in await conn.execute(
                    select(postings.c.transaction_id, postings.c.line_no, postings.c.account_id, postings.c.currency, postings.c.amount, postings.c.phase)
                    .where(postings.c.transaction_id.in_(ids))
                    .order_by(postings.c.transaction_id, postings.c.line_no)
                ):
                    lines[p.transaction_id].append((p.line_no, p.account_id, p.currency, p.amount, p.phase))
                for r in rows:
                    if r.seq != expected_seq:
                        return _bad(report, expected_seq, None, f"transaction #{expected_seq} is missing (next found is #{r.seq})")
                    canonical = chainmod.canonical_transaction(
                        id=r.id,
                        ledger_id=r.ledger_id,
                        seq=r.seq,
                        kind=r.kind,
                        effective_date=r.effective_date,
                        recorded_at=r.recorded_at,
                        description=r.description,
                        metadata=r.metadata or {},
                        pending_id=r.pending_id,
                        reverses_id=r.reverses_id,
                        expires_at=r.expires_at,
                        idempotency_key=r.idempotency_key,
                        postings=lines[r.id],
                    )
                    if r.prev_hash != prev_hash:
                        return _bad(report, r.seq, r.id, "previous-hash link broken (a transaction before it was altered or removed)")
                    computed = chainmod.chain_hash(prev_hash, canonical)
                    if computed != r.hash:
                        return _bad(report, r.seq, r.id, "content does not match its hash (the transaction or one of its postings was altered)")
                    if r.seq in cp_seqs:
                        hashes[r.seq] = computed
                    prev_hash = computed
                    expected_seq += 1
                    report.transactions_checked += 1
                after = rows[-1].seq
            if expected_seq - 1 != head.chain_seq or prev_hash != head.chain_head:
                return _bad(report, expected_seq, None, f"chain head says #{head.chain_seq}; transactions after #{expected_seq - 1} are missing or the head was altered")
            for c in cps:
                if not chainmod.CheckpointSigner.verify(c.public_key, c.signature, ledger_id, c.seq, c.head_hash, _utc(c.created_at)):
                    return _bad(report, c.seq, None, f"checkpoint at #{c.seq} has an invalid signature")
                if hashes.get(c.seq) != c.head_hash:
                    return _bad(report, c.seq, None, f"transaction #{c.seq} does not match the signed checkpoint")
                report.checkpoints_checked += 1
            if check_balances:
                report.balance_problems = await _check_balances(conn, ledger_id)
                if report.balance_problems:
                    report.ok = False
                    report.problem = report.balance_problems[0]
            return report

    async def checkpoint(self, institution_id: UUID, ledger_id: UUID) -> dict[str, Any]:
        """Sign the current chain head with the configured Ed25519 key."""
        signer = self.signer
        now = datetime.now(UTC)

        async def work(conn):
            head = (await conn.execute(select(ledgers).where(ledgers.c.id == ledger_id, ledgers.c.institution_id == institution_id))).first()
            if head is None:
                raise E.LedgerNotFound(ledger_id)
            existing = (await conn.execute(select(chain_checkpoints).where(chain_checkpoints.c.ledger_id == ledger_id, chain_checkpoints.c.seq == head.chain_seq))).first()
            if existing is not None:
                return dict(existing._mapping)
            sig = signer.sign(ledger_id, head.chain_seq, head.chain_head, now)
            row = dict(
                id=uuid7(), institution_id=institution_id, ledger_id=ledger_id, seq=head.chain_seq, head_hash=head.chain_head,
                created_at=now, key_id=signer.key_id, public_key=signer.public_key_hex, signature=sig,
            )
            await conn.execute(chain_checkpoints.insert().values(**row))
            return row

        return await self._tx(work)


class _ExpireItem(VoidPending):
    """A void issued by the expiry sweeper (recorded as ``expire_pending``)."""

    __slots__ = ()
    _kind = "expire_pending"

    def __init__(self, pending_id: UUID) -> None:
        VoidPending.__init__(self, pending_id, idempotency_key=f"expire:{pending_id}", description="expired")


def _tx_view(r: Any, lines: list[PostingView]) -> TransactionView:
    return TransactionView(
        r.id, r.institution_id, r.ledger_id, r.seq, r.kind, r.effective_date, _utc(r.recorded_at), r.description, r.metadata or {},
        r.pending_id, r.reverses_id, _utc(r.expires_at), r.idempotency_key, r.hash, lines,
    )


def _bad(report: VerifyReport, seq: int, tx: UUID | None, problem: str) -> VerifyReport:
    report.ok = False
    report.first_bad_seq = seq
    report.first_bad_transaction = tx
    report.problem = problem
    return report


async def _check_balances(conn: AsyncConnection, ledger_id: UUID) -> list[str]:
    """Stored account balances against the sums of postings."""
    p = postings
    pos = p.c.amount > 0
    q = (
        select(
            accounts.c.id,
            accounts.c.code,
            accounts.c.debits_posted,
            accounts.c.credits_posted,
            accounts.c.debits_pending,
            accounts.c.credits_pending,
            func.coalesce(func.sum(_case(and_(p.c.phase == "posted", pos), p.c.amount)), 0),
            func.coalesce(func.sum(_case(and_(p.c.phase == "posted", ~pos), -p.c.amount)), 0),
            func.coalesce(func.sum(_case(and_(p.c.phase == "hold", pos), p.c.amount)), 0)
            + func.coalesce(func.sum(_case(and_(p.c.phase == "release", ~pos), p.c.amount)), 0),
            func.coalesce(func.sum(_case(and_(p.c.phase == "hold", ~pos), -p.c.amount)), 0)
            - func.coalesce(func.sum(_case(and_(p.c.phase == "release", pos), p.c.amount)), 0),
        )
        .select_from(accounts.outerjoin(p, p.c.account_id == accounts.c.id))
        .where(accounts.c.ledger_id == ledger_id)
        .group_by(accounts.c.id, accounts.c.code, accounts.c.debits_posted, accounts.c.credits_posted, accounts.c.debits_pending, accounts.c.credits_pending)
    )
    problems = []
    for r in await conn.execute(q):
        stored = (r[2], r[3], r[4], r[5])
        summed = (int(r[6]), int(r[7]), int(r[8]), int(r[9]))
        if stored != summed:
            problems.append(f"account {r[1]} ({r[0]}): stored debits/credits posted/pending {stored} != sum of postings {summed}")
    return problems


def _case(cond, value):
    from sqlalchemy import case

    return case((cond, value), else_=0)


def _check_code(code: str, kind: str) -> None:
    if not isinstance(code, str) or not (1 <= len(code) <= 128) or any(ch.isspace() and ch != " " for ch in code) or "\x00" in code:
        raise E.InvalidInput(f"{kind} code must be 1..128 printable characters", code=str(code)[:140])
