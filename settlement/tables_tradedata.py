"""Tables of trade data pushed by platforms (S2): orders, logistics waybills,
payment records, returns/refunds, the records that were rejected (held with
their raw content and the reason), and the national evidence registry.

Orders, waybills, payments and refunds are unique per (institution,
platform, external id): pushing the same record again is a no-op.  The
evidence registry is shared by every institution: it is keyed by a hash of
"platform|order external id" and holds only the order's value and how much
of it has been consumed, so it reveals nothing of one institution to
another.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, Uuid

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

trade_orders = Table(
    "trade_orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("platform_code", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("merchant_ref", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    # returns and refunds so far; the effective value is amount - refunded (never below zero)
    Column("refunded_minor", BigInteger, nullable=False),
    Column("order_date", Date, nullable=False),
    Column("customs_mode", String(4), nullable=True),
    Column("destination_country", String(2), nullable=True),
    # S2 three-document match: matched | partial | mismatched, with the reason
    Column("match_status", String(12), nullable=False),
    Column("match_reason", String(500), nullable=True),
    Column("matched_at", TS, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_orders_institution_platform_external"),
)
Index("ix_trade_orders_customer", trade_orders.c.customer_id, trade_orders.c.order_date)
Index("ix_trade_orders_institution_status", trade_orders.c.institution_id, trade_orders.c.match_status)

trade_waybills = Table(
    "trade_waybills",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("platform_code", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("order_external_id", String(128), nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("merchant_ref", String(64), nullable=False),
    Column("shipped_on", Date, nullable=False),
    Column("carrier", String(64), nullable=True),
    # declared value on the waybill, when the platform sends one
    Column("currency", String(3), nullable=True),
    Column("amount_minor", BigInteger, nullable=True),
    Column("destination_country", String(2), nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_waybills_institution_platform_external"),
)
Index("ix_trade_waybills_order", trade_waybills.c.institution_id, trade_waybills.c.platform_code, trade_waybills.c.order_external_id)

trade_payments = Table(
    "trade_payments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("platform_code", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("order_external_id", String(128), nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("merchant_ref", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("method", String(32), nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_payments_institution_platform_external"),
)
Index("ix_trade_payments_order", trade_payments.c.institution_id, trade_payments.c.platform_code, trade_payments.c.order_external_id)

trade_refunds = Table(
    "trade_refunds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("platform_code", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("order_external_id", String(128), nullable=False),
    # return | refund | chargeback
    Column("kind", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("requested_minor", BigInteger, nullable=False),
    # what reduced the order's value (capped: the value never goes below zero)
    Column("applied_minor", BigInteger, nullable=False),
    Column("refunded_on", Date, nullable=False),
    Column("reason", String(200), nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_refunds_institution_platform_external"),
)
Index("ix_trade_refunds_order", trade_refunds.c.order_id)

# records a platform pushed that could not be accepted: held, never lost
trade_rejects = Table(
    "trade_rejects",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("platform_code", String(64), nullable=False),
    # orders | waybills | payments | refunds
    Column("kind", String(16), nullable=False),
    Column("external_id", String(128), nullable=True),
    # position of the record in the call or file
    Column("position", Integer, nullable=False),
    Column("raw", Text, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("created_at", TS, nullable=False),
)
Index("ix_trade_rejects_institution_created", trade_rejects.c.institution_id, trade_rejects.c.created_at)

# national evidence registry: an order's value backs one receipt anywhere
evidence_registry = Table(
    "evidence_registry",
    metadata,
    # HMAC-SHA256 of "platform_code|order external id" under the registry key
    Column("evidence_key", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("value_minor", BigInteger, nullable=False),
    Column("consumed_minor", BigInteger, nullable=False),
    PrimaryKeyConstraint("evidence_key", name="pk_evidence_registry"),
)

# an institution's own claims on the registry (to replay or release them)
evidence_claims = Table(
    "evidence_claims",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("claim_ref", String(128), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("platform_code", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("evidence_key", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("released_at", TS, nullable=True),
)
Index("ix_evidence_claims_institution_ref", evidence_claims.c.institution_id, evidence_claims.c.claim_ref)
Index("ix_evidence_claims_order", evidence_claims.c.order_id)
