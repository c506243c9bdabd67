"""settlement: trade data (orders, waybills, payments, refunds, rejects) and
the shared evidence registry

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "trade_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("platform_code", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("merchant_ref", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("customs_mode", sa.String(4), nullable=True),
        sa.Column("destination_country", sa.String(2), nullable=True),
        sa.Column("match_status", sa.String(12), nullable=False),
        sa.Column("match_reason", sa.String(500), nullable=True),
        sa.Column("matched_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trade_orders"),
        sa.UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_orders_institution_platform_external"),
    )
    op.create_index("ix_trade_orders_customer", "trade_orders", ["customer_id", "order_date"])
    op.create_index("ix_trade_orders_institution_status", "trade_orders", ["institution_id", "match_status"])
    op.create_table(
        "trade_waybills",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("platform_code", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("order_external_id", sa.String(128), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("merchant_ref", sa.String(64), nullable=False),
        sa.Column("shipped_on", sa.Date(), nullable=False),
        sa.Column("carrier", sa.String(64), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("destination_country", sa.String(2), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trade_waybills"),
        sa.UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_waybills_institution_platform_external"),
    )
    op.create_index("ix_trade_waybills_order", "trade_waybills", ["institution_id", "platform_code", "order_external_id"])
    op.create_table(
        "trade_payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("platform_code", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("order_external_id", sa.String(128), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("merchant_ref", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(32), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trade_payments"),
        sa.UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_payments_institution_platform_external"),
    )
    op.create_index("ix_trade_payments_order", "trade_payments", ["institution_id", "platform_code", "order_external_id"])
    op.create_table(
        "trade_refunds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("platform_code", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("order_external_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("requested_minor", sa.BigInteger(), nullable=False),
        sa.Column("applied_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trade_refunds"),
        sa.UniqueConstraint("institution_id", "platform_code", "external_id", name="uq_trade_refunds_institution_platform_external"),
    )
    op.create_index("ix_trade_refunds_order", "trade_refunds", ["order_id"])
    op.create_table(
        "trade_rejects",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("platform_code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trade_rejects"),
    )
    op.create_index("ix_trade_rejects_institution_created", "trade_rejects", ["institution_id", "created_at"])
    op.create_table(
        "evidence_registry",
        sa.Column("evidence_key", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("value_minor", sa.BigInteger(), nullable=False),
        sa.Column("consumed_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("evidence_key", name="pk_evidence_registry"),
    )
    op.create_table(
        "evidence_claims",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("claim_ref", sa.String(128), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("platform_code", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("evidence_key", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("released_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_claims"),
    )
    op.create_index("ix_evidence_claims_institution_ref", "evidence_claims", ["institution_id", "claim_ref"])
    op.create_index("ix_evidence_claims_order", "evidence_claims", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_claims_order", table_name="evidence_claims")
    op.drop_index("ix_evidence_claims_institution_ref", table_name="evidence_claims")
    op.drop_table("evidence_claims")
    op.drop_table("evidence_registry")
    op.drop_index("ix_trade_rejects_institution_created", table_name="trade_rejects")
    op.drop_table("trade_rejects")
    op.drop_index("ix_trade_refunds_order", table_name="trade_refunds")
    op.drop_table("trade_refunds")
    op.drop_index("ix_trade_payments_order", table_name="trade_payments")
    op.drop_table("trade_payments")
    op.drop_index("ix_trade_waybills_order", table_name="trade_waybills")
    op.drop_table("trade_waybills")
    op.drop_index("ix_trade_orders_institution_status", table_name="trade_orders")
    op.drop_index("ix_trade_orders_customer", table_name="trade_orders")
    op.drop_table("trade_orders")
