"""Database helpers of the trade data package: chunked key lookups that
stay fast on a freshly loaded table, the documents of orders, and an
institution's settlement settings read inside a transaction."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Row, Select, Table, bindparam, func, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from ..config import SettlementConfig
from ..tables_receipts import settlement_settings
from ..tables_tradedata import trade_payments, trade_waybills

IN_CHUNK = 1000  # ids per IN (...) list

T = TypeVar("T")


async def load_config(conn: AsyncConnection, institution_id: UUID) -> SettlementConfig:
    """The institution's settlement parameters (defaults overridden), read on ``conn``."""
    row = (await conn.execute(select(settlement_settings.c.config).where(settlement_settings.c.institution_id == institution_id))).first()
    return SettlementConfig.from_dict(row.config if row is not None else None)


def chunks(seq: Sequence[T], n: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``seq`` in slices of at most ``n``."""
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def by_keys(conn: AsyncConnection, columns: Sequence[Any], table: Table, key_col: Any, keys: Sequence[Any], *conds: Any) -> Select[Any]:
    """``SELECT columns FROM table WHERE key_col IN keys AND conds``, in a
    shape no planner can turn into a scan per key.  On PostgreSQL the keys
    are joined as ``unnest(:keys)``: with ``IN ($1..$n)`` and no statistics
    yet (a table just bulk-loaded), the planner uses only the index prefix
    and tests the list row by row, which grows with chunk x table."""
    if conn.dialect.name == "postgresql":
        u = func.unnest(bindparam("_keys", list(keys), type_=pg_dialect.ARRAY(key_col.type))).table_valued("key").render_derived(name="_k")
        return select(*columns).select_from(table.join(u, key_col == u.c.key)).where(*conds)
    return select(*columns).where(key_col.in_(list(keys)), *conds)


async def docs_for(conn: AsyncConnection, institution_id: UUID, platform_code: str, order_ext_ids: Sequence[str]) -> tuple[dict[str, list[Row[Any]]], dict[str, list[Row[Any]]]]:
    """Waybills and payments of the given orders, by order external id."""
    wb: dict[str, list[Row[Any]]] = {}
    pay: dict[str, list[Row[Any]]] = {}
    for part in chunks(list(order_ext_ids)):
        for r in await conn.execute(
            by_keys(
                conn, [trade_waybills], trade_waybills, trade_waybills.c.order_external_id, part,
                trade_waybills.c.institution_id == institution_id, trade_waybills.c.platform_code == platform_code,
            )
        ):
            wb.setdefault(r.order_external_id, []).append(r)
        for r in await conn.execute(
            by_keys(
                conn, [trade_payments], trade_payments, trade_payments.c.order_external_id, part,
                trade_payments.c.institution_id == institution_id, trade_payments.c.platform_code == platform_code,
            )
        ):
            pay.setdefault(r.order_external_id, []).append(r)
    return wb, pay
