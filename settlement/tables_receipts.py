"""Tables of receipts (S1-S3, S6), conversions and quotas (S5), risk alerts
and the watch list (S9)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

receipts = Table(
    "receipts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("customer_id", Uuid, nullable=False),
    Column("external_ref", String(128), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("gross_minor", BigInteger, nullable=False),
    Column("net_minor", BigInteger, nullable=False),
    Column("usd_equivalent_minor", BigInteger, nullable=False),
    Column("customs_mode", String(4), nullable=False),
    Column("destination_country", String(2), nullable=False),
    # denormalised for monitoring queries (S9)
    Column("merchant_kind", String(32), nullable=False),
    Column("fx_class", String(1), nullable=True),
    Column("payer", String(200), nullable=True),
    Column("value_date", Date, nullable=False),
    Column("declared_value_minor", BigInteger, nullable=True),
    Column("variance_minor", BigInteger, nullable=True),
    Column("variance_flagged", Boolean, nullable=False),
    Column("platform_code", String(64), nullable=True),
    Column("evidence_refs", JSON, nullable=False),
    Column("coverage_minor", BigInteger, nullable=False),
    Column("coverage_flagged", Boolean, nullable=False),
    # credited | pending_verification | released | suspense
    Column("status", String(24), nullable=False),
    Column("suspense_reason", String(64), nullable=True),
    Column("rate", JSON, nullable=True),
    Column("transaction_id", Uuid, nullable=True),
    Column("release_transaction_id", Uuid, nullable=True),
    Column("released_by", String(64), nullable=True),
    Column("release_note", Text, nullable=True),
    Column("released_at", TS, nullable=True),
    Column("advances_netted_minor", BigInteger, nullable=False),
    Column("swept_minor", BigInteger, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "external_ref", name="uq_receipts_institution_external_ref"),
)
Index("ix_receipts_institution_value_date", receipts.c.institution_id, receipts.c.value_date)
Index("ix_receipts_customer", receipts.c.customer_id, receipts.c.value_date)

# the overseas fees netted against a receipt (S3): one row per (receipt, fee
# kind) with an amount above zero; the kinds are settlement.config.FEE_KINDS
receipt_fees = Table(
    "receipt_fees",
    metadata,
    Column("receipt_id", Uuid, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("institution_id", Uuid, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    PrimaryKeyConstraint("receipt_id", "kind", "institution_id", name="pk_receipt_fees"),
)

# yearly totals per customer (S6), updated atomically
customer_year_totals = Table(
    "customer_year_totals",
    metadata,
    Column("customer_id", Uuid, nullable=False),
    Column("year", Integer, nullable=False),
    Column("institution_id", Uuid, nullable=False),
    Column("receipts_usd_minor", BigInteger, nullable=False),
    Column("payments_usd_minor", BigInteger, nullable=False),
    Column("warned", Boolean, nullable=False),
    PrimaryKeyConstraint("customer_id", "year", "institution_id", name="pk_customer_year_totals"),
)

conversions = Table(
    "conversions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("customer_id", Uuid, nullable=False),
    Column("external_ref", String(128), nullable=False),
    Column("request_hash", String(64), nullable=False),
    # settle (FX -> CNY, 结汇) | purchase (CNY -> FX, 购汇)
    Column("direction", String(8), nullable=False),
    Column("fx_currency", String(3), nullable=False),
    Column("fx_minor", BigInteger, nullable=False),
    Column("cny_minor", BigInteger, nullable=False),
    Column("rate", JSON, nullable=False),
    Column("usd_equivalent_minor", BigInteger, nullable=False),
    Column("exempt_usd_minor", BigInteger, nullable=False),
    Column("quota_usd_minor", BigInteger, nullable=False),
    Column("reviewed_usd_minor", BigInteger, nullable=False),
    Column("quota_year", Integer, nullable=True),
    Column("evidence_refs", JSON, nullable=False),
    Column("reviewer", String(64), nullable=True),
    Column("review_proof", Text, nullable=True),
    Column("merchant_kind", String(32), nullable=False),
    Column("customs_mode", String(4), nullable=True),
    Column("destination_country", String(2), nullable=True),
    Column("transaction_id", Uuid, nullable=False),
    Column("created_at", TS, nullable=False),
    #: when the conversion takes effect (its rate day and quota year); null before 0017: created_at
    Column("value_at", TS, nullable=True),
    UniqueConstraint("institution_id", "external_ref", name="uq_conversions_institution_external_ref"),
)
Index("ix_conversions_customer_created", conversions.c.customer_id, conversions.c.created_at)

# national registries, keyed by the blind index of the ID number: they hold
# no institution's data, only totals per person
quota_registry = Table(
    "quota_registry",
    metadata,
    Column("person_index", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("direction", String(8), nullable=False),
    Column("used_usd_minor", BigInteger, nullable=False),
    PrimaryKeyConstraint("person_index", "year", "direction", name="pk_quota_registry"),
)

conversion_log = Table(
    "conversion_log",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("person_index", String(64), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("usd_minor", BigInteger, nullable=False),
    Column("at", TS, nullable=False),
)
Index("ix_conversion_log_person_at", conversion_log.c.person_index, conversion_log.c.at)

watch_list = Table(
    "watch_list",
    metadata,
    Column("person_index", String(64), nullable=False),
    Column("until_year", Integer, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    PrimaryKeyConstraint("person_index", name="pk_watch_list"),
)

risk_alerts = Table(
    "risk_alerts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("kind", String(48), nullable=False),
    Column("customer_id", Uuid, nullable=True),
    Column("subject_type", String(24), nullable=True),
    Column("subject_id", String(64), nullable=True),
    Column("details", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", TS, nullable=False),
)
Index("ix_risk_alerts_institution_created", risk_alerts.c.institution_id, risk_alerts.c.created_at)

settlement_settings = Table(
    "settlement_settings",
    metadata,
    Column("institution_id", Uuid, nullable=False),
    Column("config", JSON, nullable=False),
    Column("updated_at", TS, nullable=False),
    PrimaryKeyConstraint("institution_id", name="pk_settlement_settings"),
)
