"""the parts of batch statement entries: one row per camt TxDtls of an entry
with several (references, amount, counterparty, remittance), and the ledger
entry each part was matched to

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recon_line_parts',
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('end_to_end_ref', sa.String(length=128), nullable=True),
    sa.Column('instruction_id', sa.String(length=128), nullable=True),
    sa.Column('tx_id', sa.String(length=128), nullable=True),
    sa.Column('bank_ref', sa.String(length=128), nullable=True),
    sa.Column('reference', sa.String(length=256), nullable=True),
    sa.Column('counterparty_name', sa.String(length=200), nullable=True),
    sa.Column('counterparty_account', sa.String(length=64), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('matched_entry_id', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_line_parts_institution_id_institutions')),
    sa.ForeignKeyConstraint(['line_id'], ['recon_lines.id'], name=op.f('fk_recon_line_parts_line_id_recon_lines')),
    sa.PrimaryKeyConstraint('line_id', 'idx', name=op.f('pk_recon_line_parts'))
    )


def downgrade() -> None:
    op.drop_table('recon_line_parts')
