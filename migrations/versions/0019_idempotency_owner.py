"""an in-flight HTTP idempotency record names the process that owns it
(host, boot, pid, process start), so a retry can take it over at once when
that process has died instead of waiting for the lease

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('http_idempotency') as batch:
        batch.add_column(sa.Column('owner', sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('http_idempotency') as batch:
        batch.drop_column('owner')
