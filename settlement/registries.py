"""National registries shared by all institutions (S5, S9): the individuals'
annual quota, the log of ordinary (non-reviewed) conversions used to detect
split conversions, and the watch list.  Their rules are the deployment's
national parameters, never an institution's.  Rows are keyed by the blind index of the person's ID number and
hold totals only, so no institution learns another's customers or data.
Every update is a single conditional statement: correct under concurrent use
from several institutions and processes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.db import insert_for
from ledger.ids import uuid7

from .errors import QuotaExceeded
from .tables_receipts import conversion_log, quota_registry, watch_list


async def quota_used(conn: AsyncConnection, person_index: str, year: int, direction: str) -> int:
    used = (
        await conn.execute(
            select(quota_registry.c.used_usd_minor).where(
                quota_registry.c.person_index == person_index, quota_registry.c.year == year, quota_registry.c.direction == direction
            )
        )
    ).scalar()
    return int(used or 0)


async def consume_quota(
    conn: AsyncConnection, person_index: str, year: int, direction: str, usd_minor: int, limit_usd: int, *, allow_over: bool = False
) -> tuple[int, int]:
    """Use ``usd_minor`` of the person's ``direction`` quota for ``year``.

    Returns ``(consumed, over)``: what counted against the quota and what
    went beyond it (only with ``allow_over``, the review path).  Raises
    :class:`QuotaExceeded` with the remaining amount otherwise.
    """
    if usd_minor <= 0:
        return 0, 0
    ins = insert_for(conn, quota_registry).values(person_index=person_index, year=year, direction=direction, used_usd_minor=0)
    await conn.execute(ins.on_conflict_do_nothing(index_elements=["person_index", "year", "direction"]))
    key = and_(quota_registry.c.person_index == person_index, quota_registry.c.year == year, quota_registry.c.direction == direction)
    res = await conn.execute(
        update(quota_registry)
        .where(key, quota_registry.c.used_usd_minor + usd_minor <= limit_usd)
        .values(used_usd_minor=quota_registry.c.used_usd_minor + usd_minor)
    )
    if res.rowcount == 1:
        return usd_minor, 0
    used = await quota_used(conn, person_index, year, direction)
    remaining = max(0, limit_usd - used)
    if not allow_over:
        raise QuotaExceeded(direction, year, remaining, usd_minor)
    # review path: fill what is left of the quota, the rest is reviewed genuine trade
    if remaining:
        res = await conn.execute(
            update(quota_registry).where(key, quota_registry.c.used_usd_minor + remaining <= limit_usd).values(used_usd_minor=quota_registry.c.used_usd_minor + remaining)
        )
        if res.rowcount != 1:
            remaining = 0
    return remaining, usd_minor - remaining


async def log_conversion(conn: AsyncConnection, person_index: str, direction: str, usd_minor: int, at: datetime) -> None:
    await conn.execute(conversion_log.insert().values(id=uuid7(), person_index=person_index, direction=direction, usd_minor=usd_minor, at=at))


async def recent_conversions(conn: AsyncConnection, person_index: str, direction: str, since: datetime, until: datetime | None = None) -> tuple[int, int]:
    """(count, total USD minor) of the person's logged (ordinary) conversions
    with a value time in [``since``, ``until``]."""
    conds = [conversion_log.c.person_index == person_index, conversion_log.c.direction == direction, conversion_log.c.at >= since]
    if until is not None:
        conds.append(conversion_log.c.at <= until)
    row = (
        await conn.execute(
            select(func.count(), func.coalesce(func.sum(conversion_log.c.usd_minor), 0)).where(*conds)
        )
    ).one()
    return int(row[0]), int(row[1])


async def watch_listed_until(conn: AsyncConnection, person_index: str) -> int | None:
    return (await conn.execute(select(watch_list.c.until_year).where(watch_list.c.person_index == person_index))).scalar()


async def put_on_watch_list(conn: AsyncConnection, person_index: str, until_year: int, reason: str, now: datetime) -> None:
    """Watch-list a person until the end of ``until_year`` (extends, never shortens)."""
    ins = insert_for(conn, watch_list).values(person_index=person_index, until_year=until_year, reason=reason, created_at=now)
    await conn.execute(ins.on_conflict_do_nothing(index_elements=["person_index"]))
    await conn.execute(
        update(watch_list).where(watch_list.c.person_index == person_index, watch_list.c.until_year < until_year).values(until_year=until_year, reason=reason)
    )


def window_start(now: datetime, hours: int) -> datetime:
    return now - timedelta(hours=hours)
