"""recon: a reconciled account's day signed off (bank vs book)

``recon_day_signoffs``: per institution, reconciled account and day, the
bank's closing balance, the ledger's balance and the open items the
approver saw when he signed the day off, who and when (#16 item 5).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recon_day_signoffs',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('recon_account_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('bank_closing_minor', sa.BigInteger(), nullable=False),
    sa.Column('book_minor', sa.BigInteger(), nullable=False),
    sa.Column('open_items_minor', sa.BigInteger(), nullable=False),
    sa.Column('signed_by', sa.String(length=128), nullable=False),
    sa.Column('signed_by_name', sa.String(length=128), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_day_signoffs_institution_id_institutions')),
    sa.ForeignKeyConstraint(['recon_account_id', 'institution_id'], ['recon_accounts.id', 'recon_accounts.institution_id'],
                            name=op.f('fk_recon_day_signoffs_recon_account_id_recon_accounts')),
    sa.PrimaryKeyConstraint('institution_id', 'recon_account_id', 'day', name=op.f('pk_recon_day_signoffs'))
    )


def downgrade() -> None:
    op.drop_table('recon_day_signoffs')
