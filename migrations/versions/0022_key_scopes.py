"""access control: API key scopes

Every key gets ``api_keys.scopes`` (a JSON list of scope names, see
``api.scopes``).  Keys issued before scopes existed keep working: system
keys get every scope except ``keys:manage`` and ``users:manage`` (those are
never given without asking), platform keys get ``tradedata:write``.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

#: a copy, not an import: a migration stays what it was when written
MIGRATED_SYSTEM_SCOPES = [
    "ledger:read", "ledger:write", "settlement:read", "settlement:write", "tradedata:write", "financing:read", "financing:write",
    "recon:read", "recon:write", "customers:read", "customers:write", "reports:read", "audit:read", "approvals:read", "webhooks:manage",
]
PLATFORM_SCOPES = ["tradedata:write"]


def upgrade() -> None:
    with op.batch_alter_table('api_keys') as batch:
        batch.add_column(sa.Column('scopes', sa.JSON(), nullable=True))
    keys = sa.table('api_keys', sa.column('role', sa.String()), sa.column('scopes', sa.JSON()))
    op.execute(keys.update().where(keys.c.role == 'platform').values(scopes=PLATFORM_SCOPES))
    op.execute(keys.update().where(keys.c.role != 'platform').values(scopes=MIGRATED_SYSTEM_SCOPES))
    with op.batch_alter_table('api_keys') as batch:
        batch.alter_column('scopes', existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('api_keys') as batch:
        batch.drop_column('scopes')
