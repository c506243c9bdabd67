"""four eyes (separation of duties): the approval requests of privileged
actions, the lineage of users (who created, enabled and gave the role) and
of API keys (who issued them), and the pending state of users and keys
created under four eyes

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('approval_requests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('maker_type', sa.String(length=16), nullable=False),
    sa.Column('maker_id', sa.String(length=64), nullable=False),
    sa.Column('maker_name', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('checker_id', sa.String(length=64), nullable=True),
    sa.Column('checker_name', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_approval_requests_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_requests'))
    )
    op.create_index('ix_approval_requests_institution_status', 'approval_requests', ['institution_id', 'status', 'id'], unique=False)
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('created_by', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('enabled_by', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('role_granted_by', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('role_granted_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('pending', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('api_keys') as batch:
        batch.add_column(sa.Column('created_by', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('pending', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('api_keys') as batch:
        batch.drop_column('pending')
        batch.drop_column('created_by')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('pending')
        batch.drop_column('role_granted_at')
        batch.drop_column('role_granted_by')
        batch.drop_column('enabled_at')
        batch.drop_column('enabled_by')
        batch.drop_column('created_by')
    op.drop_index('ix_approval_requests_institution_status', table_name='approval_requests')
    op.drop_table('approval_requests')
