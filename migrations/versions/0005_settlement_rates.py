"""settlement: rates tables (mid rates, published and manual; spreads per pair)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "fx_rates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("base", sa.String(3), nullable=False),
        sa.Column("quote", sa.String(3), nullable=False),
        sa.Column("rate", sa.String(40), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("fetched_at", TS, nullable=False),
        sa.Column("entered_by", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_fx_rates"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_fx_rates_institution_id_institutions"),
        sa.CheckConstraint("kind IN ('published', 'manual')", name="ck_fx_rates_kind"),
        sa.CheckConstraint("kind = 'published' OR institution_id IS NOT NULL", name="ck_fx_rates_manual_has_institution"),
        sa.CheckConstraint("base <> quote", name="ck_fx_rates_distinct_currencies"),
    )
    op.create_index("ix_fx_rates_pair_date", "fx_rates", ["base", "quote", "rate_date"])
    op.create_index("ix_fx_rates_institution_date", "fx_rates", ["institution_id", "rate_date"])
    op.create_table(
        "fx_spreads",
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("base", sa.String(3), nullable=False),
        sa.Column("quote", sa.String(3), nullable=False),
        sa.Column("spread_bp", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("institution_id", "base", "quote", name="pk_fx_spreads"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_fx_spreads_institution_id_institutions"),
        sa.CheckConstraint("spread_bp >= 0 AND spread_bp < 10000", name="ck_fx_spreads_spread_range"),
    )


def downgrade() -> None:
    op.drop_table("fx_spreads")
    op.drop_index("ix_fx_rates_institution_date", table_name="fx_rates")
    op.drop_index("ix_fx_rates_pair_date", table_name="fx_rates")
    op.drop_table("fx_rates")
