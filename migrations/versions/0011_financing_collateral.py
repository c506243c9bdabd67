"""financing: collateral tables

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "financing_asset_registry",
        sa.Column("asset_key", sa.String(64), nullable=False),
        sa.Column("asset_kind", sa.String(24), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("holder", sa.String(64), nullable=True),
        sa.Column("encumbered_at", TS, nullable=True),
        sa.Column("released_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("asset_key", name="pk_financing_asset_registry"),
    )
    op.create_table(
        "financing_encumbrances",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("asset_key", sa.String(64), nullable=False),
        sa.Column("asset_kind", sa.String(24), nullable=False),
        sa.Column("financing_ref", sa.String(128), nullable=False),
        sa.Column("encumbered_at", TS, nullable=False),
        sa.Column("released_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_financing_encumbrances"),
    )
    op.create_index("ix_financing_encumbrances_institution_ref", "financing_encumbrances", ["institution_id", "financing_ref"])
    op.create_index("ix_financing_encumbrances_asset", "financing_encumbrances", ["asset_key"])
    op.create_table(
        "financing_warehouse_receipts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.String(128), nullable=False),
        sa.Column("receipt_number", sa.String(64), nullable=False),
        sa.Column("goods_type", sa.String(64), nullable=False),
        sa.Column("quantity", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("asset_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("verified_by", sa.String(128), nullable=True),
        sa.Column("verified_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("institution_id", "issuer", "receipt_number", name="uq_financing_warehouse_receipts_institution_issuer_number"),
        sa.PrimaryKeyConstraint("id", name="pk_financing_warehouse_receipts"),
    )
    op.create_table(
        "financing_goods_prices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("goods_type", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("price_date", sa.Date(), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(64), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("institution_id", "goods_type", "currency", "price_date", name="uq_financing_goods_prices_institution_goods_currency_date"),
        sa.PrimaryKeyConstraint("id", name="pk_financing_goods_prices"),
    )
    op.create_table(
        "financing_goods_haircuts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("goods_type", sa.String(64), nullable=False),
        sa.Column("haircut", sa.String(16), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("institution_id", "goods_type", name="uq_financing_goods_haircuts_institution_goods"),
        sa.PrimaryKeyConstraint("id", name="pk_financing_goods_haircuts"),
    )
    op.create_table(
        "financing_wr_pledges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("receipt_id", sa.Uuid(), nullable=False),
        sa.Column("financing_ref", sa.String(128), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("loan_minor", sa.BigInteger(), nullable=False),
        sa.Column("outstanding_minor", sa.BigInteger(), nullable=False),
        sa.Column("quantity_pledged", sa.String(40), nullable=False),
        sa.Column("quantity_released", sa.String(40), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("valuation_minor", sa.BigInteger(), nullable=False),
        sa.Column("valued_on", sa.Date(), nullable=False),
        sa.Column("ltv", sa.String(24), nullable=False),
        sa.Column("pledged_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_financing_wr_pledges"),
    )
    op.create_index("ix_financing_wr_pledges_institution_ref", "financing_wr_pledges", ["institution_id", "financing_ref"])
    op.create_index("ix_financing_wr_pledges_receipt", "financing_wr_pledges", ["receipt_id"])
    op.create_table(
        "financing_margin_calls",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("pledge_id", sa.Uuid(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("cure_by", sa.Date(), nullable=False),
        sa.Column("ltv", sa.String(24), nullable=False),
        sa.Column("valuation_minor", sa.BigInteger(), nullable=False),
        sa.Column("outstanding_minor", sa.BigInteger(), nullable=False),
        sa.Column("shortfall_minor", sa.BigInteger(), nullable=False),
        sa.Column("collateral_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_financing_margin_calls"),
    )
    op.create_index("ix_financing_margin_calls_pledge", "financing_margin_calls", ["pledge_id"])
    op.create_table(
        "financing_insurance_policies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("insurer", sa.String(128), nullable=False),
        sa.Column("policy_number", sa.String(64), nullable=False),
        sa.Column("coverage_ratio", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("institution_id", "insurer", "policy_number", name="uq_financing_insurance_policies_institution_insurer_number"),
        sa.PrimaryKeyConstraint("id", name="pk_financing_insurance_policies"),
    )
    op.create_table(
        "financing_buyer_limits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("policy_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_ref", sa.String(128), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("policy_id", "buyer_ref", name="uq_financing_buyer_limits_policy_buyer"),
        sa.PrimaryKeyConstraint("id", name="pk_financing_buyer_limits"),
    )
    op.create_table(
        "financing_insured_receivables",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("policy_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_ref", sa.String(128), nullable=False),
        sa.Column("invoice_number", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("asset_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("financing_ref", sa.String(128), nullable=True),
        sa.Column("covered_minor", sa.BigInteger(), nullable=True),
        sa.Column("assigned_to", sa.String(128), nullable=True),
        sa.Column("assigned_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_insured_receivables"),
        sa.UniqueConstraint("policy_id", "buyer_ref", "invoice_number", name="uq_financing_insured_receivables_policy_buyer_invoice"),
    )
    op.create_index("ix_financing_insured_receivables_institution", "financing_insured_receivables", ["institution_id", "policy_id"])
    op.create_table(
        "financing_insurance_claims",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("receivable_id", sa.Uuid(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("claimed_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_insurance_claims"),
    )
    op.create_index("ix_financing_insurance_claims_receivable", "financing_insurance_claims", ["receivable_id"])


def downgrade() -> None:
    op.drop_index("ix_financing_insurance_claims_receivable", table_name="financing_insurance_claims")
    op.drop_table("financing_insurance_claims")
    op.drop_index("ix_financing_insured_receivables_institution", table_name="financing_insured_receivables")
    op.drop_table("financing_insured_receivables")
    op.drop_table("financing_buyer_limits")
    op.drop_table("financing_insurance_policies")
    op.drop_index("ix_financing_margin_calls_pledge", table_name="financing_margin_calls")
    op.drop_table("financing_margin_calls")
    op.drop_index("ix_financing_wr_pledges_institution_ref", table_name="financing_wr_pledges")
    op.drop_index("ix_financing_wr_pledges_receipt", table_name="financing_wr_pledges")
    op.drop_table("financing_wr_pledges")
    op.drop_table("financing_goods_haircuts")
    op.drop_table("financing_goods_prices")
    op.drop_table("financing_warehouse_receipts")
    op.drop_index("ix_financing_encumbrances_institution_ref", table_name="financing_encumbrances")
    op.drop_index("ix_financing_encumbrances_asset", table_name="financing_encumbrances")
    op.drop_table("financing_encumbrances")
    op.drop_table("financing_asset_registry")
