"""outward payments (S6 payments side) and the national S6 registry of
yearly receipts/payments totals per enterprise (keyed by the blind index of
its registration number, else its customer id); the receipts totals so far
kept per institution's customer (customer_year_totals) are added up into it

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('external_ref', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('usd_equivalent_minor', sa.BigInteger(), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('beneficiary_name', sa.String(length=200), nullable=False),
    sa.Column('beneficiary_country', sa.String(length=2), nullable=False),
    sa.Column('evidence_refs', sa.JSON(), nullable=False),
    sa.Column('merchant_kind', sa.String(length=32), nullable=False),
    sa.Column('value_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('hold_reason', sa.String(length=64), nullable=True),
    sa.Column('rate', sa.JSON(), nullable=True),
    sa.Column('transaction_id', sa.Uuid(), nullable=False),
    sa.Column('release_transaction_id', sa.Uuid(), nullable=True),
    sa.Column('released_by', sa.String(length=64), nullable=True),
    sa.Column('release_note', sa.Text(), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('institution_id', 'external_ref', name='uq_payments_institution_external_ref')
    )
    op.create_index('ix_payments_customer', 'payments', ['customer_id', 'value_date'], unique=False)
    op.create_index('ix_payments_institution_value_date', 'payments', ['institution_id', 'value_date'], unique=False)
    op.create_table('s6_registry',
    sa.Column('subject_index', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('usd_minor', sa.BigInteger(), nullable=False),
    sa.Column('warned', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('subject_index', 'year', 'direction', name='pk_s6_registry')
    )
    _copy_receipt_totals()


def _copy_receipt_totals() -> None:
    """One national row per (enterprise, year) from the per-customer totals."""
    conn = op.get_bind()
    totals = sa.table('customer_year_totals', sa.column('customer_id', sa.Uuid()), sa.column('year', sa.Integer()),
                      sa.column('receipts_usd_minor', sa.BigInteger()), sa.column('warned', sa.Boolean()))
    customers = sa.table('customers', sa.column('id', sa.Uuid()), sa.column('id_index', sa.String()))
    rows = conn.execute(
        sa.select(totals.c.customer_id, customers.c.id_index, totals.c.year, totals.c.receipts_usd_minor, totals.c.warned)
        .select_from(totals.outerjoin(customers, customers.c.id == totals.c.customer_id))
    )
    merged: dict[tuple[str, int], list] = {}
    for r in rows:
        key = (r.id_index or f"cust:{r.customer_id}", int(r.year))
        t = merged.setdefault(key, [0, False])
        t[0] += int(r.receipts_usd_minor)
        t[1] = t[1] or bool(r.warned)
    if merged:
        registry = sa.table('s6_registry', sa.column('subject_index', sa.String()), sa.column('year', sa.Integer()), sa.column('direction', sa.String()),
                            sa.column('usd_minor', sa.BigInteger()), sa.column('warned', sa.Boolean()))
        conn.execute(registry.insert(), [dict(subject_index=s, year=y, direction='receipts', usd_minor=t[0], warned=t[1]) for (s, y), t in sorted(merged.items())])


def downgrade() -> None:
    op.drop_table('s6_registry')
    op.drop_index('ix_payments_institution_value_date', table_name='payments')
    op.drop_index('ix_payments_customer', table_name='payments')
    op.drop_table('payments')
