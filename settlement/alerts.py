"""Risk alerts (S9): stored, listable, closable."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.clock import utc_now
from ledger.errors import NotFound
from ledger.events import emit_event
from ledger.ids import uuid7
from ledger.service.core import MAX_ROWS

from .tables_receipts import risk_alerts

ALERT_KINDS = (
    "receipt_without_evidence",
    "coverage_below_gross",
    "evidence_reuse_attempt",
    "split_conversions",
    "negative_list_party",
    "authenticity_variance",
    "registration_warning",
    "advance_overdue",
)


async def raise_alert(
    conn: AsyncConnection,
    institution_id: UUID,
    kind: str,
    *,
    customer_id: UUID | None = None,
    subject_type: str | None = None,
    subject_id: Any = None,
    details: dict[str, Any] | None = None,
) -> UUID:
    """Store an alert (and its outbox event) in the caller's transaction."""
    alert_id = uuid7()
    now = utc_now()
    await conn.execute(
        risk_alerts.insert().values(
            id=alert_id, institution_id=institution_id, kind=kind, customer_id=customer_id, subject_type=subject_type,
            subject_id=None if subject_id is None else str(subject_id), details=details or {}, status="open", created_at=now,
        )
    )
    await emit_event(conn, institution_id, "risk_alert.raised", {"alert_id": str(alert_id), "kind": kind, "subject_type": subject_type, "subject_id": None if subject_id is None else str(subject_id)})
    return alert_id


async def list_alerts(conn: AsyncConnection, institution_id: UUID, *, kind: str | None = None, status: str | None = None, customer_id: UUID | None = None, limit: int = 100, before: UUID | None = None) -> list[dict[str, Any]]:
    stmt = select(risk_alerts).where(risk_alerts.c.institution_id == institution_id)
    if kind:
        stmt = stmt.where(risk_alerts.c.kind == kind)
    if status:
        stmt = stmt.where(risk_alerts.c.status == status)
    if customer_id:
        stmt = stmt.where(risk_alerts.c.customer_id == customer_id)
    if before:
        stmt = stmt.where(risk_alerts.c.id < before)
    rows = await conn.execute(stmt.order_by(risk_alerts.c.id.desc()).limit(max(1, min(limit, MAX_ROWS))))
    return [dict(r._mapping) for r in rows]


async def close_alert(conn: AsyncConnection, institution_id: UUID, alert_id: UUID) -> dict[str, Any]:
    res = await conn.execute(update(risk_alerts).where(risk_alerts.c.id == alert_id, risk_alerts.c.institution_id == institution_id).values(status="closed"))
    if res.rowcount != 1:
        raise NotFound("alert", alert_id)
    row = (await conn.execute(select(risk_alerts).where(risk_alerts.c.id == alert_id))).one()
    return dict(row._mapping)
