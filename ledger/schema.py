"""Table definitions of the ledger (SQLAlchemy Core).

The schema is created only by Alembic migrations (``migrations/``); these
definitions describe it for queries, and a test checks that both agree on
SQLite and PostgreSQL.

Design notes (why, briefly):

* ids are client-generated UUIDv7 (time ordered, no global sequence on the
  hot path, ready for distributed SQL);
* a transaction row *seals* its postings: postings are written first, then the
  transaction row, whose insert the database refuses unless the postings sum
  to zero per currency; postings cannot be added to a sealed transaction and
  neither table accepts UPDATE or DELETE (triggers, see the migration);
* current balances live on the account row (O(1) reads); each posting carries
  the account's running posted balance and a per-account version, so the
  balance as of a recorded instant is a binary search over the account's
  versions (recorded times follow them; no index on the recorded time); per-day deltas and
  running totals by effective date answer "balance as of value date" with
  one index probe per account, whatever the history after that date.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from .types import TS  # aware UTC timestamps on every database

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

institutions = Table(
    "institutions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("created_at", TS, nullable=False),
    CheckConstraint("kind IN ('bank', 'payment_institution', 'operator')", name="kind"),
)

ledgers = Table(
    "ledgers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("created_at", TS, nullable=False),
    # Chain head: last sequence number, its hash, and the last recorded_at
    # (kept monotonic so "as of a recorded instant" is well defined).
    Column("chain_seq", BigInteger, nullable=False, server_default="0"),
    Column("chain_head", String(64), nullable=False),
    Column("last_recorded_at", TS, nullable=True),
    UniqueConstraint("institution_id", "code", name="uq_ledgers_institution_code"),
)

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")

accounts = Table(
    "accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("ledger_id", Uuid, nullable=False),
    Column("code", String(128), nullable=False),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("type", String(16), nullable=False),
    Column("owner_ref", String(128), nullable=True),
    Column("metadata", JSON, nullable=False),
    Column("debits_must_not_exceed_credits", Boolean, nullable=False),
    Column("credits_must_not_exceed_debits", Boolean, nullable=False),
    Column("closed", Boolean, nullable=False),
    Column("debits_posted", BigInteger, nullable=False),
    Column("credits_posted", BigInteger, nullable=False),
    Column("debits_pending", BigInteger, nullable=False),
    Column("credits_pending", BigInteger, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("ledger_id", "code", "institution_id", name="uq_accounts_ledger_code"),
    CheckConstraint("type IN ('asset', 'liability', 'equity', 'income', 'expense')", name="type"),
    CheckConstraint(
        "NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)", name="one_limit_flag"
    ),
    CheckConstraint(
        "debits_posted >= 0 AND credits_posted >= 0 AND debits_pending >= 0 AND credits_pending >= 0",
        name="non_negative",
    ),
    CheckConstraint(
        "NOT debits_must_not_exceed_credits OR debits_posted + debits_pending <= credits_posted",
        name="debits_within_credits",
    ),
    CheckConstraint(
        "NOT credits_must_not_exceed_debits OR credits_posted + credits_pending <= debits_posted",
        name="credits_within_debits",
    ),
    ForeignKeyConstraint(["ledger_id", "institution_id"], ["ledgers.id", "ledgers.institution_id"]),
)
Index("ix_accounts_institution_owner", accounts.c.institution_id, accounts.c.owner_ref)

#: Foreign keys PostgreSQL checks once per statement in the journal's triggers
#: (``xb_postings_sealed``, ``xb_transactions_balanced``; migration 0031)
#: instead of row by row: declared here (SQLite keeps them as foreign keys),
#: absent from PostgreSQL's catalog.  Accounts and ledgers refuse DELETE and
#: re-keying there; transactions are immutable.  ``postings -> transactions``
#: (a posting whose transaction never comes) is counted by those triggers in
#: :data:`ledger_open_journal` and checked once per database transaction at
#: COMMIT (migration 0032).
STATEMENT_CHECKED_FKS = frozenset(
    {
        "fk_postings_account_id_accounts",
        "fk_postings_transaction_id_transactions",
        "fk_transactions_institution_id_institutions",
        "fk_transactions_ledger_id_ledgers",
        "fk_transactions_pending_id_transactions",
        "fk_transactions_reverses_id_transactions",
    }
)

TRANSACTION_KINDS = ("standard", "pending", "post_pending", "void_pending", "expire_pending", "reversal")

transactions = Table(
    "transactions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("ledger_id", Uuid, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("recorded_at", TS, nullable=False),
    Column("description", String(500), nullable=False),
    Column("metadata", JSON, nullable=False),
    # a post/void/expiry consumes its pending transaction once; a reversal
    # reverses its original once: both enforced by unique constraints.
    Column("pending_id", Uuid, nullable=True),
    Column("reverses_id", Uuid, nullable=True),
    Column("expires_at", TS, nullable=True),
    Column("idempotency_key", String(200), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("ledger_id", "seq", "institution_id", name="uq_transactions_ledger_seq"),
    CheckConstraint(
        "kind IN ('standard', 'pending', 'post_pending', 'void_pending', 'expire_pending', 'reversal')",
        name="kind",
    ),
    ForeignKeyConstraint(["ledger_id", "institution_id"], ["ledgers.id", "ledgers.institution_id"]),
    ForeignKeyConstraint(["pending_id", "institution_id"], ["transactions.id", "transactions.institution_id"]),
    UniqueConstraint("pending_id", "institution_id", name="uq_transactions_pending_id"),
    ForeignKeyConstraint(["reverses_id", "institution_id"], ["transactions.id", "transactions.institution_id"]),
    UniqueConstraint("reverses_id", "institution_id", name="uq_transactions_reverses_id"),
)
# the expiry sweeper's index holds open-ended pending transactions only (a
# partial index: the other kinds, nearly every row, write no entry)
Index(
    "ix_transactions_pending_expires",
    transactions.c.expires_at,
    postgresql_where=text("kind = 'pending'"),
    sqlite_where=text("kind = 'pending'"),
)

postings = Table(
    "postings",
    metadata,
    Column("transaction_id", Uuid, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("institution_id", Uuid, nullable=False),
    Column("ledger_id", Uuid, nullable=False),
    Column("account_id", Uuid, nullable=False),
    Column("currency", String(3), nullable=False),
    # signed minor units: debit positive, credit negative
    Column("amount", BigInteger, nullable=False),
    # 'posted' moves posted balances; 'hold' (a pending transaction) and
    # 'release' (its post, void or expiry) move pending balances
    Column("phase", String(8), nullable=False),
    Column("account_version", BigInteger, nullable=False),
    # the account's posted debits - credits after this posting
    Column("balance_after", BigInteger, nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("recorded_at", TS, nullable=False),
    PrimaryKeyConstraint("transaction_id", "line_no", "institution_id", name="pk_postings"),
    ForeignKeyConstraint(
        ["transaction_id", "institution_id"],
        ["transactions.id", "transactions.institution_id"],
        name="fk_postings_transaction_id_transactions",
        deferrable=True,
        initially="DEFERRED",
    ),
    UniqueConstraint("account_id", "account_version", "institution_id", name="uq_postings_account_version"),
    CheckConstraint("amount <> 0", name="non_zero"),
    CheckConstraint("phase IN ('posted', 'hold', 'release')", name="phase"),
    ForeignKeyConstraint(["account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)

account_day_balances = Table(
    "account_day_balances",
    metadata,
    Column("account_id", Uuid, nullable=False),
    Column("day", Date, nullable=False),
    Column("institution_id", Uuid, nullable=False),
    Column("debits", BigInteger, nullable=False),
    Column("credits", BigInteger, nullable=False),
    # the account's debits and credits posted with value dates up to the end
    # of ``day`` (a back-dated posting moves the later days too): the
    # balance as of a value date is the last row on or before it
    Column("cum_debits", BigInteger, nullable=False, server_default="0"),
    Column("cum_credits", BigInteger, nullable=False, server_default="0"),
    PrimaryKeyConstraint("account_id", "day", "institution_id", name="pk_account_day_balances"),
    ForeignKeyConstraint(["account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)

#: PostgreSQL (migration 0032): per database transaction and institution, how
#: many transactions have postings written but no transaction row yet.  The
#: journal's triggers keep the count; a deferred trigger deletes the row at
#: COMMIT and refuses the commit unless it is zero.  Always empty between
#: transactions (and on SQLite, which checks that foreign key itself).
ledger_open_journal = Table(
    "ledger_open_journal",
    metadata,
    Column("xact", BigInteger, nullable=False),
    Column("institution_id", Uuid, nullable=False),
    Column("open", BigInteger, nullable=False),
    PrimaryKeyConstraint("xact", "institution_id"),
)

ledger_idempotency = Table(
    "ledger_idempotency",
    metadata,
    Column("institution_id", Uuid, nullable=False),
    Column("key", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("transaction_id", Uuid, nullable=True),
    Column("error", JSON, nullable=True),
    Column("created_at", TS, nullable=False),
    PrimaryKeyConstraint("institution_id", "key", name="pk_ledger_idempotency"),
)

chain_checkpoints = Table(
    "chain_checkpoints",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("ledger_id", Uuid, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("signature", Text, nullable=False),
    UniqueConstraint("ledger_id", "seq", "institution_id", name="uq_chain_checkpoints_ledger_seq"),
    ForeignKeyConstraint(["ledger_id", "institution_id"], ["ledgers.id", "ledgers.institution_id"]),
)

# -- plumbing every package uses (written by ledger.events) ----------------

#: the transactional outbox: an event exists iff the change it reports was
#: committed; the webhook dispatcher delivers it afterwards
outbox_events = Table(
    "outbox_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("type", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    # set once the dispatcher has created the deliveries for it
    Column("dispatched_at", TS, nullable=True),
)
Index("ix_outbox_events_institution_created", outbox_events.c.institution_id, outbox_events.c.created_at)
Index("ix_outbox_events_dispatched", outbox_events.c.dispatched_at)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=True),
    Column("actor_type", String(16), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", String(64), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("request_id", String(64), nullable=True),
    Column("created_at", TS, nullable=False),
)
Index("ix_audit_log_institution_created", audit_log.c.institution_id, audit_log.c.created_at)
