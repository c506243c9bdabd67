"""running totals by value date: ``account_day_balances`` carries each
account's cumulative debits and credits posted up to the end of the day, so
a balance (or a trial balance) as of a value date is one index probe per
account whatever the history after that date; the write path keeps them
(a back-dated posting also moves the later days of its account).  On
PostgreSQL the two tables updated in place by every batch (``accounts``,
``account_day_balances``) leave room in their pages, so those updates stay
heap-only (no new index entries).  ``postings`` loses its index on
(account, recorded time): the balance as of a recorded instant is a binary
search over the account's versions (recorded times follow versions).
``transactions`` loses its unused index by recorded time, and the expiry
sweeper's index keeps pending transactions only.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

_BACKFILL = """
UPDATE account_day_balances SET cum_debits = w.cd, cum_credits = w.cc
FROM (
  SELECT account_id AS a, day AS d,
         sum(debits) OVER (PARTITION BY account_id ORDER BY day) AS cd,
         sum(credits) OVER (PARTITION BY account_id ORDER BY day) AS cc
  FROM account_day_balances
) AS w
WHERE account_day_balances.account_id = w.a AND account_day_balances.day = w.d
"""


def upgrade() -> None:
    with op.batch_alter_table('account_day_balances') as batch:
        batch.add_column(sa.Column('cum_debits', sa.BigInteger(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('cum_credits', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(_BACKFILL)
    # the balance as of a recorded instant searches the (account, version)
    # key instead: one index fewer for every posting written
    op.drop_index('ix_postings_account_recorded', table_name='postings')
    # transactions: the index by recorded time served no query; the expiry
    # sweeper's index becomes partial (pending transactions only)
    op.drop_index('ix_transactions_institution_recorded', table_name='transactions')
    op.drop_index('ix_transactions_kind_expires', table_name='transactions')
    op.create_index(
        'ix_transactions_pending_expires', 'transactions', ['expires_at'],
        postgresql_where=sa.text("kind = 'pending'"), sqlite_where=sa.text("kind = 'pending'"),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE accounts SET (fillfactor = 70)')
        op.execute('ALTER TABLE account_day_balances SET (fillfactor = 70)')


def downgrade() -> None:
    op.drop_index('ix_transactions_pending_expires', table_name='transactions')
    op.create_index('ix_transactions_kind_expires', 'transactions', ['kind', 'expires_at'])
    op.create_index('ix_transactions_institution_recorded', 'transactions', ['institution_id', 'recorded_at'])
    op.create_index('ix_postings_account_recorded', 'postings', ['account_id', 'recorded_at', 'account_version'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE accounts RESET (fillfactor)')
        op.execute('ALTER TABLE account_day_balances RESET (fillfactor)')
    with op.batch_alter_table('account_day_balances') as batch:
        batch.drop_column('cum_credits')
        batch.drop_column('cum_debits')
