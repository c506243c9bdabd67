"""Posting: batches in one database transaction, single postings through
group commit, and the expiry of pending transactions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import literal_column, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import errors as E
from ..clock import utc_now
from ..events import deferred_rows, is_rows_only
from ..model import Item, Result, VoidPending
from ..posting import is_idempotency_race, post_batch
from ..process import mark_replayed
from ..schema import transactions
from .core import AfterPost, LedgerCore

#: a hook run inside a batch's database transaction with all its results
AfterBatch = Callable[[AsyncConnection, list[Result]], Awaitable[None]]


@dataclass
class _Pending:
    institution_id: UUID
    item: Item
    after: AfterPost | None
    future: asyncio.Future[Any]
    #: a whole batch posted as one unit of the group (``item`` is its first
    #: item): the future gets its list of results
    batch: Sequence[Item] | None = None
    #: a batch's hook run once with its results, in the group's transaction
    then: AfterBatch | None = None
    #: results carry the transaction as written (single postings always do)
    views: bool = True

    @property
    def items(self) -> Sequence[Item]:
        return [self.item] if self.batch is None else self.batch


class WriterMixin(LedgerCore):
    """Posting money (see :mod:`ledger.posting` for how a batch is decided)."""

    _committer: GroupCommitter

    async def post_batch(
        self, institution_id: UUID, items: Sequence[Item], *, after: AfterPost | None = None, then: AfterBatch | None = None, views: bool = False,
    ) -> list[Result]:
        """Post up to ``max_batch_size`` items in one database transaction.
        Each item gets its own result; ``linked`` chains are all-or-nothing.
        ``after(conn, result)`` runs in that transaction for each result,
        then ``then(conn, results)`` once with the list this returns.
        With ``views`` each new transaction's result carries it as written
        (:attr:`Result.view`), as a single posting's does.
        Raises :class:`BatchTooLarge` or :class:`DatabaseUnavailable`."""
        if len(items) > self.options.max_batch_size:
            raise E.BatchTooLarge(len(items), self.options.max_batch_size)
        if items and not getattr(items[-1], "linked", False):
            # through the group committer: batches of concurrent callers
            # share one database transaction (and its commit) instead of
            # queueing on the ledger lock one after another; a batch's
            # linked chains end inside it, so it is decided as if alone
            fut: asyncio.Future[list[Result]] = asyncio.get_running_loop().create_future()
            self._committer.submit(_Pending(institution_id, items[0], after, fut, batch=list(items), then=then, views=views))
            grouped: list[Result] = await fut
            if all(r.replayed for r in grouped):
                mark_replayed()
            return grouped

        async def work(conn: AsyncConnection) -> list[Result]:
            async def hand_out(results: list[Result]) -> None:
                if after is not None:
                    for r in results:
                        await after(conn, r)
                if then is not None:
                    await then(conn, results)

            async with deferred_rows(conn):
                early = is_rows_only(after) and is_rows_only(then)  # as in a group (_post_group)
                results = await post_batch(conn, institution_id, items, options=self.options, views=views, before_write=hand_out if early else None)
                if not early:
                    await hand_out(results)
            return results

        results = await self._tx(work, retry_on=is_idempotency_race)
        if results and all(r.replayed for r in results):
            mark_replayed()
        return results

    async def post(self, institution_id: UUID, item: Item, *, after: AfterPost | None = None, raise_on_error: bool = True) -> Result:
        """Post one item through group commit.  Raises the item's domain error
        when refused (unless ``raise_on_error`` is false)."""
        if getattr(item, "linked", False):
            raise E.InvalidInput("a single posting cannot be linked")
        fut: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._committer.submit(_Pending(institution_id, item, after, fut))
        res = await fut
        if res.replayed:
            mark_replayed()
        if raise_on_error and res.error is not None and not res.ok:
            raise res.error
        return res

    async def _post_group(self, group: list[_Pending]) -> list[Any]:
        by_inst: dict[UUID, list[int]] = {}
        for n, p in enumerate(group):
            by_inst.setdefault(p.institution_id, []).append(n)

        async def work(conn: AsyncConnection) -> list[Any]:
            async with deferred_rows(conn):  # the hooks' audit, outbox and answer rows: one statement per kind for the group
                return await post_all(conn)

        async def post_all(conn: AsyncConnection) -> list[Any]:
            out: dict[int, Any] = {}
            for inst, idxs in by_inst.items():
                views = any(group[n].views for n in idxs)

                async def hand_out(res: list[Result], idxs: list[int] = idxs) -> None:
                    start = 0
                    for n in idxs:
                        p = group[n]
                        mine = res[start : start + len(p.items)]
                        for r in mine:
                            r.index -= start
                            if not p.views:
                                r.view = None
                            if p.after is not None:
                                await p.after(conn, r)
                        if p.then is not None:
                            # the very list the caller gets: a stored answer is
                            # recognised by identity (api.idempotency.StoredAnswer)
                            await p.then(conn, mine)
                        out[n] = mine[0] if p.batch is None else mine
                        start += len(p.items)

                # hooks that only hand over rows run before the journal is
                # written, and their rows go out in the journal's statement
                early = all(is_rows_only(group[n].after) and is_rows_only(group[n].then) for n in idxs)
                items = [it for n in idxs for it in group[n].items]
                res = await post_batch(conn, inst, items, options=self.options, views=views, before_write=hand_out if early else None)
                if not early:
                    await hand_out(res)
            return [out[n] for n in range(len(group))]

        return await self._tx(work, retry_on=is_idempotency_race)

    async def expire_pending(self, now: datetime | None = None, limit: int = 1000) -> int:
        """Void every open pending transaction whose expiry has passed.
        Returns how many expired.  Safe to run concurrently and repeatedly."""
        now = now or utc_now()
        p2 = transactions.alias("p2")
        stmt = (
            select(transactions.c.id, transactions.c.institution_id)
            # a literal kind: the partial index ix_transactions_pending_expires applies
            .where(transactions.c.kind == literal_column("'pending'"), transactions.c.expires_at <= now)
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
            results = await self.post_batch(inst, [ExpireItem(pid) for pid in ids])
            count += sum(1 for r in results if r.ok and not r.replayed)
        return count


class GroupCommitter:
    """Collects single postings submitted concurrently and commits them
    together: whatever is queued when the writer is free goes into the next
    database transaction (after an optional short window).  Each item is
    decided on its own (no linking), so one refusal never affects another."""

    def __init__(self, ledger: WriterMixin) -> None:
        self.ledger = ledger
        self.queue: list[_Pending] = []
        self.wakeup = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        #: size of the last group: the window is only worth waiting when
        #: callers are concurrent (a lone caller never waits)
        self.last_group = 1
        self.in_flight = asyncio.Semaphore(2)
        self.pending_tasks: set[asyncio.Task[None]] = set()

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
                await self._wait_window()
            except BaseException:
                self.in_flight.release()
                raise
            group = self._cut_group()
            task = asyncio.get_running_loop().create_task(self._commit_released(group))
            self.pending_tasks.add(task)
            task.add_done_callback(self.pending_tasks.discard)

    async def _wait_window(self) -> None:
        """Wait the group-commit window when callers are concurrent and the
        next group is not full yet."""
        settings = self.ledger.settings
        if settings.group_commit_window > 0 and self.last_group > 1 and len(self.queue) < settings.group_commit_max:
            await asyncio.sleep(settings.group_commit_window)

    def _cut_group(self) -> list[_Pending]:
        """The next group: up to ``group_commit_max`` units holding at most
        ``max_batch_size`` items (a unit is never split)."""
        limit, room = self.ledger.settings.group_commit_max, self.ledger.options.max_batch_size
        n = 0
        for p in self.queue[:limit]:
            size = 1 if p.batch is None else len(p.batch)
            if n and size > room:
                break
            room -= size
            n += 1
        group = self.queue[:n]
        self.last_group = len(group)
        del self.queue[:n]
        return group

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
        for p, res in zip(group, results, strict=True):
            if not p.future.done():
                p.future.set_result(res)


class ExpireItem(VoidPending):
    """A void issued by the expiry sweeper (recorded as ``expire_pending``)."""

    __slots__ = ()
    _kind = "expire_pending"

    def __init__(self, pending_id: UUID) -> None:
        VoidPending.__init__(self, pending_id, idempotency_key=f"expire:{pending_id}", description="expired")
