"""settlement: receipts, conversions, quota registry, risk alerts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = (
    "settlement_settings",
    "risk_alerts",
    "watch_list",
    "conversion_log",
    "quota_registry",
    "conversions",
    "customer_year_totals",
    "receipts",
)


def upgrade() -> None:
    op.create_table('receipts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('external_ref', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('gross_minor', sa.BigInteger(), nullable=False),
    sa.Column('fee_warehousing_minor', sa.BigInteger(), nullable=False),
    sa.Column('fee_logistics_minor', sa.BigInteger(), nullable=False),
    sa.Column('fee_tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('net_minor', sa.BigInteger(), nullable=False),
    sa.Column('usd_equivalent_minor', sa.BigInteger(), nullable=False),
    sa.Column('customs_mode', sa.String(length=4), nullable=False),
    sa.Column('destination_country', sa.String(length=2), nullable=False),
    sa.Column('merchant_kind', sa.String(length=32), nullable=False),
    sa.Column('fx_class', sa.String(length=1), nullable=True),
    sa.Column('payer', sa.String(length=200), nullable=True),
    sa.Column('value_date', sa.Date(), nullable=False),
    sa.Column('declared_value_minor', sa.BigInteger(), nullable=True),
    sa.Column('variance_minor', sa.BigInteger(), nullable=True),
    sa.Column('variance_flagged', sa.Boolean(), nullable=False),
    sa.Column('platform_code', sa.String(length=64), nullable=True),
    sa.Column('evidence_refs', sa.JSON(), nullable=False),
    sa.Column('coverage_minor', sa.BigInteger(), nullable=False),
    sa.Column('coverage_flagged', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('suspense_reason', sa.String(length=64), nullable=True),
    sa.Column('rate', sa.JSON(), nullable=True),
    sa.Column('transaction_id', sa.Uuid(), nullable=True),
    sa.Column('release_transaction_id', sa.Uuid(), nullable=True),
    sa.Column('released_by', sa.String(length=64), nullable=True),
    sa.Column('release_note', sa.Text(), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('advances_netted_minor', sa.BigInteger(), nullable=False),
    sa.Column('swept_minor', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts')),
    sa.UniqueConstraint('institution_id', 'external_ref', name='uq_receipts_institution_external_ref')
    )
    op.create_index('ix_receipts_customer', 'receipts', ['customer_id', 'value_date'], unique=False)
    op.create_index('ix_receipts_institution_value_date', 'receipts', ['institution_id', 'value_date'], unique=False)
    op.create_table('customer_year_totals',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('receipts_usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('payments_usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('warned', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('customer_id', 'year', name='pk_customer_year_totals')
    )
    op.create_table('conversions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('external_ref', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('fx_currency', sa.String(length=3), nullable=False),
    sa.Column('fx_minor', sa.BigInteger(), nullable=False),
    sa.Column('cny_minor', sa.BigInteger(), nullable=False),
    sa.Column('rate', sa.JSON(), nullable=False),
    sa.Column('usd_equivalent_minor', sa.BigInteger(), nullable=False),
    sa.Column('exempt_usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('quota_usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('reviewed_usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('quota_year', sa.Integer(), nullable=True),
    sa.Column('evidence_refs', sa.JSON(), nullable=False),
    sa.Column('reviewer', sa.String(length=64), nullable=True),
    sa.Column('review_proof', sa.Text(), nullable=True),
    sa.Column('merchant_kind', sa.String(length=32), nullable=False),
    sa.Column('customs_mode', sa.String(length=4), nullable=True),
    sa.Column('destination_country', sa.String(length=2), nullable=True),
    sa.Column('transaction_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversions')),
    sa.UniqueConstraint('institution_id', 'external_ref', name='uq_conversions_institution_external_ref')
    )
    op.create_index('ix_conversions_customer_created', 'conversions', ['customer_id', 'created_at'], unique=False)
    op.create_table('quota_registry',
    sa.Column('person_index', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('used_usd_minor', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('person_index', 'year', 'direction', name='pk_quota_registry')
    )
    op.create_table('conversion_log',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_index', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversion_log'))
    )
    op.create_index('ix_conversion_log_person_at', 'conversion_log', ['person_index', 'at'], unique=False)
    op.create_table('watch_list',
    sa.Column('person_index', sa.String(length=64), nullable=False),
    sa.Column('until_year', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('person_index', name='pk_watch_list')
    )
    op.create_table('risk_alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('subject_type', sa.String(length=24), nullable=True),
    sa.Column('subject_id', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_alerts'))
    )
    op.create_index('ix_risk_alerts_institution_created', 'risk_alerts', ['institution_id', 'created_at'], unique=False)
    op.create_table('settlement_settings',
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('institution_id', name='pk_settlement_settings')
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
