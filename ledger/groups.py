"""Requests submitted concurrently, settled together.

A :class:`GroupQueue` collects what its callers submit while the previous
group is being settled and hands the next group to :meth:`GroupQueue.settle`
as one unit of work (one statement, one database transaction).  Each caller
awaits its own result.  When a group fails as a whole, its members are
settled again one at a time, so one bad member fails only its own caller;
an unreachable database (:func:`ledger.db.is_unavailable`) fails them all at
once.  A lone caller waits for nothing: the group forms only from callers
that are already queued.
"""

from __future__ import annotations

import asyncio
from typing import Generic, TypeVar

from .db import is_unavailable

T = TypeVar("T")
R = TypeVar("R")


class GroupQueue(Generic[T, R]):
    """Override :meth:`settle`; call :meth:`submit`."""

    #: the most members one group holds
    max_group = 256

    def __init__(self) -> None:
        self.queue: list[tuple[T, asyncio.Future[R]]] = []
        self.task: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    async def settle(self, items: list[T]) -> list[R]:
        """One result per item, in order (one unit of work for all)."""
        raise NotImplementedError

    async def submit(self, item: T) -> R:
        """Queue ``item`` and wait for its result (or its exception)."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[R] = loop.create_future()
        self.queue.append((item, fut))
        if self.task is None or self.task.done() or self.loop is not loop:
            self.loop = loop
            self.task = loop.create_task(self._drain())
        return await fut

    async def _drain(self) -> None:
        # ends (without awaiting) as soon as the queue is empty: the next
        # submit finds the task done and starts another
        while self.queue:
            group = self.queue[: self.max_group]
            del self.queue[: self.max_group]
            await self._settle(group)

    async def _settle(self, group: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self.settle([item for item, _fut in group])
        except Exception as exc:  # noqa: BLE001 - handed to the callers
            if len(group) > 1 and not is_unavailable(exc):
                for one in group:  # one at a time: a member the database refuses fails only its own caller
                    await self._settle([one])
                return
            for _item, fut in group:
                if not fut.done():
                    fut.set_exception(exc)
            return
        for (_item, fut), res in zip(group, results, strict=True):
            if not fut.done():
                fut.set_result(res)
