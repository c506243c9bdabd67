"""console: saved views of the exceptions queue

``console_saved_views``: per user, a name and the query string of the
exceptions queue's filters and order (issue #16 item 3).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'console_saved_views',
        sa.Column('institution_id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('query', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id', 'institution_id'], ['users.id', 'users.institution_id']),
        sa.PrimaryKeyConstraint('institution_id', 'user_id', 'name'),
    )


def downgrade() -> None:
    op.drop_table('console_saved_views')
