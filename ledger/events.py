"""The transactional outbox and the audit log: plumbing every package uses.

:func:`emit_event` writes an event in the caller's database transaction, so
an event exists if and only if the change it reports was committed; the
webhook dispatcher (``api.webhooks``) delivers it afterwards, at least once.
:func:`record_audit` writes who did what to which object, with before/after.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from .clock import utc_now
from .ids import uuid7
from .schema import audit_log, outbox_events

__all__ = ["audit_log", "emit_event", "emit_events", "outbox_events", "record_audit", "record_audits"]



async def emit_event(conn: AsyncConnection, institution_id: UUID, type: str, payload: dict[str, Any]) -> UUID:
    """Record an event in the outbox, inside the caller's transaction."""
    event_id = uuid7()
    await conn.execute(
        outbox_events.insert().values(
            id=event_id, institution_id=institution_id, type=type, payload=payload, created_at=utc_now(), dispatched_at=None
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
            created_at=utc_now(),
        )
    )


async def emit_events(conn: AsyncConnection, institution_id: UUID, events: list[tuple[str, dict[str, Any]]]) -> None:
    """Several outbox events in one statement (bulk paths)."""
    if not events:
        return
    now = utc_now()
    await conn.execute(
        outbox_events.insert(),
        [dict(id=uuid7(), institution_id=institution_id, type=t, payload=p, created_at=now, dispatched_at=None) for t, p in events],
    )


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
    await conn.execute(audit_log.insert(), rows)
