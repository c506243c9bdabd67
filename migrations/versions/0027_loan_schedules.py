"""financing: a loan's repayment schedule

``financing_loans.schedule`` (JSON, nullable): the schedule computed at
disbursement by the product's method and what has been paid of each
instalment (``financing.loan_schedule``).  Loans disbursed before it have
none and keep the rules they had (days past due and penalty from the due
date).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('financing_loans') as batch:
        batch.add_column(sa.Column('schedule', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('financing_loans') as batch:
        batch.drop_column('schedule')
