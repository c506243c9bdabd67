"""The shapes reconciliation works on, shared by parsers, matching and storage.

Amounts are signed integers in minor units *as the bank sees the account*:
a credit on the statement (money in) is positive, a debit is negative.  The
ledger side is converted to the same convention before matching (a debit to
the institution's nostro/settlement asset account is money in: positive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ledger.errors import LedgerError


class StatementRejected(LedgerError):
    """A statement file that cannot be imported.  Nothing from it is kept.

    ``position`` names where the fault is: ``line 12`` (MT940, CSV), or
    ``line 7, element /Document/BkToCstmrStmt`` (XML)."""

    code = "statement_rejected"
    title = "Statement rejected"

    def __init__(self, message: str, *, format: str, position: str, **details: Any) -> None:
        super().__init__(f"{message} ({position})", format=format, position=position, **details)


@dataclass(frozen=True)
class StatementHeader:
    """Start of one statement (a camt ``Stmt``/``Ntfctn``, an MT940 message)."""

    format: str  # 'camt.053' | 'camt.054' | 'mt940' | 'csv'
    statement_id: str  # the bank's id of the statement (camt Stmt/Id, MT940 :20:+:28C:)
    account: str  # IBAN or account number as printed by the bank
    currency: str | None  # account currency when the bank states it
    message_id: str | None = None  # camt GrpHdr/MsgId
    created_at: datetime | None = None
    sequence: str | None = None  # electronic/legal sequence or MT940 :28C:
    opening_balance_minor: int | None = None
    opening_balance_date: date | None = None
    position: str = ""  # where the statement starts, for error messages


@dataclass(frozen=True)
class StatementEntry:
    """One booked line of a statement."""

    index: int  # 0-based position within its statement
    amount_minor: int  # signed: + credit (money in), - debit
    currency: str
    booking_date: date | None
    value_date: date | None
    end_to_end_ref: str | None = None  # camt EndToEndId / MT940 customer reference
    bank_ref: str | None = None  # camt AcctSvcrRef / MT940 bank reference
    reference: str | None = None  # other references (remittance, instruction id, UETR)
    description: str = ""  # remittance / :86: information
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    bank_tx_code: str | None = None
    charges_minor: int | None = None  # bank charges the bank reports on the entry
    reversal: bool = False
    position: str = ""  # 'line N' where the entry starts


@dataclass(frozen=True)
class StatementFooter:
    """End of one statement, with the closing balance when given."""

    closing_balance_minor: int | None = None
    closing_balance_date: date | None = None
    entry_count: int = 0


StatementEvent = StatementHeader | StatementEntry | StatementFooter


# -- matching -----------------------------------------------------------------


@dataclass(frozen=True)
class LineForMatch:
    """A statement line as the matcher sees it."""

    id: str
    amount_minor: int
    currency: str
    value_date: date
    references: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class EntryForMatch:
    """A ledger entry (one posting on the reconciled account) as the matcher sees it."""

    id: str
    amount_minor: int  # same sign convention as statement lines
    currency: str
    value_date: date
    references: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Match:
    """Lines and entries that explain each other, and the rule that said so.

    ``difference_minor`` = sum(lines) - sum(entries); non-zero only within the
    bank-charges tolerance (rule ``amount_date_with_charges``, or ``reference``
    when the reference identified the pair); a negative difference is a
    charge, posted as a fee when an approver accepts it."""

    rule: str
    line_ids: tuple[str, ...]
    entry_ids: tuple[str, ...]
    difference_minor: int = 0


@dataclass(frozen=True)
class MatchingConfig:
    """Parameters of the matching rules (read from the institution's settings)."""

    date_window_days: int = 3
    # bank charges accepted as a difference: the smaller of the two bounds
    charge_tolerance_minor: int = 0
    charge_tolerance_bp: int = 0
    # many-to-one / one-to-many: most parts combined into one match
    max_group_size: int = 6
    currencies_without_tolerance: tuple[str, ...] = field(default_factory=tuple)


RULE_REFERENCE = "reference"
RULE_AMOUNT_DATE = "amount_date"
RULE_ONE_TO_MANY = "one_line_many_entries"
RULE_MANY_TO_ONE = "many_lines_one_entry"
RULE_CHARGES = "amount_date_with_charges"
RULE_MANUAL = "manual"
RULES = (RULE_REFERENCE, RULE_AMOUNT_DATE, RULE_ONE_TO_MANY, RULE_MANY_TO_ONE, RULE_CHARGES, RULE_MANUAL)
