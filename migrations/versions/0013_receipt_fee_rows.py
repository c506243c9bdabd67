"""receipt fees as rows: one row per (receipt, fee kind) in receipt_fees
instead of a column per kind on receipts (existing amounts are copied; a
downgrade copies them back)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

#: the kinds that had a column of their own (fee_<kind>_minor) before 0013
LEGACY_KINDS = ("warehousing", "logistics", "tax")


def upgrade() -> None:
    op.create_table('receipt_fees',
    sa.Column('receipt_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('receipt_id', 'kind', name=op.f('pk_receipt_fees'))
    )
    for kind in LEGACY_KINDS:
        op.execute(
            f"INSERT INTO receipt_fees (receipt_id, kind, institution_id, amount_minor) "
            f"SELECT id, '{kind}', institution_id, fee_{kind}_minor FROM receipts WHERE fee_{kind}_minor > 0"
        )
    with op.batch_alter_table('receipts') as batch:
        for kind in LEGACY_KINDS:
            batch.drop_column(f'fee_{kind}_minor')


def downgrade() -> None:
    with op.batch_alter_table('receipts') as batch:
        for kind in LEGACY_KINDS:
            batch.add_column(sa.Column(f'fee_{kind}_minor', sa.BigInteger(), nullable=True))
    for kind in LEGACY_KINDS:
        op.execute(
            f"UPDATE receipts SET fee_{kind}_minor = COALESCE((SELECT f.amount_minor FROM receipt_fees f "
            f"WHERE f.receipt_id = receipts.id AND f.kind = '{kind}'), 0)"
        )
    op.drop_table('receipt_fees')
    with op.batch_alter_table('receipts') as batch:
        for kind in LEGACY_KINDS:
            batch.alter_column(f'fee_{kind}_minor', existing_type=sa.BigInteger(), nullable=False)
