"""Request and response schemas of the HTTP API (pydantic v2).

Money crosses the API as decimal strings with an ISO 4217 currency code,
never as floats: ``{"amount": "1234.56", "currency": "USD"}``.  More decimals
than the currency has, a negative amount or an unknown currency is a 422
problem.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from ledger.chain import canonical_json

from .problems import Problem

Amount = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,18}(\.[0-9]{1,6})?$",
        description="Positive decimal amount in major units, as a string; at most as many decimals as the currency has",
        examples=["1234.56"],
    ),
]
SignedAmount = Annotated[str, Field(description="Decimal amount in major units (may be negative)", examples=["-1234.56"])]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 alphabetic code", examples=["USD"])]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$", examples=["merchant-123-usd"])]


def _small_json(value: dict[str, Any]) -> dict[str, Any]:
    if len(canonical_json(value)) > 8192:
        raise ValueError("metadata is limited to 8 KiB of JSON")
    return value


Metadata = Annotated[dict[str, Any], AfterValidator(_small_json), Field(description="Free JSON object (at most 8 KiB)", examples=[{"merchant_id": "m-123"}])]


def _utc(value: datetime) -> datetime:
    # SQLite gives naive datetimes back; they are UTC, and the API documents RFC 3339 date-times with an offset
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


#: an instant in responses: always with a UTC offset
Timestamp = Annotated[datetime, AfterValidator(_utc)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LedgerIn(Strict):
    code: Code
    name: str = Field(default="", max_length=200)


class LedgerOut(BaseModel):
    id: UUID
    code: str
    name: str
    created_at: Timestamp
    chain_seq: int = Field(description="number of transactions recorded")
    chain_head: str = Field(description="SHA-256 hash of the last transaction")


class AccountIn(Strict):
    code: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$", examples=["merchant-123-usd"])]
    currency: CurrencyCode
    type: Literal["asset", "liability", "equity", "income", "expense"]
    name: str = Field(default="", max_length=200)
    owner_ref: str | None = Field(default=None, max_length=128)
    metadata: Metadata = Field(default_factory=dict)
    debits_must_not_exceed_credits: bool = False
    credits_must_not_exceed_debits: bool = False


class Money(BaseModel):
    amount: SignedAmount
    currency: CurrencyCode


class AccountOut(BaseModel):
    id: UUID
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
    posted: SignedAmount = Field(description="posted balance on the account's normal side")
    available: SignedAmount = Field(description="posted less pending amounts leaving the account")
    debits_posted: Amount
    credits_posted: Amount
    debits_pending: Amount
    credits_pending: Amount
    created_at: Timestamp


class AccountList(BaseModel):
    items: list[AccountOut]
    next_after: str | None = Field(description="pass as `after` for the next page; null on the last page")


class BalanceOut(BaseModel):
    account_id: UUID
    currency: str
    posted: SignedAmount
    available: SignedAmount | None = None
    pending_debits: Amount | None = None
    pending_credits: Amount | None = None
    as_of: Timestamp | None = None
    as_of_date: date | None = None


class PostingIn(Strict):
    account_id: UUID
    side: Literal["debit", "credit"]
    amount: Amount
    currency: CurrencyCode


class TransactionIn(Strict):
    postings: list[PostingIn] = Field(min_length=2, max_length=200)
    effective_date: date | None = Field(default=None, description="value date; default: today in the institution's business time zone")
    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)
    pending: bool = Field(default=False, description="hold the amounts (two-phase transfer) until posted or voided")
    expires_at: AwareDatetime | None = Field(default=None, description="a pending transaction voids itself after this instant")


class BatchItemIn(TransactionIn):
    idempotency_key: str | None = Field(default=None, max_length=200, description="per-transaction key; default: '<Idempotency-Key>:<index>'")
    linked: bool = Field(default=False, description="link to the next item: the chain posts all-or-nothing")


class BatchIn(Strict):
    transactions: list[BatchItemIn] = Field(min_length=1, max_length=8000)


class PostPendingIn(Strict):
    postings: list[PostingIn] | None = Field(default=None, max_length=200, description="amounts to post per leg (partial post); omit to post everything held")
    effective_date: date | None = None
    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)


class VoidIn(Strict):
    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)


class ReverseIn(Strict):
    effective_date: date | None = None
    description: str = Field(default="", max_length=500)
    metadata: Metadata = Field(default_factory=dict)


class PostingOut(BaseModel):
    line_no: int
    account_id: UUID
    side: Literal["debit", "credit"]
    amount: Amount
    currency: str
    phase: Literal["posted", "hold", "release"]


class TransactionOut(BaseModel):
    id: UUID
    ledger_id: UUID
    seq: int
    kind: str
    effective_date: date
    recorded_at: Timestamp
    description: str
    metadata: dict[str, Any]
    pending_id: UUID | None
    reverses_id: UUID | None
    expires_at: Timestamp | None
    pending_state: str | None = Field(description="for pending transactions: open, posted, voided or expired")
    reversed_by: UUID | None
    hash: str
    postings: list[PostingOut]


class TransactionList(BaseModel):
    items: list[TransactionOut]
    next_after_seq: int | None


class BatchResultOut(BaseModel):
    index: int
    status: Literal["ok", "error"]
    code: str = Field(description="'ok' or the error code")
    transaction_id: UUID | None = None
    replayed: bool = False
    problem: Problem | None = None


class BatchOut(BaseModel):
    results: list[BatchResultOut]
    posted: int
    failed: int


class StatementLineOut(BaseModel):
    account_version: int
    transaction_id: UUID
    kind: str
    phase: str
    side: Literal["debit", "credit"]
    amount: Amount
    balance_after: SignedAmount
    effective_date: date
    recorded_at: Timestamp
    description: str


class StatementOut(BaseModel):
    account_id: UUID
    currency: str
    lines: list[StatementLineOut]
    next_cursor: str | None


class TrialBalanceLineOut(BaseModel):
    account_id: UUID
    code: str
    type: str
    currency: str
    debits: Amount
    credits: Amount


class TrialBalanceTotal(BaseModel):
    currency: str
    debits: Amount
    credits: Amount
    balanced: bool


class TrialBalanceOut(BaseModel):
    ledger_id: UUID
    as_of_date: date | None
    lines: list[TrialBalanceLineOut]
    totals: list[TrialBalanceTotal]


class AggregateBalanceOut(BaseModel):
    currency: str
    accounts: int
    debits_posted: Amount
    credits_posted: Amount
    debits_pending: Amount
    credits_pending: Amount


class VerificationOut(BaseModel):
    ledger_id: UUID
    ok: bool
    transactions_checked: int
    head_seq: int
    first_bad_seq: int | None
    first_bad_transaction: UUID | None
    problem: str | None
    checkpoints_checked: int


class CheckpointOut(BaseModel):
    ledger_id: UUID
    seq: int
    head_hash: str
    created_at: Timestamp
    key_id: str
    public_key: str
    signature: str


class LoginIn(Strict):
    institution: str = Field(max_length=64, description="institution code")
    username: str = Field(max_length=100)
    password: str = Field(max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int
    role: str
    merchant_ref: str | None


class ApiKeyIn(Strict):
    name: str = Field(default="default", max_length=100)
    role: Literal["system", "platform"] = "system"
    platform_code: str | None = Field(default=None, max_length=64)


class ApiKeyOut(BaseModel):
    id: UUID
    prefix: str
    name: str
    role: str
    platform_code: str | None
    created_at: Timestamp
    expires_at: Timestamp | None
    revoked_at: Timestamp | None
    replaced_by: UUID | None


class ApiKeyIssued(ApiKeyOut):
    key: str = Field(description="the API key; shown only now")
    signing_secret: str = Field(description="HMAC request-signing secret; shown only now")


class RotateIn(Strict):
    grace_seconds: int = Field(default=0, ge=0, le=7 * 86400, description="keep the old key valid this long")


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=10, max_length=200)
    role: Literal["admin", "finance", "approver", "sme"]
    merchant_ref: str | None = Field(default=None, max_length=64)


class UserOut(BaseModel):
    id: UUID
    username: str
    role: str
    merchant_ref: str | None
    disabled: bool
    created_at: Timestamp


class AuditEntryOut(BaseModel):
    id: UUID
    actor_type: str
    actor_id: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    created_at: Timestamp


class AuditList(BaseModel):
    items: list[AuditEntryOut]
    next_after: UUID | None


class WhoAmI(BaseModel):
    institution_id: UUID
    actor_type: str
    actor_id: UUID
    role: str
    merchant_ref: str | None
    platform_code: str | None
