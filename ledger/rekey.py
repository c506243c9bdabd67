"""Building blocks of the key rotation procedure (``xborder keys rotate``,
api.rotation): re-encrypt a table's sealed columns under the current
personal-data key, and move rows from old registry keys to new ones.  Each
works inside the caller's transaction, so the whole rotation is one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column, Table, bindparam, delete, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .crypto import Keyring

_BATCH = 500


async def reseal_columns(
    conn: AsyncConnection, keyring: Keyring, table: Table, columns: Sequence[str], context: Callable[[Any, str], str], *, clear_ok: bool = False,
) -> int:
    """Re-encrypt ``columns`` of every row of ``table`` not already under the
    current key (``context(row, column)``: the associated data the value was
    sealed with).  Values in clear are sealed when ``clear_ok``.  Returns
    how many rows changed."""
    pk = list(table.primary_key.columns)
    changed = 0
    last: tuple[Any, ...] | None = None
    while True:
        stmt = select(table).order_by(*pk).limit(_BATCH)
        if last is not None:
            stmt = stmt.where(tuple_(*pk) > tuple_(*last))
        rows = (await conn.execute(stmt)).all()
        if not rows:
            return changed
        last = tuple(getattr(rows[-1], c.name) for c in pk)
        for row in rows:
            values = {c: keyring.reseal(getattr(row, c), context=context(row, c), clear_ok=clear_ok) for c in columns}
            values = {c: v for c, v in values.items() if v is not None}
            if values:
                await conn.execute(update(table).where(*(c == getattr(row, c.name) for c in pk)).values(values))
                changed += 1


async def remap_keys(conn: AsyncConnection, column: Column[Any], mapping: dict[str, str], merge: Callable[[Any, Any], dict[str, Any]] | None = None) -> int:
    """Move the rows of ``column``'s table keyed by an old key of ``mapping``
    to the new key.  In a table whose primary key includes the column, a row
    already under the new key (written after the key changed) absorbs the
    old one (``merge(old_row, new_row)``: the new row's values); elsewhere a
    plain update.  Returns how many rows moved."""
    table = column.table
    olds = sorted(k for k, v in mapping.items() if k != v)
    moved = 0
    if merge is None:
        for i in range(0, len(olds), _BATCH):
            part = olds[i:i + _BATCH]
            moved += int((await conn.execute(select(func.count()).select_from(table).where(column.in_(part)))).scalar() or 0)
            await conn.execute(update(table).where(column == bindparam("_old")).values({column.name: bindparam("_new")}),
                               [{"_old": o, "_new": mapping[o]} for o in part])
        return moved
    pk = list(table.primary_key.columns)
    for i in range(0, len(olds), _BATCH):
        for row in (await conn.execute(select(table).where(column.in_(olds[i:i + _BATCH])))).all():
            new_key = {c.name: (mapping[row._mapping[c.name]] if c.name == column.name else row._mapping[c.name]) for c in pk}
            where_new = [c == new_key[c.name] for c in pk]
            where_old = [c == row._mapping[c.name] for c in pk]
            there = (await conn.execute(select(table).where(*where_new))).first()
            if there is None:
                await conn.execute(update(table).where(*where_old).values({column.name: new_key[column.name]}))
            else:
                await conn.execute(update(table).where(*where_new).values(merge(row, there)))
                await conn.execute(delete(table).where(*where_old))
            moved += 1
    return moved
