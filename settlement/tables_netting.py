"""Tables of advances (S4) and netting cycles (S7, S8).

* ``advances``: a fee a provider paid on a merchant's behalf (the provider's
  receivable from the merchant), with what is still outstanding;
* ``advance_settlements``: each repayment of an advance (from proceeds,
  directly from a merchant account, or settled outside the institution);
* ``netting_cycles``: a settlement cycle, open then closed (immutable);
* ``netting_obligations``: payer owes payee an amount in a currency;
* ``netting_positions``: per participant account and currency, what it
  receives and pays in the cycle (written when the cycle closes);
* ``netting_instructions``: the settlement instructions of a closed cycle,
  each between a participant and the central settlement account.

Transaction ids are not foreign keys: a settlement of an advance may be
posted by its caller later in the same database transaction (see
``settlement.advances.settle_advances_from_proceeds``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

ADVANCE_KINDS = ("warehousing", "logistics", "tax")
ADVANCE_STATUSES = ("outstanding", "settled")
SETTLEMENT_SOURCES = ("proceeds", "account", "outside")
CYCLE_KINDS = ("multilateral", "partner_bank")
CYCLE_STATUSES = ("open", "closed")
INSTRUCTION_DIRECTIONS = ("pay", "receive")

advances = Table(
    "advances",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("ledger_id", Uuid, nullable=False),
    Column("merchant_ref", String(128), nullable=False),
    Column("provider_ref", String(128), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("outstanding_minor", BigInteger, nullable=False),
    # the business date the provider paid the fee (ages count from it)
    Column("advance_date", Date, nullable=False),
    Column("status", String(12), nullable=False),
    Column("reference", String(128), nullable=True),
    Column("description", String(500), nullable=False),
    Column("receivable_account_id", Uuid, nullable=False),
    Column("payable_account_id", Uuid, nullable=False),
    # where repayments to the provider are credited
    Column("repay_account_id", Uuid, nullable=False),
    Column("transaction_id", Uuid, nullable=False),
    Column("idempotency_key", String(200), nullable=True),
    Column("recorded_at", TS, nullable=False),
    Column("settled_at", TS, nullable=True),
    # set once by the stale-advance sweep (the flag itself is computed)
    Column("flagged_at", TS, nullable=True),
    UniqueConstraint("institution_id", "idempotency_key", name="uq_advances_institution_idempotency_key"),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("outstanding_minor >= 0 AND outstanding_minor <= amount_minor", name="outstanding_within_amount"),
    CheckConstraint("status IN ('outstanding', 'settled')", name="status"),
    CheckConstraint("kind IN ('warehousing', 'logistics', 'tax')", name="kind"),
    ForeignKeyConstraint(["ledger_id", "institution_id"], ["ledgers.id", "ledgers.institution_id"]),
    ForeignKeyConstraint(["receivable_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
    ForeignKeyConstraint(["payable_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
    ForeignKeyConstraint(["repay_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)
Index("ix_advances_institution_merchant", advances.c.institution_id, advances.c.merchant_ref, advances.c.currency, advances.c.advance_date)
Index("ix_advances_institution_provider", advances.c.institution_id, advances.c.provider_ref)
Index("ix_advances_institution_status", advances.c.institution_id, advances.c.status, advances.c.advance_date)

advance_settlements = Table(
    "advance_settlements",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("advance_id", Uuid, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("source", String(12), nullable=False),
    Column("source_account_id", Uuid, nullable=True),
    Column("transaction_id", Uuid, nullable=False),
    Column("reference", String(128), nullable=True),
    Column("effective_date", Date, nullable=False),
    Column("created_at", TS, nullable=False),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("source IN ('proceeds', 'account', 'outside')", name="source"),
    ForeignKeyConstraint(["advance_id", "institution_id"], ["advances.id", "advances.institution_id"]),
    ForeignKeyConstraint(["source_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)
Index("ix_advance_settlements_advance", advance_settlements.c.advance_id, advance_settlements.c.effective_date)
Index("ix_advance_settlements_institution_transaction", advance_settlements.c.institution_id, advance_settlements.c.transaction_id)

netting_cycles = Table(
    "netting_cycles",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("ledger_id", Uuid, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("reference", String(128), nullable=True),
    Column("description", String(500), nullable=False),
    Column("status", String(8), nullable=False),
    Column("business_date", Date, nullable=False),
    Column("obligation_count", Integer, nullable=False),
    Column("opened_at", TS, nullable=False),
    Column("closed_at", TS, nullable=True),
    Column("transaction_id", Uuid, nullable=True),
    Column("metadata", JSON, nullable=False),
    UniqueConstraint("institution_id", "reference", name="uq_netting_cycles_institution_reference"),
    CheckConstraint("kind IN ('multilateral', 'partner_bank')", name="kind"),
    CheckConstraint("status IN ('open', 'closed')", name="status"),
    ForeignKeyConstraint(["ledger_id", "institution_id"], ["ledgers.id", "ledgers.institution_id"]),
)
Index("ix_netting_cycles_institution_opened", netting_cycles.c.institution_id, netting_cycles.c.opened_at)

netting_obligations = Table(
    "netting_obligations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("cycle_id", Uuid, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("payer_account_id", Uuid, nullable=False),
    Column("payee_account_id", Uuid, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("reference", String(128), nullable=True),
    # the request that added it (a retried batch is not added twice)
    Column("batch_key", String(200), nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("cycle_id", "seq", "institution_id", name="uq_netting_obligations_cycle_seq"),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("payer_account_id <> payee_account_id", name="distinct_parties"),
    ForeignKeyConstraint(["cycle_id", "institution_id"], ["netting_cycles.id", "netting_cycles.institution_id"]),
    ForeignKeyConstraint(["payer_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
    ForeignKeyConstraint(["payee_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)
Index("ix_netting_obligations_cycle_batch", netting_obligations.c.cycle_id, netting_obligations.c.batch_key)

netting_positions = Table(
    "netting_positions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("cycle_id", Uuid, nullable=False),
    Column("account_id", Uuid, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("receivable_minor", BigInteger, nullable=False),
    Column("payable_minor", BigInteger, nullable=False),
    # receivable - payable: > 0 net receiver, < 0 net payer
    Column("net_minor", BigInteger, nullable=False),
    UniqueConstraint("cycle_id", "account_id", "institution_id", name="uq_netting_positions_cycle_account"),
    CheckConstraint("net_minor = receivable_minor - payable_minor", name="net_is_difference"),
    ForeignKeyConstraint(["cycle_id", "institution_id"], ["netting_cycles.id", "netting_cycles.institution_id"]),
    ForeignKeyConstraint(["account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)

netting_instructions = Table(
    "netting_instructions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("cycle_id", Uuid, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("account_id", Uuid, nullable=False),
    Column("central_account_id", Uuid, nullable=False),
    Column("currency", String(3), nullable=False),
    # pay: the participant pays the central account; receive: the central account pays it
    Column("direction", String(8), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("transaction_id", Uuid, nullable=False),
    UniqueConstraint("cycle_id", "seq", "institution_id", name="uq_netting_instructions_cycle_seq"),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("direction IN ('pay', 'receive')", name="direction"),
    ForeignKeyConstraint(["cycle_id", "institution_id"], ["netting_cycles.id", "netting_cycles.institution_id"]),
    ForeignKeyConstraint(["account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
    ForeignKeyConstraint(["central_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)
