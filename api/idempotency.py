"""HTTP idempotency (IETF "The Idempotency-Key HTTP Header Field" draft).

Every POST that moves money carries ``Idempotency-Key``.  The first request
with a key is processed and its response (status, media type, body bytes,
errors included) stored; a retry with the same key and the same request gets
those bytes back (``Idempotent-Replayed: true``); the same key with another
request is 422; a retry while the first is still being processed is 409.
Keys are scoped to the caller's institution and kept for
``XBORDER_IDEMPOTENCY_TTL_HOURS`` (default 72 h).

Below the HTTP layer the ledger has its own idempotency keys (derived from
this one), so even if the process dies after the ledger commit but before the
response is stored, a retry replays the ledger's outcome: never a double
posting, and the retry's response says ``Idempotent-Replayed: true``.

An in-flight record names the process processing it (:mod:`ledger.process`).
A retry that finds it takes it over at once when that process has died
(same host: its pid is gone or names another process) and otherwise answers
409 until the record's lease (``IN_FLIGHT_LEASE_SECONDS``) has passed, the
bound for a process on another host.

One durable commit per request (issue #14): the in-flight record is
committed without waiting for the disk (PostgreSQL ``synchronous_commit =
off``, SQLite ``synchronous = NORMAL`` in WAL mode).  It is visible to other
requests and processes at once, and the next durable commit on the database
(the request's own) syncs it with everything written before it.  A database
crash may lose it; then nothing of the request had committed either, and the
ledger's keys still make a retry replay rather than post twice.  A route
whose work commits in one database transaction (a posting through group
commit, a receipt) writes the final record there too (:meth:`Claim.store`,
the response built from what the transaction wrote): the request's one
durable commit holds the money, its audit row and outbox event, and the
answer to replay.  Other routes store the answer in a commit of its own, as
before.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID

from fastapi import Header, Request
from fastapi.responses import Response
from sqlalchemy import and_, delete, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.clock import utc_now
from ledger.errors import DatabaseUnavailable, LedgerError
from ledger.events import PG_ROWS, columns, write_rows
from ledger.groups import GroupQueue
from ledger.process import identity, is_dead, replay_scope, replay_seen

from .auth import Principal
from .problems import IDEMPOTENCY_KEY_MAX, ProblemError, exception_to_response, problem_response
from .schema import http_idempotency

MAX_KEY_LENGTH = IDEMPOTENCY_KEY_MAX
IN_FLIGHT_LEASE_SECONDS = 60


@dataclass(eq=False)
class Claim:
    """The key a request holds while it is processed (its in-flight record),
    and the response its work stored in its own transaction, if any."""

    institution_id: UUID
    key: str
    fingerprint: str
    created_at: datetime
    expires_at: datetime
    #: (token, response) written by :meth:`store` in a transaction that may
    #: not have committed yet
    staged: tuple[object, Response] | None = None
    #: the staged response, once the caller knows its transaction committed
    stored: Response | None = None

    async def store(self, conn: AsyncConnection, token: object, response: Response) -> None:
        """Inside the transaction doing the request's work: make ``response``
        the key's final record there (a 5xx is never stored).  ``token`` is
        what the work returns when that transaction commits (the ledger's
        :class:`~ledger.model.Result`, the receipt's row): :meth:`take` with
        it tells the stored response apart from one of a rolled-back attempt."""
        if response.status_code >= 500:
            return
        row = {
            "institution_id": self.institution_id, "key": self.key, "fingerprint": self.fingerprint, "created_at": self.created_at,
            "expires_at": self.expires_at, "state": "done", "status_code": response.status_code, "content_type": _media_type(response),
            "body": bytes(response.body),
        }
        # with the work's other rows when the caller defers them (the ledger's group commit: one statement for the group)
        await write_rows(conn, _store_answers, [row])
        self.staged = (token, response)

    def take(self, token: object) -> Response | None:
        """The response stored in the committed transaction that produced
        ``token``; None when the work stored none (answer as usual)."""
        if self.staged is not None and self.staged[0] is token:
            self.stored = self.staged[1]
            return self.stored
        return None


async def _store_answers(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """Make each row the final record of its key: the in-flight record
    updated, or written whole if it was lost (a database crash after the
    claim, which commits without waiting for the disk).  PostgreSQL:
    :data:`_PG_STORE_ANSWERS` instead (``ledger.events.PG_ROWS``)."""
    await conn.execute(_store_statement(conn.dialect.name), rows)


_ANSWER_COLUMNS = ("institution_id", "key", "fingerprint", "created_at", "expires_at", "status_code", "content_type", "body")
#: PostgreSQL: :func:`_store_answers` as arrays in one statement of driver SQL
_PG_STORE_ANSWERS = """
INSERT INTO http_idempotency (institution_id, key, fingerprint, state, status_code, content_type, body, created_at, expires_at)
SELECT a.institution_id, a.key, a.fingerprint, 'done', a.status_code, a.content_type, a.body, a.created_at, a.expires_at
FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::varchar[], $8::bytea[])
     AS a(institution_id, key, fingerprint, created_at, expires_at, status_code, content_type, body)
ON CONFLICT (institution_id, key) DO UPDATE
SET state = EXCLUDED.state, status_code = EXCLUDED.status_code, content_type = EXCLUDED.content_type, body = EXCLUDED.body
"""
PG_ROWS[_store_answers] = (_PG_STORE_ANSWERS, _ANSWER_COLUMNS, ())


def _insert(dialect: str) -> Any:
    return (pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert)(http_idempotency)


@lru_cache(maxsize=4)
def _insert_statement(dialect: str) -> Any:
    """The claim's ``INSERT .. ON CONFLICT DO NOTHING`` (values as parameters), built once per dialect."""
    return _insert(dialect).on_conflict_do_nothing()


@lru_cache(maxsize=4)
def _store_statement(dialect: str) -> Any:
    """The upsert of :func:`_store_answers`, built once per dialect."""
    t = http_idempotency
    stmt = _insert(dialect)
    done = {c: stmt.excluded[c] for c in ("state", "status_code", "content_type", "body")}
    return stmt.on_conflict_do_update(index_elements=[t.c.institution_id, t.c.key], set_=done)


_current_claim: ContextVar[Claim | None] = ContextVar("xborder_idempotency_claim", default=None)


def current_claim() -> Claim | None:
    """The claim of the request being processed by :func:`run_idempotent`
    (taken by a handler before it hands work to another task, such as the
    ledger's group commit)."""
    return _current_claim.get()


class StoredAnswer:
    """The answer of a request whose work commits in one database
    transaction, stored in that transaction: pass the instance to the
    service as its in-transaction hook (``await hook(conn, out)`` with what
    the work returns), then answer with :meth:`answer` of what it returned.
    ``build`` makes the response from it (and must not read the database)."""

    #: it only hands its row to write_rows (ledger.events.rows_only)
    rows_only = True

    def __init__(self, build: Callable[[Any], Response]) -> None:
        self.claim = current_claim()
        self.build = build

    async def __call__(self, conn: AsyncConnection, out: Any) -> None:
        if self.claim is not None:
            await self.claim.store(conn, out, self.build(out))

    def answer(self, out: Any) -> Response:
        """The stored response when ``out`` is what the committed transaction
        returned (its hook ran there), else one built now (a replay)."""
        stored = None if self.claim is None else self.claim.take(out)
        return stored if stored is not None else self.build(out)


def _media_type(response: Response) -> str | None:
    return response.media_type or response.headers.get("content-type")


def fingerprint(request: Request, body: bytes) -> str:
    h = hashlib.sha256()
    h.update(request.method.encode())
    h.update(b"\n")
    h.update(request.url.path.encode())
    h.update(b"\n")
    h.update(body)
    return h.hexdigest()


def get_key(request: Request) -> str:
    key = request.headers.get("idempotency-key")
    if key is None:
        raise ProblemError(400, "idempotency_key_missing", "Idempotency-Key required", "this request moves money: send an Idempotency-Key header (a unique string per operation, e.g. a UUID)")
    key = key.strip().strip('"')
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ProblemError(400, "idempotency_key_invalid", "Invalid Idempotency-Key", f"the key must be 1..{MAX_KEY_LENGTH} printable characters")
    return key


#: what the server accepts (the check of :func:`get_key` as a pattern): printable
#: ASCII with at least one character that is neither a space nor a double quote
#: (a structured-field string ``"..."`` is accepted and unquoted)
KEY_PATTERN = r'^[ -~]*[!#-~][ -~]*$'

KEY_DESCRIPTION = (
    "Unique per operation (e.g. a UUID), 1..255 printable characters. Required: without it the request is refused "
    "(400 `idempotency_key_missing`). A retry with the same key and the same request returns the stored response byte for byte "
    "(`Idempotent-Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while the first request "
    "is still being processed, 409 `idempotency_request_in_flight`."
)


async def idempotency_key_header(
    request: Request,
    idempotency_key: str = Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=KEY_PATTERN,
        description=KEY_DESCRIPTION,
        examples=["3f0c2b8e-9a4d-4c1e-8f7a-2d5b6e9c1a30"],
    ),
) -> str:
    """Dependency: the request's Idempotency-Key.  It is declared required, so
    the OpenAPI document says so; a missing or malformed key is answered 400
    (``api.problems.key_problem`` turns the header's validation error into
    ``idempotency_key_missing`` / ``idempotency_key_invalid``)."""
    return get_key(request)


def _payload_too_large(limit: int) -> ProblemError:
    return ProblemError(413, "payload_too_large", "Payload too large", f"request bodies are limited to {limit} bytes", limit=limit)


async def read_body(request: Request, max_body: int | None = None, too_large: Callable[[], Exception] | None = None) -> bytes:
    """The request body; with ``max_body``, read chunk by chunk and refused
    (``too_large()``, default a 413 ``payload_too_large`` problem) as soon as
    it passes the cap, so a chunked upload without Content-Length is never
    held in memory beyond it.  The body is then cached on the request
    (Starlette's ``request._body``): later ``body()``, ``stream()`` and
    ``form()`` read it from there."""
    if max_body is None:
        return await request.body()
    cached = getattr(request, "_body", None)
    if isinstance(cached, bytes):
        body = cached
    else:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise too_large() if too_large is not None else _payload_too_large(max_body)
            chunks.append(chunk)
        body = b"".join(chunks)
        request._body = body
    if len(body) > max_body:
        raise too_large() if too_large is not None else _payload_too_large(max_body)
    return body


async def run_idempotent(
    request: Request, principal: Principal, handler: Callable[[str], Awaitable[Response]], *,
    max_body: int | None = None, too_large: Callable[[], Exception] | None = None,
) -> Response:
    """Process ``handler(key)`` once per (institution, key) and store its
    response; replay it for retries.  ``handler`` gets the key so it can
    derive ledger idempotency keys from it.  ``max_body`` caps the body
    (see :func:`read_body`): a larger one is refused before the key is
    claimed, so nothing is recorded under it."""
    ctx = request.app.state.ctx
    key = get_key(request)
    body = await read_body(request, max_body, too_large)
    fp = fingerprint(request, body)
    inst = principal.institution_id
    now = utc_now()
    ttl = timedelta(hours=ctx.settings.idempotency_ttl_hours)
    refused = await _claim(ctx, inst, key, fp, now, ttl)
    if refused is not None:
        return refused
    claim = Claim(inst, key, fp, now, now + ttl)
    scope = replay_scope()
    token = _current_claim.set(claim)
    try:
        response = await handler(key)
    except (ProblemError, LedgerError) as exc:
        if isinstance(exc, DatabaseUnavailable) or (isinstance(exc, ProblemError) and exc.status >= 500):
            await _forget(ctx, inst, key)
            raise
        response = exception_to_response(exc)
    except BaseException:
        await _forget(ctx, inst, key)
        raise
    finally:
        _current_claim.reset(token)
        replayed = replay_seen(scope)
    if response.status_code >= 500:
        await _forget(ctx, inst, key)
        return response
    if replayed:  # an earlier attempt had committed: the money had already moved
        response.headers["Idempotent-Replayed"] = "true"
    if response is not claim.stored:  # not already stored by the work's own transaction
        await _store(ctx.engine, inst, key, response)
    return response


async def _store(engine: AsyncEngine, inst: UUID, key: str, response: Response) -> None:
    try:
        async with engine.begin() as conn:
            await conn.execute(
                update(http_idempotency)
                .where(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key)
                .values(state="done", status_code=response.status_code, content_type=_media_type(response), body=bytes(response.body))
            )
    except Exception:  # noqa: BLE001 - the ledger keys still protect a retry
        pass


def _in_flight(detail: str) -> Response:
    return problem_response(409, "idempotency_request_in_flight", "Request in flight", detail, headers={"Retry-After": "1"})


@asynccontextmanager
async def _nondurable(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction whose COMMIT does not wait for the disk: visible at once,
    synced by the next durable commit (PostgreSQL ``SET LOCAL
    synchronous_commit TO OFF``; SQLite ``PRAGMA synchronous = NORMAL`` in WAL
    mode, set around the transaction and restored, or the connection is
    discarded)."""
    async with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            async with conn.begin():
                await conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                yield conn
            return
        raw = (await conn.get_raw_connection()).driver_connection
        level = int((await _sqlite_row(raw, "PRAGMA synchronous"))[0])
        if level > 1:
            await _sqlite_row(raw, "PRAGMA synchronous = NORMAL")
        try:
            async with conn.begin():
                yield conn
        finally:
            if level > 1:
                try:
                    await _sqlite_row(raw, f"PRAGMA synchronous = {level}")
                except BaseException:
                    await conn.invalidate()  # never back in the pool with durability off
                    raise


async def _sqlite_row(raw: Any, sql: str) -> Any:
    cur = await raw.execute(sql)
    try:
        return await cur.fetchone()
    finally:
        await cur.close()


async def _claim(ctx, inst, key: str, fp: str, now: datetime, ttl: timedelta) -> Response | None:
    """Record ``key`` as in flight in this process, or the response to give
    instead: the stored one (a replay), 422 (another request under the key)
    or 409 (still being processed by a live process).  The record commits
    without waiting for the disk: on PostgreSQL in one self-committing
    statement shared by concurrent requests (:class:`ClaimGroups`), else and for the rarer paths in a
    :func:`_nondurable` transaction."""
    me = identity()
    claim = {"institution_id": inst, "key": key, "fingerprint": fp, "state": "in_flight", "created_at": now, "expires_at": now + ttl, "owner": me}
    dialect = ctx.engine.dialect.name
    if dialect == "postgresql" and await ctx.claims.claim(claim):
        return None
    t = http_idempotency
    mine = (t.c.institution_id == inst, t.c.key == key)
    async with _nondurable(ctx.engine) as conn:
        for _attempt in range(2):
            if (await conn.execute(_insert_statement(dialect), claim)).rowcount:
                return None
            row = (await conn.execute(select(t).where(*mine))).first()
            if row is None:  # gone between the two statements: claim again
                continue
            if _aware(row.expires_at) <= now:  # expired: forget it and claim again
                await conn.execute(delete(t).where(*mine, t.c.created_at == row.created_at))
                continue
            return await _existing(conn, row, key, fp, now, me)
    return _in_flight("a request with this Idempotency-Key is being processed; retry later")


#: the expression that makes the statement's own transaction commit without waiting for the disk
NONDURABLE_SQL = "set_config('synchronous_commit', 'off', true)"

#: PostgreSQL: the claims of concurrent requests in one self-committing
#: statement (no BEGIN, SET LOCAL, COMMIT: one round trip) whose commit does
#: not wait for the disk (``set_config(.., true)`` is ``SET LOCAL`` for the
#: statement's own transaction, and PostgreSQL reads the setting when it
#: commits it); it answers the keys it recorded.  The setting is written out
#: in the SQL: the statement says what it does to whoever reads it
#: (tests/support/commits.py).
_PG_CLAIMS = f"""
INSERT INTO http_idempotency (institution_id, key, fingerprint, state, created_at, expires_at, owner)
SELECT c.institution_id, c.key, c.fingerprint, 'in_flight', c.created_at, c.expires_at, c.owner
FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::timestamptz[], $6::varchar[])
     AS c(institution_id, key, fingerprint, created_at, expires_at, owner),
     (SELECT {NONDURABLE_SQL} AS nd) AS nondurable
ON CONFLICT DO NOTHING
RETURNING institution_id, key
"""

_CLAIM_COLUMNS = ("institution_id", "key", "fingerprint", "created_at", "expires_at", "owner")
#: the most claims one statement records
CLAIM_GROUP_MAX = 256


class ClaimGroups(GroupQueue[dict[str, Any], bool]):
    """PostgreSQL: the in-flight records of concurrent requests written
    together.  Whatever claims are queued when the previous statement has
    answered go into the next one (:data:`_PG_CLAIMS`): one connection, one
    round trip and one (non-durable) commit for the group instead of one of
    each per request, so a burst of requests neither drains the connection
    pool nor makes the database commit once per request.  A key claimed
    twice in one group is sent once: the later request finds the earlier's
    record (409, or 422 for another body).  A claim the database refuses
    fails only its own request (:class:`ledger.groups.GroupQueue`)."""

    max_group = CLAIM_GROUP_MAX

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__()
        self.engine = engine

    async def claim(self, row: dict[str, Any]) -> bool:
        """Record ``row`` in flight; False when its key is recorded already."""
        return await self.submit(row)

    async def settle(self, items: list[dict[str, Any]]) -> list[bool]:
        """Whether each claim was recorded: of a key sent for several
        requests, only the first request's."""
        rows: dict[tuple[UUID, str], dict[str, Any]] = {}
        for row in items:
            rows.setdefault((row["institution_id"], row["key"]), row)
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            res = await conn.exec_driver_sql(_PG_CLAIMS, columns(list(rows.values()), _CLAIM_COLUMNS))
            recorded = {id(rows[(r.institution_id, r.key)]) for r in res}
        return [id(row) in recorded for row in items]


async def _existing(conn: AsyncConnection, row: Any, key: str, fp: str, now: datetime, me: str) -> Response | None:
    """What a request finds under a key already recorded: the stored
    response, 422, 409, or None after taking over a dead process's record."""
    if row.fingerprint != fp:
        return problem_response(422, "idempotency_key_reused", "Idempotency-Key reused", "this Idempotency-Key was used with a different request", idempotency_key=key)
    if row.state == "done":
        return Response(content=row.body, status_code=row.status_code, media_type=row.content_type, headers={"Idempotent-Replayed": "true"})
    lease_over = _aware(row.created_at) + timedelta(seconds=IN_FLIGHT_LEASE_SECONDS) <= now
    if not (lease_over or is_dead(row.owner)):
        return _in_flight("a request with this Idempotency-Key is still being processed; retry later")
    # the first attempt died with its process: take the record over (one retry wins)
    t = http_idempotency
    res = await conn.execute(
        update(t).where(and_(t.c.institution_id == row.institution_id, t.c.key == key, t.c.created_at == row.created_at)).values(created_at=now, owner=me)
    )
    if res.rowcount != 1:
        return _in_flight("a request with this Idempotency-Key is being processed; retry later")
    return None


async def _forget(ctx, inst, key) -> None:
    try:
        async with ctx.engine.begin() as conn:
            await conn.execute(delete(http_idempotency).where(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key, http_idempotency.c.state == "in_flight"))
    except Exception:  # noqa: BLE001 - the lease expires anyway
        pass


async def purge_expired(engine) -> int:
    async with engine.begin() as conn:
        res = await conn.execute(delete(http_idempotency).where(http_idempotency.c.expires_at < utc_now()))
        return res.rowcount or 0


def _aware(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts
