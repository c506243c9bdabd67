"""What the settlement rules read about a customer, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.errors import NotFound

from .tables_customers import customers


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    id: UUID
    kind: str
    fx_class: str | None
    directory_registered: bool
    negative_list: bool
    #: blind index of the ID number: the key of the national registries
    person_index: str | None


async def customer_facts(conn: AsyncConnection, institution_id: UUID, customer_id: UUID) -> CustomerFacts:
    """Raises ``NotFound`` for an unknown id or another institution's."""
    row = (
        await conn.execute(
            select(customers.c.id, customers.c.kind, customers.c.fx_class, customers.c.directory_registered, customers.c.negative_listed, customers.c.id_index).where(
                customers.c.id == customer_id, customers.c.institution_id == institution_id
            )
        )
    ).first()
    if row is None:
        raise NotFound("customer", customer_id)
    return CustomerFacts(row.id, row.kind, row.fx_class, bool(row.directory_registered), bool(row.negative_listed), row.id_index)
