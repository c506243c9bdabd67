"""Outgoing webhooks: endpoints, fan-out from the transactional outbox, and
signed delivery with retries (Standard Webhooks).

Flow
----
1. A change and its event are committed together: ``ledger.events.emit_event``
   writes an ``outbox_events`` row in the caller's transaction.
2. :meth:`WebhookDispatcher.run_once` *fans out* undispatched events: for each
   event it creates one ``webhook_deliveries`` row per enabled endpoint of
   the event's institution subscribed to its type, and stamps the event
   ``dispatched_at`` -- in one transaction, so an event is fanned out once
   (rows are locked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, SQLite
   serialises writers, and the unique ``(event_id, endpoint_id)`` constraint
   backs both up).  An endpoint gets the events fanned out while it is
   enabled and subscribed (normally: those emitted after it was registered).
3. It then *claims* due deliveries with a compare-and-set UPDATE that counts
   the attempt and moves ``next_attempt_at`` forward by a lease, commits,
   and only then POSTs.  A dispatcher that dies after claiming leaves the
   delivery pending; another dispatcher picks it up when the lease runs out.
   Nothing is ever deleted before a 2xx answer, so killing the process at
   any point loses no event (delivery is at least once; receivers
   de-duplicate on ``webhook-id``, the event id).
4. Each try checks the destination again (:mod:`api.netguard`: a name that
   resolved to a public address at registration may resolve to a private
   one now) and connects to the address it checked; redirects are never
   followed.  Each try writes a ``webhook_attempts`` row.  2xx: delivered.
   410 Gone: the endpoint is disabled and its pending deliveries cancelled.
   Anything else (other statuses, a refused destination, timeouts,
   connection errors): retried with exponential backoff and jitter,
   ``failed`` after ``max_attempts``.  The stored error is a fixed kind
   (``http_<status>``, ``refused_destination``, ``timeout``,
   ``connect_error``, ``protocol_error``), never what the remote said.

Signing follows https://www.standardwebhooks.com: headers ``webhook-id``,
``webhook-timestamp`` (unix seconds at sending time) and ``webhook-signature``
= ``v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`` where the
secret is the base64-decoded part of ``whsec_...``.  The body is the event
serialised deterministically, so every retry sends the same bytes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.clock import utc_now
from ledger.crypto import Keyring
from ledger.db import run_in_transaction
from ledger.errors import InvalidInput, NotFound
from ledger.events import outbox_events
from ledger.ids import uuid7

from .netguard import DestinationRefused, NetPolicy
from .schema import webhook_attempts, webhook_deliveries, webhook_endpoints

log = logging.getLogger("xborder.webhooks")

SECRET_CONTEXT = "webhook_endpoint"
SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 2000
MAX_EVENT_TYPES = 100
MAX_EVENT_TYPE_LENGTH = 64
#: ``disabled_reason`` of an endpoint removed by its institution (soft delete)
DELETED = "deleted"
USER_AGENT = "xborder-webhooks/1"

PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"


# -- helpers -------------------------------------------------------------------------


#: the most rows one list query returns (a page of 1000 and one more to tell that more follow)
MAX_LIST_ROWS = 1001


def _now() -> datetime:
    return utc_now()


def _utc(ts: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _uuid(value: Any, kind: str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise NotFound(kind, value) from None


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` + base64 of 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(24)).decode()


def secret_bytes(secret: str) -> bytes:
    raw = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    return base64.b64decode(raw + "=" * (-len(raw) % 4))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for one message."""
    to_sign = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), to_sign, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def validate_url(url: Any) -> str:
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("webhook url is required", field="url")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(f"webhook url longer than {MAX_URL_LENGTH} characters", field="url", limit=MAX_URL_LENGTH)
    if any(ch.isspace() for ch in url):
        raise InvalidInput("webhook url may not contain whitespace", field="url")
    try:
        parts = urlsplit(url)  # raises ValueError on a bracketed host that is no IPv6 address
    except ValueError:
        raise DestinationRefused("unresolvable", "webhook destination host is not an IP address") from None
    try:
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise InvalidInput("webhook url is not a valid URL", field="url") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidInput("webhook url must use http or https", field="url", scheme=parts.scheme)
    if not parts.hostname:
        raise InvalidInput("webhook url has no host", field="url")
    del port
    return url


def validate_event_types(event_types: Any) -> list[str]:
    """A non-empty list of event type names; ``"*"`` subscribes to all and
    ``"prefix.*"`` to every type starting with ``prefix.``."""
    if isinstance(event_types, str) or not isinstance(event_types, (list, tuple)):
        raise InvalidInput("event_types must be a list of strings", field="event_types")
    out: list[str] = []
    for t in event_types:
        if not isinstance(t, str) or not t.strip():
            raise InvalidInput("event types must be non-empty strings", field="event_types")
        t = t.strip()
        if len(t) > MAX_EVENT_TYPE_LENGTH or any(ch.isspace() for ch in t):
            raise InvalidInput(f"invalid event type {t[:80]!r}", field="event_types")
        if t not in out:
            out.append(t)
    if not out:
        raise InvalidInput("event_types must name at least one event type (\"*\" for all)", field="event_types")
    if len(out) > MAX_EVENT_TYPES:
        raise InvalidInput(f"at most {MAX_EVENT_TYPES} event types", field="event_types", limit=MAX_EVENT_TYPES)
    return out


def matches(event_types: list[str] | None, event_type: str) -> bool:
    for pattern in event_types or ():
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def _iso(ts: datetime | None) -> str | None:
    ts = _utc(ts)
    return None if ts is None else ts.isoformat().replace("+00:00", "Z")


def event_body(event_id: Any, type: str, created_at: datetime, institution_id: Any, payload: Any) -> bytes:
    """The JSON body of an event: a pure function of the stored event, so
    every retry (by any process) sends the same bytes."""
    doc = {
        "id": str(event_id),
        "type": type,
        "created_at": _iso(created_at),
        "institution_id": str(institution_id),
        "data": payload,
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=str).encode()


def _endpoint_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "institution_id": row.institution_id,
        "url": row.url,
        "event_types": list(row.event_types or []),
        "enabled": bool(row.enabled),
        "disabled_reason": row.disabled_reason,
        "created_at": _utc(row.created_at),
    }


def error_kind(exc: BaseException) -> str:
    """The stored error of a failed try: a fixed kind, never the exception
    text (it may quote what answered)."""
    if isinstance(exc, DestinationRefused):
        return "refused_destination"
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        return "timeout"
    if isinstance(exc, (httpx.ProtocolError, httpx.DecodingError)):
        return "protocol_error"
    return "connect_error"


def _trim(text: str | None, n: int = 500) -> str | None:
    return None if text is None else text[:n]


# -- endpoints ---------------------------------------------------------------------------


async def check_destination(url: Any, policy: NetPolicy) -> str:
    """A valid URL whose destination the policy admits (else
    :class:`~api.netguard.DestinationRefused`, 422 ``webhook_destination_refused``)."""
    url = validate_url(url)
    await policy.check(url)
    return url


async def create_endpoint(
    conn: AsyncConnection, keyring: Keyring, institution_id: UUID, url: str, event_types: list[str], *, policy: NetPolicy
) -> dict[str, Any]:
    """Register an endpoint whose destination ``policy`` admits.  The result
    carries the signing ``secret``; it is shown only here (stored AES-GCM
    encrypted)."""
    types = validate_event_types(event_types)
    url = await check_destination(url, policy)
    secret = new_secret()
    endpoint_id = uuid7()
    await conn.execute(
        webhook_endpoints.insert().values(
            id=endpoint_id,
            institution_id=institution_id,
            url=url,
            secret_enc=keyring.encrypt(secret, context=SECRET_CONTEXT),
            event_types=types,
            enabled=True,
            disabled_reason=None,
            created_at=_now(),
        )
    )
    out = await get_endpoint(conn, institution_id, endpoint_id)
    out["secret"] = secret
    return out


async def _endpoint_row(conn: AsyncConnection, institution_id: UUID, endpoint_id: Any, *, for_update: bool = False):
    eid = _uuid(endpoint_id, "webhook_endpoint")
    q = select(webhook_endpoints).where(webhook_endpoints.c.id == eid, webhook_endpoints.c.institution_id == institution_id)
    if for_update:
        q = q.with_for_update()
    row = (await conn.execute(q)).first()
    if row is None or (row.disabled_reason == DELETED and not row.enabled):
        raise NotFound("webhook_endpoint", endpoint_id)
    return row


async def get_endpoint(conn: AsyncConnection, institution_id: UUID, endpoint_id: Any) -> dict[str, Any]:
    """One endpoint of the institution (no secret); another institution's or
    a deleted endpoint raises :class:`NotFound`."""
    return _endpoint_dict(await _endpoint_row(conn, institution_id, endpoint_id))


async def list_endpoints(conn: AsyncConnection, institution_id: UUID, *, after: UUID | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The institution's endpoints (deleted ones excluded), oldest first (ids
    are time-ordered); ``after`` the id of the last one of a previous page."""
    e = webhook_endpoints
    q = select(e).where(e.c.institution_id == institution_id, or_(e.c.enabled.is_(True), e.c.disabled_reason.is_(None), e.c.disabled_reason != DELETED))
    if after is not None:
        q = q.where(e.c.id > after)
    q = q.order_by(e.c.id)
    if limit is not None:
        q = q.limit(limit)
    return [_endpoint_dict(r) for r in (await conn.execute(q)).all()]


async def _cancel_pending(conn: AsyncConnection, endpoint_id: UUID, reason: str) -> int:
    res = await conn.execute(
        update(webhook_deliveries)
        .where(webhook_deliveries.c.endpoint_id == endpoint_id, webhook_deliveries.c.status == PENDING)
        .values(status=CANCELLED, next_attempt_at=None, last_error=_trim(reason))
    )
    return res.rowcount or 0


async def update_endpoint(
    conn: AsyncConnection,
    institution_id: UUID,
    endpoint_id: Any,
    *,
    url: str | None = None,
    event_types: list[str] | None = None,
    enabled: bool | None = None,
    policy: NetPolicy | None = None,
) -> dict[str, Any]:
    """Change the URL (its destination checked by ``policy``, required
    then), the event types, or switch the endpoint on/off.  Disabling
    cancels its pending deliveries; enabling clears ``disabled_reason``
    (e.g. after a 410)."""
    values: dict[str, Any] = {}
    if url is not None:  # checked before the row is locked: resolution may take seconds
        if policy is None:
            raise TypeError("update_endpoint: a new url needs the destination policy")
        values["url"] = await check_destination(url, policy)
    row = await _endpoint_row(conn, institution_id, endpoint_id, for_update=True)
    if event_types is not None:
        values["event_types"] = validate_event_types(event_types)
    if enabled is not None:
        if enabled and not row.enabled:
            values.update(enabled=True, disabled_reason=None)
        elif not enabled and row.enabled:
            values.update(enabled=False, disabled_reason="disabled by the institution")
    if values:
        await conn.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == row.id).values(**values))
        if values.get("enabled") is False:
            await _cancel_pending(conn, row.id, "endpoint disabled")
    return await get_endpoint(conn, institution_id, row.id)


async def rotate_secret(conn: AsyncConnection, keyring: Keyring, institution_id: UUID, endpoint_id: Any) -> dict[str, Any]:
    """Replace the signing secret; returns the endpoint with the new
    ``secret`` (shown once).  Retries of earlier events are signed with it."""
    row = await _endpoint_row(conn, institution_id, endpoint_id, for_update=True)
    secret = new_secret()
    await conn.execute(
        update(webhook_endpoints).where(webhook_endpoints.c.id == row.id).values(secret_enc=keyring.encrypt(secret, context=SECRET_CONTEXT))
    )
    out = await get_endpoint(conn, institution_id, row.id)
    out["secret"] = secret
    return out


async def delete_endpoint(conn: AsyncConnection, institution_id: UUID, endpoint_id: Any) -> None:
    """Soft delete: the endpoint is disabled (reason ``deleted``), hidden from
    listings, and its pending deliveries cancelled; the delivery history
    stays."""
    row = await _endpoint_row(conn, institution_id, endpoint_id, for_update=True)
    await conn.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == row.id).values(enabled=False, disabled_reason=DELETED))
    await _cancel_pending(conn, row.id, "endpoint deleted")


# -- read helpers -----------------------------------------------------------------------


def _event_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "institution_id": row.institution_id,
        "type": row.type,
        "data": row.payload,
        "created_at": _utc(row.created_at),
        "dispatched_at": _utc(row.dispatched_at),
    }


async def list_events(conn: AsyncConnection, institution_id: UUID, after: Any = None, limit: int = 100, type: str | None = None) -> list[dict[str, Any]]:
    """The institution's events in id (= time) order; ``after`` is the last
    event id of the previous page."""
    limit = max(1, min(int(limit), MAX_LIST_ROWS))
    q = select(outbox_events).where(outbox_events.c.institution_id == institution_id)
    if after is not None:
        try:
            after_id = after if isinstance(after, UUID) else UUID(str(after))
        except ValueError:
            raise InvalidInput("after must be an event id", field="after") from None
        q = q.where(outbox_events.c.id > after_id)
    if type is not None:
        q = q.where(outbox_events.c.type == type)
    rows = (await conn.execute(q.order_by(outbox_events.c.id).limit(limit))).all()
    return [_event_dict(r) for r in rows]


async def get_event(conn: AsyncConnection, institution_id: UUID, event_id: Any) -> dict[str, Any]:
    eid = _uuid(event_id, "event")
    row = (await conn.execute(select(outbox_events).where(outbox_events.c.id == eid, outbox_events.c.institution_id == institution_id))).first()
    if row is None:
        raise NotFound("event", event_id)
    return _event_dict(row)


async def list_deliveries(
    conn: AsyncConnection,
    institution_id: UUID,
    event_id: Any = None,
    endpoint_id: Any = None,
    *,
    status: str | None = None,
    limit: int = 100,
    after: UUID | None = None,
) -> list[dict[str, Any]]:
    """Deliveries of the institution (newest first: ids are time-ordered),
    each with its ``attempts_log`` (oldest first); ``after`` the id of the
    last delivery of a previous page."""
    limit = max(1, min(int(limit), MAX_LIST_ROWS))
    d = webhook_deliveries
    q = select(d, outbox_events.c.type.label("event_type")).join(outbox_events, outbox_events.c.id == d.c.event_id).where(d.c.institution_id == institution_id)
    if event_id is not None:
        q = q.where(d.c.event_id == _uuid(event_id, "event"))
    if endpoint_id is not None:
        q = q.where(d.c.endpoint_id == _uuid(endpoint_id, "webhook_endpoint"))
    if status is not None:
        q = q.where(d.c.status == status)
    if after is not None:
        q = q.where(d.c.id < after)
    rows = (await conn.execute(q.order_by(d.c.id.desc()).limit(limit))).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    attempts: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    a = webhook_attempts
    for ar in (await conn.execute(select(a).where(a.c.delivery_id.in_(ids)).order_by(a.c.attempted_at, a.c.id))).all():
        attempts[ar.delivery_id].append(
            {"id": ar.id, "attempted_at": _utc(ar.attempted_at), "status_code": ar.status_code, "error": ar.error, "duration_ms": ar.duration_ms}
        )
    return [
        {
            "id": r.id,
            "institution_id": r.institution_id,
            "event_id": r.event_id,
            "event_type": r.event_type,
            "endpoint_id": r.endpoint_id,
            "status": r.status,
            "attempts": r.attempts,
            "next_attempt_at": _utc(r.next_attempt_at),
            "last_status_code": r.last_status_code,
            "last_error": r.last_error,
            "delivered_at": _utc(r.delivered_at),
            "created_at": _utc(r.created_at),
            "attempts_log": attempts[r.id],
        }
        for r in rows
    ]


async def redeliver(conn: AsyncConnection, institution_id: UUID, delivery_id: Any, now: datetime | None = None) -> dict[str, Any]:
    """Queue a failed or cancelled delivery again (its endpoint must be
    enabled); the attempt counter restarts."""
    did = _uuid(delivery_id, "webhook_delivery")
    d = webhook_deliveries
    row = (await conn.execute(select(d).where(d.c.id == did, d.c.institution_id == institution_id))).first()
    if row is None:
        raise NotFound("webhook_delivery", delivery_id)
    ep = await _endpoint_row(conn, institution_id, row.endpoint_id)
    if not ep.enabled:
        raise InvalidInput("the endpoint is disabled; enable it first", endpoint_id=str(ep.id))
    if row.status in (FAILED, CANCELLED):
        await conn.execute(update(d).where(d.c.id == did).values(status=PENDING, attempts=0, next_attempt_at=now or _now()))
    return (await list_deliveries(conn, institution_id, event_id=row.event_id, endpoint_id=row.endpoint_id))[0]


# -- dispatcher ------------------------------------------------------------------------------


@dataclass
class _Claim:
    delivery_id: UUID
    institution_id: UUID
    endpoint_id: UUID
    attempt: int  # the attempts value this claim set (1-based number of this try)
    url: str
    secret: str
    msg_id: str
    body: bytes


@dataclass
class _Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int


class WebhookDispatcher:
    """Fans out outbox events and delivers them; run :meth:`run_once`
    periodically (or :meth:`run_forever`).  Any number of dispatchers, in
    any number of processes, may run against one database."""

    def __init__(
        self,
        engine: AsyncEngine,
        keyring: Keyring,
        *,
        client: httpx.AsyncClient | None = None,
        max_attempts: int = 8,
        base_delay: float = 1.0,
        max_delay: float = 3600.0,
        timeout: float = 10.0,
        batch_size: int = 100,
        concurrency: int = 16,
        lease: float | None = None,
        policy: NetPolicy | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.engine = engine
        self.keyring = keyring
        #: where deliveries may go, checked again before every try (default:
        #: globally routable addresses only)
        self.policy = policy or NetPolicy()
        self._client = client
        self._own_client = client is None
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.timeout = timeout
        self.batch_size = batch_size
        self.concurrency = max(1, concurrency)
        #: how long a claimed delivery is reserved for the claiming process
        #: (covers waiting for a sending slot, then the send); a process that
        #: dies mid-send leaves it to others after this
        waves = -(-self.batch_size // self.concurrency)
        self.lease = lease if lease is not None else timeout * waves + 30.0
        self._pg = engine.dialect.name == "postgresql"

    # -- lifecycle -------------------------------------------------------------------

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            # no redirects (a 3xx is a failed try); no kept-alive connections:
            # requests go to a checked address, and a pooled connection to it
            # would carry the TLS name of whichever host opened it
            self._client = httpx.AsyncClient(
                timeout=self.timeout, follow_redirects=False, headers={"user-agent": USER_AGENT}, limits=httpx.Limits(max_keepalive_connections=0), trust_env=False
            )
        return self._client

    async def aclose(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> WebhookDispatcher:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def backoff(self, attempts: int) -> float:
        """Delay before the next try after ``attempts`` failed tries:
        ``base_delay * 2**(attempts-1)`` capped at ``max_delay``, with
        "equal jitter" (between half and all of it)."""
        delay = min(self.max_delay, self.base_delay * (2 ** max(0, attempts - 1)))
        return delay / 2 + random.random() * delay / 2

    # -- one pass ------------------------------------------------------------------------

    async def run_once(self, now: datetime | None = None) -> int:
        """Fan out pending events, then try every due delivery once.
        Returns how many deliveries were attempted."""
        fixed_now = _utc(now)
        await self.fan_out(fixed_now or _now())
        claims = await self.claim_due(fixed_now or _now())
        if not claims:
            return 0
        sem = asyncio.Semaphore(self.concurrency)

        async def one(c: _Claim) -> None:
            async with sem:
                outcome = await self._send(c)
            await self._record(c, outcome, fixed_now or _now())

        results = await asyncio.gather(*(one(c) for c in claims), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            # not recorded: those deliveries stay leased and are retried when the lease ends
            for exc in errors[1:]:
                log.warning("recording a webhook attempt failed", exc_info=exc)
            raise errors[0]
        return len(claims)

    async def run_forever(self, stop_event: asyncio.Event, interval: float = 0.5) -> None:
        """Call :meth:`run_once` until ``stop_event`` is set; errors are logged
        and the loop continues."""
        try:
            while not stop_event.is_set():
                busy = False
                try:
                    busy = await self.run_once() >= self.batch_size
                except asyncio.CancelledError:
                    raise
                except Exception:  # keep delivering; the database may come back
                    log.warning("webhook dispatch failed", exc_info=True)
                if busy:
                    await asyncio.sleep(0)
                    continue
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop_event.wait(), timeout=interval)
        finally:
            await self.aclose()

    # -- fan-out ----------------------------------------------------------------------------

    def _insert_ignore(self):
        if self._pg:
            return pg_dialect.insert(webhook_deliveries).on_conflict_do_nothing(index_elements=["event_id", "endpoint_id", "institution_id"])
        return sqlite_dialect.insert(webhook_deliveries).on_conflict_do_nothing(index_elements=["event_id", "endpoint_id", "institution_id"])

    async def fan_out(self, now: datetime | None = None) -> int:
        """Create the deliveries of up to ``batch_size`` undispatched events
        and mark them dispatched, in one transaction.  Returns how many
        events were dispatched."""
        now = _utc(now) or _now()
        e = outbox_events

        async def work(conn: AsyncConnection) -> int:
            q = select(e).where(e.c.dispatched_at.is_(None)).order_by(e.c.created_at, e.c.id).limit(self.batch_size)
            if self._pg:
                q = q.with_for_update(skip_locked=True)
            events = (await conn.execute(q)).all()
            if not events:
                return 0
            institutions = {ev.institution_id for ev in events}
            ep = webhook_endpoints
            endpoints = (
                await conn.execute(select(ep.c.id, ep.c.institution_id, ep.c.event_types).where(ep.c.institution_id.in_(institutions), ep.c.enabled.is_(True)))
            ).all()
            by_inst: dict[UUID, list[Any]] = {}
            for row in endpoints:
                by_inst.setdefault(row.institution_id, []).append(row)
            rows: list[dict[str, Any]] = []
            # one statement for the batch (not one per event: a posting's
            # event each, so that was a statement per posting in the background)
            marked = await conn.execute(
                update(e).where(e.c.id.in_([ev.id for ev in events]), e.c.dispatched_at.is_(None)).values(dispatched_at=now).returning(e.c.id)
            )
            dispatched = set(marked.scalars())
            for ev in events:
                if ev.id not in dispatched:  # another dispatcher got there first
                    continue
                for endpoint in by_inst.get(ev.institution_id, ()):
                    if not matches(endpoint.event_types, ev.type):
                        continue
                    rows.append(
                        dict(
                            id=uuid7(), institution_id=ev.institution_id, event_id=ev.id, endpoint_id=endpoint.id, status=PENDING, attempts=0,
                            next_attempt_at=now, last_status_code=None, last_error=None, delivered_at=None, created_at=now,
                        )
                    )
            if rows:
                await conn.execute(self._insert_ignore(), rows)
            return len(dispatched)

        return await run_in_transaction(self.engine, work)

    # -- claim ---------------------------------------------------------------------------------

    async def claim_due(self, now: datetime | None = None) -> list[_Claim]:
        """Reserve up to ``batch_size`` due deliveries for this process: each
        claim counts the attempt and pushes ``next_attempt_at`` out by the
        lease, conditionally on nobody else having claimed it meanwhile."""
        now = _utc(now) or _now()
        lease_until = now + timedelta(seconds=self.lease)
        d, ep, e = webhook_deliveries, webhook_endpoints, outbox_events

        async def work(conn: AsyncConnection) -> list[_Claim]:
            q = (
                select(
                    d.c.id, d.c.endpoint_id, d.c.attempts, d.c.next_attempt_at,
                    ep.c.url, ep.c.secret_enc, ep.c.enabled,
                    e.c.id.label("event_id"), e.c.type, e.c.created_at, e.c.institution_id, e.c.payload,
                )
                .join(ep, ep.c.id == d.c.endpoint_id)
                .join(e, e.c.id == d.c.event_id)
                .where(d.c.status == PENDING, d.c.next_attempt_at <= now)
                .order_by(d.c.next_attempt_at, d.c.id)
                .limit(self.batch_size)
            )
            if self._pg:
                q = q.with_for_update(skip_locked=True, of=d)
            rows = (await conn.execute(q)).all()
            claims: list[_Claim] = []
            secrets: dict[UUID, str] = {}
            for r in rows:
                cond = and_(d.c.id == r.id, d.c.status == PENDING, d.c.attempts == r.attempts, d.c.next_attempt_at <= now)
                if not r.enabled:  # disabled meanwhile: nothing to send to
                    await conn.execute(update(d).where(cond).values(status=CANCELLED, next_attempt_at=None, last_error="endpoint disabled"))
                    continue
                if r.attempts >= self.max_attempts:  # earlier claims died mid-send
                    await conn.execute(
                        update(d).where(cond).values(status=FAILED, next_attempt_at=None, last_error=f"gave up after {r.attempts} attempts")
                    )
                    continue
                res = await conn.execute(update(d).where(cond).values(attempts=r.attempts + 1, next_attempt_at=lease_until))
                if res.rowcount != 1:
                    continue
                if r.endpoint_id not in secrets:
                    secrets[r.endpoint_id] = self.keyring.decrypt(r.secret_enc, context=SECRET_CONTEXT)
                claims.append(_Claim(r.id, r.institution_id, r.endpoint_id, r.attempts + 1, r.url, secrets[r.endpoint_id], str(r.event_id), event_body(r.event_id, r.type, r.created_at, r.institution_id, r.payload)))
            return claims

        return await run_in_transaction(self.engine, work)

    # -- send and record ----------------------------------------------------------------------

    def headers(self, claim: _Claim, timestamp: int | None = None) -> dict[str, str]:
        ts = int(time.time()) if timestamp is None else timestamp
        return {
            "content-type": "application/json",
            "webhook-id": claim.msg_id,
            "webhook-timestamp": str(ts),
            "webhook-signature": sign(claim.secret, claim.msg_id, ts, claim.body),
        }

    async def _send(self, claim: _Claim) -> _Outcome:
        """One try: check the destination again (DNS rebinding), then POST to
        the address that was checked.  Only the status counts: the response
        body is never read, and an error is stored as a fixed kind
        (:func:`error_kind`), never the remote's words."""
        start = time.monotonic()
        code: int | None = None
        error: str | None = None
        try:
            # a total deadline over resolution, connection and answer
            # (httpx's own timeouts are per read/write)
            async with asyncio.timeout(self.timeout):
                target = await self.policy.check(claim.url)
                url, host, extensions = target.pinned_request(claim.url)
                headers = {**self.headers(claim), **host}
                async with self.client.stream("POST", url, content=claim.body, headers=headers, timeout=self.timeout, extensions=extensions) as resp:
                    code = resp.status_code
            if not 200 <= code < 300:
                error = f"http_{code}"
        except Exception as exc:  # noqa: BLE001 - refused, timeouts, connection errors, TLS, protocol...: all retried
            code, error = None, error_kind(exc)
            if isinstance(exc, DestinationRefused):
                log.warning("webhook delivery %s refused: destination %s", claim.delivery_id, exc.reason)
        return _Outcome(code, error, int((time.monotonic() - start) * 1000))

    async def _record(self, claim: _Claim, outcome: _Outcome, now: datetime) -> None:
        d, ep = webhook_deliveries, webhook_endpoints
        code = outcome.status_code

        async def work(conn: AsyncConnection) -> None:
            await conn.execute(
                webhook_attempts.insert().values(
                    id=uuid7(), institution_id=claim.institution_id, delivery_id=claim.delivery_id, attempted_at=now, status_code=code, error=outcome.error, duration_ms=outcome.duration_ms
                )
            )
            if code is not None and 200 <= code < 300:
                # delivered wins even over a newer claim by another process
                await conn.execute(
                    update(d)
                    .where(d.c.id == claim.delivery_id, d.c.status == PENDING)
                    .values(status=DELIVERED, delivered_at=now, next_attempt_at=None, last_status_code=code, last_error=None)
                )
                return
            mine = and_(d.c.id == claim.delivery_id, d.c.status == PENDING, d.c.attempts == claim.attempt)
            if code == 410:
                await conn.execute(update(d).where(mine).values(status=FAILED, next_attempt_at=None, last_status_code=code, last_error="410 Gone: endpoint disabled"))
                res = await conn.execute(
                    update(ep).where(ep.c.id == claim.endpoint_id, ep.c.enabled.is_(True)).values(enabled=False, disabled_reason="receiver answered 410 Gone")
                )
                if res.rowcount:
                    log.info("webhook endpoint %s disabled: 410 Gone", claim.endpoint_id)
                await _cancel_pending(conn, claim.endpoint_id, "endpoint disabled: 410 Gone")
                return
            values: dict[str, object]
            values = {"status": FAILED, "next_attempt_at": None} if claim.attempt >= self.max_attempts else {"next_attempt_at": now + timedelta(seconds=self.backoff(claim.attempt))}
            await conn.execute(update(d).where(mine).values(last_status_code=code, last_error=outcome.error, **values))

        await run_in_transaction(self.engine, work)
