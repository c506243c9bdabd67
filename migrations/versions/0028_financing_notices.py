"""financing: lifecycle notices (#17), who closed a margin call

``financing_notices``: once-only facts of the loan lifecycle an SME user or
the institution is told about (an offer ready, a payment due in 3 days, a
loan overdue, a margin call, an advance on an expired credit-insurance
policy), each also a webhook event; the unique ``dedupe_key`` makes the
daily checks idempotent.  ``financing_margin_calls.closed_by``: who closed
a call (the user who cured it by pledging more receipts).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'financing_notices',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('institution_id', sa.Uuid(), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('loan_id', sa.Uuid(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', 'institution_id', name=op.f('pk_financing_notices')),
        sa.UniqueConstraint('institution_id', 'dedupe_key', name='uq_financing_notices_institution_dedupe_key'),
    )
    op.create_index('ix_financing_notices_customer', 'financing_notices', ['institution_id', 'customer_id', 'id'])
    with op.batch_alter_table('financing_margin_calls') as batch:
        batch.add_column(sa.Column('closed_by', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('financing_margin_calls') as batch:
        batch.drop_column('closed_by')
    op.drop_index('ix_financing_notices_customer', table_name='financing_notices')
    op.drop_table('financing_notices')
