"""financing: underwriting tables

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "financing_underwriting_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("gross_limit_minor", sa.BigInteger(), nullable=False),
        sa.Column("existing_exposure_minor", sa.BigInteger(), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_financing_underwriting_decisions"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_financing_underwriting_decisions_institution_id_institutions"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name="fk_financing_underwriting_decisions_customer_id_customers"),
    )
    op.create_index(
        "ix_financing_underwriting_decisions_institution_customer",
        "financing_underwriting_decisions",
        ["institution_id", "customer_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_financing_underwriting_decisions_institution_customer", table_name="financing_underwriting_decisions")
    op.drop_table("financing_underwriting_decisions")
