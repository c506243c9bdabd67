"""settlement: netting tables

Advances of overseas fees (S4) and multilateral netting cycles (S7, S8):
advances, advance_settlements, netting_cycles, netting_obligations,
netting_positions, netting_instructions (see settlement/tables_netting.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{referred}.id"], name=f"fk_{table}_{column}_{referred}")


def upgrade() -> None:
    op.create_table(
        "advances",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_id", sa.Uuid(), nullable=False),
        sa.Column("merchant_ref", sa.String(128), nullable=False),
        sa.Column("provider_ref", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("outstanding_minor", sa.BigInteger(), nullable=False),
        sa.Column("advance_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reference", sa.String(128), nullable=True),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("receivable_account_id", sa.Uuid(), nullable=False),
        sa.Column("payable_account_id", sa.Uuid(), nullable=False),
        sa.Column("repay_account_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("settled_at", TS, nullable=True),
        sa.Column("flagged_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_advances"),
        _fk("advances", "institution_id", "institutions"),
        _fk("advances", "ledger_id", "ledgers"),
        _fk("advances", "receivable_account_id", "accounts"),
        _fk("advances", "payable_account_id", "accounts"),
        _fk("advances", "repay_account_id", "accounts"),
        sa.UniqueConstraint("institution_id", "idempotency_key", name="uq_advances_institution_idempotency_key"),
        sa.CheckConstraint("amount_minor > 0", name="ck_advances_amount_positive"),
        sa.CheckConstraint("outstanding_minor >= 0 AND outstanding_minor <= amount_minor", name="ck_advances_outstanding_within_amount"),
        sa.CheckConstraint("status IN ('outstanding', 'settled')", name="ck_advances_status"),
        sa.CheckConstraint("kind IN ('warehousing', 'logistics', 'tax')", name="ck_advances_kind"),
    )
    op.create_index("ix_advances_institution_merchant", "advances", ["institution_id", "merchant_ref", "currency", "advance_date"])
    op.create_index("ix_advances_institution_provider", "advances", ["institution_id", "provider_ref"])
    op.create_index("ix_advances_institution_status", "advances", ["institution_id", "status", "advance_date"])

    op.create_table(
        "advance_settlements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("advance_id", sa.Uuid(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("source_account_id", sa.Uuid(), nullable=True),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(128), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_advance_settlements"),
        _fk("advance_settlements", "institution_id", "institutions"),
        _fk("advance_settlements", "advance_id", "advances"),
        _fk("advance_settlements", "source_account_id", "accounts"),
        sa.CheckConstraint("amount_minor > 0", name="ck_advance_settlements_amount_positive"),
        sa.CheckConstraint("source IN ('proceeds', 'account', 'outside')", name="ck_advance_settlements_source"),
    )
    op.create_index("ix_advance_settlements_advance", "advance_settlements", ["advance_id", "effective_date"])
    op.create_index("ix_advance_settlements_institution_transaction", "advance_settlements", ["institution_id", "transaction_id"])

    op.create_table(
        "netting_cycles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(128), nullable=True),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("obligation_count", sa.Integer(), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_netting_cycles"),
        _fk("netting_cycles", "institution_id", "institutions"),
        _fk("netting_cycles", "ledger_id", "ledgers"),
        sa.UniqueConstraint("institution_id", "reference", name="uq_netting_cycles_institution_reference"),
        sa.CheckConstraint("kind IN ('multilateral', 'partner_bank')", name="ck_netting_cycles_kind"),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_netting_cycles_status"),
    )
    op.create_index("ix_netting_cycles_institution_opened", "netting_cycles", ["institution_id", "opened_at"])

    op.create_table(
        "netting_obligations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payer_account_id", sa.Uuid(), nullable=False),
        sa.Column("payee_account_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(128), nullable=True),
        sa.Column("batch_key", sa.String(200), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_netting_obligations"),
        _fk("netting_obligations", "institution_id", "institutions"),
        _fk("netting_obligations", "cycle_id", "netting_cycles"),
        _fk("netting_obligations", "payer_account_id", "accounts"),
        _fk("netting_obligations", "payee_account_id", "accounts"),
        sa.UniqueConstraint("cycle_id", "seq", name="uq_netting_obligations_cycle_seq"),
        sa.CheckConstraint("amount_minor > 0", name="ck_netting_obligations_amount_positive"),
        sa.CheckConstraint("payer_account_id <> payee_account_id", name="ck_netting_obligations_distinct_parties"),
    )
    op.create_index("ix_netting_obligations_cycle_batch", "netting_obligations", ["cycle_id", "batch_key"])

    op.create_table(
        "netting_positions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("receivable_minor", sa.BigInteger(), nullable=False),
        sa.Column("payable_minor", sa.BigInteger(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_netting_positions"),
        _fk("netting_positions", "institution_id", "institutions"),
        _fk("netting_positions", "cycle_id", "netting_cycles"),
        _fk("netting_positions", "account_id", "accounts"),
        sa.UniqueConstraint("cycle_id", "account_id", name="uq_netting_positions_cycle_account"),
        sa.CheckConstraint("net_minor = receivable_minor - payable_minor", name="ck_netting_positions_net_is_difference"),
    )

    op.create_table(
        "netting_instructions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("central_account_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_netting_instructions"),
        _fk("netting_instructions", "institution_id", "institutions"),
        _fk("netting_instructions", "cycle_id", "netting_cycles"),
        _fk("netting_instructions", "account_id", "accounts"),
        _fk("netting_instructions", "central_account_id", "accounts"),
        sa.UniqueConstraint("cycle_id", "seq", name="uq_netting_instructions_cycle_seq"),
        sa.CheckConstraint("amount_minor > 0", name="ck_netting_instructions_amount_positive"),
        sa.CheckConstraint("direction IN ('pay', 'receive')", name="ck_netting_instructions_direction"),
    )


def downgrade() -> None:
    for table in (
        "netting_instructions",
        "netting_positions",
        "netting_obligations",
        "netting_cycles",
        "advance_settlements",
        "advances",
    ):
        op.drop_table(table)
