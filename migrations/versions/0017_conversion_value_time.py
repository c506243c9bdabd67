"""conversions carry a value time (value_at): the instant the conversion
takes effect, whose China-time day gives its rate day and quota year
(existing rows: their recording time)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversions') as batch:
        batch.add_column(sa.Column('value_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE conversions SET value_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('conversions') as batch:
        batch.drop_column('value_at')
