"""Disabling an institution (offboarding, or a compromised participant).

While disabled, every credential of the institution is refused with a 403
problem ``institution_disabled``: API keys and platform keys, users' access
tokens (so console sessions too) and logins.  Nothing of its data is
changed or removed; enabling it again restores every credential that was
valid before (revoked or expired ones stay refused).  Both changes are
audited.  Only the platform operator does this (``xborder institution
disable CODE --reason ...`` / ``enable``), never the institution itself.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.clock import utc_now
from ledger.events import record_audit
from ledger.schema import institutions

from .authcache import invalidate
from .problems import ProblemError
from .tables_ops import institution_status


async def check_institution_enabled(conn: AsyncConnection, institution_id: UUID) -> None:
    """Raise a 403 problem ``institution_disabled`` when the institution is
    disabled (one primary-key read)."""
    row = (await conn.execute(select(institution_status.c.disabled_at).where(institution_status.c.institution_id == institution_id))).first()
    if row is not None and row.disabled_at is not None:
        raise ProblemError(403, "institution_disabled", "Institution disabled",
                           "this institution is disabled by the platform operator; every credential of it is refused until it is enabled again")


async def set_institution_disabled(conn: AsyncConnection, institution_id: UUID, disabled: bool, *, reason: str | None, actor: str) -> dict[str, Any]:
    """Disable (or enable) an institution in the caller's transaction, with
    an audit entry.  Raises :class:`NotFound` for an unknown institution and
    :class:`InvalidInput` for a disable without a reason."""
    if (await conn.execute(select(institutions.c.id).where(institutions.c.id == institution_id))).first() is None:
        raise E.NotFound("institution", institution_id)
    if disabled and not (reason or "").strip():
        raise E.InvalidInput("say why the institution is disabled (--reason)")
    now = utc_now()
    invalidate(("institution", institution_id))
    row = (await conn.execute(select(institution_status).where(institution_status.c.institution_id == institution_id))).first()
    before = {"disabled": bool(row is not None and row.disabled_at is not None), "reason": row.reason if row is not None else None}
    values = {"disabled_at": (row.disabled_at if row is not None and row.disabled_at is not None else now) if disabled else None,
              "reason": (reason or "").strip() or None, "changed_by": actor[:200], "changed_at": now}
    if row is None:
        await conn.execute(institution_status.insert().values(institution_id=institution_id, **values))
    else:
        await conn.execute(update(institution_status).where(institution_status.c.institution_id == institution_id).values(**values))
    after = {"disabled": disabled, "reason": values["reason"]}
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor,
                       action="institution.disable" if disabled else "institution.enable", object_type="institution", object_id=str(institution_id),
                       before=before, after=after)
    return {"institution_id": institution_id, **values, "disabled": disabled}
