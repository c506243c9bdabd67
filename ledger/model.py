"""Plain data objects the ledger takes and returns.

Requests are small slotted dataclasses (no validation framework on the hot
path); the ledger validates them itself and raises or reports domain errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from .errors import LedgerError

DEBIT = "debit"
CREDIT = "credit"
SIDES = (DEBIT, CREDIT)

DEBIT_NORMAL = frozenset({"asset", "expense"})


@dataclass(slots=True)
class Posting:
    """One leg: ``amount`` positive minor units on ``side`` of ``account_id``.
    ``currency``, when given, must be the account's currency."""

    account_id: UUID
    amount: int
    side: str
    currency: str | None = None


@dataclass(slots=True)
class NewTransaction:
    """A transaction of two or more postings, balanced per currency.

    ``pending=True`` holds the amounts (pending balances) until a
    :class:`PostPending` or :class:`VoidPending`, or until ``expires_at``.
    ``linked=True`` links this item to the next one of a batch: the chain
    posts all-or-nothing.  ``id`` may be given by the caller (so that a later
    item of the same batch can post or void it).
    """

    ledger_id: UUID
    postings: list[Posting]
    idempotency_key: str | None = None
    effective_date: date | None = None
    description: str = ""
    metadata: dict[str, Any] | None = None
    pending: bool = False
    expires_at: datetime | None = None
    linked: bool = False
    id: UUID | None = None


@dataclass(slots=True)
class PostPending:
    """Post a pending transaction, fully or partly.

    ``postings``: the amounts to post per leg (each at most the held amount,
    same account and side, balanced); ``None`` posts everything.  What is not
    posted is released."""

    pending_id: UUID
    idempotency_key: str | None = None
    postings: list[Posting] | None = None
    effective_date: date | None = None
    description: str = ""
    metadata: dict[str, Any] | None = None
    linked: bool = False
    id: UUID | None = None


@dataclass(slots=True)
class VoidPending:
    """Release a pending transaction's holds without posting anything."""

    pending_id: UUID
    idempotency_key: str | None = None
    description: str = ""
    metadata: dict[str, Any] | None = None
    linked: bool = False
    id: UUID | None = None


@dataclass(slots=True)
class Reverse:
    """Post the mirror image of a posted transaction, referencing it.  A
    transaction can be reversed once."""

    transaction_id: UUID
    idempotency_key: str | None = None
    effective_date: date | None = None
    description: str = ""
    metadata: dict[str, Any] | None = None
    linked: bool = False
    id: UUID | None = None


Item = NewTransaction | PostPending | VoidPending | Reverse


@dataclass(slots=True)
class Result:
    """Outcome of one batch item: ``code`` is ``"ok"`` or the error code."""

    index: int
    code: str
    transaction_id: UUID | None = None
    error: LedgerError | None = None
    replayed: bool = False
    #: the transaction as written, when the caller asked for it (a new
    #: posting only, not a replay): what a read of it right after the commit
    #: returns, so a response can be built without that read
    view: TransactionView | None = None

    @property
    def ok(self) -> bool:
        return self.code == "ok"


@dataclass(slots=True)
class Institution:
    id: UUID
    code: str
    name: str
    kind: str
    created_at: datetime


@dataclass(slots=True)
class LedgerInfo:
    id: UUID
    institution_id: UUID
    code: str
    name: str
    created_at: datetime
    chain_seq: int
    chain_head: str


@dataclass(slots=True)
class Account:
    id: UUID
    institution_id: UUID
    ledger_id: UUID
    code: str
    name: str
    currency: str
    type: str
    owner_ref: str | None
    metadata: dict[str, Any]
    debits_must_not_exceed_credits: bool
    credits_must_not_exceed_debits: bool
    closed: bool
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int
    version: int
    created_at: datetime

    @property
    def debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL

    @property
    def posted(self) -> int:
        """Posted balance on the account's normal side."""
        net = self.debits_posted - self.credits_posted
        return net if self.debit_normal else -net

    @property
    def available(self) -> int:
        """Posted balance less pending amounts leaving the account."""
        if self.debit_normal:
            return self.posted - self.credits_pending
        return self.posted - self.debits_pending


@dataclass(slots=True)
class Balance:
    account_id: UUID
    currency: str
    type: str
    posted: int
    pending_debits: int | None
    pending_credits: int | None
    available: int | None
    debits_posted: int | None
    credits_posted: int | None
    as_of_recorded: datetime | None = None
    as_of_date: date | None = None


@dataclass(slots=True)
class PostingView:
    line_no: int
    account_id: UUID
    currency: str
    amount: int  # signed: debit positive
    phase: str

    @property
    def side(self) -> str:
        return DEBIT if self.amount > 0 else CREDIT


@dataclass(slots=True)
class TransactionView:
    id: UUID
    institution_id: UUID
    ledger_id: UUID
    seq: int
    kind: str
    effective_date: date
    recorded_at: datetime
    description: str
    metadata: dict[str, Any]
    pending_id: UUID | None
    reverses_id: UUID | None
    expires_at: datetime | None
    idempotency_key: str
    hash: str
    postings: list[PostingView] = field(default_factory=list)
    #: for pending transactions: open / posted / voided / expired
    pending_state: str | None = None
    reversed_by: UUID | None = None


@dataclass(slots=True)
class StatementLine:
    account_version: int
    transaction_id: UUID
    line_no: int
    kind: str
    phase: str
    amount: int  # signed, debit positive
    balance_after: int  # posted, on the account's normal side
    effective_date: date
    recorded_at: datetime
    description: str


@dataclass(slots=True)
class StatementPage:
    account_id: UUID
    currency: str
    lines: list[StatementLine]
    next_cursor: str | None


@dataclass(slots=True)
class TrialBalanceLine:
    account_id: UUID
    code: str
    type: str
    currency: str
    debits: int
    credits: int


@dataclass(slots=True)
class TrialBalance:
    ledger_id: UUID
    as_of_date: date | None
    lines: list[TrialBalanceLine]
    #: currency -> (total debits, total credits); always equal
    totals: dict[str, tuple[int, int]]


@dataclass(slots=True)
class VerifyReport:
    ledger_id: UUID
    ok: bool
    transactions_checked: int
    head_seq: int
    first_bad_seq: int | None = None
    first_bad_transaction: UUID | None = None
    problem: str | None = None
    checkpoints_checked: int = 0
    balance_problems: list[str] = field(default_factory=list)
