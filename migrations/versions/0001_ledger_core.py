"""ledger core: institutions, ledgers, accounts, transactions, postings

The database itself guards the ledger's invariants, whatever path writes:

* a transaction row seals its postings: it can only be inserted when its
  postings (written just before, in the same database transaction) number
  two or more and sum to zero per currency;
* postings cannot be added to an already recorded transaction;
* transactions and postings accept no UPDATE and no DELETE;
* account balance flags are CHECK constraints on the account row.

PostgreSQL does the sealing checks with statement-level triggers over
transition tables (one check per INSERT statement, not per row); SQLite,
which has only row triggers, checks per row.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_institutions"),
        sa.UniqueConstraint("code", name="uq_institutions_code"),
        sa.CheckConstraint("kind IN ('bank', 'payment_institution', 'operator')", name="ck_institutions_kind"),
    )
    op.create_table(
        "ledgers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("chain_seq", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("chain_head", sa.String(64), nullable=False),
        sa.Column("last_recorded_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ledgers"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_ledgers_institution_id_institutions"),
        sa.UniqueConstraint("institution_id", "code", name="uq_ledgers_institution_code"),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(128), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("owner_ref", sa.String(128), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("debits_must_not_exceed_credits", sa.Boolean(), nullable=False),
        sa.Column("credits_must_not_exceed_debits", sa.Boolean(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("debits_posted", sa.BigInteger(), nullable=False),
        sa.Column("credits_posted", sa.BigInteger(), nullable=False),
        sa.Column("debits_pending", sa.BigInteger(), nullable=False),
        sa.Column("credits_pending", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_accounts_institution_id_institutions"),
        sa.ForeignKeyConstraint(["ledger_id"], ["ledgers.id"], name="fk_accounts_ledger_id_ledgers"),
        sa.UniqueConstraint("ledger_id", "code", name="uq_accounts_ledger_code"),
        sa.CheckConstraint("type IN ('asset', 'liability', 'equity', 'income', 'expense')", name="ck_accounts_type"),
        sa.CheckConstraint("NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)", name="ck_accounts_one_limit_flag"),
        sa.CheckConstraint(
            "debits_posted >= 0 AND credits_posted >= 0 AND debits_pending >= 0 AND credits_pending >= 0",
            name="ck_accounts_non_negative",
        ),
        sa.CheckConstraint(
            "NOT debits_must_not_exceed_credits OR debits_posted + debits_pending <= credits_posted",
            name="ck_accounts_debits_within_credits",
        ),
        sa.CheckConstraint(
            "NOT credits_must_not_exceed_debits OR credits_posted + credits_pending <= debits_posted",
            name="ck_accounts_credits_within_debits",
        ),
    )
    op.create_index("ix_accounts_institution_owner", "accounts", ["institution_id", "owner_ref"])
    op.create_table(
        "transactions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("pending_id", sa.Uuid(), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_transactions"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name="fk_transactions_institution_id_institutions"),
        sa.ForeignKeyConstraint(["ledger_id"], ["ledgers.id"], name="fk_transactions_ledger_id_ledgers"),
        sa.ForeignKeyConstraint(["pending_id"], ["transactions.id"], name="fk_transactions_pending_id_transactions"),
        sa.ForeignKeyConstraint(["reverses_id"], ["transactions.id"], name="fk_transactions_reverses_id_transactions"),
        sa.UniqueConstraint("pending_id", name="uq_transactions_pending_id"),
        sa.UniqueConstraint("reverses_id", name="uq_transactions_reverses_id"),
        sa.UniqueConstraint("ledger_id", "seq", name="uq_transactions_ledger_seq"),
        sa.CheckConstraint(
            "kind IN ('standard', 'pending', 'post_pending', 'void_pending', 'expire_pending', 'reversal')",
            name="ck_transactions_kind",
        ),
    )
    op.create_index("ix_transactions_institution_recorded", "transactions", ["institution_id", "recorded_at"])
    op.create_index("ix_transactions_kind_expires", "transactions", ["kind", "expires_at"])
    op.create_table(
        "postings",
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("phase", sa.String(8), nullable=False),
        sa.Column("account_version", sa.BigInteger(), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("transaction_id", "line_no", name="pk_postings"),
        sa.ForeignKeyConstraint(
            ["transaction_id"], ["transactions.id"], name="fk_postings_transaction_id_transactions", deferrable=True, initially="DEFERRED"
        ),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_postings_account_id_accounts"),
        sa.UniqueConstraint("account_id", "account_version", name="uq_postings_account_version"),
        sa.CheckConstraint("amount <> 0", name="ck_postings_non_zero"),
        sa.CheckConstraint("phase IN ('posted', 'hold', 'release')", name="ck_postings_phase"),
    )
    op.create_index("ix_postings_account_recorded", "postings", ["account_id", "recorded_at", "account_version"])
    op.create_table(
        "account_day_balances",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("debits", sa.BigInteger(), nullable=False),
        sa.Column("credits", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "day", name="pk_account_day_balances"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_account_day_balances_account_id_accounts"),
    )
    op.create_table(
        "ledger_idempotency",
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "key", name="pk_ledger_idempotency"),
    )
    op.create_table(
        "chain_checkpoints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_chain_checkpoints"),
        sa.ForeignKeyConstraint(["ledger_id"], ["ledgers.id"], name="fk_chain_checkpoints_ledger_id_ledgers"),
        sa.UniqueConstraint("ledger_id", "seq", name="uq_chain_checkpoints_ledger_seq"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgres_guards()
    else:
        _sqlite_guards()


def _postgres_guards() -> None:
    op.execute(
        """
        CREATE FUNCTION xb_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'xborder: % rows are immutable (post a reversal instead)', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION xb_postings_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM new_postings p JOIN transactions t ON t.id = p.transaction_id) THEN
                RAISE EXCEPTION 'xborder: postings cannot be added to a recorded transaction'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION xb_transactions_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE bad record;
        BEGIN
            SELECT t.id INTO bad FROM new_transactions t
                LEFT JOIN postings p ON p.transaction_id = t.id
                GROUP BY t.id HAVING count(p.transaction_id) < 2 LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'xborder: transaction % has fewer than two postings', bad.id
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            SELECT t.id, p.currency, sum(p.amount) AS diff INTO bad FROM new_transactions t
                JOIN postings p ON p.transaction_id = t.id
                GROUP BY t.id, p.currency HAVING sum(p.amount) <> 0 LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'xborder: unbalanced transaction %: % postings sum to %', bad.id, bad.currency, bad.diff
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    for table in ("transactions", "postings"):
        op.execute(f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION xb_immutable()")
    op.execute(
        "CREATE TRIGGER postings_sealed AFTER INSERT ON postings REFERENCING NEW TABLE AS new_postings "
        "FOR EACH STATEMENT EXECUTE FUNCTION xb_postings_sealed()"
    )
    op.execute(
        "CREATE TRIGGER transactions_balanced AFTER INSERT ON transactions REFERENCING NEW TABLE AS new_transactions "
        "FOR EACH STATEMENT EXECUTE FUNCTION xb_transactions_balanced()"
    )


def _sqlite_guards() -> None:
    for table in ("transactions", "postings"):
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_immutable_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'xborder: {table} rows are immutable (post a reversal instead)'); END"
            )
    op.execute(
        "CREATE TRIGGER postings_sealed BEFORE INSERT ON postings "
        "WHEN EXISTS (SELECT 1 FROM transactions WHERE id = NEW.transaction_id) "
        "BEGIN SELECT RAISE(ABORT, 'xborder: postings cannot be added to a recorded transaction'); END"
    )
    op.execute(
        "CREATE TRIGGER transactions_balanced BEFORE INSERT ON transactions "
        "WHEN (SELECT count(*) FROM postings WHERE transaction_id = NEW.id) < 2 "
        "OR EXISTS (SELECT 1 FROM postings WHERE transaction_id = NEW.id GROUP BY currency HAVING sum(amount) <> 0) "
        "BEGIN SELECT RAISE(ABORT, 'xborder: unbalanced transaction or fewer than two postings'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trig, table in (
            ("transactions_balanced", "transactions"),
            ("postings_sealed", "postings"),
            ("transactions_immutable", "transactions"),
            ("postings_immutable", "postings"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trig} ON {table}")
        for fn in ("xb_transactions_balanced", "xb_postings_sealed", "xb_immutable"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
    else:
        for trig in (
            "transactions_balanced",
            "postings_sealed",
            "transactions_immutable_update",
            "transactions_immutable_delete",
            "postings_immutable_update",
            "postings_immutable_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trig}")
    for table in (
        "chain_checkpoints",
        "ledger_idempotency",
        "account_day_balances",
        "postings",
        "transactions",
        "accounts",
        "ledgers",
        "institutions",
    ):
        op.drop_table(table)
