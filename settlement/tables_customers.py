"""Tables of customers: merchants (enterprises, individual trade operators,
individual businesses) and individuals.

Personal data (name, ID number, phone) is stored only as AES-GCM ciphertext
(``x1.<key id>.<...>``, bound to the row and column by the associated data);
the ID number is looked up through its keyed blind index (HMAC).
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint, Uuid

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

customers = Table(
    "customers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    # the institution's own reference (also the ``merchant_ref`` of trade data and SME users)
    Column("ref", String(64), nullable=False),
    # enterprise | individual_trade_operator | individual_business | individual
    Column("kind", String(32), nullable=False),
    # goods-trade FX management class A / B / C (merchants only)
    Column("fx_class", String(1), nullable=True),
    Column("directory_registered", Boolean, nullable=False),
    Column("registered_on", Date, nullable=True),
    Column("negative_listed", Boolean, nullable=False),
    Column("negative_list_reason", String(200), nullable=True),
    # know-your-customer / due diligence (展业三原则) last done
    Column("due_diligence_on", Date, nullable=True),
    Column("due_diligence_by", String(64), nullable=True),
    # personal data: ciphertext only
    Column("name_enc", Text, nullable=False),
    Column("id_number_enc", Text, nullable=True),
    Column("phone_enc", Text, nullable=True),
    # HMAC blind index of the normalised ID number
    Column("id_index", String(64), nullable=True),
    # foreign currencies the customer holds accounts in (CNY is always opened)
    Column("currencies", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("institution_id", "ref", name="uq_customers_institution_ref"),
)
Index("ix_customers_institution_id_index", customers.c.institution_id, customers.c.id_index)
