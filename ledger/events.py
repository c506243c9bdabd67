"""The transactional outbox and the audit log: plumbing every package uses.

:func:`emit_event` writes an event in the caller's database transaction, so
an event exists if and only if the change it reports was committed; the
webhook dispatcher (``api.webhooks``) delivers it afterwards, at least once.
:func:`record_audit` writes who did what to which object, with before/after.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Column, Index, String, Table, Uuid
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.types import TS  # noqa: E402 - aware UTC timestamps on every database

from .ids import uuid7
from .schema import metadata

outbox_events = Table(
    "outbox_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False),
    Column("type", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    # set once the dispatcher has created the deliveries for it
    Column("dispatched_at", TS, nullable=True),
)
Index("ix_outbox_events_institution_created", outbox_events.c.institution_id, outbox_events.c.created_at)
Index("ix_outbox_events_dispatched", outbox_events.c.dispatched_at)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=True),
    Column("actor_type", String(16), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", String(64), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("request_id", String(64), nullable=True),
    Column("created_at", TS, nullable=False),
)
Index("ix_audit_log_institution_created", audit_log.c.institution_id, audit_log.c.created_at)


async def emit_event(conn: AsyncConnection, institution_id: UUID, type: str, payload: dict[str, Any]) -> UUID:
    """Record an event in the outbox, inside the caller's transaction."""
    event_id = uuid7()
    await conn.execute(
        outbox_events.insert().values(
            id=event_id, institution_id=institution_id, type=type, payload=payload, created_at=datetime.now(UTC), dispatched_at=None
        )
    )
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
    await conn.execute(
        audit_log.insert().values(
            id=uuid7(),
            institution_id=institution_id,
            actor_type=actor_type,
            actor_id=str(actor_id)[:64],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            before=before,
            after=after,
            request_id=request_id,
            created_at=datetime.now(UTC),
        )
    )


async def emit_events(conn: AsyncConnection, institution_id: UUID, events: list[tuple[str, dict[str, Any]]]) -> None:
    """Several outbox events in one statement (bulk paths)."""
    if not events:
        return
    now = datetime.now(UTC)
    await conn.execute(
        outbox_events.insert(),
        [dict(id=uuid7(), institution_id=institution_id, type=t, payload=p, created_at=now, dispatched_at=None) for t, p in events],
    )


async def record_audits(conn: AsyncConnection, entries: list[dict[str, Any]]) -> None:
    """Several audit entries (keyword arguments of :func:`record_audit`) in one statement."""
    if not entries:
        return
    now = datetime.now(UTC)
    rows = []
    for e in entries:
        rows.append(dict(
            id=uuid7(), institution_id=e.get("institution_id"), actor_type=e["actor_type"], actor_id=str(e["actor_id"])[:64], action=e["action"],
            object_type=e["object_type"], object_id=str(e["object_id"])[:64], before=e.get("before"), after=e.get("after"),
            request_id=e.get("request_id"), created_at=now,
        ))
    await conn.execute(audit_log.insert(), rows)
