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
class StatementPart:
    """One transaction of a batch entry (a camt ``TxDtls`` of an ``Ntry``
    with several of them): its own references, amount and counterparty.

    ``amount_minor`` is signed like the entry (+ credit, - debit) and in the
    entry's currency; ``None`` when the bank gives no amount for the part in
    that currency (the batch is then matched as one line)."""

    index: int  # 0-based position within its entry
    amount_minor: int | None
    end_to_end_ref: str | None = None
    instruction_id: str | None = None
    tx_id: str | None = None
    bank_ref: str | None = None  # AcctSvcrRef of the part
    reference: str | None = None  # UETR, creditor reference (Strd/CdtrRefInf/Ref), MsgId/PmtInfId
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    description: str = ""  # the part's unstructured remittance

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(r for r in (self.end_to_end_ref, self.instruction_id, self.tx_id, self.reference) if r)


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
    # a batch booking (several TxDtls): one part per transaction; () otherwise
    parts: tuple[StatementPart, ...] = ()


@dataclass(frozen=True)
class StatementFooter:
    """End of one statement, with the closing balance when given."""

    closing_balance_minor: int | None = None
    closing_balance_date: date | None = None
    entry_count: int = 0


StatementEvent = StatementHeader | StatementEntry | StatementFooter


# -- matching -----------------------------------------------------------------


@dataclass(frozen=True)
class PartForMatch:
    """One part of a batch statement line (its amount is signed like the line)."""

    index: int
    amount_minor: int | None
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineForMatch:
    """A statement line as the matcher sees it."""

    id: str
    amount_minor: int
    currency: str
    value_date: date
    references: tuple[str, ...] = ()
    description: str = ""
    # the parts of a batch entry; used only when every part has an amount
    # and they add up to the line's amount (see recon.matching, rule 1.0)
    parts: tuple[PartForMatch, ...] = ()

    @property
    def batch_parts_usable(self) -> bool:
        return batch_parts_add_up(self.amount_minor, self.parts)


def batch_parts_add_up(amount_minor: int, parts: tuple[PartForMatch, ...] | tuple[StatementPart, ...]) -> bool:
    """Two or more parts, each with a non-zero amount of the line's sign, summing exactly to the line."""
    if len(parts) < 2 or amount_minor == 0:
        return False
    amounts = [p.amount_minor for p in parts]
    if any(a is None or a == 0 or (a > 0) != (amount_minor > 0) for a in amounts):
        return False
    return sum(a for a in amounts if a is not None) == amount_minor


@dataclass(frozen=True)
class EntryForMatch:
    """A ledger entry (one posting on the reconciled account) as the matcher sees it."""

    id: str
    amount_minor: int  # same sign convention as statement lines
    currency: str
    value_date: date
    references: tuple[str, ...] = ()
    description: str = ""
    #: the ledger transaction of the entry, and the transaction it reverses
    #: (rule ``reversal``: an entry and its reversal clear each other)
    transaction_id: str = ""
    reverses: str = ""


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
    # rule batch_reference: (part index, entry id) for every part of the line
    part_entries: tuple[tuple[int, str], ...] = ()


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
    #: an ``amount_date`` match (amount and date only, no reference) of less
    #: than this many minor units is proposed for a person's approval instead
    #: of applied: small equal amounts coincide too often (0 = apply all)
    review_amount_only_below_minor: int = 10_000


RULE_REFERENCE = "reference"
RULE_BATCH_REFERENCE = "batch_reference"
RULE_AMOUNT_DATE = "amount_date"
RULE_ONE_TO_MANY = "one_line_many_entries"
RULE_MANY_TO_ONE = "many_lines_one_entry"
RULE_CHARGES = "amount_date_with_charges"
RULE_REVERSAL = "reversal"
RULE_MANUAL = "manual"
RULES = (RULE_REFERENCE, RULE_BATCH_REFERENCE, RULE_AMOUNT_DATE, RULE_ONE_TO_MANY, RULE_MANY_TO_ONE, RULE_CHARGES, RULE_REVERSAL, RULE_MANUAL)
