"""Tables of outward payments (S6 payments side) and the national S6
registry: each enterprise's cumulative goods-trade receipts and payments per
calendar year, keyed by the blind index of its registration number, so that
several institutions count into one national total."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, Index, Integer, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, Uuid

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

payments = Table(
    "payments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("customer_id", Uuid, nullable=False),
    Column("external_ref", String(128), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("usd_equivalent_minor", BigInteger, nullable=False),
    # goods | overseas_warehousing | logistics | service_fees | buyer_refund
    Column("purpose", String(32), nullable=False),
    Column("beneficiary_name", String(200), nullable=False),
    Column("beneficiary_country", String(2), nullable=False),
    Column("evidence_refs", JSON, nullable=False),
    # denormalised for monitoring queries (S9)
    Column("merchant_kind", String(32), nullable=False),
    Column("value_date", Date, nullable=False),
    # paid | held | released
    Column("status", String(16), nullable=False),
    Column("hold_reason", String(64), nullable=True),
    Column("rate", JSON, nullable=True),
    Column("transaction_id", Uuid, nullable=False),
    Column("release_transaction_id", Uuid, nullable=True),
    Column("released_by", String(64), nullable=True),
    Column("release_note", Text, nullable=True),
    Column("released_at", TS, nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "external_ref", name="uq_payments_institution_external_ref"),
)
Index("ix_payments_institution_value_date", payments.c.institution_id, payments.c.value_date)
Index("ix_payments_customer", payments.c.customer_id, payments.c.value_date)

# national S6 totals: one row per (enterprise, calendar year, direction);
# no institution's data, only totals, keyed by the enterprise's blind index
s6_registry = Table(
    "s6_registry",
    metadata,
    Column("subject_index", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    # receipts | payments
    Column("direction", String(8), nullable=False),
    Column("usd_minor", BigInteger, nullable=False),
    Column("warned", Boolean, nullable=False),
    PrimaryKeyConstraint("subject_index", "year", "direction", name="pk_s6_registry"),
)
