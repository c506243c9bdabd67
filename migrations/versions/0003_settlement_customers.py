"""settlement: customers (merchants and individuals, personal data encrypted)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("fx_class", sa.String(1), nullable=True),
        sa.Column("directory_registered", sa.Boolean(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("negative_listed", sa.Boolean(), nullable=False),
        sa.Column("negative_list_reason", sa.String(200), nullable=True),
        sa.Column("due_diligence_on", sa.Date(), nullable=True),
        sa.Column("due_diligence_by", sa.String(64), nullable=True),
        sa.Column("name_enc", sa.Text(), nullable=False),
        sa.Column("id_number_enc", sa.Text(), nullable=True),
        sa.Column("phone_enc", sa.Text(), nullable=True),
        sa.Column("id_index", sa.String(64), nullable=True),
        sa.Column("currencies", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_customers_institution_id_institutions"),
        sa.UniqueConstraint("institution_id", "ref", name="uq_customers_institution_ref"),
    )
    op.create_index("ix_customers_institution_id_index", "customers", ["institution_id", "id_index"])


def downgrade() -> None:
    op.drop_index("ix_customers_institution_id_index", table_name="customers")
    op.drop_table("customers")
