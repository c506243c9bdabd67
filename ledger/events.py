"""The transactional outbox and the audit log: plumbing every package uses.

:func:`emit_event` writes an event in the caller's database transaction, so
an event exists if and only if the change it reports was committed; the
webhook dispatcher (``api.webhooks``) delivers it afterwards, at least once.
:func:`record_audit` writes who did what to which object, with before/after.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from .clock import utc_now
from .ids import uuid7
from .schema import audit_log, outbox_events

__all__ = [
    "audit_log", "deferred_rows", "emit_event", "emit_events", "is_rows_only", "outbox_events", "record_audit", "record_audits", "rows_only", "take_joined",
    "write_rows",
]

#: where a :func:`deferred_rows` scope keeps its rows: ``conn.info`` belongs to
#: the driver connection, so the scope removes it on the way out
_DEFERRED = "xborder.deferred_rows"

Flush = Callable[[AsyncConnection, list[dict[str, Any]]], Awaitable[None]]
H = TypeVar("H")


@asynccontextmanager
async def deferred_rows(conn: AsyncConnection) -> AsyncIterator[None]:
    """Within this scope, rows given to :func:`write_rows` (outbox events,
    audit entries, stored HTTP answers) are collected and written at the end
    of the scope, one statement per kind, still inside the caller's
    transaction: the group commit posts hundreds of requests' transactions
    at once and would otherwise pay two or three round trips per request.
    On an exception nothing is written (the transaction rolls back anyway)."""
    if _DEFERRED in conn.info:  # nested: the outer scope writes them
        yield
        return
    pending: dict[Flush, list[dict[str, Any]]] = {}
    conn.info[_DEFERRED] = pending
    try:
        yield
        while pending:  # in the order the kinds first appeared (on PostgreSQL those of PG_ROWS first, joined)
            joined = {f: pending.pop(f) for f in list(pending) if f in PG_ROWS} if conn.dialect.name == "postgresql" else {}
            if joined:
                await _write_joined(conn, joined)
                continue
            flush = next(iter(pending))
            await flush(conn, pending.pop(flush))
    finally:
        conn.info.pop(_DEFERRED, None)


#: PostgreSQL: a flush whose rows go out as one statement over arrays ->
#: (that statement, its columns, those of them written as JSON text), used
#: by :func:`write_rows` instead of calling the flush (which then only
#: serves SQLite).  :func:`deferred_rows` joins the statements of such kinds
#: into one (data-modifying CTEs): one round trip for the audit entries,
#: outbox events and stored answers of a whole group commit.
PG_ROWS: dict[Flush, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

_PARAM = re.compile(r"\$(\d+)")


def _renumber(sql: str, offset: int) -> str:
    """``sql`` with its parameters ``$n`` numbered from ``offset + 1``."""
    return _PARAM.sub(lambda m: f"${int(m.group(1)) + offset}", sql)


def _joined(pending: dict[Flush, list[dict[str, Any]]], offset: int = 0) -> tuple[list[str], list[Any]]:
    """The data-modifying CTEs (``w0 AS (...)``, ...) writing ``pending``'s
    rows, with their parameters numbered from ``offset + 1``."""
    parts: list[str] = []
    params: list[Any] = []
    for n, (flush, rows) in enumerate(pending.items()):
        sql, names, json_names = PG_ROWS[flush]
        parts.append(f"w{n} AS ({_renumber(sql.strip(), offset + len(params))})")
        params.extend(columns(rows, names, json_names))
    return parts, params


async def _write_joined(conn: AsyncConnection, pending: dict[Flush, list[dict[str, Any]]]) -> None:
    parts, params = _joined(pending)
    await conn.exec_driver_sql("WITH " + ",\n".join(parts) + "\nSELECT 1", tuple(params))


def take_joined(conn: AsyncConnection, offset: int) -> tuple[list[str], list[Any]]:
    """PostgreSQL: the rows the enclosing :func:`deferred_rows` scope holds
    so far for the kinds of :data:`PG_ROWS`, taken out of it as CTEs (and
    their parameters, numbered from ``offset + 1``) for the caller to join
    to a statement of its own: the ledger writes them with the journal, one
    round trip fewer while it holds the ledger lock.  ([], []) when there are
    none or no such scope."""
    pending = conn.info.get(_DEFERRED)
    if not pending or conn.dialect.name != "postgresql":
        return [], []
    joined = {f: pending.pop(f) for f in list(pending) if f in PG_ROWS}
    return _joined(joined, offset) if joined else ([], [])


def rows_only(hook: H) -> H:
    """Mark ``hook`` (an in-transaction hook of the ledger's) as one that
    only hands rows to :func:`write_rows`: it reads nothing and runs no
    statement of its own.  The ledger may then run it before it writes the
    journal (the results are final by then) and write its rows in the
    journal's own statement."""
    hook.rows_only = True  # type: ignore[attr-defined]
    return hook


def is_rows_only(hook: object) -> bool:
    """Whether ``hook`` is None or marked by :func:`rows_only`."""
    return hook is None or getattr(hook, "rows_only", False) is True


async def write_rows(conn: AsyncConnection, flush: Flush, rows: list[dict[str, Any]]) -> None:
    """``await flush(conn, rows)`` now, or at the end of the enclosing
    :func:`deferred_rows` scope together with the other rows for ``flush``."""
    pending = conn.info.get(_DEFERRED)
    if pending is None and conn.dialect.name == "postgresql" and flush in PG_ROWS:
        sql, names, json_names = PG_ROWS[flush]
        await conn.exec_driver_sql(sql, columns(rows, names, json_names))
    elif pending is None:
        await flush(conn, rows)
    else:
        pending.setdefault(flush, []).extend(rows)


# PostgreSQL: the rows as arrays in one statement of driver SQL (no
# SQLAlchemy statement to build, compile and bind per flush: issue #14).  JSON
# values are written as SQLAlchemy writes them (``json.dumps``; None is JSON
# ``null``), so rows read the same whichever path wrote them.
_PG_INSERT_EVENTS = """
INSERT INTO outbox_events (id, institution_id, type, payload, created_at, dispatched_at)
SELECT r.id, r.institution_id, r.type, r.payload::json, r.created_at, r.dispatched_at
FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::text[], $5::timestamptz[], $6::timestamptz[])
     AS r(id, institution_id, type, payload, created_at, dispatched_at)
"""
_PG_INSERT_AUDITS = """
INSERT INTO audit_log (id, institution_id, actor_type, actor_id, action, object_type, object_id, before, after, request_id, created_at)
SELECT r.id, r.institution_id, r.actor_type, r.actor_id, r.action, r.object_type, r.object_id, r.before::json, r.after::json, r.request_id, r.created_at
FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::text[], $9::text[], $10::varchar[],
            $11::timestamptz[])
     AS r(id, institution_id, actor_type, actor_id, action, object_type, object_id, before, after, request_id, created_at)
"""
_EVENT_COLUMNS = ("id", "institution_id", "type", "payload", "created_at", "dispatched_at")
_AUDIT_COLUMNS = ("id", "institution_id", "actor_type", "actor_id", "action", "object_type", "object_id", "before", "after", "request_id", "created_at")


def columns(rows: list[dict[str, Any]], names: tuple[str, ...], json_columns: tuple[str, ...] = ()) -> tuple[list[Any], ...]:
    """``rows`` as one list per column (``names``, a missing value None),
    those in ``json_columns`` as JSON text: the parameters of an ``unnest``
    statement."""
    return tuple(
        [json.dumps(r.get(n)) for r in rows] if n in json_columns else [r.get(n) for r in rows]
        for n in names
    )


async def _insert_events(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    await conn.execute(outbox_events.insert(), rows)


async def _insert_audits(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    await conn.execute(audit_log.insert(), rows)


PG_ROWS[_insert_events] = (_PG_INSERT_EVENTS, _EVENT_COLUMNS, ("payload",))
PG_ROWS[_insert_audits] = (_PG_INSERT_AUDITS, _AUDIT_COLUMNS, ("before", "after"))



async def emit_event(conn: AsyncConnection, institution_id: UUID, type: str, payload: dict[str, Any]) -> UUID:
    """Record an event in the outbox, inside the caller's transaction."""
    event_id = uuid7()
    row = dict(id=event_id, institution_id=institution_id, type=type, payload=payload, created_at=utc_now(), dispatched_at=None)
    await write_rows(conn, _insert_events, [row])
    return event_id


async def record_audit(
    conn: AsyncConnection,
    *,
    institution_id: UUID | None,
    actor_type: str,
    actor_id: str,
    action: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> None:
    """Append an audit entry inside the caller's transaction."""
    await record_audits(conn, [dict(
        institution_id=institution_id, actor_type=actor_type, actor_id=actor_id, action=action, object_type=object_type,
        object_id=object_id, before=before, after=after, request_id=request_id,
    )])


async def emit_events(conn: AsyncConnection, institution_id: UUID, events: list[tuple[str, dict[str, Any]]]) -> None:
    """Several outbox events in one statement (bulk paths)."""
    if not events:
        return
    now = utc_now()
    await write_rows(conn, _insert_events, [
        dict(id=uuid7(), institution_id=institution_id, type=t, payload=p, created_at=now, dispatched_at=None) for t, p in events
    ])


async def record_audits(conn: AsyncConnection, entries: list[dict[str, Any]]) -> None:
    """Several audit entries (keyword arguments of :func:`record_audit`) in one statement."""
    if not entries:
        return
    now = utc_now()
    rows = []
    for e in entries:
        rows.append(dict(
            id=uuid7(), institution_id=e.get("institution_id"), actor_type=e["actor_type"], actor_id=str(e["actor_id"])[:64], action=e["action"],
            object_type=e["object_type"], object_id=str(e["object_id"])[:64], before=e.get("before"), after=e.get("after"),
            request_id=e.get("request_id"), created_at=now,
        ))
    await write_rows(conn, _insert_audits, rows)
