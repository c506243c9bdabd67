"""The daily lifecycle checks of financing (#17 item 6), run by the
worker's daily ``loan_accrual`` job after the accrual:

* ``sme.payment_due`` for instalments due within 3 days
  (:func:`financing.notices.payment_due_notices`);
* ``policy.expired_advance`` for each active loan financed under a
  credit-insurance policy that expired (once per loan and policy).

Both are idempotent per fact (``financing_notices.dedupe_key``): running
them twice the same day emits nothing the second time.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from . import notices
from .collateral.binding import expired_policy_advances


async def flag_expired_policies(engine: AsyncEngine, institution_id: UUID, as_of: date) -> list[dict[str, Any]]:
    """Flag the active loans on a policy expired before ``as_of``; returns
    the flags raised now (those raised before are not raised again)."""
    async with engine.begin() as conn:
        return [f for f in await expired_policy_advances(conn, institution_id, as_of) if await notices.expired_advance(conn, institution_id, f)]


async def daily(engine: AsyncEngine, institution_id: UUID, day: date) -> dict[str, int]:
    """The checks of business day ``day``."""
    due = await notices.payment_due_notices(engine, institution_id, day)
    expired = await flag_expired_policies(engine, institution_id, day)
    return {"payment_due_notices": due, "expired_policy_flags": len(expired)}
