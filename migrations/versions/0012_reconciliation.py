"""reconciliation: accounts, statements, lines, matches, proposals, runs

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('recon_csv_mappings',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_by', sa.String(length=128), nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_csv_mappings_institution_id_institutions')),
    sa.PrimaryKeyConstraint('institution_id', 'name', name=op.f('pk_recon_csv_mappings'))
    )
    op.create_table('recon_accounts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('bank_account', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('ledger_account_id', sa.Uuid(), nullable=False),
    sa.Column('fee_account_id', sa.Uuid(), nullable=True),
    sa.Column('adjustment_account_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['adjustment_account_id'], ['accounts.id'], name=op.f('fk_recon_accounts_adjustment_account_id_accounts')),
    sa.ForeignKeyConstraint(['fee_account_id'], ['accounts.id'], name=op.f('fk_recon_accounts_fee_account_id_accounts')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_accounts_institution_id_institutions')),
    sa.ForeignKeyConstraint(['ledger_account_id'], ['accounts.id'], name=op.f('fk_recon_accounts_ledger_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_accounts')),
    sa.UniqueConstraint('institution_id', 'bank_account', 'currency', name='uq_recon_accounts_institution_bank_account_currency'),
    sa.UniqueConstraint('ledger_account_id', name='uq_recon_accounts_ledger_account_id')
    )
    op.create_table('recon_matches',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('recon_account_id', sa.Uuid(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('difference_minor', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('fee_transaction_id', sa.Uuid(), nullable=True),
    sa.Column('proposal_id', sa.Uuid(), nullable=True),
    sa.Column('run_id', sa.Uuid(), nullable=True),
    sa.Column('created_by', sa.String(length=128), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_matches_institution_id_institutions')),
    sa.ForeignKeyConstraint(['recon_account_id'], ['recon_accounts.id'], name=op.f('fk_recon_matches_recon_account_id_recon_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_matches'))
    )
    op.create_index('ix_recon_matches_account_created', 'recon_matches', ['recon_account_id', 'created_at'], unique=False)
    op.create_table('recon_proposals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('recon_account_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('maker_id', sa.String(length=128), nullable=False),
    sa.Column('maker_name', sa.String(length=128), nullable=False),
    sa.Column('approver_id', sa.String(length=128), nullable=True),
    sa.Column('approver_name', sa.String(length=128), nullable=True),
    sa.Column('decided_at', TS, nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('transaction_id', sa.Uuid(), nullable=True),
    sa.Column('match_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_proposals_institution_id_institutions')),
    sa.ForeignKeyConstraint(['recon_account_id'], ['recon_accounts.id'], name=op.f('fk_recon_proposals_recon_account_id_recon_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_proposals'))
    )
    op.create_index('ix_recon_proposals_institution_status', 'recon_proposals', ['institution_id', 'status', 'created_at'], unique=False)
    op.create_table('recon_runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('recon_account_id', sa.Uuid(), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('lines_considered', sa.Integer(), nullable=False),
    sa.Column('entries_considered', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('started_at', TS, nullable=False),
    sa.Column('finished_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_runs_institution_id_institutions')),
    sa.ForeignKeyConstraint(['recon_account_id'], ['recon_accounts.id'], name=op.f('fk_recon_runs_recon_account_id_recon_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_runs'))
    )
    op.create_index('ix_recon_runs_account_started', 'recon_runs', ['recon_account_id', 'started_at'], unique=False)
    op.create_table('recon_statements',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('recon_account_id', sa.Uuid(), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('statement_id', sa.String(length=128), nullable=False),
    sa.Column('message_id', sa.String(length=128), nullable=True),
    sa.Column('sequence', sa.String(length=64), nullable=True),
    sa.Column('opening_balance_minor', sa.BigInteger(), nullable=True),
    sa.Column('closing_balance_minor', sa.BigInteger(), nullable=True),
    sa.Column('opening_date', sa.Date(), nullable=True),
    sa.Column('closing_date', sa.Date(), nullable=True),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('credits_minor', sa.BigInteger(), nullable=False),
    sa.Column('debits_minor', sa.BigInteger(), nullable=False),
    sa.Column('balance_mismatch_minor', sa.BigInteger(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('imported_by', sa.String(length=128), nullable=False),
    sa.Column('imported_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_statements_institution_id_institutions')),
    sa.ForeignKeyConstraint(['recon_account_id'], ['recon_accounts.id'], name=op.f('fk_recon_statements_recon_account_id_recon_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_statements')),
    sa.UniqueConstraint('institution_id', 'recon_account_id', 'statement_id', name='uq_recon_statements_institution_account_statement')
    )
    op.create_table('recon_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('recon_account_id', sa.Uuid(), nullable=False),
    sa.Column('statement_row_id', sa.Uuid(), nullable=True),
    sa.Column('parent_line_id', sa.Uuid(), nullable=True),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('booking_date', sa.Date(), nullable=True),
    sa.Column('value_date', sa.Date(), nullable=False),
    sa.Column('end_to_end_ref', sa.String(length=128), nullable=True),
    sa.Column('bank_ref', sa.String(length=128), nullable=True),
    sa.Column('reference', sa.String(length=256), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('counterparty_name', sa.String(length=200), nullable=True),
    sa.Column('counterparty_account', sa.String(length=64), nullable=True),
    sa.Column('bank_tx_code', sa.String(length=64), nullable=True),
    sa.Column('charges_minor', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recon_lines_institution_id_institutions')),
    sa.ForeignKeyConstraint(['parent_line_id'], ['recon_lines.id'], name=op.f('fk_recon_lines_parent_line_id_recon_lines')),
    sa.ForeignKeyConstraint(['recon_account_id'], ['recon_accounts.id'], name=op.f('fk_recon_lines_recon_account_id_recon_accounts')),
    sa.ForeignKeyConstraint(['statement_row_id'], ['recon_statements.id'], name=op.f('fk_recon_lines_statement_row_id_recon_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_lines'))
    )
    op.create_index('ix_recon_lines_account_status', 'recon_lines', ['recon_account_id', 'status', 'value_date'], unique=False)
    op.create_index('ix_recon_lines_statement', 'recon_lines', ['statement_row_id'], unique=False)
    op.create_table('recon_match_entries',
    sa.Column('match_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('recon_account_id', sa.Uuid(), nullable=False),
    sa.Column('transaction_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['match_id'], ['recon_matches.id'], name=op.f('fk_recon_match_entries_match_id_recon_matches')),
    sa.PrimaryKeyConstraint('transaction_id', 'line_no', name=op.f('pk_recon_match_entries'))
    )
    op.create_index('ix_recon_match_entries_match', 'recon_match_entries', ['match_id'], unique=False)
    op.create_table('recon_match_lines',
    sa.Column('match_id', sa.Uuid(), nullable=False),
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['recon_lines.id'], name=op.f('fk_recon_match_lines_line_id_recon_lines')),
    sa.ForeignKeyConstraint(['match_id'], ['recon_matches.id'], name=op.f('fk_recon_match_lines_match_id_recon_matches')),
    sa.PrimaryKeyConstraint('match_id', 'line_id', name=op.f('pk_recon_match_lines')),
    sa.UniqueConstraint('line_id', name='uq_recon_match_lines_line_id')
    )


def downgrade() -> None:
    op.drop_table('recon_match_lines')
    op.drop_index('ix_recon_match_entries_match', table_name='recon_match_entries')
    op.drop_table('recon_match_entries')
    op.drop_index('ix_recon_lines_statement', table_name='recon_lines')
    op.drop_index('ix_recon_lines_account_status', table_name='recon_lines')
    op.drop_table('recon_lines')
    op.drop_table('recon_statements')
    op.drop_index('ix_recon_runs_account_started', table_name='recon_runs')
    op.drop_table('recon_runs')
    op.drop_index('ix_recon_proposals_institution_status', table_name='recon_proposals')
    op.drop_table('recon_proposals')
    op.drop_index('ix_recon_matches_account_created', table_name='recon_matches')
    op.drop_table('recon_matches')
    op.drop_table('recon_accounts')
    op.drop_table('recon_csv_mappings')
