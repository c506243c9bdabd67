"""financing: loans tables

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "financing_products",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_products"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_financing_products_institution_id_institutions"),
        sa.UniqueConstraint("institution_id", "code", name="uq_financing_products_institution_code"),
    )
    op.create_table(
        "financing_lpr_rates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("tenor", sa.String(4), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("rate", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_lpr_rates"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_financing_lpr_rates_institution_id_institutions"),
        sa.UniqueConstraint("institution_id", "tenor", "effective_date", name="uq_financing_lpr_rates_institution_tenor_date"),
    )
    op.create_table(
        "financing_loans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_minor", sa.BigInteger(), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), nullable=True),
        sa.Column("approved_minor", sa.BigInteger(), nullable=True),
        sa.Column("tenor_days", sa.Integer(), nullable=False),
        sa.Column("asset_refs", sa.JSON(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=True),
        sa.Column("offer", sa.JSON(), nullable=True),
        sa.Column("disbursed_on", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("accrued_through", sa.Date(), nullable=True),
        sa.Column("interest_carry", sa.String(200), nullable=False),
        sa.Column("penalty_carry", sa.String(200), nullable=False),
        sa.Column("dpd", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(16), nullable=True),
        sa.Column("accounts", sa.JSON(), nullable=True),
        sa.Column("disbursement_transaction_id", sa.Uuid(), nullable=True),
        sa.Column("written_off_minor", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_loans"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_financing_loans_institution_id_institutions"),
        sa.ForeignKeyConstraint(["product_id"], ["financing_products.id"], name="fk_financing_loans_product_id_financing_products"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name="fk_financing_loans_customer_id_customers"),
    )
    op.create_index("ix_financing_loans_institution_customer", "financing_loans", ["institution_id", "customer_id"])
    op.create_index("ix_financing_loans_institution_status", "financing_loans", ["institution_id", "status"])
    op.create_table(
        "financing_loan_dpd_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("dpd", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(16), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_loan_dpd_history"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_financing_loan_dpd_history_institution_id_institutions"),
        sa.ForeignKeyConstraint(["loan_id"], ["financing_loans.id"], name="fk_financing_loan_dpd_history_loan_id_financing_loans"),
    )
    op.create_index("ix_financing_loan_dpd_history_loan", "financing_loan_dpd_history", ["loan_id", "as_of"])
    op.create_table(
        "financing_loan_repayments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("allocation", sa.JSON(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("reference", sa.String(128), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_loan_repayments"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_financing_loan_repayments_institution_id_institutions"),
        sa.ForeignKeyConstraint(["loan_id"], ["financing_loans.id"], name="fk_financing_loan_repayments_loan_id_financing_loans"),
    )
    op.create_index("ix_financing_loan_repayments_loan", "financing_loan_repayments", ["loan_id"])


def downgrade() -> None:
    op.drop_index("ix_financing_loan_repayments_loan", table_name="financing_loan_repayments")
    op.drop_table("financing_loan_repayments")
    op.drop_index("ix_financing_loan_dpd_history_loan", table_name="financing_loan_dpd_history")
    op.drop_table("financing_loan_dpd_history")
    op.drop_index("ix_financing_loans_institution_status", table_name="financing_loans")
    op.drop_index("ix_financing_loans_institution_customer", table_name="financing_loans")
    op.drop_table("financing_loans")
    op.drop_table("financing_lpr_rates")
    op.drop_table("financing_products")
