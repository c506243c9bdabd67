"""personal data at rest: the counterparty name and account and the free
text of statement lines (and of their parts) are sealed with the
personal-data key, so their columns hold ciphertext (Text)

The data itself is converted by ``xborder keys rotate`` (run it once after
this upgrade): it seals the rows written in clear before (statement
counterparties, held trade-data lines), and recomputes every blind index
and registry key under the deployment registry key (customers' ID number
index, quota registry, conversion log, watch list, S6 registry, evidence
registry).  A downgrade keeps the ciphertext: values longer than the old
column sizes make it fail on PostgreSQL (decrypt them first).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

_TABLES = ('recon_lines', 'recon_line_parts')


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column('counterparty_name', existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=True)
            batch.alter_column('counterparty_account', existing_type=sa.String(length=64), type_=sa.Text(), existing_nullable=True)
            batch.alter_column('description', existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=False)


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column('description', existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=False)
            batch.alter_column('counterparty_account', existing_type=sa.Text(), type_=sa.String(length=64), existing_nullable=True)
            batch.alter_column('counterparty_name', existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=True)
