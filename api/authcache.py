"""A short-lived in-process cache of resolved credentials (#14).

Resolving an API key or a user's access token costs two to three database
round trips (the key or the user and session, the institution's signing
rule, the institution's status).  :class:`AuthCache` keeps what was resolved
-- the :class:`~api.auth.Principal` and the facts still checked on every
request (expiry, channel, the signing rule) -- for ``XBORDER_AUTH_CACHE_SECONDS``
(default 5; 0 disables it).

* **Key.** An entry is found by an HMAC of the presented credential under a
  random key of the process: neither the credential nor the hash stored in
  the database is kept.  A miss resolves the credential exactly as without
  the cache (the secret's hash compared in constant time); refusals are never
  cached.
* **Not cached.** Request signatures (their replay protection writes a row
  per request) and login throttling are checked on every request as before;
  an entry's expiry (key expiry, session and token expiry) is compared with
  the clock on every hit.
* **Invalidation in the process.** Revoking or rotating a key, approving or
  discarding one, disabling, enabling or changing the role of a user, a
  logout, a password change, disabling or enabling an institution and
  changing its signing rule call :func:`invalidate` in the transaction that
  makes the change: every cache of the process drops the entries of that
  key, user, session or institution at once, and does not store them again
  for :data:`QUIET_SECONDS` (a resolution racing the change's commit cannot
  put the old state back).  So in the process that made the change it is
  effective on the next request.
* **Across processes** (``xborder serve --workers N``, other hosts, the
  ``xborder`` command line) nothing is sent: a change made elsewhere is
  effective everywhere at most ``XBORDER_AUTH_CACHE_SECONDS`` after its
  commit -- the documented bound.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

#: how long (seconds) an invalidated credential is not cached again: longer
#: than the transaction that made the change takes to commit
QUIET_SECONDS = 60.0
#: the most entries one cache keeps (the oldest go first)
MAX_ENTRIES = 10_000

#: (kind, id): ("key", key id), ("user", user id), ("session", session id), ("institution", institution id)
Target = tuple[str, Hashable]
#: resolves a credential: (principal, the targets whose change drops it, the facts checked on every request)
Loader = Callable[[], Awaitable[tuple[Any, frozenset[Target], Any]]]

_CACHES: weakref.WeakSet[AuthCache] = weakref.WeakSet()


@dataclass(frozen=True)
class Entry:
    """A resolved credential: what the request needs and what is still
    checked on every hit.  ``targets``: the ids whose change drops it."""

    principal: Any
    targets: frozenset[Target]
    stored_at: float
    detail: Any


class AuthCache:
    """The cache of one app.  ``clock``: monotonic seconds (tests inject one)."""

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = float(ttl_seconds)
        self.clock = clock
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, Entry] = OrderedDict()
        self._quiet: dict[Target, float] = {}
        self._salt = os.urandom(32)
        #: digest -> (generation, the load under way)
        self._loading: dict[bytes, tuple[int, asyncio.Task[Entry]]] = {}
        self._generation = 0
        _CACHES.add(self)

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def digest(self, credential: str) -> bytes:
        """The entry key of a presented credential (never the credential)."""
        return hmac.new(self._salt, credential.encode(), hashlib.sha256).digest()

    def get(self, digest: bytes) -> Entry | None:
        """The live entry of ``digest``, or None (expired entries are dropped)."""
        if not self.enabled:
            return None
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if not 0 <= self.clock() - entry.stored_at < self.ttl:  # expired (or a clock that went back)
            self._entries.pop(digest, None)
            return None
        return entry

    async def resolve(self, digest: bytes, load: Loader) -> Entry:
        """The entry of ``digest``: the cached one, or ``load()``-ed (one load
        at a time per credential: concurrent misses wait for the same one).
        An entry past half its life is refreshed in the background while it
        is still served, so a credential in steady use is never waited for;
        a refresh that is refused (revoked, disabled, ...) drops the entry.
        A resolution counts from when its load started, so no entry served
        is older than the cache's bound."""
        entry = self.get(digest)
        if entry is not None:
            if self.clock() - entry.stored_at >= self.ttl / 2:
                self._loading_task(digest, load, refresh=True)
            return entry
        return await asyncio.shield(self._loading_task(digest, load, refresh=False))

    def _loading_task(self, digest: bytes, load: Loader, *, refresh: bool) -> asyncio.Task[Entry]:
        loop = asyncio.get_running_loop()
        running = self._loading.get(digest)
        if running is not None and running[0] == self._generation and running[1].get_loop() is loop and not running[1].done():
            return running[1]
        task = loop.create_task(self._load(digest, load, self._generation))
        self._loading[digest] = (self._generation, task)
        task.add_done_callback(lambda t: self._loaded(digest, t, refresh))
        return task

    async def _load(self, digest: bytes, load: Loader, generation: int) -> Entry:
        started = self.clock()
        principal, targets, detail = await load()
        if generation == self._generation:  # nothing was invalidated meanwhile
            self.put(digest, principal, targets, detail, at=started)
        return Entry(principal, targets, started, detail)

    def _loaded(self, digest: bytes, task: asyncio.Task[Entry], refresh: bool) -> None:
        if self._loading.get(digest, (None, None))[1] is task:
            del self._loading[digest]
        if task.cancelled():
            return
        if task.exception() is not None and refresh:  # refused now: the next request resolves (and is refused) itself
            self._entries.pop(digest, None)

    def put(self, digest: bytes, principal: Any, targets: frozenset[Target], detail: Any, at: float | None = None) -> None:
        """Keep a resolution, unless one of its ``targets`` changed lately.
        ``at``: when it was resolved (default now)."""
        if not self.enabled:
            return
        now = self.clock()
        if self._quiet:
            self._quiet = {t: until for t, until in self._quiet.items() if until > now}
            if any(t in self._quiet for t in targets):
                return
        self._entries[digest] = Entry(principal, targets, now if at is None else at, detail)
        self._entries.move_to_end(digest)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def drop(self, targets: frozenset[Target]) -> None:
        """Forget every entry of ``targets`` and do not store them again for
        :data:`QUIET_SECONDS`."""
        until = self.clock() + QUIET_SECONDS
        self._generation += 1  # loads under way resolved the old state: no new request joins them, none stores
        for t in targets:
            self._quiet[t] = max(until, self._quiet.get(t, until))
        for d in [d for d, e in self._entries.items() if e.targets & targets]:
            del self._entries[d]

    def clear(self) -> None:
        self._entries.clear()
        self._generation += 1

    def __len__(self) -> int:
        return len(self._entries)


def invalidate(*targets: Target) -> None:
    """A key, user, session or institution changed: every cache of this
    process forgets it at once."""
    wanted = frozenset(targets)
    for cache in list(_CACHES):
        cache.drop(wanted)
