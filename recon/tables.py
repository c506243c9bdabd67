"""Tables of reconciliation: bank accounts under reconciliation, imported
statements and their lines, matches, and maker-checker proposals."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, Uuid

from ledger.schema import metadata
from ledger.types import TS

# a bank account (as the bank's statements name it) mapped to the ledger
# account that mirrors it
recon_accounts = Table(
    "recon_accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("bank_account", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("ledger_account_id", Uuid, nullable=False),
    # where accepted bank charges and approved adjustments are posted against
    Column("fee_account_id", Uuid, nullable=True),
    Column("adjustment_account_id", Uuid, nullable=True),
    Column("name", String(200), nullable=False),
    # ledger entries before this value date are not reconciled here
    Column("start_date", Date, nullable=False),
    # matching parameters (window, charge tolerance) as JSON
    Column("config", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "bank_account", "currency", name="uq_recon_accounts_institution_bank_account_currency"),
    UniqueConstraint("ledger_account_id", "institution_id", name="uq_recon_accounts_ledger_account_id"),
    ForeignKeyConstraint(["ledger_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
    ForeignKeyConstraint(["fee_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
    ForeignKeyConstraint(["adjustment_account_id", "institution_id"], ["accounts.id", "accounts.institution_id"]),
)

recon_csv_mappings = Table(
    "recon_csv_mappings",
    metadata,
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("name", String(64), nullable=False, primary_key=True),
    Column("mapping", JSON, nullable=False),
    Column("updated_by", String(128), nullable=False),
    Column("updated_at", TS, nullable=False),
)

recon_statements = Table(
    "recon_statements",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("recon_account_id", Uuid, nullable=False),
    Column("format", String(16), nullable=False),
    # the bank's id of the statement; with the account, what makes a statement the same one
    Column("statement_id", String(128), nullable=False),
    Column("message_id", String(128), nullable=True),
    Column("sequence", String(64), nullable=True),
    Column("opening_balance_minor", BigInteger, nullable=True),
    Column("closing_balance_minor", BigInteger, nullable=True),
    Column("opening_date", Date, nullable=True),
    Column("closing_date", Date, nullable=True),
    Column("entry_count", Integer, nullable=False),
    Column("credits_minor", BigInteger, nullable=False),
    Column("debits_minor", BigInteger, nullable=False),
    # opening + entries != closing (kept, flagged: the bank's numbers, not ours)
    Column("balance_mismatch_minor", BigInteger, nullable=True),
    Column("file_sha256", String(64), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("imported_by", String(128), nullable=False),
    Column("imported_at", TS, nullable=False),
    UniqueConstraint("institution_id", "recon_account_id", "statement_id", name="uq_recon_statements_institution_account_statement"),
    ForeignKeyConstraint(["recon_account_id", "institution_id"], ["recon_accounts.id", "recon_accounts.institution_id"]),
)

recon_lines = Table(
    "recon_lines",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("recon_account_id", Uuid, nullable=False),
    Column("statement_row_id", Uuid, nullable=True),
    # a line split by an approved proposal: its parts point at it
    Column("parent_line_id", Uuid, nullable=True),
    Column("idx", Integer, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("booking_date", Date, nullable=True),
    Column("value_date", Date, nullable=False),
    Column("end_to_end_ref", String(128), nullable=True),
    Column("bank_ref", String(128), nullable=True),
    Column("reference", String(256), nullable=True),
    # sealed (recon.secrecy): free text that may name the counterparty
    Column("description", Text, nullable=False),
    # personal data, sealed with the personal-data key (recon.secrecy)
    Column("counterparty_name", Text, nullable=True),
    Column("counterparty_account", Text, nullable=True),
    Column("bank_tx_code", String(64), nullable=True),
    Column("charges_minor", BigInteger, nullable=True),
    # open | matched | split
    Column("status", String(12), nullable=False),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(["recon_account_id", "institution_id"], ["recon_accounts.id", "recon_accounts.institution_id"]),
    ForeignKeyConstraint(["statement_row_id", "institution_id"], ["recon_statements.id", "recon_statements.institution_id"]),
    ForeignKeyConstraint(["parent_line_id", "institution_id"], ["recon_lines.id", "recon_lines.institution_id"]),
)
Index("ix_recon_lines_account_status", recon_lines.c.recon_account_id, recon_lines.c.status, recon_lines.c.value_date)
Index("ix_recon_lines_statement", recon_lines.c.statement_row_id)

recon_matches = Table(
    "recon_matches",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("recon_account_id", Uuid, nullable=False),
    Column("rule", String(32), nullable=False),
    # sum(lines) - sum(entries); a charge when negative
    Column("difference_minor", BigInteger, nullable=False),
    # matched | pending_fee (charges awaiting acceptance) | unmatched (undone)
    Column("status", String(12), nullable=False),
    Column("fee_transaction_id", Uuid, nullable=True),
    Column("proposal_id", Uuid, nullable=True),
    Column("run_id", Uuid, nullable=True),
    Column("created_by", String(128), nullable=False),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(["recon_account_id", "institution_id"], ["recon_accounts.id", "recon_accounts.institution_id"]),
)
Index("ix_recon_matches_account_created", recon_matches.c.recon_account_id, recon_matches.c.created_at)

recon_match_lines = Table(
    "recon_match_lines",
    metadata,
    Column("match_id", Uuid, nullable=False, primary_key=True),
    # a line belongs to one match at most
    Column("line_id", Uuid, nullable=False, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    UniqueConstraint("line_id", "institution_id", name="uq_recon_match_lines_line_id"),
    ForeignKeyConstraint(["match_id", "institution_id"], ["recon_matches.id", "recon_matches.institution_id"]),
    ForeignKeyConstraint(["line_id", "institution_id"], ["recon_lines.id", "recon_lines.institution_id"]),
)

# a ledger entry is one posting: (transaction_id, line_no)
recon_match_entries = Table(
    "recon_match_entries",
    metadata,
    Column("match_id", Uuid, nullable=False),
    Column("institution_id", Uuid, nullable=False),
    Column("recon_account_id", Uuid, nullable=False),
    Column("transaction_id", Uuid, nullable=False),
    Column("line_no", Integer, nullable=False),
    PrimaryKeyConstraint("transaction_id", "line_no", "institution_id", name="pk_recon_match_entries"),
    ForeignKeyConstraint(["match_id", "institution_id"], ["recon_matches.id", "recon_matches.institution_id"]),
)
Index("ix_recon_match_entries_match", recon_match_entries.c.match_id)

recon_proposals = Table(
    "recon_proposals",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("recon_account_id", Uuid, nullable=False),
    # manual_match | split | adjustment | fee
    Column("kind", String(16), nullable=False),
    # pending | approved | rejected
    Column("status", String(12), nullable=False),
    Column("maker_id", String(128), nullable=False),
    Column("maker_name", String(128), nullable=False),
    Column("approver_id", String(128), nullable=True),
    Column("approver_name", String(128), nullable=True),
    Column("decided_at", TS, nullable=True),
    Column("payload", JSON, nullable=False),
    Column("note", String(500), nullable=False),
    Column("reason", String(500), nullable=True),
    Column("transaction_id", Uuid, nullable=True),
    Column("match_id", Uuid, nullable=True),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(["recon_account_id", "institution_id"], ["recon_accounts.id", "recon_accounts.institution_id"]),
)
Index("ix_recon_proposals_institution_status", recon_proposals.c.institution_id, recon_proposals.c.status, recon_proposals.c.created_at)

recon_runs = Table(
    "recon_runs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("recon_account_id", Uuid, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("lines_considered", Integer, nullable=False),
    Column("entries_considered", Integer, nullable=False),
    Column("counts", JSON, nullable=False),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS, nullable=False),
    ForeignKeyConstraint(["recon_account_id", "institution_id"], ["recon_accounts.id", "recon_accounts.institution_id"]),
)
Index("ix_recon_runs_account_started", recon_runs.c.recon_account_id, recon_runs.c.started_at)

# the parts of a batch entry (a camt Ntry with several TxDtls): one row per
# transaction, in the entry's order, with its own references and amount
recon_line_parts = Table(
    "recon_line_parts",
    metadata,
    Column("line_id", Uuid, nullable=False, primary_key=True),
    Column("idx", Integer, nullable=False, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    # signed like the line, in its currency; null when the bank gives none in that currency
    Column("amount_minor", BigInteger, nullable=True),
    Column("end_to_end_ref", String(128), nullable=True),
    Column("instruction_id", String(128), nullable=True),
    Column("tx_id", String(128), nullable=True),
    Column("bank_ref", String(128), nullable=True),
    Column("reference", String(256), nullable=True),
    # personal data, sealed with the personal-data key (recon.secrecy)
    Column("counterparty_name", Text, nullable=True),
    Column("counterparty_account", Text, nullable=True),
    # sealed (recon.secrecy): free text that may name the counterparty
    Column("description", Text, nullable=False),
    # the ledger entry ('<transaction id>:<line>') the part was matched to (rule batch_reference)
    Column("matched_entry_id", String(80), nullable=True),
    ForeignKeyConstraint(["line_id", "institution_id"], ["recon_lines.id", "recon_lines.institution_id"]),
)

# a reconciled account's day signed off by an approver (bank vs book): the
# figures he saw, who and when; four eyes: not the person who last changed
# that day's matching (the console checks it)
recon_day_signoffs = Table(
    "recon_day_signoffs",
    metadata,
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("recon_account_id", Uuid, nullable=False, primary_key=True),
    Column("day", Date, nullable=False, primary_key=True),
    Column("bank_closing_minor", BigInteger, nullable=False),
    Column("book_minor", BigInteger, nullable=False),
    Column("open_items_minor", BigInteger, nullable=False),
    Column("signed_by", String(128), nullable=False),
    Column("signed_by_name", String(128), nullable=False),
    Column("signed_at", TS, nullable=False),
    ForeignKeyConstraint(["recon_account_id", "institution_id"], ["recon_accounts.id", "recon_accounts.institution_id"]),
)
